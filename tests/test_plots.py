"""Tests of analysis.plots: figures are created, labelled in house style, and the number-at-risk
table shows hand-counted numbers."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from analysis.book import PALETTE  # noqa: E402
from analysis.plots import RISK_TABLE_LABEL, forest_plot, km_panels, km_plot  # noqa: E402

# 10 patients, two groups. Hand count of "follow-up >= t":
#   group A times 1, 3, 4, 7, 12   -> at 0: 5, at 6: 2 (7, 12), at 12: 1 (12)
#   group B times 2, 5, 6, 9, 14   -> at 0: 5, at 6: 3 (6, 9, 14), at 12: 1 (14)
TIMES = [1, 3, 4, 7, 12, 2, 5, 6, 9, 14]
EVENTS = [1, 0, 1, 1, 0, 1, 1, 0, 1, 1]
GROUPS = ["A"] * 5 + ["B"] * 5


def _risk_axes(fig):
    axes = [*fig.axes, *(child for ax in fig.axes for child in ax.child_axes)]
    found = [ax for ax in axes if ax.get_label() == RISK_TABLE_LABEL]
    assert len(found) == 1
    return found[0]


def _rows(tab):
    """Texts of the table grouped by row (y), top row first."""
    rows: dict[float, list[tuple[float, str]]] = {}
    for txt in tab.texts:
        x, y = txt.get_position()
        rows.setdefault(y, []).append((x, txt.get_text()))
    return [[s for _, s in sorted(rows[y])] for y in sorted(rows, reverse=True)]


def test_km_plot_number_at_risk_hand_counted():
    fig = km_plot(None, TIMES, EVENTS, GROUPS, at_risk_times=[0, 6, 12])
    assert _rows(_risk_axes(fig)) == [["5", "2", "1"], ["5", "3", "1"]]
    plt.close(fig)


def test_km_plot_labels_and_style():
    fig = km_plot(None, TIMES, EVENTS, GROUPS, labels={"A": "group a", "B": "group b"})
    main = [ax for ax in fig.axes if ax.get_label() != RISK_TABLE_LABEL][0]
    assert main.get_ylabel() == "overall survival probability"
    assert _risk_axes(fig).get_xlabel() == "months since start of HAIC"
    assert main.get_title() == "" and fig._suptitle is None  # no titles inside figures
    lines = [ln for ln in main.get_lines() if ln.get_label() in ("group a", "group b")]
    assert [matplotlib.colors.to_hex(ln.get_color()) for ln in lines] == PALETTE[:2]
    legend = [t.get_text() for t in main.get_legend().get_texts()]
    assert legend == ["group a", "group b"]
    plt.close(fig)


def test_km_plot_curve_steps_match_hand_km():
    fig = km_plot(None, [1, 2, 3, 4], [1, 0, 1, 0], ci=None, at_risk=False)
    ax = fig.axes[0]
    curve = ax.get_lines()[0]
    x, y = curve.get_xdata(), curve.get_ydata()
    # S: 1 until 1, 3/4 until 3, 3/4 * 1/2 = 3/8 after 3, extended flat to the last time 4
    np.testing.assert_allclose(x, [0, 1, 3, 4])
    np.testing.assert_allclose(y, [1, 0.75, 0.375, 0.375])
    # censoring ticks at 2 and 4 on the curve
    ticks = ax.get_lines()[1]
    np.testing.assert_allclose(ticks.get_xdata(), [2, 4])
    np.testing.assert_allclose(ticks.get_ydata(), [0.75, 0.375])
    plt.close(fig)


def test_censoring_ticks_one_per_distinct_time():
    # five patients censored at 2 and three at 4: two ticks, in both figures (one per patient
    # made a 10,000-patient figure's SVG 230 KB)
    t, e = [1, 2, 2, 2, 2, 2, 3, 4, 4, 4], [1, 0, 0, 0, 0, 0, 1, 0, 0, 0]
    fig = km_plot(None, t, e, ci=None, at_risk=False)
    ticks = [ln for ln in fig.axes[0].lines if ln.get_marker() == "|"]
    assert len(ticks) == 1 and list(ticks[0].get_xdata()) == [2, 4]
    plt.close(fig)
    fig = km_panels({"os": (t, e, None)})
    ticks = [ln for ln in fig.axes[0].lines if ln.get_marker() == "|"]
    assert len(ticks) == 1 and list(ticks[0].get_xdata()) == [2, 4]
    plt.close(fig)


def test_km_plot_on_given_axes_returns_its_figure():
    fig, ax = plt.subplots()
    out = km_plot(ax, TIMES, EVENTS, at_risk_times=[0, 6, 12])
    assert out is fig
    assert _rows(_risk_axes(fig)) == [["10", "5", "2"]]
    plt.close(fig)


def test_km_plot_bad_labels():
    with pytest.raises(ValueError, match="labels"):
        km_plot(None, TIMES, EVENTS, GROUPS, labels=["only one"])


def test_forest_plot_with_published_markers():
    table = pd.DataFrame(
        {"hr": [2.0, 0.5], "lower": [1.2, 0.3], "upper": [3.3, 0.8]}, index=["albumin", "tace"]
    )
    pub = pd.DataFrame({"hr": [2.363], "lower": [1.341], "upper": [4.160]}, index=["albumin"])
    fig = forest_plot(table, pub, labels={"albumin": "albumin ≤ 3 g/dL"})
    ax = fig.axes[0]
    assert ax.get_xscale() == "log"
    assert ax.get_xlabel() == "hazard ratio (95% CI, log scale)"
    assert [t.get_text() for t in ax.get_yticklabels()] == ["albumin ≤ 3 g/dL", "tace"]
    assert ax.get_title() == ""
    plt.close(fig)
    with pytest.raises(ValueError, match="hr"):
        forest_plot(pd.DataFrame({"x": [1]}))


@pytest.mark.parametrize(
    "lower, upper",
    [
        (0.1, 10.0),
        (0.05, 12.0),
        (0.07, 14.0),
        (0.3, 3.0),
        (0.011, 90.0),
        (0.9, 1.2),
        (0.001, 1000.0),
    ],
)
def test_forest_plot_tick_labels_never_run_together(lower, upper):
    """Review: on chapter 7's forest plot "0.1" and "0.2" ran together ("0.10.2"); at the
    figure's width no two x tick labels may touch, whatever the range of the intervals."""
    hr = np.sqrt(lower * upper)
    table = pd.DataFrame(
        {"hr": [hr, 1.0], "lower": [lower, 0.9], "upper": [upper, 1.1]}, index=["a", "b"]
    )
    from analysis import book

    with matplotlib.rc_context():
        book.setup()  # the book's 12-pt tick labels
        # Figure 7.1's longest row name: the names take width from the axis
        fig = forest_plot(table, table * 1.05, labels={"a": "tumour number, per lesion"})
    ax = fig.axes[0]
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    boxes = sorted(
        (t.get_window_extent(renderer) for t in ax.get_xticklabels() if t.get_text()),
        key=lambda b: b.x0,
    )
    assert boxes, "no x tick label"
    gaps = [b.x0 - a.x1 for a, b in zip(boxes, boxes[1:], strict=False)]
    space = 0.5 * 12 * fig.dpi / 72  # half a 12-pt character: "0.5 1" read as one number
    assert all(gap >= space for gap in gaps), [t.get_text() for t in ax.get_xticklabels()]
    plt.close(fig)


