//! Ticket codes verify with the published key alone, and their QR images decode to the code.

use data_encoding::BASE64;
use marquee::domain::ticket_code::TicketVerifier;
use serde_json::Value;

use crate::helpers::TestApp;

on_both_backends!(
    a_ticket_code_verifies_with_the_published_key_alone,
    the_served_qr_png_decodes_to_exactly_the_ticket_code,
    qr_images_are_private_to_the_holder_and_organisers,
);

async fn a_ticket_code_verifies_with_the_published_key_alone(app: TestApp) {
    let f = app.fixture().await;
    let (_, body) = app.book(&f.screening_id, 2, "a@example.org").await;
    let keys = app.get_json("/keys").await;
    let key = &keys[0];
    assert_eq!(key["algorithm"], "Ed25519");
    let public = BASE64
        .decode(key["public_key"].as_str().unwrap().as_bytes())
        .unwrap();
    let public = ed25519_dalek::VerifyingKey::from_bytes(&public.try_into().unwrap()).unwrap();
    let mut verifier = TicketVerifier::new();
    verifier.add(key["key_id"].as_str().unwrap(), public);

    for ticket in body["tickets"].as_array().unwrap() {
        let code = ticket["code"].as_str().unwrap();
        assert!(code.starts_with('1'), "format version first");
        assert_eq!(
            &code[1..5],
            key["key_id"].as_str().unwrap(),
            "then the key id"
        );
        let claims = verifier.verify(code).expect("a genuine code verifies");
        assert_eq!(claims.ticket.to_string(), ticket["id"].as_str().unwrap());
        assert_eq!(claims.screening.to_string(), f.screening_id);
    }
    // The secret key is served nowhere.
    let text = app.get("/keys").await.text().await.unwrap();
    assert!(!text.contains("secret"));
}

async fn the_served_qr_png_decodes_to_exactly_the_ticket_code(app: TestApp) {
    let f = app.fixture().await;
    let (_, body) = app.book(&f.screening_id, 1, "a@example.org").await;
    let ticket = &body["tickets"][0];
    let token = body["booking"]["manage_token"].as_str().unwrap();
    let response = app
        .client
        .get(ticket["qr_png"].as_str().unwrap())
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "image/png");
    let png = response.bytes().await.unwrap();
    let image = image::load_from_memory(&png).unwrap().to_luma8();
    let mut prepared = rqrr::PreparedImage::prepare(image);
    let grids = prepared.detect_grids();
    assert_eq!(grids.len(), 1);
    let (meta, content) = grids[0].decode().unwrap();
    assert_eq!(content, ticket["code"].as_str().unwrap());
    assert!(
        meta.version.0 <= 8,
        "version {} must stay small enough to scan",
        meta.version.0
    );

    // SVG too, with the token in the query (what the download links on the page use).
    let svg = app
        .client
        .get(format!(
            "{}?token={token}",
            ticket["qr_svg"].as_str().unwrap()
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(svg.status(), 200);
    assert_eq!(svg.headers()["content-type"], "image/svg+xml");
    assert!(svg.text().await.unwrap().contains("<svg"));
}

async fn qr_images_are_private_to_the_holder_and_organisers(app: TestApp) {
    let f = app.fixture().await;
    let (_, mine) = app.book(&f.screening_id, 1, "a@example.org").await;
    let (_, theirs) = app.book(&f.screening_id, 1, "b@example.org").await;
    let url = mine["tickets"][0]["qr_png"].as_str().unwrap();
    let status = |token: Option<String>| {
        let mut request = app.client.get(url);
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        async move { request.send().await.unwrap().status().as_u16() }
    };
    let theirs_token = theirs["booking"]["manage_token"]
        .as_str()
        .map(str::to_owned);
    assert_eq!(status(None).await, 401);
    assert_eq!(status(theirs_token).await, 404);
    assert_eq!(status(Some(app.door_token.clone())).await, 404);
    assert_eq!(status(Some(app.organiser_token.clone())).await, 200);
    let missing: Value = app
        .client
        .get(format!(
            "{}/tickets/{}/qr.png",
            app.api,
            uuid::Uuid::now_v7()
        ))
        .bearer_auth(&app.organiser_token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(missing["error"], "not_found");
}
