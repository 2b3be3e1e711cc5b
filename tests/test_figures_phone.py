"""Kaplan-Meier figures stay readable on a phone: number-at-risk text >= 10 CSS px at 390 px.

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
from PIL import Image  # noqa: E402

from analysis.plots import RISK_TABLE_LABEL, km_plot  # noqa: E402

PHONE_FIGURE_PX = 342
DPI = 150


def _css_px_of_at_risk_text(fig) -> float:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI, bbox_inches="tight")
    width = Image.open(io.BytesIO(buf.getvalue())).size[0]
    table = next(ax for ax in fig.axes if ax.get_label() == RISK_TABLE_LABEL)
    numbers = [t for t in table.texts if t.get_text().isdigit()]
    assert numbers, "no number-at-risk text found"
    points = min(t.get_fontsize() for t in numbers)
    plt.close(fig)
    return points * DPI / 72 * PHONE_FIGURE_PX / width


def _cohort(n=80, seed=1):
    rng = np.random.default_rng(seed)
    t = rng.exponential(12, n).round(1) + 0.1
    e = (rng.random(n) < 0.8).astype(int)
    g = rng.integers(0, 2, n)
    return t, e, g


def test_single_curve_at_risk_text_is_readable_on_a_phone():
    t, e, _ = _cohort()
    fig = km_plot(None, t, e, at_risk_times=np.arange(0, 49, 6))
    assert _css_px_of_at_risk_text(fig) >= 10


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
    assert _css_px_of_at_risk_text(fig) >= 10
