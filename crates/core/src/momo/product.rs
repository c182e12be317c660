//! The three MoMo products. A product is data: its base path and its token endpoint; every
//! call the products share is written once against it (reads.rs, consent.rs, call.rs).

/// Collection, Disbursement or Remittance.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Product {
    Collection,
    Disbursement,
    Remittance,
}

impl Product {
    /// The path every call of the product starts with.
    pub fn base(self) -> &'static str {
        match self {
            Product::Collection => "/collection",
            Product::Disbursement => "/disbursement",
            Product::Remittance => "/remittance",
        }
    }

    /// `POST …/token/`: each product has its own token (and subscription key).
    pub fn token_path(self) -> &'static str {
        match self {
            Product::Collection => "/collection/token/",
            Product::Disbursement => "/disbursement/token/",
            Product::Remittance => "/remittance/token/",
        }
    }

    /// The name in messages and `toJSON`.
    pub fn name(self) -> &'static str {
        match self {
            Product::Collection => "collection",
            Product::Disbursement => "disbursement",
            Product::Remittance => "remittance",
        }
    }

    /// `base` + `tail`, the path of one call.
    pub fn path(self, tail: &str) -> String {
        let base = self.base();
        let mut path = String::with_capacity(base.len() + tail.len());
        path.push_str(base);
        path.push_str(tail);
        path
    }
}
