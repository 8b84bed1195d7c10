"""apigw's Lambda runtime-interface client for Python (standard library only).

Runs the handler named by _HANDLER (`module.function`, module relative to LAMBDA_TASK_ROOT)
against the Lambda Runtime API at AWS_LAMBDA_RUNTIME_API: fetch an event, call the handler,
post the result or the error, repeat.
"""

import http.client
import importlib
import json
import os
import socket
import sys
import time
import traceback

API_PREFIX = "/2018-06-01/runtime"


class RuntimeApi:
    """One keep-alive connection to the Runtime API, with TCP_NODELAY."""

    def __init__(self, address):
        host, _, port = address.rpartition(":")
        self.host = host or "127.0.0.1"
        self.port = int(port)
        self.connection = None

    def _connect(self):
        connection = http.client.HTTPConnection(self.host, self.port, timeout=None)
        connection.connect()
        connection.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.connection = connection

    def request(self, method, path, body=None, headers=None):
        for attempt in (1, 2):
            if self.connection is None:
                self._connect()
            try:
                self.connection.request(method, API_PREFIX + path, body=body, headers=headers or {})
                response = self.connection.getresponse()
                return response.status, dict(response.getheaders()), response.read()
            except (ConnectionError, http.client.HTTPException):
                self.connection = None
                if attempt == 2:
                    raise
        raise RuntimeError("unreachable")


class Context:
    """The context object handlers receive, with the attributes Lambda's own client sets."""

    def __init__(self, request_id, deadline_ms, function_arn, trace_id):
        self.aws_request_id = request_id
        self.invoked_function_arn = function_arn
        self.function_name = os.environ.get("AWS_LAMBDA_FUNCTION_NAME", "")
        self.function_version = os.environ.get("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST")
        self.memory_limit_in_mb = os.environ.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "128")
        self.log_group_name = os.environ.get("AWS_LAMBDA_LOG_GROUP_NAME", "")
        self.log_stream_name = os.environ.get("AWS_LAMBDA_LOG_STREAM_NAME", "")
        self.identity = None
        self.client_context = None
        self._deadline_ms = deadline_ms
        self.trace_id = trace_id

    def get_remaining_time_in_millis(self):
        return max(self._deadline_ms - int(time.time() * 1000), 0)


def error_document(error):
    return {
        "errorMessage": str(error),
        "errorType": type(error).__name__,
        "requestId": "",
        "stackTrace": traceback.format_list(traceback.extract_tb(error.__traceback__)),
    }


def load_handler(spec):
    module_name, _, function_name = spec.rpartition(".")
    if not module_name:
        raise ValueError("Bad handler '%s': expected module.function" % spec)
    module = importlib.import_module(module_name.replace("/", "."))
    handler = getattr(module, function_name, None)
    if handler is None:
        raise AttributeError("Handler '%s' missing on module '%s'" % (function_name, module_name))
    return handler


def post_json(api, path, document, error_type=None):
    headers = {"Content-Type": "application/json"}
    if error_type:
        headers["Lambda-Runtime-Function-Error-Type"] = error_type
    api.request("POST", path, body=json.dumps(document).encode("utf-8"), headers=headers)


def main():
    api = RuntimeApi(os.environ["AWS_LAMBDA_RUNTIME_API"])
    task_root = os.environ.get("LAMBDA_TASK_ROOT", os.getcwd())
    if task_root not in sys.path:
        sys.path.insert(0, task_root)
    try:
        handler = load_handler(os.environ.get("_HANDLER", ""))
    except Exception as error:  # noqa: BLE001 - any import failure is an init error
        document = error_document(error)
        document["errorType"] = "Runtime.ImportModuleError"
        print(json.dumps(document), file=sys.stderr, flush=True)
        post_json(api, "/init/error", document, "Runtime.ImportModuleError")
        sys.exit(1)

    while True:
        status, headers, body = api.request("GET", "/invocation/next")
        if status != 200:
            sys.exit(1)
        lowered = {key.lower(): value for key, value in headers.items()}
        request_id = lowered.get("lambda-runtime-aws-request-id", "")
        trace_id = lowered.get("lambda-runtime-trace-id", "")
        if trace_id:
            os.environ["_X_AMZN_TRACE_ID"] = trace_id
        context = Context(
            request_id,
            int(lowered.get("lambda-runtime-deadline-ms", "0") or 0),
            lowered.get("lambda-runtime-invoked-function-arn", ""),
            trace_id,
        )
        try:
            event = json.loads(body) if body else None
            result = handler(event, context)
            payload = json.dumps(result).encode("utf-8")
        except Exception as error:  # noqa: BLE001 - every handler error is reported
            document = error_document(error)
            document["requestId"] = request_id
            print(
                "[ERROR] %s: %s" % (document["errorType"], document["errorMessage"]),
                file=sys.stderr,
                flush=True,
            )
            post_json(api, "/invocation/%s/error" % request_id, document, "Unhandled")
            continue
        api.request(
            "POST",
            "/invocation/%s/response" % request_id,
            body=payload,
            headers={"Content-Type": "application/json"},
        )


if __name__ == "__main__":
    # Handler output goes straight to apigw, line by line.
    sys.stdout.reconfigure(line_buffering=True)
    main()
