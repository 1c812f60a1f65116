//! Prometheus metrics at `/metrics`: requests by route and status, latency histograms, bookings,
//! scans by verdict, live-report computations and renderings, and database pool use. Each instance has its own registry; scrape every
//! instance. Set `MARQUEE_METRICS_TOKEN` to require `Authorization: Bearer <token>` for scrapes.

use std::time::Instant;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::{HttpRequest, HttpResponse, web as aweb};
use prometheus::{
    Encoder, HistogramOpts, HistogramVec, IntCounter, IntCounterVec, IntGaugeVec, Opts, Registry,
    TextEncoder,
};

use crate::error::AppError;
use crate::web::AppState;

pub struct Metrics {
    registry: Registry,
    requests: IntCounterVec,
    latency: HistogramVec,
    seats: IntCounterVec,
    scans: IntCounterVec,
    report_computations: IntCounter,
    report_renders: IntCounterVec,
    pool: IntGaugeVec,
}

impl Metrics {
    pub fn new() -> prometheus::Result<Metrics> {
        let registry = Registry::new();
        let requests = IntCounterVec::new(
            Opts::new(
                "http_requests_total",
                "HTTP requests by route, method and status",
            ),
            &["route", "method", "status"],
        )?;
        let latency = HistogramVec::new(
            HistogramOpts::new(
                "http_request_duration_seconds",
                "HTTP request latency by route",
            )
            .buckets(vec![
                0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5,
            ]),
            &["route"],
        )?;
        let seats = IntCounterVec::new(
            Opts::new(
                "marquee_seats_booked_total",
                "Seats booked, by ticket category",
            ),
            &["category"],
        )?;
        let scans = IntCounterVec::new(
            Opts::new("marquee_scans_total", "Scans at the doors, by verdict"),
            &["verdict"],
        )?;
        let report_computations = IntCounter::new(
            "marquee_report_computations_total",
            "Festival reports computed from the database for dashboards (shared by every viewer)",
        )?;
        let report_renders = IntCounterVec::new(
            Opts::new(
                "marquee_report_renders_total",
                "Dashboard charts and tables rendered as HTML: once per report version and language",
            ),
            &["lang"],
        )?;
        let pool = IntGaugeVec::new(
            Opts::new(
                "marquee_db_pool_connections",
                "Database pool connections by state",
            ),
            &["state"],
        )?;
        for collector in [
            Box::new(requests.clone()) as Box<dyn prometheus::core::Collector>,
            Box::new(latency.clone()),
            Box::new(seats.clone()),
            Box::new(scans.clone()),
            Box::new(report_computations.clone()),
            Box::new(report_renders.clone()),
            Box::new(pool.clone()),
        ] {
            registry.register(collector)?;
        }
        Ok(Metrics {
            registry,
            requests,
            latency,
            seats,
            scans,
            report_computations,
            report_renders,
            pool,
        })
    }

    pub fn seats_booked(&self, category: &str, seats: i32) {
        self.seats
            .with_label_values(&[category])
            .inc_by(u64::try_from(seats).unwrap_or(0));
    }

    pub fn scanned(&self, verdict: &str) {
        self.scans.with_label_values(&[verdict]).inc();
    }

    /// A festival report was computed for the live dashboard (see `reports::live`).
    pub fn report_computed(&self) {
        self.report_computations.inc();
    }

    /// The dashboard's live parts were rendered in `lang` (see `reports::live`).
    pub fn report_rendered(&self, lang: &str) {
        self.report_renders.with_label_values(&[lang]).inc();
    }
}

/// Middleware: counts and times every request by its route pattern (never its concrete path,
/// which would carry ids and tokens).
pub async fn record(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let started = Instant::now();
    let response = next.call(req).await?;
    if let Some(state) = response
        .request()
        .app_data::<aweb::Data<AppState>>()
        .cloned()
    {
        let route = response
            .request()
            .match_pattern()
            .unwrap_or_else(|| "unmatched".to_owned());
        let method = crate::web::guard::method_label(response.request());
        let status = response.status().as_u16().to_string();
        state
            .metrics
            .requests
            .with_label_values(&[&route, method, &status])
            .inc();
        state
            .metrics
            .latency
            .with_label_values(&[&route])
            .observe(started.elapsed().as_secs_f64());
    }
    Ok(response)
}

/// `GET /metrics`, in the Prometheus text format.
pub async fn metrics(
    state: aweb::Data<AppState>,
    req: HttpRequest,
) -> Result<HttpResponse, AppError> {
    if let Some(expected) = &state.metrics_token {
        let given = crate::web::auth::bearer_token(&req).unwrap_or_default();
        if crate::domain::secret::hash_token(&given)
            != crate::domain::secret::hash_token(expected.expose())
        {
            return Err(AppError::Unauthorized(crate::msg!("error-metrics-token")));
        }
    }
    let pool = state.pool.state();
    let m = &state.metrics;
    m.pool
        .with_label_values(&["idle"])
        .set(i64::from(pool.idle_connections));
    m.pool
        .with_label_values(&["in_use"])
        .set(i64::from(pool.connections - pool.idle_connections));
    let mut body = Vec::new();
    TextEncoder::new()
        .encode(&m.registry.gather(), &mut body)
        .map_err(AppError::internal)?;
    Ok(HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4; charset=utf-8")
        .body(body))
}
