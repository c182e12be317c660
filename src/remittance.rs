//! `Remittance`: every operation of MTN's Remittance export, in the
//! Disbursements argument order `(uuid, authorization, target, …)`.

use crate::momo::{momo_calls, momo_shared_methods};

momo_shared_methods!(
    Remittance,
    Remittance,
    "subscriptionKey: string, options?: RemittanceOptions"
);

momo_calls! { Remittance, UuidFirst;
    money transfer(REMITTANCE_TRANSFER, body: "TransferBody");
    status get_transfer_status(REMITTANCE_TRANSFER) -> "Promise<Result<TransactionResult>>";
    money cash_transfer(CASH_TRANSFER, body: "CashTransferBody");
    status get_cash_transfer_status(CASH_TRANSFER) -> "Promise<Result<CashTransferResult>>";
}
