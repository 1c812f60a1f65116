//! Named accounts: a team member's e-mail address, the one-time links Marquee mails them (an
//! invitation, valid days; a sign-in link, valid minutes), an authenticator app's codes (TOTP,
//! RFC 6238: each code works once), one-time recovery codes, and the sessions they hold.
//!
//! Codes are limited per account: after [`MAX_FAILED_CODES`] wrong ones within
//! [`FAILED_CODES_WINDOW`], every code is refused until the window has passed — whichever
//! address they come from (the sign-in routes are limited per address too).

use chrono::{NaiveDateTime, TimeDelta};
use diesel::prelude::*;
use totp_rs::{Algorithm, Secret, TOTP};

use crate::db::AnyConnection;
use crate::db::schema::{account_links, passkeys, recovery_codes, sessions, staff};
use crate::domain::StaffId;
use crate::domain::secret::{hash_token, looks_like_token, new_token, same};
use crate::error::{AppError, Thing};

/// How long an invitation link works.
pub const INVITATION_DAYS: i64 = 7;
/// How long a mailed sign-in link works.
pub const SIGN_IN_MINUTES: i64 = 15;
/// How many sign-in links one account is mailed in an hour, at most.
pub const SIGN_IN_MAILS_PER_HOUR: i64 = 5;
/// Wrong codes an account may give within [`FAILED_CODES_WINDOW`].
pub const MAX_FAILED_CODES: i32 = 5;
pub const FAILED_CODES_WINDOW: TimeDelta = TimeDelta::minutes(15);
/// Recovery codes made at a time.
pub const RECOVERY_CODES: usize = 10;
/// The issuer an authenticator app shows beside the code.
pub const ISSUER: &str = "Marquee";

/// What a mailed link is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    Invitation,
    SignIn,
}

impl Purpose {
    fn as_str(self) -> &'static str {
        match self {
            Purpose::Invitation => "invitation",
            Purpose::SignIn => "sign_in",
        }
    }

    fn lifetime(self) -> TimeDelta {
        match self {
            Purpose::Invitation => TimeDelta::days(INVITATION_DAYS),
            Purpose::SignIn => TimeDelta::minutes(SIGN_IN_MINUTES),
        }
    }
}

/// Makes a one-time link's token for `staff` (the only time it exists in clear).
pub fn new_link(
    conn: &mut AnyConnection,
    staff: StaffId,
    purpose: Purpose,
    now: NaiveDateTime,
) -> Result<String, AppError> {
    let token = new_token();
    diesel::insert_into(account_links::table)
        .values((
            account_links::token_hash.eq(hash_token(&token)),
            account_links::staff_id.eq(staff.to_string()),
            account_links::purpose.eq(purpose.as_str()),
            account_links::created_at.eq(now),
            account_links::expires_at.eq(now + purpose.lifetime()),
        ))
        .execute(conn)?;
    Ok(token)
}

/// The active member a link (unused, unexpired) is for.
pub fn link_holder(
    conn: &mut AnyConnection,
    token: &str,
    purpose: Purpose,
    now: NaiveDateTime,
) -> Result<Option<StaffId>, AppError> {
    if !looks_like_token(token) {
        return Ok(None);
    }
    let found: Option<String> = account_links::table
        .inner_join(staff::table)
        .filter(account_links::token_hash.eq(hash_token(token)))
        .filter(account_links::purpose.eq(purpose.as_str()))
        .filter(account_links::used_at.is_null())
        .filter(account_links::expires_at.gt(now))
        .filter(staff::revoked_at.is_null())
        .select(account_links::staff_id)
        .first(conn)
        .optional()?;
    found
        .map(|id| StaffId::from_db("account_links.staff_id", &id))
        .transpose()
        .map_err(Into::into)
}

/// Uses a link up: true if this call did (a link works once, however many click it at once).
pub fn use_link(
    conn: &mut AnyConnection,
    token: &str,
    now: NaiveDateTime,
) -> Result<bool, AppError> {
    let used = diesel::update(
        account_links::table
            .filter(account_links::token_hash.eq(hash_token(token)))
            .filter(account_links::used_at.is_null())
            .filter(account_links::expires_at.gt(now)),
    )
    .set(account_links::used_at.eq(Some(now)))
    .execute(conn)?;
    Ok(used == 1)
}

/// Refuses an API token (403): accounts, sessions, passkeys and codes are people's.
pub fn a_person(staff: &crate::staff::StaffMember) -> Result<(), AppError> {
    if staff.role == crate::domain::Role::Token {
        return Err(AppError::Forbidden(crate::msg!("error-account-token")));
    }
    Ok(())
}

