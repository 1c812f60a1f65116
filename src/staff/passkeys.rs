//! Passkeys (WebAuthn, through `webauthn-rs`): a signed-in member registers as many as they like
//! on their account page; anyone signs in with one after giving their address. Each ceremony's
//! state is kept on the server ([`webauthn_ceremonies`], five minutes, used once); the page's
//! script (`page.js`) talks to these routes with forms, so the CSRF check stands before them as
//! before every form.
//!
//! The relying party is the origin the page was loaded from (`MARQUEE_PUBLIC_URL`'s when it is
//! set): a passkey made at `https://tickets.example.org` works there and nowhere else.

use actix_web::{HttpRequest, HttpResponse, web as aweb};
use chrono::TimeDelta;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use webauthn_rs::prelude::{
    Passkey, PasskeyAuthentication, PasskeyRegistration, PublicKeyCredential,
    RegisterPublicKeyCredential, Url, Uuid as WebauthnId, Webauthn, WebauthnBuilder,
};

use super::pages::start_session;
use crate::db::schema::{passkeys, webauthn_ceremonies};
use crate::db::{self, AnyConnection, Lock};
use crate::domain::StaffId;
use crate::error::{AppError, Thing};
use crate::web::auth::SignedIn;
use crate::web::limits::{Limited, per_client};
use crate::web::{AppState, Reply, see_other};

pub fn routes(cfg: &mut aweb::ServiceConfig) {
    cfg.route("/account/passkeys/start", aweb::post().to(register_start))
        .route("/account/passkeys/finish", aweb::post().to(register_finish))
        .route("/account/passkeys/{id}/remove", aweb::post().to(remove))
        .route(
            "/signin/passkey/start",
            aweb::post()
                .to(sign_in_start)
                .wrap(per_client(Limited::SignIn)),
        )
        .route(
            "/signin/passkey/finish",
            aweb::post()
                .to(sign_in_finish)
                .wrap(per_client(Limited::SignIn)),
        );
}

type State = aweb::Data<AppState>;

/// How long a ceremony may take, from its options to the authenticator's answer.
const CEREMONY: TimeDelta = TimeDelta::minutes(5);

fn now() -> chrono::NaiveDateTime {
    chrono::Utc::now().naive_utc()
}

/// The relying party of a request: the public URL's origin when set, else the origin the page
/// was loaded from.
fn relying_party(state: &State, req: &HttpRequest) -> Result<Webauthn, AppError> {
    let origin = if state.public_url_set {
        state.public_url.clone()
    } else {
        let info = req.connection_info();
        format!("{}://{}", info.scheme(), info.host())
    };
    let url = Url::parse(&origin)
        .map_err(|_| AppError::invalid("origin", crate::msg!("error-passkey-origin")))?;
    let host = url
        .host_str()
        .ok_or_else(|| AppError::invalid("origin", crate::msg!("error-passkey-origin")))?
        .to_owned();
    WebauthnBuilder::new(&host, &url)
        .and_then(|b| b.rp_name("Marquee").build())
        .map_err(|_| AppError::invalid("origin", crate::msg!("error-passkey-origin")))
}

fn refused() -> AppError {
    AppError::invalid("credential", crate::msg!("error-passkey-refused"))
}

/// A member's passkeys, as stored.
fn passkeys_of(conn: &mut AnyConnection, id: StaffId) -> Result<Vec<(String, Passkey)>, AppError> {
    let rows: Vec<(String, String)> = passkeys::table
        .filter(passkeys::staff_id.eq(id.to_string()))
        .select((passkeys::id, passkeys::credential))
        .load(conn)?;
    rows.into_iter()
        .map(|(id, credential)| {
            let key = serde_json::from_str(&credential).map_err(AppError::internal)?;
            Ok((id, key))
        })
        .collect()
}

/// A passkey as the account page lists it.
#[derive(Debug, Clone)]
pub struct Listed {
    pub id: String,
    pub name: String,
    pub created_at: chrono::NaiveDateTime,
    pub last_used_at: Option<chrono::NaiveDateTime>,
}

pub fn listed(conn: &mut AnyConnection, id: StaffId) -> Result<Vec<Listed>, AppError> {
    let rows: Vec<(
        String,
        String,
        chrono::NaiveDateTime,
        Option<chrono::NaiveDateTime>,
    )> = passkeys::table
        .filter(passkeys::staff_id.eq(id.to_string()))
        .order(passkeys::created_at)
        .select((
            passkeys::id,
            passkeys::name,
            passkeys::created_at,
            passkeys::last_used_at,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(id, name, created_at, last_used_at)| Listed {
            id,
            name,
            created_at,
            last_used_at,
        })
        .collect())
}

