"""How the book prints numbers: one module for rounding, P values, counts, intervals and units.

Core layer: imports nothing else from :mod:`analysis`. Every module and chapter that turns a number
into text for a reader goes through these functions, so the same number always prints the same way.

Conventions (those of the paper, which was analysed in SPSS):

- **Half-up rounding in decimal arithmetic** (:func:`~analysis.formatting.round_half_up`, :func:`~analysis.formatting.rounded`): the number's
  shortest decimal representation (Python's ``repr``) is rounded half away from zero, as SPSS
  displays. Python's and R's ``round`` round half to even on the binary value, so ``round(2.675, 2)``
  is 2.67 and ``round(0.125, 2)`` is 0.12; here they are 2.68 and 0.13. A number just below a half
  (``0.0449999``) rounds down at every precision, deterministically.
- **Counts** (:func:`count`, :func:`number_word`): every count the book prints (patients,
  deaths, criteria met, simulations) is a whole number with ``,`` thousands separators from
  1,000 (``"4,417"``), on the book's 82 patients and on a user's 2,000 alike; years, seeds and
  identifiers are not counts and print as they are (``"2021"``).
- **P values** (:func:`p_value`): three decimals, ``"<0.001"`` below 0.001.
- **Display text** (:func:`~analysis.formatting.number`, :func:`interval`, :func:`range_text`, :func:`percent`, :func:`quantity`): a true
  minus sign (U+2212) for negatives, ``,`` thousands separators on request (``"371,724"``), an en
  dash between interval bounds (``"8.7–11.0"``; one number for a range of a quantity whose ends
  print alike, ``"2.5"``), singular or plural units (``"1 month"``,
  ``"3 months"``) and ``"not reached"`` for a median survival the curve never reaches.

:func:`~analysis.formatting.rounded` keeps the ASCII hyphen-minus so that its text parses back as a number (it is what
:func:`analysis.published.agrees` compares); everything shown to a reader uses :func:`~analysis.formatting.number`.
"""

from __future__ import annotations

import math
import re
import unicodedata
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal, InvalidOperation

import numpy as np

__all__ = [
    "EN_DASH",
    "LINE_WIDTH",
    "MINUS",
    "NOT_REACHED",
    "NOT_SHOWN_PREFIX",
    "apart_decimals",
    "bounds",
    "count",
    "count_value",
    "decimal_of",
    "display_width",
    "hazard_ratio",
    "interval",
    "level",
    "median_interval",
    "median_text",
    "nonzero_decimals",
    "number",
    "p_value",
    "percent",
    "quantity",
    "range_text",
    "round_decimal",
    "round_half_up",
    "rounded",
    "term_hazard_ratio",
    "word_list",
    "number_word",
    "with_unit",
    "wrapped",
    "NO_PATIENTS",
    "not_computable",
]

#: The true minus sign (U+2212) used for negative numbers in display text.
MINUS = "\u2212"
#: The en dash (U+2013) between the bounds of an interval.
EN_DASH = "\u2013"
#: Text for a median survival the Kaplan–Meier curve never reaches (it stays above 0.5).
NOT_REACHED = "not reached"
#: How the text of a result a user's cohort does not show begins
#: (:data:`analysis.privacy.NOT_SHOWN_SMALL_GROUP`): given as the reason of a missing estimate,
#: :func:`hazard_ratio` and :func:`not_computable` print it as it is, never "not estimable".
NOT_SHOWN_PREFIX = "not shown"
#: The longest line a chapter prints or shows as code: wider, it scrolls or wraps on a phone and
#: on paper (chapter 7's 85-character message was wider than its box at 1366 px).
LINE_WIDTH = 80

# In |x| * 10**decimals, a fractional part this close to one half is decided in decimal arithmetic.
_NEAR_HALF = 1e-6
# Beyond this magnitude (in units of the last digit) the float fast path is not trusted.
_FAST_LIMIT = 1e9


def _check_decimals(decimals) -> None:
    if not isinstance(decimals, int | np.integer) or isinstance(decimals, bool) or decimals < 0:
        raise ValueError(f"decimals must be a non-negative integer, got {decimals!r}")


def decimal_of(x) -> Decimal:
    """The shortest decimal representation of a number, as a :class:`~decimal.Decimal`.

    Parameters
    ----------
    x : int, float or Decimal
        A number; a float is read through its ``repr`` (the shortest text that reads back as the
        same float), an int exactly.

    Returns
    -------
    Decimal

    Examples
    --------
    >>> decimal_of(2.675)  # the binary value is 2.67499999999999982236431605997495353221893310546875
    Decimal('2.675')
    >>> decimal_of(7)
    Decimal('7')
    """
    if isinstance(x, bool | str) or not hasattr(x, "__float__"):
        raise TypeError(f"x must be a number, got {x!r}")
    if isinstance(x, int | np.integer):
        return Decimal(int(x))
    if isinstance(x, Decimal):
        return x
    return Decimal(repr(float(x)))


