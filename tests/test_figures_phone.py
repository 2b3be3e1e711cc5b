"""Figures stay readable on a phone and sane on a desktop: every text (ticks, axis labels,
legends, panel names, notes, the number-at-risk table's numbers, names and heading) of every
figure the chapters draw, drawn by the chapters' calls in the house style (``book.setup()``, as
every chapter's preamble), is >= 12 CSS px on a 390-px phone and <= 20 CSS px on a desktop; the
numbers at risk of chapter 6's Kaplan-Meier figures overlap neither each other nor the groups'
names.

On a 390-px phone the book's figures are shown 342 CSS px wide (measured in Chromium on the
built book); a PNG saved as ``analysis.book`` saves it (150 dpi, tight bounding box) is scaled
down to that width, so text of ``s`` points is ``s * 150 / 72 * 342 / png_width`` CSS px. On a
desktop :func:`analysis.book.glue_figure` shows it ``100 * figwidth`` CSS px wide (the content
column holds ~700). At 4.8 inches with 11-pt ticks the smallest text was 9.5-11.7 CSS px
(Figure 3.2 9.5, 4.1 9.8, 6.3 and 6.5 9.8-9.9, 6.1, 6.4 and 9.1 10.5-10.9).
"""

from __future__ import annotations

import functools
import io
import re
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.text import Text  # noqa: E402
from PIL import Image  # noqa: E402

from analysis import book, labels, published  # noqa: E402
from analysis.clinical import ecf_dose_sheet  # noqa: E402
from analysis.cohort import load_cohort  # noqa: E402
from analysis.plots import (  # noqa: E402
    RISK_TABLE_LABEL,
    cumulative_epirubicin_figure,
    dose_bsa_figure,
    dot_histogram,
    exposure_estimates_figure,
    forest_plot,
    histogram_panels,
    km_panels,
    km_plot,
    note_figure,
    null_simulation_plot,
    response_plot,
    skewed_labs_figure,
)

PHONE_FIGURE_PX = 342
DPI = 150
#: the width (CSS px) a desktop shows a figure at most: the book's content column
DESKTOP_COLUMN_PX = 700
#: the smallest text on a phone and the largest on a desktop, in CSS px
PHONE_FLOOR_PX = 12
DESKTOP_CEILING_PX = 20


def _png_width(fig) -> int:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI, bbox_inches="tight")
    return Image.open(io.BytesIO(buf.getvalue())).size[0]


#: the number-at-risk table's heading (its title, left-aligned)
RISK_HEADING = "number at risk"


def _css_px_of_at_risk_text(fig, *, close: bool = True) -> tuple[float, float]:
    """The smallest number at risk and the table's heading on a phone, in CSS px (``close``:
    the figure is closed after)."""
    width = _png_width(fig)
    table = next(ax for ax in fig.axes if ax.get_label() == RISK_TABLE_LABEL)
    numbers = [t for t in table.texts if t.get_text().isdigit()]
    assert numbers, "no number-at-risk text found"
    headings = [t for t in table.findobj(Text) if t.get_text() == RISK_HEADING]
    assert headings, f"no {RISK_HEADING!r} heading found"
    scale = DPI / 72 * PHONE_FIGURE_PX / width
    if close:
        plt.close(fig)
    return (
        min(t.get_fontsize() for t in numbers) * scale,
        min(t.get_fontsize() for t in headings) * scale,
    )


def _cohort(n=80, seed=1):
    rng = np.random.default_rng(seed)
    t = rng.exponential(12, n).round(1) + 0.1
    e = (rng.random(n) < 0.8).astype(int)
    g = rng.integers(0, 2, n)
    return t, e, g


def test_single_curve_at_risk_text_is_readable_on_a_phone():
    t, e, _ = _cohort()
    fig = km_plot(None, t, e, at_risk_times=np.arange(0, 49, 6))
    numbers, heading = _css_px_of_at_risk_text(fig)
    assert numbers >= PHONE_FLOOR_PX, f"the numbers are {numbers:.1f} CSS px on a phone"
    assert heading >= PHONE_FLOOR_PX, f"the heading is {heading:.1f} CSS px on a phone"


