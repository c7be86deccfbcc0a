//! The return-rules engine on a large rule set: 1,000 enabled rules (a realistic mix of tests,
//! nested two and three levels) against one request of 3 items, as at submission. For scale,
//! the same run times 1 rule on the same request.
//!
//! `cargo run --release -p app --example rules_bench --features ssr -- [--runs N]`
//!
//! Prints median, p95 and mean per evaluation in microseconds, for docs/benchmarks.md.

use app::domain::{
    rules::{
        evaluate, Action, Bound, Condition, ItemContext, Membership, RequestKind, Rule,
        RuleContext, ShopDefaults, SkuTest,
    },
    shop::LocalizedText,
    Currency, Money, Resolution,
};
use std::{hint::black_box, time::Instant};
use time::{Date, Duration, Month};

const RULES: usize = 1_000;
const DEFAULT_RUNS: usize = 2_000;

fn eur(minor: i64) -> Money {
    Money::new(minor, Currency::EUR)
}

/// A deterministic mix: the `i`th rule cycles through shapes merchants write (reason lists,
/// countries, windows, prices, SKUs, tags, customer history) combined in nested groups, and
/// through every kind of action, so that some rules match each item and conflicts get settled.
fn rule(i: usize) -> Rule {
    let reasons = [
        "damaged",
        "wrong_item",
        "too_small",
        "too_large",
        "changed_mind",
    ];
    let countries = ["FR", "BE", "NL", "DE", "LU", "AT"];
    let n = i as u32;
    let leaf = |k: usize| -> Condition {
        match k % 9 {
            0 => Condition::Reason(Membership::NoneOf(vec![
                reasons[k % 5].into(),
                reasons[(k + 1) % 5].into(),
            ])),
            1 => Condition::Country(Membership::OneOf(vec![
                countries[k % 6].into(),
                countries[(k + 2) % 6].into(),
            ])),
            2 => Condition::DaysSinceDelivery(Bound::AtLeast((k % 40) as u32)),
            3 => Condition::UnitPrice(Bound::AtMost(eur((k % 50) as i64 * 200))),
            4 => Condition::Sku(SkuTest::StartsWith(format!("SKU-{}", k % 7))),
            5 => Condition::Tag(Membership::Is(["sale", "summer", "final"][k % 3].into())),
            6 => Condition::Quantity(Bound::AtLeast((k % 3) as u32 + 1)),
            7 => Condition::CustomerReturns {
                within_days: 90,
                count: Bound::AtLeast((k % 4) as u32),
            },
            _ => Condition::OrderTotal(Bound::AtLeast(eur((k % 20) as i64 * 1_000))),
        }
    };
    let condition = match i % 3 {
        0 => Condition::AllOf(vec![
            leaf(i),
            Condition::AnyOf(vec![leaf(i + 1), leaf(i + 2)]),
        ]),
        1 => Condition::AnyOf(vec![
            Condition::AllOf(vec![leaf(i + 3), leaf(i + 4)]),
            Condition::AllOf(vec![
                leaf(i + 5),
                Condition::AnyOf(vec![leaf(i + 6), leaf(i + 7)]),
            ]),
        ]),
        _ => Condition::AllOf(vec![leaf(i + 8), leaf(i + 2), leaf(i + 4)]),
    };
    let action = match i % 6 {
        0 => Action::Refuse {
            message: LocalizedText {
                en: format!("Not returnable (rule {i})"),
                ..Default::default()
            },
        },
        1 => Action::RequireManualApproval,
        2 => Action::ApproveAutomatically {
            with_label: i % 4 == 0,
        },
        3 => Action::SetFee {
            fee: eur(100 + (i % 10) as i64 * 50),
        },
        4 => Action::WaiveFee,
        _ => Action::LimitResolutions {
            resolutions: vec![Resolution::Refund, Resolution::StoreCredit],
        },
    };
    Rule {
        id: format!("rule-{i:04}"),
        name: format!("Rule {i}"),
        enabled: true,
        position: n,
        condition,
        actions: vec![action],
    }
}

fn request() -> RuleContext {
    let today = Date::from_calendar_date(2026, Month::November, 20).expect("a valid date");
    let item = |line: &str, sku: &str, reason: &str, price: i64, tags: &[&str]| ItemContext {
        line_id: line.into(),
        sku: sku.into(),
        unit_price: eur(price),
        tags: tags.iter().map(|t| t.to_string()).collect(),
        category: Some("apparel".into()),
        reason: Some(reason.into()),
        quantity: Some(1),
    };
    RuleContext {
        kind: RequestKind::Commercial,
        today,
        placed_on: today - Duration::days(25),
        delivered_on: Some(today - Duration::days(21)),
        shipping_country: "BE".into(),
        order_total: eur(12_900),
        resolution: Some(Resolution::Refund),
        earlier_requests: vec![today - Duration::days(10), today - Duration::days(200)],
        items: vec![
            item("l1", "SKU-3-BLUE", "too_small", 4_900, &["summer"]),
            item("l2", "SKU-5-RED", "damaged", 2_500, &["sale", "summer"]),
            item("l3", "HAT-1", "changed_mind", 5_500, &[]),
        ],
    }
}

/// Median, p95 and mean of `runs` timed evaluations, in microseconds, after a warm-up.
fn measure(rules: &[Rule], context: &RuleContext, runs: usize) -> (f64, f64, f64) {
    let shop = ShopDefaults {
        manual_approval: true,
        resolutions: &[
            Resolution::Refund,
            Resolution::Exchange,
            Resolution::StoreCredit,
        ],
    };
    for _ in 0..runs / 10 {
        black_box(evaluate(black_box(rules), black_box(context), shop));
    }
    let mut micros: Vec<f64> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            black_box(evaluate(black_box(rules), black_box(context), shop));
            start.elapsed().as_secs_f64() * 1e6
        })
        .collect();
    micros.sort_by(f64::total_cmp);
    let mean = micros.iter().sum::<f64>() / micros.len() as f64;
    (
        micros[micros.len() / 2],
        micros[micros.len() * 95 / 100],
        mean,
    )
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let runs = match args.as_slice() {
        [flag, n] if flag == "--runs" => n.parse().unwrap_or(DEFAULT_RUNS),
        _ => DEFAULT_RUNS,
    };
    let rules: Vec<Rule> = (0..RULES).map(rule).collect();
    let context = request();
    let shop = ShopDefaults {
        manual_approval: true,
        resolutions: &[
            Resolution::Refund,
            Resolution::Exchange,
            Resolution::StoreCredit,
        ],
    };
    let outcome = evaluate(&rules, &context, shop);
    let matched: Vec<usize> = outcome
        .items
        .iter()
        .map(|item| item.matched.len())
        .collect();
    println!(
        "{RULES} rules, 3 items: matched per item {matched:?}, verdict {:?}, {runs} runs",
        outcome.verdict
    );

    let (one_median, one_p95, one_mean) = measure(&rules[..1], &context, runs);
    let (median, p95, mean) = measure(&rules, &context, runs);
    println!("| rule set | median µs | p95 µs | mean µs | median ratio to 1 rule |");
    println!("|---|---:|---:|---:|---:|");
    println!("| 1 rule | {one_median:.2} | {one_p95:.2} | {one_mean:.2} | 1 |");
    println!(
        "| {RULES} rules | {median:.1} | {p95:.1} | {mean:.1} | {:.0} |",
        median / one_median
    );
}
