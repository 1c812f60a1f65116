//! The rollup counters that make reports fast (`screening_tallies` per screening and country or
//! category, `attendees` per festival and person, by pseudonym). The tallies are kept in the same
//! transaction as each booking, cancellation, admission and undo; the people (and the
//! first-admission tallies they decide) in the attendance projection's transactions
//! ([`super::projection`]). Either way they are written at the end of the transaction, in key
//! order.
//!
//! Why deferred: a person's row (`attendees`) is shared by every screening they attend, so two
//! transactions admitting at different screenings could lock two people's rows in opposite orders
//! and deadlock on PostgreSQL; and a writer batch that admits 100 people at one screening would
//! otherwise update the same country tally 100 times. So the write functions only *record* a
//! change in their write's [`Pending`] set (`Tx::rollups`, see [`super::Tx`]); the transaction
//! (one write, or the writer's batch) applies the set just before `COMMIT`: people first,
//! then tallies, each in key order. Every transaction therefore takes its locks in one global
//! order — screenings, their tickets, people, tallies — and none can wait for another in a
//! circle. A write that fails drops what it recorded together with its savepoint.

use std::collections::BTreeMap;

use diesel::prelude::*;
use diesel::upsert::excluded;

use super::AnyConnection;
use super::schema::{attendees, screening_tallies};
use crate::domain::{ScreeningId, TallyKind, TicketCategory};

const COUNTRY: TallyKind = TallyKind::Country;
const CATEGORY: TallyKind = TallyKind::Category;

/// (issued, admitted, first admissions) to add to one tally row.
type Deltas = (i32, i32, i32);

/// One admission (+1) or undo (−1) of a person's ticket, in the order they happened.
#[derive(Debug, Clone)]
struct PersonEvent {
    screening: String,
    country: String,
    delta: i32,
}

/// The rollup changes a transaction (or a writer batch) has recorded and not yet written.
#[derive(Debug, Default)]
pub struct Pending {
    /// Keyed (screening, kind, label): iterated in key order when applied.
    tallies: BTreeMap<(String, TallyKind, String), Deltas>,
    /// Keyed (festival, person's pseudonym), each person's events in order.
    people: BTreeMap<(String, String), Vec<PersonEvent>>,
}

impl Pending {
    fn add_tally(&mut self, screening: &str, kind: TallyKind, label: &str, d: Deltas) {
        let entry = self
            .tallies
            .entry((screening.to_owned(), kind, label.to_owned()))
            .or_default();
        entry.0 += d.0;
        entry.1 += d.1;
        entry.2 += d.2;
    }

    /// Adds another write's recorded changes to these.
    pub fn merge(&mut self, other: Pending) {
        for ((screening, kind, label), d) in other.tallies {
            self.add_tally(&screening, kind, &label, d);
        }
        for (key, events) in other.people {
            self.people.entry(key).or_default().extend(events);
        }
    }
}

/// Tickets issued (positive) or voided (negative) for a screening.
pub fn tickets_issued(
    rollups: &mut Pending,
    screening: ScreeningId,
    country: &str,
    category: TicketCategory,
    count: i32,
) {
    let screening = screening.to_string();
    rollups.add_tally(&screening, COUNTRY, country, (count, 0, 0));
    rollups.add_tally(&screening, CATEGORY, category.as_str(), (count, 0, 0));
}

/// What was admitted (or un-admitted, `delta = -1`), for the attendance tallies.
pub struct Admission<'a> {
    pub screening: ScreeningId,
    pub country: &'a str,
    pub category: TicketCategory,
}

/// Counts an admission (`+1`) or its undoing (`-1`) per country and category, in the scan's own
/// transaction. Who the person is — their unique attendance — is counted by the attendance
/// projection from the scan log, off the scan's path ([`super::projection`]).
pub fn admission(rollups: &mut Pending, a: &Admission<'_>, delta: i32) {
    let screening = a.screening.to_string();
    rollups.add_tally(&screening, COUNTRY, a.country, (0, delta, 0));
    rollups.add_tally(&screening, CATEGORY, a.category.as_str(), (0, delta, 0));
}

/// A person's ticket admitted (`+1`) or un-admitted (`-1`) at a screening, in log order: their
/// unique attendance changes when their first admitted ticket at the festival appears or goes.
pub fn person_admission(
    rollups: &mut Pending,
    festival: &str,
    person: &str,
    screening: &str,
    country: &str,
    delta: i32,
) {
    rollups
        .people
        .entry((festival.to_owned(), person.to_owned()))
        .or_default()
        .push(PersonEvent {
            screening: screening.to_owned(),
            country: country.to_owned(),
            delta,
        });
}

