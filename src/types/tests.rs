//! The generated result types against what the core returns: a core value deserialises
//! into its type (its required fields are there, with their types), and the type declares
//! exactly the keys the core writes. A flattened `extends` keeps every field of its base.

use std::collections::BTreeSet;

use serde::de::{self, Deserialize, Deserializer, Visitor};
use serde_json::{json, Value};

use super::common::{Failure, RequestEvent};
use super::momo::{BasicUserInfo, UserInfo};
use super::options::{
    ClientOptions, DisbursementsOptions, PaymobOptions, PayoutsOptions, PayoutsPacing,
    TransportOptions,
};
use super::paymob::{CashinResult, ParsedCallback, PaymobTransaction};
use super::payouts::{BatchSummary, PayoutItemState, PayoutStep};
use mobilemoney_core::callback;
use mobilemoney_core::option_names;
use mobilemoney_core::payouts::ledger::{BatchRow, ItemRow, ItemState, NewItem, Status, Totals};
use mobilemoney_core::payouts::report;
use mobilemoney_core::transport::events::Event;
use mobilemoney_core::Arg;
use mobilemoney_core::FailureKind;

/// A deserializer that records the field names serde asks a struct for, and stops.
struct FieldNames<'a>(&'a mut &'static [&'static str]);

impl<'de> Deserializer<'de> for FieldNames<'_> {
    type Error = de::value::Error;

    fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Self::Error> {
        Err(de::Error::custom("not a struct"))
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        fields: &'static [&'static str],
        _: V,
    ) -> Result<V::Value, Self::Error> {
        *self.0 = fields;
        Err(de::Error::custom("names read"))
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct map enum identifier
        ignored_any
    }
}

/// The JavaScript names of `T`'s fields (serde's, which these structs keep equal to
/// napi-rs's: camelCase, or the field's `js_name`).
fn fields<'de, T: Deserialize<'de>>() -> BTreeSet<&'static str> {
    let mut names: &'static [&'static str] = &[];
    let _ = T::deserialize(FieldNames(&mut names));
    assert!(
        !names.is_empty(),
        "{} has no fields",
        std::any::type_name::<T>()
    );
    names.iter().copied().collect()
}

fn keys(value: &Value) -> BTreeSet<&str> {
    value
        .as_object()
        .map(|m| m.keys().map(String::as_str).collect())
        .unwrap_or_default()
}

/// `value` is a `T`: required fields present, every field of its declared type.
fn is_a<T: de::DeserializeOwned>(value: &Value) {
    if let Err(e) = serde_json::from_value::<T>(value.clone()) {
        panic!("{value} is not a {}: {e}", std::any::type_name::<T>());
    }
}

fn batch(paused: Option<&str>, finished_at_ms: Option<i64>) -> BatchRow {
    BatchRow {
        batch_id: "b1".into(),
        fingerprint: "f".into(),
        secret_check: None,
        total: 3,
        paused: paused.map(str::to_owned),
        started_at_ms: 1_700_000_000_000,
        finished_at_ms,
    }
}

#[test]
fn a_summary_has_the_declared_fields() {
    let totals = Totals {
        by_status: vec![(Status::Successful, 2), (Status::Failed, 1)],
        amounts: vec![("EUR".into(), 15.0, 10.0)],
    };
    let full = report::summary(
        &batch(Some("insufficient_funds"), Some(1_700_000_001_000)),
        &totals,
    );
    is_a::<BatchSummary>(&full);
    is_a::<BatchSummary>(&report::summary(&batch(None, None), &totals));
    // `stopped` and `awaitingOperator` are added by `run` (core payouts/mod.rs).
    let mut written = keys(&full);
    written.extend(["stopped", "awaitingOperator"]);
    assert_eq!(fields::<BatchSummary>(), written);
    // byStatus is declared `Record<PayoutStatus, number>`: every status, always.
    let statuses: BTreeSet<&str> = Status::ALL.iter().map(|s| s.as_str()).collect();
    assert_eq!(keys(&full["byStatus"]), statuses);
    assert_eq!(
        full["amounts"]["EUR"],
        json!({ "requested": 15.0, "paid": 10.0 })
    );
}

fn row(state: ItemState) -> ItemRow {
    ItemRow {
        batch_id: "b1".into(),
        seq: 0,
        item: NewItem {
            key: "k1".into(),
            provider: "momo".into(),
            amount: "5".into(),
            currency: "EUR".into(),
            // As items.rs keeps it: the item as given, with its normalised key, amount
            // and currency.
            spec: json!({ "key": "k1", "provider": "momo", "amount": "5", "currency": "EUR",
                "party": "46733123450" }),
        },
        state,
        version: 1,
    }
}

fn state(status: Status) -> ItemState {
    ItemState::fresh(status, 1_700_000_000_000)
}

