//! Orders from a CSV file, for shops without an integration. One row per order line; the
//! order's own columns (number, email, country…) are on its first row and may be repeated
//! or left empty on the next ones, as shop exports do. Rows of one order need not be
//! together.
//!
//! Reading a file gives every order, or every problem with the line it is on: the caller
//! imports all or nothing. Comma, semicolon (spreadsheets in French, Dutch and German
//! settings) and tab separate cells; the header row names the columns in any order.

use std::collections::{HashMap, HashSet};

use time::Date;

use super::{
    money::parse_amount,
    order_sync::{self, IncomingLine, OrderSyncError},
    shop::PostalAddress,
    withdrawal::Exclusion,
    Currency, EmailAddress, Money, Order, OrderLine, OrderNumber,
};

pub const MAX_FILE_BYTES: usize = 2 * 1024 * 1024;
pub const MAX_ROWS: usize = 10_000;
pub const MAX_ORDERS: usize = 2_000;
/// Enough to see what is wrong with a file without drowning in it.
pub const MAX_PROBLEMS: usize = 200;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Column {
    OrderNumber,
    DisplayNumber,
    Email,
    CustomerName,
    ShippingCountry,
    AddressName,
    AddressLine1,
    AddressLine2,
    Postcode,
    City,
    Currency,
    PlacedOn,
    DeliveredOn,
    LineId,
    Sku,
    Title,
    Variant,
    Quantity,
    UnitPrice,
    Discount,
    ImageUrl,
    Returnable,
    Tags,
    Category,
    WithdrawalExclusion,
}

impl Column {
    pub const ALL: [Column; 25] = [
        Column::OrderNumber,
        Column::DisplayNumber,
        Column::Email,
        Column::CustomerName,
        Column::ShippingCountry,
        Column::AddressName,
        Column::AddressLine1,
        Column::AddressLine2,
        Column::Postcode,
        Column::City,
        Column::Currency,
        Column::PlacedOn,
        Column::DeliveredOn,
        Column::LineId,
        Column::Sku,
        Column::Title,
        Column::Variant,
        Column::Quantity,
        Column::UnitPrice,
        Column::Discount,
        Column::ImageUrl,
        Column::Returnable,
        Column::Tags,
        Column::Category,
        Column::WithdrawalExclusion,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Column::OrderNumber => "order_number",
            Column::DisplayNumber => "display_number",
            Column::Email => "email",
            Column::CustomerName => "customer_name",
            Column::ShippingCountry => "shipping_country",
            Column::AddressName => "address_name",
            Column::AddressLine1 => "address_line1",
            Column::AddressLine2 => "address_line2",
            Column::Postcode => "postcode",
            Column::City => "city",
            Column::Currency => "currency",
            Column::PlacedOn => "placed_on",
            Column::DeliveredOn => "delivered_on",
            Column::LineId => "line_id",
            Column::Sku => "sku",
            Column::Title => "title",
            Column::Variant => "variant",
            Column::Quantity => "quantity",
            Column::UnitPrice => "unit_price",
            Column::Discount => "discount",
            Column::ImageUrl => "image_url",
            Column::Returnable => "returnable",
            Column::Tags => "tags",
            Column::Category => "category",
            Column::WithdrawalExclusion => "withdrawal_exclusion",
        }
    }

    /// What the import page says about the column.
    pub fn help(self) -> &'static str {
        match self {
            Column::OrderNumber => "The number shoppers type to find the order, e.g. 1001 or FR-1001.",
            Column::DisplayNumber => "As shown to the shopper; #<order_number> when empty.",
            Column::Email => "The shopper's email address, which they type with the number.",
            Column::CustomerName => "The shopper's name.",
            Column::ShippingCountry => "Two letters (ISO 3166-1), e.g. FR; return rules can test it.",
            Column::AddressName => "The name on the delivery address; the customer's name when empty.",
            Column::AddressLine1 | Column::AddressLine2 => "The delivery address: where a return comes from.",
            Column::Postcode => "The delivery address's postcode.",
            Column::City => "The delivery address's city.",
            Column::Currency => "Three letters (ISO 4217), e.g. EUR.",
            Column::PlacedOn => "The order date, YYYY-MM-DD (a time after it is ignored).",
            Column::DeliveredOn => "The delivery date, YYYY-MM-DD; the return window counts from it. Empty until delivered.",
            Column::LineId => "Your id of the line, unique in the order; the SKU when empty.",
            Column::Sku => "The product's SKU.",
            Column::Title => "The product's name, as the shopper knows it.",
            Column::Variant => "Size, colour…",
            Column::Quantity => "Units ordered, 1 to 10000.",
            Column::UnitPrice => "What the shopper paid for one unit, e.g. 49.90 or 49,90.",
            Column::Discount => "An order discount given to the whole line; 0 when empty.",
            Column::ImageUrl => "A picture of the product (https://…).",
            Column::Returnable => "yes or no (final sale); yes when empty.",
            Column::Tags => "Product tags separated by |, which return rules can test.",
            Column::Category => "The product's category, which return rules can test.",
            Column::WithdrawalExclusion => "When the law excludes the line from withdrawal: personalised, perishable, sealed_hygiene, mixed, sealed_media or periodical.",
        }
    }

    pub fn required(self) -> bool {
        matches!(
            self,
            Column::OrderNumber
                | Column::Email
                | Column::ShippingCountry
                | Column::Currency
                | Column::PlacedOn
                | Column::Sku
                | Column::Title
                | Column::Quantity
                | Column::UnitPrice
        )
    }

    /// Describes the order rather than the line: the same on each of the order's rows.
    fn of_order(self) -> bool {
        (self as usize) <= (Column::DeliveredOn as usize)
    }

    /// Header cells are matched loosely: "Order number", "order-number" and
    /// "ORDER_NUMBER" all name `order_number`.
    fn from_header(cell: &str) -> Option<Column> {
        let normalised: String = cell
            .trim()
            .chars()
            .map(|c| match c {
                ' ' | '-' => '_',
                c => c.to_ascii_lowercase(),
            })
            .collect();
        Column::ALL.into_iter().find(|c| c.name() == normalised)
    }
}

