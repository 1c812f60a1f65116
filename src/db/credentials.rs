//! Who is calling: the staff member behind a credential or a web session. The sign-in
//! extractors of [`crate::web::auth`] need it below every feature; managing staff (creating,
//! revoking, sessions) is the staff feature's ([`crate::staff`]).

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

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

/// How long a credential found in the database is believed without asking again. A revocation
/// through this instance clears it at once ([`CredentialCache::forget`]); one made elsewhere
/// (another instance, `marquee staff revoke`) is seen within this time.
pub const CREDENTIAL_TTL: Duration = Duration::from_secs(2);

/// The most credentials remembered; beyond, the oldest half is forgotten.
const CACHE_LIMIT: usize = 4096;

/// Bearer credentials recently found active, keyed by their hash (never the credential), so that
/// a door scanning tickets many times a second is not looked up in the database for each scan.
#[derive(Default)]
pub struct CredentialCache {
    found: Mutex<HashMap<String, (StaffMember, Instant)>>,
}

impl CredentialCache {
    /// The active member holding this credential: remembered, or looked up and remembered.
    pub fn find(
        &self,
        conn: &mut AnyConnection,
        token: &str,
    ) -> Result<Option<StaffMember>, AppError> {
        if !looks_like_token(token) {
            return Ok(None);
        }
        if let Some(staff) = self.remembered(token) {
            return Ok(Some(staff));
        }
        let key = hash_token(token);
        let found = find_by_hash(conn, &key)?;
        let mut cache = self.lock();
        match &found {
            Some(staff) => {
                if cache.len() >= CACHE_LIMIT {
                    let mut ages: Vec<Instant> = cache.values().map(|(_, at)| *at).collect();
                    ages.sort_unstable();
                    let cut = ages[ages.len() / 2];
                    cache.retain(|_, (_, at)| *at > cut);
                }
                cache.insert(key, (staff.clone(), Instant::now()));
            }
            None => {
                cache.remove(&key);
            }
        }
        Ok(found)
    }

    /// The member holding this credential, if it was found active less than
    /// [`CREDENTIAL_TTL`] ago (no database needed).
    pub fn remembered(&self, token: &str) -> Option<StaffMember> {
        let key = hash_token(token);
        let cache = self.lock();
        let (staff, at) = cache.get(&key)?;
        (at.elapsed() < CREDENTIAL_TTL).then(|| staff.clone())
    }

    /// Forgets a member's credentials (they were revoked or changed): the next request with one
    /// is looked up again.
    pub fn forget(&self, id: StaffId) {
        self.lock().retain(|_, (staff, _)| staff.id != id);
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, (StaffMember, Instant)>> {
        // A panic while holding the lock leaves a map that is still whole: keep using it.
        self.found
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
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
    find_by_hash(conn, &hash_token(token))
}

fn find_by_hash(conn: &mut AnyConnection, hash: &str) -> Result<Option<StaffMember>, AppError> {
    let row = staff::table
        .filter(staff::token_hash.eq(hash))
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
