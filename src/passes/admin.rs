//! The organisers' passes page, `/admin/festivals/{id}/passes`: the festival's pass types and a
//! form for a new one, a form to issue one pass, a guest or press list pasted as CSV (checked
//! first, then imported all or nothing), and the passes — searched, re-sent, revoked. Every form
//! goes through the same functions as the API.

use actix_web::http::StatusCode;
use actix_web::web as aweb;
use askama::Template;
use serde::Deserialize;

use super::import::{self, ImportReport};
use super::input::{PassInput, PassTypeInput};
use super::queries::{self as q, Pass, PassType};
use super::record;
use crate::catalogue::queries::{Festival, festival};
use crate::db::audit::Change;
use crate::db::{self, Lock};
use crate::domain::{FestivalId, PassCategory, PassId};
use crate::error::{AppError, Thing};
use crate::tickets::keys::KeyRing;
use crate::web::auth::{Can, need, scope};
use crate::web::csrf::CsrfToken;
use crate::web::problem::Problem;
use crate::web::{AppState, Reply, page_with_status, see_other};

pub fn routes(cfg: &mut aweb::ServiceConfig) {
    cfg.route("/admin/festivals/{id}/passes", aweb::get().to(passes_page))
        .route(
            "/admin/festivals/{id}/pass-types",
            aweb::post().to(create_type),
        )
        .route("/admin/festivals/{id}/passes", aweb::post().to(issue_pass))
        .route(
            "/admin/festivals/{id}/passes/import",
            aweb::post().to(import_list),
        )
        .route("/admin/passes/{id}/revoke", aweb::post().to(revoke))
        .route("/admin/passes/{id}/resend", aweb::post().to(resend));
}

type State = aweb::Data<AppState>;

/// The most passes the page lists (a search finds the others).
const SHOWN: usize = 200;

/// The new-type form, as typed.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
struct TypeForm {
    name: String,
    name_fr: String,
    name_vi: String,
    category: String,
    max_reservations: String,
    max_per_day: String,
    max_held: String,
    release_minutes: String,
    no_show_limit: String,
    walk_in: String,
}

/// The one-pass form, as typed.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
struct PassForm {
    pass_type_id: String,
    name: String,
    email: String,
    organisation: String,
    country: String,
}

/// The list form: the CSV as pasted, and which button (`check` or `import`).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
struct ImportForm {
    csv: String,
    action: String,
}

#[derive(Debug, Default, Deserialize)]
struct PassesQuery {
    q: Option<String>,
    done: Option<String>,
}

/// Which form a problem belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Form {
    Type,
    Pass,
}

#[derive(Template)]
#[template(path = "admin/passes.html")]
struct PassesPage {
    festival: Festival,
    kinds: Vec<PassType>,
    passes: Vec<Pass>,
    categories: Vec<(&'static str, String)>,
    search: String,
    type_form: TypeForm,
    pass_form: PassForm,
    import_form: ImportForm,
    /// The problem, and the form it is about.
    problem: Option<Problem>,
    problem_in: Option<Form>,
    /// A list checked or imported: what it did or would do, and whether it was only checked.
    report: Option<(ImportReport, bool)>,
    notice: Option<String>,
    csrf: String,
}

impl PassesPage {
    /// The problem, when it is about `form`.
    fn problem_for(&self, form: Form) -> Option<Problem> {
        self.problem
            .clone()
            .filter(|_| self.problem_in == Some(form))
    }

