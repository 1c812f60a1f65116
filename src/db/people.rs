//! People's pseudonyms: one id per person (normalised e-mail address) and festival, named by
//! their bookings and waiting-list entries and counted by the attendance rollup instead of an
//! address. Erasing a person clears the address from their row; the id stays, so every count
//! keyed by it stays exact (see [`crate::privacy`]).

use std::collections::{BTreeSet, HashMap};

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::AnyConnection;
use super::schema::{people, screenings};
use crate::domain::status::text_enum;

/// The form an address is matched in: trimmed, lower case.
pub fn email_key(email: &str) -> String {
    email.trim().to_lowercase()
}

/// (festival id, email key) → person id.
pub type Pseudonyms = HashMap<(String, String), String>;

/// The pseudonyms of these people at the festivals of these screenings, created for those new:
/// `wanted` is (screening id, address). One statement for the screenings' festivals, one for the
/// people known (by their addresses, at any festival: each is then looked up by festival and
/// address), one insert for the new ones, in key order (the lock order of `db::tallies`: two
/// writers adding the same two people never wait for each other in a circle).
///
/// Two transactions adding the same new person at once (at two screenings, on two instances of
/// PostgreSQL) both insert the row; the second fails with a unique violation, a transient error:
/// the transaction runs again and then finds the row.
pub fn resolve(
    conn: &mut AnyConnection,
    wanted: &[(&str, &str)],
    now: NaiveDateTime,
) -> Result<Vec<String>, diesel::result::Error> {
    if wanted.is_empty() {
        return Ok(Vec::new());
    }
    let screening_ids: BTreeSet<&str> = wanted.iter().map(|(s, _)| *s).collect();
    let festival_of: HashMap<String, String> = screenings::table
        .filter(screenings::id.eq_any(&screening_ids))
        .select((screenings::id, screenings::festival_id))
        .load::<(String, String)>(conn)?
        .into_iter()
        .collect();
    let keys: Vec<(String, String)> = wanted
        .iter()
        .map(|(screening, email)| {
            // The caller has the screening's row locked: it exists.
            let festival = festival_of
                .get(*screening)
                .cloned()
                .ok_or(diesel::result::Error::NotFound)?;
            Ok((festival, email_key(email)))
        })
        .collect::<Result<_, diesel::result::Error>>()?;
    resolve_keys(conn, &keys, now)
}

/// [`resolve`] for people known by festival: `wanted` is (festival id, address).
pub fn resolve_at_festivals(
    conn: &mut AnyConnection,
    wanted: &[(&str, &str)],
    now: NaiveDateTime,
) -> Result<Vec<String>, diesel::result::Error> {
    let keys: Vec<(String, String)> = wanted
        .iter()
        .map(|(festival, email)| ((*festival).to_owned(), email_key(email)))
        .collect();
    resolve_keys(conn, &keys, now)
}

/// The pseudonyms of (festival id, email key)s, created for those new (see [`resolve`]).
fn resolve_keys(
    conn: &mut AnyConnection,
    keys: &[(String, String)],
    now: NaiveDateTime,
) -> Result<Vec<String>, diesel::result::Error> {
    if keys.is_empty() {
        return Ok(Vec::new());
    }
    // Searched by the addresses alone: a search naming the festival too was planned, on tables
    // not analysed yet, as a read of the festival's every person.
    let emails: BTreeSet<&str> = keys.iter().map(|(_, key)| key.as_str()).collect();
    let mut known: Pseudonyms = HashMap::new();
    super::planned_for_values(conn, |conn| {
        let found: Vec<(String, String, Option<String>)> = people::table
            .filter(people::email_key.eq_any(&emails))
            .select((people::id, people::festival_id, people::email_key))
            .load(conn)?;
        for (id, festival, key) in found {
            if let Some(key) = key {
                known.insert((festival, key), id);
            }
        }
        Ok::<_, diesel::result::Error>(())
    })?;
    // (festival, key, id) of the people new here.
    let (mut new, mut ids) = (Vec::new(), Vec::with_capacity(keys.len()));
    for key in keys {
        let id = known.entry(key.clone()).or_insert_with(|| {
            let id = uuid::Uuid::new_v4().to_string();
            new.push((key.0.clone(), key.1.clone(), id.clone()));
            id
        });
        ids.push(id.clone());
    }
    if !new.is_empty() {
        new.sort();
        let created: Vec<_> = new
            .iter()
            .map(|(festival, key, id)| {
                (
                    people::id.eq(id),
                    people::festival_id.eq(festival),
                    people::email_key.eq(Some(key)),
                    people::created_at.eq(now),
                )
            })
            .collect();
        let insert = diesel::insert_into(people::table).values(&created);
        crate::on_each_backend!(conn, c => insert.execute(c).map_err(super::contended_rollup)?);
    }
    Ok(ids)
}

