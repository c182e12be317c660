//! The sandbox's ledger of payouts: every payout either provider accepted, with its
//! status, as the control endpoint and a state file show it. A leaf: the shared state and
//! each provider's state hold it.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

/// One payout the sandbox recorded.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct LedgerEntry {
    pub provider: &'static str,
    /// MoMo's product: `collection`, `disbursement` or `remittance`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub product: Option<&'static str>,
    pub kind: String,
    pub reference_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub external_id: Option<String>,
    pub amount: f64,
    pub currency: String,
    pub party: String,
    pub status: String,
}

/// The provider and product names a stored ledger entry may carry.
const NAMES: [&str; 5] = ["momo", "paymob", "collection", "disbursement", "remittance"];

fn known_name(name: &str) -> Result<&'static str, String> {
    NAMES
        .into_iter()
        .find(|n| *n == name)
        .ok_or_else(|| format!("unknown name {name}"))
}

/// A ledger entry as a state file stores it (owned names, checked on the way in).
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct StoredEntry {
    provider: String,
    product: Option<String>,
    kind: String,
    reference_id: String,
    external_id: Option<String>,
    amount: f64,
    currency: String,
    party: String,
    status: String,
}

// Through `StoredEntry`: a derived impl would ask `'de: 'static` for the `&'static str`s.
impl<'de> Deserialize<'de> for LedgerEntry {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<LedgerEntry, D::Error> {
        let e = StoredEntry::deserialize(d)?;
        let product = e.product.as_deref().map(known_name).transpose();
        Ok(LedgerEntry {
            provider: known_name(&e.provider).map_err(serde::de::Error::custom)?,
            product: product.map_err(serde::de::Error::custom)?,
            kind: e.kind,
            reference_id: e.reference_id,
            external_id: e.external_id,
            amount: e.amount,
            currency: e.currency,
            party: e.party,
            status: e.status,
        })
    }
}

type LedgerKey = (&'static str, Option<&'static str>, String, String);

#[derive(Default)]
pub struct Ledger {
    entries: Vec<LedgerEntry>,
    /// (provider, product, kind, reference): one reference may name a transfer and a
    /// deposit, or a Disbursement and a Remittance transfer.
    index: HashMap<LedgerKey, usize>,
}

impl Ledger {
    pub fn record(&mut self, entry: LedgerEntry) {
        let key = (
            entry.provider,
            entry.product,
            entry.kind.clone(),
            entry.reference_id.clone(),
        );
        self.index.insert(key, self.entries.len());
        self.entries.push(entry);
    }

    pub fn set_status(
        &mut self,
        provider: &'static str,
        product: Option<&'static str>,
        kind: &str,
        reference_id: &str,
        status: &str,
    ) {
        let key = (provider, product, kind.to_owned(), reference_id.to_owned());
        if let Some(i) = self.index.get(&key) {
            if let Some(e) = self.entries.get_mut(*i) {
                e.status = status.to_owned();
            }
        }
    }

    pub fn entries(&self) -> &[LedgerEntry] {
        &self.entries
    }
}
