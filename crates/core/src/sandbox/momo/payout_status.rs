//! A payout's status in the sandbox's book, and how a state file spells it
//! (`PENDING`, `SUCCESSFUL` or `FAILED:<reason>`).

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(into = "String")]
pub enum Status {
    Pending,
    Successful,
    Failed(&'static str),
}

/// Every reason a payout here can fail with; a stored status names one of them.
const REASONS: [&str; 12] = [
    "APPROVAL_REJECTED",
    "COULD_NOT_PERFORM_TRANSACTION",
    "EXPIRED",
    "INTERNAL_PROCESSING_ERROR",
    "NOT_ALLOWED",
    "NOT_ENOUGH_FUNDS",
    "PAYEE_NOT_ALLOWED_TO_RECEIVE",
    "PAYEE_NOT_FOUND",
    "PAYER_LIMIT_REACHED",
    "PAYER_NOT_FOUND",
    "TRANSACTION_CANCELED",
    "TRANSACTION_NOT_FOUND",
];

/// In the state file: `PENDING`, `SUCCESSFUL` or `FAILED:<reason>`.
impl From<Status> for String {
    fn from(s: Status) -> String {
        match s {
            Status::Failed(reason) => format!("FAILED:{reason}"),
            other => other.as_str().to_owned(),
        }
    }
}

// By hand: a derived impl would ask `'de: 'static` for the `&'static str`.
impl<'de> Deserialize<'de> for Status {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Status, D::Error> {
        Status::try_from(String::deserialize(d)?).map_err(serde::de::Error::custom)
    }
}

impl TryFrom<String> for Status {
    type Error = String;

    fn try_from(text: String) -> Result<Status, String> {
        match text.as_str() {
            "PENDING" => Ok(Status::Pending),
            "SUCCESSFUL" => Ok(Status::Successful),
            other => other
                .strip_prefix("FAILED:")
                .and_then(|r| REASONS.into_iter().find(|known| *known == r))
                .map(Status::Failed)
                .ok_or_else(|| format!("unknown payout status {other}")),
        }
    }
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pending => "PENDING",
            Status::Successful => "SUCCESSFUL",
            Status::Failed(_) => "FAILED",
        }
    }
}
