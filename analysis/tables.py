"""Table 1 and Table 2 of the paper, rebuilt on a cohort, with the published value beside each cell.

Every comparison table has the columns ``quantity`` (or ``characteristic``/``term``),
``published`` (the characters the paper prints, from :mod:`analysis.published`), ``reproduced``
(our number formatted at the paper's decimals, rounded half up as SPSS displays), ``verdict``
(``"agrees"`` when every printed number is matched after rounding, else ``"differs"``) and
``reason`` (why it differs, empty when it agrees).

On a user's cohort (:func:`analysis.verdicts.is_user_cohort`: a ``cohort_path`` other than the
book's, or ``cohort.attrs["user_cohort"]`` as :func:`analysis.cohort.load_cohort` sets it) the numbers are not the paper's patients, so they
are not scored: the ``reproduced`` column is renamed ``your cohort`` and every verdict reads
``"not scored (your cohort)"`` with an empty reason (:func:`label_for_cohort`). The paper's value
stays beside the user's for orientation.

Comparisons that cannot be made on a cohort (an absent group, no events, a missing optional
column) are not errors: :func:`explanation` makes the short note a chapter shows in their place,
and :func:`missing_columns` says which optional columns are absent or empty.
"""

from __future__ import annotations

import copy
import datetime
import hashlib
import html
import math
import re
import threading
from collections import OrderedDict
from collections.abc import Iterable, Mapping, Sequence

import numpy as np
import pandas as pd

from analysis import clinical, paper, published
from analysis.formatting import (
    NO_PATIENTS,
    NOT_REACHED,
    bounds,
    count_value,
    nonzero_decimals,
    number,
    number_word,
    p_value,
    rounded,
    term_hazard_ratio,
    word_list,
)
from analysis.formatting import count as fmt_count
from analysis.formatting import interval as fmt_interval
from analysis.labels import JSH_CRITERION_LABELS, in_sentence, relabel, section_label, term_label
from analysis.paper import MULTIVARIABLE_TERMS, PER_UNIT_TERMS, UNIVARIATE_GROUPS, design_matrix
from analysis.privacy import (
    AGE_TOP_CODE,
    COMPLEMENT_MARK,
    NOT_SHOWN_SMALL_GROUP,
    SMALL_COUNT_THRESHOLD,
    central_range,
    glued_counts,
    hidden_counts,
    shown_counts,
    shown_percentile,
    shown_quartiles,
    small_groups,
    suppress_small_counts,
    top_code,
)
from analysis.survival import NOBODY_IN_GROUP, events_per_variable, try_cox_table
from analysis.verdicts import AGREES, DIFFERS, NOT_SCORED, YOUR_COHORT, comparison, is_user_cohort

__all__ = [
    "AGREES",
    "DIFFERS",
    "NOT_SCORED",
    "YOUR_COHORT",
    "Explanation",
    "compare",
    "count_text",
    "explanation",
    "hide_small_count_rows",
    "response_comparison",
    "rate_intervals_table",
    "RESPONSE_ENTRIES",
    "is_small_count",
    "shown_estimates",
    "label_for_cohort",
    "missing_columns",
    "user_cohort",
    "verdict",
    "format_published_value",
    "table1",
    "table1_skewed",
    "table1_skewed_shown",
    "below_zero_rows",
    "BELOW_ZERO_MARK",
    "central_range_text",
    "user_target_values",
    "label_repeated_targets",
    "CENTRAL_RANGE_COLUMN",
    "HIDDEN",
    "table2",
    "TABLE2_FIELDS",
    "differing_cells_text",
    "table2_models",
    "table2_hr_text",
    "table2_hidden_terms",
    "table2_deaths",
    "table2_events_per_parameter",
    "survival_counts",
    "table2_ties",
    "table2_group_counts",
    "multivariable_sides",
    "coding_comparison",
    "TABLE2_IMPLIED_TERMS",
    "USER_SKEWNESS_MIN",
    "JSH_CRITERIA_ROWS",
    "BCLC_STAGES",
    "CHILD_PUGH_COMPONENTS",
    "jsh_criteria_table",
    "eligibility_reasons",
    "child_pugh_check",
    "albi_grade_table",
    "vp_table",
    "bclc_crosstab",
    "ecf_schedule",
    "ecf_regimen_check",
    "dose_band_table",
    "cohort_bsa",
]

#: Whether tables are labelled as a user's cohort: :func:`analysis.verdicts.is_user_cohort`
#: (``user_cohort(cohort, cohort_path)``), the one rule, under the name chapters import.
user_cohort = is_user_cohort


# ------------------------------------------------------------------------ user's cohorts
def verdict(computed, entry_id: str, *, user: bool = False) -> str:
    """``"agrees"``/``"differs"`` for one published entry, or :data:`~analysis.verdicts.NOT_SCORED` when ``user``.

    For chapter-built comparison tables; ``computed`` that cannot be compared (NaN, wrong type)
    differs.

    Examples
    --------
    The paper prints a mean age of 60.5 years:

    >>> verdict(60.46, "table1.age_years.mean"), verdict(60.56, "table1.age_years.mean")
    ('agrees', 'differs')
    >>> verdict(61.0, "table1.age_years.mean", user=True)
    'not scored (your cohort)'
    """
    if user:
        return NOT_SCORED
    try:
        ok = published.agrees(computed, entry_id)
    except (TypeError, ValueError):
        ok = False
    return comparison(ok)


def label_for_cohort(table: pd.DataFrame, user: bool) -> pd.DataFrame:
    """Relabel a published-vs-reproduced table computed on a user's cohort.

    When ``user`` is true: ``reproduced`` becomes :data:`~analysis.verdicts.YOUR_COHORT`, every ``verdict`` becomes :data:`~analysis.verdicts.NOT_SCORED` and
    ``reason`` is emptied (a difference from the paper is not an error on other patients) except
    where the cell could not be computed ("–"), whose reason says why (and so its
    :data:`TABLE2_FIELDS`). The
    book's own tables are returned unchanged.

    Examples
    --------
    >>> rows = [{"quantity": "Men", "id": "table1.sex_male.count", "computed": 74}]
    >>> table = label_for_cohort(compare(rows, user=False), True)
    >>> table[["quantity", "published", "your cohort", "verdict"]]
      quantity published your cohort                   verdict
    0      Men        75          74  not scored (your cohort)
    """
    if not user:
        return table
    out = table.copy()
    if "reproduced" in out.columns:
        out = out.rename(columns={"reproduced": YOUR_COHORT})
    if "verdict" in out.columns:
        out["verdict"] = NOT_SCORED
    if "reason" in out.columns:
        # keep the reason only where nothing could be computed (a "–" cell): it explains the gap
        shown = out[YOUR_COHORT].astype(str) if YOUR_COHORT in out.columns else None
        keep = shown.str.startswith("–") if shown is not None else False
        out["reason"] = out["reason"].where(keep, "")
        # what the reason says as data (table2's TABLE2_FIELDS) goes with it
        rows = pd.Series(keep, index=out.index)
        for field, empty in (("differing", ()), ("remark", ""), ("why", "")):
            if field in out.columns:
                out[field] = [v if k else empty for v, k in zip(out[field], rows, strict=True)]
    out.attrs["user_cohort"] = True
    return out


class Explanation:
    """A short note shown in place of a result that cannot be computed on a cohort.

    Renders as an admonition-like box in HTML (Sphinx and nbconvert), as a MyST/Markdown
    blockquote, and as plain text (``str()``), so that a chapter can display it where the table
    or figure would have been and glue its text in prose.

    Examples
    --------
    >>> note = Explanation("Not estimable on this cohort", "nobody had additional TACE")
    >>> print(note)
    Not estimable on this cohort: nobody had additional TACE
    >>> note._repr_markdown_()
    '> **Not estimable on this cohort.** nobody had additional TACE'
    """

    def __init__(self, title: str, reason: str):
        self.title, self.reason = title, reason

    def __str__(self) -> str:
        return f"{self.title}: {self.reason}"

    __repr__ = __str__

    def _repr_markdown_(self) -> str:
        return f"> **{self.title}.** {self.reason}"

    def _repr_html_(self) -> str:
        return (
            '<div class="admonition note cohort-explanation">'
            f'<p class="admonition-title">{html.escape(self.title)}</p>'
            f"<p>{html.escape(self.reason)}</p></div>"
        )


def explanation(reason: str, title: str = "Not estimable on this cohort") -> Explanation:
    """The note shown instead of a comparison that is absent or degenerate in a cohort.

    Examples
    --------
    >>> print(explanation("nobody had additional TACE"))
    Not estimable on this cohort: nobody had additional TACE
    """
    return Explanation(title, reason)


def is_small_count(count: int, *, user: bool, min_cell_count: int | None = None) -> bool:
    """Whether ``count`` patients (1 to ``min_cell_count`` − 1) of a user's cohort must not be shown.

    Examples
    --------
    >>> is_small_count(3, user=True), is_small_count(0, user=True), is_small_count(3, user=False)
    (True, False, False)
    """
    threshold = SMALL_COUNT_THRESHOLD if min_cell_count is None else int(min_cell_count)
    return bool(user) and 0 < int(count) < threshold


def hide_small_count_rows(
    table: pd.DataFrame,
    *,
    user: bool,
    count: str = "count",
    min_cell_count: int | None = None,
    groups=(),
    sums=None,
) -> pd.DataFrame:
    """``table`` with every cell of a row whose ``count`` is 1 to ``min_cell_count`` − 1 read ``"<5"``.

    For a table of counts beside their percentages (such as
    :func:`analysis.clinical.response_summary`): the percentage of a hidden count would give it
    back, so the whole row reads ``"<5"``. ``groups`` (row labels whose counts add up to a shown
    total) and ``sums`` (a row that is the sum of other rows: ``{"ORR": ["CR", "PR"]}``) also
    hide the rows that would give a hidden count back by subtraction; those read "hidden"
    (:func:`analysis.privacy.hidden_counts`). ``attrs["hidden"]`` maps each hidden row to what
    it reads. On the book's cohort (``user=False``) the table is returned unchanged.

    Examples
    --------
    >>> t = pd.DataFrame({"count": [4, 0, 40], "percent": [4.9, 0.0, 48.8]}, index=["CR", "X", "PR"])
    >>> hide_small_count_rows(t, user=True)
       count percent
    CR    <5      <5
    X      0     0.0
    PR    40    48.8
    >>> hide_small_count_rows(t, user=False).equals(t)
    True
    >>> t = pd.DataFrame({"count": [4, 20, 24]}, index=["CR", "PR", "ORR"])
    >>> hide_small_count_rows(t, user=True, sums={"ORR": ["CR", "PR"]})["count"].tolist()
    ['<5', 'hidden', 24]
    """
    if not user:
        return table
    threshold = SMALL_COUNT_THRESHOLD if min_cell_count is None else int(min_cell_count)
    hidden = hidden_counts(
        dict(zip(table.index, table[count], strict=True)),
        groups=groups,
        sums=sums,
        threshold=threshold,
    )
    out = table.astype(object)
    for label, mark in hidden.items():
        out.loc[label, :] = mark
    out.attrs["hidden"] = hidden
    return out


#: Table 5.1's rows: a category of :func:`analysis.clinical.response_summary` -> the stem of
#: its published entries (``results.<stem>.count`` and ``.percent``).
RESPONSE_ENTRIES = {
    "CR": "response_cr",
    "PR": "response_pr",
    "SD": "response_sd",
    "PD": "response_pd",
    "ORR": "orr",
    "DCR": "dcr",
}


def response_comparison(summary: pd.DataFrame, *, user: bool = False) -> pd.DataFrame:
    """Best response, ORR and DCR as the paper prints them beside this cohort's (Table 5.1): a
    :func:`compare` table with a count row and a percent row per category.

    On a user's cohort a category of 1 to 4 patients reads "<5", and one that would give such a
    count back by subtraction (from the total, from ORR = CR + PR and DCR = CR + PR + SD, or
    from what follows: DCR = ORR + SD, N = DCR + PD) reads "hidden" (:func:`hide_small_count_rows`); ``attrs["hidden"]`` maps each such category
    to what it reads (empty on the book's cohort).

    Parameters
    ----------
    summary : DataFrame
        :func:`analysis.clinical.response_summary`: ``count`` and ``percent`` indexed by CR,
        PR, SD, PD, ORR and DCR.
    user : bool
        A user's cohort: not scored, small counts hidden.

    Returns
    -------
    DataFrame
        The :func:`compare` table (rows ``"CR, n"``, ``"CR, %"``, …, ``"DCR, %"``).

    Examples
    --------
    The book's 82 patients: 4 CR, 20 PR, 22 SD, 36 PD, as the paper prints them:

    >>> from analysis.clinical import response_summary
    >>> summary = response_summary(["CR"] * 4 + ["PR"] * 20 + ["SD"] * 22 + ["PD"] * 36)
    >>> table = response_comparison(summary)
    >>> table[["quantity", "published", "reproduced", "verdict"]].head(2)
      quantity published reproduced verdict
    0    CR, n         4          4  agrees
    1    CR, %       4.9        4.9  agrees
    >>> table.attrs["hidden"]
    {}

    On a user's cohort the 4 CR read "<5", and PR, which ORR − CR would give back, "hidden":

    >>> response_comparison(summary, user=True).attrs["hidden"]
    {'CR': '<5', 'PR': 'hidden'}

    Of 20 patients, 1 CR, 5 PR, 4 SD and 10 PD: the ORR (6) beside the DCR (10) would give the 4
    SD back, so the ORR is hidden as well:

    >>> few = response_summary(["CR"] + ["PR"] * 5 + ["SD"] * 4 + ["PD"] * 10)
    >>> response_comparison(few, user=True).attrs["hidden"]
    {'CR': '<5', 'SD': '<5', 'PR': 'hidden', 'ORR': 'hidden'}
    """
    shown = hide_small_count_rows(
        summary,
        user=user,
        # ORR + SD + PD and DCR + PD add up to N as well: without them DCR − ORR gave a small
        # SD back (20 patients: CR <5, PR hidden, SD <5, ORR 6, DCR 10), and N − DCR a small PD
        groups=[["CR", "PR", "SD", "PD"], ["ORR", "SD", "PD"], ["DCR", "PD"]],
        sums={"ORR": ["CR", "PR"], "DCR": ["CR", "PR", "SD"]},
    )
    hidden = dict(shown.attrs.get("hidden", {}))
    rows = []
    for category, stem in RESPONSE_ENTRIES.items():
        count = int(summary.loc[category, "count"])
        percent = float(summary.loc[category, "percent"])
        for suffix, kind, value in (("n", "count", count), ("%", "percent", percent)):
            rows.append(
                {
                    "quantity": f"{category}, {suffix}",
                    "id": f"results.{stem}.{kind}",
                    "computed": value,
                    "count": count,
                    "hidden": hidden.get(category),
                }
            )
    table = compare(rows, user=user)
    table.attrs["hidden"] = hidden
    return table


def rate_intervals_table(
    rates: pd.DataFrame, *, level: str = "95%", hidden: Mapping | None = None
) -> pd.DataFrame:
    """The ORR and DCR with their two intervals as the book shows them (Table 5.2): four
    columns, n / N and the percent in one, which fit a phone.

    Parameters
    ----------
    rates : DataFrame
        :func:`analysis.clinical.rate_intervals`.
    level : str
        The confidence level as printed in the headers (``analysis.formatting.level``).
    hidden : mapping, optional
        Rate -> what it reads on a user's cohort (``attrs["hidden"]`` of
        :func:`response_comparison`): its intervals, which give the count back, read "not
        shown".

    Returns
    -------
    DataFrame
        Columns ``Rate``, ``n / N (%)``, ``Wilson <level> CI (%)`` and ``Clopper–Pearson
        <level> CI (%)``.

    Examples
    --------
    >>> from analysis.clinical import rate_intervals
    >>> rates = rate_intervals(["CR"] * 4 + ["PR"] * 20 + ["SD"] * 22 + ["PD"] * 36)
    >>> rate_intervals_table(rates).iloc[0].tolist()
    ['ORR', '24/82 (29.3)', '20.5–39.9', '19.7–40.4']
    >>> rate_intervals_table(rates, hidden={"ORR": "<5"}).iloc[0].tolist()
    ['ORR', '<5', 'not shown', 'not shown']
    """
    hidden = dict(hidden or {})

    def interval(row, method):
        return fmt_interval(row[f"{method}_lower"], row[f"{method}_upper"], 1)

    rows = []
    for name, row in rates.iterrows():
        small = name in hidden
        rows.append(
            {
                "Rate": name,
                "n / N (%)": hidden.get(
                    name,
                    f"{fmt_count(row['count'])}/{fmt_count(row['n'])} "
                    f"({number(row['percent'], 1)})",
                ),
                f"Wilson {level} CI (%)": "not shown" if small else interval(row, "wilson"),
                f"Clopper–Pearson {level} CI (%)": (
                    "not shown" if small else interval(row, "clopper_pearson")
                ),
            }
        )
    return pd.DataFrame(rows)


def shown_estimates(
    frame: pd.DataFrame, decimals: int, *, missing: str = "not estimable"
) -> pd.DataFrame:
    """A table of estimates for display: rounded to ``decimals``; a NaN cell reads ``missing``.

    A table with no NaN is returned rounded (``frame.round(decimals)``, displayed as before);
    one with a NaN becomes text, each number by :func:`analysis.formatting.number`.

    Examples
    --------
    >>> hr = pd.DataFrame({"a": [1.2345, float("nan")], "b": [0.5, 2.0]}, index=["x", "y"])
    >>> shown_estimates(hr, 2)
                   a     b
    x           1.23  0.50
    y  not estimable  2.00
    >>> shown_estimates(hr.fillna(1.0), 2).equals(hr.fillna(1.0).round(2))
    True
    """
    if not frame.isna().to_numpy().any():
        return frame.round(decimals)
    return frame.apply(lambda col: col.map(lambda v: number(v, decimals, missing=missing)))


def count_text(count: int, text: str, *, user: bool, min_cell_count: int | None = None) -> str:
    """``text`` (e.g. "3 (3.7%)"), or ``"<5"`` when it discloses 1-4 patients of a user's cohort.

    Examples
    --------
    >>> count_text(3, "3 (3.7%)", user=True), count_text(3, "3 (3.7%)", user=False)
    ('<5', '3 (3.7%)')
    >>> count_text(3, "3 (3.7%)", user=True, min_cell_count=3)
    '3 (3.7%)'
    """
    threshold = SMALL_COUNT_THRESHOLD if min_cell_count is None else int(min_cell_count)
    if user and 0 < int(count) < threshold:
        return f"<{threshold}"
    return text


