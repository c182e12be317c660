//! The rules of `decide` and `may_retry`, each answer tried on the item states it can meet.

use super::*;
use crate::failure::FailureKind;
use crate::payouts::ledger::{NewItem, RailId};

fn row(status: Status, sends: u32) -> ItemRow {
    ItemRow {
        batch_id: "b".into(),
        seq: 0,
        item: NewItem {
            key: "k".into(),
            provider: RailId::from("momo"),
            amount: "10".into(),
            currency: "EUR".into(),
            spec: json!({}),
        },
        state: ItemState {
            reference: Some("r0".into()),
            sends,
            sent_ms: Some(0),
            ..ItemState::fresh(status, 0)
        },
        version: 1,
    }
}

fn refused() -> Found {
    Found::Refused {
        reason: json!({ "error": "InvalidData" }),
        no_funds: false,
    }
}

const ONLY: Source = Source::Send { only: true };
const RESEND: Source = Source::Send { only: false };

#[test]
fn a_refusal_is_final_only_on_the_only_send() {
    let d = decide(&row(Status::Sending, 1), refused(), ONLY, 5, true);
    assert_eq!(d.state.status, Status::Refused);
    assert!(may_retry(&ItemRow {
        state: d.state,
        ..row(Status::Refused, 1)
    }));
    let d = decide(&row(Status::Sending, 2), refused(), RESEND, 5, true);
    assert_eq!(d.state.status, Status::Unknown);
    assert_eq!(d.state.generation, 0);
    assert!(d.state.next_check_ms.is_some());
    assert!(!may_retry(&row(Status::Refused, 2)));
}

#[test]
fn a_failure_answered_to_a_resend_waits_for_a_lookup() {
    let failed = |no_funds| Found::Failed {
        reason: json!({}),
        no_funds,
    };
    let d = decide(&row(Status::Sending, 3), failed(true), RESEND, 5, true);
    assert_eq!((d.state.status, d.state.generation), (Status::Unknown, 0));
    // The provider's lookup says the reference failed: a new generation may be made.
    let d = decide(
        &row(Status::Unknown, 3),
        failed(true),
        Source::Lookup,
        5,
        true,
    );
    assert_eq!((d.state.status, d.state.generation), (Status::Queued, 1));
    assert_eq!(d.state.reference, None);
    assert!(d.pause);
    let d = decide(
        &row(Status::Unknown, 3),
        failed(false),
        Source::Lookup,
        5,
        true,
    );
    assert_eq!(d.state.status, Status::Failed);
}

#[test]
fn a_mismatch_and_unseen_sends_wait_on_an_operator() {
    let d = decide(
        &row(Status::Unknown, 1),
        Found::Mismatch {
            reason: json!({ "error": "Mismatch" }),
        },
        Source::Lookup,
        5,
        true,
    );
    assert!(needs_operator(&d.state));
    let d = decide(
        &row(Status::Unknown, MAX_SENDS),
        Found::NotFound,
        Source::Lookup,
        5,
        true,
    );
    assert!(needs_operator(&d.state));
    let d = decide(
        &row(Status::Unknown, 1),
        Found::NotFound,
        Source::Lookup,
        5,
        true,
    );
    assert_eq!(d.state.status, Status::Queued);
    assert_eq!(d.state.reference.as_deref(), Some("r0"));
}

#[test]
fn a_throttled_lookup_leaves_an_operator_item_without_a_next_check() {
    let mut waiting = row(Status::Unknown, MAX_SENDS);
    waiting.state.reason = Some(json!({ "error": "UnknownOutcome", "operator": true }));
    let d = decide(
        &waiting,
        Found::Throttled { wait: None },
        Source::Lookup,
        5,
        true,
    );
    assert!(needs_operator(&d.state));
    assert_eq!(d.state.next_check_ms, None);
    let d = decide(
        &row(Status::Unknown, 1),
        Found::Throttled { wait: None },
        Source::Lookup,
        5,
        true,
    );
    assert!(d.state.next_check_ms.is_some());
}

#[test]
fn the_accounts_failures_leave_the_item_as_it_was() {
    let failure = Failure::new(FailureKind::Timeout, "token").for_account();
    let d = decide(
        &row(Status::Sending, 1),
        Found::AccountRefused { failure },
        ONLY,
        5,
        true,
    );
    assert_eq!((d.state.status, d.state.sends), (Status::Queued, 0));
    assert!(d.account_failure.is_some());
    let d = decide(
        &row(Status::Sending, 1),
        Found::Throttled { wait: None },
        ONLY,
        5,
        true,
    );
    assert_eq!((d.state.status, d.state.sends), (Status::Queued, 0));
}

#[test]
fn an_operators_failed_is_not_retried() {
    let mut r = row(Status::Failed, 1);
    assert!(may_retry(&r));
    r.state.resolution = Some(json!({ "status": "failed" }));
    assert!(!may_retry(&r));
    assert!(!may_retry(&row(Status::Unknown, 1)));
}
