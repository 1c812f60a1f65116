//! Who is calling: the staff member behind a credential or a web session. The sign-in
//! extractors of [`crate::web::auth`] need it below every feature; managing staff (creating,
//! revoking, sessions) is the staff feature's ([`crate::staff`]).

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::AnyConnection;
use crate::db::schema::{sessions, staff, team_roles};
use crate::domain::secret::{hash_token, looks_like_token};
use crate::domain::{FestivalId, Permission, Role, StaffId, TeamRole, VenueId};
use crate::error::AppError;

/// A staff member as the rest of the code sees them (never their credential).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct StaffMember {
    pub id: StaffId,
    pub name: String,
    pub role: Role,
    /// Door staff: the one festival they scan for (none: every festival). An API token: its
    /// festival.
    pub festival_id: Option<FestivalId>,
    /// Door staff: the one venue they scan at.
    pub venue_id: Option<VenueId>,
    /// What a team member or an API token may do, festival by festival (see [`Self::may`]).
    #[serde(skip)]
    pub grants: Vec<(FestivalId, Permission)>,
    /// How the request was signed in, as the audit trail names it: `session:…` (a web session,
    /// by the first characters of its hash) or `credential` (a bearer credential).
    #[serde(skip)]
    pub via: String,
    #[serde(skip)]
    pub revoked: bool,
}

/// Which festivals a permission reaches, for a caller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reach {
    /// Every festival (an organiser; door staff not limited to one).
    All,
    /// These only (maybe none).
    Only(std::collections::BTreeSet<FestivalId>),
}

impl Reach {
    pub fn has(&self, festival: FestivalId) -> bool {
        match self {
            Reach::All => true,
            Reach::Only(festivals) => festivals.contains(&festival),
        }
    }

    pub fn is_empty(&self) -> bool {
        matches!(self, Reach::Only(festivals) if festivals.is_empty())
    }
}

impl StaffMember {
    /// Whether the member administers the instance: every permission at every festival, and
    /// the festivals themselves (an organiser; with team roles, the owner of every festival).
    pub fn is_admin(&self) -> bool {
        self.role == Role::Organiser
    }

    /// Whether the member may do what `permission` covers at `festival`.
    pub fn may(&self, permission: Permission, festival: FestivalId) -> bool {
        self.reach(permission).has(festival)
    }

    /// The festivals at which the member may do what `permission` covers.
    pub fn reach(&self, permission: Permission) -> Reach {
        match self.role {
            Role::Organiser => Reach::All,
            Role::Door if permission != Permission::Door => Reach::Only(Default::default()),
            Role::Door => match self.festival_id {
                Some(festival) => Reach::Only([festival].into()),
                None => Reach::All,
            },
            Role::Member | Role::Token => Reach::Only(
                self.grants
                    .iter()
                    .filter(|(_, p)| *p == permission)
                    .map(|(f, _)| *f)
                    .collect(),
            ),
        }
    }
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
    pub(crate) permissions: Option<String>,
    pub(crate) expires_at: Option<NaiveDateTime>,
    pub(crate) last_used_at: Option<NaiveDateTime>,
    pub(crate) created_by: Option<String>,
}

impl TryFrom<StaffRow> for StaffMember {
    type Error = AppError;

    /// Fails closed: a role or permission that does not read back is an error naming the
    /// column, never a default (the first role is the most privileged). A team member's roles
    /// are read apart ([`with_grants`]); an API token's permissions are on its row.
    fn try_from(row: StaffRow) -> Result<StaffMember, AppError> {
        let role = Role::from_db("staff.role", &row.role)?;
        let festival_id = row
            .festival_id
            .as_deref()
            .map(|id| FestivalId::from_db("staff.festival_id", id))
            .transpose()?;
        let grants = match (role, festival_id, row.permissions.as_deref()) {
            (Role::Token, Some(festival), Some(permissions)) => permissions
                .split(',')
                .filter(|p| !p.is_empty())
                .map(|p| Ok((festival, Permission::from_db("staff.permissions", p)?)))
                .collect::<Result<_, AppError>>()?,
            _ => Vec::new(),
        };
        Ok(StaffMember {
            id: StaffId::from_db("staff.id", &row.id)?,
            name: row.name,
            role,
            festival_id,
            venue_id: row
                .venue_id
                .as_deref()
                .map(|id| VenueId::from_db("staff.venue_id", id))
                .transpose()?,
            grants,
            via: "credential".to_owned(),
            revoked: row.revoked_at.is_some(),
        })
    }
}

