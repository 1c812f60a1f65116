//! Micro benchmark of the scan write alone (no HTTP): how long one admission takes in the
//! database, serially, on a fresh SQLite file (or `BENCH_DATABASE_URL`) — one scan per
//! transaction, then the writer's way: groups of `--group` scans of one screening recorded
//! together in one transaction (what the writer does under a rush: on a connection set up as the
//! writer's, the WAL checkpointed by a thread of its own). The second figure is the ceiling of the
//! scan rush on this machine: HTTP only adds to it.
//!
//!     cargo bench --bench scan_path [-- --scans 5000 --group 64 --serial 2500]
//!
//! `--serial` (half the scans by default) is how many of them go one per transaction; the rest
//! are grouped (`--serial 0` to profile the groups alone).

mod support;

use std::time::Instant;

use marquee::catalogue::input::{FestivalInput, FilmInput, ScreeningInput, VenueInput};
use marquee::catalogue::queries::Room;
use marquee::catalogue::service;
use marquee::config::{DatabaseSettings, SqliteSync};
use marquee::domain::{Role, ScreeningId};
use marquee::door::record::{Scan, record, scan};
use marquee::door::request::{Mode, ScanRequest, Target};
use marquee::door::routing::route_reading;

fn arg(name: &str, default: usize) -> usize {
    std::env::args()
        .skip_while(|a| a != name)
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or(default)
}

