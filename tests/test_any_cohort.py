"""Every chapter explains instead of raising, on every valid cohort (issue 11).

A Hypothesis strategy draws VALID cohorts (``validate_cohort`` finds no problem) of 1 to 15
patients, starting from rows of ``data/cohort.csv`` and perturbing them into the shapes that break
naive code: heavy ties, every event at the same time, all censored, all events, one group only
(nobody / everybody with additional TACE, one best response, all 2-4 or all > 4 prior TACE),
constant covariates and optional columns absent. ``python -m analysis run`` refuses fewer than
``analysis.cohort.MIN_PATIENTS`` (10) patients, and so do the chapters executed directly by
papermill (``load_cohort`` asks for that floor), but the package's functions take any number
(``load_cohort(..., min_patients=0)``), so the cohorts below that floor stay here on purpose: the
package's functions must still explain instead of raising on them. Each generated cohort goes through the package
functions the chapters call, the way the chapters call them; each must return a result whose
numbers are finite, or say why not (a reason string, NaN with a reason, an explanation). A few
whole-chapter runs (``python -m analysis run``, marked slow) check the chapters' own cells.

Expectations that do not come from the code under test: a cohort's SD of one patient does not
exist; a Cox partial likelihood in which everyone at risk dies at each death time holds no
information (every risk set equals its death set: the exact partial likelihood is identically
1); an interval bound of a rate of 100% cannot lie above 100%.
"""

from __future__ import annotations

import json
import math
import re
import tempfile
import warnings
from pathlib import Path
from unittest import mock

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from hypothesis import HealthCheck, assume, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from analysis import COHORT_CSV, bias, clinical, scenarios, tables  # noqa: E402
from analysis.cohort import SCHEMA, derive, load_cohort, validate_cohort  # noqa: E402
from analysis.plots import (  # noqa: E402
    forest_plot,
    km_plot,
    response_plot,
    schoenfeld_plot,
    skewed_labs_plot,
)
from analysis.survival import (  # noqa: E402
    CI_METHODS,
    events_per_variable,
    group_comparison,
    mean_survival,
    median_survival,
    scaled_schoenfeld,
    try_cox_table,
    try_ph_test,
)
from analysis.tables import (  # noqa: E402
    compare,
    table1,
    table1_skewed,
    table2,
    table2_models,
    table2_ties,
)

#: the chapters' kernels are forked from one process that imported what they import
#: (tests/kernel_fork.py); each chapter still runs in a kernel of its own
pytestmark = pytest.mark.usefixtures("forked_kernels")

ROOT = Path(__file__).resolve().parents[1]
ROWS = pd.read_csv(COHORT_CSV, dtype=str, keep_default_na=False)
OPTIONAL = [c.name for c in SCHEMA if not c.required]
CP_COLUMNS = [
    "bilirubin_mg_dl",
    "albumin_g_dl",
    "inr",
    "ascites",
    "encephalopathy",
    "child_pugh_score",
]
CONSTANT_CANDIDATES = [
    "age_years", "sex", "ecog_ps", "afp_ng_ml", "ast_u_l", "crp_mg_l", "pvtt", "tumor_size_mm",
    "tumor_number", "bclc_stage", "haic_cycles", "pivka2", "alt_u_l",
]  # fmt: skip
# removed when the interpreter exits (one per xdist worker; mkdtemp left one behind per run)
_TMPDIR = tempfile.TemporaryDirectory(prefix="any-cohort-")
_TMP = Path(_TMPDIR.name)

# the budget: examples per test (the whole file, slow tests excluded, runs in well under 60 s)
SETTINGS = {
    "deadline": None,
    "derandomize": True,
    "suppress_health_check": [HealthCheck.too_slow, HealthCheck.filter_too_much],
    "database": None,
}


def _fmt_month(x: float) -> str:
    return f"{x:.2f}"


