//! Resources-mode templates over CloudFormation's 500 resources: the routes move into nested
//! stacks (`AWS::CloudFormation::Stack` with a relative `TemplateURL`), grouped by path so that a
//! route keeps its stack when routes elsewhere are added. The parent keeps the API, everything
//! API-wide, the deployment and the stages.
//!
//! This module only rearranges a finished template: it moves resources and turns the references
//! that cross a template boundary into stack parameters and outputs. It decides no property.

use std::collections::{BTreeMap, BTreeSet};

use indexmap::IndexMap;
use rayon::prelude::*;
use serde_json::{json, Map, Value};

use crate::{FastMap, FastSet};

use super::limits::MAX_RESOURCES;
use super::names::{pascal_case, LogicalIds};

/// Resources per nested stack: under the 500 of CloudFormation's quota, with headroom for a
/// path that grows by a few methods before the grouping changes.
pub(crate) const CHILD_BUDGET: usize = 450;

/// Paths deeper than this are not split further (no real API nests so deep).
const MAX_DEPTH: usize = 32;

/// One nested stack's template.
pub(crate) struct Child {
    /// The file, relative to the parent template (also its `TemplateURL`).
    pub path: String,
    pub template: Value,
}

/// A reference from one template to a logical id: `Ref` (no attribute) or `Fn::GetAtt`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Reference {
    id: String,
    attribute: Option<String>,
}

impl Reference {
    fn found(&self) -> Found<'_> {
        Found {
            id: &self.id,
            attribute: self.attribute.as_deref(),
        }
    }

    /// The parameter (in the referring stack) or output (in the owning stack) that carries it.
    fn carrier(&self) -> String {
        self.found().carrier()
    }

    fn expression(&self) -> Value {
        self.found().expression()
    }
}

/// A reference as it stands in a template, borrowed from it.
#[derive(Clone, Copy, Debug)]
struct Found<'a> {
    id: &'a str,
    attribute: Option<&'a str>,
}

impl Found<'_> {
    fn to_owned(self) -> Reference {
        Reference {
            id: self.id.to_owned(),
            attribute: self.attribute.map(str::to_owned),
        }
    }

    fn carrier(self) -> String {
        match self.attribute {
            None => self.id.to_owned(),
            Some(attribute) => format!("{}{}", self.id, pascal_case(attribute)),
        }
    }

    fn expression(self) -> Value {
        match self.attribute {
            None => json!({"Ref": self.id}),
            Some(attribute) => json!({"Fn::GetAtt": [self.id, attribute]}),
        }
    }
}

/// How a reference is written after the move.
enum Rewrite {
    Keep,
    /// In a child: a stack parameter.
    Parameter(String),
    /// In the parent: an output of the child stack that now holds the resource.
    Output {
        stack: String,
        output: String,
    },
}

struct Group {
    prefix: Vec<String>,
    members: Vec<String>,
}

