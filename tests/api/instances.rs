//! Several instances on one database, as behind a load balancer: a rush of scans and bookings
//! across several screenings, interleaved so that every writer batch mixes screenings and the
//! same people, sent through two instances at once — with group commit on and off. Nothing may
//! fail (no 5xx), every ticket is admitted exactly once, every acknowledged booking is kept, no
//! screening is oversold, and every rollup counter and hash chain checks out afterwards.
//!
//! Also here: a deadlock forced on purpose (PostgreSQL) is retried, never answered with 500; and
//! what one instance changes in the catalogue, the other's doors show within the bound its memory
//! keeps readings for (each instance remembers apart, as two servers do).

use std::collections::HashMap;

use diesel::connection::SimpleConnection;
use futures::StreamExt;
use serde_json::{Value, json};

use crate::helpers::{Backend, spawn_app_with};

const SCREENINGS: usize = 4;
/// Pre-booked per screening: 10 bookings of 4 seats, by the same 10 people at every screening
/// (so admissions at different screenings update the same people's rows at the same time).
const PEOPLE: usize = 10;
const SEATS_EACH: usize = 4;
/// Seats in the room, and single-seat booking attempts per screening during the rush.
const CAPACITY: usize = 100;
const RUSH_ATTEMPTS: usize = 80;
const CLIENTS: usize = 48;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_two_instances_rush_with_group_commit() {
    rush(Backend::Sqlite, true).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_two_instances_rush_with_one_transaction_per_write() {
    rush(Backend::Sqlite, false).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_two_instances_rush_with_group_commit() {
    rush(Backend::Postgres, true).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_two_instances_rush_with_one_transaction_per_write() {
    rush(Backend::Postgres, false).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_a_forced_deadlock_is_retried_with_group_commit() {
    forced_deadlock(true).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_a_forced_deadlock_is_retried_with_one_transaction_per_write() {
    forced_deadlock(false).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_a_change_through_one_instance_reaches_the_others_doors() {
    a_change_reaches_the_other_instance(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_a_change_through_one_instance_reaches_the_others_doors() {
    a_change_reaches_the_other_instance(Backend::Postgres).await;
}

/// The screening's room as a door of `api` shows it now (a fresh scan of `code`).
async fn room_at(app: &crate::helpers::TestApp, api: &str, code: &str, screening: &str) -> String {
    let answer = app.scan_via(api, code, screening).await;
    answer["screening"]["room"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

async fn a_change_reaches_the_other_instance(backend: Backend) {
    let Some(app) = spawn_app_with(backend, |_| {}).await else {
        return;
    };
    let other = app.instance_with(|_| {}).expect("a second instance");
    let f = app.fixture().await;
    let screening = app.screening_starting_in(&f, 20, "Petite").await;
    let (_, code, _) = app.ticket(&screening).await;
    // Both instances' doors have read the screening (and remember it).
    assert_eq!(room_at(&app, &app.api, &code, &screening).await, "Petite");
    assert_eq!(room_at(&app, &other.api, &code, &screening).await, "Petite");
    // An organiser moves it to another room, through the first instance.
    let moved = app
        .patch_as(
            &app.organiser_token,
            &format!("/screenings/{screening}"),
            &json!({"room": "Grande Salle"}),
        )
        .await;
    assert_eq!(moved.status(), 200);
    // The instance that made the change forgot what it remembered as the change committed.
    assert_eq!(
        room_at(&app, &app.api, &code, &screening).await,
        "Grande Salle"
    );
    // The other is told nothing: it reads the screening again once its reading is older than
    // `FRESH_FOR` (1 s). Asked every 100 ms, it shows the new room well within three seconds.
    let changed_at = std::time::Instant::now();
    let bound = marquee::catalogue::cache::FRESH_FOR + std::time::Duration::from_secs(2);
    loop {
        let room = room_at(&app, &other.api, &code, &screening).await;
        if room == "Grande Salle" {
            break;
        }
        assert!(
            changed_at.elapsed() < bound,
            "the other instance still shows {room:?} after {:?}",
            changed_at.elapsed()
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

/// One request of the rush, and through which instance it goes.
enum Op {
    Scan {
        api: String,
        screening: usize,
        ticket: usize,
    },
    Book {
        api: String,
        screening: usize,
        n: usize,
    },
}

async fn rush(backend: Backend, group_commit: bool) {
    // On PostgreSQL the first instance runs four writers, the second its default two: the
    // screenings spread over them by their ids, so batches of different screenings commit side
    // by side (four screenings fall on at least two of four writers 98 % of the time, of two 88 %).
    let Some(app) = spawn_app_with(backend, |s| {
        s.group_commit = group_commit;
        if backend == Backend::Postgres {
            s.writers = 4;
        }
    })
    .await
    else {
        return;
    };
    let other = app
        .instance_with(|s| s.group_commit = group_commit)
        .expect("a second instance");
    let f = app.fixture().await;
    let mut screenings = Vec::new();
    for _ in 0..SCREENINGS {
        screenings.push(app.screening_starting_in(&f, 20, "Grande Salle").await);
    }
    // tickets[s] = (ticket id, code) of screening s.
    let mut tickets: Vec<Vec<(String, String)>> = vec![Vec::new(); SCREENINGS];
    for (s, screening) in screenings.iter().enumerate() {
        for person in 0..PEOPLE {
            let (status, body) = app
                .book(
                    screening,
                    SEATS_EACH as i64,
                    &format!("p{person}@example.org"),
                )
                .await;
            assert_eq!(status, 201, "{body}");
            for t in body["tickets"].as_array().unwrap() {
                tickets[s].push((
                    t["id"].as_str().unwrap().to_owned(),
                    t["code"].as_str().unwrap().to_owned(),
                ));
            }
        }
    }

    // Every ticket scanned once through each instance, and booking attempts, interleaved so
    // that neighbouring requests are for different screenings.
    let per_screening = PEOPLE * SEATS_EACH;
    let mut ops = Vec::new();
    for round in 0..per_screening.max(RUSH_ATTEMPTS) {
        for screening in 0..SCREENINGS {
            let (first, second) = if (round + screening) % 2 == 0 {
                (&app.api, &other.api)
            } else {
                (&other.api, &app.api)
            };
            if round < per_screening {
                ops.push(Op::Scan {
                    api: first.clone(),
                    screening,
                    ticket: round,
                });
            }
            if round < RUSH_ATTEMPTS {
                ops.push(Op::Book {
                    api: second.clone(),
                    screening,
                    n: round,
                });
            }
            if round < per_screening {
                ops.push(Op::Scan {
                    api: second.clone(),
                    screening,
                    ticket: round,
                });
            }
        }
    }
    let client = reqwest::Client::new();
    let (door, screenings_ref, tickets_ref) = (&app.door_token, &screenings, &tickets);
    let answers: Vec<(Op, u16, Value)> = futures::stream::iter(ops)
        .map(|op| {
            let client = client.clone();
            async move {
                let request = match &op {
                    Op::Scan {
                        api,
                        screening,
                        ticket,
                    } => client
                        .post(format!("{api}/scans"))
                        .bearer_auth(door)
                        .json(&json!({
                            "code": tickets_ref[*screening][*ticket].1,
                            "screening_id": screenings_ref[*screening],
                            "door": format!("Door {}", ticket % 6),
                            "nonce": uuid::Uuid::new_v4().to_string(),
                        })),
                    Op::Book { api, screening, n } => client
                        .post(format!(
                            "{api}/screenings/{}/bookings",
                            screenings_ref[*screening]
                        ))
                        .json(&json!({"name": format!("Rush {n}"),
                            "email": format!("rush{screening}-{n}@example.org"),
                            "country": if n % 3 == 0 { "VN" } else { "FR" }, "seats": 1})),
                };
                let response = request.send().await.expect("an answer");
                let status = response.status().as_u16();
                (op, status, response.json().await.unwrap_or(Value::Null))
            }
        })
        .buffer_unordered(CLIENTS)
        .collect()
        .await;

    // No failure of any kind: scans 200, bookings 201 or 409 sold out.
    let mut admitted: HashMap<(usize, usize), usize> = HashMap::new();
    let mut sold = [0usize; SCREENINGS];
    let mut booking_ids = Vec::new();
    for (op, status, body) in &answers {
        match op {
            Op::Scan {
                screening, ticket, ..
            } => {
                assert_eq!(*status, 200, "a scan failed: {body}");
                let verdict = body["verdict"].as_str().unwrap();
                assert!(
                    ["admitted", "already_admitted"].contains(&verdict),
                    "{body}"
                );
                if verdict == "admitted" {
                    *admitted.entry((*screening, *ticket)).or_default() += 1;
                }
            }
            Op::Book { screening, .. } => match status {
                201 => {
                    sold[*screening] += 1;
                    booking_ids.push(body["booking"]["id"].as_str().unwrap().to_owned());
                }
                409 => assert_eq!(body["error"], "sold_out", "{body}"),
                other => panic!("a booking failed with {other}: {body}"),
            },
        }
    }
    for s in 0..SCREENINGS {
        for t in 0..per_screening {
            assert_eq!(
                admitted.get(&(s, t)),
                Some(&1),
                "ticket {t} of screening {s} is admitted exactly once"
            );
        }
        let free = CAPACITY - per_screening;
        assert_eq!(
            sold[s],
            free.min(RUSH_ATTEMPTS),
            "every free seat sold, none more"
        );
        let id = &screenings[s];
        assert_eq!(
            app.count(&format!(
                "SELECT CAST(booked AS BIGINT) AS n FROM screenings WHERE id = '{id}'"
            )),
            (per_screening + sold[s]) as i64
        );
        assert_eq!(
            app.count(&format!(
                "SELECT CAST(admitted AS BIGINT) AS n FROM screenings WHERE id = '{id}'"
            )),
            per_screening as i64
        );
        assert_eq!(
            app.count(&format!(
                "SELECT COUNT(*) AS n FROM tickets WHERE screening_id = '{id}' AND admitted_at IS NOT NULL"
            )),
            per_screening as i64
        );
    }
    // Every acknowledged booking is there.
    let listed = booking_ids
        .iter()
        .map(|id| format!("'{id}'"))
        .collect::<Vec<_>>()
        .join(",");
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) AS n FROM bookings WHERE id IN ({listed})"
        )),
        booking_ids.len() as i64
    );
    // Each of the 10 people is one attendee, whatever the number of screenings and instances.
    app.project();
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM attendees WHERE admitted_tickets > 0"),
        PEOPLE as i64
    );
    assert_eq!(
        app.count("SELECT CAST(SUM(admitted_tickets) AS BIGINT) AS n FROM attendees"),
        (SCREENINGS * per_screening) as i64
    );
    let mut conn = app.pool.get().unwrap();
    let counters = marquee::reports::consistency::check(&mut conn, None).unwrap();
    assert!(counters.is_consistent(), "{:?}", counters.problems);
    let chains = marquee::door::chain::verify(&mut conn, None).unwrap();
    assert!(chains.problems.is_empty(), "{:?}", chains.problems);
    assert_eq!(
        chains.entries_checked,
        SCREENINGS * per_screening * 2,
        "every scan is in the log"
    );
}

/// A transaction outside Marquee takes a ticket's row lock, then asks for its screening's while
/// Marquee's scan holds the screening and waits for the ticket: a real deadlock. PostgreSQL
/// ends Marquee's side (its `deadlock_timeout` runs out first); Marquee runs the write again
/// and answers 200 `admitted` once the other transaction has committed.
async fn forced_deadlock(group_commit: bool) {
    let Some(app) = spawn_app_with(Backend::Postgres, |s| s.group_commit = group_commit).await
    else {
        return;
    };
    let f = app.fixture().await;
    let screening = app.screening_starting_in(&f, 20, "Petite").await;
    let (ticket, code, _) = app.ticket(&screening).await;

    let mut other = diesel::Connection::establish(&app.database_url).unwrap();
    let other: &mut diesel::PgConnection = &mut other;
    let other_pid = diesel_pid(other);
    other
        .batch_execute(&format!(
            "BEGIN; SET LOCAL deadlock_timeout = '30s';
             SELECT id FROM tickets WHERE id = '{ticket}' FOR UPDATE;"
        ))
        .unwrap();
    let scan = {
        let (client, api, token) = (app.client.clone(), app.api.clone(), app.door_token.clone());
        let body = json!({"code": code, "screening_id": screening, "door": "Door A", "nonce": "deadlock-1"});
        tokio::spawn(async move {
            let response = client
                .post(format!("{api}/scans"))
                .bearer_auth(token)
                .json(&body)
                .send()
                .await
                .unwrap();
            let status = response.status().as_u16();
            (status, response.json::<Value>().await.unwrap())
        })
    };
    // Wait until Marquee's write holds the screening and waits for the ticket.
    let mut waiting = false;
    for _ in 0..200 {
        let n = app.count(&format!(
            "SELECT COUNT(*) AS n FROM pg_stat_activity
             WHERE wait_event_type = 'Lock' AND datname = current_database()
               AND pid <> {other_pid}"
        ));
        if n > 0 {
            waiting = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    assert!(waiting, "Marquee's scan waits for the ticket's lock");
    let other_side = tokio::task::block_in_place(|| {
        other.batch_execute(&format!(
            "SELECT id FROM screenings WHERE id = '{screening}' FOR UPDATE; COMMIT;"
        ))
    });
    assert!(
        other_side.is_ok(),
        "the other transaction wins: {other_side:?}"
    );
    let (status, body) = scan.await.unwrap();
    assert_eq!(status, 200, "contention is retried, not answered: {body}");
    assert_eq!(body["verdict"], "admitted");
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) AS n FROM scans WHERE screening_id = '{screening}'"
        )),
        1,
        "the lost attempt left nothing behind"
    );
}

fn diesel_pid(conn: &mut diesel::PgConnection) -> i32 {
    use diesel::RunQueryDsl;
    #[derive(diesel::QueryableByName)]
    struct Pid {
        #[diesel(sql_type = diesel::sql_types::Integer)]
        pid: i32,
    }
    diesel::sql_query("SELECT pg_backend_pid() AS pid")
        .get_result::<Pid>(conn)
        .unwrap()
        .pid
}
