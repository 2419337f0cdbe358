//! The command line: every command and flag, in one place.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::config::Flags;

/// Exit codes shared by every command (documented in `--help` and README).
pub mod exit {
    /// Success.
    pub const OK: i32 = 0;
    /// A runtime or API error; the message is on stderr.
    pub const ERROR: i32 = 1;
    /// A usage error (bad flag or argument).
    pub const USAGE: i32 = 2;
    /// `health --fail-under N`: the health score is below N.
    pub const HEALTH_BELOW: i32 = 3;
    /// `update`: some of the findings were not changed.
    pub const PARTIAL: i32 = 4;
    /// `gate`: open findings at or above `--fail-on` count.
    pub const GATE_FAILED: i32 = 3;
}

/// A bad flag or argument found after parsing (a value clap could not
/// check on its own): exit code [`exit::USAGE`].
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct UsageError(pub String);

const AFTER_HELP: &str = "\
Exit codes: 0 success, 1 runtime or API error, 2 usage error,
            3 health score below --fail-under or gate threshold crossed,
            4 some updates not applied.

Run `krafter demo` to try everything against a local sandbox with demo data.";

/// A terminal client for Krafter Audit: triage findings, watch health, act in bulk.
#[derive(Debug, Parser)]
#[command(name = "krafter", version, about, after_help = AFTER_HELP)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,

    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Settings every command accepts. Flags win over the environment, which
/// wins over the config file.
#[derive(Clone, Debug, Default, Args)]
pub struct GlobalArgs {
    /// Config file to read instead of the default location.
    #[arg(long, global = true, env = "KRAFTER_CONFIG", value_name = "PATH")]
    pub config: Option<PathBuf>,

    /// Profile of the config file to use.
    #[arg(long, global = true, env = "KRAFTER_PROFILE", value_name = "NAME")]
    pub profile: Option<String>,

    /// API base URL, e.g. https://app.krafter.dev/api/v1.
    #[arg(long, global = true, env = "KRAFTER_BASE_URL", value_name = "URL")]
    pub base_url: Option<String>,

    /// Organisation id (a UUID).
    #[arg(
        long = "org",
        global = true,
        env = "KRAFTER_ORG_ID",
        value_name = "UUID"
    )]
    pub org_id: Option<String>,

    /// Project id (a slug such as production-website).
    #[arg(
        long = "project",
        global = true,
        env = "KRAFTER_PROJECT_ID",
        value_name = "SLUG"
    )]
    pub project_id: Option<String>,

    /// Read the API key from this environment variable instead of KRAFTER_API_KEY.
    #[arg(long, global = true, value_name = "NAME")]
    pub api_key_env: Option<String>,

    /// Refuse every change (status, owner, severity, scans).
    #[arg(long, global = true)]
    pub read_only: bool,

    /// Allow a plain http:// base URL to a host that is not loopback.
    #[arg(long, global = true)]
    pub allow_insecure_http: bool,

    /// Disable colours (NO_COLOR is honoured too).
    #[arg(long, global = true)]
    pub no_color: bool,

    /// Log level for the log file: error, warn, info, debug, trace.
    #[arg(long, global = true, env = "KRAFTER_LOG", value_name = "LEVEL")]
    pub log_level: Option<String>,
}

impl GlobalArgs {
    /// The flags that take part in resolving the config.
    pub fn flags(&self) -> Flags {
        Flags {
            config: self.config.clone(),
            profile: self.profile.clone(),
            base_url: self.base_url.clone(),
            org_id: self.org_id.clone(),
            project_id: self.project_id.clone(),
            api_key_env: self.api_key_env.clone(),
            read_only: self.read_only,
            allow_insecure_http: self.allow_insecure_http,
            no_color: self.no_color,
        }
    }
}

