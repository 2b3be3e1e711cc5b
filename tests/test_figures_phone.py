"""Figures stay readable on a phone: number-at-risk text of the Kaplan-Meier figures >= 10 CSS px
at 390 px and its "number at risk" heading >= 9.5 (every text of chapter 06's five Kaplan-Meier
figures, drawn in the house style on the book's cohort, >= 9.5), and every text (ticks, axis
labels, panel names, legends) of the chapters' figures of several panels (Figures 1.2, 1.3, 3.1,
4.1 and 5.1, and 1.3 drawn on a user's cohort, whose notes stay inside their panels), of Figure
2.1 (whose legend must not cover its bars either) and of the forest and simulation plots
(chapter 07's, Figures 9.1 and 9.2) >= 9 CSS px.

On a 390-px phone the book's figures are shown 342 CSS px wide (measured in Chromium on the
built book); a PNG saved as ``analysis.book`` saves it (150 dpi, tight bounding box) is scaled
down to that width, so text of ``s`` points is ``s * 150 / 72 * 342 / png_width`` CSS px.
"""

from __future__ import annotations

import io

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.text import Text  # noqa: E402
from PIL import Image  # noqa: E402

from analysis import book, labels, published  # noqa: E402
from analysis.clinical import ECF_REGIMEN, bsa  # noqa: E402
from analysis.cohort import load_cohort  # noqa: E402
from analysis.plots import (  # noqa: E402
    RISK_TABLE_LABEL,
    dose_bsa_plot,
    forest_plot,
    histogram_panels,
    km_panels,
    km_plot,
    null_simulation_plot,
    response_plot,
    skewed_labs_plot,
)

PHONE_FIGURE_PX = 342
DPI = 150


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
    assert numbers >= 10
    assert heading >= 9.5, f"the heading is {heading:.1f} CSS px on a phone"


def test_two_group_at_risk_text_is_readable_on_a_phone():
    # the longest group labels chapter 06 passes to a plot
    t, e, g = _cohort()
    fig = km_plot(
        None,
        t,
        e,
        g,
        labels={0: "progression", 1: "disease control"},
        at_risk_times=np.arange(0, 49, 6),
    )
    numbers, heading = _css_px_of_at_risk_text(fig)
    assert numbers >= 10
    assert heading >= 9.5, f"the heading is {heading:.1f} CSS px on a phone"


# --- the chapters' figures of several panels, drawn by the calls the chapters make, in the
# book's house style (book.setup(), as every chapter's preamble) on the book's cohort


@pytest.fixture
def house_style():
    with matplotlib.rc_context(), pd.option_context("display.max_rows", 60):
        book.setup()
        yield


def _smallest_text_css_px(fig) -> tuple[float, str]:
    """The smallest text of ``fig`` on a phone, in CSS px, and what it says."""
    fig.canvas.draw()
    texts = [t for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip()]
    assert texts, "no text found"
    smallest = min(texts, key=lambda t: t.get_fontsize())
    px = smallest.get_fontsize() * DPI / 72 * PHONE_FIGURE_PX / _png_width(fig)
    plt.close(fig)
    return px, smallest.get_text()


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


def _figure_3_1(cohort):  # chapters/03-treatment.md, fig-treat-dose-bsa (worked patients' BSA)
    per_m2 = {
        drug: next(a.dose_mg_m2 for a in ECF_REGIMEN if a.drug == drug and a.day == day)
        for drug, day in [("epirubicin", 1), ("cisplatin", 2), ("5-fluorouracil", 1)]
    }
    measured = cohort[["height_cm", "weight_kg"]].dropna()
    cohort_bsa = bsa(measured["height_cm"], measured["weight_kg"])
    patients = {"small patient": 1.45, "large patient": 2.31}
    return dose_bsa_plot(per_m2, 2.0, patients=patients, cohort_bsa=cohort_bsa)


def _figure_4_1(cohort):  # chapters/04-baseline.md, fig-base-skewed-labs
    columns = {c: labels.term_label(c) for c in ("ast_u_l", "alt_u_l", "crp_mg_l", "afp_ng_ml")}
    paper = {c: ("mean", published.value(f"table1.{c}.mean")) for c in ("ast_u_l", "alt_u_l")}
    paper["afp_ng_ml"] = ("median", published.value("table1.afp_ng_ml.median"))
    return skewed_labs_plot(cohort, columns, published=paper)


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


# --- Figure 2.1 (chapters/02-eligibility.md, fig-elig-bclc), drawn by the chapter's own code:
# at 6.0 inches its legend sat inside the axes, over the stage-B and stage-C bars


def _figure_2_1(cohort):
    from analysis.clinical import bclc_stage_frame
    from analysis.plots import STACK_WIDTH, count_bars

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
        ax, x + 0.2, rule_counts, user=False, width=0.4, color=book.PALETTE[1],
        label="2022 rules, synthetic cohort",
    )  # fmt: skip
    ax.set_xticks(x, stages)
    ax.set_xlabel("BCLC stage")
    ax.set_ylabel("patients (n)")
    ax.legend(frameon=False, loc="lower left", bbox_to_anchor=(0.0, 1.0))
    return fig


def test_figure_2_1_legend_covers_no_bar(house_style):
    fig = _figure_2_1(load_cohort(None))
    fig.canvas.draw()
    ax = fig.axes[0]
    legend = ax.get_legend().get_window_extent()
    bars = [p.get_window_extent() for p in ax.patches if p.get_height() > 0]
    assert bars
    covered = [b for b in bars if b.overlaps(legend)]
    plt.close(fig)
    assert not covered, f"the legend covers {len(covered)} bar(s)"


