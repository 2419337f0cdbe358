//! The storefront's HTML. Each page is complete and plausible; what a page
//! gets wrong depends on which fixes have been shipped.

use super::Fixes;

/// A product shown on the home page and in the jackets collection.
struct Product {
    slug: &'static str,
    name: &'static str,
    price: &'static str,
    image: &'static str,
}

const PRODUCTS: [Product; 3] = [
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

fn layout(title: &str, head_extra: &str, main: &str, canonical: &str) -> String {
    format!(
        r#"<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
{head_extra}<link rel="canonical" href="https://www.northwind-outfitters.com{canonical}">
</head>
<body>
<header>
<a href="/">Northwind Outfitters</a>
<nav><a href="/collections/jackets">Jackets</a> <a href="/account/login">Sign in</a> <a href="/cart">Cart</a></nav>
</header>
<main>
{main}
</main>
<footer><p>Northwind Outfitters, gear for the long way round. Free returns within 60 days.</p></footer>
</body>
</html>
"#
    )
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

/// `/`: the hero image has no alt text and there is no meta description
/// until those fixes ship.
pub fn home(fixes: &Fixes) -> String {
    let description = if fixes.description {
        "<meta name=\"description\" content=\"Jackets, boots and packs built for long days outside. Free returns within 60 days.\">\n"
    } else {
        ""
    };
    let hero_alt = if fixes.alt {
        r#" alt="Two hikers on a ridge at dawn in Alpine Shell jackets""#
    } else {
        ""
    };
    let main = format!(
        r#"<h1>Built for the long way round</h1>
<img src="/static/hero-ridge.jpg"{hero_alt} width="1200" height="500">
<p>Our winter range is in: waterproof shells, warm down and boots that keep going.</p>
<h2>New this season</h2>
<ul class="products">
{}
</ul>"#,
        product_cards()
    );
    layout(
        "Northwind Outfitters | Outdoor clothing and gear",
        description,
        &main,
        "/",
    )
}

/// `/collections/jackets`: a listing done right.
pub fn jackets() -> String {
    let main = format!(
        "<h1>Jackets</h1>\n<ul class=\"products\">\n{}\n</ul>",
        product_cards()
    );
    layout(
        "Jackets | Northwind Outfitters",
        "<meta name=\"description\" content=\"Waterproof shells and down jackets for hiking, climbing and the commute.\">\n",
        &main,
        "/collections/jackets",
    )
}

/// `/products/{slug}`, or `None` for an unknown product.
pub fn product(slug: &str) -> Option<String> {
    let p = PRODUCTS.iter().find(|p| p.slug == slug)?;
    let main = format!(
        r#"<h1>{name}</h1>
<img src="{image}" alt="{name}" width="640" height="480">
<p class="price">{price}</p>
<form method="post" action="/cart"><input type="hidden" name="sku" value="{slug}"><button>Add to cart</button></form>"#,
        name = p.name,
        image = p.image,
        price = p.price,
        slug = p.slug
    );
    let description = format!(
        "<meta name=\"description\" content=\"{}, {} at Northwind Outfitters.\">\n",
        p.name, p.price
    );
    Some(layout(
        &format!("{} | Northwind Outfitters", p.name),
        &description,
        &main,
        &format!("/products/{}", p.slug),
    ))
}

/// `/account/login`, with an error line after a failed attempt.
pub fn login(error: Option<&str>) -> String {
    let error = error
        .map(|e| format!("<p class=\"error\" role=\"alert\">{e}</p>\n"))
        .unwrap_or_default();
    let main = format!(
        r#"<h1>Sign in</h1>
{error}<form method="post" action="/account/login">
<label for="email">Email</label> <input id="email" name="email" type="email" autocomplete="username" required>
<label for="password">Password</label> <input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">Sign in</button>
</form>
<p>Demo account: any email, password <code>northwind</code>.</p>"#
    );
    layout(
        "Sign in | Northwind Outfitters",
        "<meta name=\"description\" content=\"Sign in to see your orders and returns.\">\n",
        &main,
        "/account/login",
    )
}

/// `/account`, for a signed-in visitor.
pub fn account(email: &str) -> String {
    let main = format!(
        "<h1>Your account</h1>\n<p>Signed in as {}.</p>\n<p>No orders yet.</p>",
        escape(email)
    );
    layout("Your account | Northwind Outfitters", "", &main, "/account")
}

/// Any other path.
pub fn not_found() -> String {
    layout(
        "Page not found | Northwind Outfitters",
        "",
        "<h1>Page not found</h1>\n<p><a href=\"/\">Back to the shop</a></p>",
        "/",
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
