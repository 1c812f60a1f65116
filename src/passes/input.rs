//! What organisers and holders send about passes, checked into requests the writes trust.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Deserialize;

use crate::domain::{
    Country, Email, FilmId, InputError, PassCategory, PassTypeId, ScreeningId, VenueId, input,
};
use crate::i18n::Lang;

/// The most minutes before the start at which unused reservations may be released: a day.
pub const MAX_RELEASE_MINUTES: i64 = 1440;
/// The default release: 10 minutes before the start, as at Cannes.
pub const DEFAULT_RELEASE_MINUTES: i32 = 10;
/// The largest limit a type may set (in all, per day, at once).
const MAX_LIMIT: i64 = 10_000;
/// The most films or venues one type may name.
const MAX_CHOSEN: usize = 500;

/// The body of `POST /api/v1/festivals/{id}/pass-types`.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PassTypeInput {
    #[schema(min_length = 1, max_length = 100, example = "Press")]
    pub name: String,
    /// The name in Marquee's other languages, by language code (`en`, `fr`, `vi`), e.g.
    /// `{"fr": "Presse", "vi": "Báo chí"}`: holders, mail, badges and doors read it in theirs;
    /// `name` where one is not given.
    #[serde(default)]
    pub names: Option<BTreeMap<String, String>>,
    #[schema(
        pattern = "^(audience|press|industry|jury|guest|volunteer)$",
        example = "press"
    )]
    pub category: String,
    /// The first day it is valid, in the festival's calendar (default: every day).
    #[serde(default)]
    pub valid_from: Option<NaiveDate>,
    /// The last day it is valid (default: to the end).
    #[serde(default)]
    pub valid_until: Option<NaiveDate>,
    /// Only screenings of these films (default: all).
    #[serde(default)]
    pub film_ids: Option<Vec<String>>,
    /// Only screenings at these venues (default: all).
    #[serde(default)]
    pub venue_ids: Option<Vec<String>>,
    /// Reservations a pass may hold in all (default: no limit).
    #[serde(default)]
    #[schema(minimum = 0, maximum = 10000)]
    pub max_reservations: Option<i64>,
    /// Reservations per day (default: no limit).
    #[serde(default)]
    #[schema(minimum = 0, maximum = 10000)]
    pub max_per_day: Option<i64>,
    /// Reservations held at once for screenings still to come (default: no limit).
    #[serde(default)]
    #[schema(minimum = 0, maximum = 10000)]
    pub max_held: Option<i64>,
    /// Admitted at the door without a reservation while seats are left (default: no).
    #[serde(default)]
    pub walk_in: Option<bool>,
    /// Minutes before the start at which a reservation not yet used is released (default 10).
    #[serde(default)]
    #[schema(minimum = 0, maximum = 1440)]
    pub release_minutes: Option<i64>,
    /// After this many no-shows, no new reservation for 24 hours (default: no such rule).
    #[serde(default)]
    #[schema(minimum = 1, maximum = 100)]
    pub no_show_limit: Option<i64>,
}

/// A checked pass type.
#[derive(Debug, Clone)]
pub struct PassTypeRequest {
    pub name: String,
    /// By language code, each a language Marquee speaks.
    pub names: BTreeMap<String, String>,
    pub category: PassCategory,
    pub valid_from: Option<NaiveDate>,
    pub valid_until: Option<NaiveDate>,
    pub films: Vec<FilmId>,
    pub venues: Vec<VenueId>,
    pub max_reservations: Option<i32>,
    pub max_per_day: Option<i32>,
    pub max_held: Option<i32>,
    pub walk_in: bool,
    pub release_minutes: i32,
    pub no_show_limit: Option<i32>,
}

impl PassTypeInput {
    pub fn parse(self) -> Result<PassTypeRequest, InputError> {
        let category = PassCategory::parse(self.category.trim())
            .ok_or_else(|| InputError::new("category", crate::msg!("error-pass-category")))?;
        let valid_from = self
            .valid_from
            .map(|d| input::date_in_range("valid_from", d))
            .transpose()?;
        let valid_until = self
            .valid_until
            .map(|d| input::date_in_range("valid_until", d))
            .transpose()?;
        if let (Some(from), Some(until)) = (valid_from, valid_until)
            && until < from
        {
            return Err(InputError::new(
                "valid_until",
                crate::msg!("error-pass-days"),
            ));
        }
        let limit = |field: &str, value: Option<i64>, min: i64, max: i64| {
            value
                .map(|v| input::number_in(field, v, min, max))
                .transpose()
        };
        Ok(PassTypeRequest {
            name: input::text("name", &self.name, 100)?,
            names: names(self.names.unwrap_or_default())?,
            category,
            valid_from,
            valid_until,
            films: chosen("film_ids", self.film_ids)?,
            venues: chosen("venue_ids", self.venue_ids)?,
            max_reservations: limit("max_reservations", self.max_reservations, 0, MAX_LIMIT)?,
            max_per_day: limit("max_per_day", self.max_per_day, 0, MAX_LIMIT)?,
            max_held: limit("max_held", self.max_held, 0, MAX_LIMIT)?,
            walk_in: self.walk_in.unwrap_or(false),
            release_minutes: limit(
                "release_minutes",
                self.release_minutes,
                0,
                MAX_RELEASE_MINUTES,
            )?
            .unwrap_or(DEFAULT_RELEASE_MINUTES),
            no_show_limit: limit("no_show_limit", self.no_show_limit, 1, 100)?,
        })
    }
}

