//! IR [`Expr`] → HCL expressions. A name the module does not define becomes an input
//! variable (`var.orders_arn`) declared in `variables.tf`, typed, described by where it is used
//! and validated when its format is known (a Lambda or IAM role ARN); CloudFormation pseudo
//! parameters become data sources (`data.aws_region.current.region`). A value that only
//! CloudFormation can compute (`Fn::If`, `Fn::ImportValue`) becomes a variable too, with a
//! warning.
//!
//! API Gateway's own `${stageVariables.x}` and VTL are literal text, written through hcl-rs,
//! which escapes `${` as `$${` and `%{` as `%%{`; only the deploy-time parts of a template are
//! interpolations.

use std::collections::BTreeSet;

use apigw_compiler::ir::{Expr, TemplatePart};
use hcl::expr::{FuncCall, Object, ObjectKey, TemplateExpr, Traversal, Variable as HclVariable};
use hcl::{Expression, Identifier, Number};
use indexmap::IndexMap;
use serde_json::Value;

use super::names::{snake_case, Labels};
use crate::openapi::RenderExpr;
use crate::Warning;

/// The key of the JSON object that stands for an HCL expression inside a document built by
/// [`crate::openapi::document`]: a NUL can start no key an OpenAPI author wrote.
const EMBEDDED: &str = "\u{0}apigw-terraform-expression";

/// Documents nest a few dozen levels; deeper JSON is passed through `jsondecode`.
const MAX_DEPTH: usize = 200;

/// What a variable holds, for its validation block.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ValueKind {
    Text,
    /// A Lambda function ARN.
    LambdaArn,
    /// A Lambda function ARN or the `arn:aws:apigateway:...:lambda:path/...` URI that invokes
    /// it (a whole integration URI bound at deploy time).
    LambdaTarget,
    RoleArn,
    CertificateArn,
    UserPoolArn,
    LogDestinationArn,
    WebAclArn,
    HostedZoneId,
}

impl ValueKind {
    /// The regular expression a value must match, and the sentence saying so.
    pub fn validation(&self) -> Option<(&'static str, &'static str)> {
        Some(match self {
            ValueKind::Text => return None,
            ValueKind::LambdaArn => (
                "^arn:aws[a-zA-Z-]*:lambda:[a-z0-9-]+:[0-9]{12}:function:[A-Za-z0-9_-]+(:[A-Za-z0-9_-]+)?$",
                "must be a Lambda function ARN (arn:aws:lambda:REGION:ACCOUNT:function:NAME).",
            ),
            ValueKind::LambdaTarget => (
                "^arn:aws[a-zA-Z-]*:(lambda|apigateway):[a-z0-9-]+:",
                "must be a Lambda function ARN or its API Gateway invocation URI.",
            ),
            ValueKind::RoleArn => (
                "^arn:aws[a-zA-Z-]*:iam::[0-9]{12}:role/.+$",
                "must be an IAM role ARN (arn:aws:iam::ACCOUNT:role/NAME).",
            ),
            ValueKind::CertificateArn => (
                "^arn:aws[a-zA-Z-]*:acm:[a-z0-9-]+:[0-9]{12}:certificate/.+$",
                "must be an ACM certificate ARN (arn:aws:acm:REGION:ACCOUNT:certificate/ID).",
            ),
            ValueKind::UserPoolArn => (
                "^arn:aws[a-zA-Z-]*:cognito-idp:[a-z0-9-]+:[0-9]{12}:userpool/.+$",
                "must be a Cognito user pool ARN (arn:aws:cognito-idp:REGION:ACCOUNT:userpool/ID).",
            ),
            ValueKind::LogDestinationArn => (
                "^arn:aws[a-zA-Z-]*:(logs|firehose):[a-z0-9-]+:[0-9]{12}:",
                "must be a CloudWatch Logs log group or Kinesis Data Firehose stream ARN.",
            ),
            ValueKind::WebAclArn => (
                "^arn:aws[a-zA-Z-]*:wafv2:[a-z0-9-]+:[0-9]{12}:regional/webacl/.+$",
                "must be the ARN of a regional WAFv2 web ACL.",
            ),
            ValueKind::HostedZoneId => (
                "^Z[A-Z0-9]+$",
                "must be a Route 53 hosted zone id (Z followed by letters and digits).",
            ),
        })
    }
}

/// An input variable of the module.
#[derive(Clone, Debug)]
pub(crate) struct InputVariable {
    pub name: String,
    pub description: String,
    pub kind: ValueKind,
    pub sensitive: bool,
}

/// A data source the module reads (`data.aws_region.current`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum DataSource {
    CallerIdentity,
    Partition,
    Region,
}

