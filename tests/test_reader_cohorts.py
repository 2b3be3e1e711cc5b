"""What a reader saw on unusual but valid cohorts (a hostile reading of every chapter's output).

Each cohort below was built from ``data/cohort.csv`` with its schema kept (the validator accepts
it), every chapter executed on it as ``python -m analysis run`` does, and the output read as text:

- 20 patients (every fourth row): chapter 5 showed CR "<5", PR "hidden", SD "<5" beside ORR 6
  and DCR 10, so DCR − ORR gave the 4 SD back; chapter 7's Table 7.1 read "not estimable (not
  in the model)" for a multivariable model that could not be fitted at all (monotone likelihood);
  chapter 9 read "not estimable (the model does not converge on this cohort (too few events per
  parameter))" three times over, after "Fitted on your cohort, it keeps all 11".
- nobody dead: chapter 6's tables read "NA–NA" for the interval of a median never reached, its
  Exercise 6.2 "The median is not reached against not reached before: unchanged when it lies
  before 12 months" and "moves from – to –"; chapter 7 "an AST hazard ratio of not estimable —
  not estimable for 100 U/L more", "not estimable (not in the model)" for univariate models, "χ² = not estimable on not estimable df", and a note listing the same
  reason after each of 20 term ids; chapter 9 "The model could be fitted on every one of the 0
  resamples" and "the log-rank P runs from 1.000 to 1.000" (a test without a death).
- follow-up under 3 months: chapter 6's Kaplan–Meier figures had one tick on the time axis
  (0), the number at risk being drawn every 6 months.

A second pass on the same cohorts:

- nobody dead: chapter 6 printed SPSS's mean survival, which without a death is the longest
  follow-up, one patient's time ("48.4 months (SE 0.00)", in Tables 6.1 and 6.2 too, and
  "the SPSS mean falls from 48.4 to 12.0 months"); chapter 7 read "0 deaths share 0 death
  times", "from 0 deaths: 0.0 events per parameter", Exercise 7.2 "events per parameter rise
  from 0.0 to 0.0" and its summary "per U/L this cohort gives not estimable"; chapter 9
  "With 0 deaths that is 0.0 events per parameter, below that", and (on 20 patients too, where
  the model does not converge) "Concordance …: apparent not estimable, corrected for optimism by
  the bootstrap not estimable" and "The apparent concordance is not estimable; the optimism not
  estimable; the corrected concordance not estimable".
- nobody with additional TACE (and nobody dead): chapter 9's summary set a hazard ratio that
  does not exist against the paper's ("not estimable (every patient has the same exposure),
  against the paper's 0.438: not scored on your cohort").
- 20 patients: chapter 5's Exercise 5.3 read "The ORR would be not shown (…) instead of
  hidden … The Wilson interval moves to not shown (…)"; with 20 patients the events per
  parameter are hidden, and chapter 7 read "from hidden deaths: not shown events per
  parameter".
- chapter 9 (any cohort, the book's too) set a P in a parenthesis after the interval's,
  "0.57 (0.18–1.85) (P 0.352)": now "0.57 (0.18–1.85), P 0.352", as Table 2's cells read.

A third pass, on the chapters' summaries ("What this chapter finds"), nobody dead:

- chapter 6 read "median OS (months): not estimable against not estimable; log-rank P not
  estimable, against the paper's P < 0.001", "log-rank P not estimable (the paper's P = 0.01);
  … P not estimable (the paper's P = 0.02)" and "Median overall survival: not reached (SPSS 95% CI
  not estimable)"; chapter 7 "Events per parameter of the multivariable model: 0.0 on this
  cohort"; chapter 9 "hazard ratio from time zero: not estimable (no events); from the landmark
  at month 3: not estimable (no events)"; and in chapter 6's text "Here the median OS is not
  reached; SPSS's interval is not estimable, R's not estimable and lifelines' not estimable",
  Exercise 6.1 "(here not estimable)" and "the SPSS SE is not estimable (median not reached);
  the half-width, 1.96 × SE, is not estimable".

The package-level defects are tested here on the functions the chapters call; the chapters' own
sentences by one run of chapters 6, 7 and 9 on the cohort without deaths (marked slow; the
session fixture ``no_deaths_run`` of tests/cohort_runs.py).
"""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import cohort_runs
import numpy as np
import pandas as pd
import pytest

from analysis import COHORT_CSV, bias, book
from analysis.clinical import response_summary
from analysis.cohort import derive, load_cohort, validate_cohort
from analysis.survival import CI_METHODS, MEAN_NO_EVENTS, mean_survival, median_survival
from analysis.tables import coding_comparison, format_published_value, response_comparison

