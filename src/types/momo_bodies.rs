//! MoMo's request bodies (every product), and the cash transfer's result, which repeats
//! its body's fields. The calls take a body as any JS value (`convert.rs`); these declare
//! what it should be.

use napi_derive::napi;
use serde::Deserialize;
use serde_json::Value;

use super::momo::Party;

sharing! {
    {
        #[doc = " ISO 4217; MTN's sandbox accepts EUR only, a production market its own currency."]
        pub currency: String,
        pub external_id: Option<String>,
        #[doc = " At most 160 characters, without ' or &."]
        pub payer_message: Option<String>,
        pub payee_note: Option<String>,
    }

    #[napi(object, object_to_js = false, object_from_js = false)]
    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct TransferBody {
        #[doc = " A positive amount with at most two decimals, e.g. \"100\"."]
        #[napi(ts_type = "string | number")]
        pub amount: Value,
        pub payee: Party,
    }

    #[napi(object, object_to_js = false, object_from_js = false)]
    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct RefundBody {
        #[napi(ts_type = "string | number")]
        pub amount: Value,
        #[doc = " The X-Reference-Id of the transaction to refund."]
        pub reference_id_to_refund: String,
    }

    #[doc = " requestToPay, withdraw and requestToWithdraw: the transfer body with a `payer`."]
    #[napi(object, object_to_js = false, object_from_js = false)]
    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct RequestToPayBody {
        #[napi(ts_type = "string | number")]
        pub amount: Value,
        pub payer: Party,
    }

    sharing {
        pub payee: Party,
        #[doc = " Two letters; the API spells the field so. `originatingCountry` is accepted too."]
        pub orginating_country: Option<String>,
        pub originating_country: Option<String>,
        pub original_currency: Option<String>,
        #[napi(ts_type = "PayerIdentificationType")]
        pub payer_identification_type: Option<String>,
        pub payer_identification_number: Option<String>,
        pub payer_identity: Option<String>,
        pub payer_first_name: Option<String>,
        pub payer_sur_name: Option<String>,
        pub payer_language_code: Option<String>,
        pub payer_email: Option<String>,
        pub payer_msisdn: Option<String>,
        pub payer_gender: Option<String>,
    } [
        #[doc = " Remittance cash transfer: a transfer plus the foreign sender's details."]
        #[napi(object, object_to_js = false, object_from_js = false)]
        #[derive(Deserialize)]
        #[serde(rename_all = "camelCase")]
        pub struct CashTransferBody {
            #[doc = " A positive amount with at most two decimals, e.g. \"100\"."]
            #[napi(ts_type = "string | number")]
            pub amount: Value,
            #[napi(ts_type = "string | number")]
            pub original_amount: Option<Value>,
        }

        #[doc = " A cash transfer's status: its body's fields (amounts as the API's strings), its"]
        #[doc = " status and reason."]
        #[napi(object, object_to_js = false, object_from_js = false)]
        #[derive(Deserialize)]
        #[serde(rename_all = "camelCase")]
        pub struct CashTransferResult {
            pub amount: String,
            pub original_amount: Option<String>,
            pub financial_transaction_id: Option<String>,
            pub status: String,
            #[napi(ts_type = "{ code: string; message: string }")]
            pub reason: Option<Value>,
        }
    ]
}

#[napi(object, object_to_js = false, object_from_js = false)]
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InvoiceBody {
    pub external_id: Option<String>,
    #[napi(ts_type = "string | number")]
    pub amount: Value,
    pub currency: String,
    /// Seconds the invoice stays payable.
    #[napi(ts_type = "string | number")]
    pub validity_duration: Value,
    pub intended_payer: Party,
    pub payee: Option<Party>,
    pub description: Option<String>,
}

#[napi(object, object_to_js = false, object_from_js = false)]
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PreApprovalBody {
    pub payer: Party,
    pub payer_currency: String,
    pub payer_message: Option<String>,
    /// Seconds.
    pub validity_time: Option<f64>,
}

#[napi(object, object_to_js = false, object_from_js = false)]
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PaymentBody {
    pub external_transaction_id: Option<String>,
    #[napi(ts_type = "{ amount: string | number; currency: string }")]
    pub money: Value,
    pub customer_reference: String,
    pub service_provider_user_name: String,
    pub coupon_id: Option<String>,
    pub product_id: Option<String>,
    pub product_offering_id: Option<String>,
    pub receiver_message: Option<String>,
    pub sender_note: Option<String>,
    pub max_number_of_retries: Option<f64>,
    pub include_sender_charges: Option<bool>,
}

/// bcAuthorize's form: `login_hint` is "ID:{msisdn}/MSISDN".
#[napi(object, object_to_js = false, object_from_js = false)]
#[derive(Deserialize)]
pub struct BcAuthorizeRequest {
    pub scope: String,
    #[napi(js_name = "login_hint")]
    pub login_hint: String,
    #[napi(js_name = "access_type", ts_type = "'online' | 'offline'")]
    pub access_type: Option<String>,
    #[napi(js_name = "consent_valid_in", ts_type = "number | string")]
    pub consent_valid_in: Option<Value>,
    #[napi(js_name = "client_notification_token")]
    pub client_notification_token: Option<String>,
    #[napi(js_name = "scope_instruction")]
    pub scope_instruction: Option<String>,
}

#[napi(object, object_to_js = false, object_from_js = false)]
#[derive(Deserialize)]
pub struct Oauth2TokenRequest {
    /// "urn:openid:params:grant-type:ciba", or "refresh_token".
    #[napi(js_name = "grant_type")]
    pub grant_type: String,
    #[napi(js_name = "auth_req_id")]
    pub auth_req_id: Option<String>,
    #[napi(js_name = "refresh_token")]
    pub refresh_token: Option<String>,
}
