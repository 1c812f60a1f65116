//! What every page's chrome (the layout every template extends) asks of the request: the
//! language links, and whether the navigation shows the staff links. Decided by the
//! [`super::lang`] middleware; read here by templates of any feature (this file imports nothing
//! of the web layer, so the error pages can use the layout too).

use std::future::Future;

use crate::domain::Role;
use crate::i18n::{self, Lang};

tokio::task_local! {
    static STAFF_CHROME: Option<Role>;
}

/// Runs `inner` with the navigation's staff links for `role` (none for a visitor).
pub(super) fn scope<F: Future>(role: Option<Role>, inner: F) -> impl Future<Output = F::Output> {
    STAFF_CHROME.scope(role, inner)
}

/// Whether the page's navigation shows the staff links (Door, Staff): only for a visitor signed
/// in as staff. The routes themselves check roles; this only keeps the public navigation public
/// and offers each person the places they may go.
pub fn staff_chrome() -> bool {
    STAFF_CHROME.try_with(Option::is_some).unwrap_or(false)
}

/// Whether the navigation offers the organisers' pages (door staff would meet a 403 there).
pub fn organiser_chrome() -> bool {
    STAFF_CHROME
        .try_with(|role| *role == Some(Role::Organiser))
        .unwrap_or(false)
}

/// The page chrome's language links: each keeps the page and switches the language.
pub fn switcher() -> Vec<(Lang, bool)> {
    let current = i18n::current();
    Lang::ALL
        .into_iter()
        .map(|lang| (lang, lang == current))
        .collect()
}
