//! What the three MoMo classes (`Disbursements`, `Collection`, `Remittance`) share: the
//! methods every product has, written once as a macro (napi classes cannot inherit), and
//! the helpers that send a product's money endpoint or read its status.

use std::sync::Arc;

use napi::bindgen_prelude::PromiseRaw;
use napi::{Env, Unknown};

use mobilemoney_core::momo::collection::looks_like_reference;
use mobilemoney_core::momo::endpoints::Endpoint;
use mobilemoney_core::momo::payments::PaymentArgs;
use mobilemoney_core::momo::MomoClient;
use mobilemoney_core::Arg;

use crate::convert::opt_arg;
use crate::outcome::{spawn, Outcome};

pub(crate) type Pending<'env> = napi::Result<PromiseRaw<'env, Outcome>>;

/// Which argument comes first in a class's money calls.
#[derive(Clone, Copy)]
pub(crate) enum Order {
    /// `(uuid, authorization, …)`, as Disbursements and Remittance.
    UuidFirst,
    /// `(authorization, uuid, …)` as `mobilemoney.js`'s Collection, or the other order.
    Either,
}

/// `(uuid, authorization)` from the first two arguments, as `order` places them.
fn uuid_and_auth(order: Order, first: Arg, second: Arg) -> (Arg, Arg) {
    match order {
        Order::Either if !looks_like_reference(&first) => (second, first),
        _ => (first, second),
    }
}

/// `(first, second, target, body, urlCallback?)` sent to `endpoint`.
pub(crate) fn pay<'env>(
    env: &'env Env,
    inner: &Arc<MomoClient>,
    endpoint: &'static Endpoint,
    order: Order,
    args: [Option<Unknown>; 5],
) -> Pending<'env> {
    let [first, second, target, body, callback] = args.map(|v| opt_arg(env, v));
    let (uuid, auth) = uuid_and_auth(order, first, second);
    let inner = inner.clone();
    spawn(env, async move {
        let args = PaymentArgs {
            uuid: &uuid,
            authorization: &auth,
            target: &target,
            body: &body,
            callback: &callback,
        };
        inner.pay(endpoint, args).await
    })
}

/// `(first, second, target?)`: the status of what `endpoint` created.
pub(crate) fn status<'env>(
    env: &'env Env,
    inner: &Arc<MomoClient>,
    endpoint: &'static Endpoint,
    order: Order,
    args: [Option<Unknown>; 3],
) -> Pending<'env> {
    let [first, second, target] = args.map(|v| opt_arg(env, v));
    let (uuid, auth) = uuid_and_auth(order, first, second);
    let inner = inner.clone();
    spawn(env, async move {
        inner.status(endpoint, &uuid, &auth, &target).await
    })
}

