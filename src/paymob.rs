//! `PaymobPayouts`: Paymob instant payouts, each method resolving `[ok, data]`.

use std::sync::Arc;

use napi::bindgen_prelude::PromiseRaw;
use napi::{Env, Unknown};
use napi_derive::napi;

use mobilemoney_core::paymob::PaymobPayouts as Core;

use crate::convert::{arg, type_error};
use crate::events;
use crate::outcome::{spawn, Outcome};

type Pending<'env> = napi::Result<PromiseRaw<'env, Outcome>>;

#[napi]
pub struct PaymobPayouts {
    inner: Arc<Core>,
}

#[napi]
impl PaymobPayouts {
    #[napi(constructor, ts_args_type = "options: PaymobOptions")]
    pub fn new(env: Env, options: Option<Unknown>) -> napi::Result<Self> {
        let read = crate::convert::options(&env, options.as_ref());
        if let Some(problem) = &read.problem {
            return Err(type_error(&env, problem));
        }
        let observer = events::observer(&env, options.as_ref());
        let core = Core::try_new(&read.arg, observer).map_err(|f| type_error(&env, &f))?;
        Ok(PaymobPayouts {
            inner: Arc::new(core),
        })
    }

    /// The configuration, without secrets (also what `util.inspect` shows).
    #[napi(js_name = "toJSON", ts_return_type = "Record<string, unknown>")]
    pub fn to_json(&self) -> serde_json::Value {
        self.inner.describe()
    }

    /// Password grant; the token is also cached for the calls that follow.
    #[napi(ts_return_type = "Promise<Result<PaymobToken>>")]
    pub fn generate_token<'env>(&self, env: &'env Env) -> Pending<'env> {
        let inner = self.inner.clone();
        spawn(env, async move { inner.generate_token().await })
    }

    /// Refresh grant with the given refresh token, or the cached one; rotates it.
    #[napi(
        ts_args_type = "refreshToken?: string",
        ts_return_type = "Promise<Result<PaymobToken>>"
    )]
    pub fn refresh_token<'env>(&self, env: &'env Env, refresh_token: Unknown) -> Pending<'env> {
        let r = arg(env, refresh_token);
        let inner = self.inner.clone();
        spawn(env, async move { inner.refresh_token(r).await })
    }

    #[napi(
        ts_args_type = "request: CashinRequest",
        ts_return_type = "Promise<Result<CashinResult>>"
    )]
    pub fn instant_cashin<'env>(&self, env: &'env Env, request: Unknown) -> Pending<'env> {
        let r = arg(env, request);
        let inner = self.inner.clone();
        spawn(env, async move { inner.instant_cashin(r).await })
    }

    #[napi(ts_return_type = "Promise<Result<BudgetResult>>")]
    pub fn budget_inquiry<'env>(&self, env: &'env Env) -> Pending<'env> {
        let inner = self.inner.clone();
        spawn(env, async move { inner.budget_inquiry().await })
    }

    #[napi(
        ts_args_type = "query: InquiryQuery",
        ts_return_type = "Promise<Result<InquiryResult>>"
    )]
    pub fn transaction_inquiry<'env>(&self, env: &'env Env, query: Unknown) -> Pending<'env> {
        let q = arg(env, query);
        let inner = self.inner.clone();
        spawn(env, async move { inner.transaction_inquiry(q).await })
    }

    #[napi(
        ts_args_type = "transactionId: string",
        ts_return_type = "Promise<Result<CashinResult>>"
    )]
    pub fn cancel_aman_transaction<'env>(
        &self,
        env: &'env Env,
        transaction_id: Unknown,
    ) -> Pending<'env> {
        let t = arg(env, transaction_id);
        let inner = self.inner.clone();
        spawn(env, async move { inner.cancel_aman_transaction(t).await })
    }
}
