//! The consumer's right of withdrawal in the EU (Directive 2011/83/EU, Art. 9 to 16; the online
//! withdrawal function of Art. 11a, added by Directive (EU) 2023/2673, from 19 June 2026).
//!
//! A consumer may withdraw from a distance contract within the withdrawal period (14 days at
//! least, counted from delivery) without giving a reason. Unlike a commercial return, nothing the
//! shop configures can stop it: no reason, photo, fee or rule is asked for. Only the lines the law
//! excludes (Art. 16) are refused, and only while the period runs does the function accept a
//! statement.
//!
//! The period ends at the end of its last day where the consumer lives. EU member states share one
//! summer-time rule (Directive 2000/84/EC), so the consumer's clock is known from the country the
//! order was shipped to, without a time zone database.

use serde::{Deserialize, Serialize};
use std::{fmt, str::FromStr};
use time::{Date, Duration, Month, OffsetDateTime, PrimitiveDateTime, Time, UtcOffset};

use super::Locale;

/// The law's minimum; a shop may give longer.
pub const MIN_PERIOD_DAYS: u32 = 14;
/// A year is longer than any shop's promise; more is a typo.
pub const MAX_PERIOD_DAYS: u32 = 365;
/// The trader refunds within 14 days of the statement (Art. 13(1)).
pub const REFUND_DEADLINE_DAYS: i64 = 14;
/// Characters in the consumer's name.
pub const MAX_NAME_CHARS: usize = 120;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct WithdrawalPeriod {
    days: u32,
}

impl WithdrawalPeriod {
    pub const LEGAL_MINIMUM: WithdrawalPeriod = WithdrawalPeriod {
        days: MIN_PERIOD_DAYS,
    };

    /// A period shorter than the law's 14 days is refused, not rounded up: the merchant should
    /// see that their setting was wrong.
    pub fn new(days: u32) -> Result<WithdrawalPeriod, WithdrawalError> {
        if !(MIN_PERIOD_DAYS..=MAX_PERIOD_DAYS).contains(&days) {
            return Err(WithdrawalError::PeriodInvalid);
        }
        Ok(WithdrawalPeriod { days })
    }

    pub fn days(self) -> u32 {
        self.days
    }

    /// The last day a statement is accepted, in the consumer's calendar. `None` while the
    /// delivery is not recorded: the period has not started, so it has not ended either.
    pub fn last_day(self, delivered_on: Option<Date>) -> Option<Date> {
        let delivered_on = delivered_on?;
        Some(
            delivered_on
                .checked_add(Duration::days(i64::from(self.days)))
                .unwrap_or(Date::MAX),
        )
    }

    /// Whether a statement made at `now` is in time: the last day is included, to its last
    /// second where the consumer lives.
    pub fn is_open(self, delivered_on: Option<Date>, country: &str, now: OffsetDateTime) -> bool {
        match self.last_day(delivered_on) {
            None => true,
            Some(last_day) => consumer_date(country, now) <= last_day,
        }
    }
}

impl Default for WithdrawalPeriod {
    fn default() -> Self {
        Self::LEGAL_MINIMUM
    }
}

/// The consumer's calendar date at `now`. Outside the EU (or for a country we cannot place),
/// the date on the last time zone on Earth (UTC−12), so a deadline is never cut short.
pub fn consumer_date(country: &str, now: OffsetDateTime) -> Date {
    let offset = eu_offset(country, now).unwrap_or(UtcOffset::from_hms(-12, 0, 0).unwrap());
    now.to_offset(offset).date()
}

/// Hours east of UTC in winter, for each EU member state (mainland time).
fn eu_standard_hours(country: &str) -> Option<i8> {
    match country.to_ascii_uppercase().as_str() {
        "PT" | "IE" => Some(0),
        "BG" | "CY" | "EE" | "FI" | "GR" | "LT" | "LV" | "RO" => Some(2),
        "AT" | "BE" | "HR" | "CZ" | "DK" | "FR" | "DE" | "HU" | "IT" | "LU" | "MT" | "NL"
        | "PL" | "SK" | "SI" | "ES" | "SE" => Some(1),
        _ => None,
    }
}

