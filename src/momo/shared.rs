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
            ) -> napi::Result<Self> {
                let product = mobilemoney_core::momo::Product::$product;
                $crate::options::momo_client(&env, product, subscription_key, options)
                    .map($class::from_core)
            }

            /// The configuration, without secrets (also what `util.inspect` shows).
            #[napi(js_name = "toJSON", ts_return_type = "Record<string, unknown>")]
            pub fn to_json(&self) -> serde_json::Value {
                self.inner.describe()
            }
        }

        $crate::momo::calls::momo_calls! { $class, UuidFirst;
            call create_access_token(authorization)
                args "authorization: string"
                -> "Promise<Result<AccessToken>>";
            call get_account_balance(authorization, target)
                args "authorization?: string | null, target?: string"
                -> "Promise<Result<Balance>>";
            call get_account_balance_in(currency, authorization, target)
                args "currency: string, authorization?: string | null, target?: string"
                -> "Promise<Result<Balance>>";
            call get_basic_user_info(msisdn, authorization, target)
                args "msisdn: string, authorization?: string | null, target?: string"
                -> "Promise<Result<BasicUserInfo>>";
            call ask_user_info(authorization, target)
                args "authorization?: string | null, target?: string"
                -> "Promise<Result<UserInfo>>";
            call is_active(account, account_type, authorization, target)
                args "account: string, accountType?: AccountType | string | null, authorization?: string | null, target?: string"
                -> "Promise<Result<{ result: boolean }>>";
            call bc_authorize(authorization, target, request, url_callback)
                args "authorization: string | null | undefined, target: string | undefined, request: BcAuthorizeRequest, urlCallback?: string"
                -> "Promise<Result<BcAuthorizeResult>>";
            call create_oauth2_token(authorization, request)
                args "authorization: string | null | undefined, request: Oauth2TokenRequest"
                -> "Promise<Result<Oauth2Token>>";
        }
    };
}
pub(crate) use momo_shared_methods;