/// Splits `template` when it holds more than 500 resources and `placement` (logical id → the
/// route path it belongs to) moves enough of them out. Returns the children, empty when the
/// template stays whole. `dir` is the folder of the children relative to the parent.
pub(crate) fn split(
    template: &mut Map<String, Value>,
    placement: &IndexMap<String, String>,
    api_id: &str,
    ids: &mut LogicalIds,
    label: &str,
    dir: &str,
    extension: &str,
) -> Vec<Child> {
    let Some(Value::Object(slot)) = template.get_mut("Resources") else {
        return Vec::new();
    };
    if slot.len() <= MAX_RESOURCES {
        return Vec::new();
    }
    let mut resources: IndexMap<String, Value> = std::mem::take(slot).into_iter().collect();
    let segments_of: fn(&str) -> Vec<String> = |path| {
        path.split('/')
            .filter(|segment| !segment.is_empty())
            .map(str::to_owned)
            .collect()
    };
    let mut placed: Vec<(String, Vec<String>)> = resources
        .keys()
        .filter_map(|id| {
            let segments = segments_of(placement.get(id)?);
            (!segments.is_empty()).then(|| (id.clone(), segments))
        })
        .collect();
    placed.extend(model_homes(&mut resources, placement, segments_of));
    let groups = group(&placed, 0);

    // Which stack each moved resource goes to.
    // Only looked up, never iterated, so a hash map cannot change the output's order.
    let mut owner: FastMap<String, String> = FastMap::default();
    let mut stacks: Vec<(String, String, Group)> = Vec::new();
    for group in groups {
        let source = format!("/{}", group.prefix.join("/"));
        let stack_id = ids.claim(
            &format!("{api_id}Routes{}", pascal_case(&source)),
            &format!("stack {source}"),
        );
        for member in &group.members {
            owner.insert(member.clone(), stack_id.clone());
        }
        let path = format!("{dir}{stack_id}.{extension}");
        stacks.push((stack_id, path, group));
    }

    let types: FastMap<String, String> = resources
        .iter()
        .map(|(id, resource)| {
            let kind = resource.get("Type").and_then(Value::as_str).unwrap_or("");
            (id.clone(), kind.to_owned())
        })
        .collect();
    let parameters = template
        .get("Parameters")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    let conditions = template
        .get("Conditions")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();

    // Each child's resources, parameters and what it needs from the others.
    struct Draft {
        stack_id: String,
        path: String,
        prefix: String,
        resources: Map<String, Value>,
        conditions: Map<String, Value>,
        needs: BTreeSet<Reference>,
        depends: Vec<String>,
        outputs: BTreeMap<String, Value>,
    }
    // Each group's members as positions in the template, in template order. A resource moves
    // out of the parent's map when the last group that holds it takes it; the parent skips
    // every moved resource, so nothing reads it there again.
    let positions: Vec<Vec<usize>> = stacks
        .iter()
        .map(|(_, _, group)| {
            let mut positions: Vec<usize> = group
                .members
                .iter()
                .filter_map(|id| resources.get_index_of(id))
                .collect();
            positions.sort_unstable();
            positions.dedup();
            positions
        })
        .collect();
    let mut uses = vec![0usize; resources.len()];
    for position in positions.iter().flatten() {
        if let Some(count) = uses.get_mut(*position) {
            *count += 1;
        }
    }
    // Each group's resources leave the parent's map in template order; a resource that several
    // groups hold is copied for all but the last.
    let mut moved: Vec<Vec<(String, Value)>> = Vec::with_capacity(stacks.len());
    for positions in &positions {
        let mut taken = Vec::with_capacity(positions.len());
        for position in positions {
            let Some((id, slot)) = resources.get_index_mut(*position) else {
                continue;
            };
            let resource = match uses.get_mut(*position) {
                Some(count) if *count > 1 => {
                    *count -= 1;
                    slot.clone()
                }
                _ => std::mem::take(slot),
            };
            taken.push((id.clone(), resource));
        }
        moved.push(taken);
    }
    // The children are rewritten independently, on all cores, and collected in order.
    let mut drafts: Vec<Draft> = stacks
        .par_iter()
        .zip(moved)
        .map(|((stack_id, path, group), taken)| {
            let members: FastSet<&str> = group.members.iter().map(String::as_str).collect();
            let mut child_resources = Map::with_capacity(taken.len());
            let mut needs = BTreeSet::new();
            let mut depends = Vec::new();
            let mut used_conditions = BTreeSet::new();
            for (id, mut resource) in taken {
                rewrite_references(&mut resource, &mut |reference| {
                    if members.contains(reference.id) {
                        return Rewrite::Keep;
                    }
                    let owned = reference.to_owned();
                    let rewrite = if reference.attribute.is_none() {
                        Rewrite::Keep
                    } else {
                        Rewrite::Parameter(owned.carrier())
                    };
                    needs.insert(owned);
                    rewrite
                });
                if let Some(object) = resource.as_object_mut() {
                    // A dependency on a resource of another template becomes the stack's.
                    let names = depends_on(object);
                    let (inside, outside): (Vec<String>, Vec<String>) = names
                        .into_iter()
                        .partition(|name| members.contains(name.as_str()));
                    set_depends_on(object, inside);
                    depends.extend(outside);
                    if let Some(condition) = object.get("Condition").and_then(Value::as_str) {
                        used_conditions.insert(condition.to_owned());
                    }
                }
                collect_conditions(&resource, &mut used_conditions);
                child_resources.insert(id, resource);
            }
            let mut child_conditions = Map::new();
            for name in used_conditions {
                if let Some(definition) = conditions.get(&name) {
                    let mut definition = definition.clone();
                    rewrite_references(&mut definition, &mut |reference| {
                        needs.insert(reference.to_owned());
                        Rewrite::Keep
                    });
                    child_conditions.insert(name, definition);
                }
            }
            Draft {
                stack_id: stack_id.clone(),
                path: path.clone(),
                prefix: format!("/{}", group.prefix.join("/")),
                resources: child_resources,
                conditions: child_conditions,
                needs,
                depends,
                outputs: BTreeMap::new(),
            }
        })
        .collect();

    // The parent passes each child what it needs: its own parameters and resources directly,
    // another child's resources through that child's outputs.
    let mut stack_resources: BTreeMap<String, Value> = BTreeMap::new();
    // (stack, output, value): what a child must export for the parent or another child.
    let mut exports: Vec<(String, String, Value)> = Vec::new();
    for draft in &drafts {
        let mut passed = Map::new();
        let mut stack_depends: Vec<String> = Vec::new();
        for reference in &draft.needs {
            if reference.id.starts_with("AWS::") {
                continue;
            }
            let carrier = reference.carrier();
            let value = match owner.get(&reference.id) {
                Some(stack) => {
                    exports.push((stack.clone(), carrier.clone(), reference.expression()));
                    json!({"Fn::GetAtt": [stack, format!("Outputs.{carrier}")]})
                }
                None => reference.expression(),
            };
            passed.insert(carrier, value);
        }
        for name in &draft.depends {
            let target = owner.get(name).unwrap_or(name);
            if !stack_depends.contains(target) && *target != draft.stack_id {
                stack_depends.push(target.clone());
            }
        }
        let mut properties = Map::new();
        properties.insert("TemplateURL".into(), json!(draft.path));
        if !passed.is_empty() {
            properties.insert("Parameters".into(), Value::Object(passed));
        }
        let mut resource = Map::new();
        resource.insert("Type".into(), json!("AWS::CloudFormation::Stack"));
        set_depends_on(&mut resource, stack_depends);
        resource.insert("Properties".into(), Value::Object(properties));
        stack_resources.insert(draft.stack_id.clone(), Value::Object(resource));
    }
    // The parent: moved resources replaced by their stacks, references to them by outputs.
    let all_stacks: Vec<String> = drafts.iter().map(|draft| draft.stack_id.clone()).collect();
    // A reference in the parent to a moved resource reads the output of the stack that holds it.
    let mut to_output = |reference: Found<'_>| match owner.get(reference.id) {
        Some(stack) => {
            let output = reference.carrier();
            exports.push((stack.clone(), output.clone(), reference.expression()));
            Rewrite::Output {
                stack: stack.clone(),
                output,
            }
        }
        None => Rewrite::Keep,
    };
    let mut parent = Map::new();
    for (id, resource) in resources {
        if let Some(stack) = owner.get(&id) {
            if !parent.contains_key(stack) {
                if let Some(stack_resource) = stack_resources.remove(stack) {
                    parent.insert(stack.clone(), stack_resource);
                }
            }
            continue;
        }
        let mut resource = resource;
        rewrite_references(&mut resource, &mut to_output);
        if let Some(object) = resource.as_object_mut() {
            let mut names: Vec<String> = Vec::new();
            for name in depends_on(object) {
                let target = owner.get(&name).cloned().unwrap_or(name);
                if !names.contains(&target) {
                    names.push(target);
                }
            }
            // The deployment snapshots the API: every method, in whichever stack, first.
            let kind = object.get("Type").and_then(Value::as_str).unwrap_or("");
            if kind == "AWS::ApiGateway::Deployment" || kind == "AWS::ApiGatewayV2::Deployment" {
                for stack in &all_stacks {
                    if !names.contains(stack) {
                        names.push(stack.clone());
                    }
                }
            }
            set_depends_on(object, names);
        }
        parent.insert(id, resource);
    }
    if let Some(Value::Object(outputs)) = template.get_mut("Outputs") {
        for output in outputs.values_mut() {
            rewrite_references(output, &mut to_output);
        }
    }
    // Stack ids are claimed, so each names one draft.
    let draft_index: FastMap<String, usize> = drafts
        .iter()
        .enumerate()
        .map(|(index, draft)| (draft.stack_id.clone(), index))
        .collect();
    for (stack, output, value) in exports {
        if let Some(draft) = draft_index
            .get(&stack)
            .and_then(|index| drafts.get_mut(*index))
        {
            draft.outputs.insert(output, value);
        }
    }
    if let Some(slot) = template.get_mut("Resources") {
        *slot = Value::Object(parent);
    }

    drafts
        .into_par_iter()
        .map(|draft| {
            let mut child = Map::new();
            child.insert("AWSTemplateFormatVersion".into(), json!("2010-09-09"));
            child.insert(
                "Description".into(),
                json!(format!(
                    "{label}: the routes under {} (nested stack)",
                    draft.prefix
                )),
            );
            let mut child_parameters = Map::new();
            for reference in &draft.needs {
                if reference.id.starts_with("AWS::") {
                    continue;
                }
                let carrier = reference.carrier();
                let description = match (&reference.attribute, parameters.get(&reference.id)) {
                    (None, Some(parameter)) => parameter
                        .get("Description")
                        .and_then(Value::as_str)
                        .unwrap_or("a parameter of the parent stack")
                        .to_owned(),
                    (None, None) => format!(
                        "Ref of {} ({})",
                        reference.id,
                        types.get(&reference.id).map_or("", String::as_str)
                    ),
                    (Some(attribute), _) => format!(
                        "{attribute} of {} ({})",
                        reference.id,
                        types.get(&reference.id).map_or("", String::as_str)
                    ),
                };
                let mut entry = Map::new();
                entry.insert("Type".into(), json!("String"));
                entry.insert("Description".into(), json!(description));
                if let Some(allowed) = parameters
                    .get(&reference.id)
                    .and_then(|parameter| parameter.get("AllowedValues"))
                    .filter(|_| reference.attribute.is_none())
                {
                    entry.insert("AllowedValues".into(), allowed.clone());
                }
                child_parameters.insert(carrier, Value::Object(entry));
            }
            if !child_parameters.is_empty() {
                child.insert("Parameters".into(), Value::Object(child_parameters));
            }
            if !draft.conditions.is_empty() {
                child.insert("Conditions".into(), Value::Object(draft.conditions));
            }
            child.insert("Resources".into(), Value::Object(draft.resources));
            if !draft.outputs.is_empty() {
                let outputs: Map<String, Value> = draft
                    .outputs
                    .into_iter()
                    .map(|(name, value)| (name, json!({"Value": value})))
                    .collect();
                child.insert("Outputs".into(), Value::Object(outputs));
            }
            Child {
                path: draft.path,
                template: Value::Object(child),
            }
        })
        .collect()
}

