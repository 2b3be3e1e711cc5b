"""The cohort: its data dictionary, loading with validation, derived columns and the generator.

The data dictionary lives in ``data/schema.yaml`` and is loaded into :data:`SCHEMA`. Everything
that reads patient-level data goes through :func:`load_cohort` (``python -m analysis validate``
through :func:`check_cohort_file`, which keeps nothing), which

1. reads the file itself, in chunks of ``CHUNK_ROWS`` rows (not through
   :func:`pandas.read_csv`), so that every problem can be reported with its line number, and
   refuses empty or binary files, a wrong encoding (UTF-16 and UTF-32, with or without a
   byte-order mark) or delimiter, rows with the wrong number of fields, a header without data
   or repeated further down (files joined together), a last row that is a spreadsheet's totals
   row (``Total`` and empty cells; one message, not one per empty column); a spreadsheet's
   columns without a name and without any value are left out, and spaces around a column name
   ignored, each with a note;
2. refuses columns that look like direct identifiers (:mod:`analysis.privacy`), and warns
   about free-text columns;
3. checks every column against the schema and the rules that link columns
   (:class:`CohortValidator`, :func:`validate_cohort`), collecting **all** problems before
   raising one :class:`CohortError`;
4. checks plausibility across the cohort: values beyond any physiological range, times that
   look like days instead of months, weights in pounds, laboratory values in another unit
   (the ``plausible`` entries of the schema), and warns about times that look like weeks or
   days without being refused (:func:`time_unit_signs`);
5. returns a DataFrame with proper dtypes.

No message names a row by its ``patient_id``: every row is named by its line in the file (or,
for a DataFrame, its position), as the privacy guard cannot tell every identifier from a study
id (``KIM-MS``, a surname with initials; a record number that is another institution's study
id); repeated ids are named by the lines that share them (``line 5: same id as line 3``). No
message prints a value that looks like an identifier: it is masked (``[masked]``,
:func:`analysis.privacy.mask`: nothing of it shows; the line does). A cell that breaks a type or category
rule is shown only when it cannot be an identifier (a short number, a single character, a word
such as ``high`` or ``yes``, a token shaped like the column's allowed values:
:func:`analysis.privacy.echoable`); any other is described without its content (``a
10-character text value, not a number``). A whole number of seven or more digits in a column of
counts, scores or codes is described too (``a 7-digit number``); in a column of measurements it
is shown, as the measurement it is. :class:`Problem`, :class:`RowRef`
and :class:`CohortError` live in :mod:`analysis.problems` (below this module and
:mod:`analysis.privacy`) and are re-exported here.

Every step is linear in the size of the file: each distinct text of a column is parsed once per
chunk, and every regular expression has bounded repetitions. Memory is linear too, not one
chunk's: validation (:func:`check_cohort_file`) holds the text of one chunk at a time, but
keeps from every row what the whole-cohort checks need (its ``patient_id``, for uniqueness;
its line number; a 64-bit hash of its other cells and one of its id, for rows repeated under
another id, and up to :data:`NEAR_REPEAT_MAX_CELLS` cells one of each cell, for rows repeated
but for one column; the numbers whose cohort medians the plausibility rules test), about a quarter
of a kilobyte a row (a little over half a kilobyte with the cells' hashes);
:func:`load_cohort` keeps every row, as the frame it returns.
Measured on generated files of valid rows (peak resident memory, ``/usr/bin/time -v``, a
shared 2-core machine): ``python -m analysis validate`` 0.10 GB for 1,000 rows, 0.23 GB for
50,000 (one chunk; 0.30 GB with the cells' hashes, 98,400 rows 0.40 GB), 0.45 GB for a
million (a 125 MB file, 9 CPU-s, 16 to 28 s; measured before the cells' hashes, which stop at
:data:`NEAR_REPEAT_MAX_CELLS` cells);
:func:`load_cohort` 0.26 GB for 50,000 rows and 2.0 GB for a million.

dtypes of the returned frame: ``integer`` and ``binary`` columns are ``int64`` when complete and
``float64`` (NaN for missing) when an optional column has gaps; ``number`` columns are
``float64``; ``category`` and ``string`` columns hold Python ``str`` (``NaN`` when missing).
Categories are kept as plain strings, not :class:`pandas.Categorical`, so that comparisons and
group-bys behave the same on every cohort, in the schema's spelling (matched case-insensitively).
A cell is missing only when it is empty or one of :data:`MISSING_TOKENS` (``NA``, ``.`` ...),
never ``None``, which is a clinical value.

SPSS and R would read the same CSV silently (SPSS turns unparseable numbers into system-missing,
R's ``read.csv`` turns a numeric column with one stray letter into character): here such values
are errors, because a silently missing survival time changes every result downstream.
"""

from __future__ import annotations

import csv
import dataclasses
import functools
import math
import os
import re
import stat
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from analysis import COHORT_CSV, DATA_DIR, formatting, privacy, published
from analysis.clinical import (
    JSH_COHORT_COLUMNS,
    albi_frame,
    child_pugh_class_from_points,
    child_pugh_frame,
)
from analysis.labels import JSH_CRITERION_LABELS
from analysis.problems import MAX_ROWS_SHOWN, CohortError, Problem, RowRef
from analysis.published import YAML_LOADER
from analysis.synthesis import synthesize as _synthesize
from analysis.verdicts import is_user_cohort

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
    "check_cohort_file",
    "CohortValidator",
    "CohortReport",
    "derive",
    "synthesize",
    "CHAPTER_NEEDS",
    "chapter_needs",
    "column_counts",
    "renamed_columns",
    "MIN_PATIENTS",
    "MISSING_TOKENS",
    "PAPER_LEVELS",
    "ID_MISSING_WORDS",
    "times_read_as_years",
    "warning_lines",
    "NEAR_REPEAT_MIN_CELLS",
    "NEAR_REPEAT_MAX_CELLS",
    "TIME_MEDIAN_MAX",
    "TIME_LONG_MONTHS",
    "TIME_LONG_SHARE",
    "TIME_MIN_VALUES",
    "time_unit_signs",
    "DAYS_PER_MONTH",
    "WEEKS_PER_MONTH",
]

#: Where the data dictionary is stored.
SCHEMA_PATH = DATA_DIR / "schema.yaml"

#: The missing-value vocabulary: a cell is missing when, stripped of surrounding blanks, it is
#: empty or exactly one of these codes (R's ``NA``, SAS/Stata's ``.``, a JSON ``null``...).
#: Nothing else is missing: unlike pandas' default ``na_values``, ``None`` is not in the list,
#: because in a clinical record it is a value (no ascites, no encephalopathy), and a code never
#: counts as missing in a category column that allows it as a value (compared
#: case-insensitively). A missing cell in a required column is an error ("is required but
#: empty", or "holds a missing-value code, not a value" naming the code, as ``'nan'``, except in
#: ``patient_id``); in an optional column it is allowed. Category values are matched to the schema's
#: spelling case-insensitively (``None`` and ``NONE`` are read as ``none``, ``m`` as ``M``).
#: ``patient_id`` alone also reads :data:`ID_MISSING_WORDS` as missing.
MISSING_TOKENS = ("", "NA", "N/A", "n/a", "NaN", "nan", "null", "NULL", ".")

#: In ``patient_id`` these are missing too, in any case: an id is never "None" or "null" (a
#: database export's empty value), so a required id written so is an error, not a patient.
ID_MISSING_WORDS = frozenset({"none", "null", "na", "n/a", "nan", "nil"})

#: The fewest patients ``python -m analysis run`` (and ``validate``) accept. Below it a report is
#: not a cohort's analysis but a print-out of individuals: a median, a mean or a percentage of a
#: handful of patients is one patient's value (1 of 3 is 33%); a Cox model needs about ten
#: events per term (Peduzzi et al. 1995), which fewer than ten patients cannot have; and it is
#: twice :data:`analysis.privacy.SMALL_COUNT_THRESHOLD` (5), below which any split of the cohort
#: into two groups leaves one that the count tables must hide. Ten is a floor, not a sample size
#: that makes the estimates meaningful: above it the chapters still say when an estimate is not
#: estimable.
MIN_PATIENTS = 10

#: What the paper can say about a column (``paper:`` in the schema), and how the data
#: dictionary words it. ``not reported`` columns hold assumed values in the synthetic cohort.
PAPER_LEVELS = {
    "reported": "reported",
    "eligibility": "eligibility criterion only",
    "not reported": "not reported (synthetic assumption)",
}

_TYPES = ("string", "integer", "number", "binary", "category")


# --------------------------------------------------------------------------------------------
# The schema
# --------------------------------------------------------------------------------------------
#: A time column (``plausible: days``) looks like days when its median is above this many months ...
_DAYS_MEDIAN_MAX = 120
#: ... or when, of 10 values or more, half are above this many months and nine in ten are whole.
_DAYS_MOST_ABOVE = 60
#: A time column (``plausible: days``) of 10 values or more gets a warning (``time-unit``), not
#: a refusal, as probably weeks or days when its median is above this many months (3 years: the
#: paper's median overall survival is 9.9 months and its median PFS 4.7; times in weeks are 4.35
#: times as long, in days 30.4) ...
TIME_MEDIAN_MAX = 36
#: ... or when at least two of its values, and :data:`TIME_LONG_SHARE` of them, are above this
#: many months (10 years; the study entered patients from 2010 to 2021 and closed in 2023, and a
#: few long survivors at 60 to 100 months leave it alone) ...
TIME_LONG_MONTHS = 120
#: ... the share of values above :data:`TIME_LONG_MONTHS` (2 in 100; survival times in weeks
#: put one in ten of a cohort like the paper's above 120).
TIME_LONG_SHARE = 0.02
#: The fewest values a time column's warning judges (as its refusal as days does).
TIME_MIN_VALUES = 10
#: Overall survival of 10 patients or more, none above the first number of months and with a
#: median below the second, reads as years: a note (short follow-up can be real), not a problem.
_YEARS_MAX, _YEARS_MEDIAN_MAX = 10, 2


@dataclass(frozen=True)
class Plausible:
    """What a plausible value or cohort looks like for one column (``plausible:`` in the schema).

    Attributes
    ----------
    max : float or None
        Largest value any patient can have (beyond it: a wrong unit or a typing error).
    median_max, median_min : float or None
        Bounds on the cohort's median; beyond them the column is probably in ``likely``.
    likely : str
        The unit a median out of bounds suggests (``"µmol/L"``).
    days : bool
        A time in months: refuse when the values look like days (median above 120 months, or
        at least 10 values, half of them above 60 and nine in ten whole numbers).
    days_max : float or None
        A time in months: the longest any one patient can have from the start of HAIC; rows
        beyond it are refused as probably days even when the rest of the column is in months
        (two rows of 310 and 420 leave the median alone).
    other_units : tuple of (str, float)
        Units a value out of range may be in, with the factor to this column's unit; named in
        the hint when most out-of-range values fit one.
    hint : str
        How to convert.
    scale : str
        What the messages call the column's unit when its label is not its scale (CRP: the
        paper prints mg/L, its values fit mg/dL): "the paper's scale"; empty: the unit.
    median_count : int
        The fewest values whose median ``median_max`` and ``median_min`` judge (CRP: 10; one
        patient with a CRP of 5.05 mg/dL is ill, not in another unit); 1: any.
    """

    max: float | None = None
    median_max: float | None = None
    median_min: float | None = None
    likely: str = ""
    days: bool = False
    days_max: float | None = None
    other_units: tuple = ()
    hint: str = ""
    scale: str = ""
    median_count: int = 1


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
    paper : {"reported", "eligibility", "not reported"}
        What the paper says about the column (:data:`PAPER_LEVELS`): reported in it (Table 1,
        Table 2, the text), only an eligibility criterion, or not reported, in which case the
        synthetic cohort's values are assumptions.
    paper_where : str
        Where the paper reports it (``"Table 1, Table 2"``); empty when it does not.
    plausible : Plausible or None
        Plausibility rules (physiological maximum, cohort median, likely wrong units).

    Examples
    --------
    >>> col = SCHEMA["age_years"]
    >>> col.type, col.unit, col.required, col.min, col.max
    ('integer', 'years', True, 19, 110)
    >>> SCHEMA["sex"].allowed
    ('M', 'F')
    >>> SCHEMA["age_years"].paper, SCHEMA["ecog_ps"].paper, SCHEMA["inr"].paper
    ('reported', 'eligibility', 'not reported')
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
    paper: str = "not reported"
    paper_where: str = ""
    plausible: Plausible | None = None

    @property
    def in_paper(self) -> str:
        """What the paper says about the column, in words (the dictionary's "in the paper").

        Examples
        --------
        >>> SCHEMA["age_years"].in_paper
        'reported (Table 1, Table 2)'
        >>> SCHEMA["ecog_ps"].in_paper
        'eligibility criterion only (Methods: 0 to 2)'
        >>> SCHEMA["haic_cycles"].in_paper
        'not reported (synthetic assumption)'
        """
        text = PAPER_LEVELS[self.paper]
        return f"{text} ({self.paper_where})" if self.paper_where else text

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

    @property
    def values(self) -> str:
        """The values the validator accepts, in words: :attr:`rule` with the largest plausible
        value (``plausible: max``) as the upper bound where the column has none of its own
        (the dictionary's *Values*).

        Examples
        --------
        >>> SCHEMA["os_months"].rule, SCHEMA["os_months"].values
        ('number ≥ 0', 'number from 0 to 600')
        >>> SCHEMA["afp_ng_ml"].values
        'number from 0 to 10,000,000'
        >>> SCHEMA["child_pugh_score"].values
        'integer from 5 to 15'
        """
        top = self.plausible.max if self.plausible is not None else None
        if top is None or self.max is not None:
            return self.rule
        return dataclasses.replace(self, max=top).rule

    @property
    def checks(self) -> str:
        """What the validator refuses beyond :attr:`values` as a likely wrong unit, in words
        (the dictionary's *Checks*; empty when nothing).

        Examples
        --------
        >>> SCHEMA["bilirubin_mg_dl"].checks
        'refused as µmol/L: a median above 10'
        >>> SCHEMA["os_months"].checks
        'refused as days: a row above 240, a median above 120, or most above 60 in whole numbers'
        >>> SCHEMA["age_years"].checks
        ''
        """
        plaus = self.plausible
        if plaus is None:
            return ""
        parts = []
        if plaus.days:
            row = f"a row above {_fmt(plaus.days_max)}, " if plaus.days_max is not None else ""
            parts.append(
                f"refused as days: {row}a median above {_DAYS_MEDIAN_MAX}, or most above "
                f"{_DAYS_MOST_ABOVE} in whole numbers"
            )
        enough = f" ({plaus.median_count} patients or more)" if plaus.median_count > 1 else ""
        for bound, side in ((plaus.median_max, "above"), (plaus.median_min, "below")):
            if bound is not None:
                parts.append(f"refused as {plaus.likely}: a median {side} {_fmt(bound)}{enough}")
        return "; ".join(parts)


def _fmt(x) -> str:
    """A schema bound as text: plain decimal, never scientific notation, with ``,`` thousands
    separators (``10,000,000``), through :func:`analysis.formatting.number`."""
    if isinstance(x, bool) or not isinstance(x, int | float | np.integer | np.floating):
        return str(x)
    if not math.isfinite(x):
        return str(x)
    plain = np.format_float_positional(x, precision=8, unique=True, fractional=False, trim="-")
    return formatting.number(x, len(plain.partition(".")[2]), thousands=True)


class Schema:
    """The data dictionary: an ordered collection of :class:`Column`.

    ``SCHEMA["sex"]`` gives one column, iteration gives them in file order,
    :attr:`required` and :attr:`optional` the names, :meth:`to_frame` a table for the book.

    Examples
    --------
    >>> len(SCHEMA), "sex" in SCHEMA, SCHEMA.required[:3]
    (38, True, ['patient_id', 'age_years', 'sex'])
    >>> [c.name for c in SCHEMA][:2]
    ['patient_id', 'age_years']
    """

    def __init__(self, columns: Iterable[Column], version: int = 1):
        self.columns: tuple[Column, ...] = tuple(columns)
        self.version = version
        self._by_name = {c.name: c for c in self.columns}

    @classmethod
    def from_yaml(cls, path: Path | str = SCHEMA_PATH) -> Schema:
        """Load and check a schema file (see the header of ``data/schema.yaml``)."""
        path = Path(path)
        doc = yaml.load(path.read_text(encoding="utf-8"), Loader=YAML_LOADER)
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
            if entry.get("paper") not in PAPER_LEVELS:
                raise ValueError(
                    f"{path.name}: column {entry.get('name')!r} has paper "
                    f"{entry.get('paper')!r}; expected one of {', '.join(PAPER_LEVELS)}"
                )
            entry["paper_where"] = str(entry.get("paper_where") or "")
            if (entry["paper"] == "not reported") == bool(entry["paper_where"]):
                raise ValueError(
                    f"{path.name}: column {entry['name']!r}: paper_where is needed exactly when "
                    "the paper reports the column or makes it an eligibility rule"
                )
            entry["description"] = " ".join(str(entry.get("description", "")).split())
            if entry.get("allowed") is not None:
                entry["allowed"] = tuple(entry["allowed"])
            if entry.get("plausible") is not None:
                spec = dict(entry["plausible"])
                unknown = set(spec) - set(Plausible.__dataclass_fields__)
                if unknown:
                    raise ValueError(
                        f"{path.name}: column {entry['name']!r}: unknown plausible fields "
                        f"{sorted(unknown)}"
                    )
                spec["other_units"] = tuple(
                    (str(u), float(f)) for u, f in (spec.get("other_units") or {}).items()
                )
                for key in ("max", "median_max", "median_min", "days_max"):
                    if spec.get(key) is not None:
                        spec[key] = float(spec[key])
                spec["median_count"] = int(spec.get("median_count", 1))
                spec["hint"] = " ".join(str(spec.get("hint", "")).split())
                entry["plausible"] = Plausible(**spec)
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
        """The data dictionary as a table: column, type, unit, allowed values or range
        (:attr:`Column.values`), the checks of a likely wrong unit (:attr:`Column.checks`),
        required, in the paper, description."""
        return pd.DataFrame(
            {
                "column": [c.name for c in self],
                "type": [c.type for c in self],
                "unit": [c.unit or "" for c in self],
                "values": [c.values for c in self],
                "checks": [c.checks for c in self],
                "required": ["yes" if c.required else "optional" for c in self],
                "in the paper": [c.in_paper for c in self],
                "description": [c.description for c in self],
            }
        )