@st.composite
def valid_cohorts(draw) -> pd.DataFrame:
    """A valid cohort as strings, as a CSV would hold it (checked with ``validate_cohort``)."""
    n = draw(st.integers(1, 15))
    idx = draw(st.lists(st.integers(0, len(ROWS) - 1), min_size=n, max_size=n))
    df = ROWS.iloc[idx].reset_index(drop=True).copy()
    df["patient_id"] = [f"T{i:03d}" for i in range(n)]
    os_m = df["os_months"].astype(float).to_numpy()

    times = draw(st.sampled_from(["as is", "heavy ties", "all at one time"]))
    if times == "heavy ties":
        grid = draw(st.lists(st.sampled_from([1.0, 2.0, 3.0, 6.0, 12.0]), min_size=1, max_size=2))
        os_m = np.array([grid[i % len(grid)] for i in range(n)])
    elif times == "all at one time":
        os_m = np.full(n, draw(st.sampled_from([0.0, 0.5, 3.0, 6.0, 24.0])))
    pfs = np.minimum(df["pfs_months"].astype(float).to_numpy(), os_m)
    if times != "as is" and draw(st.booleans()):
        pfs = os_m.copy()  # progression and death at the same (tied) time
    df["os_months"] = [_fmt_month(x) for x in os_m]
    df["pfs_months"] = [_fmt_month(x) for x in pfs]

    events = draw(st.sampled_from(["as is", "all censored", "all events"]))
    if events == "all censored":
        df["os_event"], df["pfs_event"] = "0", "0"
    elif events == "all events":
        df["os_event"], df["pfs_event"] = "1", "1"
    df.loc[df["os_event"] == "1", "pfs_event"] = "1"  # a death is a PFS event

    group = draw(
        st.sampled_from(
            ["none", "no additional TACE", "all additional TACE", "one response",
             "prior TACE 2-4", "prior TACE > 4"]
        )
    )  # fmt: skip
    if group == "no additional TACE":
        df["additional_tace"], df["additional_tace_month"] = "0", ""
    elif group == "all additional TACE":
        df["additional_tace"] = "1"
        df["additional_tace_month"] = [_fmt_month(min(1.0, t)) for t in os_m]
    elif group == "one response":
        df["best_response"] = draw(st.sampled_from(["CR", "PR", "SD", "PD"]))
    elif group.startswith("prior"):
        k = 3 if group == "prior TACE 2-4" else 6
        df["prior_tace_sessions"] = str(k)
        refr = pd.to_numeric(df["refractory_tace_sessions"], errors="coerce")
        df["refractory_tace_sessions"] = ["" if pd.isna(r) else str(int(min(r, k))) for r in refr]
    # months that must not exceed os_months
    for col in ("additional_tace_month", "response_month"):
        df[col] = [
            v if v == "" else _fmt_month(min(float(v), t))
            for v, t in zip(df[col], os_m, strict=True)
        ]

    for col in draw(st.lists(st.sampled_from(CONSTANT_CANDIDATES), max_size=6, unique=True)):
        df[col] = df[col].iloc[0]
    if draw(st.booleans()):  # constant liver function (the Child-Pugh columns move together)
        for col in CP_COLUMNS:
            df[col] = df[col].iloc[0]
    dropped = draw(st.lists(st.sampled_from(OPTIONAL), max_size=len(OPTIONAL), unique=True))
    df = df.drop(columns=dropped)
    # optional columns present but empty in every row (a hospital that does not record them)
    blank = [c for c in OPTIONAL if c in df.columns and c != "additional_tace_month"]
    emptied = draw(st.lists(st.sampled_from(blank), max_size=4, unique=True)) if blank else []
    for col in emptied:
        df[col] = ""
    problems = validate_cohort(df)
    assume(not problems)
    df.attrs["shape"] = (
        f"n={n}, times {times}, events {events}, group {group}, dropped {dropped}, emptied {emptied}"
    )
    return df


def _load(df: pd.DataFrame) -> pd.DataFrame:
    """Write the cohort as a user's CSV and load it the way every chapter does."""
    path = _TMP / "cohort.csv"
    df.to_csv(path, index=False)
    return load_cohort(path, min_patients=0)


def _finite_or_reason(value, reason: str, what: str) -> None:
    values = np.atleast_1d(np.asarray(value, dtype=float))
    assert np.isfinite(values).all() or reason, f"{what}: {value!r} without a reason"


def _close(fig) -> None:
    plt.close(fig)


# ----------------------------------------------------------------------------- fixed shapes
def _rows(idx, **changes) -> pd.DataFrame:
    df = ROWS.iloc[list(idx)].reset_index(drop=True).copy()
    for col, value in changes.items():
        df[col] = value
    assert not validate_cohort(df)
    return df


def _all_die_at(idx, month: float = 6.0) -> pd.DataFrame:
    """Every patient dies (and progresses) in the same month; earlier events moved before it."""
    df = ROWS.iloc[list(idx)].reset_index(drop=True).copy()
    df["os_months"] = df["pfs_months"] = _fmt_month(month)
    df["os_event"] = df["pfs_event"] = "1"
    for col, at in (("response_month", month / 2), ("additional_tace_month", month / 3)):
        df[col] = df[col].where(df[col] == "", _fmt_month(at))
    assert not validate_cohort(df)
    return df


def test_table1_skewed_one_patient_says_not_estimable():
    cohort = _load(_rows([0]))
    skewed = table1_skewed(cohort, user=False)  # as the book's own summaries would read
    assert len(skewed) > 0
    # the SD of one value does not exist (n - 1 = 0); the mean is the value itself
    assert skewed["mean ± SD"].str.endswith("± not estimable").all()
    assert skewed["skewness"].isna().all()
    assert not skewed["mean_minus_2sd_below_0"].any()
    age = skewed.set_index("characteristic").iloc[0]
    assert age["mean ± SD"].startswith(f"{float(ROWS.loc[0, 'age_years']):.1f} ±")
    # as a user's cohort (what _load gives), that mean is the patient's own value: hidden
    shown = table1_skewed(cohort)
    assert (shown["mean ± SD"] == "hidden").all() and (
        shown["5th–95th percentile"] == "hidden"
    ).all()


def test_response_plot_at_a_rate_of_100_percent():
    # every patient with disease control: DCR 100%, whose Wilson upper bound is 1 up to rounding
    cohort = _load(_rows(range(20, 32), best_response="SD"))
    rate = clinical.dcr(cohort["best_response"])
    lo, hi = clinical.proportion_ci(rate.count, rate.n, "wilson", 0.05)
    assert rate.percent == 100.0 and hi <= 1.0 + 1e-12
    counts = {"CR": 0, "PR": 0, "SD": 12, "PD": 0, "ORR": 0, "DCR": 12}
    rates = pd.DataFrame(
        {"percent": [0.0, 100.0], "lower": [0.0, 100 * lo], "upper": [100 * (1 - 1e-15), 100 * hi]},
        index=["ORR", "DCR"],
    )
    _close(response_plot(counts, rates))


