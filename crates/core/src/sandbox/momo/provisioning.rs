//! Sandbox provisioning: API users and their keys.

use std::collections::hash_map::Entry;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

use super::errors::{bad_request, conflict, not_found};
use super::headers::{ReferenceId, Subscribed};
use super::ids::any_uuid;
use super::state::ApiUser;
use crate::sandbox::state::SandboxState;

/// `providerCallbackHost` of the body; an empty body or `{}` means none. `Err` is the
/// 400 message.
fn callback_host(body: &[u8]) -> Result<String, &'static str> {
    const NOT_OBJECT: &str = "The body must be a JSON object.";
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(String::new());
    }
    let value: Value = serde_json::from_slice(body).map_err(|_| NOT_OBJECT)?;
    let Value::Object(map) = value else {
        return Err(NOT_OBJECT);
    };
    match map.get("providerCallbackHost") {
        None | Some(Value::Null) => Ok(String::new()),
        Some(Value::String(host)) => Ok(host.trim().to_owned()),
        Some(_) => Err("providerCallbackHost must be a string."),
    }
}

/// Users are looked up by the canonical form of their id.
pub fn user_key(id: &str) -> String {
    any_uuid(id).unwrap_or_else(|| id.to_owned())
}

pub async fn create_user(
    State(s): State<Arc<SandboxState>>,
    _: Subscribed,
    ReferenceId(id): ReferenceId,
    body: Bytes,
) -> Response {
    let host = match callback_host(&body) {
        Ok(h) => h,
        Err(message) => return bad_request(message),
    };
    let created = match s.momo.users.lock().entry(id) {
        Entry::Occupied(_) => false,
        Entry::Vacant(slot) => {
            slot.insert(ApiUser {
                callback_host: host,
                api_key: None,
            });
            true
        }
    };
    if created {
        StatusCode::CREATED.into_response()
    } else {
        conflict()
    }
}

pub async fn create_key(
    State(s): State<Arc<SandboxState>>,
    _: Subscribed,
    Path(id): Path<String>,
) -> Response {
    let key = uuid::Uuid::new_v4().simple().to_string();
    let found = match s.momo.users.lock().get_mut(&user_key(&id)) {
        Some(user) => {
            user.api_key = Some(key.clone());
            true
        }
        None => false,
    };
    if found {
        (StatusCode::CREATED, Json(json!({ "apiKey": key }))).into_response()
    } else {
        not_found()
    }
}

pub async fn get_user(
    State(s): State<Arc<SandboxState>>,
    _: Subscribed,
    Path(id): Path<String>,
) -> Response {
    let host = s
        .momo
        .users
        .lock()
        .get(&user_key(&id))
        .map(|u| u.callback_host.clone());
    match host {
        Some(host) => Json(json!({
            "providerCallbackHost": host,
            "targetEnvironment": "sandbox",
        }))
        .into_response(),
        None => not_found(),
    }
}
