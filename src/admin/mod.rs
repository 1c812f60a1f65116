//! The organiser's pages for running the festival: festivals, venues, films, screenings, staff
//! credentials and guest invitations. Every form is CSRF-protected, every handler needs an
//! organiser, and every write goes through the same service functions as the JSON API, so a form
//! can store nothing the API would refuse. A refused form shows the error page, naming the field.

mod festivals;
mod films;
mod flow;
pub mod forms;
mod screening_page;
mod screenings;
pub mod show;
mod staff;
mod venues;

use actix_web::web as aweb;

use flow::{create, delete, edit, list, save};
use forms::{FestivalForm, FilmForm, VenueForm};
use screening_page::{StandbyForm, WaitlistForm, invite, move_entry, remove_entry, settings};
use screenings::{
    confirm_cancel_screening, create_screening, delete_screening, edit_screening, import_programme,
    save_screening, screening_status, screenings,
};
use staff::{confirm_revoke_staff, create_staff, revoke_staff, staff};

/// Organiser pages: `/admin` and below.
pub fn routes(cfg: &mut aweb::ServiceConfig) {
    cfg.service(aweb::resource("/admin").get(list::<FestivalForm>))
        .service(aweb::resource("/admin/festivals").post(create::<FestivalForm>))
        .service(
            aweb::resource("/admin/festivals/{id}/screenings")
                .get(screenings)
                .post(create_screening),
        )
        .route(
            "/admin/festivals/{id}/programme/import",
            aweb::post().to(import_programme),
        )
        .service(
            aweb::resource("/admin/screenings/{id}/edit")
                .get(edit_screening)
                .post(save_screening),
        )
        .service(aweb::resource("/admin/screenings/{id}/status").post(screening_status))
        .service(aweb::resource("/admin/screenings/{id}/delete").post(delete_screening))
        .service(aweb::resource("/admin/screenings/{id}/cancel").get(confirm_cancel_screening))
        .service(aweb::resource("/admin/screenings/{id}/invitations").post(invite))
        .service(aweb::resource("/admin/screenings/{id}/waitlist").post(settings::<WaitlistForm>))
        .service(aweb::resource("/admin/screenings/{id}/standby").post(settings::<StandbyForm>))
        .service(aweb::resource("/admin/waitlist-entries/{id}/move").post(move_entry))
        .service(aweb::resource("/admin/waitlist-entries/{id}/remove").post(remove_entry))
        .service(
            aweb::resource("/admin/venues")
                .get(list::<VenueForm>)
                .post(create::<VenueForm>),
        )
        .service(
            aweb::resource("/admin/venues/{id}")
                .get(edit::<VenueForm>)
                .post(save::<VenueForm>),
        )
        .service(aweb::resource("/admin/venues/{id}/delete").post(delete::<VenueForm>))
        .service(
            aweb::resource("/admin/films")
                .get(list::<FilmForm>)
                .post(create::<FilmForm>),
        )
        .service(
            aweb::resource("/admin/films/{id}")
                .get(edit::<FilmForm>)
                .post(save::<FilmForm>),
        )
        .service(aweb::resource("/admin/films/{id}/delete").post(delete::<FilmForm>))
        .service(aweb::resource("/admin/staff").get(staff).post(create_staff))
        .service(
            aweb::resource("/admin/staff/{id}/revoke")
                .get(confirm_revoke_staff)
                .post(revoke_staff),
        );
}
