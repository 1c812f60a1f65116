//! The demo festival: Vietnam Film Week in Paris, from `../shared/seed-article.txt`.
//!
//! The article gives the frame: a week of 17 Vietnamese films in Paris, the closing night on
//! 12 December at the Pathé Palace with Red Rain, more than 6,000 attendees as the goal. The rest
//! of the programme (the other 16 titles, the second and third venue, the times) is illustrative:
//! real Vietnamese films, scheduled plausibly. The week is the next 6–12 December that has not
//! ended, so a new user can book at once; and whenever nothing starts within the hour, a preview
//! screening is added 30 minutes ahead so the door can be tried straight away.
//!
//! Loading is idempotent: a second run finds everything and adds nothing.

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use diesel::prelude::*;

use crate::catalogue::input::{Draft, FestivalInput, FilmInput, ScreeningDraft, VenueInput};
use crate::catalogue::queries::{self as q, Festival, Room, Venue};
use crate::db::schema::screenings;
use crate::db::{AnyConnection, Tx};
use crate::domain::ticket_code::TicketSigner;
use crate::domain::{
    FestivalId, FilmId, PassCategory, PassId, Role, ScreeningId, ScreeningStatus, VenueId,
};
use crate::error::AppError;

pub const GOAL: i64 = 6000;

struct DemoFilm {
    title: &'static str,
    original_title: &'static str,
    director: &'static str,
    year: i64,
    runtime: i64,
}

const fn film(
    title: &'static str,
    original_title: &'static str,
    director: &'static str,
    year: i64,
    runtime: i64,
) -> DemoFilm {
    DemoFilm {
        title,
        original_title,
        director,
        year,
        runtime,
    }
}

/// Red Rain first: it closes the festival.
const FILMS: [DemoFilm; 17] = [
    film("Red Rain", "Mưa đỏ", "Đặng Thái Huyền", 2025, 124),
    film(
        "Tunnels: Sun in the Dark",
        "Địa đạo: Mặt trời trong bóng tối",
        "Bùi Thạc Chuyên",
        2025,
        128,
    ),
    film(
        "Peach Blossom, Pho and Piano",
        "Đào, phở và piano",
        "Phi Tiến Sơn",
        2024,
        100,
    ),
    film("Song Lang", "Song Lang", "Leon Le", 2018, 102),
    film(
        "Inside the Yellow Cocoon Shell",
        "Bên trong vỏ kén vàng",
        "Phạm Thiên Ân",
        2023,
        178,
    ),
    film(
        "The Little Girl of Hanoi",
        "Em bé Hà Nội",
        "Hải Ninh",
        1974,
        84,
    ),
    film(
        "When the Tenth Month Comes",
        "Bao giờ cho đến tháng Mười",
        "Đặng Nhật Minh",
        1984,
        95,
    ),
    film(
        "The Wild Field",
        "Cánh đồng hoang",
        "Nguyễn Hồng Sến",
        1979,
        104,
    ),
    film("The Guava House", "Mùa ổi", "Đặng Nhật Minh", 2000, 90),
    film("Don't Burn", "Đừng đốt", "Đặng Nhật Minh", 2009, 110),
    film(
        "Flapping in the Middle of Nowhere",
        "Đập cánh giữa không trung",
        "Nguyễn Hoàng Điệp",
        2014,
        98,
    ),
    film("Ròm", "Ròm", "Trần Thanh Huy", 2019, 79),
    film("Furie", "Hai Phượng", "Lê Văn Kiệt", 2019, 98),
    film(
        "Yellow Flowers on the Green Grass",
        "Tôi thấy hoa vàng trên cỏ xanh",
        "Victor Vũ",
        2015,
        103,
    ),
    film("Story of Pao", "Chuyện của Pao", "Ngô Quang Hải", 2006, 100),
    film(
        "Big Father, Small Father and Other Stories",
        "Cha và con và...",
        "Phan Đăng Di",
        2015,
        102,
    ),
    film("Mai", "Mai", "Trấn Thành", 2024, 131),
];

