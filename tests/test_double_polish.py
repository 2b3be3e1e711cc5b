"""The double-exchange pass of the PVTT grade (issue 13,
:func:`analysis.calibration.uni_double_polish`, the last step of the Cox phase).

Its moves exchange only the PVTT grade and its vascular-invasion flag, between patients of the
same BCLC stage, no stage-C patient left without a stage-C reason; on the cohort as the spread
pass left it (the committed cohort with the pass's one double exchange and the PVTT edge
descent after it undone) it makes that
double exchange, which prints PVTT Vp1-2's and Vp3-4's hazard ratios in place of Vp1-2's P.
Hazard ratios are recomputed here with statsmodels (``PHReg``, Breslow ties), never with the
package's engine; rounding is half up in decimal arithmetic.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from test_pvtt_descent import pvtt_cells, undone

from analysis import COHORT_CSV, calibration, paper

#: One worker runs this module's tests: the pass on the spread pass's cohort (the module-scoped
#: ``polished``, about 0.6 CPU-s) was computed again by each worker that took one of its tests
#: (``-n 2`` on this module: 8.5 -> 6.6 CPU-s, two runs each).
pytestmark = pytest.mark.xdist_group("double-polish")

#: The patients whose PVTT grades the pass exchanges on the book's seed (rows of the CSV), as
#: (patient, patient) pairs: stage-C patients, Vp2 <-> Vp3.
PAIRS = (("SYN045", "SYN049"), ("SYN056", "SYN081"))
#: PVTT columns the pass moves.
MOVED = ["pvtt", "refractory_vascular_invasion"]


@pytest.fixture(scope="module")
def cohort() -> pd.DataFrame:
    """The pass's output on the book's seed: the committed cohort with the PVTT edge descent
    that follows it undone (:func:`test_pvtt_descent.undone`)."""
    return undone(pd.read_csv(COHORT_CSV, dtype={"bclc_stage": str}))


@pytest.fixture(scope="module")
def before(cohort) -> pd.DataFrame:
    """The committed cohort with the pass's double exchange undone (its input on the book's
    seed: the rest of the file is what the spread pass left)."""
    out = cohort.copy()
    idx = out.set_index("patient_id").index
    for a, b in PAIRS:
        i, j = idx.get_loc(a), idx.get_loc(b)
        out.loc[[i, j], MOVED] = out.loc[[j, i], MOVED].to_numpy()
    return out


@pytest.fixture(scope="module")
def polished(before):
    return calibration.uni_double_polish(before)


def test_the_committed_cohort_is_the_pass_fixed_point(cohort):
    out, start, end = calibration.uni_double_polish(cohort)
    assert start == end
    pd.testing.assert_frame_equal(out, cohort)


def test_it_makes_the_double_exchange_and_nothing_else(before, cohort, polished):
    out, start, end = polished
    pd.testing.assert_frame_equal(out, cohort)  # the committed cohort, cell for cell
    same = (out == before) | (out.isna() & before.isna())
    changed = out.index[~same.all(axis=1)]
    assert sorted(out.loc[changed, "patient_id"]) == sorted(p for pair in PAIRS for p in pair)
    rest = [c for c in out.columns if c not in MOVED]
    pd.testing.assert_frame_equal(out[rest], before[rest])
    assert end[0] == start[0] + 1 and end[1] == start[1] and end[2] == start[2] == 11


def test_the_gain_by_an_independent_fit(before, polished):
    old, new = pvtt_cells(before), pvtt_cells(polished[0])
    assert old == {"vp1_2.p", "vp3_4.p"}
    assert new == {"vp1_2.hr", "vp3_4.hr", "vp3_4.p"}


def test_moves_keep_counts_stages_and_stage_reasons(before, polished):
    out = polished[0]
    for col in ("pvtt", "bclc_stage", "refractory_vascular_invasion"):
        pd.testing.assert_series_equal(
            out[col].value_counts().sort_index(), before[col].value_counts().sort_index()
        )
    # each stage keeps its own PVTT grades; vascular invasion follows the grade
    for stage in ("B", "C"):
        a = sorted(before.loc[before["bclc_stage"] == stage, "pvtt"])
        b = sorted(out.loc[out["bclc_stage"] == stage, "pvtt"])
        assert a == b
    assert ((out["pvtt"] != "Vp0") == (out["refractory_vascular_invasion"] == 1)).equals(
        (before["pvtt"] != "Vp0") == (before["refractory_vascular_invasion"] == 1)
    )

    def reason(f):  # a stage-C patient's reason: portal invasion, extrahepatic spread or ECOG 1-2
        return (f["pvtt"] != "Vp0") | (f["refractory_extrahepatic"] == 1) | (f["ecog_ps"] >= 1)

    c = before["bclc_stage"] == "C"
    assert (reason(out) | ~reason(before) | ~c).all()  # no stage-C patient loses its reason


def test_every_screened_single_keeps_the_stage_rules(before):
    fits = calibration.Table2Fits(paper.design_matrix(before, "implied"))
    cols = calibration.BLOCKS["tumour_stage"]
    vals = before[cols].to_numpy(object)
    ci, cj = calibration._pvtt_singles(fits, vals, cols)
    assert ci.size > 0 and (ci < cj).all()
    stage, grade = before["bclc_stage"].to_numpy(), before["pvtt"].to_numpy()
    assert (stage[ci] == stage[cj]).all()
    group = np.where(grade == "Vp0", 0, np.where(np.isin(grade, ["Vp1", "Vp2"]), 1, 2))
    assert (group[ci] != group[cj]).all()  # only exchanges that change the design
    ext, ecog = before["refractory_extrahepatic"].to_numpy(), before["ecog_ps"].to_numpy()
    for i, j in zip(ci, cj, strict=True):
        for me, other in ((i, j), (j, i)):
            if stage[me] == "C" and (grade[me] != "Vp0" or ext[me] == 1 or ecog[me] >= 1):
                assert grade[other] != "Vp0" or ext[me] == 1 or ecog[me] >= 1


def test_no_single_exchange_reaches_it(before):
    """The reason for the pass: no single PVTT exchange prints more univariate entries (every
    one fitted exactly, batched), so the one-at-a-time searches before it stop short."""
    cells = calibration.table2_cells()
    fits = calibration.Table2Fits(paper.design_matrix(before, "implied"))
    cols = calibration.BLOCKS["tumour_stage"]
    ci, cj = calibration._pvtt_singles(fits, before[cols].to_numpy(object), cols)
    model = calibration.PVTT_TERMS
    f = fits.fit([model])
    b0 = np.array([f[("uni", t)][0] for t in model])
    mix = [fits.idx[t] for t in model]
    xs = calibration._swapped_designs(fits, mix, ci, cj)
    beta, se = calibration._batched_fit(fits.risk, xs, b0, iters=12)
    mine = [c for c in cells if c["model"] == "uni" and c["term"] in model]
    dist = calibration._entry_distances(beta, se, mine)
    assert ((dist == 0).sum(axis=1) <= 2).all()


def test_it_is_deterministic(before, polished):
    again = calibration.uni_double_polish(before)
    pd.testing.assert_frame_equal(again[0], polished[0])
    assert again[1:] == polished[1:]


def test_no_rounds_no_change(before):
    out, start, end = calibration.uni_double_polish(before, rounds=0)
    pd.testing.assert_frame_equal(out, before)
    assert start == end
