//! The JavaScript types against the core's: the same field names, every one of them, and
//! the same fault kinds (the generated TypeScript is checked by `__test__/types.spec.js`).

use std::collections::BTreeSet;

use serde_json::Value;

use super::*;
use mobilemoney_core::sandbox::faults::{FaultKind as CoreKind, FaultRate, FaultRule as CoreRule};
use mobilemoney_core::sandbox::SandboxOptions as CoreOptions;

/// Every key path of a JSON object, e.g. `momo.productKeys.collection`.
fn keys(value: &Value, prefix: &str, out: &mut BTreeSet<String>) {
    if let Value::Object(map) = value {
        for (k, v) in map {
            let path = format!("{prefix}{k}");
            keys(v, &format!("{path}."), out);
            out.insert(path);
        }
    }
}

fn key_set(value: &impl Serialize) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    keys(&serde_json::to_value(value).unwrap(), "", &mut out);
    out
}

fn every_option() -> SandboxOptions {
    let list = || Some(vec!["k".to_owned()]);
    SandboxOptions {
        port: Some(0),
        host: Some("127.0.0.1".into()),
        settle_after_ms: Some(5),
        ongoing_ms: Some(8),
        token_ttl_seconds: Some(60),
        momo: Some(MomoSandboxOptions {
            subscription_keys: list(),
            product_keys: Some(ProductKeys {
                collection: list(),
                disbursement: list(),
                remittance: list(),
            }),
            share_tokens: Some(true),
            delivery_notification_window_ms: Some(1),
            balance: Some(5.5),
            balances: Some(ProductBalances {
                collection: Some(1.0),
                disbursement: Some(2.0),
                remittance: None,
            }),
            callback_method: Some("POST".into()),
            reason_shape: Some("object".into()),
            duplicate_callbacks: Some(true),
        }),
        paymob: Some(PaymobSandboxOptions {
            client_id: Some("id".into()),
            client_secret: Some("secret".into()),
            username: Some("user".into()),
            password: Some("password".into()),
            budget: Some(7.25),
            inquiry_limit_per_minute: Some(9),
        }),
        log_requests: Some(true),
        latency_ms: Some(3),
        state_file: Some("sandbox.json".into()),
        market: Some(serde_json::json!(["sandbox", "mtnghana"])),
    }
}

#[test]
fn options_have_the_cores_fields_and_reach_it() {
    let js = every_option();
    let mut core = CoreOptions::default();
    core.momo.callback_method = Some("PUT".into());
    core.momo.subscription_keys = Some(vec![]);
    core.momo.product_keys.collection = Some(vec![]);
    core.momo.product_keys.disbursement = Some(vec![]);
    core.momo.product_keys.remittance = Some(vec![]);
    core.state_file = Some("x".into());
    assert_eq!(key_set(&js), key_set(&core));

    let parsed: CoreOptions = to_core(&js).unwrap();
    assert_eq!(
        (
            parsed.settle_after_ms,
            parsed.latency_ms,
            parsed.token_ttl_seconds
        ),
        (5, 3, 60)
    );
    assert_eq!(parsed.momo.callback_method.as_deref(), Some("POST"));
    assert_eq!(
        parsed.momo.reason_shape,
        mobilemoney_core::sandbox::options::ReasonShape::Object
    );
    let accounts = parsed.momo.accounts();
    assert_eq!(
        (
            accounts.collection,
            accounts.disbursement,
            accounts.remittance
        ),
        (1.0, 2.0, 5.5)
    );
    assert_eq!(parsed.ongoing_ms, 8);
    assert_eq!(
        parsed.market.iter().map(|m| m.target()).collect::<Vec<_>>(),
        ["sandbox", "mtnghana"]
    );
    assert_eq!(
        parsed.state_file,
        Some(std::path::PathBuf::from("sandbox.json"))
    );
    assert_eq!(
        parsed.momo.product_keys.remittance,
        Some(vec!["k".to_owned()])
    );
    assert!(parsed.momo.share_tokens && parsed.momo.duplicate_callbacks && parsed.log_requests);
    assert_eq!(
        (parsed.paymob.budget, parsed.paymob.inquiry_limit_per_minute),
        (7.25, 9)
    );

    // Absent options take the core's defaults; its checks still apply.
    let defaults: CoreOptions = to_core(&SandboxOptions::default()).unwrap();
    assert_eq!(defaults.momo.balance, CoreOptions::default().momo.balance);
    let negative = SandboxOptions {
        settle_after_ms: Some(-1),
        ..SandboxOptions::default()
    };
    assert!(to_core::<CoreOptions>(&negative).is_err());
}

