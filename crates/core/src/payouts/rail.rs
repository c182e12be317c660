//! Payout rails as data. A rail is a way of paying an item (MTN MoMo Disbursements,
//! Paymob instant cash-in, …): its id (what an item's `provider` names, the option of
//! `Payouts.open` that configures its account, what the ledger keeps), how to open its
//! [`Provider`] from those options, and its default pacing. The engine knows rails only
//! through this table and the [`Provider`] trait: adding one is a folder under
//! `provider/` and a line in [`RAILS`] (see ARCHITECTURE.md), or, from Rust, a provider
//! of one's own handed to `Payouts::with_engine`.

use std::sync::Arc;

use serde_json::Value;

use super::provider::{momo, paymob, Provider};
use crate::failure::Failure;
use crate::transport::Observer;

/// A rail's id: `momo`, `paymob`, or one registered by a caller.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RailId(Arc<str>);

impl RailId {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl From<&str> for RailId {
    fn from(s: &str) -> Self {
        RailId(Arc::from(s))
    }
}

impl std::fmt::Display for RailId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// How a rail's status lookups are paced by default.
#[derive(Debug, Clone, Copy)]
pub enum LookupPacing {
    /// So many a second (MTN asks for about 10).
    PerSecond(f64),
    /// So many a minute, counted by the client itself (`inquiriesPerMinute`), which the
    /// engine keeps in step (Paymob's 5 inquiries a minute per user).
    ClientPerMinute(f64),
}

/// Opens a rail's provider from its account options.
pub type Open = fn(&Value, Option<Observer>) -> Result<Box<dyn Provider>, Failure>;

/// A rail this crate ships.
pub struct Rail {
    pub id: &'static str,
    pub lookups: LookupPacing,
    /// Opens the rail's provider from its account options (the client's own options,
    /// the engine's pacing options removed).
    pub open: Open,
}

/// Every rail `Payouts.open` knows by name.
pub const RAILS: [Rail; 2] = [momo::RAIL, paymob::RAIL];

/// The ids of [`RAILS`], for JavaScript (the queue strategy makes a queue per rail).
pub fn ids() -> Vec<&'static str> {
    RAILS.iter().map(|r| r.id).collect()
}
