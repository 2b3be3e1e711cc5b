"""Re-execute the book's chapters on a cohort into a self-contained report directory.

:func:`run_book` is what ``python -m analysis run`` (and ``make chapter`` / ``make report``)
calls. For a cohort and an output directory ``reports/NAME`` it

1. refuses a bad output directory (:func:`check_output_dir`, one line, nothing touched), then
   validates the cohort with :func:`analysis.cohort.load_cohort` (every problem listed at once;
   nothing is written when it fails);
2. converts each ``chapters/NN-*.md`` (sorted by name) to a notebook in memory with jupytext;
3. executes it with papermill, working directory ``chapters/``, with the parameters
   ``cohort_path`` (the cohort's absolute path) and those ``-p key=value`` (or papermill's
   ``-p key value``) given that its ``parameters`` cell has (``-p confidence_level=0.9``
   goes to chapter 5 only; a name that no chapter run has is refused before anything
   runs), each value read as :func:`parse_parameters` says (a decimal number, true/false,
   null, else text);
4. writes the executed notebook ``NN-x.ipynb`` and an HTML rendering ``NN-x.html`` per chapter,
   plus ``index.html``, ``report.json`` and the marker ``.haic-report.json``;
5. does all of this in a hidden sibling ``reports/.NAME.partial-PID-*`` (marked "partial" with
   this process's id and host) and swaps it in as ``reports/NAME`` only when every chapter has
   succeeded.

Guarantees
----------
* **Only its own directories.** The marker (format ``haic-report``, version 1, state, and
  the list of files written) identifies a report. ``force=True`` replaces only a directory
  whose marker is valid, whose state is "complete" and that holds nothing the marker does not
  list, and whose listed files still have the SHA-256 digests recorded at completion (an edited
  report is the user's work); the check is repeated just before the swap, and of the old report
  only the listed files are deleted. A directory that holds the input cohort (the cohort's folder or any
  parent, however spelled: ``..``, symlinks) is never replaced, nor ``/``, the home
  directory, the book's folder or its parents, ``chapters/``, ``data/``, ``book/``,
  ``analysis/``, ``.git/`` or a system directory (``/proc``, ``/sys``, ``/dev``, ``/run``).
  Every refusal is one line (:class:`RunnerError`) and exit status 2.
* **Atomic.** ``reports/NAME`` is always a complete report: it appears in one rename.
* **One cohort.** The cohort is hashed when it is validated and again once the chapters ran;
  a file saved again in between (a spreadsheet still open on it) is a :class:`RunnerError`
  and nothing is written, as the report would name one file's digest beside the other's
  numbers.
* **Failures.** When a chapter fails, the partial output becomes ``reports/NAME.failed/``
  (marker state "failed", ``FAILED.txt`` naming the chapter and the cell, the notebooks so
  far). An older ``NAME.failed`` is replaced only if it is ours and unchanged (its marker
  records each file's SHA-256, as a report's does); a user's folder of that name, or ours with
  a notebook edited since, is left alone and ``NAME.failed-2`` is used (``-3`` … when that
  one is edited too). A later successful run removes every one of these folders that is ours
  and unchanged, numbered or not, and names in its summary those of ours it kept because they
  changed.
* **Interruptions.** SIGINT, SIGTERM and SIGHUP raise :class:`RunInterrupted`; the partial directory
  (and any parent folder this run created) is removed, exit status 128 + signal. From the
  swap into place on, a signal is only recorded: the report is kept and RunInterrupted
  (``written``) says it was written. A run killed
  outright (SIGKILL, power loss) leaves its partial directory; the next run in the same
  folder removes it when its marker names a process of this host that no longer exists
  (:func:`remove_stale_partials`). It leaves its site-build folder too
  (``haic-report-build-*`` in the temporary directory); the next run removes those whose
  owner file proves their process dead, and those of this user without one that hold only
  kernel connection files unchanged for a day (:func:`remove_stale_build_dirs`), and no other.
* **Privacy.** No absolute path (the cohort's folder, the report's, the book's, the home
  directory) appears in a report, whatever its spelling: raw, JSON ``\\uXXXX`` escapes (as
  papermill writes non-ASCII), Python escapes, URL-encoding or HTML entities. Text from file
  names is escaped wherever it is shown (glued text is text, never markup).
* **Deterministic.** Timings and random cell ids are removed; the HTML has no timestamps.
"""

from __future__ import annotations

import ast
import contextlib
import hashlib
import html
import json
import keyword
import logging
import math
import os
import re
import shlex
import shutil
import signal
import socket
import stat
import sys
import tempfile
import textwrap
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

import pandas as pd
import yaml

from analysis import COHORT_CSV, DATA_DIR, REPO_ROOT, formatting
from analysis.clinical import BMI_RANGE_KG_M2
from analysis.cohort import (
    CHAPTER_NEEDS,
    DAYS_PER_MONTH,
    MIN_PATIENTS,
    TIME_LONG_MONTHS,
    TIME_MEDIAN_MAX,
    WEEKS_PER_MONTH,
    load_cohort,
    times_read_as_years,
    warning_lines,
)
from analysis.numerics import numbered_cells
from analysis.privacy import describe, file_name_identifier, mask_file_name
from analysis.problems import unusable_path_reason
from analysis.verdicts import is_user_cohort

__all__ = [
    "CHAPTERS_DIR",
    "RunnerError",
    "ChapterFailed",
    "ChapterRun",
    "BookRun",
    "RunInterrupted",
    "SignalStops",
    "signals_raise",
    "MARKER_NAME",
    "PARAMETER_RANGES",
    "PARAMETER_CHOICES",
    "PARAMETER_LISTS",
    "parse_parameters",
    "discover_chapters",
    "chapter_defaults",
    "check_parameter_values",
    "check_chapter_parameters",
    "parameter_rule",
    "parameter_table",
    "check_output_dir",
    "remove_stale_partials",
    "remove_stale_build_dirs",
    "BUILD_MARKER_NAME",
    "run_book",
]

#: Default directory of the chapters.
CHAPTERS_DIR = REPO_ROOT / "chapters"

_CHAPTER_GLOB = "[0-9][0-9]-*.md"


class RunnerError(Exception):
    """A problem with the request (parameters, chapters, output directory): nothing was written.

    Its message is one line; ``python -m analysis run`` prints it and exits with status 2.

    Examples
    --------
    >>> try:
    ...     parse_parameters(["min_count"])
    ... except RunnerError as error:
    ...     print(error)
    parameter 'min_count': expected -p key=value or -p key value
    """


class ChapterFailed(Exception):
    """A chapter raised an exception while executing.

    Attributes
    ----------
    chapter : str
        The chapter's name (``06-survival``).
    cell : int
        1-based number of the failing code cell in the chapter's ``.md`` (papermill's injected
        parameters cell not counted).
    line : int or None
        The line of the ``.md`` where that cell's code starts.
    error : str
        ``ExceptionName: message`` as raised in the kernel.
    failed_dir : pathlib.Path
        ``reports/NAME.failed``: the executed notebooks so far and ``FAILED.txt``.

    Examples
    --------
    >>> error = ChapterFailed("06-survival", 3, 120, "column os_months missing", Path("reports/mine.failed"))
    >>> print(error)
    chapter 06-survival failed in code cell 3 (chapters/06-survival.md line 120): column os_months missing; no report written; partial output in reports/mine.failed
    >>> error.chapter, error.cell, error.line
    ('06-survival', 3, 120)
    """

    def __init__(self, chapter: str, cell: int, line: int | None, error: str, failed_dir: Path):
        self.chapter, self.cell, self.line, self.error = chapter, cell, line, error
        self.failed_dir = failed_dir
        where = f"chapters/{chapter}.md line {line}" if line else f"chapters/{chapter}.md"
        super().__init__(
            f"chapter {chapter} failed in code cell {cell} ({where}): {error}; "
            f"no report written; partial output in {failed_dir}"
        )


class SiteBuildFailed(ChapterFailed):
    """The chapters ran but jupyter-book could not build the report's site."""

    def __init__(self, chapter, cell, line, error, failed_dir):
        Exception.__init__(
            self,
            f"the report's site could not be built with jupyter-book: {error}; no report "
            f"written; the executed notebooks and build-log.txt are in {failed_dir}",
        )
        self.chapter, self.cell, self.line, self.error = chapter, cell, line, error
        self.failed_dir = failed_dir


@dataclass
class ChapterRun:
    """One executed chapter: its name, files (relative to the report) and wall time.

    Examples
    --------
    >>> run = ChapterRun("06-survival", "06-survival.ipynb", "06-survival.html", 12.3)
    >>> run.name, run.notebook, run.seconds
    ('06-survival', '06-survival.ipynb', 12.3)
    """

    name: str
    notebook: str
    html: str
    seconds: float


@dataclass
class BookRun:
    """The result of :func:`run_book`.

    Attributes
    ----------
    out : pathlib.Path
        The report's directory.
    cohort : str
        The cohort's file name (never its full path).
    chapters : list of ChapterRun
        The chapters run, in the book's order.
    seconds : float
        Wall time of the whole run.
    warnings : list of str
        Warnings of the report's site build (also in ``build-warnings.txt``).
    kept_failed : list of pathlib.Path
        Folders of earlier failed runs into the same ``out`` (``NAME.failed``,
        ``NAME.failed-2`` …) kept because a file in them changed since the failed run wrote
        them; the unchanged ones are removed once a run succeeds. The summary names them.
    cohort_warnings : list of str
        The cohort's warnings, as ``validate`` prints them (:func:`analysis.cohort.warning_lines`):
        printed before the chapters run and again in the summary, where a long run's output
        would otherwise have scrolled them away: there under the summary's first line, which
        counts them (``ran … in 12.5 s; 2 cohort warnings:``).

    Examples
    --------
    >>> run = BookRun(Path("reports/mine"), "cohort.csv",
    ...               [ChapterRun("06-survival", "06-survival.ipynb", "06-survival.html", 12.3)],
    ...               seconds=12.5)
    >>> run.index.as_posix()
    'reports/mine/index.html'
    >>> print(run.summary())
    ran 1 chapter (06-survival) on cohort.csv in 12.5 s
    open reports/mine/index.html
    >>> print(BookRun(Path("my reports/mine"), "cohort.csv").summary().splitlines()[-1])
    open 'my reports/mine/index.html'
    >>> kept = BookRun(Path("reports/mine"), "cohort.csv", kept_failed=[Path("reports/mine.failed-2")])
    >>> print(kept.summary().splitlines()[1])
    kept reports/mine.failed-2: a failed run's folder, changed since it was written (yours now: delete it when done)
    >>> warned = BookRun(Path("r"), "c.csv", cohort_warnings=["  - warning: c.csv: a note"])
    >>> for line in warned.summary().splitlines()[:2]:
    ...     print(line)
    ran 0 chapters () on c.csv in 0.0 s; 1 cohort warning:
      - warning: c.csv: a note
    """

    out: Path
    cohort: str
    chapters: list[ChapterRun] = field(default_factory=list)
    seconds: float = 0.0
    warnings: list[str] = field(default_factory=list)
    kept_failed: list[Path] = field(default_factory=list)
    cohort_warnings: list[str] = field(default_factory=list)

    @property
    def index(self) -> Path:
        """The page to open: ``<out>/index.html``."""
        return self.out / "index.html"

    def summary(self) -> str:
        """A few lines for the terminal: chapters run, time taken, what to open."""
        names = ", ".join(c.name for c in self.chapters)
        warned = self.cohort_warnings
        return (
            f"ran {len(self.chapters)} chapter{'s' if len(self.chapters) != 1 else ''} "
            f"({names}) on {self.cohort} in {self.seconds:.1f} s"
            + (f"; {_counted_warnings(warned, 'cohort ')}:\n" if warned else "\n")
            + "".join(f"{line}\n" for line in warned)
            + (
                f"{len(self.warnings)} site build warning{'s' if len(self.warnings) != 1 else ''}"
                f" (see {shlex.quote(str(self.out / 'build-warnings.txt'))})\n"
                if self.warnings
                else ""
            )
            + "".join(
                f"kept {shlex.quote(str(path))}: a failed run's folder, changed since it was "
                "written (yours now: delete it when done)\n"
                for path in self.kept_failed
            )
            + f"open {shlex.quote(str(self.index))}"  # quoted when a shell needs it (spaces)
        )


def _counted_warnings(lines: list[str], kind: str) -> str:
    """``"2 cohort warnings"``: how a line counts the warnings listed under it."""
    return formatting.quantity(len(lines), f"{kind}warning", thousands=True)


# --------------------------------------------------------------------------------------------
# Requests
# --------------------------------------------------------------------------------------------
#: A ``-p`` value that is a whole number: decimal digits, an optional sign (``017`` is 17).
_INT_VALUE = re.compile(r"[-+]?[0-9]+")
#: A ``-p`` value that is a decimal number (``0.9``, ``.5``, ``1e3``), as YAML 1.2 writes one.
_FLOAT_VALUE = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?")
#: Words a ``-p`` value may be: YAML 1.2's (``true``, ``True``, ``TRUE``, ``null``, ``.nan``,
#: ``.inf``) and papermill's own (``True``, ``False``, ``None``, ``nan``, ``inf``).
_WORD_VALUES = {
    **dict.fromkeys(("true", "True", "TRUE"), True),
    **dict.fromkeys(("false", "False", "FALSE"), False),
    **dict.fromkeys(("null", "Null", "NULL", "None"), None),
    **{
        sign + word: float(sign + "inf")
        for sign in ("", "+", "-")
        for word in (".inf", ".Inf", ".INF", "inf", "Inf", "INF")
    },
    **dict.fromkeys((".nan", ".NaN", ".NAN", "nan", "NaN", "NAN"), math.nan),
}


def _parameter_value(value: str):
    """One ``-p`` value as a reader means it (see :func:`parse_parameters`): a decimal whole
    number, a decimal number, true/false, null, else the text (without surrounding blanks, and
    without the quotes of a quoted one)."""
    text = value.strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"":
        return text[1:-1]
    if text in _WORD_VALUES:
        return _WORD_VALUES[text]
    try:
        if _INT_VALUE.fullmatch(text):
            return int(text)
        if _FLOAT_VALUE.fullmatch(text):
            return float(text)
    except ValueError:  # more digits than Python converts (4,300): text, refused by type
        return text
    if text[:1] in ("[", "{"):
        raise ValueError("a list or a mapping")
    return text


def parse_parameters(items) -> dict:
    """Parse chapter parameters; each value is read as a reader means it.

    Each item is ``"key=value"`` or, as papermill's own ``-p key value``, a pair
    ``("key", "value")`` (the command line gives a list of one or two strings per ``-p``).

    A value is a whole number when it is decimal digits with an optional sign (``017`` is 17),
    a decimal number when it has a point or an exponent (``0.9``, ``.5``, ``1e3``), ``true``
    or ``false`` (``True``, ``TRUE``, …), ``null`` (or ``None``): YAML 1.2's core schema with
    decimal numbers only, and papermill's own ``-p`` words (``True``, ``False``, ``None``,
    ``nan``, ``inf``; a decimal parameter refuses the last two). Anything else is text as typed
    (without surrounding blanks; the quotes of ``'10'`` keep it text): ``0b11``, ``0o17``,
    ``0x1F``, ``1_000``, ``1,000``, ``yes``, ``no``, ``on``, ``off`` and ``1:30`` are not
    numbers or true/false here, as they were for YAML 1.1 (``0b11`` was 3, ``017`` 15, ``yes``
    true, ``1:30`` 90), so a parameter that wants a number or true/false refuses them
    (:func:`check_parameter_values`) instead of running on a value nobody typed.

    Parameters
    ----------
    items : iterable of str or of (str, str), or None
        The ``-p`` options as given.

    Returns
    -------
    dict
        Parameter name -> value (str, int, float, bool or None).

    Raises
    ------
    RunnerError
        For an item without ``=`` (and no separate value), more than two words, a key that is
        not a Python identifier, a list or mapping value (``[1, 2]``, ``{a: 1}``), a repeated
        key, or ``cohort_path`` (given by ``--cohort``).

    Examples
    --------
    >>> parse_parameters(["min_count=10", ("label", "my hospital"), "strict=true", "note="])
    {'min_count': 10, 'label': 'my hospital', 'strict': True, 'note': ''}
    >>> parse_parameters(["a=017", "b=1e3", "c=0b11", "d=1_000", "e=yes", "f=1:30", "g=None"])
    {'a': 17, 'b': 1000.0, 'c': '0b11', 'd': '1_000', 'e': 'yes', 'f': '1:30', 'g': None}
    >>> try:
    ...     parse_parameters(["cohort_path=mine.csv"])
    ... except RunnerError as error:
    ...     print(error)
    parameter cohort_path: give the cohort with --cohort instead
    >>> try:
    ...     parse_parameters(["confidence-level=0.9"])
    ... except RunnerError as error:
    ...     print(error)
    parameter 'confidence-level=0.9': 'confidence-level' is not a valid Python name; parameter names use underscores, not hyphens or spaces
    """
    params: dict = {}
    for raw in items or []:
        words = [raw] if isinstance(raw, str) else [str(w) for w in raw]
        if len(words) == 1:
            item = words[0]
            key, sep, value = item.partition("=")
            if not sep:
                raise RunnerError(f"parameter {item!r}: expected -p key=value or -p key value")
        elif len(words) == 2 and "=" not in words[0]:
            key, value = words
            item = f"{key} {value}"
        else:
            raise RunnerError(
                f"parameter {' '.join(words)!r}: expected -p key=value or -p key value"
            )
        key = key.strip()
        if not key.isidentifier() or keyword.iskeyword(key):
            # confidence-level: said how to write it, without repeating the key in another
            # spelling (a name typed as a key is masked as typed, not as John_Smith)
            snake = re.sub(r"[\s-]+", "_", key)
            hint = (
                "; parameter names use underscores, not hyphens or spaces"
                if snake.isidentifier() and snake != key
                else ""
            )
            raise RunnerError(f"parameter {item!r}: {key!r} is not a valid Python name{hint}")
        if key == "cohort_path":
            raise RunnerError("parameter cohort_path: give the cohort with --cohort instead")
        if key in params:
            raise RunnerError(f"parameter {key!r} given twice")
        try:
            params[key] = _parameter_value(value)
        except ValueError:
            raise RunnerError(
                f"parameter {item!r}: only single values (numbers, text, true/false)"
            ) from None
    return params


