//! JUnit XML: one test suite per check key, one test case per finding; a
//! case fails when its finding counts toward the gate, and is skipped when
//! the baseline accepts it. CI servers show it in their test views.

use std::collections::BTreeMap;

use super::entry::Entry;
use crate::engine::gate::{Verdict, check_key};
use crate::sanitize::sanitize;

/// Escapes text for XML content and attributes; characters XML 1.0 cannot
/// carry at all become `�`.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || matches!(c, '\u{FFFE}' | '\u{FFFF}') => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// One test case, as XML (for streaming writers that group by check
/// themselves). `why` is the failure's reason when it counts.
pub fn testcase(entry: Entry<'_>, why: &str) -> String {
    let f = entry.finding;
    let check = escape(&check_key(f));
    let mut name = sanitize(&f.title).into_owned();
    if let Some(url) = f.primary_url() {
        name.push_str(&format!(" ({})", sanitize(url)));
    }
    let open = format!(
        "    <testcase classname=\"{check}\" name=\"{}\">",
        escape(&name)
    );
    let detail = escape(&format!(
        "{} {} finding {} in status {}\n{}",
        sanitize(f.severity.as_str()),
        sanitize(f.domain.as_str()),
        sanitize(&f.id),
        sanitize(f.status.as_str()),
        sanitize(&f.recommended_fix.summary)
    ));
    match entry.verdict {
        Verdict::Counts => format!(
            "{open}\n      <failure message=\"{}\" type=\"{}\">{detail}</failure>\n    </testcase>\n",
            escape(why),
            escape(f.severity.as_str())
        ),
        Verdict::Baselined => {
            format!("{open}\n      <skipped message=\"in the baseline\"/>\n    </testcase>\n")
        }
        Verdict::Below | Verdict::Closed => format!(
            "    <testcase classname=\"{check}\" name=\"{}\"/>\n",
            escape(&name)
        ),
    }
}

/// A JUnit report built one finding at a time; cases are grouped by check
/// when it is finished.
#[derive(Clone, Debug, Default)]
pub struct JunitReport {
    name: String,
    suites: BTreeMap<String, Suite>,
}

#[derive(Clone, Debug, Default)]
struct Suite {
    cases: String,
    tests: usize,
    failures: usize,
    skipped: usize,
}

impl JunitReport {
    /// A report named `name` (e.g. `krafter gate`).
    pub fn new(name: &str) -> JunitReport {
        JunitReport {
            name: name.to_string(),
            suites: BTreeMap::new(),
        }
    }

    /// Adds one finding; `why` is the failure message when it counts.
    pub fn add(&mut self, entry: Entry<'_>, why: &str) {
        let suite = self.suites.entry(check_key(entry.finding)).or_default();
        suite.cases.push_str(&testcase(entry, why));
        suite.tests += 1;
        match entry.verdict {
            Verdict::Counts => suite.failures += 1,
            Verdict::Baselined => suite.skipped += 1,
            Verdict::Below | Verdict::Closed => {}
        }
    }

    /// The XML document.
    pub fn finish(self) -> String {
        let tests: usize = self.suites.values().map(|s| s.tests).sum();
        let failures: usize = self.suites.values().map(|s| s.failures).sum();
        let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        out.push_str(&format!(
            "<testsuites name=\"{}\" tests=\"{tests}\" failures=\"{failures}\" errors=\"0\">\n",
            escape(&self.name)
        ));
        for (check, suite) in self.suites {
            out.push_str(&format!(
                "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"0\" skipped=\"{}\">\n",
                escape(&check),
                suite.tests,
                suite.failures,
                suite.skipped
            ));
            out.push_str(&suite.cases);
            out.push_str("  </testsuite>\n");
        }
        out.push_str("</testsuites>\n");
        out
    }
}

/// A whole report for a batch of findings; `why` explains a failure.
pub fn document<'a>(
    name: &str,
    entries: impl IntoIterator<Item = Entry<'a>>,
    why: impl Fn(&Entry<'a>) -> String,
) -> String {
    let mut report = JunitReport::new(name);
    for entry in entries {
        let reason = why(&entry);
        report.add(entry, &reason);
    }
    report.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::model::{Finding, FindingStatus, Severity};

    fn f(id: &str, check: &str, status: FindingStatus) -> Finding {
        let mut f = Finding {
            id: id.into(),
            title: format!("<script>{id}</script> & \x1b[2J"),
            severity: Severity::High,
            status,
            ..Finding::default()
        };
        f.extra.insert("check".into(), check.into());
        f
    }

    #[test]
    fn grouped_by_check_and_failed_when_counting() {
        let a = f("a", "security.csp_missing", FindingStatus::New);
        let b = f("b", "security.csp_missing", FindingStatus::Triaged);
        let c = f("c", "seo.title_missing", FindingStatus::Dismissed);
        let xml = document(
            "krafter gate",
            [
                Entry::new(&a, Verdict::Counts),
                Entry::new(&b, Verdict::Baselined),
                Entry::new(&c, Verdict::Closed),
            ],
            |_| "high finding open".to_string(),
        );
        assert!(xml.contains("<testsuites name=\"krafter gate\" tests=\"3\" failures=\"1\""));
        assert!(xml.contains(
            "<testsuite name=\"security.csp_missing\" tests=\"2\" failures=\"1\" errors=\"0\" skipped=\"1\">"
        ));
        assert!(xml.contains("<failure message=\"high finding open\""));
        assert!(
            xml.contains("&lt;script&gt;a&lt;/script&gt; &amp;"),
            "{xml}"
        );
        assert!(!xml.contains('\x1b'));
        assert_eq!(xml.matches("<testsuite ").count(), 2);
    }

    #[test]
    fn characters_xml_cannot_carry_are_replaced() {
        assert_eq!(escape("a\u{0}b\"'"), "a\u{FFFD}b&quot;&apos;");
    }
}
