//! What every page's chrome (the layout every template extends) asks of the request: the
//! language links, and whether the navigation shows the staff links. Decided by the
//! [`super::lang`] middleware; read here by templates of any feature (this file imports nothing
//! of the web layer, so the error pages can use the layout too).

use std::future::Future;

use crate::i18n::{self, Lang};

tokio::task_local! {
    static STAFF_CHROME: bool;
}

/// Runs `inner` with the navigation's staff links shown or not.
pub(super) fn scope<F: Future>(staff: bool, inner: F) -> impl Future<Output = F::Output> {
    STAFF_CHROME.scope(staff, inner)
}

/// Whether the page's navigation shows the staff links (Door, Organise, Staff): only for a
/// visitor who carries a staff session. The routes themselves check roles; this only keeps the
/// public navigation public.
pub fn staff_chrome() -> bool {
    STAFF_CHROME.try_with(|s| *s).unwrap_or(false)
}

/// The page chrome's language links: each keeps the page and switches the language.
pub fn switcher() -> Vec<(Lang, bool)> {
    let current = i18n::current();
    Lang::ALL
        .into_iter()
        .map(|lang| (lang, lang == current))
        .collect()
}
