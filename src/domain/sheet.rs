//! Lists imported as CSV (a guest or press list): read into rows by column name, every problem
//! named by its line and column, before anything is written. Pure: no storage.
//!
//! An import is all-or-nothing: the caller checks every row, and writes only when no row has a
//! problem; the same file again changes nothing (each importer says what makes a row the same).

use std::collections::HashMap;

use serde::Serialize;

/// The query of an import (`POST …/import?dry_run=true`).
#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ImportQuery {
    /// Check the file and say what would be done, writing nothing.
    pub dry_run: Option<bool>,
}

/// A problem with one cell (or the header, line 1), in words an organiser can act on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct RowProblem {
    /// The line in the file (the header is line 1).
    pub line: u64,
    /// The column's name in the header (empty when the problem is the whole line).
    pub column: String,
    pub message: String,
}

impl RowProblem {
    pub fn new(line: u64, column: &str, message: impl ToString) -> RowProblem {
        RowProblem {
            line,
            column: column.to_owned(),
            message: message.to_string(),
        }
    }
}

/// What a file may name instead of a value it named wrongly, for its problem's message:
/// "Press, Jury".
pub fn known<'a>(names: impl IntoIterator<Item = &'a str>) -> String {
    names.into_iter().collect::<Vec<_>>().join(", ")
}

/// One data row: its line, and its cells by column name (trimmed; empty when absent).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub line: u64,
    cells: HashMap<String, String>,
}

impl Row {
    /// The cell of `column` (empty if the file has no such column).
    pub fn get(&self, column: &str) -> &str {
        self.cells.get(column).map_or("", String::as_str)
    }
}

/// Reads a CSV file with a header row naming its columns (in any order, any case): `required`
/// must all be there, `optional` may be; any other column is a problem (a misspelt column would
/// otherwise be dropped silently). At most `max_rows` data rows; blank lines are skipped.
pub fn read(
    bytes: &[u8],
    required: &[&str],
    optional: &[&str],
    max_rows: usize,
) -> Result<Vec<Row>, Vec<RowProblem>> {
    let text =
        std::str::from_utf8(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)).map_err(|e| {
            vec![RowProblem::new(
                line_at(bytes, e.valid_up_to()),
                "",
                crate::msg!("import-not-utf8"),
            )]
        })?;
    let mut reader = ::csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .trim(::csv::Trim::All)
        .from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| {
            vec![RowProblem::new(
                1,
                "",
                crate::msg!("import-unreadable", detail = e.to_string()),
            )]
        })?
        .iter()
        .map(str::to_lowercase)
        .collect();
    let mut problems = Vec::new();
    for column in required {
        if !header.iter().any(|h| h == column) {
            problems.push(RowProblem::new(
                1,
                column,
                crate::msg!("import-missing-column", column = *column),
            ));
        }
    }
    for (at, column) in header.iter().enumerate() {
        if !required.contains(&column.as_str()) && !optional.contains(&column.as_str()) {
            problems.push(RowProblem::new(
                1,
                column,
                crate::msg!(
                    "import-unknown-column",
                    column = column.as_str(),
                    known = required
                        .iter()
                        .chain(optional)
                        .copied()
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ));
        } else if header[..at].contains(column) {
            problems.push(RowProblem::new(
                1,
                column,
                crate::msg!("import-repeated-column"),
            ));
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = match record {
            Ok(record) => record,
            Err(e) => {
                let line = e
                    .position()
                    .map_or(0, |p| line_at(text.as_bytes(), p.byte() as usize));
                problems.push(RowProblem::new(
                    line,
                    "",
                    crate::msg!("import-unreadable", detail = e.to_string()),
                ));
                continue;
            }
        };
        // The file's own line (the reader's count skips blank lines).
        let line = record
            .position()
            .map_or(0, |p| line_at(text.as_bytes(), p.byte() as usize));
        if record.iter().all(str::is_empty) {
            continue;
        }
        if record.len() > header.len() {
            problems.push(RowProblem::new(
                line,
                "",
                crate::msg!(
                    "import-too-many-cells",
                    count = record.len(),
                    columns = header.len()
                ),
            ));
            continue;
        }
        if rows.len() == max_rows {
            problems.push(RowProblem::new(
                line,
                "",
                crate::msg!("import-too-many-rows", max = max_rows),
            ));
            break;
        }
        let cells = header
            .iter()
            .cloned()
            .zip(record.iter().map(str::to_owned))
            .collect();
        rows.push(Row { line, cells });
    }
    if problems.is_empty() {
        Ok(rows)
    } else {
        Err(problems)
    }
}

/// The line (from 1) of the first byte at or after `offset` that is not a line break (a record's
/// position counts the blank lines before it as its own).
fn line_at(bytes: &[u8], offset: usize) -> u64 {
    let offset = offset.min(bytes.len());
    let start = bytes[offset..]
        .iter()
        .position(|b| !matches!(b, b'\r' | b'\n'))
        .map_or(bytes.len(), |skipped| offset + skipped);
    1 + bytes[..start].iter().filter(|b| **b == b'\n').count() as u64
}

#[cfg(test)]
mod tests {
    use super::*;

    const REQUIRED: &[&str] = &["name", "email"];
    const OPTIONAL: &[&str] = &["country"];

    #[test]
    fn rows_are_read_by_column_name_in_any_order_and_case() {
        let rows = read(
            "\u{feff}Email,NAME\n a@example.org , Ana \n\nb@example.org,\"Bảo, Lê\"\n".as_bytes(),
            REQUIRED,
            OPTIONAL,
            10,
        )
        .unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(
            (rows[0].line, rows[0].get("name"), rows[0].get("email")),
            (2, "Ana", "a@example.org")
        );
        assert_eq!((rows[1].line, rows[1].get("name")), (4, "Bảo, Lê"));
        assert_eq!(
            rows[1].get("country"),
            "",
            "an optional column not in the file"
        );
    }

    #[test]
    fn a_bad_header_is_named_column_by_column() {
        let problems = read(b"name,mail,name\n", REQUIRED, OPTIONAL, 10).unwrap_err();
        let named: Vec<(u64, &str)> = problems
            .iter()
            .map(|p| (p.line, p.column.as_str()))
            .collect();
        assert_eq!(named, vec![(1, "email"), (1, "mail"), (1, "name")]);
    }

    #[test]
    fn broken_rows_name_their_line() {
        let problems = read(
            b"name,email\nA,a@example.org,extra\n",
            REQUIRED,
            OPTIONAL,
            10,
        )
        .unwrap_err();
        assert_eq!(problems[0].line, 2);
        let problems = read(
            b"name,email\nA,a@example.org\n\xff\xfe,x\n",
            REQUIRED,
            OPTIONAL,
            10,
        )
        .unwrap_err();
        assert_eq!(problems[0].line, 3, "not UTF-8");
        let many = "name,email\n".to_owned() + &"A,a@example.org\n".repeat(4);
        let problems = read(many.as_bytes(), REQUIRED, OPTIONAL, 3).unwrap_err();
        assert_eq!(problems[0].line, 5, "the first row over the limit");
    }
}
