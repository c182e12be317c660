//! Sandbox provisioning: API users and keys (the `Client` calls of `mobilemoney.js`).

use reqwest::Method;
use serde_json::json;

use super::api::{endpoints, Product};
use super::call::{CallSpec, MomoCore};
use super::validate;
use crate::failure::Failure;
use crate::input::Arg;
use crate::secrets::Secrets;
use crate::token::TokenCache;
use crate::transport::{BaseUrl, Body, Safety, Transport, TransportConfig};
use crate::CallResult;

/// Provisioning against one host; the subscription key comes with each call.
pub struct Provisioning {
    transport: Transport,
    base: BaseUrl,
}

impl Provisioning {
    pub fn new(base: BaseUrl, config: TransportConfig) -> Result<Self, Failure> {
        Ok(Provisioning {
            transport: Transport::new(config)?,
            base,
        })
    }

    fn core(&self, subscription_key: &Arg) -> Result<MomoCore, Failure> {
        let key = validate::subscription_key(subscription_key, "subscriptionKey")?;
        let secrets = Secrets::default();
        secrets.add(&key);
        Ok(MomoCore {
            // Provisioning has no product; the token path is never used here.
            product: Product::Disbursement,
            transport: self.transport.clone(),
            base: self.base.clone(),
            subscription_key: key,
            secrets,
            tokens: TokenCache::default(),
            managed_basic: None,
        })
    }

    /// POST /v1_0/apiuser; the reference becomes the API user id.
    pub async fn create_api_user(
        &self,
        uuid: &Arg,
        subscription_key: &Arg,
        callback_host: &Arg,
    ) -> CallResult {
        let id = validate::uuid_v4(uuid, "uuid")?;
        let host = validate::callback_host(callback_host, "callbackHost")?;
        let core = self.core(subscription_key)?;
        let body = json!({ "providerCallbackHost": host.clone().unwrap_or_default() });
        let path = endpoints::CREATE_API_USER.root_path(&[]);
        let spec = CallSpec {
            reference: Some(id.clone()),
            send_reference: true,
            body: Body::Json(body.to_string().into_bytes().into()),
            ..CallSpec::new(Method::POST, path, Safety::Deduplicated)
        };
        let sent = core.send(&spec).await?;
        let uncertain = sent.retried_after_uncertainty();
        match &sent.result {
            Ok(r) if r.status == 201 => Ok(json!({ "referenceId": id, "providerCallbackHost": host })),
            // Our own earlier attempt created it.
            Ok(r) if r.status == 409 && uncertain => {
                self.get_api_user(uuid, subscription_key).await.map(|user| {
                    json!({ "referenceId": id, "providerCallbackHost": user.get("providerCallbackHost") })
                })
            }
            _ => core.expect_status(&spec, sent, 201),
        }
    }

    /// GET /v1_0/apiuser/{id}.
    pub async fn get_api_user(&self, uuid: &Arg, subscription_key: &Arg) -> CallResult {
        let id = validate::uuid_v4(uuid, "uuid")?;
        let core = self.core(subscription_key)?;
        let path = endpoints::GET_API_USER.root_path(&[&id]);
        about_user(&core, id, Method::GET, path, Safety::Read, 200).await
    }

    /// POST /v1_0/apiuser/{id}/apikey. Each call mints a new key, so it is never repeated
    /// once it may have arrived.
    pub async fn create_api_key(&self, uuid: &Arg, subscription_key: &Arg) -> CallResult {
        let id = validate::uuid_v4(uuid, "uuid")?;
        let core = self.core(subscription_key)?;
        let path = endpoints::CREATE_API_KEY.root_path(&[&id]);
        about_user(&core, id, Method::POST, path, Safety::Once, 201).await
    }
}

/// A call about the API user `id`, whose JSON answer comes with `expect`. The id is in the
/// path; the export declares no `X-Reference-Id` header for these.
async fn about_user(
    core: &MomoCore,
    id: String,
    method: Method,
    path: String,
    safety: Safety,
    expect: u16,
) -> CallResult {
    let spec = CallSpec {
        reference: Some(id),
        expect_json: true,
        ..CallSpec::new(method, path, safety)
    };
    let sent = core.send(&spec).await?;
    core.expect_status(&spec, sent, expect)
}
