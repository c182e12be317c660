//! The MoMo API table (`momo::api::endpoints`) against MTN's OpenAPI exports and against
//! the binding's method tables. The exports are read at test time from the workspace's
//! `../shared/specs/mtn-momo/` (or `MOMO_SPECS`); where they are absent the check says so
//! and passes, never copied into the repository.

// Test code: failing loudly is the point (clippy.toml allows this only inside #[test] fns).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::collections::BTreeSet;
use std::path::PathBuf;

use mobilemoney_core::momo::api::endpoints::{Route, ENDPOINTS, ROUTES};
use mobilemoney_core::momo::api::{Endpoint, Product, Verb};
use serde_json::Value;

fn specs_dir() -> Option<PathBuf> {
    let dir = match std::env::var_os("MOMO_SPECS") {
        Some(d) => PathBuf::from(d),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/specs/mtn-momo"),
    };
    dir.is_dir().then_some(dir)
}

/// `{anything}` as `{}`, so that parameter names do not matter.
fn shape(path: &str) -> String {
    let mut out = String::new();
    let mut inside = false;
    for c in path.chars() {
        match c {
            '{' => {
                inside = true;
                out.push_str("{}");
            }
            '}' => inside = false,
            c if !inside => out.push(c),
            _ => {}
        }
    }
    out
}

/// `(VERB, path shape)` of every operation of one export, with the 202s of its POSTs.
fn export_operations(file: &PathBuf) -> BTreeSet<(String, String)> {
    let text = std::fs::read_to_string(file).unwrap();
    let spec: Value = serde_json::from_str(&text).unwrap();
    let mut ops = BTreeSet::new();
    for (path, item) in spec["paths"].as_object().unwrap() {
        // Two stray operations in the Remittance export (a clone and a `999{…}999` test).
        if path.starts_with("/clone-") || path.contains("999{") {
            continue;
        }
        for verb in ["get", "post", "put", "delete"] {
            if item.get(verb).is_some() {
                ops.insert((verb.to_uppercase(), shape(path)));
            }
        }
    }
    ops
}

fn verb(v: Verb) -> String {
    v.as_str().to_owned()
}

/// What the table says `product` (None: the root) serves.
fn table_operations(product: Option<Product>) -> BTreeSet<(String, String)> {
    let mounted = |r: &Route| match product {
        Some(p) => r.products.contains(&p),
        None => r.products.is_empty(),
    };
    let mut ops: BTreeSet<_> = ROUTES
        .iter()
        .filter(|r| mounted(r))
        .map(|r| (verb(r.verb), shape(r.path)))
        .collect();
    for e in ENDPOINTS.iter().filter(|e| Some(e.product) == product) {
        ops.insert((verb(Endpoint::VERB), shape(e.path)));
        ops.insert(("GET".into(), format!("{}/{{}}", e.status_path)));
    }
    ops
}

#[test]
fn the_table_is_every_operation_of_the_exports() {
    let Some(dir) = specs_dir() else {
        eprintln!("skipped: MTN's exports are not at ../shared/specs/mtn-momo (set MOMO_SPECS)");
        return;
    };
    let files = [
        (Some(Product::Collection), "collection.openapi3.json"),
        (Some(Product::Disbursement), "disbursement.openapi3.json"),
        (Some(Product::Remittance), "remittance.openapi3.json"),
        (None, "sandbox-provisioning.openapi3.json"),
    ];
    for (product, file) in files {
        let export = export_operations(&dir.join(file));
        let table = table_operations(product);
        assert_eq!(table, export, "{file}: the table and the export differ");
    }
}

#[test]
fn money_endpoints_are_accepted_as_the_exports_say() {
    let Some(dir) = specs_dir() else {
        eprintln!("skipped: MTN's exports are not at ../shared/specs/mtn-momo (set MOMO_SPECS)");
        return;
    };
    for e in ENDPOINTS {
        let file = dir.join(format!("{}.openapi3.json", e.product.as_str()));
        let spec: Value = serde_json::from_str(&std::fs::read_to_string(file).unwrap()).unwrap();
        let responses = &spec["paths"][e.path]["post"]["responses"];
        assert!(
            responses.get(e.expect.to_string()).is_some(),
            "{} {}: {} is not among {responses}",
            e.product.as_str(),
            e.path,
            e.expect
        );
    }
}

/// The binding's `momo_calls!` lines (`money name(ENDPOINT, body: "T");`,
/// `status name(ENDPOINT) -> "Promise<Result<T>>";`) name the table's types.
#[test]
fn the_binding_method_tables_name_the_table_types() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let by_name = |name: &str| -> &Endpoint {
        let statics: [(&str, &Endpoint); 13] = [
            ("TRANSFER", &mobilemoney_core::momo::endpoints::TRANSFER),
            ("DEPOSIT_V1", &mobilemoney_core::momo::endpoints::DEPOSIT_V1),
            ("DEPOSIT", &mobilemoney_core::momo::endpoints::DEPOSIT),
            ("REFUND_V1", &mobilemoney_core::momo::endpoints::REFUND_V1),
            ("REFUND", &mobilemoney_core::momo::endpoints::REFUND),
            (
                "REQUEST_TO_PAY",
                &mobilemoney_core::momo::endpoints::REQUEST_TO_PAY,
            ),
            (
                "REQUEST_TO_WITHDRAW",
                &mobilemoney_core::momo::endpoints::REQUEST_TO_WITHDRAW,
            ),
            ("WITHDRAW", &mobilemoney_core::momo::endpoints::WITHDRAW),
            ("INVOICE", &mobilemoney_core::momo::endpoints::INVOICE),
            (
                "PRE_APPROVAL",
                &mobilemoney_core::momo::endpoints::PRE_APPROVAL,
            ),
            ("PAYMENT", &mobilemoney_core::momo::endpoints::PAYMENT),
            (
                "REMITTANCE_TRANSFER",
                &mobilemoney_core::momo::endpoints::REMITTANCE_TRANSFER,
            ),
            (
                "CASH_TRANSFER",
                &mobilemoney_core::momo::endpoints::CASH_TRANSFER,
            ),
        ];
        statics
            .into_iter()
            .find(|(n, _)| *n == name)
            .map(|(_, e)| e)
            .unwrap_or_else(|| panic!("{name} is not in the table"))
    };
    let mut seen = 0;
    for (file, product) in [
        ("src/disbursements.rs", Product::Disbursement),
        ("src/collection.rs", Product::Collection),
        ("src/remittance.rs", Product::Remittance),
    ] {
        let text = std::fs::read_to_string(root.join(file)).unwrap();
        for line in text.lines().map(str::trim) {
            let (kind, rest) = match line.split_once(' ') {
                Some((k @ ("money" | "status"), rest)) => (k, rest),
                _ => continue,
            };
            let inner = rest.split_once('(').unwrap().1;
            let (name, tail) = inner.split_once([',', ')']).unwrap();
            let e = by_name(name.trim());
            assert_eq!(e.product, product, "{file}: {name}");
            let quoted = tail.split('"').nth(1).unwrap();
            if kind == "money" {
                assert_eq!(quoted, e.body_type, "{file}: {line}");
            } else {
                assert_eq!(
                    quoted,
                    format!("Promise<Result<{}>>", e.result_type),
                    "{file}: {line}"
                );
            }
            seen += 1;
        }
    }
    assert_eq!(seen, 21, "every money and status line of the three classes");
}
