//! What the binding says of payouts as data, so that JavaScript reads the core's lists
//! instead of writing them again: the rails and the statuses.

use napi_derive::napi;

use mobilemoney_core::payouts::ledger::Status;

/// The payout rails `Payouts.open` knows by name (`momo`, `paymob`): each is an option of
/// `Payouts.open` and a value of an item's `provider`.
#[napi]
pub fn payout_rails() -> Vec<&'static str> {
    mobilemoney_core::payouts::rails::ids()
}

/// An item's statuses, as the ledger records them.
#[napi(object)]
pub struct PayoutStatuses {
    /// Every status, in the order of an item's life (`held` last: only `verify` makes it).
    #[napi(ts_type = "PayoutStatus[]")]
    pub all: Vec<String>,
    /// The statuses that never change again (`successful`, `failed`, `refused`);
    /// `retryFailed` may start a new generation of a `failed` or `refused` item.
    #[napi(js_name = "final", ts_type = "PayoutStatus[]")]
    pub finals: Vec<String>,
}

/// An item's statuses, and which of them are final.
#[napi]
pub fn payout_statuses() -> PayoutStatuses {
    let names = |final_only: bool| {
        Status::ALL
            .into_iter()
            .filter(|s| !final_only || s.is_final())
            .map(|s| s.as_str().to_owned())
            .collect()
    };
    PayoutStatuses {
        all: names(false),
        finals: names(true),
    }
}
