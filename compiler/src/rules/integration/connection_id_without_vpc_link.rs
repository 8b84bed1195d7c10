use crate::declare_rule;
use crate::diagnostic::Report;
use crate::ir::Api;
use crate::rules::Rule;

declare_rule! {
    /// An integration names a VPC link in `connectionId` but does not go through it.
    /// ## Why
    /// `connectionId` is used only when `connectionType` is `VPC_LINK`; the default connection
    /// type is `INTERNET`, which calls the URI over the public internet and ignores the id. A
    /// `connectionId` without `connectionType: VPC_LINK` almost always means the private
    /// integration was meant and the backend will not be reached (or will be reached publicly).
    /// ## Fails
    /// ```yaml
    /// x-amazon-apigateway-integration:
    ///   type: http_proxy
    ///   httpMethod: ANY
    ///   uri: https://internal.example.com/pets
    ///   connectionId: abc123
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
    pub ConnectionIdWithoutVpcLink { code: "APIGW105", name: "connection-id-without-vpc-link", severity: Warning }
}

impl Rule for ConnectionIdWithoutVpcLink {
    fn check(&self, api: &Api, out: &mut Report) {
        for integration in api.integrations() {
            let Some(connection_id) = &integration.connection_id else {
                continue;
            };
            let via_link = integration
                .connection_type
                .as_ref()
                .is_some_and(|kind| kind.value.eq_ignore_ascii_case("VPC_LINK"));
            if via_link {
                continue;
            }
            let found = integration
                .connection_type
                .as_ref()
                .map_or("absent, so `INTERNET`".to_owned(), |kind| {
                    format!("`{}`", kind.value)
                });
            out.push(
                Self::META,
                &connection_id.origin,
                format!("`connectionId` is given but `connectionType` is {found}; the VPC link is not used"),
            )
            .help("add `connectionType: VPC_LINK`, or remove `connectionId`");
        }
    }
}
