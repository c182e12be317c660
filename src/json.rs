//! V8's own `JSON.parse` and `JSON.stringify`, used to move whole values across the
//! boundary in one N-API call instead of two or three per property.
//!
//! Each is looked up once per environment and kept in a reference. A failure (an exception
//! in `JSON.stringify`, say) is cleared and reported as `None`; nothing here throws.

use std::cell::Cell;
use std::ffi::CStr;

use napi::sys;

type Cached = Cell<Option<(sys::napi_env, sys::napi_ref)>>;

thread_local! {
    static PARSE: Cached = const { Cell::new(None) };
    static STRINGIFY: Cached = const { Cell::new(None) };
}

fn ok(status: sys::napi_status) -> bool {
    status == sys::Status::napi_ok
}

/// `JSON[name]` of `env`, looked up on first use and kept in a reference in `cache`.
///
/// # Safety
/// `env` must be the environment of the current call, on its JavaScript thread.
unsafe fn json_function(
    env: sys::napi_env,
    cache: &'static std::thread::LocalKey<Cached>,
    name: &CStr,
) -> Option<sys::napi_value> {
    let mut func = std::ptr::null_mut();
    if let Some((cached_env, reference)) = cache.with(Cell::get) {
        // SAFETY: a reference made in this same environment.
        if cached_env == env
            && ok(unsafe { sys::napi_get_reference_value(env, reference, &mut func) })
            && !func.is_null()
        {
            return Some(func);
        }
    }
    let (mut global, mut json) = (std::ptr::null_mut(), std::ptr::null_mut());
    let mut reference = std::ptr::null_mut();
    // SAFETY: plain N-API calls on the env of the current call, with NUL-terminated names.
    unsafe {
        if !(ok(sys::napi_get_global(env, &mut global))
            && ok(sys::napi_get_named_property(
                env,
                global,
                c"JSON".as_ptr(),
                &mut json,
            ))
            && ok(sys::napi_get_named_property(
                env,
                json,
                name.as_ptr(),
                &mut func,
            ))
            && ok(sys::napi_create_reference(env, func, 1, &mut reference)))
        {
            clear_exception(env);
            return None;
        }
    }
    cache.with(|cell| cell.set(Some((env, reference))));
    Some(func)
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

/// # Safety
/// `env` must be the environment of the current call, on its JavaScript thread.
unsafe fn clear_exception(env: sys::napi_env) {
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
        let parse = json_function(env, &PARSE, c"parse")?;
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
        let stringify = json_function(env, &STRINGIFY, c"stringify")?;
        let text = call(env, stringify, value)?;
        string(env, text)
    }
}

/// A JavaScript string as Rust text; `None` for any other value.
///
/// # Safety
/// `env` must be the environment of the current call, on its JavaScript thread, and
/// `value` a value of it.
pub unsafe fn string(env: sys::napi_env, value: sys::napi_value) -> Option<String> {
    let mut len = 0usize;
    // SAFETY: N-API calls on the env of the current call; the buffer has `len + 1` bytes.
    unsafe {
        if !ok(sys::napi_get_value_string_utf8(
            env,
            value,
            std::ptr::null_mut(),
            0,
            &mut len,
        )) {
            return None;
        }
        let mut buf: Vec<u8> = Vec::with_capacity(len + 1);
        let mut written = 0usize;
        if !ok(sys::napi_get_value_string_utf8(
            env,
            value,
            buf.as_mut_ptr().cast(),
            len + 1,
            &mut written,
        )) {
            return None;
        }
        buf.set_len(written.min(len));
        // N-API writes UTF-8 (lone surrogates become U+FFFD), so this does not fail.
        String::from_utf8(buf).ok()
    }
}
