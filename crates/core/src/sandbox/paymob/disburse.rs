//! `POST disburse/`: validation, the reference and budget checks, the answer chosen by
//! [`test_numbers`](super::test_numbers), the ledger, and settlement of pending payouts.

use std::sync::Arc;
use std::time::Instant;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde_json::Value;
use uuid::Uuid;

use super::settle::settle;
use super::store::{AmanDetails, Txn};
use super::test_numbers::{plan, Plan, PENDING};
use super::{auth, errors, validate};
use crate::sandbox::ledger::LedgerEntry;
use crate::sandbox::state::SandboxState;

pub async fn disburse(
    State(state): State<Arc<SandboxState>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let user = match auth::bearer_user(&state, &headers) {
        Ok(u) => u,
        Err(r) => return r,
    };
    let Ok(Value::Object(body)) = serde_json::from_slice::<Value>(&body) else {
        return errors::parse_error();
    };
    let v = match validate::disbursement(&body) {
        Ok(v) => v,
        Err(e) => return errors::validation(e),
    };
    let plan = plan(v.issuer, v.msisdn.as_deref(), v.bank_card_number.as_deref());
    let now = crate::sandbox::clock::paymob_now();
    let settle_at = Instant::now() + state.options.settle_after();
    let txn = {
        let mut store = state.paymob.store.lock();
        if let Some(r) = &v.client_reference_id {
            if store.by_client_reference_id.contains_key(r) {
                return errors::non_field("client_reference_id is used before.");
            }
        }
        if let Some(r) = &v.client_reference {
            if store.by_client_reference.contains_key(r) {
                return errors::non_field("client_reference is used before.");
            }
        }
        if v.amount_cents > store.budget_cents {
            return errors::budget_exceeded();
        }
        let (txn_state, drawn, settle, aman) = match plan {
            Plan::Now { state, draws } => (state, draws, None, None),
            Plan::Pending { then, refund } => {
                (PENDING, true, Some((settle_at, then, refund)), None)
            }
            Plan::Aman => {
                let bill = store.next_bill;
                store.next_bill += 1;
                let aman = AmanDetails {
                    bill_reference: bill,
                    is_paid: false,
                    is_cancelled: false,
                };
                (super::test_numbers::AMAN_ISSUED, true, None, Some(aman))
            }
        };
        if drawn {
            store.budget_cents -= v.amount_cents;
        }
        let txn = Txn {
            transaction_id: Uuid::new_v4().to_string(),
            user,
            issuer: v.issuer,
            amount_cents: v.amount_cents,
            reference_id: Some(provider_reference()),
            msisdn: v.msisdn,
            full_name: v.full_name,
            bank_card_number: v.bank_card_number,
            bank_code: v.bank_code,
            bank_transaction_type: v.bank_transaction_type,
            client_reference_id: v.client_reference_id,
            client_reference: v.client_reference,
            state: txn_state,
            aman,
            created_at: now.clone(),
            updated_at: now,
            settle,
            drawn,
        };
        store.insert(txn.clone());
        txn
    };
    state.record_payout(LedgerEntry {
        provider: "paymob",
        product: None,
        kind: "cashin".into(),
        reference_id: txn.ledger_reference(),
        external_id: Some(txn.transaction_id.clone()),
        amount: txn.amount(),
        currency: "EGP".into(),
        party: txn
            .msisdn
            .clone()
            .or_else(|| txn.bank_card_number.clone())
            .unwrap_or_default(),
        status: txn.state.status.to_owned(),
    });
    if txn.settle.is_some() {
        let state = state.clone();
        let delay = state.options.settle_after();
        tokio::spawn(async move {
            tokio::time::sleep(delay).await;
            settle(&state);
        });
    }
    errors::json(StatusCode::OK, txn.to_json())
}

/// The wallet provider's own transaction id, as Paymob echoes it in `reference_id`.
fn provider_reference() -> String {
    let n: u64 = rand::random_range(100_000_000_000..1_000_000_000_000);
    n.to_string()
}
