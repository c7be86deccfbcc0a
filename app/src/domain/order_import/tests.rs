use super::*;
use proptest::prelude::*;

fn problems(text: &str) -> Vec<(usize, &'static str)> {
    match read(text.as_bytes()) {
        Ok(file) => panic!("read {} orders, expected problems", file.orders.len()),
        Err(problems) => problems.iter().map(|p| (p.line, p.problem.code())).collect(),
    }
}

fn orders(text: &str) -> Vec<ImportedOrder> {
    match read(text.as_bytes()) {
        Ok(file) => file.orders,
        Err(problems) => panic!("{problems:#?}"),
    }
}

const HEADER: &str = "order_number,email,shipping_country,currency,placed_on,sku,title,quantity,unit_price";

#[test]
fn the_template_reads_as_one_order_with_two_lines() {
    let read = orders(TEMPLATE);
    assert_eq!(read.len(), 1);
    let order = &read[0];
    assert_eq!(order.first_line, 2);
    assert_eq!(order.order.number.as_str(), "2001");
    assert_eq!(order.order.display_number, "#2001");
    assert_eq!(order.order.email.as_str(), "ada@example.org");
    assert_eq!(order.order.shipping_address.city, "Paris");
    assert_eq!(order.order.shipping_address.name, "Ada Lovelace", "the customer's name by default");
    assert_eq!(order.order.shipping_address.country, "FR");
    assert_eq!(order.order.delivered_on.map(|d| d.to_string()).as_deref(), Some("2026-11-23"));
    let [shirt, socks] = &order.lines[..] else { panic!() };
    assert_eq!(shirt.key, "1");
    assert_eq!(shirt.line.unit_price, Money::new(4990, Currency::EUR));
    assert_eq!(shirt.line.tags, ["summer", "linen"]);
    assert_eq!(shirt.line.category.as_deref(), Some("shirts"));
    assert!(shirt.line.returnable);
    assert_eq!(socks.line.quantity, 2);
    assert_eq!(socks.line.discount, Money::new(200, Currency::EUR));
    assert!(!socks.line.returnable);
}

#[test]
fn a_spreadsheet_in_french_settings_with_semicolons_decimal_commas_and_a_bom_reads_the_same() {
    let text = "\u{feff}Order number;Email;Shipping country;Currency;Placed on;SKU;Title;Quantity;Unit price\r\n\
                #fr-9;Zoe@Example.FR;fr;eur;2026-11-02 10:15:00 +0100;A;\"Robe; lin\";1;79,5\r\n";
    let read = orders(text);
    let order = &read[0].order;
    assert_eq!(order.number.as_str(), "FR-9");
    assert_eq!(order.email.as_str(), "zoe@example.fr");
    assert_eq!(order.shipping_country, "FR");
    assert_eq!(order.currency, Currency::EUR);
    assert_eq!(order.placed_on.to_string(), "2026-11-02");
    assert_eq!(read[0].lines[0].line.title, "Robe; lin", "a quoted separator stays in its cell");
    assert_eq!(read[0].lines[0].line.unit_price.minor, 7950);
    assert_eq!(read[0].lines[0].key, "A", "the SKU names a line without a line id");
}

#[test]
fn rows_of_one_order_may_be_apart_and_repeat_or_omit_the_order_cells() {
    let text = format!(
        "{HEADER}\n\
         1,a@x.org,FR,EUR,2026-11-01,A,Shirt,1,10\n\
         2,b@x.org,NL,EUR,2026-11-01,B,Socks,1,5\n\
         1,A@X.ORG,fr,,,C,Scarf,2,15.5\n"
    );
    let read = orders(&text);
    assert_eq!(read.len(), 2);
    assert_eq!(
        read[0].lines.iter().map(|l| l.key.as_str()).collect::<Vec<_>>(),
        ["A", "C"]
    );
    assert_eq!(read[1].lines.len(), 1);
}

