//! The labels as a reader sees them: page sizes from `pdfinfo`, text from `pdftotext`, and both
//! codes decoded by `zbarimg` from a `pdftoppm` render. Needs the Debian packages poppler-utils
//! and zbar-tools; a missing tool fails the test with the package to install.

use super::layout::{Area, Plan};
use super::*;
use std::{
    ffi::OsStr,
    path::PathBuf,
    process::{Command, Output},
    sync::atomic::{AtomicUsize, Ordering},
};
use time::macros::date;

const REFERENCE: &str = "R-7K3M-9QXT";
const FORMATS: [LabelFormat; 2] = [LabelFormat::A4, LabelFormat::FourBySix];
const PT_PER_MM: f32 = 72.0 / 25.4;

fn address(name: &str, lines: &[&str], postcode: &str, city: &str, country: &str) -> Address {
    Address {
        name: name.into(),
        lines: lines.iter().map(|line| line.to_string()).collect(),
        postcode: postcode.into(),
        city: city.into(),
        country: country.into(),
    }
}

fn request() -> LabelRequest {
    LabelRequest {
        reference: REFERENCE.into(),
        shop_name: "Maison Lumière".into(),
        order_number: "#100482".into(),
        from: address(
            "Zoë Müller",
            &["Rue de l'Église 12", "Appartement 3"],
            "75011",
            "Paris",
            "FR",
        ),
        to: address(
            "Maison Lumière Retouren",
            &["Lager Nord", "Straße des 17. Juni 135"],
            "10623",
            "Berlin",
            "DE",
        ),
        created_on: date!(2026 - 11 - 25),
    }
}

/// A directory of its own under the system's temporary directory, removed when dropped.
pub(super) struct Scratch(PathBuf);

