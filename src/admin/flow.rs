//! What the organiser's record pages share: a list page with the form for a new record, a
//! record's own page (shown, saved, deleted), a form's write and its answer (the next page, or the
//! form again with its problem), and the page that states a destructive action before it is done.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web as aweb};
use askama::Template;

use super::forms::NewRecordForm;
use crate::catalogue::input::Draft;
use crate::catalogue::queries::Stored;
use crate::catalogue::service;
use crate::db::{self, Lock, Tx};
use crate::domain::InputError;
use crate::error::AppError;
use crate::staff::StaffMember;
use crate::web::Reply;
use crate::web::auth::{Can, Need, Scope};
use crate::web::csrf::CsrfToken;
use crate::web::problem::Problem;
use crate::web::{AppState, see_other};

type State = aweb::Data<AppState>;

pub(super) const TIMEZONES: [&str; 6] = [
    "Europe/Paris",
    "Europe/London",
    "Europe/Berlin",
    "Asia/Ho_Chi_Minh",
    "America/New_York",
    "UTC",
];

// ---------------------------------------------------------------------------------------------

/// A list page with the form for a new record: festivals (the overview), venues, films. Shown
/// and created the same way (`list`, `create` below); each kind says what differs.
pub(super) trait ListPage:
    NewRecordForm + serde::de::DeserializeOwned + Default + 'static
{
    /// What listing and adding need.
    type Need: Need + 'static;
    /// Where they act.
    type Scope: Scope + 'static;

    /// The list and the form: blank, or as typed with its problem when shown again.
    fn page(
        records: Vec<Created<Self::Input>>,
        csrf: String,
        form: Self,
        problem: Option<Problem>,
    ) -> Reply;

    /// The form a list page starts with.
    fn blank() -> Self {
        Self::default()
    }

    /// Where to go once the record is stored.
    fn next(created: &Created<Self::Input>) -> String;

    /// What was added, in words, said on the next page.
    fn added(created: &Created<Self::Input>) -> crate::i18n::Msg;
}

/// What the rest of the code sees of a record made from input `I`.
type Created<I> = <<I as Draft>::Row as Stored>::Model;

/// A list page, the records read afresh.
async fn list_page<L: ListPage>(
    state: &State,
    csrf: String,
    form: L,
    problem: Option<Problem>,
) -> Reply {
    let records = db::run(&state.pool, <<L::Input as Draft>::Row as Stored>::list).await?;
    L::page(records, csrf, form, problem)
}

pub(super) async fn list<L: ListPage>(
    state: State,
    _: Can<L::Need, L::Scope>,
    csrf: CsrfToken,
) -> Reply {
    list_page::<L>(&state, csrf.0, L::blank(), None).await
}

pub(super) async fn create<L: ListPage>(
    state: State,
    can: Can<L::Need, L::Scope>,
    form: aweb::Form<L>,
    csrf: CsrfToken,
) -> Reply {
    let form = form.into_inner();
    let created = write_parsed(
        &state,
        &can.staff,
        form.input(),
        Lock::NoScreening,
        service::create,
    )
    .await;
    answer_form(
        &state,
        created,
        |record| (L::next(&record), L::added(&record)),
        |problem| list_page(&state, csrf.0, form, Some(problem)),
    )
    .await
}

