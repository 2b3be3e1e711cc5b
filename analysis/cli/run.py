"""``python -m analysis run``: re-execute the book's chapters on a cohort into a report directory.

See :mod:`analysis.runner` for what is written and the guarantees (validation first, atomic
publication, ``OUT.failed`` on a failing chapter, nothing written into ``chapters/`` or
``data/``).

Exit codes
----------
0
    every chapter ran; the summary names the page to open.
1
    a chapter failed; the message names the chapter, the code cell and the line of its ``.md``.
2
    the cohort is invalid (every problem listed), or the request is (unknown chapter, bad
    ``-p``, a bad ``--out``: see :func:`analysis.runner.check_output_dir`); one line, nothing
    written or deleted.
130, 143, 129
    interrupted by SIGINT, SIGTERM or SIGHUP (the terminal closed); the partial output was
    removed (an earlier report that ``--force`` was replacing is unchanged, and said so), or, when the signal came once the report was complete and in place, the report
    is kept and the message says it was written.
"""

from __future__ import annotations

import argparse
import sys
import textwrap
from pathlib import Path

from analysis import COHORT_CSV
from analysis.cli import UsageError, file_path
from analysis.cohort import CohortError, warning_lines
from analysis.formatting import quantity, wrapped
from analysis.runner import (
    CHAPTERS_DIR,
    PARAMETER_RANGES,
    ChapterFailed,
    RunInterrupted,
    RunnerError,
    SignalStops,
    discover_chapters,
    parse_parameters,
    run_book,
    signals_raise,
)

