//! The failures of the SQLite ledger, shared by the files that implement it.

use crate::failure::{Failure, FailureKind};

pub(super) fn storage(e: impl std::fmt::Display) -> Failure {
    Failure::new(
        FailureKind::NetworkError,
        format!("the payouts ledger could not be read or written ({e})"),
    )
}

pub(super) fn closed() -> Failure {
    Failure::new(FailureKind::NetworkError, "the payouts ledger is closed")
}
