//! Server-side QR decoding, for door devices whose browser has no `BarcodeDetector`: the page
//! sends a camera frame and gets back the code it contains, if any.

use crate::error::AppError;

/// The largest camera frame accepted, in pixels per side.
const MAX_SIDE: u32 = 4096;

/// The text of the first QR code found in an image (PNG or JPEG), if any.
pub fn decode_qr(image: &[u8]) -> Result<Option<String>, AppError> {
    let not_an_image = || AppError::BadRequest(crate::msg!("error-not-an-image"));

    let mut reader = image::ImageReader::new(std::io::Cursor::new(image))
        .with_guessed_format()
        .map_err(|_| not_an_image())?;
    // A tiny file can declare a huge picture: bound what decoding may allocate.
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(64 * 1024 * 1024);
    reader.limits(limits);
    let image = reader.decode().map_err(|_| not_an_image())?.to_luma8();
    let mut prepared = rqrr::PreparedImage::prepare(image);
    Ok(prepared
        .detect_grids()
        .into_iter()
        .find_map(|grid| grid.decode().ok().map(|(_, text)| text)))
}
