//! What every infrastructure target (CloudFormation, SAM, Terraform) decides the same way, as
//! data each target then writes in its own language: which Lambda permissions to grant and how
//! wide ([`permissions`]), the content hash that names a REST deployment ([`deployment`]), and
//! the changes that make CORS work end to end once deployed ([`cors`]).
//!
//! Nothing here writes a file or knows a target's syntax.

pub mod cors;
pub mod deployment;
pub mod permissions;

pub use cors::{prepare_cors, CorsPlan};
pub use deployment::DeploymentHash;
pub use permissions::{plan_permissions, FunctionPermissions, Grant, GrantKind, PermissionScope};
