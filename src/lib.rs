//! Marquee: ticketing and attendance for film festivals and screening venues.
//!
//! A map of the crate:
//!
//! - [`config`]: every setting and its environment variable.
//! - [`startup`]: builds the actix-web application and wires every route.
//! - [`error`]: the one error type and its written HTTP mapping.
//! - [`db`]: the SQLite/PostgreSQL connection, pool, migrations and transaction helper.
//! - [`domain`]: pure types and rules: ids, validated input, statuses, signed ticket codes.
//! - [`i18n`]: English, French and Vietnamese: message files, CLDR dates and country names.
//! - [`web`]: what every page and API route shares: sign-in extractors, CSRF, error pages, assets.
//! - [`admin`]: the organiser's pages (catalogue, staff credentials, guest invitations).
//! - [`catalogue`]: festivals, venues, films and screenings (organiser writes, public reads).
//! - [`booking`]: booking seats without ever overselling, the manage link, cancelling.
//! - [`tickets`]: signing keys, ticket codes and their QR images.
//! - [`door`]: scanning at the door, admit-once, the hash-chained scan log, live counters.
//! - [`mail`]: outgoing mail (tickets with QR, PDF and calendar; cancellations; find my tickets) and the outbox pages.
//! - [`reports`]: attendance reports, rollup counters and their consistency check, CSV, charts.
//! - [`staff`]: organisers and door staff, their credentials and web sessions.
//! - [`demo`]: the demo festival (Vietnam Film Week in Paris).
//!
//! A handler turns the request into domain types, makes one database call through [`db::run`]
//! composing query functions, then renders JSON or a page.

pub mod admin;
pub mod booking;
pub mod catalogue;
pub mod config;
pub mod db;
pub mod demo;
pub mod domain;
pub mod door;
pub mod error;
pub mod i18n;
pub mod mail;
pub mod reports;
pub mod staff;
pub mod startup;
pub mod tickets;
pub mod web;
