//! Report latency at festival scale: seeds a festival with N admitted tickets (default 1,000,000),
//! starts the real server, and times `GET /api/v1/festivals/{id}/report` over HTTP.
//!
//!     cargo bench --bench report                        # SQLite, 1,000,000 admissions
//!     cargo bench --bench report -- --admissions 200000
//!     BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test cargo bench --bench report
//!
//! Seeding writes rows straight into the database (with their rollup counters, as Marquee keeps
//! them) because a million HTTP bookings and scans would measure something else; the report itself
//! goes through the real HTTP stack. Prints numbers; asserts only that the report counts them all.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use chrono::{NaiveDateTime, Utc};
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use marquee::config::Settings;
use marquee::db::AnyConnection;
use marquee::db::schema::{attendees, bookings, screening_tallies, screenings, tickets};
use marquee::domain::Role;
use marquee::startup::Application;
use serde_json::Value;

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

#[derive(Clone, Copy)]
struct Args {
    admissions: usize,
    screenings: usize,
    requests: usize,
}

fn args() -> Args {
    let mut args = Args {
        admissions: 1_000_000,
        screenings: 300,
        requests: 200,
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        let mut value = || it.next().and_then(|v| v.parse().ok()).expect("a number");
        match arg.as_str() {
            "--admissions" => args.admissions = value(),
            "--screenings" => args.screenings = value(),
            "--requests" => args.requests = value(),
            _ => {} // cargo bench passes --bench
        }
    }
    args
}

fn database() -> (String, Option<tempfile::TempDir>) {
    match std::env::var("BENCH_DATABASE_URL") {
        Ok(admin_url) => {
            let name = format!("marquee_bench_{}", uuid::Uuid::new_v4().simple());
            let mut admin =
                diesel::PgConnection::establish(&admin_url).expect("BENCH_DATABASE_URL");
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

/// Creates the festival through the API types, then bulk-inserts bookings, tickets and counters.
fn seed(conn: &mut AnyConnection, args: &Args) -> String {
    use marquee::catalogue::input::{FestivalInput, FilmInput, ScreeningInput, VenueInput};
    use marquee::catalogue::queries::Room;
    use marquee::catalogue::service;
    let festival = service::create_festival(
        conn,
        FestivalInput {
            slug: "bench".into(),
            name: "Benchmark Film Week".into(),
            starts_on: Utc::now().date_naive(),
            ends_on: Utc::now().date_naive() + chrono::Duration::days(6),
            timezone: "Europe/Paris".into(),
            attendance_goal: args.admissions as i64,
        },
    )
    .expect("festival");
    let per_screening = args.admissions.div_ceil(args.screenings);
    let venue = service::create_venue(
        conn,
        VenueInput {
            name: "Palais".into(),
            city: "Paris".into(),
            address: String::new(),
            timezone: "Europe/Paris".into(),
            rooms: vec![Room {
                name: "Salle".into(),
                seats: per_screening as i64,
            }],
        },
    )
    .expect("venue");
    let films: Vec<String> = (0..17)
        .map(|i| {
            service::create_film(
                conn,
                FilmInput {
                    title: format!("Film {i}"),
                    original_title: String::new(),
                    director: "Director".into(),
                    year: 2000 + i,
                    runtime_minutes: 100,
                    country: "VN".into(),
                },
            )
            .expect("film")
            .id
            .to_string()
        })
        .collect();
    let mut screening_ids = Vec::with_capacity(args.screenings);
    for i in 0..args.screenings {
        let starts = Utc::now() + chrono::Duration::hours(2 + (i as i64 % 140));
        let listing = service::create_screening(
            conn,
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
            },
        )
        .expect("screening");
        screening_ids.push((
            listing.screening.id.to_string(),
            listing.screening.starts_at,
        ));
    }

    let people = (args.admissions / 3).max(1);
    let mut tallies: HashMap<(String, &str, String), (i32, i32, i32)> = HashMap::new();
    let mut attendee_rows: HashMap<String, (i32, String, &str)> = HashMap::new();
    let now = Utc::now().naive_utc();
    let mut made = 0usize;
    let mut ticket_batch: Vec<TicketRow> = Vec::with_capacity(2000);
    let mut booking_batch: Vec<BookingRow> = Vec::with_capacity(500);

    for (s, (screening, starts_at)) in screening_ids.iter().enumerate() {
        let here = per_screening.min(args.admissions - made);
        let mut seat = 0;
        while seat < here {
            let seats = 4.min(here - seat);
            let person = (made + seat) * 7919 % people;
            let email = format!("person{person}@example.org");
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
                    let a = attendee_rows.entry(email.clone()).or_insert((
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
        .map(|(email, (count, screening, country))| {
            (
                attendees::festival_id.eq(festival_id.clone()),
                attendees::email.eq(email),
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

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn main() {
    let args = args();
    let (url, _dir) = database();
    let mut settings = Settings::from_lookup(|_| None).expect("settings");
    settings.database.url = url.clone();
    settings.bind = "127.0.0.1:0".into();
    let backend = if url.starts_with("postgres") {
        "PostgreSQL"
    } else {
        "SQLite"
    };

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async move {
        let app = Application::build(&settings).expect("server");
        let pool = app.state().pool.clone();
        let address = format!("http://127.0.0.1:{}", app.port());
        let handle = app.handle();
        tokio::spawn(app.run_until_stopped());

        let seeding = Instant::now();
        let seed_args = args;
        let (festival, token) = tokio::task::spawn_blocking(move || {
            let mut conn = pool.get().expect("connection");
            let festival = seed(&mut conn, &seed_args);
            let (_, token) = marquee::staff::create(&mut conn, "Bench", Role::Organiser, None, None)
                .expect("organiser");
            (festival, token)
        })
        .await
        .expect("seed");
        let seeded_in = seeding.elapsed();

        let client = reqwest::Client::new();
        let url = format!("{address}/api/v1/festivals/{festival}/report");
        let get = || async {
            let response = client.get(&url).bearer_auth(&token).send().await.expect("report");
            assert_eq!(response.status(), 200);
            response.json::<Value>().await.expect("json")
        };
        let first = get().await;
        let admitted = first["totals"]["admitted"].as_i64().unwrap_or_default();
        assert_eq!(admitted as usize, args.admissions, "the report counts every admission");
        let mut times = Vec::with_capacity(args.requests);
        for _ in 0..args.requests {
            let start = Instant::now();
            get().await;
            times.push(start.elapsed());
        }
        times.sort();
        println!();
        println!("report benchmark ({backend}), {} admissions in {} screenings, {} unique attendees, {} countries",
            admitted, args.screenings, first["totals"]["unique_attendees"], first["totals"]["countries"]);
        println!("seeded in {:.1} s", seeded_in.as_secs_f64());
        println!("| metric | value |");
        println!("|---|---|");
        println!("| report requests | {} |", args.requests);
        println!("| p50 | {:.2} ms |", percentile(&times, 0.50).as_secs_f64() * 1000.0);
        println!("| p99 | {:.2} ms |", percentile(&times, 0.99).as_secs_f64() * 1000.0);
        println!("| max | {:.2} ms |", times.last().unwrap().as_secs_f64() * 1000.0);
        drop(handle.stop(false));
    });
    if url.starts_with("postgres") {
        let admin_url = std::env::var("BENCH_DATABASE_URL").unwrap_or_default();
        if let (Ok(mut admin), Some((_, name))) = (
            diesel::PgConnection::establish(&admin_url),
            url.rsplit_once('/'),
        ) {
            let _ = admin.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"));
        }
    }
}
