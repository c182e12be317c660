//! A rail's id and how its lookups are paced: plain data that the ledger, the providers
//! and the table of rails ([`super::rails`]) share. It imports nothing of the engine, so
//! none of them depends on another through it.

use std::sync::Arc;

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