/// The closing film's synopsis, from the festival's own account of it (the seed article); the
/// others are left for the organisers to write.
fn synopsis_of(title: &str) -> &'static str {
    match title {
        "Red Rain" => {
            "The 81-day battle for the Quang Tri Citadel, in 1972. The film broke Vietnamese \
             box-office records and is Vietnam's official submission to the Oscars."
        }
        _ => "",
    }
}

/// Every film is shown in Vietnamese with French subtitles, but for these recent prints, which
/// came with English subtitles.
const ENGLISH_SUBTITLES: [&str; 3] = ["Ròm", "Furie", "Mai"];

fn subtitles_of(title: &str) -> &'static str {
    if ENGLISH_SUBTITLES.contains(&title) {
        "English"
    } else {
        "French"
    }
}

struct DemoVenue {
    name: &'static str,
    address: &'static str,
    rooms: &'static [(&'static str, i64)],
}

const PATHE: usize = 0;
const FORUM: usize = 1;
const GRAND_ACTION: usize = 2;

const VENUES: [DemoVenue; 3] = [
    DemoVenue {
        name: "Pathé Palace",
        address: "2 Boulevard des Capucines, 75009 Paris",
        rooms: &[("Grande Salle", 650), ("Salle 2", 220)],
    },
    DemoVenue {
        name: "Forum des Images",
        address: "2 Rue du Cinéma, 75001 Paris",
        rooms: &[("Salle 500", 440), ("Salle 300", 280)],
    },
    DemoVenue {
        name: "Le Grand Action",
        address: "5 Rue des Écoles, 75005 Paris",
        rooms: &[("Salle 1", 180)],
    },
];

/// Daily slots (venue, room, local time) for the six days before closing night.
const SLOTS: [(usize, &str, (u32, u32)); 6] = [
    (FORUM, "Salle 500", (14, 0)),
    (FORUM, "Salle 300", (16, 30)),
    (GRAND_ACTION, "Salle 1", (18, 0)),
    (PATHE, "Salle 2", (19, 0)),
    (FORUM, "Salle 500", (20, 30)),
    (GRAND_ACTION, "Salle 1", (21, 15)),
];

const ZONE: chrono_tz::Tz = chrono_tz::Europe::Paris;

/// What a demo load did, and the links to print.
#[derive(Debug)]
pub struct DemoFestival {
    pub festival: Festival,
    pub closing_night: ScreeningId,
    /// A screening starting within the hour (the programme's, or one added for the demo).
    pub preview: ScreeningId,
    pub organiser_token: String,
    pub door_token: String,
    /// A fresh link to the demo jury pass's page.
    pub jury_pass_token: String,
}

impl DemoFestival {
    pub fn print(&self, public_url: &str) {
        println!(
            "Demo festival: {} — {public_url}/festivals/{}",
            self.festival.name, self.festival.slug
        );
        println!(
            "  Starting within the hour (book, then scan at the door): {public_url}/screenings/{}",
            self.preview
        );
        println!(
            "  Closing night, Red Rain at the Pathé Palace: {public_url}/screenings/{}",
            self.closing_night
        );
        println!(
            "Sign in as the demo organiser:  {}",
            crate::staff::signin_link(public_url, &self.organiser_token)
        );
        println!(
            "Sign in as demo door staff:     {}",
            crate::staff::signin_link(public_url, &self.door_token)
        );
        println!(
            "A jury member's festival pass:  {public_url}{}",
            crate::web::links::pass(&self.jury_pass_token)
        );
    }
}

/// The festival week the demo uses: the next 6–12 December that has not ended yet.
pub fn demo_week(today: NaiveDate) -> (NaiveDate, NaiveDate) {
    let closing = |year| NaiveDate::from_ymd_opt(year, 12, 12);
    let year = match closing(today.year()) {
        Some(end) if today <= end => today.year(),
        _ => today.year() + 1,
    };
    let start = NaiveDate::from_ymd_opt(year, 12, 6).unwrap_or(today);
    (start, closing(year).unwrap_or(today))
}

