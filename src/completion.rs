//! Finished calls handed back to the JavaScript thread in batches.
//!
//! napi-rs's `Env::spawn_future` creates a threadsafe function (a libuv async handle, an
//! async resource, a cleanup hook) for every call and spawns two tokio tasks; at thousands of
//! calls a second that is much of the cost of a call. Here each environment has one
//! threadsafe function and one queue: a finished call is pushed onto the queue, only the
//! first push after a drain wakes the JavaScript thread, and that thread then resolves every
//! promise it finds in one pass.
//!
//! The threadsafe function is referenced (keeps Node's event loop alive) exactly while some
//! call of its environment is pending, as a per-call one would.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::ffi::c_void;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock, PoisonError};

use napi::bindgen_prelude::ToNapiValue;
use napi::sys;

use crate::outcome::Outcome;

/// A promise's resolver. It crosses to tokio inside the queue but is used only by [`drain`],
/// on the JavaScript thread of the environment that created it.
struct Deferred(sys::napi_deferred);

// SAFETY: see the type's documentation; tokio threads only move it.
unsafe impl Send for Deferred {}

struct Queue {
    finished: VecDeque<(Deferred, Outcome)>,
    /// A wake-up is on its way to the JavaScript thread: later pushes need not send another.
    signalled: bool,
    /// Node has finalized the threadsafe function (the environment is going away).
    closed: bool,
}

/// One environment's queue of finished calls and the threadsafe function that drains it.
pub struct Completions {
    queue: Mutex<Queue>,
    /// Set once, right after the function is made (it needs the queue as its context).
    tsfn: OnceLock<Tsfn>,
    /// True once Node has finalized the function. Held while the function is called, so
    /// the finalizer waits for a call under way; apart from the queue's lock so that the
    /// JavaScript thread, woken by the call, does not find the queue still locked by the
    /// thread that woke it (one more sleep and wake-up per pass on a single core).
    gate: Mutex<bool>,
    /// Calls of this environment started and not yet resolved. Read and written only on
    /// the environment's JavaScript thread (an atomic only because the queue is shared).
    pending: AtomicUsize,
}

struct Tsfn(sys::napi_threadsafe_function);

// SAFETY: N-API documents `napi_call_threadsafe_function` as callable from any thread; it is
// called only under the gate's lock while the gate is open, i.e. before Node frees it.
unsafe impl Send for Tsfn {}
unsafe impl Sync for Tsfn {}

impl Completions {
    fn lock(&self) -> MutexGuard<'_, Queue> {
        // A panic while the lock was held cannot leave the queue inconsistent (pushes and
        // swaps), so a poisoned lock is used as is.
        self.queue.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Queue a finished call for its JavaScript thread; any thread.
    fn finish(self: &Arc<Self>, deferred: Deferred, outcome: Outcome) {
        let mut queue = self.lock();
        if queue.closed {
            return;
        }
        queue.finished.push_back((deferred, outcome));
        if queue.signalled {
            return;
        }
        // On a runtime thread the wake-up waits until the runtime has run what is ready
        // and polled its sockets once more (see `Flush`), so one wake-up carries every
        // call finished meanwhile. Waking Node at once would, on a machine with fewer
        // cores than threads, preempt the runtime after each call: two context switches
        // a call instead of two a batch.
        queue.signalled = true;
        drop(queue);
        match tokio::runtime::Handle::try_current() {
            Ok(runtime) => {
                let flush = Flush(self.clone());
                runtime.spawn(async move {
                    tokio::task::yield_now().await;
                    drop(flush);
                });
            }
            Err(_) => self.signal(),
        }
    }

    /// Ask Node to run `call_js` on the JavaScript thread; the caller has set `signalled`.
    fn signal(&self) {
        let closed = self.gate.lock().unwrap_or_else(PoisonError::into_inner);
        if *closed {
            return;
        }
        if let Some(tsfn) = self.tsfn.get() {
            // SAFETY: the gate is open, and its lock keeps the finalizer waiting.
            unsafe {
                sys::napi_call_threadsafe_function(
                    tsfn.0,
                    std::ptr::null_mut(),
                    sys::ThreadsafeFunctionCallMode::nonblocking,
                );
            }
        }
    }
}

