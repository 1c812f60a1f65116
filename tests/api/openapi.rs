//! The OpenAPI document and Swagger UI are served by the binary itself. (`.ci/schemathesis` checks
//! the running service against the document.)

use serde_json::Value;

use crate::helpers::TestApp;

on_both_backends!(the_openapi_document_and_swagger_ui_are_served);

/// The document and the routes say the same: every `/api` route registered in `src/` is
/// documented with its method, every documented operation is registered, and every route
/// registered with a rate limit documents its 429.
#[test]
fn the_document_lists_exactly_the_registered_api_routes() {
    let document = serde_json::to_value(marquee::startup::openapi::document()).unwrap();
    let paths = document["paths"].as_object().unwrap();
    let registered: Vec<_> = crate::helpers::registered_routes()
        .into_iter()
        .filter(|r| r.path.starts_with("/api/v1/") || r.path.ends_with("z"))
        .collect();
    assert!(registered.len() > 50, "{registered:?}");
    for route in &registered {
        let operation = &paths[&route.path][route.method.to_lowercase()];
        assert!(
            operation.is_object(),
            "{} {} is registered but not documented",
            route.method,
            route.path
        );
        assert_eq!(
            operation["responses"]["429"].is_object(),
            route.limited,
            "{} {}: a 429 is documented exactly where a rate limit is registered",
            route.method,
            route.path
        );
    }
    for (path, item) in paths {
        for method in item.as_object().unwrap().keys() {
            assert!(
                registered
                    .iter()
                    .any(|r| &r.path == path && r.method.eq_ignore_ascii_case(method)),
                "{method} {path} is documented but not registered"
            );
        }
    }
}

async fn the_openapi_document_and_swagger_ui_are_served(app: TestApp) {
    let get = |path: &str| app.client.get(format!("{}{path}", app.address)).send();

    let response = get("/api/openapi.json").await.unwrap();
    assert_eq!(response.status(), 200);
    let document: Value = response.json().await.unwrap();
    assert_eq!(document["openapi"], "3.1.0");
    // Every reference points at a schema the document holds (a client generator, and
    // schemathesis, refuse the whole document otherwise).
    let mut refs = Vec::new();
    collect_refs(&document, &mut refs);
    assert!(!refs.is_empty());
    for reference in refs {
        let name = reference
            .strip_prefix("#/components/schemas/")
            .unwrap_or_else(|| panic!("an unexpected reference {reference}"));
        assert!(
            document["components"]["schemas"][name].is_object(),
            "{reference} is not in the document"
        );
    }
    let paths = document["paths"].as_object().unwrap();
    for (path, method) in [
        ("/api/v1/festivals", "post"),
        ("/api/v1/screenings/{id}/bookings", "post"),
        ("/api/v1/bookings/{id}", "delete"),
        ("/api/v1/scans", "post"),
        ("/api/v1/scans/{id}/annul", "post"),
        ("/api/v1/festivals/{id}/report", "get"),
        ("/api/v1/festivals/{id}/report/{table}", "get"),
        ("/api/v1/screenings/{id}/events", "get"),
        ("/readyz", "get"),
    ] {
        assert!(
            paths[path][method].is_object(),
            "{method} {path} is documented"
        );
    }
    // Errors are documented where they can happen: a booking can be sold out, a scan needs a
    // credential, a body can be invalid.
    let book = &paths["/api/v1/screenings/{id}/bookings"]["post"]["responses"];
    for status in ["201", "400", "404", "409", "413", "422", "429"] {
        assert!(book[status].is_object(), "booking documents {status}");
    }
    let scan = &paths["/api/v1/scans"]["post"];
    assert!(scan["responses"]["401"].is_object() && scan["responses"]["403"].is_object());
    assert_eq!(scan["security"][0]["bearer"], serde_json::json!([]));

    // Swagger UI, from assets inside the binary, with a policy that still forbids inline script.
    let response = get("/api/docs/").await.unwrap();
    assert_eq!(response.status(), 200);
    let policy = response.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(policy.contains("script-src 'self'") && !policy.contains("script-src 'self' 'unsafe"));
    let html = response.text().await.unwrap();
    assert!(html.contains("swagger-ui-bundle.js"), "{html}");
    let initializer = get("/api/docs/swagger-initializer.js").await.unwrap();
    assert_eq!(initializer.status(), 200);
    assert!(
        initializer
            .text()
            .await
            .unwrap()
            .contains("/api/openapi.json")
    );
    let bundle = get("/api/docs/swagger-ui-bundle.js").await.unwrap();
    assert_eq!(bundle.status(), 200);
    assert!(bundle.bytes().await.unwrap().len() > 100_000);
    // Elsewhere, inline styles stay forbidden too.
    let response = get("/").await.unwrap();
    let policy = response.headers()["content-security-policy"]
        .to_str()
        .unwrap();
    assert!(!policy.contains("unsafe-inline"), "{policy}");
}

/// Every `$ref` in a JSON document.
fn collect_refs(value: &Value, refs: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (key, inner) in map {
                match (key.as_str(), inner) {
                    ("$ref", Value::String(reference)) => refs.push(reference.clone()),
                    _ => collect_refs(inner, refs),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|item| collect_refs(item, refs)),
        _ => {}
    }
}
