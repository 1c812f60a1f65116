//! A background task of an instance: a thread that runs `work` after each wait, until the handle
//! is dropped (the waiting-list and pass-release sweepers, the retention sweeper, the attendance
//! projector).

use std::sync::mpsc::{self, RecvTimeoutError, Sender};
use std::thread::{self, JoinHandle};
use std::time::Duration;

/// A running task; dropping it stops the thread at its next wake-up.
pub struct Periodic {
    stop: Sender<()>,
    thread: JoinHandle<()>,
}

impl Periodic {
    /// Stops the thread after the run in progress, if any, and hands it back to be joined
    /// ([`join_all`]).
    pub fn stop(self) -> JoinHandle<()> {
        let Periodic { stop, thread } = self;
        drop(stop);
        thread
    }
}

/// Waits for `threads` to finish, for `patience` at most; says which did not (a shutdown then
/// goes on: what they were doing is in the database or will be done again at the next start).
pub fn join_all(threads: Vec<JoinHandle<()>>, patience: Duration) {
    let deadline = std::time::Instant::now() + patience;
    while threads.iter().any(|t| !t.is_finished()) && std::time::Instant::now() < deadline {
        thread::sleep(Duration::from_millis(10));
    }
    for thread in threads {
        if thread.is_finished() {
            if thread.join().is_err() {
                tracing::error!("a background thread had panicked");
            }
        } else {
            let name = thread.thread().name().unwrap_or("unnamed").to_owned();
            tracing::warn!(thread = name, "a background thread did not stop in time");
        }
    }
}

/// Starts `work` on a thread named `name`: it waits `first` (at least a millisecond), runs, and
/// waits whatever the run returns before the next.
pub fn every(
    name: &str,
    first: Duration,
    mut work: impl FnMut() -> Duration + Send + 'static,
) -> std::io::Result<Periodic> {
    let (stop, stopped) = mpsc::channel::<()>();
    let thread = thread::Builder::new()
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
    Ok(Periodic { stop, thread })
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
