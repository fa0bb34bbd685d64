#!/usr/bin/env bash
# Valgrind run of the pg_regress suite: memory errors in pg_funnel.so.
#
# Not part of scripts/test.sh (it takes tens of minutes); run it by hand before
# a release or after touching memory handling:
#
#     bash test/valgrind/run.sh                         # the whole suite
#     REGRESS="funnel_steps retention" bash test/valgrind/run.sh   # some tests
#
# What it does:
#  1. initdb a throwaway PostgreSQL 15 cluster in a mktemp directory (as user
#     postgres when run as root) and start /usr/lib/postgresql/15/bin/postgres
#     by hand under
#         valgrind --tool=memcheck --trace-children=yes --error-exitcode=128
#                  --track-origins=yes --suppressions=<supp> --log-file=<dir>/%p.log
#     on 127.0.0.1 and a free port. Backends and parallel workers are forked
#     from the postmaster, so every one of them runs under valgrind and writes
#     its own log. A backend in which valgrind found an unsuppressed error exits
#     with code 128, which the postmaster treats as a crash: the test running at
#     that moment fails too, so an error cannot go unnoticed.
#     Suppressions: PostgreSQL's own src/tools/valgrind.supp when the system
#     has it (Debian does not ship it), plus test/valgrind/postgres.supp, whose
#     entries match only stacks whose innermost frames are libc and named server
#     functions that never call an extension (WAL, relcache init file and
#     logical-tape writes of padding bytes), so no report with a pg_funnel frame
#     on its stack is silenced; see the comments in that file.
#  2. run `make installcheck` (the pg_regress suite of the Makefile, or
#     $REGRESS) against it, with results in the temp directory, not in the
#     checkout's results/;
#  3. stop the server and scan every valgrind log: each error report (invalid
#     read/write, use of uninitialised values, conditional jump on them,
#     invalid/mismatched free, overlapping copies, syscall params pointing to
#     uninitialised bytes ...) is classified "pg_funnel" when any frame of its
#     stack is in pg_funnel.so (a pgf:: function or a src/core or src/pg file),
#     "other" otherwise; every pg_funnel report is printed in full.
#
# Output: PASS/FAIL lines and "valgrind: N passed, M failed"; exits non-zero
# when pg_regress failed, when any pg_funnel error was found, or when a backend
# crashed. Reports outside pg_funnel are printed and fail the run too (they
# mean a suppression is missing or PostgreSQL itself misbehaves; look at them).
#
# Limits: the Debian server is built without USE_VALGRIND, so memcheck does not
# see palloc chunk boundaries inside a memory-context block: an overrun of a
# palloc'd chunk into the next chunk of the same block is not reported (reads
# of never-written palloc memory and overruns of a whole block are). The
# AddressSanitizer unit tests (scripts/test.sh sanitizers) and the fuzzers in
# test/fuzz cover the core's own buffers.
#
# Environment: REGRESS (test names, default: the Makefile's list), VG_PORT
# (first port tried, default 55531), VG_KEEP=1 (keep the temp directory),
# VG_TIMEOUT (seconds to wait for the server to start, default 600),
# VG_EXTRA (more valgrind options), VG_ERROR_EXITCODE (default 128; 0 lets
# backends with errors live on, to survey every report in one run),
# PG_BINDIR (default PostgreSQL 15's).
# pg_funnel must be installed (make && make install); it should be built with
# debug information (PGXS's default -g) for readable stacks.
set -uo pipefail

