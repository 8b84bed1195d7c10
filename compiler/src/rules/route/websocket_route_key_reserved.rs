use crate::declare_rule;
use crate::diagnostic::Report;
use crate::ir::{Api, ApiKind, RouteKey, SourceFormat};
use crate::rules::Rule;

declare_rule! {
    /// A WebSocket route key starts with `$` but is not `$connect`, `$disconnect` or `$default`.
    /// ## Why
    /// The `$` prefix is reserved for the three predefined WebSocket routes; a custom route key
    /// must not start with it, and API Gateway rejects the route. A misspelt `$conect` is
    /// the usual cause.
    /// ## Fails
    /// ```yaml
    /// Connect: {Type: AWS::ApiGatewayV2::Route, Properties: {ApiId: !Ref Chat, RouteKey: $conect}}
    /// ```
    /// ## Passes
    /// ```yaml
    /// Connect: {Type: AWS::ApiGatewayV2::Route, Properties: {ApiId: !Ref Chat, RouteKey: $connect}}
    /// ```
    /// ## See
    /// https://docs.aws.amazon.com/apigateway/latest/developerguide/websocket-api-develop-routes.html
    pub WebsocketRouteKeyReserved { code: "APIGW312", name: "websocket-route-key-reserved", severity: Error }
}

const PREDEFINED: &[&str] = &["$connect", "$disconnect", "$default"];

impl Rule for WebsocketRouteKeyReserved {
    fn check(&self, api: &Api, out: &mut Report) {
        if api.kind != ApiKind::Websocket || api.format == Some(SourceFormat::Dsl) {
            return;
        }
        for route in &api.routes {
            let RouteKey::Websocket { key } = &route.key else {
                continue;
            };
            if !key.starts_with('$') || PREDEFINED.contains(&key.as_str()) {
                continue;
            }
            let near = PREDEFINED.iter().find(|candidate| {
                candidate.eq_ignore_ascii_case(key) || strsim_close(candidate, key)
            });
            let pending = out.push(
                Self::META,
                &route.origin,
                format!("route key `{key}` starts with `$`, which only `$connect`, `$disconnect` and `$default` may"),
            );
            match near {
                Some(near) => pending.help(format!("did you mean `{near}`?")),
                None => pending.help(format!(
                    "name the action without `$`: `{}`",
                    key.trim_start_matches('$')
                )),
            };
        }
    }
}

/// Whether `a` and `b` differ by at most one inserted or deleted character.
fn strsim_close(a: &str, b: &str) -> bool {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if long.len() != short.len() + 1 {
        return false;
    }
    (0..long.len()).any(|skip| {
        long.char_indices()
            .filter(|(index, _)| *index != skip)
            .map(|(_, c)| c)
            .eq(short.chars())
    })
}
