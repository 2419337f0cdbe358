//! SEO checks on the HTML document: title, meta description, h1, canonical.

use scraper::{Html, Selector};

use super::check::{CheckSpec, Verdict, clip, evidence};
use crate::api::model::{Domain, Severity};

pub const TITLE_MISSING: CheckSpec = CheckSpec {
    key: "seo.title_missing",
    domain: Domain::Seo,
    severity: Severity::Medium,
    title: "Missing or empty <title>",
    description: "The document has no <title>, or an empty one. Search engines use the title \
        as the headline of the result and browsers show it on tabs and bookmarks; without it \
        they invent one from the page content or URL.",
    fix_summary: "Give the page a unique, descriptive <title> of about 50-60 characters.",
    steps: &[
        "Add `<title>…</title>` inside <head>, naming the page's topic first and the site last.",
        "Keep it unique across pages and roughly 50-60 characters so it is not truncated in results.",
        "If pages are rendered by a template or framework, set the title per route (e.g. a head/meta component).",
    ],
    minutes: 10,
    impact: 55,
    effort: 5,
    risk: 5,
    confidence: 0.95,
};

pub const META_DESCRIPTION_MISSING: CheckSpec = CheckSpec {
    key: "seo.meta_description_missing",
    domain: Domain::Seo,
    severity: Severity::Low,
    title: "Missing meta description",
    description: "There is no non-empty `<meta name=\"description\">`. Search engines then pick \
        an arbitrary snippet of page text for the result, which often reads poorly and lowers \
        click-through.",
    fix_summary: "Add a meta description that summarises the page in one or two sentences.",
    steps: &[
        "Write a 120-160 character summary of the page's content and value for the reader.",
        "Add `<meta name=\"description\" content=\"…\">` inside <head>.",
        "Make descriptions unique per page (generate them from the page's content in templates).",
    ],
    minutes: 10,
    impact: 35,
    effort: 5,
    risk: 5,
    confidence: 0.95,
};

pub const H1_MISSING: CheckSpec = CheckSpec {
    key: "seo.h1_missing",
    domain: Domain::Seo,
    severity: Severity::Low,
    title: "No <h1> heading",
    description: "The document has no <h1>. The main heading tells search engines and \
        screen-reader users what the page is about and anchors the heading outline.",
    fix_summary: "Add one <h1> that states the page's main topic.",
    steps: &[
        "Identify the visible main heading of the page.",
        "Mark it up as <h1> (style it with CSS rather than choosing the tag for its look).",
        "Use h2-h6 for the sections beneath it, without skipping levels.",
    ],
    minutes: 10,
    impact: 30,
    effort: 5,
    risk: 5,
    confidence: 0.9,
};

pub const CANONICAL_MISSING: CheckSpec = CheckSpec {
    key: "seo.canonical_missing",
    domain: Domain::Seo,
    severity: Severity::Low,
    title: "No canonical link",
    description: "The document declares no `<link rel=\"canonical\">`. When the same content is \
        reachable under several URLs (tracking parameters, trailing slashes, http/https) \
        search engines split ranking signals between them or pick the wrong one.",
    fix_summary: "Declare the preferred URL of the page with a canonical link.",
    steps: &[
        "Decide the one URL each page should be indexed under (https, preferred host, no tracking parameters).",
        "Add `<link rel=\"canonical\" href=\"https://…\">` with that absolute URL inside <head>.",
        "Generate it in the page template so every page declares its own canonical URL.",
    ],
    minutes: 15,
    impact: 25,
    effort: 10,
    risk: 5,
    confidence: 0.9,
};

const NOT_HTML: &str = "not an HTML document";

fn select<'a>(doc: &'a Html, css: &str) -> Vec<scraper::ElementRef<'a>> {
    match Selector::parse(css) {
        Ok(selector) => doc.select(&selector).collect(),
        Err(_) => Vec::new(),
    }
}

