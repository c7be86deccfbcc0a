-- Merchant users of the back-office and their sessions.
-- Emails are stored trimmed and lower-cased; passwords as argon2id PHC strings; a session
-- as the SHA-256 (hex) of its cookie's token, so a copy of the database opens no session.

CREATE TABLE merchant_users (
    id TEXT PRIMARY KEY,
    shop_id TEXT NOT NULL REFERENCES shops(id),
    email TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    -- 'owner' or 'staff'.
    role TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX merchant_users_by_shop ON merchant_users (shop_id);

CREATE TABLE merchant_sessions (
    token_hash TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES merchant_users(id),
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX merchant_sessions_by_expiry ON merchant_sessions (expires_at);
CREATE INDEX merchant_sessions_by_user ON merchant_sessions (user_id);
