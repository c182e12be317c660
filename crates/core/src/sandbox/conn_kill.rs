//! The per-connection kill switch: the server hands one to every request of a
//! connection, and a reset fault fires it to drop that connection. A leaf, so that the
//! server and the fault middleware both take it without importing each other.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use tokio::sync::Notify;

/// Handed to every request of a connection; firing it drops that connection.
#[derive(Clone, Default)]
pub struct ConnKill(Arc<KillSwitch>);

#[derive(Default)]
struct KillSwitch {
    fired: AtomicBool,
    notify: Notify,
}

impl ConnKill {
    /// Drop the connection; the answer of the request that fires it is never sent.
    pub fn fire(&self) {
        self.0.fired.store(true, Ordering::SeqCst);
        self.0.notify.notify_one();
    }

    pub fn fired(&self) -> bool {
        self.0.fired.load(Ordering::SeqCst)
    }

    /// Resolves once the switch fired (at once if it already has).
    pub async fn wait(&self) {
        self.0.notify.notified().await;
    }
}
