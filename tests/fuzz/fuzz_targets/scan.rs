//! The whole scan path below HTTP (request checks, code verification, the admit-once
//! transaction, the scan log) against arbitrary door requests on a real SQLite database.
//!
//! Whatever a door sends:
//! - nothing panics, and no request is judged an internal error: bad requests are refused
//!   with a reason, every judged scan gets a verdict;
//! - a ticket is admitted at most once (replays of a request repeat its first answer);
//! - a screening never admits more people than it has seats.
#![no_main]

use std::collections::HashSet;
use std::sync::{Arc, LazyLock, Mutex};

use chrono::{Duration, Utc};
use libfuzzer_sys::arbitrary::{self, Arbitrary};
use libfuzzer_sys::fuzz_target;
use marquee::booking::cancel::cancel_booking;
use marquee::booking::queries::BookingInput;
use marquee::booking::record::book_seats;
use marquee::catalogue::input::{FestivalInput, FilmInput, VenueInput};
use marquee::catalogue::service;
use marquee::config::{DatabaseSettings, SqliteSync};
use marquee::db::DbConnection;
use marquee::domain::ticket_code::{TicketSigner, TicketVerifier};
use marquee::domain::{Role, Verdict};
use marquee::door::record::scan;
use marquee::door::request::ScanInput;
use marquee::error::AppError;
use marquee::staff::{self, StaffMember};

struct World {
    conn: DbConnection,
    verifier: Arc<TicketVerifier>,
    door: StaffMember,
    screening: String,
    other_screening: String,
    venue: String,
    codes: Vec<String>,
    admitted: HashSet<String>,
    nonces: Vec<String>,
    _dir: tempfile::TempDir,
}

fn json<T: serde::de::DeserializeOwned>(value: serde_json::Value) -> T {
    serde_json::from_value(value).expect("fixture input")
}

static WORLD: LazyLock<Mutex<World>> = LazyLock::new(|| Mutex::new(world()));

fn world() -> World {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let pool = marquee::db::connect(&DatabaseSettings {
        url: dir.path().join("fuzz.db").display().to_string(),
        pool_size: 1,
        sqlite_sync: SqliteSync::Normal,
    })
    .expect("a fresh SQLite database");
    let mut conn = pool.get().expect("a connection");
    let signer = TicketSigner::generate();
    let mut verifier = TicketVerifier::new();
    verifier.add(signer.key_id(), signer.public_key());

    let today = Utc::now().date_naive();
    let festival = marquee::db::tx::write_on(&mut conn, marquee::i18n::Lang::En, |tx| {
        service::create::<FestivalInput>(
            tx,
            json(serde_json::json!({
                "slug": "fuzz", "name": "Fuzz Week", "starts_on": today - Duration::days(1),
                "ends_on": today + Duration::days(2), "timezone": "UTC", "attendance_goal": 100,
            })),
        )
    })
    .expect("festival");
    let venue = marquee::db::tx::write_on(&mut conn, marquee::i18n::Lang::En, |tx| {
        service::create::<VenueInput>(
            tx,
            json(serde_json::json!({
                "name": "Fuzz Hall", "city": "Paris", "timezone": "UTC",
                "rooms": [{"name": "Main", "seats": 12}],
            })),
        )
    })
    .expect("venue");
    let film = marquee::db::tx::write_on(&mut conn, marquee::i18n::Lang::En, |tx| {
        service::create::<FilmInput>(
            tx,
            json(serde_json::json!({
                "title": "Mutations", "director": "L. Fuzzer", "year": 2025,
                "runtime_minutes": 90, "country": "VN",
            })),
        )
    })
    .expect("film");
    let mut screening = |minutes: i64| {
        let starts = (Utc::now() + Duration::minutes(minutes)).format("%Y-%m-%dT%H:%M");
        marquee::db::tx::write_on(&mut conn, marquee::i18n::Lang::En, |tx| service::create_screening(
            tx,
            json(serde_json::json!({
                "festival_id": festival.id.to_string(), "film_id": film.id.to_string(),
                "venue_id": venue.id.to_string(), "room": "Main", "starts_at": starts.to_string(),
            })),
        ))
        .expect("screening")
        .screening
        .id
    };
    let (screening, other_screening) = (screening(10), screening(200));

    let mut codes = Vec::new();
    let now = Utc::now().naive_utc();
    for (target, seats) in [
        (screening, 4),
        (screening, 3),
        (screening, 2),
        (other_screening, 2),
    ] {
        let request = json::<BookingInput>(serde_json::json!({
            "name": "Holder", "email": "holder@example.org", "country": "FR", "seats": seats,
        }))
        .parse()
        .expect("booking input");
        let booking = book_seats(&mut conn, &signer, target, &request, now).expect("booking");
        codes.extend(booking.tickets.iter().map(|t| t.code.clone()));
        if seats == 2 && target == screening {
            marquee::db::tx::write_on(&mut conn, marquee::i18n::Lang::En, |tx| {
                cancel_booking(tx, booking.booking.id, now)
            })
            .expect("cancel");
        }
    }
    let (door, _) = staff::create(&mut conn, "Fuzz door", Role::Door, None, None).expect("staff");
    World {
        conn,
        verifier: Arc::new(verifier),
        door,
        screening: screening.to_string(),
        other_screening: other_screening.to_string(),
        venue: venue.id.to_string(),
        codes,
        admitted: HashSet::new(),
        nonces: Vec::new(),
        _dir: dir,
    }
}

