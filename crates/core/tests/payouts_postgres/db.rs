//! A schema of its own for each test, on the server DATABASE_URL names.

use std::error::Error;
use std::io::Write;

use tokio_postgres::NoTls;

pub type TestResult = Result<(), Box<dyn Error + Send + Sync>>;

const DEFAULT_URL: &str = "postgres://postgres@127.0.0.1:5432/test";

pub fn base_url() -> String {
    std::env::var("DATABASE_URL").unwrap_or_else(|_| DEFAULT_URL.to_owned())
}

/// A fresh schema name, and a URL of the ledger in it (with an application name of its
/// own, so a test can find and drop its connections).
pub struct Db {
    pub schema: String,
    pub url: String,
    admin: tokio_postgres::Client,
}

fn with_params(base: &str, params: &str) -> String {
    let sep = if base.contains('?') { '&' } else { '?' };
    format!("{base}{sep}{params}")
}

/// Connects to the server, or `None` (having said why) when the tests should skip.
pub async fn db(test: &str) -> Result<Option<Db>, Box<dyn Error + Send + Sync>> {
    let base = base_url();
    let admin = match tokio_postgres::connect(&base, NoTls).await {
        Ok((client, conn)) => {
            tokio::spawn(conn);
            client
        }
        Err(e) if std::env::var("MMN_REQUIRE_SERVICES").as_deref() != Ok("1") => {
            // Straight to stderr, past the test harness's capture, so the skip is seen.
            let _ = writeln!(
                std::io::stderr(),
                "SKIPPED {test}: no PostgreSQL at DATABASE_URL ({e}); set MMN_REQUIRE_SERVICES=1 to fail instead"
            );
            return Ok(None);
        }
        Err(e) => {
            return Err(format!("PostgreSQL is required (MMN_REQUIRE_SERVICES=1): {e}").into())
        }
    };
    let schema = format!("mmn_t_{}", uuid::Uuid::new_v4().simple());
    let url = with_params(&base, &format!("schema={schema}&application_name={schema}"));
    Ok(Some(Db { schema, url, admin }))
}

impl Db {
    pub fn url_with(&self, params: &str) -> String {
        with_params(&self.url, params)
    }

    /// Ends every connection of this test's ledgers; returns how many there were.
    pub async fn terminate(&self) -> Result<u64, tokio_postgres::Error> {
        let rows = self
            .admin
            .query(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1",
                &[&self.schema],
            )
            .await?;
        Ok(rows.len() as u64)
    }

    pub async fn count(&self, sql: &str) -> Result<i64, tokio_postgres::Error> {
        let row = self
            .admin
            .query_one(&sql.replace("{s}", &self.schema), &[])
            .await?;
        row.try_get(0)
    }

    /// Runs statements as the server's admin (`{s}` is this test's schema).
    pub async fn execute(&self, sql: &str) -> Result<(), tokio_postgres::Error> {
        self.admin
            .batch_execute(&sql.replace("{s}", &self.schema))
            .await
    }

    pub async fn drop_schema(self) -> TestResult {
        self.admin
            .batch_execute(&format!("DROP SCHEMA IF EXISTS {} CASCADE", self.schema))
            .await?;
        Ok(())
    }
}
