-- Version 8: each batch's running totals by status and currency, so that a summary reads a
-- few rows whatever the batch's size (before, it counted every item: O(batch)).
-- Each database session adds to rows of its own (its backend pid picks a shard) so that
-- workers changing items at once never wait on one another's totals row; a summary adds
-- the shards up. Statement triggers write once per statement and status, however many
-- items the statement changed; the rows of one statement are written in key order.
-- The triggers lock the items' table until the commit (writers wait meanwhile): rather
-- than queue every worker's writes behind a long transaction of an older one, give up and
-- let the next open try again.
SET LOCAL lock_timeout = '5s';
CREATE TABLE payout_totals (
  batch_id TEXT NOT NULL,
  status TEXT NOT NULL,
  currency TEXT NOT NULL,
  shard INTEGER NOT NULL,
  n BIGINT NOT NULL,
  amount NUMERIC NOT NULL,
  PRIMARY KEY (batch_id, status, currency, shard)
);

-- `search_path FROM CURRENT`: the ledger's schema (the migration runs with it set), so
-- the trigger finds its table whatever the session's own search path.
CREATE FUNCTION payout_totals_add() RETURNS trigger LANGUAGE plpgsql
SET search_path FROM CURRENT AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO payout_totals AS t (batch_id, status, currency, shard, n, amount)
    SELECT batch_id, status, currency, pg_backend_pid() % 128, COUNT(*), SUM(amount::numeric)
    FROM new_items GROUP BY batch_id, status, currency ORDER BY batch_id, status, currency
    ON CONFLICT (batch_id, status, currency, shard)
    DO UPDATE SET n = t.n + excluded.n, amount = t.amount + excluded.amount;
  ELSIF TG_OP = 'UPDATE' THEN
    INSERT INTO payout_totals AS t (batch_id, status, currency, shard, n, amount)
    SELECT batch_id, status, currency, pg_backend_pid() % 128, SUM(dn), SUM(da)
    FROM (
      SELECT batch_id, status, currency, 1 AS dn, amount::numeric AS da FROM new_items
      UNION ALL
      SELECT batch_id, status, currency, -1, -(amount::numeric) FROM old_items
    ) d
    GROUP BY batch_id, status, currency
    HAVING SUM(dn) <> 0 OR SUM(da) <> 0
    ORDER BY batch_id, status, currency
    ON CONFLICT (batch_id, status, currency, shard)
    DO UPDATE SET n = t.n + excluded.n, amount = t.amount + excluded.amount;
  ELSE
    INSERT INTO payout_totals AS t (batch_id, status, currency, shard, n, amount)
    SELECT batch_id, status, currency, pg_backend_pid() % 128, -COUNT(*), -SUM(amount::numeric)
    FROM old_items GROUP BY batch_id, status, currency ORDER BY batch_id, status, currency
    ON CONFLICT (batch_id, status, currency, shard)
    DO UPDATE SET n = t.n + excluded.n, amount = t.amount + excluded.amount;
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER payout_totals_insert AFTER INSERT ON payout_items
REFERENCING NEW TABLE AS new_items FOR EACH STATEMENT EXECUTE FUNCTION payout_totals_add();
CREATE TRIGGER payout_totals_update AFTER UPDATE ON payout_items
REFERENCING OLD TABLE AS old_items NEW TABLE AS new_items
FOR EACH STATEMENT EXECUTE FUNCTION payout_totals_add();
CREATE TRIGGER payout_totals_delete AFTER DELETE ON payout_items
REFERENCING OLD TABLE AS old_items FOR EACH STATEMENT EXECUTE FUNCTION payout_totals_add();

-- The items already written (the triggers hold the items' table from here to the commit,
-- and the migration reads committed rows after taking that lock, so no change slips
-- between the two).
INSERT INTO payout_totals (batch_id, status, currency, shard, n, amount)
SELECT batch_id, status, currency, 0, COUNT(*), SUM(amount::numeric)
FROM payout_items GROUP BY batch_id, status, currency;
