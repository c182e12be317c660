//! Local validation of every MoMo argument, before any request is built. Each function
//! returns the value in the form it will be sent, or an `InvalidData`-family failure
//! naming the argument. Nothing that passes can change a URL path or inject a header.

use crate::failure::{Failure, FailureKind};
use crate::input::Arg;

fn expect_string<'a>(arg: &'a Arg, field: &str) -> Result<&'a str, Failure> {
    match arg {
        Arg::String(s) => Ok(s),
        Arg::Number(n) if !n.is_finite() => Err(Failure::invalid(
            field,
            format!("{field} is {n}: not a number"),
        )),
        other => Err(Failure::invalid(
            field,
            format!("{field} must be a string, got {}", other.type_name()),
        )),
    }
}

/// A UUID version 4 in its canonical hyphenated form (it becomes `X-Reference-Id` or a
/// path segment).
pub fn uuid_v4(arg: &Arg, field: &str) -> Result<String, Failure> {
    let invalid = || {
        Failure::new(
            FailureKind::InvalidUniqueIdVersion,
            format!("{field} must be a UUID version 4"),
        )
        .with_field(field)
    };
    let s = arg.as_str().ok_or_else(invalid)?;
    if s.len() != 36 {
        return Err(invalid());
    }
    match uuid::Uuid::try_parse(s) {
        Ok(u) if u.get_version_num() == 4 => Ok(s.to_ascii_lowercase()),
        _ => Err(invalid()),
    }
}

fn is_token_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "-._~+/=".contains(c)
}

/// A whole `Authorization` value with the given scheme prefix (`"Basic "`/`"Bearer "`).
pub fn authorization(arg: &Arg, scheme: &str, field: &str) -> Result<String, Failure> {
    let kind = if scheme == "Basic" {
        FailureKind::InvalidBasicToken
    } else {
        FailureKind::InvalidBearerToken
    };
    let bad = |why: &str| Failure::new(kind, format!("{field} {why}")).with_field(field);
    let s = arg
        .as_str()
        .ok_or_else(|| bad(&format!("must be a string starting with \"{scheme} \"")))?;
    let token = s
        .strip_prefix(scheme)
        .and_then(|r| r.strip_prefix(' '))
        .ok_or_else(|| bad(&format!("must start with \"{scheme} \"")))?;
    if token.is_empty() || token.len() > 8192 || !token.chars().all(is_token_char) {
        return Err(bad("holds characters a token cannot contain"));
    }
    Ok(s.to_owned())
}

/// `s` when `ok`; else the failure saying `field` must be `what`.
fn accepted(ok: bool, s: &str, field: &str, what: &str) -> Result<String, Failure> {
    if ok {
        Ok(s.to_owned())
    } else {
        Err(Failure::invalid(field, format!("{field} must be {what}")))
    }
}

/// `X-Target-Environment`: `sandbox`, or a production name such as `mtnuganda`.
pub fn target(arg: &Arg, field: &str) -> Result<String, Failure> {
    let s = expect_string(arg, field)?;
    let ok = !s.is_empty()
        && s.len() <= 64
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    accepted(
        ok,
        s,
        field,
        "a target environment name such as \"sandbox\" or \"mtnuganda\"",
    )
}

/// A currency of ISO 4217 (the `iso_currency` list), in its upper-case code.
pub fn currency(arg: &Arg, field: &str) -> Result<String, Failure> {
    let s = expect_string(arg, field)?;
    match iso_currency::Currency::from_code(s) {
        Some(c) => Ok(c.code().to_owned()),
        None => Err(Failure::invalid(
            field,
            format!("{field} must be an ISO 4217 currency code such as \"EUR\" or \"GHS\""),
        )),
    }
}

