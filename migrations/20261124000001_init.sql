-- Portable between SQLite and PostgreSQL: TEXT ids (ULIDs made by the app), BIGINT numbers,
-- dates as ISO 'YYYY-MM-DD' TEXT, instants as BIGINT Unix seconds, flags as BIGINT 0/1.

CREATE TABLE shops (
    id TEXT PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    default_locale TEXT NOT NULL,
    languages TEXT NOT NULL,
    return_window_days BIGINT NOT NULL,
    returns_enabled BIGINT NOT NULL DEFAULT 1,
    manual_approval BIGINT NOT NULL DEFAULT 1,
    reasons_json TEXT NOT NULL,
    resolutions TEXT NOT NULL,
    return_methods TEXT NOT NULL,
    allowed_origins TEXT NOT NULL DEFAULT '',
    policy_json TEXT NOT NULL DEFAULT '{"en":""}',
    accent_colour TEXT NOT NULL DEFAULT '#0f5f5a',
    created_at BIGINT NOT NULL
);

CREATE TABLE orders (
    id TEXT PRIMARY KEY,
    shop_id TEXT NOT NULL REFERENCES shops(id),
    number TEXT NOT NULL,
    display_number TEXT NOT NULL,
    email TEXT NOT NULL,
    customer_name TEXT NOT NULL DEFAULT '',
    shipping_country TEXT NOT NULL,
    currency TEXT NOT NULL,
    placed_on TEXT NOT NULL,
    delivered_on TEXT,
    -- Bumped by every submission for this order: serialises concurrent submissions.
    returns_version BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    UNIQUE (shop_id, number)
);

CREATE TABLE order_lines (
    id TEXT PRIMARY KEY,
    order_id TEXT NOT NULL REFERENCES orders(id),
    position BIGINT NOT NULL,
    sku TEXT NOT NULL,
    title TEXT NOT NULL,
    variant TEXT NOT NULL DEFAULT '',
    quantity BIGINT NOT NULL,
    unit_price_minor BIGINT NOT NULL,
    image_url TEXT NOT NULL DEFAULT '',
    returnable BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX order_lines_by_order ON order_lines (order_id);

CREATE TABLE photos (
    id TEXT PRIMARY KEY,
    shop_id TEXT NOT NULL REFERENCES shops(id),
    order_id TEXT NOT NULL REFERENCES orders(id),
    storage_key TEXT NOT NULL,
    width BIGINT NOT NULL,
    height BIGINT NOT NULL,
    bytes BIGINT NOT NULL,
    thumb_key TEXT NOT NULL,
    thumb_width BIGINT NOT NULL,
    thumb_height BIGINT NOT NULL,
    content_hash TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX photos_by_order ON photos (order_id);

CREATE TABLE return_requests (
    id TEXT PRIMARY KEY,
    shop_id TEXT NOT NULL REFERENCES shops(id),
    order_id TEXT NOT NULL REFERENCES orders(id),
    reference TEXT NOT NULL UNIQUE,
    status TEXT NOT NULL,
    resolution TEXT NOT NULL,
    return_method TEXT NOT NULL,
    locale TEXT NOT NULL,
    idempotency_key TEXT NOT NULL,
    version BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    UNIQUE (order_id, idempotency_key)
);
CREATE INDEX return_requests_by_shop_status ON return_requests (shop_id, status, created_at);

CREATE TABLE return_items (
    id TEXT PRIMARY KEY,
    return_id TEXT NOT NULL REFERENCES return_requests(id),
    order_line_id TEXT NOT NULL REFERENCES order_lines(id),
    quantity BIGINT NOT NULL,
    reason_code TEXT NOT NULL,
    comment TEXT NOT NULL DEFAULT '',
    photo_id TEXT REFERENCES photos(id)
);
CREATE INDEX return_items_by_return ON return_items (return_id);
CREATE INDEX return_items_by_line ON return_items (order_line_id);

CREATE TABLE return_status_history (
    id TEXT PRIMARY KEY,
    return_id TEXT NOT NULL REFERENCES return_requests(id),
    from_status TEXT,
    to_status TEXT NOT NULL,
    event TEXT NOT NULL,
    actor TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    at BIGINT NOT NULL
);
CREATE INDEX return_status_history_by_return ON return_status_history (return_id, at);
