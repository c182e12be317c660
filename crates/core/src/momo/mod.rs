//! MTN MoMo: Collection, Disbursement and Remittance on one client,
//! [`MomoClient`], parameterised by its [`Product`]; sandbox provisioning.
//!
//! - [`api`]: the API described once: products, resources and every operation, as a
//!   table ([`endpoints`]) the client, the sandbox and the binding read;
//! - [`validate`] and [`body`]: arguments and bodies, checked before anything is sent;
//! - [`call`]: headers, managed tokens and reading answers;
//! - [`payments`]: the one sender of money calls, with reconciliation of uncertain sends;
//! - [`consent`]: bc-authorize and the oauth2 token, on every product;
//! - [`collection`]: Collection's calls that are not money endpoints;
//! - [`reads`]: the calls every product shares: balances, account holders, user info and
//!   the status of a resource;
//! - [`provisioning`]: API users and keys (the `Client` of `mobilemoney.js`);
//! - [`reason`]: `reason` normalised to `{ code, message }`.

pub mod api;
pub mod body;
pub mod call;
pub mod collection;
pub mod consent;
pub mod market;
pub mod payments;
pub mod provisioning;
pub mod reads;
pub mod reason;
pub mod validate;

use serde_json::{json, Value};

use crate::failure::Failure;
use crate::input::{transport_settings, Arg, OptionsReader};
use crate::secrets::Secrets;
use crate::token::TokenCache;
use crate::transport::{BaseUrl, Observer, Transport, TransportConfig};
pub use api::{endpoints, Product};
use call::MomoCore;

pub const SANDBOX_URL: &str = "https://sandbox.momodeveloper.mtn.com";
pub const PRODUCTION_URL: &str = "https://proxy.momoapi.mtn.com";

/// A client of one MoMo product. Construction never fails: a bad subscription key or
/// option is kept and returned by every call, so that calls still resolve
/// `[false, failure]`.
pub struct MomoClient {
    core: Result<MomoCore, Failure>,
    settings: Settings,
    product: Product,
}

/// The Disbursements client.
pub type Disbursements = MomoClient;

/// Options that shape calls rather than the connection.
#[derive(Debug, Clone, Default)]
struct Settings {
    base_url: String,
    environment: &'static str,
    default_target: Option<String>,
    default_callback: Option<String>,
    managed_tokens: bool,
}

/// Which host an environment means, and the target it implies.
pub fn host_for(environment: &str) -> (&'static str, Option<&'static str>) {
    if environment == "production" {
        (PRODUCTION_URL, None)
    } else {
        (SANDBOX_URL, Some("sandbox"))
    }
}

fn build(
    product: Product,
    subscription_key: &Arg,
    options: &Arg,
    observer: Option<Observer>,
) -> Result<(MomoCore, Settings), Failure> {
    let secrets = Secrets::default();
    let key = validate::subscription_key(subscription_key, "subscriptionKey")?;
    secrets.add(&key);
    let reader = OptionsReader::new(options, "options")?;
    let environment = match reader.string("environment")?.as_deref() {
        None | Some("sandbox") => "sandbox",
        Some("production") => "production",
        Some(_) => {
            return Err(Failure::invalid(
                "environment",
                "options.environment must be \"sandbox\" or \"production\"",
            ))
        }
    };
    let (default_host, implied_target) = host_for(environment);
    let allow_http = reader.bool("allowInsecureHttp")?.unwrap_or(false);
    let base_raw = reader
        .string("baseUrl")?
        .unwrap_or_else(|| default_host.to_owned());
    let base = BaseUrl::parse(&base_raw, allow_http, "baseUrl")?;
    let default_target = match reader.arg("targetEnvironment") {
        Arg::Undefined => implied_target.map(str::to_owned),
        arg => Some(validate::target(&arg, "targetEnvironment")?),
    };
    let default_callback = validate::callback_url(&reader.arg("callbackUrl"), "callbackUrl")?;
    let managed_basic = match (reader.string("apiUser")?, reader.string("apiKey")?) {
        (Some(user), Some(key)) => {
            let user_arg = Arg::String(user.clone());
            validate::uuid_v4(&user_arg, "apiUser").map_err(|f| Failure {
                kind: crate::FailureKind::InvalidData,
                ..f
            })?;
            if key.is_empty() || !key.chars().all(|c| c.is_ascii_graphic()) {
                return Err(Failure::invalid(
                    "apiKey",
                    "options.apiKey must be the API key string",
                ));
            }
            secrets.add(&key);
            let basic = MomoCore::basic_for(&user, &key);
            secrets.add(basic.trim_start_matches("Basic "));
            Some(basic)
        }
        (None, None) => None,
        _ => {
            return Err(Failure::invalid(
                "apiKey",
                "options.apiUser and options.apiKey go together",
            ))
        }
    };
    let transport = Transport::new(TransportConfig {
        settings: transport_settings(&reader)?,
        observer,
        provider: "momo",
    })?;
    let settings = Settings {
        base_url: base.as_str().to_owned(),
        environment,
        default_target,
        default_callback,
        managed_tokens: managed_basic.is_some(),
    };
    Ok((
        MomoCore {
            product,
            transport,
            base,
            subscription_key: key,
            secrets,
            tokens: TokenCache::default(),
            managed_basic,
        },
        settings,
    ))
}

