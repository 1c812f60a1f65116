//! What organisers do with a screening's waiting list — see it in order, open or close it, set
//! how long offers are held, move or remove an entry — and how an entry is shown: shared by the
//! JSON API (`waitlist_api`) and the organiser pages (`admin`). The rules are in `waitlist.rs`.

use chrono::{NaiveDateTime, Utc};
use serde::Serialize;

use super::waitlist::{self as w, EntryRow, EntryStatus};
use crate::db::audit::{self, Change};
use crate::db::{self, Lock, Tx, schema::screenings};
use crate::domain::ScreeningId;
use crate::domain::format;
use crate::error::{AppError, Thing};
use crate::staff::StaffMember;
use crate::web::AppState;

fn now() -> NaiveDateTime {
    Utc::now().naive_utc()
}

/// "Friday 12 December 2025, 20:15" in the venue's time, in the reader's language.
pub fn until(t: NaiveDateTime, zone: chrono_tz::Tz) -> String {
    format::when(t, zone)
}

/// An entry as its holder sees it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct EntryView {
    pub id: String,
    pub screening_id: String,
    /// The entry's number in the screening's line (organisers may reorder it).
    pub position: i32,
    /// How many entries are ahead, plus one (0 once off the line).
    pub place: i64,
    pub seats: i32,
    pub status: EntryStatus,
    /// Until when seats are held for this entry (RFC 3339, UTC), when `status` is `offered`.
    pub offer_expires_at: Option<String>,
    /// The private link and its token: only in the answer that created the entry.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub manage_token: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub manage_url: Option<String>,
}

impl EntryView {
    pub(super) fn new(entry: &EntryRow, place: i64) -> Result<EntryView, AppError> {
        Ok(EntryView {
            id: entry.id.clone(),
            screening_id: entry.screening_id.clone(),
            position: entry.position,
            place,
            seats: entry.seats,
            status: entry.status()?,
            offer_expires_at: entry
                .offer_expires_at
                .filter(|_| entry.status().ok() == Some(EntryStatus::Offered))
                .map(|t| format::rfc3339(t, chrono_tz::UTC)),
            manage_token: None,
            manage_url: None,
        })
    }
}

/// An entry as organisers see it: with the person's name, e-mail and country.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ListedEntry {
    #[serde(flatten)]
    pub entry: EntryView,
    pub name: String,
    pub email: String,
    pub country: String,
    /// UTC, RFC 3339.
    pub joined_at: String,
    /// For an open offer: "20:15 on Fri 12 Dec", in the venue's time.
    pub offer_until: Option<String>,
}

/// A screening's waiting list.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct WaitlistView {
    pub screening_id: String,
    /// Whether new entries are taken.
    pub open: bool,
    /// How long an offer is held, at most (shorter as the start nears).
    pub offer_minutes: i32,
    /// Seats held for open offers (counted as booked).
    pub held: i32,
    pub entries: Vec<ListedEntry>,
}

pub fn listed(conn: &mut db::AnyConnection, id: ScreeningId) -> Result<WaitlistView, AppError> {
    use diesel::prelude::*;
    let (open, offer_minutes, held): (bool, i32, i32) = screenings::table
        .find(id.to_string())
        .select((
            screenings::waitlist_open,
            screenings::offer_minutes,
            screenings::held,
        ))
        .first(conn)
        .optional()?
        .ok_or_else(|| AppError::not_found(Thing::Screening))?;
    let zone = crate::catalogue::queries::screening_listing(conn, id)?
        .map_or(chrono_tz::UTC, |l| l.zone());
    let mut place = 0;
    let entries = w::entries_of(conn, id)?
        .into_iter()
        .map(|e| {
            let in_line = matches!(e.status()?, EntryStatus::Waiting | EntryStatus::Offered);
            if in_line {
                place += 1;
            }
            let view = EntryView::new(&e, if in_line { place } else { 0 })?;
            Ok(ListedEntry {
                offer_until: e
                    .offer_expires_at
                    .filter(|_| view.status == EntryStatus::Offered)
                    .map(|t| until(t, zone)),
                entry: view,
                joined_at: format::rfc3339(e.created_at, chrono_tz::UTC),
                name: e.name,
                email: e.email,
                country: e.country,
            })
        })
        .collect::<Result<Vec<_>, AppError>>()?;
    Ok(WaitlistView {
        screening_id: id.to_string(),
        open,
        offer_minutes,
        held,
        entries,
    })
}

