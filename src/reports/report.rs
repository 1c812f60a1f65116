//! The festival report: totals and breakdowns, computed from the rollup counters.

use crate::passes::queries::{PassCategoryLine, PassTypeLine};
use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;

use crate::catalogue::queries::{self as q, ScreeningListing};
use crate::db::AnyConnection;
use crate::db::schema::{scans, screening_tallies, screenings, tickets};
use crate::domain::TallyKind;
use crate::domain::format;
use crate::domain::{FestivalId, ScreeningId, ScreeningStatus, country_name};
use crate::error::{AppError, Thing};

/// Whole-festival numbers. Attendance is admitted tickets, never sales.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Totals {
    /// Tickets (seats) booked or given, not cancelled, for screenings not cancelled.
    pub tickets_issued: i64,
    /// Tickets admitted at a door.
    pub admitted: i64,
    /// Tickets not admitted for screenings whose doors have closed.
    pub no_shows: i64,
    /// Tickets not admitted yet for screenings whose doors have not closed.
    pub awaiting: i64,
    /// People (each counted once, by their pseudonym at the festival) with at least one admitted
    /// ticket.
    pub unique_attendees: i64,
    /// Countries of the admitted people.
    pub countries: i64,
    /// Films with at least one screening not cancelled.
    pub films: i64,
    /// Screenings not cancelled.
    pub screenings: i64,
    pub screenings_cancelled: i64,
    pub capacity: i64,
    pub attendance_goal: i64,
    /// `admitted / attendance_goal`.
    pub goal_progress: f64,
    /// `admitted / capacity`.
    pub fill_rate: f64,
    /// `no_shows / (tickets of closed screenings)`.
    pub no_show_rate: f64,
    /// Offline admissions the server could not honour (see `GET …/conflicts`).
    pub conflicts: i64,
    /// People admitted from the standby line (no ticket): counted apart from `admitted`, and in
    /// the fill rate (they fill seats).
    pub standby_admitted: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct ScreeningLine {
    pub id: ScreeningId,
    pub film: String,
    pub venue: String,
    pub room: String,
    pub starts_at: String,
    /// The local date at the venue, `YYYY-MM-DD`.
    pub day: String,
    pub status: ScreeningStatus,
    /// Whether the doors have closed (no-shows are final).
    pub closed: bool,
    pub capacity: i64,
    /// Seats of tickets issued (not cancelled); seats held for waiting-list offers are not in it.
    pub booked: i64,
    pub admitted: i64,
    pub standby_admitted: i64,
    pub no_shows: i64,
    pub fill_rate: f64,
    pub no_show_rate: f64,
}

