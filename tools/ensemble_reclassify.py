"""Re-class the committed ensemble summary by the current rule, without re-running the ensemble.

``analysis.ensemble.reclassify`` recomputes each result's spread and class from the minimum and
maximum the summary stores (:func:`analysis.ensemble.spread_class`); this script writes the
result back to ``data/ensemble-summary.csv`` in the command's fixed format and updates the
summary's checksum in ``data/ensemble-run.json``. Every other column, and the Table 2 files, stay
as the run wrote them. A later ``python -m analysis ensemble`` recomputes the same classes from
the members (the spread from unrounded minima and maxima, so its last digit may differ).

Usage: python tools/ensemble_reclassify.py [--check]
  --check  write nothing; exit 1 if the committed summary is not classed by the current rule.
"""

from __future__ import annotations

import hashlib
import io
import json
import sys

import pandas as pd

from analysis import ensemble


def main(argv: list[str]) -> int:
    check = argv == ["--check"]
    if argv and not check:
        print("usage: python tools/ensemble_reclassify.py [--check]", file=sys.stderr)
        return 2
    record = ensemble.run_record()
    summary = pd.read_csv(ensemble.SUMMARY_CSV, keep_default_na=False, na_values=[""])
    text = ensemble.format_summary(
        ensemble.reclassify(summary, record["members"] if record else None)
    )
    old = ensemble.SUMMARY_CSV.read_text(encoding="utf-8")
    if check:
        print("up to date" if text == old else f"{ensemble.SUMMARY_CSV.name} is stale")
        return 0 if text == old else 1
    ensemble.SUMMARY_CSV.write_text(text, encoding="utf-8")
    if record:
        record["summary_sha256"] = hashlib.sha256(text.encode("utf-8")).hexdigest()
        ensemble.RUN_JSON.write_text(
            json.dumps(record, indent=1, sort_keys=True) + "\n", encoding="utf-8"
        )
    old_cls = pd.read_csv(io.StringIO(old)).set_index("result")["class"]
    new_cls = pd.read_csv(io.StringIO(text)).set_index("result")["class"]
    for rid in new_cls.index[new_cls != old_cls]:
        print(f"{rid}: {old_cls[rid]} -> {new_cls[rid]}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
