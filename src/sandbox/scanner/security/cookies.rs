//! Cookie attribute checks on the page's Set-Cookie headers.

use super::super::check::{CheckSpec, Escalation, Verdict, evidence};
use super::super::page::Page;
use crate::api::model::{Domain, Severity};

pub const COOKIE_INSECURE: CheckSpec = CheckSpec {
    key: "security.cookie_insecure",
    domain: Domain::Security,
    severity: Severity::Medium,
    title: "Cookie set without the Secure attribute",
    description: "At least one cookie is set without `Secure`, so the browser also sends it \
        over plain http. Anyone on the network path can read it there; for a session cookie \
        that means taking over the user's session.",
    fix_summary: "Add `Secure` to every cookie the site sets.",
    steps: &[
        "Find where each listed cookie is set (framework session settings, auth middleware, application code).",
        "Set the Secure flag (e.g. `SESSION_COOKIE_SECURE = True`, `cookie: { secure: true }`); prefer the `__Host-` name prefix for session cookies.",
        "Make sure the site redirects http to https so no page needs the cookie over http.",
        "Rotate existing session identifiers if session cookies were exposed.",
    ],
    minutes: 20,
    impact: 45,
    effort: 10,
    risk: 45,
    confidence: 0.9,
};

pub const COOKIE_NO_HTTPONLY: CheckSpec = CheckSpec {
    key: "security.cookie_no_httponly",
    domain: Domain::Security,
    severity: Severity::High,
    title: "Session cookie readable by JavaScript (no HttpOnly)",
    description: "A cookie that looks like a session or authentication token is set without \
        `HttpOnly`, so any script on the page, including injected ones, can read it and send \
        it elsewhere. Cookies that scripts legitimately read are not reported.",
    fix_summary: "Add `HttpOnly` to session and authentication cookies.",
    steps: &[
        "Locate where the listed session/auth cookies are issued.",
        "Set the HttpOnly flag on them (most frameworks have a session setting for it).",
        "If front-end code reads the token, move it to a separate non-sensitive value or use the cookie only server-side.",
    ],
    minutes: 20,
    impact: 60,
    effort: 15,
    risk: 60,
    confidence: 0.8,
};

pub const COOKIE_NO_SAMESITE: CheckSpec = CheckSpec {
    key: "security.cookie_no_samesite",
    domain: Domain::Security,
    severity: Severity::Low,
    title: "Cookie set without a SameSite attribute",
    description: "At least one cookie does not declare SameSite. Browsers then apply their own \
        default, which differs between browsers and versions, so protection against \
        cross-site request forgery depends on the visitor's browser.",
    fix_summary: "Declare `SameSite=Lax` (or `Strict`) explicitly on every cookie.",
    steps: &[
        "Add `SameSite=Lax` to the listed cookies; use `Strict` for cookies only needed on same-site navigation.",
        "Use `SameSite=None; Secure` only for cookies that must travel in cross-site requests (embeds, SSO).",
        "Keep CSRF tokens on state-changing forms regardless.",
    ],
    minutes: 15,
    impact: 30,
    effort: 10,
    risk: 30,
    confidence: 0.9,
};

/// One Set-Cookie line reduced to what the checks need.
#[derive(Debug, PartialEq)]
pub struct Cookie {
    pub name: String,
    pub secure: bool,
    pub http_only: bool,
    pub same_site: Option<String>,
    /// The line as sent, with the value masked.
    pub masked: String,
}

