//! Diagnostics the loader and the front ends give while reading a document: syntax, encoding,
//! limits, document kind, references, and the shape (types, required fields, enum values) of
//! OpenAPI and of every `x-amazon-apigateway-*` extension.

use crate::declare_rule;
use crate::rules::RuleMeta;

declare_rule! {
    /// The file is not valid YAML or JSON.
    /// ## Why
    /// API Gateway, CloudFormation and Terraform all refuse a document they cannot parse.
    /// ## Fails
    /// ```yaml
    /// paths: {/pets: {get: }
    /// ```
    /// ## Passes
    /// ```yaml
    /// paths: {/pets: {get: {}}}
    /// ```
    pub SyntaxError { code: "APIGW001", name: "syntax-error", severity: Error }
}

declare_rule! {
    /// A mapping has the same key twice.
    /// ## Why
    /// YAML and JSON parsers disagree on which copy wins (most keep the last one silently), so the
    /// API that deploys may not be the one that was reviewed.
    /// ## Fails
    /// ```yaml
    /// paths:
    ///   /pets: {}
    ///   /pets: {}
    /// ```
    /// ## Passes
    /// ```yaml
    /// paths:
    ///   /pets: {}
    /// ```
    pub DuplicateKey { code: "APIGW002", name: "duplicate-key", severity: Error }
}

declare_rule! {
    /// The document exceeds a size, nesting or alias-expansion limit.
    /// ## Why
    /// apigw bounds what it reads so that a hostile or broken file (a YAML alias bomb, thousands
    /// of nested arrays) cannot exhaust memory or the stack. No real API comes near the limits.
    /// ## Fails
    /// ```yaml
    /// a: &a [x, x, x, x, x, x, x, x, x]
    /// b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
    /// c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
    /// # … and so on: each level multiplies the size by nine
    /// ```
    /// ## Passes
    /// ```yaml
    /// a: &a [x]
    /// b: *a
    /// ```
    pub InputLimitExceeded { code: "APIGW003", name: "input-limit-exceeded", severity: Error }
}

declare_rule! {
    /// The file is not valid UTF-8 text.
    /// ## Why
    /// OpenAPI documents and templates are UTF-8; a binary file or a file saved in another encoding
    /// is rejected by API Gateway's importer.
    /// ## Fails
    /// A file containing the byte `0xFF`.
    /// ## Passes
    /// The same file saved as UTF-8.
    pub InvalidEncoding { code: "APIGW004", name: "invalid-encoding", severity: Error }
}

declare_rule! {
    /// The file holds no document.
    /// ## Why
    /// An empty file (or one holding only comments) describes no API; it is usually a file that
    /// was truncated or not yet written.
    /// ## Fails
    /// ```yaml
    /// # nothing here
    /// ```
    /// ## Passes
    /// ```yaml
    /// openapi: 3.0.1
    /// info: {title: pets, version: "1"}
    /// paths: {}
    /// ```
    pub EmptyDocument { code: "APIGW005", name: "empty-document", severity: Error }
}

declare_rule! {
    /// The document uses a specification version API Gateway does not import.
    /// ## Why
    /// API Gateway imports OpenAPI 3.0.x and Swagger 2.0 only. OpenAPI 3.1 and Swagger 1.2
    /// documents are refused by `import-rest-api` and `import-api`.
    /// ## Fails
    /// ```yaml
    /// openapi: 3.1.0
    /// ```
    /// ## Passes
    /// ```yaml
    /// openapi: 3.0.3
    /// ```
    pub UnsupportedSpecVersion { code: "APIGW006", name: "unsupported-spec-version", severity: Error }
}

declare_rule! {
    /// The file is neither an OpenAPI/Swagger document nor a CloudFormation/SAM template.
    /// ## Why
    /// apigw reads OpenAPI 3.0, Swagger 2.0, templates that embed them, and its own DSL. A file
    /// named on the command line that is none of these is most likely the wrong file.
    /// ## Fails
    /// ```yaml
    /// name: my-package
    /// ```
    /// ## Passes
    /// ```yaml
    /// openapi: 3.0.1
    /// info: {title: pets, version: "1"}
    /// paths: {}
    /// ```
    pub UnrecognizedDocument { code: "APIGW007", name: "unrecognized-document", severity: Error }
}

declare_rule! {
    /// A `$ref` names something that does not exist.
    /// ## Why
    /// API Gateway's importer fails on a reference it cannot resolve.
    /// ## Fails
    /// ```yaml
    /// schema: {$ref: "#/components/schemas/Pett"}
    /// ```
    /// ## Passes
    /// ```yaml
    /// schema: {$ref: "#/components/schemas/Pet"}
    /// ```
    pub UnresolvedRef { code: "APIGW008", name: "unresolved-ref", severity: Error }
}