/// A member's account as their own page shows it.
#[derive(Debug, Clone)]
pub struct Account {
    pub id: StaffId,
    pub name: String,
    pub email: Option<String>,
    /// An authenticator app is set up.
    pub totp: bool,
    pub passkeys: i64,
    pub recovery_codes_left: i64,
}

pub fn account(conn: &mut AnyConnection, id: StaffId) -> Result<Account, AppError> {
    let (name, email, secret): (String, Option<String>, Option<String>) = staff::table
        .find(id.to_string())
        .select((staff::name, staff::email, staff::totp_secret))
        .first(conn)
        .optional()?
        .ok_or_else(|| AppError::not_found(Thing::StaffMember))?;
    let passkeys = passkeys::table
        .filter(passkeys::staff_id.eq(id.to_string()))
        .count()
        .get_result(conn)?;
    let recovery_codes_left = recovery_codes::table
        .filter(recovery_codes::staff_id.eq(id.to_string()))
        .filter(recovery_codes::used_at.is_null())
        .count()
        .get_result(conn)?;
    Ok(Account {
        id,
        name,
        email,
        totp: secret.is_some(),
        passkeys,
        recovery_codes_left,
    })
}

/// The address as kept: trimmed, lower case (one address, one account).
pub fn email_key(email: &str) -> String {
    email.trim().to_lowercase()
}

/// The active member with this address.
pub fn by_email(conn: &mut AnyConnection, email: &str) -> Result<Option<StaffId>, AppError> {
    let found: Option<String> = staff::table
        .filter(staff::email.eq(email_key(email)))
        .filter(staff::revoked_at.is_null())
        .select(staff::id)
        .first(conn)
        .optional()?;
    found
        .map(|id| StaffId::from_db("staff.id", &id))
        .transpose()
        .map_err(Into::into)
}

/// Sets a member's address (refused, 409, when another active member has it).
pub fn set_email(conn: &mut AnyConnection, id: StaffId, email: &str) -> Result<(), AppError> {
    let email = crate::domain::Email::parse(email)?;
    let key = email_key(email.as_str());
    if by_email(conn, &key)?.is_some_and(|other| other != id) {
        return Err(AppError::conflict(
            crate::error::Refusal::AlreadyExists,
            crate::msg!("error-account-email-taken"),
        ));
    }
    diesel::update(staff::table.find(id.to_string()))
        .set(staff::email.eq(Some(key)))
        .execute(conn)?;
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Authenticator apps (TOTP) and recovery codes

/// The bytes of a base32 secret, when it reads and is long enough (128 bits at least, as RFC
/// 4226 asks).
fn secret_bytes(secret: &str) -> Option<Vec<u8>> {
    Secret::Encoded(secret.trim().to_owned())
        .to_bytes()
        .ok()
        .filter(|bytes| bytes.len() >= 16)
}

fn totp(secret: &str, account: &str) -> Result<TOTP, AppError> {
    let bytes = secret_bytes(secret)
        .ok_or_else(|| AppError::invalid("secret", crate::msg!("error-account-totp-code")))?;
    // An app's label may not hold a colon (it separates the issuer from the account).
    let account = account.replace(':', " ");
    TOTP::new(
        Algorithm::SHA1,
        6,
        1,
        30,
        bytes,
        Some(ISSUER.to_owned()),
        account,
    )
    .map_err(|e| AppError::internal(anyhow::anyhow!("a TOTP that cannot be made: {e}")))
}

/// A new secret for an authenticator app (base32, 160 bits).
pub fn new_totp_secret() -> String {
    Secret::generate_secret().to_encoded().to_string()
}

/// The `otpauth://` address an authenticator app reads (from its QR code).
pub fn totp_uri(secret: &str, account: &str) -> Result<String, AppError> {
    Ok(totp(secret, account)?.get_url())
}

/// The time step of `code` for `secret` around `now` (one step either side, for clocks that
/// drift), if it is one.
fn step_of(secret: &str, code: &str, now: NaiveDateTime) -> Result<Option<i64>, AppError> {
    let code: String = code.chars().filter(char::is_ascii_digit).collect();
    if code.len() != 6 {
        return Ok(None);
    }
    let totp = totp(secret, "")?;
    let at = u64::try_from(now.and_utc().timestamp()).unwrap_or(0);
    for time in [at.saturating_sub(30), at, at + 30] {
        if same(totp.generate(time).as_bytes(), code.as_bytes()) {
            return Ok(i64::try_from(time / 30).ok());
        }
    }
    Ok(None)
}

/// What a code given at sign-in came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Code {
    Accepted,
    Wrong,
    /// A code already used (each works once).
    Replayed,
    /// Too many wrong codes lately: refused whatever it is.
    TooMany,
}