#: The data dictionary, loaded from ``data/schema.yaml``.
SCHEMA = Schema.from_yaml(SCHEMA_PATH)


def column_counts(schema: Schema | None = None) -> pd.DataFrame:
    """The data dictionary's columns counted by what the paper says of them and by kind.

    Parameters
    ----------
    schema : Schema, optional
        The data dictionary; :data:`SCHEMA` when not given.

    Returns
    -------
    pandas.DataFrame
        One row per level of :data:`PAPER_LEVELS` in its words, capitalised, then ``All
        columns``: ``What the paper says of the column``, ``Required``, ``Optional`` and ``All
        columns`` (whole numbers; a level no column has counts 0).

    Examples
    --------
    >>> counts = column_counts()
    >>> counts.columns.tolist()
    ['What the paper says of the column', 'Required', 'Optional', 'All columns']
    >>> counts.iloc[-1].tolist() == ["All columns", len(SCHEMA.required), len(SCHEMA.optional), len(SCHEMA)]
    True
    """
    schema = SCHEMA if schema is None else schema
    levels = {**PAPER_LEVELS, "all columns": "all columns"}
    rows = []
    for level, words in levels.items():
        members = [c for c in schema if level in (c.paper, "all columns")]
        required = sum(c.required for c in members)
        rows.append(
            {
                "What the paper says of the column": words[:1].upper() + words[1:],
                "Required": required,
                "Optional": len(members) - required,
                "All columns": len(members),
            }
        )
    return pd.DataFrame(rows)


#: The columns each chapter reads (required and optional alike), through its own code and the
#: functions of the package it calls. Chapter 10 turns this into the "what each chapter needs"
#: table; a chapter skips, with an explanation, what needs an optional column that a cohort does
#: not have. ``tests/test_chapter_needs.py`` derives the same from the chapters' code.
CHAPTER_NEEDS: dict[str, tuple[str, ...]] = {
    "01-data": tuple(SCHEMA.names),
    "02-eligibility": (
        "age_years", "ecog_ps", "tumor_size_mm", "tumor_number", "os_months",
        "refractory_tace_sessions", "refractory_poor_response", "refractory_new_lesions",
        "refractory_extrahepatic", "refractory_vascular_invasion", "refractory_tumor_marker",
        "bilirubin_mg_dl", "albumin_g_dl", "inr", "ascites", "encephalopathy", "child_pugh_score",
        "bclc_stage", "pvtt",
    ),
    "03-treatment": ("height_cm", "weight_kg", "haic_cycles", "bilirubin_mg_dl", "ast_u_l"),
    "04-baseline": (
        "age_years", "sex", "child_pugh_score", "bclc_stage",
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
        "os_months", "os_event", "pfs_months", "best_response", "response_month",
        "prior_tace_sessions", "additional_tace", "additional_tace_month",
        # the paper's multivariable model (optimism of its estimates)
        "child_pugh_score", "afp_ng_ml", "bilirubin_mg_dl", "albumin_g_dl", "ast_u_l", "crp_mg_l",
        "tumor_number",
    ),
}  # fmt: skip


# --------------------------------------------------------------------------------------------
# Reading the file, in chunks
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
#: Text formats that are not CSV, by how they begin (after a byte-order mark and blank space,
#: in lower case): a hospital system's "Excel" export is often an HTML table, and Excel 2003
#: saves XML; both read as a header of one or a few columns and no patient (exit status 1, 22
#: problems: every required column missing).
_TEXT_MAGIC = [
    ((b"<!doctype html", b"<html", b"<table"), "an HTML page (a web export saved as .csv?)"),
    ((b"<?xml",), "an XML file (an Excel 2003 XML spreadsheet?)"),
    ((b"{\\rtf",), "an RTF document"),
]
_SAVE_AS = 'save it from your spreadsheet as "CSV UTF-8 (comma delimited)"'

_BLANK_ROW = re.compile(r"^[, \t]*$", re.M)

#: What a spreadsheet's totals row has in its first column (compared in lower case; a
#: trailing colon is dropped: ``Total:``)
_TOTAL_WORDS = frozenset(
    "total totals subtotal sum tổng 합계 총계 合计 合計 总计 總計 summe gesamt somme suma totale".split()
) | {"grand total", "tổng cộng", "tổng số", "합 계"}

#: Rows read and validated at a time: the text of one chunk is held at once (what the
#: whole-cohort checks keep of every row still grows with the file; see the module docstring).
CHUNK_ROWS = 50_000

# A cell may be long (free text); the csv module's default limit (128 KiB) would refuse it.
csv.field_size_limit(max(csv.field_size_limit(), 1 << 24))


def _fatal(rule: str, code: str, hint: str = _SAVE_AS) -> Problem:
    return Problem(None, rule, code, hint=hint, fatal=True)


def _sniff(head: bytes, size: int) -> Problem | None:
    """File-level refusals decided from the first bytes (empty, binary, UTF-16)."""
    if size == 0:
        return _fatal(
            "is empty (0 bytes)", "empty", "expected a header line and one row per patient"
        )
    for magic, what in _MAGIC:
        if head.startswith(magic):
            return _fatal(f"is not a CSV text file: it looks like {what}", "binary")
    if head.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        return _fatal("is encoded as UTF-32, not UTF-8", "encoding")
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _fatal("is encoded as UTF-16, not UTF-8", "encoding")
    if b"\x00" in head:
        if _utf16_without_bom(head):
            return _fatal("is encoded as UTF-16 (without a byte-order mark), not UTF-8", "encoding")
        return _fatal("is not a CSV text file: it contains binary (NUL) bytes", "binary")
    start = head.lstrip(b"\xef\xbb\xbf").lstrip()[:16].lower()
    for magics, what in _TEXT_MAGIC:
        if start.startswith(magics):
            return _fatal(f"is not a CSV text file: it looks like {what}", "binary")
    return None


def _utf16_without_bom(head: bytes) -> bool:
    """True when the first bytes read as UTF-16 text without its byte-order mark: every other
    byte NUL (the high bytes of ASCII characters), the bytes between them not."""
    sample = head[: 4096 - 4096 % 2] if len(head) >= 2 else b""
    if len(sample) < 8:
        return False
    even, odd = sample[0::2], sample[1::2]
    for zeros, text in ((even, odd), (odd, even)):
        if zeros.count(0) >= 0.9 * len(zeros) and text.count(0) <= 0.05 * len(text):
            return True
    return False


# Vietnamese in Windows-1258: the letters ă, đ, ơ, ư (either case) and the five tone marks,
# which Windows-1258 writes as combining characters after the vowel (U+0300, 0301, 0303, 0309,
# 0323); Windows-1252 reads the same bytes as ã, ð, õ, ý, Ì, ì, Þ, Ò, ò
_VIETNAMESE_1258 = re.compile(r"[ăĂđĐơƠưƯ]|[^\W\d_][\u0300\u0301\u0303\u0309\u0323]")


# What CP949 text is made of, Chinese characters aside: Hangul syllables and letters, CJK
# symbols and unit signs (㎖, ㎎), full-width forms
_KOREAN_CHAR = re.compile("[\uac00-\ud7a3\u1100-\u11ff\u3130-\u318f\u3000-\u33ff\uff00-\uffef]")


def _legacy_encoding(raw: bytes) -> str | None:
    """What a file that is not UTF-8 most likely is: Korean Windows (CP949/EUC-KR) when it
    decodes so and at least half of what is not ASCII reads as Hangul, Vietnamese Windows
    (Windows-1258) when it decodes so with Vietnamese letters or tone marks in it, else
    Windows-1252 when it decodes so; None when none fits.

    A Vietnamese file can decode as CP949 too (``ễ`` is ``ê`` and a tilde, two bytes that CP949
    reads as one Chinese character: ``Nguyễn``, ``Huế``, ``Việt Nam`` do): it was named Korean,
    and Windows-1258 was never named. Korean text without Hangul still counts by its CP949
    symbols (``㎖``, ``㎎``, full-width forms).

    Examples
    --------
    >>> _legacy_encoding("간암,P001".encode("cp949")), _legacy_encoding("xơ gan".encode("cp1258"))
    ('CP949/EUC-KR (Korean Windows)', 'Windows-1258 (Vietnamese Windows)')
    >>> _legacy_encoding(b"Nguy\\xea\\xden")   # ê and a combining tilde: ễ in Windows-1258
    'Windows-1258 (Vietnamese Windows)'
    >>> _legacy_encoding("AFP (ng/㎖)".encode("cp949"))
    'CP949/EUC-KR (Korean Windows)'
    >>> _legacy_encoding("café".encode("cp1252"))
    'Windows-1252'
    """
    try:
        text = raw.decode("cp949")
    except UnicodeDecodeError:
        pass
    else:
        wide = [ch for ch in text if ord(ch) > 0x7F]
        if sum(_KOREAN_CHAR.match(ch) is not None for ch in wide) * 2 >= len(wide):
            return "CP949/EUC-KR (Korean Windows)"
    try:
        text = raw.decode("cp1258")
    except UnicodeDecodeError:
        pass
    else:
        if _VIETNAMESE_1258.search(text):
            return "Windows-1258 (Vietnamese Windows)"
    try:
        raw.decode("cp1252")
    except UnicodeDecodeError:
        return None
    return "Windows-1252"


def _encoding_problem(path: Path) -> Problem:
    """Where the file stops being UTF-8, and what it decodes as (read only on this error)."""
    raw = path.read_bytes()
    try:
        raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        label = _legacy_encoding(raw)
        guess = f"; it decodes as {label}" if label else ""
        byte = raw[exc.start : exc.start + 1].hex()
        return _fatal(f"is not valid UTF-8: byte 0x{byte} on line {line}{guess}", "encoding")
    return _fatal("is not valid UTF-8", "encoding")


def _show_text(text: str) -> str:
    """A short text of the file as a message shows it, control characters escaped."""
    return "".join(ch if ch.isprintable() else ascii(ch)[1:-1] for ch in text)


def _header_key(name: str) -> str:
    """A header as a schema name it was probably meant to be: lower case, without invisible
    characters (zero-width space, soft hyphen, BOM), spaces and hyphens as underscores, full-width
    letters (typed with a Korean, Chinese or Japanese input method: ``ａｇｅ＿ｙｅａｒｓ``) as ASCII."""
    text = "".join(
        ch for ch in unicodedata.normalize("NFKC", name) if unicodedata.category(ch) != "Cf"
    )
    return re.sub(r"[\s\-]+", "_", text.strip().lower())


def _shown_header(name: str) -> str:
    """A header as a one-line message quotes it: masked like every header
    (:func:`analysis.privacy.printable_header`), control characters escaped."""
    return "".join(
        ch if ch.isprintable() else ascii(ch)[1:-1] for ch in privacy.printable_header(name)
    )


_ROMAN_SUFFIX = {"ii": "2", "iii": "3"}


def _loose_key(name: str) -> str:
    """A header reduced for a close-match hint: :func:`_header_key` without any punctuation,
    space, underscore or bracket (``Height (cm)`` and ``height_cm`` give ``heightcm``), and a
    final Roman II or III as a digit (``PIVKA-II`` and ``pivka2`` give ``pivka2``)."""
    key = re.sub(r"[\W_]+", "", _header_key(name))
    match = re.fullmatch(r"(.*[a-z])(iii|ii)", key)
    return match[1] + _ROMAN_SUFFIX[match[2]] if match else key


def renamed_columns(columns: Iterable[str], names: Iterable[str] | None = None) -> dict[str, str]:
    """Schema columns absent from ``columns`` but present under a close name.

    A header that is not a schema name matches a schema name (of ``names``, default every
    column) when both are equal in lower case, or after dropping spaces, underscores,
    hyphens, brackets and other punctuation (so a unit in parentheses matches the name's unit
    suffix), or with a final Roman II/III as a digit. A key shared by two headers or two
    schema names gives no match.

    Returns
    -------
    dict
        ``{schema name: header as found}``, in schema order.

    Examples
    --------
    >>> renamed_columns(["patient_id", "Height (cm)", "weight kg", "INR", "PIVKA-II", "inr_x"])
    {'height_cm': 'Height (cm)', 'weight_kg': 'weight kg', 'inr': 'INR', 'pivka2': 'PIVKA-II'}
    """
    columns = [str(c) for c in columns]
    present = set(columns)
    wanted = [c.name for c in SCHEMA] if names is None else list(names)
    headers: dict[str, list[str]] = {}
    for header in columns:
        if header not in SCHEMA:
            headers.setdefault(_loose_key(header), []).append(header)
    schema_keys: dict[str, list[str]] = {}
    for col in SCHEMA:
        schema_keys.setdefault(_loose_key(col.name), []).append(col.name)
    found = {}
    for name in wanted:
        if name in present:
            continue
        key = _loose_key(name)
        if len(headers.get(key, ())) == 1 and len(schema_keys[key]) == 1:
            found[name] = headers[key][0]
    return found


def _empty_header_problem(header: list[str], empty: list[int]) -> Problem:
    """Where the header's unnamed columns that hold values (``empty``: their positions) are.
    Unnamed columns without any value are not a problem: they are ignored
    (:func:`_ignored_columns_note`)."""
    first = empty[0]
    n = len(empty)
    if first > 0 and header[first - 1] and empty == list(range(first, len(header))):
        last = privacy.printable_header(header[first - 1])
        where = f"the last {n} columns, after {last}" if n > 1 else f"the last column, after {last}"
    else:
        after = (
            " (the first)"
            if first == 0
            else f", after {privacy.printable_header(header[first - 1])}"
            if header[first - 1]
            else ""  # after another unnamed column: its number says where
        )
        more = f" and {n - 1} more" if n > 1 else ""
        where = f"column {first + 1}{after}{more}"
    what = "an empty column name" if n == 1 else f"{n} empty column names"
    hint = "name the column (or delete it)" if n == 1 else "name the columns (or delete them)"
    return Problem(
        None,
        f"the header has {what}: {where}, with values in some rows",
        "empty-header",
        hint=hint,
    )


def _ignored_columns_note(header: list[str], empty: list[int]) -> str:
    """The one line saying which unnamed columns, empty in every row, were left out (no value
    is shown: there is none)."""
    n = len(empty)
    first = empty[0]
    if first > 0 and header[first - 1] and empty == list(range(first, len(header))):
        where = f"{'the last column' if n == 1 else f'the last {n} columns'}, after " + (
            privacy.printable_header(header[first - 1])
        )
    else:
        where = "column" + ("s " if n > 1 else " ") + ", ".join(str(i + 1) for i in empty[:5])
        where += f" and {n - 5} more" if n > 5 else ""
    return (
        f"ignored {'an empty column' if n == 1 else f'{n} empty columns'} ({where}): no name "
        "in the header and no value in any row, as a spreadsheet saves unused columns"
    )


def _csv_problem(exc: csv.Error, line: int) -> Problem:
    """The csv module's refusal as a message (its field-size limit in words)."""
    if "field larger than field limit" in str(exc):
        limit = csv.field_size_limit()
        return _fatal(
            f"is not a cohort CSV: a value near line {line} is longer than {limit:,} characters "
            "(a line without separators or a quote that never closes?)",
            "csv",
        )
    return _fatal(f"is not valid CSV near line {line}: {exc}", "csv")


def _delimiter_problem(fields: list[str]) -> Problem | None:
    if len(fields) > 1:
        return None
    for delim, label in ((";", "semicolons (;)"), ("\t", "tabs"), ("|", "vertical bars (|)")):
        if fields and fields[0].count(delim) >= 1:
            hint = f"the book reads comma-separated files; {_SAVE_AS}"
            if delim == ";":  # Excel's "comma delimited" follows the system's list separator
                hint += (
                    '; where the system\'s list separator is ";" (most of Europe), Excel writes '
                    'semicolons and decimal commas even so: set the list separator to "," and the '
                    'decimal symbol to "." in the region settings first'
                )
            return _fatal(
                f"is separated by {label}, not commas: the header reads as one column",
                "delimiter",
                hint=hint,
            )
    return None


@dataclass
class _Chunk:
    """Rows of the file as columns of stripped ``str`` (``None`` when missing)."""

    columns: dict[str, np.ndarray]
    lines: np.ndarray | None
    start: int  # position of the first row in the whole cohort
    #: per column, (codes, distinct cleaned texts): cells == texts[codes]
    factors: dict[str, tuple[np.ndarray, np.ndarray]] = field(default_factory=dict)
    #: per column with a missing-value code (``nan``, ``NA`` ...), the code as written in each
    #: such cell (``None`` elsewhere, and in an empty cell): a required column names it
    written: dict[str, np.ndarray] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(next(iter(self.columns.values()))) if self.columns else 0


@functools.cache
def _vocabulary(name: str) -> tuple[frozenset, dict[str, str]]:
    """The missing-value codes of column ``name`` and, for a category column, its allowed
    values by their lower-case spelling: :data:`MISSING_TOKENS` without any code that is one
    of the column's categories in any case, and ``{"none": "none", ...}``."""
    col = SCHEMA[name] if name in SCHEMA else None
    canon: dict[str, str] = {}
    if col is not None and col.type == "category":
        canon = {str(a).lower(): str(a) for a in col.allowed}
    tokens = frozenset(t for t in MISSING_TOKENS if t.lower() not in canon)
    if name == "patient_id":  # None, NONE, Null, na ... in any case
        tokens = tokens | _ID_MISSING_SPELLINGS
    return tokens, canon


# every spelling of ID_MISSING_WORDS in upper, lower or title case
_ID_MISSING_SPELLINGS = frozenset(
    v for w in ID_MISSING_WORDS for v in (w, w.upper(), w.title(), w.capitalize())
)


