//! The ledger's thread. It owns the connection and runs the calls in turn, a group at a
//! time: the calls that queued while a commit was syncing run together in one IMMEDIATE
//! transaction, each under a savepoint of its own, and every caller of the group is
//! answered only after its COMMIT (group commit). The log is synced once a group instead
//! of once a call, and no caller ever hears of a write that the disk could still lose.

use std::sync::mpsc;

use rusqlite::Connection;

use super::error::{closed, storage};
use crate::failure::Failure;

/// How a call uses the connection.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Access {
    /// Takes no lock on the file: reads, and writes to the connection's own TEMP stage.
    /// A group of these alone runs without a transaction; in a group with writes it runs
    /// inside theirs.
    Read,
    /// Writes: its group runs in one IMMEDIATE transaction.
    Write,
}

/// Tells a call's caller how it ended, once its group has committed (or failed to).
type Answer = Box<dyn FnOnce(Result<(), Failure>) + Send>;

/// A call: given the connection (or why there is none), it runs and returns how to
/// answer its caller.
pub(super) type Run = Box<dyn FnOnce(Result<&mut Connection, Failure>) -> Answer + Send>;

/// Closes the connection in its slot.
pub(super) type Close = Box<dyn FnOnce(&mut Option<Connection>) + Send>;

/// A piece of work for the ledger's thread.
pub(super) enum Job {
    Call(Access, Run),
    /// Run alone, between groups.
    Close(Close),
}

/// The most calls one transaction carries.
const GROUP: usize = 512;

/// Starts the thread that owns `conn`; it ends when every sender is dropped.
pub(super) fn spawn(conn: Connection) -> Result<mpsc::Sender<Job>, Failure> {
    let (jobs, queue) = mpsc::channel::<Job>();
    std::thread::Builder::new()
        .name("payouts-ledger".into())
        .spawn(move || serve(Some(conn), &queue))
        .map_err(storage)?;
    Ok(jobs)
}

fn serve(mut conn: Option<Connection>, queue: &mpsc::Receiver<Job>) {
    let mut held = None;
    loop {
        let first = match held.take() {
            Some(job) => job,
            None => match queue.recv() {
                Ok(job) => job,
                Err(_) => return,
            },
        };
        let mut group = match first {
            Job::Close(close) => {
                close(&mut conn);
                continue;
            }
            Job::Call(access, call) => vec![(access, call)],
        };
        while group.len() < GROUP {
            match queue.try_recv() {
                Ok(Job::Call(access, call)) => group.push((access, call)),
                Ok(close) => {
                    held = Some(close);
                    break;
                }
                Err(_) => break,
            }
        }
        run_group(conn.as_mut(), group);
    }
}

type Call = (Access, Run);

fn run_group(conn: Option<&mut Connection>, group: Vec<Call>) {
    let Some(c) = conn else {
        for (_, call) in group {
            call(Err(closed()))(Ok(()));
        }
        return;
    };
    // A transaction a failed ROLLBACK left open would hold every later group in it.
    if !c.is_autocommit() {
        let _ignored = c.execute_batch("ROLLBACK");
    }
    let writes = group.iter().any(|(access, _)| *access == Access::Write);
    let begun = match (writes, c.is_autocommit()) {
        (false, true) => Ok(false),
        (_, false) => Err(storage("a transaction was left open")),
        (true, true) => c
            .execute_batch("BEGIN IMMEDIATE")
            .map(|()| true)
            .map_err(storage),
    };
    let begun = match begun {
        Ok(begun) => begun,
        Err(e) => {
            // The file's write lock was not had (another process held it past the busy
            // timeout): the writes fail, the reads need no lock and are answered.
            for (access, call) in group {
                match access {
                    Access::Read if c.is_autocommit() => call(Ok(&mut *c))(Ok(())),
                    _ => call(Err(e.clone()))(Ok(())),
                }
            }
            return;
        }
    };
    let mut answers = Vec::with_capacity(group.len());
    let mut lost = None;
    for (_, call) in group {
        match &lost {
            Some(e) => answers.push(call(Err(Failure::clone(e)))),
            None => {
                answers.push(call(Ok(&mut *c)));
                // SQLite rolls a whole transaction back on some errors (a full disk, an
                // I/O error), as does in_savepoint when it cannot undo a call alone: the
                // calls before were undone with it.
                if begun && c.is_autocommit() {
                    lost = Some(storage("the transaction was rolled back"));
                }
            }
        }
    }
    let committed = match lost {
        Some(e) => Err(e),
        None if begun => c.execute_batch("COMMIT").map_err(storage),
        None => Ok(()),
    };
    if begun && committed.is_err() && !c.is_autocommit() {
        // Nothing of the group is kept; every caller hears the failure below.
        let _ignored = c.execute_batch("ROLLBACK");
    }
    for answer in answers {
        answer(committed.clone());
    }
}

