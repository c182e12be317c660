//! A `postgres://` URL made into a connection pool: the package's own parameters taken
//! out of it, TLS (rustls, certificates and host names checked) when it asks for it,
//! and the migrations run once per schema, under an advisory lock so that many
//! processes starting at once do not race.

use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod, Runtime};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::CertificateDer;
use tokio_postgres::config::SslMode;

use crate::failure::{Failure, FailureKind};

const DEFAULT_POOL: usize = 8;
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
const WAIT_TIMEOUT: Duration = Duration::from_secs(30);

/// Versions and their SQL, applied in order; a version is never edited once released.
const MIGRATIONS: &[(i64, &str)] = &[
    (1, include_str!("../migrations/0001_payouts.sql")),
    (
        2,
        include_str!("../migrations/0002_secret_check_acknowledged.sql"),
    ),
    (3, include_str!("../migrations/0003_runner_liveness.sql")),
    (
        4,
        include_str!("../migrations/0004_accounts_resolution_write_id.sql"),
    ),
    (5, include_str!("../migrations/0005_due_index_stage.sql")),
    (6, include_str!("../migrations/0006_verify.sql")),
    (7, include_str!("../migrations/0007_stage_unlogged.sql")),
    (8, include_str!("../migrations/0008_running_totals.sql")),
];

/// What a ledger URL says, the password kept aside only to be redacted.
pub struct Target {
    pub config: tokio_postgres::Config,
    /// The schema holding the ledger's tables, quoted for SQL.
    pub schema: String,
    pool_size: usize,
    tls: Option<rustls::ClientConfig>,
    pub secrets: Vec<String>,
}

/// Replaces every secret of the URL in `text`: drivers may echo parts of it.
pub fn redact(text: &str, secrets: &[String]) -> String {
    secrets
        .iter()
        .filter(|s| s.len() >= 3)
        .fold(text.to_owned(), |t, s| t.replace(s.as_str(), "[redacted]"))
}

fn invalid(message: impl Into<String>) -> Failure {
    Failure::invalid("ledger", message)
}

fn schema_name(name: &str) -> Result<String, Failure> {
    let ok = !name.is_empty()
        && name.len() <= 63
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !name.starts_with(|c: char| c.is_ascii_digit());
    if ok {
        Ok(format!("\"{name}\""))
    } else {
        Err(invalid(
            "the ledger URL's schema must be letters, digits and _ (at most 63, not starting with a digit)",
        ))
    }
}

fn roots(ca_file: Option<&str>) -> Result<rustls::RootCertStore, Failure> {
    let mut store = rustls::RootCertStore::empty();
    match ca_file {
        None => store.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned()),
        Some(path) => {
            let certs = CertificateDer::pem_file_iter(path)
                .and_then(|it| it.collect::<Result<Vec<_>, _>>())
                .map_err(|e| invalid(format!("sslrootcert {path} could not be read ({e})")))?;
            let (added, _) = store.add_parsable_certificates(certs);
            if added == 0 {
                return Err(invalid(format!(
                    "sslrootcert {path} holds no usable certificate"
                )));
            }
        }
    }
    Ok(store)
}

fn tls_config(ca_file: Option<&str>) -> Result<rustls::ClientConfig, Failure> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    Ok(rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| invalid(format!("TLS could not be set up ({e})")))?
        .with_root_certificates(roots(ca_file)?)
        .with_no_client_auth())
}

