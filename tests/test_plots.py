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
from analysis.plots import RISK_TABLE_LABEL, forest_plot, km_plot  # noqa: E402

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
