"""Machine checks of the internal consistency of Hien et al. (2024).

Every check reads only the numbers the paper prints (``data/published/`` through
:mod:`analysis.published`); none needs patient data. Each kind of check is a pure function on
plain numbers that returns a :class:`Check` (a verdict, what was computed, and an explanation a
resident can follow), so that it can be tested on hand-built examples. :func:`audit_paper`
applies them to the published entries and returns one row per check; :func:`summary` counts the
verdicts.

Verdicts
--------
``"consistent"``
    the printed numbers can all be true at the precision they are printed with.
``"inconsistent"``
    they cannot all be true (allowing for rounding, and for P values also for truncation), or a
    sentence says something the printed numbers contradict.
``"cannot tell"``
    the check has no power here, rests on an approximation that is too rough for a verdict, or
    finds something clinically implausible but not impossible.

An inconsistency is a statement about the printed numbers, not about the authors: most are
typing or labelling slips that a corrected table would remove.

Methods and references
----------------------
GRIM (granularity of means of integer data) :cite:`brown2017`; GRIMMER (the same for standard
deviations) :cite:`anaya2016`; recomputing a P value from the reported statistic in the spirit of
statcheck :cite:`nuijten2016`; the standard error and P value of a ratio from its 95% confidence
interval :cite:`altman2011`; feasibility of a mean and SD under the bounds of the variable, in the
spirit of SPRITE :cite:`heathers2018`; the SPSS confidence interval of a Kaplan-Meier median
(median ± 1.96·SE, Brookmeyer and Crowley's approach gives asymmetric intervals instead)
:cite:`brookmeyer1982`; BCLC 2022 staging :cite:`reig2022`.

Rounding: a number printed with ``d`` decimals may be anything within half a unit of the last
digit (``0.5·10**-d``) of the printed value. Truncation (``0.046`` printed as ``0.04``), which
SPSS users sometimes do by hand, is allowed for P values only, and the explanation says so when
a P value agrees only if it was truncated.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import pandas as pd
from scipy import special

from analysis import clinical, formatting, labels, paper, published
from analysis.formatting import number, p_value
from analysis.verdicts import AUDIT_VERDICTS, CANNOT_TELL, CONSISTENT, INCONSISTENT

__all__ = [
    "VERDICTS",
    "COLUMNS",
    "Z95",
    "Check",
    "percent_of_count",
    "grim_percent",
    "grim_mean",
    "grimmer",
    "sd_within_bounds",
    "parts_sum",
    "criteria_cover",
    "interval_symmetry",
    "range_reading",
    "iqr_reading",
    "hr_ci_centre",
    "p_from_ci",
    "se_for_binary",
    "same_quantity",
    "claim_p_below",
    "claim_direction",
    "claim_extreme",
    "claim_groups_complementary",
    "claim_table_reference",
    "bclc_stage_c",
    "paper_bclc_check",
    "child_pugh_classes",
    "response_rates",
    "logrank_vs_medians",
    "cox_vs_medians",
    "cox_vs_logrank",
    "expected_direction",
    "category_deaths",
    "category_direction",
    "last_category_reading",
    "last_category_sentence",
    "smallest_group_deaths",
    "audit_paper",
    "summary",
]

#: The three verdicts, in the order :func:`summary` reports them
#: (:data:`analysis.verdicts.AUDIT_VERDICTS`).
VERDICTS = AUDIT_VERDICTS

#: Columns of :func:`audit_paper` (``ids`` lists the published entries a row uses).
COLUMNS = ("where", "claim", "check", "computed", "verdict", "explanation", "ids")

#: The 97.5% point of the standard normal distribution (SPSS and R use it for 95% intervals).
Z95 = paper.Z95

_EPS = 1e-9


@dataclass(frozen=True)
class Check:
    """The result of one check.

    Attributes
    ----------
    verdict : str
        One of :data:`VERDICTS`.
    computed : str
        What the check computed, formatted for the reader.
    explanation : str
        Why the verdict follows, in plain words.
    details : dict
        The numbers behind ``computed`` (for tests and for chapters that glue them).

    Examples
    --------
    >>> check = percent_of_count(75, 82, 91.5, 1)
    >>> check.verdict, check.computed
    ('consistent', '75/82 = 91.463%')
    >>> check.explanation
    '75 of 82 is 91.463%, which prints as 91.5%.'
    """

    verdict: str
    computed: str
    explanation: str
    details: dict = field(default_factory=dict, compare=False)

    def __post_init__(self):
        if self.verdict not in VERDICTS:
            raise ValueError(f"verdict must be one of {VERDICTS}, got {self.verdict!r}")


def _half(decimals: int) -> float:
    """Half a unit of the last printed digit."""
    if not isinstance(decimals, int) or decimals < 0:
        raise ValueError(f"decimals must be a non-negative integer, got {decimals!r}")
    return 0.5 * 10.0**-decimals


def _fmt(x: float, digits: int = 3) -> str:
    """Format with ``digits`` significant digits (:func:`analysis.formatting.number`)."""
    if x == 0 or not math.isfinite(x):
        return f"{x:g}"
    return number(x, max(0, digits - 1 - int(math.floor(math.log10(abs(x))))))


def _p_text(p: float) -> str:
    """An approximate P value: two significant digits, "<0.0001" below (formatting.p_value)."""
    return p_value(p, 4, significant=2)


def _check_positive_int(name: str, x) -> None:
    if isinstance(x, bool) or not isinstance(x, int) or x <= 0:
        raise ValueError(f"{name} must be a positive integer, got {x!r}")


# ============================================================================ counts and percents


def percent_of_count(count: int, n: int, percent: float, decimals: int) -> Check:
    """Does ``count`` of ``n`` print as ``percent`` at ``decimals`` decimals?

    Method: ``100·count/n`` must lie within half a unit of the last printed digit of the
    percentage (any rounding rule: half up, half even).

    Parameters
    ----------
    count, n : int
        Numerator and denominator (``0 <= count <= n``).
    percent : float
        The printed percentage.
    decimals : int
        Decimals of the printed percentage.

    Examples
    --------
    >>> percent_of_count(75, 82, 91.5, 1).verdict, percent_of_count(75, 82, 91.4, 1).verdict
    ('consistent', 'inconsistent')
    """
    _check_positive_int("n", n)
    if not 0 <= count <= n:
        raise ValueError(f"count must lie in [0, n={n}], got {count!r}")
    exact = 100.0 * count / n
    ok = abs(exact - percent) <= _half(decimals) + _EPS
    computed = f"{count}/{n} = {exact:.{decimals + 2}f}%"
    if ok:
        why = (
            f"{count} of {n} is {exact:.{decimals + 2}f}%, which prints as {percent:.{decimals}f}%."
        )
    else:
        why = (
            f"{count} of {n} is {exact:.{decimals + 2}f}%, which would print as "
            f"{exact:.{decimals}f}%, not {percent:.{decimals}f}%."
        )
    return Check(CONSISTENT if ok else INCONSISTENT, computed, why, {"exact": exact})


def grim_percent(percent: float, n: int, decimals: int) -> Check:
    """GRIM for a percentage: is there any whole number of patients out of ``n`` giving it?

    Method: the GRIM test :cite:`brown2017` applied to a proportion. With ``n`` patients only the
    fractions ``k/n`` exist; the check lists every ``k`` with ``100·k/n`` within half a unit of
    the printed percentage. The test has power only when ``100/n`` is larger than one unit of
    the last printed digit (for ``n = 82`` and one decimal it is: steps of 1.22%).

    Examples
    --------
    Only 7 of 82 (8.54%) prints as 8.5%; 8.6% lies between 7/82 and 8/82 (9.76%):

    >>> grim_percent(8.5, 82, 1).details
    {'counts': [7]}
    >>> grim_percent(8.6, 82, 1).verdict
    'inconsistent'
    """
    _check_positive_int("n", n)
    half = _half(decimals)
    counts = [k for k in range(n + 1) if abs(100.0 * k / n - percent) <= half + _EPS]
    if counts:
        listed = ", ".join(str(k) for k in counts)
        return Check(
            CONSISTENT,
            f"k = {listed} of {n}",
            f"{listed} of {n} patients prints as {percent:.{decimals}f}%.",
            {"counts": counts},
        )
    below = max((k for k in range(n + 1) if 100.0 * k / n < percent), default=0)
    return Check(
        INCONSISTENT,
        f"no k of {n}",
        f"No whole number of {n} patients gives {percent:.{decimals}f}%: {below}/{n} = "
        f"{number(100 * below / n, 2)}% and {below + 1}/{n} = {number(100 * (below + 1) / n, 2)}%.",
        {"counts": []},
    )


def _grim_totals(mean: float, n_total: int, decimals: int) -> list[int]:
    half = _half(decimals)
    lo = math.floor((mean - half) * n_total) - 1
    hi = math.ceil((mean + half) * n_total) + 1
    return [t for t in range(lo, hi + 1) if abs(t / n_total - mean) <= half + _EPS]


def grim_mean(mean: float, n: int, decimals: int, items: int = 1) -> Check:
    """GRIM: can ``n`` integer values (each the sum of ``items`` integers) have this mean?

    Method: the GRIM test :cite:`brown2017`. The sum of integer data is an integer ``T``; the
    mean is ``T/(n·items)``. The check lists every ``T`` whose mean prints as the reported one.
    It can only fail when ``n·items < 10**decimals`` (otherwise consecutive totals are closer
    than one printed unit); the explanation says when the test has no power.

    Examples
    --------
    Ten integers sum to an integer, so their mean has one decimal at most; 3.47 over 15 is 52/15:

    >>> grim_mean(3.45, 10, 2).verdict
    'inconsistent'
    >>> check = grim_mean(3.47, 15, 2)
    >>> check.verdict, check.details
    ('consistent', {'totals': [52]})
    """
    _check_positive_int("n", n)
    _check_positive_int("items", items)
    n_total = n * items
    totals = _grim_totals(mean, n_total, decimals)
    power = n_total < 10**decimals
    if totals:
        example = totals[0]
        why = (
            f"A total of {number(example, thousands=True)} over {number(n_total, thousands=True)} "
            f"gives {number(example / n_total, decimals + 3)}"
        )
        why += f", which prints as {mean:.{decimals}f}."
        if not power:
            why += (
                f" The test cannot fail here: with {n_total} values every mean printed with "
                f"{decimals} decimal{'' if decimals == 1 else 's'} is reachable."
            )
        return Check(CONSISTENT, f"T = {example}/{n_total}", why, {"totals": totals})
    below = math.floor(mean * n_total)
    return Check(
        INCONSISTENT,
        f"no integer total over {n_total}",
        f"No integer total gives a mean of {mean:.{decimals}f} with {n_total} values: "
        f"{below}/{n_total} = {below / n_total:.{decimals + 3}f} and {below + 1}/{n_total} = "
        f"{(below + 1) / n_total:.{decimals + 3}f}.",
        {"totals": []},
    )


def grimmer(mean: float, sd: float, n: int, mean_decimals: int, sd_decimals: int) -> Check:
    """GRIMMER: can ``n`` integers have this mean and this (sample) standard deviation?

    Method: :cite:`anaya2016`. For every total ``T`` that passes GRIM, the sum of squares is
    ``S = (n − 1)·sd² + T²/n`` and must be an integer; because ``x² ≡ x (mod 2)`` it must also
    have the parity of ``T``. The SD is allowed its rounding interval ``sd ± 0.5·10**-d``. The
    test has little power when that interval spans several integers of ``S`` (large ``n``,
    SD printed with one decimal), which the explanation states.

    Examples
    --------
    1, 2, …, 6 have mean 3.5, SD 1.87 (sum 21, sum of squares 91):

    >>> check = grimmer(3.5, 1.87, 6, 1, 2)
    >>> check.verdict, check.details
    ('consistent', {'sums_of_squares': [(21, 91)]})
    >>> grimmer(3.5, 1.05, 10, 1, 2).verdict
    'inconsistent'
    """
    _check_positive_int("n", n)
    if n < 2:
        raise ValueError(f"n must be at least 2 for a standard deviation, got {n!r}")
    if sd < 0:
        raise ValueError(f"sd must be non-negative, got {sd!r}")
    totals = _grim_totals(mean, n, mean_decimals)
    if not totals:
        return Check(
            INCONSISTENT,
            "mean fails GRIM",
            f"The mean {mean:.{mean_decimals}f} is impossible for {n} integers (GRIM), so no SD is.",
            {"sums_of_squares": []},
        )
    half = _half(sd_decimals)
    sd_lo, sd_hi = max(sd - half, 0.0), sd + half
    found = []
    width = 0.0
    for total in totals:
        s_lo = (n - 1) * sd_lo**2 + total**2 / n
        s_hi = (n - 1) * sd_hi**2 + total**2 / n
        width = s_hi - s_lo
        for s in range(math.ceil(s_lo - _EPS), math.floor(s_hi + _EPS) + 1):
            if s % 2 == total % 2:
                found.append((total, s))
    if found:
        total, s = found[0]
        why = (
            f"A total of {number(total, thousands=True)} with a sum of squares of "
            f"{number(s, thousands=True)} gives mean "
            f"{total / n:.{mean_decimals + 2}f} and SD "
            f"{math.sqrt((s - total**2 / n) / (n - 1)):.{sd_decimals + 2}f}."
        )
        if width > 4:
            why += (
                f" The SD's rounding interval spans about {number(width, 0)} possible sums of squares, "
                "so the test has little power here."
            )
        return Check(CONSISTENT, f"T = {total}, S = {s}", why, {"sums_of_squares": found})
    return Check(
        INCONSISTENT,
        "no integer sum of squares",
        f"No set of {n} integers has mean {mean:.{mean_decimals}f} and SD {sd:.{sd_decimals}f}: "
        "the sum of squares would have to be a non-integer or have the wrong parity.",
        {"sums_of_squares": []},
    )


def sd_within_bounds(
    mean: float,
    sd: float,
    n: int,
    mean_decimals: int,
    sd_decimals: int,
    lower: float | None = None,
    upper: float | None = None,
    integer: bool = False,
) -> Check:
    """Is a mean ± SD possible for a variable bounded by ``lower`` and ``upper``?

    Method: the Bhatia-Davis inequality bounds the population variance of values in
    ``[a, b]`` with mean ``m`` by ``(m − a)(b − m)``; the sample variance is ``n/(n − 1)``
    times the population variance. With both bounds, the largest possible sample SD is
    ``sqrt(n/(n − 1)·(m − a)(b − m))``. With only a lower bound the SD is unbounded, but the
    largest value must then be at least ``m + (n − 1)/n·sd²/(m − a)`` (the same inequality
    solved for ``b``): the check reports that smallest possible maximum. This is the bounded
    reasoning behind SPRITE :cite:`heathers2018`. Rounding of the mean and SD is allowed for.
    An SD larger than ``m − a`` also means that mean ± SD reaches below the minimum: the data
    are right-skewed and a median with quartiles would describe them better.

    Examples
    --------
    Values in [0, 5] with mean 1.0: the SD is at most sqrt(10/9 · 1 · 4) = 2.11 (2.15 allowing
    for the rounding of the mean):

    >>> check = sd_within_bounds(1.0, 3.0, 10, 1, 1, lower=0, upper=5)
    >>> check.verdict, check.computed
    ('inconsistent', 'largest possible SD 2.15')
    """
    _check_positive_int("n", n)
    if n < 2:
        raise ValueError(f"n must be at least 2, got {n!r}")
    hm, hs = _half(mean_decimals), _half(sd_decimals)
    m_lo, m_hi = mean - hm, mean + hm
    s_lo = max(sd - hs, 0.0)
    if lower is not None and m_hi < lower or upper is not None and m_lo > upper:
        return Check(
            INCONSISTENT,
            f"mean {mean} outside [{lower}, {upper}]",
            f"A mean of {mean} is impossible for values between {lower} and {upper}.",
        )
    details: dict = {}
    skew = ""
    if lower is not None and sd > mean - lower:
        skew = (
            f" The SD ({sd}) exceeds the distance from the mean to the minimum ({number(mean - lower, 2)}), "
            "so the values are strongly right-skewed and mean ± SD is a poor summary."
        )
    if lower is not None and upper is not None:
        centre = min(max((lower + upper) / 2, m_lo), m_hi)
        max_sd = math.sqrt(n / (n - 1) * (centre - lower) * (upper - centre))
        details["max_sd"] = max_sd
        if s_lo > max_sd + _EPS:
            return Check(
                INCONSISTENT,
                f"largest possible SD {number(max_sd, 2)}",
                f"With every value between {lower} and {upper} and a mean of {mean}, the SD "
                f"cannot exceed {number(max_sd, 2)}; {sd} is impossible.",
                details,
            )
        return Check(
            CONSISTENT,
            f"largest possible SD {number(max_sd, 2)}",
            f"With values between {lower} and {upper} the SD can reach {number(max_sd, 2)}, so {sd} "
            f"is possible.{skew}",
            details,
        )
    if lower is not None:
        c = (n - 1) / n * s_lo**2
        candidates = [m_lo, m_hi]
        stationary = lower + math.sqrt(c)
        if m_lo < stationary < m_hi:
            candidates.append(stationary)
        smallest_max = min(m + c / (m - lower) for m in candidates if m > lower)
        if integer:
            smallest_max = math.ceil(smallest_max - _EPS)
        details["smallest_max"] = smallest_max
        return Check(
            CONSISTENT,
            f"largest value ≥ {_fmt(smallest_max)}",
            f"Possible with no upper limit, but at least one value must be {_fmt(smallest_max)} "
            f"or more.{skew}",
            details,
        )
    return Check(CANNOT_TELL, "no bounds", "Without bounds any SD is possible.", details)


def parts_sum(parts: dict[str, int], total: int) -> Check:
    """Do the counts of mutually exclusive categories add up to the total?

    Examples
    --------
    >>> parts_sum({"A": 74, "B": 8, "C": 0}, 82).computed
    '74 + 8 + 0 = 82'
    >>> parts_sum({"A": 74, "B": 9}, 82).explanation
    'The categories add up to 83, not 82.'
    """
    s = sum(parts.values())
    listed = " + ".join(str(v) for v in parts.values())
    if s == total:
        return Check(CONSISTENT, f"{listed} = {s}", f"The categories add up to {total}.")
    return Check(
        INCONSISTENT,
        f"{listed} = {s}",
        f"The categories add up to {s}, not {total}.",
    )


def criteria_cover(counts: dict[str, int], n: int) -> Check:
    """Can every one of ``n`` patients meet at least one of non-exclusive criteria?

    Method: each count must be at most ``n``, and their sum at least ``n`` (otherwise some
    patient meets none). The mean number of criteria per patient is reported.

    Examples
    --------
    >>> criteria_cover({"poor response": 40, "new lesions": 30}, 82).computed
    'sum 70 < 82'
    """
    _check_positive_int("n", n)
    too_big = [k for k, v in counts.items() if v > n]
    s = sum(counts.values())
    if too_big:
        return Check(
            INCONSISTENT,
            f"{too_big[0]}: {counts[too_big[0]]} > {n}",
            f"A criterion cannot be met by more than the {n} patients.",
        )
    if s < n:
        return Check(
            INCONSISTENT,
            f"sum {s} < {n}",
            f"The criteria are met {s} times in all, so at least {n - s} patients meet none, "
            "yet every patient had to meet one to be included.",
        )
    return Check(
        CONSISTENT,
        f"sum {s} ≥ {n}",
        f"The criteria are met {s} times by {n} patients ({number(s / n, 1)} per patient on average), "
        "so each patient can meet at least one.",
        {"sum": s},
    )


# ============================================================================ medians and ranges


def interval_symmetry(
    median: float,
    lower: float,
    upper: float,
    median_decimals: int,
    lower_decimals: int,
    upper_decimals: int,
    z: float = Z95,
) -> Check:
    """Is a printed bracket the symmetric SPSS 95% CI of a Kaplan-Meier median?

    Method: SPSS prints the CI of a median as ``median ± 1.96·SE`` (SE from Greenwood's variance
    and the slope of the curve), which is symmetric; the log and log-log intervals of R and
    lifelines (after :cite:`brookmeyer1982`) are not. The asymmetry ``(U − m) − (m − L)`` must be
    within the rounding of the three printed numbers (``h_U + h_L + 2·h_m``). The SE the
    interval implies is ``(U − L)/(2·1.96)``; when the sides differ, each side alone implies
    ``(m − L)/1.96`` and ``(U − m)/1.96``, and ``computed`` gives those instead.

    Examples
    --------
    8.7–11.1 is 1.2 either side of 9.9, so SE = 2.4 / (2 · 1.96) = 0.61:

    >>> check = interval_symmetry(9.9, 8.7, 11.1, 1, 1, 1)
    >>> check.verdict, round(check.details["se"], 2)
    ('consistent', 0.61)
    >>> check.computed
    '−1.20 / +1.20; SE from the full width ≈ 0.61'

    A lopsided bracket implies no single SE; each side is read alone:

    >>> check = interval_symmetry(3.4, 0.5, 13.6, 1, 1, 1)
    >>> check.verdict, check.computed
    ('inconsistent', '−2.90 / +10.20; one-sided SEs ≈ 1.48 (below) and 5.20 (above)')
    """
    if not lower <= upper:
        raise ValueError(f"lower must not exceed upper, got {lower!r} > {upper!r}")
    asym = (upper - median) - (median - lower)
    tol = _half(upper_decimals) + _half(lower_decimals) + 2 * _half(median_decimals)
    se = (upper - lower) / (2 * z)
    details = {"asymmetry": asym, "tolerance": tol, "se": se}
    below, above = median - lower, upper - median
    sides = f"−{number(below, 2)} / +{number(above, 2)}"
    if abs(asym) <= tol + _EPS:
        return Check(
            CONSISTENT,
            f"{sides}; SE from the full width ≈ {number(se, 2)}",
            f"The bracket reaches {number(below, 2)} below and {number(above, 2)} above the median, equal "
            f"within rounding (±{number(tol, 2)}): it reads as an SPSS 95% CI, median ± 1.96 × {number(se, 2)}.",
            details,
        )
    return Check(
        INCONSISTENT,
        f"{sides}; one-sided SEs ≈ {number(below / z, 2)} (below) and {number(above / z, 2)} (above)",
        f"The bracket reaches {number(below, 2)} below but {number(above, 2)} above the median (rounding "
        f"allows ±{number(tol, 2)}), so it is not an SPSS median ± 1.96·SE interval. Either it is "
        "another kind of interval, or a bound is misprinted; read alone, the lower side implies "
        f"SE ≈ {number(below / z, 2)} and the upper side SE ≈ {number(above / z, 2)}.",
        details,
    )


def range_reading(lower: float, upper: float, others: dict[str, float], label: str = "") -> Check:
    """Can a bracket called a "range" be the minimum-maximum of the patients' values?

    Method: if ``lower–upper`` were the range (minimum to maximum) of the individual values,
    every value from the same patients, and so every subgroup median, would lie inside it.
    ``others`` holds such values (e.g. the median survival of a subgroup of the same cohort).

    Examples
    --------
    >>> check = range_reading(2.0, 8.0, {"subgroup median": 9.9}, label="OS")
    >>> check.verdict, check.computed
    ('inconsistent', 'subgroup median = 9.9 outside 2–8')
    """
    outside = {k: v for k, v in others.items() if not lower - _EPS <= v <= upper + _EPS}
    if outside:
        name, v = next(iter(outside.items()))
        return Check(
            INCONSISTENT,
            f"{name} = {v:g} outside {lower:g}–{upper:g}",
            f"If {label or 'the bracket'} {lower:g}–{upper:g} were the range of individual "
            f"values, no patient could lie outside it, yet {name} is {v:g}. The bracket must be "
            "a confidence interval, not a range.",
            {"outside": outside},
        )
    return Check(
        CONSISTENT,
        f"all inside {lower:g}–{upper:g}",
        f"Every related value lies inside {lower:g}–{upper:g}, so a range reading is possible.",
    )


def iqr_reading(
    median: float, q1: float, q3: float, n: int, max_log_sd: float = 4.0, z_range: float = 2.5
) -> Check:
    """Is a bracket plausible as the interquartile range (IQR) around a median?

    Method: an IQR must contain the median (else ``"inconsistent"``). Beyond that, the check
    compares two readings for a positive, log-normally distributed marker: as an IQR the
    bracket implies a log-scale SD of ``ln(q3/q1)/(2·0.674)``; as a minimum-maximum of ``n``
    values it implies roughly ``ln(max/min)/(2·z_range)`` (``z_range = 2.5`` is about where the
    extremes of 80–100 values sit). If the IQR reading needs a log-scale SD above ``max_log_sd``
    (tumour markers in HCC cohorts have log-scale SDs of about 2–3) the verdict is
    ``"cannot tell"``: implausible, not impossible.

    Examples
    --------
    Read as an IQR, 1.7–348,100 needs a log-scale SD of ln(348100 / 1.7) / (2 · 0.674) = 9.1:

    >>> check = iqr_reading(333.4, 1.7, 348100, 82)
    >>> check.verdict, check.computed
    ('cannot tell', 'log-SD 9.1 as IQR, 2.4 as min–max')
    """
    _check_positive_int("n", n)
    if not q1 - _EPS <= median <= q3 + _EPS:
        return Check(
            INCONSISTENT,
            f"median {median:g} outside {q1:g}–{q3:g}",
            "An interquartile range always contains the median.",
        )
    if q1 <= 0:
        return Check(CANNOT_TELL, "non-positive bound", "A log-scale check needs positive values.")
    iqr_sd = math.log(q3 / q1) / (2 * special.ndtri(0.75))
    range_sd = math.log(q3 / q1) / (2 * z_range)
    details = {"iqr_log_sd": iqr_sd, "range_log_sd": range_sd}
    computed = f"log-SD {number(iqr_sd, 1)} as IQR, {number(range_sd, 1)} as min–max"
    if iqr_sd > max_log_sd:
        return Check(
            CANNOT_TELL,
            computed,
            f"Read as an IQR, a quarter of the {n} patients would lie at or below {q1:,g} and a "
            f"quarter at or above {q3:,g}: a log-scale SD of about {number(iqr_sd, 1)}, far wider than "
            f"such markers usually spread. Read as minimum–maximum it implies about {number(range_sd, 1)}, "
            "which is typical. Not impossible, but the bracket reads as a range. The 25th and 75th "
            "percentiles, or the individual values, would decide it.",
            details,
        )
    return Check(
        CONSISTENT,
        computed,
        f"Read as an IQR the spread (log-scale SD {number(iqr_sd, 1)}) is plausible.",
        details,
    )


# ============================================================================ hazard ratios


def _log_bounds(x: float, decimals: int) -> tuple[float, float]:
    """ln of the rounding interval of a printed positive number (−inf when it reaches 0)."""
    h = _half(decimals)
    lo = x - h
    return (math.log(lo) if lo > 0 else -math.inf), math.log(x + h)


def hr_ci_centre(
    hr: float, lower: float, upper: float, hr_decimals: int, ci_decimals: int
) -> Check:
    """Does a hazard ratio sit at the geometric centre of its 95% CI?

    Method: a Wald interval is ``exp(b ± 1.96·SE)``, so ``ln HR`` is the midpoint of ``ln L`` and
    ``ln U`` and ``HR = sqrt(L·U)`` :cite:`altman2011`. Each printed number is allowed its
    rounding interval; if that fails, truncated printing (``x`` standing for ``[x, x + 10**-d)``)
    is tried and the explanation says the numbers agree only under truncation.

    Examples
    --------
    The geometric centre of 1.0–4.0 is sqrt(1 · 4) = 2:

    >>> hr_ci_centre(2.0, 1.0, 4.0, 1, 1).verdict, hr_ci_centre(2.5, 1.0, 4.0, 1, 1).verdict
    ('consistent', 'inconsistent')
    """
    centre = math.sqrt(lower * upper)
    computed = f"√(L·U) = {centre:.{max(hr_decimals, 3)}f}"
    details = {"centre": centre}
    shown = f"{lower:.{ci_decimals}f}–{upper:.{ci_decimals}f}"
    if lower - _half(ci_decimals) <= 0:
        return Check(CANNOT_TELL, computed, "A bound printed as 0 has no logarithm.", details)

    def overlap(slack_up: float) -> bool:
        h_hr, h_ci = _half(hr_decimals), _half(ci_decimals)
        hr_lo, hr_hi = math.log(hr - h_hr), math.log(hr + h_hr * slack_up)
        c_lo = (math.log(lower - h_ci) + math.log(upper - h_ci)) / 2
        c_hi = (math.log(lower + h_ci * slack_up) + math.log(upper + h_ci * slack_up)) / 2
        return hr_lo <= c_hi + _EPS and c_lo <= hr_hi + _EPS

    if overlap(1.0):
        return Check(
            CONSISTENT,
            computed,
            f"The geometric centre of {shown} is {number(centre, 3)}, which matches the printed {hr} "
            "within rounding.",
            details,
        )
    if overlap(3.0):
        return Check(
            CONSISTENT,
            computed,
            f"The geometric centre of {shown} is {number(centre, 4)}; the printed {hr} matches it only if "
            "the numbers were truncated rather than rounded (a difference in the last digit).",
            details,
        )
    return Check(
        INCONSISTENT,
        computed,
        f"A Wald interval is centred on the HR on the log scale, but the centre of {shown} is "
        f"{number(centre, 3)}, not {hr}. The HR or a bound is probably misprinted (an HR of {hr} with "
        f"this lower bound would need an upper bound of {number(hr**2 / lower, 3)}).",
        details,
    )


def _se_bounds(lower: float, upper: float, ci_decimals: int, z: float = Z95):
    l_lo, l_hi = _log_bounds(lower, ci_decimals)
    u_lo, u_hi = _log_bounds(upper, ci_decimals)
    se_lo = max((u_lo - l_hi) / (2 * z), 0.0)
    se_hi = (u_hi - l_lo) / (2 * z)
    return se_lo, se_hi


def _p_interval(p: float, relation: str, decimals: int):
    """What a printed P may stand for: (rounding interval, truncation interval)."""
    if relation == "<":
        return (0.0, p), (0.0, p)
    if relation != "=":
        raise ValueError(f"relation must be '=' or '<', got {relation!r}")
    h = _half(decimals)
    return (max(p - h, 0.0), p + h), (p, p + 2 * h)


def _z_of_p(p: float) -> float:
    # scipy.stats.norm.isf(p / 2), bit for bit (+ 0.0 as scipy adds loc: 0.0, not -0.0, at p = 1)
    return float(-special.ndtri(p / 2) + 0.0) if p > 0 else math.inf


def _p_of_z(z: float) -> float:
    return float(2 * special.ndtr(-abs(z)))


def _p_from_collapsed_ci(hr, lower, upper, p, relation, decimals) -> Check:
    """:func:`p_from_ci` for an interval that prints as one number (``1.000–1.000``)."""
    res = paper.row_feasibility(hr, lower, upper, p, relation=relation, decimals=decimals)
    printed = f"{'<' if relation == '<' else ''}{p}"
    shown = f"{lower:.{decimals[1]}f}–{upper:.{decimals[2]}f}"
    h = 0.5 * 10.0 ** -decimals[2]
    room = min(math.log(upper + h), -math.log(lower - h))
    z_hi = _z_range_printed(p, relation, decimals[3])[1]
    b_max = room * z_hi / (z_hi + Z95) if math.isfinite(z_hi) else room
    se_max = res["se_max"]
    details = {"se_max": se_max, "log_hr_max": b_max}
    computed = f"SE ≤ {_fmt(se_max, 2)}; any P fits"
    if not res["feasible"]:
        return Check(
            INCONSISTENT,
            "no Wald row fits",
            f"No log HR and SE print as {hr} ({shown}) with P = {printed}.",
            details,
        )
    per_1000 = math.exp(1000 * b_max)
    return Check(
        CONSISTENT,
        computed,
        f"The interval {shown} only says both bounds round to {lower:g}: SE ≤ "
        f"{_fmt(se_max, 2)} per unit, and with so small an SE any P "
        f"is possible, so P = {printed} fits. The printed P then bounds the effect: "
        f"|ln HR| ≤ {_fmt(b_max, 2)} per unit, i.e. a hazard ratio between "
        f"{number(1 / per_1000, 2)} and {number(per_1000, 2)} per 1,000 units (P fixes "
        "|ln HR|/SE; the interval's rounding caps |ln HR| + 1.96·SE).",
        details,
    )


def _overlaps_p(interval: tuple[float, float], p_min: float, p_max: float) -> bool:
    """Does a printed P's interval (rounding or truncation, :func:`_p_interval`) meet the range
    ``p_min``–``p_max`` of P a row allows?

    Examples
    --------
    >>> _overlaps_p((0.015, 0.025), 0.0256, 0.0267), _overlaps_p((0.02, 0.03), 0.0256, 0.0267)
    (False, True)
    """
    return p_min <= interval[1] + _EPS and interval[0] <= p_max + _EPS


def p_from_ci(
    hr: float,
    lower: float,
    upper: float,
    p: float,
    relation: str,
    hr_decimals: int,
    ci_decimals: int,
    p_decimals: int,
) -> Check:
    """Recompute a Wald P value from a hazard ratio and its 95% CI and compare it with the print.

    Method: ``SE = (ln U − ln L)/(2·1.96)`` and ``z = ln HR / SE``, ``P = 2·(1 − Φ(|z|))``
    :cite:`altman2011`, the recomputation statcheck does for reported test statistics
    :cite:`nuijten2016`. Every printed number is allowed its rounding interval, giving a range
    of P: the ``|z|`` of every Wald row (one log HR ``b`` and SE ``s``, ``HR = e^b``,
    ``CI = e^(b ± 1.96·s)``) that prints as the HR and both bounds (:func:`analysis.paper.wald_z_range`); the
    HR and the SE are taken apart (any HR of its rounding interval with any SE of the bounds')
    only when no such row exists, i.e. when the HR is off its interval's centre
    (:func:`hr_ci_centre`; ``details["joint"]`` is then False). Taking them apart always would
    let P reach values no row printing as the paper's gives (CRP's univariate 0.0246, where every
    such row gives 0.0256 or more). The printed P is read as rounded (``0.02`` is 0.015–0.025)
    or truncated (0.020–0.030); ``<0.001`` is any P below 0.001; ``details["rounded"]`` says
    whether the rounded reading fits.

    When the interval prints as one number (``1.000–1.000``) the SE is only bounded above
    (``SE ≤ (ln(U + h) − ln(L − h))/(2·1.96)``); the question is then whether one Wald row fits
    every printed number (:func:`analysis.paper.row_feasibility`, a linear programme over the
    rounding boxes), and the printed P bounds the effect per unit: ``|ln HR| = z·SE`` with
    ``(z + 1.96)·SE ≤ ln(U + h)``.

    Examples
    --------
    HR 2 with 1–4: SE = ln 4 / (2 · 1.96) = 0.354 and z = ln 2 / SE = 1.96, so P = 0.05:

    >>> check = p_from_ci(2.0, 1.0, 4.0, 0.05, "=", 1, 1, 2)
    >>> check.verdict, check.computed
    ('consistent', 'SE 0.354, z 1.96, P ≈ 0.050')
    """
    se_lo, se_hi = _se_bounds(lower, upper, ci_decimals)
    hr_lo, hr_hi = _log_bounds(hr, hr_decimals)
    rounding, truncation = _p_interval(p, relation, p_decimals)
    printed = f"{'<' if relation == '<' else ''}{p}"
    if se_lo <= 0 or not math.isfinite(se_hi):
        return _p_from_collapsed_ci(
            hr, lower, upper, p, relation, (hr_decimals, ci_decimals, ci_decimals, p_decimals)
        )
    joint = paper.wald_z_range(hr, lower, upper, (hr_decimals, ci_decimals, ci_decimals))
    if joint is not None:  # one Wald row prints as the HR and both bounds: its z
        z_min, z_max = joint
    else:  # the HR is off the interval's centre (hr_ci_centre): HR and SE taken apart
        z_min = 0.0 if hr_lo <= 0 <= hr_hi else min(abs(hr_lo), abs(hr_hi)) / se_hi
        z_max = max(abs(hr_lo), abs(hr_hi)) / se_lo
    p_min, p_max = _p_of_z(z_max), _p_of_z(z_min)
    se = (math.log(upper) - math.log(lower)) / (2 * Z95)
    z = math.log(hr) / se
    p_mid = _p_of_z(z)
    details = {
        "se": se, "z": z, "p": p_mid, "p_min": p_min, "p_max": p_max, "joint": joint is not None,
        "rounded": _overlaps_p(rounding, p_min, p_max),
    }  # fmt: skip
    computed = f"SE {number(se, 3)}, z {number(z, 2)}, P ≈ {_p_text(p_mid)}"
    if _p_text(p_min) == _p_text(p_max):
        spread = ""
    else:
        spread = f" (between {_p_text(p_min)} and {_p_text(p_max)} given rounding)"

    def overlaps(iv):
        return _overlaps_p(iv, p_min, p_max)

    if overlaps(rounding):
        shown = f"P ≈ {_p_text(p_mid)}{spread}"
        if not spread and relation == "=" and p_value(p_mid, p_decimals) != p_value(p, p_decimals):
            # "P ≈ 0.025" beside a printed 0.02 reads as 0.03: the range the check accepts instead
            shown = f"P between {p_value(p_min, 5, significant=3)} and {p_value(p_max, 5, significant=3)}"
        return Check(
            CONSISTENT,
            computed,
            f"From the interval, SE = {number(se, 3)} and z = {number(z, 2)}, so {shown}, "
            f"which agrees with the printed {printed}.",
            details,
        )
    if overlaps(truncation):
        return Check(
            CONSISTENT,
            computed,
            f"From the interval, P ≈ {_p_text(p_mid)}{spread}; the printed {printed} agrees only "
            "if P was truncated rather than rounded.",
            details,
        )
    crosses = (p_max < 0.05) != (p < 0.05 if relation == "=" else True)
    gross = " This changes the conclusion at the 0.05 level." if crosses else ""
    return Check(
        INCONSISTENT,
        computed,
        f"From the interval, SE = {number(se, 3)} and z = {number(z, 2)}, so P ≈ {_p_text(p_mid)}{spread}, "
        f"not {printed}.{gross}",
        details | {"decision_error": crosses},
    )


def se_for_binary(
    lower: float,
    upper: float,
    ci_decimals: int,
    max_events: int,
    hr: float | None = None,
    per: tuple[float, str] | None = None,
) -> Check:
    """Is the SE of a log hazard ratio possible for a 0/1 covariate with at most ``max_events``?

    Method: for a covariate coded 0/1 the Cox information is a sum over the ``d`` deaths of the
    (weighted) variance of the covariate in the risk set, and the variance of a 0/1 variable is at
    most 1/4; so the information is at most ``d/4`` and ``SE(ln HR) ≥ 2/sqrt(d)`` — also in a
    multivariable model, because a diagonal element of an inverse information matrix is at least
    the inverse of the diagonal element. (With the deaths split ``d1 + d2 = d`` the familiar
    approximation ``SE ≈ sqrt(1/d1 + 1/d2)`` is at least ``2/sqrt(d)`` too.) The number of
    deaths is bounded by the number of patients. The SE comes from the CI as in
    :func:`p_from_ci`; the largest SE the rounding allows is compared with the floor.

    When the SE is below the floor the covariate cannot have been 0/1: a per-unit (continuous)
    coding is the usual explanation; with ``hr`` and ``per = (k, "unit name")`` the explanation
    re-expresses the HR per ``k`` units (``hr**k``).

    Examples
    --------
    0.9–1.1 implies SE = ln(1.1 / 0.9) / 3.92 = 0.051, below the 0/1 floor 2 / √68 = 0.243:

    >>> check = se_for_binary(0.9, 1.1, 1, 68)
    >>> check.verdict, check.computed
    ('inconsistent', 'SE 0.051 vs floor 0.243')
    """
    _check_positive_int("max_events", max_events)
    se_lo, se_hi = _se_bounds(lower, upper, ci_decimals)
    floor = paper.binary_se_floor(max_events)
    se = (math.log(upper) - math.log(lower)) / (2 * Z95) if lower > 0 else math.inf
    need = 4 / se_hi**2 if se_hi > 0 else math.inf
    details = {"se": se, "se_max": se_hi, "floor": floor, "min_deaths": need}
    computed = f"SE {number(se, 3)} vs floor {number(floor, 3)}"
    if se_hi < floor:
        rescaled = ""
        if hr is not None and per is not None:
            rescaled = (
                f" Read per unit, HR {hr} is {number(hr ** per[0], 2)} per {per[0]:g} {per[1]}."
            )
        return Check(
            INCONSISTENT,
            computed,
            f"A 0/1 covariate needs SE ≥ 2/√d; even if all {max_events} patients had died the "
            f"floor is {number(floor, 3)}, but this interval implies SE = {number(se, 3)} (it would need at least "
            f"{formatting.quantity(math.ceil(need), 'death', thousands=True)}). The label's 0/1 coding is impossible; a per-unit "
            f"(continuous) coding is the usual explanation.{rescaled}",
            details,
        )
    return Check(
        CONSISTENT,
        computed,
        f"SE = {number(se, 3)} is possible for a 0/1 covariate if there were at least "
        f"{formatting.quantity(math.ceil(need), 'death', thousands=True)} (at most {max_events}).",
        details,
    )


# ============================================================================ cross-checks and claims


def same_quantity(versions: list[tuple[str, tuple[float, ...], tuple[int, ...]]]) -> Check:
    """Do all places that print one quantity print the same number?

    Parameters
    ----------
    versions : list of (where, values, decimals)
        ``values`` is a tuple (one number, or the two bounds of an interval) and ``decimals``
        their printed decimals. Two prints agree when they differ by no more than the sum of
        their rounding half-units (``14`` and ``14.0`` agree).

    Examples
    --------
    >>> same_quantity([("abstract", (9.9,), (1,)), ("results", (9.9,), (1,))]).verdict
    'consistent'
    >>> same_quantity([("abstract", (9.9,), (1,)), ("results", (10.9,), (1,))]).explanation
    'results prints 10.9, where 1 other place prints 9.9.'
    """
    if len(versions) < 2:
        raise ValueError("same_quantity needs at least two versions")
    texts = [(w, "–".join(f"{v:g}" for v in vals)) for w, vals, _ in versions]
    computed = "; ".join(f"{w} {t}" for w, t in texts)

    def agree(a, b):
        return len(a[1]) == len(b[1]) and all(
            abs(x - y) <= _half(dx) + _half(dy) + _EPS
            for x, y, dx, dy in zip(a[1], b[1], a[2], b[2], strict=True)
        )

    groups: list[list[int]] = []
    for i, v in enumerate(versions):
        for g in groups:
            if agree(versions[g[0]], v):
                g.append(i)
                break
        else:
            groups.append([i])
    if len(groups) == 1:
        return Check(CONSISTENT, computed, f"All {len(versions)} places print the same number.")
    groups.sort(key=len, reverse=True)
    odd = [texts[i] for g in groups[1:] for i in g]
    major = texts[groups[0][0]][1]
    odd_text = "; ".join(f"{w} prints {t}" for w, t in odd)
    return Check(
        INCONSISTENT,
        computed,
        f"{odd_text}, where {len(groups[0])} other "
        f"{'place prints' if len(groups[0]) == 1 else 'places print'} {major}.",
        {"groups": groups},
    )


def claim_p_below(p_values: dict[str, tuple[float, str]], threshold: float) -> Check:
    """A sentence calls these factors significant at ``P < threshold``: are all printed P below?

    ``p_values`` maps a factor to ``(printed P, relation)``. A printed P counts as below the
    threshold when even its rounding interval's lower end is below it (``"<"`` P values are
    below when their bound is at most the threshold).

    Examples
    --------
    >>> check = claim_p_below({"AST": (0.01, "="), "CRP": (0.06, "=")}, 0.05)
    >>> check.verdict, check.details
    ('inconsistent', {'not_below': ['CRP 0.06']})
    """
    below, not_below = [], []
    for name, (p, relation) in p_values.items():
        ok = p <= threshold + _EPS if relation == "<" else p < threshold
        (below if ok else not_below).append(f"{name} {'<' if relation == '<' else ''}{p}")
    computed = f"{len(below)} of {len(p_values)} below {threshold}"
    if not not_below:
        return Check(CONSISTENT, computed, f"All printed P values are below {threshold}.")
    return Check(
        INCONSISTENT,
        computed,
        f"The sentence claims P < {threshold} for all {len(p_values)}, but the printed values "
        f"include {', '.join(not_below)}.",
        {"not_below": not_below},
    )


def claim_direction(hr: float, claimed: str) -> Check:
    """Does a hazard ratio point the way the sentence says?

    ``claimed`` is ``"worse"`` (the exposed group dies sooner: HR > 1 against the reference) or
    ``"better"`` (HR < 1).

    Examples
    --------
    >>> claim_direction(1.8, "worse").verdict, claim_direction(0.8, "worse").verdict
    ('consistent', 'inconsistent')
    """
    if claimed not in ("worse", "better"):
        raise ValueError(f"claimed must be 'worse' or 'better', got {claimed!r}")
    ok = hr > 1 if claimed == "worse" else hr < 1
    side = "above" if hr > 1 else "below"
    if ok:
        return Check(CONSISTENT, f"HR {hr} {side} 1", f"An HR {side} 1 means {claimed} survival.")
    return Check(
        INCONSISTENT,
        f"HR {hr} {side} 1",
        f"The sentence says survival was {claimed}, but an HR {side} 1 against the reference "
        f"means the opposite.",
    )


def claim_extreme(values: dict[str, float], claimed: str, which: str) -> Check:
    """Is ``claimed`` the largest (``which="max"``) or smallest (``"min"``) of ``values``?

    Examples
    --------
    >>> claim_extreme({"a": 1.0, "b": 3.0}, "b", "max").computed
    'largest: b (3)'
    """
    if which not in ("max", "min"):
        raise ValueError(f"which must be 'max' or 'min', got {which!r}")
    if claimed not in values:
        raise ValueError(f"claimed {claimed!r} is not among {sorted(values)}")
    pick = max if which == "max" else min
    best = pick(values.values())
    winners = [k for k, v in values.items() if v == best]
    word = "largest" if which == "max" else "smallest"
    computed = f"{word}: {', '.join(winners)} ({best:g})"
    if values[claimed] == best:
        return Check(CONSISTENT, computed, f"{claimed} is indeed the {word} ({best:g}).")
    return Check(
        INCONSISTENT,
        computed,
        f"{claimed} ({values[claimed]:g}) is not the {word}; {winners[0]} is ({best:g}).",
    )


def claim_groups_complementary(
    exposed: tuple[str, float], comparison: tuple[str, float], minimum: int
) -> Check:
    """Do two group definitions on an integer count cover every patient exactly once?

    ``exposed`` and ``comparison`` are ``(relation, value)`` with relation in
    ``<, <=, >, >=``; ``minimum`` is the smallest possible count (2 prior TACE sessions here).
    The check lists the counts that fall in neither or both groups, up to ``value + 1``.

    Examples
    --------
    ">4" and "<4" leave out the patients with exactly 4 sessions:

    >>> claim_groups_complementary((">", 4), ("<=", 4), 2).verdict
    'consistent'
    >>> claim_groups_complementary((">", 4), ("<", 4), 2).explanation
    'A patient with 4 falls in neither group.'
    """
    ops = {
        "<": lambda x, v: x < v,
        "<=": lambda x, v: x <= v,
        ">": lambda x, v: x > v,
        ">=": lambda x, v: x >= v,
    }
    for rel, _ in (exposed, comparison):
        if rel not in ops:
            raise ValueError(f"relation must be one of {sorted(ops)}, got {rel!r}")
    top = int(max(exposed[1], comparison[1])) + 2
    neither, both = [], []
    for x in range(minimum, top + 1):
        a, b = ops[exposed[0]](x, exposed[1]), ops[comparison[0]](x, comparison[1])
        if not a and not b:
            neither.append(x)
        if a and b:
            both.append(x)
    computed = f"{exposed[0]}{exposed[1]:g} vs {comparison[0]}{comparison[1]:g}"
    if not neither and not both:
        return Check(CONSISTENT, computed, "Every patient falls in exactly one group.")
    parts = []
    if neither:
        parts.append(f"a patient with {', '.join(map(str, neither))} falls in neither group")
    if both:
        parts.append(f"a patient with {', '.join(map(str, both))} falls in both")
    return Check(INCONSISTENT, computed, "; ".join(parts).capitalize() + ".")


def claim_table_reference(quantity: str, table: str, table_quantities: set[str]) -> Check:
    """Does the table a sentence points to hold the quantity the sentence reports?

    Examples
    --------
    >>> claim_table_reference("os_median", "table2", {"hr"}).verdict
    'inconsistent'
    """
    if quantity in table_quantities:
        return Check(CONSISTENT, f"{quantity} in {table}", f"{table} reports {quantity}.")
    return Check(
        INCONSISTENT,
        f"{quantity} not in {table}",
        f"The sentence refers to {table} for this number, but {table} does not report it.",
    )


# ============================================================================ clinical rules


def bclc_stage_c(
    stage_c: int, pvtt: dict[str, int], vascular_invasion: int, extrahepatic: int
) -> Check:
    """Is the number of BCLC stage C patients compatible with vascular invasion and spread?

    Method: under BCLC 2022 :cite:`reig2022` macrovascular (portal) invasion or extrahepatic
    spread make a patient stage C whatever else holds. Three readings of portal invasion give
    three floors for stage C, each at least the patients with extrahepatic spread:

    * ``"minimum"``: any portal vein tumour thrombus (``pvtt`` maps Vp classes to counts, Vp0
      excluded by the caller), as BCLC reads it; the verdict;
    * ``"minimum_invasion"``: only the patients whose refractoriness was vascular invasion;
    * ``"minimum_narrow"``: only a thrombus of the first-order branch or the trunk (Vp3–Vp4),
      so that the vascular invasion of the refractoriness criterion may be Vp1–Vp2.

    Examples
    --------
    45 patients have PVTT (Vp1–3), so at least 45 are stage C:

    >>> bclc_stage_c(60, {"Vp1": 10, "Vp2": 20, "Vp3": 15}, 30, 5).computed
    'stage C ≥ 45 expected, 60 printed'
    >>> check = bclc_stage_c(40, {"Vp1": 10, "Vp2": 20, "Vp3": 15}, 30, 5)
    >>> check.verdict, check.details
    ('inconsistent', {'minimum': 45, 'minimum_invasion': 30, 'minimum_narrow': 15})
    """
    total_pvtt = sum(pvtt.values())
    strict = max(total_pvtt, vascular_invasion, extrahepatic)
    invasion = max(vascular_invasion, extrahepatic)
    narrow_pvtt = sum(v for k, v in pvtt.items() if k.lower() in ("vp3", "vp4"))
    narrow = max(narrow_pvtt, extrahepatic)
    details = {"minimum": strict, "minimum_invasion": invasion, "minimum_narrow": narrow}
    computed = f"stage C ≥ {strict} expected, {stage_c} printed"
    if stage_c >= strict:
        return Check(
            CONSISTENT,
            computed,
            f"Stage C ({stage_c}) holds at least the {strict} patients that BCLC 2022 forces into it.",
            details,
        )

    def fits(floor: int) -> str:
        return "which the printed count allows" if stage_c >= floor else "still more than printed"

    return Check(
        INCONSISTENT,
        computed,
        f"Under BCLC 2022 any portal vein tumour thrombus or extrahepatic spread is stage C, so "
        f"the {total_pvtt} patients with PVTT should all be stage C, yet only {stage_c} are. "
        f"Counting only the {vascular_invasion} whose refractoriness was vascular invasion, "
        f"stage C needs at least {invasion}, {fits(invasion)}; counting only a Vp3–Vp4 thrombus "
        f"({narrow_pvtt} patients) as portal invasion, at least {narrow}, {fits(narrow)}.",
        details,
    )


def paper_bclc_check(directory=None) -> Check:
    """:func:`bclc_stage_c` on the paper's counts (Table 1), with the timing of its staging.

    The paper's Methods stage each patient on the conditions at the preparation for HAIC, the
    baseline of its thrombus counts, so a different time point cannot explain a shortfall; the
    explanation says so. Chapters 2 and 8 give the three readings from ``details``.
    ``directory``: the folder of the published-number YAML files (default: the book's).

    Examples
    --------
    >>> check = paper_bclc_check()
    >>> check.verdict, check.details
    ('inconsistent', {'minimum': 53, 'minimum_invasion': 34, 'minimum_narrow': 18})
    """

    def count(entry_id: str) -> int:
        return int(published.entry(entry_id, directory).value)

    check = bclc_stage_c(
        count("table1.bclc_c.count"),
        {f"vp{k}": count(f"table1.pvtt_vp{k}.count") for k in range(1, 5)},
        count("table1.refractory_vascular_invasion.count"),
        count("table1.refractory_extrahepatic.count"),
    )
    if check.verdict == CONSISTENT:
        return check
    timing = (
        " The Methods stage patients on their conditions when HAIC was being prepared, the same "
        "baseline as the thrombus counts, so the time of staging does not explain it"
    )
    narrow_fits = check.details["minimum_narrow"] <= count("table1.bclc_c.count")
    timing += (
        "; only the Vp3–Vp4 reading, which the paper does not state, fits." if narrow_fits else "."
    )
    return Check(check.verdict, check.computed, check.explanation + timing, check.details)


def child_pugh_classes(class_counts: dict[str, int], score_levels: list[int]) -> Check:
    """Do Child-Pugh class counts agree with the scores a table lists?

    Class A is 5–6 points, B 7–9, C 10–15. A class with patients needs at least one listed score
    in its range, and no score may be listed in a class that has no patients.

    Examples
    --------
    >>> child_pugh_classes({"A": 74, "B": 8, "C": 0}, [5, 6, 7, 8]).verdict
    'consistent'
    >>> child_pugh_classes({"A": 74, "B": 8, "C": 0}, [5, 6, 10]).verdict   # no B score, a C score
    'inconsistent'
    """
    ranges = {"A": range(5, 7), "B": range(7, 10), "C": range(10, 16)}
    problems = []
    for cls, rng in ranges.items():
        listed = [s for s in score_levels if s in rng]
        count = class_counts.get(cls, 0)
        if count > 0 and not listed:
            problems.append(f"class {cls} has {count} patients but no score {rng[0]}–{rng[-1]}")
        if count == 0 and listed:
            problems.append(f"score {listed[0]} is listed but class {cls} has no patients")
    computed = f"scores {', '.join(map(str, score_levels))}"
    if problems:
        return Check(INCONSISTENT, computed, "; ".join(problems).capitalize() + ".")

    def listed_in(r: range) -> str:
        scores = [str(s) for s in score_levels if s in r]
        if not scores:
            return "no score"
        return ("score " if len(scores) == 1 else "scores ") + ", ".join(scores)

    parts = [f"class {c} ({class_counts.get(c, 0)}): {listed_in(r)}" for c, r in ranges.items()]
    return Check(
        CONSISTENT, computed, "Each class matches the listed scores: " + "; ".join(parts) + "."
    )


def response_rates(cr: int, pr: int, sd: int, pd_: int, orr: int, dcr: int, n: int) -> Check:
    """Objective response = CR + PR and disease control = CR + PR + SD (mRECIST), all of ``n``.

    Examples
    --------
    >>> response_rates(2, 30, 20, 30, 32, 52, 82).computed
    '2+30 = 32; 2+30+20 = 52'
    >>> response_rates(2, 30, 20, 30, 33, 52, 82).verdict
    'inconsistent'
    """
    problems = []
    if cr + pr != orr:
        problems.append(f"CR + PR = {cr + pr}, not {orr}")
    if cr + pr + sd != dcr:
        problems.append(f"CR + PR + SD = {cr + pr + sd}, not {dcr}")
    if cr + pr + sd + pd_ != n:
        problems.append(f"the four categories add up to {cr + pr + sd + pd_}, not {n}")
    computed = f"{cr}+{pr} = {cr + pr}; {cr}+{pr}+{sd} = {cr + pr + sd}"
    if problems:
        return Check(INCONSISTENT, computed, "; ".join(problems).capitalize() + ".")
    return Check(
        CONSISTENT,
        computed,
        f"Objective response {orr} = CR + PR, disease control {dcr} = CR + PR + SD, all of {n}.",
    )


# ============================================================================ survival cross-checks


def _z_range_printed(p: float, relation: str, decimals: int) -> tuple[float, float]:
    rounding, truncation = _p_interval(p, relation, decimals)
    lo = min(rounding[0], truncation[0])
    hi = max(rounding[1], truncation[1])
    return _z_of_p(hi), _z_of_p(lo)


def _compare_ranges(a: tuple[float, float], b: tuple[float, float], close: float, far: float):
    """Verdict for two ranges of |z|: overlap → consistent; apart by a factor > far → inconsistent."""
    if a[0] <= b[1] * close and b[0] <= a[1] * close:
        return CONSISTENT, 1.0
    factor = a[0] / b[1] if a[0] > b[1] else b[0] / a[1]
    return (INCONSISTENT if factor > far else CANNOT_TELL), factor


def logrank_vs_medians(
    median_a: float,
    median_b: float,
    p: float,
    relation: str,
    p_decimals: int,
    deaths: tuple[float, float],
    share: tuple[float, float],
) -> Check:
    """Is a log-rank P compatible with the two medians it compares?

    Approximation (stated because it is rough): survival is exponential in each group, so the
    hazard ratio is the inverse ratio of the medians, ``HR = median_b/median_a``; with ``d``
    deaths of which a share ``p`` falls in group a, the log-rank statistic is about
    ``z ≈ |ln HR|·sqrt(d·p·(1 − p))`` (Schoenfeld's approximation). ``deaths`` and ``share``
    give ranges for the unknowns; the printed P (rounded or truncated) gives a range for z.
    Overlapping ranges are ``"consistent"``; ranges apart by more than a factor of 2 are
    ``"inconsistent"``; anything in between is ``"cannot tell"``.

    Examples
    --------
    Medians of 14 and 3.4 months imply HR ≈ 3.4 / 14 = 0.24; with 60–68 deaths that is a
    log-rank P far below the printed <0.001:

    >>> check = logrank_vs_medians(14.0, 3.4, 0.001, "<", 3, (60, 68), (0.3, 0.5))
    >>> check.verdict, check.computed
    ('consistent', 'HR ≈ 0.24; expected P <0.0001')
    """
    if median_a <= 0 or median_b <= 0:
        raise ValueError(f"medians must be positive, got {median_a!r}, {median_b!r}")
    d_lo, d_hi = deaths
    s_lo, s_hi = share
    if not (0 < d_lo <= d_hi and 0 < s_lo <= s_hi < 1):
        raise ValueError(f"need 0 < deaths and 0 < share < 1, got {deaths!r}, {share!r}")
    log_hr = abs(math.log(median_b / median_a))
    v = [s * (1 - s) for s in (s_lo, s_hi)]
    v_lo, v_hi = min(v), (0.25 if s_lo <= 0.5 <= s_hi else max(v))
    expected = (log_hr * math.sqrt(d_lo * v_lo), log_hr * math.sqrt(d_hi * v_hi))
    printed = _z_range_printed(p, relation, p_decimals)
    verdict, factor = _compare_ranges(expected, printed, 1.0, 2.0)
    p_exp = (_p_of_z(expected[1]), _p_of_z(expected[0]))
    p_range = _p_text(p_exp[0])
    if _p_text(p_exp[1]) != p_range:
        p_range += f" to {_p_text(p_exp[1])}"
    computed = f"HR ≈ {number(median_b / median_a, 2)}; expected P {p_range}"
    details = {"expected_z": expected, "printed_z": printed, "factor": factor}
    base = (
        f"Under exponential survival the medians {median_a:g} and {median_b:g} imply HR ≈ "
        f"{number(median_b / median_a, 2)}; with {d_lo:g}–{d_hi:g} deaths and a share of "
        f"{number(s_lo, 2)}–{number(s_hi, 2)} of them in one group, the log-rank P would be about "
        f"{p_range}; printed: {'<' if relation == '<' else ''}{p}."
    )
    if verdict == CONSISTENT:
        return Check(verdict, computed, base + " Compatible.", details)
    if verdict == CANNOT_TELL:
        return Check(
            verdict,
            computed,
            base + f" Off by a factor of {number(factor, 1)} in z, within what the approximation "
            "(exponential curves, unknown split of deaths) can miss. The numbers at risk and "
            "deaths in each group over time (the data behind the Kaplan–Meier curves) would "
            "decide it.",
            details,
        )
    return Check(
        verdict,
        computed,
        base
        + f" Off by a factor of {number(factor, 1)} in z, more than the approximation explains.",
        details,
    )


def cox_vs_medians(
    hr: float, lower: float, upper: float, median_exposed: float, median_ref: float
) -> Check:
    """Is a Cox HR for a two-group split compatible with the two groups' medians?

    Approximation: exponential survival, so ``HR ≈ median_ref/median_exposed``. Inside the
    printed CI is ``"consistent"``; outside it by more than a factor of 2 (beyond ``2·U`` or
    below ``L/2``) is ``"inconsistent"``; otherwise ``"cannot tell"``.

    Examples
    --------
    >>> cox_vs_medians(2.0, 1.2, 3.3, 5.0, 10.0).computed   # HR ≈ 10 / 5
    'HR from medians ≈ 2.00'
    >>> cox_vs_medians(2.0, 1.2, 3.3, 10.0, 5.0).verdict    # HR ≈ 0.5, far outside 1.2–3.3
    'inconsistent'
    """
    implied = median_ref / median_exposed
    computed = f"HR from medians ≈ {number(implied, 2)}"
    details = {"implied_hr": implied}
    if lower <= implied <= upper:
        return Check(
            CONSISTENT,
            computed,
            f"The medians imply HR ≈ {number(implied, 2)}, inside the printed CI {lower}–{upper}.",
            details,
        )
    if implied > 2 * upper or implied < lower / 2:
        return Check(
            INCONSISTENT,
            computed,
            f"The medians ({median_ref:g} vs {median_exposed:g} months) imply HR ≈ {number(implied, 2)}, "
            f"far outside the printed CI {lower}–{upper}. Two groups with these medians cannot "
            "plausibly have this HR; a per-unit coding of the covariate would explain it.",
            details,
        )
    return Check(
        CANNOT_TELL,
        computed,
        f"The medians imply HR ≈ {number(implied, 2)}, outside {lower}–{upper} but not by more than "
        "the rough exponential approximation (and any adjustment) can explain.",
        details,
    )


def cox_vs_logrank(
    hr: float,
    lower: float,
    upper: float,
    ci_decimals: int,
    p: float,
    relation: str,
    p_decimals: int,
    same_coding: bool = True,
    hr_decimals: int = 3,
) -> Check:
    """Does a univariate Cox Wald z for a 0/1 split agree with the log-rank P for that split?

    Method: for one 0/1 covariate the log-rank statistic is ``U(0)/√V``, with ``U`` the Cox
    score (Breslow ties, as SPSS fits) and ``V ≤ I(0)`` the hypergeometric variance; the Wald
    statistic is ``|β̂|·√I(β̂)``. Because ``U(0) = ∫ I(β) dβ`` over ``[β̂, 0]`` and ``I`` is a sum
    over deaths of terms ``p(1 − p)`` that are log-concave in β and change by at most a factor
    ``e^|β̂|`` along the way, the average of ``I`` on the segment is at least the geometric mean
    of its ends term by term, and (Pólya–Szegő) ``Σ√(aᵢbᵢ) ≥ √(Σaᵢ Σbᵢ)/cosh(β̂/2)``. Hence

        log-rank ``|z|`` ≥ Wald ``|z|`` / cosh(β̂/2),

    a bound, not an approximation. A printed log-rank P too large for it (its ``|z|`` below the
    bound at every value the rounding allows) is ``"inconsistent"``; ranges within 25% are
    ``"consistent"``; a log-rank ``|z|`` more than twice the Wald one is ``"inconsistent"``, and
    between is ``"cannot tell"`` (heavy ties can shrink ``V``, so that side has no exact bound).
    With ``same_coding=False`` (the Cox term cannot be the same split: its SE is below the 0/1
    floor) the verdict is ``"consistent"``: a per-unit Wald test and a two-group log-rank test
    are not tied by any arithmetic, so both P values can be true.

    Examples
    --------
    >>> check = cox_vs_logrank(2.0, 1.2, 3.3, 1, 0.007, "=", 3)
    >>> check.verdict, round(check.details["wald_z"], 2)
    ('consistent', 2.69)
    """
    se = (math.log(upper) - math.log(lower)) / (2 * Z95)
    z = abs(math.log(hr)) / se
    se_lo, se_hi = _se_bounds(lower, upper, ci_decimals)
    b_lo, b_hi = sorted(abs(v) for v in _log_bounds(hr, hr_decimals))
    if _log_bounds(hr, hr_decimals)[0] <= 0 <= _log_bounds(hr, hr_decimals)[1]:
        b_lo = 0.0
    wald = (b_lo / se_hi, b_hi / se_lo if se_lo > 0 else math.inf)
    floor = wald[0] / math.cosh(b_hi / 2)  # the smallest log-rank |z| the Cox row allows
    printed = _z_range_printed(p, relation, p_decimals)
    computed = f"Wald z {number(z, 2)} (P ≈ {_p_text(_p_of_z(z))}); log-rank z {number(printed[0], 2)}–{number(printed[1], 2)}"
    details = {
        "wald_z": z,
        "logrank_z": printed,
        "logrank_z_min": floor,
        "logrank_p_max": _p_of_z(floor),
    }
    if not same_coding:
        return Check(
            CONSISTENT,
            computed,
            "The Cox term cannot be the same 0/1 split as the log-rank test: its SE is below what "
            "a 0/1 covariate allows (see the SE check), so it is a per-unit term. A per-unit Wald "
            "test and a two-group log-rank test answer different questions, and no arithmetic "
            "ties one P to the other: both can be true.",
            details,
        )
    printed_p = f"{'<' if relation == '<' else ''}{p}"
    if printed[1] < floor - _EPS:
        return Check(
            INCONSISTENT,
            computed,
            f"For one 0/1 covariate the log-rank |z| is at least the Wald |z| divided by "
            f"cosh(β̂/2) (score = the integral of the information from β̂ to 0; each death's "
            f"information is log-concave in β): here at least {number(floor, 2)}, so the log-rank "
            f"P is at most {p_value(_p_of_z(floor), 4, significant=2, up=True)}, not {printed_p} "
            f"(|z| at most "
            f"{number(printed[1], 2)} even if rounded or truncated). Assumes Breslow ties, as SPSS "
            "fits, and the usual hypergeometric log-rank variance.",
            details,
        )
    verdict, factor = _compare_ranges(wald, printed, 1.25, 2.0)
    if verdict == CONSISTENT or printed[1] < wald[0]:
        why = (
            "The Cox Wald test and the log-rank test of the same split agree: the log-rank |z| is "
            f"at least {number(floor, 2)} (Wald |z| / cosh(β̂/2)), which the printed P allows."
        )
        return Check(CONSISTENT, computed, why, details)
    why = (
        f"The log-rank |z| is above the Wald |z| by a factor of {number(factor, 1)}; only heavy "
        "ties (which shrink the log-rank variance) can do that much"
    )
    if verdict == CANNOT_TELL:
        why += (
            ". Not impossible, but worth asking about. The numbers at risk and deaths in each "
            "group at each death time would decide it: they give both statistics exactly."
        )
    else:
        why += f", and not by a factor above 2: P values of {_p_text(_p_of_z(z))} and {printed_p} are hard to reconcile."
    return Check(verdict, computed, why, details)


def smallest_group_deaths(se: float, total_deaths: float) -> float:
    """Deaths in the smaller of two groups implied by ``SE ≈ sqrt(1/d1 + 1/d2)``, ``d1 + d2 ≤ D``.

    Solves ``1/x + 1/(D − x) = se²`` for the smaller root: at most this many deaths fall in the
    smaller group (fewer deaths in total only lower it). NaN when no split of ``D`` reaches
    such a large SE... and the smallest possible SE, ``2/sqrt(D)``, is not reached.

    Examples
    --------
    SE 0.5 with 30 deaths: 1/x + 1/(30 − x) = 0.25 gives x² − 30x + 120 = 0, x = 15 − √105:

    >>> round(smallest_group_deaths(0.5, 30), 3), round(15 - 105 ** 0.5, 3)
    (4.753, 4.753)
    """
    a = se**2
    disc = (a * total_deaths) ** 2 - 4 * a * total_deaths
    if disc < 0:
        return math.nan
    return (a * total_deaths - math.sqrt(disc)) / (2 * a)


def category_deaths(
    se: dict[str, float],
    total_deaths: tuple[float, float],
    caps: dict[tuple[str, ...], float] | None = None,
    steps: int = 20000,
) -> dict | None:
    """Deaths per level of a factor that the SEs of its dummies allow.

    Method: for dummies of one factor against a reference level, ``SE_k² ≈ 1/d_ref + 1/d_k``
    (the variance of a log rate ratio; exact for exponential survival). Every ``d_ref`` with
    ``1/d_ref < min SE_k²`` gives ``d_k = 1/(SE_k² − 1/d_ref)``; those whose total deaths lie in
    ``total_deaths`` and whose groups respect ``caps`` (``{levels: most deaths}``, e.g. the
    patients Table 1 puts in those levels) are kept. The key ``"reference"`` is the reference
    level.

    Returns
    -------
    dict or None
        ``{level: (fewest, most deaths)}`` over the allowed solutions, ``"total"`` included;
        None when no split fits.

    Examples
    --------
    >>> r = category_deaths({"b": 0.5}, (20, 30))  # 1/x + 1/(30 - x) = 0.25 → x = 4.75
    >>> round(r["b"][0], 1), round(r["reference"][1], 1)
    (4.8, 25.2)
    """
    caps = caps or {}
    sq = {k: v**2 for k, v in se.items()}
    top = min(sq.values())
    found: dict[str, list[float]] = {}
    for i in range(1, steps):
        x = top * i / steps  # 1/d_ref
        d = {"reference": 1 / x} | {k: 1 / (v - x) for k, v in sq.items() if v - x > 0}
        if len(d) <= len(sq):
            continue
        total = sum(d.values())
        if not total_deaths[0] <= total <= total_deaths[1]:
            continue
        if any(sum(d[k] for k in levels) > cap for levels, cap in caps.items()):
            continue
        for k, v in (d | {"total": total}).items():
            lo_hi = found.setdefault(k, [math.inf, -math.inf])
            lo_hi[0], lo_hi[1] = min(lo_hi[0], v), max(lo_hi[1], v)
    return {k: (v[0], v[1]) for k, v in found.items()} if found else None


#: How an explanation names the deaths of SE² ≈ 1/d_ref + 1/d_k (a table shows words, not symbols).
_D_REF = "(deaths in the reference level)"
_D_K = "(deaths in the compared level)"


def _deaths_span(lo_hi: tuple[float, float]) -> str:
    """A range of deaths as the audit words it: one decimal below 10, one number when both ends
    print the same ("2.6–2.7", "27–33", "59")."""
    lo, hi = lo_hi
    digits = 1 if hi < 10 else 0
    a, b = number(lo, digits), number(hi, digits)
    return a if a == b else f"{a}–{b}"


def category_direction(
    effects: dict[str, tuple[float, float, float]],
    expected: str,
    total_deaths: tuple[float, float],
    caps: dict[tuple[str, ...], float] | None = None,
    reference: str = "the reference",
) -> Check:
    """Hazard ratios of a factor's levels against the clinically expected direction, decided.

    ``effects`` maps a level to ``(hr, lower, upper)``. A CI entirely on the unexpected side
    is not an arithmetic contradiction by itself; this check asks what the SEs say about the
    deaths behind each comparison (:func:`category_deaths`): if no split of deaths fits, the
    numbers are ``"inconsistent"``; if one does, they are ``"consistent"`` and the explanation
    says how many deaths each group had — a handful of deaths in a compared group makes an
    unexpected direction a matter of chance rather than a contradiction.

    Examples
    --------
    >>> check = category_direction({"b": (0.5, 0.3, 0.8)}, "harmful", (60, 68))
    >>> check.verdict, check.details["against"]
    ('consistent', ['b'])
    """
    against = [
        k for k, (_, lo, hi) in effects.items() if (hi < 1 if expected == "harmful" else lo > 1)
    ]
    se = {k: (math.log(hi) - math.log(lo)) / (2 * Z95) for k, (_, lo, hi) in effects.items()}
    found = category_deaths(se, total_deaths, caps)
    computed = ", ".join(f"{k} {hr}" for k, (hr, _, _) in effects.items())
    details = {"against": against, "deaths": found, "se": se}
    if found is None:
        return Check(
            INCONSISTENT,
            computed,
            f"With SE² ≈ 1/{_D_REF} + 1/{_D_K}, no split of {total_deaths[0]:g}–{total_deaths[1]:g} "
            "deaths over the levels gives these intervals.",
            details,
        )

    def span(k):
        return _deaths_span(found[k])

    def name(k):
        return reference if k == "reference" else k

    levels = ", ".join(f"{k} {span(k)}" for k in se)
    cap_text = "".join(
        f"; at most {cap:g} deaths in {' and '.join(name(k) for k in levels_)}"
        for levels_, cap in (caps or {}).items()
    )
    side = "against" if against else "not against"
    return Check(
        CONSISTENT,
        computed,
        f"Expected {expected}; the CI of {', '.join(against) or 'no level'} lies entirely on the "
        f"other side of 1. With SE² ≈ 1/{_D_REF} + 1/{_D_K}, {total_deaths[0]:g}–{total_deaths[1]:g} "
        f"deaths in all{cap_text}, the intervals fit only if {reference} had "
        f"{span('reference')} deaths and the other levels {levels}: a large reference group "
        "against a handful of deaths per compared level, where a hazard ratio well below 1 can "
        f"arise by chance. The numbers can all be true; the direction is {side} expectation.",
        details,
    )


def last_category_reading(
    se: dict[str, float],
    total_deaths: tuple[float, float],
    class_a: float,
    class_b: float,
) -> dict | None:
    """Deaths per Child-Pugh score if Table 2's rows "6, 7, 8 vs 5" were scores 5, 6, 7 vs 8.

    SPSS's Cox Regression dialog enters a categorical covariate as indicator dummies against its
    last category unless the user picks the first (IBM's technote on parameter codings,
    swg21478246, calls Indicator(last) the default; recent COXREG syntax pages give the first as
    the command's default) and names them ``(1)``, ``(2)``, ``(3)``, not by value; translated one
    place off, the rows printed for scores 6, 7 and 8 against 5 would be scores
    5, 6 and 7 against 8. This reads ``se`` (printed level -> SE of its log hazard ratio, in
    printed order) that way and asks :func:`category_deaths` which deaths fit, with score 8 the
    reference, class A (scores 5-6) at most ``class_a`` deaths and class B (scores 7-8) at most
    ``class_b``.

    Returns
    -------
    dict or None
        ``{"score 5": (fewest, most), "score 6": ..., "score 7": ..., "reference": ...,
        "total": ...}`` (the reference is score 8), or None when no split fits.

    Examples
    --------
    Table 2's univariate rows, 66-82 deaths, Table 1's classes (A 74, B 8):

    >>> se = {"score 6": 0.6378, "score 7": 0.6419, "score 8": 0.7861}
    >>> d = last_category_reading(se, (66, 82), 74, 8)
    >>> [round(x, 1) for x in d["reference"]], [round(x, 1) for x in d["score 7"]]
    ([2.6, 2.7], [4.1, 4.2])
    """
    scores = [f"score {k}" for k in (5, 6, 7)]
    shifted = dict(zip(scores, se.values(), strict=True))
    caps = {("score 5", "score 6"): class_a, ("score 7", "reference"): class_b}
    return category_deaths(shifted, total_deaths, caps)


def last_category_sentence(deaths: dict, albumin_needs: int | None = None) -> str:
    """The audit's words for :func:`last_category_reading`'s deaths (one or two sentences).

    Examples
    --------
    >>> d = {"reference": (2.6, 2.7), "score 5": (31.9, 40.5), "score 6": (27.3, 33.4),
    ...      "score 7": (4.1, 4.2), "total": (66.0, 80.8)}
    >>> text = last_category_sentence(d, 15)
    >>> "the rows are scores 5, 6 and 7 against 8" in text
    True
    >>> text.split(". ")[-1]
    "Scores 6–8 then hold at least 34, enough for the albumin row's 15."
    """

    def span(k):
        return _deaths_span(deaths[k])

    text = (
        "With the last category as reference (score 8, the default of SPSS's Cox dialog) the rows "
        "are scores 5, 6 and 7 against 8: every univariate HR then points the expected way, and "
        f"the approximation fits with score 8 at {span('reference')} deaths, 7 at "
        f"{span('score 7')}, 6 at {span('score 6')} and 5 at {span('score 5')}."
    )
    if albumin_needs is not None:
        least = deaths["score 6"][0] + deaths["score 7"][0] + deaths["reference"][0]
        enough = "enough for" if least >= albumin_needs else "short of"
        text += (
            f" Scores 6–8 then hold at least {number(least, 0)}, {enough} the albumin row's "
            f"{albumin_needs}."
        )
    return text


def expected_direction(effects: dict[str, tuple[float, float, float]], expected: str) -> Check:
    """Do hazard ratios point the clinically expected way?

    ``effects`` maps a term to ``(hr, lower, upper)``; ``expected`` is ``"harmful"`` (HR > 1
    expected, e.g. worse liver function) or ``"protective"``. A CI entirely on the unexpected
    side gives ``"cannot tell"``: implausible, not impossible (a small reference group, confounding
    or a coding error can all produce it). Otherwise ``"consistent"``. This check never says
    ``"inconsistent"``: clinical expectation is not arithmetic.

    Examples
    --------
    >>> expected_direction({"B": (0.5, 0.3, 0.8)}, "harmful").verdict   # CI wholly below 1
    'cannot tell'
    >>> expected_direction({"B": (1.5, 0.9, 2.4)}, "harmful").verdict
    'consistent'
    """
    if expected not in ("harmful", "protective"):
        raise ValueError(f"expected must be 'harmful' or 'protective', got {expected!r}")
    against = [
        k for k, (_, lo, hi) in effects.items() if (hi < 1 if expected == "harmful" else lo > 1)
    ]
    computed = ", ".join(f"{k} {hr}" for k, (hr, _, _) in effects.items())
    if against:
        return Check(
            CANNOT_TELL,
            computed,
            f"Expected {expected}, but the CI of {', '.join(against)} lies entirely on the other "
            "side of 1.",
            {"against": against},
        )
    return Check(
        CONSISTENT,
        computed,
        f"No CI lies entirely against the expected ({expected}) direction.",
        {"against": []},
    )


# ============================================================================ the driver

_PLACE = {
    "abstract": "Abstract",
    "introduction": "Introduction",
    "highlights": "Highlight box",
    "methods": "Methods",
    "results": "Results",
    "table1": "Table 1",
    "table2": "Table 2",
    "figure1": "Figure 1 caption",
    "figure2": "Figure 2 caption",
    "figure3": "Figure 3 caption",
    "discussion": "Discussion",
    "conclusions": "Conclusions",
}

_TERMS = {
    "age_years": "age (per year)",
    "sex_female": "female vs male",
    "child_pugh_6": "Child-Pugh 6 vs 5",
    "child_pugh_7": "Child-Pugh 7 vs 5",
    "child_pugh_8": "Child-Pugh 8 vs 5",
    "bclc_stage": "BCLC stage",
    "afp_ng_ml": "AFP (ng/mL)",
    "pivka2": "PIVKA-II",
    "albumin_le3": "albumin ≤3 vs >3 g/dL",
    "ast_gt40": "AST >40 vs ≤40 U/L",
    "alt_u_l": "ALT (U/L)",
    "albi_score": "ALBI score",
    "crp_gt3": "CRP >3 vs ≤3 mg/L",
    "pvtt_vp1_2": "PVTT Vp1–2 vs Vp0",
    "pvtt_vp3_4": "PVTT Vp3–4 vs Vp0",
    "tumor_size_mm": "tumour size",
    "tumor_number_gt4": "tumour number >4 vs 1–4",
    "prior_tace_gt4": "prior TACE >4 vs 2–4",
    "additional_tace": "additional TACE yes vs no",
}

#: How to re-express a per-unit HR when a 0/1 label turns out to be a per-unit coding.
_PER = {
    "ast_gt40": (100, "U/L"),
    "crp_gt3": (10, "mg/L"),
    "tumor_number_gt4": (5, "tumours"),
    "prior_tace_gt4": (5, "sessions"),
}

#: Table 2 terms whose label states a 0/1 (two-group) coding.
BINARY_TERMS = tuple(t.id for t in paper.TERMS if t.stated in ("binary", "category"))

_STAT_KINDS = ("count", "percent", "mean", "sd", "median", "interval", "hr", "p")


class _Rows:
    def __init__(self):
        self.rows: list[dict] = []

    def add(self, where: str, claim: str, check: str, result: Check, ids) -> None:
        self.rows.append(
            {
                "where": where,
                "claim": claim,
                "check": check,
                "computed": result.computed,
                "verdict": result.verdict,
                "explanation": result.explanation,
                "ids": ", ".join(ids),
            }
        )

    def repeated(self, seen: dict, key, where: str, ids: str) -> bool:
        """True when ``key`` was checked already (``seen`` maps it to its row): that row then
        names ``where`` and ``ids`` too. Otherwise False, and the next row added is ``key``'s."""
        if key in seen:
            row = self.rows[seen[key]]
            row["where"] += f", {where}"
            row["ids"] += f", {ids}"
            return True
        seen[key] = len(self.rows)
        return False


def _place(entry_id: str) -> str:
    return _PLACE[entry_id.split(".")[0]]


def _printed_decimals(e) -> tuple[int, int]:
    """An interval's bounds' decimals as printed (how they are read: :func:`analysis.published.bound_decimals`)."""
    parsed = published.parse_text(e.text)
    return parsed["lower_decimals"], parsed["upper_decimals"]


def _symmetry_as_read(med, r) -> Check:
    """:func:`interval_symmetry` with the bounds read as every comparison reads them
    (:func:`analysis.published.bound_decimals`: "2.8–11" beside a median of 6.7 means 11.0);
    where reading the shorter bound at its own precision would give the other verdict, the
    explanation says so."""
    ld, ud = _printed_decimals(r)
    read_ld, read_ud = published.bound_decimals(r.text)
    res = interval_symmetry(med.value, r.lower, r.upper, med.decimals, read_ld, read_ud)
    if (ld, ud) == (read_ld, read_ud):
        return res
    alt = interval_symmetry(med.value, r.lower, r.upper, med.decimals, ld, ud)
    if alt.verdict == res.verdict:
        return res
    short = r.lower if ld < ud else r.upper
    text = number(short, min(ld, ud))
    as_read = f"{float(short):.{max(read_ld, read_ud)}f}"
    other = "symmetric" if alt.verdict == CONSISTENT else "not symmetric"
    note = (
        f" The bound {text} is printed without the decimal its neighbours carry; it is read as "
        f"{as_read}, as the calibration reads it. Read at its own precision (anything that rounds "
        f"to {text}) the bracket would be {other} (rounding ±{number(alt.details['tolerance'], 2)})."
    )
    return Check(
        res.verdict,
        res.computed,
        res.explanation + note,
        {**res.details, "other_reading": alt.verdict},
    )


def _n_patients(get) -> int:
    return int(get("methods.n_patients.count").value)


def _check_percents(rows: _Rows, df: pd.DataFrame, get, n: int) -> None:
    """Percent vs count (or GRIM when no count is printed); one row per distinct print."""
    counts = {
        (r.location, r.quantity): r.id for r in df[df.kind == "count"].itertuples(index=False)
    }
    seen: dict[tuple, int] = {}
    for r in df[df.kind == "percent"].itertuples(index=False):
        count_id = counts.get((r.location, r.quantity)) or counts.get(("table1", r.quantity))
        count = None if count_id is None else int(get(count_id).value)
        key = (r.quantity, count, r.value)
        if rows.repeated(seen, key, _place(r.id), r.id):
            continue
        if count is not None:
            res = percent_of_count(count, n, r.value, r.decimals)
            rows.add(
                _place(r.id),
                f"{labels.quantity_label(r.quantity)}: {count} ({r.text}%)",
                "percent vs count",
                res,
                [count_id, r.id],
            )
        else:
            res = grim_percent(r.value, n, r.decimals)
            claim = f"{labels.quantity_label(r.quantity)}: {r.text}%"
            rows.add(_place(r.id), claim, "GRIM (percent)", res, [r.id])


def _check_sums(rows: _Rows, get, n: int) -> None:
    groups = {
        "sex": ["sex_male", "sex_female"],
        "Child-Pugh class": ["child_pugh_a", "child_pugh_b", "child_pugh_c"],
        "BCLC stage": ["bclc_a", "bclc_b", "bclc_c"],
        "PVTT": ["pvtt_vp0", "pvtt_vp1", "pvtt_vp2", "pvtt_vp3", "pvtt_vp4"],
    }
    for label, quantities in groups.items():
        ids = [f"table1.{q}.count" for q in quantities]
        parts = {q: int(get(i).value) for q, i in zip(quantities, ids, strict=True)}
        rows.add("Table 1", f"{label} categories", "parts sum to n", parts_sum(parts, n), ids)
    ids = [f"results.response_{c}.count" for c in ("cr", "pr", "sd", "pd")]
    parts = {c: int(get(i).value) for c, i in zip(("CR", "PR", "SD", "PD"), ids, strict=True)}
    rows.add("Results", "best response categories", "parts sum to n", parts_sum(parts, n), ids)
    ids = [f"table1.pvtt_vp{k}.count" for k in range(1, 5)] + ["results.pvtt_present.count"]
    parts = {f"Vp{k}": int(get(i).value) for k, i in enumerate(ids[:4], start=1)}
    present = int(get(ids[-1]).value)
    rows.add(
        "Results", f"PVTT present in {present}", "parts sum to n", parts_sum(parts, present), ids
    )
    ids = [f"table1.pvtt_vp{k}.count" for k in (1, 2)]
    rows.add(
        "Results",
        "PVTT mostly Vp1–2",
        "claim vs table",
        claim_extreme(
            {
                "Vp1–2": get(ids[0]).value + get(ids[1]).value,
                "Vp3–4": get("table1.pvtt_vp3.count").value + get("table1.pvtt_vp4.count").value,
            },
            "Vp1–2",
            "max",
        ),
        ids + ["table1.pvtt_vp3.count", "table1.pvtt_vp4.count", "results.pvtt_vp1_2.percent"],
    )


#: The cohort's column of each JSH criterion -> its label in a sentence ("poor response"),
#: from the one vocabulary (:data:`analysis.labels.JSH_CRITERION_LABELS`), in Table 1's order.
_REFRACTORY = {
    column: labels.in_sentence(labels.JSH_CRITERION_LABELS[criterion])
    for criterion, column in clinical.JSH_COHORT_COLUMNS.items()
}


def _check_refractory(rows: _Rows, get, n: int) -> None:
    ids = [f"table1.{q}.count" for q in _REFRACTORY]
    counts = {label: int(get(i).value) for label, i in zip(_REFRACTORY.values(), ids, strict=True)}
    rows.add(
        "Table 1",
        "every patient meets ≥1 refractoriness criterion",
        "criteria cover n",
        criteria_cover(counts, n),
        ids,
    )
    for which, column, said in (
        ("max", "refractory_poor_response", "most"),
        ("min", "refractory_extrahepatic", "least"),
    ):  # the Results name the most and the least common cause
        rows.add(
            "Results",
            f"{said} common cause: {_REFRACTORY[column]}",
            "claim vs table",
            claim_extreme(counts, _REFRACTORY[column], which),
            ids + [f"results.{column}.percent"],
        )


# (quantity, integer-valued?, lower bound, upper bound, why the bound)
_MEAN_SD = (
    ("age_years", True, 18, None, "eligible patients were older than 18"),
    ("albumin_g_dl", False, 0, None, "a concentration is positive"),
    ("ast_u_l", False, 0, None, "an enzyme activity is positive"),
    ("alt_u_l", False, 0, None, "an enzyme activity is positive"),
    ("crp_mg_l", False, 0, None, "a concentration is positive"),
    ("tumor_size_mm", False, 0, None, "a size is positive"),
    ("tumor_number", True, 1, None, "eligible patients had at least one measurable lesion"),
    ("prior_tace_sessions", True, 2, None, "JSH refractoriness needs at least two TACE sessions"),
    ("refractory_tace_sessions", True, 1, None, "at least one TACE failed"),
)


def _check_means(rows: _Rows, get, n: int) -> None:
    for quantity, integer, lower, upper, why in _MEAN_SD:
        m, s = get(f"table1.{quantity}.mean"), get(f"table1.{quantity}.sd")
        ids = [m.id, s.id]
        claim = f"{labels.quantity_label(quantity)}: {m.text} ± {s.text}"
        if integer:
            rows.add("Table 1", claim, "GRIM (mean)", grim_mean(m.value, n, m.decimals), [m.id])
            rows.add(
                "Table 1",
                claim,
                "GRIMMER (SD)",
                grimmer(m.value, s.value, n, m.decimals, s.decimals),
                ids,
            )
        res = sd_within_bounds(
            m.value, s.value, n, m.decimals, s.decimals, lower, upper, integer=integer
        )
        res = Check(res.verdict, res.computed, f"Bound: {why}. " + res.explanation, res.details)
        rows.add("Table 1", claim, "mean ± SD within bounds", res, ids)


def _check_medians(rows: _Rows, df: pd.DataFrame, get) -> None:
    intervals = df[
        (df.kind == "interval") & df.quantity.str.startswith(("os_median", "pfs_median"))
    ]
    seen: dict[tuple, int] = {}
    for r in intervals.itertuples(index=False):
        median_id = r.id.rsplit(".", 1)[0] + ".median"
        med = get(median_id)
        key = (r.quantity, med.text, r.text)
        if rows.repeated(seen, key, _place(r.id), f"{median_id}, {r.id}"):
            continue
        res = _symmetry_as_read(med, r)
        rows.add(
            _place(r.id),
            f"{labels.quantity_label(r.quantity)}: {med.text} (range, {r.text})",
            "median interval symmetric (SPSS CI)",
            res,
            [median_id, r.id],
        )
    # a "range" of all 82 patients cannot exclude a subgroup's median
    lo, hi = get("results.os_median.interval").lower, get("results.os_median.interval").upper
    others = {
        "the median of the PD group": get("results.os_median_pd.median").value,
        "the median of the >4 prior TACE group": get(
            "results.os_median_prior_tace_gt4.median"
        ).value,
    }
    rows.add(
        "Results",
        f"median OS {get('results.os_median.median').text} (range, {get('results.os_median.interval').text})",
        "'range' label",
        range_reading(lo, hi, others, "the bracket of the whole cohort's median OS"),
        [
            "results.os_median.interval",
            "results.os_median_pd.median",
            "results.os_median_prior_tace_gt4.median",
        ],
    )
    n = _n_patients(get)
    for quantity in ("afp_ng_ml", "pivka2"):
        med, iv = get(f"table1.{quantity}.median"), get(f"table1.{quantity}.interval")
        rows.add(
            "Table 1",
            f"{labels.quantity_label(quantity)}: {med.text} ({iv.text}), footnote says IQR",
            "'IQR' label",
            iqr_reading(med.value, iv.lower, iv.upper, n),
            [med.id, iv.id],
        )


def _table2_rows(df: pd.DataFrame, get):
    """(term, model, hr entry, interval entry, p entry) for every non-reference Table 2 row."""
    out = []
    for r in df[(df.location == "table2") & (df.kind == "hr") & ~df.reference].itertuples(
        index=False
    ):
        _, term, model, _ = r.id.split(".")
        base = f"table2.{term}.{model}"
        out.append((term, model, get(r.id), get(base + ".interval"), get(base + ".p")))
    return out


def _t2_where(term: str, model: str) -> str:
    return (
        f"Table 2, {'univariate' if model == 'uni' else 'multivariable'}: {_TERMS.get(term, term)}"
    )


def _check_table2(rows: _Rows, df: pd.DataFrame, get, n: int) -> dict:
    """HR centre, P from CI and SE vs coding; returns the SE results per (term, model)."""
    se_results = {}
    for term, model, hr, iv, p in _table2_rows(df, get):
        where = _t2_where(term, model)
        claim = f"HR {hr.text} ({iv.text}), P {p.text}"
        ids = [hr.id, iv.id, p.id]
        rows.add(
            where,
            claim,
            "HR at CI centre",
            hr_ci_centre(hr.value, iv.lower, iv.upper, hr.decimals, iv.decimals),
            ids,
        )
        rows.add(
            where,
            claim,
            "P from CI (statcheck)",
            p_from_ci(
                hr.value,
                iv.lower,
                iv.upper,
                p.value,
                p.relation,
                hr.decimals,
                iv.decimals,
                p.decimals,
            ),
            ids,
        )
        if term in BINARY_TERMS:
            res = se_for_binary(iv.lower, iv.upper, iv.decimals, n, hr=hr.value, per=_PER.get(term))
            if (term, model) == ("prior_tace_gt4", "multi") and res.verdict == INCONSISTENT:
                uni = get("table2.prior_tace_gt4.uni.interval")
                se_uni = (math.log(uni.upper) - math.log(uni.lower)) / (2 * Z95)
                res = Check(
                    res.verdict,
                    res.computed,
                    res.explanation
                    + f" But the univariate row of the same term implies SE = {number(se_uni, 3)}, about "
                    f"{number(res.details['se'] / se_uni, 0)} times smaller: the multivariable SE fits "
                    "neither a 0/1 coding nor obviously the univariate coding, so the coding of "
                    "this term is unclear.",
                    res.details,
                )
            se_results[(term, model)] = res
            rows.add(where, claim, "SE possible for 0/1 coding", res, ids)
    return se_results


def _deaths_lower_bound(se_results: dict) -> tuple[int, str]:
    """Fewest deaths the Table 2 SEs of 0/1 covariates that pass the floor require, or, when
    more, what a 0/1 row's SE needs with Table 1's group sizes (:func:`analysis.paper.min_total_deaths`:
    ``Var(ln HR) >= 1/d₁ + 1/d₀`` per group)."""
    ok = {k: v for k, v in se_results.items() if v.verdict == CONSISTENT}
    key = max(ok, key=lambda k: ok[k].details["min_deaths"])
    floor = math.ceil(ok[key].details["min_deaths"])
    by_group, term_id = paper.min_total_deaths()
    if by_group > floor:
        return by_group, _t2_where(term_id, "uni") + " with Table 1's group sizes"
    return floor, _t2_where(*key)


def _check_duplicates(rows: _Rows, df: pd.DataFrame) -> None:
    stats = df[df.kind.isin(_STAT_KINDS)]
    for (quantity, kind), group in stats.groupby(["quantity", "kind"], sort=False):
        if len(group) < 2:
            continue
        versions = []
        for r in group.itertuples(index=False):
            if kind == "interval":
                ld, ud = _printed_decimals(r)
                versions.append((_place(r.id), (r.lower, r.upper), (ld, ud)))
            else:
                versions.append((_place(r.id), (r.value,), (r.decimals,)))
        res = same_quantity(versions)
        rows.add(
            ", ".join(dict.fromkeys(v[0] for v in versions)),
            f"{labels.quantity_label(quantity, kind)} (printed {len(versions)} times)",
            "same number everywhere",
            res,
            list(group.id),
        )


def _check_claims(rows: _Rows, df: pd.DataFrame, get) -> None:
    # the six factors said to be significant at P < 0.005
    n_claimed = int(get("results.multivariate_significant_factors.count").value)
    threshold = get("results.significance_level.threshold")
    quoted = [
        q for q in df[(df.location == "results") & (df.kind == "p")].quantity if q.startswith("hr_")
    ]
    ps = {}
    ids = [threshold.id, "results.multivariate_significant_factors.count"]
    for q in quoted:
        term = q[3:]
        e = get(f"results.{q}.p")
        ps[_TERMS.get(term, term)] = (e.value, e.relation)
        ids.append(e.id)
    rows.add(
        "Results",
        f"{n_claimed} factors significant at P<{threshold.text}",
        "claim vs table",
        claim_p_below(ps, threshold.value),
        ids,
    )
    multi_p = df[(df.location == "table2") & (df.kind == "p") & df.id.str.contains(".multi.")]
    sig = {
        _TERMS.get(r.id.split(".")[1]): (r.value, r.relation)
        for r in multi_p.itertuples(index=False)
        if r.value < 0.05
    }
    count_ok = len(sig) == n_claimed
    rows.add(
        "Results",
        f"{n_claimed} factors significant in the multivariable model",
        "claim vs table",
        Check(
            CONSISTENT if count_ok else INCONSISTENT,
            f"{len(sig)} multivariable P < 0.05",
            f"Table 2 prints {len(sig)} multivariable P values below 0.05"
            + (
                ", matching the count (the threshold meant was probably 0.05)." if count_ok else "."
            ),
        ),
        ["results.multivariate_significant_factors.count"] + list(multi_p.id),
    )
    # direction of the prior-TACE and additional-TACE HRs where the text says worse / better
    for entry_id, claimed in (
        ("abstract.hr_prior_tace_gt4.hr", "worse"),
        ("results.hr_prior_tace_gt4.hr", "worse"),
        ("discussion.hr_prior_tace_gt4.hr", "worse"),
        ("abstract.hr_additional_tace.hr", "better"),
        ("discussion.hr_additional_tace.hr", "better"),
    ):
        e = get(entry_id)
        what = (
            ">4 prior TACE sessions: poorer survival"
            if claimed == "worse"
            else "additional TACE: longer survival"
        )
        rows.add(
            _place(entry_id),
            f"{what}, HR {e.text}",
            "claim vs table",
            claim_direction(e.value, claimed),
            [entry_id],
        )
    # group definitions: ">4" vs "fewer than four" in the abstract, ">4" vs "2-4" elsewhere
    exposed = get("abstract.prior_tace_cutoff.threshold")
    comp = get("abstract.prior_tace_cutoff.threshold_2")
    minimum = int(get("methods.jsh_min_tace_sessions.threshold").value)
    rows.add(
        "Abstract",
        f"more than {exposed.text} vs fewer than {comp.text} prior TACE sessions",
        "claim vs table",
        claim_groups_complementary(
            (exposed.relation, exposed.value), (comp.relation, comp.value), minimum
        ),
        [exposed.id, comp.id, "methods.jsh_min_tace_sessions.threshold"],
    )
    rows.add(
        "Table 2, Results, Figure 2 caption",
        "prior TACE >4 vs 2–4 sessions",
        "claim vs table",
        claim_groups_complementary((">", 4), ("<=", 4), minimum),
        ["results.prior_tace_cutoff.threshold", "methods.jsh_min_tace_sessions.threshold"],
    )
    # the response sentence points to Table 2
    table2_quantities = set(df[df.location == "table2"].quantity)
    rows.add(
        "Results",
        "response counts referred to Table 2",
        "claim vs table",
        claim_table_reference("orr", "Table 2", table2_quantities),
        ["results.orr.count"],
    )


def _check_clinical(rows: _Rows, get, n: int, directory=None) -> None:
    pvtt = {f"vp{k}": int(get(f"table1.pvtt_vp{k}.count").value) for k in range(1, 5)}
    ids = ["table1.bclc_c.count"] + [f"table1.pvtt_vp{k}.count" for k in range(1, 5)]
    ids += ["table1.refractory_vascular_invasion.count", "table1.refractory_extrahepatic.count"]
    rows.add(
        "Table 1",
        f"BCLC C {get('table1.bclc_c.count').text}, "
        f"PVTT {sum(pvtt.values())}, vascular invasion "
        f"{get('table1.refractory_vascular_invasion.count').text}",
        "clinical rule (BCLC 2022)",
        paper_bclc_check(directory),
        ids,
    )
    classes = {c.upper(): int(get(f"table1.child_pugh_{c}.count").value) for c in "abc"}
    levels = sorted(
        int(i.split(".")[1].rsplit("_", 1)[1])
        for i in published.ids("table2.child_pugh_")
        if i.endswith(".uni.hr")
    )
    rows.add(
        "Table 1, Table 2",
        f"Child-Pugh A {classes['A']}, B {classes['B']}, C {classes['C']}; scores {levels[0]}–{levels[-1]}",
        "clinical rule (Child-Pugh)",
        child_pugh_classes(classes, levels),
        [f"table1.child_pugh_{c}.count" for c in "abc"]
        + [f"table2.child_pugh_{s}.uni.hr" for s in levels],
    )
    ids = [f"results.response_{c}.count" for c in ("cr", "pr", "sd", "pd")]
    ids += ["results.orr.count", "results.dcr.count"]
    v = [int(get(i).value) for i in ids]
    rows.add(
        "Results",
        f"ORR {v[4]}, DCR {v[5]}",
        "clinical rule (mRECIST)",
        response_rates(*v, n),
        ids,
    )


def _check_plausibility(rows: _Rows, get, n: int, se_results: dict) -> None:
    effects, ids = {}, []
    for s in (6, 7, 8):
        hr, iv = get(f"table2.child_pugh_{s}.uni.hr"), get(f"table2.child_pugh_{s}.uni.interval")
        effects[f"score {s}"] = (hr.value, iv.lower, iv.upper)
        ids += [hr.id, iv.id]
    d_lo, d_source = _deaths_lower_bound(se_results)
    class_a = int(get("table1.child_pugh_a.count").value)
    class_b = int(get("table1.child_pugh_b.count").value)
    caps = {("reference", "score 6"): class_a, ("score 7", "score 8"): class_b}
    res = category_direction(effects, "harmful", (d_lo, n), caps, reference="score 5")
    extra = (
        f" Deaths in all: at least {d_lo} (what the SE of '{d_source}' needs for a 0/1 "
        f"covariate), at most {n}; Table 1's class A ({class_a}) holds scores 5–6 and class B "
        f"({class_b}) scores 7–9."
    )
    found = res.details.get("deaths") or {}
    need = None
    if found and all(k in found for k in effects):
        # albumin <= 3 g/dL earns at least 2 Child-Pugh points, so every such patient scores
        # >= 6; the multivariable albumin row's SE needs a number of deaths among them
        floors = paper.death_floors().set_index(["term", "model"])
        need = max(int(v) for v in floors.loc["albumin_le3", "deaths"])
        upper = sum(found[k][1] for k in effects)
        feasible = paper.table2_feasibility().set_index("id")["feasible"]
        row = "row"
        if not bool(feasible["table2.albumin_le3.multi.interval"]):
            row = "row's interval"
        if upper < need:
            extra += (
                f" Under the same approximation scores 6–8 hold at most {upper:.1f} deaths, yet "
                f"the multivariable albumin ≤ 3 g/dL {row} needs at least {need} deaths among its "
                "patients (Var(ln HR) ≥ 1/d₁ + 1/d₀, exact), all of whom score 6 or more "
                "(albumin ≤ 3.5 g/dL earns 2 points): the two cannot both hold if the approximation does; it "
                "can fail when the groups' shares of the risk set change much over time, so "
                "this is a tension, not a verdict."
            )
        ids += [f"table2.albumin_le3.{m}.interval" for m in ("uni", "multi")]
    shifted = last_category_reading(res.details["se"], (d_lo, n), class_a, class_b)
    details = dict(res.details) | {"last_category": shifted}
    if shifted is not None:
        extra += " " + last_category_sentence(shifted, need)
    rows.add(
        "Table 2, univariate",
        "Child-Pugh 6, 7, 8 vs 5: HR < 1",
        "clinical plausibility (deaths the SEs imply)",
        Check(res.verdict, res.computed, res.explanation + extra, details),
        ids + ["table1.child_pugh_a.count", "table1.child_pugh_b.count"],
    )
    hr, iv = get("table2.bclc_stage.uni.hr"), get("table2.bclc_stage.uni.interval")
    rows.add(
        "Table 2, univariate",
        f"BCLC stage HR {hr.text} ({iv.text})",
        # Table 8.1 listed it as "clinical plausibility" under "clinical plausibility (deaths the
        # SEs imply)": the reader could not tell what this second row checks
        "clinical plausibility (direction of the HR)",
        expected_direction({"BCLC stage": (hr.value, iv.lower, iv.upper)}, "harmful"),
        [hr.id, iv.id],
    )


def _check_survival(rows: _Rows, get, n: int, se_results: dict) -> None:
    d_lo, d_source = _deaths_lower_bound(se_results)
    deaths = (d_lo, n)
    note = (
        f" Deaths taken as {d_lo}–{n}: at most every patient, at least what the SE of "
        f"'{d_source}' requires for a 0/1 covariate."
    )

    def add_logrank(where, claim, m_a, m_b, p_id, share, ids):
        p = get(p_id)
        res = logrank_vs_medians(m_a, m_b, p.value, p.relation, p.decimals, deaths, share)
        rows.add(
            where,
            claim,
            "log-rank P vs medians",
            Check(res.verdict, res.computed, res.explanation + note, res.details),
            ids,
        )

    pd_count = get("results.response_pd.count").value
    s = pd_count / n
    add_logrank(
        "Figure 1 caption, Discussion",
        "OS DC 11.7 vs PD 3.4, P<0.001",
        get("results.os_median_dc.median").value,
        get("results.os_median_pd.median").value,
        "figure1.logrank_dc_vs_pd.p",
        (max(s - 0.15, 0.05), min(s + 0.15, 0.95)),
        [
            "results.os_median_dc.median",
            "results.os_median_pd.median",
            "figure1.logrank_dc_vs_pd.p",
            "results.response_pd.count",
        ],
    )
    add_logrank(
        "Results, Figure 2 caption",
        "OS 2–4 vs >4 prior TACE, P = 0.01",
        get("results.os_median_prior_tace_2_4.median").value,
        get("results.os_median_prior_tace_gt4.median").value,
        "results.logrank_prior_tace.p",
        (0.1, 0.9),
        [
            "results.os_median_prior_tace_2_4.median",
            "results.os_median_prior_tace_gt4.median",
            "results.logrank_prior_tace.p",
        ],
    )
    s = get("table1.additional_tace.count").value / n
    add_logrank(
        "Results, Figure 2 caption",
        "OS additional TACE 14 vs none 6.7, P = 0.02",
        get("results.os_median_additional_tace.median").value,
        get("results.os_median_no_additional_tace.median").value,
        "results.logrank_additional_tace.p",
        (max(s - 0.15, 0.05), min(s + 0.15, 0.95)),
        [
            "results.os_median_additional_tace.median",
            "results.os_median_no_additional_tace.median",
            "results.logrank_additional_tace.p",
            "table1.additional_tace.count",
        ],
    )
    # Cox HR vs the medians and the log-rank P of the same split
    m_24 = get("results.os_median_prior_tace_2_4.median").value
    m_gt4 = get("results.os_median_prior_tace_gt4.median").value
    m_add = get("results.os_median_additional_tace.median").value
    m_none = get("results.os_median_no_additional_tace.median").value
    for term, model, m_exp, m_ref, lr_id, med_ids in (
        (
            "prior_tace_gt4",
            "uni",
            m_gt4,
            m_24,
            "results.logrank_prior_tace.p",
            ["results.os_median_prior_tace_gt4.median", "results.os_median_prior_tace_2_4.median"],
        ),
        (
            "prior_tace_gt4",
            "multi",
            m_gt4,
            m_24,
            None,
            ["results.os_median_prior_tace_gt4.median", "results.os_median_prior_tace_2_4.median"],
        ),
        (
            "additional_tace",
            "uni",
            m_add,
            m_none,
            "results.logrank_additional_tace.p",
            [
                "results.os_median_additional_tace.median",
                "results.os_median_no_additional_tace.median",
            ],
        ),
    ):
        hr = get(f"table2.{term}.{model}.hr")
        iv = get(f"table2.{term}.{model}.interval")
        where = _t2_where(term, model)
        claim = f"HR {hr.text} ({iv.text}); medians {m_exp:g} vs {m_ref:g}"
        res = cox_vs_medians(hr.value, iv.lower, iv.upper, m_exp, m_ref)
        if model == "multi" and res.verdict != CONSISTENT:
            if se_results[(term, model)].verdict == CONSISTENT:
                decide = (
                    " The multivariable model refitted with the 2–4 / >4 split (or the patient "
                    "data) would decide it."
                )
            else:  # the row's own SE rules the split out: no refit with it gives this row
                decide = (
                    " Nor is this row the 2–4 / >4 split: its SE is below what a 0/1 covariate "
                    "allows (see the SE check), so no refit with the split can give it, and the "
                    "medians of the split cannot test it. Only the coding the model used (from "
                    "the authors, or the patient data) would decide it."
                )
            res = Check(
                CANNOT_TELL,
                res.computed,
                f"The medians imply HR ≈ {number(res.details['implied_hr'], 2)}, outside {iv.text}; but an "
                "adjusted HR need not match unadjusted medians, so this is no verdict." + decide,
                res.details,
            )
        rows.add(where, claim, "Cox HR vs medians", res, [hr.id, iv.id] + med_ids)
        if lr_id is not None:
            p = get(lr_id)
            same = se_results[(term, model)].verdict == CONSISTENT
            res = cox_vs_logrank(
                hr.value,
                iv.lower,
                iv.upper,
                iv.decimals,
                p.value,
                p.relation,
                p.decimals,
                same,
                hr_decimals=hr.decimals,
            )
            rows.add(
                where,
                f"Cox P {get(f'table2.{term}.{model}.p').text} vs log-rank P {p.text}",
                "Cox vs log-rank",
                res,
                [hr.id, iv.id, f"table2.{term}.{model}.p", lr_id],
            )


def audit_paper(directory=None) -> pd.DataFrame:
    """Run every check on the published numbers.

    Parameters
    ----------
    directory : path-like, optional
        Folder of the published-number YAML files (default: the book's ``data/published``).

    Returns
    -------
    pandas.DataFrame
        One row per check, columns :data:`COLUMNS`: ``where`` (the place in the paper),
        ``claim`` (what is printed, numbers only), ``check`` (the kind of check), ``computed``,
        ``verdict`` (one of :data:`VERDICTS`), ``explanation`` and ``ids`` (the published entries
        used). Rows come in a fixed order: counts and percentages, means and SDs, medians,
        Table 2, repeated numbers, claims, clinical rules, plausibility, survival cross-checks.

    Examples
    --------
    >>> table = audit_paper()
    >>> list(table.columns)
    ['where', 'claim', 'check', 'computed', 'verdict', 'explanation', 'ids']
    >>> set(table["verdict"]) <= set(VERDICTS)
    True
    """
    df = published.load(directory)

    def get(entry_id):
        return published.entry(entry_id, directory)

    n = _n_patients(get)
    rows = _Rows()
    _check_percents(rows, df, get, n)
    _check_sums(rows, get, n)
    _check_refractory(rows, get, n)
    _check_means(rows, get, n)
    _check_medians(rows, df, get)
    se_results = _check_table2(rows, df, get, n)
    _check_duplicates(rows, df)
    _check_claims(rows, df, get)
    _check_clinical(rows, get, n, directory)
    _check_plausibility(rows, get, n, se_results)
    _check_survival(rows, get, n, se_results)
    return pd.DataFrame(rows.rows, columns=list(COLUMNS))


def summary(table: pd.DataFrame | None = None, by: str | None = None) -> pd.DataFrame:
    """Count the verdicts of :func:`audit_paper` (or of ``table``), in all or by kind of check.

    Parameters
    ----------
    table : pandas.DataFrame, optional
        An audit table with a ``verdict`` column (and the ``by`` column); default
        :func:`audit_paper`.
    by : str, optional
        A column of ``table`` (``"check"``: the kind of check) to count the verdicts within.

    Returns
    -------
    pandas.DataFrame
        Without ``by``: columns ``verdict`` and ``checks``, one row per verdict in
        :data:`VERDICTS` order (zero counts included), then a ``total`` row. With ``by``: one row
        per value of that column, in order of first appearance, and one column per verdict.

    Raises
    ------
    ValueError
        When ``verdict`` holds a value not in :data:`VERDICTS`.

    Examples
    --------
    >>> table = pd.DataFrame({"check": ["GRIM", "GRIM", "P from CI"],
    ...                       "verdict": ["consistent", "consistent", "inconsistent"]})
    >>> summary(table)
            verdict  checks
    0    consistent       2
    1  inconsistent       1
    2   cannot tell       0
    3         total       3
    >>> summary(table, by="check")
           check  consistent  inconsistent  cannot tell
    0       GRIM           2             0            0
    1  P from CI           0             1            0
    """
    if table is None:
        table = audit_paper()
    counts = table["verdict"].value_counts()
    unknown = set(counts.index) - set(VERDICTS)
    if unknown:
        raise ValueError(f"column 'verdict' holds unknown values {sorted(unknown)}")
    if by is not None:
        out = (
            table.groupby([by, "verdict"], sort=False)
            .size()
            .unstack(fill_value=0)
            .reindex(columns=list(VERDICTS), fill_value=0)
            .reset_index()
        )
        out.columns.name = None
        return out
    out = pd.DataFrame(
        {"verdict": list(VERDICTS), "checks": [int(counts.get(v, 0)) for v in VERDICTS]}
    )
    total = pd.DataFrame({"verdict": ["total"], "checks": [int(counts.sum())]})
    return pd.concat([out, total], ignore_index=True)
