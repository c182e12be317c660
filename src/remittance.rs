//! `Remittance` (CONTRACT §7): every operation of MTN's Remittance export, in the
//! Disbursements argument order `(uuid, authorization, target, …)`.

use std::sync::Arc;

use napi::{Env, Unknown};
use napi_derive::napi;

use mobilemoney_core::momo::product::Product;
use mobilemoney_core::momo::MomoClient as Core;

use crate::momo::{momo_calls, momo_shared_methods};
use crate::options::momo_client;

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
    pub fn new(env: Env, key: Unknown, options: Option<Unknown>) -> napi::Result<Self> {
        momo_client(&env, Product::Remittance, key, options).map(Remittance::from_core)
    }
}

momo_calls! { Remittance, UuidFirst;
    money transfer(REMITTANCE_TRANSFER, body: "TransferBody");
    status get_transfer_status(REMITTANCE_TRANSFER) -> "Promise<Result<TransactionResult>>";
    money cash_transfer(CASH_TRANSFER, body: "CashTransferBody");
    status get_cash_transfer_status(CASH_TRANSFER) -> "Promise<Result<CashTransferResult>>";
}
