//! Shopper data protection (GDPR): how long photos and comments are kept once a request is
//! closed, and the privacy notice every portal page links to.

use serde::{Deserialize, Serialize};

use super::{shop::LocalizedText, DomainError, Locale, ReturnStatus};

/// Photos and comments are deleted this many days after their request closed, unless the
/// shop says otherwise.
pub const DEFAULT_RETENTION_DAYS: u32 = 90;
/// Ten years: longer is not a retention period.
pub const MAX_RETENTION_DAYS: u32 = 3650;
/// A photo uploaded in a wizard that was never submitted goes after a day.
pub const ABANDONED_PHOTO_SECS: i64 = 86_400;
pub const MAX_NOTICE_CHARS: usize = 10_000;
/// An erased order's email becomes `erased-<random>@erased.invalid`: still an address (the
/// order reads as before), never delivered (RFC 2606), and not one anybody can type to find it.
pub const ERASED_EMAIL_DOMAIN: &str = "@erased.invalid";

pub fn erased_email(random: &str) -> String {
    format!("erased-{}{ERASED_EMAIL_DOMAIN}", random.to_ascii_lowercase())
}

/// Whether an address is an erased shopper's: nothing is sent to it.
pub fn is_erased_email(email: &str) -> bool {
    email.ends_with(ERASED_EMAIL_DOMAIN)
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PrivacySettings {
    pub retention_days: u32,
    /// Who shoppers write to about their data; empty shows the shop's name only.
    #[serde(default)]
    pub contact: String,
    /// The shop's own notice per language; an empty one shows ours.
    #[serde(default)]
    pub notice: LocalizedText,
}

impl Default for PrivacySettings {
    fn default() -> Self {
        PrivacySettings {
            retention_days: DEFAULT_RETENTION_DAYS,
            contact: String::new(),
            notice: LocalizedText::default(),
        }
    }
}

impl PrivacySettings {
    pub fn checked(self) -> Result<PrivacySettings, DomainError> {
        if !(1..=MAX_RETENTION_DAYS).contains(&self.retention_days) {
            return Err(DomainError::RetentionOutOfRange);
        }
        let contact = self.contact.trim().to_owned();
        if contact.chars().count() > 254 || contact.contains(['\r', '\n']) {
            return Err(DomainError::PrivacyContactInvalid);
        }
        if Locale::ALL
            .iter()
            .any(|l| self.notice.raw(*l).chars().count() > MAX_NOTICE_CHARS)
        {
            return Err(DomainError::PolicyTooLong);
        }
        Ok(PrivacySettings { contact, ..self })
    }

    /// The notice in `locale`: the shop's text if it wrote one, else ours.
    pub fn notice_text(&self, locale: Locale, shop_name: &str) -> String {
        let own = self.notice.raw(locale).trim();
        if !own.is_empty() {
            return own.to_owned();
        }
        default_notice(locale, shop_name, self.retention_days, &self.contact)
    }
}

/// A request's photos and comments are personal data the shop no longer needs once the
/// request is over.
pub fn is_closed(status: ReturnStatus) -> bool {
    matches!(
        status,
        ReturnStatus::Rejected | ReturnStatus::Settled | ReturnStatus::Cancelled | ReturnStatus::Expired
    )
}

/// Whether a request closed at `closed_at` (Unix seconds) has outlived `retention_days` at `now`.
pub fn purge_due(status: ReturnStatus, closed_at: i64, retention_days: u32, now: i64) -> bool {
    is_closed(status) && now >= closed_at.saturating_add(i64::from(retention_days) * 86_400)
}

/// The newest close time whose request is due at `now`: the store's query bound.
pub fn purge_cutoff(retention_days: u32, now: i64) -> i64 {
    now.saturating_sub(i64::from(retention_days) * 86_400)
}

/// Our privacy notice, in plain words, for a shop that did not write its own.
pub fn default_notice(locale: Locale, shop_name: &str, retention_days: u32, contact: &str) -> String {
    let contact = if contact.is_empty() { shop_name.to_owned() } else { format!("{shop_name} ({contact})") };
    let days = retention_days;
    match locale {
        Locale::En => format!(
            "{shop_name} uses this portal to handle returns and withdrawals.\n\n\
What we store: your order number, name, email and shipping address from your order; the items you return, your reasons and comments, and the photos you upload (their location data and other metadata are removed on upload); the emails we send you; and, for a withdrawal, your statement and when we received it.\n\n\
Why: to handle your return or withdrawal and to keep the accounting records the law requires.\n\n\
How long: photos and comments are deleted {days} days after your request is closed. The request itself stays in our accounts for as long as tax law requires, and your personal details in it are erased if you ask.\n\n\
Your rights: you can ask for a copy of your data, its correction or its erasure. Contact: {contact}."
        ),
        Locale::Fr => format!(
            "{shop_name} utilise ce portail pour traiter les retours et les rétractations.\n\n\
Ce que nous conservons : le numéro, le nom, l'e-mail et l'adresse de livraison de votre commande ; les articles retournés, vos motifs et commentaires, et les photos envoyées (leurs données de localisation et autres métadonnées sont supprimées à l'envoi) ; les e-mails que nous vous envoyons ; et, pour une rétractation, votre déclaration et la date de sa réception.\n\n\
Pourquoi : pour traiter votre retour ou votre rétractation et tenir la comptabilité exigée par la loi.\n\n\
Combien de temps : les photos et commentaires sont supprimés {days} jours après la clôture de votre demande. La demande reste dans notre comptabilité le temps exigé par la loi fiscale, et vos données personnelles y sont effacées sur demande.\n\n\
Vos droits : vous pouvez demander une copie de vos données, leur rectification ou leur effacement. Contact : {contact}."
        ),
        Locale::Nl => format!(
            "{shop_name} gebruikt dit portaal om retouren en herroepingen af te handelen.\n\n\
Wat we bewaren: het bestelnummer, je naam, e-mailadres en bezorgadres van je bestelling; de artikelen die je terugstuurt, je redenen en opmerkingen, en de foto's die je uploadt (locatiegegevens en andere metadata worden bij het uploaden verwijderd); de e-mails die we je sturen; en bij een herroeping je verklaring en het moment van ontvangst.\n\n\
Waarom: om je retour of herroeping af te handelen en de administratie bij te houden die de wet vraagt.\n\n\
Hoe lang: foto's en opmerkingen worden {days} dagen na het afsluiten van je aanvraag verwijderd. De aanvraag zelf blijft in onze administratie zolang de belastingwet dat vraagt; je persoonsgegevens daarin worden op verzoek gewist.\n\n\
Je rechten: je kunt een kopie van je gegevens vragen, of ze laten corrigeren of wissen. Contact: {contact}."
        ),
        Locale::De => format!(
            "{shop_name} nutzt dieses Portal für Rücksendungen und Widerrufe.\n\n\
Was wir speichern: Bestellnummer, Name, E-Mail-Adresse und Lieferadresse Ihrer Bestellung; die zurückgesandten Artikel, Ihre Gründe und Kommentare sowie die hochgeladenen Fotos (Standortdaten und andere Metadaten werden beim Hochladen entfernt); die E-Mails, die wir Ihnen senden; und bei einem Widerruf Ihre Erklärung und den Zeitpunkt ihres Eingangs.\n\n\
Wozu: um Ihre Rücksendung oder Ihren Widerruf abzuwickeln und die gesetzlich vorgeschriebene Buchhaltung zu führen.\n\n\
Wie lange: Fotos und Kommentare werden {days} Tage nach Abschluss Ihrer Anfrage gelöscht. Die Anfrage selbst bleibt so lange in unserer Buchhaltung, wie das Steuerrecht es verlangt; Ihre personenbezogenen Daten darin werden auf Wunsch gelöscht.\n\n\
Ihre Rechte: Sie können eine Kopie Ihrer Daten, deren Berichtigung oder Löschung verlangen. Kontakt: {contact}."
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const DAY: i64 = 86_400;

    #[test]
    fn only_closed_requests_are_purged_and_only_after_the_period() {
        let closed = 1_000_000;
        for status in [ReturnStatus::Rejected, ReturnStatus::Settled, ReturnStatus::Cancelled, ReturnStatus::Expired] {
            assert!(!purge_due(status, closed, 90, closed + 90 * DAY - 1), "{status:?}");
            assert!(purge_due(status, closed, 90, closed + 90 * DAY), "{status:?}");
        }
        for status in [
            ReturnStatus::AwaitingPayment,
            ReturnStatus::Requested,
            ReturnStatus::Approved,
            ReturnStatus::InTransit,
            ReturnStatus::Received,
        ] {
            assert!(!purge_due(status, closed, 1, closed + 10_000 * DAY), "{status:?}");
        }
    }

    #[test]
    fn settings_are_bounded() {
        let ok = PrivacySettings::default();
        assert_eq!(ok.clone().checked().unwrap().retention_days, 90);
        assert_eq!(
            PrivacySettings { retention_days: 0, ..ok.clone() }.checked(),
            Err(DomainError::RetentionOutOfRange)
        );
        assert_eq!(
            PrivacySettings { contact: "a\nb".into(), ..ok.clone() }.checked(),
            Err(DomainError::PrivacyContactInvalid)
        );
        assert_eq!(
            PrivacySettings { contact: "  dpo@shop.example ".into(), ..ok }.checked().unwrap().contact,
            "dpo@shop.example"
        );
    }

    #[test]
    fn the_default_notice_names_the_shop_the_period_and_the_contact_in_each_language() {
        let settings = PrivacySettings { retention_days: 45, contact: "privacy@maison.example".into(), ..Default::default() };
        for locale in Locale::ALL {
            let text = settings.notice_text(locale, "Maison Démo");
            assert!(text.contains("Maison Démo") && text.contains("45") && text.contains("privacy@maison.example"), "{locale:?}: {text}");
        }
        let mut own = settings.clone();
        own.notice.fr = "Notre propre texte.".into();
        assert_eq!(own.notice_text(Locale::Fr, "Maison Démo"), "Notre propre texte.");
        assert!(own.notice_text(Locale::De, "Maison Démo").contains("45 Tage"));
    }

    #[test]
    fn an_erased_address_is_an_address_no_one_types_and_nothing_is_sent_to() {
        let email = erased_email("01KC0ZQ4X8");
        assert_eq!(email, "erased-01kc0zq4x8@erased.invalid");
        assert!(crate::domain::EmailAddress::parse(&email).is_ok());
        assert!(is_erased_email(&email));
        assert!(!is_erased_email("camille@example.fr"));
    }

    proptest! {
        #[test]
        fn the_cutoff_and_the_check_agree(days in 1u32..3650, closed in 0i64..4_000_000_000, now in 0i64..4_000_000_000) {
            prop_assert_eq!(purge_due(ReturnStatus::Settled, closed, days, now), closed <= purge_cutoff(days, now));
        }
    }
}
