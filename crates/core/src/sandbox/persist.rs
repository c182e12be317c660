//! `stateFile`: a sandbox that outlives its process. The ledger, the MoMo API users,
//! tokens, book and accounts and Paymob's budget are loaded at start and written after
//! changes (at most every [`INTERVAL`], and at close), to a temporary file renamed over
//! the old one so a crash never leaves half a file. Paymob's transactions are not kept.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use serde::Deserialize;
use serde_json::json;

use super::ledger::LedgerEntry;
use super::momo;
use super::state::SandboxState;

/// How often changes are written out.
pub const INTERVAL: Duration = Duration::from_millis(100);

/// Bumped when the file's shape changes; an unknown version is refused, not misread.
const VERSION: u32 = 1;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Snapshot {
    version: u32,
    ledger: Vec<LedgerEntry>,
    momo: momo::Stored,
    paymob_budget: f64,
}

/// Load `path` into a fresh state; a missing file is a first start.
pub fn load(s: &Arc<SandboxState>, path: &Path) -> Result<(), String> {
    let bad = |e: &dyn std::fmt::Display| {
        format!("the sandbox state file {} is unusable: {e}", path.display())
    };
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(bad(&e)),
    };
    let snapshot: Snapshot = serde_json::from_slice(&bytes).map_err(|e| bad(&e))?;
    if snapshot.version != VERSION {
        return Err(bad(&format!(
            "version {} (expected {VERSION})",
            snapshot.version
        )));
    }
    {
        let mut ledger = s.ledger.lock();
        for entry in snapshot.ledger {
            ledger.record(entry);
        }
    }
    s.paymob.set_budget(snapshot.paymob_budget);
    momo::settlement::restore(s, snapshot.momo);
    Ok(())
}

/// Write the state to `path` atomically: a temporary file beside it, synced, renamed.
pub fn save(s: &SandboxState, path: &Path) -> Result<(), String> {
    let fail =
        |e: &dyn std::fmt::Display| format!("the sandbox could not write {}: {e}", path.display());
    let (momo, ledger) = s.momo.snapshot(&s.ledger).map_err(|e| fail(&e))?;
    let snapshot = json!({
        "version": VERSION,
        "ledger": ledger,
        "momo": momo,
        "paymobBudget": s.paymob.budget(),
    });
    let bytes = serde_json::to_vec(&snapshot).map_err(|e| fail(&e))?;
    let tmp = temp_path(path);
    let written = std::fs::File::create(&tmp).and_then(|mut f| {
        f.write_all(&bytes)?;
        f.sync_all()
    });
    written
        .and_then(|()| std::fs::rename(&tmp, path))
        .map_err(|e| fail(&e))
}

fn temp_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".tmp");
    path.with_file_name(name)
}

/// Writes the state whenever it changed, until `stop` fires (or its sender is dropped
/// with the sandbox); then once more.
pub async fn keep(
    s: Arc<SandboxState>,
    path: PathBuf,
    mut stop: tokio::sync::watch::Receiver<bool>,
) {
    let mut written = s.generation();
    loop {
        let closing = tokio::select! {
            _ = tokio::time::sleep(INTERVAL) => false,
            _ = stop.wait_for(|finished| *finished) => true,
        };
        let now = s.generation();
        if now != written || closing {
            let (state, file) = (s.clone(), path.clone());
            let saved = tokio::task::spawn_blocking(move || save(&state, &file)).await;
            match saved {
                Ok(Ok(())) => written = now,
                Ok(Err(e)) => eprintln!("{e}"),
                Err(e) => eprintln!("the sandbox's state writer failed: {e}"),
            }
        }
        if closing {
            return;
        }
    }
}