def missing_columns(cohort: pd.DataFrame, columns: Sequence[str]) -> list[str]:
    """The ``columns`` that ``cohort`` lacks or leaves empty in every row (optional columns).

    Examples
    --------
    >>> d = pd.DataFrame({"alt_u_l": [11.0, 19.0], "pivka2": [float("nan"), float("nan")]})
    >>> missing_columns(d, ["alt_u_l", "pivka2", "crp_mg_l"])   # pivka2 is empty in every row
    ['pivka2', 'crp_mg_l']
    """
    out = []
    for col in columns:
        if col not in cohort.columns or cohort[col].isna().all():
            out.append(col)
    return out


# ------------------------------------------------------------------------------ formatting
def format_published_value(computed, entry_id: str) -> str:
    """Format ``computed`` the way the paper prints entry ``entry_id``.

    Same decimals as printed (half-up rounding, :func:`analysis.formatting.rounded`), thousands
    separators when the paper uses them, ``"a–b"`` for intervals (each bound at its own printed
    decimals; ``"a to b"`` when a bound is negative, :func:`analysis.formatting.bounds`), ``"<0.001"`` for a P below a printed threshold. A P the paper prints as a value
    (``"0.01"``) is rounded half up at its decimals, as :func:`analysis.published.agrees` judges
    it; only a P that rounds to zero there prints as ``"<0.01"``
    (:func:`analysis.formatting.p_value`). NaN prints as ``"not reached"`` for medians and
    ``"–"`` otherwise; an interval without either bound as ``"not estimable"`` (a median never
    reached has none), a median's interval with one bound missing gives that bound as ``"not
    reached"`` (the band never crosses one half, as :func:`analysis.formatting.median_interval`
    prints it), and any other interval missing a bound as ``"not estimable"``.

    Examples
    --------
    >>> format_published_value(60.46, "table1.age_years.mean")          # printed "60.5"
    '60.5'
    >>> format_published_value((1.7, 348100), "table1.afp_ng_ml.interval")
    '1.7–348,100'
    >>> format_published_value((-0.61, 7.41), "figure2.os_median_prior_tace_gt4.interval")
    '-0.6 to 7.4'
    >>> format_published_value(0.0004, "figure1.logrank_dc_vs_pd.p")     # printed "<0.001"
    '<0.001'
    >>> format_published_value(0.0087, "figure2.logrank_prior_tace.p")   # printed "0.01"
    '0.01'
    >>> format_published_value(0.004, "figure2.logrank_prior_tace.p")    # 0.00 at 2 decimals
    '<0.01'
    >>> format_published_value(float("nan"), "figure1.os_median_dc.median")
    'not reached'
    >>> nan = float("nan")
    >>> format_published_value((nan, nan), "results.os_median.interval")
    'not estimable'
    >>> format_published_value((5.46, nan), "results.os_median.interval")
    '5.5–not reached'
    >>> format_published_value((0.5, nan), "table2.age_years.uni.interval")
    'not estimable'

    A number that is not 0 never prints as 0: a cohort followed for weeks, whose medians the
    paper's whole months would print as "0" (an interval as "0.2–0"), gets the decimals of its
    first significant digit.

    >>> format_published_value(0.31, "figure2.os_median_prior_tace_2_4.median")  # printed "14"
    '0.3'
    >>> format_published_value((0.17, 0.24), "results.os_median.interval")  # printed "8.7–11"
    '0.2–0.2'
    """
    e = published.entry(entry_id)
    # a count has thousands separators from 1,000 (formatting.count), whatever the paper's
    # counts (all below 1,000) print
    thousands = "," in e.text or e.kind == "count"
    if e.kind == "interval":
        lo, hi = computed
        if not _finite(lo) and not _finite(hi):
            return "not estimable"
        median = ".os_median" in e.id or ".pfs_median" in e.id
        if not (_finite(lo) and _finite(hi)) and not median:
            return "not estimable"  # a ratio's interval with one bound: no interval
        parsed = published.parse_text(e.text)
        parts = []
        for x, d in ((lo, parsed["lower_decimals"]), (hi, parsed["upper_decimals"])):
            # a median's band that never crosses one half: that bound is not reached
            parts.append(_rounded_nonzero(x, d, thousands) if _finite(x) else NOT_REACHED)
        return bounds(*parts)
    if not _finite(computed):
        return NOT_REACHED if e.kind == "median" else "–"
    if e.kind == "p":
        if e.relation == "<" and float(computed) < e.value:
            return e.text
        text = rounded(computed, e.decimals)
        return p_value(computed, e.decimals) if float(text) == 0 else text
    return _rounded_nonzero(computed, e.decimals, thousands)


def _rounded_nonzero(x, decimals: int, thousands: bool = False) -> str:
    """:func:`analysis.formatting.rounded` at ``decimals``, or, where that would print a number
    other than 0 as 0, at the decimals of its first significant digit (0.24 at 0 decimals: 0.2)."""
    x = float(x)
    if x != 0 and abs(x) < 0.5 * 10.0**-decimals:
        decimals = max(decimals, -math.floor(math.log10(abs(x))))
    return rounded(x, decimals, thousands=thousands)


def _finite(x) -> bool:
    """A number that can be printed: finite, and not so large (an estimate run off to infinity,
    beyond 1e15) that rounding it to the paper's decimals is meaningless."""
    try:
        return math.isfinite(float(x)) and abs(float(x)) < 1e15
    except (TypeError, ValueError):
        return False


def _check(entry_id: str, computed) -> tuple[str, str, bool]:
    """(published text, reproduced text, agrees) for one entry."""
    e = published.entry(entry_id)
    try:
        ok = published.agrees(computed, entry_id)
    except (TypeError, ValueError):
        ok = False
    return e.text, format_published_value(computed, entry_id), bool(ok)


def compare(
    rows: Iterable[Mapping],
    *,
    cohort_path=None,
    user: bool | None = None,
    min_cell_count: int | None = None,
) -> pd.DataFrame:
    """Published-vs-reproduced table, one row per published number.

    Parameters
    ----------
    rows : iterable of mappings
        Each with ``quantity`` (the label to show), ``id`` (a published entry id), ``computed``
        (a number, or a ``(lower, upper)`` pair for an interval entry) and optionally ``reason``
        (shown when the verdict is "differs"; otherwise an automatic reason naming the printed
        precision is used; the reason :data:`analysis.survival.NOBODY_IN_GROUP`, a group with no
        patients, shows "no patients" as the value), and optionally ``count``: the number of patients the value discloses
        (a count, or the numerator of a percent), used for small-count suppression, and
        ``hidden``: what a user's cohort shows instead of the value, whatever its count (a
        count hidden so that a small one cannot be worked out from it reads "hidden",
        :func:`analysis.privacy.hidden_counts`).
    cohort_path : path-like, optional
        The chapter's ``cohort_path``: on a user's cohort the table is relabelled by
        :func:`label_for_cohort` (column ``your cohort``, verdict "not scored (your cohort)").
    user : bool, optional
        Overrides the decision from ``cohort_path`` (e.g. ``cohort.attrs["user_cohort"]``).
    min_cell_count : int, optional
        On a user's cohort, a row whose ``count`` is from 1 to ``min_cell_count - 1`` shows
        ``"<min_cell_count"`` instead of its value (default
        :data:`analysis.privacy.SMALL_COUNT_THRESHOLD`), as
        :func:`analysis.privacy.suppress_small_counts` does for count tables.

    Returns
    -------
    DataFrame
        Columns ``quantity``, ``published`` (text as printed; a number the paper writes as a
        word, "Twenty-four", in digits, the word kept in ``attrs["printed_as_words"]``, quantity
        -> word, for the note :func:`analysis.book.glue_table` adds), ``reproduced`` (formatted
        at the paper's decimals), ``verdict`` ("agrees" / "differs") and ``reason`` (empty when
        it agrees); on a user's cohort ``your cohort`` instead of ``reproduced``.

    Examples
    --------
    The paper prints a mean age of 60.5 years and 75 men; 60.46 rounds to 60.5, 74 men do not
    make 75:

    >>> rows = [
    ...     {"quantity": "Mean age (years)", "id": "table1.age_years.mean", "computed": 60.46},
    ...     {"quantity": "Men", "id": "table1.sex_male.count", "computed": 74, "count": 74},
    ... ]
    >>> table = compare(rows, user=False)
    >>> table[["quantity", "published", "reproduced", "verdict"]]
               quantity published reproduced  verdict
    0  Mean age (years)      60.5       60.5   agrees
    1               Men        75         74  differs
    >>> table.loc[1, "reason"]
    'differs after rounding to 0 decimal(s)'

    The paper writes its 24 objective responses as a word; the table prints digits:

    >>> words = compare([{"quantity": "ORR, n", "id": "results.orr.count", "computed": 24}], user=False)
    >>> words.loc[0, "published"], words.attrs["printed_as_words"]
    ('24', {'ORR, n': 'Twenty-four'})
    """
    rows = list(rows)
    out = []
    words = {}
    for i, row in enumerate(rows):
        for key in ("quantity", "id", "computed"):
            if key not in row:
                raise KeyError(f"rows[{i}]: missing key {key!r}")
        text, reproduced, ok = _check(row["id"], row["computed"])
        if row.get("reason") == NOBODY_IN_GROUP:  # not "not reached", not "NA–NA"
            reproduced = NO_PATIENTS
        if not any(c.isdigit() for c in text):  # a number the paper writes as a word
            words[row["quantity"]] = text
            text = format_published_value(published.value(row["id"]), row["id"])
        reason = ""
        if not ok:
            reason = row.get("reason") or _auto_reason(row["id"], row["computed"])
        out.append(
            {
                "quantity": row["quantity"],
                "published": text,
                "reproduced": reproduced,
                "verdict": AGREES if ok else DIFFERS,
                "reason": reason,
            }
        )
    table = pd.DataFrame(out, columns=["quantity", "published", "reproduced", "verdict", "reason"])
    table.attrs["printed_as_words"] = words
    is_user = user_cohort(None, cohort_path) if user is None else bool(user)
    if is_user:
        threshold = SMALL_COUNT_THRESHOLD if min_cell_count is None else int(min_cell_count)
        hidden = 0
        for i, row in enumerate(rows):
            k = row.get("count")
            if row.get("hidden"):
                table.loc[i, "reproduced"] = row["hidden"]
                hidden += 1
            elif k is not None and 0 < int(k) < threshold:
                table.loc[i, "reproduced"] = f"<{threshold}"
                hidden += 1
        table.attrs["suppressed"] = hidden
    return label_for_cohort(table, is_user)


def _auto_reason(entry_id: str, computed) -> str:
    e = published.entry(entry_id)
    if e.kind == "interval":
        if not all(_finite(x) for x in computed):
            return "a bound cannot be computed on this cohort"
        return "a bound differs at the printed decimals"
    if not _finite(computed):
        return "not computable on this cohort (e.g. the median is not reached)"
    if e.kind == "p" and e.relation == "<":
        return f"P is not below {e.text.lstrip('<')}"
    return f"differs after rounding to {e.decimals} decimal(s)"


# --------------------------------------------------------------------------------- Table 1
def _sd(x: pd.Series) -> float:
    """Sample SD (n - 1 denominator), as SPSS Descriptives and R ``sd`` print it."""
    return float(pd.to_numeric(x).std(ddof=1))


def _combined(label: str, parts: Sequence[tuple[str, object]], template: str) -> dict:
    """One table row from several published entries (e.g. mean and SD) and their computations."""
    pub, rep, bad = [], [], []
    for entry_id, computed in parts:
        text, reproduced, ok = _check(entry_id, computed)
        pub.append(text)
        rep.append(reproduced)
        if not ok:
            bad.append(published.entry(entry_id).kind)
    n_slots = template.count("{}")
    pub_text = template.format(*pub) if len(pub) == n_slots else pub[0]
    rep_text = template.format(*rep) if len(rep) == n_slots else rep[0]
    reason = ""
    if bad:
        reason = _parts_differ(list(dict.fromkeys(bad))) + " after rounding to the printed decimals"
    return {
        "characteristic": label,
        "published": pub_text,
        "reproduced": rep_text,
        "verdict": DIFFERS if bad else AGREES,
        "reason": reason,
    }


def table1(
    cohort: pd.DataFrame, *, user: bool | None = None, min_cell_count: int | None = None
) -> pd.DataFrame:
    """Table 1 (baseline characteristics) with the paper's summary choices, published beside it.

    Summaries as the paper prints them: mean ± SD (sample SD, n - 1) for age, albumin, AST, ALT,
    CRP, tumour size, tumour number and TACE counts; n (%) for categories (percent of all
    patients, one decimal); median (minimum–maximum) for AFP and PIVKA-II -- the paper's footnote
    says "interquartile range" but the printed brackets (1.7–348,100 ng/mL) can only be the range.

    On a user's cohort no cell shows one patient's value: AFP and PIVKA-II read "median (5th–95th
    percentile a–b)", "hidden" where the smallest or largest value would enter
    (:func:`analysis.privacy.central_range`, below 21 patients), and a median that would print as
    one patient's value (an odd number of patients) moves half-way to a neighbouring value, and
    one of fewer than 5 values is "hidden" (:func:`analysis.privacy.shown_percentile`); a mean ±
    SD of fewer than three patients is "hidden"; a mean age of 90 or more reads "≥ 90". A count
    of 1 to ``min_cell_count`` − 1 reads "<5", and so that N minus the other levels of its
    variable (sex, Child-Pugh class, BCLC stage, PVTT) cannot give it back, the next-smallest
    level reads "hidden"; a yes/no row (additional TACE, refractoriness criteria) whose "no"
    count N − k is small reads "hidden" too (:func:`analysis.privacy.hidden_counts`).

    An optional column that is absent (or empty in every row) gives ``reproduced`` "– (column
    absent)" and the verdict "differs" with the reason naming the column.

    Parameters
    ----------
    user : bool, optional
        Label the table as a user's cohort (:func:`label_for_cohort`) and suppress counts below
        ``min_cell_count`` in it; default ``cohort.attrs["user_cohort"]``.
    min_cell_count : int, optional
        Threshold of :func:`analysis.privacy.suppress_small_counts` (default
        :data:`analysis.privacy.SMALL_COUNT_THRESHOLD`); used only on a user's cohort.

    Returns
    -------
    DataFrame
        ``characteristic``, ``published``, ``reproduced`` (``your cohort`` on a user's cohort),
        ``verdict``, ``reason``.

    Examples
    --------
    On the book's cohort (calibrated to Table 1) the age row reads as printed:

    >>> from analysis.cohort import load_cohort
    >>> t1 = table1(load_cohort())
    >>> t1.loc[0, ["characteristic", "published", "reproduced", "verdict"]].tolist()
    ['Age (years)', '60.5±10.7', '60.5±10.7', 'agrees']
    """
    c = cohort
    n = len(c)
    if n == 0:
        raise ValueError("cohort: no rows")
    is_user = user_cohort(cohort) if user is None else bool(user)
    count_rows: dict[str, int] = {}  # label -> count, for suppression on a user's cohort

    def absent(label, key, cols, template):
        pub = [published.entry(i).text for i in published.ids(f"table1.{key}.")]
        n_slots = template.count("{}")
        return {
            "characteristic": label,
            "published": template.format(*pub) if len(pub) == n_slots else pub[0],
            "reproduced": "– (column absent)",
            "verdict": DIFFERS,
            "reason": f"optional column {', '.join(cols)} is not in this cohort",
        }

    def mean_sd(label, col):
        if missing_columns(c, [col]):
            return absent(label, col, [col], "{}±{}")
        mean, sd = c[col].mean(), _sd(c[col])
        row = _combined(label, [(f"table1.{col}.mean", mean), (f"table1.{col}.sd", sd)], "{}±{}")
        if is_user:  # of fewer than 3 patients, mean and SD give their values; ages top-coded
            mean_text, sd_text = (
                _check(f"table1.{col}.{k}", v)[1] for k, v in (("mean", mean), ("sd", sd))
            )
            if col == "age_years":
                mean_text = top_code(float(mean), mean_text, AGE_TOP_CODE)
            shown = pd.to_numeric(c[col]).notna().sum() >= 3
            row["reproduced"] = f"{mean_text}±{sd_text}" if shown else HIDDEN
        return row

    def n_pct(label, key, mask, col=None):
        if col is not None and missing_columns(c, [col]):
            return absent(label, key, [col], "{} ({})")
        k = int(np.asarray(mask).sum())
        count_rows[label] = k
        parts = [(f"table1.{key}.count", k)]
        pct_id = f"table1.{key}.percent"
        if pct_id in published.ids("table1."):
            parts.append((pct_id, 100.0 * k / n))
            return _combined(label, parts, "{} ({})")
        return _combined(label, parts, "{}")

    def median_range(label, col):
        if missing_columns(c, [col]):
            return absent(label, col, [col], "{} ({})")
        x = pd.to_numeric(c[col])
        row = _combined(
            label,
            [
                (f"table1.{col}.median", float(x.median())),
                (f"table1.{col}.interval", (float(x.min()), float(x.max()))),
            ],
            "{} ({})",
        )
        if is_user:  # no minimum or maximum: the 5th–95th percentile; a median nobody's value
            med_id = f"table1.{col}.median"
            med = shown_percentile(x, 50, published.entry(med_id).decimals)
            med_text = HIDDEN if med is None else _check(med_id, med)[1]
            row["reproduced"] = f"{med_text} ({central_range_text(x, f'table1.{col}.interval')})"
        return row

    score = pd.to_numeric(c["child_pugh_score"])
    cp_class = np.select([score <= 6, score <= 9], ["A", "B"], default="C")
    rows = [
        mean_sd("Age (years)", "age_years"),
        n_pct("Sex: male", "sex_male", c["sex"] == "M"),
        n_pct("Sex: female", "sex_female", c["sex"] == "F"),
        n_pct("Child-Pugh class A", "child_pugh_a", cp_class == "A"),
        n_pct("Child-Pugh class B", "child_pugh_b", cp_class == "B"),
        n_pct("Child-Pugh class C", "child_pugh_c", cp_class == "C"),
        n_pct("BCLC stage A", "bclc_a", c["bclc_stage"] == "A"),
        n_pct("BCLC stage B", "bclc_b", c["bclc_stage"] == "B"),
        n_pct("BCLC stage C", "bclc_c", c["bclc_stage"] == "C"),
        median_range("AFP (ng/mL)", "afp_ng_ml"),
        median_range("PIVKA-II (ng/mL)", "pivka2"),
        mean_sd("Albumin (g/dL)", "albumin_g_dl"),
        mean_sd("AST (U/L)", "ast_u_l"),
        mean_sd("ALT (U/L)", "alt_u_l"),
        mean_sd("CRP (mg/L)", "crp_mg_l"),
    ]
    for vp in range(5):
        rows.append(n_pct(f"PVTT Vp{vp}", f"pvtt_vp{vp}", c["pvtt"] == f"Vp{vp}"))
    rows += [
        mean_sd("Tumour size (mm)", "tumor_size_mm"),
        mean_sd("Tumour number", "tumor_number"),
        mean_sd("Number of prior TACE", "prior_tace_sessions"),
        mean_sd("Number of TACE-refractory sessions", "refractory_tace_sessions"),
        n_pct("Additional TACE during HAIC", "additional_tace", c["additional_tace"] == 1),
    ]
    # the JSH criteria in their one vocabulary: "Refractory: poor response" (analysis.labels)
    refractory = [term_label(col) for col in clinical.JSH_COHORT_COLUMNS.values()]
    rows += [
        n_pct(label, col, _flag(c, col), col)
        for label, col in zip(refractory, clinical.JSH_COHORT_COLUMNS.values(), strict=True)
    ]
    table = pd.DataFrame(
        rows, columns=["characteristic", "published", "reproduced", "verdict", "reason"]
    )
    if not is_user:
        return table
    # a variable's levels add up to N: one hidden level would be N minus the others, so a
    # second is hidden (complementary suppression); a yes/no row shows its "yes" count only,
    # and N minus it is the (unshown) "no" count, small or not
    levels = [
        ["Sex: male", "Sex: female"],
        [f"Child-Pugh class {k}" for k in "ABC"],
        [f"BCLC stage {k}" for k in "ABC"],
        [f"PVTT Vp{vp}" for vp in range(5)],
    ]
    counts = dict(count_rows)
    # levels the table does not show (BCLC 0 and D, a missing or other value) are N minus the
    # shown ones: an unshown member of the group, so two patients at stage D beside shown A, B
    # and C hide one of them
    for k, group in enumerate(levels):
        shown = [label for label in group if label in counts]
        if shown and (rest := n - sum(counts[label] for label in shown)) > 0:
            counts[("other", k)] = rest
            group.append(("other", k))
    for label in [k for k in count_rows if k == "Additional TACE during HAIC" or k in refractory]:
        counts[(label, "no")] = n - count_rows[label]
        levels.append([label, (label, "no")])
    hidden = hidden_counts(
        counts,
        groups=[[k for k in g if k in counts] for g in levels],
        threshold=SMALL_COUNT_THRESHOLD if min_cell_count is None else int(min_cell_count),
    )
    for label, mark in hidden.items():
        if label in count_rows:
            table.loc[table["characteristic"] == label, "reproduced"] = mark
    table.attrs["suppressed"] = sum(label in count_rows for label in hidden)
    return label_for_cohort(table, True)


