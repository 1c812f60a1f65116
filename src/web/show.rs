//! Words of the pages that stand for codes (statuses, categories, a message's state) and
//! sentences with a link or code in them: what templates of any feature call (the organiser's
//! outbox and booking pages, the staff page). Every word comes from `templates/locales/*/admin.ftl`.

use crate::domain::format::escape;
use crate::domain::{BookingStatus, TicketCategory, TicketStatus};
use crate::i18n::t;

/// Stands for the piece of HTML put into a sentence by [`with_html`]: a private-use character
/// that no translation contains and that escaping leaves alone.
pub const HOLE: &str = "\u{E000}";

/// A translated sentence with a piece of HTML in it (a link, some code): the sentence was
/// rendered with [`HOLE`] as that piece's value, so a translation puts it where its word order
/// wants. The sentence is escaped, then the hole becomes `html` (written by the caller, trusted).
pub fn with_html(sentence: String, html: &str) -> String {
    escape(&sentence).replace(HOLE, html)
}

/// A translated sentence with a link in it (see [`with_html`]).
pub fn with_link(sentence: String, href: &str, text: String) -> String {
    with_html(
        sentence,
        &format!("<a href=\"{}\">{}</a>", escape(href), escape(&text)),
    )
}

/// A translated sentence with some code in it, such as a setting's name (see [`with_html`]).
pub fn with_code(sentence: String, code: &str) -> String {
    with_html(sentence, &format!("<code>{}</code>", escape(code)))
}

/// A booking's status (`confirmed`, `cancelled`).
pub fn booking_status(status: &str) -> String {
    match BookingStatus::parse(status) {
        Some(BookingStatus::Confirmed) => t("admin-booking-status-confirmed"),
        Some(BookingStatus::Cancelled) => t("admin-booking-status-cancelled"),
        None => status.to_owned(),
    }
}

/// A ticket's state on the organiser's booking page (`admitted`, `valid`, `cancelled`).
pub fn ticket_status(status: &str) -> String {
    if status == "admitted" {
        return t("admin-ticket-status-admitted");
    }
    match TicketStatus::parse(status) {
        Some(TicketStatus::Valid) => t("admin-ticket-status-valid"),
        Some(TicketStatus::Cancelled) => t("admin-ticket-status-cancelled"),
        None => status.to_owned(),
    }
}

/// A ticket category code (`public`, `guest`…), as people read it.
pub fn category(code: &str) -> String {
    TicketCategory::parse(code).map_or_else(|| code.to_owned(), TicketCategory::label)
}

/// The state of a message in the outbox (`queued`, `sent`, `failed`).
pub fn mail_status(status: &str) -> String {
    match status {
        "queued" => t("admin-mail-status-queued"),
        "sent" => t("admin-mail-status-sent"),
        "failed" => t("admin-mail-status-failed"),
        other => other.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_goes_where_the_translation_puts_it_and_the_rest_is_escaped() {
        let sentence = format!("<b> & {HOLE}: see");
        assert_eq!(
            with_link(sentence, "/admin", "Pages <x>".to_owned()),
            "&lt;b&gt; &amp; <a href=\"/admin\">Pages &lt;x&gt;</a>: see"
        );
        assert_eq!(
            with_code(format!("No server ({HOLE})"), "A_B"),
            "No server (<code>A_B</code>)"
        );
    }

    #[test]
    fn codes_read_as_words() {
        assert_eq!(booking_status("confirmed"), "confirmed");
        assert_eq!(ticket_status("admitted"), "admitted");
        assert_eq!(category("press"), "Press");
        assert_eq!(category("unknown"), "unknown");
        assert_eq!(mail_status("sent"), "sent");
    }
}
