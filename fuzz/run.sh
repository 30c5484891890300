#!/usr/bin/env bash
# Runs every fuzz target for SECONDS (default 600) one after the other, seeded from seeds/;
# new inputs go to corpus/<target>, crashes to artifacts/<target>. Needs nightly and cargo-fuzz.
set -euo pipefail
cd "$(dirname "$0")"
seconds="${1:-600}"
for target in ${TARGETS:-response_json response_cbor response_xml html_to_markdown model_parser}; do
    mkdir -p "corpus/$target"
    cargo +nightly fuzz run "$target" -O "corpus/$target" "seeds/$target" -- \
        -max_total_time="$seconds" -timeout=10 -rss_limit_mb=4096 -print_final_stats=1 \
        2>&1 | tee "fuzz-$target.log" | grep -E "^(Done|stat::number_of_executed_units|stat::new_units_added)|SUMMARY|panicked" || true
done
