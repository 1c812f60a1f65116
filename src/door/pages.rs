//! The door page: choose a screening (or a venue, "whatever is open now"), then scan continuously
//! with a keyboard-wedge scanner or the device camera. The page's script is `static/door.js`.

use actix_web::web as aweb;
use askama::Template;
use chrono::{Duration, Utc};

use super::answer::{doors_close_at, doors_open_at};
use super::routing::check_scope;
use crate::catalogue::queries::{self as q, ScreeningListing, Venue};
use crate::db::{self, AnyConnection};
use crate::domain::format;
use crate::domain::{Permission, Role, ScreeningId, VenueId};
use crate::error::{AppError, Thing};
use crate::staff::{Reach, StaffMember};
use crate::web::Reply;
use crate::web::auth::Caller;
use crate::web::{AppState, page, see_other};

pub fn routes(cfg: &mut aweb::ServiceConfig) {
    cfg.route("/door", aweb::get().to(choose))
        .route("/door/screenings/{id}", aweb::get().to(door_for_screening))
        .route("/door/venues/{id}", aweb::get().to(door_for_venue));
}

type State = aweb::Data<AppState>;

struct Choice {
    id: ScreeningId,
    label: String,
    when: String,
}

struct VenueChoice {
    id: VenueId,
    name: String,
}

#[derive(Template)]
#[template(path = "door_choose.html")]
struct ChoosePage {
    staff_name: String,
    /// "On now" (doors open) first, then one group per day, in the venues' time.
    groups: Vec<(String, Vec<Choice>)>,
    venues: Vec<VenueChoice>,
}

fn in_scope(staff: &StaffMember, listing: &ScreeningListing) -> bool {
    check_scope(staff, listing).is_ok()
}

/// Screenings from yesterday on, that this staff member may scan for (500 at most).
fn upcoming(
    conn: &mut AnyConnection,
    staff: &StaffMember,
) -> Result<Vec<ScreeningListing>, AppError> {
    let since = Utc::now().naive_utc() - Duration::days(1);
    let until = since + Duration::days(3660);
    Ok(
        q::scheduled_screenings_between(conn, None, since, until, 500)?
            .into_iter()
            .filter(|listing| in_scope(staff, listing))
            .collect(),
    )
}

async fn choose(state: State, caller: Caller) -> Reply {
    let Some(staff) = caller.0 else {
        return Ok(see_other("/signin"));
    };
    let scope = staff.clone();
    let listings = db::run(&state.pool, move |conn| upcoming(conn, &scope)).await?;
    let mut venues: Vec<VenueChoice> = Vec::new();
    for l in &listings {
        if !venues.iter().any(|v| v.id == l.venue.id) {
            venues.push(VenueChoice {
                id: l.venue.id,
                name: l.venue.name.clone(),
            });
        }
    }
    let now = Utc::now().naive_utc();
    let mut groups: Vec<(String, Vec<Choice>)> = Vec::new();
    for l in &listings {
        let zone = l.zone();
        let on_now = doors_open_at(l) <= now && now <= doors_close_at(l);
        let heading = if on_now {
            crate::i18n::t("door-choose-on-now")
        } else {
            format::day(l.screening.starts_at, zone)
        };
        let choice = Choice {
            id: l.screening.id,
            label: format!("{} — {}, {}", l.film.title, l.venue.name, l.screening.room),
            when: format::time_of_day(l.screening.starts_at, zone),
        };
        match groups.iter_mut().find(|(h, _)| *h == heading) {
            Some((_, choices)) => choices.push(choice),
            None if on_now => groups.insert(0, (heading, vec![choice])),
            None => groups.push((heading, vec![choice])),
        }
    }
    page(&ChoosePage {
        staff_name: staff.name,
        groups,
        venues,
    })
}

#[derive(Template)]
#[template(path = "door.html")]
struct DoorPage {
    title: String,
    subtitle: String,
    /// `screening` or `venue`.
    mode: &'static str,
    target_id: String,
    /// The screening whose counter is shown first.
    counter_screening: String,
    admitted: i32,
    capacity: i32,
    /// The venue's time zone: recent scans show its 24-hour time.
    timezone: String,
    /// The scripts' sentences in the page's language (JSON, see [`script_text`]).
    text: String,
    /// At a venue's door: the screenings it admits for now (or next), each with its counter, so
    /// staff see from the first scan which film in which room, and how full each is.
    screenings: Vec<VenueScreening>,
}

