//! The MTN MoMo half of the sandbox (placeholder, being written).
use super::options::SandboxOptions;
use super::state::SandboxState;
use axum::Router;
use std::sync::Arc;

pub struct MomoState {}
impl MomoState {
    pub fn new(_o: &SandboxOptions) -> Self {
        MomoState {}
    }
}
pub fn routes() -> Router<Arc<SandboxState>> {
    Router::new()
}
