"""The PVTT edge-descent pass (:func:`analysis.calibration.pvtt_edge_descent`, the last step of
the Cox phase).

Its moves exchange only the PVTT grade and its vascular-invasion flag, between patients of the
same BCLC stage, no stage-C patient left without a stage-C reason; on the cohort as the
double-exchange pass leaves it (the committed cohort with the twelve patients below set to their
grades before this pass) it makes three double exchanges, which print PVTT Vp3-4's interval
beside the PVTT entries printed before. Hazard ratios are recomputed here with statsmodels
(``PHReg``, Breslow ties), never with the package's engine; rounding is half up in decimal
arithmetic.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal

import numpy as np
import pandas as pd
import pytest
from statsmodels.duration.hazard_regression import PHReg

from analysis import COHORT_CSV, calibration

#: One worker runs this module's tests: the pass on its input (the module-scoped ``descended``,
#: a few CPU-s) is computed once.
pytestmark = pytest.mark.xdist_group("pvtt-descent")

Z95 = 1.959963984540054
#: The patients whose PVTT grades the pass exchanges on the book's seed: patient ->
#: ((grade, vascular-invasion flag) before, the same after).
MOVES = {
    "SYN001": (("Vp2", 1), ("Vp0", 0)),
    "SYN008": (("Vp0", 0), ("Vp2", 1)),
    "SYN009": (("Vp0", 0), ("Vp2", 0)),
    "SYN012": (("Vp0", 0), ("Vp1", 0)),
    "SYN015": (("Vp4", 1), ("Vp2", 0)),
    "SYN017": (("Vp2", 1), ("Vp0", 0)),
    "SYN020": (("Vp2", 0), ("Vp4", 1)),
    "SYN023": (("Vp2", 0), ("Vp0", 0)),
    "SYN040": (("Vp1", 0), ("Vp3", 1)),
    "SYN055": (("Vp0", 0), ("Vp2", 1)),
    "SYN065": (("Vp3", 1), ("Vp1", 0)),
    "SYN069": (("Vp1", 0), ("Vp0", 0)),
}
#: PVTT columns the pass moves.
MOVED = ["pvtt", "refractory_vascular_invasion"]


def half_up(x: float, decimals: int) -> str:
    q = Decimal(1).scaleb(-decimals)
    return str(Decimal(repr(float(x))).quantize(q, rounding=ROUND_HALF_UP))


def undone(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with the moved patients' grades as they were before the pass (the pass's input
    on the book's seed when ``frame`` is the committed cohort)."""
    out = frame.copy()
    for patient, (was, _) in MOVES.items():
        out.loc[out["patient_id"] == patient, MOVED] = was
    return out.astype({"refractory_vascular_invasion": int})


@pytest.fixture(scope="module")
def before() -> pd.DataFrame:
    """The pass's input on the book's seed: the committed cohort with the moved patients'
    grades as they were before the pass (a no-op on a cohort written before it)."""
    return undone(pd.read_csv(COHORT_CSV, dtype={"bclc_stage": str}))


@pytest.fixture(scope="module")
def descended(before):
    return calibration.pvtt_edge_descent(before)


def pvtt_cells(frame: pd.DataFrame) -> set:
    """The univariate PVTT cells Table 2 prints (HR, lower, upper, P) that this frame prints
    (statsmodels PHReg, Breslow ties; half-up rounding), as ``"vp3_4.lower"``."""
    grade = frame["pvtt"]
    x = np.column_stack([grade.isin(["Vp1", "Vp2"]), grade.isin(["Vp3", "Vp4"])]).astype(float)
    fit = PHReg(
        frame["os_months"].to_numpy(float), x, status=frame["os_event"].to_numpy(float),
        ties="breslow",
    ).fit()  # fmt: skip
    printed = {
        # term: HR, lower, upper (3 decimals), P (2 decimals), as Table 2 prints them
        "vp1_2": ("0.957", "0.509", "1.800", "0.89"),
        "vp3_4": ("1.039", "0.559", "1.931", "0.90"),
    }
    out = set()
    for k, (term, cells) in enumerate(printed.items()):
        b, s = float(fit.params[k]), float(fit.bse[k])
        p = math.erfc(abs(b / s) / math.sqrt(2.0))
        shown = [half_up(math.exp(b + m * Z95 * s), 3) for m in (0, -1, 1)] + [half_up(p, 2)]
        out |= {f"{term}.{name}" for name, a, t in zip(("hr", "lower", "upper", "p"), shown, cells,
                                                     strict=True) if a == t}  # fmt: skip
    return out