/// The members of `export type NAME = | 'a' | 'b'` in the hand-written header.
fn header_union(name: &str) -> Vec<String> {
    let header = include_str!("../types/header.d.ts");
    let start = header
        .find(&format!("export type {name} ="))
        .expect("the type is in the header");
    let rest = header.get(start..).unwrap_or_default();
    let end = rest.find("\n\n").unwrap_or(rest.len());
    rest.get(..end)
        .unwrap_or_default()
        .split('\'')
        .skip(1)
        .step_by(2)
        .map(str::to_owned)
        .collect()
}

#[test]
fn the_headers_fault_kinds_are_the_cores() {
    let core: Vec<Value> = CoreKind::ALL
        .iter()
        .map(|k| serde_json::to_value(k).unwrap())
        .collect();
    let header: Vec<Value> = header_union("FaultKind")
        .into_iter()
        .map(Value::from)
        .collect();
    assert_eq!(header, core);
}

#[test]
fn the_headers_markets_are_the_cores() {
    let core: Vec<String> = mobilemoney_core::momo::market::MARKETS
        .iter()
        .map(|m| m.target().to_owned())
        .collect();
    assert_eq!(header_union("MomoMarket"), core);
}

/// docs/going-live.md's table of markets is the core's: each row's country, currency and
/// number format as the crates give them.
#[test]
fn the_going_live_table_is_the_cores_markets() {
    let doc = include_str!("../docs/going-live.md");
    let rows: Vec<String> = mobilemoney_core::momo::market::MARKETS
        .iter()
        .map(|m| {
            let example = m.example_msisdn().unwrap_or_default();
            let numbers = match m.calling_code() {
                Some(code) => format!("`{code}…`, e.g. `{example}`"),
                None => format!("any; test numbers `4673312345x`, e.g. `{example}`"),
            };
            format!(
                "| `{}` | {} | {} | {numbers} |",
                m.target(),
                m.country_name().unwrap_or("(MTN's sandbox)"),
                m.currency()
            )
        })
        .collect();
    let missing: Vec<&String> = rows.iter().filter(|r| !doc.contains(r.as_str())).collect();
    assert!(
        missing.is_empty(),
        "rows missing from docs/going-live.md:\n{}",
        rows.join("\n")
    );
}

#[test]
fn fault_rules_and_rates_have_the_cores_fields() {
    let rule = FaultRule {
        kind: "status_429".into(),
        provider: Some("paymob".into()),
        method: Some("POST".into()),
        path: Some("/disburse/".into()),
        times: Some(2),
        delay_ms: Some(10),
        retry_after_seconds: Some(3),
    };
    let core: CoreRule = to_core(&rule).unwrap();
    assert_eq!(
        (core.kind, core.times, core.retry_after_seconds),
        (CoreKind::Status429, 2, Some(3))
    );
    assert_eq!(core.provider.as_deref(), Some("paymob"));
    assert_eq!(key_set(&rule), key_set(&core));

    let rate = FaultRateOptions {
        rate: 0.5,
        kinds: Some(vec!["stall".into()]),
        provider: Some("momo".into()),
        delay_ms: Some(1),
    };
    let core: FaultRate = to_core(&rate).unwrap();
    assert_eq!(core.kinds, [CoreKind::Stall]);
    assert_eq!(key_set(&rate), key_set(&core));
}
