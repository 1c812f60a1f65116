//! The personal-data pages: a festival's privacy notice; "what do you hold about me?" (the
//! request form, and the page the mailed link opens: everything held, choices, erasure); and for
//! organisers, a festival's notice, retention, erasures on request and shredding.

use actix_web::web as aweb;
use askama::Template;
use chrono::{NaiveDateTime, Utc};
use diesel::prelude::*;
use serde::Deserialize;

use super::erase::{Counts, Requester, Target};
use super::export::Export;
use super::notice::{self, PrivacyState};
use super::{State, address_of, erase_now, request_link, withdraw_news_of};
use crate::catalogue::queries::{Festival, festival_by_slug};
use crate::db::schema::erasures;
use crate::domain::{Email, FestivalId};
use crate::error::{AppError, Thing};
use crate::i18n::Lang;
use crate::web::auth::{Can, need, scope};
use crate::web::csrf::CsrfToken;
use crate::web::links;
use crate::web::{Reply, page, page_with_status};

pub fn routes(cfg: &mut aweb::ServiceConfig) {
    use crate::web::limits::{Limited, per_client};
    cfg.route("/festivals/{slug}/privacy", aweb::get().to(notice_page))
        .route(links::MY_DATA, aweb::get().to(request_page))
        .route(
            links::MY_DATA,
            aweb::post()
                .to(request_form)
                .wrap(per_client(Limited::FindTickets)),
        )
        .route("/my-data/{token}", aweb::get().to(data_page))
        .route("/my-data/{token}/news", aweb::post().to(withdraw_form))
        .route("/my-data/{token}/erase", aweb::post().to(erase_form))
        .route("/admin/festivals/{id}/privacy", aweb::get().to(admin_page))
        .route(
            "/admin/festivals/{id}/privacy/notice",
            aweb::post().to(admin_notice),
        )
        .route(
            "/admin/festivals/{id}/privacy/erase",
            aweb::post().to(admin_erase),
        )
        .route(
            "/admin/festivals/{id}/privacy/shred",
            aweb::post().to(admin_shred),
        );
}

// ---------------------------------------------------------------------------------------------
// The notice

#[derive(Template)]
#[template(path = "privacy_notice.html")]
struct NoticePage {
    festival: String,
    paragraphs: Vec<String>,
}

async fn notice_page(state: State, slug: aweb::Path<String>) -> Reply {
    let public_url = state.public_url.clone();
    let (festival, paragraphs) = crate::db::run(&state.pool, move |conn| {
        let festival =
            festival_by_slug(conn, &slug)?.ok_or_else(|| AppError::not_found(Thing::Festival))?;
        let paragraphs = notice::notice(conn, &festival, crate::i18n::current(), &public_url)?;
        Ok((festival.name, paragraphs))
    })
    .await?;
    page(&NoticePage {
        festival,
        paragraphs,
    })
}

// ---------------------------------------------------------------------------------------------
// "What do you hold about me?"

#[derive(Template)]
#[template(path = "my_data_request.html")]
struct RequestPage {
    csrf: String,
    email: String,
    done: bool,
    error: Option<String>,
}

async fn request_page(csrf: CsrfToken) -> Reply {
    page(&RequestPage {
        csrf: csrf.0,
        email: String::new(),
        done: false,
        error: None,
    })
}

#[derive(Deserialize)]
struct RequestForm {
    #[serde(default)]
    email: String,
}

async fn request_form(state: State, form: aweb::Form<RequestForm>, csrf: CsrfToken) -> Reply {
    match Email::parse(&form.email) {
        Ok(email) => {
            request_link(&state, email).await?;
            page(&RequestPage {
                csrf: csrf.0,
                email: String::new(),
                done: true,
                error: None,
            })
        }
        Err(e) => page_with_status(
            actix_web::http::StatusCode::UNPROCESSABLE_ENTITY,
            &RequestPage {
                csrf: csrf.0,
                email: form.email.clone(),
                done: false,
                error: Some(e.message.to_string()),
            },
        ),
    }
}

