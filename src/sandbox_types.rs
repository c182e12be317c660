//! The sandbox's JavaScript types, declared here so that napi-rs generates their
//! TypeScript (the string unions are written as `ts_type`s: a napi-rs string enum would
//! also export a runtime object). Options and fault rules are read as these types (serde, so that a bad one
//! is an error value, not a throw from napi's argument conversion) and go on to the
//! core's own parsing (its defaults and checks); ledger entries, stats and logged
//! requests go out as them. The tests below tie the field names to the core's types.

use std::collections::HashMap;

use napi::bindgen_prelude::{Either, Null};
use napi_derive::napi;
use serde::{Deserialize, Serialize};

use mobilemoney_core::sandbox::state::{self as core_state, LoggedRequest as CoreRequest};
use mobilemoney_core::sandbox::LedgerEntry as CoreEntry;

/// Options of `Sandbox.start()`; every one has a default.
#[napi(object)]
#[derive(Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SandboxOptions {
    /// 0 (default) for any free port.
    pub port: Option<u32>,
    /// Default 127.0.0.1.
    pub host: Option<String>,
    /// How long a payout stays PENDING / pending, and a MoMo payer's approval window
    /// (default 0).
    pub settle_after_ms: Option<i64>,
    /// How long MoMo's ongoing test number (…53) stays PENDING before it succeeds
    /// (default 30000, MTN's timing; apart from settleAfterMs).
    pub ongoing_ms: Option<i64>,
    /// Lifetime of issued tokens, both providers (default 3600).
    pub token_ttl_seconds: Option<i64>,
    pub momo: Option<MomoSandboxOptions>,
    pub paymob: Option<PaymobSandboxOptions>,
    /// Print one line per request on stderr.
    pub log_requests: Option<bool>,
    /// Every provider answer is delayed by this many milliseconds, like a network (default 0).
    pub latency_ms: Option<i64>,
    /// Keep the ledger, balances, API users and tokens in this file across restarts:
    /// loaded at start, written after changes and at close (default: memory only).
    pub state_file: Option<String>,
    /// The MoMo target environments it answers as, one name or a list (default
    /// `'sandbox'`): a production market such as `'mtnghana'` takes its own
    /// `X-Target-Environment`, its currency (GHS) and its country's numbers (233…) only.
    #[napi(ts_type = "MomoMarket | MomoMarket[]")]
    pub market: Option<serde_json::Value>,
}

/// The MoMo half's options.
#[napi(object)]
#[derive(Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct MomoSandboxOptions {
    /// Keys accepted on every product (default: any non-empty key).
    pub subscription_keys: Option<Vec<String>>,
    /// Keys of one product only; a product without its list takes subscriptionKeys.
    pub product_keys: Option<ProductKeys>,
    /// Accept a token of any product on every product, as the live sandbox does (default false).
    pub share_tokens: Option<bool>,
    /// How long after a request to pay succeeded a delivery notification is accepted
    /// (default 300000).
    pub delivery_notification_window_ms: Option<i64>,
    /// Every product account's opening balance, unless `balances` names its own
    /// (default 10 000 000 EUR).
    pub balance: Option<f64>,
    /// Opening balances per product: each is its own account, as at MTN (Collection
    /// credits its own; Disbursement and Remittance draw on theirs).
    pub balances: Option<ProductBalances>,
    /// Default: as the spec (V1 POST, V2 and transfer PUT, request to pay POST).
    #[napi(ts_type = "'PUT' | 'POST'")]
    pub callback_method: Option<String>,
    /// `reason` of failed results: a string as the live sandbox (default) or the spec's object.
    #[napi(ts_type = "'string' | 'object'")]
    pub reason_shape: Option<String>,
    /// Deliver every callback twice, as has been seen live.
    pub duplicate_callbacks: Option<bool>,
}

/// An amount (EUR) per MoMo product; one left out takes `balance`.
#[napi(object)]
#[derive(Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct ProductBalances {
    pub collection: Option<f64>,
    pub disbursement: Option<f64>,
    pub remittance: Option<f64>,
}

