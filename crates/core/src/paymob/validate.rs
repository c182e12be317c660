//! Local checks of single fields of a cash-in request, mirroring the server's serializer
//! so that a bad request fails here, before anything is sent.

use serde_json::Value;

use super::bank_codes::{is_bank_card_code, BANK_TRANSACTION_TYPES};
use super::fields::wrong_type;
use crate::failure::Failure;

/// The server's `DecimalField(max_digits=9, decimal_places=2)`.
const MAX_AMOUNT: f64 = 9_999_999.99;
/// The database column of names is 70 characters long.
const MAX_NAME: usize = 70;
/// Symbols the server refuses in names.
const NAME_FORBIDDEN: &str = "!%*+&,<=>";
/// The database column of comments is 36 characters long.
const MAX_COMMENT: usize = 36;

/// A positive amount with at most two decimals, from a number or a numeric string.
pub(crate) fn amount(v: Option<&Value>, minimum: Option<f64>) -> Result<f64, Failure> {
    let field = "amount";
    let text = match v {
        None => return Err(Failure::invalid(field, "amount is required")),
        Some(Value::Number(n)) => match n.as_f64() {
            // Rust prints the shortest text that reads back as the same number, so the
            // decimals counted here are the ones the caller wrote.
            Some(x) => format!("{x}"),
            None => return Err(Failure::invalid(field, "amount must be a finite number")),
        },
        Some(Value::String(s)) => s.trim().to_owned(),
        Some(other) => return Err(wrong_type(field, "a number or a numeric string", other)),
    };
    let (int, frac) = text.split_once('.').unwrap_or((text.as_str(), ""));
    let digits_ok = !int.is_empty()
        && int.bytes().all(|b| b.is_ascii_digit())
        && frac.bytes().all(|b| b.is_ascii_digit())
        && (frac.is_empty() != text.contains('.'));
    if !digits_ok {
        return Err(Failure::invalid(
            field,
            "amount must be a positive number such as 100 or \"100.50\"",
        ));
    }
    if frac.len() > 2 {
        return Err(Failure::invalid(
            field,
            "amount must have at most 2 decimal places",
        ));
    }
    let value: f64 = text
        .parse()
        .map_err(|_| Failure::invalid(field, "amount is not a number"))?;
    if value <= 0.0 {
        return Err(Failure::invalid(field, "amount must be greater than 0"));
    }
    if value > MAX_AMOUNT {
        return Err(Failure::invalid(
            field,
            format!("amount must be at most {MAX_AMOUNT}"),
        ));
    }
    if let Some(min) = minimum {
        if value < min {
            return Err(Failure::invalid(
                field,
                format!("amount must be at least {min} for this issuer"),
            ));
        }
    }
    Ok(value)
}

/// An Egyptian mobile number in local format, `01` and 9 more digits. `+20…` and `0020…`
/// forms are accepted and shortened.
pub(crate) fn msisdn(raw: &str) -> Result<String, Failure> {
    let compact: String = raw.chars().filter(|c| !matches!(c, ' ' | '-')).collect();
    let local = compact
        .strip_prefix("+2")
        .or_else(|| compact.strip_prefix("002"))
        .unwrap_or(&compact);
    let ok =
        local.len() == 11 && local.starts_with("01") && local.bytes().all(|b| b.is_ascii_digit());
    if ok {
        Ok(local.to_owned())
    } else {
        Err(Failure::invalid(
            "msisdn",
            "msisdn must be an Egyptian mobile number of 11 digits starting with 01",
        ))
    }
}

/// A person's name: at most 70 characters, none of `!%*+&,<=>`.
pub(crate) fn name(field: &str, raw: &str) -> Result<String, Failure> {
    if raw.chars().count() > MAX_NAME {
        return Err(Failure::invalid(
            field,
            format!("{field} must be at most {MAX_NAME} characters"),
        ));
    }
    if raw.chars().any(|c| NAME_FORBIDDEN.contains(c)) {
        return Err(Failure::invalid(
            field,
            format!("{field} must not contain any of {NAME_FORBIDDEN}"),
        ));
    }
    Ok(raw.to_owned())
}

pub(crate) fn email(raw: &str) -> Result<String, Failure> {
    let ok = match raw.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !domain.contains('@')
                && raw.len() <= 254
                && !raw.chars().any(char::is_whitespace)
        }
        None => false,
    };
    if ok {
        Ok(raw.to_owned())
    } else {
        Err(Failure::invalid("email", "email must be an e-mail address"))
    }
}

/// A card number, account number or IBAN: spaces and dashes are removed; what is left is
/// letters and digits, at most 34, with 6 to 29 digits.
pub(crate) fn bank_card_number(raw: &str) -> Result<String, Failure> {
    let compact: String = raw.chars().filter(|c| !matches!(c, ' ' | '-')).collect();
    let digits = compact.bytes().filter(u8::is_ascii_digit).count();
    let ok = compact.len() <= 34
        && compact.bytes().all(|b| b.is_ascii_alphanumeric())
        && (6..=29).contains(&digits);
    if ok {
        Ok(compact)
    } else {
        Err(Failure::invalid(
            "bankCardNumber",
            "bankCardNumber must be a card number, account number or IBAN with 6 to 29 digits",
        ))
    }
}