def test_null_simulation_plot_counts_every_finite_study():
    from analysis.plots import null_simulation_plot

    sims = pd.DataFrame({"naive_hr": [0.5, 0.6, 0.7, np.nan], "tv_hr": [0.9, 1.0, 1.1, 1.2]})
    fig = null_simulation_plot(sims, bins=4)
    ax = fig.axes[0]
    heights = [sum(p.get_height() for p in c) for c in ax.containers]
    assert heights == [3, 4]  # the NaN study is left out of the naive histogram
    assert ax.get_xlabel().startswith("estimated hazard ratio")
    assert [line.get_xdata()[0] for line in ax.lines] == [0.0]  # HR = 1 on the log axis
    plt.close(fig)


# ------------------------------------------------------------------ response_plot, skewed labs
def test_response_plot_segments_are_hand_counted_percents():
    from analysis.plots import RESPONSE_CATEGORIES, response_plot

    # 2 CR, 3 PR, 5 SD, 10 PD of 20 patients -> 10%, 15%, 25%, 50%; left edges 0, 10, 25, 50
    counts = {"CR": 2, "PR": 3, "SD": 5, "PD": 10}
    rates = pd.DataFrame(
        {"percent": [25.0, 50.0], "lower": [11.2, 29.9], "upper": [46.9, 70.1]},
        index=["ORR", "DCR"],
    )
    pub = {"CR": 4.9, "PR": 24.4, "SD": 26.8, "PD": 43.9}
    fig = response_plot(
        counts, rates, published_percent=pub, published_rates={"ORR": 29.3, "DCR": 56.1}
    )
    bars = fig.axes[0]
    assert [c.get_label() for c in bars.containers] == list(RESPONSE_CATEGORIES)
    widths = [c.patches[0].get_width() for c in bars.containers]
    lefts = [c.patches[0].get_x() for c in bars.containers]
    assert widths == pytest.approx([10.0, 15.0, 25.0, 50.0])
    assert lefts == pytest.approx([0.0, 10.0, 25.0, 50.0])
    assert [w * 20 / 100 for w in widths] == pytest.approx([2, 3, 5, 10])
    assert [c.patches[1].get_width() for c in bars.containers] == pytest.approx(list(pub.values()))
    ax_r = fig.axes[1]
    assert ax_r.get_xlabel() == "patients (%)"
    paper = [ln for ln in ax_r.get_lines() if ln.get_label() == "paper"][0]
    assert list(paper.get_xdata()) == pytest.approx([29.3, 56.1])
    assert all(ax.get_title() == "" for ax in fig.axes)
    plt.close(fig)


