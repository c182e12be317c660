//! The Paymob half of the sandbox (placeholder, being written).
use std::sync::Arc;
use axum::Router;
use super::options::SandboxOptions;
use super::state::SandboxState;

pub struct PaymobState {}
impl PaymobState {
    pub fn new(_o: &SandboxOptions) -> Self { PaymobState {} }
}
pub fn routes() -> Router<Arc<SandboxState>> { Router::new() }
