//! The template's index: its parameters, its resources by logical id and type, SAM's `Globals`,
//! and how a property names another resource (`!Ref X`, `!GetAtt X.Attr`, `!Sub "${X}"`).
//!
//! This module only reads the located tree; it neither reports nor builds IR.

use std::collections::BTreeMap;

use camino::Utf8Path;

use crate::frontend::expr;
use crate::load::tree::{Node, Value};
use crate::pointer::Pointer;

/// A node of the template with the pointer that names it.
#[derive(Clone, Debug)]
pub(super) struct Prop<'t> {
    pub node: &'t Node,
    pub pointer: Pointer,
}

impl<'t> Prop<'t> {
    pub fn new(node: &'t Node, pointer: Pointer) -> Self {
        Prop { node, pointer }
    }

    /// The value under `key` when this node is a mapping. `!Ref AWS::NoValue` counts as absent,
    /// as CloudFormation removes the property.
    pub fn get(&self, key: &str) -> Option<Prop<'t>> {
        let node = self.node.get(key)?;
        if is_no_value(node) {
            return None;
        }
        Some(Prop::new(node, self.pointer.join(key)))
    }

    /// The entries of a mapping, in source order (none for any other node).
    pub fn entries(&self) -> Vec<(&'t str, Prop<'t>)> {
        match self.node.as_map() {
            Some(map) => map
                .iter()
                .filter(|(_, node)| !is_no_value(node))
                .map(|(key, node)| (key, Prop::new(node, self.pointer.join(key))))
                .collect(),
            None => Vec::new(),
        }
    }

    /// The items of a sequence, in order (none for any other node).
    pub fn items(&self) -> Vec<Prop<'t>> {
        match self.node.as_seq() {
            Some(items) => items
                .iter()
                .enumerate()
                .filter(|(_, node)| !is_no_value(node))
                .map(|(index, node)| Prop::new(node, self.pointer.index(index)))
                .collect(),
            None => Vec::new(),
        }
    }

    pub fn as_str(&self) -> Option<&'t str> {
        self.node.as_str()
    }

    /// The intrinsic function this node is, if it is one (`Ref`, `Fn::If` …).
    pub fn intrinsic(&self) -> Option<&'t str> {
        expr::intrinsic_name(self.node)
    }

    /// The last segment of the pointer: the property's name, for messages.
    pub fn name(&self) -> String {
        self.pointer.segments().last().unwrap_or_default()
    }
}

/// `{"Ref": "AWS::NoValue"}`: CloudFormation drops the property that holds it.
pub(super) fn is_no_value(node: &Node) -> bool {
    node.get("Ref").and_then(Node::as_str) == Some("AWS::NoValue")
        && node.as_map().is_some_and(|map| map.len() == 1)
}

/// One entry of `Resources`.
#[derive(Clone, Debug)]
pub(super) struct Resource<'t> {
    pub logical_id: &'t str,
    pub kind: &'t str,
    /// `/Resources/<logical id>`.
    pub pointer: Pointer,
    pub node: &'t Node,
    pub properties: Option<Prop<'t>>,
}

impl<'t> Resource<'t> {
    /// The whole resource as a located node (diagnostics and origins about the resource).
    pub fn as_prop(&self) -> Prop<'t> {
        Prop::new(self.node, self.pointer.clone())
    }

    /// A property of the resource itself (SAM's `Globals` are not consulted).
    pub fn property(&self, key: &str) -> Option<Prop<'t>> {
        self.properties.as_ref()?.get(key)
    }
}

/// The parts of a template a front end looks things up in.
#[derive(Debug)]
pub(super) struct Stack<'t> {
    pub path: &'t Utf8Path,
    /// Parameter names with their declarations.
    pub parameters: Vec<(&'t str, &'t Node)>,
    pub resources: Vec<Resource<'t>>,
    /// Position in `resources` by logical id (the first, should a template repeat one).
    index: BTreeMap<&'t str, usize>,
    globals: Option<Prop<'t>>,
}

/// The most resources read from one template. CloudFormation accepts 500 (quotas); ten times
/// that keeps every later pass, some of which pair resources up, fast on any input.
pub(super) const MAX_RESOURCES: usize = 5_000;

