"""The synthetic cohort against every published aggregate, recomputed independently.

The targets are recomputed here from ``data/cohort.csv`` with pandas and lifelines and compared
with :func:`analysis.published.agrees` (the paper's rounding); nothing of the calibrator's loss is
reused. Known misses and infeasible targets are listed explicitly so that a regression shows.
"""

from __future__ import annotations

import math
from decimal import Decimal
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from cli_output import unwrapped
from lifelines import KaplanMeierFitter
from lifelines.statistics import logrank_test
from lifelines.utils import restricted_mean_survival_time

from analysis import COHORT_CSV, published, synthesis

#: Feasible targets the committed cohort misses under SPSS's median rule (kept explicit so that a
#: regression shows): the PD group's and the > 4-prior-TACE group's curves sit exactly on S = 0.5
#: from 3.16 months, so SPSS prints 3.2 where the paper prints 3.4 (R's midpoint, which the
#: calibration scored); the PD interval moves with its median. Recalibration: issue 13.
KNOWN_MISSES: set[str] = {
    "figure1.os_median_pd.median",
    "figure1.os_median_pd.interval",
    "figure2.os_median_prior_tace_gt4.median",
}
#: Targets that no cohort can print (asymmetric "confidence intervals"; "2.8–11" beside
#: one-decimal neighbours is read as 2.8–11.0, which median 6.7 ± 1.96 SE cannot print).
INFEASIBLE = {
    "figure2.os_median_prior_tace_gt4.interval",
    "abstract.os_median_additional_tace.interval",
    "figure2.os_median_no_additional_tace.interval",
}


@pytest.fixture(scope="module")
def cohort():
    return pd.read_csv(COHORT_CSV, dtype={"bclc_stage": str})


def _spss_median(t, e):
    kmf = KaplanMeierFitter().fit(t, e)
    table = kmf.event_table
    table = table[table["observed"] > 0]
    times = table.index.to_numpy(float)
    r = table["at_risk"].to_numpy(float)
    d = table["observed"].to_numpy(float)
    s = np.cumprod(1 - d / r)
    k = int(np.flatnonzero(s <= 0.5 + 1e-9)[0])
    var = s[k] ** 2 * np.sum(d[: k + 1] / (r[: k + 1] * (r[: k + 1] - d[: k + 1])))
    hi = np.flatnonzero(s >= 0.55)
    u, su = (times[hi[-1]], s[hi[-1]]) if hi.size else (0.0, 1.0)
    lo = np.flatnonzero(s <= 0.45)[0]
    se = np.sqrt(var) / ((su - s[lo]) / (times[lo] - u))
    med = kmf.median_survival_time_  # MIN(t: S(t) <= 0.5): the left end of a plateau, as SPSS
    return med, (med - 1.959963984540054 * se, med + 1.959963984540054 * se)


def _independent(cohort) -> dict:
    """quantity -> {kind: value} recomputed with pandas/lifelines."""
    n = len(cohort)
    br = cohort["best_response"]
    pv = cohort["pvtt"]
    cp = cohort["child_pugh_score"]
    masks = {
        "n_patients": pd.Series(True, index=cohort.index),
        "sex_male": cohort["sex"] == "M", "sex_female": cohort["sex"] == "F",
        "child_pugh_a": cp.between(5, 6), "child_pugh_b": cp.between(7, 9),
        "child_pugh_c": cp >= 10, "bclc_a": cohort["bclc_stage"] == "A",
        "bclc_b": cohort["bclc_stage"] == "B", "bclc_c": cohort["bclc_stage"] == "C",
        "pvtt_present": pv != "Vp0", "pvtt_vp1_2": pv.isin(["Vp1", "Vp2"]),
        "additional_tace": cohort["additional_tace"] == 1,
        "prior_resection_or_transplant": cohort["prior_resection_or_transplant"] == 1,
        "response_cr": br == "CR", "response_pr": br == "PR", "response_sd": br == "SD",
        "response_pd": br == "PD", "orr": br.isin(["CR", "PR"]), "dcr": br != "PD",
    }  # fmt: skip
    masks.update({f"pvtt_vp{k}": pv == f"Vp{k}" for k in range(5)})
    for c in cohort.columns:
        if c.startswith("refractory_") and c != "refractory_tace_sessions":
            masks[c] = cohort[c] == 1
    out = {q: {"count": int(m.sum()), "percent": 100 * m.sum() / n} for q, m in masks.items()}
    for col in synthesis.MEAN_SD_COLUMNS:
        out[col] = {"mean": cohort[col].mean(), "sd": cohort[col].std()}
    for col in ("afp_ng_ml", "pivka2"):
        out[col] = {
            "median": cohort[col].median(),
            "interval": (cohort[col].min(), cohort[col].max()),
        }
    dc = br != "PD"
    groups = {
        None: pd.Series(True, index=cohort.index), "dc": dc, "pd": ~dc,
        "prior_tace_2_4": cohort["prior_tace_sessions"] <= 4,
        "prior_tace_gt4": cohort["prior_tace_sessions"] > 4,
        "additional_tace": cohort["additional_tace"] == 1,
        "no_additional_tace": cohort["additional_tace"] == 0,
    }  # fmt: skip
    for q, (which, g) in synthesis.SURVIVAL_QUANTITIES.items():
        m = groups[g]
        t = cohort.loc[m, f"{which}_months"].to_numpy(float)
        e = cohort.loc[m, f"{which}_event"].to_numpy(int)
        med, ci = _spss_median(t, e)
        kmf = KaplanMeierFitter().fit(t, e)
        out[q] = {
            "median": med,
            "interval": ci,
            "mean": restricted_mean_survival_time(kmf, t=t.max()),
        }
    for q, g in synthesis.LOGRANK_QUANTITIES.items():
        m = groups[g]
        res = logrank_test(
            cohort.loc[m, "os_months"], cohort.loc[~m, "os_months"],
            cohort.loc[m, "os_event"], cohort.loc[~m, "os_event"],
        )  # fmt: skip
        out[q] = {"p": res.p_value}
    return out


