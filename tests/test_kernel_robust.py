"""Results that must not hang on the last bits of OpenBLAS's kernels (a processor without AVX-512).

On such a machine (Haswell kernels) chapter 9's bootstrap counted 17 failed fits where the
golden notebook, made with SkylakeX kernels, said 16, and two collinear terms were called
"runs off to infinity" instead of "collinear": a Newton step on a singular or flat likelihood
fails on one set of kernels and returns rounding noise on another. These tests pin the
decisions that replaced them: a flat likelihood along a large coefficient, and a linear
dependence read from the data.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis import bias, engine, survival


def _separated(n=40, seed=3):
    rng = np.random.default_rng(seed)
    x = np.r_[np.ones(n // 2), np.zeros(n // 2)]
    t = np.r_[rng.uniform(1, 5, n // 2), rng.uniform(6, 9, n // 2)]
    e = np.r_[np.ones(n // 2), np.zeros(n // 2)]  # every death among x = 1
    z = rng.normal(size=n)
    return np.c_[x, z], t, e


@pytest.mark.parametrize("b", [37.0, 45.0, 200.0])
def test_a_separated_term_runs_off_wherever_newton_stopped(b):
    """Rounding hides the term from about ``|b| = 37``: wherever Newton-Raphson stopped beyond,
    converged or not, the term runs off (below, a fit that does not converge is judged by
    ``|b| * range`` alone, :func:`analysis.survival.cox_model`)."""
    x, t, e = _separated()
    fit = engine.cox_fit(x, t, e)
    assert not fit.converged
    beta = fit.beta.copy()
    beta[0] = b
    assert engine.monotone_terms(x, t, e, beta).tolist() == [True, False]
    assert engine.monotone_terms(x, t, e, [np.inf, 0.0]).tolist() == [True, False]


def test_chapter_09_bootstrap_large_ratios_are_finite_and_separations_run_off():
    """In chapter 9's bootstrap (seed 2024, 200 resamples) genuine fits reach ``|b| * range`` of
    70 (AFP in ng/mL, a skewed term; two beyond twice :data:`analysis.engine.RUNS_OFF`, 30.6 and
    70.4), and four resamples separate Child-Pugh 8 (``|b|`` 36 to 44 where Newton-Raphson
    stops): only those four run off, though a genuine fit lies beyond all four, so no cut on
    ``|b| * range`` alone could tell them apart. (On the cohort before the calibration pass that
    moved AST, CRP, tumour number and bilirubin, genuine fits reached 43 and the separations 45
    to 52; the count of large fits was taken above 40.)"""
    from analysis.cohort import load_cohort

    design = bias.multivariable_design(load_cohort())
    terms = [c for c in design.columns if c not in ("os_months", "os_event")]
    x_all = design[terms].to_numpy(float)
    t_all, e_all = design["os_months"].to_numpy(float), design["os_event"].to_numpy(float)
    rng = np.random.default_rng(2024)
    genuine, off, separated = [], [], []
    for i in range(200):
        rows = rng.integers(0, len(design), len(design))
        x, t, e = x_all[rows], t_all[rows], e_all[rows]
        if np.any(np.ptp(x, axis=0) == 0):
            continue
        with np.errstate(all="ignore"):
            fit = engine.cox_fit(x, t, e)
        runs = engine.monotone_terms(x, t, e, fit.beta)
        far = np.abs(fit.beta) * np.ptp(x, axis=0)
        if runs.any():
            off.append((i, [terms[j] for j in np.flatnonzero(runs)]))
            separated.extend(far[runs])
        else:
            genuine.append(np.nanmax(far))
    assert off == [(i, ["child_pugh_8"]) for i in (72, 100, 143, 147)]
    large = sum(g > 2 * engine.RUNS_OFF for g in genuine)  # large but finite: 30.6 and 70.4
    assert large >= 2, sorted(genuine)[-5:]
    assert max(genuine) > max(separated), (sorted(genuine)[-5:], separated)


def test_collinear_terms_are_read_from_the_data_at_any_scale():
    rng = np.random.default_rng(1)
    x = rng.lognormal(4, 1, 20)
    other = rng.normal(size=20)
    assert engine.collinear_terms(np.c_[x, 1000 * x, other]).tolist() == [True, True, False]
    assert engine.collinear_terms(np.c_[x, 2 * x + 3, other]).tolist() == [True, True, False]
    assert engine.collinear_terms(np.c_[x, x + 1e-3 * other]).tolist() == [False, False]
    assert engine.collinear_terms(np.c_[x, np.ones(20)]).tolist() == [False, True]
    # a constant 0.1 is not centred to exact zeros: it is found by its range, not its norm
    assert engine.collinear_terms(np.c_[np.full(7, 0.1), np.arange(7.0)]).tolist() == [True, False]


def test_cox_model_says_collinear_not_runs_off():
    rng = np.random.default_rng(1)
    ast = np.sort(rng.lognormal(4, 1, 20))[::-1]
    d = pd.DataFrame(
        {"t": np.arange(1.0, 21.0), "e": rng.permutation([1, 0] * 10), "x": ast, "y": 2 * ast}
    )
    model = survival.cox_model(d, "t", "e", ["x", "y"])
    assert not model.converged and model.reason.startswith("the terms x, y are collinear")
    assert model.table.attrs["collinear"] == ["x", "y"] and model.table.attrs["monotone"] == []
    table, why = survival.try_cox_table(d, "t", "e", ["x", "y"])
    assert table is None and why.startswith("the terms x, y are collinear in this cohort")


def test_cox_model_calls_a_converged_run_off_fit_monotone(monkeypatch):
    """Newton-Raphson reports convergence once rounding hides the separated term (the step is
    0): the table still says the ratio is infinite."""
    x, t, e = _separated()
    d = pd.DataFrame({"t": t, "e": e, "x": x[:, 0], "z": x[:, 1]})
    true_fit = engine.cox_fit

    def converged_by_rounding(*args, **kwargs):
        fit = true_fit(*args, **kwargs)
        beta = fit.beta.copy()
        beta[0] = 45.0
        return fit._replace(beta=beta, converged=True)

    monkeypatch.setattr(engine, "cox_fit", converged_by_rounding)
    model = survival.cox_model(d, "t", "e", ["x", "z"])
    assert not model.converged and model.reason.startswith("monotone likelihood")
    assert model.table.loc["x", "hr"] == np.inf and model.table.attrs["monotone"] == ["x"]


def test_bootstrap_fails_a_converged_run_off_fit_and_a_constant_term(monkeypatch):
    x, t, e = _separated()
    design = pd.DataFrame({"x": x[:, 0], "z": x[:, 1], "t": t, "e": e})
    honest = bias.optimism_corrected_concordance(design, "t", "e", n_boot=20, seed=1)
    true_fit = engine.cox_fit

    def converged_by_rounding(*args, **kwargs):
        fit = true_fit(*args, **kwargs)
        return fit._replace(beta=np.where(np.isfinite(fit.beta), fit.beta, 45.0), converged=True)

    monkeypatch.setattr(engine, "cox_fit", converged_by_rounding)
    fooled = bias.optimism_corrected_concordance(design, "t", "e", n_boot=20, seed=1)
    assert (fooled["n_boot"], fooled["failed"]) == (honest["n_boot"], honest["failed"]) == (0, 20)
