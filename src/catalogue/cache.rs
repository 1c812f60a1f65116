//! Screenings as the door reads them, remembered for a moment.
//!
//! Every scan needs the screening its door admits for (with film and venue, for the answer) and,
//! at a venue door, the venue's screenings of the day. Read from the database, those are two joins
//! per scan — most of a scan's cost once the write itself is set-based. They change rarely, and
//! what a scan must see fresh is read again under the screening's lock anyway (status, times,
//! counters: see `door::record`). So the door reads them here: remembered for [`FRESH_FOR`], and
//! forgotten at once when this instance changes the catalogue ([`queries::changed`]); a change
//! made by another instance is seen within [`FRESH_FOR`].

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::{Arc, LazyLock, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use chrono::NaiveDateTime;

use super::queries::{self, ScreeningListing};
use crate::db::AnyConnection;
use crate::domain::{ScreeningId, VenueId};
use crate::error::AppError;

/// How long a reading is used before it is read again.
pub const FRESH_FOR: Duration = Duration::from_secs(1);

/// Beyond this many entries, a map is emptied (it only ever holds what doors scan for).
const LIMIT: usize = 4096;

/// A venue's scheduled screenings starting within a day either side of `around`.
#[derive(Debug, Clone)]
pub struct VenueDay {
    pub around: NaiveDateTime,
    pub screenings: Vec<Arc<ScreeningListing>>,
}

/// The window of [`VenueDay`]: doors open at most a day before, close at most a day after.
pub fn venue_day(
    conn: &mut AnyConnection,
    venue: VenueId,
    around: NaiveDateTime,
) -> Result<Option<VenueDay>, AppError> {
    if queries::venue(conn, venue)?.is_none() {
        return Ok(None);
    }
    let screenings = queries::scheduled_screenings_between(
        conn,
        Some(venue),
        around - chrono::Duration::days(1),
        around + chrono::Duration::days(1),
        200,
    )?;
    Ok(Some(VenueDay {
        around,
        screenings: screenings.into_iter().map(Arc::new).collect(),
    }))
}

struct Entry<T> {
    read_at: Instant,
    generation: u64,
    value: T,
}

/// One kind of reading, by key.
struct Remembered<K, T> {
    entries: LazyLock<Mutex<HashMap<K, Entry<T>>>>,
}

impl<K: Eq + Hash, T: Clone> Remembered<K, T> {
    const fn new() -> Self {
        Remembered {
            entries: LazyLock::new(|| Mutex::new(HashMap::new())),
        }
    }

    fn lock(&self) -> MutexGuard<'_, HashMap<K, Entry<T>>> {
        // A panic while holding the lock leaves a map that is still whole.
        self.entries.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn get(&self, key: &K) -> Option<T> {
        let entries = self.lock();
        let entry = entries.get(key)?;
        (entry.read_at.elapsed() < FRESH_FOR && entry.generation == queries::generation())
            .then(|| entry.value.clone())
    }

    /// Reads through `read` and remembers the result (as of the generation before the read, so
    /// that a change made meanwhile makes it stale at once).
    fn read(&self, key: K, read: impl FnOnce() -> Result<T, AppError>) -> Result<T, AppError> {
        let generation = queries::generation();
        let read_at = Instant::now();
        let value = read()?;
        let mut entries = self.lock();
        if entries.len() >= LIMIT {
            entries.clear();
        }
        entries.insert(
            key,
            Entry {
                read_at,
                generation,
                value: value.clone(),
            },
        );
        Ok(value)
    }
}

static SCREENINGS: Remembered<ScreeningId, Option<Arc<ScreeningListing>>> = Remembered::new();
static VENUES: Remembered<VenueId, Option<Arc<VenueDay>>> = Remembered::new();

/// Where the door's readings come from: memory only (on an HTTP worker, which must not wait for
/// the database), or memory then the database.
pub enum Source<'a> {
    Memory,
    Database(&'a mut AnyConnection),
}

/// A reading that memory alone could not give: ask again with [`Source::Database`].
#[derive(Debug)]
pub enum Lookup {
    NotRemembered,
    Failed(AppError),
}

impl From<AppError> for Lookup {
    fn from(error: AppError) -> Lookup {
        Lookup::Failed(error)
    }
}

/// For a reading made with [`Source::Database`], which never answers "not remembered".
impl From<Lookup> for AppError {
    fn from(lookup: Lookup) -> AppError {
        match lookup {
            Lookup::Failed(error) => error,
            Lookup::NotRemembered => AppError::internal(anyhow::anyhow!(
                "a reading from the database was not remembered"
            )),
        }
    }
}

impl Source<'_> {
    /// The screening with its film and venue (`None`: there is no such screening).
    pub fn screening(&mut self, id: ScreeningId) -> Result<Option<Arc<ScreeningListing>>, Lookup> {
        if let Some(found) = SCREENINGS.get(&id) {
            return Ok(found);
        }
        match self {
            Source::Memory => Err(Lookup::NotRemembered),
            Source::Database(conn) => Ok(SCREENINGS.read(id, || {
                Ok(queries::screening_listing(conn, id)?.map(Arc::new))
            })?),
        }
    }

    /// The venue's screenings around `now` (`None`: there is no such venue). Remembered readings
    /// are used only for (about) the same moment: an offline upload of scans made hours ago reads
    /// its own.
    pub fn venue_day(
        &mut self,
        venue: VenueId,
        now: NaiveDateTime,
    ) -> Result<Option<Arc<VenueDay>>, Lookup> {
        let near = |day: &Option<Arc<VenueDay>>| {
            day.as_ref().is_none_or(|d| {
                (now - d.around).abs() < chrono::Duration::from_std(FRESH_FOR).unwrap_or_default()
            })
        };
        if let Some(found) = VENUES.get(&venue).filter(near) {
            return Ok(found);
        }
        match self {
            Source::Memory => Err(Lookup::NotRemembered),
            Source::Database(conn) => {
                Ok(VENUES.read(venue, || Ok(venue_day(conn, venue, now)?.map(Arc::new)))?)
            }
        }
    }
}