#[derive(Debug, Arbitrary)]
enum Code {
    Genuine(u8),
    Mutated(u8, Vec<(u8, u8)>),
    Raw(String),
}

#[derive(Debug, Arbitrary)]
enum Door {
    Screening,
    OtherScreening,
    Venue,
    Both,
    Neither,
    RawScreening(String),
    RawVenue(String),
}

#[derive(Debug, Arbitrary)]
enum Nonce {
    Fresh,
    Replay(u8),
    Raw(String),
}

#[derive(Debug, Arbitrary)]
struct Request {
    code: Code,
    target: Door,
    door: String,
    nonce: Nonce,
    scanned_at: Option<String>,
}

fuzz_target!(|request: Request| {
    let mut world = WORLD
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let world = &mut *world;
    let pick = |i: u8| world.codes[usize::from(i) % world.codes.len()].clone();
    let code = match request.code {
        Code::Genuine(i) => pick(i),
        Code::Mutated(i, edits) => {
            let mut bytes = pick(i).into_bytes();
            for (at, value) in edits {
                let at = usize::from(at) % bytes.len();
                bytes[at] = value;
            }
            String::from_utf8_lossy(&bytes).into_owned()
        }
        Code::Raw(text) => text,
    };
    let (screening_id, venue_id) = match request.target {
        Door::Screening => (Some(world.screening.clone()), None),
        Door::OtherScreening => (Some(world.other_screening.clone()), None),
        Door::Venue => (None, Some(world.venue.clone())),
        Door::Both => (Some(world.screening.clone()), Some(world.venue.clone())),
        Door::Neither => (None, None),
        Door::RawScreening(text) => (Some(text), None),
        Door::RawVenue(text) => (None, Some(text)),
    };
    let nonce = match request.nonce {
        Nonce::Fresh => format!("fuzz-{}", world.nonces.len()),
        Nonce::Replay(i) if !world.nonces.is_empty() => {
            world.nonces[usize::from(i) % world.nonces.len()].clone()
        }
        Nonce::Replay(_) => "fuzz-replay".to_owned(),
        Nonce::Raw(text) => text,
    };
    world.nonces.push(nonce.clone());
    let input = ScanInput {
        code,
        screening_id,
        venue_id,
        door: request.door,
        nonce,
        scanned_at: request.scanned_at,
    };
    let now = Utc::now().naive_utc();
    let Ok(parsed) = input.parse(now) else {
        return; // refused with a field and a message: a 422
    };
    match scan(&mut world.conn, &world.verifier, &world.door, &parsed, now) {
        Ok((answer, _)) => {
            assert!(
                answer.admitted <= answer.capacity,
                "admitted {} of {}",
                answer.admitted,
                answer.capacity
            );
            if answer.verdict == Verdict::Admitted && !answer.replayed {
                let ticket = answer
                    .ticket
                    .as_ref()
                    .expect("an admission names its ticket");
                assert!(
                    world.admitted.insert(ticket.id.clone()),
                    "ticket {} admitted twice",
                    ticket.id
                );
            }
        }
        Err(AppError::Internal(error)) => panic!("internal error for {parsed:?}: {error:?}"),
        Err(_) => {} // a refusal with a reason (unknown screening or venue, out of scope)
    }
});