/// Each MoMo product's account balance (EUR).
#[napi(object)]
pub struct MomoBalances {
    pub collection: f64,
    pub disbursement: f64,
    pub remittance: f64,
}

/// Subscription keys per MoMo product.
#[napi(object)]
#[derive(Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct ProductKeys {
    pub collection: Option<Vec<String>>,
    pub disbursement: Option<Vec<String>>,
    pub remittance: Option<Vec<String>>,
}

/// The Paymob half's options: the credentials it accepts and its budget.
#[napi(object)]
#[derive(Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PaymobSandboxOptions {
    pub client_id: Option<String>,
    pub client_secret: Option<String>,
    pub username: Option<String>,
    pub password: Option<String>,
    /// Default 10 000 000 EGP.
    pub budget: Option<f64>,
    /// Shared limit of inquiry, budget and Aman-cancel requests per user and minute (default 5).
    pub inquiry_limit_per_minute: Option<u32>,
}

/// One payout the sandbox recorded.
#[napi(object)]
pub struct LedgerEntry {
    #[napi(ts_type = "'momo' | 'paymob'")]
    pub provider: String,
    /// MoMo's product.
    #[napi(ts_type = "'collection' | 'disbursement' | 'remittance'")]
    pub product: Option<String>,
    /// `transfer`, `deposit`, `refund`, `requesttopay`, `requesttowithdraw`, `invoice`,
    /// `payment`, `cashtransfer` (MoMo) or `cashin` (Paymob).
    pub kind: String,
    pub reference_id: String,
    pub external_id: Option<String>,
    pub amount: f64,
    pub currency: String,
    pub party: String,
    pub status: String,
}

impl From<&CoreEntry> for LedgerEntry {
    fn from(e: &CoreEntry) -> Self {
        // Every field named: a field added to the core entry does not compile until here.
        let CoreEntry {
            provider,
            product,
            kind,
            reference_id,
            external_id,
            amount,
            currency,
            party,
            status,
        } = e;
        LedgerEntry {
            provider: (*provider).to_owned(),
            product: product.map(str::to_owned),
            kind: kind.clone(),
            reference_id: reference_id.clone(),
            external_id: external_id.clone(),
            amount: *amount,
            currency: currency.clone(),
            party: party.clone(),
            status: status.clone(),
        }
    }
}

/// Request, token, callback, fault and connection counters.
#[napi(object)]
pub struct SandboxStats {
    pub requests: i64,
    pub momo_requests: i64,
    pub paymob_requests: i64,
    pub momo_token_requests: i64,
    pub paymob_token_requests: i64,
    pub callbacks_sent: i64,
    pub faults_injected: i64,
    /// Connections accepted.
    pub connections: i64,
    /// The most connections open at once (the peak of clients' pools).
    pub peak_open_connections: i64,
}

fn count(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

impl From<&core_state::Stats> for SandboxStats {
    fn from(s: &core_state::Stats) -> Self {
        let core_state::Stats {
            requests,
            momo_requests,
            paymob_requests,
            momo_token_requests,
            paymob_token_requests,
            callbacks_sent,
            faults_injected,
            connections,
            peak_open_connections,
            open_connections: _,
        } = s;
        SandboxStats {
            requests: count(*requests),
            momo_requests: count(*momo_requests),
            paymob_requests: count(*paymob_requests),
            momo_token_requests: count(*momo_token_requests),
            paymob_token_requests: count(*paymob_token_requests),
            callbacks_sent: count(*callbacks_sent),
            faults_injected: count(*faults_injected),
            connections: count(*connections),
            peak_open_connections: count(*peak_open_connections),
        }
    }
}

/// One request as the sandbox received it; credential values are masked.
#[napi(object)]
pub struct LoggedRequest {
    #[napi(ts_type = "'momo' | 'paymob'")]
    pub provider: String,
    pub method: String,
    pub path: String,
    pub query: Either<String, Null>,
    /// Lower-case header names.
    pub headers: HashMap<String, String>,
    pub body: String,
}

impl From<&CoreRequest> for LoggedRequest {
    fn from(r: &CoreRequest) -> Self {
        let CoreRequest {
            provider,
            method,
            path,
            query,
            headers,
            body,
        } = r;
        LoggedRequest {
            provider: (*provider).to_owned(),
            method: method.clone(),
            path: path.clone(),
            query: query.clone().map_or(Either::B(Null), Either::A),
            headers: headers
                .iter()
                .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_owned()))
                .collect(),
            body: body.clone(),
        }
    }
}

