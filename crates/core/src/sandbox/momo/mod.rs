//! The MTN MoMo half of the sandbox (placeholder, being written).
use std::sync::Arc;
use axum::Router;
use super::options::SandboxOptions;
use super::state::SandboxState;

pub struct MomoState {}
impl MomoState {
    pub fn new(_o: &SandboxOptions) -> Self { MomoState {} }
}
pub fn routes() -> Router<Arc<SandboxState>> { Router::new() }
