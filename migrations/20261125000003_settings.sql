-- Branding and optimistic locking for the settings page.
ALTER TABLE shops ADD COLUMN logo_url TEXT NOT NULL DEFAULT '';
-- Bumped by every save: two owners editing at once cannot overwrite each other unseen.
ALTER TABLE shops ADD COLUMN settings_version BIGINT NOT NULL DEFAULT 0;
