//! The MTN MoMo half of the sandbox: provisioning, tokens, and the Collection,
//! Disbursement and Remittance APIs, with the official test numbers, settlement, one
//! account per product and callbacks.
//!
//! - [`headers`] — the gateway's subscription-key check and the `X-Reference-Id` header;
//! - [`auth`] — API-user credentials, token issue and the bearer check of product calls;
//! - [`provisioning`] — `/v1_0/apiuser`;
//! - [`routes`] — the route table of every product, and the one dispatcher;
//! - [`transactions`] — the POSTs that create a resource, and their status GETs;
//! - [`collection`] — delivery notifications, invoice and pre-approval cancels, the list
//!   of approved pre-approvals;
//! - [`consent`] — bc-authorize and the OAuth2 token of the consent flow;
//! - [`request`] — validation of the POST bodies;
//! - [`result`] — the status and callback bodies;
//! - [`state`] — what the MoMo half remembers, held by the shared state: users, tokens,
//!   the [`book`] of payouts, consents and [`holders`];
//! - [`settlement`] — how a payout becomes final; [`balances`]: each product's account;
//!   [`payout_status`]: a payout's status and its stored form;
//! - [`callbacks`] — the callback target check and delivery;
//! - [`accounts`] — balance, account holders, user info ([`samples`]: MTN's sample person);
//! - [`ids`] — the UUID forms of resource ids;
//! - [`test_numbers`] — the tables; [`errors`]: the error bodies.
//!
//! This file only declares and re-exports: the children import one another, never it.

pub mod accounts;
pub mod auth;
pub mod balances;
pub mod book;
pub mod callbacks;
pub mod collection;
pub mod consent;
pub mod errors;
pub mod headers;
pub mod holders;
pub mod ids;
pub mod payout_status;
pub mod provisioning;
pub mod request;
pub mod result;
pub mod routes;
pub mod samples;
pub mod settlement;
pub mod state;
pub mod test_numbers;
pub mod transactions;

pub use crate::momo::api::{Kind, Product};
pub use balances::Direction;
pub use routes::routes;
pub use state::{MomoState, Stored};
