//! The PostgreSQL ledger's statements, with the schema's table names in them.

pub(super) const ITEM_COLUMNS: &str = "batch_id, seq, key, provider, amount, currency, spec::text, status, \
     generation, reference, reason::text, provider_id, sends, lookups, next_check, updated_at, version, acknowledged, \
     runner, sent_at, resolution::text";
/// The server's clock in ms since the epoch (`clock_timestamp`, not the transaction's).
pub(super) const NOW_MS: &str = "(extract(epoch from clock_timestamp()) * 1000)::bigint";
pub(super) const BATCH_COLUMNS: &str =
    "batch_id, fingerprint, total, paused, started_at, finished_at, secret_check";

/// The statements, with the schema's table names in them.
pub(super) struct Sql {
    /// The schema, quoted, for statements written elsewhere (`verify`).
    pub(super) schema: String,
    pub(super) batch: String,
    pub(super) item: String,
    pub(super) items: String,
    pub(super) items_all: String,
    pub(super) analyze: String,
    pub(super) claim_batch: String,
    pub(super) insert_items: String,
    pub(super) transition: String,
    pub(super) written: String,
    pub(super) paused: String,
    pub(super) finished: String,
    pub(super) totals: String,
    pub(super) heartbeat: String,
    pub(super) forget_runners: String,
    pub(super) runners_seen: String,
    pub(super) bind: String,
    pub(super) bound: String,
    pub(super) clock: String,
    pub(super) stage: String,
    pub(super) unstage: String,
    pub(super) insert_staged: String,
    pub(super) due_by: String,
    pub(super) due_unset: String,
}

