"""Sentences that read wrong on a reader's cohort (review of chapters 04-09 on a cohort of 60
patients drawn from the book's, every time stretched by 1.35 and shifted by half a month, as
``python -m analysis run --chapters 05,06,07`` and papermill on chapters 04 and 09 ran it):

- chapter 06, Exercise 6.2: with a median OS beyond 12 months (12.1), the solution read "The
  median is not reached against 12.1 months before: unchanged when it lies before 12 months", and,
  with a log-rank P below 0.001 before and after the cut, "moves from <0.001 to <0.001";
- chapter 09: with one estimable landmark hazard ratio, "The estimable landmark hazard ratios,
  1.95, lie above 1" (and so in the solution of Exercise 9.1).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from test_reader_cohorts import _glued

from analysis import COHORT_CSV
from analysis.cohort import validate_cohort

TIMES = ("os_months", "pfs_months", "response_month", "additional_tace_month")


def _stretched() -> pd.DataFrame:
    """60 of the book's patients, their times × 1.35 + 0.5 months, the schema's rules kept."""
    df = pd.read_csv(COHORT_CSV, dtype={"patient_id": str}).sample(60, random_state=7)
    df = df.reset_index(drop=True)
    for col in TIMES:
        df[col] = (df[col] * 1.35 + 0.5).round(2)
    for col in ("pfs_months", "response_month", "additional_tace_month"):
        df[col] = np.minimum(df[col], df["os_months"])
    df["patient_id"] = [f"P{i:03d}" for i in range(1, 61)]
    assert not validate_cohort(df)
    return df


@pytest.mark.slow(seconds=25)
@pytest.mark.usefixtures("forked_kernels")
def test_chapters_06_and_09_on_a_stretched_cohort(tmp_path):
    from cohort_runs import execute_chapter

    csv = tmp_path / "stretched.csv"
    _stretched().to_csv(csv, index=False)
    ch06 = execute_chapter("06-survival", csv, tmp_path / "06.ipynb")
    median = _glued(ch06, "surv_ex12_median_sentence")
    assert "lies beyond 12 months" in median and "unchanged when" not in median, median
    assert median.rstrip(".").endswith("not reached"), median
    p = _glued(ch06, "surv_ex12_p_sentence")
    assert "moves from <0.001 to <0.001" not in p and "still as <0.001" in p, p

    ch09 = execute_chapter("09-bias", csv, tmp_path / "09.ipynb", n_simulations=4, n_bootstrap=4)
    direction = _glued(ch09, "bias_lm_direction")
    assert "The only estimable landmark hazard ratio, " in direction, direction
    assert " lies above 1" in direction and "ratios, 1." not in direction, direction
    reading = _glued(ch09, "bias_ex_lm_reading")
    assert "only estimable landmark hazard ratio of" in reading and " lies above 1" in reading, (
        reading
    )
