//! The pipeline over every file of the shared test data, with the expectation for each
//! derived from its folder and from what the manifest recorded.

use super::*;
use std::{collections::BTreeMap, path::PathBuf};

fn testdata() -> PathBuf {
    std::env::var("RETOUR_TESTDATA")
        .map(PathBuf::from)
        .unwrap_or_else(|_| PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/testdata")))
}

/// path -> the manifest's "image 0.25.10" column (e.g. `OK Jpeg 1200x1800 Rgb8`, `ERR: …`).
fn manifest() -> BTreeMap<String, String> {
    let text = std::fs::read_to_string(testdata().join("MANIFEST.md")).expect("the shared test data's MANIFEST.md");
    text.lines()
        .filter(|line| line.starts_with("| `"))
        .filter_map(|line| {
            let cells: Vec<&str> = line.split(" | ").collect();
            let path = cells.first()?.trim_start_matches("| `").trim_end_matches('`').to_owned();
            let outcome = cells.last()?.trim_end_matches(" |").trim().to_owned();
            Some((path, outcome))
        })
        .collect()
}

#[derive(Debug, PartialEq)]
enum Expect {
    Ok,
    Err(&'static [PhotoError]),
    OkOrErr,
}

const UNDECODABLE: &[PhotoError] = &[PhotoError::Corrupt, PhotoError::UnsupportedFormat];

fn expectation(path: &str, manifest_outcome: &str) -> Expect {
    let lower = path.to_lowercase();
    let extension = lower.rsplit('.').next().unwrap_or("");
    let decodes = manifest_outcome.starts_with("OK");
    match () {
        _ if path.starts_with("bombs/") || manifest_outcome.contains("Memory limit exceeded") => Expect::Err(&[PhotoError::TooManyPixels]),
        _ if extension == "heic" || extension == "heif" => Expect::Err(&[PhotoError::Heic]),
        _ if path == "not_images/mislabelled_png_as.jpg" => Expect::Ok,
        _ if path.starts_with("not_images/") => Expect::Err(&[PhotoError::UnsupportedFormat]),
        _ if path.starts_with("other_formats/") || matches!(extension, "avif" | "jxl" | "gif" | "bmp" | "tif" | "tiff" | "ico" | "tga") => {
            Expect::Err(&[PhotoError::UnsupportedFormat])
        }
        _ if path.starts_with("pngsuite/x") => Expect::Err(UNDECODABLE),
        // Lenient decoders fill in damaged files; either answer is fine, a panic is not.
        _ if path.starts_with("malformed/") && decodes => Expect::OkOrErr,
        _ if path.starts_with("malformed/") => Expect::Err(UNDECODABLE),
        _ if decodes => Expect::Ok,
        _ => Expect::Err(UNDECODABLE),
    }
}

fn has_metadata_segment(jpeg: &[u8]) -> bool {
    // Walk the markers up to the first scan: only APP0 (JFIF) is allowed.
    let mut i = 2;
    while i + 4 <= jpeg.len() && jpeg[i] == 0xFF {
        let marker = jpeg[i + 1];
        if marker == 0xDA {
            return false;
        }
        if (0xE1..=0xEF).contains(&marker) || marker == 0xFE {
            return true;
        }
        i += 2 + usize::from(u16::from_be_bytes([jpeg[i + 2], jpeg[i + 3]]));
    }
    false
}

fn decode(jpeg: &[u8]) -> RgbImage {
    image::load_from_memory(jpeg).expect("our own output decodes").into_rgb8()
}

#[test]
fn every_file_of_the_test_data_gets_the_expected_answer_and_nothing_panics() {
    let manifest = manifest();
    assert!(manifest.len() > 300, "manifest parsed: {} rows", manifest.len());
    let limits = PhotoLimits::default();
    let mut failures = Vec::new();
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for (path, outcome) in &manifest {
        let bytes = std::fs::read(testdata().join("images").join(path)).unwrap_or_else(|e| panic!("{path}: {e}"));
        let result = process_photo(&bytes, &limits);
        let expected = expectation(path, outcome);
        *counts.entry(path.split('/').next().unwrap_or("").to_owned()).or_default() += 1;
        let fine = match (&expected, &result) {
            (Expect::Ok, Ok(_)) | (Expect::OkOrErr, Ok(_)) => true,
            (Expect::Err(allowed), Err(error)) => allowed.contains(error),
            (Expect::OkOrErr, Err(error)) => UNDECODABLE.contains(error),
            _ => false,
        };
        if !fine {
            failures.push(format!("{path}: expected {expected:?}, got {:?} (manifest: {outcome})", result.as_ref().map(|_| "Ok")));
        }
        if let Ok(photo) = result {
            for copy in [&photo.display, &photo.thumbnail] {
                assert!(!has_metadata_segment(&copy.jpeg), "{path}: metadata left in the output");
            }
            assert!(photo.display.width.max(photo.display.height) <= limits.display_max_side, "{path}");
            assert!(photo.thumbnail.width.max(photo.thumbnail.height) <= limits.thumb_max_side, "{path}");
        }
    }
    assert!(failures.is_empty(), "{} unexpected outcomes:\n{}", failures.len(), failures.join("\n"));
    println!("checked per folder: {counts:?}");
}

#[test]
fn every_orientation_example_comes_out_upright() {
    let dir = testdata().join("images/orientation");
    let mut checked = 0;
    for entry in std::fs::read_dir(&dir).expect("orientation examples") {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().to_lowercase();
        let photo = process_photo(&std::fs::read(&path).unwrap(), &PhotoLimits::default()).unwrap_or_else(|e| panic!("{name}: {e}"));
        let (w, h) = (photo.display.width, photo.display.height);
        if name.contains("landscape") {
            assert!(w > h, "{name} came out {w}x{h}");
        } else {
            assert!(h > w, "{name} came out {w}x{h}");
        }
        checked += 1;
    }
    assert_eq!(checked, 26);
}

#[test]
fn a_rotated_photo_looks_like_its_upright_twin() {
    let thumb = |name: &str| {
        let bytes = std::fs::read(testdata().join("images/orientation").join(name)).unwrap();
        decode(&process_photo(&bytes, &PhotoLimits::default()).unwrap().thumbnail.jpeg)
    };
    let upright = thumb("recurser_Landscape_1.jpg");
    for rotated in ["recurser_Landscape_3.jpg", "recurser_Landscape_6.jpg", "recurser_Landscape_8.jpg", "recurser_Landscape_5.jpg"] {
        let other = thumb(rotated);
        assert_eq!(other.dimensions(), upright.dimensions(), "{rotated}");
        let total: u64 = upright.as_raw().iter().zip(other.as_raw()).map(|(a, b)| u64::from(a.abs_diff(*b))).sum();
        let mean = total as f64 / upright.as_raw().len() as f64;
        assert!(mean < 12.0, "{rotated}: mean difference {mean:.1} from the upright version");
    }
}

#[test]
fn gps_and_exif_never_survive() {
    for name in ["DSCN0010.jpg", "DSCN0012.jpg", "DSCN0025.jpg", "DSCN0027.jpg", "DSCN0038.jpg", "DSCN0040.jpg", "Kodak_CX7530.jpg", "iphone_hdr_NO.jpg", "67-0_length_string.jpg"] {
        let bytes = std::fs::read(testdata().join("images/camera_exif").join(name)).unwrap();
        assert!(bytes.windows(4).any(|w| w == b"Exif"), "{name} has EXIF to start with");
        let photo = process_photo(&bytes, &PhotoLimits::default()).unwrap();
        for copy in [&photo.display.jpeg, &photo.thumbnail.jpeg] {
            assert!(!copy.windows(4).any(|w| w == b"Exif" || w == b"GPS\0"), "{name}");
            assert!(!has_metadata_segment(copy), "{name}");
        }
    }
}

#[test]
fn the_phone_photo_is_scaled_to_the_display_and_thumbnail_sizes() {
    let bytes = std::fs::read(testdata().join("images/camera_exif/Xiaomi_Mi_9T_KeyError.jpg")).unwrap();
    let photo = process_photo(&bytes, &PhotoLimits::default()).unwrap();
    // 4000x3000 stored, orientation 6: upright it is 3000 wide and 4000 high.
    assert_eq!((photo.display.width, photo.display.height), (1200, 1600));
    assert_eq!((photo.thumbnail.width, photo.thumbnail.height), (240, 320));
    assert_eq!(photo.source_format, SourceFormat::Jpeg);
    assert_eq!(photo.content_hash.len(), 64);
}

#[test]
fn small_images_are_not_enlarged() {
    let bytes = std::fs::read(testdata().join("images/jpeg_variants/imagers_progressive_cat.jpg")).unwrap();
    let photo = process_photo(&bytes, &PhotoLimits::default()).unwrap();
    assert_eq!((photo.display.width, photo.display.height), (320, 240));
    assert_eq!((photo.thumbnail.width, photo.thumbnail.height), (320, 240));
}

#[test]
fn transparent_pixels_become_white() {
    let bytes = std::fs::read(testdata().join("images/pngsuite/tbwn3p08.png")).unwrap();
    let photo = process_photo(&bytes, &PhotoLimits::default()).unwrap();
    let corner = *decode(&photo.display.jpeg).get_pixel(0, 0);
    assert!(corner.0.iter().all(|c| *c > 200), "corner is {corner:?}");
}

#[test]
fn the_limits_are_honoured() {
    let bytes = std::fs::read(testdata().join("images/orientation/recurser_Landscape_1.jpg")).unwrap();
    let small_files = PhotoLimits { max_bytes: bytes.len() - 1, ..PhotoLimits::default() };
    assert_eq!(process_photo(&bytes, &small_files).err(), Some(PhotoError::TooLarge));
    let few_pixels = PhotoLimits { max_pixels: 1000, ..PhotoLimits::default() };
    assert_eq!(process_photo(&bytes, &few_pixels).err(), Some(PhotoError::TooManyPixels));
    assert_eq!(process_photo(&[], &PhotoLimits::default()).err(), Some(PhotoError::Empty));
}
