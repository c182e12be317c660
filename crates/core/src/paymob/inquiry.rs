//! Arguments of the throttled endpoints: `transactionInquiry(query)` and
//! `cancelAmanTransaction(transactionId)`.

use serde_json::{json, Map, Value};
use uuid::Uuid;

use super::fields;
use crate::failure::Failure;
use crate::input::Arg;

/// Paymob answers 50 transactions a page; a longer list is refused here.
const MAX_ITEMS: usize = 50;
/// `client_reference` values are at most 140 characters.
const MAX_REFERENCE: usize = 140;

pub(crate) const BY_IDS: &str = "/transaction/inquire/";
pub(crate) const BY_REFERENCE: &str = "/transaction/inquire/by-reference/";

/// `{ transactionIds?, clientReferences?, bank? }` → the path and JSON body to send.
pub(crate) fn transaction_query(query: &Arg) -> Result<(&'static str, Value), Failure> {
    let map = match query {
        Arg::Json(Value::Object(m)) => m,
        other => {
            return Err(Failure::invalid(
                "query",
                format!(
                    "query must be an object with transactionIds or clientReferences, got {}",
                    other.type_name()
                ),
            ))
        }
    };
    let ids = fields::get(
        map,
        &["transactionIds", "transaction_ids", "transactions_ids_list"],
    );
    let refs = fields::get(
        map,
        &["clientReferences", "client_references", "references_list"],
    );
    let bank = fields::opt_bool(
        map,
        &["bank", "bankTransactions", "bank_transactions"],
        "bank",
    )?
    .unwrap_or(false);
    match (ids, refs) {
        (Some(ids), None) => {
            let ids = list(ids, "transactionIds", |s| {
                Uuid::try_parse(s).map(|u| u.hyphenated().to_string()).ok()
            })?;
            Ok((
                BY_IDS,
                json!({ "transactions_ids_list": ids, "bank_transactions": bank }),
            ))
        }
        (None, Some(refs)) => {
            let refs = list(refs, "clientReferences", |s| {
                (s.chars().count() <= MAX_REFERENCE).then(|| s.to_owned())
            })?;
            Ok((
                BY_REFERENCE,
                json!({ "references_list": refs, "bank_transactions": bank }),
            ))
        }
        (Some(_), Some(_)) => Err(Failure::invalid(
            "query",
            "give either transactionIds or clientReferences, not both",
        )),
        (None, None) => Err(Failure::invalid(
            "query",
            "query needs transactionIds (Paymob transaction ids or clientReferenceIds) or clientReferences",
        )),
    }
}

/// A non-empty array of at most 50 strings, each accepted by `check`.
fn list<F>(v: &Value, field: &str, check: F) -> Result<Vec<String>, Failure>
where
    F: Fn(&str) -> Option<String>,
{
    let Value::Array(items) = v else {
        return Err(fields::wrong_type(field, "an array of strings", v));
    };
    if items.is_empty() || items.len() > MAX_ITEMS {
        return Err(Failure::invalid(
            field,
            format!("{field} must hold 1 to {MAX_ITEMS} items"),
        ));
    }
    items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            item.as_str()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .and_then(&check)
                .ok_or_else(|| {
                    Failure::invalid(
                        field,
                        format!(
                            "{field}[{i}] is not valid: each item must be {}",
                            item_rule(field)
                        ),
                    )
                })
        })
        .collect()
}

fn item_rule(field: &str) -> &'static str {
    if field == "transactionIds" {
        "a UUID"
    } else {
        "a non-empty string of at most 140 characters"
    }
}

/// `{ "transaction_id": … }` from the transaction id argument (a UUID string).
pub(crate) fn aman_cancel_body(id: &Arg) -> Result<Value, Failure> {
    let field = "transactionId";
    let raw = match id {
        Arg::String(s) => s.trim(),
        other => {
            return Err(Failure::invalid(
                field,
                format!("transactionId must be a string, got {}", other.type_name()),
            ))
        }
    };
    let id = Uuid::try_parse(raw).map_err(|_| {
        Failure::invalid(
            field,
            "transactionId must be a Paymob transaction id (a UUID)",
        )
    })?;
    let mut m = Map::new();
    m.insert("transaction_id".into(), id.hyphenated().to_string().into());
    Ok(Value::Object(m))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_list_only() {
        let id = "5f0e1a52-8a43-4a2b-9a57-3d1c5c4a9b10";
        let (path, body) =
            transaction_query(&Arg::Json(json!({"transactionIds": [id], "bank": true}))).unwrap();
        assert_eq!(path, BY_IDS);
        assert_eq!(
            body,
            json!({"transactions_ids_list": [id], "bank_transactions": true})
        );
        let (path, _) =
            transaction_query(&Arg::Json(json!({"clientReferences": ["abc"]}))).unwrap();
        assert_eq!(path, BY_REFERENCE);
        for bad in [
            json!({}),
            json!({"transactionIds": []}),
            json!({"transactionIds": ["x"]}),
            json!({"transactionIds": [id], "clientReferences": ["a"]}),
            json!({"clientReferences": "a"}),
            json!({"clientReferences": vec!["a"; 51]}),
        ] {
            assert!(transaction_query(&Arg::Json(bad.clone())).is_err(), "{bad}");
        }
        assert!(aman_cancel_body(&Arg::Number(1.0)).is_err());
        assert!(aman_cancel_body(&Arg::from(id)).is_ok());
    }
}
