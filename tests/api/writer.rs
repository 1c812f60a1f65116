//! The group-commit writer on PostgreSQL commits each screening's part of a batch on its own: a
//! part that fails (here a write that panics) is undone and answered alone, while the batch's
//! other screenings commit and are answered with their own results.

use std::time::Duration;

use diesel::prelude::*;
use marquee::db::Lock;
use marquee::db::writer::Writer;
use marquee::domain::ScreeningId;
use marquee::i18n::Lang;

use crate::helpers::{Backend, spawn_app};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_a_failing_screening_part_leaves_the_batch_s_other_screenings_committed() {
    let Some(app) = spawn_app(Backend::Postgres).await else {
        return;
    };
    let f = app.fixture().await;
    // A writer of its own on the app's database: one thread, so the writes below share batches.
    let writer =
        Writer::start(app.pool.clone(), 1, marquee::db::Backend::Postgres).expect("a writer");
    let screening = |n: u128| Lock::Screening(ScreeningId(uuid::Uuid::from_u128(n)));
    // The writer is kept busy while the next writes queue, so they meet in one batch.
    let busy = writer.write(screening(1), Lang::En, |_| {
        std::thread::sleep(Duration::from_millis(300));
        Ok(())
    });
    let failing = writer.write(screening(2), Lang::En, |_| -> Result<(), _> {
        panic!("a write that fails its part of the batch")
    });
    let festival = f.festival_id.clone();
    let renaming = writer.write(screening(3), Lang::En, move |tx| {
        diesel::sql_query("UPDATE festivals SET name = 'Renamed by the batch' WHERE id = $1")
            .bind::<diesel::sql_types::Text, _>(&festival)
            .execute(tx.conn)
            .map_err(marquee::error::AppError::from)
    });
    let (busy, failing, renaming) = tokio::join!(
        busy,
        async {
            tokio::time::sleep(Duration::from_millis(50)).await;
            failing.await
        },
        async {
            tokio::time::sleep(Duration::from_millis(50)).await;
            renaming.await
        }
    );
    assert!(busy.is_ok(), "the first batch committed");
    assert!(
        failing.is_err(),
        "the panicking write is answered with an error"
    );
    let (renamed, _) = renaming.expect("the other screening's part committed");
    assert_eq!(renamed, 1);
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) AS n FROM festivals WHERE id = '{}' AND name = 'Renamed by the batch'",
            f.festival_id
        )),
        1
    );
}