def _flag(cohort: pd.DataFrame, col: str) -> pd.Series:
    """``cohort[col] == 1``, all False when the optional column is absent."""
    if col not in cohort.columns:
        return pd.Series(False, index=cohort.index)
    return pd.to_numeric(cohort[col]) == 1


#: Continuous Table 1 variables and their labels, for :func:`table1_skewed`.
_CONTINUOUS = {
    "age_years": "Age (years)",
    "afp_ng_ml": "AFP (ng/mL)",
    "pivka2": "PIVKA-II (ng/mL)",
    "albumin_g_dl": "Albumin (g/dL)",
    "ast_u_l": "AST (U/L)",
    "alt_u_l": "ALT (U/L)",
    "crp_mg_l": "CRP (mg/L)",
    "tumor_size_mm": "Tumour size (mm)",
    "tumor_number": "Tumour number",
    "prior_tace_sessions": "Number of prior TACE",
    "refractory_tace_sessions": "Number of TACE-refractory sessions",
}


_OPTIONAL_CONTINUOUS = {"pivka2", "alt_u_l", "refractory_tace_sessions"}


#: On a user's cohort, ``skewness`` of :func:`table1_skewed` is NaN below this many values (as
#: the 5th–95th percentile is hidden below 21): a third moment beside the mean and SD of three
#: values gives all three (measured: PIVKA-II 35, 410, 2870 read back as 37, 408, 2870).
USER_SKEWNESS_MIN = 21


def _skewness(x: np.ndarray) -> float:
    """Adjusted skewness, or NaN where it does not exist (fewer than 3 values, no spread)."""
    if x.size < 3 or np.ptp(x) == 0:
        return float("nan")
    # scipy.stats.skew(x, bias=False) of scipy 1.17 step by step, the same bits (importing
    # scipy.stats costs ~1 s of CPU in the kernel of every chapter that shows Table 1);
    # tests/test_tables.py compares the two with == on many samples
    a = np.asarray(x, dtype=float)
    n = a.shape[0]
    mean = np.mean(a, axis=0, keepdims=True)
    d = a - mean
    m2 = np.mean(d**2, axis=0)  # scipy's _moment: order 2 is d**2
    s = d.copy()
    s = s**2
    s *= d
    m3 = np.mean(s, axis=0)  # order 3: (d**2) * d
    with np.errstate(all="ignore"):
        if m2 <= (np.finfo(m2.dtype).eps * np.squeeze(mean, axis=0)) ** 2:
            return float("nan")
        return float(((n - 1.0) * n) ** 0.5 / (n - 2.0) * m3 / m2**1.5)


#: The column of :func:`table1_skewed` that replaces ``min–max`` on a user's cohort.
CENTRAL_RANGE_COLUMN = "5th–95th percentile"

#: What a user's cohort shows where a summary would draw on a single patient's value.
HIDDEN = "hidden"


def central_range_text(values, entry_id: str) -> str:
    """What a user's cohort shows in place of a minimum–maximum printed as ``entry_id``.

    The 5th–95th percentile (:func:`analysis.privacy.central_range`) at the printed entry's
    decimals, or "hidden" below 21 values, where the smallest or largest value would enter it,
    and where a bound would print as a single patient's value.

    Examples
    --------
    At 21 values the linear 5th and 95th percentiles are the second smallest and second largest
    value (4.0 and 40 here), so each moves half-way to its inner neighbour:

    >>> central_range_text([2.0 * i for i in range(1, 22)], "table1.afp_ng_ml.interval")
    '5th–95th percentile 5.0–39'
    >>> central_range_text([1.7, 2199.4], "table1.afp_ng_ml.interval")
    '5th–95th percentile hidden'
    """
    e = published.entry(entry_id)
    parsed = published.parse_text(e.text) if e.kind == "interval" else None
    decimals = (
        (int(parsed["lower_decimals"]), int(parsed["upper_decimals"])) if parsed else e.decimals
    )
    spread = central_range(values, decimals)
    if spread is None:
        return f"{CENTRAL_RANGE_COLUMN} {HIDDEN}"
    return f"{CENTRAL_RANGE_COLUMN} {format_published_value(spread, entry_id)}"


def label_repeated_targets(targets: pd.DataFrame) -> pd.DataFrame:
    """One row per printed number, each told apart: rows whose label repeats (a number the paper
    prints in two places) are labelled with where each is printed and kept together.

    Chapter 1's Table 1.4 listed "Median OS, additional TACE, 95% CI" twice, 3.6–24.4 (Figure
    2) and, far below it, 3.6–14.4, the abstract's, said only in a footnote; and
    "Additional TACE during HAIC, n" twice (Table 1's 26, the Results' "Twenty-six"). Each such
    row now ends with its section, "(Figure 2)", "(Abstract)" (:func:`analysis.labels.section_label`),
    and the later rows of a label follow its first, so that the two versions and their verdicts
    are read together.

    Parameters
    ----------
    targets : pandas.DataFrame
        Rows with ``id`` (a published entry id, ``section.quantity.field``) and ``quantity``
        (the row's label, :func:`analysis.labels.quantity_label`); other columns are kept.

    Returns
    -------
    pandas.DataFrame
        The rows relabelled and reordered, with their index: ``other.loc[result.index]`` puts
        a table of the same rows in the same order.

    Examples
    --------
    >>> rows = pd.DataFrame({
    ...     "id": ["figure2.os.interval", "table1.age.mean", "abstract.os.interval"],
    ...     "quantity": ["Median OS, 95% CI", "Age, mean", "Median OS, 95% CI"],
    ... })
    >>> label_repeated_targets(rows)["quantity"].tolist()
    ['Median OS, 95% CI (Figure 2)', 'Median OS, 95% CI (Abstract)', 'Age, mean']
    """
    text = targets["quantity"].astype(str).tolist()
    counts: dict[str, int] = {}
    first: dict[str, int] = {}
    for position, label in enumerate(text):
        counts[label] = counts.get(label, 0) + 1
        first.setdefault(label, position)
    order = sorted(range(len(text)), key=lambda n: (first[text[n]], n))
    shown = [
        f"{label} ({section_label(entry)})" if counts[label] > 1 else label
        for label, entry in zip(text, targets["id"], strict=True)
    ]
    return targets.assign(quantity=shown).iloc[order]


def user_target_values(
    targets: pd.DataFrame,
    cohort: pd.DataFrame,
    column: str,
    *,
    counts: Mapping[str, int] | None = None,
    min_cell_count: int | None = None,
) -> pd.DataFrame:
    """A user's cohort's values beside the published aggregates, without a single patient's value.

    ``targets`` has ``id`` and ``column`` (the cohort's value as text), as chapter 1 shows
    :func:`analysis.synthesis.target_table`. Table 1's minimum–maximum rows (AFP, PIVKA-II)
    become :func:`central_range_text`, their medians :func:`analysis.privacy.shown_percentile`
    (never one patient's value, as printed; "hidden" where it would be), and a mean age of 90 or
    more "≥ 90" (:data:`analysis.privacy.AGE_TOP_CODE`). A count of 1 to ``min_cell_count`` − 1 patients
    (default :data:`analysis.privacy.SMALL_COUNT_THRESHOLD`: 1–4) reads ``"<5"``, as in every
    count table of a user's cohort (:func:`count_text`), and so does its percentage.

    Parameters
    ----------
    counts : mapping, optional
        Patients behind each count or percentage row, by the row's ``quantity`` (as
        :func:`analysis.synthesis.cohort_statistics` gives them). Without it (or for a quantity
        not in it) a count row is read from its text, and a percentage row is hidden when any
        count of 1 to ``min_cell_count`` − 1 out of ``len(cohort)`` prints as it.

    Examples
    --------
    >>> t = pd.DataFrame({"id": ["table1.afp_ng_ml.interval", "table1.age_years.mean"],
    ...                   "yours": ["1.7–987654.3", "91.2"]})
    >>> c = pd.DataFrame({"afp_ng_ml": [1.7, 20.0, 987654.3], "age_years": [90, 91, 92.6]})
    >>> user_target_values(t, c, "yours")["yours"].tolist()
    ['5th–95th percentile hidden', '≥ 90']

    The median AFP of five patients is the third one's value (30.0): it moves half-way to the
    nearer neighbour:

    >>> t = pd.DataFrame({"id": ["table1.afp_ng_ml.median"], "yours": ["30.0"]})
    >>> c = pd.DataFrame({"afp_ng_ml": [1.7, 20.0, 30.0, 60.0, 987654.3]})
    >>> user_target_values(t, c, "yours")["yours"].tolist()
    ['25.0']
    >>> t = pd.DataFrame({"id": ["table1.sex_female.count", "table1.sex_female.percent",
    ...                          "table1.sex_male.count"], "quantity": ["sex_female"] * 2 + ["sex_male"],
    ...                   "kind": ["count", "percent", "count"], "yours": ["3", "10.0", "27"]})
    >>> c = pd.DataFrame({"sex": ["F"] * 3 + ["M"] * 27})
    >>> user_target_values(t, c, "yours", counts={"sex_female": 3})["yours"].tolist()
    ['<5', '<5', '27']
    """
    out = targets.copy()
    threshold = SMALL_COUNT_THRESHOLD if min_cell_count is None else int(min_cell_count)
    counts = {} if counts is None else counts
    if "kind" in out.columns:
        for i, row in out.iterrows():
            if row["kind"] not in ("count", "percent"):
                continue
            k = _patients_behind(row, column, counts, len(cohort), threshold)
            if k is not None and 0 < k < threshold:
                out.loc[i, column] = f"<{threshold}"
            elif row["kind"] == "count" and count_value(out.loc[i, column]) is not None:
                # "1,832", as every count prints (formatting.count)
                out.loc[i, column] = fmt_count(count_value(out.loc[i, column]))
    for i, entry_id in out["id"].items():
        parts = entry_id.split(".")
        if len(parts) != 3 or parts[0] != "table1" or parts[1] not in cohort.columns:
            continue
        x = pd.to_numeric(cohort[parts[1]], errors="coerce").dropna()
        if parts[2] == "interval":
            out.loc[i, column] = central_range_text(x, entry_id)
        elif parts[2] == "median":  # printed as target_table prints it, never one patient's
            printed = published.entry(entry_id)
            med = shown_percentile(x, 50, printed.decimals)
            out.loc[i, column] = (
                HIDDEN
                if med is None
                else rounded(med, printed.decimals, thousands="," in printed.text)
            )
        elif parts[1] == "age_years" and parts[2] == "mean" and len(x):
            out.loc[i, column] = top_code(float(x.mean()), str(out.loc[i, column]), AGE_TOP_CODE)
    return out


def _patients_behind(row, column: str, counts: Mapping, n: int, threshold: int) -> int | None:
    """Patients a count or percentage row discloses; for an unknown percentage, the smallest
    count that prints as it (0 when none of 1 … threshold − 1 does)."""
    if row.get("quantity") in counts:
        return int(counts[row["quantity"]])
    text = str(row[column]).replace(",", "").strip()
    try:
        value = float(text)
    except ValueError:
        return None  # "–": not available
    if row["kind"] == "count":
        return int(round(value))
    decimals = len(text.split(".")[1]) if "." in text else 0
    printed = [k for k in range(1, threshold) if n and rounded(100.0 * k / n, decimals) == text]
    return printed[0] if printed else 0


