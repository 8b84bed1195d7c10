use crate::declare_rule;
use crate::diagnostic::Report;
use crate::ir::{Api, ApiKind, GatewayResponse};
use crate::rules::Rule;

declare_rule! {
    /// A REST API sends CORS headers from its methods but not from its DEFAULT_4XX/DEFAULT_5XX gateway responses.
    /// ## Why
    /// When API Gateway itself answers (an authorizer denies the call, the API key is missing,
    /// a request is throttled or the integration times out) the response comes from the
    /// gateway responses, not from the method, and carries none of the method's CORS headers.
    /// The browser then reports a CORS error instead of the 401, 403, 429 or 504, and the
    /// page cannot read the status. Adding `gatewayresponse.header.Access-Control-Allow-Origin`
    /// to `DEFAULT_4XX` and `DEFAULT_5XX` fixes every such answer at once. The rule fires on
    /// APIs whose methods visibly return `Access-Control-Allow-Origin`, which authorize callers
    /// (so that these gateway answers are certain to happen) and which already customise their
    /// gateway responses, where leaving the CORS header out is an oversight.
    /// ## Fails
    /// ```yaml
    /// x-amazon-apigateway-gateway-responses:
    ///   DEFAULT_4XX:
    ///     responseTemplates: {application/json: '{"message": $context.error.messageString}'}
    /// ```
    /// ## Passes
    /// ```yaml
    /// x-amazon-apigateway-gateway-responses:
    ///   DEFAULT_4XX:
    ///     responseParameters:
    ///       gatewayresponse.header.Access-Control-Allow-Origin: "'https://app.example.com'"
    /// ```
    /// ## See
    /// https://docs.aws.amazon.com/apigateway/latest/developerguide/how-to-cors.html
    pub GatewayResponseCorsMissing { code: "APIGW507", name: "gateway-response-cors-missing", severity: Warning }
}

fn sends_allow_origin(response: &GatewayResponse) -> bool {
    response.response_parameters.keys().any(|key| {
        key.strip_prefix("gatewayresponse.header.")
            .is_some_and(|header| header.eq_ignore_ascii_case("Access-Control-Allow-Origin"))
    })
}

impl Rule for GatewayResponseCorsMissing {
    fn check(&self, api: &Api, out: &mut Report) {
        if api.kind != ApiKind::Rest
            || api.gateway_responses.is_empty()
            || !api.routes.iter().any(super::route_sends_allow_origin)
            || !super::any_route_authorized(api)
        {
            return;
        }
        let find = |kind: &str| {
            api.gateway_responses
                .iter()
                .find(|response| response.response_type == kind)
        };
        let mut missing = Vec::new();
        for kind in ["DEFAULT_4XX", "DEFAULT_5XX"] {
            match find(kind) {
                Some(response) if sends_allow_origin(response) => {}
                found => missing.push((kind, found)),
            }
        }
        let Some((_, first)) = missing.first() else {
            return;
        };
        let names: Vec<&str> = missing.iter().map(|(kind, _)| *kind).collect();
        let at = first.map_or(&api.origin, |response| &response.origin);
        let pending = out.push(
            Self::META,
            at,
            format!(
                "the methods answer with `Access-Control-Allow-Origin`, but the {} gateway response{} do{} not: browsers see a CORS error instead of API Gateway's own 4xx/5xx answers",
                names.join(" and "),
                if names.len() > 1 { "s" } else { "" },
                if names.len() > 1 { "" } else { "es" },
            ),
        );
        for (kind, found) in missing.iter().skip(1) {
            if let Some(response) = found {
                pending.related(&response.origin, format!("`{kind}`"));
            }
        }
        pending.help(format!(
            "add `gatewayresponse.header.Access-Control-Allow-Origin: \"'https://app.example.com'\"` to the `responseParameters` of {}",
            names.join(" and ")
        ));
    }
}
