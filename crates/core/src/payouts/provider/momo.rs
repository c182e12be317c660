//! MTN MoMo through the public `Disbursements` API: an item is a transfer to an MSISDN,
//! looked up with the transfer status.

use async_trait::async_trait;
use serde_json::{json, Map, Value};

use super::{found_for_unsure, reason_of, Found, Provider};
use crate::failure::{Failure, FailureKind};
use crate::input::Arg;
use crate::momo::body::{self, BodyKind};
use crate::momo::payments::PaymentArgs;
use crate::momo::reads::Resource;
use crate::momo::Disbursements;
use crate::payouts::ledger::{NewItem, ProviderKind};
use crate::transport::Observer;

pub struct Momo {
    client: Disbursements,
}

impl Momo {
    /// Fails when the options are not a valid Disbursements configuration.
    pub fn new(options: &Value, observer: Option<Observer>) -> Result<Momo, Failure> {
        let key = options
            .get("subscriptionKey")
            .cloned()
            .map_or(Arg::Undefined, Arg::from);
        let client = Disbursements::new(&key, &Arg::Json(options.clone()), observer);
        match client.describe().get("invalid").and_then(Value::as_str) {
            Some(why) => Err(Failure::invalid("momo", format!("options.momo: {why}"))),
            None => Ok(Momo { client }),
        }
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

/// A transfer's status object as what the engine records.
fn from_transaction(t: &Value) -> Found {
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
        },
    }
}

#[async_trait]
impl Provider for Momo {
    fn kind(&self) -> ProviderKind {
        ProviderKind::Momo
    }

    fn check(&self, item: &NewItem) -> Result<(), Failure> {
        body::build(BodyKind::Transfer, &Arg::Json(transfer_body(item))).map(drop)
    }

    async fn send(&self, item: &NewItem, reference: &str) -> Found {
        let body = Arg::Json(transfer_body(item));
        let uuid = Arg::from(reference);
        let args = PaymentArgs {
            uuid: &uuid,
            authorization: &Arg::Undefined,
            target: &Arg::Undefined,
            body: &body,
            callback: &Arg::Undefined,
        };
        match self.client.pay(BodyKind::Transfer, args).await {
            Ok(v) => match v.get("transaction") {
                Some(t) => from_transaction(t),
                None => Found::Pending { provider_id: None },
            },
            Err(f) => match f.kind {
                // A 4xx other than 409 and 429: MoMo refused the request, nothing moved.
                FailureKind::InvalidData
                | FailureKind::NotFound
                | FailureKind::HttpError
                | FailureKind::InvalidUniqueIdVersion
                | FailureKind::InvalidBearerToken
                | FailureKind::InvalidBasicToken => Found::Refused {
                    reason: reason_of(&f),
                    no_funds: false,
                },
                // A 409 (the reference exists), a 5xx or no answer: the lookup decides.
                _ => found_for_unsure(&f),
            },
        }
    }

    fn lookup_batch(&self) -> usize {
        1
    }

    async fn lookup(&self, items: &[(&NewItem, &str)]) -> Vec<Found> {
        let mut out = Vec::with_capacity(items.len());
        for (_, reference) in items {
            let uuid = Arg::from(*reference);
            let found = match self
                .client
                .get_status(Resource::Transfer, &uuid, &Arg::Undefined, &Arg::Undefined)
                .await
            {
                Ok(t) => from_transaction(&t),
                Err(f) if f.status == Some(404) => Found::NotFound,
                Err(f) => found_for_unsure(&f),
            };
            out.push(found);
        }
        out
    }
}
