"""The value phase's acceptance rule and its deferred columns (issue 13).

Expectations are written out by hand (the rule's cases) or recomputed with pandas, never read
from the code under test.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis import COHORT_CSV, synthesis
from analysis.calibration import _no_worse


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
