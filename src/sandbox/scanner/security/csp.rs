//! Content-Security-Policy and framing checks.

use super::super::check::{CheckSpec, Verdict, evidence, header_evidence};
use super::super::page::Page;
use crate::api::model::{Domain, Severity};

pub const CSP_MISSING: CheckSpec = CheckSpec {
    key: "security.csp_missing",
    domain: Domain::Security,
    severity: Severity::High,
    title: "No Content-Security-Policy",
    description: "The page is served without a Content-Security-Policy header, so the browser \
        will run any script that ends up in it. A single injection flaw (reflected or stored \
        XSS, a compromised third-party script) then runs with the full privileges of the site's \
        origin: session theft, actions on the user's behalf, page defacement.",
    fix_summary: "Send an enforced Content-Security-Policy that allows only the script sources \
        the page needs.",
    steps: &[
        "List the origins the page loads scripts, styles, images, fonts and frames from (browser devtools, Network tab).",
        "Start with a strict policy such as `default-src 'self'; script-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'self'`, adding the origins you found.",
        "Deploy it first as Content-Security-Policy-Report-Only with a report-uri/report-to endpoint and fix the violations it reports.",
        "Switch the header to Content-Security-Policy (enforced) once reports are clean, and keep inline scripts out (use nonces or hashes where unavoidable).",
    ],
    minutes: 120,
    impact: 80,
    effort: 60,
    risk: 75,
    confidence: 0.95,
};

pub const CSP_REPORT_ONLY: CheckSpec = CheckSpec {
    key: "security.csp_report_only",
    domain: Domain::Security,
    severity: Severity::Medium,
    title: "Content-Security-Policy is only in report-only mode",
    description: "The page sends Content-Security-Policy-Report-Only but no enforced \
        Content-Security-Policy. Violations are reported but not blocked, so the policy gives \
        no protection against script injection yet.",
    fix_summary: "Promote the report-only policy to an enforced Content-Security-Policy.",
    steps: &[
        "Review the violation reports the report-only policy has collected and fix or allow-list the legitimate sources.",
        "Send the same policy as Content-Security-Policy (enforced); keep the report-only header only for testing a stricter next version.",
        "Watch the reports for a few days after the switch for breakage.",
    ],
    minutes: 45,
    impact: 60,
    effort: 30,
    risk: 55,
    confidence: 0.95,
};

pub const CSP_UNSAFE_INLINE: CheckSpec = CheckSpec {
    key: "security.csp_unsafe_inline",
    domain: Domain::Security,
    severity: Severity::Medium,
    title: "Content-Security-Policy allows unsafe-inline or unsafe-eval scripts",
    description: "The enforced policy's script-src (or default-src) contains 'unsafe-inline' \
        without a nonce or hash, or 'unsafe-eval'. Injected inline scripts, event-handler \
        attributes or string-to-code calls are then allowed, which removes most of the XSS \
        protection the policy was meant to give.",
    fix_summary: "Remove 'unsafe-inline' and 'unsafe-eval' from script-src; use nonces or \
        hashes for the inline scripts that must stay.",
    steps: &[
        "Move inline <script> blocks and on* event-handler attributes into external script files.",
        "For inline scripts that must remain, add a per-response nonce (`script-src 'nonce-…'`) or their SHA-256 hashes to the policy.",
        "Replace eval(), new Function() and string arguments to setTimeout/setInterval, then drop 'unsafe-eval'.",
        "Remove 'unsafe-inline' and 'unsafe-eval' from script-src and default-src, testing with a report-only copy first.",
    ],
    minutes: 180,
    impact: 55,
    effort: 70,
    risk: 50,
    confidence: 0.9,
};

pub const CLICKJACKING: CheckSpec = CheckSpec {
    key: "security.clickjacking",
    domain: Domain::Security,
    severity: Severity::Medium,
    title: "Page can be framed by other sites (clickjacking)",
    description: "Neither X-Frame-Options (DENY or SAMEORIGIN) nor a CSP frame-ancestors \
        directive restricts who may embed this page. A hostile site can load it in an \
        invisible frame and trick signed-in users into clicking its buttons.",
    fix_summary: "Forbid framing by other origins with CSP frame-ancestors (and X-Frame-Options \
        for older browsers).",
    steps: &[
        "Add `frame-ancestors 'self'` (or 'none' if the page is never framed) to the Content-Security-Policy.",
        "Also send `X-Frame-Options: SAMEORIGIN` (or DENY) for browsers without frame-ancestors support.",
        "If partners must embed the page, list their exact origins in frame-ancestors instead of allowing all.",
    ],
    minutes: 20,
    impact: 45,
    effort: 10,
    risk: 45,
    confidence: 0.9,
};

/// One policy's directives, names lower-cased, sources as written.
type Policy = Vec<(String, Vec<String>)>;

