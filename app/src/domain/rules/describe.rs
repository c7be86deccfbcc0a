//! Rules in plain language ("IF origin country IS France THEN refuse the item").

use super::*;
use crate::domain::{Locale, Money, Reason, Resolution};

// ---------------------------------------------------------------------------------------------
// Plain language
// ---------------------------------------------------------------------------------------------

impl Rule {
    /// The rule as a sentence for the editor's preview, with the shop's reason labels and
    /// country names in `locale`: "IF reason IS NOT “Damaged item” OR “Wrong item sent” THEN
    /// refuse the item".
    pub fn describe(&self, locale: Locale, reasons: &[Reason]) -> String {
        format!(
            "{} {} {} {}",
            tr(locale, ["IF", "SI", "ALS", "WENN"]),
            self.condition.describe(locale, reasons),
            tr(locale, ["THEN", "ALORS", "DAN", "DANN"]),
            describe_actions(self.actions.iter().map(|a| (a, None)), locale)
        )
    }
}

impl RuleMatch {
    /// For the back office: "Rule 2 “No returns from France” matched: origin country IS France
    /// → refuse the item", with a note on each action that did not take effect.
    pub fn explain(&self, rules: &[Rule], locale: Locale, reasons: &[Reason]) -> String {
        let word = tr(locale, ["Rule", "Règle", "Regel", "Regel"]);
        let Some(rule) = rules.iter().find(|rule| rule.id == self.rule_id) else {
            let gone = tr(
                locale,
                [
                    "no longer exists",
                    "n'existe plus",
                    "bestaat niet meer",
                    "existiert nicht mehr",
                ],
            );
            return format!("{word} {} ({gone})", self.position);
        };
        let matched = tr(
            locale,
            [
                "matched:",
                "déclenchée\u{a0}:",
                "is van toepassing:",
                "greift:",
            ],
        );
        let actions = describe_actions(
            rule.actions.iter().zip(self.effects.iter().map(Some)),
            locale,
        );
        format!(
            "{word} {} {} {matched} {} → {actions}",
            self.position,
            quote(&rule.name, locale),
            rule.condition.describe(locale, reasons)
        )
    }
}

impl Condition {
    /// The condition alone, as in [`Rule::describe`]. Nested groups get parentheses.
    pub fn describe(&self, locale: Locale, reasons: &[Reason]) -> String {
        self.describe_nested(locale, reasons, true)
    }

