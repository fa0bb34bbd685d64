#!/usr/bin/env bash
# pg_funnel benchmark suite, one command (see docs/benchmarks.md):
#   builds and installs the extension, runs the core micro-benchmarks (core_bench,
#   Google Benchmark), starts a throwaway PostgreSQL 15 cluster tuned for this
#   machine, and for every size loads the data sets, loads the same rows into
#   ClickHouse (chdb), times every workload and its comparators, checks that they
#   all give the same answers, and writes the results table with the ratios and
#   targets; then a scaling table over the sizes.
#
# Usage: scripts/bench.sh [--sizes "1e6 1e7"] [--events N] [--quick] [--runs R]
#                         [--profile] [--whatif] [--no-core] [--no-clickhouse]
#                         [--max-seconds S] [--statement-timeout S]
#   --sizes LIST  rows of the main data set, one run each (default "1e6 1e7";
#                 actors = rows / 10). 1e8 works too (about an hour, 40 GB of RAM
#                 for PostgreSQL and ClickHouse together: not on a 24 GB machine).
#   --events N   a single size (same as --sizes N).
#   --quick      CI smoke test: 2e5 rows, 1 run, no core_bench, about a minute;
#                ends with "bench: N passed, M failed".
#   --runs R     timed runs per query (median reported; default 3; a query stops
#                repeating once its runs took --max-seconds, default 30).
#   --profile    also record perf profiles of the backend (serial funnel queries,
#                largest size only).
#   --whatif     also time funnel_steps re-declared with SSPACE (an experiment).
#   --no-core    skip core_bench.
#   --update-docs  copy the result tables into docs/benchmarks.md (between its
#                <!-- bench:... --> markers) after the run.
# Results: build/bench-results/<rows>/ (results.md, results.json, plans/, queries/,
# perf-*.txt), build/bench-results/core_bench.{txt,json}, build/bench-results/scaling.md.
# Exits non-zero if any formulation of a report gives a different answer than
# pg_funnel, or a workload fails to run.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

sizes="1e6 1e7"
quick=0
update_docs=0
profile=0
core=1
pass=()
while [ $# -gt 0 ]; do
  case $1 in
    --sizes) sizes=$2; shift 2 ;;
    --events) sizes=$2; shift 2 ;;
    --quick) quick=1; core=0; sizes=2e5; pass+=(--quick); shift ;;
    --no-core) core=0; shift ;;
    --core) core=1; shift ;;
    --runs|--max-seconds|--statement-timeout) pass+=("$1" "$2"); shift 2 ;;
    --profile) profile=1; shift ;;
    --no-clickhouse|--whatif) pass+=("$1"); shift ;;
    --update-docs) update_docs=1; shift ;;
    -h|--help) sed -n '2,31p' "$0"; exit 0 ;;
    *) echo "bench.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
results="$root/build/bench-results"
mkdir -p "$results"

bash scripts/install-deps.sh

echo "== build and install pg_funnel"
# The in-tree PGXS build and the installed extension are shared with other work
# in this checkout: serialize them, and stop if the build fails (never measure a
# stale pg_funnel.so).
if ! flock /tmp/pgf-build.lock sh -c 'make -j2 WERROR=1 >build/bench-results/build.log 2>&1 && make install >>build/bench-results/build.log 2>&1'; then
  tail -30 "$results/build.log"
  echo "bench: build failed"
  echo "bench: 0 passed, 1 failed"
  exit 1
fi

if [ "$core" = 1 ]; then
  echo "== core_bench (Google Benchmark, single-threaded core)"
  cmake -S . -B build/bench -DCMAKE_BUILD_TYPE=Release -DPGF_BENCHMARKS=ON -DPGF_WERROR=ON >/dev/null
  cmake --build build/bench --target core_bench -j2 >/dev/null
  build/bench/core_bench --benchmark_min_time=0.2 --benchmark_counters_tabular=true \
    --benchmark_out="$results/core_bench.json" --benchmark_out_format=json > "$results/core_bench.txt"
  # The headline numbers: events/s of the scan with no early exit (shape 1), per
  # actor size, and the state bytes per buffered event.
  node test/benchmark/core_summary.mjs "$results/core_bench.json" | tee "$results/core_summary.md"
fi

echo "== ClickHouse (chdb) and the PostgreSQL client for node"
if [ ! -d test/benchmark/node_modules/chdb ] || [ ! -d test/benchmark/node_modules/pg ]; then
  (cd test/benchmark && npm ci --no-audit --no-fund)
fi

# One driver run per size, in the same throwaway cluster.
# Profiles (--profile) only at the largest size.
runs=""
largest=$(for s in $sizes; do printf '%.0f\n' "$s"; done | sort -n | tail -1)
for s in $sizes; do
  n=$(printf '%.0f' "$s")
  extra=""
  [ "$profile" = 1 ] && [ "$n" = "$largest" ] && extra=--profile
  runs="$runs node test/benchmark/bench.mjs --events $n --out $results/$n ${pass[*]:-} $extra || rc=1;"
done
driver="rc=0; $runs node test/benchmark/scaling.mjs $results $(for s in $sizes; do printf '%.0f ' "$s"; done) || rc=1; exit \$rc"

echo "== throwaway PostgreSQL 15 cluster"
# Settings for this machine (2 cores, 24 GB); docs/benchmarks.md gives the reasons.
#   shared_buffers 6GB: 25% of RAM; both tables and their indexes stay cached, so
#     every engine is measured on CPU, not on disk.
#   work_mem 1GB (x hash_mem_multiplier 2): one actor-level hash aggregate of 1e7
#     rows (about 0.5 GB of states) or a sort of them never spills; at most 3
#     processes run such a node at once, well within 24 GB.
#   max_parallel_workers_per_gather 2, max_parallel_workers 2: one worker per core.
#   jit off: JIT compilation costs 0.1-1 s per query and pays off only for
#     expression-heavy scans; pg_funnel's aggregates are C++ and not inlined anyway.
#   random_page_cost 1.1, effective_cache_size 16GB: everything is in memory, as
#     the planner should know for the index plans of the plain-SQL formulations.
#   fsync, synchronous_commit, full_page_writes off, wal_level minimal: throwaway
#     data; only the load is faster, no measured query writes.
pg_virtualenv -t -v 15 \
  -o shared_buffers=6GB -o work_mem=1GB -o maintenance_work_mem=2GB \
  -o max_worker_processes=8 -o max_parallel_workers=2 -o max_parallel_workers_per_gather=2 \
  -o max_parallel_maintenance_workers=2 -o jit=off \
  -o random_page_cost=1.1 -o effective_cache_size=16GB \
  -o fsync=off -o synchronous_commit=off -o full_page_writes=off \
  -o wal_level=minimal -o max_wal_senders=0 -o max_wal_size=20GB -o checkpoint_timeout=1h \
  -o autovacuum=off \
  sh -c "$driver" || status=$?
if [ "$update_docs" = 1 ]; then
  node test/benchmark/update_docs.mjs "$results" $(for s in $sizes; do printf '%.0f ' "$s"; done)
fi
exit "${status:-0}"
