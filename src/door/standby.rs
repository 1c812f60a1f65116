//! The standby line at the door: from a release time before the start (per screening, set by
//! organisers), the seats not taken by admitted ticket holders go to people queuing without a
//! ticket, in the order of the numbers the door hands out.
//!
//! Seats for standby = capacity − tickets admitted − standby admitted − seats kept for late
//! holders. Both kinds of admission take the screening's row lock first and check the room under
//! it, so the room never holds more people than seats: a late ticket holder is admitted while a
//! seat remains, and told "room full" after (the `room_full` verdict).

use actix_web::{HttpResponse, web as aweb};
use chrono::{Duration, NaiveDateTime, Utc};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use super::routing::check_scope;
use crate::catalogue::queries::screening_listing;
use crate::db::audit::{self, Change};
use crate::db::schema::{screenings, standby_numbers};
use crate::db::{self, AnyConnection, Lock, Tx, lock_screenings};
use crate::domain::format;
use crate::domain::{ScreeningId, ScreeningStatus};
use crate::error::{AppError, ErrorBody, Refusal, Thing};
use crate::staff::StaffMember;
use crate::web::AppState;
use crate::web::Reply;
use crate::web::auth::{Can, SignedIn, need, scope};
use crate::web::json::ApiJson;

pub fn routes(cfg: &mut aweb::ServiceConfig) {
    cfg.route("/api/v1/screenings/{id}/standby", aweb::get().to(standing))
        .route(
            "/api/v1/screenings/{id}/standby",
            aweb::patch().to(configure),
        )
        .route(
            "/api/v1/screenings/{id}/standby/numbers",
            aweb::post().to(issue),
        )
        .route(
            "/api/v1/screenings/{id}/standby/{call}",
            aweb::post().to(call),
        );
}

type State = aweb::Data<AppState>;

/// A screening's standby line, as a door shows it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Standby {
    pub screening_id: String,
    /// Whether this screening has a standby line.
    pub enabled: bool,
    /// Minutes before the start from which seats go to standby.
    pub release_minutes_before_start: Option<i32>,
    /// When seats start going to standby (RFC 3339, the venue's offset); null without standby.
    pub release_at: Option<String>,
    /// "19:50", in the venue's time.
    pub release_local_time: Option<String>,
    pub released: bool,
    pub capacity: i32,
    /// Ticket holders admitted.
    pub admitted: i32,
    pub standby_admitted: i32,
    /// Seats kept for ticket holders arriving late.
    pub keep_for_late: i32,
    /// Seats that can still go to standby now (or, before the release, if it were now).
    pub seats_for_standby: i32,
    pub issued: i32,
    /// Numbers handed out and not yet admitted or skipped.
    pub waiting: i64,
    /// The next number to call.
    pub next_number: Option<i32>,
}

struct Room {
    status: String,
    starts_at: NaiveDateTime,
    capacity: i32,
    admitted: i32,
    release_minutes: Option<i32>,
    keep: i32,
    issued: i32,
    standby_admitted: i32,
}

fn room(conn: &mut AnyConnection, id: ScreeningId) -> Result<Room, AppError> {
    let row: (String, NaiveDateTime, i32, i32, Option<i32>, i32, i32, i32) = screenings::table
        .find(id.to_string())
        .select((
            screenings::status,
            screenings::starts_at,
            screenings::capacity,
            screenings::admitted,
            screenings::standby_release_minutes,
            screenings::standby_keep,
            screenings::standby_issued,
            screenings::standby_admitted,
        ))
        .first(conn)
        .optional()?
        .ok_or_else(|| AppError::not_found(Thing::Screening))?;
    let (status, starts_at, capacity, admitted, release_minutes, keep, issued, standby_admitted) =
        row;
    Ok(Room {
        status,
        starts_at,
        capacity,
        admitted,
        release_minutes,
        keep,
        issued,
        standby_admitted,
    })
}

impl Room {
    fn release_at(&self) -> Option<NaiveDateTime> {
        self.release_minutes
            .map(|m| self.starts_at - Duration::minutes(i64::from(m)))
    }

    fn seats_for_standby(&self) -> i32 {
        (self.capacity - self.admitted - self.standby_admitted - self.keep).max(0)
    }
}