/// Where each REST model goes: with the routes that use it, directly or through models that
/// refer to it, at the longest path prefix they share. A model used on `/`, across first path
/// segments, or not at all stays in the parent. A model goes wherever the models that refer to it
/// go, so no nested stack waits for a model in the parent that waits for it in turn.
fn model_homes(
    resources: &mut IndexMap<String, Value>,
    placement: &IndexMap<String, String>,
    segments_of: fn(&str) -> Vec<String>,
) -> Vec<(String, Vec<String>)> {
    let is_model = |resource: &Value| {
        resource.get("Type").and_then(Value::as_str) == Some("AWS::ApiGateway::Model")
    };
    let models: Vec<String> = resources
        .iter()
        .filter(|(_, resource)| is_model(resource))
        .map(|(id, _)| id.clone())
        .collect();
    if models.is_empty() {
        return Vec::new();
    }
    // The common path prefix of each model's users; `None` while it has none.
    let mut prefixes: BTreeMap<String, Option<Vec<String>>> =
        models.iter().map(|id| (id.clone(), None)).collect();
    let merge = |slot: &mut Option<Vec<String>>, path: &[String]| -> bool {
        match slot {
            None => {
                *slot = Some(path.to_vec());
                true
            }
            Some(prefix) => {
                let shared = prefix
                    .iter()
                    .zip(path)
                    .take_while(|(left, right)| left == right)
                    .count();
                if shared < prefix.len() {
                    prefix.truncate(shared);
                    true
                } else {
                    false
                }
            }
        }
    };
    // The models each other resource refers to, read on all cores and merged in order.
    let model_ids: FastSet<&str> = models.iter().map(String::as_str).collect();
    let mut entries: Vec<(&String, &mut Value)> = resources.iter_mut().collect();
    let uses: Vec<(Vec<String>, BTreeSet<String>)> = entries
        .par_iter_mut()
        .map(|(id, resource)| {
            let mut refs = BTreeSet::new();
            if is_model(resource) {
                return (Vec::new(), refs);
            }
            // Keeping every reference rewrites nothing, so this reads the resource in place.
            rewrite_references(resource, &mut |reference| {
                if model_ids.contains(reference.id) {
                    refs.insert(reference.id.to_owned());
                }
                Rewrite::Keep
            });
            let path = match placement.get(*id) {
                Some(path) if !refs.is_empty() => segments_of(path),
                _ => Vec::new(),
            };
            (path, refs)
        })
        .collect();
    drop(entries);
    for (path, refs) in uses {
        for model in refs {
            if let Some(slot) = prefixes.get_mut(&model) {
                merge(slot, &path);
            }
        }
    }
    // A model is used wherever the models that refer to it are; the prefixes only shrink, so
    // this ends.
    let dependencies: Vec<(String, Vec<String>)> = models
        .iter()
        .filter_map(|id| {
            let resource = resources.get(id)?.as_object()?;
            Some((id.clone(), depends_on(resource)))
        })
        .collect();
    let mut changed = true;
    let mut rounds = 0;
    while changed && rounds <= models.len() {
        changed = false;
        rounds += 1;
        for (model, depends) in &dependencies {
            let Some(Some(prefix)) = prefixes.get(model).cloned() else {
                continue;
            };
            for dependency in depends {
                if let Some(slot) = prefixes.get_mut(dependency) {
                    changed |= merge(slot, &prefix);
                }
            }
        }
    }
    prefixes
        .into_iter()
        .filter_map(|(id, prefix)| {
            let prefix = prefix?;
            (!prefix.is_empty()).then_some((id, prefix))
        })
        .collect()
}

