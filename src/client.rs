//! `Client`: the entry point of `mobilemoney.js`, kept so that code written
//! for it runs after changing only the `require`.

use base64::Engine;
use napi::bindgen_prelude::PromiseRaw;
use napi::{Env, Unknown};
use napi_derive::napi;
use serde_json::{json, Value};

use mobilemoney_core::input::{transport_settings, OptionsReader};
use mobilemoney_core::momo::provisioning::Provisioning;
use mobilemoney_core::momo::Product;
use mobilemoney_core::momo::{self, MomoClient};
use mobilemoney_core::transport::{BaseUrl, Observer, TransportConfig};
use mobilemoney_core::{Arg, CallResult};

use crate::collection::Collection;
use crate::convert::{arg, opt_arg, type_error};
use crate::disbursements::Disbursements;
use crate::events;
use crate::outcome::Outcome;
use crate::remittance::Remittance;
use crate::spawn::spawn;

type Pending<'env> = napi::Result<PromiseRaw<'env, Outcome>>;

#[napi]
pub struct Client {
    /// The options as given, passed on to the `Disbursements` it makes.
    options: Arg,
    sandbox: bool,
    observer: Option<Observer>,
}

/// JavaScript's `String(x)` for the token helpers, which never fail.
fn text(a: &Arg) -> String {
    match a {
        Arg::String(s) => s.clone(),
        Arg::Number(n) => n.to_string(),
        Arg::Bool(b) => b.to_string(),
        Arg::Null => "null".into(),
        Arg::Undefined => "undefined".into(),
        Arg::Json(v) => v.to_string(),
        Arg::Other(kind) => (*kind).to_owned(),
    }
}

impl Client {
    fn reader(&self) -> Result<OptionsReader<'_>, mobilemoney_core::Failure> {
        OptionsReader::new(&self.options, "options")
    }

    /// A client of `product` with this client's options, host and environment.
    fn product(&self, env: &Env, product: Product, subscription_key: Unknown) -> MomoClient {
        let key = arg(env, subscription_key);
        MomoClient::new(
            product,
            &key,
            &self.product_options(),
            self.observer.clone(),
        )
    }

    /// The options for a product client on this client's host and environment.
    fn product_options(&self) -> Arg {
        let mut map = match &self.options {
            Arg::Json(Value::Object(m)) => m.clone(),
            _ => serde_json::Map::new(),
        };
        if !map.contains_key("environment") {
            let env = if self.sandbox {
                "sandbox"
            } else {
                "production"
            };
            map.insert("environment".into(), json!(env));
        }
        Arg::Json(Value::Object(map))
    }

    fn provisioning(&self) -> Result<Provisioning, mobilemoney_core::Failure> {
        let reader = self.reader()?;
        let (default_host, _) = momo::host_for(if self.sandbox {
            "sandbox"
        } else {
            "production"
        });
        let raw = reader
            .string("baseUrl")?
            .unwrap_or_else(|| default_host.to_owned());
        let allow_http = reader.bool("allowInsecureHttp")?.unwrap_or(false);
        let base = BaseUrl::parse(&raw, allow_http, "baseUrl")?;
        Provisioning::new(
            base,
            TransportConfig {
                settings: transport_settings(&reader)?,
                observer: self.observer.clone(),
                provider: "momo",
            },
        )
    }

    fn provision<'env, F, Fut>(&self, env: &'env Env, call: F) -> Pending<'env>
    where
        F: FnOnce(Provisioning) -> Fut + Send + 'static,
        Fut: std::future::Future<Output = CallResult> + Send + 'static,
    {
        let provisioning = self.provisioning();
        spawn(env, async move { call(provisioning?).await })
    }
}

#[napi]
impl Client {
    /// `new Client()` starts in live mode, as `mobilemoney.js` does; `{ baseUrl }` picks
    /// another host (the embedded sandbox, say).
    #[napi(constructor, ts_args_type = "options?: ClientOptions")]
    pub fn new(env: Env, options: Option<Unknown>) -> napi::Result<Self> {
        let read = crate::convert::options(&env, options.as_ref());
        let options_arg = read.arg;
        let sandbox = matches!(&options_arg, Arg::Json(v) if v.get("environment").and_then(Value::as_str) == Some("sandbox"));
        let client = Client {
            options: options_arg,
            sandbox,
            observer: None,
        };
        read.problem
            .map_or_else(
                || MomoClient::check_options(&client.product_options(), "Client"),
                Err,
            )
            .map_err(|f| type_error(&env, &f))?;
        Ok(Client {
            observer: events::observer(&env, options.as_ref()),
            ..client
        })
    }

