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
use super::{accounts, provisioning, transactions, Kind, Version};
use crate::sandbox::state::SandboxState;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verb {
    Get,
    Post,
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
    UserInfo,
    /// A money POST, with its `X-Reference-Id`.
    Create(Kind, Version),
    /// `…/{referenceId}` of a resource.
    Status(Kind),
}

impl Handler {
    /// Whether the request must carry a fresh `X-Reference-Id` (checked before the token).
    fn takes_reference(self) -> bool {
        matches!(self, Handler::Create(..))
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
use Verb::{Get, Post};
use Version::{V1, V2};

const DISBURSEMENT: &[Product] = &[Product::Disbursement];

/// Every MoMo product route.
pub const ROUTES: &[Route] = &[
    // Shared by the products.
    route(DISBURSEMENT, Post, "/token/", H::Token),
    route(DISBURSEMENT, Get, "/v1_0/account/balance", H::Balance),
    route(
        DISBURSEMENT,
        Get,
        "/v1_0/account/balance/{currency}",
        H::BalanceIn,
    ),
    route(
        DISBURSEMENT,
        Get,
        "/v1_0/accountholder/{type}/{id}/active",
        H::Active,
    ),
    route(
        DISBURSEMENT,
        Get,
        "/v1_0/accountholder/{type}/{id}/basicuserinfo",
        H::BasicUserInfo,
    ),
    route(DISBURSEMENT, Get, "/oauth2/v1_0/userinfo", H::UserInfo),
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
    };
    on(
        filter,
        move |axum::extract::State(s): axum::extract::State<Arc<SandboxState>>, req: Request| {
            dispatch(s, product, handler, req)
        },
    )
}

const MAX_BODY: usize = 1024 * 1024;

/// The one handler of every product route: the gateway's subscription key, then (money
/// POSTs) the `X-Reference-Id`, then the bearer token and target environment, then the
/// route's own work.
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
    if handler == H::Token {
        return Ok(auth::token(s, &parts.headers, &body));
    }
    let reference = if handler.takes_reference() {
        Some(ReferenceId::from_request_parts(parts, s).await?.0)
    } else {
        None
    };
    let caller = Caller::from_request_parts(parts, s).await?;
    let _ = product;
    Ok(match handler {
        H::Token => auth::token(s, &parts.headers, &body),
        H::Balance => accounts::balance(s),
        H::BalanceIn => accounts::balance_in(s, param(0)),
        H::Active => accounts::active(param(0), param(1)),
        H::BasicUserInfo => accounts::basic_user_info(),
        H::UserInfo => accounts::user_info(),
        H::Create(kind, version) => transactions::create(
            s.clone(),
            kind,
            version,
            reference.unwrap_or_default(),
            caller,
            &parts.headers,
            body,
        ),
        H::Status(kind) => transactions::status(s, kind, param(0)),
    })
}
