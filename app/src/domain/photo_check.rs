//! The browser's quick look at a chosen file before uploading it. The server's photo
//! pipeline has the last word; this only spares the shopper an upload that must fail.

pub const PHOTO_MAX_BYTES: u64 = 15 * 1024 * 1024;

/// Naming the formats (rather than `image/*`) makes iOS hand over JPEG instead of HEIC.
pub const PHOTO_ACCEPT: &str = "image/jpeg,image/png,image/webp";

/// `Err(message key)` for a file that cannot be accepted. An empty type (some Android
/// pickers send none) is left to the server.
pub fn precheck_photo(mime: &str, size: u64) -> Result<(), &'static str> {
    let mime = mime.trim().to_ascii_lowercase();
    if size == 0 {
        return Err("photo.empty");
    }
    if size > PHOTO_MAX_BYTES {
        return Err("photo.too_large");
    }
    match mime.as_str() {
        "" | "image/jpeg" | "image/jpg" | "image/pjpeg" | "image/png" | "image/webp" => Ok(()),
        "image/heic" | "image/heif" | "image/heic-sequence" | "image/heif-sequence" => {
            Err("photo.heic")
        }
        other if other.starts_with("image/") => Err("photo.unsupported"),
        _ => Err("photo.not_image"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn photos_the_server_accepts_pass_the_quick_look() {
        for mime in ["image/jpeg", "IMAGE/PNG", "image/webp", ""] {
            assert_eq!(precheck_photo(mime, 1000), Ok(()), "{mime:?}");
        }
    }

    #[test]
    fn obvious_mistakes_are_caught_before_uploading() {
        assert_eq!(
            precheck_photo("application/pdf", 1000),
            Err("photo.not_image")
        );
        assert_eq!(precheck_photo("image/heic", 1000), Err("photo.heic"));
        assert_eq!(precheck_photo("image/gif", 1000), Err("photo.unsupported"));
        assert_eq!(precheck_photo("image/jpeg", 0), Err("photo.empty"));
        assert_eq!(
            precheck_photo("image/jpeg", PHOTO_MAX_BYTES + 1),
            Err("photo.too_large")
        );
        assert_eq!(precheck_photo("image/jpeg", PHOTO_MAX_BYTES), Ok(()));
    }
}
