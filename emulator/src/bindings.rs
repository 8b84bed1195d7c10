//! The `--functions FILE` format: where each function runs locally, for specs and templates
//! that cannot say it themselves. A YAML (or JSON) mapping from a function's name or ARN to
//! one of:
//!
//! ```yaml
//! orders: {runtime: python3.12, handler: app.handler, code: ./orders}
//! users: {bootstrap: ./target/debug/users}           # speaks the Runtime API
//! report: {command: ["./report.sh"]}                 # event on stdin, result on stdout
//! "arn:aws:lambda:us-east-1:123456789012:function:pay": {url: "http://127.0.0.1:9001"}
//! ```
//!
//! Optional keys: `timeout` (seconds) and `dir` (working directory). Relative paths are taken
//! from the file's directory.

use std::path::{Path, PathBuf};

use apigw_compiler::ir::{Api, FunctionBinding, LocalFunction};
use indexmap::IndexMap;
use saphyr_parser::{Event, Parser};
use serde_json::Value;

/// Deepest nesting read from a bindings file.
const MAX_DEPTH: usize = 32;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum BindingsError {
    #[error("not valid YAML: {0}")]
    Syntax(String),
    #[error("the file must be a mapping from function names or ARNs to bindings")]
    NotAMapping,
    #[error("function `{name}`: {message}")]
    Binding { name: String, message: String },
}

/// One function's local binding.
#[derive(Clone, Debug, PartialEq)]
pub struct Binding {
    pub local: LocalFunction,
    pub timeout_seconds: Option<i64>,
}

/// Every binding of a file, by function name or ARN.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FunctionBindings {
    pub bindings: IndexMap<String, Binding>,
}

/// Reads YAML into JSON values: every scalar is a string (the format needs no other type).
fn yaml_to_json(text: &str) -> Result<Value, BindingsError> {
    let mut parser = Parser::new_from_str(text);
    let mut stack: Vec<(Value, Option<String>)> = Vec::new();
    let mut root = None;
    while let Some(event) = parser.next_event() {
        let (event, _span) = event.map_err(|error| BindingsError::Syntax(error.to_string()))?;
        let value = match event {
            Event::MappingStart(..) | Event::SequenceStart(..) => {
                if stack.len() >= MAX_DEPTH {
                    return Err(BindingsError::Syntax("nested too deeply".to_string()));
                }
                let container = if matches!(event, Event::MappingStart(..)) {
                    Value::Object(serde_json::Map::new())
                } else {
                    Value::Array(Vec::new())
                };
                stack.push((container, None));
                continue;
            }
            Event::MappingEnd | Event::SequenceEnd => match stack.pop() {
                Some((container, _)) => container,
                None => return Err(BindingsError::Syntax("unbalanced document".to_string())),
            },
            Event::Scalar(text, style, _, _) => {
                let plain = matches!(style, saphyr_parser::ScalarStyle::Plain);
                if plain && (text == "~" || text == "null" || text.is_empty()) {
                    Value::Null
                } else {
                    Value::String(text.into_owned())
                }
            }
            Event::Alias(_) => {
                return Err(BindingsError::Syntax(
                    "aliases are not supported here".to_string(),
                ))
            }
            _ => continue,
        };
        match stack.last_mut() {
            None => root = Some(value),
            Some((Value::Array(items), _)) => items.push(value),
            Some((Value::Object(map), pending_key)) => match pending_key.take() {
                None => {
                    let key = match value {
                        Value::String(key) => key,
                        Value::Null => String::new(),
                        _ => return Err(BindingsError::Syntax("a key must be text".to_string())),
                    };
                    *pending_key = Some(key);
                }
                Some(key) => {
                    map.insert(key, value);
                }
            },
            Some(_) => return Err(BindingsError::Syntax("unexpected value".to_string())),
        }
    }
    Ok(root.unwrap_or(Value::Null))
}

