//! Every string a shopper reads, in every language the portal speaks. The macro makes a
//! missing translation a compile error rather than an English word in a French page.

use crate::domain::{Locale, Resolution, ReturnMethod};

macro_rules! messages {
    ($($name:ident = $key:literal { en: $en:literal, fr: $fr:literal, nl: $nl:literal, de: $de:literal, })*) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Msg { $($name),* }

        impl Msg {
            pub const ALL: &'static [Msg] = &[$(Msg::$name),*];

            /// The stable key that errors travel with (`DomainError::message_key`…).
            pub fn key(self) -> &'static str {
                match self { $(Msg::$name => $key),* }
            }

            pub fn from_key(key: &str) -> Option<Msg> {
                match key { $($key => Some(Msg::$name),)* _ => None }
            }

            pub fn text(self, locale: Locale) -> &'static str {
                match self {
                    $(Msg::$name => match locale {
                        Locale::En => $en,
                        Locale::Fr => $fr,
                        Locale::Nl => $nl,
                        Locale::De => $de,
                    }),*
                }
            }
        }
    };
}

/// The text of a message key, or the generic "try again" when a key is unknown
/// (an older server, say): never a raw key on screen.
pub fn text_for_key(key: &str, locale: Locale) -> &'static str {
    Msg::from_key(key)
        .unwrap_or(Msg::ErrorTryAgain)
        .text(locale)
}

pub fn resolution_msg(resolution: Resolution) -> Msg {
    match resolution {
        Resolution::Refund => Msg::ResolutionRefund,
        Resolution::Exchange => Msg::ResolutionExchange,
        Resolution::StoreCredit => Msg::ResolutionStoreCredit,
    }
}

pub fn method_msg(method: ReturnMethod) -> Msg {
    match method {
        ReturnMethod::Mail => Msg::MethodMail,
        ReturnMethod::InStore => Msg::MethodInStore,
    }
}

/// Fills `{name}` placeholders.
pub fn fill(template: &str, values: &[(&str, &str)]) -> String {
    values
        .iter()
        .fold(template.to_owned(), |text, (name, value)| {
            text.replace(&format!("{{{name}}}"), value)
        })
}

pub fn format_date(date: time::Date, locale: Locale) -> String {
    let month = date.month() as usize - 1;
    let names: [&str; 12] = match locale {
        Locale::En => [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ],
        Locale::Fr => [
            "janvier",
            "février",
            "mars",
            "avril",
            "mai",
            "juin",
            "juillet",
            "août",
            "septembre",
            "octobre",
            "novembre",
            "décembre",
        ],
        Locale::Nl => [
            "januari",
            "februari",
            "maart",
            "april",
            "mei",
            "juni",
            "juli",
            "augustus",
            "september",
            "oktober",
            "november",
            "december",
        ],
        Locale::De => [
            "Januar",
            "Februar",
            "März",
            "April",
            "Mai",
            "Juni",
            "Juli",
            "August",
            "September",
            "Oktober",
            "November",
            "Dezember",
        ],
    };
    match locale {
        Locale::En => format!("{} {} {}", date.day(), names[month], date.year()),
        Locale::Fr | Locale::Nl => format!("{} {} {}", date.day(), names[month], date.year()),
        Locale::De => format!("{}. {} {}", date.day(), names[month], date.year()),
    }
}

