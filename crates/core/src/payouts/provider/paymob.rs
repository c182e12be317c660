//! Paymob through the public `PaymobPayouts` API: an item is an instant cash-in whose
//! `clientReferenceId` is the item's reference; lookups are inquiries by client reference,
//! up to 50 a request (bank rails and wallets are inquired apart, as Paymob keeps them).

use async_trait::async_trait;
use serde_json::{json, Map, Value};

use super::{digits, found_for_unsure, mismatch, reason_of, same_amount, Found, Provider};
use crate::failure::{Failure, FailureKind};
use crate::paymob::{check_cashin_json, PaymobPayouts, REFERENCE_USED};
use crate::payouts::ledger::{NewItem, RailId};
use crate::transport::Observer;

/// Paymob pages inquiries by 50.
const MAX_REFERENCES: usize = 50;

/// Paymob instant cash-in: `Payouts.open({ paymob: { … } })`, items `provider: 'paymob'`.
pub const ID: &str = "paymob";

/// 5 inquiries a minute per user, counted by the client.
pub const INQUIRIES_PER_MINUTE: f64 = 5.0;

/// Opens the rail's provider from its account options.
pub fn open(options: &Value, observer: Option<Observer>) -> Result<Box<dyn Provider>, Failure> {
    Ok(Box::new(Paymob::new(options, observer)?))
}

pub struct Paymob {
    client: PaymobPayouts,
    environment: Value,
}

impl Paymob {
    /// Fails when the options are not a valid PaymobPayouts configuration.
    pub fn new(options: &Value, observer: Option<Observer>) -> Result<Paymob, Failure> {
        let client = PaymobPayouts::from_json(options, observer);
        let described = client.describe();
        if let Some(why) = described.get("invalidOptions").and_then(Value::as_str) {
            return Err(Failure::invalid("paymob", format!("options.paymob: {why}")));
        }
        let either = |a: &str, b: &str| {
            [a, b]
                .iter()
                .find_map(|k| options.get(*k).and_then(Value::as_str))
                .unwrap_or_default()
                .trim()
                .to_owned()
        };
        let environment = json!({
            "baseUrl": described.get("baseUrl"),
            // The account's identity as the client reads it (either spelling), no secret.
            "account": super::fingerprint(&[
                &either("clientId", "client_id"),
                &either("username", "username"),
            ]),
        });
        Ok(Paymob {
            client,
            environment,
        })
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

/// Paymob's budget refusal: its English sentence "…exceeds you budget limit…" (with status
/// code 400). The code 6061 is not it: it is one recipient's transaction limit, which must
/// fail that item, not pause the batch.
fn no_budget(f: &Failure) -> bool {
    f.body
        .as_ref()
        .is_some_and(|b| b.to_string().to_ascii_lowercase().contains("budget limit"))
}

/// The first of amount and recipient in which the transaction differs from the item (a
/// field the answer leaves out is not compared).
fn differs(item: &NewItem, t: &Value) -> Option<Found> {
    if let Some(amount) = t.get("amount").filter(|a| !a.is_null()) {
        if !same_amount(&item.amount, amount) {
            return Some(mismatch("amount", &item.amount, amount));
        }
    }
    for (theirs, ours) in [
        ("msisdn", ["msisdn", "msisdn"]),
        ("bank_card_number", ["bankCardNumber", "bank_card_number"]),
    ] {
        let wanted = ours
            .iter()
            .find_map(|k| item.spec.get(*k).and_then(Value::as_str));
        if let (Some(found), Some(wanted)) = (t.get(theirs).and_then(Value::as_str), wanted) {
            if digits(found) != digits(wanted) {
                return Some(mismatch("recipient", wanted, &Value::from(found)));
            }
        }
    }
    None
}

/// Paymob's "internal error" (`failed` with code 500 or 501): its docs say a concurrent
/// duplicate of a reference can produce it, so it is no proof the payout failed.
fn internal_error(code: &Value) -> bool {
    matches!(code.as_str().map(str::trim), Some("500" | "501"))
        || code.as_u64().is_some_and(|c| c == 500 || c == 501)
}

/// A transaction object (from `disburse/` or an inquiry) as what the engine records.
fn from_transaction(item: &NewItem, t: &Value) -> Found {
    if let Some(m) = differs(item, t) {
        return m;
    }
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
        "failed" if internal_error(&code) => Found::Unknown {
            reason: json!({
                "error": "UnknownOutcome",
                "message": "Paymob answered an internal error, which a concurrent duplicate can cause; it is looked up",
                "code": code,
            }),
            answered: true,
        },
        "failed" | "rejected" | "returned" => Found::Failed {
            no_funds: false,
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
            answered: true,
        },
    }
}

/// Whether Paymob keeps the item's transactions with the bank rails (inquired apart).
fn is_bank(item: &NewItem) -> bool {
    check_cashin_json(request(item, None)).unwrap_or(false)
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
    fn rail(&self) -> RailId {
        RailId::from(ID)
    }

    fn default_currency(&self) -> Option<&'static str> {
        Some("EGP")
    }

