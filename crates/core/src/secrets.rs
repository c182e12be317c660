//! Redaction of credentials: every string a client hands back (failure messages and
//! bodies, event lines) passes through the [`Secrets`] of its instance first.

use std::sync::Arc;

use parking_lot::RwLock;
use serde_json::Value;

pub const REDACTED: &str = "[redacted]";

/// The secret strings one client instance knows: keys, passwords, tokens it received.
#[derive(Clone, Default)]
pub struct Secrets {
    inner: Arc<RwLock<Vec<String>>>,
    /// Tokens in the order they were issued, so that only the newest are kept.
    tokens: Arc<parking_lot::Mutex<std::collections::VecDeque<String>>>,
}

/// Issued tokens kept for redaction: older ones have expired and been rotated out, and a
/// long-running process must not grow this list (and its redaction cost) without bound.
const TOKENS_KEPT: usize = 16;

impl std::fmt::Debug for Secrets {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Secrets({} redacted)", self.inner.read().len())
    }
}

impl Secrets {
    /// Remember a secret. Very short values are not worth redacting (and would mangle text).
    pub fn add(&self, secret: &str) {
        if secret.len() < 4 {
            return;
        }
        let mut list = self.inner.write();
        if !list.iter().any(|s| s == secret) {
            list.push(secret.to_owned());
            // Longest first, so a secret that contains another is replaced whole.
            list.sort_by_key(|s| std::cmp::Reverse(s.len()));
        }
    }

    /// Remember an issued token (access or refresh); only the newest are kept.
    pub fn add_token(&self, token: &str) {
        if token.len() < 4 {
            return;
        }
        let evicted = {
            let mut tokens = self.tokens.lock();
            if tokens.iter().any(|t| t == token) {
                return;
            }
            tokens.push_back(token.to_owned());
            if tokens.len() > TOKENS_KEPT {
                tokens.pop_front()
            } else {
                None
            }
        };
        let mut list = self.inner.write();
        if let Some(old) = evicted {
            list.retain(|s| *s != old);
        }
        if !list.iter().any(|s| s == token) {
            list.push(token.to_owned());
            list.sort_by_key(|s| std::cmp::Reverse(s.len()));
        }
    }

    pub fn redact_str(&self, text: &str) -> String {
        let list = self.inner.read();
        let mut out = text.to_owned();
        for s in list.iter() {
            if out.contains(s.as_str()) {
                out = out.replace(s.as_str(), REDACTED);
            }
        }
        out
    }

    pub fn redact_json(&self, value: &mut Value) {
        match value {
            Value::String(s) => {
                let r = self.redact_str(s);
                if r != *s {
                    *s = r;
                }
            }
            Value::Array(items) => items.iter_mut().for_each(|v| self.redact_json(v)),
            Value::Object(map) => {
                for (k, v) in map.iter_mut() {
                    if is_secret_key(k) {
                        if !v.is_null() {
                            *v = Value::from(REDACTED);
                        }
                    } else {
                        self.redact_json(v);
                    }
                }
            }
            _ => {}
        }
    }
}

/// Body keys whose values are credentials whatever they contain.
pub fn is_secret_key(key: &str) -> bool {
    matches!(
        key.to_ascii_lowercase().as_str(),
        "access_token"
            | "refresh_token"
            | "apikey"
            | "api_key"
            | "password"
            | "client_secret"
            | "authorization"
            | "pin"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_only_the_newest_tokens() {
        let s = Secrets::default();
        s.add("permanent-key");
        for i in 0..100 {
            s.add_token(&format!("token-{i:04}"));
        }
        assert_eq!(s.inner.read().len(), TOKENS_KEPT + 1);
        assert_eq!(
            s.redact_str("token-0099 permanent-key"),
            "[redacted] [redacted]"
        );
        assert_eq!(s.redact_str("token-0000"), "token-0000");
    }

    #[test]
    fn redacts_strings_and_secret_keys() {
        let s = Secrets::default();
        s.add("supersecretkey");
        assert_eq!(s.redact_str("key=supersecretkey!"), "key=[redacted]!");
        let mut v = serde_json::json!({"msg": "x supersecretkey", "access_token": "abc", "n": [ "supersecretkey" ]});
        s.redact_json(&mut v);
        assert_eq!(
            v,
            serde_json::json!({"msg": "x [redacted]", "access_token": "[redacted]", "n": ["[redacted]"]})
        );
    }
}
