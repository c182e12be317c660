//! `momo_calls!`: a class's money and status calls, one line each.

/// A `#[napi] impl` of a class's money calls and status calls, one line each, in the
/// class's argument order (`Either` or `UuidFirst`), and of its other calls (`call`):
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
    // A call that is not a money call: its arguments passed on as they came, to the core
    // method of the same name.
    (@munch $class:ident $order:ident [$($done:tt)*]
        call $name:ident($($arg:ident),*) args $args:literal -> $ret:literal; $($rest:tt)*) => {
        $crate::momo::momo_calls!(@munch $class $order [$($done)*
            #[napi(ts_args_type = $args, ts_return_type = $ret)]
            pub fn $name<'env>(
                &self,
                env: &'env napi::Env,
                $($arg: napi::Unknown),*
            ) -> $crate::momo::Pending<'env> {
                let [$($arg),*] = [$($arg),*].map(|v| $crate::convert::arg(env, v));
                let inner = self.inner.clone();
                $crate::outcome::spawn(env, async move { inner.$name($(&$arg),*).await })
            }
        ] $($rest)*);
    };
    ($class:ident, $order:ident; $($table:tt)*) => {
        $crate::momo::momo_calls!(@munch $class $order [] $($table)*);
    };
}
pub(crate) use momo_calls;
