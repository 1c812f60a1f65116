//! One error type for the whole service, and the written policy of how each error is answered.
//!
//! | error | status | JSON `error` | when |
//! |---|---|---|---|
//! | `Invalid` | 422 | `invalid_input` (+ `field`) | well-formed request, a value is not acceptable |
//! | `BadRequest` | 400 | `bad_request` | malformed JSON, wrong types, bad path or query |
//! | `Unauthorized` | 401 | `unauthorized` | no credential, or an unknown/revoked one |
//! | `Forbidden` | 403 | `forbidden` | a valid credential whose role may not do this |
//! | `NotFound` | 404 | `not_found` | no such resource — also for a manage token that does not match |
//! | `Conflict` | 409 | its own code (`sold_out`, `cancelled`…) | the request is valid but the state forbids it |
//! | `BodyTimeout` | 408 | `request_timeout` | the body did not arrive within the body deadline |
//! | `PayloadTooLarge` | 413 | `payload_too_large` | body over the configured limit |
//! | `RateLimited` | 429 | `rate_limited` (+ `Retry-After`) | too many bookings, sign-ins or scans from one address |
//! | `Unavailable` | 503 | `unavailable` | the database cannot be reached right now |
//! | `Transient` | 503 | `unavailable` (+ `Retry-After`) | contention the write path kept losing after its retries (deadlock, serialization failure, a lost connection) |
//! | `Internal` | 500 | `internal` | a bug or an unexpected failure; details are logged, never sent |
//! | `UnknownMethod` | 405 | `method_not_allowed` (+ `Allow`) | an HTTP method Marquee does not know (`BREW`, `QUERY`) |
//!
//! Under `/api` errors are JSON `{"error": code, "message": …}`; elsewhere the same error is shown
//! as a friendly HTML page (see [`crate::web::render_error_pages`]). A request that fails changes
//! nothing: every write runs in one transaction that the error rolls back.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;

use crate::i18n::Msg;

/// Every message is a [`Msg`]: put into words in the language of whoever reads it (the page's,
/// the API caller's `Accept-Language`, English in the log).
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("{message}")]
    Invalid { field: String, message: Msg },
    #[error("{0}")]
    BadRequest(Msg),
    #[error("{0}")]
    Unauthorized(Msg),
    #[error("{0}")]
    Forbidden(Msg),
    #[error("{0}")]
    NotFound(Msg),
    #[error("{message}")]
    Conflict {
        refusal: Refusal,
        message: Msg,
        seats_left: Option<i64>,
    },
    #[error("{}", Msg::new("error-body-timeout"))]
    BodyTimeout,
    #[error("{0}")]
    PayloadTooLarge(Msg),
    #[error("{}", Msg::new("error-rate-limited").arg("seconds", *.retry_after))]
    RateLimited { retry_after: u64 },
    #[error("{0}")]
    Unavailable(Msg),
    /// A failure that running the same transaction again can cure: a deadlock, a serialization
    /// failure, a lost connection, a busy SQLite file. The write paths retry these; a client only
    /// sees one (as 503) when every retry lost.
    #[error("{}", Msg::new("error-busy"))]
    Transient(#[source] anyhow::Error),
    #[error("{}", Msg::new("error-internal"))]
    Internal(#[source] anyhow::Error),
    #[error("{}", Msg::new("error-unknown-method"))]
    UnknownMethod,
}

/// Why a valid request is refused by the state it meets (HTTP 409): what a client branches on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// Every seat is taken.
    SoldOut,
    /// Fewer seats are left than asked for (`seats_left` says how many): answered `sold_out`.
    FewerSeatsLeft,
    /// The seats left are held for someone on the waiting list: answered `sold_out`.
    HeldForWaitlist,
    InUse,
    OfferExpired,
    BookingClosed,
    BookingCancelled,
    AlreadyExists,
    WaitlistClosed,
    StandbyOff,
    StandbyNotReleased,
    SeatsAvailable,
    ScreeningCancelled,
    OwnCredential,
    NotLastAdmission,
    NotCancellable,
    NotAnAdmission,
    NonceReused,
    NobodyWaiting,
    NoSeats,
    NoOffer,
    CapacityBelowBooked,
    AnnulWindowPassed,
    AlreadyClaimed,
    AlreadyCancelled,
    AlreadyAnnulled,
    AlreadyAdmitted,
    /// A festival's personal data cannot be shredded before it has ended.
    FestivalNotOver,
    /// A pass reached one of its type's limits (in all, per day, held at once), or its holder is
    /// held back by the no-show rule.
    QuotaReached,
    /// A pass's reservation at a screening overlapping this one in time.
    Overlaps,
    /// The pass already holds a seat at this screening.
    AlreadyReserved,
    /// The pass's type does not open this screening (another festival, day, film or venue).
    NotValidForScreening,
    /// The pass was revoked.
    PassRevoked,
    /// The pass holds no reservation at this screening.
    NoReservation,
    /// An `Idempotency-Key` sent again with another body.
    IdempotencyKeyReused,
    /// An `Idempotency-Key` whose first request is still being answered.
    IdempotencyKeyInUse,
}

