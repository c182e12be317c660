//! The MoMo router, built from a table: each entry names the products it is mounted for,
//! its method, its path under the product's base path and what handles it. Adding an
//! endpoint is one entry (and its handler kind); [`dispatch`] runs the gateway checks in
//! the live order and calls the handler.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{FromRequestParts, RawPathParams, Request};
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, on, post, MethodFilter, MethodRouter};
use axum::Router;

use super::auth::{self, Caller};
use super::errors::{self, bad_request};
use super::headers::{ReferenceId, Subscribed};
use super::product::Product;
use super::{accounts, collection, consent, provisioning, transactions, Kind, Version};
use crate::sandbox::state::SandboxState;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verb {
    Get,
    Post,
    Delete,
}

/// What answers a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Handler {
    /// `POST /token/` with the API user's Basic credentials.
    Token,
    Balance,
    /// `…/account/balance/{currency}`.
    BalanceIn,
    /// `…/accountholder/{type}/{id}/active`.
    Active,
    /// `…/accountholder/{type}/{id}/basicuserinfo`.
    BasicUserInfo,
    /// Remittance's `…/accountholder/msisdn/{msisdn}/basicuserinfo` (no gender).
    BasicUserInfoMsisdn,
    UserInfo,
    /// The consent flow: `bc-authorize` and `oauth2/token/`.
    BcAuthorize,
    Oauth2Token,
    /// A POST that creates a resource, with its `X-Reference-Id`.
    Create(Kind, Version),
    /// `…/{referenceId}` of a resource.
    Status(Kind),
    /// Collection: `…/requesttopay/{id}/deliverynotification`.
    DeliveryNotification,
    /// Collection: `DELETE …/invoice/{id}`, with an `X-Reference-Id` of its own.
    CancelInvoice,
    /// Collection: `…/preapprovals/{type}/{id}` and `DELETE …/preapproval/{id}`.
    ApprovedPreApprovals,
    CancelPreApproval,
}

impl Handler {
    /// Whether the request must carry a fresh `X-Reference-Id` (checked before the token).
    fn takes_reference(self) -> bool {
        matches!(self, Handler::Create(..) | Handler::CancelInvoice)
    }
}

pub struct Route {
    pub products: &'static [Product],
    pub verb: Verb,
    /// Under the product's base path, e.g. `/v1_0/transfer`.
    pub path: &'static str,
    pub handler: Handler,
}

const fn route(
    products: &'static [Product],
    verb: Verb,
    path: &'static str,
    handler: Handler,
) -> Route {
    Route {
        products,
        verb,
        path,
        handler,
    }
}

use Handler as H;
use Kind as K;
use Verb::{Delete, Get, Post};
use Version::{V1, V2};

const EVERY: &[Product] = &Product::ALL;
const COLLECTION: &[Product] = &[Product::Collection];
const DISBURSEMENT: &[Product] = &[Product::Disbursement];
const REMITTANCE: &[Product] = &[Product::Remittance];
/// The `{type}/{id}` form of basicuserinfo; Remittance has an MSISDN-only path.
const NOT_REMITTANCE: &[Product] = &[Product::Collection, Product::Disbursement];

