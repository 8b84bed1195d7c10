use crate::declare_rule;
use crate::diagnostic::Report;
use crate::ir::{Api, ApiKind};
use crate::rules::Rule;

declare_rule! {
    /// A WebSocket route selection expression reads like `request.body.x` without its `$`.
    /// ## Why
    /// In a selection expression only `$request.…` and `${request.…}` are evaluated; any other
    /// text is a static value. `request.body.action` therefore selects the route key
    /// `request.body.action` for every message, which no route has, and every message goes to
    /// `$default` (or fails when there is none).
    /// ## Fails
    /// ```yaml
    /// RouteSelectionExpression: request.body.action
    /// ```
    /// ## Passes
    /// ```yaml
    /// RouteSelectionExpression: $request.body.action
    /// ```
    /// ## See
    /// https://docs.aws.amazon.com/apigateway/latest/developerguide/websocket-api-selection-expressions.html
    pub WebsocketRouteSelectionStatic { code: "APIGW311", name: "websocket-route-selection-static", severity: Warning }
}

impl Rule for WebsocketRouteSelectionStatic {
    fn check(&self, api: &Api, out: &mut Report) {
        if api.kind != ApiKind::Websocket {
            return;
        }
        let Some(expression) = &api.route_selection_expression else {
            return;
        };
        let text = expression.trim();
        if !text.contains('$') && (text.starts_with("request.") || text.starts_with("context.")) {
            out.push(
                Self::META,
                &api.origin,
                format!("route selection expression `{text}` has no `$`, so it is the static route key `{text}` for every message"),
            )
            .help(format!("write `${text}`"));
        }
    }
}