def test_two_group_at_risk_text_is_readable_on_a_phone():
    # the longest group labels chapter 6 passes to a plot
    t, e, g = _cohort()
    fig = km_plot(
        None,
        t,
        e,
        g,
        labels={0: "progression", 1: "additional TACE"},
        at_risk_times=np.arange(0, 49, 6),
    )
    numbers, heading = _css_px_of_at_risk_text(fig)
    assert numbers >= PHONE_FLOOR_PX, f"the numbers are {numbers:.1f} CSS px on a phone"
    assert heading >= PHONE_FLOOR_PX, f"the heading is {heading:.1f} CSS px on a phone"


# --- every figure of the chapters, drawn by the calls the chapters make, in the book's house
# style (book.setup(), as every chapter's preamble) on the book's cohort


@pytest.fixture
def house_style():
    with matplotlib.rc_context(), pd.option_context("display.max_rows", 60):
        book.setup()
        yield


@pytest.fixture(scope="module")
def book_cohort():
    return load_cohort(None)


def _texts(fig) -> list[Text]:
    fig.canvas.draw()
    texts = [t for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip()]
    assert texts, "no text found"
    return texts


def _css_px(fig) -> tuple[tuple[float, str], tuple[float, str]]:
    """The smallest text of ``fig`` on a phone and the largest on a desktop, in CSS px, each
    with what it says."""
    texts = _texts(fig)
    width = _png_width(fig)
    shown = min(fig.get_figwidth() * 100, DESKTOP_COLUMN_PX)  # glue_figure's width, at most
    smallest = min(texts, key=lambda t: t.get_fontsize())
    largest = max(texts, key=lambda t: t.get_fontsize())
    phone = smallest.get_fontsize() * DPI / 72 * PHONE_FIGURE_PX / width
    desktop = largest.get_fontsize() * DPI / 72 * shown / width
    return (phone, smallest.get_text()), (desktop, largest.get_text())


def _smallest_text_css_px(fig) -> tuple[float, str]:
    """The smallest text of ``fig`` on a phone, in CSS px, and what it says (the figure is
    closed after)."""
    (px, text), _ = _css_px(fig)
    plt.close(fig)
    return px, text


def _figure_1_1(cohort):  # chapters/01-data.md, fig-data-ensemble (cohorts' counts of cells)
    rng = np.random.default_rng(3)
    return dot_histogram(
        {
            "univariate Table 2 cells printed": (rng.integers(20, 34, 50).tolist(), 7),
            "multivariable Table 2 cells printed": (rng.integers(3, 12, 50).tolist(), 7),
        }
    )


def _figure_1_2(cohort):  # chapters/01-data.md, fig-data-km
    endpoints = {"overall survival": "os", "progression-free survival": "pfs"}
    km = {
        name: (
            cohort[f"{w}_months"],
            cohort[f"{w}_event"],
            published.value(f"results.{w}_median.median"),
        )
        for name, w in endpoints.items()
    }
    return km_panels(km)


def _figure_1_3(cohort):  # chapters/01-data.md, fig-data-labs
    labs = {
        labels.term_label(c): (cohort[c], published.value(f"table1.{c}.mean"))
        for c in ("ast_u_l", "alt_u_l", "crp_mg_l")
        if c in cohort.columns
    }
    return histogram_panels(labs)


# Figure 1.3 on a user's cohort (chapters/01-data.md passes user=user): its notes were 7 and 8 pt
# (~7 CSS px), and the "not drawn" message of a panel with too few values ran past the panel


def _figure_1_3_user(cohort):
    labs = {
        labels.term_label(c): (cohort[c], published.value(f"table1.{c}.mean"))
        for c in ("ast_u_l", "alt_u_l")
    }
    labs[labels.term_label("crp_mg_l")] = (cohort["crp_mg_l"][:15], None)  # < 21: not drawn
    return histogram_panels(labs, user=True)


# Figure 2.1 (chapters/02-eligibility.md, fig-elig-bclc), drawn by the chapter's own code: at 6.0
# inches its legend sat inside the axes, over the stage-B and stage-C bars


