//! The organiser's dashboard: totals, progress toward the goal, charts, tables, CSV downloads,
//! kept live by `static/dashboard.js` through Server-Sent Events; and a screening's arrival curve.

use actix_web::{HttpResponse, web as aweb};
use askama::Template;

use super::report::{self, Report};
use super::{charts, csv};
use crate::db;
use crate::domain::{FestivalId, ScreeningId};
use crate::error::AppError;
use crate::web::auth::Organiser;
use crate::web::{AppState, page};

pub fn routes(cfg: &mut aweb::ServiceConfig) {
    cfg.route("/admin/festivals/{id}", aweb::get().to(dashboard))
        .route("/admin/screenings/{id}", aweb::get().to(screening_arrivals));
}

type State = aweb::Data<AppState>;

pub fn percent(rate: &f64) -> String {
    format!("{:.1}%", rate * 100.0)
}

#[derive(Template)]
#[template(path = "dashboard.html")]
struct DashboardPage {
    r: Report,
    progress_svg: String,
    days_svg: String,
    films_svg: String,
    venues_svg: String,
    tables: [&'static str; 7],
    /// Offline admissions the server could not honour, newest first.
    conflicts: Vec<crate::door::offline::Conflict>,
}

async fn dashboard(
    state: State,
    _: Organiser,
    id: aweb::Path<FestivalId>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let r = super::api::load_report(&state, id).await?;
    let conflicts = db::run(&state.pool, move |conn| {
        crate::door::offline::festival_conflicts(conn, id)
    })
    .await?;
    let bars = |lines: &[report::GroupLine]| -> Vec<(String, i64, i64)> {
        lines
            .iter()
            .map(|g| (g.label.clone(), g.capacity, g.admitted))
            .collect()
    };
    page(&DashboardPage {
        progress_svg: charts::progress(r.totals.admitted, r.totals.attendance_goal),
        days_svg: charts::bars("Admitted by day (of capacity)", &bars(&r.by_day)),
        films_svg: charts::bars("Admitted by film (of capacity)", &bars(&r.by_film)),
        venues_svg: charts::bars("Admitted by venue (of capacity)", &bars(&r.by_venue)),
        tables: csv::TABLES,
        conflicts,
        r,
    })
}

#[derive(Template)]
#[template(path = "arrivals.html")]
struct ArrivalsPage {
    a: report::Arrivals,
    chart: String,
}

async fn screening_arrivals(
    state: State,
    _: Organiser,
    id: aweb::Path<ScreeningId>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let a = db::run(&state.pool, move |conn| report::arrivals(conn, id)).await?;
    let buckets: Vec<(String, i64, i64)> = a
        .buckets
        .iter()
        .map(|b| (b.local_time.clone(), b.minutes_from_start, b.admitted))
        .collect();
    page(&ArrivalsPage {
        chart: charts::arrivals(&buckets),
        a,
    })
}
