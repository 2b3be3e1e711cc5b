"""The cohort: its data dictionary, loading with validation, derived columns and the generator.

The data dictionary lives in ``data/schema.yaml`` and is loaded into :data:`SCHEMA`. Everything
that reads patient-level data goes through :func:`load_cohort`, which

1. reads the file itself (not through :func:`pandas.read_csv`) so that every problem can be
   reported with its line number: empty or binary files, a wrong encoding or delimiter, rows
   with the wrong number of fields, a header without data;
2. refuses columns that look like direct identifiers (:mod:`analysis.privacy`);
3. checks every column against the schema and the rules that link columns
   (:func:`validate_cohort`), collecting **all** problems before raising one
   :class:`CohortError`;
4. returns a DataFrame with proper dtypes.

dtypes of the returned frame: ``integer`` and ``binary`` columns are ``int64`` when complete and
``float64`` (NaN for missing) when an optional column has gaps; ``number`` columns are
``float64``; ``category`` and ``string`` columns hold Python ``str`` (``NaN`` when missing).
Categories are kept as plain strings, not :class:`pandas.Categorical`, so that comparisons and
group-bys behave the same on every cohort.

SPSS and R would read the same CSV silently (SPSS turns unparseable numbers into system-missing,
R's ``read.csv`` turns a numeric column with one stray letter into character): here such values
are errors, because a silently missing survival time changes every result downstream.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from analysis import COHORT_CSV, DATA_DIR
from analysis.clinical import albi_frame, child_pugh
from analysis.synthesis import synthesize as _synthesize

__all__ = [
    "SCHEMA",
    "SCHEMA_PATH",
    "Column",
    "Schema",
    "Problem",
    "RowRef",
    "CohortError",
    "load_cohort",
    "read_cohort_csv",
    "validate_cohort",
    "derive",
    "synthesize",
    "CHAPTER_NEEDS",
    "chapter_needs",
]

#: Where the data dictionary is stored.
SCHEMA_PATH = DATA_DIR / "schema.yaml"

#: Cell texts read as missing (besides the empty cell).
MISSING_TOKENS = frozenset({"", "NA", "N/A", "n/a", "NaN", "nan", "null", "NULL", "None", "."})

#: How many offending rows a message lists before "… and N more".
MAX_ROWS_SHOWN = 5

_TYPES = ("string", "integer", "number", "binary", "category")


# --------------------------------------------------------------------------------------------
# The schema
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Column:
    """One column of the data dictionary (one entry of ``data/schema.yaml``).

    Attributes
    ----------
    name : str
        The column header, exactly.
    type : {"string", "integer", "number", "binary", "category"}
        ``binary`` means the integers 0 and 1.
    unit : str or None
        Unit of measurement.
    required : bool
        Required columns must be present and complete; optional ones may be absent or have
        empty cells.
    description : str
        What the column holds.
    min, max : float or None
        Inclusive bounds for ``integer`` and ``number``.
    gt : float or None
        Exclusive lower bound (the value must be greater).
    allowed : tuple or None
        Permitted values (``category``, or ``integer`` with a short list).
    unique : bool
        No two rows may share a value.
    assumed : bool
        Not reported by the paper; the synthetic cohort uses assumed values.
    """

    name: str
    type: str
    unit: str | None
    required: bool
    description: str
    min: float | None = None
    max: float | None = None
    gt: float | None = None
    allowed: tuple | None = None
    unique: bool = False
    assumed: bool = False

    @property
    def rule(self) -> str:
        """The column's value rule in words, e.g. ``"integer from 5 to 15"``."""
        if self.type == "binary":
            return "0 or 1"
        if self.type == "category" or (self.allowed is not None):
            return "one of " + ", ".join(str(v) for v in self.allowed)
        text = {"string": "text", "integer": "integer", "number": "number"}[self.type]
        lower = f"> {_fmt(self.gt)}" if self.gt is not None else None
        if lower is None and self.min is not None:
            lower = f"≥ {_fmt(self.min)}"
        upper = f"≤ {_fmt(self.max)}" if self.max is not None else None
        if self.min is not None and self.max is not None and self.gt is None:
            return f"{text} from {_fmt(self.min)} to {_fmt(self.max)}"
        bounds = ", ".join(b for b in (lower, upper) if b)
        return f"{text} {bounds}".strip() + (", unique" if self.unique else "")


def _fmt(x) -> str:
    return f"{x:g}" if isinstance(x, float) else str(x)


