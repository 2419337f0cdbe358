//! The SLA policy: read with the first command center of a session, it
//! gives every open finding a due time (the list's SLA column and its
//! sort, the command center's count of breaches).

use super::errors;
use crate::api::ApiError;
use crate::api::model::Policy;
use crate::app::effect::Effect;
use crate::app::state::AppState;
use crate::engine::sla::SlaHours;

/// The policy arrived (or not): SLAs show from now on, or stay hidden.
pub fn policy_loaded(state: &mut AppState, result: Result<Policy, ApiError>) -> Vec<Effect> {
    match result {
        Ok(policy) => {
            let hours = SlaHours::from_policy(&policy);
            state.remediation.policy_error = hours
                .is_none()
                .then(|| "the policy names no sla_hours".to_string());
            state.remediation.sla = hours.clone();
            state.findings.sla = hours;
            state.findings.recompute_visible();
        }
        // Quietly: the SLA column stays hidden and the command center says
        // why; it is asked again with the next session's first refresh.
        Err(e) => state.remediation.policy_error = Some(errors::short(&e)),
    }
    Vec::new()
}
