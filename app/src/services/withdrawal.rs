//! The online withdrawal function: find the order, state the withdrawal, get the
//! acknowledgement. The statement becomes a return request of kind `withdrawal`, in the same
//! transaction as its immutable record and its acknowledgement email, so a crash after
//! "received" loses nothing and a double click records one statement.
//!
//! Nothing the shop configures for commercial returns applies here: returns may be switched
//! off, the return window closed, a line marked final sale, a fee or a rule in place; the
//! consumer can still withdraw during the legal period.

use time::OffsetDateTime;

use super::{
    mail::{self, Notice},
    new_id,
    submit::{status_path, STATUS_LINK_PURPOSE},
    AppState, ServiceError,
};
use crate::{
    domain::{
        message::MessageKind,
        rules::RequestKind,
        shop::Shop,
        withdrawal::{
            consumer_name, line_withdrawal, received_at_text, statement_text, withdrawn_units,
            LineWithdrawal, Selection, Statement, StatementLine, WithdrawalError, WithdrawalLine,
        },
        EmailAddress, Locale, Order, OrderLine, Resolution, ReturnMethod,
        ReturnReference, ReturnStatus,
    },
    dto::{WithdrawalInput, WithdrawalLineView, WithdrawalOrderView, WithdrawalReceipt},
    store::{
        self,
        returns::{NewReturn, ReturnItemRecord, ReturnRecord},
        withdrawals::StatementRecord,
    },
};

/// The reason code the items of a withdrawal carry: the consumer gives none.
pub const WITHDRAWAL_REASON: &str = "withdrawal";

/// The shop, if it offers the withdrawal function. Returns being switched off does not matter.
async fn offering_shop(state: &AppState, slug: &str) -> Result<Shop, ServiceError> {
    let shop = store::shops::find_shop_by_slug(&state.db, slug)
        .await?
        .ok_or(ServiceError::NotFound)?;
    if !shop.withdrawal.offered {
        return Err(WithdrawalError::NotOffered.into());
    }
    Ok(shop)
}

/// Each line of the order with what can still be withdrawn from it.
async fn line_states<'e, E>(
    executor: E,
    order: &Order,
    lines: &[OrderLine],
) -> Result<Vec<(String, LineWithdrawal)>, ServiceError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    let requested = store::orders::requested_quantities(executor, &order.id).await?;
    Ok(lines
        .iter()
        .map(|line| {
            let state = line_withdrawal(WithdrawalLine {
                quantity: line.quantity,
                already_requested: requested.get(&line.id).copied().unwrap_or(0),
                exclusion: line.withdrawal_exclusion,
            });
            (line.id.clone(), state)
        })
        .collect())
}

/// Finds an order by number and email, with the same attempt limit and the same answer for
/// every kind of miss as the return wizard.
pub async fn find_order(
    state: &AppState,
    slug: &str,
    raw_number: &str,
    raw_email: &str,
    client: &str,
    now: OffsetDateTime,
) -> Result<WithdrawalOrderView, ServiceError> {
    let shop = offering_shop(state, slug).await?;
    let now_unix = now.unix_timestamp();
    let order =
        super::lookup::locate_order(state, &shop, (raw_number, raw_email), client, now_unix).await?;
    let lines = store::orders::order_lines(&state.db, &order).await?;
    let states = line_states(&state.db, &order, &lines).await?;
    let period = shop.withdrawal.period();
    Ok(WithdrawalOrderView {
        token: super::lookup::order_token(state, &shop, &order, now_unix),
        display_number: order.display_number.clone(),
        customer_name: order.customer_name.clone(),
        placed_on: order.placed_on,
        delivered_on: order.delivered_on,
        last_day: period.last_day(order.delivered_on),
        period_open: period.is_open(order.delivered_on, &order.shipping_country, now),
        lines: lines
            .into_iter()
            .zip(states)
            .map(|(line, (_, state))| WithdrawalLineView {
                id: line.id,
                sku: line.sku,
                title: line.title,
                variant: line.variant,
                quantity: line.quantity,
                image_url: line.image_url,
                state,
            })
            .collect(),
    })
}

