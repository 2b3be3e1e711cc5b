"""The standard-error pass (issue 13): its moves of prior TACE sessions and its all-or-nothing
acceptance.

Expectations are written out by hand (the admissible moves of a three-patient example, the
acceptance cases) or recomputed with pandas and decimal rounding, never read from the code
under test.
"""

from __future__ import annotations

import os
from decimal import ROUND_HALF_UP, Decimal

import numpy as np
import pandas as pd
import pytest

from analysis import COHORT_CSV, synthesis


@pytest.fixture(scope="module")
def cohort():
    return pd.read_csv(COHORT_CSV, dtype={"bclc_stage": str})


@pytest.fixture(scope="module")
def missed(cohort):
    """The committed cohort with two patients' prior TACE sessions exchanged (same survival
    group, both at or above their refractory sessions), the first such exchange after which
    prior TACE's univariate interval is missed: the committed cohort is the pass's own result,
    so it prints that interval and leaves the pass nothing to do."""
    from analysis.calibration import table2_verdicts

    col, interval = "prior_tace_sessions", "table2.prior_tace_gt4.uni.interval"
    values, floor = cohort[col].to_numpy(), cohort["refractory_tace_sessions"].to_numpy()
    for i in range(len(cohort)):
        for j in range(i + 1, len(cohort)):
            a, b = values[i], values[j]
            if a == b or (a > 4) != (b > 4) or b < floor[i] or a < floor[j]:
                continue
            frame = cohort.copy()
            frame.loc[[i, j], col] = [b, a]
            verdicts = table2_verdicts(frame).set_index("id")["verdict"]
            if verdicts[interval] == "missed":
                return frame
    pytest.fail("no exchange misses the interval")


def test_small_moves_keep_each_patient_within_its_own_bounds():
    """Three patients 4, 5, 2 with bounds [2, 4], [5, 9], [2, 4] (a cut at 4): patient i gains
    d = 1 or 2 and patient j loses d. By hand: 0 cannot gain (4 is its top), 1 cannot lose (5
    is its floor), 2 cannot lose (2 - 1 < 2); so only 1 -> 0 and 2 -> 0, both d."""
    from analysis.calibration import _local_moves

    units = np.array([4, 5, 2], dtype=np.int64)
    lo, hi = np.array([2, 5, 2]), np.array([4, 9, 4])
    i, j, _, ni, nj, _, ok = _local_moves(units, "mean_sd", (lo, hi), (0, 10**9), None, None)
    d = ni - units[i]
    got = sorted((int(a), int(b), int(c)) for a, b, c in zip(i[ok], j[ok], d[ok], strict=True))
    assert got == [(1, 0, 1), (1, 0, 2), (2, 0, 1), (2, 0, 2)]
    assert np.array_equal(nj - units[j], -d)


def _prints(x: float, value: str) -> bool:
    q = Decimal(value)
    return Decimal(repr(float(x))).quantize(q, rounding=ROUND_HALF_UP) == q


def test_prior_tace_moves_keep_table1_and_the_survival_groups(missed):
    """A run of the pass's search on prior TACE sessions (from a cohort whose interval is
    missed, so the run moves): Table 1's mean 5.3 and SD 3.5 still print (the sum is
    exact), every patient stays on its side of 4 sessions (the survival block's groups) and at or
    above its refractory sessions, every value stays within the column's range, and every other
    Table 1, response and survival target is as before."""
    cohort = missed
    from analysis.calibration import (
        SE_SLACK,
        _value_search,
        multivariable_rows,
        table2_cells,
    )

    col = "prior_tace_sessions"
    units = _value_search(
        cohort, col, "prior_tace_gt4", "mean_sd", np.random.default_rng(3), 8, 0.0, SE_SLACK,
        0, table2_cells(), multivariable_rows(), 1,
    )  # fmt: skip
    old = cohort[col].to_numpy()
    new = pd.Series(units)
    assert (new.to_numpy() != old).any(), "the run should move some values here"
    assert new.sum() == old.sum()
    assert _prints(new.mean(), "5.3") and _prints(new.std(ddof=1), "3.5")
    assert np.array_equal(new.to_numpy() > 4, old > 4)
    assert (new.to_numpy() >= cohort["refractory_tace_sessions"].to_numpy()).all()
    assert new.min() >= old.min() and new.max() <= old.max()
    # every Table 1, response and survival target prints as before
    moved = cohort.assign(**{col: new.to_numpy()})
    pd.testing.assert_frame_equal(synthesis.target_table(cohort), synthesis.target_table(moved))