/// Reads a `postgres://` URL. Its own parameters: `schema` (default `public`),
/// `pool_size` (connections per process, default 8) and `sslrootcert` (a PEM file of the
/// authorities to trust instead of the public ones). `sslmode=require`, `verify-ca` or
/// `verify-full` turn TLS on, always with the certificate and host name checked;
/// without it the connection is plain. A URL without a password takes `PGPASSWORD`'s.
pub fn parse(text: &str) -> Result<Target, Failure> {
    let mut url = url::Url::parse(text)
        .map_err(|e| invalid(format!("the PostgreSQL ledger URL is not a URL ({e})")))?;
    let mut secrets = Vec::new();
    if let Some(p) = url.password() {
        secrets.push(p.to_owned());
        if let Ok(decoded) = percent_encoding::percent_decode_str(p).decode_utf8() {
            secrets.push(decoded.into_owned());
        }
    }
    let (mut schema, mut pool_size, mut ca_file, mut tls) =
        ("public".to_owned(), DEFAULT_POOL, None, false);
    let mut rest = Vec::new();
    for (k, v) in url.query_pairs() {
        match k.as_ref() {
            "schema" => schema = v.into_owned(),
            "pool_size" => {
                pool_size = v
                    .parse::<usize>()
                    .ok()
                    .filter(|n| (1..=1_000).contains(n))
                    .ok_or_else(|| invalid("the ledger URL's pool_size must be 1 to 1000"))?;
            }
            "sslrootcert" => ca_file = Some(v.into_owned()),
            "sslmode" => match v.as_ref() {
                "disable" | "allow" | "prefer" => tls = false,
                "require" | "verify-ca" | "verify-full" => tls = true,
                other => {
                    return Err(invalid(format!(
                        "the ledger URL's sslmode {other} is not one of disable, require, verify-ca, verify-full"
                    )))
                }
            },
            "password" => {
                secrets.push(v.clone().into_owned());
                rest.push((k.into_owned(), v.into_owned()));
            }
            _ => rest.push((k.into_owned(), v.into_owned())),
        }
    }
    url.set_query(None);
    if !rest.is_empty() {
        url.query_pairs_mut().extend_pairs(rest);
    }
    let mut config = tokio_postgres::Config::from_str(url.as_str()).map_err(|e| {
        invalid(redact(
            &format!("the PostgreSQL ledger URL is not valid ({e})"),
            &secrets,
        ))
    })?;
    // As libpq does: PGPASSWORD when the URL has none, so that the password can be kept
    // off command lines (and out of the URLs they show).
    if config.get_password().is_none() {
        if let Some(password) = std::env::var("PGPASSWORD").ok().filter(|p| !p.is_empty()) {
            config.password(password.as_str());
            secrets.push(password);
        }
    }
    config.ssl_mode(if tls {
        SslMode::Require
    } else {
        SslMode::Disable
    });
    if config.get_connect_timeout().is_none() {
        config.connect_timeout(CONNECT_TIMEOUT);
    }
    if config.get_application_name().is_none() {
        config.application_name("mobilemoney-native payouts");
    }
    let tls = if tls {
        Some(tls_config(ca_file.as_deref())?)
    } else {
        None
    };
    Ok(Target {
        config,
        schema: schema_name(&schema)?,
        pool_size,
        tls,
        secrets,
    })
}

/// The pool of connections to the target (none is opened until the first use).
pub fn pool(target: &Target) -> Result<Pool, Failure> {
    let manager_config = ManagerConfig {
        recycling_method: RecyclingMethod::Fast,
    };
    let config = target.config.clone();
    let manager = match &target.tls {
        Some(tls) => Manager::from_config(
            config,
            tokio_postgres_rustls::MakeRustlsConnect::new(tls.clone()),
            manager_config,
        ),
        None => Manager::from_config(config, tokio_postgres::NoTls, manager_config),
    };
    Pool::builder(manager)
        .max_size(target.pool_size)
        .runtime(Runtime::Tokio1)
        .wait_timeout(Some(WAIT_TIMEOUT))
        .create_timeout(Some(CONNECT_TIMEOUT))
        .build()
        .map_err(|e| {
            Failure::new(
                FailureKind::NetworkError,
                format!("the PostgreSQL ledger could not be set up ({e})"),
            )
        })
}

/// Creates the schema and applies the migrations it lacks, in one transaction.
pub async fn migrate(
    client: &mut deadpool_postgres::Object,
    schema: &str,
) -> Result<(), tokio_postgres::Error> {
    // Read committed whatever the server's default: a backfill (migration 8) must see the
    // rows committed before it took its lock, not a snapshot from before the lock.
    let tx = client
        .build_transaction()
        .isolation_level(tokio_postgres::IsolationLevel::ReadCommitted)
        .start()
        .await?;
    tx.execute(
        "SELECT pg_advisory_xact_lock(hashtextextended($1, 0))",
        &[&format!("mobilemoney-native payouts {schema}")],
    )
    .await?;
    tx.batch_execute(&format!(
        "CREATE SCHEMA IF NOT EXISTS {schema}; SET LOCAL search_path TO {schema}; \
         CREATE TABLE IF NOT EXISTS payout_migrations \
         (version BIGINT PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now());"
    ))
    .await?;
    let applied = tx
        .query("SELECT version FROM payout_migrations", &[])
        .await?
        .iter()
        .map(|r| r.try_get::<_, i64>(0))
        .collect::<Result<Vec<i64>, _>>()?;
    for (version, sql) in MIGRATIONS {
        if !applied.contains(version) {
            tx.batch_execute(sql).await?;
            tx.execute(
                "INSERT INTO payout_migrations (version) VALUES ($1)",
                &[version],
            )
            .await?;
        }
    }
    tx.commit().await
}