impl Sql {
    pub(super) fn new(schema: &str) -> Sql {
        let b = format!("{schema}.payout_batches");
        let i = format!("{schema}.payout_items");
        Sql {
            schema: schema.to_owned(),
            batch: format!("SELECT {BATCH_COLUMNS} FROM {b} WHERE batch_id = $1"),
            item: format!("SELECT {ITEM_COLUMNS} FROM {i} WHERE batch_id = $1 AND key = $2"),
            // A key staged already is left as it was: the answer lists the seqs written.
            stage: format!(
                "INSERT INTO {schema}.payout_stage \
                 (stage, seq, key, provider, amount, currency, spec, staged_at) \
                 SELECT $1, s, k, p, a, c, j::jsonb, {NOW_MS} \
                 FROM UNNEST($2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[]) \
                 AS t(s, k, p, a, c, j) ON CONFLICT (stage, key) DO NOTHING RETURNING seq"
            ),
            unstage: format!(
                "DELETE FROM {schema}.payout_stage WHERE stage = $1 OR staged_at < {NOW_MS} - $2"
            ),
            insert_staged: format!(
                "INSERT INTO {i} (batch_id, seq, key, provider, amount, currency, spec, status, \
                 generation, sends, lookups, updated_at, version) \
                 SELECT $1, seq, key, provider, amount, currency, spec, 'queued', 0, 0, 0, $2, 0 \
                 FROM {schema}.payout_stage WHERE stage = $3"
            ),
            // Both in the (batch_id, status, next_check, seq) index's order. The status
            // as `$2`, not `status || ''`: here the index is the plan wanted.
            due_by: format!(
                "SELECT {ITEM_COLUMNS} FROM {i} WHERE batch_id = $1 AND status = $2 \
                 AND next_check <= $3 AND (next_check, seq) > ($4, $5) \
                 ORDER BY next_check, seq LIMIT $6"
            ),
            due_unset: format!(
                "SELECT {ITEM_COLUMNS} FROM {i} WHERE batch_id = $1 AND status = $2 \
                 AND next_check IS NULL AND seq > $3 ORDER BY seq LIMIT $4"
            ),
            items: format!(
                "SELECT {ITEM_COLUMNS} FROM {i} WHERE batch_id = $1 AND status = ANY($2) \
                 AND seq > $3 ORDER BY seq LIMIT $4"
            ),
            // Every status: no condition on it, so that the plan walks (batch_id, seq).
            items_all: format!(
                "SELECT {ITEM_COLUMNS} FROM {i} WHERE batch_id = $1 AND seq > $2 \
                 ORDER BY seq LIMIT $3"
            ),
            // Statistics wait on nobody for long (a VACUUM, another ANALYZE): they are
            // worth little next to answering the submit.
            analyze: format!("BEGIN; SET LOCAL lock_timeout = '2s'; ANALYZE {i}; COMMIT"),
            claim_batch: format!(
                "INSERT INTO {b} (batch_id, fingerprint, total, started_at, secret_check) \
                 VALUES ($1, $2, $3, $4, $5) \
                 ON CONFLICT (batch_id) DO NOTHING RETURNING batch_id"
            ),
            insert_items: format!(
                "INSERT INTO {i} (batch_id, seq, key, provider, amount, currency, spec, status, \
                 generation, sends, lookups, updated_at, version) \
                 SELECT $1, s, k, p, a, c, j::jsonb, 'queued', 0, 0, 0, $2, 0 \
                 FROM UNNEST($3::bigint[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[]) \
                 AS t(s, k, p, a, c, j)"
            ),
            // `status || '' = $12`, not `status = $12`: with the latter, the prepared
            // statement's generic plan may take the (batch_id, status) index and scan every
            // item of that status for the one key, which made each write cost O(batch).
            transition: format!(
                "UPDATE {i} SET status = $1, generation = $2, reference = $3, reason = $4::text::jsonb, \
                 provider_id = $5, sends = $6, lookups = $7, next_check = $8, updated_at = $9, \
                 acknowledged = $15, runner = $16, sent_at = $17, resolution = $18::text::jsonb, \
                 write_id = $19, version = version + 1 \
                 WHERE batch_id = $10 AND key = $11 AND status || '' = $12 AND generation = $13 \
                 AND version = $14"
            ),
            // The version too: a writer of an older release leaves write_id as it was.
            written: format!(
                "SELECT version FROM {i} WHERE batch_id = $1 AND key = $2 AND write_id = $3 \
                 AND version = $4"
            ),
            paused: format!("UPDATE {b} SET paused = $2 WHERE batch_id = $1"),
            finished: format!("UPDATE {b} SET finished_at = $2 WHERE batch_id = $1"),
            // The running totals (migration 8) of a batch by status, then by currency, in
            // one statement so that counts and amounts come from one snapshot.
            totals: format!(
                "SELECT 's', status, SUM(n)::int8, 0::float8, 0::float8 \
                 FROM {schema}.payout_totals WHERE batch_id = $1 GROUP BY status \
                 HAVING SUM(n) > 0 \
                 UNION ALL \
                 SELECT 'c', currency, SUM(n)::int8, SUM(amount)::float8, \
                 COALESCE(SUM(amount) FILTER (WHERE status = 'successful'), 0)::float8 \
                 FROM {schema}.payout_totals WHERE batch_id = $1 GROUP BY currency \
                 HAVING SUM(n) > 0 ORDER BY 1, 2"
            ),
            heartbeat: format!(
                "INSERT INTO {schema}.payout_runners (runner, seen_at) VALUES ($1, $2) \
                 ON CONFLICT (runner) DO UPDATE \
                 SET seen_at = GREATEST(payout_runners.seen_at, EXCLUDED.seen_at)"
            ),
            forget_runners: format!("DELETE FROM {schema}.payout_runners WHERE seen_at < $1"),
            runners_seen: format!(
                "SELECT runner, seen_at FROM {schema}.payout_runners WHERE runner = ANY($1)"
            ),
            bind: format!(
                "INSERT INTO {schema}.payout_accounts (batch_id, provider, environment, bound_at) \
                 VALUES ($1, $2, $3, {NOW_MS}) ON CONFLICT (batch_id, provider) DO NOTHING"
            ),
            bound: format!(
                "SELECT environment FROM {schema}.payout_accounts \
                 WHERE batch_id = $1 AND provider = $2"
            ),
            clock: format!("SELECT {NOW_MS}"),
        }
    }
}
