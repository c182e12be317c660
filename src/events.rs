//! `onEvent`: the transport's events delivered to a JavaScript callback.

use std::sync::Arc;

use napi::bindgen_prelude::Function;
use napi::threadsafe_function::ThreadsafeFunctionCallMode;
use napi::{Env, Unknown, ValueType};
use serde_json::Value;

use mobilemoney_core::transport::{Event, Observer};

/// The observer for `options.onEvent`, when it is a function.
pub fn observer(_env: &Env, options: Option<&Unknown<'_>>) -> Option<Observer> {
    let options = options?;
    if options.get_type().ok()? != ValueType::Object {
        return None;
    }
    let object = unsafe { options.cast::<napi::bindgen_prelude::Object>() }.ok()?;
    let callback: Function<'_, Value, ()> = object.get("onEvent").ok()??;
    let tsfn = callback
        .build_threadsafe_function::<Value>()
        .callee_handled::<false>()
        .weak::<true>()
        .build()
        .ok()?;
    let tsfn = Arc::new(tsfn);
    Some(Arc::new(move |event: &Event| {
        tsfn.call(event.to_json(), ThreadsafeFunctionCallMode::NonBlocking);
    }))
}
