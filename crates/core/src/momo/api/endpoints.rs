//! The table: every MoMo operation once. [`ROUTES`] are the calls that move no money
//! (tokens, balances, account holders, consent, Collection's notices and cancels, and the
//! sandbox's provisioning at the root); [`ENDPOINTS`] the money POSTs, each with the GET
//! that tells what became of it. Adding an endpoint is one entry here (plus its body
//! check in the client's `momo/body/` and in the sandbox's `request/`).

use super::terms::{fill, CallbackMethod, Kind, Product, Verb};

/// What an operation does: the sandbox dispatches on it; the client names it to get a
/// path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    /// `POST /v1_0/apiuser` (sandbox provisioning, at the root).
    CreateApiUser,
    GetApiUser,
    CreateApiKey,
    /// `POST …/token/` with the API user's Basic credentials.
    Token,
    Balance,
    /// `…/account/balance/{currency}`.
    BalanceIn,
    /// `…/accountholder/{type}/{id}/active`.
    Active,
    /// `…/accountholder/{type}/{id}/basicuserinfo`.
    BasicUserInfo,
    /// Remittance's `…/accountholder/msisdn/{msisdn}/basicuserinfo` (no gender).
    BasicUserInfoMsisdn,
    UserInfo,
    /// The consent flow: `bc-authorize` and `oauth2/token/`.
    BcAuthorize,
    Oauth2Token,
    /// A money POST, with its `X-Reference-Id`.
    Create(&'static Endpoint),
    /// `…/{referenceId}` of a resource.
    Status(Kind),
    /// Collection: `…/requesttopay/{id}/deliverynotification`.
    DeliveryNotification,
    /// Collection: `DELETE …/invoice/{id}`, with an `X-Reference-Id` of its own.
    CancelInvoice,
    /// Collection: `…/preapprovals/{type}/{id}` and `DELETE …/preapproval/{id}`.
    ApprovedPreApprovals,
    CancelPreApproval,
}

/// One operation that is not a money POST.
#[derive(Debug, PartialEq, Eq)]
pub struct Route {
    /// The products it is mounted under; none: at the root (provisioning).
    pub products: &'static [Product],
    pub verb: Verb,
    /// Under the product's base path, `{…}` for each parameter.
    pub path: &'static str,
    pub op: Op,
}

impl Route {
    /// The path of a call for `product`, `params` filling the `{…}` in order.
    pub fn path_for(&self, product: Product, params: &[&str]) -> String {
        fill(product.base(), self.path, params)
    }

    /// The path of a call at the root (provisioning).
    pub fn root_path(&self, params: &[&str]) -> String {
        fill("", self.path, params)
    }
}

/// One money-moving (or state-creating) POST and the GET that tells what became of it.
/// All of them send the caller's UUID v4 as `X-Reference-Id`, which the provider
/// deduplicates on, so a retry with the same reference cannot move money twice.
#[derive(Debug, PartialEq, Eq)]
pub struct Endpoint {
    pub product: Product,
    /// The resource it creates; its body is checked as this kind's.
    pub kind: Kind,
    /// What it is called in messages ("request to pay").
    pub noun: &'static str,
    /// The POST's path under the product's base.
    pub path: &'static str,
    /// The status GET is `{status_path}/{referenceId}` under the product's base.
    pub status_path: &'static str,
    /// The TypeScript types of the body and of the status result (generated from
    /// `src/types/`).
    pub body_type: &'static str,
    pub result_type: &'static str,
    /// The status that means accepted.
    pub expect: u16,
    /// How the provider calls the `X-Callback-Url` back: V1 deposit, refund and withdraw
    /// POST, V2 PUT, transfer PUT; request to pay POST, as observed live (the export names
    /// none).
    pub callback: CallbackMethod,
}

impl Endpoint {
    pub const VERB: Verb = Verb::Post;

    pub fn post_path(&self) -> String {
        fill(self.product.base(), self.path, &[])
    }

    pub fn status_path_of(&self, reference: &str) -> String {
        let mut path = fill(self.product.base(), self.status_path, &[]);
        path.push('/');
        path.push_str(reference);
        path
    }
}

use Product::{Collection as C, Disbursement as D, Remittance as R};
use Verb::{Delete, Get, Post};

const fn transfer(product: Product) -> Endpoint {
    Endpoint {
        product,
        kind: Kind::Transfer,
        noun: "transfer",
        path: "/v1_0/transfer",
        status_path: "/v1_0/transfer",
        body_type: "TransferBody",
        result_type: "TransactionResult",
        expect: 202,
        callback: CallbackMethod::Put,
    }
}

