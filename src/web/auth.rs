//! Who is calling: staff are recognised by `Authorization: Bearer <credential>` (API clients,
//! door devices) or by the `marquee_session` cookie set at web sign-in. Attendees are not signed
//! in: a booking's manage token proves they hold it (see `booking`).
//!
//! Handlers state what they need in their signature: [`Can`] (a permission, where the route
//! acts: `Can<need::BoxOffice, scope::Booking>`), [`SignedIn`] (any staff; the door checks its
//! scope per screening) or [`Caller`] (anyone, maybe staff). Permission checks therefore cannot
//! be forgotten inside a handler; the role matrix test (`tests/api/roles.rs`) walks every route
//! for every role.

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{FromRequest, HttpRequest, web as aweb};
use futures_util::future::LocalBoxFuture;

use crate::db::AnyConnection;
use crate::db::credentials::{self, Reach, StaffMember};
use crate::domain::{FestivalId, Permission};
use crate::error::AppError;
use crate::web::AppState;

pub const SESSION_COOKIE: super::CookieName = super::CookieName {
    plain: "marquee_session",
    host_only: "__Host-marquee_session",
};

/// The bearer token of a request, if it has one.
pub fn bearer_token(req: &HttpRequest) -> Option<String> {
    let value = req.headers().get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim().to_owned())
}

fn session_token(req: &HttpRequest) -> Option<String> {
    req.cookie(SESSION_COOKIE.of(req))
        .map(|c| c.value().to_owned())
}

/// Resolves the staff member behind a request's bearer token or session cookie.
pub async fn staff_of(req: &HttpRequest) -> Result<Option<StaffMember>, AppError> {
    let bearer = bearer_token(req);
    let session = session_token(req);
    if bearer.is_none() && session.is_none() {
        return Ok(None);
    }
    let state = req
        .app_data::<aweb::Data<AppState>>()
        .ok_or_else(|| AppError::internal(anyhow::anyhow!("application state missing")))?;
    // A door scanning many codes a second is found without the database.
    if let Some(staff) = bearer
        .as_deref()
        .and_then(|t| state.credentials.remembered(t))
    {
        return Ok(Some(staff));
    }
    let credentials = state.credentials.clone();
    crate::db::run(&state.pool, move |conn| {
        if let Some(token) = bearer
            && let Some(staff) = credentials.find(conn, &token)?
        {
            return Ok(Some(staff));
        }
        match session {
            Some(token) => {
                credentials::find_by_session(conn, &token, chrono::Utc::now().naive_utc())
            }
            None => Ok(None),
        }
    })
    .await
}

/// `sign_in`: what the caller should sign in as, for one who sent no credential.
fn unauthorized(req: &HttpRequest, sign_in: crate::i18n::Msg) -> AppError {
    if bearer_token(req).is_some() {
        AppError::Unauthorized(crate::msg!("error-credential-revoked"))
    } else {
        AppError::Unauthorized(sign_in)
    }
}

/// Anyone; `Some` when the caller is signed-in staff.
pub struct Caller(pub Option<StaffMember>);

impl Caller {
    /// Whether the caller is staff who may do what `permission` covers at `festival`.
    pub fn may(&self, permission: Permission, festival: FestivalId) -> bool {
        self.0.as_ref().is_some_and(|s| s.may(permission, festival))
    }
}

impl FromRequest for Caller {
    type Error = AppError;
    type Future = LocalBoxFuture<'static, Result<Caller, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move { staff_of(&req).await.map(Caller) })
    }
}

/// Any signed-in staff member (organiser or door staff).
pub struct SignedIn(pub StaffMember);

impl FromRequest for SignedIn {
    type Error = AppError;
    type Future = LocalBoxFuture<'static, Result<SignedIn, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            match staff_of(&req).await? {
                Some(staff) => Ok(SignedIn(staff)),
                None => Err(unauthorized(&req, crate::msg!("error-sign-in-staff"))),
            }
        })
    }
}

// ---------------------------------------------------------------------------------------------
// Permissions: what a route needs, stated in its signature

/// What a route needs of its caller: one type per [`Permission`], so that a handler's signature
/// names it (`Can<need::BoxOffice, …>`).
pub trait Need {
    const PERMISSION: Permission;
}

/// The needs a route may state.
pub mod need {
    use super::{Need, Permission};

    macro_rules! needs {
        ($($name:ident),*) => {$(
            #[doc = concat!("Needs [`Permission::", stringify!($name), "`].")]
            pub struct $name;
            impl Need for $name {
                const PERMISSION: Permission = Permission::$name;
            }
        )*};
    }
    needs!(Team, Programme, BoxOffice, DoorLead, Reports, Door);
}

