//! CSV exports (RFC 4180, UTF-8 with a byte-order mark, header row), safe to open in a
//! spreadsheet: a text cell that starts with `=`, `+`, `-`, `@`, tab or carriage return is
//! prefixed with `'`, so a name like `=HYPERLINK(…)` is shown as text instead of being run as a
//! formula.
//!
//! Excel reads a file without a byte-order mark in the machine's legacy code page ("PathÃ©"), and
//! where the decimal separator is a comma (France, Vietnam) it splits columns on `;`, not `,`. So
//! every file starts with the mark, and [`Dialect::Semicolon`] writes `;` between cells and
//! decimal commas (`0,1234`) for those spreadsheets.

use serde::Serialize;

use super::report::Report;
use crate::error::AppError;

/// The tables of a report that can be downloaded.
pub const TABLES: [&str; 8] = [
    "totals",
    "screenings",
    "films",
    "venues",
    "days",
    "countries",
    "categories",
    "pass_types",
];

/// Neutralises spreadsheet formulas in a text cell.
pub fn safe(text: &str) -> String {
    match text.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{text}"),
        _ => text.to_owned(),
    }
}

/// The UTF-8 byte-order mark every file starts with.
pub const BOM: &[u8] = b"\xEF\xBB\xBF";

/// How cells are separated, and decimals written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Dialect {
    /// `,` between cells, `0.1234`: programs, and spreadsheets set to a decimal point.
    #[default]
    Comma,
    /// `;` between cells, `0,1234`: spreadsheets set to a decimal comma (French Excel).
    Semicolon,
}

impl Dialect {
    /// `?sep=comma` or `?sep=semicolon`.
    pub fn parse(text: &str) -> Option<Dialect> {
        match text {
            "comma" | "," => Some(Dialect::Comma),
            "semicolon" | ";" => Some(Dialect::Semicolon),
            _ => None,
        }
    }
}

fn rate(value: f64, dialect: Dialect) -> String {
    let text = format!("{value:.4}");
    match dialect {
        Dialect::Comma => text,
        Dialect::Semicolon => text.replace('.', ","),
    }
}

fn write<R: Serialize>(
    dialect: Dialect,
    rows: impl IntoIterator<Item = R>,
) -> Result<Vec<u8>, AppError> {
    let mut writer = ::csv::WriterBuilder::new()
        .terminator(::csv::Terminator::CRLF)
        .delimiter(match dialect {
            Dialect::Comma => b',',
            Dialect::Semicolon => b';',
        })
        .from_writer(BOM.to_vec());
    for row in rows {
        writer.serialize(row).map_err(AppError::internal)?;
    }
    writer
        .into_inner()
        .map_err(|e| AppError::internal(anyhow::anyhow!("{e}")))
}

/// One pass type's line: holders, reservations, admissions, walk-ins, no-shows.
#[derive(Serialize)]
struct PassTypeRecord {
    pass_type_id: String,
    name: String,
    category: String,
    holders: i64,
    revoked: i64,
    reservations: i64,
    admitted: i64,
    walk_ins: i64,
    no_shows: i64,
}

#[derive(Serialize)]
struct TotalRow {
    metric: &'static str,
    value: String,
}

#[derive(Serialize)]
struct ScreeningRecord {
    screening_id: String,
    film: String,
    venue: String,
    room: String,
    starts_at: String,
    day: String,
    status: String,
    capacity: i64,
    booked: i64,
    admitted: i64,
    standby_admitted: i64,
    no_shows: i64,
    fill_rate: String,
    no_show_rate: String,
}

#[derive(Serialize)]
struct GroupRow {
    key: String,
    name: String,
    screenings: i64,
    capacity: i64,
    booked: i64,
    admitted: i64,
    standby_admitted: i64,
    no_shows: i64,
    fill_rate: String,
}

#[derive(Serialize)]
struct CountryRow {
    code: String,
    country: String,
    tickets_issued: i64,
    admitted: i64,
    attendees: i64,
}

#[derive(Serialize)]
struct CategoryRow {
    category: String,
    tickets_issued: i64,
    admitted: i64,
}

