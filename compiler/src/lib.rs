//! apigw's compiler: loads YAML/JSON into a located tree, lowers OpenAPI 3.0, Swagger 2.0,
//! CloudFormation/SAM templates (and later the DSL) into one IR, and checks it.
//!
//! Nothing here knows about terminals, sockets, CloudFormation output or Terraform: the crate
//! returns data (IR and diagnostics) and the callers render it.

pub mod config;
pub mod diagnostic;
pub mod frontend;
pub mod ir;
pub(crate) mod load;
pub mod pointer;
pub mod rules;
pub mod source;

pub use diagnostic::{Diagnostic, Severity};
pub use frontend::{compile, compile_then, Compilation, Options, SourceFile};
#[doc(hidden)]
pub use load::measure as measure_load;
#[doc(hidden)]
pub use load::yaml_reader as measure_yaml_reader;
pub use source::{FileId, FsWorld, MemoryWorld, World};
