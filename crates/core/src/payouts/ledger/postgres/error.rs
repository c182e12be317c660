//! A failed call, and whether making it again on a new connection may succeed.

use deadpool_postgres::PoolError;
use tokio_postgres::error::SqlState;

/// A failed call: whether making it again on a new connection may succeed.
pub(super) enum Error {
    Pool(PoolError),
    Db(tokio_postgres::Error),
    /// What the ledger holds is not what this package writes.
    Corrupt(String),
}

impl From<tokio_postgres::Error> for Error {
    fn from(e: tokio_postgres::Error) -> Self {
        Error::Db(e)
    }
}

impl Error {
    pub(super) fn is_transient(&self) -> bool {
        const AGAIN: [SqlState; 5] = [
            SqlState::ADMIN_SHUTDOWN,
            SqlState::CRASH_SHUTDOWN,
            SqlState::CANNOT_CONNECT_NOW,
            SqlState::T_R_SERIALIZATION_FAILURE,
            SqlState::T_R_DEADLOCK_DETECTED,
        ];
        match self {
            Error::Pool(PoolError::Closed) | Error::Corrupt(_) => false,
            Error::Pool(_) => true,
            Error::Db(e) if e.is_closed() => true,
            Error::Db(e) => match e.code() {
                // No SQL state: the connection itself failed (I/O, TLS, a lost server).
                None => e.as_db_error().is_none(),
                Some(code) => code.code().starts_with("08") || AGAIN.contains(code),
            },
        }
    }

    pub(super) fn describe(&self) -> String {
        let db_error = |e: &tokio_postgres::Error| match e.as_db_error() {
            Some(db) => format!("{}: {}", db.code().code(), db.message()),
            None => e.to_string(),
        };
        match self {
            // The server's own words (a refused password, say), not just "db error".
            Error::Pool(PoolError::Backend(e)) => {
                format!("a connection could not be made: {}", db_error(e))
            }
            Error::Pool(e) => e.to_string(),
            Error::Corrupt(what) => what.clone(),
            Error::Db(e) => db_error(e),
        }
    }
}
