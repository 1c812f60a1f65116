//! The audit trail: every change staff make, and every bulk read of personal data, appended to
//! `audit_log` in the same transaction as what it records — so an entry exists exactly when the
//! change does. Nothing in Marquee updates or deletes an entry (the database refuses it too:
//! triggers in the migration).
//!
//! Who made a change travels in the write's [`Tx`] ([`Tx::by`]), set by the handler that made
//! the write; a write with no actor (an attendee's booking, a background sweep, a test) records
//! nothing. Entries hold ids and settings, never an attendee's name or address, so that erasure
//! and retention need not reach them.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;

use super::schema::audit_log;
use super::{AnyConnection, Tx};
use crate::db::credentials::StaffMember;
use crate::domain::{FestivalId, StaffId};
use crate::error::AppError;

/// Who makes a write: a staff member, through a session or a credential.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub id: StaffId,
    pub name: String,
    /// `session:…` or `credential` (see [`StaffMember::via`]).
    pub via: String,
}

impl From<&StaffMember> for Actor {
    fn from(staff: &StaffMember) -> Actor {
        Actor {
            id: staff.id,
            name: staff.name.clone(),
            via: staff.via.clone(),
        }
    }
}

/// One change, as the code that makes it describes it.
#[derive(Debug, Clone)]
pub struct Change {
    /// The festival it belongs to (none: the instance's, such as a venue or a film).
    pub festival: Option<FestivalId>,
    /// What was done: `screening.update`, `booking.cancel`, `team.roles`…
    pub action: String,
    /// What it was done to: `screening:{id}`.
    pub subject: String,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
}

impl Change {
    pub fn new(
        festival: Option<FestivalId>,
        action: impl Into<String>,
        subject: impl std::fmt::Display,
    ) -> Change {
        Change {
            festival,
            action: action.into(),
            subject: subject.to_string(),
            before: None,
            after: None,
        }
    }

    /// What it was before, as JSON.
    pub fn before(mut self, value: &impl Serialize) -> Change {
        self.before = serde_json::to_value(value).ok();
        self
    }

    /// What it is after, as JSON.
    pub fn after(mut self, value: &impl Serialize) -> Change {
        self.after = serde_json::to_value(value).ok();
        self
    }
}

/// Appends `change` as made by the write's actor, now (nothing when the write has none).
pub fn record(tx: &mut Tx<'_>, change: Change) -> Result<(), AppError> {
    let Some(actor) = tx.actor.clone() else {
        return Ok(());
    };
    append(tx.conn, &actor, change, chrono::Utc::now().naive_utc())
}

/// Appends an entry: for a read of personal data, made outside any write of its own.
pub fn append(
    conn: &mut AnyConnection,
    actor: &Actor,
    change: Change,
    at: NaiveDateTime,
) -> Result<(), AppError> {
    let text = |value: Option<serde_json::Value>| value.map(|v| v.to_string());
    diesel::insert_into(audit_log::table)
        .values((
            audit_log::id.eq(uuid::Uuid::now_v7().to_string()),
            audit_log::at.eq(at),
            audit_log::festival_id.eq(change.festival.map(|f| f.to_string())),
            audit_log::actor_id.eq(Some(actor.id.to_string())),
            audit_log::actor_name.eq(&actor.name),
            audit_log::via.eq(&actor.via),
            audit_log::action.eq(&change.action),
            audit_log::subject.eq(&change.subject),
            audit_log::before.eq(text(change.before)),
            audit_log::after.eq(text(change.after)),
        ))
        .execute(conn)?;
    Ok(())
}

/// An entry as it is read back.
#[derive(Debug, Clone, Queryable, Selectable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = audit_log)]
pub struct Entry {
    #[serde(skip)]
    pub id: String,
    /// UTC, RFC 3339 (`2030-12-07T19:58:01.123456Z`).
    #[schema(value_type = String)]
    #[serde(serialize_with = "rfc3339")]
    pub at: NaiveDateTime,
    #[serde(skip)]
    pub festival_id: Option<String>,
    /// The staff member's id.
    pub actor_id: Option<String>,
    /// Their name when they made the change.
    #[serde(rename = "actor")]
    pub actor_name: String,
    /// The session (`session:` and the first characters of its hash) or `credential`.
    #[serde(rename = "session")]
    pub via: String,
    pub action: String,
    pub subject: String,
    /// JSON, as it was before (none: it did not exist).
    pub before: Option<String>,
    /// JSON, as it is after (none: it is gone).
    pub after: Option<String>,
}

/// A UTC time as RFC 3339, as every time of the API is written.
fn rfc3339<S: serde::Serializer>(at: &NaiveDateTime, to: S) -> Result<S::Ok, S::Error> {
    to.serialize_str(
        &at.and_utc()
            .to_rfc3339_opts(chrono::SecondsFormat::Micros, true),
    )
}

/// What the audit page and API filter by.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// Actions starting with this (`screening`, `booking.cancel`).
    pub action: Option<String>,
    pub actor: Option<StaffId>,
    pub since: Option<NaiveDateTime>,
    pub until: Option<NaiveDateTime>,
}

/// A festival's entries, newest first, at most `limit`.
pub fn of_festival(
    conn: &mut AnyConnection,
    festival: FestivalId,
    filter: &Filter,
    limit: i64,
) -> Result<Vec<Entry>, AppError> {
    let mut query = audit_log::table
        .filter(audit_log::festival_id.eq(festival.to_string()))
        .into_boxed();
    if let Some(action) = &filter.action {
        let escaped = action
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_");
        query = query.filter(audit_log::action.like(format!("{escaped}%")).escape('\\'));
    }
    if let Some(actor) = filter.actor {
        query = query.filter(audit_log::actor_id.eq(actor.to_string()));
    }
    if let Some(since) = filter.since {
        query = query.filter(audit_log::at.ge(since));
    }
    if let Some(until) = filter.until {
        query = query.filter(audit_log::at.lt(until));
    }
    Ok(query
        .order((audit_log::at.desc(), audit_log::id.desc()))
        .limit(limit)
        .select(Entry::as_select())
        .load(conn)?)
}
