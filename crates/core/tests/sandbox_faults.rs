//! The sandbox finishes what it received, as a provider does: a client that times out and
//! hangs up does not stop a request the server has read. Driven over real HTTP, with real
//! (short) delays: the hang-up has to reach the server's socket.

use std::error::Error;
use std::time::Duration;

use mobilemoney_core::sandbox::{FaultKind, FaultRule, Sandbox, SandboxOptions};
use reqwest::{Client, RequestBuilder, StatusCode};
use serde_json::{json, Value};
use tokio::time::{sleep, Instant};
use uuid::Uuid;

type Res<T = ()> = Result<T, Box<dyn Error>>;

mod common;
use common::KEY;
const TRANSFER: &str = "/disbursement/v1_0/transfer";
/// Longer than the client's timeout, short enough for a test.
const HELD: Duration = Duration::from_millis(800);
const CLIENT_TIMEOUT: Duration = Duration::from_millis(200);

fn fault(kind: FaultKind, path: &str, delay: Option<Duration>) -> FaultRule {
    FaultRule {
        delay_ms: delay.map(|d| d.as_millis() as u64),
        ..common::fault_rule(kind, Some("POST"), path, 1)
    }
}

fn text<'a>(v: &'a Value, key: &str) -> Res<&'a str> {
    Ok(v.get(key)
        .and_then(Value::as_str)
        .ok_or_else(|| format!("no {key} in {v}"))?)
}

/// A provisioned MoMo API user's Disbursement token.
async fn momo_token(sb: &Sandbox, http: &Client) -> Res<String> {
    let (user, key) = common::provision(http, &sb.url(), Some("127.0.0.1")).await;
    let v: Value = http
        .post(format!("{}/disbursement/token/", sb.url()))
        .header("Ocp-Apim-Subscription-Key", KEY)
        .basic_auth(&user, Some(&key))
        .send()
        .await?
        .json()
        .await?;
    Ok(text(&v, "access_token")?.to_owned())
}

fn momo(
    http: &Client,
    sb: &Sandbox,
    token: &str,
    method: reqwest::Method,
    path: &str,
) -> RequestBuilder {
    http.request(method, format!("{}{path}", sb.url()))
        .header("Ocp-Apim-Subscription-Key", KEY)
        .header("X-Target-Environment", "sandbox")
        .bearer_auth(token)
}

fn momo_transfer(http: &Client, sb: &Sandbox, token: &str, reference: &str) -> RequestBuilder {
    momo(http, sb, token, reqwest::Method::POST, TRANSFER)
        .header("X-Reference-Id", reference)
        .json(&json!({
            "amount": "5",
            "currency": "EUR",
            "externalId": "ext-1",
            "payee": { "partyIdType": "MSISDN", "partyId": "46733123499" },
            "payerMessage": "salary",
            "payeeNote": "thanks",
        }))
}

async fn paymob_token(sb: &Sandbox, http: &Client) -> Res<String> {
    let v = common::paymob_password_grant(http, sb).await;
    Ok(text(&v, "access_token")?.to_owned())
}

fn paymob_cashin(http: &Client, sb: &Sandbox, token: &str, reference: &str) -> RequestBuilder {
    http.post(format!("{}/api/secure/disburse/", sb.url()))
        .bearer_auth(token)
        .json(&json!({
            "issuer": "vodafone",
            "msisdn": "01023456789",
            "amount": 10,
            "client_reference_id": reference,
        }))
}

/// How many transactions Paymob's inquiry finds under `reference`.
async fn paymob_found(sb: &Sandbox, http: &Client, token: &str, reference: &str) -> Res<u64> {
    let r = http
        .post(format!("{}/api/secure/transaction/inquire/", sb.url()))
        .bearer_auth(token)
        .json(&json!({ "transactions_ids_list": [reference] }))
        .send()
        .await?;
    assert_eq!(r.status(), StatusCode::OK);
    let v: Value = r.json().await?;
    Ok(v.get("count").and_then(Value::as_u64).unwrap_or_default())
}

fn recorded(sb: &Sandbox, reference: &str) -> usize {
    sb.state()
        .ledger
        .lock()
        .entries()
        .iter()
        .filter(|e| e.reference_id == reference)
        .count()
}

fn open_connections(sb: &Sandbox) -> u64 {
    sb.state().stats.lock().open_connections
}

/// Polls `done` every 10 ms for at most `within`.
async fn eventually(within: Duration, mut done: impl FnMut() -> bool) -> bool {
    let deadline = Instant::now() + within;
    while !done() {
        if Instant::now() > deadline {
            return false;
        }
        sleep(Duration::from_millis(10)).await;
    }
    true
}

/// Sends `request` (from a client of its own, so on a connection of its own) with a
/// timeout shorter than the fault's delay, and waits until the server has seen the
/// hang-up: what happens next happens without a client.
async fn send_and_hang_up(sb: &Sandbox, request: RequestBuilder) {
    let open = open_connections(sb);
    let sent = request.timeout(CLIENT_TIMEOUT).send().await;
    assert!(
        sent.as_ref().is_err_and(reqwest::Error::is_timeout),
        "{sent:?}"
    );
    assert!(
        eventually(HELD / 2, || open_connections(sb) <= open).await,
        "the server did not see the client hang up"
    );
}

/// A sandbox on its defaults, a client, and a MoMo Disbursement token.
async fn momo_started() -> Res<(Sandbox, Client, String)> {
    let sb = Sandbox::start(SandboxOptions::default()).await?;
    let http = Client::new();
    let token = momo_token(&sb, &http).await?;
    Ok((sb, http, token))
}

