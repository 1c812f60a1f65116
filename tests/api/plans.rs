//! The writer searches growing tables by lists, once per batch: the earlier answers to a
//! batch's nonces, the pseudonyms of its bookers, the attendees the projector counts. Those
//! searches must go through the index by the listed values whatever the table's statistics — on a festival's first rush the tables grow
//! from empty faster than PostgreSQL analyses them, and a plan made when they held a handful of
//! rows (by the single value alone, then filtering the list) read a device's every scan for each
//! batch. Checked on the plan each database chooses, for the statements the writer runs, with
//! the table grown and never analysed, a cached plan given every chance to form.

use diesel::connection::SimpleConnection;
use diesel::prelude::*;

use crate::helpers::TestApp;

on_both_backends!(
    a_batch_finds_its_nonces_by_the_index_on_a_log_never_analysed,
    a_batch_finds_its_bookers_by_the_index_on_a_table_never_analysed,
    the_projector_finds_its_attendees_by_the_index_on_a_table_never_analysed,
);

#[derive(QueryableByName)]
struct PlanLine {
    #[diesel(sql_type = diesel::sql_types::Text)]
    line: String,
}

/// The plan chosen for `query` — `… WHERE [{column} = $1 AND] {listed} = ANY($2)` — run as the
/// writer runs it, once `grow` has filled the table: on PostgreSQL in a transaction, inside
/// `marquee::db::planned_for_values`, as a prepared statement executed often enough for a generic
/// plan to be cached while the table was nearly empty (as on a festival's first rush), then
/// planned again after `grow`; on SQLite with the list written `IN (…)`.
fn plan(app: &TestApp, grow: &str, query: &str, value: &str, list: &[&str]) -> String {
    let mut conn = app.pool.get().unwrap();
    let conn: &mut marquee::db::AnyConnection = &mut conn;
    let quoted: Vec<String> = list.iter().map(|v| format!("'{v}'")).collect();
    match conn {
        marquee::db::AnyConnection::Sqlite(lite) => {
            lite.batch_execute(grow).unwrap();
            let query = query
                .replace("$1", &format!("'{value}'"))
                .replace("= ANY($2)", &format!("IN ({})", quoted.join(", ")));
            diesel::sql_query(format!("EXPLAIN QUERY PLAN {query}"))
                .load::<PlanRow>(lite)
                .unwrap()
                .into_iter()
                .map(|r| r.detail)
                .collect::<Vec<_>>()
                .join("\n")
        }
        marquee::db::AnyConnection::Postgresql(_) => conn
            .transaction::<_, diesel::result::Error, _>(|conn| {
                let args = format!("'{value}', ARRAY[{}]", quoted.join(", "));
                conn.batch_execute(&format!("PREPARE lookup(text, text[]) AS {query}"))?;
                let lines = marquee::db::planned_for_values(conn, |conn| {
                    for _ in 0..8 {
                        conn.batch_execute(&format!("EXECUTE lookup({args})"))?;
                    }
                    conn.batch_execute(grow)?;
                    diesel::sql_query(format!("EXPLAIN EXECUTE lookup({args})"))
                        .load::<PgPlanLine>(conn)
                })?;
                conn.batch_execute("DEALLOCATE lookup")?;
                // Nothing after the lookup is planned differently.
                let mode = diesel::sql_query("SELECT current_setting('plan_cache_mode') AS line")
                    .get_result::<PlanLine>(conn)?;
                assert_eq!(mode.line, "auto");
                Ok(lines
                    .into_iter()
                    .map(|l| l.plan)
                    .collect::<Vec<_>>()
                    .join("\n"))
            })
            .unwrap(),
    }
}

/// One text value read straight from the database.
fn text(app: &TestApp, sql: &str) -> String {
    let mut conn = app.pool.get().unwrap();
    diesel::sql_query(sql)
        .get_result::<PlanLine>(&mut conn)
        .unwrap()
        .line
}

#[derive(QueryableByName)]
struct PlanRow {
    #[diesel(sql_type = diesel::sql_types::Text)]
    detail: String,
}

#[derive(QueryableByName)]
struct PgPlanLine {
    #[diesel(sql_type = diesel::sql_types::Text, column_name = "QUERY PLAN")]
    plan: String,
}

