//! `krafter finding` shows the finding's local history: the bulk changes
//! made through krafter on this machine, with the dismissal reason and the
//! comment the API has no field for (issue 10: the detail view and the
//! exports show them), and `krafter findings --format csv` ends each row
//! with them. JSON stays what the server sent.

mod cmd_support;

use cmd_support::{json, krafter_env, sandbox};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn finding_shows_the_reason_and_comment_kept_on_this_machine() {
    let sb = sandbox().await;
    // One data directory (the journal) for every run.
    let data = tempfile::tempdir().unwrap();
    let data_dir = data.path().to_str().unwrap().to_string();
    let env = [("XDG_DATA_HOME", data_dir.as_str()), ("COLUMNS", "200")];
    let run = |args: &[&str]| krafter_env(&sb, &sb.write_key, &env, args);

    let list = json(&run(&[
        "findings", "--status", "new", "--limit", "1", "--format", "json",
    ]));
    let id = list[0]["id"].as_str().unwrap().to_string();

    // Before any change: no history section.
    let before = run(&["finding", &id]);
    assert_eq!(before.code, Some(0), "{}", before.stderr);
    assert!(!before.stdout.contains("History on this machine"));

    let update = run(&[
        "update",
        &id,
        "--status",
        "dismissed",
        "--reason",
        "false_positive",
        "--comment",
        "the header is set by the CDN",
    ]);
    assert_eq!(update.code, Some(0), "{}{}", update.stdout, update.stderr);

    let after = run(&["finding", &id]);
    assert_eq!(after.code, Some(0), "{}", after.stderr);
    let history = after
        .stdout
        .split("History on this machine")
        .nth(1)
        .unwrap_or_else(|| panic!("a history section:\n{}", after.stdout));
    assert!(history.contains("new → dismissed"), "{history}");
    assert!(history.contains("false positive"), "{history}");
    assert!(
        history.contains("“the header is set by the CDN”"),
        "{history}"
    );
    assert!(history.contains("· default ·"), "the profile: {history}");
    assert!(history.contains("· job "), "{history}");

    // The CSV export ends with the reason and comment kept here; other
    // findings leave those cells empty.
    let csv_run = run(&["findings", "--all", "--format", "csv"]);
    assert_eq!(csv_run.code, Some(0), "{}", csv_run.stderr);
    let mut reader = csv::Reader::from_reader(csv_run.stdout.as_bytes());
    let headers: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    let at = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let (id_at, reason_at, comment_at) = (at("id"), at("local_reason"), at("local_comment"));
    let mut seen = 0;
    for record in reader.records() {
        let record = record.unwrap();
        if record[id_at] == id {
            assert_eq!(&record[reason_at], "false_positive");
            assert_eq!(&record[comment_at], "the header is set by the CDN");
            seen += 1;
        } else {
            assert_eq!(&record[reason_at], "", "{record:?}");
            assert_eq!(&record[comment_at], "", "{record:?}");
        }
    }
    assert_eq!(seen, 1, "the changed finding is in the export");

    // JSON is the server's finding, as sent: nothing local is mixed in.
    let as_json = run(&["finding", &id, "--format", "json"]);
    assert!(!as_json.stdout.contains("CDN"), "{}", as_json.stdout);
    assert_eq!(json(&as_json)["status"], "dismissed");
}
