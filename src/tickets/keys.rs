//! The ticket-signing keys, loaded at start.
//!
//! By default the key is generated on first start and stored in the database, so every instance
//! on one database signs and verifies alike with nothing to configure. An operator who keeps
//! secrets apart from data gives every instance the same key instead (`marquee keygen PATH`, then
//! `MARQUEE_SIGNING_KEY_FILE=PATH`): the database then holds only its public half, and a copy of
//! the database can no longer forge tickets.
//!
//! The secret seed is read here and nowhere else; it is never logged and no route serves it.
//! `/api/v1/keys` serves the public keys so a door device can verify codes offline.

use anyhow::{Context, bail};
use data_encoding::BASE64;
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use serde::Serialize;

use crate::db::AnyConnection;
use crate::db::schema::signing_keys;
use crate::db::tx::write_on;
use crate::domain::ticket_code::{TicketSigner, TicketVerifier};
use crate::error::AppError;
use crate::i18n::Lang;

/// A public key as served to door devices.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PublicKey {
    pub key_id: String,
    pub algorithm: &'static str,
    /// The 32-byte Ed25519 public key, base64.
    pub public_key: String,
}

/// The active signing key and every key still trusted for verification.
pub struct KeyRing {
    pub signer: TicketSigner,
    /// Shared with the writer, which checks a signature only when a code is not the stored one.
    pub verifier: std::sync::Arc<TicketVerifier>,
    pub public_keys: Vec<PublicKey>,
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = signing_keys)]
struct KeyRow {
    key_id: String,
    public_key: String,
    /// Empty for a key held outside the database.
    secret_key: String,
}

/// How a key held outside the database is written: `ed25519:<key id>:<base64 seed>`.
const KEY_TEXT_PREFIX: &str = "ed25519:";

/// The text of a key file (`marquee keygen`).
pub fn key_text(signer: &TicketSigner) -> String {
    format!(
        "{KEY_TEXT_PREFIX}{}:{}",
        signer.key_id(),
        BASE64.encode(&signer.seed())
    )
}

/// Reads a key given in the environment or a file. Errors never quote the text.
pub fn parse_key_text(text: &str) -> anyhow::Result<TicketSigner> {
    let malformed = || {
        anyhow::anyhow!(
            "MARQUEE_SIGNING_KEY is not a Marquee signing key (expected \
             ed25519:<key id>:<base64 seed>, as `marquee keygen` writes)"
        )
    };
    let rest = text
        .trim()
        .strip_prefix(KEY_TEXT_PREFIX)
        .ok_or_else(malformed)?;
    let (key_id, seed) = rest.split_once(':').ok_or_else(malformed)?;
    let seed = BASE64.decode(seed.as_bytes()).map_err(|_| malformed())?;
    TicketSigner::from_parts(key_id, &seed).ok_or_else(malformed)
}

/// `marquee keygen PATH`: writes a new key to a new file only its owner can read.
pub fn write_key_file(path: &str) -> anyhow::Result<TicketSigner> {
    use std::io::Write;
    let signer = TicketSigner::generate();
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options
        .open(path)
        .with_context(|| format!("cannot create {path} (it must not exist yet)"))?;
    writeln!(file, "{}", key_text(&signer))
        .and_then(|()| file.sync_all())
        .with_context(|| format!("cannot write {path}"))?;
    Ok(signer)
}