def _figure_2_1(cohort, *, user: bool = False):
    from analysis.clinical import bclc_stage_frame
    from analysis.plots import HATCHES, STACK_WIDTH, count_bars, legend_above

    stage_2022 = bclc_stage_frame(cohort)
    stages = ["0", "A", "B", "C", "D"]
    reported = set(published.ids("table1.bclc"))
    published_counts = {
        i: published.value(f"table1.bclc_{s.lower()}.count")
        for i, s in enumerate(stages)
        if f"table1.bclc_{s.lower()}.count" in reported
    }
    rule_counts = [int((stage_2022 == s).sum()) for s in stages]
    x = np.arange(len(stages))
    fig, ax = plt.subplots(figsize=(STACK_WIDTH, 3.6))
    ax.bar(
        [i - 0.2 for i in published_counts],
        list(published_counts.values()),
        width=0.4,
        label="published (Table 1; 0 and D not reported)",
        color=book.PALETTE[0],
    )
    count_bars(
        ax, x + 0.2, rule_counts, user=user, width=0.4, color=book.PALETTE[1],
        hatch=HATCHES[1], edgecolor="white",
        label=f"2022 rules, {'your' if user else 'synthetic'} cohort",
    )  # fmt: skip
    ax.set_xticks(x, stages)
    ax.set_xlabel("BCLC stage")
    ax.set_ylabel("patients (n)")
    legend_above(ax)
    return fig


def _figure_3_1(cohort):  # chapters/03-treatment.md, fig-treat-dose-bsa: the chapter's one call
    sheets = {"small patient": ecf_dose_sheet(150, 45), "large patient": ecf_dose_sheet(190, 110)}
    return dose_bsa_figure(sheets, cohort=cohort)


def _figure_3_2(cohort):
    """chapters/03-treatment.md, fig-treat-cumulative: the chapter's one call."""
    source = (Path(__file__).parents[1] / "chapters" / "03-treatment.md").read_text("utf-8")
    code = "".join(re.sub(r"#[^\n]*", "", source).split())  # however the call is wrapped
    call = "fig = cumulative_epirubicin_figure(cycles_shown, illustrative_tace_epirubicin_mg_m2)"
    assert "".join(call.split()) in code
    return cumulative_epirubicin_figure(30, 200.0)  # the chapter's parameters


def _figure_4_1(cohort, *, user: bool = False):  # chapters/04-baseline.md, fig-base-skewed-labs
    return skewed_labs_figure(cohort, user=user)  # the chapter's one call


def _figure_5_1(cohort):  # chapters/05-response.md, fig-resp-distribution
    counts = cohort["best_response"].value_counts().reindex(["CR", "PR", "SD", "PD"], fill_value=0)
    rates = pd.DataFrame(
        {"percent": [29.3, 56.1], "lower": [20.5, 45.3], "upper": [39.9, 66.3]},
        index=["ORR", "DCR"],
    )
    paper = {c: published.value(f"results.response_{c.lower()}.percent") for c in counts.index}
    return response_plot(
        counts.to_dict(), rates, published_percent=paper, published_rates={"ORR": 29.3, "DCR": 56.1}
    )


#: chapter 6's group comparisons: column and {value: the short label the figure shows}
_CHAPTER_06_GROUPS = {
    "disease_control": {1: "disease control", 0: "progression"},
    "prior_tace_group": {"2–4": "2–4 TACE", ">4": "> 4 TACE"},
    "additional_tace": {1: "added TACE", 0: "no added TACE"},
}


@functools.lru_cache(maxsize=1)
def _derived_book_cohort() -> pd.DataFrame:
    """``derive(load_cohort(None))`` once for the 14 chapter-06 figures drawn here (each
    figure gets a copy; loading and deriving it for each cost about 23 ms a time)."""
    from analysis.cohort import derive

    return derive(load_cohort(None))


def _chapter_06_figure(which: str, *, min_count: int | None = None):
    """Chapter 6's Kaplan-Meier figures as the chapter draws them (``min_count``: a user's)."""
    cohort = _derived_book_cohort().copy()
    os_t, os_e = cohort["os_months"], cohort["os_event"]
    at_risk_times = np.arange(0, float(os_t.max()) + 1e-9, 6)
    if which == "os":
        return km_plot(None, os_t, os_e, at_risk_times=at_risk_times, min_count=min_count)
    if which == "pfs":
        return km_plot(
            None,
            cohort["pfs_months"],
            cohort["pfs_event"],
            at_risk_times=at_risk_times,
            ylabel="progression-free survival probability",
            min_count=min_count,
        )
    return km_plot(
        None,
        os_t,
        os_e,
        cohort[which],
        labels=_CHAPTER_06_GROUPS[which],
        at_risk_times=at_risk_times,
        min_count=min_count,
    )