    fn environment(&self) -> Value {
        self.environment.clone()
    }

    fn check(&self, item: &NewItem) -> Result<(), Failure> {
        // Paymob pays out in Egyptian pounds only: a row in another currency would be
        // paid in EGP and reported in its own.
        if item.currency != "EGP" {
            return Err(Failure::invalid(
                "currency",
                format!(
                    "currency is {} but Paymob pays out in EGP only",
                    item.currency
                ),
            ));
        }
        check_cashin_json(request(item, None)).map(drop)
    }

    async fn send(&self, item: &NewItem, reference: &str) -> Found {
        match self
            .client
            .instant_cashin_json(request(item, Some(reference)))
            .await
        {
            Ok(body) => from_transaction(item, &body),
            Err(f) if f.account => found_for_unsure(&f),
            // An internal error is no proof of failure (see `internal_error`).
            Err(f)
                if f.kind == FailureKind::ProviderError
                    && f.code.as_deref().is_some_and(|c| c == "500" || c == "501") =>
            {
                Found::Unknown {
                    reason: reason_of(&f),
                    answered: true,
                }
            }
            Err(f) => match f.kind {
                // "Used before" and the inquiry could not tell: Paymob holds the reference.
                FailureKind::UnknownOutcome if f.code.as_deref() == Some(REFERENCE_USED) => {
                    Found::Acknowledged {
                        reason: reason_of(&f),
                    }
                }
                FailureKind::ProviderError => Found::Failed {
                    no_funds: no_budget(&f),
                    reason: reason_of(&f),
                },
                // A failure read from a transaction body (HTTP 2xx: Paymob's newer budget
                // answer) is a booked transaction that failed: its reference is spent.
                FailureKind::InvalidData if f.status.is_some_and(|s| (200..300).contains(&s)) => {
                    Found::Failed {
                        no_funds: no_budget(&f),
                        reason: reason_of(&f),
                    }
                }
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

    fn lookup_group(&self, item: &NewItem) -> u8 {
        u8::from(is_bank(item))
    }

    async fn lookup(&self, items: &[(&NewItem, &str)]) -> Vec<Found> {
        let mut out = vec![Found::NotFound; items.len()];
        for bank in [false, true] {
            let wanted: Vec<(usize, &NewItem, &str)> = items
                .iter()
                .enumerate()
                .filter(|(_, (item, _))| is_bank(item) == bank)
                .map(|(i, (item, r))| (i, *item, *r))
                .collect();
            for chunk in wanted.chunks(MAX_REFERENCES) {
                let refs: Vec<&str> = chunk.iter().map(|(_, _, r)| *r).collect();
                let query = json!({ "clientReferences": refs, "bank": bank });
                let answer = self.client.transaction_inquiry_json(query).await;
                for (i, item, reference) in chunk {
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
                            .map_or(Found::NotFound, |t| from_transaction(item, t)),
                        // The client's own inquiry bucket is empty: hold the lookups for as
                        // long as it says, not a guess.
                        Err(f) if f.kind == FailureKind::RateLimited && f.status.is_none() => {
                            Found::Throttled {
                                wait: Some(self.client.inquiry_wait()),
                            }
                        }
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
