//! The MoMo router, built from the API table (`momo::api::endpoints`): every route of
//! every product it names, and the POST and status GET of every money endpoint, all
//! answered by one handler. [`dispatch`] runs the gateway checks in the live order and
//! calls the operation's own work.

use std::collections::HashSet;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{FromRequestParts, RawPathParams, Request};
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use axum::routing::{on, MethodFilter, MethodRouter};
use axum::Router;

use super::auth::{self, Caller};
use super::errors::{self, bad_request};
use super::headers::{ReferenceId, Subscribed};
use super::{accounts, collection, consent, provisioning, transactions};
use crate::momo::api::endpoints::{ENDPOINTS, ROUTES};
use crate::momo::api::{Op, Product, Verb};
use crate::sandbox::state::SandboxState;

/// Whether the request must carry a fresh `X-Reference-Id` (checked before the token).
fn takes_reference(op: Op) -> bool {
    matches!(op, Op::Create(..) | Op::CancelInvoice)
}

/// Provisioning at the root, every table route under each of its products, then each
/// money endpoint's POST and (once per path) its status GET.
pub fn routes() -> Router<Arc<SandboxState>> {
    let mut router = Router::new();
    for r in ROUTES {
        if r.products.is_empty() {
            router = router.route(r.path, root_router(r.verb, r.op));
        }
        for &product in r.products {
            let path = format!("{}{}", product.base(), r.path);
            router = router.route(&path, method_router(product, r.verb, r.op));
        }
    }
    let mut status_paths = HashSet::new();
    for &e in &ENDPOINTS {
        let base = e.product.base();
        let post = format!("{base}{}", e.path);
        router = router.route(&post, method_router(e.product, Verb::Post, Op::Create(e)));
        let status = format!("{base}{}/{{id}}", e.status_path);
        if status_paths.insert(status.clone()) {
            let op = Op::Status(e.kind);
            router = router.route(&status, method_router(e.product, Verb::Get, op));
        }
    }
    // APIM answers an unknown operation with 404, also on a known path.
    router
        .method_not_allowed_fallback(errors::fallback)
        .fallback(errors::fallback)
}

fn filter(verb: Verb) -> MethodFilter {
    match verb {
        Verb::Get => MethodFilter::GET,
        Verb::Post => MethodFilter::POST,
        Verb::Delete => MethodFilter::DELETE,
    }
}

/// Provisioning's own handlers (no product, no token).
fn root_router(verb: Verb, op: Op) -> MethodRouter<Arc<SandboxState>> {
    match op {
        Op::GetApiUser => on(filter(verb), provisioning::get_user),
        Op::CreateApiKey => on(filter(verb), provisioning::create_key),
        _ => on(filter(verb), provisioning::create_user),
    }
}

fn method_router(product: Product, verb: Verb, op: Op) -> MethodRouter<Arc<SandboxState>> {
    on(
        filter(verb),
        move |axum::extract::State(s): axum::extract::State<Arc<SandboxState>>, req: Request| {
            dispatch(s, product, op, req)
        },
    )
}

const MAX_BODY: usize = 1024 * 1024;

/// The one handler of every product route: the gateway's subscription key, then (the
/// token requests) Basic credentials, or (POSTs that create) the `X-Reference-Id`, then
/// the bearer token and target environment; then the route's own work.
async fn dispatch(s: Arc<SandboxState>, product: Product, op: Op, req: Request) -> Response {
    let (mut parts, body) = req.into_parts();
    match serve(&s, product, op, &mut parts, body).await {
        Ok(r) | Err(r) => r,
    }
}

async fn serve(
    s: &Arc<SandboxState>,
    product: Product,
    op: Op,
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
    match op {
        Op::Token => return Ok(auth::token(s, product, &parts.headers, &body)),
        Op::Oauth2Token => return Ok(consent::oauth2_token(s, product, &parts.headers, &body)),
        Op::BcAuthorize => {
            // Basic per the export; a bearer token in MTN's own notebook.
            if let Some(user) = auth::basic_user(s, &parts.headers) {
                return Ok(consent::bc_authorize(s, product, user, &body));
            }
        }
        _ => {}
    }
    let reference = if takes_reference(op) {
        Some(ReferenceId::from_request_parts(parts, s).await?.0)
    } else {
        None
    };
    let caller = Caller::from_request_parts(parts, s).await?;
    let headers = &parts.headers;
    Ok(match op {
        Op::Token | Op::Oauth2Token => auth::login_failed(),
        Op::BcAuthorize => consent::bc_authorize(s, product, caller.api_user, &body),
        Op::Balance => accounts::balance(s, product, caller.market),
        Op::BalanceIn => accounts::balance_in(s, product, caller.market, param(0)),
        Op::Active => s
            .momo
            .holders
            .active(param(0), param(1))
            .unwrap_or_else(|| accounts::active(param(0), param(1))),
        Op::BasicUserInfo if param(0) == "msisdn" => s.momo.holders.basic_user_info(param(1), true),
        Op::BasicUserInfo => accounts::basic_user_info(true),
        Op::BasicUserInfoMsisdn => s.momo.holders.basic_user_info(param(0), false),
        Op::UserInfo => accounts::user_info(),
        Op::Create(endpoint) => transactions::create(
            s.clone(),
            endpoint,
            reference.unwrap_or_default(),
            caller,
            headers,
            body,
        ),
        Op::Status(kind) => transactions::status(s, product, kind, param(0)),
        Op::DeliveryNotification => {
            collection::delivery_notification(s, &caller, param(0), headers, &body)
        }
        Op::CancelInvoice => {
            collection::cancel_invoice(s, &caller, reference.unwrap_or_default(), param(0), &body)
        }
        Op::ApprovedPreApprovals => collection::approved_pre_approvals(s, param(0), param(1)),
        Op::CancelPreApproval => collection::cancel_pre_approval(s, &caller, param(0)),
        // Provisioning is mounted at the root with its own handlers.
        Op::CreateApiUser | Op::GetApiUser | Op::CreateApiKey => errors::not_found(),
    })
}