/// The consumer's clock in an EU country at `now`: summer time runs from 01:00 UTC on the last
/// Sunday of March to 01:00 UTC on the last Sunday of October, everywhere at once.
pub fn eu_offset(country: &str, now: OffsetDateTime) -> Option<UtcOffset> {
    let standard = eu_standard_hours(country)?;
    let utc = now.to_offset(UtcOffset::UTC);
    let year = utc.year();
    let at_one = |month| {
        PrimitiveDateTime::new(last_sunday(year, month), Time::from_hms(1, 0, 0).unwrap())
            .assume_utc()
    };
    let summer = utc >= at_one(Month::March) && utc < at_one(Month::October);
    UtcOffset::from_hms(standard + i8::from(summer), 0, 0).ok()
}

fn last_sunday(year: i32, month: Month) -> Date {
    let last = Date::from_calendar_date(year, month, month.length(year))
        .expect("the last day of a month is a date");
    let back = last.weekday().number_days_from_sunday();
    last - Duration::days(i64::from(back))
}

/// The day by which the trader must have refunded, counted from the statement (Art. 13(1)); the
/// trader may wait for the goods or proof they were sent (Art. 13(3)).
pub fn refund_due_on(received_on: Date) -> Date {
    received_on
        .checked_add(Duration::days(REFUND_DEADLINE_DAYS))
        .unwrap_or(Date::MAX)
}

/// The shop's withdrawal function: whether it is offered, and for how long.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct WithdrawalSettings {
    /// On for shops that sell to consumers in the EU (the default).
    pub offered: bool,
    pub period_days: u32,
}

impl Default for WithdrawalSettings {
    fn default() -> Self {
        WithdrawalSettings {
            offered: true,
            period_days: MIN_PERIOD_DAYS,
        }
    }
}

impl WithdrawalSettings {
    pub fn period(self) -> WithdrawalPeriod {
        WithdrawalPeriod::new(self.period_days).unwrap_or_default()
    }

    pub fn checked(self) -> Result<WithdrawalSettings, super::DomainError> {
        WithdrawalPeriod::new(self.period_days)
            .map_err(|_| super::DomainError::WithdrawalPeriodOutOfRange)?;
        Ok(self)
    }
}

/// Goods the law exempts from withdrawal (Art. 16), flagged per order line by the shop.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Exclusion {
    /// Made to the consumer's specifications or clearly personalised (16(c)).
    Personalised,
    /// Liable to deteriorate or expire rapidly (16(d)).
    Perishable,
    /// Sealed goods unsuitable for return for health or hygiene reasons, unsealed after
    /// delivery (16(e)).
    SealedHygiene,
    /// Inseparably mixed with other items after delivery (16(f)).
    Mixed,
    /// Sealed audio, video or software, unsealed after delivery (16(i)).
    SealedMedia,
    /// A newspaper, periodical or magazine (16(j)).
    Periodical,
}

impl Exclusion {
    pub const ALL: [Exclusion; 6] = [
        Self::Personalised,
        Self::Perishable,
        Self::SealedHygiene,
        Self::Mixed,
        Self::SealedMedia,
        Self::Periodical,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Personalised => "personalised",
            Self::Perishable => "perishable",
            Self::SealedHygiene => "sealed_hygiene",
            Self::Mixed => "mixed",
            Self::SealedMedia => "sealed_media",
            Self::Periodical => "periodical",
        }
    }

    /// The translation key of the reason shown to the consumer.
    pub fn message_key(self) -> &'static str {
        match self {
            Self::Personalised => "withdrawal.excluded.personalised",
            Self::Perishable => "withdrawal.excluded.perishable",
            Self::SealedHygiene => "withdrawal.excluded.sealed_hygiene",
            Self::Mixed => "withdrawal.excluded.mixed",
            Self::SealedMedia => "withdrawal.excluded.sealed_media",
            Self::Periodical => "withdrawal.excluded.periodical",
        }
    }
}

