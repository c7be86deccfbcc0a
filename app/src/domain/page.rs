//! Cursor pagination for lists that other programs walk (the API): a page ends at a
//! position `(time, id)` and the next page starts strictly after it, so rows written
//! meanwhile are neither skipped nor repeated, unlike with offsets.

/// Pages hold at most this many rows.
pub const MAX_PAGE: u32 = 200;
pub const DEFAULT_PAGE: u32 = 50;

/// Where the last page ended. Opaque to clients: `<unix seconds>.<id>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cursor {
    pub at: i64,
    pub id: String,
}

impl Cursor {
    pub fn encode(&self) -> String {
        format!("{}.{}", self.at, self.id)
    }

    /// `None` for anything we could not have handed out (ids are ULIDs, or the demo's
    /// readable ids: letters, digits, `_` and `-`).
    pub fn decode(text: &str) -> Option<Cursor> {
        let (at, id) = text.split_once('.')?;
        let at: i64 = at.parse().ok().filter(|at| *at >= 0)?;
        let plausible_id = (1..=64).contains(&id.len())
            && id
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
        plausible_id.then(|| Cursor {
            at,
            id: id.to_owned(),
        })
    }
}

/// The page size asked for, within bounds.
pub fn page_size(asked: Option<u32>) -> u32 {
    asked.unwrap_or(DEFAULT_PAGE).clamp(1, MAX_PAGE)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_cursor_round_trips() {
        for id in ["01JDZ3J6W8Q1V0X2Y3Z4A5B6C7", "return_demo_1004"] {
            let cursor = Cursor {
                at: 1_764_000_000,
                id: id.into(),
            };
            assert_eq!(Cursor::decode(&cursor.encode()), Some(cursor));
        }
    }

    #[test]
    fn foreign_cursors_are_refused() {
        for bad in [
            "",
            "12",
            "x.01JDZ3J6W8Q1V0X2Y3Z4A5B6C7",
            "-1.01JDZ3J6W8Q1V0X2Y3Z4A5B6C7",
            "1.",
            "1.a b",
            "1.01JDZ3J6W8Q1V0X2Y3Z4A5B6C7.x",
            "1.01JDZ3J6W8Q1V0X2Y3Z4A5B6C7'--",
        ] {
            assert_eq!(Cursor::decode(bad), None, "{bad}");
        }
    }

    #[test]
    fn page_sizes_are_bounded() {
        assert_eq!(page_size(None), DEFAULT_PAGE);
        assert_eq!(page_size(Some(0)), 1);
        assert_eq!(page_size(Some(10_000)), MAX_PAGE);
    }

    proptest! {
        #[test]
        fn decoding_never_panics(text in ".{0,64}") {
            let _ = Cursor::decode(&text);
        }
    }
}