/// Writes the recorded changes: people first (which may add first-admission tallies), then every
/// tally row, each in key order.
pub(crate) fn apply(
    conn: &mut AnyConnection,
    mut pending: Pending,
) -> Result<(), diesel::result::Error> {
    let people = std::mem::take(&mut pending.people);
    apply_people(conn, &people, &mut pending)?;
    for ((screening, kind, label), deltas) in pending.tallies {
        if deltas != (0, 0, 0) {
            bump(conn, &screening, kind.as_str(), &label, deltas)?;
        }
    }
    Ok(())
}

/// Adds to one tally row's counters, creating the row when it does not exist yet.
///
/// Insert-if-absent is safe: tally rows belong to one screening, and every write that changes a
/// screening's tallies holds that screening's row lock (taken by its counter update) until it
/// commits.
fn bump(
    conn: &mut AnyConnection,
    screening: &str,
    kind: &str,
    label: &str,
    (issued, admitted, first): Deltas,
) -> Result<(), diesel::result::Error> {
    use screening_tallies::dsl as t;
    let updated = diesel::update(t::screening_tallies.find((screening, kind, label)))
        .set((
            t::issued.eq(t::issued + issued),
            t::admitted.eq(t::admitted + admitted),
            t::first_admissions.eq(t::first_admissions + first),
        ))
        .execute(conn)?;
    if updated == 0 {
        diesel::insert_into(t::screening_tallies)
            .values((
                t::screening_id.eq(screening),
                t::kind.eq(kind),
                t::label.eq(label),
                t::issued.eq(issued),
                t::admitted.eq(admitted),
                t::first_admissions.eq(first),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// One person's row of `attendees`.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Insertable, AsChangeset)]
#[diesel(table_name = attendees, primary_key(festival_id, person_id), treat_none_as_default_value = false)]
pub struct Person {
    pub festival_id: String,
    pub person_id: String,
    pub admitted_tickets: i32,
    pub counted_screening_id: String,
    pub counted_country: String,
}

/// Each person's stored row, by (festival, person): one statement per festival (`festival_id =
/// ? AND person_id IN (…)`: both columns of the key, which PostgreSQL does not search with two
/// lists); keys are sorted, so with `lock` the rows are locked in key order (PostgreSQL).
fn read_people(
    conn: &mut AnyConnection,
    people: &BTreeMap<(String, String), Vec<PersonEvent>>,
    lock: bool,
) -> Result<BTreeMap<(String, String), Person>, diesel::result::Error> {
    // Searched by the people's ids alone (each names one festival's person; the rows are kept by
    // (festival, person) as asked for): a search naming the festival too was planned, on tables
    // not analysed yet, as a read of the festival's every attendee.
    let ids: Vec<&str> = people.keys().map(|(_, person)| person.as_str()).collect();
    let mut found: BTreeMap<(String, String), Person> = BTreeMap::new();
    super::planned_for_values(conn, |conn| {
        for chunk in ids.chunks(500) {
            let query = attendees::table
                .filter(attendees::person_id.eq_any(chunk))
                .order((attendees::festival_id, attendees::person_id));
            let rows: Vec<Person> = match conn {
                AnyConnection::Postgresql(pg) if lock => query.for_update().load(pg)?,
                AnyConnection::Postgresql(pg) => query.load(pg)?,
                AnyConnection::Sqlite(lite) => query.load(lite)?,
            };
            found.extend(
                rows.into_iter()
                    .map(|p| ((p.festival_id.clone(), p.person_id.clone()), p))
                    .filter(|(key, _)| people.contains_key(key)),
            );
        }
        Ok::<_, diesel::result::Error>(())
    })?;
    Ok(found)
}

/// Each person's row after their events (a pure step): the rows to create and those changed,
/// with the first-admission tallies their events move recorded in `pending`.
fn advance(
    people: &BTreeMap<(String, String), Vec<PersonEvent>>,
    mut found: BTreeMap<(String, String), Person>,
    pending: &mut Pending,
) -> (Vec<Person>, Vec<Person>) {
    let (mut created, mut changed) = (Vec::new(), Vec::new());
    for ((festival, id), events) in people {
        let stored = found.remove(&(festival.clone(), id.clone()));
        let mut person = stored.clone().unwrap_or_else(|| Person {
            festival_id: festival.clone(),
            person_id: id.clone(),
            admitted_tickets: 0,
            counted_screening_id: String::new(),
            counted_country: String::new(),
        });
        for event in events {
            person.admitted_tickets += event.delta;
            if event.delta > 0 && person.admitted_tickets == 1 {
                // Back from zero (or new): counted here.
                person.counted_screening_id.clone_from(&event.screening);
                person.counted_country.clone_from(&event.country);
                pending.add_tally(&event.screening, COUNTRY, &event.country, (0, 0, 1));
            } else if event.delta < 0
                && person.admitted_tickets == 0
                && !person.counted_screening_id.is_empty()
            {
                // Their only admission was undone: no longer an attendee.
                pending.add_tally(
                    &person.counted_screening_id,
                    COUNTRY,
                    &person.counted_country,
                    (0, 0, -1),
                );
            }
        }
        match stored {
            // An undo of someone never counted: nothing to keep.
            None if person.counted_screening_id.is_empty() => {}
            None => created.push(person),
            Some(stored) if stored != person => changed.push(person),
            Some(_) => {}
        }
    }
    (created, changed)
}

/// What people's events not applied yet make of the stored rollup.
#[derive(Debug, Default)]
pub struct Ahead {
    /// Each changed person's row as it will be.
    pub people: Vec<Person>,
    /// The first-admission tallies moved, by (screening, country).
    pub firsts: BTreeMap<(String, String), i32>,
}

/// What applying these people's events would make of their rows, without writing: how a reader
/// adds the projection's tail to what is stored.
pub fn preview(
    conn: &mut AnyConnection,
    pending: &Pending,
) -> Result<Ahead, diesel::result::Error> {
    let found = read_people(conn, &pending.people, false)?;
    let mut moved = Pending::default();
    let (created, changed) = advance(&pending.people, found, &mut moved);
    let firsts = moved
        .tallies
        .into_iter()
        .map(|((screening, _, country), (_, _, first))| ((screening, country), first))
        .collect();
    Ok(Ahead {
        people: created.into_iter().chain(changed).collect(),
        firsts,
    })
}

/// Counts each person's admitted tickets, and whether (and where) they count as an attendee: the
/// screening of the admission that took them from zero admitted tickets to one. Set-based: the
/// people of a batch are read (and, on PostgreSQL, locked, in key order) with one statement per
/// festival, the new ones inserted with another, the changed ones written with one more
/// (PostgreSQL) or one short update each (SQLite, where a statement costs no round trip).
///
/// Two transactions admitting the same new person at once (at two screenings, on two instances)
/// both insert the row; on PostgreSQL the second fails with a unique violation, which is a
/// transient error: the transaction is run again and then finds the row.
fn apply_people(
    conn: &mut AnyConnection,
    people: &BTreeMap<(String, String), Vec<PersonEvent>>,
    pending: &mut Pending,
) -> Result<(), diesel::result::Error> {
    if people.is_empty() {
        return Ok(());
    }
    let found = read_people(conn, people, true)?;
    let (created, changed) = advance(people, found, pending);
    if !created.is_empty() {
        let insert = diesel::insert_into(attendees::table).values(&created);
        crate::on_each_backend!(conn, c => insert.execute(c)?);
    }
    // Rows read (and locked) above: written with the values counted from them. On PostgreSQL in
    // one statement (an upsert that always finds its row), not a round trip each; diesel writes
    // no multi-row upsert for SQLite, where a short update each costs no round trip.
    match conn {
        AnyConnection::Postgresql(pg) if !changed.is_empty() => {
            diesel::insert_into(attendees::table)
                .values(&changed)
                .on_conflict((attendees::festival_id, attendees::person_id))
                .do_update()
                .set((
                    attendees::admitted_tickets.eq(excluded(attendees::admitted_tickets)),
                    attendees::counted_screening_id.eq(excluded(attendees::counted_screening_id)),
                    attendees::counted_country.eq(excluded(attendees::counted_country)),
                ))
                .execute(pg)?;
        }
        _ => {
            for person in &changed {
                diesel::update(attendees::table.find((&person.festival_id, &person.person_id)))
                    .set(person)
                    .execute(conn)?;
            }
        }
    }
    Ok(())
}

impl Pending {
    /// Whether nothing was recorded.
    pub fn is_empty(&self) -> bool {
        self.tallies.is_empty() && self.people.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes_to_one_row_add_up_and_merge() {
        let s = ScreeningId::new();
        let mut p = Pending::default();
        for _ in 0..3 {
            tickets_issued(&mut p, s, "FR", TicketCategory::Guest, 1);
        }
        tickets_issued(&mut p, s, "FR", TicketCategory::Guest, -1);
        assert_eq!(p.tallies.len(), 2);
        assert!(p.tallies.values().all(|d| *d == (2, 0, 0)));
        let mut other = Pending::default();
        tickets_issued(&mut other, s, "VN", TicketCategory::Guest, 1);
        p.merge(other);
        let keys: Vec<_> = p.tallies.keys().map(|(_, k, l)| (*k, l.clone())).collect();
        assert_eq!(
            keys,
            vec![
                (CATEGORY, "guest".to_owned()),
                (COUNTRY, "FR".to_owned()),
                (COUNTRY, "VN".to_owned())
            ]
        );
        assert_eq!(
            p.tallies[&(s.to_string(), CATEGORY, "guest".to_owned())],
            (3, 0, 0)
        );
    }
}