fn at(day: NaiveDate, (hour, minute): (u32, u32)) -> NaiveDateTime {
    let local = day.and_time(NaiveTime::from_hms_opt(hour, minute, 0).unwrap_or(NaiveTime::MIN));
    ZONE.from_local_datetime(&local)
        .earliest()
        .map_or(local, |t| t.with_timezone(&Utc).naive_utc())
}

/// Loads the demo festival (or finds it), and issues fresh demo sign-in credentials.
pub fn load(
    conn: &mut AnyConnection,
    signer: &TicketSigner,
    now: DateTime<Utc>,
) -> anyhow::Result<DemoFestival> {
    let result = crate::db::tx::write_on(conn, crate::i18n::Lang::default(), |tx| {
        load_in_transaction(tx, signer, now)
    });
    result.map_err(|e| e.into_cause().context("cannot load the demo festival"))
}

fn load_in_transaction(
    tx: &mut Tx<'_>,
    signer: &TicketSigner,
    now: DateTime<Utc>,
) -> Result<DemoFestival, AppError> {
    let created_at = now.naive_utc();
    let (starts_on, ends_on) = demo_week(now.with_timezone(&ZONE).date_naive());
    let slug = format!("vietnam-film-week-paris-{}", starts_on.year());
    let festival = match q::festival_by_slug(tx.conn, &slug)? {
        Some(festival) => festival,
        None => {
            let row = FestivalInput {
                slug,
                name: format!("Vietnam Film Week in Paris {}", starts_on.year()),
                starts_on,
                ends_on,
                timezone: ZONE.name().to_owned(),
                attendance_goal: GOAL,
                retention_days: crate::catalogue::input::DEFAULT_RETENTION_DAYS,
                controller: String::new(),
            }
            .into_row(FestivalId::new(), created_at)?;
            q::insert_festival(tx, &row)?
        }
    };

    let mut venues: Vec<Venue> = Vec::with_capacity(VENUES.len());
    for v in &VENUES {
        let venue = match q::venue_by_name(tx.conn, v.name, "Paris")? {
            Some(venue) => venue,
            None => {
                let row = VenueInput {
                    name: v.name.to_owned(),
                    city: "Paris".to_owned(),
                    address: v.address.to_owned(),
                    timezone: ZONE.name().to_owned(),
                    rooms: v
                        .rooms
                        .iter()
                        .map(|(name, seats)| Room {
                            name: (*name).to_owned(),
                            seats: *seats,
                        })
                        .collect(),
                }
                .into_row(VenueId::new(), created_at)?;
                q::insert_venue(tx, &row)?
            }
        };
        venues.push(venue);
    }

    let mut films: Vec<q::FilmRow> = Vec::with_capacity(FILMS.len());
    for f in &FILMS {
        let year = i32::try_from(f.year).unwrap_or_default();
        let id = match q::film_by_title(tx.conn, f.title, year)? {
            Some(film) => film.id,
            None => {
                let row = FilmInput {
                    title: f.title.to_owned(),
                    original_title: f.original_title.to_owned(),
                    director: f.director.to_owned(),
                    year: f.year,
                    runtime_minutes: f.runtime,
                    country: "VN".to_owned(),
                    language: "Vietnamese".to_owned(),
                    subtitles: subtitles_of(f.title).to_owned(),
                    synopsis: synopsis_of(f.title).to_owned(),
                }
                .into_row(FilmId::new(), created_at)?;
                q::insert_film(tx, &row)?.id
            }
        };
        films.push(q::film_row(tx.conn, id)?);
    }

    let existing = q::list_screenings(tx.conn, festival.id)?;
    let closing_night = match existing
        .iter()
        .find(|l| l.film.title == "Red Rain" && l.screening.starts_at.date() == ends_on)
    {
        Some(listing) => listing.screening.id,
        None => schedule_programme(
            tx, &festival, &venues, &films, starts_on, ends_on, created_at,
        )?,
    };

    // A screening starting within the hour, so the door can be tried at once: the programme's
    // own when one starts that soon (during the festival week), else a preview added for it.
    let horizon = created_at + Duration::minutes(60);
    let starts_soon: Option<String> = screenings::table
        .filter(screenings::festival_id.eq(festival.id.to_string()))
        .filter(screenings::status.eq(ScreeningStatus::Scheduled.as_str()))
        .filter(screenings::starts_at.gt(created_at))
        .filter(screenings::starts_at.le(horizon))
        .order(screenings::starts_at.asc())
        .select(screenings::id)
        .first(tx.conn)
        .optional()?;
    let preview = match starts_soon {
        Some(id) => ScreeningId::from_db("screenings.id", &id)?,
        None => {
            // 30 minutes ahead, on a 5-minute boundary: doors (45 min before) are already open.
            let start = crate::domain::whole_minute(created_at + Duration::minutes(30));
            let start = start - Duration::seconds(start.and_utc().timestamp().rem_euclid(300));
            add_screening(
                tx,
                &festival,
                &films[0],
                &venues[FORUM],
                "Salle 300",
                start,
                created_at,
            )?
        }
    };

    let organiser_token = demo_credential(tx.conn, "Demo organiser", Role::Organiser, &festival)?;
    let door_token = demo_credential(tx.conn, "Demo door staff", Role::Door, &festival)?;
    let jury_pass = demo_passes(tx, signer, &festival, created_at)?;
    let jury_pass_token = crate::passes::record::add_pass_token(tx.conn, jury_pass, created_at)?;
    Ok(DemoFestival {
        festival,
        closing_night,
        preview,
        organiser_token,
        door_token,
        jury_pass_token,
    })
}

