//! `PaymobPayouts`: Paymob instant payouts, each method resolving `[ok, data]`.

use std::future::Future;
use std::sync::Arc;

use napi::bindgen_prelude::PromiseRaw;
use napi::{Env, Unknown};
use napi_derive::napi;

use mobilemoney_core::paymob::PaymobPayouts as Core;
use mobilemoney_core::{Arg, CallResult};

use crate::convert::{opt_arg, type_error};
use crate::events;
use crate::outcome::Outcome;
use crate::spawn::spawn;

type Pending<'env> = napi::Result<PromiseRaw<'env, Outcome>>;

#[napi]
pub struct PaymobPayouts {
    inner: Arc<Core>,
}

impl PaymobPayouts {
    /// `call` on the client with the call's one argument (undefined when `given` is
    /// `None`), on napi's runtime.
    fn send<'env, F, Fut>(&self, env: &'env Env, given: Option<Unknown>, call: F) -> Pending<'env>
    where
        F: FnOnce(Arc<Core>, Arg) -> Fut,
        Fut: Future<Output = CallResult> + Send + 'static,
    {
        spawn(env, call(self.inner.clone(), opt_arg(env, given)))
    }
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
        self.send(env, None, |c, _| async move { c.generate_token().await })
    }

    /// Refresh grant with the given refresh token, or the cached one; rotates it.
    #[napi(
        ts_args_type = "refreshToken?: string",
        ts_return_type = "Promise<Result<PaymobToken>>"
    )]
    pub fn refresh_token<'env>(&self, env: &'env Env, token: Option<Unknown>) -> Pending<'env> {
        self.send(env, token, |c, t| async move { c.refresh_token(t).await })
    }

    #[napi(
        ts_args_type = "request: CashinRequest",
        ts_return_type = "Promise<Result<CashinResult>>"
    )]
    pub fn instant_cashin<'env>(&self, env: &'env Env, request: Unknown) -> Pending<'env> {
        self.send(env, Some(request), |c, r| async move {
            c.instant_cashin(r).await
        })
    }

    #[napi(ts_return_type = "Promise<Result<BudgetResult>>")]
    pub fn budget_inquiry<'env>(&self, env: &'env Env) -> Pending<'env> {
        self.send(env, None, |c, _| async move { c.budget_inquiry().await })
    }

    #[napi(
        ts_args_type = "query: InquiryQuery",
        ts_return_type = "Promise<Result<InquiryResult>>"
    )]
    pub fn transaction_inquiry<'env>(&self, env: &'env Env, query: Unknown) -> Pending<'env> {
        self.send(env, Some(query), |c, q| async move {
            c.transaction_inquiry(q).await
        })
    }

    #[napi(
        ts_args_type = "transactionId: string",
        ts_return_type = "Promise<Result<CashinResult>>"
    )]
    pub fn cancel_aman_transaction<'env>(&self, env: &'env Env, id: Unknown) -> Pending<'env> {
        self.send(env, Some(id), |c, t| async move {
            c.cancel_aman_transaction(t).await
        })
    }
}
