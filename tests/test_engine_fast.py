"""The calibration's fast paths of ``km_summary`` and ``logrank_p`` return the reference's bits.

:func:`analysis.engine.km_summary` and :func:`analysis.engine.logrank_p` take a path with fewer
array operations for the small curves of the calibration. The oracles here are the unchanged
general code: ``ref_km_summary`` assembles the statistics from the public building blocks
(``event_table``, ``km_curve``, ``km_median``, ``spss_median_se``, the mean's area sum) exactly as
``km_summary`` did before the fast path, and ``ref_logrank_p`` is a verbatim copy of the former
``logrank_p``. Results must agree bit for bit (NaN with NaN) and in type (Python ``float``,
``bool``), on cohort-like data (times to 2 decimals in 0.1-60 months with many ties, 0/1 events,
0-90 patients, group masks) and on the edge cases named below.
"""

from __future__ import annotations

import math
import struct

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis import engine

NAN = math.nan


# ------------------------------------------------------------------------------------ oracles
def ref_km_summary(time, event, rule="spss"):
    """``km_summary`` as it was, from the public building blocks."""
    times, r, d, t_max = engine.event_table(time, event)
    if times.size == 0:
        return NAN, NAN, NAN, t_max, NAN, False
    s, gw = engine.km_curve(r, d)
    med = engine.km_median(times, s, rule)
    if math.isnan(med):
        se = lo = up = NAN
    else:
        se = engine.spss_median_se(times, s, gw)
        lo, up = med - engine.Z95 * se, med + engine.Z95 * se
    mean, _ = engine._mean_from_curve(times, r, d, s, t_max, with_se=False)
    amb = bool(np.any(np.abs(s - 0.5) < engine.PLATEAU_TOL))
    return med, lo, up, mean, se, amb


def ref_logrank_p(time, event, in_group):
    """``logrank_p`` as it was (verbatim)."""
    t, e, (g,), starts, d = engine.tie_groups(time, event, np.asarray(in_group, dtype=float))
    n = t.size
    d1 = np.add.reduceat(e * g, starts)
    cg = np.concatenate(([0.0], np.cumsum(g)))
    r = (n - starts).astype(float)
    r1 = g.sum() - cg[starts]
    keep = d > 0
    d, d1, r, r1 = d[keep], d1[keep], r[keep], r1[keep]
    frac = r1 / r
    oe = float((d1 - d * frac).sum())
    with np.errstate(divide="ignore", invalid="ignore"):
        v = float(np.where(r > 1, d * frac * (1 - frac) * (r - d) / (r - 1), 0.0).sum())
    if v <= 0:
        return NAN
    return math.erfc(abs(oe) / math.sqrt(2.0 * v))


def bits(x):
    """The exact value and type: bools as themselves, floats by their 8 bytes (any NaN alike)."""
    if isinstance(x, bool):
        return ("bool", x)
    assert type(x) is float, type(x)
    return ("float", "nan" if math.isnan(x) else struct.pack("<d", x))


def assert_km_same(time, event, rule="spss"):
    got = engine.km_summary(time, event, rule)
    want = ref_km_summary(time, event, rule)
    assert [bits(x) for x in got] == [bits(x) for x in want], (got, want)
    return got


def assert_lr_same(time, event, group):
    got = engine.logrank_p(time, event, group)
    want = ref_logrank_p(time, event, group)
    assert bits(got) == bits(want), (got, want)
    return got


# --------------------------------------------------------------------------------- strategies
#: Months to 2 decimals in 0.1-60 (the cohort's grid) ...
MONTHS = st.integers(10, 6000).map(lambda c: c / 100)
#: ... or a few values only, so that ties (and exact 0.5 plateaus) are frequent.
FEW = st.sampled_from([0.1, 1.0, 2.0, 2.5, 3.0, 4.0, 6.0, 12.0, 33.33, 60.0])


@st.composite
def cohorts(draw, min_size=0, max_size=90):
    n = draw(st.integers(min_size, max_size))
    pool = draw(st.sampled_from([MONTHS, FEW]))
    time = np.array(draw(st.lists(pool, min_size=n, max_size=n)), dtype=float)
    p_event = draw(st.sampled_from([0.0, 0.3, 0.8, 1.0]))
    event = np.array(draw(st.lists(st.floats(0, 1), min_size=n, max_size=n)), dtype=float) < p_event
    group = np.array(draw(st.lists(st.booleans(), min_size=n, max_size=n)), dtype=bool)
    return time, event.astype(float), group


