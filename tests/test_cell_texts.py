"""Sentences about Table 2 cells that compare numbers or count them (review of chapters 1 and 7):
two numbers compared never print equal, and the feasibility table's infeasible cells are
reconciled with a cohort's counts, which call a cell printed on its own a hit."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from test_pvtt_descent import undone

from analysis import calibration, paper, synthesis
from analysis.cohort import load_cohort
from analysis.formatting import apart_decimals
from analysis.verdicts import HIT, MISSED


def test_apart_decimals_prints_two_close_numbers_differently():
    # 0.31702 and 0.31652 both print 0.317 at three decimals; at four 0.3170 and 0.3165
    assert apart_decimals(0.31702, 0.31652) == 4
    assert apart_decimals(0.250, 0.247) == 3  # already apart
    assert apart_decimals(1.23461, 1.23459) == 5  # 1.2346 both at four
    assert apart_decimals(2.0, 2.0) == 3  # equal numbers: nothing to show


@pytest.fixture(scope="module")
def book_cohort():
    return load_cohort()


@pytest.fixture(scope="module")
def verdicts(book_cohort):
    return calibration.table2_verdicts(book_cohort)


def test_no_missed_reason_compares_numbers_that_print_equal(book_cohort, verdicts):
    """Review: Table 1.7 read "standard error is at least 0.317 … needs at most 0.317" for the
    PVTT Vp3–4 interval; printed with the decimals that tell them apart, the two differ (shown
    on the cohort before the PVTT edge descent, which now prints that interval)."""
    reasons = calibration.missed_cell_reasons(book_cohort, verdicts)
    for r in reasons.itertuples(index=False):
        least = re.findall(r"at least (\d+\.\d+)", r.reason)
        most = re.findall(r"at most (\d+\.\d+)", r.reason)
        assert not set(least) & set(most), r.reason
        for a, b in re.findall(r"SE ≥ (\d+\.\d+) > (\d+\.\d+)", r.numbers):
            assert a != b, r.numbers
    # the cohort as the double-exchange pass left it (24 deaths at Vp0, before the PVTT edge
    # descent put 25 there): Vp3-4's interval out of reach by 0.3170 against 0.3165
    vp34 = calibration.missed_cell_reasons(undone(book_cohort)).set_index("id")
    vp34 = vp34.loc["table2.pvtt_vp3_4.uni.interval", "reason"]
    assert re.search(r"at least 0\.\d{4,} however", vp34), vp34


def test_infeasible_cells_printed_alone_are_reconciled_with_the_counts(book_cohort, verdicts):
    """Review: Table 1.2 listed 9 univariate cells as infeasible while the counts said 8: the
    univariate albumin P 0.003 could not print with its row's HR and interval, but this cohort
    printed it alone. Its row now gives up its interval (one cell) rather than its lower bound
    and P (two), so the P is feasible, and the table and the counts agree: no sentence."""
    assert calibration.infeasible_hits(verdicts).empty
    feas = paper.table2_feasibility()
    counts = synthesis.target_counts(book_cohort)
    summary = paper.feasibility_summary(feas).set_index("model")
    for model, block in (
        ("univariate", "table2_univariate"),
        ("multivariable", "table2_multivariable"),
    ):
        assert int(summary.loc[model, "infeasible"]) == int(counts.loc[block, "infeasible"])
    assert calibration.infeasible_hits_sentence(verdicts, counts) == ""


def test_feasibility_summary_counts_the_numbers_the_counts_count(book_cohort):
    """Review: the feasibility summary said 56 of 65 univariate and 32 of 34 multivariable
    cells are feasible, the counts a few lines below 37 of 57 and 9 of 34: 65 held the 8
    reference rows' printed 1, and the two 34s were different sets (Table 2 with the Child-Pugh
    5 reference row; Table 2 without it plus the abstract's HR 0.151). The summary now counts
    the numbers the counts count, whatever the cohort prints."""
    summary = paper.feasibility_summary().set_index("model")
    counts = synthesis.target_counts(book_cohort)
    for model, block in (
        ("univariate", "table2_univariate"),
        ("multivariable", "table2_multivariable"),
    ):
        assert summary.loc[model, "cells"] == counts.loc[block].sum(), model
    outside = paper.outside_versions()
    verdicts = calibration.table2_verdicts(book_cohort)
    counted_outside = verdicts[~verdicts["id"].str.startswith("table2.")]
    assert outside["id"].tolist() == counted_outside["id"].tolist()


def test_no_sentence_when_the_table_and_the_counts_agree():
    v = pd.DataFrame({"id": ["table2.sex_female.uni.p"], "block": ["table2_univariate"],
                      "published": ["0.96"], "verdict": [MISSED]})  # fmt: skip
    counts = pd.DataFrame(
        {"infeasible": [8, 2]}, index=["table2_univariate", "table2_multivariable"]
    )
    assert calibration.infeasible_hits_sentence(v, counts) == ""
    assert calibration.infeasible_hits(v.assign(verdict=HIT))["id"].tolist() == [
        "table2.sex_female.uni.p"
    ]


def test_a_number_the_counts_alone_call_infeasible_is_named_in_words():
    """A number counted infeasible that neither the feasibility table nor the versions printed
    outside Table 2 account for is named as a reader reads it, not by its id."""
    v = pd.DataFrame({"id": ["results.hr_crp_gt3.p"], "block": ["table2_multivariable"],
                      "published": ["0.03"], "verdict": [calibration.INFEASIBLE]})  # fmt: skip
    counts = pd.DataFrame(
        {"infeasible": [8, 3]}, index=["table2_univariate", "table2_multivariable"]
    )
    sentence = calibration.infeasible_hits_sentence(v, counts)
    assert "calls 2 multivariable numbers infeasible, the counts 3:" in sentence
    assert "CRP > 3 mg/L, P 0.03 (printed in the results) infeasible" in sentence, sentence


def test_readme_says_what_the_infeasible_counts_hold(book_cohort, verdicts):
    """Review: README defines "infeasible" as "no cohort of 82 can print the number together
    with the others of its row"; the cells so listed and the counts now agree (no infeasible
    cell is printed alone), and README says how a row with two equal ways out is counted:
    albumin's multivariable row gives up its interval, one cell, the calibration still aims at
    it, and the cohort's HR and P count as missed."""
    from analysis import COHORT_CSV, published

    readme = " ".join((COHORT_CSV.parent.parent / "README.md").read_text("utf-8").split())
    feas = paper.table2_feasibility()
    summary = paper.feasibility_summary(feas).set_index("model")
    counts = synthesis.target_counts(book_cohort)
    uni = int(summary.loc["univariate", "infeasible"])
    assert uni == int(counts.loc["table2_univariate", "infeasible"])
    multi = int(counts.loc["table2_multivariable", "infeasible"])
    cells = int((~feas["feasible"] & (feas["model"] == "multivariable")).sum())
    assert calibration.infeasible_hits(verdicts).empty
    alb = "table2.albumin_le3.multi"
    hr, iv, p = (published.entry(f"{alb}.{k}") for k in ("hr", "interval", "p"))
    row = feas.set_index("id")
    assert not row.loc[f"{alb}.interval", "feasible"] and row.loc[f"{alb}.hr", "feasible"]
    assert row.loc[f"{alb}.interval", "aimed"] and not row.loc[f"{alb}.hr", "aimed"]
    got = verdicts.set_index("id")
    assert got.loc[[f"{alb}.hr", f"{alb}.p"], "verdict"].tolist() == [MISSED, MISSED]
    res = paper.row_feasibility(hr.value, iv.lower, iv.upper, p.value, decimals=(3, 3, 3, 3))
    off = res["nearest"]["distance"]["hr"]
    assert (
        f"By that definition {uni} univariate Table 2 cells are infeasible, as the table counts, "
        f"and {cells} multivariable one (the table's {multi} add the abstract's 0.151). Where two "
        "ways of giving up equally many numbers of a row fit, the one in fewer cells is counted: "
        f"the multivariable Albumin ≤ 3 g/dL row, {hr.text} ({iv.text}), P {p.text}, gives up "
        "its interval (1 cell), not its HR and P (2 cells), so the cohort's HR "
        f"{got.loc[f'{alb}.hr', 'computed']} and P {got.loc[f'{alb}.p', 'computed']} count as "
        "missed. The calibration still aims at that interval, the reading it was tuned to: from "
        f"it the printed HR lies {off:.2f} of a last digit away."
    ) in readme


