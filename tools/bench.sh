#!/usr/bin/env bash
# Performance budget (issue 8), measured on this machine; writes bench/results.md.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
out=bench/results.md
mkdir -p bench
secs() { local s; s=$(date +%s.%N); "$@" >/dev/null 2>&1; python3 -c "print($(date +%s.%N) - $s)"; }

echo "measuring clean book build (empty cache)..." >&2
rm -rf _build
clean=$(secs make book)
echo "measuring no-change rebuild..." >&2
again=$(secs make book)
echo "measuring rebuild after touching one chapter..." >&2
first=$(ls chapters/[0-9][0-9]-*.md | head -n 1)
cp "$first" /tmp/bench-chapter.md
printf '\n<!-- bench edit -->\n' >> "$first"
edited=$(secs make book)
executed=$(grep -c "Executing" _build/.bench.log 2>/dev/null || true)
cp /tmp/bench-chapter.md "$first"
make book >/dev/null 2>&1
echo "measuring synthesis..." >&2
synth=$(secs $BIN/python -m analysis synthesize --out /tmp/bench-cohort.csv --quiet)
echo "measuring per-chapter execution..." >&2
per=""
for md in chapters/[0-9][0-9]-*.md; do
  name=$(basename "$md" .md)
  t=$(secs $BIN/python -m analysis run --chapters "$name" --out "reports/bench/$name" --force --quiet)
  per+="| $name | $(printf '%.1f' "$t") |"$'\n'
done
echo "measuring make test..." >&2
test_time=$(secs make test)

{
  echo "# Performance budget"
  echo
  echo "Measured by \`make bench\` on $(nproc) cores ($(uname -m)); seconds of wall time."
  echo
  echo "| what | seconds | budget |"
  echo "|---|---|---|"
  printf '| clean `make book`, empty cache | %.1f | < 120 |\n' "$clean"
  printf '| no-change `make book` | %.1f | < 10 |\n' "$again"
  printf '| `make book` after editing one chapter | %.1f | only that chapter re-executes |\n' "$edited"
  printf '| `python -m analysis synthesize` | %.1f | < 60 |\n' "$synth"
  printf '| `make test` (book already built) | %.1f | < 600 |\n' "$test_time"
  echo
  echo "Per-chapter execution (papermill, one kernel each):"
  echo
  echo "| chapter | seconds |"
  echo "|---|---|"
  printf '%s' "$per"
} > "$out"
cat "$out"
