"""``python -m analysis validate PATH``: check a cohort CSV against the data dictionary.

Prints every problem at once, one line each, on stdout, then a one-line summary.

Exit codes
----------
0
    valid; one line ``OK: PATH: N patients, M columns (…)``.
1
    the file was read but breaks the data dictionary or the privacy rules.
2
    the file cannot be read as a CSV at all (missing, empty, binary, not UTF-8, wrong
    delimiter), or the command line is wrong.
"""

from __future__ import annotations

import argparse
from pathlib import Path

HELP = "check a cohort CSV against the data dictionary and the privacy rules; list every problem"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the command's arguments."""
    parser.add_argument("path", type=Path, help="cohort CSV (UTF-8, comma-separated, header line)")
    parser.epilog = (
        "exit status: 0 valid, 1 problems with the data, 2 file unreadable as CSV. "
        "The data dictionary is data/schema.yaml (chapter 'Your cohort')."
    )


def summary(cohort, path: Path) -> str:
    """The one-line OK summary for a loaded cohort."""
    from analysis.cohort import SCHEMA

    absent = [c for c in SCHEMA.optional if c not in cohort.columns]
    extra = [c for c in cohort.columns if c not in SCHEMA]
    parts = [f"{len(cohort)} patients", f"{cohort.shape[1]} columns"]
    if absent:
        parts.append(f"optional columns absent: {', '.join(absent)}")
    if extra:
        parts.append(f"not used by the book: {', '.join(map(str, extra))}")
    return f"OK: {path}: " + "; ".join(parts)


def run(args: argparse.Namespace) -> int:
    """Validate ``args.path``; print problems or the summary; return the exit code."""
    from analysis.cohort import CohortError, load_cohort

    try:
        cohort = load_cohort(args.path)
    except CohortError as exc:
        n = len(exc.problems)
        print(f"{args.path}: {n} problem{'s' if n != 1 else ''}")
        for problem in exc.problems:
            print(f"  - {problem}")
        return 2 if exc.fatal else 1
    print(summary(cohort, args.path))
    return 0
