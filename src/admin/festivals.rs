//! The overview (`/admin`): every festival, and the form for a new one.

use askama::Template;

use super::flow::{ListPage, TIMEZONES, status_for};
use super::forms::FestivalForm;
use crate::catalogue::queries::Festival;
use crate::web::Reply;
use crate::web::links;
use crate::web::page_with_status;
use crate::web::problem::Problem;

#[derive(Template)]
#[template(path = "admin/overview.html")]
struct OverviewPage {
    festivals: Vec<Festival>,
    csrf: String,
    timezones: [&'static str; 6],
    /// The new-festival form: as typed, when it is shown again with a problem.
    form: FestivalForm,
    problem: Option<Problem>,
}

impl ListPage for FestivalForm {
    // The festivals' overview, where new ones are made: administrators.
    type Need = crate::web::auth::need::Team;
    type Scope = crate::web::auth::scope::Instance;

    fn page(
        festivals: Vec<Festival>,
        csrf: String,
        form: FestivalForm,
        problem: Option<Problem>,
    ) -> Reply {
        page_with_status(
            status_for(&problem),
            &OverviewPage {
                festivals,
                csrf,
                timezones: TIMEZONES,
                form,
                problem,
            },
        )
    }

    fn next(festival: &Festival) -> String {
        links::admin_screenings(festival.id)
    }

    fn added(festival: &Festival) -> crate::i18n::Msg {
        crate::msg!("admin-notice-festival-added", name = &festival.name)
    }
}
