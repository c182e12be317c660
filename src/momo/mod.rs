//! What the three MoMo classes (`Disbursements`, `Collection`, `Remittance`) share:
//! [`money`], the helpers that send a product's money endpoint or read its status, and two
//! macros (napi classes cannot inherit): [`calls`], a class's money and status calls as a
//! table, and [`shared`], the methods every product has.

pub(crate) mod calls;
pub(crate) mod money;
mod shared;

pub(crate) use calls::momo_calls;
pub(crate) use money::Pending;
pub(crate) use shared::momo_shared_methods;