def round_decimal(x, decimals: int) -> Decimal:
    """``x`` rounded half up (away from zero) at ``decimals`` in decimal arithmetic.

    Parameters
    ----------
    x : int, float or Decimal
        A finite number.
    decimals : int
        Decimals to keep (0 or more).

    Returns
    -------
    Decimal
        With exactly ``decimals`` decimals; never negative zero.

    Raises
    ------
    ValueError
        For a negative ``decimals`` or a non-finite ``x``.

    Examples
    --------
    >>> round_decimal(0.125, 2)
    Decimal('0.13')
    >>> round_decimal(-2.5, 0)
    Decimal('-3')
    >>> round_decimal(0.04499999, 2), round_decimal(0.045, 2)
    (Decimal('0.04'), Decimal('0.05'))
    """
    _check_decimals(decimals)
    d = decimal_of(x)
    if not d.is_finite():
        raise ValueError(f"x must be finite, got {x!r}")
    try:
        out = d.quantize(Decimal(1).scaleb(-int(decimals)), rounding=ROUND_HALF_UP)
    except InvalidOperation as err:  # pragma: no cover - only for absurd magnitudes
        raise ValueError(f"cannot round {x!r} to {decimals} decimals") from err
    return abs(out) if out == 0 else out


def _round_scalar(x: float, decimals: int) -> float:
    if not math.isfinite(x):
        return x
    y = abs(x) * 10.0**decimals
    frac = y - math.floor(y)
    if y > _FAST_LIMIT or abs(frac - 0.5) < _NEAR_HALF:
        return float(round_decimal(x, decimals))
    return math.copysign(math.floor(y + 0.5), x) / 10.0**decimals + 0.0


def round_half_up(x, decimals: int):
    """Round half up (away from zero) at ``decimals``, as SPSS displays; numbers, elementwise.

    The same rule as :func:`~analysis.formatting.rounded`, returned as numbers: a float for a scalar, an array for an
    array (NaN stays NaN). Fractions far from one half are rounded in floating point; within 1e-6
    of a half the decision is made in decimal arithmetic on the number's shortest representation,
    so the result never depends on binary noise.

    Parameters
    ----------
    x : float or array_like
        Numbers.
    decimals : int
        Decimals to keep (0 or more).

    Returns
    -------
    float or numpy.ndarray

    Examples
    --------
    >>> round_half_up(2.675, 2)
    2.68
    >>> round_half_up(0.04499999999, 2)  # below the half: down, at every precision
    0.04
    >>> round_half_up([0.125, -0.125, 12.5], 2)
    array([ 0.13, -0.13, 12.5 ])
    """
    _check_decimals(decimals)
    decimals = int(decimals)
    if isinstance(x, float | int | np.floating | np.integer) and not isinstance(x, bool):
        return _round_scalar(float(x), decimals)
    arr = np.asarray(x, dtype=float)
    if arr.ndim == 0:
        return _round_scalar(float(arr), decimals)
    scale = 10.0**decimals
    y = np.abs(arr) * scale
    with np.errstate(invalid="ignore"):
        out = np.copysign(np.floor(y + 0.5), arr) / scale + 0.0
        frac = y - np.floor(y)
        slow = np.isfinite(y) & ((y > _FAST_LIMIT) | (np.abs(frac - 0.5) < _NEAR_HALF))
    for i in zip(*np.nonzero(slow), strict=True):
        out[i] = float(round_decimal(float(arr[i]), decimals))
    return out


def rounded(x, decimals: int, *, thousands: bool = False) -> str:
    """Round half up in decimal arithmetic and format as the paper prints (ASCII minus).

    Parameters
    ----------
    x : float or int
        The number; its shortest decimal representation (``repr``) is rounded, so 2.675 is
        treated as 2.675, not as the binary 2.67499999….
    decimals : int
        Decimals to keep (0 or more).
    thousands : bool, default False
        Insert ``,`` thousands separators (``348,100``), as Table 1 does.

    Returns
    -------
    str
        Text that reads back as a number (negatives with ``-``); for display use :func:`~analysis.formatting.number`.

    Raises
    ------
    ValueError
        For a negative ``decimals`` or a non-finite ``x``.
    TypeError
        When ``x`` is not a number.

    Notes
    -----
    Python's ``round`` and R's ``round`` round half to even on the binary value
    (``round(0.125, 2) == 0.12``); SPSS displays half away from zero, as here.

    Examples
    --------
    >>> rounded(0.05, 1), rounded(2.645, 2), rounded(12.5, 0)
    ('0.1', '2.65', '13')
    >>> rounded(348100, 0, thousands=True)
    '348,100'
    """
    if isinstance(x, bool | str) or not hasattr(x, "__float__"):
        raise TypeError(f"x must be a number, got {x!r}")
    if not math.isfinite(float(x)):
        raise ValueError(f"x must be finite, got {x!r}")
    result = round_decimal(x, decimals)
    return f"{result:,f}" if thousands else f"{result:f}"


def _missing(x) -> bool:
    try:
        return x is None or not math.isfinite(float(x))
    except (TypeError, ValueError):
        return False


