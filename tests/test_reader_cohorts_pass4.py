"""A fourth hostile reading (session 32): more unusual but valid cohorts, built from
``data/cohort.csv`` as in tests/test_reader_cohorts.py, chapters executed as ``python -m analysis
run`` does, the output read as text. What read wrong:

- every time divided by 50 (follow-up under a month): chapter 6's tables printed the cohort's
  medians at the paper's whole months, "0" for a median of 0.3 months and "0.2–0" for an
  interval; Exercise 6.2 said "The SPSS mean falls from 0.3 to 0.3 months, because the area
  under the curve now stops at 12 months" and "the deaths after 12 months no longer
  contribute" on a cohort nobody was followed that long.
- nobody with stable disease (everybody CR, or everybody PD): Exercise 5.3 moved a patient from
  SD to PR anyway ("The ORR would be 100.0% instead of 82/82 = 100.0%").
- nobody with disease control: chapter 6 printed "only one group has patients (nobody in 1)",
  the group's code, under its code and in Exercise 6.2.
- everyone dead in month 6: chapter 6 gave a log-rank "χ² = 0.00, P = 1.000" and chapter 9 a
  hazard ratio "1.00 (0.63–1.59), P 1.000" where chapter 7 says the Cox model compares nobody
  (the log-rank variance is 0, the exact partial likelihood is 1 for any coefficient; Efron's
  and Breslow's approximations then peak at HR 1); chapter 9 went on "The estimable landmark
  hazard ratios, 1.00 and 1.00, lie above 1", and that the hazard ratio of disease control by
  month 6 "cannot be computed on this cohort: no events" where nobody was alive after month 6.
- everybody with additional TACE: chapter 9's reading of Table 9.2 set "not estimable (…)" in
  place of five hazard ratios ("The naive hazard ratio, not estimable (every patient has the
  same exposure), does not depend on the timing. The time-varying one does: not estimable …").
- many tied deaths (times divided by 50, two decimals: 50 deaths share 15 times): chapter 7
  said Efron's rule "changes the estimates slightly, and sometimes a printed digit" above "60 of
  78 Table 2 cells … differ"; with no tie at all (12 patients) it "changes the estimates
  slightly" where the two rules are one.
- nobody with a Child-Pugh score other than 5: chapter 7's Table 2 rows of scores 6-8 read "–"
  with no note (the design has no dummy for a score nobody has).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from test_reader_cohorts import ROWS, _glued, _load, _printed

from analysis import bias
from analysis.survival import EVERYONE_DIES_AT_ONCE, group_comparison
from analysis.tables import format_published_value, table2_models


def _all_die_in_month_6() -> pd.DataFrame:
    df = ROWS.copy()
    df["os_months"], df["os_event"], df["pfs_event"] = "6.00", "1", "1"
    for col in ("pfs_months", "additional_tace_month", "response_month"):
        df[col] = [v if v == "" else f"{min(float(v), 6.0):.2f}" for v in df[col]]
    return df


def test_a_number_other_than_0_never_prints_as_0():
    median = "figure2.os_median_prior_tace_2_4.median"  # the paper prints "14"
    assert format_published_value(0.31, median) == "0.3"
    assert format_published_value(14.2, median) == "14" and format_published_value(0, median) == "0"
    assert format_published_value(0.04, "results.os_median.median") == "0.04"  # printed "9.9"
    assert format_published_value((0.17, 0.24), "results.os_median.interval") == "0.2–0.2"


def test_every_death_at_one_time_gives_no_test_and_no_hazard_ratio(tmp_path):
    cohort = _load(_all_die_in_month_6(), tmp_path)
    t, e = cohort["os_months"], cohort["os_event"]
    dc = group_comparison(t, e, cohort["disease_control"], [1, 0])
    assert np.isnan(dc["p"]) and dc["reason"] == EVERYONE_DIES_AT_ONCE
    analyses = bias.exposure_analyses(cohort, [2.0, 3.0])
    assert np.isnan(analyses["naive"]["hr"]) and "compares nobody" in analyses["naive"]["reason"]
    assert analyses["landmarks"]["hr"].isna().all()
    # at month 6 nobody is left: said so, not "no events" (chapter 9's sentence on month 6)
    after = bias.landmark_analysis(cohort, [6.0]).loc[0, "reason"]
    assert after == "nobody is alive and followed after month 6", after
    cut = bias.cutoff_sensitivity(cohort, [4], user=False)
    assert cut["logrank_p"].isna().all() and (cut["reason"] == EVERYONE_DIES_AT_ONCE).all()
    # one patient followed past the deaths: a comparison again
    alive = cohort.copy()
    alive.loc[alive.index[0], ["os_months", "os_event"]] = [9.0, 0]
    assert np.isfinite(group_comparison(alive["os_months"], alive["os_event"], alive["disease_control"], [1, 0])["p"])  # fmt: skip
    assert np.isfinite(bias.exposure_analyses(alive, [3.0])["naive"]["hr"])


def test_a_child_pugh_score_nobody_has_is_said(tmp_path):
    df = ROWS[ROWS["child_pugh_score"].isin(["5", "6"])]
    reasons = table2_models(_load(df, tmp_path))["reasons"]
    assert (
        reasons["child_pugh_7"]
        == reasons["child_pugh_8"]
        == ("nobody in this cohort has this score")
    )
    assert "child_pugh_6" not in reasons


@pytest.mark.slow(seconds=14)
@pytest.mark.xdist_group("short-treated-run")  # one worker runs the chapters once (the fixture)
@pytest.mark.usefixtures("forked_kernels")
def test_chapters_05_06_07_09_on_a_short_follow_up_without_stable_disease(
    short_treated_run, tmp_path
):
    """Cohort A: every time divided by 50, everybody with additional TACE, SD and PR read as CR
    (chapters 5, 6, 7 and 9); cohort B: everybody PD (chapter 6).

    Cohort A's run is the session fixture ``short_treated_run`` (tests/cohort_runs.py), which
    tests/test_reader_cohorts_pass6.py reads too: every Child-Pugh score is 5 or 6 there as well,
    which none of the sentences here reads; chapter 9 with few simulated studies and resamples
    (as tests/test_reader_cohorts_pass5.py runs it), which nothing here reads either."""
    from cohort_runs import execute_chapter

    df = pd.read_csv(short_treated_run / "short-treated.csv", dtype=str, keep_default_na=False)
    _load(df, tmp_path)  # valid
    times = pd.to_numeric(df["os_months"])
    assert times.max() < 1.5 and (df["additional_tace"] == "1").all()  # the premises
    assert not df["best_response"].isin(["SD", "PR"]).any()
    ch05, ch06, ch07, ch09 = (
        short_treated_run / f"{ch}.ipynb" for ch in ("05-response", "06-survival", "07-cox", "09-bias")
    )  # fmt: skip
    assert _glued(ch05, "resp_ex3_orr_text").startswith("Nobody in this cohort had stable disease")
    for table in ("tbl-surv-os", "tbl-surv-comparisons"):
        cells = [row.split("|")[3].strip() for row in _glued(ch06, table).splitlines()[2:] if row]
        zero = [c for c in cells if c == "0" or c.endswith("–0") or c.startswith("0–")]
        assert not zero, (table, cells)
    assert _glued(ch06, "surv_ex12_mean_sentence").startswith("The SPSS mean stays at")
    p = _glued(ch06, "surv_ex12_p_sentence")
    assert "stays" in p and "no death in this cohort comes after 12 months" in p, p
    # 50 deaths share 15 times: Efron's rule changed 60 of 78 printed cells, after "changes the
    # estimates slightly, and sometimes a printed digit where a value lies close to the edge"
    ties = _glued(ch07, "cox_ties_why")
    assert ties.startswith("changes the estimates, and on this cohort most printed digits"), ties
    reading = _glued(ch09, "bias_sc_reading")
    assert reading.startswith("The naive hazard ratio cannot be computed on this cohort"), reading
    assert reading.count("not estimable") == 0, reading

    csv = tmp_path / "pd.csv"
    ROWS.assign(best_response="PD").to_csv(csv, index=False)
    ch06 = execute_chapter("06-survival", csv, tmp_path / "pd-06.ipynb")
    printed = _printed(ch06)
    assert "nobody in the group “disease control”" in printed and "nobody in 1" not in printed, (
        printed
    )
    assert "nobody in 1" not in _glued(ch06, "surv_ex12_p_sentence")


def test_a_skewness_hidden_on_a_small_cohort_says_so(tmp_path):
    """12 patients: Table 4.2's skewness column read "–" in every row beside "[hidden]" ranges,
    under "the skewness column quantifies the asymmetry"."""
    from analysis.cohort import load_cohort
    from analysis.tables import table1_skewed, table1_skewed_shown

    path = tmp_path / "twelve.csv"
    ROWS.iloc[::7].head(12).to_csv(path, index=False)
    shown = table1_skewed_shown(table1_skewed(load_cohort(path, min_patients=0)))
    assert set(shown["skewness"]) == {"hidden"}, shown


def test_table2_reasons_name_terms_as_the_reader_sees_them(tmp_path):
    """12 patients, all men: chapter 7's note read "Sex: female: term(s) ['sex_female'] do not
    vary in this cohort" and "the estimate for bclc_stage runs off to infinity".

    A term fitted per unit is named in that coding, never by Table 2's split: on the 12 patients
    (every seventh row) the multivariable model runs off to infinity on Child-Pugh scores 6 and 7,
    the ALBI score and CRP, named "CRP (mg/L), per mg/L", not "CRP > 3 mg/L". (Before the
    calibration pass that moved AST and CRP the reason named AST, "AST (U/L), per U/L".)"""
    reasons = table2_models(_load(ROWS.assign(sex="M"), tmp_path))["reasons"]
    assert reasons == {"sex_female": "nobody in this cohort is in its group (female)"}
    twelve = table2_models(_load(ROWS.iloc[::7].head(12), tmp_path, "twelve.csv"))["reasons"]
    assert not any("_" in why or "[" in why for why in twelve.values()), twelve
    assert "CRP (mg/L), per mg/L" in twelve["multivariate"], twelve  # implied coding
    stated = ("> 3", ">3", "> 40", ">40", "> 4")  # Table 2's splits of the per-unit terms
    assert not any(s in why for s in stated for why in twelve.values()), twelve
