-- Version 6: what `payouts.verify` concluded of each item (active, the name's score and
-- rule, a masked registered name; never the name itself) and an operator's approval or
-- rejection of a held item, so that a resumed verification looks up only the items not
-- verified yet. The `held` status needs no change: status is free text.
CREATE TABLE payout_verifications (
  batch_id TEXT NOT NULL,
  key TEXT NOT NULL,
  record JSONB NOT NULL,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (batch_id, key)
);
