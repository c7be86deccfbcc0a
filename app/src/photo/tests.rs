//! The pipeline against every file of the shared test data, with an expected answer for each
//! derived from its folder and the manifest, plus the limits, orientation and stripping.

use super::*;
use image::RgbaImage;
use std::{
    cell::Cell,
    collections::{BTreeMap, BTreeSet},
    path::{Path, PathBuf},
    sync::Once,
};

fn testdata() -> PathBuf {
    std::env::var_os("RETOUR_TESTDATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/../../shared/testdata"
            ))
        })
}

fn read(relative: &str) -> Vec<u8> {
    let path = testdata().join("images").join(relative);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn process(relative: &str) -> Result<ProcessedPhoto, PhotoError> {
    process_photo(&read(relative), &PhotoLimits::default())
}

struct ManifestRow {
    /// e.g. `4000x3000; Xiaomi Mi 9T; Orient=6; ...`
    details: String,
    /// What `image` 0.25.10 made of the file, e.g. `OK Jpeg 4000x3000 Rgb8` or `ERR: ...`.
    image_crate: String,
}

/// Path under `images/` -> its row in MANIFEST.md.
fn manifest() -> BTreeMap<String, ManifestRow> {
    let text = std::fs::read_to_string(testdata().join("MANIFEST.md"))
        .expect("MANIFEST.md of the shared test data");
    text.lines()
        .filter_map(|line| {
            let cells: Vec<&str> = line.strip_prefix("| `")?.split(" | ").collect();
            let path = cells.first()?.strip_suffix('`')?.to_owned();
            let row = ManifestRow {
                details: cells.get(cells.len().checked_sub(2)?)?.to_string(),
                image_crate: cells.last()?.trim_end_matches(" |").to_owned(),
            };
            Some((path, row))
        })
        .collect()
}

fn files_under(dir: &Path, found: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("readable test data") {
        let path = entry.expect("readable entry").path();
        if path.is_dir() {
            files_under(&path, found);
        } else {
            found.push(path);
        }
    }
}

/// The upright size a viewer shows: the stored size, turned for EXIF orientations 5 to 8.
fn upright_size(details: &str) -> Option<(u32, u32)> {
    let (width, height) = details.split(';').next()?.trim().split_once('x')?;
    let (width, height) = (width.parse().ok()?, height.parse().ok()?);
    let turned = ["Orient=5", "Orient=6", "Orient=7", "Orient=8"]
        .iter()
        .any(|tag| details.contains(tag));
    Some(if turned {
        (height, width)
    } else {
        (width, height)
    })
}

/// Reference for the expected output size, written apart from `fit_within`.
fn expected_fit((width, height): (u32, u32), max_side: u32) -> (u32, u32) {
    let longest = f64::from(width.max(height));
    if longest <= f64::from(max_side) {
        return (width, height);
    }
    let scale =
        |side: u32| ((f64::from(side) * f64::from(max_side) / longest).round() as u32).max(1);
    (scale(width), scale(height))
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Expect {
    Ok,
    Refused(PhotoError),
    /// Damaged files of an accepted format: a lenient decoder may still make a picture of them.
    OkOrCorrupt,
}

fn expectation(path: &str, row: &ManifestRow) -> Expect {
    use PhotoError::*;
    let extension = path
        .rsplit_once('.')
        .map(|(_, ext)| ext.to_ascii_lowercase())
        .unwrap_or_default();
    let folder = path.split('/').next().unwrap_or_default();
    match (folder, extension.as_str()) {
        ("bombs", _) => Expect::Refused(TooManyPixels),
        (_, "heic" | "heif") => Expect::Refused(Heic),
        _ if path == "not_images/mislabelled_png_as.jpg" => Expect::Ok,
        ("not_images" | "other_formats", _) => Expect::Refused(UnsupportedFormat),
        (_, "avif" | "jxl" | "gif" | "bmp" | "tif" | "tiff" | "ico" | "tga") => {
            Expect::Refused(UnsupportedFormat)
        }
        ("pngsuite", "png") if path.starts_with("pngsuite/x") => Expect::Refused(Corrupt),
        ("pngsuite", "png") => Expect::Ok,
        ("pngsuite", _) => Expect::Refused(UnsupportedFormat), // the suite's licence and readme
        // Lossless JPEG (SOF3) is refused on purpose, see `decode_jpeg`.
        ("jpeg_variants", _) if path.contains("jpeg_lossless") => Expect::Refused(Corrupt),
        // Starts FF 00: no JPEG start-of-image marker, so not a JPEG by content.
        _ if path == "malformed/imagetestsuite_f012a4321f00f12af6b1eee7580ffb9c.jpg" => {
            Expect::Refused(UnsupportedFormat)
        }
        ("malformed", _) if row.image_crate.contains("Memory limit exceeded") => {
            Expect::Refused(TooManyPixels)
        }
        ("malformed", _) => Expect::OkOrCorrupt,
        _ => Expect::Ok,
    }
}

/// The markers of a JPEG's header segments, up to the first scan.
fn header_markers(jpeg: &[u8]) -> Vec<u8> {
    assert_eq!(jpeg.get(..2), Some(&[0xFF, 0xD8][..]), "starts with SOI");
    let mut markers = Vec::new();
    let mut at = 2;
    while let Some(&[0xFF, marker, high, low]) = jpeg.get(at..at + 4) {
        markers.push(marker);
        if marker == 0xDA {
            break;
        }
        at += 2 + usize::from(u16::from_be_bytes([high, low]));
    }
    assert_eq!(markers.last(), Some(&0xDA), "header segments end in a scan");
    markers
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack
        .windows(needle.len())
        .any(|window| window == needle)
}

/// No APP1..APP15 (EXIF, XMP, ICC, maker data) and no comment: APP0 (JFIF) is all we write.
fn assert_no_metadata(what: &str, jpeg: &[u8]) {
    let markers = header_markers(jpeg);
    assert!(
        !markers
            .iter()
            .any(|&m| (0xE1..=0xEF).contains(&m) || m == 0xFE),
        "{what}: metadata segment in {markers:x?}"
    );
    assert!(!contains(jpeg, b"Exif"), "{what}: 'Exif' in the output");
    assert!(!contains(jpeg, b"GPS"), "{what}: 'GPS' in the output");
}

fn decode(jpeg: &[u8]) -> RgbImage {
    image::load_from_memory_with_format(jpeg, image::ImageFormat::Jpeg)
        .expect("our own output decodes")
        .into_rgb8()
}

/// Mean absolute difference per channel, 0..=255, of two images of one size, once their
/// average brightness is matched (ianare's portrait_1 was exported brighter than 2..8).
fn mean_difference(a: &RgbImage, b: &RgbImage) -> f64 {
    assert_eq!(a.dimensions(), b.dimensions());
    let mean = |image: &RgbImage| {
        image.as_raw().iter().map(|&v| f64::from(v)).sum::<f64>() / image.as_raw().len() as f64
    };
    let offset = mean(a) - mean(b);
    let total: f64 = a
        .as_raw()
        .iter()
        .zip(b.as_raw())
        .map(|(&x, &y)| (f64::from(x) - f64::from(y) - offset).abs())
        .sum();
    total / a.as_raw().len() as f64
}

fn check_output(
    path: &str,
    photo: &ProcessedPhoto,
    upright: Option<(u32, u32)>,
) -> Result<(), String> {
    let display = (photo.display.width, photo.display.height);
    let thumbnail = (photo.thumbnail.width, photo.thumbnail.height);
    if let Some(upright) = upright {
        if display != expected_fit(upright, 1600) {
            return Err(format!(
                "{path}: display {display:?}, upright source {upright:?}"
            ));
        }
    }
    if display.0.max(display.1) > 1600 || thumbnail != expected_fit(display, 320) {
        return Err(format!(
            "{path}: display {display:?}, thumbnail {thumbnail:?}"
        ));
    }
    for (what, encoded) in [("display", &photo.display), ("thumbnail", &photo.thumbnail)] {
        assert_no_metadata(&format!("{path} {what}"), &encoded.jpeg);
        if decode(&encoded.jpeg).dimensions() != (encoded.width, encoded.height) {
            return Err(format!(
                "{path}: {what} JPEG is not {}x{}",
                encoded.width, encoded.height
            ));
        }
    }
    Ok(())
}

thread_local! {
    static PANICS: Cell<usize> = const { Cell::new(0) };
}

/// Panics so far on this thread. `process_photo` turns a decoder panic into `Corrupt`, so
/// the tests count them through a hook to be sure none hides there.
fn panics_so_far() -> usize {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            PANICS.with(|count| count.set(count.get() + 1));
            previous(info);
        }));
    });
    PANICS.with(Cell::get)
}

