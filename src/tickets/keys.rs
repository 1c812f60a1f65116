//! The ticket-signing keys: generated on first start, stored in the database (so every instance
//! on one database signs and verifies alike), loaded at start.
//!
//! The secret seed is read here and nowhere else; it is never logged and no route serves it.
//! `/api/v1/keys` serves the public keys so a door device can verify codes offline.

use anyhow::Context;
use data_encoding::BASE64;
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use serde::Serialize;

use crate::db::schema::signing_keys;
use crate::db::{AnyConnection, write_transaction};
use crate::domain::ticket_code::{TicketSigner, TicketVerifier};

/// A public key as served to door devices.
#[derive(Debug, Clone, Serialize)]
pub struct PublicKey {
    pub key_id: String,
    pub algorithm: &'static str,
    /// The 32-byte Ed25519 public key, base64.
    pub public_key: String,
}

/// The active signing key and every key still trusted for verification.
pub struct KeyRing {
    pub signer: TicketSigner,
    pub verifier: TicketVerifier,
    pub public_keys: Vec<PublicKey>,
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = signing_keys)]
struct KeyRow {
    key_id: String,
    secret_key: String,
}

/// Loads the keys, creating the first one if there is none.
///
/// Instances starting together on one empty database must agree on one key: the check and the
/// insert run in one write transaction (on PostgreSQL under a table lock), and the oldest
/// unretired key signs.
pub fn load_or_create(conn: &mut AnyConnection) -> anyhow::Result<KeyRing> {
    let rows = write_transaction(conn, |conn| -> anyhow::Result<Vec<KeyRow>> {
        if let AnyConnection::Postgresql(pg) = conn {
            pg.batch_execute("LOCK TABLE signing_keys IN SHARE ROW EXCLUSIVE MODE")?;
        }
        let mut rows = active_keys(conn)?;
        if rows.is_empty() {
            let signer = TicketSigner::generate();
            diesel::insert_into(signing_keys::table)
                .values((
                    signing_keys::key_id.eq(signer.key_id()),
                    signing_keys::public_key.eq(BASE64.encode(signer.public_key().as_bytes())),
                    signing_keys::secret_key.eq(BASE64.encode(&signer.seed())),
                    signing_keys::created_at.eq(chrono::Utc::now().naive_utc()),
                ))
                .execute(conn)?;
            rows = active_keys(conn)?;
        }
        Ok(rows)
    })?;

    let mut verifier = TicketVerifier::new();
    let mut public_keys = Vec::with_capacity(rows.len());
    let mut signer = None;
    for row in rows {
        let seed = BASE64
            .decode(row.secret_key.as_bytes())
            .ok()
            .context("a stored signing key is not valid base64")?;
        let key = TicketSigner::from_parts(&row.key_id, &seed)
            .with_context(|| format!("stored signing key {} is malformed", row.key_id))?;
        verifier.add(key.key_id(), key.public_key());
        public_keys.push(PublicKey {
            key_id: key.key_id().to_owned(),
            algorithm: "Ed25519",
            public_key: BASE64.encode(key.public_key().as_bytes()),
        });
        signer.get_or_insert(key);
    }
    Ok(KeyRing {
        signer: signer.context("no signing key could be loaded")?,
        verifier,
        public_keys,
    })
}

fn active_keys(conn: &mut AnyConnection) -> QueryResult<Vec<KeyRow>> {
    signing_keys::table
        .filter(signing_keys::retired_at.is_null())
        .order((signing_keys::created_at.asc(), signing_keys::key_id.asc()))
        .select(KeyRow::as_select())
        .load(conn)
}
