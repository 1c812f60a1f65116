//! The OpenAPI 3.1 document of the whole JSON API, served at `/api/openapi.json`, and Swagger UI
//! (assets compiled into the binary) at `/api/docs/`.
//!
//! Every operation is described next to its handler (`#[utoipa::path]`). The errors every
//! operation of a kind can answer are added here, in one place, so the document can't forget one:
//! with a credential → 401 and 403; with an id in the path → 404; with a body → 400, 413, 422;
//! every write → 503.
//! `.ci/run` checks the document against the running service with schemathesis.

use std::sync::OnceLock;

use actix_web::http::header;
use actix_web::middleware::DefaultHeaders;
use actix_web::{HttpResponse, web as aweb};
use utoipa::OpenApi;
use utoipa::openapi::path::{Operation, ParameterIn};
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::openapi::{ContentBuilder, Ref, RefOr, Response, ResponseBuilder};
use utoipa_swagger_ui::{Config, SwaggerUi};

use crate::{booking, catalogue, door, mail, passes, privacy, reports, team, web};

pub const DOCUMENT_PATH: &str = "/api/openapi.json";

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Marquee",
        description = "Ticketing and attendance for film festivals: the catalogue, bookings and \
            signed QR tickets, the door's scans, and attendance reports. Organisers and door \
            staff send their credential as `Authorization: Bearer …`; a booking's holder sends \
            its manage token the same way. Every error is JSON: `{\"error\": code, \"message\": …}`. \
            The human `message` texts (errors, scan verdicts) follow `Accept-Language` (or \
            `?lang=`): English, French (`fr`) or Vietnamese (`vi`), English otherwise; codes \
            (`error`, `verdict`, field names) never change.",
        license(name = "MIT OR Apache-2.0"),
    ),
    paths(
        catalogue::api::festivals::list,
        catalogue::api::festivals::create,
        catalogue::api::festivals::get,
        catalogue::api::festivals::update,
        catalogue::api::festivals::delete,
        catalogue::api::list_screenings,
        catalogue::api::venues::list,
        catalogue::api::venues::create,
        catalogue::api::venues::get,
        catalogue::api::venues::update,
        catalogue::api::venues::delete,
        catalogue::api::films::list,
        catalogue::api::films::create,
        catalogue::api::films::get,
        catalogue::api::films::update,
        catalogue::api::films::delete,
        catalogue::api::create_screening,
        catalogue::api::get_screening,
        catalogue::api::update_screening,
        catalogue::api::cancel_screening,
        booking::api::create_booking,
        booking::api::create_invitation,
        booking::api::get_booking,
        booking::api::cancel_booking,
        booking::waitlist_api::join_api,
        booking::waitlist_api::entry_api,
        booking::waitlist_api::leave_api,
        booking::waitlist_api::claim_api,
        booking::waitlist_api::list_api,
        booking::waitlist_api::configure_api,
        booking::waitlist_api::move_api,
        booking::waitlist_api::remove_api,
        booking::ticket_images::public_keys,
        booking::ticket_images::qr_png,
        booking::ticket_images::qr_svg,
        passes::api::create_pass_type,
        passes::api::list_pass_types,
        passes::api::issue_pass,
        passes::api::import_passes,
        passes::api::update_pass_type,
        catalogue::api::import_programme,
        passes::api::list_passes,
        passes::api::get_pass,
        passes::api::revoke_pass,
        passes::api::resend_pass,
        passes::api::reserve,
        passes::api::cancel_reservation,
        passes::api::set_photo,
        passes::api::remove_photo,
        passes::api::get_photo,
        door::api::scan,
        door::api::annul,
        door::api::decode,
        door::api::verify_chain,
        door::offline::bundle::bundle,
        door::offline::sync::sync,
        door::offline::conflicts::conflicts,
        door::standby::standing,
        door::standby::configure,
        door::standby::issue,
        door::standby::call,
        door::events::screening_events,
        mail::pages::find_my_tickets,
        mail::pages::outbox_json,
        mail::pages::resend_json,
        reports::api::festival_report,
        reports::api::report_csv,
        reports::api::check_counters,
        reports::api::festival_events,
        reports::api::arrivals,
        privacy::api::ask_for_data,
        privacy::api::my_data,
        privacy::api::erase_my_data,
        privacy::api::withdraw_news,
        privacy::api::erase_for_person,
        privacy::api::privacy,
        privacy::api::set_notice,
        privacy::api::shred,
        team::api::list_team,
        team::api::add_to_team,
        team::api::set_roles,
        team::api::list_tokens,
        team::api::create_token,
        team::api::revoke_token,
        team::audit::audit_api,
        web::health::healthz,
        web::health::readyz,
    ),
    components(schemas(
        crate::error::ErrorBody,
        door::events::Counters,
        door::standby::Call,
        reports::report::Totals
    )),
    modifiers(&BearerAuth, &StandardErrors),
    tags(
        (name = "catalogue", description = "Festivals, venues, films and screenings: anyone reads, organisers write"),
        (name = "booking", description = "Seats, never more than the room holds"),
        (name = "waitlist", description = "Sold out: a waiting list that offers freed seats in order"),
        (name = "passes", description = "Festival passes: one pass, many screenings, each reserved under the same never-oversell rule"),
        (name = "tickets", description = "Signed QR tickets and the keys that verify them"),
        (name = "door", description = "Scanning: admitted, or exactly why not"),
        (name = "reports", description = "Attendance, for organisers"),
        (name = "personal data", description = "Access, erasure, consent and retention of people's personal data"),
        (name = "team", description = "A festival's team: people's roles, API tokens, and the audit trail of what they changed"),
        (name = "operations", description = "Health probes"),
    )
)]
pub struct ApiDoc;