/// A file to start from, offered for download on the import page.
pub const TEMPLATE: &str = "\
order_number,email,customer_name,shipping_country,address_line1,postcode,city,currency,placed_on,delivered_on,line_id,sku,title,variant,quantity,unit_price,discount,returnable,tags,category
2001,ada@example.org,Ada Lovelace,FR,12 rue des Lilas,75011,Paris,EUR,2026-11-20,2026-11-23,1,TS-LIN-M,Linen shirt,Blue / M,1,49.90,0,yes,summer|linen,shirts
2001,,,,,,,,,,2,SK-WOOL,Wool socks,,2,12.00,2.00,no,,socks
";

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImportProblem {
    #[error("the file is empty")]
    Empty,
    #[error("the file is larger than 2 MB: split it into several files")]
    TooLarge,
    #[error("the file is not UTF-8 text: in your spreadsheet, save it as “CSV UTF-8”")]
    NotUtf8,
    #[error("the file cannot be read as CSV: {0}")]
    Malformed(String),
    #[error("the file has more than {MAX_ROWS} rows: split it into several files")]
    TooManyRows,
    #[error("the file has more than {MAX_ORDERS} orders: split it into several files")]
    TooManyOrders,
    #[error("the column “{0}” is missing from the header row")]
    MissingColumn(&'static str),
    #[error("the column “{0}” is not one Retour reads (see the template for the columns)")]
    UnknownColumn(String),
    #[error("the column “{0}” appears twice in the header row")]
    DuplicateColumn(&'static str),
    #[error("{0} is empty")]
    Missing(&'static str),
    #[error("{column}: “{value}” is not {expected}")]
    Invalid {
        column: &'static str,
        value: String,
        expected: &'static str,
    },
    #[error("{column} is “{value}” here but was given otherwise on line {first_line} for the same order")]
    Disagrees {
        column: &'static str,
        value: String,
        first_line: usize,
    },
    #[error("{0}")]
    Order(#[from] OrderSyncError),
}

impl ImportProblem {
    /// Stable, like the API's problem codes.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Empty => "file_empty",
            Self::TooLarge => "file_too_large",
            Self::NotUtf8 => "file_not_utf8",
            Self::Malformed(_) => "csv_malformed",
            Self::TooManyRows => "too_many_rows",
            Self::TooManyOrders => "too_many_orders",
            Self::MissingColumn(_) => "column_missing",
            Self::UnknownColumn(_) => "column_unknown",
            Self::DuplicateColumn(_) => "column_duplicate",
            Self::Missing(_) => "value_missing",
            Self::Invalid { .. } => "value_invalid",
            Self::Disagrees { .. } => "order_rows_disagree",
            Self::Order(error) => error.code(),
        }
    }
}

/// A problem and where it is: `line` counts the file's lines from 1 (the header row), and
/// is 0 for the file as a whole.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowProblem {
    pub line: usize,
    pub order_number: String,
    pub problem: ImportProblem,
}

/// An order read from the file, ready for `services::api::upsert_order_in`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedOrder {
    /// The line of its first row, where its problems are reported.
    pub first_line: usize,
    pub order: Order,
    pub lines: Vec<IncomingLine>,
}