def pvtt_printed(frame: pd.DataFrame) -> set:
    """The univariate PVTT entries Table 2 prints that this frame prints (:func:`pvtt_cells`);
    an interval counts when both its bounds print."""
    cells = pvtt_cells(frame)
    out = {c for c in cells if not c.endswith((".lower", ".upper"))}
    for term in ("vp1_2", "vp3_4"):
        if {f"{term}.lower", f"{term}.upper"} <= cells:
            out.add(f"{term}.interval")
    return out


def test_it_makes_the_exchanges_and_nothing_else(before, descended):
    out, start, end = descended
    same = (out == before) | (out.isna() & before.isna())
    changed = out.index[~same.all(axis=1)]
    assert sorted(out.loc[changed, "patient_id"]) == sorted(MOVES)
    for patient, (_, now) in MOVES.items():
        row = out.loc[out["patient_id"] == patient, MOVED].iloc[0]
        assert (row["pvtt"], int(row["refractory_vascular_invasion"])) == now
    rest = [c for c in out.columns if c not in MOVED]
    pd.testing.assert_frame_equal(out[rest], before[rest])
    # one univariate entry more (the calibration's count), the multivariable model untouched
    assert end[0] == start[0] + 1 and end[1] == start[1] and end[2] == start[2] == 11


def test_the_gain_by_an_independent_fit(before, descended):
    old, new = pvtt_printed(before), pvtt_printed(descended[0])
    assert old == {"vp1_2.hr", "vp3_4.hr", "vp3_4.p"}
    assert new == old | {"vp3_4.interval"}


def test_deaths_move_into_vp0(before, descended):
    """The interval needs an SE of at most 0.3165, which 17 deaths at Vp3-4 and 24 at Vp0 do not
    allow (1/17 + 1/24 > 0.3165²); the pass leaves 25 at Vp0."""

    def deaths(f, grades):
        return int(((f["os_event"] == 1) & f["pvtt"].isin(grades)).sum())

    out = descended[0]
    assert (deaths(before, ["Vp3", "Vp4"]), deaths(before, ["Vp0"])) == (17, 24)
    assert 1 / 17 + 1 / 24 > 0.3165**2
    assert (deaths(out, ["Vp3", "Vp4"]), deaths(out, ["Vp0"])) == (17, 25)


def test_moves_keep_counts_stages_and_stage_reasons(before, descended):
    out = descended[0]
    for col in ("pvtt", "bclc_stage", "refractory_vascular_invasion"):
        pd.testing.assert_series_equal(
            out[col].value_counts().sort_index(), before[col].value_counts().sort_index()
        )
    for stage in ("B", "C"):  # each stage keeps its own PVTT grades
        a = sorted(before.loc[before["bclc_stage"] == stage, "pvtt"])
        b = sorted(out.loc[out["bclc_stage"] == stage, "pvtt"])
        assert a == b
    # vascular invasion follows the grade: the (grade, flag) pairs are the same multiset
    pairs = sorted(zip(before["pvtt"], before["refractory_vascular_invasion"], strict=True))
    assert pairs == sorted(zip(out["pvtt"], out["refractory_vascular_invasion"], strict=True))

    def reason(f):  # a stage-C patient's reason: portal invasion, extrahepatic spread or ECOG 1-2
        return (f["pvtt"] != "Vp0") | (f["refractory_extrahepatic"] == 1) | (f["ecog_ps"] >= 1)

    c = before["bclc_stage"] == "C"
    assert (reason(out) | ~reason(before) | ~c).all()  # no stage-C patient loses its reason


def test_its_result_is_a_fixed_point(descended):
    out, _, end = descended
    again, start, after = calibration.pvtt_edge_descent(out)
    pd.testing.assert_frame_equal(again, out)
    assert start == after == end


def test_no_rounds_no_change(before):
    out, start, end = calibration.pvtt_edge_descent(before, rounds=0)
    pd.testing.assert_frame_equal(out, before)
    assert start == end


def test_no_aimed_cells_no_change(before):
    out, start, end = calibration.pvtt_edge_descent(before, cells=())
    pd.testing.assert_frame_equal(out, before)
    assert start == end
