"""``python -m analysis audit``: print the internal-consistency audit of the paper.

Reads only ``data/published`` (no patient data). Prints one block per check as text (default)
or the whole table as CSV, optionally only the rows with one verdict, and a count of verdicts.
Always exits 0 when the audit ran: finding inconsistencies in the paper is the purpose, not a
failure.
"""

from __future__ import annotations

import sys
import textwrap

from analysis.audit import audit_paper, summary
from analysis.cli import UsageError

HELP = "check the paper's internal consistency from its published numbers (no patient data)"

_VERDICT_CHOICES = ("consistent", "inconsistent", "cannot-tell", "cannot tell")


def add_arguments(parser) -> None:
    """Options: ``--verdict`` filter, ``--format text|csv``, ``--check`` substring filter."""
    parser.add_argument(
        "--verdict",
        type=lambda text: " ".join(text.split()).lower(),  # "Inconsistent", "cannot  tell"
        choices=_VERDICT_CHOICES,
        metavar="VERDICT",  # the choices in the usage line ran past 80 columns
        help="show only rows with this verdict: consistent, inconsistent or 'cannot tell', in "
        "any letter case ('cannot-tell' is accepted for 'cannot tell')",
    )
    parser.add_argument(
        "--check",
        metavar="TEXT",
        help="show only checks whose name contains TEXT (case-insensitive), e.g. 'SE possible'",
    )
    parser.add_argument(
        "--format",
        type=lambda text: text.strip().lower(),  # "CSV"
        choices=("text", "csv"),
        default="text",
        help="text (readable blocks, default) or csv (the full table)",
    )
    parser.epilog = EPILOG


EPILOG = """\
examples:
  python -m analysis audit                              # every check, as text
  python -m analysis audit --verdict inconsistent
  python -m analysis audit --check "SE possible" --format csv > se-checks.csv

Without --verdict or --check every row is shown. Reads only data/published (the paper's
numbers), never a cohort. exit status: 0 when the audit ran (inconsistencies are findings,
not failures), 2 on a bad option (e.g. a --check that matches no check name).
"""


def _text(table, counts) -> str:
    lines = []
    width = 96
    for row in table.itertuples(index=False):
        lines.append(f"[{row.verdict.upper()}] {row.check} — {row.where}")
        lines.append(f"  claim:    {row.claim}")
        lines.append(f"  computed: {row.computed}")
        lines.extend(
            textwrap.wrap(
                row.explanation,
                width=width,
                initial_indent="  why:      ",
                subsequent_indent=" " * 12,
            )
        )
        lines.append("")
    summary = ", ".join(f"{r.verdict}: {r.checks}" for r in counts.itertuples(index=False))
    lines.append(f"{len(table)} row(s) shown. Whole audit: {summary}.")
    return "\n".join(lines) + "\n"


def run(args) -> int:
    """Run :func:`analysis.audit.audit_paper`, filter, print; return 0."""
    table = audit_paper()
    counts = summary(table)
    if args.check is not None and not args.check.strip():
        raise UsageError("--check is empty: give part of a check name, e.g. 'SE possible'")
    if args.check:  # matched against every check: with --verdict, none may have that verdict
        table = table[table["check"].str.contains(args.check, case=False, regex=False)]
        if table.empty:
            shown = args.check if len(args.check) <= 60 else args.check[:57] + "..."
            raise UsageError(
                f"--check {shown!r} matches no check name (the names are the 'check' column of "
                "python -m analysis audit --format csv)"
            )
    if args.verdict:
        table = table[table["verdict"] == args.verdict.replace("-", " ")]
    if args.format == "csv":
        sys.stdout.write(table.to_csv(index=False, lineterminator="\n"))
    else:
        sys.stdout.write(_text(table, counts))
    return 0
