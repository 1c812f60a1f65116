//! The organiser's dashboard: totals, progress toward the goal, charts, tables, CSV downloads,
//! kept live by `static/dashboard.js` (Server-Sent Events say a new version exists; the page
//! fetches the live parts, rendered once per version and language for every viewer: see
//! [`super::live`]); and a screening's arrival curve.

use actix_web::http::header;
use actix_web::{HttpResponse, web as aweb};
use askama::Template;

use chrono::NaiveDate;

use super::live::{Fragment, LiveReports};
use super::report::{self, Report};
use super::{charts, csv};
use crate::db;
use crate::domain::format::escape;
use crate::domain::{FestivalId, ScreeningId};
use crate::error::AppError;
use crate::i18n::{dates, t, t1, t2};
use crate::web::Reply;
use crate::web::auth::{Can, need, scope};
use crate::web::{AppState, page};

pub fn routes(cfg: &mut aweb::ServiceConfig) {
    cfg.route("/admin/festivals/{id}", aweb::get().to(dashboard))
        .route("/admin/festivals/{id}/live", aweb::get().to(live_parts))
        .route("/admin/screenings/{id}", aweb::get().to(screening_arrivals));
}

type State = aweb::Data<AppState>;

pub fn percent(rate: &f64) -> String {
    crate::i18n::numbers::percent(*rate)
}

/// A report's day (`YYYY-MM-DD`) in the reader's language, "Fri 12 Dec".
pub fn day(iso: &str) -> String {
    NaiveDate::parse_from_str(iso, "%Y-%m-%d").map_or_else(|_| iso.to_owned(), dates::day_short)
}

/// A report's time (RFC 3339, with the festival's or venue's offset) in the reader's language.
pub fn when(rfc3339: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(rfc3339)
        .map_or_else(|_| rfc3339.to_owned(), |at| dates::when(at.naive_local()))
}

/// The name of a downloadable table (the file keeps its code: `screenings.csv`).
pub fn table_name(table: &str) -> String {
    match table {
        "totals" => t("report-table-totals"),
        "screenings" => t("report-table-screenings"),
        "films" => t("report-table-films"),
        "venues" => t("report-table-venues"),
        "days" => t("report-table-days"),
        "countries" => t("report-table-countries"),
        "categories" => t("report-table-categories"),
        "pass_types" => t("report-table-pass-types"),
        other => other.to_owned(),
    }
}

/// Whether `text` holds a number at `at..end` on its own (not a piece of a longer number).
fn stands_alone(text: &str, at: usize, end: usize) -> bool {
    let digit = |c: Option<char>| c.is_some_and(|c| c.is_ascii_digit());
    let mut before = text[..at].chars().rev();
    let mut after = text[end..].chars();
    let (b1, b2) = (before.next(), before.next());
    let (a1, a2) = (after.next(), after.next());
    let point = |c: Option<char>| matches!(c, Some('.' | ','));
    !(digit(b1) || (point(b1) && digit(b2)) || digit(a1) || (point(a1) && digit(a2)))
}

/// A sentence of the dashboard with numbers the page's script keeps up to date: the sentence,
/// escaped, with each number wrapped in its `<span data-…="…">` where it stands once in the
/// sentence. A translation that spells a number out ("un billet") leaves it unwrapped: it is
/// then brought up to date with the sentence's words, when the page fetches the live parts
/// again (see `static/dashboard.js`).
fn live(sentence: &str, numbers: &[(&str, &str, &str)]) -> String {
    let mut spans: Vec<(usize, usize, String)> = Vec::new();
    for (attribute, name, shown) in numbers {
        let found: Vec<usize> = sentence
            .match_indices(shown)
            .map(|(at, _)| at)
            .filter(|&at| stands_alone(sentence, at, at + shown.len()))
            .collect();
        if let [at] = found[..] {
            let end = at + shown.len();
            if spans.iter().all(|(s, e, _)| end <= *s || at >= *e) {
                spans.push((
                    at,
                    end,
                    format!("<span {attribute}=\"{name}\">{}</span>", escape(shown)),
                ));
            }
        }
    }
    spans.sort_by_key(|span| span.0);
    let mut html = String::with_capacity(sentence.len() + 40 * spans.len());
    let mut from = 0;
    for (at, end, span) in spans {
        html.push_str(&escape(&sentence[from..at]));
        html.push_str(&span);
        from = end;
    }
    html.push_str(&escape(&sentence[from..]));
    html
}

#[derive(Template)]
#[template(path = "dashboard.html")]
struct DashboardPage {
    r: std::sync::Arc<Report>,
    /// The number tiles, charts and tables, as every viewer of this version shares them.
    live: std::sync::Arc<Fragment>,
    tables: [&'static str; 8],
    /// Offline admissions the server could not honour, newest first.
    conflicts: Vec<crate::door::offline::conflicts::Conflict>,
}

/// The dashboard's number tiles.
#[derive(Template)]
#[template(path = "dashboard_tiles.html")]
struct LiveTiles<'a> {
    r: &'a Report,
}

/// The dashboard's goal, rates, charts and tables.
#[derive(Template)]
#[template(path = "dashboard_report.html")]
struct LiveReport<'a> {
    r: &'a Report,
    progress_svg: String,
    days_svg: String,
    films_svg: String,
    venues_svg: String,
}

