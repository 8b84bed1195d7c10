#!/usr/bin/env python3
"""Times aws-sam-translator turning a SAM template whose DefinitionBody is the N-path spec from
shared/bench/gen_spec.py into CloudFormation: the baseline `apigw build --target cloudformation`
is compared against. Prints seconds and peak memory (MiB).

Usage: AWS_DEFAULT_REGION=us-east-1 sam_translator.py SPEC.json   (needs `pip install aws-sam-translator`)
"""
import json
import resource
import sys
import time

from samtranslator.parser.parser import Parser
from samtranslator.translator.transform import transform


class NoManagedPolicies:
    def load(self):
        return {}


def main():
    with open(sys.argv[1]) as f:
        spec = json.load(f)
    template = {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Transform": "AWS::Serverless-2016-10-31",
        "Resources": {
            "Api": {
                "Type": "AWS::Serverless::Api",
                "Properties": {"StageName": "prod", "OpenApiVersion": "3.0.1", "DefinitionBody": spec},
            }
        },
    }
    start = time.perf_counter()
    output = transform(template, {}, NoManagedPolicies())
    text = json.dumps(output)
    elapsed = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print("aws-sam-translator: %.2f s, peak %.0f MiB, %d bytes" % (elapsed, peak, len(text)))


if __name__ == "__main__":
    main()