/// How long a mailed link to a person's data works.
pub const DATA_LINK_DAYS: i64 = 30;

/// A fresh link token to everything held about an address (kept hashed, with the address, until
/// it expires or the address is erased).
pub fn add_data_token(
    conn: &mut AnyConnection,
    email: &str,
    now: NaiveDateTime,
) -> Result<String, diesel::result::Error> {
    use super::schema::data_requests;
    let token = crate::domain::secret::new_token();
    diesel::insert_into(data_requests::table)
        .values((
            data_requests::token_hash.eq(crate::domain::secret::hash_token(&token)),
            data_requests::email.eq(email_key(email)),
            data_requests::created_at.eq(now),
            data_requests::expires_at.eq(now + chrono::Duration::days(DATA_LINK_DAYS)),
        ))
        .execute(conn)?;
    Ok(token)
}

/// The address a data link is for, while it works.
pub fn data_token_email(
    conn: &mut AnyConnection,
    token: &str,
    now: NaiveDateTime,
) -> Result<Option<String>, diesel::result::Error> {
    use super::schema::data_requests;
    data_requests::table
        .find(crate::domain::secret::hash_token(token))
        .filter(data_requests::expires_at.gt(now))
        .select(data_requests::email)
        .first(conn)
        .optional()
}

text_enum!(
    /// What a person may agree to beyond their booking (which needs no consent: it is the
    /// contract).
    Purpose {
        /// News from the festival, by mail.
        News = "news",
    }
);

/// Records that these people agreed to `purpose` now (a choice they made, never a default).
pub fn give_consent(
    conn: &mut AnyConnection,
    people: &[&str],
    purpose: Purpose,
    now: NaiveDateTime,
) -> Result<(), diesel::result::Error> {
    use super::schema::consents;
    let rows: Vec<_> = people
        .iter()
        .map(|person| {
            (
                consents::id.eq(uuid::Uuid::now_v7().to_string()),
                consents::person_id.eq(*person),
                consents::purpose.eq(purpose.as_str()),
                consents::given_at.eq(now),
                consents::withdrawn_at.eq(None::<NaiveDateTime>),
            )
        })
        .collect();
    if !rows.is_empty() {
        let insert = diesel::insert_into(consents::table).values(&rows);
        crate::on_each_backend!(conn, c => insert.execute(c)?);
    }
    Ok(())
}

/// Withdraws every standing consent to `purpose` of these people; how many were withdrawn.
pub fn withdraw_consent(
    conn: &mut AnyConnection,
    people: &[String],
    purpose: Purpose,
    now: NaiveDateTime,
) -> Result<usize, diesel::result::Error> {
    use super::schema::consents;
    diesel::update(
        consents::table
            .filter(consents::person_id.eq_any(people))
            .filter(consents::purpose.eq(purpose.as_str()))
            .filter(consents::withdrawn_at.is_null()),
    )
    .set(consents::withdrawn_at.eq(Some(now)))
    .execute(conn)
}

/// Records that an organiser exported personal data.
pub fn record_export(
    conn: &mut AnyConnection,
    staff: crate::domain::StaffId,
    festival: Option<crate::domain::FestivalId>,
    what: &str,
    now: NaiveDateTime,
) -> Result<(), diesel::result::Error> {
    use super::schema::data_exports;
    diesel::insert_into(data_exports::table)
        .values((
            data_exports::id.eq(uuid::Uuid::now_v7().to_string()),
            data_exports::at.eq(now),
            data_exports::staff_id.eq(staff.to_string()),
            data_exports::festival_id.eq(festival.map(|f| f.to_string())),
            data_exports::what.eq(what),
        ))
        .execute(conn)?;
    Ok(())
}

/// Whether this person's consent to `purpose` stands (given, not withdrawn).
pub fn has_consent(
    conn: &mut AnyConnection,
    person: &str,
    purpose: Purpose,
) -> Result<bool, diesel::result::Error> {
    use super::schema::consents;
    let standing: i64 = consents::table
        .filter(consents::person_id.eq(person))
        .filter(consents::purpose.eq(purpose.as_str()))
        .filter(consents::withdrawn_at.is_null())
        .count()
        .get_result(conn)?;
    Ok(standing > 0)
}
