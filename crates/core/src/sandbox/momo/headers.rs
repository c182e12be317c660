//! Request gates that come before any MoMo logic: the APIM subscription key (every
//! route) and the `X-Reference-Id` header (provisioning and money POSTs). Written as
//! extractors so that each handler's parameter order is its check order.

use std::sync::Arc;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::HeaderMap;
use axum::response::Response;

use super::errors::{bad_request, gateway_unauthorized};
use super::ids::uuid_v4;
use crate::momo::api::Product;
use crate::sandbox::state::SandboxState;

const INVALID_KEY: &str = "Access denied due to invalid subscription key. Make sure to provide a valid key for an active subscription.";
const MISSING_KEY: &str = "Access denied due to missing subscription key. Make sure to include subscription key when making requests to an API.";

/// A header's value as text, if present and readable.
pub fn header<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

/// The request passed the gateway: it carries a subscription key accepted for the
/// product of its path (provisioning: for any product).
pub struct Subscribed;

impl FromRequestParts<Arc<SandboxState>> for Subscribed {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &Arc<SandboxState>,
    ) -> Result<Self, Self::Rejection> {
        // APIM also takes the key as the `subscription-key` query parameter.
        let key = header(&parts.headers, "ocp-apim-subscription-key")
            .map(str::to_owned)
            .or_else(|| {
                let query = parts.uri.query()?;
                url::form_urlencoded::parse(query.as_bytes())
                    .find(|(k, _)| k == "subscription-key")
                    .map(|(_, v)| v.into_owned())
            })
            .filter(|k| !k.trim().is_empty());
        let Some(key) = key else {
            return Err(gateway_unauthorized(MISSING_KEY));
        };
        let product = Product::of_path(parts.uri.path());
        let accepted = state.options.momo.accepts_key(product, &key);
        if accepted {
            Ok(Subscribed)
        } else {
            Err(gateway_unauthorized(INVALID_KEY))
        }
    }
}

/// The `X-Reference-Id` of the request: present and a UUID v4, else 400.
pub struct ReferenceId(pub String);

impl FromRequestParts<Arc<SandboxState>> for ReferenceId {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        _state: &Arc<SandboxState>,
    ) -> Result<Self, Self::Rejection> {
        match header(&parts.headers, "x-reference-id") {
            None => Err(bad_request("The X-Reference-Id header is missing.")),
            Some(raw) => uuid_v4(raw.trim())
                .map(ReferenceId)
                .ok_or_else(|| bad_request("X-Reference-Id must be a UUID version 4.")),
        }
    }
}
