//! A background task of an instance: a thread that runs `work` after each wait, until the handle
//! is dropped (the waiting-list and pass-release sweepers, the retention sweeper, the attendance
//! projector).

use std::sync::mpsc::{self, RecvTimeoutError, Sender};
use std::thread;
use std::time::Duration;

/// A running task; dropping it stops the thread at its next wake-up.
pub struct Periodic {
    _stop: Sender<()>,
}

/// Starts `work` on a thread named `name`: it waits `first` (at least a millisecond), runs, and
/// waits whatever the run returns before the next.
pub fn every(
    name: &str,
    first: Duration,
    mut work: impl FnMut() -> Duration + Send + 'static,
) -> std::io::Result<Periodic> {
    let (stop, stopped) = mpsc::channel::<()>();
    thread::Builder::new()
        .name(name.to_owned())
        .spawn(move || {
            let mut wait = first;
            loop {
                match stopped.recv_timeout(wait.max(Duration::from_millis(1))) {
                    Err(RecvTimeoutError::Timeout) => {}
                    Ok(()) | Err(RecvTimeoutError::Disconnected) => return,
                }
                wait = work();
            }
        })?;
    Ok(Periodic { _stop: stop })
}

/// A sweep of the database every `interval` on a thread named `name`: `work` runs on a pooled
/// connection; a pass that fails (a lost race with another instance's sweep, a busy database) is
/// logged as `what` and tried again at the next.
pub fn sweep_every<T>(
    name: &str,
    what: &'static str,
    pool: super::DbPool,
    interval: Duration,
    work: impl Fn(&mut super::AnyConnection) -> Result<T, crate::error::AppError> + Send + 'static,
) -> std::io::Result<Periodic> {
    every(name, interval, move || {
        let result = pool
            .get()
            .map_err(crate::error::AppError::pool)
            .and_then(|mut conn| work(&mut conn));
        if let Err(error) = result {
            tracing::warn!(%error, "{what} failed; retrying at the next pass");
        }
        interval
    })
}