/// An MSISDN as MTN wants it: the number in international form, digits only, without
/// `+` (`233241234567`). It must be a valid number of its country by libphonenumber's
/// rules (the `phonenumber` crate), so a local-format number such as `0241234567` is
/// refused. MTN's sandbox test numbers (`4673312345x` and the like) are Swedish mobile
/// numbers in this form and pass as they are (see the tests below).
pub fn msisdn(arg: &Arg, field: &str) -> Result<String, Failure> {
    // A number is taken as its digits, as an amount is: 46733123499 as "46733123499".
    let digits_of_number;
    let s = match arg {
        Arg::Number(n) if n.is_finite() && n.fract() == 0.0 && (0.0..1e15).contains(n) => {
            digits_of_number = format!("{n:.0}");
            digits_of_number.as_str()
        }
        _ => expect_string(arg, field)?,
    };
    let digits = (5..=15).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit());
    let valid = digits
        && phonenumber::parse(None, format!("+{s}")).is_ok_and(|n| phonenumber::is_valid(&n));
    accepted(
        valid,
        s,
        field,
        "a phone number in international form, digits only without \"+\" (such as 233241234567, not 0241234567)",
    )
}

fn email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    let allowed = |c: char| c.is_ascii_alphanumeric() || "._+-".contains(c);
    !local.is_empty()
        && domain.contains('.')
        && s.len() <= 254
        && local.chars().all(allowed)
        && domain
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-')
}

/// The account-holder type of `isActive`, lower-cased as the path wants it.
pub fn account_type(arg: &Arg, field: &str) -> Result<String, Failure> {
    if arg.is_absent() {
        return Ok("msisdn".into());
    }
    let s = expect_string(arg, field)?.to_ascii_lowercase();
    match s.as_str() {
        "msisdn" | "email" | "party_code" => Ok(s),
        _ => Err(Failure::invalid(
            field,
            format!("{field} must be one of msisdn, email, party_code"),
        )),
    }
}

/// An account of the given type, safe as a path segment.
pub fn account(arg: &Arg, account_type: &str, field: &str) -> Result<String, Failure> {
    match account_type {
        "email" => {
            let s = expect_string(arg, field)?;
            if email(s) {
                Ok(s.to_owned())
            } else {
                Err(Failure::invalid(
                    field,
                    format!("{field} must be an e-mail address"),
                ))
            }
        }
        "party_code" => {
            let s = expect_string(arg, field)?;
            let ok = !s.is_empty()
                && s.len() <= 64
                && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
            if ok {
                Ok(s.to_owned())
            } else {
                Err(Failure::invalid(
                    field,
                    format!("{field} must be a party code"),
                ))
            }
        }
        _ => msisdn(arg, field),
    }
}

/// A callback URL: absolute http(s), no credentials, no control characters or spaces.
pub fn callback_url(arg: &Arg, field: &str) -> Result<Option<String>, Failure> {
    if arg.is_absent() {
        return Ok(None);
    }
    let s = expect_string(arg, field)?;
    let bad = || Failure::invalid(field, format!("{field} must be an absolute http(s) URL"));
    if s.len() > 2048 || s.chars().any(|c| c.is_control() || c.is_whitespace()) {
        return Err(bad());
    }
    let url = url::Url::parse(s).map_err(|_| bad())?;
    if !matches!(url.scheme(), "http" | "https")
        || url.host().is_none()
        || !url.username().is_empty()
    {
        return Err(bad());
    }
    Ok(Some(s.to_owned()))
}

/// A callback host for provisioning: a host name or IP, no scheme, port or path.
pub fn callback_host(arg: &Arg, field: &str) -> Result<Option<String>, Failure> {
    if arg.is_absent() {
        return Ok(None);
    }
    let s = expect_string(arg, field)?;
    let ok = !s.is_empty()
        && s.len() <= 253
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || ".-:[]".contains(c));
    if ok {
        Ok(Some(s.to_owned()))
    } else {
        Err(Failure::invalid(
            field,
            format!("{field} must be a host name such as \"example.com\""),
        ))
    }
}