/// One line of a breakdown by film, venue or day.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct GroupLine {
    pub key: String,
    pub label: String,
    pub screenings: i64,
    pub capacity: i64,
    pub booked: i64,
    pub admitted: i64,
    pub standby_admitted: i64,
    pub no_shows: i64,
    pub fill_rate: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct CountryLine {
    pub code: String,
    pub name: String,
    pub tickets_issued: i64,
    pub admitted: i64,
    pub attendees: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct CategoryLine {
    pub category: String,
    pub tickets_issued: i64,
    pub admitted: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct ReportFestival {
    pub id: FestivalId,
    pub slug: String,
    pub name: String,
    pub timezone: String,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Report {
    pub festival: ReportFestival,
    pub generated_at: String,
    pub totals: Totals,
    pub by_screening: Vec<ScreeningLine>,
    pub by_film: Vec<GroupLine>,
    pub by_venue: Vec<GroupLine>,
    pub by_day: Vec<GroupLine>,
    pub by_country: Vec<CountryLine>,
    pub by_category: Vec<CategoryLine>,
    /// Festival passes by category (their admissions are in `totals.admitted` too).
    pub by_pass_category: Vec<PassCategoryLine>,
    /// Each pass type: holders, reservations, admissions, walk-ins, no-shows.
    pub by_pass_type: Vec<PassTypeLine>,
}

impl Report {
    /// Whether two reports say the same thing (`generated_at` apart): the live dashboard
    /// publishes a new version only when this is false. Written field by field so that a new
    /// field cannot be forgotten here.
    pub fn same_numbers(&self, other: &Report) -> bool {
        let Report {
            festival,
            generated_at: _,
            totals,
            by_screening,
            by_film,
            by_venue,
            by_day,
            by_country,
            by_category,
            by_pass_category,
            by_pass_type,
        } = self;
        *festival == other.festival
            && *totals == other.totals
            && *by_screening == other.by_screening
            && *by_film == other.by_film
            && *by_venue == other.by_venue
            && *by_day == other.by_day
            && *by_country == other.by_country
            && *by_category == other.by_category
            && *by_pass_category == other.by_pass_category
            && *by_pass_type == other.by_pass_type
    }
}

/// `part / whole`, 0 when there is no whole.
pub fn rate(part: i64, whole: i64) -> f64 {
    if whole <= 0 {
        0.0
    } else {
        part as f64 / whole as f64
    }
}

fn closed(listing: &ScreeningListing, now: NaiveDateTime) -> bool {
    now > listing.screening.starts_at
        + Duration::minutes(i64::from(listing.screening.doors_close_minutes))
}

fn group(
    lines: &[(&ScreeningListing, &ScreeningLine)],
    key: impl Fn(&ScreeningListing, &ScreeningLine) -> (String, String),
) -> Vec<GroupLine> {
    let mut groups: BTreeMap<String, GroupLine> = BTreeMap::new();
    for (listing, line) in lines {
        let (k, label) = key(listing, line);
        let g = groups.entry(k.clone()).or_insert_with(|| GroupLine {
            key: k,
            label,
            screenings: 0,
            capacity: 0,
            booked: 0,
            admitted: 0,
            standby_admitted: 0,
            no_shows: 0,
            fill_rate: 0.0,
        });
        g.screenings += 1;
        g.capacity += line.capacity;
        g.booked += line.booked;
        g.admitted += line.admitted;
        g.standby_admitted += line.standby_admitted;
        g.no_shows += line.no_shows;
    }
    let mut groups: Vec<GroupLine> = groups.into_values().collect();
    for g in &mut groups {
        g.fill_rate = rate(g.admitted + g.standby_admitted, g.capacity);
    }
    groups
}

/// The report of one festival, as of `now`: read in one snapshot, the attendance projection with
/// the log entries it has not applied yet ([`crate::db::projection::tail`]), so it is exact.
pub fn festival_report(
    conn: &mut AnyConnection,
    id: FestivalId,
    now: NaiveDateTime,
) -> Result<Report, AppError> {
    crate::db::read_snapshot(conn, |conn| report_in_snapshot(conn, id, now))
}

fn report_in_snapshot(
    conn: &mut AnyConnection,
    id: FestivalId,
    now: NaiveDateTime,
) -> Result<Report, AppError> {
    let festival = q::festival(conn, id)?.ok_or_else(|| AppError::not_found(Thing::Festival))?;
    let listings = q::list_screenings(conn, id)?;
    let mut tallies: Vec<(String, String, i32, i32, i32)> = screening_tallies::table
        .inner_join(screenings::table)
        .filter(screenings::festival_id.eq(id.to_string()))
        .filter(screenings::status.eq(ScreeningStatus::Scheduled.as_str()))
        .select((
            screening_tallies::kind,
            screening_tallies::label,
            screening_tallies::issued,
            screening_tallies::admitted,
            screening_tallies::first_admissions,
        ))
        .load(conn)?;
    // The people the projection has not counted yet, at the screenings still held.
    let ahead = crate::db::projection::tail(conn, Some(&id.to_string()))?;
    for ((screening, country), first) in ahead.firsts {
        let held = listings.iter().any(|l| {
            l.screening.id.to_string() == screening
                && l.screening.status == ScreeningStatus::Scheduled
        });
        if held {
            tallies.push((TallyKind::Country.to_string(), country, 0, 0, first));
        }
    }

    // Seats held for waiting-list offers (counted in `booked`, not tickets) and standby admissions.
    let extra: HashMap<String, (i32, i32)> = screenings::table
        .filter(screenings::festival_id.eq(id.to_string()))
        .select((
            screenings::id,
            screenings::held,
            screenings::standby_admitted,
        ))
        .load::<(String, i32, i32)>(conn)?
        .into_iter()
        .map(|(id, held, standby)| (id, (held, standby)))
        .collect();
    let by_screening: Vec<ScreeningLine> = listings
        .iter()
        .map(|l| {
            let s = &l.screening;
            let is_closed = closed(l, now);
            let (held, standby) = extra.get(&s.id.to_string()).copied().unwrap_or_default();
            let (booked, admitted) = (i64::from(s.booked - held), i64::from(s.admitted));
            let standby_admitted = i64::from(standby);
            let no_shows = if is_closed {
                (booked - admitted).max(0)
            } else {
                0
            };
            ScreeningLine {
                id: s.id,
                film: l.film.title.clone(),
                venue: l.venue.name.clone(),
                room: s.room.clone(),
                starts_at: format::rfc3339(s.starts_at, l.zone()),
                day: format::local(s.starts_at, l.zone())
                    .format("%Y-%m-%d")
                    .to_string(),
                status: s.status,
                closed: is_closed,
                capacity: i64::from(s.capacity),
                booked,
                admitted,
                standby_admitted,
                no_shows,
                fill_rate: rate(admitted + standby_admitted, i64::from(s.capacity)),
                no_show_rate: if is_closed {
                    rate(no_shows, booked)
                } else {
                    0.0
                },
            }
        })
        .collect();

    let held: Vec<(&ScreeningListing, &ScreeningLine)> = listings
        .iter()
        .zip(&by_screening)
        .filter(|(l, _)| l.screening.status == ScreeningStatus::Scheduled)
        .collect();
    let sum = |f: fn(&ScreeningLine) -> i64| held.iter().map(|(_, line)| f(line)).sum::<i64>();
    let tickets_issued = sum(|l| l.booked);
    let admitted = sum(|l| l.admitted);
    let standby_admitted = sum(|l| l.standby_admitted);
    let no_shows = sum(|l| l.no_shows);
    let capacity = sum(|l| l.capacity);
    let closed_booked: i64 = held
        .iter()
        .filter(|(_, line)| line.closed)
        .map(|(_, line)| line.booked)
        .sum();
    let films: HashSet<_> = held.iter().map(|(l, _)| l.film.id).collect();

    let mut countries: BTreeMap<String, CountryLine> = BTreeMap::new();
    let mut categories: BTreeMap<String, CategoryLine> = BTreeMap::new();
    for (kind, label, issued, adm, first) in tallies {
        if TallyKind::from_db("screening_tallies.kind", &kind)? == TallyKind::Country {
            let line = countries
                .entry(label.clone())
                .or_insert_with(|| CountryLine {
                    name: country_name(&label),
                    code: label,
                    tickets_issued: 0,
                    admitted: 0,
                    attendees: 0,
                });
            line.tickets_issued += i64::from(issued);
            line.admitted += i64::from(adm);
            line.attendees += i64::from(first);
        } else {
            let line = categories
                .entry(label.clone())
                .or_insert_with(|| CategoryLine {
                    category: label,
                    tickets_issued: 0,
                    admitted: 0,
                });
            line.tickets_issued += i64::from(issued);
            line.admitted += i64::from(adm);
        }
    }
    let mut by_country: Vec<CountryLine> = countries
        .into_values()
        .filter(|c| c.tickets_issued > 0 || c.admitted > 0)
        .collect();
    by_country.sort_by(|a, b| b.admitted.cmp(&a.admitted).then(a.name.cmp(&b.name)));
    let by_category: Vec<CategoryLine> = categories
        .into_values()
        .filter(|c| c.tickets_issued > 0 || c.admitted > 0)
        .collect();

    let goal = i64::from(festival.attendance_goal);
    let totals = Totals {
        tickets_issued,
        admitted,
        no_shows,
        awaiting: tickets_issued - admitted - no_shows,
        unique_attendees: by_country.iter().map(|c| c.attendees).sum(),
        countries: by_country.iter().filter(|c| c.admitted > 0).count() as i64,
        films: films.len() as i64,
        screenings: held.len() as i64,
        screenings_cancelled: (listings.len() - held.len()) as i64,
        capacity,
        attendance_goal: goal,
        goal_progress: rate(admitted, goal),
        fill_rate: rate(admitted + standby_admitted, capacity),
        standby_admitted,
        no_show_rate: rate(no_shows, closed_booked),
        conflicts: scans::table
            .inner_join(screenings::table)
            .filter(screenings::festival_id.eq(id.to_string()))
            .filter(scans::conflict.eq(true))
            .count()
            .get_result(conn)?,
    };
    let zone = format::zone(&festival.timezone);
    let (by_pass_category, by_pass_type) = crate::passes::queries::pass_report(conn, id, now)?;
    Ok(Report {
        by_film: group(&held, |l, _| (l.film.id.to_string(), l.film.title.clone())),
        by_venue: group(&held, |l, _| (l.venue.id.to_string(), l.venue.name.clone())),
        by_day: group(&held, |_, line| (line.day.clone(), line.day.clone())),
        festival: ReportFestival {
            id: festival.id,
            slug: festival.slug,
            name: festival.name,
            timezone: festival.timezone,
        },
        generated_at: format::rfc3339(now, zone),
        totals,
        by_screening,
        by_country,
        by_category,
        by_pass_category,
        by_pass_type,
    })
}

/// Admissions per 5 minutes around a screening's start.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ArrivalBucket {
    /// Minutes from the start to the beginning of the bucket (negative: before the start).
    pub minutes_from_start: i64,
    /// The bucket's start, local time at the venue ("19:45").
    pub local_time: String,
    pub admitted: i64,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Arrivals {
    pub screening_id: ScreeningId,
    pub film: String,
    pub starts_at: String,
    pub admitted: i64,
    pub buckets: Vec<ArrivalBucket>,
}

pub const BUCKET_MINUTES: i64 = 5;

/// The arrival curve of one screening: from the doors opening to their closing, in 5-minute
/// buckets, plus any admissions outside that window (after an edit of the times) at the edges.
pub fn arrivals(conn: &mut AnyConnection, id: ScreeningId) -> Result<Arrivals, AppError> {
    let listing =
        q::screening_listing(conn, id)?.ok_or_else(|| AppError::not_found(Thing::Screening))?;
    let times: Vec<Option<NaiveDateTime>> = tickets::table
        .filter(tickets::screening_id.eq(id.to_string()))
        .filter(tickets::admitted_at.is_not_null())
        .select(tickets::admitted_at)
        .load(conn)?;
    let s = &listing.screening;
    let zone = listing.zone();
    // Bucket edges on multiples of 5 minutes from the start, covering the whole door window.
    let first =
        -(i64::from(s.doors_open_minutes) + BUCKET_MINUTES - 1) / BUCKET_MINUTES * BUCKET_MINUTES;
    let last = (i64::from(s.doors_close_minutes) / BUCKET_MINUTES) * BUCKET_MINUTES;
    let mut counts: BTreeMap<i64, i64> = (first..=last)
        .step_by(BUCKET_MINUTES as usize)
        .map(|m| (m, 0))
        .collect();
    for at in times.into_iter().flatten() {
        let seconds = (at - s.starts_at).num_seconds();
        let bucket = seconds.div_euclid(BUCKET_MINUTES * 60) * BUCKET_MINUTES;
        *counts.entry(bucket.clamp(first, last)).or_insert(0) += 1;
    }
    let total = counts.values().sum();
    Ok(Arrivals {
        screening_id: id,
        film: listing.film.title.clone(),
        starts_at: format::rfc3339(s.starts_at, zone),
        admitted: total,
        buckets: counts
            .into_iter()
            .map(|(minutes, admitted)| ArrivalBucket {
                minutes_from_start: minutes,
                local_time: format::time_of_day(s.starts_at + Duration::minutes(minutes), zone),
                admitted,
            })
            .collect(),
    })
}