/// The commands. With none, krafter opens the TUI.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Start a local sandbox with demo data and open the TUI against it.
    Demo(DemoArgs),
    /// Run the local sandbox server of the Krafter Audit API.
    Serve(ServeArgs),
    /// Show the command center: health score, counts, top priorities.
    #[command(
        after_help = "Exit codes: 0 success, 1 runtime or API error, 2 usage error, \
3 health score below --fail-under."
    )]
    Health(HealthArgs),
    /// List findings.
    #[command(
        after_help = "CSV: a text cell that would start a spreadsheet formula \
(=, +, -, @, tab or carriage return) is written with a leading ' so it opens as text; \
numbers are written as sent. JSON is written exactly as the server sent it.\n\n\
Exit codes: 0 success, 1 runtime or API error, \
2 usage error (e.g. an unknown --severity; the known values are listed)."
    )]
    Findings(FindingsArgs),
    /// Show one finding with its recommended fix.
    #[command(after_help = "Exit codes: 0 success, 1 runtime or API error (404: no such finding).")]
    Finding(FindingArgs),
    /// Start a scan of a URL.
    #[command(after_help = "Exit codes: 0 scan started (with --wait: completed), \
1 runtime or API error or a failed scan, 2 usage error or a URL refused by the SSRF rules.")]
    Scan(ScanArgs),
    /// Change the status, owner or severity of findings: by id, from stdin, or by filter.
    #[command(
        after_help = "Findings are read first (list pages of 100 for --where-*), \
then a preview says what changes, what is skipped and why, and how long it takes; \
then one PATCH per finding, paced by the team's rate limit. Each job is written to a \
local journal first, so `--resume` finishes an interrupted job and `--undo` puts \
its findings back. `resolved` is never set by hand: it follows an approved verification.\n\n\
Exit codes: 0 all updated or already so, 1 runtime error, 2 usage error, \
4 some ids skipped (a move the lifecycle refuses) or failed, or the job stopped."
    )]
    Update(UpdateArgs),
    /// List the bulk jobs of the local journal.
    Jobs(JobsArgs),
    /// Re-check a finding's fix and, with --approve, mark it resolved.
    #[command(
        after_help = "Uses the finding's newest task, or creates one. A finding becomes \
`resolved` only through an approved verification that passed.\n\n\
Exit codes: 0 the check passed (and, with --approve, was approved), \
1 the check failed, timed out, or a runtime or API error."
    )]
    Verify(VerifyArgs),
    /// Watch the project: one line (or JSON object) per alert, as the TUI raises them.
    #[command(
        after_help = "Alerts: the health score fell by [alerts] health_drop points (default 5), \
a new critical finding, a regression opened, an SLA breached. The first refresh sets the baseline. \
A refresh costs 3 requests (the policy once an hour more; 1 when the budget is nearly spent). \
While the service cannot be reached, one line on stderr says since when, and retries back off.\n\n\
Exit codes: 0 stopped by a signal, 1 runtime or API error (e.g. a refused key), 2 usage error."
    )]
    Watch(WatchArgs),
    /// What changed since a time: new, resolved, dismissed, regressed findings, and the risk.
    #[command(
        after_help = "Reads every finding (one request per 100), the regressions, the report \
summary and the command center; status changes made through krafter come from the local journal \
when there is one. \"Resolved since\" reads a resolved finding's updated_at.\n\n\
Exit codes: 0 success, 1 runtime or API error, 2 usage error (e.g. a bad --since)."
    )]
    Changes(ChangesArgs),
    /// A release gate for CI: fail when open findings at or above a severity remain.
    #[command(
        after_help = "Counts open findings (new, triaged, in_progress, ready_verify) at or \
above --fail-on; dismissed and resolved ones never count, nor do findings in --baseline. \
--write-baseline FILE writes the open findings' ids and check keys and exits 0.\n\n\
Exit codes: 0 nothing counts, 3 the threshold is crossed, 1 any error (API, network, \
bad baseline file), 2 usage error."
    )]
    Gate(GateArgs),
    /// List the project's remediation tasks, newest first.
    #[command(after_help = "SLA shows the time left before the task's due time \
(\"overdue 3h\" once it has passed). JSON is every task exactly as the server sent it.\n\n\
Exit codes: 0 success, 1 runtime or API error, 2 usage error.")]
    Tasks(TasksArgs),
    /// Create a finding's task, or change a task.
    #[command(subcommand)]
    Task(TaskCommand),
    /// List verifications (of one task with --task), with their checks.
    #[command(after_help = "Exit codes: 0 success, 1 runtime or API error, 2 usage error.")]
    Verifications(VerificationsArgs),
    /// Approve a passed verification: its task becomes done and its finding resolved.
    #[command(
        after_help = "The approval is sent once. When its answer fails (a 5xx or a lost \
connection), the verification is read back and the command says whether it was approved; it is \
never sent again blindly.\n\n\
Exit codes: 0 approved, 1 not approved (refused, or the outcome is unknown) or an error."
    )]
    Approve(ApproveArgs),
    /// List regressions: resolved findings a scan found again.
    #[command(after_help = "A sandbox route: a service without it answers 404, \
