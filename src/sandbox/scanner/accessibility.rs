//! Accessibility checks on the HTML document: page language, image text
//! alternatives.

use scraper::{Html, Selector};

use super::check::{CheckSpec, Verdict, clip, evidence};
use crate::api::model::{Domain, Severity};

pub const HTML_LANG_MISSING: CheckSpec = CheckSpec {
    key: "accessibility.html_lang_missing",
    domain: Domain::Accessibility,
    severity: Severity::Medium,
    title: "Page language not declared on <html>",
    description: "The <html> element has no (or an empty) lang attribute. Screen readers then \
        read the page with the user's default voice and pronunciation rules, which can make \
        it unintelligible, and browsers cannot offer correct translation or hyphenation \
        (WCAG 2.x, 3.1.1 Language of Page).",
    fix_summary: "Declare the page's main language on the <html> element.",
    steps: &[
        "Add the language tag of the content, e.g. `<html lang=\"en\">` or `<html lang=\"fr-CA\">`.",
        "Set it in the base layout/template so every page gets it.",
        "Mark passages in another language with their own lang attribute (e.g. `<span lang=\"de\">`).",
    ],
    minutes: 5,
    impact: 40,
    effort: 5,
    risk: 20,
    confidence: 0.95,
};

pub const IMG_ALT_MISSING: CheckSpec = CheckSpec {
    key: "accessibility.img_alt_missing",
    domain: Domain::Accessibility,
    severity: Severity::Medium,
    title: "Images without an alt attribute",
    description: "Some <img> elements have no alt attribute. Screen readers then announce the \
        file name or just \"image\", so blind users miss the information the image carries \
        (WCAG 2.x, 1.1.1 Non-text Content). Decorative images should have an empty alt=\"\".",
    fix_summary: "Give every <img> an alt attribute: a short description, or alt=\"\" when \
        decorative.",
    steps: &[
        "List the images reported below (and others from the same templates).",
        "For images that convey information, write alt text that says what the image tells the reader, not what it looks like pixel by pixel.",
        "For purely decorative images, set `alt=\"\"` so assistive technology skips them.",
        "Make the CMS or component require alt text when images are added.",
    ],
    minutes: 30,
    impact: 45,
    effort: 20,
    risk: 20,
    confidence: 0.95,
};

const NOT_HTML: &str = "not an HTML document";

fn select<'a>(doc: &'a Html, css: &str) -> Vec<scraper::ElementRef<'a>> {
    match Selector::parse(css) {
        Ok(selector) => doc.select(&selector).collect(),
        Err(_) => Vec::new(),
    }
}

pub fn html_lang_missing(doc: Option<&Html>) -> Verdict {
    let Some(doc) = doc else {
        return Verdict::pass(NOT_HTML);
    };
    let lang = doc.root_element().value().attr("lang").map(str::trim);
    match lang {
        Some(l) if !l.is_empty() => Verdict::pass(format!("lang=\"{l}\"")),
        _ => {
            // The opening tag only, not the whole document.
            let attrs: String = doc
                .root_element()
                .value()
                .attrs()
                .map(|(k, v)| format!(" {k}=\"{v}\""))
                .collect();
            let open = format!("<html{attrs}>");
            Verdict::fail(
                if lang.is_some() {
                    "empty lang"
                } else {
                    "absent"
                },
                vec![evidence("markup", "<html> element", clip(&open))],
            )
        }
    }
}

pub fn img_alt_missing(doc: Option<&Html>) -> Verdict {
    let Some(doc) = doc else {
        return Verdict::pass(NOT_HTML);
    };
    let images = select(doc, "img");
    let missing: Vec<_> = images
        .iter()
        .filter(|i| i.value().attr("alt").is_none())
        .collect();
    if missing.is_empty() {
        return Verdict::pass(format!("all {} images have alt", images.len()));
    }
    let mut ev = vec![evidence(
        "metric",
        "Images without alt",
        format!("{} of {}", missing.len(), images.len()),
    )];
    ev.extend(
        missing
            .iter()
            .take(3)
            .map(|i| evidence("markup", "Image", clip(&i.html()))),
    );
    Verdict::fail(
        format!("{} of {} images without alt", missing.len(), images.len()),
        ev,
    )
}

/// Every accessibility check, judged on one page's document.
pub fn judge(doc: Option<&Html>) -> Vec<(&'static CheckSpec, Verdict)> {
    vec![
        (&HTML_LANG_MISSING, html_lang_missing(doc)),
        (&IMG_ALT_MISSING, img_alt_missing(doc)),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_alt_counts_as_decorative_not_missing() {
        let doc = Html::parse_document(
            r#"<html lang="en"><body><img src="a.png" alt=""><img src="b.png"></body></html>"#,
        );
        let v = img_alt_missing(Some(&doc));
        assert!(!v.passed);
        assert_eq!(v.observed, "1 of 2 images without alt");
        assert!(v.evidence[1].value.contains("b.png"));
    }

    #[test]
    fn empty_lang_is_reported() {
        let doc = Html::parse_document(r#"<html lang=" "><body></body></html>"#);
        let v = html_lang_missing(Some(&doc));
        assert_eq!(v.observed, "empty lang");
        assert!(v.evidence[0].value.starts_with("<html"));
    }
}
