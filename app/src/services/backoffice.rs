//! The merchant's work on return requests. Every function is scoped by the signed-in
//! merchant's shop: another shop's request is `NotFound`, whatever its id.

use time::{Date, Month};

use super::{
    mail::{self, Notice},
    new_id,
    photos::{display_url, thumb_url},
    AppState, ServiceError,
};
use crate::{
    backoffice::dto::*,
    domain::{
        decision::checked_note,
        message::MessageKind,
        settlement::{
            self, check_received, quote_refund, ReceivedItem, RefundQuote, ReturnedLine, Settlement,
        },
        shop::Shop,
        Decision, DomainError, InboxTab, Merchant, Money, Order, OrderLine, ReturnEvent,
        ReturnStatus,
    },
    store::{
        self,
        backoffice::{
            CreditNoteRecord, InboxQuery, ItemReceipt, MerchantReturn, StaffNote, StatusChange,
            StockMovement,
        },
        returns::ReturnItemRecord,
        Tx,
    },
};

fn parse_day(text: &str) -> Option<Date> {
    let mut parts = text.trim().splitn(3, '-');
    let year = parts.next()?.parse().ok()?;
    let month = Month::try_from(parts.next()?.parse::<u8>().ok()?).ok()?;
    let day = parts.next()?.parse().ok()?;
    Date::from_calendar_date(year, month, day).ok()
}

fn day_start_unix(date: Date) -> i64 {
    date.midnight().assume_utc().unix_timestamp()
}