class Schema:
    """The data dictionary: an ordered collection of :class:`Column`.

    ``SCHEMA["sex"]`` gives one column, iteration gives them in file order,
    :attr:`required` and :attr:`optional` the names, :meth:`to_frame` a table for the book.
    """

    def __init__(self, columns: Iterable[Column], version: int = 1):
        self.columns: tuple[Column, ...] = tuple(columns)
        self.version = version
        self._by_name = {c.name: c for c in self.columns}

    @classmethod
    def from_yaml(cls, path: Path | str = SCHEMA_PATH) -> Schema:
        """Load and check a schema file (see the header of ``data/schema.yaml``)."""
        path = Path(path)
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        known = set(Column.__dataclass_fields__)
        columns = []
        for i, entry in enumerate(doc["columns"]):
            unknown = set(entry) - known
            if unknown:
                raise ValueError(
                    f"{path.name}: column #{i + 1} has unknown fields {sorted(unknown)}"
                )
            if entry.get("type") not in _TYPES:
                raise ValueError(
                    f"{path.name}: column {entry.get('name')!r} has type {entry.get('type')!r}; "
                    f"expected one of {', '.join(_TYPES)}"
                )
            if entry["type"] == "category" and not entry.get("allowed"):
                raise ValueError(f"{path.name}: category column {entry['name']!r} needs `allowed`")
            entry = dict(entry)
            entry["description"] = " ".join(str(entry.get("description", "")).split())
            if entry.get("allowed") is not None:
                entry["allowed"] = tuple(entry["allowed"])
            columns.append(Column(**entry))
        names = [c.name for c in columns]
        if len(set(names)) != len(names):
            raise ValueError(f"{path.name}: duplicate column names")
        return cls(columns, version=doc.get("version", 1))

    def __iter__(self) -> Iterator[Column]:
        return iter(self.columns)

    def __len__(self) -> int:
        return len(self.columns)

    def __contains__(self, name: object) -> bool:
        return name in self._by_name

    def __getitem__(self, name: str) -> Column:
        return self._by_name[name]

    @property
    def names(self) -> list[str]:
        """All column names, in file order."""
        return [c.name for c in self.columns]

    @property
    def required(self) -> list[str]:
        """Names of the required columns."""
        return [c.name for c in self.columns if c.required]

    @property
    def optional(self) -> list[str]:
        """Names of the optional columns."""
        return [c.name for c in self.columns if not c.required]

    def to_frame(self) -> pd.DataFrame:
        """The data dictionary as a table: column, type, unit, allowed values or range, required,
        in the paper, description."""
        return pd.DataFrame(
            {
                "column": [c.name for c in self],
                "type": [c.type for c in self],
                "unit": [c.unit or "" for c in self],
                "values": [c.rule for c in self],
                "required": ["yes" if c.required else "optional" for c in self],
                "in the paper": ["no (assumed)" if c.assumed else "yes" for c in self],
                "description": [c.description for c in self],
            }
        )


#: The data dictionary, loaded from ``data/schema.yaml``.
SCHEMA = Schema.from_yaml(SCHEMA_PATH)


#: The columns each chapter reads (required and optional alike). Chapter 10 turns this into the
#: "what each chapter needs" table; a chapter skips, with an explanation, what needs an optional
#: column that a cohort does not have.
CHAPTER_NEEDS: dict[str, tuple[str, ...]] = {
    "01-data": tuple(SCHEMA.names),
    "02-eligibility": (
        "age_years", "ecog_ps", "prior_tace_sessions", "refractory_poor_response",
        "refractory_new_lesions", "refractory_extrahepatic", "refractory_vascular_invasion",
        "refractory_tumor_marker", "bilirubin_mg_dl", "albumin_g_dl", "inr", "ascites",
        "encephalopathy", "child_pugh_score", "bclc_stage", "pvtt",
    ),
    "03-treatment": ("height_cm", "weight_kg", "haic_cycles", "bilirubin_mg_dl", "ast_u_l"),
    "04-baseline": (
        "age_years", "sex", "prior_resection_or_transplant", "child_pugh_score", "bclc_stage",
        "afp_ng_ml", "pivka2", "albumin_g_dl", "ast_u_l", "alt_u_l", "crp_mg_l", "pvtt",
        "tumor_size_mm", "tumor_number", "prior_tace_sessions", "refractory_tace_sessions",
        "additional_tace", "refractory_poor_response", "refractory_new_lesions",
        "refractory_extrahepatic", "refractory_vascular_invasion", "refractory_tumor_marker",
    ),
    "05-response": ("best_response",),
    "06-survival": (
        "os_months", "os_event", "pfs_months", "pfs_event", "best_response",
        "prior_tace_sessions", "additional_tace",
    ),
    "07-cox": (
        "os_months", "os_event", "age_years", "sex", "child_pugh_score", "bclc_stage",
        "afp_ng_ml", "pivka2", "bilirubin_mg_dl", "albumin_g_dl", "ast_u_l", "alt_u_l",
        "crp_mg_l", "pvtt", "tumor_size_mm", "tumor_number", "prior_tace_sessions",
        "additional_tace",
    ),
    "08-audit": (),
    "09-bias": (
        "os_months", "os_event", "best_response", "response_month", "additional_tace",
        "additional_tace_month",
    ),
}  # fmt: skip