def table1_skewed(
    cohort: pd.DataFrame, decimals: int = 1, *, user: bool | None = None
) -> pd.DataFrame:
    """Continuous baseline variables summarised both ways: mean ± SD and median (IQR).

    Quartiles use SPSS's default definition (``HAVERAGE``, Hyndman-Fan type 6,
    ``numpy.percentile(method="weibull")``); R's ``quantile`` default is type 7 and gives slightly
    different quartiles in small samples. ``skewness`` is the adjusted Fisher-Pearson coefficient
    (what SPSS prints); ``mean_minus_2sd_below_0`` flags variables whose mean - 2 SD is negative
    although the variable cannot be, a quick sign that mean ± SD misdescribes it.

    The mean and the SD print at the decimals the paper gives them in Table 1 (its
    ``table1.<column>.mean`` and ``.sd`` entries in ``data/published/``: 2.65 sessions, not
    2.6); everything else, and a variable the paper does not summarise by a mean, at one number
    of decimals per variable: ``decimals``, raised until no nonzero median, quartile or bound
    shown prints as zero (:func:`analysis.formatting.nonzero_decimals`; CRP's minimum of 0.03
    prints as 0.03, not 0.0, and its row at two decimals).

    On a user's cohort (``user``; default ``cohort.attrs["user_cohort"]``) no cell shows one
    patient's value: ``min–max`` becomes ``5th–95th percentile`` (linear interpolation, "hidden"
    below 21 values, where the smallest or largest value would enter it, and a bound never printed
    as a single patient's value: :func:`analysis.privacy.central_range`); the median and quartiles
    follow the same rule (:func:`analysis.privacy.shown_quartiles`): one that would print as the
    value of a single patient (the median of an odd number of patients, a quartile that lands on
    one) moves half-way to a neighbouring value, and one that would draw on the smallest or
    largest value (fewer than 3 or 7 patients), or that summarises fewer than 5 patients, reads
    "hidden", as does the mean ± SD of fewer than three patients; ``skewness`` is NaN below
    :data:`USER_SKEWNESS_MIN` values; and an age summary of 90 or more reads "≥ 90"
    (:data:`analysis.privacy.AGE_TOP_CODE`).

    Returns
    -------
    DataFrame
        ``characteristic``, ``mean ± SD``, ``median (IQR)``, ``min–max`` (``5th–95th percentile``
        on a user's cohort), ``skewness``,
        ``mean_minus_2sd_below_0``. Optional columns (PIVKA-II, ALT, refractory sessions) absent
        from the cohort have no row. On a cohort too small for a summary, it says so instead of
        raising: the SD of one patient reads "not estimable", and ``skewness`` is NaN with fewer
        than three patients or no spread.

    Examples
    --------
    Five patients aged 40 to 80: SD = sqrt(1000 / 4) = 15.8; SPSS's quartiles (type 6) sit at
    ranks 0.25 · 6 = 1.5 and 4.5, i.e. 45 and 75:

    >>> from analysis.cohort import load_cohort
    >>> d = load_cohort().head(5).assign(age_years=[40, 50, 60, 70, 80])
    >>> row = table1_skewed(d).iloc[0]
    >>> row["characteristic"], row["mean ± SD"], row["median (IQR)"], row["min–max"]
    ('Age (years)', '60.0 ± 15.8', '60.0 (45.0–75.0)', '40.0–80.0')

    Table 1 prints the mean of the TACE-refractory sessions with two decimals:

    >>> d = d.assign(refractory_tace_sessions=[2, 3, 2, 3, 3])
    >>> table1_skewed(d).set_index("characteristic").loc["Number of TACE-refractory sessions", "mean ± SD"]
    '2.60 ± 0.5'

    The same five patients as a user's cohort: too few for a 5th–95th percentile or quartiles
    clear of the youngest and oldest patient, and the median, the third patient's age, moves
    half-way to a neighbour's:

    >>> table1_skewed(d, user=True).iloc[0][["median (IQR)", "5th–95th percentile"]].tolist()
    ['55.0 (hidden)', 'hidden']

    A CRP of 0.03 mg/L among larger values: the row takes two decimals, not "0.0":

    >>> d = d.assign(crp_mg_l=[0.03, 0.4, 0.9, 2.0, 14.0])
    >>> table1_skewed(d).set_index("characteristic").loc["CRP (mg/L)", "min–max"]
    '0.03–14.00'
    """
    rows = []
    is_user = user_cohort(cohort) if user is None else bool(user)

    class _Fmt:  # half-up rounding, as the rest of the book (and SPSS) display numbers
        places = decimals  # the row's decimals (set per variable below)

        def format(self, x, places=None):  # SD of one patient does not exist: say so
            places = self.places if places is None else places
            return rounded(float(x), places, thousands=True) if np.isfinite(x) else "not estimable"

    def printed_decimals(col, kind, row):  # the decimals Table 1 prints, or the row's
        entry_id = f"table1.{col}.{kind}"
        return published.entry(entry_id).decimals if entry_id in table1_ids else row

    table1_ids = set(published.ids("table1."))
    fmt = _Fmt()
    for col, label in _CONTINUOUS.items():
        if missing_columns(cohort, [col]):
            if col in _OPTIONAL_CONTINUOUS:
                continue  # an optional column the cohort does not have: no row
            raise KeyError(f"cohort: column {col!r} is missing")
        x = pd.to_numeric(cohort[col]).dropna().to_numpy(float)
        q1, med, q3 = np.percentile(x, [25, 50, 75], method="weibull")
        # one number of decimals per row, raised until no nonzero value shown prints as zero
        # (a CRP of 0.03 read "0.0"); on a user's cohort, judged on the values it may show
        if is_user:
            shown_values = [*shown_quartiles(x, decimals), *(central_range(x, decimals) or ())]
        else:
            shown_values = [q1, med, q3, *((x.min(), x.max()) if x.size else ())]
        fmt.places = row_decimals = nonzero_decimals(shown_values, decimals)
        mean = float(x.mean())
        sd = float(x.std(ddof=1)) if x.size > 1 else np.nan  # one patient: no SD
        # (a nonzero mean or SD never prints as zero either, at Table 1's decimals or more)
        mean_text = fmt.format(
            mean, nonzero_decimals([mean], printed_decimals(col, "mean", row_decimals))
        )
        sd_text = fmt.format(sd, nonzero_decimals([sd], printed_decimals(col, "sd", row_decimals)))
        if is_user:  # no single patient's value, no age of 90 or more
            shown = _user_shown(col == "age_years", fmt)
            q1, med, q3 = shown_quartiles(x, row_decimals)  # each nobody's value, as printed
            iqr = HIDDEN if q1 is None or q3 is None else bounds(shown(q1), shown(q3))
            mean_sd = HIDDEN if x.size < 3 else f"{shown(mean, mean_text)} ± {sd_text}"
            spread = central_range(x, row_decimals)  # never prints as one patient's value
            spread = HIDDEN if spread is None else bounds(*(shown(v) for v in spread))
            cells = {
                "mean ± SD": mean_sd,
                "median (IQR)": f"{shown(med)} ({iqr})",
                CENTRAL_RANGE_COLUMN: spread,
            }
        else:
            cells = {
                "mean ± SD": f"{mean_text} ± {sd_text}",
                "median (IQR)": f"{fmt.format(med)} ({fmt.format(q1)}–{fmt.format(q3)})",
                "min–max": f"{fmt.format(x.min())}–{fmt.format(x.max())}",
            }
        rows.append(
            {
                "characteristic": label,
                **cells,
                # on a user's cohort the shape of fewer than USER_SKEWNESS_MIN values is not
                # shown: with the mean and SD it gives three patients' values (the roots of a
                # cubic), and with the median four's
                "skewness": (
                    np.nan if is_user and x.size < USER_SKEWNESS_MIN else round(_skewness(x), 2)
                ),
                "mean_minus_2sd_below_0": bool(np.isfinite(sd) and mean - 2 * sd < 0 <= x.min()),
            }
        )
    return pd.DataFrame(rows)


#: the mark after a mean ± SD whose mean − 2 SD falls below zero (:func:`table1_skewed_shown`)
BELOW_ZERO_MARK = "†"


def table1_skewed_shown(skewed: pd.DataFrame) -> pd.DataFrame:
    """:func:`table1_skewed` as the book shows it (Table 4.2): four columns, which fit a phone.

    The range (``min–max``, or on a user's cohort the ``5th–95th percentile``) joins the median
    and its IQR in square brackets, "59.5 (53.0–70.0) [34.0–83.0]", in one column ``median (IQR)
    [min–max]``; a mean ± SD whose mean − 2 SD falls below zero (``mean_minus_2sd_below_0``)
    ends in :data:`BELOW_ZERO_MARK`, which the table's caption explains. As six columns, the
    table was 486 px wide on a 390 px phone (a 358 px column): each of the range, the median
    with its IQR and the yes/no column was 80-93 px. On a phone the median, its IQR and the range
    take a line each (``book/_ext/book_site.py``). ``skewness`` is text at two decimals in every
    row ("3.40", not 3.4; NaN, not shown, stays NaN); the CSV download keeps the other columns of
    ``skewed`` as they are, with this ``skewness``. A skewness a user's cohort hides, with the
    range beside it (fewer than :data:`USER_SKEWNESS_MIN` values), reads "hidden", as the range.

    Examples
    --------
    >>> skewed = pd.DataFrame({"characteristic": ["AST (U/L)"], "mean ± SD": ["72.6 ± 75.9"],
    ...     "median (IQR)": ["41.5 (28.0–84.3)"], "min–max": ["14.0–422.0"], "skewness": [2.5],
    ...     "mean_minus_2sd_below_0": [True]})
    >>> table1_skewed_shown(skewed).iloc[0].tolist()
    ['AST (U/L)', '72.6 ± 75.9†', '41.5 (28.0–84.3) [14.0–422.0]', '2.50']
    >>> list(table1_skewed_shown(skewed.rename(columns={"min–max": CENTRAL_RANGE_COLUMN})))
    ['characteristic', 'mean ± SD', 'median (IQR) [5th–95th percentile]', 'skewness']
    >>> few = skewed.rename(columns={"min–max": CENTRAL_RANGE_COLUMN})
    >>> table1_skewed_shown(few.assign(**{CENTRAL_RANGE_COLUMN: "hidden", "skewness": np.nan}))["skewness"].tolist()
    ['hidden']
    """
    spread = next(c for c in ("min–max", CENTRAL_RANGE_COLUMN) if c in skewed.columns)
    marks = skewed["mean_minus_2sd_below_0"].map(lambda below: BELOW_ZERO_MARK if below else "")
    return pd.DataFrame(
        {
            "characteristic": skewed["characteristic"],
            "mean ± SD": skewed["mean ± SD"] + marks,
            f"median (IQR) [{spread}]": skewed["median (IQR)"] + " [" + skewed[spread] + "]",
            # two decimals in every row (3.40, not 3.4); not estimable (NaN) stays NaN
            "skewness": skewed["skewness"].map(lambda v: v if pd.isna(v) else rounded(float(v), 2)),
        }
    ).assign(  # hidden with the range beside it on a small user's cohort: said, not a bare dash
        skewness=lambda t: t["skewness"].mask(
            t["skewness"].isna() & skewed[spread].eq(HIDDEN).to_numpy(), HIDDEN
        )
    )


def below_zero_rows(skewed: pd.DataFrame) -> pd.DataFrame:
    """How many means ± SD have a mean − 2 SD below zero: those the paper's Table 1 prints,
    counted from the printed means and SDs (``table1.<column>.mean`` and ``.sd`` in
    ``data/published/``), and the rows of :func:`table1_skewed` for the other variables (AFP and
    PIVKA-II, printed as median and range), counted from the cohort.

    Whether a printed mean − 2 SD is below zero follows from the printed mean and SD alone: the
    first row is the same on every cohort, whichever optional columns it has. For a mean ± SD the
    paper does not print, it rests on this cohort's distribution.

    Parameters
    ----------
    skewed : DataFrame
        :func:`table1_skewed`: columns ``characteristic`` and ``mean_minus_2sd_below_0`` (only
        its rows for variables without a printed mean ± SD are read).

    Returns
    -------
    DataFrame
        Index ``"printed by the paper"``, ``"not printed"``; columns ``variables`` (means ± SD
        Table 1 prints; rows of ``skewed`` without one), ``below zero`` (of them, mean − 2 SD <
        0) and ``names`` (those below zero, their characteristic without its unit, joined as
        prose).

    Examples
    --------
    Table 1 prints nine means ± SD, five of them with a mean − 2 SD below zero (AST 72.6 ±
    75.9: 72.6 − 151.8 < 0), whatever the cohort; AFP and PIVKA-II are the cohort's:

    >>> skewed = pd.DataFrame({
    ...     "characteristic": ["AST (U/L)", "Age (years)", "AFP (ng/mL)", "PIVKA-II (ng/mL)"],
    ...     "mean_minus_2sd_below_0": [False, False, True, False]})
    >>> rows = below_zero_rows(skewed)
    >>> rows[["variables", "below zero"]]
                          variables  below zero
    printed by the paper          9           5
    not printed                   2           1
    >>> rows["names"].tolist()
    ['AST, ALT, CRP, Tumour number and Number of prior TACE', 'AFP']
    """
    ids = set(published.ids("table1."))
    printed, flagged = [], []
    for col, label in _CONTINUOUS.items():  # Table 1's order
        if {f"table1.{col}.mean", f"table1.{col}.sd"} <= ids:
            printed.append(label)
            mean, sd = published.value(f"table1.{col}.mean"), published.value(f"table1.{col}.sd")
            if mean - 2 * sd < 0:
                flagged.append(label)
    others = skewed.loc[~skewed["characteristic"].isin(printed)]
    below = others["mean_minus_2sd_below_0"].astype(bool)

    def names(labels) -> str:
        return word_list(
            pd.Series(list(labels), dtype=object).str.replace(r" \(.*\)$", "", regex=True)
        )

    rows = {
        "printed by the paper": {
            "variables": len(printed),
            "below zero": len(flagged),
            "names": names(flagged),
        },
        "not printed": {
            "variables": len(others),
            "below zero": int(below.sum()),
            "names": names(others.loc[below, "characteristic"]),
        },
    }
    return pd.DataFrame.from_dict(rows, orient="index")


def _user_shown(is_age: bool, fmt):
    """How a user's cohort prints a summary value: "hidden" for None, ages top-coded at 90."""

    def shown(value, text=None):
        if value is None:
            return HIDDEN
        text = fmt.format(value) if text is None else text
        return top_code(value, text, AGE_TOP_CODE) if is_age else text

    return shown


# --------------------------------------------------------------------------------- Table 2
#: Terms whose printed HR only makes sense per unit of the raw variable although the label says
#: "> cut-off" ("implied" coding): ``{term: (column, cut-off, what one unit counts)}``, from the
#: model of the paper's terms (:data:`analysis.paper.PER_UNIT_TERMS`).
TABLE2_IMPLIED_TERMS = {
    t: (col, cut, paper.term(t).what) for t, (col, cut, _) in PER_UNIT_TERMS.items()
}

#: Fits :func:`table2_models` keeps, the most recently used, each by cohort content, coding, tie
#: rule and ``user``: chapter 7 asks for the same cohort's four fits twelve times.
_TABLE2_CACHE_SIZE = 16
_TABLE2_CACHE: OrderedDict = OrderedDict()
_TABLE2_CACHE_LOCK = threading.Lock()
_PLAIN = (str, int, float, bool, type(None))
#: Values of a cell whose ``repr`` is exact (besides :data:`_PLAIN`): NumPy scalars, dates.
_SCALARS = (*_PLAIN, np.generic, datetime.date, datetime.timedelta)


def _plain(value) -> bool:
    """Whether ``value`` is built of str, int, float, bool, None, lists, tuples and dicts only
    (so its ``repr`` says exactly what it holds)."""
    if isinstance(value, _PLAIN):
        return True
    if isinstance(value, list | tuple):
        return all(_plain(v) for v in value)
    if isinstance(value, dict):
        return all(_plain(k) and _plain(v) for k, v in value.items())
    return False


def _frame_digest(frame: pd.DataFrame) -> str | None:
    """A digest of a frame's content: its length, column names in order, dtypes, index, every
    value (with its type) and ``attrs``. Numeric, boolean and date columns enter by their
    bytes, any other column by each value's type and ``repr``; ``None`` (not to be cached) when
    a label, an attr or such a value is of a type whose ``repr`` might not say all it holds.
    Two frames with the same digest hold the same values of the same types.

    >>> from analysis.cohort import load_cohort
    >>> a, b = load_cohort(), load_cohort()
    >>> _frame_digest(a) == _frame_digest(b.copy())
    True
    >>> b.loc[0, "age_years"] += 1
    >>> _frame_digest(a) == _frame_digest(b)
    False
    >>> _frame_digest(a.assign(note=[{"x"}] * len(a))) is None
    True
    """
    if not (_plain(frame.attrs) and _plain(list(frame.columns))):
        return None
    h = hashlib.sha256()
    head = (len(frame), list(frame.columns), [str(t) for t in frame.dtypes], frame.attrs)
    h.update(repr(head).encode())
    arrays = (frame.iloc[:, k].to_numpy() for k in range(frame.shape[1]))
    for values in (frame.index.to_numpy(), *arrays):
        h.update(b"\x00" + str(values.dtype).encode() + b"\x00")
        if values.dtype.kind in "biufcmM":
            h.update(np.ascontiguousarray(values).tobytes())
            continue
        if not all(isinstance(v, _SCALARS) or v is pd.NA or v is pd.NaT for v in values):
            return None
        h.update("\x1f".join(f"{type(v).__qualname__}:{v!r}" for v in values).encode())
    return h.hexdigest()


def table2_models(
    cohort: pd.DataFrame,
    coding: str = "implied",
    *,
    ties: str = "breslow",
    user: bool | None = None,
) -> dict:
    """Fit Table 2's univariate and multivariable Cox models on ``cohort``.

    Parameters
    ----------
    coding : {"implied", "stated"}
        ``"implied"``: AST, CRP, tumour number and prior TACE enter per unit (U/L, mg/L, lesion,
        session), the coding the paper's hazard ratios imply (1.011 per U/L is plausible; 1.011
        for AST > 40 vs ≤ 40 is not). ``"stated"``: they enter as the binary splits the table's
        labels state (> 40 U/L, > 3 mg/L, > 4 lesions, > 4 sessions). Both codings enter albumin
        as ≤ 3 vs > 3 g/dL, Child-Pugh score as dummies against score 5, PVTT as Vp1–2 and Vp3–4
        against Vp0, BCLC stage as one ordinal term (per stage; B vs C here).
    ties : {"breslow", "efron"}
        How tied death times enter the partial likelihood. ``"breslow"`` (default) is SPSS's
        ``COXREG`` rule, the one the paper's Table 2 was computed with and the one the synthetic
        cohort is calibrated under; ``"efron"`` is the default of R ``coxph`` and lifelines, for
        a side-by-side view. Anything else raises a :class:`ValueError`.
    user : bool, optional
        A user's cohort (default ``cohort.attrs["user_cohort"]``): see ``hidden``.

    Returns
    -------
    dict
        ``univariate`` and ``multivariate``: :func:`analysis.survival.cox_table` results indexed by
        the paper's term ids (ties as ``ties``, Wald CIs and P; ``.attrs["ties"]`` says which);
        ``design``: the design frame; ``terms``, ``n_parameters`` and ``events`` of the
        multivariable model: the terms it estimates on this cohort (a Child-Pugh score nobody has
        has no dummy, and a term that does not vary is left out, so a cohort can have fewer than
        the paper's 11), their number, and the deaths;
        ``reasons``: ``{term or "multivariate": why}`` for what could not be estimated on this
        cohort (optional column absent, a term that does not vary, no events, no convergence --
        see :func:`analysis.survival.try_cox_table`); those terms are absent from the tables
        and the multivariable table is empty when that model cannot be fitted. ``hidden``: on a
        user's cohort, the terms whose row compares a group of 1 to 4 patients
        (:func:`table2_hidden_terms`); they stay in the models, but no table or figure shows
        their hazard ratio, interval or P (:data:`analysis.privacy.NOT_SHOWN_SMALL_GROUP`).
        Empty on the book's cohort. The fits are kept by the cohort's content (its values,
        types, index and ``attrs``), so a second call on the same cohort is not fitted again;
        every call returns a copy of its own, free to change.

    Examples
    --------
    >>> from analysis.cohort import load_cohort
    >>> models = table2_models(load_cohort())
    >>> sorted(models)
    ['design', 'events', 'hidden', 'multivariate', 'n_parameters', 'reasons', 'terms', 'univariate']
    >>> models["univariate"].columns.tolist()
    ['coef', 'se', 'hr', 'lower', 'upper', 'z', 'p']
    >>> models["n_parameters"], models["reasons"], models["univariate"].attrs["ties"]
    (11, {}, 'breslow')
    >>> try:
    ...     table2_models(load_cohort(), ties="exact")
    ... except ValueError as error:
    ...     print(error)
    ties: expected 'breslow' (SPSS) or 'efron' (R, lifelines), got 'exact'
    """
    if ties not in ("breslow", "efron"):
        raise ValueError(f"ties: expected 'breslow' (SPSS) or 'efron' (R, lifelines), got {ties!r}")
    # a pure function of the cohort's content: fitted once per cohort, coding, ties and user
    # (:data:`_TABLE2_CACHE_SIZE` cohorts kept); each caller gets a copy of its own
    digest = _frame_digest(cohort)
    if digest is None:
        return _table2_models(cohort, coding, ties, user)
    key = (digest, coding, ties, user)
    with _TABLE2_CACHE_LOCK:
        hit = _TABLE2_CACHE.get(key)
        if hit is not None:
            _TABLE2_CACHE.move_to_end(key)
            return copy.deepcopy(hit)
    fitted = _table2_models(cohort, coding, ties, user)
    with _TABLE2_CACHE_LOCK:
        _TABLE2_CACHE[key] = copy.deepcopy(fitted)
        while len(_TABLE2_CACHE) > _TABLE2_CACHE_SIZE:
            _TABLE2_CACHE.popitem(last=False)
    return fitted


