//! The door's JSON API: scan, undo, live counters, server-side QR decoding, chain check.

use actix_web::{HttpResponse, web as aweb};

use super::annul::scan_screening;
use super::answer::ScanAnswer;
use super::chain::ChainReport;
use super::record::Scan;
use super::request::{Mode, ScanInput, ScanRequest};
use super::routing::{self, Route};
use crate::catalogue::cache::{Catalogue, Lookup, Source};
use crate::db::{self, Lock};
use crate::domain::FestivalId;
use crate::error::{AppError, ErrorBody, Thing};
use crate::staff::StaffMember;
use crate::tickets::keys::KeyRing;
use crate::web::AppState;
use crate::web::Reply;
use crate::web::auth::{Can, SignedIn, need, scope};
use crate::web::json::ApiJson;
use crate::web::limits::{Limited, per_client};

/// The largest camera frame accepted by `/api/v1/decode`.
const MAX_FRAME_BYTES: usize = 4 * 1024 * 1024;

pub fn routes(cfg: &mut aweb::ServiceConfig) {
    cfg.route(
        "/api/v1/scans",
        aweb::post().to(scan).wrap(per_client(Limited::Scan)),
    )
    .route("/api/v1/scans/{id}/annul", aweb::post().to(annul))
    .route(
        "/api/v1/screenings/{id}/events",
        aweb::get().to(super::events::screening_events),
    )
    .service(
        aweb::resource("/api/v1/decode")
            .app_data(aweb::PayloadConfig::new(MAX_FRAME_BYTES))
            .route(aweb::post().to(decode)),
    )
    .route(
        "/api/v1/festivals/{id}/scan-log/verify",
        aweb::get().to(verify_chain),
    );
}

type State = aweb::Data<AppState>;

/// How a scan, or a device's batch of offline scans, is refused before any verdict (documented
/// once for both).
#[derive(utoipa::IntoResponses)]
#[expect(
    dead_code,
    reason = "it describes answers for the API document; none is built from it"
)]
pub(super) enum ScanRefusals<'a> {
    /// No such screening or venue (in a batch, nothing from that scan on is applied).
    #[response(status = 404)]
    NoSuchTarget(ErrorBody<'a>),
    /// `nonce_reused`: this staff member already used the nonce for another code or target (the
    /// same code and target replay the original answer instead).
    #[response(status = 409)]
    NonceReused(ErrorBody<'a>),
    /// Too many scans from this address (a batch counts as one); see Retry-After.
    #[response(status = 429, headers(("Retry-After" = u64, description = "Seconds to wait")))]
    TooMany(ErrorBody<'a>),
}

/// `POST /api/v1/scans`: door staff and organisers. Every verdict is a 200.
#[utoipa::path(post, path = "/api/v1/scans", tag = "door", request_body = ScanInput,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The verdict (every verdict is a 200: admitted or exactly why not)", body = ScanAnswer),
        ScanRefusals,
    ))]
async fn scan(
    state: State,
    keys: aweb::Data<KeyRing>,
    SignedIn(staff): SignedIn,
    body: ApiJson<ScanInput>,
) -> Reply {
    let now = chrono::Utc::now().naive_utc();
    let request = body.into_inner()?.parse(now)?;
    let route = route(&state, &keys, &staff, &request, now).await?;
    let scan = Scan::new(staff, request, route, Mode::Online, keys.verifier.clone());
    let (answer, screening) = write_scan(&state, &keys, scan).await?;
    if !answer.replayed {
        state.hub.publish(screening);
        state.metrics.scanned(answer.verdict.as_str());
    }
    Ok(HttpResponse::Ok().json(answer))
}

/// Records a routed scan in the writer: a ticket's with the other scans of its screening
/// ([`Scan`] as a set write), a festival pass's alone (its seat found or taken first,
/// [`super::pass_scan`]), online or uploaded from a device that decided it offline.
pub(super) async fn write_scan(
    state: &AppState,
    keys: &aweb::Data<KeyRing>,
    scan: Scan,
) -> Result<(ScanAnswer, crate::domain::ScreeningId), AppError> {
    if scan.route.pass.is_none() {
        return state.write_set(scan).await;
    }
    let keys = keys.clone();
    state
        .write(scan.lock, move |tx| {
            super::pass_scan::record_pass(tx, &scan, &keys.signer, chrono::Utc::now().naive_utc())
        })
        .await
}

