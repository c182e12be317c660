//! How one MoMo call is sent: headers, the bearer token (given, or managed), the retry
//! after a 401 with a managed token, and reading the answer.

use std::sync::Arc;
use std::time::Duration;

use base64::Engine;
use reqwest::header::{HeaderName, HeaderValue, AUTHORIZATION};
use reqwest::Method;
use serde_json::Value;

use super::api::{endpoints, Product};
use super::validate;
use crate::failure::{Failure, FailureKind};
use crate::input::Arg;
use crate::secrets::Secrets;
use crate::token::{Token, TokenCache};
use crate::transport::classify::{
    failure_from_response, failure_from_send_error, malformed_answer,
};
use crate::transport::{BaseUrl, Body, Provider, Request, Response, Safety, Sent, Transport};

const SUBSCRIPTION_KEY: HeaderName = HeaderName::from_static("ocp-apim-subscription-key");
const TARGET: HeaderName = HeaderName::from_static("x-target-environment");
const REFERENCE: HeaderName = HeaderName::from_static("x-reference-id");
const CALLBACK: HeaderName = HeaderName::from_static("x-callback-url");

/// The authorization of one call.
#[derive(Debug, Clone)]
pub enum Auth {
    /// A whole header value the caller gave (`Basic …` or `Bearer …`).
    Given(String),
    /// A bearer token from the instance's cache (apiUser/apiKey were configured).
    Managed,
    /// Provisioning calls: the subscription key alone.
    None,
}

/// Everything a call needs to be sent.
pub struct CallSpec {
    pub method: Method,
    pub path: String,
    pub auth: Auth,
    pub target: Option<String>,
    /// The reference the call is about: in failures and events, and sent as
    /// `X-Reference-Id` only when `send_reference` (status GETs do not send it).
    pub reference: Option<String>,
    pub send_reference: bool,
    pub callback: Option<String>,
    /// Extra headers of one endpoint (the delivery notification's message and language).
    pub extra_headers: Vec<(HeaderName, String)>,
    pub body: Body,
    pub safety: Safety,
    pub expect_json: bool,
}

impl CallSpec {
    /// A call with nothing but its method, path and safety: no authorization, target,
    /// reference, callback, extra header or body; the answer not required to be JSON.
    pub fn new(method: Method, path: String, safety: Safety) -> CallSpec {
        CallSpec {
            method,
            path,
            auth: Auth::None,
            target: None,
            reference: None,
            send_reference: false,
            callback: None,
            extra_headers: Vec::new(),
            body: Body::Empty,
            safety,
            expect_json: false,
        }
    }
}

/// State shared by the MoMo clients of one instance.
pub struct MomoCore {
    pub product: Product,
    pub transport: Transport,
    pub base: BaseUrl,
    pub subscription_key: String,
    pub secrets: Secrets,
    pub tokens: TokenCache,
    /// `Basic base64(apiUser:apiKey)`, when tokens are managed.
    pub managed_basic: Option<String>,
}

fn header(value: &str) -> Result<HeaderValue, Failure> {
    HeaderValue::from_str(value)
        .map_err(|_| Failure::invalid("header", "a header value holds characters HTTP forbids"))
}