def number(x, decimals: int = 0, *, thousands: bool = False, missing: str = "–") -> str:
    """A number for display: half-up rounding, true minus sign, optional thousands separators.

    Parameters
    ----------
    x : float or int
        The number; NaN or None give ``missing``.
    decimals : int, default 0
        Decimals to keep.
    thousands : bool, default False
        Insert ``,`` thousands separators.
    missing : str, default "–"
        Text for NaN or None (e.g. :data:`NOT_REACHED` for a median survival).

    Returns
    -------
    str

    Examples
    --------
    >>> number(371724, thousands=True)
    '371,724'
    >>> number(-0.0449, 2), number(-0.004, 2)  # a true minus, and no negative zero
    ('−0.04', '0.00')
    >>> number(float("nan"), 1, missing=NOT_REACHED)
    'not reached'
    """
    if _missing(x):
        return missing
    text = rounded(x, decimals, thousands=thousands)
    return MINUS + text[1:] if text.startswith("-") else text


def bounds(lower: str, upper: str) -> str:
    """Two formatted bounds joined as a range: an en dash, or " to " when either bound is
    negative, where a dash beside a minus sign ("−0.6–7.4") reads as a subtraction, or when a
    bound is the en dash of a missing number (:func:`number`), where the dashes ran together
    ("1.0––", "–––").

    Examples
    --------
    >>> bounds("8.7", "11.0"), bounds("−0.6", "7.4"), bounds("−2.5", "−0.3")
    ('8.7–11.0', '−0.6 to 7.4', '−2.5 to −0.3')
    >>> bounds("1.0", "–"), bounds("–", "–")
    ('1.0 to –', '– to –')
    """
    negative = lower.startswith((MINUS, "-")) or upper.startswith((MINUS, "-"))
    dashed = lower.endswith(EN_DASH) or upper.startswith(EN_DASH)
    return f"{lower} to {upper}" if negative or dashed else f"{lower}{EN_DASH}{upper}"


def _printed_ends(name: str, lower, upper, decimals: int, thousands: bool, missing: str):
    """Both ends as :func:`number` prints them; a ValueError naming ``name`` when the range is
    backwards: its lower end above its upper one, the two printing apart."""
    lo, hi = (number(x, decimals, thousands=thousands, missing=missing) for x in (lower, upper))
    if lo != hi and not (_missing(lower) or _missing(upper)) and float(lower) > float(upper):
        raise ValueError(f"{name}: lower {lower!r} is above upper {upper!r}")
    return lo, hi


def interval(lower, upper, decimals: int = 1, *, thousands: bool = False, missing="–") -> str:
    """Two bounds joined by an en dash, each formatted by :func:`~analysis.formatting.number`;
    by " to " when a bound is negative (:func:`bounds`).

    Both bounds are printed, even when they print alike (``"1.000–1.000"``, as the paper prints
    Table 2's AFP row). A missing bound (NaN, None, infinite) prints as ``missing``. Bounds in
    the wrong order that print differently are an error, as in :func:`range_text`: a confidence
    interval printed "5.0–3.0" reads as if it were one; bounds that print alike are kept
    whatever their order (1.0004 and 0.9996 at three decimals).

    Raises
    ------
    ValueError
        ``lower`` above ``upper``, the two printing differently.

    Examples
    --------
    >>> interval(8.66, 11.04, 1)
    '8.7–11.0'
    >>> interval(-1.25, 0.5, 2)
    '−1.25 to 0.50'
    >>> interval(1.0004, 0.9996, 3), interval(1.0, float("nan"), 1)
    ('1.000–1.000', '1.0 to –')
    >>> try:
    ...     interval(5.0, 3.0, 1)
    ... except ValueError as error:
    ...     print(error)
    interval: lower 5.0 is above upper 3.0
    """
    return bounds(*_printed_ends("interval", lower, upper, decimals, thousands, missing))


def range_text(
    lower, upper, decimals: int = 1, *, thousands: bool = False, missing: str = "–"
) -> str:
    """The range of a quantity as :func:`interval` prints it, but one number when both ends
    print the same: chapter 8 printed "score 7: 2.5–2.5 deaths". An interval of an estimate
    keeps both bounds (:func:`interval`), as the paper prints them ("1.000–1.000").

    As in :func:`interval`, a missing end (NaN, None, infinite) prints as ``missing``, joined
    by " to " (:func:`bounds`); both missing print ``missing`` once. A range whose lower end
    is above its upper one and prints differently is an error (it printed "5.0–3.0"); ends that
    print the same are one number whatever their order (a range computed twice, 2.5 ± 1e-12).

    Raises
    ------
    ValueError
        ``lower`` above ``upper``, the two printing differently.

    Examples
    --------
    >>> range_text(2.46, 2.54, 1), range_text(2.46, 2.56, 1)
    ('2.5', '2.5–2.6')
    >>> range_text(-0.61, 7.41, 1), range_text(-2.51, -2.49, 1)
    ('−0.6 to 7.4', '−2.5')
    >>> range_text(1.0, float("nan"), 1), range_text(None, float("nan"), 1)
    ('1.0 to –', '–')
    """
    lo, hi = _printed_ends("range_text", lower, upper, decimals, thousands, missing)
    return lo if lo == hi else bounds(lo, hi)