pub async fn inbox(
    state: &AppState,
    merchant: &Merchant,
    filters: &InboxFilters,
) -> Result<InboxPage, ServiceError> {
    let shop = store::shops::find_shop_by_id(&state.db, &merchant.shop_id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let query = InboxQuery {
        tab: filters.tab,
        status: filters.status,
        reason: Some(filters.reason.clone()),
        country: Some(filters.country.trim().to_owned()),
        created_from: parse_day(&filters.from).map(day_start_unix),
        // Inclusive "to": up to the start of the next day.
        created_before: parse_day(&filters.to)
            .and_then(|d| d.next_day())
            .map(day_start_unix),
        search: Some(filters.search.chars().take(100).collect()),
        offset: i64::from(filters.page) * i64::from(PAGE_SIZE),
        limit: i64::from(PAGE_SIZE),
    };
    let (rows, total) = store::backoffice::inbox(&state.db, &shop.id, &query).await?;
    let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
    let reasons = store::backoffice::reasons_of(&state.db, &ids).await?;
    let label = |code: &str| reason_label(&shop, code);
    Ok(InboxPage {
        shop_name: shop.name.clone(),
        counts: tab_counts(state, &shop.id).await?,
        rows: rows
            .into_iter()
            .map(|row| InboxRowView {
                reasons: reasons
                    .get(&row.id)
                    .map(|codes| codes.iter().map(|c| label(c)).collect())
                    .unwrap_or_default(),
                id: row.id,
                reference: row.reference,
                status: row.status,
                version: row.version,
                created_at_unix: row.created_at,
                order_number: row.order_number,
                email: row.email,
                customer_name: row.customer_name,
                country: row.country,
                units: row.units,
                withdrawal: row.withdrawal,
            })
            .collect(),
        total,
        page: filters.page,
        page_count: u32::try_from((total + i64::from(PAGE_SIZE) - 1) / i64::from(PAGE_SIZE))
            .unwrap_or(u32::MAX)
            .max(1),
        reasons: shop
            .reasons
            .iter()
            .map(|r| (r.code.clone(), r.label.en.clone()))
            .collect(),
    })
}

pub async fn tab_counts(state: &AppState, shop_id: &str) -> Result<TabCounts, ServiceError> {
    let mut counts = TabCounts::default();
    for (status, n) in store::backoffice::status_counts(&state.db, shop_id).await? {
        match InboxTab::of(status) {
            Some(InboxTab::Requests) => counts.requests += n,
            Some(InboxTab::Returns) => counts.returns += n,
            Some(InboxTab::Closed) => counts.closed += n,
            None => {}
        }
    }
    Ok(counts)
}

async fn load(
    state: &AppState,
    merchant: &Merchant,
    return_id: &str,
) -> Result<MerchantReturn, ServiceError> {
    store::backoffice::find_return(&state.db, &merchant.shop_id, return_id)
        .await?
        .ok_or(ServiceError::NotFound)
}

/// The shop and the order of a request, which its emails speak of.
async fn shop_and_order(
    state: &AppState,
    merchant: &Merchant,
    request: &MerchantReturn,
) -> Result<(Shop, Order), ServiceError> {
    let shop = store::shops::find_shop_by_id(&state.db, &merchant.shop_id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let order = store::orders::find_order(&state.db, &shop.id, &request.record.order_id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    Ok((shop, order))
}

fn allowed_actions(request: &MerchantReturn) -> AllowedActions {
    let status = request.record.status;
    AllowedActions {
        decide: status.transition(ReturnEvent::Approve).is_ok(),
        // Nothing to receive when the shopper keeps the item.
        receive: status.transition(ReturnEvent::Receive).is_ok()
            && request.with_label != Some(false),
        settle: status.transition(ReturnEvent::Settle).is_ok()
            && (status == ReturnStatus::Received || request.with_label == Some(false)),
    }
}

pub async fn return_detail(
    state: &AppState,
    merchant: &Merchant,
    return_id: &str,
) -> Result<ReturnDetailView, ServiceError> {
    let request = load(state, merchant, return_id).await?;
    let shop = store::shops::find_shop_by_id(&state.db, &merchant.shop_id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let order = store::orders::find_order(&state.db, &shop.id, &request.record.order_id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let lines = store::orders::order_lines(&state.db, &order).await?;
    let items = store::returns::return_items(&state.db, return_id).await?;
    let receipts = store::backoffice::receipts(&state.db, return_id).await?;
    let history = store::returns::history(&state.db, return_id).await?;
    let notes = store::backoffice::staff_notes(&state.db, return_id).await?;
    let credit_note =
        store::backoffice::credit_note_for_return(&state.db, &shop.id, return_id).await?;
    let actions = allowed_actions(&request);
    let quote = if actions.settle {
        let mut tx = state.db.begin().await?;
        let quote = refund_quote(&mut tx, &request, &lines, &items, &receipts).await;
        tx.rollback().await?;
        Some(quote?.0)
    } else {
        None
    };
    let record = &request.record;
    let withdrawal = store::withdrawals::find_statement(&state.db, &shop.id, &record.id)
        .await?
        .map(|stored| {
            let received = stored.statement.received_at;
            let received_on = time::OffsetDateTime::from_unix_timestamp(received)
                .map(|t| {
                    crate::domain::withdrawal::consumer_date(&order.shipping_country, t)
                })
                .unwrap_or(time::Date::MIN);
            WithdrawalDetailView {
                consumer_name: stored.statement.consumer_name.clone(),
                email: stored.statement.email.clone(),
                received_at: crate::domain::withdrawal::received_at_text(
                    received,
                    &order.shipping_country,
                ),
                statement: stored.text,
                refund_due_on: crate::domain::withdrawal::refund_due_on(received_on).to_string(),
            }
        });
    let rule_explanations = store::rules::rule_outcome(&state.db, &record.id)
        .await?
        .map(|r| r.explanations)
        .unwrap_or_default();
    Ok(ReturnDetailView {
        id: record.id.clone(),
        reference: record.reference.clone(),
        status: record.status,
        version: request.version,
        created_at_unix: record.created_at,
        order_number: order.display_number.clone(),
        email: order.email.as_str().to_owned(),
        customer_name: order.customer_name.clone(),
        country: order.shipping_country.clone(),
        placed_on: order.placed_on.to_string(),
        delivered_on: order.delivered_on.map(|d| d.to_string()),
        resolution: record.resolution,
        method: record.method,
        locale: record.locale,
        with_label: request.with_label,
        decision_note: request.decision_note.clone(),
        fee: Money::new(request.fee_minor, order.currency),
        fee_refunded: request.fee_refunded,
        items: items
            .iter()
            .map(|item| {
                let line = lines.iter().find(|l| l.id == item.order_line_id);
                let reason = shop.reasons.iter().find(|r| r.code == item.reason_code);
                DetailItemView {
                    id: item.id.clone(),
                    sku: line.map(|l| l.sku.clone()).unwrap_or_default(),
                    title: line.map(|l| l.title.clone()).unwrap_or_default(),
                    variant: line.map(|l| l.variant.clone()).unwrap_or_default(),
                    quantity: item.quantity,
                    unit_price: line.map_or(Money::zero(order.currency), |l| l.unit_price),
                    reason_code: item.reason_code.clone(),
                    reason_label: reason_label(&shop, &item.reason_code),
                    defective: reason.is_some_and(|r| r.defective),
                    comment: item.comment.clone(),
                    photo_thumb_url: item.photo_id.as_deref().map(|id| thumb_url(state, id)),
                    photo_url: item.photo_id.as_deref().map(|id| display_url(state, id)),
                    received: receipts
                        .iter()
                        .find(|r| r.item_id == item.id)
                        .map(|r| ReceiptView {
                            quantity: r.quantity,
                            condition: r.condition,
                            restock: r.restock,
                        }),
                }
            })
            .collect(),
        history: history
            .into_iter()
            .map(|h| TimelineEntryView {
                status: h.to_status,
                event: h.event,
                actor: h.actor,
                note: h.note,
                at_unix: h.at,
            })
            .collect(),
        notes: notes
            .into_iter()
            .map(|n| NoteView {
                author: n.author,
                body: n.body,
                at_unix: n.at,
            })
            .collect(),
        actions,
        quote,
        credit_note_number: credit_note.map(|n| settlement::credit_note_number(n.sequence)),
        rule_explanations,
        withdrawal,
        emails: mail::return_emails(state, &record.id).await?,
    })
}

/// Moves the request on under the version check and writes its history line.
async fn move_request(
    tx: &mut Tx<'_>,
    merchant: &Merchant,
    request: &MerchantReturn,
    expected_version: i64,
    event: ReturnEvent,
    note: &str,
    now: i64,
) -> Result<ReturnStatus, ServiceError> {
    let from = request.record.status;
    let to = from.transition(event)?;
    let change = StatusChange {
        shop_id: &merchant.shop_id,
        return_id: &request.record.id,
        expected_version,
        to,
        now,
    };
    if !store::backoffice::change_status(tx, &change).await? {
        return Err(ServiceError::Conflict);
    }
    store::returns::insert_history(
        tx,
        &new_id(),
        &request.record.id,
        (Some(from), to, Some(event)),
        &merchant.email,
        note,
        now,
    )
    .await?;
    Ok(to)
}

/// Approves or rejects a request awaiting a decision. `version` is the one the merchant
/// saw: if someone acted meanwhile, nothing changes and the answer is `Conflict`.
pub async fn decide(
    state: &AppState,
    merchant: &Merchant,
    return_id: &str,
    version: i64,
    decision: Decision,
    now: i64,
) -> Result<ReturnStatus, ServiceError> {
    let decision = decision.validated()?;
    let request = load(state, merchant, return_id).await?;
    if request.version != version {
        return Err(ServiceError::Conflict);
    }
    // Checked before writing so an illegal decision says why rather than "conflict".
    decision.apply(request.record.status)?;
    let (with_label, note) = match &decision {
        Decision::Approve { with_label, .. } => (Some(*with_label), String::new()),
        Decision::Reject { explanation } => (None, explanation.clone()),
    };
    let (shop, order) = shop_and_order(state, merchant, &request).await?;
    if with_label == Some(true) {
        super::labels::check_can_label(&shop)?;
    }
    let message = with_label.map_or(MessageKind::Rejected, MessageKind::approved);
    let mut tx = state.db.begin().await?;
    let status = move_request(
        &mut tx,
        merchant,
        &request,
        version,
        decision.event(),
        &note,
        now,
    )
    .await?;
    // A paid fee goes back through the provider (after the commit); a fee still to be kept
    // out of the refund is simply not kept.
    let refunded = match decision.refunds_fee() {
        true => super::payments::owe_refund(&mut tx, state, return_id).await?,
        false => None,
    };
    let waived = decision.refunds_fee() && request.fee_deducted && request.fee_minor > 0;
    let fee_refunded = refunded.is_some() || waived;
    let notice = Notice {
        fee_refunded: refunded,
        explanation: note.clone(),
        ..Notice::default()
    };
    store::backoffice::record_decision(&mut tx, return_id, with_label, &note, fee_refunded).await?;
    mail::queue(
        &mut tx,
        state,
        (&shop, &order, &request.record),
        message,
        notice,
        now,
    )
    .await?;
    tx.commit().await?;
    state.mailer.wake();
    if refunded.is_some() {
        super::payments::refund_owed_now(state, now).await;
    }
    tracing::info!(return.id = %return_id, status = %status, by = %merchant.user_id, "return request decided");
    Ok(status)
}

/// The same decision on several requests; each stands or fails on its own.
pub async fn bulk_decide(
    state: &AppState,
    merchant: &Merchant,
    targets: &[BulkTarget],
    decision: Decision,
    now: i64,
) -> Result<BulkOutcome, ServiceError> {
    let decision = decision.validated()?;
    let mut outcome = BulkOutcome::default();
    for target in targets.iter().take(100) {
        let reference =
            match store::backoffice::find_return(&state.db, &merchant.shop_id, &target.id).await? {
                Some(request) => request.record.reference,
                None => continue,
            };
        match decide(
            state,
            merchant,
            &target.id,
            target.version,
            decision.clone(),
            now,
        )
        .await
        {
            Ok(_) => outcome.done.push(reference),
            Err(ServiceError::Conflict) => {
                outcome.failed.push((reference, "error.conflict".into()))
            }
            Err(ServiceError::Domain(error)) => {
                outcome.failed.push((reference, error.message_key().into()))
            }
            Err(other) => return Err(other),
        }
    }
    Ok(outcome)
}

pub async fn add_note(
    state: &AppState,
    merchant: &Merchant,
    return_id: &str,
    body: &str,
    now: i64,
) -> Result<(), ServiceError> {
    let body = checked_note(body, DomainError::NoteEmpty)?;
    let request = load(state, merchant, return_id).await?;
    let note = StaffNote {
        author: merchant.email.clone(),
        body,
        at: now,
    };
    store::backoffice::insert_staff_note(&state.db, &new_id(), &request.record.id, &note).await?;
    Ok(())
}

/// Records what came back, item by item, and puts the restocked units back into stock.
pub async fn receive(
    state: &AppState,
    merchant: &Merchant,
    return_id: &str,
    version: i64,
    received: &[ReceivedItem],
    now: i64,
) -> Result<ReturnStatus, ServiceError> {
    let request = load(state, merchant, return_id).await?;
    if request.version != version {
        return Err(ServiceError::Conflict);
    }
    if !allowed_actions(&request).receive {
        return Err(DomainError::InvalidTransition {
            from: request.record.status,
            event: ReturnEvent::Receive,
        }
        .into());
    }
    let items = store::returns::return_items(&state.db, return_id).await?;
    let requested: Vec<(String, u32)> = items.iter().map(|i| (i.id.clone(), i.quantity)).collect();
    check_received(&requested, received)?;
    let (shop, order) = shop_and_order(state, merchant, &request).await?;
    let lines = store::orders::order_lines(&state.db, &order).await?;

    let mut tx = state.db.begin().await?;
    let status = move_request(
        &mut tx,
        merchant,
        &request,
        version,
        ReturnEvent::Receive,
        "",
        now,
    )
    .await?;
    for item in received {
        let receipt = ItemReceipt {
            item_id: item.item_id.clone(),
            quantity: item.quantity,
            condition: item.condition,
            restock: item.restock && item.quantity > 0,
        };
        store::backoffice::record_receipt(&mut tx, return_id, &receipt).await?;
        let sku = items
            .iter()
            .find(|i| i.id == item.item_id)
            .and_then(|i| lines.iter().find(|l| l.id == i.order_line_id))
            .map(|l| l.sku.as_str())
            .unwrap_or_default();
        if item.restocked_units() > 0 {
            let movement = StockMovement {
                id: &new_id(),
                shop_id: &merchant.shop_id,
                sku,
                quantity: i64::from(item.restocked_units()),
                return_id,
                at: now,
            };
            store::backoffice::insert_stock_movement(&mut tx, &movement).await?;
        }
    }
    mail::queue(
        &mut tx,
        state,
        (&shop, &order, &request.record),
        MessageKind::ParcelReceived,
        Notice::default(),
        now,
    )
    .await?;
    tx.commit().await?;
    state.mailer.wake();
    Ok(status)
}

/// The units this request gives back per item: what arrived, or what was requested when
/// the shopper keeps the goods.
fn returned_units(item: &ReturnItemRecord, receipts: &[ItemReceipt]) -> u32 {
    receipts
        .iter()
        .find(|r| r.item_id == item.id)
        .map_or(item.quantity, |r| r.quantity)
}

/// The refund the numbers call for, and each credited line's share of it.
async fn refund_quote(
    tx: &mut Tx<'_>,
    request: &MerchantReturn,
    lines: &[OrderLine],
    items: &[ReturnItemRecord],
    receipts: &[ItemReceipt],
) -> Result<(RefundQuote, Vec<CreditNoteLineView>), ServiceError> {
    let currency = lines
        .first()
        .map(|l| l.unit_price.currency)
        .unwrap_or(crate::domain::Currency::EUR);
    let settled =
        store::backoffice::settled_units_by_line(tx, &request.record.order_id, &request.record.id)
            .await?;
    let mut returned = Vec::new();
    let mut credited = Vec::new();
    for item in items {
        let Some(line) = lines.iter().find(|l| l.id == item.order_line_id) else {
            continue;
        };
        let returned_line = ReturnedLine {
            payment: line.payment(),
            already_settled: settled.get(&line.id).copied().unwrap_or(0),
            units: returned_units(item, receipts),
        };
        credited.push(CreditNoteLineView {
            sku: line.sku.clone(),
            title: line.title.clone(),
            variant: line.variant.clone(),
            units: returned_line.units,
            amount: returned_line
                .payment
                .paid_for_units(returned_line.already_settled, returned_line.units)?,
        });
        returned.push(returned_line);
    }
    // A fee paid up front is handled with its payment (refunded or not); one the shopper
    // chose to leave to the refund is kept here, unless the merchant waived it.
    let fee_kept = match request.fee_deducted && !request.fee_refunded {
        true => Money::new(request.fee_minor, currency),
        false => Money::zero(currency),
    };
    Ok((quote_refund(currency, &returned, fee_kept)?, credited))
}

/// A reason's label in the back-office's language. A withdrawal's items carry no reason, and
/// say so; a reason the shop has since deleted shows its code.
fn reason_label(shop: &Shop, code: &str) -> String {
    if code == super::withdrawal::WITHDRAWAL_REASON {
        return "Legal withdrawal (no reason needed)".to_owned();
    }
    shop.reasons
        .iter()
        .find(|r| r.code == code)
        .map_or_else(|| code.to_owned(), |r| r.label.en.clone())
}

/// Settles the request and issues its credit note, numbered without gaps per shop.
pub async fn settle(
    state: &AppState,
    merchant: &Merchant,
    return_id: &str,
    version: i64,
    settlement: &Settlement,
    now: i64,
) -> Result<String, ServiceError> {
    let request = load(state, merchant, return_id).await?;
    if request.version != version {
        return Err(ServiceError::Conflict);
    }
    if !allowed_actions(&request).settle {
        return Err(DomainError::InvalidTransition {
            from: request.record.status,
            event: ReturnEvent::Settle,
        }
        .into());
    }
    let (shop, order) = shop_and_order(state, merchant, &request).await?;
    let lines = store::orders::order_lines(&state.db, &order).await?;
    let items = store::returns::return_items(&state.db, return_id).await?;
    let receipts = store::backoffice::receipts(&state.db, return_id).await?;

    let mut tx = state.db.begin().await?;
    // The version check comes first: it also makes a second settle wait, then fail.
    let status = move_request(
        &mut tx,
        merchant,
        &request,
        version,
        ReturnEvent::Settle,
        "",
        now,
    )
    .await?;
    let (quote, credited) = refund_quote(&mut tx, &request, &lines, &items, &receipts).await?;
    let (amount, memo) = settlement.credit(&quote)?;
    let sequence = store::backoffice::next_credit_note_sequence(&mut tx, &merchant.shop_id).await?;
    let note = CreditNoteRecord {
        id: new_id(),
        shop_id: merchant.shop_id.clone(),
        return_id: return_id.to_owned(),
        sequence,
        kind: settlement.kind(),
        amount_minor: amount.minor,
        goods_minor: quote.goods.minor,
        fee_kept_minor: quote.fee_kept.minor,
        currency: order.currency.code().to_owned(),
        memo,
        lines_json: serde_json::to_string(&credited).map_err(|_| ServiceError::NotFound)?,
        issued_by: merchant.email.clone(),
        issued_at: now,
    };
    store::backoffice::insert_credit_note(&mut tx, &note).await?;
    let notice = Notice {
        settlement: Some((settlement.kind(), amount)),
        credit_note: settlement::credit_note_number(sequence),
        ..Notice::default()
    };
    mail::queue(
        &mut tx,
        state,
        (&shop, &order, &request.record),
        MessageKind::Settled,
        notice,
        now,
    )
    .await?;
    tx.commit().await?;
    state.mailer.wake();
    tracing::info!(return.id = %return_id, status = %status, credit_note = sequence, "return settled");
    Ok(settlement::credit_note_number(sequence))
}

pub async fn credit_note(
    state: &AppState,
    merchant: &Merchant,
    return_id: &str,
) -> Result<CreditNoteView, ServiceError> {
    let request = load(state, merchant, return_id).await?;
    let note = store::backoffice::credit_note_for_return(&state.db, &merchant.shop_id, return_id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let shop = store::shops::find_shop_by_id(&state.db, &merchant.shop_id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let order = store::orders::find_order(&state.db, &shop.id, &request.record.order_id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let currency = order.currency;
    Ok(CreditNoteView {
        number: settlement::credit_note_number(note.sequence),
        shop_name: shop.name,
        return_id: return_id.to_owned(),
        reference: request.record.reference,
        order_number: order.display_number,
        customer_name: order.customer_name,
        email: order.email.as_str().to_owned(),
        kind: note.kind,
        // Written by `settle` from the same types; unreadable only if the row was edited by hand.
        lines: serde_json::from_str(&note.lines_json).unwrap_or_default(),
        goods: Money::new(note.goods_minor, currency),
        fee_kept: Money::new(note.fee_kept_minor, currency),
        amount: Money::new(note.amount_minor, currency),
        memo: note.memo,
        issued_by: note.issued_by,
        issued_at_unix: note.issued_at,
    })
}