fn main() {
    let scans = arg("--scans", 5000);
    let group = arg("--group", 64).max(1);
    let serial = arg("--serial", scans / 2).min(scans);
    let (url, _dir) = support::database();
    let pool = marquee::db::connect(&DatabaseSettings {
        url: url.clone(),
        pool_size: 2,
        sqlite_sync: SqliteSync::Normal,
    })
    .expect("database");
    let mut conn = pool.get().expect("connection");
    let keys = marquee::tickets::keys::load_or_create(&mut conn, None).expect("keys");
    let today = chrono::Utc::now().date_naive();
    let festival = marquee::db::tx::write_on(&mut conn, marquee::i18n::Lang::En, |tx| {
        service::create::<FestivalInput>(
            tx,
            FestivalInput {
                slug: "micro".into(),
                name: "Micro".into(),
                starts_on: today,
                ends_on: today,
                timezone: "Europe/Paris".into(),
                attendance_goal: 0,
                retention_days: marquee::catalogue::input::DEFAULT_RETENTION_DAYS,
                controller: String::new(),
            },
        )
    })
    .expect("festival");
    let venue = marquee::db::tx::write_on(&mut conn, marquee::i18n::Lang::En, |tx| {
        service::create::<VenueInput>(
            tx,
            VenueInput {
                name: "Hall".into(),
                city: "Paris".into(),
                address: String::new(),
                timezone: "Europe/Paris".into(),
                rooms: vec![Room {
                    name: "Big".into(),
                    seats: 100_000,
                }],
            },
        )
    })
    .expect("venue");
    let film = marquee::db::tx::write_on(&mut conn, marquee::i18n::Lang::En, |tx| {
        service::create::<FilmInput>(
            tx,
            FilmInput {
                title: "Red Rain".into(),
                original_title: String::new(),
                director: "D".into(),
                year: 2025,
                runtime_minutes: 124,
                country: "VN".into(),
                language: "Vietnamese".into(),
                subtitles: "French".into(),
                synopsis: String::new(),
            },
        )
    })
    .expect("film");
    let screening = marquee::db::tx::write_on(&mut conn, marquee::i18n::Lang::En, |tx| {
        service::create_screening(
            tx,
            ScreeningInput {
                festival_id: festival.id.to_string(),
                film_id: film.id.to_string(),
                venue_id: venue.id.to_string(),
                room: "Big".into(),
                starts_at: (chrono::Utc::now() + chrono::Duration::minutes(20)).to_rfc3339(),
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
    .expect("screening")
    .screening
    .id;
    let (door, _) =
        marquee::staff::create(&mut conn, "Door", Role::Door, None, None).expect("staff");

    let mut codes = Vec::with_capacity(scans);
    let booking_started = Instant::now();
    for i in 0..scans.div_ceil(10) {
        let request = marquee::booking::queries::BookingInput {
            name: format!("Guest {i}"),
            email: format!("g{i}@example.org"),
            country: "FR".into(),
            seats: 10,
            lang: None,
            news: false,
        }
        .parse()
        .expect("input");
        let booked = marquee::booking::record::book_seats(
            &mut conn,
            &keys.signer,
            screening,
            &request,
            chrono::Utc::now().naive_utc(),
        )
        .expect("booking");
        codes.extend(booked.tickets.into_iter().map(|t| t.code));
    }
    let booking_time = booking_started.elapsed();
    codes.truncate(scans);
    // Some tickets scanned one by one, the others in groups.
    let mut grouped_codes = codes.split_off(serial);

    let started = Instant::now();
    for (i, code) in codes.iter().enumerate() {
        let request = ScanRequest {
            code: code.clone(),
            target: Target::Screening(ScreeningId(screening.0)),
            door: "Door A".into(),
            nonce: format!("n{i}"),
            client_time: None,
        };
        let (answer, _) = scan(
            &mut conn,
            &keys.verifier,
            &door,
            &request,
            chrono::Utc::now().naive_utc(),
        )
        .expect("scan");
        assert_eq!(answer.verdict, marquee::domain::Verdict::Admitted);
    }
    let elapsed = started.elapsed();

    // The groups run as the writer runs them: on a connection that leaves the WAL's checkpoints
    // to a thread of their own, nudged after each commit.
    marquee::db::checkpoint::writer_connection(&mut conn, true);
    let checkpointer =
        marquee::db::checkpoint::Checkpointer::start(&pool, marquee::db::Backend::of_url(&url))
            .expect("checkpointer")
            .map(|(checkpointer, _thread)| checkpointer);
    let verifier = keys.verifier.clone();
    // As a server does, the door's readings of the catalogue are remembered between scans.
    let memory = marquee::catalogue::cache::Catalogue::default();
    // The writer's way, for requests in the order given: groups of one transaction each.
    let mut record_groups = |requests: &[ScanRequest]| {
        let started = Instant::now();
        for chunk in requests.chunks(group) {
            let now = chrono::Utc::now().naive_utc();
            let items: Vec<Scan> = chunk
                .iter()
                .map(|request| {
                    let route = route_reading(&memory, &mut conn, &verifier, &door, request, now)
                        .expect("route");
                    Scan::new(
                        door.clone(),
                        request.clone(),
                        route,
                        Mode::Online,
                        verifier.clone(),
                    )
                })
                .collect();
            let refs: Vec<&Scan> = items.iter().collect();
            let answers = marquee::db::tx::write_on(&mut conn, marquee::i18n::Lang::En, |tx| {
                record(tx, &refs, now)
            })
            .expect("group");
            if let Some(checkpointer) = &checkpointer {
                checkpointer.nudge();
            }
            for answer in answers {
                let (answer, _) = answer.expect("scan");
                assert_eq!(answer.verdict, marquee::domain::Verdict::Admitted);
            }
        }
        started.elapsed()
    };
    let request = |code: &String, nonce: String| ScanRequest {
        code: code.clone(),
        target: Target::Screening(ScreeningId(screening.0)),
        door: "Door B".into(),
        nonce,
        client_time: None,
    };
    // As people arrive: in no particular order. Half with random nonces (a client's own)…
    let mut ordered_codes = grouped_codes.split_off(grouped_codes.len() / 2);
    let mut requests: Vec<ScanRequest> = grouped_codes
        .iter()
        .map(|code| request(code, uuid::Uuid::new_v4().to_string()))
        .collect();
    requests.sort_by(|a, b| a.nonce.cmp(&b.nonce));
    let grouped = record_groups(&requests);
    // … half with nonces that grow with time, as the door page makes them (UUIDv7).
    ordered_codes.sort_by_cached_key(|_| uuid::Uuid::new_v4());
    let ordered: Vec<ScanRequest> = ordered_codes
        .iter()
        .map(|code| request(code, uuid::Uuid::now_v7().to_string()))
        .collect();
    let grouped_ordered = record_groups(&ordered);
    println!();
    println!(
        "bookings of 10 seats: {:.0} µs each ({} bookings)",
        booking_time.as_secs_f64() * 1e6 / scans.div_ceil(10) as f64,
        scans.div_ceil(10)
    );
    println!(
        "scan transaction, serial: {:.0} µs each, {:.0} scans/s ({serial} scans)",
        elapsed.as_secs_f64() * 1e6 / serial.max(1) as f64,
        serial as f64 / elapsed.as_secs_f64()
    );
    println!(
        "scans in random order, recorded in groups of {group} (one transaction each, routed \
         from memory): {:.1} µs each, {:.0} scans/s ({} scans)",
        grouped.as_secs_f64() * 1e6 / requests.len() as f64,
        requests.len() as f64 / grouped.as_secs_f64(),
        requests.len()
    );
    println!(
        "the same with time-ordered nonces (as the door page makes them): {:.1} µs each, {:.0} \
         scans/s ({} scans)",
        grouped_ordered.as_secs_f64() * 1e6 / ordered.len() as f64,
        ordered.len() as f64 / grouped_ordered.as_secs_f64(),
        ordered.len()
    );
    drop(conn);
    support::drop_database(&url);
}
