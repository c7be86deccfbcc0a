//! Return fees paid through a payment provider. Two providers sit behind one enum: the
//! built-in test provider (a clearly labelled checkout page inside the app, for the demo and
//! the tests) and Stripe Checkout. The provider is asked three things — open a checkout,
//! tell whether it was paid, refund it — and every call carries an idempotency key made
//! from our payment id, so a retried call never charges or refunds twice.

pub mod stripe;

use crate::domain::{Locale, Money};

/// What the shopper pays for; everything a provider needs to open a checkout.
#[derive(Debug, Clone)]
pub struct CheckoutRequest<'a> {
    /// Our payment id: the idempotency key and the provider's reference back to us.
    pub payment_id: &'a str,
    pub return_id: &'a str,
    /// The return reference the shopper knows, e.g. `R-7K3M-9QXT`.
    pub reference: &'a str,
    pub amount: Money,
    pub customer_email: &'a str,
    /// One line for the provider's page, e.g. "Return fee — R-7K3M-9QXT".
    pub description: &'a str,
    /// Where the provider sends the shopper after paying / after giving up.
    pub success_url: &'a str,
    pub cancel_url: &'a str,
    pub locale: Locale,
}

/// An open checkout: the provider's id for it and the page to send the shopper to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checkout {
    pub session_id: String,
    pub url: String,
}

/// What the provider says about a checkout.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CheckoutState {
    /// Not paid (yet).
    Open,
    /// Paid; `payment_ref` is what a refund needs (Stripe: the PaymentIntent id).
    Paid { payment_ref: String },
    /// The provider closed it without a payment.
    Expired,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefundRequest<'a> {
    pub payment_id: &'a str,
    pub payment_ref: &'a str,
    pub amount: Money,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PaymentError {
    /// The provider could not be reached or answered 5xx/429: worth retrying later.
    #[error("payment provider unavailable: {0}")]
    Unavailable(String),
    /// The provider refused the call (4xx): retrying the same call will not help.
    #[error("payment provider refused: {0}")]
    Refused(String),
}

use super::{new_id, submit, AppState, ServiceError};
use crate::{
    domain::{
        fee::{PaymentEvent, PaymentStatus},
        shop::Shop,
        Order, ReturnEvent, ReturnStatus,
    },
    store::{
        self,
        payments::{PaymentChange, PaymentRecord},
        returns::ReturnRecord,
    },
};

/// Signs the test checkout page's link, like the status page's.
pub const TEST_CHECKOUT_PURPOSE: &str = "test-checkout";

/// Who collects fees. `Unconfigured`: no provider, so a shop that charges a fee cannot
/// take requests that owe one (the shopper is told, nothing is saved).
pub enum PaymentGateway {
    Unconfigured,
    /// The built-in test checkout: no money moves. On by default only in the demo.
    Test,
    Stripe(stripe::StripeGateway),
}

impl PaymentGateway {
    pub fn provider(&self) -> &'static str {
        match self {
            Self::Unconfigured => "none",
            Self::Test => "test",
            Self::Stripe(_) => "stripe",
        }
    }

    async fn refund(&self, request: &RefundRequest<'_>) -> Result<String, PaymentError> {
        match self {
            Self::Unconfigured => Err(PaymentError::Unavailable("no payment provider".into())),
            Self::Test => Ok(format!("test_refund_{}", request.payment_id)),
            Self::Stripe(stripe) => stripe.refund(request).await,
        }
    }
}

/// A new payment for a request that owes `amount`, written with the request.
pub fn new_payment(
    state: &AppState,
    record: &ReturnRecord,
    amount: Money,
    now: i64,
) -> PaymentRecord {
    PaymentRecord {
        id: new_id(),
        shop_id: record.shop_id.clone(),
        return_id: record.id.clone(),
        provider: state.payments.provider().to_owned(),
        amount,
        status: PaymentStatus::Pending,
        session_id: String::new(),
        checkout_url: String::new(),
        payment_ref: String::new(),
        refund_ref: String::new(),
        last_error: String::new(),
        created_at: now,
        paid_at: None,
        refunded_at: None,
    }
}

