//! Targets: the checked IR → CloudFormation, SAM, Terraform, OpenAPI and emulator configuration.
//! A target reads the IR and nothing else.
