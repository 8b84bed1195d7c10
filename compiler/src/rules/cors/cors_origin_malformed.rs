use crate::declare_rule;
use crate::diagnostic::Report;
use crate::ir::{Api, ApiKind};
use crate::rules::Rule;

declare_rule! {
    /// An HTTP API's CORS `allowOrigins` entry is not `*` or `scheme://host[:port]`.
    /// ## Why
    /// A browser sends `Origin: https://app.example.com`: a scheme, a host and maybe a port,
    /// never a path and never a trailing `/`. API Gateway compares that header with each entry
    /// of `allowOrigins` (which may be `*`, or use `*` in the host as in `https://*`), and
    /// answers without CORS headers when none matches. An entry such as
    /// `https://app.example.com/` or `app.example.com` therefore matches no browser, and every
    /// cross-origin call fails with a CORS error.
    /// ## Fails
    /// ```yaml
    /// x-amazon-apigateway-cors:
    ///   allowOrigins: ["https://app.example.com/"]
    /// ```
    /// ## Passes
    /// ```yaml
    /// x-amazon-apigateway-cors:
    ///   allowOrigins: ["https://app.example.com", "http://localhost:3000"]
    /// ```
    /// ## See
    /// https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-cors.html
    pub CorsOriginMalformed { code: "APIGW504", name: "cors-origin-malformed", severity: Warning }
}

/// Why `origin` can never equal a browser's `Origin` header, if it cannot.
fn problem(origin: &str) -> Option<&'static str> {
    // `null` is what browsers send from `file:` pages and sandboxed frames.
    if origin == "*" || origin == "null" {
        return None;
    }
    let Some((scheme, rest)) = origin.split_once("://") else {
        return Some("it has no scheme");
    };
    if scheme.is_empty()
        || !scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
    {
        return Some("its scheme is not one");
    }
    if rest.is_empty() {
        return Some("it has no host");
    }
    if rest.ends_with('/') {
        return Some("it ends with `/`, which an `Origin` header never does");
    }
    if rest.contains('/') {
        return Some("it has a path, which an `Origin` header never has");
    }
    if rest.contains(|c: char| c.is_whitespace() || matches!(c, '?' | '#' | ',')) {
        return Some("it holds characters no host has");
    }
    None
}

impl Rule for CorsOriginMalformed {
    fn check(&self, api: &Api, out: &mut Report) {
        if api.kind != ApiKind::Http {
            return;
        }
        let Some(cors) = &api.cors else {
            return;
        };
        for origin in &cors.allow_origins {
            if origin.contains("${") {
                continue;
            }
            let Some(problem) = problem(origin) else {
                continue;
            };
            let help = match origin.strip_suffix('/') {
                Some(trimmed) if problem.starts_with("it ends") && problem_free(trimmed) => {
                    format!("write `{trimmed}`")
                }
                _ => "write the origin as the browser sends it: `https://app.example.com` (or `*`)"
                    .to_owned(),
            };
            out.push(
                Self::META,
                &cors.origin,
                format!(
                    "CORS origin `{origin}` can never match a browser's `Origin` header: {problem}"
                ),
            )
            .help(help);
        }
    }
}

fn problem_free(origin: &str) -> bool {
    problem(origin).is_none()
}
