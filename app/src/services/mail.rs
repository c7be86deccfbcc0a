//! Emails to shoppers. A message is composed and queued in the transaction of the change it
//! reports (`queue`); a background worker sends what is due (`deliver_due`), retrying with
//! backoff, through SMTP when configured or as `.eml` files in a directory otherwise.
//!
//! Delivery is at least once: a worker stopped between the SMTP server's "250 OK" and
//! marking the message sent sends it again after its lease. Each message carries its
//! outbox id as `Message-ID`, so a receiving system can drop the duplicate.

use lettre::{
    message::{header::ContentType, Attachment, Mailbox, MultiPart, SinglePart},
    AsyncSmtpTransport, AsyncTransport, Tokio1Executor,
};
use std::{path::PathBuf, time::Duration};
use tokio::sync::Notify;

use super::{new_id, now_unix, submit::status_path, AppState, ServiceError};
use crate::{
    backoffice::dto::{EmailView, EmailsPage},
    domain::{
        message::{self, compose, DeliveryStatus, MessageFacts, MessageKind, MAX_ATTEMPTS},
        settlement::SettlementKind,
        shop::Shop,
        Merchant, Money, Order,
    },
    store::{self, outbox::OutboxMessage, returns::ReturnRecord, Tx},
};

/// How long a worker owns a message it took; after that another may try it.
const LEASE_SECS: i64 = 300;

/// The sender when none is configured (`RETOUR_MAIL_FROM`); the shop's name is shown with it.
pub const DEFAULT_FROM: &str = "returns@localhost";

pub enum Transport {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    /// Each message becomes `<dir>/<id>.eml`: the embedded default, so the demo shows its
    /// emails without a mail server.
    Directory(PathBuf),
}

pub struct Mailer {
    transport: Transport,
    /// The sender address; the display name is the shop's.
    from_address: lettre::Address,
    retry_base_secs: i64,
    wakeup: Notify,
}

impl Mailer {
    pub fn directory(dir: impl Into<PathBuf>, from: &str) -> Result<Mailer, String> {
        Mailer::new(Transport::Directory(dir.into()), from)
    }

    /// `smtp://user:pass@host:587?tls=required`, `smtps://host:465`, or `smtp://localhost:25`
    /// (no encryption: for a relay on the same machine only).
    pub fn smtp(url: &str, from: &str) -> Result<Mailer, String> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|e| format!("RETOUR_SMTP_URL: {e}"))?
            .build();
        Mailer::new(Transport::Smtp(transport), from)
    }

    fn new(transport: Transport, from: &str) -> Result<Mailer, String> {
        let from_address = from
            .parse::<Mailbox>()
            .map_err(|e| format!("RETOUR_MAIL_FROM {from:?}: {e}"))?
            .email;
        Ok(Mailer {
            transport,
            from_address,
            retry_base_secs: 30,
            wakeup: Notify::new(),
        })
    }

    /// The first retry waits this long, each next one twice as long (tests shorten it).
    pub fn with_retry_base(mut self, secs: i64) -> Mailer {
        self.retry_base_secs = secs.max(1);
        self
    }

    pub fn describe(&self) -> String {
        match &self.transport {
            Transport::Smtp(_) => "SMTP".to_owned(),
            Transport::Directory(dir) => format!(".eml files in {}", dir.display()),
        }
    }

    /// Tells the worker a message is waiting; call after the transaction committed.
    pub fn wake(&self) {
        self.wakeup.notify_one();
    }

    async fn send(&self, id: &str, email: lettre::Message) -> Result<(), String> {
        match &self.transport {
            Transport::Smtp(smtp) => smtp.send(email).await.map(drop).map_err(|e| e.to_string()),
            Transport::Directory(dir) => {
                tokio::fs::create_dir_all(dir)
                    .await
                    .map_err(|e| e.to_string())?;
                // Written whole, then renamed: a reader never sees half a message.
                let partial = dir.join(format!(".{id}.eml.partial"));
                tokio::fs::write(&partial, email.formatted())
                    .await
                    .map_err(|e| e.to_string())?;
                tokio::fs::rename(&partial, dir.join(format!("{id}.eml")))
                    .await
                    .map_err(|e| e.to_string())
            }
        }
    }
}

