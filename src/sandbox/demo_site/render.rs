//! The demo sites' pages, written from the list of defects a page has: each
//! defect is one check of the scanner's catalogue that the page fails, and a
//! page without a defect passes that check. So the pages a finding names
//! really have the problem it describes, and "shipping the fix" is dropping
//! the defect.

use std::collections::BTreeSet;
use std::time::Duration;

use axum::http::header::{self, HeaderMap, HeaderName, HeaderValue};

/// The checks a page fails, by key (e.g. `security.csp_missing`).
pub type Defects = BTreeSet<String>;

/// How long a page with the `performance.slow_ttfb` defect waits before it
/// answers: over the scanner's 600 ms threshold.
pub const SLOW_ANSWER: Duration = Duration::from_millis(750);

/// One page, ready to send.
#[derive(Clone, Debug)]
pub struct Rendered {
    /// Every header, `Content-Encoding: gzip` included when the page is sent
    /// compressed (the body below is always the decoded HTML).
    pub headers: HeaderMap,
    pub html: String,
    /// Wait this long before answering.
    pub delay: Duration,
}

impl Rendered {
    /// Whether the page goes out gzip-compressed.
    pub fn compressed(&self) -> bool {
        self.headers.contains_key(header::CONTENT_ENCODING)
    }
}

/// A product of the storefront.
pub struct Product {
    pub slug: &'static str,
    pub name: &'static str,
    pub price: &'static str,
    pub image: &'static str,
}

pub const PRODUCTS: [Product; 3] = [
    Product {
        slug: "alpine-shell-jacket",
        name: "Alpine Shell Jacket",
        price: "$289",
        image: "/static/alpine-shell.jpg",
    },
    Product {
        slug: "ridgeline-down-parka",
        name: "Ridgeline Down Parka",
        price: "$349",
        image: "/static/ridgeline-parka.jpg",
    },
    Product {
        slug: "trail-runner-gtx",
        name: "Trail Runner GTX",
        price: "$179",
        image: "/static/trail-runner.jpg",
    },
];

/// The site a host name serves, for titles and navigation.
fn site_name(host: &str) -> &'static str {
    match host.split('.').next() {
        Some("account") => "Northwind account",
        Some("journal") => "Field Notes by Northwind",
        _ => "Northwind Outfitters",
    }
}

/// A page's name from its path: `/orders/returns` is "Returns".
fn page_name(path: &str) -> String {
    if let Some(p) = PRODUCTS
        .iter()
        .find(|p| path == format!("/products/{}", p.slug))
    {
        return p.name.to_string();
    }
    let last = path.trim_end_matches('/').rsplit('/').next().unwrap_or("");
    if last.is_empty() {
        return "Home".to_string();
    }
    let words: Vec<String> = last
        .split('-')
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut chars = w.chars();
            match chars.next() {
                Some(first) => first.to_uppercase().chain(chars).collect(),
                None => String::new(),
            }
        })
        .collect();
    words.join(" ")
}

fn set(headers: &mut HeaderMap, name: HeaderName, value: &str) {
    if let Ok(v) = HeaderValue::from_str(value) {
        headers.insert(name, v);
    }
}

