//! Deterministic references: the same item of the same batch always gets the same one,
//! so every resend is deduplicated by the provider; only a new generation changes it.

use hmac::{Hmac, Mac};
use sha2::Sha256;

use super::ledger::NewItem;

/// HMAC-SHA256(secret, batch id, key, amount, currency, the whole item, generation), its
/// first 16 bytes laid out as a UUID version 4 (MTN refuses any other `X-Reference-Id`).
/// The payment's content is in it (guarantee 2 of docs/bulk-payouts.md): two ledgers that share a secret and
/// a batch id never make one reference for two different payments. The fields are
/// length-prefixed so no two tuples feed the same bytes.
pub fn reference(secret: &[u8], batch_id: &str, item: &NewItem, generation: u32) -> String {
    let mut mac = match Hmac::<Sha256>::new_from_slice(secret) {
        Ok(m) => m,
        // HMAC takes keys of any length; this arm is never taken.
        Err(_) => return uuid::Uuid::nil().to_string(),
    };
    let spec = item.spec.to_string();
    for part in [
        batch_id.as_bytes(),
        item.key.as_bytes(),
        item.amount.as_bytes(),
        item.currency.as_bytes(),
        spec.as_bytes(),
    ] {
        mac.update(&(part.len() as u64).to_be_bytes());
        mac.update(part);
    }
    mac.update(&generation.to_be_bytes());
    let digest = mac.finalize().into_bytes();
    let mut bytes = [0u8; 16];
    for (b, d) in bytes.iter_mut().zip(digest.iter()) {
        *b = *d;
    }
    uuid::Builder::from_random_bytes(bytes)
        .into_uuid()
        .hyphenated()
        .to_string()
}

/// HMAC-SHA256(secret, a fixed label) in hex: kept with a batch so that a step run with
/// another secret (whose references would all differ) is refused. It reveals nothing of
/// the secret and cannot be used to make references.
pub fn secret_check(secret: &[u8]) -> String {
    match Hmac::<Sha256>::new_from_slice(secret) {
        Ok(mut mac) => {
            mac.update(b"mobilemoney-native payouts: the secret of this batch");
            mac.finalize()
                .into_bytes()
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect()
        }
        Err(_) => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::payouts::ledger::RailId;

    fn item(key: &str, amount: &str, party: &str) -> NewItem {
        NewItem {
            key: key.into(),
            provider: RailId::from("momo"),
            amount: amount.into(),
            currency: "EUR".into(),
            spec: serde_json::json!({ "key": key, "amount": amount, "currency": "EUR", "party": party }),
        }
    }

    #[test]
    fn stable_v4_and_distinct() -> Result<(), uuid::Error> {
        let one = item("k1", "10", "46733123450");
        let a = reference(b"s", "b1", &one, 0);
        assert_eq!(a, reference(b"s", "b1", &one, 0));
        let u = uuid::Uuid::parse_str(&a)?;
        assert_eq!(u.get_version_num(), 4);
        assert_eq!(u.get_variant(), uuid::Variant::RFC4122);
        assert_ne!(a, reference(b"s", "b1", &one, 1));
        assert_ne!(
            a,
            reference(b"s", "b1", &item("k2", "10", "46733123450"), 0)
        );
        assert_ne!(a, reference(b"t", "b1", &one, 0));
        // Bound to the payment: another amount or payee is another reference.
        assert_ne!(
            a,
            reference(b"s", "b1", &item("k1", "950", "46733123450"), 0)
        );
        assert_ne!(
            a,
            reference(b"s", "b1", &item("k1", "10", "46733123451"), 0)
        );
        assert_eq!(secret_check(b"s"), secret_check(b"s"));
        assert_ne!(secret_check(b"s"), secret_check(b"t"));
        assert_eq!(secret_check(b"s").len(), 64);
        assert_ne!(
            reference(b"s", "b1k", &item("1", "10", "4673"), 0),
            reference(b"s", "b1", &item("k1", "10", "4673"), 0)
        );
        Ok(())
    }
}
