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

/// What the health probes answer.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct Health {
    /// `ok` (alive) or `ready` (the database answers too).
    pub status: &'static str,
}

/// `GET /healthz`: the process answers.
#[utoipa::path(get, path = "/healthz", tag = "operations",
    responses((status = 200, description = "The process answers", body = Health)))]
async fn healthz() -> HttpResponse {
    HttpResponse::Ok().json(Health { status: "ok" })
}

/// `GET /readyz`: the database answers too (503 otherwise).
#[utoipa::path(get, path = "/readyz", tag = "operations",
    responses(
        (status = 200, description = "The database answers", body = Health),
        (status = 503, description = "The database does not answer", body = crate::error::ErrorBody),
    ))]
async fn readyz(state: aweb::Data<AppState>) -> Result<HttpResponse, AppError> {
    db::run(&state.pool, |conn| {
        conn.batch_execute("SELECT 1")
            .map_err(|_| AppError::Unavailable(crate::msg!("error-database-silent")))
    })
    .await?;
    Ok(HttpResponse::Ok().json(Health { status: "ready" }))
}