messages! {
    PortalTitle = "portal.title" {
        en: "Returns", fr: "Retours", nl: "Retourneren", de: "Rücksendungen",
    }
    Language = "portal.language" {
        en: "Language", fr: "Langue", nl: "Taal", de: "Sprache",
    }
    StepOf = "portal.step_of" {
        en: "Step {n} of {total}", fr: "Étape {n} sur {total}", nl: "Stap {n} van {total}", de: "Schritt {n} von {total}",
    }
    Back = "portal.back" {
        en: "Back", fr: "Retour", nl: "Terug", de: "Zurück",
    }
    Continue = "portal.continue" {
        en: "Continue", fr: "Continuer", nl: "Doorgaan", de: "Weiter",
    }
    Optional = "portal.optional" {
        en: "optional", fr: "facultatif", nl: "optioneel", de: "optional",
    }
    ShopNotFound = "portal.shop_not_found" {
        en: "This returns portal does not exist.", fr: "Ce portail de retours n'existe pas.",
        nl: "Dit retourportaal bestaat niet.", de: "Dieses Rücksendeportal gibt es nicht.",
    }
    ReturnsDisabled = "portal.returns_disabled" {
        en: "Returns are not handled online for this shop. Please contact the shop directly.",
        fr: "Cette boutique ne gère pas les retours en ligne. Veuillez contacter directement la boutique.",
        nl: "Deze winkel verwerkt retouren niet online. Neem rechtstreeks contact op met de winkel.",
        de: "Dieser Shop wickelt Rücksendungen nicht online ab. Bitte wenden Sie sich direkt an den Shop.",
    }
    Loading = "portal.loading" {
        en: "Loading…", fr: "Chargement…", nl: "Laden…", de: "Wird geladen…",
    }

    // The wording of the entry and the button is each language version's of Directive
    // 2011/83/EU Art. 11a (as added by Directive (EU) 2023/2673).
    WithdrawEntry = "withdrawal.entry" {
        en: "Withdraw from contract here", fr: "Se rétracter du contrat ici", nl: "Hier de overeenkomst herroepen", de: "Vertrag hier widerrufen",
    }
    PrivacyTitle = "privacy.title" {
        en: "Privacy", fr: "Confidentialité", nl: "Privacy", de: "Datenschutz",
    }
    PrivacyLink = "privacy.link" {
        en: "How we handle your data", fr: "Comment nous traitons vos données", nl: "Hoe we met je gegevens omgaan", de: "Wie wir mit Ihren Daten umgehen",
    }
    WithdrawConfirm = "withdrawal.confirm" {
        en: "Confirm withdrawal", fr: "Confirmer la rétractation", nl: "Herroeping bevestigen", de: "Widerruf bestätigen",
    }
    WithdrawTitle = "withdrawal.title" {
        en: "Withdraw from your purchase", fr: "Se rétracter de votre achat", nl: "Je aankoop herroepen", de: "Ihren Kauf widerrufen",
    }
    WithdrawIntro = "withdrawal.intro" {
        en: "You can withdraw from your purchase within {days} days of delivery, without giving any reason. Find your order to start.",
        fr: "Vous pouvez vous rétracter de votre achat dans les {days} jours suivant la livraison, sans avoir à donner de motif. Retrouvez votre commande pour commencer.",
        nl: "Je kunt je aankoop binnen {days} dagen na levering herroepen, zonder een reden op te geven. Zoek eerst je bestelling.",
        de: "Sie können Ihren Kauf binnen {days} Tagen nach Lieferung ohne Angabe von Gründen widerrufen. Suchen Sie zuerst Ihre Bestellung.",
    }
    WithdrawUntil = "withdrawal.until" {
        en: "You can withdraw until {date} inclusive.", fr: "Vous pouvez vous rétracter jusqu'au {date} inclus.",
        nl: "Je kunt herroepen tot en met {date}.", de: "Sie können bis einschließlich {date} widerrufen.",
    }
    WithdrawNotDelivered = "withdrawal.not_delivered" {
        en: "Your order has not been delivered yet: the withdrawal period runs until {days} days after delivery.",
        fr: "Votre commande n'est pas encore livrée : le délai de rétractation court jusqu'à {days} jours après la livraison.",
        nl: "Je bestelling is nog niet geleverd: de herroepingstermijn loopt tot {days} dagen na levering.",
        de: "Ihre Bestellung ist noch nicht geliefert: Die Widerrufsfrist läuft bis {days} Tage nach der Lieferung.",
    }
    WithdrawName = "withdrawal.name" {
        en: "Your name", fr: "Votre nom", nl: "Je naam", de: "Ihr Name",
    }
    WithdrawWhich = "withdrawal.which" {
        en: "What do you withdraw from?", fr: "De quoi vous rétractez-vous ?", nl: "Wat herroep je?", de: "Was widerrufen Sie?",
    }
    WithdrawWholeOrder = "withdrawal.whole_order" {
        en: "The whole order", fr: "Toute la commande", nl: "De hele bestelling", de: "Die gesamte Bestellung",
    }
    WithdrawSomeItems = "withdrawal.some_items" {
        en: "Only some items", fr: "Seulement certains articles", nl: "Alleen sommige artikelen", de: "Nur einzelne Artikel",
    }
    WithdrawUnits = "withdrawal.units" {
        en: "Units", fr: "Quantité", nl: "Aantal", de: "Menge",
    }
    WithdrawEmail = "withdrawal.email" {
        en: "Email address for the acknowledgement", fr: "Adresse e-mail pour l'accusé de réception",
        nl: "E-mailadres voor de ontvangstbevestiging", de: "E-Mail-Adresse für die Eingangsbestätigung",
    }
    WithdrawReview = "withdrawal.review" {
        en: "Check your statement", fr: "Vérifiez votre déclaration", nl: "Controleer je verklaring", de: "Prüfen Sie Ihre Erklärung",
    }
    WithdrawReviewIntro = "withdrawal.review_intro" {
        en: "This is the statement the shop will receive. Nothing is sent until you confirm.",
        fr: "Voici la déclaration que la boutique recevra. Rien n'est envoyé avant votre confirmation.",
        nl: "Dit is de verklaring die de winkel ontvangt. Er wordt niets verstuurd voordat je bevestigt.",
        de: "Dies ist die Erklärung, die der Shop erhält. Nichts wird gesendet, bevor Sie bestätigen.",
    }
    WithdrawSending = "withdrawal.sending" {
        en: "Sending…", fr: "Envoi…", nl: "Versturen…", de: "Wird gesendet…",
    }
    WithdrawReceived = "withdrawal.received" {
        en: "Your withdrawal has been received", fr: "Votre rétractation a bien été reçue", nl: "Je herroeping is ontvangen", de: "Ihr Widerruf ist eingegangen",
    }
    WithdrawReceivedAt = "withdrawal.received_at" {
        en: "Received on", fr: "Reçue le", nl: "Ontvangen op", de: "Eingegangen am",
    }
    WithdrawReference = "withdrawal.reference" {
        en: "Reference", fr: "Référence", nl: "Referentie", de: "Referenz",
    }
    WithdrawAckSent = "withdrawal.ack_sent" {
        en: "An acknowledgement with your statement is on its way to {email}.",
        fr: "Un accusé de réception contenant votre déclaration a été envoyé à {email}.",
        nl: "Een ontvangstbevestiging met je verklaring is onderweg naar {email}.",
        de: "Eine Eingangsbestätigung mit Ihrer Erklärung ist an {email} unterwegs.",
    }
    WithdrawRefundNote = "withdrawal.refund_note" {
        en: "The shop refunds what you paid within 14 days of your statement; it may wait until it has the goods back or you have shown proof of sending them.",
        fr: "La boutique vous rembourse dans les 14 jours suivant votre déclaration ; elle peut attendre d'avoir récupéré les biens ou une preuve de leur expédition.",
        nl: "De winkel betaalt je binnen 14 dagen na je verklaring terug; hij mag wachten tot hij de goederen terug heeft of je hebt aangetoond dat je ze hebt teruggestuurd.",
        de: "Der Shop erstattet Ihnen die Zahlung binnen 14 Tagen nach Ihrer Erklärung; er darf warten, bis er die Waren zurückerhalten oder Sie den Versand nachgewiesen haben.",
    }
    WithdrawDownload = "withdrawal.download" {
        en: "Download the acknowledgement", fr: "Télécharger l'accusé de réception", nl: "Ontvangstbevestiging downloaden", de: "Eingangsbestätigung herunterladen",
    }
    WithdrawFollow = "withdrawal.follow" {
        en: "Follow your withdrawal", fr: "Suivre votre rétractation", nl: "Je herroeping volgen", de: "Ihren Widerruf verfolgen",
    }
    WithdrawKind = "withdrawal.kind" {
        en: "Withdrawal", fr: "Rétractation", nl: "Herroeping", de: "Widerruf",
    }
    WithdrawLineDone = "withdrawal.line_done" {
        en: "Already withdrawn or returned", fr: "Déjà rétracté ou retourné", nl: "Al herroepen of geretourneerd", de: "Bereits widerrufen oder zurückgesandt",
    }
    WithdrawalErrorPeriodOver = "withdrawal.error.period_over" {
        en: "The withdrawal period for this order is over.", fr: "Le délai de rétractation de cette commande est écoulé.",
        nl: "De herroepingstermijn voor deze bestelling is verstreken.", de: "Die Widerrufsfrist für diese Bestellung ist abgelaufen.",
    }
    WithdrawalErrorNotOffered = "withdrawal.error.not_offered" {
        en: "This shop does not take withdrawals through this portal. Please contact the shop directly.",
        fr: "Cette boutique ne reçoit pas les rétractations par ce portail. Veuillez contacter directement la boutique.",
        nl: "Deze winkel ontvangt herroepingen niet via dit portaal. Neem rechtstreeks contact op met de winkel.",
        de: "Dieser Shop nimmt Widerrufe nicht über dieses Portal entgegen. Bitte wenden Sie sich direkt an den Shop.",
    }
    WithdrawalErrorNameMissing = "withdrawal.error.name_missing" {
        en: "Please give your name.", fr: "Veuillez indiquer votre nom.", nl: "Vul je naam in.", de: "Bitte geben Sie Ihren Namen an.",
    }
    WithdrawalErrorNameTooLong = "withdrawal.error.name_too_long" {
        en: "The name can be at most 120 characters long.", fr: "Le nom ne peut pas dépasser 120 caractères.",
        nl: "De naam mag maximaal 120 tekens lang zijn.", de: "Der Name darf höchstens 120 Zeichen lang sein.",
    }
    WithdrawalErrorLineExcluded = "withdrawal.error.line_excluded" {
        en: "The law excludes this item from withdrawal.", fr: "La loi exclut cet article du droit de rétractation.",
        nl: "De wet sluit dit artikel uit van herroeping.", de: "Das Gesetz schließt diesen Artikel vom Widerruf aus.",
    }
    WithdrawalErrorAlreadyWithdrawn = "withdrawal.error.already_withdrawn" {
        en: "We already received a withdrawal or a return for these items.", fr: "Nous avons déjà reçu une rétractation ou un retour pour ces articles.",
        nl: "We hebben al een herroeping of retour voor deze artikelen ontvangen.", de: "Für diese Artikel liegt bereits ein Widerruf oder eine Rücksendung vor.",
    }
    WithdrawalErrorPeriodInvalid = "withdrawal.error.period_invalid" {
        en: "The withdrawal period must be between 14 and 365 days.", fr: "Le délai de rétractation doit être compris entre 14 et 365 jours.",
        nl: "De herroepingstermijn moet tussen 14 en 365 dagen liggen.", de: "Die Widerrufsfrist muss zwischen 14 und 365 Tagen liegen.",
    }
    ExcludedPersonalised = "withdrawal.excluded.personalised" {
        en: "Made to your specifications: the law excludes it from withdrawal.", fr: "Fabriqué selon vos spécifications : la loi l'exclut du droit de rétractation.",
        nl: "Gemaakt volgens jouw specificaties: de wet sluit het uit van herroeping.", de: "Nach Ihren Vorgaben angefertigt: Das Gesetz schließt den Widerruf aus.",
    }
    ExcludedPerishable = "withdrawal.excluded.perishable" {
        en: "Perishable: the law excludes it from withdrawal.", fr: "Périssable : la loi l'exclut du droit de rétractation.",
        nl: "Bederfelijk: de wet sluit het uit van herroeping.", de: "Verderblich: Das Gesetz schließt den Widerruf aus.",
    }
    ExcludedSealedHygiene = "withdrawal.excluded.sealed_hygiene" {
        en: "Sealed for health or hygiene reasons and unsealed after delivery: the law excludes it from withdrawal.",
        fr: "Scellé pour des raisons d'hygiène ou de santé et descellé après la livraison : la loi l'exclut du droit de rétractation.",
        nl: "Verzegeld om gezondheids- of hygiëneredenen en na levering geopend: de wet sluit het uit van herroeping.",
        de: "Aus Gesundheits- oder Hygienegründen versiegelt und nach der Lieferung entsiegelt: Das Gesetz schließt den Widerruf aus.",
    }
    ExcludedMixed = "withdrawal.excluded.mixed" {
        en: "Inseparably mixed with other items after delivery: the law excludes it from withdrawal.",
        fr: "Mélangé de manière indissociable à d'autres articles après la livraison : la loi l'exclut du droit de rétractation.",
        nl: "Na levering onscheidbaar vermengd met andere zaken: de wet sluit het uit van herroeping.",
        de: "Nach der Lieferung untrennbar mit anderen Gütern vermischt: Das Gesetz schließt den Widerruf aus.",
    }
    ExcludedSealedMedia = "withdrawal.excluded.sealed_media" {
        en: "Sealed audio, video or software unsealed after delivery: the law excludes it from withdrawal.",
        fr: "Enregistrement audio, vidéo ou logiciel descellé après la livraison : la loi l'exclut du droit de rétractation.",
        nl: "Verzegelde audio, video of software die na levering is geopend: de wet sluit het uit van herroeping.",
        de: "Versiegelte Audio-, Video- oder Software-Produkte, nach der Lieferung entsiegelt: Das Gesetz schließt den Widerruf aus.",
    }
    ExcludedPeriodical = "withdrawal.excluded.periodical" {
        en: "A newspaper or magazine: the law excludes it from withdrawal.", fr: "Journal ou magazine : la loi l'exclut du droit de rétractation.",
        nl: "Een krant of tijdschrift: de wet sluit het uit van herroeping.", de: "Eine Zeitung oder Zeitschrift: Das Gesetz schließt den Widerruf aus.",
    }

    FindHeading = "find.heading" {
        en: "Find your order", fr: "Retrouvez votre commande", nl: "Zoek je bestelling", de: "Bestellung finden",
    }
    FindIntro = "find.intro" {
        en: "Enter the order number from your confirmation email and the email address you ordered with.",
        fr: "Saisissez le numéro de commande indiqué dans l'e-mail de confirmation et l'adresse e-mail utilisée pour commander.",
        nl: "Vul het bestelnummer uit je bevestigingsmail in en het e-mailadres waarmee je hebt besteld.",
        de: "Geben Sie die Bestellnummer aus Ihrer Bestätigungs-E-Mail und die E-Mail-Adresse Ihrer Bestellung ein.",
    }
    OrderNumber = "find.order_number" {
        en: "Order number", fr: "Numéro de commande", nl: "Bestelnummer", de: "Bestellnummer",
    }
    Email = "find.email" {
        en: "Email address", fr: "Adresse e-mail", nl: "E-mailadres", de: "E-Mail-Adresse",
    }
    FindSubmit = "find.submit" {
        en: "Find my order", fr: "Trouver ma commande", nl: "Bestelling zoeken", de: "Bestellung suchen",
    }
    Searching = "find.searching" {
        en: "Searching…", fr: "Recherche…", nl: "Zoeken…", de: "Suche läuft…",
    }
    ErrorOrderNotFound = "error.order_not_found" {
        en: "We could not find an order with this number and email address. Please check both and try again.",
        fr: "Nous n'avons trouvé aucune commande avec ce numéro et cette adresse e-mail. Vérifiez-les et réessayez.",
        nl: "We hebben geen bestelling gevonden met dit nummer en dit e-mailadres. Controleer beide en probeer het opnieuw.",
        de: "Wir haben keine Bestellung mit dieser Nummer und E-Mail-Adresse gefunden. Bitte prüfen Sie beides und versuchen Sie es erneut.",
    }
    ErrorTooManyAttempts = "error.too_many_attempts" {
        en: "Too many attempts. Please wait a few minutes before trying again.",
        fr: "Trop de tentatives. Veuillez patienter quelques minutes avant de réessayer.",
        nl: "Te veel pogingen. Wacht een paar minuten en probeer het dan opnieuw.",
        de: "Zu viele Versuche. Bitte warten Sie einige Minuten, bevor Sie es erneut versuchen.",
    }

    ItemsHeading = "items.heading" {
        en: "Which items are you returning?", fr: "Quels articles retournez-vous ?", nl: "Welke artikelen stuur je terug?", de: "Welche Artikel senden Sie zurück?",
    }
    OrderPlacedOn = "items.placed_on" {
        en: "Order {number}, placed on {date}", fr: "Commande {number} du {date}", nl: "Bestelling {number} van {date}", de: "Bestellung {number} vom {date}",
    }
    Quantity = "items.quantity" {
        en: "Quantity to return", fr: "Quantité à retourner", nl: "Aantal terug te sturen", de: "Rücksendemenge",
    }
    Ordered = "items.ordered" {
        en: "Ordered: {n}", fr: "Commandé : {n}", nl: "Besteld: {n}", de: "Bestellt: {n}",
    }
    ReturnThisItem = "items.return_this" {
        en: "Return this item", fr: "Retourner cet article", nl: "Dit artikel retourneren", de: "Diesen Artikel zurücksenden",
    }
    IneligibleFinalSale = "ineligible.final_sale" {
        en: "Final sale: this item cannot be returned.", fr: "Vente finale : cet article ne peut pas être retourné.",
        nl: "Definitieve verkoop: dit artikel kan niet worden geretourneerd.", de: "Vom Umtausch ausgeschlossen: Dieser Artikel kann nicht zurückgegeben werden.",
    }
    IneligibleWindowClosed = "ineligible.window_closed" {
        en: "The return period ended on {date}.", fr: "Le délai de retour a pris fin le {date}.",
        nl: "De retourtermijn is verlopen op {date}.", de: "Die Rückgabefrist ist am {date} abgelaufen.",
    }
    IneligibleAlreadyReturned = "ineligible.already_returned" {
        en: "Already returned.", fr: "Déjà retourné.", nl: "Al geretourneerd.", de: "Bereits zurückgesendet.",
    }

    ReasonsHeading = "reasons.heading" {
        en: "Why are you returning them?", fr: "Pourquoi les retournez-vous ?", nl: "Waarom stuur je ze terug?", de: "Warum senden Sie sie zurück?",
    }
    Reason = "reasons.reason" {
        en: "Reason", fr: "Motif", nl: "Reden", de: "Grund",
    }
    ChooseReason = "reasons.choose" {
        en: "Choose a reason", fr: "Choisissez un motif", nl: "Kies een reden", de: "Grund auswählen",
    }
    Comment = "reasons.comment" {
        en: "Comment", fr: "Commentaire", nl: "Opmerking", de: "Kommentar",
    }
    CommentNeeded = "reasons.comment_needed" {
        en: "required for this reason", fr: "obligatoire pour ce motif", nl: "verplicht bij deze reden", de: "für diesen Grund erforderlich",
    }

    PhotosHeading = "photos.heading" {
        en: "Add a photo of each item", fr: "Ajoutez une photo de chaque article", nl: "Voeg een foto van elk artikel toe", de: "Fügen Sie ein Foto jedes Artikels hinzu",
    }
    PhotosIntro = "photos.intro" {
        en: "A clear photo helps the shop handle your return faster. JPEG, PNG or WebP, up to 15 MB.",
        fr: "Une photo nette aide la boutique à traiter votre retour plus vite. JPEG, PNG ou WebP, 15 Mo maximum.",
        nl: "Een duidelijke foto helpt de winkel je retour sneller af te handelen. JPEG, PNG of WebP, maximaal 15 MB.",
        de: "Ein deutliches Foto hilft dem Shop, Ihre Rücksendung schneller zu bearbeiten. JPEG, PNG oder WebP, bis 15 MB.",
    }
    PhotoRequiredBadge = "photos.required" {
        en: "Photo required", fr: "Photo obligatoire", nl: "Foto verplicht", de: "Foto erforderlich",
    }
    ChoosePhoto = "photos.choose" {
        en: "Take or choose a photo", fr: "Prendre ou choisir une photo", nl: "Maak of kies een foto", de: "Foto aufnehmen oder auswählen",
    }
    ReplacePhoto = "photos.replace" {
        en: "Replace photo", fr: "Remplacer la photo", nl: "Foto vervangen", de: "Foto ersetzen",
    }
    RemovePhoto = "photos.remove" {
        en: "Remove photo", fr: "Supprimer la photo", nl: "Foto verwijderen", de: "Foto entfernen",
    }
    Uploading = "photos.uploading" {
        en: "Uploading… {percent}%", fr: "Envoi… {percent} %", nl: "Uploaden… {percent}%", de: "Wird hochgeladen… {percent} %",
    }
    PhotoUploaded = "photos.uploaded" {
        en: "Photo added", fr: "Photo ajoutée", nl: "Foto toegevoegd", de: "Foto hinzugefügt",
    }
    PhotoOf = "photos.photo_of" {
        en: "Photo of {item}", fr: "Photo de {item}", nl: "Foto van {item}", de: "Foto von {item}",
    }
    PhotoNotImage = "photo.not_image" {
        en: "This file is not a photo. Please choose a JPEG, PNG or WebP image.",
        fr: "Ce fichier n'est pas une photo. Choisissez une image JPEG, PNG ou WebP.",
        nl: "Dit bestand is geen foto. Kies een JPEG-, PNG- of WebP-afbeelding.",
        de: "Diese Datei ist kein Foto. Bitte wählen Sie ein JPEG-, PNG- oder WebP-Bild.",
    }
    PhotoTooLarge = "photo.too_large" {
        en: "This photo is larger than 15 MB. Please choose a smaller one.",
        fr: "Cette photo dépasse 15 Mo. Choisissez-en une plus petite.",
        nl: "Deze foto is groter dan 15 MB. Kies een kleinere.",
        de: "Dieses Foto ist größer als 15 MB. Bitte wählen Sie ein kleineres.",
    }
    PhotoTooManyPixels = "photo.too_many_pixels" {
        en: "This image has too many pixels (over 50 megapixels). Please choose a smaller one.",
        fr: "Cette image comporte trop de pixels (plus de 50 mégapixels). Choisissez-en une plus petite.",
        nl: "Deze afbeelding heeft te veel pixels (meer dan 50 megapixel). Kies een kleinere.",
        de: "Dieses Bild hat zu viele Pixel (über 50 Megapixel). Bitte wählen Sie ein kleineres.",
    }
    PhotoHeic = "photo.heic" {
        en: "HEIC photos cannot be read. Please choose a JPEG, or set your iPhone camera to “Most Compatible”.",
        fr: "Les photos HEIC ne peuvent pas être lues. Choisissez un JPEG ou réglez l'appareil photo de votre iPhone sur « Le plus compatible ».",
        nl: "HEIC-foto's kunnen niet worden gelezen. Kies een JPEG of zet de camera van je iPhone op 'Meest compatibel'.",
        de: "HEIC-Fotos können nicht gelesen werden. Bitte wählen Sie ein JPEG oder stellen Sie die iPhone-Kamera auf „Maximale Kompatibilität“.",
    }
    PhotoUnsupported = "photo.unsupported" {
        en: "This file type is not supported. Please choose a JPEG, PNG or WebP photo.",
        fr: "Ce type de fichier n'est pas pris en charge. Choisissez une photo JPEG, PNG ou WebP.",
        nl: "Dit bestandstype wordt niet ondersteund. Kies een JPEG-, PNG- of WebP-foto.",
        de: "Dieser Dateityp wird nicht unterstützt. Bitte wählen Sie ein JPEG-, PNG- oder WebP-Foto.",
    }
    PhotoCorrupt = "photo.corrupt" {
        en: "This photo is damaged or incomplete and cannot be read. Please choose another one.",
        fr: "Cette photo est endommagée ou incomplète et ne peut pas être lue. Choisissez-en une autre.",
        nl: "Deze foto is beschadigd of onvolledig en kan niet worden gelezen. Kies een andere.",
        de: "Dieses Foto ist beschädigt oder unvollständig und kann nicht gelesen werden. Bitte wählen Sie ein anderes.",
    }
    PhotoEmpty = "photo.empty" {
        en: "This file is empty. Please choose a photo.", fr: "Ce fichier est vide. Choisissez une photo.",
        nl: "Dit bestand is leeg. Kies een foto.", de: "Diese Datei ist leer. Bitte wählen Sie ein Foto.",
    }
    UploadFailed = "photo.upload_failed" {
        en: "The upload failed. Check your connection and try again; your other answers are kept.",
        fr: "L'envoi a échoué. Vérifiez votre connexion et réessayez ; vos autres réponses sont conservées.",
        nl: "Het uploaden is mislukt. Controleer je verbinding en probeer het opnieuw; je andere antwoorden blijven bewaard.",
        de: "Das Hochladen ist fehlgeschlagen. Prüfen Sie Ihre Verbindung und versuchen Sie es erneut; Ihre übrigen Angaben bleiben erhalten.",
    }

    OutcomeHeading = "outcome.heading" {
        en: "What would you like?", fr: "Que souhaitez-vous ?", nl: "Wat wil je?", de: "Was möchten Sie?",
    }
    ResolutionLegend = "outcome.resolution" {
        en: "In exchange for your return", fr: "En échange de votre retour", nl: "In ruil voor je retour", de: "Im Gegenzug für Ihre Rücksendung",
    }
    ResolutionRefund = "resolution.refund" {
        en: "Refund to my original payment method", fr: "Remboursement sur mon moyen de paiement", nl: "Terugbetaling via mijn betaalmethode", de: "Erstattung auf mein Zahlungsmittel",
    }
    ResolutionExchange = "resolution.exchange" {
        en: "Exchange for another size or colour", fr: "Échange contre une autre taille ou couleur", nl: "Ruilen voor een andere maat of kleur", de: "Umtausch in eine andere Größe oder Farbe",
    }
    ResolutionStoreCredit = "resolution.store_credit" {
        en: "Store credit", fr: "Avoir en boutique", nl: "Tegoed in de winkel", de: "Gutschrift im Shop",
    }
    MethodLegend = "outcome.method" {
        en: "How will you send it back?", fr: "Comment allez-vous le renvoyer ?", nl: "Hoe stuur je het terug?", de: "Wie senden Sie es zurück?",
    }
    MethodMail = "method.mail" {
        en: "By post or at a parcel drop-off point", fr: "Par la poste ou en point relais", nl: "Per post of bij een pakketpunt", de: "Per Post oder an einer Paketannahmestelle",
    }
    MethodInStore = "method.in_store" {
        en: "I'll bring it to a shop", fr: "Je le rapporte en magasin", nl: "Ik breng het naar een winkel", de: "Ich bringe es in ein Geschäft",
    }

    ReviewHeading = "review.heading" {
        en: "Check and send your request", fr: "Vérifiez et envoyez votre demande", nl: "Controleer en verstuur je aanvraag", de: "Prüfen und absenden",
    }
    Edit = "review.edit" {
        en: "Change", fr: "Modifier", nl: "Wijzigen", de: "Ändern",
    }
    Submit = "review.submit" {
        en: "Send my return request", fr: "Envoyer ma demande de retour", nl: "Retouraanvraag versturen", de: "Rücksendeanfrage senden",
    }
    Submitting = "review.submitting" {
        en: "Sending…", fr: "Envoi en cours…", nl: "Versturen…", de: "Wird gesendet…",
    }
    NoPhoto = "review.no_photo" {
        en: "No photo", fr: "Pas de photo", nl: "Geen foto", de: "Kein Foto",
    }

    DoneHeading = "done.heading" {
        en: "Your return request has been sent", fr: "Votre demande de retour a été envoyée", nl: "Je retouraanvraag is verstuurd", de: "Ihre Rücksendeanfrage wurde gesendet",
    }
    YourReference = "done.reference" {
        en: "Your return reference", fr: "Votre référence de retour", nl: "Je retourreferentie", de: "Ihre Rücksendenummer",
    }
    DoneNext = "done.next" {
        en: "Keep this reference. You can follow your return at any time from the link below.",
        fr: "Conservez cette référence. Vous pouvez suivre votre retour à tout moment grâce au lien ci-dessous.",
        nl: "Bewaar deze referentie. Via de link hieronder kun je je retour altijd volgen.",
        de: "Bewahren Sie diese Nummer auf. Über den Link unten können Sie Ihre Rücksendung jederzeit verfolgen.",
    }
    FollowReturn = "done.follow" {
        en: "Follow my return", fr: "Suivre mon retour", nl: "Mijn retour volgen", de: "Rücksendung verfolgen",
    }
    StartAnother = "done.another" {
        en: "Return other items", fr: "Retourner d'autres articles", nl: "Andere artikelen retourneren", de: "Weitere Artikel zurücksenden",
    }

    StatusHeading = "status.heading" {
        en: "Return {reference}", fr: "Retour {reference}", nl: "Retour {reference}", de: "Rücksendung {reference}",
    }
    StatusRequestedOn = "status.requested_on" {
        en: "Requested on {date} for order {number}", fr: "Demandé le {date} pour la commande {number}",
        nl: "Aangevraagd op {date} voor bestelling {number}", de: "Angefragt am {date} für Bestellung {number}",
    }
    StatusCurrent = "status.current" {
        en: "Current status", fr: "Statut actuel", nl: "Huidige status", de: "Aktueller Status",
    }
    StatusHistory = "status.history" {
        en: "History", fr: "Historique", nl: "Geschiedenis", de: "Verlauf",
    }
    StatusNotFound = "status.not_found" {
        en: "This return could not be found. Please use the link from your confirmation.",
        fr: "Ce retour est introuvable. Utilisez le lien de votre confirmation.",
        nl: "Deze retour is niet gevonden. Gebruik de link uit je bevestiging.",
        de: "Diese Rücksendung wurde nicht gefunden. Bitte verwenden Sie den Link aus Ihrer Bestätigung.",
    }
    StatusExplanation = "status.explanation" {
        en: "Message from the shop", fr: "Message de la boutique", nl: "Bericht van de winkel", de: "Nachricht des Shops",
    }
    StatusKeepItems = "status.keep_items" {
        en: "Approved: you do not need to send anything back. Please keep the items.", fr: "Accepté : vous n'avez rien à renvoyer. Gardez les articles.",
        nl: "Goedgekeurd: je hoeft niets terug te sturen. Je mag de artikelen houden.", de: "Genehmigt: Sie müssen nichts zurücksenden. Bitte behalten Sie die Artikel.",
    }
    StatusSettledRefund = "status.settled_refund" {
        en: "Refunded: {amount}", fr: "Remboursé : {amount}", nl: "Terugbetaald: {amount}", de: "Erstattet: {amount}",
    }
    StatusSettledCredit = "status.settled_credit" {
        en: "Store credit issued: {amount}", fr: "Avoir émis : {amount}", nl: "Tegoed uitgegeven: {amount}", de: "Gutschrift ausgestellt: {amount}",
    }
    StatusSettledExchange = "status.settled_exchange" {
        en: "Your replacement is on its way.", fr: "Votre article de remplacement est en route.", nl: "Je vervangende artikel is onderweg.", de: "Ihr Ersatzartikel ist unterwegs.",
    }
    FeeLabel = "fee.label" {
        en: "Return fee", fr: "Frais de retour", nl: "Retourkosten", de: "Rücksendegebühr",
    }
    FeeFree = "fee.free" {
        en: "Free", fr: "Gratuit", nl: "Gratis", de: "Kostenlos",
    }
    FeeLegend = "fee.legend" {
        en: "How would you like to pay the return fee?", fr: "Comment souhaitez-vous régler les frais de retour ?",
        nl: "Hoe wil je de retourkosten betalen?", de: "Wie möchten Sie die Rücksendegebühr bezahlen?",
    }
    FeePayNow = "fee.pay_now" {
        en: "Pay it now", fr: "Les payer maintenant", nl: "Nu betalen", de: "Jetzt bezahlen",
    }
    FeeDeduct = "fee.deduct" {
        en: "Keep it out of my refund", fr: "Les déduire de mon remboursement", nl: "Van mijn terugbetaling aftrekken", de: "Von meiner Erstattung abziehen",
    }
    FeePaid = "fee.paid" {
        en: "Paid", fr: "Payés", nl: "Betaald", de: "Bezahlt",
    }
    FeeRefunded = "fee.refunded" {
        en: "Refunded", fr: "Remboursés", nl: "Terugbetaald", de: "Erstattet",
    }
    FeeDeducted = "fee.deducted" {
        en: "Kept out of your refund", fr: "Déduits de votre remboursement", nl: "Afgetrokken van je terugbetaling", de: "Wird von Ihrer Erstattung abgezogen",
    }
    FeeToPay = "fee.to_pay" {
        en: "To pay", fr: "À payer", nl: "Te betalen", de: "Zu bezahlen",
    }
    SubmitAndPay = "review.submit_and_pay" {
        en: "Send and pay {amount}", fr: "Envoyer et payer {amount}", nl: "Versturen en {amount} betalen", de: "Senden und {amount} bezahlen",
    }
    PaymentNewTab = "payment.new_tab" {
        en: "The payment page opens in a new tab. Once you have paid, follow your return below.",
        fr: "La page de paiement s'ouvre dans un nouvel onglet. Une fois le paiement fait, suivez votre retour ci-dessous.",
        nl: "De betaalpagina opent in een nieuw tabblad. Volg na het betalen je retour hieronder.",
        de: "Die Zahlungsseite öffnet sich in einem neuen Tab. Verfolgen Sie nach der Zahlung Ihre Rücksendung unten.",
    }
    AwaitingPaymentNote = "payment.awaiting" {
        en: "Your request is saved. It reaches the shop once the return fee is paid.",
        fr: "Votre demande est enregistrée. Elle sera transmise à la boutique dès le paiement des frais de retour.",
        nl: "Je aanvraag is opgeslagen. De winkel ontvangt hem zodra de retourkosten zijn betaald.",
        de: "Ihre Anfrage ist gespeichert. Sie erreicht den Shop, sobald die Rücksendegebühr bezahlt ist.",
    }
    PayFee = "payment.pay" {
        en: "Pay the return fee ({amount})", fr: "Payer les frais de retour ({amount})", nl: "Retourkosten betalen ({amount})", de: "Rücksendegebühr bezahlen ({amount})",
    }
    CancelRequest = "status.cancel" {
        en: "Cancel this request", fr: "Annuler cette demande", nl: "Deze aanvraag annuleren", de: "Diese Anfrage stornieren",
    }
    DownloadLabel = "status.download_label" {
        en: "Download the return label (PDF)", fr: "Télécharger l'étiquette de retour (PDF)", nl: "Retourlabel downloaden (PDF)", de: "Rücksendeetikett herunterladen (PDF)",
    }
    DropOffCode = "status.drop_off_code" {
        en: "No printer? Show this code at the drop-off point.", fr: "Pas d'imprimante ? Montrez ce code au point de dépôt.",
        nl: "Geen printer? Laat deze code zien bij het afgiftepunt.", de: "Kein Drucker? Zeigen Sie diesen Code an der Abgabestelle.",
    }
    TestCheckoutHeading = "test_checkout.heading" {
        en: "Test payment", fr: "Paiement de test", nl: "Testbetaling", de: "Testzahlung",
    }
    TestCheckoutNotice = "test_checkout.notice" {
        en: "This is a test checkout: no money moves. It stands in for a real payment provider.",
        fr: "Ceci est un paiement de test : aucun argent n'est débité. Il remplace un vrai prestataire de paiement.",
        nl: "Dit is een testbetaling: er wordt geen geld overgemaakt. Ze staat in voor een echte betaalprovider.",
        de: "Dies ist eine Testzahlung: Es fließt kein Geld. Sie steht für einen echten Zahlungsanbieter.",
    }
    TestCheckoutPay = "test_checkout.pay" {
        en: "Pay {amount}", fr: "Payer {amount}", nl: "{amount} betalen", de: "{amount} bezahlen",
    }
    TestCheckoutDecline = "test_checkout.decline" {
        en: "Decline the payment", fr: "Refuser le paiement", nl: "Betaling weigeren", de: "Zahlung ablehnen",
    }
    PaymentDeclined = "payment.declined" {
        en: "The payment did not go through and nothing was charged. You can try again.",
        fr: "Le paiement n'a pas abouti et rien n'a été débité. Vous pouvez réessayer.",
        nl: "De betaling is niet gelukt en er is niets afgeschreven. Je kunt het opnieuw proberen.",
        de: "Die Zahlung ist nicht durchgegangen, es wurde nichts abgebucht. Sie können es erneut versuchen.",
    }
    ErrorPaymentUnavailable = "error.payment_unavailable" {
        en: "Payments cannot be taken right now. Please try again in a few minutes.",
        fr: "Les paiements sont momentanément indisponibles. Réessayez dans quelques minutes.",
        nl: "Betalen is op dit moment niet mogelijk. Probeer het over een paar minuten opnieuw.",
        de: "Zahlungen sind gerade nicht möglich. Bitte versuchen Sie es in einigen Minuten erneut.",
    }
    ErrorFeeInvalid = "error.fee_invalid" {
        en: "A return fee must be between 0.01 and 1,000.", fr: "Les frais de retour doivent être compris entre 0,01 et 1 000.",
        nl: "Retourkosten moeten tussen 0,01 en 1.000 liggen.", de: "Eine Rücksendegebühr muss zwischen 0,01 und 1.000 liegen.",
    }
    ErrorFeeDeductionNotOffered = "error.fee_deduction_not_offered" {
        en: "The fee can be kept out of a refund only. Please pay it now or choose a refund.",
        fr: "Les frais ne peuvent être déduits que d'un remboursement. Payez-les maintenant ou choisissez un remboursement.",
        nl: "De kosten kunnen alleen van een terugbetaling worden afgetrokken. Betaal nu of kies een terugbetaling.",
        de: "Die Gebühr kann nur von einer Erstattung abgezogen werden. Bezahlen Sie jetzt oder wählen Sie eine Erstattung.",
    }
    StatusAwaitingPayment = "status.awaiting_payment" {
        en: "Waiting for the return fee", fr: "En attente des frais de retour", nl: "Wacht op de retourkosten", de: "Rücksendegebühr ausstehend",
    }
    StatusRequested = "status.requested" {
        en: "Requested: the shop will review it", fr: "Demandé : la boutique va l'examiner", nl: "Aangevraagd: de winkel bekijkt het", de: "Angefragt: Der Shop prüft sie",
    }
    StatusApproved = "status.approved" {
        en: "Approved", fr: "Accepté", nl: "Goedgekeurd", de: "Genehmigt",
    }
    StatusRejected = "status.rejected" {
        en: "Declined", fr: "Refusé", nl: "Afgewezen", de: "Abgelehnt",
    }
    StatusInTransit = "status.in_transit" {
        en: "On its way back", fr: "En cours d'acheminement", nl: "Onderweg terug", de: "Auf dem Rückweg",
    }
    StatusReceived = "status.received" {
        en: "Received by the shop", fr: "Reçu par la boutique", nl: "Ontvangen door de winkel", de: "Beim Shop eingegangen",
    }
    StatusSettled = "status.settled" {
        en: "Completed", fr: "Terminé", nl: "Afgerond", de: "Abgeschlossen",
    }
    StatusCancelled = "status.cancelled" {
        en: "Cancelled", fr: "Annulé", nl: "Geannuleerd", de: "Storniert",
    }
    StatusExpired = "status.expired" {
        en: "Expired", fr: "Expiré", nl: "Verlopen", de: "Abgelaufen",
    }

    ErrorTryAgain = "error.try_again" {
        en: "Something went wrong on our side. Please try again.", fr: "Un problème est survenu de notre côté. Veuillez réessayer.",
        nl: "Er ging iets mis aan onze kant. Probeer het opnieuw.", de: "Bei uns ist etwas schiefgelaufen. Bitte versuchen Sie es erneut.",
    }
    ErrorOffline = "error.offline" {
        en: "We could not reach the server. Check your connection and try again.", fr: "Impossible de joindre le serveur. Vérifiez votre connexion et réessayez.",
        nl: "De server is niet bereikbaar. Controleer je verbinding en probeer het opnieuw.", de: "Der Server ist nicht erreichbar. Prüfen Sie Ihre Verbindung und versuchen Sie es erneut.",
    }
    ErrorSessionExpired = "error.session_expired" {
        en: "Your session has expired. Please find your order again.", fr: "Votre session a expiré. Veuillez retrouver votre commande à nouveau.",
        nl: "Je sessie is verlopen. Zoek je bestelling opnieuw op.", de: "Ihre Sitzung ist abgelaufen. Bitte suchen Sie Ihre Bestellung erneut.",
    }
    ErrorInvalidTransition = "error.invalid_transition" {
        en: "This return can no longer be changed this way.", fr: "Ce retour ne peut plus être modifié de cette façon.",
        nl: "Deze retour kan niet meer op deze manier worden gewijzigd.", de: "Diese Rücksendung kann so nicht mehr geändert werden.",
    }
    ErrorOrderNumberInvalid = "error.order_number_invalid" {
        en: "Please enter your order number as shown in your confirmation email.", fr: "Saisissez le numéro de commande tel qu'il figure dans l'e-mail de confirmation.",
        nl: "Vul je bestelnummer in zoals het in je bevestigingsmail staat.", de: "Bitte geben Sie die Bestellnummer so ein, wie sie in Ihrer Bestätigungs-E-Mail steht.",
    }
    ErrorEmailInvalid = "error.email_invalid" {
        en: "Please enter a valid email address.", fr: "Saisissez une adresse e-mail valide.", nl: "Vul een geldig e-mailadres in.", de: "Bitte geben Sie eine gültige E-Mail-Adresse ein.",
    }
    ErrorNothingSelected = "error.nothing_selected" {
        en: "Select at least one item to return.", fr: "Sélectionnez au moins un article à retourner.", nl: "Selecteer minstens één artikel om te retourneren.", de: "Wählen Sie mindestens einen Artikel aus.",
    }
    ErrorDuplicateLine = "error.duplicate_line" {
        en: "This item was selected twice.", fr: "Cet article a été sélectionné deux fois.", nl: "Dit artikel is twee keer geselecteerd.", de: "Dieser Artikel wurde zweimal ausgewählt.",
    }
    ErrorUnknownLine = "error.unknown_line" {
        en: "This item is not part of your order.", fr: "Cet article ne fait pas partie de votre commande.", nl: "Dit artikel hoort niet bij je bestelling.", de: "Dieser Artikel gehört nicht zu Ihrer Bestellung.",
    }
    ErrorLineNotReturnable = "error.line_not_returnable" {
        en: "This item can no longer be returned.", fr: "Cet article ne peut plus être retourné.", nl: "Dit artikel kan niet meer worden geretourneerd.", de: "Dieser Artikel kann nicht mehr zurückgesendet werden.",
    }
    ErrorQuantityTooHigh = "error.quantity_too_high" {
        en: "You cannot return more units than are left to return.", fr: "Vous ne pouvez pas retourner plus d'unités qu'il n'en reste.",
        nl: "Je kunt niet meer stuks retourneren dan er nog over zijn.", de: "Sie können nicht mehr Stück zurücksenden, als noch übrig sind.",
    }
    ErrorQuantityZero = "error.quantity_zero" {
        en: "Choose at least one unit.", fr: "Choisissez au moins une unité.", nl: "Kies minstens één stuk.", de: "Wählen Sie mindestens ein Stück.",
    }
    ErrorUnknownReason = "error.unknown_reason" {
        en: "Please choose a reason from the list.", fr: "Choisissez un motif dans la liste.", nl: "Kies een reden uit de lijst.", de: "Bitte wählen Sie einen Grund aus der Liste.",
    }
    ErrorCommentRequired = "error.comment_required" {
        en: "Please tell us a little more in the comment.", fr: "Merci de préciser dans le commentaire.", nl: "Licht het graag toe in de opmerking.", de: "Bitte erläutern Sie es im Kommentar.",
    }
    ErrorCommentTooLong = "error.comment_too_long" {
        en: "The comment is too long (500 characters at most).", fr: "Le commentaire est trop long (500 caractères maximum).",
        nl: "De opmerking is te lang (maximaal 500 tekens).", de: "Der Kommentar ist zu lang (höchstens 500 Zeichen).",
    }
    ErrorPhotoRequired = "error.photo_required" {
        en: "Please add a photo of this item.", fr: "Ajoutez une photo de cet article.", nl: "Voeg een foto van dit artikel toe.", de: "Bitte fügen Sie ein Foto dieses Artikels hinzu.",
    }
    ErrorResolutionNotOffered = "error.resolution_not_offered" {
        en: "Please choose one of the options offered.", fr: "Choisissez l'une des options proposées.", nl: "Kies een van de aangeboden opties.", de: "Bitte wählen Sie eine der angebotenen Möglichkeiten.",
    }
    ErrorReturnMethodNotOffered = "error.return_method_not_offered" {
        en: "Please choose how you will send the items back.", fr: "Choisissez comment vous renverrez les articles.", nl: "Kies hoe je de artikelen terugstuurt.", de: "Bitte wählen Sie, wie Sie die Artikel zurücksenden.",
    }
    ErrorCurrencyMismatch = "error.currency_mismatch" {
        en: "Amounts in different currencies cannot be combined.", fr: "Des montants en devises différentes ne peuvent pas être additionnés.",
        nl: "Bedragen in verschillende valuta kunnen niet worden opgeteld.", de: "Beträge in verschiedenen Währungen können nicht addiert werden.",
    }
    ErrorReferenceInvalid = "error.reference_invalid" {
        en: "This is not a return reference.", fr: "Ceci n'est pas une référence de retour.", nl: "Dit is geen retourreferentie.", de: "Dies ist keine Rücksendenummer.",
    }
    ErrorNotFound = "error.not_found" {
        en: "Not found.", fr: "Introuvable.", nl: "Niet gevonden.", de: "Nicht gefunden.",
    }
    ErrorExplanationRequired = "error.explanation_required" {
        en: "Write an explanation for the shopper.", fr: "Rédigez une explication pour le client.", nl: "Schrijf een toelichting voor de klant.", de: "Schreiben Sie eine Begründung für den Kunden.",
    }
    ErrorNoteTooLong = "error.note_too_long" {
        en: "The text is longer than 2000 characters.", fr: "Le texte dépasse 2000 caractères.", nl: "De tekst is langer dan 2000 tekens.", de: "Der Text ist länger als 2000 Zeichen.",
    }
    ErrorNoteEmpty = "error.note_empty" {
        en: "The note is empty.", fr: "La note est vide.", nl: "De notitie is leeg.", de: "Die Notiz ist leer.",
    }
    ErrorAdjustmentReasonRequired = "error.adjustment_reason_required" {
        en: "Say why the amount was changed.", fr: "Indiquez pourquoi le montant a été modifié.", nl: "Geef aan waarom het bedrag is gewijzigd.", de: "Geben Sie an, warum der Betrag geändert wurde.",
    }
    ErrorAmountOutOfRange = "error.amount_out_of_range" {
        en: "The amount must be between zero and what was paid for the returned items.", fr: "Le montant doit être compris entre zéro et le prix payé pour les articles retournés.",
        nl: "Het bedrag moet tussen nul en het betaalde bedrag voor de geretourneerde artikelen liggen.", de: "Der Betrag muss zwischen null und dem für die zurückgesandten Artikel gezahlten Preis liegen.",
    }
    ErrorReplacementRequired = "error.replacement_required" {
        en: "Name the replacement item.", fr: "Indiquez l'article de remplacement.", nl: "Vermeld het vervangende artikel.", de: "Nennen Sie den Ersatzartikel.",
    }
    ErrorReceiptIncomplete = "error.receipt_incomplete" {
        en: "Record every item of the return, even those that did not arrive (quantity 0).", fr: "Enregistrez chaque article du retour, même ceux qui ne sont pas arrivés (quantité 0).",
        nl: "Registreer elk artikel van de retour, ook wat niet is aangekomen (aantal 0).", de: "Erfassen Sie jeden Artikel der Rücksendung, auch nicht angekommene (Menge 0).",
    }
    ErrorUnauthorized = "error.unauthorized" {
        en: "Please sign in again.", fr: "Veuillez vous reconnecter.", nl: "Log opnieuw in.", de: "Bitte melden Sie sich erneut an.",
    }
    ErrorForbidden = "error.forbidden" {
        en: "You are not allowed to do this.", fr: "Vous n'êtes pas autorisé à faire cela.", nl: "Je mag dit niet doen.", de: "Dazu sind Sie nicht berechtigt.",
    }
    ErrorConflict = "error.conflict" {
        en: "Someone else changed this return meanwhile. Reload to see the latest version.", fr: "Quelqu'un d'autre a modifié ce retour entre-temps. Rechargez pour voir la dernière version.",
        nl: "Iemand anders heeft deze retour intussen gewijzigd. Herlaad om de nieuwste versie te zien.", de: "Jemand anderes hat diese Rücksendung inzwischen geändert. Laden Sie neu, um den aktuellen Stand zu sehen.",
    }
    ErrorShopNameInvalid = "error.shop_name_invalid" {
        en: "Give the shop a name of at most 80 characters.", fr: "Donnez à la boutique un nom de 80 caractères au plus.",
        nl: "Geef de winkel een naam van maximaal 80 tekens.", de: "Geben Sie dem Shop einen Namen mit höchstens 80 Zeichen.",
    }
    ErrorLanguagesInvalid = "error.languages_invalid" {
        en: "Choose at least one language, including the default language.", fr: "Choisissez au moins une langue, dont la langue par défaut.",
        nl: "Kies minstens één taal, waaronder de standaardtaal.", de: "Wählen Sie mindestens eine Sprache, einschließlich der Standardsprache.",
    }
    ErrorReturnWindowOutOfRange = "error.return_window_out_of_range" {
        en: "The return window must be between 1 and 365 days.", fr: "Le délai de retour doit être compris entre 1 et 365 jours.",
        nl: "De retourtermijn moet tussen 1 en 365 dagen liggen.", de: "Die Rückgabefrist muss zwischen 1 und 365 Tagen liegen.",
    }
    ErrorWithdrawalPeriodOutOfRange = "error.withdrawal_period_out_of_range" {
        en: "The withdrawal period must be between 14 and 365 days: the law gives consumers 14 days at least.", fr: "Le délai de rétractation doit être compris entre 14 et 365 jours : la loi donne au moins 14 jours au consommateur.",
        nl: "De herroepingstermijn moet tussen 14 en 365 dagen liggen: de wet geeft consumenten minstens 14 dagen.", de: "Die Widerrufsfrist muss zwischen 14 und 365 Tagen liegen: Das Gesetz gibt Verbrauchern mindestens 14 Tage.",
    }
    ErrorRetentionOutOfRange = "error.retention_out_of_range" {
        en: "Keep photos and comments between 1 and 3650 days after a request closes.", fr: "Conservez photos et commentaires entre 1 et 3650 jours après la clôture d'une demande.",
        nl: "Bewaar foto's en opmerkingen tussen 1 en 3650 dagen na het afsluiten van een aanvraag.", de: "Bewahren Sie Fotos und Kommentare zwischen 1 und 3650 Tagen nach Abschluss einer Anfrage auf.",
    }
    ErrorPrivacyContactInvalid = "error.privacy_contact_invalid" {
        en: "The privacy contact is one line of at most 254 characters.", fr: "Le contact pour la vie privée tient sur une ligne de 254 caractères au plus.",
        nl: "Het privacycontact is één regel van maximaal 254 tekens.", de: "Der Datenschutzkontakt ist eine Zeile mit höchstens 254 Zeichen.",
    }
    ErrorReasonsInvalid = "error.reasons_invalid" {
        en: "Offer between 1 and 30 return reasons.", fr: "Proposez entre 1 et 30 motifs de retour.",
        nl: "Bied tussen 1 en 30 retourredenen aan.", de: "Bieten Sie zwischen 1 und 30 Rückgabegründe an.",
    }
    ErrorReasonCodeInvalid = "error.reason_code_invalid" {
        en: "A reason code uses only lowercase letters, digits and underscores (at most 40).", fr: "Un code de motif ne contient que des minuscules, des chiffres et des tirets bas (40 au plus).",
        nl: "Een redencode bevat alleen kleine letters, cijfers en underscores (maximaal 40).", de: "Ein Grundcode enthält nur Kleinbuchstaben, Ziffern und Unterstriche (höchstens 40).",
    }
    ErrorReasonCodeDuplicate = "error.reason_code_duplicate" {
        en: "Two reasons have the same code.", fr: "Deux motifs ont le même code.", nl: "Twee redenen hebben dezelfde code.", de: "Zwei Gründe haben denselben Code.",
    }
    ErrorReasonLabelInvalid = "error.reason_label_invalid" {
        en: "Each reason needs an English label; labels have at most 80 characters.", fr: "Chaque motif a besoin d'un libellé en anglais ; 80 caractères au plus par libellé.",
        nl: "Elke reden heeft een Engels label nodig; labels hebben maximaal 80 tekens.", de: "Jeder Grund braucht eine englische Bezeichnung; höchstens 80 Zeichen pro Bezeichnung.",
    }
    ErrorResolutionsEmpty = "error.resolutions_empty" {
        en: "Offer at least one resolution.", fr: "Proposez au moins une solution.", nl: "Bied minstens één oplossing aan.", de: "Bieten Sie mindestens eine Lösung an.",
    }
    ErrorMethodsEmpty = "error.methods_empty" {
        en: "Offer at least one way to send items back.", fr: "Proposez au moins un mode de renvoi.", nl: "Bied minstens één manier van terugsturen aan.", de: "Bieten Sie mindestens eine Rücksendeart an.",
    }
    ErrorPolicyTooLong = "error.policy_too_long" {
        en: "The return policy is longer than 5000 characters.", fr: "La politique de retour dépasse 5000 caractères.",
        nl: "Het retourbeleid is langer dan 5000 tekens.", de: "Die Rückgaberichtlinie ist länger als 5000 Zeichen.",
    }
    ErrorLogoUrlInvalid = "error.logo_url_invalid" {
        en: "The logo must be an https:// address.", fr: "Le logo doit être une adresse https://.", nl: "Het logo moet een https://-adres zijn.", de: "Das Logo muss eine https://-Adresse sein.",
    }
    ErrorAccentColourInvalid = "error.accent_colour_invalid" {
        en: "Write the accent colour as #rrggbb.", fr: "Écrivez la couleur d'accent sous la forme #rrvvbb.", nl: "Schrijf de accentkleur als #rrggbb.", de: "Schreiben Sie die Akzentfarbe als #rrggbb.",
    }
    ErrorAccentColourLowContrast = "error.accent_colour_low_contrast" {
        en: "This accent colour is too light: white text on it would be hard to read. Choose a darker one.", fr: "Cette couleur d'accent est trop claire : un texte blanc serait difficile à lire. Choisissez-en une plus foncée.",
        nl: "Deze accentkleur is te licht: witte tekst erop is slecht leesbaar. Kies een donkerdere.", de: "Diese Akzentfarbe ist zu hell: weißer Text darauf wäre schwer lesbar. Wählen Sie eine dunklere.",
    }
    ErrorCornerRadiusOutOfRange = "error.corner_radius_out_of_range" {
        en: "The corner radius must be between 0 and 24 pixels.", fr: "Le rayon des coins doit être compris entre 0 et 24 pixels.",
        nl: "De hoekradius moet tussen 0 en 24 pixels liggen.", de: "Der Eckenradius muss zwischen 0 und 24 Pixeln liegen.",
    }
    ErrorOriginInvalid = "error.origin_invalid" {
        en: "Each embedding origin is written like https://shop.example, without a path (at most 20).", fr: "Chaque origine d'intégration s'écrit comme https://boutique.example, sans chemin (20 au plus).",
        nl: "Elke insluitoorsprong schrijf je als https://winkel.example, zonder pad (maximaal 20).", de: "Jeder Einbettungs-Ursprung wird wie https://shop.example geschrieben, ohne Pfad (höchstens 20).",
    }
    ErrorReturnAddressInvalid = "error.return_address_invalid" {
        en: "The return address needs at least one street line, a city and a two-letter country code (at most 4 lines of 80 characters).",
        fr: "L'adresse de retour demande au moins une ligne d'adresse, une ville et un code pays à deux lettres (4 lignes de 80 caractères au plus).",
        nl: "Het retouradres heeft minstens één adresregel, een plaats en een landcode van twee letters nodig (maximaal 4 regels van 80 tekens).",
        de: "Die Rücksendeadresse braucht mindestens eine Straßenzeile, einen Ort und einen zweistelligen Ländercode (höchstens 4 Zeilen à 80 Zeichen).",
    }
    ErrorNoReturnAddress = "error.no_return_address" {
        en: "A return label needs your return address: add it in Settings, or approve without a label.",
        fr: "Une étiquette de retour demande votre adresse de retour : ajoutez-la dans les réglages, ou acceptez sans étiquette.",
        nl: "Voor een retourlabel is je retouradres nodig: vul het in bij Instellingen, of keur goed zonder label.",
        de: "Für ein Rücksendeetikett wird Ihre Rücksendeadresse benötigt: Tragen Sie sie in den Einstellungen ein oder genehmigen Sie ohne Etikett.",
    }
    ErrorTemplateUnknownPlaceholder = "error.template_unknown_placeholder" {
        en: "The text uses a placeholder this email does not have: use only those listed.", fr: "Le texte utilise un champ que cet e-mail n'a pas : utilisez seulement ceux de la liste.",
        nl: "De tekst gebruikt een veld dat deze e-mail niet heeft: gebruik alleen de vermelde.", de: "Der Text verwendet einen Platzhalter, den diese E-Mail nicht hat: Verwenden Sie nur die aufgeführten.",
    }
    ErrorTemplateUnclosed = "error.template_unclosed" {
        en: "A placeholder is not closed: write it as {{name}}.", fr: "Un champ n'est pas fermé : écrivez-le {{name}}.",
        nl: "Een veld is niet afgesloten: schrijf het als {{name}}.", de: "Ein Platzhalter ist nicht geschlossen: Schreiben Sie ihn als {{name}}.",
    }
    ErrorTemplateMissingPlaceholder = "error.template_missing_placeholder" {
        en: "This email must keep {{explanation}}: the shopper needs to read why.", fr: "Cet e-mail doit garder {{explanation}} : le client doit savoir pourquoi.",
        nl: "Deze e-mail moet {{explanation}} behouden: de klant moet lezen waarom.", de: "Diese E-Mail muss {{explanation}} behalten: Der Kunde muss den Grund lesen.",
    }
    ErrorTemplateSubject = "error.template_subject" {
        en: "The subject must be one line of 1 to 200 characters.", fr: "L'objet doit tenir sur une ligne de 1 à 200 caractères.",
        nl: "Het onderwerp moet één regel van 1 tot 200 tekens zijn.", de: "Der Betreff muss eine Zeile mit 1 bis 200 Zeichen sein.",
    }
    ErrorTemplateBody = "error.template_body" {
        en: "The text must have 1 to 10,000 characters.", fr: "Le texte doit compter de 1 à 10 000 caractères.",
        nl: "De tekst moet 1 tot 10.000 tekens hebben.", de: "Der Text muss 1 bis 10.000 Zeichen haben.",
    }
    ErrorRefusedByRule = "error.refused_by_rule" {
        en: "This item cannot be returned.", fr: "Impossible de retourner l'article.", nl: "Dit artikel kan niet worden geretourneerd.", de: "Dieser Artikel kann nicht zurückgegeben werden.",
    }
    ErrorInvalid = "error.invalid" {
        en: "Some of the input is not valid.", fr: "Certaines données saisies ne sont pas valides.", nl: "Een deel van de invoer is ongeldig.", de: "Einige Eingaben sind ungültig.",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{eligibility::Ineligible, DomainError, ReturnEvent, ReturnStatus};

    #[test]
    fn keys_are_unique_and_every_text_is_filled_in() {
        let mut keys: Vec<_> = Msg::ALL.iter().map(|m| m.key()).collect();
        keys.sort();
        keys.dedup();
        assert_eq!(keys.len(), Msg::ALL.len());
        for msg in Msg::ALL {
            for locale in Locale::ALL {
                assert!(!msg.text(locale).trim().is_empty(), "{msg:?} in {locale:?}");
            }
        }
    }

    #[test]
    fn every_error_key_has_a_translated_message() {
        // Read the keys from the `message_key` matches themselves, so that a new error
        // variant cannot be left out of this test the way a hand-kept list can.
        let sources = [
            include_str!("domain/error.rs"),
            include_str!("server_fns/error.rs"),
            include_str!("domain/message.rs"),
            include_str!("domain/withdrawal.rs"),
        ];
        let keys: Vec<&str> = sources
            .iter()
            .flat_map(|source| source.split("=> \"").skip(1))
            .filter_map(|rest| rest.split('"').next())
            .filter(|key| key.contains('.') && !key.contains(' '))
            .collect();
        assert!(keys.len() >= 40, "the keys were read: {keys:?}");
        for key in keys {
            assert!(Msg::from_key(key).is_some(), "{key} has no message");
        }
        let error = DomainError::InvalidTransition {
            from: ReturnStatus::Settled,
            event: ReturnEvent::Approve,
        };
        assert!(Msg::from_key(error.message_key()).is_some());
        for reason in [
            Ineligible::FinalSale,
            Ineligible::AlreadyReturned,
            Ineligible::WindowClosed {
                closed_on: time::macros::date!(2026 - 01 - 01),
            },
        ] {
            assert!(Msg::from_key(reason.message_key()).is_some(), "{reason:?}");
        }
    }

    #[test]
    fn french_text_differs_from_english_for_most_messages() {
        let same: Vec<_> = Msg::ALL
            .iter()
            .filter(|m| m.text(Locale::En) == m.text(Locale::Fr))
            .collect();
        assert!(same.len() <= 3, "untranslated: {same:?}");
    }

    #[test]
    fn dates_are_written_the_way_each_language_writes_them() {
        let date = time::macros::date!(2026 - 03 - 05);
        assert_eq!(format_date(date, Locale::En), "5 March 2026");
        assert_eq!(format_date(date, Locale::Fr), "5 mars 2026");
        assert_eq!(format_date(date, Locale::De), "5. März 2026");
        assert_eq!(
            fill("Step {n} of {total}", &[("n", "2"), ("total", "6")]),
            "Step 2 of 6"
        );
    }
}