ROWS = pd.read_csv(COHORT_CSV, dtype=str, keep_default_na=False)


def _load(df: pd.DataFrame, tmp_path: Path, name: str = "cohort.csv") -> pd.DataFrame:
    assert not validate_cohort(df)
    path = tmp_path / name
    df.to_csv(path, index=False)
    return derive(load_cohort(path))


def _no_deaths() -> pd.DataFrame:
    """Every patient censored (the cohort of the session fixture ``no_deaths_run`` too)."""
    return cohort_runs.no_deaths_rows()


# ------------------------------------------------------------------- package functions
def test_an_interval_of_a_median_never_reached_is_words_not_NA(tmp_path):
    """Chapter 6's Tables 6.1-6.3 printed "NA–NA" where the median (or a bound) is not reached."""
    cohort = _load(_no_deaths(), tmp_path)
    median, lower, upper = median_survival(cohort["os_months"], cohort["os_event"])[:3]
    assert np.isnan([median, lower, upper]).all()
    text = format_published_value((lower, upper), "results.os_median.interval")
    assert text == "not estimable"
    # R's band that never crosses one half above: the upper bound is not reached
    assert format_published_value((5.46, np.nan), "results.os_median.interval") == "5.5–not reached"
    # a hazard ratio's interval with a bound missing is no interval
    assert format_published_value((0.5, np.nan), "table2.age_years.uni.interval") == "not estimable"


def test_no_mean_survival_without_an_event(tmp_path):
    """SPSS's mean survival without a death is the longest follow-up, one patient's time: chapter
    06 printed it ("48.4 months, SE 0.00") in its prose and in Tables 6.1 and 6.2. There is no
    mean; the tables say "not estimable" and why, on a user's cohort as on the book's."""
    cohort = _load(_no_deaths(), tmp_path)
    t, e = cohort["os_months"], cohort["os_event"]
    result = mean_survival(t, e)
    assert np.isnan([result.mean, result.se]).all() and result.reason == MEAN_NO_EVENTS
    assert "one patient's time" in MEAN_NO_EVENTS
    one = e.copy()
    one.iloc[0] = 1
    assert not mean_survival(t, one).reason and np.isfinite(mean_survival(t, one).mean)
    medians = {m: median_survival(t, e, ci=m) for m in CI_METHODS}
    longest = f"{t.max():.1f}"
    for path in ("user.csv", None):  # a user's cohort, and the book's (scored)
        table, _ = book.median_comparison(medians, result, "os", cohort_path=path)
        row = table.iloc[4]
        shown = row.get("your cohort", row.get("reproduced"))
        assert shown == "not estimable" and row["reason"] == MEAN_NO_EVENTS, row
        assert longest not in table.to_string(), table


@pytest.mark.parametrize("shape", ["no deaths", "20 patients"])
def test_coding_table_gives_the_fit_s_reason_not_not_in_the_model(tmp_path, shape):
    """Table 7.1 read "not estimable (not in the model)" for a univariate model, or for a
    multivariable model that could not be fitted: the fit's own reason is now given with the
    cell ("<coding> why"), and the cell reads "not estimable".

    The 20 patients are every fourth row from the third (16 deaths, 10 parameters): the
    multivariable model runs off to infinity on Child-Pugh score 8, AFP and albumin ≤ 3 g/dL, so
    its four coding rows are not estimable, while the four univariate models are fitted. (Every
    fourth row from the first, the cohort of the reading above, 17 deaths: since the calibration
    pass that moved AST, CRP, tumour number and bilirubin its multivariable model is fitted, and
    no cell there is "not estimable".)"""
    df = _no_deaths() if shape == "no deaths" else ROWS.iloc[2::4].head(20)
    codings = coding_comparison(_load(df, tmp_path))
    assert codings["implied"].str.startswith("not estimable").any(), shape
    for coding in ("implied", "stated"):
        missing = codings[codings[coding].str.startswith("not estimable")]
        assert not missing[coding].str.contains("not in the model").any(), missing
        assert missing[f"{coding} why"].str.len().gt(0).all(), missing
    if shape == "no deaths":
        assert set(codings["implied why"]) == {
            "no events in this cohort (every patient is censored)"
        }
    else:  # the multivariable model runs off to infinity; the univariate ones are fitted
        multi = codings[codings["model"] == "multivariable"]
        assert multi["implied why"].str.contains("monotone likelihood").all(), multi
        assert (codings.loc[codings["model"] == "univariate", "implied why"] == "").all()


