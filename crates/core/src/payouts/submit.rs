//! `submit` a chunk at a time, so that a batch of a million items is never held whole:
//! [`Payouts::begin`], then [`Payouts::add`] for each chunk (each item checked and staged
//! in the ledger, apart from every batch), then [`Payouts::commit`], which makes the
//! batch from the stage in one transaction — or reports every bad item at once.
//!
//! The fingerprint that tells a second submit of the same batch from another one is
//! order-independent without sorting: the SHA-256 of each item added up lane by lane.

use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use super::ledger::{Created, ItemsPage, NewItem, Pages, StagedBatch};
use super::provider::Provider;
use super::{items, no_batch, Payouts};
use crate::failure::{Failure, FailureKind};
use crate::CallResult;

/// The most items a batch holds.
pub const MAX_ITEMS: u64 = 1_000_000;
/// The bad items a refused submission lists; beyond them it counts.
pub const MAX_REPORTED: usize = 1_000;
/// How the fingerprints made here begin; a batch written before has a digest of its
/// items sorted by key instead, which [`Payouts::commit`] still recognises.
const FINGERPRINT: &str = "v2:";

/// A submission under way.
pub struct Submission {
    batch_id: String,
    stage: String,
    /// How many items were read: the next one's index.
    next: u64,
    /// The items' digests, added up in four lanes.
    sum: [u64; 4],
    /// The bad items found so far (up to [`MAX_REPORTED`]) and how many in all.
    bad: Vec<Failure>,
    bad_count: u64,
}

/// The order-independent sum of item digests.
#[derive(Default)]
struct Sum([u64; 4]);

impl Sum {
    fn add(&mut self, item: &NewItem) {
        let text = item.spec.to_string();
        let mut h = Sha256::new();
        h.update((text.len() as u64).to_be_bytes());
        h.update(text.as_bytes());
        let digest = h.finalize();
        for (lane, bytes) in self.0.iter_mut().zip(digest.chunks(8)) {
            let word: [u8; 8] = bytes.try_into().unwrap_or_default();
            *lane = lane.wrapping_add(u64::from_be_bytes(word));
        }
    }

    fn fingerprint(&self, count: u64) -> String {
        let hex: String = self.0.iter().map(|w| format!("{w:016x}")).collect();
        format!("{FINGERPRINT}{count}:{hex}")
    }
}

impl Submission {
    fn refuse(&mut self, failure: Failure) {
        self.bad_count += 1;
        if self.bad.len() < MAX_REPORTED {
            self.bad.push(failure);
        }
    }

    /// The one failure that lists every bad item (up to [`MAX_REPORTED`]).
    fn failure(&self) -> Failure {
        let listed: Vec<Value> = self
            .bad
            .iter()
            .map(|f| {
                let field = f.field.clone().unwrap_or_default();
                let index = field
                    .strip_prefix("items[")
                    .and_then(|r| r.split(']').next())
                    .and_then(|n| n.parse::<u64>().ok());
                json!({ "index": index, "field": field, "message": f.message })
            })
            .collect();
        let Some(first) = self.bad.first() else {
            return Failure::invalid("items", "the batch has no bad item");
        };
        let message = match self.bad_count {
            1 => first.message.clone(),
            n => format!(
                "{} (and {} more bad items: failure.body.errors lists {})",
                first.message,
                n - 1,
                if n as usize > MAX_REPORTED {
                    format!("the first {MAX_REPORTED}")
                } else {
                    "them all".to_owned()
                }
            ),
        };
        let mut failure = Failure::invalid(first.field.as_deref().unwrap_or("items"), message);
        failure.body = Some(json!({ "errors": listed, "count": self.bad_count }));
        failure
    }
}

impl Payouts {
    /// Starts a submission of `batch_id`.
    pub async fn begin(&self, batch_id: &str) -> Result<Submission, Failure> {
        self.writable()?;
        Ok(Submission {
            batch_id: items::batch_id(batch_id)?,
            stage: uuid::Uuid::new_v4().to_string(),
            next: 0,
            sum: [0; 4],
            bad: Vec::new(),
            bad_count: 0,
        })
    }

    /// Checks a chunk of items (an array) and stages the good ones; bad ones are noted
    /// for [`Payouts::commit`] to report, all of them.
    pub async fn add(&self, s: &mut Submission, chunk: &Value) -> Result<(), Failure> {
        let Value::Array(list) = chunk else {
            return Err(Failure::invalid(
                "items",
                "items must be an array, an iterable or a stream of payout items",
            ));
        };
        if s.next + list.len() as u64 > MAX_ITEMS {
            return Err(Failure::invalid(
                "items",
                format!("a batch holds at most {MAX_ITEMS} payout items"),
            ));
        }
        let providers = self.providers();
        let stage = s.stage.clone();
        // A part is staged (the ledger's thread or connection) while the next is checked
        // (this thread), so the two overlap; parts are still staged one after another.
        let mut parts = list.chunks(STAGE_PART);
        let mut staging: Option<(Vec<(u64, String)>, _)> = None;
        loop {
            let part = parts.next();
            let check = async { part.map(|part| check_part(s, part, &providers)) };
            let (staged, checked) = match staging.take() {
                Some((keys, writing)) => {
                    let (written, checked) = futures::join!(writing, check);
                    (Some((keys, written)), checked)
                }
                None => (None, check.await),
            };
            if let Some((keys, written)) = staged {
                refuse_repeated(s, &keys, written?);
            }
            match checked {
                None => return Ok(()),
                Some(good) if good.is_empty() => {}
                Some(good) => {
                    let keys: Vec<(u64, String)> =
                        good.iter().map(|(at, i)| (*at, i.key.clone())).collect();
                    staging = Some((keys, self.engine.ledger.stage(&stage, good)));
                }
            }
        }
    }

