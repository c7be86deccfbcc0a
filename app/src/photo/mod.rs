//! The shopper photo pipeline: recognise the format by content, refuse what we do not take,
//! check the declared size before any pixel is decoded, decode once under explicit limits,
//! shrink, turn upright, and encode fresh JPEGs that carry no metadata at all.

#[cfg(test)]
mod tests;

use fast_image_resize::{images::Image, FilterType, PixelType, ResizeAlg, ResizeOptions, Resizer};
use image::{
    codecs::{png::PngDecoder, webp::WebPDecoder},
    metadata::Orientation,
    DynamicImage, ImageDecoder, Limits, RgbImage,
};
use jpeg_decoder::{CodingProcess, PixelFormat};
use sha2::{Digest, Sha256};
use std::{
    io::Cursor,
    panic::{catch_unwind, AssertUnwindSafe},
};

const JPEG_QUALITY: u8 = 82;
/// The most any decoder may allocate for one photo, whatever `max_pixels` says.
const MAX_ALLOC_BYTES: u64 = 512 * 1024 * 1024;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhotoLimits {
    /// Size of the upload; default 15 MiB.
    pub max_bytes: usize,
    /// Declared width × height, checked before any pixel is decoded; default 50 MP.
    pub max_pixels: u64,
    /// Longest side of the display copy; default 1600. Smaller photos are never enlarged.
    pub display_max_side: u32,
    /// Longest side of the thumbnail; default 320.
    pub thumb_max_side: u32,
}

impl Default for PhotoLimits {
    fn default() -> Self {
        PhotoLimits {
            max_bytes: 15 * 1024 * 1024,
            max_pixels: 50_000_000,
            display_max_side: 1600,
            thumb_max_side: 320,
        }
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

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceFormat {
    Jpeg,
    Png,
    WebP,
}

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, thiserror::Error,
)]
pub enum PhotoError {
    #[error("the file is larger than allowed")]
    TooLarge,
    #[error("the image has more pixels than allowed")]
    TooManyPixels,
    #[error("HEIC/HEIF images are not accepted")]
    Heic,
    #[error("only JPEG, PNG and WebP images are accepted")]
    UnsupportedFormat,
    #[error("the image is damaged or incomplete")]
    Corrupt,
    #[error("the file is empty")]
    Empty,
}

