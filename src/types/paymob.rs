//! Paymob's results and request bodies, and the normalised callback of either provider.

use std::collections::HashMap;

use napi_derive::napi;
use serde::Deserialize;
use serde_json::Value;

#[napi(object, object_to_js = false, object_from_js = false)]
#[derive(Deserialize)]
pub struct PaymobToken {
    #[napi(js_name = "access_token")]
    pub access_token: String,
    #[napi(js_name = "expires_in")]
    pub expires_in: f64,
    #[napi(js_name = "refresh_token")]
    pub refresh_token: String,
    pub scope: String,
    #[napi(js_name = "token_type")]
    pub token_type: String,
}

// Their index signatures are in types/header.d.ts.
sharing! {
    {
        #[napi(js_name = "disbursement_status", ts_type = "DisbursementStatus")]
        pub disbursement_status: String,
        #[napi(js_name = "status_code")]
        pub status_code: String,
        #[napi(js_name = "status_description", ts_type = "unknown")]
        pub status_description: Value,
        #[napi(js_name = "transaction_id", ts_type = "string | null")]
        pub transaction_id: Option<Value>,
        pub issuer: Option<String>,
        #[napi(ts_type = "number | string")]
        pub amount: Option<Value>,
        #[napi(js_name = "client_transaction_reference", ts_type = "string | null")]
        pub client_transaction_reference: Option<Value>,
        #[napi(
            js_name = "aman_cashing_details",
            ts_type = "{ bill_reference: number; is_paid: boolean; is_cancelled: boolean } | null"
        )]
        pub aman_cashing_details: Option<Value>,
    }

    #[doc = " A Paymob transaction as the API returns it (disburse, inquiry, Aman cancel)."]
    #[napi(object, object_to_js = false, object_from_js = false)]
    #[derive(Deserialize)]
    pub struct PaymobTransaction {}

    #[doc = " What instantCashin resolves: the transaction plus the reference of this payout."]
    #[napi(object, object_to_js = false, object_from_js = false)]
    #[derive(Deserialize)]
    pub struct CashinResult {
        #[doc = " The reference of this payout (generated when the request had none)."]
        #[serde(rename = "clientReferenceId")]
        pub client_reference_id: String,
    }
}

#[napi(object, object_to_js = false, object_from_js = false)]
#[derive(Deserialize)]
pub struct BudgetResult {
    #[napi(js_name = "current_budget")]
    pub current_budget: String,
    #[napi(js_name = "current_balance")]
    pub current_balance: Option<f64>,
    pub currency: Option<String>,
}

#[napi(object, object_to_js = false, object_from_js = false)]
#[derive(Deserialize)]
pub struct InquiryResult {
    pub count: f64,
    #[napi(ts_type = "string | null")]
    pub next: Value,
    #[napi(ts_type = "string | null")]
    pub previous: Value,
    pub results: Vec<PaymobTransaction>,
}

/// A normalised MoMo or Paymob callback body (see parseCallback).
#[napi(object, object_to_js = false, object_from_js = false)]
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ParsedCallback {
    #[napi(ts_type = "'momo' | 'paymob'")]
    pub provider: String,
    /// Normalised: SUCCESSFUL | FAILED | PENDING for MoMo; the disbursement_status for Paymob.
    pub status: String,
    pub reference_id: Option<String>,
    #[napi(ts_type = "{ code: string; message: string }")]
    pub reason: Option<Value>,
    #[napi(ts_type = "Record<string, unknown>")]
    pub body: HashMap<String, Value>,
}

#[napi(object, object_to_js = false, object_from_js = false)]
#[derive(Deserialize)]
pub struct CashinRequest {
    #[napi(ts_type = "Issuer")]
    pub issuer: String,
    #[napi(ts_type = "number | string")]
    pub amount: Value,
    pub msisdn: Option<String>,
    #[napi(js_name = "fullName")]
    #[serde(rename = "fullName")]
    pub full_name_camel: Option<String>,
    #[napi(js_name = "firstName")]
    #[serde(rename = "firstName")]
    pub first_name_camel: Option<String>,
    #[napi(js_name = "lastName")]
    #[serde(rename = "lastName")]
    pub last_name_camel: Option<String>,
    pub email: Option<String>,
    #[napi(js_name = "bankCardNumber")]
    #[serde(rename = "bankCardNumber")]
    pub bank_card_number_camel: Option<String>,
    #[napi(js_name = "bankCode")]
    #[serde(rename = "bankCode")]
    pub bank_code_camel: Option<String>,
    #[napi(
        js_name = "bankTransactionType",
        ts_type = "'salary' | 'credit_card' | 'prepaid_card' | 'cash_transfer'"
    )]
    #[serde(rename = "bankTransactionType")]
    pub bank_transaction_type_camel: Option<String>,
    pub pin: Option<String>,
    #[napi(ts_type = "'Full' | 'Half' | 'No'")]
    pub fees: Option<String>,
    /// A UUID; generated when absent and returned in `data` or in the failure.
    #[napi(js_name = "clientReferenceId")]
    #[serde(rename = "clientReferenceId")]
    pub client_reference_id_camel: Option<String>,
    pub comment: Option<String>,
    #[napi(js_name = "nationalId")]
    #[serde(rename = "nationalId")]
    pub national_id_camel: Option<String>,
    #[napi(js_name = "customerBearsFees")]
    #[serde(rename = "customerBearsFees")]
    pub customer_bears_fees_camel: Option<bool>,
    /// The API's snake_case names are accepted too.
    #[napi(js_name = "full_name")]
    pub full_name: Option<String>,
    #[napi(js_name = "first_name")]
    pub first_name: Option<String>,
    #[napi(js_name = "last_name")]
    pub last_name: Option<String>,
    #[napi(js_name = "bank_card_number")]
    pub bank_card_number: Option<String>,
    #[napi(js_name = "bank_code")]
    pub bank_code: Option<String>,
    #[napi(
        js_name = "bank_transaction_type",
        ts_type = "'salary' | 'credit_card' | 'prepaid_card' | 'cash_transfer'"
    )]
    pub bank_transaction_type: Option<String>,
    #[napi(js_name = "client_reference_id")]
    pub client_reference_id: Option<String>,
    #[napi(js_name = "national_id")]
    pub national_id: Option<String>,
    #[napi(js_name = "customer_bears_fees")]
    pub customer_bears_fees: Option<bool>,
}

#[napi(object, object_to_js = false, object_from_js = false)]
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InquiryQuery {
    pub transaction_ids: Option<Vec<String>>,
    pub client_references: Option<Vec<String>>,
    /// Query the bank store (bank_card) instead of the instant one.
    pub bank: Option<bool>,
}
