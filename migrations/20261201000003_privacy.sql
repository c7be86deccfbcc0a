-- Shopper data protection: the shop's retention period, privacy contact and notice (JSON of
-- domain::privacy::PrivacySettings; '' means the defaults).
ALTER TABLE shops ADD COLUMN privacy_json TEXT NOT NULL DEFAULT '';
