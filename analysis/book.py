"""Helpers that chapters share: house style, glue of text, tables and figures with downloads.

Chapters call :func:`setup` in their hidden preamble cell and then

* :func:`glue_text` for every number that appears in prose (a pre-formatted string),
* :func:`glue_table` for every result table (a numbered MyST table with clinical labels, its
  notes and a CSV download; :func:`show_table`, an HTML table with a download link, is for a
  quick look while writing),
* :func:`glue_figure` for every figure (glued for ``{glue:figure}``, plus a
  ``<name>-downloads`` glued entry holding PNG and SVG download links).

Everything is deterministic: no timestamps in SVG or PNG metadata, a fixed SVG hash salt.
"""

from __future__ import annotations

import base64
import dataclasses
import functools
import html
import io
import re

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from IPython.display import HTML, Image, Markdown
from myst_nb import glue

from analysis import ensemble as _ensemble
from analysis import labels, paper, published
from analysis import provenance as _provenance
from analysis.formatting import (
    MINUS,
    count,
    median_interval,
    not_computable,
    number,
    p_value,
    word_list,
)
from analysis.privacy import NOT_SHOWN_SMALL_GROUP, small_groups
from analysis.provenance import Provenance
from analysis.survival import (
    CI_METHODS,
    NOBODY_IN_GROUP,
    group_comparison,
    negative_bound_note,
)
from analysis.synthesis import infeasible_interval_note
from analysis.tables import TABLE2_FIELDS, compare, explanation, format_published_value
from analysis.tables import verdict as _verdict
from analysis.verdicts import (
    AGREES,
    CANNOT_TELL,
    CONSISTENT,
    DIFFERS,
    INCONSISTENT,
    INFEASIBLE,
    NOT_COMPARABLE,
    NOT_SCORED,
    YOUR_COHORT,
    is_user_cohort,
)

__all__ = [
    "setup",
    "glue_text",
    "glue_sentence",
    "glued",
    "glue_code",
    "glue_result",
    "glue_provenance",
    "verdict_words",
    "VERDICT_WORDS",
    "table2_provenance",
    "stated_table2_provenance",
    "comparison_classes",
    "reproduced_provenance",
    "cohort_value_provenance",
    "median_comparison",
    "MEDIAN_CI_LABELS",
    "SURVIVAL_COMPARISONS",
    "SurvivalComparisons",
    "survival_comparisons",
    "GroupMedian",
    "group_medians_sentence",
    "logrank_sentence",
    "logrank_line",
    "glue_table",
    "table_markdown",
    "show_table",
    "labelled",
    "glue_figure",
    "figure_provenance",
    "figure_downloads",
    "PALETTE",
    "see_table",
    "SharedNotes",
    "MULTIVARIABLE_UNEXPLAINED",
    "CALIBRATED_NOTE",
    "calibrated_notes",
]

#: One palette for the whole book (colour-blind safe, seaborn "colorblind").
PALETTE = ["#0173b2", "#de8f05", "#029e73", "#d55e00", "#cc78bc", "#ca9161", "#949494"]

#: What ``seaborn.set_theme(style="whitegrid")`` sets (seaborn 0.13.2's ``plotting_context("notebook")``
#: and ``axes_style("whitegrid")``), as plain rcParams: importing seaborn cost ~0.6 s at the start
#: of every kernel. Its palette is replaced by ``_RC``'s, and ``image.cmap`` ("rocket", a colormap
#: that only exists once seaborn is imported) is left out: no figure of the book uses a colormap.
#: tests/test_import_time.py checks this against seaborn itself.
_WHITEGRID = {
    "axes.linewidth": 1.25,
    "grid.linewidth": 1,
    "lines.linewidth": 1.5,
    "lines.markersize": 6,
    "patch.linewidth": 1,
    "xtick.major.width": 1.25,
    "ytick.major.width": 1.25,
    "xtick.minor.width": 1,
    "ytick.minor.width": 1,
    "xtick.major.size": 6,
    "ytick.major.size": 6,
    "xtick.minor.size": 4,
    "ytick.minor.size": 4,
    "font.size": 12,
    "axes.labelsize": 12,
    "axes.titlesize": 12,
    "xtick.labelsize": 11,
    "ytick.labelsize": 11,
    "legend.fontsize": 11,
    "legend.title_fontsize": 12,
    "figure.facecolor": "white",
    "axes.labelcolor": ".15",
    "xtick.direction": "out",
    "ytick.direction": "out",
    "xtick.color": ".15",
    "ytick.color": ".15",
    "axes.axisbelow": True,
    "grid.linestyle": "-",
    "text.color": ".15",
    "font.family": "sans-serif",
    "font.sans-serif": [
        "Arial",
        "DejaVu Sans",
        "Liberation Sans",
        "Bitstream Vera Sans",
        "sans-serif",
    ],
    "lines.solid_capstyle": "round",
    "patch.edgecolor": "w",
    "patch.force_edgecolor": True,
    "xtick.top": False,
    "ytick.right": False,
    "axes.grid": True,
    "axes.facecolor": "white",
    "axes.edgecolor": ".8",
    "grid.color": ".8",
    "axes.spines.left": True,
    "axes.spines.bottom": True,
    "axes.spines.right": True,
    "axes.spines.top": True,
    "xtick.bottom": False,
    "ytick.left": False,
}

_RC = {
    "figure.figsize": (6.4, 4.0),
    "figure.dpi": 100,
    "savefig.dpi": 150,
    "savefig.bbox": "tight",
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.prop_cycle": matplotlib.cycler(color=PALETTE),
    # every text of a figure 12 pt (seaborn's ticks and legends are 11): in the book's narrow
    # figures (plots.STACK_WIDTH) that is >= 12 CSS px on a 390-px phone, which shows a figure
    # 342 CSS px wide, and <= 20 CSS px on a desktop (tests/test_figures_phone.py)
    "font.size": 12,
    "axes.labelsize": 12,
    "axes.titlesize": 12,
    "xtick.labelsize": 12,
    "ytick.labelsize": 12,
    "legend.fontsize": 12,
    "legend.title_fontsize": 12,
    "svg.hashsalt": "hien2024",
    "svg.fonttype": "none",
    "path.simplify": True,
}


def setup() -> None:
    """Apply the house style (seaborn's ``whitegrid`` theme with the book's palette) and pandas options.

    Called by the hidden preamble of every chapter. Idempotent. It also fixes the SVG hash salt,
    so that a figure's SVG download is the same bytes on every run.

    Examples
    --------
    Inside contexts that restore matplotlib's and pandas' settings afterwards:

    >>> with matplotlib.rc_context(), pd.option_context("display.max_rows", 60):
    ...     setup()
    ...     matplotlib.rcParams["svg.hashsalt"], pd.get_option("display.max_rows")
    ('hien2024', 200)
    """
    matplotlib.rcParams.update(_WHITEGRID)
    matplotlib.rcParams.update(_RC)
    pd.set_option("display.max_rows", 200)
    pd.set_option("display.max_columns", 50)
    pd.set_option("display.width", 120)


def glue_text(name: str, text: str) -> str:
    """Glue a pre-formatted string for ``{glue:text}`name```; returns it for convenience.

    Only strings are accepted, so that what the reader sees is formatted by the chapter and is
    identical in every output format (a NumPy scalar would print as ``np.float64(…)``).

    Parameters
    ----------
    name : str
        The name under which it is glued: the one the chapter's text refers to.
    text : str
        The formatted number or words.

    Returns
    -------
    str
        ``text``.

    Raises
    ------
    TypeError
        When ``text`` is not a string.

    Examples
    --------
    Outside a notebook, ``glue`` is replaced by a mock that records what would be glued:

    >>> from unittest import mock
    >>> with mock.patch("analysis.book.glue") as glue:
    ...     glue_text("os_median", "9.9")
    '9.9'
    >>> glue.call_args
    call('os_median', '9.9', display=False)
    >>> try:
    ...     glue_text("os_median", 9.9)
    ... except TypeError as error:
    ...     print(error)
    glue_text('os_median'): expected a formatted str, got float
    """
    if not isinstance(text, str):
        raise TypeError(f"glue_text({name!r}): expected a formatted str, got {type(text).__name__}")
    glue(name, text, display=False)
    _GLUED[name] = text
    return text


#: What :func:`glue_text`, :func:`glue_sentence` and :func:`glue_provenance` glued last under
#: each name, as Markdown (:func:`glued`).
_GLUED: dict[str, str] = {}


def glued(name: str) -> str:
    """What :func:`glue_text`, :func:`glue_sentence` or :func:`glue_provenance` last glued under
    ``name``, as Markdown (a badge as its inline HTML, ``""`` on a user's cohort): for a
    sentence glued whole (:func:`glue_sentence`) that sets the same numbers and badges as the
    prose around it.

    Examples
    --------
    >>> from unittest import mock
    >>> with mock.patch("analysis.book.glue"):
    ...     _ = glue_text("x_median", "9.9")
    ...     _ = glue_provenance("x_median.provenance", "assumed", "timing", user=True)
    >>> glued("x_median"), glued("x_median.provenance")
    ('9.9', '')
    """
    return _GLUED[name]


def glue_sentence(name: str, text: str) -> str:
    """Glue a sentence for ``{glue:md}`name:commonmark```: set as ordinary prose.

    :func:`glue_text` suits a number: MyST-NB sets glued text in bold, which marks a computed
    value but turns a whole sentence into a heavy block (on a phone, several lines of bold). A
    sentence whose wording depends on the cohort (a tally of verdicts, or a note that your
    cohort is not scored) is glued as Markdown instead and reads like the prose around it.

    Parameters
    ----------
    name : str
        The name the chapter's text refers to.
    text : str
        The sentence (plain text; Markdown is interpreted).

    Returns
    -------
    str
        ``text``.

    Raises
    ------
    TypeError
        When ``text`` is not a string.

    Examples
    --------
    >>> from unittest import mock
    >>> with mock.patch("analysis.book.glue") as glue:
    ...     glue_sentence("agree_sentence", "3 of 4 rows agree.")
    '3 of 4 rows agree.'
    >>> glue.call_args.args[1].data
    '3 of 4 rows agree.'
    """
    if not isinstance(text, str):
        raise TypeError(f"glue_sentence({name!r}): expected a str, got {type(text).__name__}")
    glue(name, Markdown(text), display=False)
    _GLUED[name] = text
    return text


def glue_code(name: str, *texts: str, conjunction: str = "and") -> str:
    """Glue literal text a reader types or copies (a command, a code) for
    ``{glue:md}`name:commonmark```: set in code type, with its quotes kept as typed.

    :func:`glue_text` is prose: Sphinx turns its straight quotes into typographic ones, so
    ``PARAMS="-p seed=2025"`` would print with ``”`` and could not be pasted into a shell. Each
    text becomes one code span; several are joined as prose
    (:func:`analysis.formatting.word_list`).

    Parameters
    ----------
    name : str
        The name the chapter's text refers to.
    *texts : str
        The literal texts (at least one).
    conjunction : str, default "and"
        The word before the last of several texts.

    Returns
    -------
    str
        The Markdown glued.

    Raises
    ------
    TypeError
        When a text is not a string, or none is given.

    Examples
    --------
    >>> from unittest import mock
    >>> with mock.patch("analysis.book.glue") as glue:
    ...     glue_code("cmd", 'make chapter PARAMS="-p seed=2025"')
    '`make chapter PARAMS="-p seed=2025"`'
    >>> with mock.patch("analysis.book.glue") as glue:
    ...     glue_code("codes", "NA", "n/a", "`")  # a backtick inside: a longer fence
    '`NA`, `n/a` and `` ` ``'
    >>> glue.call_args.args[1].data
    '`NA`, `n/a` and `` ` ``'
    """
    if not texts or not all(isinstance(t, str) for t in texts):
        raise TypeError(f"glue_code({name!r}): expected one or more str")
    spans = []
    for text in texts:
        runs = [len(r) for r in re.findall(r"`+", text)]
        fence = "`" * (max(runs, default=0) + 1)
        pad = " " if text.startswith("`") or text.endswith("`") else ""
        spans.append(f"{fence}{pad}{text}{pad}{fence}")
    markdown = word_list(spans, conjunction)
    glue(name, Markdown(markdown), display=False)
    return markdown


def glue_provenance(
    name: str, kind: str | Provenance, note: str = "", *, user: bool = False
) -> Provenance:
    """Glue the provenance badge of a result for ``{glue:md}`name:commonmark``` (see
    :mod:`analysis.provenance`): ``kind`` is published, determined or assumed (or a
    :class:`~analysis.provenance.Provenance`), ``note`` what an assumed result rests on.

    On a user's cohort (``user=True``) the classes do not apply (nothing there is calibrated or
    generated): the badge is glued empty, so the same chapter text reads right on both.

    Returns
    -------
    analysis.provenance.Provenance
        The class (also on a user's cohort).

    Examples
    --------
    >>> from unittest import mock
    >>> with mock.patch("analysis.book.glue") as glue:
    ...     glue_provenance("os_12m.provenance", "assumed", "timing of response")
    Provenance(kind='assumed', note='timing of response')
    >>> glue.call_args.args
    ('os_12m.provenance', Provenance(kind='assumed', note='timing of response'))
    >>> with mock.patch("analysis.book.glue") as glue:
    ...     _ = glue_provenance("os_12m.provenance", "assumed", "timing of response", user=True)
    >>> glue.call_args.args[1].data  # an empty badge on a user's cohort
    ''
    """
    prov = kind if isinstance(kind, Provenance) else Provenance(kind, note)
    glue(name, Markdown("") if user else prov, display=False)
    _GLUED[name] = "" if user else prov._repr_markdown_()
    return prov