/// A `#[napi] impl` of a class's money calls and status calls, one line each, in the
/// class's argument order (`Either` or `UuidFirst`):
///
/// ```text
/// momo_calls! { Collection, Either;
///     money create_payment(PAYMENT, body: "PaymentBody");
///     status get_payment_status(PAYMENT) -> "Promise<Result<PaymentResult>>";
/// }
/// ```
///
/// napi-derive reads a whole `impl` block and does not expand macros inside it, so the
/// lines are gathered into one block before it sees them. The arguments that may be left
/// out in JavaScript are `Option`s so that napi types them `name?:`; `null` and
/// `undefined` mean the same for them ("not given").
macro_rules! momo_calls {
    (@munch $class:ident $order:ident [$($done:tt)*]) => {
        #[napi_derive::napi]
        impl $class {
            $($done)*
        }
    };
    (@munch $class:ident Either [$($done:tt)*]
        money $name:ident($endpoint:ident, body: $body:tt); $($rest:tt)*) => {
        $crate::momo::momo_calls!(@munch $class Either [$($done)*
            #[napi(ts_return_type = "Promise<Result<PaymentAccepted>>")]
            pub fn $name<'env>(
                &self,
                env: &'env napi::Env,
                #[napi(ts_arg_type = "string | null | undefined")]
                authorization: Option<napi::Unknown>,
                #[napi(ts_arg_type = "string")]
                uuid: napi::Unknown,
                #[napi(ts_arg_type = "string | undefined")]
                target: Option<napi::Unknown>,
                #[napi(ts_arg_type = $body)]
                body: napi::Unknown,
                #[napi(ts_arg_type = "string")]
                url_callback: Option<napi::Unknown>,
            ) -> $crate::momo::Pending<'env> {
                $crate::momo::pay(
                    env,
                    &self.inner,
                    &mobilemoney_core::momo::endpoints::$endpoint,
                    $crate::momo::Order::Either,
                    [authorization, Some(uuid), target, Some(body), url_callback],
                )
            }
        ] $($rest)*);
    };
    (@munch $class:ident UuidFirst [$($done:tt)*]
        money $name:ident($endpoint:ident, body: $body:tt); $($rest:tt)*) => {
        $crate::momo::momo_calls!(@munch $class UuidFirst [$($done)*
            #[napi(ts_return_type = "Promise<Result<PaymentAccepted>>")]
            pub fn $name<'env>(
                &self,
                env: &'env napi::Env,
                #[napi(ts_arg_type = "string")]
                uuid: napi::Unknown,
                #[napi(ts_arg_type = "string | null | undefined")]
                authorization: Option<napi::Unknown>,
                #[napi(ts_arg_type = "string | undefined")]
                target: Option<napi::Unknown>,
                #[napi(ts_arg_type = $body)]
                body: napi::Unknown,
                #[napi(ts_arg_type = "string")]
                url_callback: Option<napi::Unknown>,
            ) -> $crate::momo::Pending<'env> {
                $crate::momo::pay(
                    env,
                    &self.inner,
                    &mobilemoney_core::momo::endpoints::$endpoint,
                    $crate::momo::Order::UuidFirst,
                    [Some(uuid), authorization, target, Some(body), url_callback],
                )
            }
        ] $($rest)*);
    };
    (@munch $class:ident Either [$($done:tt)*]
        status $name:ident($endpoint:ident) -> $ret:tt; $($rest:tt)*) => {
        $crate::momo::momo_calls!(@munch $class Either [$($done)*
            #[napi(ts_return_type = $ret)]
            pub fn $name<'env>(
                &self,
                env: &'env napi::Env,
                #[napi(ts_arg_type = "string | null | undefined")]
                authorization: Option<napi::Unknown>,
                #[napi(ts_arg_type = "string")]
                uuid: napi::Unknown,
                #[napi(ts_arg_type = "string")]
                target: Option<napi::Unknown>,
            ) -> $crate::momo::Pending<'env> {
                $crate::momo::status(
                    env,
                    &self.inner,
                    &mobilemoney_core::momo::endpoints::$endpoint,
                    $crate::momo::Order::Either,
                    [authorization, Some(uuid), target],
                )
            }
        ] $($rest)*);
    };
    (@munch $class:ident UuidFirst [$($done:tt)*]
        status $name:ident($endpoint:ident) -> $ret:tt; $($rest:tt)*) => {
        $crate::momo::momo_calls!(@munch $class UuidFirst [$($done)*
            #[napi(ts_return_type = $ret)]
            pub fn $name<'env>(
                &self,
                env: &'env napi::Env,
                #[napi(ts_arg_type = "string")]
                uuid: napi::Unknown,
                #[napi(ts_arg_type = "string | null")]
                authorization: Option<napi::Unknown>,
                #[napi(ts_arg_type = "string")]
                target: Option<napi::Unknown>,
            ) -> $crate::momo::Pending<'env> {
                $crate::momo::status(
                    env,
                    &self.inner,
                    &mobilemoney_core::momo::endpoints::$endpoint,
                    $crate::momo::Order::UuidFirst,
                    [Some(uuid), authorization, target],
                )
            }
        ] $($rest)*);
    };
    ($class:ident, $order:ident; $($table:tt)*) => {
        $crate::momo::momo_calls!(@munch $class $order [] $($table)*);
    };
}
pub(crate) use momo_calls;

