//! Running Lambda functions locally: the Lambda Runtime API in front of handler processes
//! (warm instances, one more when all are busy, up to a limit), a plain command reading the
//! event on stdin, or a URL speaking the Lambda Invoke API. Callers see one [`Function`] and an
//! [`Outcome`]; nothing here knows about API Gateway.

mod command;
mod runtime_api;
pub mod runtimes;
pub(crate) mod url;

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use crate::log::{self, Sink};
use crate::plan::{FunctionPlan, LocalBinding, REGION};

pub(crate) use url::HttpClient;

/// Lambda: 6 MB request and response payloads for synchronous invocations (quotas).
pub const MAX_PAYLOAD_BYTES: usize = 6 * 1024 * 1024;

/// Lambda: 10 s for a function's init phase (on-demand).
pub const INIT_TIMEOUT: Duration = Duration::from_secs(10);

/// One invocation's input.
#[derive(Clone, Debug)]
pub struct Invocation {
    pub payload: Vec<u8>,
    pub request_id: String,
    pub trace_id: String,
}

/// How an invocation ended.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    /// The function returned this payload.
    Success(Vec<u8>),
    /// The function raised, crashed or timed out; the payload is Lambda's error document.
    FunctionError(Vec<u8>),
    /// The function could not be invoked at all (no local binding, process did not start).
    NotInvoked(String),
}

/// Knobs for running functions.
#[derive(Clone, Debug)]
pub struct RunOptions {
    /// Most instances of one function at once; more requests wait for a free one.
    pub max_instances: usize,
    /// Directory holding apigw's own runtime clients (written at start).
    pub runtime_dir: PathBuf,
    /// Directory that relative `code:`/`dir:` paths are resolved against.
    pub base_dir: PathBuf,
}

/// A function ready to invoke.
pub struct Function {
    pub plan: FunctionPlan,
    backend: Backend,
}

enum Backend {
    RuntimeApi(Arc<runtime_api::Pool>),
    Command(command::CommandFunction),
    Url(url::UrlFunction),
    Unbound,
}

/// What a process-based function runs and with which environment.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Launch {
    pub argv: Vec<String>,
    pub dir: Option<PathBuf>,
    pub env: Vec<(String, String)>,
}

/// `path` made absolute against the current directory: handler processes run in their own
/// directory, where a relative path would be resolved a second time.
fn absolute(path: PathBuf) -> PathBuf {
    if path.is_absolute() {
        return path;
    }
    std::env::current_dir()
        .map(|current| current.join(&path))
        .unwrap_or(path)
}

impl Function {
    pub fn new(plan: FunctionPlan, options: &RunOptions, client: &HttpClient, sink: &Sink) -> Self {
        let backend = match &plan.local {
            None => Backend::Unbound,
            Some(LocalBinding::Url { url }) => Backend::Url(url::UrlFunction::new(
                url,
                &plan.name,
                client.clone(),
                Duration::from_secs(plan.timeout_seconds),
            )),
            Some(LocalBinding::Command { argv, dir }) => {
                let launch = Launch {
                    argv: argv.clone(),
                    dir: dir.as_ref().map(|dir| absolute(options.base_dir.join(dir))),
                    env: lambda_environment(&plan, None, None),
                };
                Backend::Command(command::CommandFunction::new(
                    plan.clone(),
                    launch,
                    Arc::clone(sink),
                ))
            }
            Some(LocalBinding::RuntimeApi { argv, dir }) => {
                let dir = dir.as_ref().map(|dir| absolute(options.base_dir.join(dir)));
                let launch = Launch {
                    argv: argv.clone(),
                    env: lambda_environment(&plan, None, dir.as_ref()),
                    dir,
                };
                Backend::RuntimeApi(runtime_api::Pool::new(
                    plan.clone(),
                    launch,
                    options.max_instances,
                    Arc::clone(sink),
                ))
            }
            Some(LocalBinding::Runtime {
                runtime,
                handler,
                code,
            }) => {
                let code_dir = absolute(code.as_ref().map_or_else(
                    || options.base_dir.clone(),
                    |code| options.base_dir.join(code),
                ));
                match runtimes::launch_for(runtime, &options.runtime_dir, &code_dir) {
                    Ok(argv) => {
                        let launch = Launch {
                            argv,
                            env: lambda_environment(
                                &plan,
                                Some((runtime, handler)),
                                Some(&code_dir),
                            ),
                            dir: Some(code_dir),
                        };
                        Backend::RuntimeApi(runtime_api::Pool::new(
                            plan.clone(),
                            launch,
                            options.max_instances,
                            Arc::clone(sink),
                        ))
                    }
                    Err(reason) => {
                        log::gateway(sink, format!("function `{}`: {reason}", plan.name));
                        Backend::Unbound
                    }
                }
            }
        };
        Function { plan, backend }
    }

