//! What makes a rule unsaveable, with a message in the merchant's language.

use serde::{Deserialize, Serialize};
use std::{collections::BTreeSet, fmt};

use super::*;
use crate::domain::{Locale, Money, Reason};

// ---------------------------------------------------------------------------------------------
// Validation
// ---------------------------------------------------------------------------------------------

/// Where a condition sits in a rule: empty for the rule's condition itself, `[2, 1]` for the
/// first part of its second part, shown as "condition 2.1".
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ConditionPath(pub Vec<u32>);

impl ConditionPath {
    fn child(&self, index: usize) -> ConditionPath {
        let mut path = self.0.clone();
        path.push(u32::try_from(index + 1).unwrap_or(u32::MAX));
        ConditionPath(path)
    }

    /// "Condition 2.1", or "The condition" for the rule's own, in `locale`.
    pub fn label(&self, locale: Locale) -> String {
        if self.0.is_empty() {
            return tr(
                locale,
                [
                    "The condition",
                    "La condition",
                    "De voorwaarde",
                    "Die Bedingung",
                ],
            )
            .to_owned();
        }
        let number: Vec<String> = self.0.iter().map(u32::to_string).collect();
        format!(
            "{} {}",
            tr(
                locale,
                ["Condition", "Condition", "Voorwaarde", "Bedingung"]
            ),
            number.join(".")
        )
    }
}

impl fmt::Display for ConditionPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.label(Locale::En))
    }
}

/// Why a rule cannot be saved. [`RuleError::message`] says it in the merchant's language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum RuleError {
    /// The JSON did not fit the shape (an unknown key, a wrong operator…); for the API edge,
    /// which holds the serde error.
    #[error("the rule could not be read: {detail}")]
    Malformed { detail: String },
    #[error("the rule needs a name")]
    NameEmpty,
    #[error("the name is longer than {max} characters")]
    NameTooLong { max: usize },
    #[error("the rule needs at least one action")]
    NoAction,
    #[error("the actions contradict each other")]
    ConflictingActions,
    #[error("the refusal message is longer than {max} characters")]
    MessageTooLong { max: usize },
    #[error("a return fee cannot be negative")]
    FeeNegative,
    #[error("a limit on resolutions needs at least one resolution")]
    NoResolution,
    #[error("the condition has more than {max} parts")]
    TooManyConditions { max: usize },
    #[error("{path}: nested deeper than {max} levels")]
    TooDeep { path: ConditionPath, max: usize },
    #[error("{path}: an empty group")]
    EmptyGroup { path: ConditionPath },
    #[error("{path}: the list of values is empty")]
    NoValues { path: ConditionPath },
    #[error("{path}: more than {max} values")]
    TooManyValues { path: ConditionPath, max: usize },
    #[error("{path}: a value is empty")]
    EmptyValue { path: ConditionPath },
    #[error("{path}: {code:?} is not one of the shop's reasons")]
    UnknownReason { path: ConditionPath, code: String },
    #[error("{path}: {code:?} is not a two-letter country code")]
    CountryCodeInvalid { path: ConditionPath, code: String },
    #[error("{path} can never be met")]
    NeverTrue { path: ConditionPath },
    #[error("two rules have position {position}")]
    DuplicatePosition { position: u32 },
    #[error("two rules have id {id:?}")]
    DuplicateId { id: String },
}