@settings(max_examples=200, deadline=None)
@given(cohorts(), st.sampled_from(engine.MEDIAN_RULES))
def test_km_summary_bitwise(data, rule):
    time, event, _ = data
    assert_km_same(time, event, rule)


@settings(max_examples=150, deadline=None)
@given(cohorts(min_size=1))
def test_logrank_p_bitwise(data):
    time, event, group = data
    assert_lr_same(time, event, group)
    assert_lr_same(time, event, group.astype(float))  # a 0/1 float mask is the same
    assert_lr_same(time, event, ~group)


@settings(max_examples=60, deadline=None)
@given(st.integers(120, 400), st.integers(0, 2**32 - 1))
def test_large_curves_bitwise(n, seed):
    """More than 128 event times: NumPy's pairwise sums split into blocks."""
    rng = np.random.default_rng(seed)
    time = np.round(rng.uniform(0.1, 60.0, n), 2)
    event = (rng.random(n) < 0.9).astype(float)
    group = rng.random(n) < 0.5
    for rule in engine.MEDIAN_RULES:
        assert_km_same(time, event, rule)
    assert_lr_same(time, event, group)


# --------------------------------------------------------------------------------- edge cases
KM_CASES = {
    "empty": ([], []),
    "all censored": ([1.0, 2.0, 3.0], [0, 0, 0]),
    "single death": ([5.0], [1]),
    "single censored": ([5.0], [0]),
    "all tied deaths": ([3.0] * 6, [1] * 6),
    "all tied, mixed": ([3.0] * 6, [1, 0, 1, 0, 1, 0]),
    "exact 0.5 plateau": ([1.0, 2.0, 3.0, 4.0], [1, 1, 1, 1]),
    "plateau at the last event": ([1.0, 2.0, 3.0, 4.0], [1, 1, 0, 0]),
    "r == d at the last time": ([1.0, 2.0, 3.0, 3.0], [1, 1, 1, 1]),
    "r == d at the median": ([2.0, 2.0], [1, 1]),
    "median not reached": ([1.0, 2.0, 3.0, 4.0, 5.0], [1, 0, 1, 0, 0]),
    "never at or below 0.45": ([1.0, 2.0, 3.0, 4.0, 5.0, 6.0], [1, 1, 1, 0, 0, 0]),
    "first event below 0.45": ([1.0, 1.0, 1.0, 2.0], [1, 1, 1, 0]),
    "censored tied with a death": ([2.0, 2.0, 2.0, 5.0], [0, 1, 0, 1]),
    "-0.0 events": ([1.0, 2.0, 3.0, 4.0], [-0.0, 1.0, -0.0, 1.0]),
    "bool events": ([1.0, 2.0, 3.0, 4.0], [True, True, False, True]),
    "integer times": ([4, 1, 3, 2], [1, 1, 1, 1]),
    # outside the fast path (general code): still the same bits
    "fractional events": ([1.0, 2.0, 3.0], [0.5, 1.0, 1.0]),
    "time 0": ([0.0, 1.0, 2.0], [1, 1, 0]),
    "-0.0 and 0.0 tied": ([0.0, -0.0, 1.0, 2.0], [0, 1, 1, 0]),
    "negative time": ([-1.0, 1.0, 2.0], [1, 1, 1]),
    "NaN time": ([1.0, NAN, 2.0, 3.0], [1, 1, 1, 0]),
    "inf time": ([1.0, 2.0, math.inf], [1, 1, 0]),
}


@pytest.mark.parametrize("rule", engine.MEDIAN_RULES)
@pytest.mark.parametrize("case", KM_CASES)
def test_km_summary_edge_cases(case, rule):
    time, event = KM_CASES[case]
    assert_km_same(time, event, rule)
    assert_km_same(np.array(time, dtype=float), np.array(event, dtype=float), rule)