def test_response_plot_writes_no_name_inside_a_bar_segment():
    """Review (item 10): white "PR", "SD", "PD" on the hatched segments of Fig. 5.1 were about
    8 px tall on a phone (654 px shrunk to 342), and CR had none; the legend names them all."""
    from analysis.plots import response_plot

    fig = response_plot(
        {"CR": 4, "PR": 20, "SD": 22, "PD": 36},
        published_percent={"CR": 4.9, "PR": 24.4, "SD": 26.8, "PD": 43.9},
    )
    assert [t.get_text() for t in fig.axes[0].texts] == []
    legend = fig.axes[0].get_legend() or fig.legends[0]
    assert [t.get_text() for t in legend.get_texts()] == ["CR", "PR", "SD", "PD"]
    plt.close(fig)


def test_response_plot_bad_input():
    from analysis.plots import response_plot

    with pytest.raises(ValueError, match="SD"):
        response_plot({"CR": 1, "PR": 1, "PD": 1})
    with pytest.raises(ValueError, match="negative"):
        response_plot({"CR": -1, "PR": 1, "SD": 1, "PD": 1})
    with pytest.raises(ValueError, match="upper"):
        response_plot({"CR": 1, "PR": 1, "SD": 1, "PD": 1}, pd.DataFrame({"percent": [1.0]}))


def test_skewed_labs_plot_marks_hand_computed_mean_and_median():
    from analysis.plots import skewed_labs_plot

    # AST 10, 20, 30, 40, 400: mean 100, median 30. CRP has a 0 (dropped: log axis): 1, 2, 3, 10
    # -> mean 4, median 2.5.
    cohort = pd.DataFrame(
        {"ast_u_l": [10, 20, 30, 40, 400], "crp_mg_l": [0.0, 1, 2, 3, 10], "age_years": [1] * 5}
    )
    fig = skewed_labs_plot(
        cohort,
        {"ast_u_l": "ast (U/L, log scale)", "alt_u_l": "alt (U/L)", "crp_mg_l": "crp (mg/L)"},
        published={"ast_u_l": ("mean", 72.6), "crp_mg_l": ("median", 0.9)},
    )
    assert [ax.get_label() for ax in fig.axes] == ["ast_u_l", "crp_mg_l"]  # alt absent: skipped

    def marker(ax, label):
        return [ln for ln in ax.get_lines() if ln.get_label() == label][0].get_xdata()[0]

    ast, crp = fig.axes
    assert marker(ast, "cohort mean") == pytest.approx(100.0)
    assert marker(ast, "cohort median") == pytest.approx(30.0)
    assert marker(ast, "paper mean") == pytest.approx(72.6)
    assert marker(crp, "cohort mean") == pytest.approx(4.0)
    assert marker(crp, "cohort median") == pytest.approx(2.5)
    assert marker(crp, "paper median") == pytest.approx(0.9)
    assert len(crp.collections[-1].get_offsets()) == 4  # one point per positive value
    assert ast.get_xscale() == "log" and ast.get_xlabel() == "ast (U/L, log scale)"
    plt.close(fig)


