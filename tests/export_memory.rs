//! A streamed export holds a few pages, however long the list: a counting
//! allocator measures the peak heap of exports of 3,000 and 15,000
//! findings. This binary holds this test alone, so nothing else allocates
//! while it measures.

mod counting_alloc;
mod support_contract;

use counting_alloc::{Counting, live, peak, reset_peak};
use krafter::api::model::FindingQuery;
use krafter::commands::export::{CsvSheet, JsonArray, Sheet, write_findings};
use krafter::sandbox::{DataSource, SandboxOptions};
use support_contract::{client, sandbox};

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Peak heap above the start of an export of `n` findings (the sandbox
/// serving them runs in this process too; its answers are a page each).
async fn peak_of_export<S: Sheet>(n: u64, mut sheet: S) -> usize {
    let data = DataSource::Generate(3 * n as usize);
    let sb = sandbox(SandboxOptions::for_tests().with_data(data)).await;
    let client = client(&sb);
    let base = live();
    reset_peak();
    let mut out = std::io::sink();
    let summary = write_findings(
        &client,
        &FindingQuery::default(),
        None,
        &mut sheet,
        &mut out,
        std::future::pending(),
        |_| {},
    )
    .await
    .unwrap_or_else(|_| panic!("the export of {n} findings failed"));
    let peak = peak().saturating_sub(base);
    assert_eq!(summary.written, n);
    sb.shutdown().await;
    peak
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_streamed_export_holds_a_few_pages_whatever_the_length_of_the_list() {
    for format in ["json", "csv"] {
        let peak = |n| async move {
            match format {
                "json" => peak_of_export(n, JsonArray::default()).await,
                _ => peak_of_export(n, CsvSheet::default()).await,
            }
        };
        // Both lists are long enough that every page the stream may keep
        // in flight (`MAX_AHEAD`) is in flight at some point.
        let small = peak(3_000).await;
        let large = peak(15_000).await;
        eprintln!("{format}: peak heap {small} B for 3,000 findings, {large} B for 15,000");
        // Holding the findings would cost over 2 KB each: 30 MB at 15,000,
        // 24 MB more than at 3,000. The pages in flight, and the pages the
        // in-process server is answering, take a few MB at any length.
        assert!(large < 12 << 20, "{format}: {large} B for 15,000 findings");
        assert!(
            large.saturating_sub(small) < 3 << 20,
            "{format}: the peak grew with the list: {small} B, then {large} B"
        );
    }
}