def glue_result(
    name: str, text: str, kind: str | Provenance, note: str = "", *, user: bool = False
) -> str:
    """Glue a result and its provenance together: ``text`` for ``{glue:text}`name``` and its
    badge for ``{glue:md}`name.provenance:commonmark``` (:func:`glue_provenance`; empty on a
    user's cohort). In the chapter the badge goes right after the number (or its unit)::

        The median OS is {glue:text}`os_median` months{glue:md}`os_median.provenance:commonmark`.

    Returns ``text``.

    Examples
    --------
    >>> from unittest import mock
    >>> with mock.patch("analysis.book.glue") as glue:
    ...     glue_result("os_median", "9.9", "published")
    '9.9'
    >>> [(c.args[0], str(c.args[1])) for c in glue.call_args_list]
    [('os_median', '9.9'), ('os_median.provenance', 'published')]
    """
    glue_text(name, text)
    glue_provenance(f"{name}.provenance", kind, note, user=user)
    return text


#: What each verdict word says of a published number: reproduced (✓), not reproduced (✗), or
#: nothing (no mark: not scored on a user's cohort, undecidable at the printed precision, or
#: nothing printed to compare with). The calibration's words (hit, missed, ...) answer another
#: question and are not accepted, except "infeasible": a number no cohort prints is not
#: reproduced either.
VERDICT_MARK: dict[str, bool | None] = {
    AGREES: True,
    CONSISTENT: True,
    DIFFERS: False,
    INFEASIBLE: False,
    INCONSISTENT: False,
    NOT_SCORED: None,
    NOT_COMPARABLE: None,
    CANNOT_TELL: None,
}


def _published_with_verdicts(verdicts: list[str]) -> Provenance:
    """*Published*, marked ✓ when every verdict says reproduced, ✗ when any says not, no mark
    when there is none or one is not scored. The one place verdict words become a mark.

    A word not in ``VERDICT_MARK`` (a typo would otherwise hide a miss) raises ValueError.

    Examples
    --------
    >>> [str(_published_with_verdicts(v)) for v in
    ...  (["agrees", "consistent"], ["agrees", "differs"], ["agrees", NOT_SCORED], [])]
    ['published ✓', 'published ✗', 'published', 'published']
    >>> _published_with_verdicts(["agrees", "differ"])
    Traceback (most recent call last):
    ...
    ValueError: unknown verdict word 'differ' (known: 'agrees', 'consistent', 'differs', 'infeasible', 'inconsistent', 'not scored (your cohort)', 'not comparable', 'cannot tell')
    """
    verdicts = [str(v) for v in verdicts]
    unknown = [v for v in verdicts if v not in VERDICT_MARK]
    if unknown:
        known = ", ".join(repr(w) for w in VERDICT_MARK)
        raise ValueError(f"unknown verdict word {unknown[0]!r} (known: {known})")
    marks = [VERDICT_MARK[v] for v in verdicts]
    if False in marks:
        return _provenance.published(False)
    if marks and all(marks):
        return _provenance.published(True)
    return _provenance.published()


def verdict_provenance(table: pd.DataFrame, *quantities: str) -> Provenance:
    """*Published*, with the verdict of rows ``quantities`` of a :func:`analysis.tables.compare`
    table: ✓ when every one is reproduced, ✗ when any is not, no mark when not scored. A verdict
    that is not a word of the comparison or audit vocabularies raises ValueError.

    Parameters
    ----------
    table : pandas.DataFrame
        Columns ``quantity`` (or ``characteristic``, as in :func:`analysis.tables.table1`) and
        ``verdict``.
    *quantities : str
        The rows whose verdicts count.

    Returns
    -------
    analysis.provenance.Provenance

    Examples
    --------
    >>> table = pd.DataFrame({"quantity": ["CR, n", "CR, %", "PR, n"],
    ...                       "verdict": ["agrees", "agrees", "differs"]})
    >>> str(verdict_provenance(table, "CR, n", "CR, %")), str(verdict_provenance(table, "CR, n", "PR, n"))
    ('published ✓', 'published ✗')
    >>> str(verdict_provenance(table, "SD, n"))  # no such row: not scored
    'published'
    >>> t1 = pd.DataFrame({"characteristic": ["AST (U/L)"], "verdict": ["agrees"]})
    >>> str(verdict_provenance(t1, "AST (U/L)"))
    'published ✓'
    """
    label = "quantity" if "quantity" in table.columns else "characteristic"
    return _published_with_verdicts(table.loc[table[label].isin(quantities), "verdict"])


#: The verdict of a finding in words (:func:`verdict_words`), for the summaries at the top of
#: chapters 4–9: reproduced, not reproduced, not scored on a user's cohort, or not compared.
VERDICT_WORDS = {
    True: "reproduced",
    False: "not reproduced",
    NOT_SCORED: "not scored on your cohort",
    None: "not compared",
}


def verdict_words(table: pd.DataFrame, *quantities: str) -> str:
    """The verdict of rows ``quantities`` of a :func:`analysis.tables.compare` table in words,
    for a chapter's summary of its findings: "reproduced" when every one prints as the paper's,
    "not reproduced" when any does not (as :func:`verdict_provenance` marks them ✓ or ✗), "not
    scored on your cohort" on a user's cohort, "not compared" otherwise (no such row, or
    nothing printed to compare with).

    Parameters
    ----------
    table : pandas.DataFrame
        Columns ``quantity`` (or ``characteristic``) and ``verdict``.
    *quantities : str
        The rows whose verdicts count.

    Returns
    -------
    str
        A value of :data:`VERDICT_WORDS`.

    Examples
    --------
    >>> table = pd.DataFrame({"quantity": ["CR, n", "CR, %", "PR, n"],
    ...                       "verdict": ["agrees", "agrees", "differs"]})
    >>> verdict_words(table, "CR, n", "CR, %"), verdict_words(table, "CR, n", "PR, n")
    ('reproduced', 'not reproduced')
    >>> verdict_words(table.assign(verdict=NOT_SCORED), "CR, n"), verdict_words(table, "SD, n")
    ('not scored on your cohort', 'not compared')
    """
    label = "quantity" if "quantity" in table.columns else "characteristic"
    found = [str(v) for v in table.loc[table[label].isin(quantities), "verdict"]]
    if NOT_SCORED in found:
        return VERDICT_WORDS[NOT_SCORED]
    mark = _published_with_verdicts(found).note
    return VERDICT_WORDS[{"✓": True, "✗": False}.get(mark)]


def comparison_classes(table: pd.DataFrame) -> dict:
    """Header classes for a published-beside-reproduced table (:func:`analysis.tables.compare`):
    the ``published`` column is the paper's, *published*; the ``reproduced`` column is this
    cohort's, never published. It is *determined* when every row agrees: each is then a target
    that every calibrated cohort reproduces (the ensemble keeps only cohorts that print every
    feasible number of Table 1, the responses and the survival block), so the same in all of
    them; otherwise not measured (:data:`analysis.ensemble.UNMEASURED`). For ``provenance=`` of
    :func:`glue_table`, in place of one class for "every number in this table".

    Examples
    --------
    >>> table = pd.DataFrame({"quantity": ["CR, n"], "published": ["4"], "reproduced": ["4"],
    ...                       "verdict": ["agrees"]})
    >>> {c: str(p) for c, p in comparison_classes(table).items()}
    {'published': 'published', 'reproduced': 'determined'}
    >>> str(comparison_classes(table.assign(verdict="differs"))["reproduced"])
    'assumed: not measured across calibrated cohorts'
    """
    agree = bool(len(table)) and all(VERDICT_MARK.get(str(v)) is True for v in table["verdict"])
    ours = Provenance(_provenance.DETERMINED) if agree else _ensemble.UNMEASURED
    return {"published": _provenance.published(), "reproduced": ours}


def reproduced_provenance(table: pd.DataFrame, *quantities: str) -> Provenance:
    """The class of this cohort's values in rows ``quantities`` of a
    :func:`analysis.tables.compare` table, for prose that quotes them: the class of the table's
    Reproduced column for those rows (:func:`comparison_classes`), never *published*, which is
    the paper's number (:func:`verdict_provenance` badges that one). A value that prints as the
    paper's is *determined*, its tooltip saying it is this cohort's estimate of a printed number
    (:func:`analysis.provenance.cohort_estimate`); one that does not is *assumed*.

    Parameters
    ----------
    table : pandas.DataFrame
        Columns ``quantity`` (or ``characteristic``) and ``verdict``.
    *quantities : str
        The rows quoted.

    Returns
    -------
    analysis.provenance.Provenance

    Examples
    --------
    >>> table = pd.DataFrame({"quantity": ["CR, n", "CR, %", "PR, n"],
    ...                       "verdict": ["agrees", "agrees", "differs"]})
    >>> str(reproduced_provenance(table, "CR, n", "CR, %"))
    'determined'
    >>> reproduced_provenance(table, "CR, n").note == _provenance.REPRODUCED
    True
    >>> str(reproduced_provenance(table, "CR, n", "PR, n"))
    'assumed: not measured across calibrated cohorts'
    """
    label = "quantity" if "quantity" in table.columns else "characteristic"
    rows = table.loc[table[label].isin(quantities)]
    mark = _published_with_verdicts(rows["verdict"]).note
    reproduced = {"✓": True, "✗": False}.get(mark)
    return _provenance.cohort_estimate(comparison_classes(rows)["reproduced"], reproduced)


def entry_provenance(values: dict, *, user: bool = False) -> Provenance:
    """*Published*, with the verdict of this cohort's value of each printed number, judged as
    :func:`analysis.tables.compare` judges it (:func:`analysis.tables.verdict`): for a figure
    that shows published numbers before the chapter's comparison table is computed.

    Parameters
    ----------
    values : dict
        Published entry id -> this cohort's value (a number, or a ``(lower, upper)`` pair).
    user : bool
        A user's cohort: not scored (no mark).

    Returns
    -------
    analysis.provenance.Provenance

    Examples
    --------
    The paper prints a mean age of 60.5 years:

    >>> str(entry_provenance({"table1.age_years.mean": 60.46}))
    'published ✓'
    >>> str(entry_provenance({"table1.age_years.mean": 60.46, "table1.sex_male.count": 74}))
    'published ✗'
    >>> str(entry_provenance({"table1.age_years.mean": 60.46}, user=True))
    'published'
    """
    return _published_with_verdicts([_verdict(v, i, user=user) for i, v in values.items()])


def cohort_value_provenance(values: dict, *, user: bool = False) -> Provenance:
    """The class of this cohort's own value of printed numbers, for a figure that draws it (a
    survival curve's median): never *published*, which is the paper's number. Classed as
    :func:`comparison_classes` classes a table's Reproduced column: *determined* when every
    value prints as the paper's (:func:`analysis.tables.verdict`), otherwise not measured
    (:data:`analysis.ensemble.UNMEASURED`).

    Parameters
    ----------
    values : dict
        Published entry id -> this cohort's value (a number, or a ``(lower, upper)`` pair).
    user : bool
        A user's cohort: not scored (and its figures show no badge).

    Returns
    -------
    analysis.provenance.Provenance

    Examples
    --------
    The paper prints a median OS of 9.9 months:

    >>> str(cohort_value_provenance({"results.os_median.median": 9.9}))
    'determined'
    >>> str(cohort_value_provenance({"results.os_median.median": 12.0}))
    'assumed: not measured across calibrated cohorts'
    """
    verdicts = [_verdict(v, i, user=user) for i, v in values.items()]
    return comparison_classes(pd.DataFrame({"verdict": verdicts}))["reproduced"]


#: The three intervals of a median (:data:`analysis.survival.CI_METHODS`) as
#: :func:`median_comparison` labels their rows.
MEDIAN_CI_LABELS = {
    "spss": "SPSS (median ± 1.96·SE)",
    "log": "R survfit default (log)",
    "log-log": "lifelines default (log-log)",
}

#: Why R's and lifelines' intervals are not compared with the paper's (the note of their
#: verdict, "not comparable": the paper printed no such interval).
_MEDIAN_CI_REASONS = {
    "log": "the paper used SPSS: its interval is symmetric about the median, R's log interval is not",
    "log-log": "the paper used SPSS: its interval is symmetric about the median, lifelines' log-log interval is not",
}

#: What Table 6.1's Published column shows for an interval the paper did not print.
_NOT_PUBLISHED = "—"


