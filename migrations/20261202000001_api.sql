-- The integration API: per-shop keys (only a hash of the secret is kept), the answers to
-- POSTs by idempotency key, and the shop's own key for each order line.

CREATE TABLE api_keys (
    id TEXT PRIMARY KEY,
    shop_id TEXT NOT NULL REFERENCES shops(id),
    name TEXT NOT NULL,
    -- SHA-256 of the secret, hex: the secret is 32 random bytes, so no slow hash is needed.
    secret_hash TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    last_used_at BIGINT,
    revoked_at BIGINT
);
CREATE INDEX api_keys_by_shop ON api_keys (shop_id, created_at);

CREATE TABLE api_idempotency (
    shop_id TEXT NOT NULL REFERENCES shops(id),
    idempotency_key TEXT NOT NULL,
    -- Method, path and body: the same key with another request is refused, not replayed.
    request_hash TEXT NOT NULL,
    -- NULL while the first request is still being answered.
    status_code BIGINT,
    response_body TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    PRIMARY KEY (shop_id, idempotency_key)
);

ALTER TABLE order_lines ADD COLUMN line_key TEXT NOT NULL DEFAULT '';
UPDATE order_lines SET line_key = id;

-- The API lists requests by last change, for integrations that sync.
CREATE INDEX return_requests_by_shop_updated ON return_requests (shop_id, updated_at, id);