/// A team member's roles, festival by festival.
pub fn team_roles_of(
    conn: &mut AnyConnection,
    id: StaffId,
) -> Result<Vec<(FestivalId, TeamRole)>, AppError> {
    let rows: Vec<(String, String)> = team_roles::table
        .filter(team_roles::staff_id.eq(id.to_string()))
        .order((team_roles::festival_id, team_roles::role))
        .select((team_roles::festival_id, team_roles::role))
        .load(conn)?;
    rows.into_iter()
        .map(|(festival, role)| {
            Ok((
                FestivalId::from_db("team_roles.festival_id", &festival)?,
                TeamRole::from_db("team_roles.role", &role)?,
            ))
        })
        .collect()
}

/// A member read from its row, with a team member's permissions from their roles.
fn with_grants(conn: &mut AnyConnection, row: StaffRow) -> Result<StaffMember, AppError> {
    let mut member = StaffMember::try_from(row)?;
    if member.role == Role::Member {
        member.grants = team_roles_of(conn, member.id)?
            .into_iter()
            .flat_map(|(festival, role)| role.permissions().iter().map(move |p| (festival, *p)))
            .collect();
        member.grants.sort_unstable();
        member.grants.dedup();
    }
    Ok(member)
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
    let now = chrono::Utc::now().naive_utc();
    let row = staff::table
        .filter(staff::token_hash.eq(hash))
        .filter(staff::revoked_at.is_null())
        .filter(staff::expires_at.is_null().or(staff::expires_at.gt(now)))
        .select(StaffRow::as_select())
        .first(conn)
        .optional()?;
    let Some(row) = row else { return Ok(None) };
    if row.role == Role::Token.as_str() {
        note_use(conn, &row.id, row.last_used_at, now)?;
    }
    with_grants(conn, row).map(Some)
}

/// How often an API token's last use is written: listed to the minute, not at every request.
const LAST_USE_STEP: chrono::TimeDelta = chrono::TimeDelta::minutes(1);

/// Notes that an API token was used now (at most once a minute).
fn note_use(
    conn: &mut AnyConnection,
    id: &str,
    last: Option<NaiveDateTime>,
    now: NaiveDateTime,
) -> Result<(), AppError> {
    if last.is_some_and(|last| now - last < LAST_USE_STEP) {
        return Ok(());
    }
    diesel::update(staff::table.find(id))
        .set(staff::last_used_at.eq(now))
        .execute(conn)?;
    Ok(())
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
        .filter(staff::expires_at.is_null().or(staff::expires_at.gt(now)))
        .select((StaffRow::as_select(), sessions::last_seen_at))
        .first(conn)
        .optional()?;
    let Some((row, seen)): Option<(StaffRow, Option<NaiveDateTime>)> = row else {
        return Ok(None);
    };
    let mut member = with_grants(conn, row)?;
    member.via = session_label(token);
    // Seen now, for the sessions list: written once a minute at most, and only then (a door
    // scanning in a session reads; it does not take the write lock at every scan).
    if seen.is_none_or(|seen| now - seen >= LAST_USE_STEP) {
        diesel::update(sessions::table.filter(sessions::token_hash.eq(hash_token(token))))
            .set(sessions::last_seen_at.eq(Some(now)))
            .execute(conn)?;
    }
    Ok(Some(member))
}

/// How the audit trail names a web session: `session:` and the first characters of its hash
/// (what the sessions list shows; the session itself cannot be found from it).
pub fn session_label(token: &str) -> String {
    format!("session:{}", &hash_token(token)[..12])
}
