//! Return labels of the built-in carrier: [`render_label`] turns a [`LabelRequest`] into a
//! one-page PDF, either an A4 sheet with the label in a cut-out box or a 4×6 inch label for
//! thermal printers, and [`Carrier`] is the interface real carriers will implement.
//!
//! Pure: no I/O, clock or RNG, so the same request gives the same bytes. Text is real text in
//! the built-in Helvetica (searchable, copyable, read by screen readers, no font files); the
//! Code 128 barcode and the QR code of the reference are filled rectangles.

mod carrier;
pub mod credit_note;
mod layout;
mod metrics;
#[cfg(test)]
mod tests;
mod text;

pub use carrier::{BuiltInCarrier, Carrier, CarrierError, Shipment};

use printpdf::{PdfDocument, PdfPage, PdfSaveOptions};
use qrcode::{EcLevel, QrCode};

/// Lines of an address besides its name, postcode, city and country.
pub const MAX_ADDRESS_LINES: usize = 6;
/// Characters in a name, an address line, a postcode, a city, the shop name or the order number.
pub const MAX_FIELD_CHARS: usize = 80;
/// Characters in the reference: 20 keep the Code 128 barcode wide enough to scan on a 4×6 label.
pub const MAX_REFERENCE_CHARS: usize = 20;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Address {
    pub name: String,
    pub lines: Vec<String>,
    pub postcode: String,
    pub city: String,
    /// ISO 3166-1 alpha-2, e.g. "FR".
    pub country: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LabelRequest {
    /// The return's reference, e.g. "R-7K3M-9QXT": printed large and encoded in both codes.
    pub reference: String,
    pub shop_name: String,
    pub order_number: String,
    /// The shopper.
    pub from: Address,
    /// The shop's return address.
    pub to: Address,
    pub created_on: time::Date,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LabelFormat {
    /// A4 portrait, 210 × 297 mm: the label in a box to cut out of the top half.
    A4,
    /// 4 × 6 inch (101.6 × 152.4 mm) portrait: the label fills the page.
    FourBySix,
}

impl LabelFormat {
    /// Width and height of the page in millimetres.
    pub fn page_size_mm(self) -> (f32, f32) {
        match self {
            LabelFormat::A4 => (210.0, 297.0),
            LabelFormat::FourBySix => (101.6, 152.4),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LabelError {
    #[error("the reference is empty")]
    ReferenceEmpty,
    #[error("the reference is longer than {MAX_REFERENCE_CHARS} characters")]
    ReferenceTooLong,
    /// The reference is drawn in Code 128 set B, which holds printable ASCII.
    #[error("the reference contains {0:?}, which its Code 128 barcode cannot encode")]
    ReferenceNotEncodable(char),
    #[error("{field} is longer than {MAX_FIELD_CHARS} characters")]
    FieldTooLong { field: &'static str },
    #[error("{address} has more than {MAX_ADDRESS_LINES} address lines")]
    TooManyLines { address: &'static str },
    #[error("{address} has a country that is not an ISO 3166-1 alpha-2 code")]
    CountryInvalid { address: &'static str },
    /// Not expected for valid inputs (the barcode, QR code or PDF writer refused); reported
    /// rather than panicking.
    #[error("the label could not be drawn")]
    NotDrawn,
}

/// The label of `request` as the bytes of a one-page PDF in `format`.
///
/// Inputs over the limits above are refused; inside them every text is wrapped, shrunk and as a
/// last resort cut with an ellipsis so that nothing leaves its box. Characters the built-in
/// fonts cannot show are replaced (see `text::to_win_ansi`). CPU-bound: call it from
/// `spawn_blocking` in async code.
pub fn render_label(request: &LabelRequest, format: LabelFormat) -> Result<Vec<u8>, LabelError> {
    let content = Content::parse(request)?;
    let barcode = code128_modules(&request.reference)?;
    let qr = qr_modules(&request.reference)?;
    let page = layout::draw_page(&content, &barcode, &qr, format);
    pdf_bytes(&format!("Return label {}", request.reference), vec![page])
        .ok_or(LabelError::NotDrawn)
}

/// `pages` as the bytes of a PDF titled `title`: the same pages always give the same bytes.
fn pdf_bytes(title: &str, pages: Vec<PdfPage>) -> Option<Vec<u8>> {
    let mut document = PdfDocument::new(title);
    // printpdf's warnings are about what these documents do not use (images, external fonts,
    // colours out of range).
    let mut warnings = Vec::new();
    let mut pdf = document
        .with_pages(pages)
        .to_lopdf_document(&PdfSaveOptions::default(), &mut warnings);
    // printpdf fills the trailer's optional /ID from a process-wide counter, so the same pages
    // would give different bytes on each call; without it the PDF depends on the pages alone.
    pdf.trailer.remove(b"ID");
    pdf.compress();
    let mut bytes = Vec::new();
    pdf.save_to(&mut bytes).ok()?;
    Some(bytes)
}

/// The request checked against the limits, with every text made showable in WinAnsi.
struct Content {
    reference: String,
    shop_name: String,
    order_number: String,
    date: String,
    from: PrintedAddress,
    to: PrintedAddress,
}

struct PrintedAddress {
    name: String,
    lines: Vec<String>,
    /// "postcode city".
    locality: String,
    /// Only when the parcel crosses a border.
    country: Option<String>,
}

impl Content {
    fn parse(request: &LabelRequest) -> Result<Self, LabelError> {
        check_reference(&request.reference)?;
        let shop_name = checked("shop_name", &request.shop_name)?;
        let order_number = checked("order_number", &request.order_number)?;
        check_country(FROM.address, &request.from.country)?;
        check_country(TO.address, &request.to.country)?;
        // The country goes on the addresses only when the parcel crosses a border (UPU practice).
        let international = !request
            .from
            .country
            .trim()
            .eq_ignore_ascii_case(request.to.country.trim());
        let from = printed_address(&request.from, &FROM, international)?;
        let to = printed_address(&request.to, &TO, international)?;
        let date = request.created_on;
        Ok(Content {
            reference: request.reference.clone(),
            shop_name,
            order_number,
            date: format!(
                "{:04}-{:02}-{:02}",
                date.year(),
                u8::from(date.month()),
                date.day()
            ),
            from,
            to,
        })
    }
}

fn check_reference(reference: &str) -> Result<(), LabelError> {
    if reference.trim().is_empty() {
        return Err(LabelError::ReferenceEmpty);
    }
    if let Some(c) = reference.chars().find(|c| !matches!(c, ' '..='~')) {
        return Err(LabelError::ReferenceNotEncodable(c));
    }
    if reference.len() > MAX_REFERENCE_CHARS {
        return Err(LabelError::ReferenceTooLong);
    }
    Ok(())
}

fn checked(field: &'static str, raw: &str) -> Result<String, LabelError> {
    if raw.chars().count() > MAX_FIELD_CHARS {
        return Err(LabelError::FieldTooLong { field });
    }
    Ok(text::to_win_ansi(raw))
}

/// The names an address's fields have in errors.
struct AddressFields {
    address: &'static str,
    name: &'static str,
    lines: &'static str,
    postcode: &'static str,
    city: &'static str,
}

const FROM: AddressFields = AddressFields {
    address: "from",
    name: "from.name",
    lines: "from.lines",
    postcode: "from.postcode",
    city: "from.city",
};
const TO: AddressFields = AddressFields {
    address: "to",
    name: "to.name",
    lines: "to.lines",
    postcode: "to.postcode",
    city: "to.city",
};

/// The address as printed, with the country code when `international`.
fn printed_address(
    raw: &Address,
    fields: &AddressFields,
    international: bool,
) -> Result<PrintedAddress, LabelError> {
    if raw.lines.len() > MAX_ADDRESS_LINES {
        return Err(LabelError::TooManyLines {
            address: fields.address,
        });
    }
    let lines = raw
        .lines
        .iter()
        .map(|line| checked(fields.lines, line))
        .collect::<Result<_, _>>()?;
    let locality = format!(
        "{} {}",
        checked(fields.postcode, &raw.postcode)?,
        checked(fields.city, &raw.city)?
    );
    Ok(PrintedAddress {
        name: checked(fields.name, &raw.name)?,
        lines,
        locality: locality.trim().to_owned(),
        country: international.then(|| raw.country.trim().to_ascii_uppercase()),
    })
}

fn check_country(address: &'static str, country: &str) -> Result<(), LabelError> {
    let country = country.trim();
    if country.len() == 2 && country.chars().all(|c| c.is_ascii_alphabetic()) {
        Ok(())
    } else {
        Err(LabelError::CountryInvalid { address })
    }
}

/// The reference's Code 128 symbol, one entry per module (1 = bar), from the start character to
/// the stop pattern, without quiet zones.
fn code128_modules(reference: &str) -> Result<Vec<u8>, LabelError> {
    // "Ɓ" is how barcoders spells "start in character set B" (printable ASCII).
    barcoders::sym::code128::Code128::new(format!("Ɓ{reference}"))
        .map(|code| code.encode())
        .map_err(|_| LabelError::NotDrawn)
}

/// The reference's QR code as an SVG drawing (one path, 4-module quiet zone), for the status
/// page: a drop-off point scans it from the shopper's phone when there is no printer.
pub fn qr_svg(reference: &str) -> Option<String> {
    let modules = qr_modules(reference).ok()?;
    let size = modules.len() + 8;
    let mut path = String::new();
    for (y, row) in modules.iter().enumerate() {
        for (x, _) in row.iter().enumerate().filter(|(_, dark)| **dark) {
            path.push_str(&format!("M{} {}h1v1h-1z", x + 4, y + 4));
        }
    }
    Some(format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" shape-rendering="crispEdges"><rect width="100%" height="100%" fill="#fff"/><path d="{path}" fill="#000"/></svg>"##
    ))
}

/// The reference's QR code as rows of dark (true) and light modules, without the quiet zone.
fn qr_modules(reference: &str) -> Result<Vec<Vec<bool>>, LabelError> {
    // Level M survives a scuffed or creased label and keeps a 20-character reference at version 2.
    let code = QrCode::with_error_correction_level(reference.as_bytes(), EcLevel::M)
        .map_err(|_| LabelError::NotDrawn)?;
    let width = code.width();
    let modules = code.to_colors();
    Ok(modules
        .chunks(width)
        .map(|row| row.iter().map(|&c| c == qrcode::Color::Dark).collect())
        .collect())
}