# --------------------------------------------------------------------------------------------
# Problems and the error
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class RowRef:
    """Where a problem is: the line in the file (1 = header) and the row's ``patient_id``.

    ``line`` is ``None`` for a DataFrame that did not come from a file; then ``position``
    (0-based row number) is shown instead.
    """

    line: int | None
    patient_id: str | None
    value: str | None = None
    position: int | None = None

    def __str__(self) -> str:
        where = f"line {self.line}" if self.line is not None else f"row {self.position}"
        who = f"patient_id {self.patient_id}" if self.patient_id else "no patient_id"
        text = f"{where} ({who})"
        if self.value is not None:
            text += f": {self.value}"
        return text


@dataclass(frozen=True)
class Problem:
    """One broken rule.

    Attributes
    ----------
    column : str or None
        The column concerned (several joined by ``", "`` for cross-column rules); ``None`` for
        a problem with the file as a whole.
    rule : str
        The rule broken, in words (``"must be 0 or 1"``).
    code : str
        A stable short code (``"missing-column"``, ``"type"``, ``"range"``, ``"unique"``,
        ``"pfs-after-os"`` …) for programs and tests.
    rows : tuple of RowRef
        Every offending row (the message shows the first few).
    hint : str
        How to fix it, when there is something useful to say.
    fatal : bool
        The file could not be read at all (exit code 2 of ``python -m analysis validate``).
    """

    column: str | None
    rule: str
    code: str
    rows: tuple[RowRef, ...] = ()
    hint: str = ""
    fatal: bool = False

    def __str__(self) -> str:
        if self.column is None:
            head = "file"
        else:
            head = ("columns " if ", " in self.column else "column ") + self.column
        text = f"{head}: {self.rule}"
        if self.rows:
            n = len(self.rows)
            shown = "; ".join(str(r) for r in self.rows[:MAX_ROWS_SHOWN])
            more = f"; … and {n - MAX_ROWS_SHOWN} more" if n > MAX_ROWS_SHOWN else ""
            text += f" — {n} row{'s' if n != 1 else ''}: {shown}{more}"
        if self.hint:
            text += f" [{self.hint}]"
        return text


class CohortError(Exception):
    """A cohort that breaks the data dictionary.

    Attributes
    ----------
    problems : list of Problem
        Every problem found (not only the first).
    source : str
        What was read (the file name, or ``"DataFrame"``).

    The message starts with one summary line and lists one problem per line, each naming the
    column, the first offending rows (line number and ``patient_id``) and the rule broken.
    """

    def __init__(self, problems: list[Problem], source: str = "cohort"):
        self.problems = list(problems)
        self.source = source
        n = len(self.problems)
        lines = [f"{source}: {n} problem{'s' if n != 1 else ''} with the cohort"]
        lines += [f"  - {p}" for p in self.problems]
        super().__init__("\n".join(lines))

    @property
    def fatal(self) -> bool:
        """True when the file could not be read at all (empty, binary, encoding, delimiter)."""
        return any(p.fatal for p in self.problems)


# --------------------------------------------------------------------------------------------
# Reading the file
# --------------------------------------------------------------------------------------------
_MAGIC = [
    (b"PK\x03\x04", "a ZIP archive (an Excel .xlsx or .ods workbook?)"),
    (b"\xd0\xcf\x11\xe0", "an old Excel .xls (or other OLE) file"),
    (b"%PDF", "a PDF document"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"SQLite format 3", "an SQLite database"),
    (b"$FL2", "an SPSS .sav file"),
    (b"$FL3", "an SPSS .sav file"),
]
_SAVE_AS = 'save it from your spreadsheet as "CSV UTF-8 (comma delimited)"'


def _fatal(rule: str, code: str, hint: str = _SAVE_AS) -> Problem:
    return Problem(None, rule, code, hint=hint, fatal=True)


