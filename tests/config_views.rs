//! Saved views in the config file: good ones load with their filters and
//! sort, bad ones are warnings naming their line, never a failed start;
//! a profile's own views win; none written gives the built-in ones.

mod config_support;

use config_support::{FILE, flags, run, write_config};
use krafter::api::model::{FindingStatus, Severity};
use krafter::config::views::OwnerSpec;

fn line_of(text: &str, needle: &str) -> usize {
    text.lines().position(|l| l.contains(needle)).unwrap() + 1
}

#[test]
fn views_load_with_filters_sort_and_columns() {
    let s = write_config(&format!(
        "{FILE}\n[people]\nmei = \"33333333-3333-3333-3333-333333333333\"\n\n\
         [[views]]\nname = \"Mine\"\nowner = \"me\"\nsort = [\"severity\", \"age\"]\n\n\
         [[views]]\nname = \"Mei's criticals\"\nowner = \"mei\"\nseverity = \"critical\"\n\
         status = \"new\"\ncolumns = [\"owner\", \"age\"]\ntext = \"csp\"\n"
    ));
    let r = run(&flags(), &[], &s.path).unwrap();
    assert!(r.warnings.is_empty(), "{:?}", r.warnings);
    let views = &r.ui.views;
    assert_eq!(views.len(), 2);
    assert_eq!(views[0].name, "Mine");
    assert_eq!(views[0].owner, Some(OwnerSpec::Me));
    assert_eq!(views[0].sort, ["severity", "age"]);
    assert_eq!(
        views[1].owner,
        Some(OwnerSpec::Id("33333333-3333-3333-3333-333333333333".into()))
    );
    assert_eq!(views[1].severity, Some(Severity::Critical));
    assert_eq!(views[1].status, Some(FindingStatus::New));
    assert_eq!(views[1].columns, ["owner", "age"]);
    assert_eq!(views[1].text.as_deref(), Some("csp"));
}

#[test]
fn bad_views_are_warned_with_their_line_and_the_good_ones_stay() {
    let text = format!(
        "{FILE}\n[[views]]\nname = \"Good\"\nstatus = \"triaged\"\n\n\
         [[views]]\nname = \"Urgent\"\nseverity = \"urgent\"\n\n\
         [[views]]\nseverity = \"high\"\n\n\
         [[views]]\nname = \"Odd\"\nsort = 5\n\n\
         [[views]]\nname = \"Typo\"\nstatuss = \"new\"\n\n\
         [[views]]\nname = \"Nobody\"\nowner = \"someone\"\n\n\
         [[views]]\nname = \"good\"\n"
    );
    let s = write_config(&text);
    let r = run(&flags(), &[], &s.path).expect("bad views never stop krafter");
    let names: Vec<&str> = r.ui.views.iter().map(|v| v.name.as_str()).collect();
    assert_eq!(names, ["Good"], "{:?}", r.warnings);
    let view_lines: Vec<usize> = text
        .lines()
        .enumerate()
        .filter(|(_, l)| *l == "[[views]]")
        .map(|(i, _)| i + 1)
        .collect();
    let warned = |needle: &str, line: usize| {
        assert!(
            r.warnings
                .iter()
                .any(|w| w.contains(&format!("line {line}")) && w.contains(needle)),
            "no warning about {needle} at line {line}: {:?}",
            r.warnings
        );
    };
    warned("severity `urgent`", view_lines[1]);
    warned("needs a name", view_lines[2]);
    warned("`sort` must be a list", view_lines[3]);
    warned("unknown key `statuss`", view_lines[4]);
    warned("owner `someone`", view_lines[5]);
    warned("second view named `good`", view_lines[6]);
    assert_eq!(line_of(&text, "name = \"Urgent\"") - 1, view_lines[1]);
}

#[test]
fn views_that_are_not_tables_fall_back_to_the_built_in_ones() {
    let s = write_config(&format!("views = \"all of them\"\n{FILE}"));
    let r = run(&flags(), &[], &s.path).expect("never a failed start");
    assert!(
        r.warnings.iter().any(|w| w.contains("[[views]], line 1")),
        "{:?}",
        r.warnings
    );
    let names: Vec<&str> = r.ui.views.iter().map(|v| v.name.as_str()).collect();
    assert_eq!(names, ["All", "Mine", "Untriaged", "Critical open"]);
}

#[test]
fn a_profile_has_views_of_its_own() {
    let s = write_config(&format!(
        "{FILE}\n[[profiles.work.views]]\nname = \"Work only\"\ndomain = \"security\"\n\n\
         [[views]]\nname = \"Everyone's\"\n"
    ));
    let r = run(&flags(), &[], &s.path).unwrap();
    assert!(r.warnings.is_empty(), "{:?}", r.warnings);
    let names: Vec<&str> = r.ui.views.iter().map(|v| v.name.as_str()).collect();
    assert_eq!(names, ["Work only"]);
}

#[test]
fn no_views_written_gives_the_built_in_ones() {
    let s = write_config(FILE);
    let r = run(&flags(), &[], &s.path).unwrap();
    let names: Vec<&str> = r.ui.views.iter().map(|v| v.name.as_str()).collect();
    assert_eq!(names, ["All", "Mine", "Untriaged", "Critical open"]);
    assert_eq!(r.ui.views[1].owner, Some(OwnerSpec::Me));
    assert_eq!(r.ui.views[2].status, Some(FindingStatus::New));
    assert_eq!(r.ui.views[3].severity, Some(Severity::Critical));
}

#[test]
fn web_url_is_a_profile_key() {
    let s = write_config(&FILE.replace("me = ", "web_url = \"https://app.krafter.dev\"\nme = "));
    let r = run(&flags(), &[], &s.path).unwrap();
    assert!(r.warnings.is_empty(), "{:?}", r.warnings);
    assert_eq!(r.web_url.as_deref(), Some("https://app.krafter.dev"));
}
