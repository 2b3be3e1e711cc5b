"""The joint spread pass (issue 13, :func:`analysis.calibration.joint_spread_anneal`): its moves
keep Table 1's printed mean and SD of each column, the plausible ranges, bilirubin's Child-Pugh
band and every column it does not move; the same generator state gives the same values.

Expectations are recomputed here with pandas, numpy and decimal rounding, never read from the
code under test.
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


def search(cohort, seed: int):
    """A short search over AST (aimed), CRP, tumour number and bilirubin (held)."""
    cols = {"ast_u_l": ("ast_gt40", (10.0, 1500.0), True)} | {
        c: (t, b, False) for c, (t, b) in calibration.JOINT_HELD.items()
    }
    loss, values = calibration._joint_search(
        cohort, cols, np.random.default_rng(seed), 400, 0.5, 1.0, [], synthesis.CSV_DECIMALS
    )
    return cols, loss, calibration._with_units(cohort, cols, values, synthesis.CSV_DECIMALS)


def test_moves_keep_table_1_the_ranges_and_the_bands(cohort):
    # the committed cohort prints AST's cells already (the pass made it so), so the search
    # starts from AST's values in reverse order: the same mean and SD, its cells missed
    cohort = cohort.assign(ast_u_l=cohort["ast_u_l"].to_numpy()[::-1])
    cols, loss, moved = search(cohort, 5)
    assert loss > 0.0  # the search had something to do
    assert not moved["ast_u_l"].equals(cohort["ast_u_l"])  # something moved
    printed = {"ast_u_l": ("72.6", "75.9"), "crp_mg_l": ("1.6", "2.3"),
               "tumor_number": ("6.2", "6.6")}  # fmt: skip
    for col, (mean, sd) in printed.items():
        assert moved[col].sum() == pytest.approx(cohort[col].sum(), abs=1e-9)  # the mean exactly
        assert str(half_up(moved[col].mean(), 1)) == mean
        assert str(half_up(moved[col].std(ddof=1), 1)) == sd
    assert moved["ast_u_l"].between(10, 1500).all() and moved["crp_mg_l"].between(0, 30).all()
    assert moved["tumor_number"].between(1, 50).all()
    # bilirubin stays in its points band: each patient's Child-Pugh score is unchanged
    points = synthesis.child_pugh_points(
        moved["bilirubin_mg_dl"], moved["albumin_g_dl"], moved["inr"], moved["ascites"],
        moved["encephalopathy"],
    )  # fmt: skip
    assert (points == cohort["child_pugh_score"].to_numpy()).all()
    others = [c for c in cohort.columns if c not in cols]
    assert moved[others].equals(cohort[others])  # survival times and events included
    pd.testing.assert_frame_equal(synthesis.target_table(moved), synthesis.target_table(cohort))
    assert search(cohort, 5)[2].equals(moved)  # the same generator state, the same values


def test_the_pass_returns_the_cohort_or_more_univariate_entries(cohort):
    out, before, after = calibration.joint_spread_anneal(
        cohort, np.random.default_rng(2), reach=(300, 0.02), repair=(300, 0.2),
        polish=(300, 0.02), rounds=1, decimals=synthesis.CSV_DECIMALS,
    )  # fmt: skip
    if out.equals(cohort):
        assert after == before
    else:
        assert after[0] > before[0] and after[1] >= before[1] and after[2] == 11
