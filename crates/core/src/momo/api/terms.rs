//! The words the endpoint table is written in: products, the resources their POSTs
//! create, HTTP verbs and callback methods, and how a path template is filled. Kept apart
//! from `mod.rs` so that `endpoints.rs` imports them without importing its parent.

/// Collection, Disbursement or Remittance.
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

    /// As in paths, options, messages and the sandbox's ledger: `collection`,
    /// `disbursement`, `remittance`.
    pub fn as_str(self) -> &'static str {
        match self {
            Product::Collection => "collection",
            Product::Disbursement => "disbursement",
            Product::Remittance => "remittance",
        }
    }

    /// The path every call of the product starts with.
    pub fn base(self) -> &'static str {
        match self {
            Product::Collection => "/collection",
            Product::Disbursement => "/disbursement",
            Product::Remittance => "/remittance",
        }
    }

    /// The product a request path belongs to (`/collection/…`), if any.
    pub fn of_path(path: &str) -> Option<Product> {
        let first = path.trim_start_matches('/').split('/').next()?;
        Product::ALL.into_iter().find(|p| p.as_str() == first)
    }
}

/// The resources a money POST creates; a reference id is unique within each (and
/// product). It is also the kind of the POST's body.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Kind {
    Transfer,
    Deposit,
    Refund,
    RequestToPay,
    Withdraw,
    Invoice,
    PreApproval,
    Payment,
    CashTransfer,
}

impl Kind {
    /// As in the paths and the sandbox ledger's `kind`.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Transfer => "transfer",
            Kind::Deposit => "deposit",
            Kind::Refund => "refund",
            Kind::RequestToPay => "requesttopay",
            Kind::Withdraw => "requesttowithdraw",
            Kind::Invoice => "invoice",
            Kind::PreApproval => "preapproval",
            Kind::Payment => "payment",
            Kind::CashTransfer => "cashtransfer",
        }
    }
}

/// An HTTP method of the API.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verb {
    Get,
    Post,
    Delete,
}

impl Verb {
    pub fn as_str(self) -> &'static str {
        match self {
            Verb::Get => "GET",
            Verb::Post => "POST",
            Verb::Delete => "DELETE",
        }
    }

    pub fn method(self) -> reqwest::Method {
        match self {
            Verb::Get => reqwest::Method::GET,
            Verb::Post => reqwest::Method::POST,
            Verb::Delete => reqwest::Method::DELETE,
        }
    }
}

/// How the provider calls the `X-Callback-Url` back for an endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallbackMethod {
    Post,
    Put,
}

/// `prefix` + `template` with each `{…}` replaced, in order, by the next of `params`
/// (an empty string once they run out).
pub(super) fn fill(prefix: &str, template: &str, params: &[&str]) -> String {
    let mut out = String::with_capacity(prefix.len() + template.len() + 40);
    out.push_str(prefix);
    let mut params = params.iter();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(rest.get(..open).unwrap_or(""));
        let after = rest.get(open..).unwrap_or("");
        let close = after.find('}').map_or(after.len(), |c| c + 1);
        out.push_str(params.next().copied().unwrap_or(""));
        rest = after.get(close..).unwrap_or("");
    }
    out.push_str(rest);
    out
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

    #[test]
    fn fills_parameters_in_order() {
        assert_eq!(
            fill(
                "/c",
                "/v1_0/accountholder/{type}/{id}/active",
                &["msisdn", "1"]
            ),
            "/c/v1_0/accountholder/msisdn/1/active"
        );
        assert_eq!(fill("", "/token/", &[]), "/token/");
    }
}
