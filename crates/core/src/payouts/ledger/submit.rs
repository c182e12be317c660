//! Submissions: what a store does to take a batch in, whole ([`Submissions::create_batch`])
//! or a chunk at a time (staged, then made the batch in one transaction), and the rules
//! every store applies the same way (a batch id taken first wins; a stage that lost items
//! is not a batch).

use async_trait::async_trait;

use super::item::{BatchRow, NewItem};
use crate::failure::Failure;

/// A batch to create. `fingerprint` is a digest of its items: a second submit with the
/// same id is a no-op when it matches and a `Conflict` when it does not.
#[derive(Debug, Clone)]
pub struct NewBatch {
    pub batch_id: String,
    pub fingerprint: String,
    pub items: Vec<NewItem>,
    /// HMAC(secret, a fixed label): tells a later step run with another secret (whose
    /// references would differ) from the one that submitted. Never the secret itself.
    pub secret_check: String,
    /// Milliseconds since the Unix epoch.
    pub now_ms: i64,
}

impl NewBatch {
    /// The batch's own row as a staged batch writes it: its items counted, not carried.
    pub(crate) fn head(&self) -> StagedBatch {
        StagedBatch {
            batch_id: self.batch_id.clone(),
            fingerprint: self.fingerprint.clone(),
            total: self.items.len() as u64,
            secret_check: self.secret_check.clone(),
            now_ms: self.now_ms,
        }
    }
}

/// A batch whose items were staged ([`Submissions::stage`]), to be made in one transaction
/// ([`Submissions::commit_stage`]).
#[derive(Debug, Clone)]
pub struct StagedBatch {
    pub batch_id: String,
    pub fingerprint: String,
    /// How many items were staged.
    pub total: u64,
    pub secret_check: String,
    /// Milliseconds since the Unix epoch.
    pub now_ms: i64,
}

/// What `create_batch` did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Created {
    New,
    /// The batch existed with the same fingerprint: nothing was written.
    Existing,
    /// The batch existed with other items: nothing was written.
    Conflict,
}

impl Created {
    /// What a submit with `fingerprint` comes to when `existing` holds its batch id already.
    pub(crate) fn over(existing: &BatchRow, fingerprint: &str) -> Created {
        if existing.fingerprint == fingerprint {
            Created::Existing
        } else {
            Created::Conflict
        }
    }
}

/// How a store takes batches in. Every [`super::Ledger`] is one.
#[async_trait]
pub trait Submissions: Send + Sync {
    /// Creates the batch and all its items (`queued`, generation 0) in one transaction,
    /// unless a batch with this id exists.
    async fn create_batch(&self, batch: NewBatch) -> Result<Created, Failure>;

    /// Keeps `items` (each with its seq, its index in the submission) under `stage`,
    /// apart from every batch: a batch submitted a chunk at a time is never seen, let
    /// alone run, half-written. Returns the seqs of those whose key was staged already
    /// (written once: the first wins).
    async fn stage(&self, stage: &str, items: Vec<(u64, NewItem)>) -> Result<Vec<u64>, Failure>;

    /// Makes the staged items the batch (`queued`, generation 0) in one transaction and
    /// lets the stage go, unless a batch with this id exists (then it only lets it go).
    async fn commit_stage(&self, stage: &str, batch: StagedBatch) -> Result<Created, Failure>;

    /// Lets a stage go (a submission abandoned or refused), and stages older than a day,
    /// left by processes that died while submitting.
    async fn drop_stage(&self, stage: &str) -> Result<(), Failure>;
}

/// Whether the `written` rows a commit copied from the stage are the whole batch: fewer
/// (a stage is dropped when it looks abandoned, after a day without a chunk) is not a
/// batch, and the error says why.
pub(crate) fn all_staged(written: u64, total: u64) -> Result<(), String> {
    if written == total {
        return Ok(());
    }
    Err(format!(
        "{written} of the batch's {total} items were still staged (the submission was too slow \
         and its stage was dropped as abandoned); nothing was written: submit it again"
    ))
}
