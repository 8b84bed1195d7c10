//! The Lambda Runtime API (2018-06-01) served to handler processes, one loopback port per
//! instance as each Lambda sandbox has its own: `invocation/next`, `invocation/{id}/response`,
//! `invocation/{id}/error` and `init/error`. A pool keeps warm instances and starts one more
//! when all are busy, up to its limit.

use std::process::Stdio;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::net::TcpListener;
use tokio::process::Command;
use tokio::sync::{mpsc, oneshot, watch, Semaphore};

use super::{exit_error, timeout_error, Invocation, Launch, Outcome, INIT_TIMEOUT};
use crate::clock;
use crate::http1::{self, Handler, Request, Response};
use crate::log::{self, Line, Sink, Source};
use crate::plan::FunctionPlan;

/// A queued invocation, handed to the runtime by `invocation/next`.
struct Pending {
    invocation: Invocation,
    started: oneshot::Sender<()>,
    reply: oneshot::Sender<Outcome>,
}

/// The invocation a runtime is working on.
struct Current {
    request_id: String,
    reply: oneshot::Sender<Outcome>,
}

/// State shared by an instance's Runtime API server and its pool.
struct InstanceShared {
    plan: FunctionPlan,
    next: tokio::sync::Mutex<mpsc::Receiver<Pending>>,
    current: Mutex<Option<Current>>,
    alive: AtomicBool,
    sink: Sink,
}

/// One running handler process and its Runtime API endpoint.
struct Instance {
    id: u64,
    queue: mpsc::Sender<Pending>,
    shared: Arc<InstanceShared>,
    /// Dropping this ends the process (and the Runtime API server).
    _stop: watch::Sender<bool>,
}

impl Instance {
    fn is_alive(&self) -> bool {
        self.shared.alive.load(Ordering::SeqCst)
    }
}

pub(crate) struct Pool {
    plan: FunctionPlan,
    launch: Launch,
    permits: Semaphore,
    idle: Mutex<Vec<Arc<Instance>>>,
    running: Arc<AtomicU64>,
    next_id: AtomicU64,
    sink: Sink,
}

impl Pool {
    pub fn new(plan: FunctionPlan, launch: Launch, max_instances: usize, sink: Sink) -> Arc<Self> {
        Arc::new(Pool {
            plan,
            launch,
            permits: Semaphore::new(max_instances.max(1)),
            idle: Mutex::new(Vec::new()),
            running: Arc::new(AtomicU64::new(0)),
            next_id: AtomicU64::new(1),
            sink,
        })
    }

    pub fn instance_count(&self) -> usize {
        usize::try_from(self.running.load(Ordering::SeqCst)).unwrap_or(usize::MAX)
    }

    fn take_idle(&self) -> Option<Arc<Instance>> {
        let mut idle = self.idle.lock().ok()?;
        while let Some(instance) = idle.pop() {
            if instance.is_alive() {
                return Some(instance);
            }
        }
        None
    }

    pub async fn invoke(self: &Arc<Self>, invocation: Invocation) -> Outcome {
        // Waits for a free instance slot when the limit is reached.
        let Ok(_permit) = self.permits.acquire().await else {
            return Outcome::NotInvoked("function pool closed".to_string());
        };
        let instance = match self.take_idle() {
            Some(instance) => instance,
            None => match self.start_instance().await {
                Ok(instance) => instance,
                Err(reason) => return Outcome::NotInvoked(reason),
            },
        };
        let request_id = invocation.request_id.clone();
        let (started_tx, started_rx) = oneshot::channel();
        let (reply_tx, reply_rx) = oneshot::channel();
        let pending = Pending {
            invocation,
            started: started_tx,
            reply: reply_tx,
        };
        if instance.queue.send(pending).await.is_err() {
            return Outcome::FunctionError(exit_error("before the invocation"));
        }
        // The function's timeout starts when the runtime takes the event; before that the
        // process is initialising, which Lambda bounds separately.
        match tokio::time::timeout(INIT_TIMEOUT, started_rx).await {
            Ok(Ok(())) => {}
            Ok(Err(_)) => return self.finish(instance, reply_rx.await.ok()),
            Err(_) => {
                self.retire(
                    &instance,
                    "did not ask for an event within the init timeout",
                );
                return Outcome::FunctionError(
                    serde_json::json!({
                        "errorMessage": "INIT_REPORT Init Duration: 10000.00 ms Phase: init Status: timeout",
                        "errorType": "Runtime.InitTimeout",
                    })
                    .to_string()
                    .into_bytes(),
                );
            }
        }
        let timeout = Duration::from_secs(self.plan.timeout_seconds);
        match tokio::time::timeout(timeout, reply_rx).await {
            Ok(reply) => self.finish(instance, reply.ok()),
            Err(_) => {
                // Lambda resets the execution environment after a timeout.
                self.retire(&instance, "timed out");
                Outcome::FunctionError(timeout_error(&request_id, self.plan.timeout_seconds))
            }
        }
    }