/// Parses one Set-Cookie value; `None` if it has no name.
pub fn parse_cookie(line: &str) -> Option<Cookie> {
    let mut parts = line.split(';');
    let (name, _) = parts.next()?.split_once('=')?;
    let name = name.trim().to_string();
    if name.is_empty() {
        return None;
    }
    let mut cookie = Cookie {
        masked: String::new(),
        secure: false,
        http_only: false,
        same_site: None,
        name,
    };
    let mut attrs = Vec::new();
    for attr in parts {
        let attr = attr.trim();
        let (key, value) = attr.split_once('=').unwrap_or((attr, ""));
        match key.trim().to_ascii_lowercase().as_str() {
            "secure" => cookie.secure = true,
            "httponly" => cookie.http_only = true,
            "samesite" => cookie.same_site = Some(value.trim().to_string()),
            _ => {}
        }
        if !attr.is_empty() {
            attrs.push(attr);
        }
    }
    // The value may be a live session token: never copied into evidence.
    cookie.masked = std::iter::once(format!("{}=…", cookie.name))
        .chain(attrs.iter().map(|a| a.to_string()))
        .collect::<Vec<_>>()
        .join("; ");
    Some(cookie)
}

/// Whether a cookie name looks like it carries a session or credentials.
pub fn is_session_like(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    [
        "sess", "sid", "auth", "token", "jwt", "login", "remember", "csrf", "xsrf",
    ]
    .iter()
    .any(|marker| n.contains(marker))
}

fn cookies(page: &Page) -> Vec<Cookie> {
    page.header_values("set-cookie")
        .iter()
        .filter_map(|line| parse_cookie(line))
        .collect()
}

fn judge(offenders: Vec<Cookie>, total: usize, what: &str) -> Verdict {
    if offenders.is_empty() {
        return Verdict::pass(if total == 0 {
            "no cookies set".to_string()
        } else {
            format!("all {total} cookies have {what}")
        });
    }
    let names: Vec<&str> = offenders.iter().map(|c| c.name.as_str()).collect();
    let mut ev = vec![evidence(
        "cookie",
        &format!("Cookies without {what}"),
        names.join(", "),
    )];
    ev.extend(
        offenders
            .iter()
            .take(5)
            .map(|c| evidence("header", "Set-Cookie", c.masked.clone())),
    );
    Verdict::fail(
        format!(
            "{} of {total} without {what}: {}",
            offenders.len(),
            names.join(", ")
        ),
        ev,
    )
}

pub fn cookie_insecure(page: &Page) -> Verdict {
    let all = cookies(page);
    let total = all.len();
    let offenders: Vec<Cookie> = all.into_iter().filter(|c| !c.secure).collect();
    let session = offenders.iter().any(|c| is_session_like(&c.name));
    judge(offenders, total, "Secure").escalated(session.then_some(Escalation {
        severity: Severity::Critical,
        impact: 85,
        risk: 90,
    }))
}

pub fn cookie_no_httponly(page: &Page) -> Verdict {
    let all = cookies(page);
    let total = all.len();
    let offenders = all
        .into_iter()
        .filter(|c| {
            !c.http_only && is_session_like(&c.name) && !c.name.to_ascii_lowercase().contains("srf")
        })
        .collect();
    judge(offenders, total, "HttpOnly")
}

pub fn cookie_no_samesite(page: &Page) -> Verdict {
    let all = cookies(page);
    let total = all.len();
    let offenders: Vec<Cookie> = all.into_iter().filter(|c| c.same_site.is_none()).collect();
    let session = offenders.iter().any(|c| is_session_like(&c.name));
    judge(offenders, total, "SameSite").escalated(session.then_some(Escalation {
        severity: Severity::Medium,
        impact: 40,
        risk: 45,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_attributes_and_masks_the_value() {
        let c =
            parse_cookie("SESSIONID=abc123secret; Path=/; Secure; HttpOnly; SameSite=Lax").unwrap();
        assert!(c.secure && c.http_only);
        assert_eq!(c.same_site.as_deref(), Some("Lax"));
        assert!(!c.masked.contains("abc123secret"));
        assert!(c.masked.starts_with("SESSIONID=…; Path=/"));
        assert_eq!(parse_cookie("novalue"), None);
    }

    #[test]
    fn recognises_session_like_names() {
        for n in [
            "PHPSESSID",
            "JSESSIONID",
            "connect.sid",
            "auth_token",
            "remember_me",
        ] {
            assert!(is_session_like(n), "{n}");
        }
        for n in ["theme", "_ga", "lang"] {
            assert!(!is_session_like(n), "{n}");
        }
    }
}
