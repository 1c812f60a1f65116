//! Conflicts: offline admissions the server could not honour, for organisers to see.

use actix_web::{HttpResponse, web as aweb};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;

use crate::db::schema::{scans, screenings, venues};
use crate::db::{self, AnyConnection};
use crate::domain::format;
use crate::domain::{FestivalId, Verdict};
use crate::door::answer::ScanAnswer;
use crate::error::{AppError, Thing};
use crate::web::AppState;
use crate::web::Reply;
use crate::web::auth::Organiser;

type State = aweb::Data<AppState>;

/// An offline admission the server could not honour.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Conflict {
    pub scan_id: String,
    pub screening_id: String,
    pub film: String,
    pub ticket_id: Option<String>,
    pub holder_name: Option<String>,
    /// The door that admitted offline, and when.
    pub door: String,
    pub scanned_at: Option<String>,
    /// When the device's upload reached the server.
    pub synced_at: String,
    /// What the server decided instead (`already_admitted`, `cancelled`, `invalid`…).
    pub verdict: Verdict,
    /// For `already_admitted`: the admission that counts, at which door.
    pub first_admitted_at: Option<String>,
    pub first_admitted_door: Option<String>,
    pub message: String,
}

/// A conflict as read: the scan's id, screening, door, times and stored answer, and the venue's
/// time zone (to say when the admission that counts was made).
type ConflictRow = (
    String,
    String,
    String,
    Option<NaiveDateTime>,
    NaiveDateTime,
    String,
    String,
);

/// The festival's conflicts, newest first.
pub fn festival_conflicts(
    conn: &mut AnyConnection,
    festival: FestivalId,
) -> Result<Vec<Conflict>, AppError> {
    let rows: Vec<ConflictRow> = scans::table
        .inner_join(screenings::table.inner_join(venues::table))
        .filter(screenings::festival_id.eq(festival.to_string()))
        .filter(scans::conflict.eq(true))
        .order(scans::server_time.desc())
        .select((
            scans::id,
            scans::screening_id,
            scans::door,
            scans::client_time,
            scans::server_time,
            scans::response,
            venues::timezone,
        ))
        .load(conn)?;
    rows.into_iter()
        .map(
            |(id, screening, door, client_time, server_time, response, timezone)| {
                let answer: ScanAnswer = serde_json::from_str(&response).map_err(|e| {
                    AppError::internal(anyhow::anyhow!(
                        "scans.response of {id} does not parse: {e}"
                    ))
                })?;
                let zone: chrono_tz::Tz = timezone
                    .parse()
                    .map_err(|_| crate::domain::Unreadable::new("venues.timezone", &timezone))?;
                let message = explain(&answer, zone);
                Ok(Conflict {
                    scan_id: id,
                    screening_id: screening,
                    film: answer
                        .screening
                        .as_ref()
                        .map(|s| s.film.clone())
                        .unwrap_or_default(),
                    ticket_id: answer.ticket.as_ref().map(|t| t.id.clone()),
                    holder_name: answer.ticket.as_ref().map(|t| t.holder_name.clone()),
                    door,
                    scanned_at: client_time.map(|t| format::rfc3339(t, chrono_tz::UTC)),
                    synced_at: format::rfc3339(server_time, chrono_tz::UTC),
                    verdict: answer.verdict,
                    first_admitted_at: answer.first_admitted_at,
                    first_admitted_door: answer.first_admitted_door,
                    message,
                })
            },
        )
        .collect()
}

/// Why the server did not honour an offline admission, put into words when it is read — in the
/// reader's language, not the uploading door's — from the verdict and the facts kept with it.
fn explain(answer: &ScanAnswer, zone: chrono_tz::Tz) -> String {
    let msg = match answer.verdict {
        Verdict::AlreadyAdmitted => {
            let time = answer
                .first_admitted_at
                .as_deref()
                .and_then(|at| chrono::DateTime::parse_from_rfc3339(at).ok())
                .map(|at| format::time_of_day(at.naive_utc(), zone))
                .unwrap_or_default();
            let door = answer.first_admitted_door.clone().unwrap_or_default();
            crate::msg!("door-already-admitted", time = time, door = door)
        }
        Verdict::Cancelled => crate::msg!("conflict-cancelled"),
        Verdict::Invalid => crate::msg!("conflict-not-genuine"),
        Verdict::Unknown => crate::msg!("door-no-such-ticket"),
        Verdict::WrongScreening => crate::msg!("conflict-wrong-screening"),
        Verdict::TooEarly | Verdict::TooLate => crate::msg!("conflict-outside-doors"),
        Verdict::RoomFull => crate::msg!("door-room-full"),
        // Not a refusal: no conflict is stored with these, but the stored words are kept.
        Verdict::Admitted | Verdict::Annulled => {
            return answer.message.clone();
        }
    };
    msg.to_string()
}

/// How many conflicts a festival has (the report's `totals.conflicts`).
pub fn count_conflicts(conn: &mut AnyConnection, festival: FestivalId) -> Result<i64, AppError> {
    Ok(scans::table
        .inner_join(screenings::table)
        .filter(screenings::festival_id.eq(festival.to_string()))
        .filter(scans::conflict.eq(true))
        .count()
        .get_result(conn)?)
}

/// `GET /api/v1/festivals/{id}/conflicts`: offline double admissions and other offline
/// admissions the server could not honour.
#[utoipa::path(get, path = "/api/v1/festivals/{id}/conflicts", tag = "door",
    params(("id" = FestivalId, Path, description = "The festival's id")),
    security(("bearer" = [])),
    responses((status = 200, description = "Conflicts, newest first", body = Vec<Conflict>)))]
pub(super) async fn conflicts(state: State, _: Organiser, id: aweb::Path<FestivalId>) -> Reply {
    let id = id.into_inner();
    let list = db::run(&state.pool, move |conn| {
        crate::catalogue::queries::festival(conn, id)?
            .ok_or_else(|| AppError::not_found(Thing::Festival))?;
        festival_conflicts(conn, id)
    })
    .await?;
    Ok(HttpResponse::Ok().json(list))
}
