//! The rules of a pass's reservation, over facts already read: which screenings a pass opens,
//! its limits, overlaps and the no-show rule — pure functions (no storage, no clock), every case
//! tested beside them. The writes that read those facts under their locks are in [`super::record`].

use chrono::{Duration, NaiveDate, NaiveDateTime};

use super::queries::PassType;
use crate::catalogue::queries::ScreeningListing;
use crate::domain::{PassStatus, ReservationStatus, ScreeningStatus};
use crate::error::{AppError, Refusal};

/// How long the no-show rule holds a pass back after its last no-show.
pub const NO_SHOW_HOLD: Duration = Duration::hours(24);

/// A screening as a pass's rules see it.
#[derive(Debug, Clone, Copy)]
pub struct Showing<'a> {
    pub listing: &'a ScreeningListing,
    /// Its day in its venue's calendar.
    pub day: NaiveDate,
}

impl<'a> Showing<'a> {
    pub fn of(listing: &'a ScreeningListing) -> Showing<'a> {
        Showing {
            listing,
            day: local_day(listing.screening.starts_at, listing.zone()),
        }
    }
}

/// The day of `at` in a venue's calendar.
pub(super) fn local_day(at: NaiveDateTime, zone: chrono_tz::Tz) -> NaiveDate {
    chrono::TimeZone::from_utc_datetime(&zone, &at).date_naive()
}

/// Whether a pass of `kind` opens `showing` at all: its festival, its days, its films and venues.
pub fn opens(kind: &PassType, showing: &Showing<'_>) -> bool {
    let screening = &showing.listing.screening;
    kind.festival_id == screening.festival_id
        && kind.valid_from.is_none_or(|from| showing.day >= from)
        && kind.valid_until.is_none_or(|until| showing.day <= until)
        && (kind.film_ids.is_empty() || kind.film_ids.contains(&screening.film_id))
        && (kind.venue_ids.is_empty() || kind.venue_ids.contains(&screening.venue_id))
}

/// A reservation of the pass, as its limits count it.
#[derive(Debug, Clone)]
pub struct Held {
    pub status: ReservationStatus,
    pub starts_at: NaiveDateTime,
    pub ends_at: NaiveDateTime,
    pub day: NaiveDate,
    pub admitted: bool,
    pub ended_at: Option<NaiveDateTime>,
}

/// How a reservation is being made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Made {
    /// On the pass page or through the API, by the holder or an organiser.
    Ahead,
    /// At the door, for a pass without a reservation: the holder is here, so another
    /// reservation overlapping this one no longer holds them anywhere else.
    WalkIn,
}

/// The rule of a reservation, over what was read under the locks: a pure function, tested beside
/// it. `Ok` when the pass may hold a seat at `showing`; the seat itself is the bookings' rule.
pub fn may_reserve(
    kind: &PassType,
    status: PassStatus,
    showing: &Showing<'_>,
    held: &[Held],
    made: Made,
    now: NaiveDateTime,
) -> Result<(), AppError> {
    if status == PassStatus::Revoked {
        return Err(AppError::conflict(
            Refusal::PassRevoked,
            crate::msg!("error-pass-revoked"),
        ));
    }
    if !opens(kind, showing) {
        return Err(AppError::conflict(
            Refusal::NotValidForScreening,
            crate::msg!("error-pass-not-valid"),
        ));
    }
    let screening = &showing.listing.screening;
    if screening.status == ScreeningStatus::Cancelled {
        return Err(crate::booking::queries::screening_cancelled());
    }
    if made == Made::Ahead && screening.starts_at <= now {
        return Err(AppError::conflict(
            Refusal::BookingClosed,
            crate::msg!("error-booking-closed"),
        ));
    }
    let reserved: Vec<&Held> = held
        .iter()
        .filter(|h| h.status == ReservationStatus::Reserved)
        .collect();
    if let Some(until) = held_back_until(kind, held, now) {
        return Err(AppError::conflict(
            Refusal::QuotaReached,
            crate::msg!(
                "error-pass-no-shows",
                count = kind.no_show_limit.unwrap_or_default(),
                until = crate::domain::format::rfc3339(until, showing.listing.zone())
            ),
        ));
    }
    let over = |limit: Option<i32>, count: usize| {
        limit.is_some_and(|limit| usize::try_from(limit).is_ok_and(|limit| count >= limit))
    };
    let on_day = reserved.iter().filter(|h| h.day == showing.day).count();
    let to_come = reserved
        .iter()
        .filter(|h| h.starts_at > now && !h.admitted)
        .count();
    if over(kind.max_reservations, reserved.len())
        || over(kind.max_per_day, on_day)
        || (made == Made::Ahead && over(kind.max_held, to_come))
    {
        return Err(AppError::conflict(
            Refusal::QuotaReached,
            crate::msg!("error-pass-quota"),
        ));
    }
    if made == Made::Ahead
        && reserved
            .iter()
            .any(|h| h.starts_at < screening.ends_at && screening.starts_at < h.ends_at)
    {
        return Err(AppError::conflict(
            Refusal::Overlaps,
            crate::msg!("error-pass-overlaps"),
        ));
    }
    Ok(())
}