def test_cut_off_table_gives_no_log_rank_p_without_a_death(tmp_path):
    """Chapter 9 printed a log-rank P of 1.000 at every cut-off of a cohort without deaths
    ("the log-rank P runs from 1.000 to 1.000"): no death, no test."""
    cohort = _load(_no_deaths(), tmp_path)
    cut = bias.cutoff_sensitivity(cohort, [3, 4], user=False)
    assert cut["logrank_p"].isna().all() and cut["hr"].isna().all()
    assert (cut["reason"] == "no events in either group").all()
    # one death is enough for a test
    one = cohort.copy()
    one.loc[one.index[0], "os_event"] = 1
    assert bias.cutoff_sensitivity(one, [4], user=False)["logrank_p"].notna().all()


def test_no_hidden_response_count_can_be_worked_out_from_the_shown_ones():
    """Every split of 15 patients into CR, PR, SD and PD, as Table 5.1 shows it on a user's
    cohort: for each count that reads "<5", some other split that shows the same cells gives it
    another value (the reader cannot work it out from the shown counts, N and ORR = CR + PR,
    DCR = CR + PR + SD). Found on 20: CR 1, PR 5, SD 4, PD 10 showed ORR 6 and DCR 10, so SD = 4;
    on 15, CR 1, PR 5, SD 4, PD 5 does the same."""
    n, labels = 15, ["CR", "PR", "SD", "PD", "ORR", "DCR"]
    splits = np.array(
        [(a, b, c, n - a - b - c) for a, b, c in itertools.product(range(n + 1), repeat=3)
         if a + b + c <= n]
    )  # fmt: skip
    full = np.column_stack([splits, splits[:, :2].sum(1), splits[:, :3].sum(1)])
    leaks = []
    for row in full:
        if not ((row[:4] > 0) & (row[:4] < 5)).any():
            continue  # nothing small to protect
        summary = response_summary(
            [c for c, k in zip(labels[:4], row[:4], strict=True) for _ in range(k)]
        )
        hidden = response_comparison(summary, user=True).attrs["hidden"]
        shown = [i for i, lab in enumerate(labels) if lab not in hidden]
        small = [i for i, lab in enumerate(labels) if hidden.get(lab) == "<5"]
        same = (full[:, shown] == row[shown]).all(1)
        same &= ((full[:, small] >= 1) & (full[:, small] <= 4)).all(1)
        for i in small:
            if len(set(full[same, i])) == 1:
                leaks.append((dict(zip(labels, row.tolist(), strict=True)), labels[i]))
    assert not leaks, leaks[:5]


# ------------------------------------------------------------------------ whole chapters
def _glued(notebook: Path, name: str) -> str:
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        for o in cell.get("outputs", []):
            if o.get("metadata", {}).get("scrapbook", {}).get("name") == name:
                for mime in ("text/markdown", "text/plain"):
                    value = o["data"].get(f"application/papermill.record/{mime}")
                    if value is not None and not str(value).startswith("<IPython"):
                        return value if isinstance(value, str) else "".join(value)
    raise KeyError(name)


def _printed(notebook: Path) -> str:
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    return "".join(
        "".join(o.get("text", "")) for c in nb["cells"] for o in c.get("outputs", [])
        if o.get("output_type") == "stream"
    )  # fmt: skip