def median_comparison(
    medians, mean: float, endpoint: str, *, cohort_path=None
) -> tuple[pd.DataFrame, list[Provenance]]:
    """This cohort's median survival, its 95% interval by three programs and SPSS's restricted
    mean, each beside the paper's number (chapter 6's Tables 6.1 and 6.2), and the class of
    this cohort's value in each row.

    Parameters
    ----------
    medians : mapping
        Each method of :data:`analysis.survival.CI_METHODS` to ``(median, lower, upper)``
        (:func:`analysis.survival.median_survival` with ``ci=`` that method).
    mean : float or analysis.survival.MeanResult
        SPSS's restricted mean (:func:`analysis.survival.mean_survival`). A result with a
        ``reason`` (no events: the area would be one patient's follow-up) reads "not
        estimable", its reason in the row's note, on any cohort.
    endpoint : {"os", "pfs"}
        Which survival: the paper's entries ``results.<endpoint>_median`` and
        ``results.<endpoint>_mean`` (:mod:`analysis.published`).
    cohort_path : path-like, optional
        The chapter's ``cohort_path``: a user's cohort is not scored
        (:func:`analysis.tables.compare`).

    Returns
    -------
    table : pandas.DataFrame
        :func:`analysis.tables.compare`'s rows: the median, its SPSS, R and lifelines intervals
        (in the order of :data:`~analysis.survival.CI_METHODS`), the mean. The paper printed
        SPSS's interval only: R's and lifelines' rows show "—" as published and the verdict
        :data:`~analysis.verdicts.NOT_COMPARABLE` (not scored on a user's cohort), their reason
        saying why the paper's is SPSS's.
    classes : list of analysis.provenance.Provenance
        The class of this cohort's value in each row, never *published* (the paper's number
        is): the median, SPSS's interval and the mean as :func:`comparison_classes` classes a
        reproduced value; R's and lifelines' intervals, which no paper's number can match, by
        their spread across calibrated cohorts (:func:`analysis.ensemble.result_provenance`).
        The prose badges these values with the same classes.

    Examples
    --------
    >>> medians = {"spss": (9.9, 8.66, 11.04), "log": (9.9, 6.6, 14.0), "log-log": (9.9, 6.4, 12.2)}
    >>> table, classes = median_comparison(medians, 14.0, "os")
    >>> table[["published", "reproduced", "verdict"]]
      published reproduced         verdict
    0       9.9        9.9          agrees
    1    8.7–11     8.7–11          agrees
    2         —     6.6–14  not comparable
    3         —     6.4–12  not comparable
    4      14.0       14.0          agrees
    >>> [c.kind for c in classes]
    ['determined', 'determined', 'assumed', 'assumed', 'determined']

    Nobody died: no mean, and why (never the longest follow-up, one patient's time):

    >>> from analysis.survival import mean_survival
    >>> table, _ = median_comparison(medians, mean_survival([3, 5], [0, 0]), "os", cohort_path="x.csv")
    >>> print(" | ".join(table.iloc[4][["your cohort", "reason"]]))  # doctest: +ELLIPSIS
    not estimable | no events (every patient is censored), so the curve never falls and ...
    """
    mean_reason = getattr(mean, "reason", "")
    mean = float("nan") if mean_reason else float(getattr(mean, "mean", mean))
    labels_ = {
        "median": f"median {endpoint.upper()} (months)",
        "mean": f"mean {endpoint.upper()} (months), SPSS restricted mean",
    }
    interval_id = f"results.{endpoint}_median.interval"
    rows = [
        {
            "quantity": labels_["median"],
            "id": f"results.{endpoint}_median.median",
            "computed": medians["spss"][0],
        }
    ]
    for method in CI_METHODS:
        rows.append(
            {
                "quantity": f"95% CI of the median, {MEDIAN_CI_LABELS[method]}",
                "id": interval_id,
                "computed": tuple(medians[method][1:3]),
                "reason": _MEDIAN_CI_REASONS.get(method),
            }
        )
    rows.append(
        {"quantity": labels_["mean"], "id": f"results.{endpoint}_mean.mean", "computed": mean}
    )
    if mean_reason:
        rows[-1]["reason"] = mean_reason
    table = compare(rows, cohort_path=cohort_path)
    if mean_reason:  # said, not "–"; a user's cohort keeps the reason too: it says why
        shown = "reproduced" if "reproduced" in table.columns else YOUR_COHORT
        table.loc[len(rows) - 1, shown] = "not estimable"
        table.loc[len(rows) - 1, "reason"] = mean_reason
    # the paper printed SPSS's interval only: nothing to set R's and lifelines' beside
    others = [
        i for i, method in enumerate([None, *CI_METHODS, None]) if method in _MEDIAN_CI_REASONS
    ]
    table.loc[others, "published"] = _NOT_PUBLISHED
    if not table.attrs.get("user_cohort"):  # a user's cohort: not scored, as every row
        table.loc[others, "verdict"] = NOT_COMPARABLE
        table.loc[others, "reason"] = [rows[i]["reason"] for i in others]
    classes = []
    for i, method in enumerate([None, *CI_METHODS, None]):
        if method in _MEDIAN_CI_REASONS:  # never the paper's: its spread across cohorts
            key = f"survival.{endpoint}_ci_{method.replace('-', '')}"
            classes.append(_ensemble.result_provenance(f"{key}_lower", f"{key}_upper"))
        else:
            classes.append(comparison_classes(table.iloc[[i]])["reproduced"])
    return table, classes


#: Chapter 6's three comparisons of overall survival (the paper's Figures 1, 2A and 2B): key ->
#: (the cohort's column, {value: (label, published quantity)}, log-rank quantity, the figure
#: whose entries of ``data/published/`` hold them).
SURVIVAL_COMPARISONS = {
    "dc": (
        "disease_control",
        {
            1: ("disease control (CR/PR/SD)", "os_median_dc"),
            0: ("progressive disease", "os_median_pd"),
        },
        "logrank_dc_vs_pd",
        "figure1",
    ),
    "prior_tace": (
        "prior_tace_group",
        {
            "2–4": ("2–4 prior TACE", "os_median_prior_tace_2_4"),
            ">4": ("> 4 prior TACE", "os_median_prior_tace_gt4"),
        },
        "logrank_prior_tace",
        "figure2",
    ),
    "additional_tace": (
        "additional_tace",
        {
            1: ("additional TACE", "os_median_additional_tace"),
            0: ("no additional TACE", "os_median_no_additional_tace"),
        },
        "logrank_additional_tace",
        "figure2",
    ),
}


@dataclasses.dataclass(frozen=True)
class SurvivalComparisons:
    """What :func:`survival_comparisons` returns: chapter 6's Table 6.3 and what its prose needs.

    Attributes
    ----------
    table : pandas.DataFrame
        :func:`analysis.tables.compare`'s rows: for each comparison of
        :data:`SURVIVAL_COMPARISONS`, each group's median OS and SPSS interval, then the log-rank
        P, beside the paper's.
    classes : list of analysis.provenance.Provenance
        The class of this cohort's value in each row (:func:`comparison_classes`), never
        *published* (the paper's number is).
    results : dict
        Key -> :func:`analysis.survival.group_comparison` (medians kept below 0 as SPSS's formula
        gives them).
    notes : dict
        Key -> an :func:`analysis.tables.explanation` of what is not estimable on this cohort, or
        ``None``.
    below_zero : dict
        Group label -> why this cohort's SPSS interval runs below 0 (``""`` when it does not).
    unnoted : list of str
        The ``below_zero`` notes no row's reason already gives: the table's own notes.
    hidden : dict
        Key -> the groups (values of :data:`SURVIVAL_COMPARISONS`) whose median, interval and
        log-rank test a user's cohort does not show (1 to 4 patients,
        :func:`analysis.privacy.small_groups`); empty on the book's cohort.

    Examples
    --------
    >>> from analysis.cohort import derive, load_cohort
    >>> comparisons = survival_comparisons(derive(load_cohort(None)))
    >>> sorted(comparisons.results), comparisons.unnoted, comparisons.hidden["prior_tace"]
    (['additional_tace', 'dc', 'prior_tace'], [], [])
    """

    table: pd.DataFrame
    classes: list
    results: dict
    notes: dict
    below_zero: dict
    unnoted: list
    hidden: dict = dataclasses.field(default_factory=dict)


def _words_label(label: str) -> str:
    """A group's label as a note may start with it: "> 4 prior TACE" reads "more than 4 prior
    TACE" (a ">" at the start of a line of Markdown opens a blockquote).

    >>> _words_label("> 4 prior TACE"), _words_label("2–4 prior TACE")
    ('more than 4 prior TACE', '2–4 prior TACE')
    """
    return re.sub(r"^>\s*", "more than ", label)


def survival_comparisons(cohort: pd.DataFrame, *, cohort_path=None) -> SurvivalComparisons:
    """The paper's three comparisons of overall survival on this cohort (chapter 6's Table 6.3):
    each group's median OS and SPSS 95% interval and the log-rank P, beside the paper's.

    Parameters
    ----------
    cohort : pandas.DataFrame
        :func:`analysis.cohort.derive`'s columns: ``os_months``, ``os_event`` and the columns
        of :data:`SURVIVAL_COMPARISONS`.
    cohort_path : path-like, optional
        The chapter's ``cohort_path``: a user's cohort is not scored
        (:func:`analysis.tables.compare`).

    Returns
    -------
    SurvivalComparisons

    Notes
    -----
    A row's reason says why this cohort's number cannot be the paper's: a median not estimable
    (:func:`analysis.survival.group_comparison`), an interval no SPSS output prints
    (:func:`analysis.synthesis.infeasible_interval_note`, chapter 1's Table 1.1: its verdict
    :data:`~analysis.verdicts.INFEASIBLE`, this cohort's interval being only as close as a
    symmetric one gets), an SPSS bound below 0 (:func:`analysis.survival.negative_bound_note`).

    On a user's cohort a group of 1 to 4 patients is not drawn (:func:`analysis.plots.km_plot`)
    and its median, interval and log-rank P read
    :data:`analysis.privacy.NOT_SHOWN_SMALL_GROUP`, with no note on them.

    Examples
    --------
    >>> from analysis.cohort import derive, load_cohort
    >>> comparisons = survival_comparisons(derive(load_cohort(None)))
    >>> comparisons.table["quantity"].iloc[[0, 1, 4]].tolist()
    ['median OS, disease control (CR/PR/SD)', '95% CI (SPSS), disease control (CR/PR/SD)', 'log-rank P, disease control (CR/PR/SD) vs progressive disease']
    >>> len(comparisons.table), len(comparisons.classes), comparisons.notes["dc"]
    (15, 15, None)
    >>> comparisons.table.loc[8, ["published", "reproduced", "verdict"]].tolist()
    ['0.5–13.6', '-0.6 to 7.4', 'infeasible']
    """
    t, e = cohort["os_months"], cohort["os_event"]
    user = is_user_cohort(cohort, cohort_path)
    rows, results, notes, below_zero, hidden = [], {}, {}, {}, {}
    for key, (col, groups, lr_quantity, fig_loc) in SURVIVAL_COMPARISONS.items():
        labels_ = {value: label for value, (label, _) in groups.items()}
        # the SPSS interval as its formula gives it: a lower bound below 0 is kept (a note says why)
        result = group_comparison(
            t, e, cohort[col], list(groups), labels=labels_, clip_at_zero=False
        )
        results[key] = result
        # a user's cohort: a group of 1-4 patients, not drawn, shows no median, interval or test
        sizes = {value: g["n"] for value, g in result["groups"].items()}
        hidden[key] = small_groups(sizes, user=user)
        gaps = [
            f"{_words_label(labels_[v])}: {g['reason']}"
            for v, g in result["groups"].items()
            if g["reason"] and v not in hidden[key]
        ]
        if result["reason"] and not hidden[key]:
            gaps.append(f"log-rank test not estimable: {result['reason']}")
        said = "; ".join(gaps)
        notes[key] = explanation(said[:1].upper() + said[1:] + ".") if gaps else None
        for value, (label, quantity) in groups.items():
            g = result["groups"][value]
            m, lo, hi = g["median"], g["lower"], g["upper"]
            interval_id = f"{fig_loc}.{quantity}.interval"
            median_id = f"{fig_loc}.{quantity}.median"
            small = {"hidden": NOT_SHOWN_SMALL_GROUP} if value in hidden[key] else {}
            # an interval no SPSS output prints (not symmetric about its median): chapter 1's
            # verdict and reason (Table 1.1), its bounds read as the calibration reads them
            reason = infeasible_interval_note(interval_id) or None
            # SPSS's bound below 0: why, in the note of the interval's row (one note, not two)
            below = negative_bound_note("", m, lo, hi, median_interval(lo, hi), decimals=1)
            below_zero[label] = f"On this cohort, {below}" if below and not small else ""
            reason = f"{reason} {below_zero[label]}" if reason and below_zero[label] else reason
            rows.append(
                {
                    "quantity": f"median OS, {label}",
                    "id": median_id,
                    "computed": m,
                    "reason": g["reason"] or None,
                    **small,
                }
            )
            rows.append(
                {
                    "quantity": f"95% CI (SPSS), {label}",
                    "id": interval_id,
                    "computed": (lo, hi),
                    "reason": g["reason"] or reason,
                    "infeasible": bool(infeasible_interval_note(interval_id)),
                    **small,
                }
            )
        rows.append(
            {
                "quantity": f"log-rank P, {' vs '.join(lab for lab, _ in groups.values())}",
                "id": f"{fig_loc}.{lr_quantity}.p",
                "computed": result["p"],
                "reason": result["reason"] or None,
                **({"hidden": NOT_SHOWN_SMALL_GROUP} if hidden[key] else {}),
            }
        )
    table = compare(rows, cohort_path=cohort_path, user=user)
    # the paper's interval is one no cohort prints (chapter 1): this cohort's is not a
    # reproduction that missed, and its verdict says so (not scored on a user's cohort)
    for i, row in enumerate(rows):
        if row.get("infeasible") and table.loc[i, "verdict"] == DIFFERS:
            table.loc[i, "verdict"] = INFEASIBLE
    # a Class column, as Table 6.1's: each row's class is that of this cohort's value (the
    # prose's badges), never published (the Published column is the paper's)
    classes = [comparison_classes(table.iloc[[i]])["reproduced"] for i in range(len(table))]
    given = " ".join(table["reason"].fillna(""))
    unnoted = [n for n in below_zero.values() if n and n not in given]
    return SurvivalComparisons(table, classes, results, notes, below_zero, unnoted, hidden)