def test_every_feasible_target_is_hit(cohort):
    values = _independent(cohort)
    checked, misses = 0, set()
    for row in published.load().itertuples(index=False):
        if row.quantity not in values or row.kind not in values[row.quantity]:
            continue
        checked += 1
        if not published.agrees(values[row.quantity][row.kind], row.id):
            misses.add(row.id)
    assert checked >= 120
    known = KNOWN_MISSES | INFEASIBLE
    # duplicates of a known miss printed elsewhere (same text) count as the same miss
    pub = published.load().set_index("id")
    dup = {
        i for i in misses
        if any(
            pub.loc[i, "quantity"] == pub.loc[k, "quantity"] and pub.loc[i, "text"] == pub.loc[k, "text"]
            for k in known
        )
    }  # fmt: skip
    assert misses - known - dup == set(), "feasible targets missed"


def test_infeasible_targets_are_identified():
    feas = synthesis.feasibility()
    assert set(feas.loc[~feas["feasible"], "id"]) == INFEASIBLE


def test_grim_grimmer_by_hand():
    # 10 integers cannot average 5.19 (sums 51 or 52 give 5.1 or 5.2)
    ok, reason, _ = synthesis._grim_grimmer(5.19, 2, None, 0, 10)
    assert not ok and "GRIM" in reason
    # 1, 2, 3: mean 2.00, SD 1.00 exactly
    assert synthesis._grim_grimmer(2.0, 2, 1.0, 2, 3)[0]
    # three integers with mean 2 have SD 0, 0.58, 1, 1.15, ... never 0.3
    assert not synthesis._grim_grimmer(2.0, 1, 0.3, 1, 3)[0]


def test_clinical_consistency(cohort):
    from analysis.clinical import child_pugh

    pts = [
        child_pugh(b, a, i, s, e)[0]
        for b, a, i, s, e in cohort[
            ["bilirubin_mg_dl", "albumin_g_dl", "inr", "ascites", "encephalopathy"]
        ].itertuples(index=False)
    ]
    assert list(cohort["child_pugh_score"]) == pts
    assert set(cohort["child_pugh_score"]) <= {5, 6, 7, 8}
    assert (cohort["pfs_months"] <= cohort["os_months"]).all()
    assert (cohort.loc[cohort["os_event"] == 1, "pfs_event"] == 1).all()
    assert (cohort["refractory_tace_sessions"] <= cohort["prior_tace_sessions"]).all()
    add = cohort["additional_tace"] == 1
    assert cohort.loc[add, "additional_tace_month"].notna().all()
    assert cohort.loc[~add, "additional_tace_month"].isna().all()
    assert (cohort.loc[add, "additional_tace_month"] > 0).all()
    assert (cohort.loc[add, "additional_tace_month"] < cohort.loc[add, "os_months"]).all()
    resp = cohort["best_response"].isin(["CR", "PR", "SD"])
    assert (cohort.loc[resp, "response_month"] < cohort.loc[resp, "pfs_months"]).all()
    assert (cohort["response_month"] <= cohort["pfs_months"]).all()
    censored = cohort["os_event"] == 0
    # alive at the end of follow-up, except a few losses to follow-up from the initial draw
    early = cohort.loc[censored, "os_months"] < synthesis.MIN_CENSORED_MONTHS
    assert early.sum() <= 2
    assert (cohort["os_months"] <= synthesis.MAX_FOLLOW_UP_MONTHS).all()
    assert list(cohort.columns) == synthesis.COLUMNS
    assert cohort["patient_id"].str.fullmatch(r"SYN\d{3}").all()