/// The headers of a page with `defects`.
fn headers_for(defects: &Defects) -> HeaderMap {
    let has = |key: &str| defects.contains(key);
    let mut h = HeaderMap::new();
    set(&mut h, header::CONTENT_TYPE, "text/html; charset=utf-8");
    let server = if has("security.server_version_disclosure") {
        "nginx/1.18.0 (Ubuntu)"
    } else {
        "nginx"
    };
    set(&mut h, header::SERVER, server);
    if !has("security.nosniff_missing") {
        set(&mut h, header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    }
    if !has("security.clickjacking") {
        set(&mut h, header::X_FRAME_OPTIONS, "SAMEORIGIN");
    }
    if !has("security.referrer_policy_missing") {
        set(
            &mut h,
            header::REFERRER_POLICY,
            "strict-origin-when-cross-origin",
        );
    }
    if !has("security.permissions_policy_missing") {
        set(
            &mut h,
            HeaderName::from_static("permissions-policy"),
            "camera=(), microphone=(), geolocation=(), payment=()",
        );
    }
    if !has("performance.no_cache_headers") {
        set(&mut h, header::CACHE_CONTROL, "private, max-age=60");
    }
    if !has("security.hsts_missing") {
        let hsts = if has("security.hsts_short_max_age") {
            "max-age=86400"
        } else {
            "max-age=31536000; includeSubDomains"
        };
        set(&mut h, header::STRICT_TRANSPORT_SECURITY, hsts);
    }
    let frame = if has("security.clickjacking") {
        ""
    } else {
        "; frame-ancestors 'self'"
    };
    if has("security.csp_report_only") {
        set(
            &mut h,
            header::CONTENT_SECURITY_POLICY_REPORT_ONLY,
            &format!("default-src 'self'; img-src 'self'{frame}; report-uri /csp-reports"),
        );
    } else if has("security.csp_unsafe_inline") {
        set(
            &mut h,
            header::CONTENT_SECURITY_POLICY,
            &format!(
                "default-src 'self'; script-src 'self' 'unsafe-inline'; img-src 'self'{frame}"
            ),
        );
    } else if !has("security.csp_missing") {
        set(
            &mut h,
            header::CONTENT_SECURITY_POLICY,
            &format!("default-src 'self'; img-src 'self'{frame}"),
        );
    }
    if has("security.cors_wildcard_credentials") {
        set(&mut h, header::ACCESS_CONTROL_ALLOW_ORIGIN, "*");
        set(&mut h, header::ACCESS_CONTROL_ALLOW_CREDENTIALS, "true");
    }
    set(
        &mut h,
        header::SET_COOKIE,
        &session_cookie(defects, &format!("visitor.{}", uuid::Uuid::new_v4())),
    );
    if !has("performance.uncompressed") {
        set(&mut h, header::CONTENT_ENCODING, "gzip");
    }
    h
}

/// The storefront's session cookie, with the attributes the page's cookie
/// defects leave out.
pub fn session_cookie(defects: &Defects, value: &str) -> String {
    let mut cookie = format!("nw_session={value}; Path=/");
    if !defects.contains("security.cookie_insecure") {
        cookie.push_str("; Secure");
    }
    if !defects.contains("security.cookie_no_httponly") {
        cookie.push_str("; HttpOnly");
    }
    if !defects.contains("security.cookie_no_samesite") {
        cookie.push_str("; SameSite=Lax");
    }
    cookie
}

fn product_cards() -> String {
    PRODUCTS
        .iter()
        .map(|p| {
            format!(
                r#"<li><a href="/products/{}"><img src="{}" alt="{}" width="320" height="240"> {} <span class="price">{}</span></a></li>"#,
                p.slug, p.image, p.name, p.name, p.price
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Enough inline data to push the document past the scanner's 500 KiB.
fn bulky_inline_data() -> String {
    let row =
        r#"{"sku":"NW-0000","name":"Trail sock, merino, size M","stock":12,"warehouse":"north"},"#;
    let rows = row.repeat(540 * 1024 / row.len() + 1);
    format!(
        "<script type=\"application/json\" id=\"inventory\">[{}{{}}]</script>\n",
        rows
    )
}

/// The page at `path` of `host`, with exactly `defects`.
pub fn render(host: &str, path: &str, defects: &Defects) -> Rendered {
    let has = |key: &str| defects.contains(key);
    let site = site_name(host);
    let name = page_name(path);
    let lang = if has("accessibility.html_lang_missing") {
        ""
    } else {
        " lang=\"en\""
    };
    let title = if has("seo.title_missing") {
        "<title></title>".to_string()
    } else if path == "/" {
        format!("<title>{site} | Outdoor clothing, gear and stories</title>")
    } else {
        format!("<title>{name} | {site}</title>")
    };
    let description = if has("seo.meta_description_missing") {
        String::new()
    } else {
        format!(
            "<meta name=\"description\" content=\"{name} at {site}: gear built for long days outside, free returns within 60 days.\">\n"
        )
    };
    let canonical = if has("seo.canonical_missing") {
        String::new()
    } else {
        let public = host.replace(".northwind.test", ".northwind-outfitters.com");
        format!("<link rel=\"canonical\" href=\"https://{public}{path}\">\n")
    };
    let heading = if path == "/" && site == "Northwind Outfitters" {
        "Built for the long way round".to_string()
    } else {
        name.clone()
    };
    let heading = if has("seo.h1_missing") {
        format!("<p class=\"headline\">{heading}</p>")
    } else {
        format!("<h1>{heading}</h1>")
    };
    let alt = if has("accessibility.img_alt_missing") {
        String::new()
    } else {
        format!(" alt=\"{name}: hikers on a ridge at dawn\"")
    };
    let bulky = if has("performance.large_document") {
        bulky_inline_data()
    } else {
        String::new()
    };
    let html = format!(
        r#"<!doctype html>
<html{lang}>
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
{title}
{description}{canonical}</head>
<body>
<header>
<a href="/">{site}</a>
<nav><a href="/collections/jackets">Jackets</a> <a href="/collections/boots">Boots</a> <a href="/account/login">Sign in</a> <a href="/cart">Cart</a></nav>
</header>
<main>
{heading}
<img src="/static/hero-ridge.jpg"{alt} width="1200" height="500">
<p>Our winter range is in: waterproof shells, warm down and boots that keep going. Every piece is tested on the trail before it reaches the shop, and repaired for free for as long as you own it.</p>
<h2>New this season</h2>
<ul class="products">
{cards}
</ul>
{bulky}</main>
<footer>
<p>Northwind Outfitters, gear for the long way round. Free returns within 60 days, free repairs for life.</p>
<p>Questions about sizing, orders or returns? Write to help@northwind.test or call us from 8 to 18, Monday to Saturday.</p>
<nav><a href="/about">About</a> <a href="/privacy">Privacy</a> <a href="/help/contact">Contact</a></nav>
</footer>
</body>
</html>
"#,
        cards = product_cards(),
    );
    Rendered {
        headers: headers_for(defects),
        html,
        delay: if has("performance.slow_ttfb") {
            SLOW_ANSWER
        } else {
            Duration::ZERO
        },
    }
}

/// `/account/login`, with an error line after a failed attempt.
pub fn login(error: Option<&str>) -> String {
    let error = error
        .map(|e| format!("<p class=\"error\" role=\"alert\">{e}</p>\n"))
        .unwrap_or_default();
    page_shell(
        "Sign in | Northwind Outfitters",
        &format!(
            r#"<h1>Sign in</h1>
{error}<form method="post" action="/account/login">
<label for="email">Email</label> <input id="email" name="email" type="email" autocomplete="username" required>
<label for="password">Password</label> <input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">Sign in</button>
</form>
<p>Demo account: any email, password <code>northwind</code>.</p>"#
        ),
    )
}

/// `/account`, for a signed-in visitor.
pub fn account(email: &str) -> String {
    page_shell(
        "Your account | Northwind Outfitters",
        &format!(
            "<h1>Your account</h1>\n<p>Signed in as {}.</p>\n<p>No orders yet.</p>",
            escape(email)
        ),
    )
}

/// Any path the site does not serve.
pub fn not_found() -> String {
    page_shell(
        "Page not found | Northwind Outfitters",
        "<h1>Page not found</h1>\n<p><a href=\"/\">Back to the shop</a></p>",
    )
}

fn page_shell(title: &str, main: &str) -> String {
    format!(
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>{title}</title>\n</head>\n<body>\n<main>\n{main}\n</main>\n</body>\n</html>\n"
    )
}

/// Text safe to put between tags.
pub fn escape(raw: &str) -> String {
    raw.chars()
        .map(|c| match c {
            '<' => "&lt;".to_string(),
            '>' => "&gt;".to_string(),
            '&' => "&amp;".to_string(),
            '"' => "&quot;".to_string(),
            '\'' => "&#39;".to_string(),
            c => c.to_string(),
        })
        .collect()
}
