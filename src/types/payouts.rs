//! What `Payouts` resolves: batch summaries, items and their steps, and the results of
//! verify, approve/reject, retryFailed and reconcileMany; and what resolve takes.

use std::collections::HashMap;

use napi_derive::napi;
use serde::Deserialize;
use serde_json::Value;

/// Why `verify` held an item (the item's `reason`). Never the registered name itself.
#[napi(object, object_to_js = false, object_from_js = false)]
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HeldReason {
    #[napi(ts_type = "'inactive' | 'not_found' | 'name_mismatch'")]
    pub error: String,
    pub message: String,
    /// name_mismatch: similarity of the two names, 0 to 1.
    pub score: Option<f64>,
    /// name_mismatch: the rule that decided (`surname_differs`, `given_name_differs`, …).
    pub rule: Option<String>,
    /// name_mismatch: the registered name masked, such as `J*** O*****`.
    pub registered_name: Option<String>,
}

#[napi(object, object_to_js = false, object_from_js = false)]
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VerifyResult {
    pub batch_id: String,
    /// Items looked up by this call (a resumed verification skips those verified before).
    pub checked: f64,
    /// Items of the batch verified and passed so far.
    pub verified: f64,
    pub held: f64,
    /// The held items.
    pub items: Vec<PayoutItemState>,
    /// Items the provider did not answer for: still queued, not verified; verify again.
    #[napi(ts_type = "{ key: string; reason: { error: string; message: string } }[]")]
    pub unverified: Vec<Value>,
}

#[napi(object, object_to_js = false, object_from_js = false)]
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DecisionResult {
    pub batch_id: String,
    pub approved: Option<f64>,
    pub rejected: Option<f64>,
    pub items: Vec<PayoutItemState>,
}

#[napi(object, object_to_js = false, object_from_js = false)]
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BatchSummary {
    pub batch_id: String,
    pub total: f64,
    #[napi(ts_type = "Record<PayoutStatus, number>")]
    pub by_status: HashMap<String, f64>,
    #[napi(ts_type = "Record<string, { requested: number; paid: number }>")]
    pub amounts: HashMap<String, Value>,
    /// Why the batch stopped early: run it again after topping up.
    #[napi(ts_type = "'insufficient_funds'")]
    pub paused: Option<String>,
    /// `run` was stopped (`signal` aborted, or `stop(batchId)`): run it again to resume.
    #[napi(ts_type = "true")]
    pub stopped: Option<bool>,
    /// How many `unknown` items wait on an operator (`resolve`): `run` resolves once every
    /// other item is final.
    pub awaiting_operator: Option<f64>,
    pub started_at: String,
    pub finished_at: Option<String>,
}

#[napi(object, object_to_js = false, object_from_js = false)]
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PayoutProgress {
    pub batch_id: String,
    pub key: String,
    #[napi(ts_type = "PayoutStatus")]
    pub status: String,
    #[napi(ts_type = "string | null")]
    pub reference_id: Value,
    /// Items final so far, of `total`.
    pub done: f64,
    pub total: f64,
}

// Their index signatures (the submitted item's other fields) are in types/header.d.ts.
sharing! {
    {
        pub key: String,
        #[napi(ts_type = "'momo' | 'paymob'")]
        pub provider: String,
        pub amount: String,
        pub currency: String,
        #[napi(ts_type = "PayoutStatus")]
        pub status: String,
        pub generation: f64,
        #[napi(ts_type = "string | null")]
        pub reference_id: Value,
        #[napi(
            ts_type = "{ error: FailureKind | 'Mismatch' | string; message: string; code?: string; operator?: true }"
        )]
        pub reason: Option<Value>,
        #[doc = " An operator's settlement of this item (`resolve`)."]
        pub resolution: Option<PayoutResolution>,
        #[doc = " An `unknown` item that only an operator can settle (`resolve`)."]
        #[napi(ts_type = "true")]
        pub awaiting_operator: Option<bool>,
        pub transaction_id: Option<String>,
        pub sends: f64,
        pub lookups: f64,
        pub updated_at: String,
    }

    #[doc = " An item as submitted, with its state."]
    #[napi(object, object_to_js = false, object_from_js = false)]
    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct PayoutItemState {}

    #[doc = " An item after a step: PayoutItemState's fields and the step's own."]
    #[napi(object, object_to_js = false, object_from_js = false)]
    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct PayoutStep {
        #[doc = " True while the item is not final: call `reconcile` later (at `nextCheckAt`)."]
        pub needs_lookup: bool,
        pub next_check_at: Option<String>,
        #[doc = " Set when the provider answered 429 to this send: the item is back in `queued`."]
        #[napi(ts_type = "true")]
        pub throttled: Option<bool>,
        #[doc = " With `throttled`: how long (ms) the provider asked to wait before the next send."]
        pub retry_after_ms: Option<f64>,
    }
}

/// `reconcileMany`: each key's step, in the order given, and the lookup requests sent.
#[napi(object, object_to_js = false, object_from_js = false)]
#[derive(Deserialize)]
pub struct ReconcileManyResult {
    pub items: Vec<PayoutStep>,
    /// Lookup requests sent to providers (Paymob: one per 50 references of one kind).
    pub requests: f64,
}

sharing! {
    {
        #[napi(ts_type = "'successful' | 'failed'")]
        pub status: String,
        #[doc = " What the operator found (required): kept in the ledger."]
        pub note: String,
        pub actor: Option<String>,
    }

    #[doc = " What an operator gives `resolve` to settle an `unknown` item."]
    #[napi(object, object_to_js = false, object_from_js = false)]
    #[derive(Deserialize)]
    pub struct PayoutResolutionInput {}

    #[doc = " An operator's settlement: what `resolve` was given, and when."]
    #[napi(object, object_to_js = false, object_from_js = false)]
    #[derive(Deserialize)]
    pub struct PayoutResolution {
        #[doc = " When it was resolved (ISO 8601)."]
        pub at: String,
    }
}

#[napi(object, object_to_js = false, object_from_js = false)]
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RetryResult {
    pub batch_id: String,
    pub retried: f64,
    #[napi(
        ts_type = "{ key: string; generation: number; referenceId: string; previousReferenceId: string | null }[]"
    )]
    pub items: Vec<Value>,
    /// `failed` items not re-referenced: the provider's lookup found them paid or pending (the
    /// item is corrected) or could not confirm the failure (try again later).
    #[napi(ts_type = "{ key: string; why: string }[]")]
    pub skipped: Vec<Value>,
}
