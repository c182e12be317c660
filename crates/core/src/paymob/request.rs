//! The cash-in request: read from the caller's object (camelCase or snake_case), checked
//! for its issuer, and turned into the snake_case JSON body of `POST disburse/`.

use serde_json::{Map, Value};
use uuid::Uuid;

use super::fields;
use super::issuers::Issuer;
use super::validate;
use crate::failure::Failure;
use crate::input::Arg;

/// A request that passed local validation.
#[derive(Debug, Clone)]
pub(crate) struct CashinRequest {
    pub issuer: Issuer,
    /// The client reference (a UUID, generated when absent), sent as both
    /// `client_reference_id` and `client_reference`.
    pub reference: String,
    pub body: Value,
}

/// Validate `arg`; every failure carries the client reference when there is one.
pub(crate) fn parse(arg: &Arg) -> Result<CashinRequest, Failure> {
    let map = match arg {
        Arg::Json(Value::Object(m)) => m,
        other => {
            let reference = Uuid::new_v4().to_string();
            return Err(Failure::invalid(
                "request",
                format!(
                    "request must be an object with msisdn, amount and issuer, got {}",
                    other.type_name()
                ),
            )
            .with_reference(Some(&reference)));
        }
    };
    let reference = reference(map)?;
    build(map, &reference).map_err(|f| f.with_reference(Some(&reference)))
}

/// The caller's `clientReferenceId` in canonical form, or a fresh UUID v4. Paymob's field
/// is a UUID of any version.
fn reference(map: &Map<String, Value>) -> Result<String, Failure> {
    let field = "clientReferenceId";
    match fields::opt_str(map, &["clientReferenceId", "client_reference_id"], field)? {
        None => Ok(Uuid::new_v4().to_string()),
        Some(raw) => Uuid::try_parse(raw)
            .map(|u| u.hyphenated().to_string())
            .map_err(|_| Failure::invalid(field, "clientReferenceId must be a UUID")),
    }
}

/// A text field given in either spelling, checked by `check` and put in `out` under its
/// snake_case name.
fn text<F, T>(
    map: &Map<String, Value>,
    out: &mut Map<String, Value>,
    (camel, snake): (&str, &str),
    check: F,
) -> Result<(), Failure>
where
    F: FnOnce(&str) -> Result<T, Failure>,
    T: Into<Value>,
{
    if let Some(raw) = fields::opt_str(map, &[camel, snake], camel)? {
        out.insert(snake.to_owned(), check(raw)?.into());
    }
    Ok(())
}

fn build(map: &Map<String, Value>, reference: &str) -> Result<CashinRequest, Failure> {
    let raw_issuer = fields::req_str(map, &["issuer"], "issuer")?;
    let issuer = Issuer::parse(raw_issuer).ok_or_else(|| {
        Failure::invalid(
            "issuer",
            format!("issuer must be one of {}", Issuer::names()),
        )
    })?;
    let amount = validate::amount(fields::get(map, &["amount"]), issuer.minimum_amount())?;

    let mut out = Map::new();
    out.insert("issuer".into(), issuer.as_str().into());
    out.insert("amount".into(), amount.into());
    text(map, &mut out, ("msisdn", "msisdn"), validate::msisdn)?;
    for names in [
        ("fullName", "full_name"),
        ("firstName", "first_name"),
        ("lastName", "last_name"),
    ] {
        text(map, &mut out, names, |s| validate::name(names.0, s))?;
    }
    text(map, &mut out, ("email", "email"), validate::email)?;
    text(
        map,
        &mut out,
        ("bankCardNumber", "bank_card_number"),
        validate::bank_card_number,
    )?;
    text(map, &mut out, ("bankCode", "bank_code"), |s| {
        validate::bank_code(s, issuer != Issuer::InstantBank)
    })?;
    text(
        map,
        &mut out,
        ("bankTransactionType", "bank_transaction_type"),
        validate::bank_transaction_type,
    )?;
    text(map, &mut out, ("pin", "pin"), validate::pin)?;
    text(map, &mut out, ("fees", "fees"), validate::fees)?;
    text(map, &mut out, ("comment", "comment"), validate::comment)?;
    text(
        map,
        &mut out,
        ("nationalId", "national_id"),
        validate::national_id,
    )?;
    if let Some(b) = fields::opt_bool(
        map,
        &["customerBearsFees", "customer_bears_fees"],
        "customerBearsFees",
    )? {
        out.insert("customer_bears_fees".into(), b.into());
    }

    for (camel, snake) in issuer.required() {
        if !out.contains_key(*snake) {
            return Err(Failure::invalid(
                camel,
                format!("{camel} is required for issuer {}", issuer.as_str()),
            ));
        }
    }

    out.insert("client_reference_id".into(), reference.into());
    out.insert("client_reference".into(), reference.into());
    Ok(CashinRequest {
        issuer,
        reference: reference.to_owned(),
        body: Value::Object(out),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn builds_snake_case_body_with_reference() {
        let r = parse(&Arg::Json(json!({
            "issuer": "Bank_Card", "amount": "100.5", "bankCardNumber": "1111 2222 3333 4444",
            "bank_code": "cib", "bankTransactionType": "Salary", "fullName": "Mona Ali", "fees": "No"
        })))
        .unwrap();
        assert_eq!(r.issuer, Issuer::BankCard);
        assert_eq!(r.body["bank_card_number"], "1111222233334444");
        assert_eq!(r.body["bank_code"], "CIB");
        assert_eq!(r.body["bank_transaction_type"], "salary");
        assert_eq!(r.body["fees"], "No fees");
        assert_eq!(r.body["amount"], 100.5);
        assert_eq!(r.body["client_reference_id"], r.reference.as_str());
        assert_eq!(r.body["client_reference"], r.reference.as_str());
        assert!(Uuid::try_parse(&r.reference).is_ok());
    }

    #[test]
    fn failures_name_the_field_and_carry_the_reference() {
        let id = "5f0e1a52-8a43-4a2b-9a57-3d1c5c4a9b10";
        let f = parse(&Arg::Json(
            json!({"issuer": "aman", "amount": 5, "msisdn": "01023456789",
            "firstName": "A", "lastName": "B", "clientReferenceId": id}),
        ))
        .unwrap_err();
        assert_eq!(f.field.as_deref(), Some("email"));
        assert_eq!(f.reference_id.as_deref(), Some(id));
        let f = parse(&Arg::String("x".into())).unwrap_err();
        assert_eq!(f.field.as_deref(), Some("request"));
        assert!(f.reference_id.is_some());
        let f = parse(&Arg::Json(
            json!({"issuer": "vodafone", "amount": 5, "msisdn": 1023456789}),
        ))
        .unwrap_err();
        assert_eq!(f.field.as_deref(), Some("msisdn"));
    }
}
