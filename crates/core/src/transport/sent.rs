//! What a send reports: the last answer or why none came, the attempts, and whether an
//! attempt may have reached the server without its answer reaching us.

use super::response::Response;

/// Why no complete answer came back.
#[derive(Debug, Clone)]
pub enum SendError {
    Timeout {
        maybe_delivered: bool,
    },
    Network {
        maybe_delivered: bool,
        detail: String,
    },
}

impl SendError {
    pub fn maybe_delivered(&self) -> bool {
        match self {
            SendError::Timeout { maybe_delivered } => *maybe_delivered,
            SendError::Network {
                maybe_delivered, ..
            } => *maybe_delivered,
        }
    }
}

/// What `send` reports: the last answer (or error), how many attempts it took, and whether
/// any attempt may have reached the server without its answer reaching us.
pub struct Sent {
    pub result: Result<Response, SendError>,
    pub attempts: u32,
    pub earlier_attempt_maybe_delivered: bool,
}

impl Sent {
    /// True when some attempt before the last one may have been processed.
    pub fn retried_after_uncertainty(&self) -> bool {
        self.earlier_attempt_maybe_delivered
    }
}

/// A reqwest error as a [`SendError`]: whether the request may have reached the server.
pub(super) fn classify_error(e: reqwest::Error) -> SendError {
    if e.is_connect() {
        // Nothing reached the server: safe to repeat whatever the request was.
        return if e.is_timeout() {
            SendError::Timeout {
                maybe_delivered: false,
            }
        } else {
            SendError::Network {
                maybe_delivered: false,
                detail: "the connection could not be made".into(),
            }
        };
    }
    after_sending(&e, "the connection broke before an answer came back")
}

/// A reqwest error once the request went out: it may have been processed. `detail` says
/// what broke when it is not a timeout.
pub(super) fn after_sending(e: &reqwest::Error, detail: &str) -> SendError {
    if e.is_timeout() {
        SendError::Timeout {
            maybe_delivered: true,
        }
    } else {
        SendError::Network {
            maybe_delivered: true,
            detail: detail.into(),
        }
    }
}