/// Routes a scan ([`routing::route`]): from memory on this worker when it can, else reading the
/// catalogue on a pooled connection.
pub(super) async fn route(
    state: &AppState,
    keys: &KeyRing,
    staff: &StaffMember,
    request: &ScanRequest,
    now: chrono::NaiveDateTime,
) -> Result<Route, AppError> {
    let memory = state.memory.get::<Catalogue>();
    match routing::route(
        &mut Source::Memory(&memory),
        &keys.verifier,
        staff,
        request,
        now,
    ) {
        Ok(route) => Ok(route),
        Err(Lookup::Failed(error)) => Err(error),
        Err(Lookup::NotRemembered) => {
            let (verifier, staff, request) =
                (keys.verifier.clone(), staff.clone(), request.clone());
            db::run(&state.pool, move |conn| {
                routing::route_reading(&memory, conn, &verifier, &staff, &request, now)
            })
            .await
        }
    }
}

/// `POST /api/v1/scans/{id}/annul`: the door that admitted undoes its last admission.
#[utoipa::path(post, path = "/api/v1/scans/{id}/annul", tag = "door",
    params(("id" = uuid::Uuid, Path, description = "The admission's scan id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Undone: the ticket may be scanned again", body = ScanAnswer),
        (status = 409, description = "Not an admission, too late to undo, or already undone", body = ErrorBody),
    ))]
async fn annul(state: State, SignedIn(staff): SignedIn, id: aweb::Path<uuid::Uuid>) -> Reply {
    let id = id.into_inner().to_string();
    let scan = id.clone();
    let screening = db::run(&state.pool, move |conn| scan_screening(conn, &scan)).await?;
    let (answer, screening) = state
        .write(Lock::Screening(screening), move |tx| {
            super::annul::annul(tx, &staff, &id, chrono::Utc::now().naive_utc())
        })
        .await?;
    state.hub.publish(screening);
    Ok(HttpResponse::Ok().json(answer))
}

#[derive(serde::Serialize, utoipa::ToSchema)]
struct Decoded {
    code: Option<String>,
}

/// `POST /api/v1/decode`: a camera frame (PNG or JPEG) in, the QR code's text out (or null).
#[utoipa::path(post, path = "/api/v1/decode", tag = "door",
    request_body(content = Vec<u8>, content_type = "image/png", description = "A camera frame, PNG or JPEG, at most 4 MiB"),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The text of the QR code in the frame, or null", body = Decoded),
        (status = 400, description = "Not a PNG or JPEG image", body = ErrorBody),
        (status = 413, description = "More than 4 MiB"),
    ))]
async fn decode(_: Can<need::Door, scope::Anywhere>, body: aweb::Bytes) -> Reply {
    let code = aweb::block(move || super::decode::decode_qr(&body))
        .await
        .map_err(AppError::internal)??;
    Ok(HttpResponse::Ok().json(Decoded { code }))
}

/// `GET /api/v1/festivals/{id}/scan-log/verify`: organisers check the scan log's hash chains.
#[utoipa::path(get, path = "/api/v1/festivals/{id}/scan-log/verify", tag = "door",
    params(("id" = FestivalId, Path, description = "The festival's id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "What the check of every screening's hash chain found", body = ChainReport),
    ))]
async fn verify_chain(
    state: State,
    _: Can<need::DoorLead, scope::Festival>,
    id: aweb::Path<FestivalId>,
) -> Reply {
    let id = id.into_inner();
    let report = db::run(&state.pool, move |conn| {
        crate::catalogue::queries::festival(conn, id)?
            .ok_or_else(|| AppError::not_found(Thing::Festival))?;
        super::chain::verify(conn, Some(id))
    })
    .await?;
    Ok(HttpResponse::Ok().json(report))
}
