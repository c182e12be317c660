//! `onEvent` and `logger`: the transport's events delivered to JavaScript.

use std::sync::Arc;

use napi::bindgen_prelude::{FnArgs, Function, Object};
use napi::threadsafe_function::{ThreadsafeFunction, ThreadsafeFunctionCallMode};
use napi::{Env, Unknown, ValueType};
use napi_derive::napi;
use serde_json::Value;

use mobilemoney_core::transport::{Event, Observer};
use mobilemoney_core::Failure;

/// A logger's method as a thread-safe function: `(fields, message)`, as pino takes them.
type LogMethod = ThreadsafeFunction<
    FnArgs<(Value, String)>,
    (),
    FnArgs<(Value, String)>,
    napi::Status,
    false,
    true,
>;

/// The methods a `logger` must have: pino's, winston's and console's.
const LOGGER_METHODS: [&str; 4] = ["debug", "info", "warn", "error"];

/// The observer for `options.onEvent` (a function) and `options.logger` (an object with
/// debug/info/warn/error, such as pino): attempts go to `logger.debug`, those without an
/// answer or with a server error to `logger.warn`.
pub fn observer(_env: &Env, options: Option<&Unknown<'_>>) -> Option<Observer> {
    let options = options?;
    if options.get_type().ok()? != ValueType::Object {
        return None;
    }
    let object = unsafe { options.cast::<Object>() }.ok()?;
    let on_event = on_event(&object);
    let logger = logger(&object);
    if on_event.is_none() && logger.is_none() {
        return None;
    }
    Some(Arc::new(move |event: &Event| {
        if let Some(tsfn) = &on_event {
            tsfn.call(event.to_json(), ThreadsafeFunctionCallMode::NonBlocking);
        }
        if let Some((debug, warn)) = &logger {
            let method = if event.is_trouble() { warn } else { debug };
            let fields = event.to_json();
            let line = format!("mobilemoney-native {}", event.line());
            method.call(
                FnArgs::from((fields, line)),
                ThreadsafeFunctionCallMode::NonBlocking,
            );
        }
    }))
}

fn on_event(
    object: &Object<'_>,
) -> Option<ThreadsafeFunction<Value, (), Value, napi::Status, false, true>> {
    let callback: Function<'_, Value, ()> = object.get("onEvent").ok()??;
    callback
        .build_threadsafe_function::<Value>()
        .callee_handled::<false>()
        .weak::<true>()
        .build()
        .ok()
}

/// `logger.debug` and `logger.warn`, bound to the logger (pino's methods need their `this`).
fn logger(object: &Object<'_>) -> Option<(LogMethod, LogMethod)> {
    let logger: Object<'_> = object.get("logger").ok()??;
    let method = |name: &str| -> Option<LogMethod> {
        let f: Function<'_, FnArgs<(Value, String)>, ()> = logger.get(name).ok()??;
        f.bind(logger)
            .ok()?
            .build_threadsafe_function::<FnArgs<(Value, String)>>()
            .callee_handled::<false>()
            .weak::<true>()
            .build()
            .ok()
    };
    Some((method("debug")?, method("warn")?))
}

/// What is wrong with a `logger` option, if anything.
pub fn check_logger(value: &Unknown<'_>) -> Option<Failure> {
    let wrong = || {
        Some(Failure::invalid(
            "logger",
            "options.logger must be an object with debug, info, warn and error methods (pino, winston or console)",
        ))
    };
    if value.get_type().ok()? != ValueType::Object {
        return wrong();
    }
    let object = unsafe { value.cast::<Object>() }.ok()?;
    let all = LOGGER_METHODS.iter().all(|name| {
        object
            .get::<Unknown<'_>>(name)
            .ok()
            .flatten()
            .and_then(|m| m.get_type().ok())
            == Some(ValueType::Function)
    });
    if all {
        None
    } else {
        wrong()
    }
}

/// Whether the stderr lines are printed: decided by the JavaScript entry with the `debug`
/// package's rules for `DEBUG` (wildcards, `-` exclusions, lists).
#[napi(js_name = "_setDebug", skip_typescript)]
pub fn set_debug(on: bool) {
    mobilemoney_core::transport::set_debug(on);
}
