//! The consistency check: recomputes every rollup counter from the rows it counts and lists any
//! difference. On a healthy database it finds nothing; a counter changed behind Marquee's back
//! (or a bug) shows up here, named.

use std::collections::{BTreeMap, BTreeSet};

use diesel::prelude::*;
use serde::Serialize;

use crate::db::AnyConnection;
use crate::db::schema::{
    attendees, bookings, screening_tallies, screenings, standby_numbers, tickets, waitlist_entries,
};
use crate::domain::TallyKind;
use crate::domain::{FestivalId, TicketStatus};
use crate::error::AppError;

#[derive(Debug, Clone, Default, Serialize, utoipa::ToSchema)]
pub struct ConsistencyReport {
    pub screenings_checked: usize,
    pub counters_checked: usize,
    pub problems: Vec<String>,
}

impl ConsistencyReport {
    pub fn is_consistent(&self) -> bool {
        self.problems.is_empty()
    }

    fn compare(&mut self, what: String, counter: i64, rows: i64) {
        self.counters_checked += 1;
        if counter != rows {
            self.problems.push(format!(
                "{what}: the counter says {counter}, the rows say {rows}"
            ));
        }
    }
}

type TallyKey = (String, String, String);

/// Checks the counters of one festival's screenings (or of every festival).
pub fn check(
    conn: &mut AnyConnection,
    festival: Option<FestivalId>,
) -> Result<ConsistencyReport, AppError> {
    crate::db::read_snapshot(conn, |conn| check_in_snapshot(conn, festival))
}

