//! A form shown again after an error: what was typed stays, and the error sits beside the field
//! it is about (`aria-invalid`, `aria-describedby`), rather than on a page of its own.
//!
//! Templates use the macros in `templates/macros.html`:
//! `<input id="name" name="name" value="{{ form.name }}"{% call m::invalid(problem, "name") %}{% endcall %}>`
//! then `{% call m::error(problem, "name") %}{% endcall %}`; an error about no one field is shown
//! above the form with `{% call m::form_error(problem) %}{% endcall %}`.

use crate::error::AppError;

/// The error a form is shown again with.
#[derive(Debug, Clone)]
pub struct Problem {
    /// The form field at fault (`rooms`, or `rooms[1].seats`); empty for the form as a whole.
    pub field: String,
    /// What to do about it, in the reader's language.
    pub message: String,
}

impl Problem {
    /// The problem a form can show for `error`: bad input and refusals (a name taken, a room too
    /// small). Anything else (a missing page, a failure) is not the form's to show.
    pub fn of(error: &AppError) -> Option<Problem> {
        match error {
            AppError::Invalid { field, message } => Some(Problem {
                field: field.clone(),
                message: message.clone().for_people().to_string(),
            }),
            AppError::Conflict { .. } => Some(Problem {
                field: String::new(),
                message: error.public_message(),
            }),
            _ => None,
        }
    }

    /// The problem to show `error` with, or the error itself when a form cannot show it.
    pub fn shown_or(error: AppError) -> Result<Problem, AppError> {
        Problem::of(&error).ok_or(error)
    }

    /// Whether the problem is about the field `name` (or one of its items: `rooms[1]`).
    pub fn about(&self, name: &str) -> bool {
        self.field == name
            || self
                .field
                .strip_prefix(name)
                .is_some_and(|rest| rest.starts_with('[') || rest.starts_with('.'))
    }

    /// Whether no single field is at fault.
    pub fn general(&self) -> bool {
        self.field.is_empty()
    }

    /// The id of the element that says what is wrong with `name`.
    pub fn id(name: &str) -> String {
        let safe = name.replace(|c: char| !(c.is_ascii_alphanumeric() || c == '_'), "-");
        format!("{safe}-error")
    }
}

/// A form page's status: 200, or 422 when it is shown again with a problem.
pub fn form_status(shown_again: bool) -> actix_web::http::StatusCode {
    if shown_again {
        actix_web::http::StatusCode::UNPROCESSABLE_ENTITY
    } else {
        actix_web::http::StatusCode::OK
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_problem_is_about_its_field_and_its_items() {
        let problem = Problem {
            field: "rooms[1].seats".to_owned(),
            message: String::new(),
        };
        assert!(problem.about("rooms"));
        assert!(!problem.about("room"));
        assert!(!problem.about("name"));
        assert!(!problem.general());
        assert_eq!(Problem::id("rooms"), "rooms-error");
        assert_eq!(Problem::id("ends_on"), "ends_on-error");
        assert_eq!(Problem::id("rooms[1].seats"), "rooms-1--seats-error");
    }
}
