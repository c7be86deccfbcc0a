//! What a file is, by its first bytes: never by its name or the type the browser claims.

use super::PhotoError;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceFormat {
    Jpeg,
    Png,
    WebP,
}

impl SourceFormat {
    pub fn image_format(self) -> image::ImageFormat {
        match self {
            SourceFormat::Jpeg => image::ImageFormat::Jpeg,
            SourceFormat::Png => image::ImageFormat::Png,
            SourceFormat::WebP => image::ImageFormat::WebP,
        }
    }
}

const HEIF_BRANDS: &[&[u8; 4]] = &[b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"hevm", b"hevs"];
const AVIF_BRANDS: &[&[u8; 4]] = &[b"avif", b"avis"];
/// Generic HEIF container brands: HEIC unless the file also says it is AVIF.
const CONTAINER_BRANDS: &[&[u8; 4]] = &[b"mif1", b"msf1"];

pub fn sniff(bytes: &[u8]) -> Result<SourceFormat, PhotoError> {
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return Ok(SourceFormat::Jpeg);
    }
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Ok(SourceFormat::Png);
    }
    if bytes.len() >= 12 && &bytes[0..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        return Ok(SourceFormat::WebP);
    }
    if is_heif(bytes) {
        return Err(PhotoError::Heic);
    }
    Err(PhotoError::UnsupportedFormat)
}

/// An ISO-BMFF `ftyp` box whose brands name HEIC/HEIF (AVIF shares the container).
fn is_heif(bytes: &[u8]) -> bool {
    if bytes.len() < 16 || &bytes[4..8] != b"ftyp" {
        return false;
    }
    let box_size = u32::from_be_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]) as usize;
    let end = box_size.clamp(16, bytes.len().min(256));
    let major = &bytes[8..12];
    let compatible: Vec<&[u8]> = bytes[16..end].chunks_exact(4).collect();
    let names = |brands: &[&[u8; 4]], brand: &[u8]| brands.iter().any(|b| &b[..] == brand);
    if names(AVIF_BRANDS, major) || compatible.iter().any(|b| names(AVIF_BRANDS, b)) {
        return false;
    }
    names(HEIF_BRANDS, major) || names(CONTAINER_BRANDS, major) || compatible.iter().any(|b| names(HEIF_BRANDS, b))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ftyp(major: &[u8; 4], compatible: &[&[u8; 4]]) -> Vec<u8> {
        let size = 16 + 4 * compatible.len();
        let mut bytes = (size as u32).to_be_bytes().to_vec();
        bytes.extend_from_slice(b"ftyp");
        bytes.extend_from_slice(major);
        bytes.extend_from_slice(&[0, 0, 0, 0]);
        for brand in compatible {
            bytes.extend_from_slice(*brand);
        }
        bytes
    }

    #[test]
    fn heic_is_told_apart_from_avif() {
        assert_eq!(sniff(&ftyp(b"heic", &[b"mif1", b"heic"])), Err(PhotoError::Heic));
        assert_eq!(sniff(&ftyp(b"mif1", &[b"heic"])), Err(PhotoError::Heic));
        assert_eq!(sniff(&ftyp(b"avif", &[b"mif1", b"avif"])), Err(PhotoError::UnsupportedFormat));
        assert_eq!(sniff(&ftyp(b"mif1", &[b"avif"])), Err(PhotoError::UnsupportedFormat));
        assert_eq!(sniff(&ftyp(b"isom", &[b"mp41"])), Err(PhotoError::UnsupportedFormat));
    }

    #[test]
    fn magic_bytes_decide_not_names() {
        assert_eq!(sniff(&[0xFF, 0xD8, 0xFF, 0xE0]), Ok(SourceFormat::Jpeg));
        assert_eq!(sniff(&[0xFF]), Err(PhotoError::UnsupportedFormat));
        assert_eq!(sniff(b"%PDF-1.7"), Err(PhotoError::UnsupportedFormat));
        assert_eq!(sniff(b"RIFF\0\0\0\0WEBPVP8 "), Ok(SourceFormat::WebP));
    }
}