/// What a file holds once read without a problem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportFile {
    pub orders: Vec<ImportedOrder>,
    /// Rows with anything in them.
    pub rows: usize,
}

/// Every order of the file, or every problem found (at most [`MAX_PROBLEMS`]).
pub fn read(bytes: &[u8]) -> Result<ImportFile, Vec<RowProblem>> {
    let whole = |problem| vec![problem_at(0, "", problem)];
    if bytes.len() > MAX_FILE_BYTES {
        return Err(whole(ImportProblem::TooLarge));
    }
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    let text = std::str::from_utf8(bytes).map_err(|_| whole(ImportProblem::NotUtf8))?;
    if text.trim().is_empty() {
        return Err(whole(ImportProblem::Empty));
    }
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter_of(text.lines().next().unwrap_or("")))
        .flexible(true)
        .has_headers(false)
        .from_reader(text.as_bytes());
    let mut records = reader.records();
    let header = match records.next() {
        Some(Ok(header)) => header,
        Some(Err(error)) => return Err(whole(ImportProblem::Malformed(error.to_string()))),
        None => return Err(whole(ImportProblem::Empty)),
    };
    let columns = read_header(&header).map_err(|problems| {
        problems
            .into_iter()
            .map(|problem| problem_at(1, "", problem))
            .collect::<Vec<_>>()
    })?;

    let mut problems = Vec::new();
    let mut orders: Vec<Draft> = Vec::new();
    let mut by_number: HashMap<String, usize> = HashMap::new();
    // Orders whose first row was refused: their next rows, which often leave the order's
    // cells empty, would only repeat the problem as "email is empty".
    let mut refused_orders: HashSet<String> = HashSet::new();
    let mut rows = 0;
    for record in records {
        let record = match record {
            Ok(record) => record,
            Err(error) => {
                let line = error.position().map_or(0, |p| p.line() as usize);
                problems.push(problem_at(line, "", ImportProblem::Malformed(error.to_string())));
                break;
            }
        };
        if record.iter().all(|cell| cell.trim().is_empty()) {
            continue;
        }
        rows += 1;
        if rows > MAX_ROWS {
            return Err(whole(ImportProblem::TooManyRows));
        }
        let line = record.position().map_or(0, |p| p.line() as usize);
        let row = Row {
            record: &record,
            columns: &columns,
        };
        let raw_number = row.cell(Column::OrderNumber);
        let number = match OrderNumber::parse(raw_number) {
            Ok(number) => number,
            Err(_) => {
                let problem = if raw_number.is_empty() {
                    ImportProblem::Missing("order_number")
                } else {
                    invalid(Column::OrderNumber, raw_number, "an order number (letters, digits, - _ . /)")
                };
                problems.push(problem_at(line, raw_number, problem));
                continue;
            }
        };
        if refused_orders.contains(number.as_str()) {
            continue;
        }
        let index = match by_number.get(number.as_str()) {
            Some(&index) => {
                let draft = &orders[index];
                for problem in draft.disagreements(&row) {
                    problems.push(problem_at(line, raw_number, problem));
                }
                index
            }
            None => match Draft::first_row(&row, number.clone(), line) {
                Ok(draft) => {
                    by_number.insert(draft.order.number.as_str().to_owned(), orders.len());
                    orders.push(draft);
                    if orders.len() > MAX_ORDERS {
                        return Err(whole(ImportProblem::TooManyOrders));
                    }
                    orders.len() - 1
                }
                Err(found) => {
                    problems.extend(found.into_iter().map(|p| problem_at(line, raw_number, p)));
                    refused_orders.insert(number.as_str().to_owned());
                    continue;
                }
            },
        };
        let draft = &mut orders[index];
        match read_line(&row, draft.order.currency) {
            Ok(incoming) => draft.lines.push(incoming),
            Err(found) => {
                draft.rows_refused = true;
                problems.extend(found.into_iter().map(|p| problem_at(line, raw_number, p)));
            }
        }
    }
    if rows == 0 && problems.is_empty() {
        return Err(whole(ImportProblem::Empty));
    }
    for draft in orders.iter().filter(|d| !(d.rows_refused && d.lines.is_empty())) {
        if let Err(error) = order_sync::validate(&draft.order, &draft.lines) {
            problems.push(problem_at(
                draft.first_line,
                draft.order.number.as_str(),
                error.into(),
            ));
        }
    }
    if !problems.is_empty() {
        problems.sort_by_key(|p| p.line);
        problems.truncate(MAX_PROBLEMS);
        return Err(problems);
    }
    let orders = orders
        .into_iter()
        .map(|draft| ImportedOrder {
            first_line: draft.first_line,
            order: draft.order,
            lines: draft.lines,
        })
        .collect();
    Ok(ImportFile { orders, rows })
}

