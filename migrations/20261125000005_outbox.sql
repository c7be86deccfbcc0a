-- Emails to shoppers (issue 5): a transactional outbox. A message is written in the same
-- transaction as the status change it reports, so a change is never without its email and
-- an email never reports a change that was rolled back; a worker sends it afterwards.
CREATE TABLE outbox_messages (
    id TEXT PRIMARY KEY,
    shop_id TEXT NOT NULL REFERENCES shops(id),
    return_id TEXT REFERENCES return_requests(id),
    kind TEXT NOT NULL,
    recipient TEXT NOT NULL,
    locale TEXT NOT NULL,
    -- Composed when the change happened: later edits of the texts do not rewrite history.
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    -- 'pending' until sent; 'failed' after the last retry, until someone retries it.
    status TEXT NOT NULL,
    attempts BIGINT NOT NULL DEFAULT 0,
    -- Due time; a worker that takes a message moves it forward (a lease), so two workers
    -- never send the same message at once.
    next_attempt_at BIGINT NOT NULL,
    last_error TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    sent_at BIGINT
);
CREATE INDEX outbox_messages_due ON outbox_messages (status, next_attempt_at);
CREATE INDEX outbox_messages_by_shop ON outbox_messages (shop_id, created_at);
CREATE INDEX outbox_messages_by_return ON outbox_messages (return_id);

-- A merchant's own subject and body for a message, per language; absent means ours.
CREATE TABLE message_texts (
    shop_id TEXT NOT NULL REFERENCES shops(id),
    kind TEXT NOT NULL,
    locale TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (shop_id, kind, locale)
);
