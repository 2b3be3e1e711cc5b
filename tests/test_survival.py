"""Tests of analysis.survival against R survival's printed output, hand computations and
independent implementations (statsmodels PHReg, lifelines, a hand-coded Kaplan-Meier).

Datasets: lifelines ships R's ``survival::lung`` (``load_lung``; ``status`` recoded 1 = death,
0 = censored, 165 deaths of 228) and ``Rossi`` from Fox & Weisberg (``load_rossi``).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from lifelines.datasets import load_lung, load_rossi

from analysis.survival import (
    cox_table,
    events_per_variable,
    kaplan_meier,
    km_table,
    logrank,
    logrank_table,
    mean_survival,
    median_survival,
    ph_test,
    univariate_cox,
)

Z975 = 1.959963984540054


@pytest.fixture(scope="module")
def lung():
    return load_lung()


@pytest.fixture(scope="module")
def rossi():
    return load_rossi()


# ----------------------------------------------------------------------------- Kaplan-Meier
def test_kaplan_meier_against_hand_coded_product_limit():
    t = np.array([3, 5, 5, 7, 8, 8, 10, 12])
    e = np.array([1, 1, 0, 1, 1, 1, 0, 1])
    km = kaplan_meier(t, e)
    # by hand: t=3 n=8 d=1; t=5 n=7 d=1 (censored tie at 5 still at risk); t=7 n=5 d=1;
    # t=8 n=4 d=2; t=12 n=1 d=1
    assert km["time"].tolist() == [3, 5, 7, 8, 12]
    assert km["n_risk"].tolist() == [8, 7, 5, 4, 1]
    assert km["n_event"].tolist() == [1, 1, 1, 2, 1]
    s = [7 / 8, 7 / 8 * 6 / 7, 7 / 8 * 6 / 7 * 4 / 5, 7 / 8 * 6 / 7 * 4 / 5 * 2 / 4, 0.0]
    np.testing.assert_allclose(km["survival"], s, rtol=1e-14)
    # Greenwood at t=7: S^2 * (1/(8*7) + 1/(7*6) + 1/(5*4))
    gw = s[2] ** 2 * (1 / 56 + 1 / 42 + 1 / 20)
    assert km["se"].iloc[2] == pytest.approx(math.sqrt(gw), rel=1e-12)


# ---------------------------------------------------------------------------------- medians
def test_median_and_log_ci_match_r_survfit_on_lung(lung):
    # R: survfit(Surv(time, status) ~ 1, data = lung)
    #        n events median 0.95LCL 0.95UCL
    #  [1,] 228    165    310     285     363
    # printed e.g. in the survival tutorial of E. Zabor ("Survival analysis in R") and in the
    # survfit_null() example of the R package documentation indexed in our reference search.
    assert median_survival(lung["time"], lung["status"], ci="log") == (310.0, 285.0, 363.0)


def test_median_log_ci_by_sex_match_r(lung):
    # R: survfit(Surv(time, status) ~ sex, data = lung)
    #         n events median 0.95LCL 0.95UCL
    # sex=1 138    112    270     212     310
    # sex=2  90     53    426     348     550
    # (same tutorial, and many printed copies of this standard example)
    men, women = lung[lung["sex"] == 1], lung[lung["sex"] == 2]
    assert median_survival(men["time"], men["status"], ci="log") == (270.0, 212.0, 310.0)
    assert median_survival(women["time"], women["status"], ci="log") == (426.0, 348.0, 550.0)


def test_log_log_ci_matches_lifelines(lung):
    # independent implementation: lifelines' exponential-Greenwood band read by
    # median_survival_times (no exact-0.5 plateaus in these bands, so the rules coincide)
    from lifelines import KaplanMeierFitter
    from lifelines.utils import median_survival_times

    kmf = KaplanMeierFitter().fit(lung["time"], lung["status"])
    ci = median_survival_times(kmf.confidence_interval_)
    m, lo, hi = median_survival(lung["time"], lung["status"], ci="log-log")
    assert m == kmf.median_survival_time_ == 310.0
    assert (lo, hi) == (ci.iloc[0, 0], ci.iloc[0, 1]) == (284.0, 361.0)


def test_spss_median_ci_hand_computed():
    # 7 deaths at 1..7, no censoring: S = 6/7, 5/7, 4/7, 3/7, ...; median = 4 (first S <= 0.5).
    # u = last time with S >= 0.55: t=3 (S=4/7); l = first time with S <= 0.45: t=4 (S=3/7)
    # f = (4/7 - 3/7) / (4 - 3) = 1/7
    # Greenwood at t=4 without censoring = S(1-S)/n = (3/7)(4/7)/7 = 12/343
    # SE = sqrt(12/343) / (1/7) = 7*sqrt(12/343) = 1.309307...
    se = 7 * math.sqrt(12 / 343)
    assert se == pytest.approx(1.3093073414159542, rel=1e-12)
    m, lo, hi = median_survival(range(1, 8), [1] * 7, ci="spss")
    assert m == 4.0
    assert lo == pytest.approx(4 - Z975 * se, rel=1e-12)  # 1.43378...
    assert hi == pytest.approx(4 + Z975 * se, rel=1e-12)  # 6.56621...
    # symmetric, as SPSS prints it
    assert (m - lo) == pytest.approx(hi - m)


def test_spss_interval_is_clipped_at_zero_only_when_asked():
    # deaths at 1, 10, 10.5: S = 2/3, 1/3, 0 -> median 10; u = 1 (S=2/3), l = 10 (S=1/3)
    # f = (1/3)/9 = 1/27; Greenwood at 10 = (1/3)(2/3)/3 = 2/27; SE = sqrt(2/27)*27 = 7.348...
    se = math.sqrt(2 / 27) * 27
    t, e = [1, 10, 10.5], [1, 1, 1]
    m, lo, hi = median_survival(t, e, ci="spss")
    m2, lo2, hi2 = median_survival(t, e, ci="spss", clip_at_zero=False)
    assert m == m2 == 10.0 and hi == hi2 == pytest.approx(10 + Z975 * se, rel=1e-12)
    assert lo2 == pytest.approx(10 - Z975 * se, rel=1e-12) and lo2 < 0
    assert lo == 0.0


def test_median_midpoint_on_exact_half_plateau():
    # 8 deaths at 1..8: S(4) = 4/8 = 0.5 exactly until the death at 5 -> R: (4 + 5)/2 = 4.5
    # (lifelines and SPSS report 4, the start of the plateau)
    m, _, _ = median_survival(range(1, 9), [1] * 8, ci="log")
    assert m == 4.5
    # a censoring inside the plateau does not move the next drop: deaths 1..4, censored 4.5,
    # deaths 6, 7, 8 ... S(4)=0.5 exactly, next event time 6 -> 5.0
    m, _, _ = median_survival([1, 2, 3, 4, 4.5, 6, 7, 8], [1, 1, 1, 1, 0, 1, 1, 1], ci="log")
    assert m == 5.0


def test_median_not_reached_is_nan_not_an_error():
    # S = 3/4 after the only death: the median is not reached
    assert all(math.isnan(x) for x in median_survival([1, 2, 3, 4], [1, 0, 0, 0], ci="spss"))
    for ci in ("log", "log-log"):
        m, lo, hi = median_survival([1, 2, 3, 4], [1, 0, 0, 0], ci=ci)
        assert math.isnan(m) and math.isnan(hi)
        # the lower band does reach 0.5 (0.75*exp(-1.96*sqrt(1/12)) = 0.425), as R would print
        assert lo == 1.0
    # reached, but the upper band never reaches 0.5 -> R prints NA for the upper limit
    m, lo, hi = median_survival([1, 2, 3, 4, 5, 6], [1, 1, 1, 1, 0, 0], ci="log")
    assert m == 3.5 and math.isnan(hi)  # S = 1/2 exactly at 3, next death at 4


def test_median_rejects_bad_input_naming_the_argument():
    with pytest.raises(ValueError, match="ci"):
        median_survival([1, 2], [1, 1], ci="plain")
    with pytest.raises(ValueError, match="durations.*-1"):
        median_survival([1, -1], [1, 1])
    with pytest.raises(ValueError, match="events.*2"):
        median_survival([1, 2], [1, 2])
    with pytest.raises(ValueError, match="length"):
        median_survival([1, 2, 3], [1, 1])


# ------------------------------------------------------------------------------------- mean
def test_mean_survival_hand_computed():
    # deaths at 2, 4; censored at 5 (largest time is censored -> restricted to 5)
    # S = 1 on [0,2), 2/3 on [2,4), 1/3 on [4,5]: area = 2 + 2*(2/3) + 1*(1/3) = 11/3
    mean, se = mean_survival([2, 4, 5], [1, 1, 0])
    assert mean == pytest.approx(11 / 3, rel=1e-14)
    # A_j = area after t_j: A(2) = 2*(2/3) + 1/3 = 5/3; A(4) = 1/3
    # var = A(2)^2 * 1/(3*2) + A(4)^2 * 1/(2*1)
    var = (5 / 3) ** 2 / 6 + (1 / 3) ** 2 / 2
    assert se == pytest.approx(math.sqrt(var), rel=1e-14)


def test_mean_survival_matches_r_rmean_on_lung_men(lung):
    # R: print(survfit(Surv(time, status) ~ sex, lung), rmean = "common")
    #         n events rmean* se(rmean) median 0.95LCL 0.95UCL
    # sex=1 138    112    326      22.9    270     212     310
    #     * restricted mean with upper limit =  1022
    # 1022 is also the largest time among men, so the "common" and SPSS-style limits coincide.
    men = lung[lung["sex"] == 1]
    assert men["time"].max() == 1022
    mean, se = mean_survival(men["time"], men["status"])
    assert round(mean) == 326
    assert round(se, 1) == 22.9


def test_mean_survival_equals_lifelines_rmst(lung):
    from lifelines import KaplanMeierFitter
    from lifelines.utils import restricted_mean_survival_time

    kmf = KaplanMeierFitter().fit(lung["time"], lung["status"])
    mean, _ = mean_survival(lung["time"], lung["status"])
    assert mean == pytest.approx(restricted_mean_survival_time(kmf, t=lung["time"].max()))


# --------------------------------------------------------------------------------- km table
def test_km_table_number_at_risk_hand_counted():
    t = [1, 2, 2, 3, 5, 8, 8, 9]
    e = [1, 1, 0, 1, 0, 1, 1, 0]
    tab = km_table(t, e, [0, 2, 4, 8, 10])
    # at risk = follow-up >= time: 8, 7, 4, 3, 0
    assert tab["n_risk"].tolist() == [8, 7, 4, 3, 0]
    assert tab["n_event"].tolist() == [0, 2, 3, 5, 5]
    assert tab["survival"].iloc[2] == pytest.approx(7 / 8 * 6 / 7 * 4 / 5)


# -------------------------------------------------------------------------------- log-rank
def test_logrank_matches_r_survdiff_on_lung_by_sex(lung):
    # R: survdiff(Surv(time, status) ~ sex, data = lung), printed with digits=6 in
    # "Machine Learning with R Cookbook" (2nd ed., Packt), "Using the log-rank test":
    #     N Observed Expected (O-E)^2/E (O-E)^2/V
    # 1 138  112  91.5817  4.55228  10.3267
    # 2  90   53  73.4183  5.67850  10.3267
    # Chisq= 10.3 on 1 degrees of freedom, p= 0.00131116
    table, chi2, df, p = logrank_table(lung["time"], lung["status"], lung["sex"])
    assert table["n"].tolist() == [138, 90]
    assert table["observed"].tolist() == [112, 53]
    np.testing.assert_allclose(table["expected"].round(4), [91.5817, 73.4183])
    np.testing.assert_allclose(table["oe2_e"].round(5), [4.55228, 5.67850])
    assert round(chi2, 4) == 10.3267 and df == 1
    assert p == pytest.approx(0.00131116, abs=5e-9)
    assert logrank(lung["time"], lung["status"], lung["sex"]) == (chi2, df, p)


def test_logrank_k_groups_matches_lifelines(lung):
    from lifelines.statistics import multivariate_logrank_test

    d = lung.dropna(subset=["ph.ecog"])
    d = d[d["ph.ecog"] < 3]  # 0, 1, 2 (one patient with 3 dropped)
    chi2, df, p = logrank(d["time"], d["status"], d["ph.ecog"])
    ref = multivariate_logrank_test(d["time"], d["ph.ecog"], d["status"])
    assert df == 2
    assert chi2 == pytest.approx(ref.test_statistic, rel=1e-10)
    assert p == pytest.approx(ref.p_value, rel=1e-8)


def test_logrank_small_example_against_r():
    # R (recorded in lifelines' test suite, test_rank_test_output_against_R_with_censorship):
    # survdiff(Surv(c(10,20,30,10,20,50), c(1,0,1,1,0,1)) ~ c(1,1,1,0,0,0))
    # chisq 0.384615, p 0.535143
    chi2, df, p = logrank([10, 20, 30, 10, 20, 50], [1, 0, 1, 1, 0, 1], [1, 1, 1, 0, 0, 0])
    assert chi2 == pytest.approx(0.384615, abs=1e-6)
    assert p == pytest.approx(0.535143, abs=1e-6)


def test_logrank_needs_two_groups():
    with pytest.raises(ValueError, match="groups"):
        logrank([1, 2], [1, 1], ["a", "a"])


# ------------------------------------------------------------------------------------- Cox
def test_cox_rossi_matches_fox_weisberg(rossi):
    # R: coxph(Surv(week, arrest) ~ fin + age + race + wexp + mar + paro + prio, data = Rossi)
    # printed in Fox & Weisberg, "Cox Proportional-Hazards Regression for Survival Data in R",
    # appendix to An R Companion to Applied Regression (2nd ed., 2011), section 3:
    #          coef exp(coef) se(coef)      z      p
    # fin  -0.37942   0.68426  0.19138 -1.983 0.0474
    # age  -0.05744   0.94418  0.02200 -2.611 0.0090
    # race  0.31390   1.36875  0.30799  1.019 0.3081
    # wexp -0.14980   0.86088  0.21222 -0.706 0.4803
    # mar  -0.43370   0.64810  0.38187 -1.136 0.2561
    # paro -0.08487   0.91863  0.19576 -0.434 0.6646
    # prio  0.09150   1.09581  0.02865  3.194 0.0014
    # Likelihood ratio test=33.27 on 7 df, p=2.362e-05
    terms = ["fin", "age", "race", "wexp", "mar", "paro", "prio"]
    tab = cox_table(rossi, "week", "arrest", terms)
    r = pd.DataFrame(
        {
            "coef": [-0.37942, -0.05744, 0.31390, -0.14980, -0.43370, -0.08487, 0.09150],
            "hr": [0.68426, 0.94418, 1.36875, 0.86088, 0.64810, 0.91863, 1.09581],
            "se": [0.19138, 0.02200, 0.30799, 0.21222, 0.38187, 0.19576, 0.02865],
            "z": [-1.983, -2.611, 1.019, -0.706, -1.136, -0.434, 3.194],
            "p": [0.0474, 0.0090, 0.3081, 0.4803, 0.2561, 0.6646, 0.0014],
        },
        index=terms,
    )
    for col, dec in (("coef", 5), ("hr", 5), ("se", 5), ("z", 3), ("p", 4)):
        np.testing.assert_array_equal(tab[col].round(dec).to_numpy(), r[col].to_numpy(), col)
    assert round(tab.attrs["lr_chi2"], 2) == 33.27 and tab.attrs["lr_df"] == 7
    assert tab.attrs["n"] == 432 and tab.attrs["events"] == 114


def test_cox_lung_age_sex_matches_r(lung):
    # R: summary(coxph(Surv(time, status) ~ age + sex, data = lung)); full digits as printed by
    # broom::tidy in several tutorials, and the rounded table in R's ?summary.coxph example:
    #   age  coef 0.01704533 se 0.009223273 p 0.064591012;  lower .95 0.999 upper .95 1.036
    #   sex  coef -0.51321852 se 0.167457962 p 0.002178445; lower .95 0.431 upper .95 0.831
    #   Likelihood ratio test= 14.1 on 2 df
    tab = cox_table(lung, "time", "status", ["age", "sex"])
    assert tab.loc["age", "coef"] == pytest.approx(0.01704533, abs=5e-9)
    assert tab.loc["age", "se"] == pytest.approx(0.009223273, abs=5e-10)
    assert tab.loc["age", "p"] == pytest.approx(0.064591012, abs=5e-9)
    assert tab.loc["sex", "coef"] == pytest.approx(-0.51321852, abs=5e-9)
    assert tab.loc["sex", "se"] == pytest.approx(0.167457962, abs=5e-10)
    assert tab.loc["sex", "p"] == pytest.approx(0.002178445, abs=5e-10)
    assert tab.loc["age", "hr"].round(4) == 1.0172 and tab.loc["sex", "hr"].round(4) == 0.5986
    assert (round(tab.loc["age", "lower"], 3), round(tab.loc["age", "upper"], 3)) == (0.999, 1.036)
    assert (round(tab.loc["sex", "lower"], 3), round(tab.loc["sex", "upper"], 3)) == (0.431, 0.831)
    assert round(tab.attrs["lr_chi2"], 1) == 14.1


def test_cox_lung_sex_only_matches_r(lung):
    # R: coxph(Surv(time, status) ~ sex, data = lung)   (E. Zabor's tutorial)
    #        coef exp(coef) se(coef)      z       p
    # sex -0.5310    0.5880   0.1672 -3.176 0.00149
    # Likelihood ratio test=10.63  on 1 df
    tab = cox_table(lung, "time", "status", ["sex"])
    assert round(tab.loc["sex", "coef"], 4) == -0.5310
    assert round(tab.loc["sex", "hr"], 4) == 0.5880
    assert round(tab.loc["sex", "se"], 4) == 0.1672
    assert round(tab.loc["sex", "z"], 3) == -3.176
    assert round(tab.loc["sex", "p"], 5) == 0.00149
    assert round(tab.attrs["lr_chi2"], 2) == 10.63


def _cohort_like(seed=20240426, n=82):
    """A seeded cohort-shaped frame: 82 patients, ~80% deaths, ties in monthly times."""
    rng = np.random.default_rng(seed)
    df = pd.DataFrame(
        {
            "age_years": rng.normal(60.5, 10.7, n).round(),
            "albumin_le3": rng.binomial(1, 0.3, n),
            "ast_u_l": rng.lognormal(4.0, 0.7, n).round(),
            "prior_tace_sessions": rng.integers(2, 15, n),
            "additional_tace": rng.binomial(1, 0.32, n),
            "child_pugh_score": rng.choice([5, 6, 7, 8], n, p=[0.45, 0.35, 0.12, 0.08]),
        }
    )
    lin = 0.8 * df["albumin_le3"] + 0.004 * df["ast_u_l"] - 0.6 * df["additional_tace"]
    t = rng.exponential(12 * np.exp(-lin))
    c = rng.uniform(6, 40, n)
    df["os_months"] = np.minimum(t, c).round(1)  # 0.1-month rounding makes ties
    df["os_event"] = (t <= c).astype(int)
    df.loc[df["os_months"] == 0, "os_months"] = 0.1
    return df


def test_cox_matches_statsmodels_phreg_efron_on_cohort_like_frame():
    from statsmodels.duration.hazard_regression import PHReg

    df = _cohort_like()
    assert df["os_months"].duplicated().any()  # ties present, so the tie method matters
    cols = ["age_years", "albumin_le3", "ast_u_l", "prior_tace_sessions", "additional_tace"]
    tab = cox_table(df, "os_months", "os_event", cols)
    res = PHReg(df["os_months"], df[cols], status=df["os_event"], ties="efron").fit()
    np.testing.assert_allclose(tab["coef"], res.params, rtol=1e-7, atol=1e-9)
    np.testing.assert_allclose(tab["se"], res.bse, rtol=1e-6)
    np.testing.assert_allclose(tab["p"], res.pvalues, rtol=1e-5)


def test_cox_categorical_dummies_with_explicit_reference():
    from statsmodels.duration.hazard_regression import PHReg

    df = _cohort_like()
    tab = cox_table(
        df, "os_months", "os_event", ["child_pugh_score"], categorical={"child_pugh_score": 5}
    )
    assert tab.index.tolist() == ["child_pugh_score=6", "child_pugh_score=7", "child_pugh_score=8"]
    x = pd.DataFrame({f"cp{k}": (df["child_pugh_score"] == k).astype(float) for k in (6, 7, 8)})
    res = PHReg(df["os_months"], x, status=df["os_event"], ties="efron").fit()
    np.testing.assert_allclose(tab["coef"], res.params, rtol=1e-7, atol=1e-9)
    with pytest.raises(ValueError, match="reference level 4"):
        cox_table(
            df, "os_months", "os_event", ["child_pugh_score"], categorical={"child_pugh_score": 4}
        )


def test_cox_errors_name_the_column():
    df = _cohort_like()
    with pytest.raises(KeyError, match="no_such"):
        cox_table(df, "os_months", "os_event", ["no_such"])
    df["constant"] = 1.0
    with pytest.raises(ValueError, match="constant"):
        cox_table(df, "os_months", "os_event", ["constant"])


def test_univariate_cox_fits_one_model_per_covariate(lung):
    uni = univariate_cox(lung, "time", "status", ["age", "sex"])
    sex_alone = cox_table(lung, "time", "status", ["sex"])
    assert uni.loc["sex", "coef"] == pytest.approx(sex_alone.loc["sex", "coef"], rel=1e-12)
    assert uni.loc["age", "n"] == 228


# --------------------------------------------------------------------------- PH assumption
PH_DF = pd.DataFrame(
    {
        "var1": [0.209325, 0.693919, 0.443804, 0.065636, 0.386294],
        "T": [5.269797, 6.601666, 7.335846, 11.684092, 12.678458],
    }
)


def test_ph_test_km_matches_r_cox_zph_small_examples():
    # R output recorded in lifelines' test suite (tests/test_statistics.py,
    # test_proportional_hazard_test_with_kmf[_with_some_censorship]):
    # coxph(Surv(T, E) ~ var1); cox.zph(fit, transform = "km")
    #   E = 1,1,1,1,1 -> chisq 0.00971 ;  E = 1,1,1,0,1 -> chisq 1.013802
    d = PH_DF.assign(E=[1, 1, 1, 1, 1])
    assert ph_test(d, "T", "E", ["var1"]).loc["var1", "chi2"] == pytest.approx(0.00971, rel=1e-3)
    d = PH_DF.assign(E=[1, 1, 1, 0, 1])
    assert ph_test(d, "T", "E", ["var1"]).loc["var1", "chi2"] == pytest.approx(1.013802, rel=1e-5)


def test_ph_test_identity_matches_lifelines_and_global_is_consistent(rossi):
    from lifelines import CoxPHFitter
    from lifelines.statistics import proportional_hazard_test

    terms = ["fin", "age", "race", "wexp", "mar", "paro", "prio"]
    mine = ph_test(rossi, "week", "arrest", terms, transform="identity")
    cph = CoxPHFitter().fit(rossi[["week", "arrest", *terms]], "week", "arrest")
    ref = proportional_hazard_test(cph, rossi, time_transform="identity").summary
    np.testing.assert_allclose(mine.loc[terms, "chi2"], ref.loc[terms, "test_statistic"], rtol=1e-5)
    assert mine.loc["GLOBAL", "df"] == 7
    # with one covariate the global test is that covariate's test
    one = ph_test(rossi, "week", "arrest", ["age"], transform="identity")
    assert one.loc["GLOBAL", "chi2"] == pytest.approx(one.loc["age", "chi2"], rel=1e-12)


def test_events_per_variable():
    assert events_per_variable(66, 11) == 6.0
    with pytest.raises(ValueError, match="n_parameters"):
        events_per_variable(10, 0)


# ------------------------------------------------------------------ degenerate comparisons
def test_group_comparison_reasons_and_agreement_with_logrank():
    from analysis.survival import group_comparison, logrank

    t = [1, 2, 3, 4, 5, 6, 7, 8]
    e = [1, 1, 0, 1, 1, 0, 1, 0]
    g = [0, 0, 0, 0, 1, 1, 1, 1]
    res = group_comparison(t, e, g, [1, 0])
    chi2, df, p = logrank(t, e, g)
    assert (
        res["reason"] == "" and res["chi2"] == pytest.approx(chi2) and res["p"] == pytest.approx(p)
    )
    # group 0: deaths at 1, 2, 4 -> S = 3/4, then exactly 1/2 from t=2 to the next death at 4:
    # SPSS takes MIN(t: S(t) <= 0.5) = 2 (the default, ci="spss"); R's survfit the midpoint 3
    assert res["groups"][0]["median"] == 2.0
    assert group_comparison(t, e, g, [1, 0], ci="log")["groups"][0]["median"] == 3.0
    absent = group_comparison(t, e, [0] * 8, [1, 0], labels={1: "treated"})
    assert absent["groups"][1]["reason"] == "nobody in this group"
    assert "nobody in the group “treated”" in absent["reason"] and math.isnan(absent["p"])
    no_events = group_comparison(t, [0] * 8, g, [1, 0])
    assert no_events["reason"] == "no events in either group"
    assert no_events["groups"][1]["reason"] == "no events in this group"


def test_try_cox_table_gives_reasons_instead_of_exceptions():
    from analysis.survival import try_cox_table

    df = pd.DataFrame(
        {"t": [1, 2, 3, 4, 5, 6], "e": [1, 1, 1, 0, 0, 0], "x": [0, 0, 0, 1, 1, 1], "c": [0] * 6}
    )
    table, why = try_cox_table(df, "t", "e", ["c"])
    assert table is None and "do not vary" in why
    table, why = try_cox_table(df, "t", "e", ["x"])  # every event at x = 0: HR -> 0
    assert table is None and "infinity" in why
    table, why = try_cox_table(df.assign(e=0), "t", "e", ["x"])
    assert table is None and "no events" in why
    table, why = try_cox_table(df, "t", "e", ["missing"])
    assert table is None and "missing" in why


def test_try_cox_table_says_runs_off_only_when_the_likelihood_keeps_rising():
    """ "Runs off to infinity" was said of any non-finite value or coefficient beyond 15: of a
    Newton overshoot (a finite maximum the engine missed), of a converged fit with a large
    coefficient and of collinear terms alike. Now only of a fit that does not converge with a
    coefficient still growing, in the term's own scale (a continuous term's per-unit coefficient
    can be small and still run off)."""
    from test_engine import small_ast_cohort

    from analysis.survival import try_cox_table
    from analysis.tables import MULTIVARIABLE_TERMS, design_matrix

    d = design_matrix(small_ast_cohort(), "implied")
    terms = [c for c in d.columns if c.startswith("child_pugh_")] + [
        t for t in MULTIVARIABLE_TERMS if not t.startswith("child_pugh")
    ]
    table, why = try_cox_table(d, "os_months", "os_event", terms, ties="breslow")
    # -19.4 on the recalibrated cohort's re-picked subset (-18.4 before): a finite maximum (no
    # direction of the 11 terms along which the likelihood keeps rising, by linear programming
    # when the subset was picked); moving the coefficient 3 further out lowers it by 3.7
    assert why == "" and round(table.loc["child_pugh_7", "coef"], 1) == -19.4  # finite: shown
    assert table.attrs["converged"]
    from statsmodels.duration.hazard_regression import PHReg

    model = PHReg(d["os_months"], d[terms], status=d["os_event"], ties="breslow")
    beta, k = table["coef"].to_numpy(float), terms.index("child_pugh_7")
    assert np.abs(model.score(beta)).max() < 1e-6  # the maximum
    assert model.loglike(beta - 3.0 * (np.arange(len(terms)) == k)) < model.loglike(beta) - 1
    rng = np.random.default_rng(1)
    ast = np.sort(rng.lognormal(4, 1, 20))[::-1]  # the highest value dies first, all die
    ordered = pd.DataFrame({"t": np.arange(1.0, 21.0), "e": 1, "x": ast, "y": ast * 1000})
    for col in ("x", "y"):
        table, why = try_cox_table(ordered, "t", "e", [col])
        assert table is None and why.startswith(f"the estimate for {col} runs off to infinity")
    twice = ordered.assign(e=rng.permutation([1, 0] * 10), y=2 * ast)
    table, why = try_cox_table(twice, "t", "e", ["x", "y"])
    assert table is None and why.startswith("the terms x, y are collinear"), why


def test_group_comparison_keeps_spss_negative_bound_when_asked():
    """Chapter 6 printed the > 4 prior TACE interval cut at 0.0 under "95% CI (SPSS)"; SPSS
    prints median ± 1.96 SE as it is (chapter 1's Table 1.3 shows −0.6)."""
    from analysis.survival import group_comparison, negative_bound_note

    t, e, g = [1, 1, 2, 5, 9, 9], [1, 1, 1, 1, 1, 1], [0, 0, 0, 0, 1, 1]
    kept = group_comparison(t, e, g, [0], clip_at_zero=False)["groups"][0]
    cut = group_comparison(t, e, g, [0])["groups"][0]
    assert kept["lower"] < 0 and cut["lower"] == 0.0 and kept["upper"] == cut["upper"]
    note = negative_bound_note("x", kept["median"], kept["lower"], kept["upper"])
    assert note.startswith("x: SPSS's interval is the median ± 1.96 SE") and "−0.3" in note
    assert negative_bound_note("x", cut["median"], cut["lower"], cut["upper"]) == ""


def test_scaled_schoenfeld_residuals_give_back_the_ph_test():
    """The residuals Figure 7.2 draws are those the Grambsch–Therneau test sums up: with time
    itself as g, each term's χ² is (c's_j)² / (d V_jj Σc²), c the centred event times, s_j the
    scaled residuals; and they average to the fitted log hazard ratio."""
    from analysis import engine
    from analysis.survival import ph_test, scaled_schoenfeld

    rossi = load_rossi().head(200)
    terms = ["fin", "age", "prio"]
    residuals = scaled_schoenfeld(rossi, "week", "arrest", terms)
    test = ph_test(rossi, "week", "arrest", terms, transform="identity")
    x, t, e = (
        rossi[terms].to_numpy(float),
        rossi["week"].to_numpy(float),
        rossi["arrest"].to_numpy(float),
    )
    fit = engine.cox_fit(x, t, e, ties="efron")
    c = residuals["time"].to_numpy() - residuals["time"].mean()
    d = len(residuals)
    for j, term in enumerate(terms):
        s = residuals[term].to_numpy()
        chi2 = (c @ s) ** 2 / (d * fit.cov[j, j] * (c @ c))
        assert math.isclose(chi2, test.loc[term, "chi2"], rel_tol=1e-9), term
        assert math.isclose(s.mean(), residuals.attrs["beta"][term], rel_tol=1e-9, abs_tol=1e-12)