@pytest.mark.slow(seconds=8)
@pytest.mark.xdist_group("no-deaths-run")  # one worker runs the chapters once (the fixture)
def test_chapters_06_07_09_on_a_cohort_without_deaths(no_deaths_run):
    """The sentences of chapters 6, 7 and 9 that read wrong on a cohort where nobody died.

    The run is the session fixture ``no_deaths_run`` (tests/cohort_runs.py: :func:`_no_deaths`,
    chapter 9 with few simulated studies and resamples, which nothing here reads: its model
    cannot be fitted), which test_any_cohort.py reads too."""
    ch06, ch07, ch09 = (
        no_deaths_run / f"{ch}.ipynb" for ch in ("06-survival", "07-cox", "09-bias")
    )
    for table in ("tbl-surv-os", "tbl-surv-pfs", "tbl-surv-comparisons"):
        text = _glued(ch06, table)
        assert "NA–" not in text and "–NA" not in text, (table, text)
    median = _glued(ch06, "surv_ex12_median_sentence")
    assert median.startswith("The median is not reached before the cut nor after it"), median
    # no mean survival without a death (it would be one patient's follow-up): said, and why
    longest = f"{pd.to_numeric(_no_deaths()['os_months']).max():.1f}"
    for name in ("tbl-surv-os", "tbl-surv-pfs", "surv_os_mean_clause", "surv_ex12_mean_sentence"):
        assert longest not in _glued(ch06, name), name
    for table in ("tbl-surv-os", "tbl-surv-pfs"):
        assert "| not estimable | not scored (your cohort) ¹ |" in _glued(ch06, table), table
        assert "¹ no events (every patient is censored)" in _glued(ch06, f"{table}-notes")
    assert "The mean OS cannot be computed on this cohort: no events" in _glued(
        ch06, "surv_os_mean_clause"
    )
    assert "is not estimable here: no events" in _glued(ch06, "surv_pfs_mean_clause")
    assert _glued(ch06, "surv_ex12_mean_sentence").startswith(
        "The SPSS mean cannot be computed before the cut nor after it: no events"
    )
    assert "mean not estimable: no events" in _printed(ch06) and " SE " not in _printed(ch06)
    logrank = _glued(ch06, "surv_ex12_p_sentence")
    assert "cannot be computed on this cohort: no events in either group" in logrank, logrank
    assert "–" not in logrank
    # chapter 7: one reason, said once; no "0 of 0"; the test's missing result in words
    assert "not in the model" not in _glued(ch07, "tbl-cox-codings")
    assert "¹ not estimable: no events in this cohort" in _glued(ch07, "tbl-cox-codings-notes")
    printed = _printed(ch07)
    assert "0 of 0" not in printed and "neither rule prints a Table 2 cell" in printed, printed
    assert "not estimable: no events in this cohort" in printed, printed
    ph = _glued(ch07, "cox_ph_result")
    assert ph.startswith("The test cannot be computed on this cohort") and "not estimable" not in ph
    ast = _glued(ch07, "cox_ast_paragraph")
    assert ast.startswith("An AST hazard ratio, per U/L or split at 40 U/L, cannot be computed"), (
        ast
    )
    moves = _glued(ch07, "cox_ex_moves")
    assert "no term left" not in moves and "no events in this cohort" in moves, moves
    # counts of nothing said in words: no "0 deaths share 0 death times", no "rise from 0.0 to 0.0"
    assert _glued(ch07, "cox_tied_clause") == "this cohort has no deaths, so none can be tied"
    assert "nobody in this cohort died" in _glued(ch07, "cox_epv_sentence")
    exercise = _glued(ch07, "cox_ex_epv_sentence")
    assert "nobody in this cohort died" in exercise and "0.0" not in exercise, exercise
    assert _glued(ch07, "cox_brief_ast").startswith("this cohort gives neither, per U/L or split")
    nb = json.loads(ch07.read_text(encoding="utf-8"))
    notes = [
        "".join(o["data"]["text/markdown"]) for c in nb["cells"] for o in c.get("outputs", [])
        if "Not estimable on this cohort" in "".join(o.get("data", {}).get("text/markdown", ""))
    ]  # fmt: skip
    assert len(notes) == 1 and notes[0].count("no events in this cohort") == 1, notes
    assert "age_years" not in notes[0] and "Age (years)" in notes[0], notes
    # chapter 9: the model's reason once; no resamples "fitted"; no P of a test without deaths
    epv = _glued(ch09, "bias_opt_epv_sentence")
    assert epv.startswith("The paper's model cannot be computed on this cohort: no events"), epv
    assert "keeps all" not in epv
    for key in ("apparent", "optimism", "corrected"):
        assert _glued(ch09, f"bias_opt_{key}").strip("'") == "not estimable"
    # no "apparent not estimable, corrected … not estimable", no three "not estimable" in a row
    assert _glued(ch09, "bias_brief_concordance") == (
        "not estimable, as the model cannot be fitted on your cohort"
    )
    assert _glued(ch09, "bias_opt_values") == ""
    assert _glued(ch09, "bias_opt_failed_sentence") == (
        "The model could not be fitted on the cohort itself, so no resample was tried."
    )
    assert "0.0 events" not in epv and "With 0 deaths" not in epv, epv
    # no hazard ratio: the paper's beside the reason, not "not estimable …, against the paper's"
    brief = _glued(ch09, "bias_brief_tace")
    assert brief.startswith("not estimable (no events; the paper's: 0.438)"), brief
    assert "against" not in brief and brief.endswith("not estimable, for the same reason"), brief
    # the summaries: what happens said once, in words
    assert (
        _glued(ch06, "surv_brief_os_ci") == "nobody in this cohort died, so SPSS gives no interval"
    )
    assert _glued(ch06, "surv_brief_pfs_ci") == (
        "no patient of this cohort progressed or died, so SPSS gives no interval"
    )
    brief = {
        key: _glued(ch06, f"surv_brief_{key}") for key in ("dc", "prior_tace", "additional_tace")
    }
    assert brief["dc"].startswith(
        ": nobody in this cohort died, so neither group reaches a median OS and the log-rank test"
    ), brief
    assert brief["prior_tace"].startswith("no log-rank P, as nobody in this cohort died"), brief
    assert brief["additional_tace"].startswith("none either, where the paper gives P = "), brief
    assert not any("not estimable" in text for text in brief.values()), brief
    # §6.1.1 and Exercise 6.1: no "not estimable, R's not estimable and lifelines' not estimable"
    assert _glued(ch06, "surv_os_ci_sentence") == (
        "Here the median OS is not reached: nobody in this cohort died, so the curve never falls "
        "to one half and none of the three programs gives an interval."
    )
    assert _glued(ch06, "surv_ex_log_clause") == ""
    assert _glued(ch06, "surv_ex_se_sentence") == (
        "On this cohort the median is not reached (nobody in this cohort died), so SPSS gives it "
        "neither an SE nor a half-width."
    )
    assert _glued(ch07, "cox_brief_epv") == "none on this cohort (nobody died)"
    assert (
        _glued(ch09, "bias_brief_dc") == "neither can be estimated, as nobody in this cohort died"
    )
    cut = _glued(ch09, "bias_ex_cut_range")
    assert cut == "no cut-off from 2 to 8 has a log-rank P: no events in either group", cut
    assert "1.000" not in _glued(ch09, "tbl-bias-cutoffs")


