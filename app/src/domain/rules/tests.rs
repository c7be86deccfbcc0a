use super::*;
use crate::domain::{shop::LocalizedText, Locale, Money, Reason, Resolution};
use std::{collections::BTreeSet, fmt};
use time::{Date, Duration};

#[test]
fn field_names_are_the_ones_json_uses() {
    for field in Field::ALL {
        assert_eq!(
            serde_json::to_value(field).unwrap(),
            serde_json::json!(field.as_str())
        );
        assert_eq!(Field::parse(field.as_str()), Some(field));
    }
    assert_eq!(Field::parse("colour"), None);
}
use crate::domain::Currency;
use proptest::prelude::*;
use time::macros::date;

const TODAY: Date = date!(2026 - 11 - 20);
const ALL_RESOLUTIONS: &[Resolution] = &[
    Resolution::Refund,
    Resolution::Exchange,
    Resolution::StoreCredit,
];

fn eur(minor: i64) -> Money {
    Money::new(minor, Currency::EUR)
}

fn usd(minor: i64) -> Money {
    Money::new(minor, Currency::parse("USD").unwrap())
}

fn text(en: &str, fr: &str, nl: &str, de: &str) -> LocalizedText {
    LocalizedText {
        en: en.into(),
        fr: fr.into(),
        nl: nl.into(),
        de: de.into(),
    }
}

fn reasons() -> Vec<Reason> {
    let reason = |code: &str, label| Reason {
        code: code.into(),
        label,
        photo_required: false,
        comment_required: false,
        defective: false,
    };
    vec![
        reason(
            "damaged",
            text(
                "Damaged item",
                "Article endommagé",
                "Beschadigd artikel",
                "Beschädigter Artikel",
            ),
        ),
        reason(
            "wrong_item",
            text(
                "Wrong item sent",
                "Mauvais article",
                "Verkeerd artikel ontvangen",
                "Falscher Artikel",
            ),
        ),
        reason(
            "too_small",
            text("Too small", "Trop petit", "Te klein", "Zu klein"),
        ),
    ]
}

fn rule(id: &str, position: u32, condition: Condition, actions: Vec<Action>) -> Rule {
    Rule {
        id: id.into(),
        name: format!("Rule {id}"),
        enabled: true,
        position,
        condition,
        actions,
    }
}

fn refuse() -> Action {
    Action::Refuse {
        message: LocalizedText::default(),
    }
}

fn item(line_id: &str) -> ItemContext {
    ItemContext {
        line_id: line_id.into(),
        sku: "SHIRT-M-BLUE".into(),
        unit_price: eur(2_500),
        tags: vec!["Summer".into(), "sale".into()],
        category: Some("Shirts".into()),
        reason: Some("too_small".into()),
        quantity: Some(1),
    }
}

#[test]
fn only_enabled_rules_about_customer_history_say_how_far_back_to_look() {
    let country = Condition::Country(Membership::Is("FR".into()));
    let returns = |days| Condition::CustomerReturns {
        within_days: days,
        count: Bound::AtLeast(2),
    };
    assert_eq!(
        history_window_days(&[rule("a", 1, country.clone(), vec![refuse()])]),
        None
    );
    let mut disabled = rule("b", 2, returns(365), vec![refuse()]);
    disabled.enabled = false;
    let nested = rule(
        "c",
        3,
        Condition::AllOf(vec![
            country,
            Condition::AnyOf(vec![returns(30), returns(90)]),
        ]),
        vec![refuse()],
    );
    assert_eq!(history_window_days(&[disabled.clone(), nested]), Some(90));
    assert_eq!(history_window_days(&[disabled]), None);
}

#[test]
fn the_shopper_reads_a_refusal_only_for_a_refused_item_with_a_default_when_the_merchant_wrote_none()
{
    let outcome = evaluate(
        &[rule(
            "a",
            1,
            Condition::Sku(SkuTest::StartsWith("shirt".into())),
            vec![refuse()],
        )],
        &request(vec![item("l1")]),
        ShopDefaults {
            manual_approval: true,
            resolutions: ALL_RESOLUTIONS,
        },
    );
    assert_eq!(
        outcome.items[0].refusal_message(Locale::Fr).as_deref(),
        Some("Impossible de retourner l'article.")
    );
    let outcome = evaluate(
        &[],
        &request(vec![item("l1")]),
        ShopDefaults {
            manual_approval: true,
            resolutions: ALL_RESOLUTIONS,
        },
    );
    assert_eq!(outcome.items[0].refusal_message(Locale::Fr), None);
}

fn request(items: Vec<ItemContext>) -> RuleContext {
    RuleContext {
        kind: RequestKind::Commercial,
        today: TODAY,
        placed_on: date!(2026 - 10 - 20),
        delivered_on: Some(date!(2026 - 10 - 31)),
        shipping_country: "BE".into(),
        order_total: eur(10_000),
        resolution: Some(Resolution::Refund),
        earlier_requests: vec![],
        items,
    }
}

fn shop(manual_approval: bool) -> ShopDefaults<'static> {
    ShopDefaults {
        manual_approval,
        resolutions: ALL_RESOLUTIONS,
    }
}

fn check(condition: Condition, request: &RuleContext) -> Option<bool> {
    condition.evaluate(request, &request.items[0])
}

/// "Reason is none of damaged, wrong item: refuse" — the issue's first example.
fn only_damaged_or_wrong() -> Rule {
    let condition = Condition::Reason(Membership::NoneOf(vec![
        "damaged".into(),
        "wrong_item".into(),
    ]));
    Rule {
        name: "Only faulty goods".into(),
        ..rule("r1", 1, condition, vec![refuse()])
    }
}

/// "Origin country is France: refuse" — the issue's second example.
fn not_from_france() -> Rule {
    let message = text(
        "We do not take returns from France.",
        "Nous ne reprenons pas les retours depuis la France.",
        "",
        "",
    );
    Rule {
        name: "No returns from France".into(),
        ..rule(
            "r2",
            2,
            Condition::Country(Membership::Is("FR".into())),
            vec![Action::Refuse { message }],
        )
    }
}

// --- The issue's examples --------------------------------------------------------------

#[test]
fn only_damaged_or_wrong_items_can_be_returned_and_the_preview_reads_in_each_language() {
    let rule = only_damaged_or_wrong();
    assert_eq!(rule.validate(&reasons()), Ok(()));
    assert_eq!(
        rule.describe(Locale::En, &reasons()),
        "IF reason IS NOT “Damaged item” OR “Wrong item sent” THEN refuse the item"
    );
    assert_eq!(
        rule.describe(Locale::Fr, &reasons()),
        "SI le motif N'EST PAS «\u{a0}Article endommagé\u{a0}» OU «\u{a0}Mauvais article\u{a0}» ALORS l'article ne peut pas être retourné"
    );
    assert_eq!(
        rule.describe(Locale::Nl, &reasons()),
        "ALS de reden IS NIET “Beschadigd artikel” OF “Verkeerd artikel ontvangen” DAN kan het artikel niet worden geretourneerd"
    );

    let mut too_small = request(vec![item("a")]);
    let outcome = evaluate(std::slice::from_ref(&rule), &too_small, shop(false));
    assert_eq!(outcome.verdict, Verdict::Refused);
    assert_eq!(
        refusal_text(outcome.items[0].refusal.as_ref().unwrap(), Locale::Fr),
        "Impossible de retourner l'article."
    );

    too_small.items[0].reason = Some("damaged".into());
    let outcome = evaluate(&[rule], &too_small, shop(false));
    assert_eq!(
        outcome.verdict,
        Verdict::ApprovedAutomatically { with_label: true }
    );
    assert!(outcome.items[0].matched.is_empty());
}

