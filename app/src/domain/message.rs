//! The emails a shopper receives about their return: which message goes with which step,
//! the default texts in each language, the merchant's own texts with `{{placeholders}}`,
//! and how long to wait before retrying a message that could not be sent.
//!
//! Placeholders are plain substitutions, not a template language: a merchant can write
//! any text around them, but no logic, so nothing they write can fail at send time.

use serde::{Deserialize, Serialize};
use std::{fmt, str::FromStr};

use super::{settlement::SettlementKind, Locale, Money};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MessageKind {
    Received,
    /// Carries the return label as a PDF attachment.
    ApprovedWithLabel,
    /// Nothing needs to be sent back.
    ApprovedWithoutLabel,
    /// Carries the merchant's explanation.
    Rejected,
    ParcelReceived,
    Settled,
    /// The acknowledgement of an EU withdrawal statement, on a durable medium: carries the
    /// statement and the time it was received.
    WithdrawalReceived,
}

impl MessageKind {
    pub const ALL: [MessageKind; 7] = [
        Self::Received,
        Self::ApprovedWithLabel,
        Self::ApprovedWithoutLabel,
        Self::Rejected,
        Self::ParcelReceived,
        Self::Settled,
        Self::WithdrawalReceived,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Received => "received",
            Self::ApprovedWithLabel => "approved_with_label",
            Self::ApprovedWithoutLabel => "approved_without_label",
            Self::Rejected => "rejected",
            Self::ParcelReceived => "parcel_received",
            Self::Settled => "settled",
            Self::WithdrawalReceived => "withdrawal_received",
        }
    }

    /// The placeholders a merchant's text for this message may use.
    pub fn placeholders(self) -> &'static [Placeholder] {
        use Placeholder::*;
        match self {
            Self::Received | Self::ParcelReceived => &[Name, Shop, Reference, Order, StatusLink],
            Self::ApprovedWithLabel | Self::ApprovedWithoutLabel => {
                &[Name, Shop, Reference, Order, StatusLink, FeeRefund]
            }
            Self::Rejected => &[
                Name,
                Shop,
                Reference,
                Order,
                StatusLink,
                Explanation,
                FeeRefund,
            ],
            Self::Settled => &[
                Name, Shop, Reference, Order, StatusLink, Settlement, CreditNote,
            ],
            Self::WithdrawalReceived => &[
                Name, Shop, Reference, Order, StatusLink, Statement, ReceivedAt,
            ],
        }
    }

    /// Placeholders a merchant's body must keep: the message is pointless without them.
    pub fn required_in_body(self) -> &'static [Placeholder] {
        match self {
            Self::Rejected => &[Placeholder::Explanation],
            // The law asks for the statement's content and the time it was received.
            Self::WithdrawalReceived => &[Placeholder::Statement, Placeholder::ReceivedAt],
            _ => &[],
        }
    }

    /// The news of an approval: with a label to print, or nothing to send back.
    pub fn approved(with_label: bool) -> MessageKind {
        if with_label {
            Self::ApprovedWithLabel
        } else {
            Self::ApprovedWithoutLabel
        }
    }

    pub fn attaches_label(self) -> bool {
        self == Self::ApprovedWithLabel
    }

    /// The settlement email carries the credit note it names.
    pub fn attaches_credit_note(self) -> bool {
        self == Self::Settled
    }
}

impl fmt::Display for MessageKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for MessageKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Self::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| format!("unknown message kind {s:?}"))
    }
}

/// Where a queued message is: waiting (or between retries), sent, or given up on until
/// someone retries it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeliveryStatus {
    Pending,
    Sent,
    Failed,
}

impl DeliveryStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Sent => "sent",
            Self::Failed => "failed",
        }
    }
}

impl FromStr for DeliveryStatus {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        [Self::Pending, Self::Sent, Self::Failed]
            .into_iter()
            .find(|d| d.as_str() == s)
            .ok_or_else(|| format!("unknown delivery status {s:?}"))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Placeholder {
    Name,
    Shop,
    Reference,
    Order,
    StatusLink,
    Explanation,
    /// A sentence saying the fee was refunded, or nothing.
    FeeRefund,
    /// A sentence saying how the return was settled.
    Settlement,
    CreditNote,
    /// The withdrawal statement as received.
    Statement,
    /// When the statement was received, local time and UTC.
    ReceivedAt,
}

impl Placeholder {
    pub const ALL: [Placeholder; 11] = [
        Self::Name,
        Self::Shop,
        Self::Reference,
        Self::Order,
        Self::StatusLink,
        Self::Explanation,
        Self::FeeRefund,
        Self::Settlement,
        Self::CreditNote,
        Self::Statement,
        Self::ReceivedAt,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Name => "name",
            Self::Shop => "shop",
            Self::Reference => "reference",
            Self::Order => "order",
            Self::StatusLink => "status_link",
            Self::Explanation => "explanation",
            Self::FeeRefund => "fee_refund",
            Self::Settlement => "settlement",
            Self::CreditNote => "credit_note",
            Self::Statement => "statement",
            Self::ReceivedAt => "received_at",
        }
    }
}