def test_cox_with_every_death_at_one_time_is_not_estimable():
    # ten patients who all die in month 6: every risk set equals its death set
    df = _all_die_at(range(10, 20))
    cohort = derive(_load(df))
    table, why = try_cox_table(cohort, "os_months", "os_event", ["age_years"])
    assert table is None and "compares nobody" in why
    models = table2_models(cohort, "implied")
    assert len(models["univariate"]) == 0 and "multivariate" in models["reasons"]
    for coding in ("implied", "stated"):
        table2(cohort, coding)  # no absurd estimate to round
    # one survivor past the death time makes the model estimable again
    df.loc[0, ["os_months", "os_event", "pfs_event"]] = ["9.00", "0", "1"]
    cohort = derive(_load(df))
    table, why = try_cox_table(cohort, "os_months", "os_event", ["age_years"])
    assert why == "" and np.isfinite(table["coef"]).all()


@pytest.mark.parametrize(
    ("changes", "ref"), [({"sex": "F"}, "sex_male"), ({"pvtt": "Vp3"}, "pvtt_vp0")]
)
def test_a_reference_group_nobody_is_in_has_no_hazard_ratio_of_1(changes, ref):
    """Every patient female: chapter 7's Table 7.5 read "Sex: male (reference) … ↳ your
    cohort · 0 (0) | 1" (a hazard ratio of 1 for a group of nobody) above the female row's
    "not estimable, nobody in this cohort is in its reference group (male)"."""
    from analysis import book
    from analysis.verdicts import YOUR_COHORT

    cohort = derive(_load(_rows(range(10, 30), **changes)))
    fits = table2_models(cohort, "implied")
    t2 = table2(cohort, "implied", user=True)
    assert set(t2.loc[t2["term"] == ref, YOUR_COHORT]) == {"–"}
    with mock.patch("analysis.book.glue") as glue:
        book.glue_table2(
            "tbl",
            t2,
            fits,
            user=True,
            counts=tables.table2_group_counts(cohort, "implied", user=True),
        )
    lines = glue.call_args_list[0].args[1].data.splitlines()
    [at] = [
        i
        for i, line in enumerate(lines)
        if "(reference) — paper" in line and ref.split("_")[0] in line.lower()
    ]
    assert lines[at + 1].split(" | ")[1] == "–", lines[at + 1]
    # the book's cohort: every reference row still reads 1
    full = table2(derive(load_cohort()), "implied")
    assert set(full.loc[full["coding"] == "reference category", "reproduced"]) == {"1"}


def test_optimism_with_one_patient_says_why():
    cohort = _load(_rows([0]))
    design = bias.multivariable_design(cohort)
    opt = bias.optimism_corrected_concordance(design, "os_months", "os_event", n_boot=5)
    assert math.isnan(opt["corrected"]) and opt["reason"] == "no model term varies in this cohort"


# --------------------------------------------------------------------- generated cohorts
@settings(max_examples=25, **SETTINGS)
@given(valid_cohorts())
def test_baseline_and_response_functions(df):
    """Chapters 2–5: eligibility, Table 1, the skewed-labs summary, response rates."""
    cohort = _load(df)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        # chapter 2
        clinical.albi_frame(cohort)
        clinical.bclc_stage_frame(cohort)
        jsh_columns = [c for c in OPTIONAL if c.startswith("refractory_")]
        if all(c in cohort.columns and cohort[c].notna().any() for c in jsh_columns):
            clinical.eligibility_frame(cohort)  # the chapter explains instead when one is absent
            clinical.jsh_refractory_frame(cohort, require_two_sessions=True)
            clinical.jsh_refractory_frame(cohort, require_two_sessions=False)
        cp_cols = ["bilirubin_mg_dl", "albumin_g_dl", "inr", "ascites", "encephalopathy"]
        if all(c in cohort.columns for c in cp_cols):
            complete = cohort.dropna(subset=cp_cols)
            if len(complete):
                cp = clinical.child_pugh_frame(complete)
                assert (cp["child_pugh_points"] == complete["child_pugh_score"]).all()
        # chapter 3
        if {"height_cm", "weight_kg"} <= set(cohort.columns):
            measured = cohort[["height_cm", "weight_kg"]].dropna()
            assert np.isfinite(clinical.bsa(measured["height_cm"], measured["weight_kg"])).all()
        # chapter 4
        t1 = table1(cohort)
        assert t1["verdict"].notna().all()
        skewed = table1_skewed(cohort)
        assert len(skewed) > 0
        # chapter 5
        summary = clinical.response_summary(cohort["best_response"])
        assert int(summary.loc["DCR", "count"]) <= len(cohort)
        for rate in (clinical.orr(cohort["best_response"]), clinical.dcr(cohort["best_response"])):
            for method in ("wilson", "clopper-pearson"):
                lo, hi = clinical.proportion_ci(rate.count, rate.n, method, 0.05)
                assert 0 <= lo <= rate.count / rate.n <= hi <= 1 + 1e-12
        rows = [
            {"quantity": "ORR, %", "id": "results.orr.percent", "computed": float(summary.loc["ORR", "percent"]), "count": int(summary.loc["ORR", "count"])}
        ]  # fmt: skip
        compare(rows, user=True)


