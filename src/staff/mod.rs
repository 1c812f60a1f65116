//! Staff: organisers and door staff, their credentials and their web sessions.
//!
//! A credential is a random token shown once (by `marquee staff add`, the demo, or the first-start
//! link) and stored as its SHA-256. It works as an API bearer token and, pasted into (or linked to)
//! the sign-in page, opens a web session. Revoking a member invalidates the credential and every
//! session at once.

pub mod account;
pub mod cli;
pub mod pages;
pub mod passkeys;

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::schema::{sessions, staff};
use crate::db::{AnyConnection, Tx};
use crate::domain::secret::{hash_token, new_token};
use crate::domain::{FestivalId, Role, StaffId, VenueId};
use crate::error::{AppError, Thing};
use crate::web::links;

pub(crate) use crate::db::credentials::StaffRow;
pub use crate::db::credentials::{Reach, StaffMember, find_by_credential, find_by_session};

/// How long a web session lasts: long enough for a festival day at the door.
pub const SESSION_HOURS: i64 = 16;

fn now() -> NaiveDateTime {
    chrono::Utc::now().naive_utc()
}

/// Creates a staff member; returns them with their new credential (the only time it exists in clear).
pub fn create(
    conn: &mut AnyConnection,
    name: &str,
    role: Role,
    festival_id: Option<FestivalId>,
    venue_id: Option<VenueId>,
) -> Result<(StaffMember, String), AppError> {
    let name = crate::domain::text("name", name, 200)?;
    if role == Role::Organiser && (festival_id.is_some() || venue_id.is_some()) {
        // Organiser rights are not divided by festival or venue; only door staff are limited.
        return Err(AppError::invalid(
            "scope",
            crate::msg!("error-organiser-scope"),
        ));
    }
    let token = new_token();
    let row = StaffRow {
        id: StaffId::new().to_string(),
        name,
        role: role.as_str().to_owned(),
        festival_id: festival_id.map(|f| f.to_string()),
        venue_id: venue_id.map(|v| v.to_string()),
        token_hash: hash_token(&token),
        created_at: now(),
        revoked_at: None,
        permissions: None,
        expires_at: None,
        last_used_at: None,
        created_by: None,
    };
    diesel::insert_into(staff::table)
        .values(&row)
        .execute(conn)?;
    Ok((row.try_into()?, token))
}

/// Replaces a member's credential with a new one (the old one stops working), and un-revokes them.
pub fn rotate_credential(conn: &mut AnyConnection, id: StaffId) -> Result<String, AppError> {
    let token = new_token();
    let updated = diesel::update(staff::table.find(id.to_string()))
        .set((
            staff::token_hash.eq(hash_token(&token)),
            staff::revoked_at.eq(None::<NaiveDateTime>),
        ))
        .execute(conn)?;
    if updated == 0 {
        return Err(AppError::not_found(Thing::StaffMember));
    }
    Ok(token)
}

/// Opens a web session for a member; returns the session cookie's value.
pub fn start_session(
    conn: &mut AnyConnection,
    id: StaffId,
    begun: &account::Begun,
) -> Result<String, AppError> {
    let token = new_token();
    let created_at = now();
    let hash = hash_token(&token);
    diesel::insert_into(sessions::table)
        .values((
            sessions::id.eq(Some(uuid::Uuid::now_v7().simple().to_string())),
            sessions::token_hash.eq(&hash),
            sessions::staff_id.eq(id.to_string()),
            sessions::created_at.eq(created_at),
            sessions::expires_at.eq(created_at + chrono::Duration::hours(SESSION_HOURS)),
            sessions::user_agent.eq(begun.device.chars().take(200).collect::<String>()),
            sessions::address.eq(&begun.address),
            sessions::method.eq(begun.method),
            sessions::last_seen_at.eq(Some(created_at)),
        ))
        .execute(conn)?;
    Ok(token)
}

/// Ends a web session (sign-out). Unknown tokens are ignored.
pub fn end_session(conn: &mut AnyConnection, token: &str) -> Result<(), AppError> {
    diesel::delete(sessions::table.filter(sessions::token_hash.eq(hash_token(token))))
        .execute(conn)?;
    Ok(())
}

/// Revokes a member: their credential stops working and their sessions end.
pub fn revoke(tx: &mut Tx<'_>, id: StaffId) -> Result<(), AppError> {
    tx.savepoint(|tx| {
        let updated = diesel::update(staff::table.find(id.to_string()))
            .set(staff::revoked_at.eq(Some(now())))
            .execute(tx.conn)?;
        if updated == 0 {
            return Err(AppError::not_found(Thing::StaffMember));
        }
        diesel::delete(sessions::table.filter(sessions::staff_id.eq(id.to_string())))
            .execute(tx.conn)?;
        Ok(())
    })
}

/// Every staff member, organisers first.
pub fn list(conn: &mut AnyConnection) -> Result<Vec<StaffMember>, AppError> {
    let rows = staff::table
        .order((staff::role.desc(), staff::name.asc()))
        .select(StaffRow::as_select())
        .load(conn)?;
    rows.into_iter().map(StaffMember::try_from).collect()
}

/// The active member with this name and role, if any (used by the demo to stay idempotent).
pub fn find_by_name(
    conn: &mut AnyConnection,
    name: &str,
    role: Role,
) -> Result<Option<StaffMember>, AppError> {
    let row = staff::table
        .filter(staff::name.eq(name))
        .filter(staff::role.eq(role.as_str()))
        .select(StaffRow::as_select())
        .first(conn)
        .optional()?;
    row.map(StaffMember::try_from).transpose()
}

/// When no organiser exists, creates the first one and returns its credential, to be shown once.
pub fn ensure_first_organiser(conn: &mut AnyConnection) -> Result<Option<String>, AppError> {
    crate::db::tx::write_on(conn, crate::i18n::Lang::default(), |tx| {
        let organisers: i64 = staff::table
            .filter(staff::role.eq(Role::Organiser.as_str()))
            .count()
            .get_result(tx.conn)?;
        if organisers > 0 {
            return Ok(None);
        }
        let (_, token) = create(tx.conn, "First organiser", Role::Organiser, None, None)?;
        Ok(Some(token))
    })
}

/// The web sign-in link for a credential.
pub fn signin_link(public_url: &str, token: &str) -> String {
    links::absolute(public_url, &links::signin(token))
}
