//! The tickets of a booking as a PDF, one ticket per page, for people who print.
//!
//! Text is real text in DejaVu Sans (embedded, subset to the glyphs used), which covers French and
//! Vietnamese ("Nguyễn Thị Lan", "Mưa đỏ"), so `pdftotext` reads names back and nothing falls back
//! to a box. The QR code is drawn as vector squares (one per dark module), so it prints sharp at
//! any size and decodes to exactly the ticket's code.

use std::sync::OnceLock;

use krilla::Document;
use krilla::geom::{PathBuilder, Point, Rect};
use krilla::page::PageSettings;
use krilla::paint::Fill;
use krilla::text::{Font, TextDirection};

use crate::error::AppError;
use crate::tickets::qr;

const FONT: &[u8] = include_bytes!("../../templates/fonts/DejaVuSans.ttf");

/// A5 portrait, in points.
const WIDTH: f32 = 420.0;
const HEIGHT: f32 = 595.0;
const MARGIN: f32 = 36.0;
/// The printed QR code's side, quiet zone included.
const QR_SIDE: f32 = 220.0;

fn font() -> Result<Font, AppError> {
    static FONT_CELL: OnceLock<Option<Font>> = OnceLock::new();
    FONT_CELL
        .get_or_init(|| Font::new(krilla::Data::from(FONT), 0))
        .clone()
        .ok_or_else(|| AppError::internal(anyhow::anyhow!("the embedded PDF font does not load")))
}

/// One page: the lines to print above the code, and the code.
pub struct TicketPage {
    /// The first line is printed large (the film), the others in body size.
    pub lines: Vec<String>,
    pub code: String,
    /// A band of colour across the top (a pass's category, told apart at a glance), as RGB.
    pub band: Option<(u8, u8, u8)>,
    /// A photo of the holder (a pass's badge), as a JPEG: printed above the lines.
    pub photo: Option<Vec<u8>>,
}

/// The printed photo's side, in points (about 3.5 cm).
const PHOTO_SIDE: f32 = 100.0;

/// The height of a page's band of colour.
const BAND: f32 = 28.0;

/// Draws a photo at the left margin, `top` points down, within a square of [`PHOTO_SIDE`] (its
/// proportions kept); the height it took.
fn draw_photo(
    surface: &mut krilla::surface::Surface<'_>,
    jpeg: &[u8],
    top: f32,
) -> Result<f32, AppError> {
    let image = krilla::image::Image::from_jpeg(krilla::Data::from(jpeg.to_vec()), true)
        .map_err(|e| AppError::internal(anyhow::anyhow!("a badge photo does not load: {e}")))?;
    let (width, height) = image.size();
    let scale = PHOTO_SIDE / width.max(height).max(1) as f32;
    let (w, h) = (width as f32 * scale, height as f32 * scale);
    let size = krilla::geom::Size::from_wh(w, h)
        .ok_or_else(|| AppError::internal(anyhow::anyhow!("a badge photo has no size")))?;
    surface.push_transform(&krilla::geom::Transform::from_translate(MARGIN, top));
    surface.draw_image(image, size);
    surface.pop();
    Ok(h)
}

/// The whole document.
pub fn tickets_pdf(title: &str, pages: &[TicketPage]) -> Result<Vec<u8>, AppError> {
    let font = font()?;
    let mut document = Document::new();
    document.set_metadata(krilla::metadata::Metadata::new().title(title.to_owned()));
    for ticket in pages {
        let settings = PageSettings::from_wh(WIDTH, HEIGHT)
            .ok_or_else(|| AppError::internal(anyhow::anyhow!("bad PDF page size")))?;
        let mut page = document.start_page_with(settings);
        let mut surface = page.surface();
        let mut y = MARGIN + 18.0;
        if let Some((r, g, b)) = ticket.band
            && let Some(band) = Rect::from_xywh(0.0, 0.0, WIDTH, BAND)
        {
            let mut path = PathBuilder::new();
            path.push_rect(band);
            if let Some(path) = path.finish() {
                surface.set_fill(Some(Fill {
                    paint: krilla::color::rgb::Color::new(r, g, b).into(),
                    ..Fill::default()
                }));
                surface.draw_path(&path);
                surface.set_fill(Some(Fill::default()));
            }
            y += BAND;
        }
        if let Some(jpeg) = &ticket.photo {
            // Above the lines, which then start below it.
            y += draw_photo(&mut surface, jpeg, y - 12.0)? + 6.0;
        }
        for (i, line) in ticket.lines.iter().enumerate() {
            let size = if i == 1 { 20.0 } else { 12.0 };
            surface.draw_text(
                Point::from_xy(MARGIN, y),
                font.clone(),
                size,
                line,
                false,
                TextDirection::Auto,
            );
            y += size * 1.5;
        }
        let symbol = qr::encode(&ticket.code)?;
        let modules = symbol.width();
        // Four modules of quiet zone on each side.
        let module = QR_SIDE / (modules + 8) as f32;
        let left = (WIDTH - QR_SIDE) / 2.0 + 4.0 * module;
        let top = (y + 12.0).max(HEIGHT - MARGIN - QR_SIDE) + 4.0 * module;
        let mut squares = PathBuilder::new();
        for (index, color) in symbol.to_colors().iter().enumerate() {
            if *color == qrcode::Color::Dark {
                let (row, column) = (index / modules, index % modules);
                if let Some(rect) = Rect::from_xywh(
                    left + column as f32 * module,
                    top + row as f32 * module,
                    module,
                    module,
                ) {
                    squares.push_rect(rect);
                }
            }
        }
        if let Some(path) = squares.finish() {
            surface.set_fill(Some(Fill::default()));
            surface.draw_path(&path);
        }
        surface.finish();
        page.finish();
    }
    document
        .finish()
        .map_err(|e| AppError::internal(anyhow::anyhow!("cannot write the PDF: {e:?}")))
}
