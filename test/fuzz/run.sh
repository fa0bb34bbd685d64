#!/usr/bin/env bash
# Builds the libFuzzer targets of the pure C++ core (no PostgreSQL) into
# build/fuzz and runs each for a bounded time. Ends with one line
#   fuzz: N passed, M failed
# (one per target) and exits non-zero when any target crashed, failed a check,
# timed out on an input, leaked, or did not build. A failing target's input is
# saved under build/fuzz/artifacts/ and its path printed, with the command that
# replays it.
#
# Usage: test/fuzz/run.sh [seconds-per-target] [target ...]
#   seconds-per-target  default 20
#   target              fuzz_* names (default: all); e.g. fuzz_funnel
# Environment:
#   FUZZ_JOBS       targets run at the same time (default: 2, at most nproc)
#   FUZZ_CXX        the clang++ to use (default: clang++-14, else clang++)
#   FUZZ_TIMEOUT    seconds one input may take before it counts as a hang (default 10)
#   FUZZ_SRC_DIR    fuzz the core of another source tree (its src/ directory)
#   FUZZ_BUILD_DIR  default build/fuzz
# Corpora persist in build/fuzz/corpus/<target> between runs; seeds (valid
# states made by the real encoders) are regenerated into build/fuzz/seeds.
# Needs: clang-14, libclang-rt-14-dev (libFuzzer runtime), cmake, libboost-dev.
set -uo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"

secs=${1:-20}
[ $# -gt 0 ] && shift
case $secs in ''|*[!0-9]*) echo "usage: $0 [seconds-per-target] [target ...]"; exit 2 ;; esac
build=${FUZZ_BUILD_DIR:-$root/build/fuzz}
timeout_s=${FUZZ_TIMEOUT:-10}
ncpu=$(nproc 2>/dev/null || echo 1)
jobs=${FUZZ_JOBS:-2}
[ "$jobs" -gt "$ncpu" ] && jobs=$ncpu
[ "$jobs" -lt 1 ] && jobs=1
cxx=${FUZZ_CXX:-}
if [ -z "$cxx" ]; then
  if command -v clang++-14 >/dev/null 2>&1; then cxx=clang++-14; else cxx=clang++; fi
fi

mkdir -p "$build/logs" "$build/artifacts" "$build/corpus"
cmake_args=(-S "$root/test/fuzz" -B "$build" -DCMAKE_CXX_COMPILER="$cxx")
[ -n "${FUZZ_SRC_DIR:-}" ] && cmake_args+=(-DPGF_SRC_DIR="$FUZZ_SRC_DIR")
echo "== building fuzz targets ($cxx) in $build"
if ! { cmake "${cmake_args[@]}" && cmake --build "$build" -j"$ncpu"; } >"$build/logs/build.log" 2>&1; then
  tail -40 "$build/logs/build.log"
  echo "fuzz: 0 passed, 1 failed"
  exit 1
fi
rm -rf "$build/seeds"
"$build/make_seeds" "$build/seeds" || { echo "make_seeds failed"; echo "fuzz: 0 passed, 1 failed"; exit 1; }

targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  for f in "$root"/test/fuzz/fuzz_*.cpp; do targets+=("$(basename "$f" .cpp)"); done
fi

dict_for() {
  case $1 in
    fuzz_pattern_parse|fuzz_sequence_state) echo "$root/test/fuzz/dict/pattern.dict" ;;
    fuzz_funnel|fuzz_event_state) echo "$root/test/fuzz/dict/funnel.dict" ;;
    fuzz_next_node|fuzz_next_node_state) echo "$root/test/fuzz/dict/next_node.dict" ;;
  esac
}

# Runs one target; its verdict goes to $build/logs/<target>.result.
run_target() {
  local t=$1 bin="$build/$1" log="$build/logs/$1.log" rc=0 dict
  local corpus="$build/corpus/$t" seeds="$build/seeds/$t"
  mkdir -p "$corpus"
  rm -f "$build/artifacts/$t-"* "$build/logs/$t.result"
  if [ ! -x "$bin" ]; then
    echo "FAIL no binary" >"$build/logs/$t.result"
    return
  fi
  local args=(-max_total_time="$secs" -timeout="$timeout_s" -rss_limit_mb=2048 -max_len=4096
              -print_final_stats=1 -artifact_prefix="$build/artifacts/$t-")
  dict=$(dict_for "$t")
  [ -n "$dict" ] && args+=(-dict="$dict")
  local dirs=("$corpus")
  [ -d "$seeds" ] && dirs+=("$seeds")
  # The outer timeout only catches a wedged process (libFuzzer stops itself).
  ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1} UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1} \
    timeout -k 10 $((secs + timeout_s + 120)) "$bin" "${args[@]}" "${dirs[@]}" >"$log" 2>&1 || rc=$?
  local artifact
  artifact=$(ls -1 "$build/artifacts/$t-"* 2>/dev/null | grep -v -- '-slow-unit-' | head -1)
  local runs
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  if [ $rc -eq 0 ] && [ -z "$artifact" ]; then
    echo "PASS ${runs:-?} runs" >"$build/logs/$t.result"
  else
    echo "FAIL exit $rc ${artifact:-no artifact}" >"$build/logs/$t.result"
  fi
}

echo "== running ${#targets[@]} targets, ${secs}s each, $jobs at a time"
running=0
for t in "${targets[@]}"; do
  run_target "$t" &
  running=$((running + 1))
  if [ $running -ge "$jobs" ]; then
    wait -n
    running=$((running - 1))
  fi
done
wait

pass=0
fail=0
for t in "${targets[@]}"; do
  res=$(cat "$build/logs/$t.result" 2>/dev/null || echo "FAIL no result")
  printf '%-26s %s\n' "$t" "$res"
  case $res in
    PASS*) pass=$((pass + 1)) ;;
    *)
      fail=$((fail + 1))
      log="$build/logs/$t.log"
      echo "---- $t: end of $log"
      # The check that failed, or the sanitizer's summary, then the stack's top.
      grep -E -A3 'FUZZ CHECK FAILED|ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|runtime error:|ALARM: working on the last Unit' "$log" | head -30
      artifact=$(echo "$res" | sed -n 's/.* \(\/.*\)$/\1/p')
      if [ -n "$artifact" ]; then
        echo "crashing input: $artifact"
        echo "replay:         $build/$t $artifact"
      fi
      ;;
  esac
done
echo "fuzz: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
