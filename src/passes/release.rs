//! Seats reserved by passes and not used by their release time (the type's `release_minutes`
//! before the start, 10 by default) go back: to the waiting list first, then to anyone, as a
//! freed seat does. A sweeper thread per instance releases them; the reservation is marked
//! `released`, which the no-show rule counts.

use std::sync::Arc;
use std::time::Duration as StdDuration;

use chrono::{Duration, NaiveDateTime, Utc};
use diesel::prelude::*;

use super::queries::ReservationRow;
use crate::db::periodic::{Periodic, sweep_every};
use crate::db::schema::{pass_types, passes, reservations, screenings, tickets};
use crate::db::tx::write_on_changing;
use crate::db::{AnyConnection, DbPool, lock_screenings};
use crate::domain::{PassId, ReservationStatus, ScreeningId, ScreeningStatus};
use crate::error::AppError;
use crate::i18n::Lang;
use crate::web::memory::Memory;

/// The latest a type may release: a day before the start (see `input::MAX_RELEASE_MINUTES`).
const FURTHEST: Duration = Duration::minutes(super::input::MAX_RELEASE_MINUTES);

/// Releases every reservation due by `now` (see the module); how many were released. Each in a
/// transaction of its own, which checks again, under the screening's and the pass's locks, that
/// it is still unused: a pass admitted a moment before keeps its seat.
pub fn release_due(
    conn: &mut AnyConnection,
    memory: &Memory,
    now: NaiveDateTime,
) -> Result<usize, AppError> {
    let candidates: Vec<(ReservationRow, NaiveDateTime, i32)> = reservations::table
        .inner_join(passes::table.inner_join(pass_types::table))
        .inner_join(screenings::table)
        .inner_join(tickets::table.on(tickets::booking_id.eq(reservations::booking_id)))
        .filter(reservations::status.eq(ReservationStatus::Reserved.as_str()))
        .filter(screenings::starts_at.le(now + FURTHEST))
        .filter(tickets::admitted_at.is_null())
        .filter(tickets::status.eq(crate::domain::TicketStatus::Valid.as_str()))
        .filter(screenings::status.eq(ScreeningStatus::Scheduled.as_str()))
        .select((
            ReservationRow::as_select(),
            screenings::starts_at,
            pass_types::release_minutes,
        ))
        .load(conn)?;
    let mut released = 0;
    for (reservation, starts_at, minutes) in candidates {
        if starts_at - Duration::minutes(i64::from(minutes)) > now {
            continue;
        }
        let screening =
            ScreeningId::from_db("reservations.screening_id", &reservation.screening_id)?;
        let pass = PassId::from_db("reservations.pass_id", &reservation.pass_id)?;
        let (done, changed) = write_on_changing(conn, Lang::default(), |tx| {
            lock_screenings(tx.conn, &[screening])?;
            super::record::lock_pass(tx, pass)?;
            let still: Option<ReservationRow> = reservations::table
                .find(&reservation.booking_id)
                .filter(reservations::status.eq(ReservationStatus::Reserved.as_str()))
                .select(ReservationRow::as_select())
                .first(tx.conn)
                .optional()?;
            match still {
                Some(row) => {
                    super::record::end_reservation(tx, &row, ReservationStatus::Released, now)
                }
                None => Ok(false),
            }
        })?;
        memory.forget(&changed);
        released += usize::from(done);
    }
    Ok(released)
}

/// The release sweeper: one thread per instance, every `interval`. Stops when dropped.
pub struct Sweeper {
    thread: Periodic,
}

impl Sweeper {
    /// Stops the thread after its pass in progress; its handle, to be joined.
    pub fn stop(self) -> std::thread::JoinHandle<()> {
        self.thread.stop()
    }

    /// Starts the sweeper of the instance whose memory is `memory`.
    pub fn start(
        pool: DbPool,
        memory: Arc<Memory>,
        interval: StdDuration,
    ) -> std::io::Result<Sweeper> {
        let thread = sweep_every(
            "marquee-pass-release",
            "pass release sweep",
            pool,
            interval,
            move |conn| release_due(conn, &memory, Utc::now().naive_utc()),
        )?;
        Ok(Sweeper { thread })
    }
}
