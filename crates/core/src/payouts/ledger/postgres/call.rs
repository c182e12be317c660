//! A call on the PostgreSQL ledger: run on a pooled connection, and again on a fresh one
//! while the failure is a lost connection; a failure that ends it says what could not be
//! done, with the URL's secrets redacted.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use deadpool_postgres::{Object, Pool};

use super::connect;
use super::error::Error;
use super::sql::Sql;
use crate::failure::{Failure, FailureKind};

/// Attempts of one call when its connection was lost.
const ATTEMPTS: u32 = 4;
const RETRY_GAP: Duration = Duration::from_millis(200);

/// The shared ledger: a pool of connections to the schema the URL names. Defined beside
/// its `call`, so that the files implementing it import this leaf, not their parent.
pub struct PostgresLedger {
    pub(super) pool: Pool,
    pub(super) sql: Arc<Sql>,
    pub(super) secrets: Vec<String>,
}

pub(super) type Call<T> = Pin<Box<dyn Future<Output = Result<T, Error>> + Send>>;

impl PostgresLedger {
    fn failure(&self, what: &str, e: &Error) -> Failure {
        Failure::new(
            FailureKind::NetworkError,
            connect::redact(
                &format!(
                    "the PostgreSQL payouts ledger could not be {what} ({})",
                    e.describe()
                ),
                &self.secrets,
            ),
        )
    }

    /// Runs `f` on a pooled connection, again on a new one while the failure is a lost
    /// connection.
    pub(super) async fn call<T, F>(&self, f: F) -> Result<T, Failure>
    where
        F: Fn(Object, Arc<Sql>) -> Call<T>,
    {
        self.call_for("read or written", f).await
    }

    pub(super) async fn call_for<T, F>(&self, what: &str, f: F) -> Result<T, Failure>
    where
        F: Fn(Object, Arc<Sql>) -> Call<T>,
    {
        let mut attempt = 0;
        loop {
            attempt += 1;
            let result = match self.pool.get().await {
                Ok(c) => f(c, self.sql.clone()).await,
                Err(e) => Err(Error::Pool(e)),
            };
            match result {
                Ok(v) => return Ok(v),
                Err(e) if attempt < ATTEMPTS && e.is_transient() => {
                    tokio::time::sleep(RETRY_GAP * attempt).await;
                }
                Err(e) => return Err(self.failure(what, &e)),
            }
        }
    }
}
