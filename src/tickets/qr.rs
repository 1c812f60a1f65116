//! QR images of ticket codes, rendered on request (never on the booking path).

use std::io::Cursor;

use qrcode::render::svg;
use qrcode::{EcLevel, QrCode};

use crate::error::AppError;

/// The QR symbol of a code (error correction M: readable from a phone, small enough to print).
pub fn encode(code: &str) -> Result<QrCode, AppError> {
    QrCode::with_error_correction_level(code.as_bytes(), EcLevel::M)
        .map_err(|e| AppError::internal(anyhow::anyhow!("cannot encode a QR code: {e}")))
}

/// An SVG image (scales without blur; used inline on ticket pages and for download).
pub fn svg(code: &str) -> Result<String, AppError> {
    Ok(encode(code)?
        .render::<svg::Color<'_>>()
        .min_dimensions(240, 240)
        .quiet_zone(true)
        .build())
}

/// A PNG image, for apps and printers that want a bitmap.
pub fn png(code: &str) -> Result<Vec<u8>, AppError> {
    let image = encode(code)?
        .render::<image::Luma<u8>>()
        .min_dimensions(360, 360)
        .quiet_zone(true)
        .build();
    let mut bytes = Cursor::new(Vec::new());
    image::DynamicImage::ImageLuma8(image)
        .write_to(&mut bytes, image::ImageFormat::Png)
        .map_err(|e| AppError::internal(anyhow::anyhow!("cannot write a PNG: {e}")))?;
    Ok(bytes.into_inner())
}