/// One screening a venue's door admits for, as its header lists it.
struct VenueScreening {
    id: String,
    film: String,
    room: String,
    /// "20:00".
    time: String,
    admitted: i32,
    capacity: i32,
}

impl VenueScreening {
    fn new(listing: &ScreeningListing) -> VenueScreening {
        VenueScreening {
            id: listing.screening.id.to_string(),
            film: listing.film.title.clone(),
            room: listing.screening.room.clone(),
            time: format::time_of_day(listing.screening.starts_at, listing.zone()),
            admitted: listing.screening.admitted,
            capacity: listing.screening.capacity,
        }
    }
}

/// The screenings of a venue whose doors are open at `now`; when none is, the nearest one.
fn open_at(listings: Vec<ScreeningListing>, now: chrono::NaiveDateTime) -> Vec<ScreeningListing> {
    let is_open = |l: &ScreeningListing| {
        let s = &l.screening;
        s.starts_at - Duration::minutes(i64::from(s.doors_open_minutes)) <= now
            && now <= s.starts_at + Duration::minutes(i64::from(s.doors_close_minutes))
    };
    if listings.iter().any(is_open) {
        let mut open: Vec<ScreeningListing> = listings.into_iter().filter(is_open).collect();
        open.sort_by_key(|l| l.screening.starts_at);
        return open;
    }
    listings
        .into_iter()
        .min_by_key(|l| (l.screening.starts_at - now).num_seconds().abs())
        .into_iter()
        .collect()
}

/// The English message files the door's scripts take their sentences from.
const SCRIPT_SOURCES: [&str; 3] = [
    include_str!("../../templates/locales/en/door-page.ftl"),
    include_str!("../../templates/locales/en/door.ftl"),
    include_str!("../../templates/locales/en/common.ftl"),
];

/// Each message of a Fluent file with the variables it uses (`{ $n }`, also in its plural
/// forms on the lines that follow).
fn messages_with_slots(source: &str) -> Vec<(&str, Vec<&str>)> {
    let mut messages: Vec<(&str, Vec<&str>)> = Vec::new();
    for line in source.lines() {
        if let Some((key, _)) = line
            .split_once(" = ")
            .filter(|_| !line.starts_with([' ', '#']))
        {
            messages.push((key.trim(), Vec::new()));
        }
        if let Some((_, slots)) = messages.last_mut() {
            for (i, _) in line.match_indices('$') {
                let name: &str = line[i + 1..]
                    .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
                    .next()
                    .unwrap_or_default();
                if !name.is_empty() && !slots.contains(&name) {
                    slots.push(name);
                }
            }
        }
    }
    messages
}

/// The sentences door.js and door-offline.js show, in the current language, as a JSON object
/// (key → sentence). A `{ $slot }` in a message comes out as `{slot}`, which the script fills;
/// the slots are read from the message itself, so a new one needs no list kept here.
fn script_text() -> String {
    let verdicts = [
        "verdict-admitted",
        "verdict-annulled",
        "verdict-already-admitted",
        "verdict-wrong-screening",
        "verdict-cancelled",
        "verdict-invalid",
        "verdict-unknown",
        "verdict-too-early",
        "verdict-too-late",
        "verdict-room-full",
        "verdict-no-reservation",
        "verdict-not-valid-for-screening",
        "door-no-reservation",
        "door-pass-not-valid",
        "door-pass-revoked",
        "category-public",
        "category-guest",
        "category-press",
        "category-jury",
        "category-pass",
        "pass-category-audience",
        "pass-category-press",
        "pass-category-industry",
        "pass-category-jury",
        "pass-category-guest",
        "pass-category-volunteer",
    ];
    let text: serde_json::Map<String, serde_json::Value> = SCRIPT_SOURCES
        .iter()
        .flat_map(|source| messages_with_slots(source))
        .filter(|(key, _)| key.starts_with("door-js-") || verdicts.contains(key))
        .map(|(key, slots)| {
            let message = slots.iter().fold(crate::i18n::Msg::new(key), |m, slot| {
                m.arg(slot, format!("{{{slot}}}"))
            });
            (
                key.to_owned(),
                serde_json::Value::String(message.to_string()),
            )
        })
        .collect();
    serde_json::Value::Object(text).to_string()
}

