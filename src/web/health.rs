//! Liveness, readiness and metrics, for load balancers, orchestrators and monitoring.

use actix_web::{HttpResponse, web as aweb};
use diesel::connection::SimpleConnection;

use crate::db;
use crate::error::AppError;
use crate::web::AppState;

pub fn routes(cfg: &mut aweb::ServiceConfig) {
    cfg.route("/healthz", aweb::get().to(healthz))
        .route("/readyz", aweb::get().to(readyz))
        .route("/metrics", aweb::get().to(super::metrics::metrics));
}

/// `GET /healthz`: the process answers.
async fn healthz() -> HttpResponse {
    HttpResponse::Ok().json(serde_json::json!({"status": "ok"}))
}

/// `GET /readyz`: the database answers too (503 otherwise).
async fn readyz(state: aweb::Data<AppState>) -> Result<HttpResponse, AppError> {
    db::run(&state.pool, |conn| {
        conn.batch_execute("SELECT 1")
            .map_err(|_| AppError::Unavailable("the database does not answer".to_owned()))
    })
    .await?;
    Ok(HttpResponse::Ok().json(serde_json::json!({"status": "ready"})))
}