and the command says the feature is not offered.\n\n\
Exit codes: 0 success, 1 runtime or API error, 2 usage error.")]
    Regressions(RegressionsArgs),
    /// The report: 7-day risk burn-down, verification pass rate, regression rate, open findings.
    Report(ReportArgs),
    /// Show or check the configuration.
    #[command(subcommand)]
    Config(ConfigCommand),
    /// Print shell completions.
    Completions(CompletionsArgs),
    /// Print the man page (roff), e.g. `krafter manpage > krafter.1`.
    Manpage,
}

/// How `krafter findings` writes them: the list formats, and the
/// documents other tools read.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum FindingsFormat {
    #[default]
    Table,
    Json,
    /// One JSON object a line.
    Ndjson,
    Csv,
    /// SARIF 2.1.0, for code-scanning dashboards.
    Sarif,
    /// JUnit XML, one test case per finding (failed while it is open).
    Junit,
    /// A Markdown table, for a CI job summary.
    Markdown,
}

/// How a command that lists rows writes them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    #[default]
    Table,
    Json,
    /// One JSON object a line.
    Ndjson,
    Csv,
}

/// The most synthetic findings `--generate` accepts: a typo of a few more
/// digits should not exhaust memory.
pub const MAX_GENERATE: u64 = 1_000_000;

fn generate_count() -> clap::builder::RangedU64ValueParser<usize> {
    clap::builder::RangedU64ValueParser::<usize>::new().range(0..=MAX_GENERATE)
}

#[derive(Clone, Debug, Args)]
pub struct DemoArgs {
    /// Load N synthetic findings instead of the demo data set (0 gives
    /// empty projects; at most 1000000).
    #[arg(long, value_name = "N", value_parser = generate_count())]
    pub generate: Option<usize>,
}

#[derive(Clone, Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8787")]
    pub addr: SocketAddr,

    /// An API key and its scope, KEY=audit:read or KEY=audit:write (repeatable).
    /// With none, one write key and one read key are generated and printed.
    #[arg(long = "key", value_name = "KEY=SCOPE")]
    pub keys: Vec<String>,

    /// Load the data set from this JSON file instead of the demo data.
    #[arg(long, value_name = "FILE", conflicts_with = "generate")]
    pub data: Option<PathBuf>,

    /// Generate N synthetic findings (deterministic) instead of the demo data
    /// (0 gives empty projects; at most 1000000).
    #[arg(long, value_name = "N", value_parser = generate_count())]
    pub generate: Option<usize>,

    /// Let scans reach private and loopback addresses (local testing only).
    #[arg(long)]
    pub allow_private_targets: bool,

    /// Default bucket, REQUESTS/SECONDS.
    #[arg(long, default_value = "100/60", value_name = "N/SECS")]
    pub rate_default: String,

    /// Strict bucket of POST /scans/run, REQUESTS/SECONDS.
    #[arg(long, default_value = "30/60", value_name = "N/SECS")]
    pub rate_strict: String,

    /// Turn rate limiting off.
    #[arg(long)]
    pub no_rate_limit: bool,

    /// Do not serve the demo storefront (by default it runs on loopback and
    /// scans may reach it as http://shop.northwind.test:PORT/).
    #[arg(long)]
    pub no_demo_site: bool,

    /// Fault mode: FAULT=RATE pairs, e.g. 500=0.1,reset=0.05,slow=0.1:2s,garbage=0.05,429=0.1
    /// (also reset_after: the change is applied, then the connection dropped).
    #[arg(long, value_name = "SPEC")]
    pub chaos: Option<String>,

    /// The seed that fixes which requests meet which fault.
    #[arg(long, value_name = "N", default_value_t = 0, requires = "chaos")]
    pub chaos_seed: u64,
}

