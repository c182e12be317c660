//! The TypeScript `FailureKind` union (types/header.d.ts) is the Rust enum, no more and no
//! less: a kind added on one side and not the other fails here.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use mobilemoney_core::FailureKind;

#[test]
fn every_kind_has_its_place_in_all() {
    for (i, kind) in FailureKind::ALL.iter().enumerate() {
        assert_eq!(
            kind.index(),
            i,
            "{kind} is out of place in FailureKind::ALL"
        );
    }
}

#[test]
fn the_typescript_union_is_the_rust_enum() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../types/header.d.ts");
    let text = std::fs::read_to_string(path).expect("types/header.d.ts");
    let start = text
        .find("export type FailureKind =")
        .expect("the FailureKind union");
    let rest = &text[start + "export type FailureKind =".len()..];
    let union: Vec<&str> = rest
        .lines()
        .map(str::trim)
        .skip_while(|l| l.is_empty())
        .take_while(|l| l.starts_with('|'))
        .map(|l| l.trim_start_matches('|').trim().trim_matches('\''))
        .collect();
    let rust: Vec<&str> = FailureKind::ALL.iter().map(|k| k.as_str()).collect();
    assert_eq!(union, rust);
}
