//! What every page's chrome (the layout every template extends) asks of the request: the
//! language links, and whether the navigation shows the staff links. Decided by the
//! [`super::lang`] middleware; read here by templates of any feature (this file imports nothing
//! of the web layer, so the error pages can use the layout too).

use std::future::Future;

use crate::domain::Role;
use crate::i18n::{self, Lang};

/// What the layout shows around a page for this request.
#[derive(Debug, Clone, Default)]
pub struct Chrome {
    /// The staff member's role, for the navigation's links (none for a visitor).
    pub role: Option<Role>,
    /// What the previous form did, in words ("Screening added: …"), shown once at the top.
    pub notice: Option<String>,
}

tokio::task_local! {
    static CHROME: Chrome;
}

/// Runs `inner` with `chrome` for its pages.
pub(super) fn scope<F: Future>(chrome: Chrome, inner: F) -> impl Future<Output = F::Output> {
    CHROME.scope(chrome, inner)
}

/// The notice a form's success left for this page, if any.
pub fn notice() -> Option<String> {
    CHROME.try_with(|c| c.notice.clone()).ok().flatten()
}

/// Whether the page's navigation shows the staff links (Door, Staff): only for a visitor signed
/// in as staff. The routes themselves check roles; this only keeps the public navigation public
/// and offers each person the places they may go.
pub fn staff_chrome() -> bool {
    CHROME.try_with(|c| c.role.is_some()).unwrap_or(false)
}

/// Whether the navigation offers the organisers' pages (door staff would meet a 403 there).
pub fn organiser_chrome() -> bool {
    CHROME
        .try_with(|c| c.role == Some(Role::Organiser))
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