#[test]
fn every_file_of_the_test_data_gets_its_expected_answer_without_a_panic() {
    let panics_before = panics_so_far();
    let manifest = manifest();
    let root = testdata().join("images");
    let mut found = Vec::new();
    files_under(&root, &mut found);
    let on_disk: BTreeSet<String> = found
        .iter()
        .map(|path| {
            path.strip_prefix(&root)
                .expect("under root")
                .to_string_lossy()
                .replace('\\', "/")
        })
        .collect();
    let listed: BTreeSet<String> = manifest.keys().cloned().collect();
    assert_eq!(
        on_disk, listed,
        "the manifest lists exactly the files on disk"
    );

    let mut failures = Vec::new();
    let mut tally: BTreeMap<(String, String), usize> = BTreeMap::new();
    let mut unlike_image_crate = Vec::new();
    for (path, row) in &manifest {
        let expected = expectation(path, row);
        let outcome = process(path);
        let answer = match &outcome {
            Ok(_) => "ok".to_owned(),
            Err(e) => e.message_key().to_owned(),
        };
        let folder = path.split('/').next().unwrap_or_default().to_owned();
        *tally.entry((folder, answer.clone())).or_default() += 1;
        if expected == Expect::OkOrCorrupt && outcome.is_ok() != row.image_crate.starts_with("OK") {
            unlike_image_crate.push(format!(
                "{path}: {answer}, image crate: {}",
                row.image_crate
            ));
        }
        let checked = match (expected, outcome) {
            (Expect::Ok | Expect::OkOrCorrupt, Ok(photo)) => {
                check_output(path, &photo, upright_size(&row.details))
            }
            (Expect::Refused(want), Err(got)) if want == got => Ok(()),
            (Expect::OkOrCorrupt, Err(PhotoError::Corrupt)) => Ok(()),
            (expected, _) => Err(format!("{path}: expected {expected:?}, got {answer}")),
        };
        failures.extend(checked.err());
    }
    for ((folder, answer), count) in &tally {
        eprintln!("{folder:>15} {answer:<22} {count:>4}");
    }
    eprintln!(
        "damaged files answered unlike the image crate:\n{}",
        unlike_image_crate.join("\n")
    );
    assert!(
        failures.is_empty(),
        "{} of {} files:\n{}",
        failures.len(),
        manifest.len(),
        failures.join("\n")
    );
    assert_eq!(panics_so_far(), panics_before, "a decoder panicked");
}

