//! Which checks fail on which demo page: drawn per page from the shares
//! below, deterministic for a project. Checks that exclude each other (one
//! page has one kind of CSP problem at most) are drawn together.

use crate::sandbox::demo_site::render::Defects;

use super::rng::Rng;

/// Shares of pages failing each check. `home` checks are drawn once per
/// site, on its home page (they come from site-wide configuration).
/// `security.no_https_redirect` is left out: the demo sites speak plain
/// http on loopback, so a fix of it could never be shown.
const SHARES: [(&str, bool, f64); 19] = [
    ("security.nosniff_missing", false, 0.45),
    ("security.clickjacking", false, 0.35),
    ("security.referrer_policy_missing", false, 0.4),
    ("security.permissions_policy_missing", false, 0.4),
    ("security.cookie_insecure", false, 0.3),
    ("security.cookie_no_httponly", false, 0.3),
    ("security.cookie_no_samesite", false, 0.35),
    ("security.server_version_disclosure", true, 0.5),
    ("security.cors_wildcard_credentials", true, 0.3),
    ("performance.uncompressed", false, 0.3),
    ("performance.slow_ttfb", false, 0.15),
    ("performance.no_cache_headers", false, 0.4),
    ("performance.large_document", false, 0.08),
    ("seo.title_missing", false, 0.1),
    ("seo.meta_description_missing", false, 0.35),
    ("seo.h1_missing", false, 0.25),
    ("seo.canonical_missing", false, 0.4),
    ("accessibility.html_lang_missing", false, 0.3),
    ("accessibility.img_alt_missing", false, 0.45),
];

/// At most one of each group fails on a page: the share of each.
const CSP: [(&str, f64); 3] = [
    ("security.csp_missing", 0.5),
    ("security.csp_report_only", 0.15),
    ("security.csp_unsafe_inline", 0.2),
];
const HSTS: [(&str, f64); 2] = [
    ("security.hsts_missing", 0.6),
    ("security.hsts_short_max_age", 0.25),
];

fn one_of(rng: &mut Rng, group: &[(&str, f64)], defects: &mut Defects) {
    let roll = rng.unit();
    let mut edge = 0.0;
    for (key, share) in group {
        edge += share;
        if roll < edge {
            defects.insert(key.to_string());
            return;
        }
    }
}

/// The defects of one page. Every page draws the same numbers whatever it
/// gets, so one page's draw does not shift the next one's.
pub fn plan(rng: &mut Rng, home: bool) -> Defects {
    let mut defects = Defects::new();
    one_of(rng, &CSP, &mut defects);
    // HSTS is set for a whole site: drawn on its home page only.
    if home {
        one_of(rng, &HSTS, &mut defects);
    } else {
        rng.unit();
    }
    for (key, home_only, share) in SHARES {
        let roll = rng.unit();
        if (!home_only || home) && roll < share {
            defects.insert(key.to_string());
        }
    }
    defects
}