def _table2_models(cohort: pd.DataFrame, coding: str, ties: str, user: bool | None) -> dict:
    """:func:`table2_models` fitted anew."""
    d = design_matrix(cohort, coding)
    reasons: dict[str, str] = {}
    empty = _empty_group_reasons(cohort, coding)  # a row comparing nobody: why, in words
    uni = []
    for _, terms, _ in UNIVARIATE_GROUPS:
        cols = [t for t, _ in terms if t in d.columns]
        if terms[0][0].startswith("child_pugh"):
            cols = [c for c in d.columns if c.startswith("child_pugh_")]
        for term, _ in terms:
            if term not in d.columns and not term.startswith("child_pugh"):
                reasons[term] = "optional column not in this cohort"
            elif term not in d.columns:  # a score nobody has: no dummy, so no row of its own
                reasons[term] = "nobody in this cohort has this score"
        if not cols:
            continue
        tab, why = try_cox_table(d, "os_months", "os_event", cols, ties=ties)
        if tab is None:
            for term in cols:
                reasons.setdefault(term, empty.get(term) or _reader_reason(why, coding))
            continue
        uni.append(tab)
    univariate = pd.concat(uni) if uni else _empty_cox()
    univariate.attrs["ties"] = ties
    multi_cols = [c for c in d.columns if c.startswith("child_pugh_")] + [
        t for t in MULTIVARIABLE_TERMS if not t.startswith("child_pugh")
    ]
    constant = [t for t in multi_cols if t in d.columns and d[t].nunique(dropna=True) < 2]
    for term in constant:
        said = empty.get(term) or "does not vary in this cohort"
        reasons[term] = f"{said}; left out of the multivariable model"
    fitted_cols = [t for t in multi_cols if t in d.columns and t not in constant]
    multivariate, why = try_cox_table(d, "os_months", "os_event", fitted_cols, ties=ties)
    if multivariate is None:
        reasons["multivariate"] = _reader_reason(why, coding)
        multivariate = _empty_cox()
        multivariate.attrs["events"] = int(pd.to_numeric(d["os_event"]).sum())
        multivariate.attrs["ties"] = ties
    # why a term has no estimate, for a page that prints one alone (term_hazard_ratio)
    multivariate.attrs["reason"] = reasons.get("multivariate", "")
    multivariate.attrs["dropped"] = {t: reasons[t] for t in constant}
    return {
        "univariate": univariate,
        "multivariate": multivariate,
        "design": d,
        # the parameters the model estimates, not those it was meant to have: a constant term is
        # left out (chapter 7's "9 parameters" beside its table of 8 on a cohort where everybody
        # had additional TACE)
        "terms": list(fitted_cols),
        "n_parameters": len(fitted_cols),
        "events": multivariate.attrs["events"],
        "reasons": reasons,
        "hidden": table2_hidden_terms(cohort, coding, user=user),
    }


def _empty_group_reasons(cohort: pd.DataFrame, coding: str = "implied") -> dict[str, str]:
    """Why a 0/1 or category row of Table 2 has no estimate when one of the two groups it
    compares has nobody in ``cohort`` (:func:`_group_levels`), in a reader's words: ``{term:
    reason}``. A Child-Pugh score nobody has has no row of its own (:func:`table2_models` says
    "nobody in this cohort has this score").

    >>> from analysis.cohort import load_cohort
    >>> _empty_group_reasons(load_cohort())
    {}
    >>> _empty_group_reasons(load_cohort().assign(additional_tace=0))["additional_tace"]
    'nobody in this cohort is in its group (yes)'
    """
    out = {}
    for levels, terms in _group_levels(cohort, coding).values():
        for term, (mine, ref) in terms.items():
            if ref is None:
                continue  # a reference row: printed 1, no estimate
            if not any(int(levels[level].sum()) for level in mine):
                out[term] = f"nobody in this cohort is in its group ({', '.join(map(str, mine))})"
            elif not int(levels[ref].sum()):
                out[term] = f"nobody in this cohort is in its reference group ({ref})"
    return out


def _reader_reason(why: str, coding: str = "implied") -> str:
    """:func:`~analysis.survival.try_cox_table`'s reason as a chapter's note prints it, after the
    term's label: without term codes ("term(s) ['sex_female'] do not vary in this cohort" reads
    "does not vary in this cohort"; "the estimate for bclc_stage runs off …", "the estimate for
    BCLC stage runs off …").

    >>> _reader_reason("term(s) ['pvtt_vp1_2', 'pvtt_vp3_4'] do not vary in this cohort")
    'does not vary in this cohort'
    >>> _reader_reason("the estimate for bclc_stage runs off to infinity")
    'the estimate for BCLC stage runs off to infinity'
    >>> _reader_reason("the estimate for ast_gt40 runs off"), _reader_reason("ast_gt40", "stated")
    ('the estimate for AST (U/L), per U/L runs off', 'AST > 40 U/L')
    """
    if "do not vary" in why:
        return "does not vary in this cohort"
    if coding != "implied":
        return relabel(why)
    # the implied coding fits AST, CRP, tumour number and prior TACE per unit: never "> 40"
    return re.sub(
        r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b",
        lambda m: (
            paper.fitted_label(m.group(0)) if m.group(0) in PER_UNIT_TERMS else relabel(m.group(0))
        ),
        why,
    )


def table2_hr_text(fits: dict, term: str, decimals: int, model: str = "univariate") -> str:
    """The hazard ratio of one term of :func:`table2_models` as a chapter prints it alone: the
    number at ``decimals``, "not estimable" where the cohort gives none (e.g. every death at
    one time: nobody to compare), or :data:`analysis.privacy.NOT_SHOWN_SMALL_GROUP` where the
    term compares a group of 1 to 4 patients of a user's cohort (``fits["hidden"]``).

    Parameters
    ----------
    fits : dict
        :func:`table2_models`'s result.
    term : str
        A Table 2 term id (``"ast_gt40"``).
    decimals : int
        Decimals of the ratio.
    model : {"univariate", "multivariate"}
        Which of the two tables of ``fits``.

    Examples
    --------
    >>> from analysis.cohort import load_cohort
    >>> stated = table2_models(load_cohort(), "stated")
    >>> table2_hr_text(stated, "ast_gt40", 2), table2_hr_text(stated, "no_such_term", 2)
    ('0.63', 'not estimable')
    >>> table2_hr_text(table2_models(load_cohort(), "stated", user=True), "child_pugh_8", 2)
    'not shown (fewer than 5 patients)'
    """
    fit = fits[model]
    if term not in fit.index:
        return "not estimable"
    if term in fits.get("hidden", ()):
        return NOT_SHOWN_SMALL_GROUP
    return number(fit.loc[term, "hr"], decimals, missing="not estimable")


def table2_hidden_terms(
    cohort: pd.DataFrame, coding: str = "implied", *, user: bool | None = None
) -> list[str]:
    """The Table 2 terms (``coding`` as :func:`table2_models`) whose hazard ratio, interval and P
    a user's cohort does not show: those whose row compares a group of 1 to 4 patients, as
    the term's group or its reference group (BCLC stage: any stage), as chapter 6 shows no
    median or log-rank P of such a group (:func:`analysis.privacy.small_groups`). Rows entered
    per unit compare no groups; an empty group leaves a term not estimable, not hidden. The
    patients are those with a survival time and status, as :func:`table2_group_counts` counts.

    Parameters
    ----------
    user : bool, optional
        A user's cohort; default ``cohort.attrs["user_cohort"]``. The book's cohort hides
        nothing.

    Examples
    --------
    The book's cohort has 3 patients with a Child-Pugh score of 8 and 5 with a score of 5 (the
    reference group):

    >>> from analysis.cohort import load_cohort
    >>> table2_hidden_terms(load_cohort()), table2_hidden_terms(load_cohort(), user=True)
    ([], ['child_pugh_8'])
    """
    is_user = user_cohort(cohort) if user is None else bool(user)
    if not is_user:
        return []
    hidden = []
    for levels, terms in _group_levels(cohort, coding).values():
        for term, (mine, ref) in terms.items():
            if ref is None and len(mine) == 1:
                continue  # a reference row: printed 1, no estimate
            sizes = {level: int(levels[level].sum()) for level in [*mine, *([ref] if ref else [])]}
            if small_groups(sizes, user=True):
                hidden.append(term)
    return hidden


def table2_deaths(models: dict, cohort: pd.DataFrame, *, user: bool | None = None) -> str:
    """The deaths of Table 2's multivariable model as a page may print them.

    On the book's cohort, the number. On a user's cohort (``user``, default
    ``cohort.attrs["user_cohort"]``: :func:`analysis.verdicts.is_user_cohort`) 1–4 deaths read
    "<5", and "hidden" when all but 1–4 of the patients died (the cohort's size minus the deaths
    would give those back): :func:`analysis.privacy.glued_counts`.

    Parameters
    ----------
    models : dict
        :func:`table2_models` (its ``events``).
    cohort : pandas.DataFrame
        The cohort the models were fitted on (its size and ``attrs``).
    user : bool, optional
        Whether it is a user's cohort; default read from ``cohort``.

    Returns
    -------
    str

    Examples
    --------
    >>> cohort = pd.DataFrame({"os_event": [1] * 80 + [0] * 2})
    >>> models = {"events": 80, "n_parameters": 11}
    >>> table2_deaths(models, cohort), table2_deaths(models, cohort, user=True)
    ('80', 'hidden')
    >>> table2_deaths({"events": 3}, cohort, user=True)
    '<5'
    """
    user = is_user_cohort(cohort) if user is None else bool(user)
    counts = {"deaths": int(models["events"])}
    return glued_counts(counts, user=user, out_of=len(cohort))["deaths"]


def survival_counts(events, *, event: str = "events", user: bool = False) -> dict[str, str]:
    """The patients of a survival analysis, its events and the censored, as a page may print them.

    On the book's cohort, the numbers. On a user's cohort (``user``) a count of 1–4 reads "<5",
    and the events or the censored read "hidden" when the other is 1–4 (the patients minus one
    would give the other back): :func:`analysis.privacy.glued_counts`.

    Parameters
    ----------
    events : array-like of 0 and 1
        One per patient: 1 for an event (a death, a progression), 0 for a censored time.
    event : str, default "events"
        What an event is called: the key of its count (``"deaths"``).
    user : bool, default False
        Whether it is a user's cohort.

    Returns
    -------
    dict
        ``"patients"``, ``event`` and ``"censored"`` to their text, in that order.

    Examples
    --------
    >>> survival_counts([1] * 68 + [0] * 14, event="deaths")
    {'patients': '82', 'deaths': '68', 'censored': '14'}
    >>> survival_counts([1] * 80 + [0] * 2, event="deaths", user=True)
    {'patients': '82', 'deaths': 'hidden', 'censored': '<5'}
    """
    flags = np.asarray(events, dtype=float)
    n_events = int((flags == 1).sum())
    counts = {"patients": len(flags), event: n_events, "censored": len(flags) - n_events}
    return glued_counts(counts, user=user, groups=[[event, "censored"]])


def table2_events_per_parameter(
    models: dict, cohort: pd.DataFrame, n_parameters: int | None = None, *, user: bool | None = None
) -> str:
    """Events per parameter of Table 2's multivariable model, to one decimal, as a page may
    print it: "not shown" where :func:`table2_deaths` hides the deaths (the ratio times the
    parameters would give them back), "not estimable" with no parameter.

    Parameters
    ----------
    models : dict
        :func:`table2_models` (its ``events`` and ``n_parameters``).
    cohort : pandas.DataFrame
        The cohort the models were fitted on.
    n_parameters : int, optional
        Another number of parameters (a smaller model); default ``models["n_parameters"]``.
    user : bool, optional
        Whether it is a user's cohort; default read from ``cohort``.

    Returns
    -------
    str

    Examples
    --------
    >>> cohort = pd.DataFrame({"os_event": [1] * 80 + [0] * 2})
    >>> models = {"events": 80, "n_parameters": 11}
    >>> table2_events_per_parameter(models, cohort), table2_events_per_parameter(models, cohort, 7)
    ('7.3', '11.4')
    >>> table2_events_per_parameter(models, cohort, user=True)
    'not shown'
    >>> table2_events_per_parameter(models, cohort, 0)
    'not estimable'
    """
    n = models["n_parameters"] if n_parameters is None else int(n_parameters)
    if n <= 0:
        return "not estimable"
    if count_value(table2_deaths(models, cohort, user=user)) is None:
        return "not shown"
    return number(events_per_variable(int(models["events"]), n), 1)


def _empty_cox() -> pd.DataFrame:
    cols = ["coef", "se", "hr", "lower", "upper", "z", "p"]
    return pd.DataFrame(columns=cols, index=pd.Index([], name="term"), dtype=float)


def _parts_differ(parts: list[str]) -> str:
    if len(parts) == 1:
        return f"{parts[0]} differs"
    return ", ".join(parts[:-1]) + f" and {parts[-1]} differ"


#: :func:`table2`'s ``reason`` as data: ``differing`` (the cells that differ at the printed
#: decimals: ``"hr"``, ``"interval"``, ``"p"``), ``remark`` (what the coding does, or why there is
#: no estimate) and ``why`` (the fit's reason where the term cannot be estimated).
TABLE2_FIELDS = ("differing", "remark", "why")

#: How :func:`table2`'s reasons name the cells of a row.
_TABLE2_CELL_WORDS = {"hr": "HR", "interval": "CI", "p": "P"}


def differing_cells_text(cells) -> str:
    """:func:`table2`'s ``differing`` cells in the words of its ``reason`` ("" for none).

    Examples
    --------
    >>> differing_cells_text(("hr", "interval")), differing_cells_text(("p",))
    ('HR and CI differ at the printed decimals', 'P differs at the printed decimals')
    """
    if not cells:
        return ""
    return _parts_differ([_TABLE2_CELL_WORDS[c] for c in cells]) + " at the printed decimals"


def _hr_text(hr, lo, hi, p_text) -> str:
    return f"{hr} ({lo}), P {p_text}" if lo else f"{hr}, P {p_text}"


def table2(
    cohort: pd.DataFrame,
    coding: str = "implied",
    *,
    user: bool | None = None,
    ties: str = "breslow",
) -> pd.DataFrame:
    """Table 2 (Cox regression of overall survival), published beside reproduced, row by row.

    One row per term and model (univariate, multivariable) that the paper prints, including the
    reference rows (printed "1"), except, under the implied coding, those of the four factors it
    enters per unit (:data:`TABLE2_IMPLIED_TERMS`): a continuous term has no reference group. ``published`` and ``reproduced`` read ``HR (95% CI), P`` at the
    paper's decimals; ``verdict`` is "agrees" only when HR, both bounds and P all agree after
    half-up rounding, and empty on a reference row (it carries no estimate, so nothing to agree
    with); ``reason`` names the parts that differ and, for the four terms whose coding
    is in question, what the coding does. See :func:`table2_models` for the models, fitted with
    ``ties`` (default ``"breslow"``, SPSS's rule, which the paper used; ``"efron"`` gives R's and
    lifelines' view).

    Returns
    -------
    DataFrame
        ``variable``, ``term``, ``model``, ``coding``, ``published``, ``reproduced``, ``verdict``,
        ``reason``, then the same as data (:data:`TABLE2_FIELDS`), which a chapter reads. ``.attrs`` holds ``n_parameters``, ``events``, ``coding`` and ``ties``. A term that
        cannot be estimated on the cohort reads "–" with the reason. On a user's cohort
        (``user``, default ``cohort.attrs["user_cohort"]``) the table is relabelled by
        :func:`label_for_cohort`, and a term whose row compares a group of 1 to 4 patients
        (:func:`table2_hidden_terms`) reads :data:`analysis.privacy.NOT_SHOWN_SMALL_GROUP`.

    Examples
    --------
    >>> from analysis.cohort import load_cohort
    >>> t2 = table2(load_cohort())
    >>> t2.columns.tolist()  # doctest: +NORMALIZE_WHITESPACE
    ['variable', 'term', 'model', 'coding', 'published', 'reproduced', 'verdict', 'reason',
     'differing', 'remark', 'why']
    >>> t2.loc[0, ["term", "model", "published"]].tolist()
    ['age_years', 'univariate', '0.996 (0.975–1.017), P 0.70']
    >>> crp = t2[t2["term"] == "crp_gt3"].iloc[0]  # univariate, per mg/dL
    >>> crp["differing"], crp["remark"]
    (('p',), 'coded per unit as the printed HR implies, not as the label states')
    >>> t2.attrs["n_parameters"], t2.attrs["coding"]
    (11, 'implied')
    """
    fits = table2_models(cohort, coding, ties=ties)
    is_user = user_cohort(cohort) if user is None else bool(user)
    hidden = table2_hidden_terms(cohort, coding, user=is_user)
    all_ids = set(published.ids("table2."))
    empty = _empty_reference_terms(cohort, coding)
    rows = []
    for variable, terms, ref in UNIVARIATE_GROUPS:
        if coding == "implied" and all(term in TABLE2_IMPLIED_TERMS for term, _ in terms):
            ref = None  # entered per unit: a continuous term has no reference group
        if ref is not None and f"table2.{ref}.uni.hr" in all_ids:
            rows.append(_reference_row(variable, ref, "univariate", ref in empty))
        if ref is not None and f"table2.{ref}.multi.hr" in all_ids:
            rows.append(_reference_row(variable, ref, "multivariable", ref in empty))
        for term, label in terms:
            for model, key in (("univariate", "uni"), ("multivariable", "multi")):
                if f"table2.{term}.{key}.hr" not in all_ids:
                    continue
                fit = fits["univariate" if key == "uni" else "multivariate"]
                why = fits["reasons"].get(term if key == "uni" else "multivariate")
                if key == "multi" and term not in fit.index and term in fits["reasons"]:
                    why = fits["reasons"][term]
                row = _term_row(variable, term, label, model, key, fit, coding, why)
                if term in hidden and term in fit.index:  # a user's group of 1-4
                    row.update(reproduced=NOT_SHOWN_SMALL_GROUP, reason="", differing=(), remark="")
                rows.append(row)
    out = pd.DataFrame(
        rows,
        columns=[
            "variable",
            "term",
            "model",
            "coding",
            "published",
            "reproduced",
            "verdict",
            "reason",
            *TABLE2_FIELDS,
        ],
    )
    out.attrs.update(
        {
            "n_parameters": fits["n_parameters"],
            "events": fits["events"],
            "coding": coding,
            "ties": ties,
        }
    )
    return label_for_cohort(out, is_user)