#[test]
fn damaged_copies_of_good_photos_never_panic() {
    let panics_before = panics_so_far();
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut random = move |below: usize| {
        // xorshift64: fixed seed, so a failure replays.
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % below as u64) as usize
    };
    for path in [
        "camera_exif/Canon_40D.jpg",
        "jpeg_variants/imagers_progressive_cat.jpg",
        "pngsuite/basn6a16.png",
        "modern_formats/webp_gallery2_4_webp_a.webp",
    ] {
        let original = read(path);
        for _ in 0..100 {
            let mut damaged = original.clone();
            if random(2) == 0 {
                damaged.truncate(random(original.len()));
            } else {
                for _ in 0..=random(8) {
                    let at = random(damaged.len());
                    damaged[at] = random(256) as u8;
                }
            }
            // Any answer will do; what matters is that there is one.
            let _ = process_photo(&damaged, &PhotoLimits::default());
        }
    }
    assert_eq!(
        panics_so_far(),
        panics_before,
        "a decoder panicked on a damaged copy"
    );
}

const GPS_FILES: [&str; 10] = [
    "camera_exif/67-0_length_string.jpg",
    "camera_exif/DSCN0010.jpg",
    "camera_exif/DSCN0012.jpg",
    "camera_exif/DSCN0025.jpg",
    "camera_exif/DSCN0027.jpg",
    "camera_exif/DSCN0038.jpg",
    "camera_exif/DSCN0040.jpg",
    "camera_exif/Kodak_CX7530.jpg",
    "camera_exif/iphone_hdr_NO.jpg",
    "modern_formats/HMD_Nokia_8.3_5G.heif",
];