    /// Switch to the MTN sandbox (host and target environment `sandbox`).
    #[napi]
    pub fn is_sandbox(&mut self) {
        self.sandbox = true;
    }

    /// A `Disbursements` on this client's host.
    #[napi(ts_args_type = "subscriptionKey: string")]
    pub fn disbursements(&self, env: Env, subscription_key: Unknown) -> Disbursements {
        Disbursements::from_core(self.product(&env, Product::Disbursement, subscription_key))
    }

    /// A `Collection` on this client's host (`mobilemoney.js`'s `client.collection(key)`).
    #[napi(ts_args_type = "subscriptionKey: string")]
    pub fn collection(&self, env: Env, subscription_key: Unknown) -> Collection {
        Collection::from_core(self.product(&env, Product::Collection, subscription_key))
    }

    /// A `Remittance` on this client's host.
    #[napi(ts_args_type = "subscriptionKey: string")]
    pub fn remittance(&self, env: Env, subscription_key: Unknown) -> Remittance {
        Remittance::from_core(self.product(&env, Product::Remittance, subscription_key))
    }

    /// A fresh UUID version 4, for `X-Reference-Id`.
    #[napi]
    pub fn get_reference_id(&self) -> String {
        uuid::Uuid::new_v4().to_string()
    }

    /// `"Basic " + base64(user + ":" + key)`.
    #[napi(ts_args_type = "user: string, key: string")]
    pub fn basic_token(&self, env: Env, user: Unknown, key: Unknown) -> String {
        let raw = format!("{}:{}", text(&arg(&env, user)), text(&arg(&env, key)));
        format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD.encode(raw)
        )
    }

    /// `"Bearer " + token`.
    #[napi(ts_args_type = "token: string")]
    pub fn bearer_token(&self, env: Env, token: Unknown) -> String {
        format!("Bearer {}", text(&arg(&env, token)))
    }

    #[napi(
        ts_args_type = "uuid: string, subscriptionKey: string, callbackHost?: string",
        ts_return_type = "Promise<Result<ApiUserCreated>>"
    )]
    pub fn create_api_user<'env>(
        &self,
        env: &'env Env,
        uuid: Unknown,
        subscription_key: Unknown,
        callback_host: Option<Unknown>,
    ) -> Pending<'env> {
        let [u, k] = [uuid, subscription_key].map(|v| arg(env, v));
        let h = opt_arg(env, callback_host);
        self.provision(
            env,
            move |p| async move { p.create_api_user(&u, &k, &h).await },
        )
    }

    #[napi(
        ts_args_type = "uuid: string, subscriptionKey: string",
        ts_return_type = "Promise<Result<ApiUser>>"
    )]
    pub fn get_api_user<'env>(&self, env: &'env Env, id: Unknown, key: Unknown) -> Pending<'env> {
        let [u, k] = [id, key].map(|v| arg(env, v));
        self.provision(env, move |p| async move { p.get_api_user(&u, &k).await })
    }

    #[napi(
        ts_args_type = "uuid: string, subscriptionKey: string",
        ts_return_type = "Promise<Result<{ apiKey: string }>>"
    )]
    pub fn create_api_key<'env>(&self, env: &'env Env, id: Unknown, key: Unknown) -> Pending<'env> {
        let [u, k] = [id, key].map(|v| arg(env, v));
        self.provision(env, move |p| async move { p.create_api_key(&u, &k).await })
    }

    #[napi(js_name = "toJSON", ts_return_type = "Record<string, unknown>")]
    pub fn to_json(&self) -> Value {
        let base = self
            .reader()
            .ok()
            .and_then(|r| r.string("baseUrl").ok().flatten());
        json!({ "sandbox": self.sandbox, "baseUrl": base })
    }
}
