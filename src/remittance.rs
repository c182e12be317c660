//! `Remittance`: every operation of MTN's Remittance export, in the
//! Disbursements argument order `(uuid, authorization, target, …)`.

use std::sync::Arc;

use napi::{Env, Unknown};
use napi_derive::napi;

use mobilemoney_core::momo::MomoClient as Core;
use mobilemoney_core::momo::Product;

use crate::convert::{arg, opt_arg};
use crate::events;
use crate::momo::{momo_calls, momo_shared_methods};

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
}

momo_calls! { Remittance, UuidFirst;
    money transfer(REMITTANCE_TRANSFER, body: "TransferBody");
    status get_transfer_status(REMITTANCE_TRANSFER) -> "Promise<Result<TransactionResult>>";
    money cash_transfer(CASH_TRANSFER, body: "CashTransferBody");
    status get_cash_transfer_status(CASH_TRANSFER) -> "Promise<Result<CashTransferResult>>";
}
