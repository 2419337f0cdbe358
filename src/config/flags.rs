//! What the command line (or its environment variables) says about the
//! connection; it wins over the config file. The CLI fills it in
//! (`crate::cli::GlobalArgs::flags`).

use std::path::PathBuf;

/// The flags that take part in resolving a profile.
#[derive(Clone, Debug, Default)]
pub struct Flags {
    /// The config file to read instead of the default one.
    pub config: Option<PathBuf>,
    pub profile: Option<String>,
    pub base_url: Option<String>,
    pub org_id: Option<String>,
    pub project_id: Option<String>,
    /// Read the API key from this environment variable.
    pub api_key_env: Option<String>,
    pub read_only: bool,
    pub allow_insecure_http: bool,
    pub no_color: bool,
}