/// The line as it stands.
pub fn standing_of(
    conn: &mut AnyConnection,
    id: ScreeningId,
    now: NaiveDateTime,
) -> Result<Standby, AppError> {
    let room = room(conn, id)?;
    let zone = screening_listing(conn, id)?.map_or(chrono_tz::UTC, |l| l.zone());
    let waiting: Vec<i32> = standby_numbers::table
        .filter(standby_numbers::screening_id.eq(id.to_string()))
        .filter(standby_numbers::status.eq("waiting"))
        .order(standby_numbers::number.asc())
        .select(standby_numbers::number)
        .load(conn)?;
    let release = room.release_at();
    Ok(Standby {
        screening_id: id.to_string(),
        enabled: release.is_some(),
        release_minutes_before_start: room.release_minutes,
        release_at: release.map(|t| format::rfc3339(t, zone)),
        release_local_time: release.map(|t| format::time_of_day(t, zone)),
        released: release.is_some_and(|t| t <= now),
        capacity: room.capacity,
        admitted: room.admitted,
        standby_admitted: room.standby_admitted,
        keep_for_late: room.keep,
        seats_for_standby: room.seats_for_standby(),
        issued: room.issued,
        waiting: i64::try_from(waiting.len()).map_err(AppError::internal)?,
        next_number: waiting.first().copied(),
    })
}

/// Hands out the next standby number.
pub fn issue_number(
    tx: &mut Tx<'_>,
    id: ScreeningId,
    staff: &StaffMember,
    now: NaiveDateTime,
) -> Result<i32, AppError> {
    tx.savepoint(|tx| {
        lock_screenings(tx.conn, &[id])?;
        let room = room(tx.conn, id)?;
        if room.release_minutes.is_none() {
            return Err(standby_off());
        }
        if ScreeningStatus::from_db("screenings.status", &room.status)?
            == ScreeningStatus::Cancelled
        {
            return Err(crate::booking::queries::screening_cancelled());
        }
        let number = room.issued + 1;
        diesel::insert_into(standby_numbers::table)
            .values((
                standby_numbers::screening_id.eq(id.to_string()),
                standby_numbers::number.eq(number),
                standby_numbers::status.eq("waiting"),
                standby_numbers::issued_at.eq(now),
                standby_numbers::issued_by.eq(staff.id.to_string()),
            ))
            .execute(tx.conn)?;
        diesel::update(screenings::table.find(id.to_string()))
            .set(screenings::standby_issued.eq(number))
            .execute(tx.conn)?;
        Ok(number)
    })
}

fn standby_off() -> AppError {
    AppError::conflict(Refusal::StandbyOff, crate::msg!("error-standby-off"))
}

/// Admits the next standby number, if the line is released and a seat is free; or skips it
/// (called and not there). Returns the number.
pub fn call_next(
    tx: &mut Tx<'_>,
    id: ScreeningId,
    door: &str,
    admit: bool,
    now: NaiveDateTime,
) -> Result<i32, AppError> {
    tx.savepoint(|tx| {
        lock_screenings(tx.conn, &[id])?;
        let room = room(tx.conn, id)?;
        let Some(release) = room.release_at() else {
            return Err(standby_off());
        };
        let next: Option<i32> = standby_numbers::table
            .filter(standby_numbers::screening_id.eq(id.to_string()))
            .filter(standby_numbers::status.eq("waiting"))
            .order(standby_numbers::number.asc())
            .select(standby_numbers::number)
            .first(tx.conn)
            .optional()?;
        let Some(number) = next else {
            return Err(AppError::conflict(
                Refusal::NobodyWaiting,
                crate::msg!("error-standby-nobody-waiting"),
            ));
        };
        if admit {
            if ScreeningStatus::from_db("screenings.status", &room.status)?
                == ScreeningStatus::Cancelled
            {
                return Err(crate::booking::queries::screening_cancelled());
            }
            if now < release {
                let zone = screening_listing(tx.conn, id)?.map_or(chrono_tz::UTC, |l| l.zone());
                return Err(AppError::conflict(
                    Refusal::StandbyNotReleased,
                    crate::msg!(
                        "error-standby-not-released",
                        time = format::time_of_day(release, zone)
                    ),
                ));
            }
            if room.seats_for_standby() == 0 {
                return Err(AppError::conflict(
                    Refusal::NoSeats,
                    crate::msg!("error-standby-no-seats"),
                ));
            }
        }
        diesel::update(
            standby_numbers::table
                .find((id.to_string(), number))
                .filter(standby_numbers::status.eq("waiting")),
        )
        .set((
            standby_numbers::status.eq(if admit { "admitted" } else { "skipped" }),
            standby_numbers::admitted_at.eq(admit.then_some(now)),
            standby_numbers::admitted_door.eq(admit.then_some(door)),
        ))
        .execute(tx.conn)?;
        if admit {
            diesel::update(screenings::table.find(id.to_string()))
                .set(screenings::standby_admitted.eq(screenings::standby_admitted + 1))
                .execute(tx.conn)?;
        }
        Ok(number)
    })
}

