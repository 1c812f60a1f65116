//! Every path Marquee links to, redirects to or prints, built in one place: a page that moves
//! changes here, and each feature asks for its links here instead of writing them (or reaching
//! into another feature's HTTP module for them). Paths are relative to the site; [`absolute`]
//! puts the public address in front, for mail and the command line.

use std::fmt::Display;

/// `path` at the instance's public address (`MARQUEE_PUBLIC_URL`, without a trailing slash).
pub fn absolute(public_url: &str, path: &str) -> String {
    format!("{public_url}{path}")
}

// ---------------------------------------------------------------------------------------------
// Attendees

/// A booking's private page (its manage token is the key).
pub fn manage(token: &str) -> String {
    format!("/manage/{token}")
}

/// A festival pass's private page (the link is the credential, as a booking's).
pub fn pass(token: &str) -> String {
    format!("/pass/{token}")
}

/// A booking's page, just booked (it says so).
pub fn manage_booked(token: &str) -> String {
    format!("/manage/{token}?booked=1")
}

/// A booking's page, just cancelled in part or whole (it says so).
pub fn manage_cancelled(token: &str) -> String {
    format!("/manage/{token}?cancelled=1")
}

/// One ticket of a booking, full screen for the door.
pub fn ticket(token: &str, ticket: impl Display) -> String {
    format!("/manage/{token}/tickets/{ticket}")
}

/// A waiting-list entry's private page.
pub fn waitlist_entry(token: &str) -> String {
    format!("/waitlist/{token}")
}

/// A waiting-list entry's page, just joined (it says so).
pub fn waitlist_joined(token: &str) -> String {
    format!("/waitlist/{token}?joined=1")
}

/// Where anyone can have their tickets mailed again ("find my tickets").
pub const FIND_TICKETS: &str = "/tickets";

/// A ticket's image through the API (`qr.png`, `qr.svg`), for its holder.
pub fn ticket_image(ticket: impl Display, file: &str) -> String {
    format!("/api/v1/tickets/{ticket}/{file}")
}

// ---------------------------------------------------------------------------------------------
// Staff

/// Where a member lands after signing in: door staff to the door chooser, organisers home.
pub fn staff_home(door: bool) -> &'static str {
    if door { "/door" } else { "/staff" }
}

/// The sign-in link a new credential is handed out with.
pub fn signin(token: &str) -> String {
    format!("/signin?token={token}")
}

// ---------------------------------------------------------------------------------------------
// Organisers

/// The venues' list.
pub const ADMIN_VENUES: &str = "/admin/venues";
/// The films' list.
pub const ADMIN_FILMS: &str = "/admin/films";
/// The staff credentials' page.
pub const ADMIN_STAFF: &str = "/admin/staff";
/// The outbox.
pub const ADMIN_OUTBOX: &str = "/admin/outbox";

/// A festival's screenings.
pub fn admin_screenings(festival: impl Display) -> String {
    format!("/admin/festivals/{festival}/screenings")
}

/// A screening's edit page, at one of its parts (`waitlist`, `standby`) or at the top.
pub fn admin_screening(screening: impl Display, part: Option<&str>) -> String {
    match part {
        Some(part) => format!("/admin/screenings/{screening}/edit#{part}"),
        None => format!("/admin/screenings/{screening}/edit"),
    }
}

/// What cancelling a screening does, before it does it.
pub fn admin_screening_cancel(screening: impl Display) -> String {
    format!("/admin/screenings/{screening}/cancel")
}

/// Where a screening's status is changed (the confirmed cancellation posts there).
pub fn admin_screening_status(screening: impl Display) -> String {
    format!("/admin/screenings/{screening}/status")
}

/// What revoking a staff credential does, before it does it (and where it is confirmed).
pub fn admin_staff_revoke(member: impl Display) -> String {
    format!("/admin/staff/{member}/revoke")
}

/// A booking as organisers see it.
pub fn admin_booking(booking: impl Display) -> String {
    format!("/admin/bookings/{booking}")
}

/// A message of the outbox, as the `.eml` file a mail program opens.
pub fn admin_message(message: impl Display) -> String {
    format!("/admin/outbox/{message}/message.eml")
}

/// Where a person asks what is held about them.
pub const MY_DATA: &str = "/my-data";

/// A person's data, by the link mailed to them: the export, their choices, erasure.
pub fn my_data(token: &str) -> String {
    format!("/my-data/{token}")
}

/// A festival's privacy notice.
pub fn privacy_notice(festival_slug: &str) -> String {
    format!("/festivals/{festival_slug}/privacy")
}

/// The organisers' page for a festival's personal data: notice, retention, erasure.
pub fn admin_privacy(festival: impl Display) -> String {
    format!("/admin/festivals/{festival}/privacy")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_are_the_routes_they_name() {
        assert_eq!(manage("t0k"), "/manage/t0k");
        assert_eq!(ticket("t0k", "01a2"), "/manage/t0k/tickets/01a2");
        assert_eq!(
            admin_screening("s1", Some("waitlist")),
            "/admin/screenings/s1/edit#waitlist"
        );
        assert_eq!(
            absolute("https://tickets.example.org", &manage("t0k")),
            "https://tickets.example.org/manage/t0k"
        );
    }
}