#[derive(Template)]
#[template(path = "my_data.html")]
struct DataPage {
    csrf: String,
    token: String,
    data: Export,
    /// Whether any consent to news still stands.
    news: bool,
}

async fn data_page(state: State, token: aweb::Path<String>, csrf: CsrfToken) -> Reply {
    let token = token.into_inner();
    let email = address_of(&state, token.clone()).await?;
    let data = crate::db::run(&state.pool, move |conn| {
        super::export::export(conn, &email, Utc::now().naive_utc())
    })
    .await?;
    let news = data
        .consents
        .iter()
        .any(|c| c.purpose == "news" && c.withdrawn_at.is_none());
    page(&DataPage {
        csrf: csrf.0,
        token,
        data,
        news,
    })
}

async fn withdraw_form(state: State, token: aweb::Path<String>) -> Reply {
    let token = token.into_inner();
    let email = address_of(&state, token.clone()).await?;
    withdraw_news_of(&state, email).await?;
    Ok(crate::web::notice::see_other(
        state.cookie_secure,
        &links::my_data(&token),
        &crate::i18n::t("my-data-news-withdrawn"),
    ))
}

#[derive(Deserialize)]
struct EraseForm {
    /// The box saying "I understand this cannot be undone".
    confirm: Option<String>,
    cancel_upcoming: Option<String>,
}

#[derive(Template)]
#[template(path = "my_data_erased.html")]
struct ErasedPage {
    erased: Counts,
}

async fn erase_form(state: State, token: aweb::Path<String>, form: aweb::Form<EraseForm>) -> Reply {
    let token = token.into_inner();
    let email = address_of(&state, token.clone()).await?;
    if form.confirm.is_none() {
        return Ok(crate::web::notice::see_other(
            state.cookie_secure,
            &format!("{}#erase", links::my_data(&token)),
            &crate::i18n::t("my-data-erase-confirm-needed"),
        ));
    }
    let erased = erase_now(
        &state,
        Target::Address {
            email,
            festival: None,
        },
        Requester::Person,
        form.cancel_upcoming.is_some(),
    )
    .await?;
    page(&ErasedPage { erased })
}

// ---------------------------------------------------------------------------------------------
// Organisers

/// One erasure, as the organisers' page lists it.
struct ErasureLine {
    at: String,
    by: String,
    counts: String,
}

