//! Which order lines can still be returned, and how many units of each.

use serde::{Deserialize, Serialize};
use time::{Date, Duration};

/// The shop's return window, counted in days from delivery (or from the order date when
/// the shop never recorded a delivery). The last day is included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReturnWindow {
    pub days: u32,
}

impl ReturnWindow {
    pub fn last_day(self, placed_on: Date, delivered_on: Option<Date>) -> Date {
        let start = delivered_on.unwrap_or(placed_on);
        start
            .checked_add(Duration::days(i64::from(self.days)))
            .unwrap_or(Date::MAX)
    }

    pub fn is_open(self, placed_on: Date, delivered_on: Option<Date>, today: Date) -> bool {
        today <= self.last_day(placed_on, delivered_on)
    }
}

/// The facts about one line that decide whether it can be returned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineFacts {
    pub quantity: u32,
    /// Units already in return requests that still hold them (see `ReturnStatus::holds_quantity`).
    pub already_requested: u32,
    /// False for final-sale lines.
    pub returnable: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Ineligible {
    FinalSale,
    WindowClosed { closed_on: Date },
    AlreadyReturned,
}

impl Ineligible {
    pub fn message_key(self) -> &'static str {
        match self {
            Ineligible::FinalSale => "ineligible.final_sale",
            Ineligible::WindowClosed { .. } => "ineligible.window_closed",
            Ineligible::AlreadyReturned => "ineligible.already_returned",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum LineEligibility {
    Eligible { max_quantity: u32 },
    Ineligible(Ineligible),
}

impl LineEligibility {
    pub fn max_quantity(self) -> u32 {
        match self {
            LineEligibility::Eligible { max_quantity } => max_quantity,
            LineEligibility::Ineligible(_) => 0,
        }
    }
}

/// A final sale is told first (it never changes), then a closed window, then what is left.
pub fn line_eligibility(
    line: LineFacts,
    window: ReturnWindow,
    placed_on: Date,
    delivered_on: Option<Date>,
    today: Date,
) -> LineEligibility {
    if !line.returnable {
        return LineEligibility::Ineligible(Ineligible::FinalSale);
    }
    if !window.is_open(placed_on, delivered_on, today) {
        return LineEligibility::Ineligible(Ineligible::WindowClosed {
            closed_on: window.last_day(placed_on, delivered_on),
        });
    }
    match line.quantity.saturating_sub(line.already_requested) {
        0 => LineEligibility::Ineligible(Ineligible::AlreadyReturned),
        max_quantity => LineEligibility::Eligible { max_quantity },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use time::macros::date;

    const WINDOW: ReturnWindow = ReturnWindow { days: 30 };
    const LINE: LineFacts = LineFacts {
        quantity: 3,
        already_requested: 0,
        returnable: true,
    };

    #[test]
    fn the_last_day_of_the_window_is_included() {
        let delivered = Some(date!(2026 - 10 - 01));
        let placed = date!(2026 - 09 - 28);
        assert_eq!(WINDOW.last_day(placed, delivered), date!(2026 - 10 - 31));
        assert_eq!(
            line_eligibility(LINE, WINDOW, placed, delivered, date!(2026 - 10 - 31)),
            LineEligibility::Eligible { max_quantity: 3 }
        );
        assert_eq!(
            line_eligibility(LINE, WINDOW, placed, delivered, date!(2026 - 11 - 01)),
            LineEligibility::Ineligible(Ineligible::WindowClosed {
                closed_on: date!(2026 - 10 - 31)
            })
        );
    }

    #[test]
    fn without_a_delivery_date_the_window_counts_from_the_order_date() {
        let placed = date!(2026 - 02 - 01);
        assert_eq!(WINDOW.last_day(placed, None), date!(2026 - 03 - 03));
    }

    #[test]
    fn a_final_sale_line_is_never_returnable_even_inside_the_window() {
        let line = LineFacts {
            returnable: false,
            ..LINE
        };
        let today = date!(2026 - 01 - 02);
        assert_eq!(
            line_eligibility(line, WINDOW, today, Some(today), today),
            LineEligibility::Ineligible(Ineligible::FinalSale)
        );
    }

    #[test]
    fn units_already_requested_are_not_offered_again() {
        let today = date!(2026 - 01 - 02);
        let partly = LineFacts {
            already_requested: 2,
            ..LINE
        };
        assert_eq!(
            line_eligibility(partly, WINDOW, today, None, today),
            LineEligibility::Eligible { max_quantity: 1 }
        );
        let fully = LineFacts {
            already_requested: 3,
            ..LINE
        };
        assert_eq!(
            line_eligibility(fully, WINDOW, today, None, today),
            LineEligibility::Ineligible(Ineligible::AlreadyReturned)
        );
    }

    #[test]
    fn a_window_beyond_the_calendar_does_not_overflow() {
        let window = ReturnWindow { days: u32::MAX };
        assert_eq!(window.last_day(date!(2026 - 01 - 01), None), Date::MAX);
    }

    proptest! {
        #[test]
        fn the_returnable_quantity_never_exceeds_what_is_left(quantity in 0u32..100, requested in 0u32..150, day in 0i64..90, returnable: bool) {
            let placed = date!(2026 - 01 - 01);
            let today = placed + Duration::days(day);
            let line = LineFacts { quantity, already_requested: requested, returnable };
            let max = line_eligibility(line, WINDOW, placed, None, today).max_quantity();
            prop_assert!(max <= quantity.saturating_sub(requested));
            prop_assert_eq!(max > 0, returnable && day <= 30 && quantity > requested);
        }
    }
}
