//! The option names each class knows, and the check that reports any other name once, at
//! construction, with the nearest known name when it looks like a typo (`timeOutMs`).

use serde_json::{Map, Value};

use crate::failure::Failure;
use crate::input::Arg;

/// What every provider client reads: the transport's settings and the observers.
pub const TRANSPORT: &[&str] = &[
    "timeoutMs",
    "maxRetries",
    "retryBackoffMs",
    "maxConcurrentRequests",
    "allowInsecureHttp",
    "onEvent",
    "logger",
];

/// `Disbursements`, `Collection`, `Remittance` and `Client` (which hands its options to the
/// product clients it makes).
pub const MOMO: &[&str] = &[
    "baseUrl",
    "environment",
    "targetEnvironment",
    "apiUser",
    "apiKey",
    "callbackUrl",
];

/// `PaymobPayouts`; the API's snake_case spellings are accepted too.
pub const PAYMOB: &[&str] = &[
    "clientId",
    "client_id",
    "clientSecret",
    "client_secret",
    "username",
    "password",
    "environment",
    "baseUrl",
    "base_url",
    "inquiriesPerMinute",
];

/// `Payouts.open`.
pub const PAYOUTS: &[&str] = &[
    "ledger", "secret", "momo", "paymob", "onEvent", "logger", "queue",
];

/// What an account of `Payouts.open` adds to its client's options.
pub const PAYOUTS_ACCOUNT: &[&str] = &["ratePerSecond", "lookupsPerSecond", "unreachableAfterMs"];

/// The nearest of `known` to `name`, when it is near enough to be a typo of it.
pub fn nearest<'a>(name: &str, known: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let lower = name.to_ascii_lowercase();
    known
        .into_iter()
        .map(|k| {
            let score = strsim::normalized_damerau_levenshtein(&lower, &k.to_ascii_lowercase());
            (k, score)
        })
        .filter(|(_, score)| *score >= 0.6)
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(k, _)| k)
}

/// `options.<name> is not an option of <class>` (+ "; did you mean …?").
pub fn unknown(prefix: &str, name: &str, class: &str, known: &[&[&str]]) -> Failure {
    let field = format!("{prefix}{name}");
    let hint = nearest(name, known.iter().flat_map(|k| k.iter().copied()))
        .map(|k| format!("; did you mean {prefix}{k}?"))
        .unwrap_or_else(|| ".".to_owned());
    Failure::invalid(
        &field,
        format!("options.{field} is not an option of {class}{hint}"),
    )
}

/// The first name of `map` that is none of `known`, as a failure.
pub fn check_map(
    map: &Map<String, Value>,
    prefix: &str,
    class: &str,
    known: &[&[&str]],
) -> Result<(), Failure> {
    match map
        .keys()
        .find(|k| !known.iter().any(|list| list.contains(&k.as_str())))
    {
        Some(name) => Err(unknown(prefix, name, class, known)),
        None => Ok(()),
    }
}

/// [`check_map`] for an options argument; anything but an object is left to its reader.
pub fn check(options: &Arg, class: &str, known: &[&[&str]]) -> Result<(), Failure> {
    match options {
        Arg::Json(Value::Object(map)) => check_map(map, "", class, known),
        _ => Ok(()),
    }
}

/// The names of `Payouts.open`, its accounts' included (`momo.timeOutMs`).
pub fn check_payouts(options: &Value) -> Result<(), Failure> {
    let Value::Object(map) = options else {
        return Ok(());
    };
    check_map(map, "", "Payouts", &[PAYOUTS])?;
    let momo: &[&[&str]] = &[MOMO, TRANSPORT, PAYOUTS_ACCOUNT, &["subscriptionKey"]];
    let paymob: &[&[&str]] = &[PAYMOB, TRANSPORT, PAYOUTS_ACCOUNT];
    for (name, known) in [("momo", momo), ("paymob", paymob)] {
        if let Some(Value::Object(account)) = map.get(name) {
            check_map(account, &format!("{name}."), "Payouts", known)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn message(options: Value, class: &str, known: &[&[&str]]) -> String {
        check(&Arg::Json(options), class, known)
            .err()
            .map(|f| f.message)
            .unwrap_or_default()
    }

    #[test]
    fn typos_get_the_nearest_name() {
        let momo: &[&[&str]] = &[MOMO, TRANSPORT];
        let cases = [
            (
                json!({"timeOutMs": 5}),
                "options.timeOutMs is not an option of Disbursements; did you mean timeoutMs?",
            ),
            (
                json!({"timeout": 5}),
                "options.timeout is not an option of Disbursements; did you mean timeoutMs?",
            ),
            (
                json!({"baseURL": "x"}),
                "options.baseURL is not an option of Disbursements; did you mean baseUrl?",
            ),
            (
                json!({"apiuser": "x"}),
                "options.apiuser is not an option of Disbursements; did you mean apiUser?",
            ),
            (
                json!({"colour": "red"}),
                "options.colour is not an option of Disbursements.",
            ),
        ];
        for (options, expected) in cases {
            assert_eq!(message(options, "Disbursements", momo), expected);
        }
    }

    #[test]
    fn known_names_pass() {
        let all =
            json!({"baseUrl": "x", "timeoutMs": 1, "apiUser": "u", "apiKey": "k", "logger": {}});
        assert!(check(&Arg::Json(all), "Collection", &[MOMO, TRANSPORT]).is_ok());
        assert!(check(&Arg::Undefined, "Collection", &[MOMO]).is_ok());
    }

    #[test]
    fn payouts_accounts_are_checked_with_their_prefix() {
        let bad = json!({"secret": "s", "momo": {"subscriptionKey": "k", "ratePerSecnd": 3}});
        let f = check_payouts(&bad).err();
        assert_eq!(
            f.as_ref().and_then(|f| f.field.as_deref()),
            Some("momo.ratePerSecnd")
        );
        assert_eq!(
            f.map(|f| f.message).unwrap_or_default(),
            "options.momo.ratePerSecnd is not an option of Payouts; did you mean momo.ratePerSecond?"
        );
        let good = json!({"secret": "s", "paymob": {"client_id": "x", "lookupsPerSecond": 1}});
        assert!(check_payouts(&good).is_ok());
    }
}
