#!/usr/bin/env bash
# krafter findings --all against curl, side by side in one run.
#
# For each size (100,000 and 10,000 findings in the project read), starts
# one sandbox (`krafter serve --generate 3N --no-rate-limit`: curl does not
# pace itself, so neither side is held back by a rate window), then times,
# in turn, `krafter findings --all --format F` for every format and one
# curl invocation fetching the same pages over one keep-alive connection.
# Wall time and peak RSS come from /usr/bin/time; the median of RUNS runs
# is reported, with krafter's time over curl's.
#
# Usage: benches/export.sh [KRAFTER_BINARY]   (default target/release/krafter)
# Env:   RUNS (default 3), SIZES (default "100000 10000")

set -euo pipefail

BIN=${1:-target/release/krafter}
RUNS=${RUNS:-3}
SIZES=${SIZES:-"100000 10000"}
KEY=bench-export-key
PROJECT=production-website
PAGE=100

[ -x "$BIN" ] || { echo "no krafter binary at $BIN; run cargo build --release first" >&2; exit 2; }
command -v curl >/dev/null || { echo "curl is needed" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "/usr/bin/time is needed (apt-get install time)" >&2; exit 2; }

WORK=$(mktemp -d)
SERVER=
cleanup() {
    if [ -n "$SERVER" ]; then kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; fi
    rm -rf "$WORK"
}
trap cleanup EXIT

# One timed run: prints "WALL_SECONDS PEAK_RSS_KB CPU_SECONDS" (CPU: user
# plus system time of the command itself, not of the sandbox).
measure() {
    /usr/bin/time -f "%e %M %U %S" -o "$WORK/time" "$@" >/dev/null 2>"$WORK/stderr" || {
        echo "failed: $*" >&2; cat "$WORK/stderr" >&2; exit 1;
    }
    awk '{ printf "%s %s %.2f\n", $1, $2, $3 + $4 }' "$WORK/time"
}

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

echo "# $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at the start"
echo
echo "| Findings | Command | Wall (median of $RUNS) | CPU (median) | Peak RSS (median) | krafter / curl |"
echo "|---|---|---|---|---|---|"

for N in $SIZES; do
    "$BIN" serve --addr 127.0.0.1:0 --generate $((3 * N)) --no-demo-site \
        --no-rate-limit --key "$KEY=audit:read" >"$WORK/serve.out" 2>"$WORK/serve.err" &
    SERVER=$!
    for _ in $(seq 1 600); do
        grep -q "org id" "$WORK/serve.out" 2>/dev/null && break
        kill -0 "$SERVER" 2>/dev/null || break
        sleep 0.1
    done
    BASE=$(awk '/base URL/ { print $4 }' "$WORK/serve.out")
    ORG=$(awk '/org id/ { print $4 }' "$WORK/serve.out")
    [ -n "$BASE" ] && [ -n "$ORG" ] || { echo "the sandbox did not start" >&2; cat "$WORK/serve.err" >&2; exit 1; }

    # curl's side: every page in one invocation, so it keeps one connection.
    {
        echo "header = \"Authorization: Bearer $KEY\""
        for ((offset = 0; offset < N; offset += PAGE)); do
            echo "url = \"$BASE/orgs/$ORG/projects/$PROJECT/audit/findings?limit=$PAGE&offset=$offset\""
        done
    } >"$WORK/curl.conf"

    export HOME="$WORK/home" KRAFTER_BASE_URL="$BASE" KRAFTER_ORG_ID="$ORG" \
        KRAFTER_PROJECT_ID="$PROJECT" KRAFTER_API_KEY="$KEY"
    # Warm-up: the first pages of a fresh server and the page cache.
    measure curl -s --config "$WORK/curl.conf" >/dev/null

    for FORMAT in json ndjson csv table; do
        : >"$WORK/k" ; : >"$WORK/c"
        for _ in $(seq 1 "$RUNS"); do
            measure "$BIN" findings --all --format "$FORMAT" >>"$WORK/k"
            measure curl -s --config "$WORK/curl.conf" >>"$WORK/c"
        done
        kw=$(cut -d' ' -f1 "$WORK/k" | median); km=$(cut -d' ' -f2 "$WORK/k" | median)
        cw=$(cut -d' ' -f1 "$WORK/c" | median); cm=$(cut -d' ' -f2 "$WORK/c" | median)
        kc=$(cut -d' ' -f3 "$WORK/k" | median); cc=$(cut -d' ' -f3 "$WORK/c" | median)
        ratio=$(awk -v a="$kw" -v b="$cw" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')
        printf "| %s | krafter --format %s | %s s | %s s | %.1f MB | %s |\n" "$N" "$FORMAT" "$kw" "$kc" "$(awk -v k="$km" 'BEGIN { print k / 1024 }')" "$ratio"
        printf "| %s | curl, same pages | %s s | %s s | %.1f MB | |\n" "$N" "$cw" "$cc" "$(awk -v k="$cm" 'BEGIN { print k / 1024 }')"
    done
    kill "$SERVER"; wait "$SERVER" 2>/dev/null || true; SERVER=
done
echo
echo "load average $(cut -d' ' -f1-3 /proc/loadavg) at the end"
