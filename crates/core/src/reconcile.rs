//! The one reconciliation step of every money-moving call, MoMo's and Paymob's: after a
//! send whose outcome is uncertain, the reference is looked up, and the lookup's answer is
//! the result; when the lookup cannot tell, the result is `UnknownOutcome` with the
//! reference (never a guess, never a new reference).

use std::future::Future;

use crate::failure::{Failure, FailureKind};
use crate::CallResult;

/// Run `lookup` for `reference`. `lookup` resolves `Ok(result)` when it established what
/// became of the payment, or `Err(detail)` saying why it could not; `unknown` turns that
/// detail into the one-sentence message of the `UnknownOutcome` failure.
pub async fn reconcile<L, M>(reference: &str, attempts: u32, lookup: L, unknown: M) -> CallResult
where
    L: Future<Output = Result<CallResult, String>>,
    M: FnOnce(&str) -> String,
{
    match lookup.await {
        Ok(result) => result,
        Err(detail) => {
            let mut f = Failure::new(FailureKind::UnknownOutcome, unknown(&detail))
                .with_reference(Some(reference))
                .retryable(true);
            f.attempts = attempts;
            Err(f)
        }
    }
}
