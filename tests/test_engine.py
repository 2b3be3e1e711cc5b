"""The survival engine (analysis.engine) against independent implementations and R's printed output.

Oracles: lifelines (Kaplan-Meier, log-rank, Efron Cox, time-varying Cox, concordance),
statsmodels ``PHReg`` (Breslow and Efron ties, left truncation), hand computations, and R's
printed ``survival`` output (cited where used). Tied data are covered on purpose: SPSS uses
Breslow's ties and R Efron's, and they differ only when event times tie.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lifelines import CoxPHFitter, CoxTimeVaryingFitter, KaplanMeierFitter
from lifelines.datasets import load_lung
from lifelines.statistics import logrank_test, multivariate_logrank_test
from lifelines.utils import concordance_index, restricted_mean_survival_time
from statsmodels.duration.hazard_regression import PHReg

from analysis import engine
from analysis.survival import (
    MedianResult,
    cox_model,
    cox_table,
    logrank,
    mean_survival,
    median_survival,
    ph_test,
    try_ph_test,
)

Z = engine.Z95


def _data(seed, n=82, ties=True):
    rng = np.random.default_rng(seed)
    t = rng.exponential(10.0, n)
    t = np.round(t, 0) + 0.5 if ties else t
    e = (rng.random(n) < 0.75).astype(int)
    return t, e, rng


@pytest.fixture(scope="module")
def lung():
    return load_lung()


# ------------------------------------------------------------------------------- medians, rules
def test_median_rules_on_a_constructed_exact_half_plateau():
    # times 1..4, all events, n = 4: S = 3/4, 1/2, 1/4, 0, so S = 0.5 exactly on [2, 3).
    # SPSS: MIN(t_i : S(t_i) <= 0.5) = 2 (IBM SPSS Statistics Algorithms, Kaplan-Meier);
    # R survfit: the midpoint (2 + 3) / 2 = 2.5.
    t, e = [1, 2, 3, 4], [1, 1, 1, 1]
    assert median_survival(t, e, ci="spss").median == 2.0
    assert median_survival(t, e, ci="log").median == 2.5
    assert median_survival(t, e, ci="log-log").median == 2.5
    assert median_survival(t, e, ci="spss", rule="r").median == 2.5
    assert median_survival(t, e, ci="log", rule="spss").median == 2.0
    # SPSS SE by hand: Greenwood at t = 2: S² Σ d/(n(n-d)) = 1/4 · (1/12 + 1/6) = 1/16;
    # u = 1 (S = 3/4 >= 0.55), l = 3 (S = 1/4 <= 0.45): f = (3/4 - 1/4) / (3 - 1) = 1/4;
    # SE = (1/4) / (1/4) = 1
    res = median_survival(t, e, ci="spss")
    assert res.se == pytest.approx(1.0, rel=1e-14)
    assert (res.lower, res.upper) == (pytest.approx(2 - Z), pytest.approx(2 + Z))
    assert engine.median_is_ambiguous(t, e) and res.plateau
    assert not median_survival(range(1, 8), [1] * 7).plateau  # S = 3/7 < 0.5 at t = 4


def test_median_results_unpack_like_tuples_and_read_well():
    res = median_survival(range(1, 8), [1] * 7)
    m, lo, hi = res
    assert (m, lo, hi) == res and res[0] == 4.0 and len(res) == 3
    assert isinstance(res, MedianResult) and res.method == "spss" and res.rule == "spss"
    assert repr(res).startswith("MedianResult(median=4, lower=1.434, upper=6.566")
    text = res.formatted()
    assert text["median"] == "4.0" and text["ci"] == "1.4–6.6"
    nr = median_survival([1, 2, 3], [1, 0, 0])  # S = 2/3: not reached
    assert nr.formatted()["median"] == "not reached"
    assert not median_survival([1, 2, 3], [1, 0, 0], ci="log").plateau
    mean, se = mean_survival([2, 4, 5], [1, 1, 0])
    assert mean == pytest.approx(11 / 3)
    chi2, df, p = logrank([1, 2, 3, 4], [1, 1, 1, 1], [0, 1, 0, 1])
    assert chi2 == pytest.approx(8 / 13) and df == 1


def test_result_glue_calls_myst_nb(monkeypatch):
    import myst_nb

    glued = {}
    monkeypatch.setattr(myst_nb, "glue", lambda k, v, display=True: glued.update({k: (v, display)}))
    median_survival(range(1, 8), [1] * 7).glue("os")
    assert glued["os.median"] == ("4.0", False) and glued["os.ci"] == ("1.4–6.6", False)


@pytest.mark.parametrize("seed", range(8))
def test_spss_median_and_interval_match_lifelines_table_by_hand(seed):
    t, e, _ = _data(seed)
    kmf = KaplanMeierFitter().fit(t, e)
    table = kmf.event_table
    table = table[table["observed"] > 0]
    times = table.index.to_numpy(float)
    r = table["at_risk"].to_numpy(float)
    d = table["observed"].to_numpy(float)
    s = kmf.survival_function_at_times(times).to_numpy()
    gw = np.cumsum(d / (r * (r - d)))
    k = int(np.flatnonzero(s <= 0.5)[0])
    hi = np.flatnonzero(s >= 0.55)
    u, su = (times[hi[-1]], s[hi[-1]]) if hi.size else (0.0, 1.0)
    lo = np.flatnonzero(s <= 0.45)[0]
    se = np.sqrt(s[k] ** 2 * gw[k]) / ((su - s[lo]) / (times[lo] - u))
    med, se_e, lower, upper = engine.spss_median(t, e)
    # lifelines reports the left end of a plateau, as SPSS does: equal on every curve
    assert med == kmf.median_survival_time_ == times[k]
    assert se_e == pytest.approx(se, rel=1e-12)
    assert (lower, upper) == (pytest.approx(med - Z * se), pytest.approx(med + Z * se))


@pytest.mark.parametrize("seed", range(5))
def test_spss_mean_is_lifelines_rmst_to_the_largest_time(seed):
    t, e, _ = _data(seed)
    kmf = KaplanMeierFitter().fit(t, e)
    expected = restricted_mean_survival_time(kmf, t=float(t.max()))
    mean, se = engine.spss_mean(t, e)
    assert mean == pytest.approx(expected, rel=1e-12)
    assert engine.km_summary(t, e)[3] == mean and se > 0


# -------------------------------------------------------------------------------------- log-rank
@pytest.mark.parametrize("seed", range(6))
def test_logrank_matches_lifelines_two_and_three_groups_with_ties(seed):
    t, e, rng = _data(seed)
    g = rng.random(t.size) < 0.4
    ref = logrank_test(t[g], t[~g], e[g], e[~g])
    assert engine.logrank_p(t, e, g) == pytest.approx(ref.p_value, rel=1e-10)
    res = engine.logrank_test(t, e, g)
    assert res.chi2 == pytest.approx(ref.test_statistic, rel=1e-10) and res.df == 1
    g3 = rng.integers(0, 3, t.size)
    ref3 = multivariate_logrank_test(t, g3, e)
    res3 = engine.logrank_test(t, e, g3)
    assert res3.df == 2
    assert res3.chi2 == pytest.approx(ref3.test_statistic, rel=1e-10)
    assert res3.p == pytest.approx(ref3.p_value, rel=1e-10)


# ------------------------------------------------------------------------------------------- Cox
def _phreg(x, t, e, ties, entry=None):
    model = PHReg(t, x, status=e, ties=ties, entry=entry)
    fit = model.fit()
    return fit, model


@pytest.mark.parametrize("ties", ["breslow", "efron"])
def test_cox_lung_age_sex_matches_statsmodels(lung, ties):
    # statsmodels PHReg is an independent implementation of both tie methods (lung has 8 tied
    # death times). R: coxph(Surv(time, status) ~ age + sex, lung) prints, with Efron's ties,
    # coef age 0.017045, sex -0.513219 (?summary.coxph; checked to 8 digits in test_survival).
    x = lung[["age", "sex"]].to_numpy(float)
    t, e = lung["time"].to_numpy(float), lung["status"].to_numpy(float)
    fit = engine.cox_fit(x, t, e, ties=ties)
    ref, model = _phreg(x, t, e, ties)
    assert fit.converged
    np.testing.assert_allclose(fit.beta, ref.params, rtol=0, atol=1e-10)
    np.testing.assert_allclose(fit.se, ref.bse, rtol=0, atol=1e-10)
    assert fit.loglik == pytest.approx(ref.llf, abs=1e-9)
    assert fit.loglik0 == pytest.approx(model.loglike(np.zeros(2)), abs=1e-9)
    wald = float(ref.params @ np.linalg.solve(ref.cov_params(), ref.params))
    assert fit.wald == pytest.approx(wald, rel=1e-9)
    if ties == "efron":
        assert round(fit.beta[0], 6) == 0.017045 and round(fit.beta[1], 6) == -0.513219


def test_cox_lung_global_tests_and_concordance_match_r(lung):
    # R 4.x: summary(coxph(Surv(time, status) ~ age + sex, data = lung)) prints
    #   Concordance= 0.603  (se = 0.025 )
    #   Likelihood ratio test= 14.12  on 2 df,   p=9e-04
    #   Wald test            = 13.47  on 2 df,   p=0.001
    #   Score (logrank) test = 13.72  on 2 df,   p=0.001
    model = cox_model(lung, "time", "status", ["age", "sex"])
    assert round(model.lr, 2) == 14.12 and round(model.wald, 2) == 13.47
    assert round(model.score, 2) == 13.72 and model.df == 2
    assert round(model.concordance, 3) == 0.603
    # lifelines' concordance of the same linear predictor (independent implementation)
    lp = lung[["age", "sex"]].to_numpy(float) @ model.table["coef"].to_numpy()
    ref = concordance_index(lung["time"], -lp, lung["status"])
    assert model.concordance == pytest.approx(ref, abs=1e-15)
    text = model.formatted()
    assert text["lr"] == "14.12" and text["ties"] == "Efron"


def test_breslow_score_test_by_hand_on_tied_lung(lung):
    # lung has tied death times. At beta = 0 the Breslow score is U = sum_j (d_j1 - d_j n_j1 / n_j)
    # with information I = sum_j d_j (n_j1 / n_j)(1 - n_j1 / n_j) (Collett 2015, section 3.9); the
    # log-rank test uses the same U with the hypergeometric variance, which differs only by the
    # ties factor (n_j - d_j)/(n_j - 1). R's survdiff(Surv(time, status) ~ sex, lung) prints
    # Chisq = 10.3, which the engine's log-rank reproduces.
    t, e = lung["time"].to_numpy(float), lung["status"].to_numpy(int)
    male = (lung["sex"] == 1).to_numpy(float)
    assert pd.Series(t[e == 1]).duplicated().any()  # tied death times
    u = info = hyper = 0.0
    for time in np.unique(t[e == 1]):
        at_risk = t >= time
        n, n1 = at_risk.sum(), (at_risk & (male == 1)).sum()
        dead = (t == time) & (e == 1)
        d, d1 = dead.sum(), (dead & (male == 1)).sum()
        u += d1 - d * n1 / n
        info += d * (n1 / n) * (1 - n1 / n)
        hyper += d * (n1 / n) * (1 - n1 / n) * ((n - d) / (n - 1) if n > 1 else 1.0)
    fit = engine.cox_fit(male, t, e, ties="breslow")
    assert fit.score == pytest.approx(u * u / info, rel=1e-10)
    logrank = engine.logrank_test(t, e, male).chi2
    assert logrank == pytest.approx(u * u / hyper, rel=1e-10)
    assert round(logrank, 1) == 10.3


def test_score_test_is_the_logrank_test_without_ties():
    # with no tied times the Cox score test of a binary covariate is the log-rank test
    t, e, rng = _data(4, ties=False)
    g = (rng.random(t.size) < 0.5).astype(float)
    fit = engine.cox_fit(g, t, e, ties="breslow")
    assert fit.score == pytest.approx(engine.logrank_test(t, e, g).chi2, rel=1e-10)


@pytest.mark.parametrize("ties", ["breslow", "efron"])
def test_cox_on_tied_cohort_like_data_matches_statsmodels_and_lifelines(ties):
    t, e, rng = _data(7)  # times rounded to whole months: many ties
    x = np.column_stack([rng.standard_normal(t.size), rng.random(t.size) < 0.4])
    fit = engine.cox_fit(x, t, e, ties=ties)
    ref, _ = _phreg(x, t, e, ties)
    np.testing.assert_allclose(fit.beta, ref.params, rtol=0, atol=1e-10)
    np.testing.assert_allclose(fit.se, ref.bse, rtol=0, atol=1e-10)
    if ties == "efron":
        frame = pd.DataFrame(x, columns=["a", "b"]).assign(t=t, e=e)
        cph = CoxPHFitter().fit(frame, "t", "e", fit_options={"precision": 1e-12})
        np.testing.assert_allclose(fit.beta, cph.params_.to_numpy(), rtol=0, atol=1e-9)
        assert fit.lr == pytest.approx(cph.log_likelihood_ratio_test().test_statistic, rel=1e-9)
    # Breslow vs Efron differ on tied data (the reason cox_table offers both)
    other = engine.cox_fit(x, t, e, ties="efron" if ties == "breslow" else "breslow")
    assert np.abs(fit.beta - other.beta).max() > 1e-4


#: 30 patients of data/cohort.csv (``SYNnnn``), AST 10-363 U/L, 22 deaths: a small cohort like a
#: review's (30 patients, AST up to 422 U/L), on which chapter 7 printed the per-U/L AST hazard
#: ratio as "not estimable ... runs off to infinity" while lifelines fitted it. Re-picked when the
#: cohort's AST, CRP, tumour number and bilirubin were recalibrated (on the 30 picked before,
#: plain Newton now converged from 0): SYN012, 055, 078 and 081 gave way to SYN042, 047,
#: 048 and 076 (each of the same event status), so that the first Newton step from 0 again lowers the
#: log-likelihood, univariate and multivariable.
SMALL_AST_COHORT = [2, 4, 7, 13, 17, 20, 24, 25, 26, 30, 31, 33, 34, 36, 37, 41, 42, 45, 47, 48]
SMALL_AST_COHORT += [51, 58, 59, 66, 67, 73, 76, 77, 79, 82]


def small_ast_cohort() -> pd.DataFrame:
    """:data:`SMALL_AST_COHORT`'s rows of the book's cohort."""
    from analysis.cohort import load_cohort

    cohort = load_cohort()
    return cohort[cohort["patient_id"].isin([f"SYN{i:03d}" for i in SMALL_AST_COHORT])]


@pytest.mark.filterwarnings("ignore::statsmodels.tools.sm_exceptions.ConvergenceWarning")
@pytest.mark.parametrize("ties", ["breslow", "efron"])
def test_cox_on_a_covariate_of_large_spread_halves_its_steps_and_matches_oracles(ties):
    """Per U/L of AST (spread 353) the Newton steps from 0 overshoot: the log-likelihood falls
    (Efron -56.96 at 0, -58.12 after the first step; Breslow -56.99, -57.69) and the steps swing
    ever wider until exp() overflows. Without step-halving the engine ended at beta 1.79
    (Breslow) or 0.22 (Efron) after 50 iterations (converged=False); with it (R's coxph) it
    converges in 6 iterations, the step of iteration 2 halved once. statsmodels' own Newton from
    0 diverges here too (NaN), so its BFGS is the oracle; lifelines (Efron) fits it."""
    s = small_ast_cohort()
    t, e = s["os_months"].to_numpy(float), s["os_event"].to_numpy(float)
    x = s["ast_u_l"].to_numpy(float)
    assert len(s) == 30 and x.min() == 10 and x.max() == 363 and e.sum() == 22
    fit = engine.cox_fit(x, t, e, ties=ties)
    assert fit.converged and fit.iterations <= 10
    model = PHReg(t, x[:, None], status=e, ties=ties)
    # the edge case itself: the full first Newton step from 0 lowers the log-likelihood (by 0.70
    # with Breslow's ties, 1.17 with Efron's), so the engine must halve to converge
    zero = np.zeros(1)
    newton = -model.score(zero) / model.hessian(zero)[0]
    assert model.loglike(newton) < model.loglike(zero) - 0.5
    ref = model.fit(method="bfgs", gtol=1e-10, maxiter=1000)
    assert fit.beta[0] == pytest.approx(ref.params[0], rel=1e-6)
    assert fit.se[0] == pytest.approx(ref.bse[0], rel=1e-6)
    assert fit.loglik == pytest.approx(model.loglike(fit.beta), abs=1e-9)
    assert fit.loglik >= model.loglike(ref.params) - 1e-12  # the maximum, not a point beside it
    if ties == "efron":
        frame = pd.DataFrame({"t": t, "e": e, "ast": x})
        cph = CoxPHFitter().fit(frame, "t", "e", fit_options={"precision": 1e-12})
        assert fit.beta[0] == pytest.approx(cph.params_["ast"], rel=1e-6)
        assert fit.se[0] == pytest.approx(cph.standard_errors_["ast"], rel=1e-6)
        assert round(math.exp(fit.beta[0]), 4) == 1.0103  # lifelines: 1.010337
    else:
        assert round(math.exp(fit.beta[0]), 4) == 1.01  # statsmodels (BFGS): 1.009991
    # the same from a far start (beta0), and a genuinely monotone likelihood still diverges
    assert engine.cox_fit(x, t, e, ties=ties, beta0=[1.0]).beta[0] == pytest.approx(
        fit.beta[0], rel=1e-9
    )
    first = np.argsort(-x)  # the highest AST dies first, every patient dies
    mono = engine.cox_fit(x[first] * 1000, np.arange(1.0, 31.0), np.ones(30), ties=ties)
    assert not mono.converged and mono.beta[0] * 353e3 > 15 and math.isfinite(mono.loglik)


@pytest.mark.filterwarnings("ignore::statsmodels.tools.sm_exceptions.ConvergenceWarning")
def test_cox_step_halving_on_a_multivariable_overshoot_matches_statsmodels():
    """The small cohort's multivariable Table 2 model (11 terms, AFP per ng/mL up to 348,100):
    the first Newton step, clipped to ±5 term by term, lowers the log-likelihood; halving it as
    it stands never climbs (a clipped step need not point uphill), so the first halving takes the
    Newton direction scaled to 5 instead (one halving, at iteration 2; halving the clipped step
    instead ends after 50 iterations at a log-likelihood of -45.3, not converged). The fit
    converges in 12 iterations to statsmodels' maximum, a finite one (Child-Pugh 7's coefficient
    -19.4 with SE 9.3: large, not infinite; no direction of the 11 terms along which the partial
    likelihood keeps rising)."""
    from analysis.tables import MULTIVARIABLE_TERMS, design_matrix

    d = design_matrix(small_ast_cohort(), "implied")
    terms = [c for c in d.columns if c.startswith("child_pugh_")] + [
        t for t in MULTIVARIABLE_TERMS if not t.startswith("child_pugh")
    ]
    x = d[terms].to_numpy(float)
    t, e = d["os_months"].to_numpy(float), d["os_event"].to_numpy(float)
    fit = engine.cox_fit(x, t, e, ties="breslow")
    assert fit.converged and len(terms) == 11
    model = PHReg(t, x, status=e, ties="breslow")
    # the edge case itself: the Newton step from 0 is clipped, and the clipped step falls
    zero = np.zeros(len(terms))
    newton = np.linalg.solve(-model.hessian(zero), model.score(zero))
    assert np.abs(newton).max() > 5
    assert model.loglike(np.clip(newton, -5, 5)) < model.loglike(zero)
    # the oracle: statsmodels' BFGS from 0 comes near, its Newton from there polishes
    near = model.fit(method="bfgs", gtol=1e-8, maxiter=5000).params
    ref = model.fit(start_params=near)
    assert fit.loglik == pytest.approx(model.loglike(fit.beta), abs=1e-9)
    assert fit.loglik >= ref.llf - 1e-9 and np.abs(model.score(fit.beta)).max() < 1e-6
    np.testing.assert_allclose(fit.beta, ref.params, rtol=1e-6, atol=1e-9)
    np.testing.assert_allclose(fit.se, ref.bse, rtol=1e-6, atol=1e-9)
    # -19.4 (SE 9.3) since the cohort's recalibration and the subset's re-pick (-18.4, SE 8.5
    # before); still a finite maximum (see test_survival's try_cox_table test)
    k = terms.index("child_pugh_7")
    assert round(fit.beta[k], 1) == -19.4 and round(fit.se[k], 1) == 9.3


def test_cox_table_ties_breslow_matches_statsmodels_in_the_table():
    t, e, rng = _data(11)
    df = pd.DataFrame({"t": t, "e": e, "a": rng.standard_normal(t.size), "b": rng.random(t.size)})
    tab = cox_table(df, "t", "e", ["a", "b"], ties="breslow")
    ref, _ = _phreg(df[["a", "b"]].to_numpy(), t, e, "breslow")
    np.testing.assert_allclose(tab["coef"], ref.params, atol=1e-10)
    np.testing.assert_allclose(tab["p"], ref.pvalues, atol=1e-10)
    np.testing.assert_allclose(tab["lower"], np.exp(ref.conf_int()[:, 0]), rtol=1e-8)
    assert tab.attrs["ties"] == "breslow"
    with pytest.raises(ValueError, match="ties"):
        cox_table(df, "t", "e", ["a"], ties="exact")


@pytest.mark.parametrize("ties", ["breslow", "efron"])
def test_counting_process_start_stop_matches_statsmodels_and_lifelines(ties):
    t, e, rng = _data(5)
    n = t.size
    start = np.where(rng.random(n) < 0.4, np.floor(t * rng.random(n)), 0.0)
    x = rng.standard_normal((n, 2))
    fit = engine.cox_fit(x, t, e, start=start, ties=ties)
    ref, _ = _phreg(x, t, e, ties, entry=start)
    np.testing.assert_allclose(fit.beta, ref.params, rtol=0, atol=1e-10)
    np.testing.assert_allclose(fit.se, ref.bse, rtol=0, atol=1e-10)
    if ties == "efron":
        long = pd.DataFrame(x, columns=["a", "b"]).assign(id=range(n), start=start, stop=t, e=e)
        ctv = CoxTimeVaryingFitter().fit(
            long, id_col="id", event_col="e", start_col="start", stop_col="stop"
        )
        np.testing.assert_allclose(fit.beta, ctv.params_.to_numpy(), rtol=0, atol=1e-8)


def test_vectorised_univariate_breslow_equals_single_fits():
    t, e, rng = _data(2)
    x = rng.standard_normal((t.size, 4))
    beta, se, _ = engine.cox_univariate_breslow(x, t, e)
    for k in range(4):
        one = engine.cox_fit(x[:, k], t, e, ties="breslow")
        assert beta[k] == pytest.approx(one.beta[0], abs=1e-12)
        assert se[k] == pytest.approx(one.se[0], rel=1e-9)


def test_concordance_matches_lifelines_with_tied_times_and_risks():
    t, e, rng = _data(9)
    risk = rng.integers(0, 5, t.size).astype(float)  # tied risks count one half
    assert engine.concordance(t, e, risk) == pytest.approx(
        concordance_index(t, -risk, e), abs=1e-15
    )


# ------------------------------------------------------------------------------------- ph_test
def test_ph_test_explains_when_every_event_is_at_the_same_time():
    df = pd.DataFrame({"t": [5, 5, 5, 7, 8, 9], "e": [1, 1, 1, 0, 0, 0], "x": [0, 1, 0, 1, 1, 0]})
    with pytest.raises(ValueError, match="same time"):
        ph_test(df, "t", "e", ["x"])
    table, why = try_ph_test(df, "t", "e", ["x"])
    assert table is None and "same time" in why


# ------------------------------------------------------------------------------ property tests
times = st.lists(
    st.tuples(st.integers(1, 30).map(float), st.sampled_from([0, 1])), min_size=1, max_size=40
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(times)
def test_km_is_a_survival_curve_and_medians_never_raise(rows):
    t = np.array([r[0] for r in rows])
    e = np.array([r[1] for r in rows])
    _, n, d, _ = engine.event_table(t, e)
    s, _ = engine.km_curve(n, d)
    assert np.all((s >= 0) & (s <= 1)) and np.all(np.diff(s) <= 0)
    for ci in ("spss", "log", "log-log"):
        res = median_survival(t, e, ci=ci)
        if not math.isnan(res.median):
            assert res.median in set(t) or res.rule == "r"
            assert not res.lower > res.median + 1e-9 or math.isnan(res.lower)
    mean, se = mean_survival(t, e)
    if e.any():
        assert 0 <= mean <= t.max() + 1e-9
    else:  # no event: the area would be the longest follow-up, one patient's time
        assert math.isnan(mean) and mean_survival(t, e).reason


@pytest.mark.parametrize(
    "t, e",
    [([3.0], [1]), ([3.0], [0]), ([1, 2, 3], [0, 0, 0]), ([4, 4, 4, 4], [1, 1, 1, 1])],
    ids=["one patient", "one censored", "all censored", "all events at once"],
)
def test_median_survival_edge_cases_give_numbers_or_nan(t, e):
    for ci in ("spss", "log", "log-log"):
        m, lo, hi = median_survival(t, e, ci=ci)
        assert math.isnan(m) or m in t


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.floats(0.1, 50), st.booleans(), st.floats(-3, 3)),
        min_size=4,
        max_size=40,
        unique_by=lambda r: r[0],
    )
)
def test_breslow_equals_efron_without_ties(rows):
    t, e, x = (np.array(c, dtype=float) for c in zip(*rows, strict=True))
    if e.sum() < 2 or np.ptp(x) == 0:
        return
    b = engine.cox_fit(x, t, e, ties="breslow")
    f = engine.cox_fit(x, t, e, ties="efron")
    if b.converged and abs(b.beta[0]) < 10:
        assert f.beta[0] == b.beta[0] and f.loglik == b.loglik


def test_the_package_needs_no_lifelines_at_runtime():
    # lifelines and statsmodels are test oracles only: the survival modules must not import them
    import subprocess
    import sys

    code = (
        "import sys, analysis.engine, analysis.survival, analysis.bias, analysis.synthesis;"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('lifelines', 'statsmodels')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_breslow_matches_r_printed_output_on_tied_data():
    """R's survival package, tests/book1.R (Therneau and Grambsch, appendix, data set 1; printed
    in tests/book1.Rout.save): ``coxph(Surv(time, status) ~ x, test1, method = "breslow")`` on
    times 9, 1, 1, 6, 6, 8 (a death and a censoring tied at 1, two deaths tied at 6; the row with
    a missing status left out). R asserts coef = log(1.5 + sqrt(33)/2) and prints, for the
    centred linear predictor (x = 1 against the mean 1/2), lp 0.7376425 with se.fit 0.6278672:
    so coef = 2 x 0.7376425 and its SE = 2 x 0.6278672, to R's seven printed digits."""
    fit = engine.cox_fit([0, 1, 1, 1, 0, 0], [9, 1, 1, 6, 6, 8], [1, 1, 0, 1, 1, 0], ties="breslow")
    assert abs(fit.beta[0] - math.log(1.5 + math.sqrt(33) / 2)) < 1e-9
    assert round(fit.beta[0] / 2, 7) == 0.7376425
    assert round(fit.se[0] / 2, 7) == 0.6278672