def test_skewed_labs_plot_draws_the_papers_mean_and_median_with_different_markers():
    """Review (item 9): Fig. 4.1's legend showed "paper mean" and "paper median" as the same
    orange open square; no marker in the legend stands for two things."""
    from analysis.plots import skewed_labs_plot

    cohort = pd.DataFrame({"ast_u_l": [10, 20, 30, 40, 400], "afp_ng_ml": [1, 5, 40, 300, 9000]})
    fig = skewed_labs_plot(
        cohort,
        {"ast_u_l": "AST (U/L)", "afp_ng_ml": "AFP (ng/mL)"},
        published={"ast_u_l": ("mean", 72.6), "afp_ng_ml": ("median", 333.4)},
    )
    legend = fig.legends[0]
    handles = dict(
        zip([t.get_text() for t in legend.get_texts()], legend.legend_handles, strict=True)
    )
    drawn = {
        name: (h.get_marker(), h.get_markerfacecolor(), h.get_color())
        for name, h in handles.items()
        if hasattr(h, "get_marker")
    }
    assert drawn["paper mean"][0] != drawn["paper median"][0]
    markers = [m for m, *_ in drawn.values() if m not in ("None", "", None)]
    # every named marker differs from the others ("mean ± SD" is a line without a marker)
    assert len(markers) == len(set(markers)), drawn
    plt.close(fig)


def test_skewed_labs_plot_without_points_and_without_columns():
    from analysis.plots import skewed_labs_plot

    cohort = pd.DataFrame({"ast_u_l": [10, 20, 30, 40, 400]})
    fig = skewed_labs_plot(cohort, {"ast_u_l": "ast (U/L)"}, show_points=False)
    assert not any(c.get_label() == "patients" for c in fig.axes[0].collections)
    plt.close(fig)
    fig = skewed_labs_plot(cohort, {"alt_u_l": "alt (U/L)"})  # nothing to draw: a note
    assert any("None of" in t.get_text() for t in fig.axes[0].texts)
    plt.close(fig)
    with pytest.raises(ValueError, match="kind"):
        skewed_labs_plot(cohort, {"ast_u_l": "ast (U/L)"}, published={"ast_u_l": ("mode", 1)})


def test_stacked_panel_figures_are_one_column_of_phone_width():
    from analysis.plots import STACK_WIDTH, dose_bsa_plot, histogram_panels, km_panels

    figs = [
        km_panels({"os": (TIMES[:5], EVENTS[:5], None), "pfs": (TIMES[5:], EVENTS[5:], None)}),
        histogram_panels({"a (U/L)": ([1, 2, 3], None), "b (U/L)": ([4, 5], 4.5)}),
        dose_bsa_plot({"epirubicin": 35.0, "cisplatin": 60.0}, 2.0),
    ]
    for fig in figs:
        columns = {round(ax.get_position().x0, 3) for ax in fig.axes}
        assert len(fig.axes) == 2 and len(columns) == 1  # one above the other
        assert fig.get_figwidth() == STACK_WIDTH
        assert all(ax.get_title() == "" for ax in fig.axes) and fig._suptitle is None
        plt.close(fig)


def test_km_panels_curve_is_the_hand_km_and_marks_the_median():
    from analysis.plots import km_panels

    # group A: times 1, 3(c), 4, 7, 12(c): S = 0.8 at 1, 0.8 * 2/3 at 4, 0.8 * 2/3 * 1/2 at 7
    fig = km_panels({"overall survival": (TIMES[:5], EVENTS[:5], 5.5)})
    ax = fig.axes[0]
    curve = ax.lines[0]
    assert list(curve.get_xdata()) == [0, 1, 4, 7, 12]
    assert list(curve.get_ydata()) == pytest.approx([1, 0.8, 0.8 * 2 / 3, 0.8 / 3, 0.8 / 3])
    vertical = [ln for ln in ax.lines if ln.get_linestyle() == "--"]
    assert [float(ln.get_xdata()[0]) for ln in vertical] == [5.5]
    # review (Fig. 1.2): censored patients are marked on the curve, as in km_plot
    ticks = [ln for ln in ax.lines if ln.get_marker() == "|"]
    assert len(ticks) == 1 and list(ticks[0].get_xdata()) == [3, 12]
    assert list(ticks[0].get_ydata()) == pytest.approx([0.8, 0.8 / 3])
    bare = km_panels({"os": (TIMES[:5], EVENTS[:5], None)}, censor_ticks=False)
    assert not [ln for ln in bare.axes[0].lines if ln.get_marker() == "|"]
    plt.close(bare)
    assert ax.get_xlabel() == "months since start of HAIC"
    assert [t.get_text() for t in ax.texts] == ["overall survival"]
    plt.close(fig)
    fig = km_panels({})  # nothing to draw: a note
    assert fig.axes[0].texts[0].get_text() == "No endpoint to draw."
    plt.close(fig)
    with pytest.raises(ValueError, match="durations"):
        km_panels({"os": ([1, -2], [1, 1], None)})


