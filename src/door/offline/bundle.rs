//! The bundle (`GET /api/v1/door/bundle`): the public keys and a door's screenings with every
//! ticket and the festival's passes, for a device to decide alone; answered with an `ETag` over
//! its content.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web as aweb};
use chrono::{Duration, NaiveDateTime, Utc};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::catalogue::queries::{ScreeningListing, screening_listing};
use crate::db::schema::{bookings, tickets};
use crate::db::{self, AnyConnection};
use crate::domain::format;
use crate::domain::{BookingStatus, ScreeningId, TicketStatus, VenueId};
use crate::door::routing::{check_scope, venue_screenings};
use crate::error::{AppError, ErrorBody, Thing};
use crate::passes::door::{DoorPass, for_doors};
use crate::staff::StaffMember;
use crate::tickets::keys::KeyRing;
use crate::tickets::keys::PublicKey;
use crate::web::AppState;
use crate::web::Reply;
use crate::web::auth::SignedIn;

type State = aweb::Data<AppState>;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub(super) struct BundleQuery {
    /// One screening's door.
    screening_id: Option<String>,
    /// A venue's door: the screenings of the day around now that the credential may admit for.
    venue_id: Option<String>,
}

/// A screening as a door device needs it to decide alone.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct BundleScreening {
    pub id: String,
    pub film: String,
    pub venue: String,
    pub room: String,
    pub starts_at: String,
    pub doors_open_at: String,
    pub doors_close_at: String,
    /// `scheduled` or `cancelled`.
    pub status: String,
    pub capacity: i32,
    pub timezone: String,
}

/// A ticket as a door device needs it: no e-mail, no country.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct BundleTicket {
    pub id: String,
    pub screening_id: String,
    /// `valid`, or `cancelled` (the ticket or its booking).
    pub status: String,
    pub admitted_at: Option<String>,
    pub admitted_door: Option<String>,
    pub holder_name: String,
    pub category: String,
    pub seat_number: i32,
    pub seats: i32,
}

/// Everything a door device needs to decide alone.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Bundle {
    pub generated_at: String,
    pub keys: Vec<PublicKey>,
    pub screenings: Vec<BundleScreening>,
    pub tickets: Vec<BundleTicket>,
    /// The festival passes of the screenings' festivals, as a door decides with them.
    pub passes: Vec<DoorPass>,
}

/// The screenings a door admits for, within the staff member's scope.
fn door_screenings(
    conn: &mut AnyConnection,
    staff: &StaffMember,
    query: &BundleQuery,
    now: NaiveDateTime,
) -> Result<Vec<ScreeningListing>, AppError> {
    match (&query.screening_id, &query.venue_id) {
        (Some(id), None) => {
            let id: ScreeningId = crate::catalogue::input::id_field("screening_id", id)?;
            let listing = screening_listing(conn, id)?
                .ok_or_else(|| AppError::not_found(Thing::Screening))?;
            check_scope(staff, &listing)?;
            Ok(vec![listing])
        }
        (None, Some(id)) => {
            let venue: VenueId = crate::catalogue::input::id_field("venue_id", id)?;
            venue_screenings(conn, staff, venue, now)
        }
        _ => Err(AppError::invalid(
            "screening_id",
            crate::msg!("error-scan-target"),
        )),
    }
}

fn bundle_screening(l: &ScreeningListing) -> BundleScreening {
    let s = &l.screening;
    let zone = l.zone();
    BundleScreening {
        id: s.id.to_string(),
        film: l.film.title.clone(),
        venue: l.venue.name.clone(),
        room: s.room.clone(),
        starts_at: format::rfc3339(s.starts_at, zone),
        doors_open_at: format::rfc3339(
            s.starts_at - Duration::minutes(i64::from(s.doors_open_minutes)),
            zone,
        ),
        doors_close_at: format::rfc3339(
            s.starts_at + Duration::minutes(i64::from(s.doors_close_minutes)),
            zone,
        ),
        status: s.status.as_str().to_owned(),
        capacity: s.capacity,
        timezone: l.venue.timezone.clone(),
    }
}

type TicketLine = (
    String,
    String,
    i32,
    String,
    String,
    Option<NaiveDateTime>,
    Option<String>,
    String,
    String,
    i32,
);