# The whole script is one function, read before it runs: editing this file
# while a (long) run is in progress cannot change what that run executes.
main() {

here="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd -- "$here/../.." && pwd)"
bindir="${PG_BINDIR:-/usr/lib/postgresql/15/bin}"
port="${VG_PORT:-55531}"
start_timeout="${VG_TIMEOUT:-600}"

passed=0
failed=0
pass() { passed=$((passed + 1)); printf 'PASS  %s\n' "$1"; }
fail() { failed=$((failed + 1)); printf 'FAIL  %s\n' "$1"; [ -n "${2:-}" ] && printf '%s\n' "$2" | sed 's/^/      /'; }
summary() { echo "valgrind: $passed passed, $failed failed"; }

command -v valgrind >/dev/null || { fail "valgrind is not installed (apt-get install valgrind)"; summary; exit 1; }

if [ "$(id -u)" -eq 0 ]; then
  as_server() { runuser -u postgres -- "$@"; }
else
  as_server() { "$@"; }
fi

tmp="$(mktemp -d "${TMPDIR:-/tmp}/pgf-valgrind.XXXXXX")" || { fail "mktemp"; summary; exit 1; }
chmod 755 "$tmp"
mkdir -p "$tmp/vg" "$tmp/regress"
[ "$(id -u)" -eq 0 ] && chown postgres: "$tmp" "$tmp/vg"
data="$tmp/data"
server_up=0
cleanup() {
  if [ "$server_up" = 1 ]; then
    as_server "$bindir/pg_ctl" -D "$data" -m immediate -w -t 120 stop >/dev/null 2>&1
  fi
  if [ "${VG_KEEP:-0}" = 1 ] || [ "$failed" -ne 0 ]; then
    echo "kept $tmp (valgrind logs in $tmp/vg, server log $tmp/server.log, pg_regress output in $tmp/regress)"
  else
    rm -rf "$tmp"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Suppressions: PostgreSQL's own file if installed, and ours.
supp_opts=(--suppressions="$here/postgres.supp")
for s in /usr/lib/postgresql/15/lib/pgxs/src/tools/valgrind.supp /usr/share/postgresql/15/valgrind.supp \
         /usr/share/doc/postgresql-15/valgrind.supp; do
  [ -f "$s" ] && supp_opts+=(--suppressions="$s")
done

started_at=$(date +%s)
echo "== initdb in $tmp"
as_server "$bindir/initdb" -D "$data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync \
  >"$tmp/initdb.log" 2>&1 || { fail "initdb" "$(tail -20 "$tmp/initdb.log")"; summary; exit 1; }

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
while ! port_free "$port"; do port=$((port + 1)); done

# Settings: the defaults of a Debian cluster where the suite's output depends on
# them (autovacuum stays on: its launcher takes a backend ID, and a temporary
# schema's name, pg_temp_N, in an error context depends on it); no JIT;
# statement logging so that a valgrind log can be matched to the query that ran.
cat >>"$data/postgresql.conf" <<EOF
port = $port
listen_addresses = '127.0.0.1'
unix_socket_directories = '$tmp'
fsync = off
synchronous_commit = off
full_page_writes = off
huge_pages = off
jit = off
log_line_prefix = '%m [%p] '
log_statement = 'all'
timezone = 'UTC'
EOF

echo "== starting postgres under valgrind on 127.0.0.1:$port"
# shellcheck disable=SC2086
as_server valgrind --tool=memcheck --trace-children=yes --error-exitcode="${VG_ERROR_EXITCODE:-128}" --track-origins=yes \
  --num-callers=40 --leak-check=no --gen-suppressions=all --fullpath-after= \
  --log-file="$tmp/vg/%p.log" "${supp_opts[@]}" ${VG_EXTRA:-} \
  "$bindir/postgres" -D "$data" >"$tmp/server.log" 2>&1 &
server_up=1
waited=0
until "$bindir/pg_isready" -q -h 127.0.0.1 -p "$port" -U postgres; do
  if [ "$waited" -ge "$start_timeout" ] || ! kill -0 $! 2>/dev/null; then
    fail "server did not start under valgrind" "$(tail -20 "$tmp/server.log")"; summary; exit 1
  fi
  sleep 2; waited=$((waited + 2))
done
echo "server up after ${waited}s"

echo "== make installcheck${REGRESS:+ REGRESS=\"$REGRESS\"}"
regress_args=(-C "$root" installcheck
  EXTRA_REGRESS_OPTS="--host=127.0.0.1 --port=$port --user=postgres --outputdir=$tmp/regress")
[ -n "${REGRESS:-}" ] && regress_args+=(REGRESS="$REGRESS")
regress_started=$(date +%s)
make "${regress_args[@]}" >"$tmp/regress.log" 2>&1
regress_rc=$?
regress_secs=$(( $(date +%s) - regress_started ))
grep -E '^(test |ok |not ok |     )|\.\.\. ' "$tmp/regress.log" | sed 's/^/  /'
if [ $regress_rc -eq 0 ]; then
  pass "pg_regress under valgrind (${regress_secs}s)"
else
  fail "pg_regress under valgrind (${regress_secs}s)" \
    "$(tail -5 "$tmp/regress.log"; [ -f "$tmp/regress/regression.diffs" ] && head -60 "$tmp/regress/regression.diffs")"
fi

echo "== stopping the server"
as_server "$bindir/pg_ctl" -D "$data" -m fast -w -t 600 stop >/dev/null 2>&1 && server_up=0
if grep -qE 'terminated by signal|exited with exit code ([02-9]|[1-9][0-9]+)' "$tmp/server.log"; then
  fail "a server process crashed or exited on a valgrind error" \
    "$(grep -E 'terminated by signal|exited with exit code ([02-9]|[1-9][0-9]+)' "$tmp/server.log" | head -10)"
else
  pass "no server process crashed or exited with a valgrind error"
fi

echo "== scanning $(ls "$tmp/vg" | wc -l) valgrind logs"
# One report = from an error header line to the next blank "==pid== " line,
# followed by the suppression valgrind generated for it (which we drop).
report="$tmp/errors.txt"
awk -v ours_out="$tmp/ours.txt" -v other_out="$tmp/other.txt" '
  function flush() {
    if (block != "") {
      if (block ~ /pg_funnel\.so|pgf::|\/src\/(core|pg)\/|pg_funnel/) { print block "\n" > ours_out; n_ours++ }
      else { print block "\n" > other_out; n_other++ }
    }
    block = ""; inblock = 0
  }
  FNR == 1 { flush(); file = FILENAME }
  /^==[0-9]+== (Invalid (read|write|free)|Mismatched free|Use of uninitialised|Conditional jump or move depends|Syscall param|Source and destination overlap|Argument .* of function .* has a fishy|Jump to the invalid address|Process terminating)/ {
    flush(); inblock = 1; block = "[" file "]\n" $0; next
  }
  inblock && /^==[0-9]+== *$/ { flush(); next }
  inblock { block = block "\n" $0; next }
  END { flush(); printf "%d %d\n", n_ours + 0, n_other + 0 }
' "$tmp"/vg/*.log >"$report"
read -r n_ours n_other <"$report"
if [ "$n_ours" -eq 0 ]; then
  pass "no valgrind error with a pg_funnel frame"
else
  fail "$n_ours valgrind error(s) with a pg_funnel frame" "$(cat "$tmp/ours.txt")"
fi
if [ "$n_other" -eq 0 ]; then
  pass "no unsuppressed valgrind error elsewhere"
else
  fail "$n_other unsuppressed valgrind error(s) without a pg_funnel frame (PostgreSQL/libc; add a suppression if benign)" \
    "$(head -150 "$tmp/other.txt")"
fi
if grep -l 'ERROR SUMMARY: [1-9]' "$tmp"/vg/*.log >/dev/null 2>&1; then
  echo "logs with errors: $(grep -l 'ERROR SUMMARY: [1-9]' "$tmp"/vg/*.log | tr '\n' ' ')"
fi
echo "total time: $(( $(date +%s) - started_at ))s"
summary
[ "$failed" -eq 0 ]
}

main "$@"; exit $?  # one line: nothing after it is read from the file
