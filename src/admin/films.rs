//! Films: the list with the form for a new one, and a film's own page.

use askama::Template;

use super::flow::{ListPage, RecordPage, status_for};
use super::forms::FilmForm;
use crate::catalogue::input::{FilmInput, FilmPatch};
use crate::catalogue::queries::Film;
use crate::domain::{Country, InputError};
use crate::web::Reply;
use crate::web::links;
use crate::web::page_with_status;
use crate::web::problem::Problem;

#[derive(Template)]
#[template(path = "admin/films.html")]
struct FilmsPage {
    films: Vec<Film>,
    countries: Vec<(&'static str, String)>,
    csrf: String,
    /// The new-film form, as typed when shown again with a problem.
    form: FilmForm,
    problem: Option<Problem>,
}

impl ListPage for FilmForm {
    type Need = crate::web::auth::need::Programme;
    type Scope = crate::web::auth::scope::Anywhere;

    fn page(films: Vec<Film>, csrf: String, form: FilmForm, problem: Option<Problem>) -> Reply {
        page_with_status(
            status_for(&problem),
            &FilmsPage {
                films,
                countries: Country::all(),
                csrf,
                form,
                problem,
            },
        )
    }

    fn blank() -> FilmForm {
        FilmForm {
            country: "VN".to_owned(),
            ..FilmForm::default()
        }
    }

    fn next(_: &Film) -> String {
        Self::LIST.to_owned()
    }

    fn added(film: &Film) -> crate::i18n::Msg {
        crate::msg!("admin-notice-film-added", name = &film.title)
    }
}

#[derive(Template)]
#[template(path = "admin/film.html")]
struct FilmPage {
    f: Film,
    countries: Vec<(&'static str, String)>,
    csrf: String,
    /// The film as stored, or as typed when shown again with a problem.
    form: FilmForm,
    problem: Option<Problem>,
}

impl RecordPage for FilmForm {
    type Input = FilmInput;
    type Need = crate::web::auth::need::Programme;
    type Scope = crate::web::auth::scope::Anywhere;
    const LIST: &'static str = links::ADMIN_FILMS;

    fn page(f: Film, csrf: String, form: Option<FilmForm>, problem: Option<Problem>) -> Reply {
        let form = form.unwrap_or_else(|| FilmForm {
            title: f.title.clone(),
            original_title: f.original_title.clone(),
            director: f.director.clone(),
            year: f.year.to_string(),
            runtime_minutes: f.runtime_minutes.to_string(),
            country: f.country.clone(),
            language: f.language.clone(),
            subtitles: f.subtitles.clone(),
            synopsis: f.synopsis.clone(),
            ..FilmForm::default()
        });
        page_with_status(
            status_for(&problem),
            &FilmPage {
                f,
                countries: Country::all(),
                csrf,
                form,
                problem,
            },
        )
    }

    fn changes(&self) -> Result<FilmPatch, InputError> {
        self.patch()
    }
}
