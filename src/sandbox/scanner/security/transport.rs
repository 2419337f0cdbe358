//! HTTPS enforcement: HSTS and the http→https redirect.

use super::super::check::{CheckSpec, Verdict, evidence, header_evidence};
use super::super::page::{Page, PlainHttp};
use crate::api::model::{Domain, Severity};

/// Six months, the shortest max-age worth having (and the preload minimum
/// is a year).
pub const MIN_HSTS_MAX_AGE: u64 = 15_552_000;

pub const HSTS_MISSING: CheckSpec = CheckSpec {
    key: "security.hsts_missing",
    domain: Domain::Security,
    severity: Severity::Medium,
    title: "No Strict-Transport-Security header",
    description: "Without HSTS the browser will still try plain http:// for this host (typed \
        addresses, old links, bookmarks). On a hostile network that first request can be \
        intercepted and the user kept on an http copy of the site (SSL stripping).",
    fix_summary: "Send Strict-Transport-Security with a long max-age on every https response.",
    steps: &[
        "Make sure every subdomain you care about already serves valid https.",
        "Add `Strict-Transport-Security: max-age=31536000; includeSubDomains` to all https responses (web server or CDN config).",
        "Roll out with a short max-age (e.g. 300) first, then raise it to a year once nothing breaks.",
        "Optionally add `preload` and submit the domain to hstspreload.org.",
    ],
    minutes: 30,
    impact: 55,
    effort: 15,
    risk: 50,
    confidence: 0.95,
};

pub const HSTS_SHORT_MAX_AGE: CheckSpec = CheckSpec {
    key: "security.hsts_short_max_age",
    domain: Domain::Security,
    severity: Severity::Low,
    title: "Strict-Transport-Security max-age is under six months",
    description: "The HSTS policy expires quickly, so browsers that have not visited recently \
        fall back to trying plain http first, reopening the SSL-stripping window. Short \
        lifetimes also rule out HSTS preloading.",
    fix_summary: "Raise max-age to at least 15552000 seconds (six months), ideally 31536000.",
    steps: &[
        "Confirm that https works on the host (and subdomains, if includeSubDomains is set).",
        "Set `max-age=31536000` in the Strict-Transport-Security header.",
        "Deploy and re-scan to confirm the new value is sent on every https response.",
    ],
    minutes: 10,
    impact: 30,
    effort: 5,
    risk: 25,
    confidence: 0.95,
};

pub const NO_HTTPS_REDIRECT: CheckSpec = CheckSpec {
    key: "security.no_https_redirect",
    domain: Domain::Security,
    severity: Severity::Medium,
    title: "Plain http:// is not redirected to https://",
    description: "A request to the http:// address of this page is not answered with a \
        redirect to https://. Visitors who type the address or follow an old link stay on an \
        unencrypted connection where traffic and cookies can be read or altered.",
    fix_summary: "Answer every plain-http request with a permanent redirect to the same URL \
        over https.",
    steps: &[
        "Make the server (or load balancer/CDN) listen on port 80 for this host.",
        "Answer every http request with `301` (or `308`) and `Location: https://<same host and path>`.",
        "Serve nothing else over http, then add Strict-Transport-Security so browsers skip http next time.",
    ],
    minutes: 20,
    impact: 55,
    effort: 10,
    risk: 50,
    confidence: 0.85,
};

/// The `max-age` of an HSTS header, if it has a readable one.
pub fn hsts_max_age(value: &str) -> Option<u64> {
    value.split(';').find_map(|part| {
        let (name, v) = part.split_once('=')?;
        name.trim()
            .eq_ignore_ascii_case("max-age")
            .then(|| v.trim().trim_matches('"').parse().ok())
            .flatten()
    })
}

pub fn hsts_missing(page: &Page) -> Verdict {
    match page.header("strict-transport-security") {
        Some(v) => Verdict::pass(v),
        None => {
            let mut ev = vec![header_evidence("Strict-Transport-Security", None)];
            if !page.is_https() {
                ev.push(evidence(
                    "request",
                    "Final URL (not https)",
                    page.final_url.clone(),
                ));
            }
            Verdict::fail("absent", ev)
        }
    }
}

pub fn hsts_short_max_age(page: &Page) -> Verdict {
    let Some(value) = page.header("strict-transport-security") else {
        return Verdict::pass("absent (see security.hsts_missing)");
    };
    match hsts_max_age(&value) {
        Some(age) if age >= MIN_HSTS_MAX_AGE => Verdict::pass(format!("max-age={age}")),
        age => Verdict::fail(
            match age {
                Some(a) => format!("max-age={a}"),
                None => "no readable max-age".to_string(),
            },
            vec![
                header_evidence("Strict-Transport-Security", Some(&value)),
                evidence(
                    "policy",
                    "Minimum expected max-age (seconds)",
                    MIN_HSTS_MAX_AGE.to_string(),
                ),
            ],
        ),
    }
}

pub fn no_https_redirect(page: &Page) -> Verdict {
    match &page.plain_http {
        PlainHttp::RedirectsToHttps { to } => Verdict::pass(format!("redirects to {to}")),
        PlainHttp::Serves { url, status } => Verdict::fail(
            format!("http answers {status} without redirecting"),
            vec![
                evidence("request", "Plain-http URL", url.clone()),
                evidence("response", "Status", status.to_string()),
            ],
        ),
        PlainHttp::Failed { url, reason } => Verdict::fail(
            "http request failed",
            vec![
                evidence("request", "Plain-http URL", url.clone()),
                evidence("response", "Error", reason.clone()),
            ],
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_max_age_in_any_form() {
        assert_eq!(
            hsts_max_age("max-age=31536000; includeSubDomains"),
            Some(31_536_000)
        );
        assert_eq!(
            hsts_max_age("includeSubDomains; Max-Age=\"300\""),
            Some(300)
        );
        assert_eq!(hsts_max_age("includeSubDomains"), None);
    }
}
