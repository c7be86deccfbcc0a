//! Text for the built-in Helvetica: what WinAnsi can show, how wide it is, and how a block of
//! lines is wrapped, shrunk and, as a last resort, cut so that it stays inside its box.

use super::metrics::{HELVETICA, HELVETICA_BOLD};

pub(super) const MM_PER_PT: f32 = 25.4 / 72.0;
/// Height of one line, as a multiple of the font size.
pub(super) const LEADING: f32 = 1.2;
/// Where the baseline sits below the top of its line, as a multiple of the font size: room for
/// accented capitals above (Helvetica's É reaches 0.92 em) and descenders below (0.21 em).
pub(super) const BASELINE: f32 = 0.95;
const ELLIPSIS: char = '…';

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Face {
    Regular,
    Bold,
}

/// One line as it will be drawn.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Run {
    pub text: String,
    pub face: Face,
    pub size_pt: f32,
}

impl Run {
    pub fn width_mm(&self) -> f32 {
        width_mm(&self.text, self.face, self.size_pt)
    }

    pub fn height_mm(&self) -> f32 {
        self.size_pt * LEADING * MM_PER_PT
    }
}

/// A paragraph of a block with its preferred face and size.
pub(super) struct Para<'a> {
    pub text: &'a str,
    pub face: Face,
    pub size_pt: f32,
    /// Cut only if the paragraphs that are not kept are gone and it still does not fit.
    pub keep: bool,
}

/// `raw` as text the built-in fonts can show. The 14 built-in PDF fonts only know WinAnsi
/// (Windows-1252): Western European letters such as ë, ü, É and ß pass unchanged, but anything
/// else would reach the PDF as a wrong or missing glyph. So: Latin letters with other accents
/// become their base letter ("Łódź" -> "Lódz", "Ștefan" -> "Stefan"), combining accents are
/// dropped (a decomposed "e\u{308}" becomes "e"), dashes and spaces become their ASCII forms,
/// zero-width characters go, and everything else (Greek, Cyrillic, CJK, emoji, ...) becomes '?'.
/// Control characters and runs of whitespace become one space; the ends are trimmed.
pub(super) fn to_win_ansi(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for c in raw.chars() {
        let shown = if win_ansi_byte(c).is_some() && !c.is_whitespace() {
            Some(c)
        } else if c.is_whitespace()
            || c.is_control()
            || matches!(c, '\u{2010}'..='\u{2012}' | '\u{2212}')
        {
            Some(if c.is_whitespace() || c.is_control() {
                ' '
            } else {
                '-'
            })
        } else if matches!(c, '\u{0300}'..='\u{036F}' | '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}')
        {
            None
        } else {
            Some(latin_base_letter(c).unwrap_or('?'))
        };
        match shown {
            Some(' ') if out.is_empty() || out.ends_with(' ') => {}
            Some(c) => out.push(c),
            None => {}
        }
    }
    out.truncate(out.trim_end().len());
    out
}

/// The unaccented letter for Latin Extended-A (U+0100..U+017F) and the Romanian comma letters.
/// The ligatures Ĳ/ĳ and ŉ keep their first letter; WinAnsi's own Œ, œ, Š, š, Ÿ, Ž, ž never get
/// here.
fn latin_base_letter(c: char) -> Option<char> {
    const EXTENDED_A: &str = concat!(
        "AaAaAaCcCcCcCcDd", // U+0100
        "DdEeEeEeEeEeGgGg", // U+0110
        "GgGgHhHhIiIiIiIi", // U+0120
        "IiIiJjKkkLlLlLlL", // U+0130
        "lLlNnNnNnnNnOoOo", // U+0140
        "OoOoRrRrRrSsSsSs", // U+0150
        "SsTtTtTtUuUuUuUu", // U+0160
        "UuUuWwYyYZzZzZzs", // U+0170
    );
    match c {
        '\u{0100}'..='\u{017F}' => EXTENDED_A
            .as_bytes()
            .get(c as usize - 0x100)
            .map(|&b| char::from(b)),
        '\u{0218}' => Some('S'),
        '\u{0219}' => Some('s'),
        '\u{021A}' => Some('T'),
        '\u{021B}' => Some('t'),
        _ => None,
    }
}

