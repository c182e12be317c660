//! The three MoMo products: each has its own base path, token endpoint and subscription
//! key; the calls they share are mounted under each base path.

/// A MoMo product.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Product {
    Collection,
    Disbursement,
    Remittance,
}

impl Product {
    pub const ALL: [Product; 3] = [
        Product::Collection,
        Product::Disbursement,
        Product::Remittance,
    ];

    /// As in paths, options and the ledger: `collection`, `disbursement`, `remittance`.
    pub fn as_str(self) -> &'static str {
        match self {
            Product::Collection => "collection",
            Product::Disbursement => "disbursement",
            Product::Remittance => "remittance",
        }
    }

    /// The product a request path belongs to (`/collection/…`), if any.
    pub fn of_path(path: &str) -> Option<Product> {
        let first = path.trim_start_matches('/').split('/').next()?;
        Product::ALL.into_iter().find(|p| p.as_str() == first)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths() {
        assert_eq!(
            Product::of_path("/collection/v1_0/requesttopay"),
            Some(Product::Collection)
        );
        assert_eq!(
            Product::of_path("/remittance/token/"),
            Some(Product::Remittance)
        );
        assert_eq!(Product::of_path("/v1_0/apiuser"), None);
        assert_eq!(Product::of_path("/collectionx/token/"), None);
    }
}
