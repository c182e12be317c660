//! Collection's calls that are not money endpoints: the delivery notification, invoice
//! and pre-approval cancellation, and the list of approved pre-approvals; and the two
//! argument orders Collection's methods accept.

use reqwest::header::HeaderName;
use reqwest::Method;
use serde_json::{json, Map, Value};

use super::api::endpoints as api;
use super::call::{Auth, CallSpec};
use super::{validate, MomoClient};
use crate::failure::Failure;
use crate::input::Arg;
use crate::transport::{Body, Safety};
use crate::CallResult;

const NOTIFICATION_MESSAGE: HeaderName = HeaderName::from_static("notificationmessage");
const LANGUAGE: HeaderName = HeaderName::from_static("language");

/// `(authorization, uuid)` as `mobilemoney.js`'s Collection orders them, or `(uuid,
/// authorization)` as Disbursements does: a UUID and a `Bearer …` value cannot be
/// confused. Returns `(uuid, authorization)`.
pub fn either_order<'a>(first: &'a Arg, second: &'a Arg) -> (&'a Arg, &'a Arg) {
    if looks_like_reference(first) {
        (first, second)
    } else {
        (second, first)
    }
}

/// Whether `arg` is a UUID (so it is the reference, not the authorization).
pub fn looks_like_reference(arg: &Arg) -> bool {
    arg.as_str()
        .is_some_and(|s| s.len() == 36 && uuid::Uuid::try_parse(s).is_ok())
}

fn send_once(method: Method, path: String, reference: Option<String>) -> CallSpec {
    // A repeat would notify the payer again, or cancel what is already cancelled.
    CallSpec {
        send_reference: reference.is_some(),
        reference,
        ..CallSpec::new(method, path, Safety::Once)
    }
}

/// A call about the existing resource `id`: the path names it, so it is the reference
/// the call is reported under but is not sent as `X-Reference-Id`.
fn about(method: Method, path: String, id: String, auth: Auth, target: String) -> CallSpec {
    CallSpec {
        reference: Some(id),
        auth,
        target: Some(target),
        ..send_once(method, path, None)
    }
}

impl MomoClient {
    async fn send_for_answer(&self, spec: CallSpec) -> CallResult {
        let core = self.core()?;
        let reference = spec.reference.clone();
        let sent = core.send(&spec).await?;
        core.expect_any(&spec, sent, 200)
            .map_err(|f| f.with_reference(reference.as_deref()))
    }

    /// POST `…/v1_0/requesttopay/{uuid}/deliverynotification`: the message goes in the
    /// `notificationMessage` header (required by the export) and in the body.
    pub async fn delivery_notification(
        &self,
        uuid: &Arg,
        authorization: &Arg,
        target: &Arg,
        message: &Arg,
        language: &Arg,
    ) -> CallResult {
        let id = validate::uuid_v4(uuid, "uuid")?;
        let (auth, target) = self.caller(authorization, target)?;
        let text =
            match message.as_str() {
                Some(s)
                    if !s.is_empty()
                        && s.chars().count() <= 160
                        && s.chars().all(|c| c.is_ascii_graphic() || c == ' ') =>
                {
                    s.to_owned()
                }
                _ => return Err(Failure::invalid(
                    "message",
                    "message must be 1 to 160 printable ASCII characters (it travels in a header)",
                )),
            };
        let path = api::DELIVERY_NOTIFICATION.path_for(self.product, &[&id]);
        let mut spec = about(Method::POST, path, id, auth, target);
        spec.extra_headers
            .push((NOTIFICATION_MESSAGE, text.clone()));
        if !language.is_absent() {
            let lang = language
                .as_str()
                .filter(|l| {
                    (2..=8).contains(&l.len())
                        && l.chars().all(|c| c.is_ascii_alphabetic() || c == '-')
                })
                .ok_or_else(|| {
                    Failure::invalid(
                        "language",
                        "language must be a language code such as \"en\"",
                    )
                })?;
            spec.extra_headers.push((LANGUAGE, lang.to_owned()));
        }
        spec.body = Body::Json(
            serde_json::to_vec(&json!({ "notificationMessage": text }))
                .map_err(|e| {
                    Failure::invalid("message", format!("message could not be encoded: {e}"))
                })?
                .into(),
        );
        self.send_for_answer(spec).await
    }

    /// DELETE `…/v2_0/invoice/{uuid}` with a new `X-Reference-Id` of its own and
    /// `{ externalId }`.
    pub async fn cancel_invoice(
        &self,
        uuid: &Arg,
        authorization: &Arg,
        target: &Arg,
        body: &Arg,
    ) -> CallResult {
        let id = validate::uuid_v4(uuid, "uuid")?;
        let (auth, target) = self.caller(authorization, target)?;
        let mut out = Map::new();
        match body {
            Arg::Undefined | Arg::Null => {}
            Arg::Json(Value::Object(obj)) => match obj.get("externalId") {
                None | Some(Value::Null) => {}
                Some(Value::String(s)) if s.len() <= 128 => {
                    out.insert("externalId".into(), Value::String(s.clone()));
                }
                Some(_) => {
                    return Err(Failure::invalid(
                        "body.externalId",
                        "body.externalId must be a string of at most 128 characters",
                    ))
                }
            },
            other => {
                return Err(Failure::invalid(
                    "body",
                    format!(
                        "body must be an object {{ externalId }}, got {}",
                        other.type_name()
                    ),
                ))
            }
        }
        let mut spec = send_once(
            Method::DELETE,
            api::CANCEL_INVOICE.path_for(self.product, &[&id]),
            Some(uuid::Uuid::new_v4().to_string()),
        );
        spec.auth = auth;
        spec.target = Some(target);
        spec.callback = self.settings.default_callback.clone();
        spec.body = Body::Json(
            serde_json::to_vec(&Value::Object(out))
                .map_err(|e| Failure::invalid("body", format!("body could not be encoded: {e}")))?
                .into(),
        );
        self.send_for_answer(spec).await
    }

    /// DELETE `…/v1_0/preapproval/{preApprovalId}`.
    pub async fn cancel_pre_approval(
        &self,
        id: &Arg,
        authorization: &Arg,
        target: &Arg,
    ) -> CallResult {
        let id = validate::uuid_v4(id, "preApprovalId")?;
        let (auth, target) = self.caller(authorization, target)?;
        let path = api::CANCEL_PRE_APPROVAL.path_for(self.product, &[&id]);
        let spec = about(Method::DELETE, path, id, auth, target);
        self.send_for_answer(spec).await
    }

    /// GET `…/v1_0/preapprovals/{accountHolderIdType}/{accountHolderId}`: the approved
    /// pre-approvals of an account holder (a list, empty when none).
    pub async fn approved_pre_approvals(
        &self,
        id_type: &Arg,
        id: &Arg,
        authorization: &Arg,
        target: &Arg,
    ) -> CallResult {
        let id_type = validate::account_type(id_type, "accountHolderIdType")?;
        let id = validate::account(id, &id_type, "accountHolderId")?;
        self.read_route(
            &api::APPROVED_PRE_APPROVALS,
            &[&id_type, &id],
            authorization,
            target,
        )
        .await
    }
}