/// Groups placed resources by the first path segment; a group over the budget is split by the
/// next segment, and so on. Only the paths themselves decide, so adding a route moves nothing
/// outside its own group.
fn group(placed: &[(String, Vec<String>)], depth: usize) -> Vec<Group> {
    let mut by_segment: BTreeMap<Option<&String>, Vec<&(String, Vec<String>)>> = BTreeMap::new();
    for entry in placed {
        by_segment
            .entry(entry.1.get(depth))
            .or_default()
            .push(entry);
    }
    let mut groups = Vec::new();
    for (segment, entries) in by_segment {
        let prefix_len = if segment.is_some() { depth + 1 } else { depth };
        let prefix: Vec<String> = entries
            .first()
            .map(|(_, segments)| segments.iter().take(prefix_len).cloned().collect())
            .unwrap_or_default();
        if segment.is_some() && entries.len() > CHILD_BUDGET && depth < MAX_DEPTH {
            let owned: Vec<(String, Vec<String>)> = entries.into_iter().cloned().collect();
            groups.extend(group(&owned, depth + 1));
        } else if !prefix.is_empty() {
            groups.push(Group {
                prefix,
                members: entries.into_iter().map(|(id, _)| id.clone()).collect(),
            });
        }
    }
    groups
}

fn depends_on(resource: &Map<String, Value>) -> Vec<String> {
    match resource.get("DependsOn") {
        Some(Value::String(one)) => vec![one.clone()],
        Some(Value::Array(many)) => many
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect(),
        _ => Vec::new(),
    }
}