@dataclasses.dataclass(frozen=True)
class GroupMedian:
    """One group of a comparison of overall survival as chapter 6's prose sets it
    (:func:`group_medians_sentence`). Every text is as printed, badges included.

    Attributes
    ----------
    who : str
        The group as the subject of a sentence, lower case, starting with "patients"
        ("patients with disease control").
    short : str
        The group in the second half of a sentence that names both groups ("those with
        progressive disease").
    n : str
        Its size as printed.
    median : str
        This cohort's median with its unit and badge ("9.9 months").
    ci : str
        This cohort's interval with its badge ("8.7–11.0").
    paper : str
        The paper's median and interval with the verdict's badge ("14 months (8.5–19.5)").
    reason : str
        Why this cohort's median is missing (:func:`analysis.survival.group_comparison`), ``""``
        when it is not.
    nobody : str
        Why the group has no patients, said of this cohort ("no patient of this cohort had more
        than 4"): the sentence gives it instead of
        :data:`analysis.survival.NOBODY_IN_GROUP`.
    hidden : str
        What a user's cohort prints instead of the median and interval of a group of 1 to 4
        patients (:data:`analysis.privacy.NOT_SHOWN_SMALL_GROUP`), ``""`` when they are shown.

    Examples
    --------
    >>> g = GroupMedian("patients with more than 4 prior TACE sessions", "those with more than 4",
    ...                 "0", "", "", "3.4 months (0.5–13.6)", reason=NOBODY_IN_GROUP,
    ...                 nobody="no patient of this cohort had more than 4")
    >>> g.short, g.nobody
    ('those with more than 4', 'no patient of this cohort had more than 4')
    """

    who: str
    short: str
    n: str
    median: str
    ci: str
    paper: str
    reason: str = ""
    nobody: str = NOBODY_IN_GROUP
    hidden: str = ""


def group_medians_sentence(first: GroupMedian, second: GroupMedian) -> str:
    """The two groups' median OS beside the paper's, as chapter 6 glues it whole
    (``{glue:md}`surv_KEY_groups:commonmark```).

    A group without patients, or whose median cannot be estimated, gets a sentence of its own
    saying so and why (:func:`analysis.formatting.not_computable`), with the paper's median;
    never "a median OS of not estimable (nobody in this group) months". A median the curve
    never reaches is said in words, not as "not reached months". A group a user's cohort does
    not show (1 to 4 patients, ``hidden``) gets a sentence of its own too, with no number of it.

    Examples
    --------
    >>> dc = GroupMedian("patients with disease control", "those with disease control", "46",
    ...                  "11.7 months", "1.9–21.4", "11.7 months (1.9–21.4)")
    >>> pd_ = GroupMedian("patients with progressive disease", "those with progressive disease",
    ...                   "36", "3.4 months", "2.2–4.6", "3.4 months (2.2–4.6)")
    >>> group_medians_sentence(dc, pd_)  # doctest: +NORMALIZE_WHITESPACE
    'Patients with disease control (46) have a median OS of 11.7 months (95% CI 1.9–21.4),
    against 11.7 months (1.9–21.4) in the paper; those with progressive disease (36) 3.4 months
    (2.2–4.6), against 3.4 months (2.2–4.6) in the paper.'
    >>> empty = dataclasses.replace(pd_, n="0", reason=NOBODY_IN_GROUP,
    ...                             nobody="no patient of this cohort had progressive disease")
    >>> print(group_medians_sentence(dc, empty))  # doctest: +NORMALIZE_WHITESPACE
    Patients with disease control (46) have a median OS of 11.7 months (95% CI 1.9–21.4),
    against 11.7 months (1.9–21.4) in the paper. The median OS of the patients with progressive
    disease cannot be computed on this cohort: no patient of this cohort had progressive disease.
    The paper's is 3.4 months (2.2–4.6).
    >>> ties = dataclasses.replace(dc, ci="interval not estimable")
    >>> group_medians_sentence(ties, pd_).split(", against")[0]
    'Patients with disease control (46) have a median OS of 11.7 months (95% CI not estimable)'
    >>> few = dataclasses.replace(pd_, n="<5", hidden="not shown (fewer than 5 patients)")
    >>> print(group_medians_sentence(dc, few))  # doctest: +NORMALIZE_WHITESPACE
    Patients with disease control (46) have a median OS of 11.7 months (95% CI 1.9–21.4),
    against 11.7 months (1.9–21.4) in the paper. The median OS of the patients with progressive
    disease (<5) and its interval are not shown (fewer than 5 patients); the paper's is 3.4 months
    (2.2–4.6).
    """

    def ci(g: GroupMedian) -> str:  # "95% CI not estimable", not "95% CI interval not estimable"
        return g.ci.removeprefix("interval ")

    def own(g: GroupMedian) -> str:
        if g.hidden:
            return (
                f"The median OS of the {g.who} ({g.n}) and its interval are {g.hidden}; "
                f"the paper's is {g.paper}."
            )
        if g.reason == "median not reached":
            return (
                f"{g.who[:1].upper()}{g.who[1:]} ({g.n}) have not reached a median OS: their curve "
                f"stays above one half (95% CI {ci(g)}), against {g.paper} in the paper."
            )
        if g.reason:
            why = g.nobody if g.reason == NOBODY_IN_GROUP else g.reason
            return (
                not_computable(f"the median OS of the {g.who}", why) + f" The paper's is {g.paper}."
            )
        return (
            f"{g.who[:1].upper()}{g.who[1:]} ({g.n}) have a median OS of {g.median} "
            f"(95% CI {ci(g)}), against {g.paper} in the paper."
        )

    if first.reason or second.reason or first.hidden or second.hidden:
        return " ".join(own(g) for g in (first, second))
    return (
        f"{own(first)[:-1]}; {second.short} ({second.n}) {second.median} ({second.ci}), "
        f"against {second.paper} in the paper."
    )


def logrank_sentence(
    p: str, paper: str, *, reason: str = "", chi2: str = "", hidden: str = ""
) -> str:
    """Chapter 6's sentence on a log-rank test beside the paper's P, glued whole
    (``{glue:md}`surv_lr_KEY_sentence:commonmark```).

    Parameters
    ----------
    p : str
        This cohort's P as printed, with its relation, badge and any remark ("= 0.009").
    paper : str
        The paper's P with its badge ("P = 0.01").
    reason : str
        Why the test cannot be computed (:func:`analysis.survival.group_comparison`'s reason):
        then a sentence of its own says so and why, and the paper's P follows.
    chi2 : str
        The χ² statistic as printed with its badge, or ``""`` to give the P alone.
    hidden : str
        What a user's cohort prints instead of a test that compares a group of 1 to 4 patients
        (:data:`analysis.privacy.NOT_SHOWN_SMALL_GROUP`): then the sentence gives no number of
        this cohort, and follows the sentence on that group's median
        (:func:`group_medians_sentence`).

    Examples
    --------
    >>> logrank_sentence("= 0.009", "P = 0.01")
    'Log-rank P = 0.009, against P = 0.01 in the paper.'
    >>> logrank_sentence("< 0.001", "P < 0.001", chi2="20.15")
    'Log-rank χ² = 20.15 on 1 degree of freedom, P < 0.001, against P < 0.001 in the paper.'
    >>> logrank_sentence("", "P = 0.01", reason="only one group has patients (nobody in > 4 prior TACE)")
    'The log-rank test cannot be computed on this cohort: only one group has patients, nobody in > 4 prior TACE. The paper gives P = 0.01.'
    >>> logrank_sentence("", "P = 0.01", hidden="not shown (fewer than 5 patients)")
    'The log-rank P, which compares that group, is not shown (fewer than 5 patients); the paper gives P = 0.01.'
    """
    if hidden:
        return f"The log-rank P, which compares that group, is {hidden}; the paper gives {paper}."
    if reason:
        return not_computable("the log-rank test", reason) + f" The paper gives {paper}."
    statistic = f"χ² = {chi2} on 1 degree of freedom, P" if chi2 else "P"
    return f"Log-rank {statistic} {p}, against {paper} in the paper."


def logrank_line(result: dict, *, user: bool = False) -> str:
    """A log-rank test as chapter 6 prints it under its code: χ² and P, or why not.

    Parameters
    ----------
    result : dict
        :func:`analysis.survival.group_comparison`'s result.
    user : bool
        A user's cohort: a test comparing a group of 1 to 4 patients is not shown
        (:func:`analysis.privacy.small_groups`), as that group's curve is not drawn.

    Examples
    --------
    >>> from analysis.survival import group_comparison
    >>> t, e = [1, 2, 3, 4, 5, 6, 7, 8], [1, 1, 1, 1, 1, 1, 1, 0]
    >>> result = group_comparison(t, e, [0, 0, 0, 0, 0, 1, 1, 1], [1, 0])
    >>> logrank_line(result)
    'log-rank chi2 = 6.09, P = 0.014'
    >>> logrank_line(result, user=True)
    'log-rank test not shown (fewer than 5 patients)'
    >>> logrank_line(group_comparison(t, e, [0] * 8, [1, 0]))
    'log-rank test not estimable: only one group has patients (nobody in the group “1”)'
    """
    if result["reason"]:  # e.g. no deaths, or one group only
        return f"log-rank test not estimable: {result['reason']}"
    sizes = {value: g["n"] for value, g in result["groups"].items()}
    if small_groups(sizes, user=user):
        return f"log-rank test {NOT_SHOWN_SMALL_GROUP}"
    p = p_value(result["p"], 3, relation=True)
    return f"log-rank chi2 = {number(result['chi2'], 2)}, P {p}"


@functools.lru_cache(maxsize=1)
def _table2_not_aimed() -> dict[str, str]:
    """Feasible Table 2 cell id -> what the calibration aims at instead, for the cells of a row
    that cannot print whole where the calibration keeps another reading than the counts
    (``aimed`` of :func:`analysis.paper.table2_feasibility`: albumin ≤ 3 g/dL)."""
    cells = paper.table2_feasibility()
    cells = cells[cells["feasible"] & ~cells["aimed"] & (cells["follow"] != "")]
    return dict(zip(cells["id"], cells["follow"], strict=True))


@functools.lru_cache(maxsize=1)
def _table2_feasible() -> dict[str, bool]:
    """Printed Table 2 cell id -> whether some cohort of the paper's size can show it."""
    cells = paper.table2_feasibility()
    return {i: bool(f) for i, f in zip(cells["id"], cells["feasible"], strict=True)}


def table2_provenance(ids, fits: dict | None = None, *, power: float = 1.0) -> Provenance:
    """The class of this cohort's Table 2 estimate that shows the printed cells ``ids``.

    Never *published*: the paper's hazard ratio is published, this cohort's reproduction of it
    is not, whether or not it prints the same digits (that verdict, ✓ or ✗, is shown beside the
    estimate, not in its class). The class is that of the estimate's hazard ratios across
    calibrated cohorts, the one number of a row the ensemble measures
    (:func:`analysis.ensemble.reproduced_provenance`): *determined* when every calibrated cohort
    gives about the same, *assumed* when they do not. Cells the paper does not print are
    ignored; an estimate with no printed cell is not measured
    (:data:`analysis.ensemble.UNMEASURED`).

    Given this cohort's ``fits``, an estimate that does not print every cell of ``ids`` as the
    paper does is *assumed* whatever its spread: the paper prints another value
    (:func:`analysis.provenance.cohort_estimate`, the one rule; :func:`glue_table2` applies it
    to its rows, whose ✗ says the same).

    Parameters
    ----------
    ids : iterable of str
        Ids of Table 2 cells, ``table2.<term>.<uni|multi>.<hr|interval|p>``. Accepted as the
        ``provenance`` of :func:`glue_table2`.
    fits : dict, optional
        This cohort's :func:`analysis.tables.table2_models` (``univariate`` and
        ``multivariate`` estimates), read at the paper's printed precision; none: not scored.
    power : float
        For a number derived from the estimate, its hazard ratio raised to ``power`` (per
        100 U/L from per U/L: 100), classed by that range across calibrated cohorts
        (:func:`analysis.ensemble.reproduced_provenance`) and assumed with it when this cohort
        misses the row.

    Returns
    -------
    analysis.provenance.Provenance

    Examples
    --------
    Age per year: every calibrated cohort prints 0.996.

    >>> str(table2_provenance(["table2.age_years.uni.hr", "table2.age_years.uni.interval"]))
    'determined'
    >>> str(table2_provenance(["table2.albi_score.multi.hr"]))
    'assumed: varies across calibrated cohorts'
    >>> str(table2_provenance(["table2.no_such_term.multi.hr"]))
    'assumed: not measured across calibrated cohorts'

    Unless this cohort prints another value than the paper's 0.996 (0.975–1.017):

    >>> columns = ["hr", "lower", "upper", "p"]
    >>> fits = {"univariate": pd.DataFrame([[0.9961, 0.9752, 1.0174, 0.701]], columns=columns,
    ...                                    index=["age_years"])}
    >>> age = ["table2.age_years.uni.hr", "table2.age_years.uni.interval"]
    >>> str(table2_provenance(age, fits))
    'determined'
    >>> fits["univariate"].loc["age_years", "upper"] = 1.0204  # prints 1.020
    >>> str(table2_provenance(age, fits)), str(table2_provenance(age[:1], fits))
    ('assumed: the paper prints another value', 'determined')
    """
    feasible = _table2_feasible()
    printed = [i for i in ids if i in feasible]
    if not printed:
        return _ensemble.UNMEASURED
    hrs = sorted({i.rsplit(".", 1)[0] + ".hr" for i in printed})
    spread = _ensemble.reproduced_provenance(*hrs, power=power)
    if fits is None:
        return spread
    reproduced = all(_table2_cell_agrees(fits, cell) for cell in printed)
    if reproduced and power != 1:
        return spread  # a number derived from the estimate, which the paper does not print
    return _provenance.cohort_estimate(spread, reproduced)


def _table2_cell_agrees(fits: dict, cell_id: str) -> bool:
    """Does this cohort's estimate in ``fits`` print the Table 2 cell ``cell_id`` as the paper?"""
    _, term, key, part = str(cell_id).split(".")
    fit = fits.get("univariate" if key == "uni" else "multivariate")
    return fit is not None and _cell_agrees(fit, term, part, cell_id)


