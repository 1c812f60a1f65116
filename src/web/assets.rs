//! Static assets, compiled into the binary so Marquee runs from any folder.

use actix_web::http::header;
use actix_web::{HttpResponse, web as aweb};

const STYLESHEET: &str = include_str!("../../templates/static/marquee.css");

pub fn routes(cfg: &mut aweb::ServiceConfig) {
    cfg.route("/static/marquee.css", aweb::get().to(stylesheet));
}

async fn stylesheet() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/css; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "public, max-age=3600"))
        .body(STYLESHEET)
}