/// The page where the shopper pays the fee of `record`. Two tabs get the same checkout.
/// When the provider cannot be reached the request stays awaiting payment and the status
/// page offers to try again.
pub async fn open_checkout(
    state: &AppState,
    shop: &Shop,
    order: &Order,
    record: &ReturnRecord,
) -> Result<String, ServiceError> {
    let payment = store::payments::payment_for_return(&state.db, &record.id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    if payment.status != PaymentStatus::Pending || record.status != ReturnStatus::AwaitingPayment {
        return Err(ServiceError::Invalid("error.payment_not_due"));
    }
    if !payment.checkout_url.is_empty() {
        return Ok(payment.checkout_url);
    }
    let base = state.public_url.trim_end_matches('/');
    let checkout = match &*state.payments {
        PaymentGateway::Unconfigured => return Err(ServiceError::PaymentUnavailable),
        PaymentGateway::Test => Checkout {
            session_id: payment.id.clone(),
            url: test_checkout_path(state, &shop.slug, &payment.id),
        },
        PaymentGateway::Stripe(stripe) => {
            let status_url = format!("{base}{}", submit::status_path(state, &shop.slug, record));
            let description = format!("{} — {}", shop.name, record.reference);
            let request = CheckoutRequest {
                payment_id: &payment.id,
                return_id: &record.id,
                reference: &record.reference,
                amount: payment.amount,
                customer_email: order.email.as_str(),
                description: &description,
                success_url: &status_url,
                cancel_url: &status_url,
                locale: record.locale,
            };
            match stripe.create_checkout(&request).await {
                Ok(checkout) => checkout,
                Err(error) => {
                    tracing::warn!(payment.id = %payment.id, %error, "checkout could not be opened");
                    store::payments::set_error(&state.db, &payment.id, &error.to_string()).await?;
                    return Err(ServiceError::PaymentUnavailable);
                }
            }
        }
    };
    store::payments::set_checkout(&state.db, &payment.id, &checkout.session_id, &checkout.url)
        .await?;
    // Another tab may have stored its checkout first: everyone uses the stored one.
    let stored = store::payments::find_payment(&state.db, &payment.id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    Ok(stored.checkout_url)
}

pub fn test_checkout_path(state: &AppState, shop_slug: &str, payment_id: &str) -> String {
    format!(
        "/{shop_slug}/pay/test/{payment_id}?k={}",
        state.keys.link_key(TEST_CHECKOUT_PURPOSE, payment_id)
    )
}

/// The provider says the fee of `payment_id` was paid: a webhook, the shopper's return from
/// the checkout, or the test page. Charged once and recorded once however often it is
/// told; `false` when this call changed nothing.
pub async fn record_paid(
    state: &AppState,
    payment_id: &str,
    payment_ref: &str,
    now: i64,
) -> Result<bool, ServiceError> {
    let payment = store::payments::find_payment(&state.db, payment_id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let Some(next) = payment.status.after(PaymentEvent::Paid) else {
        return Ok(false);
    };
    let shop = store::shops::find_shop_by_id(&state.db, &payment.shop_id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let request = store::backoffice::find_return(&state.db, &shop.id, &payment.return_id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let order = store::orders::find_order(&state.db, &shop.id, &request.record.order_id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let mut tx = state.db.begin().await?;
    let change = PaymentChange {
        payment_ref,
        paid_at: Some(now),
        ..PaymentChange::plain(payment.status, next)
    };
    if !store::payments::change_payment(&mut tx, &payment.id, change).await? {
        return Ok(false);
    }
    if next == PaymentStatus::Paid {
        let record = &request.record;
        let status = record.status.transition(ReturnEvent::FeePaid)?;
        if !store::returns::update_status(&mut tx, &record.id, record.status, status, now).await? {
            return Err(ServiceError::Conflict);
        }
        let note = format!(
            "Return fee paid: {}",
            payment.amount.format(crate::domain::Locale::En)
        );
        store::returns::insert_history(
            &mut tx,
            &new_id(),
            &record.id,
            (Some(record.status), status, Some(ReturnEvent::FeePaid)),
            "shopper",
            &note,
            now,
        )
        .await?;
        let record = ReturnRecord {
            status,
            ..record.clone()
        };
        let rules = store::rules::rule_outcome(&state.db, &record.id).await?;
        let (outcome, explanations) = rules
            .map(|r| (Some(r.outcome), r.explanations))
            .unwrap_or_default();
        submit::on_requested(
            &mut tx,
            state,
            (&shop, &order, &record),
            outcome.as_ref(),
            &explanations,
            now,
        )
        .await?;
    } else {
        // Paid after the request expired or was cancelled: the money goes straight back.
        let paid = payment.amount.format(crate::domain::Locale::En);
        let note = format!("Return fee paid after the request closed ({paid}); it is refunded");
        store::returns::insert_note(
            &mut tx,
            &new_id(),
            &request.record,
            "fee_paid_late",
            &note,
            now,
        )
        .await?;
    }
    tx.commit().await?;
    state.mailer.wake();
    tracing::info!(payment.id = %payment.id, return.id = %payment.return_id, "return fee paid");
    if next == PaymentStatus::RefundDue {
        refund_owed_now(state, now).await;
    }
    Ok(true)
}

/// Asks the provider whether a checkout the shopper came back from was paid (the webhook
/// may be late or lost). Only Stripe checkouts are asked; the test page records directly.
pub async fn check_checkout(
    state: &AppState,
    return_id: &str,
    now: i64,
) -> Result<(), ServiceError> {
    let PaymentGateway::Stripe(stripe) = &*state.payments else {
        return Ok(());
    };
    let Some(payment) = store::payments::payment_for_return(&state.db, return_id).await? else {
        return Ok(());
    };
    if payment.status != PaymentStatus::Pending
        || payment.session_id.is_empty()
        || payment.provider != "stripe"
    {
        return Ok(());
    }
    match stripe.checkout_state(&payment.session_id).await {
        Ok(CheckoutState::Paid { payment_ref }) => {
            record_paid(state, &payment.id, &payment_ref, now).await?;
        }
        Ok(_) => {}
        Err(error) => tracing::warn!(payment.id = %payment.id, %error, "checkout state unknown"),
    }
    Ok(())
}

/// Marks a held fee for refund, in the transaction of the decision that gives it back.
/// Returns what will be refunded; `None` when nothing was paid (or it is already owed).
pub async fn owe_refund(
    tx: &mut store::Tx<'_>,
    state: &AppState,
    return_id: &str,
) -> Result<Option<Money>, ServiceError> {
    let Some(payment) = store::payments::payment_for_return(&state.db, return_id).await? else {
        return Ok(None);
    };
    let Some(next) = payment.status.after(PaymentEvent::Refund) else {
        return Ok(None);
    };
    let change = PaymentChange::plain(payment.status, next);
    Ok(store::payments::change_payment(tx, &payment.id, change)
        .await?
        .then_some(payment.amount))
}

/// An unpaid checkout is abandoned with its request (cancelled or expired): a payment that
/// still arrives later is refunded.
pub async fn abandon(
    tx: &mut store::Tx<'_>,
    state: &AppState,
    return_id: &str,
) -> Result<(), ServiceError> {
    if let Some(payment) = store::payments::payment_for_return(&state.db, return_id).await? {
        if let Some(next) = payment.status.after(PaymentEvent::Expire) {
            let change = PaymentChange::plain(payment.status, next);
            store::payments::change_payment(tx, &payment.id, change).await?;
        }
    }
    Ok(())
}

/// Sends every owed refund to the provider. One that fails stays owed and is tried again by
/// the next call (the worker's tick); the provider's idempotency key keeps a retry from
/// refunding twice. Each refund is written on the request's timeline.
pub async fn refund_due_payments(state: &AppState, now: i64) -> Result<usize, ServiceError> {
    let mut refunded = 0;
    for payment in store::payments::refunds_due(&state.db).await? {
        let request = RefundRequest {
            payment_id: &payment.id,
            payment_ref: &payment.payment_ref,
            amount: payment.amount,
        };
        let refund_ref = match state.payments.refund(&request).await {
            Ok(refund_ref) => refund_ref,
            Err(error) => {
                tracing::warn!(payment.id = %payment.id, %error, "refund failed; retried later");
                store::payments::set_error(&state.db, &payment.id, &error.to_string()).await?;
                continue;
            }
        };
        let Some(request) =
            store::backoffice::find_return(&state.db, &payment.shop_id, &payment.return_id).await?
        else {
            continue;
        };
        let mut tx = state.db.begin().await?;
        let change = PaymentChange {
            refund_ref: &refund_ref,
            refunded_at: Some(now),
            ..PaymentChange::plain(PaymentStatus::RefundDue, PaymentStatus::Refunded)
        };
        if store::payments::change_payment(&mut tx, &payment.id, change).await? {
            let note = format!(
                "Return fee refunded: {}",
                payment.amount.format(crate::domain::Locale::En)
            );
            store::returns::insert_note(
                &mut tx,
                &new_id(),
                &request.record,
                "fee_refunded",
                &note,
                now,
            )
            .await?;
            refunded += 1;
        }
        tx.commit().await?;
    }
    Ok(refunded)
}

/// Right after a commit that owes a refund: tried at once so the shopper sees it; one the
/// provider does not take now stays owed, and the payments worker retries it.
pub async fn refund_owed_now(state: &AppState, now: i64) {
    if let Err(error) = refund_due_payments(state, now).await {
        tracing::warn!(%error, "fee refund left to the worker");
    }
}

/// Requests whose fee was not paid within `state.payment_expiry_secs` expire; their units
/// can be returned again.
pub async fn expire_unpaid(state: &AppState, now: i64) -> Result<usize, ServiceError> {
    let mut expired = 0;
    for payment in
        store::payments::unpaid_before(&state.db, now - state.payment_expiry_secs).await?
    {
        let Some(request) =
            store::backoffice::find_return(&state.db, &payment.shop_id, &payment.return_id).await?
        else {
            continue;
        };
        let record = &request.record;
        let Ok(status) = record.status.transition(ReturnEvent::PaymentExpired) else {
            continue;
        };
        let mut tx = state.db.begin().await?;
        if store::returns::update_status(&mut tx, &record.id, record.status, status, now).await? {
            store::returns::insert_history(
                &mut tx,
                &new_id(),
                &record.id,
                (
                    Some(record.status),
                    status,
                    Some(ReturnEvent::PaymentExpired),
                ),
                "payment",
                "",
                now,
            )
            .await?;
            abandon(&mut tx, state, &record.id).await?;
            expired += 1;
        }
        tx.commit().await?;
    }
    Ok(expired)
}

/// The payments worker: expires unpaid requests and retries owed refunds, once a minute.
pub async fn run_worker(state: AppState) {
    loop {
        let now = super::now_unix();
        if let Err(error) = expire_unpaid(&state, now).await {
            tracing::error!(%error, "expiring unpaid requests");
        }
        if let Err(error) = refund_due_payments(&state, now).await {
            tracing::error!(%error, "refunding fees");
        }
        tokio::time::sleep(std::time::Duration::from_secs(60)).await;
    }
}

/// A webhook from Stripe: verified, recorded once, and acted on when it reports a paid
/// checkout. `Ok(())` for events that need nothing from us, so Stripe stops resending.
pub async fn stripe_webhook(
    state: &AppState,
    signature: &str,
    body: &[u8],
    now: i64,
) -> Result<(), ServiceError> {
    let PaymentGateway::Stripe(stripe) = &*state.payments else {
        return Err(ServiceError::NotFound);
    };
    let event = stripe
        .verify_webhook(signature, body, now)
        .map_err(|error| {
            tracing::warn!(%error, "stripe webhook refused");
            ServiceError::Unauthorized
        })?;
    if store::payments::event_seen(&state.db, "stripe", &event.id).await? {
        return Ok(());
    }
    // Acted on first and remembered after: an event that failed half-way is taken again
    // when Stripe resends it, and `record_paid` changes nothing the second time.
    if let Some(completed) = event.completed.filter(|c| c.paid) {
        if let Some(payment) =
            store::payments::payment_for_session(&state.db, "stripe", &completed.session_id).await?
        {
            record_paid(
                state,
                &payment.id,
                completed.payment_ref.as_deref().unwrap_or(""),
                now,
            )
            .await?;
        }
    }
    store::payments::record_event(&state.db, "stripe", &event.id, now).await?;
    Ok(())
}

/// The built-in test checkout of one payment, behind its signed link.
async fn open_test_checkout(
    state: &AppState,
    slug: &str,
    payment_id: &str,
    key: &str,
) -> Result<(Shop, PaymentRecord, ReturnRecord), ServiceError> {
    if !state
        .keys
        .verify_link_key(TEST_CHECKOUT_PURPOSE, payment_id, key)
    {
        return Err(ServiceError::NotFound);
    }
    let shop = store::shops::find_shop_by_slug(&state.db, slug)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let payment = store::payments::find_payment(&state.db, payment_id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    if payment.shop_id != shop.id || payment.provider != "test" {
        return Err(ServiceError::NotFound);
    }
    let request = store::backoffice::find_return(&state.db, &shop.id, &payment.return_id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    Ok((shop, payment, request.record))
}

pub async fn test_checkout(
    state: &AppState,
    slug: &str,
    payment_id: &str,
    key: &str,
) -> Result<crate::dto::TestCheckoutView, ServiceError> {
    let (shop, payment, record) = open_test_checkout(state, slug, payment_id, key).await?;
    Ok(crate::dto::TestCheckoutView {
        shop_name: shop.name.clone(),
        reference: record.reference.clone(),
        amount: payment.amount,
        open: payment.status == PaymentStatus::Pending,
        status_path: submit::status_path(state, &shop.slug, &record),
    })
}

/// The shopper pays (or declines) on the test page; returns where to go next: the status page.
pub async fn complete_test_checkout(
    state: &AppState,
    slug: &str,
    payment_id: &str,
    key: &str,
    pay: bool,
    now: i64,
) -> Result<String, ServiceError> {
    let (shop, payment, record) = open_test_checkout(state, slug, payment_id, key).await?;
    let status_path = submit::status_path(state, &shop.slug, &record);
    if !pay {
        return Ok(format!("{status_path}&declined=1"));
    }
    record_paid(state, &payment.id, &format!("test_pi_{}", payment.id), now).await?;
    Ok(status_path)
}