/// A type's names in other languages, checked: each a language Marquee speaks, each a name (an
/// empty one is left out: that language reads `name`).
fn names(given: BTreeMap<String, String>) -> Result<BTreeMap<String, String>, InputError> {
    let mut names = BTreeMap::new();
    for (code, name) in given {
        let field = format!("names.{code}");
        let lang = Lang::from_code(code.trim())
            .ok_or_else(|| InputError::new(&field, crate::msg!("error-pass-name-language")))?;
        if name.trim().is_empty() {
            continue;
        }
        names.insert(lang.code().to_owned(), input::text(&field, &name, 100)?);
    }
    Ok(names)
}

/// A list of ids, each checked, without repeats, in order.
fn chosen<T: std::str::FromStr + Ord>(
    field: &str,
    ids: Option<Vec<String>>,
) -> Result<Vec<T>, InputError> {
    let ids = ids.unwrap_or_default();
    if ids.len() > MAX_CHOSEN {
        return Err(InputError::new(
            field,
            crate::msg!("error-too-many", field = field, max = MAX_CHOSEN),
        ));
    }
    let mut parsed = ids
        .iter()
        .map(|id| crate::catalogue::input::id_field(field, id))
        .collect::<Result<Vec<T>, _>>()?;
    parsed.sort();
    parsed.dedup();
    Ok(parsed)
}

/// The body of `POST /api/v1/festivals/{id}/passes`.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PassInput {
    #[schema(format = Uuid)]
    pub pass_type_id: String,
    #[schema(min_length = 1, max_length = 200)]
    pub name: String,
    #[schema(format = Email, max_length = 254)]
    pub email: String,
    #[serde(default)]
    #[schema(max_length = 200)]
    pub organisation: Option<String>,
    #[serde(default)]
    #[schema(pattern = "^[A-Za-z]{2}$", example = "VN")]
    pub country: Option<String>,
    /// The language of the holder's mail and pass page: `en`, `fr` or `vi` (by default, the
    /// organiser's).
    #[serde(default)]
    #[schema(pattern = "^(en|fr|vi)$", example = "vi")]
    pub lang: Option<String>,
}

/// A checked pass to issue.
#[derive(Debug, Clone)]
pub struct PassRequest {
    pub pass_type: PassTypeId,
    pub holder: Holder,
}

/// Who holds a pass.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Holder {
    pub name: String,
    pub email: Email,
    pub organisation: String,
    pub country: Option<Country>,
    pub lang: Lang,
}

impl PassInput {
    pub fn parse(self) -> Result<PassRequest, InputError> {
        Ok(PassRequest {
            pass_type: crate::catalogue::input::id_field("pass_type_id", &self.pass_type_id)?,
            holder: Holder {
                name: input::text("name", &self.name, 200)?,
                email: Email::parse(&self.email)?,
                organisation: input::optional_text(
                    "organisation",
                    self.organisation.as_deref().unwrap_or_default(),
                    200,
                )?,
                country: match self.country.as_deref().map(str::trim) {
                    None | Some("") => None,
                    Some(code) => Some(Country::parse(code)?),
                },
                lang: crate::booking::queries::parse_lang(self.lang.as_deref())?,
            },
        })
    }
}

/// The body of `POST /api/v1/passes/{id}/reservations`.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReservationInput {
    #[schema(format = Uuid)]
    pub screening_id: String,
}

impl ReservationInput {
    pub fn parse(self) -> Result<ScreeningId, InputError> {
        crate::catalogue::input::id_field("screening_id", &self.screening_id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pass_type(category: &str) -> PassTypeInput {
        PassTypeInput {
            name: "Press".to_owned(),
            names: None,
            category: category.to_owned(),
            valid_from: None,
            valid_until: None,
            film_ids: None,
            venue_ids: None,
            max_reservations: None,
            max_per_day: None,
            max_held: None,
            walk_in: None,
            release_minutes: None,
            no_show_limit: None,
        }
    }

    #[test]
    fn a_pass_type_has_the_documented_defaults() {
        let parsed = pass_type("press").parse().unwrap();
        assert_eq!(parsed.category, PassCategory::Press);
        assert_eq!(parsed.release_minutes, 10);
        assert!(!parsed.walk_in);
        assert_eq!(
            (parsed.max_reservations, parsed.no_show_limit),
            (None, None)
        );
    }

    #[test]
    fn bad_pass_types_name_the_field() {
        let cases: Vec<(PassTypeInput, &str)> = vec![
            (pass_type("vip"), "category"),
            (
                PassTypeInput {
                    name: "  ".to_owned(),
                    ..pass_type("press")
                },
                "name",
            ),
            (
                PassTypeInput {
                    max_per_day: Some(-1),
                    ..pass_type("press")
                },
                "max_per_day",
            ),
            (
                PassTypeInput {
                    release_minutes: Some(1441),
                    ..pass_type("press")
                },
                "release_minutes",
            ),
            (
                PassTypeInput {
                    no_show_limit: Some(0),
                    ..pass_type("press")
                },
                "no_show_limit",
            ),
            (
                PassTypeInput {
                    film_ids: Some(vec!["not-an-id".to_owned()]),
                    ..pass_type("press")
                },
                "film_ids",
            ),
            (
                PassTypeInput {
                    valid_from: NaiveDate::from_ymd_opt(2026, 12, 12),
                    valid_until: NaiveDate::from_ymd_opt(2026, 12, 11),
                    ..pass_type("press")
                },
                "valid_until",
            ),
        ];
        for (input, field) in cases {
            assert_eq!(input.parse().unwrap_err().field, field);
        }
    }
}
