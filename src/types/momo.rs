//! MTN MoMo results (every product) and the party they name. The cash transfer's result
//! is in momo_bodies.rs, with the body whose fields it repeats.

use napi_derive::napi;
use serde::Deserialize;
use serde_json::Value;

/// A payer or payee.
#[napi(object, object_to_js = false, object_from_js = false)]
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Party {
    #[napi(ts_type = "PartyIdType")]
    pub party_id_type: String,
    pub party_id: String,
}

sharing! {
    {
        #[napi(js_name = "access_token")]
        pub access_token: String,
        #[napi(js_name = "token_type")]
        pub token_type: String,
        #[napi(js_name = "expires_in")]
        pub expires_in: f64,
    }

    #[napi(object, object_to_js = false, object_from_js = false)]
    #[derive(Deserialize)]
    pub struct AccessToken {}

    #[napi(object, object_to_js = false, object_from_js = false)]
    #[derive(Deserialize)]
    pub struct Oauth2Token {
        pub scope: Option<String>,
        #[napi(js_name = "refresh_token")]
        pub refresh_token: Option<String>,
        #[napi(js_name = "refresh_token_expired_in")]
        pub refresh_token_expired_in: Option<f64>,
    }
}

#[napi(object, object_to_js = false, object_from_js = false)]
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Balance {
    pub available_balance: String,
    pub currency: String,
}

// Their index signatures are in types/header.d.ts.
sharing! {
    {
        #[napi(js_name = "given_name")]
        pub given_name: Option<String>,
        #[napi(js_name = "family_name")]
        pub family_name: Option<String>,
        pub birthdate: Option<String>,
        pub locale: Option<String>,
        pub gender: Option<String>,
        pub status: Option<String>,
    }

    #[napi(object, object_to_js = false, object_from_js = false)]
    #[derive(Deserialize)]
    pub struct BasicUserInfo {}

    #[doc = " BasicUserInfo's fields and the OpenID ones."]
    #[napi(object, object_to_js = false, object_from_js = false)]
    #[derive(Deserialize)]
    pub struct UserInfo {
        pub sub: Option<String>,
        pub name: Option<String>,
        pub email: Option<String>,
        #[napi(js_name = "phone_number")]
        pub phone_number: Option<String>,
    }
}

sharing! {
    {
        pub amount: String,
        pub currency: String,
        pub financial_transaction_id: Option<String>,
        pub external_id: Option<String>,
        pub payer_message: Option<String>,
        pub payee_note: Option<String>,
        #[napi(ts_type = "{ code: string; message: string }")]
        pub reason: Option<Value>,
    }

    #[doc = " The result of a status lookup; `reason` is always an object."]
    #[napi(object, object_to_js = false, object_from_js = false)]
    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct TransactionResult {
        pub payee: Option<Party>,
        #[napi(ts_type = "TransactionStatus")]
        pub status: String,
    }

    #[napi(object, object_to_js = false, object_from_js = false)]
    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct RequestToPayResult {
        pub payer: Option<Party>,
        #[napi(ts_type = "TransactionStatus | 'CREATED'")]
        pub status: String,
    }
}

/// What transfer, deposit and refund resolve when accepted.
#[napi(object, object_to_js = false, object_from_js = false)]
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PaymentAccepted {
    pub reference_id: String,
    /// Present when an uncertain send was resolved by looking the reference up.
    #[napi(ts_type = "true")]
    pub recovered: Option<bool>,
    #[napi(ts_type = "TransactionStatus")]
    pub status: Option<String>,
    pub transaction: Option<TransactionResult>,
}

// Its index signature is in types/header.d.ts.
#[napi(object, object_to_js = false, object_from_js = false)]
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InvoiceResult {
    pub reference_id: String,
    pub external_id: Option<String>,
    pub amount: String,
    pub currency: String,
    #[napi(ts_type = "'CREATED' | 'PENDING' | 'SUCCESSFUL' | 'FAILED' | string")]
    pub status: String,
    pub payment_reference: Option<String>,
    pub invoice_id: Option<String>,
    pub expiry_date_time: Option<String>,
    pub intended_payer: Option<Party>,
    pub description: Option<String>,
}

#[napi(object, object_to_js = false, object_from_js = false)]
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PreApprovalResult {
    pub payer: Party,
    pub payer_currency: String,
    pub payer_message: Option<String>,
    #[napi(ts_type = "TransactionStatus")]
    pub status: String,
    pub expiration_date_time: Option<String>,
    #[napi(ts_type = "{ code: string; message: string }")]
    pub reason: Option<Value>,
}

#[napi(object, object_to_js = false, object_from_js = false)]
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PaymentResult {
    pub reference_id: String,
    #[napi(ts_type = "'CREATED' | TransactionStatus")]
    pub status: String,
    pub financial_transaction_id: Option<String>,
    #[napi(ts_type = "{ code: string; message: string }")]
    pub reason: Option<Value>,
}

// Its index signature is in types/header.d.ts.
#[napi(object, object_to_js = false, object_from_js = false)]
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PreApprovalDetails {
    pub pre_approval_id: String,
    pub to_fri: Option<String>,
    pub from_fri: Option<String>,
    pub from_currency: Option<String>,
    #[napi(ts_type = "'APPROVED' | 'CANCELLED' | 'EXPIRED' | 'REJECTED' | 'PENDING' | string")]
    pub status: String,
    #[napi(ts_type = "'DAILY' | 'WEEKLY' | 'MONTHLY' | string")]
    pub frequency: Option<String>,
}

#[napi(object, object_to_js = false, object_from_js = false)]
#[derive(Deserialize)]
pub struct BcAuthorizeResult {
    #[napi(js_name = "auth_req_id")]
    pub auth_req_id: String,
    pub interval: f64,
    #[napi(js_name = "expires_in")]
    pub expires_in: f64,
}

#[napi(object, object_to_js = false, object_from_js = false)]
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ApiUserCreated {
    pub reference_id: String,
    // A `Value`: required and nullable, as MoMo answers it.
    #[napi(ts_type = "string | null")]
    pub provider_callback_host: Value,
}

#[napi(object, object_to_js = false, object_from_js = false)]
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ApiUser {
    pub provider_callback_host: String,
    pub target_environment: String,
}
