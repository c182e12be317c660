//! The library behind `mobilemoney-native`: MTN MoMo (Disbursements, Collection and
//! Remittance) and Paymob instant payouts over one transport, a bulk-payout engine that
//! never pays twice, and an embedded sandbox that imitates both providers.
//!
//! Nothing here knows Node: the napi binding converts JavaScript values into [`Arg`]s,
//! calls a client, and turns the `Result<Value, Failure>` it gets back into `[ok, data]`.

pub mod callback;
pub mod failure;
pub mod input;
pub mod momo;
pub mod option_names;
pub mod paymob;
pub mod payouts;
pub mod reconcile;
pub mod sandbox;
pub mod secrets;
pub mod token;
pub mod transport;

pub use failure::{Failure, FailureKind};
pub use input::Arg;

/// What every client call resolves to: the provider's result, or a failure.
pub type CallResult = Result<serde_json::Value, Failure>;
