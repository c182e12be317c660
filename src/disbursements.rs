//! `Disbursements` (CONTRACT §2): the twelve methods of `mobilemoney.js`, each resolving
//! `[ok, data]`.

use std::sync::Arc;

use napi::bindgen_prelude::PromiseRaw;
use napi::{Env, Unknown};
use napi_derive::napi;

use mobilemoney_core::momo::body::BodyKind;
use mobilemoney_core::momo::payments::PaymentArgs;
use mobilemoney_core::momo::reads::Resource;
use mobilemoney_core::momo::Disbursements as Core;

use crate::convert::{arg, opt_arg};
use crate::events;
use crate::outcome::{spawn, Outcome};

type Pending<'env> = napi::Result<PromiseRaw<'env, Outcome>>;

#[napi]
pub struct Disbursements {
    pub(crate) inner: Arc<Core>,
}

impl Disbursements {
    pub(crate) fn from_core(core: Core) -> Self {
        Disbursements {
            inner: Arc::new(core),
        }
    }
}

#[napi]
impl Disbursements {
    #[napi(
        constructor,
        ts_args_type = "subscriptionKey: string, options?: DisbursementsOptions"
    )]
    pub fn new(env: Env, subscription_key: Unknown, options: Option<Unknown>) -> Self {
        let observer = events::observer(&env, options.as_ref());
        let key = arg(&env, subscription_key);
        let options = opt_arg(&env, options);
        Disbursements::from_core(Core::new(&key, &options, observer))
    }

    /// The configuration, without secrets (also what `util.inspect` shows).
    #[napi(js_name = "toJSON", ts_return_type = "Record<string, unknown>")]
    pub fn to_json(&self) -> serde_json::Value {
        self.inner.describe()
    }

    #[napi(
        ts_args_type = "authorization: string",
        ts_return_type = "Promise<Result<AccessToken>>"
    )]
    pub fn create_access_token<'env>(
        &self,
        env: &'env Env,
        authorization: Unknown,
    ) -> Pending<'env> {
        let a = arg(env, authorization);
        let inner = self.inner.clone();
        spawn(env, async move { inner.create_access_token(&a).await })
    }

    #[napi(
        ts_args_type = "authorization?: string | null, target?: string",
        ts_return_type = "Promise<Result<Balance>>"
    )]
    pub fn get_account_balance<'env>(
        &self,
        env: &'env Env,
        authorization: Unknown,
        target: Unknown,
    ) -> Pending<'env> {
        let (a, t) = (arg(env, authorization), arg(env, target));
        let inner = self.inner.clone();
        spawn(env, async move { inner.get_account_balance(&a, &t).await })
    }

    #[napi(
        ts_args_type = "currency: string, authorization?: string | null, target?: string",
        ts_return_type = "Promise<Result<Balance>>"
    )]
    pub fn get_account_balance_in<'env>(
        &self,
        env: &'env Env,
        currency: Unknown,
        authorization: Unknown,
        target: Unknown,
    ) -> Pending<'env> {
        let (c, a, t) = (
            arg(env, currency),
            arg(env, authorization),
            arg(env, target),
        );
        let inner = self.inner.clone();
        spawn(env, async move {
            inner.get_account_balance_in(&c, &a, &t).await
        })
    }

    #[napi(
        ts_args_type = "msisdn: string, authorization?: string | null, target?: string",
        ts_return_type = "Promise<Result<BasicUserInfo>>"
    )]
    pub fn get_basic_user_info<'env>(
        &self,
        env: &'env Env,
        msisdn: Unknown,
        authorization: Unknown,
        target: Unknown,
    ) -> Pending<'env> {
        let (m, a, t) = (arg(env, msisdn), arg(env, authorization), arg(env, target));
        let inner = self.inner.clone();
        spawn(
            env,
            async move { inner.get_basic_user_info(&m, &a, &t).await },
        )
    }

    #[napi(
        ts_args_type = "authorization?: string | null, target?: string",
        ts_return_type = "Promise<Result<UserInfo>>"
    )]
    pub fn ask_user_info<'env>(
        &self,
        env: &'env Env,
        authorization: Unknown,
        target: Unknown,
    ) -> Pending<'env> {
        let (a, t) = (arg(env, authorization), arg(env, target));
        let inner = self.inner.clone();
        spawn(env, async move { inner.ask_user_info(&a, &t).await })
    }

    #[napi(
        ts_args_type = "uuid: string, authorization: string | null | undefined, target: string | undefined, body: TransferBody, urlCallback?: string",
        ts_return_type = "Promise<Result<PaymentAccepted>>"
    )]
    pub fn deposit<'env>(
        &self,
        env: &'env Env,
        uuid: Unknown,
        authorization: Unknown,
        target: Unknown,
        body: Unknown,
        url_callback: Unknown,
    ) -> Pending<'env> {
        self.pay(
            env,
            BodyKind::Deposit,
            [uuid, authorization, target, body, url_callback],
        )
    }

    #[napi(
        ts_args_type = "uuid: string, authorization: string | null | undefined, target: string | undefined, body: TransferBody, urlCallback?: string",
        ts_return_type = "Promise<Result<PaymentAccepted>>"
    )]
    pub fn transfer<'env>(
        &self,
        env: &'env Env,
        uuid: Unknown,
        authorization: Unknown,
        target: Unknown,
        body: Unknown,
        url_callback: Unknown,
    ) -> Pending<'env> {
        self.pay(
            env,
            BodyKind::Transfer,
            [uuid, authorization, target, body, url_callback],
        )
    }

    #[napi(
        ts_args_type = "uuid: string, authorization: string | null | undefined, target: string | undefined, body: RefundBody, urlCallback?: string",
        ts_return_type = "Promise<Result<PaymentAccepted>>"
    )]
    pub fn refund<'env>(
        &self,
        env: &'env Env,
        uuid: Unknown,
        authorization: Unknown,
        target: Unknown,
        body: Unknown,
        url_callback: Unknown,
    ) -> Pending<'env> {
        self.pay(
            env,
            BodyKind::Refund,
            [uuid, authorization, target, body, url_callback],
        )
    }

    #[napi(
        ts_args_type = "uuid: string, authorization?: string | null, target?: string",
        ts_return_type = "Promise<Result<TransactionResult>>"
    )]
    pub fn get_deposit_status<'env>(
        &self,
        env: &'env Env,
        uuid: Unknown,
        authorization: Unknown,
        target: Unknown,
    ) -> Pending<'env> {
        self.status(env, Resource::Deposit, [uuid, authorization, target])
    }

    #[napi(
        ts_args_type = "uuid: string, authorization?: string | null, target?: string",
        ts_return_type = "Promise<Result<TransactionResult>>"
    )]
    pub fn get_transfer_status<'env>(
        &self,
        env: &'env Env,
        uuid: Unknown,
        authorization: Unknown,
        target: Unknown,
    ) -> Pending<'env> {
        self.status(env, Resource::Transfer, [uuid, authorization, target])
    }

    #[napi(
        ts_args_type = "uuid: string, authorization?: string | null, target?: string",
        ts_return_type = "Promise<Result<TransactionResult>>"
    )]
    pub fn get_refund_status<'env>(
        &self,
        env: &'env Env,
        uuid: Unknown,
        authorization: Unknown,
        target: Unknown,
    ) -> Pending<'env> {
        self.status(env, Resource::Refund, [uuid, authorization, target])
    }

    #[napi(
        ts_args_type = "account: string, accountType?: AccountType | string | null, authorization?: string | null, target?: string",
        ts_return_type = "Promise<Result<{ result: boolean }>>"
    )]
    pub fn is_active<'env>(
        &self,
        env: &'env Env,
        account: Unknown,
        account_type: Unknown,
        authorization: Unknown,
        target: Unknown,
    ) -> Pending<'env> {
        let [a, b, c, d] = [account, account_type, authorization, target].map(|v| arg(env, v));
        let inner = self.inner.clone();
        spawn(env, async move { inner.is_active(&a, &b, &c, &d).await })
    }
}

impl Disbursements {
    fn pay<'env>(&self, env: &'env Env, kind: BodyKind, args: [Unknown; 5]) -> Pending<'env> {
        let [uuid, auth, target, body, callback] = args.map(|v| arg(env, v));
        let inner = self.inner.clone();
        spawn(env, async move {
            let args = PaymentArgs {
                uuid: &uuid,
                authorization: &auth,
                target: &target,
                body: &body,
                callback: &callback,
            };
            inner.pay(kind, args).await
        })
    }

    fn status<'env>(
        &self,
        env: &'env Env,
        resource: Resource,
        args: [Unknown; 3],
    ) -> Pending<'env> {
        let [uuid, auth, target] = args.map(|v| arg(env, v));
        let inner = self.inner.clone();
        spawn(env, async move {
            inner.get_status(resource, &uuid, &auth, &target).await
        })
    }
}
