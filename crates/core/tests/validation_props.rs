//! Property tests of the MoMo validators: whatever string comes in, what comes out (if
//! anything) is safe as a path segment or a header value, and nothing panics.

use mobilemoney_core::momo::body::{self, BodyKind};
use mobilemoney_core::momo::validate;
use mobilemoney_core::Arg;
use proptest::prelude::*;

fn path_safe(s: &str) -> bool {
    !s.is_empty()
        && !s.contains("..")
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_.@+".contains(c))
}

fn header_safe(s: &str) -> bool {
    s.bytes().all(|b| (0x20..0x7f).contains(&b))
}

fn json_value() -> impl Strategy<Value = serde_json::Value> {
    let leaf = prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::from),
        any::<f64>().prop_map(|f| serde_json::Number::from_f64(f)
            .map_or(serde_json::Value::Null, serde_json::Value::Number)),
        ".{0,40}".prop_map(serde_json::Value::from),
    ];
    leaf.prop_recursive(4, 64, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(serde_json::Value::Array),
            prop::collection::btree_map(
                prop_oneof![
                    Just("amount".to_owned()),
                    Just("currency".to_owned()),
                    Just("payee".to_owned()),
                    Just("partyId".to_owned()),
                    Just("partyIdType".to_owned()),
                    Just("externalId".to_owned()),
                    Just("payeeNote".to_owned()),
                    Just("referenceIdToRefund".to_owned()),
                    "[a-z]{1,8}",
                ],
                inner,
                0..6
            )
            .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn path_values_are_safe(s in ".{0,80}") {
        let arg = Arg::String(s);
        if let Ok(v) = validate::msisdn(&arg, "msisdn") { prop_assert!(path_safe(&v)); }
        if let Ok(v) = validate::currency(&arg, "currency") { prop_assert!(path_safe(&v)); }
        if let Ok(v) = validate::uuid_v4(&arg, "uuid") { prop_assert!(path_safe(&v)); }
        for kind in ["msisdn", "email", "party_code"] {
            if let Ok(v) = validate::account(&arg, kind, "account") { prop_assert!(path_safe(&v)); }
        }
    }

    #[test]
    fn header_values_are_safe(s in ".{0,80}") {
        let arg = Arg::String(s.clone());
        if let Ok(v) = validate::target(&arg, "target") { prop_assert!(header_safe(&v)); }
        if let Ok(v) = validate::subscription_key(&arg, "key") { prop_assert!(header_safe(&v)); }
        if let Ok(Some(v)) = validate::callback_url(&arg, "cb") { prop_assert!(header_safe(&v)); }
        let bearer = Arg::String(format!("Bearer {s}"));
        if let Ok(v) = validate::authorization(&bearer, "Bearer", "authorization") { prop_assert!(header_safe(&v)); }
    }

    #[test]
    fn bodies_never_panic_and_amounts_are_canonical(v in json_value()) {
        for kind in [BodyKind::Transfer, BodyKind::Deposit, BodyKind::Refund] {
            if let Ok(bytes) = body::build(kind, &Arg::Json(v.clone())) {
                let out: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
                let amount = out["amount"].as_str().unwrap();
                prop_assert!(amount.parse::<f64>().unwrap() > 0.0);
            }
        }
    }
}