/// A sandbox on its defaults, a client, and a Paymob token.
async fn paymob_started() -> Res<(Sandbox, Client, String)> {
    let sb = Sandbox::start(SandboxOptions::default()).await?;
    let http = Client::new();
    let token = paymob_token(&sb, &http).await?;
    Ok((sb, http, token))
}

/// A sandbox whose next MoMo transfer is held `HELD` by `kind`, a client with a token,
/// and a fresh reference.
async fn held_transfer(kind: FaultKind) -> Res<(Sandbox, Client, String, String)> {
    let (sb, http, token) = momo_started().await?;
    sb.state().faults.add(fault(kind, TRANSFER, Some(HELD)));
    Ok((sb, http, token, Uuid::new_v4().to_string()))
}

#[tokio::test]
async fn a_momo_transfer_lands_late_after_the_client_gave_up() -> Res {
    let (sb, http, token, reference) = held_transfer(FaultKind::LandLate).await?;

    send_and_hang_up(&sb, momo_transfer(&Client::new(), &sb, &token, &reference)).await;
    // Still held: a lookup now finds nothing (the race a client must survive).
    assert_eq!(recorded(&sb, &reference), 0);
    let path = format!("{TRANSFER}/{reference}");
    let r = momo(&http, &sb, &token, reqwest::Method::GET, &path)
        .send()
        .await?;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);

    assert!(eventually(HELD * 4, || recorded(&sb, &reference) == 1).await);
    let r = momo(&http, &sb, &token, reqwest::Method::GET, &path)
        .send()
        .await?;
    assert_eq!(r.status(), StatusCode::OK);
    let v: Value = r.json().await?;
    assert_eq!(text(&v, "externalId")?, "ext-1");
    assert_eq!(sb.state().stats.lock().faults_injected, 1);
    Ok(())
}

#[tokio::test]
async fn a_paymob_cashin_lands_late_after_the_client_gave_up() -> Res {
    let (sb, http, token) = paymob_started().await?;
    // Through the control endpoint, as the CLI's sandbox and other HTTP clients set it.
    let r = http
        .post(format!("{}/_sandbox/faults", sb.url()))
        .json(&json!({ "kind": "land_late", "path": "/disburse/", "delayMs": HELD.as_millis() as u64 }))
        .send()
        .await?;
    assert_eq!(r.status(), StatusCode::CREATED);
    let reference = Uuid::new_v4().to_string();

    send_and_hang_up(&sb, paymob_cashin(&Client::new(), &sb, &token, &reference)).await;
    assert_eq!(recorded(&sb, &reference), 0);
    assert_eq!(paymob_found(&sb, &http, &token, &reference).await?, 0);

    assert!(eventually(HELD * 4, || recorded(&sb, &reference) == 1).await);
    assert_eq!(paymob_found(&sb, &http, &token, &reference).await?, 1);
    Ok(())
}

#[tokio::test]
async fn a_client_still_there_when_it_lands_gets_the_normal_answer() -> Res {
    let (sb, http, token) = momo_started().await?;
    sb.state().faults.add(fault(
        FaultKind::LandLate,
        TRANSFER,
        Some(Duration::from_millis(200)),
    ));
    let reference = Uuid::new_v4().to_string();
    let started = Instant::now();
    let r = momo_transfer(&http, &sb, &token, &reference).send().await?;
    assert_eq!(r.status(), StatusCode::ACCEPTED);
    assert!(started.elapsed() >= Duration::from_millis(200));
    assert_eq!(recorded(&sb, &reference), 1);
    Ok(())
}

#[tokio::test]
async fn a_stalled_request_is_processed_though_the_client_hung_up() -> Res {
    let (sb, _http, token, reference) = held_transfer(FaultKind::Stall).await?;

    send_and_hang_up(&sb, momo_transfer(&Client::new(), &sb, &token, &reference)).await;
    assert_eq!(recorded(&sb, &reference), 0);
    // It was received: the stall ends and the transfer is booked.
    assert!(eventually(HELD * 4, || recorded(&sb, &reference) == 1).await);
    Ok(())
}

#[tokio::test]
async fn reset_before_still_records_nothing_and_reset_after_does() -> Res {
    let (sb, http, token) = paymob_started().await?;
    let faults = &sb.state().faults;

    faults.add(fault(FaultKind::ResetBefore, "/disburse/", None));
    let before = Uuid::new_v4().to_string();
    let sent = paymob_cashin(&http, &sb, &token, &before).send().await;
    assert!(sent.is_err(), "{sent:?}");
    faults.add(fault(FaultKind::ResetAfter, "/disburse/", None));
    let after = Uuid::new_v4().to_string();
    let sent = paymob_cashin(&http, &sb, &token, &after).send().await;
    assert!(sent.is_err(), "{sent:?}");

    // The reset request never comes back to life, not even later.
    sleep(Duration::from_millis(300)).await;
    assert_eq!(recorded(&sb, &before), 0);
    assert_eq!(paymob_found(&sb, &http, &token, &before).await?, 0);
    assert_eq!(recorded(&sb, &after), 1);
    // The connections the resets dropped are gone, the kept-alive one stays.
    assert!(eventually(HELD, || open_connections(&sb) == 1).await);
    Ok(())
}

#[tokio::test]
async fn closing_the_sandbox_drops_what_is_still_held() -> Res {
    let (mut sb, _http, token) = momo_started().await?;
    sb.state()
        .faults
        .add(fault(FaultKind::Stall, TRANSFER, Some(HELD)));
    let reference = Uuid::new_v4().to_string();
    send_and_hang_up(&sb, momo_transfer(&Client::new(), &sb, &token, &reference)).await;
    let state = sb.state().clone();
    sb.close().await;
    sleep(HELD * 2).await;
    let booked = state.ledger.lock().entries().len();
    assert_eq!(booked, 0);
    Ok(())
}