declare_rule! {
    /// A chain of `$ref`s leads back to itself without ever reaching a value.
    /// ## Why
    /// `A: {$ref: B}`, `B: {$ref: A}` never resolves. (A recursive schema, whose properties refer
    /// back to it, is legal and is not reported.)
    /// ## Fails
    /// ```yaml
    /// components:
    ///   schemas:
    ///     A: {$ref: "#/components/schemas/B"}
    ///     B: {$ref: "#/components/schemas/A"}
    /// ```
    /// ## Passes
    /// ```yaml
    /// components:
    ///   schemas:
    ///     Node: {type: object, properties: {next: {$ref: "#/components/schemas/Node"}}}
    /// ```
    pub RefCycle { code: "APIGW009", name: "ref-cycle", severity: Error }
}

declare_rule! {
    /// A `$ref` points at a URL or outside the document's directory tree.
    /// ## Why
    /// apigw never fetches URLs (checks must be reproducible and offline) and reads only files
    /// below the document's own directory. API Gateway's importer resolves no external
    /// references at all: bundle the document before importing it.
    /// ## Fails
    /// ```yaml
    /// schema: {$ref: "https://example.com/schemas/pet.json"}
    /// ```
    /// ## Passes
    /// ```yaml
    /// schema: {$ref: "./schemas/pet.yaml"}
    /// ```
    pub ExternalRefRefused { code: "APIGW010", name: "external-ref-refused", severity: Error }
}

declare_rule! {
    /// A value has the wrong JSON type.
    /// ## Why
    /// API Gateway's importer rejects, or silently drops, values of the wrong type.
    /// ## Fails
    /// ```yaml
    /// x-amazon-apigateway-binary-media-types: image/png
    /// ```
    /// ## Passes
    /// ```yaml
    /// x-amazon-apigateway-binary-media-types: [image/png]
    /// ```
    pub WrongType { code: "APIGW011", name: "wrong-type", severity: Error }
}

declare_rule! {
    /// A required field is missing.
    /// ## Why
    /// API Gateway's importer refuses an object without its required fields, such as an
    /// integration without `type` or a document without `paths`.
    /// ## Fails
    /// ```yaml
    /// x-amazon-apigateway-integration: {httpMethod: POST, uri: "${fn_arn}"}
    /// ```
    /// ## Passes
    /// ```yaml
    /// x-amazon-apigateway-integration: {type: aws_proxy, httpMethod: POST, uri: "${fn_arn}"}
    /// ```
    pub MissingField { code: "APIGW012", name: "missing-field", severity: Error }
}

declare_rule! {
    /// A field holds a value outside its allowed set.
    /// ## Why
    /// Enumerated fields (integration `type`, `passthroughBehavior`, authorizer `type`, parameter
    /// `in`) accept only the values API Gateway knows.
    /// ## Fails
    /// ```yaml
    /// x-amazon-apigateway-integration: {type: lambda}
    /// ```
    /// ## Passes
    /// ```yaml
    /// x-amazon-apigateway-integration: {type: aws_proxy}
    /// ```
    pub InvalidEnumValue { code: "APIGW013", name: "invalid-enum-value", severity: Error }
}

declare_rule! {
    /// An `x-amazon-apigateway-*` extension that API Gateway does not define, or does not read
    /// where it is written.
    /// ## Why
    /// API Gateway ignores extensions it does not know, so a misspelt one is silently lost: the
    /// integration, validator or policy it was meant to configure is never set. A defined
    /// extension in the wrong place (`x-amazon-apigateway-cors` on an operation,
    /// `x-amazon-apigateway-api-key-source` outside the root) is ignored the same way.
    /// ## Fails
    /// ```yaml
    /// x-amazon-apigateway-integrations: {type: mock}
    /// ```
    /// ## Passes
    /// ```yaml
    /// x-amazon-apigateway-integration: {type: mock}
    /// ```
    pub UnknownExtension { code: "APIGW014", name: "unknown-extension", severity: Warning }
}

declare_rule! {
    /// A field that the enclosing API Gateway extension object does not define.
    /// ## Why
    /// A misspelt field (`timeoutInMilis`, `passThroughBehavior`) is ignored by API Gateway, so
    /// the setting it was meant to make never takes effect.
    /// ## Fails
    /// ```yaml
    /// x-amazon-apigateway-integration: {type: mock, timeoutInMilis: 5000}
    /// ```
    /// ## Passes
    /// ```yaml
    /// x-amazon-apigateway-integration: {type: mock, timeoutInMillis: 5000}
    /// ```
    pub UnknownField { code: "APIGW015", name: "unknown-field", severity: Warning }
}

