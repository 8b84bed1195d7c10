//! Specs that a template embeds (`Body`, `DefinitionBody`) or includes (`Fn::Transform:
//! AWS::Include`, `BodyS3Location`, `DefinitionUri`). An inline spec and a local include are
//! handed to the OpenAPI front end, so every one is checked; a spec that only exists at deploy
//! time (S3, a URL, an intrinsic) is reported as not checked and never guessed at.
//!
//! Local includes are read only below the template's own directory.

use std::sync::Arc;

use camino::{Utf8Component, Utf8Path, Utf8PathBuf};

use crate::diagnostic::At;
use crate::frontend::{openapi, LoadedFile};
use crate::ir::{Api, ApiKind};
use crate::pointer::Pointer;
use crate::rules::structure;

use super::read::Cx;
use super::stack::{Prop, Resource, Stack};

/// What a resource says about its spec.
#[derive(Debug)]
pub(super) enum Definition {
    /// The spec was lowered (it may still have diagnostics).
    Spec(Box<Api>),
    /// The resource has no spec: it is defined by its properties and other resources.
    Absent,
    /// There is a spec, but it cannot be read now (deploy-time, remote, unreadable, refused).
    /// The reason has been reported.
    Unchecked,
}

/// Where an include's location leads.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum IncludeTarget {
    /// A file below the template's directory.
    Local(Utf8PathBuf),
    /// S3 or another URL: read by CloudFormation at deploy time.
    Remote,
    /// An absolute path, or one that climbs out of the template's directory.
    Outside,
}

/// Resolves an include location against the template's directory, lexically.
pub(super) fn resolve_location(directory: &Utf8Path, location: &str) -> IncludeTarget {
    let location = location.trim();
    if location.contains("://") || location.to_ascii_lowercase().starts_with("s3:") {
        return IncludeTarget::Remote;
    }
    let mut parts: Vec<&str> = Vec::new();
    for component in Utf8Path::new(location).components() {
        match component {
            Utf8Component::Normal(part) => parts.push(part),
            Utf8Component::CurDir => {}
            Utf8Component::ParentDir => {
                if parts.pop().is_none() {
                    return IncludeTarget::Outside;
                }
            }
            Utf8Component::RootDir | Utf8Component::Prefix(_) => return IncludeTarget::Outside,
        }
    }
    if parts.is_empty() {
        return IncludeTarget::Outside;
    }
    let mut path = directory.to_owned();
    for part in parts {
        path.push(part);
    }
    IncludeTarget::Local(path)
}

/// Reads the spec of an API resource: `body_key` holds it inline (or an `AWS::Include`),
/// `location_key` names a file or an S3 object.
pub(super) fn lower_definition(
    cx: &mut Cx<'_, '_>,
    stack: &Stack<'_>,
    file: &Arc<LoadedFile>,
    resource: &Resource<'_>,
    (body_key, location_key): (&str, &str),
    kind: ApiKind,
) -> Definition {
    if let Some(body) = resource.property(body_key) {
        return lower_body(cx, stack, file, resource, &body, kind);
    }
    let Some(location) = resource.property(location_key) else {
        return Definition::Absent;
    };
    if let Some(text) = location.as_str() {
        return include(cx, stack, resource, &location, text, kind);
    }
    if location.intrinsic().is_some() {
        let shown = cx.text(&location).unwrap_or_default();
        deploy_time(cx, resource, &location, &shown);
        return Definition::Unchecked;
    }
    if location.node.as_map().is_some() {
        // `{Bucket, Key, Version}`: an S3 object.
        let bucket = location
            .get("Bucket")
            .and_then(|bucket| cx.text(&bucket))
            .unwrap_or_default();
        let key = location
            .get("Key")
            .and_then(|key| cx.text(&key))
            .unwrap_or_default();
        let shown = format!("s3://{bucket}/{key}");
        remote(cx, resource, &location, &shown);
        return Definition::Unchecked;
    }
    cx.wrong_type(&location, "a string or an object");
    Definition::Unchecked
}

fn lower_body(
    cx: &mut Cx<'_, '_>,
    stack: &Stack<'_>,
    file: &Arc<LoadedFile>,
    resource: &Resource<'_>,
    body: &Prop<'_>,
    kind: ApiKind,
) -> Definition {
    // `Fn::Transform` may stand beside placeholder keys that only keep `sam validate` quiet;
    // CloudFormation replaces the whole object with the included document.
    if let Some(transform) = body.get("Fn::Transform") {
        return transform_include(cx, stack, resource, &transform, kind);
    }
    if let Some(function) = body.intrinsic() {
        cx.report(
            structure::ExternalInclude::META,
            body,
            format!(
                "the spec of `{}` is chosen at deploy time by `{function}`; apigw cannot tell \
                 which one deploys, so it is not checked",
                resource.logical_id
            ),
        )
        .help("check each candidate spec on its own with `apigw check`");
        return Definition::Unchecked;
    }
    if body.node.as_map().is_some() {
        return lower_spec(cx, file, &body.pointer, resource.logical_id, kind);
    }
    if body.node.as_str().is_some() {
        cx.report(
            structure::ExternalInclude::META,
            body,
            format!(
                "the spec of `{}` is written as a JSON string, which apigw does not read, so it \
                 is not checked",
                resource.logical_id
            ),
        )
        .help("write the spec as a YAML or JSON object, or include it with `AWS::Include`");
        return Definition::Unchecked;
    }
    cx.wrong_type(body, "an object");
    Definition::Unchecked
}