/// The demo's pass types and a holder of each (illustrative people, at example.org), made once;
/// the jury pass's id.
fn demo_passes(
    tx: &mut Tx<'_>,
    signer: &TicketSigner,
    festival: &Festival,
    created_at: NaiveDateTime,
) -> Result<PassId, AppError> {
    use crate::passes::input::{DEFAULT_RELEASE_MINUTES, Holder, PassRequest, PassTypeRequest};
    use crate::passes::record::{Issued, create_type, issue};
    // (name, category, walk-ins, in all, per day, no-show rule; holder, address, organisation)
    let kinds = [
        (
            "Jury",
            PassCategory::Jury,
            true,
            None,
            None,
            None,
            "Jury member (demo)",
            "jury@example.org",
            "Festival jury",
        ),
        (
            "Press",
            PassCategory::Press,
            false,
            None,
            Some(3),
            None,
            "Lê Minh Anh (demo)",
            "press@example.org",
            "Demo press",
        ),
        (
            "Festival pass",
            PassCategory::Audience,
            false,
            Some(5),
            None,
            Some(2),
            "Camille Martin (demo)",
            "camille@example.org",
            "",
        ),
    ];
    let mut jury = None;
    for (name, category, walk_in, total, per_day, no_shows, holder, email, organisation) in kinds {
        let existing = crate::passes::queries::pass_types_of(tx.conn, festival.id)?;
        let kind = match existing.into_iter().find(|k| k.name == name) {
            Some(kind) => kind,
            None => create_type(
                tx,
                festival.id,
                &PassTypeRequest {
                    name: name.to_owned(),
                    names: demo_names(name),
                    category,
                    valid_from: None,
                    valid_until: None,
                    films: Vec::new(),
                    venues: Vec::new(),
                    max_reservations: total,
                    max_per_day: per_day,
                    max_held: None,
                    walk_in,
                    release_minutes: DEFAULT_RELEASE_MINUTES,
                    no_show_limit: no_shows,
                },
                created_at,
            )?,
        };
        let request = PassRequest {
            pass_type: kind.id,
            holder: Holder {
                name: holder.to_owned(),
                email: crate::domain::Email::parse(email)?,
                organisation: organisation.to_owned(),
                country: None,
                lang: crate::i18n::Lang::default(),
            },
        };
        let pass = match issue(tx, signer, festival.id, &request, created_at)? {
            Issued::New { pass, .. } | Issued::Existing(pass) => pass,
        };
        if category == PassCategory::Jury {
            jury = Some(pass.id);
        }
    }
    jury.ok_or_else(|| AppError::internal(anyhow::anyhow!("the demo has no jury pass")))
}

