-- Version 4: the provider environment each batch is bound to (the first one it was sent
-- to; a runner configured for another account is refused), an operator's resolution of
-- an unknown item, and the id of the transition that last wrote each item, by which a
-- transition whose reply was lost with its connection knows that it committed.
ALTER TABLE payout_items ADD COLUMN resolution JSONB;
ALTER TABLE payout_items ADD COLUMN write_id TEXT;
-- The environment is kept as the JSON text it was bound with (not JSONB), so that it reads
-- back exactly as written.
CREATE TABLE payout_accounts (
  batch_id TEXT NOT NULL,
  provider TEXT NOT NULL,
  environment TEXT NOT NULL,
  bound_at BIGINT NOT NULL,
  PRIMARY KEY (batch_id, provider)
);