/// Until when the no-show rule holds the pass back (`None`: it does not). A no-show is a
/// reservation released unused, or one still unused once its screening has ended; the hold lasts
/// [`NO_SHOW_HOLD`] from the last of them, once there are at least the type's limit.
pub fn held_back_until(
    kind: &PassType,
    held: &[Held],
    now: NaiveDateTime,
) -> Option<NaiveDateTime> {
    let limit = usize::try_from(kind.no_show_limit?).ok()?;
    let missed: Vec<NaiveDateTime> = held
        .iter()
        .filter_map(|h| match h.status {
            ReservationStatus::Released => Some(h.ended_at.unwrap_or(h.starts_at)),
            ReservationStatus::Reserved if !h.admitted && h.ends_at <= now => Some(h.ends_at),
            _ => None,
        })
        .collect();
    let last = missed.iter().max()?;
    (missed.len() >= limit && now < *last + NO_SHOW_HOLD).then_some(*last + NO_SHOW_HOLD)
}

#[cfg(test)]
mod tests {
    //! The rule of a reservation, case by case, without a database.
    use chrono::NaiveDate;

    use super::*;
    use crate::catalogue::queries::{Film, Screening, Venue};
    use crate::domain::{FestivalId, FilmId, PassCategory, PassTypeId, ScreeningId, VenueId};