    fn describe_nested(&self, locale: Locale, reasons: &[Reason], top: bool) -> String {
        let or = tr(locale, ["OR", "OU", "OF", "ODER"]);
        let and = tr(locale, ["AND", "ET", "EN", "UND"]);
        let is = tr(locale, ["IS", "EST", "IS", "IST"]);
        let is_not = tr(locale, ["IS NOT", "N'EST PAS", "IS NIET", "IST NICHT"]);
        let field = |names: [&'static str; 4]| tr(locale, names);
        let membership = |name: &str, m: &Membership<String>, show: &dyn Fn(&str) -> String| {
            let (op, values) = match m {
                Membership::Is(_) | Membership::OneOf(_) => (is, m.values()),
                Membership::IsNot(_) | Membership::NoneOf(_) => (is_not, m.values()),
            };
            let shown: Vec<String> = values.iter().map(|v| show(v)).collect();
            format!("{name} {op} {}", shown.join(&format!(" {or} ")))
        };
        let bound = |name: &str, b: &Bound<String>| {
            let (op, value) = match b {
                Bound::AtLeast(v) => (
                    tr(
                        locale,
                        [
                            "IS AT LEAST",
                            "EST AU MOINS",
                            "IS MINSTENS",
                            "IST MINDESTENS",
                        ],
                    ),
                    v,
                ),
                Bound::AtMost(v) => (
                    tr(
                        locale,
                        ["IS AT MOST", "EST AU PLUS", "IS HOOGSTENS", "IST HÖCHSTENS"],
                    ),
                    v,
                ),
            };
            format!("{name} {op} {value}")
        };
        let number = |b: &Bound<u32>| b.map_ref(|n| n.to_string());
        let money = |b: &Bound<Money>| match b {
            Bound::AtLeast(m) => Bound::AtLeast(m.format(locale)),
            Bound::AtMost(m) => Bound::AtMost(m.format(locale)),
        };
        let quoted = |v: &str| quote(v, locale);
        match self {
            Condition::AllOf(parts) | Condition::AnyOf(parts) => {
                let joiner = if matches!(self, Condition::AllOf(_)) {
                    and
                } else {
                    or
                };
                let text = parts
                    .iter()
                    .map(|p| p.describe_nested(locale, reasons, false))
                    .collect::<Vec<_>>()
                    .join(&format!(" {joiner} "));
                if top || parts.len() < 2 {
                    text
                } else {
                    format!("({text})")
                }
            }
            Condition::Reason(m) => membership(
                field(["reason", "le motif", "de reden", "der Grund"]),
                m,
                &|code| {
                    quoted(
                        reasons
                            .iter()
                            .find(|r| r.code == code)
                            .map_or(code, |r| r.label.get(locale)),
                    )
                },
            ),
            Condition::Country(m) => membership(
                field([
                    "origin country",
                    "le pays d'origine",
                    "het land van herkomst",
                    "das Herkunftsland",
                ]),
                m,
                &|code| country_name(code, locale),
            ),
            Condition::Resolution(m) => membership(
                field([
                    "the chosen resolution",
                    "la solution choisie",
                    "de gekozen oplossing",
                    "die gewählte Lösung",
                ]),
                &m.clone().map(|r| resolution_name(r, locale).to_owned()),
                &|name| name.to_owned(),
            ),
            Condition::Tag(m) => membership(
                field([
                    "product tag",
                    "l'étiquette produit",
                    "de producttag",
                    "das Produkt-Tag",
                ]),
                m,
                &quoted,
            ),
            Condition::Category(m) => membership(
                field(["category", "la catégorie", "de categorie", "die Kategorie"]),
                m,
                &quoted,
            ),
            Condition::Sku(test) => {
                let sku = field(["SKU", "la référence", "de SKU", "die SKU"]);
                match test {
                    SkuTest::Is(v) => membership(sku, &Membership::Is(v.clone()), &quoted),
                    SkuTest::OneOf(vs) => membership(sku, &Membership::OneOf(vs.clone()), &quoted),
                    SkuTest::StartsWith(v) => {
                        format!(
                            "{sku} {} {}",
                            tr(
                                locale,
                                ["STARTS WITH", "COMMENCE PAR", "BEGINT MET", "BEGINNT MIT"]
                            ),
                            quoted(v)
                        )
                    }
                }
            }
            Condition::DaysSinceDelivery(b) => bound(
                field([
                    "days since delivery",
                    "le nombre de jours depuis la livraison",
                    "het aantal dagen sinds levering",
                    "die Tage seit Lieferung",
                ]),
                &number(b),
            ),
            Condition::DaysSinceOrder(b) => bound(
                field([
                    "days since order",
                    "le nombre de jours depuis la commande",
                    "het aantal dagen sinds bestelling",
                    "die Tage seit Bestellung",
                ]),
                &number(b),
            ),
            Condition::Quantity(b) => bound(
                field([
                    "quantity returned",
                    "la quantité retournée",
                    "het geretourneerde aantal",
                    "die zurückgegebene Menge",
                ]),
                &number(b),
            ),
            Condition::UnitPrice(b) => bound(
                field([
                    "unit price",
                    "le prix unitaire",
                    "de stukprijs",
                    "der Stückpreis",
                ]),
                &money(b),
            ),
            Condition::OrderTotal(b) => bound(
                field([
                    "order total",
                    "le total de la commande",
                    "het ordertotaal",
                    "die Bestellsumme",
                ]),
                &money(b),
            ),
            Condition::CustomerReturns { within_days, count } => {
                let name = tr(
                    locale,
                    [
                        "returns by this customer in the last {n} days",
                        "le nombre de retours de ce client sur les {n} derniers jours",
                        "het aantal retouren van deze klant in de laatste {n} dagen",
                        "die Rücksendungen dieses Kunden in den letzten {n} Tagen",
                    ],
                );
                bound(
                    &name.replace("{n}", &within_days.to_string()),
                    &number(count),
                )
            }
        }
    }
}

/// Actions joined with "AND"; `effect` adds a note when an action did not take effect.
fn describe_actions<'a>(
    actions: impl Iterator<Item = (&'a Action, Option<&'a Effect>)>,
    locale: Locale,
) -> String {
    let and = format!(" {} ", tr(locale, ["AND", "ET", "EN", "UND"]));
    let parts: Vec<String> = actions
        .map(|(action, effect)| {
            let note = match effect {
                None | Some(Effect::Applied) => "",
                Some(Effect::Overridden) => tr(
                    locale,
                    [
                        " (overridden by another rule)",
                        " (remplacée par une autre règle)",
                        " (overschreven door een andere regel)",
                        " (durch eine andere Regel ersetzt)",
                    ],
                ),
                Some(Effect::NotForWithdrawal) => tr(
                    locale,
                    [
                        " (not applied: legal withdrawal)",
                        " (non appliquée\u{a0}: rétractation légale)",
                        " (niet toegepast: wettelijke herroeping)",
                        " (nicht angewendet: gesetzlicher Widerruf)",
                    ],
                ),
                Some(Effect::CurrencyMismatch) => tr(
                    locale,
                    [
                        " (not applied: the order is in another currency)",
                        " (non appliquée\u{a0}: la commande est dans une autre devise)",
                        " (niet toegepast: de bestelling is in een andere valuta)",
                        " (nicht angewendet: die Bestellung ist in einer anderen Währung)",
                    ],
                ),
                Some(Effect::NoCommonResolution) => tr(
                    locale,
                    [
                        " (no resolution left in common: manual approval)",
                        " (aucune solution commune\u{a0}: validation manuelle)",
                        " (geen gemeenschappelijke oplossing: handmatige goedkeuring)",
                        " (keine gemeinsame Lösung: manuelle Freigabe)",
                    ],
                ),
            };
            format!("{}{note}", describe_action(action, locale))
        })
        .collect();
    parts.join(&and)
}