/// How a command that shows one record (a health report, a finding, a scan,
/// an update report) writes it: text for a person, or JSON for a script.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum RecordFormat {
    #[default]
    Table,
    Json,
}

#[derive(Clone, Debug, Args)]
pub struct HealthArgs {
    #[arg(long, value_enum, default_value_t)]
    pub format: RecordFormat,

    /// Exit with code 3 when the health score is below N (0 to 100).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(i64).range(0..=100))]
    pub fail_under: Option<i64>,
}

#[derive(Clone, Debug, Args)]
pub struct FindingsArgs {
    /// critical, high, medium or low.
    #[arg(long)]
    pub severity: Option<String>,
    /// new, triaged, in_progress, ready_verify, resolved or dismissed.
    #[arg(long)]
    pub status: Option<String>,
    /// security, performance, accessibility or seo.
    #[arg(long)]
    pub domain: Option<String>,
    /// A user UUID, `me` (from the profile) or `none` (unassigned).
    #[arg(long)]
    pub owner: Option<String>,
    /// At most N findings (1 or more).
    #[arg(
        long,
        value_name = "N",
        conflicts_with = "all",
        value_parser = clap::value_parser!(u32).range(1..)
    )]
    pub limit: Option<u32>,
    /// Every finding, however many pages that takes.
    #[arg(long)]
    pub all: bool,
    #[arg(long, value_enum, default_value_t)]
    pub format: FindingsFormat,
}

#[derive(Clone, Debug, Args)]
pub struct FindingArgs {
    /// The finding's id.
    pub id: String,
    #[arg(long, value_enum, default_value_t)]
    pub format: RecordFormat,
}

#[derive(Clone, Debug, Args)]
pub struct ScanArgs {
    /// The http(s) URL to scan.
    pub url: String,
    /// manual, scheduled or post_deploy.
    #[arg(long, default_value = "manual")]
    pub trigger: String,
    /// Follow the scan until it finishes; exit 0 on completed, 1 on failed.
    #[arg(long)]
    pub wait: bool,
    /// Skip the client's own SSRF pre-check, for a sandbox started with the
    /// same flag scanning a local site (the server's answer still decides).
    /// Also `allow_private_targets = true` in the profile.
    #[arg(long)]
    pub allow_private_targets: bool,
    /// With --wait, give up after this many seconds (exit 1; the scan goes on).
    #[arg(
        long,
        value_name = "SECS",
        default_value_t = crate::engine::poll::FOLLOW_LIMIT_SECS,
        requires = "wait",
        value_parser = clap::value_parser!(u64).range(1..)
    )]
    pub timeout: u64,
    #[arg(long, value_enum, default_value_t)]
    pub format: RecordFormat,
}

#[derive(Clone, Debug, Args)]
pub struct UpdateArgs {
    /// Finding ids (UUIDs).
    #[arg(conflicts_with_all = ["resume", "undo"])]
    pub ids: Vec<String>,
    /// Also read finding ids from stdin, one per line (blank lines and
    /// `#` comments are ignored).
    #[arg(long, conflicts_with_all = ["resume", "undo"])]
    pub stdin: bool,
    /// Select every finding of this severity (with the other --where-* flags).
    #[arg(long, value_name = "S", conflicts_with_all = ["resume", "undo"])]
    pub where_severity: Option<String>,
    /// Select every finding in this status.
    #[arg(long, value_name = "S", conflicts_with_all = ["resume", "undo"])]
    pub where_status: Option<String>,
    /// Select every finding of this domain.
    #[arg(long, value_name = "D", conflicts_with_all = ["resume", "undo"])]
    pub where_domain: Option<String>,
    /// Select every finding of this owner: a user UUID, `me` or `none`.
    #[arg(long, value_name = "UUID|me|none", conflicts_with_all = ["resume", "undo"])]
    pub where_owner: Option<String>,
    /// Select every finding whose title or description contains TEXT.
    #[arg(long, value_name = "TEXT", conflicts_with_all = ["resume", "undo"])]
    pub where_text: Option<String>,
    /// The new status: new, triaged, in_progress, ready_verify or dismissed.
    #[arg(long, value_name = "S", conflicts_with_all = ["resume", "undo"])]
    pub status: Option<String>,
    /// The new owner: a user UUID, or `me`.
    #[arg(long, value_name = "UUID|me", conflicts_with_all = ["unassign", "resume", "undo"])]
    pub owner: Option<String>,
    /// Remove the owner.
    #[arg(long, conflicts_with_all = ["resume", "undo"])]
    pub unassign: bool,
    /// Override the severity.
    #[arg(long, value_name = "S", conflicts_with_all = ["resume", "undo"])]
    pub severity: Option<String>,
    /// Why (kept in the local journal; required to dismiss): false_positive,
    /// wont_fix, accepted_risk, duplicate or other.
    #[arg(long, value_name = "R", conflicts_with_all = ["resume", "undo"])]
    pub reason: Option<String>,
    /// A comment kept with the change in the local journal.
    #[arg(long, value_name = "TEXT", conflicts_with = "resume")]
    pub comment: Option<String>,
    /// Show what would change, and what it costs, and send nothing.
    #[arg(long, conflicts_with = "resume")]
    pub dry_run: bool,
    /// Resume an interrupted job (the newest one of this project by default).
    #[arg(long, value_name = "JOB_ID", num_args = 0..=1, conflicts_with = "undo")]
    pub resume: Option<Option<String>>,
    /// Put back what a job changed (a new job, with its own preview).
    #[arg(long, value_name = "JOB_ID")]
    pub undo: Option<String>,
    #[arg(long, value_enum, default_value_t)]
    pub format: RecordFormat,
}