    fn finish(&self, instance: Arc<Instance>, reply: Option<Outcome>) -> Outcome {
        let outcome = reply.unwrap_or_else(|| Outcome::FunctionError(exit_error("with an error")));
        if instance.is_alive() {
            if let Ok(mut idle) = self.idle.lock() {
                idle.push(instance);
            }
        }
        outcome
    }

    fn retire(&self, instance: &Arc<Instance>, why: &str) {
        instance.shared.alive.store(false, Ordering::SeqCst);
        log::gateway(
            &self.sink,
            format!(
                "function `{}` instance {} {why}; stopping it",
                self.plan.name, instance.id
            ),
        );
        // The instance's stop channel is dropped with the last Arc, which kills the process.
    }

    async fn start_instance(&self) -> Result<Arc<Instance>, String> {
        let listener = TcpListener::bind(("127.0.0.1", 0))
            .await
            .map_err(|error| format!("cannot open a Runtime API port: {error}"))?;
        let address = listener
            .local_addr()
            .map_err(|error| format!("cannot read the Runtime API port: {error}"))?;
        let id = self.next_id.fetch_add(1, Ordering::SeqCst);
        let (queue_tx, queue_rx) = mpsc::channel(1);
        let shared = Arc::new(InstanceShared {
            plan: self.plan.clone(),
            next: tokio::sync::Mutex::new(queue_rx),
            current: Mutex::new(None),
            alive: AtomicBool::new(true),
            sink: Arc::clone(&self.sink),
        });
        let (stop_tx, stop_rx) = watch::channel(false);

        let (program, arguments) = self
            .launch
            .argv
            .split_first()
            .ok_or_else(|| format!("function `{}` has an empty command", self.plan.name))?;
        let mut command = Command::new(program);
        command
            .args(arguments)
            .envs(self.launch.env.iter().map(|(key, value)| (key, value)))
            .env("AWS_LAMBDA_RUNTIME_API", address.to_string())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true);
        if let Some(dir) = &self.launch.dir {
            command.current_dir(dir);
        }
        let mut child = command.spawn().map_err(|error| {
            format!(
                "function `{}`: cannot start `{program}`: {error}",
                self.plan.name
            )
        })?;
        forward_output(child.stdout.take(), &self.plan.name, &self.sink);
        forward_output(child.stderr.take(), &self.plan.name, &self.sink);

        let api = Arc::new(RuntimeApi {
            shared: Arc::clone(&shared),
        });
        tokio::spawn(http1::serve(
            listener,
            api,
            http1::Limits {
                max_body_bytes: super::MAX_PAYLOAD_BYTES,
            },
            stop_rx.clone(),
        ));

        // Watches the process: when it exits, or the instance is dropped, everything stops.
        let watched = Arc::clone(&shared);
        let running = Arc::clone(&self.running);
        running.fetch_add(1, Ordering::SeqCst);
        let mut stop_rx = stop_rx;
        tokio::spawn(async move {
            let status = tokio::select! {
                status = child.wait() => status.ok(),
                _ = stop_rx.changed() => {
                    let _ = child.kill().await;
                    None
                }
            };
            watched.alive.store(false, Ordering::SeqCst);
            running.fetch_sub(1, Ordering::SeqCst);
            let detail = status.map_or_else(
                || "after being stopped".to_string(),
                |status| format!("with {status}"),
            );
            // Fails the invocation in flight and every queued one.
            let current = watched.current.lock().ok().and_then(|mut slot| slot.take());
            if let Some(current) = current {
                let _ = current
                    .reply
                    .send(Outcome::FunctionError(exit_error(&detail)));
            }
            // A `next` call still parked on the queue fails what it receives (see `next`).
            if let Ok(mut queue) = watched.next.try_lock() {
                queue.close();
                while let Ok(pending) = queue.try_recv() {
                    let _ = pending
                        .reply
                        .send(Outcome::FunctionError(exit_error(&detail)));
                }
            }
        });

        Ok(Arc::new(Instance {
            id,
            queue: queue_tx,
            shared,
            _stop: stop_tx,
        }))
    }
}

/// Shows each line a handler prints, prefixed with its function's name.
fn forward_output(
    stream: Option<impl tokio::io::AsyncRead + Unpin + Send + 'static>,
    name: &str,
    sink: &Sink,
) {
    let Some(stream) = stream else { return };
    let name = name.to_string();
    let sink = Arc::clone(sink);
    tokio::spawn(async move {
        let mut lines = BufReader::new(stream).lines();
        while let Ok(Some(text)) = lines.next_line().await {
            sink(Line {
                source: Source::Function(name.clone()),
                text,
            });
        }
    });
}

struct RuntimeApi {
    shared: Arc<InstanceShared>,
}

const PREFIX: &str = "/2018-06-01/runtime/";

fn json_response(status: u16, body: serde_json::Value) -> Response {
    Response::new(status)
        .with_header("Content-Type", "application/json")
        .with_body(body.to_string())
}

fn accepted() -> Response {
    json_response(202, serde_json::json!({"status": "OK"}))
}

