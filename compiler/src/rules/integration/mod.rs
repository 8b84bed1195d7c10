//! `APIGW1xx`: integrations — the type against the fields it needs, Lambda URIs and methods,
//! timeouts, VPC links, and the fields that belong to one kind of API only.

use crate::ir::{Api, Expr, TemplatePart};
use crate::rules::Rule;

mod aws_integration_uri_malformed;
mod aws_proxy_not_lambda;
mod connection_id_without_vpc_link;
mod integration_http_method_missing;
mod integration_timeout_needs_quota_raise;
mod integration_timeout_out_of_range;
mod integration_uri_missing;
mod lambda_method_not_post;
mod lambda_uri_not_invocation_path;
mod vpc_link_without_connection_id;

pub use aws_integration_uri_malformed::AwsIntegrationUriMalformed;
pub use aws_proxy_not_lambda::AwsProxyNotLambda;
pub use connection_id_without_vpc_link::ConnectionIdWithoutVpcLink;
pub use integration_http_method_missing::IntegrationHttpMethodMissing;
pub use integration_timeout_needs_quota_raise::IntegrationTimeoutNeedsQuotaRaise;
pub use integration_timeout_out_of_range::IntegrationTimeoutOutOfRange;
pub use integration_uri_missing::IntegrationUriMissing;
pub use lambda_method_not_post::LambdaMethodNotPost;
pub use lambda_uri_not_invocation_path::LambdaUriNotInvocationPath;
pub use vpc_link_without_connection_id::VpcLinkWithoutConnectionId;

/// This area's rules, in code order.
pub(super) static RULES: &[&dyn Rule] = &[
    &LambdaMethodNotPost,
    &IntegrationUriMissing,
    &IntegrationHttpMethodMissing,
    &VpcLinkWithoutConnectionId,
    &ConnectionIdWithoutVpcLink,
    &LambdaUriNotInvocationPath,
    &AwsIntegrationUriMalformed,
    &AwsProxyNotLambda,
    &IntegrationTimeoutOutOfRange,
    &IntegrationTimeoutNeedsQuotaRaise,
];

/// The text of `expr` with every deploy-time part replaced by [`HOLE`]; `None` when the whole
/// value is only known at deploy time. Shape checks (an ARN's service, a URL's scheme) read the
/// literal parts and never judge a hole.
pub(crate) fn shape(expr: &Expr) -> Option<String> {
    let text: String = match expr {
        Expr::Literal { value } => value.clone(),
        Expr::Template { parts } => parts
            .iter()
            .map(|part| match part {
                TemplatePart::Text { value } => value.as_str(),
                _ => HOLE,
            })
            .collect(),
        _ => return None,
    };
    // `${AWS::Region}` (resolved by the importer) and `${stageVariables.x}` stay in literal
    // text; they are holes too.
    let mut out = String::with_capacity(text.len());
    let mut rest = text.as_str();
    while let Some(start) = rest.find("${") {
        let (before, after) = rest.split_at(start);
        out.push_str(before);
        match after.find('}') {
            Some(end) => {
                out.push_str(HOLE);
                rest = after.get(end + 1..).unwrap_or_default();
            }
            None => {
                out.push_str(after);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    Some(out)
}

/// Stands for a deploy-time part in [`shape`]'s text.
pub(crate) const HOLE: &str = "\u{1}";

/// The six `:`-separated fields of an ARN (`arn`, partition, service, region, account,
/// resource), the last one keeping its own colons.
pub(crate) fn arn_fields(text: &str) -> Option<[&str; 6]> {
    let mut fields = text.splitn(6, ':');
    let arn = fields.next()?;
    if arn != "arn" {
        return None;
    }
    Some([
        arn,
        fields.next()?,
        fields.next()?,
        fields.next()?,
        fields.next()?,
        fields.next()?,
    ])
}

/// When `text` visibly is a bare Lambda function ARN (`arn:aws:lambda:REGION:ACCOUNT:function:NAME`):
/// its partition and region.
pub(crate) fn bare_function_arn(text: &str) -> Option<(&str, &str)> {
    let [_, partition, service, region, _, resource] = arn_fields(text)?;
    (service == "lambda" && resource.starts_with("function:")).then_some((partition, region))
}

/// Reports `uri` when it visibly is a bare Lambda function ARN where an invocation URI belongs
/// (`field` says which: "`authorizerUri`", "a REST or WebSocket integration"), with the fix that
/// wraps a literal ARN in its invocation URI.
pub(crate) fn report_bare_function_arn(
    rule: &'static crate::rules::RuleMeta,
    uri: &crate::ir::Spanned<Expr>,
    needs: &str,
    out: &mut crate::diagnostic::Report,
) {
    let Some(text) = shape(&uri.value) else {
        return;
    };
    let Some((partition, region)) = bare_function_arn(&text) else {
        return;
    };
    let pending = out
        .push(
            rule,
            &uri.origin,
            format!(
                "`{}` is a Lambda function ARN; {needs}",
                uri.value.display_text()
            ),
        )
        .help("write `arn:aws:apigateway:REGION:lambda:path/2015-03-31/functions/FUNCTION_ARN/invocations`");
    if let Expr::Literal { value } = &uri.value {
        let fixed = format!(
            "arn:{partition}:apigateway:{region}:lambda:path/2015-03-31/functions/{value}/invocations"
        );
        pending.fix(
            "wrap the function ARN in its invocation URI",
            &uri.origin,
            fixed,
        );
    }
}

/// The URIs of the `aws` and `aws_proxy` integrations of a REST or WebSocket API, which must be
/// API Gateway service ARNs (HTTP APIs take other forms, such as a bare function ARN).
pub(crate) fn aws_service_uris(api: &Api) -> impl Iterator<Item = &crate::ir::Spanned<Expr>> {
    api.integrations()
        .filter(move |_| api.kind != crate::ir::ApiKind::Http)
        .filter(|integration| {
            matches!(
                integration.kind,
                Some(crate::ir::IntegrationType::Aws | crate::ir::IntegrationType::AwsProxy)
            )
        })
        .filter_map(|integration| integration.uri.as_ref())
}