def _cell(text: str, name: str) -> str | None:
    """One stripped cell of column ``name``: ``None`` when missing, a category in the schema's
    spelling when it matches one case-insensitively (``None`` → ``none``), else as written."""
    tokens, canon = _vocabulary(name)
    if text in tokens:
        return None
    return canon.get(text.lower(), text) if canon else text


def _clean(cells, name: str = "") -> tuple[np.ndarray, tuple[np.ndarray, np.ndarray], object]:
    """Stripped cells of column ``name``, ``None`` for a missing cell (:func:`_cell`); each
    distinct text is cleaned once. Also returns (codes, distinct cleaned texts), so later
    checks work once per text, and the missing-value codes as written (:func:`_written`)."""
    raw = np.empty(len(cells), dtype=object)
    raw[:] = cells
    codes, uniques = pd.factorize(raw)
    cleaned = np.empty(len(uniques), dtype=object)
    tokens, canon = _vocabulary(name)  # _cell, inlined: once per distinct text of a column
    if canon:
        cleaned[:] = [
            None if (t := u.strip()) in tokens else canon.get(t.lower(), t) for u in uniques
        ]
    else:
        cleaned[:] = [None if (t := u.strip()) in tokens else t for u in uniques]
    return cleaned[codes], (codes, cleaned), _written(uniques, cleaned, codes)


def _written(texts, cleaned: np.ndarray, codes: np.ndarray) -> np.ndarray | None:
    """Per cell, the missing-value code as written (``nan``, ``NA`` ...) where a non-empty text
    was read as missing, ``None`` elsewhere; ``None`` when the column has no such cell.
    ``texts`` and ``cleaned`` are the distinct texts before and after :func:`_cell`."""
    coded = np.empty(len(cleaned), dtype=object)
    coded[:] = [
        t.strip() if c is None and isinstance(t, str) and t.strip() else None
        for t, c in zip(texts, cleaned, strict=True)
    ]
    if not any(c is not None for c in coded):
        return None
    return coded[codes]


def _chunk_of(columns: dict[str, tuple], lines, start: int) -> _Chunk:
    return _Chunk(
        {name: cells for name, (cells, _, _) in columns.items()},
        lines,
        start,
        {name: factor for name, (_, factor, _) in columns.items()},
        {name: coded for name, (_, _, coded) in columns.items() if coded is not None},
    )


_NA_HASH = np.uint64(np.iinfo(np.uint64).max)
#: Rows alike but for one column are warned about (``near-repeated-row``) only when at least this
#: many other cells are filled (and equal): two different patients seldom agree on ten values.
NEAR_REPEAT_MIN_CELLS = 10
#: Files of more cells (rows times columns) than this are not searched for rows alike but for
#: one column: the search keeps a 64-bit hash of every cell (32 MB for this many; 108,108 rows
#: of the book's 37 columns besides the id).
NEAR_REPEAT_MAX_CELLS = 4_000_000
#: Step of the fixed odd multipliers of :meth:`CohortValidator._near_repeats`' row sums, one per
#: column, as many as the file has (SplitMix64's constant; any odd step would do).
_NEAR_STEP = np.uint64(0x9E3779B97F4A7C15)


def _column_hashes(columns: list[tuple[np.ndarray, tuple | None]]) -> list[np.ndarray]:
    """For each ``(cells, factor)``, ``pandas.util.hash_array(cells)``: each distinct text
    hashed once, a missing cell (``None``) the fixed hash of a missing value. From the column's
    factors (:class:`_Chunk`) where the chunk has them: the texts are not factorized again, and
    the distinct texts of all the columns are hashed in one call (a text's hash does not depend
    on the others'): 0.2 ms a column, most of the time a small chunk's checks took."""
    factored = [factor for _, factor in columns if factor is not None]
    present = [~np.equal(texts, None) for _, texts in factored]
    texts = [t[p] for (_, t), p in zip(factored, present, strict=True)]
    hashed_all = (
        pd.util.hash_array(np.concatenate(texts), categorize=False)
        if any(len(t) for t in texts)
        else np.zeros(0, dtype=np.uint64)
    )
    out, at, i = [], 0, 0
    for cells, factor in columns:
        if factor is None:
            out.append(pd.util.hash_array(cells))
            continue
        codes, mask = factor[0], present[i]
        hashed = np.full(len(mask), _NA_HASH, dtype=np.uint64)
        hashed[mask] = hashed_all[at : at + len(texts[i])]
        at, i = at + len(texts[i]), i + 1
        column = hashed.take(codes)
        column[codes < 0] = _NA_HASH
        out.append(column)
    return out


def _combined_hashes(columns: list[np.ndarray]) -> np.ndarray:
    """One hash per row from the hashes of its cells, column by column, as
    ``pandas.util.hash_pandas_object(frame, index=False)`` combines them."""
    out = np.zeros_like(columns[0]) + np.uint64(0x345678)
    mult = np.uint64(1000003)
    for i, hashed in enumerate(columns):
        inverse = len(columns) - i
        out ^= hashed
        out *= mult
        mult += np.uint64(82520 + inverse + inverse)
    return out + np.uint64(97531)


def _place(lines: np.ndarray, positions: np.ndarray, i: int) -> str:
    """Where row ``i`` is, as a message names it: its line in the file, or its row number when
    it came from a frame (line -1), never its id."""
    return f"line {lines[i]}" if lines[i] >= 0 else f"row {positions[i]}"


def _missing(cells: np.ndarray) -> np.ndarray:
    """Boolean mask of the ``None`` cells."""
    return np.equal(cells, None)


def _header_cell(text: str) -> str:
    """A header cell as the header is read: stripped, a byte-order mark at its start dropped (a
    header repeated further down keeps the mark when files saved as "CSV UTF-8" are joined)."""
    return text.strip().lstrip("\ufeff").strip()


def _header_below(head: bytes, first_line: int) -> int | None:
    """The line the column names are on when the file's first record (on ``first_line``) holds
    none of them: the first of the next five records that names at least three columns of the
    data dictionary, as a title or an export note written above the table leaves it; None when
    no such record follows. Read from the file's first bytes ``head``.

    Examples
    --------
    >>> _header_below(b"HAIC cohort, exported 2024\\n\\npatient_id,age_years,sex\\nP1,60,M\\n", 1)
    3
    >>> _header_below(b"id,age\\n1,60\\n", 1) is None
    True
    """
    lines = head.decode("utf-8-sig", errors="replace").splitlines(keepends=True)
    reader = csv.reader(lines[:-1] if len(lines) > 1 else lines)  # the last may be cut short
    start, looked = 1, 0
    try:
        for fields in reader:
            line, start = start, reader.line_num + 1
            if line <= first_line or not any(f.strip() for f in fields):
                continue
            if sum(_header_cell(f) in SCHEMA for f in fields) >= 3:
                return line
            looked += 1
            if looked == 5:
                break
    except csv.Error:
        pass
    return None


_NUMBER_CELL = re.compile(r"[-+]?(\d+([.,]\d*)?|[.,]\d+)")


def _first_records(head: bytes, n: int = 30) -> list[list[str]]:
    """The first ``n`` non-blank records of the file's first bytes ``head`` (a last line cut
    short left out when there are more)."""
    lines = head.decode("utf-8-sig", errors="replace").splitlines(keepends=True)
    if len(lines) > 1 and not lines[-1].endswith(("\n", "\r")):
        lines.pop()
    records: list[list[str]] = []
    try:
        for fields in csv.reader(lines):
            if any(f.strip() for f in fields):
                records.append([_header_cell(f) for f in fields])
                if len(records) == n:
                    break
    except csv.Error:
        pass
    return records


def _layout_problem(head: bytes, header: list[str], first_line: int) -> Problem | None:
    """A file whose first line is not a header, or None: the table transposed (one patient per
    column, the data dictionary's names down the first column) or its header line missing (line
    1 holds a patient's values). Read, the first made every patient's id a column name, the
    second the first patient's values, and both were listed as columns "not used by the book".
    The message names no value of the file. Read from the file's first bytes ``head``.

    Examples
    --------
    >>> flipped = b"patient_id,P1,P2\\nage_years,60,70\\nsex,M,F\\necog_ps,0,1\\n"
    >>> _layout_problem(flipped, ["patient_id", "P1", "P2"], 1).code
    'transposed'
    >>> print(_layout_problem(b"P1,60,M,1.2,0\\n", ["P1", "60", "M", "1.2", "0"], 1).rule)
    no header line: line 1 holds data (no column of the data dictionary is named)
    >>> _layout_problem(b"patient_id,age_years\\nP1,60\\n", ["patient_id", "age_years"], 1)
    """
    in_header = sum(h in SCHEMA for h in header)
    records = _first_records(head)
    down = sum(bool(r) and r[0] in SCHEMA for r in records)
    if down >= 3 and in_header < 3:
        return _fatal(
            "holds one patient per column, not per row: its first column holds the data "
            "dictionary's column names (transposed?)",
            "transposed",
            hint="put one patient per row: transpose the table back (in a spreadsheet: copy it, "
            "then Paste Special > Transpose), the column names on line 1",
        )
    if in_header or renamed_columns(header):
        return None
    filled = [h for h in header if h]
    numbers = sum(_NUMBER_CELL.fullmatch(h) is not None for h in filled)
    if numbers >= 3 and 2 * numbers >= len(filled):
        return _fatal(
            f"no header line: line {first_line} holds data (no column of the data dictionary is "
            "named)",
            "no-header",
            hint="add the column names as the first line (data/cohort-template.csv has them all)",
        )
    return None


def times_read_as_years(os_months) -> bool:
    """Whether a cohort's overall survival times read as years, not months: 10 times or more
    (missing ones left out), none above 10 and their median below 2. Short follow-up can be
    real, so ``validate`` and ``run`` say it in a note, and a report says it on its first page
    (the chapters read the times as months).

    Examples
    --------
    >>> times_read_as_years([0.4, 0.8, 1.2, 0.5, 2.5, 3.1, 0.9, 1.1, 0.3, 4.0])
    True
    >>> times_read_as_years([4.8, 9.6, 14.4, 6.0, 30.0, 37.2, 10.8, 13.2, 3.6, 48.0])
    False
    >>> times_read_as_years([0.4, 0.8, 1.2])  # too few to tell
    False
    """
    values = np.asarray(os_months, dtype=float)
    values = values[~np.isnan(values)]
    if len(values) < 10 or values.max() > _YEARS_MAX:
        return False
    return bool(np.median(values) < _YEARS_MEDIAN_MAX)


def time_unit_signs(times) -> list[str]:
    """What makes a column of times in months look like weeks or days instead, in words, or
    nothing: of 10 times or more (missing ones left out), a median above
    :data:`TIME_MEDIAN_MAX` months, or at least two times, and :data:`TIME_LONG_SHARE` of them,
    above :data:`TIME_LONG_MONTHS` months. Neither is impossible in months, so ``validate`` and
    ``run`` warn (``time-unit``) instead of refusing; the chapters would read weeks as months
    and print medians 4.35 times too long (days: 30.4 times).

    Parameters
    ----------
    times : array-like of float
        One time column of a cohort (``os_months``, ``pfs_months`` ...).

    Returns
    -------
    list of str
        One phrase per sign found (the statistic and its bound), none for times that look like
        months (nor for fewer than :data:`TIME_MIN_VALUES` times). Only counts and the median
        are named, never one patient's time.

    Examples
    --------
    >>> months = [9.9, 4.7, 14.0, 3.4, 11.7, 6.7, 22.0, 65.0, 88.0, 2.1]
    >>> time_unit_signs(months)  # two long survivors, at 65 and 88 months
    []
    >>> time_unit_signs([round(m * 4.348) for m in months])  # the same times in weeks
    ['median 47 above 36 months (3 years)', '2 times above 120 months (10 years)']
    >>> time_unit_signs([40.0, 52.0, 61.0])  # too few to tell
    []
    """
    values = np.asarray(times, dtype=float)
    values = values[~np.isnan(values)]
    if len(values) < TIME_MIN_VALUES:
        return []
    signs = []
    median = float(np.median(values))
    if median > TIME_MEDIAN_MAX:
        signs.append(
            f"median {_fmt_value(round(median, 1))} above {TIME_MEDIAN_MAX} months "
            f"({TIME_MEDIAN_MAX // 12} years)"
        )
    long = int(np.count_nonzero(values > TIME_LONG_MONTHS))
    if long >= 2 and long >= TIME_LONG_SHARE * len(values):
        signs.append(
            f"{long:,} times above {TIME_LONG_MONTHS} months ({TIME_LONG_MONTHS // 12} years)"
        )
    return signs


def _file_name_problem(path: Path) -> Problem | None:
    """A file whose name, or the name of the file a link points to, holds a direct identifier
    (:func:`analysis.privacy.file_name_identifier`): a chapter shows the cohort's file name
    (chapter 10's "your cohort (NAME)"), so :func:`load_cohort` refuses it, as ``run`` and
    ``validate`` do; a chapter executed with papermill printed it."""
    names = [path.name]
    try:
        names.append(path.resolve().name)
    except (OSError, RuntimeError):  # a loop of links: the reader says so
        pass
    kind = next((k for k in map(privacy.file_name_identifier, names) if k), None)
    if kind is None:
        return None
    return Problem(
        None,
        f"its name holds {privacy.describe(kind)}, and a report shows it on its first page",
        "identifier",
        hint="rename the file, e.g. my_cohort.csv",
    )


def _system_path(path) -> bool:
    """Whether ``path`` is as typed in the system's device or process folders (``/dev/null``,
    ``/dev/stdin``, ``/proc/self/fd/0``): a message shows it whole, as no person is named in it.

    Examples
    --------
    >>> _system_path("/dev/null"), _system_path("/home/me/cohort.csv")
    (True, False)
    """
    return str(path).startswith(("/dev/", "/proc/"))


def _shown_file_name(name: str) -> str:
    """A file's name as a message shows it: masked (:func:`analysis.privacy.mask_file_name`)
    when it holds a direct identifier, and on one line (a newline or another control character
    escaped: "file: a\\nb.csv does not exist" broke the one line a problem takes)."""
    shown = privacy.mask_file_name(name) if name and privacy.file_name_identifier(name) else name
    return "".join(ch if ch.isprintable() else ascii(ch)[1:-1] for ch in shown)