impl RuleError {
    /// The message for the rule editor, in English, French, Dutch or German.
    pub fn message(&self, locale: Locale) -> String {
        let at =
            |path: &ConditionPath, texts| tr(locale, texts).replace("{at}", &path.label(locale));
        let max = |texts, max: &usize| tr(locale, texts).replace("{max}", &max.to_string());
        match self {
            Self::Malformed { detail } => {
                let text = tr(locale, [
                    "The rule could not be read: {detail}",
                    "La règle est illisible\u{a0}: {detail}",
                    "De regel kan niet worden gelezen: {detail}",
                    "Die Regel kann nicht gelesen werden: {detail}",
                ]);
                text.replace("{detail}", detail)
            }
            Self::NameEmpty => tr(locale, [
                "The rule needs a name.",
                "La règle doit avoir un nom.",
                "De regel heeft een naam nodig.",
                "Die Regel braucht einen Namen.",
            ])
            .to_owned(),
            Self::NameTooLong { max: n } => max([
                "The name is longer than {max} characters.",
                "Le nom dépasse {max} caractères.",
                "De naam is langer dan {max} tekens.",
                "Der Name ist länger als {max} Zeichen.",
            ], n),
            Self::NoAction => tr(locale, [
                "The rule needs at least one action.",
                "La règle doit avoir au moins une action.",
                "De regel heeft minstens één actie nodig.",
                "Die Regel braucht mindestens eine Aktion.",
            ])
            .to_owned(),
            Self::ConflictingActions => tr(locale, [
                "The actions contradict each other: a refusal stands alone, and a rule cannot both approve and require approval, both charge and waive the fee, or repeat an action.",
                "Les actions se contredisent\u{a0}: un refus est seul, et une règle ne peut pas à la fois approuver et demander une validation, facturer et offrir les frais, ni répéter une action.",
                "De acties spreken elkaar tegen: een weigering staat alleen, en een regel kan niet tegelijk goedkeuren en om goedkeuring vragen, kosten rekenen en kwijtschelden, of een actie herhalen.",
                "Die Aktionen widersprechen sich: Eine Ablehnung steht allein, und eine Regel kann nicht zugleich genehmigen und eine Freigabe verlangen, eine Gebühr berechnen und erlassen oder eine Aktion wiederholen.",
            ])
            .to_owned(),
            Self::MessageTooLong { max: n } => max([
                "The refusal message is longer than {max} characters.",
                "Le message de refus dépasse {max} caractères.",
                "Het weigeringsbericht is langer dan {max} tekens.",
                "Die Ablehnungsnachricht ist länger als {max} Zeichen.",
            ], n),
            Self::FeeNegative => tr(locale, [
                "A return fee cannot be negative.",
                "Des frais de retour ne peuvent pas être négatifs.",
                "Retourkosten kunnen niet negatief zijn.",
                "Eine Rücksendegebühr kann nicht negativ sein.",
            ])
            .to_owned(),
            Self::NoResolution => tr(locale, [
                "Choose at least one resolution to offer.",
                "Choisissez au moins une solution à proposer.",
                "Kies minstens één oplossing om aan te bieden.",
                "Wählen Sie mindestens eine Lösung, die angeboten wird.",
            ])
            .to_owned(),
            Self::TooManyConditions { max: n } => max([
                "A rule can have at most {max} conditions.",
                "Une règle peut avoir au plus {max} conditions.",
                "Een regel kan hoogstens {max} voorwaarden hebben.",
                "Eine Regel kann höchstens {max} Bedingungen haben.",
            ], n),
            Self::TooDeep { path, max: n } => at(path, [
                "{at}: conditions can be nested at most {max} levels deep.",
                "{at}\u{a0}: les conditions ne peuvent pas être imbriquées sur plus de {max} niveaux.",
                "{at}: voorwaarden kunnen hoogstens {max} niveaus diep genest worden.",
                "{at}: Bedingungen können höchstens {max} Ebenen tief verschachtelt werden.",
            ])
            .replace("{max}", &n.to_string()),
            Self::EmptyGroup { path } => at(path, [
                "{at}: an “all of” or “any of” group needs at least one condition.",
                "{at}\u{a0}: un groupe «\u{a0}toutes\u{a0}» ou «\u{a0}au moins une\u{a0}» doit contenir au moins une condition.",
                "{at}: een groep “alle” of “een van” heeft minstens één voorwaarde nodig.",
                "{at}: Eine Gruppe „alle“ oder „eine davon“ braucht mindestens eine Bedingung.",
            ]),
            Self::NoValues { path } => at(path, [
                "{at}: choose at least one value.",
                "{at}\u{a0}: choisissez au moins une valeur.",
                "{at}: kies minstens één waarde.",
                "{at}: Wählen Sie mindestens einen Wert.",
            ]),
            Self::TooManyValues { path, max: n } => at(path, [
                "{at}: at most {max} values.",
                "{at}\u{a0}: {max} valeurs au plus.",
                "{at}: hoogstens {max} waarden.",
                "{at}: höchstens {max} Werte.",
            ])
            .replace("{max}", &n.to_string()),
            Self::EmptyValue { path } => at(path, [
                "{at}: a value is empty.",
                "{at}\u{a0}: une valeur est vide.",
                "{at}: een waarde is leeg.",
                "{at}: Ein Wert ist leer.",
            ]),
            Self::UnknownReason { path, code } => at(path, [
                "{at}: “{code}” is not one of the shop's return reasons.",
                "{at}\u{a0}: «\u{a0}{code}\u{a0}» n'est pas un motif de retour de la boutique.",
                "{at}: “{code}” is geen retourreden van de winkel.",
                "{at}: „{code}“ ist kein Rückgabegrund des Shops.",
            ])
            .replace("{code}", code),
            Self::CountryCodeInvalid { path, code } => at(path, [
                "{at}: “{code}” is not a two-letter country code such as FR.",
                "{at}\u{a0}: «\u{a0}{code}\u{a0}» n'est pas un code pays à deux lettres comme FR.",
                "{at}: “{code}” is geen landcode van twee letters zoals NL.",
                "{at}: „{code}“ ist kein zweistelliger Ländercode wie DE.",
            ])
            .replace("{code}", code),
            Self::NeverTrue { path } => at(path, [
                "{at} can never be met, so the rule would never apply.",
                "{at} ne peut jamais être remplie\u{a0}: la règle ne s'appliquerait jamais.",
                "{at} kan nooit waar zijn, dus de regel zou nooit gelden.",
                "{at} kann nie erfüllt werden, die Regel würde also nie greifen.",
            ]),
            Self::DuplicatePosition { position } => tr(locale, [
                "Two rules have position {position}.",
                "Deux règles sont à la position {position}.",
                "Twee regels staan op positie {position}.",
                "Zwei Regeln stehen an Position {position}.",
            ])
            .replace("{position}", &position.to_string()),
            Self::DuplicateId { id } => tr(locale, [
                "Two rules have the id “{id}”.",
                "Deux règles ont l'identifiant «\u{a0}{id}\u{a0}».",
                "Twee regels hebben de id “{id}”.",
                "Zwei Regeln haben die ID „{id}“.",
            ])
            .replace("{id}", id),
        }
    }
}