def test_km_summary_edge_values():
    """The values the edge cases must have (by hand), so the oracle is not trusted blindly."""
    med, lo, up, mean, se, amb = engine.km_summary([1, 2, 3, 4], [1, 1, 1, 1])
    assert (med, mean, amb) == (2.0, 2.5, True) and se == pytest.approx(1.0)
    assert engine.km_summary([1, 2, 3, 4], [1, 1, 1, 1], "r")[0] == 2.5
    # everyone dies at 2: S(2) = 0 with an infinite Greenwood term, no SE
    med, lo, up, mean, se, amb = engine.km_summary([2.0, 2.0], [1, 1])
    assert med == 2.0 and mean == 2.0 and math.isnan(se) and math.isnan(lo) and not amb
    # S = 5/6, 4/6, 3/6, then censored: median 3, the curve never reaches 0.45 -> no SE
    med, _, _, mean, se, amb = engine.km_summary([1, 2, 3, 4, 5, 6], [1, 1, 1, 0, 0, 0])
    assert med == 3.0 and math.isnan(se) and amb
    assert mean == pytest.approx(1 + 5 / 6 + 4 / 6 + 3 * 3 / 6)
    res = engine.km_summary([1.0, 2.0, 3.0], [0, 0, 0])
    assert math.isnan(res[0]) and res[3] == 3.0 and res[5] is False
    res = engine.km_summary([], [])
    assert all(math.isnan(x) for x in res[:5]) and res[5] is False


def test_km_summary_bad_rule():
    with pytest.raises(ValueError, match="rule"):
        engine.km_summary([1.0, 2.0], [1, 1], "sas")
    # no event: the general code returns before it checks the rule, and so does the fast path
    assert engine.km_summary([1.0, 2.0], [0, 0], "sas")[3] == 2.0


LR_CASES = {
    "one patient": ([3.0], [1], [True]),
    "no events": ([1.0, 2.0, 3.0], [0, 0, 0], [True, False, True]),
    "everyone in the group": ([1.0, 2.0, 3.0], [1, 1, 1], [True, True, True]),
    "nobody in the group": ([1.0, 2.0, 3.0], [1, 1, 1], [False, False, False]),
    "hand example": ([1.0, 2.0, 3.0, 4.0], [1, 1, 1, 1], [True, False, True, False]),
    "last time alone (r = 1)": ([1.0, 2.0, 3.0, 9.0], [1, 0, 1, 1], [True, False, False, True]),
    "last time tied": ([1.0, 2.0, 9.0, 9.0], [1, 0, 1, 1], [True, False, False, True]),
    "all tied": ([4.0] * 5, [1, 1, 0, 1, 0], [True, False, True, False, False]),
    "integer mask": ([1.0, 2.0, 3.0, 4.0], [1, 1, 1, 1], [1, 0, 0, 1]),
    "0/1 float mask": ([1.0, 2.0, 3.0, 4.0], [1, 1, 0, 1], [1.0, 0.0, 1.0, 0.0]),
    "time 0 and -0.0": ([0.0, -0.0, 1.0, 2.0], [1, 1, 1, 0], [True, False, True, False]),
    # outside the fast path (general code): still the same bits
    "fractional events": ([1.0, 2.0, 3.0, 4.0], [0.5, 1, 1, 1], [True, False, True, False]),
    "weighted mask": ([1.0, 2.0, 3.0, 4.0], [1, 1, 1, 1], [0.5, 0.0, 1.0, 0.0]),
    "NaN time": ([1.0, NAN, 3.0, 4.0], [1, 1, 1, 1], [True, False, True, False]),
}


@pytest.mark.parametrize("case", LR_CASES)
def test_logrank_p_edge_cases(case):
    assert_lr_same(*LR_CASES[case])


def test_logrank_p_edge_values():
    assert engine.logrank_p([1, 2, 3, 4], [1, 1, 1, 1], [1, 0, 1, 0]) == pytest.approx(
        math.erfc(math.sqrt(8 / 13) / math.sqrt(2.0)), rel=1e-14
    )  # chi2 = 8/13 on 1 df (see LogrankResult)
    assert math.isnan(engine.logrank_p([1.0, 2.0], [1, 1], [True, True]))  # one group
    assert math.isnan(engine.logrank_p([1.0, 2.0], [0, 0], [True, False]))  # no event


def test_logrank_p_empty_raises_like_before():
    with pytest.raises(IndexError):
        ref_logrank_p([], [], [])
    with pytest.raises(IndexError):
        engine.logrank_p([], [], [])


def test_fast_paths_are_taken_on_cohort_like_data():
    """The calibration's inputs do take the fast paths (they return a value, not None)."""
    rng = np.random.default_rng(20240426)
    time = np.round(rng.uniform(0.1, 60.0, 82), 2)
    event = (rng.random(82) < 0.8).astype(float)
    group = rng.random(82) < 0.4
    assert engine._km_summary_small(time, event, "spss") is not None
    assert engine._logrank_p_small(time, event, group) is not None
    assert engine._km_summary_small(time, event * 0.5, "spss") is None
    assert engine._logrank_p_small(time, event, group * 0.5) is None