/// Runs `f` under a savepoint of its own inside the group's transaction, so that a call
/// that fails leaves nothing behind while the others of its group keep their writes.
pub(super) fn in_savepoint<T>(
    c: &mut Connection,
    f: impl FnOnce(&mut Connection) -> Result<T, Failure>,
) -> Result<T, Failure> {
    if c.is_autocommit() {
        // A group of reads: no transaction to protect.
        return f(c);
    }
    c.execute_batch("SAVEPOINT call").map_err(storage)?;
    let result = f(c).and_then(|v| c.execute_batch("RELEASE call").map(|()| v).map_err(storage));
    if result.is_err()
        && !c.is_autocommit()
        && c.execute_batch("ROLLBACK TO call; RELEASE call").is_err()
    {
        // The call's writes could not be undone alone: the whole group is (run_group
        // sees the transaction gone and fails every call of it).
        let _ignored = c.execute_batch("ROLLBACK");
    }
    result
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use super::*;

    type Heard = Arc<Mutex<Vec<Result<(), Failure>>>>;

    /// A call that runs `sql` (under its savepoint) and records what its caller hears.
    fn call(access: Access, sql: &'static str, heard: &Heard) -> Call {
        let heard = Arc::clone(heard);
        (
            access,
            Box::new(move |conn: Result<&mut Connection, Failure>| {
                let result =
                    conn.and_then(|c| in_savepoint(c, |c| c.execute_batch(sql).map_err(storage)));
                Box::new(move |committed: Result<(), Failure>| {
                    heard.lock().unwrap().push(committed.and(result));
                })
            }),
        )
    }

    fn connection() -> Connection {
        let c = Connection::open_in_memory().unwrap();
        c.execute_batch(
            "PRAGMA foreign_keys = ON; \
             CREATE TABLE parent (id INTEGER PRIMARY KEY); \
             CREATE TABLE child (id INTEGER PRIMARY KEY, parent INTEGER \
               REFERENCES parent (id) DEFERRABLE INITIALLY DEFERRED); \
             INSERT INTO parent (id) VALUES (1);",
        )
        .unwrap();
        c
    }

    /// Runs one group of calls on a fresh connection: what each caller heard, and how
    /// many rows the group left in `child`.
    fn group(calls: &[(Access, &'static str)]) -> (Vec<Result<(), Failure>>, i64) {
        let mut c = connection();
        let heard = Heard::default();
        let calls = calls.iter().map(|(a, sql)| call(*a, sql, &heard)).collect();
        run_group(Some(&mut c), calls);
        assert!(c.is_autocommit(), "the group's transaction was left open");
        let rows = c
            .query_row("SELECT COUNT(*) FROM child", [], |r| r.get(0))
            .unwrap();
        let heard = heard.lock().unwrap().clone();
        (heard, rows)
    }

    #[test]
    fn a_failing_call_leaves_nothing_and_the_others_commit() {
        let (heard, rows) = group(&[
            (Access::Write, "INSERT INTO child VALUES (1, 1)"),
            (
                Access::Write,
                "INSERT INTO child VALUES (2, 1); INSERT INTO nowhere VALUES (1)",
            ),
            (Access::Write, "INSERT INTO child VALUES (3, 1)"),
        ]);
        assert!(heard[0].is_ok() && heard[1].is_err() && heard[2].is_ok());
        assert_eq!(rows, 2);
    }

    #[test]
    fn no_caller_hears_of_a_write_its_commit_refused() {
        // The second call breaks a deferred constraint: only COMMIT fails, after every
        // call of the group ran and succeeded.
        let (heard, rows) = group(&[
            (Access::Write, "INSERT INTO child VALUES (1, 1)"),
            (Access::Write, "INSERT INTO child VALUES (2, 99)"),
            (Access::Read, "SELECT * FROM child"),
        ]);
        assert_eq!(heard.len(), 3);
        assert!(heard.iter().all(Result::is_err), "{heard:?}");
        assert_eq!(rows, 0);
    }

    #[test]
    fn a_closed_ledger_answers_every_call() {
        let heard = Heard::default();
        run_group(
            None,
            vec![
                call(Access::Write, "SELECT 1", &heard),
                call(Access::Read, "SELECT 1", &heard),
            ],
        );
        let heard = heard.lock().unwrap();
        assert_eq!(heard.len(), 2);
        assert!(heard.iter().all(Result::is_err));
    }

    #[test]
    fn a_read_sees_its_group_and_is_answered_after_commit() {
        let mut c = connection();
        let heard = Heard::default();
        let seen: Arc<Mutex<Option<Result<i64, Failure>>>> = Arc::default();
        let read: Run = {
            let seen = Arc::clone(&seen);
            Box::new(move |conn: Result<&mut Connection, Failure>| {
                let n = conn.and_then(|c| {
                    in_savepoint(c, |c| {
                        c.query_row("SELECT COUNT(*) FROM child", [], |r| r.get::<_, i64>(0))
                            .map_err(storage)
                    })
                });
                Box::new(move |committed: Result<(), Failure>| {
                    *seen.lock().unwrap() = Some(committed.and(n));
                })
            })
        };
        run_group(
            Some(&mut c),
            vec![
                call(Access::Write, "INSERT INTO child VALUES (1, 1)", &heard),
                (Access::Read, read),
            ],
        );
        assert_eq!(*seen.lock().unwrap(), Some(Ok(1)));
        assert!(c.is_autocommit());
    }

    #[test]
    fn without_the_write_lock_writes_fail_and_reads_are_answered() {
        let dir = std::env::temp_dir().join(format!("mmn-thread-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("lock.db");
        let mut ours = Connection::open(&file).unwrap();
        ours.execute_batch(
            "PRAGMA journal_mode = WAL; CREATE TABLE IF NOT EXISTS child (id INTEGER)",
        )
        .unwrap();
        ours.busy_timeout(std::time::Duration::ZERO).unwrap();
        let other = Connection::open(&file).unwrap();
        other.execute_batch("BEGIN IMMEDIATE").unwrap();
        let heard = Heard::default();
        run_group(
            Some(&mut ours),
            vec![
                call(Access::Write, "INSERT INTO child VALUES (1)", &heard),
                call(Access::Read, "SELECT * FROM child", &heard),
            ],
        );
        other.execute_batch("ROLLBACK").unwrap();
        let heard = heard.lock().unwrap().clone();
        std::fs::remove_dir_all(&dir).unwrap();
        assert!(heard[0].is_err() && heard[1].is_ok(), "{heard:?}");
    }
}