fn bundle_tickets(
    conn: &mut AnyConnection,
    listings: &[ScreeningListing],
) -> Result<Vec<BundleTicket>, AppError> {
    let ids: Vec<String> = listings
        .iter()
        .map(|l| l.screening.id.to_string())
        .collect();
    let rows: Vec<TicketLine> = tickets::table
        .inner_join(bookings::table)
        .filter(tickets::screening_id.eq_any(&ids))
        .order((tickets::screening_id.asc(), tickets::id.asc()))
        .select((
            tickets::id,
            tickets::screening_id,
            tickets::seat_number,
            tickets::category,
            tickets::status,
            tickets::admitted_at,
            tickets::admitted_door,
            bookings::name,
            bookings::status,
            bookings::seats,
        ))
        .load(conn)?;
    let zone_of = |screening: &str| {
        listings
            .iter()
            .find(|l| l.screening.id.to_string() == screening)
            .map_or(chrono_tz::UTC, ScreeningListing::zone)
    };
    rows.into_iter()
        .map(
            |(id, screening, seat, category, status, admitted_at, door, name, booking, seats)| {
                let cancelled = TicketStatus::from_db("tickets.status", &status)?
                    == TicketStatus::Cancelled
                    || BookingStatus::from_db("bookings.status", &booking)?
                        == BookingStatus::Cancelled;
                Ok(BundleTicket {
                    admitted_at: admitted_at.map(|t| format::rfc3339(t, zone_of(&screening))),
                    id,
                    screening_id: screening,
                    status: if cancelled { "cancelled" } else { "valid" }.to_owned(),
                    admitted_door: door,
                    holder_name: name,
                    category,
                    seat_number: seat,
                    seats,
                })
            },
        )
        .collect()
}

/// `GET /api/v1/door/bundle`: what a door device needs to decide without the network.
#[utoipa::path(get, path = "/api/v1/door/bundle", tag = "door", params(BundleQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The keys, screenings and tickets of this door (with an ETag)", body = Bundle),
        (status = 304, description = "Not modified since the bundle with this ETag (If-None-Match)"),
        (status = 404, description = "No such screening or venue", body = ErrorBody),
        (status = 422, description = "Neither or both of screening_id and venue_id", body = ErrorBody),
    ))]
pub(super) async fn bundle(
    state: State,
    keys: aweb::Data<KeyRing>,
    req: HttpRequest,
    SignedIn(staff): SignedIn,
    query: aweb::Query<BundleQuery>,
) -> Reply {
    let now = Utc::now().naive_utc();
    let query = query.into_inner();
    // The passes' type names in the door's language, read here (the reading runs elsewhere).
    let lang = crate::i18n::current();
    let (screenings, tickets, passes) = db::run(&state.pool, move |conn| {
        db::read_snapshot(conn, |conn| {
            let listings = door_screenings(conn, &staff, &query, now)?;
            let tickets = bundle_tickets(conn, &listings)?;
            let passes = for_doors(conn, &listings, now, lang)?;
            Ok::<_, AppError>((
                listings.iter().map(bundle_screening).collect::<Vec<_>>(),
                tickets,
                passes,
            ))
        })
    })
    .await?;
    let keys = keys.public_keys.clone();
    // The tag covers everything but the time it was made.
    let content =
        serde_json::to_vec(&(&keys, &screenings, &tickets, &passes)).map_err(AppError::internal)?;
    let etag = format!(
        "\"{}\"",
        data_encoding::HEXLOWER.encode(&Sha256::digest(&content)[..16])
    );
    let unchanged = req
        .headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|given| given.split(',').any(|t| t.trim() == etag));
    if unchanged {
        return Ok(HttpResponse::NotModified()
            .insert_header((header::ETAG, etag))
            .finish());
    }
    Ok(HttpResponse::Ok()
        .insert_header((header::ETAG, etag))
        .insert_header((header::CACHE_CONTROL, "no-cache"))
        .json(Bundle {
            generated_at: format::rfc3339(now, chrono_tz::UTC),
            keys,
            screenings,
            tickets,
            passes,
        }))
}
