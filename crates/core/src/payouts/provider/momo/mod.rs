//! MTN MoMo through the Disbursements client: an item is a transfer to an MSISDN,
//! looked up with the transfer status.

use async_trait::async_trait;
use serde_json::{json, Map, Value};

use super::{digits, found_for_unsure, mismatch, reason_of, same_amount, Found, Holder, Provider};
use crate::failure::{Failure, FailureKind};
use crate::momo::body::{self, BodyKind};
use crate::momo::endpoints::TRANSFER;
use crate::momo::MomoClient;
use crate::payouts::ledger::{NewItem, RailId};
use crate::transport::Observer;

mod holder;

/// MTN MoMo Disbursements: `Payouts.open({ momo: { … } })`, items `provider: 'momo'`.
pub const ID: &str = "momo";

/// MTN asks for about 10 status lookups a second.
pub const LOOKUPS_PER_SECOND: f64 = 10.0;

/// Opens the rail's provider from its account options.
pub fn open(options: &Value, observer: Option<Observer>) -> Result<Box<dyn Provider>, Failure> {
    Ok(Box::new(Momo::new(options, observer)?))
}

pub struct Momo {
    client: MomoClient,
    environment: Value,
}

impl Momo {
    /// Fails when the options are not a valid Disbursements configuration.
    pub fn new(options: &Value, observer: Option<Observer>) -> Result<Momo, Failure> {
        let client = MomoClient::disbursements_from_json(options, observer);
        let described = client.describe();
        if let Some(why) = described.get("invalid").and_then(Value::as_str) {
            return Err(Failure::invalid("momo", format!("options.momo: {why}")));
        }
        // The API user (a UUID, not a secret) names the account; the subscription key is a
        // secret and may be rotated, so it is left out.
        let api_user = options
            .get("apiUser")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .trim()
            .to_ascii_lowercase();
        let environment = json!({
            "baseUrl": described.get("baseUrl"),
            "targetEnvironment": described.get("targetEnvironment"),
            "account": super::fingerprint(&[&api_user]),
        });
        Ok(Momo {
            client,
            environment,
        })
    }
}

/// The transfer body of an item: `{ amount, currency, party, note? }`, the key as
/// `externalId`.
fn transfer_body(item: &NewItem) -> Value {
    let spec = &item.spec;
    let mut body = Map::new();
    body.insert("amount".into(), Value::from(item.amount.as_str()));
    body.insert("currency".into(), Value::from(item.currency.as_str()));
    body.insert("externalId".into(), Value::from(item.key.as_str()));
    body.insert(
        "payee".into(),
        json!({ "partyIdType": "MSISDN", "partyId": spec.get("party").cloned().unwrap_or(Value::Null) }),
    );
    if let Some(note) = spec.get("note").and_then(Value::as_str) {
        body.insert("payerMessage".into(), Value::from(note));
        body.insert("payeeNote".into(), Value::from(note));
    }
    Value::Object(body)
}

fn no_funds(reason: &Value) -> bool {
    reason.get("code").and_then(Value::as_str) == Some("NOT_ENOUGH_FUNDS")
}

/// MoMo's coded business errors that come back as HTTP 500 yet are definite answers about
/// the request: it was refused and nothing was recorded. (`INTERNAL_PROCESSING_ERROR`,
/// `SERVICE_UNAVAILABLE` and the like are not: the lookup decides.)
const REFUSALS: [&str; 9] = [
    "NOT_ALLOWED",
    "NOT_ALLOWED_TARGET_ENVIRONMENT",
    "INVALID_CALLBACK_URL_HOST",
    "INVALID_CURRENCY",
    "PAYEE_NOT_FOUND",
    "PAYER_NOT_FOUND",
    "PAYER_LIMIT_REACHED",
    "PAYEE_NOT_ALLOWED_TO_RECEIVE",
    "NOT_ENOUGH_FUNDS",
];

