//! The shopper photo pipeline: sniff the format by content, refuse what we do not take,
//! check the declared size before decoding, decode once under explicit limits, resize,
//! apply the EXIF orientation, and encode fresh JPEGs that carry no metadata at all.

mod sniff;
#[cfg(test)]
mod tests;

use fast_image_resize::{images::Image, FilterType, PixelType, ResizeAlg, ResizeOptions, Resizer};
use image::{
    codecs::jpeg::JpegEncoder, metadata::Orientation, DynamicImage, ExtendedColorType, ImageDecoder, ImageReader, Limits, RgbImage,
};
use sha2::{Digest, Sha256};
use std::io::Cursor;

pub use sniff::SourceFormat;

const JPEG_QUALITY: u8 = 82;

#[derive(Debug, Clone)]
pub struct PhotoLimits {
    pub max_bytes: usize,
    /// Declared width × height; checked before any pixel is decoded.
    pub max_pixels: u64,
    pub display_max_side: u32,
    pub thumb_max_side: u32,
}

impl Default for PhotoLimits {
    fn default() -> Self {
        PhotoLimits { max_bytes: 15 * 1024 * 1024, max_pixels: 50_000_000, display_max_side: 1600, thumb_max_side: 320 }
    }
}

pub struct EncodedImage {
    pub jpeg: Vec<u8>,
    pub width: u32,
    pub height: u32,
}

pub struct ProcessedPhoto {
    pub display: EncodedImage,
    pub thumbnail: EncodedImage,
    pub source_format: SourceFormat,
    /// Hex SHA-256 of the bytes as uploaded.
    pub content_hash: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PhotoError {
    #[error("the file is empty")]
    Empty,
    #[error("the file is larger than allowed")]
    TooLarge,
    #[error("the image has more pixels than allowed")]
    TooManyPixels,
    #[error("HEIC/HEIF images are not supported")]
    Heic,
    #[error("only JPEG, PNG and WebP are accepted")]
    UnsupportedFormat,
    #[error("the image is damaged or incomplete")]
    Corrupt,
}

impl PhotoError {
    pub fn message_key(self) -> &'static str {
        match self {
            PhotoError::Empty => "photo.empty",
            PhotoError::TooLarge => "photo.too_large",
            PhotoError::TooManyPixels => "photo.too_many_pixels",
            PhotoError::Heic => "photo.heic",
            PhotoError::UnsupportedFormat => "photo.unsupported",
            PhotoError::Corrupt => "photo.corrupt",
        }
    }
}

pub fn process_photo(bytes: &[u8], limits: &PhotoLimits) -> Result<ProcessedPhoto, PhotoError> {
    if bytes.is_empty() {
        return Err(PhotoError::Empty);
    }
    if bytes.len() > limits.max_bytes {
        return Err(PhotoError::TooLarge);
    }
    let source_format = sniff::sniff(bytes)?;
    // A decoder bug must not take the server down: a panic is a corrupt file.
    let (display, thumbnail) = std::panic::catch_unwind(|| decode_and_resize(bytes, source_format, limits)).map_err(|_| PhotoError::Corrupt)??;
    Ok(ProcessedPhoto { display, thumbnail, source_format, content_hash: hex_sha256(bytes) })
}

fn hex_sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

fn decoder_limits(limits: &PhotoLimits, width: u32, height: u32) -> Limits {
    let mut decoder_limits = Limits::default();
    decoder_limits.max_image_width = Some(width);
    decoder_limits.max_image_height = Some(height);
    // RGBA at 16 bits per channel is the widest a decoder produces.
    decoder_limits.max_alloc = Some(limits.max_pixels.saturating_mul(8).min(512 * 1024 * 1024));
    decoder_limits
}

fn reader(bytes: &[u8], format: SourceFormat) -> ImageReader<Cursor<&[u8]>> {
    ImageReader::with_format(Cursor::new(bytes), format.image_format())
}

