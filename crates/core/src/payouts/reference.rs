//! Deterministic references: the same item of the same batch always gets the same one,
//! so every resend is deduplicated by the provider; only a new generation changes it.

use hmac::{Hmac, Mac};
use sha2::Sha256;

/// HMAC-SHA256(secret, batch id, key, generation), its first 16 bytes laid out as a UUID
/// version 4 (MTN refuses any other `X-Reference-Id`). The fields are length-prefixed so
/// no two (batch, key) pairs feed the same bytes.
pub fn reference(secret: &[u8], batch_id: &str, key: &str, generation: u32) -> String {
    let mut mac = match Hmac::<Sha256>::new_from_slice(secret) {
        Ok(m) => m,
        // HMAC takes keys of any length; this arm is never taken.
        Err(_) => return uuid::Uuid::nil().to_string(),
    };
    for part in [batch_id.as_bytes(), key.as_bytes()] {
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

    #[test]
    fn stable_v4_and_distinct() {
        let a = reference(b"s", "b1", "k1", 0);
        assert_eq!(a, reference(b"s", "b1", "k1", 0));
        let u = uuid::Uuid::parse_str(&a).unwrap();
        assert_eq!(u.get_version_num(), 4);
        assert_eq!(u.get_variant(), uuid::Variant::RFC4122);
        assert_ne!(a, reference(b"s", "b1", "k1", 1));
        assert_ne!(a, reference(b"s", "b1", "k2", 0));
        assert_ne!(a, reference(b"t", "b1", "k1", 0));
        assert_eq!(secret_check(b"s"), secret_check(b"s"));
        assert_ne!(secret_check(b"s"), secret_check(b"t"));
        assert_eq!(secret_check(b"s").len(), 64);
        assert_ne!(
            reference(b"s", "b1k", "1", 0),
            reference(b"s", "b1", "k1", 0)
        );
    }
}
