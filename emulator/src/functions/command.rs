//! A function that is a plain command: one process per invocation, the event on stdin, the
//! result on stdout. A non-zero exit is a function error; stderr is shown as handler output.

use std::process::Stdio;
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::process::Command;

use super::{timeout_error, Invocation, Launch, Outcome};
use crate::log::{Line, Sink, Source};
use crate::plan::FunctionPlan;

pub(crate) struct CommandFunction {
    plan: FunctionPlan,
    launch: Launch,
    sink: Sink,
}

impl CommandFunction {
    pub fn new(plan: FunctionPlan, launch: Launch, sink: Sink) -> Self {
        CommandFunction { plan, launch, sink }
    }

    pub async fn invoke(&self, invocation: Invocation) -> Outcome {
        let Some((program, arguments)) = self.launch.argv.split_first() else {
            return Outcome::NotInvoked(format!(
                "function `{}` has an empty command",
                self.plan.name
            ));
        };
        let mut command = Command::new(program);
        command
            .args(arguments)
            .envs(self.launch.env.iter().map(|(key, value)| (key, value)))
            .env("AWS_LAMBDA_REQUEST_ID", &invocation.request_id)
            .env("_X_AMZN_TRACE_ID", &invocation.trace_id)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true);
        if let Some(dir) = &self.launch.dir {
            command.current_dir(dir);
        }
        let mut child = match command.spawn() {
            Ok(child) => child,
            Err(error) => {
                return Outcome::NotInvoked(format!(
                    "function `{}`: cannot start `{program}`: {error}",
                    self.plan.name
                ))
            }
        };
        if let Some(mut stdin) = child.stdin.take() {
            let payload = invocation.payload.clone();
            tokio::spawn(async move {
                // A command that does not read its input is not an error.
                let _ = stdin.write_all(&payload).await;
            });
        }
        if let Some(stderr) = child.stderr.take() {
            let sink = std::sync::Arc::clone(&self.sink);
            let name = self.plan.name.clone();
            tokio::spawn(async move {
                let mut lines = BufReader::new(stderr).lines();
                while let Ok(Some(text)) = lines.next_line().await {
                    sink(Line {
                        source: Source::Function(name.clone()),
                        text,
                    });
                }
            });
        }
        let mut stdout = child.stdout.take();
        let run = async {
            let mut output = Vec::new();
            if let Some(stdout) = stdout.as_mut() {
                let _ = stdout.read_to_end(&mut output).await;
            }
            let status = child.wait().await;
            (output, status)
        };
        let timeout = Duration::from_secs(self.plan.timeout_seconds);
        match tokio::time::timeout(timeout, run).await {
            Ok((output, Ok(status))) if status.success() => Outcome::Success(output),
            Ok((output, status)) => {
                let detail =
                    status.map_or_else(|error| error.to_string(), |status| status.to_string());
                Outcome::FunctionError(
                    serde_json::json!({
                        "errorMessage": format!("command exited with {detail}"),
                        "errorType": "Runtime.ExitError",
                        "output": String::from_utf8_lossy(&output),
                    })
                    .to_string()
                    .into_bytes(),
                )
            }
            // The child is killed when dropped.
            Err(_) => Outcome::FunctionError(timeout_error(
                &invocation.request_id,
                self.plan.timeout_seconds,
            )),
        }
    }
}
