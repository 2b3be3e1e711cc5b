"""The survival engine on a large cohort: no work or memory quadratic in the number of patients.

A researcher's cohort of 10,000 patients ran chapter 7 for 12 minutes (8 GB resident, half of
it system time) and chapter 9 for longer: Efron's tie correction and the ``(start, stop]`` risk
sets were dense matrices of events by rows, multiplied by (rows, terms) and (rows, terms, terms)
arrays; Harrell's concordance compared every pair of patients (in (n, n) arrays, a gigabyte at
10,000, and chapter 9's bootstrap computes it 400 times); :func:`analysis.engine.collinear_terms`
asked LAPACK for the full n-by-n U of its SVD; :func:`analysis.bias.to_counting_process` looped
over patients in Python for each of the null simulation's studies.

Now inputs above ``engine._DENSE_RISK_SETS`` cells take running sums. The oracles here are the
dense path itself (the R-parity tests of tests/test_engine.py run it: the book's and the
calibration's arithmetic, bit for bit), lifelines on a large tied cohort, and a verbatim copy of
each former function. The time bounds are generous (each case takes a fraction of it here) and
the quadratic paths would break them by far, or are checked not to be taken.
"""

from __future__ import annotations

import math
import time

import numpy as np
import pandas as pd
import pytest
from lifelines import CoxPHFitter, CoxTimeVaryingFitter

from analysis import COHORT_CSV, bias, engine
from analysis.cohort import load_cohort


def _cohort(seed, n, p=3, ties=True):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, p))
    x[:, 0] = rng.integers(0, 2, n)
    t = rng.exponential(8.0, n) * np.exp(-0.4 * x[:, 0]) + 0.05
    t = np.round(t, 0 if ties else 3) + 0.5  # whole months: many tied events
    e = (rng.random(n) < 0.75).astype(float)
    return x, t, e


def _counting(seed, n):
    """(start, stop] rows of ``n`` patients, some split at an exposure (two rows)."""
    rng = np.random.default_rng(seed)
    sim = bias.simulate_null_exposure(n, seed=seed, hazard_ratio=1.3)
    sim["os_months"] = np.round(sim["os_months"], 1) + 0.1  # ties
    sim["additional_tace_month"] = np.round(sim["additional_tace_month"], 1)
    long = bias.to_counting_process(sim)
    z = rng.normal(size=len(long))
    return long, np.column_stack([long["exposed"], z])


def _dense(monkeypatch, on: bool):
    monkeypatch.setattr(engine, "_DENSE_RISK_SETS", 2**62 if on else -1)


def _close(a, b, rtol=1e-10):
    a, b = np.asarray(a, float), np.asarray(b, float)
    assert np.allclose(a, b, rtol=rtol, atol=rtol * max(1.0, float(np.max(np.abs(b))))), (a, b)


# --------------------------------------------------------------- running sums = dense sums
@pytest.mark.parametrize("ties", ["efron", "breslow"])
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_running_sums_fit_what_the_dense_risk_sets_fit(monkeypatch, seed, ties):
    x, t, e = _cohort(seed, 300)
    _dense(monkeypatch, True)
    dense = engine.cox_fit(x, t, e, ties=ties)
    dense_sch = engine.schoenfeld_residuals(x, t, e, dense.beta, ties=ties)
    _dense(monkeypatch, False)
    running = engine.cox_fit(x, t, e, ties=ties)
    running_sch = engine.schoenfeld_residuals(x, t, e, dense.beta, ties=ties)
    assert dense.converged and running.converged
    _close(running.beta, dense.beta)
    _close(running.se, dense.se)
    _close(running.cov, dense.cov)
    assert math.isclose(running.loglik, dense.loglik, rel_tol=1e-12)
    assert math.isclose(running.score, dense.score, rel_tol=1e-10)
    _close(running_sch[1], dense_sch[1])
    assert np.array_equal(running_sch[0], dense_sch[0])


@pytest.mark.parametrize("seed", [4, 5])
def test_running_sums_fit_counting_process_rows_as_the_dense_risk_sets(monkeypatch, seed):
    long, x = _counting(seed, 400)
    args = (x, long["stop"], long["event"])
    _dense(monkeypatch, True)
    dense = engine.cox_fit(*args, start=long["start"], ties="efron")
    _dense(monkeypatch, False)
    running = engine.cox_fit(*args, start=long["start"], ties="efron")
    assert dense.converged and running.converged
    _close(running.beta, dense.beta)
    _close(running.se, dense.se)
    assert math.isclose(running.loglik, dense.loglik, rel_tol=1e-12)


