//! The running emulator: one loopback listener per API, a route table swapped whole on reload
//! (connections and in-flight requests keep the table they started with), and the functions
//! behind it with their warm instances.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use apigw_compiler::ir::Api;
use arc_swap::ArcSwap;
use serde::Serialize;
use tokio::net::TcpListener;
use tokio::sync::watch;

use crate::functions::{self, Functions, RunOptions};
use crate::gateway::{ApiRuntime, Table};
use crate::http1::{self, Handler, Request, Response};
use crate::integration::Services;
use crate::log::{self, Sink};
use crate::plan::{self, ApiKind, IntegrationPlan, LocalBinding, Plan, PlanOptions, RouteMatch};

/// API Gateway: 10 MB maximum payload (quotas).
pub const MAX_PAYLOAD_BYTES: usize = 10 * 1024 * 1024;

/// How to serve.
#[derive(Clone)]
pub struct ServeOptions {
    /// Address to listen on; loopback unless the caller says otherwise.
    pub host: IpAddr,
    /// Port of the first API (the next APIs take the following ports); 0 picks free ports.
    pub port: u16,
    pub stage: Option<String>,
    /// Most instances of one function at once.
    pub max_instances: usize,
    /// Directory that relative handler paths are resolved against.
    pub base_dir: PathBuf,
    /// Where apigw's runtime clients are written; a per-version temp directory by default.
    pub runtime_dir: Option<PathBuf>,
    pub sink: Sink,
}

