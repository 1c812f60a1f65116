//! Static assets, compiled into the binary so Marquee runs from any folder.
//!
//! Pages link each one under a name with its content's hash (`/static/marquee.3f2a9c1e07.css`),
//! kept by browsers and proxies for a year without asking again: a new version has a new
//! name. The plain names still answer (for pages kept from before), with an hour's cache.

use std::sync::LazyLock;

use actix_web::http::header;
use actix_web::{HttpResponse, web as aweb};
use sha2::Digest;

const DOOR_SERVICE_WORKER: &str = include_str!("../../templates/static/door-sw.js");
const FAVICON: &str = include_str!("../../templates/static/favicon.svg");

/// One file under `/static/`.
struct Asset {
    /// The plain name, `marquee.css`.
    name: &'static str,
    content_type: &'static str,
    body: &'static str,
    /// The name pages link: `marquee.<hash>.css`.
    hashed: String,
}

static ASSETS: LazyLock<Vec<Asset>> = LazyLock::new(|| {
    let text = "text/javascript; charset=utf-8";
    [
        (
            "marquee.css",
            "text/css; charset=utf-8",
            include_str!("../../templates/static/marquee.css"),
        ),
        (
            "door.js",
            text,
            include_str!("../../templates/static/door.js"),
        ),
        (
            "door-offline.js",
            text,
            include_str!("../../templates/static/door-offline.js"),
        ),
        (
            "dashboard.js",
            text,
            include_str!("../../templates/static/dashboard.js"),
        ),
        (
            "page.js",
            text,
            include_str!("../../templates/static/page.js"),
        ),
    ]
    .into_iter()
    .map(|(name, content_type, body)| {
        let digest = sha2::Sha256::digest(body.as_bytes());
        let hash = data_encoding::HEXLOWER.encode(&digest[..5]);
        let (stem, extension) = name.rsplit_once('.').unwrap_or((name, ""));
        Asset {
            name,
            content_type,
            body,
            hashed: format!("{stem}.{hash}.{extension}"),
        }
    })
    .collect()
});

/// The path pages link for the asset `name` (`marquee.css` → `/static/marquee.<hash>.css`);
/// templates call it. An unknown name is a mistake in a template, caught by the page tests
/// (its plain path is given, which answers 404).
pub fn url(name: &str) -> String {
    ASSETS.iter().find(|asset| asset.name == name).map_or_else(
        || format!("/static/{name}"),
        |asset| format!("/static/{}", asset.hashed),
    )
}

/// The door's service worker, linking the hashed names; its cache is named after them, so a
/// new version of any asset replaces the copies kept offline.
static SERVICE_WORKER: LazyLock<String> = LazyLock::new(|| {
    let mut script = DOOR_SERVICE_WORKER.to_owned();
    for asset in ASSETS.iter() {
        script = script.replace(
            &format!("\"/static/{}\"", asset.name),
            &format!("\"/static/{}\"", asset.hashed),
        );
    }
    let version = sha2::Sha256::digest(script.as_bytes());
    script.replace(
        "\"marquee-door-v1\"",
        &format!(
            "\"marquee-door-{}\"",
            data_encoding::HEXLOWER.encode(&version[..5])
        ),
    )
});

pub fn routes(cfg: &mut aweb::ServiceConfig) {
    cfg.route("/static/{file}", aweb::get().to(asset))
        .route("/favicon.svg", aweb::get().to(favicon))
        .route("/favicon.ico", aweb::get().to(favicon))
        .route("/door/sw.js", aweb::get().to(door_service_worker));
}

/// A year, and never asked again, under a hashed name; an hour under the plain one.
async fn asset(file: aweb::Path<String>) -> HttpResponse {
    let file = file.into_inner();
    let Some(asset) = ASSETS
        .iter()
        .find(|asset| asset.hashed == file || asset.name == file)
    else {
        return HttpResponse::NotFound()
            .content_type("text/plain; charset=utf-8")
            .body("no such file");
    };
    let cache = if asset.hashed == file {
        "public, max-age=31536000, immutable"
    } else {
        "public, max-age=3600"
    };
    HttpResponse::Ok()
        .content_type(asset.content_type)
        .insert_header((header::CACHE_CONTROL, cache))
        .body(asset.body)
}

/// The door pages' service worker: served from `/door/` with a scope of `/door`, so the door
/// chooser and every door page load offline once opened online. Never cached by HTTP, so a new
/// version is picked up at the next visit.
async fn door_service_worker() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/javascript; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "no-cache"))
        .insert_header(("Service-Worker-Allowed", "/door"))
        .body(SERVICE_WORKER.as_str())
}

/// The tab icon (SVG: one file for every size; `/favicon.ico` answers it too, for browsers that
/// ask before reading the page).
async fn favicon() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("image/svg+xml")
        .insert_header((header::CACHE_CONTROL, "public, max-age=86400"))
        .body(FAVICON)
}