fn text_of(element: &scraper::ElementRef<'_>) -> String {
    element
        .text()
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

pub fn title_missing(doc: Option<&Html>) -> Verdict {
    let Some(doc) = doc else {
        return Verdict::pass(NOT_HTML);
    };
    let titles = select(doc, "title");
    match titles.first().map(text_of) {
        Some(t) if !t.is_empty() => Verdict::pass(clip(&t)),
        Some(_) => Verdict::fail(
            "empty <title>",
            vec![evidence("markup", "Title element", clip(&titles[0].html()))],
        ),
        None => Verdict::fail("absent", vec![evidence("markup", "<title>", "absent")]),
    }
}

pub fn meta_description_missing(doc: Option<&Html>) -> Verdict {
    let Some(doc) = doc else {
        return Verdict::pass(NOT_HTML);
    };
    let found = select(doc, "meta[name]").into_iter().find(|m| {
        m.value()
            .attr("name")
            .is_some_and(|n| n.trim().eq_ignore_ascii_case("description"))
    });
    match found {
        Some(m) => match m.value().attr("content").map(str::trim) {
            Some(c) if !c.is_empty() => Verdict::pass(clip(c)),
            _ => Verdict::fail(
                "empty content",
                vec![evidence("markup", "Meta description", clip(&m.html()))],
            ),
        },
        None => Verdict::fail(
            "absent",
            vec![evidence("markup", "<meta name=\"description\">", "absent")],
        ),
    }
}

pub fn h1_missing(doc: Option<&Html>) -> Verdict {
    let Some(doc) = doc else {
        return Verdict::pass(NOT_HTML);
    };
    let h1s = select(doc, "h1");
    match h1s.first() {
        Some(h) => Verdict::pass(format!("{} <h1>: {}", h1s.len(), clip(&text_of(h)))),
        None => Verdict::fail("absent", vec![evidence("metric", "<h1> elements", "0")]),
    }
}

pub fn canonical_missing(doc: Option<&Html>) -> Verdict {
    let Some(doc) = doc else {
        return Verdict::pass(NOT_HTML);
    };
    let canonical = select(doc, "link[rel][href]").into_iter().find(|l| {
        l.value().attr("rel").is_some_and(|r| {
            r.split_ascii_whitespace()
                .any(|t| t.eq_ignore_ascii_case("canonical"))
        })
    });
    match canonical
        .and_then(|l| l.value().attr("href"))
        .map(str::trim)
    {
        Some(href) if !href.is_empty() => Verdict::pass(clip(href)),
        _ => Verdict::fail(
            "absent",
            vec![evidence("markup", "<link rel=\"canonical\">", "absent")],
        ),
    }
}

/// Every SEO check, judged on one page's document.
pub fn judge(doc: Option<&Html>) -> Vec<(&'static CheckSpec, Verdict)> {
    vec![
        (&TITLE_MISSING, title_missing(doc)),
        (&META_DESCRIPTION_MISSING, meta_description_missing(doc)),
        (&H1_MISSING, h1_missing(doc)),
        (&CANONICAL_MISSING, canonical_missing(doc)),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(html: &str) -> Html {
        Html::parse_document(html)
    }

    #[test]
    fn whitespace_only_title_is_empty() {
        let v = title_missing(Some(&doc("<html><head><title>  \n </title></head></html>")));
        assert!(!v.passed);
        assert_eq!(v.observed, "empty <title>");
    }

    #[test]
    fn canonical_is_found_among_several_rel_tokens() {
        let v = canonical_missing(Some(&doc(
            r#"<head><link rel="alternate canonical" href="https://e.com/a"></head>"#,
        )));
        assert!(v.passed, "{v:?}");
    }

    #[test]
    fn html_checks_do_not_apply_to_other_documents() {
        assert!(title_missing(None).passed);
        assert!(h1_missing(None).passed);
    }
}