#[test]
fn photos_with_gps_come_out_with_no_metadata_at_all() {
    for path in GPS_FILES {
        let original = read(path);
        if path.ends_with(".heif") {
            assert_eq!(process(path).err(), Some(PhotoError::Heic));
            continue;
        }
        assert!(
            header_markers(&original).contains(&0xE1) && contains(&original, b"Exif"),
            "{path} has EXIF to strip"
        );
        let photo = process(path).unwrap_or_else(|e| panic!("{path}: {e:?}"));
        assert_no_metadata(&format!("{path} display"), &photo.display.jpeg);
        assert_no_metadata(&format!("{path} thumbnail"), &photo.thumbnail.jpeg);
    }
}

#[test]
fn a_large_photo_is_shrunk_to_the_display_and_thumbnail_sizes() {
    let photo = process("camera_exif/iphone_hdr_NO.jpg").expect("a phone photo");
    assert_eq!((photo.display.width, photo.display.height), (1600, 1200));
    assert_eq!((photo.thumbnail.width, photo.thumbnail.height), (320, 240));
}

#[test]
fn a_small_photo_is_never_enlarged() {
    let photo = process("camera_exif/Canon_40D.jpg").expect("a small camera photo");
    assert_eq!((photo.display.width, photo.display.height), (100, 68));
    assert_eq!((photo.thumbnail.width, photo.thumbnail.height), (100, 68));
}

#[test]
fn a_narrow_jpeg_keeps_its_full_length() {
    // DCT scaling must follow the longest side: this 1x1000 strip fits the display as it is.
    let photo =
        process("jpeg_variants/jpegdec_grayscale_long.jpg").expect("a valid grayscale JPEG");
    assert_eq!((photo.display.width, photo.display.height), (1, 1000));
}

const ORIENTATION_SETS: [(&str, std::ops::RangeInclusive<u8>, bool); 3] = [
    ("orientation/recurser_Landscape_", 0..=8, true),
    ("orientation/recurser_Portrait_", 0..=8, false),
    ("orientation/ianare_portrait_", 1..=8, false),
];

#[test]
fn every_orientation_example_comes_out_upright() {
    for (prefix, numbers, landscape) in ORIENTATION_SETS {
        for n in numbers {
            let path = format!("{prefix}{n}.jpg");
            let photo = process(&path).unwrap_or_else(|e| panic!("{path}: {e:?}"));
            for (what, image) in [("display", &photo.display), ("thumbnail", &photo.thumbnail)] {
                assert_eq!(
                    image.width > image.height,
                    landscape,
                    "{path} {what} is {}x{}",
                    image.width,
                    image.height
                );
            }
        }
    }
}

