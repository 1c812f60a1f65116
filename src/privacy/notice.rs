//! Each festival's privacy notice: the organisers' own text in each of its languages, or a
//! default one that names who is responsible for the data, what is kept and why, for how long, and
//! the rights people have (with the links that exercise them). Linked from every booking and
//! waiting-list form and from every message.

use chrono::{Duration, NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;

use crate::catalogue::queries::Festival;
use crate::db::AnyConnection;
use crate::db::schema::{festivals, privacy_notices};
use crate::domain::FestivalId;
use crate::error::AppError;
use crate::i18n::Lang;
use crate::msg;

/// The longest notice an organiser may write, in characters.
pub const MAX_NOTICE_CHARS: usize = 20_000;

/// The day a festival's personal data is shredded: once kept `retention_days` whole days after its
/// last day, the next (the retention sweeper's rule, [`super::retention::sweep`]).
pub fn shred_on(festival: &Festival) -> NaiveDate {
    shred_day(festival.ends_on, festival.retention_days)
}

/// [`shred_on`] from a festival's last day and retention.
pub fn shred_day(ends_on: NaiveDate, retention_days: i32) -> NaiveDate {
    ends_on + Duration::days(i64::from(retention_days) + 1)
}

/// Who is responsible for the data: as the organisers named them, else the festival.
pub fn controller(festival: &Festival) -> &str {
    if festival.controller.trim().is_empty() {
        &festival.name
    } else {
        &festival.controller
    }
}

/// The notice in `lang`: the organisers' own text, or the default. Paragraphs, to be escaped.
pub fn notice(
    conn: &mut AnyConnection,
    festival: &Festival,
    lang: Lang,
    public_url: &str,
) -> Result<Vec<String>, AppError> {
    let own: Option<String> = privacy_notices::table
        .find((festival.id.to_string(), lang.code()))
        .select(privacy_notices::body)
        .first(conn)
        .optional()?;
    Ok(match own {
        Some(body) => paragraphs(&body),
        None => crate::i18n::with(lang, || default_paragraphs(festival, public_url)),
    })
}

/// The organisers' notices, by language code (a language without one shows the default).
pub fn own_notices(
    conn: &mut AnyConnection,
    festival: FestivalId,
) -> Result<Vec<(String, String)>, AppError> {
    Ok(privacy_notices::table
        .filter(privacy_notices::festival_id.eq(festival.to_string()))
        .select((privacy_notices::lang, privacy_notices::body))
        .load(conn)?)
}

/// Sets (or, with an empty body, removes) the organisers' notice in one language.
pub fn set_notice(
    conn: &mut AnyConnection,
    festival: FestivalId,
    lang: Lang,
    body: &str,
    now: NaiveDateTime,
) -> Result<(), AppError> {
    let key = (festival.to_string(), lang.code());
    diesel::delete(privacy_notices::table.find(key.clone())).execute(conn)?;
    if !body.trim().is_empty() {
        diesel::insert_into(privacy_notices::table)
            .values((
                privacy_notices::festival_id.eq(key.0),
                privacy_notices::lang.eq(key.1),
                privacy_notices::body.eq(body.trim()),
                privacy_notices::updated_at.eq(now),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// Text split into paragraphs at blank lines.
fn paragraphs(body: &str) -> Vec<String> {
    body.replace("\r\n", "\n")
        .split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The default notice, in the current language.
pub fn default_paragraphs(festival: &Festival, public_url: &str) -> Vec<String> {
    let my_data = crate::web::links::absolute(public_url, crate::web::links::MY_DATA);
    let responsible = if festival.controller.trim().is_empty() {
        msg!("privacy-default-organisers", festival = &festival.name)
    } else {
        msg!(
            "privacy-default-controller",
            controller = &festival.controller,
            festival = &festival.name
        )
    };
    vec![
        responsible.to_string(),
        msg!("privacy-default-what").to_string(),
        msg!("privacy-default-why").to_string(),
        msg!(
            "privacy-default-retention",
            days = festival.retention_days,
            date = crate::i18n::dates::day(shred_on(festival))
        )
        .to_string(),
        msg!("privacy-default-news").to_string(),
        msg!("privacy-default-rights", url = my_data).to_string(),
    ]
}

/// A festival's personal-data settings and state, for organisers.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct PrivacyState {
    pub retention_days: i32,
    pub controller: String,
    /// The day its personal data is (or was) shredded.
    pub shred_on: String,
    /// When it was shredded, if it has been (UTC, RFC 3339).
    pub shredded_at: Option<String>,
    /// The organisers' own notice, by language code (the default is shown in the others).
    pub notices: std::collections::BTreeMap<String, String>,
}

/// When a festival's personal data was shredded, if it has been.
pub fn shredded_at(
    conn: &mut AnyConnection,
    festival: FestivalId,
) -> Result<Option<NaiveDateTime>, AppError> {
    Ok(festivals::table
        .find(festival.to_string())
        .select(festivals::shredded_at)
        .first::<Option<NaiveDateTime>>(conn)
        .optional()?
        .flatten())
}
