-- Return fees and their payment (issue 5).
-- The shop's fee: JSON of the domain's ReturnFee; '' means free.
ALTER TABLE shops ADD COLUMN fee_json TEXT NOT NULL DEFAULT '';
-- 1 when the shopper chose to have the fee (return_requests.fee_minor) kept out of the refund.
ALTER TABLE return_requests ADD COLUMN fee_deducted BIGINT NOT NULL DEFAULT 0;

-- One payment per request, so two tabs or a replayed webhook can only ever find the same
-- row; its status moves by compare-and-set (see domain::fee::PaymentStatus).
CREATE TABLE payments (
    id TEXT PRIMARY KEY,
    shop_id TEXT NOT NULL REFERENCES shops(id),
    return_id TEXT NOT NULL UNIQUE REFERENCES return_requests(id),
    -- 'test' or 'stripe'
    provider TEXT NOT NULL,
    amount_minor BIGINT NOT NULL,
    currency TEXT NOT NULL,
    status TEXT NOT NULL,
    -- The provider's checkout (Stripe: the Checkout Session id) and where to send the shopper.
    session_id TEXT NOT NULL DEFAULT '',
    checkout_url TEXT NOT NULL DEFAULT '',
    -- What a refund needs (Stripe: the PaymentIntent id), and the refund's id.
    payment_ref TEXT NOT NULL DEFAULT '',
    refund_ref TEXT NOT NULL DEFAULT '',
    last_error TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    paid_at BIGINT,
    refunded_at BIGINT
);
CREATE INDEX payments_by_status ON payments (status);

-- Provider events already handled: a replayed webhook is recognised and ignored.
CREATE TABLE payment_events (
    provider TEXT NOT NULL,
    event_id TEXT NOT NULL,
    received_at BIGINT NOT NULL,
    PRIMARY KEY (provider, event_id)
);
