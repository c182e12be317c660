//! The napi binding of `mobilemoney-native`: thin classes that convert JavaScript values
//! in, call `mobilemoney-core`, and convert the outcome out. Nothing here knows HTTP.

pub mod callback;
pub mod client;
pub mod collection;
pub mod completion;
pub mod convert;
pub mod disbursements;
pub mod events;
pub mod json;
pub mod momo;
pub mod options;
pub mod outcome;
pub mod paymob;
pub mod payouts;
pub mod remittance;
pub mod sandbox;
pub mod sandbox_types;
pub mod spawn;
pub mod types;

/// mimalloc for every Rust allocation of the addon (V8 and Node keep their own): a call
/// is mostly small allocations freed on another thread, where it costs 7-33% less CPU per
/// call than glibc's malloc (interleaved bench runs, most at high concurrency), for ~12 MB
/// more peak RSS with 10 000 calls in flight.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
