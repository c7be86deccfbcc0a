//! Where each part of the label goes in each format, and the PDF operations that draw it.

use super::text::{fit_block, fit_line, Face, Para, Run, BASELINE, MM_PER_PT};
use super::{Content, LabelFormat, PrintedAddress};
use printpdf::{
    BuiltinFont, Color, Greyscale, LineDashPattern, Mm, Op, PaintMode, PdfFontHandle, PdfPage,
    Point, Pt, Rect, TextItem,
};

/// Helvetica's capital height, as a multiple of the font size.
const CAP_HEIGHT: f32 = 0.718;
/// Text blocks shrink to 70% of their preferred size before lines are cut.
const MIN_SCALE: f32 = 0.7;
/// Code 128 wants 10 modules of white either side, QR codes 4.
const BARCODE_QUIET_MODULES: f32 = 10.0;
/// Bars wider than this only make the barcode longer, not easier to scan.
const MAX_BAR_MODULE_MM: f32 = 0.6;
const INSTRUCTIONS: &str =
    "Print this page, cut along the dashed line, and tape the label to your parcel. Cover or remove old labels.";

/// A box on the page in millimetres, measured from the top-left corner.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Area {
    pub x: f32,
    pub y: f32,
    pub w: f32,
    pub h: f32,
}

const fn area(x: f32, y: f32, w: f32, h: f32) -> Area {
    Area { x, y, w, h }
}

/// Font sizes in points.
struct Sizes {
    header: f32,
    shop: f32,
    title: f32,
    from_name: f32,
    from_line: f32,
    to_name: f32,
    to_line: f32,
    reference: f32,
    details: f32,
    human_readable: f32,
    instructions: f32,
}

/// Where everything goes. The areas of text are limits: text is fitted inside them. Around the
/// QR code, four modules (at most 4 × `qr.w` / 21) are kept free of anything else.
pub(super) struct Plan {
    pub label: Area,
    cut_line: Option<Area>,
    header: Area,
    /// Left and right padding of the header's text.
    header_padding: f32,
    from: Area,
    to: Area,
    reference: Area,
    details: Area,
    qr: Area,
    barcode: Area,
    /// Separating lines, drawn as filled boxes.
    rules: Vec<Area>,
    pub instructions: Option<Area>,
    sizes: Sizes,
}

impl Plan {
    pub fn for_format(format: LabelFormat) -> Plan {
        match format {
            // Portrait, one column: header, FROM, TO, reference and QR code side by side, barcode.
            LabelFormat::FourBySix => Plan {
                label: area(2.5, 2.5, 96.6, 147.4),
                cut_line: None,
                header: area(2.5, 2.5, 96.6, 13.0),
                header_padding: 5.0,
                from: area(7.5, 18.5, 86.6, 23.0),
                to: area(7.5, 46.5, 86.6, 37.5),
                reference: area(7.5, 90.0, 61.0, 14.0),
                details: area(7.5, 105.0, 61.0, 10.0),
                qr: area(73.1, 92.0, 21.0, 21.0),
                barcode: area(7.5, 121.0, 86.6, 25.5),
                rules: vec![
                    area(7.5, 43.5, 86.6, 0.25),
                    area(2.5, 86.5, 96.6, 0.7),
                    area(7.5, 118.0, 86.6, 0.25),
                ],
                instructions: None,
                sizes: Sizes {
                    header: 24.0,
                    shop: 11.0,
                    title: 7.0,
                    from_name: 9.5,
                    from_line: 9.0,
                    to_name: 15.0,
                    to_line: 13.0,
                    reference: 22.0,
                    details: 9.0,
                    human_readable: 10.0,
                    instructions: 0.0,
                },
            },
            // Landscape box in the top half: addresses on the left, reference and QR code on
            // the right, barcode across the bottom; the instructions under the cut line.
            LabelFormat::A4 => Plan {
                label: area(15.0, 15.0, 180.0, 120.0),
                cut_line: Some(area(10.0, 10.0, 190.0, 130.0)),
                header: area(15.0, 15.0, 180.0, 15.0),
                header_padding: 6.0,
                from: area(21.0, 34.0, 100.0, 25.0),
                to: area(21.0, 64.0, 100.0, 41.0),
                reference: area(133.0, 34.0, 56.0, 15.0),
                details: area(133.0, 50.0, 56.0, 10.0),
                qr: area(146.0, 67.0, 30.0, 30.0),
                barcode: area(21.0, 111.0, 168.0, 22.0),
                rules: vec![
                    area(21.0, 61.5, 100.0, 0.25),
                    area(127.0, 34.0, 0.25, 71.0),
                    area(15.0, 107.5, 180.0, 0.7),
                ],
                instructions: Some(area(10.0, 145.0, 190.0, 12.0)),
                sizes: Sizes {
                    header: 26.0,
                    shop: 13.0,
                    title: 7.5,
                    from_name: 10.5,
                    from_line: 10.0,
                    to_name: 18.0,
                    to_line: 15.0,
                    reference: 24.0,
                    details: 10.0,
                    human_readable: 11.0,
                    instructions: 11.0,
                },
            },
        }
    }
}