declare_rule! {
    /// The template includes a spec with `AWS::Include` from a location apigw cannot read.
    /// ## Why
    /// An include from S3 is resolved by CloudFormation at deploy time; apigw reads only local
    /// files, so the included spec is not checked.
    /// ## Fails
    /// ```yaml
    /// DefinitionBody:
    ///   Fn::Transform: {Name: AWS::Include, Parameters: {Location: s3://bucket/api.yaml}}
    /// ```
    /// ## Passes
    /// ```yaml
    /// DefinitionBody:
    ///   Fn::Transform: {Name: AWS::Include, Parameters: {Location: ./api.yaml}}
    /// ```
    pub ExternalInclude { code: "APIGW016", name: "external-include", severity: Info }
}

declare_rule! {
    /// A file named by a `$ref` or an include cannot be read.
    /// ## Why
    /// A reference to a missing file leaves part of the API undefined.
    /// ## Fails
    /// ```yaml
    /// schema: {$ref: "./missing.yaml"}
    /// ```
    /// ## Passes
    /// ```yaml
    /// schema: {$ref: "./schemas/pet.yaml"}
    /// ```
    pub UnreadableFile { code: "APIGW017", name: "unreadable-file", severity: Error }
}

declare_rule! {
    /// A value does not have the form its field requires.
    /// ## Why
    /// Some fields are free text to YAML but structured to API Gateway: a status code must be
    /// three digits, a timeout a whole number, a route key `METHOD /path`.
    /// ## Fails
    /// ```yaml
    /// x-amazon-apigateway-gateway-responses: {DEFAULT_4XX: {statusCode: "4xx"}}
    /// ```
    /// ## Passes
    /// ```yaml
    /// x-amazon-apigateway-gateway-responses: {DEFAULT_4XX: {statusCode: "400"}}
    /// ```
    pub InvalidValue { code: "APIGW018", name: "invalid-value", severity: Error }
}

declare_rule! {
    /// A YAML tag that neither YAML nor CloudFormation defines.
    /// ## Why
    /// CloudFormation understands its short-form tags (`!Ref`, `!Sub`, `!GetAtt`, …) and YAML its
    /// core tags (`!!str` …). Any other tag is rejected by CloudFormation; apigw reads the value
    /// as if it had no tag.
    /// ## Fails
    /// ```yaml
    /// Uri: !Subb "arn:aws:apigateway:${AWS::Region}:lambda:path/…"
    /// ```
    /// ## Passes
    /// ```yaml
    /// Uri: !Sub "arn:aws:apigateway:${AWS::Region}:lambda:path/…"
    /// ```
    pub UnknownYamlTag { code: "APIGW019", name: "unknown-yaml-tag", severity: Warning }
}

declare_rule! {
    /// A value API Gateway's importer skips with a warning.
    /// ## Why
    /// Some values of the wrong type do not fail an import: API Gateway drops them and lists a
    /// warning that nobody reads (imports pass with `failonwarnings=false`, the default). A
    /// mapping written `true` instead of `"'true'"` never reaches the backend.
    /// ## Fails
    /// ```yaml
    /// requestParameters:
    ///   integration.request.header.x-debug: true
    /// ```
    /// ## Passes
    /// ```yaml
    /// requestParameters:
    ///   integration.request.header.x-debug: "'true'"
    /// ```
    pub IgnoredByImporter { code: "APIGW020", name: "ignored-by-importer", severity: Warning }
}

declare_rule! {
    /// Two resources of a template define the same route.
    /// ## Why
    /// API Gateway keeps one method per resource and HTTP method, and one route per route key.
    /// CloudFormation creates the first and fails the stack on the second with a
    /// `ConflictException` ("Method already exists for this resource", "Route with the same
    /// routeKey already exists"), and rolls the whole deployment back.
    /// ## Fails
    /// ```yaml
    /// GetPets: {Type: AWS::ApiGatewayV2::Route, Properties: {ApiId: !Ref Api, RouteKey: GET /pets}}
    /// ListPets: {Type: AWS::ApiGatewayV2::Route, Properties: {ApiId: !Ref Api, RouteKey: GET /pets}}
    /// ```
    /// ## Passes
    /// ```yaml
    /// GetPets: {Type: AWS::ApiGatewayV2::Route, Properties: {ApiId: !Ref Api, RouteKey: GET /pets}}
    /// ```
    pub DuplicateRoute { code: "APIGW021", name: "duplicate-route", severity: Error }
}

/// Every rule declared in this module, in code order.
pub static ALL: &[&RuleMeta] = &[
    SyntaxError::META,
    DuplicateKey::META,
    InputLimitExceeded::META,
    InvalidEncoding::META,
    EmptyDocument::META,
    UnsupportedSpecVersion::META,
    UnrecognizedDocument::META,
    UnresolvedRef::META,
    RefCycle::META,
    ExternalRefRefused::META,
    WrongType::META,
    MissingField::META,
    InvalidEnumValue::META,
    UnknownExtension::META,
    UnknownField::META,
    ExternalInclude::META,
    UnreadableFile::META,
    InvalidValue::META,
    UnknownYamlTag::META,
    IgnoredByImporter::META,
    DuplicateRoute::META,
];