    /// Invokes the function; the function's own timeout is applied here.
    pub async fn invoke(&self, invocation: Invocation) -> Outcome {
        match &self.backend {
            Backend::RuntimeApi(pool) => pool.invoke(invocation).await,
            Backend::Command(command) => command.invoke(invocation).await,
            Backend::Url(url) => url.invoke(invocation).await,
            Backend::Unbound => Outcome::NotInvoked(format!(
                "function `{}` has no local binding (give it one in the DSL or with --functions)",
                self.plan.name
            )),
        }
    }

    /// How many instances are running (Runtime API functions only).
    pub fn instance_count(&self) -> usize {
        match &self.backend {
            Backend::RuntimeApi(pool) => pool.instance_count(),
            _ => 0,
        }
    }
}

/// The functions of a plan, by name.
#[derive(Default)]
pub struct Functions {
    by_name: HashMap<String, Arc<Function>>,
}

impl Functions {
    /// Builds every function of `plans`, reusing a function of `previous` (and its warm
    /// instances) when its plan did not change.
    pub fn build(
        plans: &[FunctionPlan],
        previous: Option<&Functions>,
        options: &RunOptions,
        client: &HttpClient,
        sink: &Sink,
    ) -> Self {
        let mut by_name = HashMap::new();
        for plan in plans {
            let reused = previous
                .and_then(|previous| previous.by_name.get(&plan.name))
                .filter(|function| &function.plan == plan)
                .cloned();
            let function = reused
                .unwrap_or_else(|| Arc::new(Function::new(plan.clone(), options, client, sink)));
            by_name.insert(plan.name.clone(), function);
        }
        Functions { by_name }
    }

    pub fn get(&self, name: &str) -> Option<&Arc<Function>> {
        self.by_name.get(name)
    }
}

/// The environment Lambda sets for a function (Lambda: defined runtime environment variables).
/// The caller's own environment is inherited underneath, so local credentials still work.
fn lambda_environment(
    plan: &FunctionPlan,
    runtime: Option<(&String, &String)>,
    task_root: Option<&PathBuf>,
) -> Vec<(String, String)> {
    let mut env = vec![
        ("AWS_LAMBDA_FUNCTION_NAME".to_string(), plan.name.clone()),
        (
            "AWS_LAMBDA_FUNCTION_VERSION".to_string(),
            "$LATEST".to_string(),
        ),
        (
            "AWS_LAMBDA_FUNCTION_MEMORY_SIZE".to_string(),
            plan.memory_mb.to_string(),
        ),
        (
            "AWS_LAMBDA_FUNCTION_TIMEOUT".to_string(),
            plan.timeout_seconds.to_string(),
        ),
        (
            "AWS_LAMBDA_LOG_GROUP_NAME".to_string(),
            format!("/aws/lambda/{}", plan.name),
        ),
        (
            "AWS_LAMBDA_LOG_STREAM_NAME".to_string(),
            "local/[$LATEST]apigw".to_string(),
        ),
        (
            "AWS_LAMBDA_INITIALIZATION_TYPE".to_string(),
            "on-demand".to_string(),
        ),
        ("AWS_REGION".to_string(), REGION.to_string()),
        ("AWS_DEFAULT_REGION".to_string(), REGION.to_string()),
        ("TZ".to_string(), ":UTC".to_string()),
    ];
    if let Some((runtime, handler)) = runtime {
        env.push(("_HANDLER".to_string(), handler.clone()));
        env.push((
            "AWS_EXECUTION_ENV".to_string(),
            format!("AWS_Lambda_{runtime}"),
        ));
    }
    if let Some(root) = task_root {
        env.push((
            "LAMBDA_TASK_ROOT".to_string(),
            root.to_string_lossy().into_owned(),
        ));
    }
    env
}

/// Lambda's error document for a function that ran past its timeout.
pub(crate) fn timeout_error(request_id: &str, seconds: u64) -> Vec<u8> {
    serde_json::json!({
        "errorMessage": format!("{request_id} Task timed out after {seconds}.00 seconds"),
        "errorType": "Sandbox.Timedout",
    })
    .to_string()
    .into_bytes()
}

/// Lambda's error document for a runtime process that exited mid-invocation.
pub(crate) fn exit_error(detail: &str) -> Vec<u8> {
    serde_json::json!({
        "errorMessage": format!("RequestId: Error: Runtime exited {detail}"),
        "errorType": "Runtime.ExitError",
    })
    .to_string()
    .into_bytes()
}