impl DataSource {
    pub fn kind(&self) -> &'static str {
        match self {
            DataSource::CallerIdentity => "aws_caller_identity",
            DataSource::Partition => "aws_partition",
            DataSource::Region => "aws_region",
        }
    }
}

/// Renders expressions and records the variables and data sources they need.
#[derive(Debug, Default)]
pub(crate) struct TfExprs {
    /// Source name (`lambda_arn`, `OrdersFunction.Arn`) → variable.
    pub variables: IndexMap<String, InputVariable>,
    pub data: BTreeSet<DataSource>,
    pub warnings: Vec<Warning>,
    names: Labels,
    /// Expressions standing inside a JSON document, by index.
    embedded: Vec<Expression>,
}

/// `root.a.b`.
pub(crate) fn traversal(root: &str, attributes: &[&str]) -> Expression {
    let mut builder = Traversal::builder(HclVariable::sanitized(root));
    for attribute in attributes {
        builder = builder.attr(Identifier::sanitized(*attribute));
    }
    Expression::from(builder.build())
}

/// `name(args...)`.
pub(crate) fn call(name: &str, args: Vec<Expression>) -> Expression {
    let mut builder = FuncCall::builder(Identifier::sanitized(name));
    for arg in args {
        builder = builder.arg(arg);
    }
    Expression::from(builder.build())
}

/// A key written bare when HCL reads it back as the same string, quoted otherwise.
pub(crate) fn object_key(key: &str) -> ObjectKey {
    let mut chars = key.chars();
    let bare = matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        && !matches!(key, "true" | "false" | "null" | "for" | "in" | "if");
    if bare {
        ObjectKey::Identifier(Identifier::unchecked(key))
    } else {
        ObjectKey::Expression(Expression::String(key.to_owned()))
    }
}

/// An object of string keys.
pub(crate) fn object(entries: impl IntoIterator<Item = (String, Expression)>) -> Expression {
    let object: Object<ObjectKey, Expression> = entries
        .into_iter()
        .map(|(key, value)| (object_key(&key), value))
        .collect();
    Expression::Object(object)
}

/// Literal text as it must appear inside a quoted HCL template: string escapes, and `$${` /
/// `%%{` for the template markers, so the text reaches AWS unchanged.
pub(crate) fn escape_template_literal(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '$' | '%' if chars.peek() == Some(&'{') => {
                out.push(c);
                out.push(c);
            }
            c if u32::from(c) < 0x20 => out.push_str(&format!("\\u{:04x}", u32::from(c))),
            c => out.push(c),
        }
    }
    out
}

/// A piece of a template being assembled.
enum Piece {
    Text(String),
    Interpolation(Expression),
}

/// A quoted template of text and interpolations; a lone interpolation is the expression
/// itself (`terraform fmt` would unwrap `"${var.x}"`).
pub(crate) fn template(pieces: Vec<TemplatePiece>) -> Expression {
    let pieces: Vec<Piece> = pieces
        .into_iter()
        .map(|piece| match piece {
            TemplatePiece::Text(text) => Piece::Text(text),
            TemplatePiece::Expression(Expression::String(text)) => Piece::Text(text),
            TemplatePiece::Expression(expression) => Piece::Interpolation(expression),
        })
        .filter(|piece| !matches!(piece, Piece::Text(text) if text.is_empty()))
        .collect();
    if let [Piece::Interpolation(expression)] = pieces.as_slice() {
        return expression.clone();
    }
    if pieces.iter().all(|piece| matches!(piece, Piece::Text(_))) {
        let text: String = pieces
            .iter()
            .filter_map(|piece| match piece {
                Piece::Text(text) => Some(text.as_str()),
                Piece::Interpolation(_) => None,
            })
            .collect();
        return Expression::String(text);
    }
    let mut source = String::new();
    for piece in pieces {
        match piece {
            Piece::Text(text) => source.push_str(&escape_template_literal(&text)),
            Piece::Interpolation(expression) => {
                source.push_str("${");
                source.push_str(&hcl::format::to_string(&expression).unwrap_or_default());
                source.push('}');
            }
        }
    }
    Expression::from(TemplateExpr::QuotedString(source))
}

/// Text or an expression, for [`template`].
pub(crate) enum TemplatePiece {
    Text(String),
    Expression(Expression),
}

impl TfExprs {
    /// The variable standing for `source`, created on first use; a later use that knows the
    /// value's format sharpens its validation.
    pub fn variable(&mut self, source: &str, context: &str, kind: ValueKind) -> Expression {
        if let Some(existing) = self.variables.get_mut(source) {
            let vague = matches!(existing.kind, ValueKind::Text | ValueKind::LambdaTarget);
            if vague && kind != ValueKind::Text {
                existing.kind = kind;
            }
            return traversal("var", &[&existing.name]);
        }
        let base = match source.split_once('.') {
            Some((resource, attribute)) => {
                format!("{}_{}", snake_case(resource), snake_case(attribute))
            }
            None => snake_case(source),
        };
        let name = self.variable_name(&base, source);
        self.variables.insert(
            source.to_owned(),
            InputVariable {
                name: name.clone(),
                description: describe(source, context),
                kind,
                sensitive: false,
            },
        );
        traversal("var", &[&name])
    }

