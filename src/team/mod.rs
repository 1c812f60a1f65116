//! A festival's team: the people given roles in it ([`TeamRole`]), its API tokens for
//! integrations, and its audit trail. Owners manage all three; a door lead adds and removes door
//! staff. Every change here is recorded in the audit trail (see [`crate::db::audit`]).

pub mod account_pages;
pub mod api;
pub mod audit;
pub mod pages;

use std::collections::BTreeMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;

use crate::db::audit::Change;
use crate::db::credentials::team_roles_of;
use crate::db::schema::{staff, team_roles};
use crate::db::{AnyConnection, Tx};
use crate::domain::secret::{hash_token, new_token};
use crate::domain::{FestivalId, Permission, Role, StaffId, TeamRole};
use crate::error::{AppError, Refusal, Thing};
use crate::staff::{StaffMember, StaffRow};

fn now() -> NaiveDateTime {
    chrono::Utc::now().naive_utc()
}

/// A member of a festival's team, as its owners see them (a name, never a credential).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Member {
    #[schema(value_type = String, format = Uuid)]
    pub id: StaffId,
    pub name: String,
    /// `member` (roles given festival by festival), `door` (a door credential of this
    /// festival) or `organiser` (an administrator: everything, everywhere).
    #[schema(value_type = String)]
    pub kind: Role,
    /// Their roles in this festival.
    #[schema(value_type = Vec<String>)]
    pub roles: Vec<TeamRole>,
    pub revoked: bool,
}

/// The festival's team: its members with their roles here, and the door credentials limited to
/// it, by name.
pub fn members(conn: &mut AnyConnection, festival: FestivalId) -> Result<Vec<Member>, AppError> {
    let granted: Vec<(String, String)> = team_roles::table
        .filter(team_roles::festival_id.eq(festival.to_string()))
        .select((team_roles::staff_id, team_roles::role))
        .load(conn)?;
    let mut roles: BTreeMap<String, Vec<TeamRole>> = BTreeMap::new();
    for (id, role) in granted {
        roles
            .entry(id)
            .or_default()
            .push(TeamRole::from_db("team_roles.role", &role)?);
    }
    let ids: Vec<&String> = roles.keys().collect();
    let rows = staff::table
        .filter(
            staff::id.eq_any(ids).or(staff::role
                .eq(Role::Door.as_str())
                .and(staff::festival_id.eq(festival.to_string()))),
        )
        .order(staff::name.asc())
        .select(StaffRow::as_select())
        .load(conn)?;
    rows.into_iter()
        .map(|row| {
            let mut found = roles.remove(&row.id).unwrap_or_default();
            found.sort_unstable();
            let member = StaffMember::try_from(row)?;
            if member.role == Role::Door && found.is_empty() {
                found.push(TeamRole::Door);
            }
            Ok(Member {
                id: member.id,
                name: member.name,
                kind: member.role,
                roles: found,
                revoked: member.revoked,
            })
        })
        .collect()
}

/// One member of the festival's team, or 404.
pub fn member(
    conn: &mut AnyConnection,
    festival: FestivalId,
    id: StaffId,
) -> Result<Member, AppError> {
    members(conn, festival)?
        .into_iter()
        .find(|m| m.id == id)
        .ok_or_else(|| AppError::not_found(Thing::StaffMember))
}

/// Who may give `roles`: an owner gives any; a door lead only door staff; an API token none (a
/// token makes no people, so it cannot outlive its expiry through them).
pub fn may_give(staff: &StaffMember, festival: FestivalId, roles: &[TeamRole]) -> bool {
    staff.role != Role::Token
        && (staff.may(Permission::Team, festival)
            || (staff.may(Permission::DoorLead, festival)
                && roles.iter().all(|r| *r == TeamRole::Door)))
}

