//! The one error type of the library: a [`Failure`] with a stable [`FailureKind`].
//!
//! Every error is a value until the binding turns it into the JavaScript failure object
//! (`Failure::to_json`), the only place its shape is decided.

use serde_json::{Map, Value};

/// The stable `error` kinds of a failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FailureKind {
    InvalidData,
    InvalidUniqueIdVersion,
    InvalidBasicToken,
    InvalidBearerToken,
    Unauthorized,
    Forbidden,
    NotFound,
    Conflict,
    RateLimited,
    MomoServerError,
    ProviderError,
    HttpError,
    Timeout,
    NetworkError,
    UnknownOutcome,
}

impl FailureKind {
    /// Every kind, in declaration order (the TypeScript union is tested against it).
    pub const ALL: [FailureKind; 15] = [
        FailureKind::InvalidData,
        FailureKind::InvalidUniqueIdVersion,
        FailureKind::InvalidBasicToken,
        FailureKind::InvalidBearerToken,
        FailureKind::Unauthorized,
        FailureKind::Forbidden,
        FailureKind::NotFound,
        FailureKind::Conflict,
        FailureKind::RateLimited,
        FailureKind::MomoServerError,
        FailureKind::ProviderError,
        FailureKind::HttpError,
        FailureKind::Timeout,
        FailureKind::NetworkError,
        FailureKind::UnknownOutcome,
    ];

    /// The position in [`FailureKind::ALL`]; the exhaustive match makes a new kind a
    /// compile error here until it is placed in `ALL`.
    pub fn index(self) -> usize {
        match self {
            FailureKind::InvalidData => 0,
            FailureKind::InvalidUniqueIdVersion => 1,
            FailureKind::InvalidBasicToken => 2,
            FailureKind::InvalidBearerToken => 3,
            FailureKind::Unauthorized => 4,
            FailureKind::Forbidden => 5,
            FailureKind::NotFound => 6,
            FailureKind::Conflict => 7,
            FailureKind::RateLimited => 8,
            FailureKind::MomoServerError => 9,
            FailureKind::ProviderError => 10,
            FailureKind::HttpError => 11,
            FailureKind::Timeout => 12,
            FailureKind::NetworkError => 13,
            FailureKind::UnknownOutcome => 14,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            FailureKind::InvalidData => "InvalidData",
            FailureKind::InvalidUniqueIdVersion => "InvalidUniqueIDVersion",
            FailureKind::InvalidBasicToken => "InvalidBasicToken",
            FailureKind::InvalidBearerToken => "InvalidBearerToken",
            FailureKind::Unauthorized => "Unauthorized",
            FailureKind::Forbidden => "Forbidden",
            FailureKind::NotFound => "NotFound",
            FailureKind::Conflict => "Conflict",
            FailureKind::RateLimited => "RateLimited",
            FailureKind::MomoServerError => "MomoServerError",
            FailureKind::ProviderError => "ProviderError",
            FailureKind::HttpError => "HTTPError",
            FailureKind::Timeout => "Timeout",
            FailureKind::NetworkError => "NetworkError",
            FailureKind::UnknownOutcome => "UnknownOutcome",
        }
    }

    /// The kind for a non-2xx HTTP status. `momo` picks `MomoServerError` for 5xx.
    pub fn for_status(status: u16, momo: bool) -> FailureKind {
        match status {
            400 => FailureKind::InvalidData,
            401 => FailureKind::Unauthorized,
            403 => FailureKind::Forbidden,
            404 => FailureKind::NotFound,
            409 => FailureKind::Conflict,
            429 => FailureKind::RateLimited,
            500..=599 if momo => FailureKind::MomoServerError,
            _ => FailureKind::HttpError,
        }
    }
}

impl std::fmt::Display for FailureKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a call did not succeed. Messages are built by this crate, never from a secret.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{kind}: {message}")]
pub struct Failure {
    pub kind: FailureKind,
    pub message: String,
    pub status: Option<u16>,
    pub code: Option<String>,
    pub body: Option<Value>,
    pub field: Option<String>,
    pub reference_id: Option<String>,
    pub retryable: bool,
    /// The provider's request id header, when one came back (stripe-style tracing).
    pub request_id: Option<String>,
    /// How many HTTP attempts the call made.
    pub attempts: u32,
    /// A 429's `Retry-After`, when it gave one.
    pub retry_after: Option<std::time::Duration>,
    /// The call stopped at the account's own token (it could not be had): nothing of the
    /// call itself was sent. A failure of the account, never of what the call was for.
    pub account: bool,
}

impl Failure {
    pub fn new(kind: FailureKind, message: impl Into<String>) -> Self {
        Failure {
            kind,
            message: message.into(),
            status: None,
            code: None,
            body: None,
            field: None,
            reference_id: None,
            retryable: false,
            request_id: None,
            attempts: 0,
            retry_after: None,
            account: false,
        }
    }

    /// A local validation failure of one argument or body field.
    pub fn invalid(field: &str, message: impl Into<String>) -> Self {
        Failure::new(FailureKind::InvalidData, message).with_field(field)
    }

    pub fn with_field(mut self, field: &str) -> Self {
        self.field = Some(field.to_owned());
        self
    }

    pub fn with_status(mut self, status: u16) -> Self {
        self.status = Some(status);
        self
    }

    pub fn with_code(mut self, code: impl Into<String>) -> Self {
        self.code = Some(code.into());
        self
    }

    pub fn with_body(mut self, body: Value) -> Self {
        self.body = Some(body);
        self
    }

    pub fn with_reference(mut self, reference: Option<&str>) -> Self {
        if let Some(r) = reference {
            self.reference_id = Some(r.to_owned());
        }
        self
    }

    /// Marks a failure to get the account's token ([`Failure::account`]).
    pub fn for_account(mut self) -> Self {
        self.account = true;
        self
    }

    pub fn retryable(mut self, retryable: bool) -> Self {
        self.retryable = retryable;
        self
    }

    /// The JavaScript failure object, with absent fields left out.
    pub fn to_json(&self) -> Value {
        let mut m = Map::new();
        m.insert("error".into(), Value::from(self.kind.as_str()));
        m.insert("message".into(), Value::from(self.message.as_str()));
        if let Some(s) = self.status {
            // `status` is what mobilemoney.js gave; `httpStatus` is the name the types
            // declare, so that it cannot be mistaken for a transaction's `status`.
            m.insert("status".into(), Value::from(s));
            m.insert("httpStatus".into(), Value::from(s));
        }
        if let Some(c) = &self.code {
            m.insert("code".into(), Value::from(c.as_str()));
        }
        if let Some(b) = &self.body {
            m.insert("body".into(), b.clone());
        }
        if let Some(f) = &self.field {
            m.insert("field".into(), Value::from(f.as_str()));
        }
        if let Some(r) = &self.reference_id {
            m.insert("referenceId".into(), Value::from(r.as_str()));
        }
        m.insert("retryable".into(), Value::Bool(self.retryable));
        if let Some(r) = &self.request_id {
            m.insert("requestId".into(), Value::from(r.as_str()));
        }
        if self.attempts > 0 {
            m.insert("attempts".into(), Value::from(self.attempts));
        }
        Value::Object(m)
    }
}