/// The value, or `None` with its problem kept: a row reports all its bad cells at once.
fn keep<T>(problems: &mut Vec<ImportProblem>, result: Result<T, ImportProblem>) -> Option<T> {
    result.map_err(|problem| problems.push(problem)).ok()
}

fn problem_at(line: usize, order_number: &str, problem: ImportProblem) -> RowProblem {
    RowProblem {
        line,
        order_number: order_number.trim().to_owned(),
        problem,
    }
}

fn invalid(column: Column, value: &str, expected: &'static str) -> ImportProblem {
    ImportProblem::Invalid {
        column: column.name(),
        value: value.chars().take(60).collect(),
        expected,
    }
}

/// The separator the header row uses most: a header's cells are plain names, so counting
/// is enough.
fn delimiter_of(header: &str) -> u8 {
    [b',', b';', b'\t']
        .into_iter()
        .max_by_key(|d| header.bytes().filter(|b| b == d).count())
        .unwrap_or(b',')
}

fn read_header(header: &csv::StringRecord) -> Result<HashMap<Column, usize>, Vec<ImportProblem>> {
    let mut columns = HashMap::new();
    let mut problems = Vec::new();
    for (index, cell) in header.iter().enumerate() {
        if cell.trim().is_empty() {
            continue;
        }
        match Column::from_header(cell) {
            Some(column) if columns.contains_key(&column) => {
                problems.push(ImportProblem::DuplicateColumn(column.name()))
            }
            Some(column) => {
                columns.insert(column, index);
            }
            None => problems.push(ImportProblem::UnknownColumn(cell.trim().chars().take(60).collect())),
        }
    }
    for column in Column::ALL {
        if column.required() && !columns.contains_key(&column) {
            problems.push(ImportProblem::MissingColumn(column.name()));
        }
    }
    if problems.is_empty() {
        Ok(columns)
    } else {
        Err(problems)
    }
}

struct Row<'a> {
    record: &'a csv::StringRecord,
    columns: &'a HashMap<Column, usize>,
}