pub(super) fn draw_page(
    content: &Content,
    barcode: &[u8],
    qr: &[Vec<bool>],
    format: LabelFormat,
) -> PdfPage {
    let plan = Plan::for_format(format);
    let (width, height) = format.page_size_mm();
    let mut canvas = Canvas {
        page_height: height,
        ops: Vec::new(),
    };
    let sizes = &plan.sizes;

    if let Some(cut_line) = plan.cut_line {
        canvas.outline(cut_line, 0.75, &[4.0, 3.0]);
    }
    canvas.outline(plan.label, 1.5, &[]);
    draw_header(&mut canvas, &plan, &content.shop_name);
    draw_address(
        &mut canvas,
        plan.from,
        "FROM",
        &content.from,
        [sizes.title, sizes.from_name, sizes.from_line],
    );
    draw_address(
        &mut canvas,
        plan.to,
        "TO",
        &content.to,
        [sizes.title, sizes.to_name, sizes.to_line],
    );
    for rule in &plan.rules {
        canvas.fill(*rule);
    }

    let title = Run {
        text: "RETURN REFERENCE".into(),
        face: Face::Bold,
        size_pt: sizes.title,
    };
    // 8 pt fits twenty of the widest characters in both formats: the reference is never cut.
    let reference = fit_line(
        &content.reference,
        Face::Bold,
        sizes.reference,
        8.0,
        plan.reference.w,
    );
    canvas.lines(plan.reference.x, plan.reference.y, &[title, reference]);
    let order = format!("Order: {}", content.order_number);
    let date = format!("Date: {}", content.date);
    let mut details = Vec::new();
    if !content.order_number.is_empty() {
        details.push(Para {
            text: &order,
            face: Face::Regular,
            size_pt: sizes.details,
            keep: false,
        });
    }
    details.push(Para {
        text: &date,
        face: Face::Regular,
        size_pt: sizes.details,
        keep: true,
    });
    canvas.lines(
        plan.details.x,
        plan.details.y,
        &fit_block(&details, plan.details.w, plan.details.h, MIN_SCALE),
    );

    draw_qr(&mut canvas, plan.qr, qr);
    draw_barcode(
        &mut canvas,
        plan.barcode,
        barcode,
        &content.reference,
        sizes.human_readable,
    );

    if let Some(instructions) = plan.instructions {
        let para = [Para {
            text: INSTRUCTIONS,
            face: Face::Regular,
            size_pt: sizes.instructions,
            keep: true,
        }];
        canvas.lines(
            instructions.x,
            instructions.y,
            &fit_block(&para, instructions.w, instructions.h, MIN_SCALE),
        );
    }
    PdfPage::new(Mm(width), Mm(height), canvas.ops)
}

/// The black band: "RETURN" on the left, the shop's name on the right, both in white.
fn draw_header(canvas: &mut Canvas, plan: &Plan, shop_name: &str) {
    let band = plan.header;
    canvas.fill(band);
    canvas.fill_colour(1.0);
    let label = Run {
        text: "RETURN".into(),
        face: Face::Bold,
        size_pt: plan.sizes.header,
    };
    let centre = band.y + band.h / 2.0;
    let baseline = |run: &Run| centre + run.size_pt * CAP_HEIGHT * MM_PER_PT / 2.0;
    canvas.text(band.x + plan.header_padding, baseline(&label), &label);
    let room = band.w - 2.0 * plan.header_padding - label.width_mm() - 8.0;
    let shop = fit_line(shop_name, Face::Bold, plan.sizes.shop, 7.0, room);
    canvas.text(
        band.x + band.w - plan.header_padding - shop.width_mm(),
        baseline(&shop),
        &shop,
    );
    canvas.fill_colour(0.0);
}