impl MomoCore {
    pub fn basic_for(api_user: &str, api_key: &str) -> String {
        let raw = format!("{api_user}:{api_key}");
        format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD.encode(raw)
        )
    }

    /// Check the authorization argument of a product call (no token is fetched yet).
    pub fn auth_for(&self, arg: &Arg, field: &str) -> Result<Auth, Failure> {
        if arg.is_absent() {
            if self.managed_basic.is_some() {
                return Ok(Auth::Managed);
            }
            return Err(Failure::new(
                FailureKind::InvalidBearerToken,
                format!("{field} is required (\"Bearer …\"), unless apiUser and apiKey are set in the options"),
            )
            .with_field(field));
        }
        validate::authorization(arg, "Bearer", field).map(Auth::Given)
    }

    /// POST /{product}/token/ with a Basic value; returns the token body.
    pub async fn create_token(&self, basic: &str) -> Result<Value, Failure> {
        let path = endpoints::TOKEN.path_for(self.product, &[]);
        let spec = CallSpec {
            auth: Auth::Given(basic.to_owned()),
            expect_json: true,
            ..CallSpec::new(Method::POST, path, Safety::Read)
        };
        let sent = self.send_with(&spec, Some(basic)).await?;
        let body = self.expect_status(&spec, sent, 200)?;
        if let Some(t) = body.get("access_token").and_then(Value::as_str) {
            self.secrets.add_token(t);
        }
        Ok(body)
    }

    async fn managed_token(&self) -> Result<Arc<str>, Failure> {
        let Some(basic) = self.managed_basic.clone() else {
            return Err(Failure::new(
                FailureKind::InvalidBearerToken,
                "no managed credentials",
            ));
        };
        self.tokens
            .get(|_| async move {
                let body = self.create_token(&basic).await?;
                let access = body
                    .get("access_token")
                    .and_then(Value::as_str)
                    .filter(|t| !t.is_empty())
                    .ok_or_else(|| {
                        Failure::new(
                            FailureKind::Unauthorized,
                            "the token answer carried no access_token",
                        )
                    })?;
                let lifetime = body
                    .get("expires_in")
                    .and_then(Value::as_f64)
                    .unwrap_or(3600.0);
                Ok(Token {
                    access: Arc::from(access),
                    refresh: None,
                    lifetime: Duration::from_secs_f64(lifetime.clamp(0.0, 86_400.0)),
                })
            })
            .await
    }

    fn request(&self, spec: &CallSpec, authorization: Option<&str>) -> Result<Request, Failure> {
        let mut headers = Vec::with_capacity(6);
        headers.push((SUBSCRIPTION_KEY, header(&self.subscription_key)?));
        if let Some(a) = authorization {
            headers.push((AUTHORIZATION, header(a)?));
        }
        if let Some(t) = &spec.target {
            headers.push((TARGET, header(t)?));
        }
        if let (Some(r), true) = (&spec.reference, spec.send_reference) {
            headers.push((REFERENCE, header(r)?));
        }
        if let Some(c) = &spec.callback {
            headers.push((CALLBACK, header(c)?));
        }
        for (name, value) in &spec.extra_headers {
            headers.push((name.clone(), header(value)?));
        }
        Ok(Request {
            method: spec.method.clone(),
            url: self.base.join(&spec.path),
            path: spec.path.clone(),
            headers,
            body: match &spec.body {
                Body::Empty => Body::Empty,
                Body::Json(b) => Body::Json(b.clone()),
                Body::Form(f) => Body::Form(f.clone()),
            },
            safety: spec.safety,
            reference_id: spec.reference.clone(),
            expect_json: spec.expect_json,
        })
    }

    /// Send `spec` with this exact authorization value.
    async fn send_with(
        &self,
        spec: &CallSpec,
        authorization: Option<&str>,
    ) -> Result<Sent, Failure> {
        Ok(self
            .transport
            .send(self.request(spec, authorization)?, &self.secrets)
            .await)
    }

    /// Send `spec`; with a managed token, a 401 renews the token and sends once more.
    pub async fn send(&self, spec: &CallSpec) -> Result<Sent, Failure> {
        let token = match &spec.auth {
            Auth::Managed => Some(
                self.managed_token()
                    .await
                    .map_err(|f| f.with_reference(spec.reference.as_deref()).for_account())?,
            ),
            _ => None,
        };
        let authorization = match (&spec.auth, &token) {
            (Auth::Given(v), _) => Some(v.clone()),
            (Auth::Managed, Some(t)) => Some(format!("Bearer {t}")),
            _ => None,
        };
        let sent = self.send_with(spec, authorization.as_deref()).await?;
        let unauthorized = matches!(&sent.result, Ok(r) if r.status == 401);
        match (token, unauthorized) {
            (Some(stale), true) => {
                self.tokens.invalidate(&stale);
                let fresh = match self.managed_token().await {
                    Ok(t) => t,
                    // An earlier attempt may have landed: let the caller reconcile.
                    Err(_) if sent.earlier_attempt_maybe_delivered => return Ok(sent),
                    Err(f) => return Err(f.for_account()),
                };
                let again = self
                    .send_with(spec, Some(&format!("Bearer {fresh}")))
                    .await?;
                Ok(Sent {
                    attempts: sent.attempts + again.attempts,
                    earlier_attempt_maybe_delivered: sent.earlier_attempt_maybe_delivered
                        || again.earlier_attempt_maybe_delivered,
                    result: again.result,
                })
            }
            _ => Ok(sent),
        }
    }

    /// The JSON body of an answer with status `ok`, or the failure it stands for.
    pub fn expect_status(&self, spec: &CallSpec, sent: Sent, ok: u16) -> Result<Value, Failure> {
        let (reference, attempts) = (spec.reference.as_deref(), sent.attempts);
        self.expect_with(spec, sent, ok, |mut resp| {
            resp.take_json()
                .ok_or_else(|| malformed_answer(Provider::Momo, &resp, reference, attempts))
        })
    }

    /// The body of an answer with status `ok` as the provider gave it: JSON when it is
    /// JSON, else its text, `null` when empty (DELETEs and notifications answer so).
    pub fn expect_any(&self, spec: &CallSpec, sent: Sent, ok: u16) -> Result<Value, Failure> {
        self.expect_with(spec, sent, ok, |resp| {
            Ok(if resp.body.is_empty() {
                Value::Null
            } else {
                serde_json::from_slice(&resp.body).unwrap_or_else(|_| {
                    Value::String(String::from_utf8_lossy(&resp.body).into_owned())
                })
            })
        })
    }

    fn expect_with(
        &self,
        spec: &CallSpec,
        sent: Sent,
        ok: u16,
        read: impl FnOnce(Response) -> Result<Value, Failure>,
    ) -> Result<Value, Failure> {
        let reference = spec.reference.as_deref();
        match sent.result {
            Ok(resp) if resp.status == ok => read(resp),
            Ok(resp) => Err(self.failure(&resp, reference, sent.attempts)),
            Err(e) => Err(failure_from_send_error(
                Provider::Momo,
                &e,
                reference,
                sent.attempts,
                spec.safety != Safety::Once,
            )),
        }
    }

    pub fn failure(&self, resp: &Response, reference: Option<&str>, attempts: u32) -> Failure {
        let mut f = failure_from_response(Provider::Momo, resp, reference, &self.secrets, attempts);
        if f.kind == FailureKind::HttpError && resp.status == 411 {
            f.message =
                "MTN MoMo answered HTTP 411: the gateway wants Content-Length on a bodyless POST"
                    .into();
        }
        f
    }
}