/// Every film twice across the first six days, and Red Rain on closing night.
fn schedule_programme(
    tx: &mut Tx<'_>,
    festival: &Festival,
    venues: &[Venue],
    films: &[q::FilmRow],
    starts_on: NaiveDate,
    ends_on: NaiveDate,
    created_at: NaiveDateTime,
) -> Result<ScreeningId, AppError> {
    let days: Vec<NaiveDate> = starts_on.iter_days().take_while(|d| *d < ends_on).collect();
    let slots_total = days.len() * SLOTS.len();
    // Showings: each film twice, the second half a week later in the cycle.
    let showings = films.len() * 2;
    for n in 0..showings.min(slots_total) {
        let film = &films[n % films.len()];
        let slot = (n * 7) % slots_total;
        let (venue, room, time) = SLOTS[slot % SLOTS.len()];
        let day = days[slot / SLOTS.len()];
        add_screening(
            tx,
            festival,
            film,
            &venues[venue],
            room,
            at(day, time),
            created_at,
        )?;
    }
    add_screening(
        tx,
        festival,
        &films[0],
        &venues[PATHE],
        "Grande Salle",
        at(ends_on, (20, 0)),
        created_at,
    )
}

fn add_screening(
    tx: &mut Tx<'_>,
    festival: &Festival,
    film: &q::FilmRow,
    venue: &Venue,
    room: &str,
    starts_at: NaiveDateTime,
    created_at: NaiveDateTime,
) -> Result<ScreeningId, AppError> {
    let id = ScreeningId::new();
    let row = ScreeningDraft {
        film,
        venue,
        room: room.to_owned(),
        starts_at,
        ends_at: None,
        capacity: None,
        doors_open_minutes: None,
        doors_close_minutes: None,
        pass_seats: None,
        status: ScreeningStatus::Scheduled,
    }
    .into_row(id, festival.id, created_at)?;
    q::insert_screening(tx, &row)?;
    Ok(id)
}

/// The demo's pass types' names in French and Vietnamese.
fn demo_names(name: &str) -> std::collections::BTreeMap<String, String> {
    let (fr, vi) = match name {
        "Jury" => ("Jury", "Ban giám khảo"),
        "Press" => ("Presse", "Báo chí"),
        _ => ("Pass festival", "Thẻ liên hoan"),
    };
    [("fr", fr), ("vi", vi)]
        .into_iter()
        .map(|(code, name)| (code.to_owned(), name.to_owned()))
        .collect()
}

/// The demo member's credential: created the first time, replaced on every later run (the old
/// one cannot be shown again: only its hash is stored).
fn demo_credential(
    conn: &mut AnyConnection,
    name: &str,
    role: Role,
    festival: &Festival,
) -> Result<String, AppError> {
    match crate::staff::find_by_name(conn, name, role)? {
        Some(member) => crate::staff::rotate_credential(conn, member.id),
        None => {
            // Door staff are limited to the demo festival; organisers are never limited.
            let scope = (role == Role::Door).then_some(festival.id);
            crate::staff::create(conn, name, role, scope, None).map(|(_, t)| t)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_week_is_the_next_one_not_yet_ended() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        assert_eq!(
            demo_week(d(2026, 11, 27)),
            (d(2026, 12, 6), d(2026, 12, 12))
        );
        assert_eq!(
            demo_week(d(2026, 12, 12)),
            (d(2026, 12, 6), d(2026, 12, 12))
        );
        assert_eq!(
            demo_week(d(2026, 12, 13)),
            (d(2027, 12, 6), d(2027, 12, 12))
        );
    }
}
