use crate::declare_rule;
use crate::diagnostic::Report;
use crate::ir::{Api, ApiKind};
use crate::rules::Rule;

const MAX_COMPRESSION_SIZE: i64 = 10_485_760;

declare_rule! {
    /// `x-amazon-apigateway-minimum-compression-size` is outside 0 … 10485760 bytes.
    /// ## Why
    /// A REST API's minimum compression size is a payload size in bytes from 0 (compress every
    /// response) to 10485760 (10 MiB, the largest payload). The import and `UpdateRestApi`
    /// reject anything else with `Invalid minimum compression size, must be between 0 and
    /// 10485760`. To turn compression off, leave the setting out.
    /// ## Fails
    /// ```yaml
    /// x-amazon-apigateway-minimum-compression-size: -1
    /// ```
    /// ## Passes
    /// ```yaml
    /// x-amazon-apigateway-minimum-compression-size: 1024
    /// ```
    /// ## See
    /// https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-openapi-minimum-compression-size.html
    pub MinimumCompressionSizeOutOfRange { code: "APIGW613", name: "minimum-compression-size-out-of-range", severity: Error }
}

impl Rule for MinimumCompressionSizeOutOfRange {
    fn check(&self, api: &Api, out: &mut Report) {
        if api.kind != ApiKind::Rest {
            return;
        }
        let Some(size) = &api.minimum_compression_size else {
            return;
        };
        if !(0..=MAX_COMPRESSION_SIZE).contains(&size.value) {
            out.push(
                Self::META,
                &size.origin,
                format!("minimum compression size {} bytes is outside 0 … {MAX_COMPRESSION_SIZE}", size.value),
            )
            .help("give a size from 0 to 10485760 bytes, or leave the setting out to turn compression off");
        }
    }
}
