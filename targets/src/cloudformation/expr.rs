//! IR [`Expr`] → CloudFormation values. A name the generated template does not define becomes
//! a template parameter (function ARNs, certificate ARNs, `templatefile` placeholders), with a
//! description saying where it is used; pseudo parameters (`AWS::Region`) stay as they are.
//! Inside `Fn::Sub`, API Gateway's own `${stageVariables.x}` is escaped as `${!stageVariables.x}`
//! so that CloudFormation leaves it for API Gateway.

use apigw_compiler::ir::{Expr, TemplatePart};
use indexmap::IndexMap;
use serde_json::{json, Map, Value};

use super::names::pascal_case;
use crate::openapi::RenderExpr;
use crate::Warning;

/// A template parameter the rendering needed.
#[derive(Clone, Debug)]
pub(crate) struct TemplateParameter {
    pub logical_id: String,
    pub description: String,
}

/// A condition made from an `Fn::If` whose condition the template does not define.
#[derive(Clone, Debug)]
pub(crate) struct TemplateCondition {
    pub logical_id: String,
    pub parameter: String,
}

/// Renders expressions and records the parameters and conditions they need.
#[derive(Debug, Default)]
pub(crate) struct CfnExprs {
    /// Source name (`lambda_arn`, `OrdersFunction.Arn`) → parameter.
    pub parameters: IndexMap<String, TemplateParameter>,
    pub conditions: IndexMap<String, TemplateCondition>,
    /// Source names that denote a resource of the generated template (the API's own logical
    /// id in its source template) → the generated logical id.
    pub resources: IndexMap<String, String>,
    pub warnings: Vec<Warning>,
    /// In a fork: how many parameters and conditions the renderer it was forked from had;
    /// those after them are the fork's own.
    forked_at: Option<(usize, usize)>,
}

impl CfnExprs {
    /// The parameter standing for `source`, created on first use.
    pub fn parameter(&mut self, source: &str, context: &str) -> String {
        if let Some(parameter) = self.parameters.get(source) {
            return parameter.logical_id.clone();
        }
        let logical_id = self.new_parameter_id(source);
        self.parameters.insert(
            source.to_owned(),
            TemplateParameter {
                logical_id: logical_id.clone(),
                description: describe(source, context),
            },
        );
        logical_id
    }

    /// The logical id a new parameter for `source` gets: its name, unless a parameter or a
    /// resource has it already.
    fn new_parameter_id(&self, source: &str) -> String {
        let mut logical_id = pascal_case(source);
        if logical_id.is_empty() || logical_id.starts_with(|c: char| c.is_ascii_digit()) {
            logical_id.insert(0, 'P');
        }
        while self
            .parameters
            .values()
            .any(|parameter| parameter.logical_id == logical_id)
            || self.resources.values().any(|id| *id == logical_id)
        {
            logical_id.push_str("Param");
        }
        logical_id
    }

    /// Takes in a fork's own parameters and conditions if they are what rendering here would
    /// have made; false when one is not.
    fn take_in(&mut self, fork: &mut CfnExprs) -> bool {
        let (parameters_at, conditions_at) = fork.forked_at.unwrap_or_default();
        for (source, parameter) in fork.parameters.drain(..).skip(parameters_at) {
            match self.parameters.get(&source) {
                // Met here since the fork was made: the fork must have named it alike.
                Some(known) => {
                    if known.logical_id != parameter.logical_id {
                        return false;
                    }
                }
                None => {
                    if self.new_parameter_id(&source) != parameter.logical_id {
                        return false;
                    }
                    self.parameters.insert(source, parameter);
                }
            }
        }
        for (name, condition) in fork.conditions.drain(..).skip(conditions_at) {
            // Made here since the fork was made: the fork warned of it a second time.
            if self.conditions.contains_key(&name) {
                return false;
            }
            self.conditions.insert(name, condition);
        }
        true
    }

    /// A JSON value the IR keeps verbatim (a resource policy) with its intrinsics' names
    /// rewritten as for [`Expr::Intrinsic`]: a `Ref` to a resource of the source template that
    /// the generated one lacks becomes a parameter.
    pub fn value(&mut self, value: &Value, context: &str) -> Value {
        self.intrinsic(value, context, 0)
    }