#[test]
fn nothing_is_returned_from_france_and_the_shopper_reads_why_in_their_language() {
    let rule = not_from_france();
    assert_eq!(
        rule.describe(Locale::En, &reasons()),
        "IF origin country IS France THEN refuse the item"
    );
    assert_eq!(
        rule.describe(Locale::Fr, &reasons()),
        "SI le pays d'origine EST France ALORS l'article ne peut pas être retourné"
    );
    assert_eq!(
        rule.describe(Locale::Nl, &reasons()),
        "ALS het land van herkomst IS Frankrijk DAN kan het artikel niet worden geretourneerd"
    );
    assert_eq!(
        rule.describe(Locale::De, &reasons()),
        "WENN das Herkunftsland IST Frankreich DANN kann der Artikel nicht zurückgegeben werden"
    );

    let mut from_france = request(vec![item("a"), item("b")]);
    from_france.shipping_country = "fr".into();
    let outcome = evaluate(std::slice::from_ref(&rule), &from_france, shop(true));
    assert_eq!(outcome.verdict, Verdict::Refused);
    assert_eq!(outcome.fee, Fee::Waived);
    let refusal = outcome.items[0].refusal.as_ref().unwrap();
    assert_eq!(
        refusal_text(refusal, Locale::Fr),
        "Nous ne reprenons pas les retours depuis la France."
    );
    assert_eq!(
        refusal_text(refusal, Locale::Nl),
        "We do not take returns from France."
    );
    assert_eq!(
        outcome.items[0].matched[0].explain(std::slice::from_ref(&rule), Locale::En, &reasons()),
        "Rule 2 “No returns from France” matched: origin country IS France → refuse the item"
    );

    let outcome = evaluate(&[rule], &request(vec![item("a")]), shop(true));
    assert_eq!(outcome.verdict, Verdict::ManualApproval);
    assert!(outcome.items[0].by_shop_default);
}

// --- Each kind of condition ---------------------------------------------------------------

#[test]
fn reason_tests_cover_is_is_not_one_of_and_none_of() {
    let r = request(vec![item("a")]); // reason too_small
    let reason = |m| check(Condition::Reason(m), &r);
    assert_eq!(reason(Membership::Is("too_small".into())), Some(true));
    assert_eq!(reason(Membership::IsNot("too_small".into())), Some(false));
    assert_eq!(
        reason(Membership::OneOf(vec![
            "damaged".into(),
            "too_small".into()
        ])),
        Some(true)
    );
    assert_eq!(
        reason(Membership::NoneOf(vec![
            "damaged".into(),
            "too_small".into()
        ])),
        Some(false)
    );
    assert_eq!(
        reason(Membership::NoneOf(vec!["damaged".into()])),
        Some(true)
    );
}

#[test]
fn country_codes_compare_ignoring_case() {
    let r = request(vec![item("a")]); // BE
    assert_eq!(
        check(Condition::Country(Membership::Is("be".into())), &r),
        Some(true)
    );
    assert_eq!(
        check(Condition::Country(Membership::IsNot("BE".into())), &r),
        Some(false)
    );
    assert_eq!(
        check(
            Condition::Country(Membership::OneOf(vec!["NL".into(), "LU".into()])),
            &r
        ),
        Some(false)
    );
    assert_eq!(
        check(
            Condition::Country(Membership::NoneOf(vec!["NL".into(), "LU".into()])),
            &r
        ),
        Some(true)
    );
}

#[test]
fn days_since_delivery_count_from_the_delivery_and_both_ends_are_included() {
    let r = request(vec![item("a")]); // delivered 20 days ago, ordered 31 days ago
    assert_eq!(
        check(Condition::DaysSinceDelivery(Bound::AtLeast(20)), &r),
        Some(true)
    );
    assert_eq!(
        check(Condition::DaysSinceDelivery(Bound::AtLeast(21)), &r),
        Some(false)
    );
    assert_eq!(
        check(Condition::DaysSinceDelivery(Bound::AtMost(20)), &r),
        Some(true)
    );
    assert_eq!(
        check(Condition::DaysSinceOrder(Bound::AtLeast(31)), &r),
        Some(true)
    );
    assert_eq!(
        check(Condition::DaysSinceOrder(Bound::AtMost(30)), &r),
        Some(false)
    );
}

#[test]
fn without_a_delivery_date_days_since_delivery_count_from_the_order_date() {
    let mut r = request(vec![item("a")]);
    r.delivered_on = None;
    assert_eq!(
        check(Condition::DaysSinceDelivery(Bound::AtLeast(31)), &r),
        Some(true)
    );
    assert_eq!(
        check(Condition::DaysSinceDelivery(Bound::AtMost(30)), &r),
        Some(false)
    );
}

#[test]
fn a_delivery_date_in_the_future_counts_as_zero_days() {
    let mut r = request(vec![item("a")]);
    r.delivered_on = Some(TODAY + Duration::days(3));
    assert_eq!(
        check(Condition::DaysSinceDelivery(Bound::AtMost(0)), &r),
        Some(true)
    );
}

#[test]
fn prices_and_totals_compare_in_the_same_currency_only() {
    let r = request(vec![item("a")]); // unit €25, total €100
    assert_eq!(
        check(Condition::UnitPrice(Bound::AtLeast(eur(2_500))), &r),
        Some(true)
    );
    assert_eq!(
        check(Condition::UnitPrice(Bound::AtMost(eur(2_499))), &r),
        Some(false)
    );
    assert_eq!(
        check(Condition::OrderTotal(Bound::AtLeast(eur(10_000))), &r),
        Some(true)
    );
    assert_eq!(
        check(Condition::OrderTotal(Bound::AtMost(eur(5_000))), &r),
        Some(false)
    );
    // A rule written in dollars never matches a euro order, whichever way it points.
    assert_eq!(
        check(Condition::UnitPrice(Bound::AtLeast(usd(0))), &r),
        Some(false)
    );
    assert_eq!(
        check(Condition::OrderTotal(Bound::AtMost(usd(1_000_000))), &r),
        Some(false)
    );
}

#[test]
fn skus_match_exactly_in_a_list_or_by_prefix_ignoring_case() {
    let r = request(vec![item("a")]); // SHIRT-M-BLUE
    assert_eq!(
        check(Condition::Sku(SkuTest::Is("shirt-m-blue".into())), &r),
        Some(true)
    );
    assert_eq!(
        check(Condition::Sku(SkuTest::Is("SHIRT-M".into())), &r),
        Some(false)
    );
    assert_eq!(
        check(
            Condition::Sku(SkuTest::OneOf(vec!["X".into(), "SHIRT-M-BLUE".into()])),
            &r
        ),
        Some(true)
    );
    assert_eq!(
        check(Condition::Sku(SkuTest::StartsWith("shirt-".into())), &r),
        Some(true)
    );
    assert_eq!(
        check(
            Condition::Sku(SkuTest::StartsWith("SHIRT-M-BLUE-XL".into())),
            &r
        ),
        Some(false)
    );
}

#[test]
fn a_tag_test_passes_when_any_of_the_lines_tags_does() {
    let r = request(vec![item("a")]); // tags Summer, sale
    assert_eq!(
        check(Condition::Tag(Membership::Is(" summer ".into())), &r),
        Some(true)
    );
    assert_eq!(
        check(Condition::Tag(Membership::IsNot("SALE".into())), &r),
        Some(false)
    );
    assert_eq!(
        check(
            Condition::Tag(Membership::OneOf(vec!["winter".into(), "sale".into()])),
            &r
        ),
        Some(true)
    );
    assert_eq!(
        check(
            Condition::Tag(Membership::NoneOf(vec!["winter".into(), "outlet".into()])),
            &r
        ),
        Some(true)
    );
}