async fn door_for_screening(state: State, caller: Caller, id: aweb::Path<ScreeningId>) -> Reply {
    let Some(staff) = caller.0 else {
        return Ok(see_other("/signin"));
    };
    let id = id.into_inner();
    let listing = db::run(&state.pool, move |conn| {
        q::screening_listing(conn, id)?.ok_or_else(|| AppError::not_found(Thing::Screening))
    })
    .await?;
    check_scope(&staff, &listing)?;
    page(&DoorPage {
        title: listing.film.title.clone(),
        subtitle: format!(
            "{}, {} · {}",
            listing.venue.name,
            listing.screening.room,
            format::when(listing.screening.starts_at, listing.zone())
        ),
        mode: "screening",
        target_id: id.to_string(),
        counter_screening: id.to_string(),
        admitted: listing.screening.admitted,
        capacity: listing.screening.capacity,
        timezone: listing.venue.timezone.clone(),
        text: script_text(),
        screenings: Vec::new(),
    })
}

async fn door_for_venue(state: State, caller: Caller, id: aweb::Path<VenueId>) -> Reply {
    let Some(staff) = caller.0 else {
        return Ok(see_other("/signin"));
    };
    let id = id.into_inner();
    let scope = staff.clone();
    let (venue, open): (Venue, Vec<ScreeningListing>) = db::run(&state.pool, move |conn| {
        let venue = q::venue(conn, id)?.ok_or_else(|| AppError::not_found(Thing::Venue))?;
        let here = |listings: Vec<ScreeningListing>| {
            let here: Vec<ScreeningListing> =
                listings.into_iter().filter(|l| l.venue.id == id).collect();
            open_at(here, Utc::now().naive_utc())
        };
        let open = here(upcoming(conn, &scope)?);
        if open.is_empty() && scope.reach(Permission::Door) != Reach::All {
            // The same member, were they let in at every festival.
            let anyone = StaffMember {
                role: Role::Organiser,
                ..scope.clone()
            };
            if !here(upcoming(conn, &anyone)?).is_empty() {
                // Screenings here, none of them this credential's festival's.
                return Err(AppError::Forbidden(crate::msg!(
                    "error-scan-own-festival-only"
                )));
            }
        }
        Ok((venue, open))
    })
    .await?;
    let current = open.first();
    if let Some(venue_scope) = staff.venue_id
        && venue_scope != venue.id
    {
        return Err(AppError::Forbidden(crate::msg!(
            "error-scan-own-venue-only"
        )));
    }

    page(&DoorPage {
        title: venue.name.clone(),
        subtitle: crate::i18n::t("door-venue-subtitle"),
        mode: "venue",
        target_id: id.to_string(),
        counter_screening: current
            .as_ref()
            .map(|l| l.screening.id.to_string())
            .unwrap_or_default(),
        admitted: current.as_ref().map_or(0, |l| l.screening.admitted),
        capacity: current.as_ref().map_or(0, |l| l.screening.capacity),
        timezone: venue.timezone.clone(),
        text: script_text(),
        screenings: open.iter().map(VenueScreening::new).collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_scripts_get_every_sentence_with_its_slots() {
        let text: serde_json::Map<String, serde_json::Value> =
            serde_json::from_str(&crate::i18n::with(crate::i18n::Lang::Fr, script_text)).unwrap();
        let keys = messages_with_slots(SCRIPT_SOURCES[0]);
        assert!(keys.iter().any(|(key, _)| key.starts_with("door-js-")));
        for (key, _) in keys.iter().filter(|(key, _)| key.starts_with("door-js-")) {
            let sentence = text[*key].as_str().unwrap();
            // Rendered (not the key shown in its place), in the page's language.
            assert_ne!(sentence, *key, "{key} is not rendered");
        }
        for key in ["verdict-admitted", "category-public"] {
            assert_ne!(text[key].as_str().unwrap(), key);
        }
        assert!(
            text["door-js-clock-ahead"]
                .as_str()
                .unwrap()
                .contains("{minutes}"),
            "{}",
            text["door-js-clock-ahead"]
        );
        assert!(text["door-js-many-wait"].as_str().unwrap().contains("{n}"));
    }
}