impl Refusal {
    /// The stable code the API answers with (`error`).
    pub fn code(self) -> &'static str {
        match self {
            Refusal::SoldOut | Refusal::FewerSeatsLeft | Refusal::HeldForWaitlist => "sold_out",
            Refusal::InUse => "in_use",
            Refusal::OfferExpired => "offer_expired",
            Refusal::BookingClosed => "booking_closed",
            Refusal::BookingCancelled => "booking_cancelled",
            Refusal::AlreadyExists => "already_exists",
            Refusal::WaitlistClosed => "waitlist_closed",
            Refusal::StandbyOff => "standby_off",
            Refusal::StandbyNotReleased => "standby_not_released",
            Refusal::SeatsAvailable => "seats_available",
            Refusal::ScreeningCancelled => "screening_cancelled",
            Refusal::OwnCredential => "own_credential",
            Refusal::NotLastAdmission => "not_last_admission",
            Refusal::NotCancellable => "not_cancellable",
            Refusal::NotAnAdmission => "not_an_admission",
            Refusal::NonceReused => "nonce_reused",
            Refusal::NobodyWaiting => "nobody_waiting",
            Refusal::NoSeats => "no_seats",
            Refusal::NoOffer => "no_offer",
            Refusal::CapacityBelowBooked => "capacity_below_booked",
            Refusal::AnnulWindowPassed => "annul_window_passed",
            Refusal::AlreadyClaimed => "already_claimed",
            Refusal::AlreadyCancelled => "already_cancelled",
            Refusal::AlreadyAnnulled => "already_annulled",
            Refusal::AlreadyAdmitted => "already_admitted",
            Refusal::FestivalNotOver => "festival_not_over",
            Refusal::QuotaReached => "quota_reached",
            Refusal::Overlaps => "overlaps",
            Refusal::AlreadyReserved => "already_reserved",
            Refusal::NotValidForScreening => "not_valid_for_screening",
            Refusal::PassRevoked => "revoked",
            Refusal::NoReservation => "no_reservation",
            Refusal::IdempotencyKeyReused => "idempotency_key_reused",
            Refusal::IdempotencyKeyInUse => "idempotency_key_in_use",
        }
    }
}

/// What people look up by id or link, and a 404 names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Thing {
    Screening,
    Festival,
    Venue,
    Film,
    Booking,
    Ticket,
    Scan,
    WaitlistEntry,
    Message,
    StaffMember,
    /// A mailed link to a person's data (unknown, or expired).
    DataLink,
    PassType,
    Pass,
    Reservation,
    /// Anything else: a page, a row a link pointed to.
    Page,
}

impl Thing {
    fn key(self) -> &'static str {
        match self {
            Thing::Screening => "thing-screening",
            Thing::Festival => "thing-festival",
            Thing::Venue => "thing-venue",
            Thing::Film => "thing-film",
            Thing::Booking => "thing-booking",
            Thing::Ticket => "thing-ticket",
            Thing::Scan => "thing-scan",
            Thing::WaitlistEntry => "thing-waitlist-entry",
            Thing::Message => "thing-message",
            Thing::StaffMember => "thing-staff-member",
            Thing::DataLink => "thing-data-link",
            Thing::PassType => "thing-pass-type",
            Thing::Pass => "thing-pass",
            Thing::Reservation => "thing-reservation",
            Thing::Page => "thing-page",
        }
    }
}

impl AppError {
    pub fn invalid(field: impl Into<String>, message: Msg) -> AppError {
        AppError::Invalid {
            field: field.into(),
            message,
        }
    }

    /// "screening not found".
    pub fn not_found(what: Thing) -> AppError {
        AppError::NotFound(Msg::new("error-not-found").arg("thing", Msg::new(what.key())))
    }

    pub fn conflict(refusal: Refusal, message: Msg) -> AppError {
        AppError::Conflict {
            refusal,
            message,
            seats_left: None,
        }
    }

    pub fn internal(error: impl Into<anyhow::Error>) -> AppError {
        AppError::Internal(error.into())
    }

    /// For a command-line tool, whose reader is the operator: the real cause of an internal or
    /// transient failure (what the log would hold, not "it has been logged"), the message of any
    /// other.
    pub fn into_cause(self) -> anyhow::Error {
        match self {
            AppError::Internal(cause) | AppError::Transient(cause) => cause,
            other => anyhow::anyhow!("{}", other.public_message()),
        }
    }

    /// Whether running the same write again may succeed.
    pub fn is_transient(&self) -> bool {
        matches!(self, AppError::Transient(_))
    }

    pub fn pool(error: diesel::r2d2::PoolError) -> AppError {
        tracing::error!(%error, "no database connection available");
        AppError::Unavailable(Msg::new("error-database-unavailable"))
    }