@settings(max_examples=40, **SETTINGS)
@given(valid_cohorts())
def test_survival_functions(df):
    """Chapter 6 (and 1): medians, means and the three log-rank comparisons."""
    cohort = derive(_load(df))
    t, e = cohort["os_months"], cohort["os_event"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for method in CI_METHODS:
            m = median_survival(t, e, ci=method)
            # an observed time, or (R, on an exact 0.5 plateau) the midpoint of two; NaN: not reached
            assert np.isnan(m[0]) or t.min() <= m[0] <= t.max()
        mean, se = mean_survival(t, e)
        if e.any():
            assert np.isfinite(mean) and 0 <= mean <= t.max() + 1e-9
        else:  # no event: no mean (it would be the longest follow-up, one patient's time)
            assert np.isnan(mean) and mean_survival(t, e).reason
        for col, levels in (
            ("disease_control", [1, 0]),
            ("prior_tace_group", ["2–4", ">4"]),
            ("additional_tace", [1, 0]),
        ):
            result = group_comparison(t, e, cohort[col], levels)
            _finite_or_reason(result["p"], result["reason"], f"log-rank P by {col}")
            for level, g in result["groups"].items():
                _finite_or_reason(g["median"], g["reason"], f"median OS of {col}={level}")


@settings(max_examples=25, **SETTINGS)
@given(valid_cohorts())
def test_cox_functions(df):
    """Chapter 7: Table 2's Cox models, the published comparison, EPV and the PH test.

    ``table2`` and ``table2_ties`` ask for the same models again (the implied coding's Breslow
    fit three times, the stated coding's twice): ``table2_models`` fits each once per cohort
    (its cache by the frame's content) and hands out copies."""
    cohort = derive(_load(df))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fitted = {}
        for coding in ("implied", "stated"):
            models = fitted[coding] = tables.table2_models(cohort, coding)
            for key in ("univariate", "multivariate"):
                fit = models[key]
                if fit is None or len(fit) == 0:
                    continue
                cols = ["coef", "se", "hr", "lower", "upper", "p"]
                assert np.isfinite(fit[cols].to_numpy(float)).all(), (key, df.attrs["shape"])
            table = table2(cohort, coding)
            assert table["verdict"].notna().all()
            # Tables 7.4 and 7.5: patients (deaths) per group, as a user's cohort shows them:
            # no count of 1-4 in sight (it reads "<5")
            for text in tables.table2_group_counts(cohort, coding, user=True).values():
                shown = [int(x) for x in re.findall(r"(?<![<\w])\d+", text)]
                assert all(x == 0 or x >= 5 for x in shown), (text, df.attrs["shape"])
        ties = table2_ties(cohort)  # chapter 7's Breslow-beside-Efron table (both fits)
        assert len(ties) <= ties.attrs["cells"]
        assert (ties["Breslow (SPSS)"] != ties["Efron (R, lifelines)"]).all()
        implied = fitted["implied"]
        if implied["n_parameters"]:
            assert events_per_variable(implied["events"], implied["n_parameters"]) >= 0
        multi = implied["multivariate"]
        terms = [] if multi is None else list(multi.index)
        ph, why = try_ph_test(implied["design"], "os_months", "os_event", terms, transform="km")
        if ph is None:
            assert why
        else:
            assert np.isfinite(ph[["chi2", "p"]].to_numpy(float)).all(), df.attrs["shape"]


@settings(max_examples=8, **SETTINGS)
@given(valid_cohorts())
def test_figures(df):
    """The figures of chapters 4–7 draw (or the chapter draws a note) on any cohort."""
    cohort = derive(_load(df))
    t, e = cohort["os_months"], cohort["os_event"]
    at_risk = np.arange(0, float(t.max()) + 1e-9, 6)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        _close(km_plot(None, t, e, at_risk_times=at_risk))
        _close(
            km_plot(
                None,
                t,
                e,
                cohort["disease_control"],
                labels={1: "DC", 0: "PD"},
                at_risk_times=at_risk,
            )
        )
        for groups in (None, cohort["disease_control"]):  # a user's cohort: small groups not drawn
            _close(km_plot(None, t, e, groups, at_risk_times=at_risk, min_count=5))
        labs = {
            c: c
            for c in ("ast_u_l", "alt_u_l", "crp_mg_l", "afp_ng_ml")
            if c in cohort.columns and cohort[c].notna().any()
        }
        _close(skewed_labs_plot(cohort, labs, show_points=False))
        models = table2_models(cohort, "implied")
        multi = models["multivariate"]
        if multi is not None and len(multi):
            _close(forest_plot(multi, None, labels={}, steps={"ast_gt40": 100}))
            # Fig. 7.2, as the chapter draws it: only where the test exists
            terms = list(multi.index)
            ph, _ = try_ph_test(models["design"], "os_months", "os_event", terms)
            if ph is not None:
                res = scaled_schoenfeld(models["design"], "os_months", "os_event", terms)
                for points in (True, False):
                    _close(schoenfeld_plot(res, ph, points=points))


@settings(max_examples=10, **SETTINGS)
@given(valid_cohorts())
def test_bias_functions(df):
    """Chapter 9: naive/landmark/time-varying analyses, cut-offs, optimism, timing scenarios."""
    cohort = _load(df)
    landmarks = [1.0, 2.0, 3.0, 6.0]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        bias.exposure_analyses(cohort, landmarks)
        resp = cohort.assign(
            disease_control=cohort["best_response"].isin(["CR", "PR", "SD"]).astype(int)
        )
        if "response_month" in cohort.columns:
            bias.exposure_analyses(
                resp, landmarks, exposure_col="disease_control", exposure_time_col="response_month"
            )
        bias.cutoff_sensitivity(cohort, [3, 4, 5, 6])
        design = bias.multivariable_design(cohort)
        opt = bias.optimism_corrected_concordance(design, "os_months", "os_event", n_boot=5)
        _finite_or_reason(opt["apparent"], opt["reason"], "apparent concordance")
        timing = scenarios.scenario_estimates(cohort, landmarks=landmarks, seed=2024)
        for row in timing.itertuples():
            _finite_or_reason([row.hr, row.lower, row.upper], row.reason, f"{row.scenario} HR")


# ------------------------------------------------------------------------ whole chapters
def _errors(notebook: Path) -> list[str]:
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    out = []
    for cell in nb["cells"]:
        for o in cell.get("outputs", []):
            if o.get("output_type") == "error" or "Traceback" in json.dumps(o):
                out.append(f"{notebook.name}: {o.get('ename')}: {o.get('evalue')}")
    return out


#: What a reader should never see in place of a number: a bare NaN, or empty bounds printed as
#: dashes ("5.6––", "–––", "chi2 = –, P –"); the chapters say "not reached" or "not estimable".
BARE_MISSING = re.compile(r"\b(nan|NaN)\b|––|= –|P –")


def _shown_text(notebook: Path) -> list[str]:
    """The printed lines and displayed (not glued) text outputs of an executed notebook, and
    every warning written to stderr (a Python warning among a chapter's outputs)."""
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    shown = []
    for cell in nb["cells"]:
        for o in cell.get("outputs", []):
            if o.get("output_type") == "stream":
                text = "".join(o["text"])
                shown.append(f"stderr: {text}" if o.get("name") == "stderr" else text)
            elif "scrapbook" not in o.get("metadata", {}):
                value = o.get("data", {}).get("text/plain", "")
                shown.append(value if isinstance(value, str) else "".join(value))
    return shown


def _ran_cleanly(notebooks: list[Path]) -> None:
    """No error output in any of the executed ``notebooks``, no warning among their outputs, and
    no bare NaN or empty dashes where a number of chapter 6 or 7 is missing."""
    errors = []
    for out in notebooks:
        errors += _errors(out)
        for text in _shown_text(out):
            assert not text.startswith("stderr:"), f"{out.stem}: {text}"
            if out.stem in ("06-survival", "07-cox"):
                assert not BARE_MISSING.search(text), f"{out.stem}: {text}"
    assert not errors, errors


@pytest.mark.slow(seconds=5)
def test_whole_chapters_run(tmp_path):
    """The chapters that crashed on this shape (every patient dying in one month; 07: one death
    time) run to the end with no error output in any executed notebook, no warning among their
    outputs and no bare NaN or empty dashes where a number is missing (tester: chapter 6 printed
    ``95% CI –––`` with every death at one time, chapter 7 ``AST: HR nan per U/L``). Executed
    the way ``python -m analysis run`` executes them (:func:`_papermill`). (04/05 crashed on one
    patient, which a chapter now refuses, as below; the package functions' one-patient results
    are tested above. The other shape, everybody censored:
    :func:`test_chapter_06_runs_on_a_cohort_where_everybody_is_censored`.)"""
    chapters = ["06-survival", "07-cox"]
    csv = tmp_path / "odd.csv"
    _all_die_at(range(10, 20)).to_csv(csv, index=False)
    for chapter in chapters:
        _papermill(chapter, csv, tmp_path / f"{chapter}.ipynb")
    _ran_cleanly([tmp_path / f"{chapter}.ipynb" for chapter in chapters])
    printed = "\n".join(_shown_text(tmp_path / "06-survival.ipynb"))
    assert "95% CI not estimable" in printed, printed
    printed = "\n".join(_shown_text(tmp_path / "07-cox.ipynb"))
    assert "AST: HR not estimable per U/L, not estimable for > 40" in printed, printed
    # Exercise 7.1's solution read "gives an HR of not estimable (not in the model)"
    solution = _glued(tmp_path / "07-cox.ipynb", "cox_ex_tace_sentence")
    assert "cannot be computed on this cohort" in solution, solution
    assert "HR of not estimable" not in solution and "not in the model" not in solution
    # the AST sentence's aside was opened by a comma and never closed ("An AST hazard
    # ratio, per U/L or split at 40 U/L cannot be computed")
    ast = _glued(tmp_path / "07-cox.ipynb", "cox_ast_paragraph")
    assert ast.startswith("An AST hazard ratio, per U/L or split at 40 U/L, cannot be"), ast
    # chapter 6's summary chained two "so"s: "every patient still at risk dies at the
    # same time, so the test compares nobody, so there is no comparison"
    brief = _glued(tmp_path / "06-survival.ipynb", "surv_brief_dc")
    assert brief.count(", so ") <= 1 and "so there is no comparison" not in brief, brief


@pytest.mark.slow(seconds=8)
@pytest.mark.xdist_group("no-deaths-run")  # one worker runs the chapters once (the fixture)
def test_chapter_06_runs_on_a_cohort_where_everybody_is_censored(no_deaths_run):
    """The other shape of :func:`test_whole_chapters_run`: nobody died (tester: chapter 6
    printed ``log-rank chi2 = –, P –``). Chapter 6 runs to the end with no error output, no
    warning among its outputs and no bare NaN or empty dashes, and says why the interval and the
    test are missing. The run is the session fixture ``no_deaths_run`` (tests/cohort_runs.py:
    the book's 82 patients, every one censored), which tests/test_reader_cohorts.py reads too;
    this test had run chapter 6 on 12 such patients of its own."""
    ch06 = no_deaths_run / "06-survival.ipynb"
    _ran_cleanly([ch06])
    printed = "\n".join(_shown_text(ch06))
    assert "95% CI not estimable" in printed, printed
    assert "log-rank test not estimable: no events in either group" in printed, printed


def _glued(notebook: Path, name: str) -> str:
    """The text or Markdown an executed notebook glued under ``name``."""
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        for o in cell.get("outputs", []):
            if o.get("metadata", {}).get("scrapbook", {}).get("name") == name:
                data = o["data"]
                for mime in ("text/markdown", "text/plain"):
                    value = data.get(f"application/papermill.record/{mime}")
                    if value is not None and not str(value).startswith("<IPython"):
                        return value if isinstance(value, str) else "".join(value)
    raise KeyError(name)


@pytest.mark.slow(seconds=6)
@pytest.mark.xdist_group("short-no-tace-run")  # one worker runs the chapters once (the fixture)
def test_nobody_with_additional_tace_gets_sentences_not_broken_numbers(short_no_tace_run):
    """On a cohort where nobody had additional TACE, chapter 6 read "a median OS of not
    estimable (nobody in this group) months (95% CI interval not estimable)" and Table 6.3
    "not reached" and "NA–NA" for a group with no patients; chapter 9 "has a hazard ratio of
    not estimable (the exposure does not vary (everybody in one group)) (P – )", then went on
    about immortal time. Each missing estimate is now a sentence of its own saying why, what
    rests on it is left out, and a cell of a group with no patients says so. The same cohort has
    nobody with more than 4 prior TACE sessions: §6.3.2 read "with more than 4 (0) it is not
    estimable (nobody in this group) months (interval not estimable)" and "Log-rank P not
    estimable", and chapter 9 "Early landmarks leave few exposed patients (none by month 1)"
    where no landmark had anybody treated.

    The run is the session fixture ``short_no_tace_run`` (tests/cohort_runs.py: that cohort,
    with every time divided by 12 as well, which tests/test_reader_cohorts.py reads it for; the
    sentences here follow the groups' sizes, not the time scale; chapter 9 with few simulated
    studies and resamples, which nothing here reads)."""
    df = pd.read_csv(short_no_tace_run / "short-notace.csv")
    assert (df["additional_tace"] == 0).all() and df["prior_tace_sessions"].max() <= 4
    for chapter in ("06-survival", "09-bias"):
        assert not _errors(short_no_tace_run / f"{chapter}.ipynb")
    ch06, ch09 = short_no_tace_run / "06-survival.ipynb", short_no_tace_run / "09-bias.ipynb"
    groups = _glued(ch06, "surv_additional_tace_groups")
    assert groups.startswith(
        "The median OS of the patients who received additional TACE during HAIC cannot be "
        "computed on this cohort: no patient of this cohort received it."
    ), groups
    assert "have a median OS of" in groups and "not estimable" not in groups, groups
    table = _glued(ch06, "tbl-surv-comparisons")
    rows = [line for line in table.splitlines() if "| median OS, additional TACE" in line]
    rows += [line for line in table.splitlines() if "| 95% CI (SPSS), additional TACE" in line]
    assert len(rows) == 2 and all("no patients" in row for row in rows), rows
    assert "NA–NA" not in table and "not reached" not in table, table
    assert "(" not in _glued(ch06, "surv_lr_additional_tace_p")
    prior_tace = _glued(ch06, "surv_prior_tace_groups")
    assert prior_tace.startswith("Patients with 2–4 prior TACE sessions (82) have a median OS of")
    assert (
        " The median OS of the patients with more than 4 prior TACE sessions cannot be computed on "
        "this cohort: no patient of this cohort had more than 4. The paper's is 3.4 months"
    ) in prior_tace, prior_tace
    for key in ("prior_tace", "additional_tace"):
        logrank = _glued(ch06, f"surv_lr_{key}_sentence")
        assert logrank.startswith(
            "The log-rank test cannot be computed on this cohort: only one group has patients"
        ), logrank
    for name in (
        "surv_prior_tace_groups",
        "surv_lr_prior_tace_sentence",
        "surv_lr_additional_tace_sentence",
    ):
        assert "not estimable" not in _glued(ch06, name) and "(0)" not in _glued(ch06, name)
    # the summary says why each comparison has no P, not "log-rank P not estimable"
    assert _glued(ch06, "surv_brief_prior_tace").startswith(
        "no log-rank P, as no patient of this cohort had more than 4, where the paper gives P = "
    )
    assert _glued(ch06, "surv_brief_additional_tace").startswith(
        "no log-rank P, as no patient of this cohort received it, where the paper gives P = "
    )
    early = _glued(ch09, "bias_lm_early")
    assert early.startswith("No landmark here has two groups to compare: nobody alive"), early
    paragraph = _glued(ch09, "bias_tace_paragraph")
    assert "cannot be computed on this cohort: every patient has the same exposure." in paragraph
    assert "immortal time" not in paragraph and "not estimable" not in paragraph, paragraph
    # the summary set no ratio against the paper's ("not estimable (…), against the paper's 0.438:
    # not scored on your cohort"): the reason, the paper's number beside it
    brief = _glued(ch09, "bias_brief_tace")
    assert brief.startswith(
        "not estimable (every patient has the same exposure; the paper's: 0.438)"
    )
    assert "against" not in brief and "not scored" not in brief, brief
    reading = _glued(ch09, "bias_sc_reading")
    assert reading.startswith("A hazard ratio of additional TACE under any of these timings"), (
        reading
    )
    assert "not estimable" not in reading, reading


@pytest.mark.slow(seconds=27)
@pytest.mark.xdist_group("full-run-odd")  # one worker runs the chapters once (the fixture)
def test_chapters_02_04_05_on_a_cohort_without_optional_columns(odd_run, other_cohorts):
    """Review: on a user's cohort without ALT and refractory sessions §4.2 read "4 of the 7
    means ± SD that Table 1 prints have a mean − 2 SD below zero": counted from the cohort's own
    means and SDs, although Table 1 prints 9 (5 below zero, from data/published). Chapter 5's
    Exercise 5.2 gave beta.ppf(0.025 …) and "never below 95%" whatever ``confidence_level``.
    The calibrated tables' note (agreement by construction) is the book's cohort's only.
    Chapters 2, 4 and 5 (the last with ``confidence_level=0.9``) of the odd run of
    tests/cohort_runs.py (the session fixture ``odd_run``, which test_full_run.py reads): a
    cohort without any optional column."""
    from analysis.book import CALIBRATED_NOTE

    columns = pd.read_csv(other_cohorts["odd"], nrows=0).columns
    assert not set(OPTIONAL) & set(columns)
    assert "alt_u_l" in OPTIONAL and "refractory_tace_sessions" in OPTIONAL
    for chapter in ("02-eligibility", "04-baseline", "05-response"):
        out = odd_run / f"{chapter}.ipynb"
        assert not _errors(out), _errors(out)
        assert CALIBRATED_NOTE not in out.read_text(encoding="utf-8"), chapter
    ch04 = odd_run / "04-baseline.ipynb"
    assert (_glued(ch04, "base_n_skewed"), _glued(ch04, "base_n_cont")) == ("'5'", "'9'")
    printed = "".join(_shown_text(ch04))
    assert "printed by the paper: 5 of 9 (" in printed, printed  # its names follow in brackets
    ch05 = odd_run / "05-response.ipynb"
    code = _glued(ch05, "resp_ex_cp_code")
    assert "beta.ppf(0.05, k," in code and "beta.ppf(0.95, k + 1," in code, code
    assert (_glued(ch05, "resp_ex_tail"), _glued(ch05, "resp_level")) == ("'5%'", "'90%'")


def test_chapter_03_without_height_or_weight_says_so_in_one_sentence(odd_run):
    """Hostile pass (session 34): on a cohort without height_cm and weight_kg, chapter 3 read
    "In your cohort, an unknown number (no height_cm or weight_kg column) of 82 patients have a
    BSA above 2.0 m²", a parenthesis inside the count. The odd run's chapter 3."""
    ch03 = odd_run / "03-treatment.ipynb"
    assert not _errors(ch03), _errors(ch03)
    lead = _glued(ch03, "treat_bsa_lead")
    over, n = (
        _glued(ch03, name).strip("'") for name in ("treat_cohort_over_cap", "treat_cohort_n")
    )
    sentence = f"{lead} {over} of {n} patients have a BSA above"
    assert re.fullmatch(
        r"In your cohort, which has no height_cm or weight_kg column, an unknown number of the "
        r"\d+ patients have a BSA above",
        sentence,
    ), sentence


@pytest.mark.slow(seconds=8)
def test_chapter_10_names_the_users_file_without_two_parentheses(tmp_path):
    """Hostile pass (session 34): chapter 10 on a user's cohort read "It was executed on your
    cohort (combo.csv) (82 patients; optional columns absent: …)"."""
    csv = tmp_path / "mine.csv"
    _rows(range(12)).to_csv(csv, index=False)
    out = tmp_path / "10.ipynb"
    _papermill("10-your-cohort", csv, out)
    assert not _errors(out), _errors(out)
    from analysis.runner import CHAPTERS_DIR

    source = " ".join((CHAPTERS_DIR / "10-your-cohort.md").read_text(encoding="utf-8").split())
    at = source.index("It was executed on")
    template = source[at : source.index("yours_absent`", at) + len("yours_absent`") + 1]
    sentence = re.sub(r"\{glue:text\}`(\w+)`", lambda m: _glued(out, m[1]).strip("'"), template)
    assert sentence == (
        "It was executed on your cohort (mine.csv): 12 patients; optional columns absent: none."
    ), sentence


@pytest.mark.slow(seconds=12)
def test_chapter_09_says_once_why_the_optimism_is_not_estimated(tmp_path):
    """Hostile pass (session 34): nobody with progressive disease (46 patients), 77 of 200
    resamples fitted. Chapter 9 read "The apparent concordance is 0.757; the optimism not
    estimable (only 77 of 200 bootstrap resamples could be fitted, fewer than half); the
    corrected concordance not estimable (only 77 of 200 …, fewer than half) (seeded resamples).
    Only 77 of the 200 resamples could be fitted …": the reason three times, "not estimable" in
    place of a number and two parentheses side by side. The default 200 resamples (the 77 that
    fit are fewer than half); few simulated null studies, which nothing here reads (about 0.7 of
    the chapter's 2.8 CPU-s)."""
    csv = tmp_path / "no-pd.csv"
    _rows(np.flatnonzero(ROWS["best_response"] != "PD")).to_csv(csv, index=False)
    out = tmp_path / "09.ipynb"
    _papermill("09-bias", csv, out, n_simulations=4)
    assert not _errors(out), _errors(out)
    values, failed = _glued(out, "bias_opt_values"), _glued(out, "bias_opt_failed_sentence")
    assert failed.startswith("Only 77 of the 200 ") and "fewer than half" in failed, failed
    assert re.fullmatch(
        r"The apparent concordance is 0\.\d{3}; the optimism, and with it the corrected "
        r"concordance, is not estimated \(seeded resamples\)\.",
        values,
    ), values


@pytest.mark.slow(seconds=8)
def test_chapter_02_says_which_jsh_criteria_a_cohort_does_not_record(tmp_path):
    """Hostile review (2026-12-05): a cohort without one JSH criterion's column (four of the
    five recorded) read "your cohort does not record them" in Table 2.4's caption and the
    sentence before it, and "your cohort does not record them either" of its refractory
    sessions, which it records; the note under the table named the one criterion missing."""
    csv = tmp_path / "four.csv"
    _rows(range(12)).drop(columns="refractory_new_lesions").to_csv(csv, index=False)
    out = tmp_path / "02.ipynb"
    _papermill("02-eligibility", csv, out)
    assert not _errors(out), _errors(out)
    caption, lead = _glued(out, "elig_jsh_caption"), _glued(out, "elig_jsh_lead")
    for text in (caption, lead):
        assert "does not record them." not in text, text
        assert "does not record all that counting them needs" in text, text
    assert "records them, but not all of the criteria" in _glued(out, "elig_sessions_reading")


def _papermill(chapter: str, csv: Path, out: Path, **parameters):
    """Execute a chapter the way ``python -m analysis run`` does (papermill, working directory
    ``chapters/``, the cohort as the ``cohort_path`` parameter, any other ``parameters`` as
    ``-p``); the site is not built here."""
    import cohort_runs
    import papermill

    from analysis.runner import CHAPTERS_DIR, _notebook

    papermill.execute_notebook(
        _notebook(CHAPTERS_DIR / f"{chapter}.md"), str(out),
        parameters={"cohort_path": str(csv), **parameters}, cwd=str(CHAPTERS_DIR),
        progress_bar=False, log_output=False, request_save_on_cell_execute=False,
        kernel_manager_class=cohort_runs.kernel_manager(),
    )  # fmt: skip


@pytest.mark.slow(seconds=6)
@pytest.mark.parametrize("n", [1, 9])
def test_a_chapter_run_directly_refuses_fewer_patients_than_run(tmp_path, n):
    """``papermill chapters/04-baseline.ipynb out.ipynb -p cohort_path n9.csv`` printed the mean
    ± SD and median (IQR) of 9 patients while ``run`` refused the file: the chapter's first cell
    now stops with the same one-line reason, without the library's stack."""
    from papermill.exceptions import PapermillExecutionError

    csv = tmp_path / "few.csv"
    _rows(range(n)).to_csv(csv, index=False)
    out = tmp_path / "04-baseline.ipynb"
    with pytest.raises(PapermillExecutionError) as failed:
        _papermill("04-baseline", csv, out)
    assert failed.value.ename == "CohortError"
    patients = "1 patient" if n == 1 else f"{n} patients"
    assert f"file: has {patients}; a report needs at least 10" in failed.value.evalue
    cells = [
        c for c in json.loads(out.read_text(encoding="utf-8"))["cells"] if c["cell_type"] == "code"
    ]
    failing = [
        i for i, c in enumerate(cells) for o in c.get("outputs", []) if o["output_type"] == "error"
    ]
    assert len(failing) == 1
    [error] = [o for o in cells[failing[0]]["outputs"] if o["output_type"] == "error"]
    assert len(error["traceback"]) == 1 and error["traceback"][0].startswith("CohortError: few.csv")
    assert not any(c.get("outputs") for c in cells[failing[0] + 1 :])  # no statistic printed


def test_deaths_at_month_0_raise_no_warning():
    """Every time 0 (tester: all times 0 put a divide-by-zero RuntimeWarning from SPSS's median SE
    and matplotlib's "identical low and high xlims" warning into chapters 1, 6 and 9). The
    curve falls past 0.55 and 0.45 at time 0, so there is no time span for SPSS's density: the SE
    and the interval are not estimable; the figure gets an axis of its own."""
    from analysis.engine import spss_median

    time, event = np.zeros(10), np.r_[np.ones(8), np.zeros(2)]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        median, se, lower, upper = spss_median(time, event)
        assert median == 0.0 and math.isnan(se) and math.isnan(lower) and math.isnan(upper)
        fig = km_plot(None, time, event, at_risk_times=np.array([0.0]))
        assert fig.axes[0].get_xlim()[1] > 0
    _close(fig)


def test_ph_test_with_every_death_at_one_time_says_why():
    # deaths all in month 6, two patients censored later: the Cox model exists (the survivors
    # are compared with those who die), but a test of change over time has only one time
    df = _all_die_at(range(10, 20))
    df.loc[[0, 1], ["os_months", "os_event"]] = ["9.00", "0"]
    assert not validate_cohort(df)
    cohort = derive(_load(df))
    table, why = try_cox_table(cohort, "os_months", "os_event", ["age_years"])
    assert why == "" and np.isfinite(table["coef"]).all()
    ph, why = try_ph_test(cohort, "os_months", "os_event", ["age_years"])
    assert ph is None and "same time" in why


def test_time_varying_cox_leaves_out_patients_without_follow_up():
    # a death at month 0 (allowed: os_months >= 0) is never at risk in any (start, stop]
    df = _all_die_at(range(10, 18), month=6.0)
    df.loc[0, ["os_months", "pfs_months"]] = ["0.00", "0.00"]
    for col in ("response_month", "additional_tace_month"):
        if df.loc[0, col] != "":
            df.loc[0, col] = "0.00"
    df.loc[[1, 2], ["os_months", "os_event"]] = ["9.00", "0"]
    assert not validate_cohort(df)
    cohort = _load(df)
    tv = bias.exposure_analyses(cohort, [1.0, 3.0])["time_varying"]
    assert tv["n"] == len(cohort) - 1
    _finite_or_reason(tv["hr"], tv["reason"], "time-varying HR")
