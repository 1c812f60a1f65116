//! Venues: the list with the form for a new one, and a venue's own page.

use askama::Template;

use super::flow::{ListPage, RecordPage, TIMEZONES, status_for};
use super::forms::{VenueForm, format_rooms};
use crate::catalogue::input::{VenueInput, VenuePatch};
use crate::catalogue::queries::Venue;
use crate::domain::InputError;
use crate::web::Reply;
use crate::web::links;
use crate::web::page_with_status;
use crate::web::problem::Problem;

#[derive(Template)]
#[template(path = "admin/venues.html")]
struct VenuesPage {
    venues: Vec<Venue>,
    csrf: String,
    timezones: [&'static str; 6],
    form: VenueForm,
    problem: Option<Problem>,
}

impl ListPage for VenueForm {
    type Need = crate::web::auth::need::Programme;
    type Scope = crate::web::auth::scope::Anywhere;

    fn page(venues: Vec<Venue>, csrf: String, form: VenueForm, problem: Option<Problem>) -> Reply {
        page_with_status(
            status_for(&problem),
            &VenuesPage {
                venues,
                csrf,
                timezones: TIMEZONES,
                form,
                problem,
            },
        )
    }

    fn next(_: &Venue) -> String {
        Self::LIST.to_owned()
    }

    fn added(venue: &Venue) -> crate::i18n::Msg {
        crate::msg!("admin-notice-venue-added", name = &venue.name)
    }
}

#[derive(Template)]
#[template(path = "admin/venue.html")]
struct VenuePage {
    v: Venue,
    /// The venue as stored, or as typed when shown again with a problem.
    form: VenueForm,
    problem: Option<Problem>,
    csrf: String,
    timezones: [&'static str; 6],
}

impl RecordPage for VenueForm {
    type Input = VenueInput;
    type Need = crate::web::auth::need::Programme;
    type Scope = crate::web::auth::scope::Anywhere;
    const LIST: &'static str = links::ADMIN_VENUES;

    fn page(v: Venue, csrf: String, form: Option<VenueForm>, problem: Option<Problem>) -> Reply {
        let form = form.unwrap_or_else(|| VenueForm {
            name: v.name.clone(),
            city: v.city.clone(),
            address: v.address.clone(),
            timezone: v.timezone.clone(),
            rooms: format_rooms(&v.rooms),
            ..VenueForm::default()
        });
        page_with_status(
            status_for(&problem),
            &VenuePage {
                v,
                form,
                problem,
                csrf,
                timezones: TIMEZONES,
            },
        )
    }

    fn changes(&self) -> Result<VenuePatch, InputError> {
        self.patch()
    }
}
