//! `marquee verify-scans` and `marquee check-counters`: the two integrity checks.

use anyhow::{Context, anyhow, bail};

use crate::config::Settings;
use crate::db;
use crate::error::AppError;

fn open(
    settings: &Settings,
    festival: Option<&str>,
) -> anyhow::Result<(db::DbConnection, Option<crate::domain::FestivalId>)> {
    let mut conn = db::connect(&settings.database)?
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

pub fn verify_scans(settings: &Settings, festival: Option<&str>) -> anyhow::Result<()> {
    let (mut conn, festival) = open(settings, festival)?;
    let report = crate::door::chain::verify(&mut conn, festival).map_err(AppError::into_cause)?;
    println!(
        "checked {} entries in {} screenings",
        report.entries_checked, report.screenings_checked
    );
    for problem in &report.problems {
        println!("PROBLEM: {problem}");
    }
    if !report.is_intact() {
        bail!(
            "the scan log has been tampered with ({} problems)",
            report.problems.len()
        );
    }
    println!("the scan log is intact");
    Ok(())
}

pub fn check_counters(settings: &Settings, festival: Option<&str>) -> anyhow::Result<()> {
    let (mut conn, festival) = open(settings, festival)?;
    let report =
        crate::reports::consistency::check(&mut conn, festival).map_err(AppError::into_cause)?;
    println!(
        "checked {} counters of {} screenings",
        report.counters_checked, report.screenings_checked
    );
    for problem in &report.problems {
        println!("PROBLEM: {problem}");
    }
    if !report.is_consistent() {
        bail!(
            "{} counters differ from the rows they count",
            report.problems.len()
        );
    }
    println!("every counter matches the rows");
    Ok(())
}