fn describe_action(action: &Action, locale: Locale) -> String {
    match action {
        Action::Refuse { .. } => tr(
            locale,
            [
                "refuse the item",
                "l'article ne peut pas être retourné",
                "kan het artikel niet worden geretourneerd",
                "kann der Artikel nicht zurückgegeben werden",
            ],
        )
        .to_owned(),
        Action::RequireManualApproval => tr(
            locale,
            [
                "require manual approval",
                "demander une validation manuelle",
                "handmatig laten goedkeuren",
                "eine manuelle Freigabe verlangen",
            ],
        )
        .to_owned(),
        Action::ApproveAutomatically { with_label: true } => tr(
            locale,
            [
                "approve automatically, with a return label",
                "approuver automatiquement, avec une étiquette de retour",
                "automatisch goedkeuren, met een retourlabel",
                "automatisch genehmigen, mit Rücksendeetikett",
            ],
        )
        .to_owned(),
        Action::ApproveAutomatically { with_label: false } => tr(
            locale,
            [
                "approve automatically, without a label (the shopper keeps the item)",
                "approuver automatiquement, sans étiquette (le client garde l'article)",
                "automatisch goedkeuren, zonder label (de klant houdt het artikel)",
                "automatisch genehmigen, ohne Etikett (der Kunde behält den Artikel)",
            ],
        )
        .to_owned(),
        Action::SetFee { fee } => tr(
            locale,
            [
                "charge a return fee of {fee}",
                "facturer {fee} de frais de retour",
                "{fee} retourkosten rekenen",
                "eine Rücksendegebühr von {fee} berechnen",
            ],
        )
        .replace("{fee}", &fee.format(locale)),
        Action::WaiveFee => tr(
            locale,
            [
                "waive the return fee",
                "offrir les frais de retour",
                "geen retourkosten rekenen",
                "keine Rücksendegebühr berechnen",
            ],
        )
        .to_owned(),
        Action::LimitResolutions { resolutions } => {
            let names: Vec<&str> = resolutions
                .iter()
                .map(|r| resolution_name(*r, locale))
                .collect();
            let only = tr(
                locale,
                [
                    "offer only",
                    "proposer uniquement\u{a0}:",
                    "alleen aanbieden:",
                    "nur anbieten:",
                ],
            );
            format!("{only} {}", names.join(", "))
        }
    }
}

fn quote(text: &str, locale: Locale) -> String {
    match locale {
        Locale::En | Locale::Nl => format!("“{text}”"),
        Locale::Fr => format!("«\u{a0}{text}\u{a0}»"),
        Locale::De => format!("„{text}“"),
    }
}