impl Scratch {
    pub(super) fn new(name: &str) -> Scratch {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let dir =
            std::env::temp_dir().join(format!("retour-label-{}-{n}-{name}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
        Scratch(dir)
    }

    pub(super) fn write(&self, file: &str, bytes: &[u8]) -> PathBuf {
        let path = self.0.join(file);
        std::fs::write(&path, bytes).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        path
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Runs a tool the tests need; when it is not installed, fails saying which package has it.
pub(super) fn run<S: AsRef<OsStr>>(program: &str, args: &[S], package: &str) -> Output {
    match Command::new(program).args(args).output() {
        Ok(output) => output,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            panic!("`{program}` is not installed: install the Debian package {package} (apt-get install -y {package})")
        }
        Err(e) => panic!("{program}: {e}"),
    }
}

pub(super) fn succeeded(program: &str, output: Output) -> String {
    assert!(
        output.status.success(),
        "{program} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap_or_else(|e| panic!("{program} printed non-UTF-8: {e}"))
}

fn render(request: &LabelRequest, format: LabelFormat) -> Vec<u8> {
    render_label(request, format).unwrap_or_else(|e| panic!("{format:?}: {e}"))
}

pub(super) fn pdf_text(pdf: &[u8]) -> String {
    let scratch = Scratch::new("text");
    let path = scratch.write("label.pdf", pdf);
    succeeded(
        "pdftotext",
        run(
            "pdftotext",
            &[OsStr::new("-layout"), path.as_os_str(), OsStr::new("-")],
            "poppler-utils",
        ),
    )
}

/// Page width and height in points, as `pdfinfo` reads them.
fn page_size_pt(pdf: &[u8]) -> (f32, f32) {
    let scratch = Scratch::new("info");
    let path = scratch.write("label.pdf", pdf);
    let info = succeeded("pdfinfo", run("pdfinfo", &[path], "poppler-utils"));
    // "Page size:      288 x 432 pts"
    let line = info
        .lines()
        .find_map(|line| line.strip_prefix("Page size:"))
        .expect("pdfinfo prints the page size");
    let numbers: Vec<f32> = line
        .split_whitespace()
        .filter_map(|word| word.parse().ok())
        .collect();
    (numbers[0], numbers[1])
}

/// A word `pdftotext -bbox` found, with its box in points from the top-left corner.
#[derive(Debug)]
struct Word {
    text: String,
    x_min: f32,
    y_min: f32,
    x_max: f32,
    y_max: f32,
}

fn words(pdf: &[u8]) -> Vec<Word> {
    let scratch = Scratch::new("bbox");
    let path = scratch.write("label.pdf", pdf);
    let html = succeeded(
        "pdftotext",
        run(
            "pdftotext",
            &[OsStr::new("-bbox"), path.as_os_str(), OsStr::new("-")],
            "poppler-utils",
        ),
    );
    html.split("<word ")
        .skip(1)
        .map(|word| {
            let attribute = |name: &str| -> f32 {
                let rest = word
                    .split(&format!("{name}=\""))
                    .nth(1)
                    .expect("pdftotext -bbox writes every coordinate");
                rest.split('"')
                    .next()
                    .and_then(|value| value.parse().ok())
                    .expect("a number")
            };
            let text = word
                .split('>')
                .nth(1)
                .and_then(|rest| rest.split("</word").next())
                .unwrap_or_default();
            Word {
                text: text
                    .replace("&amp;", "&")
                    .replace("&apos;", "'")
                    .replace("&quot;", "\"")
                    .replace("&lt;", "<")
                    .replace("&gt;", ">"),
                x_min: attribute("xMin"),
                y_min: attribute("yMin"),
                x_max: attribute("xMax"),
                y_max: attribute("yMax"),
            }
        })
        .collect()
}

/// What `zbarimg` reads in a 200 dpi render of the page, with only `symbology` enabled.
fn decode(pdf: &[u8], symbology: &str) -> Vec<String> {
    let scratch = Scratch::new("scan");
    let path = scratch.write("label.pdf", pdf);
    let png = scratch.0.join("label");
    let args = [
        OsStr::new("-r"),
        OsStr::new("200"),
        OsStr::new("-png"),
        OsStr::new("-singlefile"),
        path.as_os_str(),
        png.as_os_str(),
    ];
    succeeded("pdftoppm", run("pdftoppm", &args, "poppler-utils"));
    let enable = format!("-S{symbology}.enable");
    let png = png.with_extension("png");
    let args = [
        OsStr::new("--raw"),
        OsStr::new("-q"),
        OsStr::new("-Sdisable"),
        OsStr::new(&enable),
        png.as_os_str(),
    ];
    let output = run("zbarimg", &args, "zbar-tools");
    // zbarimg exits with 4 when it finds nothing: that is an empty answer, not a broken tool.
    assert!(
        output.status.success() || output.status.code() == Some(4),
        "zbarimg: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(str::to_owned)
        .collect()
}

/// Poppler's word boxes run from the font's ascent to its descent; 0.5 pt of touch is allowed.
fn assert_no_overlaps(format: LabelFormat, words: &[Word]) {
    for (i, a) in words.iter().enumerate() {
        for b in &words[i + 1..] {
            let overlap_x = a.x_min.max(b.x_min) < a.x_max.min(b.x_max) - 0.5;
            let overlap_y = a.y_min.max(b.y_min) < a.y_max.min(b.y_max) - 0.5;
            assert!(
                !(overlap_x && overlap_y),
                "{format:?}: {a:?} overlaps {b:?}"
            );
        }
    }
}

fn mm_to_pt(area: Area) -> (f32, f32, f32, f32) {
    (
        area.x * PT_PER_MM,
        area.y * PT_PER_MM,
        (area.x + area.w) * PT_PER_MM,
        (area.y + area.h) * PT_PER_MM,
    )
}

#[test]
fn a_label_is_a_pdf_with_the_page_size_of_its_format() {
    for (format, expected) in [
        (LabelFormat::A4, (595.28, 841.89)),
        (LabelFormat::FourBySix, (288.0, 432.0)),
    ] {
        let pdf = render(&request(), format);
        assert!(pdf.starts_with(b"%PDF-"), "{format:?}");
        let (width, height) = page_size_pt(&pdf);
        assert!(
            (width - expected.0).abs() < 0.5 && (height - expected.1).abs() < 0.5,
            "{format:?}: {width} x {height}"
        );
    }
}

#[test]
fn the_label_text_is_real_text_with_its_accents() {
    for format in FORMATS {
        let text = pdf_text(&render(&request(), format));
        for expected in [
            "RETURN",
            REFERENCE,
            "Maison Lumière",
            "Zoë Müller",
            "Rue de l'Église 12",
            "Appartement 3",
            "75011 Paris",
            "Maison Lumière Retouren",
            "Lager Nord",
            "Straße des 17. Juni 135",
            "10623 Berlin",
            "#100482",
            "2026-11-25",
        ] {
            assert!(
                text.contains(expected),
                "{format:?}: {expected:?} is not in\n{text}"
            );
        }
        assert_eq!(
            text.matches(REFERENCE).count(),
            2,
            "{format:?}: in large and under the barcode\n{text}"
        );
        assert!(
            !text.contains('\u{FFFD}') && !text.contains("Ã"),
            "{format:?}: mis-encoded text\n{text}"
        );
    }
    let a4 = pdf_text(&render(&request(), LabelFormat::A4));
    assert!(
        a4.contains("cut along the dashed line") && a4.contains("Cover or remove old labels."),
        "{a4}"
    );
}

#[test]
fn the_barcode_and_the_qr_code_both_decode_to_the_reference() {
    for format in FORMATS {
        let pdf = render(&request(), format);
        assert_eq!(
            decode(&pdf, "code128"),
            vec![REFERENCE.to_owned()],
            "{format:?}: Code 128"
        );
        assert_eq!(
            decode(&pdf, "qrcode"),
            vec![REFERENCE.to_owned()],
            "{format:?}: QR code"
        );
    }
}

#[test]
fn the_longest_reference_still_scans_on_a_four_by_six_label() {
    let reference = "RT-2026-ABCDEFGH-789";
    assert_eq!(reference.len(), MAX_REFERENCE_CHARS);
    let request = LabelRequest {
        reference: reference.into(),
        ..request()
    };
    let pdf = render(&request, LabelFormat::FourBySix);
    assert_eq!(decode(&pdf, "code128"), vec![reference.to_owned()]);
    assert_eq!(decode(&pdf, "qrcode"), vec![reference.to_owned()]);
}

#[test]
fn a_reference_that_is_empty_too_long_or_not_encodable_is_refused() {
    let with = |reference: &str| {
        render_label(
            &LabelRequest {
                reference: reference.into(),
                ..request()
            },
            LabelFormat::A4,
        )
    };
    assert_eq!(with(""), Err(LabelError::ReferenceEmpty));
    assert_eq!(with("   "), Err(LabelError::ReferenceEmpty));
    assert_eq!(
        with(&"R".repeat(MAX_REFERENCE_CHARS + 1)),
        Err(LabelError::ReferenceTooLong)
    );
    assert_eq!(with("R-ÄBC"), Err(LabelError::ReferenceNotEncodable('Ä')));
    assert_eq!(
        with("R-7K3M\t9QXT"),
        Err(LabelError::ReferenceNotEncodable('\t'))
    );
    assert_eq!(with("R-東京"), Err(LabelError::ReferenceNotEncodable('東')));
    assert!(
        with("r-7k3m_9qxt ~!").is_ok(),
        "all printable ASCII is encodable"
    );
}

#[test]
fn inputs_beyond_the_limits_are_refused() {
    let long = "x".repeat(MAX_FIELD_CHARS + 1);
    let mut too_many = request();
    too_many.to.lines = vec!["line".into(); MAX_ADDRESS_LINES + 1];
    assert_eq!(
        render_label(&too_many, LabelFormat::A4),
        Err(LabelError::TooManyLines { address: "to" })
    );
    let mut long_line = request();
    long_line.from.lines[1] = long.clone();
    assert_eq!(
        render_label(&long_line, LabelFormat::A4),
        Err(LabelError::FieldTooLong {
            field: "from.lines"
        })
    );
    let long_shop = LabelRequest {
        shop_name: long.clone(),
        ..request()
    };
    assert_eq!(
        render_label(&long_shop, LabelFormat::A4),
        Err(LabelError::FieldTooLong { field: "shop_name" })
    );
    let mut long_city = request();
    long_city.to.city = long;
    assert_eq!(
        render_label(&long_city, LabelFormat::A4),
        Err(LabelError::FieldTooLong { field: "to.city" })
    );
    let mut country = request();
    country.from.country = "France".into();
    assert_eq!(
        render_label(&country, LabelFormat::A4),
        Err(LabelError::CountryInvalid { address: "from" })
    );
}

/// Every input at its limit, in wide letters.
fn largest_request() -> LabelRequest {
    let wide = |first: &str| {
        format!("{first} {}", "WWWWWWW ".repeat(12))
            .chars()
            .take(MAX_FIELD_CHARS)
            .collect::<String>()
    };
    let full = |who: &str| Address {
        name: wide(&format!("{who}name")),
        lines: (1..=MAX_ADDRESS_LINES)
            .map(|i| wide(&format!("{who}line{i}")))
            .collect(),
        postcode: wide(&format!("{who}postcode")),
        city: wide(&format!("{who}city")),
        country: who[..2].to_uppercase(),
    };
    LabelRequest {
        reference: "@W".repeat(MAX_REFERENCE_CHARS / 2),
        shop_name: wide("Shopname"),
        order_number: "W".repeat(MAX_FIELD_CHARS),
        from: full("frm"),
        to: full("tox"),
        created_on: date!(2026 - 11 - 25),
    }
}

/// The largest inputs are wrapped, shrunk and cut, but stay inside the label with no two words
/// on top of each other, and the barcode still scans.
#[test]
fn the_largest_inputs_stay_inside_the_label_without_overlapping() {
    let request = largest_request();
    for format in FORMATS {
        let pdf = render(&request, format);
        let words = words(&pdf);
        let plan = Plan::for_format(format);
        let (left, top, right, bottom) = mm_to_pt(plan.label);
        let outside_label =
            |w: &Word| w.x_min < left || w.y_min < top || w.x_max > right || w.y_max > bottom;
        let instructions = |w: &Word| {
            plan.instructions
                .is_some_and(|area| mm_to_pt(area).1 <= w.y_min)
        };
        for word in &words {
            assert!(
                !outside_label(word) || instructions(word),
                "{format:?}: {word:?} leaves the label"
            );
        }
        assert_no_overlaps(format, &words);
        let text = pdf_text(&pdf);
        for start in [
            "frmname",
            "frmpostcode",
            "toxname",
            "toxpostcode",
            "Shopname",
        ] {
            assert!(
                text.contains(start),
                "{format:?}: {start} is missing from\n{text}"
            );
        }
        assert!(
            text.contains('…'),
            "{format:?}: what does not fit is cut with an ellipsis\n{text}"
        );
        assert_eq!(
            text.matches(request.reference.as_str()).count(),
            2,
            "{format:?}: the reference is never cut\n{text}"
        );
        assert_eq!(
            decode(&pdf, "code128"),
            vec![request.reference.clone()],
            "{format:?}"
        );
    }
}

#[test]
fn a_crowded_address_keeps_its_name_postcode_city_and_country() {
    let mut request = request();
    request.to.lines = (1..=MAX_ADDRESS_LINES)
        .map(|i| format!("Gebäude {i}, Retourenabteilung im Hinterhof, Aufgang links, Tor {i}"))
        .collect();
    for format in FORMATS {
        let text = pdf_text(&render(&request, format));
        for expected in [
            "Maison Lumière Retouren",
            "Gebäude 1,",
            "10623 Berlin",
            "DE",
        ] {
            assert!(
                text.contains(expected),
                "{format:?}: {expected:?} is not in\n{text}"
            );
        }
        assert!(
            text.contains('…') && !text.contains("Tor 6"),
            "{format:?}: street lines are cut\n{text}"
        );
    }
}

#[test]
fn the_usual_label_has_no_overlapping_words_and_nothing_cut() {
    for format in FORMATS {
        let pdf = render(&request(), format);
        let words = words(&pdf);
        assert_no_overlaps(format, &words);
        assert!(
            !words.iter().any(|w| w.text.contains('…')),
            "{format:?}: {words:?}"
        );
    }
}

#[test]
fn characters_outside_win_ansi_are_replaced_and_the_pdf_still_reads() {
    let mut request = request();
    request.from = address(
        "Łukasz Wiśniewski",
        &["ul. Piotrkowska 1", "東京都 渋谷区"],
        "90-001",
        "Łódź",
        "PL",
    );
    request.shop_name = "Ünïcødé 🎁 Shop".into();
    for format in FORMATS {
        let pdf = render(&request, format);
        let text = pdf_text(&pdf);
        for expected in [
            "Lukasz Wisniewski",
            "ul. Piotrkowska 1",
            "??? ???",
            "90-001 Lódz",
            "Ünïcødé ? Shop",
            "Straße",
        ] {
            assert!(
                text.contains(expected),
                "{format:?}: {expected:?} is not in\n{text}"
            );
        }
        assert!(!text.contains('\u{FFFD}'), "{format:?}\n{text}");
        assert_eq!(
            decode(&pdf, "qrcode"),
            vec![REFERENCE.to_owned()],
            "{format:?}"
        );
    }
}

#[test]
fn the_country_is_printed_only_when_the_parcel_crosses_a_border() {
    let codes = |request: &LabelRequest| -> Vec<String> {
        words(&render(request, LabelFormat::FourBySix))
            .into_iter()
            .map(|w| w.text)
            .filter(|t| t == "FR" || t == "DE")
            .collect()
    };
    assert_eq!(codes(&request()), vec!["FR", "DE"]);
    let mut domestic = request();
    domestic.to.country = "fr".into();
    assert_eq!(codes(&domestic), Vec::<String>::new());
}

#[test]
fn the_same_request_gives_the_same_bytes() {
    for format in FORMATS {
        assert_eq!(
            render(&request(), format),
            render(&request(), format),
            "{format:?}"
        );
    }
    assert_ne!(
        render(&request(), LabelFormat::A4),
        render(&request(), LabelFormat::FourBySix)
    );
}

#[test]
fn the_built_in_carrier_tracks_by_reference_and_has_nothing_to_cancel() {
    let shipment = BuiltInCarrier
        .create(&request(), LabelFormat::FourBySix)
        .expect("a valid request");
    assert_eq!(shipment.carrier, "built-in");
    assert_eq!(shipment.tracking_number, REFERENCE);
    assert_eq!(
        shipment.label_pdf,
        render(&request(), LabelFormat::FourBySix)
    );
    assert_eq!(BuiltInCarrier.cancel(REFERENCE), Ok(()));
    let empty = LabelRequest {
        reference: String::new(),
        ..request()
    };
    assert_eq!(
        BuiltInCarrier.create(&empty, LabelFormat::A4),
        Err(CarrierError::Label(LabelError::ReferenceEmpty))
    );
}

/// Not a check: writes the sample labels as PDF and 150 dpi PNG for a person to look at, into
/// `$RETOUR_LABEL_SAMPLES` (default: the temporary directory's `retour-labels`). Run with
/// `cargo test -p app --features ssr --lib label -- --ignored write_sample_labels`.
#[test]
#[ignore]
fn write_sample_labels() {
    let dir = std::env::var_os("RETOUR_LABEL_SAMPLES")
        .map(PathBuf::from)
        .unwrap_or_else(|| std::env::temp_dir().join("retour-labels"));
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    let mut crowded = request();
    crowded.from.lines = vec![
        "Résidence Les Jardins de la Fontaine, Bâtiment C, Escalier 4".into(),
        "Appartement 1203, 12e étage, porte de gauche".into(),
        "12 Rue de l'Église Saint-Pierre-et-Saint-Paul".into(),
    ];
    crowded.to.lines = vec![
        "Retourenabteilung, Lagerhalle 7, Tor 3".into(),
        "Straße des 17. Juni 135".into(),
    ];
    for (name, request, format) in [
        ("a4", request(), LabelFormat::A4),
        ("4x6", request(), LabelFormat::FourBySix),
        ("a4-crowded", crowded.clone(), LabelFormat::A4),
        ("4x6-crowded", crowded, LabelFormat::FourBySix),
        ("a4-limits", largest_request(), LabelFormat::A4),
        ("4x6-limits", largest_request(), LabelFormat::FourBySix),
    ] {
        let pdf_path = dir.join(format!("{name}.pdf"));
        std::fs::write(&pdf_path, render(&request, format))
            .unwrap_or_else(|e| panic!("{}: {e}", pdf_path.display()));
        let png = dir.join(name);
        let args = [
            OsStr::new("-r"),
            OsStr::new("150"),
            OsStr::new("-png"),
            OsStr::new("-singlefile"),
            pdf_path.as_os_str(),
            png.as_os_str(),
        ];
        succeeded("pdftoppm", run("pdftoppm", &args, "poppler-utils"));
    }
}