#[test]
fn an_order_cell_that_changes_between_rows_is_reported_on_the_row_that_changes_it() {
    let text = format!(
        "{HEADER}\n\
         1,a@x.org,FR,EUR,2026-11-01,A,Shirt,1,10\n\
         1,someone@else.org,FR,USD,2026-11-01,B,Socks,1,5\n"
    );
    assert_eq!(problems(&text), [(3, "order_rows_disagree"), (3, "order_rows_disagree")]);
}

#[test]
fn every_bad_cell_is_reported_with_its_line_and_nothing_is_read() {
    let text = format!(
        "{HEADER},returnable,withdrawal_exclusion,delivered_on\n\
         1,not-an-email,France,EURO,20/11/2026,A,Shirt,1,10,yes,,\n\
         2,b@x.org,NL,EUR,2026-11-01,,Socks,0,5.999,maybe,fresh,\n\
         3,c@x.org,DE,EUR,2026-11-01,C,Hat,1,-4,,,\n\
         ,d@x.org,DE,EUR,2026-11-01,D,Hat,1,4,,,\n"
    );
    let found = problems(&text);
    assert_eq!(
        found,
        [
            (2, "value_invalid"), // email
            (2, "value_invalid"), // currency
            (2, "value_invalid"), // country
            (2, "value_invalid"), // date
            (3, "value_missing"), // sku
            (3, "value_invalid"), // quantity
            (3, "value_invalid"), // three decimals in euros
            (3, "value_invalid"), // returnable
            (3, "value_invalid"), // exclusion
            (4, "value_invalid"), // a negative price
            (5, "value_missing"), // order number
        ]
    );
}

#[test]
fn an_order_refused_on_its_first_row_is_reported_there_only() {
    let text = format!(
        "{HEADER}\n\
         1,ada-at-example.org,FR,EUR,2026-11-01,A,Shirt,1,10\n\
         1,,,,,B,Socks,1,5\n\
         1,,,,,C,Scarf,1,5\n"
    );
    assert_eq!(problems(&text), [(2, "value_invalid")]);
}

#[test]
fn the_order_rules_of_the_api_apply_to_the_file() {
    let text = format!(
        "{HEADER},line_id,delivered_on\n\
         1,a@x.org,FR,EUR,2026-11-05,A,Shirt,1,10,x,2026-11-01\n\
         2,b@x.org,FR,EUR,2026-11-05,A,Shirt,1,10,,\n\
         2,b@x.org,FR,EUR,2026-11-05,A,Shirt again,1,10,,\n"
    );
    let read = read(text.as_bytes()).unwrap_err();
    let codes: Vec<_> = read.iter().map(|p| (p.line, p.order_number.as_str(), p.problem.code())).collect();
    assert_eq!(
        codes,
        [(2, "1", "delivered_before_placed"), (3, "2", "line_id_duplicate")]
    );
    assert!(read[1].problem.to_string().contains("appears twice"), "{}", read[1].problem);
}

#[test]
fn lines_are_counted_in_the_file_even_after_a_cell_that_spans_two() {
    let text = format!(
        "{HEADER}\n\
         1,a@x.org,FR,EUR,2026-11-01,A,\"Shirt\nwith a break\",1,10\n\
         2,b@x.org,FR,EUR,2026-11-01,B,Socks,1,ten\n"
    );
    assert_eq!(problems(&text), [(2, "line_text_invalid"), (4, "value_invalid")]);
}

#[test]
fn the_header_row_must_name_every_needed_column_and_only_known_ones() {
    assert_eq!(
        problems("order_number,email,Email,colour,shipping_country,currency,placed_on,sku,title,unit_price\n1,a@x.org\n"),
        [(1, "column_duplicate"), (1, "column_unknown"), (1, "column_missing")]
    );
}

