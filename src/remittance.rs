//! `Remittance` (CONTRACT §7): every operation of MTN's Remittance export, in the
//! Disbursements argument order `(uuid, authorization, target, …)`.

use std::sync::Arc;

use napi::{Env, Unknown};
use napi_derive::napi;

use mobilemoney_core::momo::endpoints;
use mobilemoney_core::momo::product::Product;
use mobilemoney_core::momo::MomoClient as Core;

use crate::convert::{arg, opt_arg};
use crate::events;
use crate::momo::{momo_shared_methods, pay, status, Order, Pending};

#[napi]
pub struct Remittance {
    pub(crate) inner: Arc<Core>,
}

impl Remittance {
    pub(crate) fn from_core(core: Core) -> Self {
        Remittance {
            inner: Arc::new(core),
        }
    }
}

momo_shared_methods!(Remittance);

#[napi]
impl Remittance {
    #[napi(
        constructor,
        ts_args_type = "subscriptionKey: string, options?: RemittanceOptions"
    )]
    pub fn new(env: Env, subscription_key: Unknown, options: Option<Unknown>) -> Self {
        let observer = events::observer(&env, options.as_ref());
        let key = arg(&env, subscription_key);
        let options = opt_arg(&env, options);
        Remittance::from_core(Core::new(Product::Remittance, &key, &options, observer))
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
        pay(
            env,
            &self.inner,
            &endpoints::REMITTANCE_TRANSFER,
            Order::UuidFirst,
            [uuid, authorization, target, body, url_callback],
        )
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
        status(
            env,
            &self.inner,
            &endpoints::REMITTANCE_TRANSFER,
            Order::UuidFirst,
            [uuid, authorization, target],
        )
    }

    #[napi(
        ts_args_type = "uuid: string, authorization: string | null | undefined, target: string | undefined, body: CashTransferBody, urlCallback?: string",
        ts_return_type = "Promise<Result<PaymentAccepted>>"
    )]
    pub fn cash_transfer<'env>(
        &self,
        env: &'env Env,
        uuid: Unknown,
        authorization: Unknown,
        target: Unknown,
        body: Unknown,
        url_callback: Unknown,
    ) -> Pending<'env> {
        pay(
            env,
            &self.inner,
            &endpoints::CASH_TRANSFER,
            Order::UuidFirst,
            [uuid, authorization, target, body, url_callback],
        )
    }

    #[napi(
        ts_args_type = "uuid: string, authorization?: string | null, target?: string",
        ts_return_type = "Promise<Result<CashTransferResult>>"
    )]
    pub fn get_cash_transfer_status<'env>(
        &self,
        env: &'env Env,
        uuid: Unknown,
        authorization: Unknown,
        target: Unknown,
    ) -> Pending<'env> {
        status(
            env,
            &self.inner,
            &endpoints::CASH_TRANSFER,
            Order::UuidFirst,
            [uuid, authorization, target],
        )
    }
}
