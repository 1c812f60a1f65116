//! The organiser's pages for running the festival: festivals, venues, films, screenings, staff
//! credentials and guest invitations. Every form is CSRF-protected, every handler needs an
//! organiser, and every write goes through the same service functions as the JSON API, so a form
//! can store nothing the API would refuse. A refused form shows the error page, naming the field.

pub mod forms;
pub mod pages;
pub mod show;