@pytest.mark.parametrize(
    "draw",
    [_figure_1_2, _figure_1_3, _figure_3_1, _figure_4_1, _figure_5_1],
    ids=["1.2", "1.3", "3.1", "4.1", "5.1"],
)
def test_multi_panel_figure_text_is_readable_on_a_phone(house_style, draw):
    fig = draw(load_cohort(None))
    assert len(fig.axes) >= 2  # the panels are there, stacked
    px, text = _smallest_text_css_px(fig)
    assert px >= 9, f"{text!r} is {px:.1f} CSS px on a phone"


# --- Figure 1.3 on a user's cohort (chapters/01-data.md passes user=user): its notes were 7 and
# 8 pt (~7 CSS px), and the "not drawn" message of a panel with too few values ran past the panel


def _figure_1_3_user(cohort):
    labs = {
        labels.term_label(c): (cohort[c], published.value(f"table1.{c}.mean"))
        for c in ("ast_u_l", "alt_u_l")
    }
    labs[labels.term_label("crp_mg_l")] = (cohort["crp_mg_l"][:15], None)  # < 21: not drawn
    return histogram_panels(labs, user=True)


def test_user_cohort_histogram_notes_are_readable_and_inside_their_panel(house_style):
    fig = _figure_1_3_user(load_cohort(None))
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    empty = fig.axes[-1]
    (message,) = empty.texts
    inside = message.get_window_extent(renderer).x0 >= empty.get_window_extent(renderer).x0
    px, text = _smallest_text_css_px(fig)
    assert inside, "the 'not drawn' message runs past its panel's left edge"
    assert px >= 9, f"{text!r} is {px:.1f} CSS px on a phone"


# --- chapter 06's Kaplan-Meier figures as the chapter draws them (its calls, the house style,
# the book's cohort): the widest PNG (796 px, the "additional TACE" labels) showed the heading
# at 8.95 CSS px when it was 10 pt

#: chapter 06's group comparisons: column and {value: the short label the figure shows}
_CHAPTER_06_GROUPS = {
    "disease_control": {1: "disease control", 0: "progression"},
    "prior_tace_group": {"2–4": "2–4 TACE", ">4": "> 4 TACE"},
    "additional_tace": {1: "additional TACE", 0: "none"},
}


def _chapter_06_figure(which: str):
    from analysis.cohort import derive

    cohort = derive(load_cohort(None))
    os_t, os_e = cohort["os_months"], cohort["os_event"]
    at_risk_times = np.arange(0, float(os_t.max()) + 1e-9, 6)
    if which == "os":
        return km_plot(None, os_t, os_e, at_risk_times=at_risk_times)
    if which == "pfs":
        return km_plot(
            None,
            cohort["pfs_months"],
            cohort["pfs_event"],
            at_risk_times=at_risk_times,
            ylabel="progression-free survival probability",
        )
    return km_plot(
        None,
        os_t,
        os_e,
        cohort[which],
        labels=_CHAPTER_06_GROUPS[which],
        at_risk_times=at_risk_times,
    )


@pytest.mark.parametrize("which", ["os", "pfs", *_CHAPTER_06_GROUPS])
def test_chapter_06_km_figure_text_is_readable_on_a_phone(house_style, which):
    # one figure for both measures (it was drawn twice: the same figure, the same sizes)
    fig = _chapter_06_figure(which)
    fig.canvas.draw()
    _, heading = _css_px_of_at_risk_text(fig, close=False)
    assert heading >= 9.5, f"{RISK_HEADING!r} is {heading:.1f} CSS px on a phone"
    px, text = _smallest_text_css_px(fig)
    assert px >= 9.5, f"{text!r} is {px:.1f} CSS px on a phone"


# --- one-panel figures of chapters 02, 07 and 09: the same bound on their longest labels


def _figure_9_1():  # chapters/09-bias.md, fig-bias-estimates (its five rows and x label)
    terms = ["naive (known at time zero)", "time-varying covariate"] + [
        f"landmark at {m} months" for m in (2, 3, 6)
    ]
    table = pd.DataFrame(
        {"hr": [0.54, 1.25, 3.67, 2.49, 2.5], "lower": [0.31, 0.69, 1.5, 1.08, 1.14],
         "upper": [0.93, 2.26, 9.0, 5.72, 5.48]},
        index=terms,
    )  # fmt: skip
    return forest_plot(table, xlabel="hazard ratio of additional TACE\n(95% CI, log scale)")


def _figure_7_x():  # chapters/07-cox.md, the multivariable forest plot (its longest labels)
    names = ["Child-Pugh 6 vs 5", "tumour number, per lesion", "prior TACE, per session"]
    table = pd.DataFrame({"hr": [0.3, 1.2, 3.0], "lower": [0.1, 0.6, 1.5], "upper": [0.9, 2.4, 9.0]},
                         index=names)  # fmt: skip
    return forest_plot(table, table * 1.1)


def _figure_9_2():  # chapters/09-bias.md, fig-bias-null
    rng = np.random.default_rng(1)
    sims = pd.DataFrame(
        {"naive_hr": np.exp(rng.normal(-0.5, 0.3, 200)), "tv_hr": np.exp(rng.normal(0, 0.3, 200))}
    )
    return null_simulation_plot(sims)


@pytest.mark.parametrize(
    "draw",
    [lambda: _figure_2_1(load_cohort(None)), _figure_7_x, _figure_9_1, _figure_9_2],
    ids=["2.1", "7-forest", "9.1", "9.2"],
)
def test_one_panel_figure_text_is_readable_on_a_phone(house_style, draw):
    px, text = _smallest_text_css_px(draw())
    assert px >= 9, f"{text!r} is {px:.1f} CSS px on a phone"
