//! `Disbursements` (CONTRACT §2): the twelve methods of `mobilemoney.js`, each resolving
//! `[ok, data]`, plus the consent flow every product has.

use std::sync::Arc;

use napi::{Env, Unknown};
use napi_derive::napi;

use mobilemoney_core::momo::endpoints::{self, Endpoint};
use mobilemoney_core::momo::MomoClient as Core;

use crate::convert::{arg, opt_arg};
use crate::events;
use crate::momo::{momo_shared_methods, pay, status, Order, Pending};

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

    fn pay<'env>(
        &self,
        env: &'env Env,
        endpoint: &'static Endpoint,
        args: [Unknown; 5],
    ) -> Pending<'env> {
        pay(env, &self.inner, endpoint, Order::UuidFirst, args)
    }

    fn status<'env>(
        &self,
        env: &'env Env,
        endpoint: &'static Endpoint,
        args: [Unknown; 3],
    ) -> Pending<'env> {
        status(env, &self.inner, endpoint, Order::UuidFirst, args)
    }
}

momo_shared_methods!(Disbursements);

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
        Disbursements::from_core(Core::disbursements(&key, &options, observer))
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
            &endpoints::DEPOSIT,
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
            &endpoints::TRANSFER,
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
            &endpoints::REFUND,
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
        self.status(env, &endpoints::DEPOSIT, [uuid, authorization, target])
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
        self.status(env, &endpoints::TRANSFER, [uuid, authorization, target])
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
        self.status(env, &endpoints::REFUND, [uuid, authorization, target])
    }
}