impl MomoClient {
    pub fn new(
        product: Product,
        subscription_key: &Arg,
        options: &Arg,
        observer: Option<Observer>,
    ) -> Self {
        match build(product, subscription_key, options, observer) {
            Ok((core, settings)) => MomoClient {
                core: Ok(core),
                settings,
                product,
            },
            Err(f) => MomoClient {
                core: Err(f),
                settings: Settings::default(),
                product,
            },
        }
    }

    /// [`MomoClient::new`] for a constructor that reports a bad key or option at once:
    /// an option name none of `class`'s, a wrong type, an unsafe URL.
    pub fn try_new(
        product: Product,
        subscription_key: &Arg,
        options: &Arg,
        observer: Option<Observer>,
        class: &str,
    ) -> Result<Self, Failure> {
        use crate::option_names::{check, MOMO, TRANSPORT};
        check(options, class, &[MOMO, TRANSPORT, &["subscriptionKey"]])?;
        // Accepted so that one account object (Payouts' momo, a testing momoAccount) can be
        // passed whole; a different key there is a mistake.
        let repeated = OptionsReader::new(options, "options")?.string("subscriptionKey")?;
        if repeated.is_some_and(|k| Some(k.as_str()) != subscription_key.as_str()) {
            return Err(Failure::invalid(
                "subscriptionKey",
                "options.subscriptionKey differs from the subscriptionKey argument",
            ));
        }
        let (core, settings) = build(product, subscription_key, options, observer)?;
        Ok(MomoClient {
            core: Ok(core),
            settings,
            product,
        })
    }

    /// The checks of [`MomoClient::try_new`] on the options of a `Client`, which makes its
    /// product clients later, each with its own subscription key.
    pub fn check_options(options: &Arg, class: &str) -> Result<(), Failure> {
        let placeholder = Arg::String("subscription-key".into());
        MomoClient::try_new(Product::Disbursement, &placeholder, options, None, class).map(drop)
    }

    /// A Disbursements client from one account object that holds its `subscriptionKey`
    /// with the other options (Payouts' `momo` options).
    pub fn disbursements_from_json(options: &Value, observer: Option<Observer>) -> Self {
        let key = options
            .get("subscriptionKey")
            .cloned()
            .map_or(Arg::Undefined, Arg::from);
        MomoClient::disbursements(&key, &Arg::Json(options.clone()), observer)
    }

    /// A Disbursements client.
    pub fn disbursements(
        subscription_key: &Arg,
        options: &Arg,
        observer: Option<Observer>,
    ) -> Self {
        MomoClient::new(Product::Disbursement, subscription_key, options, observer)
    }

    pub fn product(&self) -> Product {
        self.product
    }

    fn core(&self) -> Result<&MomoCore, Failure> {
        self.core.as_ref().map_err(Clone::clone)
    }

    /// An endpoint of another product is a programming error of the caller, not a call.
    fn check_product(&self, product: Product) -> Result<(), Failure> {
        if product == self.product {
            Ok(())
        } else {
            Err(Failure::invalid(
                "endpoint",
                format!(
                    "this is a {} client; the endpoint belongs to {}",
                    self.product.as_str(),
                    product.as_str()
                ),
            ))
        }
    }

    /// The target of a call: the argument, or the default of the options.
    fn target(&self, arg: &Arg) -> Result<String, Failure> {
        match (arg, &self.settings.default_target) {
            (a, Some(t)) if a.is_absent() => Ok(t.clone()),
            (a, None) if a.is_absent() => Err(Failure::invalid(
                "target",
                "target is required (or set options.targetEnvironment)",
            )),
            (a, _) => validate::target(a, "target"),
        }
    }

    /// What `util.inspect` shows: configuration without a single secret.
    pub fn describe(&self) -> Value {
        match &self.core {
            Ok(_) => json!({
                "product": self.product.as_str(),
                "baseUrl": self.settings.base_url,
                "environment": self.settings.environment,
                "targetEnvironment": self.settings.default_target,
                "callbackUrl": self.settings.default_callback,
                "managedTokens": self.settings.managed_tokens,
                "subscriptionKey": "[redacted]",
            }),
            Err(f) => json!({ "invalid": f.message }),
        }
    }
}