impl RuntimeApi {
    async fn next(&self) -> Response {
        let pending = {
            let mut queue = self.shared.next.lock().await;
            queue.recv().await
        };
        let Some(pending) = pending else {
            // The instance is going away; the process will be stopped.
            return json_response(
                500,
                serde_json::json!({"errorMessage": "instance stopped", "errorType": "ServiceException"}),
            );
        };
        if !self.shared.alive.load(Ordering::SeqCst) {
            let _ = pending
                .reply
                .send(Outcome::FunctionError(exit_error("before the invocation")));
            return json_response(
                500,
                serde_json::json!({"errorMessage": "instance stopped", "errorType": "ServiceException"}),
            );
        }
        let request_id = pending.invocation.request_id.clone();
        let deadline = clock::epoch_millis(SystemTime::now())
            .saturating_add(self.shared.plan.timeout_seconds.saturating_mul(1000));
        if let Ok(mut current) = self.shared.current.lock() {
            *current = Some(Current {
                request_id: request_id.clone(),
                reply: pending.reply,
            });
        }
        let _ = pending.started.send(());
        Response::new(200)
            .with_header("Content-Type", "application/json")
            .with_header("Lambda-Runtime-Aws-Request-Id", request_id)
            .with_header("Lambda-Runtime-Deadline-Ms", deadline.to_string())
            .with_header(
                "Lambda-Runtime-Invoked-Function-Arn",
                self.shared.plan.arn.clone(),
            )
            .with_header("Lambda-Runtime-Trace-Id", pending.invocation.trace_id)
            .with_body(pending.invocation.payload)
    }

    fn complete(&self, request_id: &str, outcome: Outcome) -> Response {
        let current = self.shared.current.lock().ok().and_then(|mut slot| {
            if slot
                .as_ref()
                .is_some_and(|current| current.request_id == request_id)
            {
                slot.take()
            } else {
                None
            }
        });
        match current {
            Some(current) => {
                let _ = current.reply.send(outcome);
                accepted()
            }
            None => json_response(
                400,
                serde_json::json!({
                    "errorMessage": format!("Invalid request ID: {request_id}"),
                    "errorType": "InvalidRequestID",
                }),
            ),
        }
    }
}

/// The error document a runtime posted, or one built from its error-type header.
fn error_document(request: &Request) -> Vec<u8> {
    let parsed: Option<serde_json::Value> = serde_json::from_slice(&request.body).ok();
    match parsed {
        Some(value) if value.is_object() => request.body.clone(),
        _ => serde_json::json!({
            "errorMessage": String::from_utf8_lossy(&request.body),
            "errorType": request
                .header("Lambda-Runtime-Function-Error-Type")
                .unwrap_or("Unhandled"),
        })
        .to_string()
        .into_bytes(),
    }
}

impl Handler for RuntimeApi {
    async fn handle(&self, request: Request) -> Response {
        let path = request.path().to_string();
        let Some(rest) = path.strip_prefix(PREFIX) else {
            return json_response(404, serde_json::json!({"message": "Not Found"}));
        };
        match (request.method.as_str(), rest) {
            ("GET", "invocation/next") => self.next().await,
            ("POST", "init/error") => {
                let document = error_document(&request);
                log::gateway(
                    &self.shared.sink,
                    format!(
                        "function `{}` failed to initialise: {}",
                        self.shared.plan.name,
                        String::from_utf8_lossy(&document)
                    ),
                );
                self.shared.alive.store(false, Ordering::SeqCst);
                let current = self
                    .shared
                    .current
                    .lock()
                    .ok()
                    .and_then(|mut slot| slot.take());
                if let Some(current) = current {
                    let _ = current.reply.send(Outcome::FunctionError(document));
                }
                accepted()
            }
            ("POST", rest) => {
                let Some((request_id, action)) = rest
                    .strip_prefix("invocation/")
                    .and_then(|rest| rest.split_once('/'))
                else {
                    return json_response(404, serde_json::json!({"message": "Not Found"}));
                };
                match action {
                    "response" => self.complete(request_id, Outcome::Success(request.body.clone())),
                    "error" => {
                        let document = error_document(&request);
                        self.complete(request_id, Outcome::FunctionError(document))
                    }
                    _ => json_response(404, serde_json::json!({"message": "Not Found"})),
                }
            }
            _ => json_response(404, serde_json::json!({"message": "Not Found"})),
        }
    }

    fn too_large(&self) -> Response {
        // One invocation at a time per instance: the oversized post is its answer, which
        // Lambda turns into a function error.
        let current = self
            .shared
            .current
            .lock()
            .ok()
            .and_then(|mut slot| slot.take());
        if let Some(current) = current {
            let _ = current.reply.send(Outcome::FunctionError(
                serde_json::json!({
                    "errorMessage": "Response payload size exceeded maximum allowed payload size (6291556 bytes).",
                    "errorType": "Function.ResponseSizeTooLarge",
                })
                .to_string()
                .into_bytes(),
            ));
        }
        json_response(
            413,
            serde_json::json!({
                "errorMessage": "Response payload size exceeded maximum allowed payload size (6291556 bytes).",
                "errorType": "RequestEntityTooLarge",
            }),
        )
    }
}