    /// Makes the batch from what was staged, in one transaction; does nothing when the
    /// batch exists with the same items, and refuses (writing nothing) when it exists
    /// with other items or an item was bad.
    pub async fn commit(&self, s: Submission) -> CallResult {
        let ledger = &self.engine.ledger;
        let refused = if s.bad_count > 0 {
            Some(s.failure())
        } else if s.next == 0 {
            Some(Failure::invalid(
                "items",
                format!("items must hold 1 to {MAX_ITEMS} payout items"),
            ))
        } else {
            None
        };
        if let Some(f) = refused {
            ledger.drop_stage(&s.stage).await?;
            return Err(f);
        }
        let fingerprint = Sum(s.sum).fingerprint(s.next);
        let created = match ledger.batch(&s.batch_id).await? {
            // A batch written before fingerprints were sums: compared item by item.
            Some(b) if !b.fingerprint.starts_with(FINGERPRINT) => {
                ledger.drop_stage(&s.stage).await?;
                if self.fingerprint_of(&s.batch_id).await? == fingerprint {
                    Created::Existing
                } else {
                    Created::Conflict
                }
            }
            _ => {
                let batch = StagedBatch {
                    batch_id: s.batch_id.clone(),
                    fingerprint,
                    total: s.next,
                    secret_check: self.secret_check.clone(),
                    now_ms: self.engine.clock.now_ms(),
                };
                ledger.commit_stage(&s.stage, batch).await?
            }
        };
        if created == Created::Conflict {
            return Err(Failure::new(
                FailureKind::Conflict,
                format!("batch {} was already submitted with other items; give the new items a new batch id", s.batch_id),
            ));
        }
        let mut summary = self.summary_of(&s.batch_id).await?;
        if let Value::Object(m) = &mut summary {
            m.insert("created".into(), (created == Created::New).into());
        }
        Ok(summary)
    }

    /// Lets a submission go without making its batch.
    pub async fn abort(&self, s: Submission) -> Result<(), Failure> {
        self.engine.ledger.drop_stage(&s.stage).await
    }

    /// Creates the batch from an array of items, or does nothing when it exists with the
    /// same items.
    pub async fn submit(&self, batch_id: &str, items: &Value) -> CallResult {
        let mut s = self.begin(batch_id).await?;
        if let Err(f) = self.add(&mut s, items).await {
            self.abort(s).await?;
            return Err(f);
        }
        self.commit(s).await
    }

    /// The fingerprint [`Payouts::commit`] makes, of a batch already in the ledger.
    async fn fingerprint_of(&self, batch_id: &str) -> Result<String, Failure> {
        let (mut sum, mut count) = (Sum::default(), 0);
        let mut pages = Pages::new(
            &*self.engine.ledger,
            batch_id,
            ItemsPage::new(&[], None, 1_000),
        );
        while let Some(page) = pages.next().await? {
            for row in &page {
                sum.add(&row.item);
                count += 1;
            }
        }
        if count == 0 {
            return Err(no_batch(batch_id));
        }
        Ok(sum.fingerprint(count))
    }
}

/// Items checked a part at a time within a chunk, each part staged while the next is
/// checked.
const STAGE_PART: usize = 1000;

/// Checks a part of a chunk: the items to stage (with their seq), the bad ones refused.
fn check_part(
    s: &mut Submission,
    part: &[Value],
    providers: &[&dyn Provider],
) -> Vec<(u64, NewItem)> {
    let mut good = Vec::with_capacity(part.len());
    let mut sum = Sum(s.sum);
    for v in part {
        let at = s.next;
        s.next += 1;
        match items::item(v, at as usize, providers) {
            Ok(item) => {
                sum.add(&item);
                good.push((at, item));
            }
            Err(f) => s.refuse(f),
        }
    }
    s.sum = sum.0;
    good
}

/// Refuses the items the stage already held under their key (`repeated`: their seqs).
fn refuse_repeated(s: &mut Submission, keys: &[(u64, String)], repeated: Vec<u64>) {
    for seq in repeated {
        let key = keys
            .iter()
            .find(|(at, _)| *at == seq)
            .map_or("", |(_, k)| k.as_str());
        s.refuse(Failure::invalid(
            &format!("items[{seq}].key"),
            format!("items[{seq}].key \"{key}\" appears twice in the batch"),
        ));
    }
}
