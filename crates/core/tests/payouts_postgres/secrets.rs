//! Secrets and TLS on PostgreSQL: a password never shows in a failure, whether it came in
//! the URL or in PGPASSWORD (checked against a fake server that echoes it); a server whose
//! certificate cannot be verified is refused.

use std::collections::HashSet;

use mobilemoney_core::payouts::ledger::postgres::PostgresLedger;

use super::db::{base_url, db, TestResult};

#[tokio::test]
async fn secrets_stay_out_of_failures_and_tls_checks_certificates() -> TestResult {
    // A closed port, a password in the URL: the failure names neither the password nor
    // anything past the host.
    let f = match PostgresLedger::open(
        "postgres://someone:Sup3rSecretPw@127.0.0.1:1/test?connect_timeout=2",
    )
    .await
    {
        Ok(_) => return Err("a closed port opened".into()),
        Err(f) => f,
    };
    assert!(!f.message.contains("Sup3rSecretPw"), "{}", f.message);
    assert!(!format!("{f:?}").contains("Sup3rSecretPw"));

    let bad = PostgresLedger::open("postgres://u:Sup3rSecretPw@127.0.0.1/test?sslmode=bogus").await;
    let f = bad.err().ok_or("a bad sslmode was accepted")?;
    assert_eq!(f.field.as_deref(), Some("ledger"));
    assert!(!f.message.contains("Sup3rSecretPw"));
    let bad = PostgresLedger::open("postgres://127.0.0.1/test?schema=a;drop").await;
    assert!(bad.is_err());

    // The local server's certificate (if it speaks TLS at all) is not one a public
    // authority signed for 127.0.0.1: with sslmode=require the connection is refused.
    let Some(db) = db("secrets_stay_out_of_failures_and_tls_checks_certificates").await? else {
        return Ok(());
    };
    let tls = PostgresLedger::open(&db.url_with("sslmode=require")).await;
    let f = tls
        .err()
        .ok_or("TLS to an unverifiable server was accepted")?;
    assert!(f.message.contains("PostgreSQL"), "{}", f.message);
    let _ = base_url();
    db.drop_schema().await
}

/// The child process of `pgpassword_is_used_when_the_url_has_none`: it runs with
/// PGPASSWORD set and the fake server's port; in the suite itself it does nothing.
#[tokio::test]
async fn pgpassword_child() -> TestResult {
    let Ok(port) = std::env::var("MMN_TEST_FAKE_PG_PORT") else {
        return Ok(());
    };
    let env_password = std::env::var("PGPASSWORD")?;
    let urls = [
        format!("postgres://someone@127.0.0.1:{port}/test?connect_timeout=5"),
        format!("postgres://someone:{URL_PASSWORD}@127.0.0.1:{port}/test?connect_timeout=5"),
    ];
    for url in urls {
        let f = match PostgresLedger::open(&url).await {
            Ok(_) => return Err("a server that refuses every password was accepted".into()),
            Err(f) => f,
        };
        // The server echoed the password it got: the failure says why, without it.
        assert!(f.message.contains("28P01"), "{}", f.message);
        for secret in [env_password.as_str(), URL_PASSWORD] {
            assert!(!f.message.contains(secret), "{}", f.message);
            assert!(!format!("{f:?}").contains(secret));
        }
    }
    Ok(())
}

const URL_PASSWORD: &str = "Url-Secret-Pw-1937";

#[tokio::test]
async fn pgpassword_is_used_when_the_url_has_none() -> TestResult {
    const ENV_PASSWORD: &str = "Env-Secret-Pw-4821";
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let port = listener.local_addr()?.port();
    let (sent, mut received) = tokio::sync::mpsc::unbounded_channel();
    let server = tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let sent = sent.clone();
            tokio::spawn(async move {
                if let Ok(password) = refuse_password(stream).await {
                    let _ = sent.send(password);
                }
            });
        }
    });
    // A process of its own, so that PGPASSWORD is set before anything reads it.
    let exe = std::env::current_exe()?;
    let out = tokio::task::spawn_blocking(move || {
        std::process::Command::new(exe)
            .args(["secrets::pgpassword_child", "--exact", "--nocapture"])
            .env("PGPASSWORD", ENV_PASSWORD)
            .env("MMN_TEST_FAKE_PG_PORT", port.to_string())
            .output()
    })
    .await??;
    server.abort();
    let output = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "the child failed: {output}");
    assert!(
        output.contains("1 passed"),
        "the child ran no test: {output}"
    );
    let mut passwords = HashSet::new();
    while let Ok(p) = received.try_recv() {
        passwords.insert(p);
    }
    // PGPASSWORD without a password in the URL; the URL's own when it has one.
    let expected: HashSet<String> = [ENV_PASSWORD, URL_PASSWORD].map(str::to_owned).into();
    assert_eq!(passwords, expected);
    Ok(())
}

/// A fake server's side of a connection: asks for a cleartext password, refuses it with
/// a message that echoes it (as a careless driver or proxy might), and returns it.
async fn refuse_password(
    mut s: tokio::net::TcpStream,
) -> Result<String, Box<dyn std::error::Error + Send + Sync>> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let len = s.read_i32().await?;
    let mut startup = vec![0; usize::try_from(len)?.saturating_sub(4)];
    s.read_exact(&mut startup).await?;
    // AuthenticationCleartextPassword.
    s.write_all(b"R").await?;
    s.write_i32(8).await?;
    s.write_i32(3).await?;
    if s.read_u8().await? != b'p' {
        return Err("no password message".into());
    }
    let len = s.read_i32().await?;
    let mut body = vec![0; usize::try_from(len)?.saturating_sub(4)];
    s.read_exact(&mut body).await?;
    let password = String::from_utf8(body.strip_suffix(&[0]).unwrap_or(&body).to_vec())?;
    let mut fields = Vec::new();
    for (tag, value) in [
        (b'S', "FATAL".to_owned()),
        (b'V', "FATAL".to_owned()),
        (b'C', "28P01".to_owned()),
        (
            b'M',
            format!("password authentication failed (got {password})"),
        ),
    ] {
        fields.push(tag);
        fields.extend_from_slice(value.as_bytes());
        fields.push(0);
    }
    fields.push(0);
    s.write_all(b"E").await?;
    s.write_i32(i32::try_from(fields.len() + 4)?).await?;
    s.write_all(&fields).await?;
    s.flush().await?;
    Ok(password)
}