/// The deferred wake-up of a queue: sent when dropped, so also when its task is dropped
/// unrun (a runtime shutting down) and no promise is left waiting for a signal never sent.
/// `yield_now` resumes a task only after the worker has polled its I/O driver again (or
/// found nothing else to run), so this runs behind the calls finishing in the same pass.
struct Flush(Arc<Completions>);

impl Drop for Flush {
    fn drop(&mut self) {
        self.0.signal();
    }
}

thread_local! {
    /// The queue of each environment of this thread: usually one, several under Jest (one
    /// per test file's context) on one thread. `finalize` removes an environment's entry.
    static QUEUES: RefCell<Vec<(sys::napi_env, Arc<Completions>)>> =
        const { RefCell::new(Vec::new()) };
}

/// A call's way back to JavaScript: resolve its promise with [`Ticket::finish`], from any
/// thread. Made by [`start`] on the JavaScript thread.
/// Dropped unfinished (its task cancelled), it resolves the promise with a failure: no
/// promise stays pending for ever, and the event loop is not kept alive for nothing.
pub struct Ticket(Option<(Deferred, Arc<Completions>)>);

impl Ticket {
    pub fn finish(mut self, outcome: Outcome) {
        if let Some((deferred, completions)) = self.0.take() {
            completions.finish(deferred, outcome);
        }
    }
}

impl Drop for Ticket {
    fn drop(&mut self) {
        if let Some((deferred, completions)) = self.0.take() {
            completions.finish(deferred, Outcome::new(Err(crate::outcome::cancelled())));
        }
    }
}

/// Create a pending promise for a call of `env`, and the ticket that resolves it.
pub fn start(env: &napi::Env) -> napi::Result<(Ticket, sys::napi_value)> {
    let env = env.raw();
    let completions = completions_of(env)?;
    let (mut deferred, mut promise) = (std::ptr::null_mut(), std::ptr::null_mut());
    // SAFETY: called on the JavaScript thread of `env`, within a call from JavaScript.
    napi::check_status!(unsafe { sys::napi_create_promise(env, &mut deferred, &mut promise) })?;
    let pending = completions.pending.load(Ordering::Relaxed) + 1;
    completions.pending.store(pending, Ordering::Relaxed);
    if let Some(tsfn) = completions.tsfn.get().filter(|_| pending == 1) {
        // SAFETY: the JavaScript thread of `env`; the function is alive (not finalized).
        unsafe { sys::napi_ref_threadsafe_function(env, tsfn.0) };
    }
    Ok((Ticket(Some((Deferred(deferred), completions))), promise))
}

/// This thread's queue for `env`, made on first use.
fn completions_of(env: sys::napi_env) -> napi::Result<Arc<Completions>> {
    // (`finalize` forgets a closed queue, so a remembered one is open.)
    let existing = QUEUES.with_borrow(|queues| {
        queues
            .iter()
            .find(|(e, _)| *e == env)
            .map(|(_, completions)| completions.clone())
    });
    if let Some(completions) = existing {
        return Ok(completions);
    }
    let completions = create(env)?;
    QUEUES.with_borrow_mut(|queues| queues.push((env, completions.clone())));
    Ok(completions)
}

fn create(env: sys::napi_env) -> napi::Result<Arc<Completions>> {
    let name = c"mobilemoney-native";
    let mut resource_name = std::ptr::null_mut();
    // SAFETY: a NUL-terminated name of the given length, on the JavaScript thread.
    napi::check_status!(unsafe {
        sys::napi_create_string_utf8(
            env,
            name.as_ptr(),
            name.count_bytes() as isize,
            &mut resource_name,
        )
    })?;
    // The function's context is a strong reference to the queue, given back in `finalize`;
    // it is made before the queue exists, so the queue starts without its function.
    let completions = Arc::new(Completions {
        queue: Mutex::new(Queue {
            finished: VecDeque::new(),
            signalled: false,
            closed: false,
        }),
        tsfn: OnceLock::new(),
        gate: Mutex::new(false),
        pending: AtomicUsize::new(0),
    });
    let context = Arc::into_raw(completions.clone())
        .cast_mut()
        .cast::<c_void>();
    let mut tsfn = std::ptr::null_mut();
    // SAFETY: no JavaScript function (`call_js` does the work), unlimited queue, one owner;
    // `finalize` takes back the reference `context` holds.
    let status = unsafe {
        sys::napi_create_threadsafe_function(
            env,
            std::ptr::null_mut(),
            std::ptr::null_mut(),
            resource_name,
            0,
            1,
            context,
            Some(finalize),
            context,
            Some(call_js),
            &mut tsfn,
        )
    };
    if let Err(e) = napi::check_status!(status) {
        // SAFETY: the function was not made, so `finalize` will never take it back.
        drop(unsafe { Arc::from_raw(context.cast::<Completions>().cast_const()) });
        return Err(e);
    }
    // Idle until a call starts: an unused client must not keep the process alive.
    // SAFETY: just created on this thread.
    unsafe { sys::napi_unref_threadsafe_function(env, tsfn) };
    let _ = completions.tsfn.set(Tsfn(tsfn));
    Ok(completions)
}