def test_cohort_loads_through_the_schema():
    cohort_mod = pytest.importorskip("analysis.cohort")
    df = cohort_mod.load_cohort(COHORT_CSV)
    assert len(df) == 82


@pytest.mark.usefixtures("forked_programs")  # a process of its own (tests/proc_fork.py)
def test_cli_writes_what_synthesize_returns_same_seed_same_bytes(tmp_path):
    """``python -m analysis synthesize`` (chains in two processes) writes the bytes of
    :func:`analysis.synthesis.synthesize` run in this process (one worker); another seed differs.
    A short search (the full one, reproducing ``data/cohort.csv`` byte for byte, is member 0 of
    the 2-member ensemble test in tests/test_ensemble.py)."""
    import subprocess
    import sys

    from analysis import REPO_ROOT

    out = tmp_path / "c.csv"
    options = {"chains": 2, "steps": 150, "cox_steps": 0}
    argv = ["--seed", "7", "--chains", "2", "--steps", "150", "--cox-steps", "0", "--quiet"]
    proc = subprocess.run(
        [sys.executable, "-m", "analysis", "synthesize", *argv, "--out", str(out)],
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "hit" in proc.stdout and "infeasible" in proc.stdout
    same = synthesis.synthesize(7, workers=1, **options)
    assert out.read_bytes() == synthesis.format_cohort(same).encode("utf-8")
    other = synthesis.synthesize(8, workers=1, **options)
    assert synthesis.format_cohort(other) != synthesis.format_cohort(same)


def test_csv_is_stable_and_atomic(tmp_path, cohort):
    path = tmp_path / "x.csv"
    synthesis.write_cohort_csv(cohort, path)
    assert path.read_bytes() == COHORT_CSV.read_bytes()
    assert b"\r" not in path.read_bytes()
    assert [p.name for p in tmp_path.iterdir()] == ["x.csv"]


def test_cli_usage_error(capsys):
    from analysis.__main__ import main

    assert main(["synthesize", "--chains", "0"]) == 2
    assert "chains" in capsys.readouterr().err


def test_refractory_course_has_at_least_two_tace(cohort):
    # JSH 2021: intrahepatic refractoriness (poor response, new lesions, rising marker) is
    # declared after >= 2 consecutive TACE sessions; the synthetic cohort keeps >= 2 for everyone
    refr = cohort["refractory_tace_sessions"]
    assert (refr >= 2).all()
    assert (refr <= cohort["prior_tace_sessions"]).all()
    intrahepatic_only = (
        cohort[["refractory_poor_response", "refractory_new_lesions", "refractory_tumor_marker"]]
        .sum(axis=1)
        .gt(0)
        & cohort["refractory_extrahepatic"].eq(0)
        & cohort["refractory_vascular_invasion"].eq(0)
    )
    assert (refr[intrahepatic_only] >= 2).all()
    # Table 1 prints 2.65 +- 1.3: with a floor of 2 the sum must be 217 (217 / 82 = 2.646)
    assert refr.sum() == 217
    assert round(refr.std(), 1) == 1.3


def test_refractory_floor_is_grimmer_feasible_by_hand():
    # 53 x 2, 18 x 3, 7 x 4, one each of 5, 6, 7 and 11: sum 217, mean 2.646 -> 2.65;
    # sum of squares 212 + 162 + 112 + 25 + 36 + 49 + 121 = 717,
    # SD = sqrt((717 - 217**2 / 82) / 81) = 1.328 -> 1.3
    x = np.array([2] * 53 + [3] * 18 + [4] * 7 + [5, 6, 7, 11])
    assert x.size == 82 and x.min() == 2
    assert f"{x.mean():.2f}" == "2.65" and f"{x.std(ddof=1):.1f}" == "1.3"
    assert synthesis._grim_grimmer(2.65, 2, 1.3, 1, 82)[0]


def test_cox_phase_keeps_every_other_target(cohort):
    before = synthesis.target_table(cohort)
    from analysis.calibration import anneal_table2, polish_table2

    rng = np.random.default_rng(0)
    moved, start, end = anneal_table2(cohort, rng, steps=40)
    assert end <= start
    moved, start2, end2 = polish_table2(moved, sweeps=1)
    assert end2 <= start2
    after = synthesis.target_table(moved)
    pd.testing.assert_frame_equal(before, after)
    # only covariate blocks move: survival columns are untouched
    for col in ("os_months", "os_event", "pfs_months", "pfs_event", "additional_tace"):
        assert moved[col].equals(cohort[col])
    # prior TACE moves only within its survival group
    assert ((moved["prior_tace_sessions"] > 4) == (cohort["prior_tace_sessions"] > 4)).all()


def test_cox_hazard_ratios_agree_with_lifelines(cohort):
    from lifelines import CoxPHFitter

    from analysis.paper import design_matrix

    d = design_matrix(cohort, "implied")
    hrs = synthesis.cox_hazard_ratios(cohort)
    for term in ("age_years", "albumin_le3", "crp_gt3", "additional_tace"):
        cph = CoxPHFitter().fit(d[["os_months", "os_event", term]], "os_months", "os_event")
        # the calibration uses Breslow ties, lifelines Efron: equal to about 1%
        assert hrs[("uni", term)] == pytest.approx(float(np.exp(cph.params_[term])), rel=0.01)


def test_committed_cohort_agrees_with_every_multivariable_row():
    from analysis.calibration import multivariable_agreement

    rows = multivariable_agreement(pd.read_csv(COHORT_CSV, dtype={"bclc_stage": str}))
    # HR inside the printed interval and P on the printed side of 0.05, for all 11 terms
    assert len(rows) == 11 and rows["agrees"].all()


def test_target_table_on_a_cohort_without_optional_columns():
    """A user's cohort may lack optional columns: those targets say so instead of raising."""
    from analysis.cohort import load_cohort

    cohort = load_cohort(None).drop(columns=["pivka2", "prior_resection_or_transplant"])
    table = synthesis.target_table(cohort).set_index("id")
    assert table.loc["table1.pivka2.median", "verdict"] == "not available"
    assert table.loc["table1.pivka2.median", "computed"] == "–"
    assert table.loc["results.prior_resection_or_transplant.count", "verdict"] == "not available"
    assert table.loc["table1.age_years.mean", "verdict"] == "hit"  # the rest is still scored


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--steps", "0"], "--steps must be at least 100, got 0"),
        (["--chains", "0"], "--chains must be at least 1, got 0"),
        (["--seed", "-1"], "--seed must be a non-negative integer, got -1"),
        (["--out", "/proc/cohort.csv"], "--out /proc/cohort.csv: cannot write in /proc"),
    ],
)
def test_synthesize_cli_refuses_bad_input_before_working(argv, message, capsys, tmp_path):
    from analysis.__main__ import main

    assert main(["synthesize", *argv]) == 2
    err = unwrapped(capsys.readouterr().err).strip().splitlines()  # wrapped at 80 columns
    assert len(err) == 1 and err[0].startswith(f"error: {message}")


