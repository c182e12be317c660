//! Bulk payouts (CONTRACT §8): batches paid durably, never twice.
//!
//! - [`ledger`]: the store of batches and items, and its embedded SQLite implementation;
//! - [`reference`]: the deterministic reference of an item's generation.

pub mod ledger;
pub mod reference;