def hazard_ratio(estimate, decimals: int = 2) -> str:
    """A hazard ratio with its 95% interval, ``"1.25 (0.69–2.26)"``, or why it does not exist.

    Parameters
    ----------
    estimate : mapping
        Keys ``hr``, ``lower`` and ``upper``, and optionally ``reason`` (why the hazard ratio
        is NaN): a dict, or a row of a table of estimates (a pandas Series).
    decimals : int, default 2
        Decimals of the ratio and of its bounds.

    Returns
    -------
    str
        ``"HR (lower–upper)"``, or ``"not estimable (reason)"`` when ``hr`` is NaN or None.

    Examples
    --------
    >>> hazard_ratio({"hr": 1.2549, "lower": 0.6931, "upper": 2.2647})
    '1.25 (0.69–2.26)'
    >>> hazard_ratio({"hr": float("nan"), "lower": float("nan"), "upper": float("nan"),
    ...               "reason": "no patient exposed"})
    'not estimable (no patient exposed)'
    >>> hazard_ratio({"hr": None, "lower": None, "upper": None})
    'not estimable (no estimate)'

    A reason that says the estimate is not shown (a user's cohort: a group of 1 to 4 patients,
    :data:`analysis.privacy.NOT_SHOWN_SMALL_GROUP`) is the text, as it is:

    >>> hazard_ratio({"hr": float("nan"), "lower": float("nan"), "upper": float("nan"),
    ...               "reason": "not shown (fewer than 5 patients)"})
    'not shown (fewer than 5 patients)'
    """
    if _missing(estimate["hr"]):
        reason = estimate.get("reason") if hasattr(estimate, "get") else None
        if isinstance(reason, str) and reason.startswith(NOT_SHOWN_PREFIX):
            return reason
        return f"not estimable ({reason if isinstance(reason, str) and reason else 'no estimate'})"
    bounds = interval(estimate["lower"], estimate["upper"], decimals)
    return f"{number(estimate['hr'], decimals)} ({bounds})"


def term_hazard_ratio(fit, term: str, decimals: int = 2) -> str:
    """The hazard ratio of one term of a fitted model, ``"1.114 (0.962–1.290)"``, or why not.

    Parameters
    ----------
    fit : DataFrame
        A table of estimates indexed by term, with columns ``hr``, ``lower`` and ``upper``
        (e.g. ``table2_models(cohort)["multivariate"]``).
    term : str
        The term's name in the index.
    decimals : int, default 2
        Decimals of the ratio and of its bounds.

    Returns
    -------
    str
        As :func:`hazard_ratio`; when the fit has no such term, ``"not estimable: "`` and why,
        where the fit says (``fit.attrs["reason"]``: the model could not be fitted;
        ``fit.attrs["dropped"][term]``: the term was left out, as
        :func:`analysis.tables.table2_models` records them), else ``"not estimable (not in the
        model)"``.

    Examples
    --------
    >>> import pandas as pd
    >>> fit = pd.DataFrame({"hr": [1.1138], "lower": [0.9617], "upper": [1.2901]},
    ...                    index=["prior_tace_gt4"])
    >>> term_hazard_ratio(fit, "prior_tace_gt4", 3)
    '1.114 (0.962–1.290)'
    >>> term_hazard_ratio(fit, "crp_gt3")
    'not estimable (not in the model)'

    A model that could not be fitted at all says why, not that the term is missing from it:

    >>> empty = fit.iloc[:0]
    >>> empty.attrs["reason"] = "no events in this cohort"
    >>> term_hazard_ratio(empty, "prior_tace_gt4")
    'not estimable: no events in this cohort'
    """
    if term not in fit.index:
        why = fit.attrs.get("reason") or fit.attrs.get("dropped", {}).get(term)
        return f"not estimable: {why}" if why else "not estimable (not in the model)"
    return hazard_ratio(fit.loc[term], decimals)


def level(confidence: float) -> str:
    """A confidence level (a fraction) as a percent, with the fewest decimals that show it
    exactly (up to ten): "95%", "97.5%", never "100.0%" for 0.999999 (a reader's ``-p
    confidence_level=0.999999`` printed "Wilson 100.0% intervals") nor "95.1%" for 0.9512.

    Examples
    --------
    >>> level(0.95), level(0.975), level(0.9)
    ('95%', '97.5%', '90%')
    >>> level(0.999999), level(0.9512), level(1e-5)
    ('99.9999%', '95.12%', '0.001%')

    A level given as a percentage (``papermill -p confidence_level 95``, which ``run``
    refuses) is an error, not "9500%":

    >>> try:
    ...     level(95)
    ... except ValueError as error:
    ...     print(error)
    confidence level 95: expected a fraction between 0 and 1 such as 0.95, not a percentage
    """
    try:
        value = float(confidence)
    except (TypeError, ValueError):  # "95%" passed as text
        value = math.nan
    if isinstance(confidence, bool) or not 0 < value < 1:  # NaN too
        plain = isinstance(confidence, int | float) and not isinstance(confidence, bool)
        shown = f"{confidence:g}" if plain else repr(confidence)
        hint = ", not a percentage" if 1 < value <= 100 or "%" in str(confidence) else ""
        raise ValueError(
            f"confidence level {shown}: expected a fraction between 0 and 1 such as 0.95{hint}"
        )
    value *= 100
    decimals = next((d for d in range(11) if abs(round(value, d) - value) < 1e-9), 10)
    return f"{number(value, decimals)}%"