def coding_comparison(cohort: pd.DataFrame, *, ties: str = "breslow") -> pd.DataFrame:
    """The four factors whose coding is in question (:data:`TABLE2_IMPLIED_TERMS`): the paper's
    hazard ratio beside this cohort's under the implied (per unit) and the stated (cut-off)
    coding, with the verdict of each coding's Table 2 row (chapter 7, Table 7.1).

    A verdict is that of the whole row of :func:`table2` (HR, interval and P against the
    paper's), not of the HR shown: a ✗ may be about the interval or P, which ``reason`` names.

    Parameters
    ----------
    cohort : DataFrame
        A derived cohort (:func:`analysis.cohort.derive`).
    ties : {"breslow", "efron"}
        The rule for tied death times (:func:`table2_models`).

    Returns
    -------
    DataFrame
        One row per factor and model (univariate, multivariable): ``term`` (the Table 2 id),
        ``variable`` (what one unit counts, capitalised: "AST (U/L)"), ``model``
        ("univariate" or "multivariable"), ``published`` (the paper's HR as printed), and for
        each coding (``implied``, ``stated``) the HR with its 95% interval at three decimals
        (:func:`analysis.formatting.term_hazard_ratio`), or "not estimable" where the fit
        failed, with the fit's reason in ``<coding> why`` (empty otherwise: "not in the model"
        said of a model that could not be fitted, or of a univariate model, read wrong), and the
        row's ``<coding> verdict``,
        ``<coding> reason`` (on a user's cohort "not scored (your cohort)", no reason) and
        ``<coding> differing`` (:func:`table2`'s ``differing``). On a
        user's cohort a split that leaves 1 to 4 patients on one side (stated coding) reads
        :data:`analysis.privacy.NOT_SHOWN_SMALL_GROUP` (:func:`table2_hidden_terms`).

    Examples
    --------
    >>> from analysis.cohort import derive, load_cohort
    >>> codings = coding_comparison(derive(load_cohort()))
    >>> codings.columns.tolist()
    ['term', 'variable', 'model', 'published', 'implied', 'implied why', 'implied verdict', \
'implied reason', 'implied differing', 'stated', 'stated why', 'stated verdict', 'stated reason', \
'stated differing']
    >>> codings.loc[0, ["variable", "model", "published", "implied"]].tolist()
    ['AST (U/L)', 'univariate', '1.011', '1.011 (1.005–1.017)']
    """
    fits = {coding: table2_models(cohort, coding, ties=ties) for coding in ("implied", "stated")}
    rows_by_coding = {
        coding: table2(cohort, coding, ties=ties).set_index(["term", "model"]) for coding in fits
    }
    rows = []
    for term, (_column, _cut, what) in TABLE2_IMPLIED_TERMS.items():
        for model, key in (("univariate", "uni"), ("multivariable", "multi")):
            row = {
                "term": term,
                "variable": what[:1].upper() + what[1:],
                "model": model,
                "published": published.entry(f"table2.{term}.{key}.hr").text,
            }
            for coding, models in fits.items():
                fit = models["univariate" if key == "uni" else "multivariate"]
                scored = rows_by_coding[coding].loc[(term, model)]
                row[coding] = term_hazard_ratio(fit, term, 3)
                row[f"{coding} why"] = ""
                if term not in fit.index:  # why, once: the model's own reason when it failed
                    why = models["reasons"].get(term)
                    if key == "multi":  # the model failed, or fitted without the term
                        why = models["reasons"].get("multivariate") or why
                    if why:
                        row[coding], row[f"{coding} why"] = "not estimable", why
                if term in models["hidden"] and term in fit.index:  # a user's group of 1-4
                    row[coding] = NOT_SHOWN_SMALL_GROUP
                row[f"{coding} verdict"] = str(scored["verdict"])
                row[f"{coding} reason"] = str(scored["reason"] or "")
                row[f"{coding} differing"] = tuple(scored["differing"])
            rows.append(row)
    return pd.DataFrame(rows)


def multivariable_sides(cohort: pd.DataFrame) -> dict:
    """On which side of 1 this cohort's multivariable hazard ratios (implied coding, Breslow
    ties) lie against the paper's: ``rows`` (the model's terms), ``same`` (on the same side of 1
    as the printed HR), ``other`` (terms on the other side) and ``printed_one`` (terms whose
    printed HR is 1, on neither side). A term the cohort cannot estimate is in none of the three
    lists. What :func:`analysis.calibration.rows_agreeing` counts is another thing: HR inside
    the printed interval and P on the printed side of 0.05, which a ratio of 0.75 against a
    printed 1.07 (0.17–6.72) satisfies.

    Examples
    --------
    >>> from analysis.cohort import load_cohort
    >>> sides = multivariable_sides(load_cohort())
    >>> sides["rows"], sides["same"], sides["other"], sides["printed_one"]
    (11, 8, ['child_pugh_7', 'child_pugh_8'], ['afp_ng_ml'])
    """
    fit = table2_models(cohort, "implied")["multivariate"]
    out: dict = {"rows": len(paper.MULTIVARIABLE_TERMS), "same": 0, "other": [], "printed_one": []}
    for term in paper.MULTIVARIABLE_TERMS:
        printed = float(published.value(f"table2.{term}.multi.hr"))
        if printed == 1.0:
            out["printed_one"].append(term)
        elif term in fit.index and math.isfinite(fit.loc[term, "hr"]):
            if (fit.loc[term, "hr"] > 1.0) == (printed > 1.0):
                out["same"] += 1
            else:
                out["other"].append(term)
    return out


#: Table 1's count rows (:func:`table1`'s labels) each Table 2 group count equals or adds up to,
#: by factor: ``{factor: {Table 1 label: [levels of the factor]}}`` (a Table 1 row that is one
#: level is a list of one); PVTT's Table 2 groups are sums of Table 1 rows (below).
_TABLE1_LINKS = {
    "sex": {"Sex: female": ["female"], "Sex: male": ["male"]},
    "child_pugh": {
        "Child-Pugh class A": [5, 6], "Child-Pugh class B": [7, 8, 9],
        "Child-Pugh class C": list(range(10, 16)),
    },
    "bclc_stage": {f"BCLC stage {s}": [s] for s in "ABC"},
    "pvtt": {"PVTT Vp0": ["Vp0"]},
    "additional_tace": {"Additional TACE during HAIC": ["yes"]},
}  # fmt: skip
#: PVTT's Table 2 groups, each the sum of two Table 1 rows.
_PVTT_SUMS = {"Vp1–2": ("PVTT Vp1", "PVTT Vp2"), "Vp3–4": ("PVTT Vp3", "PVTT Vp4")}


def _group_levels(cohort: pd.DataFrame, coding: str) -> dict:
    """``{factor: ({level: mask}, {term id: (group levels, reference level or None)})}`` for
    every 0/1 or category row of Table 2 under ``coding``; a mask is over the patients with a
    survival time and status."""
    c = cohort
    known = pd.to_numeric(c["os_months"]).notna() & pd.to_numeric(c["os_event"]).notna()
    out: dict = {}
    if "sex" in c.columns:
        sex = c["sex"].astype(str)
        out["sex"] = (
            {"female": known & (sex == "F"), "male": known & (sex == "M")},
            {"sex_female": (["female"], "male"), "sex_male": (["male"], None)},
        )
    if "child_pugh_score" in c.columns:
        score = pd.to_numeric(c["child_pugh_score"])
        scores = sorted({5} | set(score.dropna().astype(int)))
        terms = {f"child_pugh_{k}": ([k], 5) for k in scores if k != 5}
        out["child_pugh"] = (
            {k: known & (score == k) for k in scores},
            terms | {"child_pugh_5": ([5], None)},
        )
    if "bclc_stage" in c.columns:
        stage = c["bclc_stage"].astype(str)
        stages = [s for s in paper.BCLC_ORDER if (stage == s).any()]
        out["bclc_stage"] = (
            {s: known & (stage == s) for s in stages},
            {"bclc_stage": (stages, None)},
        )
    if "pvtt" in c.columns:
        pvtt = c["pvtt"].astype(str)
        out["pvtt"] = (
            {
                "Vp0": known & (pvtt == "Vp0"),
                "Vp1–2": known & pvtt.isin(["Vp1", "Vp2"]),
                "Vp3–4": known & pvtt.isin(["Vp3", "Vp4"]),
            },
            {
                "pvtt_vp1_2": (["Vp1–2"], "Vp0"),
                "pvtt_vp3_4": (["Vp3–4"], "Vp0"),
                "pvtt_vp0": (["Vp0"], None),
            },
        )
    binary = [
        t for t in paper.TERMS
        if t.stated == "binary" and (coding == "stated" or t.implied == "binary")
        and t.id != "sex_female" and t.column in c.columns
    ]  # fmt: skip
    d = design_matrix(c, coding, terms=[t.id for t in binary])
    for t in binary:
        x = d[t.id]
        terms = {t.id: (["yes"], "no")}
        if t.reference is not None:
            terms[t.reference] = (["no"], None)
        out[t.id] = ({"yes": known & (x == 1), "no": known & (x == 0)}, terms)
    return out


def table2_group_counts(
    cohort: pd.DataFrame,
    coding: str = "implied",
    *,
    user: bool | None = None,
    min_cell_count: int | None = None,
) -> dict[str, str]:
    """Patients and deaths in the groups each 0/1 or category row of Table 2 compares, as
    "patients (deaths)": the size behind a hazard ratio, which a reader cannot see from it.

    A row against its reference reads ``"69 (55) vs 5 (5)"`` (its group, then the reference
    group); a reference row (printed 1) its own group, ``"5 (5)"``; BCLC stage, one term per
    stage, each stage the cohort has, ``"B 49 (42), C 33 (26)"``. Rows entered per unit (age,
    AFP, ...; AST, CRP, tumour number and prior TACE under the ``"implied"`` coding) compare no
    groups and have no entry. Patients without a survival time or status are not counted.

    On a user's cohort (``user``, default ``cohort.attrs["user_cohort"]``) a count of 1 to
    ``min_cell_count`` − 1 reads ``"<5"`` and counts that would give a hidden one back read
    "hidden" (:func:`analysis.privacy.hidden_counts`): a factor's groups add up to N, their
    deaths to the deaths of the cohort, a group's deaths and survivors to its patients; and
    Table 1 (:func:`table1`, chapter 4) shows counts of the same patients, so a group that
    equals or sums Table 1 rows (sex, Child-Pugh class, BCLC stage, PVTT Vp0 to Vp4,
    additional TACE) is hidden where Table 1's hidden and shown rows would give it, or it them,
    back.

    Parameters
    ----------
    coding : {"implied", "stated"}
        As :func:`table2_models`; the stated coding adds AST > 40, CRP > 3, more than four
        tumours and more than four prior TACE sessions.
    user : bool, optional
        Hide small counts as on a user's cohort.
    min_cell_count : int, optional
        Smallest count shown (default :data:`analysis.privacy.SMALL_COUNT_THRESHOLD`).

    Returns
    -------
    dict
        Term id (Table 2's, reference rows included) to its text.

    Examples
    --------
    >>> from analysis.cohort import load_cohort
    >>> counts = table2_group_counts(load_cohort())
    >>> counts["child_pugh_6"], counts["child_pugh_5"], counts["bclc_stage"]
    ('69 (55) vs 5 (5)', '5 (5)', 'B 49 (42), C 33 (26)')
    >>> "ast_gt40" in counts, table2_group_counts(load_cohort(), "stated")["ast_le40"]
    (False, '33 (31)')

    Eight patients, three women (two dead): on a user's cohort the women's counts read "<5",
    and the men's patients too, as N minus them would give the women back:

    >>> c = load_cohort().head(8).assign(os_event=[1, 1, 0, 1, 1, 1, 0, 0], sex=list("FFFMMMMM"))
    >>> table2_group_counts(c, user=False)["sex_female"]
    '3 (2) vs 5 (3)'
    >>> table2_group_counts(c, user=True)["sex_female"]
    '<5 (<5) vs hidden (<5)'
    """
    if coding not in paper.CODINGS:
        raise ValueError(f"coding: expected 'implied' or 'stated', got {coding!r}")
    is_user = user_cohort(cohort) if user is None else bool(user)
    threshold = SMALL_COUNT_THRESHOLD if min_cell_count is None else int(min_cell_count)
    dead = pd.to_numeric(cohort["os_event"]) == 1
    known = pd.to_numeric(cohort["os_months"]).notna() & pd.to_numeric(cohort["os_event"]).notna()
    factors = _group_levels(cohort, coding)
    n, deaths = {}, {}
    for f, (levels, _) in factors.items():
        for level, mask in levels.items():
            n[f, level], deaths[f, level] = int(mask.sum()), int((mask & dead).sum())
        anywhere = np.logical_or.reduce([m.to_numpy() for m in levels.values()])
        n[f, "other"] = int((known & ~anywhere).sum())  # in no group: not shown, N minus them
        deaths[f, "other"] = int((known & ~anywhere & dead).sum())
    shown_n = {k: fmt_count(v) for k, v in n.items()}
    shown_d = {k: fmt_count(v) for k, v in deaths.items()}
    if is_user:
        # the groups' sizes first, with Table 1's rows as chapter 4 shows them (fixed)
        t1 = table1(cohort, user=True, min_cell_count=min_cell_count).set_index("characteristic")
        t1 = t1.iloc[:, 1]  # the cohort's column ("your cohort")
        t1_marks = {f"<{threshold}", COMPLEMENT_MARK}
        counts = {("n", *k): v for k, v in n.items()}
        fixed_hidden, fixed_shown, sums = {}, [], {}

        def table1_cell(label, size):
            key = ("t1", label)
            counts[key] = size
            text = str(t1.get(label, ""))
            if text.split(" ")[0] in t1_marks:
                fixed_hidden[key] = text.split(" ")[0]
            else:
                fixed_shown.append(key)
            return key

        for f, links in _TABLE1_LINKS.items():
            if f not in factors:
                continue
            for label, members in links.items():
                parts = [("n", f, m) for m in members if (f, m) in n]
                if parts:
                    sums[table1_cell(label, sum(counts[p] for p in parts))] = parts
        if "pvtt" in factors:
            pvtt = cohort["pvtt"].astype(str)
            for level, labels in _PVTT_SUMS.items():
                rows = [table1_cell(lab, int((known & (pvtt == lab[5:])).sum())) for lab in labels]
                sums["n", "pvtt", level] = rows
        groups = [
            [("n", f, level) for level in levels] + [("n", f, "other")]
            for f, (levels, _) in factors.items()
        ]
        hidden_n = hidden_counts(
            counts, groups=groups, sums=sums, threshold=threshold, hidden=fixed_hidden,
            keep=fixed_shown,
        )  # fmt: skip
        hidden_n = {k[1:]: mark for k, mark in hidden_n.items() if k[0] == "n"}
        # then the deaths: a group's deaths and survivors add up to its size, the deaths of a
        # factor's groups to the cohort's deaths, their survivors to the survivors
        counts = {("n", *k): v for k, v in n.items()}
        counts |= {("d", *k): v for k, v in deaths.items()}
        counts |= {("s", *k): n[k] - deaths[k] for k in n}
        groups = [
            [(kind, f, level) for level in [*levels, "other"]]
            for f, (levels, _) in factors.items()
            for kind in ("d", "s")
        ]
        sums = {("n", *k): [("d", *k), ("s", *k)] for k in n}
        hidden_d = hidden_counts(
            counts, groups=groups, sums=sums, threshold=threshold,
            hidden={("n", *k): mark for k, mark in hidden_n.items()},
            keep=[("n", *k) for k in n if k not in hidden_n],
        )  # fmt: skip
        shown_n |= hidden_n
        shown_d |= {k[1:]: mark for k, mark in hidden_d.items() if k[0] == "d"}
    out = {}
    for f, (_levels, terms) in factors.items():

        def text(level, f=f):
            return f"{shown_n[f, level]} ({shown_d[f, level]})"

        for term_id, (mine, ref) in terms.items():
            if f == "bclc_stage":
                out[term_id] = ", ".join(f"{level} {text(level)}" for level in mine)
            elif ref is None:
                out[term_id] = text(mine[0])
            else:
                out[term_id] = f"{text(mine[0])} vs {text(ref)}"
    return out


#: The verdict of a reference row of :func:`table2` (printed "1", no estimate): none, neither
#: agrees nor differs, so no ✓ or ✗ and not counted among the rows that agree.
REFERENCE_VERDICT = ""


def _reference_row(variable: str, ref: str, model: str, empty: bool = False) -> dict:
    """A reference row: printed 1, or "–" when nobody in the cohort is in the group (no
    hazard ratio is 1 against a group of nobody)."""
    return {
        "variable": variable,
        "term": ref,
        "model": model,
        "coding": "reference category",
        "published": published.entry(
            f"table2.{ref}.{'uni' if model == 'univariate' else 'multi'}.hr"
        ).text,
        "reproduced": "–" if empty else "1",
        "verdict": REFERENCE_VERDICT,
        **_reason_fields((), "nobody in this cohort is in this reference group" if empty else ""),
    }


def _reason_fields(differing: tuple, remark: str, why: str = "") -> dict:
    """A :func:`table2` row's ``reason`` and the fields it is made of (:data:`TABLE2_FIELDS`)."""
    said = [p for p in (differing_cells_text(differing), remark) if p]
    return {"reason": "; ".join(said), "differing": differing, "remark": remark, "why": why}


def _empty_reference_terms(cohort: pd.DataFrame, coding: str) -> set[str]:
    """The reference rows of Table 2 (``sex_male``, ``child_pugh_5``, ``pvtt_vp0`` …) whose
    group has nobody in ``cohort`` (:func:`_group_levels`).

    >>> from analysis.cohort import load_cohort
    >>> _empty_reference_terms(load_cohort(), "implied")
    set()
    >>> sorted(_empty_reference_terms(load_cohort().assign(sex="F"), "implied"))
    ['sex_male']
    """
    return {
        term
        for levels, terms in _group_levels(cohort, coding).values()
        for term, (mine, ref) in terms.items()
        if ref is None and len(mine) == 1 and not int(levels[mine[0]].sum())
    }