/// Records the statement and queues its acknowledgement, once per idempotency key.
pub async fn withdraw(
    state: &AppState,
    token: &str,
    idempotency_key: &str,
    input: WithdrawalInput,
    locale: Locale,
    now: OffsetDateTime,
) -> Result<WithdrawalReceipt, ServiceError> {
    let now_unix = now.unix_timestamp();
    // Returns being switched off does not matter here: open_token, not open_grant.
    let (shop, order) = super::lookup::open_token(state, token, now_unix).await?;
    if !shop.withdrawal.offered {
        return Err(WithdrawalError::NotOffered.into());
    }
    if !super::submit::is_valid_idempotency_key(idempotency_key) {
        return Err(ServiceError::NotFound);
    }
    let name = consumer_name(&input.name)?;
    let email = if input.email.trim().is_empty() {
        order.email.clone()
    } else {
        EmailAddress::parse(&input.email)?
    };
    if let Selection::Lines(picked) = &input.selection {
        if picked.len() > 200 {
            return Err(WithdrawalError::UnknownLine.into());
        }
    }
    let lines = store::orders::order_lines(&state.db, &order).await?;

    let mut tx = state.db.begin().await?;
    if !store::orders::lock_order_for_returns(&mut tx, &order.id).await? {
        return Err(ServiceError::SessionExpired);
    }
    if let Some(existing) =
        store::returns::find_by_idempotency_key(&mut tx, &order.id, idempotency_key).await?
    {
        tx.commit().await?;
        return receipt(state, &shop, &order, &existing).await;
    }
    // The statement's time is when it is received, checked against the period as such.
    if !shop
        .withdrawal
        .period()
        .is_open(order.delivered_on, &order.shipping_country, now)
    {
        return Err(WithdrawalError::PeriodOver.into());
    }
    let states = line_states(&mut *tx, &order, &lines).await?;
    let units = withdrawn_units(&input.selection, &states)?;

    let record = ReturnRecord {
        id: new_id(),
        shop_id: shop.id.clone(),
        order_id: order.id.clone(),
        reference: ReturnReference::from_random(rand::random()).to_string(),
        status: ReturnStatus::Requested,
        // The law's remedy is a refund; the goods come back by post.
        resolution: Resolution::Refund,
        method: ReturnMethod::Mail,
        locale,
        created_at: now_unix,
    };
    let items: Vec<ReturnItemRecord> = units
        .iter()
        .map(|(line_id, quantity)| ReturnItemRecord {
            id: new_id(),
            order_line_id: line_id.clone(),
            quantity: *quantity,
            reason_code: WITHDRAWAL_REASON.to_owned(),
            comment: String::new(),
            photo_id: None,
        })
        .collect();
    let statement = Statement {
        shop_name: shop.name.clone(),
        consumer_name: name,
        email: email.as_str().to_owned(),
        order_number: order.display_number.clone(),
        ordered_on: order.placed_on,
        delivered_on: order.delivered_on,
        lines: units
            .iter()
            .filter_map(|(line_id, units)| {
                let line = lines.iter().find(|l| &l.id == line_id)?;
                Some(StatementLine {
                    title: line.title.clone(),
                    variant: line.variant.clone(),
                    sku: line.sku.clone(),
                    units: *units,
                })
            })
            .collect(),
        whole_order: input.selection == Selection::WholeOrder,
        received_at: now_unix,
    };
    let received = received_at_text(now_unix, &order.shipping_country);
    let text = statement_text(&statement, &received, locale);
    store::returns::insert_return(
        &mut tx,
        NewReturn {
            record: &record,
            kind: RequestKind::Withdrawal,
            idempotency_key,
            items: &items,
        },
    )
    .await?;
    store::returns::insert_history(
        &mut tx,
        &new_id(),
        &record.id,
        (None, record.status, None),
        "shopper",
        "Withdrawal statement received",
        now_unix,
    )
    .await?;
    store::withdrawals::insert_statement(
        &mut tx,
        &StatementRecord {
            return_id: record.id.clone(),
            shop_id: shop.id.clone(),
            statement: statement.clone(),
            text: text.clone(),
        },
    )
    .await?;
    mail::queue_to(
        &mut tx,
        state,
        (&shop, &order, &record),
        MessageKind::WithdrawalReceived,
        Notice {
            statement: text,
            received_at: received,
            ..Notice::default()
        },
        email.as_str(),
        now_unix,
    )
    .await?;
    tx.commit().await?;
    state.mailer.wake();
    tracing::info!(return.id = %record.id, shop.id = %shop.id, items = items.len(), "withdrawal statement received");
    receipt(state, &shop, &order, &record).await
}

async fn receipt(
    state: &AppState,
    shop: &Shop,
    order: &Order,
    record: &ReturnRecord,
) -> Result<WithdrawalReceipt, ServiceError> {
    let stored = store::withdrawals::find_statement(&state.db, &shop.id, &record.id)
        .await?
        // The key was used for a commercial return of this order: not a withdrawal.
        .ok_or(ServiceError::NotFound)?;
    Ok(WithdrawalReceipt {
        reference: record.reference.clone(),
        received_at: received_at_text(stored.statement.received_at, &order.shipping_country),
        statement: stored.text,
        email: stored.statement.email,
        status_path: status_path(state, &shop.slug, record),
        receipt_path: receipt_path(state, &shop.slug, record),
    })
}

pub fn receipt_path(state: &AppState, shop_slug: &str, record: &ReturnRecord) -> String {
    format!(
        "/{shop_slug}/withdrawal/{}/receipt.txt?k={}",
        record.reference,
        state.keys.link_key(STATUS_LINK_PURPOSE, &record.id)
    )
}

/// The plain-text receipt a consumer downloads: the statement as received, with its time.
/// Opened with the status page's signed key.
pub async fn receipt_text(
    state: &AppState,
    slug: &str,
    reference: &str,
    key: &str,
) -> Result<(String, String), ServiceError> {
    let (shop, record) = super::status::open_link(state, slug, reference, key).await?;
    let stored = store::withdrawals::find_statement(&state.db, &shop.id, &record.id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let order = store::orders::find_order(&state.db, &shop.id, &record.order_id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let received = received_at_text(stored.statement.received_at, &order.shipping_country);
    let heading = match record.locale {
        Locale::En => "Acknowledgement of receipt of a withdrawal",
        Locale::Fr => "Accusé de réception d'une rétractation",
        Locale::Nl => "Ontvangstbevestiging van een herroeping",
        Locale::De => "Eingangsbestätigung eines Widerrufs",
    };
    let text = format!(
        "{heading}\n{reference}\n\n{statement}\n{received}\n",
        reference = record.reference,
        statement = stored.text,
    );
    Ok((format!("withdrawal-{}.txt", record.reference), text))
}