impl fmt::Display for Exclusion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Exclusion {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Self::ALL
            .into_iter()
            .find(|e| e.as_str() == s)
            .ok_or_else(|| format!("unknown withdrawal exclusion {s:?}"))
    }
}

/// Whether the consumer can still withdraw from one line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum LineWithdrawal {
    Open { max_quantity: u32 },
    Excluded(Exclusion),
    /// Every unit is already in a withdrawal or a return.
    AlreadyWithdrawn,
}

/// What the withdrawal function needs to know about one line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WithdrawalLine {
    pub quantity: u32,
    /// Units already in a withdrawal or a return that still holds them.
    pub already_requested: u32,
    pub exclusion: Option<Exclusion>,
}

/// A line the law excludes says so first, whatever else is true; then what is left to withdraw.
/// A final-sale flag does not matter: a shop's policy cannot take away a legal right.
pub fn line_withdrawal(line: WithdrawalLine) -> LineWithdrawal {
    if let Some(exclusion) = line.exclusion {
        return LineWithdrawal::Excluded(exclusion);
    }
    match line.quantity.saturating_sub(line.already_requested) {
        0 => LineWithdrawal::AlreadyWithdrawn,
        max_quantity => LineWithdrawal::Open { max_quantity },
    }
}

/// What the consumer withdraws from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Selection {
    /// Every unit still open on every line that is not excluded.
    WholeOrder,
    /// `(line id, units)`.
    Lines(Vec<(String, u32)>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum WithdrawalError {
    #[error("the withdrawal period is over")]
    PeriodOver,
    #[error("the shop does not offer withdrawal through this portal")]
    NotOffered,
    #[error("please give your name")]
    NameMissing,
    #[error("the name is longer than {MAX_NAME_CHARS} characters")]
    NameTooLong,
    #[error("no item was selected")]
    NothingSelected,
    #[error("an item does not belong to this order")]
    UnknownLine,
    #[error("the law excludes this item from withdrawal")]
    LineExcluded,
    #[error("a withdrawal for these items was already received")]
    AlreadyWithdrawn,
    #[error("more units were selected than were delivered")]
    QuantityTooHigh,
    #[error("the withdrawal period must be between {MIN_PERIOD_DAYS} and {MAX_PERIOD_DAYS} days")]
    PeriodInvalid,
}

impl WithdrawalError {
    pub fn message_key(self) -> &'static str {
        match self {
            Self::PeriodOver => "withdrawal.error.period_over",
            Self::NotOffered => "withdrawal.error.not_offered",
            Self::NameMissing => "withdrawal.error.name_missing",
            Self::NameTooLong => "withdrawal.error.name_too_long",
            Self::NothingSelected => "error.nothing_selected",
            Self::UnknownLine => "error.unknown_line",
            Self::LineExcluded => "withdrawal.error.line_excluded",
            Self::AlreadyWithdrawn => "withdrawal.error.already_withdrawn",
            Self::QuantityTooHigh => "error.quantity_too_high",
            Self::PeriodInvalid => "withdrawal.error.period_invalid",
        }
    }
}

/// The consumer's name as the statement will carry it.
pub fn consumer_name(raw: &str) -> Result<String, WithdrawalError> {
    let name = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    if name.is_empty() {
        return Err(WithdrawalError::NameMissing);
    }
    if name.chars().count() > MAX_NAME_CHARS {
        return Err(WithdrawalError::NameTooLong);
    }
    Ok(name)
}

