-- The payouts ledger on PostgreSQL, version 1. Run by the package itself (in one
-- transaction, under an advisory lock, with search_path set to the ledger's schema).
CREATE TABLE payout_batches (
  batch_id TEXT PRIMARY KEY,
  fingerprint TEXT NOT NULL,
  total BIGINT NOT NULL,
  paused TEXT,
  started_at BIGINT NOT NULL,
  finished_at BIGINT
);

CREATE TABLE payout_items (
  batch_id TEXT NOT NULL REFERENCES payout_batches (batch_id),
  seq BIGINT NOT NULL,
  key TEXT NOT NULL,
  provider TEXT NOT NULL,
  amount TEXT NOT NULL,
  currency TEXT NOT NULL,
  spec JSONB NOT NULL,
  status TEXT NOT NULL,
  generation BIGINT NOT NULL,
  reference TEXT,
  reason JSONB,
  provider_id TEXT,
  sends BIGINT NOT NULL,
  lookups BIGINT NOT NULL,
  next_check BIGINT,
  updated_at BIGINT NOT NULL,
  version BIGINT NOT NULL,
  PRIMARY KEY (batch_id, key),
  UNIQUE (batch_id, seq)
);

CREATE INDEX payout_items_status ON payout_items (batch_id, status, seq);