def test_histogram_panels_counts_and_skips_empty_panels():
    from analysis.plots import histogram_panels

    fig = histogram_panels(
        {"AST (U/L)": ([10, 20, 30, None, 40], 25.0), "ALT (U/L)": ([None, None], 1.0)}, bins=2
    )
    assert [ax.get_label() for ax in fig.axes] == ["AST (U/L)"]  # ALT: no value, skipped
    assert [int(p.get_height()) for p in fig.axes[0].patches] == [2, 2]  # 10-25, 25-40
    plt.close(fig)
    fig = histogram_panels({"ALT (U/L)": ([], None)})
    assert fig.axes[0].texts[0].get_text() == "No values to draw."
    plt.close(fig)


def test_dose_bsa_plot_hand_computed_doses_and_marks():
    from analysis.plots import dose_bsa_plot

    # 5-FU 500 mg/m², cap 2.0 m²: at 2.4 m² full 1200 mg, capped 1000 mg; a 1.5-m² patient: 750 mg
    fig = dose_bsa_plot(
        {"5-fluorouracil": 500.0}, 2.0, patients={"small": 1.5}, cohort_bsa=[1.6, 1.9, 2.2]
    )
    ax = fig.axes[0]
    full, capped, cap_line, small, rug = ax.lines
    assert np.interp(2.4, full.get_xdata(), full.get_ydata()) == pytest.approx(1200.0)
    assert np.interp(2.4, capped.get_xdata(), capped.get_ydata()) == pytest.approx(1000.0)
    assert np.interp(1.5, capped.get_xdata(), capped.get_ydata()) == pytest.approx(750.0)
    assert list(cap_line.get_xdata()) == [2.0, 2.0]
    assert (small.get_marker(), float(small.get_ydata()[0])) == ("o", 750.0)
    assert list(rug.get_xdata()) == [1.6, 1.9, 2.2]
    assert ax.get_xlabel() == "body-surface area (m²)" and ax.get_ylabel() == "dose (mg)"
    plt.close(fig)
    with pytest.raises(ValueError, match="patients: at most 5"):
        dose_bsa_plot({"cisplatin": 60.0}, 2.0, patients={str(i): 1.5 for i in range(6)})


# ------------------------------------------------- printed in greyscale (handouts, photocopies)
def _grey(colour) -> float:
    r, g, b = matplotlib.colors.to_rgb(colour)
    return 0.299 * r + 0.587 * g + 0.114 * b


def test_palette_greys_collide_so_series_differ_by_more_than_colour():
    """Why the figures carry dashes and hatches: printed in greyscale, the palette's blue, green
    and vermilion are within 0.13 of each other (0 black, 1 white)."""
    greys = [_grey(c) for c in PALETTE[:4]]
    assert max(greys[0], greys[2], greys[3]) - min(greys[0], greys[2], greys[3]) < 0.13


def test_km_plot_groups_differ_by_line_style():
    from analysis.plots import LINE_STYLES

    groups = ["A"] * 4 + ["B"] * 3 + ["C"] * 3
    fig = km_plot(None, TIMES, EVENTS, groups, at_risk=False)
    curves = [ln for ln in fig.axes[0].get_lines() if ln.get_label() in ("A", "B", "C")]
    styles = [ln.get_linestyle() for ln in curves]
    assert styles == ["-", "--", ":"] and tuple(styles) == LINE_STYLES[:3]
    legend = [h.get_linestyle() for h in fig.axes[0].get_legend().legend_handles]
    assert legend == styles  # the key shows the dashes too
    plt.close(fig)


def test_response_plot_categories_differ_by_hatch():
    from analysis.plots import response_plot

    fig = response_plot({"CR": 2, "PR": 3, "SD": 5, "PD": 10})
    hatches = [c.patches[0].get_hatch() or "" for c in fig.axes[0].containers]
    assert len(set(hatches)) == 4, hatches
    legend = [h.get_hatch() or "" for h in fig.axes[0].get_legend().legend_handles]
    assert legend == hatches
    plt.close(fig)


