#!/usr/bin/env bash
# Performance budget, measured on this machine; writes bench/results.md (`make bench`).
#
# Each line gives wall time and CPU time (user + system of the command and the processes it
# waited for, as /usr/bin/time counts them: Chromium's renderers, which Playwright never waits
# for, are missed). The machine's speed varies by the hour, so the results start with a
# yardstick: a 20-million-step Python loop (about 1.6 s on a fast hour of the 2-core AMD EPYC
# the book was developed on, up to 5.7 s on a slow one). `make test` is measured as CI runs it:
# `.ci/run` on a fresh clone of HEAD (committed work only), set-up from the lock included.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
out=bench/results.md
mkdir -p bench
LOG=$(mktemp)
TIMES=$(mktemp)
CLONE=$(mktemp -d)
# `time_of CMD...`: runs CMD (its output to $LOG), prints "wall cpu" in seconds and returns
# CMD's exit status (a failed command still has its times printed)
time_of() {
  local rc=0
  /usr/bin/time -f "%e %U %S" -o "$TIMES" "$@" >"$LOG" 2>&1 || rc=$?
  awk '/^[0-9.]+ [0-9.]+ [0-9.]+$/ { printf "%.1f %.1f\n", $1, $2 + $3 }' "$TIMES"
  return "$rc"
}
executed() { grep -c "Executed notebook" "$LOG" || true; }
row() { # what, "wall cpu", chapters executed, budget
  local wall cpu
  read -r wall cpu <<<"$2"
  printf '| %s | %s | %s | %s | %s |\n' "$1" "$wall" "$cpu" "$3" "$4"
}

echo "measuring the machine's speed (yardstick)..." >&2
yard=$($BIN/python -c "
import time
t = time.perf_counter()
s = 0
for i in range(20_000_000):
    s += i
print(f'{time.perf_counter() - t:.1f}')")

echo "measuring clean book build (empty cache)..." >&2
rm -rf _build
clean=$(time_of make book)
clean_n=$(executed)
echo "measuring no-change rebuild..." >&2
again=$(time_of make book)
again_n=$(executed)
echo "measuring rebuild after touching one chapter..." >&2
first=$(ls chapters/[0-9][0-9]-*.md | head -n 1)
cp "$first" /tmp/bench-chapter.md
cp analysis/audit.py /tmp/bench-audit.py
trap 'cp /tmp/bench-chapter.md "$first"; cp /tmp/bench-audit.py analysis/audit.py; rm -rf "$CLONE" "$LOG" "$TIMES"' EXIT
printf '\n```{code-cell} ipython3\n# bench edit: one code cell changed\n```\n' >> "$first"
edited=$(time_of make book)
edited_n=$(executed)
cp /tmp/bench-chapter.md "$first"
make book >/dev/null 2>&1
echo "measuring a change to one analysis module..." >&2
printf '\n# bench edit\n' >> analysis/audit.py
module=$(time_of make book)
module_n=$(executed)
cp /tmp/bench-audit.py analysis/audit.py
make book >/dev/null 2>&1
echo "measuring synthesis..." >&2
rm -f /tmp/bench-cohort.csv
synth=$(time_of $BIN/python -m analysis synthesize --out /tmp/bench-cohort.csv --quiet)
if cmp -s /tmp/bench-cohort.csv data/cohort.csv; then same="yes"; else same="NO"; fi
echo "measuring per-chapter execution..." >&2
per=""
for md in chapters/[0-9][0-9]-*.md; do
  name=$(basename "$md" .md)
  t=$(time_of $BIN/python -m analysis run --chapters "$name" --out "reports/bench/$name" --force --quiet)
  per+="$(awk -v n="$name" '{ printf "| %s | %s | %s |", n, $1, $2 }' <<<"$t")"$'\n'
done
echo "measuring make test on a fresh clone (.ci/run)..." >&2
git clone -q . "$CLONE/repo"
verdict=green
test_time=$(cd "$CLONE/repo" && time_of bash .ci/run) || verdict=FAILED
test_summary=$(grep -E "^=+ .*(passed|failed)" "$LOG" | sed -E 's/=+ //; s/ =+$//' | paste -sd ';' -)

{
  echo "# Performance budget"
  echo
  echo "Measured by \`make bench\` ($(git rev-parse --short HEAD)) on $(date -u +%Y-%m-%d) on"
  echo "$(nproc) cores of $(lscpu | sed -n 's/^Model name: *//p' | head -n 1) ($(uname -m)). The machine's"
  echo "speed that hour: a 20-million-step Python loop took $yard s. Seconds of wall time and of"
  echo "CPU time (user + system of the command and the processes it waited for)."
  echo
  echo "| what | wall (s) | CPU (s) | chapters executed | budget |"
  echo "|---|---|---|---|---|"
  row 'clean `make book`, empty cache' "$clean" "$clean_n" '< 120 s'
  row 'no-change `make book`' "$again" "$again_n" '< 10 s, nothing executed'
  row "\`make book\` after editing $(basename "$first")" "$edited" "$edited_n" 'only that chapter'
  row '`make book` after editing analysis/audit.py' "$module" "$module_n" 'only chapters that use it'
  row "\`python -m analysis synthesize\` (same bytes as data/cohort.csv: $same)" "$synth" – '≤ 60 s'
  row "\`make test\` on a fresh clone (\`.ci/run\`, set-up included; $verdict)" "$test_time" – '< 300 s'
  echo
  echo "The fresh clone's tests: ${test_summary:-no pytest summary found}."
  echo
  echo "Per-chapter execution (\`python -m analysis run --chapters NAME\`, one kernel each, including"
  echo "kernel start-up and the report's site):"
  echo
  echo "| chapter | wall (s) | CPU (s) |"
  echo "|---|---|---|"
  printf '%s' "$per"
} > "$out"
cat "$out"