/// Sets a person's roles in the festival as `by` asks, checked inside the write against what
/// they hold now: `by` must be able to give or take every role touched (those held and those
/// asked for), and an owner cannot take their own ownership.
pub fn change_roles(
    tx: &mut Tx<'_>,
    by: &StaffMember,
    festival: FestivalId,
    id: StaffId,
    roles: &[TeamRole],
) -> Result<Member, AppError> {
    let current = members(tx.conn, festival)?
        .into_iter()
        .find(|m| m.id == id)
        .map(|m| m.roles)
        .unwrap_or_default();
    let touched: Vec<TeamRole> = current.iter().chain(roles).copied().collect();
    if !may_give(by, festival, &touched) {
        return Err(crate::web::auth::permission_needed(Permission::Team));
    }
    if id == by.id && current.contains(&TeamRole::Owner) && !roles.contains(&TeamRole::Owner) {
        return Err(AppError::conflict(
            Refusal::OwnCredential,
            crate::msg!("error-team-own-owner"),
        ));
    }
    set_roles(tx, festival, id, roles)
}

/// Reads a list of roles as sent (`["box_office", "reports"]`), naming the field.
pub fn parse_roles(field: &'static str, roles: &[String]) -> Result<Vec<TeamRole>, AppError> {
    let mut parsed = roles
        .iter()
        .map(|r| {
            TeamRole::parse(r.trim())
                .ok_or_else(|| AppError::invalid(field, crate::msg!("error-team-role")))
        })
        .collect::<Result<Vec<_>, _>>()?;
    parsed.sort_unstable();
    parsed.dedup();
    Ok(parsed)
}

/// Adds a new person to the festival's team with `roles`, as `by` asks (who must be able to give
/// them: [`may_give`]). With an address, they are mailed an
/// invitation (to set up their account and sign in); without, the credential of their sign-in
/// link is returned, to be shown once.
pub fn add_member(
    tx: &mut Tx<'_>,
    by: &StaffMember,
    festival: FestivalId,
    name: &str,
    email: Option<&str>,
    roles: &[TeamRole],
) -> Result<(Member, Option<String>), AppError> {
    if !may_give(by, festival, roles) {
        return Err(crate::web::auth::permission_needed(Permission::Team));
    }
    if roles.is_empty() {
        return Err(AppError::invalid(
            "roles",
            crate::msg!("error-team-no-role"),
        ));
    }
    crate::catalogue::queries::festival(tx.conn, festival)?
        .ok_or_else(|| AppError::not_found(Thing::Festival))?;
    let (created, token) = crate::staff::create(tx.conn, name, Role::Member, None, None)?;
    if let Some(email) = email {
        crate::staff::account::set_email(tx.conn, created.id, email)?;
        crate::db::outbox::enqueue_for_staff(
            tx.conn,
            crate::db::outbox::Kind::StaffInvitation,
            created.id,
            &crate::staff::account::email_key(email),
            tx.lang.code(),
            now(),
            INVITATIONS_PER_HOUR,
        )?;
    }
    crate::db::audit::record(
        tx,
        Change::new(
            Some(festival),
            "staff.create",
            format!("staff:{}", created.id),
        )
        .after(&serde_json::json!({
            "name": created.name,
            "kind": Role::Member,
            "invited": email.is_some(),
        })),
    )?;
    let member = set_roles(tx, festival, created.id, roles)?;
    Ok((member, email.is_none().then_some(token)))
}

/// Invitations mailed to one person in an hour, at most.
const INVITATIONS_PER_HOUR: i64 = 5;

