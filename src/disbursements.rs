//! `Disbursements` (CONTRACT §2): the twelve methods of `mobilemoney.js`, each resolving
//! `[ok, data]`, plus the consent flow every product has.

use std::sync::Arc;

use napi::{Env, Unknown};
use napi_derive::napi;

use mobilemoney_core::momo::product::Product;
use mobilemoney_core::momo::MomoClient as Core;

use crate::momo::{momo_calls, momo_shared_methods};
use crate::options::momo_client;

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

momo_shared_methods!(Disbursements);

#[napi]
impl Disbursements {
    #[napi(
        constructor,
        ts_args_type = "subscriptionKey: string, options?: DisbursementsOptions"
    )]
    pub fn new(env: Env, key: Unknown, options: Option<Unknown>) -> napi::Result<Self> {
        momo_client(&env, Product::Disbursement, key, options).map(Disbursements::from_core)
    }
}

momo_calls! { Disbursements, UuidFirst;
    money deposit(DEPOSIT, body: "TransferBody");
    money transfer(TRANSFER, body: "TransferBody");
    money refund(REFUND, body: "RefundBody");
    status get_deposit_status(DEPOSIT) -> "Promise<Result<TransactionResult>>";
    status get_transfer_status(TRANSFER) -> "Promise<Result<TransactionResult>>";
    status get_refund_status(REFUND) -> "Promise<Result<TransactionResult>>";
}
