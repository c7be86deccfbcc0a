//! The merchant's services on both backends: inbox, decisions under concurrency,
//! receiving and restocking, settling with credit notes, notes, and shop isolation.

use app::{
    backoffice::dto::{BulkTarget, InboxFilters},
    domain::{
        settlement::{ItemCondition, ReceivedItem, Settlement, SettlementKind},
        Decision, DomainError, InboxTab, Merchant, ReturnStatus, Role,
    },
    services::{backoffice as office, ServiceError},
};
use reqwest::StatusCode;
use serde_json::json;

use crate::{helpers::*, on_both_backends};

on_both_backends!(
    the_inbox_lists_pending_requests_oldest_first_with_the_pending_count,
    the_inbox_filters_by_reason_country_date_and_search,
    approving_with_a_label_then_receiving_and_settling_issues_a_credit_note,
    approving_without_a_label_settles_at_once_and_restocks_nothing,
    a_rejection_needs_an_explanation_and_the_shopper_sees_it,
    two_staff_deciding_at_once_change_the_request_once,
    an_illegal_transition_is_refused_and_changes_nothing,
    credit_note_numbers_have_no_gaps_and_a_partial_receipt_refunds_what_came_back,
    bulk_decisions_report_each_request,
    staff_notes_stay_internal,
    a_merchant_of_another_shop_sees_and_changes_nothing,
);

fn merchant(shop_id: &str, email: &str) -> Merchant {
    Merchant {
        user_id: format!("user_{email}"),
        shop_id: shop_id.into(),
        email: email.into(),
        role: Role::Staff,
    }
}

pub(crate) fn demo_staff() -> Merchant {
    merchant("shop_demo", "staff@demo.test")
}

fn now() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

/// Submits a return through the real portal and gives back its id.
pub(crate) async fn submit(
    app: &TestApp,
    number: &str,
    email: &str,
    items: &[(&str, u32, &str)],
) -> String {
    let (token, order) = app.token(number, email).await;
    let mut answers = Vec::new();
    for (sku, quantity, reason) in items {
        let mut answer = item(&line_id(&order, sku), *quantity, reason);
        // The demo shop wants a photo of damaged items.
        if *reason == "damaged" {
            let photo =
                std::fs::read(testdata("images/orientation/recurser_Landscape_1.jpg")).unwrap();
            let (status, uploaded) = app.upload(&token, photo, "damage.jpg").await;
            assert_eq!(status, StatusCode::OK, "{uploaded}");
            answer["photo_id"] = uploaded["Stored"]["id"].clone();
        }
        answers.push(answer);
    }
    let key = format!("key-{}", ulid::Ulid::new());
    let (status, submitted) = app
        .submit(&token, &key, json!(answers), "refund", "mail")
        .await;
    assert_eq!(status, StatusCode::OK, "{submitted}");
    let reference = submitted["reference"].as_str().unwrap();
    app::store::returns::find_by_reference(&app.state.db, "shop_demo", reference)
        .await
        .unwrap()
        .unwrap()
        .id
}

pub(crate) async fn version(app: &TestApp, id: &str) -> i64 {
    office::return_detail(&app.state, &demo_staff(), id)
        .await
        .unwrap()
        .version
}

fn approve(with_label: bool) -> Decision {
    Decision::Approve {
        with_label,
        refund_fee: false,
    }
}

fn refund() -> Settlement {
    Settlement::Refund {
        adjusted_minor: None,
        adjustment_reason: String::new(),
    }
}