    fn variable_name(&mut self, base: &str, source: &str) -> String {
        let mut base = if base.is_empty() {
            "value".to_owned()
        } else {
            base.to_owned()
        };
        // Names Terraform reserves for module arguments.
        if matches!(
            base.as_str(),
            "source"
                | "version"
                | "providers"
                | "count"
                | "for_each"
                | "lifecycle"
                | "depends_on"
                | "locals"
        ) {
            base.push_str("_value");
        }
        self.names.claim("variable", &base, source)
    }

    /// A variable for a value only CloudFormation can compute.
    fn opaque(
        &mut self,
        function: &str,
        value: &Value,
        context: &str,
        kind: ValueKind,
    ) -> Expression {
        let source = format!("{function} {value}");
        if !self.variables.contains_key(&source) {
            self.warnings.push(Warning::with_help(
                format!("{context} is a CloudFormation `{function}`, which has no Terraform form; it becomes an input variable"),
                "set the variable to the value the intrinsic would have given",
            ));
            let name = self.variable_name(&snake_case(context), &source);
            let mut description = format!(
                "Stands for the CloudFormation `{function}` of {context}, which Terraform cannot evaluate: {value}"
            );
            truncate(&mut description, 400);
            self.variables.insert(
                source.clone(),
                InputVariable {
                    name,
                    description,
                    kind,
                    sensitive: false,
                },
            );
        }
        self.variable(&source, context, kind)
    }

    /// `${Name}` or `Ref: Name`.
    fn reference(&mut self, name: &str, context: &str, kind: ValueKind) -> Expression {
        let data = |exprs: &mut Self, source: DataSource, attribute: &str| {
            exprs.data.insert(source);
            traversal("data", &[source.kind(), "current", attribute])
        };
        match name {
            "AWS::Region" => data(self, DataSource::Region, "region"),
            "AWS::AccountId" => data(self, DataSource::CallerIdentity, "account_id"),
            "AWS::Partition" => data(self, DataSource::Partition, "partition"),
            "AWS::URLSuffix" => data(self, DataSource::Partition, "dns_suffix"),
            // CloudFormation's "leave the property out" is Terraform's null.
            "AWS::NoValue" => Expression::Null,
            other => self.variable(other, context, kind),
        }
    }

    /// The HCL expression for `expr`.
    pub fn expression(&mut self, expr: &Expr, context: &str, kind: ValueKind) -> Expression {
        match expr {
            Expr::Literal { value } => Expression::String(value.clone()),
            Expr::Ref { name } => self.reference(name, context, kind),
            Expr::GetAtt {
                resource,
                attribute,
            } => self.variable(&format!("{resource}.{attribute}"), context, kind),
            Expr::Template { parts } => self.template_parts(parts, context, kind),
            Expr::Intrinsic { function, value } => self.opaque(function, value, context, kind),
        }
    }

    fn template_parts(
        &mut self,
        parts: &[TemplatePart],
        context: &str,
        kind: ValueKind,
    ) -> Expression {
        let mut pieces = Vec::new();
        let mut previous_text = String::new();
        for part in parts {
            // A name between `/functions/` and `/invocations` is a Lambda function ARN.
            let part_kind = if previous_text.ends_with("/functions/") {
                ValueKind::LambdaArn
            } else if parts.len() == 1 {
                kind
            } else {
                ValueKind::Text
            };
            match part {
                TemplatePart::Text { value } => {
                    previous_text = value.clone();
                    pieces.push(TemplatePiece::Text(value.clone()));
                    continue;
                }
                TemplatePart::Ref { name } => {
                    pieces.push(TemplatePiece::Expression(
                        self.reference(name, context, part_kind),
                    ));
                }
                TemplatePart::GetAtt {
                    resource,
                    attribute,
                } => {
                    let expression =
                        self.variable(&format!("{resource}.{attribute}"), context, part_kind);
                    pieces.push(TemplatePiece::Expression(expression));
                }
                TemplatePart::Bound { value, .. } => {
                    let expression = self.expression(value, context, part_kind);
                    pieces.push(TemplatePiece::Expression(expression));
                }
            }
            previous_text.clear();
        }
        template(pieces)
    }