def median_text(x, decimals: int = 1) -> str:
    """A median survival time as the paper (SPSS) prints it: half up at ``decimals``, a true
    minus, and :data:`NOT_REACHED` when the curve never reaches one half (NaN).

    Examples
    --------
    >>> median_text(9.95), median_text(float("nan")), median_text(14, 0)
    ('10.0', 'not reached', '14')
    """
    return number(x, decimals, missing=NOT_REACHED)


def median_interval(lower, upper, decimals: int = 1) -> str:
    """The confidence interval of a median as the text prints it: each bound by
    :func:`median_text` (a bound the band never reaches is ``"not reached"``), or
    ``"not estimable"`` when neither bound can be computed (no spread to estimate one from);
    joined by " to " when a bound is negative (:func:`bounds`: SPSS's median ± 1.96 SE can be).

    Examples
    --------
    >>> median_interval(8.66, 11.04)
    '8.7–11.0'
    >>> median_interval(-0.61, 7.41)
    '−0.6 to 7.4'
    >>> median_interval(8.66, float("nan"))
    '8.7–not reached'
    >>> median_interval(float("nan"), float("nan"))
    'not estimable'
    """
    if _missing(lower) and _missing(upper):
        return "not estimable"
    return bounds(median_text(lower, decimals), median_text(upper, decimals))


def percent(part, whole=None, decimals: int = 1, *, sign: bool = True) -> str:
    """A percentage: ``part`` is a percentage already, or a count out of ``whole``.

    Examples
    --------
    >>> percent(3, 82)
    '3.7%'
    >>> percent(45.05, decimals=1, sign=False)
    '45.1'
    """
    value = part if whole is None else (100.0 * part / whole if whole else math.nan)
    text = number(value, decimals)
    return f"{text}%" if sign and not _missing(value) else text


def quantity(
    x, unit: str, decimals: int = 0, *, plural: str | None = None, missing="–", thousands=False
) -> str:
    """A number with its unit, singular only when the printed number is exactly 1.

    Parameters
    ----------
    x : float or int
        The number.
    unit : str
        Singular unit (``"month"``, ``"patient"``).
    decimals : int, default 0
        Decimals to print.
    plural : str, optional
        Plural form; default ``unit + "s"``.
    missing : str, default "–"
        Text for NaN (without the unit).
    thousands : bool, default False
        Insert ``,`` thousands separators (:func:`~analysis.formatting.number`).

    Examples
    --------
    >>> quantity(1, "month"), quantity(3, "month"), quantity(1.0, "month", 1)
    ('1 month', '3 months', '1.0 months')
    >>> quantity(2, "patient", plural="patients")
    '2 patients'
    >>> quantity(1, "death"), quantity(1655.04, "unit", 1, thousands=True)
    ('1 death', '1,655.0 units')
    """
    if _missing(x):
        return missing
    return with_unit(number(x, decimals, thousands=thousands), unit, plural=plural)


def with_unit(text: str, unit: str, *, plural: str | None = None) -> str:
    """A formatted number or range with its unit, or a text in words as it is.

    Prose that glues a value which can be a number or a reason ("not reached", "not estimable",
    :data:`NOT_SHOWN_PREFIX` ...) glues it with its unit, so that it never reads
    "not reached months": the unit follows only a text that ends in a digit, in the singular
    only when the text is exactly ``"1"`` (as :func:`quantity`).

    Parameters
    ----------
    text : str
        A value as formatted for a reader (:func:`median_text`, :func:`median_interval`, ...).
    unit : str
        Singular unit (``"month"``).
    plural : str, optional
        Plural form; default ``unit + "s"``.

    Returns
    -------
    str

    Examples
    --------
    >>> with_unit("9.9", "month"), with_unit("1", "month"), with_unit("8.7–11.0", "month")
    ('9.9 months', '1 month', '8.7–11.0 months')
    >>> with_unit("not reached", "month"), with_unit("not estimable (median not reached)", "month")
    ('not reached', 'not estimable (median not reached)')
    >>> with_unit("8.7–not reached", "month")
    '8.7–not reached'
    """
    if not text[-1:].isdigit():
        return text
    return f"{text} {unit if text == '1' else (plural or unit + 's')}"