impl Rule {
    /// Whether the rule refuses, charges or limits: what the engine never does to a legal
    /// withdrawal (see "Legal withdrawal" above), so the editor says so.
    pub fn limits_commercial_returns_only(&self) -> bool {
        self.actions.iter().any(|action| {
            matches!(
                action,
                Action::Refuse { .. } | Action::SetFee { .. } | Action::LimitResolutions { .. }
            )
        })
    }

    /// Checks a rule before it is saved. `reasons` are the shop's, for reason codes.
    /// Evaluation does not need this (a stored rule whose reason was deleted just never
    /// matches that reason); the rule editor and the API do.
    pub fn validate(&self, reasons: &[Reason]) -> Result<(), RuleError> {
        match self.name.trim().chars().count() {
            0 => return Err(RuleError::NameEmpty),
            n if n > NAME_MAX_CHARS => {
                return Err(RuleError::NameTooLong {
                    max: NAME_MAX_CHARS,
                })
            }
            _ => {}
        }
        validate_actions(&self.actions)?;
        if self.condition.size() > MAX_CONDITIONS {
            return Err(RuleError::TooManyConditions {
                max: MAX_CONDITIONS,
            });
        }
        validate_condition(&self.condition, &ConditionPath::default(), 1, reasons)
    }
}