/// What a route's scope finds of the festival it acts on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Found {
    /// The route acts on this festival.
    Festival(FestivalId),
    /// The thing the route names does not exist, or its id does not read: 404, before any
    /// handler runs.
    Nothing(crate::error::Thing),
    /// The route acts on something of no festival, or on the whole instance: administrators
    /// only.
    Instance,
    /// The route does not say from its path; the handler narrows with [`Can::at`] or
    /// [`Can::reach`]. The caller needs the permission at one festival at least.
    Anywhere,
}

/// Where a route finds the festival it acts on: its path's `{id}`, read as the thing the
/// route's scope names.
pub trait Scope {
    fn find(conn: &mut AnyConnection, id: Option<&str>) -> Result<Found, AppError>;

    /// What the scope finds without the database, when it needs none (most routes of an
    /// organiser's page then take no extra trip to the pool).
    fn without_database(_id: Option<&str>) -> Option<Found> {
        None
    }
}

/// The scopes routes use.
pub mod scope {
    use diesel::prelude::*;

    use super::{Found, Scope};
    use crate::db::AnyConnection;
    use crate::db::schema::{bookings, outbox, pass_types, passes, screenings, waitlist_entries};
    use crate::domain::FestivalId;
    use crate::error::{AppError, Thing};

    /// The festival is found by the handler ([`super::Can::at`]) or lists are narrowed to
    /// the caller's festivals ([`super::Can::reach`]).
    pub struct Anywhere;
    impl Scope for Anywhere {
        fn find(_: &mut AnyConnection, id: Option<&str>) -> Result<Found, AppError> {
            Ok(Self::without_database(id).unwrap_or(Found::Anywhere))
        }

        fn without_database(_: Option<&str>) -> Option<Found> {
            Some(Found::Anywhere)
        }
    }

    /// The whole instance: administrators only (creating festivals, every staff credential).
    pub struct Instance;
    impl Scope for Instance {
        fn find(_: &mut AnyConnection, id: Option<&str>) -> Result<Found, AppError> {
            Ok(Self::without_database(id).unwrap_or(Found::Instance))
        }

        fn without_database(_: Option<&str>) -> Option<Found> {
            Some(Found::Instance)
        }
    }

    /// A path's id as it is stored (lower case, with hyphens), whatever way of writing a UUID
    /// the path used: the handlers read the id as a UUID too, so both name the same row.
    fn stored(id: Option<&str>) -> Option<String> {
        id.and_then(|id| uuid::Uuid::parse_str(id).ok())
            .map(|id| id.to_string())
    }

    fn found(festival: Option<String>, thing: Thing) -> Result<Found, AppError> {
        Ok(match festival {
            Some(id) => Found::Festival(FestivalId::from_db("festival_id", &id)?),
            None => Found::Nothing(thing),
        })
    }

    /// `{id}` is a festival's id.
    pub struct Festival;
    impl Scope for Festival {
        fn find(_: &mut AnyConnection, id: Option<&str>) -> Result<Found, AppError> {
            Ok(Self::without_database(id).unwrap_or(Found::Nothing(Thing::Festival)))
        }

        fn without_database(id: Option<&str>) -> Option<Found> {
            Some(
                id.and_then(|id| id.parse().ok())
                    .map_or(Found::Nothing(Thing::Festival), Found::Festival),
            )
        }
    }