/// Whether `plan` searches the index by the listed column (PostgreSQL: an index condition on it,
/// nothing filtered afterwards, no table scan; SQLite: a search by both columns).
fn searched_by(plan: &str, listed: &str) -> bool {
    let postgres = plan
        .lines()
        .any(|line| line.contains("Index Cond") && line.contains(&format!("{listed} = ANY")))
        && !plan.contains("Filter")
        && !plan.contains("Seq Scan");
    let sqlite = plan.contains("SEARCH") && plan.contains(&format!("{listed}=?"));
    postgres || sqlite
}

async fn a_batch_finds_its_nonces_by_the_index_on_a_log_never_analysed(app: TestApp) {
    // One device's 3,000 entries, written straight into the log (as a night's scans would be).
    let fixture = app.fixture().await;
    let screening = app
        .screening_starting_in(&fixture, 10, "Grande Salle")
        .await;
    let (_, code, _) = app.ticket(&screening).await;
    let answer = app.scan(&code, &screening).await;
    assert_eq!(answer["verdict"], "admitted", "{answer}");
    let staff = text(&app, "SELECT staff_id AS line FROM scans LIMIT 1");
    // One device's 3,000 entries more (as a night's scans would be), never analysed.
    let grow = format!(
        "INSERT INTO scans (id, screening_id, seq, kind, verdict, reason, ticket_id, scanned, door, \
         staff_id, nonce, client_time, server_time, admitted_count, first_admitted_at, \
         first_admitted_door, conflict, prev_hash, hash, request_digest) \
         SELECT 'e' || n.n, s.screening_id, s.seq + n.n, s.kind, s.verdict, s.reason, NULL, \
         s.scanned, s.door, s.staff_id, 'nonce-' || n.n, NULL, s.server_time, s.admitted_count, \
         NULL, NULL, s.conflict, s.prev_hash, s.hash, NULL FROM scans s, ({}) n",
        series(3000)
    );
    let plan = plan(
        &app,
        &grow,
        "SELECT id FROM scans WHERE staff_id = $1 AND nonce = ANY($2)",
        &staff,
        &["nonce-7", "nonce-2999", "absent"],
    );
    assert!(
        searched_by(&plan, "nonce"),
        "the nonces are searched in the index, not filtered:\n{plan}"
    );
}

async fn a_batch_finds_its_bookers_by_the_index_on_a_table_never_analysed(app: TestApp) {
    let fixture = app.fixture().await;
    let (status, _) = app
        .book(&fixture.screening_id, 1, "first@example.org")
        .await;
    assert_eq!(status, 201);
    let festival = text(&app, "SELECT festival_id AS line FROM people LIMIT 1");
    // 3,000 people more in the festival, never analysed.
    let grow = format!(
        "INSERT INTO people (id, festival_id, email_key, created_at) \
         SELECT 'p' || n.n, p.festival_id, 'key-' || n.n, p.created_at FROM people p, ({}) n",
        series(3000)
    );
    // Searched by the keys alone (`db::people::resolve`), the festival checked afterwards: a
    // search naming the festival too was planned as a read of the festival's every person when
    // its statistics said it had a handful.
    let plan = plan(
        &app,
        &grow,
        "SELECT id, festival_id FROM people WHERE email_key = ANY($2)",
        &festival,
        &["key-7", "key-2999", "absent"],
    );
    assert!(
        searched_by(&plan, "email_key"),
        "the e-mail keys are searched in the index, not filtered:\n{plan}"
    );
}

async fn the_projector_finds_its_attendees_by_the_index_on_a_table_never_analysed(app: TestApp) {
    let fixture = app.fixture().await;
    let festival = text(&app, "SELECT festival_id AS line FROM screenings LIMIT 1");
    // 3,000 attendees of the festival, never analysed.
    let grow = format!(
        "INSERT INTO attendees (festival_id, person_id, admitted_tickets, counted_screening_id, \
         counted_country) SELECT '{festival}', 'p' || n.n, 1, '{}', 'FR' FROM ({}) n",
        fixture.screening_id,
        series(3000)
    );
    // By the people's ids alone (`db::tallies`), the festival checked afterwards.
    let plan = plan(
        &app,
        &grow,
        "SELECT person_id, festival_id FROM attendees WHERE person_id = ANY($2) \
         ORDER BY festival_id, person_id",
        &festival,
        &["p7", "p2999", "absent"],
    );
    assert!(
        searched_by(&plan, "person_id"),
        "the people are searched in the index, not filtered:\n{plan}"
    );
}

/// `SELECT n` for n in 1..=count, on either database.
fn series(count: u32) -> String {
    format!(
        "WITH RECURSIVE n(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM n WHERE n < {count}) \
         SELECT n FROM n"
    )
}