/// Every MoMo product route.
pub const ROUTES: &[Route] = &[
    // Shared by the products.
    route(EVERY, Post, "/token/", H::Token),
    route(EVERY, Get, "/v1_0/account/balance", H::Balance),
    route(EVERY, Get, "/v1_0/account/balance/{currency}", H::BalanceIn),
    route(
        EVERY,
        Get,
        "/v1_0/accountholder/{type}/{id}/active",
        H::Active,
    ),
    route(
        NOT_REMITTANCE,
        Get,
        "/v1_0/accountholder/{type}/{id}/basicuserinfo",
        H::BasicUserInfo,
    ),
    route(
        REMITTANCE,
        Get,
        "/v1_0/accountholder/msisdn/{msisdn}/basicuserinfo",
        H::BasicUserInfoMsisdn,
    ),
    route(EVERY, Get, "/oauth2/v1_0/userinfo", H::UserInfo),
    route(EVERY, Post, "/v1_0/bc-authorize", H::BcAuthorize),
    route(EVERY, Post, "/oauth2/token/", H::Oauth2Token),
    // Collection.
    route(
        COLLECTION,
        Post,
        "/v1_0/requesttopay",
        H::Create(K::RequestToPay, V1),
    ),
    route(
        COLLECTION,
        Get,
        "/v1_0/requesttopay/{id}",
        H::Status(K::RequestToPay),
    ),
    route(
        COLLECTION,
        Post,
        "/v1_0/requesttopay/{id}/deliverynotification",
        H::DeliveryNotification,
    ),
    route(
        COLLECTION,
        Post,
        "/v1_0/requesttowithdraw",
        H::Create(K::Withdraw, V1),
    ),
    route(
        COLLECTION,
        Post,
        "/v2_0/requesttowithdraw",
        H::Create(K::Withdraw, V2),
    ),
    route(
        COLLECTION,
        Get,
        "/v1_0/requesttowithdraw/{id}",
        H::Status(K::Withdraw),
    ),
    route(COLLECTION, Post, "/v2_0/invoice", H::Create(K::Invoice, V2)),
    route(COLLECTION, Get, "/v2_0/invoice/{id}", H::Status(K::Invoice)),
    route(COLLECTION, Delete, "/v2_0/invoice/{id}", H::CancelInvoice),
    route(
        COLLECTION,
        Post,
        "/v2_0/preapproval",
        H::Create(K::PreApproval, V2),
    ),
    route(
        COLLECTION,
        Get,
        "/v2_0/preapproval/{id}",
        H::Status(K::PreApproval),
    ),
    route(
        COLLECTION,
        Get,
        "/v1_0/preapprovals/{type}/{id}",
        H::ApprovedPreApprovals,
    ),
    route(
        COLLECTION,
        Delete,
        "/v1_0/preapproval/{id}",
        H::CancelPreApproval,
    ),
    route(COLLECTION, Post, "/v2_0/payment", H::Create(K::Payment, V2)),
    route(COLLECTION, Get, "/v2_0/payment/{id}", H::Status(K::Payment)),
    // Disbursement.
    route(
        DISBURSEMENT,
        Post,
        "/v1_0/transfer",
        H::Create(K::Transfer, V1),
    ),
    route(
        DISBURSEMENT,
        Get,
        "/v1_0/transfer/{id}",
        H::Status(K::Transfer),
    ),
    route(
        DISBURSEMENT,
        Post,
        "/v1_0/deposit",
        H::Create(K::Deposit, V1),
    ),
    route(
        DISBURSEMENT,
        Post,
        "/v2_0/deposit",
        H::Create(K::Deposit, V2),
    ),
    route(
        DISBURSEMENT,
        Get,
        "/v1_0/deposit/{id}",
        H::Status(K::Deposit),
    ),
    route(DISBURSEMENT, Post, "/v1_0/refund", H::Create(K::Refund, V1)),
    route(DISBURSEMENT, Post, "/v2_0/refund", H::Create(K::Refund, V2)),
    route(DISBURSEMENT, Get, "/v1_0/refund/{id}", H::Status(K::Refund)),
    // Remittance.
    route(
        REMITTANCE,
        Post,
        "/v1_0/transfer",
        H::Create(K::Transfer, V1),
    ),
    route(
        REMITTANCE,
        Get,
        "/v1_0/transfer/{id}",
        H::Status(K::Transfer),
    ),
    route(
        REMITTANCE,
        Post,
        "/v2_0/cashtransfer",
        H::Create(K::CashTransfer, V2),
    ),
    route(
        REMITTANCE,
        Get,
        "/v2_0/cashtransfer/{id}",
        H::Status(K::CashTransfer),
    ),
];

/// Provisioning at the root, then every table entry under each of its products.
pub fn routes() -> Router<Arc<SandboxState>> {
    let mut router = Router::new()
        .route("/v1_0/apiuser", post(provisioning::create_user))
        .route("/v1_0/apiuser/{id}", get(provisioning::get_user))
        .route("/v1_0/apiuser/{id}/apikey", post(provisioning::create_key));
    for r in ROUTES {
        for &product in r.products {
            let path = format!("/{}{}", product.as_str(), r.path);
            router = router.route(&path, method_router(product, r.verb, r.handler));
        }
    }
    // APIM answers an unknown operation with 404, also on a known path.
    router
        .method_not_allowed_fallback(errors::fallback)
        .fallback(errors::fallback)
}