/// Sets a member's roles in the festival (none: they leave its team). A door credential of the
/// festival keeps its one role, or is revoked with none.
pub fn set_roles(
    tx: &mut Tx<'_>,
    festival: FestivalId,
    id: StaffId,
    roles: &[TeamRole],
) -> Result<Member, AppError> {
    let row = staff::table
        .find(id.to_string())
        .select(StaffRow::as_select())
        .first(tx.conn)
        .optional()?
        .ok_or_else(|| AppError::not_found(Thing::StaffMember))?;
    let target = StaffMember::try_from(row)?;
    match target.role {
        Role::Member => {}
        Role::Door if target.festival_id == Some(festival) => {
            if roles.is_empty() {
                crate::staff::revoke(tx, id)?;
            } else if roles != [TeamRole::Door] {
                return Err(AppError::invalid(
                    "roles",
                    crate::msg!("error-team-door-credential"),
                ));
            }
            let after = member(tx.conn, festival, id)?;
            crate::db::audit::record(
                tx,
                Change::new(Some(festival), "team.roles", format!("staff:{id}"))
                    .before(&[TeamRole::Door])
                    .after(&after.roles),
            )?;
            return Ok(after);
        }
        _ => {
            return Err(AppError::conflict(
                Refusal::InUse,
                crate::msg!("error-team-not-member"),
            ));
        }
    }
    let before: Vec<TeamRole> = team_roles_of(tx.conn, id)?
        .into_iter()
        .filter(|(f, _)| *f == festival)
        .map(|(_, r)| r)
        .collect();
    diesel::delete(
        team_roles::table
            .filter(team_roles::staff_id.eq(id.to_string()))
            .filter(team_roles::festival_id.eq(festival.to_string())),
    )
    .execute(tx.conn)?;
    let at = now();
    for role in roles {
        diesel::insert_into(team_roles::table)
            .values((
                team_roles::staff_id.eq(id.to_string()),
                team_roles::festival_id.eq(festival.to_string()),
                team_roles::role.eq(role.as_str()),
                team_roles::granted_at.eq(at),
            ))
            .execute(tx.conn)?;
    }
    crate::db::audit::record(
        tx,
        Change::new(Some(festival), "team.roles", format!("staff:{id}"))
            .before(&before)
            .after(&roles),
    )?;
    Ok(Member {
        id,
        name: target.name,
        kind: target.role,
        roles: roles.to_vec(),
        revoked: target.revoked,
    })
}

// ---------------------------------------------------------------------------------------------
// API tokens

/// The permissions a token may hold: everything but the team itself (a token cannot make
/// tokens or give roles).
pub const TOKEN_PERMISSIONS: [Permission; 5] = [
    Permission::Programme,
    Permission::BoxOffice,
    Permission::DoorLead,
    Permission::Reports,
    Permission::Door,
];

/// The longest a token lives, and how long when nothing is said.
pub const TOKEN_MAX_DAYS: i64 = 366;
pub const TOKEN_DEFAULT_DAYS: i64 = 90;

/// An API token as its festival's owners see it (never its secret).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Token {
    #[schema(value_type = String, format = Uuid)]
    pub id: StaffId,
    pub name: String,
    #[schema(value_type = Vec<String>)]
    pub permissions: Vec<Permission>,
    /// UTC.
    #[schema(value_type = String)]
    pub created_at: NaiveDateTime,
    /// UTC: it stops working then.
    #[schema(value_type = String)]
    pub expires_at: Option<NaiveDateTime>,
    /// UTC, to the minute: when it was last used (none: never).
    #[schema(value_type = Option<String>)]
    pub last_used_at: Option<NaiveDateTime>,
    pub revoked: bool,
    /// Who made it (their name).
    pub created_by: Option<String>,
}

impl Token {
    fn of(row: StaffRow, names: &BTreeMap<String, String>) -> Result<Token, AppError> {
        let created_by = row
            .created_by
            .as_ref()
            .and_then(|id| names.get(id).cloned());
        let (created_at, expires_at, last_used_at, revoked) = (
            row.created_at,
            row.expires_at,
            row.last_used_at,
            row.revoked_at.is_some(),
        );
        let member = StaffMember::try_from(row)?;
        Ok(Token {
            id: member.id,
            name: member.name,
            permissions: member.grants.iter().map(|(_, p)| *p).collect(),
            created_at,
            expires_at,
            last_used_at,
            revoked,
            created_by,
        })
    }
}