fn check_in_snapshot(
    conn: &mut AnyConnection,
    festival: Option<FestivalId>,
) -> Result<ConsistencyReport, AppError> {
    let mut report = ConsistencyReport::default();
    let mut query = screenings::table
        .select((
            screenings::id,
            screenings::festival_id,
            screenings::booked,
            screenings::admitted,
            screenings::held,
            screenings::standby_admitted,
        ))
        .into_boxed();
    if let Some(f) = festival {
        query = query.filter(screenings::festival_id.eq(f.to_string()));
    }
    let screening_rows: Vec<(String, String, i32, i32, i32, i32)> = query.load(conn)?;
    let festivals: BTreeSet<String> = screening_rows.iter().map(|r| r.1.clone()).collect();

    // Every ticket of these screenings, with what the tallies are keyed by.
    let mut ticket_query = tickets::table
        .inner_join(bookings::table)
        .inner_join(screenings::table)
        .select((
            tickets::screening_id,
            screenings::festival_id,
            tickets::status,
            tickets::category,
            tickets::admitted_at.is_not_null(),
            bookings::country,
            bookings::person_id,
        ))
        .into_boxed();
    if let Some(f) = festival {
        ticket_query = ticket_query.filter(screenings::festival_id.eq(f.to_string()));
    }
    let ticket_rows: Vec<(String, String, String, String, bool, String, String)> =
        ticket_query.load(conn)?;

    let mut booked: BTreeMap<String, i64> = BTreeMap::new();
    let mut admitted: BTreeMap<String, i64> = BTreeMap::new();
    let mut issued_by: BTreeMap<TallyKey, i64> = BTreeMap::new();
    let mut admitted_by: BTreeMap<TallyKey, i64> = BTreeMap::new();
    let mut person_tickets: BTreeMap<(String, String), i64> = BTreeMap::new();
    for (screening, festival_id, status, category, is_admitted, country, person) in &ticket_rows {
        let valid = status == TicketStatus::Valid.as_str();
        let keys = [
            (
                screening.clone(),
                TallyKind::Country.to_string(),
                country.clone(),
            ),
            (
                screening.clone(),
                TallyKind::Category.to_string(),
                category.clone(),
            ),
        ];
        if valid {
            *booked.entry(screening.clone()).or_default() += 1;
            for key in &keys {
                *issued_by.entry(key.clone()).or_default() += 1;
            }
        }
        if *is_admitted {
            *admitted.entry(screening.clone()).or_default() += 1;
            for key in keys {
                *admitted_by.entry(key).or_default() += 1;
            }
            *person_tickets
                .entry((festival_id.clone(), person.clone()))
                .or_default() += 1;
        }
    }

    // Seats held for waiting-list offers count as booked; standby admissions are numbers.
    let offered: Vec<(String, i32)> = waitlist_entries::table
        .filter(waitlist_entries::status.eq("offered"))
        .select((waitlist_entries::screening_id, waitlist_entries::seats))
        .load(conn)?;
    let mut held: BTreeMap<String, i64> = BTreeMap::new();
    for (screening, seats) in offered {
        *held.entry(screening).or_default() += i64::from(seats);
    }
    let standby_in: Vec<String> = standby_numbers::table
        .filter(standby_numbers::status.eq("admitted"))
        .select(standby_numbers::screening_id)
        .load(conn)?;
    let mut standby: BTreeMap<String, i64> = BTreeMap::new();
    for screening in standby_in {
        *standby.entry(screening).or_default() += 1;
    }

    for (id, _, booked_counter, admitted_counter, held_counter, standby_counter) in &screening_rows
    {
        report.screenings_checked += 1;
        let held_seats = held.get(id).copied().unwrap_or(0);
        report.compare(
            format!("screening {id} booked"),
            i64::from(*booked_counter),
            booked.get(id).copied().unwrap_or(0) + held_seats,
        );
        report.compare(
            format!("screening {id} held"),
            i64::from(*held_counter),
            held_seats,
        );
        report.compare(
            format!("screening {id} standby_admitted"),
            i64::from(*standby_counter),
            standby.get(id).copied().unwrap_or(0),
        );
        report.compare(
            format!("screening {id} admitted"),
            i64::from(*admitted_counter),
            admitted.get(id).copied().unwrap_or(0),
        );
    }

    // Per-person rows, and where each person is counted.
    let mut attendee_query = attendees::table
        .select((
            attendees::festival_id,
            attendees::person_id,
            attendees::admitted_tickets,
            attendees::counted_screening_id,
            attendees::counted_country,
        ))
        .into_boxed();
    if let Some(f) = festival {
        attendee_query = attendee_query.filter(attendees::festival_id.eq(f.to_string()));
    }
    let mut attendee_rows: Vec<(String, String, i32, String, String)> =
        attendee_query.load(conn)?;
    // The scan-log entries the attendance projection has not applied yet: the people they change
    // are compared as they will be, the first-admission tallies with what they will add.
    let festival_key = festival.map(|f| f.to_string());
    let tail = crate::db::projection::tail(conn, festival_key.as_deref())?;
    let firsts = tail.firsts;
    let ahead: BTreeMap<(String, String), crate::db::tallies::Person> = tail
        .people
        .into_iter()
        .map(|p| ((p.festival_id.clone(), p.person_id.clone()), p))
        .collect();
    attendee_rows.retain(|(f, p, ..)| !ahead.contains_key(&(f.clone(), p.clone())));
    attendee_rows.extend(ahead.into_values().map(|p| {
        (
            p.festival_id,
            p.person_id,
            p.admitted_tickets,
            p.counted_screening_id,
            p.counted_country,
        )
    }));
    let mut first_by: BTreeMap<TallyKey, i64> = BTreeMap::new();
    let mut seen = BTreeSet::new();
    for (festival_id, person, count, screening, country) in &attendee_rows {
        let key = (festival_id.clone(), person.clone());
        report.compare(
            format!("attendee {person} admitted tickets"),
            i64::from(*count),
            person_tickets.get(&key).copied().unwrap_or(0),
        );
        if *count > 0 {
            *first_by
                .entry((screening.clone(), "country".to_owned(), country.clone()))
                .or_default() += 1;
        }
        seen.insert(key);
    }
    for (key, count) in &person_tickets {
        if !seen.contains(key) && festivals.contains(&key.0) {
            report.compare(format!("attendee {} admitted tickets", key.1), 0, *count);
        }
    }

    // The tallies themselves.
    let ids: Vec<String> = screening_rows.iter().map(|r| r.0.clone()).collect();
    let tallies: Vec<(String, String, String, i32, i32, i32)> = screening_tallies::table
        .filter(screening_tallies::screening_id.eq_any(&ids))
        .select((
            screening_tallies::screening_id,
            screening_tallies::kind,
            screening_tallies::label,
            screening_tallies::issued,
            screening_tallies::admitted,
            screening_tallies::first_admissions,
        ))
        .load(conn)?;
    let mut tallied = BTreeSet::new();
    for (screening, kind, label, issued, adm, stored_first) in tallies {
        let first = stored_first
            + if kind == TallyKind::Country.as_str() {
                firsts
                    .get(&(screening.clone(), label.clone()))
                    .copied()
                    .unwrap_or(0)
            } else {
                0
            };
        let key = (screening.clone(), kind.clone(), label.clone());
        let name = format!("screening {screening} {kind} {label}");
        report.compare(
            format!("{name} issued"),
            i64::from(issued),
            issued_by.get(&key).copied().unwrap_or(0),
        );
        report.compare(
            format!("{name} admitted"),
            i64::from(adm),
            admitted_by.get(&key).copied().unwrap_or(0),
        );
        report.compare(
            format!("{name} attendees"),
            i64::from(first),
            first_by.get(&key).copied().unwrap_or(0),
        );
        tallied.insert(key);
    }
    for (key, count) in issued_by.iter().chain(admitted_by.iter()) {
        if !tallied.contains(key) {
            report.compare(
                format!("screening {} {} {} (no tally row)", key.0, key.1, key.2),
                0,
                *count,
            );
            tallied.insert(key.clone());
        }
    }
    Ok(report)
}
