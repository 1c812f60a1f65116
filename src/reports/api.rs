//! The reports' JSON and CSV API, for organisers only.

use actix_web::http::header;
use actix_web::{HttpResponse, web as aweb};

use super::{consistency, csv, live, report};
use crate::db;
use crate::domain::{FestivalId, ScreeningId};
use crate::error::{AppError, Thing};
use crate::web::AppState;
use crate::web::Reply;
use crate::web::auth::{Can, need, scope};

pub fn routes(cfg: &mut aweb::ServiceConfig) {
    cfg.route(
        "/api/v1/festivals/{id}/report",
        aweb::get().to(festival_report),
    )
    .route(
        "/api/v1/festivals/{id}/report/{table}",
        aweb::get().to(report_csv),
    )
    .route(
        "/api/v1/festivals/{id}/consistency",
        aweb::get().to(check_counters),
    )
    .route(
        "/api/v1/festivals/{id}/events",
        aweb::get().to(festival_events),
    )
    .route("/api/v1/screenings/{id}/arrivals", aweb::get().to(arrivals));
}

type State = aweb::Data<AppState>;

fn now() -> chrono::NaiveDateTime {
    chrono::Utc::now().naive_utc()
}

pub async fn load_report(state: &State, id: FestivalId) -> Result<report::Report, AppError> {
    db::run(&state.pool, move |conn| {
        report::festival_report(conn, id, now())
    })
    .await
}

/// `GET /api/v1/festivals/{id}/report`: totals and every breakdown, as JSON.
#[utoipa::path(get, path = "/api/v1/festivals/{id}/report", tag = "reports",
    params(("id" = FestivalId, Path, description = "The festival's id")),
    security(("bearer" = [])),
    responses((status = 200, description = "Totals and every breakdown", body = report::Report)))]
async fn festival_report(
    state: State,
    _: Can<need::Reports, scope::Festival>,
    id: aweb::Path<FestivalId>,
) -> Reply {
    Ok(HttpResponse::Ok().json(load_report(&state, id.into_inner()).await?))
}

/// The query of a CSV download.
#[derive(Debug, serde::Deserialize)]
pub struct CsvQuery {
    sep: Option<String>,
}

/// `GET /api/v1/festivals/{id}/report/{table}.csv`.
#[utoipa::path(get, path = "/api/v1/festivals/{id}/report/{table}", tag = "reports",
    params(
        ("id" = FestivalId, Path, description = "The festival's id"),
        ("table" = String, Path, description = "`screenings.csv`, `films.csv`, `venues.csv`, `days.csv`, `countries.csv` or `categories.csv`"),
        ("sep" = Option<String>, Query, description = "`comma` (the default: `,` and `0.1234`) or `semicolon` (`;` and `0,1234`, for spreadsheets set to a decimal comma, such as French Excel)"),
    ),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "One table of the report as CSV (UTF-8 with a byte-order mark, CRLF)", content_type = "text/csv", body = String),
        (status = 422, description = "An unknown separator", body = crate::error::ErrorBody),
    ))]
async fn report_csv(
    state: State,
    _: Can<need::Reports, scope::Festival>,
    path: aweb::Path<(FestivalId, String)>,
    query: aweb::Query<CsvQuery>,
) -> Reply {
    let (id, file) = path.into_inner();
    let dialect = match query.sep.as_deref() {
        None => csv::Dialect::default(),
        Some(sep) => csv::Dialect::parse(sep)
            .ok_or_else(|| AppError::invalid("sep", crate::msg!("error-csv-sep")))?,
    };
    let unknown = || {
        AppError::NotFound(crate::msg!(
            "error-no-such-table",
            tables = csv::TABLES.map(|t| format!("{t}.csv")).join(", ")
        ))
    };
    let table = file.strip_suffix(".csv").ok_or_else(unknown)?;
    if !csv::TABLES.contains(&table) {
        return Err(unknown());
    }
    let report = load_report(&state, id).await?;
    let bytes = csv::table(&report, table, dialect)?.ok_or_else(unknown)?;
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!(
                "attachment; filename=\"{}-{table}{}.csv\"",
                report.festival.slug,
                match dialect {
                    csv::Dialect::Comma => "",
                    csv::Dialect::Semicolon => "-excel",
                }
            ),
        ))
        .body(bytes))
}

/// `GET /api/v1/festivals/{id}/consistency`: recomputes every counter from the rows.
#[utoipa::path(get, path = "/api/v1/festivals/{id}/consistency", tag = "reports",
    params(("id" = FestivalId, Path, description = "The festival's id")),
    security(("bearer" = [])),
    responses((status = 200, description = "Every rollup counter recomputed from the rows", body = consistency::ConsistencyReport)))]
async fn check_counters(
    state: State,
    _: Can<need::Reports, scope::Festival>,
    id: aweb::Path<FestivalId>,
) -> Reply {
    let id = id.into_inner();
    let checked = db::run(&state.pool, move |conn| {
        crate::catalogue::queries::festival(conn, id)?
            .ok_or_else(|| AppError::not_found(Thing::Festival))?;
        consistency::check(conn, Some(id))
    })
    .await?;
    Ok(HttpResponse::Ok().json(checked))
}

/// `GET /api/v1/festivals/{id}/events`: the report's totals and version, live (Server-Sent
/// Events). Every stream of a festival reads the same computation (see [`live`]).
#[utoipa::path(get, path = "/api/v1/festivals/{id}/events", tag = "reports",
    params(("id" = FestivalId, Path, description = "The festival's id")),
    security(("bearer" = [])),
    responses((status = 200, description = "Server-Sent Events, now and at every change of the report: a `totals` event (data: `Totals` as JSON) when the totals changed, then a `report` event (data: `{\"version\": n}`, the version of the dashboard's charts and tables at `/admin/festivals/{id}/live`)", content_type = "text/event-stream", body = String)))]
async fn festival_events(
    state: State,
    reports: aweb::Data<live::LiveReports>,
    Can {
        staff: organiser, ..
    }: Can<need::Reports, scope::Festival>,
    id: aweb::Path<FestivalId>,
    req: actix_web::HttpRequest,
) -> Reply {
    let festival = reports.festival(id.into_inner());
    // A festival that does not exist is a 404 here, before the stream starts.
    festival.current(&state).await?;
    let events = live::stream(festival.watch(state));
    Ok(crate::web::live::to_signed_in(req, organiser.id, events))
}

/// `GET /api/v1/screenings/{id}/arrivals`: admissions per 5 minutes around the start.
#[utoipa::path(get, path = "/api/v1/screenings/{id}/arrivals", tag = "reports",
    params(("id" = ScreeningId, Path, description = "The screening's id")),
    security(("bearer" = [])),
    responses((status = 200, description = "Admissions per 5 minutes, from the doors opening to their closing", body = report::Arrivals)))]
async fn arrivals(
    state: State,
    _: Can<need::Reports, scope::Screening>,
    id: aweb::Path<ScreeningId>,
) -> Reply {
    let id = id.into_inner();
    Ok(
        HttpResponse::Ok()
            .json(db::run(&state.pool, move |conn| report::arrivals(conn, id)).await?),
    )
}
