//! `marquee staff add|list|revoke`.

use anyhow::{Context, anyhow};

use crate::config::Settings;
use crate::db::{self, AnyConnection};
use crate::domain::{FestivalId, Role, StaffId, VenueId};
use crate::error::AppError;

fn connection(settings: &Settings) -> anyhow::Result<db::DbConnection> {
    db::connect(&settings.database)?
        .get()
        .context("cannot get a database connection")
}

/// Creates a member and prints the credential alone on the last line of standard output.
pub fn add(
    settings: &Settings,
    role: Role,
    name: &str,
    festival: Option<&str>,
    venue: Option<&str>,
) -> anyhow::Result<()> {
    let mut conn = connection(settings)?;
    let festival_id = festival
        .map(|slug| festival_by_slug(&mut conn, slug))
        .transpose()?;
    let venue_id = venue.map(|id| venue_by_id(&mut conn, id)).transpose()?;
    let (member, token) = crate::staff::create(&mut conn, name, role, festival_id, venue_id)
        .map_err(AppError::into_cause)?;
    let public_url = settings
        .public_url
        .clone()
        .unwrap_or_else(|| format!("http://{}", settings.bind));
    println!("Created {} {} ({})", member.role, member.name, member.id);
    println!(
        "Sign-in link: {}",
        crate::staff::signin_link(&public_url, &token)
    );
    println!("Credential (shown once; use it as 'Authorization: Bearer …'):");
    println!("{token}");
    Ok(())
}

fn festival_by_slug(conn: &mut AnyConnection, slug: &str) -> anyhow::Result<FestivalId> {
    crate::catalogue::queries::festival_by_slug(conn, slug)
        .map_err(AppError::into_cause)?
        .map(|f| f.id)
        .ok_or_else(|| anyhow!("no festival has the slug {slug:?}"))
}

fn venue_by_id(conn: &mut AnyConnection, id: &str) -> anyhow::Result<VenueId> {
    let id: VenueId = id
        .parse()
        .map_err(|_| anyhow!("{id:?} is not a venue id"))?;
    crate::catalogue::queries::venue(conn, id)
        .map_err(AppError::into_cause)?
        .map(|v| v.id)
        .ok_or_else(|| anyhow!("no venue has the id {id}"))
}

pub fn list(settings: &Settings) -> anyhow::Result<()> {
    let mut conn = connection(settings)?;
    for member in crate::staff::list(&mut conn).map_err(AppError::into_cause)? {
        println!(
            "{}\t{}\t{}\t{}",
            member.id,
            member.role,
            if member.revoked { "revoked" } else { "active" },
            member.name
        );
    }
    Ok(())
}

pub fn revoke(settings: &Settings, id: &str) -> anyhow::Result<()> {
    let id: StaffId = id
        .parse()
        .map_err(|_| anyhow!("{id:?} is not a staff id"))?;
    let mut conn = connection(settings)?;
    db::tx::write_on(&mut conn, crate::i18n::Lang::default(), |tx| {
        crate::staff::revoke(tx, id)
    })
    .map_err(AppError::into_cause)?;
    println!("revoked {id}");
    Ok(())
}
