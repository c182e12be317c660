//! `Disbursements`: the twelve methods of `mobilemoney.js`, each resolving
//! `[ok, data]`, plus the consent flow every product has.

use crate::momo::{momo_calls, momo_shared_methods};

momo_shared_methods!(
    Disbursements,
    Disbursement,
    "subscriptionKey: string, options?: DisbursementsOptions"
);

momo_calls! { Disbursements, UuidFirst;
    money deposit(DEPOSIT, body: "TransferBody");
    money transfer(TRANSFER, body: "TransferBody");
    money refund(REFUND, body: "RefundBody");
    status get_deposit_status(DEPOSIT) -> "Promise<Result<TransactionResult>>";
    status get_transfer_status(TRANSFER) -> "Promise<Result<TransactionResult>>";
    status get_refund_status(REFUND) -> "Promise<Result<TransactionResult>>";
}
