"""``python -m analysis validate PATH``: check a cohort CSV against the data dictionary.

Prints every problem at once, one item each, on stdout, then a one-line summary; a line longer
than 80 characters (:data:`analysis.formatting.LINE_WIDTH`) wraps at a space, never inside a
column name or a value, its continuation indented two spaces under its item
(:func:`analysis.formatting.wrapped`), as chapter 10 shows the messages. The file is
read in chunks (:func:`analysis.cohort.check_cohort_file`), so memory grows far slower than
the file, though not zero (measured on a shared 2-core machine, peak resident memory: 0.10 GB
for 1,000 rows, 0.23 GB for 50,000, 0.45 GB for a million valid rows, a 125 MB file read in
9 CPU-s, 16 to 28 s; a file whose every row has a problem takes longer). On a long file (or when stderr is a terminal) progress goes to stderr. Values that
look like identifiers are masked in every message (``[masked]``); the file is only
read, never written.

Exit codes
----------
0
    valid: ``OK: PATH: N patients; M columns (…)``, ending ``; K warnings:`` when there are
    warnings (free-text columns, time columns that look like weeks or days, a JSH criterion
    column all 0 where the paper's rate makes that unlikely, patients meeting none of the JSH
    criteria, rows that repeat another row in every column but ``patient_id``, or in all but
    one other, named by their lines), listed under it, one item each: the verdict comes first.
    ``run`` prints the same warnings (:func:`analysis.cohort.warning_lines`).
1
    the file was read but breaks the data dictionary, the plausibility rules or the privacy
    rules, or has fewer patients than ``run`` accepts (:data:`analysis.cohort.MIN_PATIENTS`):
    ``PATH: N problems`` (``, K warnings`` when there are warnings), then the problems, then
    the warnings.
2
    the file cannot be read as a CSV at all (missing, empty, binary, an HTML or XML export,
    not UTF-8, wrong delimiter, a title line above the column names, no header line, the
    table transposed with one patient per column), or the command line is wrong.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
import time
from pathlib import Path

from analysis.cli import file_path
from analysis.cohort import (
    MIN_PATIENTS,
    SCHEMA,
    TIME_LONG_MONTHS,
    TIME_LONG_SHARE,
    TIME_MEDIAN_MAX,
    TIME_MIN_VALUES,
    check_cohort_file,
    renamed_columns,
    warning_lines,
)
from analysis.formatting import count, quantity, wrapped
from analysis.privacy import (
    MASKED,
    describe,
    file_name_identifier,
    mask_file_name,
    printable_header,
)

HELP = "check a cohort CSV against the data dictionary and the privacy rules; list every problem"

EPILOG = """\
examples:
  python -m analysis validate my_cohort.csv
  python -m analysis validate data/cohort.csv   # the book's cohort: OK, exit 0

The file is only read, never written. Every problem is listed, one item each (wrapped at
80 characters, continued two spaces under it), naming the column; values that look like identifiers are masked. Column names are case-sensitive; the
columns may come in any order; other columns are listed as not used (refused when they
look like identifiers), beside the problems too when a required column is missing.
Warnings leave the file valid (its OK line comes first and counts them: '…; 2 warnings:'):
a free-text column; a time column that looks like weeks
or days (time-unit: of {min_values} times or more, a median above {median_max} months, or at
least two times and {share:.0%} above {long_months} months);
a JSH criterion column all 0 where the paper's rate makes that unlikely (jsh-never-met),
and patients meeting none of the JSH criteria, so not TACE-refractory (jsh-none-met);
and rows that repeat an earlier row in every column but patient_id (one patient entered
twice?), or in all but one other column (a copy corrected?), counted and named by their
lines, never their ids; run prints the same warnings. A column under a close name (another
letter case, spaces or hyphens, a unit in parentheses: 'Height (cm)' for height_cm) is
pointed out, with the name to use. A report needs at least {min_patients} patients; fewer
is a problem.

