//! The merchant's accounts, one per product, and which way a resource moves money. A
//! leaf: the options (the starting balances), the book and settlement all import it.

use serde::{Deserialize, Serialize};

use crate::momo::api::{Kind, Product};

/// Which way money moves when a resource succeeds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// Collection: the payer approves, the merchant is credited when it succeeds.
    In,
    /// Disbursement, Remittance and Collection payments: drawn from the merchant at once.
    Out,
    /// A pre-approval: a mandate, no money.
    None,
}

impl Kind {
    /// Which way the sandbox's book moves money when a resource of this kind succeeds.
    pub fn direction(self) -> Direction {
        match self {
            Kind::RequestToPay | Kind::Withdraw | Kind::Invoice => Direction::In,
            Kind::PreApproval => Direction::None,
            _ => Direction::Out,
        }
    }
}

/// One account (wallet) per product, as at MTN: money collected does not fund payouts
/// unless the merchant moves it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Accounts {
    pub collection: f64,
    pub disbursement: f64,
    pub remittance: f64,
}

impl Accounts {
    pub fn of(&self, product: Product) -> f64 {
        match product {
            Product::Collection => self.collection,
            Product::Disbursement => self.disbursement,
            Product::Remittance => self.remittance,
        }
    }

    fn of_mut(&mut self, product: Product) -> &mut f64 {
        match product {
            Product::Collection => &mut self.collection,
            Product::Disbursement => &mut self.disbursement,
            Product::Remittance => &mut self.remittance,
        }
    }

    pub(super) fn set(&mut self, product: Product, amount: f64) {
        *self.of_mut(product) = round_micro(amount);
    }

    pub(super) fn add(&mut self, product: Product, amount: f64) {
        let balance = self.of_mut(product);
        *balance = round_micro(*balance + amount);
    }
}

/// Keeps decimal sums exact enough that the balance prints as people expect
/// (`99.7`, not `99.69999999999999`).
fn round_micro(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}
