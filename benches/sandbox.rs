//! The sandbox at scale, through the real client on loopback with no rate
//! limit: startup with 100,000 and 300,000 generated findings, then, with
//! 100,000 findings in the project asked for, the first page, a deep page,
//! a `q=` search and the command center.

mod common;

use std::sync::LazyLock;

use krafter::api::Client;
use krafter::api::model::FindingQuery;
use krafter::sandbox::RunningSandbox;
use tokio::runtime::Runtime;

struct Served {
    rt: Runtime,
    /// Kept alive for the client; dropped (stopped) at exit.
    _sandbox: RunningSandbox,
    client: Client,
}

static SERVED: LazyLock<Served> = LazyLock::new(|| {
    let rt = common::runtime();
    let (sandbox, client) = rt.block_on(async {
        let (sandbox, _) = common::sandbox(common::GENERATE_FOR_ONE_PROJECT, None).await;
        // No warm-up request: the sandbox indexes its findings while it
        // starts, so the first list costs what any other does.
        let client = common::client(&sandbox, &sandbox.base_url);
        (sandbox, client)
    });
    Served {
        rt,
        _sandbox: sandbox,
        client,
    }
});

fn main() {
    LazyLock::force(&SERVED);
    divan::main();
}

/// `krafter serve --generate N` until it listens, and its shutdown.
#[divan::bench(args = [common::FINDINGS, common::GENERATE_FOR_ONE_PROJECT], sample_count = 5, sample_size = 1)]
fn startup(bencher: divan::Bencher, generate: usize) {
    let rt = common::runtime();
    bencher.bench_local(|| {
        rt.block_on(async {
            let (sandbox, _) = common::sandbox(generate, None).await;
            sandbox.shutdown().await;
        })
    });
}

/// The first list request after startup (100k in the project): the list
/// order is built during startup, so this costs what any first page does.
#[divan::bench(sample_count = 5, sample_size = 1)]
fn first_list_after_startup(bencher: divan::Bencher) {
    let rt = common::runtime();
    bencher
        .with_inputs(|| {
            rt.block_on(async {
                let (sandbox, _) = common::sandbox(common::GENERATE_FOR_ONE_PROJECT, None).await;
                let client = common::client(&sandbox, &sandbox.base_url);
                (sandbox, client)
            })
        })
        .bench_local_values(|(sandbox, client)| {
            let page = rt.block_on(client.list_findings(&FindingQuery::default(), 0, 100));
            assert!(page.is_ok(), "first page");
            sandbox
        });
}

fn get_page(query: &FindingQuery, offset: u64) -> usize {
    let s = &*SERVED;
    match s
        .rt
        .block_on(s.client.list_findings(query, offset, common::PAGE))
    {
        Ok(page) => page.items.len(),
        Err(e) => panic!("GET /findings failed: {e}"),
    }
}

/// `GET /findings?limit=100` (the first page), decoded.
#[divan::bench(sample_count = 50)]
fn findings_first_page() -> usize {
    get_page(&FindingQuery::default(), 0)
}

/// `GET /findings?limit=100&offset=99900` (the last page), decoded.
#[divan::bench(sample_count = 50)]
fn findings_deep_offset() -> usize {
    get_page(&FindingQuery::default(), 99_900)
}

/// `GET /findings?q=...&limit=100`: a substring search of every title and
/// description (each distinct text matched once), with the total.
#[divan::bench(args = ["cookie", "zzz-no-match"], sample_count = 30)]
fn findings_search(q: &str) -> usize {
    let query = FindingQuery {
        q: Some(q.to_string()),
        ..FindingQuery::default()
    };
    get_page(&query, 0)
}

/// `GET /findings?severity=critical&limit=100&offset=5000`: a field filter
/// deep into the list, which reads every finding to count the total.
#[divan::bench(sample_count = 30)]
fn findings_filtered_deep() -> usize {
    let query = FindingQuery {
        severity: Some(krafter::api::model::Severity::Critical),
        ..FindingQuery::default()
    };
    get_page(&query, 5_000)
}

/// `GET /command-center` over 100k findings, decoded.
#[divan::bench(sample_count = 30)]
fn command_center() -> usize {
    let s = &*SERVED;
    match s.rt.block_on(s.client.command_center()) {
        Ok(cc) => cc.top_priorities.len(),
        Err(e) => panic!("GET /command-center failed: {e}"),
    }
}