#[test]
fn a_line_without_a_category_is_never_in_one() {
    let mut r = request(vec![item("a")]);
    assert_eq!(
        check(Condition::Category(Membership::Is("shirts".into())), &r),
        Some(true)
    );
    r.items[0].category = None;
    assert_eq!(
        check(Condition::Category(Membership::Is("shirts".into())), &r),
        Some(false)
    );
    assert_eq!(
        check(Condition::Category(Membership::IsNot("shirts".into())), &r),
        Some(true)
    );
}

#[test]
fn quantity_and_resolution_tests_read_the_shoppers_answers() {
    let mut r = request(vec![item("a")]);
    r.items[0].quantity = Some(3);
    assert_eq!(
        check(Condition::Quantity(Bound::AtLeast(3)), &r),
        Some(true)
    );
    assert_eq!(
        check(Condition::Quantity(Bound::AtMost(2)), &r),
        Some(false)
    );
    assert_eq!(
        check(
            Condition::Resolution(Membership::Is(Resolution::Refund)),
            &r
        ),
        Some(true)
    );
    assert_eq!(
        check(
            Condition::Resolution(Membership::NoneOf(vec![Resolution::Refund])),
            &r
        ),
        Some(false)
    );
}

#[test]
fn customer_returns_count_the_requests_made_within_the_last_n_days() {
    let mut r = request(vec![item("a")]);
    r.earlier_requests = vec![
        TODAY - Duration::days(90),
        TODAY - Duration::days(30),
        TODAY - Duration::days(91),
        TODAY,
    ];
    let returns = |within_days, count| Condition::CustomerReturns { within_days, count };
    assert_eq!(check(returns(90, Bound::AtLeast(3)), &r), Some(true));
    assert_eq!(check(returns(89, Bound::AtLeast(3)), &r), Some(false));
    assert_eq!(check(returns(0, Bound::AtMost(1)), &r), Some(true));
    r.earlier_requests.clear();
    assert_eq!(check(returns(365, Bound::AtMost(0)), &r), Some(true));
}

// --- Partial answers ------------------------------------------------------------------------

#[test]
fn a_test_on_an_unanswered_question_is_unknown_and_groups_follow_three_valued_logic() {
    let mut r = request(vec![item("a")]);
    r.items[0].reason = None;
    r.items[0].quantity = None;
    r.resolution = None;
    let unknown = Condition::Reason(Membership::Is("damaged".into()));
    let yes = Condition::Country(Membership::Is("BE".into()));
    let no = Condition::Country(Membership::Is("FR".into()));
    assert_eq!(check(unknown.clone(), &r), None);
    assert_eq!(check(Condition::Quantity(Bound::AtLeast(1)), &r), None);
    assert_eq!(
        check(
            Condition::Resolution(Membership::Is(Resolution::Refund)),
            &r
        ),
        None
    );
    assert_eq!(
        check(Condition::AllOf(vec![unknown.clone(), no.clone()]), &r),
        Some(false)
    );
    assert_eq!(
        check(Condition::AllOf(vec![unknown.clone(), yes.clone()]), &r),
        None
    );
    assert_eq!(
        check(Condition::AnyOf(vec![unknown.clone(), yes.clone()]), &r),
        Some(true)
    );
    assert_eq!(check(Condition::AnyOf(vec![unknown, no]), &r), None);
}

#[test]
fn in_the_wizard_an_item_is_refused_only_when_a_refusal_certainly_applies() {
    let mut r = request(vec![item("a")]);
    r.items[0].reason = None;
    let rules = [only_damaged_or_wrong()];
    let outcome = evaluate(&rules, &r, shop(false));
    assert_eq!(
        outcome.items[0].verdict,
        Verdict::ApprovedAutomatically { with_label: true }
    );
    assert!(outcome.items[0].may_be_refused);
    assert_eq!(outcome.items[0].undecided, vec!["r1".to_owned()]);
    assert!(!outcome.complete);

    r.items[0].reason = Some("wrong_item".into());
    let outcome = evaluate(&rules, &r, shop(false));
    assert!(outcome.complete && !outcome.items[0].may_be_refused);
    r.items[0].reason = Some("too_small".into());
    assert_eq!(evaluate(&rules, &r, shop(false)).verdict, Verdict::Refused);
}

// --- Conflicts -----------------------------------------------------------------------------

fn always() -> Condition {
    Condition::Country(Membership::Is("BE".into()))
}

fn outcome_of(actions: Vec<Vec<Action>>) -> ItemOutcome {
    let rules: Vec<Rule> = actions
        .into_iter()
        .enumerate()
        .map(|(i, a)| rule(&format!("r{}", i + 1), i as u32 + 1, always(), a))
        .collect();
    evaluate(&rules, &request(vec![item("a")]), shop(false))
        .items
        .remove(0)
}

#[test]
fn any_refusal_wins_and_the_first_refusal_in_rule_order_gives_the_message() {
    let first = Action::Refuse {
        message: text("First", "", "", ""),
    };
    let second = Action::Refuse {
        message: text("Second", "", "", ""),
    };
    let item = outcome_of(vec![
        vec![Action::ApproveAutomatically { with_label: true }],
        vec![Action::WaiveFee],
        vec![first],
        vec![second],
    ]);
    assert_eq!(item.verdict, Verdict::Refused);
    assert_eq!(item.refusal.as_ref().map(|m| m.en.as_str()), Some("First"));
    assert_eq!(item.fee, Fee::Waived);
    assert!(item.resolutions.is_empty());
    let effects: Vec<_> = item.matched.iter().map(|m| m.effects[0]).collect();
    assert_eq!(
        effects,
        [
            Effect::Overridden,
            Effect::Overridden,
            Effect::Applied,
            Effect::Applied
        ]
    );
}

#[test]
fn manual_approval_wins_over_automatic_approval() {
    let item = outcome_of(vec![
        vec![Action::ApproveAutomatically { with_label: true }],
        vec![Action::RequireManualApproval],
    ]);
    assert_eq!(item.verdict, Verdict::ManualApproval);
    assert!(!item.by_shop_default);
    assert_eq!(item.matched[0].effects, [Effect::Overridden]);
    assert_eq!(item.matched[1].effects, [Effect::Applied]);
}

#[test]
fn one_rule_asking_for_a_label_is_enough_to_make_one() {
    let item = outcome_of(vec![
        vec![Action::ApproveAutomatically { with_label: false }],
        vec![Action::ApproveAutomatically { with_label: true }],
    ]);
    assert_eq!(
        item.verdict,
        Verdict::ApprovedAutomatically { with_label: true }
    );
    let item = outcome_of(vec![vec![Action::ApproveAutomatically {
        with_label: false,
    }]]);
    assert_eq!(
        item.verdict,
        Verdict::ApprovedAutomatically { with_label: false }
    );
}

#[test]
fn a_waiver_wins_over_a_fee_and_the_first_fee_in_rule_order_wins_over_later_ones() {
    let fee = |minor| Action::SetFee { fee: eur(minor) };
    let item = outcome_of(vec![vec![fee(500)], vec![fee(300)]]);
    assert_eq!(item.fee, Fee::Set { amount: eur(500) });
    assert_eq!(item.matched[1].effects, [Effect::Overridden]);
    let item = outcome_of(vec![vec![fee(500)], vec![Action::WaiveFee]]);
    assert_eq!(item.fee, Fee::Waived);
    assert_eq!(item.matched[0].effects, [Effect::Overridden]);
    assert_eq!(
        outcome_of(vec![vec![Action::RequireManualApproval]]).fee,
        Fee::ShopDefault
    );
}

