-- Version 5: the index the scheduler finds due lookups by (status, then when the next
-- check is due), so that each round reads a page of the batch, never all of it.
CREATE INDEX payout_items_due ON payout_items (batch_id, status, next_check, seq);
-- Items of a batch submitted a chunk at a time wait here, apart from every batch, until
-- the whole batch is made from them in one transaction.
CREATE TABLE payout_stage (
  stage TEXT NOT NULL,
  seq BIGINT NOT NULL,
  key TEXT NOT NULL,
  provider TEXT NOT NULL,
  amount TEXT NOT NULL,
  currency TEXT NOT NULL,
  spec JSONB NOT NULL,
  staged_at BIGINT NOT NULL,
  PRIMARY KEY (stage, key)
);
