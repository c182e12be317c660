//! The options of `Payouts.open({...})`, read once.

use serde_json::{Map, Value};

use super::rails::{LookupPacing, Rail, RAILS};
use crate::failure::Failure;
use crate::input::{json_type_name, transport_settings, OptionsReader};

/// A provider that answers nothing for this long stops the run (its items are left as they
/// are for the next run).
const UNREACHABLE_MS: f64 = 60_000.0;
const MIN_SECRET: usize = 16;

/// One provider's account: its client options and the engine's pacing.
#[derive(Clone)]
pub struct Account {
    /// The client's own options (Disbursements or PaymobPayouts), pacing removed.
    pub client: Value,
    /// Sends a second; `None` is unlimited.
    pub sends_per_second: Option<f64>,
    pub lookups_per_second: f64,
    /// How long after an item of this account was written `sending` its request may still
    /// be on the wire (see [`lease_ms`]).
    pub lease_ms: i64,
    /// How long the provider may answer nothing at all before the run stops.
    pub unreachable_ms: i64,
}

#[derive(Clone)]
pub struct Options {
    /// `sqlite:PATH` or `postgres://…`, as given (it may hold a password: never shown).
    pub ledger: String,
    /// `None`: opened read-only (a ledger alone, no secret and no account).
    pub secret: Option<Vec<u8>>,
    /// The rails given options, each with its account.
    pub accounts: Vec<(&'static Rail, Account)>,
}

impl std::fmt::Debug for Options {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Options").finish_non_exhaustive()
    }
}

fn rate(map: &Map<String, Value>, provider: &str, name: &str) -> Result<Option<f64>, Failure> {
    let field = format!("{provider}.{name}");
    match map.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => match n.as_f64() {
            Some(f) if f.is_finite() && f > 0.0 && f <= 1_000_000.0 => Ok(Some(f)),
            _ => Err(Failure::invalid(
                &field,
                format!("options.{field} must be a number above 0"),
            )),
        },
        Some(_) => Err(Failure::invalid(
            &field,
            format!("options.{field} must be a number"),
        )),
    }
}

/// The longest a send may still be under way after its claim, from the client's transport
/// settings: the token request, the send itself and the lookup after an uncertain send,
/// each with every attempt timing out and the longest wait between attempts (a
/// `Retry-After` is held up to the backoff's cap); half as much again for margin. Until
/// then no other step looks the item up, as a lookup could race the send and have it sent
/// again.
fn lease_ms(client: &Value) -> i64 {
    let settings = OptionsReader::of(client, "options")
        .and_then(|r| transport_settings(&r))
        .unwrap_or_default();
    let retry = settings.retry;
    let one = settings.timeout.saturating_mul(retry.max_retries + 1)
        + retry.max_delay.saturating_mul(retry.max_retries);
    let lease = one.saturating_mul(3).saturating_mul(3) / 2;
    i64::try_from(lease.as_millis()).unwrap_or(i64::MAX)
}

fn account(reader: &OptionsReader<'_>, rail: &Rail) -> Result<Option<Account>, Failure> {
    let provider = rail.id;
    let mut map = match reader.value(provider) {
        None => return Ok(None),
        Some(Value::Object(m)) => m.clone(),
        Some(other) => {
            return Err(Failure::invalid(
                provider,
                format!(
                    "options.{provider} must be an object of client options, got {}",
                    json_type_name(other)
                ),
            ))
        }
    };
    let sends = rate(&map, provider, "ratePerSecond")?;
    let lookups = rate(&map, provider, "lookupsPerSecond")?;
    let unreachable = rate(&map, provider, "unreachableAfterMs")?.unwrap_or(UNREACHABLE_MS);
    for engine_option in ["ratePerSecond", "lookupsPerSecond", "unreachableAfterMs"] {
        map.remove(engine_option);
    }
    let lookups_per_second = match rail.lookups {
        LookupPacing::PerSecond(default) => lookups.unwrap_or(default),
        LookupPacing::ClientPerMinute(default) => {
            // The client keeps its own count of inquiries a minute: keep the two in step.
            let per_minute = match (
                lookups,
                map.get("inquiriesPerMinute").and_then(Value::as_f64),
            ) {
                (Some(l), _) => l * 60.0,
                (None, Some(m)) => m,
                (None, None) => default,
            };
            map.insert(
                "inquiriesPerMinute".into(),
                Value::from(per_minute.ceil().clamp(1.0, 100_000.0) as u64),
            );
            per_minute / 60.0
        }
    };
    let client = Value::Object(map);
    Ok(Some(Account {
        lease_ms: lease_ms(&client),
        unreachable_ms: unreachable as i64,
        client,
        sends_per_second: sends,
        lookups_per_second,
    }))
}

/// What options that are not an object fail with; `got` names what they are
/// (`input::json_type_name`, or the binding's name of a JavaScript value JSON cannot hold).
pub fn not_an_object(got: &str) -> Failure {
    Failure::invalid(
        "options",
        format!("options must be an object with secret and momo or paymob, got {got}"),
    )
}

impl Options {
    /// Reads and checks the options of `Payouts.open`: [`parse`].
    pub fn from_json(options: &Value) -> Result<Options, Failure> {
        parse(options)
    }
}

/// Reads and checks the options of `Payouts.open`.
pub fn parse(options: &Value) -> Result<Options, Failure> {
    if !options.is_object() {
        return Err(not_an_object(json_type_name(options)));
    }
    crate::option_names::check_payouts(options)?;
    let reader = OptionsReader::of(options, "options")?;
    // A ledger named alone opens it read-only: reading a batch needs no key and no
    // account. (Without a ledger named, nothing is opened: `{}` is a mistake, not a wish
    // to read ./payouts.db.)
    let ledger_alone =
        reader.string("ledger")?.is_some() && RAILS.iter().all(|r| reader.value(r.id).is_none());
    let secret = match reader.string("secret")? {
        Some(s) if s.len() >= MIN_SECRET => Some(s.into_bytes()),
        None if ledger_alone => None,
        _ => {
            return Err(Failure::invalid(
                "secret",
                format!("options.secret is required: a string of at least {MIN_SECRET} characters that keys the payout references"),
            ))
        }
    };
    if reader.value("queue").is_some() {
        return Err(Failure::invalid(
            "queue",
            "options.queue (BullMQ workers) is not available in this version; leave it out to run batches in this process",
        ));
    }
    let ledger = reader
        .string("ledger")?
        .unwrap_or_else(|| "sqlite:./payouts.db".to_owned());
    let mut accounts = Vec::new();
    for rail in &RAILS {
        if let Some(a) = account(&reader, rail)? {
            accounts.push((rail, a));
        }
    }
    if accounts.is_empty() && secret.is_some() {
        let names: Vec<&str> = RAILS.iter().map(|r| r.id).collect();
        return Err(Failure::invalid(
            "options",
            format!(
                "options need the account of at least one rail ({}): the accounts that pay",
                names.join(", ")
            ),
        ));
    }
    Ok(Options {
        ledger,
        secret,
        accounts,
    })
}