/// The units withdrawn from each line, `(line id, units)` in order-line order, or why the
/// statement cannot be accepted. `lines` is every line of the order with its state today.
pub fn withdrawn_units(
    selection: &Selection,
    lines: &[(String, LineWithdrawal)],
) -> Result<Vec<(String, u32)>, WithdrawalError> {
    let open = |state: &LineWithdrawal| match state {
        LineWithdrawal::Open { max_quantity } => Some(*max_quantity),
        _ => None,
    };
    let chosen: Vec<(String, u32)> = match selection {
        Selection::WholeOrder => {
            let all: Vec<_> = lines
                .iter()
                .filter_map(|(id, state)| Some((id.clone(), open(state)?)))
                .collect();
            if all.is_empty() {
                // Nothing left to withdraw from: say why, the most telling reason first.
                return Err(
                    if lines
                        .iter()
                        .any(|(_, s)| *s == LineWithdrawal::AlreadyWithdrawn)
                    {
                        WithdrawalError::AlreadyWithdrawn
                    } else if lines.is_empty() {
                        WithdrawalError::NothingSelected
                    } else {
                        WithdrawalError::LineExcluded
                    },
                );
            }
            all
        }
        Selection::Lines(picked) => {
            let mut chosen = Vec::new();
            for (id, state) in lines {
                let units: u32 = picked
                    .iter()
                    .filter(|(picked_id, _)| picked_id == id)
                    .map(|(_, units)| *units)
                    .sum();
                if units == 0 {
                    continue;
                }
                match state {
                    LineWithdrawal::Excluded(_) => return Err(WithdrawalError::LineExcluded),
                    LineWithdrawal::AlreadyWithdrawn => {
                        return Err(WithdrawalError::AlreadyWithdrawn)
                    }
                    LineWithdrawal::Open { max_quantity } if units > *max_quantity => {
                        return Err(WithdrawalError::QuantityTooHigh)
                    }
                    LineWithdrawal::Open { .. } => chosen.push((id.clone(), units)),
                }
            }
            if picked
                .iter()
                .any(|(picked_id, _)| !lines.iter().any(|(id, _)| id == picked_id))
            {
                return Err(WithdrawalError::UnknownLine);
            }
            if chosen.is_empty() {
                return Err(WithdrawalError::NothingSelected);
            }
            chosen
        }
    };
    Ok(chosen)
}

/// One withdrawn line as the statement names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatementLine {
    pub title: String,
    pub variant: String,
    pub sku: String,
    pub units: u32,
}

/// Everything the statement says; kept unchanged with the request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Statement {
    pub shop_name: String,
    pub consumer_name: String,
    pub email: String,
    pub order_number: String,
    pub ordered_on: Date,
    pub delivered_on: Option<Date>,
    pub lines: Vec<StatementLine>,
    pub whole_order: bool,
    /// When the portal received it, Unix seconds (UTC).
    pub received_at: i64,
}

/// The time of receipt as the consumer reads it: their local time with its UTC offset, and
/// the UTC time, so that the record is unambiguous.
pub fn received_at_text(received_at: i64, country: &str) -> String {
    let utc = OffsetDateTime::from_unix_timestamp(received_at).unwrap_or(OffsetDateTime::UNIX_EPOCH);
    let format = |t: OffsetDateTime| {
        format!(
            "{:04}-{:02}-{:02} {:02}:{:02}:{:02}",
            t.year(),
            u8::from(t.month()),
            t.day(),
            t.hour(),
            t.minute(),
            t.second()
        )
    };
    match eu_offset(country, utc) {
        Some(offset) if !offset.is_utc() => {
            let (hours, minutes, _) = offset.as_hms();
            format!(
                "{} (UTC{:+03}:{:02}) = {} UTC",
                format(utc.to_offset(offset)),
                hours,
                minutes.abs(),
                format(utc)
            )
        }
        _ => format!("{} UTC", format(utc)),
    }
}