async fn the_inbox_lists_pending_requests_oldest_first_with_the_pending_count(backend: Backend) {
    let app = spawn_app(backend).await;
    let staff = demo_staff();
    // The demo seed holds one request (order 1004) from yesterday.
    let newer = submit(
        &app,
        "1001",
        "camille@example.fr",
        &[("TS-ORG-M", 1, "too_small")],
    )
    .await;
    let page = office::inbox(&app.state, &staff, &InboxFilters::default())
        .await
        .unwrap();
    assert_eq!(page.counts.requests, 2);
    assert_eq!(page.total, 2);
    let references: Vec<_> = page.rows.iter().map(|r| r.reference.as_str()).collect();
    assert_eq!(references[0], "R-0000-1004", "oldest waiting first");
    assert_eq!(page.rows[1].id, newer);
    assert_eq!(page.rows[1].reasons, ["Too small"]);
    assert_eq!(page.rows[1].country, "FR");

    office::decide(
        &app.state,
        &staff,
        &newer,
        version(&app, &newer).await,
        approve(true),
        now(),
    )
    .await
    .unwrap();
    let requests = office::inbox(&app.state, &staff, &InboxFilters::default())
        .await
        .unwrap();
    assert_eq!((requests.counts.requests, requests.counts.returns), (1, 1));
    let returns = office::inbox(
        &app.state,
        &staff,
        &InboxFilters {
            tab: InboxTab::Returns,
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert_eq!(
        returns
            .rows
            .iter()
            .map(|r| r.id.as_str())
            .collect::<Vec<_>>(),
        [newer.as_str()]
    );
}

async fn the_inbox_filters_by_reason_country_date_and_search(backend: Backend) {
    let app = spawn_app(backend).await;
    let staff = demo_staff();
    let french = submit(
        &app,
        "1001",
        "camille@example.fr",
        &[("JN-SLM-32", 1, "damaged")],
    )
    .await;
    submit(
        &app,
        "1006",
        "jan@example.nl",
        &[("CB-USB-2M", 1, "changed_mind")],
    )
    .await;
    let ids = |page: app::backoffice::dto::InboxPage| {
        page.rows.into_iter().map(|r| r.id).collect::<Vec<_>>()
    };

    let by_reason = office::inbox(
        &app.state,
        &staff,
        &InboxFilters {
            reason: "damaged".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert_eq!(ids(by_reason), [french.clone()]);
    let by_country = office::inbox(
        &app.state,
        &staff,
        &InboxFilters {
            country: "fr".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert_eq!(ids(by_country), [french.clone()]);
    let by_email = office::inbox(
        &app.state,
        &staff,
        &InboxFilters {
            search: "CAMILLE@".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert_eq!(ids(by_email), [french.clone()]);
    let by_order = office::inbox(
        &app.state,
        &staff,
        &InboxFilters {
            search: "#1001".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert_eq!(ids(by_order), [french.clone()]);
    let by_reference = office::inbox(
        &app.state,
        &staff,
        &InboxFilters {
            search: "r-0000-10".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert_eq!(by_reference.rows.len(), 1);
    assert_eq!(by_reference.rows[0].reference, "R-0000-1004");
    // Wildcards are taken literally.
    let wildcard = office::inbox(
        &app.state,
        &staff,
        &InboxFilters {
            search: "%".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert!(wildcard.rows.is_empty());

    let today = time::OffsetDateTime::now_utc().date();
    let since_today = InboxFilters {
        from: today.to_string(),
        to: today.to_string(),
        ..Default::default()
    };
    assert_eq!(
        office::inbox(&app.state, &staff, &since_today)
            .await
            .unwrap()
            .total,
        2,
        "the seeded request is from yesterday"
    );
    let tomorrow = today.next_day().unwrap().to_string();
    let future = InboxFilters {
        from: tomorrow,
        ..Default::default()
    };
    assert_eq!(
        office::inbox(&app.state, &staff, &future)
            .await
            .unwrap()
            .total,
        0
    );
}

async fn approving_with_a_label_then_receiving_and_settling_issues_a_credit_note(backend: Backend) {
    let app = spawn_app(backend).await;
    let staff = demo_staff();
    let id = submit(
        &app,
        "1001",
        "camille@example.fr",
        &[("TS-ORG-M", 2, "too_small"), ("SN-RUN-41", 1, "damaged")],
    )
    .await;
    let status = office::decide(
        &app.state,
        &staff,
        &id,
        version(&app, &id).await,
        approve(true),
        now(),
    )
    .await
    .unwrap();
    assert_eq!(status, ReturnStatus::Approved);

    let detail = office::return_detail(&app.state, &staff, &id)
        .await
        .unwrap();
    assert!(detail.actions.receive && !detail.actions.settle && !detail.actions.decide);
    let shirt = detail.items.iter().find(|i| i.sku == "TS-ORG-M").unwrap();
    let sneakers = detail.items.iter().find(|i| i.sku == "SN-RUN-41").unwrap();
    assert!(sneakers.defective && !shirt.defective);
    let received = [
        ReceivedItem {
            item_id: shirt.id.clone(),
            quantity: 2,
            condition: ItemCondition::AsNew,
            restock: true,
        },
        ReceivedItem {
            item_id: sneakers.id.clone(),
            quantity: 1,
            condition: ItemCondition::Damaged,
            restock: false,
        },
    ];
    let status = office::receive(&app.state, &staff, &id, detail.version, &received, now())
        .await
        .unwrap();
    assert_eq!(status, ReturnStatus::Received);
    let stock = app::store::backoffice::restocked_by_sku(&app.state.db, "shop_demo")
        .await
        .unwrap();
    assert_eq!(stock.get("TS-ORG-M"), Some(&2));
    assert_eq!(
        stock.get("SN-RUN-41"),
        None,
        "a damaged item does not go back into stock"
    );

    let detail = office::return_detail(&app.state, &staff, &id)
        .await
        .unwrap();
    assert!(detail.actions.settle);
    assert_eq!(detail.quote.unwrap().total.minor, 2 * 2500 + 12000);
    let number = office::settle(&app.state, &staff, &id, detail.version, &refund(), now())
        .await
        .unwrap();
    assert_eq!(number, "CN-000001");
    let note = office::credit_note(&app.state, &staff, &id).await.unwrap();
    assert_eq!(
        (note.kind, note.amount.minor, note.lines.len()),
        (SettlementKind::Refund, 17000, 2)
    );
    assert_eq!(note.issued_by, "staff@demo.test");

    let detail = office::return_detail(&app.state, &staff, &id)
        .await
        .unwrap();
    assert_eq!(detail.status, ReturnStatus::Settled);
    let steps: Vec<_> = detail
        .history
        .iter()
        .map(|h| (h.status, h.actor.as_str()))
        .collect();
    assert_eq!(
        steps,
        [
            (ReturnStatus::Requested, "shopper"),
            (ReturnStatus::Approved, "staff@demo.test"),
            (ReturnStatus::Received, "staff@demo.test"),
            (ReturnStatus::Settled, "staff@demo.test"),
        ]
    );
}

async fn approving_without_a_label_settles_at_once_and_restocks_nothing(backend: Backend) {
    let app = spawn_app(backend).await;
    let staff = demo_staff();
    let id = submit(
        &app,
        "1006",
        "jan@example.nl",
        &[("CB-USB-2M", 2, "damaged")],
    )
    .await;
    office::decide(
        &app.state,
        &staff,
        &id,
        version(&app, &id).await,
        approve(false),
        now(),
    )
    .await
    .unwrap();
    let detail = office::return_detail(&app.state, &staff, &id)
        .await
        .unwrap();
    assert_eq!(detail.with_label, Some(false));
    assert!(!detail.actions.receive, "nothing ships back");
    assert!(detail.actions.settle);
    let number = office::settle(
        &app.state,
        &staff,
        &id,
        detail.version,
        &Settlement::StoreCredit {
            adjusted_minor: None,
            adjustment_reason: String::new(),
        },
        now(),
    )
    .await
    .unwrap();
    let note = office::credit_note(&app.state, &staff, &id).await.unwrap();
    assert_eq!(
        (note.number, note.kind, note.amount.minor),
        (number, SettlementKind::StoreCredit, 3000)
    );
    assert!(
        app::store::backoffice::restocked_by_sku(&app.state.db, "shop_demo")
            .await
            .unwrap()
            .is_empty()
    );
}

async fn a_rejection_needs_an_explanation_and_the_shopper_sees_it(backend: Backend) {
    let app = spawn_app(backend).await;
    let staff = demo_staff();
    let id = submit(
        &app,
        "1001",
        "camille@example.fr",
        &[("JN-SLM-32", 1, "changed_mind")],
    )
    .await;
    let v = version(&app, &id).await;
    let blank = office::decide(
        &app.state,
        &staff,
        &id,
        v,
        Decision::Reject {
            explanation: "   ".into(),
        },
        now(),
    )
    .await;
    assert!(
        matches!(
            blank,
            Err(ServiceError::Domain(DomainError::ExplanationRequired))
        ),
        "{blank:?}"
    );
    let explanation = "The jeans were worn and washed.";
    let status = office::decide(
        &app.state,
        &staff,
        &id,
        v,
        Decision::Reject {
            explanation: explanation.into(),
        },
        now(),
    )
    .await
    .unwrap();
    assert_eq!(status, ReturnStatus::Rejected);
    let detail = office::return_detail(&app.state, &staff, &id)
        .await
        .unwrap();
    assert_eq!(detail.decision_note, explanation);
    assert_eq!(detail.history.last().unwrap().note, explanation);
    // The rejected units can be asked for again.
    submit(
        &app,
        "1001",
        "camille@example.fr",
        &[("JN-SLM-32", 1, "too_small")],
    )
    .await;
}

async fn two_staff_deciding_at_once_change_the_request_once(backend: Backend) {
    let app = spawn_app(backend).await;
    let id = submit(
        &app,
        "1001",
        "camille@example.fr",
        &[("TS-ORG-M", 1, "too_small")],
    )
    .await;
    let seen = version(&app, &id).await;
    let (alice, bob) = (
        merchant("shop_demo", "alice@demo.test"),
        merchant("shop_demo", "bob@demo.test"),
    );
    let (first, second) = tokio::join!(
        office::decide(&app.state, &alice, &id, seen, approve(true), now()),
        office::decide(
            &app.state,
            &bob,
            &id,
            seen,
            Decision::Reject {
                explanation: "No.".into()
            },
            now()
        ),
    );
    let outcomes = [first.is_ok(), second.is_ok()];
    assert_eq!(
        outcomes.iter().filter(|ok| **ok).count(),
        1,
        "{first:?} {second:?}"
    );
    let loser = if first.is_ok() { second } else { first };
    assert!(matches!(loser, Err(ServiceError::Conflict)), "{loser:?}");
    let detail = office::return_detail(&app.state, &demo_staff(), &id)
        .await
        .unwrap();
    assert_eq!(detail.history.len(), 2, "one decision in the history");
    assert_eq!(detail.version, seen + 1);
}

async fn an_illegal_transition_is_refused_and_changes_nothing(backend: Backend) {
    let app = spawn_app(backend).await;
    let staff = demo_staff();
    let id = submit(
        &app,
        "1001",
        "camille@example.fr",
        &[("TS-ORG-M", 1, "too_small")],
    )
    .await;
    let v = version(&app, &id).await;
    let early = office::settle(&app.state, &staff, &id, v, &refund(), now()).await;
    assert!(
        matches!(
            early,
            Err(ServiceError::Domain(DomainError::InvalidTransition {
                from: ReturnStatus::Requested,
                ..
            }))
        ),
        "{early:?}"
    );
    let item = office::return_detail(&app.state, &staff, &id)
        .await
        .unwrap()
        .items[0]
        .id
        .clone();
    let received = [ReceivedItem {
        item_id: item,
        quantity: 1,
        condition: ItemCondition::AsNew,
        restock: true,
    }];
    let early = office::receive(&app.state, &staff, &id, v, &received, now()).await;
    assert!(
        matches!(
            early,
            Err(ServiceError::Domain(DomainError::InvalidTransition { .. }))
        ),
        "{early:?}"
    );
    office::decide(
        &app.state,
        &staff,
        &id,
        v,
        Decision::Reject {
            explanation: "Worn.".into(),
        },
        now(),
    )
    .await
    .unwrap();
    let again = office::decide(&app.state, &staff, &id, v + 1, approve(true), now()).await;
    assert!(
        matches!(
            again,
            Err(ServiceError::Domain(DomainError::InvalidTransition {
                from: ReturnStatus::Rejected,
                ..
            }))
        ),
        "{again:?}"
    );
    assert_eq!(version(&app, &id).await, v + 1);
    assert!(
        app::store::backoffice::restocked_by_sku(&app.state.db, "shop_demo")
            .await
            .unwrap()
            .is_empty()
    );
}

async fn credit_note_numbers_have_no_gaps_and_a_partial_receipt_refunds_what_came_back(
    backend: Backend,
) {
    let app = spawn_app(backend).await;
    let staff = demo_staff();
    let shirts = submit(
        &app,
        "1001",
        "camille@example.fr",
        &[("TS-ORG-M", 2, "too_small")],
    )
    .await;
    let cables = submit(
        &app,
        "1006",
        "jan@example.nl",
        &[("CB-USB-2M", 1, "changed_mind")],
    )
    .await;
    for id in [&shirts, &cables] {
        office::decide(
            &app.state,
            &staff,
            id,
            version(&app, id).await,
            approve(true),
            now(),
        )
        .await
        .unwrap();
    }
    let detail = office::return_detail(&app.state, &staff, &shirts)
        .await
        .unwrap();
    let only_one = [ReceivedItem {
        item_id: detail.items[0].id.clone(),
        quantity: 1,
        condition: ItemCondition::Used,
        restock: true,
    }];
    office::receive(
        &app.state,
        &staff,
        &shirts,
        detail.version,
        &only_one,
        now(),
    )
    .await
    .unwrap();
    let detail = office::return_detail(&app.state, &staff, &shirts)
        .await
        .unwrap();
    assert_eq!(
        detail.quote.unwrap().total.minor,
        2500,
        "one of two shirts came back"
    );

    // A refused settlement (adjusted without a reason) takes no number.
    let unexplained = Settlement::Refund {
        adjusted_minor: Some(2000),
        adjustment_reason: String::new(),
    };
    let refused = office::settle(
        &app.state,
        &staff,
        &shirts,
        detail.version,
        &unexplained,
        now(),
    )
    .await;
    assert!(
        matches!(
            refused,
            Err(ServiceError::Domain(DomainError::AdjustmentReasonRequired))
        ),
        "{refused:?}"
    );
    let too_much = Settlement::Refund {
        adjusted_minor: Some(2501),
        adjustment_reason: "Goodwill".into(),
    };
    let refused = office::settle(
        &app.state,
        &staff,
        &shirts,
        detail.version,
        &too_much,
        now(),
    )
    .await;
    assert!(
        matches!(
            refused,
            Err(ServiceError::Domain(DomainError::AmountOutOfRange))
        ),
        "{refused:?}"
    );
    let adjusted = Settlement::Refund {
        adjusted_minor: Some(2000),
        adjustment_reason: "Label cut off".into(),
    };
    assert_eq!(
        office::settle(
            &app.state,
            &staff,
            &shirts,
            detail.version,
            &adjusted,
            now()
        )
        .await
        .unwrap(),
        "CN-000001"
    );

    let detail = office::return_detail(&app.state, &staff, &cables)
        .await
        .unwrap();
    let all = [ReceivedItem {
        item_id: detail.items[0].id.clone(),
        quantity: 1,
        condition: ItemCondition::AsNew,
        restock: true,
    }];
    office::receive(&app.state, &staff, &cables, detail.version, &all, now())
        .await
        .unwrap();
    let v = version(&app, &cables).await;
    let exchange = Settlement::Exchange {
        replacement: "USB-C cable, 1 m".into(),
    };
    assert_eq!(
        office::settle(&app.state, &staff, &cables, v, &exchange, now())
            .await
            .unwrap(),
        "CN-000002"
    );
    // Settling twice is a conflict, not a second note.
    assert!(matches!(
        office::settle(&app.state, &staff, &cables, v, &exchange, now()).await,
        Err(ServiceError::Conflict)
    ));

    let notes = app::store::backoffice::credit_notes(&app.state.db, "shop_demo")
        .await
        .unwrap();
    assert_eq!(notes.iter().map(|n| n.sequence).collect::<Vec<_>>(), [1, 2]);
    assert_eq!(
        (notes[0].amount_minor, notes[0].memo.as_str()),
        (2000, "Label cut off")
    );
    assert_eq!(notes[1].memo, "USB-C cable, 1 m");
}

async fn bulk_decisions_report_each_request(backend: Backend) {
    let app = spawn_app(backend).await;
    let staff = demo_staff();
    let a = submit(
        &app,
        "1001",
        "camille@example.fr",
        &[("TS-ORG-M", 1, "too_small")],
    )
    .await;
    let b = submit(
        &app,
        "1006",
        "jan@example.nl",
        &[("CB-USB-2M", 1, "changed_mind")],
    )
    .await;
    let stale = version(&app, &b).await;
    office::add_note(&app.state, &staff, &b, "Checked the photos", now())
        .await
        .unwrap();
    // Someone approves b meanwhile: the bulk action must not touch it again.
    office::decide(&app.state, &staff, &b, stale, approve(true), now())
        .await
        .unwrap();
    let targets = [
        BulkTarget {
            id: a.clone(),
            version: version(&app, &a).await,
        },
        BulkTarget {
            id: b.clone(),
            version: stale,
        },
    ];
    let outcome = office::bulk_decide(
        &app.state,
        &staff,
        &targets,
        Decision::Reject {
            explanation: "Outside policy.".into(),
        },
        now(),
    )
    .await
    .unwrap();
    assert_eq!(outcome.done.len(), 1);
    assert_eq!(outcome.failed.len(), 1);
    assert_eq!(outcome.failed[0].1, "error.conflict");
    assert_eq!(
        office::return_detail(&app.state, &staff, &a)
            .await
            .unwrap()
            .status,
        ReturnStatus::Rejected
    );
    assert_eq!(
        office::return_detail(&app.state, &staff, &b)
            .await
            .unwrap()
            .status,
        ReturnStatus::Approved
    );
}

async fn staff_notes_stay_internal(backend: Backend) {
    let app = spawn_app(backend).await;
    let staff = demo_staff();
    let id = submit(
        &app,
        "1001",
        "camille@example.fr",
        &[("TS-ORG-M", 1, "too_small")],
    )
    .await;
    assert!(matches!(
        office::add_note(&app.state, &staff, &id, "  ", now()).await,
        Err(ServiceError::Domain(DomainError::NoteEmpty))
    ));
    office::add_note(
        &app.state,
        &staff,
        &id,
        "Customer called about the size",
        now(),
    )
    .await
    .unwrap();
    let detail = office::return_detail(&app.state, &staff, &id)
        .await
        .unwrap();
    assert_eq!(detail.notes.len(), 1);
    assert_eq!(
        (
            detail.notes[0].author.as_str(),
            detail.notes[0].body.as_str()
        ),
        ("staff@demo.test", "Customer called about the size")
    );
    let record =
        app::store::returns::find_by_reference(&app.state.db, "shop_demo", &detail.reference)
            .await
            .unwrap()
            .unwrap();
    let status = app::services::status::return_status(
        &app.state,
        "demo",
        &detail.reference,
        &app.state
            .keys
            .link_key(app::services::submit::STATUS_LINK_PURPOSE, &record.id),
    )
    .await
    .unwrap();
    assert!(
        !format!("{status:?}").contains("Customer called"),
        "the shopper's view has no staff notes"
    );
}

async fn a_merchant_of_another_shop_sees_and_changes_nothing(backend: Backend) {
    let app = spawn_app(backend).await;
    let mut other_shop = app::services::demo::demo_shop();
    other_shop.id = "shop_other".into();
    other_shop.slug = "other".into();
    app::store::shops::insert_shop(&app.state.db, &other_shop, now())
        .await
        .unwrap();
    let intruder = merchant("shop_other", "intruder@other.test");
    let id = submit(
        &app,
        "1001",
        "camille@example.fr",
        &[("TS-ORG-M", 1, "too_small")],
    )
    .await;
    let v = version(&app, &id).await;

    let page = office::inbox(&app.state, &intruder, &InboxFilters::default())
        .await
        .unwrap();
    assert_eq!((page.total, page.counts.requests), (0, 0));
    let not_found = |result: Result<_, ServiceError>| matches!(result, Err(ServiceError::NotFound));
    assert!(not_found(
        office::return_detail(&app.state, &intruder, &id)
            .await
            .map(|_| ())
    ));
    assert!(not_found(
        office::decide(&app.state, &intruder, &id, v, approve(true), now())
            .await
            .map(|_| ())
    ));
    assert!(not_found(
        office::add_note(&app.state, &intruder, &id, "hello", now()).await
    ));
    assert!(not_found(
        office::settle(&app.state, &intruder, &id, v, &refund(), now())
            .await
            .map(|_| ())
    ));
    assert!(not_found(
        office::receive(&app.state, &intruder, &id, v, &[], now())
            .await
            .map(|_| ())
    ));
    assert!(not_found(
        office::credit_note(&app.state, &intruder, &id)
            .await
            .map(|_| ())
    ));
    let bulk = office::bulk_decide(
        &app.state,
        &intruder,
        &[BulkTarget {
            id: id.clone(),
            version: v,
        }],
        approve(true),
        now(),
    )
    .await
    .unwrap();
    assert!(bulk.done.is_empty() && bulk.failed.is_empty());
    let detail = office::return_detail(&app.state, &demo_staff(), &id)
        .await
        .unwrap();
    assert_eq!(
        (detail.status, detail.version, detail.notes.len()),
        (ReturnStatus::Requested, v, 0)
    );
}
