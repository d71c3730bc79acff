//! The bot's own HTTP server (webhook and `/healthz`), running beside the
//! dispatcher. Serving it ourselves rather than through teloxide's
//! `webhooks::axum` lets the listener be bound before the bot starts (a
//! clear error when the address is taken, a free port in tests) and lets
//! the bot wait for it to finish, so a stop never cuts off the request
//! that deletes the webhook.

use std::future::Future;

use axum::Router;
use teloxide::stop::{mk_stop_token, StopToken};
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

pub struct Server {
    stop: StopToken,
    task: JoinHandle<std::io::Result<()>>,
}

impl Server {
    /// Serves `app` on `listener` until `stopped` completes; `stop` is what
    /// makes it complete.
    pub fn spawn(
        listener: TcpListener,
        app: Router,
        stop: StopToken,
        stopped: impl Future<Output = ()> + Send + 'static,
    ) -> Server {
        let task = tokio::spawn(async move {
            axum::serve(listener, app)
                .with_graceful_shutdown(stopped)
                .await
        });
        Server { stop, task }
    }

    /// Serves `app` on `listener` until [`Server::stop`].
    pub fn spawn_until_stopped(listener: TcpListener, app: Router) -> Server {
        let (stop, stopped) = mk_stop_token();
        Server::spawn(listener, app, stop, stopped)
    }

    /// Stops taking connections, lets the open ones finish, and returns
    /// once the server is gone.
    pub async fn stop(self) {
        self.stop.stop();
        match self.task.await {
            Ok(Ok(())) => {}
            Ok(Err(error)) => log::error!("the HTTP server failed: {error}"),
            Err(error) => log::error!("the HTTP server task failed: {error}"),
        }
    }
}