/// The statement in the consumer's language, following the model withdrawal form of the
/// directive's Annex I(B). `received` is [`received_at_text`].
pub fn statement_text(statement: &Statement, received: &str, locale: Locale) -> String {
    let words = StatementWords::of(locale);
    let mut text = format!(
        "{to}: {shop}\n\n{notice}\n\n",
        to = words.to,
        shop = statement.shop_name,
        notice = words.notice
    );
    for line in &statement.lines {
        let variant = if line.variant.is_empty() {
            String::new()
        } else {
            format!(" ({})", line.variant)
        };
        text.push_str(&format!(
            "- {units} × {title}{variant}, {sku_word} {sku}\n",
            units = line.units,
            title = line.title,
            sku_word = words.sku,
            sku = line.sku
        ));
    }
    if statement.whole_order {
        text.push_str(&format!("({})\n", words.whole_order));
    }
    let delivered = statement
        .delivered_on
        .map(|d| d.to_string())
        .unwrap_or_else(|| "—".to_owned());
    text.push_str(&format!(
        "\n{order}: {number}\n{ordered}: {ordered_on}\n{delivered_word}: {delivered}\n{name}: {consumer}\n{email}: {address}\n{received_word}: {received}\n",
        order = words.order,
        number = statement.order_number,
        ordered = words.ordered_on,
        ordered_on = statement.ordered_on,
        delivered_word = words.delivered_on,
        name = words.name,
        consumer = statement.consumer_name,
        email = words.email,
        address = statement.email,
        received_word = words.received_at,
    ));
    text
}

struct StatementWords {
    to: &'static str,
    notice: &'static str,
    sku: &'static str,
    whole_order: &'static str,
    order: &'static str,
    ordered_on: &'static str,
    delivered_on: &'static str,
    name: &'static str,
    email: &'static str,
    received_at: &'static str,
}