/// What is wrong with a template's top-level sections, for the caller to report.
#[derive(Debug)]
pub(super) enum Misshapen<'t> {
    /// A section that is not an object.
    NotAnObject(Prop<'t>),
    /// More resources than [`MAX_RESOURCES`]; the rest are ignored.
    TooManyResources { section: Prop<'t>, count: usize },
}

impl<'t> Stack<'t> {
    /// Indexes `root`. Sections of the wrong type are returned for the caller to report.
    pub fn read(path: &'t Utf8Path, root: &'t Node) -> (Self, Vec<Misshapen<'t>>) {
        let root = Prop::new(root, Pointer::root());
        let mut misshapen = Vec::new();
        let mut parameters = Vec::new();
        if let Some(section) = root.get("Parameters") {
            match section.node.as_map() {
                Some(map) => parameters.extend(map.iter()),
                None if !section.node.is_null() => misshapen.push(Misshapen::NotAnObject(section)),
                None => {}
            }
        }
        let mut resources = Vec::new();
        if let Some(section) = root.get("Resources") {
            if section.node.as_map().is_none() && !section.node.is_null() {
                misshapen.push(Misshapen::NotAnObject(section.clone()));
            }
            let entries = section.entries();
            if entries.len() > MAX_RESOURCES {
                misshapen.push(Misshapen::TooManyResources {
                    section: section.clone(),
                    count: entries.len(),
                });
            }
            for (logical_id, resource) in entries.into_iter().take(MAX_RESOURCES) {
                let Some(kind) = resource.get("Type").and_then(|kind| kind.as_str()) else {
                    continue;
                };
                resources.push(Resource {
                    logical_id,
                    kind,
                    properties: resource.get("Properties"),
                    node: resource.node,
                    pointer: resource.pointer,
                });
            }
        }
        let mut index = BTreeMap::new();
        for (position, resource) in resources.iter().enumerate() {
            index.entry(resource.logical_id).or_insert(position);
        }
        let globals = root
            .get("Globals")
            .filter(|globals| globals.node.as_map().is_some());
        (
            Stack {
                path,
                parameters,
                resources,
                index,
                globals,
            },
            misshapen,
        )
    }

    pub fn resource(&self, logical_id: &str) -> Option<&Resource<'t>> {
        self.resources.get(*self.index.get(logical_id)?)
    }

    /// The resources of one type, in source order.
    pub fn of_type<'s>(&'s self, kind: &'s str) -> impl Iterator<Item = &'s Resource<'t>> + 's {
        self.resources
            .iter()
            .filter(move |resource| resource.kind == kind)
    }

    pub fn is_parameter(&self, name: &str) -> bool {
        self.parameters
            .iter()
            .any(|(declared, _)| *declared == name)
    }

    /// The literal `Default` of a parameter.
    pub fn parameter_default(&self, name: &str) -> Option<String> {
        self.parameters
            .iter()
            .find(|(declared, _)| *declared == name)
            .and_then(|(_, declaration)| declaration.get("Default"))
            .and_then(Node::scalar_text)
    }

    /// The type of the resource named `logical_id`.
    pub fn kind_of(&self, logical_id: &str) -> Option<&'t str> {
        self.resource(logical_id).map(|resource| resource.kind)
    }

    /// A property of a resource, falling back to SAM's `Globals` section for the resource's type
    /// (`Globals.Api`, `Globals.HttpApi`, `Globals.Function`).
    pub fn property(&self, resource: &Resource<'t>, key: &str) -> Option<Prop<'t>> {
        resource
            .property(key)
            .or_else(|| self.global(resource.kind, key))
    }

    /// `Globals.<section>.<key>` for a SAM resource type.
    pub fn global(&self, kind: &str, key: &str) -> Option<Prop<'t>> {
        let section = match kind {
            "AWS::Serverless::Api" => "Api",
            "AWS::Serverless::HttpApi" => "HttpApi",
            "AWS::Serverless::Function" => "Function",
            _ => return None,
        };
        self.globals.as_ref()?.get(section)?.get(key)
    }

    /// The directory the template lives in, against which local includes are resolved.
    pub fn directory(&self) -> &'t Utf8Path {
        self.path.parent().unwrap_or(Utf8Path::new(""))
    }
}

/// The logical id a value names, with the attribute for `Fn::GetAtt`: `{Ref: X}`,
/// `{Fn::GetAtt: [X, Attr]}`, `{Fn::GetAtt: "X.Attr"}`, or a `Fn::Sub` that is exactly `${X}` or
/// `${X.Attr}`. Pseudo parameters (`AWS::Region`) name nothing.
pub(super) fn reference(node: &Node) -> Option<(&str, Option<&str>)> {
    let map = node.as_map()?;
    if map.len() != 1 {
        return None;
    }
    let entry = map.entries.first()?;
    let (id, attribute) = match (entry.key.as_str(), &entry.value.value) {
        ("Ref", Value::String(name)) => (name.as_str(), None),
        ("Fn::GetAtt", Value::Seq(items)) => {
            (items.first()?.as_str()?, Some(items.get(1)?.as_str()?))
        }
        ("Fn::GetAtt", Value::String(text)) => {
            let (id, attribute) = text.split_once('.')?;
            (id, Some(attribute))
        }
        ("Fn::Sub", Value::String(text)) => {
            let inner = text.strip_prefix("${")?.strip_suffix('}')?;
            if inner.contains(['$', '{', '}', '!']) {
                return None;
            }
            match inner.split_once('.') {
                Some((id, attribute)) => (id, Some(attribute)),
                None => (inner, None),
            }
        }
        _ => return None,
    };
    (!id.contains("::")).then_some((id, attribute))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::tree::{Entry, Map, Span};

    fn string(text: &str) -> Node {
        Node::new(Value::String(text.to_owned()), Span::default())
    }

    fn map(key: &str, value: Node) -> Node {
        Node::new(
            Value::Map(Map {
                entries: vec![Entry {
                    key: key.to_owned(),
                    key_span: Span::default(),
                    value,
                }],
            }),
            Span::default(),
        )
    }

    #[test]
    fn references_name_the_resource_and_attribute() {
        assert_eq!(reference(&map("Ref", string("Api"))), Some(("Api", None)));
        assert_eq!(
            reference(&map("Fn::GetAtt", string("Api.RootResourceId"))),
            Some(("Api", Some("RootResourceId")))
        );
        assert_eq!(
            reference(&map(
                "Fn::GetAtt",
                Node::new(
                    Value::Seq(vec![string("Fn"), string("Arn")]),
                    Span::default()
                )
            )),
            Some(("Fn", Some("Arn")))
        );
        assert_eq!(
            reference(&map("Fn::Sub", string("${Fn.Arn}"))),
            Some(("Fn", Some("Arn")))
        );
        assert_eq!(reference(&map("Fn::Sub", string("x-${Fn}"))), None);
        assert_eq!(reference(&map("Ref", string("AWS::Region"))), None);
        assert!(is_no_value(&map("Ref", string("AWS::NoValue"))));
    }
}
