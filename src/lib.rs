//! The napi binding of `mobilemoney-native`: thin classes that convert JavaScript values
//! in, call `mobilemoney-core`, and convert the outcome out. Nothing here knows HTTP.

mod callback;
mod client;
mod convert;
mod disbursements;
mod events;
mod outcome;
mod sandbox;
