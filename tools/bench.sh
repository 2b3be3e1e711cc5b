#!/usr/bin/env bash
# Performance budget (issue 8), measured on this machine; writes bench/results.md.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
out=bench/results.md
mkdir -p bench
LOG=$(mktemp)
# seconds of wall time of a command; its output goes to $LOG
secs() { local s; s=$(date +%s.%N); "$@" >"$LOG" 2>&1; python3 -c "print($(date +%s.%N) - $s)"; }
executed() { grep -c "Executed notebook" "$LOG" || true; }

echo "measuring clean book build (empty cache)..." >&2
rm -rf _build
clean=$(secs make book)
clean_n=$(executed)
echo "measuring no-change rebuild..." >&2
again=$(secs make book)
again_n=$(executed)
echo "measuring rebuild after touching one chapter..." >&2
first=$(ls chapters/[0-9][0-9]-*.md | head -n 1)
cp "$first" /tmp/bench-chapter.md
trap 'cp /tmp/bench-chapter.md "$first"' EXIT
printf '\n```{code-cell} ipython3\n# bench edit: one code cell changed\n```\n' >> "$first"
edited=$(secs make book)
edited_n=$(executed)
cp /tmp/bench-chapter.md "$first"
make book >/dev/null 2>&1
echo "measuring synthesis..." >&2
synth=$(secs $BIN/python -m analysis synthesize --out /tmp/bench-cohort.csv --force --quiet)
echo "measuring per-chapter execution..." >&2
per=""
for md in chapters/[0-9][0-9]-*.md; do
  name=$(basename "$md" .md)
  t=$(secs $BIN/python -m analysis run --chapters "$name" --out "reports/bench/$name" --force --quiet)
  per+="| $name | $(printf '%.1f' "$t") |"$'\n'
done
echo "measuring a change to one analysis module..." >&2
cp analysis/audit.py /tmp/bench-audit.py
trap 'cp /tmp/bench-audit.py analysis/audit.py' EXIT
printf '\n# bench edit\n' >> analysis/audit.py
module=$(secs make book)
module_n=$(executed)
cp /tmp/bench-audit.py analysis/audit.py
make book >/dev/null 2>&1
echo "measuring make test..." >&2
test_time=$(secs make test)

{
  echo "# Performance budget"
  echo
  echo "Measured by \`make bench\` on $(nproc) cores ($(uname -m)); seconds of wall time."
  echo
  echo "| what | seconds | chapters executed | budget |"
  echo "|---|---|---|---|"
  printf '| clean `make book`, empty cache | %.1f | %s | < 120 s |\n' "$clean" "$clean_n"
  printf '| no-change `make book` | %.1f | %s | < 10 s, nothing executed |\n' "$again" "$again_n"
  printf '| `make book` after editing %s | %.1f | %s | only that chapter |\n' "$(basename "$first")" "$edited" "$edited_n"
  printf '| `make book` after editing analysis/audit.py | %.1f | %s | only chapters that use it |\n' "$module" "$module_n"
  printf '| `python -m analysis synthesize` | %.1f | – | < 60 s |\n' "$synth"
  printf '| `make test` (book already built) | %.1f | – | < 600 s |\n' "$test_time"
  echo
  echo "Per-chapter execution (\`python -m analysis run --chapters NAME\`, one kernel each, including"
  echo "kernel start-up):"
  echo
  echo "| chapter | seconds |"
  echo "|---|---|"
  printf '%s' "$per"
} > "$out"
rm -f "$LOG"
cat "$out"
