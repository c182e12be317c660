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
    // A money call and a status call take the authorization and the uuid first, in the
    // class's order; `@lead` writes those two parameters (and their place in the argument
    // array) for the order and hands them on to `@money` or `@status`.
    (@munch $class:ident $order:ident [$($done:tt)*]
        money $name:ident($endpoint:ident, body: $body:tt); $($rest:tt)*) => {
        $crate::momo::calls::momo_calls!(@lead $order "string | null | undefined"
            [@money $class $order [$($done)*] $name $endpoint $body] $($rest)*);
    };
    (@munch $class:ident Either [$($done:tt)*]
        status $name:ident($endpoint:ident) -> $ret:tt; $($rest:tt)*) => {
        $crate::momo::calls::momo_calls!(@lead Either "string | null | undefined"
            [@status $class Either [$($done)*] $name $endpoint $ret] $($rest)*);
    };
    (@munch $class:ident UuidFirst [$($done:tt)*]
        status $name:ident($endpoint:ident) -> $ret:tt; $($rest:tt)*) => {
        $crate::momo::calls::momo_calls!(@lead UuidFirst "string | null"
            [@status $class UuidFirst [$($done)*] $name $endpoint $ret] $($rest)*);
    };
    (@lead Either $auth:literal [$($next:tt)*] $($rest:tt)*) => {
        $crate::momo::calls::momo_calls!($($next)*
            [
                #[napi(ts_arg_type = $auth)]
                authorization: Option<napi::Unknown>,
                #[napi(ts_arg_type = "string")]
                uuid: napi::Unknown,
            ]
            [authorization, Some(uuid)] $($rest)*);
    };
    (@lead UuidFirst $auth:literal [$($next:tt)*] $($rest:tt)*) => {
        $crate::momo::calls::momo_calls!($($next)*
            [
                #[napi(ts_arg_type = "string")]
                uuid: napi::Unknown,
                #[napi(ts_arg_type = $auth)]
                authorization: Option<napi::Unknown>,
            ]
            [Some(uuid), authorization] $($rest)*);
    };
    (@money $class:ident $order:ident [$($done:tt)*] $name:ident $endpoint:ident $body:tt
        [$($lead:tt)*] [$first:expr, $second:expr] $($rest:tt)*) => {
        $crate::momo::calls::momo_calls!(@munch $class $order [$($done)*
            #[napi(ts_return_type = "Promise<Result<PaymentAccepted>>")]
            pub fn $name<'env>(&self, env: &'env napi::Env, $($lead)*
                #[napi(ts_arg_type = "string | undefined")]
                target: Option<napi::Unknown>,
                #[napi(ts_arg_type = $body)]
                body: napi::Unknown,
                #[napi(ts_arg_type = "string")]
                url_callback: Option<napi::Unknown>,
            ) -> $crate::momo::money::Pending<'env> {
                let endpoint = &mobilemoney_core::momo::endpoints::$endpoint;
                let order = $crate::momo::money::Order::$order;
                let call = $crate::momo::money::Call::new(&self.inner, endpoint, order);
                let args = [$first, $second, target, Some(body), url_callback];
                $crate::momo::money::pay(env, call, args)
            }
        ] $($rest)*);
    };
    (@status $class:ident $order:ident [$($done:tt)*] $name:ident $endpoint:ident $ret:tt
        [$($lead:tt)*] [$first:expr, $second:expr] $($rest:tt)*) => {
        $crate::momo::calls::momo_calls!(@munch $class $order [$($done)*
            #[napi(ts_return_type = $ret)]
            pub fn $name<'env>(
                &self,
                env: &'env napi::Env,
                $($lead)*
                #[napi(ts_arg_type = "string")]
                target: Option<napi::Unknown>,
            ) -> $crate::momo::money::Pending<'env> {
                let endpoint = &mobilemoney_core::momo::endpoints::$endpoint;
                let order = $crate::momo::money::Order::$order;
                let call = $crate::momo::money::Call::new(&self.inner, endpoint, order);
                $crate::momo::money::status(env, call, [$first, $second, target])
            }
        ] $($rest)*);
    };
    // A call that is not a money call: its arguments passed on as they came, to the core
    // method of the same name.
    (@munch $class:ident $order:ident [$($done:tt)*]
        call $name:ident($($arg:ident),*) args $args:literal -> $ret:literal; $($rest:tt)*) => {
        $crate::momo::calls::momo_calls!(@munch $class $order [$($done)*
            #[napi(ts_args_type = $args, ts_return_type = $ret)]
            pub fn $name<'env>(
                &self,
                env: &'env napi::Env,
                $($arg: napi::Unknown),*
            ) -> $crate::momo::money::Pending<'env> {
                let [$($arg),*] = [$($arg),*].map(|v| $crate::convert::arg(env, v));
                let inner = self.inner.clone();
                $crate::spawn::spawn(env, async move { inner.$name($(&$arg),*).await })
            }
        ] $($rest)*);
    };
    ($class:ident, $order:ident; $($table:tt)*) => {
        $crate::momo::calls::momo_calls!(@munch $class $order [] $($table)*);
    };
}
pub(crate) use momo_calls;