def _decode(raw: bytes) -> tuple[str | None, Problem | None]:
    """Decode the bytes as UTF-8 (with or without BOM) or say why not."""
    if not raw.strip():
        what = "empty (0 bytes)" if not raw else "empty (only blank space)"
        return None, _fatal(f"is {what}", "empty", "expected a header line and one row per patient")
    for magic, what in _MAGIC:
        if raw.startswith(magic):
            return None, _fatal(f"is not a CSV text file: it looks like {what}", "binary")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None, _fatal("is encoded as UTF-16, not UTF-8", "encoding")
    if b"\x00" in raw[:65536]:
        return None, _fatal("is not a CSV text file: it contains binary (NUL) bytes", "binary")
    try:
        return raw.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        guess = ""
        for enc, label in (("cp949", "CP949/EUC-KR (Korean Windows)"), ("cp1252", "Windows-1252")):
            try:
                raw.decode(enc)
            except UnicodeDecodeError:
                continue
            guess = f"; it decodes as {label}"
            break
        byte = raw[exc.start : exc.start + 1].hex()
        return None, _fatal(
            f"is not valid UTF-8: byte 0x{byte} on line {line}{guess}",
            "encoding",
        )


def _delimiter_problem(header_line: str, fields: list[str]) -> Problem | None:
    if len(fields) > 1:
        return None
    for delim, label in ((";", "semicolons (;)"), ("\t", "tabs"), ("|", "vertical bars (|)")):
        if header_line.count(delim) >= 1:
            return _fatal(
                f"is separated by {label}, not commas: the header reads as one column",
                "delimiter",
                hint=f"the book reads comma-separated files; {_SAVE_AS}",
            )
    return None


def read_cohort_csv(path: Path | str) -> tuple[pd.DataFrame, list[Problem]]:
    """Read a cohort CSV into a DataFrame of strings, with the file-level problems found.

    Parameters
    ----------
    path : path-like
        A UTF-8 (optionally with BOM), comma-separated file with a header line.

    Returns
    -------
    frame : pandas.DataFrame
        One column per header field, values as stripped ``str`` or ``None`` for a missing cell
        (see :data:`MISSING_TOKENS`); ``frame.attrs["line_numbers"]`` holds each row's line in
        the file. Rows with the wrong number of fields are left out (and reported).
    problems : list of Problem
        Problems with the file: duplicate or empty header names, rows with the wrong number of
        fields, no data rows.

    Raises
    ------
    CohortError
        If the file cannot be read as CSV at all (missing, empty, binary, not UTF-8, another
        delimiter); its problems are ``fatal``.
    """
    path = Path(path)
    source = path.name
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise CohortError([_fatal(f"{path} does not exist", "not-found", "")], source) from None
    except IsADirectoryError:
        raise CohortError([_fatal(f"{path} is a directory", "not-found", "")], source) from None
    except OSError as exc:
        raise CohortError(
            [_fatal(f"cannot be read ({exc.strerror})", "unreadable", "")], source
        ) from None
    text, problem = _decode(raw)
    if problem:
        raise CohortError([problem], source)

    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        records = []
        start = 1
        for fields in reader:
            records.append((start, fields))
            start = reader.line_num + 1
    except csv.Error as exc:
        raise CohortError(
            [_fatal(f"is not valid CSV near line {reader.line_num}: {exc}", "csv")], source
        ) from None
    records = [(line, f) for line, f in records if any(x.strip() for x in f)]
    header_line, header = records[0]
    header = [h.strip() for h in header]
    problem = _delimiter_problem(text.splitlines()[header_line - 1], header)
    if problem:
        raise CohortError([problem], source)

    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for h in header:
        seen[h] = seen.get(h, 0) + 1
    dupes = [h for h, n in seen.items() if n > 1 and h]
    if dupes:
        problems.append(
            Problem(
                ", ".join(dupes),
                "column name appears more than once in the header",
                "duplicate-column",
            )
        )
    if "" in seen:
        problems.append(Problem(None, "the header has an empty column name", "empty-header"))

    body = records[1:]
    ragged = [(line, f) for line, f in body if len(f) != len(header)]
    if ragged:
        pid_at = header.index("patient_id") if "patient_id" in header else None
        refs = tuple(
            RowRef(
                line,
                f[pid_at].strip() if pid_at is not None and pid_at < len(f) else None,
                f"{len(f)} fields",
            )
            for line, f in ragged
        )
        problems.append(
            Problem(
                None,
                f"rows must have as many fields as the header ({len(header)})",
                "fields",
                refs,
                hint="a stray comma inside a value? quote it, or use a decimal point",
            )
        )
    good = [(line, f) for line, f in body if len(f) == len(header)]
    if not body:
        problems.append(
            Problem(
                None, "has a header but no data rows", "header-only", hint="add one row per patient"
            )
        )

    # keep the first of duplicated names so the frame stays addressable by name
    keep = [i for i, h in enumerate(header) if h and header.index(h) == i]
    data = {
        header[i]: [None if f[i].strip() in MISSING_TOKENS else f[i].strip() for _, f in good]
        for i in keep
    }
    frame = pd.DataFrame(data, dtype=object, columns=[header[i] for i in keep])
    frame.attrs["line_numbers"] = [line for line, _ in good]
    frame.attrs["source"] = source
    return frame, problems


