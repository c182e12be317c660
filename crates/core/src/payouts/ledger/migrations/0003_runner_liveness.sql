-- Version 3: runner liveness. Each item keeps the runner (a Payouts instance's random id)
-- that last claimed it and when; each runner's last heartbeat is kept while it works, so
-- that a crashed runner's `sending` items are looked up in seconds, not after a lease.
ALTER TABLE payout_items ADD COLUMN runner TEXT;
ALTER TABLE payout_items ADD COLUMN sent_at BIGINT;
CREATE TABLE payout_runners (
  runner TEXT PRIMARY KEY,
  seen_at BIGINT NOT NULL
);
