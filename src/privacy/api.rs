//! The personal-data API: a person's access and erasure by a mailed link, an organiser's erasure
//! on a person's request, a festival's notice and retention, shredding a finished festival.

use std::collections::BTreeMap;

use actix_web::{HttpResponse, web as aweb};
use chrono::Utc;
use serde::{Deserialize, Serialize};

use super::erase::{Counts, Requester, Target};
use super::notice::{self, PrivacyState};
use super::{State, address_of, erase_now, request_link};
use crate::catalogue::queries::{Festival, festival};
use crate::db::Lock;
use crate::db::audit::Change;
use crate::domain::{Email, FestivalId};
use crate::error::{AppError, ErrorBody, Refusal, Thing};
use crate::i18n::Lang;
use crate::mail::pages::Accepted;
use crate::web::Reply;
use crate::web::auth::{Can, need, scope};
use crate::web::json::ApiJson;
use crate::web::limits::{Limited, per_client};

pub fn routes(cfg: &mut aweb::ServiceConfig) {
    cfg.route(
        "/api/v1/my-data",
        aweb::post()
            .to(ask_for_data)
            .wrap(per_client(Limited::FindTickets)),
    )
    .route("/api/v1/my-data/{token}", aweb::get().to(my_data))
    .route("/api/v1/my-data/{token}", aweb::delete().to(erase_my_data))
    .route(
        "/api/v1/my-data/{token}/consents/news",
        aweb::delete().to(withdraw_news),
    )
    .route(
        "/api/v1/festivals/{id}/erasures",
        aweb::post().to(erase_for_person),
    )
    .route("/api/v1/festivals/{id}/privacy", aweb::get().to(privacy))
    .route(
        "/api/v1/festivals/{id}/privacy-notice/{lang}",
        aweb::put().to(set_notice),
    )
    .route("/api/v1/festivals/{id}/shred", aweb::post().to(shred));
}

/// The body of `POST /api/v1/my-data`.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DataRequest {
    #[schema(max_length = 254, example = "ana@example.org")]
    pub email: String,
}

/// `POST /api/v1/my-data`: mails the address a link to everything held about it.
#[utoipa::path(post, path = "/api/v1/my-data", tag = "personal data", request_body = DataRequest,
    responses(
        (status = 202, description = "Accepted: the same answer whether or not anything is held about the address", body = Accepted),
        (status = 422, description = "Not an e-mail address", body = ErrorBody),
        (status = 429, description = "Too many requests from this address; see Retry-After", body = ErrorBody,
            headers(("Retry-After" = u64, description = "Seconds to wait"))),
    ))]
async fn ask_for_data(state: State, body: ApiJson<DataRequest>) -> Reply {
    let email = Email::parse(&body.into_inner()?.email)?;
    request_link(&state, email).await?;
    Ok(HttpResponse::Accepted().json(Accepted {
        message: crate::i18n::t("my-data-sent"),
    }))
}

/// `GET /api/v1/my-data/{token}`: everything held about the link's address, across festivals.
#[utoipa::path(get, path = "/api/v1/my-data/{token}", tag = "personal data",
    params(("token" = String, Path, description = "The token of the mailed link")),
    responses(
        (status = 200, description = "Everything held about the address", body = super::export::Export),
        (status = 404, description = "Unknown or expired link", body = ErrorBody),
    ))]
async fn my_data(state: State, token: aweb::Path<String>) -> Reply {
    let email = address_of(&state, token.into_inner()).await?;
    let export = crate::db::run(&state.pool, move |conn| {
        super::export::export(conn, &email, Utc::now().naive_utc())
    })
    .await?;
    Ok(HttpResponse::Ok()
        .insert_header((
            actix_web::http::header::CONTENT_DISPOSITION,
            "inline; filename=\"my-data.json\"",
        ))
        .json(export))
}

/// The query of `DELETE /api/v1/my-data/{token}` (read by [`cancel_upcoming`]).
#[derive(Debug, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[expect(dead_code, reason = "documents the query; the handler reads its pairs")]
struct EraseQuery {
    /// `true` to also cancel the bookings for screenings not yet started (their seats are
    /// freed); `false` (the default) keeps them.
    cancel_upcoming: Option<bool>,
}

/// `cancel_upcoming` as the query says it (its first value; other parameters are ignored).
fn cancel_upcoming(pairs: &[(String, String)]) -> Result<bool, AppError> {
    let value = pairs
        .iter()
        .find(|(name, _)| name == "cancel_upcoming")
        .map(|(_, value)| value.trim());
    match value {
        None | Some("" | "false") => Ok(false),
        Some("true") => Ok(true),
        Some(_) => Err(AppError::invalid(
            "cancel_upcoming",
            crate::msg!("error-true-or-false", field = "cancel_upcoming"),
        )),
    }
}

/// What an erasure changed.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ErasedAnswer {
    pub erased: Counts,
}

