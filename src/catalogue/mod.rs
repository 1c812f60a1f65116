//! The catalogue: festivals, venues (with rooms), films and screenings.
//!
//! Organisers write it through the JSON API ([`api`]); everyone reads it through the API and the
//! public programme pages ([`pages`]). Venues and films are shared across festivals; a screening
//! belongs to one festival and names a film, a venue and one of the venue's rooms.

pub mod api;
pub mod cache;
pub mod import;
pub mod input;
pub mod pages;
pub mod queries;
pub mod service;
pub mod summary;

pub use queries::{Festival, Film, Room, Screening, ScreeningListing, Venue};
