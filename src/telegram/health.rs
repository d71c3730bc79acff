//! `GET /healthz`, for whatever supervises the bot (systemd, a platform's
//! health check, a person with curl): alive, how many intents it knows,
//! and when Telegram last sent it something.

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::{json, Value};

/// Where the health report is served.
pub const HEALTH_PATH: &str = "/healthz";

/// Shared between the dispatcher, which records every update, and the
/// health route, which reports.
pub struct Health {
    /// The number of intents served now: reloads change it.
    intents: Box<dyn Fn() -> usize + Send + Sync>,
    /// Unix seconds of the last update received; 0 before the first.
    last_update: AtomicI64,
}

impl Health {
    pub fn new(intents: impl Fn() -> usize + Send + Sync + 'static) -> Health {
        Health {
            intents: Box::new(intents),
            last_update: AtomicI64::new(0),
        }
    }

    pub fn record_update(&self) {
        self.last_update
            .store(Utc::now().timestamp(), Ordering::Relaxed);
    }

    /// `{"status":"ok","intents":33,"last_update":"2026-11-22T08:00:00Z"}`,
    /// with `last_update` null before the first update.
    pub fn report(&self) -> Value {
        let last_update = match self.last_update.load(Ordering::Relaxed) {
            0 => None,
            seconds => DateTime::<Utc>::from_timestamp(seconds, 0)
                .map(|time| time.to_rfc3339_opts(SecondsFormat::Secs, true)),
        };
        json!({"status": "ok", "intents": (self.intents)(), "last_update": last_update})
    }
}

/// The `/healthz` route, to serve alone or merged into the webhook's.
pub fn router(health: Arc<Health>) -> Router {
    Router::new()
        .route(HEALTH_PATH, get(report))
        .with_state(health)
}

async fn report(State(health): State<Arc<Health>>) -> Json<Value> {
    Json(health.report())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reports_no_update_until_one_is_recorded() {
        let health = Health::new(|| 33);
        assert_eq!(
            health.report(),
            json!({"status": "ok", "intents": 33, "last_update": null})
        );
        health.record_update();
        let reported = health.report()["last_update"].as_str().unwrap().to_owned();
        let time = DateTime::parse_from_rfc3339(&reported).unwrap();
        assert!((Utc::now() - time.with_timezone(&Utc)).num_seconds().abs() <= 1);
        assert!(reported.ends_with('Z'), "{reported}");
    }
}