/// Every rule, then ids and positions unique across the shop's rules. The error comes with
/// the id of the rule it is about.
pub fn validate_rule_set(rules: &[Rule], reasons: &[Reason]) -> Result<(), (String, RuleError)> {
    let mut ids = BTreeSet::new();
    let mut positions = BTreeSet::new();
    for rule in rules {
        rule.validate(reasons)
            .map_err(|error| (rule.id.clone(), error))?;
        if !ids.insert(rule.id.as_str()) {
            return Err((
                rule.id.clone(),
                RuleError::DuplicateId {
                    id: rule.id.clone(),
                },
            ));
        }
        if !positions.insert(rule.position) {
            return Err((
                rule.id.clone(),
                RuleError::DuplicatePosition {
                    position: rule.position,
                },
            ));
        }
    }
    Ok(())
}

fn validate_actions(actions: &[Action]) -> Result<(), RuleError> {
    if actions.is_empty() {
        return Err(RuleError::NoAction);
    }
    let has = |wanted: fn(&Action) -> bool| actions.iter().any(wanted);
    let mut kinds = BTreeSet::new();
    let repeated = actions
        .iter()
        .any(|action| !kinds.insert(action_kind(action)));
    let refusal_with_more = actions.len() > 1 && has(|a| matches!(a, Action::Refuse { .. }));
    let both_approvals = has(|a| matches!(a, Action::RequireManualApproval))
        && has(|a| matches!(a, Action::ApproveAutomatically { .. }));
    let both_fees =
        has(|a| matches!(a, Action::SetFee { .. })) && has(|a| matches!(a, Action::WaiveFee));
    if repeated || refusal_with_more || both_approvals || both_fees {
        return Err(RuleError::ConflictingActions);
    }
    for action in actions {
        match action {
            Action::Refuse { message } => {
                let texts = [&message.en, &message.fr, &message.nl, &message.de];
                if texts
                    .iter()
                    .any(|text| text.trim().chars().count() > MESSAGE_MAX_CHARS)
                {
                    return Err(RuleError::MessageTooLong {
                        max: MESSAGE_MAX_CHARS,
                    });
                }
            }
            Action::SetFee { fee } if fee.minor < 0 => return Err(RuleError::FeeNegative),
            Action::LimitResolutions { resolutions } if resolutions.is_empty() => {
                return Err(RuleError::NoResolution)
            }
            _ => {}
        }
    }
    Ok(())
}

fn action_kind(action: &Action) -> u8 {
    match action {
        Action::Refuse { .. } => 0,
        Action::RequireManualApproval => 1,
        Action::ApproveAutomatically { .. } => 2,
        Action::SetFee { .. } => 3,
        Action::WaiveFee => 4,
        Action::LimitResolutions { .. } => 5,
    }
}

impl Condition {
    /// Tests and groups, all levels together.
    fn size(&self) -> usize {
        match self {
            Condition::AllOf(parts) | Condition::AnyOf(parts) => {
                1 + parts.iter().map(Condition::size).sum::<usize>()
            }
            _ => 1,
        }
    }
}

