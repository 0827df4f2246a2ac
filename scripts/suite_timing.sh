#!/usr/bin/env bash
# Issue 10's measure, side by side in one run on this machine: `make test` on SQLite of the main of the day
# the issue was filed (OLD, 0a514ef), then ours restricted to the test files that already existed at OLD
# (the comparable part), then our whole suite. Prints each wall time and pytest's count.
#
#   scripts/suite_timing.sh                 # OLD=<commit> to compare with another one
#   COMPARABLE_ONLY=1 scripts/suite_timing.sh   # the first two rows only (OLD, and ours on its files)
#   OLD_REDIS_URL=redis://…/6 scripts/suite_timing.sh  # OLD's TEST_REDIS_URL (else the same as ours)
#
# OLD is unpacked with `git archive` into a temporary folder that uses this checkout's .venv (the
# requirements OLD pins are a subset of ours). Both run on SQLite (DATABASE_URL unset) with the same
# TEST_REDIS_URL, or the default one, and start from a fresh test database (`make test`, no --reuse-db).
set -uo pipefail
cd "$(dirname "$0")/.."
root="$PWD"
OLD="${OLD:-0a514ef}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
unset DATABASE_URL REDIS_URL PYTEST_ARGS
# Ours as `make test` runs it: one pytest-xdist process per core unless TEST_WORKERS says otherwise (OLD's
# Makefile ignores it).
workers="${TEST_WORKERS:-$(make -n test 2>/dev/null | grep -oE ' -n [0-9]+ ' | grep -oE '[0-9]+' || echo 0)}"

mkdir "$work/old"
git archive "$OLD" | tar -x -C "$work/old"
ln -s "$(readlink -f "$root/.venv")" "$work/old/.venv"
mkdir -p "$work/old/var"  # OLD keeps its SQLite database there; git archive has no var/ folder

# Test files of OLD that still exist here.
comparable=()
while read -r path; do
  [ -f "$path" ] && comparable+=("$path")
done < <(git ls-tree -r --name-only "$OLD" tests | grep -E '(^|/)test_[^/]*\.py$')

results=()
run() {  # label, folder, make arguments…
  local label="$1" folder="$2" log="$work/$(echo "$1" | tr -c 'a-z0-9\n' '-').log"
  shift 2
  echo "== $label: make test $*" >&2
  local started ended status
  started=$(date +%s.%N)
  (cd "$folder" && make test "$@") >"$log" 2>&1
  status=$?
  ended=$(date +%s.%N)
  local summary
  summary="$(grep -E '^(=+ )?[0-9]+ (passed|failed)' "$log" | tail -1 | sed -E 's/^=+ //; s/ =+$//')"
  [ "$status" = 0 ] || { echo "!! $label failed (exit $status):" >&2; tail -40 "$log" >&2; }
  results+=("$(printf '%-38s %7.0f s   %s' "$label" "$(echo "$ended - $started" | bc)" "$summary")")
}

# OLD reads TEST_REDIS_URL as we do; OLD_REDIS_URL gives it a database of its own.
old_redis="${OLD_REDIS_URL:-${TEST_REDIS_URL:-}}"
if [ -n "$old_redis" ]; then
  TEST_REDIS_URL="$old_redis" run "old main $OLD, whole suite" "$work/old"
else
  run "old main $OLD, whole suite" "$work/old"
fi
run "ours, files that existed at $OLD" "$root" PYTEST_ARGS="${comparable[*]}"
[ -n "${COMPARABLE_ONLY:-}" ] || run "ours, whole suite" "$root"

echo
echo "make test on SQLite, $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at the end, $(date -u '+%F %H:%M UTC')"
echo "ours: $(git rev-parse --short HEAD), TEST_WORKERS=$workers; comparable part: ${#comparable[@]} files"
printf '%s\n' "${results[@]}"