    fn at(day: u32, hour: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 12, day)
            .and_then(|d| d.and_hms_opt(hour, 0, 0))
            .unwrap()
    }

    fn listing(festival: FestivalId, day: u32, hour: u32) -> ScreeningListing {
        ScreeningListing {
            screening: Screening {
                id: ScreeningId::new(),
                festival_id: festival,
                film_id: FilmId::new(),
                venue_id: VenueId::new(),
                room: "Grande Salle".to_owned(),
                starts_at: at(day, hour),
                ends_at: at(day, hour) + Duration::hours(2),
                capacity: 100,
                booked: 0,
                admitted: 0,
                doors_open_minutes: 45,
                doors_close_minutes: 30,
                status: ScreeningStatus::Scheduled,
                pass_seats: 0,
                pass_taken: 0,
            },
            film: Film {
                id: FilmId::new(),
                title: "Mưa đỏ".to_owned(),
                original_title: String::new(),
                director: String::new(),
                year: 2025,
                runtime_minutes: 120,
                country: "VN".to_owned(),
                language: String::new(),
                subtitles: String::new(),
                synopsis: String::new(),
            },
            venue: Venue {
                id: VenueId::new(),
                name: "Pathé Palace".to_owned(),
                city: "Paris".to_owned(),
                address: String::new(),
                timezone: "Europe/Paris".to_owned(),
                rooms: Vec::new(),
            },
        }
    }

    fn kind(festival: FestivalId) -> PassType {
        PassType {
            id: PassTypeId::new(),
            festival_id: festival,
            name: "Press".to_owned(),
            names: std::collections::BTreeMap::new(),
            category: PassCategory::Press,
            valid_from: None,
            valid_until: None,
            film_ids: Vec::new(),
            venue_ids: Vec::new(),
            max_reservations: None,
            max_per_day: None,
            max_held: None,
            walk_in: false,
            release_minutes: 10,
            no_show_limit: None,
        }
    }

    fn held(listing: &ScreeningListing, status: ReservationStatus, admitted: bool) -> Held {
        Held {
            status,
            starts_at: listing.screening.starts_at,
            ends_at: listing.screening.ends_at,
            day: Showing::of(listing).day,
            admitted,
            ended_at: None,
        }
    }

    fn refusal(result: Result<(), AppError>) -> &'static str {
        match result {
            Err(AppError::Conflict { refusal, .. }) => refusal.code(),
            other => panic!("not a refusal: {other:?}"),
        }
    }

    #[test]
    fn a_pass_opens_only_its_festival_days_films_and_venues() {
        let festival = FestivalId::new();
        let here = listing(festival, 12, 19);
        let showing = Showing::of(&here);
        assert!(opens(&kind(festival), &showing));
        assert!(!opens(&kind(FestivalId::new()), &showing));
        let mut days = kind(festival);
        days.valid_from = NaiveDate::from_ymd_opt(2026, 12, 13);
        assert!(!opens(&days, &showing));
        days.valid_from = NaiveDate::from_ymd_opt(2026, 12, 12);
        days.valid_until = NaiveDate::from_ymd_opt(2026, 12, 12);
        assert!(opens(&days, &showing));
        let mut films = kind(festival);
        films.film_ids = vec![FilmId::new()];
        assert!(!opens(&films, &showing));
        films.film_ids.push(here.screening.film_id);
        assert!(opens(&films, &showing));
        let mut venues = kind(festival);
        venues.venue_ids = vec![VenueId::new()];
        assert!(!opens(&venues, &showing));
    }

    #[test]
    fn the_day_is_the_venues_day_not_utc() {
        // 23:30 UTC on the 12th is 00:30 on the 13th in Paris.
        let mut late = listing(FestivalId::new(), 12, 23);
        late.screening.starts_at += Duration::minutes(30);
        assert_eq!(
            Showing::of(&late).day,
            NaiveDate::from_ymd_opt(2026, 12, 13).unwrap()
        );
    }

    #[test]
    fn limits_overlaps_and_revocation_are_refused_by_name() {
        let festival = FestivalId::new();
        let now = at(10, 12);
        let here = listing(festival, 12, 19);
        let showing = Showing::of(&here);
        let other_day = listing(festival, 13, 19);
        let same_evening = listing(festival, 12, 20);
        let k = kind(festival);
        let active = PassStatus::Active;
        assert!(may_reserve(&k, active, &showing, &[], Made::Ahead, now).is_ok());
        assert_eq!(
            refusal(may_reserve(
                &k,
                PassStatus::Revoked,
                &showing,
                &[],
                Made::Ahead,
                now
            )),
            "revoked"
        );
        let overlapping = [held(&same_evening, ReservationStatus::Reserved, false)];
        assert_eq!(
            refusal(may_reserve(
                &k,
                active,
                &showing,
                &overlapping,
                Made::Ahead,
                now
            )),
            "overlaps"
        );
        // Given back: no longer in the way.
        let given_back = [held(&same_evening, ReservationStatus::Cancelled, false)];
        assert!(may_reserve(&k, active, &showing, &given_back, Made::Ahead, now).is_ok());
        // A walk-in is here: what it overlaps no longer holds them.
        assert!(may_reserve(&k, active, &showing, &overlapping, Made::WalkIn, now).is_ok());
        let one = [held(&other_day, ReservationStatus::Reserved, false)];
        let limited = |set: fn(&mut PassType)| {
            let mut k = kind(festival);
            set(&mut k);
            k
        };
        let total = limited(|k| k.max_reservations = Some(1));
        assert_eq!(
            refusal(may_reserve(
                &total,
                active,
                &showing,
                &one,
                Made::Ahead,
                now
            )),
            "quota_reached"
        );
        let per_day = limited(|k| k.max_per_day = Some(1));
        assert!(may_reserve(&per_day, active, &showing, &one, Made::Ahead, now).is_ok());
        let same_day = [held(
            &listing(festival, 12, 10),
            ReservationStatus::Reserved,
            false,
        )];
        assert_eq!(
            refusal(may_reserve(
                &per_day,
                active,
                &showing,
                &same_day,
                Made::Ahead,
                now
            )),
            "quota_reached"
        );
        let at_once = limited(|k| k.max_held = Some(1));
        assert_eq!(
            refusal(may_reserve(
                &at_once,
                active,
                &showing,
                &one,
                Made::Ahead,
                now
            )),
            "quota_reached"
        );
        // Used already: no longer held for the future.
        let used = [held(&other_day, ReservationStatus::Reserved, true)];
        assert!(may_reserve(&at_once, active, &showing, &used, Made::Ahead, now).is_ok());
    }

    #[test]
    fn a_started_or_cancelled_screening_takes_no_reservation_ahead() {
        let festival = FestivalId::new();
        let mut here = listing(festival, 12, 19);
        let k = kind(festival);
        let during = at(12, 19);
        assert_eq!(
            refusal(may_reserve(
                &k,
                PassStatus::Active,
                &Showing::of(&here),
                &[],
                Made::Ahead,
                during
            )),
            "booking_closed"
        );
        assert!(
            may_reserve(
                &k,
                PassStatus::Active,
                &Showing::of(&here),
                &[],
                Made::WalkIn,
                during
            )
            .is_ok()
        );
        here.screening.status = ScreeningStatus::Cancelled;
        assert_eq!(
            refusal(may_reserve(
                &k,
                PassStatus::Active,
                &Showing::of(&here),
                &[],
                Made::WalkIn,
                during
            )),
            "screening_cancelled"
        );
    }

    #[test]
    fn no_shows_hold_a_pass_back_for_a_day_after_the_last() {
        let festival = FestivalId::new();
        let mut k = kind(festival);
        k.no_show_limit = Some(2);
        let first = listing(festival, 10, 10);
        let second = listing(festival, 10, 15);
        let missed = [
            held(&first, ReservationStatus::Released, false),
            held(&second, ReservationStatus::Reserved, false),
        ];
        let showing_later = listing(festival, 14, 19);
        let showing = Showing::of(&showing_later);
        // The second ends at 17:00 on the 10th: held back until 17:00 on the 11th.
        let evening = at(10, 18);
        assert_eq!(held_back_until(&k, &missed, evening), Some(at(11, 17)));
        assert_eq!(
            refusal(may_reserve(
                &k,
                PassStatus::Active,
                &showing,
                &missed,
                Made::Ahead,
                evening
            )),
            "quota_reached"
        );
        assert!(
            may_reserve(
                &k,
                PassStatus::Active,
                &showing,
                &missed,
                Made::Ahead,
                at(11, 17)
            )
            .is_ok()
        );
        // One no-show, one seat used: not held back.
        let once = [
            held(&first, ReservationStatus::Released, false),
            held(&second, ReservationStatus::Reserved, true),
        ];
        assert_eq!(held_back_until(&k, &once, evening), None);
    }
}
