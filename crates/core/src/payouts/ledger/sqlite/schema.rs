//! The SQLite ledger's schema: made on open, with what later versions added (columns, the
//! index of due lookups, the running totals) added to files written before them.

use rusqlite::{params, Connection};

use super::error::storage;
use crate::failure::Failure;

/// An item's columns as submitted: the stage holds them as `payout_items` does, and a
/// commit copies them across.
macro_rules! submitted_columns {
    () => {
        "
  seq INTEGER NOT NULL,
  key TEXT NOT NULL,
  provider TEXT NOT NULL,
  amount TEXT NOT NULL,
  currency TEXT NOT NULL,
  spec TEXT NOT NULL,"
    };
}

pub(super) const SCHEMA: &str = concat!(
    "
CREATE TABLE IF NOT EXISTS payout_batches (
  batch_id TEXT PRIMARY KEY,
  fingerprint TEXT NOT NULL,
  secret_check TEXT,
  total INTEGER NOT NULL,
  paused TEXT,
  started_at INTEGER NOT NULL,
  finished_at INTEGER
);
CREATE TABLE IF NOT EXISTS payout_items (
  batch_id TEXT NOT NULL,",
    submitted_columns!(),
    "
  status TEXT NOT NULL,
  generation INTEGER NOT NULL,
  reference TEXT,
  reason TEXT,
  provider_id TEXT,
  sends INTEGER NOT NULL,
  lookups INTEGER NOT NULL,
  next_check INTEGER,
  updated_at INTEGER NOT NULL,
  version INTEGER NOT NULL,
  acknowledged INTEGER NOT NULL DEFAULT 0,
  runner TEXT,
  sent_at INTEGER,
  resolution TEXT,
  PRIMARY KEY (batch_id, key)
);
CREATE TABLE IF NOT EXISTS payout_runners (
  runner TEXT PRIMARY KEY,
  seen_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS payout_accounts (
  batch_id TEXT NOT NULL,
  provider TEXT NOT NULL,
  environment TEXT NOT NULL,
  bound_at INTEGER NOT NULL,
  PRIMARY KEY (batch_id, provider)
);
CREATE UNIQUE INDEX IF NOT EXISTS payout_items_seq ON payout_items (batch_id, seq);
CREATE INDEX IF NOT EXISTS payout_items_status ON payout_items (batch_id, status, seq);
CREATE INDEX IF NOT EXISTS payout_items_due ON payout_items (batch_id, status, next_check, seq);
"
);

pub(super) const ITEM_COLUMNS: &str = "batch_id, seq, key, provider, amount, currency, spec, status, \
     generation, reference, reason, provider_id, sends, lookups, next_check, updated_at, version, acknowledged, runner, sent_at, \
     resolution";

/// Columns added since the first schema, for files written before them.
const ADDED_COLUMNS: [(&str, &str, &str); 5] = [
    ("payout_batches", "secret_check", "TEXT"),
    ("payout_items", "acknowledged", "INTEGER NOT NULL DEFAULT 0"),
    ("payout_items", "runner", "TEXT"),
    ("payout_items", "sent_at", "INTEGER"),
    ("payout_items", "resolution", "TEXT"),
];
/// Adds the columns of [`ADDED_COLUMNS`] a file written by an earlier version lacks.
pub(super) fn add_columns(conn: &Connection) -> Result<(), Failure> {
    for (table, column, kind) in ADDED_COLUMNS {
        let has: bool = conn
            .query_row(
                &format!("SELECT COUNT(*) FROM pragma_table_info('{table}') WHERE name = ?1"),
                params![column],
                |r| r.get::<_, i64>(0),
            )
            .map(|n| n > 0)
            .map_err(storage)?;
        if !has {
            conn.execute_batch(&format!("ALTER TABLE {table} ADD COLUMN {column} {kind}"))
                .map_err(storage)?;
        }
    }
    Ok(())
}

/// Items of a submission under way wait here until the batch is made from them. A
/// temporary table of the ledger's one connection: written without the log or its syncs
/// (a stage is worth nothing after a crash, which drops it with the connection), and
/// never seen by another process.
pub(super) const STAGE: &str = concat!(
    "
CREATE TEMP TABLE IF NOT EXISTS payout_stage (
  stage TEXT NOT NULL,",
    submitted_columns!(),
    "
  staged_at INTEGER NOT NULL,
  PRIMARY KEY (stage, key)
) WITHOUT ROWID;
"
);

/// The running totals of each batch by status and currency, kept by triggers as items
/// change status (`create_batch` writes a new batch's), so that a summary reads a few
/// rows whatever the batch's size.
const TOTALS: &str = "
CREATE TABLE payout_totals (
  batch_id TEXT NOT NULL,
  status TEXT NOT NULL,
  currency TEXT NOT NULL,
  n INTEGER NOT NULL,
  amount REAL NOT NULL,
  PRIMARY KEY (batch_id, status, currency)
);
CREATE TRIGGER payout_totals_update AFTER UPDATE OF status ON payout_items
WHEN old.status <> new.status BEGIN
  UPDATE payout_totals SET n = n - 1, amount = amount - CAST(old.amount AS REAL)
  WHERE batch_id = old.batch_id AND status = old.status AND currency = old.currency;
  INSERT INTO payout_totals (batch_id, status, currency, n, amount)
  VALUES (new.batch_id, new.status, new.currency, 1, CAST(new.amount AS REAL))
  ON CONFLICT (batch_id, status, currency)
  DO UPDATE SET n = n + 1, amount = amount + excluded.amount;
END;
CREATE TRIGGER payout_totals_delete AFTER DELETE ON payout_items BEGIN
  UPDATE payout_totals SET n = n - 1, amount = amount - CAST(old.amount AS REAL)
  WHERE batch_id = old.batch_id AND status = old.status AND currency = old.currency;
END;
";

/// Adds up a batch's items into its totals (all of them, with `batch_id` NULL: a file
/// written before totals were kept).
pub(super) const ADD_UP: &str =
    "INSERT INTO payout_totals (batch_id, status, currency, n, amount) \
     SELECT batch_id, status, currency, COUNT(*), SUM(CAST(amount AS REAL)) FROM payout_items \
     WHERE ?1 IS NULL OR batch_id = ?1 GROUP BY batch_id, status, currency";

/// Makes the totals table (and its triggers) of a file that lacks it, adding up the items
/// it has, in one transaction: another process opening the file at once waits, then finds
/// it made.
pub(super) fn add_totals(conn: &mut Connection) -> Result<(), Failure> {
    let tx = conn
        .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
        .map_err(storage)?;
    let has: i64 = tx
        .query_row(
            "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'payout_totals'",
            [],
            |r| r.get(0),
        )
        .map_err(storage)?;
    if has == 0 {
        tx.execute_batch(TOTALS).map_err(storage)?;
        tx.execute(ADD_UP, params![None::<String>])
            .map_err(storage)?;
    }
    tx.commit().map_err(storage)
}
