use super::*;
use crate::cli::RecordFormat;

const A: &str = "11111111-1111-4111-8111-111111111111";
const B: &str = "22222222-2222-4222-8222-222222222222";

fn args() -> UpdateArgs {
    UpdateArgs {
        ids: Vec::new(),
        stdin: false,
        where_severity: None,
        where_status: None,
        where_domain: None,
        where_owner: None,
        where_text: None,
        status: Some("triaged".into()),
        owner: None,
        unassign: false,
        severity: None,
        reason: None,
        comment: None,
        dry_run: false,
        resume: None,
        undo: None,
        format: RecordFormat::Table,
    }
}

fn error(a: &UpdateArgs, stdin: Option<&str>) -> String {
    plan(a, None, stdin).unwrap_err().0
}

#[test]
fn ids_come_from_arguments_and_stdin_once_each() {
    let mut a = args();
    a.ids = vec![A.to_uppercase()];
    a.stdin = true;
    let stdin = format!("# triage these\n\n{B}  # the cookie one\n{A}\n");
    let Request::Change(job) = plan(&a, None, Some(&stdin)).unwrap() else {
        panic!()
    };
    assert_eq!(job.pick, Pick::Ids(vec![A.into(), B.into()]));
    assert_eq!(job.selection(), Selection::Ids { count: 2 });
}

#[test]
fn a_bad_id_is_named_with_its_stdin_line() {
    let mut a = args();
    a.ids = vec!["f1".into()];
    a.stdin = true;
    let e = error(&a, Some(&format!("{A}\n\nnot-an-id\n")));
    assert_eq!(
        e,
        "not a finding id (a UUID): `f1`, `not-an-id` (stdin line 3)"
    );
}

#[test]
fn filters_and_ids_do_not_mix_and_something_must_be_selected() {
    let mut a = args();
    a.ids = vec![A.into()];
    a.where_status = Some("new".into());
    assert!(error(&a, None).contains("not both"));
    a.ids.clear();
    let Request::Change(job) = plan(&a, None, None).unwrap() else {
        panic!()
    };
    assert_eq!(
        job.selection(),
        Selection::Filter {
            filters: vec![("status".into(), "new".into())]
        }
    );
    a.where_status = None;
    assert!(error(&a, None).contains("no findings given"));
    a.stdin = true;
    assert_eq!(error(&a, Some("# nothing\n")), "stdin held no finding id");
}

#[test]
fn the_change_is_checked() {
    let mut a = args();
    a.ids = vec![A.into()];
    a.status = None;
    assert!(error(&a, None).contains("nothing to change"));
    a.status = Some("resolved".into());
    assert!(error(&a, None).contains("verify ID --approve"));
    a.status = Some("dismissed".into());
    let e = error(&a, None);
    assert!(e.contains("dismissing needs a reason"), "{e}");
    assert!(e.contains("false_positive, wont_fix"), "{e}");
    a.reason = Some("meh".into());
    assert!(error(&a, None).contains("unknown reason `meh`"));
    a.reason = Some("accepted-risk".into());
    let Request::Change(job) = plan(&a, None, None).unwrap() else {
        panic!()
    };
    assert_eq!(job.reason, Some(Reason::AcceptedRisk));
}

#[test]
fn me_and_none_select_owners() {
    let mut a = args();
    a.where_owner = Some("me".into());
    assert!(error(&a, None).contains("me = "));
    let Request::Change(job) = plan(&a, Some(B), None).unwrap() else {
        panic!()
    };
    assert_eq!(
        job.pick,
        Pick::Filter(FindingQuery {
            owner_id: Some(B.into()),
            ..FindingQuery::default()
        })
    );
    a.where_owner = Some("bob".into());
    assert!(error(&a, None).contains("--where-owner `bob`"));
}