HELP = (
    "re-run the book's chapters on a cohort (validated first) into a new report directory (--out)"
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the command's arguments."""
    parser.add_argument(
        "--cohort",
        type=file_path,
        default=COHORT_CSV,
        help="cohort CSV (default: the book's synthetic data/cohort.csv)",
    )
    parser.add_argument(
        "--out",
        required=True,
        help=(
            "report directory to create, e.g. reports/mine (never an existing folder of yours; "
            "in the book's folder only under reports/)"
        ),
    )
    parser.add_argument(
        "-p",
        "--parameter",
        dest="parameters",
        action="append",
        nargs="+",
        default=[],
        metavar=("KEY=VALUE|KEY", "VALUE"),
        help="chapter parameter (repeatable), as key=value or papermill's key value, given "
        "only to the chapters that have it (one that no chapter run has is refused); "
        "VALUE is one value: a decimal whole number (10; 017 is 17), a decimal number (0.5, "
        "1e3), true or false (or papermill's True, False), null (None), else text. 0b11, "
        "0x1F, 1_000, yes, off and 1:30 are text (YAML 1.1 made them 3, 31, 1000, true, "
        "false and 90), so a number or true/false parameter refuses them; lists and mappings "
        "are refused, so list parameters keep their defaults. VALUE must have the type of "
        "the chapter's "
        "default and lie in its range (chapter 10's parameter table lists them: "
        f"n_bootstrap and n_simulations at most {PARAMETER_RANGES['n_bootstrap'][2]}, "
        f"cycles_shown at most {PARAMETER_RANGES['cycles_shown'][2]}), "
        "e.g. -p confidence_level=0.9",
    )
    parser.add_argument(
        "--chapters",
        default=None,
        help="comma-separated chapter names, numbers or ranges of numbers (default all), "
        "e.g. 01-data,06 or 02-05",
    )
    parser.add_argument(
        "--force",
        action="store_true",
        help="replace an existing report of this tool (a directory with its marker file and "
        "nothing else); never any other directory",
    )
    parser.add_argument("--chapters-dir", type=Path, default=CHAPTERS_DIR, help=argparse.SUPPRESS)
    parser.add_argument(
        "--quiet",
        action="store_true",
        help="no progress bars (the chapter names still show, as each starts and ends, and a "
        "cell running 15 s or longer); there are none either when stderr is not a terminal",
    )
    parser.epilog = EPILOG.format(chapters=_chapter_list())


EPILOG = """\
examples:
  python -m analysis run --out reports/book   # every chapter, the book's cohort
  python -m analysis run --cohort my_cohort.csv --out reports/mine --chapters 06
  python -m analysis run --cohort my_cohort.csv --out reports/mine --force
  python -m analysis run --out reports/ci90 --chapters 05 \\
      -p confidence_level=0.9

{chapters}

The cohort is validated first (python -m analysis validate); nothing is written unless it
passes, and its warnings (a free-text column, times that look like weeks or days, a JSH
criterion nobody meets, patients meeting none, a row repeated under another id, in full or
but for one column) are printed as validate prints
them, under a line that counts them ('OK: FILE: N patients; 2 warnings:'), before the
chapters, and again in the closing summary, under its first line ('ran … ; 2 cohort
warnings:'). The report
appears in one piece at --out; the input CSV is never changed.

exit status: 0 report written, 1 a chapter failed (partial output in OUT.failed), 2 invalid
cohort or request (nothing written), 130/143/129 interrupted by SIGINT/SIGTERM/SIGHUP (partial
output removed; a report already complete and in place is kept, and the message says so)
"""


def _chapter_list() -> str:
    """The chapters' names for the help (a directory listing: no notebook is read)."""
    try:
        names = ", ".join(p.stem for p in discover_chapters(CHAPTERS_DIR))
    except RunnerError as exc:
        names = str(exc)
    return textwrap.fill(f"chapters: {names}", width=78, subsequent_indent="  ")


def _name(path) -> str:
    """The cohort as shown in messages: its file name, printable (never the folder)."""
    name = Path(str(path)).name or str(path)
    return "".join(ch if ch.isprintable() else ascii(ch)[1:-1] for ch in name)


def run(args: argparse.Namespace) -> int:
    """Validate, execute, publish; print the summary; return the exit code.

    A signal once the report is in place (as the summary is printed) is recorded and said, with
    exit status 128 + signal: it neither kills the process silently nor claims nothing was
    written."""
    stops = SignalStops()
    with signals_raise(stops):
        code = _run(args, stops)
        stops.hold = True  # the command is done: a signal now is only said
    if stops.held and code == 0:
        print(
            wrapped(f"error: {RunInterrupted(stops.held[0], written=stops.out)}"), file=sys.stderr
        )
        return 128 + stops.held[0]
    return code


def _run(args: argparse.Namespace, stops: SignalStops) -> int:
    try:
        parameters = parse_parameters(args.parameters)
        result = run_book(
            args.cohort,
            args.out,
            parameters=parameters,
            chapters=args.chapters,
            chapters_dir=args.chapters_dir,
            force=args.force,
            # bars only on a terminal: in a log (2>log, nohup, CI) their carriage returns made
            # one unreadable line; there, each chapter says when it ends instead
            progress=not args.quiet and sys.stderr.isatty(),
        )
    except CohortError as exc:
        n = len(exc.problems)
        warned = (
            f", {quantity(len(exc.warnings), 'warning', thousands=True)}" if exc.warnings else ""
        )
        print(
            wrapped(
                f"{_name(args.cohort)}: {n} problem{'s' if n != 1 else ''}{warned}; nothing was "
                "run or written"
            ),
            file=sys.stderr,
        )
        for problem in exc.problems:  # wrapped as validate prints them
            print(wrapped(f"  - {problem}"), file=sys.stderr)
        for line in warning_lines(exc.warnings):  # as validate prints them
            print(line, file=sys.stderr)
        if str(args.cohort).startswith("~") and not Path(args.cohort).exists():
            # read from a folder named "~" here: "c.csv does not exist" said nothing of why
            print(
                wrapped("  (--cohort starts with '~', which the shell did not expand: quoted?)"),
                file=sys.stderr,
            )
        return 2
    except RunnerError as exc:
        raise UsageError(str(exc)) from None
    except ChapterFailed as exc:
        print(wrapped(f"error: {exc}"), file=sys.stderr)
        return 1
    except RunInterrupted as exc:  # its message says whether the report was written
        print(wrapped(f"error: {exc}"), file=sys.stderr)
        return 128 + exc.signum
    except OSError as exc:  # e.g. the disk filled up: the partial output was removed
        what = exc.strerror or type(exc).__name__
        raise UsageError(f"--out {args.out}: {what}; nothing was written") from None
    stops.hold, stops.out = True, result.out
    print(wrapped(result.summary()))  # each line at most 80 columns, as validate's
    return 0