    /// A type's limits in words ("3 in all · 1 a day"), or a dash.
    fn limits(&self, kind: &PassType) -> String {
        let mut parts = Vec::new();
        if let Some(n) = kind.max_reservations {
            parts.push(crate::i18n::t1("admin-pass-limit-total", "count", n));
        }
        if let Some(n) = kind.max_per_day {
            parts.push(crate::i18n::t1("admin-pass-limit-day", "count", n));
        }
        if let Some(n) = kind.max_held {
            parts.push(crate::i18n::t1("admin-pass-limit-held", "count", n));
        }
        if let Some(n) = kind.no_show_limit {
            parts.push(crate::i18n::t1("admin-pass-limit-no-shows", "count", n));
        }
        if parts.is_empty() {
            "—".to_owned()
        } else {
            parts.join(" · ")
        }
    }
}

/// What the page shows besides the festival's types and passes.
#[derive(Default)]
struct Shown {
    type_form: TypeForm,
    pass_form: PassForm,
    import_form: ImportForm,
    problem: Option<(Problem, Form)>,
    report: Option<(ImportReport, bool)>,
    notice: Option<String>,
}

async fn render(
    state: &State,
    id: FestivalId,
    search: String,
    shown: Shown,
    csrf: String,
) -> Reply {
    let wanted = search.clone();
    let lang = crate::i18n::current();
    let (festival, kinds, passes) = db::run(&state.pool, move |conn| {
        let festival = festival(conn, id)?.ok_or_else(|| AppError::not_found(Thing::Festival))?;
        let kinds = q::pass_types_of(conn, id)?;
        let passes = q::passes_of(conn, id, Some(wanted.as_str()), SHOWN, lang)?;
        Ok((festival, kinds, passes))
    })
    .await?;
    let status = match (&shown.problem, &shown.report) {
        (Some(_), _) => StatusCode::UNPROCESSABLE_ENTITY,
        (None, Some((report, _))) if !report.errors.is_empty() => StatusCode::UNPROCESSABLE_ENTITY,
        _ => StatusCode::OK,
    };
    let (problem, problem_in) = match shown.problem {
        Some((problem, form)) => (Some(problem), Some(form)),
        None => (None, None),
    };
    page_with_status(
        status,
        &PassesPage {
            festival,
            kinds,
            passes,
            categories: [
                PassCategory::Audience,
                PassCategory::Press,
                PassCategory::Industry,
                PassCategory::Jury,
                PassCategory::Guest,
                PassCategory::Volunteer,
            ]
            .iter()
            .map(|c| (c.as_str(), c.label()))
            .collect(),
            search,
            type_form: shown.type_form,
            pass_form: shown.pass_form,
            import_form: shown.import_form,
            problem,
            problem_in,
            report: shown.report,
            notice: shown.notice,
            csrf,
        },
    )
}

/// `GET /admin/festivals/{id}/passes`.
async fn passes_page(
    state: State,
    can: Can<need::BoxOffice, scope::Festival>,
    id: aweb::Path<FestivalId>,
    query: aweb::Query<PassesQuery>,
    csrf: CsrfToken,
) -> Reply {
    let query = query.into_inner();
    // The holders' names and addresses, listed: recorded.
    let listed = Change::new(
        can.festival,
        "pass.list",
        format!("festival:{}", id.as_ref()),
    );
    state.audit_read(&can.staff, listed).await?;
    let notice = query.done.as_deref().and_then(|done| match done {
        "type" => Some(crate::i18n::t("admin-pass-type-created")),
        "pass" => Some(crate::i18n::t("admin-pass-issued")),
        "revoked" => Some(crate::i18n::t("admin-pass-revoked")),
        "resent" => Some(crate::i18n::t("admin-pass-resent")),
        _ => None,
    });
    let shown = Shown {
        notice,
        ..Shown::default()
    };
    render(
        &state,
        id.into_inner(),
        query.q.unwrap_or_default(),
        shown,
        csrf.0,
    )
    .await
}

fn festival_page(id: FestivalId, done: &str) -> String {
    format!("/admin/festivals/{id}/passes?done={done}")
}

/// A whole number typed in a form, within `min..=max` (checked again by the type's input):
/// empty is "none".
fn number(field: &str, text: &str, (min, max): (i64, i64)) -> Result<Option<i64>, AppError> {
    match text.trim() {
        "" => Ok(None),
        typed => typed.parse().map(Some).map_err(|_| {
            AppError::invalid(
                field,
                crate::msg!("error-number-between", field = field, min = min, max = max),
            )
        }),
    }
}

/// The limits' range, and the release's, and the no-show rule's (as `input` checks them).
const LIMIT: (i64, i64) = (0, 10_000);

/// `POST /admin/festivals/{id}/pass-types`.
async fn create_type(
    state: State,
    can: Can<need::BoxOffice, scope::Festival>,
    id: aweb::Path<FestivalId>,
    form: aweb::Form<TypeForm>,
    csrf: CsrfToken,
) -> Reply {
    let (festival, form) = (id.into_inner(), form.into_inner());
    let parsed = (|| -> Result<_, AppError> {
        Ok(PassTypeInput {
            name: form.name.clone(),
            names: Some(
                [("fr", &form.name_fr), ("vi", &form.name_vi)]
                    .into_iter()
                    .map(|(code, name)| (code.to_owned(), name.clone()))
                    .collect(),
            ),
            category: form.category.clone(),
            valid_from: None,
            valid_until: None,
            film_ids: None,
            venue_ids: None,
            max_reservations: number("max_reservations", &form.max_reservations, LIMIT)?,
            max_per_day: number("max_per_day", &form.max_per_day, LIMIT)?,
            max_held: number("max_held", &form.max_held, LIMIT)?,
            walk_in: Some(!form.walk_in.is_empty()),
            release_minutes: number(
                "release_minutes",
                &form.release_minutes,
                (0, super::input::MAX_RELEASE_MINUTES),
            )?,
            no_show_limit: number("no_show_limit", &form.no_show_limit, (1, 100))?,
        }
        .parse()?)
    })();
    let written = match parsed {
        Ok(request) => state
            .write(Lock::NoScreening, move |tx| {
                record::create_type(
                    tx.by(&can.staff),
                    festival,
                    &request,
                    chrono::Utc::now().naive_utc(),
                )
            })
            .await
            .map(|_| ()),
        Err(error) => Err(error),
    };
    match written {
        Ok(()) => Ok(see_other(&festival_page(festival, "type"))),
        Err(error) => {
            let shown = Shown {
                problem: Some((Problem::shown_or(error)?, Form::Type)),
                type_form: form,
                ..Shown::default()
            };
            render(&state, festival, String::new(), shown, csrf.0).await
        }
    }
}

/// `POST /admin/festivals/{id}/passes`: one pass, mailed to its holder.
async fn issue_pass(
    state: State,
    keys: aweb::Data<KeyRing>,
    can: Can<need::BoxOffice, scope::Festival>,
    id: aweb::Path<FestivalId>,
    form: aweb::Form<PassForm>,
    csrf: CsrfToken,
) -> Reply {
    let (festival, form) = (id.into_inner(), form.into_inner());
    let parsed = PassInput {
        pass_type_id: form.pass_type_id.clone(),
        name: form.name.clone(),
        email: form.email.clone(),
        organisation: Some(form.organisation.clone()),
        country: Some(form.country.clone()),
        lang: None,
    }
    .parse();
    let written = match parsed {
        Ok(request) => state
            .write(Lock::NoScreening, move |tx| {
                record::issue(
                    tx.by(&can.staff),
                    &keys.signer,
                    festival,
                    &request,
                    chrono::Utc::now().naive_utc(),
                )
            })
            .await
            .and_then(|issued| match issued {
                record::Issued::New { .. } => Ok(()),
                record::Issued::Existing(_) => Err(AppError::conflict(
                    crate::error::Refusal::AlreadyExists,
                    crate::msg!("error-pass-exists"),
                )),
            }),
        Err(error) => Err(error.into()),
    };
    match written {
        Ok(()) => Ok(see_other(&festival_page(festival, "pass"))),
        Err(error) => {
            let shown = Shown {
                problem: Some((Problem::shown_or(error)?, Form::Pass)),
                pass_form: form,
                ..Shown::default()
            };
            render(&state, festival, String::new(), shown, csrf.0).await
        }
    }
}

/// `POST /admin/festivals/{id}/passes/import`: a list pasted as CSV, checked (`action=check`)
/// or imported; either way the page says what was (or would be) done, and every problem.
async fn import_list(
    state: State,
    keys: aweb::Data<KeyRing>,
    can: Can<need::BoxOffice, scope::Festival>,
    id: aweb::Path<FestivalId>,
    form: aweb::Form<ImportForm>,
    csrf: CsrfToken,
) -> Reply {
    let (festival, form) = (id.into_inner(), form.into_inner());
    let dry_run = form.action != "import";
    let lang = crate::i18n::current();
    let bytes = form.csv.clone().into_bytes();
    let checked = db::run(&state.pool, move |conn| {
        import::check_for(conn, festival, &bytes, lang)
    })
    .await?;
    let report = match checked {
        Err(errors) => ImportReport {
            errors,
            ..ImportReport::default()
        },
        Ok(requests) if dry_run => {
            db::run(&state.pool, move |conn| {
                import::dry_run(conn, festival, &requests)
            })
            .await?
        }
        Ok(requests) => {
            state
                .write(Lock::NoScreening, move |tx| {
                    import::issue_all(
                        tx.by(&can.staff),
                        &keys.signer,
                        festival,
                        &requests,
                        chrono::Utc::now().naive_utc(),
                    )
                })
                .await?
                .0
        }
    };
    let shown = Shown {
        report: Some((report, dry_run)),
        import_form: form,
        ..Shown::default()
    };
    render(&state, festival, String::new(), shown, csrf.0).await
}

/// The form of the revoke button: it must be confirmed.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct RevokeForm {
    confirm: String,
}

