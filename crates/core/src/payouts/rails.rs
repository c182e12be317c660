//! Payout rails as data. A rail is a way of paying an item (MTN MoMo Disbursements,
//! Paymob instant cash-in, …): its id (what an item's `provider` names, the option of
//! `Payouts.open` that configures its account, what the ledger keeps), how to open its
//! [`Provider`] from those options, and its default pacing. The engine knows rails only
//! through this table and the [`Provider`] trait: adding one is a folder under
//! `provider/` and a line in [`RAILS`] (see ARCHITECTURE.md), or, from Rust, a provider
//! of one's own handed to `Payouts::with_engine`. Each entry is made here from its
//! adapter's plain id, pacing and `open`, so that no adapter depends on this table.

use serde_json::Value;

use super::provider::{momo, paymob, Provider};
pub use super::rail::{LookupPacing, RailId};
use crate::failure::Failure;
use crate::transport::Observer;

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
pub const RAILS: [Rail; 2] = [
    Rail {
        id: momo::ID,
        lookups: LookupPacing::PerSecond(momo::LOOKUPS_PER_SECOND),
        open: momo::open,
    },
    Rail {
        id: paymob::ID,
        lookups: LookupPacing::ClientPerMinute(paymob::INQUIRIES_PER_MINUTE),
        open: paymob::open,
    },
];

/// The ids of [`RAILS`], for JavaScript (the queue strategy makes a queue per rail).
pub fn ids() -> Vec<&'static str> {
    RAILS.iter().map(|r| r.id).collect()
}
