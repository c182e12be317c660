//! Money safety: a cash-in whose answer was lost is looked up, never paid
//! twice, and reported `UnknownOutcome` with its reference when nothing can tell.

use mobilemoney_core::paymob::REFERENCE_USED;
use mobilemoney_core::sandbox::{FaultKind, FaultRule, Sandbox};
use mobilemoney_core::FailureKind;
use serde_json::json;
use uuid::Uuid;

use super::support::*;

/// A Paymob fault for the next request whose path contains `path`.
fn add_fault(sb: &Sandbox, kind: FaultKind, path: &str, delay_ms: Option<u64>) {
    sb.state().faults.add(FaultRule {
        provider: Some("paymob".into()),
        delay_ms,
        ..crate::common::fault_rule(kind, None, path, 1)
    });
}

#[tokio::test]
async fn a_repeat_after_a_lost_answer_finds_the_payout_instead_of_paying_twice() {
    let sb = sandbox(|_| {}).await;
    let p = client(&sb, json!({}));
    add_fault(&sb, FaultKind::ResetAfter, "/disburse/", None);
    let data = ok(p
        .instant_cashin(wallet("vodafone", VODAFONE_OK, 25.0))
        .await);
    assert_eq!(data["disbursement_status"], "successful");
    let reference = data["clientReferenceId"].as_str().unwrap();
    // First attempt processed but unanswered; the repeat was refused as "used before";
    // the inquiry told the truth.
    let disburses = requests_to(&sb, "/disburse/");
    assert_eq!(disburses.len(), 2);
    assert_eq!(disburses[0]["body"], disburses[1]["body"]);
    assert_eq!(requests_to(&sb, "/transaction/inquire/").len(), 1);
    let entries = ledger(&sb);
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0]["referenceId"], reference);
}

#[tokio::test]
async fn a_timeout_is_resolved_by_inquiry() {
    let sb = sandbox(|_| {}).await;
    // The timeout also bounds the inquiry: 1 s, so a loaded machine still answers it.
    let p = client(&sb, json!({ "timeoutMs": 1000, "maxRetries": 0 }));
    ok(p.generate_token().await);
    add_fault(&sb, FaultKind::StallAfter, "/disburse/", Some(5000));
    let f = err(
        p.instant_cashin(wallet("vodafone", "01000000618", 25.0))
            .await,
        FailureKind::ProviderError,
    );
    assert_eq!(f.code.as_deref(), Some("618"));
    assert_eq!(requests_to(&sb, "/disburse/").len(), 1);
    assert_eq!(requests_to(&sb, "/transaction/inquire/").len(), 1);
}

#[tokio::test]
async fn when_nothing_can_tell_the_outcome_is_unknown_and_the_same_reference_is_safe() {
    let sb = sandbox(|_| {}).await;
    let p = client(&sb, json!({ "maxRetries": 0 }));
    let reference = Uuid::new_v4().to_string();
    let request = json!({"issuer": "vodafone", "msisdn": VODAFONE_OK, "amount": 40, "clientReferenceId": reference});

    // The connection drops before the sandbox processes it: the inquiry finds nothing.
    add_fault(&sb, FaultKind::ResetBefore, "/disburse/", None);
    let f = err(
        p.instant_cashin(req(request.clone())).await,
        FailureKind::UnknownOutcome,
    );
    assert_eq!(f.reference_id.as_deref(), Some(reference.as_str()));
    assert!(f.retryable);
    assert!(f.message.contains("found no transaction"), "{}", f.message);
    assert!(ledger(&sb).is_empty());

    // Repeating with the same reference is what the failure says is safe.
    let data = ok(p.instant_cashin(req(request.clone())).await);
    assert_eq!(data["clientReferenceId"], reference.as_str());
    assert_eq!(ledger(&sb).len(), 1);
}

#[tokio::test]
async fn an_exhausted_inquiry_bucket_leaves_the_outcome_unknown() {
    let sb = sandbox(|_| {}).await;
    let p = client(&sb, json!({ "maxRetries": 0, "inquiriesPerMinute": 1 }));
    ok(p.budget_inquiry().await);
    add_fault(&sb, FaultKind::ResetAfter, "/disburse/", None);
    let f = err(
        p.instant_cashin(wallet("etisalat", "01123456789", 5.0))
            .await,
        FailureKind::UnknownOutcome,
    );
    assert!(f.retryable);
    assert!(f.message.contains("inquiries-per-minute"), "{}", f.message);
    let reference = f.reference_id.unwrap();
    assert!(requests_to(&sb, "/transaction/inquire/").is_empty());
    // It was in fact paid, once.
    let entries = ledger(&sb);
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0]["referenceId"], reference.as_str());
}

#[tokio::test]
async fn a_server_error_on_disburse_is_looked_up_and_a_transient_one_repeated() {
    let sb = sandbox(|_| {}).await;
    // 503 is repeated with the same reference (Paymob deduplicates it), then succeeds.
    let p = client(&sb, json!({}));
    add_fault(&sb, FaultKind::Status503, "/disburse/", None);
    let data = ok(p.instant_cashin(wallet("vodafone", VODAFONE_OK, 5.0)).await);
    assert_eq!(data["disbursement_status"], "successful");
    assert_eq!(requests_to(&sb, "/disburse/").len(), 2);

    // With no repeats allowed, a 500 page is looked up; it found nothing, so: unknown.
    let q = client(&sb, json!({ "maxRetries": 0 }));
    add_fault(&sb, FaultKind::Status500, "/disburse/", None);
    let f = err(
        q.instant_cashin(wallet("vodafone", VODAFONE_OK, 5.0)).await,
        FailureKind::UnknownOutcome,
    );
    assert!(f.message.contains("HTTP 500"), "{}", f.message);
    assert_eq!(ledger(&sb).len(), 1);
}

#[tokio::test]
async fn a_reused_reference_is_looked_up_and_never_paid_twice() {
    let sb = sandbox(|_| {}).await;
    let p = client(&sb, json!({}));
    let reference = Uuid::new_v4().to_string();
    let request = json!({"issuer": "vodafone", "msisdn": VODAFONE_OK, "amount": 10, "clientReferenceId": reference});
    ok(p.instant_cashin(req(request.clone())).await);
    // "Used before" proves Paymob took the reference: the inquiry tells what became of it.
    let data = ok(p.instant_cashin(req(request.clone())).await);
    assert_eq!(data["disbursement_status"], "successful");
    assert_eq!(data["clientReferenceId"], reference.as_str());
    assert_eq!(requests_to(&sb, "/transaction/inquire/").len(), 1);
    // When the inquiry cannot tell: unknown, never a refusal.
    add_fault(&sb, FaultKind::Status500, "/transaction/inquire/", None);
    let q = client(&sb, json!({ "maxRetries": 0 }));
    let f = err(
        q.instant_cashin(req(request)).await,
        FailureKind::UnknownOutcome,
    );
    assert_eq!(f.code.as_deref(), Some(REFERENCE_USED));
    assert_eq!(f.reference_id.as_deref(), Some(reference.as_str()));
    assert_eq!(ledger(&sb).len(), 1);
}
