//! `stateFile`: the ledger, accounts, users and tokens survive a restart, and payouts
//! pending at the stop settle after it.

use std::path::PathBuf;

use super::*;

const TRANSFER: &str = "/disbursement/v1_0/transfer";

fn state_path() -> PathBuf {
    std::env::temp_dir().join(format!("mobilemoney-sandbox-{}.json", id()))
}

#[tokio::test]
async fn a_restarted_sandbox_resumes_where_it_stopped() {
    let path = state_path();
    let options = SandboxOptions {
        settle_after_ms: 1500,
        state_file: Some(path.clone()),
        ..opts()
    };
    let mut env = Env::start(options.clone()).await;
    let paid = env.pay(TRANSFER, &msisdn(99), "40").await;
    assert_eq!(
        env.final_status("transfer", &paid).await["status"],
        "SUCCESSFUL"
    );
    let pending = env.pay(TRANSFER, &msisdn(99), "10").await;
    env.sb.state().momo.set_balance(Product::Remittance, 7.0);
    env.sb.state().changed();
    let (user, key, token) = (env.user.clone(), env.key.clone(), env.token.clone());
    // The second payout is still PENDING when the sandbox stops.
    let (_, v) = env.get_json(&format!("{TRANSFER}/{pending}")).await;
    assert_eq!(v["status"], "PENDING");
    env.sb.close().await;
    assert!(path.exists());
    let tmp = path.with_file_name(format!(
        "{}.tmp",
        path.file_name().unwrap().to_string_lossy()
    ));
    assert!(!tmp.exists());

    let sb = Sandbox::start(options.clone()).await.unwrap();
    let env2 = Env {
        sb,
        http: reqwest::Client::new(),
        user,
        key,
        token,
    };
    // The old token and the old API user both still work.
    let (code, v) = env2.get_json(&format!("{TRANSFER}/{paid}")).await;
    assert_eq!(
        (code, v["status"].clone()),
        (StatusCode::OK, json!("SUCCESSFUL"))
    );
    assert!(!env2.get_token(&env2.user, &env2.key).await.is_empty());
    assert_eq!(
        env2.final_status("transfer", &pending).await["status"],
        "SUCCESSFUL"
    );
    let statuses: Vec<_> = env2.ledger().iter().map(|e| e["status"].clone()).collect();
    assert_eq!(statuses, ["SUCCESSFUL", "SUCCESSFUL"]);
    let accounts = env2.sb.state().momo.balances();
    assert_eq!(
        (accounts.disbursement, accounts.remittance),
        (10_000_000.0 - 50.0, 7.0)
    );
    // A reference id taken before the restart is still taken.
    let (code, _) = env2
        .post_money(TRANSFER, &paid, &payout(&msisdn(99), "1"), None)
        .await;
    assert_eq!(code, StatusCode::CONFLICT);
    drop(env2);

    // A file that is not a sandbox state is refused, not overwritten.
    std::fs::write(&path, b"{\"version\": 99}").unwrap();
    let refused = Sandbox::start(options).await;
    assert!(refused.err().unwrap().contains("unusable"));
    assert_eq!(std::fs::read(&path).unwrap(), b"{\"version\": 99}");
    std::fs::remove_file(&path).unwrap();
}
