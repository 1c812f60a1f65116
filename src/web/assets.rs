//! Static assets, compiled into the binary so Marquee runs from any folder.

use actix_web::http::header;
use actix_web::{HttpResponse, web as aweb};

const STYLESHEET: &str = include_str!("../../templates/static/marquee.css");
const DOOR_SCRIPT: &str = include_str!("../../templates/static/door.js");
const DOOR_OFFLINE_SCRIPT: &str = include_str!("../../templates/static/door-offline.js");
const DOOR_SERVICE_WORKER: &str = include_str!("../../templates/static/door-sw.js");
const PAGE_SCRIPT: &str = include_str!("../../templates/static/page.js");
const FAVICON: &str = include_str!("../../templates/static/favicon.svg");
const DASHBOARD_SCRIPT: &str = include_str!("../../templates/static/dashboard.js");

pub fn routes(cfg: &mut aweb::ServiceConfig) {
    cfg.route("/static/marquee.css", aweb::get().to(stylesheet))
        .route("/static/door.js", aweb::get().to(door_script))
        .route(
            "/static/door-offline.js",
            aweb::get().to(door_offline_script),
        )
        .route("/static/dashboard.js", aweb::get().to(dashboard_script))
        .route("/static/page.js", aweb::get().to(page_script))
        .route("/favicon.svg", aweb::get().to(favicon))
        .route("/favicon.ico", aweb::get().to(favicon))
        .route("/door/sw.js", aweb::get().to(door_service_worker));
}

fn asset(content_type: &str, body: &'static str) -> HttpResponse {
    HttpResponse::Ok()
        .content_type(content_type)
        .insert_header((header::CACHE_CONTROL, "public, max-age=3600"))
        .body(body)
}

async fn stylesheet() -> HttpResponse {
    asset("text/css; charset=utf-8", STYLESHEET)
}

async fn door_script() -> HttpResponse {
    asset("text/javascript; charset=utf-8", DOOR_SCRIPT)
}

async fn door_offline_script() -> HttpResponse {
    asset("text/javascript; charset=utf-8", DOOR_OFFLINE_SCRIPT)
}

/// The door pages' service worker: served from `/door/` with a scope of `/door`, so the door
/// chooser and every door page load offline once opened online. Never cached by HTTP, so a new
/// version is picked up at the next visit.
async fn door_service_worker() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/javascript; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "no-cache"))
        .insert_header(("Service-Worker-Allowed", "/door"))
        .body(DOOR_SERVICE_WORKER)
}

async fn dashboard_script() -> HttpResponse {
    asset("text/javascript; charset=utf-8", DASHBOARD_SCRIPT)
}

/// The tab icon (SVG: one file for every size; `/favicon.ico` answers it too, for browsers that
/// ask before reading the page).
async fn favicon() -> HttpResponse {
    asset("image/svg+xml", FAVICON)
}

/// What every page may use: print buttons.
async fn page_script() -> HttpResponse {
    asset("text/javascript; charset=utf-8", PAGE_SCRIPT)
}