/// Sets `DependsOn` (after `Type`, where the builder writes it), or removes it when empty.
fn set_depends_on(resource: &mut Map<String, Value>, names: Vec<String>) {
    let value = match names.len() {
        0 => {
            resource.shift_remove("DependsOn");
            return;
        }
        1 => names.into_iter().next().map(Value::String),
        _ => Some(json!(names)),
    };
    let Some(value) = value else { return };
    if let Some(existing) = resource.get_mut("DependsOn") {
        *existing = value;
        return;
    }
    let entries = std::mem::take(resource);
    for (key, entry) in entries {
        let is_type = key == "Type";
        resource.insert(key, entry);
        if is_type {
            resource.insert("DependsOn".into(), value.clone());
        }
    }
    if !resource.contains_key("DependsOn") {
        resource.insert("DependsOn".into(), value);
    }
}

fn collect_conditions(value: &Value, out: &mut BTreeSet<String>) {
    match value {
        Value::Object(map) => {
            for (key, entry) in map {
                if key == "Fn::If" {
                    if let Some(name) = entry.get(0).and_then(Value::as_str) {
                        out.insert(name.to_owned());
                    }
                }
                collect_conditions(entry, out);
            }
        }
        Value::Array(items) => items.iter().for_each(|item| collect_conditions(item, out)),
        _ => {}
    }
}