#[test]
fn a_fee_in_another_currency_than_the_order_is_skipped() {
    let item = outcome_of(vec![
        vec![Action::SetFee { fee: usd(500) }],
        vec![Action::SetFee { fee: eur(300) }],
    ]);
    assert_eq!(item.fee, Fee::Set { amount: eur(300) });
    assert_eq!(item.matched[0].effects, [Effect::CurrencyMismatch]);
    assert_eq!(
        outcome_of(vec![vec![Action::SetFee { fee: usd(500) }]]).fee,
        Fee::ShopDefault
    );
}

#[test]
fn resolution_limits_intersect() {
    let limit = |r: &[Resolution]| Action::LimitResolutions {
        resolutions: r.to_vec(),
    };
    let item = outcome_of(vec![
        vec![limit(&[
            Resolution::Exchange,
            Resolution::StoreCredit,
            Resolution::Refund,
        ])],
        vec![limit(&[Resolution::StoreCredit, Resolution::Exchange])],
    ]);
    assert_eq!(
        item.resolutions,
        [Resolution::Exchange, Resolution::StoreCredit]
    );
    assert_eq!(
        item.verdict,
        Verdict::ApprovedAutomatically { with_label: true }
    );
}

#[test]
fn limits_with_nothing_in_common_send_the_item_to_manual_approval_with_every_resolution() {
    let limit = |r: Resolution| Action::LimitResolutions {
        resolutions: vec![r],
    };
    let item = outcome_of(vec![
        vec![
            limit(Resolution::Refund),
            Action::ApproveAutomatically { with_label: true },
        ],
        vec![limit(Resolution::Exchange)],
    ]);
    assert_eq!(item.verdict, Verdict::ManualApproval);
    assert_eq!(item.resolutions, ALL_RESOLUTIONS);
    assert_eq!(
        item.matched[0].effects,
        [Effect::NoCommonResolution, Effect::Overridden]
    );
    assert_eq!(item.matched[1].effects, [Effect::NoCommonResolution]);
}

#[test]
fn the_request_is_refused_only_when_every_item_is() {
    let rules = [rule(
        "r1",
        1,
        Condition::Sku(SkuTest::StartsWith("SOCK".into())),
        vec![refuse()],
    )];
    let mut socks = item("b");
    socks.sku = "SOCK-1".into();
    let outcome = evaluate(
        &rules,
        &request(vec![item("a"), socks.clone()]),
        shop(false),
    );
    assert_eq!(outcome.items[1].verdict, Verdict::Refused);
    assert_eq!(
        outcome.verdict,
        Verdict::ApprovedAutomatically { with_label: true }
    );
    let outcome = evaluate(&rules, &request(vec![socks]), shop(false));
    assert_eq!(
        (outcome.verdict, outcome.fee),
        (Verdict::Refused, Fee::Waived)
    );
    assert!(outcome.resolutions.is_empty());
}

#[test]
fn one_item_needing_manual_approval_sends_the_whole_request_to_manual_approval() {
    let rules = [
        rule(
            "r1",
            1,
            always(),
            vec![Action::ApproveAutomatically { with_label: false }],
        ),
        rule(
            "r2",
            2,
            Condition::UnitPrice(Bound::AtLeast(eur(10_000))),
            vec![Action::RequireManualApproval],
        ),
    ];
    let mut expensive = item("b");
    expensive.unit_price = eur(20_000);
    assert_eq!(
        evaluate(&rules, &request(vec![item("a"), expensive]), shop(false)).verdict,
        Verdict::ManualApproval
    );
    let outcome = evaluate(&rules, &request(vec![item("a"), item("c")]), shop(true));
    assert_eq!(
        outcome.verdict,
        Verdict::ApprovedAutomatically { with_label: false }
    );
}

#[test]
fn without_any_matching_rule_the_shops_setting_decides() {
    let rules = [not_from_france()];
    let r = request(vec![item("a")]);
    assert_eq!(
        evaluate(&rules, &r, shop(true)).verdict,
        Verdict::ManualApproval
    );
    assert_eq!(
        evaluate(&rules, &r, shop(false)).verdict,
        Verdict::ApprovedAutomatically { with_label: true }
    );
    assert_eq!(
        evaluate(&[], &request(vec![]), shop(true)).verdict,
        Verdict::ManualApproval
    );
}

#[test]
fn the_request_fee_is_the_highest_item_fee_and_waived_only_when_every_item_is() {
    let rules = [
        rule(
            "r1",
            1,
            Condition::Sku(SkuTest::Is("A".into())),
            vec![Action::SetFee { fee: eur(300) }],
        ),
        rule(
            "r2",
            2,
            Condition::Sku(SkuTest::Is("B".into())),
            vec![Action::SetFee { fee: eur(700) }],
        ),
        rule(
            "r3",
            3,
            Condition::Sku(SkuTest::Is("C".into())),
            vec![Action::WaiveFee],
        ),
    ];
    let with_sku = |sku: &str| ItemContext {
        sku: sku.into(),
        ..item(sku)
    };
    let fee = |skus: &[&str]| {
        evaluate(
            &rules,
            &request(skus.iter().map(|s| with_sku(s)).collect()),
            shop(false),
        )
        .fee
    };
    assert_eq!(fee(&["A", "B", "C"]), Fee::Set { amount: eur(700) });
    assert_eq!(fee(&["C", "C"]), Fee::Waived);
    assert_eq!(fee(&["C", "D"]), Fee::ShopDefault);
}

#[test]
fn items_with_no_resolution_in_common_send_the_request_to_manual_approval() {
    let rules = [
        rule(
            "r1",
            1,
            Condition::Sku(SkuTest::Is("A".into())),
            vec![Action::LimitResolutions {
                resolutions: vec![Resolution::Refund],
            }],
        ),
        rule(
            "r2",
            2,
            Condition::Sku(SkuTest::Is("B".into())),
            vec![Action::LimitResolutions {
                resolutions: vec![Resolution::Exchange],
            }],
        ),
    ];
    let items = vec![
        ItemContext {
            sku: "A".into(),
            ..item("a")
        },
        ItemContext {
            sku: "B".into(),
            ..item("b")
        },
    ];
    let outcome = evaluate(&rules, &request(items), shop(false));
    assert!(outcome.resolution_conflict);
    assert_eq!(
        (outcome.verdict, outcome.resolutions.as_slice()),
        (Verdict::ManualApproval, ALL_RESOLUTIONS)
    );
}

#[test]
fn disabled_rules_are_ignored_and_rules_run_by_position_whatever_their_order_in_the_list() {
    let mut off = rule("r0", 0, always(), vec![refuse()]);
    off.enabled = false;
    let later = rule("a", 5, always(), vec![Action::SetFee { fee: eur(900) }]);
    let earlier = rule("z", 1, always(), vec![Action::SetFee { fee: eur(100) }]);
    let outcome = evaluate(
        &[off, later, earlier],
        &request(vec![item("a")]),
        shop(false),
    );
    assert_eq!(outcome.fee, Fee::Set { amount: eur(100) });
    let ids: Vec<_> = outcome.items[0]
        .matched
        .iter()
        .map(|m| m.rule_id.as_str())
        .collect();
    assert_eq!(ids, ["z", "a"]);
}

// --- Withdrawal ----------------------------------------------------------------------------

#[test]
fn the_editor_flags_exactly_the_rules_a_withdrawal_ignores() {
    let flagged =
        |actions: Vec<Action>| rule("r", 1, always(), actions).limits_commercial_returns_only();
    assert!(flagged(vec![refuse()]));
    assert!(flagged(vec![
        Action::WaiveFee,
        Action::SetFee { fee: eur(500) }
    ]));
    assert!(flagged(vec![Action::LimitResolutions {
        resolutions: vec![Resolution::Refund]
    }]));
    assert!(!flagged(vec![Action::RequireManualApproval]));
    assert!(!flagged(vec![
        Action::ApproveAutomatically { with_label: true },
        Action::WaiveFee
    ]));
}

