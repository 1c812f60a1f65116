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

/// `GET /readyz`: the database answers too (503 otherwise, and once the instance is stopping).
#[utoipa::path(get, path = "/readyz", tag = "operations",
    responses(
        (status = 200, description = "The database answers", body = Health),
        (status = 503, description = "The database does not answer, or the instance is stopping", body = crate::error::ErrorBody),
    ))]
async fn readyz(state: aweb::Data<AppState>) -> Result<HttpResponse, AppError> {
    if state.stopping.load(std::sync::atomic::Ordering::SeqCst) {
        return Err(AppError::Unavailable(crate::msg!("error-stopping")));
    }
    db::run(&state.pool, |conn| {
        conn.batch_execute("SELECT 1")
            .map_err(|_| AppError::Unavailable(crate::msg!("error-database-silent")))
    })
    .await?;
    Ok(HttpResponse::Ok().json(Health { status: "ready" }))
}

/// While the instance is stopping, every answer closes its connection (HTTP/1.1
/// `Connection: close`): a proxy's pooled connections would otherwise stay open, each kept alive
/// by the next health check, and the server would wait for them until its shutdown timeout.
pub async fn close_when_stopping(
    req: actix_web::dev::ServiceRequest,
    next: actix_web::middleware::Next<impl actix_web::body::MessageBody>,
) -> Result<actix_web::dev::ServiceResponse<impl actix_web::body::MessageBody>, actix_web::Error> {
    let stopping = req
        .app_data::<aweb::Data<AppState>>()
        .is_some_and(|state| state.stopping.load(std::sync::atomic::Ordering::SeqCst));
    let mut res = next.call(req).await?;
    if stopping {
        res.response_mut()
            .head_mut()
            .set_connection_type(actix_web::http::ConnectionType::Close);
    }
    Ok(res)
}