def apart_decimals(a: float, b: float, decimals: int = 3, *, most: int = 8) -> int:
    """Decimals that print two different numbers differently: ``decimals``, or more until they
    differ (at most ``most``). A sentence comparing "at least 0.317" with "at most 0.317" reads
    as a contradiction; at four decimals it reads 0.3172 against 0.3168.

    Examples
    --------
    >>> apart_decimals(0.31716, 0.31684), apart_decimals(0.250, 0.247), apart_decimals(1.0, 1.0)
    (4, 3, 3)
    """
    if a == b or not (math.isfinite(a) and math.isfinite(b)):
        return decimals
    for d in range(decimals, most + 1):
        if rounded(a, d) != rounded(b, d):
            return d
    return most


def nonzero_decimals(values, decimals: int = 1, *, most: int = 3) -> int:
    """Decimals at which no nonzero value of ``values`` prints as zero: ``decimals``, or more
    (at most ``most``). One number of decimals for a whole row or column, so that it reads
    consistently and a CRP of 0.03 does not print as "0.0" beside quartiles of 0.3 and 2.0.
    Missing values (None, NaN) are ignored.

    Examples
    --------
    >>> nonzero_decimals([0.03, 0.9, 14.0]), nonzero_decimals([1.7, 348100.0])
    (2, 1)
    >>> nonzero_decimals([0.0, 5.0, None, float("nan")], 0), nonzero_decimals([1e-9])
    (0, 3)
    """
    _check_decimals(decimals)
    small = [abs(float(v)) for v in values if not _missing(v) and float(v) != 0]
    for d in range(decimals, max(decimals, most) + 1):
        if all(round_decimal(v, d) != 0 for v in small):
            return d
    return max(decimals, most)


#: Whole numbers below ten in words (:func:`number_word`).
_NUMBER_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")


def count(n, *, missing: str = "–") -> str:
    """A count as the book prints every count (patients, deaths, criteria met, table rows,
    simulations): the whole number, with ``,`` thousands separators from 1,000.

    A chapter run on a user's cohort of 2,000 patients prints "4,417", never "4417", as the
    paper prints its aggregates ("371,724"). Years, seeds and identifiers are not counts: they
    print as they are ("2021"), never through this function.

    Parameters
    ----------
    n : int or str
        The count (an integer, or a float with no fractional part); None or NaN give
        ``missing``. A text is what stands in the place of a count a user's cohort hides
        (``"<5"``, ``"hidden"``, :func:`analysis.privacy.glued_counts`) and is returned as it is,
        so that a column of shown and hidden counts prints through this one function.
    missing : str, default "–"
        Text for None or NaN.

    Returns
    -------
    str

    Raises
    ------
    ValueError
        For a number with a fractional part (a count is whole).

    Examples
    --------
    >>> count(82), count(4417), count(1_000_000), count(-1200)
    ('82', '4,417', '1,000,000', '−1,200')
    >>> count(4417.0), count(None), count("<5")
    ('4,417', '–', '<5')
    """
    if isinstance(n, str):
        return n
    if _missing(n):
        return missing
    if isinstance(n, bool) or float(n) != int(n):
        raise ValueError(f"a count must be a whole number, got {n!r}")
    return number(int(n), thousands=True)


def count_value(text: str) -> int | None:
    """The count a count's text shows (:func:`count`: ``"4,417"`` is 4417), or None when the
    text shows none (a count a user's cohort hides, ``"<5"`` or ``"hidden"``, or words).

    Prose that says something only of a count it shows asks this, not ``str.isdigit``, which
    is false for ``"4,417"``.

    Examples
    --------
    >>> count_value("4,417"), count_value("82"), count_value("0")
    (4417, 82, 0)
    >>> count_value("<5"), count_value("hidden"), count_value("4417.5"), count_value("1,23")
    (None, None, None, None)
    """
    text = str(text).strip()
    if re.fullmatch(r"\d{1,3}(,\d{3})*|\d+", text) and text.isascii():
        return int(text.replace(",", ""))
    return None


def number_word(n: int, *, zero: str = "zero") -> str:
    """A count as prose writes it: in words below ten ("six of the eight rules"), in numerals
    from ten, with thousands separators from 1,000 (:func:`count`); ``zero`` for 0.

    Examples
    --------
    >>> number_word(6), number_word(0, zero="no"), number_word(12), number_word(4417)
    ('six', 'no', '12', '4,417')
    """
    n = int(n)
    if n == 0:
        return zero
    return _NUMBER_WORDS[n] if 0 < n < len(_NUMBER_WORDS) else count(n)


def word_list(items, conjunction: str = "and") -> str:
    """Items joined as prose: ``a``, ``a and b``, ``a, b and c`` (no serial comma).

    Parameters
    ----------
    items : iterable of str
        The items, already formatted, in order.
    conjunction : str, default "and"
        The word before the last item (``"or"``).

    Returns
    -------
    str
        The joined text; ``""`` for no items.

    Examples
    --------
    >>> word_list(["550", "700", "900"])
    '550, 700 and 900'
    >>> word_list(["day 1", "day 3"]), word_list(["AST"]), word_list([])
    ('day 1 and day 3', 'AST', '')
    >>> word_list(["height", "weight"], "or")
    'height or weight'
    """
    items = [str(item) for item in items]
    if len(items) < 2:
        return "".join(items)
    return f"{', '.join(items[:-1])} {conjunction} {items[-1]}"