const ROOT: &[Product] = &[];
const EVERY: &[Product] = &Product::ALL;
const COLLECTION: &[Product] = &[Product::Collection];
const REMITTANCE: &[Product] = &[Product::Remittance];
/// The `{type}/{id}` form of basicuserinfo; Remittance has an MSISDN-only path.
const NOT_REMITTANCE: &[Product] = &[Product::Collection, Product::Disbursement];

pub static CREATE_API_USER: Route = Route {
    products: ROOT,
    verb: Post,
    path: "/v1_0/apiuser",
    op: Op::CreateApiUser,
};
pub static GET_API_USER: Route = Route {
    products: ROOT,
    verb: Get,
    path: "/v1_0/apiuser/{id}",
    op: Op::GetApiUser,
};
pub static CREATE_API_KEY: Route = Route {
    products: ROOT,
    verb: Post,
    path: "/v1_0/apiuser/{id}/apikey",
    op: Op::CreateApiKey,
};
pub static TOKEN: Route = Route {
    products: EVERY,
    verb: Post,
    path: "/token/",
    op: Op::Token,
};
pub static BALANCE: Route = Route {
    products: EVERY,
    verb: Get,
    path: "/v1_0/account/balance",
    op: Op::Balance,
};
pub static BALANCE_IN: Route = Route {
    products: EVERY,
    verb: Get,
    path: "/v1_0/account/balance/{currency}",
    op: Op::BalanceIn,
};
pub static ACTIVE: Route = Route {
    products: EVERY,
    verb: Get,
    path: "/v1_0/accountholder/{type}/{id}/active",
    op: Op::Active,
};
pub static BASIC_USER_INFO: Route = Route {
    products: NOT_REMITTANCE,
    verb: Get,
    path: "/v1_0/accountholder/{type}/{id}/basicuserinfo",
    op: Op::BasicUserInfo,
};
pub static BASIC_USER_INFO_MSISDN: Route = Route {
    products: REMITTANCE,
    verb: Get,
    path: "/v1_0/accountholder/msisdn/{msisdn}/basicuserinfo",
    op: Op::BasicUserInfoMsisdn,
};
pub static USER_INFO: Route = Route {
    products: EVERY,
    verb: Get,
    path: "/oauth2/v1_0/userinfo",
    op: Op::UserInfo,
};
pub static BC_AUTHORIZE: Route = Route {
    products: EVERY,
    verb: Post,
    path: "/v1_0/bc-authorize",
    op: Op::BcAuthorize,
};
pub static OAUTH2_TOKEN: Route = Route {
    products: EVERY,
    verb: Post,
    path: "/oauth2/token/",
    op: Op::Oauth2Token,
};
pub static DELIVERY_NOTIFICATION: Route = Route {
    products: COLLECTION,
    verb: Post,
    path: "/v1_0/requesttopay/{id}/deliverynotification",
    op: Op::DeliveryNotification,
};
pub static CANCEL_INVOICE: Route = Route {
    products: COLLECTION,
    verb: Delete,
    path: "/v2_0/invoice/{id}",
    op: Op::CancelInvoice,
};
pub static APPROVED_PRE_APPROVALS: Route = Route {
    products: COLLECTION,
    verb: Get,
    path: "/v1_0/preapprovals/{type}/{id}",
    op: Op::ApprovedPreApprovals,
};
pub static CANCEL_PRE_APPROVAL: Route = Route {
    products: COLLECTION,
    verb: Delete,
    path: "/v1_0/preapproval/{id}",
    op: Op::CancelPreApproval,
};

/// Every operation that is not a money POST or its status GET.
pub static ROUTES: [&Route; 16] = [
    &CREATE_API_USER,
    &GET_API_USER,
    &CREATE_API_KEY,
    &TOKEN,
    &BALANCE,
    &BALANCE_IN,
    &ACTIVE,
    &BASIC_USER_INFO,
    &BASIC_USER_INFO_MSISDN,
    &USER_INFO,
    &BC_AUTHORIZE,
    &OAUTH2_TOKEN,
    &DELIVERY_NOTIFICATION,
    &CANCEL_INVOICE,
    &APPROVED_PRE_APPROVALS,
    &CANCEL_PRE_APPROVAL,
];

