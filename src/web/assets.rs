//! Static assets, compiled into the binary so Marquee runs from any folder.

use actix_web::http::header;
use actix_web::{HttpResponse, web as aweb};

const STYLESHEET: &str = include_str!("../../templates/static/marquee.css");
const DOOR_SCRIPT: &str = include_str!("../../templates/static/door.js");
const DASHBOARD_SCRIPT: &str = include_str!("../../templates/static/dashboard.js");

pub fn routes(cfg: &mut aweb::ServiceConfig) {
    cfg.route("/static/marquee.css", aweb::get().to(stylesheet))
        .route("/static/door.js", aweb::get().to(door_script))
        .route("/static/dashboard.js", aweb::get().to(dashboard_script));
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

async fn dashboard_script() -> HttpResponse {
    asset("text/javascript; charset=utf-8", DASHBOARD_SCRIPT)
}