def _figure_7_1(cohort):  # chapters/07-cox.md, fig-cox-forest: every label the chapter has
    names = {
        "child_pugh_6": "Child-Pugh 6 vs 5",
        "child_pugh_7": "Child-Pugh 7 vs 5",
        "child_pugh_8": "Child-Pugh 8 vs 5",
        "afp_ng_ml": "AFP, per ng/mL",
        "albumin_le3": "albumin ≤ 3 g/dL",
        "ast_gt40": "AST, per 100 U/L",
        "albi_score": "ALBI score, per unit",
        "crp_gt3": "CRP, per mg/L",
        "tumor_number_gt4": "tumour number, per lesion",
        "prior_tace_gt4": "prior TACE, per session",
        "additional_tace": "additional TACE",
    }
    hr = np.exp(np.linspace(-1.2, 1.2, len(names)))
    table = pd.DataFrame({"hr": hr, "lower": hr / 2.5, "upper": hr * 2.5}, index=list(names))
    return forest_plot(table, table * 1.1, labels=names)


def _figure_7_2(cohort, *, points: bool = True):  # chapters/07-cox.md, fig-cox-schoenfeld
    from analysis.cohort import derive
    from analysis.plots import schoenfeld_plot
    from analysis.survival import ph_test, scaled_schoenfeld
    from analysis.tables import table2_models

    models = table2_models(derive(cohort), "implied")
    terms = list(models["multivariate"].index)
    design = models["design"]
    ph = ph_test(design, "os_months", "os_event", terms)
    residuals = scaled_schoenfeld(design, "os_months", "os_event", terms)
    labels = {"child_pugh_8": "Child-Pugh 8 vs 5", "ast_gt40": "AST, per U/L"}
    return schoenfeld_plot(residuals, ph, labels=labels, points=points)


def _figure_9_1(cohort):  # chapters/09-bias.md, fig-bias-estimates: the chapter's one call
    from analysis.bias import exposure_analyses

    return exposure_estimates_figure(exposure_analyses(cohort, [1.0, 2.0, 3.0, 6.0]))


def _figure_9_2(cohort):  # chapters/09-bias.md, fig-bias-null
    rng = np.random.default_rng(1)
    sims = pd.DataFrame(
        {"naive_hr": np.exp(rng.normal(-0.5, 0.3, 200)), "tv_hr": np.exp(rng.normal(0, 0.3, 200))}
    )
    return null_simulation_plot(sims)


def _note(cohort):  # chapters 4, 5, 7 and 9 on a cohort that cannot draw the figure
    return note_figure(
        "Multivariable model not estimable: the model did not converge (a term separates the "
        "groups) on this cohort."
    )


#: every figure the chapters draw: its number (``u``: on a user's cohort) and how it is drawn
FIGURES = {
    "1.1": _figure_1_1,
    "1.2": _figure_1_2,
    "1.3": _figure_1_3,
    "1.3u": _figure_1_3_user,
    "2.1": _figure_2_1,
    "2.1u": lambda cohort: _figure_2_1(cohort.head(40), user=True),  # "<5" written on the axis
    "3.1": _figure_3_1,
    "3.2": _figure_3_2,
    "4.1": _figure_4_1,
    "4.1u": lambda cohort: _figure_4_1(cohort, user=True),
    "5.1": _figure_5_1,
    "6.1": lambda cohort: _chapter_06_figure("os"),
    "6.2": lambda cohort: _chapter_06_figure("pfs"),
    "6.3": lambda cohort: _chapter_06_figure("disease_control"),
    "6.4": lambda cohort: _chapter_06_figure("prior_tace_group"),
    "6.5": lambda cohort: _chapter_06_figure("additional_tace"),
    "6.5u": lambda cohort: _chapter_06_figure("additional_tace", min_count=5),
    "7.1": _figure_7_1,
    "7.2": _figure_7_2,
    "7.2u": lambda cohort: _figure_7_2(cohort, points=False),
    "9.1": _figure_9_1,
    "9.2": _figure_9_2,
    "note": _note,
}