fn resolution_name(resolution: Resolution, locale: Locale) -> &'static str {
    match resolution {
        Resolution::Refund => tr(
            locale,
            ["Refund", "Remboursement", "Terugbetaling", "Erstattung"],
        ),
        Resolution::Exchange => tr(locale, ["Exchange", "Échange", "Omruiling", "Umtausch"]),
        Resolution::StoreCredit => tr(locale, ["Store credit", "Avoir", "Tegoedbon", "Gutschrift"]),
    }
}

/// EU countries and the neighbours shops ship to most, in en, fr, nl, de; otherwise the code.
const COUNTRIES: &[(&str, [&str; 4])] = &[
    ("AT", ["Austria", "Autriche", "Oostenrijk", "Österreich"]),
    ("BE", ["Belgium", "Belgique", "België", "Belgien"]),
    ("BG", ["Bulgaria", "Bulgarie", "Bulgarije", "Bulgarien"]),
    ("CH", ["Switzerland", "Suisse", "Zwitserland", "Schweiz"]),
    ("CY", ["Cyprus", "Chypre", "Cyprus", "Zypern"]),
    ("CZ", ["Czechia", "Tchéquie", "Tsjechië", "Tschechien"]),
    ("DE", ["Germany", "Allemagne", "Duitsland", "Deutschland"]),
    ("DK", ["Denmark", "Danemark", "Denemarken", "Dänemark"]),
    ("EE", ["Estonia", "Estonie", "Estland", "Estland"]),
    ("ES", ["Spain", "Espagne", "Spanje", "Spanien"]),
    ("FI", ["Finland", "Finlande", "Finland", "Finnland"]),
    ("FR", ["France", "France", "Frankrijk", "Frankreich"]),
    (
        "GB",
        [
            "United Kingdom",
            "Royaume-Uni",
            "Verenigd Koninkrijk",
            "Vereinigtes Königreich",
        ],
    ),
    ("GR", ["Greece", "Grèce", "Griekenland", "Griechenland"]),
    ("HR", ["Croatia", "Croatie", "Kroatië", "Kroatien"]),
    ("HU", ["Hungary", "Hongrie", "Hongarije", "Ungarn"]),
    ("IE", ["Ireland", "Irlande", "Ierland", "Irland"]),
    ("IT", ["Italy", "Italie", "Italië", "Italien"]),
    ("LT", ["Lithuania", "Lituanie", "Litouwen", "Litauen"]),
    ("LU", ["Luxembourg", "Luxembourg", "Luxemburg", "Luxemburg"]),
    ("LV", ["Latvia", "Lettonie", "Letland", "Lettland"]),
    ("MT", ["Malta", "Malte", "Malta", "Malta"]),
    (
        "NL",
        ["Netherlands", "Pays-Bas", "Nederland", "Niederlande"],
    ),
    ("NO", ["Norway", "Norvège", "Noorwegen", "Norwegen"]),
    ("PL", ["Poland", "Pologne", "Polen", "Polen"]),
    ("PT", ["Portugal", "Portugal", "Portugal", "Portugal"]),
    ("RO", ["Romania", "Roumanie", "Roemenië", "Rumänien"]),
    ("SE", ["Sweden", "Suède", "Zweden", "Schweden"]),
    ("SI", ["Slovenia", "Slovénie", "Slovenië", "Slowenien"]),
    ("SK", ["Slovakia", "Slovaquie", "Slowakije", "Slowakei"]),
    (
        "US",
        [
            "United States",
            "États-Unis",
            "Verenigde Staten",
            "Vereinigte Staaten",
        ],
    ),
];

fn country_name(code: &str, locale: Locale) -> String {
    let code = code.trim().to_ascii_uppercase();
    match COUNTRIES.iter().find(|(c, _)| *c == code) {
        Some((_, names)) => tr(locale, *names).to_owned(),
        None => code,
    }
}

/// Picks the text for `locale` from four written in the order en, fr, nl, de.
pub(super) fn tr(locale: Locale, texts: [&'static str; 4]) -> &'static str {
    match locale {
        Locale::En => texts[0],
        Locale::Fr => texts[1],
        Locale::Nl => texts[2],
        Locale::De => texts[3],
    }
}