    fn reference(&mut self, name: &str, context: &str) -> Value {
        if name.starts_with("AWS::") {
            return json!({"Ref": name});
        }
        if let Some(resource) = self.resources.get(name) {
            return json!({"Ref": resource});
        }
        json!({"Ref": self.parameter(name, context)})
    }

    fn get_att(&mut self, resource: &str, attribute: &str, context: &str) -> Value {
        if let Some(id) = self.resources.get(resource) {
            return json!({"Fn::GetAtt": [id, attribute]});
        }
        json!({"Ref": self.parameter(&format!("{resource}.{attribute}"), context)})
    }

    /// The name a `Fn::Sub` placeholder uses for `name`.
    fn sub_name(&mut self, name: &str, context: &str) -> String {
        if name.starts_with("AWS::") {
            return name.to_owned();
        }
        if let Some(resource) = self.resources.get(name) {
            return resource.clone();
        }
        self.parameter(name, context)
    }

    fn sub_get_att(&mut self, resource: &str, attribute: &str, context: &str) -> String {
        if let Some(id) = self.resources.get(resource) {
            return format!("{id}.{attribute}");
        }
        self.parameter(&format!("{resource}.{attribute}"), context)
    }

    fn template(&mut self, parts: &[TemplatePart], context: &str) -> Value {
        let mut text = String::new();
        let mut variables = Map::new();
        let mut has_placeholder = false;
        for part in parts {
            match part {
                TemplatePart::Text { value } => text.push_str(&escape_sub(value)),
                TemplatePart::Ref { name } => {
                    has_placeholder = true;
                    let name = self.sub_name(name, context);
                    text.push_str(&format!("${{{name}}}"));
                }
                TemplatePart::GetAtt {
                    resource,
                    attribute,
                } => {
                    has_placeholder = true;
                    let name = self.sub_get_att(resource, attribute, context);
                    text.push_str(&format!("${{{name}}}"));
                }
                TemplatePart::Bound { name, value } => {
                    has_placeholder = true;
                    let variable = pascal_case(name);
                    let variable = if variable.is_empty() {
                        "Value".to_owned()
                    } else {
                        variable
                    };
                    let rendered = self.render(value, context);
                    variables.insert(variable.clone(), rendered);
                    text.push_str(&format!("${{{variable}}}"));
                }
            }
        }
        if !has_placeholder {
            // Only text after all: no `Fn::Sub`, so no escaping either.
            let plain: String = parts
                .iter()
                .filter_map(|part| match part {
                    TemplatePart::Text { value } => Some(value.as_str()),
                    _ => None,
                })
                .collect();
            return Value::String(plain);
        }
        if variables.is_empty() {
            json!({"Fn::Sub": text})
        } else {
            json!({"Fn::Sub": [text, variables]})
        }
    }