def p_value(
    p,
    decimals: int = 3,
    *,
    relation: bool = False,
    significant: int | None = None,
    missing: str = "–",
    up: bool = False,
) -> str:
    """A P value as the paper prints it: ``decimals`` decimals, ``"<0.001"`` below the last one.

    Parameters
    ----------
    p : float
        The P value; NaN gives ``missing``.
    decimals : int, default 3
        Decimals printed; values below ``10**-decimals`` print as ``"<0.001"`` (for 3).
    relation : bool, default False
        Prefix the relation for running text after "P": ``"= 0.042"`` or ``"< 0.001"``.
    significant : int, optional
        Print ``significant`` significant digits instead of fixed decimals (for approximate P
        values in explanations, e.g. ``"0.00023"``); still ``"<"`` below ``10**-decimals``.
    missing : str, default "–"
        Text for NaN.
    up : bool, default False
        Round up instead of half up: for an upper bound ("P is at most …"), which must not
        print below the bound itself.

    Returns
    -------
    str

    Examples
    --------
    >>> p_value(0.04249), p_value(0.0004), p_value(0.0004, relation=True)
    ('0.042', '<0.001', '< 0.001')
    >>> p_value(0.05, relation=True)
    '= 0.050'
    >>> p_value(0.000234, 4, significant=2)
    '0.00023'

    An upper bound of 0.005037 is at most 0.0051, not 0.0050:

    >>> p_value(0.005037, 4, significant=2), p_value(0.005037, 4, significant=2, up=True)
    ('0.0050', '0.0051')
    >>> p_value(0.005037, 3, up=True)
    '0.006'
    """
    if _missing(p):
        return missing
    p = float(p)
    if not 0 <= p <= 1:
        raise ValueError(f"a P value must be between 0 and 1, got {p!r}")
    floor = 10.0**-decimals
    if p < floor:
        text, rel = f"<{rounded(floor, decimals)}", "<"
    else:
        digits = decimals
        if significant is not None:
            digits = max(0, significant - 1 - math.floor(math.log10(p)))
        if up:  # an upper bound: never below the value
            step = Decimal(1).scaleb(-digits)
            text = f"{decimal_of(p).quantize(step, rounding=ROUND_CEILING):f}"
        else:
            text = rounded(p, digits)
        rel = "="
    if not relation:
        return text
    return f"< {text[1:]}" if rel == "<" else f"= {text}"


#: A table cell of a group that has no patients (not "not reached", not an empty interval).
NO_PATIENTS = "no patients"


def not_computable(what: str, why: str) -> str:
    """A sentence of its own saying that ``what`` cannot be computed on this cohort, and why.

    Prose that would set "not estimable (reason)" where a number goes ("a median OS of not
    estimable (nobody in this group) months") says this instead, and leaves out what rests on
    the missing number.

    Parameters
    ----------
    what : str
        What is missing, as the subject of the sentence ("the median OS of the patients who
        received additional TACE").
    why : str
        Why: a reason as :func:`analysis.survival.group_comparison` or
        :func:`analysis.bias.exposure_analyses` give it; a parenthesis at its end becomes a
        clause, so that no parenthesis is nested in another.

    Examples
    --------
    >>> not_computable("the hazard ratio of additional TACE", "only one group has patients (nobody in it)")
    'The hazard ratio of additional TACE cannot be computed on this cohort: only one group has patients, nobody in it.'
    >>> not_computable("the median OS of those with additional TACE", "nobody in this group")
    'The median OS of those with additional TACE cannot be computed on this cohort: nobody in this group.'

    An estimate that exists but is not shown (a user's cohort: a group of 1 to 4 patients) is
    said to be not shown, not to be impossible:

    >>> not_computable("the hazard ratio of additional TACE", "not shown (fewer than 5 patients)")
    'The hazard ratio of additional TACE is not shown (fewer than 5 patients).'
    """
    if why.startswith(NOT_SHOWN_PREFIX):
        return f"{what[:1].upper()}{what[1:]} is {why.strip().rstrip('.')}."
    why = re.sub(r"\s*\(([^()]*)\)\s*$", r", \1", why.strip()).rstrip(".")
    return f"{what[:1].upper()}{what[1:]} cannot be computed on this cohort: {why}."


def display_width(text: str) -> int:
    """The columns ``text`` takes in a terminal: East Asian wide and fullwidth characters
    (``unicodedata.east_asian_width`` W or F: 年齢, 남, Ａ) take two, combining marks and other
    zero-width characters (the accent of a decomposed "é", a zero-width space) none, every other
    character one. ASCII text takes its length. :func:`wrapped` measures lines so: a message
    naming a column 年齢 ran past 80 columns when its characters were counted.

    Examples
    --------
    >>> display_width("age"), display_width("年齢"), display_width("남/여"), display_width("")
    (3, 4, 5, 0)
    >>> display_width("e\u0301"), display_width("ＡＢ"), display_width("—…")
    (1, 4, 2)
    """
    if text.isascii():
        return len(text)
    return sum(_char_width(ch) for ch in text)


