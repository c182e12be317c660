//! The napi binding of `mobilemoney-native`: thin classes that convert JavaScript values
//! in, call `mobilemoney-core`, and convert the outcome out. Nothing here knows HTTP.

pub mod callback;
pub mod client;
pub mod completion;
pub mod convert;
pub mod disbursements;
pub mod events;
pub mod json;
pub mod outcome;
pub mod paymob;
pub mod sandbox;