#[test]
fn an_item_has_the_declared_fields() {
    let queued = report::item(&row(state(Status::Queued)));
    is_a::<PayoutItemState>(&queued);
    assert_eq!(queued["referenceId"], Value::Null);

    let mut waiting = state(Status::Unknown);
    waiting.generation = 1;
    waiting.reference = Some("0f8c3c5e-6a53-4a43-9d5b-3c1c1b1a2b3c".into());
    waiting.reason = Some(
        json!({ "error": "UnknownOutcome", "message": "m", "code": "c",
        "operator": true }),
    );
    waiting.provider_id = Some("t1".into());
    waiting.sends = 2;
    waiting.lookups = 5;
    waiting.resolution =
        Some(json!({ "status": "failed", "note": "n", "at": "2026-01-01T00:00:00Z" }));
    let full = report::item(&row(waiting));
    is_a::<PayoutItemState>(&full);
    // The declared fields are the state's and the item's own (`party` and the rest of
    // what was submitted fall under the header's index signature).
    let mut written = keys(&full);
    written.remove("party");
    assert_eq!(fields::<PayoutItemState>(), written);
}

#[test]
fn a_parsed_callback_has_the_declared_fields() {
    let momo = callback::parse(
        &Arg::Json(json!({ "status": "FAILED", "reason": "APPROVAL_REJECTED", "amount": "5" })),
        &Arg::Json(json!({ "X-Reference-Id": "r1" })),
    );
    let paymob = callback::parse(
        &Arg::Json(
            json!({ "disbursement_status": "failed", "status_code": "618",
            "status_description": "x", "client_transaction_reference": "r2" }),
        ),
        &Arg::Undefined,
    );
    let mut written = BTreeSet::new();
    for parsed in [momo, paymob] {
        let parsed = parsed.unwrap();
        is_a::<ParsedCallback>(&parsed);
        written.extend(keys(&parsed).into_iter().map(str::to_owned));
    }
    let declared: BTreeSet<String> = fields::<ParsedCallback>()
        .into_iter()
        .map(str::to_owned)
        .collect();
    assert_eq!(declared, written);
}

/// napi-rs cannot say `extends`: each of these repeats its base's fields.
#[test]
fn a_flattened_type_keeps_its_bases_fields() {
    let more = |base: BTreeSet<&'static str>, own: &[&'static str]| {
        let mut all = base;
        all.extend(own);
        all
    };
    assert_eq!(
        fields::<UserInfo>(),
        more(
            fields::<BasicUserInfo>(),
            &["sub", "name", "email", "phone_number"]
        )
    );
    assert_eq!(
        fields::<CashinResult>(),
        more(fields::<PaymobTransaction>(), &["clientReferenceId"])
    );
    assert_eq!(
        fields::<PayoutStep>(),
        more(
            fields::<PayoutItemState>(),
            &["needsLookup", "nextCheckAt", "throttled", "retryAfterMs"]
        )
    );
}

#[test]
fn a_failure_has_the_declared_fields_but_status() {
    let mut full = mobilemoney_core::Failure::new(FailureKind::Conflict, "m");
    full.status = Some(409);
    full.code = Some("RESOURCE_ALREADY_EXIST".into());
    full.body = Some(json!({ "code": "RESOURCE_ALREADY_EXIST" }));
    full.field = Some("uuid".into());
    full.reference_id = Some("r1".into());
    full.request_id = Some("q1".into());
    full.attempts = 2;
    let full = full.to_json();
    is_a::<Failure>(&full);
    is_a::<Failure>(&mobilemoney_core::Failure::new(FailureKind::Timeout, "m").to_json());
    // `status` is there at run time for mobilemoney.js's code, and undeclared, so that a
    // result used without checking `ok` does not compile (types/header.d.ts).
    let mut written = keys(&full);
    assert!(written.remove("status"));
    assert_eq!(fields::<Failure>(), written);
}

#[test]
fn a_request_event_has_the_declared_fields() {
    let event = |answered: bool| Event {
        provider: "momo",
        method: "GET".into(),
        path: "/p".into(),
        status: answered.then_some(200),
        elapsed_ms: 1.5,
        attempt: 1,
        reference_id: answered.then(|| "r1".into()),
        request_id: answered.then(|| "q1".into()),
        error: (!answered).then(|| "Timeout".into()),
    };
    for answered in [true, false] {
        let json = event(answered).to_json();
        is_a::<RequestEvent>(&json);
        assert_eq!(fields::<RequestEvent>(), keys(&json));
    }
}

/// The options declared are the names the core's option checks know (option_names.rs).
#[test]
fn options_have_the_names_the_core_knows() {
    let names = |lists: &[&[&'static str]]| -> BTreeSet<&'static str> {
        lists.iter().flat_map(|l| l.iter().copied()).collect()
    };
    let transport = names(&[option_names::TRANSPORT]);
    assert_eq!(fields::<TransportOptions>(), transport);
    // `subscriptionKey`: the constructor's first argument, also taken inside an account
    // object passed whole.
    let mut momo = names(&[option_names::TRANSPORT, option_names::MOMO]);
    momo.insert("subscriptionKey");
    assert_eq!(fields::<DisbursementsOptions>(), momo);
    let client = fields::<ClientOptions>();
    assert!(client.is_subset(&momo) && transport.is_subset(&client));
    // The API's snake_case spellings are accepted, not declared.
    let paymob: BTreeSet<&str> = names(&[option_names::TRANSPORT, option_names::PAYMOB])
        .into_iter()
        .filter(|n| !n.contains('_'))
        .collect();
    assert_eq!(fields::<PaymobOptions>(), paymob);
    assert_eq!(fields::<PayoutsOptions>(), names(&[option_names::PAYOUTS]));
    assert_eq!(
        fields::<PayoutsPacing>(),
        names(&[option_names::PAYOUTS_ACCOUNT])
    );
}