def _coding_text(term: str, label: str | None, coding: str) -> str:
    """A row's coding in words: a per-unit term by its unit, as Fig. 7.1 and the reasons name it
    ("per U/L", "per lesion"; it read "per unit of AST (U/L)"), else the label's split.

    >>> _coding_text("tumor_number_gt4", None, "implied"), _coding_text("crp_gt3", None, "stated")
    ('per lesion', '> 3 vs ≤ 3')
    """
    if term in TABLE2_IMPLIED_TERMS:
        _, cut, _ = TABLE2_IMPLIED_TERMS[term]
        return paper.term(term).coding_text if coding == "implied" else f"> {cut} vs ≤ {cut}"
    return label or ""


def _term_row(variable, term, label, model, key, fit, coding, why=None) -> dict:
    base = f"table2.{term}.{key}"
    coding_text = _coding_text(term, label, coding)
    if term not in fit.index:
        why = why or "level absent"
        return {
            "variable": variable,
            "term": term,
            "model": model,
            "coding": coding_text,
            "published": published.entry(f"{base}.hr").text,
            "reproduced": "–",
            "verdict": DIFFERS,
            **_reason_fields((), f"term cannot be estimated on this cohort ({why})", why),
        }
    r = fit.loc[term]
    parts = {"hr": r["hr"], "interval": (r["lower"], r["upper"]), "p": r["p"]}
    pub, rep, bad = {}, {}, []
    for part, computed in parts.items():
        entry_id = f"{base}.{part}"
        text, reproduced, ok = _check(entry_id, computed)
        pub[part], rep[part] = text, reproduced
        if not ok:
            bad.append(part)
    remark = ""
    if bad:
        if term in TABLE2_IMPLIED_TERMS and coding == "stated":
            remark = "the paper's HR has the size of a per-unit effect, not of this binary split"
        elif term in TABLE2_IMPLIED_TERMS:
            remark = "coded per unit as the printed HR implies, not as the label states"
    return {
        "variable": variable,
        "term": term,
        "model": model,
        "coding": coding_text,
        "published": _hr_text(pub["hr"], pub["interval"], None, pub["p"]),
        "reproduced": _hr_text(rep["hr"], rep["interval"], None, rep["p"]),
        "verdict": AGREES if not bad else DIFFERS,
        **_reason_fields(tuple(bad), remark),
    }


def table2_ties(
    cohort: pd.DataFrame, coding: str = "implied", *, user: bool | None = None
) -> pd.DataFrame:
    """Table 2 cells whose printed value depends on the tie rule: Breslow (SPSS) beside Efron (R).

    Fits :func:`table2_models` twice, with ``ties="breslow"`` (SPSS ``COXREG``, the rule the
    paper's Table 2 was computed with) and ``ties="efron"`` (R ``coxph`` and lifelines), formats
    every printed cell (HR, 95% interval, P) of both at the paper's decimals
    (:func:`format_published_value`) and keeps the cells where the two texts differ.

    Returns
    -------
    DataFrame
        ``variable``, ``model``, ``part`` ("HR", "95% CI", "P"), ``id`` (the published entry),
        ``published``, ``Breslow
        (SPSS)``, ``Efron (R, lifelines)``, ``verdict Breslow``, ``verdict Efron`` (``agrees`` /
        ``differs`` against the printed value; :data:`~analysis.verdicts.NOT_SCORED` on a user's
        cohort, ``user`` defaulting to ``cohort.attrs["user_cohort"]``). ``.attrs["cells"]``
        holds the number of printed cells compared (both fits estimable), ``.attrs["coding"]``
        the coding, ``.attrs["hits"]`` how many of all the compared cells each rule prints as
        the paper does: ``{(rule, "uni" | "multi"): count}`` (meaningless on a user's cohort). No
        rows when the tie rule changes no printed digit. On a user's cohort the cells of a term
        that compares a group of 1 to 4 patients (:func:`table2_hidden_terms`) are neither
        shown nor compared.

    Examples
    --------
    Four patients with distinct death times: no ties, so the two rules give the same fit and
    no printed cell differs:

    >>> from analysis.cohort import load_cohort
    >>> d = load_cohort().head(4).assign(os_months=[1.0, 2.0, 3.0, 4.0], os_event=1)
    >>> t = table2_ties(d)
    >>> len(t), t.columns.tolist()[:4]
    (0, ['variable', 'model', 'part', 'id'])
    """
    fits = {k: table2_models(cohort, coding, ties=k) for k in ("breslow", "efron")}
    is_user = user_cohort(cohort) if user is None else bool(user)
    hidden = table2_hidden_terms(cohort, coding, user=is_user)
    rows, cells = [], 0
    hits = {(rule, key): 0 for rule in ("breslow", "efron") for key in ("uni", "multi")}
    parts = (("hr", "HR"), ("interval", "95% CI"), ("p", "P"))
    for variable, terms, _ in UNIVARIATE_GROUPS:
        for term, label in terms:
            for model, key, name in (
                ("univariate", "uni", "univariate"),
                ("multivariable", "multi", "multivariate"),
            ):
                if f"table2.{term}.{key}.hr" not in published.ids("table2."):
                    continue
                b, e = fits["breslow"][name], fits["efron"][name]
                if term not in b.index or term not in e.index:
                    continue
                if term in hidden:  # a user's group of 1-4: not shown
                    continue
                coding_text = _coding_text(term, label, coding)
                for part, part_name in parts:
                    entry_id = f"table2.{term}.{key}.{part}"
                    cells += 1
                    values = {}
                    for rule, fit in (("breslow", b), ("efron", e)):
                        r = fit.loc[term]
                        values[rule] = (r["lower"], r["upper"]) if part == "interval" else r[part]
                    texts = {k: _check(entry_id, v) for k, v in values.items()}
                    for rule, text in texts.items():
                        hits[rule, key] += text[2]
                    if texts["breslow"][1] == texts["efron"][1]:
                        continue
                    rows.append(
                        {
                            "variable": f"{variable}: {coding_text}" if coding_text else variable,
                            "model": model,
                            "part": part_name,
                            "id": entry_id,
                            "published": texts["breslow"][0],
                            "Breslow (SPSS)": texts["breslow"][1],
                            "Efron (R, lifelines)": texts["efron"][1],
                            "verdict Breslow": NOT_SCORED
                            if is_user
                            else (AGREES if texts["breslow"][2] else DIFFERS),
                            "verdict Efron": NOT_SCORED
                            if is_user
                            else (AGREES if texts["efron"][2] else DIFFERS),
                        }
                    )
    columns = [
        "variable",
        "model",
        "part",
        "id",
        "published",
        "Breslow (SPSS)",
        "Efron (R, lifelines)",
        "verdict Breslow",
        "verdict Efron",
    ]
    out = pd.DataFrame(rows, columns=columns)
    out.attrs.update({"cells": cells, "coding": coding, "hits": hits})
    if is_user:
        out.attrs["user_cohort"] = True
    return out


# ------------------------------------------------------------- chapter 2: eligibility, staging
#: The JSH criteria as Table 2.4 lists them: label (:data:`analysis.labels.JSH_CRITERION_LABELS`),
#: the cohort's 0/1 column, the criterion of :func:`analysis.clinical.jsh_refractory_frame`; in
#: the order of the paper's Table 1 (:data:`analysis.clinical.JSH_COHORT_COLUMNS`).
JSH_CRITERIA_ROWS = tuple(
    (JSH_CRITERION_LABELS[key], column, key) for key, column in clinical.JSH_COHORT_COLUMNS.items()
)

#: Stages of the 2022 BCLC rules, earliest first.
BCLC_STAGES = ("0", "A", "B", "C", "D")


def _hidden_mask(column: pd.Series) -> pd.Series:
    return column.map(lambda v: isinstance(v, str))


def jsh_criteria_table(
    cohort: pd.DataFrame, *, require_two_sessions: bool = True
) -> pd.DataFrame | Explanation:
    """Patients meeting each JSH 2021 criterion: the paper's Table 1, the cohort's records, and
    those counted when the intrahepatic criteria need the consecutive failed sessions.

    A user's cohort (:func:`analysis.verdicts.is_user_cohort`) has its counts of 1–4 hidden, and
    is not scored. ``attrs["prose"]`` holds the counts the chapter's prose gives, as a user's
    cohort may print them (``"strict"`` and ``"lax"`` refractory patients, ``"one"`` with fewer
    refractory sessions than needed, ``"sum"`` of the recorded criteria), ``attrs["meets_none"]``
    the patients with no recorded criterion. ``"strict"`` always needs the consecutive failed
    sessions, whatever ``require_two_sessions`` (which sets the table's last column). A cohort
    without the criteria's columns gives an :class:`Explanation` instead, in clinical words.

    Examples
    --------
    >>> d = pd.DataFrame({
    ...     "refractory_poor_response": [1, 1, 0], "refractory_new_lesions": [0, 0, 1],
    ...     "refractory_vascular_invasion": [0, 0, 0], "refractory_extrahepatic": [0, 0, 0],
    ...     "refractory_tumor_marker": [0, 0, 0], "refractory_tace_sessions": [2, 1, 3],
    ... })
    >>> table = jsh_criteria_table(d)
    >>> [int(v) for v in table.loc[0, ["Cohort", "With ≥ 2 failed sessions"]]]
    [2, 1]
    >>> table.attrs["prose"]
    {'strict': '2', 'lax': '3', 'one': '1', 'sum': '3'}
    >>> jsh_criteria_table(d, require_two_sessions=False).attrs["prose"]["strict"]
    '2'
    >>> print(jsh_criteria_table(d.drop(columns="refractory_tace_sessions")))
    JSH criteria not recorded: This cohort does not record the number of failed TACE sessions, so the JSH criteria cannot be counted and inclusion I (refractory to TACE) cannot be checked.

    ``require_two_sessions`` is True or False, never text (``papermill -p require_two_sessions
    false`` passes the text 'false', which read as true: the strict count, captioned so):

    >>> try:
    ...     jsh_criteria_table(d, require_two_sessions="no")
    ... except TypeError as error:
    ...     print(error)
    require_two_sessions: expected True or False, got 'no' (papermill's -p reads only True and False, capitalised, as true and false)
    """
    if not isinstance(require_two_sessions, bool | np.bool_):  # checked if the columns are absent
        raise TypeError(
            f"require_two_sessions: expected True or False, got {require_two_sessions!r} "
            "(papermill's -p reads only True and False, capitalised, as true and false)"
        )
    columns = [c for _, c, _ in JSH_CRITERIA_ROWS] + ["refractory_tace_sessions"]
    missing = missing_columns(cohort, columns)
    if missing:
        said = {c: f"the {in_sentence(label)} criterion" for label, c, _ in JSH_CRITERIA_ROWS}
        said["refractory_tace_sessions"] = "the number of failed TACE sessions"
        absent = (
            "which JSH criteria each patient met"
            if all(c in missing for _, c, _ in JSH_CRITERIA_ROWS)
            else word_list([said[c] for c in missing if c != "refractory_tace_sessions"])
        )
        if "refractory_tace_sessions" in missing:
            absent = (
                said["refractory_tace_sessions"]
                if len(missing) == 1
                else f"{absent}, or {said['refractory_tace_sessions']}"
            )
        return explanation(
            f"This cohort does not record {absent}, so the JSH criteria cannot be counted and "
            "inclusion I (refractory to TACE) cannot be checked.",
            title="JSH criteria not recorded",
        )
    user, n = is_user_cohort(cohort), len(cohort)
    jsh = clinical.jsh_refractory_frame(cohort, require_two_sessions=require_two_sessions)
    lax = clinical.jsh_refractory_frame(cohort, require_two_sessions=False)
    counted = (
        f"With ≥ {clinical.JSH_MIN_CONSECUTIVE_SESSIONS} failed sessions"
        if require_two_sessions
        else "Counted (sessions not checked)"
    )
    table = pd.DataFrame(
        [
            {
                "Criterion": label,
                "Paper": published.entry(f"table1.{column}.count").text,  # short: fits a phone
                "Cohort": int(cohort[column].sum()),
                "verdict": verdict(int(cohort[column].sum()), f"table1.{column}.count", user=user),
                counted: int(jsh[key].sum()),
            }
            for label, column, key in JSH_CRITERIA_ROWS
        ]
    )
    strict_jsh = clinical.jsh_refractory_frame(cohort, require_two_sessions=True)
    strict, n_lax = int(strict_jsh["is_refractory"].sum()), int(lax["is_refractory"].sum())
    sessions = cohort["refractory_tace_sessions"]
    one = int((sessions < clinical.JSH_MIN_CONSECUTIVE_SESSIONS).sum())
    shown = (
        suppress_small_counts(table, columns=["Cohort", counted], out_of=n) if user else table
    )  # N - k: those without
    # the prose's counts as your cohort may print them: 1-4 read "<5"; a count of N whose other
    # side (N minus it) is 1-4, and the criteria's sum beside a hidden criterion, read "hidden"
    cells = {("cell", i): int(k) for i, k in enumerate(table["Cohort"])}
    marks = {("cell", i): v for i, v in enumerate(shown["Cohort"]) if isinstance(v, str)}
    prose = {"sum": int(sum(cells.values())), "lax": n_lax, "strict": strict, "one": one}
    prose |= {"lax only": n_lax - strict}  # not printed: lax = strict + lax only
    prose |= {("not", k): n - prose[k] for k in ("lax", "strict", "one")}  # N minus each
    texts = glued_counts(
        cells | prose,
        user=user,
        groups=[[k, ("not", k)] for k in ("lax", "strict", "one")],
        sums={"sum": list(cells), "lax": ["strict", "lax only"]},
        hidden=marks,
        keep=[c for c in cells if c not in marks],
    )
    shown = shown.copy()
    shown.attrs["prose"] = {k: texts[k] for k in ("strict", "lax", "one", "sum")}
    recorded = cohort[[c for _, c, _ in JSH_CRITERIA_ROWS]]
    shown.attrs["meets_none"] = int((recorded.sum(axis=1) == 0).sum())
    return shown


def _rule_names(rules) -> str:
    """Rule keys of :func:`analysis.clinical.eligibility` named as the book numbers them:
    ``"inclusion I and exclusions III and IV"``."""
    parts = []
    for kind, coded in (
        ("inclusion", clinical.INCLUSION_RULES),
        ("exclusion", clinical.EXCLUSION_RULES),
    ):
        numerals = [clinical.RULE_NUMERALS[i] for i, k in enumerate(coded) if k in rules]
        if numerals:
            parts.append(f"{kind}{'s' if len(numerals) > 1 else ''} {word_list(numerals)}")
    return " and ".join(parts)


def eligibility_reasons(cohort: pd.DataFrame) -> pd.DataFrame:
    """The reasons patients fail the study's rules (:func:`analysis.clinical.eligibility_frame`),
    counted: one row per reason, with the patients who fail it.

    A rule the cohort does not record (inclusion I without the JSH criteria, exclusions III
    and IV without other cancers and causes of death) is not assessable, never passed.
    ``attrs`` holds what the prose says: ``"eligible"``, the patients who pass every rule that
    could be checked, as the prose prints it (on a user's cohort "<5" or "hidden" where it, or
    N minus it, is 1–4); ``"checked"``, how many rules could be checked (``"six of the eight
    rules"``); ``"unchecked"``, the rules that could not (``"exclusions III and IV"``, or ``""``).

    Examples
    --------
    >>> d = pd.DataFrame({
    ...     "refractory_poor_response": [1, 1], "refractory_new_lesions": [0, 0],
    ...     "refractory_vascular_invasion": [0, 0], "refractory_extrahepatic": [0, 0],
    ...     "refractory_tumor_marker": [0, 0], "refractory_tace_sessions": [2, 2],
    ...     "age_years": [60, 70], "tumor_number": [1, 1], "tumor_size_mm": [30.0, 30.0],
    ...     "ecog_ps": [1, 3], "os_months": [5.0, 5.0],
    ... })
    >>> reasons = eligibility_reasons(d)
    >>> reasons.iloc[0, 0], int(reasons.iloc[0, 1]), reasons.attrs["eligible"]
    ('inclusion IV not met (ECOG performance status 0–2)', 1, '1')
    >>> reasons.attrs["checked"], reasons.attrs["unchecked"]
    ('six of the eight rules', 'exclusions III and IV')
    """
    user = is_user_cohort(cohort)
    elig = clinical.eligibility_frame(cohort)
    n_rules = len(clinical.INCLUSION_RULES) + len(clinical.EXCLUSION_RULES)
    unchecked = elig.attrs["not_assessable"]
    n_checked = n_rules - len(unchecked)
    n_eligible = int(elig["eligible"].sum())  # of N: N minus it is those not eligible
    reasons = (
        elig.loc[~elig["eligible"], "reasons"]
        .str.split("; ")
        .explode()
        .value_counts()
        .rename_axis("Reason for failing")
        .reset_index(name="patients")
    )
    if reasons.empty:
        none = "(none: every patient passes the rules checked)"
        reasons = pd.DataFrame({"Reason for failing": [none], "patients": [0]})
    if user:
        reasons = suppress_small_counts(reasons, columns=["patients"])
    reasons.attrs["eligible"] = glued_counts(
        {"eligible": n_eligible}, user=user, out_of=len(cohort)
    )["eligible"]
    reasons.attrs["checked"] = (
        f"all {number_word(n_rules)} rules"
        if not unchecked
        else f"{number_word(n_checked, zero='no')} of the {number_word(n_rules)} rules"
    )
    reasons.attrs["unchecked"] = _rule_names(unchecked)
    return reasons


CHILD_PUGH_COMPONENTS = ("bilirubin_mg_dl", "albumin_g_dl", "inr", "ascites", "encephalopathy")
#: The components as the prose names them.
_CHILD_PUGH_WORDS = {
    "bilirubin_mg_dl": "bilirubin",
    "albumin_g_dl": "albumin",
    "inr": "INR",
    "ascites": "ascites",
    "encephalopathy": "encephalopathy",
}


