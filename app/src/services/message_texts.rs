//! The merchant's own email texts: read them next to ours, save or reset one, preview it
//! with sample values, and send a test to oneself through the same outbox as real emails.

use super::{new_id, AppState, ServiceError};
use crate::{
    backoffice::dto::{MessageTextView, MessageTextsView},
    domain::{
        message::{check_text, compose, default_text, MessageFacts, MessageKind, MessageText},
        settlement::SettlementKind,
        withdrawal,
        shop::Shop,
        Currency, Locale, Merchant, Money,
    },
    store::{self, outbox::OutboxMessage},
};

async fn shop_of(state: &AppState, merchant: &Merchant) -> Result<Shop, ServiceError> {
    store::shops::find_shop_by_id(&state.db, &merchant.shop_id)
        .await?
        .ok_or(ServiceError::NotFound)
}

pub async fn texts(
    state: &AppState,
    merchant: &Merchant,
) -> Result<MessageTextsView, ServiceError> {
    let shop = shop_of(state, merchant).await?;
    let mut custom = store::outbox::message_texts(&state.db, &shop.id).await?;
    let mut texts = Vec::with_capacity(MessageKind::ALL.len() * Locale::ALL.len());
    for kind in MessageKind::ALL {
        for locale in Locale::ALL {
            let own = custom
                .iter()
                .position(|(k, l, _)| *k == kind && *l == locale)
                .map(|i| custom.swap_remove(i).2);
            texts.push(MessageTextView {
                kind,
                locale,
                custom: own.is_some(),
                text: own.unwrap_or_else(|| default_text(kind, locale)),
            });
        }
    }
    Ok(MessageTextsView {
        shop_name: shop.name,
        can_edit: merchant.role.can_change_settings(),
        texts,
    })
}

/// Saves the merchant's text for one email in one language; `None` goes back to ours.
pub async fn save_text(
    state: &AppState,
    merchant: &Merchant,
    (kind, locale): (MessageKind, Locale),
    text: Option<MessageText>,
    now: i64,
) -> Result<MessageTextView, ServiceError> {
    if !merchant.role.can_change_settings() {
        return Err(ServiceError::Forbidden);
    }
    let text = text.map(|t| MessageText {
        subject: t.subject.trim().to_owned(),
        body: t.body.trim_end().to_owned(),
    });
    if let Some(text) = &text {
        check_text(kind, text)?;
    }
    store::outbox::save_message_text(
        &state.db,
        &merchant.shop_id,
        kind,
        locale,
        text.as_ref(),
        now,
    )
    .await?;
    tracing::info!(shop.id = %merchant.shop_id, kind = %kind, locale = locale.code(), custom = text.is_some(), "email text saved");
    Ok(MessageTextView {
        kind,
        locale,
        custom: text.is_some(),
        text: text.unwrap_or_else(|| default_text(kind, locale)),
    })
}

/// 2026-11-12 13:45:07 UTC: a fixed sample, so a preview reads the same each time.
const SAMPLE_RECEIVED_AT: i64 = 1_794_491_107;

/// Values that show what each placeholder becomes, in the email's language.
fn sample_facts(state: &AppState, shop: &Shop, locale: Locale) -> MessageFacts {
    let reference = "R-7K3M-9QXT";
    let explanation = match locale {
        Locale::En => "Your explanation for the shopper appears here.",
        Locale::Fr => "Votre explication pour le client apparaît ici.",
        Locale::Nl => "Je uitleg voor de klant verschijnt hier.",
        Locale::De => "Ihre Erklärung für den Kunden erscheint hier.",
    };
    MessageFacts {
        // Made-up shopper: a preview must never show a real shopper's data.
        customer_name: "Alex Example".into(),
        email: "alex@example.com".into(),
        shop_name: shop.name.clone(),
        reference: reference.into(),
        order_number: "#12345".into(),
        status_link: format!(
            "{}/{}/status/{reference}",
            state.public_url.trim_end_matches('/'),
            shop.slug
        ),
        explanation: explanation.into(),
        fee_refunded: Some(Money::new(495, Currency::EUR)),
        settlement: Some((SettlementKind::Refund, Money::new(4990, Currency::EUR))),
        credit_note: "CN-000042".into(),
        statement: withdrawal::statement_text(
            &withdrawal::Statement {
                shop_name: shop.name.clone(),
                consumer_name: "Alex Example".into(),
                email: "alex@example.com".into(),
                order_number: "#12345".into(),
                ordered_on: time::macros::date!(2026 - 11 - 02),
                delivered_on: Some(time::macros::date!(2026 - 11 - 05)),
                lines: vec![withdrawal::StatementLine {
                    title: "Organic cotton T-shirt".into(),
                    variant: "White / M".into(),
                    sku: "TS-ORG-M".into(),
                    units: 1,
                }],
                whole_order: false,
                received_at: SAMPLE_RECEIVED_AT,
            },
            &withdrawal::received_at_text(SAMPLE_RECEIVED_AT, "FR"),
            locale,
        ),
        received_at: withdrawal::received_at_text(SAMPLE_RECEIVED_AT, "FR"),
    }
}

/// The email as a shopper would read it, with sample values; checked as a save would be.
pub async fn preview(
    state: &AppState,
    merchant: &Merchant,
    (kind, locale): (MessageKind, Locale),
    text: &MessageText,
) -> Result<MessageText, ServiceError> {
    check_text(kind, text)?;
    let shop = shop_of(state, merchant).await?;
    Ok(compose(
        kind,
        locale,
        &sample_facts(state, &shop, locale),
        Some(text),
    )?)
}

/// Queues the previewed email to the signed-in merchant; returns where it goes.
pub async fn send_test(
    state: &AppState,
    merchant: &Merchant,
    (kind, locale): (MessageKind, Locale),
    text: &MessageText,
    now: i64,
) -> Result<String, ServiceError> {
    let composed = preview(state, merchant, (kind, locale), text).await?;
    let subject = format!("[Test] {}", composed.subject);
    let text = MessageText {
        subject,
        body: composed.body,
    };
    let message = OutboxMessage::pending(
        new_id(),
        &merchant.shop_id,
        None,
        (kind, locale),
        &merchant.email,
        text,
        now,
    );
    let mut tx = state.db.begin().await?;
    store::outbox::enqueue(&mut tx, &message).await?;
    tx.commit().await?;
    state.mailer.wake();
    Ok(message.recipient)
}
