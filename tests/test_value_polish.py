"""The value phase's acceptance rule and its banded columns (issue 13).

Expectations are written out by hand (the rule's cases, the Child-Pugh albumin bands, the
prior-TACE groups) or recomputed with pandas and decimal arithmetic, never read from the code
under test.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import numpy as np
import pandas as pd
import pytest

from analysis import COHORT_CSV, synthesis
from analysis.calibration import (
    VALUE_EXTRA_COLUMNS,
    _no_worse,
    _value_bounds,
    _value_search,
    multivariable_agreement,
    multivariable_rows,
    table2_cells,
)


@pytest.fixture(scope="module")
def cohort():
    return pd.read_csv(COHORT_CSV, dtype={"bclc_stage": str})


@pytest.mark.parametrize(
    ("new", "old", "expected"),
    [
        ((30, 13, 11), (30, 13, 11), True),  # as many of each: kept (values nearer their cells)
        ((31, 12, 11), (30, 13, 11), True),  # one multivariable entry for one univariate
        ((32, 11, 11), (30, 13, 11), True),  # two for two
        ((31, 11, 11), (30, 13, 11), False),  # two multivariable entries for one univariate
        ((30, 14, 11), (30, 13, 11), True),  # a multivariable entry more
        ((30, 12, 11), (30, 13, 11), False),  # a multivariable entry lost, nothing gained
        ((29, 16, 11), (30, 13, 11), False),  # a univariate entry lost, whatever the gain
        ((31, 13, 10), (30, 13, 11), False),  # a row lost
    ],
)
def test_acceptance_rule_by_hand(new, old, expected):
    assert _no_worse(new, old) is expected


def test_bands_by_hand():
    """Albumin keeps its Child-Pugh points band (below 2.8 / 2.8-3.5 / above 3.5 g/dL) within the
    column's range; prior TACE sessions keep their 2-4 / > 4 group and their refractory floor."""
    frame = pd.DataFrame(
        {
            "albumin_g_dl": [2.5, 2.8, 3.0, 3.5, 3.6, 4.2],
            "prior_tace_sessions": [2, 4, 5, 9, 3, 6],
            "refractory_tace_sessions": [1, 3, 5, 2, 3, 2],
        }
    )
    alb = np.array([25, 28, 30, 35, 36, 42])
    lo, hi = _value_bounds(frame, "albumin_g_dl", alb, 10)
    assert lo.tolist() == [25, 28, 28, 28, 36, 36]
    assert hi.tolist() == [27, 35, 35, 35, 42, 42]
    sessions = frame["prior_tace_sessions"].to_numpy()
    lo, hi = _value_bounds(frame, "prior_tace_sessions", sessions, 1)
    assert lo.tolist() == [2, 3, 5, 5, 3, 5]
    assert hi.tolist() == [4, 4, 9, 9, 4, 9]
    lo, hi = _value_bounds(frame, "tumor_number", np.array([1, 7, 3]), 1)  # no band: the range
    assert lo.tolist() == [1, 1, 1] and hi.tolist() == [7, 7, 7]


def _half_up(x: float, decimals: int) -> Decimal:
    return Decimal(repr(float(x))).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


@pytest.mark.parametrize("col", list(VALUE_EXTRA_COLUMNS))
def test_banded_moves_keep_every_print(cohort, col):
    """A search freed of the multivariable entries (slack 13, weight 0, so that values do move)
    keeps every Table 1, response and survival print, the mean exactly and the SD at one
    decimal, each patient's band (albumin: Child-Pugh points and score; prior TACE: group, and
    never below the refractory sessions), and every multivariable row agreeing."""
    term, kind = VALUE_EXTRA_COLUMNS[col]
    dec = synthesis.CSV_DECIMALS[col]
    units = _value_search(
        cohort, col, term, kind, np.random.default_rng(1), 40, 0.0, 13, dec,
        table2_cells(), multivariable_rows(), 2,
    )  # fmt: skip
    assert units is not None
    moved = cohort.copy()
    moved[col] = units / 10**dec if dec else units.astype(cohort[col].dtype)
    a, b = cohort[col].to_numpy(float), moved[col].to_numpy(float)
    assert (a != b).sum() >= 2, "the search should move values"
    assert round(a.sum(), 6) == round(b.sum(), 6)
    assert _half_up(np.std(a, ddof=1), 1) == _half_up(np.std(b, ddof=1), 1)
    assert b.min() >= a.min() and b.max() <= a.max()
    pd.testing.assert_frame_equal(synthesis.target_table(cohort), synthesis.target_table(moved))
    if col == "albumin_g_dl":

        def points(x):  # albumin's Child-Pugh points, by hand: > 3.5 -> 1, 2.8-3.5 -> 2, else 3
            return np.where(x > 3.5, 1, np.where(x >= 2.8, 2, 3))

        assert (points(a) == points(b)).all()
    else:
        assert ((a > 4) == (b > 4)).all()
        assert (b >= moved["refractory_tace_sessions"].to_numpy(float)).all()
    v = b * 10**dec
    assert np.allclose(v, np.round(v))
    assert multivariable_agreement(moved)["agrees"].all()


def swapped(cohort: pd.DataFrame, column: str, i: int, j: int) -> pd.DataFrame:
    """The cohort with patients i's and j's values of one column exchanged."""
    out = cohort.copy()
    values = out[column].to_numpy().copy()
    values[i], values[j] = values[j], values[i]
    out[column] = values
    return out


def test_a_deferred_column_stays_and_leaves_the_others_streams(cohort):
    """A deferred column keeps its values, and the column after it moves exactly as it does
    when the deferred column's generators are spawned by hand and the column runs alone."""
    from analysis.calibration import VALUE_COLUMNS, VALUE_VARIANTS, value_polish

    # the committed cohort is the value phase's own result, so two patients' ALT values are
    # exchanged first (every Table 1 print stays) to leave ALT something to do
    cohort = swapped(cohort, "alt_u_l", 0, 1)
    cols = {c: VALUE_COLUMNS[c] for c in ("afp_ng_ml", "alt_u_l")}
    kw = {"moves": 6, "local_moves": 1, "decimals": synthesis.CSV_DECIMALS}
    deferred, _, _ = value_polish(
        cohort, np.random.default_rng(5), columns=cols, defer=("afp_ng_ml",), **kw
    )
    rng = np.random.default_rng(5)
    rng.spawn(len(VALUE_VARIANTS))  # what the deferred AFP column consumes
    alone, _, _ = value_polish(cohort, rng, columns={"alt_u_l": cols["alt_u_l"]}, **kw)
    assert deferred["afp_ng_ml"].equals(cohort["afp_ng_ml"])
    assert not alone["alt_u_l"].equals(cohort["alt_u_l"]), "ALT should move here"
    pd.testing.assert_frame_equal(deferred, alone)
