-- The portal's font and corner radius, as JSON ({"font": "serif", "corner_radius_px": 4});
-- '{}' reads as the default look.
ALTER TABLE shops ADD COLUMN theme_json TEXT NOT NULL DEFAULT '{}';