#[derive(Clone, Debug, Args)]
pub struct JobsArgs {
    #[arg(long, value_enum, default_value_t)]
    pub format: RecordFormat,
}

#[derive(Clone, Debug, Args)]
pub struct VerifyArgs {
    /// The finding's id.
    pub id: String,
    /// Verify through this task instead of the finding's newest one.
    #[arg(long, value_name = "TASK_ID")]
    pub task: Option<String>,
    /// When the check passes, approve it: the finding becomes resolved.
    #[arg(long)]
    pub approve: bool,
    /// Give up after this many seconds (exit 1; the verification goes on).
    #[arg(
        long,
        value_name = "SECS",
        default_value_t = crate::engine::poll::FOLLOW_LIMIT_SECS,
        value_parser = clap::value_parser!(u64).range(1..)
    )]
    pub timeout: u64,
    #[arg(long, value_enum, default_value_t)]
    pub format: RecordFormat,
}

/// How `krafter watch` writes alerts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum WatchFormat {
    #[default]
    Text,
    Json,
}

#[derive(Clone, Debug, Args)]
pub struct WatchArgs {
    /// Seconds between refreshes (default: [ui] refresh_interval, 60).
    #[arg(long, value_name = "SECS", value_parser = clap::value_parser!(u64).range(1..=86_400))]
    pub interval: Option<u64>,
    #[arg(long, value_enum, default_value_t)]
    pub format: WatchFormat,
}

/// How `krafter changes` writes its report.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum ChangesFormat {
    #[default]
    Table,
    Json,
    Markdown,
}

#[derive(Clone, Debug, Args)]
pub struct ChangesArgs {
    /// A duration back from now (30m, 24h, 7d, 1d12h, 2w) or an RFC 3339 time.
    #[arg(long, value_name = "DURATION|RFC3339")]
    pub since: String,
    #[arg(long, value_enum, default_value_t)]
    pub format: ChangesFormat,
}

/// The severity `krafter gate --fail-on` fails at (and above).
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    Critical,
    High,
    Medium,
    Low,
}

/// How `krafter gate` writes its result.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum GateFormat {
    #[default]
    Text,
    Json,
    Markdown,
    Sarif,
    Junit,
}

#[derive(Clone, Debug, Args)]
pub struct GateArgs {
    /// Fail when an open finding of this severity or above counts.
    #[arg(long, value_enum, value_name = "SEVERITY")]
    pub fail_on: FailOn,
    /// Only findings of this domain: security, performance, accessibility or seo.
    #[arg(long, value_name = "D")]
    pub domain: Option<String>,
    /// Findings accepted as they are (written by --write-baseline).
    #[arg(long, value_name = "FILE", conflicts_with = "write_baseline")]
    pub baseline: Option<PathBuf>,
    /// Write the open findings' ids and check keys to FILE, then exit 0.
    #[arg(long, value_name = "FILE")]
    pub write_baseline: Option<PathBuf>,
    #[arg(long, value_enum, default_value_t)]
    pub format: GateFormat,
}

