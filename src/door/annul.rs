//! The annul transaction: a door undoes its own last admission.

use chrono::{Duration, NaiveDateTime, SubsecRound};
use diesel::prelude::*;

use super::answer::{Reason, ScanAnswer, ScreeningInfo, TicketInfo};
use super::chain::{Chain, LogEntry, ScanRow, lock_state};
use crate::booking::queries::ticket_with_booking;
use crate::catalogue::queries::screening_listing;
use crate::db::schema::{scans, tickets};
use crate::db::{AnyConnection, Tx, tallies};
use crate::domain::{BookingStatus, ScanKind, ScreeningId, Verdict};
use crate::error::{AppError, Refusal, Thing};
use crate::msg;
use crate::staff::StaffMember;

/// How long a door may undo its own admission.
pub const ANNUL_WINDOW_SECONDS: i64 = 120;

/// The screening a logged scan was for: the one its annulment locks (see [`annul`]).
pub fn scan_screening(conn: &mut AnyConnection, scan_id: &str) -> Result<ScreeningId, AppError> {
    let screening: String = scans::table
        .find(scan_id)
        .select(scans::screening_id)
        .first(conn)
        .optional()?
        .ok_or_else(|| AppError::not_found(Thing::Scan))?;
    Ok(ScreeningId::from_db("scans.screening_id", &screening)?)
}

/// Undoes a door's own last admission, within [`ANNUL_WINDOW_SECONDS`]. The annulment is logged.
/// The write locks the scan's screening ([`scan_screening`]) first, like every scan.
pub fn annul(
    tx: &mut Tx<'_>,
    staff: &StaffMember,
    scan_id: &str,
    now: NaiveDateTime,
) -> Result<(ScanAnswer, ScreeningId), AppError> {
    let now = now.trunc_subsecs(6);
    tx.savepoint(|tx| {
        let original: ScanRow = scans::table
            .find(scan_id)
            .select(ScanRow::as_select())
            .first(tx.conn)
            .optional()?
            .ok_or_else(|| AppError::not_found(Thing::Scan))?;
        if original.staff_id != staff.id.to_string() {
            return Err(AppError::Forbidden(msg!("error-annul-other-door")));
        }
        if ScanKind::from_db("scans.kind", &original.kind)? != ScanKind::Scan
            || Verdict::from_db("scans.verdict", &original.verdict)? != Verdict::Admitted
        {
            return Err(AppError::conflict(
                Refusal::NotAnAdmission,
                msg!("error-annul-not-admission"),
            ));
        }
        if now - original.server_time > Duration::seconds(ANNUL_WINDOW_SECONDS) {
            return Err(AppError::conflict(
                Refusal::AnnulWindowPassed,
                msg!("error-annul-too-late", seconds = ANNUL_WINDOW_SECONDS),
            ));
        }
        let last_admission: Option<String> = scans::table
            .filter(scans::staff_id.eq(&original.staff_id))
            .filter(scans::door.eq(&original.door))
            .filter(scans::kind.eq(ScanKind::Scan.as_str()))
            .filter(scans::verdict.eq(Verdict::Admitted.as_str()))
            .order(scans::server_time.desc())
            .select(scans::id)
            .first(tx.conn)
            .optional()?;
        if last_admission.as_deref() != Some(original.id.as_str()) {
            return Err(AppError::conflict(
                Refusal::NotLastAdmission,
                msg!("error-annul-not-last"),
            ));
        }
        let screening_id = ScreeningId::from_db("scans.screening_id", &original.screening_id)?;
        // Screening before ticket: the lock order of every write (see lock_screenings).
        let state = lock_state(tx.conn, screening_id)?;
        let ticket_id = original.ticket_id.clone().unwrap_or_default();
        let (ticket, booking) = ticket_with_booking(
            tx.conn,
            crate::domain::TicketId::from_db("scans.ticket_id", &ticket_id)?,
        )?;
        if BookingStatus::from_db("bookings.status", &booking.status)? == BookingStatus::Cancelled {
            // Undoing would leave a valid, unused ticket in a cancelled booking: a seat that
            // nobody could use or free again.
            return Err(AppError::conflict(
                Refusal::BookingCancelled,
                msg!("error-annul-booking-cancelled"),
            ));
        }
        let undone = diesel::update(
            tickets::table
                .find(&ticket_id)
                .filter(tickets::admitted_at.eq(Some(original.server_time))),
        )
        .set((
            tickets::admitted_at.eq(None::<NaiveDateTime>),
            tickets::admitted_door.eq(None::<String>),
        ))
        .execute(tx.conn)?;
        if undone == 0 {
            return Err(AppError::conflict(
                Refusal::AlreadyAnnulled,
                msg!("error-annul-already"),
            ));
        }
        let listing = screening_listing(tx.conn, screening_id)?
            .ok_or_else(|| AppError::not_found(Thing::Screening))?;
        let scan_id = uuid::Uuid::now_v7().to_string();
        let nonce = format!("annul:{}", original.id);
        let mut chain = Chain::new(screening_id, &state);
        let row = chain.append(
            LogEntry {
                id: &scan_id,
                kind: ScanKind::Annul,
                reason: Reason::Undone,
                ticket_id: original.ticket_id.clone(),
                scanned: original.scanned.clone(),
                door: &original.door,
                staff,
                nonce: &nonce,
                request_digest: None,
                client_time: None,
                now,
                first_admitted: None,
                conflict: false,
            },
            -1,
        );
        let answer = ScanAnswer {
            verdict: Verdict::Annulled,
            message: msg!("door-admission-undone").to_string(),
            scan_id,
            ticket: Some(TicketInfo::of(&ticket, &booking.name, booking.seats)),
            screening: Some(ScreeningInfo::new(&listing)),
            ticket_screening: None,
            first_admitted_at: None,
            first_admitted_door: None,
            admitted: row.admitted_count,
            capacity: chain.capacity(),
            replayed: false,
            conflict: false,
            pass: None,
        };
        chain.store(tx.conn, &[row])?;
        tallies::admission(
            &mut tx.rollups,
            &tallies::Admission {
                screening: screening_id,
                country: &booking.country,
                category: ticket.category,
            },
            -1,
        );
        Ok((answer, screening_id))
    })
}
