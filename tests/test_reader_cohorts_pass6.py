"""Sentences that read wrong on a reader's cohort (hostile pass, session 118: the book's 82
patients with everybody treated with additional TACE and every Child-Pugh score 5 or 6, as
``python -m analysis run --cohort`` ran it):

- chapter 7 said "The multivariable model estimates 9 parameters from 68 deaths: 7.6 events per
  parameter" beside a fitted model of 8 terms (additional TACE, the same for everybody, is left
  out; chapter 9 said "8 of them can be estimated … 8.5 events per parameter"), described the
  paper's model ("three dummies against score 5 … and additional TACE") as having 9 parameters,
  and Exercise 7.2 said "5 parameters remain" where the smaller model it reports has 6;
- chapter 9's Exercise 9.3 told the reader to re-run the chapter with another seed by ``make
  chapter NAME=09-bias PARAMS="-p seed=2025"``, which runs it on the book's cohort (and with the
  default number of simulated studies), whose simulated studies have 82 patients, not the
  reader's: the solution's numbers are those of the reader's cohort.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
from test_reader_cohorts import _glued, _printed

from analysis import COHORT_CSV, paper, tables
from analysis.cohort import load_cohort, validate_cohort


def _all_treated_child_pugh_a() -> pd.DataFrame:
    """The book's cohort, everybody with additional TACE (at half the follow-up where the book's
    patient had none) and every Child-Pugh score 5 or 6 (INR left empty, so the score need not
    match its components)."""
    df = pd.read_csv(COHORT_CSV, dtype={"patient_id": str})
    untreated = df["additional_tace"] == 0
    df.loc[untreated, "additional_tace_month"] = (df.loc[untreated, "os_months"] / 2).round(2)
    df["additional_tace"] = 1
    df["inr"] = np.nan
    df["child_pugh_score"] = df["child_pugh_score"].clip(upper=6)
    assert not validate_cohort(df)
    return df


def test_table2_models_count_the_parameters_the_model_estimates(tmp_path):
    csv = tmp_path / "treated-a.csv"
    _all_treated_child_pugh_a().to_csv(csv, index=False)
    fits = tables.table2_models(load_cohort(csv))
    assert fits["terms"] == list(fits["multivariate"].index)
    assert fits["n_parameters"] == len(fits["multivariate"]) == 8
    assert "additional_tace" not in fits["terms"] and "child_pugh_7" not in fits["terms"]
    book = tables.table2_models(load_cohort())
    assert book["n_parameters"] == len(paper.MULTIVARIABLE_TERMS) == 11


def _short_treated_premise(run) -> None:
    """The cohort of the session fixture ``short_treated_run`` (tests/cohort_runs.py) is the one
    above (everybody treated, every Child-Pugh score 5 or 6, INR empty) with every time divided
    by 50 and nobody with stable disease (for tests/test_reader_cohorts_pass4.py): the same
    patients, the same deaths, the same terms that vary."""
    df = pd.read_csv(run / "short-treated.csv", dtype={"patient_id": str})
    assert (df["additional_tace"] == 1).all() and df["inr"].isna().all()
    assert set(df["child_pugh_score"]) <= {5, 6}
    book = _all_treated_child_pugh_a()
    assert len(df) == len(book) and df["os_event"].sum() == book["os_event"].sum() == 68


@pytest.mark.slow(seconds=14)
@pytest.mark.xdist_group("short-treated-run")  # one worker runs the chapters once (the fixture)
def test_chapter_07_counts_the_parameters_it_fits(short_treated_run):
    """Chapter 7 of the session fixture ``short_treated_run`` (:func:`_short_treated_premise`;
    it had run chapter 7 on the cohort above itself)."""
    _short_treated_premise(short_treated_run)
    ch07 = short_treated_run / "07-cox.ipynb"
    assert (
        _glued(ch07, "cox_n_parameters") == "'11'"
    )  # the paper's model, as the prose describes it
    assert "8 parameters in the multivariable model" in _printed(ch07)
    epv = _glued(ch07, "cox_epv_sentence")
    assert epv.startswith("The multivariable model estimates 8 parameters (of the paper's 11; "), (
        epv
    )
    assert "Additional TACE during HAIC" in epv and ": 8.5 events per parameter" in epv, epv
    ex = _glued(ch07, "cox_ex_epv_sentence")
    assert ex.startswith("6 parameters remain, so events per parameter rise from 8.5 to 11.3"), ex
    # the smaller model the solution reports has as many terms as it says remain
    moves = _glued(ch07, "cox_ex_moves")
    assert re.search(r"\b\d of the 6 intervals\b", moves), moves


@pytest.mark.slow(seconds=5)
@pytest.mark.xdist_group("stretched-run")  # one worker runs the chapters once (the fixture)
def test_chapter_09_re_runs_the_readers_cohort_in_exercise_9_3(stretched_run):
    """The command of Exercise 9.3 on a reader's cohort: chapter 9 of the session fixture
    ``stretched_run`` (tests/cohort_runs.py: 60 of the book's patients, their times stretched,
    in ``my cohort.csv``, a space the command quotes; ``-p n_simulations=4 -p n_bootstrap=4``),
    which tests/test_reader_cohorts_pass5.py reads too. It had run chapter 9 with the same
    parameters on 60 patients of the cohort above, whose treatment and Child-Pugh scores the
    command does not depend on."""
    import cohort_runs

    assert cohort_runs.STRETCHED_CSV == "my cohort.csv"  # a space: the command quotes the path
    assert cohort_runs.STRETCHED_RUNS["09-bias"]["n_simulations"] == 4
    ch09 = stretched_run / "09-bias.ipynb"
    command = _glued(ch09, "bias_ex_command")
    assert command == (
        "`python -m analysis run --cohort 'path/to/my cohort.csv' --chapters 09 "
        "--out reports/seed-2025 -p seed=2025 -p n_simulations=4`"
    ), command


@pytest.mark.slow(seconds=14)
@pytest.mark.xdist_group("short-treated-run")  # one worker runs the chapters once (the fixture)
def test_chapter_10_counts_an_optional_column_empty_in_every_row_as_absent(short_treated_run):
    """The cohort above has its ``inr`` column, empty in every row: chapter 10 read "optional
    columns absent: none" and "0 of 9 chapters read an optional column this cohort lacks", while
    chapter 2 said the cohort does not record the Child-Pugh components. Chapter 10 of the
    session fixture ``short_treated_run`` (:func:`_short_treated_premise`; it had run chapter
    10 on the cohort above itself)."""
    _short_treated_premise(short_treated_run)
    ch10 = short_treated_run / "10-your-cohort.ipynb"
    assert _glued(ch10, "yours_absent") == "'inr'"
    assert "2 of 9 chapters read an optional column this cohort lacks" in _printed(ch10)
    assert "- 02-eligibility: inr" in _printed(ch10)
