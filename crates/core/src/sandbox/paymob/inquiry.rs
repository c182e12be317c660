//! The throttled reads: `GET budget/inquire/`, `transaction/inquire/` (ids or client
//! reference ids) and `transaction/inquire/by-reference/` (`client_reference`), paginated
//! 50 a page as Django REST framework does.

use std::collections::HashMap;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::Response;
use serde_json::{json, Map, Value};
use uuid::Uuid;

use super::auth;
use super::errors::{self, FieldErrors};
use super::settle::settle;
use super::store::Txn;
use crate::sandbox::state::SandboxState;

const PAGE_SIZE: usize = 50;

type Shared = State<Arc<SandboxState>>;
type Params = Query<HashMap<String, String>>;

pub async fn budget(State(state): Shared, headers: HeaderMap) -> Response {
    if let Err(r) = auth::throttled_user(&state, &headers) {
        return r;
    }
    settle(&state);
    let cents = state.paymob.store.lock().budget_cents;
    let amount = cents as f64 / 100.0;
    errors::json(
        StatusCode::OK,
        json!({
            "current_budget": format!("Your current budget is {amount:.2} LE"),
            "current_balance": amount,
            "currency": "EGP",
        }),
    )
}

pub async fn by_ids(State(state): Shared, headers: HeaderMap, q: Params, body: Bytes) -> Response {
    inquire(
        &state,
        &headers,
        &q,
        &body,
        "transactions_ids_list",
        "/transaction/inquire/",
    )
}

pub async fn by_reference(
    State(state): Shared,
    headers: HeaderMap,
    q: Params,
    body: Bytes,
) -> Response {
    inquire(
        &state,
        &headers,
        &q,
        &body,
        "references_list",
        "/transaction/inquire/by-reference/",
    )
}

fn inquire(
    state: &SandboxState,
    headers: &HeaderMap,
    q: &HashMap<String, String>,
    body: &[u8],
    list_field: &str,
    path: &str,
) -> Response {
    let user = match auth::throttled_user(state, headers) {
        Ok(u) => u,
        Err(r) => return r,
    };
    let Ok(Value::Object(body)) = serde_json::from_slice::<Value>(body) else {
        return errors::parse_error();
    };
    let by_ids = list_field == "transactions_ids_list";
    let (wanted, bank) = match read_query(&body, list_field, by_ids) {
        Ok(x) => x,
        Err(e) => return errors::validation(e),
    };
    settle(state);
    let store = state.paymob.store.lock();
    let matches = |t: &Txn| {
        if by_ids {
            wanted.contains(&t.transaction_id)
                || t.client_reference_id
                    .as_ref()
                    .is_some_and(|r| wanted.contains(r))
        } else {
            t.client_reference
                .as_ref()
                .is_some_and(|r| wanted.contains(r))
        }
    };
    let found: Vec<Value> = store.find(&user, bank, matches).map(Txn::to_json).collect();
    drop(store);
    paginate(found, q, headers, path)
}

/// The list (UUIDs for ids, strings of at most 140 characters for references) and the
/// `bank_transactions` flag.
fn read_query(
    body: &Map<String, Value>,
    list_field: &str,
    uuids: bool,
) -> Result<(Vec<String>, bool), FieldErrors> {
    let mut errs = FieldErrors::new();
    let mut items = Vec::new();
    match body.get(list_field) {
        None | Some(Value::Null) => {
            errs.insert(list_field.into(), vec!["This field is required.".into()]);
        }
        Some(Value::Array(list)) => {
            for item in list {
                let parsed = match item.as_str() {
                    Some(s) if uuids => Uuid::try_parse(s.trim())
                        .ok()
                        .map(|u| u.hyphenated().to_string()),
                    Some(s) if s.chars().count() <= 140 => Some(s.to_owned()),
                    _ => None,
                };
                match parsed {
                    Some(p) => items.push(p),
                    None => errs.entry(list_field.into()).or_default().push(if uuids {
                        format!(
                            "“{}” is not a valid UUID.",
                            item.as_str().unwrap_or_default()
                        )
                    } else {
                        "Ensure this field has no more than 140 characters.".into()
                    }),
                }
            }
        }
        Some(_) => {
            errs.insert(
                list_field.into(),
                vec!["Expected a list of items but got type \"str\".".into()],
            );
        }
    }
    let bank = match body.get("bank_transactions") {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(Value::String(s)) if s.eq_ignore_ascii_case("true") => true,
        Some(Value::String(s)) if s.eq_ignore_ascii_case("false") => false,
        Some(_) => {
            errs.insert(
                "bank_transactions".into(),
                vec!["Must be a valid boolean.".into()],
            );
            false
        }
    };
    if errs.is_empty() {
        Ok((items, bank))
    } else {
        Err(errs)
    }
}

/// `{count, next, previous, results}`, 50 a page, `?page=N` (1-based).
fn paginate(
    all: Vec<Value>,
    q: &HashMap<String, String>,
    headers: &HeaderMap,
    path: &str,
) -> Response {
    let page = match q.get("page").map(|p| p.parse::<usize>()) {
        None => 1,
        Some(Ok(p)) if p >= 1 => p,
        Some(_) => return not_found_page(),
    };
    let count = all.len();
    let pages = count.div_ceil(PAGE_SIZE).max(1);
    if page > pages {
        return not_found_page();
    }
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("127.0.0.1");
    let link = |p: usize| Value::from(format!("http://{host}/api/secure{path}?page={p}"));
    let results: Vec<Value> = all
        .into_iter()
        .skip((page - 1) * PAGE_SIZE)
        .take(PAGE_SIZE)
        .collect();
    errors::json(
        StatusCode::OK,
        json!({
            "count": count,
            "next": if page < pages { link(page + 1) } else { Value::Null },
            "previous": if page > 1 { link(page - 1) } else { Value::Null },
            "results": results,
        }),
    )
}

fn not_found_page() -> Response {
    errors::json(StatusCode::NOT_FOUND, json!({ "detail": "Invalid page." }))
}
