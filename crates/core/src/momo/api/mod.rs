//! The MTN MoMo API described once, as data: the products, the resources their POSTs
//! create, and every operation (verb, path, what it does). The client
//! ([`super::MomoClient`]), the sandbox's router and the binding's method table all read
//! it; the table itself is [`endpoints`], checked against MTN's OpenAPI exports by
//! `tests/momo_api.rs`.
//!
//! The bodies are not described here: the client's checks (`momo/body/`) and the
//! sandbox's (`sandbox/momo/request/`) stay separate on purpose, so that the sandbox still
//! catches the client's mistakes.

pub mod cash_transfer;
pub mod endpoints;
mod terms;

pub use endpoints::{Endpoint, Op, Route};
pub use terms::{CallbackMethod, Kind, Product, Verb};
