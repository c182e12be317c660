//! The consent (CIBA) flow every product's export carries: `bc-authorize` asks the
//! customer for consent, `oauth2/token/` turns the grant into a token, and `askUserInfo`
//! (reads.rs) reads the customer's details with it. Both POSTs are form-encoded.

use reqwest::Method;
use serde_json::Value;

use super::api::endpoints::{
    BC_AUTHORIZE as BC_AUTHORIZE_ROUTE, OAUTH2_TOKEN as OAUTH2_TOKEN_ROUTE,
};
use super::call::{Auth, CallSpec};
use super::{validate, MomoClient};
use crate::failure::Failure;
use crate::input::Arg;
use crate::transport::{Body, Safety};
use crate::CallResult;

/// A form field of a consent request.
struct Field {
    name: &'static str,
    required: bool,
    choices: &'static [&'static str],
}

const fn field(name: &'static str, required: bool) -> Field {
    Field {
        name,
        required,
        choices: &[],
    }
}

const BC_AUTHORIZE: [Field; 6] = [
    field("scope", true),
    field("login_hint", true),
    Field {
        name: "access_type",
        required: false,
        choices: &["online", "offline"],
    },
    field("consent_valid_in", false),
    field("client_notification_token", false),
    field("scope_instruction", false),
];

const OAUTH2_TOKEN: [Field; 3] = [
    field("grant_type", true),
    field("auth_req_id", false),
    field("refresh_token", false),
];

/// Check `request` against `fields` and encode it as `application/x-www-form-urlencoded`.
fn form(request: &Arg, fields: &[Field]) -> Result<String, Failure> {
    let Arg::Json(Value::Object(obj)) = request else {
        return Err(Failure::invalid(
            "request",
            format!("request must be an object, got {}", request.type_name()),
        ));
    };
    let mut out = url::form_urlencoded::Serializer::new(String::new());
    for f in fields {
        let name = format!("request.{}", f.name);
        let value = match obj.get(f.name) {
            None | Some(Value::Null) if f.required => {
                return Err(Failure::invalid(&name, format!("{name} is required")))
            }
            None | Some(Value::Null) => continue,
            Some(Value::String(s)) => s.clone(),
            Some(Value::Number(n)) => n.to_string(),
            Some(_) => return Err(Failure::invalid(&name, format!("{name} must be a string"))),
        };
        if value.is_empty() || value.len() > 1024 || value.chars().any(char::is_control) {
            return Err(Failure::invalid(
                &name,
                format!("{name} must be 1 to 1024 printable characters"),
            ));
        }
        if !f.choices.is_empty() && !f.choices.contains(&value.as_str()) {
            return Err(Failure::invalid(
                &name,
                format!("{name} must be one of {}", f.choices.join(", ")),
            ));
        }
        out.append_pair(f.name, &value);
    }
    Ok(out.finish())
}

fn post_form(path: String, auth: Auth, target: Option<String>, body: String) -> CallSpec {
    // Each starts something on the provider's side (a consent prompt, a grant used up):
    // sent once.
    CallSpec {
        auth,
        target,
        body: Body::Form(body),
        expect_json: true,
        ..CallSpec::new(Method::POST, path, Safety::Once)
    }
}

impl MomoClient {
    /// `bcAuthorize(authorization, target, request, urlCallback?)`: POST
    /// `…/v1_0/bc-authorize`, `{ auth_req_id, interval, expires_in }`.
    pub async fn bc_authorize(
        &self,
        authorization: &Arg,
        target: &Arg,
        request: &Arg,
        callback: &Arg,
    ) -> CallResult {
        let core = self.core()?;
        let auth = core.auth_for(authorization, "authorization")?;
        let target = self.target(target)?;
        let body = form(request, &BC_AUTHORIZE)?;
        let mut spec = post_form(
            BC_AUTHORIZE_ROUTE.path_for(self.product, &[]),
            auth,
            Some(target),
            body,
        );
        spec.callback = match validate::callback_url(callback, "urlCallback")? {
            Some(url) => Some(url),
            None => self.settings.default_callback.clone(),
        };
        let sent = core.send(&spec).await?;
        core.expect_status(&spec, sent, 200)
    }

    /// `createOauth2Token(authorization, request)`: POST `…/oauth2/token/` with a Basic
    /// value (or the managed apiUser/apiKey when `authorization` is absent).
    pub async fn create_oauth2_token(&self, authorization: &Arg, request: &Arg) -> CallResult {
        let core = self.core()?;
        let basic = match (&core.managed_basic, authorization.is_absent()) {
            (Some(basic), true) => basic.clone(),
            _ => validate::authorization(authorization, "Basic", "authorization")?,
        };
        let body = form(request, &OAUTH2_TOKEN)?;
        // The exports require X-Target-Environment here too: the instance's default.
        let spec = post_form(
            OAUTH2_TOKEN_ROUTE.path_for(self.product, &[]),
            Auth::Given(basic),
            self.settings.default_target.clone(),
            body,
        );
        let sent = core.send(&spec).await?;
        let answer = core.expect_status(&spec, sent, 200)?;
        for key in ["access_token", "refresh_token"] {
            if let Some(t) = answer.get(key).and_then(Value::as_str) {
                core.secrets.add_token(t);
            }
        }
        Ok(answer)
    }
}
