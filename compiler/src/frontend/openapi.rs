//! OpenAPI 3.0 and Swagger 2.0 → IR, with every `x-amazon-apigateway-*` extension typed.

use std::sync::Arc;

use super::{LoadedFile, Session};
use crate::ir::Api;
use crate::pointer::Pointer;

/// Lowers the spec at `base` in `file` (the root for a standalone document, a template's
/// `Body`/`DefinitionBody` for an embedded one). `logical_id` names the template resource that
/// embeds it. Returns `None` when the document is refused (its version, its shape); the reason
/// is in the session's report.
pub(crate) fn lower(
    session: &mut Session<'_>,
    file: &Arc<LoadedFile>,
    base: &Pointer,
    logical_id: Option<&str>,
) -> Option<Api> {
    let _ = (session, file, base, logical_id);
    None
}
