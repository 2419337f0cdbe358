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

#[cfg(test)]
mod tests {
    use super::super::page::Page;
    use super::{cookies, csp, headers, transport};
    use crate::api::model::Severity;

    const HTML: &str = "<!doctype html><html><body></body></html>";

    fn csp_page(policy: &str) -> Page {
        Page::sample(&[("content-security-policy", policy)], HTML)
    }

    #[test]
    fn unsafe_inline_is_ignored_when_a_nonce_or_hash_is_present() {
        assert!(
            csp::csp_unsafe_inline(&csp_page("script-src 'self' 'nonce-r4nd' 'unsafe-inline'"))
                .passed
        );
        assert!(
            csp::csp_unsafe_inline(&csp_page("script-src 'sha256-abc=' 'unsafe-inline'")).passed
        );
        let v = csp::csp_unsafe_inline(&csp_page(
            "script-src 'nonce-r4nd' 'unsafe-inline' 'unsafe-eval'",
        ));
        assert_eq!(v.observed, "script-src allows 'unsafe-eval'");
    }

    #[test]
    fn default_src_governs_scripts_when_script_src_is_absent() {
        assert!(!csp::csp_unsafe_inline(&csp_page("default-src 'self' 'unsafe-inline'")).passed);
        assert!(csp::csp_unsafe_inline(&csp_page("img-src *; default-src 'self'")).passed);
        // No script-src and no default-src: scripts are not restricted at all,
        // but that is a weak policy, not an unsafe keyword.
        assert!(!csp::csp_unsafe_inline(&csp_page("img-src 'self'")).passed);
    }

    #[test]
    fn a_second_strict_policy_blocks_what_the_first_allows() {
        let page = Page::sample(
            &[
                ("content-security-policy", "script-src 'unsafe-inline'"),
                ("content-security-policy", "script-src 'self'"),
            ],
            HTML,
        );
        assert!(csp::csp_unsafe_inline(&page).passed);
    }

    #[test]
    fn framing_protection_needs_a_value_browsers_honour() {
        let allow_from = Page::sample(&[("x-frame-options", "ALLOW-FROM https://a.example")], HTML);
        assert!(!csp::clickjacking(&allow_from).passed);
        assert!(!csp::clickjacking(&csp_page("frame-ancestors *")).passed);
        assert!(csp::clickjacking(&csp_page("default-src 'self'; frame-ancestors 'none'")).passed);
        assert!(csp::clickjacking(&Page::sample(&[("x-frame-options", "deny")], HTML)).passed);
        let json = Page::sample(&[("content-type", "application/json")], "{}");
        assert!(
            csp::clickjacking(&json).passed,
            "only documents can be framed"
        );
    }

    #[test]
    fn a_session_cookie_without_secure_is_critical_others_medium() {
        let session = Page::sample(
            &[("set-cookie", "PHPSESSID=x; HttpOnly; SameSite=Lax")],
            HTML,
        );
        let v = cookies::cookie_insecure(&session);
        assert!(!v.passed);
        assert_eq!(v.escalation.map(|e| e.severity), Some(Severity::Critical));
        let theme = Page::sample(&[("set-cookie", "theme=dark; SameSite=Lax")], HTML);
        let v = cookies::cookie_insecure(&theme);
        assert!(!v.passed && v.escalation.is_none());
        assert!(
            cookies::cookie_no_httponly(&theme).passed,
            "scripts may read a theme cookie"
        );
    }

    #[test]
    fn hsts_without_a_readable_max_age_is_short() {
        let page = Page::sample(&[("strict-transport-security", "includeSubDomains")], HTML);
        assert_eq!(
            transport::hsts_short_max_age(&page).observed,
            "no readable max-age"
        );
    }

    #[test]
    fn server_names_without_versions_are_fine() {
        assert!(
            headers::server_version_disclosure(&Page::sample(&[("server", "nginx")], HTML)).passed
        );
        assert!(
            !headers::server_version_disclosure(&Page::sample(&[("server", "nginx/1.18.0")], HTML))
                .passed
        );
        // X-Powered-By alone names a product; only a version is flagged.
        assert!(
            headers::server_version_disclosure(&Page::sample(&[("x-powered-by", "Express")], HTML))
                .passed
        );
        let php = headers::server_version_disclosure(&Page::sample(
            &[("server", "nginx"), ("x-powered-by", "PHP/8.1.2")],
            HTML,
        ));
        assert!(!php.passed);
        assert_eq!(php.observed, "X-Powered-By: PHP/8.1.2");
    }

    #[test]
    fn cors_wildcard_alone_is_not_reported() {
        let open = Page::sample(&[("access-control-allow-origin", "*")], HTML);
        assert!(headers::cors_wildcard_credentials(&open).passed);
    }
}