/// The WinAnsiEncoding byte for `c` (PDF 32000-1, Annex D.2), if it has one.
fn win_ansi_byte(c: char) -> Option<u8> {
    match c as u32 {
        code @ (0x20..=0x7E | 0xA0..=0xFF) => return u8::try_from(code).ok(),
        _ => {}
    }
    Some(match c {
        '€' => 0x80,
        '‚' => 0x82,
        'ƒ' => 0x83,
        '„' => 0x84,
        '…' => 0x85,
        '†' => 0x86,
        '‡' => 0x87,
        'ˆ' => 0x88,
        '‰' => 0x89,
        'Š' => 0x8A,
        '‹' => 0x8B,
        'Œ' => 0x8C,
        'Ž' => 0x8E,
        '\u{2018}' => 0x91,
        '\u{2019}' => 0x92,
        '\u{201C}' => 0x93,
        '\u{201D}' => 0x94,
        '•' => 0x95,
        '–' => 0x96,
        '—' => 0x97,
        '˜' => 0x98,
        '™' => 0x99,
        'š' => 0x9A,
        '›' => 0x9B,
        'œ' => 0x9C,
        'ž' => 0x9E,
        'Ÿ' => 0x9F,
        _ => return None,
    })
}

fn char_width(c: char, face: Face) -> u32 {
    let table = match face {
        Face::Regular => &HELVETICA,
        Face::Bold => &HELVETICA_BOLD,
    };
    // Text reaches here through `to_win_ansi`; anything else is measured as the '?' it becomes.
    let byte = win_ansi_byte(c).unwrap_or(b'?');
    u32::from(table[usize::from(byte.max(0x20) - 0x20)])
}

pub(super) fn width_mm(text: &str, face: Face, size_pt: f32) -> f32 {
    let units: u32 = text.chars().map(|c| char_width(c, face)).sum();
    units as f32 / 1000.0 * size_pt * MM_PER_PT
}

