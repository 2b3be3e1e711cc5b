"""Problems with a cohort, and the error that carries them: the lowest layer of cohort checking.

:mod:`analysis.privacy` and :mod:`analysis.cohort` both report through these classes, so they
live below both (``cohort`` imports ``privacy``, and neither imports the other back).
:class:`CohortError`, :class:`Problem` and :class:`RowRef` are re-exported by
:mod:`analysis.cohort`, where callers have always imported them from.

A problem never carries a raw identifier: a :class:`RowRef` names a row by its line number,
never by its ``patient_id``, and whoever builds one passes a ``value`` already fit to print
(masked by :func:`analysis.privacy.mask` when it looks like an identifier).
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["MAX_ROWS_SHOWN", "RowRef", "Problem", "CohortError", "unusable_path_reason"]

#: How many offending rows a message lists before "… and N more".
MAX_ROWS_SHOWN = 5


@dataclass(frozen=True)
class RowRef:
    """Where a problem is: the line in the file (1 = header), and the offending value.

    ``line`` is ``None`` for a DataFrame that did not come from a file; then ``position``
    (0-based row number) is shown instead. ``value`` is printed as given, so it must already
    be masked when it looks like an identifier.

    A row is located by its line (or position) only, never by its ``patient_id``: the guard of
    :mod:`analysis.privacy` cannot tell every identifier from a study id (a surname with
    initials, ``KIM-MS``; a medical-record number that is another institution's study id),
    and a message is copied into e-mails and issue trackers. The file's own line number is
    enough to find the row in an editor or a spreadsheet.

    Examples
    --------
    >>> str(RowRef(3, "'high'"))
    "line 3: 'high'"
    >>> str(RowRef(None, position=0))
    'row 0'
    >>> str(RowRef(4, "39 fields"))
    'line 4: 39 fields'
    """

    line: int | None
    value: str | None = None
    position: int | None = None

    def __str__(self) -> str:
        text = f"line {self.line}" if self.line is not None else f"row {self.position}"
        if self.value is not None:
            text += f": {self.value}"
        return text


@dataclass(frozen=True)
class Problem:
    """One broken rule (or, with ``severity="warning"``, one thing worth a look).

    Attributes
    ----------
    column : str or None
        The column concerned (several joined by ``", "`` for cross-column rules); ``None`` for
        a problem with the file as a whole.
    rule : str
        The rule broken, in words (``"must be 0 or 1"``).
    code : str
        A stable short code (``"missing-column"``, ``"type"``, ``"range"``, ``"unique"``,
        ``"identifier"``, ``"unit"`` …) for programs and tests.
    rows : tuple of RowRef
        The first offending rows (a streamed file keeps only the first few).
    hint : str
        How to fix it, when there is something useful to say.
    fatal : bool
        The file could not be read at all (exit code 2 of ``python -m analysis validate``).
    count : int or None
        How many rows break the rule, when more than ``len(rows)`` (a streamed file keeps
        only the first :data:`~analysis.problems.MAX_ROWS_SHOWN` row references).
    severity : {"error", "warning"}
        A warning does not make the cohort invalid.

    Examples
    --------
    >>> print(Problem("os_event", "must be 0 or 1", "binary", (RowRef(3, "2"),)))
    column os_event: must be 0 or 1 — 1 row: line 3: 2
    """

    column: str | None
    rule: str
    code: str
    rows: tuple[RowRef, ...] = ()
    hint: str = ""
    fatal: bool = False
    count: int | None = None
    severity: str = "error"

    @property
    def n_rows(self) -> int:
        """How many rows break the rule."""
        return max(self.count or 0, len(self.rows))

    def __str__(self) -> str:
        if self.column is None:
            head = "file"
        else:
            head = ("columns " if ", " in self.column else "column ") + self.column
        if self.severity == "warning":
            head = "warning: " + head
        text = f"{head}: {self.rule}"
        if self.rows:
            n = self.n_rows
            shown = "; ".join(str(r) for r in self.rows[:MAX_ROWS_SHOWN])
            # counts with thousands separators ("1,500 rows"), as analysis.formatting.count
            # prints every count (a sibling layer: not imported)
            more = f"; … and {n - MAX_ROWS_SHOWN:,} more" if n > MAX_ROWS_SHOWN else ""
            text += f" — {n:,} row{'s' if n != 1 else ''}: {shown}{more}"
        if self.hint:
            text += f" [{self.hint}]"
        return text


class CohortError(Exception):
    """A cohort that breaks the data dictionary.

    Attributes
    ----------
    problems : list of Problem
        Every error found (not only the first).
    warnings : list of Problem
        Things worth a look that do not make the cohort invalid (free-text columns).
    source : str
        What was read (the file name, or ``"DataFrame"``).

    The message starts with one summary line and lists one problem per line, each naming the
    column, the first offending rows (by line number, never by ``patient_id``) and the rule
    broken; warnings follow.

    Examples
    --------
    >>> exc = CohortError([Problem("sex", "must be one of M, F", "category")], "my.csv")
    >>> print(exc)
    my.csv: 1 problem with the cohort
      - column sex: must be one of M, F
    >>> exc.fatal
    False
    """

    def __init__(
        self, problems: list[Problem], source: str = "cohort", warnings: list[Problem] = ()
    ):
        self.problems = [p for p in problems if p.severity != "warning"]
        self.warnings = [p for p in problems if p.severity == "warning"] + list(warnings)
        self.source = source
        n = len(self.problems)
        lines = [f"{source}: {n:,} problem{'s' if n != 1 else ''} with the cohort"]
        lines += [f"  - {p}" for p in self.problems]
        lines += [f"  - {p}" for p in self.warnings]
        super().__init__("\n".join(lines))

    def _render_traceback_(self) -> list[str]:
        """What IPython (a chapter's kernel, papermill) shows for this error: the message, one
        line per problem, without the stack of library frames above it."""
        return [f"CohortError: {self}"]

    @property
    def fatal(self) -> bool:
        """True when the file could not be read at all (empty, binary, encoding, delimiter)."""
        return any(p.fatal for p in self.problems)


def unusable_path_reason(exc: Exception) -> str:
    """Why the system cannot use a path, in a few words and without the path itself: the
    error's message (a name too long), or a loop of symbolic links for pathlib's RuntimeError.
    The command line's refusals of ``--cohort`` and ``--out`` and those of ``synthesize`` and
    ``ensemble`` share it.

    Examples
    --------
    >>> import errno, os
    >>> unusable_path_reason(OSError(errno.ENAMETOOLONG, os.strerror(errno.ENAMETOOLONG), "x" * 300))
    'File name too long'
    >>> unusable_path_reason(RuntimeError("Symlink loop from '/tmp/a'"))
    'a loop of symbolic links'
    """
    return getattr(exc, "strerror", None) or (
        "a loop of symbolic links" if isinstance(exc, RuntimeError) else type(exc).__name__
    )
