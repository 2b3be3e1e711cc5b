"""Assumption scenarios: only the timing columns move, by the stated rules, deterministically."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from analysis import scenarios, synthesis
from analysis.cohort import load_cohort


@pytest.fixture(scope="module")
def cohort():
    return load_cohort(None)


@pytest.mark.parametrize("name", sorted(scenarios.SCENARIOS))
def test_only_timing_columns_change_and_every_target_stays(cohort, name):
    out = scenarios.retime(cohort, name, seed=7)
    other = [c for c in cohort.columns if c not in scenarios.TIMING_COLUMNS]
    pd.testing.assert_frame_equal(out[other], cohort[other])
    before = synthesis.target_table(cohort)[["id", "computed", "verdict"]]
    after = synthesis.target_table(out)[["id", "computed", "verdict"]]
    pd.testing.assert_frame_equal(before, after)


@pytest.mark.parametrize("name", sorted(scenarios.SCENARIOS))
def test_times_respect_the_data_dictionary(cohort, name):
    out = scenarios.retime(cohort, name, seed=3)
    treated = out["additional_tace"] == 1
    assert out.loc[~treated, "additional_tace_month"].isna().all()
    t = out.loc[treated, "additional_tace_month"]
    assert (t > 0).all() and (t < out.loc[treated, "os_months"]).all()
    assert (out["response_month"] <= out["pfs_months"]).all()
    pd_rows = out["best_response"] == "PD"
    assert (out.loc[pd_rows, "response_month"] == out.loc[pd_rows, "pfs_months"]).all()
    # the 0.01-month grid of the CSV
    assert np.allclose(t * 100, np.round(t * 100))


def test_same_seed_same_bytes_other_seed_other_times(cohort):
    a = synthesis.format_cohort(scenarios.retime(cohort, "hazard", seed=11))
    b = synthesis.format_cohort(scenarios.retime(cohort, "hazard", seed=11))
    c = synthesis.format_cohort(scenarios.retime(cohort, "hazard", seed=12))
    assert a == b and a != c


def _big(n=4000, os_months=1000.0):
    return pd.DataFrame(
        {
            "os_months": np.full(n, os_months),
            "pfs_months": np.full(n, os_months),
            "additional_tace": np.ones(n, int),
            "best_response": ["SD"] * n,
            "additional_tace_month": np.ones(n),
            "response_month": np.ones(n),
        }
    )


def test_rules_by_hand():
    big = _big()
    fixed = scenarios.retime(big, "fixed-interval", seed=1)
    assert fixed["additional_tace_month"].between(2.0, 4.0).all()
    assert fixed["response_month"].between(1.5, 2.5).all()
    # a constant hazard with median 3 months (no death in the way): exponential, rate ln2/3
    hz = scenarios.retime(big, "hazard", seed=1)["additional_tace_month"]
    assert stats.kstest(hz, "expon", args=(0, 3 / np.log(2))).pvalue > 0.01
    # truncated by death at 2 months: the conditional law F(t)/F(2)
    short = scenarios.retime(_big(os_months=2.0), "hazard", seed=2)["additional_tace_month"]
    rate = np.log(2) / 3
    cdf = lambda t: np.expm1(-rate * np.asarray(t)) / np.expm1(-rate * 2.0)  # noqa: E731
    assert short.max() < 2.0 and stats.kstest(short, cdf).pvalue > 0.01
    prop = scenarios.retime(_big(os_months=10.0), "proportional", seed=1)
    assert prop["additional_tace_month"].between(1.0, 6.0).all()


def test_proportional_is_the_generators_rule():
    """The ``proportional`` scenario re-draws with the generator's own shares and months
    (:mod:`analysis.synthesis`), and its label states the TACE share."""
    sc = scenarios.SCENARIOS["proportional"]
    assert sc.tace == ("proportional", *synthesis.ADDITIONAL_TACE_SHARE)
    assert sc.response == ("proportional", *synthesis.RESPONSE_SHARE)
    assert "TACE at 10–60% of OS" in sc.label
    first, last = synthesis.RESPONSE_MONTHS
    # 100 months to progression: a share of 35-90% is past the last month, so the last month
    resp = scenarios.retime(_big(os_months=100.0), "proportional", seed=1)["response_month"]
    assert (resp == last).all()
    # 2 months: 0.7-1.8 months, those before the first month at the first month
    resp = scenarios.retime(_big(os_months=2.0), "proportional", seed=1)["response_month"]
    assert resp.min() == first and resp.max() <= 0.9 * 2.0


def test_estimates_tidy_and_naive_does_not_depend_on_timing(cohort):
    est = scenarios.scenario_estimates(cohort, landmarks=[3.0])
    assert list(est.columns) == scenarios.ESTIMATE_COLUMNS
    naive = est[est["analysis"] == "naive"]
    assert naive.groupby("exposure")["hr"].nunique().eq(1).all()
    assert len(est) == len(scenarios.SCENARIOS) * 2 * 3


def test_time_varying_estimate_matches_lifelines(cohort):
    lifelines = pytest.importorskip("lifelines")
    from analysis import bias

    df = scenarios.retime(cohort, "fixed-interval", seed=5)
    est = scenarios.scenario_estimates(cohort, ["fixed-interval"], landmarks=[], seed=5)
    row = est[(est["exposure"] == "additional TACE") & (est["analysis"] == "time-varying")]
    long = bias.to_counting_process(df)
    fit = lifelines.CoxTimeVaryingFitter().fit(
        long, id_col="id", start_col="start", stop_col="stop", event_col="event"
    )
    assert float(row["hr"].iloc[0]) == pytest.approx(
        float(np.exp(fit.params_["exposed"])), rel=1e-6
    )