impl PhotoError {
    pub fn message_key(self) -> &'static str {
        match self {
            PhotoError::TooLarge => "photo.too_large",
            PhotoError::TooManyPixels => "photo.too_many_pixels",
            PhotoError::Heic => "photo.heic",
            PhotoError::UnsupportedFormat => "photo.unsupported",
            PhotoError::Corrupt => "photo.corrupt",
            PhotoError::Empty => "photo.empty",
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
    let source_format = sniff(bytes)?;
    // Decoders are fuzzed but not proven: a panic in one is a bad file, not a dead server.
    let (display, thumbnail) =
        catch_unwind(AssertUnwindSafe(|| render(bytes, source_format, limits)))
            .unwrap_or(Err(PhotoError::Corrupt))?;
    let content_hash = format!("{:x}", Sha256::digest(bytes));
    Ok(ProcessedPhoto {
        display,
        thumbnail,
        source_format,
        content_hash,
    })
}

/// What a file is, by its first bytes: never by its name or the type the browser claims.
fn sniff(bytes: &[u8]) -> Result<SourceFormat, PhotoError> {
    match bytes {
        // Only the SOI marker is required: a JPEG damaged after it is for the decoder to judge.
        [0xFF, 0xD8, ..] => Ok(SourceFormat::Jpeg),
        [0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, ..] => Ok(SourceFormat::Png),
        [b'R', b'I', b'F', b'F', _, _, _, _, b'W', b'E', b'B', b'P', ..] => Ok(SourceFormat::WebP),
        // A PNG header chunk behind a mangled signature (a text-mode transfer, a flipped bit).
        [_, _, _, _, _, _, _, _, _, _, _, _, b'I', b'H', b'D', b'R', ..] => {
            Err(PhotoError::Corrupt)
        }
        _ if is_heif(bytes) => Err(PhotoError::Heic),
        _ => Err(PhotoError::UnsupportedFormat),
    }
}

const HEIF_BRANDS: [&[u8; 4]; 11] = [
    b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"hevm", b"hevs", b"mif1", b"msf1",
    b"mif2",
];
const AVIF_BRANDS: [&[u8; 4]; 2] = [b"avif", b"avis"];

/// An ISO-BMFF `ftyp` box naming a HEIF brand. AVIF shares the container and the generic
/// `mif1` brand, so an AVIF brand anywhere makes it "unsupported", not HEIC.
fn is_heif(bytes: &[u8]) -> bool {
    let [s0, s1, s2, s3, b'f', b't', b'y', b'p', ..] = *bytes else {
        return false;
    };
    let box_end = match u32::from_be_bytes([s0, s1, s2, s3]) {
        0 => usize::MAX, // size 0: the box runs to the end of the file
        size => usize::try_from(size).unwrap_or(usize::MAX),
    };
    let header = &bytes[..bytes.len().min(box_end).min(256)];
    // Major brand at 8..12, minor version at 12..16, compatible brands after.
    let brands: Vec<&[u8]> = header
        .get(8..12)
        .into_iter()
        .chain(header.get(16..).unwrap_or_default().chunks_exact(4))
        .collect();
    let any_of = |set: &[&[u8; 4]]| {
        brands
            .iter()
            .any(|brand| set.iter().any(|known| &known[..] == *brand))
    };
    !any_of(&AVIF_BRANDS) && any_of(&HEIF_BRANDS)
}

struct Decoded {
    pixels: RgbImage,
    orientation: Orientation,
}

fn render(
    bytes: &[u8],
    format: SourceFormat,
    limits: &PhotoLimits,
) -> Result<(EncodedImage, EncodedImage), PhotoError> {
    let decoded = match format {
        SourceFormat::Jpeg => decode_jpeg(bytes, limits)?,
        SourceFormat::Png => {
            let decoder = PngDecoder::with_limits(Cursor::new(bytes), image_limits(limits, None))
                .map_err(|_| PhotoError::Corrupt)?;
            decode_with_image(decoder, limits)?
        }
        // Animated WebP: the first frame is kept, as for any other still.
        SourceFormat::WebP => {
            let decoder = WebPDecoder::new(Cursor::new(bytes)).map_err(|_| PhotoError::Corrupt)?;
            decode_with_image(decoder, limits)?
        }
    };
    // Shrinking before turning upright is cheaper and gives the same size: only the longest side counts.
    let display = orient(
        shrink_to_fit(decoded.pixels, limits.display_max_side)?,
        decoded.orientation,
    );
    let display_jpeg = encode_jpeg(&display)?;
    // The thumbnail comes from the display copy, so the full-size pixels are already gone.
    let thumbnail = shrink_to_fit(display, limits.thumb_max_side)?;
    Ok((display_jpeg, encode_jpeg(&thumbnail)?))
}

fn check_pixels(width: u32, height: u32, limits: &PhotoLimits) -> Result<(), PhotoError> {
    if width == 0 || height == 0 {
        return Err(PhotoError::Corrupt);
    }
    if u64::from(width) * u64::from(height) > limits.max_pixels {
        return Err(PhotoError::TooManyPixels);
    }
    Ok(())
}

/// Enough for the declared pixels at 8 bytes each (RGBA, 16 bits per channel), capped.
fn alloc_budget(limits: &PhotoLimits) -> u64 {
    limits.max_pixels.saturating_mul(8).min(MAX_ALLOC_BYTES)
}

fn image_limits(limits: &PhotoLimits, dimensions: Option<(u32, u32)>) -> Limits {
    let mut image_limits = Limits::default();
    image_limits.max_image_width = dimensions.map(|(width, _)| width);
    image_limits.max_image_height = dimensions.map(|(_, height)| height);
    image_limits.max_alloc = Some(alloc_budget(limits));
    image_limits
}

/// JPEG goes through jpeg-decoder for its DCT-domain scaling: a 12 MP photo bound for a
/// 1600 px display copy is decoded straight to 2000 px, a quarter of the pixels.
fn decode_jpeg(bytes: &[u8], limits: &PhotoLimits) -> Result<Decoded, PhotoError> {
    let mut decoder = jpeg_decoder::Decoder::new(bytes);
    decoder
        .set_max_decoding_buffer_size(usize::try_from(alloc_budget(limits)).unwrap_or(usize::MAX));
    decoder.read_info().map_err(|_| PhotoError::Corrupt)?;
    let info = decoder.info().ok_or(PhotoError::Corrupt)?;
    let (width, height) = (u32::from(info.width), u32::from(info.height));
    check_pixels(width, height, limits)?;
    // Lossless JPEG (SOF3) is an archival format no phone writes; its 16-bit output would need its own path.
    if info.coding_process == CodingProcess::Lossless {
        return Err(PhotoError::Corrupt);
    }
    // `scale` settles for either side reaching its request, so only the longest side asks:
    // a 1x1000 strip must not come out 1x125.
    let (target_width, target_height) = fit_within(width, height, limits.display_max_side);
    let as_u16 = |side: u32| u16::try_from(side).unwrap_or(u16::MAX);
    let request = if width >= height {
        (as_u16(target_width), u16::MAX)
    } else {
        (u16::MAX, as_u16(target_height))
    };
    let (width, height) = decoder
        .scale(request.0, request.1)
        .map_err(|_| PhotoError::Corrupt)?;
    let raw = decoder.decode().map_err(|_| PhotoError::Corrupt)?;
    let orientation = decoder
        .exif_data()
        .and_then(Orientation::from_exif_chunk)
        .unwrap_or(Orientation::NoTransforms);
    let rgb = match info.pixel_format {
        PixelFormat::RGB24 => raw,
        PixelFormat::L8 => raw.iter().flat_map(|&luma| [luma; 3]).collect(),
        PixelFormat::CMYK32 => raw.chunks_exact(4).flat_map(cmyk_to_rgb).collect(),
        PixelFormat::L16 => return Err(PhotoError::Corrupt), // only lossless JPEG decodes to it
    };
    let pixels =
        RgbImage::from_raw(u32::from(width), u32::from(height), rgb).ok_or(PhotoError::Corrupt)?;
    Ok(Decoded {
        pixels,
        orientation,
    })
}

/// jpeg-decoder has already undone Adobe's inverted storage: 0 is no ink.
fn cmyk_to_rgb(cmyk: &[u8]) -> [u8; 3] {
    let ink = |channel: u8| 255 - u16::from(channel);
    let white = ink(cmyk[3]);
    [0, 1, 2].map(|i| (ink(cmyk[i]) * white / 255) as u8)
}

fn decode_with_image(
    mut decoder: impl ImageDecoder,
    limits: &PhotoLimits,
) -> Result<Decoded, PhotoError> {
    let (width, height) = decoder.dimensions();
    check_pixels(width, height, limits)?;
    // Set on the decoder itself: `DynamicImage::from_decoder` applies no limits of its own.
    decoder
        .set_limits(image_limits(limits, Some((width, height))))
        .map_err(|_| PhotoError::TooManyPixels)?;
    let orientation = decoder.orientation().unwrap_or(Orientation::NoTransforms);
    let image = DynamicImage::from_decoder(decoder).map_err(|_| PhotoError::Corrupt)?;
    Ok(Decoded {
        pixels: flatten_to_rgb8(image)?,
        orientation,
    })
}

/// 8-bit RGB from any depth and layout; transparent pixels land on white (a JPEG has no alpha).
fn flatten_to_rgb8(image: DynamicImage) -> Result<RgbImage, PhotoError> {
    if !image.color().has_alpha() {
        return Ok(image.into_rgb8());
    }
    let rgba = image.into_rgba8();
    let (width, height) = rgba.dimensions();
    let mut buffer = rgba.into_raw();
    // In place: pixel i moves from 4i to 3i, never overtaking what is still to be read.
    for i in 0..buffer.len() / 4 {
        let alpha = u16::from(buffer[4 * i + 3]);
        for channel in 0..3 {
            let colour = u16::from(buffer[4 * i + channel]);
            buffer[3 * i + channel] = ((colour * alpha + 255 * (255 - alpha) + 127) / 255) as u8;
        }
    }
    buffer.truncate(buffer.len() / 4 * 3);
    RgbImage::from_raw(width, height, buffer).ok_or(PhotoError::Corrupt)
}

/// The size that fits within `max_side` on the longest side, never larger than the source.
fn fit_within(width: u32, height: u32, max_side: u32) -> (u32, u32) {
    let longest = width.max(height);
    if longest <= max_side {
        return (width, height);
    }
    let scale = |side: u32| {
        ((u64::from(side) * u64::from(max_side) + u64::from(longest) / 2) / u64::from(longest))
            .max(1)
    };
    (scale(width) as u32, scale(height) as u32)
}

fn shrink_to_fit(source: RgbImage, max_side: u32) -> Result<RgbImage, PhotoError> {
    let (width, height) = fit_within(source.width(), source.height(), max_side);
    if (width, height) == source.dimensions() {
        return Ok(source);
    }
    let mut target = Image::new(width, height, PixelType::U8x3);
    // Catmull-Rom rather than Lanczos3: a JPEG is already shrunk in the DCT by then, and on
    // the reference photo's 2000 -> 1600 px step it took 7 ms where Lanczos3 took 13.
    let options = ResizeOptions::new().resize_alg(ResizeAlg::Convolution(FilterType::CatmullRom));
    Resizer::new()
        .resize(&source, &mut target, &options)
        .map_err(|_| PhotoError::Corrupt)?;
    RgbImage::from_raw(width, height, target.into_vec()).ok_or(PhotoError::Corrupt)
}

fn orient(image: RgbImage, orientation: Orientation) -> RgbImage {
    if orientation == Orientation::NoTransforms {
        return image;
    }
    let mut oriented = DynamicImage::ImageRgb8(image);
    oriented.apply_orientation(orientation);
    oriented.into_rgb8()
}

/// A fresh baseline JPEG whose only header is JFIF: no EXIF, GPS, XMP or ICC can survive.
/// JPEG stops at 65,535 px a side, which only a `display_max_side` above that could reach.
fn encode_jpeg(image: &RgbImage) -> Result<EncodedImage, PhotoError> {
    let side = |side: u32| u16::try_from(side).map_err(|_| PhotoError::TooManyPixels);
    let mut jpeg = Vec::new();
    jpeg_encoder::Encoder::new(&mut jpeg, JPEG_QUALITY)
        .encode(
            image.as_raw(),
            side(image.width())?,
            side(image.height())?,
            jpeg_encoder::ColorType::Rgb,
        )
        .map_err(|_| PhotoError::Corrupt)?;
    Ok(EncodedImage {
        jpeg,
        width: image.width(),
        height: image.height(),
    })
}