def test_null_simulation_plot_second_analysis_is_hatched():
    from analysis.plots import null_simulation_plot

    sims = pd.DataFrame({"naive_hr": [0.5, 0.6, 0.7], "tv_hr": [0.9, 1.0, 1.1]})
    fig = null_simulation_plot(sims, bins=4)
    first, second = fig.axes[0].containers
    assert not first.patches[0].get_hatch() and second.patches[0].get_hatch()
    plt.close(fig)


# A 14-patient user cohort as the review's: 14, 6, 2, 1, 1 at risk at 0, 6, 12, 18 and 24 months;
# 3 of them had additional TACE (3, 3, 1, 1, 1 at risk), 11 none (11, 3, 1, 0, 0).
USER_TIMES = [0.5, 1, 2, 2.5, 3, 4, 5, 5, 7, 9, 13, 7, 8, 26]
USER_EVENTS = [1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1, 0]
USER_GROUPS = [0] * 11 + [1] * 3
USER_LABELS = {0: "none", 1: "additional TACE"}
USER_AT = [0, 6, 12, 18, 24]


def test_km_plot_on_a_user_cohort_shows_no_number_at_risk_of_one_to_four():
    fig = km_plot(None, USER_TIMES, USER_EVENTS, at_risk_times=USER_AT)
    assert _rows(_risk_axes(fig)) == [["14", "6", "2", "1", "1"]]  # the book's: every count
    plt.close(fig)
    fig = km_plot(None, USER_TIMES, USER_EVENTS, at_risk_times=USER_AT, min_count=5)
    assert _rows(_risk_axes(fig)) == [["14", "6", "<5", "<5", "<5"]]
    main = [ax for ax in fig.axes if ax.get_label() != RISK_TABLE_LABEL][0]
    assert len(main.texts) == 0 and len(main.get_lines()) == 2  # 14 in one group: curve, ticks
    plt.close(fig)


def test_km_plot_on_a_user_cohort_does_not_draw_a_group_of_fewer_than_five():
    """A group of 1-4 patients: no curve, band or censoring tick (each step or tick is one
    patient), a line saying why, its row "<5"; the other group's counts that would give the
    small one back from the total at risk read "hidden"."""
    fig = km_plot(
        None,
        USER_TIMES,
        USER_EVENTS,
        USER_GROUPS,
        labels=USER_LABELS,
        at_risk_times=USER_AT,
        min_count=5,
    )
    main = [ax for ax in fig.axes if ax.get_label() != RISK_TABLE_LABEL][0]
    rows = _rows(_risk_axes(fig))
    assert not any(cell in {"1", "2", "3", "4"} for row in rows for cell in row), rows
    assert rows[1] == ["<5", "<5", "<5", "<5", "<5"]  # additional TACE: 3, 3, 1, 1, 1
    assert rows[0] == ["×", "<5", "<5", "0", "0"]  # 11 hidden: 14 - 11 = 3
    # one character ("hidden" beside "<5" overlapped on a phone), with its key under the table
    keys = [t.get_text() for t in fig.texts if t.get_gid() == "at-risk-key"]
    assert keys == ["× hidden: with its column's total\nit would give a count below 5 back"]
    colour = matplotlib.colors.to_hex(PALETTE[1])
    drawn = [ln for ln in main.get_lines() if matplotlib.colors.to_hex(ln.get_color()) == colour]
    assert drawn == [] and not main.collections[1:], (drawn, main.collections)  # one band: none's
    assert [t.get_text() for t in main.get_legend().get_texts()] == ["none"]
    assert [t.get_text() for t in main.texts] == [
        "not drawn: additional TACE\n(fewer than 5 patients)"
    ]
    plt.close(fig)
    fig = km_plot(
        None, USER_TIMES, USER_EVENTS, USER_GROUPS, labels=USER_LABELS, at_risk_times=USER_AT
    )
    assert _rows(_risk_axes(fig)) == [
        ["11", "3", "1", "0", "0"],
        ["3", "3", "1", "1", "1"],
    ]  # book's
    plt.close(fig)


def test_schoenfeld_plot_draws_a_model_with_two_deaths_without_failing():
    """A user's cohort may have fewer deaths than half a running-mean window: the panel shows
    the points (or nothing but the fitted line), it does not raise."""
    import matplotlib.pyplot as plt

    from analysis.plots import schoenfeld_plot

    res = pd.DataFrame({"time": [2.0, 5.0], "x": [0.4, -0.2]})
    res.attrs["beta"] = {"x": 0.1}
    for points in (True, False):
        fig = schoenfeld_plot(res, points=points)
        assert len(fig.axes) == 1
        plt.close(fig)
