//! Settlement of the pending payouts that are due, told to the sandbox's ledger. Apart
//! from mod.rs so that the handlers that settle import it, not their parent.

use crate::sandbox::state::SandboxState;

/// Settle the pending payouts that are due, and tell the ledger.
pub(crate) fn settle(state: &SandboxState) {
    let settled = state.paymob.store.lock().settle_due();
    for s in settled {
        state.set_payout_status("paymob", None, "cashin", &s.reference, s.status);
    }
}