def stated_table2_provenance(ids, same_fit) -> Provenance:
    """The class of a stated-coding Table 2 estimate (Table 7.5) that shows the cells ``ids``.

    The stated coding is no calibration target, so its estimates are not measured across
    calibrated cohorts (:data:`analysis.ensemble.UNMEASURED`), except where the estimate is the
    implied coding's (Table 7.4) number for number: a univariate row of a term in ``same_fit``
    (every term but the four whose coding is in question). That estimate has the class
    :func:`table2_provenance` gives it in Table 7.4; the same number never has two classes.

    Parameters
    ----------
    ids : iterable of str
        Ids of Table 2 cells, ``table2.<term>.<uni|multi>.<hr|interval|p>``.
    same_fit : collection of str
        Terms whose univariate fit under the stated coding equals the implied one's.

    Returns
    -------
    analysis.provenance.Provenance

    Examples
    --------
    >>> age = ["table2.age_years.uni.hr", "table2.age_years.uni.interval"]
    >>> str(stated_table2_provenance(age, {"age_years"})) == str(table2_provenance(age))
    True
    >>> str(stated_table2_provenance(age, set()))  # a fit of its own
    'assumed: not measured across calibrated cohorts'
    >>> str(stated_table2_provenance(["table2.afp_ng_ml.multi.hr"], {"afp_ng_ml"}))
    'assumed: not measured across calibrated cohorts'
    """
    ids = [str(i) for i in ids]
    parts = [i.split(".") for i in ids]
    if ids and all(len(p) == 4 and p[2] == "uni" and p[1] in same_fit for p in parts):
        return table2_provenance(ids)
    return _ensemble.UNMEASURED


def _badge(prov: Provenance | None) -> str:
    """A compact badge for a table (the class; the note in its tooltip)."""
    return prov.badge(compact=True) if prov is not None else ""


def _data_uri(payload: bytes, mime: str) -> str:
    return f"data:{mime};base64,{base64.b64encode(payload).decode('ascii')}"


def show_table(df: pd.DataFrame, name: str, *, index: bool = False, float_format=None):
    """Display ``df`` as an HTML table followed by a link that downloads it as ``<name>.csv``.

    The notebook embeds the CSV as a data URI, so an executed notebook or a report is
    self-contained; the HTML book writes it to ``downloads/<page>/<name>.csv`` next to the page
    and links there instead (``book/_ext/book_site.py``), so pages stay light. Returns the
    IPython display object (displayed by the cell).

    Parameters
    ----------
    df : pandas.DataFrame
        The table, shown as it is (column names, no labels).
    name : str
        The download's file name without ``.csv``.
    index : bool
        Show and download the index too.
    float_format : callable, optional
        Passed to ``DataFrame.to_html``.

    Returns
    -------
    IPython.display.HTML

    Examples
    --------
    >>> import base64, re
    >>> out = show_table(pd.DataFrame({"quantity": ["median OS"], "published": ["9.9"]}), "demo")
    >>> "<td>median OS</td>" in out.data, re.findall(r'download="([^"]+)"', out.data)
    (True, ['demo.csv'])
    >>> csv = re.search(r'base64,([^"]+)', out.data).group(1)
    >>> base64.b64decode(csv).decode().splitlines()
    ['quantity,published', 'median OS,9.9']
    """
    if not index:  # a leftover columns name (from unstack/pivot) would print as a stray header
        df = df.rename_axis(columns=None)
    csv = df.to_csv(index=index, lineterminator="\n").encode("utf-8")
    table = df.to_html(
        index=index, border=0, classes="table result-table", float_format=float_format, na_rep="–"
    )
    link = (
        f'<p class="downloads">Download: <a download="{html.escape(name)}.csv" '
        f'href="{_data_uri(csv, "text/csv")}">{html.escape(name)}.csv</a></p>'
    )
    return HTML(f'<div class="result-table-wrap">{table}{link}</div>')


def _reader_label(value, label):
    if not isinstance(value, str):
        return value
    text = label(value)
    return text[:1].upper() + text[1:] if text[:1].islower() else text


def labelled(data, name: str | None = None) -> pd.DataFrame:
    """What a call returned, as a reader reads it: for a literate cell that shows a result.

    Headers get their clinical label (:func:`analysis.labels.column_label`), index values their
    term label (:func:`analysis.labels.term_label`); they, and the names of the index and of the
    columns, start with a capital letter, and True/False read "yes"/"no". The values are not changed otherwise. A result a
    reader needs goes in a numbered table (:func:`glue_table`); this is for showing what a
    function returns, next to the call.

    Parameters
    ----------
    data : pandas.DataFrame or pandas.Series
        The result; a Series becomes one column named ``name``.
    name : str, optional
        The column of a Series.

    Returns
    -------
    pandas.DataFrame

    Examples
    --------
    >>> s = pd.Series({"vascular_invasion": False, "is_refractory": True})
    >>> labelled(s, "met")
                                     Met
    Vascular invasion                 no
    TACE-refractory (any criterion)  yes
    >>> labelled(pd.DataFrame({"checks": [3]}, index=pd.Index(["cannot tell"], name="verdict")))
    ... # doctest: +NORMALIZE_WHITESPACE
                 Checks
    Verdict
    Cannot tell       3
    """
    df = data.to_frame(name) if isinstance(data, pd.Series) else data.copy()
    df = df.map(lambda v: ("yes" if v else "no") if isinstance(v, (bool, np.bool_)) else v)
    df.columns = [_reader_label(c, labels.column_label) for c in df.columns]
    df.index = df.index.map(lambda v: _reader_label(v, labels.term_label))
    # the index's and the columns' names only get a capital: "verdict" is a verdict here, not
    # the "Agrees" column of a comparison (labels.COLUMN_LABELS)
    df.index.name = _reader_label(df.index.name, str)
    df.columns.name = _reader_label(df.columns.name, str)
    return df


def _render(fig, fmt: str) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format=fmt, metadata={"Date": None} if fmt == "svg" else {"Software": None})
    return buf.getvalue()


def figure_downloads(fig, name: str, *, png: bytes | None = None):
    """HTML with PNG and SVG download links for ``fig`` (data URIs; files in the HTML book).

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The figure (left open).
    name : str
        The downloads' file name without extension.
    png : bytes, optional
        The figure's PNG as :func:`_render` wrote it, when already rendered (rendering it again
        gives the same bytes, at the cost of drawing the figure twice more).

    Returns
    -------
    IPython.display.HTML

    Examples
    --------
    >>> import base64, re
    >>> fig, ax = plt.subplots()
    >>> _ = ax.plot([0, 1, 2], [1.0, 0.6, 0.3])
    >>> html = figure_downloads(fig, "curve").data
    >>> re.findall(r'download="([^"]+)"', html)
    ['curve.png', 'curve.svg']
    >>> png = re.search(r'data:image/png;base64,([^"]+)', html).group(1)
    >>> base64.b64decode(png)[1:4]
    b'PNG'
    >>> plt.close(fig)
    """
    png = _data_uri(_render(fig, "png") if png is None else png, "image/png")
    svg = _data_uri(_render(fig, "svg"), "image/svg+xml")
    return HTML(
        f'<p class="downloads">Download: <a download="{html.escape(name)}.png" href="{png}">PNG</a>'
        f' · <a download="{html.escape(name)}.svg" href="{svg}">SVG</a></p>'
    )


def figure_provenance(provenance) -> str:
    """The line under a figure that says where what it draws comes from.

    Parameters
    ----------
    provenance : str, analysis.provenance.Provenance, dict or None
        One class for the whole figure (a kind or a :class:`~analysis.provenance.Provenance`),
        or a dict from what the figure draws (a short label) to its class; labels with the same
        class share one badge, in the order of their first label.

    Returns
    -------
    str
        A ``<p class="figure-provenance">`` paragraph of badges (HTML), empty for None.

    Examples
    --------
    >>> print(figure_provenance("published"))
    <p class="figure-provenance">This figure: <sup class="provenance provenance-published" title="printed in the paper; the synthetic cohort is calibrated to it">published</sup></p>
    >>> line = figure_provenance({"medians": "published", "curve": "assumed", "P": "published"})
    >>> import re; re.sub(r"<sup[^>]*>([^<]*)</sup>", r"[\\1]", line)
    '<p class="figure-provenance">In this figure: medians, P [published] · curve [assumed]</p>'

    Its labels, like the book's prose, print typographic apostrophes (raw HTML gets no smart
    quotes from Sphinx):

    >>> figure_provenance({"the paper's medians": "published"}).split("<sup")[0]
    '<p class="figure-provenance">In this figure: the paper’s medians '
    """
    if provenance is None:
        return ""
    if not isinstance(provenance, dict):
        return f'<p class="figure-provenance">This figure: {_as_provenance(provenance).badge()}</p>'
    groups: dict[Provenance, list[str]] = {}
    for label, p in provenance.items():
        groups.setdefault(_as_provenance(p), []).append(str(label))
    # raw HTML, which Sphinx's smart quotes never reach: "the paper’s medians", as prose prints
    parts = [
        f"{html.escape(_provenance.typographic(', '.join(lbls)))} {p.badge()}"
        for p, lbls in groups.items()
    ]
    return f'<p class="figure-provenance">In this figure: {" · ".join(parts)}</p>'


def glue_figure(name: str, fig, *, provenance=None, user: bool = False) -> None:
    """Glue ``fig`` under ``name`` and its download links under ``<name>-downloads``, then close it.

    In the chapter::

        ```{glue:figure} fig-km-os
        :name: fig-km-os

        Caption…
        ```

        ```{glue:} fig-km-os-downloads
        ```

    ``provenance`` (:mod:`analysis.provenance`) says where what the figure draws comes from: one
    class for all of it, or a dict from a label (``"the paper's estimates (open squares)"``) to
    a class. It is shown as badges in a line above the download links
    (:func:`figure_provenance`), so the chapter's text needs no change. On a user's cohort
    (``user=True``) no badge is shown.

    Examples
    --------
    >>> from unittest import mock
    >>> fig, ax = plt.subplots()
    >>> _ = ax.plot([0, 1], [1, 0])
    >>> with mock.patch("analysis.book.glue") as glue:
    ...     glue_figure("fig-demo", fig, provenance="assumed")
    >>> [c.args[0] for c in glue.call_args_list], plt.fignum_exists(fig.number)
    (['fig-demo', 'fig-demo-downloads'], False)
    >>> glue.call_args_list[1].args[1].data.startswith('<p class="figure-provenance">This figure:')
    True
    """
    # An explicit PNG (not the Figure object) so the image never depends on the kernel's
    # matplotlib backend, and the bytes are the same as the download.
    width = int(round(fig.get_figwidth() * 100))
    png = _render(fig, "png")
    glue(name, Image(data=png, format="png", width=width), display=False)
    badges = "" if user else figure_provenance(provenance)
    downloads = figure_downloads(fig, name, png=png)
    glue(f"{name}-downloads", HTML(badges + downloads.data), display=False)
    plt.close(fig)


# ----------------------------------------------------------------------- numbered tables
_SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
_MD_SPECIAL = re.compile(r"([\\|*_`$\[\]<>#])")
_NEGATIVE = re.compile(r"(?<![\w.])-(?=\d)")
_SPACE_CHARS = "".join(c for c in map(chr, range(0x3001)) if c.isspace() and c not in "\xa0\u202f")
_SPACES = re.compile(f"[{re.escape(_SPACE_CHARS)}]+")


def _cell_text(value) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return "–"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | np.integer):  # a count: "1,832", as formatting.count prints it
        return count(value)
    if isinstance(value, (list, tuple)):
        value = ", ".join(str(v) for v in value)
    # one line per cell; a no-break space (U+00A0, U+202F) stays: it was put there on purpose
    text = _SPACES.sub(" ", str(value)).strip(_SPACE_CHARS)
    return _NEGATIVE.sub(MINUS, text) if text else ""


