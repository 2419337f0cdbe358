//! Security checks (contract section 7): headers, HTTPS enforcement, cookies.

pub mod cookies;
pub mod csp;
pub mod headers;
pub mod transport;

use super::check::{CheckSpec, Verdict};
use super::page::Page;

/// Every security check, judged on one page.
pub fn judge(page: &Page) -> Vec<(&'static CheckSpec, Verdict)> {
    vec![
        (&csp::CSP_MISSING, csp::csp_missing(page)),
        (&csp::CSP_REPORT_ONLY, csp::csp_report_only(page)),
        (&csp::CSP_UNSAFE_INLINE, csp::csp_unsafe_inline(page)),
        (&transport::HSTS_MISSING, transport::hsts_missing(page)),
        (
            &transport::HSTS_SHORT_MAX_AGE,
            transport::hsts_short_max_age(page),
        ),
        (
            &transport::NO_HTTPS_REDIRECT,
            transport::no_https_redirect(page),
        ),
        (&headers::NOSNIFF_MISSING, headers::nosniff_missing(page)),
        (&csp::CLICKJACKING, csp::clickjacking(page)),
        (
            &headers::REFERRER_POLICY_MISSING,
            headers::referrer_policy_missing(page),
        ),
        (
            &headers::PERMISSIONS_POLICY_MISSING,
            headers::permissions_policy_missing(page),
        ),
        (&cookies::COOKIE_INSECURE, cookies::cookie_insecure(page)),
        (
            &cookies::COOKIE_NO_HTTPONLY,
            cookies::cookie_no_httponly(page),
        ),
        (
            &cookies::COOKIE_NO_SAMESITE,
            cookies::cookie_no_samesite(page),
        ),
        (
            &headers::SERVER_VERSION_DISCLOSURE,
            headers::server_version_disclosure(page),
        ),
        (
            &headers::CORS_WILDCARD_CREDENTIALS,
            headers::cors_wildcard_credentials(page),
        ),
    ]
}
