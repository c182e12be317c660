//! Each product's money endpoints, described as data (as stripe-node describes its
//! resources): one request sender (`payments.rs`) does the rest. Adding an endpoint is one
//! entry here plus its body kind in `body/`.

use reqwest::Method;

use super::body::BodyKind;
use super::product::Product;

/// How the provider calls the `X-Callback-Url` back for this endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallbackMethod {
    Post,
    Put,
}

/// One money-moving (or state-creating) POST and the GET that tells what became of it.
/// All of them send the caller's UUID v4 as `X-Reference-Id`, which the provider
/// deduplicates on, so a retry with the same reference cannot move money twice.
#[derive(Debug)]
pub struct Endpoint {
    pub product: Product,
    /// What it is called in messages ("request to pay").
    pub noun: &'static str,
    pub method: Method,
    /// The path under the product's base.
    pub path: &'static str,
    /// The status GET is `{status_path}/{referenceId}` under the product's base.
    pub status_path: &'static str,
    pub body: BodyKind,
    /// The status that means accepted.
    pub expect: u16,
    pub callback: CallbackMethod,
}

const fn money(
    product: Product,
    noun: &'static str,
    path: &'static str,
    status_path: &'static str,
    body: BodyKind,
    callback: CallbackMethod,
) -> Endpoint {
    Endpoint {
        product,
        noun,
        method: Method::POST,
        path,
        status_path,
        body,
        expect: 202,
        callback,
    }
}

use BodyKind as B;
use CallbackMethod::{Post, Put};
use Product::{Collection as C, Disbursement as D, Remittance as R};

pub static TRANSFER: Endpoint = money(
    D,
    "transfer",
    "/v1_0/transfer",
    "/v1_0/transfer",
    B::Transfer,
    Post,
);
pub static DEPOSIT: Endpoint = money(
    D,
    "deposit",
    "/v2_0/deposit",
    "/v1_0/deposit",
    B::Deposit,
    Put,
);
pub static REFUND: Endpoint = money(D, "refund", "/v2_0/refund", "/v1_0/refund", B::Refund, Put);

pub static REQUEST_TO_PAY: Endpoint = money(
    C,
    "request to pay",
    "/v1_0/requesttopay",
    "/v1_0/requesttopay",
    B::RequestToPay,
    Post,
);
pub static REQUEST_TO_WITHDRAW: Endpoint = money(
    C,
    "request to withdraw",
    "/v1_0/requesttowithdraw",
    "/v1_0/requesttowithdraw",
    B::RequestToPay,
    Post,
);
pub static WITHDRAW: Endpoint = money(
    C,
    "request to withdraw",
    "/v2_0/requesttowithdraw",
    "/v1_0/requesttowithdraw",
    B::RequestToPay,
    Put,
);
pub static INVOICE: Endpoint = money(
    C,
    "invoice",
    "/v2_0/invoice",
    "/v2_0/invoice",
    B::Invoice,
    Put,
);
pub static PRE_APPROVAL: Endpoint = money(
    C,
    "pre-approval",
    "/v2_0/preapproval",
    "/v2_0/preapproval",
    B::PreApproval,
    Put,
);
pub static PAYMENT: Endpoint = money(
    C,
    "payment",
    "/v2_0/payment",
    "/v2_0/payment",
    B::Payment,
    Put,
);

pub static REMITTANCE_TRANSFER: Endpoint = money(
    R,
    "transfer",
    "/v1_0/transfer",
    "/v1_0/transfer",
    B::Transfer,
    Post,
);
pub static CASH_TRANSFER: Endpoint = money(
    R,
    "cash transfer",
    "/v2_0/cashtransfer",
    "/v2_0/cashtransfer",
    B::CashTransfer,
    Put,
);

/// Every product's endpoints (for tests and documentation).
pub static ALL: [&Endpoint; 11] = [
    &TRANSFER,
    &DEPOSIT,
    &REFUND,
    &REQUEST_TO_PAY,
    &REQUEST_TO_WITHDRAW,
    &WITHDRAW,
    &INVOICE,
    &PRE_APPROVAL,
    &PAYMENT,
    &REMITTANCE_TRANSFER,
    &CASH_TRANSFER,
];