/// The live parts of the dashboard (tiles, then the rest), in the current language.
fn render_live(r: &Report) -> Result<(String, String), AppError> {
    let bars =
        |lines: &[report::GroupLine], label: fn(&str) -> String| -> Vec<(String, i64, i64)> {
            lines
                .iter()
                .map(|g| (label(&g.label), g.capacity, g.admitted))
                .collect()
        };
    let name = |label: &str| label.to_owned();
    let tiles = LiveTiles { r }.render().map_err(AppError::internal)?;
    let report = LiveReport {
        progress_svg: charts::progress(r.totals.admitted, r.totals.attendance_goal),
        days_svg: charts::bars(&t("report-chart-by-day"), &bars(&r.by_day, day)),
        films_svg: charts::bars(&t("report-chart-by-film"), &bars(&r.by_film, name)),
        venues_svg: charts::bars(&t("report-chart-by-venue"), &bars(&r.by_venue, name)),
        r,
    }
    .render()
    .map_err(AppError::internal)?;
    Ok((tiles, report))
}

impl LiveReport<'_> {
    /// "Toward the goal of 6000".
    fn goal_heading(&self) -> String {
        let goal = self.r.totals.attendance_goal;
        live(
            &t1("dashboard-goal", "goal", goal),
            &[("data-total", "attendance_goal", &goal.to_string())],
        )
    }

    /// "Fill rate 12.5% of 2400 seats".
    fn fill_rate(&self) -> String {
        let totals = &self.r.totals;
        let rate = percent(&totals.fill_rate);
        live(
            &t2(
                "dashboard-fill-rate",
                "rate",
                rate.as_str(),
                "capacity",
                totals.capacity,
            ),
            &[
                ("data-rate", "fill_rate", &rate),
                ("data-total", "capacity", &totals.capacity.to_string()),
            ],
        )
    }

    /// "no-show rate 8.0% (screenings whose doors have closed)".
    fn no_show_rate(&self) -> String {
        let rate = percent(&self.r.totals.no_show_rate);
        live(
            &t1("dashboard-no-show-rate", "rate", rate.as_str()),
            &[("data-rate", "no_show_rate", &rate)],
        )
    }

    /// "12 tickets still to come".
    fn tickets_to_come(&self) -> String {
        let awaiting = self.r.totals.awaiting;
        live(
            &t1("dashboard-tickets-to-come", "count", awaiting),
            &[("data-total", "awaiting", &awaiting.to_string())],
        )
    }
}

async fn dashboard(
    state: State,
    reports: aweb::Data<LiveReports>,
    _: Can<need::Reports, scope::Festival>,
    id: aweb::Path<FestivalId>,
) -> Reply {
    let id = id.into_inner();
    let festival = reports.festival(id);
    // Opening the page shows every change made before it (a computation begun now); a new
    // version found here reaches the open dashboards too.
    let snapshot = festival
        .report_since(&state, tokio::time::Instant::now())
        .await?;
    let live = festival.fragment(
        &snapshot,
        crate::i18n::current(),
        &state.metrics,
        render_live,
    )?;
    let conflicts = db::run(&state.pool, move |conn| {
        crate::door::offline::conflicts::festival_conflicts(conn, id)
    })
    .await?;
    page(&DashboardPage {
        r: snapshot.report,
        live,
        tables: csv::TABLES,
        conflicts,
    })
}

/// `GET /admin/festivals/{id}/live`: the dashboard's live parts (number tiles, goal, charts,
/// tables) as HTML, each part an element named by `data-live`, for `static/dashboard.js` to
/// swap in after the stream announced a new version (`X-Report-Version` says which it is).
/// Every viewer of a version in one language gets the same rendering, from memory.
async fn live_parts(
    state: State,
    reports: aweb::Data<LiveReports>,
    _: Can<need::Reports, scope::Festival>,
    id: aweb::Path<FestivalId>,
) -> Reply {
    let festival = reports.festival(id.into_inner());
    let snapshot = festival.current(&state).await?;
    let live = festival.fragment(
        &snapshot,
        crate::i18n::current(),
        &state.metrics,
        render_live,
    )?;
    Ok(HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .insert_header(("X-Report-Version", live.version.to_string()))
        .body(format!("{}\n{}", live.tiles, live.report)))
}

#[derive(Template)]
#[template(path = "arrivals.html")]
struct ArrivalsPage {
    a: report::Arrivals,
    chart: String,
}

async fn screening_arrivals(
    state: State,
    _: Can<need::Reports, scope::Screening>,
    id: aweb::Path<ScreeningId>,
) -> Reply {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn live_numbers_are_wrapped_where_they_stand_alone() {
        assert_eq!(
            live(
                "Fill rate 10.0% of 10 seats <now>",
                &[
                    ("data-rate", "fill_rate", "10.0%"),
                    ("data-total", "capacity", "10")
                ],
            ),
            "Fill rate <span data-rate=\"fill_rate\">10.0%</span> of \
             <span data-total=\"capacity\">10</span> seats &lt;now&gt;"
        );
        // A translation may put the numbers in another order, or end on one.
        assert_eq!(
            live(
                "sur 10 places : 10.0%.",
                &[("data-rate", "r", "10.0%"), ("data-total", "c", "10")]
            ),
            "sur <span data-total=\"c\">10</span> places : <span data-rate=\"r\">10.0%</span>."
        );
        // Spelled out, or there twice: left as it is.
        assert_eq!(
            live("un billet", &[("data-total", "awaiting", "1")]),
            "un billet"
        );
        assert_eq!(live("1 of 1", &[("data-total", "awaiting", "1")]), "1 of 1");
    }

    #[test]
    fn report_days_and_times_read_as_words() {
        assert_eq!(day("2025-12-12"), "Fri 12 Dec");
        assert_eq!(day("soon"), "soon");
        let at = when("2025-12-12T20:00:00+01:00");
        assert!(
            at.contains("12 December 2025") && at.contains("20:00"),
            "{at}"
        );
        assert_eq!(table_name("days"), "days");
    }
}
