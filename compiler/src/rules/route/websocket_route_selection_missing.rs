use crate::declare_rule;
use crate::diagnostic::Report;
use crate::ir::{Api, ApiKind};
use crate::rules::Rule;

declare_rule! {
    /// A WebSocket API has no route selection expression.
    /// ## Why
    /// A WebSocket API picks the route for each message with its `RouteSelectionExpression`
    /// (usually `$request.body.action`); `CreateApi` requires it for protocol `WEBSOCKET`, and
    /// the CloudFormation resource fails without it.
    /// ## Fails
    /// ```yaml
    /// Chat:
    ///   Type: AWS::ApiGatewayV2::Api
    ///   Properties: {Name: chat, ProtocolType: WEBSOCKET}
    /// ```
    /// ## Passes
    /// ```yaml
    /// Chat:
    ///   Type: AWS::ApiGatewayV2::Api
    ///   Properties: {Name: chat, ProtocolType: WEBSOCKET, RouteSelectionExpression: $request.body.action}
    /// ```
    /// ## See
    /// https://docs.aws.amazon.com/apigateway/latest/developerguide/websocket-api-selection-expressions.html
    pub WebsocketRouteSelectionMissing { code: "APIGW310", name: "websocket-route-selection-missing", severity: Error }
}

impl Rule for WebsocketRouteSelectionMissing {
    fn check(&self, api: &Api, out: &mut Report) {
        if api.kind == ApiKind::Websocket && api.route_selection_expression.is_none() {
            out.push(
                Self::META,
                &api.origin,
                format!("WebSocket API `{}` has no route selection expression", api.name),
            )
            .help("set `RouteSelectionExpression: $request.body.action` (or the JSON field your messages name their action with)");
        }
    }
}