#[derive(Clone, Debug, Args)]
pub struct TasksArgs {
    /// backlog, in_progress, blocked, ready_verify or done.
    #[arg(long, value_name = "S")]
    pub status: Option<String>,
    #[arg(long, value_enum, default_value_t)]
    pub format: ListFormat,
}

#[derive(Clone, Debug, Subcommand)]
pub enum TaskCommand {
    /// Create the task of a finding (status backlog): titled after the
    /// finding, its priority from the finding's severity, its SLA from the
    /// policy unless --sla-due is given.
    #[command(after_help = "Exit codes: 0 created, 1 runtime or API error, 2 usage error.")]
    Create(TaskCreateArgs),
    /// Change a task: status (legal moves only; done follows an approved
    /// verification), owner, ticket key, PR URL.
    #[command(after_help = "Exit codes: 0 changed, 1 runtime or API error \
(a move the lifecycle refuses names the allowed ones), 2 usage error.")]
    Set(TaskSetArgs),
}

#[derive(Clone, Debug, Args)]
pub struct TaskCreateArgs {
    /// The finding's id.
    pub finding_id: String,
    /// The task's title (default: the finding's).
    #[arg(long, value_name = "T")]
    pub title: Option<String>,
    /// low, medium, high or critical (default: from the finding's severity).
    #[arg(long, value_name = "P")]
    pub priority: Option<String>,
    /// A user UUID, or `me` (from the profile).
    #[arg(long, value_name = "UUID|me")]
    pub owner: Option<String>,
    /// When the task is due, RFC 3339 (default: the policy's SLA hours).
    #[arg(long, value_name = "RFC3339")]
    pub sla_due: Option<String>,
    #[arg(long, value_enum, default_value_t)]
    pub format: RecordFormat,
}

#[derive(Clone, Debug, Args)]
pub struct TaskSetArgs {
    /// The task's id.
    pub task_id: String,
    /// backlog, in_progress, blocked or ready_verify.
    #[arg(long, value_name = "S")]
    pub status: Option<String>,
    /// A user UUID, `me`, or `none` to unassign.
    #[arg(long, value_name = "UUID|me|none")]
    pub owner: Option<String>,
    /// The external ticket key, e.g. SEC-142 (empty clears it).
    #[arg(long, value_name = "KEY")]
    pub ticket: Option<String>,
    /// The pull request's URL (empty clears it).
    #[arg(long, value_name = "URL")]
    pub pr_url: Option<String>,
    #[arg(long, value_enum, default_value_t)]
    pub format: RecordFormat,
}

#[derive(Clone, Debug, Args)]
pub struct VerificationsArgs {
    /// Only this task's verifications.
    #[arg(long, value_name = "TASK_ID")]
    pub task: Option<String>,
    #[arg(long, value_enum, default_value_t)]
    pub format: ListFormat,
}

#[derive(Clone, Debug, Args)]
pub struct ApproveArgs {
    /// The verification's id.
    pub id: String,
    #[arg(long, value_enum, default_value_t)]
    pub format: RecordFormat,
}

#[derive(Clone, Debug, Args)]
pub struct RegressionsArgs {
    /// open or closed (default: both).
    #[arg(long, value_name = "open|closed")]
    pub status: Option<String>,
    #[arg(long, value_enum, default_value_t)]
    pub format: ListFormat,
}

#[derive(Clone, Debug, Args)]
pub struct ReportArgs {
    #[arg(long, value_enum, default_value_t)]
    pub format: RecordFormat,
}

#[derive(Clone, Debug, Subcommand)]
pub enum ConfigCommand {
    /// Print every path krafter uses.
    Path,
    /// Validate the config file and the API key source (the key is never printed).
    Check {
        /// Also call the API once.
        #[arg(long)]
        online: bool,
    },
}

#[derive(Clone, Debug, Args)]
pub struct CompletionsArgs {
    /// bash, zsh, fish, elvish or powershell.
    pub shell: clap_complete::Shell,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_definition_is_consistent() {
        Cli::command().debug_assert();
    }
}
