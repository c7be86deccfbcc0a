-- The EU withdrawal function (Directive 2011/83/EU Art. 11a): which requests are legal
-- withdrawals, the statements as received, the lines the law excludes, and the shop's setting.

ALTER TABLE return_requests ADD COLUMN kind TEXT NOT NULL DEFAULT 'commercial';

-- One of `domain::withdrawal::Exclusion`, or '' when the line can be withdrawn from.
ALTER TABLE order_lines ADD COLUMN withdrawal_exclusion TEXT NOT NULL DEFAULT '';

ALTER TABLE shops ADD COLUMN withdrawal_json TEXT NOT NULL DEFAULT '{"offered":true,"period_days":14}';

-- Written once, in the transaction that creates the request; never updated: it is the
-- durable record of what the consumer declared and when it was received.
CREATE TABLE withdrawal_statements (
    return_id TEXT PRIMARY KEY REFERENCES return_requests(id),
    shop_id TEXT NOT NULL REFERENCES shops(id),
    consumer_name TEXT NOT NULL,
    email TEXT NOT NULL,
    statement_json TEXT NOT NULL,
    statement_text TEXT NOT NULL,
    received_at BIGINT NOT NULL
);
CREATE INDEX withdrawal_statements_by_shop ON withdrawal_statements (shop_id, received_at);
