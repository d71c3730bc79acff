//! The bot's own HTTP server (webhook and `/healthz`), running beside the
//! dispatcher: bound before the bot starts (a clear error when the address
//! is taken, a free port in tests), hardened against clients that hold
//! connections open (a cap on connections, a deadline for the headers),
//! and waited for on stop, so a stop never cuts off a request half done.

use std::time::Duration;

use axum::Router;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use teloxide::stop::{mk_stop_token, StopFlag, StopToken};
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::{JoinHandle, JoinSet};

use super::gate::{Gate, Gated};

/// How many connections the server keeps open, and how long a client may
/// take to send a request's headers.
#[derive(Clone, Copy, Debug)]
pub struct ServerLimits {
    pub max_connections: usize,
    pub header_timeout: Duration,
}

/// After failing to accept a connection (out of file descriptors), how
/// long to wait before trying again, rather than spinning.
const ACCEPT_PAUSE: Duration = Duration::from_millis(100);

/// How long a stop waits for the requests in progress.
pub const WIND_DOWN: Duration = Duration::from_secs(5);

pub struct Server {
    stop: StopToken,
    task: JoinHandle<()>,
}

impl Server {
    /// Serves `app` on `listener` until [`Server::stop`].
    pub fn spawn(listener: TcpListener, app: Router, limits: ServerLimits) -> Server {
        let (stop, stopped) = mk_stop_token();
        let task = tokio::spawn(serve(listener, app, limits, stopped));
        Server { stop, task }
    }

    /// Stops taking connections, lets the requests in progress finish
    /// (for at most [`WIND_DOWN`]: a client sending slowly cannot hold the
    /// stop up), and returns once the server is gone.
    pub async fn stop(mut self) {
        self.stop.stop();
        match tokio::time::timeout(WIND_DOWN, &mut self.task).await {
            Ok(Ok(())) => {}
            Ok(Err(error)) => log::error!("the HTTP server task failed: {error}"),
            Err(_) => {
                log::warn!("HTTP requests still open {WIND_DOWN:?} after the stop: cut off");
                self.task.abort();
            }
        }
    }
}

async fn serve(listener: TcpListener, app: Router, limits: ServerLimits, stopped: StopFlag) {
    let gate = Gate::new(limits.max_connections);
    let (closing, closed) = watch::channel(false);
    let mut connections = JoinSet::new();
    tokio::pin!(stopped);
    loop {
        tokio::select! {
            () = &mut stopped => break,
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => match gate.admit(stream) {
                    Some(io) => {
                        connections.spawn(connection(io, app.clone(), limits, closed.clone()));
                    }
                    None => log::warn!(
                        "closed a new connection: {} are open and busy",
                        limits.max_connections
                    ),
                },
                Err(error) => {
                    log::warn!("could not accept a connection: {error}");
                    tokio::time::sleep(ACCEPT_PAUSE).await;
                }
            },
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
    drop(listener);
    let _ = closing.send(true);
    while connections.join_next().await.is_some() {}
}

/// Serves one connection until the client closes it, or, once `closed`
/// says so, until its request in progress is answered.
async fn connection(
    io: Gated,
    app: Router,
    limits: ServerLimits,
    mut closed: watch::Receiver<bool>,
) {
    let served = http1::Builder::new()
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_timeout)
        .serve_connection(TokioIo::new(io), TowerToHyperService::new(app));
    tokio::pin!(served);
    tokio::select! {
        result = served.as_mut() => log_connection_error(result),
        _ = closed.changed() => {
            served.as_mut().graceful_shutdown();
            log_connection_error(served.await);
        }
    }
}

/// Connections that time out or are closed by the gate are the server
/// working as meant: debug only.
fn log_connection_error(result: Result<(), hyper::Error>) {
    if let Err(error) = result {
        log::debug!("an HTTP connection ended with an error: {error}");
    }
}

/// The webhook listener's limits, which `/healthz` alone shares.
impl From<&super::tuning::Tuning> for ServerLimits {
    fn from(tuning: &super::tuning::Tuning) -> ServerLimits {
        ServerLimits {
            max_connections: tuning.webhook_max_connections,
            header_timeout: tuning.webhook_read_timeout,
        }
    }
}
