//! Shared by the benchmarks: fresh databases, and bulk seeding of a festival with N admissions.

// Each benchmark compiles this module on its own and uses a different part of it; `expect` would
// fail in the benchmarks that do use everything, so dead code is allowed here — the one `allow`.
#![allow(
    dead_code,
    reason = "each benchmark uses a different part of this module"
)]

pub mod rolling;

use std::collections::HashMap;

use chrono::{NaiveDateTime, Utc};
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use marquee::db::AnyConnection;
use marquee::db::schema::{attendees, bookings, screening_tallies, screenings, tickets};

/// A fresh database: a temporary SQLite file, or a new PostgreSQL database created from
/// `BENCH_DATABASE_URL` (dropped by [`drop_database`]).
pub fn database() -> (String, Option<tempfile::TempDir>) {
    match std::env::var("BENCH_DATABASE_URL") {
        Ok(admin_url) => {
            let name = format!("marquee_bench_{}", uuid::Uuid::new_v4().simple());
            let mut admin = PgConnection::establish(&admin_url).expect("BENCH_DATABASE_URL");
            admin
                .batch_execute(&format!("CREATE DATABASE {name}"))
                .expect("create database");
            let (base, _) = admin_url.rsplit_once('/').expect("a database in the URL");
            (format!("{base}/{name}"), None)
        }
        Err(_) => {
            let dir = tempfile::tempdir().expect("temp dir");
            (dir.path().join("bench.db").display().to_string(), Some(dir))
        }
    }
}

/// Prints a benchmark's results as a Markdown table under `title` and, with `json`, writes them
/// there too, as `{…document, "results": {measure: value}}`.
pub fn report(
    title: &str,
    rows: &[(String, String)],
    json: Option<&str>,
    mut document: serde_json::Value,
) {
    println!();
    println!(
        "{title}, {} cores",
        std::thread::available_parallelism().map_or(0, std::num::NonZero::get)
    );
    println!("| measure | value |");
    println!("|---|---|");
    for (what, value) in rows {
        println!("| {what} | {value} |");
    }
    if let Some(path) = json {
        let table: serde_json::Map<String, serde_json::Value> = rows
            .iter()
            .map(|(k, v)| (k.clone(), serde_json::json!(v)))
            .collect();
        document["results"] = serde_json::Value::Object(table);
        std::fs::write(path, serde_json::to_string_pretty(&document).expect("json"))
            .expect("write json");
        println!("written to {path}");
    }
}

/// Drops a PostgreSQL database made by [`database`].
pub fn drop_database(url: &str) {
    if !url.starts_with("postgres") {
        return;
    }
    let admin_url = std::env::var("BENCH_DATABASE_URL").unwrap_or_default();
    if let (Ok(mut admin), Some((_, name))) =
        (PgConnection::establish(&admin_url), url.rsplit_once('/'))
    {
        let _ = admin.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"));
    }
}

/// Multi-row INSERT, which diesel offers per backend but not through `MultiConnection`.
macro_rules! insert_rows {
    ($conn:expr, $table:expr, $rows:expr) => {
        match $conn {
            AnyConnection::Sqlite(c) => diesel::insert_into($table).values($rows).execute(c),
            AnyConnection::Postgresql(c) => diesel::insert_into($table).values($rows).execute(c),
        }
    };
}

const COUNTRIES: [&str; 20] = [
    "FR", "FR", "FR", "FR", "FR", "FR", "FR", "FR", "VN", "VN", "VN", "DE", "BE", "GB", "US", "IT",
    "ES", "JP", "KR", "CH",
];

