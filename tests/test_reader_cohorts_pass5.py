"""Sentences that read wrong on a reader's cohort (review of chapters 4–9 on a cohort of 60
patients drawn from the book's, every time stretched by 1.35 and shifted by half a month, as
``python -m analysis run --chapters 05,06,07`` and papermill on chapters 4 and 9 ran it):

- chapter 6, Exercise 6.2: with a median OS beyond 12 months (12.1), the solution read "The
  median is not reached against 12.1 months before: unchanged when it lies before 12 months", and,
  with a log-rank P below 0.001 before and after the cut, "moves from <0.001 to <0.001";
- chapter 9: with one estimable landmark hazard ratio, "The estimable landmark hazard ratios,
  1.95, lie above 1" (and so in the solution of Exercise 9.1).
"""

from __future__ import annotations

import pytest
from test_reader_cohorts import _glued


@pytest.mark.slow(seconds=5)
@pytest.mark.xdist_group("stretched-run")  # one worker runs the chapters once (the fixture)
def test_chapters_06_and_09_on_a_stretched_cohort(stretched_run):
    """Chapters 6 and 9 (few simulated studies and resamples) of the session fixture
    ``stretched_run`` (tests/cohort_runs.py: :func:`cohort_runs.stretched_rows`, the cohort
    above), which tests/test_reader_cohorts_pass6.py reads too."""
    ch06 = stretched_run / "06-survival.ipynb"
    median = _glued(ch06, "surv_ex12_median_sentence")
    assert "lies beyond 12 months" in median and "unchanged when" not in median, median
    assert median.rstrip(".").endswith("not reached"), median
    p = _glued(ch06, "surv_ex12_p_sentence")
    assert "moves from <0.001 to <0.001" not in p and "still as <0.001" in p, p

    ch09 = stretched_run / "09-bias.ipynb"
    direction = _glued(ch09, "bias_lm_direction")
    assert "The only estimable landmark hazard ratio, " in direction, direction
    assert " lies above 1" in direction and "ratios, 1." not in direction, direction
    reading = _glued(ch09, "bias_ex_lm_reading")
    assert "only estimable landmark hazard ratio of" in reading and " lies above 1" in reading, (
        reading
    )
