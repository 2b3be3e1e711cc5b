"""Figures of the book: Kaplan-Meier curves with a number-at-risk table, and forest plots.

House style: :data:`analysis.book.PALETTE` colours, lower-case axis labels with units, no titles
(the chapter's caption is the title). Every function returns the :class:`matplotlib.figure.Figure`
so that chapters can hand it to :func:`analysis.book.glue_figure`. Figures of several panels stack
them in one column :data:`STACK_WIDTH` wide, so that their text stays readable on a phone.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence

import matplotlib.colors
import matplotlib.pyplot as plt
import matplotlib.ticker as mticker
import matplotlib.transforms as mtransforms
import numpy as np
import pandas as pd
from matplotlib import cbook
from scipy import special

from analysis import published as _published
from analysis.book import PALETTE, SURVIVAL_COMPARISONS
from analysis.clinical import (
    BSA_CAP_M2,
    ECF_REGIMEN,
    EPIRUBICIN_CUMULATIVE_THRESHOLDS_MG_M2,
    EPIRUBICIN_PER_CYCLE_MG_M2,
)
from analysis.formatting import count, number, p_value, quantity, word_list
from analysis.privacy import (
    COMPLEMENT_MARK,
    NOT_SHOWN_SMALL_GROUP,
    SMALL_COUNT_THRESHOLD,
    central_range,
    hidden_counts,
    shown_quartiles,
)
from analysis.survival import as_arrays, kaplan_meier
from analysis.tables import cohort_bsa

__all__ = [
    "km_plot",
    "forest_plot",
    "schoenfeld_plot",
    "note_figure",
    "response_plot",
    "response_figure",
    "skewed_labs_plot",
    "skewed_labs_figure",
    "SKEWED_LABS",
    "survival_comparison_figures",
    "dose_bsa_figure",
    "cumulative_epirubicin_figure",
    "exposure_estimates_figure",
    "SHORT_LABELS",
    "dot_histogram",
    "km_panels",
    "histogram_panels",
    "count_bars",
    "legend_above",
    "dose_bsa_plot",
    "RISK_TABLE_LABEL",
    "AT_RISK_HIDDEN",
    "RESPONSE_CATEGORIES",
    "STACK_WIDTH",
    "FONT_PT",
    "LINE_STYLES",
    "HATCHES",
]

#: ``Axes.get_label()`` of the number-at-risk table under a KM plot (tests and chapters find it).
RISK_TABLE_LABEL = "number-at-risk"

#: What the number-at-risk table of a user's cohort shows for a count hidden because it would
#: give a count of 1-4 back (:data:`analysis.privacy.COMPLEMENT_MARK` elsewhere): one character,
#: as "hidden" beside "<5" overlapped in 6-month columns on a phone; a key under the table says
#: what it means.
AT_RISK_HIDDEN = "×"

#: Width (inches) of the book's figures. A phone shows a figure 342 CSS px wide, so the 150-dpi
#: PNG of a 4.2-inch figure (600-690 px with its labels) shrinks by ~0.5: text of :data:`FONT_PT`
#: points is 12.4-14.4 CSS px there (at 4.8 inches, 11-pt ticks were 9.5-11.7 px), and 15-18 px
#: on a desktop, which shows it 420 px wide. tests/test_figures_phone.py measures them.
STACK_WIDTH = 4.2

#: Size (points) of every text the figures write themselves (notes, panel names, numbers at
#: risk), as the house style's ticks, labels and legends (:func:`analysis.book.setup`).
FONT_PT = 12

#: Line styles of the 1st, 2nd, ... series of a figure, beside its :data:`~analysis.book.PALETTE`
#: colour: printed in greyscale (a photocopied handout), the palette's blue, green and vermilion
#: are nearly the same grey, so two curves are told apart by their dashes.
LINE_STYLES = ("-", "--", ":", "-.")

#: Hatches of the 1st, 2nd, ... series of bars (the first is plain), for the same reason.
HATCHES = ("", "//", "..", "xx", "\\\\", "++", "oo")


def legend_above(ax, *, centred: bool = False, **kwargs):
    """The legend of ``ax`` above it, without a frame, from the figure's left edge (``centred``:
    centred on the figure) rather than the axes'.

    Aligned on the axes of a narrow figure (:data:`STACK_WIDTH`), whose y labels take an inch of
    its width, a legend of 12-pt names ran past the figure's right edge: the PNG grew wider and a
    phone shrank all its text. ``kwargs`` go to :meth:`matplotlib.axes.Axes.legend`.

    Returns
    -------
    matplotlib.legend.Legend

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots(figsize=(STACK_WIDTH, 3))
    >>> _ = ax.plot([0, 1], [0, 1], label="a rather long name of the first series")
    >>> legend = legend_above(ax)
    >>> fig.canvas.draw()
    >>> box = legend.get_window_extent()
    >>> bool(box.x0 >= 0 and box.x1 <= fig.bbox.x1), bool(box.y0 >= ax.get_window_extent().y1)
    (True, True)
    >>> plt.close(fig)
    """
    transform = mtransforms.blended_transform_factory(ax.figure.transFigure, ax.transAxes)
    kwargs.setdefault("frameon", False)
    return ax.legend(
        loc="lower center" if centred else "lower left",
        bbox_to_anchor=(0.5 if centred else 0.0, 1.0),
        bbox_transform=transform,
        **kwargs,
    )


def _step_curve(t, e, alpha: float, ci: str):
    """Step coordinates of the KM curve and its pointwise band from time 0 to the last time."""
    km = kaplan_meier(t, e)
    z = special.ndtri(1 - alpha / 2)
    times = np.r_[0.0, km["time"].to_numpy()]
    surv = np.r_[1.0, km["survival"].to_numpy()]
    se_log = np.sqrt(np.r_[0.0, km["var_log"].to_numpy()])
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        if ci == "log":
            lower = surv * np.exp(-z * se_log)
            upper = np.minimum(surv * np.exp(z * se_log), 1.0)
        elif ci == "log-log":
            se_ll = se_log / np.abs(np.log(surv))
            lower = surv ** np.exp(z * se_ll)
            upper = surv ** np.exp(-z * se_ll)
            lower[surv >= 1], upper[surv >= 1] = 1.0, 1.0
        else:
            raise ValueError(f"ci: expected 'log' or 'log-log', got {ci!r}")
    lower[surv <= 0], upper[surv <= 0] = 0.0, 0.0
    t_end = float(np.max(t))
    if t_end > times[-1]:
        times = np.r_[times, t_end]
        surv, lower, upper = (np.r_[a, a[-1]] for a in (surv, lower, upper))
    return times, surv, lower, upper


def _censor_ticks(ax, times, surv, cens: np.ndarray, colour) -> None:
    """Tick marks ``|`` on the step curve ``(times, surv)``, one at each distinct censored time.

    Patients censored at the same time share one tick: a tick per patient made a 10,000-patient
    figure's SVG 230 KB, and the same tick drawn twice shows nothing more.
    """
    cens = np.unique(cens)
    if cens.size:
        ax.plot(
            cens,
            _surv_at(times, surv, cens),
            ls="none",
            marker="|",
            ms=7,
            mew=1.2,
            color=colour,
        )


def _surv_at(times, surv, x):
    idx = np.searchsorted(times, x, side="right") - 1
    return surv[np.clip(idx, 0, len(surv) - 1)]


def km_plot(
    ax,
    durations,
    events,
    groups=None,
    labels: Mapping | Sequence[str] | None = None,
    *,
    ci: str | None = "log",
    alpha: float = 0.05,
    censor_ticks: bool = True,
    at_risk: bool = True,
    at_risk_times: Sequence[float] | None = None,
    xlabel: str = "months since start of HAIC",
    ylabel: str = "overall survival probability",
    legend_title: str | None = None,
    min_count: int | None = None,
):
    """Kaplan-Meier curve(s) with confidence bands, censoring ticks and a number-at-risk table.

    Parameters
    ----------
    ax : matplotlib Axes or None
        Where to draw the curves. ``None`` creates a figure with the curves above and the
        number-at-risk table below (sharing the time axis).
    durations, events : array-like
        Follow-up times and event indicators (1 event, 0 censored).
    groups : array-like, optional
        One curve per distinct value (sorted); ``None`` draws one curve.
    labels : mapping or sequence, optional
        Legend / table labels: ``{group value: label}`` or a list in sorted-group order.
    ci : {"log", "log-log"} or None
        Pointwise band for S(t): R ``survfit``'s default ``"log"`` (``S·exp(±z·se(log S))``,
        Greenwood's variance :cite:`greenwood1926`) or lifelines' ``"log-log"``; ``None`` for no
        band. SPSS draws no band.
    censor_ticks : bool
        Mark censored times with a vertical tick on the curve (as R's ``mark.time`` and SPSS).
    at_risk : bool
        Draw the number-at-risk table: subjects with follow-up ``>= t`` at each tick time ``t``
        (the convention of R's ``summary(fit, times)`` and of published KM figures).
    at_risk_times : sequence of float, optional
        Times for the table (and the x ticks); default every 6 months up to the last time.
    xlabel, ylabel : str
        Lower-case axis labels with units.
    min_count : int, optional
        A user's cohort (:data:`analysis.privacy.SMALL_COUNT_THRESHOLD`): a number at risk of 1
        to ``min_count - 1`` reads ``"<min_count"``, and with two or more groups a count that
        would give such a number back by subtraction from the column's total reads
        :data:`AT_RISK_HIDDEN`, explained by a key under the table
        (:func:`analysis.privacy.hidden_counts`; the groups are taken to add up to the total at
        risk another figure shows). A group of 1 to ``min_count - 1`` patients is not drawn (no
        curve, band or censoring ticks: each step and tick is one patient) and a line in the
        plot says so; its row of the table keeps its (hidden) counts. ``None`` (the book's
        cohort): every count is drawn.

    Returns
    -------
    matplotlib.figure.Figure
        The number-at-risk table is the axes whose ``get_label()`` is :data:`RISK_TABLE_LABEL`
        (in ``fig.axes`` when ``ax`` is None, else in ``ax.child_axes``); its texts are the
        counts, one row per group (top row = first group).

    Examples
    --------
    Six patients, two of them censored (at 3 and 8 months); the numbers at risk are those with
    follow-up of at least 0, 3, 6 and 9 months:

    >>> import matplotlib.pyplot as plt
    >>> fig = km_plot(None, [2, 3, 3, 5, 8, 9], [1, 0, 1, 1, 0, 1], at_risk_times=[0, 3, 6, 9])
    >>> table = next(a for a in fig.axes if a.get_label() == RISK_TABLE_LABEL)
    >>> len(fig.axes), [t.get_text() for t in table.texts]
    (2, ['6', '5', '2', '1'])
    >>> plt.close(fig)

    Two groups, labelled; the table's first row is the first group:

    >>> fig = km_plot(None, [2, 3, 8, 3, 5, 9], [1, 0, 0, 1, 1, 1], groups=["a", "a", "a", "b", "b", "b"],
    ...               labels={"a": "arm A", "b": "arm B"}, at_risk_times=[0, 3, 6, 9])
    >>> [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    ['arm A', 'arm B']
    >>> table = next(a for a in fig.axes if a.get_label() == RISK_TABLE_LABEL)
    >>> [t.get_text() for t in table.texts]
    ['3', '2', '1', '0', '3', '3', '1', '1']
    >>> plt.close(fig)

    On a user's cohort (``min_count=5``) counts of 1-4 read "<5", and a group of fewer than 5
    patients is not drawn:

    >>> fig = km_plot(None, [2, 3, 3, 5, 8, 9, 4, 6], [1, 0, 1, 1, 0, 1, 1, 1],
    ...               groups=[0, 0, 0, 0, 0, 0, 1, 1], at_risk_times=[0, 3, 6], min_count=5)
    >>> table = next(a for a in fig.axes if a.get_label() == RISK_TABLE_LABEL)
    >>> [t.get_text() for t in table.texts]
    ['×', '×', '<5', '<5', '<5', '<5']
    >>> len(fig.axes[0].get_lines()), fig.axes[0].texts[0].get_text()
    (2, 'not drawn: 1\\n(fewer than 5 patients)')
    >>> plt.close(fig)
    """
    if groups is None:
        t, e = as_arrays(durations, events)
        g = np.zeros(t.size, dtype=object)
        levels = [None]
    else:
        t, e, g = as_arrays(durations, events, groups)
        levels = sorted(pd.unique(g), key=lambda x: (str(type(x)), x))
    if labels is None:
        names = ["all patients" if lev is None else str(lev) for lev in levels]
    elif isinstance(labels, Mapping):
        missing = [lev for lev in levels if lev not in labels]
        if missing:
            raise ValueError(f"labels: no label for group value(s) {missing!r}")
        names = [str(labels[lev]) for lev in levels]
    else:
        names = [str(x) for x in labels]
        if len(names) != len(levels):
            raise ValueError(
                f"labels: {len(names)} labels given for {len(levels)} groups {levels!r}"
            )
    if at_risk_times is None:
        step = 6.0
        at_risk_times = np.arange(0.0, float(t.max()) + 1e-9, step)
    at_risk_times = np.asarray(at_risk_times, dtype=float)

    # lines of the number-at-risk table: with two or more groups each group's name has a line
    # of its own above its numbers (to their left, "additional TACE" took an inch of a phone's
    # narrow figure from the curves and crowded the numbers)
    named = len(levels) > 1
    n_lines = len(levels) * (2 if named else 1)
    own_figure = ax is None
    if own_figure:
        fig, (ax, tab) = plt.subplots(
            2,
            1,
            sharex=True,
            figsize=(STACK_WIDTH, 3.6 + 0.25 * n_lines),  # narrow: text >= 12 px on a phone
            # no hspace: tight_layout (below) spaces the table's heading off the curves' x axis
            gridspec_kw={"height_ratios": [4.0, 0.45 + 0.28 * n_lines]},
        )
        tab.set_label(RISK_TABLE_LABEL)
        if not at_risk:
            tab.remove()
            tab = None
    else:
        fig = ax.figure
        tab = None
        if at_risk:
            tab = ax.inset_axes([0.0, -0.42 - 0.06 * n_lines, 1.0, 0.2 + 0.05 * n_lines])
            tab.set_label(RISK_TABLE_LABEL)

    colours = [PALETTE[i % len(PALETTE)] for i in range(len(levels))]
    styles = [LINE_STYLES[i % len(LINE_STYLES)] for i in range(len(levels))]
    small = []  # a user's cohort: groups of 1 to min_count - 1 patients, not drawn
    for lev, name, colour, style in zip(levels, names, colours, styles, strict=True):
        mask = g == lev if lev is not None else np.ones(t.size, bool)
        tt, ee = t[mask], e[mask]
        if min_count is not None and 0 < tt.size < min_count:
            small.append(name)
            continue
        times, surv, lower, upper = _step_curve(tt, ee, alpha, ci or "log")
        ax.step(times, surv, where="post", color=colour, ls=style, lw=1.6, label=name)
        if ci is not None:
            ax.fill_between(times, lower, upper, step="post", color=colour, alpha=0.15, lw=0)
        if censor_ticks:
            _censor_ticks(ax, times, surv, tt[ee == 0], colour)
    ax.set_ylim(-0.02, 1.02)
    # every time 0 (deaths at month 0): a month of axis, not a singular one
    right = max(float(t.max()), float(at_risk_times.max())) or 1.0
    ax.set_xlim(-0.03 * right, 1.03 * right)
    ax.set_ylabel(ylabel)
    ax.set_xticks(at_risk_times)
    if len(levels) > 1 and len(small) < len(levels):
        if own_figure:  # above the curves: inside, the narrow figure's covered a band
            legend_above(ax, title=legend_title, ncol=2)
        else:
            ax.legend(title=legend_title, frameon=False, loc="upper right")
    if small:
        ax.text(
            0.02,
            0.04,
            # two lines: on one, 12 pt ran past the narrow figure's edge (wrapped there instead)
            f"not drawn: {', '.join(small)}\n(fewer than {min_count} patients)",
            transform=ax.transAxes,
            ha="left",
            va="bottom",
            fontsize=FONT_PT,
            wrap=True,
            bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.85, "pad": 1.5},
        )

    if tab is not None:
        tab.set_xlim(ax.get_xlim())
        tab.set_ylim(-0.5, n_lines - 0.5)
        masks = [g == lev if lev is not None else np.ones(t.size, bool) for lev in levels]
        shown = {}  # (row, column) -> text
        for col, x in enumerate(at_risk_times):
            counts = {(row, col): int((t[mask] >= x).sum()) for row, mask in enumerate(masks)}
            shown |= {key: count(n) for key, n in counts.items()}  # "1,832"
            if min_count is not None:  # a user's cohort: no count of 1 to min_count - 1
                groups = [list(counts)] if len(counts) > 1 else []
                shown |= hidden_counts(counts, groups=groups, threshold=min_count)
        step = 2 if named else 1  # a group's lines: its name (if named), then its numbers
        for row, colour in enumerate(colours):
            y = n_lines - step * (row + 1)
            for col, x in enumerate(at_risk_times):
                text = shown[row, col]
                text = AT_RISK_HIDDEN if text == COMPLEMENT_MARK else text
                tab.text(x, y, text, ha="center", va="center", color=colour, fontsize=FONT_PT)
        if COMPLEMENT_MARK in shown.values():  # the key, under the table (not one of its texts)
            below = mtransforms.offset_copy(
                tab.transAxes, tab.figure, y=-4.2 * FONT_PT, units="points"
            )
            tab.figure.text(
                0, 0, f"{AT_RISK_HIDDEN} hidden: with its column's total\nit would give a count below "
                f"{min_count} back", transform=below, ha="left", va="top", fontsize=FONT_PT,
                color="0.3", gid="at-risk-key",
            )  # fmt: skip
        # the names are the y axis' tick labels, left-aligned from the table's left edge (its
        # texts stay the counts alone)
        tab.set_yticks([n_lines - step * row - 1 for row in range(len(levels))] if named else [])
        tab.set_yticklabels(names if named else [])
        tab.tick_params(axis="y", length=0, pad=0)
        for label, colour in zip(tab.get_yticklabels(), colours, strict=False):
            label.set_horizontalalignment("left")
            label.set_color(colour)
        tab.grid(False)
        for side in ("top", "right", "left"):
            tab.spines[side].set_visible(False)
        # as the tick labels: >= 12 CSS px on a phone in the widest figure of chapter 6
        # (tests/test_figures_phone.py; 11 pt in a 4.8-inch figure was 9.8 px)
        tab.set_title("number at risk", loc="left", fontsize=FONT_PT, pad=2)
        tab.set_xticks(at_risk_times)
        tab.set_xlabel(xlabel)
        if ax.get_subplotspec() is not None and tab.get_subplotspec() is not None:
            ax.tick_params(labelbottom=False)
        else:
            ax.set_xlabel("")
    else:
        ax.set_xlabel(xlabel)
    if own_figure:
        # the rows' names inside the figure: past its left edge they widened the PNG, which a
        # phone then shrank (6.5's "additional TACE": every text 0.9 of its size)
        fig.tight_layout(h_pad=0.4)
    return fig


def forest_plot(
    table: pd.DataFrame,
    published: pd.DataFrame | None = None,
    *,
    labels: Mapping[str, str] | None = None,
    xlabel: str = "hazard ratio (95% CI, log scale)",
    reproduced_label: str = "this cohort",
    published_label: str = "published",
    steps: Mapping[str, float] | None = None,
):
    """Forest plot of hazard ratios, optionally with the published values side by side.

    Parameters
    ----------
    table : DataFrame
        Indexed by term with columns ``hr``, ``lower``, ``upper`` (e.g. from
        :func:`analysis.survival.cox_table`). Plotted top to bottom in index order.
    published : DataFrame, optional
        Same columns, indexed by (a subset of) the same terms; drawn as open markers just below
        each of ``table``'s estimates. Missing terms are skipped.
    labels : mapping, optional
        ``{term: text}`` for the y axis; default the term names.
    xlabel : str
        The label of the (log) hazard-ratio axis.
    reproduced_label, published_label : str
        Legend entries of the two sets of estimates: ``table``'s is "this cohort", not
        "reproduced", since an estimate may well differ from the published one.
    steps : mapping, optional
        ``{term: k}``: draw that term's ratio and bounds (in ``table`` and ``published``)
        raised to the power ``k``, a per-unit ratio per ``k`` units; per U/L, a ratio such as
        1.005 sits on 1 on an axis that spans 0.1 to 10. Say so in its label.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> table = pd.DataFrame({"hr": [0.5, 2.0], "lower": [0.3, 1.2], "upper": [0.9, 3.5]},
    ...                      index=["albumin_le3", "crp_gt3"])
    >>> fig = forest_plot(table, table * 1.1, labels={"albumin_le3": "Albumin ≤ 3 g/dL"})
    >>> ax = fig.axes[0]
    >>> [t.get_text() for t in ax.get_yticklabels()], ax.get_xscale()
    (['Albumin ≤ 3 g/dL', 'crp_gt3'], 'log')
    >>> [t.get_text() for t in ax.get_legend().get_texts()]
    ['this cohort', 'published']
    >>> plt.close(fig)
    >>> fig = forest_plot(table, steps={"crp_gt3": 2})  # CRP's 2.0 (1.2–3.5) per 2 units
    >>> [round(float(x), 2) for x in fig.axes[0].lines[0].get_xdata()]
    [0.5, 4.0]
    >>> plt.close(fig)
    """
    need = {"hr", "lower", "upper"}
    missing = need - set(table.columns)
    if missing:
        raise ValueError(f"table: missing column(s) {sorted(missing)}; need hr, lower, upper")
    if published is not None:
        missing = need - set(published.columns)
        if missing:
            raise ValueError(f"published: missing column(s) {sorted(missing)}")
    if steps:
        table, published = (
            None if t is None else t.astype({c: float for c in need}).copy()
            for t in (table, published)
        )
        for t in (table, published):
            for term, k in steps.items():
                if t is not None and term in t.index:
                    t.loc[term, list(need)] = t.loc[term, list(need)].astype(float) ** k
    terms = list(table.index)
    n = len(terms)
    # a name of more than 18 characters on two lines: on one, "tumour number, per lesion" took
    # half of the narrow figure's width from the intervals
    names = [_two_lines(str(labels.get(t, t) if labels else t), 18) for t in terms]
    row = 0.42 if all("\n" not in name for name in names) else 0.5
    # narrow, as the stacked panels: every text >= 12 CSS px on a 390-px phone
    fig, ax = plt.subplots(figsize=(STACK_WIDTH, 0.9 + row * n))
    y = np.arange(n)[::-1].astype(float)
    offset = 0.18 if published is not None else 0.0
    hr = table["hr"].to_numpy(float)
    ax.errorbar(
        hr,
        y + offset,
        xerr=np.clip(
            [hr - table["lower"].to_numpy(float), table["upper"].to_numpy(float) - hr], 0, None
        ),
        fmt="o",
        color=PALETTE[0],
        ecolor=PALETTE[0],
        ms=5,
        capsize=2,
        label=reproduced_label,
    )
    if published is not None:
        pub = published.reindex(terms)
        ok = pub["hr"].notna().to_numpy()
        ph = pub["hr"].to_numpy(float)
        lo = np.where(pub["lower"].notna(), pub["lower"], ph).astype(float)
        hi = np.where(pub["upper"].notna(), pub["upper"], ph).astype(float)
        ax.errorbar(
            ph[ok],
            (y - offset)[ok],
            xerr=[(ph - lo)[ok], (hi - ph)[ok]],
            fmt="s",
            mfc="white",
            color=PALETTE[1],
            ecolor=PALETTE[1],
            ms=5,
            capsize=2,
            label=published_label,
        )
        # above the axes: inside ("best"), the narrow plot left it no free corner
        legend_above(ax, centred=True, ncol=2)
    ax.axvline(1.0, color="0.4", lw=0.8, ls="--")
    ax.set_xscale("log")
    lo_all = np.nanmin(np.r_[table["lower"].to_numpy(float), 1.0])
    hi_all = np.nanmax(np.r_[table["upper"].to_numpy(float), 1.0])
    if published is not None:
        lo_all = min(lo_all, np.nanmin(np.r_[published["lower"].to_numpy(float), lo_all]))
        hi_all = max(hi_all, np.nanmax(np.r_[published["upper"].to_numpy(float), hi_all]))
    ax.xaxis.set_major_formatter(mticker.FormatStrFormatter("%g"))
    ax.xaxis.set_minor_locator(mticker.NullLocator())
    ax.set_yticks(y)
    ax.set_yticklabels(names)
    ax.set_ylim(-0.7, n - 0.3)
    ax.set_xlabel(xlabel)
    ax.grid(axis="y", visible=False)
    # the coarsest-needed ticks whose labels do not touch: at this width "0.1" and "0.2" ran
    # together ("0.10.2") on a log axis from 0.1 to 10
    for per_decade, stride in _LOG_TICK_STEPS:
        decades = [k for k in range(-4, 5) if k % stride == 0]
        nice = sorted({m * 10.0**k for k in decades for m in per_decade})
        ticks = [v for v in nice if lo_all / 1.5 <= v <= hi_all * 1.5] or [1.0]
        if 1.0 not in ticks and lo_all / 1.5 <= 1.0 <= hi_all * 1.5:
            ticks = sorted([*ticks, 1.0])
        ax.xaxis.set_major_locator(mticker.FixedLocator(ticks))
        fig.tight_layout()
        if not _tick_labels_overlap(ax):
            break
    return fig


#: Ticks of a log axis, finest first: (multiples in a decade, every how many decades):
#: 1-2-5, then 1-5, then 1-3, then 1 in each decade, then 1 in every other decade.
_LOG_TICK_STEPS = (((1, 2, 5), 1), ((1, 5), 1), ((1, 3), 1), ((1,), 1), ((1,), 2))


def _tick_labels_overlap(ax, gap: float = 0.6) -> bool:
    """Whether two of the x tick labels of ``ax`` come closer than ``gap`` times their font
    size once drawn (less than about a space and a half reads as one number: "0.5 1")."""
    fig = ax.figure
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    labels = [t for t in ax.get_xticklabels() if t.get_text()]
    if len(labels) < 2:
        return False
    room = gap * labels[0].get_fontsize() * fig.dpi / 72  # points to pixels
    boxes = sorted((t.get_window_extent(renderer) for t in labels), key=lambda b: b.x0)
    return any(b.x0 - a.x1 < room for a, b in zip(boxes, boxes[1:], strict=False))


def _two_lines(text: str, width: int) -> str:
    r"""``text`` on two lines when longer than ``width`` characters: broken after its first comma,
    else at the space nearest its middle (a single word stays whole).

    Examples
    --------
    >>> _two_lines("tumour number, per lesion", 20)
    'tumour number,\nper lesion'
    >>> _two_lines("naive (known at time zero)", 20)
    'naive (known\nat time zero)'
    >>> _two_lines("Child-Pugh 6 vs 5", 20)
    'Child-Pugh 6 vs 5'
    """
    if len(text) <= width or " " not in text:
        return text
    if ", " in text:
        head, tail = text.split(", ", 1)
        return f"{head},\n{tail}"
    spaces = [i for i, c in enumerate(text) if c == " "]
    cut = min(spaces, key=lambda i: abs(i - len(text) / 2))
    return f"{text[:cut]}\n{text[cut + 1 :]}"


def count_bars(ax, positions, counts, *, user: bool = False, **bar_kwargs):
    """``ax.bar(positions, counts, **bar_kwargs)``; on a user's cohort no bar of 1–4 patients.

    A count from 1 to :data:`~analysis.privacy.SMALL_COUNT_THRESHOLD` − 1 of a user's cohort
    (``user``) is not drawn (its height would show it); ``"<5"`` is written at its place
    instead, as count tables print it. The book's own cohort is drawn whole.

    Returns
    -------
    list of bool
        Which counts were hidden.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> count_bars(ax, [0, 1, 2], [12, 3, 0], user=True)
    [False, True, False]
    >>> [int(p.get_height()) for p in ax.patches], [t.get_text() for t in ax.texts]
    ([12, 0, 0], ['<5'])
    >>> plt.close(fig)
    """
    counts = [int(k) for k in counts]
    hidden = [bool(user) and 0 < k < SMALL_COUNT_THRESHOLD for k in counts]
    ax.bar(positions, [0 if h else k for k, h in zip(counts, hidden, strict=True)], **bar_kwargs)
    for where, h in zip(np.asarray(positions, float), hidden, strict=True):
        if h:
            ax.text(
                where, 0, f"<{SMALL_COUNT_THRESHOLD}", ha="center", va="bottom", fontsize=FONT_PT
            )
    return hidden


def schoenfeld_plot(
    residuals: pd.DataFrame,
    ph: pd.DataFrame | None = None,
    *,
    terms: Sequence[str] | None = None,
    labels: Mapping[str, str] | None = None,
    alpha: float = 0.05,
    points: bool = True,
    xlabel: str = "months since start of HAIC",
):
    """Scaled Schoenfeld residuals against time, one panel per term, with a running mean.

    Under proportional hazards a term's residuals scatter around its fitted log hazard ratio
    (dashed line) with no trend; a running mean that drifts away from the line is a hazard ratio
    that changes over follow-up. The plot :cite:`therneau2000` shows what the Grambsch–Therneau
    P (:func:`analysis.survival.ph_test`) sums up in one number.

    Parameters
    ----------
    residuals : DataFrame
        :func:`analysis.survival.scaled_schoenfeld`: ``time``, one column per term,
        ``attrs["beta"]``.
    ph : DataFrame, optional
        :func:`analysis.survival.ph_test` of the same model: with ``terms`` None, the panels are
        the terms with P < ``alpha`` (else the one with the smallest P), each titled with its P.
    terms : sequence of str, optional
        The terms to draw (default: from ``ph``, or every term).
    labels : mapping, optional
        ``{term: text}`` for the panels' titles.
    points : bool
        Draw each event's residual (False: the running mean alone, for a user's cohort whose
        individual death times are not shown).
    xlabel : str
        The time axis's label.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> res = pd.DataFrame({"time": np.arange(1.0, 13.0), "x": np.r_[np.zeros(6), np.ones(6)],
    ...                     "z": np.zeros(12)})
    >>> res.attrs["beta"] = {"x": 0.5, "z": 0.0}
    >>> ph = pd.DataFrame({"p": [0.01, 0.6, 0.03]}, index=["x", "z", "GLOBAL"])
    >>> fig = schoenfeld_plot(res, ph, labels={"x": "AST, per U/L"})
    >>> [ax.get_title(loc="left") for ax in fig.axes]
    ['AST, per U/L: P 0.010']
    >>> plt.close(fig)
    """
    if terms is None:
        if ph is not None:
            p = ph["p"].drop("GLOBAL", errors="ignore")
            terms = [t for t in p.index if p[t] < alpha] or ([p.idxmin()] if len(p) else [])
        else:
            terms = [c for c in residuals.columns if c != "time"]
    terms = [t for t in terms if t in residuals.columns]
    if not terms:
        return note_figure("No model term to draw.")
    data = residuals.sort_values("time")
    time = data["time"].to_numpy(float)
    n = len(time)
    window = max(5, round(n / 6))  # events in each running mean
    legend_in = 0.75  # the legend's three lines under the panels
    height = 0.9 + 2.4 * len(terms) + legend_in
    fig, axes = plt.subplots(len(terms), 1, figsize=(STACK_WIDTH, height))
    axes = np.atleast_1d(axes)
    for ax, term in zip(axes, terms, strict=True):
        y = data[term].to_numpy(float)
        if points:
            ax.plot(time, y, "o", ms=3.5, color=PALETTE[0], alpha=0.55, mec="none",
                    label="residual (one death)")  # fmt: skip
        smooth = pd.Series(y).rolling(window, center=True, min_periods=window // 2 + 1).mean()
        # drawn on a grid of months, not at the deaths: the line shows no one's time of death
        grid = np.linspace(0.0, 6.0 * np.ceil(time.max() / 6.0), 97)
        ok = smooth.notna().to_numpy()
        if ok.any():  # fewer deaths than half a window: no mean to draw
            ax.plot(grid, np.interp(grid, time[ok], smooth.to_numpy()[ok]), "-",
                    color=PALETTE[1], lw=2, label=f"running mean of {window} deaths")  # fmt: skip
        beta = residuals.attrs.get("beta", {}).get(term)
        if beta is not None:
            ax.axhline(beta, color="0.3", ls="--", lw=1, label="fitted log HR")
        name = str(labels.get(term, term) if labels else term)
        if ph is not None and term in ph.index:
            name += f": P {p_value(float(ph.loc[term, 'p']), 3)}"
        ax.set_title(name, loc="left", fontsize=FONT_PT)
        ax.set_ylabel("scaled residual\n(log HR)")
        if not points:  # the running mean's range, not a scatter's
            ax.margins(y=0.3)
    axes[-1].set_xlabel(xlabel)
    # under the panels: above the first, the legend covered its title
    handles, names = axes[0].get_legend_handles_labels()
    fig.legend(handles, names, loc="lower center", bbox_to_anchor=(0.5, 0.0), frameon=False)
    fig.tight_layout(rect=(0, legend_in / height, 1, 1))
    return fig


def note_figure(text: str, *, width: float = STACK_WIDTH, height: float | None = None):
    """A small figure that only says why the intended figure cannot be drawn on this cohort.

    Chapters glue it under the figure's name so that the ``{glue:figure}`` directive (and its
    caption) still resolves when, for example, no model term could be estimated.

    Parameters
    ----------
    text : str
        The message (wrapped at 45 characters: 12 pt in the book's narrow figures).
    width, height : float
        The figure's size in inches; the default height fits the wrapped lines.

    Returns
    -------
    matplotlib.figure.Figure
        One axes, switched off, holding the text.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig = note_figure("No term could be estimated on this cohort.")
    >>> len(fig.axes), fig.axes[0].axison, fig.axes[0].texts[0].get_text()
    (1, False, 'No term could be estimated on this cohort.')
    >>> plt.close(fig)
    """
    lines = textwrap.wrap(text, 45) or [""]
    if height is None:
        height = max(1.6, 0.6 + 0.25 * len(lines))
    fig, ax = plt.subplots(figsize=(width, height))
    ax.axis("off")
    ax.text(0.5, 0.5, "\n".join(lines), ha="center", va="center", fontsize=FONT_PT, wrap=True)
    return fig


def null_simulation_plot(
    sims: pd.DataFrame, *, labels: Mapping[str, str] | None = None, bins: int = 25
):
    """Histograms of the hazard ratios of simulated studies, one per analysis, on a log axis.

    Parameters
    ----------
    sims : DataFrame
        One row per simulated study with columns ``naive_hr`` and ``tv_hr`` (as returned by
        :func:`analysis.bias.null_simulation`). Non-finite estimates are left out.
    labels : mapping, optional
        Legend text per column; defaults describe the naive and time-varying analyses.
    bins : int
        Bins of each histogram (shared edges over both analyses).

    Returns
    -------
    matplotlib.figure.Figure
        A vertical line marks HR = 1, the true effect of the simulated treatment. A
        :func:`note_figure` when no simulated study has a finite estimate.

    Examples
    --------
    Four simulated studies, one of whose naive estimates is infinite (left out):

    >>> import matplotlib.pyplot as plt
    >>> sims = pd.DataFrame({"naive_hr": [0.5, 0.6, 0.7, np.inf], "tv_hr": [0.9, 1.0, 1.1, 1.2]})
    >>> fig = null_simulation_plot(sims, bins=5)
    >>> ax = fig.axes[0]
    >>> len(ax.patches), int(sum(p.get_height() for p in ax.patches))  # 2 x 5 bars, 7 studies
    (10, 7)
    >>> [t.get_text() for t in ax.get_legend().get_texts()]
    ['naive (treatment known at time zero)', 'time-varying covariate']
    >>> plt.close(fig)
    """
    labels = dict(labels or {})
    names = {
        "naive_hr": labels.get("naive_hr", "naive (treatment known at time zero)"),
        "tv_hr": labels.get("tv_hr", "time-varying covariate"),
    }
    values = {c: np.log(sims[c][np.isfinite(sims[c]) & (sims[c] > 0)]) for c in names}
    finite = np.concatenate([v.to_numpy() for v in values.values()])
    if finite.size == 0:
        return note_figure("No simulated study produced an estimate.")
    edges = np.linspace(finite.min(), finite.max(), bins + 1)
    # narrow, as the stacked panels: every text >= 12 CSS px on a 390-px phone
    fig, ax = plt.subplots(figsize=(STACK_WIDTH, 3.6))
    # the second analysis hatched: in greyscale the two colours, and their overlap, are one grey
    for i, (column, name) in enumerate(names.items()):
        colour = PALETTE[i % len(PALETTE)]
        ax.hist(
            values[column],
            bins=edges,
            facecolor=matplotlib.colors.to_rgba(colour, 0.55),
            edgecolor=colour if HATCHES[i] else "none",
            hatch=HATCHES[i] or None,
            lw=0,
            label=name,
        )
    ax.axvline(0.0, color="black", linewidth=1, linestyle="--")
    ticks = [t for t in (0.25, 0.5, 1, 2, 4) if edges[0] <= np.log(t) <= edges[-1]] or [1]
    ax.set_xticks(np.log(ticks))
    ax.set_xticklabels([f"{t:g}" for t in ticks])
    ax.set_xlabel("estimated hazard ratio of a treatment\nwith no effect (log scale)")
    ax.set_ylabel("simulated studies")
    # above the axes: inside, the narrow figure's legend covered the bars and the line at 1
    legend_above(ax, centred=True)
    fig.tight_layout()
    return fig


#: Order and colours of the best-response categories in :func:`response_plot`.
RESPONSE_CATEGORIES = ("CR", "PR", "SD", "PD")


def response_plot(
    counts: Mapping[str, int],
    rates: pd.DataFrame | None = None,
    *,
    published_percent: Mapping[str, float] | None = None,
    published_rates: Mapping[str, float] | None = None,
    cohort_label: str = "this cohort",
    published_label: str = "paper",
):
    """Best-response distribution as a stacked bar, and ORR/DCR as points with intervals.

    Parameters
    ----------
    counts : mapping
        ``{"CR": n, "PR": n, "SD": n, "PD": n}``: patients by best response (mRECIST). Each
        segment's width is its percent of the total, ``100 * n / sum(counts)``.
    rates : DataFrame, optional
        Indexed by rate name (e.g. ``"ORR"``, ``"DCR"``) with columns ``percent``, ``lower``,
        ``upper`` in percent (e.g. Wilson or Clopper-Pearson 95% intervals). Drawn in a second
        panel sharing the percent axis; ``None`` draws the bar only.
    published_percent : mapping, optional
        The paper's percent per category: a second stacked bar, labelled ``published_label``.
    published_rates : mapping, optional
        The paper's percent per rate (no interval printed): open squares beside each estimate.

    Returns
    -------
    matplotlib.figure.Figure
        ``fig.axes[0]`` holds the bars: one ``BarContainer`` per category in
        :data:`RESPONSE_CATEGORIES` order (``container.get_label()`` is the category), whose
        first patch is the cohort's bar (top row) and second, if drawn, the paper's. No text is
        written inside a segment: the legend above the bars names each category.

    Examples
    --------
    82 patients, 10 of them with a partial response (12.2%):

    >>> import matplotlib.pyplot as plt
    >>> rates = pd.DataFrame({"percent": [14.6, 51.2], "lower": [8.6, 40.6], "upper": [23.9, 61.7]},
    ...                      index=["ORR", "DCR"])
    >>> fig = response_plot({"CR": 2, "PR": 10, "SD": 30, "PD": 40}, rates)
    >>> bars = fig.axes[0].containers
    >>> len(fig.axes), [c.get_label() for c in bars]
    (2, ['CR', 'PR', 'SD', 'PD'])
    >>> round(float(bars[1].patches[0].get_width()), 1)
    12.2
    >>> list(fig.axes[0].texts)  # the legend names the segments
    []
    >>> plt.close(fig)
    """
    missing = [c for c in RESPONSE_CATEGORIES if c not in counts]
    if missing:
        raise ValueError(f"counts: no count for category(ies) {missing}; need CR, PR, SD, PD")
    values = {c: int(counts[c]) for c in RESPONSE_CATEGORIES}
    bad = {c: v for c, v in values.items() if v < 0}
    if bad:
        raise ValueError(f"counts: negative count(s) {bad}")
    total = sum(values.values())
    if total == 0:
        raise ValueError("counts: all categories are zero")
    if rates is not None:
        need = {"percent", "lower", "upper"} - set(rates.columns)
        if need:
            raise ValueError(f"rates: missing column(s) {sorted(need)}; need percent, lower, upper")

    rows = [cohort_label] + ([published_label] if published_percent is not None else [])
    n_rates = 0 if rates is None else len(rates)
    if n_rates:
        fig, (ax, ax_r) = plt.subplots(
            2,
            1,
            sharex=True,
            # narrow, as the stacked panels: every text >= 12 CSS px on a 390-px phone
            figsize=(STACK_WIDTH, 1.6 + 0.45 * len(rows) + 0.45 * n_rates),
            gridspec_kw={"height_ratios": [0.5 + 0.45 * len(rows), 0.4 + 0.45 * n_rates]},
        )
    else:
        fig, ax = plt.subplots(figsize=(STACK_WIDTH, 1.2 + 0.45 * len(rows)))
        ax_r = None
    y = np.arange(len(rows))[::-1].astype(float)
    left = np.zeros(len(rows))
    for i, cat in enumerate(RESPONSE_CATEGORIES):
        widths = [100.0 * values[cat] / total]
        if published_percent is not None:
            widths.append(float(published_percent.get(cat, np.nan)))
        widths = np.nan_to_num(np.asarray(widths, float))
        colour = PALETTE[i % len(PALETTE)]
        # hatched as well as coloured: in greyscale CR, SD and PD are nearly the same grey
        ax.barh(
            y,
            widths,
            left=left,
            height=0.6,
            color=colour,
            label=cat,
            edgecolor="white",
            hatch=HATCHES[i] or None,
        )
        # no name inside a segment: the legend names each colour and hatch (white names on the
        # hatching were about 8 px tall on a phone, and CR's segment too narrow for one)
        left = left + widths
    ax.set_yticks(y)
    ax.set_yticklabels(rows)
    ax.set_xlim(0, 100)
    ax.grid(axis="y", visible=False)
    legend_above(ax, centred=True, ncol=len(RESPONSE_CATEGORIES))
    if ax_r is None:
        ax.set_xlabel("patients (%)")
        fig.tight_layout()
        return fig

    yr = np.arange(n_rates)[::-1].astype(float)
    est = rates["percent"].to_numpy(float)
    ax_r.errorbar(
        est,
        yr + (0.15 if published_rates else 0.0),
        # clipped at 0: at a rate of 100% the interval's bound can fall a rounding error below it
        xerr=np.clip(
            [est - rates["lower"].to_numpy(float), rates["upper"].to_numpy(float) - est], 0, None
        ),
        fmt="o",
        color=PALETTE[0],
        ms=5,
        capsize=3,
        label=f"{cohort_label} (95% CI)",
    )
    if published_rates:
        pv = np.array([float(published_rates.get(r, np.nan)) for r in rates.index])
        ok = np.isfinite(pv)
        ax_r.plot(
            pv[ok],
            (yr - 0.15)[ok],
            ls="none",
            marker="s",
            mfc="white",
            color=PALETTE[1],
            ms=6,
            label=published_label,
        )
    ax_r.set_yticks(yr)
    ax_r.set_yticklabels(list(rates.index))
    ax_r.set_ylim(-0.6, n_rates - 0.4)
    ax_r.set_xlim(0, 100)
    ax_r.grid(axis="y", visible=False)
    ax_r.set_xlabel("patients (%)")
    fig.tight_layout()
    # below the percent axis, where no estimate or interval can be (inside the panel it covered
    # the DCR's interval once the figure was narrowed for phones)
    ax_r.legend(frameon=False, loc="upper center", bbox_to_anchor=(0.5, -0.45), ncol=2)
    return fig


def response_figure(summary: pd.DataFrame, rates: pd.DataFrame, *, hidden: Mapping | None = None):
    """Fig. 5.1: this cohort's best responses beside the paper's, and the ORR and DCR with their
    Wilson intervals beside the paper's rates (:func:`response_plot`, the paper's percents read
    from ``data/published/``).

    Parameters
    ----------
    summary : DataFrame
        :func:`analysis.clinical.response_summary`.
    rates : DataFrame
        :func:`analysis.clinical.rate_intervals` (its Wilson bounds are drawn).
    hidden : mapping, optional
        Categories a user's cohort hides (``attrs["hidden"]`` of
        :func:`analysis.tables.response_comparison`): a bar segment or an interval would give
        their count back, so a :func:`note_figure` naming them is drawn instead.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from analysis.clinical import rate_intervals, response_summary
    >>> responses = ["CR"] * 4 + ["PR"] * 20 + ["SD"] * 22 + ["PD"] * 36
    >>> fig = response_figure(response_summary(responses), rate_intervals(responses))
    >>> [c.get_label() for c in fig.axes[0].containers]
    ['CR', 'PR', 'SD', 'PD']
    >>> plt.close(fig)
    >>> fig = response_figure(response_summary(responses), rate_intervals(responses),
    ...                       hidden={"CR": "<5", "PR": "hidden"})
    >>> print(" ".join(fig.axes[0].texts[0].get_text().split()))  # wrapped to the figure
    Not drawn for your cohort: CR and PR would show fewer than 5 patients, or give such a count back.
    >>> plt.close(fig)
    """
    if hidden:
        return note_figure(
            f"Not drawn for your cohort: {word_list(hidden)} would show fewer than "
            f"{SMALL_COUNT_THRESHOLD} patients, or give such a count back."
        )
    counts = {cat: int(summary.loc[cat, "count"]) for cat in RESPONSE_CATEGORIES}
    intervals = rates[["percent", "wilson_lower", "wilson_upper"]].set_axis(
        ["percent", "lower", "upper"], axis=1
    )
    paper_shares = {
        cat: _published.value(f"results.response_{cat.lower()}.percent")
        for cat in RESPONSE_CATEGORIES
    }
    paper_rates = {r: _published.value(f"results.{r.lower()}.percent") for r in rates.index}
    return response_plot(
        counts, intervals, published_percent=paper_shares, published_rates=paper_rates
    )


#: Fig. 4.1's laboratory values, top panel first: column -> axis label.
SKEWED_LABS = {
    "ast_u_l": "AST (U/L, log scale)",
    "alt_u_l": "ALT (U/L, log scale)",
    "crp_mg_l": "CRP (mg/L, log scale)",
    "afp_ng_ml": "AFP (ng/mL, log scale)",
}


def skewed_labs_figure(cohort: pd.DataFrame, *, user: bool = False):
    """Fig. 4.1: AST, ALT, CRP and AFP (:data:`SKEWED_LABS`) on log axes with the paper's
    printed summary of each, read from ``data/published/`` (the mean for AST, ALT and CRP, the
    median for AFP, which Table 1 prints as median and range): :func:`skewed_labs_plot`.

    Parameters
    ----------
    cohort : DataFrame
        Patient rows; an absent or empty laboratory column has no panel.
    user : bool
        A user's cohort: no patient's value is drawn (``show_points=False``).

    Returns
    -------
    matplotlib.figure.Figure
        A :func:`note_figure` when none of the four columns is in the cohort.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from analysis.cohort import load_cohort
    >>> fig = skewed_labs_figure(load_cohort())
    >>> [ax.get_label() for ax in fig.axes]
    ['ast_u_l', 'alt_u_l', 'crp_mg_l', 'afp_ng_ml']
    >>> [float(ln.get_xdata()[0]) for ln in fig.axes[3].lines if ln.get_label() == "paper median"]
    [333.4]
    >>> plt.close(fig)
    >>> note = skewed_labs_figure(pd.DataFrame({"age_years": [60]}))
    >>> print(" ".join(note.axes[0].texts[0].get_text().split()))
    None of AST, ALT, CRP and AFP is in this cohort.
    >>> plt.close(note)
    """
    present = [c for c in SKEWED_LABS if c in cohort.columns and cohort[c].notna().any()]
    if not present:
        return note_figure("None of AST, ALT, CRP and AFP is in this cohort.")
    paper = {col: ("mean", _published.value(f"table1.{col}.mean")) for col in list(SKEWED_LABS)[:3]}
    paper["afp_ng_ml"] = ("median", _published.value("table1.afp_ng_ml.median"))
    return skewed_labs_plot(cohort, SKEWED_LABS, published=paper, show_points=not user)


#: The paper's printed summary in :func:`skewed_labs_plot`, drawn open: a square for a mean, a
#: circle for a median (the cohort's are a filled diamond and a filled triangle).
_PAPER_MARKERS = {"mean": "s", "median": "o"}


def skewed_labs_plot(
    cohort: pd.DataFrame,
    columns: Mapping[str, str],
    *,
    published: Mapping[str, tuple[str, float]] | None = None,
    show_points: bool = True,
    seed: int = 2024,
):
    """One panel per laboratory value on a log axis: the data, their mean and their median.

    Skewed values (a long right tail) pull the mean far to the right of the median; on a log
    axis both the bulk of the patients and the tail are visible. The mean ± 1 SD is drawn as a
    dashed bar; when mean - SD is not positive the bar runs off the left edge of the axis (the
    impossible negative values that a mean ± SD summary implies).

    Parameters
    ----------
    cohort : DataFrame
        Patient rows. Columns that are absent or empty are skipped; non-positive values cannot be
        placed on a log axis and are left out.
    columns : mapping
        ``{column: axis label with unit}``, top panel first.
    published : mapping, optional
        ``{column: (kind, value)}`` with kind ``"mean"`` or ``"median"``: the paper's printed
        summary, drawn open: a square for a mean, a circle for a median.
    show_points : bool
        Draw each patient as a jittered point (seeded with ``seed``) over the box. ``False`` (a
        user's cohort) draws only the box with whiskers at the 5th and 95th percentiles and no
        individual values (the whiskers end on the percentiles themselves, not on the last
        patient inside them, as matplotlib's would): below 21 values (where those percentiles
        would draw on the smallest or largest value, :func:`analysis.privacy.central_range`)
        the whiskers end on the box,
        and below 5 (quartiles) no box is drawn; the axis never reaches beyond them. The box's
        quartiles and median and the median's triangle are never one patient's value either
        (:func:`analysis.privacy.shown_quartiles`, linear interpolation): one that lands on a
        single patient's value moves half-way to the next, and a median that cannot is not
        drawn.

    Returns
    -------
    matplotlib.figure.Figure
        One axes per drawn column, in ``columns`` order, each with ``get_label()`` equal to the
        column name; lines labelled ``"cohort mean"``, ``"cohort median"`` and ``"paper mean"`` /
        ``"paper median"`` mark the summaries (x data = the value). A :func:`note_figure` if no
        column can be drawn.

    Examples
    --------
    Six AFP values (median (40 + 300) / 2 = 170 ng/mL) and six CRP values; the absent PIVKA-II
    column is skipped:

    >>> import matplotlib.pyplot as plt
    >>> df = pd.DataFrame({"afp_ng_ml": [5, 12, 40, 300, 2500, 18000], "crp_mg_l": [1, 2, 3, 4, 5, 60]})
    >>> fig = skewed_labs_plot(df, {"afp_ng_ml": "AFP (ng/mL)", "crp_mg_l": "CRP (mg/L)",
    ...                             "pivka2": "PIVKA-II (ng/mL)"},
    ...                        published={"afp_ng_ml": ("median", 100.0)})
    >>> [ax.get_label() for ax in fig.axes]
    ['afp_ng_ml', 'crp_mg_l']
    >>> lines = {line.get_label(): line for line in fig.axes[0].lines}
    >>> float(lines["cohort median"].get_xdata()[0]), float(lines["paper median"].get_xdata()[0])
    (170.0, 100.0)
    >>> lines["paper median"].get_marker()  # a circle: a paper mean is a square
    'o'
    >>> plt.close(fig)
    """
    drawn = {}
    for col, label in columns.items():
        if col not in cohort.columns:
            continue
        x = pd.to_numeric(cohort[col], errors="coerce").dropna().to_numpy(float)
        x = x[x > 0]
        if x.size:
            drawn[col] = (label, x)
    if not drawn:
        return note_figure("None of the laboratory columns is present in this cohort.")
    if published:
        bad = {c: k for c, (k, _) in published.items() if k not in ("mean", "median")}
        if bad:
            raise ValueError(f"published: kind must be 'mean' or 'median', got {bad}")
    rng = np.random.default_rng(seed)
    # narrow, as the stacked panels: every text >= 12 CSS px on a 390-px phone
    fig, axes = plt.subplots(
        len(drawn), 1, figsize=(STACK_WIDTH, 0.4 + 1.35 * len(drawn)), squeeze=False
    )
    for ax, (col, (label, x)) in zip(axes[:, 0], drawn.items(), strict=True):
        ax.set_label(col)
        if show_points:
            whis, (x_lo, x_hi) = (0, 100), (x.min(), x.max())
        else:  # a user's cohort: neither whiskers, box nor axis may reach a single patient's value
            spread = central_range(x)  # None below 21 values: whiskers end on the box
            q1, user_median, q3 = shown_quartiles(x, method="linear")  # each nobody's value
            quartiles = [q1, q3] if user_median is not None else [None, None]
            whis = (5, 95) if spread else (25, 75)
            x_lo, x_hi = spread or (quartiles if None not in quartiles else (np.nan, np.nan))
        box_style = {
            "orientation": "horizontal",
            "positions": [0.0],
            "widths": 0.5,
            "showfliers": False,
            "patch_artist": True,
            "boxprops": {"facecolor": "white", "edgecolor": "0.5"},
            "medianprops": {"color": "0.5"},
            "whiskerprops": {"color": "0.5"},
            "capprops": {"color": "0.5"},
        }
        if show_points:
            ax.boxplot(x, whis=whis, **box_style)
        elif None not in quartiles:
            # matplotlib ends a whisker on the last patient inside the percentile, a patient's
            # value: here it ends on the percentile itself (central_range), or on the box
            stats = cbook.boxplot_stats(x, whis=whis)[0]
            stats["q1"], stats["med"], stats["q3"] = q1, user_median, q3
            stats["whislo"], stats["whishi"] = spread or (q1, q3)
            stats["fliers"] = np.array([])
            ax.bxp([stats], **box_style)
        if show_points:
            ax.scatter(
                x,
                rng.uniform(-0.18, 0.18, x.size),
                s=9,
                color=PALETTE[6],
                alpha=0.6,
                lw=0,
                zorder=1,
                label="patients",
            )
        mean, sd, median = (
            float(x.mean()),
            float(x.std(ddof=1)) if x.size > 1 else 0.0,
            float(np.median(x)) if show_points else user_median,
        )
        median = np.nan if median is None else median  # hidden: no triangle
        if not show_points and x.size < 3:  # the mean of one or two patients gives their values
            mean = sd = np.nan
        # a user's cohort: limits from the 5th/95th percentiles (or the quartiles), never an extreme
        lows = [v for v in (float(x_lo), median) if np.isfinite(v)] or [mean]
        highs = [v for v in (float(x_hi), mean + sd) if np.isfinite(v)] or [median]
        lo, hi = min(lows) / 3, max(highs) * 1.5
        if not (np.isfinite(lo) and np.isfinite(hi)):  # nothing of a user's cohort is drawn
            lo, hi = 1.0, 10.0
        ax.set_xscale("log")
        ax.set_xlim(lo, hi)
        if np.isfinite(mean):
            left = mean - sd if mean - sd > lo else lo
            ax.plot(
                [left, mean + sd], [0.42, 0.42], color=PALETTE[3], ls="--", lw=1.2,
                label="mean ± SD",
            )  # fmt: skip
            if mean - sd <= lo:
                ax.plot([lo], [0.42], marker="<", color=PALETTE[3], ms=6, ls="none")
            ax.plot(
                [mean], [0.42], marker="D", color=PALETTE[3], ms=6, ls="none", label="cohort mean"
            )
        if not ax.lines and not ax.patches:
            ax.text(
                0.5, 0.5, "not drawn: too few values to show\nnone of a single patient",
                transform=ax.transAxes, ha="center", va="center", fontsize=FONT_PT, color="0.3",
            )  # fmt: skip
        if np.isfinite(median):
            ax.plot(
                [median], [-0.42], marker="^", color=PALETTE[0], ms=7, ls="none",
                label="cohort median",
            )  # fmt: skip
        if published and col in published:
            kind, value = published[col]
            ax.plot(
                [float(value)],
                [0.42 if kind == "mean" else -0.42],
                marker=_PAPER_MARKERS[kind],  # a mean and a median never share a marker
                mfc="none",
                mec=PALETTE[1],
                mew=1.5,
                ms=10,
                ls="none",
                label=f"paper {kind}",
            )
        # at most five decades labelled: in the narrow figure 12-pt "10,000" and "100,000" ran
        # into each other
        ax.xaxis.set_major_locator(mticker.LogLocator(base=10, numticks=5))
        ax.xaxis.set_major_formatter(
            mticker.FuncFormatter(lambda v, _: f"{v:,.0f}" if v >= 1 else f"{v:g}")
        )
        ax.xaxis.set_minor_formatter(mticker.NullFormatter())
        ax.set_ylim(-0.7, 0.7)
        ax.set_yticks([])
        ax.set_xlabel(label)
        ax.grid(axis="y", visible=False)
    handles, names = {}, []
    for ax in axes[:, 0]:
        for h, n in zip(*ax.get_legend_handles_labels(), strict=True):
            if n not in handles:
                handles[n] = h
                names.append(n)
    if names:  # a user's cohort of one or two values per panel draws nothing to name
        fig.legend(
            [handles[n] for n in names],
            names,
            frameon=False,
            ncol=min(len(names), 2),  # three columns of 12-pt names ran past the figure
            loc="lower center",
            bbox_to_anchor=(0.5, 1.0),
        )
    fig.tight_layout()
    return fig


def dot_histogram(
    panels: Mapping[str, tuple[Sequence[int], int | None]],
    *,
    marked_label: str = "the book's cohort",
    width: float = STACK_WIDTH,
    panel_height: float = 1.8,
):
    """One panel per count: a dot per unit (stacked above its value), the marked unit in a
    second colour, e.g. how many Table 2 cells each calibrated cohort of the ensemble prints.

    Parameters
    ----------
    panels : mapping
        Axis label (what is counted) -> (the counts, one per unit; the index of the marked unit
        in them, or None).
    marked_label : str
        The legend's name for the marked unit.
    width, panel_height : float
        The figure's width and each panel's height, in inches (narrow by default, so that its
        text stays readable when a phone shrinks the figure to the screen's width).

    Returns
    -------
    matplotlib.figure.Figure
        One axes per panel, top to bottom; each dot a marker at (count, rank within its count).

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig = dot_histogram({"cells printed": ([3, 4, 4, 5], 2)})
    >>> ax = fig.axes[0]
    >>> [tuple(map(float, xy)) for xy in ax.collections[0].get_offsets()]
    [(3.0, 1.0), (4.0, 1.0), (5.0, 1.0)]
    >>> [tuple(map(float, xy)) for xy in ax.collections[1].get_offsets()]  # the marked unit
    [(4.0, 2.0)]
    >>> plt.close(fig)
    """
    fig, axes = plt.subplots(
        len(panels), 1, figsize=(width, panel_height * len(panels)), squeeze=False
    )
    for ax, (label, (counts, marked)) in zip(axes[:, 0], panels.items(), strict=True):
        counts = [int(c) for c in counts]
        order = [i for i in range(len(counts)) if i != marked]
        if marked is not None:
            order.append(marked)  # the marked unit on top of its stack
        height: dict[int, int] = {}
        xy = {}
        for i in order:
            height[counts[i]] = height.get(counts[i], 0) + 1
            xy[i] = (counts[i], height[counts[i]])
        rest = np.array([xy[i] for i in order if i != marked], dtype=float).reshape(-1, 2)
        ax.scatter(rest[:, 0], rest[:, 1], s=36, color=PALETTE[0], label="other cohorts")
        if marked is not None:
            x, y = xy[marked]
            ax.scatter([x], [y], s=64, marker="D", color=PALETTE[1], label=marked_label, zorder=3)
        ax.set_xlabel(label)
        ax.set_ylabel("cohorts")
        ax.set_xlim(min(counts) - 1, max(counts) + 1)
        ax.set_ylim(0, max(height.values()) + 1)
        ax.xaxis.set_major_locator(mticker.MaxNLocator(integer=True))
        ax.yaxis.set_major_locator(mticker.MaxNLocator(integer=True, nbins=4))
        ax.grid(axis="x", visible=False)
    legend_above(axes[0, 0], ncol=2)  # above the panels, clear of every stack
    fig.tight_layout()
    return fig


def _stacked_axes(n: int, panel_height: float, *, sharex: bool = False):
    """A figure :data:`STACK_WIDTH` wide with ``n`` panels one above the other."""
    fig, axes = plt.subplots(
        n, 1, figsize=(STACK_WIDTH, panel_height * n), sharex=sharex, squeeze=False
    )
    return fig, list(axes[:, 0])


def _panel_name(ax, text: str, *, x: float = 0.98, ha: str = "right") -> None:
    """Name a panel in its top corner (the caption, not a title, says what the figure shows)."""
    ax.text(x, 0.95, text, transform=ax.transAxes, ha=ha, va="top", fontsize=FONT_PT)


def km_panels(
    panels: Mapping[str, tuple],
    *,
    xlabel: str = "months since start of HAIC",
    ylabel: str = "survival probability",
    panel_height: float = 2.4,
    censor_ticks: bool = True,
):
    """Kaplan-Meier curves of several endpoints, one panel each, stacked on one time axis.

    Each panel draws the curve as a step function (no band) with a tick at each censored time
    (as :func:`km_plot` does), a dotted line at 0.5 (where a curve crosses at its median) and,
    when given, a dashed vertical line at a marked time (e.g. the published median, where a
    calibrated curve should cross 0.5).

    Parameters
    ----------
    panels : mapping
        ``{endpoint name: (durations, events, marked time or None)}``, top panel first; the
        name is written in the panel's top right corner.
    xlabel, ylabel : str
        Lower-case axis labels (the x label under the bottom panel only).
    panel_height : float
        Each panel's height in inches (the width is :data:`STACK_WIDTH`).
    censor_ticks : bool
        Mark censored times with a vertical tick on the curve (as R's ``mark.time`` and SPSS).

    Returns
    -------
    matplotlib.figure.Figure
        One axes per panel, top to bottom, each with ``get_label()`` equal to its name; its
        first line is the curve, from time 0 to the longest follow-up, its second the censoring
        ticks (when there are any).

    Examples
    --------
    Overall survival of five patients (one censored at 6 months), median marked at 7 months:

    >>> import matplotlib.pyplot as plt
    >>> fig = km_panels({"overall survival": ([2, 4, 6, 7, 9], [1, 1, 0, 1, 1], 7.0),
    ...                  "progression-free survival": ([1, 2, 3, 5, 6], [1, 1, 1, 1, 0], None)})
    >>> [ax.get_label() for ax in fig.axes]
    ['overall survival', 'progression-free survival']
    >>> curve = fig.axes[0].lines[0]
    >>> curve.get_xdata().tolist(), [round(float(s), 3) for s in curve.get_ydata()]
    ([0.0, 2.0, 4.0, 7.0, 9.0], [1.0, 0.8, 0.6, 0.3, 0.0])
    >>> ticks = fig.axes[0].lines[1]  # the patient censored at 6 months, on the curve at 0.6
    >>> ticks.get_marker(), ticks.get_xdata().tolist(), [round(float(s), 3) for s in ticks.get_ydata()]
    ('|', [6.0], [0.6])
    >>> plt.close(fig)
    """
    if not panels:
        return note_figure("No endpoint to draw.")
    fig, axes = _stacked_axes(len(panels), panel_height, sharex=True)
    for ax, (name, (durations, events, marked)) in zip(axes, panels.items(), strict=True):
        t, e = as_arrays(durations, events)
        times, surv, _, _ = _step_curve(t, e, 0.05, "log")
        ax.set_label(name)
        ax.step(times, surv, where="post", color=PALETTE[0], lw=1.6)
        if censor_ticks:
            _censor_ticks(ax, times, surv, t[e == 0], PALETTE[0])
        ax.axhline(0.5, linestyle=":", color="0.6")
        if marked is not None:
            ax.axvline(float(marked), linestyle="--", color="0.4")
        ax.set_ylim(-0.02, 1.02)
        ax.set_ylabel(ylabel)
        _panel_name(ax, name)
    axes[-1].set_xlabel(xlabel)
    fig.tight_layout()
    return fig


def histogram_panels(
    panels: Mapping[str, tuple],
    *,
    ylabel: str = "patients",
    bins: int = 25,
    panel_height: float = 1.9,
    user: bool = False,
):
    """Histograms of several variables, one panel each, stacked, with a marked value on each.

    On a user's cohort (``user``) no bar or axis limit shows one patient's value: only values
    between the 5th and 95th percentiles are binned (:func:`analysis.privacy.central_range`; a
    panel without such a range, as below 21 values, is not drawn but says why), bars of 1 to
    :data:`~analysis.privacy.SMALL_COUNT_THRESHOLD` − 1 patients are left out, and the panel
    says so.

    Parameters
    ----------
    panels : mapping
        ``{x label with unit: (values, marked value or None)}``, top panel first. Missing values
        are left out; the marked value (e.g. the published mean) is a dashed vertical line.
    ylabel : str
        The count axis' label.
    bins : int
        Bins of each histogram.
    panel_height : float
        Each panel's height in inches (the width is :data:`STACK_WIDTH`).

    Returns
    -------
    matplotlib.figure.Figure
        One axes per panel, top to bottom, each with ``get_label()`` equal to its x label; a
        :func:`note_figure` when no panel has a value.

    Examples
    --------
    Five CRP values in two bins (three from 1 to 2 mg/L, two from 2 to 3), mean 2.6 marked:

    >>> import matplotlib.pyplot as plt
    >>> fig = histogram_panels({"CRP (mg/L)": ([1.0, 1.5, 1.8, 2.5, float("nan"), 3.0], 2.6)}, bins=2)
    >>> ax = fig.axes[0]
    >>> ax.get_label(), [int(p.get_height()) for p in ax.patches], float(ax.lines[0].get_xdata()[0])
    ('CRP (mg/L)', [3, 2], 2.6)
    >>> plt.close(fig)

    A user's cohort of 40 values, one of them 500: the axis stops at the 95th percentile, and a
    bar of fewer than 5 patients is not drawn:

    >>> values = [1.0 + 0.1 * i for i in range(39)] + [500.0]
    >>> fig = histogram_panels({"CRP (mg/L)": (values, None)}, bins=4, user=True)
    >>> ax = fig.axes[0]
    >>> bool(ax.get_xlim()[1] < 500), min(int(p.get_height()) for p in ax.patches) >= 5
    (True, True)
    >>> plt.close(fig)
    """
    drawn = {}
    for label, (values, marked) in panels.items():
        x = pd.to_numeric(pd.Series(values), errors="coerce").dropna().to_numpy(float)
        if x.size:
            drawn[label] = (x, marked)
    if not drawn:
        return note_figure("No values to draw.")
    fig, axes = _stacked_axes(len(drawn), panel_height)
    for ax, (label, (x, marked)) in zip(axes, drawn.items(), strict=True):
        ax.set_label(label)
        if user:
            _central_histogram(ax, x, bins)
        else:
            ax.hist(x, bins=bins, color=PALETTE[0])
        if marked is not None:
            ax.axvline(float(marked), linestyle="--", color=PALETTE[1])
        ax.set_xlabel(label)
        ax.set_ylabel(ylabel)
        ax.grid(axis="x", visible=False)
    fig.tight_layout()
    return fig


def _central_histogram(ax, x: np.ndarray, bins: int) -> None:
    """A user's cohort's histogram: 5th–95th percentiles only, no bar of 1–4 patients."""
    spread = central_range(x)
    # 12 pt, as the book's other figure text: >= 12 CSS px on a phone (7 and 8 pt were ~7 px; the
    # message on one line, or two at 12 pt, ran past the panel over its y label)
    if spread is None:
        ax.set_xticks([])
        ax.set_yticks([])
        ax.text(
            0.5,
            0.5,
            "not drawn: too few values for\na 5th–95th percentile that is\nno single patient's value",
            transform=ax.transAxes,
            ha="center",
            va="center",
            fontsize=FONT_PT,
            color="0.3",
        )
        return
    lo, hi = spread
    edges = np.linspace(lo, hi, bins + 1) if hi > lo else np.array([lo - 0.5, hi + 0.5])
    counts, _ = np.histogram(x[(x >= lo) & (x <= hi)], bins=edges)
    keep = counts >= SMALL_COUNT_THRESHOLD
    ax.bar(
        edges[:-1][keep], counts[keep], width=np.diff(edges)[keep], align="edge", color=PALETTE[0]
    )
    ax.set_xlim(edges[0], edges[-1])
    # above the panel, not over its bars
    ax.set_title(
        f"5th–95th percentile; no bar of < {SMALL_COUNT_THRESHOLD} patients",
        loc="right",
        fontsize=FONT_PT,
        color="0.3",
    )


def dose_bsa_plot(
    doses: Mapping[str, float],
    cap: float,
    *,
    patients: Mapping[str, float] | None = None,
    cohort_bsa: Sequence[float] = (),
    bsa_range: tuple[float, float] = (1.2, 2.6),
):
    """Dose against body-surface area, full and with the BSA capped: one panel per drug, stacked.

    Parameters
    ----------
    doses : mapping
        ``{drug: dose in mg/m²}``, top panel first; the drug's name is written in its panel.
    cap : float
        The BSA cap (m²): the capped dose is ``dose * min(BSA, cap)``; a vertical line marks it.
    patients : mapping, optional
        ``{label: BSA}`` of at most five worked patients, marked on the full-dose line (circle,
        square, triangle, diamond, inverted triangle, in order) and named in the legend.
    cohort_bsa : sequence of float
        A cohort's BSA values, drawn as ticks along the bottom of each panel.
    bsa_range : (float, float)
        The BSA axis (m²).

    Returns
    -------
    matplotlib.figure.Figure
        One axes per drug, top to bottom, each with ``get_label()`` equal to the drug; its first
        line is the full dose, its second the capped dose. The legend is above the top panel.

    Examples
    --------
    Cisplatin 60 mg/m² capped at 2.0 m²: a patient of 2.2 m² gets 132 mg in full, 120 mg capped:

    >>> import matplotlib.pyplot as plt
    >>> fig = dose_bsa_plot({"cisplatin": 60.0}, 2.0, patients={"large patient": 2.2})
    >>> full, capped = fig.axes[0].lines[:2]
    >>> float(np.interp(2.2, full.get_xdata(), full.get_ydata()))
    132.0
    >>> float(np.interp(2.2, capped.get_xdata(), capped.get_ydata()))
    120.0
    >>> [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    ['full BSA', 'capped at 2.0 m²', 'large patient']
    >>> plt.close(fig)
    """
    if not doses:
        return note_figure("No drug to draw.")
    markers = "os^Dv"
    if len(patients or {}) > len(markers):
        raise ValueError(f"patients: at most {len(markers)} can be marked, got {len(patients)}")
    grid = np.linspace(bsa_range[0], bsa_range[1], 141)
    cohort_bsa = np.asarray(cohort_bsa, dtype=float)
    fig, axes = _stacked_axes(len(doses), 1.9, sharex=True)
    for ax, (drug, per_m2) in zip(axes, doses.items(), strict=True):
        ax.set_label(drug)
        ax.plot(grid, per_m2 * grid, color=PALETTE[0], label="full BSA")
        capped = per_m2 * np.minimum(grid, cap)
        ax.plot(grid, capped, color=PALETTE[1], ls="--", label=f"capped at {number(cap, 1)} m²")
        ax.axvline(cap, color="0.4", lw=0.8)
        for (label, value), marker in zip((patients or {}).items(), markers, strict=False):
            ax.plot(value, per_m2 * value, marker, color=PALETTE[2], ms=7, label=label)
        rug = np.full(cohort_bsa.size, per_m2 * bsa_range[0])  # the cohort along the bottom
        ax.plot(cohort_bsa, rug, "|", color="0.5", ms=8, alpha=0.6)
        ax.set_ylim(bottom=per_m2 * bsa_range[0] * 0.96)
        ax.set_ylabel("dose (mg)")
        _panel_name(ax, drug, x=0.02, ha="left")
    axes[-1].set_xlabel("body-surface area (m²)")
    legend_above(axes[0], ncol=2, borderaxespad=0.2)
    fig.tight_layout()
    return fig


#: Chapter 6's group labels as its figures show them (shorter than Table 6.3's, to fit a phone).
SHORT_LABELS = {
    "disease control (CR/PR/SD)": "disease control",
    "progressive disease": "progression",
    "2–4 prior TACE": "2–4 TACE",
    "> 4 prior TACE": "> 4 TACE",
    "additional TACE": "added TACE",
    "no additional TACE": "no added TACE",
}


def survival_comparison_figures(
    cohort: pd.DataFrame, *, at_risk_times=None, min_count: int | None = None
) -> dict:
    """Chapter 6's Figs 6.3-6.5: overall survival in the two groups of each of the paper's
    three comparisons (:data:`analysis.book.SURVIVAL_COMPARISONS`), by :func:`km_plot`, the
    groups labelled as :data:`SHORT_LABELS`.

    Parameters
    ----------
    cohort : DataFrame
        :func:`analysis.cohort.derive`'s columns: ``os_months``, ``os_event`` and each
        comparison's column.
    at_risk_times : array-like, optional
        Columns of the number-at-risk table (:func:`km_plot`).
    min_count : int, optional
        A user's cohort: a number at risk of 1 to ``min_count`` − 1 reads "<5", a smaller
        group is not drawn (:func:`km_plot`).

    Returns
    -------
    dict
        Comparison key (``"dc"``, ``"prior_tace"``, ``"additional_tace"``) -> figure.

    Examples
    --------
    >>> from analysis.cohort import derive, load_cohort
    >>> figures = survival_comparison_figures(derive(load_cohort(None)), at_risk_times=[0, 12, 24])
    >>> list(figures)
    ['dc', 'prior_tace', 'additional_tace']
    >>> [t.get_text() for t in figures["dc"].axes[0].get_legend().get_texts()]
    ['progression', 'disease control']
    >>> for fig in figures.values():
    ...     plt.close(fig)
    """
    figures = {}
    for key, (col, groups, _, _) in SURVIVAL_COMPARISONS.items():
        labels = {value: SHORT_LABELS.get(label, label) for value, (label, _) in groups.items()}
        figures[key] = km_plot(
            None,
            cohort["os_months"],
            cohort["os_event"],
            cohort[col],
            labels=labels,
            at_risk_times=at_risk_times,
            min_count=min_count,
        )
    return figures


def dose_bsa_figure(
    sheets: Mapping[str, pd.DataFrame],
    *,
    cohort: pd.DataFrame | None = None,
    formula: str = "mosteller",
    user: bool = False,
):
    """Chapter 3's Fig. 3.1: the dose of each drug of the ECF regimen against BSA, full and
    capped (:func:`dose_bsa_plot`), with worked patients marked and a cohort's BSA as ticks.

    Parameters
    ----------
    sheets : mapping
        ``{label: dose sheet}`` of the worked patients
        (:func:`analysis.clinical.ecf_dose_sheet`; their ``attrs["bsa_m2"]`` are marked).
    cohort : DataFrame, optional
        A cohort whose BSA (:func:`analysis.tables.cohort_bsa`) is drawn as ticks.
    formula : str
        The BSA formula for the cohort's ticks.
    user : bool
        A user's cohort: no ticks are drawn (each is one patient's value).

    Returns
    -------
    matplotlib.figure.Figure
        As :func:`dose_bsa_plot`, capped at the dose sheet's default BSA cap (2.0 m²).

    Examples
    --------
    >>> from analysis.clinical import ecf_dose_sheet
    >>> fig = dose_bsa_figure({"a patient": ecf_dose_sheet(170, 65)})
    >>> [ax.get_label() for ax in fig.axes if ax.get_label() != "<colorbar>"][:3]
    ['epirubicin', 'cisplatin', '5-fluorouracil']
    >>> plt.close(fig)
    """
    per_m2 = {  # the dose per m² of each drug, on the day it is given
        drug: next(a.dose_mg_m2 for a in ECF_REGIMEN if a.drug == drug and a.day == day)
        for drug, day in [("epirubicin", 1), ("cisplatin", 2), ("5-fluorouracil", 1)]
    }
    patients = {label: sheet.attrs["bsa_m2"] for label, sheet in sheets.items()}
    ticks = () if user or cohort is None else cohort_bsa(cohort, formula=formula)
    return dose_bsa_plot(per_m2, BSA_CAP_M2, patients=patients, cohort_bsa=ticks)


def cumulative_epirubicin_figure(cycles_shown: int, prior_tace_mg_m2: float):
    """Chapter 3's Fig. 3.2: cumulative epirubicin (mg/m²) against completed ECF cycles, for
    HAIC alone and after ``prior_tace_mg_m2`` from earlier TACE, with the checkpoints of
    :data:`analysis.clinical.EPIRUBICIN_CUMULATIVE_THRESHOLDS_MG_M2` as dotted lines.

    Parameters
    ----------
    cycles_shown : int
        The cycles on the x-axis (0 to ``cycles_shown``).
    prior_tace_mg_m2 : float
        Epirubicin from earlier TACE (mg/m²), the second line's start.

    Returns
    -------
    matplotlib.figure.Figure
        One axes, its two step lines told apart by colour and line style (one grey on paper),
        its legend above.

    Examples
    --------
    >>> fig = cumulative_epirubicin_figure(30, 200.0)
    >>> [line.get_label() for line in fig.axes[0].get_lines()[:2]]
    ['HAIC only', 'after 200 mg/m² from TACE']
    >>> plt.close(fig)
    """
    cycles = np.arange(0, cycles_shown + 1)
    per_cycle = EPIRUBICIN_PER_CYCLE_MG_M2
    fig, ax = plt.subplots(figsize=(STACK_WIDTH, 3.6))  # narrow: its text stays readable on a phone
    starts = ((0.0, "HAIC only"), (prior_tace_mg_m2, f"after {prior_tace_mg_m2:g} mg/m² from TACE"))
    for i, (prior, label) in enumerate(starts):  # colour and line style: one grey on paper
        ax.step(
            cycles,
            prior + per_cycle * cycles,
            where="post",
            color=PALETTE[i],
            ls=LINE_STYLES[i],
            label=label,
        )
    for threshold in EPIRUBICIN_CUMULATIVE_THRESHOLDS_MG_M2:
        ax.axhline(threshold, color="0.4", lw=0.8, ls=":")
        ax.text(cycles_shown, threshold, f" {threshold:g}", va="center", ha="left", color="0.3")
    ax.set_xlabel("completed ECF cycles")
    ax.set_ylabel("cumulative epirubicin (mg/m²)")
    ax.set_xlim(0, cycles_shown)
    legend_above(ax)  # inside, at 12 pt it covered the upper line
    return fig


def exposure_estimates_figure(analyses: Mapping):
    """Chapter 9's Fig. 9.1: the hazard ratio of an exposure three ways, naive, as a
    time-varying covariate and at each landmark, with their 95% intervals (:func:`forest_plot`);
    a :func:`note_figure` when none is estimable.

    Parameters
    ----------
    analyses : mapping
        :func:`analysis.bias.exposure_analyses`: ``naive``, ``time_varying`` and ``landmarks``.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> nan = float("nan")
    >>> naive = {"hr": 0.6, "lower": 0.4, "upper": 0.9, "p": 0.01}
    >>> tv = {"hr": 0.9, "lower": 0.6, "upper": 1.4, "p": 0.6}
    >>> landmarks = pd.DataFrame({"landmark": [3.0], "hr": [nan], "lower": [nan], "upper": [nan]})
    >>> fig = exposure_estimates_figure({"naive": naive, "time_varying": tv, "landmarks": landmarks})
    >>> [" ".join(t.get_text().split()) for t in fig.axes[0].get_yticklabels()]  # wrapped
    ['naive (known at time zero)', 'time-varying covariate']
    >>> plt.close(fig)
    >>> empty = {"hr": nan, "lower": nan, "upper": nan}
    >>> fig = exposure_estimates_figure({"naive": empty, "time_varying": empty, "landmarks": landmarks})
    >>> print(" ".join(fig.axes[0].texts[0].get_text().split()))  # wrapped to the figure
    No estimate of the effect of additional TACE exists on this cohort.
    >>> plt.close(fig)
    >>> hidden = {**empty, "reason": NOT_SHOWN_SMALL_GROUP}  # a user's cohort, 1-4 treated
    >>> fig = exposure_estimates_figure({"naive": hidden, "time_varying": hidden, "landmarks": landmarks})
    >>> print(" ".join(fig.axes[0].texts[0].get_text().split()))
    The estimates of the effect of additional TACE are not shown (fewer than 5 patients).
    >>> plt.close(fig)
    """
    naive, tv, lm = analyses["naive"], analyses["time_varying"], analyses["landmarks"]
    landmark_rows = [
        {
            "term": "landmark at "
            + quantity(r["landmark"], "month", 0 if float(r["landmark"]).is_integer() else 1),
            **r,
        }
        for _, r in lm.iterrows()
    ]
    estimates = (
        pd.DataFrame(
            [
                {"term": "naive (known at time zero)", **naive},
                {"term": "time-varying covariate", **tv},
            ]
            + landmark_rows
        )
        .set_index("term")[["hr", "lower", "upper"]]
        .astype(float)
        .dropna()
    )
    if len(estimates):
        return forest_plot(estimates, xlabel="hazard ratio of additional TACE\n(95% CI, log scale)")
    reasons = [naive.get("reason"), tv.get("reason"), *lm.get("reason", [])]
    if NOT_SHOWN_SMALL_GROUP in reasons:  # a user's cohort: a group of 1-4 patients
        return note_figure(
            f"The estimates of the effect of additional TACE are {NOT_SHOWN_SMALL_GROUP}."
        )
    return note_figure("No estimate of the effect of additional TACE exists on this cohort.")