/// Keeps a ceremony's state; returns its id.
fn keep(
    conn: &mut AnyConnection,
    staff: StaffId,
    kind: &str,
    state: &impl Serialize,
) -> Result<String, AppError> {
    let now = now();
    diesel::delete(webauthn_ceremonies::table.filter(webauthn_ceremonies::expires_at.le(now)))
        .execute(conn)?;
    let id = uuid::Uuid::now_v7().to_string();
    diesel::insert_into(webauthn_ceremonies::table)
        .values((
            webauthn_ceremonies::id.eq(&id),
            webauthn_ceremonies::staff_id.eq(staff.to_string()),
            webauthn_ceremonies::kind.eq(kind),
            webauthn_ceremonies::state
                .eq(serde_json::to_string(state).map_err(AppError::internal)?),
            webauthn_ceremonies::expires_at.eq(now + CEREMONY),
        ))
        .execute(conn)?;
    Ok(id)
}

/// Takes a ceremony's state (once: it is deleted as it is read); its member.
fn take<T: for<'de> Deserialize<'de>>(
    conn: &mut AnyConnection,
    id: &str,
    kind: &str,
) -> Result<(StaffId, T), AppError> {
    let found: Option<(String, String)> = webauthn_ceremonies::table
        .find(id)
        .filter(webauthn_ceremonies::kind.eq(kind))
        .filter(webauthn_ceremonies::expires_at.gt(now()))
        .select((webauthn_ceremonies::staff_id, webauthn_ceremonies::state))
        .first(conn)
        .optional()?;
    let taken = diesel::delete(webauthn_ceremonies::table.find(id)).execute(conn)?;
    let (staff, state) = found.filter(|_| taken == 1).ok_or_else(refused)?;
    Ok((
        StaffId::from_db("webauthn_ceremonies.staff_id", &staff)?,
        serde_json::from_str(&state).map_err(AppError::internal)?,
    ))
}

#[derive(Serialize)]
struct Started<T: Serialize> {
    ceremony: String,
    options: T,
}

/// `POST /account/passkeys/start`: the options for a new passkey.
async fn register_start(state: State, req: HttpRequest, SignedIn(me): SignedIn) -> Reply {
    super::account::a_person(&me)?;
    let webauthn = relying_party(&state, &req)?;
    let (id, name) = (me.id, me.name.clone());
    let known = db::run(&state.pool, move |conn| passkeys_of(conn, id)).await?;
    let user = WebauthnId::parse_str(&id.to_string()).map_err(AppError::internal)?;
    let exclude = known.iter().map(|(_, k)| k.cred_id().clone()).collect();
    let (options, registration) = webauthn
        .start_passkey_registration(user, &name, &name, Some(exclude))
        .map_err(|_| refused())?;
    let ceremony = state
        .write(Lock::NoScreening, move |tx| {
            keep(tx.conn, id, "register", &registration)
        })
        .await?;
    Ok(HttpResponse::Ok().json(Started { ceremony, options }))
}

#[derive(Deserialize)]
struct Finish {
    #[serde(default)]
    ceremony: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    credential: String,
}

/// `POST /account/passkeys/finish`: the authenticator's answer; the passkey kept.
async fn register_finish(
    state: State,
    req: HttpRequest,
    SignedIn(me): SignedIn,
    form: aweb::Form<Finish>,
) -> Reply {
    let form = form.into_inner();
    let webauthn = relying_party(&state, &req)?;
    let answer: RegisterPublicKeyCredential =
        serde_json::from_str(&form.credential).map_err(|_| refused())?;
    let name = crate::domain::text("name", form.name.trim(), 100)
        .unwrap_or_else(|_| crate::i18n::t("account-passkey-default-name"));
    let staff = me.clone();
    let kept = state
        .write(Lock::NoScreening, move |tx| {
            let (owner, registration): (StaffId, PasskeyRegistration) =
                take(tx.conn, &form.ceremony, "register")?;
            if owner != staff.id {
                return Err(refused());
            }
            let key = webauthn
                .finish_passkey_registration(&answer, &registration)
                .map_err(|_| refused())?;
            let id = uuid::Uuid::now_v7().to_string();
            diesel::insert_into(passkeys::table)
                .values((
                    passkeys::id.eq(&id),
                    passkeys::staff_id.eq(owner.to_string()),
                    passkeys::name.eq(&name),
                    passkeys::credential_id
                        .eq(serde_json::to_string(key.cred_id()).map_err(AppError::internal)?),
                    passkeys::credential
                        .eq(serde_json::to_string(&key).map_err(AppError::internal)?),
                    passkeys::created_at.eq(now()),
                ))
                .execute(tx.conn)?;
            super::account::retire_credential(tx.conn, owner)?;
            let change =
                db::audit::Change::new(None, "account.passkey_add", format!("staff:{owner}"))
                    .after(&serde_json::json!({ "passkey": id, "name": name }));
            db::audit::record(tx.by(&staff), change)?;
            Ok(id)
        })
        .await?;
    Ok(HttpResponse::Created().json(serde_json::json!({ "id": kept })))
}

