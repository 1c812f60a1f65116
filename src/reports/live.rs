//! The live dashboard: one report computation per change, shared by every viewer.
//!
//! An open dashboard follows the doors. Computing the report (and drawing its charts) for each
//! viewer at each change would cost viewers × changes; here each festival has one [`Festival`]
//! entry holding its latest report with a version number, and:
//!
//! - **one watcher per watched festival** — started by the first open event stream, ended after
//!   the last one closes — recomputes the report when a door admits someone to one of its
//!   screenings (the [`Hub`](crate::web::live::Hub)), at most once per [`MIN_GAP`] however
//!   busy the doors are (notifications arriving meanwhile are coalesced into the next
//!   computation), and every [`POLL`] otherwise: bookings, cancellations, changes made through
//!   other instances, doors closing;
//! - the version goes up only when a number changed ([`Report::same_numbers`]); each viewer's
//!   stream then sends `event: report` with it (and `event: totals` when the totals changed);
//! - the page then fetches the live parts (number tiles, charts, tables) as HTML, rendered once
//!   per version and language on the first request for them, and served from memory to every
//!   other viewer ([`Festival::fragment`]).
//!
//! HTML rendered here rather than data drawn by the page: the charts (SVG), the dates (CLDR) and
//! the plural-correct sentences (Fluent) are already the server's; a second renderer in
//! JavaScript would have to agree with them in three languages. A change costs one computation
//! and at most one rendering per language being viewed. Versions count per instance: behind a
//! load balancer a page may fetch once more than needed, never show older numbers.

use std::collections::HashMap;
use std::fmt::Write;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use actix_web::web as aweb;
use actix_web::web::Bytes;
use tokio::sync::{broadcast, watch};
use tokio::time::Instant;

use super::report::{self, Report};
use crate::db;
use crate::domain::{FestivalId, ScreeningId};
use crate::error::AppError;
use crate::i18n::Lang;
use crate::web::AppState;
use crate::web::metrics::Metrics;

/// The least time between two computations of a watched festival's report.
pub const MIN_GAP: Duration = Duration::from_secs(1);
/// How often a watched festival's report is recomputed when nothing was heard of a change.
pub const POLL: Duration = Duration::from_secs(2);
/// A comment line this often keeps an idle stream open through proxies (and lets the server
/// notice a viewer gone).
const KEEP_ALIVE: Duration = Duration::from_secs(15);

/// Every festival's live report on this instance (shared by all workers).
#[derive(Default)]
pub struct LiveReports {
    festivals: Mutex<HashMap<FestivalId, Arc<Festival>>>,
}

impl LiveReports {
    /// The live entry of a festival (created empty on first use).
    pub fn festival(&self, id: FestivalId) -> Arc<Festival> {
        self.festivals
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .entry(id)
            .or_insert_with(|| Arc::new(Festival::new(id)))
            .clone()
    }
}

/// A computed report and its version.
#[derive(Clone)]
pub struct Snapshot {
    /// Goes up by one each time a number of the report changes (from 1, per instance).
    pub version: u64,
    pub report: Arc<Report>,
    /// When the last computation that found these numbers began.
    checked: Instant,
}

/// The dashboard's live parts in one language, for one version: HTML, each part one element
/// with a `data-live` attribute naming it (the page swaps them by that name).
pub struct Fragment {
    pub version: u64,
    /// The number tiles.
    pub tiles: String,
    /// Everything under them that follows the doors: goal, rates, charts, tables.
    pub report: String,
}

/// One festival's live report.
pub struct Festival {
    id: FestivalId,
    /// The latest snapshot; each viewer's stream holds a receiver. Written only while
    /// `computing` is held.
    latest: watch::Sender<Option<Snapshot>>,
    /// One computation at a time: a request arriving during one waits for it and, when it
    /// began late enough, takes its result instead of computing again.
    computing: tokio::sync::Mutex<()>,
    /// Whether a watcher keeps `latest` current (some viewer's stream is open).
    watched: Mutex<bool>,
    /// The latest rendering of the live parts, by language.
    fragments: Mutex<HashMap<Lang, Arc<Fragment>>>,
}