/// What a message says beyond the return itself.
#[derive(Debug, Clone, Default)]
pub struct Notice {
    pub explanation: String,
    pub fee_refunded: Option<Money>,
    pub settlement: Option<(SettlementKind, Money)>,
    pub credit_note: String,
    /// A withdrawal's statement and when it was received, as the acknowledgement shows them.
    pub statement: String,
    pub received_at: String,
}

/// The facts a message about `record` can use, with the status link made absolute.
pub fn facts(
    state: &AppState,
    shop: &Shop,
    order: &Order,
    record: &ReturnRecord,
    notice: Notice,
) -> MessageFacts {
    MessageFacts {
        customer_name: order.customer_name.clone(),
        email: order.email.as_str().to_owned(),
        shop_name: shop.name.clone(),
        reference: record.reference.clone(),
        order_number: order.display_number.clone(),
        status_link: format!(
            "{}{}",
            state.public_url.trim_end_matches('/'),
            status_path(state, &shop.slug, record)
        ),
        explanation: notice.explanation,
        fee_refunded: notice.fee_refunded,
        settlement: notice.settlement,
        credit_note: notice.credit_note,
        statement: notice.statement,
        received_at: notice.received_at,
    }
}

/// Composes message `kind` about `record` in the shopper's language and queues it in `tx`.
pub async fn queue(
    tx: &mut Tx<'_>,
    state: &AppState,
    (shop, order, record): (&Shop, &Order, &ReturnRecord),
    kind: MessageKind,
    notice: Notice,
    now: i64,
) -> Result<(), ServiceError> {
    let recipient = order.email.as_str().to_owned();
    queue_to(tx, state, (shop, order, record), kind, notice, &recipient, now).await
}

