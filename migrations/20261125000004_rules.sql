-- Return rules (issue 4). A shop's rules are one ordered document, replaced whole by the
-- editor and the API, versioned so two editors cannot overwrite each other unseen.
ALTER TABLE shops ADD COLUMN rules_json TEXT NOT NULL DEFAULT '[]';
ALTER TABLE shops ADD COLUMN rules_version BIGINT NOT NULL DEFAULT 0;
-- What rules can test on a line besides its SKU: comma-separated tags, one category.
ALTER TABLE order_lines ADD COLUMN tags TEXT NOT NULL DEFAULT '';
ALTER TABLE order_lines ADD COLUMN category TEXT NOT NULL DEFAULT '';
-- Which rules matched at submission and what they did (JSON of the domain's Outcome).
ALTER TABLE return_requests ADD COLUMN rule_outcome_json TEXT NOT NULL DEFAULT '';
-- Rules count a customer's earlier requests: find them by email within a shop.
CREATE INDEX orders_by_shop_email ON orders (shop_id, email);