fn decode_and_resize(bytes: &[u8], format: SourceFormat, limits: &PhotoLimits) -> Result<(EncodedImage, EncodedImage), PhotoError> {
    let (width, height) = reader(bytes, format).into_dimensions().map_err(|_| PhotoError::Corrupt)?;
    if width == 0 || height == 0 {
        return Err(PhotoError::Corrupt);
    }
    if u64::from(width) * u64::from(height) > limits.max_pixels {
        return Err(PhotoError::TooManyPixels);
    }
    let mut decoder = reader(bytes, format).into_decoder().map_err(|_| PhotoError::Corrupt)?;
    // Set on the decoder itself: `from_decoder` does not apply the reader's default limits.
    decoder.set_limits(decoder_limits(limits, width, height)).map_err(|_| PhotoError::TooManyPixels)?;
    let orientation = decoder.orientation().unwrap_or(Orientation::NoTransforms);
    let decoded = DynamicImage::from_decoder(decoder).map_err(|_| PhotoError::Corrupt)?;
    let rgb = flatten_to_rgb(decoded);

    // Resize first, orient the small copy after: rotating 12 MP would cost a full copy.
    // The longest side is the same either way.
    let display = orient(resize_within(&rgb, limits.display_max_side)?, orientation);
    drop(rgb);
    let thumbnail = resize_within(&display, limits.thumb_max_side)?;
    Ok((encode_jpeg(&display)?, encode_jpeg(&thumbnail)?))
}

/// 8-bit RGB; transparent pixels become white (a JPEG has no alpha).
fn flatten_to_rgb(image: DynamicImage) -> RgbImage {
    if !image.color().has_alpha() {
        return image.into_rgb8();
    }
    let rgba = image.into_rgba8();
    let (width, height) = rgba.dimensions();
    let mut rgb = RgbImage::new(width, height);
    for (out, pixel) in rgb.pixels_mut().zip(rgba.pixels()) {
        let alpha = u16::from(pixel[3]);
        for channel in 0..3 {
            out[channel] = ((u16::from(pixel[channel]) * alpha + 255 * (255 - alpha)) / 255) as u8;
        }
    }
    rgb
}

/// Fits the image within `max_side` on its longest side, never enlarging.
fn resize_within(source: &RgbImage, max_side: u32) -> Result<RgbImage, PhotoError> {
    let (width, height) = source.dimensions();
    let longest = width.max(height);
    if longest <= max_side {
        return Ok(source.clone());
    }
    let scale = f64::from(max_side) / f64::from(longest);
    let target = |side: u32| ((f64::from(side) * scale).round() as u32).max(1);
    let (target_w, target_h) = (target(width), target(height));
    let mut destination = Image::new(target_w, target_h, PixelType::U8x3);
    let options = ResizeOptions::new().resize_alg(ResizeAlg::Convolution(FilterType::Lanczos3));
    Resizer::new().resize(source, &mut destination, &options).map_err(|_| PhotoError::Corrupt)?;
    RgbImage::from_raw(target_w, target_h, destination.into_vec()).ok_or(PhotoError::Corrupt)
}

fn orient(image: RgbImage, orientation: Orientation) -> RgbImage {
    if orientation == Orientation::NoTransforms {
        return image;
    }
    let mut dynamic = DynamicImage::ImageRgb8(image);
    dynamic.apply_orientation(orientation);
    dynamic.into_rgb8()
}

/// A fresh baseline JPEG: the encoder writes only JFIF, so no EXIF, GPS or XMP survives.
fn encode_jpeg(image: &RgbImage) -> Result<EncodedImage, PhotoError> {
    let mut jpeg = Vec::with_capacity(image.as_raw().len() / 8);
    JpegEncoder::new_with_quality(&mut jpeg, JPEG_QUALITY)
        .encode(image.as_raw(), image.width(), image.height(), ExtendedColorType::Rgb8)
        .map_err(|_| PhotoError::Corrupt)?;
    Ok(EncodedImage { jpeg, width: image.width(), height: image.height() })
}
