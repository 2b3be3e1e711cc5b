"""The committed label-reach measurement (``data/table2-label-reach.csv``, read by chapter 1).

``tools/label_reach.py`` writes it with :func:`analysis.calibration.label_reach`; these tests check
that it was computed on the committed cohort, that its "this cohort" columns are what an
independent fit (statsmodels ``PHReg``, Breslow ties) and the package's Table 2 verdicts give,
and that the search is deterministic and never reports less than the cohort's own labels print.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis import calibration, paper
from analysis.cohort import load_cohort

Z95 = 1.959963984540054


@pytest.fixture(scope="module")
def reach() -> pd.DataFrame:
    return pd.read_csv(calibration.LABEL_REACH_CSV)


@pytest.fixture(scope="module")
def cohort() -> pd.DataFrame:
    return load_cohort()


def test_computed_on_the_committed_cohort(reach):
    stale = set(reach["cohort_sha256"]) != {calibration.cohort_sha256()}
    assert not stale, "data/cohort.csv changed: re-run `python tools/label_reach.py`"
    assert list(reach["term"]) == [t for ts in calibration.LABEL_REACH_FACTORS.values() for t in ts]
    assert (reach["steps"] == calibration.LABEL_REACH_STEPS).all()


def test_cohort_columns_match_an_independent_fit(reach, cohort):
    from statsmodels.duration.hazard_regression import PHReg

    design = paper.design_matrix(cohort, "implied")
    for factor, terms in calibration.LABEL_REACH_FACTORS.items():
        fit = PHReg(
            cohort["os_months"].to_numpy(float),
            design[list(terms)].to_numpy(float),
            status=cohort["os_event"].to_numpy(float),
            ties="breslow",
        ).fit()
        rows = reach.set_index("term").loc[list(terms)]
        np.testing.assert_allclose(rows["cohort_hr"], np.exp(fit.params), atol=1e-4)
        np.testing.assert_allclose(rows["cohort_se"], fit.bse, atol=1e-4)
        upper = np.exp(fit.params + Z95 * fit.bse)
        np.testing.assert_allclose(rows["cohort_upper"], upper, atol=1e-4, err_msg=factor)


def test_cohort_printed_counts_match_the_table2_verdicts(reach, cohort):
    verdicts = calibration.table2_verdicts(cohort).set_index("id")
    for factor, terms in calibration.LABEL_REACH_FACTORS.items():
        ids = [f"table2.{t}.uni.{part}" for t in terms for part in ("hr", "interval", "p")]
        v = verdicts.reindex(ids).dropna(subset=["verdict"])["verdict"]
        row = reach[reach["factor"] == factor].iloc[0]
        assert int((v == "hit").sum()) == row["cohort_printed"], factor
        assert int((v != "infeasible").sum()) == row["entries"], factor


def test_the_best_assignment_never_prints_less(reach):
    assert (reach["reach_printed"] >= reach["cohort_printed"]).all()
    assert (reach["reach_printed"] <= reach["entries"]).all()


def test_label_reach_is_deterministic(cohort):
    a = calibration.label_reach(cohort, steps=40, seeds=(3,))
    b = calibration.label_reach(cohort, steps=40, seeds=(3,))
    pd.testing.assert_frame_equal(a, b)


def test_readme_states_the_measured_reach(reach):
    from analysis import REPO_ROOT

    readme = " ".join((REPO_ROOT / "README.md").read_text(encoding="utf-8").split())
    f = reach.groupby("factor", sort=False).first()
    cp, bclc, pvtt = (f.loc[k] for k in calibration.LABEL_REACH_FACTORS)
    expected = (
        f"prints {cp.reach_printed} of the {cp.entries} feasible Child-Pugh entries, "
        f"{bclc.reach_printed} of {bclc.entries} for BCLC stage and "
        f"{pvtt.reach_printed} of {pvtt.entries} for PVTT (the cohort: {cp.cohort_printed}, "
        f"{bclc.cohort_printed} and {pvtt.cohort_printed}; chapter 1)"
    )
    assert expected in readme


def test_the_stored_fits_print_the_stored_counts(reach):
    """Both sets of stored fits (the cohort's labels and the best assignment) print, cell by
    cell (:func:`analysis.calibration.cell_miss`), the number of entries the file says: nothing
    else checked that the ``reach_`` columns are the state the count was found on."""
    for factor, terms in calibration.LABEL_REACH_FACTORS.items():
        cells = [
            c for c in calibration.table2_cells() if c["model"] == "uni" and c["term"] in terms
        ]
        rows = reach.set_index("term").loc[list(terms)]
        for name in ("cohort", "reach"):
            missed = {
                c["id"]
                for c in cells
                if calibration.cell_miss(
                    float(np.log(rows.loc[c["term"], f"{name}_hr"])),
                    float(rows.loc[c["term"], f"{name}_se"]),
                    c,
                )
                > 0
            }
            printed = len({c["id"] for c in cells} - missed)
            assert printed == rows[f"{name}_printed"].iloc[0], (factor, name)