    /// The stable machine-readable code of this error.
    pub fn code(&self) -> &'static str {
        match self {
            AppError::Invalid { .. } => "invalid_input",
            AppError::BadRequest(_) => "bad_request",
            AppError::Unauthorized(_) => "unauthorized",
            AppError::Forbidden(_) => "forbidden",
            AppError::NotFound(_) => "not_found",
            AppError::Conflict { refusal, .. } => refusal.code(),
            AppError::BodyTimeout => "request_timeout",
            AppError::PayloadTooLarge(_) => "payload_too_large",
            AppError::RateLimited { .. } => "rate_limited",
            AppError::Unavailable(_) | AppError::Transient(_) => "unavailable",
            AppError::Internal(_) => "internal",
            AppError::UnknownMethod => "method_not_allowed",
        }
    }

    /// The message shown to people, in the current language: never the internals of an
    /// `Internal` error (those are logged where the error is answered).
    pub fn public_message(&self) -> String {
        self.to_string()
    }
}

impl From<diesel::result::Error> for AppError {
    fn from(error: diesel::result::Error) -> AppError {
        use diesel::result::{DatabaseErrorKind, Error};
        match error {
            Error::NotFound => AppError::not_found(Thing::Page),
            other if is_transient(&other) => AppError::Transient(other.into()),
            // The database's own words name tables and constraints: logged, never sent.
            Error::DatabaseError(DatabaseErrorKind::UniqueViolation, info) => {
                tracing::info!(message = info.message(), "unique violation answered as 409");
                AppError::conflict(Refusal::AlreadyExists, Msg::new("error-already-exists"))
            }
            other => AppError::Internal(other.into()),
        }
    }
}

/// Whether a database error is one that running the same transaction again can cure.
///
/// PostgreSQL reports deadlocks (SQLSTATE 40P01) as an unclassified error, so it is recognised by
/// its message; SQLite's "database is locked" is a `busy_timeout` that ran out.
pub fn is_transient(error: &diesel::result::Error) -> bool {
    use diesel::result::{DatabaseErrorKind, Error};
    match error {
        Error::DatabaseError(
            DatabaseErrorKind::SerializationFailure
            | DatabaseErrorKind::ClosedConnection
            | DatabaseErrorKind::UnableToSendCommand,
            _,
        ) => true,
        Error::DatabaseError(_, info) => {
            let message = info.message();
            message.contains("deadlock detected") || message.contains("database is locked")
        }
        _ => false,
    }
}

/// Every error the API answers: a stable code, a sentence for people, and what it is about.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ErrorBody<'a> {
    /// A stable code: `invalid_input`, `bad_request`, `unauthorized`, `forbidden`, `not_found`,
    /// `sold_out`, `in_use`, `rate_limited`… (the HTTP status says the class).
    pub error: &'a str,
    /// What went wrong, for a person to read.
    pub message: String,
    /// For `invalid`: the field at fault (`rooms[1].seats`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<&'a str>,
    /// For a booking refused for lack of seats: how many are left.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub seats_left: Option<i64>,
}

impl ResponseError for AppError {
    fn status_code(&self) -> StatusCode {
        match self {
            AppError::Invalid { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            AppError::Forbidden(_) => StatusCode::FORBIDDEN,
            AppError::NotFound(_) => StatusCode::NOT_FOUND,
            AppError::Conflict { .. } => StatusCode::CONFLICT,
            AppError::BodyTimeout => StatusCode::REQUEST_TIMEOUT,
            AppError::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            AppError::Unavailable(_) | AppError::Transient(_) => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
            AppError::UnknownMethod => StatusCode::METHOD_NOT_ALLOWED,
        }
    }

    fn error_response(&self) -> HttpResponse {
        match self {
            AppError::Internal(error) => tracing::error!(error = ?error, "internal error"),
            AppError::Transient(error) => {
                tracing::warn!(error = %error, "a write kept losing to contention");
            }
            _ => {}
        }
        let body = ErrorBody {
            error: self.code(),
            message: self.public_message(),
            field: match self {
                AppError::Invalid { field, .. } => Some(field),
                _ => None,
            },
            seats_left: match self {
                AppError::Conflict { seats_left, .. } => *seats_left,
                _ => None,
            },
        };
        let mut response = HttpResponse::build(self.status_code());
        if matches!(self, AppError::Unauthorized(_)) {
            response.insert_header(("WWW-Authenticate", "Bearer"));
        }
        if let AppError::RateLimited { retry_after } = self {
            response.insert_header(("Retry-After", retry_after.to_string()));
        }
        if let AppError::Transient(_) = self {
            response.insert_header(("Retry-After", "1"));
        }
        if let AppError::UnknownMethod = self {
            response.insert_header(("Allow", "GET, HEAD, POST, PATCH, DELETE"));
        }
        response.json(body)
    }
}

/// A stored value that does not read back is a fault of the data, never the client's: logged with
/// its column, answered as 500.
impl From<crate::domain::Unreadable> for AppError {
    fn from(error: crate::domain::Unreadable) -> AppError {
        AppError::Internal(error.into())
    }
}

impl From<crate::domain::InputError> for AppError {
    fn from(error: crate::domain::InputError) -> AppError {
        AppError::Invalid {
            field: error.field,
            message: error.message,
        }
    }
}