fn validate_condition(
    condition: &Condition,
    path: &ConditionPath,
    depth: usize,
    reasons: &[Reason],
) -> Result<(), RuleError> {
    if depth > MAX_DEPTH {
        return Err(RuleError::TooDeep {
            path: path.clone(),
            max: MAX_DEPTH,
        });
    }
    let never = || Err(RuleError::NeverTrue { path: path.clone() });
    match condition {
        Condition::AllOf(parts) | Condition::AnyOf(parts) => {
            if parts.is_empty() {
                return Err(RuleError::EmptyGroup { path: path.clone() });
            }
            for (index, part) in parts.iter().enumerate() {
                validate_condition(part, &path.child(index), depth + 1, reasons)?;
            }
            if let Condition::AllOf(parts) = condition {
                let mut tests = Vec::new();
                conjunction_tests(parts, &mut tests);
                if contradictory(&tests) {
                    return never();
                }
            }
            Ok(())
        }
        Condition::Reason(m) => {
            check_texts(
                m.values(),
                path,
                matches!(m, Membership::OneOf(_) | Membership::NoneOf(_)),
            )?;
            match m
                .values()
                .iter()
                .find(|code| !reasons.iter().any(|r| &r.code == *code))
            {
                Some(code) => Err(RuleError::UnknownReason {
                    path: path.clone(),
                    code: code.clone(),
                }),
                None => Ok(()),
            }
        }
        Condition::Country(m) => {
            check_texts(
                m.values(),
                path,
                matches!(m, Membership::OneOf(_) | Membership::NoneOf(_)),
            )?;
            let invalid = |code: &&String| {
                !(code.trim().len() == 2 && code.trim().bytes().all(|b| b.is_ascii_alphabetic()))
            };
            match m.values().iter().find(invalid) {
                Some(code) => Err(RuleError::CountryCodeInvalid {
                    path: path.clone(),
                    code: code.clone(),
                }),
                None => Ok(()),
            }
        }
        Condition::Tag(m) | Condition::Category(m) => check_texts(
            m.values(),
            path,
            matches!(m, Membership::OneOf(_) | Membership::NoneOf(_)),
        ),
        Condition::Resolution(m) => check_list_length(
            m.values().len(),
            path,
            matches!(m, Membership::OneOf(_) | Membership::NoneOf(_)),
        ),
        Condition::Sku(SkuTest::Is(sku) | SkuTest::StartsWith(sku)) => {
            check_texts(std::slice::from_ref(sku), path, false)
        }
        Condition::Sku(SkuTest::OneOf(skus)) => check_texts(skus, path, true),
        // At least one unit is always returned, and prices are never below zero.
        Condition::Quantity(Bound::AtMost(0)) => never(),
        Condition::UnitPrice(Bound::AtMost(m)) | Condition::OrderTotal(Bound::AtMost(m))
            if m.minor < 0 =>
        {
            never()
        }
        Condition::Quantity(_)
        | Condition::UnitPrice(_)
        | Condition::OrderTotal(_)
        | Condition::DaysSinceDelivery(_)
        | Condition::DaysSinceOrder(_)
        | Condition::CustomerReturns { .. } => Ok(()),
    }
}

fn check_list_length(len: usize, path: &ConditionPath, is_list: bool) -> Result<(), RuleError> {
    match len {
        0 if is_list => Err(RuleError::NoValues { path: path.clone() }),
        n if n > MAX_VALUES => Err(RuleError::TooManyValues {
            path: path.clone(),
            max: MAX_VALUES,
        }),
        _ => Ok(()),
    }
}

fn check_texts(values: &[String], path: &ConditionPath, is_list: bool) -> Result<(), RuleError> {
    check_list_length(values.len(), path, is_list)?;
    if values.iter().any(|value| value.trim().is_empty()) {
        return Err(RuleError::EmptyValue { path: path.clone() });
    }
    Ok(())
}

/// The tests that must all hold together: those of an `all_of` and of `all_of`s inside it.
fn conjunction_tests<'a>(parts: &'a [Condition], tests: &mut Vec<&'a Condition>) {
    for part in parts {
        match part {
            Condition::AllOf(inner) => conjunction_tests(inner, tests),
            Condition::AnyOf(_) => {}
            test => tests.push(test),
        }
    }
}

