//! The remediation flow over the client (contract 5.4 and 5.5), shared by
//! the headless commands and the TUI: a finding's task, reading and listing
//! verifications (with a fallback where a sandbox route is missing), why a
//! verification did not pass, and an approval that tells the truth after a
//! failed answer.

mod approval;
mod tasks;
mod verifications;

pub use approval::{Approval, ApprovalError, approve, is_approved};
pub use tasks::{new_task_for, newest_of, newest_task_of, priority_of};
pub use verifications::{
    failure_reason, observation, read_verification, read_verification_as, still_wrong,
    verifications_of_task,
};
