//! Values known only at deploy time. Each target renders an [`Expr`] in its own language:
//! CloudFormation `Ref`/`Fn::Sub`/`Fn::GetAtt`, Terraform `var.x` and `"${...}"`, the emulator's
//! local bindings. API Gateway's own `${stageVariables.x}` and `$context` are plain text here.

use serde::Serialize;

/// CloudFormation's pseudo parameters, which a spec or a template-derived name writes as
/// `${AWS::Region}`: deploy-time values wherever they stand.
pub const PSEUDO_PARAMETERS: &[&str] = &[
    "AWS::AccountId",
    "AWS::NotificationARNs",
    "AWS::Partition",
    "AWS::Region",
    "AWS::StackId",
    "AWS::StackName",
    "AWS::URLSuffix",
];

/// A deploy-time value.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Expr {
    /// Text known now.
    Literal { value: String },
    /// A whole value bound at deploy time: a CloudFormation `Ref` (parameter, resource or pseudo
    /// parameter such as `AWS::Region`) or a Terraform `templatefile` variable (`${lambda_arn}`).
    Ref { name: String },
    /// `Fn::GetAtt` of a resource in the same stack.
    GetAtt { resource: String, attribute: String },
    /// Text with deploy-time parts: `Fn::Sub`, or a string holding `${name}` placeholders.
    Template { parts: Vec<TemplatePart> },
    /// Any other intrinsic function (`Fn::If`, `Fn::Join`, `Fn::ImportValue` …), kept verbatim
    /// so that a CloudFormation target can emit it unchanged.
    Intrinsic {
        function: String,
        value: serde_json::Value,
    },
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum TemplatePart {
    /// Literal text. API Gateway's own `${stageVariables.x}` is text, not a placeholder.
    Text { value: String },
    /// `${Name}`: a parameter, resource, pseudo parameter or templatefile variable.
    Ref { name: String },
    /// `${Resource.Attribute}` inside `Fn::Sub`.
    GetAtt { resource: String, attribute: String },
    /// A `Fn::Sub` variable bound to an expression (`Fn::Sub: [text, {Name: expr}]`).
    Bound { name: String, value: Box<Expr> },
}

impl Expr {
    pub fn literal(value: impl Into<String>) -> Self {
        Expr::Literal {
            value: value.into(),
        }
    }

    pub fn as_literal(&self) -> Option<&str> {
        match self {
            Expr::Literal { value } => Some(value),
            _ => None,
        }
    }

    pub fn is_literal(&self) -> bool {
        matches!(self, Expr::Literal { .. })
    }

    /// The text with every deploy-time part shown as `${name}`, for messages and for the
    /// OpenAPI target's placeholders.
    pub fn display_text(&self) -> String {
        match self {
            Expr::Literal { value } => value.clone(),
            Expr::Ref { name } => format!("${{{name}}}"),
            Expr::GetAtt {
                resource,
                attribute,
            } => format!("${{{resource}.{attribute}}}"),
            Expr::Template { parts } => parts
                .iter()
                .map(|part| match part {
                    TemplatePart::Text { value } => value.clone(),
                    TemplatePart::Ref { name } | TemplatePart::Bound { name, .. } => {
                        format!("${{{name}}}")
                    }
                    TemplatePart::GetAtt {
                        resource,
                        attribute,
                    } => {
                        format!("${{{resource}.{attribute}}}")
                    }
                })
                .collect(),
            Expr::Intrinsic { function, .. } => format!("${{{function}}}"),
        }
    }

    /// The literal text segments, with deploy-time parts left out; for checks that can only look
    /// at the known parts (a Lambda URI's shape around a `${FunctionArn}`).
    pub fn known_text(&self) -> Option<String> {
        match self {
            Expr::Literal { value } => Some(value.clone()),
            Expr::Template { parts } => Some(
                parts
                    .iter()
                    .filter_map(|part| match part {
                        TemplatePart::Text { value } => Some(value.as_str()),
                        _ => None,
                    })
                    .collect(),
            ),
            _ => None,
        }
    }

    /// Every name this expression needs bound at deploy time (refs and template refs).
    pub fn references(&self) -> Vec<String> {
        let mut out = Vec::new();
        self.collect_references(&mut out);
        out
    }

    fn collect_references(&self, out: &mut Vec<String>) {
        match self {
            Expr::Ref { name } => out.push(name.clone()),
            Expr::GetAtt { resource, .. } => out.push(resource.clone()),
            Expr::Template { parts } => {
                for part in parts {
                    match part {
                        TemplatePart::Ref { name } => out.push(name.clone()),
                        TemplatePart::GetAtt { resource, .. } => out.push(resource.clone()),
                        TemplatePart::Bound { value, .. } => value.collect_references(out),
                        TemplatePart::Text { .. } => {}
                    }
                }
            }
            Expr::Literal { .. } | Expr::Intrinsic { .. } => {}
        }
    }
}

impl From<&str> for Expr {
    fn from(value: &str) -> Self {
        Expr::literal(value)
    }
}
