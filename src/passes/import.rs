//! A guest or press list imported as passes: `name,email,pass_type,organisation,country` (the
//! type by id or by name). Every row is checked first and each problem named by line and column;
//! then, in one transaction, every row is issued — or nothing is, when any row has a problem. A
//! holder is their address within a type, so the same file again issues nothing new.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use serde::Serialize;

use super::input::{Holder, PassRequest};
use super::queries::{PassType, pass_types_of};
use super::record::{self, Issued};
use crate::db::Tx;
use crate::db::audit::Change;
use crate::domain::sheet::{self, Row, RowProblem};
use crate::domain::ticket_code::TicketSigner;
use crate::domain::{Country, Email, FestivalId, InputError, PassId, input};
use crate::error::AppError;

/// The columns of a pass list.
pub const REQUIRED: &[&str] = &["name", "email", "pass_type"];
pub const OPTIONAL: &[&str] = &["organisation", "country", "lang"];
/// The most rows one file may hold: a festival's whole guest, press and jury list.
pub const MAX_ROWS: usize = 5000;

/// What an import did (or, in a dry run, would do).
#[derive(Debug, Clone, Default, Serialize, utoipa::ToSchema)]
pub struct ImportReport {
    /// Passes issued (a dry run: that would be).
    pub created: usize,
    /// Rows whose holder already has a pass of that type: nothing to do.
    pub unchanged: usize,
    /// Every problem, by line and column. When there is any, nothing was written.
    pub errors: Vec<RowProblem>,
}

/// The rows of a file checked into passes to issue, or every problem found.
pub fn check(
    bytes: &[u8],
    kinds: &[PassType],
    organiser_lang: crate::i18n::Lang,
) -> Result<Vec<PassRequest>, Vec<RowProblem>> {
    let rows = sheet::read(bytes, REQUIRED, OPTIONAL, MAX_ROWS)?;
    let mut problems = Vec::new();
    let mut requests = Vec::with_capacity(rows.len());
    // (type, address) → the line that first named it.
    let mut seen: HashMap<(String, String), u64> = HashMap::new();
    for row in &rows {
        match row_request(row, kinds, organiser_lang) {
            Ok(request) => {
                let key = (
                    request.pass_type.to_string(),
                    crate::db::people::email_key(request.holder.email.as_str()),
                );
                if let Some(first) = seen.insert(key, row.line) {
                    problems.push(RowProblem::new(
                        row.line,
                        "email",
                        crate::msg!("import-pass-repeated", line = first),
                    ));
                }
                requests.push(request);
            }
            Err(mut found) => problems.append(&mut found),
        }
    }
    if problems.is_empty() {
        Ok(requests)
    } else {
        Err(problems)
    }
}

/// One row checked, or its problems (every cell is checked, not only the first bad one).
fn row_request(
    row: &Row,
    kinds: &[PassType],
    organiser_lang: crate::i18n::Lang,
) -> Result<PassRequest, Vec<RowProblem>> {
    let mut problems = Vec::new();
    let name = kept(
        &mut problems,
        row.line,
        "name",
        input::text("name", row.get("name"), 200),
    );
    let email = kept(
        &mut problems,
        row.line,
        "email",
        Email::parse(row.get("email")),
    );
    let organisation = kept(
        &mut problems,
        row.line,
        "organisation",
        input::optional_text("organisation", row.get("organisation"), 200),
    );
    let country = kept(
        &mut problems,
        row.line,
        "country",
        match row.get("country") {
            "" => Ok(None),
            code => Country::parse(code).map(Some),
        },
    );
    let lang = kept(
        &mut problems,
        row.line,
        "lang",
        match row.get("lang") {
            "" => Ok(organiser_lang),
            code => crate::booking::queries::parse_lang(Some(code)),
        },
    );
    let wanted = row.get("pass_type").to_lowercase();
    let kind = kinds
        .iter()
        .find(|k| k.id.to_string() == wanted || k.name.to_lowercase() == wanted);
    if kind.is_none() {
        problems.push(RowProblem::new(
            row.line,
            "pass_type",
            crate::msg!(
                "import-pass-type-unknown",
                name = row.get("pass_type"),
                known = sheet::known(kinds.iter().map(|k| k.name.as_str()))
            ),
        ));
    }
    match (name, email, organisation, country, lang, kind) {
        (Some(name), Some(email), Some(organisation), Some(country), Some(lang), Some(kind))
            if problems.is_empty() =>
        {
            Ok(PassRequest {
                pass_type: kind.id,
                holder: Holder {
                    name,
                    email,
                    organisation,
                    country,
                    lang,
                },
            })
        }
        _ => Err(problems),
    }
}