/// A small title, then the name in bold and the other lines, all fitted into `area`. When they
/// cannot all fit, street lines go before the name, the postcode and city, or the country.
fn draw_address(
    canvas: &mut Canvas,
    area: Area,
    title: &str,
    address: &PrintedAddress,
    sizes: [f32; 3],
) {
    let [title_pt, name_pt, line_pt] = sizes;
    let title = Run {
        text: title.into(),
        face: Face::Bold,
        size_pt: title_pt,
    };
    let below_title = title.height_mm() + 0.8;
    canvas.lines(area.x, area.y, std::slice::from_ref(&title));
    let mut paras = vec![Para {
        text: &address.name,
        face: Face::Bold,
        size_pt: name_pt,
        keep: true,
    }];
    paras.extend(address.lines.iter().map(|text| line(text, line_pt, false)));
    paras.push(line(&address.locality, line_pt, true));
    paras.extend(address.country.iter().map(|text| line(text, line_pt, true)));
    let runs = fit_block(&paras, area.w, area.h - below_title, MIN_SCALE);
    canvas.lines(area.x, area.y + below_title, &runs);
}

fn line(text: &str, size_pt: f32, keep: bool) -> Para<'_> {
    Para {
        text,
        face: Face::Regular,
        size_pt,
        keep,
    }
}

/// The QR code filling `area`, each row's runs of dark modules as one rectangle.
fn draw_qr(canvas: &mut Canvas, area: Area, rows: &[Vec<bool>]) {
    let module = area.w / rows.len().max(1) as f32;
    for (y, row) in rows.iter().enumerate() {
        for (start, len) in runs_of_dark(row.iter().copied()) {
            canvas.fill(Area {
                x: area.x + start as f32 * module,
                y: area.y + y as f32 * module,
                w: len as f32 * module,
                h: module,
            });
        }
    }
}

/// The bars centred in `area` with their quiet zones, the reference in plain text under them.
fn draw_barcode(canvas: &mut Canvas, area: Area, modules: &[u8], reference: &str, text_pt: f32) {
    let count = modules.len() as f32;
    let module = (area.w / (count + 2.0 * BARCODE_QUIET_MODULES)).min(MAX_BAR_MODULE_MM);
    let x = area.x + (area.w - count * module) / 2.0;
    let caption = fit_line(reference, Face::Regular, text_pt, 7.0, area.w);
    let bars_h = area.h - caption.height_mm() - 1.0;
    for (start, len) in runs_of_dark(modules.iter().map(|&m| m == 1)) {
        canvas.fill(Area {
            x: x + start as f32 * module,
            y: area.y,
            w: len as f32 * module,
            h: bars_h,
        });
    }
    let caption_x = area.x + (area.w - caption.width_mm()) / 2.0;
    canvas.lines(caption_x, area.y + bars_h + 1.0, &[caption]);
}

/// (start, length) of each run of `true`.
fn runs_of_dark(modules: impl Iterator<Item = bool>) -> Vec<(usize, usize)> {
    let mut runs: Vec<(usize, usize)> = Vec::new();
    for (i, dark) in modules.enumerate() {
        match runs.last_mut() {
            Some((start, len)) if dark && *start + *len == i => *len += 1,
            _ if dark => runs.push((i, 1)),
            _ => {}
        }
    }
    runs
}

/// PDF operations in page millimetres from the top-left corner.
pub(super) struct Canvas {
    pub(super) page_height: f32,
    pub(super) ops: Vec<Op>,
}

impl Canvas {
    fn rect(&self, area: Area, mode: PaintMode) -> Op {
        Op::DrawRectangle {
            rectangle: Rect {
                x: Mm(area.x).into(),
                y: Mm(self.page_height - area.y - area.h).into(),
                width: Mm(area.w).into(),
                height: Mm(area.h).into(),
                // Without a mode printpdf ends the path without painting it.
                mode: Some(mode),
                winding_order: None,
            },
        }
    }

    pub(super) fn fill(&mut self, area: Area) {
        self.ops.push(self.rect(area, PaintMode::Fill));
    }

    /// A black outline `thickness_pt` wide, dashed when `dash_pt` has lengths.
    fn outline(&mut self, area: Area, thickness_pt: f32, dash_pt: &[f32]) {
        self.ops.extend([
            Op::SaveGraphicsState,
            Op::SetOutlineColor { col: grey(0.0) },
            Op::SetOutlineThickness {
                pt: Pt(thickness_pt),
            },
            Op::SetLineDashPattern {
                dash: LineDashPattern::new(0.0, dash_pt),
            },
            self.rect(area, PaintMode::Stroke),
            Op::RestoreGraphicsState,
        ]);
    }

