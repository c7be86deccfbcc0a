//! The JSON shape of a condition: fields, operators and values, read and written through
//! `RawCondition`, with the checks that make a malformed condition an error.

use serde::{Deserialize, Serialize};

use super::*;
use crate::domain::{Money, Resolution};

// ---------------------------------------------------------------------------------------------
// The JSON shape of a condition
// ---------------------------------------------------------------------------------------------

/// The field a test looks at, as named in JSON and offered by the rules editor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    Reason,
    Country,
    Resolution,
    Tag,
    Category,
    Sku,
    DaysSinceDelivery,
    DaysSinceOrder,
    Quantity,
    UnitPrice,
    OrderTotal,
    CustomerReturns,
}

impl Field {
    pub const ALL: [Field; 12] = [
        Field::Reason,
        Field::Country,
        Field::Resolution,
        Field::Tag,
        Field::Category,
        Field::Sku,
        Field::DaysSinceDelivery,
        Field::DaysSinceOrder,
        Field::Quantity,
        Field::UnitPrice,
        Field::OrderTotal,
        Field::CustomerReturns,
    ];

    /// Its name in JSON (a test checks it against serde's).
    pub fn as_str(self) -> &'static str {
        match self {
            Field::Reason => "reason",
            Field::Country => "country",
            Field::Resolution => "resolution",
            Field::Tag => "tag",
            Field::Category => "category",
            Field::Sku => "sku",
            Field::DaysSinceDelivery => "days_since_delivery",
            Field::DaysSinceOrder => "days_since_order",
            Field::Quantity => "quantity",
            Field::UnitPrice => "unit_price",
            Field::OrderTotal => "order_total",
            Field::CustomerReturns => "customer_returns",
        }
    }

    pub fn parse(name: &str) -> Option<Field> {
        Field::ALL.into_iter().find(|f| f.as_str() == name)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
enum Op {
    Is,
    IsNot,
    OneOf,
    NoneOf,
    StartsWith,
    AtLeast,
    AtMost,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
enum Value {
    Number(i64),
    Text(String),
    Money(Money),
}

/// One flat JSON object for every kind of condition, so that key order does not matter and
/// serde names an unknown key precisely (an untagged enum would only say "no variant
/// matched"). [`Condition::try_from`] then checks that the keys fit together.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawCondition {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    all_of: Option<Vec<Condition>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    any_of: Option<Vec<Condition>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    field: Option<Field>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    op: Option<Op>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    value: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    values: Option<Vec<Value>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    within_days: Option<u32>,
}

impl TryFrom<RawCondition> for Condition {
    type Error = String;

    fn try_from(raw: RawCondition) -> Result<Condition, String> {
        let RawCondition {
            all_of,
            any_of,
            field,
            op,
            value,
            values,
            within_days,
        } = raw;
        let test_keys = field.is_some()
            || op.is_some()
            || value.is_some()
            || values.is_some()
            || within_days.is_some();
        match (all_of, any_of, test_keys) {
            (Some(parts), None, false) => return Ok(Condition::AllOf(parts)),
            (None, Some(parts), false) => return Ok(Condition::AnyOf(parts)),
            (None, None, true) => {}
            (None, None, false) => return Err("a condition needs `all_of`, `any_of` or `field`".into()),
            _ => return Err("a condition is either a group (`all_of` or `any_of`) or a test (`field`), not both".into()),
        }
        let field = field.ok_or("a test needs a `field`")?;
        let op = op.ok_or("a test needs an `op`")?;
        if within_days.is_some() != (field == Field::CustomerReturns) {
            return Err("`within_days` goes with `customer_returns`, and only there".into());
        }
        let operand = Operand {
            field,
            op,
            value,
            values,
        };
        Ok(match field {
            Field::Reason => Condition::Reason(operand.membership(text)?),
            Field::Country => Condition::Country(operand.membership(text)?),
            Field::Tag => Condition::Tag(operand.membership(text)?),
            Field::Category => Condition::Category(operand.membership(text)?),
            Field::Resolution => {
                Condition::Resolution(operand.membership(|v| text(v)?.parse::<Resolution>())?)
            }
            Field::Sku => Condition::Sku(match op {
                Op::Is => SkuTest::Is(text(operand.one()?)?),
                Op::OneOf => SkuTest::OneOf(
                    operand
                        .many()?
                        .into_iter()
                        .map(text)
                        .collect::<Result<_, _>>()?,
                ),
                Op::StartsWith => SkuTest::StartsWith(text(operand.one()?)?),
                _ => return Err(operand.wrong_op()),
            }),
            Field::DaysSinceDelivery => Condition::DaysSinceDelivery(operand.bound(count)?),
            Field::DaysSinceOrder => Condition::DaysSinceOrder(operand.bound(count)?),
            Field::Quantity => Condition::Quantity(operand.bound(count)?),
            Field::UnitPrice => Condition::UnitPrice(operand.bound(amount)?),
            Field::OrderTotal => Condition::OrderTotal(operand.bound(amount)?),
            Field::CustomerReturns => Condition::CustomerReturns {
                within_days: within_days.unwrap_or_default(),
                count: operand.bound(count)?,
            },
        })
    }
}

/// The operator and value keys of a test, read according to its field.
struct Operand {
    field: Field,
    op: Op,
    value: Option<Value>,
    values: Option<Vec<Value>>,
}

impl Operand {
    fn wrong_op(&self) -> String {
        format!(
            "`{}` does not apply to `{}`",
            op_name(self.op),
            self.field.as_str()
        )
    }

    fn one(&self) -> Result<Value, String> {
        match (&self.value, &self.values) {
            (Some(value), None) => Ok(value.clone()),
            _ => Err(format!("`{}` takes one `value`", op_name(self.op))),
        }
    }

    fn many(&self) -> Result<Vec<Value>, String> {
        match (&self.value, &self.values) {
            (None, Some(values)) => Ok(values.clone()),
            _ => Err(format!("`{}` takes a list of `values`", op_name(self.op))),
        }
    }

    fn membership<T>(
        &self,
        parse: impl Fn(Value) -> Result<T, String>,
    ) -> Result<Membership<T>, String> {
        let list = || {
            self.many()?
                .into_iter()
                .map(&parse)
                .collect::<Result<Vec<T>, String>>()
        };
        Ok(match self.op {
            Op::Is => Membership::Is(parse(self.one()?)?),
            Op::IsNot => Membership::IsNot(parse(self.one()?)?),
            Op::OneOf => Membership::OneOf(list()?),
            Op::NoneOf => Membership::NoneOf(list()?),
            _ => return Err(self.wrong_op()),
        })
    }

    fn bound<T>(&self, parse: impl Fn(Value) -> Result<T, String>) -> Result<Bound<T>, String> {
        match self.op {
            Op::AtLeast => Ok(Bound::AtLeast(parse(self.one()?)?)),
            Op::AtMost => Ok(Bound::AtMost(parse(self.one()?)?)),
            _ => Err(self.wrong_op()),
        }
    }
}

fn text(value: Value) -> Result<String, String> {
    match value {
        Value::Text(text) => Ok(text),
        _ => Err("expected a text value".into()),
    }
}

fn count(value: Value) -> Result<u32, String> {
    match value {
        Value::Number(n) => u32::try_from(n)
            .map_err(|_| format!("{n} is not a whole number from 0 to {}", u32::MAX)),
        _ => Err("expected a whole number".into()),
    }
}

fn amount(value: Value) -> Result<Money, String> {
    match value {
        Value::Money(money) => Ok(money),
        _ => Err(r#"expected an amount such as {"minor": 5000, "currency": "EUR"}"#.into()),
    }
}

impl From<Condition> for RawCondition {
    fn from(condition: Condition) -> RawCondition {
        let test = |field, op, value: Option<Value>, values: Option<Vec<Value>>| RawCondition {
            field: Some(field),
            op: Some(op),
            value,
            values,
            ..RawCondition::default()
        };
        let texts = |field, m: Membership<String>| match m {
            Membership::Is(v) => test(field, Op::Is, Some(Value::Text(v)), None),
            Membership::IsNot(v) => test(field, Op::IsNot, Some(Value::Text(v)), None),
            Membership::OneOf(vs) => test(
                field,
                Op::OneOf,
                None,
                Some(vs.into_iter().map(Value::Text).collect()),
            ),
            Membership::NoneOf(vs) => test(
                field,
                Op::NoneOf,
                None,
                Some(vs.into_iter().map(Value::Text).collect()),
            ),
        };
        let number = |field, b: Bound<u32>| match b {
            Bound::AtLeast(n) => test(field, Op::AtLeast, Some(Value::Number(i64::from(n))), None),
            Bound::AtMost(n) => test(field, Op::AtMost, Some(Value::Number(i64::from(n))), None),
        };
        let amount = |field, b: Bound<Money>| match b {
            Bound::AtLeast(m) => test(field, Op::AtLeast, Some(Value::Money(m)), None),
            Bound::AtMost(m) => test(field, Op::AtMost, Some(Value::Money(m)), None),
        };
        match condition {
            Condition::AllOf(parts) => RawCondition {
                all_of: Some(parts),
                ..RawCondition::default()
            },
            Condition::AnyOf(parts) => RawCondition {
                any_of: Some(parts),
                ..RawCondition::default()
            },
            Condition::Reason(m) => texts(Field::Reason, m),
            Condition::Country(m) => texts(Field::Country, m),
            Condition::Tag(m) => texts(Field::Tag, m),
            Condition::Category(m) => texts(Field::Category, m),
            Condition::Resolution(m) => texts(Field::Resolution, m.map(|r| r.as_str().to_owned())),
            Condition::Sku(SkuTest::Is(v)) => test(Field::Sku, Op::Is, Some(Value::Text(v)), None),
            Condition::Sku(SkuTest::OneOf(vs)) => test(
                Field::Sku,
                Op::OneOf,
                None,
                Some(vs.into_iter().map(Value::Text).collect()),
            ),
            Condition::Sku(SkuTest::StartsWith(v)) => {
                test(Field::Sku, Op::StartsWith, Some(Value::Text(v)), None)
            }
            Condition::DaysSinceDelivery(b) => number(Field::DaysSinceDelivery, b),
            Condition::DaysSinceOrder(b) => number(Field::DaysSinceOrder, b),
            Condition::Quantity(b) => number(Field::Quantity, b),
            Condition::UnitPrice(b) => amount(Field::UnitPrice, b),
            Condition::OrderTotal(b) => amount(Field::OrderTotal, b),
            Condition::CustomerReturns { within_days, count } => RawCondition {
                within_days: Some(within_days),
                ..number(Field::CustomerReturns, count)
            },
        }
    }
}

fn op_name(op: Op) -> &'static str {
    match op {
        Op::Is => "is",
        Op::IsNot => "is_not",
        Op::OneOf => "one_of",
        Op::NoneOf => "none_of",
        Op::StartsWith => "starts_with",
        Op::AtLeast => "at_least",
        Op::AtMost => "at_most",
    }
}

impl<T> Membership<T> {
    /// `has(v)`: does the field hold `v`? For a single-valued field that is equality; for
    /// tags, "one of the line's tags is `v`".
    pub(super) fn test(&self, has: impl Fn(&T) -> bool) -> bool {
        match self {
            Membership::Is(v) => has(v),
            Membership::IsNot(v) => !has(v),
            Membership::OneOf(vs) => vs.iter().any(has),
            Membership::NoneOf(vs) => !vs.iter().any(has),
        }
    }

    pub(super) fn map<U>(self, f: impl Fn(T) -> U) -> Membership<U> {
        match self {
            Membership::Is(v) => Membership::Is(f(v)),
            Membership::IsNot(v) => Membership::IsNot(f(v)),
            Membership::OneOf(vs) => Membership::OneOf(vs.into_iter().map(f).collect()),
            Membership::NoneOf(vs) => Membership::NoneOf(vs.into_iter().map(f).collect()),
        }
    }

    pub(super) fn values(&self) -> &[T] {
        match self {
            Membership::Is(v) | Membership::IsNot(v) => std::slice::from_ref(v),
            Membership::OneOf(vs) | Membership::NoneOf(vs) => vs,
        }
    }
}

impl<T: PartialOrd> Bound<T> {
    pub(super) fn test(&self, value: &T) -> bool {
        match self {
            Bound::AtLeast(min) => value >= min,
            Bound::AtMost(max) => value <= max,
        }
    }
}
