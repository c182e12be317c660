//! Paymob instant payouts ("Instant Cashin"): the [`PaymobPayouts`] client.
//!
//! - [`options`]: the constructor's options object;
//! - [`request`], [`validate`], [`issuers`], [`bank_codes`]: the cash-in request and its
//!   local checks per issuer;
//! - [`token`]: the OAuth grants, single-flight renewal and the stop after refused logins;
//! - [`api`]: authorised requests (one repeat after a 401) and plain JSON answers;
//! - [`cashin`] and [`outcome`]: `POST disburse/`, reading its body, and reconciliation
//!   by inquiry when the outcome is uncertain;
//! - [`inquiry`] and [`ratelimit`]: the throttled read endpoints and the client-side bucket;
//! - [`inner`]: the state of a valid client, which each of these modules takes.

// `Failure` is the crate's one error value and is returned by value everywhere (the
// transport does the same); boxing it only here would make these modules the odd ones.

mod api;
pub mod bank_codes;
mod cashin;
pub use cashin::REFERENCE_USED;
mod fields;
mod inner;
mod inquiry;
pub mod issuers;
pub mod options;
mod outcome;
mod ratelimit;
mod request;
mod token;
mod validate;

use reqwest::Method;
use serde_json::{json, Value};

pub use issuers::Issuer;
pub use options::{Environment, PRODUCTION_URL, STAGING_URL};

use crate::failure::Failure;
use crate::input::Arg;
use crate::transport::{Observer, Safety};
use crate::CallResult;
use api::ApiCall;
use inner::Inner;

/// A Paymob payouts client. `Send + Sync`; the binding shares one behind an `Arc`.
pub struct PaymobPayouts {
    /// An instance built from invalid options keeps the failure and resolves every call
    /// with it.
    inner: Result<Inner, Failure>,
}

impl PaymobPayouts {
    /// `options` is the JS options object. Never fails: invalid options are kept and every
    /// call resolves with that `InvalidData` failure.
    pub fn new(options: &Arg, observer: Option<Observer>) -> Self {
        let inner = options::parse(options).and_then(|o| Inner::new(o, observer));
        PaymobPayouts { inner }
    }

    /// [`PaymobPayouts::new`] from options made in Rust (Payouts' `paymob` options).
    pub fn from_json(options: &Value, observer: Option<Observer>) -> Self {
        PaymobPayouts::new(&Arg::Json(options.clone()), observer)
    }

    /// [`PaymobPayouts::new`] that reports a bad option at once: an option name it does not
    /// know, a missing credential, a wrong type, an unsafe URL.
    pub fn try_new(options: &Arg, observer: Option<Observer>) -> Result<Self, Failure> {
        use crate::option_names::{check, PAYMOB, TRANSPORT};
        check(options, "PaymobPayouts", &[PAYMOB, TRANSPORT])?;
        let inner = options::parse(options).and_then(|o| Inner::new(o, observer))?;
        Ok(PaymobPayouts { inner: Ok(inner) })
    }

    fn inner(&self) -> Result<&Inner, Failure> {
        self.inner.as_ref().map_err(Clone::clone)
    }

    /// `POST o/token/` with the password grant; the new tokens are also cached.
    pub async fn generate_token(&self) -> CallResult {
        token::generate(self.inner()?).await
    }

    /// `POST o/token/` with the refresh grant, using `refresh_token` or the cached one.
    pub async fn refresh_token(&self, refresh_token: Arg) -> CallResult {
        token::refresh(self.inner()?, &refresh_token).await
    }

    /// `POST disburse/`.
    pub async fn instant_cashin(&self, request: Arg) -> CallResult {
        match self.inner() {
            Ok(inner) => cashin::instant_cashin(inner, &request).await,
            // Even a misconfigured client names the payout it refused, when it has a name.
            Err(f) => Err(match &request {
                Arg::Json(v) => {
                    let reference = v
                        .get("clientReferenceId")
                        .or_else(|| v.get("client_reference_id"))
                        .and_then(serde_json::Value::as_str);
                    f.with_reference(reference)
                }
                _ => f,
            }),
        }
    }

    /// [`PaymobPayouts::instant_cashin`] of a request made in Rust.
    pub async fn instant_cashin_json(&self, request: Value) -> CallResult {
        self.instant_cashin(Arg::Json(request)).await
    }

