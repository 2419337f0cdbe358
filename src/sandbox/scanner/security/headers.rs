//! Single-header hardening checks: MIME sniffing, referrer, browser
//! features, version disclosure and CORS.

use super::super::check::{CheckSpec, Verdict, header_evidence};
use super::super::page::Page;
use crate::api::model::{Domain, Severity};

pub const NOSNIFF_MISSING: CheckSpec = CheckSpec {
    key: "security.nosniff_missing",
    domain: Domain::Security,
    severity: Severity::Low,
    title: "X-Content-Type-Options: nosniff is not set",
    description: "Without `nosniff` browsers may guess a response's type from its content, so \
        an uploaded or user-controlled file served as text or an image can be run as script \
        or stylesheet.",
    fix_summary: "Send `X-Content-Type-Options: nosniff` on every response.",
    steps: &[
        "Add `X-Content-Type-Options: nosniff` to the web server, framework or CDN response headers.",
        "Check that every response declares a correct Content-Type (scripts as text/javascript, styles as text/css).",
        "Re-scan to confirm the header is present.",
    ],
    minutes: 10,
    impact: 30,
    effort: 5,
    risk: 25,
    confidence: 0.95,
};

pub const REFERRER_POLICY_MISSING: CheckSpec = CheckSpec {
    key: "security.referrer_policy_missing",
    domain: Domain::Security,
    severity: Severity::Low,
    title: "No Referrer-Policy header",
    description: "The page does not say how much of its URL is sent to other sites in the \
        Referer header. Browser defaults vary, and full URLs can leak tokens, search terms or \
        internal paths to third parties.",
    fix_summary: "Send `Referrer-Policy: strict-origin-when-cross-origin` (or stricter).",
    steps: &[
        "Add `Referrer-Policy: strict-origin-when-cross-origin` to all responses.",
        "Use `no-referrer` or `same-origin` for pages whose URLs carry sensitive data (reset links, tokens).",
        "Re-scan to confirm the header is present.",
    ],
    minutes: 10,
    impact: 20,
    effort: 5,
    risk: 20,
    confidence: 0.95,
};

pub const PERMISSIONS_POLICY_MISSING: CheckSpec = CheckSpec {
    key: "security.permissions_policy_missing",
    domain: Domain::Security,
    severity: Severity::Low,
    title: "No Permissions-Policy header",
    description: "The page does not restrict powerful browser features (camera, microphone, \
        geolocation, payment, ...). Any script or embedded frame that gets onto the page may \
        ask for them.",
    fix_summary: "Send a Permissions-Policy that turns off the features the site does not use.",
    steps: &[
        "List the browser features the site really uses (camera, geolocation, fullscreen, ...).",
        "Send e.g. `Permissions-Policy: camera=(), microphone=(), geolocation=(), payment=()`, allowing only what you need with `(self)`.",
        "Re-scan and check the browser console for blocked-feature warnings.",
    ],
    minutes: 15,
    impact: 20,
    effort: 10,
    risk: 15,
    confidence: 0.95,
};

pub const SERVER_VERSION_DISCLOSURE: CheckSpec = CheckSpec {
    key: "security.server_version_disclosure",
    domain: Domain::Security,
    severity: Severity::Low,
    title: "Server software and version disclosed in headers",
    description: "The Server or X-Powered-By header names the software (and version) behind \
        the site. It lets an attacker match the site against known vulnerabilities of that \
        exact version without probing.",
    fix_summary: "Remove version numbers from Server and drop X-Powered-By.",
    steps: &[
        "Turn off version tokens in the web server (nginx `server_tokens off;`, Apache `ServerTokens Prod` and `ServerSignature Off`).",
        "Remove X-Powered-By in the framework (Express `app.disable('x-powered-by')`, PHP `expose_php = Off`).",
        "Keep the disclosed software patched anyway; hiding the version is not a fix for an old one.",
    ],
    minutes: 15,
    impact: 15,
    effort: 10,
    risk: 20,
    confidence: 0.9,
};