class _CsvStream:
    """A cohort CSV read record by record: the header, file problems, chunks of rows."""

    def __init__(self, path: Path, chunk_rows: int = CHUNK_ROWS):
        self.path = path
        # a file name that holds an identifier is masked in every message: "file:
        # Nguyen_Van_An.csv does not exist" followed validate's masked header line
        self.source = _shown_file_name(path.name)
        self.chunk_rows = chunk_rows
        self.problems: list[Problem] = []
        #: one-line remarks that change nothing (empty columns ignored), for stderr
        self.notes: list[str] = []
        self.rows = 0
        self.bytes_read = 0
        name = _shown_file_name(path.name) or str(path)  # the file, never its folder
        try:
            info = path.stat()
            if stat.S_ISDIR(info.st_mode):
                raise IsADirectoryError
            if not stat.S_ISREG(info.st_mode):
                # the system's devices by their path as given: "/dev/null", not "null" (a
                # file elsewhere by its name only: a folder's name may name a patient)
                typed = _show_text(str(path)) if _system_path(path) else name
                raise CohortError(
                    [_fatal(f"{typed} is not a regular file (a pipe or device)", "not-a-file", "")],
                    self.source,
                )
            self.size = info.st_size
            with path.open("rb") as f:
                head = f.read(65536)
        except FileNotFoundError:
            # "-" is standard input to many tools; here a file of that name, when there is one
            hint = "standard input is not read: give the file's path" if path.name == "-" else ""
            if str(path).startswith("~"):  # quoted, so the shell left it: "~/x.csv" was read
                hint = "the path starts with '~', which the shell did not expand (quoted?)"
            raise CohortError(
                [_fatal(f"{name} does not exist", "not-found", hint)], self.source
            ) from None
        except IsADirectoryError:
            raise CohortError(
                [_fatal(f"{name} is a directory", "not-found", "")], self.source
            ) from None
        except OSError as exc:
            raise CohortError(
                [_fatal(f"cannot be read ({exc.strerror})", "unreadable", "")], self.source
            ) from None
        problem = _sniff(head, self.size)
        if problem:
            raise CohortError([problem], self.source)
        self._fast = self._plain(path)
        self._file = path.open("r", encoding="utf-8-sig", newline="")
        self._reader = csv.reader(self._file)
        self._start = 1
        first = self._next_record()
        if first is None:
            self.close()
            what = "empty (no values: only blank lines, spaces or commas)"
            raise CohortError(
                [_fatal(f"is {what}", "empty", "expected a header line and one row per patient")],
                self.source,
            )
        _, header = first
        self.header = [h.strip() for h in header]
        if self.header:  # a second byte-order mark (a file saved twice with one): not a name
            self.header[0] = _header_cell(self.header[0])
        # spaces around a name (" pfs_event "): invisible in a spreadsheet, ignored as around
        # a cell, with a note; inside a name or in another letter case it is another name
        padded = [
            name
            for raw, name in zip(header, self.header, strict=True)
            if name and raw.lstrip("\ufeff") != name
        ]
        if padded:
            shown = ", ".join(privacy.printable_header(n) for n in padded[:MAX_ROWS_SHOWN])
            more = (
                f" and {len(padded) - MAX_ROWS_SHOWN} more" if len(padded) > MAX_ROWS_SHOWN else ""
            )
            self.notes.append(
                f"ignored spaces around {len(padded)} column name{'s' if len(padded) > 1 else ''}"
                f" ({shown}{more}): names are matched without them"
            )
        joined = ",".join(self.header).strip()
        if self.header and re.fullmatch(r"sep=.?", joined, re.I):
            # Excel's delimiter hint ("sep=," or "sep=;") written above the header
            self.close()
            hint = "delete that first line, so that the column names come first"
            if joined[4:] != ",":
                hint += f"; the file is not comma-separated either: {_SAVE_AS}"
            raise CohortError(
                [
                    _fatal(
                        f"its first line is a spreadsheet's delimiter hint "
                        f"({_show_text(joined)}), not the header",
                        "delimiter-hint",
                        hint=hint,
                    )
                ],
                self.source,
            )
        below = None
        if not any(h in SCHEMA for h in self.header):
            below = _header_below(head, first[0])
        if below is not None:
            # a title or a note above the table: read as the header, it made every required
            # column missing and every row "a stray comma" (22 problems)
            self.close()
            above = "the lines above it" if below - first[0] > 1 else "the line above it"
            raise CohortError(
                [
                    _fatal(
                        f"its column names are on line {below}, not on line {first[0]}: a "
                        "title or a note above the table?",
                        "header-below",
                        hint=f"delete {above}, so that the column names come first",
                    )
                ],
                self.source,
            )
        problem = _delimiter_problem(self.header) or _layout_problem(head, self.header, first[0])
        if problem:
            self.close()
            raise CohortError([problem], self.source)
        seen: dict[str, int] = {}
        for h in self.header:
            seen[h] = seen.get(h, 0) + 1
        dupes = [h for h, n in seen.items() if n > 1 and h]
        if dupes:
            self.problems.append(
                Problem(
                    ", ".join(privacy.printable_header(h) for h in dupes),
                    "column name appears more than once in the header",
                    "duplicate-column",
                )
            )
        # Columns without a name: a spreadsheet's empty columns (trailing separators on every
        # line) are ignored when no row has a value in them; decided at the end of the file
        self._unnamed = [i for i, h in enumerate(self.header) if not h]
        self._unnamed_filled: set[int] = set()  # those with a value in some row
        self._unnamed_at = len(self.problems)
        # a row may stop before the trailing unnamed columns (Excel writes their separators
        # on the first rows only): it is read as if they were there, empty
        self._named_width = max((i for i, h in enumerate(self.header) if h), default=0) + 1
        # keep the first of duplicated names so the frame stays addressable by name
        self.keep = [i for i, h in enumerate(self.header) if h and self.header.index(h) == i]
        self.names = [self.header[i] for i in self.keep]
        self._ragged: list[RowRef] = []
        self._ragged_count = 0
        self._header_lines: list[int] = []  # rows that repeat the header (files joined)
        self._open_quote = False  # a ragged row with a line break inside a quoted value
        self._summary_row = ""  # the message for a last row of totals (_last_row)

    def close(self) -> None:
        self._file.close()

    @staticmethod
    def _plain(path: Path) -> bool:
        """True when the file has no quote and no carriage return outside CRLF: each line is
        then one record, split at commas (much faster than the csv module)."""
        carry = b""
        with path.open("rb") as f:
            while block := f.read(1 << 22):
                block = carry + block
                if b'"' in block:
                    return False
                carry = block[-1:] if block.endswith(b"\r") else b""
                body = block[:-1] if carry else block
                if body.count(b"\r") != body.count(b"\r\n"):
                    return False
        return not carry

    def _plain_chunks(self) -> Iterator[_Chunk]:
        """Chunks of a plain file (see :meth:`_plain`), split without the csv module."""
        width = len(self.header)
        sep = width - 1
        line = self._start
        good: list[str] = []
        lines: list[int] = []
        rest = ""
        while True:
            piece = self._file.read(1 << 22)
            text = rest + piece
            if not piece:
                block, rest = text, ""
            else:
                cut = text.rfind("\n")
                if cut < 0:
                    rest = text
                    continue
                block, rest = text[:cut], text[cut + 1 :]
            if "\r" in block:
                block = block.replace("\r\n", "\n").removesuffix("\r")
            parts = block.split("\n") if block else []
            commas = np.fromiter((r.count(",") for r in parts), dtype=np.int64, count=len(parts))
            if len(parts) and (commas == sep).all() and not _BLANK_ROW.search(block):
                good.extend(parts)  # the usual case: every line one well-formed record
                lines.extend(range(line, line + len(parts)))
                line += len(parts)
            else:
                for row in parts:
                    commas = row.count(",")
                    if commas == sep and row.strip(", \t"):
                        good.append(row)
                        lines.append(line)
                    elif self._named_width - 1 <= commas < sep and row.strip(", \t"):
                        good.append(row + "," * (sep - commas))  # short of trailing unnamed
                        lines.append(line)
                    elif row.strip(", \t"):
                        self._ragged_row(line, row.split(","))
                    line += 1
            # one row is always kept back: the file's last row is looked at alone (_last_row)
            while len(good) > self.chunk_rows:
                yield self._plain_chunk(good[: self.chunk_rows], lines[: self.chunk_rows], width)
                del good[: self.chunk_rows], lines[: self.chunk_rows]
            if not piece:
                break
        if good and self._last_row(lines[-1], good[-1].split(",")):
            del good[-1], lines[-1]
        if good:
            yield self._plain_chunk(good, lines, width)

    def _plain_chunk(self, good: list[str], lines: list[int], width: int) -> _Chunk:
        flat = np.array(",".join(good).split(","), dtype=object).reshape(len(good), width)
        again = self._repeated_headers(flat[:, 0], lambda i: flat[i])
        if again:
            self._header_lines.extend(lines[i] for i in again)
            keep = np.ones(len(flat), dtype=bool)
            keep[again] = False
            flat, lines = flat[keep], [n for n, k in zip(lines, keep, strict=True) if k]
        self._look_unnamed(lambda i: flat[:, i])
        columns = {
            self.header[i]: _clean(np.ascontiguousarray(flat[:, i]), self.header[i])
            for i in self.keep
        }
        chunk = _chunk_of(columns, np.array(lines, dtype=np.int64), self.rows)
        self.rows += len(flat)
        self.bytes_read = self._position()
        return chunk

    def _repeated_headers(self, first: Iterable[str], row: Callable[[int], Iterable[str]]):
        """Positions of the rows that are the header again (``first``: the rows' first cells,
        ``row(i)``: a row's cells), recorded by line; each distinct first cell is looked at
        once."""
        codes, uniques = pd.factorize(np.asarray(first, dtype=object))
        hits = [j for j, text in enumerate(uniques) if _header_cell(text) == self.header[0]]
        if not hits:
            return []
        candidates = np.flatnonzero(np.isin(codes, hits))
        found = [
            int(i)
            for i in candidates
            if all(_header_cell(c) == h for c, h in zip(row(i), self.header, strict=True))
        ]
        return found

    def _next_record(self):
        """The next non-blank record as (line, fields), or None at the end."""
        try:
            for fields in self._reader:
                line = self._start
                self._start = self._reader.line_num + 1
                if any(x.strip() for x in fields):
                    return line, fields
        except UnicodeDecodeError:
            self.close()
            raise CohortError([_encoding_problem(self.path)], self.source) from None
        except csv.Error as exc:
            self.close()
            raise CohortError([_csv_problem(exc, self._reader.line_num)], self.source) from None
        return None

    def chunks(self) -> Iterator[_Chunk]:
        """Chunks of well-formed rows; blank rows are skipped, ragged rows reported."""
        try:
            yield from (self._plain_chunks() if self._fast else self._csv_chunks())
        except UnicodeDecodeError:
            raise CohortError([_encoding_problem(self.path)], self.source) from None
        except csv.Error as exc:
            raise CohortError([_csv_problem(exc, self._reader.line_num)], self.source) from None
        finally:
            self.close()
        self._finish()

    def _csv_chunks(self) -> Iterator[_Chunk]:
        width = len(self.header)
        reader = self._reader
        good: list[list[str]] = []
        lines: list[int] = []
        start = self._start
        for fields in reader:
            line, start = start, reader.line_num + 1
            if self._named_width <= len(fields) < width:  # short of trailing unnamed columns
                fields = fields + [""] * (width - len(fields))
            if len(fields) == width and (fields[0].strip() or any(x.strip() for x in fields)):
                good.append(fields)
                lines.append(line)
                if len(good) > self.chunk_rows:  # the last row is kept back (_last_row)
                    yield self._chunk(good[:-1], lines[:-1])
                    good, lines = good[-1:], lines[-1:]
            elif any(x.strip() for x in fields):
                self._ragged_row(line, fields)
        if good and self._last_row(lines[-1], good[-1]):
            del good[-1], lines[-1]
        if good:
            yield self._chunk(good, lines)

    def _chunk(self, good: list[list[str]], lines: list[int]) -> _Chunk:
        again = self._repeated_headers([f[0] for f in good], good.__getitem__)
        if again:
            self._header_lines.extend(lines[i] for i in again)
            drop = set(again)
            good = [f for i, f in enumerate(good) if i not in drop]
            lines = [n for i, n in enumerate(lines) if i not in drop]
        cells = list(zip(*good, strict=True)) or [()] * len(self.header)
        self._look_unnamed(cells.__getitem__)
        columns = {self.header[i]: _clean(cells[i], self.header[i]) for i in self.keep}
        chunk = _chunk_of(columns, np.array(lines, dtype=np.int64), self.rows)
        self.rows += len(good)
        self.bytes_read = self._position()
        return chunk

    def _look_unnamed(self, column: Callable[[int], Iterable[str]]) -> None:
        """Note which unnamed columns hold something in this chunk (``column(i)``: its cells)."""
        for i in self._unnamed:
            if i not in self._unnamed_filled and any(t.strip() for t in set(column(i))):
                self._unnamed_filled.add(i)

    def _position(self) -> int:
        """Bytes read so far (approximate: the reader buffers ahead)."""
        try:
            return min(self._file.buffer.tell(), self.size)
        except (OSError, ValueError):
            return self.size

    def _last_row(self, line: int, fields: list[str]) -> bool:
        """Whether the file's last row is a spreadsheet's totals or summary row (its
        ``patient_id`` Total, Sum, Tổng, 합계 …, or empty with three quarters of the named
        cells empty); if so it is reported (:meth:`_finish`) and left out of the checks,
        which would list it as a patient in every required column."""
        cells = [fields[i].strip() for i in self.keep if i < len(fields)]
        if not cells:
            return False
        at = self.names.index("patient_id") if "patient_id" in self.names else 0
        label = unicodedata.normalize("NFC", cells[at]).rstrip(":").strip()
        empty = sum(not c for c in cells)
        if label.lower() in _TOTAL_WORDS:
            shown = f"patient_id {label!r}, "
        elif not label and empty * 4 >= len(cells) * 3:
            shown = "no patient_id, "
        else:
            return False
        self._summary_row = (
            f"line {line}, the last row, looks like a spreadsheet's totals or summary row "
            f"({shown}{empty} of {len(cells)} cells empty), not a patient"
        )
        return True

    def _ragged_row(self, line: int, fields: list[str]) -> None:
        self._ragged_count += 1
        if any("\n" in f or "\r" in f for f in fields):
            self._open_quote = True
        if len(self._ragged) < MAX_ROWS_SHOWN:
            # line numbers only, as every message (and here the "patient_id" field may be
            # anything: an unquoted "Nguyen, Van An" puts the surname there)
            n = len(fields)
            self._ragged.append(RowRef(line, f"{n} field{'' if n == 1 else 's'}"))

    def _finish(self) -> None:
        empty = [i for i in self._unnamed if i not in self._unnamed_filled]
        if self._unnamed_filled:
            filled = sorted(self._unnamed_filled)
            self.problems.insert(self._unnamed_at, _empty_header_problem(self.header, filled))
        if empty:
            self.notes.append(_ignored_columns_note(self.header, empty))
        if self._header_lines:
            n = len(self._header_lines)
            shown = ", ".join(str(line) for line in self._header_lines[:MAX_ROWS_SHOWN])
            more = f" and {n - MAX_ROWS_SHOWN} more" if n > MAX_ROWS_SHOWN else ""
            self.problems.append(
                Problem(
                    None,
                    f"the header line appears again on line{'s' if n > 1 else ''} {shown}{more}",
                    "repeated-header",
                    hint="files joined together? delete the repeated header "
                    + ("lines" if n > 1 else "line"),
                )
            )
        if self._summary_row:
            self.problems.append(
                Problem(None, self._summary_row, "summary-row", hint="delete that row")
            )
        if self._ragged_count:
            hint = "a stray comma inside a value? quote it, or use a decimal point"
            if self._open_quote:
                # a quote that never closes swallows the following lines into one value
                hint = (
                    'a value opened with a double quote (") and not closed? everything up to '
                    "the next quote, line ends included, reads as one value; " + hint
                )
            self.problems.append(
                Problem(
                    None,
                    f"rows must have as many fields as the header ({len(self.header)})",
                    "fields",
                    tuple(self._ragged),
                    hint=hint,
                    count=self._ragged_count,
                )
            )
        if self.rows == 0 and self._ragged_count == 0:
            self.problems.append(
                Problem(
                    None,
                    "has a header but no data rows",
                    "header-only",
                    hint="add one row per patient",
                )
            )


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
        (see ``MISSING_TOKENS``); ``frame.attrs["line_numbers"]`` holds each row's line in
        the file; ``frame.attrs["notes"]`` what was ignored. Rows with the wrong number of
        fields are left out (and reported). Columns without a name in the header and without a
        value in any row (a spreadsheet's unused columns) are left out, with a note.
    problems : list of Problem
        Problems with the file: duplicate header names, empty header names over values, rows
        with the wrong number of fields, no data rows.

    Raises
    ------
    CohortError
        If the file cannot be read as CSV at all (missing, empty, binary, not UTF-8, another
        delimiter); its problems are ``fatal``.

    Examples
    --------
    >>> import os, tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = os.path.join(tmp, "mine.csv")
    ...     load_cohort().head(3).to_csv(path, index=False)
    ...     frame, problems = read_cohort_csv(path)
    >>> frame.shape, problems, frame.attrs["line_numbers"]
    ((3, 38), [], [2, 3, 4])
    >>> frame.loc[0, "patient_id"], type(frame.loc[0, "age_years"]).__name__   # strings, as read
    ('SYN001', 'str')
    """
    stream = _CsvStream(Path(path))
    parts = list(stream.chunks())
    data = {
        name: np.concatenate([c.columns[name] for c in parts]) if parts else np.empty(0, object)
        for name in stream.names
    }
    frame = pd.DataFrame(data, dtype=object, columns=stream.names)
    frame.attrs["line_numbers"] = [int(x) for c in parts for x in c.lines]
    frame.attrs["source"] = stream.source
    frame.attrs["notes"] = stream.notes
    return frame, stream.problems


# --------------------------------------------------------------------------------------------
# Validation, chunk by chunk
# --------------------------------------------------------------------------------------------
_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]{1,4})?")


def _is_missing(v) -> bool:
    """A missing non-text value (``None``, ``NaN``, ``pd.NA``, ``NaT``); text cells are
    decided by :func:`_cell`."""
    if v is None or v is pd.NA or v is pd.NaT:
        return True
    return isinstance(v, float) and math.isnan(v)


def _as_text(v) -> str:
    if isinstance(v, float) and v.is_integer() and abs(v) < 1e15:
        v = int(v)
    return str(v).strip()


def _text_column(series: pd.Series, name: str = "") -> np.ndarray:
    """A DataFrame column ``name`` as cells of stripped ``str`` (``None`` when missing), read
    the way the file reader reads a cell (:func:`_cell`)."""
    out = np.empty(len(series), dtype=object)
    out[:] = [
        None
        if _is_missing(v)
        else _cell(
            v.strip()
            if isinstance(v, str)
            else repr(float(v))
            if isinstance(v, float)
            else _as_text(v),
            name,
        )
        for v in series
    ]
    return out


def _numbers(cells: np.ndarray, factor=None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Parse text cells as finite floats: (values with NaN where missing or bad, bad mask,
    mask of cells of 8 or more characters, which the identifier guard looks at).

    Only plain decimal notation is a number (``12``, ``-3.5``, ``1e3``): not ``1_2`` (which
    Python's float reads as 12), ``inf``, ``nan``, ``0x1F``, digits of other scripts, or
    anything that overflows to infinity. Each distinct text is parsed once (``factor``: the
    chunk's (codes, distinct texts) for these cells, when known).
    """
    if factor is None:
        codes, uniques = pd.factorize(pd.Series(cells, dtype=object), use_na_sentinel=True)
        texts = np.asarray(uniques, dtype=object)
    else:
        codes, texts = factor
        codes = np.where(np.equal(texts, None)[codes], -1, codes) if len(texts) else codes
    parsed = np.full(len(texts), np.nan)
    ok = np.zeros(len(texts), dtype=bool)
    wide = np.zeros(len(texts), dtype=bool)
    for j, t in enumerate(texts):
        if t is None:
            continue
        wide[j] = len(t) >= 8
        if _NUMBER.fullmatch(t):
            x = float(t)
            if math.isfinite(x):
                parsed[j] = x
                ok[j] = True
    present = codes >= 0
    values = np.full(len(cells), np.nan)
    values[present] = parsed[codes[present]]
    bad = np.zeros(len(cells), dtype=bool)
    bad[present] = ~ok[codes[present]]
    long = np.zeros(len(cells), dtype=bool)
    long[present] = wide[codes[present]]
    return values, bad, long


def _fmt_value(v) -> str:
    """A number as a message shows it: plain decimal, at most eight significant digits, never
    scientific notation; a number of a million or more is described by its digits (``an
    8-digit number``): it may be a hospital number written in a number column."""
    if isinstance(v, float | np.floating):
        x = float(v)
        if not math.isfinite(x):
            return str(x)
        if abs(x) >= 1e6:
            return privacy.describe_value(str(int(abs(x))))
        return np.format_float_positional(x, precision=8, unique=True, fractional=False, trim="-")
    if isinstance(v, int | np.integer) and abs(int(v)) >= 1_000_000:
        return privacy.describe_value(str(abs(int(v))))
    return str(v)


#: A time that is a date as a spreadsheet stores it: days since 1899-12-30, from 1970-01-01
#: (25,569) to 2049-12-31 (54,788). A date column formatted as a number, or a date typed where
#: months belong, reads so: it is an exact calendar date, so a message describes it, never shows
#: it, and says what it is.
_SERIAL_DATES = (25569, 54788)


def _is_serial_date(col: Column | None, value) -> bool:
    """Whether ``value`` in ``col`` (a time in months) is a spreadsheet's date number."""
    if col is None or col.unit != "months" or not isinstance(value, float | int | np.number):
        return False
    return bool(_SERIAL_DATES[0] <= float(value) <= _SERIAL_DATES[1])


def _shown(text: str, value, col: Column | None = None, bounds=()) -> str:
    """A parsed number as a message shows it; masked when its text looks like an identifier
    (``8501011234567`` is a valid number and a resident registration number). In a column of
    counts, scores or codes (``integer``, ``binary``: not a measurement) a whole number of seven
    or more digits may be a hospital number: it is described (``a 7-digit number``), not shown.
    A measurement (``number`` columns) is shown in plain decimal (:func:`_fmt_value`), and
    described too when it reaches a million (AFP 12345678 ng/mL: ``an 8-digit number``).
    A value that eight significant digits would show as one of ``bounds`` it broke
    (240.000001 as ``240`` beside "must be ≤ 240") is shown with all its digits."""
    if isinstance(text, str) and len(text) >= 7 and privacy.identifier_kind(text, names=False):
        return privacy.mask(text)
    if _is_serial_date(col, value):  # a calendar date as a spreadsheet stores it: never shown
        return privacy.describe_value(text)
    if (
        col is not None
        and col.type in ("integer", "binary")
        and isinstance(text, str)
        and sum(ch.isdigit() for ch in text) >= 7
    ):
        return privacy.describe_value(text)
    shown = _fmt_value(value)
    if (
        isinstance(value, float | np.floating)
        and abs(value) < 1e6  # a million or more is described (a hospital number?), never shown
        and any(b is not None and value != b and shown == _fmt_value(float(b)) for b in bounds)
    ):
        return np.format_float_positional(float(value), unique=True, trim="-")
    return shown


#: What a number with the minus sign of typesetting (U+2212, which a word processor or a PDF
#: puts where a number's "-" was, and which no number reader takes) is told; ``python -m
#: analysis dose`` says the same (analysis/cli/dose.py, which does not import this module).
_UNICODE_MINUS_HINT = "a Unicode minus sign, U+2212: type - instead"

#: What a number column's cell that is not a number is described as not being.
_EXPECTED = {"number": "not a number", "integer": "not a whole number", "binary": "not 0 or 1"}


def _number_hint(bad: list[str]) -> str:
    hints = []
    if any("\u2212" in t for t in bad):  # a typeset minus (a word processor, a PDF): −2.5
        hints.append(_UNICODE_MINUS_HINT)
    if any(ch.isdigit() and not ch.isascii() for t in bad for ch in t):
        # full-width (６２, a Korean, Chinese or Japanese input method) or Arabic-Indic (٦٢)
        hints.append("digits 0-9 (62, not ６２ or ٦٢)")
    if any(_THOUSANDS.fullmatch(t) for t in bad):
        hints.append("no thousands separator, and a decimal point (1234.5, not 1.234,5 or 1,234.5)")
    elif any(re.fullmatch(r"-?[0-9]+,[0-9]+", t) for t in bad):
        hints.append("use a decimal point, not a decimal comma")
    if any("_" in t and _DIGIT_GROUPS.fullmatch(t) for t in bad):
        hints.append("digits only: '_' is not a digit separator here (Python would read 1_2 as 12)")
    if any(t.strip("+-").lower() in {"inf", "infinity"} or _overflows(t) for t in bad):
        hints.append("numbers must be finite")
    if any(_LIMIT.fullmatch(t) for t in bad):
        hints.append(
            "a detection limit such as <2 or >60500 is not a number: write the number your "
            "analysis plan uses for it (for example the limit itself)"
        )
    if any(t.upper() in _SPREADSHEET_ERRORS for t in bad):
        hints.append("a spreadsheet error (#N/A, #VALUE! …): fix the formula, or paste values only")
    if any(_DAY_MONTH.fullmatch(t) for t in bad):
        hints.append(_EXCEL_DATE_HINT)
    return "; ".join(hints)


#: English month names as a spreadsheet abbreviates (or spells) them.
_MONTH_NAME = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]{0,6}"
#: A day and a month (``12-Mar``, ``Mar-12``, ``3-Dec``, ``12/Mar/24``): a number, a fraction or a
#: range such as 3-12 that Excel turned into a date as it was pasted.
_DAY_MONTH = re.compile(
    rf"(?:[0-9]{{1,2}}[-/. ]{_MONTH_NAME}|{_MONTH_NAME}[-/. ][0-9]{{1,4}})(?:[-/. ][0-9]{{2,4}})?",
    re.IGNORECASE,
)
_EXCEL_DATE_HINT = (
    "Excel turned a number into a date: format the column as Text (or Number) before pasting"
)


