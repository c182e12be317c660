//! What the sandbox's Paymob half answers to a disbursement, by issuer and number.
//!
//! **Succeed** (Paymob's own staging test data):
//!
//! | issuer | number | answer |
//! |---|---|---|
//! | `vodafone` | `01023456789` | `successful` / `200` |
//! | `etisalat` | `01123456789` | `successful` / `200` |
//! | `orange` | `01223456789` | `pending` / `8000`, then `successful` / `8333` |
//! | `bank_wallet` | `01123416789` | `pending` / `8000`, then `successful` / `8333` |
//! | `bank_card` | card `1111222233334444` (or any other valid card, account or IBAN) | `pending` / `8000`, then `successful` / `8333` |
//! | `instant_bank` | any valid account | `pending` / `8000`, then `successful` / `8333` |
//! | `aman` | any valid number | `successful` / `200` with `aman_cashing_details` (unpaid, cancellable) |
//!
//! Any other valid number also succeeds for `vodafone`, `etisalat` and `aman`, and also
//! goes `pending` then `successful` for `orange` and `bank_wallet`. Pending payouts settle
//! after `settleAfterMs`.
//!
//! **Chosen failures** (`vodafone` and `etisalat` numbers):
//!
//! | number | answer | budget |
//! |---|---|---|
//! | `01000000618` | `failed` / `618` (Recipient Is Unregistered, Arabic text) | not drawn |
//! | `01000006061` | `failed` / `6061` (Exceeded Transaction Amount Limit) | not drawn |
//! | `01000006065` | `failed` / `6065` (Exceeded Transaction Count Limit) | not drawn |
//! | `01000000424` | `failed` / `424` (external dependency error) | not drawn |
//! | `01100090040` | `failed` / `90040` (not an Etisalat Cash subscriber, Arabic text) | not drawn |
//! | `01000000408` | `unknown` / `408` "Request timeout error" | held |
//! | `01000000501` | `unknown` / `501` "Internal Error" | held |
//!
//! `bank_card` with card `1111222233330000` goes `pending` / `8000`, then ends `rejected` /
//! `000001`, and its amount returns to the budget.

/// A final state: `disbursement_status`, `status_code`, `status_description`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct State {
    pub status: &'static str,
    pub code: &'static str,
    pub description: &'static str,
}

/// What happens to one disbursement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Plan {
    /// Answered at once; `draws` says whether the budget is charged.
    Now { state: State, draws: bool },
    /// `pending` / `8000` now (budget charged), `then` after the settlement delay;
    /// `refund` returns the amount to the budget.
    Pending { then: State, refund: bool },
    /// Aman: `successful` / `200` with a bill reference to pay at a kiosk.
    Aman,
}

impl State {
    const fn of(status: &'static str, code: &'static str, description: &'static str) -> State {
        State {
            status,
            code,
            description,
        }
    }
}

pub const PENDING: State = State::of(
    "pending",
    "8000",
    "Transaction received and validated successfully. Dispatched for being processed by the bank",
);
const SUCCESS: State = State::of("successful", "200", "تمت العملية بنجاح");
/// Aman: the bill is issued; the recipient pays it out at a kiosk.
pub const AMAN_ISSUED: State = State::of("successful", "200", "Aman bill issued");
const SETTLED: State = State::of(
    "successful",
    "8333",
    "Successful, transaction is settled by the receiver bank",
);
const REJECTED: State = State::of("rejected", "000001", "Rejected by the receiver bank");

/// The card number that the bank rejects after settlement.
pub const REJECTED_CARD: &str = "1111222233330000";

fn failed(code: &'static str, description: &'static str) -> Plan {
    let state = State::of("failed", code, description);
    Plan::Now {
        state,
        draws: false,
    }
}

fn unknown(code: &'static str, description: &'static str) -> Plan {
    let state = State::of("unknown", code, description);
    Plan::Now { state, draws: true }
}

/// The wallet numbers with a chosen answer.
fn chosen(msisdn: &str) -> Option<Plan> {
    Some(match msisdn {
        "01000000618" => failed(
            "618",
            "لا يمكن إتمام العملية؛ برجاء العلم أن هذا العميل غير مؤهل لخدمات فودافون كاش",
        ),
        "01000006061" => failed("6061", "Exceeded Transaction Amount Limit"),
        "01000006065" => failed("6065", "Exceeded Transaction Count Limit"),
        "01000000424" => failed(
            "424",
            "Process stopped during an external error, can you try again or contact your support team",
        ),
        "01100090040" => failed(
            "90040",
            "عفواً، هذا الرقم غير مشترك في خدمة اتصالات كاش",
        ),
        "01000000408" => unknown("408", "Request timeout error"),
        "01000000501" => unknown("501", "Internal Error"),
        _ => return None,
    })
}

/// The plan for a validated disbursement.
pub fn plan(issuer: &str, msisdn: Option<&str>, card: Option<&str>) -> Plan {
    match issuer {
        "vodafone" | "etisalat" => msisdn.and_then(chosen).unwrap_or(Plan::Now {
            state: SUCCESS,
            draws: true,
        }),
        "aman" => Plan::Aman,
        "bank_card" if card == Some(REJECTED_CARD) => Plan::Pending {
            then: REJECTED,
            refund: true,
        },
        _ => Plan::Pending {
            then: SETTLED,
            refund: false,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plans() {
        assert!(
            matches!(plan("vodafone", Some("01023456789"), None), Plan::Now { state, draws: true } if state.code == "200")
        );
        assert!(
            matches!(plan("vodafone", Some("01000000618"), None), Plan::Now { state, draws: false } if state.code == "618")
        );
        assert!(
            matches!(plan("etisalat", Some("01000000408"), None), Plan::Now { state, draws: true } if state.status == "unknown")
        );
        assert!(matches!(
            plan("bank_card", None, Some(REJECTED_CARD)),
            Plan::Pending { refund: true, .. }
        ));
        assert!(matches!(
            plan("orange", Some("01223456789"), None),
            Plan::Pending { refund: false, .. }
        ));
        assert_eq!(plan("aman", Some("01000000618"), None), Plan::Aman);
    }
}