/// Checks a code from the member's authenticator app, or one of their recovery codes; each works
/// once. Wrong codes are counted against the account.
pub fn check_code(
    conn: &mut AnyConnection,
    id: StaffId,
    code: &str,
    now: NaiveDateTime,
) -> Result<Code, AppError> {
    let (secret, failed, failed_at): (Option<String>, i32, Option<NaiveDateTime>) = staff::table
        .find(id.to_string())
        .select((
            staff::totp_secret,
            staff::failed_codes,
            staff::failed_code_at,
        ))
        .first(conn)?;
    if failed >= MAX_FAILED_CODES && failed_at.is_some_and(|at| now - at < FAILED_CODES_WINDOW) {
        return Ok(Code::TooMany);
    }
    let accepted = match secret
        .as_deref()
        .map(|s| step_of(s, code, now))
        .transpose()?
    {
        Some(Some(step)) => {
            // Later than the last step accepted, or it is a replay (one statement: two
            // requests with one code cannot both pass).
            let taken = diesel::update(
                staff::table
                    .find(id.to_string())
                    .filter(staff::totp_step.is_null().or(staff::totp_step.lt(step))),
            )
            .set(staff::totp_step.eq(Some(step)))
            .execute(conn)?;
            if taken == 0 {
                return Ok(Code::Replayed);
            }
            true
        }
        _ => use_recovery_code(conn, id, code, now)?,
    };
    if accepted {
        diesel::update(staff::table.find(id.to_string()))
            .set(staff::failed_codes.eq(0))
            .execute(conn)?;
        return Ok(Code::Accepted);
    }
    // Counted in the statement (wrong codes sent at once all count); a new window starts after
    // the last one has passed.
    let counted = diesel::update(
        staff::table
            .find(id.to_string())
            .filter(staff::failed_code_at.gt(now - FAILED_CODES_WINDOW)),
    )
    .set((
        staff::failed_codes.eq(staff::failed_codes + 1),
        staff::failed_code_at.eq(Some(now)),
    ))
    .execute(conn)?;
    if counted == 0 {
        diesel::update(staff::table.find(id.to_string()))
            .set((
                staff::failed_codes.eq(1),
                staff::failed_code_at.eq(Some(now)),
            ))
            .execute(conn)?;
    }
    Ok(Code::Wrong)
}

/// Sets up an authenticator app: its first code must read with `secret`. Replaces any earlier
/// app.
pub fn enable_totp(
    conn: &mut AnyConnection,
    id: StaffId,
    secret: &str,
    code: &str,
    now: NaiveDateTime,
) -> Result<bool, AppError> {
    if secret_bytes(secret).is_none() {
        return Err(AppError::invalid(
            "secret",
            crate::msg!("error-account-totp-code"),
        ));
    }
    let Some(step) = step_of(secret, code, now)? else {
        return Ok(false);
    };
    diesel::update(staff::table.find(id.to_string()))
        .set((
            staff::totp_secret.eq(Some(secret.trim())),
            staff::totp_step.eq(Some(step)),
        ))
        .execute(conn)?;
    retire_credential(conn, id)?;
    Ok(true)
}

/// Once a team member has a second factor, the credential of their first sign-in link stops
/// working: from then on they sign in with the factor (an administrator's and a door device's
/// credentials are theirs to keep: scripts and devices use them).
pub fn retire_credential(conn: &mut AnyConnection, id: StaffId) -> Result<(), AppError> {
    diesel::update(
        staff::table
            .find(id.to_string())
            .filter(staff::role.eq(crate::domain::Role::Member.as_str())),
    )
    .set(staff::token_hash.eq(hash_token(&new_token())))
    .execute(conn)?;
    Ok(())
}