/// What a message can say about its return. Fields a message does not use stay empty.
#[derive(Debug, Clone, Default)]
pub struct MessageFacts {
    pub customer_name: String,
    pub email: String,
    pub shop_name: String,
    pub reference: String,
    pub order_number: String,
    /// Absolute URL of the signed status page.
    pub status_link: String,
    pub explanation: String,
    pub fee_refunded: Option<Money>,
    pub settlement: Option<(SettlementKind, Money)>,
    pub credit_note: String,
    pub statement: String,
    pub received_at: String,
}

impl MessageFacts {
    fn value(&self, placeholder: Placeholder, locale: Locale) -> String {
        match placeholder {
            // A greeting with an empty name reads oddly; the address is what the shop knows.
            Placeholder::Name if self.customer_name.trim().is_empty() => self.email.clone(),
            Placeholder::Name => self.customer_name.clone(),
            Placeholder::Shop => self.shop_name.clone(),
            Placeholder::Reference => self.reference.clone(),
            Placeholder::Order => self.order_number.clone(),
            Placeholder::StatusLink => self.status_link.clone(),
            Placeholder::Explanation => self.explanation.clone(),
            Placeholder::FeeRefund => self
                .fee_refunded
                .map(|fee| fee_refund_sentence(locale, fee))
                .unwrap_or_default(),
            Placeholder::Settlement => self
                .settlement
                .map(|(kind, amount)| settlement_sentence(locale, kind, amount))
                .unwrap_or_default(),
            Placeholder::CreditNote => self.credit_note.clone(),
            Placeholder::Statement => self.statement.clone(),
            Placeholder::ReceivedAt => self.received_at.clone(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageText {
    pub subject: String,
    pub body: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum TemplateError {
    #[error("unknown placeholder {{{{{0}}}}}")]
    UnknownPlaceholder(String),
    #[error("a '{{{{' is never closed")]
    Unclosed,
    #[error("the placeholder {{{{{0}}}}} must stay in the text")]
    Missing(String),
    #[error("the subject is empty or longer than 200 characters, or has a line break")]
    BadSubject,
    #[error("the text is empty or longer than 10,000 characters")]
    BadBody,
}

impl TemplateError {
    pub fn message_key(&self) -> &'static str {
        match self {
            Self::UnknownPlaceholder(_) => "error.template_unknown_placeholder",
            Self::Unclosed => "error.template_unclosed",
            Self::Missing(_) => "error.template_missing_placeholder",
            Self::BadSubject => "error.template_subject",
            Self::BadBody => "error.template_body",
        }
    }
}

const SUBJECT_MAX_CHARS: usize = 200;
const BODY_MAX_CHARS: usize = 10_000;

/// Splits a template into literal text and placeholders, refusing unknown names.
fn parse<'a>(
    template: &'a str,
    allowed: &[Placeholder],
) -> Result<Vec<Segment<'a>>, TemplateError> {
    let mut segments = Vec::new();
    let mut rest = template;
    while let Some(start) = rest.find("{{") {
        segments.push(Segment::Text(&rest[..start]));
        let after = &rest[start + 2..];
        let end = after.find("}}").ok_or(TemplateError::Unclosed)?;
        let name = after[..end].trim();
        let placeholder = allowed
            .iter()
            .copied()
            .find(|p| p.as_str() == name)
            .ok_or_else(|| TemplateError::UnknownPlaceholder(name.chars().take(40).collect()))?;
        segments.push(Segment::Value(placeholder));
        rest = &after[end + 2..];
    }
    segments.push(Segment::Text(rest));
    Ok(segments)
}

enum Segment<'a> {
    Text(&'a str),
    Value(Placeholder),
}

/// Checks a merchant's text for a message before it is saved.
pub fn check_text(kind: MessageKind, text: &MessageText) -> Result<(), TemplateError> {
    let subject = text.subject.trim();
    if subject.is_empty()
        || subject.chars().count() > SUBJECT_MAX_CHARS
        || subject.contains(['\r', '\n'])
    {
        return Err(TemplateError::BadSubject);
    }
    if text.body.trim().is_empty() || text.body.chars().count() > BODY_MAX_CHARS {
        return Err(TemplateError::BadBody);
    }
    parse(&text.subject, kind.placeholders())?;
    let body = parse(&text.body, kind.placeholders())?;
    for required in kind.required_in_body() {
        if !body
            .iter()
            .any(|s| matches!(s, Segment::Value(p) if *p == *required))
        {
            return Err(TemplateError::Missing(required.as_str().to_owned()));
        }
    }
    Ok(())
}

fn fill(
    template: &str,
    kind: MessageKind,
    facts: &MessageFacts,
    locale: Locale,
) -> Result<String, TemplateError> {
    let mut out = String::with_capacity(template.len() + 128);
    for segment in parse(template, kind.placeholders())? {
        match segment {
            Segment::Text(text) => out.push_str(text),
            Segment::Value(placeholder) => out.push_str(&facts.value(placeholder, locale)),
        }
    }
    Ok(out)
}

/// An empty optional sentence leaves blank lines behind: at most one blank line in a row.
fn tidy_blank_lines(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut blank_run = 0;
    for line in text.trim().lines() {
        let line = line.trim_end();
        blank_run = if line.is_empty() { blank_run + 1 } else { 0 };
        if blank_run <= 1 {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

/// The message ready to send: the merchant's text when they wrote one, else ours.
pub fn compose(
    kind: MessageKind,
    locale: Locale,
    facts: &MessageFacts,
    custom: Option<&MessageText>,
) -> Result<MessageText, TemplateError> {
    let default = default_text(kind, locale);
    let text = custom.unwrap_or(&default);
    let subject = fill(text.subject.trim(), kind, facts, locale)?;
    Ok(MessageText {
        // Values come from shoppers and merchants: a line break must not reach a header.
        subject: subject.replace(['\r', '\n'], " "),
        body: tidy_blank_lines(&fill(&text.body, kind, facts, locale)?),
    })
}

/// Seconds to wait before attempt `attempts + 1` of a message whose `attempts` tries failed:
/// doubling from `base`, never more than an hour apart. With a base of 30 s, eight tries
/// span about two hours before the message is marked failed.
pub fn retry_delay_secs(base: i64, attempts: u32) -> i64 {
    base.max(1)
        .saturating_mul(1i64 << attempts.saturating_sub(1).min(20))
        .min(3600)
}

/// After this many failed tries a message waits for someone to press "retry".
pub const MAX_ATTEMPTS: u32 = 8;

fn fee_refund_sentence(locale: Locale, fee: Money) -> String {
    let fee = fee.format(locale);
    match locale {
        Locale::En => format!("The return fee of {fee} has been refunded to you."),
        Locale::Fr => format!("Les frais de retour de {fee} vous ont été remboursés."),
        Locale::Nl => format!("De retourkosten van {fee} zijn aan je terugbetaald."),
        Locale::De => format!("Die Rücksendegebühr von {fee} wurde Ihnen erstattet."),
    }
}

fn settlement_sentence(locale: Locale, kind: SettlementKind, amount: Money) -> String {
    let amount = amount.format(locale);
    match (locale, kind) {
        (Locale::En, SettlementKind::Refund) => {
            format!("We are refunding {amount} to your original payment method.")
        }
        (Locale::En, SettlementKind::StoreCredit) => {
            format!("You receive store credit of {amount} to spend in our shop.")
        }
        (Locale::En, SettlementKind::Exchange) => {
            "We are sending you the replacement item.".to_owned()
        }
        (Locale::Fr, SettlementKind::Refund) => {
            format!("Nous vous remboursons {amount} sur votre moyen de paiement d'origine.")
        }
        (Locale::Fr, SettlementKind::StoreCredit) => {
            format!("Vous recevez un avoir de {amount} à utiliser dans notre boutique.")
        }
        (Locale::Fr, SettlementKind::Exchange) => {
            "Nous vous envoyons l'article de remplacement.".to_owned()
        }
        (Locale::Nl, SettlementKind::Refund) => {
            format!("We betalen {amount} terug via je oorspronkelijke betaalmethode.")
        }
        (Locale::Nl, SettlementKind::StoreCredit) => {
            format!("Je ontvangt een tegoed van {amount} om in onze winkel te besteden.")
        }
        (Locale::Nl, SettlementKind::Exchange) => {
            "We sturen je het vervangende artikel.".to_owned()
        }
        (Locale::De, SettlementKind::Refund) => {
            format!("Wir erstatten Ihnen {amount} über Ihre ursprüngliche Zahlungsart.")
        }
        (Locale::De, SettlementKind::StoreCredit) => {
            format!("Sie erhalten ein Guthaben von {amount} für unseren Shop.")
        }
        (Locale::De, SettlementKind::Exchange) => {
            "Wir senden Ihnen den Ersatzartikel zu.".to_owned()
        }
    }
}

/// Our texts, in each language the portal speaks. Merchants start from these when they
/// write their own.
pub fn default_text(kind: MessageKind, locale: Locale) -> MessageText {
    let (subject, body) = default_strings(kind, locale);
    MessageText {
        subject: subject.to_owned(),
        body: body.to_owned(),
    }
}

fn default_strings(kind: MessageKind, locale: Locale) -> (&'static str, &'static str) {
    use MessageKind::*;
    match (locale, kind) {
        (Locale::En, Received) => (
            "We received your return request {{reference}}",
            "Hello {{name}},\n\nThank you: we received your return request {{reference}} for order {{order}}. We will review it and let you know what happens next.\n\nFollow your return here:\n{{status_link}}\n\n{{shop}}",
        ),
        (Locale::En, ApprovedWithLabel) => (
            "Your return {{reference}} is approved: here is your label",
            "Hello {{name}},\n\nGood news: your return request {{reference}} for order {{order}} is approved.\n\nYour return label is attached to this email. Print it, tape it to your parcel and hand the parcel in.\n\n{{fee_refund}}\n\nFollow your return here:\n{{status_link}}\n\n{{shop}}",
        ),
        (Locale::En, ApprovedWithoutLabel) => (
            "Your return {{reference}} is approved: keep the item",
            "Hello {{name}},\n\nGood news: your return request {{reference}} for order {{order}} is approved. You do not need to send anything back: please keep the item. We will settle your return shortly.\n\n{{fee_refund}}\n\nFollow your return here:\n{{status_link}}\n\n{{shop}}",
        ),
        (Locale::En, Rejected) => (
            "Your return request {{reference}} was not accepted",
            "Hello {{name}},\n\nWe are sorry: your return request {{reference}} for order {{order}} was not accepted.\n\nThe reason {{shop}} gives:\n{{explanation}}\n\n{{fee_refund}}\n\nDetails:\n{{status_link}}\n\n{{shop}}",
        ),
        (Locale::En, ParcelReceived) => (
            "We received your parcel for return {{reference}}",
            "Hello {{name}},\n\nYour parcel for return {{reference}} (order {{order}}) has arrived. We are checking the items and will settle your return shortly.\n\nFollow your return here:\n{{status_link}}\n\n{{shop}}",
        ),
        (Locale::En, Settled) => (
            "Your return {{reference}} is settled",
            "Hello {{name}},\n\nYour return {{reference}} for order {{order}} is settled.\n\n{{settlement}}\nCredit note: {{credit_note}}\n\nDetails:\n{{status_link}}\n\n{{shop}}",
        ),
        (Locale::En, WithdrawalReceived) => (
            "We received your withdrawal {{reference}}",
            "Hello {{name}},\n\nWe confirm that we received your statement of withdrawal from order {{order}} on {{received_at}}. Your reference is {{reference}}.\n\nYour statement:\n\n{{statement}}\nWe will refund the price you paid within 14 days of your statement; we may wait until we have received the goods back or you have shown proof of sending them.\n\nFollow it here:\n{{status_link}}\n\n{{shop}}",
        ),
        (Locale::Fr, Received) => (
            "Nous avons bien reçu votre demande de retour {{reference}}",
            "Bonjour {{name}},\n\nMerci : nous avons bien reçu votre demande de retour {{reference}} pour la commande {{order}}. Nous allons l'examiner et vous tiendrons informé de la suite.\n\nSuivez votre retour ici :\n{{status_link}}\n\n{{shop}}",
        ),
        (Locale::Fr, ApprovedWithLabel) => (
            "Votre retour {{reference}} est accepté : voici votre étiquette",
            "Bonjour {{name}},\n\nBonne nouvelle : votre demande de retour {{reference}} pour la commande {{order}} est acceptée.\n\nVotre étiquette de retour est jointe à cet e-mail. Imprimez-la, collez-la sur votre colis et déposez le colis.\n\n{{fee_refund}}\n\nSuivez votre retour ici :\n{{status_link}}\n\n{{shop}}",
        ),
        (Locale::Fr, ApprovedWithoutLabel) => (
            "Votre retour {{reference}} est accepté : gardez l'article",
            "Bonjour {{name}},\n\nBonne nouvelle : votre demande de retour {{reference}} pour la commande {{order}} est acceptée. Vous n'avez rien à nous renvoyer : vous pouvez garder l'article. Nous finalisons votre retour très prochainement.\n\n{{fee_refund}}\n\nSuivez votre retour ici :\n{{status_link}}\n\n{{shop}}",
        ),
        (Locale::Fr, Rejected) => (
            "Votre demande de retour {{reference}} n'a pas été acceptée",
            "Bonjour {{name}},\n\nNous sommes désolés : votre demande de retour {{reference}} pour la commande {{order}} n'a pas été acceptée.\n\nLe motif indiqué par {{shop}} :\n{{explanation}}\n\n{{fee_refund}}\n\nDétails :\n{{status_link}}\n\n{{shop}}",
        ),
        (Locale::Fr, ParcelReceived) => (
            "Nous avons reçu votre colis pour le retour {{reference}}",
            "Bonjour {{name}},\n\nVotre colis pour le retour {{reference}} (commande {{order}}) est arrivé. Nous vérifions les articles et finalisons votre retour très prochainement.\n\nSuivez votre retour ici :\n{{status_link}}\n\n{{shop}}",
        ),
        (Locale::Fr, Settled) => (
            "Votre retour {{reference}} est finalisé",
            "Bonjour {{name}},\n\nVotre retour {{reference}} pour la commande {{order}} est finalisé.\n\n{{settlement}}\nAvoir : {{credit_note}}\n\nDétails :\n{{status_link}}\n\n{{shop}}",
        ),
        (Locale::Fr, WithdrawalReceived) => (
            "Accusé de réception de votre rétractation {{reference}}",
            "Bonjour {{name}},\n\nNous confirmons avoir reçu votre déclaration de rétractation pour la commande {{order}} le {{received_at}}. Votre référence est {{reference}}.\n\nVotre déclaration :\n\n{{statement}}\nNous vous rembourserons le prix payé dans les 14 jours suivant votre déclaration ; nous pouvons attendre d'avoir récupéré les biens ou que vous ayez fourni une preuve de leur expédition.\n\nSuivez-la ici :\n{{status_link}}\n\n{{shop}}",
        ),
        (Locale::Nl, Received) => (
            "We hebben je retouraanvraag {{reference}} ontvangen",
            "Hallo {{name}},\n\nBedankt: we hebben je retouraanvraag {{reference}} voor bestelling {{order}} ontvangen. We bekijken hem en laten je weten wat er verder gebeurt.\n\nVolg je retour hier:\n{{status_link}}\n\n{{shop}}",
        ),
        (Locale::Nl, ApprovedWithLabel) => (
            "Je retour {{reference}} is goedgekeurd: hier is je retourlabel",
            "Hallo {{name}},\n\nGoed nieuws: je retouraanvraag {{reference}} voor bestelling {{order}} is goedgekeurd.\n\nJe retourlabel zit als bijlage bij deze e-mail. Print het, plak het op je pakket en lever het pakket in.\n\n{{fee_refund}}\n\nVolg je retour hier:\n{{status_link}}\n\n{{shop}}",
        ),
        (Locale::Nl, ApprovedWithoutLabel) => (
            "Je retour {{reference}} is goedgekeurd: je mag het artikel houden",
            "Hallo {{name}},\n\nGoed nieuws: je retouraanvraag {{reference}} voor bestelling {{order}} is goedgekeurd. Je hoeft niets terug te sturen: je mag het artikel houden. We ronden je retour binnenkort af.\n\n{{fee_refund}}\n\nVolg je retour hier:\n{{status_link}}\n\n{{shop}}",
        ),
        (Locale::Nl, Rejected) => (
            "Je retouraanvraag {{reference}} is niet geaccepteerd",
            "Hallo {{name}},\n\nHet spijt ons: je retouraanvraag {{reference}} voor bestelling {{order}} is niet geaccepteerd.\n\nDe reden die {{shop}} opgeeft:\n{{explanation}}\n\n{{fee_refund}}\n\nMeer informatie:\n{{status_link}}\n\n{{shop}}",
        ),
        (Locale::Nl, ParcelReceived) => (
            "We hebben je pakket voor retour {{reference}} ontvangen",
            "Hallo {{name}},\n\nJe pakket voor retour {{reference}} (bestelling {{order}}) is aangekomen. We controleren de artikelen en ronden je retour binnenkort af.\n\nVolg je retour hier:\n{{status_link}}\n\n{{shop}}",
        ),
        (Locale::Nl, Settled) => (
            "Je retour {{reference}} is afgerond",
            "Hallo {{name}},\n\nJe retour {{reference}} voor bestelling {{order}} is afgerond.\n\n{{settlement}}\nCreditnota: {{credit_note}}\n\nMeer informatie:\n{{status_link}}\n\n{{shop}}",
        ),
        (Locale::Nl, WithdrawalReceived) => (
            "Ontvangstbevestiging van je herroeping {{reference}}",
            "Hallo {{name}},\n\nWe bevestigen dat we je verklaring van herroeping voor bestelling {{order}} hebben ontvangen op {{received_at}}. Je referentie is {{reference}}.\n\nJe verklaring:\n\n{{statement}}\nWe betalen het bedrag dat je betaalde terug binnen 14 dagen na je verklaring; we mogen wachten tot we de goederen terug hebben of je hebt aangetoond dat je ze hebt teruggestuurd.\n\nVolg het hier:\n{{status_link}}\n\n{{shop}}",
        ),
        (Locale::De, Received) => (
            "Wir haben Ihre Rücksendeanfrage {{reference}} erhalten",
            "Hallo {{name}},\n\nvielen Dank: Wir haben Ihre Rücksendeanfrage {{reference}} zur Bestellung {{order}} erhalten. Wir prüfen sie und informieren Sie über die nächsten Schritte.\n\nIhre Rücksendung verfolgen:\n{{status_link}}\n\n{{shop}}",
        ),
        (Locale::De, ApprovedWithLabel) => (
            "Ihre Rücksendung {{reference}} ist genehmigt: Ihr Rücksendeetikett",
            "Hallo {{name}},\n\ngute Nachricht: Ihre Rücksendeanfrage {{reference}} zur Bestellung {{order}} wurde genehmigt.\n\nIhr Rücksendeetikett finden Sie im Anhang dieser E-Mail. Drucken Sie es aus, kleben Sie es auf Ihr Paket und geben Sie das Paket ab.\n\n{{fee_refund}}\n\nIhre Rücksendung verfolgen:\n{{status_link}}\n\n{{shop}}",
        ),
        (Locale::De, ApprovedWithoutLabel) => (
            "Ihre Rücksendung {{reference}} ist genehmigt: Sie können den Artikel behalten",
            "Hallo {{name}},\n\ngute Nachricht: Ihre Rücksendeanfrage {{reference}} zur Bestellung {{order}} wurde genehmigt. Sie müssen nichts zurückschicken: Sie können den Artikel behalten. Wir schließen Ihre Rücksendung in Kürze ab.\n\n{{fee_refund}}\n\nIhre Rücksendung verfolgen:\n{{status_link}}\n\n{{shop}}",
        ),
        (Locale::De, Rejected) => (
            "Ihre Rücksendeanfrage {{reference}} wurde nicht angenommen",
            "Hallo {{name}},\n\nleider wurde Ihre Rücksendeanfrage {{reference}} zur Bestellung {{order}} nicht angenommen.\n\nBegründung von {{shop}}:\n{{explanation}}\n\n{{fee_refund}}\n\nDetails:\n{{status_link}}\n\n{{shop}}",
        ),
        (Locale::De, ParcelReceived) => (
            "Wir haben Ihr Paket zur Rücksendung {{reference}} erhalten",
            "Hallo {{name}},\n\nIhr Paket zur Rücksendung {{reference}} (Bestellung {{order}}) ist bei uns eingetroffen. Wir prüfen die Artikel und schließen Ihre Rücksendung in Kürze ab.\n\nIhre Rücksendung verfolgen:\n{{status_link}}\n\n{{shop}}",
        ),
        (Locale::De, Settled) => (
            "Ihre Rücksendung {{reference}} ist abgeschlossen",
            "Hallo {{name}},\n\nIhre Rücksendung {{reference}} zur Bestellung {{order}} ist abgeschlossen.\n\n{{settlement}}\nGutschrift: {{credit_note}}\n\nDetails:\n{{status_link}}\n\n{{shop}}",
        ),
        (Locale::De, WithdrawalReceived) => (
            "Eingangsbestätigung Ihres Widerrufs {{reference}}",
            "Hallo {{name}},\n\nwir bestätigen den Eingang Ihrer Widerrufserklärung zur Bestellung {{order}} am {{received_at}}. Ihre Referenz lautet {{reference}}.\n\nIhre Erklärung:\n\n{{statement}}\nWir erstatten Ihnen den gezahlten Preis binnen 14 Tagen nach Ihrer Erklärung; wir können die Rückzahlung verweigern, bis wir die Waren zurückerhalten haben oder Sie nachgewiesen haben, dass Sie sie zurückgesandt haben.\n\nHier verfolgen:\n{{status_link}}\n\n{{shop}}",
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Currency;

    fn facts() -> MessageFacts {
        MessageFacts {
            customer_name: "Zoë Lambert".into(),
            email: "zoe@example.test".into(),
            shop_name: "Atelier Démo".into(),
            reference: "R-7K3M-9QXT".into(),
            order_number: "#1001".into(),
            status_link: "https://returns.example.test/demo/status/R-7K3M-9QXT?k=abc".into(),
            explanation: "The seal of the box was broken.".into(),
            fee_refunded: Some(Money::new(495, Currency::EUR)),
            settlement: Some((SettlementKind::Refund, Money::new(4990, Currency::EUR))),
            credit_note: "CN-000001".into(),
            statement: "I hereby give notice that I withdraw.".into(),
            received_at: "2026-11-12 14:45:07 (UTC+01:00) = 2026-11-12 13:45:07 UTC".into(),
        }
    }

    #[test]
    fn every_default_text_is_valid_and_fills_without_leftover_braces() {
        for kind in MessageKind::ALL {
            for locale in Locale::ALL {
                let text = default_text(kind, locale);
                check_text(kind, &text).unwrap_or_else(|e| panic!("{kind} {locale:?}: {e}"));
                let message = compose(kind, locale, &facts(), None).unwrap();
                assert!(
                    !message.subject.contains("{{") && !message.body.contains("{{"),
                    "{kind} {locale:?}"
                );
                assert!(
                    message.subject.contains("R-7K3M-9QXT"),
                    "{kind} {locale:?}: the subject names the reference"
                );
                assert!(
                    message.body.contains("Zoë Lambert") && message.body.contains("#1001"),
                    "{kind} {locale:?}"
                );
                assert!(
                    message
                        .body
                        .contains("https://returns.example.test/demo/status/"),
                    "{kind} {locale:?}: the status link"
                );
            }
        }
    }

    #[test]
    fn default_texts_differ_per_language() {
        for kind in MessageKind::ALL {
            let subjects: std::collections::HashSet<String> = Locale::ALL
                .iter()
                .map(|l| default_text(kind, *l).subject)
                .collect();
            assert_eq!(subjects.len(), 4, "{kind}: one subject per language");
        }
    }

    #[test]
    fn a_rejection_carries_the_explanation_and_the_fee_refund_in_the_shoppers_language() {
        let message = compose(MessageKind::Rejected, Locale::Fr, &facts(), None).unwrap();
        assert!(message.body.contains("The seal of the box was broken."));
        assert!(
            message
                .body
                .contains("Les frais de retour de 4,95\u{a0}€ vous ont été remboursés."),
            "{}",
            message.body
        );
        let german = compose(MessageKind::Rejected, Locale::De, &facts(), None).unwrap();
        assert!(german
            .body
            .contains("Die Rücksendegebühr von 4,95\u{a0}€ wurde Ihnen erstattet."));
    }

    #[test]
    fn without_a_refunded_fee_the_sentence_and_its_blank_line_disappear() {
        let message = compose(
            MessageKind::Rejected,
            Locale::En,
            &MessageFacts {
                fee_refunded: None,
                ..facts()
            },
            None,
        )
        .unwrap();
        assert!(!message.body.contains("fee"));
        assert!(!message.body.contains("\n\n\n"), "{:?}", message.body);
    }

    #[test]
    fn a_settlement_says_how_and_how_much() {
        let refund = compose(MessageKind::Settled, Locale::Nl, &facts(), None).unwrap();
        assert!(
            refund.body.contains("We betalen € 49,90 terug"),
            "{}",
            refund.body
        );
        assert!(refund.body.contains("Creditnota: CN-000001"));
        let credit = MessageFacts {
            settlement: Some((SettlementKind::StoreCredit, Money::new(1200, Currency::EUR))),
            ..facts()
        };
        assert!(compose(MessageKind::Settled, Locale::En, &credit, None)
            .unwrap()
            .body
            .contains("store credit of €12.00"));
    }

    #[test]
    fn an_empty_name_greets_by_email_address() {
        let message = compose(
            MessageKind::Received,
            Locale::En,
            &MessageFacts {
                customer_name: " ".into(),
                ..facts()
            },
            None,
        )
        .unwrap();
        assert!(message.body.starts_with("Hello zoe@example.test,"));
    }

    #[test]
    fn a_merchants_text_replaces_ours_and_keeps_its_placeholders_working() {
        let custom = MessageText {
            subject: "Retour {{ reference }} reçu".into(),
            body: "Merci {{name}} !\n{{status_link}}".into(),
        };
        check_text(MessageKind::Received, &custom).unwrap();
        let message = compose(MessageKind::Received, Locale::Fr, &facts(), Some(&custom)).unwrap();
        assert_eq!(message.subject, "Retour R-7K3M-9QXT reçu");
        assert_eq!(
            message.body,
            "Merci Zoë Lambert !\nhttps://returns.example.test/demo/status/R-7K3M-9QXT?k=abc\n"
        );
    }

    #[test]
    fn bad_merchant_texts_are_refused_with_the_reason() {
        let text = |subject: &str, body: &str| MessageText {
            subject: subject.into(),
            body: body.into(),
        };
        assert_eq!(
            check_text(MessageKind::Received, &text("Hi {{nom}}", "x")),
            Err(TemplateError::UnknownPlaceholder("nom".into()))
        );
        assert_eq!(
            check_text(MessageKind::Received, &text("Hi", "Hello {{name")),
            Err(TemplateError::Unclosed)
        );
        // A placeholder of another message is unknown in this one.
        assert_eq!(
            check_text(MessageKind::Received, &text("Hi", "{{explanation}}")),
            Err(TemplateError::UnknownPlaceholder("explanation".into()))
        );
        assert_eq!(
            check_text(MessageKind::Rejected, &text("No", "Sorry.")),
            Err(TemplateError::Missing("explanation".into()))
        );
        assert_eq!(
            check_text(MessageKind::Received, &text("", "x")),
            Err(TemplateError::BadSubject)
        );
        assert_eq!(
            check_text(MessageKind::Received, &text("a\nb", "x")),
            Err(TemplateError::BadSubject)
        );
        assert_eq!(
            check_text(MessageKind::Received, &text("Hi", &"x".repeat(10_001))),
            Err(TemplateError::BadBody)
        );
        assert_eq!(
            check_text(MessageKind::Received, &text("Hi", "  ")),
            Err(TemplateError::BadBody)
        );
    }

    #[test]
    fn values_cannot_break_the_subject_line() {
        let custom = MessageText {
            subject: "About {{name}}".into(),
            body: "x".into(),
        };
        let facts = MessageFacts {
            customer_name: "Eve\r\nBcc: victim@example.test".into(),
            ..facts()
        };
        let message = compose(MessageKind::Received, Locale::En, &facts, Some(&custom)).unwrap();
        assert!(!message.subject.contains(['\r', '\n']));
    }

    #[test]
    fn values_are_not_read_as_placeholders() {
        let facts = MessageFacts {
            explanation: "Use {{name}} here".into(),
            ..facts()
        };
        let message = compose(MessageKind::Rejected, Locale::En, &facts, None).unwrap();
        assert!(message.body.contains("Use {{name}} here"));
    }

    #[test]
    fn message_kinds_round_trip_their_names() {
        for kind in MessageKind::ALL {
            assert_eq!(kind.as_str().parse::<MessageKind>(), Ok(kind));
        }
        assert!("approved".parse::<MessageKind>().is_err());
    }

    #[test]
    fn retries_back_off_by_doubling_up_to_an_hour() {
        assert_eq!(
            (1..=8).map(|n| retry_delay_secs(30, n)).collect::<Vec<_>>(),
            [30, 60, 120, 240, 480, 960, 1920, 3600]
        );
        assert_eq!(retry_delay_secs(1, 3), 4);
        assert_eq!(
            retry_delay_secs(0, 1),
            1,
            "never zero: a failing server is not hammered"
        );
        assert_eq!(retry_delay_secs(30, u32::MAX), 3600);
    }
}
