-- Version 7: a submission's stage lives only until its batch is made (in one transaction)
-- or it is dropped, so it skips the write-ahead log. A server crash empties it; a batch is
-- never made from a stage that lost items (the count is checked), so the producer submits
-- again.
-- The table is rewritten under an exclusive lock: rather than queue every submission
-- behind a long one of an older worker, give up and let the next open try again.
SET LOCAL lock_timeout = '5s';
ALTER TABLE payout_stage SET UNLOGGED;