/// Disbursement's transfer; Remittance's is the same operation under its own base.
pub static TRANSFER: Endpoint = transfer(D);
pub static REMITTANCE_TRANSFER: Endpoint = transfer(R);

/// Deposit V1: its callback is a POST. The client sends V2; the sandbox serves both.
pub static DEPOSIT_V1: Endpoint = Endpoint {
    product: D,
    kind: Kind::Deposit,
    noun: "deposit",
    path: "/v1_0/deposit",
    status_path: "/v1_0/deposit",
    body_type: "TransferBody",
    result_type: "TransactionResult",
    expect: 202,
    callback: CallbackMethod::Post,
};
pub static DEPOSIT: Endpoint = Endpoint {
    product: D,
    kind: Kind::Deposit,
    noun: "deposit",
    path: "/v2_0/deposit",
    status_path: "/v1_0/deposit",
    body_type: "TransferBody",
    result_type: "TransactionResult",
    expect: 202,
    callback: CallbackMethod::Put,
};
pub static REFUND_V1: Endpoint = Endpoint {
    product: D,
    kind: Kind::Refund,
    noun: "refund",
    path: "/v1_0/refund",
    status_path: "/v1_0/refund",
    body_type: "RefundBody",
    result_type: "TransactionResult",
    expect: 202,
    callback: CallbackMethod::Post,
};
pub static REFUND: Endpoint = Endpoint {
    product: D,
    kind: Kind::Refund,
    noun: "refund",
    path: "/v2_0/refund",
    status_path: "/v1_0/refund",
    body_type: "RefundBody",
    result_type: "TransactionResult",
    expect: 202,
    callback: CallbackMethod::Put,
};
pub static REQUEST_TO_PAY: Endpoint = Endpoint {
    product: C,
    kind: Kind::RequestToPay,
    noun: "request to pay",
    path: "/v1_0/requesttopay",
    status_path: "/v1_0/requesttopay",
    body_type: "RequestToPayBody",
    result_type: "RequestToPayResult",
    expect: 202,
    callback: CallbackMethod::Post,
};
pub static REQUEST_TO_WITHDRAW: Endpoint = Endpoint {
    product: C,
    kind: Kind::Withdraw,
    noun: "request to withdraw",
    path: "/v1_0/requesttowithdraw",
    status_path: "/v1_0/requesttowithdraw",
    body_type: "RequestToPayBody",
    result_type: "RequestToPayResult",
    expect: 202,
    callback: CallbackMethod::Post,
};
pub static WITHDRAW: Endpoint = Endpoint {
    product: C,
    kind: Kind::Withdraw,
    noun: "request to withdraw",
    path: "/v2_0/requesttowithdraw",
    status_path: "/v1_0/requesttowithdraw",
    body_type: "RequestToPayBody",
    result_type: "RequestToPayResult",
    expect: 202,
    callback: CallbackMethod::Put,
};
pub static INVOICE: Endpoint = Endpoint {
    product: C,
    kind: Kind::Invoice,
    noun: "invoice",
    path: "/v2_0/invoice",
    status_path: "/v2_0/invoice",
    body_type: "InvoiceBody",
    result_type: "InvoiceResult",
    expect: 202,
    callback: CallbackMethod::Put,
};
pub static PRE_APPROVAL: Endpoint = Endpoint {
    product: C,
    kind: Kind::PreApproval,
    noun: "pre-approval",
    path: "/v2_0/preapproval",
    status_path: "/v2_0/preapproval",
    body_type: "PreApprovalBody",
    result_type: "PreApprovalResult",
    expect: 202,
    callback: CallbackMethod::Put,
};
pub static PAYMENT: Endpoint = Endpoint {
    product: C,
    kind: Kind::Payment,
    noun: "payment",
    path: "/v2_0/payment",
    status_path: "/v2_0/payment",
    body_type: "PaymentBody",
    result_type: "PaymentResult",
    expect: 202,
    callback: CallbackMethod::Put,
};
pub static CASH_TRANSFER: Endpoint = Endpoint {
    product: R,
    kind: Kind::CashTransfer,
    noun: "cash transfer",
    path: "/v2_0/cashtransfer",
    status_path: "/v2_0/cashtransfer",
    body_type: "CashTransferBody",
    result_type: "CashTransferResult",
    expect: 202,
    callback: CallbackMethod::Put,
};

/// Every product's money endpoints.
pub static ENDPOINTS: [&Endpoint; 13] = [
    &TRANSFER,
    &DEPOSIT_V1,
    &DEPOSIT,
    &REFUND_V1,
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
