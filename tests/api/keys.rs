//! The ticket-signing key can be kept outside the database (`marquee keygen`, then
//! `MARQUEE_SIGNING_KEY_FILE`): the database then holds only its public half, every instance given
//! the key signs and verifies alike, and one started without it refuses to start.

use marquee::config::{Secret, read_secret_file};
use serde_json::json;

use crate::helpers::{Backend, TestApp, spawn_app_with};

on_both_backends!(a_key_from_a_file_takes_over_signing_and_older_tickets_still_admit);

/// A new key file, as `marquee keygen` writes it, read back as `MARQUEE_SIGNING_KEY_FILE` would be.
fn key_file(dir: &tempfile::TempDir, name: &str) -> (Secret, String) {
    let path = dir.path().join(name).display().to_string();
    let signer = marquee::tickets::keys::write_key_file(&path).expect("keygen");
    let secret = read_secret_file("MARQUEE_SIGNING_KEY_FILE", &path).expect("a private key file");
    (secret, signer.key_id().to_owned())
}

fn key_id_of(code: &str) -> &str {
    &code[1..5]
}

async fn a_key_from_a_file_takes_over_signing_and_older_tickets_still_admit(app: TestApp) {
    let f = app.fixture().await;
    let screening = app.screening_starting_in(&f, 20, "Petite").await;
    let (_, old_code, _) = app.ticket(&screening).await;

    let dir = tempfile::tempdir().unwrap();
    let (key, key_id) = key_file(&dir, "signing.key");
    let text = key.expose().to_owned();
    let keyed = app
        .instance_with(|s| s.signing_key = Some(key))
        .expect("an instance with the key");
    let response = app
        .client
        .post(format!("{}/screenings/{}/bookings", keyed.api, screening))
        .json(&json!({"name": "Kim", "email": "kim@example.org", "country": "VN", "seats": 1}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
    let booked: serde_json::Value = response.json().await.unwrap();
    let new_code = booked["tickets"][0]["code"].as_str().unwrap().to_owned();
    assert_eq!(key_id_of(&new_code), key_id, "the file's key signs");
    assert_ne!(key_id_of(&old_code), key_id);

    // The database learnt only the public half.
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) AS n FROM signing_keys WHERE key_id = '{key_id}' AND secret_key = ''"
        )),
        1
    );
    let stored_secret = app.count(&format!(
        "SELECT COUNT(*) AS n FROM signing_keys WHERE secret_key LIKE '%{}%'",
        &text[text.rfind(':').unwrap() + 1..][..20]
    ));
    assert_eq!(stored_secret, 0, "the secret never reaches the database");

    // Both keys are published, and the keyed instance admits tickets signed by either.
    let keys: serde_json::Value = app
        .client
        .get(format!("{}/keys", keyed.api))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let ids: Vec<&str> = keys
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["key_id"].as_str().unwrap())
        .collect();
    assert!(ids.contains(&key_id.as_str()) && ids.contains(&key_id_of(&old_code)));
    for code in [&old_code, &new_code] {
        let answer = app.scan_via(&keyed.api, code, &screening).await;
        assert_eq!(answer["verdict"], "admitted", "{answer}");
    }
}

async fn keys_held_outside_the_database(backend: Backend) {
    let dir = tempfile::tempdir().unwrap();
    let (key, key_id) = key_file(&dir, "signing.key");
    let Some(app) = spawn_app_with(backend, |s| s.signing_key = Some(key.clone())).await else {
        return;
    };
    let f = app.fixture().await;
    let screening = app.screening_starting_in(&f, 20, "Petite").await;
    let (_, code, _) = app.ticket(&screening).await;
    assert_eq!(key_id_of(&code), key_id);
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM signing_keys WHERE secret_key <> ''"),
        0,
        "no secret key in the database"
    );

    // An instance without the key can't sign: it refuses to start, and says what to do.
    let error = app.instance_with(|_| {}).err().expect("refuses to start");
    assert!(
        format!("{error:#}").contains("MARQUEE_SIGNING_KEY_FILE"),
        "{error:#}"
    );
    // A key with a clashing id (same id, other key) is refused too.
    let mut forged = key.expose().to_owned();
    let at = forged.rfind(':').unwrap() + 1;
    forged.replace_range(at..at + 4, "AAAA");
    let error = app
        .instance_with(|s| s.signing_key = Some(Secret::new(forged)))
        .err()
        .expect("a different key with the same id is refused");
    assert!(format!("{error:#}").contains("different"), "{error:#}");

    // Given the same key, another instance admits the first one's ticket.
    let twin = app
        .instance_with(|s| s.signing_key = Some(key))
        .expect("an instance with the same key");
    let answer = app.scan_via(&twin.api, &code, &screening).await;
    assert_eq!(answer["verdict"], "admitted", "{answer}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_keys_held_outside_the_database() {
    keys_held_outside_the_database(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_keys_held_outside_the_database() {
    keys_held_outside_the_database(Backend::Postgres).await;
}