    /// Fill colour for text and boxes from here on: 0 is black, 1 white.
    pub(super) fn fill_colour(&mut self, level: f32) {
        self.ops.push(Op::SetFillColor { col: grey(level) });
    }

    pub(super) fn text(&mut self, x: f32, baseline: f32, run: &Run) {
        let font = match run.face {
            Face::Regular => BuiltinFont::Helvetica,
            Face::Bold => BuiltinFont::HelveticaBold,
        };
        self.ops.extend([
            Op::StartTextSection,
            Op::SetFont {
                font: PdfFontHandle::Builtin(font),
                size: Pt(run.size_pt),
            },
            Op::SetTextCursor {
                pos: Point {
                    x: Mm(x).into(),
                    y: Mm(self.page_height - baseline).into(),
                },
            },
            Op::ShowText {
                items: vec![TextItem::Text(run.text.clone())],
            },
            Op::EndTextSection,
        ]);
    }

    /// `runs` one under the other, the first line's top at `top`.
    pub(super) fn lines(&mut self, x: f32, top: f32, runs: &[Run]) {
        let mut top = top;
        for run in runs {
            self.text(x, top + run.size_pt * BASELINE * MM_PER_PT, run);
            top += run.height_mm();
        }
    }
}

fn grey(level: f32) -> Color {
    Color::Greyscale(Greyscale {
        percent: level,
        icc_profile: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_of_dark_modules_are_merged() {
        let modules = [true, true, false, true, false, false, true, true, true];
        assert_eq!(
            runs_of_dark(modules.into_iter()),
            vec![(0, 2), (3, 1), (6, 3)]
        );
        assert_eq!(runs_of_dark([false, false].into_iter()), vec![]);
    }

    #[test]
    fn every_part_of_each_format_lies_inside_its_label_and_page() {
        for format in [LabelFormat::A4, LabelFormat::FourBySix] {
            let plan = Plan::for_format(format);
            let (page_w, page_h) = format.page_size_mm();
            let inside = |inner: Area, outer: Area| {
                inner.x >= outer.x
                    && inner.y >= outer.y
                    && inner.x + inner.w <= outer.x + outer.w + 1e-3
                    && inner.y + inner.h <= outer.y + outer.h + 1e-3
            };
            let parts = [
                plan.header,
                plan.from,
                plan.to,
                plan.reference,
                plan.details,
                plan.qr,
                plan.barcode,
            ];
            for part in parts.iter().chain(&plan.rules) {
                assert!(
                    inside(*part, plan.label),
                    "{format:?}: {part:?} is outside the label"
                );
            }
            assert!(inside(plan.label, area(0.0, 0.0, page_w, page_h)));
            if let Some(instructions) = plan.instructions {
                assert!(inside(instructions, area(0.0, 0.0, page_w, page_h)));
            }
        }
    }

    #[test]
    fn the_qr_codes_quiet_zone_touches_nothing_else() {
        for format in [LabelFormat::A4, LabelFormat::FourBySix] {
            let plan = Plan::for_format(format);
            // Version 1 (21 modules) has the widest modules, so the widest quiet zone.
            let quiet = 4.0 * plan.qr.w / 21.0;
            let zone = area(
                plan.qr.x - quiet,
                plan.qr.y - quiet,
                plan.qr.w + 2.0 * quiet,
                plan.qr.h + 2.0 * quiet,
            );
            let overlaps = |a: Area, b: Area| {
                a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h
            };
            let others = [
                plan.header,
                plan.from,
                plan.to,
                plan.reference,
                plan.details,
                plan.barcode,
            ];
            for other in others.iter().chain(&plan.rules) {
                assert!(
                    !overlaps(zone, *other),
                    "{format:?}: {other:?} is in the QR code's quiet zone"
                );
            }
            let label = plan.label;
            assert!(
                inside_strictly(zone, label),
                "{format:?}: the QR quiet zone reaches the label's border"
            );
        }
    }

    fn inside_strictly(inner: Area, outer: Area) -> bool {
        inner.x > outer.x
            && inner.y > outer.y
            && inner.x + inner.w < outer.x + outer.w
            && inner.y + inner.h < outer.y + outer.h
    }
}