    /// `GET budget/inquire/`.
    pub async fn budget_inquiry(&self) -> CallResult {
        let inner = self.inner()?;
        inner.bucket.take()?;
        let call = ApiCall::new(Method::GET, "/budget/inquire/", None, Safety::Read);
        api::read_json(inner, &call).await
    }

    /// `POST transaction/inquire/` (by ids) or `transaction/inquire/by-reference/`.
    pub async fn transaction_inquiry(&self, query: Arg) -> CallResult {
        let inner = self.inner()?;
        let (path, body) = inquiry::transaction_query(&query)?;
        inner.bucket.take()?;
        let call = ApiCall::new(Method::POST, path, Some(body), Safety::Read);
        api::read_json(inner, &call).await
    }

    /// [`PaymobPayouts::transaction_inquiry`] of a query made in Rust.
    pub async fn transaction_inquiry_json(&self, query: Value) -> CallResult {
        self.transaction_inquiry(Arg::Json(query)).await
    }

    /// `POST transaction/aman/cancel/`. Sent at most once: it is not repeated automatically.
    pub async fn cancel_aman_transaction(&self, transaction_id: Arg) -> CallResult {
        let inner = self.inner()?;
        let body = inquiry::aman_cancel_body(&transaction_id)?;
        inner.bucket.take()?;
        let call = ApiCall::new(
            Method::POST,
            "/transaction/aman/cancel/",
            Some(body),
            Safety::Once,
        );
        api::read_json(inner, &call).await
    }

    /// How long until the client-side inquiry bucket has room for one more inquiry.
    pub fn inquiry_wait(&self) -> std::time::Duration {
        self.inner
            .as_ref()
            .map_or(std::time::Duration::ZERO, |i| i.bucket.wait())
    }

    /// A summary for `util.inspect`, without secrets.
    pub fn describe(&self) -> Value {
        match &self.inner {
            Ok(i) => json!({
                "provider": "paymob",
                "baseUrl": i.opts.base_url.as_str(),
                "environment": i.opts.environment.as_str(),
                "username": i.opts.username,
                "clientId": mask(&i.opts.client_id),
                "timeoutMs": u64::try_from(i.opts.transport.timeout.as_millis()).unwrap_or(u64::MAX),
                "maxRetries": i.opts.transport.retry.max_retries,
                "maxConcurrentRequests": i.opts.transport.max_concurrent_requests,
                "inquiriesPerMinute": i.opts.inquiries_per_minute,
                "hasToken": i.tokens.fresh().is_some(),
            }),
            Err(f) => json!({ "provider": "paymob", "invalidOptions": f.message }),
        }
    }
}

/// Checks a cash-in request as `instantCashin` would, without sending it: whether its
/// transactions are found with `bank: true` inquiries (bank rails), or why it is invalid.
pub fn check_cashin(request: &Arg) -> Result<bool, Failure> {
    request::parse(request).map(|r| r.issuer.in_bank_store())
}

/// [`check_cashin`] of a request made in Rust.
pub fn check_cashin_json(request: Value) -> Result<bool, Failure> {
    check_cashin(&Arg::Json(request))
}

/// All but the last four characters replaced by `*` (all of them when it is that short).
fn mask(s: &str) -> String {
    let n = s.chars().count();
    if n <= 4 {
        return "*".repeat(n);
    }
    let tail: String = s.chars().skip(n - 4).collect();
    format!("{}{tail}", "*".repeat(n - 4))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_all_but_the_last_four() {
        assert_eq!(mask("abcdefgh"), "****efgh");
        assert_eq!(mask("abc"), "***");
    }

    #[test]
    fn invalid_options_are_kept_and_described() {
        let p = PaymobPayouts::new(&Arg::Null, None);
        let d = p.describe();
        assert!(d["invalidOptions"].as_str().unwrap().contains("options"));
        let rt = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        let f = rt.block_on(p.budget_inquiry()).unwrap_err();
        assert_eq!(f.field.as_deref(), Some("options"));
    }

    #[test]
    fn client_and_futures_are_send_and_sync() {
        fn send_sync<T: Send + Sync>(_: &T) {}
        fn send<T: Send>(_: &T) {}
        let p = PaymobPayouts::new(&Arg::Null, None);
        send_sync(&p);
        send(&p.instant_cashin(Arg::Null));
        send(&p.generate_token());
        send(&p.refresh_token(Arg::Null));
        send(&p.transaction_inquiry(Arg::Null));
        send(&p.cancel_aman_transaction(Arg::Null));
        send(&p.budget_inquiry());
    }
}