def test_a_row_entering_at_or_after_its_exit_is_never_at_risk_in_either_path(monkeypatch):
    long, x = _counting(6, 200)
    start = long["start"].to_numpy().copy()
    start[[3, 10]] = long["stop"].to_numpy()[[3, 10]] + np.array([0.0, 2.0])
    fits = []
    for on in (True, False):
        _dense(monkeypatch, on)
        fits.append(engine.cox_fit(x, long["stop"], long["event"], start=start, ties="efron"))
    _close(fits[1].beta, fits[0].beta)
    assert math.isclose(fits[1].loglik, fits[0].loglik, rel_tol=1e-12)


def test_a_large_tied_cohort_fits_as_lifelines_fits_it():
    """Independent oracle on the running-sum path: lifelines' Efron fit, 3,000 patients."""
    x, t, e = _cohort(7, 3000)
    rs = engine._RiskSets(x, t, e, None, "efron")
    assert not rs.dense and rs.efron and rs.tied is None
    fit = engine.cox_fit(x, t, e, ties="efron")
    df = pd.DataFrame(x, columns=["a", "b", "c"]).assign(t=t, e=e)
    ll = CoxPHFitter().fit(df, "t", "e")
    _close(fit.beta, ll.params_.to_numpy(), rtol=1e-6)
    _close(fit.se, ll.standard_errors_.to_numpy(), rtol=1e-6)


def test_a_large_time_varying_fit_fits_as_lifelines_fits_it():
    long, x = _counting(8, 3000)
    fit = engine.cox_fit(x, long["stop"], long["event"], start=long["start"], ties="efron")
    df = long.assign(z=x[:, 1])
    ll = CoxTimeVaryingFitter().fit(
        df[["id", "start", "stop", "event", "exposed", "z"]], id_col="id", event_col="event",
        start_col="start", stop_col="stop",
    )  # fmt: skip
    _close(fit.beta, ll.params_.to_numpy(), rtol=1e-6)
    _close(fit.se, ll.standard_errors_.to_numpy(), rtol=1e-6)


def test_the_books_cohort_keeps_the_dense_path():
    """The book's numbers (and the calibration's) are the dense path's, bit for bit: its fits,
    its bootstrap resamples and the null simulation's studies of 82 patients stay below it."""
    cohort = load_cohort(COHORT_CSV)
    for time_col, event_col in (("os_months", "os_event"), ("pfs_months", "pfs_event")):
        rs = engine._RiskSets(
            np.zeros(len(cohort)), cohort[time_col], cohort[event_col], None, "efron"
        )
        assert rs.dense
    long = bias.to_counting_process(cohort)
    assert engine._RiskSets(
        long["exposed"], long["stop"], long["event"], long["start"], "efron"
    ).dense
    sim = bias.to_counting_process(bias.simulate_null_exposure(82, seed=1))
    assert engine._RiskSets(sim["exposed"], sim["stop"], sim["event"], sim["start"], "efron").dense


# ------------------------------------------------------------------------- time and memory
def test_large_efron_and_counting_fits_take_no_quadratic_path():
    """20,000 patients: the dense matrices would be 20,000 x 15,000 (2.4 GB each) and their
    (events, rows, terms) products 7 GB; the running sums take well under a second a fit."""
    x, t, e = _cohort(9, 20_000)
    rs = engine._RiskSets(x, t, e, None, "efron")
    assert rs.tied is None and not hasattr(rs, "at_risk")
    started = time.process_time()
    fit = engine.cox_fit(x, t, e, ties="efron")
    long, xl = _counting(10, 20_000)
    tv = engine.cox_fit(xl, long["stop"], long["event"], start=long["start"], ties="efron")
    assert time.process_time() - started < 20
    assert fit.converged and tv.converged


def test_collinear_terms_of_a_tall_matrix_asks_for_no_n_by_n_factor():
    """The full U of 30,000 rows is 7.2 GB: asked for, this would fail or take minutes."""
    rng = np.random.default_rng(11)
    x = rng.normal(size=(30_000, 4))
    x = np.column_stack([x, x[:, 0] + 2 * x[:, 1]])
    started = time.process_time()
    assert engine.collinear_terms(x).tolist() == [True, True, False, False, True]
    assert time.process_time() - started < 5
    assert engine.collinear_terms(x[:3]).tolist() == [True, True, True, True, True]


# ------------------------------------------------------------------------------- concordance
def concordance_all_pairs(time, event, risk) -> float:
    """``engine.concordance`` as it was (verbatim): every pair in (n, n) arrays."""
    t = np.asarray(time, dtype=float)
    e = np.asarray(event, dtype=float) > 0
    r = np.asarray(risk, dtype=float)
    earlier = (t[:, None] < t[None, :]) | ((t[:, None] == t[None, :]) & ~e[None, :])
    comparable = e[:, None] & earlier
    n = comparable.sum()
    if n == 0:
        return math.nan
    diff = r[:, None] - r[None, :]
    score = (comparable & (diff > 0)).sum() + 0.5 * (comparable & (diff == 0)).sum()
    return float(score / n)