/// One table of the report as CSV; `None` for an unknown table name.
pub fn table(report: &Report, name: &str, dialect: Dialect) -> Result<Option<Vec<u8>>, AppError> {
    let t = &report.totals;
    let rate = |value: f64| rate(value, dialect);
    let groups = |lines: &[super::report::GroupLine]| {
        write(
            dialect,
            lines.iter().map(|g| GroupRow {
                key: safe(&g.key),
                name: safe(&g.label),
                screenings: g.screenings,
                capacity: g.capacity,
                booked: g.booked,
                admitted: g.admitted,
                standby_admitted: g.standby_admitted,
                no_shows: g.no_shows,
                fill_rate: rate(g.fill_rate),
            }),
        )
    };
    let bytes = match name {
        "totals" => write(
            dialect,
            [
                ("tickets_issued", t.tickets_issued.to_string()),
                ("admitted", t.admitted.to_string()),
                ("no_shows", t.no_shows.to_string()),
                ("awaiting", t.awaiting.to_string()),
                ("unique_attendees", t.unique_attendees.to_string()),
                ("countries", t.countries.to_string()),
                ("films", t.films.to_string()),
                ("screenings", t.screenings.to_string()),
                ("screenings_cancelled", t.screenings_cancelled.to_string()),
                ("capacity", t.capacity.to_string()),
                ("attendance_goal", t.attendance_goal.to_string()),
                ("goal_progress", rate(t.goal_progress)),
                ("fill_rate", rate(t.fill_rate)),
                ("no_show_rate", rate(t.no_show_rate)),
                ("conflicts", t.conflicts.to_string()),
                ("standby_admitted", t.standby_admitted.to_string()),
            ]
            .map(|(metric, value)| TotalRow { metric, value }),
        )?,
        "screenings" => write(
            dialect,
            report.by_screening.iter().map(|s| ScreeningRecord {
                screening_id: s.id.to_string(),
                film: safe(&s.film),
                venue: safe(&s.venue),
                room: safe(&s.room),
                starts_at: s.starts_at.clone(),
                day: s.day.clone(),
                status: s.status.to_string(),
                capacity: s.capacity,
                booked: s.booked,
                admitted: s.admitted,
                standby_admitted: s.standby_admitted,
                no_shows: s.no_shows,
                fill_rate: rate(s.fill_rate),
                no_show_rate: rate(s.no_show_rate),
            }),
        )?,
        "films" => groups(&report.by_film)?,
        "venues" => groups(&report.by_venue)?,
        "days" => groups(&report.by_day)?,
        "countries" => write(
            dialect,
            report.by_country.iter().map(|c| CountryRow {
                code: c.code.clone(),
                country: safe(&crate::domain::country_name(&c.code)),
                tickets_issued: c.tickets_issued,
                admitted: c.admitted,
                attendees: c.attendees,
            }),
        )?,
        "categories" => write(
            dialect,
            report.by_category.iter().map(|c| CategoryRow {
                category: c.category.clone(),
                tickets_issued: c.tickets_issued,
                admitted: c.admitted,
            }),
        )?,
        "pass_types" => write(
            dialect,
            report.by_pass_type.iter().map(|p| PassTypeRecord {
                pass_type_id: p.id.to_string(),
                name: safe(&p.name),
                category: p.category.to_string(),
                holders: p.holders,
                revoked: p.revoked,
                reservations: p.reservations,
                admitted: p.admitted,
                walk_ins: p.walk_ins,
                no_shows: p.no_shows,
            }),
        )?,
        _ => return Ok(None),
    };
    Ok(Some(bytes))
}

#[cfg(test)]
mod tests {
    use super::safe;

    #[test]
    fn formulas_are_neutralised() {
        for dangerous in ["=1+1", "+A1", "-2+3", "@SUM(A1)", "\tx", "\rx"] {
            assert!(safe(dangerous).starts_with('\''), "{dangerous:?}");
        }
        assert_eq!(safe("Red Rain"), "Red Rain");
        assert_eq!(safe(""), "");
    }
}