fn argv(value: &Value) -> Option<Vec<String>> {
    match value {
        Value::String(text) => Some(text.split_whitespace().map(str::to_string).collect()),
        Value::Array(items) => items
            .iter()
            .map(|item| item.as_str().map(str::to_string))
            .collect(),
        _ => None,
    }
}

/// A program path relative to `base` when it names a file there (`./run.sh`, `bin/run`).
fn program_path(program: &str, base: &Path) -> String {
    if program.contains('/') && !Path::new(program).is_absolute() {
        base.join(program).to_string_lossy().into_owned()
    } else {
        program.to_string()
    }
}

fn absolute(path: &str, base: &Path) -> String {
    base.join(path).to_string_lossy().into_owned()
}

impl FunctionBindings {
    /// Parses a bindings file; `base` is its directory.
    pub fn parse(text: &str, base: &Path) -> Result<Self, BindingsError> {
        let Value::Object(entries) = yaml_to_json(text)? else {
            return Err(BindingsError::NotAMapping);
        };
        let mut bindings = IndexMap::new();
        for (name, entry) in entries {
            let fail = |message: &str| BindingsError::Binding {
                name: name.clone(),
                message: message.to_string(),
            };
            let Value::Object(entry) = entry else {
                return Err(fail(
                    "expected a mapping with `runtime`, `bootstrap`, `command` or `url`",
                ));
            };
            let text = |key: &str| entry.get(key).and_then(Value::as_str).map(str::to_string);
            let dir = text("dir").map(|dir| absolute(&dir, base));
            let local = if let Some(url) = text("url") {
                LocalFunction::Url { url }
            } else if let Some(command) = entry.get("command") {
                let mut argv = argv(command)
                    .ok_or_else(|| fail("`command` must be text or a list of text"))?;
                if let Some(program) = argv.first_mut() {
                    *program = program_path(program, base);
                }
                LocalFunction::Command { argv, dir }
            } else if let Some(bootstrap) = entry.get("bootstrap") {
                let mut argv = argv(bootstrap)
                    .ok_or_else(|| fail("`bootstrap` must be text or a list of text"))?;
                if let Some(program) = argv.first_mut() {
                    *program = program_path(program, base);
                }
                LocalFunction::RuntimeApi { argv, dir }
            } else if let Some(runtime) = text("runtime") {
                let handler = text("handler")
                    .ok_or_else(|| fail("`runtime` needs a `handler` (module.function)"))?;
                LocalFunction::Runtime {
                    runtime,
                    handler,
                    code: Some(absolute(
                        &text("code").unwrap_or_else(|| ".".to_string()),
                        base,
                    )),
                }
            } else {
                return Err(fail(
                    "expected one of `runtime`, `bootstrap`, `command` or `url`",
                ));
            };
            if matches!(&local, LocalFunction::Command { argv, .. } | LocalFunction::RuntimeApi { argv, .. } if argv.is_empty())
            {
                return Err(fail("the command is empty"));
            }
            let timeout_seconds = match text("timeout") {
                Some(timeout) => Some(
                    timeout
                        .parse::<i64>()
                        .ok()
                        .filter(|seconds| (1..=900).contains(seconds))
                        // Lambda: timeout between 1 and 900 seconds (quotas).
                        .ok_or_else(|| fail("`timeout` must be whole seconds from 1 to 900"))?,
                ),
                None => None,
            };
            bindings.insert(
                name.clone(),
                Binding {
                    local,
                    timeout_seconds,
                },
            );
        }
        Ok(FunctionBindings { bindings })
    }

