//! Words of the organiser pages that belong to the organiser's features: a festival's days, a
//! waiting-list entry's state (the words every page shares are in [`crate::web::show`]).

use crate::booking::waitlist::EntryStatus;
use crate::i18n::{dates, t};

/// The festival's days, "12 – 19 December 2025".
pub fn festival_dates(f: &crate::catalogue::queries::Festival) -> String {
    dates::range(f.starts_on, f.ends_on)
}

/// The state of a waiting-list entry.
pub fn entry_status(status: EntryStatus) -> String {
    t(match status {
        EntryStatus::Waiting => "admin-entry-status-waiting",
        EntryStatus::Offered => "admin-entry-status-offered",
        EntryStatus::Claimed => "admin-entry-status-claimed",
        EntryStatus::Expired => "admin-entry-status-expired",
        EntryStatus::Left => "admin-entry-status-left",
        EntryStatus::Removed => "admin-entry-status-removed",
    })
}
