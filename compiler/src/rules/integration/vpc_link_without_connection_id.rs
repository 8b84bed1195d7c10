use crate::declare_rule;
use crate::diagnostic::Report;
use crate::ir::Api;
use crate::rules::Rule;

declare_rule! {
    /// A private integration (`connectionType: VPC_LINK`) names no VPC link.
    /// ## Why
    /// With `connectionType: VPC_LINK` API Gateway reaches the backend through the VPC link
    /// whose id is in `connectionId` (or a `${stageVariables.x}` holding it). Without
    /// `connectionId` the integration is refused: `PutIntegration` and CloudFormation require
    /// the id whenever the connection type is `VPC_LINK`.
    /// ## Fails
    /// ```yaml
    /// x-amazon-apigateway-integration:
    ///   type: http_proxy
    ///   httpMethod: ANY
    ///   uri: https://internal.example.com/pets
    ///   connectionType: VPC_LINK
    /// ```
    /// ## Passes
    /// ```yaml
    /// x-amazon-apigateway-integration:
    ///   type: http_proxy
    ///   httpMethod: ANY
    ///   uri: https://internal.example.com/pets
    ///   connectionType: VPC_LINK
    ///   connectionId: abc123
    /// ```
    /// ## See
    /// https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-private-integration.html
    pub VpcLinkWithoutConnectionId { code: "APIGW104", name: "vpc-link-without-connection-id", severity: Error }
}

impl Rule for VpcLinkWithoutConnectionId {
    fn check(&self, api: &Api, out: &mut Report) {
        for integration in api.integrations() {
            let Some(connection_type) = &integration.connection_type else {
                continue;
            };
            if connection_type.value.eq_ignore_ascii_case("VPC_LINK")
                && integration.connection_id.is_none()
            {
                out.push(
                    Self::META,
                    &connection_type.origin,
                    "`connectionType` is `VPC_LINK` but the integration has no `connectionId`",
                )
                .help("set `connectionId` to the VPC link's id (or `${stageVariables.vpcLinkId}`)");
            }
        }
    }
}