def discover_chapters(chapters_dir: Path | str = CHAPTERS_DIR, selection=None) -> list[Path]:
    """The chapters to run: ``NN-*.md`` files of ``chapters_dir``, sorted by name.

    Parameters
    ----------
    chapters_dir : path-like
        Where the chapters are.
    selection : str or list of str, optional
        Chapter names (``06-survival``, any case), numbers (``06`` or ``6``) or ranges of
        numbers (``02-05``, both ends included), as a list or comma-separated; default all. The
        run keeps the book's order whatever the order given.

    Returns
    -------
    list of pathlib.Path

    Raises
    ------
    RunnerError
        No chapters, a selected name that matches none, or a selection that names no chapter
        at all (``""``, ``","``: an empty ``--chapters`` is a mistake, not "all"); the message
        lists the available ones.

    Examples
    --------
    >>> [p.name for p in discover_chapters(selection="06,01-data")]
    ['01-data.md', '06-survival.md']
    >>> [p.name for p in discover_chapters(selection="6,01-Data")]
    ['01-data.md', '06-survival.md']
    >>> [p.name for p in discover_chapters(selection="2-4,9")]
    ['02-eligibility.md', '03-treatment.md', '04-baseline.md', '09-bias.md']
    >>> try:
    ...     discover_chapters(selection=["99"])
    ... except RunnerError as error:
    ...     print(str(error).startswith("chapter '99' not found"), "available: 01-data" in str(error))
    True True
    >>> try:
    ...     discover_chapters(selection=" , ")
    ... except RunnerError as error:
    ...     print(str(error).split(";")[0])
    --chapters ' , ' names no chapter
    """
    chapters_dir = Path(chapters_dir)
    found = sorted(chapters_dir.glob(_CHAPTER_GLOB))
    if not found:
        raise RunnerError(f"no chapters ({_CHAPTER_GLOB}) in {chapters_dir}")
    if selection is None:
        return found
    given = selection
    if isinstance(selection, str):
        selection = selection.split(",")
    wanted = [s.strip().removesuffix(".md") for s in selection if s.strip()]
    if not wanted:
        # an empty --chapters ("$CHAPTERS" unset) ran every chapter, ",," none and then failed
        shown = _show(given if isinstance(given, str) else ",".join(map(str, given)))
        raise RunnerError(
            f"--chapters {shown!r} names no chapter; give names or numbers, e.g. 01-data,06, "
            f"or leave out --chapters for all; available: {', '.join(p.stem for p in found)}"
        )
    chosen = set()
    for name in wanted:
        match = [p for p in found if _chapter_matches(p.stem, name)]
        span = _CHAPTER_RANGE.fullmatch(name)
        if not match and span:  # "02-05": the chapters numbered 2 to 5
            first, last = int(span.group(1)), int(span.group(2))
            if first > last:
                raise RunnerError(
                    f"--chapters {_show(name)!r}: a range goes from the lower number to the "
                    f"higher, e.g. {last:02d}-{first:02d}"
                )
            match = [p for p in found if _chapter_number(p.stem) in range(first, last + 1)]
        if not match:
            available = ", ".join(p.stem for p in found)
            raise RunnerError(
                f"chapter {name!r} not found in {chapters_dir}; available: {available}"
            )
        chosen.update(match)
    return [p for p in found if p in chosen]


#: A range of chapter numbers in ``--chapters``: ``02-05``, ``2–5`` (both ends included).
_CHAPTER_RANGE = re.compile(r"([0-9]{1,3})\s*[-–]\s*([0-9]{1,3})")


def _chapter_number(stem: str) -> int | None:
    """The number a chapter's name starts with (``6`` for ``06-survival``), or None."""
    number = stem.split("-", 1)[0]
    return int(number) if number.isascii() and number.isdigit() else None


def _chapter_matches(stem: str, name: str) -> bool:
    """``name`` selects the chapter ``stem``: its name in any case (``06-Survival``) or its
    number with or without the leading zero (``06``, ``6``)."""
    number = stem.split("-", 1)[0]
    if name.isascii() and name.isdigit() and number.isdigit():
        return int(name) == int(number)
    return stem.lower() == name.lower()


# --------------------------------------------------------------------------------------------
# Output directories: what may be created or replaced
# --------------------------------------------------------------------------------------------
#: Name of the marker file that identifies a directory written by :func:`run_book`.
MARKER_NAME = ".haic-report.json"
#: The marker's ``format`` field and version; a directory is a report only if both match.
MARKER_FORMAT = "haic-report"
MARKER_VERSION = 1

#: Longest output directory name accepted (the temporary sibling adds a prefix and a suffix).
_MAX_NAME_BYTES = 200
#: Virtual file systems: never a place for a report.
_SYSTEM_DIRS = (
    "/proc",
    "/sys",
    "/dev",
    "/run",
    "/etc",
    "/boot",
    "/bin",
    "/sbin",
    "/lib",
    "/lib64",
    "/usr",
)
_PARTIAL_INFIX = ".partial-"


class RunInterrupted(KeyboardInterrupt):
    """SIGINT, SIGTERM or SIGHUP arrived during a run; the partial output has been removed.
    ``kept``: the earlier report at ``--out`` (``--force``), left unchanged, which the message
    names (it said "no report written", as if the earlier one were gone too).

    A :class:`KeyboardInterrupt` so that asyncio (papermill's kernel client) lets it through
    instead of logging it from a callback and carrying on.

    Examples
    --------
    >>> error = RunInterrupted(signal.SIGTERM)
    >>> error.signal_name, isinstance(error, KeyboardInterrupt)
    ('SIGTERM', True)
    >>> print(error)
    interrupted by SIGTERM: no report written (partial output removed)
    >>> print(RunInterrupted(signal.SIGINT, kept=Path("reports/mine")))
    interrupted by SIGINT: no new report written (partial output removed); the earlier report in reports/mine is unchanged
    """

    def __init__(self, signum: int, written: Path | None = None, kept: Path | None = None):
        self.signum = signum
        self.written = written
        self.kept = kept
        try:
            name = signal.Signals(signum).name
        except ValueError:  # pragma: no cover - any other signal number
            name = f"signal {signum}"
        self.signal_name = name
        if written is None and kept is not None:
            super().__init__(
                f"interrupted by {name}: no new report written (partial output removed); the "
                f"earlier report in {_show(kept)} is unchanged"
            )
        elif written is None:
            super().__init__(f"interrupted by {name}: no report written (partial output removed)")
        else:  # the signal came once the report was complete and in place: it is kept
            super().__init__(
                f"interrupted by {name} after the report was complete: it was written, "
                f"open {_show(written)}/index.html"
            )


def _os_reason(exc: OSError) -> str:
    """Why the system refused, in a few words: the error's message, or for a failed
    :func:`shutil.copytree` (:class:`shutil.Error`, a list of failed files, no message of its
    own: run said "--out DIR: Error") that of its first file.

    Examples
    --------
    >>> _os_reason(OSError(28, "No space left on device"))
    'No space left on device'
    >>> _os_reason(shutil.Error([("a", "b", "[Errno 28] No space left on device: 'a' -> 'b'")]))
    'No space left on device'
    """
    if isinstance(exc, shutil.Error) and exc.args and isinstance(exc.args[0], list):
        for entry in exc.args[0]:
            if isinstance(entry, tuple) and len(entry) == 3:
                found = re.match(r"\[Errno \d+\] ([^:]+)", str(entry[2]))
                if found:
                    return found.group(1)
    return exc.strerror or type(exc).__name__


def _show(path) -> str:
    """A path as one printable line (control characters escaped)."""
    text = str(path)
    return "".join(ch if ch.isprintable() else ascii(ch)[1:-1] for ch in text)


def _is_within(path: Path, root: Path) -> bool:
    return path == root or root in path.parents