/// A subscription key: printable ASCII without spaces (it becomes a header value).
pub fn subscription_key(arg: &Arg, field: &str) -> Result<String, Failure> {
    let s = expect_string(arg, field)?;
    if !s.is_empty() && s.len() <= 256 && s.chars().all(|c| c.is_ascii_graphic()) {
        Ok(s.to_owned())
    } else {
        Err(Failure::invalid(
            field,
            format!("{field} must be a non-empty key of printable characters"),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuid_v4_only() {
        assert!(uuid_v4(&"3f2504e0-4f89-41d3-9a0c-0305e82c3301".into(), "uuid").is_ok());
        let v1 = uuid_v4(&"c232ab00-9414-11ec-b3c8-9f6bdeced846".into(), "uuid").unwrap_err();
        assert_eq!(v1.kind, FailureKind::InvalidUniqueIdVersion);
        assert!(uuid_v4(&"3f2504e04f8941d39a0c0305e82c3301".into(), "uuid").is_err());
        assert!(uuid_v4(&Arg::Number(4.0), "uuid").is_err());
    }

    #[test]
    fn authorization_prefix_and_charset() {
        assert!(authorization(&"Bearer abc.def".into(), "Bearer", "authorization").is_ok());
        let e = authorization(&"abc".into(), "Bearer", "authorization").unwrap_err();
        assert_eq!(e.kind, FailureKind::InvalidBearerToken);
        let e =
            authorization(&"Basic x\r\nX-Evil: 1".into(), "Basic", "authorization").unwrap_err();
        assert_eq!(e.kind, FailureKind::InvalidBasicToken);
    }

    #[test]
    fn msisdns_are_international_numbers_of_a_country() {
        for ok in ["233241234567", "256771234567", "46700000000", "46123456789"] {
            assert_eq!(msisdn(&ok.into(), "msisdn").unwrap(), ok);
        }
        for bad in [
            "0241234567",
            "+233241234567",
            "233 24 123 4567",
            "2332412",
            "46070911111",
            "12",
            "",
        ] {
            let e = msisdn(&bad.into(), "body.payee.partyId").unwrap_err();
            assert_eq!(e.kind, FailureKind::InvalidData, "{bad}");
            assert_eq!(e.field.as_deref(), Some("body.payee.partyId"));
        }
        // A whole number is taken as its digits, as an amount is; a fraction or NaN is not.
        assert_eq!(
            msisdn(&Arg::Number(233241234567.0), "msisdn")
                .ok()
                .as_deref(),
            Some("233241234567")
        );
        assert!(msisdn(&Arg::Number(23324123456.5), "msisdn").is_err());
        let nan = msisdn(&Arg::Number(f64::NAN), "msisdn").err();
        assert_eq!(
            nan.map(|f| f.message).as_deref(),
            Some("msisdn is NaN: not a number")
        );
    }

    /// Every MSISDN the sandbox's test tables and this repository's tests use: MTN's
    /// sandbox numbers are Swedish mobile numbers in international form, valid as they are.
    #[test]
    fn the_sandbox_test_numbers_stay_valid() {
        let mut numbers: Vec<String> = Vec::new();
        for n in 0..100 {
            numbers.push(format!("467331234{n:02}"));
            numbers.push(format!("467331299{n:02}"));
            numbers.push(format!("467331200{n:02}"));
        }
        for n in (0..10_000).step_by(7) {
            for prefix in ["4673310", "4673312", "4673313", "4673300"] {
                numbers.push(format!("{prefix}{n:04}"));
            }
        }
        numbers.extend(
            ["46733123450", "46733129999", "56733123453", "256710000099"].map(String::from),
        );
        for n in numbers {
            assert!(msisdn(&n.as_str().into(), "msisdn").is_ok(), "{n}");
        }
    }

    #[test]
    fn currencies_are_iso_4217() {
        for ok in [
            "EUR", "GHS", "UGX", "XOF", "XAF", "ZMW", "SZL", "GNF", "ZAR", "LRD", "USD",
        ] {
            assert_eq!(currency(&ok.into(), "currency").unwrap(), ok);
        }
        for bad in ["eur", "ABC", "EURO", "XYZ", "", "E1R"] {
            let e = currency(&bad.into(), "body.currency").unwrap_err();
            assert_eq!(e.kind, FailureKind::InvalidData, "{bad}");
            assert_eq!(e.field.as_deref(), Some("body.currency"));
        }
    }

    #[test]
    fn path_values_cannot_escape() {
        assert!(msisdn(&"../../v1_0".into(), "msisdn").is_err());
        assert!(account(&"a%2e@x.io".into(), "email", "account").is_err());
        assert!(currency(&"EU/".into(), "currency").is_err());
        assert!(target(&"sandbox\r\n".into(), "target").is_err());
        assert!(callback_url(&"http://h/cb\r\nX: y".into(), "urlCallback").is_err());
    }
}
