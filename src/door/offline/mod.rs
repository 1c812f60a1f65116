//! What a door needs to keep admitting without the network, and what happens when it is back.
//!
//! - The **bundle** (`GET /api/v1/door/bundle`): the public keys and the screenings of a door
//!   with every ticket (id, screening, status, admitted_at, holder, category), so a device can
//!   verify a code's signature and decide alone. Answered with an `ETag` over its content, so a
//!   device refreshing it while online gets `304 Not Modified` when nothing changed.
//! - **Sync** (`POST /api/v1/scans/sync`): the scans a device decided offline, applied in
//!   `scanned_at` order through the same rule and the same admit-once statement as online scans,
//!   idempotent by nonce (a batch sent twice changes nothing). When the device let someone in but
//!   the server cannot — the ticket was admitted first at another door, was cancelled, or is not
//!   genuine — the scan is kept in the hash-chained log as a **conflict**, with both doors and
//!   times, for organisers to see (`GET /api/v1/festivals/{id}/conflicts`, the report's
//!   `totals.conflicts`).

pub mod bundle;
pub mod conflicts;
pub mod sync;

use actix_web::web as aweb;

use crate::web::limits::{Limited, per_client};

pub fn routes(cfg: &mut aweb::ServiceConfig) {
    cfg.route("/api/v1/door/bundle", aweb::get().to(bundle::bundle))
        .service(
            aweb::resource("/api/v1/scans/sync")
                .app_data(aweb::PayloadConfig::new(SYNC_BODY_BYTES))
                .app_data(crate::web::BodyLimit(SYNC_BODY_BYTES))
                .route(aweb::post().to(sync::sync).wrap(per_client(Limited::Scan))),
        )
        .route(
            "/api/v1/festivals/{id}/conflicts",
            aweb::get().to(conflicts::conflicts),
        );
}

/// The most scans one sync request may carry (a device sends its queue in pieces).
pub const MAX_SYNC: usize = 500;

/// The largest sync body: [`MAX_SYNC`] scans of 2 KiB each, more than the longest scan the limits
/// allow (a 1,024-character code, a 60-character door, a 100-character nonce, two ids, a time, in
/// JSON) — real ones are 300–400 bytes.
pub const SYNC_BODY_BYTES: usize = MAX_SYNC * 2048;