def _same(a, b):
    return (math.isnan(a) and math.isnan(b)) or a == b


def test_concordance_counts_every_pair_as_comparing_them_did_bit_for_bit():
    rng = np.random.default_rng(12)
    for trial in range(600):
        n = int(rng.integers(0, 90))
        t = rng.integers(1, 9, n).astype(float)  # many tied times
        e = rng.integers(0, 2, n)
        r = rng.integers(-3, 4, n) * 0.7  # many tied risks
        if trial % 5 == 0 and n:  # non-finite risks or times: every pair is compared
            r[rng.integers(0, n, 2)] = rng.choice([np.nan, np.inf, -np.inf], 2)
        if trial % 7 == 0 and n:
            t[rng.integers(0, n)] = np.nan
        with np.errstate(invalid="ignore"):
            expected = concordance_all_pairs(t, e, r)
            got = engine.concordance(t, e, r)
        assert _same(got, expected), (trial, got, expected)
    x, t, e = _cohort(13, 2000)
    risk = x @ np.array([0.5, -0.2, 0.1])
    assert engine.concordance(t, e, risk) == concordance_all_pairs(t, e, risk)


def test_concordance_of_a_large_cohort_takes_milliseconds():
    """50,000 patients: 1.25 billion pairs, 2.5 GB per (n, n) boolean array compared."""
    x, t, e = _cohort(14, 50_000)
    risk = x @ np.array([0.5, -0.2, 0.1])
    started = time.process_time()
    c = engine.concordance(t, e, risk)
    assert time.process_time() - started < 3
    assert 0.5 < c < 0.7


# --------------------------------------------------------------------- counting-process rows
def to_counting_process_loop(df):
    """``bias.to_counting_process`` as it was (verbatim, default columns)."""
    ids = pd.Series(range(len(df)), index=df.index)
    rows = []
    for pid, x, t_e, t, e in zip(
        ids, df["additional_tace"], df["additional_tace_month"], df["os_months"], df["os_event"],
        strict=True,
    ):  # fmt: skip
        if t <= 0:
            raise ValueError(f"os_months must be positive, got {t!r} for patient {pid!r}")
        if x == 1 and pd.notna(t_e) and t_e < t:
            if t_e <= 0:
                rows.append((pid, 0.0, t, 1, e))
            else:
                rows.append((pid, 0.0, t_e, 0, 0))
                rows.append((pid, t_e, t, 1, e))
        else:
            rows.append((pid, 0.0, t, 0, e))
    out = pd.DataFrame(rows, columns=["id", "start", "stop", "exposed", "event"])
    return out.astype({"start": float, "stop": float, "exposed": int, "event": int})


def test_counting_process_rows_are_the_loops_rows():
    rng = np.random.default_rng(15)
    for trial in range(200):
        n = int(rng.integers(1, 40))
        df = pd.DataFrame(
            {
                "additional_tace": rng.integers(0, 2, n),
                "additional_tace_month": np.where(
                    rng.random(n) < 0.3, np.nan, rng.integers(-1, 8, n).astype(float)
                ),
                "os_months": rng.integers(1, 9, n) if trial % 2 else rng.integers(1, 90, n) / 10,
                "os_event": rng.integers(0, 2, n) if trial % 3 else rng.random(n).round(),
            }
        )
        pd.testing.assert_frame_equal(bias.to_counting_process(df), to_counting_process_loop(df))
        bad = df.assign(os_months=np.where(np.arange(n) == n // 2, 0, df["os_months"]))
        with pytest.raises(ValueError) as old:
            to_counting_process_loop(bad)
        with pytest.raises(ValueError) as new:
            bias.to_counting_process(bad)
        assert str(new.value) == str(old.value)
    cohort = load_cohort(COHORT_CSV)
    pd.testing.assert_frame_equal(
        bias.to_counting_process(cohort), to_counting_process_loop(cohort)
    )


def test_counting_process_rows_of_a_large_cohort_take_no_loop_over_patients():
    """The null simulation builds the rows of 100 studies of the cohort's size, twice: the
    loop took about 20 ms for 10,000 patients, five times what the arrays take."""
    sim = bias.simulate_null_exposure(200_000, seed=16)
    started = time.process_time()
    long = bias.to_counting_process(sim)
    arrays = time.process_time() - started
    started = time.process_time()
    to_counting_process_loop(sim)
    assert arrays < 0.5 * (time.process_time() - started)
    assert len(long) == len(sim) + int((sim["additional_tace_month"] > 0).sum())