def test_each_total_of_table_2_says_what_it_holds():
    """Review: "34" named two sets, Table 2's 34 multivariable numbers (33 and a reference row's
    1) and the counts' 34 (the 33 and the abstract's 0.151); the 12 numbers not feasible were
    read as 12 Table 2 cells. The sentence and the notes under the summary say what each holds."""
    summary = paper.feasibility_summary()
    assert paper.counted_numbers("multivariable", summary) == (
        "33 Table 2 numbers plus the abstract's 0.151"
    )
    assert paper.counted_numbers("univariate", summary) == "57 Table 2 numbers"
    sentence = " ".join(paper.feasibility_summary_sentence(summary).split())
    assert "34 multivariable ones (33 Table 2 numbers plus the abstract's 0.151)" in sentence
    bad = paper.table2_feasibility().query("~feasible")["model"].value_counts()
    assert (
        f"The {bad.sum() + 1} that are not feasible are {bad.sum()} Table 2 cells "
        f"({bad['univariate']} univariate, {bad['multivariable']} multivariable) and the "
        "abstract's 0.151."
    ) in sentence
    assert paper.feasibility_summary_notes(summary) == [
        "Multivariable: the 34 numbers counted are 33 Table 2 numbers plus the abstract's 0.151; "
        f"the {bad['multivariable'] + 1} not feasible, {bad['multivariable']} Table 2 "
        f"cell{'' if bad['multivariable'] == 1 else 's'} plus the abstract's 0.151."
    ]