/// A cell's value, or its problem kept.
fn kept<T>(
    problems: &mut Vec<RowProblem>,
    line: u64,
    column: &str,
    result: Result<T, InputError>,
) -> Option<T> {
    result
        .map_err(|e| problems.push(RowProblem::new(line, column, e.message)))
        .ok()
}

/// Reads the festival's types and checks a file against them.
pub fn check_for(
    conn: &mut crate::db::AnyConnection,
    festival: FestivalId,
    bytes: &[u8],
    lang: crate::i18n::Lang,
) -> Result<Result<Vec<PassRequest>, Vec<RowProblem>>, AppError> {
    let kinds = pass_types_of(conn, festival)?;
    Ok(check(bytes, &kinds, lang))
}

/// Issues every checked row in the caller's transaction (all or nothing): the passes made.
pub fn issue_all(
    tx: &mut Tx<'_>,
    signer: &TicketSigner,
    festival: FestivalId,
    requests: &[PassRequest],
    now: NaiveDateTime,
) -> Result<(ImportReport, Vec<PassId>), AppError> {
    let mut report = ImportReport::default();
    let mut created = Vec::new();
    for request in requests {
        match record::issue(tx, signer, festival, request, now)? {
            Issued::New { pass, .. } => {
                report.created += 1;
                created.push(pass.id);
            }
            Issued::Existing(_) => report.unchanged += 1,
        }
    }
    let change = Change::new(
        Some(festival),
        "pass.import",
        format!("festival:{festival}"),
    );
    crate::db::audit::record(tx, change.after(&report))?;
    Ok((report, created))
}

/// What a dry run would do: each row's holder has a pass of its type already, or not.
pub fn dry_run(
    conn: &mut crate::db::AnyConnection,
    festival: FestivalId,
    requests: &[PassRequest],
) -> Result<ImportReport, AppError> {
    use crate::db::schema::passes;
    use diesel::prelude::*;
    let held: std::collections::HashSet<(String, String)> = passes::table
        .filter(passes::festival_id.eq(festival.to_string()))
        .select((passes::pass_type_id, passes::email))
        .load::<(String, String)>(conn)?
        .into_iter()
        .map(|(kind, email)| (kind, crate::db::people::email_key(&email)))
        .collect();
    let unchanged = requests
        .iter()
        .filter(|r| {
            held.contains(&(
                r.pass_type.to_string(),
                crate::db::people::email_key(r.holder.email.as_str()),
            ))
        })
        .count();
    Ok(ImportReport {
        created: requests.len() - unchanged,
        unchanged,
        errors: Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{PassCategory, PassTypeId};
    use crate::i18n::Lang;

    fn kinds() -> Vec<PassType> {
        ["Press", "Jury"]
            .iter()
            .map(|name| PassType {
                id: PassTypeId::new(),
                festival_id: FestivalId::new(),
                name: (*name).to_owned(),
                names: std::collections::BTreeMap::new(),
                category: PassCategory::Press,
                valid_from: None,
                valid_until: None,
                film_ids: Vec::new(),
                venue_ids: Vec::new(),
                max_reservations: None,
                max_per_day: None,
                max_held: None,
                walk_in: false,
                release_minutes: 10,
                no_show_limit: None,
            })
            .collect()
    }

    #[test]
    fn a_good_list_names_types_by_name_or_id() {
        let kinds = kinds();
        let file = format!(
            "name,email,pass_type,organisation,country\nAna,ana@example.org,press,Le Monde,FR\nBảo,bao@example.org,{},,\n",
            kinds[1].id
        );
        let requests = check(file.as_bytes(), &kinds, Lang::En).unwrap();
        assert_eq!(requests.len(), 2);
        assert_eq!(requests[0].pass_type, kinds[0].id);
        assert_eq!(requests[1].pass_type, kinds[1].id);
        assert_eq!(requests[1].holder.country, None);
    }

    #[test]
    fn every_bad_cell_is_named_by_line_and_column() {
        let file = "name,email,pass_type,country\n\
                    Ana,ana@example.org,Press,FR\n\
                    ,not-an-address,VIP,XX\n\
                    Chi,ana@EXAMPLE.org,press,\n";
        let problems = check(file.as_bytes(), &kinds(), Lang::En).unwrap_err();
        let named: Vec<(u64, &str)> = problems
            .iter()
            .map(|p| (p.line, p.column.as_str()))
            .collect();
        assert_eq!(
            named,
            vec![
                (3, "name"),
                (3, "email"),
                (3, "country"),
                (3, "pass_type"),
                (4, "email")
            ]
        );
        assert!(
            problems[3].message.contains("Press, Jury"),
            "{:?}",
            problems[3]
        );
        assert!(
            problems[4].message.contains('2'),
            "names the line it repeats"
        );
    }
}
