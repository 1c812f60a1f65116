//! Who is calling: the staff member behind a credential or a web session. The sign-in
//! extractors of [`crate::web::auth`] need it below every feature; managing staff (creating,
//! revoking, sessions) is the staff feature's ([`crate::staff`]).

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::AnyConnection;
use crate::db::schema::{sessions, staff};
use crate::domain::secret::{hash_token, looks_like_token};
use crate::domain::{FestivalId, Role, StaffId, VenueId};
use crate::error::AppError;

/// A staff member as the rest of the code sees them (never their credential).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct StaffMember {
    pub id: StaffId,
    pub name: String,
    pub role: Role,
    pub festival_id: Option<FestivalId>,
    pub venue_id: Option<VenueId>,
    #[serde(skip)]
    pub revoked: bool,
}

#[derive(Queryable, Selectable, Insertable)]
#[diesel(table_name = staff)]
pub(crate) struct StaffRow {
    pub(crate) id: String,
    pub(crate) name: String,
    pub(crate) role: String,
    pub(crate) festival_id: Option<String>,
    pub(crate) venue_id: Option<String>,
    pub(crate) token_hash: String,
    pub(crate) created_at: NaiveDateTime,
    pub(crate) revoked_at: Option<NaiveDateTime>,
}

impl TryFrom<StaffRow> for StaffMember {
    type Error = AppError;

    /// Fails closed: a role that does not read back is an error naming the column, never a
    /// default (the first role is the most privileged).
    fn try_from(row: StaffRow) -> Result<StaffMember, AppError> {
        Ok(StaffMember {
            id: StaffId::from_db("staff.id", &row.id)?,
            name: row.name,
            role: Role::from_db("staff.role", &row.role)?,
            festival_id: row
                .festival_id
                .as_deref()
                .map(|id| FestivalId::from_db("staff.festival_id", id))
                .transpose()?,
            venue_id: row
                .venue_id
                .as_deref()
                .map(|id| VenueId::from_db("staff.venue_id", id))
                .transpose()?,
            revoked: row.revoked_at.is_some(),
        })
    }
}

/// The active member holding this credential.
pub fn find_by_credential(
    conn: &mut AnyConnection,
    token: &str,
) -> Result<Option<StaffMember>, AppError> {
    if !looks_like_token(token) {
        return Ok(None);
    }
    let row = staff::table
        .filter(staff::token_hash.eq(hash_token(token)))
        .filter(staff::revoked_at.is_null())
        .select(StaffRow::as_select())
        .first(conn)
        .optional()?;
    row.map(StaffMember::try_from).transpose()
}

/// The active member behind an unexpired web session.
pub fn find_by_session(
    conn: &mut AnyConnection,
    token: &str,
    now: NaiveDateTime,
) -> Result<Option<StaffMember>, AppError> {
    if !looks_like_token(token) {
        return Ok(None);
    }
    let row = sessions::table
        .inner_join(staff::table)
        .filter(sessions::token_hash.eq(hash_token(token)))
        .filter(sessions::expires_at.gt(now))
        .filter(staff::revoked_at.is_null())
        .select(StaffRow::as_select())
        .first(conn)
        .optional()?;
    row.map(StaffMember::try_from).transpose()
}
