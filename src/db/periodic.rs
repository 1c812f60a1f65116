//! A background task of an instance: a thread that runs `work` after each wait, until the handle
//! is dropped (the waiting-list sweeper, the retention sweeper, the attendance projector).

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