/// The first of amount, currency and payee in which the transaction differs from the
/// item (a field the answer leaves out is not compared).
fn differs(item: &NewItem, t: &Value) -> Option<Found> {
    if let Some(amount) = t.get("amount").filter(|a| !a.is_null()) {
        if !same_amount(&item.amount, amount) {
            return Some(mismatch("amount", &item.amount, amount));
        }
    }
    if let Some(currency) = t.get("currency").and_then(Value::as_str) {
        if !currency.eq_ignore_ascii_case(&item.currency) {
            return Some(mismatch("currency", &item.currency, &Value::from(currency)));
        }
    }
    let party = item.spec.get("party").and_then(Value::as_str).unwrap_or("");
    if let Some(payee) = t
        .get("payee")
        .and_then(|p| p.get("partyId"))
        .and_then(Value::as_str)
    {
        if digits(payee) != digits(party) {
            return Some(mismatch("payee", party, &Value::from(payee)));
        }
    }
    None
}

/// A transfer's status object as what the engine records.
fn from_transaction(item: &NewItem, t: &Value) -> Found {
    if let Some(m) = differs(item, t) {
        return m;
    }
    let provider_id = t
        .get("financialTransactionId")
        .and_then(Value::as_str)
        .map(str::to_owned);
    match t.get("status").and_then(Value::as_str) {
        Some("SUCCESSFUL") => Found::Successful { provider_id },
        Some("PENDING") => Found::Pending { provider_id },
        Some("FAILED") => {
            let reason = t.get("reason").cloned().unwrap_or(Value::Null);
            Found::Failed {
                no_funds: no_funds(&reason),
                reason,
            }
        }
        _ => Found::Unknown {
            reason: json!({ "error": "UnknownOutcome", "message": "MoMo answered a status this engine does not know" }),
            answered: true,
        },
    }
}

#[async_trait]
impl Provider for Momo {
    fn rail(&self) -> RailId {
        RailId::from(ID)
    }

    fn environment(&self) -> Value {
        self.environment.clone()
    }

    fn check(&self, item: &NewItem) -> Result<(), Failure> {
        match item.spec.get("party") {
            Some(Value::String(s)) if !s.trim().is_empty() => {}
            _ => {
                return Err(Failure::invalid(
                    "party",
                    "party must be the payee's MSISDN",
                ))
            }
        }
        body::build_json(BodyKind::Transfer, transfer_body(item)).map(drop)
    }

    async fn send(&self, item: &NewItem, reference: &str) -> Found {
        match self
            .client
            .pay_with_reference(&TRANSFER, reference, transfer_body(item))
            .await
        {
            Ok(v) => match v.get("transaction") {
                Some(t) => from_transaction(item, t),
                None => Found::Pending { provider_id: None },
            },
            Err(f) if f.account => found_for_unsure(&f),
            Err(f) => match f.kind {
                // A 4xx other than 401, 409 and 429: MoMo refused the request, nothing moved.
                FailureKind::InvalidData
                | FailureKind::NotFound
                | FailureKind::HttpError
                | FailureKind::InvalidUniqueIdVersion => Found::Refused {
                    reason: reason_of(&f),
                    no_funds: false,
                },
                // A 409: MoMo holds this reference (an earlier send took it); the lookup
                // decides, and finding nothing never makes it new again.
                FailureKind::Conflict => Found::Acknowledged {
                    reason: reason_of(&f),
                },
                // A coded business 500 is an answer: refused, nothing recorded.
                FailureKind::MomoServerError
                    if f.code.as_deref().is_some_and(|c| REFUSALS.contains(&c)) =>
                {
                    Found::Refused {
                        no_funds: f.code.as_deref() == Some("NOT_ENOUGH_FUNDS"),
                        reason: reason_of(&f),
                    }
                }
                // A 5xx, no answer or a refused credential: the lookup decides, or the
                // run stops.
                _ => found_for_unsure(&f),
            },
        }
    }

    fn lookup_batch(&self) -> usize {
        1
    }

    async fn holder(
        &self,
        item: &NewItem,
        with_name: bool,
        pace: &crate::payouts::pace::Pace,
    ) -> Holder {
        holder::holder(&self.client, item, with_name, pace).await
    }

    async fn lookup(&self, items: &[(&NewItem, &str)]) -> Vec<Found> {
        let mut out = Vec::with_capacity(items.len());
        for (item, reference) in items {
            let found = match self.client.status_of_reference(&TRANSFER, reference).await {
                Ok(t) => from_transaction(item, &t),
                Err(f) if f.status == Some(404) => Found::NotFound,
                Err(f) => found_for_unsure(&f),
            };
            out.push(found);
        }
        out
    }
}
