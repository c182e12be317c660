//! V8's own `JSON.parse` and `JSON.stringify`, used to move whole values across the
//! boundary in one N-API call instead of two or three per property.
//!
//! Each is looked up once per environment and kept in a reference. A failure (an exception
//! in `JSON.stringify`, say) is cleared and reported as `None`; nothing here throws.

use std::cell::RefCell;
use std::ffi::{c_void, CStr};

use napi::bindgen_prelude::FromNapiValue;
use napi::sys;

/// References to `JSON.parse` and `JSON.stringify` of one environment.
#[derive(Clone, Copy)]
struct Functions {
    parse: sys::napi_ref,
    stringify: sys::napi_ref,
}

thread_local! {
    /// Per environment of this thread (usually one; Jest runs one per test file's context
    /// on one thread). An environment's cleanup hook removes its entry.
    static CACHE: RefCell<Vec<(sys::napi_env, Functions)>> = const { RefCell::new(Vec::new()) };
}

fn ok(status: sys::napi_status) -> bool {
    status == sys::Status::napi_ok
}

/// The JSON functions of `env`, looked up on first use and kept in references.
///
/// # Safety
/// `env` must be the environment of the current call, on its JavaScript thread.
unsafe fn functions(env: sys::napi_env) -> Option<Functions> {
    let cached = CACHE
        .try_with(|c| c.borrow().iter().find(|(e, _)| *e == env).map(|(_, f)| *f))
        .ok()
        .flatten();
    if cached.is_some() {
        return cached;
    }
    let (mut global, mut json) = (std::ptr::null_mut(), std::ptr::null_mut());
    // SAFETY: plain N-API calls on the env of the current call.
    let found = unsafe {
        ok(sys::napi_get_global(env, &mut global))
            && ok(sys::napi_get_named_property(
                env,
                global,
                c"JSON".as_ptr(),
                &mut json,
            ))
    };
    // SAFETY: as above; `json` is the JSON object of `env`.
    let made = found
        .then(|| unsafe {
            Some(Functions {
                parse: reference(env, json, c"parse")?,
                stringify: reference(env, json, c"stringify")?,
            })
        })
        .flatten();
    let Some(functions) = made else {
        // SAFETY: the env of the current call.
        unsafe { clear_exception(env) };
        return None;
    };
    let remembered = CACHE
        .try_with(|c| c.borrow_mut().push((env, functions)))
        .is_ok();
    if remembered {
        // SAFETY: `forget` only removes this thread's entry for `env`.
        unsafe { sys::napi_add_env_cleanup_hook(env, Some(forget), env.cast::<c_void>()) };
    }
    Some(functions)
}

/// A strong reference to `object[name]`.
///
/// # Safety
/// `env` must be the environment of the current call, on its JavaScript thread.
unsafe fn reference(
    env: sys::napi_env,
    object: sys::napi_value,
    name: &CStr,
) -> Option<sys::napi_ref> {
    let (mut func, mut reference) = (std::ptr::null_mut(), std::ptr::null_mut());
    // SAFETY: the caller's contract; `name` is NUL-terminated.
    unsafe {
        (ok(sys::napi_get_named_property(
            env,
            object,
            name.as_ptr(),
            &mut func,
        )) && ok(sys::napi_create_reference(env, func, 1, &mut reference)))
        .then_some(reference)
    }
}

/// Environment teardown: forget its references (Node frees them with it).
unsafe extern "C" fn forget(env: *mut c_void) {
    let env = env.cast::<sys::napi_env__>();
    let _ = CACHE.try_with(|c| {
        if let Ok(mut c) = c.try_borrow_mut() {
            c.retain(|(e, _)| *e != env);
        }
    });
}

/// The function a reference of `env` holds.
///
/// # Safety
/// `env` must be the environment of the current call and `reference` one of its references.
unsafe fn value_of(env: sys::napi_env, reference: sys::napi_ref) -> Option<sys::napi_value> {
    let mut value = std::ptr::null_mut();
    // SAFETY: the caller's contract.
    unsafe { ok(sys::napi_get_reference_value(env, reference, &mut value)) && !value.is_null() }
        .then_some(value)
}

/// Call `func(arg)` with `undefined` as `this`; an exception is cleared and gives `None`.
///
/// # Safety
/// `env` must be the environment of the current call, on its JavaScript thread.
unsafe fn call(
    env: sys::napi_env,
    func: sys::napi_value,
    arg: sys::napi_value,
) -> Option<sys::napi_value> {
    let (mut this, mut result) = (std::ptr::null_mut(), std::ptr::null_mut());
    // SAFETY: N-API calls on the env of the current call.
    unsafe {
        if ok(sys::napi_get_undefined(env, &mut this))
            && ok(sys::napi_call_function(
                env,
                this,
                func,
                1,
                &arg,
                &mut result,
            ))
        {
            return Some(result);
        }
        clear_exception(env);
    }
    None
}

/// Clear the exception a failed N-API call left pending, if any.
///
/// # Safety
/// `env` must be the environment of the current call, on its JavaScript thread.
pub unsafe fn clear_exception(env: sys::napi_env) {
    let mut pending = false;
    // SAFETY: N-API calls on the env of the current call.
    unsafe {
        if ok(sys::napi_is_exception_pending(env, &mut pending)) && pending {
            let mut exception = std::ptr::null_mut();
            sys::napi_get_and_clear_last_exception(env, &mut exception);
        }
    }
}

/// The value `JSON.parse(text)` builds.
///
/// # Safety
/// `env` must be the environment of the current call, on its JavaScript thread.
pub unsafe fn parse(env: sys::napi_env, text: &str) -> Option<sys::napi_value> {
    let mut arg = std::ptr::null_mut();
    // SAFETY: the caller's contract; `text` outlives the calls.
    unsafe {
        let parse = value_of(env, functions(env)?.parse)?;
        if !ok(sys::napi_create_string_utf8(
            env,
            text.as_ptr().cast(),
            text.len() as isize,
            &mut arg,
        )) {
            return None;
        }
        call(env, parse, arg)
    }
}

/// `JSON.stringify(value)` as Rust text; `None` when it throws (a cycle, a BigInt, a
/// throwing getter or `toJSON`) or gives `undefined`.
///
/// # Safety
/// `env` must be the environment of the current call, on its JavaScript thread, and
/// `value` a value of it.
pub unsafe fn stringify(env: sys::napi_env, value: sys::napi_value) -> Option<String> {
    // SAFETY: the caller's contract.
    unsafe {
        let stringify = value_of(env, functions(env)?.stringify)?;
        let text = call(env, stringify, value)?;
        // `undefined` (nothing to stringify) is not a string: `None`.
        String::from_napi_value(env, text).ok()
    }
}