pub const CORS_WILDCARD_CREDENTIALS: CheckSpec = CheckSpec {
    key: "security.cors_wildcard_credentials",
    domain: Domain::Security,
    severity: Severity::Medium,
    title: "CORS allows any origin together with credentials",
    description: "The response sends `Access-Control-Allow-Origin: *` with \
        `Access-Control-Allow-Credentials: true`. Browsers refuse that exact pair, which \
        usually means the CORS setup is being tuned by trial and error, and the common \
        'fix' (echoing the request's Origin) lets any site read signed-in users' data.",
    fix_summary: "Allow credentials only for an explicit list of trusted origins.",
    steps: &[
        "Decide which origins really need credentialed cross-origin access.",
        "Check the request's Origin against that allow-list and echo it only when it matches (add `Vary: Origin`).",
        "Drop `Access-Control-Allow-Credentials` where cookies are not needed, and never combine it with `*`.",
    ],
    minutes: 30,
    impact: 50,
    effort: 25,
    risk: 55,
    confidence: 0.9,
};

pub fn nosniff_missing(page: &Page) -> Verdict {
    let value = page.header("x-content-type-options");
    match value.as_deref() {
        Some(v) if v.trim().eq_ignore_ascii_case("nosniff") => Verdict::pass(v),
        other => Verdict::fail(
            other.map_or("absent".to_string(), |v| format!("unexpected value {v:?}")),
            vec![header_evidence("X-Content-Type-Options", other)],
        ),
    }
}

fn present(page: &Page, name: &str, display: &str) -> Verdict {
    match page.header(name) {
        Some(v) if !v.trim().is_empty() => Verdict::pass(v),
        _ => Verdict::fail("absent", vec![header_evidence(display, None)]),
    }
}

pub fn referrer_policy_missing(page: &Page) -> Verdict {
    present(page, "referrer-policy", "Referrer-Policy")
}

pub fn permissions_policy_missing(page: &Page) -> Verdict {
    // The policy governs documents; other responses cannot use the features.
    if !page.is_html() {
        return Verdict::pass("not an HTML document");
    }
    present(page, "permissions-policy", "Permissions-Policy")
}

pub fn server_version_disclosure(page: &Page) -> Verdict {
    let server = page.header("server");
    let powered = page.header("x-powered-by");
    // A product name alone ("nginx", "Express") says little an attacker
    // could not guess; a version number points at its known flaws.
    let versioned = |v: &Option<String>| {
        v.as_deref()
            .is_some_and(|s| s.chars().any(|c| c.is_ascii_digit()))
    };
    let server_versioned = versioned(&server);
    let powered_versioned = versioned(&powered);
    if !server_versioned && !powered_versioned {
        let seen = [("Server", &server), ("X-Powered-By", &powered)]
            .iter()
            .filter_map(|(n, v)| v.as_ref().map(|v| format!("{n}: {v}")))
            .collect::<Vec<_>>();
        return Verdict::pass(if seen.is_empty() {
            "no Server header".to_string()
        } else {
            format!("{} (no version)", seen.join("; "))
        });
    }
    let mut ev = Vec::new();
    if server_versioned {
        ev.push(header_evidence("Server", server.as_deref()));
    }
    if powered_versioned {
        ev.push(header_evidence("X-Powered-By", powered.as_deref()));
    }
    let observed = ev
        .iter()
        .map(|e| format!("{}: {}", e.label, e.value))
        .collect::<Vec<_>>()
        .join("; ");
    Verdict::fail(observed, ev)
}

pub fn cors_wildcard_credentials(page: &Page) -> Verdict {
    let origin = page.header("access-control-allow-origin");
    let credentials = page.header("access-control-allow-credentials");
    let wildcard = origin.as_deref().is_some_and(|o| o.trim() == "*");
    let with_credentials = credentials
        .as_deref()
        .is_some_and(|c| c.trim().eq_ignore_ascii_case("true"));
    if wildcard && with_credentials {
        Verdict::fail(
            "Allow-Origin * with Allow-Credentials true",
            vec![
                header_evidence("Access-Control-Allow-Origin", origin.as_deref()),
                header_evidence("Access-Control-Allow-Credentials", credentials.as_deref()),
            ],
        )
    } else {
        Verdict::pass(match origin {
            Some(o) => format!("Access-Control-Allow-Origin: {o}"),
            None => "no CORS headers".to_string(),
        })
    }
}