    /// Rewrites names inside a verbatim intrinsic: undefined `Ref`s and `GetAtt`s become
    /// parameters, undefined conditions become conditions on a parameter.
    fn intrinsic(&mut self, value: &Value, context: &str, depth: usize) -> Value {
        if depth > 64 {
            return value.clone();
        }
        match value {
            Value::Object(map) if map.len() == 1 => {
                let Some((key, argument)) = map.iter().next() else {
                    return value.clone();
                };
                match (key.as_str(), argument) {
                    ("Ref", Value::String(name)) => self.reference(name, context),
                    ("Fn::GetAtt", Value::Array(items)) => match items.as_slice() {
                        [Value::String(resource), Value::String(attribute)] => {
                            self.get_att(resource, attribute, context)
                        }
                        _ => value.clone(),
                    },
                    ("Fn::GetAtt", Value::String(text)) => match text.split_once('.') {
                        Some((resource, attribute)) => self.get_att(resource, attribute, context),
                        None => value.clone(),
                    },
                    ("Fn::Sub", Value::String(text)) => {
                        json!({"Fn::Sub": self.rewrite_sub(text, &[], context)})
                    }
                    ("Fn::Sub", Value::Array(items)) => {
                        let bound: Vec<String> = items
                            .get(1)
                            .and_then(Value::as_object)
                            .map(|map| map.keys().cloned().collect())
                            .unwrap_or_default();
                        let rewritten: Vec<Value> = items
                            .iter()
                            .enumerate()
                            .map(|(index, item)| match (index, item) {
                                (0, Value::String(text)) => {
                                    Value::String(self.rewrite_sub(text, &bound, context))
                                }
                                (_, other) => self.intrinsic(other, context, depth + 1),
                            })
                            .collect();
                        json!({"Fn::Sub": rewritten})
                    }
                    ("Fn::If", Value::Array(items)) => {
                        let rewritten: Vec<Value> = items
                            .iter()
                            .enumerate()
                            .map(|(index, item)| match (index, item) {
                                (0, Value::String(name)) => {
                                    Value::String(self.condition(name, context))
                                }
                                (_, other) => self.intrinsic(other, context, depth + 1),
                            })
                            .collect();
                        json!({"Fn::If": rewritten})
                    }
                    ("Condition", Value::String(name)) => {
                        json!({"Condition": self.condition(name, context)})
                    }
                    (key, argument) => {
                        let mut out = Map::new();
                        out.insert(key.to_owned(), self.intrinsic(argument, context, depth + 1));
                        Value::Object(out)
                    }
                }
            }
            Value::Object(map) => Value::Object(
                map.iter()
                    .map(|(key, item)| (key.clone(), self.intrinsic(item, context, depth + 1)))
                    .collect(),
            ),
            Value::Array(items) => Value::Array(
                items
                    .iter()
                    .map(|item| self.intrinsic(item, context, depth + 1))
                    .collect(),
            ),
            other => other.clone(),
        }
    }

    fn condition(&mut self, name: &str, context: &str) -> String {
        if let Some(condition) = self.conditions.get(name) {
            return condition.logical_id.clone();
        }
        let parameter = self.parameter(
            &format!("{name}Enabled"),
            &format!("condition `{name}` of {context} (true or false)"),
        );
        let mut logical_id = pascal_case(name);
        if logical_id.is_empty() {
            logical_id = "Condition".to_owned();
        }
        self.conditions.insert(
            name.to_owned(),
            TemplateCondition {
                logical_id: logical_id.clone(),
                parameter,
            },
        );
        self.warnings.push(Warning::with_help(
            format!(
                "{context} uses condition `{name}`, which the generated template does not define"
            ),
            format!("it is now true when parameter `{logical_id}Enabled` is `true`"),
        ));
        logical_id
    }

    fn rewrite_sub(&mut self, text: &str, bound: &[String], context: &str) -> String {
        let mut out = String::with_capacity(text.len());
        let mut rest = text;
        while let Some(start) = rest.find("${") {
            let (before, after) = rest.split_at(start);
            out.push_str(before);
            let tail = after.get(2..).unwrap_or_default();
            let Some(end) = tail.find('}') else {
                out.push_str(after);
                return out;
            };
            let inner = tail.get(..end).unwrap_or_default();
            rest = tail.get(end + 1..).unwrap_or_default();
            let name = inner.trim();
            let replacement = if name.starts_with('!')
                || name.starts_with("AWS::")
                || bound.iter().any(|bound| bound == name)
            {
                inner.to_owned()
            } else if let Some((resource, attribute)) = name.split_once('.') {
                self.sub_get_att(resource, attribute, context)
            } else {
                self.sub_name(name, context)
            };
            out.push_str("${");
            out.push_str(&replacement);
            out.push('}');
        }
        out.push_str(rest);
        out
    }
}

impl RenderExpr for CfnExprs {
    fn fork(&self) -> Option<Self> {
        Some(CfnExprs {
            parameters: self.parameters.clone(),
            conditions: self.conditions.clone(),
            resources: self.resources.clone(),
            warnings: Vec::new(),
            forked_at: Some((self.parameters.len(), self.conditions.len())),
        })
    }

    fn join(&mut self, mut fork: Self) -> bool {
        let (parameters, conditions) = (self.parameters.len(), self.conditions.len());
        if self.take_in(&mut fork) {
            // Only conditions warn, once each, and the fork's conditions are all new here.
            self.warnings.append(&mut fork.warnings);
            true
        } else {
            // Only entries were added, at the end: cutting them restores the renderer.
            self.parameters.truncate(parameters);
            self.conditions.truncate(conditions);
            false
        }
    }