/// `DELETE /api/v1/my-data/{token}`: erases the link's address everywhere (the link stops
/// working). Tickets for screenings to come keep admitting unless `cancel_upcoming`.
#[utoipa::path(delete, path = "/api/v1/my-data/{token}", tag = "personal data",
    params(("token" = String, Path, description = "The token of the mailed link"), EraseQuery),
    responses(
        (status = 200, description = "Erased", body = ErasedAnswer),
        (status = 404, description = "Unknown or expired link", body = ErrorBody),
        (status = 422, description = "`cancel_upcoming` is neither true nor false", body = ErrorBody),
    ))]
async fn erase_my_data(
    state: State,
    token: aweb::Path<String>,
    query: aweb::Query<Vec<(String, String)>>,
) -> Reply {
    let cancel_upcoming = cancel_upcoming(&query)?;
    let email = address_of(&state, token.into_inner()).await?;
    let erased = erase_now(
        &state,
        Target::Address {
            email,
            festival: None,
        },
        Requester::Person,
        cancel_upcoming,
    )
    .await?;
    Ok(HttpResponse::Ok().json(ErasedAnswer { erased }))
}

/// How many consents a withdrawal ended.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Withdrawn {
    pub withdrawn: usize,
}

/// `DELETE /api/v1/my-data/{token}/consents/news`: no more news from any festival.
#[utoipa::path(delete, path = "/api/v1/my-data/{token}/consents/news", tag = "personal data",
    params(("token" = String, Path, description = "The token of the mailed link")),
    responses(
        (status = 200, description = "Withdrawn (0 when there was nothing to withdraw)", body = Withdrawn),
        (status = 404, description = "Unknown or expired link", body = ErrorBody),
    ))]
async fn withdraw_news(state: State, token: aweb::Path<String>) -> Reply {
    let email = address_of(&state, token.into_inner()).await?;
    let withdrawn = super::withdraw_news_of(&state, email).await?;
    Ok(HttpResponse::Ok().json(Withdrawn { withdrawn }))
}

/// The body of `POST /api/v1/festivals/{id}/erasures`.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ErasureRequest {
    #[schema(max_length = 254, example = "ana@example.org")]
    pub email: String,
    /// The person also asked that their bookings for screenings to come be cancelled.
    #[serde(default)]
    pub cancel_upcoming: bool,
}

/// `POST /api/v1/festivals/{id}/erasures`: erases one person's data at this festival, on their
/// request made to the organisers.
#[utoipa::path(post, path = "/api/v1/festivals/{id}/erasures", tag = "personal data",
    params(("id" = FestivalId, Path, description = "The festival's id")),
    request_body = ErasureRequest, security(("bearer" = [])),
    responses(
        (status = 200, description = "Erased (all counts 0 when nothing was held)", body = ErasedAnswer),
        (status = 404, description = "No such festival", body = ErrorBody),
        (status = 422, description = "Not an e-mail address", body = ErrorBody),
    ))]
async fn erase_for_person(
    state: State,
    can: Can<need::Team, scope::Festival>,
    id: aweb::Path<FestivalId>,
    body: ApiJson<ErasureRequest>,
) -> Reply {
    let body = body.into_inner()?;
    let email = Email::parse(&body.email)?;
    let festival = festival_or_404(&state, id.into_inner()).await?;
    let erased = erase_now(
        &state,
        Target::Address {
            email: email.as_str().to_owned(),
            festival: Some(festival.id),
        },
        Requester::Organiser(can.staff.clone()),
        body.cancel_upcoming,
    )
    .await?;
    Ok(HttpResponse::Ok().json(ErasedAnswer { erased }))
}

pub(super) async fn festival_or_404(state: &State, id: FestivalId) -> Result<Festival, AppError> {
    crate::db::run(&state.pool, move |conn| {
        festival(conn, id)?.ok_or_else(|| AppError::not_found(Thing::Festival))
    })
    .await
}

/// A festival's personal-data settings and state.
pub(super) async fn privacy_state(state: &State, id: FestivalId) -> Result<PrivacyState, AppError> {
    let festival = festival_or_404(state, id).await?;
    let (own, shredded_at) = crate::db::run(&state.pool, move |conn| {
        Ok((
            notice::own_notices(conn, id)?,
            notice::shredded_at(conn, id)?,
        ))
    })
    .await?;
    Ok(PrivacyState {
        retention_days: festival.retention_days,
        controller: notice::controller(&festival).to_owned(),
        shred_on: notice::shred_on(&festival).to_string(),
        shredded_at: shredded_at.map(|t| t.and_utc().to_rfc3339()),
        notices: own.into_iter().collect::<BTreeMap<_, _>>(),
    })
}

