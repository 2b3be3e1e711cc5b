"""analysis.fastsurv against lifelines and analysis.survival (independent implementations)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from lifelines import CoxPHFitter, KaplanMeierFitter
from lifelines.statistics import logrank_test, multivariate_logrank_test
from lifelines.utils import restricted_mean_survival_time

from analysis import fastsurv


def _data(seed, n=82, ties=True):
    rng = np.random.default_rng(seed)
    t = rng.exponential(10.0, n)
    t = np.round(t, 0) + 0.5 if ties else t
    e = (rng.random(n) < 0.75).astype(int)
    return t, e, rng


def _spss_by_hand(t, e):
    """SPSS median SE from lifelines' survival function and event table."""
    kmf = KaplanMeierFitter().fit(t, e)
    table = kmf.event_table
    table = table[table["observed"] > 0]
    times = table.index.to_numpy(float)
    r = table["at_risk"].to_numpy(float)
    d = table["observed"].to_numpy(float)
    s = kmf.survival_function_at_times(times).to_numpy()
    gw = np.cumsum(d / (r * (r - d)))
    k = int(np.flatnonzero(s <= 0.5)[0])
    med = times[k]
    var = s[k] ** 2 * gw[k]
    hi = np.flatnonzero(s >= 0.55)
    u, su = (times[hi[-1]], s[hi[-1]]) if hi.size else (0.0, 1.0)
    lo = np.flatnonzero(s <= 0.45)[0]
    se = np.sqrt(var) / ((su - s[lo]) / (times[lo] - u))
    return med, se


@pytest.mark.parametrize("seed", range(8))
def test_km_median_and_spss_interval_match_lifelines(seed):
    t, e, _ = _data(seed)
    kmf = KaplanMeierFitter().fit(t, e)
    med, se, lo, up = fastsurv.spss_median(t, e)
    if not fastsurv.median_is_ambiguous(t, e):
        assert med == pytest.approx(kmf.median_survival_time_)
        hand_med, hand_se = _spss_by_hand(t, e)
        assert med == pytest.approx(hand_med)
        assert se == pytest.approx(hand_se)
        assert lo == pytest.approx(med - 1.959963984540054 * hand_se)
        assert up == pytest.approx(med + 1.959963984540054 * hand_se)


def test_r_midpoint_rule_on_exact_half_plateau():
    # 4 patients, no censoring: S = 0.75, 0.5, 0.25, 0 -> R median (2 + 3) / 2
    t = np.array([1.0, 2.0, 3.0, 4.0])
    e = np.ones(4)
    assert fastsurv.km_median(t, e) == 2.5
    assert fastsurv.median_is_ambiguous(t, e)


@pytest.mark.parametrize("seed", range(5))
def test_spss_mean_is_area_to_largest_time(seed):
    t, e, _ = _data(seed)
    kmf = KaplanMeierFitter().fit(t, e)
    expected = restricted_mean_survival_time(kmf, t=float(t.max()))
    mean, se = fastsurv.spss_mean(t, e)
    assert mean == pytest.approx(expected, rel=1e-9)
    assert se > 0


@pytest.mark.parametrize("seed", range(6))
def test_logrank_matches_lifelines(seed):
    t, e, rng = _data(seed)
    g = rng.random(t.size) < 0.4
    ref = logrank_test(t[g], t[~g], e[g], e[~g])
    assert fastsurv.logrank_p(t, e, g) == pytest.approx(ref.p_value, rel=1e-9)
    chi2, df, p = fastsurv.logrank(t, e, g)
    assert (chi2, df) == (pytest.approx(ref.test_statistic, rel=1e-9), 1)
    g3 = rng.integers(0, 3, t.size)
    ref3 = multivariate_logrank_test(t, g3, e)
    chi2, df, p = fastsurv.logrank(t, e, g3)
    assert df == 2
    assert chi2 == pytest.approx(ref3.test_statistic, rel=1e-9)
    assert p == pytest.approx(ref3.p_value, rel=1e-9)


def test_cox_matches_lifelines_without_ties():
    t, e, rng = _data(3, ties=False)
    x = rng.standard_normal((t.size, 3))
    frame = pd.DataFrame(x, columns=["a", "b", "c"]).assign(t=t, e=e)
    ref = CoxPHFitter().fit(frame, "t", "e")
    beta, se, p, converged = fastsurv.cox_breslow(x, t, e)
    assert converged
    np.testing.assert_allclose(beta, ref.params_.to_numpy(), rtol=1e-6)
    np.testing.assert_allclose(se, ref.standard_errors_.to_numpy(), rtol=1e-6)
    np.testing.assert_allclose(p, ref.summary["p"].to_numpy(), rtol=1e-5)
    uni, _, _ = fastsurv.cox_univariate_breslow(x, t, e)
    for k, name in enumerate("abc"):
        one = CoxPHFitter().fit(frame[[name, "t", "e"]], "t", "e")
        assert uni[k] == pytest.approx(one.params_[name], rel=1e-6)


def test_agrees_with_analysis_survival():
    survival = pytest.importorskip("analysis.survival")
    for seed in range(6):
        t, e, _ = _data(seed)
        if fastsurv.median_is_ambiguous(t, e):
            continue
        med, se, lo, up = fastsurv.spss_median(t, e)
        ref = survival.median_survival(t, e, ci="spss", clip_at_zero=False)
        np.testing.assert_allclose((med, lo, up), ref, rtol=1e-12)
        assert fastsurv.spss_mean(t, e)[0] == pytest.approx(survival.mean_survival(t, e)[0])
        assert fastsurv.logrank_p(t, e, t > 5) == pytest.approx(survival.logrank(t, e, t > 5)[2])


def test_km_summary_mean_matches_spss_mean_without_its_se():
    # km_summary skips the SE of the mean (the calibration does not need it); the mean is the same
    from analysis import fastsurv

    t = np.array([1.0, 2.0, 2.0, 3.5, 4.0, 7.0, 9.0])
    e = np.array([1, 1, 0, 1, 0, 1, 0])
    # area under the KM curve to t = 9 by hand: S = 6/7 after 1, 5/7 * ... computed stepwise
    s1 = 6 / 7
    s2 = s1 * (1 - 1 / 6)
    s35 = s2 * (1 - 1 / 4)
    s7 = s35 * (1 - 1 / 2)
    area = 1 * 1 + s1 * 1 + s2 * 1.5 + s35 * 3.5 + s7 * 2
    assert fastsurv.km_summary(t, e)[3] == pytest.approx(area)
    assert fastsurv.spss_mean(t, e)[0] == pytest.approx(area)