    /// Reads and parses a bindings file.
    pub fn read(path: &Path) -> Result<Self, ReadError> {
        let text = std::fs::read_to_string(path).map_err(|source| ReadError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        let base = path.parent().unwrap_or(Path::new("."));
        FunctionBindings::parse(&text, base).map_err(|source| ReadError::Invalid {
            path: path.to_path_buf(),
            source,
        })
    }

    /// Binds every function of `apis` named (by name or ARN) in this file. Returns the names
    /// of bindings that matched no function.
    pub fn apply(&self, apis: &mut [Api]) -> Vec<String> {
        let mut used = vec![false; self.bindings.len()];
        for api in apis.iter_mut() {
            for function in &mut api.functions {
                let arn = match &function.binding {
                    FunctionBinding::Arn { arn } => Some(arn.as_str()),
                    _ => None,
                };
                let found = self.bindings.iter().enumerate().find(|(_, (key, _))| {
                    key.as_str() == function.name || Some(key.as_str()) == arn
                });
                if let Some((index, (_, binding))) = found {
                    if let Some(flag) = used.get_mut(index) {
                        *flag = true;
                    }
                    function.local = Some(binding.local.clone());
                    if binding.timeout_seconds.is_some() {
                        function.timeout_seconds = binding.timeout_seconds;
                    }
                }
            }
        }
        self.bindings
            .keys()
            .zip(used)
            .filter(|(_, used)| !used)
            .map(|(name, _)| name.clone())
            .collect()
    }
}

impl FunctionBindings {
    /// Binds the functions of a resolved plan, as [`FunctionBindings::apply`] does for the IR.
    pub fn apply_to_plan(&self, plan: &mut crate::plan::Plan) -> Vec<String> {
        let mut used = vec![false; self.bindings.len()];
        for function in &mut plan.functions {
            let found = self
                .bindings
                .iter()
                .enumerate()
                .find(|(_, (key, _))| **key == function.name || **key == function.arn);
            if let Some((index, (_, binding))) = found {
                if let Some(flag) = used.get_mut(index) {
                    *flag = true;
                }
                function.local = Some(crate::plan::LocalBinding::from(&binding.local));
                if let Some(seconds) = binding
                    .timeout_seconds
                    .and_then(|seconds| u64::try_from(seconds).ok())
                {
                    function.timeout_seconds = seconds;
                }
            }
        }
        self.bindings
            .keys()
            .zip(used)
            .filter(|(_, used)| !used)
            .map(|(name, _)| name.clone())
            .collect()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("cannot read {path}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}")]
    Invalid {
        path: PathBuf,
        #[source]
        source: BindingsError,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_each_kind_of_binding() {
        let text = r#"
orders: {runtime: python3.12, handler: app.handler, code: src, timeout: 10}
users:
  bootstrap: ./bin/users
report: {command: ["./report.sh", "--json"]}
"arn:aws:lambda:us-east-1:123456789012:function:pay": {url: "http://127.0.0.1:9001"}
"#;
        let bindings = FunctionBindings::parse(text, Path::new("/srv")).unwrap();
        assert_eq!(
            bindings.bindings.get("orders").unwrap(),
            &Binding {
                local: LocalFunction::Runtime {
                    runtime: "python3.12".into(),
                    handler: "app.handler".into(),
                    code: Some("/srv/src".into()),
                },
                timeout_seconds: Some(10),
            }
        );
        assert_eq!(
            bindings.bindings.get("users").unwrap().local,
            LocalFunction::RuntimeApi {
                argv: vec!["/srv/./bin/users".into()],
                dir: None
            }
        );
        assert_eq!(
            bindings.bindings.get("report").unwrap().local,
            LocalFunction::Command {
                argv: vec!["/srv/./report.sh".into(), "--json".into()],
                dir: None
            }
        );
        assert!(bindings
            .bindings
            .contains_key("arn:aws:lambda:us-east-1:123456789012:function:pay"));
    }

    #[test]
    fn names_the_function_with_a_bad_binding() {
        let error =
            FunctionBindings::parse("orders: {handler: app.handler}", Path::new(".")).unwrap_err();
        assert!(matches!(error, BindingsError::Binding { name, .. } if name == "orders"));
        assert_eq!(
            FunctionBindings::parse("- a\n- b", Path::new(".")).unwrap_err(),
            BindingsError::NotAMapping
        );
    }
}
