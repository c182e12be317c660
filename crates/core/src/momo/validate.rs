//! Local validation of every MoMo argument, before any request is built. Each function
//! returns the value in the form it will be sent, or an `InvalidData`-family failure
//! naming the argument. Nothing that passes can change a URL path or inject a header.

use crate::failure::{Failure, FailureKind};
use crate::input::Arg;

fn expect_string<'a>(arg: &'a Arg, field: &str) -> Result<&'a str, Failure> {
    match arg {
        Arg::String(s) => Ok(s),
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

/// `X-Target-Environment`: `sandbox`, or a production name such as `mtnuganda`.
pub fn target(arg: &Arg, field: &str) -> Result<String, Failure> {
    let s = expect_string(arg, field)?;
    let ok = !s.is_empty()
        && s.len() <= 64
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if ok {
        Ok(s.to_owned())
    } else {
        Err(Failure::invalid(
            field,
            format!(
                "{field} must be a target environment name such as \"sandbox\" or \"mtnuganda\""
            ),
        ))
    }
}

/// An ISO 4217 code: three capital letters.
pub fn currency(arg: &Arg, field: &str) -> Result<String, Failure> {
    let s = expect_string(arg, field)?;
    if s.len() == 3 && s.chars().all(|c| c.is_ascii_uppercase()) {
        Ok(s.to_owned())
    } else {
        Err(Failure::invalid(
            field,
            format!("{field} must be an ISO 4217 currency code such as \"EUR\""),
        ))
    }
}

/// An MSISDN in E.164 form without the `+`: digits only.
pub fn msisdn(arg: &Arg, field: &str) -> Result<String, Failure> {
    let s = expect_string(arg, field)?;
    if (5..=15).contains(&s.len()) && s.chars().all(|c| c.is_ascii_digit()) {
        Ok(s.to_owned())
    } else {
        Err(Failure::invalid(
            field,
            format!("{field} must be an MSISDN of 5 to 15 digits, without \"+\""),
        ))
    }
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
    fn path_values_cannot_escape() {
        assert!(msisdn(&"../../v1_0".into(), "msisdn").is_err());
        assert!(account(&"a%2e@x.io".into(), "email", "account").is_err());
        assert!(currency(&"EU/".into(), "currency").is_err());
        assert!(target(&"sandbox\r\n".into(), "target").is_err());
        assert!(callback_url(&"http://h/cb\r\nX: y".into(), "urlCallback").is_err());
    }
}