#[test]
fn a_legal_withdrawal_is_never_refused_charged_or_limited_but_approval_rules_still_apply() {
    let rules = [
        rule("r1", 1, always(), vec![refuse()]),
        rule(
            "r2",
            2,
            always(),
            vec![
                Action::SetFee { fee: eur(500) },
                Action::LimitResolutions {
                    resolutions: vec![Resolution::StoreCredit],
                },
            ],
        ),
        rule("r3", 3, always(), vec![Action::RequireManualApproval]),
    ];
    let mut r = request(vec![item("a")]);
    r.kind = RequestKind::Withdrawal;
    let outcome = evaluate(&rules, &r, shop(false));
    assert_eq!(
        (outcome.verdict, outcome.fee),
        (Verdict::ManualApproval, Fee::Waived)
    );
    assert_eq!(outcome.resolutions, ALL_RESOLUTIONS);
    let effects: Vec<_> = outcome.items[0]
        .matched
        .iter()
        .flat_map(|m| m.effects.clone())
        .collect();
    assert_eq!(
        effects,
        [
            Effect::NotForWithdrawal,
            Effect::NotForWithdrawal,
            Effect::NotForWithdrawal,
            Effect::Applied
        ]
    );
    assert_eq!(
        outcome.items[0].matched[0].explain(&rules, Locale::En, &reasons()),
        "Rule 1 “Rule r1” matched: origin country IS Belgium → refuse the item (not applied: legal withdrawal)"
    );
}

// --- Explanations and previews --------------------------------------------------------------

#[test]
fn each_match_explains_itself_in_the_back_office_language() {
    let rules = [
        rule("r1", 1, always(), vec![Action::SetFee { fee: eur(500) }]),
        rule(
            "r2",
            2,
            Condition::Tag(Membership::Is("sale".into())),
            vec![Action::WaiveFee],
        ),
    ];
    let outcome = evaluate(&rules, &request(vec![item("a")]), shop(false));
    let explain =
        |i: usize, locale| outcome.items[0].matched[i].explain(&rules, locale, &reasons());
    assert_eq!(explain(0, Locale::En), "Rule 1 “Rule r1” matched: origin country IS Belgium → charge a return fee of €5.00 (overridden by another rule)");
    assert_eq!(explain(1, Locale::Fr), "Règle 2 «\u{a0}Rule r2\u{a0}» déclenchée\u{a0}: l'étiquette produit EST «\u{a0}sale\u{a0}» → offrir les frais de retour");
    assert_eq!(
        explain(1, Locale::De),
        "Regel 2 „Rule r2“ greift: das Produkt-Tag IST „sale“ → keine Rücksendegebühr berechnen"
    );
    let gone = RuleMatch {
        rule_id: "deleted".into(),
        position: 7,
        effects: vec![],
    };
    assert_eq!(
        gone.explain(&rules, Locale::Nl, &reasons()),
        "Regel 7 (bestaat niet meer)"
    );
}

#[test]
fn nested_groups_are_described_with_parentheses() {
    let condition = Condition::AllOf(vec![
        Condition::DaysSinceDelivery(Bound::AtLeast(14)),
        Condition::AnyOf(vec![
            Condition::Country(Membership::Is("XX".into())),
            Condition::UnitPrice(Bound::AtMost(eur(1_000))),
        ]),
    ]);
    let r = rule(
        "r1",
        1,
        condition,
        vec![
            Action::RequireManualApproval,
            Action::SetFee { fee: eur(250) },
        ],
    );
    assert_eq!(
        r.describe(Locale::En, &[]),
        "IF days since delivery IS AT LEAST 14 AND (origin country IS XX OR unit price IS AT MOST €10.00) THEN require manual approval AND charge a return fee of €2.50"
    );
    assert_eq!(
        r.describe(Locale::De, &[]),
        "WENN die Tage seit Lieferung IST MINDESTENS 14 UND (das Herkunftsland IST XX ODER der Stückpreis IST HÖCHSTENS 10,00\u{a0}€) DANN eine manuelle Freigabe verlangen UND eine Rücksendegebühr von 2,50\u{a0}€ berechnen"
    );
}

#[test]
fn an_empty_refusal_message_falls_back_to_the_portals_text_in_each_language() {
    let empty = LocalizedText::default();
    assert_eq!(
        refusal_text(&empty, Locale::En),
        "This item cannot be returned."
    );
    assert_eq!(
        refusal_text(&empty, Locale::Nl),
        "Dit artikel kan niet worden geretourneerd."
    );
    assert_eq!(
        refusal_text(&empty, Locale::De),
        "Dieser Artikel kann nicht zurückgegeben werden."
    );
}

// --- JSON ---------------------------------------------------------------------------------

#[test]
fn rules_have_a_readable_json_shape_that_round_trips() {
    let json = r#"{"id":"r1","name":"Only faulty goods","enabled":true,"position":1,
        "condition":{"all_of":[{"field":"reason","op":"none_of","values":["damaged","wrong_item"]},
                               {"any_of":[{"op":"at_least","field":"unit_price","value":{"minor":5000,"currency":"EUR"}},
                                          {"field":"customer_returns","op":"at_least","value":3,"within_days":90}]}]},
        "actions":[{"action":"refuse","message":{"en":"Sorry"}}]}"#;
    let rule: Rule = serde_json::from_str(json).unwrap();
    let Condition::AllOf(parts) = &rule.condition else {
        panic!("{:?}", rule.condition)
    };
    assert_eq!(
        parts[0],
        Condition::Reason(Membership::NoneOf(vec![
            "damaged".into(),
            "wrong_item".into()
        ]))
    );
    let back = serde_json::to_value(&rule).unwrap();
    assert_eq!(
        back["condition"]["all_of"][0],
        serde_json::json!({"field":"reason","op":"none_of","values":["damaged","wrong_item"]})
    );
    assert_eq!(back["actions"][0]["action"], "refuse");
    assert_eq!(serde_json::from_value::<Rule>(back).unwrap(), rule);
}