/// A bank code: from the bank_card list, or (`instant_bank`) any short alphanumeric code.
pub(crate) fn bank_code(raw: &str, from_list: bool) -> Result<String, Failure> {
    let code = raw.to_ascii_uppercase();
    if from_list {
        if is_bank_card_code(&code) {
            return Ok(code);
        }
        return Err(Failure::invalid(
            "bankCode",
            "bankCode must be one of Paymob's bank codes (e.g. CIB, NBE, MISR, QNB)",
        ));
    }
    if code.len() <= 20 && code.bytes().all(|b| b.is_ascii_alphanumeric()) {
        Ok(code)
    } else {
        Err(Failure::invalid(
            "bankCode",
            "bankCode must be an alphanumeric bank code",
        ))
    }
}

pub(crate) fn bank_transaction_type(raw: &str) -> Result<String, Failure> {
    let t = raw.to_ascii_lowercase();
    if BANK_TRANSACTION_TYPES.contains(&t.as_str()) {
        Ok(t)
    } else {
        Err(Failure::invalid(
            "bankTransactionType",
            format!(
                "bankTransactionType must be one of {}",
                BANK_TRANSACTION_TYPES.join(", ")
            ),
        ))
    }
}

pub(crate) fn pin(raw: &str) -> Result<String, Failure> {
    if raw.len() == 6 && raw.bytes().all(|b| b.is_ascii_digit()) {
        Ok(raw.to_owned())
    } else {
        Err(Failure::invalid("pin", "pin must be 6 digits"))
    }
}

/// `Full`, `Half` or `No`. The server's validator only knows the choice `No fees` (the
/// 2020 docs said `No`), so `No` is sent as `No fees`.
pub(crate) fn fees(raw: &str) -> Result<&'static str, Failure> {
    match raw.to_ascii_lowercase().as_str() {
        "full" => Ok("Full"),
        "half" => Ok("Half"),
        "no" | "no fees" => Ok("No fees"),
        _ => Err(Failure::invalid(
            "fees",
            "fees must be 'Full', 'Half' or 'No'",
        )),
    }
}

pub(crate) fn comment(raw: &str) -> Result<String, Failure> {
    if raw.chars().count() <= MAX_COMMENT {
        Ok(raw.to_owned())
    } else {
        Err(Failure::invalid(
            "comment",
            format!("comment must be at most {MAX_COMMENT} characters"),
        ))
    }
}

pub(crate) fn national_id(raw: &str) -> Result<String, Failure> {
    if raw.len() == 14 && raw.bytes().all(|b| b.is_ascii_digit()) {
        Ok(raw.to_owned())
    } else {
        Err(Failure::invalid(
            "nationalId",
            "nationalId must be 14 digits",
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn amounts() {
        assert_eq!(amount(Some(&json!(100)), None).unwrap(), 100.0);
        assert_eq!(amount(Some(&json!("10.50")), None).unwrap(), 10.5);
        assert_eq!(amount(Some(&json!(0.1)), None).unwrap(), 0.1);
        for bad in [
            json!(0),
            json!(-5),
            json!("1.234"),
            json!(1.005),
            json!("abc"),
            json!("1e3"),
            json!(true),
            json!(""),
            json!("."),
            json!("5."),
            json!(10_000_000),
        ] {
            assert!(amount(Some(&bad), None).is_err(), "{bad}");
        }
        assert!(amount(Some(&json!(111.99)), Some(112.0)).is_err());
        assert!(amount(None, None).is_err());
    }

    #[test]
    fn msisdns_names_cards() {
        assert_eq!(msisdn("01023456789").unwrap(), "01023456789");
        assert_eq!(msisdn("+201023456789").unwrap(), "01023456789");
        assert!(msisdn("0102345678").is_err());
        assert!(msisdn("02023456789").is_err());
        assert!(name("fullName", "Ahmed & Co").is_err());
        assert!(name("fullName", &"a".repeat(71)).is_err());
        assert_eq!(
            bank_card_number("1111-2222 3333 4444").unwrap(),
            "1111222233334444"
        );
        assert!(bank_card_number("EG829299835722904511873050307").is_ok());
        assert!(bank_card_number("12345").is_err());
        assert!(bank_code("cib", true).is_ok());
        assert!(bank_code("XXX", true).is_err());
        assert!(bank_code("XXX", false).is_ok());
        assert_eq!(fees("no").unwrap(), "No fees");
        assert!(email("a@b.co").is_ok());
        assert!(email("a@b").is_err());
    }
}