def test_synthesize_cli_refuses_a_file_as_directory(capsys, tmp_path):
    from analysis.__main__ import main

    (tmp_path / "plain").write_text("x")
    assert main(["synthesize", "--out", str(tmp_path / "plain" / "c.csv")]) == 2
    assert "is not a directory" in capsys.readouterr().err


def test_calibration_fits_equal_the_engine(cohort):
    """The Cox phase's sorted-risk-set Newton-Raphson gives the engine's Breslow estimates."""
    from analysis import engine
    from analysis.calibration import Table2Fits
    from analysis.paper import MULTIVARIABLE_TERMS, design_matrix

    d = design_matrix(cohort, "implied")
    fits = Table2Fits(d).fit()
    beta, se, _, _ = engine.cox_breslow(d[MULTIVARIABLE_TERMS], d["os_months"], d["os_event"])
    got = np.array([fits[("multi", t)] for t in MULTIVARIABLE_TERMS])
    np.testing.assert_allclose(got[:, 0], beta, rtol=1e-6, atol=1e-9)
    np.testing.assert_allclose(got[:, 1], se, rtol=1e-6, atol=1e-9)
    b1, s1, _ = engine.cox_univariate_breslow(d[["age_years"]], d["os_months"], d["os_event"])
    assert fits[("uni", "age_years")] == pytest.approx((b1[0], s1[0]), rel=1e-6)


