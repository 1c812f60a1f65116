//! HTML form bodies and their conversion into the API's input types.

use chrono::NaiveDate;
use serde::Deserialize;

use crate::catalogue::input::{
    FestivalInput, FilmInput, FilmPatch, ScreeningInput, ScreeningPatch, VenueInput, VenuePatch,
};
use crate::catalogue::queries::Room;
use crate::domain::InputError;

/// A whole number typed into a form field.
pub fn number(field: &str, value: &str) -> Result<i64, InputError> {
    value
        .trim()
        .parse()
        .map_err(|_| InputError::new(field, crate::msg!("error-whole-number", field = field)))
}

pub fn optional_number(field: &str, value: &str) -> Result<Option<i64>, InputError> {
    if value.trim().is_empty() {
        Ok(None)
    } else {
        number(field, value).map(Some)
    }
}

fn date(field: &str, value: &str) -> Result<NaiveDate, InputError> {
    NaiveDate::parse_from_str(value.trim(), "%Y-%m-%d")
        .map_err(|_| InputError::new(field, crate::msg!("error-date", field = field)))
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct FestivalForm {
    pub csrf: String,
    pub slug: String,
    pub name: String,
    pub starts_on: String,
    pub ends_on: String,
    pub timezone: String,
    pub attendance_goal: String,
    pub retention_days: String,
    pub controller: String,
}

/// A form that makes a new festival, venue or film: what it makes, read from the fields.
pub trait NewRecordForm {
    type Input: crate::catalogue::input::Draft;
    fn input(&self) -> Result<Self::Input, InputError>;
}

impl NewRecordForm for FestivalForm {
    type Input = FestivalInput;

    fn input(&self) -> Result<FestivalInput, InputError> {
        Ok(FestivalInput {
            slug: self.slug.clone(),
            name: self.name.clone(),
            starts_on: date("starts_on", &self.starts_on)?,
            ends_on: date("ends_on", &self.ends_on)?,
            timezone: self.timezone.clone(),
            attendance_goal: number("attendance_goal", &self.attendance_goal)?,
            retention_days: optional_number("retention_days", &self.retention_days)?
                .unwrap_or(crate::catalogue::input::DEFAULT_RETENTION_DAYS),
            controller: self.controller.clone(),
        })
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct VenueForm {
    pub csrf: String,
    pub name: String,
    pub city: String,
    pub address: String,
    pub timezone: String,
    /// One room per line: `Grande Salle: 650`.
    pub rooms: String,
}

/// Reads rooms written one per line as `name: seats`.
pub fn parse_rooms(text: &str) -> Result<Vec<Room>, InputError> {
    text.lines()
        .filter(|line| !line.trim().is_empty())
        .map(|line| {
            let (name, seats) = line.rsplit_once(':').ok_or_else(|| {
                InputError::new("rooms", crate::msg!("error-rooms-line", line = line.trim()))
            })?;
            Ok(Room {
                name: name.trim().to_owned(),
                seats: number("rooms", seats)?,
            })
        })
        .collect()
}

/// Writes rooms back, one per line.
pub fn format_rooms(rooms: &[Room]) -> String {
    rooms
        .iter()
        .map(|r| format!("{}: {}", r.name, r.seats))
        .collect::<Vec<_>>()
        .join("\n")
}

impl NewRecordForm for VenueForm {
    type Input = VenueInput;

    fn input(&self) -> Result<VenueInput, InputError> {
        Ok(VenueInput {
            name: self.name.clone(),
            city: self.city.clone(),
            address: self.address.clone(),
            timezone: self.timezone.clone(),
            rooms: parse_rooms(&self.rooms)?,
        })
    }
}

impl VenueForm {
    pub fn patch(&self) -> Result<VenuePatch, InputError> {
        let input = self.input()?;
        Ok(VenuePatch {
            name: Some(input.name),
            city: Some(input.city),
            address: Some(input.address),
            timezone: Some(input.timezone),
            rooms: Some(input.rooms),
        })
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct FilmForm {
    pub csrf: String,
    pub title: String,
    pub original_title: String,
    pub director: String,
    pub year: String,
    pub runtime_minutes: String,
    pub country: String,
    pub language: String,
    pub subtitles: String,
    pub synopsis: String,
}

impl NewRecordForm for FilmForm {
    type Input = FilmInput;

    fn input(&self) -> Result<FilmInput, InputError> {
        Ok(FilmInput {
            title: self.title.clone(),
            original_title: self.original_title.clone(),
            director: self.director.clone(),
            year: number("year", &self.year)?,
            runtime_minutes: number("runtime_minutes", &self.runtime_minutes)?,
            country: self.country.clone(),
            language: self.language.clone(),
            subtitles: self.subtitles.clone(),
            synopsis: self.synopsis.clone(),
        })
    }
}

impl FilmForm {
    pub fn patch(&self) -> Result<FilmPatch, InputError> {
        let input = self.input()?;
        Ok(FilmPatch {
            title: Some(input.title),
            original_title: Some(input.original_title),
            director: Some(input.director),
            year: Some(input.year),
            runtime_minutes: Some(input.runtime_minutes),
            country: Some(input.country),
            language: Some(input.language),
            subtitles: Some(input.subtitles),
            synopsis: Some(input.synopsis),
        })
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ScreeningForm {
    pub csrf: String,
    pub film_id: String,
    /// `venue_id|room`, from one select listing every room of every venue.
    pub place: String,
    /// Local time at the venue, from a `datetime-local` input.
    pub starts_at: String,
    pub capacity: String,
    pub doors_open_minutes: String,
    pub doors_close_minutes: String,
    pub pass_seats: String,
    /// "1" when the organiser adds it though its time looks like a mistake.
    pub confirm: String,
}

impl ScreeningForm {
    fn place(&self) -> Result<(String, String), InputError> {
        self.place
            .split_once('|')
            .map(|(v, r)| (v.to_owned(), r.to_owned()))
            .ok_or_else(|| InputError::new("room", crate::msg!("error-room-choose")))
    }

    pub fn input(&self, festival_id: String) -> Result<ScreeningInput, InputError> {
        let (venue_id, room) = self.place()?;
        Ok(ScreeningInput {
            festival_id,
            film_id: self.film_id.clone(),
            venue_id,
            room,
            starts_at: self.starts_at.clone(),
            ends_at: None,
            capacity: optional_number("capacity", &self.capacity)?,
            doors_open_minutes: optional_number("doors_open_minutes", &self.doors_open_minutes)?,
            doors_close_minutes: optional_number("doors_close_minutes", &self.doors_close_minutes)?,
            pass_seats: optional_number("pass_seats", &self.pass_seats)?,
            confirm: self.confirm == "1",
        })
    }

    pub fn patch(&self) -> Result<ScreeningPatch, InputError> {
        let (venue_id, room) = self.place()?;
        Ok(ScreeningPatch {
            film_id: Some(self.film_id.clone()),
            venue_id: Some(venue_id),
            room: Some(room),
            starts_at: Some(self.starts_at.clone()),
            capacity: optional_number("capacity", &self.capacity)?,
            doors_open_minutes: optional_number("doors_open_minutes", &self.doors_open_minutes)?,
            doors_close_minutes: optional_number("doors_close_minutes", &self.doors_close_minutes)?,
            pass_seats: optional_number("pass_seats", &self.pass_seats)?,
            confirm: self.confirm == "1",
            ..ScreeningPatch::default()
        })
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct StaffForm {
    pub csrf: String,
    pub name: String,
    pub role: String,
    /// Empty (everything), `festival:ID` or `venue:ID`.
    pub scope: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct InvitationForm {
    pub csrf: String,
    pub name: String,
    pub email: String,
    pub country: String,
    pub category: String,
    pub seats: String,
    /// The language of the guest's mail (empty: the organiser's page language).
    pub lang: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct CsrfForm {
    pub csrf: String,
    pub status: String,
    /// Set by a confirmation page: the organiser has read what the action does.
    pub confirm: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rooms_are_read_one_per_line() {
        let rooms = parse_rooms("Grande Salle: 650\n\nSalle 2 : 220\n").unwrap();
        assert_eq!(rooms.len(), 2);
        assert_eq!((rooms[1].name.as_str(), rooms[1].seats), ("Salle 2", 220));
        assert_eq!(format_rooms(&rooms), "Grande Salle: 650\nSalle 2: 220");
        assert_eq!(parse_rooms("Salle").unwrap_err().field, "rooms");
        assert_eq!(parse_rooms("Salle: many").unwrap_err().field, "rooms");
    }
}
