#!/usr/bin/env bash
# Checks docs/errors.md against the pg_regress expected output: every table row
# of docs/errors.md whose "test" column names pg_regress tests (the names of
# expected/*.out files) must have its message, up to the first placeholder
# (<...> or ...), in at least one of those files. A message no test triggers
# any more, or a test name that does not exist, fails.
#
#     bash test/errors/check.sh
#
# Prints PASS/FAIL lines and "errors: N passed, M failed"; exits non-zero on a
# failure. Rows whose test column names no pg_regress test (unit tests,
# fuzzers, "not covered") are counted and listed, not checked.
set -uo pipefail
root="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/../.." && pwd)"
doc="$root/docs/errors.md"
passed=0 failed=0 unchecked=0
while IFS= read -r row; do
  # | SQLSTATE | message | test |
  IFS='|' read -r _ state message tests _ <<<"$row"
  state=$(echo "$state" | tr -d ' ')
  [[ "$state" =~ ^[0-9A-Z]{5}$ ]] || continue
  # The literal start of the first `...` span of the message column.
  msg=$(printf '%s' "$message" | sed -n 's/^[^`]*`\([^`]*\)`.*/\1/p')
  msg=$(printf '%s' "$msg" | sed 's/<.*//; s/\.\.\..*//; s/[[:space:]]*$//')
  names=()
  for w in $(printf '%s' "$tests" | tr -c 'a-z0-9_\n' ' '); do
    [ -f "$root/expected/$w.out" ] && names+=("$w")
  done
  if [ ${#names[@]} -eq 0 ]; then
    unchecked=$((unchecked + 1)); printf 'SKIP  %s %s (%s)\n' "$state" "$msg" "$(echo "$tests" | sed 's/^ *//; s/ *$//')"
    continue
  fi
  if [ ${#msg} -lt 8 ]; then
    failed=$((failed + 1)); printf 'FAIL  %s: message too short to check: "%s"\n' "$state" "$msg"; continue
  fi
  found=""
  for n in "${names[@]}"; do
    grep -qF -- "$msg" "$root/expected/$n.out" && { found=$n; break; }
  done
  if [ -n "$found" ]; then
    passed=$((passed + 1)); printf 'PASS  %s %s (expected/%s.out)\n' "$state" "$msg" "$found"
  else
    failed=$((failed + 1)); printf 'FAIL  %s "%s" is in none of: %s\n' "$state" "$msg" "${names[*]}"
  fi
done < <(grep -E '^\|' "$doc")
echo "($unchecked rows name no pg_regress test: unit tests, fuzzers, or not reachable from SQL)"
echo "errors: $passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