#[test]
fn turned_and_mirrored_versions_look_like_the_upright_picture() {
    for (prefix, numbers, _) in ORIENTATION_SETS {
        let upright = decode(
            &process(&format!("{prefix}1.jpg"))
                .expect("orientation 1")
                .thumbnail
                .jpeg,
        );
        let mut upside_down = DynamicImage::ImageRgb8(upright.clone());
        upside_down.apply_orientation(Orientation::Rotate180);
        // The yardstick: the same picture wrongly turned must differ well beyond the limit.
        assert!(
            mean_difference(&upright, &upside_down.into_rgb8()) > 30.0,
            "{prefix}: the check can tell"
        );
        for n in numbers {
            let path = format!("{prefix}{n}.jpg");
            let thumbnail = decode(
                &process(&path)
                    .unwrap_or_else(|e| panic!("{path}: {e:?}"))
                    .thumbnail
                    .jpeg,
            );
            let difference = mean_difference(&upright, &thumbnail);
            assert!(
                difference < 8.0,
                "{path} differs from orientation 1 by {difference:.1} per channel"
            );
        }
    }
}

#[test]
fn cmyk_and_ycck_jpegs_keep_their_colours() {
    for path in [
        "jpeg_variants/jpegdec_ycck.jpg",
        "jpeg_variants/mozilla_jpg-cmyk-2.jpg",
    ] {
        let thumbnail = decode(&process(path).expect("a CMYK JPEG").thumbnail.jpeg);
        let (width, height) = thumbnail.dimensions();
        let reference = image::load_from_memory(&read(path))
            .expect("image decodes it")
            .into_rgb8();
        let reference = image::imageops::resize(
            &reference,
            width,
            height,
            image::imageops::FilterType::Lanczos3,
        );
        let difference = mean_difference(&reference, &thumbnail);
        assert!(
            difference < 8.0,
            "{path} differs from the image crate's colours by {difference:.1}"
        );
    }
}

#[test]
fn transparent_pixels_are_flattened_onto_white() {
    let mut png = Vec::new();
    RgbaImage::from_pixel(40, 30, image::Rgba([200, 0, 0, 0]))
        .write_to(&mut Cursor::new(&mut png), image::ImageFormat::Png)
        .expect("encodes");
    let photo = process_photo(&png, &PhotoLimits::default()).expect("a transparent PNG");
    assert!(
        decode(&photo.display.jpeg)
            .pixels()
            .all(|p| p.0.iter().all(|&c| c >= 250)),
        "white, not red or black"
    );
}

#[test]
fn sixteen_bit_and_grayscale_pngs_become_8_bit_rgb_jpegs() {
    for path in [
        "pngsuite/basn0g16.png",
        "pngsuite/basn6a16.png",
        "pngsuite/basn0g01.png",
        "not_images/mislabelled_png_as.jpg",
    ] {
        let photo = process(path).unwrap_or_else(|e| panic!("{path}: {e:?}"));
        let output = image::load_from_memory(&photo.display.jpeg).expect("decodes");
        assert_eq!(output.color(), image::ColorType::Rgb8, "{path}");
        assert_eq!(photo.source_format, SourceFormat::Png, "{path}");
    }
}

#[test]
fn a_pdf_renamed_jpg_is_refused_as_unsupported() {
    assert_eq!(
        process("not_images/notimage_pdf_renamed.jpg").err(),
        Some(PhotoError::UnsupportedFormat)
    );
}

#[test]
fn a_png_named_jpg_is_taken_as_the_png_it_is() {
    let photo = process("not_images/mislabelled_png_as.jpg").expect("a real PNG");
    assert_eq!(
        (
            photo.source_format,
            photo.display.width,
            photo.display.height
        ),
        (SourceFormat::Png, 48, 32)
    );
}

fn ftyp(major: &[u8; 4], compatible: &[&[u8; 4]]) -> Vec<u8> {
    let size = 16 + 4 * compatible.len() as u32;
    let mut bytes = size.to_be_bytes().to_vec();
    bytes.extend_from_slice(b"ftyp");
    bytes.extend_from_slice(major);
    bytes.extend_from_slice(&[0; 4]);
    compatible
        .iter()
        .for_each(|brand| bytes.extend_from_slice(*brand));
    bytes
}

