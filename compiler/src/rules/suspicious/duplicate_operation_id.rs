use indexmap::IndexMap;

use crate::declare_rule;
use crate::diagnostic::Report;
use crate::ir::{Api, Route};
use crate::rules::Rule;

declare_rule! {
    /// Two routes have the same `operationId`.
    /// ## Why
    /// OpenAPI requires every `operationId` to be unique in the document. API Gateway uses it
    /// as the method's operation name (REST) or the route's `operationName` (HTTP, WebSocket),
    /// and the SDKs it generates name one function per operation: two operations with one id
    /// give clients a single function, and tools that look operations up by id find only one.
    /// It usually comes from copying an operation and forgetting to rename it.
    /// ## Fails
    /// ```yaml
    /// paths:
    ///   /orders:
    ///     get: {operationId: listOrders}
    ///     post: {operationId: listOrders}
    /// ```
    /// ## Passes
    /// ```yaml
    /// paths:
    ///   /orders:
    ///     get: {operationId: listOrders}
    ///     post: {operationId: createOrder}
    /// ```
    /// ## See
    /// https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-import-api.html
    pub DuplicateOperationId { code: "APIGW805", name: "duplicate-operation-id", severity: Warning }
}

impl Rule for DuplicateOperationId {
    fn check(&self, api: &Api, out: &mut Report) {
        let mut by_id: IndexMap<&str, Vec<&Route>> = IndexMap::new();
        for route in &api.routes {
            if let Some(id) = route.operation_id.as_deref() {
                by_id.entry(id).or_default().push(route);
            }
        }
        for (id, routes) in &by_id {
            let Some((first, rest)) = routes.split_first() else {
                continue;
            };
            for route in rest {
                out.push(
                    Self::META,
                    &route.origin,
                    format!(
                        "route `{}` has operationId `{id}`, which route `{}` already has",
                        route.key, first.key
                    ),
                )
                .help("give each operation its own operationId")
                .related(&first.origin, format!("`{id}` first used here"));
            }
        }
    }
}