/// The document, built once.
pub fn document() -> &'static utoipa::openapi::OpenApi {
    static DOCUMENT: OnceLock<utoipa::openapi::OpenApi> = OnceLock::new();
    DOCUMENT.get_or_init(ApiDoc::openapi)
}

pub fn routes(cfg: &mut aweb::ServiceConfig) {
    cfg.route(DOCUMENT_PATH, aweb::get().to(serve_document))
        .route(
            "/api/docs",
            aweb::get().to(|| async {
                HttpResponse::PermanentRedirect()
                    .insert_header((header::LOCATION, "/api/docs/"))
                    .finish()
            }),
        )
        .service(
            aweb::scope("/api/docs")
                // Swagger UI sets inline styles; everything else stays as strict as elsewhere.
                .wrap(DefaultHeaders::new().add((
                    header::CONTENT_SECURITY_POLICY,
                    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; \
                     script-src 'self'; object-src 'none'; base-uri 'none'; \
                     frame-ancestors 'none'",
                )))
                .service(SwaggerUi::new("/{_:.*}").config(Config::new([DOCUMENT_PATH]))),
        );
}

async fn serve_document() -> HttpResponse {
    HttpResponse::Ok().json(document())
}

struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        let mut scheme = Http::new(HttpAuthScheme::Bearer);
        scheme.description = Some(
            "A staff credential (organiser or door), or a booking's manage token for that booking \
             and its tickets"
                .to_owned(),
        );
        components.add_security_scheme("bearer", SecurityScheme::Http(scheme));
    }
}

/// Adds the errors every operation of a kind answers, unless the operation describes them itself.
struct StandardErrors;

impl utoipa::Modify for StandardErrors {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        for item in openapi.paths.paths.values_mut() {
            if let Some(get) = &mut item.get {
                add_standard_errors(get, false);
            }
            let writes = [
                &mut item.post,
                &mut item.put,
                &mut item.patch,
                &mut item.delete,
            ];
            for operation in writes.into_iter().flatten() {
                add_standard_errors(operation, true);
            }
        }
    }
}

fn add_standard_errors(operation: &mut Operation, writes: bool) {
    let mut errors: Vec<(&str, &str)> = Vec::new();
    if operation.security.as_ref().is_some_and(|s| !s.is_empty()) {
        errors.push(("401", "No credential, or one that is unknown or revoked"));
        errors.push(("403", "The credential does not allow this"));
    }
    let has_path_id = operation
        .parameters
        .iter()
        .flatten()
        .any(|p| matches!(p, RefOr::T(p) if p.parameter_in == ParameterIn::Path));
    if has_path_id {
        errors.push((
            "404",
            "Nothing with that id (or a manage token that does not open it)",
        ));
    }
    if operation.request_body.is_some() {
        errors.push(("400", "The body is not JSON, or not an object"));
        errors.push(("413", "The body is larger than the limit"));
        errors.push(("422", "A field is missing or wrong; `field` names it"));
    }
    if writes {
        errors.push((
            "503",
            "The database is unreachable, or busy past every retry; nothing was changed — retry after Retry-After",
        ));
    }
    for (status, description) in errors {
        operation
            .responses
            .responses
            .entry(status.to_owned())
            .or_insert_with(|| error_response(description));
    }
}

fn error_response(description: &str) -> RefOr<Response> {
    RefOr::T(
        ResponseBuilder::new()
            .description(description)
            .content(
                "application/json",
                ContentBuilder::new()
                    .schema(Some(Ref::from_schema_name("ErrorBody")))
                    .build(),
            )
            .build(),
    )
}
