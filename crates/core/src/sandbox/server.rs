//! The sandbox's HTTP server: an axum router served by hyper from our own accept loop, so
//! that a fault can drop one connection abruptly (the client sees a reset, not an answer).
//!
//! Each request is handled in a task of its own, as a provider finishes what it received:
//! a client that hangs up ends its connection, not the handling of what it sent. Only
//! closing the sandbox stops requests under way.

use std::convert::Infallible;
use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;

use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Router;
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;
use tower::ServiceExt;

use super::conn_kill::ConnKill;
use super::options::SandboxOptions;
use super::state::SandboxState;
use super::{control, middleware, momo, paymob, persist};

/// A running sandbox. Dropping it stops the server.
pub struct Sandbox {
    addr: SocketAddr,
    state: Arc<SandboxState>,
    shutdown: watch::Sender<bool>,
    task: Option<JoinHandle<()>>,
    /// Writes `stateFile`, when there is one; told to finish once the server has.
    keeper: Option<(watch::Sender<bool>, JoinHandle<()>)>,
}

pub fn router(state: Arc<SandboxState>) -> Router {
    Router::new()
        .merge(momo::routes())
        .nest("/api/secure", paymob::routes())
        .nest("/_sandbox", control::routes())
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            note_change,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            middleware::apply,
        ))
        .with_state(state)
}

impl Sandbox {
    /// Bind and serve on the current tokio runtime.
    pub async fn start(options: SandboxOptions) -> Result<Sandbox, String> {
        let listener = TcpListener::bind((options.host.as_str(), options.port))
            .await
            .map_err(|e| {
                format!(
                    "the sandbox could not listen on {}:{}: {e}",
                    options.host, options.port
                )
            })?;
        let addr = listener
            .local_addr()
            .map_err(|e| format!("the sandbox has no local address: {e}"))?;
        let state_file = options.state_file.clone();
        let state = SandboxState::new(options);
        if let Some(path) = &state_file {
            persist::load(&state, path)?;
        }
        let app = router(state.clone());
        let (shutdown, mut stop) = watch::channel(false);
        let keeper = state_file.map(|path| {
            let (finish, finished) = watch::channel(false);
            let task = tokio::spawn(persist::keep(state.clone(), path, finished));
            (finish, task)
        });
        let state_of_server = state.clone();
        let stop_requests = stop.clone();
        let task = tokio::spawn(async move {
            let mut connections = tokio::task::JoinSet::new();
            loop {
                tokio::select! {
                    accepted = listener.accept() => {
                        let Ok((stream, _)) = accepted else { continue };
                        let _ = stream.set_nodelay(true);
                        let open = OpenConnection::new(&state_of_server);
                        let app = app.clone();
                        let stop = stop_requests.clone();
                        connections.spawn(async move {
                            serve_connection(stream, app, stop).await;
                            drop(open);
                        });
                    }
                    _ = stop.changed() => break,
                    Some(_) = connections.join_next(), if !connections.is_empty() => {}
                }
            }
            connections.abort_all();
        });
        Ok(Sandbox {
            addr,
            state,
            shutdown,
            task: Some(task),
            keeper,
        })
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn state(&self) -> &Arc<SandboxState> {
        &self.state
    }

    /// Stop accepting, drop open connections and the requests under way, and wait for
    /// the server task.
    pub async fn close(&mut self) {
        let _ = self.shutdown.send(true);
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
        // Its last write comes after the last request.
        if let Some((finish, keeper)) = self.keeper.take() {
            let _ = finish.send(true);
            let _ = keeper.await;
        }
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        let _ = self.shutdown.send(true);
    }
}

/// Any request but a read may change what a state file keeps (users, tokens, payouts,
/// balances).
async fn note_change(
    axum::extract::State(s): axum::extract::State<Arc<SandboxState>>,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let read = req.method() == axum::http::Method::GET;
    let answer = next.run(req).await;
    if !read {
        s.changed();
    }
    answer
}

/// Counts a connection in the sandbox's stats while it is open.
struct OpenConnection(Arc<SandboxState>);

impl OpenConnection {
    fn new(state: &Arc<SandboxState>) -> Self {
        let mut stats = state.stats.lock();
        stats.connections += 1;
        stats.open_connections += 1;
        stats.peak_open_connections = stats.peak_open_connections.max(stats.open_connections);
        OpenConnection(state.clone())
    }
}

impl Drop for OpenConnection {
    fn drop(&mut self) {
        let mut stats = self.0.stats.lock();
        stats.open_connections = stats.open_connections.saturating_sub(1);
    }
}

async fn serve_connection(stream: tokio::net::TcpStream, app: Router, stop: watch::Receiver<bool>) {
    let kill = ConnKill::default();
    let of_requests = kill.clone();
    let service = hyper::service::service_fn(move |mut req: hyper::Request<Incoming>| {
        req.extensions_mut().insert(of_requests.clone());
        let handling = tokio::spawn(until_closed(
            app.clone().oneshot(req.map(axum::body::Body::new)),
            stop.clone(),
        ));
        let kill = of_requests.clone();
        async move {
            let answer = handling.await;
            if kill.fired() {
                // A reset fault: the connection is being dropped, nothing is to be sent.
                std::future::pending::<()>().await;
            }
            let mut answer = answer.unwrap_or_else(|_| {
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "the request's handler failed",
                )
                    .into_response()
            });
            // Each answer has its own id, as a gateway's, for the clients' request ids.
            if let Ok(id) = HeaderValue::from_str(&uuid::Uuid::new_v4().to_string()) {
                answer.headers_mut().insert("x-request-id", id);
            }
            Ok::<_, Infallible>(answer)
        }
    });
    // A reset, not a polite close: the client must not mistake it for an answer.
    let _ = stream.set_zero_linger();
    let conn = hyper::server::conn::http1::Builder::new()
        .keep_alive(true)
        .serve_connection(TokioIo::new(stream), service);
    tokio::select! {
        _ = conn => {}
        _ = kill.wait() => {}
    }
}

/// One request's handling, unless the sandbox closes first.
async fn until_closed(
    handling: impl Future<Output = Result<Response, Infallible>>,
    mut stop: watch::Receiver<bool>,
) -> Response {
    tokio::select! {
        answer = handling => {
            let Ok(answer) = answer;
            answer
        }
        // Closed, or the `Sandbox` dropped: a shutdown.
        _ = stop.wait_for(|closed| *closed) => {
            (StatusCode::SERVICE_UNAVAILABLE, "the sandbox is closing").into_response()
        }
    }
}