#[derive(Template)]
#[template(path = "admin/privacy.html")]
struct AdminPage {
    csrf: String,
    festival: Festival,
    state: PrivacyState,
    /// When the data will be (or was) shredded, in words.
    shred_day: String,
    /// (language code, language name, the organisers' own text or empty).
    notices: Vec<(&'static str, String, String)>,
    /// The default notice in the page's language, for reference.
    default_notice: Vec<String>,
    /// Whether the festival has ended (it may then be shredded at once).
    ended: bool,
    erasures: Vec<ErasureLine>,
}

async fn admin_page(
    state: State,
    _: Can<need::Team, scope::Festival>,
    id: aweb::Path<FestivalId>,
    csrf: CsrfToken,
) -> Reply {
    let id = id.into_inner();
    let festival = super::api::festival_or_404(&state, id).await?;
    let privacy = super::api::privacy_state(&state, id).await?;
    let public_url = state.public_url.clone();
    let default_notice = notice::default_paragraphs(&festival, &public_url);
    let log = crate::db::run(&state.pool, move |conn| {
        let log: Vec<(NaiveDateTime, String, String)> = erasures::table
            .filter(erasures::festival_id.eq(id.to_string()))
            .order(erasures::at.desc())
            .limit(200)
            .select((erasures::at, erasures::requested_by, erasures::counts))
            .load(conn)?;
        Ok(log)
    })
    .await?;
    let zone = crate::domain::format::stored_zone("festivals.timezone", &festival.timezone)?;
    let erasures = log
        .into_iter()
        .map(|(at, by, counts)| {
            let counts: Counts = serde_json::from_str(&counts).unwrap_or_default();
            ErasureLine {
                at: crate::domain::format::when(at, zone),
                by: crate::i18n::t(match by.as_str() {
                    "person" => "admin-privacy-by-person",
                    "retention" => "admin-privacy-by-retention",
                    _ => "admin-privacy-by-organiser",
                }),
                counts: crate::msg!(
                    "admin-privacy-counts",
                    bookings = counts.bookings,
                    entries = counts.waitlist_entries,
                    messages = counts.messages
                )
                .to_string(),
            }
        })
        .collect();
    let notices = Lang::ALL
        .iter()
        .map(|lang| {
            (
                lang.code(),
                lang.native_name().to_owned(),
                privacy
                    .notices
                    .get(lang.code())
                    .cloned()
                    .unwrap_or_default(),
            )
        })
        .collect();
    page(&AdminPage {
        csrf: csrf.0,
        shred_day: crate::i18n::dates::day(notice::shred_on(&festival)),
        ended: festival.ends_on < Utc::now().date_naive(),
        festival,
        state: privacy,
        notices,
        default_notice,
        erasures,
    })
}

#[derive(Deserialize)]
struct NoticeForm {
    lang: String,
    #[serde(default)]
    body: String,
}

async fn admin_notice(
    state: State,
    can: Can<need::Team, scope::Festival>,
    id: aweb::Path<FestivalId>,
    form: aweb::Form<NoticeForm>,
) -> Reply {
    let id = id.into_inner();
    let form = form.into_inner();
    let lang = Lang::from_code(&form.lang)
        .ok_or_else(|| AppError::invalid("lang", crate::msg!("error-lang")))?;
    super::api::save_notice(&state, &can.staff, id, lang, form.body).await?;
    Ok(crate::web::notice::see_other(
        state.cookie_secure,
        &links::admin_privacy(id),
        &crate::i18n::t("admin-privacy-notice-saved"),
    ))
}

#[derive(Deserialize)]
struct AdminEraseForm {
    #[serde(default)]
    email: String,
    cancel_upcoming: Option<String>,
}

async fn admin_erase(
    state: State,
    can: Can<need::Team, scope::Festival>,
    id: aweb::Path<FestivalId>,
    form: aweb::Form<AdminEraseForm>,
) -> Reply {
    let id = id.into_inner();
    let email = Email::parse(&form.email)?;
    super::api::festival_or_404(&state, id).await?;
    let erased = erase_now(
        &state,
        Target::Address {
            email: email.as_str().to_owned(),
            festival: Some(id),
        },
        Requester::Organiser(can.staff.clone()),
        form.cancel_upcoming.is_some(),
    )
    .await?;
    Ok(crate::web::notice::see_other(
        state.cookie_secure,
        &links::admin_privacy(id),
        &crate::msg!(
            "admin-privacy-erased",
            bookings = erased.bookings,
            entries = erased.waitlist_entries,
            messages = erased.messages
        )
        .to_string(),
    ))
}

#[derive(Deserialize)]
struct ShredForm {
    confirm: Option<String>,
}

async fn admin_shred(
    state: State,
    can: Can<need::Team, scope::Festival>,
    id: aweb::Path<FestivalId>,
    form: aweb::Form<ShredForm>,
) -> Reply {
    let id = id.into_inner();
    if form.confirm.is_none() {
        return Ok(crate::web::notice::see_other(
            state.cookie_secure,
            &links::admin_privacy(id),
            &crate::i18n::t("admin-privacy-shred-confirm-needed"),
        ));
    }
    let erased = super::api::shred_festival(&state, id, can.staff.clone()).await?;
    Ok(crate::web::notice::see_other(
        state.cookie_secure,
        &links::admin_privacy(id),
        &crate::msg!(
            "admin-privacy-shredded",
            bookings = erased.bookings,
            entries = erased.waitlist_entries,
            messages = erased.messages
        )
        .to_string(),
    ))
}