/// A recovery code as given: its letters and digits, lower case.
fn recovery_key(code: &str) -> String {
    code.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

fn use_recovery_code(
    conn: &mut AnyConnection,
    id: StaffId,
    code: &str,
    now: NaiveDateTime,
) -> Result<bool, AppError> {
    let key = recovery_key(code);
    if key.len() != 12 {
        return Ok(false);
    }
    let used = diesel::update(
        recovery_codes::table
            .filter(recovery_codes::code_hash.eq(hash_token(&key)))
            .filter(recovery_codes::staff_id.eq(id.to_string()))
            .filter(recovery_codes::used_at.is_null()),
    )
    .set(recovery_codes::used_at.eq(Some(now)))
    .execute(conn)?;
    Ok(used == 1)
}

/// New recovery codes for a member (the earlier ones stop working); shown once.
pub fn new_recovery_codes(
    conn: &mut AnyConnection,
    id: StaffId,
    now: NaiveDateTime,
) -> Result<Vec<String>, AppError> {
    diesel::delete(recovery_codes::table.filter(recovery_codes::staff_id.eq(id.to_string())))
        .execute(conn)?;
    let mut codes = Vec::with_capacity(RECOVERY_CODES);
    for _ in 0..RECOVERY_CODES {
        let key: String = Secret::generate_secret()
            .to_encoded()
            .to_string()
            .to_lowercase()
            .chars()
            .take(12)
            .collect();
        diesel::insert_into(recovery_codes::table)
            .values((
                recovery_codes::code_hash.eq(hash_token(&key)),
                recovery_codes::staff_id.eq(id.to_string()),
                recovery_codes::created_at.eq(now),
            ))
            .execute(conn)?;
        codes.push(format!("{}-{}-{}", &key[..4], &key[4..8], &key[8..]));
    }
    Ok(codes)
}

// ---------------------------------------------------------------------------------------------
// Sessions

/// Where and how a session began.
#[derive(Debug, Clone, Default)]
pub struct Begun {
    /// The browser's own name for itself (its user agent), shortened.
    pub device: String,
    /// The address it signed in from.
    pub address: String,
    /// `credential`, `link`, `link+code`, `passkey`, `invitation`.
    pub method: &'static str,
}

/// A session as its owner sees it in the list.
#[derive(Debug, Clone)]
pub struct Session {
    pub id: String,
    pub device: String,
    pub address: String,
    pub method: String,
    pub created_at: NaiveDateTime,
    pub last_seen_at: NaiveDateTime,
    /// The session this page is seen in.
    pub current: bool,
}

/// A member's unexpired sessions, the newest first.
pub fn sessions_of(
    conn: &mut AnyConnection,
    id: StaffId,
    current: Option<&str>,
    now: NaiveDateTime,
) -> Result<Vec<Session>, AppError> {
    type Row = (
        String,
        Option<String>,
        String,
        String,
        String,
        NaiveDateTime,
        Option<NaiveDateTime>,
    );
    let rows: Vec<Row> = sessions::table
        .filter(sessions::staff_id.eq(id.to_string()))
        .filter(sessions::expires_at.gt(now))
        .order(sessions::created_at.desc())
        .select((
            sessions::token_hash,
            sessions::id,
            sessions::user_agent,
            sessions::address,
            sessions::method,
            sessions::created_at,
            sessions::last_seen_at,
        ))
        .load(conn)?;
    let current = current.map(hash_token);
    Ok(rows
        .into_iter()
        .map(
            |(hash, sid, device, address, method, created_at, seen)| Session {
                current: current.as_deref() == Some(hash.as_str()),
                id: sid.unwrap_or_else(|| hash[..32].to_owned()),
                device,
                address,
                method,
                created_at,
                last_seen_at: seen.unwrap_or(created_at),
            },
        )
        .collect())
}

/// Ends one of a member's sessions by its listed id (404 when it is not theirs).
pub fn end_session_by_id(
    conn: &mut AnyConnection,
    id: StaffId,
    session: &str,
) -> Result<(), AppError> {
    let ended = diesel::delete(
        sessions::table
            .filter(sessions::staff_id.eq(id.to_string()))
            .filter(sessions::id.eq(session)),
    )
    .execute(conn)?;
    if ended == 0 {
        return Err(AppError::not_found(Thing::Page));
    }
    Ok(())
}

/// Ends every session of a member but the one this request is in.
pub fn end_other_sessions(
    conn: &mut AnyConnection,
    id: StaffId,
    keep: Option<&str>,
) -> Result<usize, AppError> {
    let keep = keep.map(hash_token).unwrap_or_default();
    Ok(diesel::delete(
        sessions::table
            .filter(sessions::staff_id.eq(id.to_string()))
            .filter(sessions::token_hash.ne(keep)),
    )
    .execute(conn)?)
}