#[test]
fn files_that_are_not_csv_text_are_refused_as_a_whole() {
    assert_eq!(problems(""), [(0, "file_empty")]);
    assert_eq!(problems(&format!("{HEADER}\n\n,,,\n")), [(0, "file_empty")]);
    assert_eq!(
        read(b"order_number\n\xe9t\xe9\n").unwrap_err()[0].problem,
        ImportProblem::NotUtf8,
        "Latin-1 from an old spreadsheet"
    );
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\x01\0";
    assert_eq!(read(png).unwrap_err()[0].problem, ImportProblem::NotUtf8, "a photo");
    assert_eq!(
        problems(&"x".repeat(MAX_FILE_BYTES + 1)),
        [(0, "file_too_large")]
    );
    // An unclosed quote swallows the rest of the row: the cells after it are missing.
    let unterminated = format!("{HEADER}\n1,a@x.org,FR,EUR,2026-11-01,A,\"Shirt,1,10\n");
    assert_eq!(problems(&unterminated), [(2, "value_missing"), (2, "value_missing")]);
}

#[test]
fn a_file_with_too_many_rows_or_orders_is_refused_before_it_is_all_read() {
    let mut text = format!("{HEADER}\n");
    for n in 0..=MAX_ORDERS {
        text.push_str(&format!("{n},a@x.org,FR,EUR,2026-11-01,A,Shirt,1,10\n"));
    }
    assert_eq!(problems(&text), [(0, "too_many_orders")]);
    let mut text = format!("{HEADER}\n");
    for n in 0..=MAX_ROWS {
        text.push_str(&format!("1,a@x.org,FR,EUR,2026-11-01,S{n},Shirt,1,10\n"));
    }
    assert_eq!(problems(&text), [(0, "too_many_rows")]);
}

#[test]
fn a_file_full_of_mistakes_reports_a_bounded_number_of_them() {
    let mut text = format!("{HEADER}\n");
    for n in 0..1000 {
        text.push_str(&format!("{n},nobody,FR,EUR,2026-11-01,A,Shirt,1,10\n"));
    }
    assert_eq!(read(text.as_bytes()).unwrap_err().len(), MAX_PROBLEMS);
}

#[test]
fn amounts_follow_the_currency_s_decimals() {
    let text = "order_number,email,shipping_country,currency,placed_on,sku,title,quantity,unit_price\n\
                1,a@x.org,JP,JPY,2026-11-01,A,Tea,1,1500\n\
                2,b@x.org,KW,KWD,2026-11-01,B,Tea,1,1.255\n";
    let read = orders(text);
    assert_eq!(read[0].lines[0].line.unit_price.minor, 1500);
    assert_eq!(read[1].lines[0].line.unit_price.minor, 1255);
    assert_eq!(
        problems("order_number,email,shipping_country,currency,placed_on,sku,title,quantity,unit_price\n1,a@x.org,JP,JPY,2026-11-01,A,Tea,1,15.5\n"),
        [(2, "value_invalid")]
    );
}

proptest! {
    /// Whatever the bytes, reading ends with orders or problems, never a panic, and every
    /// problem points inside the file.
    #[test]
    fn any_bytes_read_without_panicking(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        let lines = bytes.iter().filter(|b| **b == b'\n').count() + 2;
        if let Err(problems) = read(&bytes) {
            prop_assert!(!problems.is_empty());
            prop_assert!(problems.iter().all(|p| p.line <= lines));
        }
    }

    /// Cells written with the csv crate's quoting come back as they were.
    #[test]
    fn titles_with_separators_and_quotes_survive(title in "[a-zA-Z0-9 ,;\"]{1,30}") {
        prop_assume!(!title.trim().is_empty());
        let mut writer = csv::Writer::from_writer(Vec::new());
        writer.write_record(HEADER.split(',')).unwrap();
        writer.write_record(["1", "a@x.org", "FR", "EUR", "2026-11-01", "A", &title, "1", "10"]).unwrap();
        let bytes = writer.into_inner().unwrap();
        let file = read(&bytes).unwrap();
        prop_assert_eq!(&file.orders[0].lines[0].line.title, title.trim());
    }
}