#: A number written with a thousands separator, as a spreadsheet shows it in Vietnam and most of
#: Europe (``1.234,5``, ``1.234.567``, ``1 234,5``) or in Korea and English-speaking countries
#: (``1,234.5``, ``1,234,567``); ``1,234`` alone reads as a decimal comma.
_THOUSANDS = re.compile(
    r"[+-]?[0-9]{1,3}(?:(?:\.[0-9]{3})+,[0-9]+|(?:\.[0-9]{3}){2,}|(?:,[0-9]{3})+\.[0-9]+"
    r"|(?:,[0-9]{3}){2,}|(?:[ \u00a0\u202f][0-9]{3})+(?:[.,][0-9]+)?)"
)
#: Digits grouped with underscores (``1_200``, ``6_1``), as Python's own float() reads them.
_DIGIT_GROUPS = re.compile(r"[+-]?[0-9][0-9_]*(?:\.[0-9_]*)?")
#: A lab value reported as below or above the assay's range (``<2.0``, ``> 60500``, ``≤5``).
_LIMIT = re.compile(r"(?:[<>≤≥]=?)\s*[0-9]+(?:[.,][0-9]+)?")
#: What a spreadsheet writes into a cell whose formula failed.
_SPREADSHEET_ERRORS = frozenset(
    {"#N/A", "#VALUE!", "#DIV/0!", "#REF!", "#NAME?", "#NUM!", "#NULL!", "#SPILL!", "#CALC!"}
)
#: A time marked censored as survival tables write it (``12+``, ``8.5 +``).
_CENSORED_TIME = re.compile(r"[0-9]+(?:[.,][0-9]+)?\s*\+")
#: A number followed by a unit (``14.2 months``, ``3.5 g/dL``, ``61yrs``): a unit is spaced
#: from the number or two characters or more (``12a`` is a typo, not a unit).
_WITH_UNIT = re.compile(
    r"-?[0-9]+(?:[.,][0-9]+)?(?:\s+[A-Za-zµμ/%]|[A-Za-zµμ/%]{2})[A-Za-zµμ/%0-9. ]*"
)


def _overflows(t: str) -> bool:
    return bool(_NUMBER.fullmatch(t)) and not math.isfinite(float(t))


#: Words that mean "not known" in some exports but are not missing-value codes here.
_UNKNOWN_WORDS = frozenset({"none", "missing", "unknown", "n.a.", "-", "?", "nd", "n.d."})


# what a sex column holds in other words (English, Korean, Vietnamese, Chinese and Japanese,
# French, Spanish, German), compared after lower case and without diacritics
_SEX_WORDS = frozenset(
    """male female man woman men women boy girl 남 여 남자 여자 남성 여성 nam nu 男 女 男性 女性
    homme femme hombre mujer masculino femenino mannlich weiblich""".split()
)


def _is_sex_word(text: str) -> bool:
    """Whether ``text`` is a word for a sex (``Male``, ``nữ``, ``남``, ``女性``), not M or F."""
    return any(
        word.strip().lower().rstrip(".") in _SEX_WORDS
        for word in (text, privacy.fold_diacritics(text))
    )


def _squeezed(text: str) -> str:
    """A category's value in lower case without spaces, dots, dashes or underscores."""
    return re.sub(r"[\s._-]+", "", text).lower()


def _type_hint(col: Column, bad: list[str]) -> str:
    if col.name == "sex" and any(_is_sex_word(t) for t in bad):
        return "write M (male) or F (female): male/female, 남/여, nam/nữ and 男/女 are not read"
    if col.allowed and any(
        t != unicodedata.normalize("NFKC", t) and unicodedata.normalize("NFKC", t) in col.allowed
        for t in bad
    ):
        return "in ASCII letters and digits, not full-width ones (Ｍ is not M)"
    if col.type == "category":  # 'VP 2', 'C.', 'grade 1-2': the spelling it is close to
        spelled = {_squeezed(str(a)): str(a) for a in col.allowed}
        close = list(dict.fromkeys(spelled[k] for t in bad if (k := _squeezed(t)) in spelled))
        if close:
            return f"write {', '.join(close[:3])}, without spaces, dots or dashes of its own"
    hint = ""
    if col.type in ("number", "integer"):
        hint = _number_hint(bad)
        if col.unit == "months" and any(_CENSORED_TIME.fullmatch(t) for t in bad):
            # "12+", as survival tables mark a censored time: the event column says it here
            censored = (
                "a time followed by + (censored, as some tables mark it) is not a number: write "
                "the time alone, and 0 in os_event or pfs_event"
            )
            hint = "; ".join(filter(None, [hint, censored]))
        if any(_WITH_UNIT.fullmatch(t) for t in bad):
            unit = f" (this column is in {col.unit})" if col.unit else ""
            hint = "; ".join(filter(None, [hint, f"numbers only, without a unit{unit}"]))
    if col.type == "binary":
        if any(t.lower() in {"yes", "no", "y", "n", "true", "false"} for t in bad):
            return "code yes as 1 and no as 0"
        hint = _number_hint(bad)
    if not hint and any(t.lower() in _UNKNOWN_WORDS for t in bad):
        hint = (
            "a required column needs a value in every row"
            if col.required
            else "leave an unknown value empty (or write NA)"
        )
    return hint


# a JSH criterion's 0/1 column -> the criterion's label: a 2 in refractory_poor_response was
# "must be 0 or 1" with no word of what the column records (os_event's says what 1 and 0 are)
_JSH_LABEL_OF_COLUMN = {
    column: JSH_CRITERION_LABELS[criterion] for criterion, column in JSH_COHORT_COLUMNS.items()
}


# A JSH criterion's column in which no patient is 1 is warned about (``jsh-never-met``) when, at
# the paper's rate of that criterion (Table 1), a cohort of that size would have no patient
# meeting it less often than this: extrahepatic spread (5 of 82 in the paper) from 48 patients,
# the other four (34 to 62 of 82) from 3 to 6. A small cohort without extrahepatic spread is
# expected; a large one, or one without poor response, more likely an export that wrote an
# unknown value as 0.
_JSH_NEVER_MET_CHANCE = 0.05


def _jsh_paper_rate(column: str) -> tuple[int, int]:
    """How many of the paper's patients met the criterion of ``column``, and of how many."""
    met = int(published.value(f"table1.{column}.count"))
    return met, int(published.value("methods.n_patients.count"))


def _event_hint(name: str) -> str:
    if name == "os_event":
        return "1 = died, 0 = alive at last follow-up (censored)"
    if name == "pfs_event":
        return "1 = progressed or died, 0 = censored"
    if name in _JSH_LABEL_OF_COLUMN:
        return f"1 = the JSH criterion “{_JSH_LABEL_OF_COLUMN[name]}” met, 0 = not met"
    return ""


_TOLERANCE = 1e-9
# control characters, and invisible format characters (zero-width, bidirectional overrides)
_CONTROL = re.compile(
    "[\x00-\x1f\x7f-\x9f\u00ad\u200b-\u200f\u202a-\u202e\u2028\u2029\u2060-\u2064\u2066-\u2069\ufeff]"
)

# Child-Pugh points are the sum of five components' points (1–3 each). To score many rows,
# each component's distinct values are scored by analysis.clinical.child_pugh_frame with the
# other four at a 1-point value, so the clinical rule stays defined in one place.
_CP_ONE_POINT = {
    "bilirubin_mg_dl": 1.0,
    "albumin_g_dl": 4.0,
    "inr": 1.0,
    "ascites": "none",
    "encephalopathy": "none",
}


def _child_pugh_points(components: dict[str, np.ndarray]) -> np.ndarray:
    """Child-Pugh points of many rows, via :func:`analysis.clinical.child_pugh_frame`.

    One call scores every component's distinct values: one frame row per distinct value, the
    other four components at their 1-point values (one frame and one call, not one of each per
    component: a chunk of the validator may hold a single row). The values are the schema's
    (checked before), which the clinical rule scores without an error.
    """
    n = len(next(iter(components.values())))
    factorized = {
        name: pd.factorize(pd.Series(values, dtype=object)) for name, values in components.items()
    }
    rows = sum(len(uniques) for _, uniques in factorized.values())
    frame = pd.DataFrame({c: [v] * rows for c, v in _CP_ONE_POINT.items()}, dtype=object)
    start = 0
    for name, (_, uniques) in factorized.items():
        frame.iloc[start : start + len(uniques), frame.columns.get_loc(name)] = np.asarray(
            uniques, dtype=object
        )
        start += len(uniques)
    scored = child_pugh_frame(frame)["child_pugh_points"].to_numpy() - 4
    total = np.zeros(n, dtype=np.int64)
    start = 0
    for codes, uniques in factorized.values():
        total += scored[start : start + len(uniques)][codes]
        start += len(uniques)
    return total


_CP_COMPONENTS = ("bilirubin_mg_dl", "albumin_g_dl", "inr", "ascites", "encephalopathy")
#: A cohort whose median body-mass index (weight_kg / height_m²) is above this has its weights
#: in pounds (an adult cohort's median is 20-32 kg/m²).
_BMI_MEDIAN_MAX = 40

#: Days per month, to convert times given in days (365.25 / 12).
DAYS_PER_MONTH = 30.4375
#: Weeks per month, to convert times given in weeks (30.4375 / 7).
WEEKS_PER_MONTH = DAYS_PER_MONTH / 7
#: How the messages about a time column in weeks or days say to convert it.
_TIME_UNIT_HINT = (
    f"if they are weeks, divide by {WEEKS_PER_MONTH:.3f} ({DAYS_PER_MONTH} / 7); if days, by "
    f"{DAYS_PER_MONTH} (365.25 / 12)"
)


def _paper_medians() -> str:
    """The paper's median overall and progression-free survival, as printed (data/published/),
    for the hint of a time column that looks like weeks or days."""
    os_median = published.entry("results.os_median.median").text
    pfs_median = published.entry("results.pfs_median.median").text
    return f"the paper's medians: overall survival {os_median} months, PFS {pfs_median}"


class _Issues:
    """Problems accumulated over chunks: the first rows of each, and how many rows in all."""

    def __init__(self):
        self._entries: dict[tuple, dict] = {}

    def discard(self, sort: tuple) -> None:
        """Forget the problems filed under ``sort`` (one a later check replaces)."""
        self._entries = {k: v for k, v in self._entries.items() if k[0] != sort}

    def add(self, sort: tuple, column, rule, code, indices, make_ref, hint="") -> None:
        key = (sort, column, rule, code)
        entry = self._entries.get(key)
        if entry is None:
            entry = self._entries[key] = {"refs": [], "count": 0, "hints": []}
        room = MAX_ROWS_SHOWN - len(entry["refs"])
        if room > 0:
            entry["refs"].extend(make_ref(int(i)) for i in indices[:room])
        entry["count"] += len(indices)
        if hint and hint not in entry["hints"] and len(entry["hints"]) < 3:
            entry["hints"].append(hint)

    def problems(self) -> list[Problem]:
        out = []
        for key in sorted(self._entries, key=lambda k: k[0]):
            sort, column, rule, code = key
            entry = self._entries[key]
            out.append(
                Problem(
                    column,
                    rule,
                    code,
                    tuple(entry["refs"]),
                    hint="; ".join(entry["hints"]),
                    count=entry["count"] if entry["refs"] else None,
                )
            )
        return out


def _header_masked(problem: Problem) -> Problem:
    """``problem`` with a column name that is not the schema's shown the way values are
    (:func:`analysis.privacy.printable_header`): a file without its header line names its
    columns by the first patient's values (``[masked]``)."""
    column = problem.column
    if column is None or all(c in SCHEMA for c in column.split(", ")):
        return problem
    if problem.code in ("identifier", "free-text"):  # the privacy guard shows its own
        return problem
    return dataclasses.replace(problem, column=privacy.printable_header(column))


#: How many ``patient_id`` values give the shapes a column name is compared with
#: (:meth:`CohortValidator.id_like_columns`).
_SHAPE_SAMPLE = 1000


def _shape(text: str) -> str:
    """``text`` with each digit as ``9`` and each letter as ``a``: ``SYN001`` gives ``aaa999``."""
    return "".join("9" if ch.isdigit() else "a" if ch.isalpha() else ch for ch in text)


