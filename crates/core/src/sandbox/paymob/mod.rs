//! The Paymob half of the sandbox (placeholder, being written).
use super::options::SandboxOptions;
use super::state::SandboxState;
use axum::Router;
use std::sync::Arc;

pub struct PaymobState {}
impl PaymobState {
    pub fn new(_o: &SandboxOptions) -> Self {
        PaymobState {}
    }
}
pub fn routes() -> Router<Arc<SandboxState>> {
    Router::new()
}