impl Row<'_> {
    /// The trimmed cell, or "" when the file has no such column or the row is short.
    fn cell(&self, column: Column) -> &str {
        self.columns
            .get(&column)
            .and_then(|&index| self.record.get(index))
            .map_or("", str::trim)
    }

    fn required(&self, column: Column) -> Result<&str, ImportProblem> {
        match self.cell(column) {
            "" => Err(ImportProblem::Missing(column.name())),
            text => Ok(text),
        }
    }
}

/// An order while its rows are read.
struct Draft {
    first_line: usize,
    /// The order's cells as its first row gave them, for comparing the next rows.
    cells: Vec<(Column, String)>,
    order: Order,
    lines: Vec<IncomingLine>,
    /// Some of its rows were refused: an order left without lines says nothing new.
    rows_refused: bool,
}

impl Draft {
    fn first_row(row: &Row<'_>, number: OrderNumber, line: usize) -> Result<Draft, Vec<ImportProblem>> {
        let mut problems = Vec::new();
        let email = keep(&mut problems, row.required(Column::Email).and_then(|text| {
            EmailAddress::parse(text).map_err(|_| invalid(Column::Email, text, "an email address"))
        }));
        let currency = keep(&mut problems, row.required(Column::Currency).and_then(|text| {
            Currency::parse(text)
                .map_err(|_| invalid(Column::Currency, text, "a three-letter currency code (EUR)"))
        }));
        let country = keep(&mut problems, row.required(Column::ShippingCountry).and_then(|text| {
            let code = text.to_ascii_uppercase();
            (code.len() == 2 && code.bytes().all(|b| b.is_ascii_uppercase()))
                .then_some(code)
                .ok_or_else(|| invalid(Column::ShippingCountry, text, "a two-letter country code (FR)"))
        }));
        let placed_on = keep(&mut problems, 
            row.required(Column::PlacedOn)
                .and_then(|text| parse_date(Column::PlacedOn, text)),
        );
        let delivered_on = keep(&mut problems, match row.cell(Column::DeliveredOn) {
            "" => Ok(None),
            text => parse_date(Column::DeliveredOn, text).map(Some),
        });
        let (Some(email), Some(currency), Some(shipping_country), Some(placed_on), Some(delivered_on)) =
            (email, currency, country, placed_on, delivered_on)
        else {
            return Err(problems);
        };
        let customer_name = row.cell(Column::CustomerName).to_owned();
        let address_lines: Vec<String> = [Column::AddressLine1, Column::AddressLine2]
            .into_iter()
            .map(|c| row.cell(c).to_owned())
            .filter(|l| !l.is_empty())
            .collect();
        let shipping_address = if address_lines.is_empty() {
            PostalAddress::default()
        } else {
            PostalAddress {
                name: match row.cell(Column::AddressName) {
                    "" => customer_name.clone(),
                    name => name.to_owned(),
                },
                lines: address_lines,
                postcode: row.cell(Column::Postcode).to_owned(),
                city: row.cell(Column::City).to_owned(),
                country: shipping_country.clone(),
            }
        };
        let display_number = match row.cell(Column::DisplayNumber) {
            "" => format!("#{}", number.as_str()),
            display => display.to_owned(),
        };
        Ok(Draft {
            first_line: line,
            cells: Column::ALL
                .into_iter()
                .filter(|c| c.of_order() && *c != Column::OrderNumber)
                .map(|c| (c, row.cell(c).to_owned()))
                .collect(),
            order: Order {
                id: String::new(),
                shop_id: String::new(),
                display_number,
                number,
                email,
                customer_name,
                shipping_country,
                shipping_address,
                currency,
                placed_on,
                delivered_on,
            },
            lines: Vec::new(),
            rows_refused: false,
        })
    }

    /// A later row may leave the order's cells empty or repeat them, not change them.
    fn disagreements(&self, row: &Row<'_>) -> Vec<ImportProblem> {
        self.cells
            .iter()
            .filter_map(|(column, first)| {
                let here = row.cell(*column);
                let same = here.is_empty()
                    || here == first
                    || matches!(column, Column::Email | Column::Currency | Column::ShippingCountry)
                        && here.eq_ignore_ascii_case(first);
                (!same).then(|| ImportProblem::Disagrees {
                    column: column.name(),
                    value: here.chars().take(60).collect(),
                    first_line: self.first_line,
                })
            })
            .collect()
    }
}

