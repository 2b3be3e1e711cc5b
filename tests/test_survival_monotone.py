"""Cox fits without a finite maximum (monotone likelihood, separation) say so instead of
printing a huge hazard ratio; fits that converge agree with statsmodels' PHReg and are untouched."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from analysis.survival import cox_model, cox_table, try_cox_table, univariate_cox

SEPARATED = pd.DataFrame({"t": [1, 2, 3, 4, 5, 6], "e": [1] * 6, "x": [1, 1, 1, 0, 0, 0]})


def _cohort(seed: int = 3, n: int = 80) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    x = rng.integers(0, 2, n)
    z = rng.normal(0, 1, n)
    t = np.round(rng.exponential(10 * np.exp(-0.5 * x - 0.3 * z)), 0) + 1  # tied times
    e = (rng.random(n) < 0.75).astype(int)
    return pd.DataFrame({"t": t, "e": e, "x": x, "z": z})


@pytest.mark.parametrize("ties", ["breslow", "efron"])
def test_converged_fit_matches_statsmodels_phreg(ties):
    sm = pytest.importorskip("statsmodels.api")
    d = _cohort()
    table = cox_table(d, "t", "e", ["x", "z"], ties=ties)
    ref = sm.PHReg(d["t"], d[["x", "z"]], status=d["e"], ties=ties).fit()
    np.testing.assert_allclose(table["coef"], ref.params, rtol=1e-6)
    np.testing.assert_allclose(table["se"], ref.bse, rtol=1e-6)
    assert table.attrs["converged"] and table.attrs["reason"] == ""
    assert table.attrs["monotone"] == []
    assert np.isfinite(table.to_numpy()).all()


@pytest.mark.parametrize("ties", ["breslow", "efron"])
@pytest.mark.parametrize(("flip", "hr"), [(False, np.inf), (True, 0.0)])
def test_separated_term_reports_infinite_hr_with_a_reason(ties, flip, hr):
    d = SEPARATED.assign(x=1 - SEPARATED["x"]) if flip else SEPARATED
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the book's build fails on any warning
        model = cox_model(d, "t", "e", ["x"], ties=ties)
    row = model.table.loc["x"]
    assert row["hr"] == hr and np.isinf(row["coef"])
    assert row[["se", "lower", "upper", "z", "p"]].isna().all()
    assert not model.converged and model.reason.startswith("monotone likelihood")
    assert "runs off to infinity" in model.reason
    assert model.table.attrs["reason"] == model.reason
    assert model.table.attrs["monotone"] == ["x"]
    assert np.isnan(model.wald) and np.isnan(model.wald_p)
    assert model.lr > 0 and 0 < model.lr_p < 0.05  # the LR test still exists
    assert model.formatted()["wald"] == model.formatted()["wald_p"]  # both printed as missing
    table, why = try_cox_table(d, "t", "e", ["x"], ties=ties)
    assert table is None and why.startswith("the estimate for x runs off to infinity")


def test_statsmodels_does_not_converge_on_the_separated_case_either():
    """The oracle's own last iterate is a huge coefficient (what R and SPSS print)."""
    sm = pytest.importorskip("statsmodels.api")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ref = sm.PHReg(SEPARATED["t"], SEPARATED[["x"]], status=SEPARATED["e"]).fit()
    assert abs(ref.params[0]) > 10 or not np.isfinite(ref.params[0])


def test_other_terms_keep_their_values_and_univariate_rows_show_it():
    d = _cohort()
    d["sep"] = 0
    d.loc[d["e"] == 1, "sep"] = 1  # every event among sep = 1, censored patients at sep = 0
    model = cox_model(d, "t", "e", ["sep", "z"])
    assert model.table.attrs["monotone"] == ["sep"]
    assert model.table.loc["sep", "hr"] == np.inf
    # z keeps the last iterate (finite); its SE is NaN where the information is singular there
    assert np.isfinite(model.table.loc["z", ["coef", "hr"]].astype(float)).all()
    assert "sep" in model.reason and "z" not in model.reason.split(":")[1].split("runs")[0]
    uni = univariate_cox(d, "t", "e", ["sep", "z"])
    assert uni.loc["sep", "hr"] == np.inf and np.isfinite(uni.loc["z", "hr"])


def test_well_behaved_fit_is_unchanged():
    """The docstring example's numbers, as before the change."""
    d = pd.DataFrame({"t": [1, 2, 3, 4, 5, 6], "e": [1, 1, 1, 0, 1, 1], "x": [0, 1, 0, 1, 1, 0]})
    fit = cox_model(d, "t", "e", ["x"])
    assert round(float(fit.table.loc["x", "coef"]), 4) == -0.1008
    assert fit.converged and fit.reason == "" and np.isfinite(fit.wald)