    fn render(&mut self, expr: &Expr, context: &str) -> Value {
        match expr {
            Expr::Literal { value } => Value::String(value.clone()),
            Expr::Ref { name } => self.reference(name, context),
            Expr::GetAtt {
                resource,
                attribute,
            } => self.get_att(resource, attribute, context),
            Expr::Template { parts } => self.template(parts, context),
            Expr::Intrinsic { function, value } => {
                let mut map = Map::new();
                map.insert(function.clone(), value.clone());
                self.intrinsic(&Value::Object(map), context, 0)
            }
        }
    }
}

/// `${` in literal text inside `Fn::Sub` is written `${!` so CloudFormation keeps it literal.
pub(crate) fn escape_sub(text: &str) -> String {
    text.replace("${", "${!")
}

/// A name the IR keeps as text (the API's title) as the deploy-time value it stands for. A
/// name read from a template shows its deploy-time parts as `${Name}` (`!Sub
/// "${AWS::StackName}-api"`, `!Ref Environment`); as in a spec's plain strings, `${Name}` (an
/// identifier or a pseudo parameter) is such a part, and API Gateway's own `${a.b}` is text.
pub(crate) fn name_expr(text: &str) -> Expr {
    if !text.contains("${") {
        return Expr::literal(text);
    }
    let mut parts = Vec::new();
    let mut literal = String::new();
    let mut rest = text;
    while let Some(start) = rest.find("${") {
        let (before, after) = rest.split_at(start);
        literal.push_str(before);
        let after = after.get(2..).unwrap_or_default();
        let name = after.find('}').and_then(|end| after.get(..end));
        match name {
            Some(name) if is_placeholder(name) => {
                if !literal.is_empty() {
                    parts.push(TemplatePart::Text {
                        value: std::mem::take(&mut literal),
                    });
                }
                parts.push(TemplatePart::Ref {
                    name: name.to_owned(),
                });
                rest = after.get(name.len() + 1..).unwrap_or_default();
            }
            _ => {
                literal.push_str("${");
                rest = after;
            }
        }
    }
    literal.push_str(rest);
    if !literal.is_empty() {
        parts.push(TemplatePart::Text { value: literal });
    }
    match parts.as_slice() {
        [TemplatePart::Ref { name }] => Expr::Ref { name: name.clone() },
        [TemplatePart::Text { value }] => Expr::literal(value.clone()),
        _ => Expr::Template { parts },
    }
}

