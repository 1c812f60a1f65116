//! Screenings as the door reads them, remembered for a moment.
//!
//! Every scan needs the screening its door admits for (with film and venue, for the answer) and,
//! at a venue door, the venue's screenings of the day. Read from the database, those are two joins
//! per scan — most of a scan's cost once the write itself is set-based. They change rarely, and
//! what a scan must see fresh is read again under the screening's lock anyway (status, times,
//! counters: see `door::record`). So the door reads them here: remembered by the instance
//! ([`Catalogue`], one of its [`crate::web::memory`]s) for [`FRESH_FOR`], and forgotten at once
//! when a write through this instance changes the catalogue; a change made by another instance is
//! seen within [`FRESH_FOR`].

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use chrono::NaiveDateTime;

use super::queries::{self, ScreeningListing};
use crate::db::AnyConnection;
use crate::domain::{ScreeningId, VenueId};
use crate::error::AppError;
use crate::web::memory::{Changed, Remembers};

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
    entries: Mutex<HashMap<K, Entry<T>>>,
}

impl<K, T> Default for Remembered<K, T> {
    fn default() -> Self {
        Remembered {
            entries: Mutex::new(HashMap::new()),
        }
    }
}

impl<K: Eq + Hash, T: Clone> Remembered<K, T> {
    fn lock(&self) -> MutexGuard<'_, HashMap<K, Entry<T>>> {
        // A panic while holding the lock leaves a map that is still whole.
        self.entries
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn get(&self, key: &K, generation: u64) -> Option<T> {
        let entries = self.lock();
        let entry = entries.get(key)?;
        (entry.read_at.elapsed() < FRESH_FOR && entry.generation == generation)
            .then(|| entry.value.clone())
    }

    /// Reads through `read` and remembers the result (as of `generation`, taken before the read,
    /// so that a change made meanwhile makes it stale at once).
    fn read(
        &self,
        key: K,
        generation: u64,
        read: impl FnOnce() -> Result<T, AppError>,
    ) -> Result<T, AppError> {
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

/// What an instance remembers of the catalogue for its doors.
#[derive(Default)]
pub struct Catalogue {
    /// Bumped by every write through this instance that changes the catalogue: what was read
    /// before is read again.
    generation: AtomicU64,
    screenings: Remembered<ScreeningId, Option<Arc<ScreeningListing>>>,
    venues: Remembered<VenueId, Option<Arc<VenueDay>>>,
}

impl Catalogue {
    fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }
}

impl Remembers for Catalogue {
    fn forget(&self, changed: &Changed) {
        if changed.catalogue {
            self.generation.fetch_add(1, Ordering::AcqRel);
        }
    }
}

/// Where the door's readings come from: an instance's memory only (on an HTTP worker, which must
/// not wait for the database), or its memory then the database.
pub enum Source<'a> {
    Memory(&'a Catalogue),
    Database(&'a Catalogue, &'a mut AnyConnection),
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
        let memory = self.memory();
        let generation = memory.generation();
        if let Some(found) = memory.screenings.get(&id, generation) {
            return Ok(found);
        }
        match self {
            Source::Memory(_) => Err(Lookup::NotRemembered),
            Source::Database(memory, conn) => Ok(memory.screenings.read(id, generation, || {
                Ok(queries::screening_listing(conn, id)?.map(Arc::new))
            })?),
        }
    }

    fn memory(&self) -> &Catalogue {
        match self {
            Source::Memory(memory) | Source::Database(memory, _) => memory,
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
        let memory = self.memory();
        let generation = memory.generation();
        if let Some(found) = memory.venues.get(&venue, generation).filter(near) {
            return Ok(found);
        }
        match self {
            Source::Memory(_) => Err(Lookup::NotRemembered),
            Source::Database(memory, conn) => Ok(memory.venues.read(venue, generation, || {
                Ok(venue_day(conn, venue, now)?.map(Arc::new))
            })?),
        }
    }
}
