//! Credit notes as PDF: [`render_credit_note`] draws a settled return's credit note on A4 pages
//! in the shopper's language, the same facts as the back office's printable page. A table longer
//! than a page runs onto further pages under a repeated header.
//!
//! Pure like the labels: no I/O, clock or RNG, and the same note and locale give the same bytes.
//! Text is real text in the built-in Helvetica, made showable by `text::to_win_ansi`.

use super::layout::{Area, Canvas};
use super::text::{
    fit_block, fit_line, to_win_ansi, Face, Para, Run, BASELINE, LEADING, MM_PER_PT,
};
use super::{
    check_country, pdf_bytes, printed_address, Address, AddressFields, LabelError, PrintedAddress,
    MAX_FIELD_CHARS,
};
use crate::domain::{decision::MAX_NOTE_CHARS, settlement::SettlementKind, Locale, Money};
use crate::i18n::format_date;
use printpdf::{Mm, PdfPage};

/// Items on one credit note; a return has far fewer.
pub const MAX_CREDIT_NOTE_LINES: usize = 500;
/// Characters in an item's title or variant and in the email address: shop systems store titles
/// of up to 255 characters, and an email address has at most 254.
pub const MAX_LONG_FIELD_CHARS: usize = 255;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreditNoteDocument {
    /// E.g. "CN-000042".
    pub number: String,
    pub shop_name: String,
    /// The shop's return address, when set.
    pub shop_address: Option<Address>,
    pub customer_name: String,
    pub email: String,
    pub order_number: String,
    /// The return's reference, e.g. "R-7K3M-9QXT".
    pub reference: String,
    pub issued_on: time::Date,
    pub kind: SettlementKind,
    pub lines: Vec<CreditNoteDocumentLine>,
    pub goods: Money,
    /// Printed only when above zero.
    pub fee_kept: Money,
    pub amount: Money,
    /// Printed under the totals when not empty.
    pub memo: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreditNoteDocumentLine {
    pub sku: String,
    pub title: String,
    pub variant: String,
    pub units: u32,
    pub amount: Money,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CreditNoteError {
    #[error("{field} is longer than {max} characters")]
    FieldTooLong { field: &'static str, max: usize },
    #[error("the credit note has more than {MAX_CREDIT_NOTE_LINES} lines")]
    TooManyLines,
    #[error(transparent)]
    ShopAddress(#[from] LabelError),
    /// Not expected for valid inputs (the PDF writer refused); reported rather than panicking.
    #[error("the credit note could not be drawn")]
    NotDrawn,
}

/// The credit note `doc` as the bytes of an A4 PDF in `locale`'s words, money and dates.
///
/// Inputs over the limits above are refused; inside them long texts shrink and are cut with an
/// ellipsis rather than leave their column. CPU-bound: call it from `spawn_blocking`.
pub fn render_credit_note(
    doc: &CreditNoteDocument,
    locale: Locale,
) -> Result<Vec<u8>, CreditNoteError> {
    let note = Printed::parse(doc, locale)?;
    let words = words(locale);
    let title = format!("{} {}", words.title, note.number);
    pdf_bytes(&title, draw(&note, words)).ok_or(CreditNoteError::NotDrawn)
}

/// The words of the document in one language.
struct Words {
    title: &'static str,
    customer: &'static str,
    order: &'static str,
    reference: &'static str,
    issued: &'static str,
    settled_by: &'static str,
    refund: &'static str,
    store_credit: &'static str,
    exchange: &'static str,
    sku: &'static str,
    item: &'static str,
    units: &'static str,
    amount: &'static str,
    goods: &'static str,
    fee_kept: &'static str,
    credited: &'static str,
    /// "Page 2 of 3" is `page` 2 `of` 3.
    page: &'static str,
    of: &'static str,
}

#[rustfmt::skip]
fn words(locale: Locale) -> &'static Words {
    match locale {
        Locale::En => &Words {
            title: "Credit note", customer: "Customer", order: "Order", reference: "Return",
            issued: "Issued", settled_by: "Settled by", refund: "Refund",
            store_credit: "Store credit", exchange: "Exchange", sku: "SKU", item: "Item",
            units: "Units", amount: "Amount", goods: "Goods returned",
            fee_kept: "Return fee kept", credited: "Credited", page: "Page", of: "of",
        },
        Locale::Fr => &Words {
            title: "Avoir", customer: "Client", order: "Commande", reference: "Retour",
            issued: "Date d'émission", settled_by: "Réglé par", refund: "Remboursement",
            store_credit: "Bon d'achat", exchange: "Échange", sku: "Réf.", item: "Article",
            units: "Qté", amount: "Montant", goods: "Marchandises retournées",
            fee_kept: "Frais de retour retenus", credited: "Montant crédité", page: "Page",
            of: "sur",
        },
        Locale::Nl => &Words {
            title: "Creditnota", customer: "Klant", order: "Bestelling", reference: "Retour",
            issued: "Uitgegeven op", settled_by: "Afgehandeld met", refund: "Terugbetaling",
            store_credit: "Tegoed", exchange: "Omruiling", sku: "Artikelnr.", item: "Artikel",
            units: "Aantal", amount: "Bedrag", goods: "Geretourneerde goederen",
            fee_kept: "Ingehouden retourkosten", credited: "Gecrediteerd", page: "Pagina",
            of: "van",
        },
        Locale::De => &Words {
            title: "Gutschrift", customer: "Kunde", order: "Bestellung",
            reference: "Rücksendung", issued: "Ausgestellt am", settled_by: "Abgewickelt per",
            refund: "Erstattung", store_credit: "Guthaben", exchange: "Umtausch",
            sku: "Art.-Nr.", item: "Artikel", units: "Menge", amount: "Betrag",
            goods: "Zurückgesandte Waren", fee_kept: "Einbehaltene Rücksendegebühr",
            credited: "Gutgeschrieben", page: "Seite", of: "von",
        },
    }
}

/// The note checked against the limits, every text showable in WinAnsi and formatted.
struct Printed {
    number: String,
    shop_name: String,
    shop_address: Option<PrintedAddress>,
    /// (label, value) rows under the title, empty values left out.
    facts: Vec<(&'static str, String)>,
    lines: Vec<PrintedLine>,
    goods: String,
    fee_kept: Option<String>,
    amount: String,
    memo: String,
}

struct PrintedLine {
    sku: String,
    title: String,
    variant: String,
    units: String,
    amount: String,
}

const SHOP_ADDRESS: AddressFields = AddressFields {
    address: "shop_address",
    name: "shop_address.name",
    lines: "shop_address.lines",
    postcode: "shop_address.postcode",
    city: "shop_address.city",
};

impl Printed {
    fn parse(doc: &CreditNoteDocument, locale: Locale) -> Result<Self, CreditNoteError> {
        if doc.lines.len() > MAX_CREDIT_NOTE_LINES {
            return Err(CreditNoteError::TooManyLines);
        }
        let words = words(locale);
        let money = |m: Money| to_win_ansi(&m.format(locale));
        let shop_address = match &doc.shop_address {
            Some(address) => {
                check_country(SHOP_ADDRESS.address, &address.country)?;
                Some(printed_address(address, &SHOP_ADDRESS, true)?)
            }
            None => None,
        };
        let settled = match doc.kind {
            SettlementKind::Refund => words.refund,
            SettlementKind::StoreCredit => words.store_credit,
            SettlementKind::Exchange => words.exchange,
        };
        let short = |field, raw: &str| checked(field, raw, MAX_FIELD_CHARS);
        let facts = [
            (words.customer, short("customer_name", &doc.customer_name)?),
            ("", checked("email", &doc.email, MAX_LONG_FIELD_CHARS)?),
            (words.order, short("order_number", &doc.order_number)?),
            (words.reference, short("reference", &doc.reference)?),
            (
                words.issued,
                to_win_ansi(&format_date(doc.issued_on, locale)),
            ),
            (words.settled_by, settled.to_owned()),
        ];
        let lines = doc
            .lines
            .iter()
            .map(|line| {
                Ok(PrintedLine {
                    sku: short("lines.sku", &line.sku)?,
                    title: checked("lines.title", &line.title, MAX_LONG_FIELD_CHARS)?,
                    variant: checked("lines.variant", &line.variant, MAX_LONG_FIELD_CHARS)?,
                    units: line.units.to_string(),
                    amount: money(line.amount),
                })
            })
            .collect::<Result<_, CreditNoteError>>()?;
        Ok(Printed {
            number: short("number", &doc.number)?,
            shop_name: short("shop_name", &doc.shop_name)?,
            shop_address,
            facts: facts
                .into_iter()
                .filter(|(_, value)| !value.is_empty())
                .collect(),
            lines,
            goods: money(doc.goods),
            // Kept from the credit, so shown negative, as the locale writes negative amounts.
            fee_kept: (doc.fee_kept.minor > 0)
                .then(|| money(Money::new(-doc.fee_kept.minor, doc.fee_kept.currency))),
            amount: money(doc.amount),
            memo: checked("memo", &doc.memo, MAX_NOTE_CHARS)?,
        })
    }
}

fn checked(field: &'static str, raw: &str, max: usize) -> Result<String, CreditNoteError> {
    if raw.chars().count() > max {
        return Err(CreditNoteError::FieldTooLong { field, max });
    }
    Ok(to_win_ansi(raw))
}

const PAGE_W: f32 = 210.0;
const PAGE_H: f32 = 297.0;
const LEFT: f32 = 20.0;
const RIGHT: f32 = 190.0;
const TOP: f32 = 18.0;
/// Nothing but the footer goes below this.
const BOTTOM: f32 = 277.0;
const FOOTER_BASELINE: f32 = 285.0;
/// Columns of the table as (x, width); units and amounts are aligned on their right edges.
type Column = (f32, f32);
const SKU: Column = (LEFT, 35.0);
const ITEM: Column = (57.0, 89.0);
const UNITS: Column = (148.0, 12.0);
const AMOUNT: Column = (162.0, RIGHT - 162.0);
/// The totals' labels, left of the amount column.
const TOTAL_LABEL: Column = (96.0, 64.0);
const ROW_PT: f32 = 10.0;
const VARIANT_PT: f32 = 8.5;
const SMALL_PT: f32 = 8.5;
const ROW_PADDING: f32 = 1.2;

/// Pages drawn so far and where the next thing goes on the last one.
struct Pages {
    words: &'static Words,
    /// "Credit note CN-000042", at the top of further pages and in every footer.
    title: String,
    done: Vec<Canvas>,
    canvas: Canvas,
    y: f32,
}

impl Pages {
    fn canvas() -> Canvas {
        Canvas {
            page_height: PAGE_H,
            ops: Vec::new(),
        }
    }

    /// Room for `height` more millimetres, on a new page if this one is full; a table that goes
    /// on gets its header again.
    fn make_room(&mut self, height: f32, in_table: bool) {
        if self.y + height <= BOTTOM {
            return;
        }
        self.done
            .push(std::mem::replace(&mut self.canvas, Self::canvas()));
        let run = fit_line(&self.title, Face::Bold, 10.0, 7.0, RIGHT - LEFT);
        self.canvas.lines(LEFT, TOP, std::slice::from_ref(&run));
        self.y = TOP + run.height_mm() + 4.0;
        if in_table {
            self.table_header();
        }
    }

    fn table_header(&mut self) {
        let w = self.words;
        let baseline = self.y + SMALL_PT * BASELINE * MM_PER_PT;
        for (column, text, right) in [
            (SKU, w.sku, false),
            (ITEM, w.item, false),
            (UNITS, w.units, true),
            (AMOUNT, w.amount, true),
        ] {
            let run = fit_line(text, Face::Bold, SMALL_PT, 6.5, column.1);
            self.cell(column, baseline, &run, right);
        }
        self.y += SMALL_PT * LEADING * MM_PER_PT + 0.8;
        self.rule(LEFT, RIGHT, 0.3, 0.0);
        self.y += 1.2;
    }

    fn cell(&mut self, (x, w): Column, baseline: f32, run: &Run, right: bool) {
        let x = if right { x + w - run.width_mm() } else { x };
        self.canvas.text(x, baseline, run);
    }

    /// A line `thickness` mm thick across `from..to` at the cursor, grey `level` (0 black).
    fn rule(&mut self, from: f32, to: f32, thickness: f32, level: f32) {
        self.canvas.fill_colour(level);
        self.canvas.fill(Area {
            x: from,
            y: self.y,
            w: to - from,
            h: thickness,
        });
        self.canvas.fill_colour(0.0);
    }

    /// One item: SKU, title, units and amount on a line, the variant in grey under the title.
    fn row(&mut self, line: &PrintedLine) {
        let variant = (!line.variant.is_empty())
            .then(|| fit_line(&line.variant, Face::Regular, VARIANT_PT, 7.0, ITEM.1));
        let first = ROW_PT * LEADING * MM_PER_PT;
        let below = variant.as_ref().map_or(0.0, Run::height_mm);
        let height = ROW_PADDING + first + below + ROW_PADDING;
        self.make_room(height, true);
        let baseline = self.y + ROW_PADDING + ROW_PT * BASELINE * MM_PER_PT;
        for (column, text, min_pt, right) in [
            (SKU, &line.sku, 7.0, false),
            (ITEM, &line.title, 8.0, false),
            (UNITS, &line.units, 7.0, true),
            (AMOUNT, &line.amount, 7.0, true),
        ] {
            let run = fit_line(text, Face::Regular, ROW_PT, min_pt, column.1);
            self.cell(column, baseline, &run, right);
        }
        if let Some(variant) = variant {
            self.canvas.fill_colour(0.35);
            let top = self.y + ROW_PADDING + first;
            self.canvas.lines(ITEM.0, top, &[variant]);
            self.canvas.fill_colour(0.0);
        }
        self.y += height;
        self.rule(LEFT, RIGHT, 0.15, 0.75);
    }

    fn total(&mut self, label: &str, amount: &str, face: Face, size_pt: f32) {
        let baseline = self.y + size_pt * BASELINE * MM_PER_PT;
        let label = fit_line(label, face, size_pt, 7.0, TOTAL_LABEL.1);
        let amount = fit_line(amount, face, size_pt, 7.0, AMOUNT.1);
        self.cell(TOTAL_LABEL, baseline, &label, false);
        self.cell(AMOUNT, baseline, &amount, true);
        self.y += size_pt * LEADING * MM_PER_PT + 1.0;
    }

    /// Every page with its footer: the title and "Page n of total".
    fn finish(mut self) -> Vec<PdfPage> {
        self.done.push(self.canvas);
        let total = self.done.len();
        let (page, of) = (self.words.page, self.words.of);
        let title = fit_line(&self.title, Face::Regular, SMALL_PT, 6.5, 100.0);
        let footer = |(i, mut canvas): (usize, Canvas)| {
            let number = fit_line(
                &format!("{page} {} {of} {total}", i + 1),
                Face::Regular,
                SMALL_PT,
                6.5,
                60.0,
            );
            canvas.fill_colour(0.35);
            canvas.text(LEFT, FOOTER_BASELINE, &title);
            canvas.text(RIGHT - number.width_mm(), FOOTER_BASELINE, &number);
            PdfPage::new(Mm(PAGE_W), Mm(PAGE_H), canvas.ops)
        };
        self.done.into_iter().enumerate().map(footer).collect()
    }
}

fn draw(note: &Printed, words: &'static Words) -> Vec<PdfPage> {
    let title = format!("{} {}", words.title, note.number);
    let mut pages = Pages {
        words,
        title,
        done: Vec::new(),
        canvas: Pages::canvas(),
        y: TOP,
    };

    // The title on the left with the facts under it, the shop and its address on the right.
    let heading = fit_line(&pages.title, Face::Bold, 20.0, 12.0, 100.0);
    pages
        .canvas
        .lines(LEFT, TOP, std::slice::from_ref(&heading));
    let shop_x = 126.0;
    let para = |text, face, size_pt, keep| Para {
        text,
        face,
        size_pt,
        keep,
    };
    let mut paras = vec![para(note.shop_name.as_str(), Face::Bold, 11.0, true)];
    if let Some(address) = &note.shop_address {
        paras.push(para(&address.name, Face::Regular, 9.5, true));
        paras.extend(
            address
                .lines
                .iter()
                .map(|line| para(line, Face::Regular, 9.5, false)),
        );
        paras.push(para(&address.locality, Face::Regular, 9.5, true));
        paras.extend(
            address
                .country
                .iter()
                .map(|c| para(c, Face::Regular, 9.5, true)),
        );
    }
    let shop = fit_block(&paras, RIGHT - shop_x, 42.0, 0.7);
    pages.canvas.lines(shop_x, TOP, &shop);
    let shop_bottom = TOP + shop.iter().map(Run::height_mm).sum::<f32>();

    pages.y = TOP + heading.height_mm() + 4.0;
    let value_x = LEFT + 36.0;
    for (label, value) in &note.facts {
        let baseline = pages.y + ROW_PT * BASELINE * MM_PER_PT;
        let label = fit_line(label, Face::Bold, 9.0, 7.0, value_x - LEFT - 2.0);
        let value = fit_line(value, Face::Regular, ROW_PT, 7.5, shop_x - 4.0 - value_x);
        pages.canvas.text(LEFT, baseline, &label);
        pages.canvas.text(value_x, baseline, &value);
        pages.y += ROW_PT * LEADING * MM_PER_PT + 0.8;
    }
    pages.y = pages.y.max(shop_bottom) + 8.0;

    pages.table_header();
    for line in &note.lines {
        pages.row(line);
    }

    // The totals stay together, on the last page of the table when they fit.
    pages.make_room(3.0 * (11.0 * LEADING * MM_PER_PT + 1.0) + 6.0, false);
    pages.y += 4.0;
    pages.total(words.goods, &note.goods, Face::Regular, ROW_PT);
    if let Some(fee) = &note.fee_kept {
        pages.total(words.fee_kept, fee, Face::Regular, ROW_PT);
    }
    pages.rule(TOTAL_LABEL.0, RIGHT, 0.3, 0.0);
    pages.y += 1.0;
    pages.total(words.credited, &note.amount, Face::Bold, 11.0);

    if !note.memo.is_empty() {
        // Wrapped at full size and never cut: a long memo runs onto the next page.
        let memo = [para(note.memo.as_str(), Face::Regular, ROW_PT, true)];
        pages.y += 6.0;
        for run in fit_block(&memo, RIGHT - LEFT, f32::INFINITY, 1.0) {
            pages.make_room(run.height_mm(), false);
            pages
                .canvas
                .lines(LEFT, pages.y, std::slice::from_ref(&run));
            pages.y += run.height_mm();
        }
    }
    pages.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Currency;
    use crate::label::tests::{pdf_text, run, succeeded, Scratch};
    use time::macros::date;

    fn eur(minor: i64) -> Money {
        Money::new(minor, Currency::EUR)
    }

    fn sku(i: usize) -> String {
        format!("SKU-{i:04}")
    }

    fn note(items: usize) -> CreditNoteDocument {
        let lines = (1..=items)
            .map(|i| CreditNoteDocumentLine {
                sku: sku(i),
                title: format!("Linen shirt {i}"),
                variant: "Blue / M".into(),
                units: 1,
                amount: eur(4_950),
            })
            .collect();
        CreditNoteDocument {
            number: "CN-000042".into(),
            shop_name: "Maison Lumière".into(),
            shop_address: Some(Address {
                name: "Maison Lumière Retouren".into(),
                lines: vec!["Straße des 17. Juni 135".into()],
                postcode: "10623".into(),
                city: "Berlin".into(),
                country: "DE".into(),
            }),
            customer_name: "Zoë Müller".into(),
            email: "zoe@example.com".into(),
            order_number: "#100482".into(),
            reference: "R-7K3M-9QXT".into(),
            issued_on: date!(2026 - 11 - 25),
            kind: SettlementKind::Refund,
            lines,
            goods: eur(4_950 * items as i64),
            fee_kept: eur(495),
            amount: eur(4_950 * items as i64 - 495),
            memo: "Refunded to the original card.".into(),
        }
    }

    fn render(doc: &CreditNoteDocument, locale: Locale) -> Vec<u8> {
        render_credit_note(doc, locale).unwrap_or_else(|e| panic!("{locale:?}: {e}"))
    }

    fn page_count(pdf: &[u8]) -> usize {
        let scratch = Scratch::new("credit-note-info");
        let path = scratch.write("note.pdf", pdf);
        let info = succeeded("pdfinfo", run("pdfinfo", &[path], "poppler-utils"));
        info.lines()
            .find_map(|line| line.strip_prefix("Pages:"))
            .and_then(|pages| pages.trim().parse().ok())
            .expect("pdfinfo prints the page count")
    }

    fn assert_shows(text: &str, expected: &str) {
        assert!(
            text.contains(expected),
            "{expected:?} is missing from:\n{text}"
        );
    }

    #[test]
    fn a_credit_note_shows_its_facts_items_and_amounts_in_each_language() {
        let doc = note(3);
        for locale in Locale::ALL {
            let text = pdf_text(&render(&doc, locale));
            let words = words(locale);
            let money = |m: Money| to_win_ansi(&m.format(locale));
            for expected in [
                words.title,
                "CN-000042",
                "Maison Lumière",
                "10623 Berlin",
                "Zoë Müller",
                "zoe@example.com",
                "#100482",
                "R-7K3M-9QXT",
                words.refund,
                words.goods,
                words.credited,
                &to_win_ansi(&format_date(doc.issued_on, locale)),
                &money(doc.lines[0].amount),
                &money(doc.goods),
                &money(Money::new(-doc.fee_kept.minor, doc.fee_kept.currency)),
                &money(doc.amount),
                "Refunded to the original card.",
            ] {
                assert_shows(&text, expected);
            }
            for i in 1..=3 {
                assert_shows(&text, &sku(i));
            }
            assert_eq!(page_count(&render(&doc, locale)), 1);
        }
    }

    #[test]
    fn the_fee_kept_is_shown_only_when_a_fee_was_kept() {
        let mut doc = note(1);
        assert_shows(&pdf_text(&render(&doc, Locale::En)), "Return fee kept");
        doc.fee_kept = eur(0);
        doc.kind = SettlementKind::StoreCredit;
        let text = pdf_text(&render(&doc, Locale::En));
        assert!(!text.contains("Return fee kept"), "{text}");
        assert_shows(&text, "Store credit");
    }

    #[test]
    fn a_long_note_runs_onto_further_pages_with_every_item() {
        let doc = note(60);
        let pdf = render(&doc, Locale::De);
        assert!(page_count(&pdf) >= 2);
        let text = pdf_text(&pdf);
        for i in 1..=60 {
            assert_shows(&text, &sku(i));
        }
        assert_shows(&text, &to_win_ansi(&doc.amount.format(Locale::De)));
        assert_shows(&text, &format!("Seite 2 von {}", page_count(&pdf)));
    }

    #[test]
    fn long_texts_are_cut_and_other_scripts_replaced() {
        let mut doc = note(1);
        doc.lines[0].title = format!("{}END", "Wide ".repeat(50));
        doc.customer_name = "Łódź 東京".into();
        let text = pdf_text(&render(&doc, Locale::En));
        assert_shows(&text, "…");
        assert!(!text.contains("END"), "{text}");
        assert_shows(&text, "Lódz ??");
    }

    #[test]
    fn the_same_note_gives_the_same_bytes() {
        let doc = note(30);
        assert_eq!(render(&doc, Locale::Fr), render(&doc, Locale::Fr));
    }

    #[test]
    fn input_over_the_limits_is_refused() {
        type Change = fn(&mut CreditNoteDocument);
        let refused = |change: Change| {
            let mut doc = note(1);
            change(&mut doc);
            render_credit_note(&doc, Locale::En).expect_err("refused")
        };
        let too_long: [(Change, &str); 4] = [
            (
                |doc| doc.shop_name = "x".repeat(MAX_FIELD_CHARS + 1),
                "shop_name",
            ),
            (
                |doc| doc.lines[0].sku = "x".repeat(MAX_FIELD_CHARS + 1),
                "lines.sku",
            ),
            (
                |doc| doc.lines[0].title = "x".repeat(MAX_LONG_FIELD_CHARS + 1),
                "lines.title",
            ),
            (|doc| doc.memo = "x".repeat(MAX_NOTE_CHARS + 1), "memo"),
        ];
        for (change, field) in too_long {
            let error = refused(change);
            assert!(matches!(error, CreditNoteError::FieldTooLong { field: f, .. } if f == field));
        }
        let error = refused(|doc| doc.lines = note(MAX_CREDIT_NOTE_LINES + 1).lines);
        assert_eq!(error, CreditNoteError::TooManyLines);
        let error =
            refused(|doc| doc.shop_address.as_mut().expect("set").lines = vec!["x".into(); 7]);
        assert!(matches!(
            error,
            CreditNoteError::ShopAddress(LabelError::TooManyLines { .. })
        ));
        assert!(render_credit_note(&note(MAX_CREDIT_NOTE_LINES), Locale::En).is_ok());
    }
}