#[test]
fn heic_is_told_apart_from_avif_and_other_iso_media() {
    assert_eq!(
        sniff(&ftyp(b"heic", &[b"mif1", b"heic"])),
        Err(PhotoError::Heic)
    );
    assert_eq!(sniff(&ftyp(b"mif1", &[b"heic"])), Err(PhotoError::Heic));
    assert_eq!(sniff(&ftyp(b"msf1", &[b"hevc"])), Err(PhotoError::Heic));
    assert_eq!(
        sniff(&ftyp(b"avif", &[b"mif1", b"avif"])),
        Err(PhotoError::UnsupportedFormat)
    );
    assert_eq!(
        sniff(&ftyp(b"mif1", &[b"avis"])),
        Err(PhotoError::UnsupportedFormat)
    );
    assert_eq!(
        sniff(&ftyp(b"isom", &[b"mp41"])),
        Err(PhotoError::UnsupportedFormat)
    );
}

#[test]
fn the_first_bytes_of_an_iphone_heic_are_enough_to_call_it_heic() {
    let heic = read("modern_formats/iphone_13_pro_max.HEIC");
    assert_eq!(
        process_photo(&heic[..40], &PhotoLimits::default()).err(),
        Some(PhotoError::Heic)
    );
}

#[test]
fn an_empty_upload_is_refused_as_empty() {
    assert_eq!(
        process_photo(&[], &PhotoLimits::default()).err(),
        Some(PhotoError::Empty)
    );
}

#[test]
fn a_file_over_the_byte_limit_is_refused_as_too_large() {
    let bytes = read("camera_exif/Canon_40D.jpg");
    let limits = |max_bytes| PhotoLimits {
        max_bytes,
        ..PhotoLimits::default()
    };
    assert_eq!(
        process_photo(&bytes, &limits(bytes.len() - 1)).err(),
        Some(PhotoError::TooLarge)
    );
    assert!(process_photo(&bytes, &limits(bytes.len())).is_ok());
}

#[test]
fn a_photo_over_a_tiny_pixel_limit_is_refused_as_too_many_pixels() {
    let limits = |max_pixels| PhotoLimits {
        max_pixels,
        ..PhotoLimits::default()
    };
    for (path, pixels) in [
        ("camera_exif/Canon_40D.jpg", 100 * 68),
        ("pngsuite/basn2c08.png", 32 * 32),
        ("modern_formats/webp_gallery1_1.webp", 550 * 368),
    ] {
        let bytes = read(path);
        assert_eq!(
            process_photo(&bytes, &limits(pixels - 1)).err(),
            Some(PhotoError::TooManyPixels),
            "{path}"
        );
        assert!(process_photo(&bytes, &limits(pixels)).is_ok(), "{path}");
    }
}

#[test]
fn decompression_bombs_are_refused_from_their_header() {
    for path in [
        "bombs/bomb_jpeg_65500x65500_sof_patched.jpg",
        "bombs/bomb_png_30000x30000_gray1_valid.png",
        "bombs/bomb_png_50000x50000_rgb8_headeronly.png",
    ] {
        let started = std::time::Instant::now();
        assert_eq!(
            process(path).err(),
            Some(PhotoError::TooManyPixels),
            "{path}"
        );
        assert!(
            started.elapsed() < std::time::Duration::from_millis(200),
            "{path} was refused before decoding"
        );
    }
}

#[test]
fn the_content_hash_is_the_sha256_of_the_upload_as_sent() {
    // The manifest records the first 16 hex digits of each file's SHA-256.
    let photo = process("camera_exif/Canon_40D.jpg").expect("a small camera photo");
    assert_eq!(photo.content_hash.len(), 64);
    assert!(
        photo.content_hash.starts_with("6bfdabd4fc33d112"),
        "{}",
        photo.content_hash
    );
}

#[test]
fn every_error_has_its_own_message_key() {
    use PhotoError::*;
    let keys: BTreeSet<&str> = [
        TooLarge,
        TooManyPixels,
        Heic,
        UnsupportedFormat,
        Corrupt,
        Empty,
    ]
    .into_iter()
    .map(PhotoError::message_key)
    .collect();
    assert_eq!(keys.len(), 6);
    assert!(keys.iter().all(|key| key.starts_with("photo.")));
}
