//! Conflicts: offline admissions the server could not honour, for organisers to see.

use actix_web::{HttpResponse, web as aweb};
use diesel::prelude::*;
use serde::Serialize;

use crate::db::schema::{bookings, films, scans, screenings, tickets, venues};
use crate::db::{self, AnyConnection};
use crate::domain::format;
use crate::domain::{FestivalId, Verdict};
use crate::door::chain::ScanRow;
use crate::error::{AppError, Thing};
use crate::web::AppState;
use crate::web::Reply;
use crate::web::auth::{Can, need, scope};

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

/// A conflict as read: the log entry's facts, the film, the venue's time zone (to say when the
/// admission that counts was made) and the holder's name as the booking has it now.
type ConflictRow = (ScanRow, String, String, Option<String>);

/// The festival's conflicts, newest first.
pub fn festival_conflicts(
    conn: &mut AnyConnection,
    festival: FestivalId,
) -> Result<Vec<Conflict>, AppError> {
    let rows: Vec<ConflictRow> = scans::table
        .inner_join(
            screenings::table
                .inner_join(venues::table)
                .inner_join(films::table),
        )
        .left_join(tickets::table.inner_join(bookings::table))
        .filter(screenings::festival_id.eq(festival.to_string()))
        .filter(scans::conflict.eq(true))
        .order(scans::server_time.desc())
        .select((
            ScanRow::as_select(),
            films::title,
            venues::timezone,
            bookings::name.nullable(),
        ))
        .load(conn)?;
    rows.into_iter()
        .map(|(row, film, timezone, holder_name)| {
            let zone: chrono_tz::Tz = timezone
                .parse()
                .map_err(|_| crate::domain::Unreadable::new("venues.timezone", &timezone))?;
            let verdict = Verdict::from_db("scans.verdict", &row.verdict)?;
            let first_admitted = row.first_admitted_at.map(|at| format::rfc3339(at, zone));
            let message = explain(verdict, &row, zone);
            Ok(Conflict {
                scan_id: row.id,
                screening_id: row.screening_id,
                film,
                ticket_id: row.ticket_id,
                holder_name,
                door: row.door,
                scanned_at: row.client_time.map(|t| format::rfc3339(t, chrono_tz::UTC)),
                synced_at: format::rfc3339(row.server_time, chrono_tz::UTC),
                verdict,
                first_admitted_at: first_admitted,
                first_admitted_door: row.first_admitted_door,
                message,
            })
        })
        .collect()
}

/// Why the server did not honour an offline admission, put into words when it is read — in the
/// reader's language, not the uploading door's — from the verdict and the facts kept with it.
fn explain(verdict: Verdict, row: &ScanRow, zone: chrono_tz::Tz) -> String {
    let msg = match verdict {
        Verdict::AlreadyAdmitted => crate::msg!(
            "door-already-admitted",
            time = row
                .first_admitted_at
                .map(|at| format::time_of_day(at, zone))
                .unwrap_or_default(),
            door = row.first_admitted_door.clone().unwrap_or_default()
        ),
        Verdict::Cancelled => crate::msg!("conflict-cancelled"),
        Verdict::Invalid => crate::msg!("conflict-not-genuine"),
        Verdict::Unknown => crate::msg!("door-no-such-ticket"),
        Verdict::WrongScreening => crate::msg!("conflict-wrong-screening"),
        Verdict::TooEarly | Verdict::TooLate => crate::msg!("conflict-outside-doors"),
        Verdict::RoomFull => crate::msg!("door-room-full"),
        Verdict::NoReservation => crate::msg!("door-no-reservation"),
        Verdict::NotValidForScreening => crate::msg!("door-pass-not-valid"),
        // Not a refusal: no conflict is logged with these.
        Verdict::Admitted => crate::msg!("door-welcome", name = ""),
        Verdict::Annulled => crate::msg!("door-admission-undone"),
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
pub(super) async fn conflicts(
    state: State,
    _: Can<need::DoorLead, scope::Festival>,
    id: aweb::Path<FestivalId>,
) -> Reply {
    let id = id.into_inner();
    let list = db::run(&state.pool, move |conn| {
        crate::catalogue::queries::festival(conn, id)?
            .ok_or_else(|| AppError::not_found(Thing::Festival))?;
        festival_conflicts(conn, id)
    })
    .await?;
    Ok(HttpResponse::Ok().json(list))
}