/// The methods of every MoMo product class: its configuration, the token, balances,
/// account holders, user info and the consent flow.
macro_rules! momo_shared_methods {
    ($class:ident) => {
        #[napi_derive::napi]
        impl $class {
            /// The configuration, without secrets (also what `util.inspect` shows).
            #[napi(js_name = "toJSON", ts_return_type = "Record<string, unknown>")]
            pub fn to_json(&self) -> serde_json::Value {
                self.inner.describe()
            }

            #[napi(
                ts_args_type = "authorization: string",
                ts_return_type = "Promise<Result<AccessToken>>"
            )]
            pub fn create_access_token<'env>(
                &self,
                env: &'env napi::Env,
                authorization: napi::Unknown,
            ) -> $crate::momo::Pending<'env> {
                let a = $crate::convert::arg(env, authorization);
                let inner = self.inner.clone();
                $crate::outcome::spawn(env, async move { inner.create_access_token(&a).await })
            }

            #[napi(
                ts_args_type = "authorization?: string | null, target?: string",
                ts_return_type = "Promise<Result<Balance>>"
            )]
            pub fn get_account_balance<'env>(
                &self,
                env: &'env napi::Env,
                authorization: napi::Unknown,
                target: napi::Unknown,
            ) -> $crate::momo::Pending<'env> {
                let [a, t] = [authorization, target].map(|v| $crate::convert::arg(env, v));
                let inner = self.inner.clone();
                $crate::outcome::spawn(env, async move { inner.get_account_balance(&a, &t).await })
            }

            #[napi(
                ts_args_type = "currency: string, authorization?: string | null, target?: string",
                ts_return_type = "Promise<Result<Balance>>"
            )]
            pub fn get_account_balance_in<'env>(
                &self,
                env: &'env napi::Env,
                currency: napi::Unknown,
                authorization: napi::Unknown,
                target: napi::Unknown,
            ) -> $crate::momo::Pending<'env> {
                let [c, a, t] =
                    [currency, authorization, target].map(|v| $crate::convert::arg(env, v));
                let inner = self.inner.clone();
                $crate::outcome::spawn(env, async move {
                    inner.get_account_balance_in(&c, &a, &t).await
                })
            }

            #[napi(
                ts_args_type = "msisdn: string, authorization?: string | null, target?: string",
                ts_return_type = "Promise<Result<BasicUserInfo>>"
            )]
            pub fn get_basic_user_info<'env>(
                &self,
                env: &'env napi::Env,
                msisdn: napi::Unknown,
                authorization: napi::Unknown,
                target: napi::Unknown,
            ) -> $crate::momo::Pending<'env> {
                let [m, a, t] =
                    [msisdn, authorization, target].map(|v| $crate::convert::arg(env, v));
                let inner = self.inner.clone();
                $crate::outcome::spawn(env, async move {
                    inner.get_basic_user_info(&m, &a, &t).await
                })
            }

            #[napi(
                ts_args_type = "authorization?: string | null, target?: string",
                ts_return_type = "Promise<Result<UserInfo>>"
            )]
            pub fn ask_user_info<'env>(
                &self,
                env: &'env napi::Env,
                authorization: napi::Unknown,
                target: napi::Unknown,
            ) -> $crate::momo::Pending<'env> {
                let [a, t] = [authorization, target].map(|v| $crate::convert::arg(env, v));
                let inner = self.inner.clone();
                $crate::outcome::spawn(env, async move { inner.ask_user_info(&a, &t).await })
            }

            #[napi(
                ts_args_type = "account: string, accountType?: AccountType | string | null, authorization?: string | null, target?: string",
                ts_return_type = "Promise<Result<{ result: boolean }>>"
            )]
            pub fn is_active<'env>(
                &self,
                env: &'env napi::Env,
                account: napi::Unknown,
                account_type: napi::Unknown,
                authorization: napi::Unknown,
                target: napi::Unknown,
            ) -> $crate::momo::Pending<'env> {
                let [a, b, c, d] = [account, account_type, authorization, target]
                    .map(|v| $crate::convert::arg(env, v));
                let inner = self.inner.clone();
                $crate::outcome::spawn(env, async move { inner.is_active(&a, &b, &c, &d).await })
            }

            #[napi(
                ts_args_type = "authorization: string | null | undefined, target: string | undefined, request: BcAuthorizeRequest, urlCallback?: string",
                ts_return_type = "Promise<Result<BcAuthorizeResult>>"
            )]
            pub fn bc_authorize<'env>(
                &self,
                env: &'env napi::Env,
                authorization: napi::Unknown,
                target: napi::Unknown,
                request: napi::Unknown,
                url_callback: napi::Unknown,
            ) -> $crate::momo::Pending<'env> {
                let [a, t, r, c] = [authorization, target, request, url_callback]
                    .map(|v| $crate::convert::arg(env, v));
                let inner = self.inner.clone();
                $crate::outcome::spawn(env, async move { inner.bc_authorize(&a, &t, &r, &c).await })
            }

            #[napi(
                ts_args_type = "authorization: string | null | undefined, request: Oauth2TokenRequest",
                ts_return_type = "Promise<Result<Oauth2Token>>"
            )]
            pub fn create_oauth2_token<'env>(
                &self,
                env: &'env napi::Env,
                authorization: napi::Unknown,
                request: napi::Unknown,
            ) -> $crate::momo::Pending<'env> {
                let [a, r] = [authorization, request].map(|v| $crate::convert::arg(env, v));
                let inner = self.inner.clone();
                $crate::outcome::spawn(env, async move { inner.create_oauth2_token(&a, &r).await })
            }
        }
    };
}
pub(crate) use momo_shared_methods;