impl Default for ServeOptions {
    fn default() -> Self {
        ServeOptions {
            host: IpAddr::V4(Ipv4Addr::LOCALHOST),
            port: 3000,
            stage: None,
            max_instances: 10,
            base_dir: PathBuf::from("."),
            runtime_dir: None,
            sink: log::discard(),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error("cannot listen on {address}")]
    Bind {
        address: SocketAddr,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot write the runtime clients to {path}")]
    RuntimeDir {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

/// One line of the route table printed at start.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RouteEntry {
    pub api: String,
    pub kind: ApiKind,
    pub route_key: String,
    /// `http://127.0.0.1:3000/dev/pets/{id}`.
    pub url: String,
    /// `function orders`, `HTTP_PROXY https://…`, `MOCK`.
    pub target: String,
}

struct Shared {
    table: ArcSwap<Table>,
    services: Services,
}

struct ApiHandler {
    name: String,
    shared: Arc<Shared>,
}

impl Handler for ApiHandler {
    async fn handle(&self, request: Request) -> Response {
        let table = self.shared.table.load_full();
        match table.api(&self.name) {
            Some(api) => api.serve(request, &self.shared.services).await,
            None => Response::new(404)
                .with_header("Content-Type", "application/json")
                .with_body(r#"{"message":"Not Found"}"#),
        }
    }

    fn too_large(&self) -> Response {
        let table = self.shared.table.load_full();
        match table.api(&self.name) {
            Some(api) => api.too_large(),
            None => Response::new(413),
        }
    }
}

/// A running emulator. Dropping it (or [`Server::shutdown`]) stops every listener and process.
pub struct Server {
    shared: Arc<Shared>,
    listeners: Mutex<Vec<(String, SocketAddr)>>,
    plan: Mutex<Plan>,
    options: ServeOptions,
    run_options: RunOptions,
    shutdown: watch::Sender<bool>,
}

impl Server {
    /// Resolves `apis`, binds one listener per REST or HTTP API and starts serving.
    pub async fn start(apis: &[Api], options: ServeOptions) -> Result<Server, ServeError> {
        let plan = plan::resolve(
            apis,
            &PlanOptions {
                stage: options.stage.clone(),
            },
        );
        Server::start_plan(plan, options).await
    }

    /// Serves a resolved plan (from [`plan::resolve`], or read back from its JSON form).
    pub async fn start_plan(plan: Plan, options: ServeOptions) -> Result<Server, ServeError> {
        let runtime_dir = options
            .runtime_dir
            .clone()
            .unwrap_or_else(functions::runtimes::default_dir);
        let runtime_dir = functions::runtimes::install(&runtime_dir).map_err(|source| {
            ServeError::RuntimeDir {
                path: runtime_dir.clone(),
                source,
            }
        })?;
        let run_options = RunOptions {
            max_instances: options.max_instances,
            runtime_dir,
            base_dir: options.base_dir.clone(),
        };
        let services = Services {
            client: functions::url::http_client(),
            sink: Arc::clone(&options.sink),
        };
        let table = build_table(&plan, None, &run_options, &services);
        let (shutdown, _) = watch::channel(false);
        let server = Server {
            shared: Arc::new(Shared {
                table: ArcSwap::from_pointee(table),
                services,
            }),
            listeners: Mutex::new(Vec::new()),
            plan: Mutex::new(Plan::default()),
            options,
            run_options,
            shutdown,
        };
        server.note_plan(&plan);
        server.bind_missing(&plan).await?;
        if let Ok(mut current) = server.plan.lock() {
            *current = plan;
        }
        Ok(server)
    }

    fn note_plan(&self, plan: &Plan) {
        for note in &plan.notes {
            log::gateway(
                &self.options.sink,
                format!("{}: {}", note.api, note.message),
            );
        }
        for function in &plan.functions {
            if function.local.is_none() {
                log::gateway(
                    &self.options.sink,
                    format!(
                        "function `{}` has no local binding; its routes answer as a failed integration",
                        function.name
                    ),
                );
            }
        }
    }

    /// Binds a listener for every API of `plan` that has none yet.
    async fn bind_missing(&self, plan: &Plan) -> Result<(), ServeError> {
        for api in &plan.apis {
            let (known, count) = match self.listeners.lock() {
                Ok(listeners) => (
                    listeners.iter().any(|(name, _)| name == &api.name),
                    listeners.len(),
                ),
                Err(_) => (false, 0),
            };
            if known {
                continue;
            }
            let port = if self.options.port == 0 {
                0
            } else {
                self.options
                    .port
                    .saturating_add(u16::try_from(count).unwrap_or(u16::MAX))
            };
            let address = SocketAddr::new(self.options.host, port);
            let listener = TcpListener::bind(address)
                .await
                .map_err(|source| ServeError::Bind { address, source })?;
            let bound = listener
                .local_addr()
                .map_err(|source| ServeError::Bind { address, source })?;
            let handler = Arc::new(ApiHandler {
                name: api.name.clone(),
                shared: Arc::clone(&self.shared),
            });
            tokio::spawn(http1::serve(
                listener,
                handler,
                http1::Limits {
                    max_body_bytes: MAX_PAYLOAD_BYTES,
                },
                self.shutdown.subscribe(),
            ));
            if let Ok(mut listeners) = self.listeners.lock() {
                listeners.push((api.name.clone(), bound));
            }
        }
        Ok(())
    }

    /// Re-resolves `apis` and swaps the route table. Requests in flight finish on the table
    /// they started with; unchanged functions keep their warm instances.
    pub async fn reload(&self, apis: &[Api]) -> Result<(), ServeError> {
        let plan = plan::resolve(
            apis,
            &PlanOptions {
                stage: self.options.stage.clone(),
            },
        );
        self.reload_plan(plan).await
    }

    /// Swaps in a resolved plan, as [`Server::reload`] does.
    pub async fn reload_plan(&self, plan: Plan) -> Result<(), ServeError> {
        let previous = self.shared.table.load_full();
        let table = build_table(
            &plan,
            Some(&previous.functions),
            &self.run_options,
            &self.shared.services,
        );
        self.shared.table.store(Arc::new(table));
        self.note_plan(&plan);
        self.bind_missing(&plan).await?;
        if let Ok(mut current) = self.plan.lock() {
            *current = plan;
        }
        Ok(())
    }

    /// The address each API listens on, by API name.
    pub fn addresses(&self) -> Vec<(String, SocketAddr)> {
        self.listeners
            .lock()
            .map(|listeners| listeners.clone())
            .unwrap_or_default()
    }

    pub fn address(&self, api: &str) -> Option<SocketAddr> {
        self.addresses()
            .into_iter()
            .find(|(name, _)| name == api)
            .map(|(_, address)| address)
    }

    /// The plan being served.
    pub fn plan(&self) -> Plan {
        self.plan
            .lock()
            .map(|plan| plan.clone())
            .unwrap_or_default()
    }

    /// How many instances of `function` are running.
    pub fn instance_count(&self, function: &str) -> usize {
        self.shared
            .table
            .load()
            .functions
            .get(function)
            .map_or(0, |function| function.instance_count())
    }

    /// Every route with its local URL, in plan order.
    pub fn routes(&self) -> Vec<RouteEntry> {
        let plan = self.plan();
        let addresses = self.addresses();
        let mut entries = Vec::new();
        for api in &plan.apis {
            let Some(address) = addresses
                .iter()
                .find(|(name, _)| name == &api.name)
                .map(|(_, address)| *address)
            else {
                continue;
            };
            let base = format!("http://{address}{}", api.stage.prefix());
            for route in &api.routes {
                let url = match &route.matcher {
                    RouteMatch::Path { path, .. } if path == "/" => format!("{base}/"),
                    RouteMatch::Path { path, .. } => format!("{base}{path}"),
                    RouteMatch::Default => format!("{base}/*"),
                };
                let target = match &route.integration {
                    IntegrationPlan::AwsProxy { function, .. } => {
                        let local = plan
                            .functions
                            .iter()
                            .find(|known| &known.name == function)
                            .and_then(|known| known.local.as_ref());
                        format!("function {function} ({})", describe_local(local))
                    }
                    IntegrationPlan::HttpProxy { uri, .. } => format!("HTTP_PROXY {uri}"),
                    IntegrationPlan::Http { uri, .. } => format!("HTTP {uri}"),
                    IntegrationPlan::Mock { .. } => "MOCK".to_string(),
                    IntegrationPlan::Aws { function, .. } => {
                        let local = plan
                            .functions
                            .iter()
                            .find(|known| &known.name == function)
                            .and_then(|known| known.local.as_ref());
                        format!("function {function}, non-proxy ({})", describe_local(local))
                    }
                    IntegrationPlan::Unsupported { reason } => format!("unsupported: {reason}"),
                };
                entries.push(RouteEntry {
                    api: api.name.clone(),
                    kind: api.kind,
                    route_key: route.route_key.clone(),
                    url,
                    target,
                });
            }
        }
        entries
    }

    /// Stops accepting connections; idle connections close, in-flight requests finish.
    pub fn shutdown(&self) {
        let _ = self.shutdown.send(true);
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.shutdown.send(true);
    }
}

/// How a function runs, in a few words for the route table.
fn describe_local(local: Option<&LocalBinding>) -> String {
    match local {
        None => "no local binding".to_string(),
        Some(LocalBinding::Runtime {
            runtime, handler, ..
        }) => format!("{runtime} {handler}"),
        Some(LocalBinding::RuntimeApi { argv, .. }) => format!("Runtime API: {}", argv.join(" ")),
        Some(LocalBinding::Command { argv, .. }) => format!("command: {}", argv.join(" ")),
        Some(LocalBinding::Url { url }) => format!("invoke URL {url}"),
    }
}

fn build_table(
    plan: &Plan,
    previous: Option<&Functions>,
    run_options: &RunOptions,
    services: &Services,
) -> Table {
    let functions = Functions::build(
        &plan.functions,
        previous,
        run_options,
        &services.client,
        &services.sink,
    );
    let apis = plan
        .apis
        .iter()
        .map(|api| Arc::new(ApiRuntime::new(api.clone(), &functions)))
        .collect();
    Table { apis, functions }
}
