-- Version 2: a digest of the batch's secret (never the secret), so a runner with another
-- secret is refused instead of sending under other references; and whether the provider
-- ever acknowledged an item's reference (a 202, a 409, "used before"), after which a
-- lookup that finds nothing never makes the item sendable again.
ALTER TABLE payout_batches ADD COLUMN secret_check TEXT;
ALTER TABLE payout_items ADD COLUMN acknowledged BOOLEAN NOT NULL DEFAULT false;
