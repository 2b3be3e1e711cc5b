"""The spread pass (issue 13, :func:`analysis.calibration.spread_anneal`): its moves keep
Table 1's printed mean and SD of the column, the plausible range and everything but the
column; its one-step multivariable update agrees with a full fit.

Expectations are recomputed here with pandas, numpy and decimal rounding, or by hand, never
read from the code under test.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import numpy as np
import pandas as pd
import pytest

from analysis import COHORT_CSV, calibration, synthesis


def half_up(x: float, decimals: int) -> Decimal:
    return Decimal(repr(float(x))).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


@pytest.fixture(scope="module")
def cohort():
    return pd.read_csv(COHORT_CSV, dtype={"bclc_stage": str})


@pytest.fixture(scope="module")
def narrowed(cohort):
    """The committed cohort with two patients' CRP values exchanged (mean and SD unchanged): the
    first exchange, in patient order, after which CRP's univariate cells no longer all print
    while every multivariable row still agrees, so that the pass has work to do (the committed
    cohort is the pass's own result)."""
    from analysis import paper

    cells = [c for c in calibration.table2_cells() if c["model"] == "uni"]
    mine = [c for c in cells if c["term"] == "crp_gt3"]
    rows = calibration.multivariable_rows()
    values = cohort["crp_mg_l"].to_numpy()
    for i in range(len(cohort)):
        for j in range(i + 1, len(cohort)):
            if values[i] == values[j]:
                continue
            frame = cohort.copy()
            swapped = values.copy()
            swapped[[i, j]] = swapped[[j, i]]
            frame["crp_mg_l"] = swapped
            fits = calibration.Table2Fits(paper.design_matrix(frame, "implied"))
            f = fits.fit([("crp_gt3",), ("multi",)])
            miss = sum(calibration._edge_miss(*f[("uni", "crp_gt3")], c) for c in mine)
            if miss > 0 and calibration.rows_agreeing(f, rows) == len(rows):
                return frame
    raise AssertionError("no exchange of two CRP values misses CRP's interval")


def test_the_committed_cohort_leaves_the_pass_nothing_to_do(cohort):
    """CRP's univariate cells print on the committed cohort (the pass's own result)."""
    rng = np.random.default_rng(0)
    assert calibration._spread_search(
        cohort, "crp_mg_l", "crp_gt3", (0.0, 30.0), rng, 10, 2
    ) is None  # fmt: skip


def test_moves_keep_the_mean_the_sd_and_the_range(narrowed):
    units = calibration._spread_search(
        narrowed, "crp_mg_l", "crp_gt3", (0.0, 30.0), np.random.default_rng(3), 300, 2
    )
    assert units is not None
    new = units / 100
    assert not np.array_equal(new, narrowed["crp_mg_l"].to_numpy())  # something moved
    assert units.sum() == round(narrowed["crp_mg_l"].sum() * 100)  # the mean exactly
    assert half_up(pd.Series(new).std(ddof=1), 1) == Decimal("2.3")  # Table 1: 2.3
    assert half_up(pd.Series(new).mean(), 1) == Decimal("1.6")
    assert new.min() >= 0.0 and new.max() <= 30.0
    # every other printed target (Table 1, responses, survival) unchanged
    moved = narrowed.assign(crp_mg_l=new)
    pd.testing.assert_frame_equal(synthesis.target_table(moved), synthesis.target_table(narrowed))
    again = calibration._spread_search(
        narrowed, "crp_mg_l", "crp_gt3", (0.0, 30.0), np.random.default_rng(3), 300, 2
    )
    assert np.array_equal(units, again)  # the same generator state, the same values


def test_only_the_column_changes_and_only_for_more_univariate_entries(narrowed):
    out, before, after = calibration.spread_anneal(
        narrowed, np.random.default_rng(3), steps=300, decimals=synthesis.CSV_DECIMALS
    )
    others = [c for c in narrowed.columns if c != "crp_mg_l"]
    assert out[others].equals(narrowed[others])  # survival times and events included
    if out.equals(narrowed):
        assert after == before
    else:
        assert after[0] > before[0] and after[1] >= before[1] and after[2] == 11


def test_one_newton_step_from_the_fit_stays_at_the_fit():
    """At the maximum of the partial likelihood the step is zero; its SEs are the fit's. Four
    deaths, no ties, x = 1, 0, 1, 0: beta = 0.9406 by hand (Table2Fits' example)."""
    risk = calibration._RiskSets([1.0, 2.0, 3.0, 4.0], [1, 1, 1, 1])
    xs = np.array([[1.0], [0.0], [1.0], [0.0]])[risk.order]
    beta, se, ok = risk.fit(xs)
    assert ok and beta[0] == pytest.approx(0.9406, abs=1e-4)
    step, step_se = calibration._newton_once(risk, xs - xs.mean(axis=0), beta)
    assert step == pytest.approx(beta, abs=1e-9) and step_se == pytest.approx(se, rel=1e-6)
    # from beta = 0 one step moves towards the fit
    first, _ = calibration._newton_once(risk, xs - xs.mean(axis=0), np.zeros(1))
    assert abs(first[0] - beta[0]) < abs(beta[0])