/// Loads a screening's waiting list (organiser pages use it too).
pub async fn load(state: &AppState, id: ScreeningId) -> Result<WaitlistView, AppError> {
    // One snapshot: the held seats and the offers agree.
    db::run(&state.pool, move |conn| {
        db::read_snapshot(conn, |conn| listed(conn, id))
    })
    .await
}

/// Checks the offer time; `None` when not given.
pub fn offer_minutes(given: Option<i64>) -> Result<Option<i32>, AppError> {
    given
        .map(|m| {
            i32::try_from(m)
                .ok()
                .filter(|m| (5..=1440).contains(m))
                .ok_or_else(|| {
                    AppError::invalid("offer_minutes", crate::msg!("error-offer-minutes"))
                })
        })
        .transpose()
}

pub async fn configure(
    state: &AppState,
    staff: &StaffMember,
    id: ScreeningId,
    open: Option<bool>,
    minutes: Option<i32>,
) -> Result<(), AppError> {
    let staff = staff.clone();
    state
        .write(Lock::Screening(id), move |tx| {
            let tx = tx.by(&staff);
            let listing = crate::catalogue::queries::screening_listing(tx.conn, id)?
                .ok_or_else(|| AppError::not_found(Thing::Screening))?;
            w::configure(tx, id, open, minutes)?;
            let change = Change::new(
                Some(listing.screening.festival_id),
                "waitlist.settings",
                format!("screening:{id}"),
            )
            .after(&serde_json::json!({ "open": open, "offer_minutes": minutes }));
            audit::record(tx, change)
        })
        .await
}

/// Records a change to a waiting list's entry.
fn record_entry(
    tx: &mut Tx<'_>,
    action: &str,
    entry: &str,
    screening: &str,
) -> Result<(), AppError> {
    let festival = crate::catalogue::queries::screening_row(
        tx.conn,
        ScreeningId::from_db("waitlist_entries.screening_id", screening)?,
    )?
    .festival_id;
    audit::record(
        tx,
        Change::new(
            festival.parse().ok(),
            action.to_owned(),
            format!("waitlist_entry:{entry}"),
        ),
    )
}

/// Moves an entry (organiser pages use it too); returns its screening.
pub async fn move_entry(
    state: &AppState,
    staff: &StaffMember,
    id: String,
    position: i64,
) -> Result<String, AppError> {
    let position = i32::try_from(position)
        .ok()
        .filter(|p| *p >= 1)
        .ok_or_else(|| AppError::invalid("position", crate::msg!("error-position")))?;

    let lookup = id.clone();
    let found = db::run(&state.pool, move |conn| w::entry(conn, &lookup)).await?;
    let screening = ScreeningId::from_db("waitlist_entries.screening_id", &found.screening_id)?;
    let staff = staff.clone();
    let entries = state
        .write(Lock::Screening(screening), move |tx| {
            let tx = tx.by(&staff);
            record_entry(tx, "waitlist.move", &id, &found.screening_id)?;
            w::move_to(tx, &id, position)
        })
        .await?;
    Ok(entries
        .first()
        .map(|e| e.screening_id.clone())
        .unwrap_or_default())
}

/// Removes an entry (organiser pages use it too); an offer passes to the next entry.
pub async fn remove_entry(
    state: &AppState,
    staff: &StaffMember,
    id: String,
) -> Result<EntryRow, AppError> {
    let lookup = id.clone();
    let found = db::run(&state.pool, move |conn| w::entry(conn, &lookup)).await?;
    let staff = staff.clone();
    state
        .write(
            Lock::Screening(ScreeningId::from_db(
                "waitlist_entries.screening_id",
                &found.screening_id,
            )?),
            move |tx| {
                let tx = tx.by(&staff);
                record_entry(tx, "waitlist.remove", &id, &found.screening_id)?;
                w::withdraw(tx, &id, EntryStatus::Removed, now())
            },
        )
        .await
}
