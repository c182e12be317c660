//! `Collection`: `mobilemoney.js`'s class and every operation of MTN's
//! Collection export. Its methods take `(authorization, uuid, …)` as `mobilemoney.js`
//! does, or `(uuid, authorization, …)` as Disbursements does.

use napi::{Env, Unknown};
use napi_derive::napi;

use mobilemoney_core::momo::collection::either_order;

use crate::convert::arg;
use crate::momo::{momo_calls, momo_shared_methods, Pending};
use crate::spawn::spawn;

momo_shared_methods!(
    Collection,
    Collection,
    "subscriptionKey: string, options?: CollectionOptions"
);

momo_calls! { Collection, Either;
    money request_to_pay(REQUEST_TO_PAY, body: "RequestToPayBody");
    status get_request_to_pay_status(REQUEST_TO_PAY) -> "Promise<Result<RequestToPayResult>>";
    money withdraw(WITHDRAW, body: "RequestToPayBody");
    money request_to_withdraw(REQUEST_TO_WITHDRAW, body: "RequestToPayBody");
    status get_withdraw_status(WITHDRAW) -> "Promise<Result<RequestToPayResult>>";
    money create_invoice(INVOICE, body: "InvoiceBody");
    status get_invoice_status(INVOICE) -> "Promise<Result<InvoiceResult>>";
    money create_pre_approval(PRE_APPROVAL, body: "PreApprovalBody");
    status get_pre_approval_status(PRE_APPROVAL) -> "Promise<Result<PreApprovalResult>>";
    money create_payment(PAYMENT, body: "PaymentBody");
    status get_payment_status(PAYMENT) -> "Promise<Result<PaymentResult>>";
}

// The calls that are neither a payment nor its status.
#[napi]
impl Collection {
    #[napi(
        ts_args_type = "authorization: string | null | undefined, uuid: string, target: string | undefined, message: string, language?: string",
        ts_return_type = "Promise<Result<unknown>>"
    )]
    pub fn request_to_pay_delivery_notification<'env>(
        &self,
        env: &'env Env,
        authorization: Unknown,
        uuid: Unknown,
        target: Unknown,
        message: Unknown,
        language: Unknown,
    ) -> Pending<'env> {
        let [a, u, t, m, l] = [authorization, uuid, target, message, language].map(|v| arg(env, v));
        let inner = self.inner.clone();
        spawn(env, async move {
            let (u, a) = either_order(&a, &u);
            inner.delivery_notification(u, a, &t, &m, &l).await
        })
    }

    #[napi(
        ts_args_type = "authorization: string | null | undefined, uuid: string, target?: string, body?: { externalId?: string }",
        ts_return_type = "Promise<Result<unknown>>"
    )]
    pub fn cancel_invoice<'env>(
        &self,
        env: &'env Env,
        authorization: Unknown,
        uuid: Unknown,
        target: Unknown,
        body: Unknown,
    ) -> Pending<'env> {
        let [a, u, t, b] = [authorization, uuid, target, body].map(|v| arg(env, v));
        let inner = self.inner.clone();
        spawn(env, async move {
            let (u, a) = either_order(&a, &u);
            inner.cancel_invoice(u, a, &t, &b).await
        })
    }

    #[napi(
        ts_args_type = "accountHolderIdType: AccountType | string, accountHolderId: string, authorization?: string | null, target?: string",
        ts_return_type = "Promise<Result<PreApprovalDetails[]>>"
    )]
    pub fn get_approved_pre_approvals<'env>(
        &self,
        env: &'env Env,
        account_holder_id_type: Unknown,
        account_holder_id: Unknown,
        authorization: Unknown,
        target: Unknown,
    ) -> Pending<'env> {
        let [k, i, a, t] = [
            account_holder_id_type,
            account_holder_id,
            authorization,
            target,
        ]
        .map(|v| arg(env, v));
        let inner = self.inner.clone();
        spawn(env, async move {
            inner.approved_pre_approvals(&k, &i, &a, &t).await
        })
    }

    #[napi(
        ts_args_type = "authorization: string | null | undefined, preApprovalId: string, target?: string",
        ts_return_type = "Promise<Result<unknown>>"
    )]
    pub fn cancel_pre_approval<'env>(
        &self,
        env: &'env Env,
        authorization: Unknown,
        pre_approval_id: Unknown,
        target: Unknown,
    ) -> Pending<'env> {
        let [a, p, t] = [authorization, pre_approval_id, target].map(|v| arg(env, v));
        let inner = self.inner.clone();
        spawn(env, async move {
            let (p, a) = either_order(&a, &p);
            inner.cancel_pre_approval(p, a, &t).await
        })
    }
}
