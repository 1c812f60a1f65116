//! A pass holder's photo (optional): printed on the badge, shown at the door beside the holder's
//! name, on the holder's page, in their data export; erased with them.
//!
//! What is uploaded is never kept as it came: it is decoded (JPEG or PNG, within bounds that keep
//! a hostile file from taking the server's memory), reduced to at most [`SIDE`] pixels a side and
//! encoded again as a JPEG — which drops whatever the file carried besides the picture (a phone
//! photo's EXIF: where and when it was taken, the device).

use std::io::Cursor;

use chrono::NaiveDateTime;
use diesel::prelude::*;
use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits};

use crate::db::schema::{pass_photos, passes};
use crate::db::{AnyConnection, Tx};
use crate::domain::{InputError, PassId};
use crate::error::{AppError, Thing};

/// The largest photo file accepted.
pub const MAX_UPLOAD_BYTES: usize = 8 * 1024 * 1024;
/// The longest side of a photo as kept: enough for a badge's 3 cm and a door's screen.
pub const SIDE: u32 = 320;
/// The smallest side accepted: below it a face cannot be told.
const MIN_SIDE: u32 = 64;
/// The largest side decoded (a 48-megapixel phone's is 8,000).
const MAX_DECODED_SIDE: u32 = 8_000;
/// The most memory one decoding may take (8,000 × 8,000 RGBA is 256 MB).
const MAX_DECODE_BYTES: u64 = 256 * 1024 * 1024;
/// The quality of the JPEG kept.
const QUALITY: u8 = 85;

/// An uploaded photo, checked and made into the JPEG kept (see the module); a file that is not a
/// JPEG or PNG picture of a sensible size is refused, naming `photo`.
pub fn prepare(upload: &[u8]) -> Result<Vec<u8>, InputError> {
    let refused = |key| InputError::new("photo", crate::i18n::Msg::new(key));
    let mut reader = ImageReader::new(Cursor::new(upload))
        .with_guessed_format()
        .map_err(|_| refused("error-photo-format"))?;
    if !matches!(reader.format(), Some(ImageFormat::Jpeg | ImageFormat::Png)) {
        return Err(refused("error-photo-format"));
    }
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_DECODED_SIDE);
    limits.max_image_height = Some(MAX_DECODED_SIDE);
    limits.max_alloc = Some(MAX_DECODE_BYTES);
    reader.limits(limits);
    let too_large_or_unreadable = |e: image::ImageError| match e {
        image::ImageError::Limits(_) => refused("error-photo-too-large"),
        _ => refused("error-photo-format"),
    };
    let mut decoder = reader.into_decoder().map_err(too_large_or_unreadable)?;
    // A phone photo is stored sideways with a note of which way is up: turned upright here, as
    // the note goes with the rest of the file's metadata.
    let orientation = decoder.orientation().ok();
    let (width, height) = decoder.dimensions();
    if u64::from(width) * u64::from(height) * 4 > MAX_DECODE_BYTES {
        return Err(refused("error-photo-too-large"));
    }
    let mut picture = DynamicImage::from_decoder(decoder).map_err(too_large_or_unreadable)?;
    if let Some(orientation) = orientation {
        picture.apply_orientation(orientation);
    }
    if picture.width() < MIN_SIDE || picture.height() < MIN_SIDE {
        return Err(refused("error-photo-too-small"));
    }
    let kept = picture.thumbnail(SIDE, SIDE).into_rgb8();
    let mut jpeg = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, QUALITY)
        .encode_image(&kept)
        .map_err(|_| refused("error-photo-format"))?;
    Ok(jpeg)
}

/// Sets (or replaces) a pass's photo. A pass whose holder's data was erased takes none: there
/// is nobody left to show.
pub fn set(tx: &mut Tx<'_>, id: PassId, jpeg: &[u8], now: NaiveDateTime) -> Result<(), AppError> {
    let pass = id.to_string();
    let found = diesel::update(passes::table.find(&pass).filter(passes::email.ne("")))
        .set(passes::photo_at.eq(Some(now)))
        .execute(tx.conn)?;
    if found == 0 {
        return Err(AppError::not_found(Thing::Pass));
    }
    diesel::delete(pass_photos::table.find(&pass)).execute(tx.conn)?;
    diesel::insert_into(pass_photos::table)
        .values((
            pass_photos::pass_id.eq(&pass),
            pass_photos::jpeg.eq(jpeg),
            pass_photos::created_at.eq(now),
        ))
        .execute(tx.conn)?;
    Ok(())
}

/// Removes a pass's photo, if it has one (also when its holder's data is erased).
pub fn remove(conn: &mut AnyConnection, id: &str) -> Result<(), AppError> {
    diesel::delete(pass_photos::table.find(id)).execute(conn)?;
    diesel::update(passes::table.find(id))
        .set(passes::photo_at.eq(None::<NaiveDateTime>))
        .execute(conn)?;
    Ok(())
}

/// A pass's photo, as kept (`None`: it has none).
pub fn photo_of(conn: &mut AnyConnection, id: PassId) -> Result<Option<Vec<u8>>, AppError> {
    Ok(pass_photos::table
        .find(id.to_string())
        .select(pass_photos::jpeg)
        .first(conn)
        .optional()?)
}

/// A photo as a `data:` address, for a page or an export that carries it inline.
pub fn data_url(jpeg: &[u8]) -> String {
    format!(
        "data:image/jpeg;base64,{}",
        data_encoding::BASE64.encode(jpeg)
    )
}

#[cfg(test)]
mod tests {
    use image::{ImageBuffer, Rgb};

    use super::*;

    fn encoded(width: u32, height: u32, format: ImageFormat) -> Vec<u8> {
        let picture = ImageBuffer::from_fn(width, height, |x, y| {
            Rgb([(x % 256) as u8, (y % 256) as u8, 128])
        });
        let mut out = Cursor::new(Vec::new());
        picture.write_to(&mut out, format).unwrap();
        out.into_inner()
    }

    #[test]
    fn a_photo_is_kept_small_as_a_jpeg_whatever_it_came_as() {
        for format in [ImageFormat::Png, ImageFormat::Jpeg] {
            let kept = prepare(&encoded(1200, 800, format)).unwrap();
            let back = image::load_from_memory(&kept).unwrap();
            assert_eq!(
                image::guess_format(&kept).unwrap(),
                ImageFormat::Jpeg,
                "{format:?}"
            );
            assert_eq!((back.width(), back.height()), (320, 213), "{format:?}");
        }
    }

    #[test]
    fn what_is_not_a_sensible_photo_is_refused_by_name() {
        let key = |upload: &[u8]| prepare(upload).unwrap_err().message.key();
        assert_eq!(key(b"GIF89a not a photo"), "error-photo-format");
        assert_eq!(key(b""), "error-photo-format");
        assert_eq!(
            key(&encoded(40, 40, ImageFormat::Png)),
            "error-photo-too-small"
        );
        let mut cut = encoded(200, 200, ImageFormat::Png);
        cut.truncate(cut.len() / 2);
        assert_eq!(key(&cut), "error-photo-format");
        assert_eq!(
            key(&encoded(8_001, 64, ImageFormat::Png)),
            "error-photo-too-large"
        );
    }
}
