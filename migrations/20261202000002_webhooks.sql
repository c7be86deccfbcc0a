-- Webhooks: a shop's endpoints and every delivery to them. The events come from
-- return_status_history, which each change writes in its own transaction; a line is marked
-- once it has been turned into deliveries.

CREATE TABLE webhook_endpoints (
    id TEXT PRIMARY KEY,
    shop_id TEXT NOT NULL REFERENCES shops(id),
    url TEXT NOT NULL,
    -- Event names separated by spaces, e.g. 'return.created return.approved'.
    events TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL
    -- No secret column: each endpoint's signing secret is derived from the server's key and
    -- the endpoint's id, so a copy of the database signs nothing.
);
CREATE INDEX webhook_endpoints_by_shop ON webhook_endpoints (shop_id);

CREATE TABLE webhook_deliveries (
    -- Also the `webhook-id` header: the receiver's key for ignoring a repeat.
    id TEXT PRIMARY KEY,
    shop_id TEXT NOT NULL REFERENCES shops(id),
    endpoint_id TEXT NOT NULL,
    return_id TEXT REFERENCES return_requests(id),
    event TEXT NOT NULL,
    payload TEXT NOT NULL,
    -- 'pending' until a 2xx; 'failed' when a day of retries is over.
    status TEXT NOT NULL,
    attempts BIGINT NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    first_attempt_at BIGINT,
    last_response TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    delivered_at BIGINT
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (status, next_attempt_at);
CREATE INDEX webhook_deliveries_by_shop ON webhook_deliveries (shop_id, created_at);
CREATE INDEX webhook_deliveries_by_return ON webhook_deliveries (endpoint_id, return_id, status);

ALTER TABLE return_status_history ADD COLUMN webhooks_done BIGINT NOT NULL DEFAULT 0;
-- What happened before webhooks existed is nobody's delivery.
UPDATE return_status_history SET webhooks_done = 1;
CREATE INDEX return_status_history_webhooks_due ON return_status_history (webhooks_done);
