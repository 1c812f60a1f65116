//! Reading the audit trail: owners read a festival's entries, filtered, on a page or as JSON,
//! and download them as CSV. Marquee offers no way to change or delete one.

use actix_web::http::header;
use actix_web::{HttpResponse, web as aweb};
use askama::Template;
use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

use crate::db::audit::{Entry, Filter};
use crate::db::{self};
use crate::domain::{FestivalId, StaffId};
use crate::error::{AppError, ErrorBody, Thing};
use crate::web::auth::{Can, need, scope};
use crate::web::{AppState, Reply, page};

pub fn routes(cfg: &mut aweb::ServiceConfig) {
    cfg.route("/api/v1/festivals/{id}/audit", aweb::get().to(audit_api))
        .route("/admin/festivals/{id}/audit", aweb::get().to(audit_page));
}

type State = aweb::Data<AppState>;
type Owner = Can<need::Team, scope::Festival>;

/// The most entries one answer holds (the newest).
const LIMIT: i64 = 5000;

/// What the trail is filtered by.
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct AuditQuery {
    /// Actions starting with this: `screening`, `booking.cancel`, `team`…
    action: Option<String>,
    /// One staff member's entries (their id).
    actor: Option<String>,
    /// From this day (`YYYY-MM-DD`, UTC) on.
    since: Option<String>,
    /// Up to this day (`YYYY-MM-DD`, UTC), included.
    until: Option<String>,
    /// `json` (the default) or `csv`.
    format: Option<String>,
}

impl AuditQuery {
    fn filter(&self) -> Result<Filter, AppError> {
        let day =
            |field: &'static str, value: &Option<String>| -> Result<Option<NaiveDate>, AppError> {
                match value.as_deref().map(str::trim) {
                    None | Some("") => Ok(None),
                    Some(text) => NaiveDate::parse_from_str(text, "%Y-%m-%d")
                        .map(Some)
                        .map_err(|_| AppError::invalid(field, crate::msg!("error-date"))),
                }
            };
        let action = self
            .action
            .as_deref()
            .map(str::trim)
            .filter(|a| !a.is_empty());
        if let Some(action) = action {
            crate::domain::input::optional_text("action", action, 100)?;
        }
        Ok(Filter {
            action: action.map(str::to_owned),
            actor: match self.actor.as_deref().map(str::trim) {
                None | Some("") => None,
                Some(id) => Some(crate::catalogue::input::id_field::<StaffId>("actor", id)?),
            },
            since: day("since", &self.since)?.map(start_of),
            until: day("until", &self.until)?.map(|d| start_of(d + chrono::TimeDelta::days(1))),
        })
    }

    fn csv(&self) -> Result<bool, AppError> {
        match self.format.as_deref() {
            None | Some("json") => Ok(false),
            Some("csv") => Ok(true),
            Some(_) => Err(AppError::invalid(
                "format",
                crate::msg!("error-audit-format"),
            )),
        }
    }
}

fn start_of(day: NaiveDate) -> NaiveDateTime {
    day.and_hms_opt(0, 0, 0).unwrap_or_default()
}

async fn load(state: &State, festival: FestivalId, filter: Filter) -> Result<Vec<Entry>, AppError> {
    db::run(&state.pool, move |conn| {
        crate::catalogue::queries::festival(conn, festival)?
            .ok_or_else(|| AppError::not_found(Thing::Festival))?;
        db::audit::of_festival(conn, festival, &filter, LIMIT)
    })
    .await
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct AuditTrail {
    entries: Vec<Entry>,
}

/// `GET /api/v1/festivals/{id}/audit`: the festival's audit trail, newest first.
#[utoipa::path(get, path = "/api/v1/festivals/{id}/audit", tag = "team",
    params(("id" = FestivalId, Path, description = "The festival's id"), AuditQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The entries, newest first (at most 5,000); with `format=csv`, the same as CSV", body = AuditTrail),
        (status = 400, description = "A query that could not be read (an unknown parameter)", body = ErrorBody),
        (status = 422, description = "A filter that is not acceptable, naming it", body = ErrorBody),
    ))]
