//! `marquee verify-scans`.

use anyhow::{Context, anyhow, bail};

use crate::config::Settings;
use crate::db;

pub fn verify_scans(settings: &Settings, festival: Option<&str>) -> anyhow::Result<()> {
    let mut conn = db::connect(&settings.database)?
        .get()
        .context("cannot get a database connection")?;
    let festival = match festival {
        Some(slug) => Some(
            crate::catalogue::queries::festival_by_slug(&mut conn, slug)
                .map_err(|e| anyhow!("{}", e.public_message()))?
                .ok_or_else(|| anyhow!("no festival has the slug {slug:?}"))?
                .id,
        ),
        None => None,
    };
    let report =
        super::chain::verify(&mut conn, festival).map_err(|e| anyhow!("{}", e.public_message()))?;
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