fn is_placeholder(name: &str) -> bool {
    if apigw_compiler::ir::PSEUDO_PARAMETERS.contains(&name) {
        return true;
    }
    let mut chars = name.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// Text for a description (the template's, a parameter's, an output's, an alarm's), where
/// CloudFormation substitutes nothing: a deploy-time part shown as `${Name}` is written
/// `{Name}`, which reads the same and is not mistaken for a forgotten `Fn::Sub`.
pub(crate) fn prose(text: &str) -> String {
    text.replace("${", "{")
}

fn describe(source: &str, context: &str) -> String {
    let text = match source.split_once('.') {
        Some((resource, attribute)) => format!("{attribute} of {resource}, used by {context}"),
        None => format!("Value of `{source}`, used by {context}"),
    };
    let mut text = prose(&text);
    // CloudFormation caps parameter descriptions at 4,000 characters.
    if text.len() > 400 {
        let mut cut = 400;
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        text.truncate(cut);
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::openapi::render_all;

    /// Everything a renderer has learnt, in order.
    fn learnt(exprs: &CfnExprs) -> (Vec<String>, Vec<String>, Vec<Warning>) {
        (
            exprs
                .parameters
                .iter()
                .map(|(source, parameter)| {
                    format!(
                        "{source} {} {}",
                        parameter.logical_id, parameter.description
                    )
                })
                .collect(),
            exprs
                .conditions
                .iter()
                .map(|(name, condition)| {
                    format!("{name} {} {}", condition.logical_id, condition.parameter)
                })
                .collect(),
            exprs.warnings.clone(),
        )
    }

    #[test]
    fn rendering_on_all_cores_is_rendering_in_order() {
        // Names that collide once sanitised (`orders_arn` / `OrdersArn`) and conditions met
        // first in different chunks, so that forks choose names their renderer would not and
        // must be rendered again, plus names met again in later chunks.
        let items: Vec<Expr> = (0..1000)
            .map(|index| match index % 7 {
                _ if index == 8 || index == 900 => Expr::Ref {
                    name: "orders_arn".into(),
                },
                _ if index == 450 => Expr::Ref {
                    name: "OrdersArn".into(),
                },
                0 => Expr::Ref {
                    name: format!("fn_{}", index / 70),
                },
                2 => Expr::Intrinsic {
                    function: "Fn::If".into(),
                    value: json!([format!("Cond{}", index / 200), "a", {"Ref": "Shared"}]),
                },
                3 => Expr::GetAtt {
                    resource: format!("Table{}", index % 3),
                    attribute: "Arn".into(),
                },
                _ => Expr::literal(format!("text {index}")),
            })
            .collect();
        let mut in_order = CfnExprs::default();
        in_order
            .resources
            .insert("Table0".into(), "GeneratedTable".into());
        let mut parallel = CfnExprs {
            resources: in_order.resources.clone(),
            ..CfnExprs::default()
        };
        let expected: Vec<Value> = items
            .iter()
            .enumerate()
            .map(|(index, expr)| in_order.render(expr, &format!("item {index}")))
            .collect();
        let indexed: Vec<(usize, &Expr)> = items.iter().enumerate().collect();
        let renders = std::sync::atomic::AtomicUsize::new(0);
        let got = render_all(&indexed, &mut parallel, |(index, expr), exprs| {
            renders.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            exprs.render(expr, &format!("item {index}"))
        });
        assert_eq!(got, expected);
        // Some chunks could not be joined and were rendered again.
        assert!(renders.into_inner() > items.len());
        assert_eq!(learnt(&parallel), learnt(&in_order));
        assert!(in_order.parameters.len() > 10 && !in_order.conditions.is_empty());
        assert!(in_order
            .parameters
            .values()
            .any(|parameter| parameter.logical_id == "OrdersArnParam"));
    }

    #[test]
    fn templates_become_sub_with_escapes_and_parameters() {
        let mut exprs = CfnExprs::default();
        let expr = Expr::Template {
            parts: vec![
                TemplatePart::Text {
                    value: "arn:aws:apigateway:".into(),
                },
                TemplatePart::Ref {
                    name: "AWS::Region".into(),
                },
                TemplatePart::Text {
                    value: ":lambda:path/2015-03-31/functions/".into(),
                },
                TemplatePart::Ref {
                    name: "lambda_arn".into(),
                },
                TemplatePart::Text {
                    value: "/invocations?v=${stageVariables.v}".into(),
                },
            ],
        };
        assert_eq!(
            exprs.render(&expr, "integration of GET /"),
            json!({"Fn::Sub": "arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${LambdaArn}/invocations?v=${!stageVariables.v}"})
        );
        assert_eq!(exprs.parameters.len(), 1);
        assert_eq!(
            exprs.render(
                &Expr::GetAtt {
                    resource: "Orders".into(),
                    attribute: "Arn".into()
                },
                "x"
            ),
            json!({"Ref": "OrdersArn"})
        );
        assert_eq!(
            exprs.render(&Expr::literal("${stageVariables.x}"), "x"),
            json!("${stageVariables.x}")
        );
    }

    #[test]
    fn unknown_conditions_become_parameters() {
        let mut exprs = CfnExprs::default();
        let value = exprs.render(
            &Expr::Intrinsic {
                function: "Fn::If".into(),
                value: json!(["IsProd", {"Ref": "Host"}, "localhost"]),
            },
            "server URL",
        );
        assert_eq!(
            value,
            json!({"Fn::If": ["IsProd", {"Ref": "Host"}, "localhost"]})
        );
        assert!(exprs.conditions.contains_key("IsProd"));
        assert!(exprs.parameters.contains_key("IsProdEnabled"));
    }
}