/// Creates the festival through the API types, then bulk-inserts bookings, tickets and counters.
pub fn seed(
    conn: &mut AnyConnection,
    admissions: usize,
    screening_count: usize,
    slug: &str,
) -> String {
    use marquee::catalogue::input::{FestivalInput, FilmInput, ScreeningInput, VenueInput};
    use marquee::catalogue::queries::Room;
    use marquee::catalogue::service;
    let festival = marquee::db::tx::write_on(conn, marquee::i18n::Lang::En, |tx| {
        service::create(
            tx,
            FestivalInput {
                slug: slug.into(),
                name: "Benchmark Film Week".into(),
                starts_on: Utc::now().date_naive(),
                ends_on: Utc::now().date_naive() + chrono::Duration::days(6),
                timezone: "Europe/Paris".into(),
                attendance_goal: admissions as i64,
                retention_days: marquee::catalogue::input::DEFAULT_RETENTION_DAYS,
                controller: String::new(),
            },
        )
    })
    .expect("festival");
    let per_screening = admissions.div_ceil(screening_count);
    let venue = marquee::db::tx::write_on(conn, marquee::i18n::Lang::En, |tx| {
        service::create(
            tx,
            VenueInput {
                name: format!("Palais {slug}"),
                city: "Paris".into(),
                address: String::new(),
                timezone: "Europe/Paris".into(),
                rooms: vec![Room {
                    name: "Salle".into(),
                    seats: per_screening as i64,
                }],
            },
        )
    })
    .expect("venue");
    let films: Vec<String> = (0..17)
        .map(|i| {
            marquee::db::tx::write_on(conn, marquee::i18n::Lang::En, |tx| {
                service::create(
                    tx,
                    FilmInput {
                        title: format!("Film {slug} {i}"),
                        original_title: String::new(),
                        director: "Director".into(),
                        year: 2000 + i,
                        runtime_minutes: 100,
                        country: "VN".into(),
                        language: "Vietnamese".into(),
                        subtitles: "French".into(),
                        synopsis: String::new(),
                    },
                )
            })
            .expect("film")
            .id
            .to_string()
        })
        .collect();
    let mut screening_ids = Vec::with_capacity(screening_count);
    for i in 0..screening_count {
        let starts = Utc::now() + chrono::Duration::hours(2 + (i as i64 % 140));
        let listing = marquee::db::tx::write_on(conn, marquee::i18n::Lang::En, |tx| {
            service::create_screening(
                tx,
                ScreeningInput {
                    festival_id: festival.id.to_string(),
                    film_id: films[i % films.len()].clone(),
                    venue_id: venue.id.to_string(),
                    room: "Salle".into(),
                    starts_at: starts.to_rfc3339(),
                    ends_at: None,
                    capacity: None,
                    doors_open_minutes: None,
                    doors_close_minutes: None,
                    pass_seats: None,
                    // Seeded screenings share one room and may lie outside the festival: on purpose.
                    confirm: true,
                },
            )
        })
        .expect("screening");
        screening_ids.push((
            listing.screening.id.to_string(),
            listing.screening.starts_at,
        ));
    }

    let people = (admissions / 3).max(1);
    let mut tallies: HashMap<(String, &str, String), (i32, i32, i32)> = HashMap::new();
    let mut attendee_rows: HashMap<String, (i32, String, &str)> = HashMap::new();
    let now = Utc::now().naive_utc();
    let mut made = 0usize;
    let mut ticket_batch: Vec<TicketRow> = Vec::with_capacity(2000);
    let mut booking_batch: Vec<BookingRow> = Vec::with_capacity(500);

    for (s, (screening, starts_at)) in screening_ids.iter().enumerate() {
        let here = per_screening.min(admissions - made);
        let mut seat = 0;
        while seat < here {
            let seats = 4.min(here - seat);
            let person = (made + seat) * 7919 % people;
            let email = format!("person{person}@example.org");
            // The person's pseudonym at the festival, as bookings and the rollup name them.
            let person_id = format!("bench-person-{person}");
            let country = COUNTRIES[person % COUNTRIES.len()];
            let booking_id = uuid::Uuid::now_v7().to_string();
            booking_batch.push(BookingRow {
                id: booking_id.clone(),
                screening_id: screening.clone(),
                name: format!("Person {person}"),
                email: email.clone(),
                country: country.to_owned(),
                seats: seats as i32,
                manage_token_hash: uuid::Uuid::new_v4().simple().to_string(),
                status: "confirmed".into(),
                created_at: now,
                person_id: person_id.clone(),
            });
            for n in 0..seats {
                let admitted_at: NaiveDateTime =
                    *starts_at - chrono::Duration::seconds(((seat + n) * 13 % 2700) as i64);
                ticket_batch.push(TicketRow {
                    id: uuid::Uuid::now_v7().to_string(),
                    booking_id: booking_id.clone(),
                    screening_id: screening.clone(),
                    seat_number: (n + 1) as i32,
                    category: "public".into(),
                    code: format!("BENCH{s}-{}", seat + n),
                    status: "valid".into(),
                    admitted_at: Some(admitted_at),
                    admitted_door: Some("Door A".into()),
                    created_at: now,
                });
                let first = {
                    let a = attendee_rows.entry(person_id.clone()).or_insert((
                        0,
                        screening.clone(),
                        country,
                    ));
                    a.0 += 1;
                    a.0 == 1
                };
                let c = tallies
                    .entry((screening.clone(), "country", country.to_owned()))
                    .or_default();
                c.0 += 1;
                c.1 += 1;
                c.2 += i32::from(first);
                let k = tallies
                    .entry((screening.clone(), "category", "public".into()))
                    .or_default();
                k.0 += 1;
                k.1 += 1;
            }
            seat += seats;
            if ticket_batch.len() >= 1600 {
                flush(conn, &mut booking_batch, &mut ticket_batch);
            }
        }
        flush(conn, &mut booking_batch, &mut ticket_batch);
        diesel::update(screenings::table.find(screening))
            .set((
                screenings::booked.eq(here as i32),
                screenings::admitted.eq(here as i32),
            ))
            .execute(conn)
            .expect("counters");
        made += here;
    }
    let tally_rows: Vec<_> = tallies
        .into_iter()
        .map(|((screening, kind, label), (issued, admitted, first))| {
            (
                screening_tallies::screening_id.eq(screening),
                screening_tallies::kind.eq(kind),
                screening_tallies::label.eq(label),
                screening_tallies::issued.eq(issued),
                screening_tallies::admitted.eq(admitted),
                screening_tallies::first_admissions.eq(first),
            )
        })
        .collect();
    for chunk in tally_rows.chunks(500) {
        insert_rows!(conn, screening_tallies::table, chunk).expect("tallies");
    }
    let festival_id = festival.id.to_string();
    let people_rows: Vec<_> = attendee_rows
        .into_iter()
        .map(|(person, (count, screening, country))| {
            (
                attendees::festival_id.eq(festival_id.clone()),
                attendees::person_id.eq(person),
                attendees::admitted_tickets.eq(count),
                attendees::counted_screening_id.eq(screening),
                attendees::counted_country.eq(country),
            )
        })
        .collect();
    for chunk in people_rows.chunks(1000) {
        insert_rows!(conn, attendees::table, chunk).expect("attendees");
    }

    festival_id
}

#[derive(Insertable)]
#[diesel(table_name = bookings)]
struct BookingRow {
    id: String,
    screening_id: String,
    name: String,
    email: String,
    country: String,
    seats: i32,
    manage_token_hash: String,
    status: String,
    created_at: NaiveDateTime,
    person_id: String,
}

#[derive(Insertable)]
#[diesel(table_name = tickets)]
struct TicketRow {
    id: String,
    booking_id: String,
    screening_id: String,
    seat_number: i32,
    category: String,
    code: String,
    status: String,
    admitted_at: Option<NaiveDateTime>,
    admitted_door: Option<String>,
    created_at: NaiveDateTime,
}

fn flush(
    conn: &mut AnyConnection,
    bookings_batch: &mut Vec<BookingRow>,
    tickets_batch: &mut Vec<TicketRow>,
) {
    if !bookings_batch.is_empty() {
        insert_rows!(conn, bookings::table, bookings_batch.as_slice()).expect("bookings");
        bookings_batch.clear();
    }
    if !tickets_batch.is_empty() {
        insert_rows!(conn, tickets::table, tickets_batch.as_slice()).expect("tickets");
        tickets_batch.clear();
    }
}
