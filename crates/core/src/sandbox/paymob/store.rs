//! The Paymob half's data: issued tokens, login failures, the budget, transactions and
//! the per-user throttle. One mutex guards it all; no lock is held across an `.await`.

use std::collections::{HashMap, VecDeque};
use std::time::{Duration, Instant};

use parking_lot::Mutex;
use serde_json::{json, Value};

use super::test_numbers::State;
use crate::sandbox::options::SandboxOptions;

/// An issued access token.
pub struct Access {
    pub user: String,
    pub expires: Instant,
}

#[derive(Default)]
pub struct Login {
    pub failures: u32,
    pub locked_until: Option<Instant>,
}

/// Aman's cash pickup state.
#[derive(Debug, Clone)]
pub struct AmanDetails {
    pub bill_reference: u64,
    pub is_paid: bool,
    pub is_cancelled: bool,
}

/// One disbursement the sandbox accepted.
#[derive(Debug, Clone)]
pub struct Txn {
    pub transaction_id: String,
    pub user: String,
    pub issuer: &'static str,
    pub amount_cents: i64,
    pub msisdn: Option<String>,
    pub full_name: Option<String>,
    pub bank_card_number: Option<String>,
    pub bank_code: Option<String>,
    pub bank_transaction_type: Option<String>,
    pub client_reference_id: Option<String>,
    pub client_reference: Option<String>,
    pub state: State,
    pub reference_id: Option<String>,
    pub aman: Option<AmanDetails>,
    pub created_at: String,
    pub updated_at: String,
    /// When a pending transaction settles, into what, and whether the budget is refunded.
    pub settle: Option<(Instant, State, bool)>,
    /// Whether the amount is currently drawn from the budget.
    pub drawn: bool,
}

impl Txn {
    /// bank_card and instant_bank live in the bank store (`bank_transactions: true`).
    pub fn in_bank_store(&self) -> bool {
        matches!(self.issuer, "bank_card" | "instant_bank")
    }

    /// The reference the ledger knows it by.
    pub fn ledger_reference(&self) -> String {
        self.client_reference_id
            .clone()
            .unwrap_or_else(|| self.transaction_id.clone())
    }

    pub fn amount(&self) -> f64 {
        self.amount_cents as f64 / 100.0
    }

    /// The transaction object of disburse and inquiry answers: the bank
    /// serializer's fields for the bank store, the instant one's otherwise.
    pub fn to_json(&self) -> Value {
        if self.in_bank_store() {
            return json!({
                "transaction_id": self.transaction_id,
                "issuer": self.issuer,
                "amount": format!("{:.2}", self.amount()),
                "bank_card_number": self.bank_card_number,
                "full_name": self.full_name,
                "bank_code": self.bank_code,
                "bank_transaction_type": self.bank_transaction_type,
                "disbursement_status": self.state.status,
                "status_code": self.state.code,
                "status_description": self.state.description,
                "client_transaction_reference": self.client_reference_id,
                "fees": 0.0,
                "vat": 0.0,
                "created_at": self.created_at,
                "updated_at": self.updated_at,
                "accept_balance_transfer_id": null,
            });
        }
        let status_description = match &self.aman {
            Some(a) => format!(
                "برجاء التوجه إلى أقرب فرع أمان أو مصاري أو ممكن أو سداد، واسأل على خدمة \"مدفوعات أكسبت\"، ثم أعطهم الرقم المرجعي {}",
                a.bill_reference
            ),
            None => self.state.description.to_owned(),
        };
        json!({
            "transaction_id": self.transaction_id,
            "issuer": self.issuer,
            "msisdn": self.msisdn,
            "amount": self.amount(),
            "full_name": self.full_name,
            "disbursement_status": self.state.status,
            "status_code": self.state.code,
            "status_description": status_description,
            "fees": 0.0,
            "vat": 0.0,
            "reference_id": self.reference_id,
            "aman_cashing_details": self.aman.as_ref().map(|a| json!({
                "bill_reference": a.bill_reference,
                "is_paid": a.is_paid,
                "is_cancelled": a.is_cancelled,
            })),
            "client_transaction_reference": self.client_reference_id,
            "created_at": self.created_at,
            "updated_at": self.updated_at,
            "accept_balance_transfer_id": null,
        })
    }
}

/// A settlement that happened, for the ledger.
pub struct Settled {
    pub reference: String,
    pub status: &'static str,
}