impl StatementWords {
    fn of(locale: Locale) -> StatementWords {
        match locale {
            Locale::En => StatementWords {
                to: "To",
                notice: "I hereby give notice that I withdraw from my contract of sale of the following goods:",
                sku: "item number",
                whole_order: "the whole order",
                order: "Order number",
                ordered_on: "Ordered on",
                delivered_on: "Received on",
                name: "Name of consumer",
                email: "Email address",
                received_at: "Statement received at",
            },
            Locale::Fr => StatementWords {
                to: "À l'attention de",
                notice: "Je vous notifie par la présente ma rétractation du contrat portant sur la vente du bien ci-dessous :",
                sku: "référence",
                whole_order: "toute la commande",
                order: "Numéro de commande",
                ordered_on: "Commandé le",
                delivered_on: "Reçu le",
                name: "Nom du consommateur",
                email: "Adresse e-mail",
                received_at: "Déclaration reçue le",
            },
            Locale::Nl => StatementWords {
                to: "Aan",
                notice: "Ik deel u hierbij mede dat ik onze overeenkomst betreffende de verkoop van de volgende goederen herroep:",
                sku: "artikelnummer",
                whole_order: "de hele bestelling",
                order: "Bestelnummer",
                ordered_on: "Besteld op",
                delivered_on: "Ontvangen op",
                name: "Naam consument",
                email: "E-mailadres",
                received_at: "Verklaring ontvangen op",
            },
            Locale::De => StatementWords {
                to: "An",
                notice: "Hiermit widerrufe ich den von mir abgeschlossenen Vertrag über den Kauf der folgenden Waren:",
                sku: "Artikelnummer",
                whole_order: "die gesamte Bestellung",
                order: "Bestellnummer",
                ordered_on: "Bestellt am",
                delivered_on: "Erhalten am",
                name: "Name des Verbrauchers",
                email: "E-Mail-Adresse",
                received_at: "Erklärung eingegangen am",
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use time::macros::{date, datetime};

    const PERIOD: WithdrawalPeriod = WithdrawalPeriod::LEGAL_MINIMUM;

    #[test]
    fn a_period_shorter_than_the_law_allows_is_refused() {
        assert_eq!(WithdrawalPeriod::new(13), Err(WithdrawalError::PeriodInvalid));
        assert_eq!(WithdrawalPeriod::new(14).unwrap().days(), 14);
        assert_eq!(WithdrawalPeriod::new(30).unwrap().days(), 30);
        assert_eq!(WithdrawalPeriod::new(366), Err(WithdrawalError::PeriodInvalid));
    }

    #[test]
    fn summer_time_starts_and_ends_at_one_utc_on_the_last_sundays() {
        // 2026: last Sunday of March is the 29th, of October the 25th.
        let paris = |t| eu_offset("FR", t).unwrap().whole_hours();
        assert_eq!(paris(datetime!(2026-03-29 00:59:59 UTC)), 1);
        assert_eq!(paris(datetime!(2026-03-29 01:00:00 UTC)), 2);
        assert_eq!(paris(datetime!(2026-10-25 00:59:59 UTC)), 2);
        assert_eq!(paris(datetime!(2026-10-25 01:00:00 UTC)), 1);
        assert_eq!(eu_offset("pt", datetime!(2026-07-01 12:00 UTC)).unwrap().whole_hours(), 1);
        assert_eq!(eu_offset("FI", datetime!(2026-12-01 12:00 UTC)).unwrap().whole_hours(), 2);
        assert_eq!(eu_offset("US", datetime!(2026-12-01 12:00 UTC)), None);
    }

    #[test]
    fn the_last_day_is_included_to_its_last_second_in_paris() {
        let delivered = Some(date!(2026 - 11 - 10));
        assert_eq!(PERIOD.last_day(delivered), Some(date!(2026 - 11 - 24)));
        // 23:59:59 on the 24th in Paris is 22:59:59 UTC (winter time).
        assert!(PERIOD.is_open(delivered, "FR", datetime!(2026-11-24 22:59:59 UTC)));
        assert!(!PERIOD.is_open(delivered, "FR", datetime!(2026-11-24 23:00:00 UTC)));
        // Helsinki is an hour ahead, so its day ends an hour sooner in UTC.
        assert!(!PERIOD.is_open(delivered, "FI", datetime!(2026-11-24 22:00:00 UTC)));
        // Lisbon, on UTC in winter, has an hour more.
        assert!(PERIOD.is_open(delivered, "PT", datetime!(2026-11-24 23:30:00 UTC)));
    }

    #[test]
    fn in_summer_the_day_ends_two_hours_before_midnight_utc_in_berlin() {
        let delivered = Some(date!(2026 - 06 - 20));
        assert!(PERIOD.is_open(delivered, "DE", datetime!(2026-07-04 21:59:59 UTC)));
        assert!(!PERIOD.is_open(delivered, "DE", datetime!(2026-07-04 22:00:00 UTC)));
    }

    #[test]
    fn outside_the_eu_the_deadline_follows_the_last_time_zone() {
        let delivered = Some(date!(2026 - 11 - 10));
        // 11:59 UTC on the 25th is still the 24th at UTC−12.
        assert!(PERIOD.is_open(delivered, "US", datetime!(2026-11-25 11:59:59 UTC)));
        assert!(!PERIOD.is_open(delivered, "US", datetime!(2026-11-25 12:00:00 UTC)));
    }

    #[test]
    fn an_order_not_yet_delivered_can_always_be_withdrawn_from() {
        assert_eq!(PERIOD.last_day(None), None);
        assert!(PERIOD.is_open(None, "FR", datetime!(2030-01-01 00:00 UTC)));
    }

    #[test]
    fn a_longer_period_moves_the_last_day() {
        let thirty = WithdrawalPeriod::new(30).unwrap();
        assert_eq!(thirty.last_day(Some(date!(2026 - 12 - 15))), Some(date!(2027 - 01 - 14)));
    }

    #[test]
    fn the_refund_is_due_fourteen_days_after_the_statement() {
        assert_eq!(refund_due_on(date!(2026 - 12 - 24)), date!(2027 - 01 - 07));
    }

    fn open(max_quantity: u32) -> LineWithdrawal {
        LineWithdrawal::Open { max_quantity }
    }

    #[test]
    fn an_excluded_line_is_refused_even_with_units_left_and_final_sale_is_not_an_exclusion() {
        let line = WithdrawalLine {
            quantity: 2,
            already_requested: 0,
            exclusion: Some(Exclusion::SealedHygiene),
        };
        assert_eq!(line_withdrawal(line), LineWithdrawal::Excluded(Exclusion::SealedHygiene));
        let line = WithdrawalLine {
            exclusion: None,
            ..line
        };
        assert_eq!(line_withdrawal(line), open(2));
        assert_eq!(
            line_withdrawal(WithdrawalLine {
                already_requested: 2,
                ..line
            }),
            LineWithdrawal::AlreadyWithdrawn
        );
    }

    #[test]
    fn the_whole_order_takes_every_open_unit_and_skips_excluded_lines() {
        let lines = vec![
            ("a".to_owned(), open(2)),
            ("b".to_owned(), LineWithdrawal::Excluded(Exclusion::Perishable)),
            ("c".to_owned(), open(1)),
            ("d".to_owned(), LineWithdrawal::AlreadyWithdrawn),
        ];
        assert_eq!(
            withdrawn_units(&Selection::WholeOrder, &lines).unwrap(),
            vec![("a".to_owned(), 2), ("c".to_owned(), 1)]
        );
    }

    #[test]
    fn a_whole_order_already_withdrawn_says_so() {
        let lines = vec![
            ("a".to_owned(), LineWithdrawal::AlreadyWithdrawn),
            ("b".to_owned(), LineWithdrawal::Excluded(Exclusion::Perishable)),
        ];
        assert_eq!(
            withdrawn_units(&Selection::WholeOrder, &lines),
            Err(WithdrawalError::AlreadyWithdrawn)
        );
        let only_excluded = vec![("b".to_owned(), LineWithdrawal::Excluded(Exclusion::Mixed))];
        assert_eq!(
            withdrawn_units(&Selection::WholeOrder, &only_excluded),
            Err(WithdrawalError::LineExcluded)
        );
    }

    #[test]
    fn picked_lines_are_checked_one_by_one() {
        let lines = vec![
            ("a".to_owned(), open(2)),
            ("b".to_owned(), LineWithdrawal::Excluded(Exclusion::Personalised)),
            ("c".to_owned(), LineWithdrawal::AlreadyWithdrawn),
        ];
        let pick = |picked: &[(&str, u32)]| {
            withdrawn_units(
                &Selection::Lines(picked.iter().map(|(id, n)| (id.to_string(), *n)).collect()),
                &lines,
            )
        };
        assert_eq!(pick(&[("a", 1)]).unwrap(), vec![("a".to_owned(), 1)]);
        assert_eq!(pick(&[("a", 3)]), Err(WithdrawalError::QuantityTooHigh));
        assert_eq!(pick(&[("a", 1), ("a", 2)]), Err(WithdrawalError::QuantityTooHigh));
        assert_eq!(pick(&[("b", 1)]), Err(WithdrawalError::LineExcluded));
        assert_eq!(pick(&[("c", 1)]), Err(WithdrawalError::AlreadyWithdrawn));
        assert_eq!(pick(&[("z", 1)]), Err(WithdrawalError::UnknownLine));
        assert_eq!(pick(&[("a", 0)]), Err(WithdrawalError::NothingSelected));
        assert_eq!(pick(&[]), Err(WithdrawalError::NothingSelected));
    }

    #[test]
    fn the_name_is_required_tidied_and_bounded() {
        assert_eq!(consumer_name("  Marie   Dupont "), Ok("Marie Dupont".to_owned()));
        assert_eq!(consumer_name(" \n "), Err(WithdrawalError::NameMissing));
        assert_eq!(consumer_name(&"x".repeat(121)), Err(WithdrawalError::NameTooLong));
    }

    fn statement() -> Statement {
        Statement {
            shop_name: "Maison Lune".into(),
            consumer_name: "Marie Dupont".into(),
            email: "marie@example.fr".into(),
            order_number: "FR-1001".into(),
            ordered_on: date!(2026 - 11 - 02),
            delivered_on: Some(date!(2026 - 11 - 05)),
            lines: vec![StatementLine {
                title: "Linen shirt".into(),
                variant: "M".into(),
                sku: "LS-M".into(),
                units: 2,
            }],
            whole_order: false,
            received_at: datetime!(2026-11-12 13:45:07 UTC).unix_timestamp(),
        }
    }

    #[test]
    fn the_time_of_receipt_is_local_with_its_offset_and_in_utc() {
        let at = statement().received_at;
        assert_eq!(
            received_at_text(at, "FR"),
            "2026-11-12 14:45:07 (UTC+01:00) = 2026-11-12 13:45:07 UTC"
        );
        assert_eq!(received_at_text(at, "PT"), "2026-11-12 13:45:07 UTC");
        assert_eq!(received_at_text(at, "US"), "2026-11-12 13:45:07 UTC");
    }

    #[test]
    fn the_statement_names_everything_in_the_consumers_language() {
        let s = statement();
        for (locale, notice) in [
            (Locale::En, "I hereby give notice that I withdraw"),
            (Locale::Fr, "ma rétractation du contrat"),
            (Locale::Nl, "herroep"),
            (Locale::De, "Hiermit widerrufe ich"),
        ] {
            let text = statement_text(&s, "RECEIVED", locale);
            for part in [notice, "Maison Lune", "Marie Dupont", "marie@example.fr", "FR-1001", "2 × Linen shirt (M)", "LS-M", "2026-11-02", "2026-11-05", "RECEIVED"] {
                assert!(text.contains(part), "{locale:?} statement lacks {part:?}:\n{text}");
            }
        }
    }

    proptest! {
        #[test]
        fn a_statement_is_open_exactly_until_the_local_end_of_the_last_day(
            days in 14u32..60,
            delivered_offset in 0i64..3000,
            seconds in 0i64..(90 * 86_400),
            country in prop::sample::select(vec!["FR", "DE", "NL", "BE", "PT", "FI", "US", "CH"]),
        ) {
            let period = WithdrawalPeriod::new(days).unwrap();
            let delivered = date!(2025 - 01 - 01) + Duration::days(delivered_offset);
            let now = delivered.midnight().assume_utc() + Duration::seconds(seconds);
            let open = period.is_open(Some(delivered), country, now);
            prop_assert_eq!(open, consumer_date(country, now) <= period.last_day(Some(delivered)).unwrap());
            // Never closed before the last day has begun anywhere on Earth.
            if now.date() < period.last_day(Some(delivered)).unwrap() {
                prop_assert!(open);
            }
        }

        #[test]
        fn withdrawn_units_never_exceed_what_is_open(
            states in prop::collection::vec(prop_oneof![
                (1u32..5).prop_map(|max_quantity| LineWithdrawal::Open { max_quantity }),
                Just(LineWithdrawal::AlreadyWithdrawn),
                Just(LineWithdrawal::Excluded(Exclusion::Perishable)),
            ], 0..6),
            picks in prop::collection::vec((0usize..6, 0u32..6), 0..6),
        ) {
            let lines: Vec<(String, LineWithdrawal)> =
                states.into_iter().enumerate().map(|(i, s)| (format!("l{i}"), s)).collect();
            let selection = Selection::Lines(picks.iter().map(|(i, n)| (format!("l{i}"), *n)).collect());
            for selection in [selection, Selection::WholeOrder] {
                if let Ok(units) = withdrawn_units(&selection, &lines) {
                    prop_assert!(!units.is_empty());
                    for (id, n) in units {
                        let state = lines.iter().find(|(l, _)| *l == id).unwrap().1;
                        let within = matches!(state, LineWithdrawal::Open { max_quantity } if n >= 1 && n <= max_quantity);
                        prop_assert!(within, "{} units of {:?}", n, state);
                    }
                }
            }
        }
    }
}
