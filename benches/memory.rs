//! Heap used by 100,000 findings: in the client (decoded `Finding`s, as a
//! page arrives), in the TUI's findings list (`FindingRow`s, at 1k, 10k and
//! 100k loaded) and in the sandbox serving them.
//!
//! A counting global allocator tracks the bytes live at each step; the
//! numbers are deterministic up to a few kilobytes of runtime noise, so one
//! run is enough.

mod common;

#[path = "../tests/counting_alloc/mod.rs"]
mod counting_alloc;

use counting_alloc::{Counting, live, peak, reset_peak};
use krafter::api::model::{Finding, FindingQuery, FindingRow};
use krafter::app::state::FindingsState;

#[global_allocator]
static ALLOCATOR: Counting = Counting;

fn mib(bytes: usize) -> String {
    format!("{:.1} MiB", bytes as f64 / (1024.0 * 1024.0))
}

/// Heap of a sandbox of `generate` findings, once it has served a list
/// (which builds its order index): (after startup, once serving).
async fn sandbox_heap(generate: usize) -> (usize, usize) {
    let before = live();
    let (sandbox, _) = common::sandbox(generate, None).await;
    let started = live().saturating_sub(before);
    let client = common::client(&sandbox, &sandbox.base_url);
    if let Err(e) = client.list_findings(&FindingQuery::default(), 0, 1).await {
        panic!("the sandbox does not answer: {e}");
    }
    let serving = live().saturating_sub(before);
    drop(client);
    sandbox.shutdown().await;
    (started, serving)
}

fn main() {
    let n = common::FINDINGS;
    let rt = common::runtime();
    rt.block_on(async {
        let per = |bytes: usize, count: usize| bytes as f64 / count as f64;
        println!("memory (live heap, counted by the global allocator)");
        for generate in [n, common::GENERATE_FOR_ONE_PROJECT] {
            let (started, serving) = sandbox_heap(generate).await;
            println!(
                "sandbox --generate {generate:<7} after startup {:>10} ({:.0} B/finding), serving {:>10}",
                mib(started),
                per(started, generate),
                mib(serving)
            );
        }

        let (sandbox, _) = common::sandbox(common::GENERATE_FOR_ONE_PROJECT, None).await;
        let client = common::client(&sandbox, &sandbox.base_url);
        let raw = common::raw_page(&sandbox, 50_000).await;
        if let Err(e) = client.list_findings(&FindingQuery::default(), 0, 1).await {
            panic!("the sandbox does not answer: {e}");
        }

        let before_load = live();
        reset_peak();
        let rows: Vec<Finding> = common::load_all(&client).await;
        let held = live().saturating_sub(before_load);
        let load_peak = peak().saturating_sub(before_load);
        assert_eq!(rows.len(), n, "every finding of the project loads");
        let mut rows = rows;
        let before_shrink = live();
        rows.shrink_to_fit();
        let outer_slack = before_shrink.saturating_sub(live());

        // A clone allocates exactly what the rows need: no Vec slack, no
        // connection buffers.
        let before_clone = live();
        let exact = rows.clone();
        let exact_bytes = live().saturating_sub(before_clone);
        drop(exact);

        println!(
            "client  size_of::<Finding>()                 {} B",
            std::mem::size_of::<Finding>()
        );
        println!(
            "client  JSON per finding on the wire         {:.0} B",
            raw.len() as f64 / f64::from(common::PAGE)
        );
        println!(
            "client  {n} decoded rows, exact         {:>10} ({:.0} B/finding)",
            mib(exact_bytes),
            per(exact_bytes, n)
        );
        println!(
            "client  held after paging in 100 a page      {:>10} ({:.0} B/finding)",
            mib(held),
            per(held, n)
        );
        println!(
            "client  of which spare capacity of the rows  {:>10} ({:.0} B/finding)",
            mib(outer_slack),
            per(outer_slack, n)
        );
        println!(
            "client  peak while paging in, above start    {:>10}",
            mib(load_peak)
        );
        // What the TUI's findings list holds per loaded finding: its compact
        // rows (the description, evidence and fix are left to the detail),
        // the strings they share, the position index and the rows vector's
        // spare capacity, at 1k, 10k and 100k loaded rows.
        println!(
            "tui     size_of::<FindingRow>()              {} B",
            std::mem::size_of::<FindingRow>()
        );
        for count in [1_000, 10_000, n] {
            let baseline = live();
            let mut list = FindingsState::default();
            list.set_all(rows[..count].to_vec());
            let held = live().saturating_sub(baseline);
            println!(
                "tui     list of {count:<6} loaded findings      {:>10} ({:.0} B/finding)",
                mib(held),
                per(held, count)
            );
            drop(list);
        }
        drop(rows);
        sandbox.shutdown().await;
    });
}
