#!/usr/bin/env bash
# Runs every test suite of pg_funnel and ends with one line "N passed, M failed"
# (totals over all suites). Exits non-zero if anything failed.
#   unit        core unit tests (GoogleTest), warnings as errors
#   sanitizers  the same tests under AddressSanitizer + UBSan
#   regress     pg_regress suite against a throwaway PostgreSQL 15 cluster
#   differential funnel_steps vs ClickHouse windowFunnel (chdb), random inputs
#   sharding    three clusters, postgres_fdw partitions: pushdown and identical results
#   dump        views over every function survive pg_dump/pg_restore (test/dump/run.sh)
#   errors      every error of docs/errors.md appears in the pg_regress expected output
#   bench       benchmark smoke run (scripts/bench.sh --quick): every comparator's answers match
#   fuzz        libFuzzer targets of the core, 10 s each (test/fuzz/run.sh)
#   sqlsmith    sqlsmith and random pg_funnel SQL against a live server: no crash (test/sqlsmith/run.sh)
# Usage: scripts/test.sh [suite ...]   (default: all)
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
logs="$root/build/logs"
mkdir -p "$logs"

bash scripts/install-deps.sh || { echo "dependency installation failed"; echo "0 passed, 1 failed"; exit 1; }

total_pass=0
total_fail=0
record() {  # suite passed failed
  printf '%-13s %s passed, %s failed\n' "$1:" "$2" "$3"
  total_pass=$((total_pass + $2))
  total_fail=$((total_fail + $3))
}

# GoogleTest summary lines -> counts; a crash or build failure counts as one failure.
gtest_counts() {  # suite log exit_code
  local p f
  p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$2" | tail -1)
  f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$2" | tail -1)
  p=${p:-0}; f=${f:-0}
  if [ "$3" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
  record "$1" "$p" "$f"
}

run_unit() {  # suite build-dir cmake-args...
  local suite=$1 dir=$2; shift 2
  local log="$logs/$suite.log" rc=0
  {
    cmake -S "$root" -B "$dir" -DPGF_WERROR=ON -DPGF_BENCHMARKS=OFF "$@" &&
    cmake --build "$dir" -j"$(nproc)" &&
    "$dir/unit_tests"
  } >"$log" 2>&1 || rc=$?
  [ $rc -ne 0 ] && tail -40 "$log"
  gtest_counts "$suite" "$log" $rc
}

run_regress() {
  local log="$logs/regress.log" rc=0 p f
  {
    bash scripts/build.sh &&
    pg_virtualenv -v 15 make installcheck
  } >"$log" 2>&1 || rc=$?
  p=$(grep -cE '\.\.\. ok|^ok ' "$log")
  f=$(grep -cE '\.\.\. FAILED|^not ok ' "$log")
  if [ $rc -ne 0 ]; then
    tail -30 "$log"
    [ -f regression.diffs ] && head -80 regression.diffs
    [ "$f" -eq 0 ] && f=1
  fi
  record regress "$p" "$f"
}

# A suite script that ends with "<suite>: N passed, M failed".
run_script() {  # suite script args...
  local suite=$1 script=$2; shift 2
  local log="$logs/$suite.log" rc=0 p f line
  bash "$script" "$@" >"$log" 2>&1 || rc=$?
  line=$(grep -E "^$suite: [0-9]+ passed, [0-9]+ failed" "$log" | tail -1)
  p=$(echo "$line" | sed -n 's/.* \([0-9]*\) passed.*/\1/p'); p=${p:-0}
  f=$(echo "$line" | sed -n 's/.* \([0-9]*\) failed.*/\1/p'); f=${f:-0}
  if [ $rc -ne 0 ]; then tail -40 "$log"; [ "$f" -eq 0 ] && f=1; fi
  record "$suite" "$p" "$f"
}

suites=("$@")
[ ${#suites[@]} -eq 0 ] && suites=(unit sanitizers regress differential sharding dump errors bench fuzz sqlsmith)
for s in "${suites[@]}"; do
  echo "== $s"
  case $s in
    unit) run_unit unit "$root/build/release" -DCMAKE_BUILD_TYPE=Release ;;
    sanitizers) run_unit sanitizers "$root/build/asan" -DCMAKE_BUILD_TYPE=Debug -DPGF_SANITIZE=ON ;;
    regress) run_regress ;;
    differential) run_script differential test/differential/run.sh ;;
    sharding) run_script sharding test/sharding/run.sh ;;
    dump) run_script dump test/dump/run.sh ;;
    errors) run_script errors test/errors/check.sh ;;
    bench) run_script bench scripts/bench.sh --quick ;;
    fuzz) run_script fuzz test/fuzz/run.sh "${FUZZ_SECONDS:-10}" ;;
    sqlsmith) run_script sqlsmith test/sqlsmith/run.sh "${SQLSMITH_SECONDS:-40}" ;;
    *) echo "unknown suite $s"; record "$s" 0 1 ;;
  esac
done
echo "$total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ]