class CohortValidator:
    """Checks a cohort chunk by chunk: the schema, the cross-column rules, plausibility and
    (optionally) the identifier guard. Memory stays bounded by the chunk size plus a few
    numbers per row (for uniqueness and the cohort-level plausibility checks). A time column
    that looks like weeks or days (:func:`time_unit_signs`) without being refused as days is
    a warning (``time-unit``), always on; so are a JSH criterion column all 0 where the paper's
    rate of that criterion makes it unlikely (``jsh-never-met``), and patients whose five
    criteria are all 0 (``jsh-none-met``: not TACE-refractory, counted and named by their
    lines).

    Parameters
    ----------
    columns : list of str
        The cohort's header (after dropping duplicated names).
    privacy_guard : bool
        Run :class:`analysis.privacy.IdentifierScanner` on the cells as well.
    min_patients : int
        Fewer rows than this (but at least one) is a problem (``too-few-patients``); ``run`` and
        ``validate`` ask for :data:`MIN_PATIENTS`, the library's default 0 checks only the rows.
    positions : iterable of int, optional
        The header's positions of ``columns`` in the file (for the identifier guard).
    repeated_rows : bool
        Warn (``repeated-row``) about rows equal to an earlier row in every column but
        ``patient_id``: the same patient entered twice under two ids, most likely. Rows are
        named by their lines, never by their ids. :func:`check_cohort_file` (``validate``,
        ``run``, :func:`load_cohort`) turns it on; a row equal to an earlier one in its id too
        is the ``unique`` error's, not repeated here. Also (``near-repeated-row``) about rows
        equal to an earlier one in every column but the id and one other, with at least
        :data:`NEAR_REPEAT_MIN_CELLS` other cells filled: a copy corrected in one cell, most
        likely (named by the lines and the column, never a value). Off by default: tests
        build cohorts by repeating a few valid rows under new ids. It keeps a 64-bit hash of
        each row, and of each cell up to :data:`NEAR_REPEAT_MAX_CELLS` cells.

    Use :meth:`add` for each chunk and :meth:`problems` at the end.

    Examples
    --------
    A header without most required columns: every missing one is a problem, before any row is
    read (rows are then fed with :meth:`add`).

    >>> validator = CohortValidator(["patient_id", "age_years"], privacy_guard=False)
    >>> problems = validator.problems()
    >>> len(problems), len(SCHEMA.required) - 2
    (19, 19)
    >>> print(problems[0])
    column sex: required column is missing
    """

    def __init__(
        self,
        columns: Iterable[str],
        privacy_guard: bool = True,
        min_patients: int = 0,
        positions: Iterable[int] | None = None,
        repeated_rows: bool = False,
    ):
        self.columns = [str(c) for c in columns]
        self.min_patients = min_patients
        self.present = set(self.columns)
        self.issues = _Issues()
        self.scanner = privacy.IdentifierScanner(self.columns, positions) if privacy_guard else None
        self.rows = 0
        self._order = {c.name: i for i, c in enumerate(SCHEMA)}
        self._ids: list[np.ndarray] = []
        self._id_lines: list[np.ndarray] = []
        self._id_positions: list[np.ndarray] = []
        self._samples: dict[str, list[np.ndarray]] = {}
        self._bmi: list[np.ndarray] = []
        #: time columns refused as days (their warning as weeks or days would repeat it)
        self._as_days: set[str] = set()
        self._suspect: dict[str, np.ndarray] = {}
        self._factor = None
        self._written = None
        #: per chunk, with repeated_rows: hashes of each row without its id and of its id,
        #: its lines and positions
        self._rows: list[tuple[np.ndarray, ...]] | None = [] if repeated_rows else None
        #: per chunk, with repeated_rows: each cell's hash (rows x columns but the id) and
        #: whether it is filled, for rows that differ from another in one column only
        self._cells: list[tuple[np.ndarray, np.ndarray]] | None = [] if repeated_rows else None
        self._cell_names: list[str] = []
        #: per JSH criterion column: rows filled, rows at 1 (:meth:`_jsh_warnings`)
        self._jsh_filled: dict[str, int] = {}
        self._jsh_met: dict[str, int] = {}
        #: rows with all five criteria filled and 0: the first lines, and how many
        self._jsh_none_refs: list[RowRef] = []
        self._jsh_none = 0
        self._missing_columns()

    # -- whole-cohort checks ----------------------------------------------------------------
    def _missing_columns(self) -> None:
        lower = {c.lower(): c for c in self.columns}
        near = {_header_key(c): c for c in self.columns if c not in SCHEMA}
        loose = renamed_columns(self.columns, [c.name for c in SCHEMA if c.required])
        for col in SCHEMA:
            if col.required and col.name not in self.present:
                hint = ""
                if col.name.lower() in lower:
                    hint = f"found {lower[col.name.lower()]!r}: column names are case-sensitive"
                elif col.name in near:
                    shown = _shown_header(near[col.name])
                    exact = (
                        "ASCII letters, not full-width ones"
                        if any(unicodedata.east_asian_width(ch) == "F" for ch in near[col.name])
                        else "no invisible characters, spaces or hyphens"
                    )
                    hint = f"found '{shown}': rename it to {col.name} (names are exact: {exact})"
                elif col.name in loose:
                    hint = f"found '{_shown_header(loose[col.name])}': rename it to {col.name}"
                self.issues.add(
                    (2, self._order[col.name], 0),
                    col.name,
                    "required column is missing",
                    "missing-column",
                    [],
                    None,
                    hint,
                )

    # -- one chunk --------------------------------------------------------------------------
    def add(self, chunk: _Chunk) -> None:
        """Check one chunk of rows."""
        if len(chunk) == 0:
            return
        stubs = len(chunk)
        chunk = self._without_id_only_rows(chunk)
        stubs -= len(chunk)
        self.rows += stubs  # rows of the file, counted, though not checked cell by cell
        n = len(chunk)
        if n == 0:
            return
        ids = chunk.columns.get("patient_id")
        lines = chunk.lines

        def ref_maker(shown_of=None):
            # a row is named by its line only, never by its patient_id (RowRef)
            def make(i: int, shown: str | None = None) -> RowRef:
                if shown is None and shown_of is not None:
                    shown = shown_of(i)
                line = int(lines[i]) if lines is not None else None
                return RowRef(line, shown, position=chunk.start + i)

            return make

        parsed: dict[str, np.ndarray] = {}
        for name, cells in chunk.columns.items():
            if name in SCHEMA:
                self._factor = chunk.factors.get(name)
                self._written = chunk.written.get(name)
                parsed[name] = self._check_column(SCHEMA[name], cells, ref_maker)
        self._factor = None
        if self.scanner is not None:
            self._scan(chunk, ref_maker)
        self._cross_rules(chunk, parsed, ref_maker)
        self._collect(parsed)
        self._collect_jsh(parsed, ref_maker)
        if ids is not None:
            self._ids.append(ids)
            self._id_lines.append(lines if lines is not None else np.full(n, -1))
            self._id_positions.append(np.arange(chunk.start, chunk.start + n))
        if self._rows is not None:
            self._hash_rows(chunk)
        self.rows += n

    def _without_id_only_rows(self, chunk: _Chunk) -> _Chunk:
        """``chunk`` without its rows whose only filled cell is the ``patient_id`` (a row left
        at the end of a sheet, ``SYN083,,,,``), filed as one problem naming their lines, never
        their ids: each was a problem of every required column (20 items for one row)."""
        ids = chunk.columns.get("patient_id")
        others = [name for name in chunk.columns if name != "patient_id"]
        if ids is None or not others:
            return chunk
        stub = ~_missing(ids)
        for name in others:
            stub &= _missing(chunk.columns[name])
            coded = chunk.written.get(name)
            if coded is not None:  # "NA" written: filled with a missing-value code
                stub &= np.equal(coded, None)
            if not stub.any():
                return chunk
        lines = chunk.lines

        def make(i: int) -> RowRef:
            return RowRef(int(lines[i]) if lines is not None else None, position=chunk.start + i)

        self.issues.add(
            (2, -1, 0),
            None,
            "only patient_id is filled (every other cell of the row is empty)",
            "id-only-row",
            np.flatnonzero(stub),
            make,
            "delete the row, or complete it",
        )
        keep = ~stub
        return _Chunk(
            {name: cells[keep] for name, cells in chunk.columns.items()},
            lines[keep] if lines is not None else None,
            chunk.start,
            {name: (codes[keep], texts) for name, (codes, texts) in chunk.factors.items()},
            {name: coded[keep] for name, coded in chunk.written.items()},
        )

    def _hash_rows(self, chunk: _Chunk) -> None:
        """Keep a hash of each row's cells but its id, and of its id (:meth:`_repeated_rows`)."""
        n = len(chunk)
        others = [name for name in chunk.columns if name != "patient_id"]
        if not others:
            return
        hashes = _column_hashes([(chunk.columns[name], chunk.factors.get(name)) for name in others])
        key = _combined_hashes(hashes)
        ids = chunk.columns.get("patient_id")
        id_key = pd.util.hash_array(ids) if ids is not None else np.zeros(n, dtype=np.uint64)
        lines = chunk.lines if chunk.lines is not None else np.full(n, -1)
        positions = np.arange(chunk.start, chunk.start + n)
        self._rows.append((key, id_key, np.asarray(lines, dtype=np.int64), positions))
        if self._cells is not None:
            if (chunk.start + n) * len(others) > NEAR_REPEAT_MAX_CELLS:
                self._cells = None  # too many cells to keep every cell's hash: not checked
            else:
                filled = np.column_stack([~_missing(chunk.columns[name]) for name in others])
                self._cells.append((np.column_stack(hashes), filled))
                self._cell_names = others

    def _check_column(self, col: Column, cells: np.ndarray, ref_maker) -> np.ndarray:
        base = (2, self._order[col.name])
        missing = _missing(cells)
        make = ref_maker()
        if col.required and missing.any():
            coded = self._written
            if coded is None or col.type == "string":  # a patient_id is never quoted
                coded = np.full(len(cells), None, dtype=object)
            empty = missing & np.equal(coded, None)
            if empty.any():
                self.issues.add(
                    (*base, 1), col.name, "is required but empty", "missing-value",
                    np.flatnonzero(empty), make,
                )  # fmt: skip
            if (missing & ~empty).any():
                self.issues.add(
                    (*base, 1, 1), col.name,
                    "is required but holds a missing-value code, not a value", "missing-value",
                    np.flatnonzero(missing & ~empty),
                    ref_maker(lambda i: repr(coded[i])),
                    f"{', '.join(t for t in MISSING_TOKENS if t)} and an empty cell mean "
                    "missing; a required column needs a value in every row",
                )  # fmt: skip
        if col.type in ("string", "category"):
            return self._check_text(col, cells, missing, base, ref_maker)
        values, bad, long = _numbers(cells, self._factor)
        self._suspect[col.name] = bad | long
        if col.type in ("integer", "binary"):
            frac = ~bad & ~missing & (np.mod(np.nan_to_num(values), 1) != 0)
            bad |= frac
        if bad.any():
            idx = np.flatnonzero(bad)
            what = {
                "integer": "must be a whole number",
                "number": "must be a number",
                "binary": "must be 0 or 1",
            }[col.type]
            texts = [cells[i] for i in idx[:1000]]
            expected = _EXPECTED[col.type]

            def shown(i, expected=expected):
                # a whole number of 400 digits read "a 400-digit number, not a whole number"
                text = cells[i]
                return privacy.shown_cell(
                    text,
                    expected="not a finite number"
                    if isinstance(text, str) and _overflows(text)
                    else expected,
                )

            self.issues.add(
                (*base, 2), col.name, what, "type", idx, ref_maker(shown),
                _type_hint(col, texts),
            )  # fmt: skip
            values[bad] = np.nan
        valid = ~np.isnan(values)
        if col.type == "binary":
            not01 = valid & (values != 0) & (values != 1)
            if not01.any():
                self.issues.add(
                    (*base, 3), col.name, "must be 0 or 1", "binary", np.flatnonzero(not01),
                    ref_maker(lambda i: _shown(cells[i], int(values[i]), col)), _event_hint(col.name),
                )  # fmt: skip
                values[not01] = np.nan
            return values
        out = np.zeros(len(values), dtype=bool)
        if col.allowed is not None:
            out |= valid & ~np.isin(values, np.array(col.allowed, dtype=float))
        if col.gt is not None:
            out |= valid & ~(values > col.gt)
        if col.min is not None:
            out |= valid & (values < col.min)
        if col.max is not None:
            out |= valid & (values > col.max)
        if out.any():
            idx = np.flatnonzero(out)
            if col.unit == "months" and col.min == 0 and np.all(values[idx] < 0):
                code, rule = (
                    "negative-time",
                    "must be ≥ 0 (a time from the start of HAIC cannot be negative)",
                )
            else:
                code, rule = "range", f"must be {col.rule}"
            shown = ref_maker(
                lambda i: _shown(
                    cells[i],
                    int(values[i]) if col.type == "integer" else values[i],
                    col,
                    bounds=(col.min, col.max, col.gt),
                )
            )
            self.issues.add(
                (*base, 4), col.name, rule, code, idx, shown, self._unit_hint(col, values[idx])
            )
            values[out] = np.nan
        plaus = col.plausible
        if plaus is not None and plaus.max is not None:
            high = ~np.isnan(values) & (values > plaus.max)
            if high.any():
                unit = f" {col.unit}" if col.unit else ""
                hint = plaus.hint or ""
                serial = [_is_serial_date(col, v) for v in values[high]]
                if sum(serial) * 2 > len(serial):  # most of them: dates, not times
                    hint = (
                        f"numbers from {_SERIAL_DATES[0]:,} to {_SERIAL_DATES[1]:,} are dates as a "
                        "spreadsheet stores them (days since 1900), not times: give months from "
                        f"the start of HAIC (days between the two dates divided by {DAYS_PER_MONTH})"
                    )
                self.issues.add(
                    (*base, 5), col.name,
                    f"must be ≤ {_fmt(plaus.max)}{unit}: larger values are beyond any physiological "
                    "or clinical value (a wrong unit, or a typing error?)",
                    "implausible", np.flatnonzero(high),
                    ref_maker(lambda i: _shown(cells[i], values[i], col, bounds=(plaus.max,))),
                    hint,
                )  # fmt: skip
                values[high] = np.nan
        if plaus is not None and plaus.days_max is not None:
            # kept for the column's own check of days (its median), which replaces this one
            # when the whole column looks like days (_plausibility)
            long = ~np.isnan(values) & (values > plaus.days_max)
            if long.any():
                self._as_days.add(col.name)  # refused as days: not warned of as weeks too
                self.issues.add(
                    (*base, 6), col.name,
                    f"must be ≤ {_fmt(plaus.days_max)} months ({_fmt(plaus.days_max / 12)} years "
                    "from the start of HAIC): a longer time is probably in days",
                    "unit", np.flatnonzero(long),
                    ref_maker(lambda i: _shown(cells[i], values[i], col, bounds=(plaus.days_max,))),
                    f"times are months from the start of HAIC: divide days by {DAYS_PER_MONTH} "
                    "(365.25 / 12)",
                )  # fmt: skip
        return values

    def _unit_hint(self, col: Column, out_values: np.ndarray) -> str:
        """'looks like g/L: ×0.1' when most out-of-range values fit another unit."""
        if col.plausible is None or len(out_values) == 0:
            return ""
        if not col.plausible.other_units:
            return self._likely_hint(col, out_values)
        lo = col.gt if col.gt is not None else col.min
        hi = col.max
        for unit, factor in col.plausible.other_units:
            conv = out_values * factor
            fits = np.ones(len(conv), dtype=bool)
            if lo is not None:
                fits &= conv >= lo
            if hi is not None:
                fits &= conv <= hi
            if fits.mean() >= 0.5:
                return f"values look like {unit}: multiply by {_fmt(factor)} to get {col.unit}"
        return self._likely_hint(col, out_values)

    @staticmethod
    def _likely_hint(col: Column, out_values: np.ndarray) -> str:
        """'values look like …' when out-of-range values sit where the schema's likely unit is."""
        plaus = col.plausible
        if plaus is None or not plaus.likely or len(out_values) == 0:
            return ""
        median = float(np.median(out_values))
        if (plaus.median_max is not None and median > plaus.median_max) or (
            plaus.median_min is not None and median < plaus.median_min
        ):
            return f"values look like {plaus.likely}" + (f"; {plaus.hint}" if plaus.hint else "")
        return ""

    def _check_text(self, col, cells, missing, base, ref_maker) -> np.ndarray:
        present = ~missing
        if col.type == "category":
            allowed = [str(a) for a in col.allowed]
            ok = pd.Series(cells, dtype=object).isin(allowed).to_numpy()
            bad = present & ~ok
            # a word for a sex (남, 女, Nữ) gets its hint below, not the identifier guard's
            # "remove the column" (남 and 여 are also surnames; the cells stay unshown)
            words = np.zeros(len(cells), dtype=bool)
            if col.name == "sex" and bad.any():
                words[bad] = [_is_sex_word(str(cells[i])) for i in np.flatnonzero(bad)]
            self._suspect[col.name] = bad & ~words
            if bad.any():
                idx = np.flatnonzero(bad)
                self.issues.add(
                    (*base, 2), col.name, f"must be {col.rule}", "category", idx,
                    ref_maker(lambda i: privacy.shown_cell(cells[i], allowed=allowed)),
                    _type_hint(col, [cells[i] for i in idx[:1000]]),
                )  # fmt: skip
                out = cells.copy()
                out[bad] = None
                return out
            return cells
        if col.name == "patient_id":
            self._check_ids(col, cells, present, base, ref_maker)
        return cells

    def _check_ids(self, col, cells, present, base, ref_maker) -> None:
        idx = np.flatnonzero(present)
        if len(idx) == 0:
            return
        too_long = np.zeros(len(idx), dtype=bool)
        control = np.zeros(len(idx), dtype=bool)
        formula = np.zeros(len(idx), dtype=bool)
        for j, text in enumerate(cells[idx]):
            too_long[j] = len(text) > privacy.MAX_ID_LENGTH
            if not (text.isascii() and text.isalnum()):  # P001 and the like skip the rest
                control[j] = _CONTROL.search(text) is not None
                formula[j] = text[:1] in "=+-@"
        masked = ref_maker()  # the cell is the id, which the row names, masked, already
        for flags, rule, sub in (
            (
                too_long,
                f"must be at most {privacy.MAX_ID_LENGTH} characters (a pseudonymous id such as P001)",
                6,
            ),
            (control, "must not contain line breaks, tabs or other control characters", 7),
            (
                formula,
                "must not start with =, +, - or @ (spreadsheets run such cells as formulas)",
                8,
            ),
        ):
            if flags.any():
                self.issues.add((*base, sub), col.name, rule, "id-format", idx[flags], masked)

    def _scan(self, chunk: _Chunk, ref_maker) -> None:
        for name, cells in chunk.columns.items():
            if name == "patient_id":
                kind, pick = "id", ~_missing(cells)
            elif name not in SCHEMA or SCHEMA[name].type == "string":
                kind, pick = "text", ~_missing(cells)
            else:
                kind, pick = "value", self._suspect.get(name)
                if pick is None:
                    continue
            if not pick.any():
                continue
            positions = np.flatnonzero(pick)
            make = ref_maker()
            self.scanner.scan(
                name,
                kind,
                cells[positions],
                positions,
                lambda i, shown, make=make: make(i, shown),
            )

    def _cross_rules(self, chunk: _Chunk, p: dict[str, np.ndarray], ref_maker) -> None:
        def both(a: str, b: str):
            if a not in p or b not in p:
                return None
            return ~np.isnan(p[a]) & ~np.isnan(p[b])

        ok = both("pfs_months", "os_months")
        if ok is not None:
            pfs, os_ = p["pfs_months"], p["os_months"]
            bad = ok & (np.nan_to_num(pfs) > np.nan_to_num(os_) + _TOLERANCE)
            if bad.any():
                self.issues.add(
                    (3, 0), "pfs_months, os_months",
                    "pfs_months must not exceed os_months (progression or death cannot come after "
                    "death or last follow-up)",
                    "pfs-after-os", np.flatnonzero(bad),
                    ref_maker(lambda i: f"pfs {_fmt_value(pfs[i])} > os {_fmt_value(os_[i])}"),
                )  # fmt: skip
        ok = both("os_event", "pfs_event")
        if ok is not None:
            bad = ok & (p["os_event"] == 1) & (p["pfs_event"] == 0)
            if bad.any():
                self.issues.add(
                    (3, 1), "pfs_event, os_event",
                    "a death (os_event 1) is also a PFS event: pfs_event must be 1",
                    "death-not-pfs-event", np.flatnonzero(bad), ref_maker(),
                )  # fmt: skip
        if "additional_tace_month" in p and "additional_tace" in p:
            month, flag = p["additional_tace_month"], p["additional_tace"]
            raw_missing = _missing(chunk.columns["additional_tace_month"])
            bad_yes = (flag == 1) & raw_missing
            bad_no = (flag == 0) & ~np.isnan(month)
            if bad_yes.any():
                self.issues.add(
                    (3, 2), "additional_tace_month", "must be filled when additional_tace is 1",
                    "additional-tace-month", np.flatnonzero(bad_yes), ref_maker(),
                )  # fmt: skip
            if bad_no.any():
                self.issues.add(
                    (3, 3), "additional_tace_month", "must be empty when additional_tace is 0",
                    "additional-tace-month", np.flatnonzero(bad_no),
                    ref_maker(lambda i: _fmt_value(month[i])),
                )  # fmt: skip
        for k, time in enumerate(("additional_tace_month", "response_month")):
            ok = both(time, "os_months")
            if ok is None:
                continue
            t, os_ = p[time], p["os_months"]
            bad = ok & (np.nan_to_num(t) > np.nan_to_num(os_) + _TOLERANCE)
            if bad.any():
                self.issues.add(
                    (3, 4 + k), f"{time}, os_months", f"{time} must not exceed os_months",
                    "after-os", np.flatnonzero(bad),
                    ref_maker(lambda i, t=t, os_=os_: f"{_fmt_value(t[i])} > os {_fmt_value(os_[i])}"),
                )  # fmt: skip
        ok = both("refractory_tace_sessions", "prior_tace_sessions")
        if ok is not None:
            r, q = p["refractory_tace_sessions"], p["prior_tace_sessions"]
            bad = ok & (np.nan_to_num(r) > np.nan_to_num(q))
            if bad.any():
                self.issues.add(
                    (3, 6), "refractory_tace_sessions, prior_tace_sessions",
                    "refractory_tace_sessions must not exceed prior_tace_sessions",
                    "refractory-gt-prior", np.flatnonzero(bad),
                    ref_maker(lambda i: f"{int(r[i])} > {int(q[i])}"),
                )  # fmt: skip
        self._child_pugh_rule(p, ref_maker)

    def _child_pugh_rule(self, p: dict[str, np.ndarray], ref_maker) -> None:
        names = ("child_pugh_score", *_CP_COMPONENTS)
        if any(c not in p for c in names):
            return
        complete = np.ones(len(p["child_pugh_score"]), dtype=bool)
        for c in names:
            v = p[c]
            complete &= ~np.isnan(v) if v.dtype.kind == "f" else ~_missing(v)
        idx = np.flatnonzero(complete)
        if len(idx) == 0:
            return
        points = _child_pugh_points({c: p[c][idx] for c in _CP_COMPONENTS})
        given = p["child_pugh_score"][idx]
        wrong = points != given
        if wrong.any():
            at = dict(zip(idx[wrong].tolist(), points[wrong].tolist(), strict=True))
            self.issues.add(
                (3, 7), "child_pugh_score",
                "must equal the points of bilirubin_mg_dl, albumin_g_dl, inr, ascites and "
                "encephalopathy",
                "child-pugh-mismatch", idx[wrong],
                ref_maker(lambda i: f"{int(p['child_pugh_score'][i])} given, components give {at[i]}"),
            )  # fmt: skip

    def _collect(self, p: dict[str, np.ndarray]) -> None:
        """Keep what the cohort-level plausibility checks need (a few floats per row)."""
        for name, values in p.items():
            plaus = SCHEMA[name].plausible
            if plaus is not None and (plaus.median_max or plaus.median_min or plaus.days):
                self._samples.setdefault(name, []).append(values[~np.isnan(values)])
        if "weight_kg" in p and "height_cm" in p:
            bmi = p["weight_kg"] / (p["height_cm"] / 100) ** 2
            self._bmi.append(bmi[~np.isnan(bmi)])

    def _collect_jsh(self, p: dict[str, np.ndarray], ref_maker) -> None:
        """Count, per JSH criterion column, the rows filled and those at 1; and the rows whose
        five criteria are all filled and all 0 (a value that is not 0 or 1 is NaN by now)."""
        present = [c for c in _JSH_LABEL_OF_COLUMN if c in p]
        for name in present:
            values = p[name]
            self._jsh_filled[name] = self._jsh_filled.get(name, 0) + int((~np.isnan(values)).sum())
            self._jsh_met[name] = self._jsh_met.get(name, 0) + int((values == 1).sum())
        if len(present) < len(_JSH_LABEL_OF_COLUMN):
            return
        none = np.flatnonzero(np.column_stack([p[name] == 0 for name in present]).all(axis=1))
        room = MAX_ROWS_SHOWN - len(self._jsh_none_refs)
        make = ref_maker()
        self._jsh_none_refs.extend(make(int(i)) for i in none[: max(room, 0)])
        self._jsh_none += len(none)

    # -- the end ----------------------------------------------------------------------------
    def problems(self) -> list[Problem]:
        """Every problem found so far (privacy first, then by column, then cross-column), and
        the warnings (free-text columns, times that look like weeks or days, the JSH criteria:
        :meth:`_jsh_warnings`, repeated rows)."""
        self._unique()
        self._plausibility()
        self._size()
        found = self.issues.problems()
        if self.scanner is not None:
            found = self.scanner.problems() + found
        return (
            [_header_masked(p) for p in found]
            + self._time_units()
            + self._jsh_warnings()
            + self._repeated_rows()
            + self._near_repeats()
        )

    def id_like_columns(self) -> list[str]:
        """The cohort's column names that are not the data dictionary's and equal a
        ``patient_id`` of the rows checked so far, or have the shape of one (the same run of
        letters and digits: ``SYN084`` beside ``SYN001``): a table read transposed or without its
        header line names its columns by patients' ids, which messages must not show.

        Examples
        --------
        >>> validator = CohortValidator(["patient_id", "P7", "Q12", "note"], privacy_guard=False)
        >>> validator.add(_frame_chunk(pd.DataFrame({"patient_id": ["P7", "P8"]})))
        >>> validator.id_like_columns()
        ['P7']
        """
        ids = np.concatenate(self._ids) if self._ids else np.empty(0, object)
        present = ids[~_missing(ids)] if len(ids) else ids
        shapes = {_shape(str(i)) for i in present[:_SHAPE_SAMPLE]}
        found = set(present[np.isin(present, self.columns)].tolist()) if len(present) else set()
        return [
            c
            for c in self.columns
            if c not in SCHEMA and (c in found or (_shape(c) in shapes and _shape(c).count("9")))
        ]

    def _time_units(self) -> list[Problem]:
        """A warning for each time column that looks like weeks or days
        (:func:`time_unit_signs`), unless it was refused as days already."""
        out = []
        for name, parts in self._samples.items():
            if not SCHEMA[name].plausible.days or name in self._as_days:
                continue
            signs = time_unit_signs(np.concatenate(parts) if parts else np.zeros(0))
            if signs:
                out.append(
                    Problem(
                        name,
                        "times look like weeks or days, not months: " + " and ".join(signs),
                        "time-unit",
                        hint=f"long for advanced HCC ({_paper_medians()}): {_TIME_UNIT_HINT}; "
                        "if they are months, nothing to do",
                        severity="warning",
                    )
                )
        return out

    def _jsh_warnings(self) -> list[Problem]:
        """Warnings about the JSH 2021 criteria of TACE refractoriness, which may be right:
        a criterion column in which no patient is 1 (``jsh-never-met``) while the paper's rate
        would make that unlikely at this cohort's size (:data:`_JSH_NEVER_MET_CHANCE`), an
        export that wrote unknown values as 0 perhaps; and patients whose five criteria are all
        recorded and all 0 (``jsh-none-met``): not TACE-refractory by JSH 2021, so outside the
        study's eligibility, named by their lines and counted, never by their ids. A patient
        with a criterion left empty may meet it, and is not counted."""
        out = []
        for name, label in _JSH_LABEL_OF_COLUMN.items():
            filled = self._jsh_filled.get(name, 0)
            if not filled or self._jsh_met.get(name, 0):
                continue
            met, n = _jsh_paper_rate(name)
            if (1 - met / n) ** filled >= _JSH_NEVER_MET_CHANCE:
                continue  # a small cohort without a rare criterion: expected
            out.append(
                Problem(
                    name,
                    f"every value is 0 (no patient meets the JSH criterion “{label}”); in the "
                    f"paper {met} of {n} met it, so 0 of {formatting.count(filled)} here is "
                    "unlikely",
                    "jsh-never-met",
                    hint="if the export wrote unknown values as 0, leave them empty (or write "
                    "NA); if no patient met it, nothing to do",
                    severity="warning",
                )
            )
        if self._jsh_none:
            out.append(
                Problem(
                    None,
                    "patients meet none of the five JSH criteria (all five criterion columns "
                    "0): not TACE-refractory by JSH 2021, so outside the study's eligibility",
                    "jsh-none-met",
                    tuple(self._jsh_none_refs),
                    hint="if a criterion was not assessed, leave it empty (or write NA); if "
                    "they are in the cohort on purpose, nothing to do",
                    count=self._jsh_none,
                    severity="warning",
                )
            )
        return out

    def _repeated_rows(self) -> list[Problem]:
        """A warning naming the rows equal to an earlier row in every column but
        ``patient_id`` (each by its line and the line it repeats), or nothing."""
        if not self._rows:
            return []
        key, id_key, lines, positions = (
            np.concatenate(parts) for parts in zip(*self._rows, strict=True)
        )
        rows = pd.DataFrame({"key": key, "id": id_key})
        distinct = ~rows.duplicated().to_numpy()  # the same id too: the "unique" error's
        index = np.flatnonzero(distinct)
        repeats = rows["key"].iloc[index].duplicated().to_numpy()
        if not repeats.any():
            return []
        first = pd.Series(index[~repeats], index=key[index[~repeats]])

        later = index[repeats]
        refs = tuple(
            RowRef(
                int(lines[i]) if lines[i] >= 0 else None,
                f"same as {_place(lines, positions, int(first[key[i]]))}",
                position=int(positions[i]),
            )
            for i in later[:MAX_ROWS_SHOWN]
        )
        return [
            Problem(
                None,
                "rows repeat an earlier row in every column but patient_id (one patient entered "
                "twice under two ids?)",
                "repeated-row",
                refs,
                hint="keep one row per patient; if they are different patients, check that "
                "no row was copied over another",
                count=len(later),
                severity="warning",
            )
        ]

    def _near_repeats(self) -> list[Problem]:
        """A warning naming the rows that differ from an earlier row in one column only (its
        ``patient_id`` aside, and the two ids differ), with at least
        :data:`NEAR_REPEAT_MIN_CELLS` other cells filled and equal: one patient entered twice,
        then corrected in one of the copies, most likely. Each row is named by its line, the
        line it nearly repeats and the column that differs, never by an id or a value. Rows
        that repeat another in every column are :meth:`_repeated_rows`' warning, not this one.

        Method: each row's cell hashes (:func:`_column_hashes`) are summed with a fixed odd
        multiplier per column (modulo 2**64), so that the sum without column ``c`` is the row's
        sum less its own term: rows alike but for ``c`` share it. Candidates are confirmed on
        the cells' hashes themselves (``rows x columns`` 64-bit hashes kept: files of more than
        :data:`NEAR_REPEAT_MAX_CELLS` cells are not checked)."""
        if not self._cells or not self._rows:
            return []
        hashes = np.concatenate([h for h, _ in self._cells])
        filled = np.concatenate([f for _, f in self._cells])
        key, id_key, lines, positions = (
            np.concatenate(parts) for parts in zip(*self._rows, strict=True)
        )
        n, k = hashes.shape
        if n < 2 or k < 2:
            return []
        # one row of each set of full repeats (those are _repeated_rows' warning)
        index = np.flatnonzero(~pd.Series(key).duplicated().to_numpy())
        h, f = hashes[index], filled[index]
        with np.errstate(over="ignore"):
            terms = h * ((np.arange(1, k + 1, dtype=np.uint64) * _NEAR_STEP) | np.uint64(1))
            total = np.add.reduce(terms, axis=1, dtype=np.uint64)
        enough = f.sum(axis=1, keepdims=True) - f >= NEAR_REPEAT_MIN_CELLS  # but column c
        found: dict[int, tuple[int, int]] = {}  # row -> (earlier row it nearly repeats, column)
        for c in range(k):
            with np.errstate(over="ignore"):
                without = total - terms[:, c]
            shared = pd.Series(without).duplicated(keep=False).to_numpy() & enough[:, c]
            if not shared.any():
                continue
            rows = np.flatnonzero(shared)
            for members in pd.Series(rows).groupby(without[rows], sort=False).indices.values():
                if len(members) < 2:
                    continue
                members = rows[members]  # in file order; alike but for column c (confirmed:)
                alike = np.delete(h[members] == h[members[0]], c, axis=1).all(axis=1)
                members = members[alike]
                ids = id_key[index[members]]
                other_id = np.flatnonzero(ids != ids[0])
                for m, later in enumerate(members[1:], start=1):
                    # the first earlier row under another id: the group's first, or when this
                    # row shares its id (the "unique" error's), the first with another id
                    first = 0 if ids[m] != ids[0] else (other_id[0] if other_id.size else m)
                    if first < m:
                        found.setdefault(int(index[later]), (int(index[members[first]]), c))
        if not found:
            return []
        others = self._cell_names

        later_rows = sorted(found)
        refs = tuple(
            RowRef(
                int(lines[i]) if lines[i] >= 0 else None,
                f"as {_place(lines, positions, found[i][0])} but "
                f"{privacy.printable_header(others[found[i][1]])}",
                position=int(positions[i]),
            )
            for i in later_rows[:MAX_ROWS_SHOWN]
        )
        return [
            Problem(
                None,
                "rows repeat an earlier row in every column but patient_id and one other "
                "(one patient entered twice, one copy corrected?)",
                "near-repeated-row",
                refs,
                hint="keep one row per patient, the corrected one; if they are different "
                "patients, check that no row was copied over another",
                count=len(later_rows),
                severity="warning",
            )
        ]

    def notes(self) -> list[str]:
        """What looks odd but may be right, for standard error (``validate``, ``run``): overall
        survival that reads as years (every time at most 10 and a median below 2 months)."""
        parts = self._samples.get("os_months")
        values = np.concatenate(parts) if parts else np.zeros(0)
        if not times_read_as_years(values):
            return []
        median = float(np.median(values))
        return [
            f"column os_months: the longest time is {values.max():.1f} and the median {median:.1f} "
            "months: if the times are in years, multiply them by 12 (every "
            "time column is in months from the start of HAIC)"
        ]

    def _size(self) -> None:
        """Too few patients for a report (:data:`MIN_PATIENTS`); none at all is reported by
        the reader ("has a header but no data rows")."""
        if 0 < self.rows < self.min_patients:
            n = self.rows
            self.issues.add(
                (1,), None,
                f"has {n} patient{'s' if n != 1 else ''}; a report needs at least "
                f"{self.min_patients}",
                "too-few-patients", [], None,
                "with fewer, medians, survival curves and Cox models are single patients' "
                "values, and the report would print them",
            )  # fmt: skip

    def _unique(self) -> None:
        if not self._ids:
            return
        ids = pd.Series(np.concatenate(self._ids), dtype=object)
        dup = (ids.duplicated(keep=False) & ids.notna()).to_numpy()
        self._ids, self._id_lines_all = [], np.concatenate(self._id_lines)
        positions = np.concatenate(self._id_positions)
        # ids equal but for letter case (SYN001, syn001) or character width (full-width ＳＹＮ００１,
        # typed with an East Asian input method): one patient typed twice, most likely
        wide = ids.str.normalize("NFKC")
        folded = wide.str.casefold()
        spellings = ids.groupby(folded, sort=False).transform("nunique")
        case = (spellings > 1).to_numpy() & ids.notna().to_numpy()
        how = "letter case"
        if case.any() and (wide != ids).to_numpy()[case].any():
            how = "letter case or character width"
        if not dup.any() and not case.any():
            return
        lines = self._id_lines_all

        def maker(rows: np.ndarray, keys: pd.Series, relation: str):
            # each row names the other row that holds its id, by line, never the id itself
            # (RowRef): "line 5: same id as line 3"
            first = pd.Series(rows, index=keys.iloc[rows].to_numpy())
            firsts = first[~first.index.duplicated()]
            seconds = first[first.index.duplicated()]
            seconds = seconds[~seconds.index.duplicated()]

            def make(i: int) -> RowRef:
                key = keys.iat[i]
                other = int(firsts.loc[key]) if int(firsts.loc[key]) != i else int(seconds.loc[key])
                line = int(lines[i]) if lines[i] >= 0 else None
                return RowRef(
                    line,
                    f"{relation} {_place(lines, positions, other)}",
                    position=int(positions[i]),
                )

            return make

        if dup.any():
            rows = np.flatnonzero(dup)
            self.issues.add(
                (2, self._order["patient_id"], 9), "patient_id",
                "must be unique, but values repeat", "unique", rows,
                maker(rows, ids, "same id as"),
            )  # fmt: skip
        if case.any():
            rows = np.flatnonzero(case)
            self.issues.add(
                (2, self._order["patient_id"], 9, 1), "patient_id",
                f"must be unique, but values differ only in {how} (likely the same patient)",
                "unique", rows, maker(rows, folded, f"same id but for {how} as"),
                "write each patient's id in one spelling; if these are different patients, give "
                f"them ids that differ in more than {how}",
            )  # fmt: skip

    def _plausibility(self) -> None:
        for name, parts in self._samples.items():
            values = np.concatenate(parts) if parts else np.zeros(0)
            if len(values) == 0:
                continue
            col = SCHEMA[name]
            plaus = col.plausible
            median = float(np.median(values))
            base = (2, self._order[name], 10)
            if plaus.days:
                integer_share = float(np.mean(values == np.round(values)))
                over = float(np.mean(values > _DAYS_MOST_ABOVE))
                if median > _DAYS_MEDIAN_MAX or (
                    len(values) >= 10 and over >= 0.5 and integer_share >= 0.9
                ):
                    self.issues.add(
                        base, name,
                        f"looks like days, not months (median {_fmt_value(median)}; {over:.0%} of values "
                        "above 60 months = 5 years)",
                        "unit", [], None,
                        f"times are months from the start of HAIC: divide days by {DAYS_PER_MONTH} "
                        f"(365.25 / 12); if they are weeks, by {WEEKS_PER_MONTH:.3f} ({DAYS_PER_MONTH} / 7)",
                    )  # fmt: skip
                    self.issues.discard((2, self._order[name], 6))  # its rows, said once
                    self._as_days.add(name)
                    continue
            unit = plaus.scale or col.unit or ""
            on = f" on {unit}" if plaus.scale else f" {unit}"
            if len(values) < plaus.median_count:
                continue
            if plaus.median_max is not None and median > plaus.median_max:
                side, bound = "above", plaus.median_max
            elif plaus.median_min is not None and median < plaus.median_min:
                side, bound = "below", plaus.median_min
            else:
                continue
            self.issues.add(
                base, name,
                f"looks like {plaus.likely}, not {unit}: median {_fmt_value(median)} ({side} "
                f"{_fmt(bound)}{on}, implausible for a cohort)",
                "unit", [], None, plaus.hint or "",
            )  # fmt: skip
        if self._bmi:
            bmi = np.concatenate(self._bmi)
            if len(bmi) and float(np.median(bmi)) > _BMI_MEDIAN_MAX:
                self.issues.add(
                    (2, self._order["weight_kg"], 11), "weight_kg, height_cm",
                    f"weight_kg looks like pounds, not kg: the median body-mass index would be "
                    f"{float(np.median(bmi)):.0f} kg/m²",
                    "unit", [], None, "1 kg = 2.2046 lb: divide pounds by 2.2046",
                )  # fmt: skip