def _md_escape(text: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", text)


#: a parenthetical of a header short enough to keep on one line: "(95% CI)", "(≤ c / > c)",
#: "(% of full dose)"; a longer one ("(paper, then this cohort)") may still break between words
_SHORT_PARENTHETICAL = re.compile(r"\(([^()]{1,16})\)")
#: a hyphen joining a number to a word: "5-fluorouracil", "5-FU"
_NUMBER_HYPHEN = re.compile(r"(?<![\w.,\u2011-])(\d+)-(?=[^\W\d_])")
#: what a reader types or a link names, left as it is: a code span or role target (`02-eligibility`),
#: an HTML code element, any other HTML tag
_LITERAL = re.compile(r"(`+).+?\1|<code\b.*?</code>|<[^>]*>", re.S)


def _unbroken(text: str) -> str:
    r"""``text`` as a table shows it: a number and the word it is hyphened to do not part
    ("5-fluorouracil" had broken at its hyphen, "5-" ending a line, even at 1366 px in Table 3.8):
    a no-break hyphen (U+2011). Code, a role's target and HTML tags keep their hyphens, and the
    download keeps the plain text.

    Examples
    --------
    >>> text = "5-fluorouracil, `02-eligibility`, {ref}`chapter 1 <data-01-x>`"
    >>> _unbroken(text) == text.replace("5-", "5\u2011", 1)
    True
    """
    parts, last = [], 0
    for m in _LITERAL.finditer(text):
        parts += [_NUMBER_HYPHEN.sub("\\1\u2011", text[last : m.start()]), m.group(0)]
        last = m.end()
    return "".join(parts) + _NUMBER_HYPHEN.sub("\\1\u2011", text[last:])


def _header(text: str) -> str:
    r"""A header as a table shows it: the words of a short parenthetical joined by no-break spaces
    (U+00A0), so "HR (95% CI)" breaks before "(" if at all, never inside it (on a 390 px phone
    Table 9.1 read "HR (95% / CI)"); and :func:`_unbroken`. The download keeps the plain header.

    Examples
    --------
    >>> _header("HR (95% CI)"), _header("n (≤ c)")
    ('HR (95%\xa0CI)', 'n (≤\xa0c)')
    >>> _header("Variable (paper, then this cohort)")
    'Variable (paper, then this cohort)'
    """
    joined = _SHORT_PARENTHETICAL.sub(lambda m: "(" + m.group(1).replace(" ", "\xa0") + ")", text)
    return _unbroken(joined)


def _numeric(column: pd.Series) -> bool:
    # a dash, bare or with the number of the note that says why ("–¹"), is no text
    texts = [t for t in column if not re.fullmatch(r"–?[⁰¹²³⁴⁵⁶⁷⁸⁹]*", t)]
    # a verdict mark may follow the number (Tables 1.4, 7.1: "0.267 ✗¹ (0.1–0.5)")
    # (a no-break space may join them: "1.011\xa0✗¹", kept since table cells keep U+00A0)
    num = re.compile(
        r"^[−+<>≤≥ ]*[\d.,]+(?:[ \xa0]?%)?(?:[ \xa0][✓✗][⁰¹²³⁴⁵⁶⁷⁸⁹]*)?(?:[ \xa0]\(.*\))?"
        r"(?:[ \xa0]\[.*\])?$"
    )
    return bool(texts) and all(num.match(t) for t in texts)


_NAME = re.compile(r"[a-z][a-z0-9_]*")
_WORDS = re.compile(r"[a-z]+(?: [a-z()]+)+")


def _code_name(name: str) -> str:
    if "_" not in name:
        return f"`{name}`"
    broken = "\\_<wbr>".join(name.split("_"))  # letters and digits: nothing else to escape
    return f'<code class="docutils literal notranslate"><span class="pre">{broken}</span></code>'


def _code(text: str) -> str:
    """A cell of a code column: the names and values a reader types, in code type.

    A name with underscores may break after each of them (``<wbr>``, in the code element Sphinx
    writes for a code span): unbreakable, ``prior_resection_or_transplant`` set the first column
    of the data dictionary (Table 10.1) 237 px wide and the table scrolled sideways at 1280 px.
    A copied name has no extra character. A list of names ("os_months, os_event") is one code
    span per name; a phrase in words ("all required") is text; anything else one code span.

    >>> _code("age_years")
    '<code class="docutils literal notranslate"><span class="pre">age\\\\_<wbr>years</span></code>'
    >>> _code("pivka2, inr"), _code("all required"), _code("[3, 4]"), _code("–")
    ('`pivka2`, `inr`', 'all required', '`[3, 4]`', '–')
    """
    if not text or text == "–":
        return text
    names = text.split(", ")
    if all(_NAME.fullmatch(name) for name in names):
        return ", ".join(_code_name(name) for name in names)
    if _WORDS.fullmatch(text):
        return _md_escape(text)
    return f"`{text}`"


#: a name a reader types, inside a sentence of a table cell: a column of the CSV (``os_months``) or
#: a function of the package (``analysis.clinical.bsa``)
_NAME_IN_TEXT = re.compile(r"\banalysis(?:\.[a-z_][a-z0-9_]*)+|\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")


def _names_as_code(text: str) -> str:
    """A cell of a ``names_in_text`` column: a sentence whose snake-case names stay as typed, in
    code type, not relabelled. Table 10.1's descriptions read "(at most Prior TACE sessions)" and
    "filled exactly when Additional TACE during HAIC is 1, and not after os_months": two clinical
    labels, capitalised mid-sentence, beside a column name left as it is.

    >>> cell = _names_as_code("at most prior_tace_sessions (see analysis.clinical.bsa).")
    >>> cell.startswith("at most <code"), cell.endswith(" (see `analysis.clinical.bsa`).")
    (True, True)
    >>> "Prior TACE" in cell, _names_as_code("1 if yes") == "1 if yes"
    (False, True)
    """
    parts, last = [], 0
    for m in _NAME_IN_TEXT.finditer(text):
        parts += [_md_escape(text[last : m.start()]), _code(m.group(0))]
        last = m.end()
    return _unbroken("".join(parts) + _md_escape(text[last:]))


def table_markdown(
    df: pd.DataFrame,
    *,
    index: bool = False,
    code: tuple = (),
    code_headers: bool = False,
    header_badges: dict | None = None,
    row_badges: list | None = None,
    names_in_text: tuple = (),
) -> tuple[str, list[str]]:
    """A MyST pipe table for ``df`` with clinical labels, and the notes under it.

    Columns and term codes are relabelled by :mod:`analysis.labels`. A ``verdict``/``reason`` pair
    (from :func:`analysis.tables.compare`) becomes one "Agrees" column with ✓ or ✗ and a numbered
    note giving the reason, its number a superscript right after the mark ("✗¹", which the site's
    script links to the note); the verdict "infeasible" (a published number no cohort prints)
    reads "✗¹ infeasible", any other word (e.g. "not comparable") as it is, its note's number
    after it. Negative numbers get a true minus sign. ``header_badges`` (column ->
    :class:`~analysis.provenance.Provenance`) puts a provenance badge in a column's header;
    ``row_badges`` (one per row, or None) adds a last column "Class" with each row's badge. In the
    columns of ``names_in_text`` (sentences about the CSV) the snake-case names a reader types stay
    as they are, in code type, instead of being relabelled.

    Returns
    -------
    text : str
        The pipe table (header, alignment row, one line per row).
    notes : list of str
        The reasons of the ✗ marks, numbered in the table by superscripts.

    Examples
    --------
    >>> df = pd.DataFrame({"quantity": ["os_median", "orr"], "published": ["9.9", "29.3"],
    ...                    "reproduced": ["9.9", "31.7"], "verdict": ["agrees", "differs"],
    ...                    "reason": ["", "two more responders"]})
    >>> text, notes = table_markdown(df)
    >>> print(text, end="")
    | Quantity | Published | Reproduced | Agrees |
    |:--|--:|--:|:-:|
    | Median OS | 9.9 | 9.9 | ✓ |
    | ORR | 29.3 | 31.7 | ✗¹ |
    >>> notes
    ['two more responders']
    >>> table_markdown(df.assign(verdict=["not comparable", "infeasible"]))[0].splitlines()[2:]
    ['| Median OS | 9.9 | 9.9 | not comparable |', '| ORR | 29.3 | 31.7 | ✗¹ infeasible |']
    """
    if index:
        df = df.reset_index()
    df = df.rename_axis(columns=None).copy()
    notes: list[str] = []
    if "verdict" in df.columns:
        reasons = (
            df["reason"] if "reason" in df.columns else pd.Series([""] * len(df), index=df.index)
        )
        marks = []
        for verdict, reason in zip(df["verdict"], reasons, strict=True):
            v = str(verdict)
            if v in (AGREES, CONSISTENT):
                marks.append("✓")
            elif v in (DIFFERS, INCONSISTENT, INFEASIBLE):
                reason = _cell_text(reason)
                # a number no cohort prints says so: not a value that merely missed
                word = f" {INFEASIBLE}" if v == INFEASIBLE else ""
                if reason and reason != "–":
                    notes.append(reason)
                    # no space: the site's script links "✗¹" to its note (book/_static/book.js)
                    marks.append("✗" + str(len(notes)).translate(_SUPERSCRIPT) + word)
                else:
                    marks.append("✗" + word)
            else:
                reason = _cell_text(reason) if reason is not None else ""
                if reason and reason != "–":
                    notes.append(reason)
                    v += " " + str(len(notes)).translate(_SUPERSCRIPT)
                marks.append(v)
        df["verdict"] = marks
        if "reason" in df.columns:
            df = df.drop(columns="reason")
    body = df.apply(lambda col: col.map(_cell_text))
    first = body.columns[0] if len(body.columns) else None
    if first is not None and first not in code:
        body[first] = body[first].map(labels.term_label)
    align = ["--:" if _numeric(body[c]) else ":--" for c in body.columns]
    if "verdict" in df.columns:
        align[list(body.columns).index("verdict")] = ":-:"
    for c in body.columns:  # code cells (literal column names a user types) are not escaped
        if c in code:
            body[c] = body[c].map(_code)
        elif c in names_in_text:  # sentences about the CSV: its column names as typed
            body[c] = body[c].map(_names_as_code)
        else:
            body[c] = body[c].map(labels.relabel).map(_md_escape).map(_unbroken)
    if code_headers:
        headers = [_code(str(c)) for c in body.columns]
    else:
        headers = [_header(_md_escape(labels.column_label(c))) for c in body.columns]
    for i, c in enumerate(body.columns):
        badge = (header_badges or {}).get(c)
        # after a space (on a phone "(%)determined" read as one word); none that only repeats
        # the column's name ("Published published")
        if badge is not None and not (
            badge.kind == labels.column_label(c).lower()
            and badge.note in ("", _provenance.REPRODUCED)
        ):
            headers[i] += " " + _badge(badge)
    if row_badges is not None:
        body = body.assign(**{"_provenance_class": [_badge(b) for b in row_badges]})
        headers.append("Class")
        align.append(":-:")
    lines = [
        "| " + " | ".join(headers) + " |",
        "|" + "|".join(align) + "|",
    ]
    for _, row in body.iterrows():
        lines.append("| " + " | ".join(row) + " |")
    return "\n".join(lines) + "\n", notes


class SharedNotes:
    """The numbered notes under a table, one per distinct reason: the ✗ marks of every row that
    a reason fits, in one column, share its note and its number.

    On a phone, Tables 7.1, 7.4 and 7.5 had a note per mark (13, 20 and 24), most of them the
    same sentence but for the row ("…, multivariable: HR, CI and P differ at the printed decimals
    — …"): several screens of near-identical text. :meth:`number` gives a mark its note's number
    (a new number for a reason not seen yet, in the order the marks come); :meth:`lines` writes
    the notes (MyST), a note of one row as "row, column: reason", one of several rows as
    "Column, rows *a*, *b* and *c*: reason" (the row labels in italics: they hold colons and
    commas of their own; rows with a comma are kept apart by semicolons). A row's ``detail``
    (the cells that differ in it: "HR and CI") is said in brackets beside the row, so rows whose
    reason is the same share one note whatever cells differ in each (Tables 7.4 and 7.5 had five
    notes "…: HR, CI and P differ … — HR, CI and P: not reached by the calibration; …" and "…: HR
    and CI differ … — HR and CI: not reached …", the reason said again for each set of cells).
    The site's script links each mark to its note (several marks may share one), and the note's
    "↩" back to the mark the reader came from (book/_static/book.js).

    ``row`` and ``column`` are plain text (escaped here; either may be empty); ``reason`` is
    plain text too, or ``Markdown`` (a cross-reference) kept as it is.

    Examples
    --------
    >>> notes = SharedNotes()
    >>> [notes.number(row, "multivariable", "P differs") for row in ("Sex", "BCLC stage")]
    [1, 1]
    >>> notes.number("Age", "univariate", "HR differs"), notes.number("ALBI", "multivariable", "P differs")
    (2, 1)
    >>> print("\\n".join(notes.lines()))
    Multivariable, rows *Sex*, *BCLC stage* and *ALBI*: P differs
    Age, univariate: HR differs
    >>> len(notes)
    2
    >>> cells = SharedNotes()  # rows whose reason is the same, their differing cells apart
    >>> [cells.number(r, "multivariable", "not reached", d) for r, d in (("AFP", "P"), ("AST", "HR and CI"))]
    [1, 1]
    >>> cells.lines()
    ['Multivariable, rows *AFP* (P) and *AST* (HR and CI): not reached']
    >>> coded = SharedNotes()
    >>> [coded.number(f"AST (U/L), {m}", "stated coding", "HR differs") for m in ("uni", "multi")]
    [1, 1]
    >>> coded.lines()
    ['Stated coding, rows *AST (U/L), uni* and *AST (U/L), multi*: HR differs']
    """

    def __init__(self) -> None:
        self._rows: dict[tuple[str, str], list[tuple[str, str]]] = {}

    def __len__(self) -> int:
        return len(self._rows)

    def number(self, row: str, column: str, reason: str | Markdown, detail: str = "") -> int:
        """The number of the note that says ``reason`` of the marks in ``column`` (1, 2, …),
        ``row`` added to the rows it names; ``detail`` (plain text: the row's differing cells,
        "HR and CI") is said in brackets beside the row, so rows that differ only in it share
        the note."""
        said = reason.data if isinstance(reason, Markdown) else _md_escape(str(reason))
        rows = self._rows.setdefault((str(column), said), [])
        if str(row) not in [r for r, _ in rows]:
            rows.append((str(row), str(detail)))
        return list(self._rows).index((str(column), said)) + 1

    def lines(self) -> list[str]:
        """The notes' MyST texts, in the order of their numbers (without the numbers)."""
        out = []
        for (column, said), rows in self._rows.items():
            column = _md_escape(column)
            named = [r for r, _ in rows if r]
            beside = {r: f" ({_md_escape(d)})" if d else "" for r, d in rows}
            if len(named) > 1:
                listed = [f"*{_md_escape(r)}*{beside[r]}" for r in named]
                # rows with commas of their own ("AST (U/L), univariate") apart by semicolons
                listed = (
                    f"{'; '.join(listed[:-1])} and {listed[-1]}"
                    if any("," in r for r in named)
                    else word_list(listed)
                )
                capital = column[:1].upper() + column[1:]
                head = f"{capital}, rows {listed}" if column else f"Rows {listed}"
            else:
                one = _md_escape(named[0]) + beside[named[0]] if named else ""
                head = ", ".join(p for p in (one, column) if p)
            out.append(f"{head}: {said}" if head and said else head or said)
        return out


def see_table(text: str, label: str) -> Markdown:
    """A note that points to another table: ``text`` (plain, escaped) and "(see Table N.M)", the
    number filled in by Sphinx from ``label``; :func:`glue_table` keeps it as it is.

    Examples
    --------
    >>> print(see_table("CI differs (> 2)", "tbl-cox-table2-implied").data)
    CI differs (\\> 2) (see {numref}`tbl-cox-table2-implied`)
    """
    return Markdown(f"{_md_escape(text)} (see {{numref}}`{label}`)")


#: The note under every table that sets the book's cohort beside the published numbers it was
#: calibrated to (Tables 2.2, 2.4, 2.6, 4.1, 5.1): their agreement is by construction. (MyST,
#: with a link to chapter 1.)
#:
#: :meta hide-value:
CALIBRATED_NOTE = (
    "Agreement here is by construction: the synthetic cohort was calibrated to these published "
    "numbers ({ref}`ch-data`), so it tests the generator, not the paper."
)


def calibrated_notes(user: bool) -> tuple[Markdown, ...]:
    """The ``notes`` of :func:`glue_table` for a table that sets the book's cohort beside the
    published numbers it was calibrated to: :data:`CALIBRATED_NOTE` (with its link to chapter
    01); none on a user's cohort (``user``), which is not calibrated, nor scored.

    Examples
    --------
    >>> [n.data for n in calibrated_notes(False)] == [CALIBRATED_NOTE]
    True
    >>> calibrated_notes(True)
    ()
    """
    return () if user else (Markdown(CALIBRATED_NOTE),)


def glue_table(
    name: str,
    df: pd.DataFrame,
    *,
    index: bool = False,
    hide: tuple[str, ...] | list[str] = (),
    notes: tuple[str, ...] | list[str] = (),
    download: bool = True,
    code: tuple[str, ...] | list[str] = (),
    code_headers: bool = False,
    csv: pd.DataFrame | None = None,
    provenance=None,
    row_provenance=None,
    user: bool = False,
    names_in_text: tuple[str, ...] | list[str] = (),
) -> None:
    """Glue ``df`` as a numbered, captioned table, and its notes and CSV download.

    ``<name>`` holds a MyST table (clinical labels, ✓/✗ marks) for::

        :::{table} Caption.
        :name: tbl-…

        ```{glue:md} tbl-…
        :format: myst
        ```
        :::

        ```{glue:md} tbl-…-notes
        :format: myst
        ```

    ``<name>-notes`` holds the numbered reasons for each ✗, any extra ``notes``, a note for each
    number the paper writes as a word (``attrs["printed_as_words"]`` of
    :func:`analysis.tables.compare`, whose table prints it in digits) and a link that
    downloads the full table (every column, including those in ``hide``) as ``<name>.csv``. A
    note is plain text, escaped; a note given as ``Markdown`` (e.g. from :func:`see_table`, with a
    cross-reference) is kept as it is. Cells of the columns in ``code`` (and the headers, with ``code_headers``) are shown as
    literal code: column names and values a user types, not labels; in the columns of ``names_in_text``
    only the snake-case names inside the text are. ``csv`` replaces ``df`` in
    the download (e.g. a file shown transposed but downloaded as it is).

    ``provenance`` (:mod:`analysis.provenance`) says where the table's numbers come from: one
    class (a kind or a :class:`~analysis.provenance.Provenance`) for every number, shown as a
    badge above the notes; a dict column -> class, shown as a badge in those columns' headers;
    or a list with one class (or None) per row, shown in a last column "Class". A table whose
    columns differ and one of whose columns differs by row takes both: ``provenance`` a dict for
    the column headings, ``row_provenance`` the list for the "Class" column. On a user's
    cohort (``user=True``) no badge is shown.

    Examples
    --------
    >>> from unittest import mock
    >>> df = pd.DataFrame({"quantity": ["os_median", "orr"], "published": ["9.9", "29.3"],
    ...                    "reproduced": ["9.9", "31.7"], "verdict": ["agrees", "differs"],
    ...                    "reason": ["", "two more responders"]})
    >>> with mock.patch("analysis.book.glue") as glue:
    ...     glue_table("tbl-demo", df, provenance="published")
    >>> [c.args[0] for c in glue.call_args_list]
    ['tbl-demo', 'tbl-demo-notes']
    >>> glue.call_args_list[0].args[1].data == table_markdown(df)[0]
    True
    >>> notes = glue.call_args_list[1].args[1].data
    >>> "¹ two more responders" in notes, 'download="demo.csv"' in notes
    (True, True)

    A class per column heading and one per row:

    >>> with mock.patch("analysis.book.glue") as glue:
    ...     glue_table("tbl-demo", df.drop(columns=["verdict", "reason"]),
    ...                provenance={"published": "published", "reproduced": "determined"},
    ...                row_provenance=["determined", "assumed"])
    >>> print(glue.call_args_list[0].args[1].data.splitlines()[0])  # doctest: +ELLIPSIS
    | Quantity | Published | Reproduced <sup class="provenance provenance-determined" ...>determined</sup> | Class |
    """
    shown = df.drop(columns=[c for c in hide if c in df.columns])
    whole = header = rows = None
    if provenance is not None and not user:
        if isinstance(provenance, dict):
            header = {c: _as_provenance(p) for c, p in provenance.items()}
        elif isinstance(provenance, (str, Provenance)):
            whole = _as_provenance(provenance)
        else:
            rows = provenance
    if row_provenance is not None and not user:
        if rows is not None:
            raise ValueError(f"glue_table({name!r}): row classes given twice")
        rows = row_provenance
    if rows is not None:
        rows = [None if p is None else _as_provenance(p) for p in rows]
        if len(rows) != len(shown):
            raise ValueError(f"glue_table({name!r}): {len(rows)} provenances, {len(shown)} rows")
    text, reasons = table_markdown(
        shown,
        index=index,
        code=tuple(code),
        code_headers=code_headers,
        header_badges=header,
        row_badges=rows,
        names_in_text=tuple(names_in_text),
    )
    glue(name, Markdown(text), display=False)
    parts = []
    if whole is not None:
        parts.append(f"Every number in this table: {whole.badge()}")
    if reasons:
        parts.append(
            "\n".join(
                f"{str(i).translate(_SUPERSCRIPT)} {_md_escape(r)}  "
                for i, r in enumerate(reasons, 1)
            ).rstrip()
        )
    parts.extend(n.data if isinstance(n, Markdown) else _md_escape(n) for n in notes)
    for quantity, word in df.attrs.get("printed_as_words", {}).items():
        parts.append(
            _md_escape(
                f"{labels.term_label(quantity)}: the paper writes this number as a word (“{word}”)."
            )
        )
    if download:
        base = (df if csv is None else csv).rename_axis(columns=None)
        payload = base.to_csv(index=index and csv is None, lineterminator="\n").encode("utf-8")
        file = html.escape(name.removeprefix("tbl-"))
        parts.append(
            f'<p class="downloads">Download: <a download="{file}.csv" '
            f'href="{_data_uri(payload, "text/csv")}">{file}.csv</a></p>'
        )
    glue(f"{name}-notes", Markdown("\n\n".join(parts) + "\n"), display=False)


def _as_provenance(p) -> Provenance:
    return p if isinstance(p, Provenance) else Provenance(p)


def _pipe_cell(cell) -> str:
    """A cell's escaped text; a (text, html) pair keeps its raw HTML (a provenance badge)."""
    if isinstance(cell, tuple):
        return _md_escape(_cell_text(cell[0])) + cell[1]
    return _md_escape(_cell_text(cell))


def _pipe_table(headers: list[str], rows: list[list[str]], align: list[str]) -> str:
    lines = [
        "| " + " | ".join(_header(_md_escape(h)) for h in headers) + " |",
        "|" + "|".join(align) + "|",
    ]
    lines += ["| " + " | ".join(_pipe_cell(t) for t in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


#: The section of chapter 1 that says why each missed univariate Table 2 cell is missed
#: (:func:`analysis.calibration.missed_cell_reasons`); :func:`glue_table2`'s notes point to it.
MISSED_REASONS_REF = "data-missed-reasons"
_CELL_NAMES = {"hr": "HR", "interval": "CI", "p": "P"}  # as tables.table2's reasons name them


def _cell_agrees(fit: pd.DataFrame, term: str, part: str, cell_id: str) -> bool:
    """Does this cohort's ``part`` ("hr", "interval", "p") of ``term`` print as the paper's?"""
    if term not in fit.index:
        return False
    est = fit.loc[term]
    value = (est["lower"], est["upper"]) if part == "interval" else est[part]
    try:
        return bool(published.agrees(value, cell_id))
    except (TypeError, ValueError):
        return False


def _missed_reasons_note(base: str, missed) -> list[tuple[tuple[str, ...], str]]:
    """What a ✗ note of a univariate row adds: each missed cell's reason category, cells of one
    category together (``[(("HR", "CI"), "…"), (("P",), "…")]``, MyST), the last with a
    cross-reference to chapter 1."""
    by_category: dict[str, list[str]] = {}
    for part, cell in _CELL_NAMES.items():
        category = missed.get(f"{base}.{part}")
        if category:
            by_category.setdefault(str(category), []).append(cell)
    said = [(tuple(cells), _md_escape(c)) for c, cells in by_category.items()]
    if said:
        # the link says only where ("(Why the missed cells are missed)" made each note a line
        # longer), with a no-break space: "chapter" ended a line and "01)" began the next at 390 px
        cells, last = said[-1]
        said[-1] = (cells, f"{last} ({{ref}}`chapter\xa001 <{MISSED_REASONS_REF}>`)")
    return said


#: What a ✗ note says of a multivariable cell the cohort misses and no cohort is barred from:
#: chapter 1's reasons (:func:`analysis.calibration.missed_cell_reasons`) are univariate only.
MULTIVARIABLE_UNEXPLAINED = (
    "not reached by the calibration; the reasons of chapter\xa001 cover univariate cells only"
)


def _cell_reasons_note(
    base: str, bad: list[str], missed, infeasible, ref: str
) -> list[tuple[tuple[str, ...], str]]:
    """The reasons a ✗ note gives, one per differing cell (``bad``: "hr", "interval", "p"), as
    (cells, reason) pairs, cells sharing a reason together (``(("HR", "CI"), "…")``, MyST):
    chapter 1's reason for a missed univariate cell (:func:`_missed_reasons_note`), "infeasible:
    <short reason>, see <ref>" for a cell no cohort can print, "not aimed at: …" for a feasible
    cell the calibration gives up for the rest of its row (:func:`_table2_not_aimed`), and
    :data:`MULTIVARIABLE_UNEXPLAINED` for any other multivariable cell."""
    parts = _missed_reasons_note(base, missed) if base.endswith(".uni") else []
    by_reason: dict[str, list[str]] = {}
    for part in bad:
        cell_id = f"{base}.{part}"
        if cell_id in infeasible:
            why = f"infeasible: {_md_escape(infeasible[cell_id])}, see {{numref}}`{ref}`"
        elif cell_id in _table2_not_aimed():
            why = (
                f"not aimed at: its row cannot print whole and the calibration "
                f"{_md_escape(_table2_not_aimed()[cell_id])} instead, see {{numref}}`{ref}`"
            )
        elif base.endswith(".multi"):
            why = _md_escape(MULTIVARIABLE_UNEXPLAINED)
        else:
            continue  # a univariate cell: its reason, if any, is chapter 1's (said above)
        by_reason.setdefault(why, []).append(_CELL_NAMES[part])
    return parts + [(tuple(cells), why) for why, cells in by_reason.items()]


def _differs_note(
    differing, remark: str, bad: list[str], groups: list[tuple[tuple[str, ...], str]]
) -> tuple[str, str]:
    """A ✗ row's note, split into what its row shares with others and what is its own: the
    cells that differ (``detail``, said beside the row: "HR and CI") and the reason (MyST),
    from :func:`analysis.tables.table2`'s fields, never its ``reason`` sentence: ``differing``
    (the row's differing cells, "hr", "interval", "p") and ``remark`` (what the coding does, or
    why there is no estimate), the differing cells ``bad`` of this cohort's fit (``differing``
    where empty) and :func:`_cell_reasons_note`'s ``groups`` (the cells' names, "HR", "CI",
    "P", with their reason): the remark, then the cells' reason, without the cells where one
    reason covers them all. Rows whose reason is the same
    then share one note (:class:`SharedNotes`), whatever cells differ in each. Where the
    reasons name every differing cell themselves ("HR: …; CI: …") the detail is empty.

    >>> _differs_note(("hr", "interval"), "", ["hr", "interval"], [(("HR", "CI"), "not reached")])
    ('HR and CI', 'not reached')
    >>> _differs_note(("hr", "interval"), "", ["hr", "interval"], [(("HR",), "a"), (("CI",), "b")])
    ('', 'HR: a; CI: b')
    >>> _differs_note(("p",), "coded per unit", [], [])
    ('P', 'coded per unit')
    >>> _differs_note(("interval",), "", ["interval"], [])
    ('CI', "not the paper's printed value")
    """
    cells = [_CELL_NAMES[part] for part in (bad or differing)]
    detail = word_list(cells) if cells else ""
    if len(groups) == 1 and set(groups[0][0]) == set(cells):
        body = groups[0][1]
    else:
        body = "; ".join(f"{word_list(list(named))}: {why}" for named, why in groups)
        if {c for named, _ in groups for c in named} == set(cells):  # the body names them all
            detail = ""
    said = " — ".join(p for p in (_md_escape(remark), body) if p)
    return detail, said or "not the paper's printed value"


def glue_table2(
    name: str,
    table: pd.DataFrame,
    fits: dict,
    *,
    provenance=None,
    user: bool = False,
    missed=None,
    infeasible=None,
    infeasible_ref: str = "tbl-cox-feasibility",
    counts=None,
) -> None:
    """Glue Table 2 in the paper's layout, the paper's and this cohort's rows one under the other.

    Columns: Variable | Univariate HR (95% CI) | P | Multivariable HR (95% CI) | P; each
    variable has the paper's row, then this cohort's. ``table`` is :func:`analysis.tables.table2` (row order,
    codings, verdicts and reasons), ``fits`` the matching :func:`analysis.tables.table2_models`
    (the estimates, formatted at the paper's decimals by
    :func:`analysis.tables.format_published_value`). Glues ``name`` and ``<name>-notes`` as
    :func:`glue_table` does; the CSV holds ``table`` as is, but for the fields its ``reason``
    is made of (:data:`analysis.tables.TABLE2_FIELDS`), which the reason says in words. A ✗
    note is made from those fields (``differing``, ``remark``, ``why``), never by reading the
    reason sentence back (:func:`_differs_note`).

    The verdict of a model sits after this cohort's P of that model, in ``<span
    class="verdict">``: ✓ (HR, interval and P all agree with the paper's) or ✗ with the number
    of the note saying what differs; the rows of one model whose notes would say the same share
    one note (:class:`SharedNotes`: "Multivariable, rows *…* (HR and CI), *…* (P) and *…* (HR,
    CI and P): …", each row's differing cells in brackets beside it, :func:`_differs_note`; a
    note per row had been 20 and 24 notes, several phone screens, most of them alike); a model
    the paper does not fit has empty cells. On a phone
    the mark goes under the P (``tables.css``): a sixth column "Agrees (uni / multi)" had kept
    Tables 7.4 and 7.5 394 px wide, wider than a 390 px phone's column (358 px; 323 px in a
    dropdown). A verdict that is neither (a user's cohort: "not scored (your cohort)") is said
    once in the notes, not in every row.

    ``provenance`` maps the ids of the cells this cohort's estimate shows (HR, interval, P) to
    its :class:`~analysis.provenance.Provenance`; the badge (one, or univariate / multivariable
    when they differ) follows the label of this cohort's row after a space, as a header's badge
    does, and has no chip padding there (``book.css``; in a table cell the chip is not painted):
    on a phone its 12 px "determined" with that padding had held the labels' column at 81 px, and
    Table 7.6, in its dropdown, scrolled sideways. None on a user's cohort (``user``).
    A row marked ✗ is never *determined*: the paper prints another value, so its class is
    *assumed* (:func:`analysis.provenance.cohort_estimate`).

    ``missed`` maps the id of a univariate cell this cohort misses to its reason category
    (``id`` → ``category`` of :func:`analysis.calibration.missed_cell_reasons`): the ✗ note of
    that univariate row ends with the category of each such cell and a cross-reference to
    chapter 1's section (label ``data-missed-reasons``). The reasons describe the book's synthetic
    cohort under the implied coding: ignored on a user's cohort (``user``).

    ``infeasible`` maps the id of a cell no cohort can print to a short reason
    (:func:`analysis.paper.infeasible_short_reasons`): a differing cell among them is said
    "infeasible: <reason>, see" the table ``infeasible_ref`` (Table 7.2). A differing
    multivariable cell that is neither says :data:`MULTIVARIABLE_UNEXPLAINED`: there is no reason
    analysis for multivariable cells.

    This cohort's row is labelled "↳ this cohort", not "reproduced": the row is this cohort's
    estimate whether or not it prints as the paper's, which its ✓ or ✗ says (a ✗ row labelled
    "reproduced" claimed what its mark denied). The arrow keeps its first word on one line (a
    narrow no-break space): in Table 7.5, squeezed to a dropdown on a phone, the arrow sat alone
    above the word.

    ``counts`` maps a term id to this cohort's patients (deaths) in the groups its row compares
    (:func:`analysis.tables.table2_group_counts`: ``"69 (55) vs 5 (5)"``, small counts already
    hidden on a user's cohort); the text follows "this cohort" after a middle dot, in the label
    cell (a column of its own would widen the table on a phone). A row with no entry (one entered
    per unit) gets none.

    A term in ``fits["hidden"]`` (a user's cohort: its row compares a group of 1 to 4 patients,
    :func:`analysis.tables.table2_hidden_terms`) shows :data:`~analysis.privacy.NOT_SHOWN_SMALL_GROUP`
    in place of its hazard ratio and interval, and no P.

    Examples
    --------
    One univariate row, age per year, with estimates that round to the paper's printed
    0.996 (0.975–1.017), P 0.70:

    >>> from unittest import mock
    >>> table = pd.DataFrame({"term": ["age_years"], "model": ["univariate"],
    ...                       "variable": ["Age (years)"], "coding": ["per year"],
    ...                       "verdict": ["agrees"], "reason": [""]})
    >>> columns = ["hr", "lower", "upper", "p"]
    >>> fits = {"univariate": pd.DataFrame([[0.9961, 0.9752, 1.0174, 0.701]], columns=columns,
    ...                                    index=["age_years"]),
    ...         "multivariate": pd.DataFrame(columns=columns)}
    >>> with mock.patch("analysis.book.glue") as glue:
    ...     glue_table2("tbl-table2", table, fits)
    >>> print(glue.call_args_list[0].args[1].data, end="")
    | Variable (paper, then this cohort) | Univariate HR (95%\xa0CI) | P | Multivariable HR (95%\xa0CI) | P |
    |:--|--:|--:|--:|--:|
    | Age (years): per year — paper | 0.996 (0.975–1.017) | 0.70 |  |  |
    | ↳\u202fthis cohort | 0.996 (0.975–1.017) | 0.70 <span class="verdict">✓</span> |  |  |

    A 0/1 row, sex, with the patients (deaths) of its two groups after "this cohort":

    >>> sex = table.assign(term="sex_female", variable="Sex", coding="female vs male")
    >>> sex_fits = {"univariate": pd.DataFrame([[0.984, 0.424, 2.283, 0.964]], columns=columns,
    ...                                        index=["sex_female"]),
    ...             "multivariate": fits["multivariate"]}
    >>> with mock.patch("analysis.book.glue") as glue:
    ...     glue_table2("tbl-table2", sex, sex_fits, counts={"sex_female": "7 (6) vs 75 (62)"})
    >>> print(glue.call_args_list[0].args[1].data.splitlines()[3])
    | ↳\u202fthis cohort · 7 (6) vs 75 (62) | 0.984 (0.424–2.283) | 0.96 <span class="verdict">✓</span> |  |  |

    The same row missing its interval, whose reason chapter 1 gives:

    >>> table.loc[0, ["verdict", "reason"]] = ["differs", "CI differs at the printed decimals"]
    >>> table["differing"] = [("interval",)]
    >>> missed = {"table2.age_years.uni.interval": "not reached by the search"}
    >>> with mock.patch("analysis.book.glue") as glue:
    ...     glue_table2("tbl-table2", table, fits, missed=missed)
    >>> print(glue.call_args_list[1].args[1].data.splitlines()[0])
    ¹ Age (years): per year (CI), univariate: not reached by the search ({ref}`chapter\xa001 <data-missed-reasons>`)
    """
    ours = "Your cohort" if table.attrs.get("user_cohort") else "This cohort"
    missed = {} if user or table.attrs.get("user_cohort") or missed is None else dict(missed)
    infeasible = {} if infeasible is None else dict(infeasible)
    notes = SharedNotes()  # one note per reason, shared by the rows it fits
    unmarked: list[str] = []  # verdicts that are neither agrees nor differs, said once
    rows: list[list] = []

    def marked(p: str, mark: str):
        return (p, f' <span class="verdict">{html.escape(mark)}</span>') if mark else p

    for term, group in table.groupby("term", sort=False):
        first = group.iloc[0]
        coding = str(first["coding"])
        if coding == "reference category":
            label = f"{labels.term_label(term)} (reference)"
        else:
            label = f"{first['variable']}: {coding}" if coding else str(first["variable"])
        # "↳" and the word joined by a narrow no-break space, kept raw (_cell_text would make it a
        # space): the arrow never sits alone above the word (a no-break space was 1.3 px wider)
        pub_row, our_row = [f"{label} — paper"], [("↳", f"\u202f{ours.lower()}")]
        classes: list[Provenance] = []
        for key, model in paper.TABLE2_MODELS.items():
            sel = group[group["model"] == model]
            base = f"table2.{term}.{key}"
            if sel.empty:
                pub_row += ["", ""]
                our_row += ["", ""]
                continue
            r = sel.iloc[0]
            ids = {part: f"{base}.{part}" for part in ("hr", "interval", "p")}
            have = {part: i in published.ids("table2.") for part, i in ids.items()}
            pub_hr = published.entry(ids["hr"]).text
            pub_iv = published.entry(ids["interval"]).text if have["interval"] else ""
            pub_p = published.entry(ids["p"]).text if have["p"] else ""
            pub_row += [f"{pub_hr} ({pub_iv})" if pub_iv else pub_hr, pub_p or "–"]
            if provenance is not None and coding != "reference category":
                spread = provenance([i for part, i in ids.items() if have[part]])
                # a row that does not print as the paper's is never determined (✗ beside it)
                agrees = VERDICT_MARK.get(str(r["verdict"]))
                classes.append(_provenance.cohort_estimate(spread, agrees))
            fit = fits["univariate" if key == "uni" else "multivariate"]
            if coding == "reference category":  # "–": nobody in the group (tables.table2)
                hr, p = str(r.get("reproduced", r.get(YOUR_COHORT, "1"))), "–"
            elif term in fit.index and term in fits.get("hidden", ()):
                hr, p = NOT_SHOWN_SMALL_GROUP, "–"
            elif term in fit.index:
                est = fit.loc[term]
                hr = format_published_value(est["hr"], ids["hr"])
                iv = (
                    format_published_value((est["lower"], est["upper"]), ids["interval"])
                    if have["interval"]
                    else ""
                )
                hr = f"{hr} ({iv})" if iv else hr
                p = format_published_value(est["p"], ids["p"]) if have["p"] else "–"
            else:
                hr, p = "–", "–"
                why = str(r.get("why", "") or "")  # tables.table2's field: the fit's reason
                if why and str(r["verdict"]) != "differs":  # a ✗ note says it already
                    # no estimate on this cohort (a user's: no verdict): why, in a note of its own
                    number = notes.number(label, model, f"not estimable, {why}")
                    hr = "–" + str(number).translate(_SUPERSCRIPT)
            bad = [
                part
                for part in ("hr", "interval", "p")
                if have[part] and not _cell_agrees(fit, term, part, ids[part])
            ]
            verdict = str(r["verdict"])
            mark = ""
            if verdict == "agrees":
                mark = "✓"
            elif verdict == "differs":
                groups = _cell_reasons_note(base, bad, missed, infeasible, infeasible_ref)
                # what the reason says, as tables.table2 hands it over (its TABLE2_FIELDS)
                differing = r.get("differing", ())
                differing = tuple(differing) if isinstance(differing, (tuple, list)) else ()
                remark = str(r.get("remark", "") or "")
                detail, said = _differs_note(differing, remark, bad, groups)
                number = notes.number(label, model, Markdown(said), detail)
                mark = "✗" + str(number).translate(_SUPERSCRIPT)
            elif verdict and verdict not in unmarked:  # a reference row has none: no mark
                unmarked.append(verdict)
            our_row += [hr, marked(p, mark)]
        if classes and not user:
            unique = list(dict.fromkeys(classes))
            badges = [_badge(c) for c in (unique if len(unique) == 1 else classes)]
            # after a space, as a header's badge (glue_table): the badge has no chip padding
            # here (book.css), and the space, which vanishes where the badge starts a line (on a
            # phone), keeps it apart from "cohort" on a shared line
            our_row[0] = (our_row[0][0], our_row[0][1] + " " + " / ".join(badges))
        if counts and counts.get(term):  # patients (deaths) per group, breakable at spaces
            said = " ".join(str(counts[term]).split())
            our_row[0] = (our_row[0][0], f"{our_row[0][1]} · {_md_escape(said)}")
        rows += [pub_row, our_row]
    headers = [
        "Variable (paper, then this cohort)",
        "Univariate HR (95% CI)",
        "P",
        "Multivariable HR (95% CI)",
        "P",
    ]
    align = [":--", "--:", "--:", "--:", "--:"]
    glue(name, Markdown(_pipe_table(headers, rows, align)), display=False)
    parts = []
    if unmarked:
        said = "; ".join(unmarked)
        parts.append(_md_escape(f"No ✓ or ✗ after a P: {said}."))
    if notes:
        parts.append(
            "\n".join(
                f"{str(i).translate(_SUPERSCRIPT)} {r}  " for i, r in enumerate(notes.lines(), 1)
            ).rstrip()
        )
    # the fields the reason is made of stay out of the download: its reason says them in words
    shown = table.drop(columns=[c for c in TABLE2_FIELDS if c in table.columns])
    csv = shown.to_csv(index=False, lineterminator="\n").encode("utf-8")
    file = html.escape(name.removeprefix("tbl-"))
    parts.append(
        f'<p class="downloads">Download: <a download="{file}.csv" '
        f'href="{_data_uri(csv, "text/csv")}">{file}.csv</a></p>'
    )
    glue(f"{name}-notes", Markdown("\n\n".join(parts) + "\n"), display=False)