/// A fault for the next `times` requests that match.
#[napi(object)]
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FaultRule {
    /// One of `FaultKind` (types/header.d.ts: a union napi-rs cannot declare without
    /// also exporting an object).
    #[napi(ts_type = "FaultKind")]
    pub kind: String,
    /// Any provider when absent.
    #[napi(ts_type = "'momo' | 'paymob'")]
    pub provider: Option<String>,
    pub method: Option<String>,
    /// Matches requests whose path contains this text.
    pub path: Option<String>,
    /// How many matching requests fail (default 1).
    pub times: Option<u32>,
    /// For stall, stall_after and land_late (default 30000).
    pub delay_ms: Option<i64>,
    /// For status_429 (default 1).
    pub retry_after_seconds: Option<i64>,
}

/// Random faults: each matching request fails with probability `rate`.
#[napi(object)]
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FaultRateOptions {
    pub rate: f64,
    /// All kinds when absent or empty.
    #[napi(ts_type = "FaultKind[]")]
    pub kinds: Option<Vec<String>>,
    #[napi(ts_type = "'momo' | 'paymob'")]
    pub provider: Option<String>,
    pub delay_ms: Option<i64>,
}

/// A JS value read as `J` (this file's type, so the TypeScript is the truth), then as the
/// core's type `T`.
pub fn read<J, T>(value: serde_json::Value) -> Result<T, String>
where
    J: serde::de::DeserializeOwned + Serialize,
    T: serde::de::DeserializeOwned,
{
    let js: J = serde_path_to_error::deserialize(value).map_err(|e| unknown_or(&e))?;
    to_core(&js)
}

/// serde's message, or for a mistyped name "options.prot is not an option…; did you mean
/// port?", with the path of the object it was found in.
fn unknown_or(e: &serde_path_to_error::Error<serde_json::Error>) -> String {
    let message = e.inner().to_string();
    let names: Vec<&str> = message.split('`').skip(1).step_by(2).collect();
    let path = e.path().to_string();
    match (message.starts_with("unknown field"), names.split_first()) {
        (true, Some((name, known))) => {
            let parent = path
                .rsplit_once('.')
                .map(|(p, _)| format!("{p}."))
                .unwrap_or_default();
            let hint = mobilemoney_core::option_names::nearest(name, known.iter().copied())
                .map(|k| format!("; did you mean {parent}{k}?"))
                .unwrap_or_else(|| ".".to_owned());
            format!("options.{parent}{name} is not an option of Sandbox{hint}")
        }
        _ if path != "." && !path.is_empty() => format!("options.{path}: {message}"),
        _ => message,
    }
}

/// One of this file's values as the core's serde type: the core keeps its defaults and
/// checks.
pub fn to_core<T: serde::de::DeserializeOwned>(value: &impl Serialize) -> Result<T, String> {
    let json = serde_json::to_value(value).map_err(|e| e.to_string())?;
    serde_json::from_value(strip_nulls(json)).map_err(|e| e.to_string())
}

/// Absent options are `None` here and must be absent for the core, not `null`.
fn strip_nulls(value: serde_json::Value) -> serde_json::Value {
    match value {
        serde_json::Value::Object(map) => serde_json::Value::Object(
            map.into_iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k, strip_nulls(v)))
                .collect(),
        ),
        other => other,
    }
}

#[cfg(test)]
#[path = "sandbox_types_tests.rs"]
mod tests;
