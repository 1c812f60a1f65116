//! Which screening a door admits for: the one it was given, or at a venue the one open now, within
//! the staff member's scope.

use chrono::NaiveDateTime;

use std::sync::Arc;

use super::answer::{doors_close_at, doors_open_at};
use super::request::{ScanRequest, Target};
use crate::catalogue::cache::{Catalogue, Lookup, Source, VenueDay};
use crate::catalogue::queries::ScreeningListing;
use crate::db::AnyConnection;
use crate::domain::ticket_code::{CodeError, Presented, PresentedPass, TicketVerifier};
use crate::domain::{Permission, VenueId};
use crate::error::{AppError, Thing};
use crate::msg;
use crate::staff::StaffMember;

/// The screening a door admits for now. At a venue: among the screenings the staff member may
/// admit for, the one whose doors are open (the earliest if several), else the next one to open,
/// else the last one that closed.
pub(super) fn door_screening(
    source: &mut Source<'_>,
    staff: &StaffMember,
    target: Target,
    now: NaiveDateTime,
) -> Result<Arc<ScreeningListing>, Lookup> {
    match target {
        Target::Screening(id) => Ok(source
            .screening(id)?
            .ok_or_else(|| AppError::not_found(Thing::Screening))?),
        Target::Venue(venue) => {
            let day = source.venue_day(venue, now)?;
            let listings = admissible(staff, venue, day.as_deref())?;
            let open = listings
                .iter()
                .find(|l| doors_open_at(l) <= now && now <= doors_close_at(l));
            let next = listings.iter().find(|l| doors_open_at(l) > now);
            let last = listings.iter().rev().find(|l| doors_close_at(l) < now);
            Ok(open
                .or(next)
                .or(last)
                .cloned()
                .ok_or_else(|| AppError::NotFound(msg!("error-no-screening-today")))?)
        }
    }
}

/// The screenings a venue's door may admit for around `now` (doors open at most a day before,
/// close at most a day after), within the staff member's scope — a venue can be shared by
/// festivals. The one rule used by the door page, the scan API and the offline bundle.
pub fn venue_screenings(
    conn: &mut AnyConnection,
    staff: &StaffMember,
    venue: VenueId,
    now: NaiveDateTime,
) -> Result<Vec<ScreeningListing>, AppError> {
    let day = crate::catalogue::cache::venue_day(conn, venue, now)?;
    Ok(admissible(staff, venue, day.as_ref())?
        .into_iter()
        .map(|l| l.as_ref().clone())
        .collect())
}

/// [`venue_screenings`] over the venue's day as read (`None`: no such venue).
fn admissible(
    staff: &StaffMember,
    venue: VenueId,
    day: Option<&VenueDay>,
) -> Result<Vec<Arc<ScreeningListing>>, AppError> {
    let day = day.ok_or_else(|| AppError::not_found(Thing::Venue))?;
    if staff.venue_id.is_some_and(|own| own != venue) {
        return Err(AppError::Forbidden(msg!("error-scan-own-venue-only")));
    }
    let listings: Vec<Arc<ScreeningListing>> = day
        .screenings
        .iter()
        .filter(|l| check_scope(staff, l).is_ok())
        .cloned()
        .collect();
    if !day.screenings.is_empty() && listings.is_empty() {
        // Screenings here today, none of them this credential's festival's.
        return Err(AppError::Forbidden(msg!("error-scan-own-festival-only")));
    }
    Ok(listings)
}

/// Staff scan only at festivals where they may ([`Permission::Door`]), and door staff limited to
/// a venue only there.
pub fn check_scope(staff: &StaffMember, screening: &ScreeningListing) -> Result<(), AppError> {
    if let Some(venue) = staff.venue_id
        && venue != screening.venue.id
    {
        return Err(AppError::Forbidden(msg!("error-scan-own-venue-only")));
    }
    if !staff.may(Permission::Door, screening.screening.festival_id) {
        return Err(AppError::Forbidden(msg!("error-scan-own-festival-only")));
    }
    Ok(())
}

/// Where a scan goes: decided before it is queued.
#[derive(Debug, Clone)]
pub struct Route {
    /// The screening whose counter and log the scan goes to, whose lock it takes.
    pub(super) judged: Arc<ScreeningListing>,
    /// The code as read: layout and key checked, the signature not yet. For a festival pass's
    /// code, `Format` until the pass is turned into its seat's ticket (`super::pass_scan`).
    pub(super) code: Result<Presented, CodeError>,
    /// A festival pass's code, as read (layout and key checked).
    pub(super) pass: Option<PresentedPass>,
    /// The screening the code names, when it is not the door's.
    pub(super) named: Option<Arc<ScreeningListing>>,
}

/// Routes a scan (see the module). Errors only for requests that cannot be judged: an unknown
/// screening or venue, a door outside the staff member's scope; from [`Source::Memory`], also
/// [`Lookup::NotRemembered`].
pub fn route(
    source: &mut Source<'_>,
    verifier: &TicketVerifier,
    staff: &StaffMember,
    request: &ScanRequest,
    now: NaiveDateTime,
) -> Result<Route, Lookup> {
    let door = door_screening(source, staff, request.target, now)?;
    check_scope(staff, &door)?;
    let (code, pass) = if TicketVerifier::looks_like_pass(&request.code) {
        match verifier.read_pass(&request.code) {
            Ok(pass) => (Err(CodeError::Format), Some(pass)),
            Err(error) => (Err(error), None),
        }
    } else {
        (verifier.read(&request.code), None)
    };
    let named = match &code {
        Ok(p) if p.claims.screening != door.screening.id => source.screening(p.claims.screening)?,
        _ => None,
    };
    // At a venue door, a code for another screening of this venue is judged for that screening.
    // Only within this staff member's scope: a festival-scoped door at a shared venue answers
    // "wrong screening" for another festival's ticket.
    let judged = match (&named, request.target) {
        (Some(n), Target::Venue(venue)) if n.venue.id == venue && check_scope(staff, n).is_ok() => {
            n.clone()
        }
        _ => door,
    };
    Ok(Route {
        judged,
        code,
        pass,
        named,
    })
}

/// Routes with `conn` for what `memory` does not hold.
pub fn route_reading(
    memory: &Catalogue,
    conn: &mut AnyConnection,
    verifier: &TicketVerifier,
    staff: &StaffMember,
    request: &ScanRequest,
    now: NaiveDateTime,
) -> Result<Route, AppError> {
    Ok(route(
        &mut Source::Database(memory, conn),
        verifier,
        staff,
        request,
        now,
    )?)
}
