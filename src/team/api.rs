//! The team JSON API: a festival's members and their roles, its API tokens.

use actix_web::{HttpResponse, web as aweb};
use serde::{Deserialize, Serialize};

use super::{Member, Token};
use crate::db::{self, Lock};
use crate::domain::{FestivalId, StaffId};
use crate::error::{AppError, ErrorBody};
use crate::web::auth::{Can, need, scope};
use crate::web::json::ApiJson;
use crate::web::{AppState, Reply};

pub fn routes(cfg: &mut aweb::ServiceConfig) {
    cfg.route("/api/v1/festivals/{id}/team", aweb::get().to(list_team))
        .route("/api/v1/festivals/{id}/team", aweb::post().to(add_to_team))
        .route(
            "/api/v1/festivals/{id}/team/{staff_id}",
            aweb::put().to(set_roles),
        )
        .route("/api/v1/festivals/{id}/tokens", aweb::get().to(list_tokens))
        .route(
            "/api/v1/festivals/{id}/tokens",
            aweb::post().to(create_token),
        )
        .route(
            "/api/v1/festivals/{id}/tokens/{token_id}",
            aweb::delete().to(revoke_token),
        );
}

type State = aweb::Data<AppState>;

/// Who manages the team: a door lead manages door staff; giving any other role takes an owner
/// (checked with [`super::may_give`]).
type TeamLead = Can<need::DoorLead, scope::Festival>;

#[derive(Serialize, utoipa::ToSchema)]
pub struct Team {
    members: Vec<Member>,
}

/// `GET /api/v1/festivals/{id}/team`.
#[utoipa::path(get, path = "/api/v1/festivals/{id}/team", tag = "team",
    params(("id" = FestivalId, Path, description = "The festival's id")),
    security(("bearer" = [])),
    responses((status = 200, description = "The festival's team, by name", body = Team)))]
async fn list_team(state: State, _: TeamLead, id: aweb::Path<FestivalId>) -> Reply {
    let festival = id.into_inner();
    let members = db::run(&state.pool, move |conn| {
        crate::catalogue::queries::festival(conn, festival)?
            .ok_or_else(|| AppError::not_found(crate::error::Thing::Festival))?;
        super::members(conn, festival)
    })
    .await?;
    Ok(HttpResponse::Ok().json(Team { members }))
}

/// A new person for the team, or roles for someone already in another festival's team.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TeamInput {
    /// A new member's name (without `staff_id`).
    #[schema(max_length = 200)]
    name: Option<String>,
    /// A new member's address: they are mailed an invitation to set up their account (no
    /// credential is answered). Without one, the answer holds their sign-in link, once.
    #[schema(format = Email, max_length = 254)]
    email: Option<String>,
    /// A member already known (a team member of another festival).
    #[schema(format = Uuid)]
    staff_id: Option<String>,
    /// `owner`, `programme`, `box_office`, `door_lead`, `reports`, `door`.
    roles: Vec<String>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Added {
    member: Member,
    /// A new member's credential, shown this once: their sign-in link holds it (none for one
    /// invited by mail).
    credential: Option<String>,
    signin_url: Option<String>,
}

/// `POST /api/v1/festivals/{id}/team`.
#[utoipa::path(post, path = "/api/v1/festivals/{id}/team", tag = "team",
    request_body = TeamInput,
    params(("id" = FestivalId, Path, description = "The festival's id")),
    security(("bearer" = [])),
    responses(
        (status = 201, description = "A new member, with their sign-in link (shown this once)", body = Added),
        (status = 200, description = "An existing member given roles here", body = Added),
        (status = 403, description = "Only an owner gives roles other than door staff", body = ErrorBody),
        (status = 409, description = "`already_exists`: another team member has this address; `in_use`: the person is an administrator; `own_credential`: an owner taking their own ownership", body = ErrorBody),
        (status = 422, description = "A name, address or role that is not acceptable", body = ErrorBody),
    ))]
async fn add_to_team(
    state: State,
    can: TeamLead,
    id: aweb::Path<FestivalId>,
    body: ApiJson<TeamInput>,
) -> Reply {
    let (festival, input) = (id.into_inner(), body.into_inner()?);
    let roles = super::parse_roles("roles", &input.roles)?;
    match (input.name, input.staff_id) {
        (Some(name), None) => {
            let email = input.email;
            let (member, credential) = state
                .write(Lock::NoScreening, move |tx| {
                    let by = can.staff.clone();
                    super::add_member(tx.by(&by), &by, festival, &name, email.as_deref(), &roles)
                })
                .await?;
            state.outbox.wake();
            let signin_url = credential
                .as_deref()
                .map(|c| crate::staff::signin_link(&state.public_url, c));
            Ok(HttpResponse::Created().json(Added {
                member,
                credential,
                signin_url,
            }))
        }
        (None, Some(staff_id)) if input.email.is_none() => {
            let staff_id: StaffId = crate::catalogue::input::id_field("staff_id", &staff_id)?;
            if roles.is_empty() {
                return Err(AppError::invalid(
                    "roles",
                    crate::msg!("error-team-no-role"),
                ));
            }
            let member = state
                .write(Lock::NoScreening, move |tx| {
                    let by = can.staff.clone();
                    super::change_roles(tx.by(&by), &by, festival, staff_id, &roles)
                })
                .await?;
            state.credentials.forget(staff_id);
            Ok(HttpResponse::Ok().json(Added {
                member,
                credential: None,
                signin_url: None,
            }))
        }
        _ => Err(AppError::invalid(
            "name",
            crate::msg!("error-team-name-or-id"),
        )),
    }
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RolesInput {
    /// Every role the member is to hold here (none: they leave the festival's team).
    roles: Vec<String>,
}

/// `PUT /api/v1/festivals/{id}/team/{staff_id}`.
#[utoipa::path(put, path = "/api/v1/festivals/{id}/team/{staff_id}", tag = "team",
    request_body = RolesInput,
    params(
        ("id" = FestivalId, Path, description = "The festival's id"),
        ("staff_id" = String, Path, description = "The member's id"),
    ),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The member's roles here now", body = Member),
        (status = 403, description = "Only an owner gives or takes roles other than door staff", body = ErrorBody),
        (status = 409, description = "Not a team member (an administrator), or an owner taking their own ownership", body = ErrorBody),
    ))]