/// The instant `age` ago (or the clock's first instant, early after start-up).
fn ago(age: Duration) -> Instant {
    let now = Instant::now();
    now.checked_sub(age).unwrap_or(now)
}

impl Festival {
    fn new(id: FestivalId) -> Festival {
        Festival {
            id,
            latest: watch::channel(None).0,
            computing: tokio::sync::Mutex::new(()),
            watched: Mutex::new(false),
            fragments: Mutex::new(HashMap::new()),
        }
    }

    /// The report as found by a computation that began at `since` or later: the latest one
    /// when it did, else a new one (which publishes a new version when a number changed).
    pub async fn report_since(
        &self,
        state: &AppState,
        since: Instant,
    ) -> Result<Snapshot, AppError> {
        let _one_at_a_time = self.computing.lock().await;
        let latest = self.latest.borrow().clone();
        if let Some(snapshot) = latest.as_ref().filter(|s| s.checked >= since) {
            return Ok(snapshot.clone());
        }
        let checked = Instant::now();
        let id = self.id;
        let report = db::run(&state.pool, move |conn| {
            report::festival_report(conn, id, chrono::Utc::now().naive_utc())
        })
        .await?;
        state.metrics.report_computed();
        // Same numbers, same version (its renderings stay valid); the report is still the newer
        // one, for its `generated_at`.
        let version = match latest {
            Some(same) if same.report.same_numbers(&report) => same.version,
            previous => previous.map_or(1, |s| s.version + 1),
        };
        let snapshot = Snapshot {
            version,
            report: Arc::new(report),
            checked,
        };
        self.latest.send_if_modified(|latest| {
            let changed = latest.as_ref().map(|s| s.version) != Some(snapshot.version);
            *latest = Some(snapshot.clone());
            changed
        });
        Ok(snapshot)
    }

    /// The report for a viewer's fetch: the latest while a watcher keeps it current, else one
    /// at most [`MIN_GAP`] old.
    pub async fn current(&self, state: &AppState) -> Result<Snapshot, AppError> {
        let watched = *self.watched.lock().unwrap_or_else(PoisonError::into_inner);
        // Cloned in its own statement: a borrow held across the computation would block the
        // channel's writer, on this very thread.
        let latest = self.latest.borrow().clone();
        match latest {
            Some(snapshot) if watched => Ok(snapshot),
            _ => self.report_since(state, ago(MIN_GAP)).await,
        }
    }

    /// The live parts of `snapshot` in `lang`: rendered by `render` if no viewer asked for them
    /// in that language yet, else from memory.
    pub fn fragment(
        &self,
        snapshot: &Snapshot,
        lang: Lang,
        metrics: &Metrics,
        render: impl FnOnce(&Report) -> Result<(String, String), AppError>,
    ) -> Result<Arc<Fragment>, AppError> {
        // Held while rendering: viewers asking at the same moment wait for this one rendering.
        let mut fragments = self
            .fragments
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if let Some(done) = fragments
            .get(&lang)
            .filter(|f| f.version >= snapshot.version)
        {
            return Ok(done.clone());
        }
        let (tiles, report) = crate::i18n::with(lang, || render(&snapshot.report))?;
        metrics.report_rendered(lang.code());
        let fragment = Arc::new(Fragment {
            version: snapshot.version,
            tiles,
            report,
        });
        fragments.insert(lang, fragment.clone());
        Ok(fragment)
    }

    /// A viewer's stream of snapshots; starts the festival's watcher when none runs.
    pub fn watch(
        self: &Arc<Self>,
        state: aweb::Data<AppState>,
    ) -> watch::Receiver<Option<Snapshot>> {
        let mut watched = self.watched.lock().unwrap_or_else(PoisonError::into_inner);
        let receiver = self.latest.subscribe();
        if !*watched {
            *watched = true;
            let festival = self.clone();
            actix_web::rt::spawn(async move { festival.keep_current(&state).await });
        }
        receiver
    }