/// `Fn::Transform: {Name: AWS::Include, Parameters: {Location: …}}`.
fn transform_include(
    cx: &mut Cx<'_, '_>,
    stack: &Stack<'_>,
    resource: &Resource<'_>,
    transform: &Prop<'_>,
    kind: ApiKind,
) -> Definition {
    let name = transform.get("Name").and_then(|name| name.as_str());
    if name != Some("AWS::Include") {
        let shown = name.unwrap_or("a macro");
        cx.report(
            structure::ExternalInclude::META,
            transform,
            format!(
                "the spec of `{}` is produced at deploy time by the transform `{shown}`, so it \
                 is not checked",
                resource.logical_id
            ),
        )
        .help("include the spec with `AWS::Include` from a local file to have it checked");
        return Definition::Unchecked;
    }
    let Some(location) = transform
        .get("Parameters")
        .and_then(|parameters| parameters.get("Location"))
    else {
        cx.report(
            structure::MissingField::META,
            transform,
            "`AWS::Include` has no `Parameters.Location`",
        )
        .help("name the file to include: `Parameters: {Location: ./api.yaml}`");
        return Definition::Unchecked;
    };
    match location.as_str() {
        Some(text) => include(cx, stack, resource, &location, text, kind),
        None if location.intrinsic().is_some() => {
            let shown = cx.text(&location).unwrap_or_default();
            deploy_time(cx, resource, &location, &shown);
            Definition::Unchecked
        }
        None => {
            cx.wrong_type(&location, "a string");
            Definition::Unchecked
        }
    }
}

/// Follows a literal include location.
fn include(
    cx: &mut Cx<'_, '_>,
    stack: &Stack<'_>,
    resource: &Resource<'_>,
    location: &Prop<'_>,
    text: &str,
    kind: ApiKind,
) -> Definition {
    match resolve_location(stack.directory(), text) {
        IncludeTarget::Remote => {
            remote(cx, resource, location, text);
            Definition::Unchecked
        }
        IncludeTarget::Outside => {
            cx.report(
                structure::ExternalInclude::META,
                location,
                format!(
                    "`{text}` lies outside the template's directory; apigw reads only files \
                     below it, so the spec of `{}` is not checked",
                    resource.logical_id
                ),
            )
            .help("run `apigw check` on that spec itself, or keep it below the template");
            Definition::Unchecked
        }
        IncludeTarget::Local(path) => {
            let requested = At::Node(cx.file, location.pointer.clone());
            let Some(included) = cx.session.load(&path, Some(requested)) else {
                return Definition::Unchecked;
            };
            if included.root.is_none() {
                return Definition::Unchecked;
            }
            lower_spec(cx, &included, &Pointer::root(), resource.logical_id, kind)
        }
    }
}

fn lower_spec(
    cx: &mut Cx<'_, '_>,
    file: &Arc<LoadedFile>,
    base: &Pointer,
    logical_id: &str,
    kind: ApiKind,
) -> Definition {
    match openapi::lower(cx.session, file, base, Some(logical_id), Some(kind)) {
        Some(api) => Definition::Spec(Box::new(api)),
        None => Definition::Unchecked,
    }
}

fn remote(cx: &mut Cx<'_, '_>, resource: &Resource<'_>, location: &Prop<'_>, shown: &str) {
    cx.report(
        structure::ExternalInclude::META,
        location,
        format!(
            "the spec of `{}` is read from `{shown}` at deploy time; apigw reads only local \
             files, so it is not checked",
            resource.logical_id
        ),
    )
    .help("keep the spec beside the template and include it by relative path (`./api.yaml`) to have it checked");
}

fn deploy_time(cx: &mut Cx<'_, '_>, resource: &Resource<'_>, location: &Prop<'_>, shown: &str) {
    cx.report(
        structure::ExternalInclude::META,
        location,
        format!(
            "the spec of `{}` is included from `{shown}`, a location known only at deploy \
             time, so it is not checked",
            resource.logical_id
        ),
    )
    .help("include the spec by a literal relative path (`./api.yaml`) to have it checked");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locations_resolve_below_the_template_only() {
        let directory = Utf8Path::new("stacks/api");
        assert_eq!(
            resolve_location(directory, "./specs/../openapi.yaml"),
            IncludeTarget::Local(Utf8PathBuf::from("stacks/api/openapi.yaml"))
        );
        assert_eq!(
            resolve_location(Utf8Path::new(""), "api.yaml"),
            IncludeTarget::Local(Utf8PathBuf::from("api.yaml"))
        );
        assert_eq!(
            resolve_location(directory, "../openapi.yaml"),
            IncludeTarget::Outside
        );
        assert_eq!(
            resolve_location(directory, "/etc/passwd"),
            IncludeTarget::Outside
        );
        assert_eq!(
            resolve_location(directory, "s3://bucket/api.yaml"),
            IncludeTarget::Remote
        );
        assert_eq!(
            resolve_location(directory, "https://example.com/api.yaml"),
            IncludeTarget::Remote
        );
    }
}
