//! The bodies of Collection's v2 resources: invoice, pre-approval and payment.

use serde_json::Value;

use super::body::{Body, PayoutRequest};

/// Seconds as the exports give them: a string (invoice) or an integer (pre-approval).
fn seconds(b: &Body, field: &str) -> Result<Option<u64>, String> {
    let bad = || format!("{field} must be a whole number of seconds.");
    match b.map.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => n.as_u64().map(Some).ok_or_else(bad),
        Some(Value::String(s)) => s.trim().parse().map(Some).map_err(|_| bad()),
        Some(_) => Err(bad()),
    }
}

/// `CreateInvoice`: `{externalId, amount, currency, validityDuration, intendedPayer,
/// payee, description}`.
pub fn invoice(b: &mut Body) -> Result<PayoutRequest, String> {
    let (amount, value) = b.amount("amount")?;
    let currency = b.currency("currency")?;
    let external_id = b.text("externalId")?;
    let validity_seconds = seconds(b, "validityDuration")?;
    let party = b.party("intendedPayer")?;
    b.party("payee")?;
    b.note("description")?;
    Ok(PayoutRequest {
        amount,
        value,
        currency,
        external_id,
        party: Some(party),
        validity_seconds,
        ..PayoutRequest::default()
    })
}

/// `PreApproval`: `{payer, payerCurrency, payerMessage, validityTime}`; no money moves.
pub fn pre_approval(b: &mut Body) -> Result<PayoutRequest, String> {
    let party = b.party("payer")?;
    let currency = b.currency("payerCurrency")?;
    b.note("payerMessage")?;
    let validity_seconds = seconds(b, "validityTime")?;
    Ok(PayoutRequest {
        currency,
        party: Some(party),
        validity_seconds,
        ..PayoutRequest::default()
    })
}

/// `CreatePayments`: `{externalTransactionId, money: {amount, currency},
/// customerReference, serviceProviderUserName, …}`. Its result echoes none of them.
pub fn payment(b: &mut Body) -> Result<PayoutRequest, String> {
    let Some(Value::Object(money)) = b.map.get("money").cloned() else {
        return Err("money must be an object with amount and currency.".into());
    };
    let mut m = Body {
        map: money,
        echo: Default::default(),
    };
    let (amount, value) = m.amount("amount").map_err(|e| format!("money.{e}"))?;
    let currency = m.currency("currency").map_err(|e| format!("money.{e}"))?;
    let external_id = b.text("externalTransactionId")?;
    let customer_reference = Some(b.required_text("customerReference")?);
    b.required_text("serviceProviderUserName")?;
    for field in [
        "couponId",
        "productId",
        "productOfferingId",
        "receiverMessage",
        "senderNote",
    ] {
        b.text(field)?;
    }
    if b.map
        .get("includeSenderCharges")
        .is_some_and(|v| !v.is_boolean() && !v.is_null())
    {
        return Err("includeSenderCharges must be a boolean.".into());
    }
    if b.map
        .get("maxNumberOfRetries")
        .is_some_and(|v| !v.is_u64() && !v.is_null())
    {
        return Err("maxNumberOfRetries must be a whole number.".into());
    }
    b.echo.clear();
    Ok(PayoutRequest {
        amount,
        value,
        currency,
        external_id,
        customer_reference,
        ..PayoutRequest::default()
    })
}