async fn set_roles(
    state: State,
    can: TeamLead,
    path: aweb::Path<(FestivalId, StaffId)>,
    body: ApiJson<RolesInput>,
) -> Reply {
    let (festival, staff_id) = path.into_inner();
    let roles = super::parse_roles("roles", &body.into_inner()?.roles)?;
    let member = state
        .write(Lock::NoScreening, move |tx| {
            let by = can.staff.clone();
            super::change_roles(tx.by(&by), &by, festival, staff_id, &roles)
        })
        .await?;
    state.credentials.forget(staff_id);
    Ok(HttpResponse::Ok().json(member))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Tokens {
    tokens: Vec<Token>,
}

/// `GET /api/v1/festivals/{id}/tokens`.
#[utoipa::path(get, path = "/api/v1/festivals/{id}/tokens", tag = "team",
    params(("id" = FestivalId, Path, description = "The festival's id")),
    security(("bearer" = [])),
    responses((status = 200, description = "The festival's API tokens, newest first, with their last use", body = Tokens)))]
async fn list_tokens(
    state: State,
    _: Can<need::Team, scope::Festival>,
    id: aweb::Path<FestivalId>,
) -> Reply {
    let festival = id.into_inner();
    let tokens = db::run(&state.pool, move |conn| {
        crate::catalogue::queries::festival(conn, festival)?
            .ok_or_else(|| AppError::not_found(crate::error::Thing::Festival))?;
        super::tokens(conn, festival)
    })
    .await?;
    Ok(HttpResponse::Ok().json(Tokens { tokens }))
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TokenInput {
    #[schema(min_length = 1, max_length = 200)]
    name: String,
    /// Any of `programme`, `box_office`, `door_lead`, `reports`, `door`.
    permissions: Vec<String>,
    /// Days until it stops working: 1 to 366 (default 90).
    #[schema(minimum = 1, maximum = 366)]
    expires_in_days: Option<i64>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Created {
    token: Token,
    /// The token's secret, shown this once: `Authorization: Bearer …`.
    credential: String,
}

/// `POST /api/v1/festivals/{id}/tokens`.
#[utoipa::path(post, path = "/api/v1/festivals/{id}/tokens", tag = "team",
    request_body = TokenInput,
    params(("id" = FestivalId, Path, description = "The festival's id")),
    security(("bearer" = [])),
    responses(
        (status = 201, description = "The token, with its secret (shown this once)", body = Created),
        (status = 422, description = "A name, permission or lifetime that is not acceptable", body = ErrorBody),
    ))]
async fn create_token(
    state: State,
    can: Can<need::Team, scope::Festival>,
    id: aweb::Path<FestivalId>,
    body: ApiJson<TokenInput>,
) -> Reply {
    let (festival, input) = (id.into_inner(), body.into_inner()?);
    let permissions = super::parse_permissions(&input.permissions)?;
    let days = input.expires_in_days.unwrap_or(super::TOKEN_DEFAULT_DAYS);
    let (token, credential) = state
        .write(Lock::NoScreening, move |tx| {
            let by = can.staff.clone();
            super::create_token(tx.by(&by), festival, &input.name, &permissions, days, &by)
        })
        .await?;
    Ok(HttpResponse::Created().json(Created { token, credential }))
}

/// `DELETE /api/v1/festivals/{id}/tokens/{token_id}`.
#[utoipa::path(delete, path = "/api/v1/festivals/{id}/tokens/{token_id}", tag = "team",
    params(
        ("id" = FestivalId, Path, description = "The festival's id"),
        ("token_id" = String, Path, description = "The token's id"),
    ),
    security(("bearer" = [])),
    responses((status = 204, description = "Revoked: it stops working at once")))]
async fn revoke_token(
    state: State,
    can: Can<need::Team, scope::Festival>,
    path: aweb::Path<(FestivalId, StaffId)>,
) -> Reply {
    let (festival, token) = path.into_inner();
    state
        .write(Lock::NoScreening, move |tx| {
            super::revoke_token(tx.by(&can.staff), festival, token)
        })
        .await?;
    state.credentials.forget(token);
    Ok(HttpResponse::NoContent().finish())
}