/// The festival a pass belongs to (404 for no such pass).
async fn festival_of(state: &State, id: PassId) -> Result<FestivalId, AppError> {
    db::run(&state.pool, move |conn| {
        q::pass_row(conn, id)?
            .map(|(_, kind)| kind.festival_id)
            .ok_or_else(|| AppError::not_found(Thing::Pass))
    })
    .await
}

/// `POST /admin/passes/{id}/revoke` (with `confirm`).
async fn revoke(
    state: State,
    can: Can<need::BoxOffice, scope::Pass>,
    id: aweb::Path<PassId>,
    form: aweb::Form<RevokeForm>,
) -> Reply {
    let id = id.into_inner();
    let festival = festival_of(&state, id).await?;
    if form.confirm.is_empty() {
        return Err(AppError::invalid(
            "confirm",
            crate::msg!("admin-pass-revoke-confirm-needed"),
        ));
    }
    state
        .write(Lock::NoScreening, move |tx| {
            record::revoke(tx.by(&can.staff), id, chrono::Utc::now().naive_utc())
        })
        .await?;
    Ok(see_other(&festival_page(festival, "revoked")))
}

/// `POST /admin/passes/{id}/resend`.
async fn resend(
    state: State,
    can: Can<need::BoxOffice, scope::Pass>,
    id: aweb::Path<PassId>,
) -> Reply {
    let id = id.into_inner();
    let festival = festival_of(&state, id).await?;
    state
        .write(Lock::NoScreening, move |tx| {
            record::resend(tx.by(&can.staff), id, chrono::Utc::now().naive_utc())
        })
        .await?;
    Ok(see_other(&festival_page(festival, "resent")))
}