/// `2026-11-20`, also when a time follows (`2026-11-20 14:03:22 +0100`, `2026-11-20T14:03`),
/// as shop exports write it.
fn parse_date(column: Column, text: &str) -> Result<Date, ImportProblem> {
    let day = text
        .get(..10)
        .filter(|_| matches!(text.as_bytes().get(10), None | Some(b' ' | b'T')));
    day.and_then(|day| {
        Date::parse(day, &time::format_description::well_known::Iso8601::DATE).ok()
    })
    .ok_or_else(|| invalid(column, text, "a date written YYYY-MM-DD"))
}

fn read_line(row: &Row<'_>, currency: Currency) -> Result<IncomingLine, Vec<ImportProblem>> {
    let mut problems = Vec::new();
    let sku = keep(&mut problems, row.required(Column::Sku).map(str::to_owned));
    let title = keep(&mut problems, row.required(Column::Title).map(str::to_owned));
    let quantity = keep(&mut problems, row.required(Column::Quantity).and_then(|text| {
        text.parse::<u32>()
            .ok()
            .filter(|q| (1..=order_sync::MAX_QUANTITY).contains(q))
            .ok_or_else(|| invalid(Column::Quantity, text, "a whole number from 1 to 10000"))
    }));
    let amount = |column: Column, text: &str| {
        parse_amount(text, currency.exponent())
            .map(|minor| Money::new(minor.unwrap_or(0), currency))
            .map_err(|_| invalid(column, text, "an amount such as 49.90 or 49,90"))
    };
    let unit_price = keep(&mut problems, 
        row.required(Column::UnitPrice)
            .and_then(|text| amount(Column::UnitPrice, text)),
    );
    let discount = keep(&mut problems, amount(Column::Discount, row.cell(Column::Discount)));
    let returnable = keep(&mut problems, match row.cell(Column::Returnable).to_lowercase().as_str() {
        "" | "yes" | "y" | "true" | "1" | "oui" | "ja" => Ok(true),
        "no" | "n" | "false" | "0" | "non" | "nee" | "nein" => Ok(false),
        _ => Err(invalid(Column::Returnable, row.cell(Column::Returnable), "yes or no")),
    });
    let withdrawal_exclusion = keep(&mut problems, match row.cell(Column::WithdrawalExclusion) {
        "" => Ok(None),
        text => Exclusion::ALL
            .into_iter()
            .find(|e| e.as_str().eq_ignore_ascii_case(text))
            .map(Some)
            .ok_or_else(|| {
                invalid(
                    Column::WithdrawalExclusion,
                    text,
                    "personalised, perishable, sealed_hygiene, mixed, sealed_media or periodical",
                )
            }),
    });
    let (Some(sku), Some(title), Some(quantity), Some(unit_price), Some(discount), Some(returnable), Some(withdrawal_exclusion)) =
        (sku, title, quantity, unit_price, discount, returnable, withdrawal_exclusion)
    else {
        return Err(problems);
    };
    // Without a line id, the SKU names the line, so importing the same file again updates
    // the same lines.
    let key = match row.cell(Column::LineId) {
        "" => sku.clone(),
        id => id.to_owned(),
    };
    Ok(IncomingLine {
        key,
        line: OrderLine {
            id: String::new(),
            sku,
            title,
            variant: row.cell(Column::Variant).to_owned(),
            quantity,
            unit_price,
            discount,
            image_url: row.cell(Column::ImageUrl).to_owned(),
            returnable,
            tags: row
                .cell(Column::Tags)
                .split(['|', ',', ';'])
                .map(str::trim)
                .filter(|t| !t.is_empty())
                .map(str::to_owned)
                .collect(),
            category: Some(row.cell(Column::Category))
                .filter(|c| !c.is_empty())
                .map(str::to_owned),
            withdrawal_exclusion,
        },
    })
}

#[cfg(test)]
mod tests;
