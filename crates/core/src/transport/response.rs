//! A complete HTTP answer, and the check that a body is JSON without keeping a parse.

use bytes::Bytes;
use reqwest::header::HeaderMap;
use serde_json::Value;

/// A complete HTTP answer.
#[derive(Debug)]
pub struct Response {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: Bytes,
    /// The body as JSON, parsed once by the transport when the answer must carry JSON (it
    /// has to look anyway, to decide whether to retry), and taken by the caller.
    parsed: Option<Value>,
}

impl Response {
    pub fn new(status: u16, headers: HeaderMap, body: Bytes) -> Self {
        Response {
            status,
            headers,
            body,
            parsed: None,
        }
    }

    /// The body parsed as JSON whatever the content type (Paymob's Aman callbacks and some
    /// gateways mislabel it); text that is not JSON becomes a JSON string; empty is null.
    pub fn json(&self) -> Option<Value> {
        if let Some(parsed) = &self.parsed {
            return Some(parsed.clone());
        }
        if self.body.is_empty() {
            return Some(Value::Null);
        }
        serde_json::from_slice(&self.body).ok()
    }

    /// [`Response::json`], taking the value the transport already parsed rather than
    /// parsing again.
    pub fn take_json(&mut self) -> Option<Value> {
        self.parsed.take().or_else(|| self.json())
    }

    /// Parse the body now and keep the value for [`Response::take_json`].
    pub(super) fn parse_json(&mut self) {
        if !self.body.is_empty() {
            self.parsed = serde_json::from_slice(&self.body).ok();
        }
    }

    /// Whether [`Response::json`] would give a value, found without building it when the
    /// body was not parsed already: the retry policy asks this of every 2xx answer that must
    /// carry JSON.
    pub fn is_json(&self) -> bool {
        self.parsed.is_some()
            || self.body.is_empty()
            || serde_json::from_slice::<JsonCheck>(&self.body).is_ok()
    }

    pub fn body_value(&self) -> Value {
        self.json()
            .unwrap_or_else(|| Value::String(String::from_utf8_lossy(&self.body).into_owned()))
    }

    pub fn request_id(&self) -> Option<String> {
        ["x-request-id", "request-id", "x-correlation-id"]
            .iter()
            .find_map(|h| self.headers.get(*h))
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    }
}

/// Accepts exactly the JSON texts `serde_json::Value` accepts (the same parser reads the
/// same tokens: numbers, strings as UTF-8, keys as strings, nesting limit) and keeps nothing.
struct JsonCheck;

impl<'de> serde::Deserialize<'de> for JsonCheck {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(JsonCheck)
    }
}

impl<'de> serde::de::Visitor<'de> for JsonCheck {
    type Value = JsonCheck;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E>(self, _: bool) -> Result<JsonCheck, E> {
        Ok(JsonCheck)
    }
    fn visit_i64<E>(self, _: i64) -> Result<JsonCheck, E> {
        Ok(JsonCheck)
    }
    fn visit_u64<E>(self, _: u64) -> Result<JsonCheck, E> {
        Ok(JsonCheck)
    }
    fn visit_f64<E>(self, _: f64) -> Result<JsonCheck, E> {
        Ok(JsonCheck)
    }
    fn visit_str<E>(self, _: &str) -> Result<JsonCheck, E> {
        Ok(JsonCheck)
    }
    fn visit_unit<E>(self) -> Result<JsonCheck, E> {
        Ok(JsonCheck)
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<JsonCheck, A::Error> {
        while seq.next_element::<JsonCheck>()?.is_some() {}
        Ok(JsonCheck)
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<JsonCheck, A::Error> {
        while map.next_key::<JsonCheck>()?.is_some() {
            map.next_value::<JsonCheck>()?;
        }
        Ok(JsonCheck)
    }
}

#[cfg(test)]
mod json_check_tests {
    use super::*;
    use proptest::prelude::*;

    fn answer(body: &[u8]) -> Response {
        Response::new(200, HeaderMap::new(), Bytes::copy_from_slice(body))
    }

    fn agrees(body: &[u8]) -> bool {
        let r = answer(body);
        let mut parsed = answer(body);
        parsed.parse_json();
        r.is_json() == r.json().is_some()
            && parsed.is_json() == r.is_json()
            && parsed.take_json() == r.json()
    }

    #[test]
    fn is_json_agrees_with_json_on_edge_cases() {
        let deep_ok = format!("{}{}", "[".repeat(100), "]".repeat(100));
        let too_deep = format!("{}{}", "[".repeat(200), "]".repeat(200));
        let cases: Vec<Vec<u8>> = [
            "",
            "null",
            "1",
            "-0",
            "1e400",
            "-1e400",
            "1e-400",
            "18446744073709551616",
            "123456789012345678901234567890",
            "\"a\"",
            "\"\\ud800\"",
            "\"\\u00e9\"",
            "{}",
            "[]",
            "{\"a\":1,\"a\":2}",
            "{1:2}",
            "{\"a\" 1}",
            "[1,]",
            "[1 2]",
            "{\"a\":1} x",
            " 1 ",
            "tru",
            "nul",
            "\"\t\"",
            "\"\\x\"",
            "NaN",
            "Infinity",
            "01",
            "1.",
            ".5",
            "+1",
            deep_ok.as_str(),
            too_deep.as_str(),
        ]
        .iter()
        .map(|s| s.as_bytes().to_vec())
        .chain([
            b"\"\xff\"".to_vec(),
            b"{\"\xc3\":1}".to_vec(),
            b"\xef\xbb\xbf{}".to_vec(),
        ])
        .collect();
        for body in cases {
            assert!(agrees(&body), "{}", String::from_utf8_lossy(&body));
        }
    }

    proptest! {
        #[test]
        fn is_json_agrees_with_json(body in "[ \\[\\]{}:,\"\\\\a-e0-9.+eE\\-tnrulfsu\u{e9}]{0,24}") {
            prop_assert!(agrees(body.as_bytes()));
        }

        #[test]
        fn is_json_agrees_on_bytes(body in proptest::collection::vec(any::<u8>(), 0..16)) {
            prop_assert!(agrees(&body));
        }
    }
}
