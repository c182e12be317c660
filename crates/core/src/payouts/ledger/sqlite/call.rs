//! A call on the SQLite ledger: handed to the ledger's thread (thread.rs) as a job, run
//! there under a savepoint of its own, and answered once its group has committed.

use std::sync::mpsc;

use rusqlite::Connection;

use super::error::closed;
use super::thread::{self, Access, Job};
use crate::failure::Failure;

/// One thread owns the connection and runs the calls in turn, a group to a transaction
/// (thread.rs). (With the blocking pool, every waiting call held a thread of its own: a
/// batch at concurrency 64 grew the process to ~140 threads and its memory with them, all
/// queued on one connection anyway.) Defined beside its `call`, so that the files
/// implementing it import this leaf, not their parent.
pub struct SqliteLedger {
    pub(super) jobs: mpsc::Sender<Job>,
}

impl SqliteLedger {
    /// Runs `f`, which writes, with the connection on the ledger's thread; answered once
    /// its group has committed.
    pub(super) async fn with<T, F>(&self, f: F) -> Result<T, Failure>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> Result<T, Failure> + Send + 'static,
    {
        self.call(Access::Write, f).await
    }

    /// Runs `f`, which only reads, with the connection on the ledger's thread.
    pub(super) async fn read<T, F>(&self, f: F) -> Result<T, Failure>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> Result<T, Failure> + Send + 'static,
    {
        self.call(Access::Read, f).await
    }

    async fn call<T, F>(&self, access: Access, f: F) -> Result<T, Failure>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> Result<T, Failure> + Send + 'static,
    {
        let (reply, answer) = tokio::sync::oneshot::channel();
        let job = Job::Call(
            access,
            Box::new(move |conn: Result<&mut Connection, Failure>| {
                let result = conn.and_then(|c| thread::in_savepoint(c, f));
                Box::new(move |committed: Result<(), Failure>| {
                    // The caller may have gone (its future dropped): nobody to tell.
                    let _ignored = reply.send(committed.and(result));
                })
            }),
        );
        self.jobs.send(job).map_err(|_| closed())?;
        answer.await.map_err(|_| closed())?
    }
}