pub struct Store {
    pub access: HashMap<String, Access>,
    /// Refresh token → the access token issued with it.
    pub refresh: HashMap<String, (String, String)>,
    pub logins: HashMap<String, Login>,
    pub budget_cents: i64,
    pub txns: Vec<Txn>,
    pub by_id: HashMap<String, usize>,
    pub by_client_reference_id: HashMap<String, usize>,
    pub by_client_reference: HashMap<String, usize>,
    pub throttle: HashMap<String, VecDeque<Instant>>,
    pub next_bill: u64,
}

/// An amount in EGP as whole piastres.
pub fn cents(amount: f64) -> i64 {
    (amount * 100.0).round() as i64
}

const THROTTLE_WINDOW: Duration = Duration::from_secs(60);

impl Store {
    pub fn new(budget: f64) -> Self {
        Store {
            access: HashMap::new(),
            refresh: HashMap::new(),
            logins: HashMap::new(),
            budget_cents: cents(budget),
            txns: Vec::new(),
            by_id: HashMap::new(),
            by_client_reference_id: HashMap::new(),
            by_client_reference: HashMap::new(),
            throttle: HashMap::new(),
            next_bill: 1_000_001,
        }
    }

    pub fn insert(&mut self, txn: Txn) {
        let i = self.txns.len();
        self.by_id.insert(txn.transaction_id.clone(), i);
        if let Some(r) = &txn.client_reference_id {
            self.by_client_reference_id.insert(r.clone(), i);
        }
        if let Some(r) = &txn.client_reference {
            self.by_client_reference.insert(r.clone(), i);
        }
        self.txns.push(txn);
    }

    /// One request from `user`'s shared bucket of `limit` a minute (0: no limit), or the
    /// seconds to wait.
    pub fn throttle(&mut self, user: &str, limit: u32) -> Result<(), u64> {
        if limit == 0 {
            return Ok(());
        }
        let now = Instant::now();
        let q = self.throttle.entry(user.to_owned()).or_default();
        while q
            .front()
            .is_some_and(|t| now.duration_since(*t) >= THROTTLE_WINDOW)
        {
            q.pop_front();
        }
        if q.len() < limit as usize {
            q.push_back(now);
            return Ok(());
        }
        let wait = q.front().map_or(THROTTLE_WINDOW, |t| {
            THROTTLE_WINDOW.saturating_sub(now.duration_since(*t))
        });
        Err(wait.as_secs_f64().ceil().max(1.0) as u64)
    }

    /// Settle every pending transaction that is due; returns what the ledger must learn.
    pub fn settle_due(&mut self) -> Vec<Settled> {
        let now = Instant::now();
        let mut settled = Vec::new();
        let mut refund = 0;
        for t in &mut self.txns {
            let Some((at, state, refunds)) = t.settle else {
                continue;
            };
            if at > now {
                continue;
            }
            t.settle = None;
            t.state = state;
            t.updated_at = crate::sandbox::clock::paymob_now();
            if refunds && t.drawn {
                t.drawn = false;
                refund += t.amount_cents;
            }
            settled.push(Settled {
                reference: t.ledger_reference(),
                status: state.status,
            });
        }
        self.budget_cents += refund;
        settled
    }

    /// Transactions of `user` in one store (bank or instant) that `matches` accepts.
    pub fn find<'a>(
        &'a self,
        user: &'a str,
        bank: bool,
        matches: impl Fn(&Txn) -> bool + 'a,
    ) -> impl Iterator<Item = &'a Txn> + 'a {
        self.txns
            .iter()
            .filter(move |t| t.user == user && t.in_bank_store() == bank && matches(t))
    }
}

/// The Paymob half as the shared state holds it.
pub struct PaymobState {
    pub store: Mutex<Store>,
}

impl PaymobState {
    pub fn new(options: &SandboxOptions) -> Self {
        PaymobState {
            store: Mutex::new(Store::new(options.paymob.budget)),
        }
    }

    /// The budget left, in EGP.
    pub fn budget(&self) -> f64 {
        self.store.lock().budget_cents as f64 / 100.0
    }

    /// Top up or drain the budget at run time; pending payouts keep their draw.
    pub fn set_budget(&self, amount: f64) {
        self.store.lock().budget_cents = cents(amount);
    }
}