/// Loads the keys. With `external` (a key held outside the database), that key signs and its
/// public half is recorded; without, the oldest stored key signs, and the first start on an empty
/// database creates one.
///
/// Instances starting together on one empty database must agree on one key: the check and the
/// insert run in one write transaction (on PostgreSQL under a table lock).
pub fn load_or_create(
    conn: &mut AnyConnection,
    external: Option<TicketSigner>,
) -> anyhow::Result<KeyRing> {
    let rows = write_on(
        conn,
        Lang::default(),
        |tx| -> Result<Vec<KeyRow>, AppError> {
            let refused = |why: String| AppError::internal(anyhow::anyhow!(why));
            if let AnyConnection::Postgresql(pg) = &mut *tx.conn {
                pg.batch_execute("LOCK TABLE signing_keys IN SHARE ROW EXCLUSIVE MODE")?;
            }
            let rows = active_keys(tx.conn)?;
            match &external {
                Some(key) => match rows.iter().find(|row| row.key_id == key.key_id()) {
                    Some(row) if row.public_key != public_text(key) => {
                        return Err(refused(format!(
                            "MARQUEE_SIGNING_KEY has the id {} of a different stored key",
                            key.key_id()
                        )));
                    }
                    Some(_) => return Ok(rows),
                    None => {
                        insert_key(tx.conn, key, "")?;
                    }
                },
                None if rows.iter().any(|row| !row.secret_key.is_empty()) => return Ok(rows),
                None if rows.is_empty() => {
                    let key = TicketSigner::generate();
                    insert_key(tx.conn, &key, &BASE64.encode(&key.seed()))?;
                }
                None => {
                    return Err(refused(
                    "this database's signing key is kept outside it: give this instance the same \
                     MARQUEE_SIGNING_KEY_FILE (or MARQUEE_SIGNING_KEY) as the others"
                        .to_owned(),
                ));
                }
            }
            Ok(active_keys(tx.conn)?)
        },
    )
    .map_err(AppError::into_cause)?;

    let mut verifier = TicketVerifier::new();
    let mut public_keys = Vec::with_capacity(rows.len());
    let mut stored_signer = None;
    for row in &rows {
        let public = BASE64
            .decode(row.public_key.as_bytes())
            .ok()
            .and_then(|bytes| <[u8; 32]>::try_from(bytes).ok())
            .and_then(|bytes| ed25519_dalek::VerifyingKey::from_bytes(&bytes).ok())
            .with_context(|| format!("stored public key {} is malformed", row.key_id))?;
        verifier.add(&row.key_id, public);
        public_keys.push(PublicKey {
            key_id: row.key_id.clone(),
            algorithm: "Ed25519",
            public_key: row.public_key.clone(),
        });
        if stored_signer.is_none() && !row.secret_key.is_empty() {
            let seed = BASE64
                .decode(row.secret_key.as_bytes())
                .ok()
                .context("a stored signing key is not valid base64")?;
            let key = TicketSigner::from_parts(&row.key_id, &seed)
                .with_context(|| format!("stored signing key {} is malformed", row.key_id))?;
            if key.public_key() != public {
                bail!(
                    "stored signing key {} does not match its public key",
                    row.key_id
                );
            }
            stored_signer = Some(key);
        }
    }
    let signer = match external {
        Some(key) => key,
        None => stored_signer.context("no signing key could be loaded")?,
    };
    Ok(KeyRing {
        signer,
        verifier: std::sync::Arc::new(verifier),
        public_keys,
    })
}

fn public_text(key: &TicketSigner) -> String {
    BASE64.encode(key.public_key().as_bytes())
}

fn insert_key(conn: &mut AnyConnection, key: &TicketSigner, secret: &str) -> QueryResult<usize> {
    diesel::insert_into(signing_keys::table)
        .values((
            signing_keys::key_id.eq(key.key_id()),
            signing_keys::public_key.eq(public_text(key)),
            signing_keys::secret_key.eq(secret),
            signing_keys::created_at.eq(chrono::Utc::now().naive_utc()),
        ))
        .execute(conn)
}

fn active_keys(conn: &mut AnyConnection) -> QueryResult<Vec<KeyRow>> {
    signing_keys::table
        .filter(signing_keys::retired_at.is_null())
        .order((signing_keys::created_at.asc(), signing_keys::key_id.asc()))
        .select(KeyRow::as_select())
        .load(conn)
}