/// Sets a screening's standby line (organisers).
pub fn set_standby(
    tx: &mut Tx<'_>,
    id: ScreeningId,
    release_minutes: Option<i32>,
    keep: i32,
) -> Result<(), AppError> {
    tx.savepoint(|tx| {
        lock_screenings(tx.conn, &[id])?;
        room(tx.conn, id)?;
        diesel::update(screenings::table.find(id.to_string()))
            .set((
                screenings::standby_release_minutes.eq(release_minutes),
                screenings::standby_keep.eq(keep),
            ))
            .execute(tx.conn)?;
        Ok(())
    })
}

// ---------------------------------------------------------------------------------------------
// HTTP

async fn in_scope(state: &State, staff: &StaffMember, id: ScreeningId) -> Result<(), AppError> {
    let listing = db::run(&state.pool, move |conn| {
        screening_listing(conn, id)?.ok_or_else(|| AppError::not_found(Thing::Screening))
    })
    .await?;
    check_scope(staff, &listing)
}

async fn answer(state: &State, id: ScreeningId) -> Result<Standby, AppError> {
    db::run(&state.pool, move |conn| {
        standing_of(conn, id, Utc::now().naive_utc())
    })
    .await
}

/// `GET /api/v1/screenings/{id}/standby`: the line (door staff in scope, organisers).
#[utoipa::path(get, path = "/api/v1/screenings/{id}/standby", tag = "door",
    params(("id" = ScreeningId, Path, description = "The screening's id")),
    security(("bearer" = [])),
    responses((status = 200, description = "The standby line: release time, seats for standby, numbers waiting", body = Standby)))]
async fn standing(state: State, SignedIn(staff): SignedIn, id: aweb::Path<ScreeningId>) -> Reply {
    let id = id.into_inner();
    in_scope(&state, &staff, id).await?;
    Ok(HttpResponse::Ok().json(answer(&state, id).await?))
}

/// A standby number just handed out.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Called {
    pub number: i32,
    pub standby: Standby,
}

/// `POST /api/v1/screenings/{id}/standby/numbers`: hands out the next number.
#[utoipa::path(post, path = "/api/v1/screenings/{id}/standby/numbers", tag = "door",
    params(("id" = ScreeningId, Path, description = "The screening's id")),
    security(("bearer" = [])),
    responses(
        (status = 201, description = "The number to give the person queuing", body = Called),
        (status = 409, description = "`standby_off` or `screening_cancelled`", body = ErrorBody),
    ))]
async fn issue(state: State, SignedIn(staff): SignedIn, id: aweb::Path<ScreeningId>) -> Reply {
    let id = id.into_inner();
    in_scope(&state, &staff, id).await?;
    let number = state
        .write(Lock::Screening(id), move |tx| {
            issue_number(tx, id, &staff, Utc::now().naive_utc())
        })
        .await?;
    Ok(HttpResponse::Created().json(Called {
        number,
        standby: answer(&state, id).await?,
    }))
}

/// Which door calls the next number.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CallInput {
    #[schema(min_length = 1, max_length = 60)]
    pub door: String,
}

/// What a door does with the next number in line: lets it in, or passes it over (called and not
/// there).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Call {
    Admit,
    Skip,
}