# --------------------------------------------------------------------------------------------
# Validation
# --------------------------------------------------------------------------------------------
def _is_missing(v) -> bool:
    if v is None or v is pd.NA or v is pd.NaT:
        return True
    if isinstance(v, float) and math.isnan(v):
        return True
    return isinstance(v, str) and v.strip() in MISSING_TOKENS


def _parse_number(v) -> float | None:
    """A finite float from a cell, or None when it is not one."""
    if isinstance(v, bool | np.bool_):
        return None
    if isinstance(v, int | float | np.integer | np.floating):
        x = float(v)
    else:
        try:
            x = float(str(v).strip())
        except ValueError:
            return None
    return x if math.isfinite(x) else None


def _parse(col: Column, v):
    """Parse one non-missing cell: (value, None) or (None, reason)."""
    if col.type == "string":
        return str(v).strip() if not isinstance(v, str) else v.strip(), None
    if col.type == "category":
        text = _as_text(v)
        if text in col.allowed:
            return text, None
        return None, "not allowed"
    x = _parse_number(v)
    if x is None:
        return None, "not a number"
    if col.type in ("integer", "binary"):
        if not float(x).is_integer():
            return None, "not an integer"
        return int(x), None
    return x, None


def _as_text(v) -> str:
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return str(v).strip()


class _Rows:
    """Locates rows of a frame for messages: line numbers (from a file) or positions."""

    def __init__(self, df: pd.DataFrame):
        self.lines = df.attrs.get("line_numbers")
        if self.lines is not None and len(self.lines) != len(df):
            self.lines = None
        if "patient_id" in df.columns:
            self.ids = [None if _is_missing(v) else _as_text(v) for v in df["patient_id"]]
        else:
            self.ids = [None] * len(df)

    def ref(self, i: int, value=None, *, note: str | None = None) -> RowRef:
        """Row ``i``, with an offending cell ``value`` (quoted if text) or a ready ``note``."""
        if note is not None:
            shown = note
        elif value is None:
            shown = None
        else:
            shown = repr(value) if isinstance(value, str) else _fmt_value(value)
        line = self.lines[i] if self.lines is not None else None
        return RowRef(line, self.ids[i], shown, position=i)


def _fmt_value(v) -> str:
    if isinstance(v, float | np.floating):
        return f"{float(v):g}"
    return str(v)


def _type_hint(col: Column, bad: list) -> str:
    texts = [str(v) for v in bad]
    if col.type in ("number", "integer") and any(
        re.fullmatch(r"-?\d+,\d+", t.strip()) for t in texts
    ):
        return "use a decimal point, not a decimal comma"
    if col.type == "category":
        lower = {str(a).lower(): str(a) for a in col.allowed}
        fixes = sorted(
            {f"{t!r} → {lower[t.strip().lower()]!r}" for t in texts if t.strip().lower() in lower}
        )
        if fixes:
            return "values are case-sensitive: " + ", ".join(fixes)
    if col.type == "binary" and any(
        t.strip().lower() in {"yes", "no", "y", "n", "true", "false"} for t in texts
    ):
        return "code yes as 1 and no as 0"
    return ""


