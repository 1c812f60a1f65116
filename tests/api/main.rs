//! Marquee's integration tests: the real server, over HTTP, on SQLite and on PostgreSQL.
//!
//! Each behaviour is written once as `async fn name(app: TestApp)` and run on both backends by
//! `on_both_backends!`, giving `feature::sqlite::name` and `feature::postgres::name`. The
//! PostgreSQL variants skip with a note unless `TEST_DATABASE_URL` is set.

/// Runs each listed `async fn(TestApp)` on SQLite and on PostgreSQL.
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    let app = crate::helpers::spawn_app(crate::helpers::Backend::Sqlite)
                        .await
                        .expect("SQLite needs nothing installed");
                    super::$name(app).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    if let Some(app) =
                        crate::helpers::spawn_app(crate::helpers::Backend::Postgres).await
                    {
                        super::$name(app).await;
                    }
                }
            )*
        }
    };
}

mod accessibility;
mod admin;
mod backup;
mod booking;
mod browser;
mod cancelling;
mod catalogue;
mod crash;
mod csrf;
mod demo;
mod door;
mod door_page;
mod errors;
mod fail_closed;
mod forms;
mod hardening;
mod helpers;
mod hostile;
mod https;
mod idempotency;
mod instances;
mod keys;
mod languages;
mod limits;
#[macro_use]
mod mail;
mod accounts;
mod migrations;
mod offline;
mod openapi;
mod passes;
mod plans;
mod privacy;
mod programme;
mod projection;
mod proxy;
mod reports;
mod roles;
// The rolling restart behind Caddy, shared with its benchmark (and the process helpers).
#[path = "../../benches/support/rolling.rs"]
#[expect(
    dead_code,
    reason = "the benchmark's plain-HTTP front is not used by the tests"
)]
mod rolling;
mod staff;
mod standby;
mod team;
mod tickets;
mod upgrade;
mod waitlist;
mod writer;