async fn audit_api(
    state: State,
    _: Owner,
    id: aweb::Path<FestivalId>,
    query: aweb::Query<AuditQuery>,
) -> Reply {
    let (festival, query) = (id.into_inner(), query.into_inner());
    let (filter, csv) = (query.filter()?, query.csv()?);
    let entries = load(&state, festival, filter).await?;
    if csv {
        return Ok(HttpResponse::Ok()
            .content_type("text/csv; charset=utf-8")
            .insert_header((
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"audit-{festival}.csv\""),
            ))
            .body(as_csv(&entries)?));
    }
    Ok(HttpResponse::Ok().json(AuditTrail { entries }))
}

/// The entries as CSV (UTF-8 with a byte-order mark, CRLF, formulas neutralised).
fn as_csv(entries: &[Entry]) -> Result<Vec<u8>, AppError> {
    let safe = crate::reports::csv::safe;
    let mut writer = ::csv::WriterBuilder::new()
        .terminator(::csv::Terminator::CRLF)
        .from_writer(crate::reports::csv::BOM.to_vec());
    writer
        .write_record([
            "at", "actor_id", "actor", "session", "action", "subject", "before", "after",
        ])
        .map_err(AppError::internal)?;
    for e in entries {
        writer
            .write_record([
                e.at.and_utc()
                    .to_rfc3339_opts(chrono::SecondsFormat::Micros, true),
                e.actor_id.clone().unwrap_or_default(),
                safe(&e.actor_name),
                e.via.clone(),
                e.action.clone(),
                e.subject.clone(),
                safe(e.before.as_deref().unwrap_or("")),
                safe(e.after.as_deref().unwrap_or("")),
            ])
            .map_err(AppError::internal)?;
    }
    writer
        .into_inner()
        .map_err(|e| AppError::internal(anyhow::anyhow!("{e}")))
}

#[derive(Template)]
#[template(path = "admin/audit.html")]
struct AuditPage {
    festival: crate::catalogue::queries::Festival,
    entries: Vec<Entry>,
    action: String,
    actor: String,
    since: String,
    until: String,
    /// The CSV download of what is shown.
    csv_link: String,
    zone: chrono_tz::Tz,
}

impl AuditPage {
    fn at(&self, entry: &Entry) -> String {
        crate::domain::format::when(entry.at, self.zone)
    }
}

/// `GET /admin/festivals/{id}/audit`.
async fn audit_page(
    state: State,
    _: Owner,
    id: aweb::Path<FestivalId>,
    query: aweb::Query<AuditQuery>,
) -> Reply {
    let (festival_id, query) = (id.into_inner(), query.into_inner());
    let filter = query.filter()?;
    let entries = load(&state, festival_id, filter).await?;
    let festival = db::run(&state.pool, move |conn| {
        crate::catalogue::queries::festival(conn, festival_id)?
            .ok_or_else(|| AppError::not_found(Thing::Festival))
    })
    .await?;
    let zone = crate::domain::format::stored_zone("festivals.timezone", &festival.timezone)?;
    let text = |v: &Option<String>| v.clone().unwrap_or_default();
    let csv_link = format!(
        "/api/v1/festivals/{festival_id}/audit?{}",
        serde_urlencoded::to_string([
            ("action", text(&query.action)),
            ("actor", text(&query.actor)),
            ("since", text(&query.since)),
            ("until", text(&query.until)),
            ("format", "csv".to_owned()),
        ])
        .map_err(AppError::internal)?
    );
    page(&AuditPage {
        festival,
        entries,
        action: text(&query.action),
        actor: text(&query.actor),
        since: text(&query.since),
        until: text(&query.until),
        csv_link,
        zone,
    })
}