def child_pugh_check(cohort: pd.DataFrame) -> pd.DataFrame:
    """Child-Pugh class counts recomputed from the five components, beside the paper's Table 1.

    ``attrs["sentence"]`` says, from the data, whether the recomputed score matches the stored
    ``child_pugh_score`` (for how many of the patients with every component) and whether the
    class counts match Table 1, differ from it (naming the classes), or are, on a user's
    cohort, set beside it without a score; when the components are absent it names them in
    clinical words and says the classes come from the stored score. ``attrs["agree"]`` is the
    count of matching scores as the prose may print it; ``attrs["note"]`` the same words as an
    :class:`Explanation` when the components are absent, else None.

    Examples
    --------
    Two patients whose recomputed class is A where the paper counts 74 A, 8 B:

    >>> d = pd.DataFrame({
    ...     "bilirubin_mg_dl": [1.0, 1.0], "albumin_g_dl": [4.0, 4.0], "inr": [1.1, 1.1],
    ...     "ascites": ["none", "none"], "encephalopathy": ["none", "none"],
    ...     "child_pugh_score": [5, 6],
    ... })
    >>> print(child_pugh_check(d).attrs["sentence"])
    Recomputed from its five components, the Child-Pugh score matches the stored score for 1 of the 2 patients with every component; the class counts differ from Table 1 for classes A and B.

    Without INR and ascites the classes come from the stored score:

    >>> print(child_pugh_check(d.drop(columns=["inr", "ascites"])).attrs["sentence"])
    This cohort does not record INR and ascites, so the Child-Pugh score cannot be recomputed: the classes come from the stored score; the class counts differ from Table 1 for classes A and B.
    """
    user = is_user_cohort(cohort)
    missing = missing_columns(cohort, list(CHILD_PUGH_COMPONENTS))
    complete = cohort.dropna(subset=list(CHILD_PUGH_COMPONENTS)) if not missing else cohort.iloc[:0]
    if len(complete):
        cp = clinical.child_pugh_frame(complete)
        note = None
        agree = int((cp["child_pugh_points"] == complete["child_pugh_score"]).sum())
        n_complete = len(complete)
        texts = glued_counts({"agree": agree, "n": n_complete}, user=user, out_of=n_complete)
        agree_text = texts["agree"]
        if agree == n_complete and len(complete) == len(cohort):
            scores = (
                f"Recomputed from its five components, every patient's Child-Pugh score matches "
                f"the stored score ({agree_text} of {texts['n']})"
            )
        else:
            scores = (
                f"Recomputed from its five components, the Child-Pugh score matches the stored "
                f"score for {agree_text} of the {texts['n']} patients with every component"
            )
    else:  # components absent: the class comes from the stored score
        score = cohort["child_pugh_score"]
        cp = pd.DataFrame(
            {"child_pugh_class": clinical.child_pugh_class_from_points(score)}, index=cohort.index
        )
        absent = (
            word_list([_CHILD_PUGH_WORDS[c] for c in missing])
            if missing
            else "all five Child-Pugh components for any patient"
        )
        scores = (
            f"This cohort does not record {absent}, so the Child-Pugh score cannot be "
            "recomputed: the classes come from the stored score"
        )
        note = explanation(scores + ".", title="Child-Pugh not recomputed")
        agree_text = "(not checkable: components not recorded)"
    counts = {cls: int((cp["child_pugh_class"] == cls).sum()) for cls in ("A", "B", "C")}
    verdicts = {
        cls: verdict(k, f"table1.child_pugh_{cls.lower()}.count", user=user)
        for cls, k in counts.items()
    }
    column = "Recomputed from the components" if note is None else "From the stored score"
    table = pd.DataFrame(
        [
            {
                "Child-Pugh class": cls,
                "Published n": published.entry(f"table1.child_pugh_{cls.lower()}.count").text,
                column: counts[cls],
                "verdict": verdicts[cls],
            }
            for cls in counts
        ]
    )
    if user:
        table = suppress_small_counts(table, columns=[column], groups="columns")
        classes = "; the class counts stand beside Table 1's, not scored (your cohort)"
    else:
        differ = [cls for cls, v in verdicts.items() if v != AGREES]
        classes = (
            "; the class counts match Table 1"
            if not differ
            else f"; the class counts differ from Table 1 for class{'es' if len(differ) > 1 else ''} "
            + word_list(differ)
        )
    table.attrs.update(sentence=scores + classes + ".", agree=agree_text, note=note)
    return table


def albi_grade_table(cohort: pd.DataFrame) -> pd.DataFrame:
    """Patients by ALBI grade (:func:`analysis.clinical.albi_frame`), with their percentage.

    ``attrs["median"]`` is the median ALBI score at two decimals; on a user's cohort a median
    that is no single patient's score (:func:`analysis.privacy.shown_percentile`), or "hidden",
    and counts of 1–4 (with their percentage) hidden.

    Examples
    --------
    >>> d = pd.DataFrame({"bilirubin_mg_dl": [0.6, 1.0, 2.5], "albumin_g_dl": [4.2, 3.5, 2.6]})
    >>> table = albi_grade_table(d)
    >>> table["patients"].tolist(), table.attrs["median"]
    ([1, 1, 1], '−2.16')
    """
    user = is_user_cohort(cohort)
    grades = clinical.albi_frame(cohort)
    table = (
        grades["albi_grade"]
        .value_counts()
        .reindex([1, 2, 3], fill_value=0)
        .rename_axis("ALBI grade")
        .reset_index(name="patients")
    )
    table["percent"] = (100 * table["patients"] / len(cohort)).round(1)
    if user:
        table = suppress_small_counts(table, columns=["patients"], groups="columns")
        # a percent would reveal a hidden count
        table["percent"] = table["percent"].where(~_hidden_mask(table["patients"]), None)
        median = number(shown_percentile(grades["albi_score"], 50, 2), 2, missing="hidden")
    else:
        median = number(grades["albi_score"].median(), 2)
    table.attrs["median"] = median
    return table


def vp_table(cohort: pd.DataFrame) -> pd.DataFrame:
    """Portal vein tumour thrombus by Vp class: definition, the paper's count and the cohort's.

    Examples
    --------
    >>> d = pd.DataFrame({"pvtt": ["Vp0"] * 29 + ["Vp2"] * 3})
    >>> vp_table(d).loc[0, ["Class", "Published n", "verdict"]].tolist()
    ['Vp0', '29', 'agrees']
    """
    user = is_user_cohort(cohort)
    rows = []
    for vp, text in clinical.VP_DEFINITIONS.items():
        k = int((cohort["pvtt"] == vp).sum())
        entry = f"table1.pvtt_{vp.lower()}.count"
        rows.append(
            {
                "Class": vp,
                "Definition": text,
                "Published n": published.entry(entry).text,
                "Cohort n": k,
                "verdict": verdict(k, entry, user=user),
            }
        )
    table = pd.DataFrame(rows)
    if user:
        table = suppress_small_counts(table, columns=["Cohort n"], groups="columns")
    return table


def bclc_crosstab(cohort: pd.DataFrame) -> pd.DataFrame:
    """The cohort's recorded (the book's: published) BCLC stage against the 2022 rules'
    (:func:`analysis.clinical.bclc_stage_frame`): one row per recorded stage, one column per
    2022 stage.

    On a user's cohort every cell of 1–4, and cells that give one back from the margins, are
    hidden. ``attrs`` holds the counts the prose gives, as a user's cohort may print them:
    ``"2022"`` and ``"recorded"`` (patients per stage), ``"with"`` (recorded stage-B patients
    with PVTT), ``"down"`` (cells left of the diagonal, where the 2022 rules give
    an earlier stage than the recorded one, as ``{(recorded, 2022): n}``) and ``"up"`` (right of
    it: a later stage). The cells of ``"down"`` and ``"up"`` are counts as they are, for the
    book's cohort (a user's prints none of them).

    Examples
    --------
    >>> d = pd.DataFrame({
    ...     "bclc_stage": ["B", "B", "C"], "pvtt": ["Vp0", "Vp2", "Vp0"], "ecog_ps": [0, 0, 0],
    ...     "tumor_number": [5, 5, 1], "tumor_size_mm": [40.0, 40.0, 30.0],
    ...     "child_pugh_score": [5, 5, 5],
    ... })
    >>> table = bclc_crosstab(d)
    >>> table.columns.tolist()
    ['Published stage', '0', 'A', 'B', 'C', 'D']
    >>> table.attrs["with"], table.attrs["down"], table.attrs["up"]
    ('1', {('C', 'A'): 1}, {('B', 'C'): 1})
    """
    user = is_user_cohort(cohort)
    stage_2022 = clinical.bclc_stage_frame(cohort)
    recorded_stage = cohort["bclc_stage"].astype(str)
    stages = list(BCLC_STAGES)
    cross = pd.crosstab(
        recorded_stage.rename(f"{'Recorded' if user else 'Published'} stage"),
        stage_2022.rename("2022 rules"),
    ).reindex(columns=stages, fill_value=0)
    table = cross.reset_index()
    table.columns.name = None
    if user:  # margins: each stage's n
        table = suppress_small_counts(table, columns=stages, groups="both")
    # as the tables print them: with N, one stage's count is N minus the others
    by_2022, recorded = (shown_counts(s.value_counts(), user) for s in (stage_2022, recorded_stage))
    # stage B = with a thrombus + without: beside the printed stage-B count, a small "without"
    # gives it; and beside the cross-table, the with-thrombus patients fill row B's cells of the
    # 2022 columns they fall in (stage C), so a glued "with" count equal to a hidden B->C cell
    # would give it back, and with the 2022 stage-C total the C->C cell; the table's cells take
    # part as shown, and a cell hidden there hides the glued count
    in_row_b = recorded_stage == "B"
    thrombus = pd.Series(clinical.macrovascular_invasion(cohort["pvtt"]), index=cohort.index)
    n_b, b_with = int(in_row_b.sum()), int((in_row_b & thrombus).sum())
    cells = {(r, c): int(v) for r, row in cross.iterrows() for c, v in row.items()}
    as_shown = table.set_index(table.columns[0])
    shown = {k: f"{as_shown.loc[k]}" for k in cells if not f"{as_shown.loc[k]}".isdigit()}
    b_text = f"{recorded.get('B', 0)}"
    if not b_text.isdigit():
        shown["B"] = b_text
    columns_with = [c for c in stages if (in_row_b & thrombus & (stage_2022 == c)).any()]
    columns_without = [c for c in stages if (in_row_b & ~thrombus & (stage_2022 == c)).any()]
    texts = glued_counts(
        {"B": n_b, "with": b_with, "without": n_b - b_with, **cells},
        user=user,
        sums={
            "B": ["with", "without"],
            "with": [("B", c) for c in columns_with if ("B", c) in cells],
            "without": [("B", c) for c in columns_without if ("B", c) in cells],
        },
        hidden=shown,
        keep=[k for k in ["B", *cells] if k not in shown],
    )
    table.attrs.update(
        {
            "2022": {s: fmt_count(by_2022.get(s, 0)) for s in stages},
            "recorded": {s: fmt_count(recorded.get(s, 0)) for s in stages},
            "with": texts["with"],
            "down": {
                (r, c): v
                for (r, c), v in cells.items()
                if v and r in stages and stages.index(c) < stages.index(r)
            },
            "up": {
                (r, c): v
                for (r, c), v in cells.items()
                if v and r in stages and stages.index(c) > stages.index(r)
            },
        }
    )
    return table


def _infusion_text(hours: float) -> str:
    return "not stated" if math.isnan(hours) else f"{hours:g}"


def ecf_schedule() -> pd.DataFrame:
    """Chapter 3's Table 3.1: one ECF cycle (:data:`analysis.clinical.ECF_REGIMEN`), a row per
    administration, with its dose per m², its infusion time ("not stated" where the paper gives
    none) and its route.

    Returns
    -------
    pandas.DataFrame
        Columns ``day``, ``drug``, ``Dose (mg/m²)``, ``Infusion (h)`` and ``Route``.

    Examples
    --------
    >>> ecf_schedule()[["day", "drug", "Infusion (h)"]]
       day            drug Infusion (h)
    0    1      epirubicin   not stated
    1    1  5-fluorouracil            5
    2    2       cisplatin            2
    3    3  5-fluorouracil            5
    """
    regimen = clinical.ECF_REGIMEN
    return pd.DataFrame(
        {
            "day": [a.day for a in regimen],
            "drug": [a.drug for a in regimen],
            "Dose (mg/m²)": [f"{a.dose_mg_m2:g}" for a in regimen],
            "Infusion (h)": [_infusion_text(a.infusion_hours) for a in regimen],
            "Route": "hepatic artery port",
        }
    )


def ecf_regimen_check() -> pd.DataFrame:
    """Chapter 3's Table 3.2: each dose, day and infusion time of
    :data:`analysis.clinical.ECF_REGIMEN` beside the paper's Methods as printed
    (``data/published/``), with whether they agree.

    Returns
    -------
    pandas.DataFrame
        Columns ``Item``, ``Published (as printed)``, ``In the code`` and ``verdict``
        (:func:`analysis.verdicts.comparison`).

    Examples
    --------
    >>> check = ecf_regimen_check()
    >>> len(check), (check["verdict"] == AGREES).sum()
    (10, np.int64(10))
    >>> check.iloc[0].tolist()
    ['epirubicin dose (mg/m²)', '35', '35', 'agrees']
    """
    by_drug = {(a.drug, a.day): a for a in clinical.ECF_REGIMEN}
    epirubicin, cisplatin = by_drug[("epirubicin", 1)], by_drug[("cisplatin", 2)]
    fluorouracil = by_drug[("5-fluorouracil", 1)]
    checks = [
        ("epirubicin dose (mg/m²)", "methods.epirubicin_mg_m2.dose", epirubicin.dose_mg_m2),
        ("epirubicin day", "methods.epirubicin_day.day", 1),
        ("cisplatin dose (mg/m²)", "methods.cisplatin_mg_m2.dose", cisplatin.dose_mg_m2),
        ("cisplatin day", "methods.cisplatin_day.day", 2),
        (
            "cisplatin infusion (h)",
            "methods.cisplatin_infusion_hours.duration",
            cisplatin.infusion_hours,
        ),
        ("5-FU dose (mg/m²), day 1", "methods.fluorouracil_mg_m2.dose", fluorouracil.dose_mg_m2),
        (
            "5-FU dose (mg/m²), day 3",
            "methods.fluorouracil_mg_m2.dose",
            by_drug[("5-fluorouracil", 3)].dose_mg_m2,
        ),
        ("5-FU first day", "methods.fluorouracil_day.day", 1),
        ("5-FU second day", "methods.fluorouracil_day.day_2", 3),
        (
            "5-FU infusion (h)",
            "methods.fluorouracil_infusion_hours.duration",
            fluorouracil.infusion_hours,
        ),
    ]
    return pd.DataFrame(
        [
            {
                "Item": item,
                "Published (as printed)": published.entry(entry_id).text,
                "In the code": f"{code:g}",
                "verdict": comparison(published.value(entry_id) == code),
            }
            for item, entry_id, code in checks
        ]
    )


def dose_band_table() -> pd.DataFrame:
    """Chapter 3's table of dose adjustments: epirubicin's hepatic bands
    (:data:`analysis.clinical.EPIRUBICIN_BILIRUBIN_BAND_MG_DL` and the other ``EPIRUBICIN_*``
    constants) and cisplatin's renal bands (:data:`analysis.clinical.DEFAULT_RENAL_BANDS`), as
    :func:`analysis.clinical.ecf_dose_sheet` applies them, with their sources.

    Returns
    -------
    pandas.DataFrame
        Columns ``Drug``, ``When``, ``Recommended dose`` and ``Source``.

    Examples
    --------
    >>> bands = dose_band_table()
    >>> bands.iloc[0].tolist()
    ['epirubicin', 'bilirubin 1.2–3 mg/dL or AST 2–4 × ULN', '50%', 'MHRA (2011)']
    >>> bands["Recommended dose"].tolist()[2:]
    ['withhold (do not give)', '75%', '50%', 'avoid']
    """
    (b_low, b_high) = clinical.EPIRUBICIN_BILIRUBIN_BAND_MG_DL
    (a_low, a_high) = clinical.EPIRUBICIN_AST_BAND_X_ULN
    half, quarter = clinical.EPIRUBICIN_HEPATIC_PERCENT
    withhold = clinical.EPIRUBICIN_WITHHOLD_BILIRUBIN_MG_DL
    rows = [
        (
            "epirubicin",
            f"bilirubin {b_low:g}–{b_high:g} mg/dL or AST {a_low:g}–{a_high:g} × ULN",
            f"{half:g}%",
            "MHRA (2011)",
        ),
        (
            "epirubicin",
            f"bilirubin > {b_high:g} to {withhold:g} mg/dL or AST > {a_high:g} × ULN",
            f"{quarter:g}%",
            "MHRA (2011)",
        ),
        (
            "epirubicin",
            f"bilirubin > {withhold:g} mg/dL",
            "withhold (do not give)",
            "MHRA (2011); Floyd et al. (2006)",
        ),
    ]
    for lower, upper, percent in clinical.DEFAULT_RENAL_BANDS:
        rows.append(
            (
                "cisplatin",
                f"eGFR {lower:g} to < {upper:g} mL/min",
                "avoid" if percent == 0 else f"{percent:g}%",
                "Kintzel and Dorr (1995)",
            )
        )
    return pd.DataFrame(rows, columns=["Drug", "When", "Recommended dose", "Source"])


def cohort_bsa(cohort: pd.DataFrame, *, formula: str = "mosteller") -> np.ndarray:
    """Each patient's body-surface area (m², :func:`analysis.clinical.bsa`) where the cohort
    records both a height and a weight (optional columns): empty when either column is
    missing (:func:`missing_columns`).

    Examples
    --------
    >>> d = pd.DataFrame({"height_cm": [180.0, None], "weight_kg": [80.0, 60.0]})
    >>> cohort_bsa(d).round(3).tolist()
    [2.0]
    >>> len(cohort_bsa(d[["weight_kg"]]))
    0
    """
    if missing_columns(cohort, ["height_cm", "weight_kg"]):
        return np.array([])
    measured = cohort[["height_cm", "weight_kg"]].dropna()
    return np.asarray(clinical.bsa(measured["height_cm"], measured["weight_kg"], formula=formula))