/// As [`queue`], to another address than the order's (a withdrawal's acknowledgement goes
/// where the consumer asked).
pub async fn queue_to(
    tx: &mut Tx<'_>,
    state: &AppState,
    (shop, order, record): (&Shop, &Order, &ReturnRecord),
    kind: MessageKind,
    notice: Notice,
    recipient: &str,
    now: i64,
) -> Result<(), ServiceError> {
    // The shopper's data was erased: the request goes on, the emails do not.
    if crate::domain::privacy::is_erased_email(recipient) {
        return Ok(());
    }
    let locale = record.locale;
    let custom = store::outbox::message_text(&mut **tx, &shop.id, kind, locale).await?;
    // A stored text was checked when saved; if it no longer fits, ours still goes out.
    let facts = facts(state, shop, order, record, notice);
    let text = match compose(kind, locale, &facts, custom.as_ref()) {
        Ok(text) => text,
        Err(_) => compose(kind, locale, &facts, None)
            .map_err(|_| ServiceError::Internal("default message text"))?,
    };
    let message = OutboxMessage::pending(
        new_id(),
        &shop.id,
        Some(&record.id),
        (kind, locale),
        recipient,
        text,
        now,
    );
    store::outbox::enqueue(tx, &message).await?;
    Ok(())
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Delivered {
    pub sent: usize,
    pub failed: usize,
}

/// Sends every message due at `now`, each at most once per call.
pub async fn deliver_due(state: &AppState, now: i64) -> Result<Delivered, ServiceError> {
    let mut delivered = Delivered::default();
    for id in store::outbox::due_ids(&state.db, now, 50).await? {
        let Some(message) = store::outbox::claim(&state.db, &id, now, now + LEASE_SECS).await?
        else {
            continue;
        };
        let outcome = match email_for(state, &message).await {
            Ok(email) => state.mailer.send(&message.id, email).await,
            Err(error) => Err(error),
        };
        match outcome {
            Ok(()) => {
                store::outbox::mark_sent(&state.db, &message.id, now_unix()).await?;
                delivered.sent += 1;
            }
            Err(error) => {
                let retry_at = (message.attempts < MAX_ATTEMPTS).then(|| {
                    now + message::retry_delay_secs(state.mailer.retry_base_secs, message.attempts)
                });
                tracing::warn!(message.id = %message.id, attempts = message.attempts, %error, will_retry = retry_at.is_some(), "email not sent");
                store::outbox::mark_attempt_failed(&state.db, &message.id, &error, retry_at)
                    .await?;
                delivered.failed += 1;
            }
        }
    }
    Ok(delivered)
}

/// The email as it leaves: the shop's name as sender, the label attached when there is one.
async fn email_for(state: &AppState, message: &OutboxMessage) -> Result<lettre::Message, String> {
    let shop = store::shops::find_shop_by_id(&state.db, &message.shop_id)
        .await
        .map_err(|e| e.to_string())?
        .ok_or("the shop is gone")?;
    let to: Mailbox = message
        .recipient
        .parse()
        .map_err(|e| format!("recipient {:?}: {e}", message.recipient))?;
    let builder = lettre::Message::builder()
        .from(Mailbox::new(
            Some(shop.name.clone()),
            state.mailer.from_address.clone(),
        ))
        .to(to)
        .subject(&message.subject)
        .message_id(Some(format!("<{}@retour>", message.id)));
    let text = SinglePart::plain(message.body.clone());
    let attachment = match &message.return_id {
        Some(return_id) if message.kind.attaches_label() => Some(
            super::labels::label_pdf(state, &shop, return_id)
                .await
                .map_err(|e| format!("return label: {e}"))?,
        ),
        Some(return_id) if message.kind.attaches_credit_note() => Some(
            super::labels::credit_note_pdf(state, &shop, return_id, message.locale)
                .await
                .map_err(|e| format!("credit note: {e}"))?,
        ),
        _ => None,
    };
    match attachment {
        None => builder.singlepart(text),
        Some((file_name, pdf)) => {
            let pdf = Attachment::new(file_name).body(
                pdf,
                ContentType::parse("application/pdf").map_err(|e| e.to_string())?,
            );
            builder.multipart(MultiPart::mixed().singlepart(text).singlepart(pdf))
        }
    }
    .map_err(|e| e.to_string())
}

/// Sends due messages until the process ends: at once when woken, else every `poll`.
pub async fn run_worker(state: AppState, poll: Duration) {
    tracing::info!(transport = %state.mailer.describe(), "email worker started");
    loop {
        if let Err(error) = deliver_due(&state, now_unix()).await {
            tracing::error!(%error, "email worker");
        }
        tokio::select! {
            _ = state.mailer.wakeup.notified() => {}
            _ = tokio::time::sleep(poll) => {}
        }
    }
}

fn email_view((message, reference): (OutboxMessage, String)) -> EmailView {
    EmailView {
        reference,
        return_id: message.return_id,
        id: message.id,
        kind: message.kind,
        recipient: message.recipient,
        subject: message.subject,
        body: message.body,
        status: message.status,
        attempts: message.attempts,
        last_error: message.last_error,
        created_at_unix: message.created_at,
        sent_at_unix: message.sent_at,
    }
}

/// The shop's latest emails, failed ones first, for the back-office.
pub async fn shop_emails(
    state: &AppState,
    merchant: &Merchant,
) -> Result<EmailsPage, ServiceError> {
    let shop = store::shops::find_shop_by_id(&state.db, &merchant.shop_id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let messages = store::outbox::shop_messages(&state.db, &shop.id, 200).await?;
    Ok(EmailsPage {
        shop_name: shop.name,
        failed: store::outbox::count_failed(&state.db, &merchant.shop_id).await?,
        emails: messages.into_iter().map(email_view).collect(),
    })
}

/// The emails about one request, oldest first, for its detail page.
pub async fn return_emails(
    state: &AppState,
    return_id: &str,
) -> Result<Vec<EmailView>, ServiceError> {
    Ok(store::outbox::return_messages(&state.db, return_id)
        .await?
        .into_iter()
        .map(email_view)
        .collect())
}

/// Puts a failed email of the merchant's shop back in the queue. Retrying one that is not
/// failed (already sent, or retried by a colleague) changes nothing.
pub async fn retry_email(
    state: &AppState,
    merchant: &Merchant,
    id: &str,
    now: i64,
) -> Result<DeliveryStatus, ServiceError> {
    let message = store::outbox::find(&state.db, id)
        .await?
        .filter(|m| m.shop_id == merchant.shop_id)
        .ok_or(ServiceError::NotFound)?;
    if store::outbox::retry(&state.db, &merchant.shop_id, id, now).await? {
        tracing::info!(message.id = %id, by = %merchant.user_id, "email retried");
        state.mailer.wake();
        return Ok(DeliveryStatus::Pending);
    }
    Ok(message.status)
}