def _frame_chunk(df: pd.DataFrame) -> _Chunk:
    lines = df.attrs.get("line_numbers")
    if lines is not None and len(lines) != len(df):
        lines = None
    columns, written = {}, {}
    for name in df.columns:
        if name in columns:
            continue
        series = df[name]
        if isinstance(series, pd.DataFrame):  # duplicated name
            series = series.iloc[:, 0]
        cells = columns[str(name)] = _text_column(series, str(name))
        # a text read as missing (``nan``, ``NA`` ...), as the file reader records it: a required
        # column names the code, whether the cohort came as a file or as a DataFrame
        coded = np.empty(len(cells), dtype=object)
        coded[:] = [
            v.strip() if c is None and isinstance(v, str) and v.strip() else None
            for v, c in zip(series, cells, strict=True)
        ]
        if not np.equal(coded, None).all():
            written[str(name)] = coded
    lines = None if lines is None else np.asarray(lines, dtype=np.int64)
    return _Chunk(columns, lines, 0, written=written)


def validate_cohort(df: pd.DataFrame) -> list[Problem]:
    """Check a cohort against :data:`SCHEMA`, the cross-column rules and plausibility; return
    every problem.

    Parameters
    ----------
    df : pandas.DataFrame
        Either the strings read by :func:`read_cohort_csv` (rows are then named by their line in
        the file) or any DataFrame with the schema's columns (rows named by position).

    Returns
    -------
    list of Problem
        Empty when the cohort is valid. Checked: required columns present; no empty cell in a
        required column; every value of the right type (plain decimal numbers only: no
        ``1_2``, ``inf`` or ``nan``), in its range or allowed set; ``patient_id`` unique,
        at most 64 characters, without control characters and not starting with
        ``= + - @``; times ≥ 0; ``pfs_months ≤ os_months``; a death is a PFS event;
        ``additional_tace_month`` filled exactly when ``additional_tace`` is 1 and not after
        ``os_months``; ``response_month ≤ os_months``; ``refractory_tace_sessions ≤
        prior_tace_sessions``; ``child_pugh_score`` equal to the points of its five components
        (via :func:`analysis.clinical.child_pugh_frame`) wherever all five are filled;
        plausibility (values beyond any physiological range, times that look like days,
        weights like pounds, laboratory values in another unit: the ``plausible`` entries of
        ``data/schema.yaml``). Columns not in the schema are ignored here (the privacy guard
        still looks at them).

    Examples
    --------
    >>> cohort = load_cohort()
    >>> validate_cohort(cohort)
    []
    >>> problems = validate_cohort(cohort.head(3).assign(os_event=[1, 2, 0]))
    >>> print(problems[0])
    column os_event: must be 0 or 1 — 1 row: row 1: 2 [1 = died, 0 = alive at last follow-up (censored)]
    """
    chunk = _frame_chunk(df)
    validator = CohortValidator(chunk.columns, privacy_guard=False)
    validator.add(chunk)
    return validator.problems()


