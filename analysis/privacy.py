"""Privacy guard for cohorts that are not the book's synthetic one.

Three tools:

:func:`find_identifiers`
    refuses columns that look like direct identifiers, by their name (names, hospital or
    registration numbers, resident registration numbers, birth dates, addresses, phone numbers,
    e-mail addresses, dates) and by their values (resident registration numbers such as
    ``######-#######``, phone numbers, e-mail addresses, exact calendar dates, Hangul text,
    long all-digit ``patient_id`` values that look like hospital registration numbers).
    :func:`analysis.cohort.load_cohort` calls it for every cohort; the book's own passes.
:func:`suppress_small_counts`
    hides counts below a threshold (default 5) in tables computed from a user's cohort.
:func:`is_user_cohort`
    tells the book's cohort (``data/cohort.csv``) from any other.

The rules follow the HIPAA Safe Harbor list of direct identifiers (45 CFR 164.514(b)(2)) and
Korea's Personal Information Protection Act, under which the resident registration number
(주민등록번호) may not be processed for research without a legal basis. They are heuristics:
passing them does not make a data set anonymous, and the data owner stays responsible.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from analysis.cohort import Problem, RowRef
from analysis.verdicts import is_user_cohort

__all__ = [
    "find_identifiers",
    "suppress_small_counts",
    "suppress_if_user_cohort",
    "is_user_cohort",
    "SMALL_COUNT_THRESHOLD",
]

#: Default threshold below which counts are hidden in tables of a user's cohort.
SMALL_COUNT_THRESHOLD = 5

# Column names: (pattern on the normalised name, what it looks like). Normalised = lower case,
# runs of non-alphanumerics replaced by "_", padded with "_" so \b-like matching is simple.
_NAME_RULES = [
    (
        r"_(first|last|given|family|sur|full|patient|pt)_?name_|_name_|_names_|^_(성명|이름|환자명)_",
        "a person's name",
    ),
    (
        r"_(mrn|hospital_?(no|num|number|id)|reg(istration)?_?(no|num|number)|chart_?(no|num|number)|medical_?record|record_?(no|num|number)|등록번호|병록번호)_",
        "a hospital or registration number",
    ),
    (
        r"_(rrn|ssn|jumin|resident_?reg\w*|social_?security\w*|national_?id|주민\w*)_",
        "a resident registration (national identity) number",
    ),
    (r"_(dob|birth\w*|born|date_?of_?birth|birthday|생년월일)_", "a birth date"),
    (r"_(address|addr|street|city|zip|zipcode|post_?code|postal\w*|주소)_", "an address"),
    (r"_(phone|tel|telephone|mobile|cell|fax|연락처|전화\w*)_", "a phone number"),
    (r"_(e_?mail|mail)_", "an e-mail address"),
    (r"_(date|dt|dates|day|datetime|timestamp)_|_\w*_date_|_date_\w*_", "a calendar date"),
]

_RRN = re.compile(r"(?<!\d)\d{2}(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])[- ]?[1-8]\d{6}(?!\d)")
_PHONE = re.compile(
    r"(?<![\d.])(\+?82[- ]?)?0\d{1,2}[- )]\d{3,4}[- ]\d{4}(?!\d)|(?<![\d.])01[016789]\d{7,8}(?!\d)"
)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
_DATE = re.compile(
    r"(?<!\d)(19|20)\d{2}[-/.](0?[1-9]|1[0-2])[-/.](0?[1-9]|[12]\d|3[01])(?!\d)"
    r"|(?<!\d)(0?[1-9]|[12]\d|3[01])[-/.](0?[1-9]|1[0-2])[-/.](19|20)\d{2}(?!\d)"
    r"|(?<!\d)(0?[1-9]|1[0-2])[-/.](0?[1-9]|[12]\d|3[01])[-/.](19|20)\d{2}(?!\d)"
    r"|(19|20)\d{2}\s*년\s*\d{1,2}\s*월\s*\d{1,2}\s*일"
    r"|(?<![\d.])\d{1,2}[- ](jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*[- ,]+(19|20)\d{2}(?!\d)",
    re.IGNORECASE,
)
_HANGUL = re.compile(r"[\uac00-\ud7a3]")
_LONG_DIGITS = re.compile(r"\d{7,}")

_VALUE_RULES = [
    (_RRN, "resident registration numbers (######-#######)"),
    (_PHONE, "phone numbers"),
    (_EMAIL, "e-mail addresses"),
    (_DATE, "exact calendar dates"),
    (_HANGUL, "Korean (Hangul) text, which may be names"),
]

_ADVICE = (
    "remove the column or replace it: pseudonymous ids (P001, …), ages in years, "
    "times in months from the start of HAIC"
)


def _normalise(name: str) -> str:
    return "_" + re.sub(r"[^0-9a-z\uac00-\ud7a3]+", "_", str(name).lower()).strip("_") + "_"


def _name_reason(name: str) -> str | None:
    norm = _normalise(name)
    if norm == "_patient_id_":
        return None
    for pattern, what in _NAME_RULES:
        if re.search(pattern, norm):
            return what
    return None


def find_identifiers(df: pd.DataFrame) -> list[Problem]:
    """Columns of ``df`` that look like direct identifiers, one :class:`Problem` per column.

    Parameters
    ----------
    df : pandas.DataFrame
        The cohort as read (strings), before or after schema validation.

    Returns
    -------
    list of Problem
        Code ``"identifier"``; the rule says what the column looks like and why (its name or
        its values); value matches list the first rows, without echoing the values.

    Notes
    -----
    Column names are matched after lower-casing and splitting on non-alphanumerics, so
    ``Patient Name``, ``patient_name`` and ``NAME`` are all caught while ``patient_id`` is the
    one allowed identifier. Values are scanned in every column for resident registration
    numbers, phone numbers, e-mail addresses, exact dates and Hangul text. In ``patient_id``,
    values with seven or more consecutive digits are refused as likely hospital registration
    numbers.
    """
    lines = df.attrs.get("line_numbers")
    ids = list(df["patient_id"]) if "patient_id" in df.columns else [None] * len(df)
    problems = []
    for name in df.columns:
        reason = _name_reason(name)
        if reason:
            problems.append(
                Problem(
                    str(name),
                    f"looks like a direct identifier ({reason}, by its name); refused",
                    "identifier",
                    hint=_ADVICE,
                )
            )
            continue
        values = [(i, v) for i, v in enumerate(df[name]) if isinstance(v, str) and v.strip()]
        rules = list(_VALUE_RULES)
        if _normalise(name) == "_patient_id_":
            rules.append((_LONG_DIGITS, "hospital registration numbers (7 or more digits)"))
        for pattern, what in rules:
            hits = [i for i, v in values if pattern.search(v)]
            if hits:
                refs = tuple(
                    RowRef(
                        lines[i] if lines is not None and len(lines) == len(df) else None,
                        None if name == "patient_id" else _safe_id(ids[i]),
                        position=i,
                    )
                    for i in hits
                )
                problems.append(
                    Problem(
                        str(name),
                        f"looks like a direct identifier (its values contain {what}); refused",
                        "identifier",
                        refs,
                        hint=_ADVICE,
                    )
                )
                break
    return problems


def _safe_id(value) -> str | None:
    """A patient_id fit to print: withheld when it looks like an identifier itself."""
    if not isinstance(value, str):
        return None if value is None else str(value)
    if any(p.search(value) for p, _ in _VALUE_RULES) or _LONG_DIGITS.search(value):
        return "(withheld)"
    return value


_COUNT_CELL = re.compile(r"^\s*(\d+)(\s*\(.*\))?\s*$")


def suppress_small_counts(
    table: pd.DataFrame,
    threshold: int = SMALL_COUNT_THRESHOLD,
    columns: list[str] | None = None,
) -> pd.DataFrame:
    """Hide counts from 1 to ``threshold - 1`` (and their percentages) in a table.

    Parameters
    ----------
    table : pandas.DataFrame
        A table of counts: integer columns, or text cells such as ``"3 (3.7)"`` (n with a
        percentage).
    threshold : int
        Smallest count shown; smaller non-zero counts become ``"<threshold"``. Zero is shown
        (it discloses nobody). ``threshold <= 1`` returns the table unchanged.
    columns : list of str, optional
        Which columns hold counts. Default: integer columns, and text columns whose cells are
        all counts or ``n (%)``.

    Returns
    -------
    pandas.DataFrame
        A copy; changed columns become text. ``attrs["suppressed"]`` counts the hidden cells.

    Notes
    -----
    This is primary suppression only (as in many registries' publication rules): a hidden cell
    may still be recoverable from a printed total. Chapters that show totals say so.
    """
    out = table.copy()
    out.attrs["suppressed"] = 0
    if threshold <= 1:
        return out
    if columns is None:
        columns = [c for c in out.columns if _is_count_column(out[c])]
    mark = f"<{threshold}"
    hidden = 0
    for c in columns:
        new = []
        for v in out[c]:
            n = _count_of(v)
            if n is not None and 0 < n < threshold:
                new.append(mark)
                hidden += 1
            else:
                new.append(v)
        out[c] = pd.Series(new, index=out.index, dtype=object)
    out.attrs["suppressed"] = hidden
    return out


def _count_of(v) -> int | None:
    if isinstance(v, bool):
        return None
    if isinstance(v, int) or (hasattr(v, "dtype") and getattr(v.dtype, "kind", "") in "iu"):
        return int(v)
    if isinstance(v, float) and v.is_integer():
        return int(v)
    if isinstance(v, str):
        m = _COUNT_CELL.match(v)
        if m:
            return int(m.group(1))
    return None


def _is_count_column(s: pd.Series) -> bool:
    if pd.api.types.is_bool_dtype(s):
        return False
    if pd.api.types.is_integer_dtype(s):
        return True
    if s.dtype == object:
        cells = [v for v in s if isinstance(v, str) and v.strip()]
        return bool(cells) and all(_COUNT_CELL.match(v) for v in cells)
    return False


def suppress_if_user_cohort(
    table: pd.DataFrame,
    cohort_path: Path | str | None,
    threshold: int = SMALL_COUNT_THRESHOLD,
    columns: list[str] | None = None,
) -> pd.DataFrame:
    """:func:`suppress_small_counts` for a user's cohort; the book's own tables are unchanged.

    Chapters call this on every count table with their ``cohort_path`` parameter (and,
    optionally, a ``min_cell_count`` parameter passed as ``threshold``).
    """
    if not is_user_cohort(cohort_path):
        return table
    return suppress_small_counts(table, threshold=threshold, columns=columns)