/// `POST /account/passkeys/{id}/remove`.
async fn remove(state: State, SignedIn(me): SignedIn, id: aweb::Path<String>) -> Reply {
    let (id, staff) = (id.into_inner(), me.clone());
    state
        .write(Lock::NoScreening, move |tx| {
            let removed = diesel::delete(
                passkeys::table
                    .filter(passkeys::id.eq(&id))
                    .filter(passkeys::staff_id.eq(staff.id.to_string())),
            )
            .execute(tx.conn)?;
            if removed == 0 {
                return Err(AppError::not_found(Thing::Page));
            }
            let change = db::audit::Change::new(
                None,
                "account.passkey_remove",
                format!("staff:{}", staff.id),
            )
            .after(&serde_json::json!({ "passkey": id }));
            db::audit::record(tx.by(&staff), change)
        })
        .await?;
    Ok(see_other("/account"))
}

#[derive(Deserialize)]
struct Who {
    #[serde(default)]
    email: String,
}

/// `POST /signin/passkey/start`: the options to sign in with one of this address's passkeys.
async fn sign_in_start(state: State, req: HttpRequest, form: aweb::Form<Who>) -> Reply {
    let webauthn = relying_party(&state, &req)?;
    let email = form.into_inner().email;
    crate::domain::Email::parse(&email)?;
    let found = db::run(&state.pool, move |conn| {
        let Some(id) = super::account::by_email(conn, &email)? else {
            return Ok(None);
        };
        Ok(Some((id, passkeys_of(conn, id)?)))
    })
    .await?;
    let Some((id, keys)) = found.filter(|(_, keys)| !keys.is_empty()) else {
        return Err(AppError::invalid(
            "email",
            crate::msg!("error-passkey-none"),
        ));
    };
    let keys: Vec<Passkey> = keys.into_iter().map(|(_, k)| k).collect();
    let (options, authentication) = webauthn
        .start_passkey_authentication(&keys)
        .map_err(|_| refused())?;
    let ceremony = state
        .write(Lock::NoScreening, move |tx| {
            keep(tx.conn, id, "sign_in", &authentication)
        })
        .await?;
    Ok(HttpResponse::Ok().json(Started { ceremony, options }))
}

/// `POST /signin/passkey/finish`: the authenticator's answer; a session begins.
async fn sign_in_finish(state: State, req: HttpRequest, form: aweb::Form<Finish>) -> Reply {
    let form = form.into_inner();
    let webauthn = relying_party(&state, &req)?;
    let answer: PublicKeyCredential =
        serde_json::from_str(&form.credential).map_err(|_| refused())?;
    let id = state
        .write(Lock::NoScreening, move |tx| {
            let (owner, authentication): (StaffId, PasskeyAuthentication) =
                take(tx.conn, &form.ceremony, "sign_in")?;
            let result = webauthn
                .finish_passkey_authentication(&answer, &authentication)
                .map_err(|_| refused())?;
            for (id, mut key) in passkeys_of(tx.conn, owner)? {
                if key.update_credential(&result).is_some() {
                    diesel::update(passkeys::table.find(&id))
                        .set((
                            passkeys::credential
                                .eq(serde_json::to_string(&key).map_err(AppError::internal)?),
                            passkeys::last_used_at.eq(Some(now())),
                        ))
                        .execute(tx.conn)?;
                }
            }
            Ok(owner)
        })
        .await?;
    let cookie = start_session(&state, &req, id, "passkey").await?;
    let mut response = HttpResponse::Ok().json(serde_json::json!({ "location": "/staff" }));
    response.add_cookie(&cookie).map_err(AppError::internal)?;
    Ok(response)
}