/// `text` on lines no wider than `width_mm`, broken at spaces, and inside a word only when the
/// word alone is too wide.
fn wrap(text: &str, face: Face, size_pt: f32, width: f32) -> Vec<String> {
    let fits = |s: &str| width_mm(s, face, size_pt) <= width;
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split(' ').filter(|word| !word.is_empty()) {
        let joined = if line.is_empty() {
            word.to_owned()
        } else {
            format!("{line} {word}")
        };
        if fits(&joined) {
            line = joined;
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        for c in word.chars() {
            line.push(c);
            if !fits(&line) && line.chars().count() > 1 {
                line.pop();
                lines.push(std::mem::replace(&mut line, c.to_string()));
            }
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// `text` cut at the end and marked with an ellipsis until it is no wider than `width`.
fn ellipsize(text: &str, face: Face, size_pt: f32, width: f32) -> String {
    if width_mm(text, face, size_pt) <= width {
        return text.to_owned();
    }
    let mut kept: String = text.to_owned();
    while !kept.is_empty() {
        kept.pop();
        let candidate = format!("{}{ELLIPSIS}", kept.trim_end());
        if width_mm(&candidate, face, size_pt) <= width {
            return candidate;
        }
    }
    String::new()
}

/// One line at the largest size from `max_pt` down to `min_pt` at which it fits `width`, cut
/// with an ellipsis if it does not fit even at `min_pt`.
pub(super) fn fit_line(text: &str, face: Face, max_pt: f32, min_pt: f32, width: f32) -> Run {
    let mut size_pt = max_pt;
    while size_pt > min_pt && width_mm(text, face, size_pt) > width {
        size_pt = (size_pt - 0.5).max(min_pt);
    }
    Run {
        text: ellipsize(text, face, size_pt, width),
        face,
        size_pt,
    }
}

/// The paragraphs as lines inside a `width` x `height` box: wrapped at their preferred sizes if
/// that fits, else at sizes scaled down together (to `min_scale` at the least), else at
/// `min_scale` with lines left out: first the last lines of paragraphs that are not `keep`, then,
/// if the kept ones alone are too tall, whatever comes last. An ellipsis ends the line before a
/// cut. Nothing returned is wider than `width` or, together, taller than `height`.
pub(super) fn fit_block(paras: &[Para<'_>], width: f32, height: f32, min_scale: f32) -> Vec<Run> {
    let layout = |scale: f32| -> Vec<(Run, bool)> {
        paras
            .iter()
            .flat_map(|para| {
                let size_pt = para.size_pt * scale;
                wrap(para.text, para.face, size_pt, width)
                    .into_iter()
                    .map(move |text| {
                        (
                            Run {
                                text,
                                face: para.face,
                                size_pt,
                            },
                            para.keep,
                        )
                    })
            })
            .collect()
    };
    let mut scale = 1.0;
    loop {
        let lines = layout(scale);
        if total_height(&lines) <= height {
            return lines.into_iter().map(|(run, _)| run).collect();
        }
        if scale <= min_scale {
            return cut_to_height(lines, width, height);
        }
        scale = (scale - 0.05).max(min_scale);
    }
}

fn total_height(lines: &[(Run, bool)]) -> f32 {
    lines.iter().map(|(run, _)| run.height_mm()).sum()
}

fn cut_to_height(mut lines: Vec<(Run, bool)>, width: f32, height: f32) -> Vec<Run> {
    let mut cut_before = None;
    while total_height(&lines) > height {
        let Some(last_optional) = lines.iter().rposition(|(_, keep)| !keep) else {
            break;
        };
        lines.remove(last_optional);
        cut_before = Some(last_optional);
    }
    if total_height(&lines) > height {
        let mut used = 0.0;
        let fitting = lines
            .iter()
            .take_while(|(run, _)| {
                used += run.height_mm();
                used <= height
            })
            .count();
        lines.truncate(fitting);
        cut_before = Some(fitting);
    }
    let mut runs: Vec<Run> = lines.into_iter().map(|(run, _)| run).collect();
    if let Some(before_cut) = cut_before
        .and_then(|cut| cut.checked_sub(1))
        .and_then(|i| runs.get_mut(i))
    {
        let marked = format!("{}{ELLIPSIS}", before_cut.text);
        before_cut.text = ellipsize(&marked, before_cut.face, before_cut.size_pt, width);
    }
    runs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn western_european_letters_pass_unchanged() {
        for name in [
            "Zoë Müller",
            "Rue de l'Église",
            "Straße",
            "Øresund Ærø Å",
            "Œuvre €5 — “ok”",
        ] {
            assert_eq!(to_win_ansi(name), name);
        }
    }

    #[test]
    fn other_latin_letters_lose_their_accents_and_other_scripts_become_question_marks() {
        assert_eq!(to_win_ansi("Łódź"), "Lódz");
        assert_eq!(to_win_ansi("Ștefan Țară"), "Stefan Tara");
        assert_eq!(to_win_ansi("Őry Ĳssel"), "Ory Issel");
        assert_eq!(to_win_ansi("東京 1-2"), "?? 1-2");
        assert_eq!(to_win_ansi("Zoe\u{308}"), "Zoe");
        assert_eq!(to_win_ansi("Αθήνα 🎁"), "????? ?");
    }

    #[test]
    fn whitespace_and_control_characters_collapse_to_single_spaces() {
        assert_eq!(
            to_win_ansi("  Main\tStreet\r\n 5\u{0}\u{7}x \u{00A0} "),
            "Main Street 5 x"
        );
        assert_eq!(to_win_ansi("a\u{200B}b\u{FEFF}"), "ab");
    }

    #[test]
    fn widths_follow_the_helvetica_metrics() {
        // 'W' is 944/1000 em in both faces; at 10 pt, 1000 em units are 10 pt = 3.5278 mm.
        assert!((width_mm("W", Face::Regular, 10.0) - 0.944 * 10.0 * MM_PER_PT).abs() < 1e-4);
        assert!(width_mm("iiii", Face::Regular, 10.0) < width_mm("iiii", Face::Bold, 10.0));
        assert_eq!(
            width_mm("é", Face::Regular, 10.0),
            width_mm("e", Face::Regular, 10.0)
        );
    }

    #[test]
    fn a_long_line_wraps_at_spaces_and_breaks_a_word_only_when_it_alone_is_too_wide() {
        let lines = wrap(
            "Avenue des Champs-Élysées 101 bis",
            Face::Regular,
            10.0,
            30.0,
        );
        assert!(lines.len() > 1, "{lines:?}");
        assert_eq!(lines.join(" "), "Avenue des Champs-Élysées 101 bis");
        let long = "W".repeat(80);
        let lines = wrap(&long, Face::Bold, 10.0, 30.0);
        assert_eq!(lines.concat(), long);
        for line in &lines {
            assert!(width_mm(line, Face::Bold, 10.0) <= 30.0, "{line}");
        }
    }

    #[test]
    fn a_block_that_cannot_fit_is_cut_with_an_ellipsis_and_stays_in_its_box() {
        let long = "Wide ".repeat(16);
        let paras: Vec<Para<'_>> = (0..7)
            .map(|_| Para {
                text: &long,
                face: Face::Regular,
                size_pt: 12.0,
                keep: false,
            })
            .collect();
        let runs = fit_block(&paras, 60.0, 20.0, 0.7);
        assert!(!runs.is_empty());
        assert!(runs.iter().map(Run::height_mm).sum::<f32>() <= 20.0);
        assert!(runs
            .iter()
            .all(|run| run.width_mm() <= 60.0 && run.size_pt >= 12.0 * 0.7 - 1e-3));
        assert!(
            runs.last().is_some_and(|run| run.text.ends_with('…')),
            "{runs:?}"
        );
    }

    #[test]
    fn street_lines_are_cut_before_the_name_and_the_postcode_and_city() {
        let street =
            "Résidence Les Jardins de la Fontaine, Bâtiment C, Escalier 4, Appartement 1203";
        let mut paras = vec![Para {
            text: "Zoë Müller",
            face: Face::Bold,
            size_pt: 12.0,
            keep: true,
        }];
        paras.extend((0..6).map(|_| Para {
            text: street,
            face: Face::Regular,
            size_pt: 10.0,
            keep: false,
        }));
        paras.push(Para {
            text: "75011 Paris",
            face: Face::Regular,
            size_pt: 10.0,
            keep: true,
        });
        paras.push(Para {
            text: "FR",
            face: Face::Regular,
            size_pt: 10.0,
            keep: true,
        });
        let runs = fit_block(&paras, 80.0, 25.0, 0.7);
        let texts: Vec<&str> = runs.iter().map(|run| run.text.as_str()).collect();
        assert_eq!(texts.first(), Some(&"Zoë Müller"));
        assert_eq!(texts[texts.len() - 2..], ["75011 Paris", "FR"]);
        assert!(texts[texts.len() - 3].ends_with('…'), "{texts:?}");
        assert!(runs.iter().map(Run::height_mm).sum::<f32>() <= 25.0);
        assert!(runs.iter().all(|run| run.width_mm() <= 80.0));
    }

    #[test]
    fn a_block_that_fits_keeps_its_sizes() {
        let paras = [
            Para {
                text: "Zoë Müller",
                face: Face::Bold,
                size_pt: 15.0,
                keep: true,
            },
            Para {
                text: "Hauptstraße 5",
                face: Face::Regular,
                size_pt: 12.0,
                keep: false,
            },
        ];
        let runs = fit_block(&paras, 80.0, 40.0, 0.7);
        assert_eq!(runs.len(), 2);
        assert_eq!((runs[0].size_pt, runs[1].size_pt), (15.0, 12.0));
    }

    #[test]
    fn a_line_shrinks_before_it_is_cut() {
        let run = fit_line("R-7K3M-9QXT", Face::Bold, 24.0, 14.0, 50.0);
        assert!(run.size_pt < 24.0 && run.text == "R-7K3M-9QXT" && run.width_mm() <= 50.0);
        let run = fit_line(&"Shop ".repeat(20), Face::Bold, 10.0, 8.0, 40.0);
        assert!(run.size_pt == 8.0 && run.text.ends_with('…') && run.width_mm() <= 40.0);
    }
}