/// `GET /api/v1/festivals/{id}/privacy`: retention, when the data is shredded, the notices.
#[utoipa::path(get, path = "/api/v1/festivals/{id}/privacy", tag = "personal data",
    params(("id" = FestivalId, Path, description = "The festival's id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The festival's personal-data settings", body = PrivacyState),
        (status = 404, description = "No such festival", body = ErrorBody),
    ))]
async fn privacy(
    state: State,
    _: Can<need::Team, scope::Festival>,
    id: aweb::Path<FestivalId>,
) -> Reply {
    Ok(HttpResponse::Ok().json(privacy_state(&state, id.into_inner()).await?))
}

/// The body of `PUT /api/v1/festivals/{id}/privacy-notice/{lang}`.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NoticeInput {
    /// The notice, paragraphs separated by blank lines; empty to go back to the default.
    #[schema(max_length = 20000)]
    pub body: String,
}

/// `PUT /api/v1/festivals/{id}/privacy-notice/{lang}`: the organisers' own notice in a language.
#[utoipa::path(put, path = "/api/v1/festivals/{id}/privacy-notice/{lang}", tag = "personal data",
    params(("id" = FestivalId, Path, description = "The festival's id"),
           ("lang" = String, Path, description = "`en`, `fr` or `vi`")),
    request_body = NoticeInput, security(("bearer" = [])),
    responses(
        (status = 200, description = "Saved", body = PrivacyState),
        (status = 404, description = "No such festival or language", body = ErrorBody),
        (status = 422, description = "Too long", body = ErrorBody),
    ))]
async fn set_notice(
    state: State,
    can: Can<need::Team, scope::Festival>,
    path: aweb::Path<(FestivalId, String)>,
    body: ApiJson<NoticeInput>,
) -> Reply {
    let (id, lang) = path.into_inner();
    let lang = Lang::from_code(&lang).ok_or_else(|| AppError::not_found(Thing::Page))?;
    let body = body.into_inner()?.body;
    save_notice(&state, &can.staff, id, lang, body).await?;
    Ok(HttpResponse::Ok().json(privacy_state(&state, id).await?))
}

pub(super) async fn save_notice(
    state: &State,
    staff: &crate::staff::StaffMember,
    id: FestivalId,
    lang: Lang,
    body: String,
) -> Result<(), AppError> {
    let body = crate::domain::input::paragraphs("body", &body, notice::MAX_NOTICE_CHARS)?;
    festival_or_404(state, id).await?;
    let staff = staff.clone();
    state
        .write(Lock::NoScreening, move |tx| {
            notice::set_notice(tx.conn, id, lang, &body, Utc::now().naive_utc())?;
            let change = Change::new(Some(id), "privacy.notice", format!("festival:{id}"))
                .after(&serde_json::json!({ "lang": lang.code(), "body": &body }));
            crate::db::audit::record(tx.by(&staff), change)
        })
        .await
}

/// The body of `POST /api/v1/festivals/{id}/shred`.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ShredRequest {
    /// Must be `true`: shredding cannot be undone.
    #[serde(default)]
    pub confirm: bool,
}

/// `POST /api/v1/festivals/{id}/shred`: shreds a finished festival's personal data now.
#[utoipa::path(post, path = "/api/v1/festivals/{id}/shred", tag = "personal data",
    params(("id" = FestivalId, Path, description = "The festival's id")),
    request_body = ShredRequest, security(("bearer" = [])),
    responses(
        (status = 200, description = "Shredded", body = ErasedAnswer),
        (status = 404, description = "No such festival", body = ErrorBody),
        (status = 409, description = "`festival_not_over`: it has not ended yet", body = ErrorBody),
        (status = 422, description = "Not confirmed", body = ErrorBody),
    ))]
async fn shred(
    state: State,
    can: Can<need::Team, scope::Festival>,
    id: aweb::Path<FestivalId>,
    body: ApiJson<ShredRequest>,
) -> Reply {
    if !body.into_inner()?.confirm {
        return Err(AppError::invalid(
            "confirm",
            crate::msg!("error-shred-confirm"),
        ));
    }
    let erased = shred_festival(&state, id.into_inner(), can.staff.clone()).await?;
    Ok(HttpResponse::Ok().json(ErasedAnswer { erased }))
}

/// Shreds a festival that has ended, at an organiser's word.
pub(super) async fn shred_festival(
    state: &State,
    id: FestivalId,
    staff: crate::staff::StaffMember,
) -> Result<Counts, AppError> {
    let festival = festival_or_404(state, id).await?;
    if festival.ends_on >= Utc::now().date_naive() {
        return Err(AppError::conflict(
            Refusal::FestivalNotOver,
            crate::msg!("error-festival-not-over"),
        ));
    }
    let erased = state
        .write(Lock::NoScreening, move |tx| {
            super::retention::shred_in(
                tx,
                id,
                Requester::Organiser(staff.clone()),
                Utc::now().naive_utc(),
            )
        })
        .await?;
    super::after_erasure(state, erased.files).await;
    Ok(erased.counts)
}