fn method_router(
    product: Product,
    verb: Verb,
    handler: Handler,
) -> MethodRouter<Arc<SandboxState>> {
    let filter = match verb {
        Verb::Get => MethodFilter::GET,
        Verb::Post => MethodFilter::POST,
        Verb::Delete => MethodFilter::DELETE,
    };
    on(
        filter,
        move |axum::extract::State(s): axum::extract::State<Arc<SandboxState>>, req: Request| {
            dispatch(s, product, handler, req)
        },
    )
}

const MAX_BODY: usize = 1024 * 1024;

/// The one handler of every product route: the gateway's subscription key, then (the
/// token requests) Basic credentials, or (POSTs that create) the `X-Reference-Id`, then
/// the bearer token and target environment; then the route's own work.
async fn dispatch(
    s: Arc<SandboxState>,
    product: Product,
    handler: Handler,
    req: Request,
) -> Response {
    let (mut parts, body) = req.into_parts();
    match serve(&s, product, handler, &mut parts, body).await {
        Ok(r) | Err(r) => r,
    }
}

async fn serve(
    s: &Arc<SandboxState>,
    product: Product,
    handler: Handler,
    parts: &mut Parts,
    body: axum::body::Body,
) -> Result<Response, Response> {
    Subscribed::from_request_parts(parts, s).await?;
    let params = RawPathParams::from_request_parts(parts, s)
        .await
        .map_err(IntoResponse::into_response)?;
    let params: Vec<String> = params.iter().map(|(_, v)| v.to_owned()).collect();
    let param = |i: usize| params.get(i).map(String::as_str).unwrap_or("");
    let body: Bytes = axum::body::to_bytes(body, MAX_BODY)
        .await
        .map_err(|_| bad_request("The body is too large."))?;
    match handler {
        H::Token => return Ok(auth::token(s, product, &parts.headers, &body)),
        H::Oauth2Token => return Ok(consent::oauth2_token(s, product, &parts.headers, &body)),
        H::BcAuthorize => {
            // Basic per the export; a bearer token in MTN's own notebook.
            if let Some(user) = auth::basic_user(s, &parts.headers) {
                return Ok(consent::bc_authorize(s, product, user, &body));
            }
        }
        _ => {}
    }
    let reference = if handler.takes_reference() {
        Some(ReferenceId::from_request_parts(parts, s).await?.0)
    } else {
        None
    };
    let caller = Caller::from_request_parts(parts, s).await?;
    let headers = &parts.headers;
    Ok(match handler {
        H::Token | H::Oauth2Token => auth::login_failed(),
        H::BcAuthorize => consent::bc_authorize(s, product, caller.api_user, &body),
        H::Balance => accounts::balance(s, product, caller.market),
        H::BalanceIn => accounts::balance_in(s, product, caller.market, param(0)),
        H::Active => s
            .momo
            .holders
            .active(param(0), param(1))
            .unwrap_or_else(|| accounts::active(param(0), param(1))),
        H::BasicUserInfo if param(0) == "msisdn" => s.momo.holders.basic_user_info(param(1), true),
        H::BasicUserInfo => accounts::basic_user_info(true),
        H::BasicUserInfoMsisdn => s.momo.holders.basic_user_info(param(0), false),
        H::UserInfo => accounts::user_info(),
        H::Create(kind, version) => transactions::create(
            s.clone(),
            product,
            kind,
            version,
            reference.unwrap_or_default(),
            caller,
            headers,
            body,
        ),
        H::Status(kind) => transactions::status(s, product, kind, param(0)),
        H::DeliveryNotification => {
            collection::delivery_notification(s, &caller, param(0), headers, &body)
        }
        H::CancelInvoice => {
            collection::cancel_invoice(s, &caller, reference.unwrap_or_default(), param(0), &body)
        }
        H::ApprovedPreApprovals => collection::approved_pre_approvals(s, param(0), param(1)),
        H::CancelPreApproval => collection::cancel_pre_approval(s, &caller, param(0)),
    })
}
