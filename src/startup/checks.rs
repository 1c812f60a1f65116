//! `marquee verify-scans` and `marquee check-counters`: the two integrity checks.

use anyhow::{Context, anyhow, bail};

use crate::config::Settings;
use crate::db;
use crate::error::AppError;

fn open(
    settings: &Settings,
    festival: Option<&str>,
) -> anyhow::Result<(db::DbConnection, Option<crate::domain::FestivalId>)> {
    let mut conn = super::open_database(&settings.database)?
        .get()
        .context("cannot get a database connection")?;
    let festival = match festival {
        Some(slug) => Some(
            crate::catalogue::queries::festival_by_slug(&mut conn, slug)
                .map_err(AppError::into_cause)?
                .ok_or_else(|| anyhow!("no festival has the slug {slug:?}"))?
                .id,
        ),
        None => None,
    };
    Ok((conn, festival))
}

/// What a check found, printed for the operator; an error (exit status 1) when it found problems.
struct Outcome<'a> {
    checked: String,
    problems: &'a [String],
    failed: String,
    passed: &'static str,
}

impl Outcome<'_> {
    fn print(self) -> anyhow::Result<()> {
        println!("{}", self.checked);
        for problem in self.problems {
            println!("PROBLEM: {problem}");
        }
        if !self.problems.is_empty() {
            bail!(self.failed);
        }
        println!("{}", self.passed);
        Ok(())
    }
}

pub fn verify_scans(settings: &Settings, festival: Option<&str>) -> anyhow::Result<()> {
    let (mut conn, festival) = open(settings, festival)?;
    let report = crate::door::chain::verify(&mut conn, festival).map_err(AppError::into_cause)?;
    Outcome {
        checked: format!(
            "checked {} entries in {} screenings",
            report.entries_checked, report.screenings_checked
        ),
        problems: &report.problems,
        failed: format!(
            "the scan log has been tampered with ({} problems)",
            report.problems.len()
        ),
        passed: "the scan log is intact",
    }
    .print()
}

pub fn check_counters(settings: &Settings, festival: Option<&str>) -> anyhow::Result<()> {
    let (mut conn, festival) = open(settings, festival)?;
    let report =
        crate::reports::consistency::check(&mut conn, festival).map_err(AppError::into_cause)?;
    Outcome {
        checked: format!(
            "checked {} counters of {} screenings",
            report.counters_checked, report.screenings_checked
        ),
        problems: &report.problems,
        failed: format!(
            "{} counters differ from the rows they count",
            report.problems.len()
        ),
        passed: "every counter matches the rows",
    }
    .print()
}