#[test]
fn every_kind_of_condition_and_action_round_trips_through_json() {
    let conditions = vec![
        Condition::Reason(Membership::Is("damaged".into())),
        Condition::Country(Membership::IsNot("FR".into())),
        Condition::Resolution(Membership::OneOf(vec![Resolution::StoreCredit])),
        Condition::Tag(Membership::NoneOf(vec!["final".into()])),
        Condition::Category(Membership::Is("shoes".into())),
        Condition::Sku(SkuTest::Is("A".into())),
        Condition::Sku(SkuTest::OneOf(vec!["A".into(), "B".into()])),
        Condition::Sku(SkuTest::StartsWith("GIFT-".into())),
        Condition::DaysSinceDelivery(Bound::AtLeast(14)),
        Condition::DaysSinceOrder(Bound::AtMost(60)),
        Condition::Quantity(Bound::AtLeast(2)),
        Condition::UnitPrice(Bound::AtMost(eur(999))),
        Condition::OrderTotal(Bound::AtLeast(eur(0))),
        Condition::CustomerReturns {
            within_days: 30,
            count: Bound::AtMost(5),
        },
    ];
    let actions = vec![
        refuse(),
        Action::RequireManualApproval,
        Action::ApproveAutomatically { with_label: false },
        Action::SetFee { fee: eur(450) },
        Action::WaiveFee,
        Action::LimitResolutions {
            resolutions: vec![Resolution::Exchange],
        },
    ];
    let r = rule("r1", 1, Condition::AnyOf(conditions), actions);
    let json = serde_json::to_string(&r).unwrap();
    assert_eq!(serde_json::from_str::<Rule>(&json).unwrap(), r);
    assert!(
        json.contains(r#""action":"limit_resolutions","resolutions":["exchange"]"#),
        "{json}"
    );
    assert!(
        json.contains(r#"{"field":"resolution","op":"one_of","values":["store_credit"]}"#),
        "{json}"
    );
}

#[test]
fn json_with_an_unknown_key_or_a_mismatched_operator_is_refused_with_a_clear_error() {
    let error = |json: &str| {
        serde_json::from_str::<Condition>(json)
            .unwrap_err()
            .to_string()
    };
    assert!(
        error(r#"{"field":"reason","op":"is","value":"damaged","colour":"red"}"#)
            .contains("unknown field `colour`")
    );
    assert!(error(r#"{"field":"weather","op":"is","value":"rain"}"#)
        .contains("unknown variant `weather`"));
    assert!(
        error(r#"{"field":"reason","op":"at_least","value":"damaged"}"#)
            .contains("`at_least` does not apply to `reason`")
    );
    assert!(
        error(r#"{"field":"reason","op":"one_of","value":"damaged"}"#)
            .contains("takes a list of `values`")
    );
    assert!(
        error(r#"{"field":"quantity","op":"at_least","value":-1}"#).contains("not a whole number")
    );
    assert!(
        error(r#"{"field":"quantity","op":"at_least","value":2,"within_days":3}"#)
            .contains("within_days")
    );
    assert!(error(r#"{"all_of":[],"field":"reason"}"#).contains("not both"));
    assert!(
        error(r#"{"field":"resolution","op":"is","value":"cash"}"#).contains("unknown Resolution")
    );
    let rule = r#"{"id":"r","name":"n","enabled":true,"position":1,"condition":{"all_of":[]},"actions":[],"extra":1}"#;
    assert!(serde_json::from_str::<Rule>(rule)
        .unwrap_err()
        .to_string()
        .contains("unknown field `extra`"));
    let action = r#"{"action":"set_fee","fee":{"minor":1,"currency":"EUR"},"amount":2}"#;
    assert!(serde_json::from_str::<Action>(action)
        .unwrap_err()
        .to_string()
        .contains("unknown field `amount`"));
}

// --- Validation ----------------------------------------------------------------------------

fn invalid(condition: Condition) -> Result<(), RuleError> {
    rule("r1", 1, condition, vec![Action::RequireManualApproval]).validate(&reasons())
}

fn path(parts: &[u32]) -> ConditionPath {
    ConditionPath(parts.to_vec())
}

#[test]
fn a_rule_needs_a_name_of_reasonable_length() {
    let mut r = only_damaged_or_wrong();
    r.name = "  ".into();
    assert_eq!(r.validate(&reasons()), Err(RuleError::NameEmpty));
    r.name = "é".repeat(NAME_MAX_CHARS + 1);
    assert_eq!(
        r.validate(&reasons()),
        Err(RuleError::NameTooLong {
            max: NAME_MAX_CHARS
        })
    );
    r.name = "é".repeat(NAME_MAX_CHARS);
    assert_eq!(r.validate(&reasons()), Ok(()));
}

#[test]
fn actions_must_exist_agree_and_be_sensible() {
    let with = |actions| rule("r1", 1, always(), actions).validate(&reasons());
    assert_eq!(with(vec![]), Err(RuleError::NoAction));
    for conflicting in [
        vec![refuse(), Action::WaiveFee],
        vec![
            Action::RequireManualApproval,
            Action::ApproveAutomatically { with_label: true },
        ],
        vec![Action::SetFee { fee: eur(1) }, Action::WaiveFee],
        vec![
            Action::SetFee { fee: eur(1) },
            Action::SetFee { fee: eur(2) },
        ],
    ] {
        assert_eq!(with(conflicting), Err(RuleError::ConflictingActions));
    }
    let long = Action::Refuse {
        message: text("ok", "", &"x".repeat(MESSAGE_MAX_CHARS + 1), ""),
    };
    assert_eq!(
        with(vec![long]),
        Err(RuleError::MessageTooLong {
            max: MESSAGE_MAX_CHARS
        })
    );
    assert_eq!(
        with(vec![Action::SetFee { fee: eur(-1) }]),
        Err(RuleError::FeeNegative)
    );
    assert_eq!(
        with(vec![Action::LimitResolutions {
            resolutions: vec![]
        }]),
        Err(RuleError::NoResolution)
    );
    assert_eq!(
        with(vec![
            Action::SetFee { fee: eur(0) },
            Action::RequireManualApproval,
            Action::LimitResolutions {
                resolutions: vec![Resolution::Refund]
            }
        ]),
        Ok(())
    );
}

#[test]
fn groups_cannot_be_empty_too_deep_or_too_large() {
    assert_eq!(
        invalid(Condition::AllOf(vec![])),
        Err(RuleError::EmptyGroup { path: path(&[]) })
    );
    assert_eq!(
        invalid(Condition::AllOf(vec![always(), Condition::AnyOf(vec![])])),
        Err(RuleError::EmptyGroup { path: path(&[2]) })
    );
    let nest = |c| Condition::AllOf(vec![c]);
    assert_eq!(invalid(nest(nest(nest(always())))), Ok(()));
    assert_eq!(
        invalid(nest(nest(nest(nest(always()))))),
        Err(RuleError::TooDeep {
            path: path(&[1, 1, 1, 1]),
            max: MAX_DEPTH
        })
    );
    assert_eq!(
        invalid(Condition::AnyOf(vec![always(); MAX_CONDITIONS])),
        Err(RuleError::TooManyConditions {
            max: MAX_CONDITIONS
        })
    );
    assert_eq!(
        invalid(Condition::AnyOf(vec![always(); MAX_CONDITIONS - 1])),
        Ok(())
    );
}

#[test]
fn value_lists_cannot_be_empty_overlong_or_hold_blanks() {
    assert_eq!(
        invalid(Condition::Reason(Membership::OneOf(vec![]))),
        Err(RuleError::NoValues { path: path(&[]) })
    );
    let tags = Condition::Tag(Membership::NoneOf(vec!["x".into(); MAX_VALUES + 1]));
    assert_eq!(
        invalid(Condition::AllOf(vec![always(), tags])),
        Err(RuleError::TooManyValues {
            path: path(&[2]),
            max: MAX_VALUES
        })
    );
    assert_eq!(
        invalid(Condition::Sku(SkuTest::StartsWith(" ".into()))),
        Err(RuleError::EmptyValue { path: path(&[]) })
    );
}

#[test]
fn reasons_must_be_the_shops_and_countries_two_letter_codes() {
    let unknown = Condition::AnyOf(vec![
        always(),
        Condition::AllOf(vec![
            always(),
            Condition::Reason(Membership::IsNot("bored".into())),
        ]),
    ]);
    assert_eq!(
        invalid(unknown),
        Err(RuleError::UnknownReason {
            path: path(&[2, 2]),
            code: "bored".into()
        })
    );
    assert_eq!(
        invalid(Condition::Country(Membership::OneOf(vec![
            "FR".into(),
            "France".into()
        ]))),
        Err(RuleError::CountryCodeInvalid {
            path: path(&[]),
            code: "France".into()
        })
    );
}

#[test]
fn conditions_that_can_never_be_met_are_refused() {
    let never = |c| assert_eq!(invalid(c), Err(RuleError::NeverTrue { path: path(&[]) }));
    never(Condition::AllOf(vec![
        Condition::DaysSinceDelivery(Bound::AtLeast(10)),
        Condition::DaysSinceDelivery(Bound::AtMost(5)),
    ]));
    never(Condition::AllOf(vec![
        Condition::Reason(Membership::Is("damaged".into())),
        Condition::Reason(Membership::Is("wrong_item".into())),
    ]));
    never(Condition::AllOf(vec![
        Condition::Reason(Membership::Is("damaged".into())),
        Condition::Reason(Membership::NoneOf(vec!["damaged".into()])),
    ]));
    never(Condition::AllOf(vec![
        Condition::Country(Membership::OneOf(vec!["FR".into(), "BE".into()])),
        Condition::Country(Membership::OneOf(vec!["nl".into()])),
    ]));
    never(Condition::AllOf(vec![
        Condition::Tag(Membership::Is("sale".into())),
        Condition::Tag(Membership::IsNot("SALE".into())),
    ]));
    never(Condition::AllOf(vec![
        Condition::Sku(SkuTest::StartsWith("A-".into())),
        Condition::Sku(SkuTest::StartsWith("B-".into())),
    ]));
    never(Condition::AllOf(vec![
        Condition::Sku(SkuTest::Is("B-1".into())),
        Condition::Sku(SkuTest::StartsWith("A-".into())),
    ]));
    // Through an all_of inside the all_of, too.
    never(Condition::AllOf(vec![
        Condition::Quantity(Bound::AtLeast(3)),
        Condition::AllOf(vec![Condition::Quantity(Bound::AtMost(2))]),
    ]));
    never(Condition::Quantity(Bound::AtMost(0)));
    never(Condition::UnitPrice(Bound::AtMost(eur(-1))));
    // Satisfiable look-alikes: a line can carry two tags; bounds in two currencies are two tests.
    assert_eq!(
        invalid(Condition::AllOf(vec![
            Condition::Tag(Membership::Is("a".into())),
            Condition::Tag(Membership::Is("b".into()))
        ])),
        Ok(())
    );
    assert_eq!(
        invalid(Condition::AllOf(vec![
            Condition::Sku(SkuTest::StartsWith("A".into())),
            Condition::Sku(SkuTest::StartsWith("A-1".into()))
        ])),
        Ok(())
    );
    assert_eq!(
        invalid(Condition::AllOf(vec![
            Condition::DaysSinceDelivery(Bound::AtLeast(5)),
            Condition::DaysSinceDelivery(Bound::AtMost(5))
        ])),
        Ok(())
    );
    // Alternatives are left alone: only one side needs to hold.
    let either = Condition::AnyOf(vec![
        Condition::Reason(Membership::Is("damaged".into())),
        Condition::Reason(Membership::Is("wrong_item".into())),
    ]);
    assert_eq!(invalid(either), Ok(()));
}

#[test]
fn ids_and_positions_are_unique_across_a_shops_rules() {
    let a = only_damaged_or_wrong();
    let b = not_from_france();
    assert_eq!(
        validate_rule_set(&[a.clone(), b.clone()], &reasons()),
        Ok(())
    );
    let same_id = Rule {
        position: 9,
        ..a.clone()
    };
    assert_eq!(
        validate_rule_set(&[a.clone(), same_id], &reasons()),
        Err(("r1".into(), RuleError::DuplicateId { id: "r1".into() }))
    );
    let same_position = Rule { position: 1, ..b };
    assert_eq!(
        validate_rule_set(&[a, same_position], &reasons()),
        Err(("r2".into(), RuleError::DuplicatePosition { position: 1 }))
    );
}

#[test]
fn every_error_has_a_message_in_every_language_naming_the_condition() {
    let errors = [
        RuleError::Malformed {
            detail: "unknown field `colour`".into(),
        },
        RuleError::NameEmpty,
        RuleError::NameTooLong {
            max: NAME_MAX_CHARS,
        },
        RuleError::NoAction,
        RuleError::ConflictingActions,
        RuleError::MessageTooLong {
            max: MESSAGE_MAX_CHARS,
        },
        RuleError::FeeNegative,
        RuleError::NoResolution,
        RuleError::TooManyConditions {
            max: MAX_CONDITIONS,
        },
        RuleError::TooDeep {
            path: path(&[2, 1]),
            max: MAX_DEPTH,
        },
        RuleError::EmptyGroup {
            path: path(&[2, 1]),
        },
        RuleError::NoValues {
            path: path(&[2, 1]),
        },
        RuleError::TooManyValues {
            path: path(&[2, 1]),
            max: MAX_VALUES,
        },
        RuleError::EmptyValue {
            path: path(&[2, 1]),
        },
        RuleError::UnknownReason {
            path: path(&[2, 1]),
            code: "bored".into(),
        },
        RuleError::CountryCodeInvalid {
            path: path(&[2, 1]),
            code: "France".into(),
        },
        RuleError::NeverTrue {
            path: path(&[2, 1]),
        },
        RuleError::DuplicatePosition { position: 3 },
        RuleError::DuplicateId { id: "r1".into() },
    ];
    for error in &errors {
        let messages: Vec<String> = Locale::ALL.iter().map(|l| error.message(*l)).collect();
        for (locale, message) in Locale::ALL.iter().zip(&messages) {
            assert!(!message.contains('{'), "{error:?} in {locale:?}: {message}");
        }
        assert!(
            messages[1] != messages[0] && messages[2] != messages[0] && messages[3] != messages[0],
            "{error:?} is not translated"
        );
    }
    assert_eq!(
        RuleError::NeverTrue {
            path: path(&[2, 1])
        }
        .message(Locale::Nl),
        "Voorwaarde 2.1 kan nooit waar zijn, dus de regel zou nooit gelden."
    );
    assert_eq!(
        RuleError::NoValues { path: path(&[]) }.message(Locale::En),
        "The condition: choose at least one value."
    );
    assert_eq!(
        RuleError::NeverTrue {
            path: path(&[2, 1])
        }
        .to_string(),
        "Condition 2.1 can never be met"
    );
}

// --- Properties ----------------------------------------------------------------------------

/// Small value sets, so that conditions often match and rules often collide.
fn leaf() -> impl Strategy<Value = Condition> {
    let codes =
        || prop::sample::select(vec!["damaged", "wrong_item", "too_small"]).prop_map(String::from);
    let membership = |values: BoxedStrategy<String>| {
        prop_oneof![
            values.clone().prop_map(Membership::Is),
            values.clone().prop_map(Membership::IsNot),
            prop::collection::vec(values.clone(), 1..3).prop_map(Membership::OneOf),
            prop::collection::vec(values, 1..3).prop_map(Membership::NoneOf),
        ]
    };
    let bound = |max: u32| {
        prop_oneof![
            (0..max).prop_map(Bound::AtLeast),
            (0..max).prop_map(Bound::AtMost)
        ]
    };
    let price = prop_oneof![(0i64..5_000).prop_map(eur), (0i64..5_000).prop_map(usd)];
    let countries = prop::sample::select(vec!["FR", "BE", "NL"]).prop_map(String::from);
    let tags = prop::sample::select(vec!["sale", "summer", "final"]).prop_map(String::from);
    let resolution = prop::sample::select(ALL_RESOLUTIONS.to_vec());
    prop_oneof![
        membership(codes().boxed()).prop_map(Condition::Reason),
        membership(countries.boxed()).prop_map(Condition::Country),
        membership(tags.boxed()).prop_map(Condition::Tag),
        resolution.prop_map(|r| Condition::Resolution(Membership::Is(r))),
        bound(40).prop_map(Condition::DaysSinceDelivery),
        bound(4).prop_map(Condition::Quantity),
        prop_oneof![
            price.clone().prop_map(Bound::AtLeast),
            price.prop_map(Bound::AtMost)
        ]
        .prop_map(Condition::UnitPrice),
        prop::sample::select(vec!["A-", "B-", "A-1"])
            .prop_map(|p| Condition::Sku(SkuTest::StartsWith(p.into()))),
        (0u32..60, bound(4))
            .prop_map(|(within_days, count)| Condition::CustomerReturns { within_days, count }),
    ]
}

fn condition() -> impl Strategy<Value = Condition> {
    leaf().prop_recursive(3, 12, 3, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 1..4).prop_map(Condition::AllOf),
            prop::collection::vec(inner, 1..4).prop_map(Condition::AnyOf),
        ]
    })
}

fn action() -> impl Strategy<Value = Action> {
    let resolutions = prop::sample::subsequence(ALL_RESOLUTIONS.to_vec(), 1..=3);
    prop_oneof![
        prop::sample::select(vec!["", "No", "Non"]).prop_map(|m| Action::Refuse {
            message: text(m, "", "", "")
        }),
        Just(Action::RequireManualApproval),
        any::<bool>().prop_map(|with_label| Action::ApproveAutomatically { with_label }),
        prop_oneof![(0i64..1_000).prop_map(eur), (0i64..1_000).prop_map(usd)]
            .prop_map(|fee| Action::SetFee { fee }),
        Just(Action::WaiveFee),
        resolutions.prop_map(|resolutions| Action::LimitResolutions { resolutions }),
    ]
}

/// Rules at positions 0, 1, 2… with ids r0, r1…; a few disabled.
fn rules() -> impl Strategy<Value = Vec<Rule>> {
    let one = (
        condition(),
        prop::collection::vec(action(), 1..3),
        prop::bool::weighted(0.85),
    );
    prop::collection::vec(one, 0..8).prop_map(|rules| {
        rules
            .into_iter()
            .enumerate()
            .map(|(i, (condition, actions, enabled))| Rule {
                enabled,
                ..rule(&format!("r{i}"), i as u32, condition, actions)
            })
            .collect()
    })
}

fn item_context() -> impl Strategy<Value = ItemContext> {
    let reason = prop::option::weighted(
        0.8,
        prop::sample::select(vec!["damaged", "wrong_item", "too_small"]).prop_map(String::from),
    );
    let sku = prop::sample::select(vec!["A-1", "A-2", "B-1"]).prop_map(String::from);
    let tags = prop::sample::subsequence(
        vec!["sale".to_owned(), "summer".to_owned(), "final".to_owned()],
        0..=2,
    );
    (
        reason,
        prop::option::weighted(0.8, 1u32..4),
        sku,
        0i64..5_000,
        tags,
    )
        .prop_map(|(reason, quantity, sku, price, tags)| ItemContext {
            line_id: sku.clone(),
            sku,
            unit_price: eur(price),
            tags,
            category: None,
            reason,
            quantity,
        })
}

fn context() -> impl Strategy<Value = RuleContext> {
    let kind = prop::sample::select(vec![RequestKind::Commercial, RequestKind::Withdrawal]);
    let country = prop::sample::select(vec!["FR", "BE", "NL"]).prop_map(String::from);
    let earlier = prop::collection::vec((0i64..90).prop_map(|d| TODAY - Duration::days(d)), 0..5);
    let resolution = prop::option::weighted(0.8, prop::sample::select(ALL_RESOLUTIONS.to_vec()));
    (
        kind,
        0i64..45,
        prop::option::of(0i64..10),
        country,
        resolution,
        earlier,
        prop::collection::vec(item_context(), 1..4),
    )
        .prop_map(
            |(
                kind,
                delivered_ago,
                order_gap,
                shipping_country,
                resolution,
                earlier_requests,
                items,
            )| {
                let delivered = TODAY - Duration::days(delivered_ago);
                RuleContext {
                    kind,
                    today: TODAY,
                    placed_on: delivered - Duration::days(order_gap.unwrap_or(3)),
                    delivered_on: order_gap.map(|_| delivered),
                    shipping_country,
                    order_total: eur(10_000),
                    resolution,
                    earlier_requests,
                    items,
                }
            },
        )
}

/// Rules and the same rules with their positions shuffled.
fn rules_and_reordering() -> impl Strategy<Value = (Vec<Rule>, Vec<Rule>)> {
    rules().prop_flat_map(|rules| {
        let positions: Vec<u32> = (0..rules.len() as u32).collect();
        (Just(rules), Just(positions).prop_shuffle()).prop_map(|(rules, positions)| {
            let reordered = rules
                .iter()
                .zip(positions)
                .map(|(rule, position)| Rule {
                    position,
                    ..rule.clone()
                })
                .collect();
            (rules, reordered)
        })
    })
}

/// Everything that must not depend on rule order: all but the refusal message and the
/// amount of a fee.
fn order_free(outcome: &Outcome) -> impl PartialEq + fmt::Debug {
    let fee_kind = |fee: Fee| match fee {
        Fee::Set { .. } => "set",
        Fee::Waived => "waived",
        Fee::ShopDefault => "default",
    };
    let items: Vec<_> = outcome
        .items
        .iter()
        .map(|item| {
            let matched: BTreeSet<&str> = item.matched.iter().map(|m| m.rule_id.as_str()).collect();
            let undecided: BTreeSet<&str> = item.undecided.iter().map(String::as_str).collect();
            (
                item.verdict,
                item.by_shop_default,
                fee_kind(item.fee),
                item.resolutions.clone(),
                matched,
                undecided,
                item.may_be_refused,
            )
        })
        .collect();
    (
        outcome.verdict,
        fee_kind(outcome.fee),
        outcome.resolutions.clone(),
        outcome.resolution_conflict,
        outcome.complete,
        format!("{items:?}"),
    )
}

proptest! {
    #[test]
    fn reordering_rules_changes_at_most_the_refusal_message_and_the_fee_amount(
        (rules, reordered) in rules_and_reordering(),
        context in context(),
        manual in any::<bool>(),
    ) {
        let defaults = ShopDefaults { manual_approval: manual, resolutions: ALL_RESOLUTIONS };
        prop_assert_eq!(order_free(&evaluate(&rules, &context, defaults)), order_free(&evaluate(&reordered, &context, defaults)));
    }

    #[test]
    fn adding_a_disabled_rule_never_changes_an_outcome(
        rules in rules(),
        extra in (condition(), prop::collection::vec(action(), 1..3), 0u32..10),
        context in context(),
    ) {
        let (condition, actions, position) = extra;
        let mut more = rules.clone();
        more.push(Rule { enabled: false, ..rule("disabled", position, condition, actions) });
        prop_assert_eq!(evaluate(&rules, &context, shop(true)), evaluate(&more, &context, shop(true)));
    }

    #[test]
    fn a_matching_enabled_refusal_refuses_the_item_whatever_else_matches(rules in rules(), mut context in context()) {
        context.kind = RequestKind::Commercial;
        let outcome = evaluate(&rules, &context, shop(false));
        for (item, result) in context.items.iter().zip(&outcome.items) {
            let refusal_matches = rules.iter().any(|rule| {
                rule.enabled
                    && rule.actions.iter().any(|a| matches!(a, Action::Refuse { .. }))
                    && rule.condition.evaluate(&context, item) == Some(true)
            });
            prop_assert_eq!(result.verdict == Verdict::Refused, refusal_matches);
        }
    }

    #[test]
    fn a_withdrawal_is_never_refused_and_never_charged(rules in rules(), mut context in context(), manual in any::<bool>()) {
        context.kind = RequestKind::Withdrawal;
        let outcome = evaluate(&rules, &context, ShopDefaults { manual_approval: manual, resolutions: ALL_RESOLUTIONS });
        prop_assert_ne!(outcome.verdict, Verdict::Refused);
        prop_assert_eq!(outcome.fee, Fee::Waived);
        for item in &outcome.items {
            prop_assert_ne!(item.verdict, Verdict::Refused);
            prop_assert_eq!(item.fee, Fee::Waived);
            prop_assert!(!item.may_be_refused);
        }
    }

    #[test]
    fn generated_rules_survive_a_json_round_trip(rules in rules()) {
        let json = serde_json::to_string(&rules).unwrap();
        prop_assert_eq!(serde_json::from_str::<Vec<Rule>>(&json).unwrap(), rules);
    }
}