    /// An HCL expression to stand inside a JSON document ([`Self::json`] puts it back).
    fn embed(&mut self, expression: Expression) -> Value {
        let index = self.embedded.len();
        self.embedded.push(expression);
        let mut map = serde_json::Map::new();
        map.insert(EMBEDDED.to_owned(), Value::from(index));
        Value::Object(map)
    }

    /// A JSON document as an HCL value, with embedded expressions in place.
    pub fn json(&self, value: &Value) -> Expression {
        self.json_at(value, 0)
    }

    fn json_at(&self, value: &Value, depth: usize) -> Expression {
        if depth > MAX_DEPTH {
            return call("jsondecode", vec![Expression::String(value.to_string())]);
        }
        match value {
            Value::Null => Expression::Null,
            Value::Bool(flag) => Expression::Bool(*flag),
            Value::Number(number) => json_number(number),
            Value::String(text) => Expression::String(text.clone()),
            Value::Array(items) => Expression::Array(
                items
                    .iter()
                    .map(|item| self.json_at(item, depth + 1))
                    .collect(),
            ),
            Value::Object(map) => {
                if map.len() == 1 {
                    if let Some(expression) = map
                        .get(EMBEDDED)
                        .and_then(Value::as_u64)
                        .and_then(|index| usize::try_from(index).ok())
                        .and_then(|index| self.embedded.get(index))
                    {
                        return expression.clone();
                    }
                }
                object(
                    map.iter()
                        .map(|(key, item)| (key.clone(), self.json_at(item, depth + 1))),
                )
            }
        }
    }
}

fn json_number(number: &serde_json::Number) -> Expression {
    if let Some(integer) = number.as_i64() {
        Expression::Number(Number::from(integer))
    } else if let Some(integer) = number.as_u64() {
        Expression::Number(Number::from(integer))
    } else {
        number
            .as_f64()
            .and_then(Number::from_f64)
            .map_or(Expression::Null, Expression::Number)
    }
}

/// The kind of value a document context (see [`crate::openapi::document`]) holds.
fn kind_of_context(context: &str) -> ValueKind {
    if context.starts_with("role of") {
        ValueKind::RoleArn
    } else if context.starts_with("user pool of") {
        ValueKind::UserPoolArn
    } else {
        ValueKind::Text
    }
}

impl RenderExpr for TfExprs {
    fn render(&mut self, expr: &Expr, context: &str) -> Value {
        match expr {
            Expr::Literal { value } => Value::String(value.clone()),
            other => {
                let expression = self.expression(other, context, kind_of_context(context));
                match expression {
                    Expression::String(text) => Value::String(text),
                    other => self.embed(other),
                }
            }
        }
    }
}

fn describe(source: &str, context: &str) -> String {
    let mut text = match source.split_once('.') {
        Some((resource, attribute)) => {
            format!("The {attribute} of `{resource}`, used by the {context}.")
        }
        None => format!("Value of `{source}`, used by the {context}."),
    };
    truncate(&mut text, 400);
    text
}

pub(crate) fn truncate(text: &mut String, limit: usize) {
    if text.len() > limit {
        let mut cut = limit;
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        text.truncate(cut);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(expression: &Expression) -> String {
        hcl::format::to_string(expression).unwrap_or_default()
    }

    #[test]
    fn templates_interpolate_only_deploy_time_parts() {
        let mut exprs = TfExprs::default();
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
                    name: "OrdersArn".into(),
                },
                TemplatePart::Text {
                    value: "/invocations?v=${stageVariables.v}&q=\"%{x}".into(),
                },
            ],
        };
        let expression = exprs.expression(&expr, "integration", ValueKind::Text);
        assert_eq!(
            text(&expression),
            r#""arn:aws:apigateway:${data.aws_region.current.region}:lambda:path/2015-03-31/functions/${var.orders_arn}/invocations?v=$${stageVariables.v}&q=\"%%{x}""#
        );
        assert_eq!(exprs.variables["OrdersArn"].kind, ValueKind::LambdaArn);
        assert_eq!(
            text(&exprs.expression(&Expr::literal("${stageVariables.x}"), "x", ValueKind::Text)),
            r#""$${stageVariables.x}""#
        );
        let lone = Expr::Template {
            parts: vec![TemplatePart::Ref {
                name: "lambda_arn".into(),
            }],
        };
        assert_eq!(
            text(&exprs.expression(&lone, "x", ValueKind::Text)),
            "var.lambda_arn"
        );
    }

    #[test]
    fn keys_are_bare_only_when_they_read_back_the_same() {
        assert!(matches!(
            object_key("x-amazon-apigateway-integration"),
            ObjectKey::Identifier(_)
        ));
        assert!(matches!(object_key("null"), ObjectKey::Expression(_)));
        assert!(matches!(object_key("/pets"), ObjectKey::Expression(_)));
        assert!(matches!(object_key("é"), ObjectKey::Expression(_)));
    }
}
