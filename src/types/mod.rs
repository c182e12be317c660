//! The result types of the MoMo, Paymob and payouts calls, and the request bodies they
//! take, declared here so that napi-rs generates their TypeScript into binding.d.ts (doc
//! comments become TSDoc). The values themselves travel as JSON text (`outcome.rs`),
//! never through these structs: they exist for their declarations, and for the tests
//! that tie their fields to what the core returns (`tests.rs`, which deserialises the
//! core's values into them).
//!
//! What napi-rs cannot say stays in types/header.d.ts: string unions used by name (a napi
//! string enum would also export a runtime object), generics, unions of object types, and
//! index signatures (the header declares those interfaces a second time with just their
//! index signature, and TypeScript merges the two). Nor can it say `extends`: structs
//! that share fields are declared with `sharing!`, each with every field.

/// Structs that share fields, each declared with all of them (napi-rs has no `extends`):
/// `sharing! { { shared fields, } struct… }`, where a `sharing { more fields, } [struct…]`
/// among the structs gives those structs both lists. The shared fields come first. Docs
/// inside it are written `#[doc = " …"]`: a `///` passed through a macro reaches napi-rs
/// as a raw string, whose `r"` it would print into the TypeScript.
macro_rules! sharing {
    (@ [$($shared:tt)*]) => {};
    (@ [$($shared:tt)*] sharing { $($more:tt)* } [ $($inner:tt)* ] $($rest:tt)*) => {
        sharing!(@ [$($shared)* $($more)*] $($inner)*);
        sharing!(@ [$($shared)*] $($rest)*);
    };
    (@ [$($shared:tt)*] $(#[$meta:meta])* pub struct $name:ident { $($own:tt)* } $($rest:tt)*) => {
        $(#[$meta])*
        pub struct $name {
            $($shared)*
            $($own)*
        }
        sharing!(@ [$($shared)*] $($rest)*);
    };
    ({ $($shared:tt)* } $($rest:tt)*) => {
        sharing!(@ [$($shared)*] $($rest)*);
    };
}

pub mod common;
pub mod momo;
pub mod momo_bodies;
pub mod options;
pub mod paymob;
pub mod payouts;

#[cfg(test)]
mod tests;
