//! The one catalogue of checks: key, title, severity, domain, priority
//! figures, fix steps and minutes of each, as the scanner applies them. The
//! demo data is made by scanning demo pages with these same checks, so a
//! demo finding is what a real scan of such a page reports.

use super::accessibility::{HTML_LANG_MISSING, IMG_ALT_MISSING};
use super::check::CheckSpec;
use super::performance::{LARGE_DOCUMENT_SPEC, NO_CACHE_HEADERS, SLOW_TTFB_SPEC, UNCOMPRESSED};
use super::security::{cookies, csp, headers, transport};
use super::seo::{CANONICAL_MISSING, H1_MISSING, META_DESCRIPTION_MISSING, TITLE_MISSING};

/// Every check, in the order a scan runs them.
pub static CATALOGUE: [&CheckSpec; 25] = [
    &csp::CSP_MISSING,
    &csp::CSP_REPORT_ONLY,
    &csp::CSP_UNSAFE_INLINE,
    &transport::HSTS_MISSING,
    &transport::HSTS_SHORT_MAX_AGE,
    &transport::NO_HTTPS_REDIRECT,
    &headers::NOSNIFF_MISSING,
    &csp::CLICKJACKING,
    &headers::REFERRER_POLICY_MISSING,
    &headers::PERMISSIONS_POLICY_MISSING,
    &cookies::COOKIE_INSECURE,
    &cookies::COOKIE_NO_HTTPONLY,
    &cookies::COOKIE_NO_SAMESITE,
    &headers::SERVER_VERSION_DISCLOSURE,
    &headers::CORS_WILDCARD_CREDENTIALS,
    &UNCOMPRESSED,
    &SLOW_TTFB_SPEC,
    &NO_CACHE_HEADERS,
    &LARGE_DOCUMENT_SPEC,
    &TITLE_MISSING,
    &META_DESCRIPTION_MISSING,
    &H1_MISSING,
    &CANONICAL_MISSING,
    &HTML_LANG_MISSING,
    &IMG_ALT_MISSING,
];

/// The check with this key.
pub fn spec(key: &str) -> Option<&'static CheckSpec> {
    CATALOGUE.iter().copied().find(|s| s.key == key)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sandbox::scanner::{CHECK_KEYS, Page, judge};

    #[test]
    fn the_catalogue_is_every_check_a_scan_runs_in_its_order() {
        let keys: Vec<&str> = CATALOGUE.iter().map(|s| s.key).collect();
        assert_eq!(keys, CHECK_KEYS.to_vec());
        let page = Page::sample(&[], "<!doctype html><html></html>");
        let ran: Vec<String> = judge("https://e.com/", &page)
            .checked
            .into_iter()
            .map(|c| c.check)
            .collect();
        assert_eq!(ran, CHECK_KEYS.to_vec());
        for spec in CATALOGUE {
            assert!(spec.key.starts_with(spec.domain.as_str()), "{}", spec.key);
            assert!(!spec.steps.is_empty() && spec.minutes > 0, "{}", spec.key);
        }
    }
}