/// Reads the permissions a token is to hold, naming the field.
pub fn parse_permissions(values: &[String]) -> Result<Vec<Permission>, AppError> {
    let mut parsed = values
        .iter()
        .map(|p| {
            Permission::parse(p.trim())
                .filter(|p| TOKEN_PERMISSIONS.contains(p))
                .ok_or_else(|| {
                    AppError::invalid("permissions", crate::msg!("error-token-permission"))
                })
        })
        .collect::<Result<Vec<_>, _>>()?;
    parsed.sort_unstable();
    parsed.dedup();
    if parsed.is_empty() {
        return Err(AppError::invalid(
            "permissions",
            crate::msg!("error-token-permission"),
        ));
    }
    Ok(parsed)
}

/// Makes an API token for `festival`; returns it and its secret (shown once).
pub fn create_token(
    tx: &mut Tx<'_>,
    festival: FestivalId,
    name: &str,
    permissions: &[Permission],
    days: i64,
    by: &StaffMember,
) -> Result<(Token, String), AppError> {
    let name = crate::domain::text("name", name, 200)?;
    if !(1..=TOKEN_MAX_DAYS).contains(&days) {
        return Err(AppError::invalid(
            "expires_in_days",
            crate::msg!("error-token-days", max = TOKEN_MAX_DAYS),
        ));
    }
    crate::catalogue::queries::festival(tx.conn, festival)?
        .ok_or_else(|| AppError::not_found(Thing::Festival))?;
    let secret = new_token();
    let at = now();
    let row = StaffRow {
        id: StaffId::new().to_string(),
        name,
        role: Role::Token.as_str().to_owned(),
        festival_id: Some(festival.to_string()),
        venue_id: None,
        token_hash: hash_token(&secret),
        created_at: at,
        revoked_at: None,
        permissions: Some(
            permissions
                .iter()
                .map(|p| p.as_str())
                .collect::<Vec<_>>()
                .join(","),
        ),
        expires_at: Some(at + chrono::TimeDelta::days(days)),
        last_used_at: None,
        created_by: Some(by.id.to_string()),
    };
    diesel::insert_into(staff::table)
        .values(&row)
        .execute(tx.conn)?;
    let names = BTreeMap::from([(by.id.to_string(), by.name.clone())]);
    let token = Token::of(row, &names)?;
    crate::db::audit::record(
        tx,
        Change::new(
            Some(festival),
            "token.create",
            format!("token:{}", token.id),
        )
        .after(&serde_json::json!({
            "name": token.name,
            "permissions": token.permissions,
            "expires_at": token.expires_at,
        })),
    )?;
    Ok((token, secret))
}

/// The festival's API tokens, newest first.
pub fn tokens(conn: &mut AnyConnection, festival: FestivalId) -> Result<Vec<Token>, AppError> {
    let rows = staff::table
        .filter(staff::role.eq(Role::Token.as_str()))
        .filter(staff::festival_id.eq(festival.to_string()))
        .order(staff::created_at.desc())
        .select(StaffRow::as_select())
        .load(conn)?;
    let makers: Vec<String> = rows.iter().filter_map(|r| r.created_by.clone()).collect();
    let names: BTreeMap<String, String> = staff::table
        .filter(staff::id.eq_any(&makers))
        .select((staff::id, staff::name))
        .load::<(String, String)>(conn)?
        .into_iter()
        .collect();
    rows.into_iter().map(|row| Token::of(row, &names)).collect()
}

/// Revokes one of the festival's tokens (it stops working at once on this instance, within
/// seconds on others). Revoking twice changes nothing.
pub fn revoke_token(tx: &mut Tx<'_>, festival: FestivalId, id: StaffId) -> Result<(), AppError> {
    let found = tokens(tx.conn, festival)?
        .into_iter()
        .find(|t| t.id == id)
        .ok_or_else(|| AppError::not_found(Thing::StaffMember))?;
    if found.revoked {
        return Ok(());
    }
    crate::staff::revoke(tx, id)?;
    crate::db::audit::record(
        tx,
        Change::new(Some(festival), "token.revoke", format!("token:{id}")),
    )
}