    /// The watcher: recomputes on a change heard through the hub (coalesced, [`MIN_GAP`] apart)
    /// or every [`POLL`], until no viewer is left.
    async fn keep_current(&self, state: &AppState) {
        let mut changes = state.hub.subscribe();
        loop {
            let last = self.latest.borrow().as_ref().map(|s| s.checked);
            {
                // Decided under the same lock `watch` takes: a viewer arriving now either sees
                // this watcher still running or starts the next one.
                let mut watched = self.watched.lock().unwrap_or_else(PoisonError::into_inner);
                if self.latest.receiver_count() == 0 {
                    *watched = false;
                    return;
                }
            }
            let poll_at = last.map_or_else(Instant::now, |at| at + POLL);
            let heard = tokio::select! {
                () = self.changed_screening(&mut changes) => true,
                () = tokio::time::sleep_until(poll_at) => false,
            };
            let since = Instant::now();
            if heard {
                if let Some(last) = last {
                    tokio::time::sleep_until(last + MIN_GAP).await;
                }
                // Whatever else was heard meanwhile, the computation below sees.
                while changes.try_recv().is_ok() {}
            }
            if let Err(error) = self.report_since(state, since).await {
                tracing::warn!(festival = %self.id, %error, "cannot compute the live report");
                tokio::time::sleep(POLL).await;
            }
        }
    }

    /// Returns when the hub says one of the festival's screenings changed (or that it missed
    /// messages, which may have been about them).
    async fn changed_screening(&self, changes: &mut broadcast::Receiver<ScreeningId>) {
        loop {
            match changes.recv().await {
                Ok(screening) if self.shows(screening) => return,
                Ok(_) => {}
                Err(broadcast::error::RecvError::Lagged(_)) => return,
                // The hub lives as long as the server: only the poll is left.
                Err(broadcast::error::RecvError::Closed) => std::future::pending().await,
            }
        }
    }

    /// Whether the latest report lists `screening` (a screening created since is found by the
    /// next poll).
    fn shows(&self, screening: ScreeningId) -> bool {
        self.latest
            .borrow()
            .as_ref()
            .is_some_and(|s| s.report.by_screening.iter().any(|l| l.id == screening))
    }
}

/// A viewer's Server-Sent Events: at once and at each new version, `event: totals` (data: the
/// totals as JSON) when the totals changed, then `event: report` (data: `{"version": n}`).
pub fn stream(receiver: watch::Receiver<Option<Snapshot>>) -> crate::web::live::Events {
    struct Viewer {
        receiver: watch::Receiver<Option<Snapshot>>,
        version: u64,
        totals: Option<report::Totals>,
    }
    let viewer = Viewer {
        receiver,
        version: 0,
        totals: None,
    };
    let events = futures_util::stream::unfold(viewer, |mut viewer| async move {
        loop {
            let latest = viewer.receiver.borrow_and_update().clone();
            if let Some(snapshot) = latest.filter(|s| s.version != viewer.version) {
                let mut events = String::new();
                let totals = &snapshot.report.totals;
                if viewer.totals.as_ref() != Some(totals) {
                    let json = serde_json::to_string(totals).unwrap_or_default();
                    let _ = write!(events, "event: totals\ndata: {json}\n\n");
                    viewer.totals = Some(totals.clone());
                }
                let _ = write!(
                    events,
                    "event: report\ndata: {{\"version\":{}}}\n\n",
                    snapshot.version
                );
                viewer.version = snapshot.version;
                return Some((Ok::<_, actix_web::Error>(Bytes::from(events)), viewer));
            }
            tokio::select! {
                changed = viewer.receiver.changed() => if changed.is_err() { return None },
                () = tokio::time::sleep(KEEP_ALIVE) => {
                    return Some((Ok(Bytes::from_static(b": keep-alive\n\n")), viewer));
                }
            }
        }
    });
    Box::pin(events)
}