def _char_width(ch: str) -> int:
    if unicodedata.east_asian_width(ch) in "WF":
        return 2
    if unicodedata.combining(ch) or (
        unicodedata.category(ch) in ("Mn", "Me", "Cf") and ch != "\u00ad"  # a soft hyphen shows
    ):
        return 0
    return 1


def wrapped(text: str, width: int = LINE_WIDTH, indent: str = "  ") -> str:
    """``text`` as printed lines of at most ``width`` terminal columns, for a message a chapter
    or a command prints (``python -m analysis validate``).

    Each line of ``text`` is broken at spaces, never inside a word nor at a hyphen (a column
    name, a value); its continuation lines start with the line's own leading spaces and
    ``indent`` (so a wrapped ``"  - item"`` continues under the item: the hanging indent the
    book's phone display recognises). A quoted value with spaces (``'Age (years)'``) is kept on
    one line when it fits in half a line, and so is a row's place (``line 4``). A word longer
    than a line is left whole. Lines that fit, and blank lines, are unchanged. Widths are
    terminal columns (:func:`display_width`): a wide character (年, 남) takes two, a combining
    mark none; ASCII text breaks as ``textwrap.fill`` breaks it.

    Parameters
    ----------
    text : str
        The message, one or more lines.
    width : int
        The longest line, in terminal columns (:data:`LINE_WIDTH`).
    indent : str
        Put before each continuation line, after the line's own leading spaces.

    Examples
    --------
    >>> print(wrapped("mean − 2 SD below zero, printed by the paper: 2 of 9 (AST, ALT)", 40))
    mean − 2 SD below zero, printed by the
      paper: 2 of 9 (AST, ALT)
    >>> print(wrapped("  - column sex: must be one of M, F [write M or F]", 30, indent="  "))
      - column sex: must be one of
        M, F [write M or F]
    >>> wrapped("fits") == "fits"
    True
    >>> print(wrapped("  - column age_years: required column is missing [found 'Age (years)']", 60))
      - column age_years: required column is missing [found
        'Age (years)']

    Wide characters take two columns each: 16 characters, 28 columns.

    >>> print(wrapped("年齢 性別 身長 体重 남/여 ok", 20))
    年齢 性別 身長 体重
      남/여 ok
    """
    lines = []
    for line in text.split("\n"):
        if display_width(line) <= width:
            lines.append(line)
            continue
        lead = line[: len(line) - len(line.lstrip(" "))]
        # a short quoted value is one word: its spaces become a character no text holds
        kept = (
            line
            if _KEPT_SPACE in line
            else _QUOTED.sub(
                lambda m: (
                    m[0].replace(" ", _KEPT_SPACE) if display_width(m[0]) <= width // 2 else m[0]
                ),
                line,
            )
        )
        filled = "\n".join(_filled(kept, width, lead + indent))
        lines.append(filled.replace(_KEPT_SPACE, " "))
    return "\n".join(lines)


def _filled(line: str, width: int, indent: str) -> list[str]:
    """``textwrap.wrap(line, width, subsequent_indent=indent, break_long_words=False,
    break_on_hyphens=False)``, its widths in terminal columns (:func:`display_width`) rather
    than characters: the same greedy filling, chunk by chunk, so that ASCII text breaks where
    ``textwrap`` breaks it."""
    line = line.expandtabs().translate(_ASCII_SPACES)
    chunks = [chunk for chunk in _SPACES.split(line) if chunk]
    chunks.reverse()  # a stack: the next chunk last
    lines: list[str] = []
    while chunks:
        prefix = indent if lines else ""
        room = width - display_width(prefix)
        if chunks[-1].strip() == "" and lines:  # spaces where a line breaks go
            del chunks[-1]
        current: list[str] = []
        used = 0
        while chunks and used + display_width(chunks[-1]) <= room:
            used += display_width(chunks[-1])
            current.append(chunks.pop())
        if chunks and not current and display_width(chunks[-1]) > room:
            current.append(chunks.pop())  # a word longer than a line: left whole
        if current and current[-1].strip() == "":
            del current[-1]
        if current:
            lines.append(prefix + "".join(current))
    return lines


# textwrap's whitespace: each is a space before breaking, and breaks split only at these
_ASCII_SPACES = str.maketrans(dict.fromkeys("\t\n\x0b\x0c\r", " "))
_SPACES = re.compile(r"( +)")
# kept on one line: a value quoted in a message ('Age (years)', 'yes'), from a quote that does
# not follow a letter to the first that no letter follows (so "the paper's" opens none); and a
# row's place, "line 4" (a validator's "line\n4: 'yes'" read as two things)
_QUOTED = re.compile(r"(?<!\w)'[^'\n]+?'(?!\w)|\b(?:line|row) \d+\b")
_KEPT_SPACE = "\x00"
