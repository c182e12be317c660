//! The options object of `new PaymobPayouts({...})`, parsed once at construction.

use serde_json::Value;

use super::fields;
use crate::failure::Failure;
use crate::input::{transport_settings, Arg, OptionsReader};
use crate::transport::{BaseUrl, TransportSettings};

pub const STAGING_URL: &str = "https://stagingpayouts.paymobsolutions.com/api/secure/";
pub const PRODUCTION_URL: &str = "https://payouts.paymobsolutions.com/api/secure/";

/// Paymob throttles inquiries, budget and Aman cancels together at 5 a minute per user.
const DEFAULT_INQUIRIES_PER_MINUTE: u32 = 5;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Environment {
    Staging,
    Production,
}

impl Environment {
    pub fn as_str(self) -> &'static str {
        match self {
            Environment::Staging => "staging",
            Environment::Production => "production",
        }
    }
}

#[derive(Clone)]
pub struct Options {
    pub client_id: String,
    pub client_secret: String,
    pub username: String,
    pub password: String,
    pub environment: Environment,
    pub base_url: BaseUrl,
    /// timeoutMs, maxRetries, retryBackoffMs, maxConcurrentRequests.
    pub transport: TransportSettings,
    pub inquiries_per_minute: u32,
}

impl std::fmt::Debug for Options {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Options")
            .field("base_url", &self.base_url.as_str())
            .field("environment", &self.environment)
            .field("username", &self.username)
            .finish_non_exhaustive()
    }
}

pub fn parse(arg: &Arg) -> Result<Options, Failure> {
    let map = match arg {
        Arg::Json(Value::Object(m)) => m,
        other => {
            return Err(Failure::invalid(
                "options",
                format!(
                    "options must be an object with clientId, clientSecret, username and password, got {}",
                    other.type_name()
                ),
            ))
        }
    };
    let client_id = fields::req_str(map, &["clientId", "client_id"], "clientId")?;
    let client_secret = fields::req_str(map, &["clientSecret", "client_secret"], "clientSecret")?;
    let username = fields::req_str(map, &["username"], "username")?;
    // Passwords are taken as given: spaces may be part of them.
    let password = match fields::get(map, &["password"]) {
        Some(Value::String(s)) if !s.is_empty() => s.clone(),
        Some(Value::String(_)) | None => {
            return Err(Failure::invalid("password", "password is required"))
        }
        Some(other) => return Err(fields::wrong_type("password", "a string", other)),
    };
    let environment = match fields::opt_str(map, &["environment"], "environment")? {
        None => Environment::Staging,
        Some(e) if e.eq_ignore_ascii_case("staging") => Environment::Staging,
        Some(e) if e.eq_ignore_ascii_case("production") => Environment::Production,
        Some(_) => {
            return Err(Failure::invalid(
                "environment",
                "environment must be 'staging' or 'production'",
            ))
        }
    };
    let allow_insecure_http =
        fields::opt_bool(map, &["allowInsecureHttp"], "allowInsecureHttp")?.unwrap_or(false);
    let base_url = match fields::opt_str(map, &["baseUrl", "base_url"], "baseUrl")? {
        Some(raw) => BaseUrl::parse(raw, allow_insecure_http, "baseUrl")?,
        None => {
            let default = match environment {
                Environment::Staging => STAGING_URL,
                Environment::Production => PRODUCTION_URL,
            };
            BaseUrl::parse(default, false, "baseUrl")?
        }
    };
    // The same timeoutMs / maxRetries / retryBackoffMs / maxConcurrentRequests rules as every client.
    let transport = transport_settings(&OptionsReader::new(arg, "options")?)?;
    let inquiries_per_minute = fields::opt_integer(
        map,
        &["inquiriesPerMinute"],
        "inquiriesPerMinute",
        1,
        100_000,
    )?
    .unwrap_or(DEFAULT_INQUIRIES_PER_MINUTE);
    Ok(Options {
        client_id: client_id.to_owned(),
        client_secret: client_secret.to_owned(),
        username: username.to_owned(),
        password,
        environment,
        base_url,
        transport,
        inquiries_per_minute,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use std::time::Duration;

    fn arg(v: Value) -> Arg {
        Arg::Json(v)
    }

    #[test]
    fn defaults_and_overrides() {
        let o = parse(&arg(
            json!({"clientId":"id","clientSecret":"s","username":"u","password":"p"}),
        ))
        .unwrap();
        assert_eq!(o.base_url.as_str(), STAGING_URL.trim_end_matches('/'));
        assert_eq!(o.transport.timeout, Duration::from_secs(80));
        assert_eq!(o.inquiries_per_minute, 5);
        let o = parse(&arg(
            json!({"clientId":"id","clientSecret":"s","username":"u","password":"p",
            "environment":"production","maxRetries":0}),
        ))
        .unwrap();
        assert_eq!(o.base_url.as_str(), PRODUCTION_URL.trim_end_matches('/'));
        assert_eq!(o.transport.retry.max_retries, 0);
    }

    #[test]
    fn invalid_options_name_their_field() {
        let bad = [
            (
                json!({"clientSecret":"s","username":"u","password":"p"}),
                "clientId",
            ),
            (
                json!({"clientId":1,"clientSecret":"s","username":"u","password":"p"}),
                "clientId",
            ),
            (
                json!({"clientId":"i","clientSecret":"s","username":"u","password":""}),
                "password",
            ),
            (
                json!({"clientId":"i","clientSecret":"s","username":"u","password":"p","environment":"dev"}),
                "environment",
            ),
            (
                json!({"clientId":"i","clientSecret":"s","username":"u","password":"p","baseUrl":"http://example.com"}),
                "baseUrl",
            ),
            (
                json!({"clientId":"i","clientSecret":"s","username":"u","password":"p","timeoutMs":-1}),
                "timeoutMs",
            ),
            (
                json!({"clientId":"i","clientSecret":"s","username":"u","password":"p","maxRetries":1.5}),
                "maxRetries",
            ),
        ];
        for (v, field) in bad {
            assert_eq!(parse(&arg(v)).unwrap_err().field.as_deref(), Some(field));
        }
        assert_eq!(
            parse(&Arg::Undefined).unwrap_err().field.as_deref(),
            Some("options")
        );
    }
}
