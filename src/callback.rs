//! `parseCallback(body, headers?)`: a MoMo or Paymob callback body, normalised.

use napi::{Env, Unknown};
use napi_derive::napi;
use serde_json::Value;

use crate::convert::{arg, opt_arg};

/// Parse a callback body (a JSON string or an object). Returns `[true, ParsedCallback]`
/// or `[false, failure]`; never throws. Confirm by looking the reference up before
/// trusting it: callbacks are not signed.
#[napi(
    ts_args_type = "body: string | object, headers?: Record<string, string | string[] | undefined>",
    ts_return_type = "[ok: true, data: ParsedCallback] | [ok: false, data: Failure]"
)]
pub fn parse_callback(env: Env, body: Unknown, headers: Option<Unknown>) -> Value {
    let body = arg(&env, body);
    let headers = opt_arg(&env, headers);
    crate::outcome::pair(mobilemoney_core::callback::parse(&body, &headers))
}