def test_rescue_is_deterministic_and_never_raises_the_loss():
    """The rescue of a chain that missed (here a short annealing) is a pure function of the
    chain's annealed frame and lowers (feasible loss, loss) or leaves the frame alone."""
    spec = synthesis.published_spec()
    child = np.random.SeedSequence(7).spawn(1)[0]
    df, loss, loss_f, _ = synthesis._anneal_chain((child, 150, spec))
    assert loss_f > 0
    options = {"max_evals": 150, "max_loss": np.inf}
    a, loss_a, loss_f_a = synthesis.rescue_survival(df, **options)
    b, loss_b, loss_f_b = synthesis.rescue_survival(df.copy(), **options)
    assert a.equals(b) and (loss_a, loss_f_a) == (loss_b, loss_f_b)
    assert (loss_f_a, loss_a) <= (loss_f, loss)
    # the losses it reports are those of the frame it returns (its curve cache stays exact)
    targets = synthesis._compile_targets(synthesis._survival_targets())
    again = synthesis._survival_loss(synthesis._SurvivalState(a), targets, {})[:2]
    assert again == (loss_a, loss_f_a)
    # only the survival block moves
    survival = [
        "os_months", "os_event", "pfs_months", "pfs_event", "prior_tace_sessions",
        "additional_tace", "best_response",
    ]  # fmt: skip
    assert a.drop(columns=survival).equals(df.drop(columns=survival))


def test_univariate_block_search_holds_every_other_target_and_the_rows(cohort):
    """The per-block univariate search (issue 13 prototype) moves only the searched blocks'
    columns (the tumour-stage block also in PVTT-only exchanges within a BCLC stage), keeps
    every Table 1, response and survival target, every multivariable row agreeing and the
    univariate count from falling; a BCLC C patient never loses its only stage-C reason."""
    from analysis.calibration import BLOCKS, uni_block_anneal

    def stage_c_reason(c):  # portal invasion, extrahepatic spread or ECOG 1-2
        return (c["pvtt"] != "Vp0") | (c["refractory_extrahepatic"] == 1) | (c["ecog_ps"] >= 1)

    steps = {"liver": 300, "tumour_stage": 300, "crp": 200}
    before = synthesis.target_table(cohort)
    moved, start, end = uni_block_anneal(cohort, np.random.default_rng(0), steps=steps)
    pd.testing.assert_frame_equal(before, synthesis.target_table(moved))
    searched = {c for b in steps for c in BLOCKS[b]}
    for col in cohort.columns:
        if col not in searched:
            assert moved[col].equals(cohort[col]), col
    for b in ("liver", "crp"):  # whole blocks: the same rows, permuted together
        rows_of = [sorted(map(tuple, f[BLOCKS[b]].astype(str).to_numpy())) for f in (moved, cohort)]
        assert rows_of[0] == rows_of[1], b
    assert end[2] == 11 and end[0] >= start[0]
    had = (stage_c_reason(cohort) | (cohort["bclc_stage"] != "C")).sum()
    assert (stage_c_reason(moved) | (moved["bclc_stage"] != "C")).sum() >= had


def test_the_cox_phase_never_trades_a_multivariable_row_for_cells(cohort):
    """Issue 16: the annealer's best state is the one with the most rows agreeing (then the
    lowest loss) and the polish makes no exchange that loses a row, so a cohort whose rows all
    agree keeps them (a candidate losing a row is passed over by the ensemble)."""
    from analysis.calibration import (
        _fitted,
        anneal_table2,
        multivariable_rows,
        polish_table2,
        rows_agreeing,
    )

    rows = multivariable_rows()
    assert rows_agreeing(_fitted(cohort), rows) == len(rows)
    annealed, _, _ = anneal_table2(cohort, np.random.default_rng(3), steps=300)
    assert rows_agreeing(_fitted(annealed), rows) == len(rows)
    polished, _, _ = polish_table2(annealed, sweeps=1)
    assert rows_agreeing(_fitted(polished), rows) == len(rows)


#: A chain annealed by the survival calibration whose disease-control median sits on S = 0.5.
RESCUE_CHAIN = Path(__file__).parent / "data" / "rescue-plateau-chain.csv"