    /// The scopes whose `{id}` is found in a table, with the festival beside it (or one join
    /// away).
    macro_rules! scopes {
        ($($(#[$doc:meta])* $name:ident => $thing:ident, |$conn:ident, $id:ident| $query:expr;)*) => {$(
            $(#[$doc])*
            pub struct $name;
            impl Scope for $name {
                fn find(conn: &mut AnyConnection, id: Option<&str>) -> Result<Found, AppError> {
                    let Some(stored) = stored(id) else {
                        return Ok(Found::Nothing(Thing::$thing));
                    };
                    let ($conn, $id) = (conn, stored.as_str());
                    found($query, Thing::$thing)
                }
            }
        )*};
    }

    scopes! {
        /// `{id}` is a screening's id.
        Screening => Screening, |conn, id| screenings::table
            .find(id)
            .select(screenings::festival_id)
            .first(conn)
            .optional()?;
        /// `{id}` is a booking's id.
        Booking => Booking, |conn, id| bookings::table
            .inner_join(screenings::table)
            .filter(bookings::id.eq(id))
            .select(screenings::festival_id)
            .first(conn)
            .optional()?;
        /// `{id}` is a festival pass's id.
        Pass => Pass, |conn, id| passes::table
            .find(id)
            .select(passes::festival_id)
            .first(conn)
            .optional()?;
        /// `{id}` is a pass type's id.
        PassType => PassType, |conn, id| pass_types::table
            .find(id)
            .select(pass_types::festival_id)
            .first(conn)
            .optional()?;
        /// `{id}` is a waiting-list entry's id.
        WaitlistEntry => WaitlistEntry, |conn, id| waitlist_entries::table
            .inner_join(screenings::table)
            .filter(waitlist_entries::id.eq(id))
            .select(screenings::festival_id)
            .first(conn)
            .optional()?;
    }

    /// `{id}` is an outgoing message's id: the festival of the booking, waiting-list entry or
    /// pass it is about. A message about none (a personal-data link, a staff member's link) is
    /// the instance's.
    pub struct Message;
    impl Scope for Message {
        fn find(conn: &mut AnyConnection, id: Option<&str>) -> Result<Found, AppError> {
            let Some(id) = stored(id) else {
                return Ok(Found::Nothing(Thing::Message));
            };
            let about: Option<(Option<String>, Option<String>, Option<String>)> = outbox::table
                .find(&id)
                .select((
                    outbox::booking_id,
                    outbox::waitlist_entry_id,
                    outbox::pass_id,
                ))
                .first(conn)
                .optional()?;
            match about {
                None => Ok(Found::Nothing(Thing::Message)),
                Some((Some(booking), _, _)) => Booking::find(conn, Some(&booking)),
                Some((_, Some(entry), _)) => WaitlistEntry::find(conn, Some(&entry)),
                Some((_, _, Some(pass))) => Pass::find(conn, Some(&pass)),
                Some(_) => Ok(Found::Instance),
            }
        }
    }
}

/// A signed-in staff member who may do what `N` covers where the route `S` acts. Refused with
/// 401 without a credential, 403 without the permission there.
pub struct Can<N: Need, S: Scope> {
    pub staff: StaffMember,
    /// The festival the route acts on, when its path names one.
    pub festival: Option<FestivalId>,
    _need: std::marker::PhantomData<(N, S)>,
}

impl<N: Need, S: Scope> Can<N, S> {
    /// Checks the permission at a festival the handler found (a body's `festival_id`, say).
    pub fn at(&self, festival: FestivalId) -> Result<(), AppError> {
        if self.staff.may(N::PERMISSION, festival) {
            Ok(())
        } else {
            Err(permission_needed(N::PERMISSION))
        }
    }

    /// The festivals the caller may act on with this permission.
    pub fn reach(&self) -> Reach {
        self.staff.reach(N::PERMISSION)
    }
}

/// The refusal (403) of a caller who lacks `permission` where they act.
pub fn permission_needed(permission: Permission) -> AppError {
    AppError::Forbidden(crate::msg!(
        "error-permission-needed",
        permission = permission.label()
    ))
}

impl<N: Need + 'static, S: Scope + 'static> FromRequest for Can<N, S> {
    type Error = AppError;
    type Future = LocalBoxFuture<'static, Result<Can<N, S>, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let Some(staff) = staff_of(&req).await? else {
                return Err(unauthorized(&req, crate::msg!("error-sign-in-staff")));
            };
            let permission = N::PERMISSION;
            if staff.reach(permission).is_empty() {
                return Err(permission_needed(permission));
            }
            let id = req.match_info().get("id").map(str::to_owned);
            let found = match S::without_database(id.as_deref()) {
                Some(found) => found,
                None => {
                    let state = req.app_data::<aweb::Data<AppState>>().ok_or_else(|| {
                        AppError::internal(anyhow::anyhow!("application state missing"))
                    })?;
                    crate::db::run(&state.pool, move |conn| S::find(conn, id.as_deref())).await?
                }
            };
            let festival = match found {
                Found::Festival(festival) if staff.may(permission, festival) => Some(festival),
                Found::Festival(_) => return Err(permission_needed(permission)),
                Found::Instance if staff.is_admin() => None,
                Found::Instance => {
                    return Err(AppError::Forbidden(crate::msg!(
                        "error-instance-admin-only"
                    )));
                }
                Found::Nothing(thing) => return Err(AppError::not_found(thing)),
                Found::Anywhere => None,
            };
            Ok(Can {
                staff,
                festival,
                _need: std::marker::PhantomData,
            })
        })
    }
}
