//! `ApiJson<T>`: the JSON body extractor of the API. Unlike actix's `Json`, its errors name the
//! field at fault (`rooms[1].seats: invalid type: string "ten", expected i64`), because they come
//! from `serde_path_to_error`.

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::web::Bytes;
use actix_web::{FromRequest, HttpRequest};
use futures_util::future::LocalBoxFuture;
use serde::de::DeserializeOwned;

use crate::error::AppError;

///
/// Parsing errors are held back until the handler asks for the value, so that a caller without
/// the right credential gets 401/403 whatever the body, and learns nothing from its validation.
pub struct ApiJson<T>(Result<T, AppError>);

impl<T> ApiJson<T> {
    /// The parsed body, or the error that names what is wrong with it.
    pub fn into_inner(self) -> Result<T, AppError> {
        self.0
    }
}

fn is_json(req: &HttpRequest) -> bool {
    req.headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|mime| {
            let mime = mime.trim();
            mime.eq_ignore_ascii_case("application/json") || mime.ends_with("+json")
        })
}

/// Reads a JSON body into `T`, naming the field at fault on error.
pub fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, AppError> {
    let deserializer = &mut serde_json::Deserializer::from_slice(bytes);
    serde_path_to_error::deserialize(deserializer).map_err(|error| {
        let field = error.path().to_string();
        let inner = error.into_inner();
        if inner.is_syntax() || inner.is_eof() {
            AppError::BadRequest(crate::msg!("error-json-syntax", detail = inner.to_string()))
        } else if field == "." {
            AppError::BadRequest(crate::msg!("error-json-body", detail = inner.to_string()))
        } else {
            let message = crate::msg!(
                "error-json-field",
                field = &field,
                detail = inner.to_string()
            );
            AppError::invalid(field, message)
        }
    })
}

impl<T: DeserializeOwned + 'static> FromRequest for ApiJson<T> {
    type Error = AppError;
    type Future = LocalBoxFuture<'static, Result<ApiJson<T>, AppError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let json = is_json(req);
        let limit = req
            .app_data::<super::BodyLimit>()
            .map_or(super::MAX_BODY_BYTES, |l| l.0);
        let body = Bytes::from_request(req, payload);
        Box::pin(async move {
            if !json {
                return Ok(ApiJson(Err(AppError::BadRequest(crate::msg!(
                    "error-body-not-json"
                )))));
            }
            let bytes = body.await.map_err(|e| {
                if e.as_response_error().status_code()
                    == actix_web::http::StatusCode::PAYLOAD_TOO_LARGE
                {
                    AppError::PayloadTooLarge(crate::msg!("error-body-too-large", bytes = limit))
                } else {
                    AppError::BadRequest(crate::msg!(
                        "error-body-unreadable",
                        detail = e.to_string()
                    ))
                }
            });
            Ok(ApiJson(bytes.and_then(|bytes| parse(&bytes))))
        })
    }
}