def _check_column(col: Column, series: pd.Series, rows: _Rows, problems: list[Problem]) -> list:
    """Check one column; return its parsed values (None where missing or invalid)."""
    values = list(series)
    parsed: list = [None] * len(values)
    missing, bad, out_of_range = [], [], []
    for i, v in enumerate(values):
        if _is_missing(v):
            missing.append(i)
            continue
        x, reason = _parse(col, v)
        if reason:
            bad.append((i, v))
            continue
        if col.type in ("integer", "number") and not _in_range(col, x):
            out_of_range.append((i, x))
            continue
        parsed[i] = x
    if missing and col.required:
        problems.append(
            Problem(
                col.name,
                "is required but empty",
                "missing-value",
                tuple(rows.ref(i) for i in missing),
            )
        )
    if bad:
        what = {
            "integer": "must be a whole number",
            "number": "must be a number",
            "binary": "must be 0 or 1",
            "category": f"must be {col.rule}",
            "string": "must be text",
        }[col.type]
        problems.append(
            Problem(
                col.name,
                what,
                "category" if col.type == "category" else "type",
                tuple(rows.ref(i, str(v) if not isinstance(v, str) else v) for i, v in bad),
                hint=_type_hint(col, [v for _, v in bad]),
            )
        )
    if col.type == "binary":
        not01 = [(i, x) for i, x in enumerate(parsed) if x is not None and x not in (0, 1)]
        if not01:
            for i, _ in not01:
                parsed[i] = None
            problems.append(
                Problem(
                    col.name,
                    "must be 0 or 1",
                    "binary",
                    tuple(rows.ref(i, x) for i, x in not01),
                    hint=_event_hint(col.name),
                )
            )
    if out_of_range:
        code = "negative-time" if col.unit == "months" else "range"
        rule = f"must be {col.rule}"
        if code == "negative-time":
            rule = "must be ≥ 0 (a time from the start of HAIC cannot be negative)"
        problems.append(
            Problem(col.name, rule, code, tuple(rows.ref(i, x) for i, x in out_of_range))
        )
    if col.unique:
        seen: dict = {}
        for i, x in enumerate(parsed):
            if x is not None:
                seen.setdefault(x, []).append(i)
        dupes = [i for idx in seen.values() if len(idx) > 1 for i in idx]
        if dupes:
            problems.append(
                Problem(
                    col.name,
                    "must be unique, but values repeat",
                    "unique",
                    tuple(rows.ref(i) for i in sorted(dupes)),
                )
            )
    return parsed


def _event_hint(name: str) -> str:
    if name == "os_event":
        return "1 = died, 0 = alive at last follow-up (censored)"
    if name == "pfs_event":
        return "1 = progressed or died, 0 = censored"
    return ""


def _in_range(col: Column, x: float) -> bool:
    if col.allowed is not None and x not in col.allowed:
        return False
    if col.gt is not None and not x > col.gt:
        return False
    if col.min is not None and x < col.min:
        return False
    return not (col.max is not None and x > col.max)


_TOLERANCE = 1e-9


def _cross_rules(
    df: pd.DataFrame, p: dict[str, list], rows: _Rows, problems: list[Problem]
) -> None:
    """Rules that link columns; only rows whose values passed their own column checks."""
    n = len(df)

    def both(a: str, b: str):
        if a not in p or b not in p:
            return []
        return [i for i in range(n) if p[a][i] is not None and p[b][i] is not None]

    bad = [
        i
        for i in both("pfs_months", "os_months")
        if p["pfs_months"][i] > p["os_months"][i] + _TOLERANCE
    ]
    if bad:
        problems.append(
            Problem(
                "pfs_months, os_months",
                "pfs_months must not exceed os_months (progression or death cannot come after "
                "death or last follow-up)",
                "pfs-after-os",
                tuple(
                    rows.ref(
                        i,
                        note=f"pfs {_fmt_value(p['pfs_months'][i])} > os "
                        f"{_fmt_value(p['os_months'][i])}",
                    )
                    for i in bad
                ),
            )
        )
    bad = [
        i for i in both("os_event", "pfs_event") if p["os_event"][i] == 1 and p["pfs_event"][i] == 0
    ]
    if bad:
        problems.append(
            Problem(
                "pfs_event, os_event",
                "a death (os_event 1) is also a PFS event: pfs_event must be 1",
                "death-not-pfs-event",
                tuple(rows.ref(i) for i in bad),
            )
        )
    if "additional_tace_month" in p and "additional_tace" in p:
        month, flag = p["additional_tace_month"], p["additional_tace"]
        raw = list(df["additional_tace_month"])
        bad_yes = [i for i in range(n) if flag[i] == 1 and _is_missing(raw[i])]
        bad_no = [i for i in range(n) if flag[i] == 0 and month[i] is not None]
        if bad_yes:
            problems.append(
                Problem(
                    "additional_tace_month",
                    "must be filled when additional_tace is 1",
                    "additional-tace-month",
                    tuple(rows.ref(i) for i in bad_yes),
                )
            )
        if bad_no:
            problems.append(
                Problem(
                    "additional_tace_month",
                    "must be empty when additional_tace is 0",
                    "additional-tace-month",
                    tuple(rows.ref(i, month[i]) for i in bad_no),
                )
            )
    for time in ("additional_tace_month", "response_month"):
        bad = [i for i in both(time, "os_months") if p[time][i] > p["os_months"][i] + _TOLERANCE]
        if bad:
            problems.append(
                Problem(
                    f"{time}, os_months",
                    f"{time} must not exceed os_months",
                    "after-os",
                    tuple(
                        rows.ref(
                            i, note=f"{_fmt_value(p[time][i])} > os {_fmt_value(p['os_months'][i])}"
                        )
                        for i in bad
                    ),
                )
            )
    bad = [
        i
        for i in both("refractory_tace_sessions", "prior_tace_sessions")
        if p["refractory_tace_sessions"][i] > p["prior_tace_sessions"][i]
    ]
    if bad:
        problems.append(
            Problem(
                "refractory_tace_sessions, prior_tace_sessions",
                "refractory_tace_sessions must not exceed prior_tace_sessions",
                "refractory-gt-prior",
                tuple(
                    rows.ref(
                        i,
                        note=f"{p['refractory_tace_sessions'][i]} > {p['prior_tace_sessions'][i]}",
                    )
                    for i in bad
                ),
            )
        )
    _child_pugh_rule(p, rows, n, problems)