@pytest.mark.parametrize("which", list(FIGURES))
def test_every_text_is_readable_on_a_phone_and_not_oversized_on_a_desktop(
    house_style, book_cohort, which
):
    fig = FIGURES[which](book_cohort.copy())
    # the phone shows it 342 px wide only when glue_figure's width is at least that
    assert fig.get_figwidth() * 100 >= PHONE_FIGURE_PX
    (phone, small), (desktop, large) = _css_px(fig)
    plt.close(fig)
    assert phone >= PHONE_FLOOR_PX, f"{which}: {small!r} is {phone:.1f} CSS px on a phone"
    assert desktop <= DESKTOP_CEILING_PX, f"{which}: {large!r} is {desktop:.1f} CSS px on a desktop"


def test_figure_2_1_legend_covers_no_bar(house_style, book_cohort):
    fig = _figure_2_1(book_cohort)
    fig.canvas.draw()
    ax = fig.axes[0]
    legend = ax.get_legend().get_window_extent()
    bars = [p.get_window_extent() for p in ax.patches if p.get_height() > 0]
    assert bars
    covered = [b for b in bars if b.overlaps(legend)]
    plt.close(fig)
    assert not covered, f"the legend covers {len(covered)} bar(s)"


def test_user_cohort_histogram_notes_are_inside_their_panel(house_style, book_cohort):
    fig = _figure_1_3_user(book_cohort)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    empty = fig.axes[-1]
    (message,) = empty.texts
    box, panel = message.get_window_extent(renderer), empty.get_window_extent(renderer)
    plt.close(fig)
    assert box.x0 >= panel.x0, "the 'not drawn' message runs past its panel's left edge"
    assert box.x1 <= panel.x1, "the 'not drawn' message runs past its panel's right edge"


# --- chapter 6's Kaplan-Meier figures: the numbers at risk and their heading >= 12 CSS px, and
# the table uncrowded: no two of its numbers, nor a number and a group's name, overlap (at 4.8
# inches the names took an inch left of the numbers; in 4.2 they would have crowded them)


@pytest.mark.parametrize("which", ["os", "pfs", *_CHAPTER_06_GROUPS])
def test_chapter_06_at_risk_table_is_readable_and_uncrowded(house_style, which):
    fig = _chapter_06_figure(which)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    table = next(ax for ax in fig.axes if ax.get_label() == RISK_TABLE_LABEL)
    names = [t for t in table.get_yticklabels() if t.get_text()]
    assert len(names) == (0 if which in ("os", "pfs") else 2)
    boxes = [(t.get_text(), t.get_window_extent(renderer)) for t in [*table.texts, *names]]
    crowded = [
        (a, b) for i, (a, box) in enumerate(boxes) for b, other in boxes[:i] if box.overlaps(other)
    ]
    numbers, heading = _css_px_of_at_risk_text(fig)
    assert numbers >= PHONE_FLOOR_PX, f"the numbers are {numbers:.1f} CSS px on a phone"
    assert heading >= PHONE_FLOOR_PX, f"{RISK_HEADING!r} is {heading:.1f} CSS px on a phone"
    assert not crowded, f"overlapping texts in the number-at-risk table: {crowded}"


@pytest.mark.parametrize("which", list(_CHAPTER_06_GROUPS))
def test_chapter_06_group_legend_is_above_the_curves(house_style, which):
    """Inside the narrow figure (upper right) the legend covered Figure 6.3's disease-control
    band: above the curves it covers none, on any cohort."""
    fig = _chapter_06_figure(which)
    fig.canvas.draw()
    curves = next(ax for ax in fig.axes if ax.get_label() != RISK_TABLE_LABEL)
    legend, plot = curves.get_legend().get_window_extent(), curves.get_window_extent()
    plt.close(fig)
    assert legend.y0 >= plot.y1, "the legend is inside the curves' axes"
    assert legend.x1 <= fig.bbox.x1, "the legend runs past the figure's right edge"