/// Each comma-separated policy of a (possibly repeated) CSP header.
fn policies(header: &str) -> Vec<Policy> {
    header
        .split(',')
        .map(|policy| {
            policy
                .split(';')
                .filter_map(|directive| {
                    let mut parts = directive.split_ascii_whitespace();
                    let name = parts.next()?.to_ascii_lowercase();
                    Some((name, parts.map(str::to_string).collect()))
                })
                .collect::<Policy>()
        })
        .filter(|p| !p.is_empty())
        .collect()
}

fn directive<'a>(policy: &'a Policy, name: &str) -> Option<&'a [String]> {
    policy
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_slice())
}

/// Whether a policy lets `keyword` through for scripts. 'unsafe-inline' is
/// ignored by browsers when a nonce or hash is present.
fn script_allows(policy: &Policy, keyword: &str) -> bool {
    let Some(sources) =
        directive(policy, "script-src").or_else(|| directive(policy, "default-src"))
    else {
        return true;
    };
    let has = |k: &str| sources.iter().any(|s| s.eq_ignore_ascii_case(k));
    let nonce_or_hash = sources.iter().any(|s| {
        let s = s.to_ascii_lowercase();
        s.starts_with("'nonce-")
            || s.starts_with("'sha256-")
            || s.starts_with("'sha384-")
            || s.starts_with("'sha512-")
    });
    has(keyword) && !(keyword == "'unsafe-inline'" && nonce_or_hash)
}

pub fn csp_missing(page: &Page) -> Verdict {
    let enforced = page.header("content-security-policy");
    let report_only = page.header("content-security-policy-report-only");
    match (&enforced, &report_only) {
        (Some(v), _) => Verdict::pass(v.clone()),
        (None, Some(_)) => Verdict::pass("absent; a report-only policy is sent"),
        (None, None) => Verdict::fail(
            "absent",
            vec![
                header_evidence("Content-Security-Policy", None),
                header_evidence("Content-Security-Policy-Report-Only", None),
            ],
        ),
    }
}

pub fn csp_report_only(page: &Page) -> Verdict {
    let enforced = page.header("content-security-policy");
    match (enforced, page.header("content-security-policy-report-only")) {
        (None, Some(ro)) => Verdict::fail(
            format!("report-only: {ro}"),
            vec![
                header_evidence("Content-Security-Policy", None),
                header_evidence("Content-Security-Policy-Report-Only", Some(&ro)),
            ],
        ),
        (Some(v), _) => Verdict::pass(v),
        (None, None) => Verdict::pass("no policy at all (see security.csp_missing)"),
    }
}

pub fn csp_unsafe_inline(page: &Page) -> Verdict {
    let Some(header) = page.header("content-security-policy") else {
        return Verdict::pass("no enforced policy (see security.csp_missing)");
    };
    let all = policies(&header);
    // With several policies a script must satisfy all of them.
    let allowed: Vec<&str> = ["'unsafe-inline'", "'unsafe-eval'"]
        .into_iter()
        .filter(|k| all.iter().all(|p| script_allows(p, k)))
        .collect();
    if allowed.is_empty() {
        Verdict::pass(header)
    } else {
        Verdict::fail(
            format!("script-src allows {}", allowed.join(" and ")),
            vec![
                header_evidence("Content-Security-Policy", Some(&header)),
                evidence(
                    "policy",
                    "Unsafe script sources allowed",
                    allowed.join(", "),
                ),
            ],
        )
    }
}

pub fn clickjacking(page: &Page) -> Verdict {
    // Only a rendered document can be framed and clicked through.
    if !page.is_html() {
        return Verdict::pass("not an HTML document");
    }
    let xfo = page.header("x-frame-options");
    let xfo_ok = xfo.as_deref().is_some_and(|v| {
        let v = v.trim().to_ascii_lowercase();
        v == "deny" || v == "sameorigin"
    });
    let csp = page.header("content-security-policy");
    let ancestors = csp.as_deref().and_then(|h| {
        policies(h)
            .iter()
            .find_map(|p| directive(p, "frame-ancestors").map(|s| s.join(" ")))
    });
    let ancestors_ok = ancestors.as_deref().is_some_and(|a| a.trim() != "*");
    if xfo_ok || ancestors_ok {
        let seen = match (&xfo, &ancestors) {
            (Some(x), Some(a)) => format!("X-Frame-Options: {x}; frame-ancestors {a}"),
            (Some(x), None) => format!("X-Frame-Options: {x}"),
            (None, Some(a)) => format!("frame-ancestors {a}"),
            (None, None) => String::new(),
        };
        Verdict::pass(seen)
    } else {
        Verdict::fail(
            "no X-Frame-Options and no frame-ancestors",
            vec![
                header_evidence("X-Frame-Options", xfo.as_deref()),
                evidence(
                    "policy",
                    "CSP frame-ancestors",
                    ancestors.unwrap_or_else(|| "absent".into()),
                ),
            ],
        )
    }
}