exit status: 0 valid, 1 problems with the data, 2 file unreadable as CSV (missing, empty,
not UTF-8, not comma-separated, a web page or workbook, a title line above the column
names, no header line, one patient per column). The data dictionary is data/schema.yaml (chapter 'Your cohort'); a template with
every column, data/cohort-template.csv.
"""

#: Files larger than this show progress on stderr even when it is not a terminal.
PROGRESS_BYTES = 20_000_000


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the command's arguments."""
    parser.add_argument(
        "path", type=file_path, help="cohort CSV (UTF-8, comma-separated, header line)"
    )
    parser.add_argument(
        "--quiet",
        action="store_true",
        help="no progress on stderr (default: progress on a terminal or for a file of 20 MB "
        "or more)",
    )
    parser.epilog = EPILOG.format(
        min_patients=MIN_PATIENTS,
        median_max=TIME_MEDIAN_MAX,
        long_months=TIME_LONG_MONTHS,
        share=TIME_LONG_SHARE,
        min_values=TIME_MIN_VALUES,
    )


#: How many columns the book does not read the OK line names (then "and N more").
SHOWN_EXTRA = 20


def _renamed_optional(columns: list[str]) -> dict[str, str]:
    """Absent optional columns found under a close name (``{name: header}``): the book does
    not read them, so a valid cohort's summary says so, and so do the problem lines."""
    return renamed_columns(columns, SCHEMA.optional)


def _quoted(header: str, masked=()) -> str:
    """A header quoted as messages show it (:func:`_unquoted`)."""
    return f"'{_unquoted(header, masked)}'"


def _unquoted(header: str, masked=()) -> str:
    """A header as messages show it: masked when it holds an identifier or is one of
    ``masked`` (names equal to, or shaped like, a patient's id), control characters escaped."""
    return MASKED if header in masked else printable_header(header)


def renamed_problem(name: str, header: str) -> str:
    """One line for an optional column present under another name (listed with problems)."""
    return (
        f"column {name}: optional column absent [found {_quoted(header)}: rename it to {name}, "
        "or the book does not read it]"
    )


def summary(columns: list[str], rows: int, path, masked=()) -> str:
    """The one-line OK summary for a valid cohort; the names of ``masked`` are not shown."""
    renamed = _renamed_optional(columns)
    absent = [c for c in SCHEMA.optional if c not in columns and c not in renamed]
    extra = [c for c in columns if c not in SCHEMA and c not in renamed.values()]
    parts = [f"{count(rows)} patients", f"{count(len(columns))} columns"]
    if renamed:
        pairs = ", ".join(f"{_quoted(header)} → {name}" for name, header in renamed.items())
        parts.append(f"note: optional columns under other names are not read, rename them: {pairs}")
    if absent:
        parts.append(f"optional columns absent: {', '.join(absent)}")
    if extra:
        # a header may be a patient's value (a file without its header line): masked
        shown = ", ".join(_unquoted(str(c), masked) for c in extra[:SHOWN_EXTRA])
        more = len(extra) - SHOWN_EXTRA
        if more > 0:  # a wide export (20,000 columns) made one line of 130 kB
            shown += f" and {more} more"
        parts.append(f"not used by the book: {shown}")
    return f"OK: {path}: " + "; ".join(parts)


def unused_columns_line(columns: list[str], masked=()) -> str:
    """With a required column missing, the columns the book does not use: one of them may be
    the missing column under a name too far from it to be matched (``Age`` for ``age_years``,
    ``PFS status`` for ``pfs_event``). ``""`` when no required column is missing or every
    column is used. Names are shown as the OK summary shows them (masked when they look like
    identifiers: a file without its header line names its columns by a patient's values), and
    so are those of ``masked`` (:attr:`analysis.cohort.CohortReport.id_like`: names equal to or
    shaped like a patient's id).

    Examples
    --------
    >>> header = [c for c in SCHEMA.names if c != "age_years"] + ["Age", "ward"]
    >>> unused_columns_line(header)
    "not used by the book: 'Age', 'ward' [is a missing column among them under another name? rename it]"
    >>> unused_columns_line(SCHEMA.names + ["ward"])
    ''
    >>> unused_columns_line(header[1:] + ["SYN084"], masked=["SYN084"])
    "not used by the book: 'Age', 'ward', '[masked]' [is a missing column among them under another name? rename it]"
    """
    if all(name in columns for name in SCHEMA.required):
        return ""
    renamed = renamed_columns(columns)
    extra = [c for c in columns if c not in SCHEMA and c not in renamed.values()]
    if not extra:
        return ""
    shown = ", ".join(_quoted(str(c), masked) for c in extra[:SHOWN_EXTRA])
    if len(extra) > SHOWN_EXTRA:
        shown += f" and {len(extra) - SHOWN_EXTRA} more"
    return (
        f"not used by the book: {shown} [is a missing column among them under another name? "
        "rename it]"
    )