# --------------------------------------------------------------------------------------------
# Loading
# --------------------------------------------------------------------------------------------
@dataclass
class CohortReport:
    """What :func:`check_cohort_file` found: rows, columns, errors, warnings and notes (one-line
    remarks on what was ignored, such as a spreadsheet's empty columns, or on what looks odd
    but may be right, such as survival times that read as years; for stderr).

    Examples
    --------
    >>> import os, tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = os.path.join(tmp, "mine.csv")
    ...     load_cohort().head(3).to_csv(path, index=False)
    ...     report = check_cohort_file(path)
    >>> report.source, report.rows, len(report.columns), report.problems, report.fatal
    ('mine.csv', 3, 38, [], False)
    """

    source: str
    rows: int
    columns: list[str]
    problems: list[Problem]
    warnings: list[Problem]
    notes: list[str] = field(default_factory=list)
    #: column names that equal a patient's id or have an id's shape
    #: (:meth:`CohortValidator.id_like_columns`): messages mask them
    id_like: list[str] = field(default_factory=list)

    @property
    def fatal(self) -> bool:
        """True when the file could not be read at all."""
        return any(p.fatal for p in self.problems)


def check_cohort_file(
    path: Path | str,
    *,
    privacy_guard: bool = True,
    progress: Callable[[int, int, int], None] | None = None,
    chunk_rows: int = CHUNK_ROWS,
    keep: list | None = None,
    min_patients: int = 0,
) -> CohortReport:
    """Validate a cohort file in chunks, holding the text of one chunk at a time (and a few
    values of every row for the whole-cohort checks: see the module docstring).

    Parameters
    ----------
    path : path-like
        The CSV.
    privacy_guard : bool
        Run the identifier guard as well (leave it on).
    progress : callable, optional
        Called after each chunk with (rows so far, bytes read, file size).
    chunk_rows : int
        Rows per chunk.
    keep : list, optional
        When given, each chunk is appended to it (for :func:`load_cohort`).
    min_patients : int
        Report a file with fewer patients (``python -m analysis validate`` and ``run`` give
        :data:`MIN_PATIENTS`; the default 0 accepts any number).

    Returns
    -------
    CohortReport
        Fatal problems (an unreadable file) are returned, not raised.

    Examples
    --------
    A three-patient file in a temporary folder, one death coded 2:

    >>> import os, tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = os.path.join(tmp, "mine.csv")
    ...     load_cohort().head(3).assign(os_event=[1, 2, 0]).to_csv(path, index=False)
    ...     report = check_cohort_file(path)
    >>> report.rows, report.fatal
    (3, False)
    >>> print(report.problems[0])
    column os_event: must be 0 or 1 — 1 row: line 3: 2 [1 = died, 0 = alive at last follow-up (censored)]
    """
    path = Path(path)
    try:
        stream = _CsvStream(path, chunk_rows)
    except CohortError as exc:
        return CohortReport(path.name, 0, [], exc.problems, exc.warnings)
    validator = CohortValidator(
        stream.names,
        privacy_guard=privacy_guard,
        min_patients=min_patients,
        positions=[i + 1 for i in stream.keep],
        repeated_rows=True,
    )
    try:
        for chunk in stream.chunks():
            validator.add(chunk)
            if keep is not None:
                keep.append(chunk)
            if progress is not None:
                progress(stream.rows, stream.bytes_read, stream.size)
    except CohortError as exc:
        return CohortReport(path.name, stream.rows, stream.names, exc.problems, exc.warnings)
    id_like = validator.id_like_columns()  # before problems(), which lets the ids go
    found = stream.problems + validator.problems()
    errors = [p for p in found if p.severity != "warning"]
    warnings = [p for p in found if p.severity == "warning"]
    notes = stream.notes + validator.notes()
    return CohortReport(path.name, stream.rows, stream.names, errors, warnings, notes, id_like)


def warning_lines(warnings: Iterable[Problem | str]) -> list[str]:
    """The lines that list a cohort's warnings (free-text columns, times that look like weeks
    or days, the JSH criteria, rows repeated under another id), one item each, as ``python -m
    analysis validate`` prints them: ``run`` prints the same lines, from this function, before
    its chapters run and beside an invalid cohort's problems, so that the two commands cannot
    say different things. An item longer than :data:`analysis.formatting.LINE_WIDTH` is
    wrapped at spaces, its continuation lines two spaces under it
    (:func:`analysis.formatting.wrapped`): one item may be several printed lines.

    Parameters
    ----------
    warnings : iterable of Problem or str
        ``CohortReport.warnings``, ``CohortError.warnings`` or
        ``load_cohort(...).attrs["warnings"]``.

    Examples
    --------
    >>> import os, tempfile
    >>> rows = load_cohort().head(12)
    >>> rows.loc[11, rows.columns != "patient_id"] = rows.loc[3, rows.columns != "patient_id"]
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = os.path.join(tmp, "mine.csv")
    ...     rows.to_csv(path, index=False)
    ...     report = check_cohort_file(path)
    >>> report.problems
    []
    >>> for line in warning_lines(report.warnings):
    ...     print(line)
      - warning: file: rows repeat an earlier row in every column but patient_id
        (one patient entered twice under two ids?) — 1 row: line 13: same as line 5
        [keep one row per patient; if they are different patients, check that no row
        was copied over another]
    """
    return [formatting.wrapped(f"  - {warning}") for warning in warnings]


def _typed(chunks: list[_Chunk], names: list[str]) -> pd.DataFrame:
    """The documented dtypes from validated chunks of strings."""
    out = {}
    for name in names:
        cells = np.concatenate([c.columns[name] for c in chunks]) if chunks else np.empty(0, object)
        if name not in SCHEMA or SCHEMA[name].type in ("string", "category"):
            out[name] = pd.Series(
                np.where(pd.isna(cells), np.nan, cells) if len(cells) else cells, dtype=object
            )
            continue
        values, _, _ = _numbers(cells)
        if SCHEMA[name].type in ("integer", "binary") and not np.isnan(values).any():
            out[name] = pd.Series(values.astype(np.int64), dtype="int64")
        else:
            out[name] = pd.Series(values, dtype="float64")
    typed = pd.DataFrame(out, columns=names)
    typed.index = pd.RangeIndex(len(typed))
    return typed


def load_cohort(
    path: Path | str | None = None, *, privacy: bool = True, min_patients: int = MIN_PATIENTS
) -> pd.DataFrame:
    """Load and validate a cohort CSV.

    Parameters
    ----------
    path : path-like or None
        The CSV; ``None`` (the chapters' default) means the book's synthetic cohort,
        :data:`analysis.COHORT_CSV`.
    privacy : bool
        Run the identifier guard (:class:`analysis.privacy.IdentifierScanner`). Leave it on;
        it exists for tests of the other rules.
    min_patients : int
        Refuse a cohort of fewer patients; the default :data:`MIN_PATIENTS` is what
        ``validate`` and ``run`` ask for, so a chapter executed directly (papermill with
        ``-p cohort_path``) refuses a cohort that ``run`` refuses. 0 accepts any number (for
        tests of tiny cohorts and for the package's functions on them).

    Returns
    -------
    pandas.DataFrame
        One row per patient, the columns in file order with the dtypes described in the module
        docstring. ``attrs["source"]`` holds the file name, ``attrs["user_cohort"]`` whether it
        is not the book's own cohort, ``attrs["warnings"]`` the warnings (free-text columns,
        times that look like weeks or days: :func:`time_unit_signs`), one line each,
        ``attrs["time_unit_columns"]`` the time columns of that warning,
        ``attrs["notes"]`` what was ignored (a spreadsheet's unnamed columns without any
        value) or looks odd (times that read as years), one line each.

    Raises
    ------
    CohortError
        With every problem found (file, privacy, schema, cross-column and plausibility
        rules; with ``privacy``, a file name holding a direct identifier, which a chapter
        shows, refused as ``run`` and ``validate`` refuse it, and masked in the message);
        each names the column, the first offending rows by line number (never by
        ``patient_id``) with the value when it cannot be an identifier, and the rule.

    Examples
    --------
    >>> cohort = load_cohort()  # the book's synthetic cohort
    >>> cohort.shape, cohort.attrs["user_cohort"]
    ((82, 38), False)
    >>> import pathlib, tempfile
    >>> bad = pathlib.Path(tempfile.mkdtemp()) / "bad.csv"
    >>> _ = bad.write_text("patient_id,age_years\\nP1,abc\\n", encoding="utf-8")
    >>> try:
    ...     load_cohort(bad)
    ... except CohortError as err:
    ...     lines = str(err).splitlines()
    >>> print(lines[1][:51])  # fewer patients than MIN_PATIENTS (10), then each column's problem
      - file: has 1 patient; a report needs at least 10
    >>> print(lines[2])
      - column age_years: must be a whole number — 1 row: line 2: a 3-character text value, not a whole number
    """
    if path is not None and not isinstance(path, str | os.PathLike):
        raise TypeError(f"path: expected a file path (str or os.PathLike) or None, got {path!r}")
    if isinstance(min_patients, bool) or not isinstance(min_patients, int | np.integer):
        raise TypeError(f"min_patients must be a non-negative integer, got {min_patients!r}")
    if min_patients < 0:
        raise ValueError(f"min_patients must be a non-negative integer, got {min_patients!r}")
    path = Path(COHORT_CSV if path is None else path)
    chunks: list[_Chunk] = []
    report = check_cohort_file(path, privacy_guard=privacy, keep=chunks, min_patients=min_patients)
    named = _file_name_problem(path) if privacy else None
    problems = ([named] if named is not None else []) + list(report.problems)
    if problems:
        raise CohortError(problems, _shown_file_name(path.name), report.warnings)
    cohort = _typed(chunks, report.columns)
    cohort.attrs["source"] = path.name
    cohort.attrs["user_cohort"] = is_user_cohort(path)
    cohort.attrs["warnings"] = [str(w) for w in report.warnings]
    # the time columns warned of as weeks or days: a report's first page names them
    cohort.attrs["time_unit_columns"] = [w.column for w in report.warnings if w.code == "time-unit"]
    cohort.attrs["notes"] = list(report.notes)
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

    Examples
    --------
    >>> needs = chapter_needs()
    >>> needs.loc[2, ["chapter", "required columns"]].tolist()
    ['03-treatment', 'bilirubin_mg_dl, ast_u_l']
    >>> chapter_needs(["patient_id"]).columns[-1]   # with a cohort's columns
    'absent from this cohort'
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

    Notes
    -----
    The columns added:

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

    Examples
    --------
    Three patients with hand-set scores, responses and prior TACE counts:

    >>> d = derive(load_cohort().head(3).assign(
    ...     child_pugh_score=[5, 7, 10], best_response=["PD", "SD", "PR"], prior_tace_sessions=[2, 4, 5],
    ... ))
    >>> d["child_pugh_class"].tolist(), d["prior_tace_group"].tolist()
    (['A', 'B', 'C'], ['2–4', '2–4', '>4'])
    >>> d["disease_control"].tolist(), d["objective_response"].tolist()
    ([0, 1, 1], [0, 0, 1])
    """
    out = df.copy()
    score = out["child_pugh_score"]
    out["child_pugh_class"] = child_pugh_class_from_points(score.to_numpy()).astype(object)
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

    Parameters
    ----------
    seed : int, optional
        Seed of the random generator; ``None``: the default seed.
    **kwargs
        Passed to :func:`analysis.synthesis.synthesize` (chains, steps, ...).

    Returns
    -------
    DataFrame
        The synthetic cohort, one row per patient, in the schema of ``data/schema.yaml``.

    Examples
    --------
    A short, barely calibrated run (the committed cohort takes the default, longer one):

    >>> df = synthesize(7, chains=1, steps=200, cox_steps=0)
    >>> len(df), "os_months" in df.columns
    (82, True)
    """
    if seed is not None:
        kwargs["seed"] = seed
    return _synthesize(**kwargs)