_CP_COMPONENTS = ("bilirubin_mg_dl", "albumin_g_dl", "inr", "ascites", "encephalopathy")


def _child_pugh_rule(p: dict[str, list], rows: _Rows, n: int, problems: list[Problem]) -> None:
    names = ("child_pugh_score", *_CP_COMPONENTS)
    if any(c not in p for c in names):
        return
    bad = []
    for i in range(n):
        vals = [p[c][i] for c in names]
        if any(v is None for v in vals):
            continue
        points, _ = child_pugh(*vals[1:])
        if int(points) != vals[0]:
            bad.append((i, int(points), vals[0]))
    if bad:
        problems.append(
            Problem(
                "child_pugh_score",
                "must equal the points of bilirubin_mg_dl, albumin_g_dl, inr, ascites and "
                "encephalopathy",
                "child-pugh-mismatch",
                tuple(
                    rows.ref(i, note=f"{given} given, components give {points}")
                    for i, points, given in bad
                ),
            )
        )


def validate_cohort(df: pd.DataFrame) -> list[Problem]:
    """Check a cohort against :data:`SCHEMA` and the cross-column rules; return every problem.

    Parameters
    ----------
    df : pandas.DataFrame
        Either the strings read by :func:`read_cohort_csv` (rows are then named by their line in
        the file) or any DataFrame with the schema's columns (rows named by position).

    Returns
    -------
    list of Problem
        Empty when the cohort is valid. Checked: required columns present; no empty cell in a
        required column; every value of the right type, in its range or allowed set; unique
        ``patient_id``; times ≥ 0; ``pfs_months ≤ os_months``; a death is a PFS event;
        ``additional_tace_month`` filled exactly when ``additional_tace`` is 1 and not after
        ``os_months``; ``response_month ≤ os_months``; ``refractory_tace_sessions ≤
        prior_tace_sessions``; ``child_pugh_score`` equal to the points of its five components
        (via :func:`analysis.clinical.child_pugh`) wherever all five are filled. Columns not in
        the schema are ignored here (the privacy guard still looks at them).
    """
    problems: list[Problem] = []
    present = set(df.columns)
    lower = {str(c).lower(): c for c in df.columns}
    for col in SCHEMA:
        if col.required and col.name not in present:
            hint = ""
            if col.name.lower() in lower:
                hint = f"found {lower[col.name.lower()]!r}: column names are case-sensitive"
            problems.append(
                Problem(col.name, "required column is missing", "missing-column", hint=hint)
            )
    rows = _Rows(df)
    parsed = {}
    for col in SCHEMA:
        if col.name in present:
            parsed[col.name] = _check_column(col, df[col.name], rows, problems)
    _cross_rules(df, parsed, rows, problems)
    return problems


# --------------------------------------------------------------------------------------------
# Loading
# --------------------------------------------------------------------------------------------
def _typed(df: pd.DataFrame) -> pd.DataFrame:
    """Convert a validated frame of strings to the documented dtypes."""
    out = {}
    for name in df.columns:
        if name not in SCHEMA:
            out[name] = df[name].astype(object).where(df[name].notna(), np.nan)
            continue
        col = SCHEMA[name]
        values = [None if _is_missing(v) else _parse(col, v)[0] for v in df[name]]
        if col.type in ("integer", "binary"):
            if any(v is None for v in values):
                out[name] = pd.Series(
                    [np.nan if v is None else float(v) for v in values], dtype="float64"
                )
            else:
                out[name] = pd.Series(values, dtype="int64")
        elif col.type == "number":
            out[name] = pd.Series([np.nan if v is None else v for v in values], dtype="float64")
        else:
            out[name] = pd.Series([np.nan if v is None else v for v in values], dtype=object)
    typed = pd.DataFrame(out, columns=list(df.columns))
    typed.index = pd.RangeIndex(len(typed))
    return typed


