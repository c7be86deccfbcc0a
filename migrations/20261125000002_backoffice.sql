-- The merchant's side of a return: decisions, receiving, restocking, credit notes, notes.

-- An order-level discount (a coupon) allocated to the line, in minor units.
ALTER TABLE order_lines ADD COLUMN discount_minor BIGINT NOT NULL DEFAULT 0;

-- Set by the decision: 1 with a return label, 0 when nothing needs to come back.
ALTER TABLE return_requests ADD COLUMN with_label BIGINT;
-- The explanation given to the shopper on rejection.
ALTER TABLE return_requests ADD COLUMN decision_note TEXT NOT NULL DEFAULT '';
-- The return fee the shopper paid, and whether it went back to them.
ALTER TABLE return_requests ADD COLUMN fee_minor BIGINT NOT NULL DEFAULT 0;
ALTER TABLE return_requests ADD COLUMN fee_refunded BIGINT NOT NULL DEFAULT 0;
CREATE INDEX return_requests_by_shop_created ON return_requests (shop_id, created_at);

-- Recorded when the parcel arrives.
ALTER TABLE return_items ADD COLUMN received_quantity BIGINT;
ALTER TABLE return_items ADD COLUMN item_condition TEXT;
ALTER TABLE return_items ADD COLUMN restock BIGINT NOT NULL DEFAULT 0;

-- Gap-free credit note numbers: the counter moves in the transaction that issues the note.
ALTER TABLE shops ADD COLUMN credit_note_seq BIGINT NOT NULL DEFAULT 0;

CREATE TABLE credit_notes (
    id TEXT PRIMARY KEY,
    shop_id TEXT NOT NULL REFERENCES shops(id),
    return_id TEXT NOT NULL UNIQUE REFERENCES return_requests(id),
    sequence BIGINT NOT NULL,
    kind TEXT NOT NULL,
    amount_minor BIGINT NOT NULL,
    goods_minor BIGINT NOT NULL,
    fee_kept_minor BIGINT NOT NULL,
    currency TEXT NOT NULL,
    memo TEXT NOT NULL DEFAULT '',
    -- The credited lines as issued (JSON): the note never changes afterwards.
    lines_json TEXT NOT NULL,
    issued_by TEXT NOT NULL,
    issued_at BIGINT NOT NULL,
    UNIQUE (shop_id, sequence)
);

-- One row per SKU and restock, so the API can list movements later.
CREATE TABLE stock_movements (
    id TEXT PRIMARY KEY,
    shop_id TEXT NOT NULL REFERENCES shops(id),
    sku TEXT NOT NULL,
    quantity BIGINT NOT NULL,
    return_id TEXT NOT NULL REFERENCES return_requests(id),
    at BIGINT NOT NULL
);
CREATE INDEX stock_movements_by_shop ON stock_movements (shop_id, at);

-- Internal notes on a request; never shown to the shopper.
CREATE TABLE staff_notes (
    id TEXT PRIMARY KEY,
    return_id TEXT NOT NULL REFERENCES return_requests(id),
    author TEXT NOT NULL,
    body TEXT NOT NULL,
    at BIGINT NOT NULL
);
CREATE INDEX staff_notes_by_return ON staff_notes (return_id, at);
