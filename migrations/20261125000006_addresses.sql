-- Return labels (issue 5) print where a parcel comes from and where it goes back to.
-- JSON of the domain's PostalAddress; '' until known.
ALTER TABLE shops ADD COLUMN return_address_json TEXT NOT NULL DEFAULT '';
ALTER TABLE orders ADD COLUMN shipping_address_json TEXT NOT NULL DEFAULT '';