@pytest.mark.parametrize(
    ("after_pass", "expected_kept"),
    [
        ((34, 9, 11), True),  # a univariate entry more, as many multivariable ones
        ((34, 8, 11), True),  # one multivariable entry for one univariate
        ((34, 7, 11), False),  # two for one
        ((33, 10, 11), False),  # no univariate entry more (the pass aims at them)
        ((35, 9, 10), False),  # a row lost
    ],
)
def test_the_pass_is_kept_whole_or_not_at_all(cohort, monkeypatch, after_pass, expected_kept):
    """The decision after ``then`` (run on both frames), with the search and the tallies
    replaced: the search moves patients 0 and 1's prior TACE values by +1 and -1 within their
    groups; the incoming frame after ``then`` tallies (33, 9, 11); the pass's frame before
    ``then`` (34, 5, 11), after it ``after_pass``."""
    import analysis.calibration as cal

    col = "prior_tace_sessions"
    base = cohort.copy()
    base[col] = [5, 7] + [4] * (len(base) - 2)  # values the fake move keeps in their groups
    moved = base[col].to_numpy().copy()
    moved[0], moved[1] = 6, 6

    def fake_search(out, *args, **kwargs):
        return moved.copy()

    def then(frame):
        out = frame.copy()
        out.attrs["then"] = True
        return out

    def tallies_of(frame):  # which frame is tallied: read from the frame itself
        is_moved = np.array_equal(frame[col].to_numpy(), moved)
        if not is_moved:
            return (33, 9, 11) if frame.attrs.get("then") else (33, 6, 11)
        return after_pass if frame.attrs.get("then") else (34, 5, 11)

    class FakeFits:
        def __init__(self, design):
            self.frame = design.attrs["frame"]

        def fit(self):
            return tallies_of(self.frame)

    def design_matrix(frame, which):
        d = pd.DataFrame(index=frame.index)
        d.attrs["frame"] = frame
        return d

    monkeypatch.setattr(cal, "_value_search", fake_search)
    monkeypatch.setattr(cal, "Table2Fits", FakeFits)
    monkeypatch.setattr(cal.paper, "design_matrix", design_matrix)
    monkeypatch.setattr(cal, "_tallies", lambda fits, cells, rows: fits)
    out, start, end = cal.value_se_pass(
        base, np.random.default_rng(0), then=then, columns={col: ("prior_tace_gt4", "mean_sd")},
        decimals=synthesis.CSV_DECIMALS,
    )  # fmt: skip
    assert out.attrs.get("then") is True
    assert start == (33, 9, 11)
    if expected_kept:
        assert np.array_equal(out[col].to_numpy(), moved) and end == after_pass
    else:
        assert np.array_equal(out[col].to_numpy(), base[col].to_numpy()) and end == start


def test_forked_runs_give_the_same_pass(missed):
    """The synthesis makes the pass and the multivariable pass of the incoming frame in two
    processes (``run=synthesis._run_forked``): the frame and the tallies are those of the runs
    one after the other (a short search, from a cohort on which the pass moves)."""
    from analysis import calibration as cal

    def then(frame):
        rng = np.random.default_rng(5)
        cols = {"crp_mg_l": cal.VALUE_COLUMNS["crp_mg_l"]}
        return cal.value_polish(
            frame, rng, columns=cols, moves=3, local_moves=1, decimals=synthesis.CSV_DECIMALS
        )[0]

    kw = {"then": then, "moves": 6, "local_moves": 1, "decimals": synthesis.CSV_DECIMALS}
    alone = cal.value_se_pass(missed, np.random.default_rng(3), **kw)
    forked = cal.value_se_pass(missed, np.random.default_rng(3), run=synthesis._run_forked, **kw)
    pd.testing.assert_frame_equal(alone[0], forked[0])
    assert alone[1:] == forked[1:]


def test_run_forked_returns_the_results_in_order():
    """Each task's result in the tasks' order; a task that fails in its child is made again in
    the calling process (here: it raises there too)."""
    assert synthesis._run_forked([lambda: 1, lambda: np.arange(3).tolist(), lambda: "c"]) == [
        1, [0, 1, 2], "c",
    ]  # fmt: skip
    pid = os.getpid()

    def only_here():
        if os.getpid() != pid:
            raise RuntimeError("in the child")
        return "here"

    assert synthesis._run_forked([lambda: 0, only_here]) == [0, "here"]
