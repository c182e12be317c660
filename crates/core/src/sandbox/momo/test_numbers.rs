//! The official sandbox test numbers: what each payee, payer, refund or cash-transfer
//! externalId and account holder turns into. Any other value succeeds.

use crate::momo::api::Kind;

/// What the sandbox does with a money POST.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Success,
    /// 202, then FAILED with this reason.
    Failed(&'static str),
    /// PENDING for a while, then SUCCESSFUL.
    Ongoing,
    /// PENDING forever, no callback.
    Delayed,
    /// The POST itself answers 500 with this code; nothing is recorded.
    Reject(&'static str),
}

const MSISDN_PREFIX: &str = "467331234";

/// `…NN` of a test MSISDN, if `party` is one.
pub fn suffix(party: &str) -> Option<u8> {
    let rest = party.strip_prefix(MSISDN_PREFIX)?;
    if rest.len() == 2 && rest.bytes().all(|b| b.is_ascii_digit()) {
        rest.parse().ok()
    } else {
        None
    }
}

/// Three failures, then one pending for good and one settling late: the run MTN's tables
/// give transfers and deposits at …50–54 and refunds at "2"–"6".
const OPENING: [Outcome; 5] = [
    Outcome::Failed("INTERNAL_PROCESSING_ERROR"),
    Outcome::Failed("APPROVAL_REJECTED"),
    Outcome::Failed("EXPIRED"),
    Outcome::Ongoing,
    Outcome::Delayed,
];

/// The five HTTP errors, in the order every table lists them (transfers at …59–63,
/// deposits at …58–62, pre-approvals at …57–61, refunds at "8"–"12").
const REJECTS: [Outcome; 5] = [
    Outcome::Reject("NOT_ALLOWED_TARGET_ENVIRONMENT"),
    Outcome::Reject("INVALID_CALLBACK_URL_HOST"),
    Outcome::Reject("INVALID_CURRENCY"),
    Outcome::Reject("INTERNAL_PROCESSING_ERROR"),
    Outcome::Reject("SERVICE_UNAVAILABLE"),
];

/// The `n - first`th outcome of a run (`Success` past its end).
fn nth(run: &[Outcome], n: u8, first: u8) -> Outcome {
    run.get(usize::from(n.saturating_sub(first)))
        .copied()
        .unwrap_or(Outcome::Success)
}

fn transfer(n: u8) -> Outcome {
    match n {
        50..=54 => nth(&OPENING, n, 50),
        55 => Outcome::Failed("NOT_ENOUGH_FUNDS"),
        56 => Outcome::Failed("PAYER_LIMIT_REACHED"),
        57 => Outcome::Failed("PAYEE_NOT_FOUND"),
        58 => Outcome::Failed("NOT_ALLOWED"),
        59..=63 => nth(&REJECTS, n, 59),
        _ => Outcome::Success,
    }
}

fn deposit(n: u8) -> Outcome {
    use Outcome::*;
    match n {
        50..=54 => nth(&OPENING, n, 50),
        55 => Failed("PAYEE_NOT_FOUND"),
        56 => Failed("PAYEE_NOT_ALLOWED_TO_RECEIVE"),
        57 => Failed("NOT_ALLOWED"),
        58..=62 => nth(&REJECTS, n, 58),
        63 => Failed("COULD_NOT_PERFORM_TRANSACTION"),
        _ => Success,
    }
}

/// Refund test values travel in `externalId` (the reference leaves the field open; this
/// sandbox picks the one a client controls freely).
fn refund(external_id: &str) -> Outcome {
    use Outcome::*;
    // Only the values as written ("7", not "07" or "+7").
    let value = external_id.parse::<u8>().ok();
    match value.filter(|n| n.to_string() == external_id) {
        Some(1) => Failed("TRANSACTION_NOT_FOUND"),
        Some(n @ 2..=6) => nth(&OPENING, n, 2),
        Some(7) => Failed("NOT_ALLOWED"),
        Some(n @ 8..=12) => nth(&REJECTS, n, 8),
        Some(13) => Failed("COULD_NOT_PERFORM_TRANSACTION"),
        _ => Success,
    }
}

/// Request to pay and to withdraw (and, undocumented, an invoice's intended payer): the
/// payer MSISDN of the "Sandbox Use Cases" table, the deposit rows but for …55.
fn collection(n: u8) -> Outcome {
    match n {
        55 => Outcome::Failed("PAYER_NOT_FOUND"),
        n => deposit(n),
    }
}

/// Pre-approvals: the table's third column, shifted from …56 on.
fn pre_approval(n: u8) -> Outcome {
    use Outcome::*;
    match n {
        56 => Failed("NOT_ALLOWED"),
        57..=61 => nth(&REJECTS, n, 57),
        62 | 63 => Success,
        n => collection(n),
    }
}

/// Remittance cash transfers: values 1–13 in `externalId`, the refund values but for
/// 5 and 6.
fn cash_transfer(external_id: &str) -> Outcome {
    match external_id {
        "5" => Outcome::Failed("PAYEE_NOT_FOUND"),
        "6" => Outcome::Failed("PAYEE_NOT_ALLOWED_TO_RECEIVE"),
        other => refund(other),
    }
}

/// The outcome of a POST: most key on the party's MSISDN (payee, payer or intended
/// payer), refunds and cash transfers on the externalId; payments always succeed.
pub fn outcome(kind: Kind, party_id: &str, external_id: Option<&str>) -> Outcome {
    let by_party = |table: fn(u8) -> Outcome| suffix(party_id).map_or(Outcome::Success, table);
    match kind {
        Kind::Transfer => by_party(transfer),
        Kind::Deposit => by_party(deposit),
        Kind::RequestToPay | Kind::Withdraw | Kind::Invoice => by_party(collection),
        Kind::PreApproval => by_party(pre_approval),
        Kind::Refund => external_id.map_or(Outcome::Success, refund),
        Kind::CashTransfer => external_id.map_or(Outcome::Success, cash_transfer),
        Kind::Payment => Outcome::Success,
    }
}

/// What `…/accountholder/{type}/{id}/active` answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Holder {
    Active,
    NotActive,
    NotFound,
    /// 500 with this code.
    Error(&'static str),
}

/// The six account-holder cases, in the order of the reference's table.
const HOLDER_CASES: [Holder; 6] = [
    Holder::NotFound,
    Holder::NotActive,
    Holder::Error("NOT_ALLOWED"),
    Holder::Error("NOT_ALLOWED_TARGET_ENVIRONMENT"),
    Holder::Error("INTERNAL_PROCESSING_ERROR"),
    Holder::Error("SERVICE_UNAVAILABLE"),
];

const HOLDER_EMAILS: [&str; 6] = [
    "notfound@email.com",
    "notactive@email.com",
    "notallowed@email.com",
    "notallowedtargetenvironment@email.com",
    "internalprocessingerror@email.com",
    "serviceunavailable@email.com",
];

const HOLDER_PARTY_CODES: [&str; 6] = [
    "5cecb5a7-8bd0-4f49-87b1-8eb9ecc7b7bc",
    "b0040b3c-b426-4a90-af6e-673e65861cd7",
    "4d5f500f-c385-4901-9be5-25b6d36ad220",
    "d2265f9b-0c22-496d-908f-79a65ad66266",
    "8f548a78-ceb8-4d12-a243-5640b91e91a4",
    "585c07a4-2c80-42f7-9e73-e586b36dee68",
];

/// `id_type` is already lower-case: `msisdn`, `email` or `party_code`.
pub fn holder(id_type: &str, id: &str) -> Holder {
    let index = match id_type {
        "msisdn" => suffix(id).and_then(|n| n.checked_sub(50)).map(usize::from),
        "email" => HOLDER_EMAILS
            .iter()
            .position(|e| e.eq_ignore_ascii_case(id)),
        "party_code" => HOLDER_PARTY_CODES
            .iter()
            .position(|c| c.eq_ignore_ascii_case(id)),
        _ => None,
    };
    index
        .and_then(|i| HOLDER_CASES.get(i).copied())
        .unwrap_or(Holder::Active)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables() {
        use Kind::*;
        use Outcome::{Failed, Reject, Success};
        let cases = [
            (Transfer, "46733123455", None, Failed("NOT_ENOUGH_FUNDS")),
            (Deposit, "46733123455", None, Failed("PAYEE_NOT_FOUND")),
            (Transfer, "46733123464", None, Success),
            (Transfer, "467331234500", None, Success),
            (Refund, "x", Some("12"), Reject("SERVICE_UNAVAILABLE")),
            (Refund, "x", None, Success),
            (RequestToPay, "46733123455", None, Failed("PAYER_NOT_FOUND")),
            (PreApproval, "46733123456", None, Failed("NOT_ALLOWED")),
            (
                CashTransfer,
                "46733123450",
                Some("10"),
                Reject("INVALID_CURRENCY"),
            ),
        ];
        for (kind, party, message, expected) in cases {
            assert_eq!(
                outcome(kind, party, message),
                expected,
                "{party} {message:?}"
            );
        }
        assert_eq!(holder("msisdn", "46733123450"), Holder::NotFound);
        assert_eq!(holder("msisdn", "46733123456"), Holder::Active);
        assert_eq!(holder("msisdn", "46733123449"), Holder::Active);
        assert_eq!(holder("email", "NotActive@email.com"), Holder::NotActive);
        assert_eq!(
            holder("party_code", "585c07a4-2c80-42f7-9e73-e586b36dee68"),
            Holder::Error("SERVICE_UNAVAILABLE")
        );
    }
}
