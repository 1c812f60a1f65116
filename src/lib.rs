//! Marquee: ticketing and attendance for film festivals and screening venues.
//!
//! The crate is built in layers, each importing only from those below it (lowest first;
//! `cargo test --test layers` fails on an import that points up, or on an import loop):
//!
//! 1. [`i18n`] (messages, CLDR dates and countries); [`domain`] (pure types and rules: ids,
//!    statuses, validated input, signed ticket codes, formatting) and [`config`] (settings).
//! 2. Plumbing that knows no feature: [`error`] (the one error type and its HTTP mapping), [`db`]
//!    (SQLite/PostgreSQL, pool, migrations, transactions, the writer, the outbox, credentials),
//!    [`web`] (sign-in extractors, CSRF, JSON errors, limits, metrics, error pages, live hub).
//! 3. Features: [`catalogue`]; [`tickets`] (signing keys, QR images) and [`staff`]; [`booking`]
//!    (never overselling, the manage link, the waiting list); [`passes`] (pass types, passes,
//!    reservations); [`mail`]; [`door`] (admit-once, the scan log, standby, offline sync); [`admin`] (organiser pages); [`reports`].
//! 4. Composition: [`demo`] (Vietnam Film Week in Paris) and [`startup`] (routes, OpenAPI, the
//!    server, the command line's integrity checks).
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
pub mod passes;
pub mod privacy;
pub mod reports;
pub mod staff;
pub mod startup;
pub mod team;
pub mod tickets;
pub mod web;