def _read_marker(directory: Path) -> dict | None:
    """The marker of ``directory`` if it is a valid one of this format and version, else None."""
    marker = directory / MARKER_NAME
    try:
        if marker.is_symlink() or not marker.is_file():
            return None
        return _parse_marker(marker.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _parse_marker(text: str) -> dict | None:
    """A marker's JSON text as a dict if it is a valid marker of this format and version."""
    try:
        data = json.loads(text)
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    if data.get("format") != MARKER_FORMAT or data.get("version") != MARKER_VERSION:
        return None
    files = data.get("files")
    if not isinstance(files, list) or not all(isinstance(f, str) for f in files):
        return None
    for name in files:
        parts = Path(name).parts
        if not parts or Path(name).is_absolute() or ".." in parts or name == MARKER_NAME:
            return None
    return data


# Deleting in a folder others can write to (a shared temporary directory without the sticky
# bit, a shared reports folder): a name checked and then deleted by path can be swapped for a
# symbolic link in between, and the deletion would follow it. So a folder is opened once,
# without following a link (O_NOFOLLOW), everything is checked and deleted relative to that
# descriptor (dir_fd), and the folder itself is removed by name only while that name is still
# the folder that was opened. Without these system calls (Windows) a report's listed files
# are deleted by path, as before, and stale site-build folders are left alone.
_O_DIR_NOFOLLOW = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_NOFOLLOW", 0)
_FD_DELETION = (
    hasattr(os, "O_NOFOLLOW")
    and hasattr(os, "O_DIRECTORY")
    and {os.open, os.stat, os.unlink, os.rmdir, os.rename} <= os.supports_dir_fd
    and os.listdir in os.supports_fd
    and shutil.rmtree.avoids_symlink_attacks
)


def _open_dir(name, dir_fd: int | None = None) -> int:
    """A descriptor of the directory ``name`` (relative to ``dir_fd``); OSError when it is a
    symbolic link (ELOOP), not a directory (ENOTDIR) or absent."""
    return os.open(name, _O_DIR_NOFOLLOW, dir_fd=dir_fd)


def _read_file_at(dir_fd: int, name: str, limit: int) -> str | None:
    """The text of the regular file ``name`` in ``dir_fd`` (never through a link), or None
    when it is not one, or larger than ``limit`` bytes."""

    try:
        fd = os.open(
            name, os.O_RDONLY | os.O_NOFOLLOW | getattr(os, "O_NONBLOCK", 0), dir_fd=dir_fd
        )
    except OSError:
        return None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or st.st_size > limit:
            return None
        with os.fdopen(os.dup(fd), "rb") as handle:
            data = handle.read(limit + 1)
        if len(data) > limit:
            return None
        return data.decode("utf-8")
    except (OSError, ValueError):
        return None
    finally:
        os.close(fd)


def _same_entry(dir_fd: int, name: str, fd: int) -> bool:
    """``name`` in ``dir_fd`` is still the directory open as ``fd`` (not a link swapped in)."""
    try:
        now = os.stat(name, dir_fd=dir_fd, follow_symlinks=False)
        held = os.fstat(fd)
    except OSError:
        return False
    return (now.st_dev, now.st_ino) == (held.st_dev, held.st_ino)


def _remove_empty_dirs_at(fd: int) -> None:
    """Remove the empty sub-folders of the directory open as ``fd``, deepest first (links are
    never followed; a folder with anything in it stays)."""
    for _, dirnames, _, sub_fd in os.fwalk(".", topdown=False, dir_fd=fd, follow_symlinks=False):
        for name in dirnames:
            with contextlib.suppress(OSError):
                os.rmdir(name, dir_fd=sub_fd)


def _unlisted(directory: Path, marker: dict) -> list[str]:
    """Entries of ``directory`` (recursively) that its marker does not list."""
    listed = set(marker["files"])
    parents = {parent.as_posix() for f in listed for parent in Path(f).parents}
    extra = []
    for path in sorted(directory.rglob("*")):
        rel = path.relative_to(directory).as_posix()
        if rel == MARKER_NAME:
            continue
        if path.is_dir() and not path.is_symlink():
            if rel not in parents:
                extra.append(rel)
            continue
        if rel not in listed:
            extra.append(rel)
    return extra


def _digests(directory: Path, names) -> dict[str, str]:
    """SHA-256 of each listed regular file of ``directory`` (a missing or odd entry: absent)."""
    out = {}
    for name in sorted(names):
        path = directory / name
        if path.is_file() and not path.is_symlink():
            out[name] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


def _changed(directory: Path, marker: dict) -> list[str]:
    """Listed files whose content differs from the digest the marker recorded at completion
    (markers written before digests were recorded have none: nothing to compare)."""
    recorded = marker.get("sha256")
    if not isinstance(recorded, dict):
        return []
    now = _digests(directory, recorded)
    return [name for name, digest in sorted(recorded.items()) if now.get(name) != digest]


def _replace_problem(directory: Path, states=("complete",)) -> str | None:
    """Why ``directory`` may not be replaced (None: it is an unmodified report, or empty)."""
    if directory.is_symlink() or not directory.is_dir():
        return "exists and is not a directory"
    try:
        entries = list(directory.iterdir())
    except OSError as exc:
        return f"cannot be read ({exc.strerror})"
    if not entries:
        return None
    marker = _read_marker(directory)
    if marker is None:
        return (
            f"exists and is not a report written by this tool (no valid {MARKER_NAME}); "
            "nothing in it is replaced"
        )
    if marker.get("state") not in states:
        return f"is an unfinished or failed run ({marker.get('state')!s}), not a report"
    extra = _unlisted(directory, marker)
    if extra:
        return _holds_files("this tool did not write", extra)
    # a failed run's notebooks are recorded too: one opened and edited while debugging (or
    # FAILED.txt with the user's notes) is the user's work, not ours to delete
    changed = _changed(directory, marker)
    if changed:
        return _holds_files("changed since this tool wrote them", changed)
    return None


def _holds_files(what: str, files: list[str]) -> str:
    """:func:`_replace_problem`'s reason for files a report may not hold: the first named."""
    more = f" and {len(files) - 1} more" if len(files) > 1 else ""
    return (
        f"holds files {what} ('{_show(files[0])}'{more}); "
        "--force replaces only an unmodified report"
    )


def _remove_owned(directory: Path, accept=None) -> bool:
    """Delete the files ``directory``'s marker lists, the marker, then empty folders.

    Anything not listed stays (and so does the directory). ``accept``, if given, is called with
    the marker (read from the folder as opened) and must return True for anything to be
    deleted. The folder is opened once without following a link and everything is done
    relative to it (see :data:`_FD_DELETION`): swapping it, or a folder in it, for a link to
    somewhere else while this runs deletes nothing there. Returns True when it is gone.
    """
    directory = Path(directory)
    if not _FD_DELETION:  # pragma: no cover - without dir_fd (Windows): by path, as before
        return _remove_owned_by_path(directory, accept)
    try:
        parent_fd = os.open(directory.parent, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return False
    try:
        try:
            fd = _open_dir(directory.name, parent_fd)
        except OSError:
            return False
        try:
            text = _read_file_at(fd, MARKER_NAME, 64 * 1024 * 1024)
            marker = _parse_marker(text) if text is not None else None
            if marker is None or (accept is not None and not accept(marker)):
                return False
            for name in marker["files"]:
                _unlink_at(fd, Path(name).parts)
            with contextlib.suppress(OSError):
                os.unlink(MARKER_NAME, dir_fd=fd)
            _remove_empty_dirs_at(fd)
            return _rmdir_if_same(parent_fd, directory.name, fd)
        finally:
            os.close(fd)
    finally:
        os.close(parent_fd)


def _remove_owned_by_path(directory: Path, accept=None) -> bool:  # pragma: no cover
    """:func:`_remove_owned` where the system has no ``dir_fd`` calls: by path, each file's
    folder checked to be still inside ``directory`` just before it is deleted."""
    marker = _read_marker(directory)
    if marker is None or (accept is not None and not accept(marker)):
        return False
    root = directory.resolve()
    for name in marker["files"]:
        path = directory / name
        try:
            if path.parent.resolve() != (root / name).parent:
                continue
            if path.is_symlink() or path.is_file():
                path.unlink()
        except OSError:
            pass
    with contextlib.suppress(OSError):
        (directory / MARKER_NAME).unlink()
    for path in sorted(directory.rglob("*"), key=lambda p: len(p.parts), reverse=True):
        if path.is_dir() and not path.is_symlink():
            with contextlib.suppress(OSError):
                path.rmdir()
    try:
        directory.rmdir()
    except OSError:
        return False
    return True


def _unlink_at(fd: int, parts) -> None:
    """Unlink the file ``parts`` (a relative path's components) below the directory open as
    ``fd``, opening each folder on the way without following a link; a missing or odd entry
    is left alone."""
    opened = []
    try:
        at = fd
        for part in parts[:-1]:
            try:
                at = _open_dir(part, at)
            except OSError:
                return
            opened.append(at)
        with contextlib.suppress(OSError):
            os.unlink(parts[-1], dir_fd=at)  # a directory: EISDIR, left alone
    finally:
        for handle in opened:
            os.close(handle)


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except (OSError, OverflowError, ValueError):
        return False
    return True


def remove_stale_partials(parent: Path) -> list[Path]:
    """Remove temporary directories of earlier runs that died (their process is gone).

    Only hidden ``.NAME.partial-*`` directories of ``parent`` whose marker names a process of
    this machine and of this process's PID namespace that no longer runs are touched, and only
    the files their marker lists (a run in a container or under ``unshare -p`` records pids of
    its own namespace: one of them that looks dead from here may be running; a marker from
    before namespaces were recorded is read as this namespace's).

    Parameters
    ----------
    parent : pathlib.Path
        The directory that holds the reports (``reports/``).

    Returns
    -------
    list of pathlib.Path
        The directories removed.

    Examples
    --------
    A partial directory left by a process that no longer exists (the largest process id):

    >>> import json, socket, tempfile
    >>> tmp = tempfile.TemporaryDirectory()
    >>> partial = Path(tmp.name) / ".mine.partial-123-abc"
    >>> partial.mkdir()
    >>> _ = (partial / "01-data.ipynb").write_text("{}")
    >>> _ = (partial / MARKER_NAME).write_text(json.dumps(
    ...     {"format": "haic-report", "version": 1, "state": "partial", "files": ["01-data.ipynb"],
    ...      "host": socket.gethostname(), "pid": 2**31 - 1}))
    >>> [p.name for p in remove_stale_partials(Path(tmp.name))], partial.exists()
    (['.mine.partial-123-abc'], False)
    >>> remove_stale_partials(Path(tmp.name))
    []
    >>> tmp.cleanup()
    """
    removed = []
    try:
        candidates = [p for p in parent.iterdir() if p.name.startswith(".")]
    except OSError:
        return removed
    for path in candidates:
        if _PARTIAL_INFIX not in path.name or path.is_symlink() or not path.is_dir():
            continue
        # decided on the marker read from the folder as opened for the deletion, not by path
        if _remove_owned(path, accept=_dead_partial):
            removed.append(path)
    return removed


def _dead_partial(marker: dict) -> bool:
    """A partial report's marker names a process of this host and PID namespace that is gone."""
    if marker.get("host") != socket.gethostname():
        return False
    if marker.get("pid_ns", _pid_namespace()) != _pid_namespace():
        return False
    pid = marker.get("pid")
    if not isinstance(pid, int) or isinstance(pid, bool) or pid == os.getpid():
        return False
    return not _pid_alive(pid)


#: The prefix of the temporary folder a run builds its site in (under ``tempfile.gettempdir()``).
BUILD_PREFIX = "haic-report-build-"
#: The owner file written into that folder as soon as it exists: the creating process's id, its
#: start time and the machine's boot id, so that a later run can prove the folder is a dead run's.
BUILD_MARKER_NAME = ".haic-build-owner.json"
_BUILD_MARKER_FORMAT = "haic-report-build"
# mkdtemp's names: the prefix and eight of [a-z0-9_]; ".stale" once a later run has claimed it
_BUILD_NAME = re.compile(re.escape(BUILD_PREFIX) + r"[a-z0-9_]{8}(?:\.stale)?")


def _process_start(pid: int) -> int | None:
    """When process ``pid`` started (clock ticks after boot, ``/proc/PID/stat`` field 22), or
    None when it cannot be read (no such process, no ``/proc``)."""
    try:
        text = Path(f"/proc/{int(pid)}/stat").read_text(encoding="ascii", errors="replace")
        # the command name (field 2) is in parentheses and may hold spaces and ")"
        return int(text[text.rindex(")") + 2 :].split()[19])
    except (OSError, ValueError, IndexError):
        return None


def _boot_id() -> str | None:
    try:
        return Path("/proc/sys/kernel/random/boot_id").read_text(encoding="ascii").strip() or None
    except OSError:
        return None


def _pid_namespace() -> str | None:
    """This process's PID namespace (``pid:[4026531836]``), or None without ``/proc``: a process
    id means the same process only inside one namespace (a container, ``unshare -p``)."""
    try:
        return os.readlink("/proc/self/ns/pid")
    except OSError:
        return None


def _build_owner() -> dict:
    """What a build folder's owner file records of this process (see :data:`BUILD_MARKER_NAME`)."""
    return {
        "format": _BUILD_MARKER_FORMAT,
        "version": 1,
        "pid": os.getpid(),
        "started": _process_start(os.getpid()),
        "boot_id": _boot_id(),
        "host": socket.gethostname(),
        "pid_ns": _pid_namespace(),
    }


def _make_build_dir() -> Path:
    """A new private temporary folder for the site build, with its owner file written first."""
    path = Path(tempfile.mkdtemp(prefix=BUILD_PREFIX))
    owner = _build_owner()
    try:
        (path / BUILD_MARKER_NAME).write_text(
            json.dumps(owner, sort_keys=True) + "\n", encoding="utf-8"
        )
    except BaseException:
        shutil.rmtree(path, ignore_errors=True)
        raise
    return path


#: A site-build folder without its owner file is left alone unless it holds nothing but kernel
#: connection files (what an interrupted run's dying kernel wrote after its folder was removed:
#: ``drwx-----T`` holding ``kernel-<32 hex>.json``) and neither it nor any of them has changed
#: for this long: a live run writes its owner file the instant it makes the folder.
_ABANDONED_AGE_S = 24 * 3600
_KERNEL_FILE = re.compile(r"kernel-[0-9a-f]{32}\.json")
#: The sockets of a kernel on the ``ipc`` transport (:func:`_quiet_kernel_manager`), beside its
#: connection file.
_KERNEL_SOCKET = re.compile(r"kernel-[0-9a-f]{32}-ipc-[0-9]+")


def _dead_build_dir(path: Path) -> bool:
    """True only when ``path`` is provably a build folder of a run that no longer exists: a real
    folder of this user named like :data:`BUILD_PREFIX`, with a valid owner file of this user
    naming this host, and whose process is gone (this machine rebooted since; or, the owner file
    naming this process's PID namespace, no process of that id or a process of that id that
    started at another time, the id having been reused). A process of another PID namespace (a
    container or sandbox sharing the temporary directory and the host name) cannot be looked
    up by its id: its folder stays."""
    if not _FD_DELETION or not _BUILD_NAME.fullmatch(path.name):
        return False
    try:
        fd = _open_dir(path)
    except OSError:
        return False
    try:
        return _dead_build_fd(fd) or _abandoned_build_fd(fd)
    finally:
        os.close(fd)


def _abandoned_build_fd(fd: int) -> bool:
    """The folder open as ``fd`` is an abandoned build folder (:data:`_ABANDONED_AGE_S`): a
    folder of this user, without an owner file, holding only this user's regular
    ``kernel-*.json`` files and ``kernel-*-ipc-N`` sockets (or nothing), none of them nor the
    folder changed for a day."""
    uid = os.getuid() if hasattr(os, "getuid") else None
    old = time.time() - _ABANDONED_AGE_S
    try:
        info = os.fstat(fd)
        names = os.listdir(fd)
    except OSError:
        return False
    if (uid is not None and info.st_uid != uid) or info.st_mtime > old:
        return False
    for name in names:
        socket_file = bool(_KERNEL_SOCKET.fullmatch(name))
        if not (socket_file or _KERNEL_FILE.fullmatch(name)):
            return False  # the owner file, or anything a run or a person put there: kept
        try:
            entry = os.stat(name, dir_fd=fd, follow_symlinks=False)
        except OSError:
            return False
        kind = stat.S_ISSOCK if socket_file else stat.S_ISREG
        if not kind(entry.st_mode) or entry.st_mtime > old:
            return False
        if uid is not None and entry.st_uid != uid:
            return False
    return True


def _dead_build_fd(fd: int) -> bool:
    """:func:`_dead_build_dir` of the folder open as ``fd`` (its owner file read through it)."""

    uid = os.getuid() if hasattr(os, "getuid") else None
    try:
        if uid is not None and os.fstat(fd).st_uid != uid:
            return False
        marker = os.stat(BUILD_MARKER_NAME, dir_fd=fd, follow_symlinks=False)
    except OSError:
        return False
    if not stat.S_ISREG(marker.st_mode) or (uid is not None and marker.st_uid != uid):
        return False
    text = _read_file_at(fd, BUILD_MARKER_NAME, 4096)
    if text is None:
        return False
    try:
        owner = json.loads(text)
    except ValueError:
        return False
    if not isinstance(owner, dict) or owner.get("format") != _BUILD_MARKER_FORMAT:
        return False
    pid, started, boot = owner.get("pid"), owner.get("started"), owner.get("boot_id")
    if owner.get("version") != 1 or owner.get("host") != socket.gethostname():
        return False
    if not isinstance(pid, int) or isinstance(pid, bool) or pid <= 0:
        return False
    if isinstance(boot, str) and boot and _boot_id() not in (None, boot):
        return True  # created before this machine's last boot
    if owner.get("pid_ns") != _pid_namespace():
        return False  # its id names another process here, or none: nothing is proved
    if not _pid_alive(pid):
        return True
    # a process of that id runs (this one, maybe): a dead run's only if it started at another
    # time, its id since reused (in a container, a restarted process often has the same id)
    now = _process_start(pid)
    return isinstance(started, int) and now is not None and now != started


def _remove_build_dir(path: Path) -> bool:
    """Claim ``path`` (rename to ``NAME.stale``, so that two runs never both remove it and a
    new folder of the same name is never touched), then delete it, its owner file last (an
    abandoned folder, :func:`_abandoned_build_fd`, has none).

    The claimed folder is opened once without following a link and checked and emptied
    through that descriptor; it is removed by name only while the name is still that folder:
    a link swapped in for it (the temporary directory may lack the sticky bit) is never
    followed, and a folder swapped in is never removed."""
    if not _FD_DELETION:  # pragma: no cover - not POSIX
        return False
    name = path.name
    claimed = name if name.endswith(".stale") else name + ".stale"
    try:
        root_fd = os.open(path.parent, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return False
    try:
        if claimed != name:
            try:
                os.rename(name, claimed, src_dir_fd=root_fd, dst_dir_fd=root_fd)
            except OSError:
                return False
        try:
            fd = _open_dir(claimed, root_fd)
        except OSError:
            return False
        try:
            # checked again on the folder as opened
            dead = _dead_build_fd(fd)
            abandoned = not dead and _abandoned_build_fd(fd)
            if not (dead or abandoned):
                return False
            try:
                for entry in os.listdir(fd):
                    if entry == BUILD_MARKER_NAME:
                        continue
                    if _is_dir_at(fd, entry):
                        shutil.rmtree(entry, dir_fd=fd)
                    else:
                        os.unlink(entry, dir_fd=fd)
                if not abandoned:  # an abandoned folder has none
                    os.unlink(BUILD_MARKER_NAME, dir_fd=fd)
            except OSError:
                return False
            return _rmdir_if_same(root_fd, claimed, fd)
        finally:
            os.close(fd)
    finally:
        os.close(root_fd)


def _rmdir_if_same(parent_fd: int, name: str, fd: int) -> bool:
    """Remove the (now empty) folder ``name`` of ``parent_fd`` if it is still the folder open as
    ``fd`` (not one swapped in since); True when it was removed."""
    if not _same_entry(parent_fd, name, fd):
        return False
    try:
        os.rmdir(name, dir_fd=parent_fd)
    except OSError:
        return False
    return True


def _is_dir_at(fd: int, name: str) -> bool:
    """``name`` in the directory open as ``fd`` is a directory (a link to one is not)."""

    try:
        return stat.S_ISDIR(os.stat(name, dir_fd=fd, follow_symlinks=False).st_mode)
    except OSError:
        return False


def remove_stale_build_dirs(root: Path | str | None = None) -> list[Path]:
    """Remove the site-build folders of earlier runs that were killed outright (SIGKILL, power
    loss) before they could remove their own.

    A run builds its site in ``haic-report-build-XXXXXXXX`` under the temporary directory and
    writes there first an owner file (:data:`BUILD_MARKER_NAME`) with its process id, the
    process's start time, its PID namespace and the boot id. A folder is removed only when that
    file proves its run is dead: same user, same host, and the process is gone (the machine has
    rebooted since; or, in the same PID namespace, no process of that id, or one that started
    at another time). A folder of another PID namespace (a container sharing the temporary
    directory), a folder without the
    owner file (someone else's, or one whose run was killed in the instant between creating it
    and writing the file), a symbolic link, another user's folder and a live run's folder stay.
    One exception: a folder of this user without the owner file that holds nothing but this
    user's kernel connection files (``kernel-<32 hex digits>.json``, what a kernel still
    starting wrote after an interrupted run had removed its folder), none of them nor the folder
    changed for a day, is abandoned and removed (a live run writes its owner file the instant
    it makes its folder, and a day-old folder without one holds nothing a run still uses).

    Parameters
    ----------
    root : path-like, optional
        Where to look (default ``tempfile.gettempdir()``, where the runs create them).

    Returns
    -------
    list of pathlib.Path
        The folders removed (their names before removal).

    Examples
    --------
    A folder whose owner file names a process that does not exist, and one without it:

    >>> import json, socket, tempfile
    >>> tmp = tempfile.TemporaryDirectory()
    >>> dead = Path(tmp.name, "haic-report-build-abcd1234")
    >>> foreign = Path(tmp.name, "haic-report-build-zzzz9999")
    >>> dead.mkdir()
    >>> foreign.mkdir()
    >>> _ = (dead / BUILD_MARKER_NAME).write_text(json.dumps({"format": "haic-report-build",
    ...     "version": 1, "pid": 2**31 - 1, "host": socket.gethostname(),
    ...     "pid_ns": _pid_namespace()}))
    >>> [p.name for p in remove_stale_build_dirs(tmp.name)], dead.exists(), foreign.exists()
    (['haic-report-build-abcd1234'], False, True)

    A folder left with only a kernel's connection file, two days old, goes too:

    >>> import os, time
    >>> kernel = foreign / "kernel-0123456789abcdef0123456789abcdef.json"
    >>> _ = kernel.write_text("{}")
    >>> for p in (kernel, foreign):
    ...     os.utime(p, (time.time() - 2 * 86400,) * 2)
    >>> [p.name for p in remove_stale_build_dirs(tmp.name)], foreign.exists()
    (['haic-report-build-zzzz9999'], False)
    >>> tmp.cleanup()
    """
    root = Path(tempfile.gettempdir() if root is None else root)
    removed = []
    try:
        candidates = sorted(p for p in root.iterdir() if p.name.startswith(BUILD_PREFIX))
    except OSError:
        return removed
    for path in candidates:
        if _dead_build_dir(path) and _remove_build_dir(path):
            removed.append(path)
    return removed


#: What a refusal of an --out inside the book suggests instead.
_REPORT_PLACES = "use reports/<name> or a folder outside the book"


def check_output_dir(
    out,
    *,
    cohort: Path | None = None,
    chapters_dir: Path = None,
    force: bool = False,
) -> Path:
    """Resolve ``out`` and refuse, with one line, every place a report must not go.

    Refused: an empty or blank name, control characters, a name too long; ``/``, the home
    directory, the book's folder or one of its parents, the current directory or one of its
    parents (``--out .``: publishing renames the directory away), anything inside the book's
    folder other than a folder inside ``reports/`` (``tests/``, ``_build/``, ``.venv/`` …, and
    ``chapters/``, ``data/``, ``book/``, ``analysis/``, ``.git/``); an existing file, or a link
    to one (said as such, not by where it leads); a broken symbolic link, as ``out`` or on the
    way to it (the report was made where it pointed); system directories (``/proc`` …); a
    directory that holds the input cohort; a path under a file; a parent that is not writable;
    an existing directory that is not an unmodified report of this tool (even with
    ``force``); an existing report without ``force``.

    Parameters
    ----------
    out : path-like
        The report directory asked for (``--out``).
    cohort : pathlib.Path, optional
        The input cohort, which a report never replaces.
    chapters_dir : pathlib.Path, optional
        The chapters' directory (default :data:`CHAPTERS_DIR`).
    force : bool
        Accept an existing, unmodified report (to be replaced).

    Returns
    -------
    pathlib.Path
        The absolute, resolved output directory.

    Raises
    ------
    RunnerError
        One line saying why ``out`` is refused; nothing is created or deleted.

    Examples
    --------
    >>> import json, tempfile
    >>> try:
    ...     check_output_dir("/")
    ... except RunnerError as error:
    ...     print(error)
    --out /: is the root of the file system; choose a new directory
    >>> tmp = tempfile.TemporaryDirectory()
    >>> out = Path(tmp.name) / "report"
    >>> check_output_dir(out) == out.resolve()  # a new directory
    True

    An earlier report (its marker lists what it wrote) is replaced only with ``force``, and
    only while it holds nothing else:

    >>> out.mkdir()
    >>> _ = (out / "index.html").write_text("<html></html>")
    >>> _ = (out / MARKER_NAME).write_text(json.dumps(
    ...     {"format": "haic-report", "version": 1, "state": "complete", "files": ["index.html"]}))
    >>> try:
    ...     check_output_dir(out)
    ... except RunnerError as error:
    ...     print(str(error).split(": ", 1)[1])
    holds a report from an earlier run; --force replaces that report (only the files it lists in its marker), or choose a new directory
    >>> check_output_dir(out, force=True) == out.resolve()
    True
    >>> _ = (out / "my-notes.txt").write_text("mine")
    >>> try:
    ...     check_output_dir(out, force=True)
    ... except RunnerError as error:
    ...     print(str(error).split(": ", 1)[1])
    holds files this tool did not write ('my-notes.txt'); --force replaces only an unmodified report; choose a new directory
    >>> tmp.cleanup()
    """
    if out is None or not str(out).strip():
        raise RunnerError("--out is empty: give the report directory to create, e.g. reports/mine")
    text = str(out)
    if any(not ch.isprintable() for ch in text):
        raise RunnerError(f"--out '{_show(text)}': control characters in a directory name")
    if text.startswith("~"):
        # quoted, the shell did not expand it: a folder named "~" here, which a later rm -rf ~
        # meant for it would take the home directory with it
        raise RunnerError(
            f"--out {_show(text)}: starts with '~', which the shell did not expand (quoted?); "
            "give the path without quotes or in full"
        )
    try:
        path = Path(os.path.abspath(os.fsdecode(text))).resolve()
    except (OSError, RuntimeError, ValueError) as exc:
        why = unusable_path_reason(exc)
        raise RunnerError(f"--out {_show(text)}: not a usable path ({why})") from None
    shown = _show(text)
    if os.path.exists(text) and not os.path.isdir(text):
        # a file (or a link to one): said as such, not by where the link leads (a link to
        # data/cohort.csv is not "a report inside data/")
        is_cohort = cohort is not None and path == Path(cohort).resolve()
        if is_cohort and not os.path.islink(text):
            raise RunnerError(f"--out {shown}: is the input cohort file itself")
        what = "an existing file"
        if os.path.islink(text):
            target = path
            if _is_within(path, REPO_ROOT):
                target = path.relative_to(REPO_ROOT)
            what = f"an existing file (a link to {_show(target)}{', the input cohort' * is_cohort})"
        raise RunnerError(
            f"--out {shown}: is not a directory: {what}; give a new folder for the report"
        )
    # a link that leads nowhere, as --out or on the way to it: resolve() follows it and the
    # report was made where it pointed (a folder the user never named)
    asked = Path(os.path.normpath(os.fsdecode(text)))
    for place in (asked, *asked.parents):
        if os.path.islink(place) and not os.path.exists(place):
            where = "" if place == asked else f"{_show(place)} "
            raise RunnerError(
                f"--out {shown}: {where}is a broken symbolic link (or a loop of them); "
                "give a new folder for the report"
            )
    if path == Path(path.anchor):
        raise RunnerError(f"--out {shown}: is the root of the file system; choose a new directory")
    home = Path.home().resolve()
    if path == home or path in home.parents:
        raise RunnerError(
            f"--out {shown}: is your home directory or above it; choose a new directory"
        )
    for system in _SYSTEM_DIRS:
        if _is_within(path, Path(system)):
            raise RunnerError(
                f"--out {shown}: {system} is a system directory, not a place for a report"
            )
    if path == REPO_ROOT or path in REPO_ROOT.parents:
        raise RunnerError(f"--out {shown}: would replace a directory that holds the book")
    try:
        cwd = Path.cwd().resolve()
    except OSError:  # the current directory was deleted: nothing to protect
        cwd = None
    if cwd is not None and (path == cwd or path in cwd.parents):
        # publishing renames the directory away: the shell would be left in a deleted folder
        where = "is the current directory" if path == cwd else "holds the current directory"
        raise RunnerError(
            f"--out {shown}: {where}, which a report would replace; choose a new directory, "
            "e.g. reports/mine"
        )
    chapters_dir = Path(chapters_dir or CHAPTERS_DIR).resolve()
    if path in chapters_dir.parents:
        raise RunnerError(f"--out {shown}: would replace a directory that holds the chapters")
    for protected in (
        chapters_dir,
        DATA_DIR.resolve(),
        REPO_ROOT / "book",
        REPO_ROOT / "analysis",
        REPO_ROOT / ".git",
    ):
        if _is_within(path, protected):
            raise RunnerError(
                f"--out {shown}: reports are never written inside {protected.name}/; "
                f"{_REPORT_PLACES}"
            )
    reports = REPO_ROOT / "reports"
    # as written too (.venv/rep, where .venv is a link to another checkout's .venv)
    written = Path(os.path.normpath(os.path.abspath(os.fsdecode(text))))
    for place in (path, written):
        if not _is_within(place, REPO_ROOT) or (place != reports and _is_within(place, reports)):
            continue
        # the book's other folders (tests/, tools/, _build/ — the published site —, .venv/ …)
        # are no place for a report either: only reports/NAME (make report, make chapter)
        if place == reports:
            raise RunnerError(
                f"--out {shown}: is the book's reports/ folder itself; {_REPORT_PLACES}"
            )
        parts = place.relative_to(REPO_ROOT).parts or ("",)
        # "--out mine" typed in the book's folder: there is no mine/ folder to be inside of
        if len(parts) > 1:
            where = f"inside the book's {parts[0]}/ folder"
        elif os.path.lexists(place):
            where = f"the book's {parts[0]}/ folder"
        else:
            where = "a new folder at the top of the book's folder, beside chapters/ and data/"
        raise RunnerError(
            f"--out {shown}: is {where}; in the book, reports go only in reports/: {_REPORT_PLACES}"
        )
    if cohort is not None:
        cohort = Path(cohort).resolve()
        if path == cohort:
            raise RunnerError(f"--out {shown}: is the input cohort file itself")
        if path in cohort.parents:
            raise RunnerError(
                f"--out {shown}: holds the input cohort ({_show(cohort.name)}); a report is never "
                "written over its own input, choose a new directory"
            )
    if len(path.name.encode("utf-8", "surrogateescape")) > _MAX_NAME_BYTES:
        raise RunnerError(f"--out {shown}: directory name longer than {_MAX_NAME_BYTES} bytes")
    # the nearest existing ancestor must be a writable directory
    ancestor = path.parent
    while not ancestor.exists() and ancestor != ancestor.parent:
        ancestor = ancestor.parent
    if not ancestor.is_dir():
        raise RunnerError(f"--out {shown}: {_show(ancestor)} is a file, not a directory")
    if not os.access(ancestor, os.W_OK | os.X_OK):
        raise RunnerError(f"--out {shown}: {_show(ancestor)} is not writable")
    if path.exists() or path.is_symlink():
        problem = _replace_problem(path)
        if problem is not None:
            raise RunnerError(f"--out {shown}: {problem}; choose a new directory")
        if any(path.iterdir()) and not force:
            raise RunnerError(
                f"--out {shown}: holds a report from an earlier run; --force replaces that report "
                "(only the files it lists in its marker), or choose a new directory"
            )
    return path


class _Workspace:
    """The hidden sibling directory a run builds in, with a marker naming this process."""

    def __init__(self, out: Path):
        self.out = out
        self.created_parents: list[Path] = []
        missing = []
        parent = out.parent
        while not parent.exists():
            missing.append(parent)
            parent = parent.parent
        try:
            for folder in reversed(missing):
                folder.mkdir()
                self.created_parents.append(folder)
            self.dir = Path(
                tempfile.mkdtemp(
                    prefix=f".{out.name}{_PARTIAL_INFIX}{os.getpid()}-", dir=out.parent
                )
            )
        except OSError as exc:
            self._remove_parents()
            raise RunnerError(
                f"--out {_show(out)}: cannot create a directory there ({exc.strerror})"
            ) from None
        self.dir.chmod(0o755)  # mkdtemp makes it private; a report is an ordinary directory
        self.files: list[str] = []
        self.write_marker("partial")

    def write_marker(self, state: str, **extra) -> None:
        data = {
            "format": MARKER_FORMAT,
            "version": MARKER_VERSION,
            "state": state,
            "files": sorted(self.files),
            **extra,
        }
        if state != "complete":
            data["pid"] = os.getpid()
            data["host"] = socket.gethostname()
            data["pid_ns"] = _pid_namespace()  # a pid names a process only in its namespace
        tmp = self.dir / (MARKER_NAME + ".tmp")
        tmp.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        tmp.replace(self.dir / MARKER_NAME)

    def add(self, name: str) -> Path:
        """Record ``name`` in the marker before it is written; return its path."""
        if name not in self.files:
            self.files.append(name)
            self.write_marker("partial")
        return self.dir / name

    def add_many(self, names) -> None:
        """Record several names at once (one marker write)."""
        known = set(self.files)
        self.files.extend(n for n in names if n not in known)
        self.write_marker("partial")

    def _remove_parents(self) -> None:
        for folder in reversed(self.created_parents):
            try:
                folder.rmdir()
            except OSError:
                break
        self.created_parents = []

    def discard(self) -> None:
        """Delete the workspace (only what it wrote) and the parents this run created."""
        if getattr(self, "dir", None) is not None and self.dir.exists():
            if not _remove_owned(self.dir):
                shutil.rmtree(self.dir, ignore_errors=True)
        self._remove_parents()


#: The signals that stop a run with its cleanup: Ctrl-C, kill, and the terminal closing
#: (SIGHUP: an ssh session that drops; it left the partial folder and the build folder).
_STOP_SIGNALS = tuple(
    getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name)
)


class SignalStops:
    """What :func:`signals_raise` does with a signal: raise, or (``hold``: the report is being
    published or is in place) record it in ``held`` for the run to say once it is done.

    Examples
    --------
    >>> stops = SignalStops()
    >>> stops.hold, stops.held, stops.out
    (False, [], None)
    """

    def __init__(self):
        self.hold = False
        self.held: list[int] = []
        self.out: Path | None = None  # the report in place, for the command line to name


@contextlib.contextmanager
def signals_raise(stops: SignalStops | None = None):
    """SIGINT, SIGTERM and SIGHUP raise :class:`RunInterrupted` (main thread only), so cleanup
    runs; SIGHUP inherited as ignored (``nohup``) stays ignored. Once ``stops.hold`` is set a
    signal is only recorded (``stops.held``): a late one must not undo a published report.

    Examples
    --------
    >>> with signals_raise() as stops:  # a signal in here raises RunInterrupted
    ...     stops.hold = True  # from here on a signal is only recorded
    >>> stops.held
    []
    """
    stops = SignalStops() if stops is None else stops
    if threading.current_thread() is not threading.main_thread():
        yield stops
        return

    def handler(signum, frame):
        if stops.hold:
            stops.held.append(signum)
            return
        # the kernel client's pending asyncio tasks end with DeadKernelError once the kernel is
        # gone; asyncio would log them ("Task exception was never retrieved", a traceback) when
        # they are collected at exit, so its logger is silenced for the rest of this process
        logging.getLogger("asyncio").setLevel(logging.CRITICAL + 1)
        raise RunInterrupted(signum)

    previous = {}
    for signum in _STOP_SIGNALS:
        if signum == getattr(signal, "SIGHUP", None) and signal.getsignal(signum) is signal.SIG_IGN:
            # ignored when we started: `nohup` asked that the run survive the terminal closing.
            # (SIGINT stays ours even when inherited as ignored, as a background job of a
            # non-interactive shell has it: `kill -INT` still stops a run with its cleanup.)
            continue
        previous[signum] = signal.signal(signum, handler)
    try:
        yield stops
    finally:
        for signum, old in previous.items():
            signal.signal(signum, old)


@contextlib.contextmanager
def _signals_ignored():
    """Hold SIGINT/SIGTERM/SIGHUP off while cleaning up (a second Ctrl-C must not stop it)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {s: signal.signal(s, signal.SIG_IGN) for s in _STOP_SIGNALS}
    try:
        yield
    finally:
        for signum, old in previous.items():
            signal.signal(signum, old)


# --------------------------------------------------------------------------------------------
# Absolute paths: scrubbed from every report file, however spelled
# --------------------------------------------------------------------------------------------
def _char_spellings(ch: str) -> list[str]:
    """Ways a character can appear in JSON, Python, URLs and HTML (regex-escaped)."""
    code = ord(ch)
    forms = {ch}
    if code < 0x10000:
        for fmt in ("\\u{:04x}", "\\u{:04X}"):
            forms.add(fmt.format(code))
            forms.add("\\" + fmt.format(code))
    else:
        high, low = 0xD800 + ((code - 0x10000) >> 10), 0xDC00 + ((code - 0x10000) & 0x3FF)
        for fmt in ("\\u{:04x}\\u{:04x}", "\\u{:04X}\\u{:04X}"):
            forms.add(fmt.format(high, low))
            forms.add(fmt.format(high, low).replace("\\", "\\\\"))
        forms.add(f"\\U{code:08x}")
    if code < 0x100:
        forms.add(f"\\x{code:02x}")
        forms.add(f"\\\\x{code:02x}")
    utf8 = ch.encode("utf-8", "surrogateescape")
    if not (ch.isalnum() and code < 128) and ch not in "_.-~":
        forms.add("".join(f"%{b:02X}" for b in utf8))
        forms.add("".join(f"%{b:02x}" for b in utf8))
    forms.add(f"&#{code};")
    forms.add(f"&#x{code:x};")
    forms.add(f"&#x{code:X};")
    named = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#x27;"}
    if ch in named:
        forms.add(named[ch])
    if ch in "\\\"'/":
        forms.add("\\" + ch)
        forms.add("\\\\" + ch)
    if ch == "\\":
        forms.add("\\\\\\\\")
    return sorted((re.escape(f) for f in forms), key=len, reverse=True)


def _path_pattern(path: str) -> str:
    return "".join(
        "(?:" + "|".join(_char_spellings(ch)) + ")"
        if not (ch.isalnum() and ord(ch) < 128)
        else re.escape(ch)
        for ch in path
    )


class _PathScrubber:
    """Replace absolute paths (the cohort's folder, the report's, the book's, the home) in text.

    Each character may be spelled raw, JSON-escaped (``\\u00e9``, once or twice), Python-escaped
    (``\\xe9``), URL-encoded (``%C3%A9``) or as an HTML entity, so a path in a notebook's JSON,
    in papermill's injected source, in a link or in HTML is found whatever its spelling.
    """

    _SEP = "(?:/|\\\\/|\\\\\\\\/|%2[Ff]|&#47;|&#x2[Ff];)"

    def __init__(self, replacements: list[tuple[Path | str, str]]):
        rules = []
        seen = set()
        for path, token in replacements:
            text = str(path).rstrip("/")
            if len(text) < 2 or text in seen:
                continue
            seen.add(text)
            rules.append((len(text), text, token))
        rules.sort(reverse=True)  # the longest (most specific) first
        self._rules = []
        for _, text, token in rules:
            body = _path_pattern(text)
            with_sep = re.compile(body + self._SEP)
            alone = re.compile(body + r"(?![\w.%-])")
            self._rules.append((with_sep, alone, token))

    def __call__(self, text: str) -> str:
        for with_sep, alone, token in self._rules:
            text = with_sep.sub(token + "/" if token else "", text)
            text = alone.sub(token or ".", text)
        return text

    def leaks(self, text: str) -> bool:
        return any(alone.search(text) for _, alone, _ in self._rules)


# --------------------------------------------------------------------------------------------
# Execution
# --------------------------------------------------------------------------------------------
#: Longest Unix socket path used for a kernel's ``ipc`` transport (Linux allows 107 bytes,
#: macOS 103; a longer connection folder keeps TCP).
_IPC_PATH_MAX = 100


def _quiet_kernel_manager(connection_dir: Path | None = None, started: list | None = None):
    """An AsyncKernelManager whose kernel does not write on our stderr, and whose connection
    file is written in ``connection_dir`` (the run's private build folder).

    A kernel shares the terminal's stderr by default: it prints transport warnings on every
    start and, when a run is interrupted, a traceback from its closed sockets. Errors in cells
    still reach the report (they are outputs); a kernel that dies is reported by nbclient.

    Without a connection file named, jupyter_client writes one in the temporary directory
    (``TMPDIR``) and then sets the sticky bit on that directory: a run changed the mode of the
    user's ``TMPDIR`` (``drwxrwxrwx`` became ``drwxrwxrwt``) and left the kernel's key in a
    folder others may write to.

    With a connection folder on a POSIX system, the kernel listens on Unix sockets beside its
    connection file (ZeroMQ's ``ipc`` transport), not on TCP ports of the loopback interface:
    jupyter_client picks free TCP ports by opening and closing them, and another process could
    take one before the kernel did (a kernel started beside other kernels then died before
    replying: "Kernel died before replying to kernel_info", once in a test run beside the
    book's build). A folder whose socket paths would exceed :data:`_IPC_PATH_MAX` keeps TCP.

    ``started`` collects every manager that launched a kernel (:func:`_stop_kernels` ends them).
    """
    import subprocess
    import uuid

    from jupyter_client import AsyncKernelManager

    class QuietKernelManager(AsyncKernelManager):
        async def start_kernel(self, **kw):
            kw.setdefault("stderr", subprocess.DEVNULL)
            if connection_dir is not None and not self.connection_file:
                stem = str(connection_dir / f"kernel-{uuid.uuid4().hex}")
                self.connection_file = stem + ".json"
                if os.name == "posix" and len(stem) + len("-ipc-5") <= _IPC_PATH_MAX:
                    self.transport = "ipc"
                    self.ip = stem + "-ipc"
                    self.cache_ports = False
            if started is not None:
                started.append(self)
            return await AsyncKernelManager.start_kernel(self, **kw)

    return QuietKernelManager


#: Times a chapter's kernel is started when it dies before answering (no cell has run then).
_KERNEL_STARTS = 3

#: A code cell that has run this many seconds is named on the progress stream, and again every
#: :data:`_SLOW_CELL_EVERY` seconds while it runs: on a large cohort chapter 9's bootstrap and
#: null simulation run for tens of seconds (minutes with ``-p n_bootstrap=10000``), and nothing
#: else said what the run was doing (with ``--quiet`` nothing at all; papermill's bar stands
#: still at the cell).
_SLOW_CELL_AFTER = 15.0
_SLOW_CELL_EVERY = 60.0
_ROLE = re.compile(r"\{[^}]+\}`([^`<]*?)\s*(?:<[^>]*>)?`")


def _injected(cell) -> bool:
    return "injected-parameters" in cell.metadata.get("tags", [])


def _elapsed(seconds: float) -> str:
    """``"15 s"``, ``"2 min 05 s"``.

    >>> _elapsed(15.2), _elapsed(125.0)
    ('15 s', '2 min 05 s')
    """
    seconds = int(seconds)
    return f"{seconds} s" if seconds < 60 else f"{seconds // 60} min {seconds % 60:02d} s"


class _CellWatch:
    """nbclient hooks that name the code cell a chapter is running once it has run long.

    ``say`` gets one line per notice: the chapter (``prefix``), how long the cell has run, its
    number among the chapter's code cells, the chapter's section it is in and its first line,
    e.g. ``[5/5] 09-bias: still running after 15 s: cell 17 of 52, section "Many parameters,
    few events: optimism": design = bias.multivariable_design(cohort)``. Cells that finish
    sooner say nothing. :meth:`stop` ends the watch (at the chapter's end, whatever happened).

    Examples
    --------
    >>> import nbformat, time
    >>> nb = nbformat.v4.new_notebook(cells=[
    ...     nbformat.v4.new_markdown_cell("(sec)=\\n## Many {term}`parameters <Parameter>`"),
    ...     nbformat.v4.new_code_cell("x = slow()  # the long one"),
    ... ])
    >>> lines = []
    >>> watch = _CellWatch("[1/1] 09-bias", nb, lines.append, after=0.05)
    >>> for i, cell in enumerate(nb.cells):
    ...     watch.cell_start(cell, i)
    >>> watch.cell_execute(nb.cells[1], 1)
    >>> deadline = time.monotonic() + 10
    >>> while not lines and time.monotonic() < deadline:
    ...     time.sleep(0.01)
    >>> watch.stop()
    >>> print(lines[0])
    [1/1] 09-bias: still running after 0 s: cell 1 of 1, section "Many parameters": x = slow()  # the long one
    """

    def __init__(self, prefix: str, nb, say, *, after=None, every=None):
        self.prefix, self.say = prefix, say
        self.after = _SLOW_CELL_AFTER if after is None else after
        self.every = _SLOW_CELL_EVERY if every is None else every
        self.total = sum(
            1 for c in nb.cells if c.cell_type == "code" and c.source.strip() and not _injected(c)
        )
        self.section = ""
        self.number = 0
        self._lock = threading.Lock()
        self._timer: threading.Timer | None = None
        self._generation = 0

    def hooks(self) -> dict:
        """The keyword arguments that hand the hooks to papermill's (nbclient's) client."""
        return {
            "on_cell_start": self.cell_start,
            "on_cell_execute": self.cell_execute,
            "on_cell_executed": self.cell_done,
        }

    def cell_start(self, cell, cell_index, **_):
        """Any cell, in order: a markdown heading starts the section later cells are named in;
        a code cell is counted (papermill's injected parameters are not the chapter's)."""
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("#"):
                    self.section = _ROLE.sub(r"\1", line.lstrip("#").strip())
        elif cell.source.strip() and not _injected(cell):
            self.number += 1

    def cell_execute(self, cell, cell_index, **_):
        """A code cell starts running: watched."""
        self.cell_done()
        if _injected(cell):
            return
        first = next((ln.strip() for ln in cell.source.splitlines() if ln.strip()), "")
        where = f"cell {self.number} of {self.total}"
        if self.section:
            where += f', section "{self.section}"'
        what = f"{where}: {first[:77] + '...' if len(first) > 80 else first}"
        with self._lock:
            self._generation += 1
            self._schedule(self._generation, what, time.monotonic(), self.after)

    def cell_done(self, **_):
        """The running cell has finished (or failed): no notice for it."""
        with self._lock:
            self._generation += 1
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None

    stop = cell_done

    def _schedule(self, generation: int, what: str, started: float, delay: float) -> None:
        self._timer = threading.Timer(delay, self._notice, (generation, what, started))
        self._timer.daemon = True
        self._timer.start()

    def _notice(self, generation: int, what: str, started: float) -> None:
        with self._lock:
            if generation != self._generation:  # finished meanwhile
                return
            running = _elapsed(time.monotonic() - started)
            self.say(f"{self.prefix}: still running after {running}: {what}")
            self._schedule(generation, what, started, self.every)


def _died_starting(exc: BaseException) -> bool:
    """``exc`` is jupyter_client's report of a kernel that died, or never answered, as it started
    (before any cell ran).

    Examples
    --------
    >>> _died_starting(RuntimeError("Kernel died before replying to kernel_info"))
    True
    >>> _died_starting(RuntimeError("Kernel didn't respond in 120 seconds"))
    False
    """
    return isinstance(exc, RuntimeError) and str(exc).startswith(
        ("Kernel died before replying to kernel_info", "Kernel didn't respond to heartbeats")
    )


def _stop_kernels(managers) -> None:
    """Kill and wait for the kernel process of each manager that is still running. A Ctrl-C as a
    chapter's kernel was starting left it running past the run (nbclient shuts down only a
    kernel it has finished starting): it found its connection file gone with the build folder
    and wrote it again, making the folder again (``haic-report-build-*`` holding only
    ``kernel-*.json``; measured: 12 of 18 SIGINTs 0.2-0.5 s into a chapter, none of 7 since)."""
    for manager in managers:
        process = getattr(getattr(manager, "provisioner", None), "process", None)
        if process is None or process.poll() is not None:
            continue
        with contextlib.suppress(OSError):
            process.kill()
        with contextlib.suppress(Exception):
            process.wait(timeout=10)


def _notebook(md_path: Path):
    import jupytext

    nb = jupytext.read(md_path)
    nb.metadata["kernelspec"] = nb.metadata.get("kernelspec") or {
        "display_name": "Python 3",
        "language": "python",
        "name": "python3",
    }
    return nb


_ASSIGNED = re.compile(r"^([A-Za-z_]\w*)\s*=", re.MULTILINE)


#: (path, text) of a chapter -> the source of its ``parameters`` cell (None: it has none)
_PARAMETERS_SOURCE: dict[tuple[str, str], str | None] = {}


def _parameters_source(md_path: Path) -> str | None:
    """The source of a chapter's cell tagged ``parameters``, or None. The chapter is parsed
    once for a given text (jupytext, ~30 ms): a run's checks of ``-p`` read it several times
    (:func:`_check_parameter_names`, :func:`chapter_defaults`); an edited chapter is read
    anew."""
    key = (str(md_path), Path(md_path).read_text(encoding="utf-8"))
    if key not in _PARAMETERS_SOURCE:
        cells = _notebook(md_path).cells
        tagged = [c.source for c in cells if "parameters" in c.metadata.get("tags", [])]
        _PARAMETERS_SOURCE[key] = tagged[0] if tagged else None
    return _PARAMETERS_SOURCE[key]


def chapter_parameters(md_path: Path) -> list[str]:
    """Names assigned in a chapter's cell tagged ``parameters`` (what ``-p`` may set)."""
    source = _parameters_source(md_path)
    return [] if source is None else _ASSIGNED.findall(source)


def _chapters_having(name: str, chapters: list[Path]) -> list[str]:
    """The names of the chapters whose ``parameters`` cell assigns ``name``."""
    return [md.stem for md in chapters if name in chapter_parameters(md)]


def _listed(names: list[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def _check_parameter_names(
    parameters: dict, chapters: list[Path], every: list[Path] | None = None
) -> None:
    """Refuse a ``-p`` name that no selected chapter has (a typo would silently do nothing).

    ``every`` is all the chapters (``chapters`` a selection of them): a name that only chapters
    left out of the run have is refused naming them (the run gives each chapter only its own
    parameters, so it would change nothing)."""
    known = sorted({name for md in chapters for name in chapter_parameters(md)})
    unknown = sorted(set(parameters) - set(known))
    for name in unknown:
        left_out = [md for md in every or [] if md not in chapters]
        owners = _chapters_having(name, left_out)
        if any(isinstance(chapter_defaults(md).get(name), list | tuple) for md in left_out):
            # "add it to --chapters" led to the next refusal: -p sets no list
            raise RunnerError(
                f"-p {name}: a list parameter of {_listed(owners)}, not settable with -p (only "
                "single values); leave out this -p"
            )
        if owners:
            one = "it" if len(owners) == 1 else "one of them"
            raise RunnerError(
                f"-p {name}: a parameter of {_listed(owners)}, which --chapters does not "
                f"select; add {one} to --chapters or leave out this -p"
            )
    if unknown:
        # cohort_path is every chapter's, and given by --cohort: never offered as a -p; nor is
        # a list (landmarks, cutoffs), which -p refuses (only single values)
        lists = {
            name
            for md in chapters
            for name, value in chapter_defaults(md).items()
            if isinstance(value, list | tuple)
        }
        offered = [name for name in known if name != "cohort_path" and name not in lists]
        if offered:
            what = f"settable with -p: {', '.join(offered)}"
        elif lists & set(known):
            what = "the selected chapters take only lists, not settable with -p"
        else:
            what = "the selected chapters take none"
        raise RunnerError(f"-p {unknown[0]}: no selected chapter has this parameter ({what})")


#: Most simulations or bootstrap samples a ``-p`` may ask for (a few CPU-minutes each).
_MAX_REPLICATES = 100_000
#: What a ``-p`` value must satisfy beyond its type (the type is the chapter default's):
#: parameter -> (lower, lower inclusive, upper, upper inclusive, what it is). Values outside
#: made a chapter fail in a code cell (``at_risk_step_months=0``: ZeroDivisionError) instead
#: of a one-line refusal before anything runs.
PARAMETER_RANGES = {
    "at_risk_step_months": (0, False, None, False, "months between number-at-risk columns"),
    "confidence_level": (0, False, 1, False, "a fraction such as 0.95, not a percentage"),
    # counts are bounded too: n_bootstrap=1000000000 ran for weeks (about 3 ms a simulation,
    # 2 ms a bootstrap), cycles_shown=1000000000 filled the memory with the points to plot
    "n_simulations": (1, True, _MAX_REPLICATES, True, "a count"),
    "n_bootstrap": (1, True, _MAX_REPLICATES, True, "a count"),
    "seed": (0, True, None, False, "a random seed"),
    "cycles_shown": (1, True, 200, True, "a count of cycles"),
    "small_height_cm": (100, True, 250, True, "height in cm"),
    "large_height_cm": (100, True, 250, True, "height in cm"),
    "small_weight_kg": (25, True, 250, True, "weight in kg"),
    "large_weight_kg": (25, True, 250, True, "weight in kg"),
    "illustrative_tace_epirubicin_mg_m2": (0, True, 2000, True, "mg/m²"),
}
#: Text parameters with a fixed set of values.
PARAMETER_CHOICES = {"bsa_formula": ("mosteller", "dubois")}
#: List parameters (chapter 9's), which papermill's ``-y`` sets (``-p`` cannot; ``run`` refuses
#: a list): parameter -> (whole numbers only, lower bound, lower inclusive, what they are). An
#: item of the wrong kind failed deep in the chapter (``landmarks: [-1.0]``: "could not convert
#: string to float: '−1'"; ``cutoffs: []``: a KeyError). Each list holds 1 to 12 items
#: (``_MAX_LIST_ITEMS``), in increasing order (chapter 9 shows its middle landmark).
PARAMETER_LISTS = {
    "cutoffs": (True, 0, True, "prior TACE sessions"),
    "landmarks": (False, 0, False, "months after the start of HAIC"),
}
#: Most items a list parameter may hold (each landmark or cut-off is one more model fit).
_MAX_LIST_ITEMS = 12
#: Height and weight parameters (cm, kg) of one worked patient, checked together: the dose
#: sheet refuses a BMI outside :data:`analysis.clinical.BMI_RANGE_KG_M2` (a weight in pounds?).
_PARAMETER_BODY_PAIRS = (
    ("small_height_cm", "small_weight_kg"),
    ("large_height_cm", "large_weight_kg"),
)


def chapter_defaults(md_path: Path) -> dict:
    """The literal default of each parameter of a chapter's ``parameters`` cell.

    Examples
    --------
    >>> chapter_defaults(CHAPTERS_DIR / "05-response.md")
    {'cohort_path': None, 'confidence_level': 0.95}
    """
    source = _parameters_source(md_path)
    if source is None:
        return {}
    defaults = {}
    try:
        body = ast.parse(source).body
    except SyntaxError:  # a magic or a typo in the cell: no defaults to compare with
        return {}
    for node in body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target = node.targets[0]
            if isinstance(target, ast.Name):
                try:
                    defaults[target.id] = ast.literal_eval(node.value)
                except ValueError:
                    defaults[target.id] = None
    return defaults


def _kind(value) -> str:
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, int):
        return "a whole number"
    if isinstance(value, float):
        return "a number"
    if isinstance(value, str):
        return "text"
    return "a list (not settable with -p)" if isinstance(value, list | tuple) else "a value"


#: A number written as text ("7", "-0.9"): a -p value quoted, or given with papermill's -r.
_NUMBER_TEXT = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")


def check_parameter_values(parameters: dict, chapters: list[Path], *, flag: str = "-p") -> dict:
    """Check each ``-p`` value against the type of the chapter's default and the ranges above.

    A whole number given for a decimal default becomes a float (``-p small_height_cm=150``);
    anything else of the wrong type, outside :data:`PARAMETER_RANGES` or not in
    :data:`PARAMETER_CHOICES` is refused before anything runs. ``flag`` begins each message
    (``"-p"``, the option of ``run``; ``"parameter"`` inside a chapter, which cannot tell
    papermill's ``-p``, ``-r``, ``-y`` and ``-f`` apart).

    Returns
    -------
    dict
        The parameters, with whole numbers for decimal defaults as floats.

    Raises
    ------
    RunnerError
        One line naming the parameter, the value and what it must be.

    Examples
    --------
    >>> chapters = [CHAPTERS_DIR / "05-response.md", CHAPTERS_DIR / "06-survival.md"]
    >>> check_parameter_values({"confidence_level": 0.9, "at_risk_step_months": 3}, chapters)
    {'confidence_level': 0.9, 'at_risk_step_months': 3}
    >>> try:
    ...     check_parameter_values({"confidence_level": 95}, chapters)
    ... except RunnerError as error:
    ...     print(error)
    -p confidence_level=95: must be above 0 and below 1 (a fraction such as 0.95, not a percentage)
    >>> try:
    ...     check_parameter_values({"at_risk_step_months": "1,000"}, chapters)
    ... except RunnerError as error:
    ...     print(error)
    -p at_risk_step_months=1,000: type the number without commas (1000)
    """
    if not parameters:
        return {}
    defaults: dict = {}
    for md in chapters:
        for name, value in chapter_defaults(md).items():
            defaults.setdefault(name, value)
    checked = {}
    for name, value in parameters.items():
        shown = f"{flag} {name}={_show(value)}"
        default = defaults.get(name)
        if default is not None:
            if (
                isinstance(default, float)
                and isinstance(value, int)
                and not isinstance(value, bool)
            ):
                value = float(value)
            if isinstance(default, list | tuple) or type(value) is not type(default):
                written = yaml.safe_dump(default, default_flow_style=True).strip()
                written = written.removesuffix("...").strip()  # a scalar ends with "..."
                grouped = value.replace("_", ",") if isinstance(value, str) else ""
                typed = formatting.count_value(grouped) if "," in grouped else None
                if isinstance(default, int) and not isinstance(default, bool) and typed is not None:
                    # "100,000" as the parameter table prints a bound, or Python's "100_000":
                    # type it without separators
                    marks = "commas" if "," in value else "underscores"
                    raise RunnerError(f"{shown}: type the number without {marks} ({typed})")
                if (
                    isinstance(value, str)
                    and isinstance(default, int | float)
                    and not isinstance(default, bool)
                    and _NUMBER_TEXT.fullmatch(value.strip())
                ):
                    # "-p seed=7: must be a whole number" read as a contradiction: the 7 was
                    # text ("seed='7'", papermill's -r), which the message now says
                    raise RunnerError(
                        f"{flag} {name}='{_show(value)}': must be {_kind(default)}, not text (quotes, "
                        f"or papermill's -r, keep a value text): give it unquoted, -p {name} "
                        f"{_show(value.strip())}"
                    )
                raise RunnerError(f"{shown}: must be {_kind(default)} (the default is {written})")
        if isinstance(value, float) and not math.isfinite(value):
            raise RunnerError(f"{shown}: must be a finite number")
        if name in PARAMETER_CHOICES and value not in PARAMETER_CHOICES[name]:
            raise RunnerError(f"{shown}: must be {parameter_rule(name)}")
        if name in PARAMETER_RANGES and isinstance(value, int | float):
            low, low_in, high, high_in, _ = PARAMETER_RANGES[name]
            bad_low = low is not None and (value < low or (value == low and not low_in))
            bad_high = high is not None and (value > high or (value == high and not high_in))
            if bad_low or bad_high:
                raise RunnerError(f"{shown}: must be {parameter_rule(name)}")
        checked[name] = value
    _check_body_pairs(checked, defaults, flag)
    return checked


def check_chapter_parameters(chapter: str, namespace: dict) -> None:
    """Refuse, inside a chapter, a parameter value that ``run`` would refuse.

    A chapter executed directly (``papermill 06-survival.ipynb out.ipynb -p
    at_risk_step_months 0``) gets no ``run`` to check its parameters first: the value reached a
    code cell and failed there with NumPy's words ("Maximum allowed size exceeded"), or drew
    wrong numbers. Called from a chapter's preamble, after the parameters (and papermill's
    injected cell), with its namespace: each parameter whose value is not the chapter's default
    is checked as :func:`check_parameter_values` checks a ``-p`` value; ``cohort_path`` is left
    to :func:`analysis.cohort.load_cohort`. Lists (chapter 9's cut-offs and landmarks, which
    papermill's ``-y`` can set and ``-p`` cannot) are checked against :data:`PARAMETER_LISTS`.

    A name papermill injected (its cell ``# Parameters``, read from IPython's input history
    ``In``) that this chapter does not have is refused too, naming the chapters that have it
    when some do: papermill only warns ("Passed unknown parameter") and the chapter ran on its
    default, a misspelt ``cohort_pth`` on the book's synthetic cohort, and ``-p
    confidence_level 0.9`` given to chapter 4 unchanged. ``run`` gives each chapter only the
    ``-p`` it has (:func:`run_book`). The messages begin "parameter NAME", not ``run``'s "-p
    NAME": the chapter cannot tell which of papermill's ``-p``, ``-r``, ``-y`` or ``-f`` gave
    the value (a ``-y`` list was told "-p").

    On a user's cohort (a ``cohort_path`` other than the book's) it prints what the notebook
    is: the prose between its cells, MyST written for the synthetic cohort, is filled in and its
    notice replaced only when ``run`` builds the page, so a notebook executed with papermill
    itself said nowhere that it ran on another cohort. The cell is removed from the HTML page;
    the file name is not printed (the cohort is not yet loaded, nor its name checked).

    Parameters
    ----------
    chapter : str
        The chapter's name, e.g. ``"06-survival"`` (its source in :data:`CHAPTERS_DIR`).
    namespace : dict
        The chapter's variables (``globals()`` in the chapter).

    Raises
    ------
    RunnerError
        One line naming the parameter, the value and what it must be.

    Examples
    --------
    >>> check_chapter_parameters("06-survival", {"at_risk_step_months": 3})
    >>> try:
    ...     check_chapter_parameters("06-survival", {"at_risk_step_months": 0})
    ... except RunnerError as error:
    ...     print(error)
    parameter at_risk_step_months=0: must be above 0 (months between number-at-risk columns)
    >>> try:
    ...     check_chapter_parameters("09-bias", {"landmarks": [6.0, 1.0]})
    ... except RunnerError as error:
    ...     print(error)
    landmarks=[6.0, 1.0]: must be 1 to 12 numbers, each above 0 (months after the start of HAIC), in increasing order without repeats
    >>> history = ["", "cohort_path = None", "# Parameters\\ncohort_pth = 1\\n"]
    >>> try:
    ...     check_chapter_parameters("04-baseline", {"In": history, "cohort_pth": 1})
    ... except RunnerError as error:
    ...     print(error)
    parameter cohort_pth: no chapter has this parameter (04-baseline's: cohort_path); papermill only warns and runs on the default
    >>> history = ["", "cohort_path = None", "# Parameters\\nat_risk_step_months = 3\\n"]
    >>> try:
    ...     check_chapter_parameters("04-baseline", {"In": history, "at_risk_step_months": 3})
    ... except RunnerError as error:
    ...     print(error)
    parameter at_risk_step_months: a parameter of 06-survival, not of 04-baseline (04-baseline's: cohort_path); papermill only warns and runs the chapter unchanged
    >>> check_chapter_parameters("08-audit", {"cohort_path": "my-cohort.csv"})
    Executed with your cohort (cohort_path), not the book's synthetic one: this chapter reads
    only the paper's printed numbers, so its results are the same on every cohort.
    """
    md = CHAPTERS_DIR / f"{chapter}.md"
    defaults = chapter_defaults(md)
    # the other chapters are parsed (jupytext, about 2 CPU-s for all ten in a fresh kernel) only
    # when papermill injected a name this chapter does not have
    foreign = [
        name
        for name in _injected_names(namespace)
        if name not in defaults and name not in _PAPERMILL_NAMES
    ]
    others = [md for md in discover_chapters() if md.stem != chapter] if foreign else []
    for name in foreign:
        owners = _chapters_having(name, others)
        own = f"{chapter}'s: {', '.join(defaults) or 'none'}"
        if owners:
            raise RunnerError(
                f"parameter {_show(name)}: a parameter of {_listed(owners)}, not of {chapter} "
                f"({own}); papermill only warns and runs the chapter unchanged"
            )
        raise RunnerError(
            f"parameter {_show(name)}: no chapter has this parameter ({own}); papermill only warns "
            "and runs on the default"
        )
    for name, default in defaults.items():
        if isinstance(default, list | tuple) and name in namespace:
            if not _same(namespace[name], default):
                _check_list_parameter(name, namespace[name], default)
    given = {
        name: namespace[name]
        for name, default in defaults.items()
        if name != "cohort_path"
        and not isinstance(default, list | tuple)  # papermill may set lists; -p cannot
        and name in namespace
        and not _same(namespace[name], default)
    }
    check_parameter_values(given, [md], flag="parameter")
    cohort_path = namespace.get("cohort_path")
    if isinstance(cohort_path, str | os.PathLike) and is_user_cohort(path=cohort_path):
        print(_user_cohort_note(chapter))


def _user_cohort_note(chapter: str) -> str:
    """What a chapter executed on a user's cohort says first (:func:`check_chapter_parameters`):
    lines of at most 90 characters, the command that builds the page on a line of its own."""
    if chapter in CHAPTER_NEEDS and not CHAPTER_NEEDS[chapter]:
        return textwrap.fill(
            "Executed with your cohort (cohort_path), not the book's synthetic one: this chapter "
            "reads only the paper's printed numbers, so its results are the same on every cohort.",
            width=90,
        )
    text = textwrap.fill(
        "Executed on your cohort (cohort_path), not the book's synthetic one: what the cells "
        "below compute from the cohort is your data's, set beside the paper's numbers, never "
        "scored against them. The text between the cells was written for the synthetic cohort; "
        "its numbers are filled in, and its notices rewritten for your cohort, only on the page "
        "this command builds:",
        width=90,
    )
    return f"{text}\n  .venv/bin/python -m analysis run --cohort YOUR-FILE.csv --chapters {chapter}"


#: Names papermill itself injects beside the parameters given (``--inject-paths``,
#: ``--inject-input-path``, ``--inject-output-path``): no chapter's, and no misspelling.
_PAPERMILL_NAMES = ("PAPERMILL_INPUT_PATH", "PAPERMILL_OUTPUT_PATH")


def _injected_names(namespace: dict) -> list[str]:
    """The names papermill's injected cell (``# Parameters`` first) assigned, from the input
    history: ``In``, and the IPython shell's own record when ``namespace`` is the shell's
    (``-p In 0`` replaced ``In`` with 0, and another chapter's ``-p`` beside it passed)."""
    histories = [namespace.get("In")]
    shell = getattr(sys.modules.get("IPython"), "get_ipython", lambda: None)()
    if shell is not None and getattr(shell, "user_ns", None) is namespace:
        histories.append(getattr(shell.history_manager, "input_hist_raw", None))
    names: list[str] = []
    for history in histories:
        for source in history if isinstance(history, list) else []:
            if not isinstance(source, str) or not source.startswith("# Parameters\n"):
                continue
            try:
                body = ast.parse(source).body
            except SyntaxError:
                continue
            for node in body:
                if isinstance(node, ast.Assign):
                    names += [
                        t.id for t in node.targets if isinstance(t, ast.Name) and t.id not in names
                    ]
    return names


def _check_list_parameter(name: str, value, default) -> None:
    """Refuse a list parameter's value outside :data:`PARAMETER_LISTS` (one line)."""
    shown = f"{_show(name)}={_show(value)}"
    if not isinstance(value, list | tuple):
        example = yaml.safe_dump({name: list(default)}, default_flow_style=True).strip()
        raise RunnerError(
            f"{shown}: must be a list such as {list(default)} "
            f"(papermill: -y '{example.strip('{}')}')"
        )
    rule = parameter_rule(name)
    if name not in PARAMETER_LISTS:
        return
    whole, low, low_in, _ = PARAMETER_LISTS[name]
    kinds = (int,) if whole else (int, float)
    ok = 1 <= len(value) <= _MAX_LIST_ITEMS and all(
        isinstance(v, kinds)
        and not isinstance(v, bool)
        and math.isfinite(v)
        and (v >= low if low_in else v > low)
        for v in value
    )
    if not ok or any(b <= a for a, b in zip(value[:-1], value[1:], strict=True)):
        raise RunnerError(f"{shown}: must be {rule}")


def _same(value, default) -> bool:
    """``value`` is the chapter's default (of the same type: 1 is not True, 6.0 not 6)."""
    return type(value) is type(default) and value == default


def _check_body_pairs(checked: dict, defaults: dict, flag: str = "-p") -> None:
    """Refuse a worked patient whose height and weight (one given, the other the default)
    make a BMI the dose sheet refuses, before chapter 3 fails in a code cell."""
    low, high = BMI_RANGE_KG_M2
    for height_name, weight_name in _PARAMETER_BODY_PAIRS:
        given = [name for name in (height_name, weight_name) if name in checked]
        height = checked.get(height_name, defaults.get(height_name))
        weight = checked.get(weight_name, defaults.get(weight_name))
        if not given or not all(isinstance(v, int | float) for v in (height, weight)):
            continue
        bmi = weight / (height / 100) ** 2
        if not low <= bmi <= high:
            shown = " ".join(f"{flag} {name}={_show(checked[name])}" for name in given)
            raise RunnerError(
                f"{shown}: {height:g} cm and {weight:g} kg make a BMI of {bmi:.1f} "
                f"kg/m², outside {low:g}–{high:g} kg/m², which the dose sheet refuses "
                "(weight in kg, not pounds)"
            )


def _bound(x) -> str:
    """A bound of :data:`PARAMETER_RANGES` as text: ``,`` thousands separators (``100,000``),
    the decimals it has (``0.95``)."""
    decimals = len(repr(x).partition(".")[2]) if isinstance(x, float) else 0
    return formatting.number(x, decimals, thousands=True)


def parameter_rule(name: str) -> str | None:
    """What a ``-p`` value of ``name`` must be beyond its type, as a refusal says it.

    From :data:`PARAMETER_RANGES`, :data:`PARAMETER_CHOICES` and :data:`PARAMETER_LISTS`; None
    for a parameter checked by its type only (the type of the chapter's default,
    :func:`check_parameter_values`).

    Examples
    --------
    >>> parameter_rule("confidence_level")
    'above 0 and below 1 (a fraction such as 0.95, not a percentage)'
    >>> parameter_rule("bsa_formula"), parameter_rule("cohort_path")
    ('one of mosteller, dubois', None)
    >>> parameter_rule("cutoffs")  # a list: papermill's -y sets it, -p cannot
    '1 to 12 whole numbers, each at least 0 (prior TACE sessions), in increasing order without repeats'
    """
    if name in PARAMETER_CHOICES:
        return f"one of {', '.join(PARAMETER_CHOICES[name])}"
    if name in PARAMETER_LISTS:
        whole, low, low_in, what = PARAMETER_LISTS[name]
        items = "whole numbers" if whole else "numbers"
        bound = f"{'at least' if low_in else 'above'} {_bound(low)}"
        return (
            f"1 to {_MAX_LIST_ITEMS} {items}, each {bound} ({what}), "
            "in increasing order without repeats"
        )
    if name not in PARAMETER_RANGES:
        return None
    low, low_in, high, high_in, what = PARAMETER_RANGES[name]
    parts = []
    if low is not None:
        parts.append(f"{'at least' if low_in else 'above'} {_bound(low)}")
    if high is not None:
        parts.append(f"{'at most' if high_in else 'below'} {_bound(high)}")
    return f"{' and '.join(parts)} ({what})"


def parameter_table(chapters: list[Path] | None = None):
    """Every ``-p`` parameter of ``chapters`` (default: all), where it is and what it accepts.

    Returns
    -------
    pandas.DataFrame
        ``parameter``, ``chapters`` (their numbers), ``default`` (as the chapter writes it) and
        ``accepted`` (the type of the default, and :func:`parameter_rule`), sorted by name;
        ``cohort_path`` is left out (``--cohort`` sets it).

    Examples
    --------
    >>> table = parameter_table([CHAPTERS_DIR / "05-response.md"])
    >>> table.iloc[0].tolist()
    ['confidence_level', '05', '0.95', 'a number: above 0 and below 1 (a fraction such as 0.95, not a percentage)']
    """
    chapters = discover_chapters() if chapters is None else chapters
    where: dict[str, list[str]] = {}
    defaults: dict = {}
    for md in chapters:
        for name, value in chapter_defaults(md).items():
            if name != "cohort_path":
                where.setdefault(name, []).append(md.stem.split("-", 1)[0])
                defaults.setdefault(name, value)
    rows = []
    for name in sorted(where):
        default = defaults[name]
        written = yaml.safe_dump(default, default_flow_style=True).strip().removesuffix("...")
        rule = parameter_rule(name)
        kind = _kind(default)
        rows.append(
            {
                "parameter": name,
                "chapters": ", ".join(where[name]),
                "default": written.strip(),
                "accepted": f"{kind}: {rule}" if rule else kind,
            }
        )
    return pd.DataFrame(rows, columns=["parameter", "chapters", "default", "accepted"])


_TIMING_KEYS = ("start_time", "end_time", "duration")


def _scrub(nb, chapter: Path, params: dict) -> None:
    """Remove what changes from run to run (timings, random cell ids, temporary paths) and the
    cohort's absolute path (it can name a user's home or institution): reports show its file
    name only."""
    meta = nb.metadata.get("papermill", {})
    for key in _TIMING_KEYS:
        meta.pop(key, None)
    cohort = params.get("cohort_path")
    if cohort:
        name = Path(str(cohort)).name
        if isinstance(meta.get("parameters"), dict) and "cohort_path" in meta["parameters"]:
            meta["parameters"]["cohort_path"] = name
        for cell in nb.cells:
            if "injected-parameters" in cell.metadata.get("tags", []):
                cell.source = cell.source.replace(repr(str(cohort)), repr(name)).replace(
                    f'"{cohort}"', f'"{name}"'
                )
    meta["input_path"] = f"chapters/{chapter.name}"
    meta["output_path"] = f"{chapter.stem}.ipynb"
    numbered_cells(nb)  # jupytext and papermill make random ids
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        pm = cell.metadata.get("papermill")
        if pm is not None:
            for key in _TIMING_KEYS:
                pm.pop(key, None)


_LABEL_LINE = re.compile(r"^\(([^()\s]+)\)=\s*$")
_HEADING_LINE = re.compile(r"^#{1,6}\s+(.*?)\s*$")
_CODE_FENCE = re.compile(r"^(`{3,}|~{3,})")
#: A directive whose ``:name:`` Sphinx numbers (``numfig``): its kind, "Table" or "Fig.".
_NUMBERED_DIRECTIVE = re.compile(r"^(?:`{3,}|:{3,})\{(table|list-table|figure|glue:figure)\}")
_NAME_OPTION = re.compile(r"^:name:\s*(\S+)\s*$")
_NUMBERED_KIND = {"table": "Table", "list-table": "Table", "figure": "Fig.", "glue:figure": "Fig."}


def _chapter_labels(md_path: Path) -> dict[str, list[str]]:
    """The labels of a chapter's ``.md``: label -> [heading, chapter title].

    A ``(label)=`` target: ``heading`` is the heading the label stands before (``""`` when
    the next line that is not blank is not a heading); the chapter's own label stands before
    its title. A table's or figure's ``:name:``: ``heading`` is the number the book gives it,
    "Table 7.5" or "Fig. 6.1" (Sphinx's ``numfig`` numbers them in their order in the
    chapter, after the chapter's number, the ``NN-`` of its file name; a file without one
    gives "a table", "a figure"). Labels are lower case, as Sphinx stores them. Code fences
    (code cells) are skipped: a ``# comment`` there is not a heading.

    Examples
    --------
    >>> _chapter_labels(CHAPTERS_DIR / "02-eligibility.md")["ch-eligibility"]
    ['Eligibility and staging', 'Eligibility and staging']
    >>> _chapter_labels(CHAPTERS_DIR / "07-cox.md")["tbl-cox-table2-implied"]
    ['Table 7.5', 'Cox regression: Table 2']
    """
    title = ""
    found: dict[str, str] = {}
    waiting: list[str] = []
    fence = None
    chapter = md_path.name[:2]
    counts = {"Table": 0, "Fig.": 0}
    lines = md_path.read_text(encoding="utf-8").splitlines()
    if lines and lines[0].strip() == "---":  # the jupytext front matter
        end = next((i for i, ln in enumerate(lines[1:], 1) if ln.strip() == "---"), 0)
        lines = lines[end + 1 :]
    for index, line in enumerate(lines):
        numbered = _NUMBERED_DIRECTIVE.match(line) if fence is None else None
        if numbered:  # its options follow it, one a line: ':name: tbl-x'
            for option in lines[index + 1 :]:
                if not option.startswith(":") or option.startswith(":::"):
                    break
                name = _NAME_OPTION.match(option)
                if name:
                    kind = _NUMBERED_KIND[numbered.group(1)]
                    counts[kind] += 1
                    found[name.group(1).lower()] = (
                        f"{kind} {int(chapter)}.{counts[kind]}"
                        if chapter.isdigit()
                        else {"Table": "a table", "Fig.": "a figure"}[kind]
                    )
                    break
        opening = _CODE_FENCE.match(line)
        if fence is not None:
            if opening and opening.group(1)[0] == fence[0] and len(opening.group(1)) >= len(fence):
                if not line.strip().lstrip(fence[0]):
                    fence = None
            continue
        if opening:
            fence = opening.group(1)
            continue
        label = _LABEL_LINE.match(line)
        heading = _HEADING_LINE.match(line)
        if label:
            waiting.append(label.group(1).lower())
        elif heading:
            text = heading.group(1)
            if not title and line.startswith("# "):
                title = text
            found.update(dict.fromkeys(waiting, text))
            waiting = []
        elif line.strip():
            found.update(dict.fromkeys(waiting, ""))
            waiting = []
    found.update(dict.fromkeys(waiting, ""))
    return {label: [heading, title] for label, heading in found.items()}


def _omitted_labels(selected, chapters_dir: Path | str = CHAPTERS_DIR) -> dict[str, list[str]]:
    """The labels of the chapters a report leaves out: label -> [heading, chapter title].

    The chapters are those of ``chapters_dir`` and the book's (:data:`CHAPTERS_DIR`: the
    glossary and the synthetic-data notice a report copies link to them); a label that one
    of the ``selected`` chapters defines is not left out. The report's site build turns each
    ``{ref}`` to a label left out into text naming the chapter (``book/_ext/book_site.py``),
    so a report of some chapters has no broken reference.

    Examples
    --------
    >>> labels = _omitted_labels(discover_chapters(selection="04"))
    >>> labels["ch-eligibility"], "ch-baseline" in labels
    (['Eligibility and staging', 'Eligibility and staging'], False)
    """
    kept = {label for path in selected for label in _chapter_labels(Path(path))}
    omitted: dict[str, list[str]] = {}
    for folder in dict.fromkeys([Path(chapters_dir), CHAPTERS_DIR]):
        for path in sorted(folder.glob(_CHAPTER_GLOB)):
            for label, entry in _chapter_labels(path).items():
                if label not in kept:
                    omitted.setdefault(label, entry)
    return omitted


_MD_PUNCT = re.compile(r"[!-/:-@\[-`{-~]")
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
_BUILD_PROBLEM = re.compile(r"(WARNING|ERROR|CRITICAL|SEVERE):")

#: Reference pages of the book that a report keeps (the chapters link to their entries).
REPORT_REFERENCE_PAGES = ("book/glossary", "book/bibliography")
#: Text files of the built site that are scrubbed of absolute paths (``_static/`` is copied
#: verbatim from the book and the theme and holds none).
_SCRUBBED_SUFFIXES = (
    ".html",
    ".ipynb",
    ".js",
    ".json",
    ".txt",
    ".md",
    ".xml",
    ".svg",
    ".csv",
    ".tsv",
    ".py",
)
#: How long the site build may take (a full book builds in well under a minute).
SITE_BUILD_TIMEOUT_S = 900


def _md_text(text: str) -> str:
    """``text`` as literal MyST/CommonMark text: every ASCII punctuation mark backslash-escaped,
    so markup in a file name (``<script>``, backticks, ``{cite}``) is shown, never interpreted."""
    return _MD_PUNCT.sub(r"\\\g<0>", text)


#: The report's first page when the cohort's survival times read as years
#: (:func:`analysis.cohort.times_read_as_years`): the note ``run`` prints on the terminal, where
#: whoever opens the report never sees it; without the cohort's own values.
_YEARS_CAUTION = """\
```{admonition} Check the unit of the times
:class: warning
Every overall survival time of this cohort is at most 10 and their median is below 2: they read
as years, not months. Every time column is in months from the start of HAIC, and the chapters
read them so; if they are years, multiply them by 12 and run the report again.
```
"""


#: The report's first page when a time column looks like weeks or days (the validator's
#: ``time-unit`` warning, :func:`analysis.cohort.time_unit_signs`): named by column, without
#: the cohort's values. ``{columns}`` is filled in.
_WEEKS_CAUTION = """\
```{{admonition}} Check the unit of the times
:class: warning
The times in {columns} look long for months in advanced HCC (a median above
{median_years} years, or several above {long_years} years): they may be weeks or days. Every
time column is read as months from the start of HAIC; if they are weeks, divide them by
{weeks:.3f}, if days by {days}, and run the report again.
```
"""


def _report_index_md(
    out_name: str,
    cohort_file: str,
    digest: str,
    params: dict,
    names,
    *,
    years: bool = False,
    long_times: tuple[str, ...] = (),
) -> str:
    shown = {k: v for k, v in params.items() if k != "cohort_path"}
    lines = [
        f"# Report {_md_text(out_name)}",
        "",
        "The chapters of the executable book reproducing {cite:t}`hien2024` (HAIC for",
        "TACE-refractory HCC), re-executed on the cohort "
        f"**{_md_text(cohort_file)}** (SHA-256 {digest[:16]}…) with `python -m analysis run`.",
        "",
    ]
    if years:
        lines += [_YEARS_CAUTION]
    if long_times:
        lines += [
            _WEEKS_CAUTION.format(
                columns=" and ".join(f"`{c}`" for c in long_times),  # the schema's names
                median_years=TIME_MEDIAN_MAX // 12,
                long_years=TIME_LONG_MONTHS // 12,
                weeks=WEEKS_PER_MONTH,
                days=DAYS_PER_MONTH,
            )
        ]
    if shown:
        text = ", ".join(f"{k}={v!r}" for k, v in shown.items())
        lines += [f"Parameters of this run: {_md_text(text)}.", ""]
    lines += [
        "Each chapter below is built from its executed notebook, which sits beside this page "
        "for download:",
        "",
    ]
    lines += [
        f'- {{doc}}`chapters/{n}` (<a href="{html.escape(n)}.ipynb">notebook</a>)' for n in names
    ]
    lines += [
        "",
        "Read each chapter's notes on what it skips when a column is missing. Numbers from",
        "your cohort are labelled as yours and never scored against the paper's.",
        "",
    ]
    return "\n".join(lines)


_USER_BANNER = (
    "A report on your cohort: patient-level results come from your data, not from the "
    "book's synthetic cohort. Keep it local."
)

_USER_NOTICE = """\
```{admonition} Your cohort
:class: warning synthetic-notice user-cohort
This chapter was executed on the cohort named on the report's first page, not on the book's
synthetic cohort. Numbers and figures are computed on those data; comparisons with the paper
are shown, never scored.
```
"""

#: Chapter 8's notice (``book/snippets/audit-notice.md``) in a report on a user's cohort: the
#: book's says the other chapters computed on a synthetic cohort, not true of such a report.
_USER_AUDIT_NOTICE = """\
```{admonition} No patient data on this page
:class: note synthetic-notice no-patient-data
This chapter checks the numbers printed by {cite:t}`hien2024` against one another and against
clinical rules. It uses no patient-level data: every check reads only the printed numbers
(`data/published/`), so its results are the same whatever cohort the book runs on. The other
chapters of this report compute their patient-level results on your cohort, the one named on
the report's first page, not on the book's synthetic cohort.
```
"""

#: The notices a report on a user's cohort writes over the book's (``book/snippets/``).
_USER_SNIPPETS = {"synthetic-notice.md": _USER_NOTICE, "audit-notice.md": _USER_AUDIT_NOTICE}


def _book_chapter_numbers(names) -> dict[str, int]:
    """Each chapter's number in the book, from its name's ``NN-`` prefix, by document name.

    The book numbers its chapters 1, 2, … in the order of their files (``_toc.yml`` lists
    ``chapters/01-data`` … ``chapters/10-your-cohort`` in order, in numbered parts whose numbers
    continue), so chapter ``06-survival`` is chapter 6. A report's site build renumbers its
    chapters so (``report_chapter_numbers``, ``book/_ext/book_site.py``); without it Sphinx
    numbers a report of chapters 6, 7 and 9 as 1, 2 and 3. When two chapters share a
    prefix (a ``--chapters-dir`` with ``06-a`` and ``06-b``) no number is theirs alone and
    the report keeps Sphinx's numbering ({}).

    Examples
    --------
    >>> _book_chapter_numbers(["06-survival", "07-cox", "09-bias"])
    {'chapters/06-survival': 6, 'chapters/07-cox': 7, 'chapters/09-bias': 9}
    >>> _book_chapter_numbers(["06-a", "06-b"])
    {}
    """
    numbers = {f"chapters/{name}": int(name[:2]) for name in names}
    return numbers if len(set(numbers.values())) == len(numbers) else {}


def _build_site(
    build_root: Path,
    notebooks: dict[str, Path],
    index_md: str,
    *,
    user_cohort: bool,
    log: TextIO,
    omitted: dict[str, list[str]] | None = None,
) -> tuple[Path, list[str]]:
    """Build the report's HTML with jupyter-book from a copy of the book tree.

    The copy holds ``_config.yml`` (execution off: papermill has executed the notebooks),
    ``book/`` (theme, extensions, bibliography, glossary), a ``_toc.yml`` with a generated root
    page, the executed chapters as ``chapters/NN-x.ipynb`` and the reference pages
    :data:`REPORT_REFERENCE_PAGES`. The chapters keep the book's numbers
    (:func:`_book_chapter_numbers`): chapter 6 is "6." and its figures and tables 6.x in a
    report of any chapters, as in the book. ``omitted`` (:func:`_omitted_labels`) names the
    labels of the chapters left out: each ``{ref}`` to one (the glossary's, the synthetic-data
    notice's, a chapter's to another) is built as text naming the chapter, not as a broken
    link (a ``{numref}`` to a table or figure of one: its number in the book and the chapter), so a report of some chapters builds without warnings as the whole book does. Strictness: the
    build runs with ``-n --keep-going`` but not ``-W``: a warning in a user's report does not
    discard the report; the warnings are returned (written to ``build-warnings.txt`` and
    counted in the summary). A build that fails raises :class:`_Failure`.

    Returns
    -------
    (pathlib.Path, list of str)
        The built ``html`` directory and the warning lines.
    """
    import subprocess

    shutil.copytree(REPO_ROOT / "book", build_root / "book", symlinks=False)
    config = yaml.safe_load((REPO_ROOT / "_config.yml").read_text(encoding="utf-8"))
    config["exclude_patterns"] = [
        p for p in config.get("exclude_patterns", []) if p != "chapters/*.ipynb"
    ]
    config.setdefault("execute", {})["execute_notebooks"] = "off"
    config["execute"].pop("cache", None)
    config["only_build_toc_files"] = True
    sphinx_config = config.setdefault("sphinx", {}).setdefault("config", {})
    sphinx_config["report_omitted_labels"] = dict(omitted or {})
    # chapter 6 stays 6 (its figures 6.x, its tables 6.x), whichever chapters the report has
    sphinx_config["report_chapter_numbers"] = _book_chapter_numbers(notebooks)
    if user_cohort:  # the book's banner and footer say "synthetic": not true of a user's report
        theme = config.get("sphinx", {}).get("config", {}).get("html_theme_options", {})
        if "announcement" in theme:
            theme["announcement"] = _USER_BANNER
        if "extra_footer" in theme:
            theme["extra_footer"] = f'<p class="book-footer">{_USER_BANNER}</p>'
        if "extra_footer" in config.get("html", {}):
            config["html"]["extra_footer"] = f"<p>{_USER_BANNER}</p>"
    (build_root / "_config.yml").write_text(
        yaml.safe_dump(config, sort_keys=False, allow_unicode=True), encoding="utf-8"
    )
    chapters = build_root / "chapters"
    chapters.mkdir()
    for name, notebook in notebooks.items():
        shutil.copyfile(notebook, chapters / f"{name}.ipynb")
    (build_root / "index.md").write_text(index_md, encoding="utf-8")
    if user_cohort:
        for snippet, text in _USER_SNIPPETS.items():
            (build_root / "book" / "snippets" / snippet).write_text(text, encoding="utf-8")
    toc = {
        "format": "jb-book",
        "root": "index",
        "parts": [
            {
                "caption": "Chapters",
                "numbered": True,
                "chapters": [{"file": f"chapters/{n}"} for n in notebooks],
            },
            {"caption": "Reference", "chapters": [{"file": f} for f in REPORT_REFERENCE_PAGES]},
        ],
    }
    (build_root / "_toc.yml").write_text(yaml.safe_dump(toc, sort_keys=False), encoding="utf-8")
    print("[site] jupyter-book build (execution off)", file=log, flush=True)
    command = [
        sys.executable,
        "-c",
        "import sys; from jupyter_book.cli.main import main; sys.exit(main())",
        "build",
        str(build_root),
        "-n",
        "--keep-going",
    ]
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    with subprocess.Popen(
        command,
        cwd=build_root,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
        errors="replace",
        env=env,
    ) as process:
        try:
            stdout, stderr = process.communicate(timeout=SITE_BUILD_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            # the time limit: a failed build like any other (one line, exit 1, the notebooks
            # kept in OUT.failed), not a TimeoutExpired traceback
            process.kill()
            with _signals_ignored():
                stdout, stderr = process.communicate()
            output = _ANSI.sub("", (stdout or "") + "\n" + (stderr or ""))
            raise _Failure(
                "jupyter-book build",
                0,
                None,
                f"it took longer than {SITE_BUILD_TIMEOUT_S:g} s and was stopped",
                log_text=output,
            ) from None
        except BaseException:
            # a signal (or the time limit): the build is stopped and waited for before its
            # folder is removed. subprocess.run killed it without waiting on a Ctrl-C, and the
            # dying build could write into the folder being removed (a haic-report-build-*
            # folder was left behind by a Ctrl-C during the site build)
            process.kill()
            with _signals_ignored():
                process.wait()
            raise
    output = _ANSI.sub("", stdout + "\n" + stderr)
    problems = [ln.strip() for ln in output.splitlines() if _BUILD_PROBLEM.search(ln)]
    html_dir = build_root / "_build" / "html"
    if process.returncode != 0 or not (html_dir / "index.html").is_file():
        raise _Failure(
            "jupyter-book build", 0, None, _build_error(output, problems), log_text=output
        )
    return html_dir, problems


_RULE = re.compile(r"^\s*={10,}\s*$")


def _build_error(output: str, problems: list[str]) -> str:
    r"""The line of a failed jupyter-book build that says what went wrong.

    The last ``WARNING:``/``ERROR:`` line if any; else the first line inside the last
    ``=====`` box jupyter-book prints its errors in; else the last line with a word in it
    (never a rule of ``=`` signs, which the box ends with).

    Examples
    --------
    >>> rule = "=" * 79
    >>> log = f"RuntimeError: \n{rule}\n\nThe TOC is malformed: x\n\n\tjupyter-book toc\n{rule}\n"
    >>> _build_error(log, [])
    'The TOC is malformed: x'
    >>> _build_error("a\nERROR: boom\n", ["ERROR: boom"])
    'ERROR: boom'
    """
    last = next((ln for ln in reversed(problems) if ln), None)
    if last:
        return last
    lines = output.splitlines()
    rules = [i for i, ln in enumerate(lines) if _RULE.match(ln)]
    if len(rules) >= 2:
        inside = lines[rules[-2] + 1 : rules[-1]]
        first = next((ln.strip() for ln in inside if any(c.isalnum() for c in ln)), None)
        if first:
            return first
    return next((ln.strip() for ln in reversed(lines) if any(c.isalnum() for c in ln)), "no output")


def _failing_cell(md_path: Path, nb, cell_index: int | None, source: str) -> tuple[int, int | None]:
    """(1-based code cell number in the .md, line of the .md where its code starts)."""
    number = 0
    # papermill's index is into the notebook before it inserted its error banner cells
    cells = [c for c in nb.cells if "papermill-error-cell-tag" not in c.metadata.get("tags", [])]
    if cell_index is not None:
        for i, cell in enumerate(cells[: cell_index + 1]):
            tags = cell.metadata.get("tags", [])
            if cell.cell_type == "code" and "injected-parameters" not in tags:
                number += 1
            if i == cell_index:
                break
    line = None
    first = next((ln for ln in (source or "").splitlines() if ln.strip()), None)
    if first is not None:
        for i, text in enumerate(md_path.read_text(encoding="utf-8").splitlines(), start=1):
            if text == first:
                line = i
                break
    return number, line


def run_book(
    cohort: Path | str,
    out: Path | str,
    *,
    parameters: dict | None = None,
    chapters=None,
    chapters_dir: Path | str = CHAPTERS_DIR,
    force: bool = False,
    progress: bool = True,
    kernel_name: str | None = None,
    log: TextIO | None = None,
) -> BookRun:
    """Validate ``cohort``, execute the chapters on it and publish ``out`` atomically.

    Parameters
    ----------
    cohort : path-like
        The cohort CSV (the book's own is ``analysis.COHORT_CSV``).
    out : path-like
        The report directory to create, e.g. ``reports/my-hospital``.
    parameters : dict, optional
        Extra chapter parameters (see :func:`parse_parameters`), each given only to the
        chapters whose ``parameters`` cell has it; a name that no selected chapter has is
        refused (naming the chapters left out of ``chapters`` that have it, if any).
        ``cohort_path`` is always set, for every chapter, to the cohort's absolute path.
    chapters : str or list of str, optional
        A selection for :func:`discover_chapters`; default every chapter.
    chapters_dir : path-like
        Where the chapters are (default ``chapters/`` of the repository); also the working
        directory of every chapter.
    force : bool
        Replace an existing report written by this tool (valid marker, nothing else in it).
    progress : bool
        Show papermill's per-chapter progress bar (tqdm, on stderr); without it, each chapter
        says when it ends on ``log`` (``[4/10] 04-baseline: done in 3.1 s``), after the line
        naming it as it starts.
    kernel_name : str, optional
        Jupyter kernel; default the chapters' own (``python3``).
    log : file-like, optional
        Where progress lines go (default ``sys.stderr``).

    Returns
    -------
    BookRun
        The report's directory, chapters and timings.

    Raises
    ------
    analysis.cohort.CohortError
        The cohort is invalid (nothing written).
    RunnerError
        Bad parameters, unknown chapters, or an output directory refused by
        :func:`check_output_dir` (nothing written or deleted).
    RunInterrupted
        SIGINT, SIGTERM or SIGHUP during the run (partial output removed).
    ChapterFailed
        A chapter raised; no report, partial output in ``<out>.failed``.

    Examples
    --------
    Executing chapters takes a Jupyter kernel and minutes, so this is not run as a doctest
    (``python -m analysis run --chapters 06-survival --out reports/r06`` does the same):

    >>> from analysis import COHORT_CSV
    >>> run = run_book(COHORT_CSV, "reports/r06", chapters="06")  # doctest: +SKIP
    >>> [c.name for c in run.chapters], run.index.name  # doctest: +SKIP
    (['06-survival'], 'index.html')
    """
    log = log or sys.stderr
    started = time.monotonic()
    chapters_dir = Path(chapters_dir).resolve()
    given = Path(os.fsdecode(cohort)).name  # as typed: /dev/stdin resolves to pts/0 or null
    cohort_typed = cohort
    try:
        cohort = Path(cohort).resolve()
        special = cohort.exists() and not cohort.is_file() and not cohort.is_dir()
    except (OSError, RuntimeError) as exc:  # a name too long, a loop of symbolic links
        # (the CLI named --out for the first; the second was a traceback)
        why = unusable_path_reason(exc)
        raise RunnerError(
            f"--cohort: not a usable path ({why}); nothing was run or written"
        ) from None
    # the cheap refusals first: nothing is read, created or deleted before they pass
    _check_names(cohort.name, Path(os.fsdecode(str(out))).name if out is not None else "")
    out = check_output_dir(out, cohort=cohort, chapters_dir=chapters_dir, force=force)
    if special:
        # a pipe or a device would block or never end: refuse it before reading a byte
        # a device as typed (/dev/null, not null); a file elsewhere by its name (masked when
        # that holds an identifier), as every message names the cohort
        typed = os.fsdecode(cohort_typed)
        system = typed.startswith(("/dev/", "/proc/"))
        shown = (
            (typed if system else given)
            if file_name_identifier(given) is None
            else mask_file_name(given)
        )
        raise RunnerError(f"--cohort {_show(shown)}: not a regular file (a pipe or device)")
    try:  # the site is built in a temporary folder: TMPDIR, else /tmp, /var/tmp, /usr/tmp, here
        tempfile.gettempdir()
    except OSError:  # none of them writable: this was "--out DIR: No usable temporary directory"
        raise RunnerError(
            "no usable temporary directory (TMPDIR, /tmp, /var/tmp, /usr/tmp and the current "
            "folder are not writable); set TMPDIR to a folder you can write; nothing was written"
        ) from None
    # the chapters and -p before the cohort: a misspelt name is refused at once, not after a
    # large cohort's validation (4 s for 100,000 rows)
    selected = discover_chapters(chapters_dir, chapters)
    if "cohort_path" in (parameters or {}):
        raise RunnerError("parameter cohort_path: give the cohort with --cohort instead")
    _check_parameter_names(parameters or {}, selected, discover_chapters(chapters_dir))
    parameters = check_parameter_values(parameters or {}, selected)
    # raises CohortError listing every problem, too few patients among them
    loaded = load_cohort(cohort, min_patients=MIN_PATIENTS)
    for note in loaded.attrs.get("notes", []):
        print(f"note: {_show(cohort.name)}: {note}", file=log)
    cohort_warnings = warning_lines(loaded.attrs.get("warnings", []))  # as validate prints them
    if cohort_warnings:  # under a verdict that counts them, as validate prints them
        print(
            f"OK: {_show(cohort.name)}: {formatting.count(len(loaded))} patients; "
            f"{_counted_warnings(cohort_warnings, '')}:",
            file=log,
        )
    for line in cohort_warnings:  # and again in the summary (a long run scrolls them away)
        print(line, file=log)
    years = times_read_as_years(loaded["os_months"])  # said on the report's first page too
    long_times = tuple(loaded.attrs["time_unit_columns"])  # as are times that look like weeks
    del loaded
    params = {"cohort_path": str(cohort), **parameters}
    digest = hashlib.sha256(cohort.read_bytes()).hexdigest()

    import nbformat  # after the refusals: a bad request answers before these slow imports
    import papermill
    from papermill.exceptions import PapermillExecutionError
    from tqdm import tqdm  # papermill's progress bars

    def say(line: str) -> None:  # a notice from a chapter's watch (_CellWatch), above the bar
        if progress:
            tqdm.write(line, file=log)
        else:
            print(line, file=log, flush=True)

    if out.parent.is_dir():
        remove_stale_partials(out.parent)
    remove_stale_build_dirs()
    failed_dir = out.with_name(out.name + ".failed")
    run = BookRun(out=out, cohort=cohort.name, cohort_warnings=cohort_warnings)
    earlier = out.is_dir()  # a report of this tool that --force replaces (check_output_dir)
    with signals_raise() as stops:
        work = _Workspace(out)
        build_root = None
        kernels: list = []  # every kernel started, ended before the build folder goes
        try:
            build_root = _make_build_dir()
            scrub = _PathScrubber(
                [
                    (build_root, ""),
                    (cohort.parent, ""),
                    (work.dir, "report-folder"),
                    (out, "report-folder"),
                    (chapters_dir, "chapters"),
                    (REPO_ROOT, "book-folder"),
                    (Path.home(), "~"),
                ]
            )
            for number, md_path in enumerate(selected, start=1):
                name = md_path.stem
                print(f"[{number}/{len(selected)}] {name}", file=log, flush=True)
                t0 = time.monotonic()
                nb_in = _notebook(md_path)
                target = work.add(f"{name}.ipynb")
                watch = _CellWatch(f"[{number}/{len(selected)}] {name}", nb_in, say)
                # only the -p this chapter has: another chapter's, injected, would make its
                # check_chapter_parameters refuse it (and papermill warn)
                own = set(chapter_parameters(md_path))
                chapter_params = {k: v for k, v in params.items() if k == "cohort_path" or k in own}
                try:
                    for attempt in range(1, _KERNEL_STARTS + 1):
                        try:
                            nb = papermill.execute_notebook(
                                nb_in,
                                str(target),
                                parameters=chapter_params,
                                cwd=str(chapters_dir),
                                progress_bar=progress,
                                log_output=False,
                                kernel_name=kernel_name or nb_in.metadata["kernelspec"].get("name"),
                                start_timeout=120,
                                kernel_manager_class=_quiet_kernel_manager(build_root, kernels),
                                # written once, when the chapter ends or fails (papermill saves
                                # it in either case), not after every cell: re-serialising a
                                # chapter's figures after each cell took ~0.5 CPU-s a chapter;
                                # the notebook is the same
                                request_save_on_cell_execute=False,
                                **watch.hooks(),
                            )
                            break
                        except RuntimeError as exc:
                            # a kernel that died as it started ran no cell: started again
                            if attempt == _KERNEL_STARTS or not _died_starting(exc):
                                raise
                except PapermillExecutionError as exc:
                    executed = nbformat.read(target, as_version=4)
                    cell, line = _failing_cell(md_path, executed, exc.cell_index, exc.source)
                    _scrub_file(target, scrub)
                    raise _Failure(name, cell, line, f"{exc.ename}: {exc.evalue}") from None
                finally:
                    watch.stop()
                _scrub(nb, md_path, chapter_params)
                _scrub_strings(nb, scrub)
                nbformat.write(nb, target)
                _scrub_file(target, scrub)
                seconds = time.monotonic() - t0
                run.chapters.append(
                    ChapterRun(name, f"{name}.ipynb", f"chapters/{name}.html", seconds)
                )
                if not progress:  # a log without bars shows each chapter's end too
                    print(
                        f"[{number}/{len(selected)}] {name}: done in {seconds:.1f} s",
                        file=log,
                        flush=True,
                    )
            try:
                again = hashlib.sha256(cohort.read_bytes()).hexdigest()
            except OSError:  # moved or deleted since: no longer the file the report would name
                again = None
            if again != digest:
                # saved again while the chapters ran (a spreadsheet still open on it): the report
                # recorded the digest of the file validated and held the numbers of the other
                raise RunnerError(
                    f"--cohort {_show(cohort.name)} changed while the chapters ran; nothing was "
                    "written: run again once the file is saved and closed"
                )
            index_md = _report_index_md(
                out.name,
                cohort.name,
                digest,
                params,
                [c.name for c in run.chapters],
                years=years,
                long_times=long_times,
            )
            try:
                html_dir, problems = _build_site(
                    build_root,
                    {c.name: work.dir / c.notebook for c in run.chapters},
                    index_md,
                    user_cohort=cohort != COHORT_CSV.resolve(),
                    log=log,
                    omitted=_omitted_labels(selected, chapters_dir),
                )
            except OSError as exc:  # shutil.Error too: the temporary folder, not --out, is full
                raise RunnerError(
                    "the report's site could not be built in the temporary folder "
                    f"{_show(build_root.parent)} ({_os_reason(exc)}): free space there or set "
                    "TMPDIR to another folder; nothing was written"
                ) from None
            _copy_site(html_dir, work, scrub)
            run.warnings = [scrub(line) for line in problems]
            if run.warnings:
                work.add("build-warnings.txt").write_text(
                    "\n".join(run.warnings) + "\n", encoding="utf-8"
                )
            manifest = {
                "cohort": cohort.name,
                "cohort_sha256": digest,
                "parameters": {k: v for k, v in params.items() if k != "cohort_path"},
                "chapters": [c.name for c in run.chapters],
            }
            work.add("report.json").write_text(
                scrub(json.dumps(manifest, indent=2, sort_keys=True) + "\n"), encoding="utf-8"
            )
            work.write_marker(
                "complete", chapters=manifest["chapters"], sha256=_digests(work.dir, work.files)
            )
            # the swap is not interrupted: a signal between its two renames would leave neither
            # the old report nor the new one in place; from here a signal is recorded, and said
            # (exit 128 + signal) once the report is in place, not taken as "nothing written"
            stops.hold = True
            _publish(work.dir, out, force=force)
            work.created_parents = []
        except _Failure as failure:
            with _signals_ignored():
                failed = _keep_failed(work, failed_dir, failure, scrub)
            kind = SiteBuildFailed if failure.log_text is not None else ChapterFailed
            raise kind(failure.chapter, failure.cell, failure.line, failure.error, failed) from None
        except RunInterrupted as stop:
            with _signals_ignored():
                work.discard()
            if stop.written is None and stop.kept is None and earlier:
                # --force on a report: the new one was being made beside it, never in it
                raise RunInterrupted(stop.signum, kept=out) from None
            raise
        except BaseException:
            with _signals_ignored():
                work.discard()
            raise
        finally:
            with contextlib.nullcontext() if stops.hold else _signals_ignored():
                _stop_kernels(kernels)
                if build_root is not None:
                    shutil.rmtree(build_root, ignore_errors=True)
        run.kept_failed = _clear_failed(out)
        run.seconds = time.monotonic() - started
    if stops.held:
        raise RunInterrupted(stops.held[0], written=out)
    return run


def _check_names(cohort_name: str, out_name: str) -> None:
    """Refuse a cohort file or report folder whose name holds a direct identifier
    (:func:`analysis.privacy.file_name_identifier`): a report shows both names on its first page
    and in ``report.json``. The message masks the name."""
    for option, name, example in (
        ("--cohort", cohort_name, "my_cohort.csv"),
        ("--out", out_name, "reports/mine"),
    ):
        kind = file_name_identifier(name) if name else None
        if kind is not None:
            raise RunnerError(
                f"{option} {_show(mask_file_name(name))}: the name holds {describe(kind)}, and a report "
                f"shows it on its first page; rename it (e.g. {example})"
            )


class _Failure(Exception):
    """A chapter failed (internal: turned into :class:`ChapterFailed` once the output is kept)."""

    def __init__(self, chapter, cell, line, error, log_text=None):
        super().__init__(chapter)
        self.chapter, self.cell, self.line, self.error = chapter, cell, line, error
        self.log_text = log_text


def _copy_site(html_dir: Path, work: _Workspace, scrub) -> None:
    """Copy the built site into the workspace (recorded in the marker), scrubbing text files."""
    files = sorted(p for p in html_dir.rglob("*") if p.is_file() and not p.is_symlink())
    names = [p.relative_to(html_dir).as_posix() for p in files]
    names = [n for n in names if n != ".buildinfo"]
    work.add_many(names)
    for name in names:
        source, target = html_dir / name, work.dir / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if name.endswith(_SCRUBBED_SUFFIXES) and not name.startswith("_static/"):
            text = source.read_text(encoding="utf-8", errors="surrogateescape")
            target.write_text(scrub(text), encoding="utf-8", errors="surrogateescape")
        else:
            shutil.copyfile(source, target)


def _scrub_strings(node, scrub: _PathScrubber):
    """Scrub every string of a notebook (sources, outputs, metadata) in place."""
    if isinstance(node, dict):
        for key, value in node.items():
            if isinstance(value, str):
                node[key] = scrub(value)
            else:
                _scrub_strings(value, scrub)
    elif isinstance(node, list):
        for i, value in enumerate(node):
            if isinstance(value, str):
                node[i] = scrub(value)
            else:
                _scrub_strings(value, scrub)
    return node


def _scrub_file(path: Path, scrub: _PathScrubber) -> None:
    text = path.read_text(encoding="utf-8")
    cleaned = scrub(text)
    if cleaned != text:
        path.write_text(cleaned, encoding="utf-8")


def _failed_folders(out: Path) -> list[Path]:
    """The folders beside ``out`` named as :func:`_keep_failed` names a failed run's folder
    (``NAME.failed``, ``NAME.failed-2``, ``-3`` …), in that order; whose they are is not
    checked here."""
    pattern = re.compile(re.escape(out.name) + r"\.failed(?:-([2-9]|[1-9][0-9]+))?")
    try:
        entries = list(out.parent.iterdir())
    except OSError:
        return []
    found = []
    for path in entries:
        match = pattern.fullmatch(path.name)
        if match is not None:
            found.append((int(match.group(1) or 1), path))
    return [path for _, path in sorted(found)]


def _clear_failed(out: Path) -> list[Path]:
    """After a successful run into ``out``: remove every failed folder of ``out`` that this tool
    wrote and nobody changed since (``NAME.failed`` and the numbered ones alike: marker state
    "failed", no file added, every listed file's SHA-256 as recorded); return those of ours
    kept because they changed (a notebook edited while debugging: the user's work now). A
    folder without our marker is somebody else's: neither removed nor named."""
    kept = []
    for path in _failed_folders(out):
        if path.is_symlink() or not path.is_dir():
            continue
        marker = _read_marker(path)
        if marker is None or marker.get("state") != "failed":
            continue
        if _replace_problem(path, states=("failed",)) is None and _remove_owned(path):
            continue
        if path.exists():
            kept.append(path)
    return kept


def _keep_failed(work: _Workspace, failed_dir: Path, failure: _Failure, scrub) -> Path:
    """Rename the workspace to ``NAME.failed`` (marked "failed"), replacing only an older one
    of ours; if ``NAME.failed`` is somebody else's, use ``NAME.failed-2``, ``-3`` …"""
    target = failed_dir
    n = 1
    while target.exists() or target.is_symlink():
        if _replace_problem(target, states=("failed",)) is None:
            if _remove_owned(target) or not target.exists():
                break
        n += 1
        target = failed_dir.with_name(f"{failed_dir.name}-{n}")
    where = (
        f"chapters/{failure.chapter}.md line {failure.line}"
        if failure.line
        else (f"chapters/{failure.chapter}.md")
    )
    text = (
        f"chapter {failure.chapter} failed in code cell {failure.cell} ({where}): "
        f"{failure.error}\n\nThis directory is NOT a report: it holds the notebooks executed "
        f"before the failure; {failure.chapter}.ipynb shows the error in place.\n"
    )
    if failure.log_text is not None:
        text = (
            f"the report's site could not be built ({failure.error}).\n\nThis directory is "
            "NOT a report: it holds the executed notebooks; build-log.txt is jupyter-book's "
            "output.\n"
        )
        work.add("build-log.txt").write_text(scrub(failure.log_text), encoding="utf-8")
    work.add("FAILED.txt").write_text(scrub(text), encoding="utf-8")
    work.write_marker(
        "failed", failed_chapter=failure.chapter, sha256=_digests(work.dir, work.files)
    )
    marker = json.loads((work.dir / MARKER_NAME).read_text(encoding="utf-8"))
    marker.pop("pid", None)
    marker.pop("host", None)
    (work.dir / MARKER_NAME).write_text(
        json.dumps(marker, indent=2, sort_keys=True) + "\n", encoding="utf-8"
    )
    work.dir.rename(target)
    work.created_parents = []
    return target


def _publish(partial: Path, out: Path, *, force: bool = False) -> None:
    """Swap ``partial`` in as ``out``. An existing ``out`` is checked again (it may have changed
    during the run), moved aside, and only the files its marker lists are deleted. Without
    ``force`` only an empty folder is replaced: a report that appeared during the run (another
    run into the same ``--out``) is somebody's result, not ours to replace."""
    if out.exists() or out.is_symlink():
        problem = _replace_problem(out)
        if problem is not None:
            raise RunnerError(
                f"--out {_show(out)}: {problem} (changed during the run); nothing replaced"
            )
        if not force and any(out.iterdir()):
            raise RunnerError(
                f"--out {_show(out)}: another run wrote a report there while this one ran; "
                "nothing replaced (run again with --force to replace it, or choose a new directory)"
            )
        old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
        old.rmdir()
        out.rename(old)
        try:
            partial.rename(out)
        except OSError:
            old.rename(out)
            raise
        if not _remove_owned(old):
            with contextlib.suppress(OSError):
                old.rmdir()
    else:
        partial.rename(out)