/// At most this many promises are resolved per pass: Node runs the promise reactions
/// (the callers' continuations) between passes (each pass is its own callback scope), so
/// results are consumed as they come rather than piling up behind a long queue. (Node runs
/// up to 1 000 passes in a row before it services other I/O.)
const BATCH: usize = 64;

/// Resolve the finished calls at the head of the queue; on the JavaScript thread, by Node.
unsafe extern "C" fn call_js(
    env: sys::napi_env,
    _js_callback: sys::napi_value,
    context: *mut c_void,
    _data: *mut c_void,
) {
    // Null while Node tears the function down: nothing can be resolved any more.
    if env.is_null() || context.is_null() {
        return;
    }
    // SAFETY: `context` is the reference `create` gave the function, alive until `finalize`.
    let completions = unsafe { &*context.cast::<Completions>() };
    let (finished, more): (Vec<_>, bool) = {
        let mut queue = completions.lock();
        let take = queue.finished.len().min(BATCH);
        let batch = queue.finished.drain(..take).collect();
        // The rest in another pass, after Node has run this batch's promise reactions.
        queue.signalled = !queue.finished.is_empty() && !queue.closed;
        (batch, queue.signalled)
    };
    if more {
        completions.signal();
    }
    let resolved = finished.len();
    for (deferred, outcome) in finished {
        // SAFETY: the JavaScript thread of the environment that created `deferred`.
        unsafe { resolve(env, deferred, outcome) };
    }
    let pending = completions
        .pending
        .load(Ordering::Relaxed)
        .saturating_sub(resolved);
    completions.pending.store(pending, Ordering::Relaxed);
    if let Some(tsfn) = completions
        .tsfn
        .get()
        .filter(|_| pending == 0 && resolved > 0)
    {
        // SAFETY: the JavaScript thread of `env`, from the function's own callback.
        unsafe { sys::napi_unref_threadsafe_function(env, tsfn.0) };
    }
}

/// Resolve one promise with its outcome, in a handle scope of its own.
unsafe fn resolve(env: sys::napi_env, deferred: Deferred, outcome: Outcome) {
    let mut scope = std::ptr::null_mut();
    // SAFETY: N-API calls on the JavaScript thread of `env`.
    unsafe {
        let opened = sys::napi_open_handle_scope(env, &mut scope) == sys::Status::napi_ok;
        let value = match Outcome::to_napi_value(env, outcome) {
            Ok(value) => value,
            // The outcome could not be built (out of memory, say): resolve with undefined
            // rather than leave the promise pending for ever.
            Err(_) => {
                let mut undefined = std::ptr::null_mut();
                sys::napi_get_undefined(env, &mut undefined);
                undefined
            }
        };
        sys::napi_resolve_deferred(env, deferred.0, value);
        if opened {
            sys::napi_close_handle_scope(env, scope);
        }
    }
}

/// Node frees the function (environment teardown): close the queue, so no thread calls it
/// again, and give back the function's reference to it.
unsafe extern "C" fn finalize(_env: sys::napi_env, data: *mut c_void, _hint: *mut c_void) {
    if data.is_null() {
        return;
    }
    // SAFETY: `data` is the reference `create` made for the function; taken back once.
    let completions = unsafe { Arc::from_raw(data.cast::<Completions>().cast_const()) };
    *completions
        .gate
        .lock()
        .unwrap_or_else(PoisonError::into_inner) = true;
    {
        let mut queue = completions.lock();
        queue.closed = true;
        queue.finished.clear();
    }
    // (`try_with`: at process exit this thread's locals may already be gone.)
    let _ = QUEUES.try_with(|queues| {
        if let Ok(mut queues) = queues.try_borrow_mut() {
            queues.retain(|(_, c)| !Arc::ptr_eq(c, &completions));
        }
    });
}