@pytest.mark.slow(seconds=5)
@pytest.mark.xdist_group("short-no-tace-run")  # one worker runs the chapters once (the fixture)
def test_a_short_follow_up_gets_a_time_axis(short_no_tace_run):
    """Every time divided by 12 (follow-up of at most about 4 months): the number at risk every 6
    months left the Kaplan-Meier figures one tick, 0; the step falls to 1 month, and the caption
    says so. Chapter 6 of the session fixture ``short_no_tace_run`` (tests/cohort_runs.py: the
    book's cohort with every time divided by 12, and nobody with additional TACE or more than 4
    prior sessions, which tests/test_any_cohort.py reads it for)."""
    df = pd.read_csv(short_no_tace_run / "short-notace.csv")
    assert df["os_months"].max() <= 4.5 and df["pfs_months"].max() <= 4.5  # the premise
    ch06 = short_no_tace_run / "06-survival.ipynb"
    assert _glued(ch06, "surv_at_risk_step").strip("'") == "1 month"


@pytest.mark.slow(seconds=8)
@pytest.mark.usefixtures("forked_kernels")
def test_chapters_02_05_on_20_patients(tmp_path):
    """Every fourth row of the book's cohort (20 patients): chapter 2 read "the recorded
    criteria add up to hidden for 20 patients"; chapter 5 showed ORR 6 and DCR 10 beside an SD
    of "<5" (10 − 6 = 4)."""
    from cohort_runs import execute_chapter

    csv = tmp_path / "twenty.csv"
    ROWS.iloc[::4].head(20).to_csv(csv, index=False)
    ch02 = execute_chapter("02-eligibility", csv, tmp_path / "02-eligibility.ipynb")
    counts = _glued(ch02, "elig_jsh_counts")
    assert (
        "add up to hidden" not in counts and "sum of the recorded criteria is not shown" in counts
    )
    ch05 = execute_chapter("05-response", csv, tmp_path / "05-response.ipynb")
    table = _glued(ch05, "tbl-resp-published")
    rows = {
        line.split("|")[1].strip(): line.split("|")[3].strip()
        for line in table.splitlines()
        if line.startswith("| ")
    }
    assert rows["SD, n"] == "\\<5" and rows["ORR, n"] == "hidden", rows
    # Exercise 5.3 read "The ORR would be not shown (…) instead of hidden … moves to not shown"
    exercise = _glued(ch05, "resp_ex3_orr_text")
    assert exercise.startswith("On this cohort the ORR is not shown, nor the ORR that one more")
    assert exercise.count("not shown") == 1 and "instead of" not in exercise, exercise


def test_a_p_value_follows_its_interval_after_a_comma():
    """Chapter 9 read "0.54 (0.31–0.93) (P 0.025)" (a user's cohort: "0.57 (0.18–1.85) (P
    0.352)"), two parentheses in a row; Table 2's cells and chapter 8 write "HR (lower–upper),
    P p". The book's golden notebook, which the chapter's code writes on any cohort."""
    golden = Path(__file__).resolve().parent.parent / "chapters" / "09-bias.ipynb"
    paragraph = _glued(golden, "bias_tace_paragraph")
    assert ") (P" not in paragraph and "(0.31–0.93), P 0.025" in paragraph, paragraph