/// A form's parsed value written by `work`, as `staff`'s change (a form that does not parse is
/// the error, shown again like any other).
pub(super) async fn write_parsed<I, T>(
    state: &State,
    staff: &StaffMember,
    parsed: Result<I, InputError>,
    lock: Lock,
    work: impl Fn(&mut Tx<'_>, I) -> Result<T, AppError> + Send + 'static,
) -> Result<T, AppError>
where
    I: Clone + Send + 'static,
    T: Send + 'static,
{
    let input = parsed?;
    let staff = staff.clone();
    state
        .write(lock, move |tx| work(tx.by(&staff), input.clone()))
        .await
}

/// What a form's write answers: the next page (see other) once it is written; the form again
/// with the problem when it is one the organiser can fix; any other error as it is.
pub(super) async fn answer_form<T, F>(
    state: &State,
    written: Result<T, AppError>,
    next: impl FnOnce(T) -> (String, crate::i18n::Msg),
    again: impl FnOnce(Problem) -> F,
) -> Reply
where
    F: Future<Output = Result<HttpResponse, AppError>>,
{
    match written {
        Ok(value) => {
            let (to, done) = next(value);
            Ok(crate::web::notice::see_other(
                state.cookie_secure,
                &to,
                &done.to_string(),
            ))
        }
        Err(error) => again(Problem::shown_or(error)?).await,
    }
}

/// 200, or 422 for a form shown again with its problem.
pub(super) fn status_for(problem: &Option<Problem>) -> StatusCode {
    crate::web::problem::form_status(problem.is_some())
}

// ---------------------------------------------------------------------------------------------

/// A venue's or a film's own page: shown, saved and deleted the same way (`edit`, `save`,
/// `delete` below); each kind says what differs.
pub(super) trait RecordPage: serde::de::DeserializeOwned + 'static {
    /// What the form edits.
    type Input: Draft;
    /// What showing, saving and deleting need.
    type Need: Need + 'static;
    /// Where they act.
    type Scope: Scope + 'static;
    /// The list page the record is on, where a save or a delete leads.
    const LIST: &'static str;

    /// The record's page: its form as stored, or as typed with its problem when shown again.
    fn page(
        record: ModelOf<Self>,
        csrf: String,
        form: Option<Self>,
        problem: Option<Problem>,
    ) -> Reply;

    /// The form as a change to the stored record (every field: the page shows them all).
    fn changes(&self) -> Result<<Self::Input as Draft>::Patch, InputError>;
}

/// The id of what a record page edits.
type IdOf<R> = <<R as RecordPage>::Input as Draft>::Id;

/// How the rest of the code sees what a record page edits.
type ModelOf<R> = Created<<R as RecordPage>::Input>;

/// A record's page, the record read afresh.
async fn record_page<R: RecordPage>(
    state: &State,
    id: IdOf<R>,
    csrf: String,
    form: Option<R>,
    problem: Option<Problem>,
) -> Reply {
    let record = db::run(&state.pool, move |conn| {
        <<R::Input as Draft>::Row as Stored>::find(conn, id)
    })
    .await?;
    R::page(record, csrf, form, problem)
}

pub(super) async fn edit<R: RecordPage>(
    state: State,
    _: Can<R::Need, R::Scope>,
    id: aweb::Path<IdOf<R>>,
    csrf: CsrfToken,
) -> Reply {
    record_page::<R>(&state, id.into_inner(), csrf.0, None, None).await
}

pub(super) async fn save<R: RecordPage>(
    state: State,
    can: Can<R::Need, R::Scope>,
    id: aweb::Path<IdOf<R>>,
    form: aweb::Form<R>,
    csrf: CsrfToken,
) -> Reply {
    let (id, form) = (id.into_inner(), form.into_inner());
    let saved = write_parsed(
        &state,
        &can.staff,
        form.changes(),
        Lock::NoScreening,
        move |tx, patch| service::update::<R::Input>(tx, id, patch),
    )
    .await;
    answer_form(
        &state,
        saved,
        |_| (R::LIST.to_owned(), crate::msg!("admin-notice-saved")),
        |problem| record_page(&state, id, csrf.0, Some(form), Some(problem)),
    )
    .await
}

/// Deletes a record no screening uses (one that is used answers 409: cancel those instead).
pub(super) async fn delete<R: RecordPage>(
    state: State,
    can: Can<R::Need, R::Scope>,
    id: aweb::Path<IdOf<R>>,
) -> Reply {
    let id = id.into_inner();
    state
        .write(Lock::NoScreening, move |tx| {
            service::delete::<R::Input>(tx.by(&can.staff), id)
        })
        .await?;
    Ok(see_other(R::LIST))
}

// ---------------------------------------------------------------------------------------------

/// A destructive action, stated before it is done: what it is, what follows from it, and the
/// form that does it (with `confirm` set).
#[derive(Template)]
#[template(path = "admin/confirm.html")]
pub(super) struct ConfirmPage {
    pub(super) title: String,
    pub(super) consequence: String,
    pub(super) action: String,
    /// Hidden fields besides `csrf` and `confirm`.
    pub(super) fields: Vec<(&'static str, String)>,
    pub(super) button: String,
    pub(super) back: String,
    pub(super) csrf: String,
}