def test_rescue_repairs_a_disease_control_median_on_a_plateau():
    """The first chain of ensemble candidate 408333121 ends its annealing with the disease-control
    OS curve exactly on S = 0.5 at its median (a miss: the printed median would rest on a
    tie-breaking rule); the rescue's constructive repair (two deaths tied in the printed bin, the
    standard error set by one death at S = 0.55 or 0.45) hits every feasible survival target,
    recomputed here with lifelines, and the curve steps over 0.5.

    The annealed chain is stored (``tests/data/rescue-plateau-chain.csv``, every float written
    with its shortest round-trip repr, so it reads back bit for bit; annealing it again costs
    about 10 CPU-s): ``synthesis._anneal_chain((numpy.random.SeedSequence(408333121)
    .spawn(synthesis.DEFAULT_CHAINS)[0], synthesis.DEFAULT_STEPS, synthesis.published_spec()))``.
    The test checks the property it needs on the stored state itself (a feasible target missed,
    the curve on S = 0.5), so it stays meaningful if the annealer changes.
    """
    df = pd.read_csv(RESCUE_CHAIN, float_precision="round_trip")
    assert list(df.columns) == synthesis.COLUMNS
    _, _, loss_f = synthesis.rescue_survival(df, max_evals=0)  # no evaluation: the loss as it is
    dc = (df["best_response"] != "PD").to_numpy()
    kmf = KaplanMeierFitter().fit(df.loc[dc, "os_months"], df.loc[dc, "os_event"])
    assert loss_f > 0 and np.isclose(kmf.survival_function_.to_numpy(), 0.5).any()
    out, _, loss_f = synthesis.rescue_survival(df)
    assert loss_f == 0
    values = _independent(out)
    survival = set(synthesis.SURVIVAL_QUANTITIES) | set(synthesis.LOGRANK_QUANTITIES)
    feasible = synthesis.feasibility().set_index("id")["feasible"]
    checked = 0
    for row in synthesis.target_entries().itertuples(index=False):
        if row.quantity in survival and feasible[row.id]:
            assert published.agrees(values[row.quantity][row.kind], row.id), row.id
            checked += 1
    assert checked >= 18
    kmf = KaplanMeierFitter().fit(out.loc[dc, "os_months"], out.loc[dc, "os_event"])
    assert not np.isclose(kmf.survival_function_.to_numpy(), 0.5).any()


def test_a_diverging_fit_scores_as_a_miss_without_overflow():
    """A Cox fit with monotone likelihood can put a bound beyond the range of exp (e.g. ln HR 40
    with SE 400): the cell is a miss, scored without an OverflowError or a RuntimeWarning, and
    the scalar and vector scores agree."""
    import warnings

    from analysis.calibration import _cell_miss_vec, cell_miss

    cell = {"stat": "upper", "value": 2.283, "decimals": 3, "relation": None, "se": 0.43}
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        scalar = cell_miss(40.0, 400.0, cell)
        vector = _cell_miss_vec(np.array([40.0]), np.array([400.0]), cell)
    assert scalar > 0.5 and math.isfinite(scalar)
    assert vector[0] == pytest.approx(scalar)