/// `POST /api/v1/screenings/{id}/standby/{call}`: admits the next number in line, or skips it.
#[utoipa::path(post, path = "/api/v1/screenings/{id}/standby/{call}", tag = "door",
    request_body = CallInput,
    params(
        ("id" = ScreeningId, Path, description = "The screening's id"),
        ("call" = Call, Path, description = "`admit` lets the next number in; `skip` passes over one called and not there"),
    ),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The number admitted or skipped", body = Called),
        (status = 409, description = "`nobody_waiting` or `standby_off`; admitting also `standby_not_released`, `no_seats` or `screening_cancelled`", body = ErrorBody),
    ))]
async fn call(
    state: State,
    SignedIn(staff): SignedIn,
    path: aweb::Path<(ScreeningId, Call)>,
    body: ApiJson<CallInput>,
) -> Reply {
    let (id, call) = path.into_inner();
    let door = crate::domain::input::door_name(&body.into_inner()?.door)?;
    in_scope(&state, &staff, id).await?;
    let admit = call == Call::Admit;
    let number = state
        .write(Lock::Screening(id), move |tx| {
            call_next(tx, id, &door, admit, Utc::now().naive_utc())
        })
        .await?;
    state.hub.publish(id);
    Ok(HttpResponse::Ok().json(Called {
        number,
        standby: answer(&state, id).await?,
    }))
}

/// A screening's standby settings.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StandbySettings {
    /// Minutes before the start from which seats go to standby (0 to 240); null: no standby line.
    #[schema(minimum = 0, maximum = 240)]
    pub release_minutes_before_start: Option<i64>,
    /// Seats kept for ticket holders arriving late (default 0).
    #[serde(default)]
    #[schema(minimum = 0)]
    pub keep_for_late: i64,
}

/// Checks standby settings: (release minutes, seats kept).
pub fn check_settings(
    release: Option<i64>,
    keep: i64,
    capacity: i32,
) -> Result<(Option<i32>, i32), AppError> {
    let release = release
        .map(|m| {
            i32::try_from(m)
                .ok()
                .filter(|m| (0..=240).contains(m))
                .ok_or_else(|| {
                    AppError::invalid(
                        "release_minutes_before_start",
                        crate::msg!("error-standby-release-minutes"),
                    )
                })
        })
        .transpose()?;
    let keep = i32::try_from(keep)
        .ok()
        .filter(|k| (0..=capacity).contains(k))
        .ok_or_else(|| {
            AppError::invalid(
                "keep_for_late",
                crate::msg!("error-standby-keep-for-late", capacity = capacity),
            )
        })?;
    Ok((release, keep))
}

/// Applies standby settings (organiser pages use it too).
pub async fn apply_settings(
    state: &State,
    staff: &StaffMember,
    id: ScreeningId,
    release: Option<i64>,
    keep: i64,
) -> Result<Standby, AppError> {
    let staff = staff.clone();
    state
        .write(Lock::Screening(id), move |tx| {
            let tx = tx.by(&staff);
            let listing = screening_listing(tx.conn, id)?
                .ok_or_else(|| AppError::not_found(Thing::Screening))?;
            let (release, keep) = check_settings(release, keep, listing.screening.capacity)?;
            set_standby(tx, id, release, keep)?;
            let change = Change::new(
                Some(listing.screening.festival_id),
                "standby.settings",
                format!("screening:{id}"),
            )
            .after(&serde_json::json!({ "release_minutes": release, "keep_for_late": keep }));
            audit::record(tx, change)?;
            standing_of(tx.conn, id, Utc::now().naive_utc())
        })
        .await
}

/// `PATCH /api/v1/screenings/{id}/standby`: sets the standby line (organisers).
#[utoipa::path(patch, path = "/api/v1/screenings/{id}/standby", tag = "door",
    request_body = StandbySettings, params(("id" = ScreeningId, Path)), security(("bearer" = [])),
    responses((status = 200, description = "The standby line as it is now", body = Standby)))]
async fn configure(
    state: State,
    can: Can<need::DoorLead, scope::Screening>,
    id: aweb::Path<ScreeningId>,
    body: ApiJson<StandbySettings>,
) -> Reply {
    let settings = body.into_inner()?;
    let standby = apply_settings(
        &state,
        &can.staff,
        id.into_inner(),
        settings.release_minutes_before_start,
        settings.keep_for_late,
    )
    .await?;
    Ok(HttpResponse::Ok().json(standby))
}