def _progress_printer(path: Path, quiet: bool):
    """A progress callback for long files or a terminal, or None."""
    try:
        size = path.stat().st_size
    except OSError:
        return None
    if quiet or not (sys.stderr.isatty() or size >= PROGRESS_BYTES):
        return None
    started = time.monotonic()
    last = [0.0]

    def report(rows: int, done: int, total: int) -> None:
        now = time.monotonic()
        if now - last[0] < 1.0 and done < total:
            return
        last[0] = now
        share = done / total if total else 1.0
        print(
            f"validate: {rows:,} rows, {share:.0%} of the file, {now - started:.0f} s",
            file=sys.stderr,
            flush=True,
        )

    return report


def _shown(path) -> str:
    """The path as typed, on one line: control characters (a newline in a file name) escaped."""
    return "".join(ch if ch.isprintable() else ascii(ch)[1:-1] for ch in str(path))


def _say(text: str, file=None) -> None:
    """Print ``text`` wrapped at :data:`~analysis.formatting.LINE_WIDTH` (on stdout unless
    ``file``): a message of 300 characters was one line, cut or scrolled on a phone's terminal
    and in a printed report."""
    print(wrapped(text), file=file)


def run(args: argparse.Namespace) -> int:
    """Validate ``args.path``; print problems or the summary; return the exit code."""
    report = check_cohort_file(
        args.path,
        progress=_progress_printer(args.path, getattr(args, "quiet", False)),
        min_patients=MIN_PATIENTS,
    )
    path = Path(args.path)
    shown = _shown(args.path)
    problems = list(report.problems)
    names = [path.name]
    with contextlib.suppress(OSError, RuntimeError):  # run checks (and a report shows) the
        names.append(path.resolve().name)  # name of the file a link points to
    kind = next((k for k in map(file_name_identifier, names) if k is not None), None)
    if kind is not None:  # a report shows the file's name on its first page: run refuses it
        shown = _shown(path.with_name(mask_file_name(path.name)))
        problems.insert(
            0,
            f"file name: holds {describe(kind)}, and a report shows it on its first page "
            "[rename the file, e.g. my_cohort.csv]",
        )
    for note in report.notes:  # what was ignored: not a problem, so not on stdout
        _say(f"note: {shown}: {note}", file=sys.stderr)
    warned = f", {_warnings(report.warnings)}" if report.warnings else ""
    if problems:
        n = len(problems)
        # one line: a path never breaks; the warnings listed after the problems are counted
        print(f"{shown}: {n} problem{'s' if n != 1 else ''}{warned}")
        renamed = [renamed_problem(*pair) for pair in _renamed_optional(report.columns).items()]
        for problem in problems + renamed:
            _say(f"  - {problem}")
        for line in warning_lines(report.warnings):  # as run prints them
            _say(line)
        unused = unused_columns_line(report.columns, report.id_like)
        if unused:  # beside a missing column: where it may be
            _say(unused)
        return 2 if report.fatal else 1
    # the verdict first, ending with the count of the warnings listed under it: printed after
    # them, it was lost below a screenful of warnings or read as one more of them
    verdict = summary(report.columns, report.rows, shown, report.id_like)
    _say(f"{verdict}; {_warnings(report.warnings)}:" if report.warnings else verdict)
    for line in warning_lines(report.warnings):  # as run prints them
        _say(line)
    return 0


def _warnings(warnings) -> str:
    """ "1 warning", "3 warnings": how the verdict line counts the warnings listed under it."""
    return quantity(len(warnings), "warning", thousands=True)