/// Tests that cannot all be true at once: bounds that cross ("at least 10 and at most 5
/// days"), or one field that would need two values ("reason is A and reason is B"). Only the
/// plain cases: `any_of` parts are left alone.
fn contradictory(tests: &[&Condition]) -> bool {
    // Bounds per quantity measured: lowest allowed and highest allowed.
    let mut ranges: std::collections::BTreeMap<String, (i64, i64)> =
        std::collections::BTreeMap::new();
    // Single-valued fields: the values allowed (None: any) and the values excluded.
    let mut single: std::collections::BTreeMap<&str, (Option<BTreeSet<String>>, BTreeSet<String>)> =
        Default::default();
    let mut sku_prefixes: Vec<String> = Vec::new();
    let (mut tags_required, mut tags_excluded, mut tags_any) =
        (BTreeSet::new(), BTreeSet::new(), Vec::new());

    for test in tests {
        let mut range = |key: String, bound: Bound<i64>| {
            let entry = ranges.entry(key).or_insert((i64::MIN, i64::MAX));
            match bound {
                Bound::AtLeast(v) => entry.0 = entry.0.max(v),
                Bound::AtMost(v) => entry.1 = entry.1.min(v),
            }
        };
        let mut membership =
            |field: &'static str, m: &Membership<String>, normal: fn(&str) -> String| {
                let (allowed, excluded) = single.entry(field).or_insert((None, BTreeSet::new()));
                let values: BTreeSet<String> = m.values().iter().map(|v| normal(v)).collect();
                match m {
                    Membership::Is(_) | Membership::OneOf(_) => {
                        *allowed = Some(match allowed.take() {
                            Some(before) => before.intersection(&values).cloned().collect(),
                            None => values,
                        })
                    }
                    Membership::IsNot(_) | Membership::NoneOf(_) => excluded.extend(values),
                }
            };
        match test {
            Condition::DaysSinceDelivery(b) => {
                range("days_since_delivery".into(), b.map_ref(i64::from))
            }
            Condition::DaysSinceOrder(b) => range("days_since_order".into(), b.map_ref(i64::from)),
            Condition::Quantity(b) => range("quantity".into(), b.map_ref(i64::from)),
            Condition::CustomerReturns { within_days, count } => range(
                format!("customer_returns {within_days}"),
                count.map_ref(i64::from),
            ),
            Condition::UnitPrice(b) => range(
                format!("unit_price {}", bound_currency(b)),
                b.map_ref(|m| m.minor),
            ),
            Condition::OrderTotal(b) => range(
                format!("order_total {}", bound_currency(b)),
                b.map_ref(|m| m.minor),
            ),
            Condition::Reason(m) => membership("reason", m, |v| v.to_owned()),
            Condition::Country(m) => membership("country", m, |v| v.trim().to_ascii_uppercase()),
            Condition::Category(m) => membership("category", m, |v| v.trim().to_lowercase()),
            Condition::Resolution(m) => membership(
                "resolution",
                &m.clone().map(|r| r.as_str().to_owned()),
                |v| v.to_owned(),
            ),
            Condition::Sku(SkuTest::Is(sku)) => {
                membership("sku", &Membership::Is(sku.clone()), |v| {
                    v.trim().to_ascii_lowercase()
                })
            }
            Condition::Sku(SkuTest::OneOf(skus)) => {
                membership("sku", &Membership::OneOf(skus.clone()), |v| {
                    v.trim().to_ascii_lowercase()
                })
            }
            Condition::Sku(SkuTest::StartsWith(prefix)) => {
                sku_prefixes.push(prefix.trim().to_ascii_lowercase())
            }
            Condition::Tag(m) => {
                let values = m.values().iter().map(|v| v.trim().to_lowercase());
                match m {
                    Membership::Is(_) => tags_required.extend(values),
                    Membership::OneOf(_) => tags_any.push(values.collect::<BTreeSet<_>>()),
                    Membership::IsNot(_) | Membership::NoneOf(_) => tags_excluded.extend(values),
                }
            }
            Condition::AllOf(_) | Condition::AnyOf(_) => {}
        }
    }

    let crossed = ranges.values().any(|(low, high)| low > high);
    let emptied = single.values().any(|(allowed, excluded)| {
        allowed
            .as_ref()
            .is_some_and(|a| a.iter().all(|v| excluded.contains(v)))
    });
    let fits_prefixes = |sku: &String| sku_prefixes.iter().all(|p| sku.starts_with(p.as_str()));
    let sku_impossible = match single.get("sku").and_then(|(allowed, _)| allowed.as_ref()) {
        Some(allowed) => !allowed.iter().any(fits_prefixes),
        // Two prefixes fit together only when one extends the other.
        None => sku_prefixes.iter().any(|p| {
            sku_prefixes
                .iter()
                .any(|q| !p.starts_with(q.as_str()) && !q.starts_with(p.as_str()))
        }),
    };
    let tags_impossible = tags_required.iter().any(|t| tags_excluded.contains(t))
        || tags_any.iter().any(|any| any.is_subset(&tags_excluded));
    crossed || emptied || sku_impossible || tags_impossible
}

fn bound_currency(bound: &Bound<Money>) -> crate::domain::Currency {
    match bound {
        Bound::AtLeast(m) | Bound::AtMost(m) => m.currency,
    }
}