def test_value_phase_keeps_every_printed_number_and_the_rows(cohort):
    """The value phase (issue 13) changes values, not only who carries them: every Table 1
    print (mean and SD half up; AFP's median and range), every response and survival target and
    every multivariable row stay; values stay on the file's grid, integers >= 1 where they were,
    bilirubin in its Child-Pugh points band (score unchanged); the same generator state gives
    the same frame."""
    from analysis.calibration import VALUE_COLUMNS, multivariable_agreement, value_polish

    kinds = ("bilirubin_mg_dl", "alt_u_l", "tumor_number", "afp_ng_ml")  # each kind, and a held one
    columns = {c: VALUE_COLUMNS[c] for c in kinds}
    # the committed cohort is the value phase's own result: exchange two patients' ALT values
    # (every Table 1 print stays) so that the phase has a move to make
    alt = cohort["alt_u_l"].to_numpy().copy()
    alt[[0, 1]] = alt[[1, 0]]
    cohort = cohort.assign(alt_u_l=alt)

    def run():
        rng = np.random.default_rng(11)
        return value_polish(
            cohort, rng, moves=6, local_moves=1, columns=columns, decimals=synthesis.CSV_DECIMALS
        )

    moved, start, end = run()
    again, _, _ = run()
    pd.testing.assert_frame_equal(moved, again)
    assert synthesis.format_cohort(moved) == synthesis.format_cohort(again)
    changed = [c for c in cohort.columns if not moved[c].equals(cohort[c])]
    assert set(changed) <= set(VALUE_COLUMNS), changed
    assert changed, "the test should see at least one value move"
    pd.testing.assert_frame_equal(synthesis.target_table(cohort), synthesis.target_table(moved))
    for col in ("ast_u_l", "alt_u_l", "crp_mg_l", "tumor_number"):
        a, b = cohort[col].to_numpy(float), moved[col].to_numpy(float)
        assert round(a.sum(), 6) == round(b.sum(), 6), col  # the mean exact
        for x, y in ((a, b),):  # SD half up at one decimal, by hand in decimal arithmetic
            sd = [Decimal(repr(float(np.std(v, ddof=1)))).quantize(Decimal("0.1"), "ROUND_HALF_UP")
                  for v in (x, y)]  # fmt: skip
            assert sd[0] == sd[1], col
        assert b.min() >= a.min() and b.max() <= a.max(), col
    for col in ("ast_u_l", "alt_u_l", "tumor_number"):
        assert (moved[col] == moved[col].round()).all() and moved[col].min() >= 1
    afp0, afp1 = cohort["afp_ng_ml"], moved["afp_ng_ml"]
    assert (afp0.median(), afp0.min(), afp0.max()) == (afp1.median(), afp1.min(), afp1.max())
    bands = [0, 2.0, 3.0]  # Child-Pugh bilirubin points: < 2, 2-3, > 3 mg/dL, by hand

    def points(b):
        return np.where(b < bands[1], 1, np.where(b <= bands[2], 2, 3))

    assert (points(moved["bilirubin_mg_dl"]) == points(cohort["bilirubin_mg_dl"])).all()
    assert moved["child_pugh_score"].equals(cohort["child_pugh_score"])
    for col, dec in synthesis.CSV_DECIMALS.items():
        v = moved[col].dropna().to_numpy(float) * 10**dec
        assert np.allclose(v, np.round(v), atol=1e-6), col
    assert multivariable_agreement(moved)["agrees"].all()
    assert end[2] == start[2] == 11 and end[0] >= start[0]


def test_edge_polish_only_exchanges_the_sex_block_and_keeps_the_rows(cohort):
    """The edge-distance exchange polish (issue 13) only reassigns whole (sex, height, weight)
    triples between patients: the same multiset of triples, every other column unchanged, as
    many women, every multivariable row agreeing, no fewer univariate entries printed (sex's
    cells checked by an independent fit), and the same frame twice."""
    from analysis.calibration import multivariable_agreement, uni_edge_polish
    from analysis.engine import cox_breslow

    block = ["sex", "height_cm", "weight_kg"]
    cohort = cohort.copy()  # one woman and one man exchange their triples: work for the polish
    w, m = np.flatnonzero(cohort["sex"] == "F")[0], np.flatnonzero(cohort["sex"] == "M")[0]
    cohort.loc[[w, m], block] = cohort.loc[[m, w], block].to_numpy()
    moved, start, end = uni_edge_polish(cohort, moves=2)
    again, _, _ = uni_edge_polish(cohort, moves=2)
    pd.testing.assert_frame_equal(moved, again)
    rest = [c for c in cohort.columns if c not in block]
    pd.testing.assert_frame_equal(moved[rest], cohort[rest])
    key = lambda f: sorted(map(tuple, f[block].astype(str).to_numpy()))  # noqa: E731
    assert key(moved) == key(cohort)
    assert end[0] >= start[0] and end[1] >= start[1] and end[2] == start[2]
    assert multivariable_agreement(moved)["agrees"].all()

    def printed(frame):  # Table 2's univariate HR and bounds for women, by an independent fit
        female = (frame["sex"] == "F").to_numpy(float)[:, None]
        beta, se, _, ok = cox_breslow(female, frame["os_months"], frame["os_event"])
        assert ok
        z = 1.959963984540054
        shown = [math.exp(beta[0] + k * z * se[0]) for k in (0, -1, 1)]
        return sum(f"{v:.3f}" == t for v, t in zip(shown, ("0.984", "0.424", "2.283"), strict=True))

    assert printed(moved) > printed(cohort)


def test_every_patient_of_the_book_cohort_meets_a_refractoriness_criterion():
    """The study's patients were all TACE-refractory: the Cox phase's tumour-stage exchanges once
    left SYN066 with none of the recorded criteria (synthesis.CRITERIA_STREAM repairs it)."""
    from analysis import clinical
    from analysis.cohort import load_cohort

    cohort = load_cohort()
    lax = clinical.jsh_refractory_frame(cohort, require_two_sessions=False)
    assert bool(lax["is_refractory"].all()), cohort.loc[
        ~lax["is_refractory"], "patient_id"
    ].tolist()