/// Visits every `Ref`, `Fn::GetAtt` and `${…}` of an `Fn::Sub` in `value` and rewrites it as
/// `decide` says.
fn rewrite_references(value: &mut Value, decide: &mut dyn FnMut(Found<'_>) -> Rewrite) {
    match value {
        Value::Object(map) if map.len() == 1 => {
            // An intrinsic is an object of one entry: its key is read without a lookup.
            let Some((key, argument)) = map.iter_mut().next() else {
                return;
            };
            let rewrite = match (key.as_str(), &mut *argument) {
                ("Ref", Value::String(id)) => decide(Found {
                    id,
                    attribute: None,
                }),
                ("Fn::GetAtt", target) => {
                    let parts = match &*target {
                        Value::Array(items) => match (items.first(), items.get(1)) {
                            (Some(Value::String(id)), Some(Value::String(attribute))) => {
                                Some((id.as_str(), attribute.as_str()))
                            }
                            _ => None,
                        },
                        Value::String(text) => text.split_once('.'),
                        _ => None,
                    };
                    match parts {
                        Some((id, attribute)) => decide(Found {
                            id,
                            attribute: Some(attribute),
                        }),
                        None => {
                            rewrite_references(target, decide);
                            return;
                        }
                    }
                }
                ("Fn::Sub", Value::String(text)) => {
                    if let Some(rewritten) = rewrite_sub(text, &[], decide) {
                        *text = rewritten;
                    }
                    return;
                }
                ("Fn::Sub", Value::Array(items)) => {
                    let locals: Vec<String> = items
                        .get(1)
                        .and_then(Value::as_object)
                        .map(|vars| vars.keys().cloned().collect())
                        .unwrap_or_default();
                    if let Some(Value::String(text)) = items.get_mut(0) {
                        if let Some(rewritten) = rewrite_sub(text, &locals, decide) {
                            *text = rewritten;
                        }
                    }
                    if let Some(vars) = items.get_mut(1) {
                        rewrite_references(vars, decide);
                    }
                    return;
                }
                ("Fn::Sub", _) => return,
                (_, entry) => {
                    rewrite_references(entry, decide);
                    return;
                }
            };
            match rewrite {
                Rewrite::Keep => {}
                Rewrite::Parameter(name) => *value = json!({"Ref": name}),
                Rewrite::Output { stack, output } => {
                    *value = json!({"Fn::GetAtt": [stack, format!("Outputs.{output}")]});
                }
            }
        }
        Value::Object(map) => {
            for entry in map.values_mut() {
                rewrite_references(entry, decide);
            }
        }
        Value::Array(items) => {
            for item in items {
                rewrite_references(item, decide);
            }
        }
        _ => {}
    }
}

/// Rewrites the `${name}` and `${name.attribute}` of a `Fn::Sub` string; `${!literal}` and the
/// names of `locals` stay as they are. `None` when nothing changes.
fn rewrite_sub(
    text: &str,
    locals: &[String],
    decide: &mut dyn FnMut(Found<'_>) -> Rewrite,
) -> Option<String> {
    let mut out = String::with_capacity(text.len());
    let mut changed = false;
    let mut rest = text;
    while let Some(start) = rest.find("${") {
        let (before, after) = rest.split_at(start);
        out.push_str(before);
        let inner = after.strip_prefix("${").unwrap_or(after);
        let Some((name, remainder)) = inner.split_once('}') else {
            out.push_str(after);
            return changed.then_some(out);
        };
        rest = remainder;
        out.push_str("${");
        if name.starts_with('!') || locals.iter().any(|local| local == name) {
            out.push_str(name);
            out.push('}');
            continue;
        }
        let found = match name.split_once('.') {
            Some((id, attribute)) => Found {
                id,
                attribute: Some(attribute),
            },
            None => Found {
                id: name,
                attribute: None,
            },
        };
        match decide(found) {
            Rewrite::Keep => out.push_str(name),
            Rewrite::Parameter(parameter) => {
                changed = true;
                out.push_str(&parameter);
            }
            Rewrite::Output { stack, output } => {
                changed = true;
                out.push_str(&stack);
                out.push_str(".Outputs.");
                out.push_str(&output);
            }
        }
        out.push('}');
    }
    out.push_str(rest);
    changed.then_some(out)
}