def load_cohort(path: Path | str | None = None, *, privacy: bool = True) -> pd.DataFrame:
    """Load and validate a cohort CSV.

    Parameters
    ----------
    path : path-like or None
        The CSV; ``None`` (the chapters' default) means the book's synthetic cohort,
        :data:`analysis.COHORT_CSV`.
    privacy : bool
        Run the identifier guard (:func:`analysis.privacy.find_identifiers`). Leave it on; it
        exists for tests of the other rules.

    Returns
    -------
    pandas.DataFrame
        One row per patient, the columns in file order with the dtypes described in the module
        docstring. ``attrs["source"]`` holds the file name, ``attrs["user_cohort"]`` whether it
        is not the book's own cohort.

    Raises
    ------
    CohortError
        With every problem found (file, privacy, schema and cross-column rules); each names the
        column, the first offending rows by line number and ``patient_id``, and the rule.
    """
    from analysis import privacy as privacy_guard

    path = Path(COHORT_CSV if path is None else path)
    raw, problems = read_cohort_csv(path)
    if privacy:
        problems += privacy_guard.find_identifiers(raw)
    problems += validate_cohort(raw)
    if problems:
        raise CohortError(problems, path.name)
    cohort = _typed(raw)
    cohort.attrs["source"] = path.name
    cohort.attrs["user_cohort"] = privacy_guard.is_user_cohort(path)
    return cohort


def chapter_needs(columns: Iterable[str] | None = None) -> pd.DataFrame:
    """What each chapter reads, split into required and optional columns.

    Parameters
    ----------
    columns : iterable of str, optional
        A cohort's columns; when given, a last column lists the optional ones it lacks (the
        parts of the chapter that will be skipped with an explanation).

    Returns
    -------
    pandas.DataFrame
        One row per chapter of :data:`CHAPTER_NEEDS`: ``chapter``, ``required columns``,
        ``optional columns`` (and ``absent from this cohort``).
    """
    rows = []
    for chapter, needed in CHAPTER_NEEDS.items():
        if chapter == "01-data":
            required, optional = ["all required"], ["all optional"]
        else:
            required = [c for c in needed if SCHEMA[c].required]
            optional = [c for c in needed if not SCHEMA[c].required]
        row = {
            "chapter": chapter,
            "required columns": ", ".join(required) or "none (the paper only)",
            "optional columns": ", ".join(optional) or "–",
        }
        if columns is not None:
            have = set(columns)
            lacking = [c for c in needed if not SCHEMA[c].required and c not in have]
            row["absent from this cohort"] = ", ".join(lacking) or "–"
        rows.append(row)
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------------------------
# Derived columns and the generator
# --------------------------------------------------------------------------------------------
def derive(df: pd.DataFrame) -> pd.DataFrame:
    """Return a copy of a loaded cohort with the derived columns the chapters use.

    Added columns
    -------------
    child_pugh_class : str
        ``"A"`` (5–6 points), ``"B"`` (7–9) or ``"C"`` (10–15), from ``child_pugh_score``
        (Pugh et al. 1973).
    albi_score, albi_grade : float, int
        ALBI (Johnson et al. 2015) via :func:`analysis.clinical.albi_frame` (bilirubin
        converted to µmol/L, albumin to g/L).
    prior_tace_group : str
        ``"2–4"`` or ``">4"`` prior TACE sessions, the paper's grouping.
    disease_control, objective_response : int
        1 for best response CR/PR/SD (disease control) or CR/PR (objective response).
    """
    out = df.copy()
    score = out["child_pugh_score"]
    out["child_pugh_class"] = np.select([score <= 6, score <= 9], ["A", "B"], default="C").astype(
        object
    )
    out["prior_tace_group"] = np.where(out["prior_tace_sessions"] > 4, ">4", "2–4").astype(object)
    out["disease_control"] = out["best_response"].isin(["CR", "PR", "SD"]).astype("int64")
    out["objective_response"] = out["best_response"].isin(["CR", "PR"]).astype("int64")
    scores = albi_frame(out)
    out["albi_score"] = scores["albi_score"].astype("float64")
    out["albi_grade"] = scores["albi_grade"].astype("int64")
    return out


def synthesize(seed: int | None = None, **kwargs) -> pd.DataFrame:
    """The calibrated synthetic cohort, deterministic for a seed.

    A thin entry point that keeps the public name in :mod:`analysis.cohort`; the procedure is
    documented in :func:`analysis.synthesis.synthesize`, which receives every argument.
    ``seed=None`` uses that function's default seed (the one behind ``data/cohort.csv``).
    """
    if seed is not None:
        kwargs["seed"] = seed
    return _synthesize(**kwargs)
