//! `momo_shared_methods!`: the class, its constructor and the methods every MoMo product
//! class has.

/// A MoMo product class: the struct over the core client, `from_core`, the constructor
/// `new Class(subscriptionKey, options?)` and the methods every product has: its
/// configuration, the token, balances, account holders, user info and the consent flow.
macro_rules! momo_shared_methods {
    ($class:ident, $product:ident, $options:literal) => {
        #[napi_derive::napi]
        pub struct $class {
            pub(crate) inner: std::sync::Arc<mobilemoney_core::momo::MomoClient>,
        }

        impl $class {
            pub(crate) fn from_core(core: mobilemoney_core::momo::MomoClient) -> Self {
                $class {
                    inner: std::sync::Arc::new(core),
                }
            }
        }

        #[napi_derive::napi]
        impl $class {
            #[napi(constructor, ts_args_type = $options)]
            pub fn new(
                env: napi::Env,
                subscription_key: napi::Unknown,
                options: Option<napi::Unknown>,
            ) -> Self {
                let observer = $crate::events::observer(&env, options.as_ref());
                let key = $crate::convert::arg(&env, subscription_key);
                let options = $crate::convert::opt_arg(&env, options);
                let product = mobilemoney_core::momo::Product::$product;
                $class::from_core(mobilemoney_core::momo::MomoClient::new(
                    product, &key, &options, observer,
                ))
            }

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