def test_written_files_keep_the_mode_a_reader_expects(tmp_path, cohort):
    """A regenerated cohort (and the ensemble's summary) was left 0600, the temporary file's
    mode, whatever the umask: data/cohort.csv became unreadable to the group and others. A new
    file follows the umask; a replaced one keeps its bits."""
    import os
    import stat

    from analysis.cli.ensemble import _write

    old = os.umask(0o022)
    try:
        new = synthesis.write_cohort_csv(cohort, tmp_path / "new.csv")
        assert stat.S_IMODE(new.stat().st_mode) == 0o644
        kept = tmp_path / "kept.csv"
        kept.write_text("x")
        kept.chmod(0o640)
        synthesis.write_cohort_csv(cohort, kept)
        assert stat.S_IMODE(kept.stat().st_mode) == 0o640
        summary = tmp_path / "summary.csv"
        _write(summary, "a,b\n", "--out")
        assert stat.S_IMODE(summary.stat().st_mode) == 0o644
    finally:
        os.umask(old)


def test_infeasible_interval_note_reads_a_short_bound_as_the_calibration_does():
    """Chapter 6 read "2.8–11" with 11 at whole months and called it symmetric; chapter 1's
    Table 1.1 (synthesis.feasibility) reads 11.0 and counts it infeasible. The note gives
    chapter 1's reason and names the other reading."""
    reasons = synthesis.feasibility().set_index("id")["reason"]
    for interval_id in (
        "figure2.os_median_no_additional_tace.interval",
        "results.os_median_no_additional_tace.interval",  # another print of the same number
    ):
        note = synthesis.infeasible_interval_note(interval_id)
        assert reasons["figure2.os_median_no_additional_tace.interval"] in note
        assert "infeasible" in note and "read as 11.0" in note
        assert "whole months" in note and note.endswith("would be symmetric.")
    gt4 = synthesis.infeasible_interval_note("figure2.os_median_prior_tace_gt4.interval")
    assert "not symmetric about the median 3.4" in gt4 and "read as" not in gt4
    assert synthesis.infeasible_interval_note("figure1.os_median_dc.interval") == ""


#: The second fake chain's total loss (:func:`test_early_cox_phase_is_kept_only_for_the_winner`;
#: read in the pool's forked workers).
_SECOND_TOTAL = {"total": 3.0}


def _fake_chain(args):
    """A chain faked for the pool (module level: pickled by name): chain 0 hits at once with
    total loss 2, chain 1 two seconds later with :data:`_SECOND_TOTAL`."""
    import time

    k = args[0].spawn_key[-1]
    if k == 1:
        time.sleep(2.0)
    text = synthesis.format_cohort(pd.read_csv(COHORT_CSV, dtype={"bclc_stage": str}))
    return 0.0, (2.0 if k == 0 else _SECOND_TOTAL["total"]), text, None


def _fake_cox(df, seed, steps, *, workers=1):
    """A Cox phase faked: the frame as it is; the process it ran in, and ``steps``."""
    import os

    return df, float(os.getpid()), float(steps)


@pytest.mark.parametrize(
    ("second_total", "winner", "early_kept"), [(3.0, 0, True), (1.0, 1, False)]
)
def test_early_cox_phase_is_kept_only_for_the_winner(monkeypatch, second_total, winner, early_kept):
    """A chain that hits while the other chain of its round still runs starts its Cox phase in
    the pool at once; that result is used when the chain wins, and the winner's phase is made
    after the round when another chain wins (chains and Cox phase faked: chain 0 hits at once,
    total loss 2; chain 1 hits two seconds later with ``second_total``)."""
    import os

    monkeypatch.setattr(synthesis, "_run_chain", _fake_chain)
    monkeypatch.setattr(synthesis, "_cox_phase", _fake_cox)
    monkeypatch.setitem(_SECOND_TOTAL, "total", second_total)
    df = synthesis.synthesize(7, chains=2, workers=2, steps=10, cox_steps=5)
    loss = df.attrs["loss"]
    assert loss["chain"] == winner and loss["cox_after"] == 5.0
    # the early phase ran in a worker of the pool, the late one here
    assert (loss["cox_before"] != os.getpid()) == early_kept
    text = synthesis.format_cohort(pd.read_csv(COHORT_CSV, dtype={"bclc_stage": str}))
    assert synthesis.format_cohort(df) == text
