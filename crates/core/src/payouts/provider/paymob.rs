//! Paymob through the public `PaymobPayouts` API: an item is an instant cash-in whose
//! `clientReferenceId` is the item's reference; lookups are inquiries by client reference,
//! up to 50 a request (bank rails and wallets are inquired apart, as Paymob keeps them).

use async_trait::async_trait;
use serde_json::{json, Map, Value};

use super::{found_for_unsure, reason_of, Found, Provider};
use crate::failure::{Failure, FailureKind};
use crate::input::Arg;
use crate::paymob::{check_cashin, PaymobPayouts};
use crate::payouts::ledger::{NewItem, ProviderKind};
use crate::transport::Observer;

/// Paymob pages inquiries by 50.
const MAX_REFERENCES: usize = 50;

pub struct Paymob {
    client: PaymobPayouts,
}

impl Paymob {
    /// Fails when the options are not a valid PaymobPayouts configuration.
    pub fn new(options: &Value, observer: Option<Observer>) -> Result<Paymob, Failure> {
        let client = PaymobPayouts::new(&Arg::Json(options.clone()), observer);
        match client
            .describe()
            .get("invalidOptions")
            .and_then(Value::as_str)
        {
            Some(why) => Err(Failure::invalid("paymob", format!("options.paymob: {why}"))),
            None => Ok(Paymob { client }),
        }
    }
}

/// The cash-in request of an item: its own fields, without the engine's.
fn request(item: &NewItem, reference: Option<&str>) -> Value {
    let mut m = match &item.spec {
        Value::Object(m) => m.clone(),
        _ => Map::new(),
    };
    for k in ["key", "provider", "currency", "note"] {
        m.remove(k);
    }
    m.insert("amount".into(), Value::from(item.amount.as_str()));
    if let Some(r) = reference {
        m.insert("clientReferenceId".into(), Value::from(r));
    }
    Value::Object(m)
}

/// Paymob's budget refusal: "…exceeds you budget limit…", or the provider code 6061.
fn no_budget(f: &Failure) -> bool {
    f.code.as_deref() == Some("6061")
        || f.body
            .as_ref()
            .is_some_and(|b| b.to_string().to_ascii_lowercase().contains("budget"))
}

/// A transaction object (from `disburse/` or an inquiry) as what the engine records.
fn from_transaction(t: &Value) -> Found {
    let provider_id = t
        .get("transaction_id")
        .and_then(Value::as_str)
        .map(str::to_owned);
    let status = t
        .get("disbursement_status")
        .and_then(Value::as_str)
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    let code = t.get("status_code").cloned().unwrap_or(Value::Null);
    match status.as_str() {
        "success" | "successful" => Found::Successful { provider_id },
        "pending" => Found::Pending { provider_id },
        "failed" | "rejected" | "returned" => Found::Failed {
            no_funds: code.as_str() == Some("6061"),
            reason: json!({
                "error": "ProviderError",
                "message": format!("Paymob did not pay out ({status})"),
                "code": code,
            }),
        },
        _ => Found::Unknown {
            reason: json!({
                "error": "UnknownOutcome",
                "message": "Paymob has not established the payout's outcome yet",
                "code": code,
            }),
        },
    }
}

fn reference_of(t: &Value) -> Option<&str> {
    [
        "client_transaction_reference",
        "client_reference_id",
        "client_reference",
    ]
    .iter()
    .find_map(|k| t.get(*k).and_then(Value::as_str))
}

#[async_trait]
impl Provider for Paymob {
    fn kind(&self) -> ProviderKind {
        ProviderKind::Paymob
    }

    fn check(&self, item: &NewItem) -> Result<(), Failure> {
        check_cashin(&Arg::Json(request(item, None))).map(drop)
    }

    async fn send(&self, item: &NewItem, reference: &str) -> Found {
        match self
            .client
            .instant_cashin(Arg::Json(request(item, Some(reference))))
            .await
        {
            Ok(body) => from_transaction(&body),
            Err(f) => match f.kind {
                FailureKind::ProviderError => Found::Failed {
                    no_funds: no_budget(&f),
                    reason: reason_of(&f),
                },
                FailureKind::InvalidData | FailureKind::NotFound | FailureKind::HttpError => {
                    Found::Refused {
                        no_funds: no_budget(&f),
                        reason: reason_of(&f),
                    }
                }
                _ => found_for_unsure(&f),
            },
        }
    }

    fn lookup_batch(&self) -> usize {
        MAX_REFERENCES
    }

    async fn lookup(&self, items: &[(&NewItem, &str)]) -> Vec<Found> {
        let mut out = vec![Found::NotFound; items.len()];
        for bank in [false, true] {
            let wanted: Vec<(usize, &str)> = items
                .iter()
                .enumerate()
                .filter(|(_, (item, _))| {
                    check_cashin(&Arg::Json(request(item, None))).unwrap_or(false) == bank
                })
                .map(|(i, (_, r))| (i, *r))
                .collect();
            for chunk in wanted.chunks(MAX_REFERENCES) {
                let refs: Vec<&str> = chunk.iter().map(|(_, r)| *r).collect();
                let query = json!({ "clientReferences": refs, "bank": bank });
                let answer = self.client.transaction_inquiry(Arg::Json(query)).await;
                for (i, reference) in chunk {
                    let found = match &answer {
                        Ok(a) => a
                            .get("results")
                            .and_then(Value::as_array)
                            .and_then(|r| {
                                r.iter().find(|t| {
                                    reference_of(t)
                                        .is_some_and(|x| x.eq_ignore_ascii_case(reference))
                                })
                            })
                            .map_or(Found::NotFound, from_transaction),
                        Err(f) => found_for_unsure(f),
                    };
                    if let Some(slot) = out.get_mut(*i) {
                        *slot = found;
                    }
                }
            }
        }
        out
    }
}
