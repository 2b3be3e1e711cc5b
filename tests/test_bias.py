"""Tests of analysis.bias on hand-built and simulated data with known answers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis import bias


def test_to_counting_process_by_hand():
    df = pd.DataFrame(
        {
            "additional_tace": [1, 0, 1, 1],
            "additional_tace_month": [2.0, np.nan, 4.0, 0.0],
            "os_months": [5.0, 3.0, 4.0, 6.0],
            "os_event": [1, 0, 1, 0],
        }
    )
    long = bias.to_counting_process(df)
    expected = pd.DataFrame(
        {
            "id": [0, 0, 1, 2, 3],
            # exposed at 2 of 5: (0, 2] unexposed without event, (2, 5] exposed with the death
            "start": [0.0, 2.0, 0.0, 0.0, 0.0],
            "stop": [2.0, 5.0, 3.0, 4.0, 6.0],
            # exposure at 4 = end of follow-up: never exposed while at risk; at 0: exposed throughout
            "exposed": [0, 1, 0, 0, 1],
            "event": [0, 1, 0, 1, 0],
        }
    )
    pd.testing.assert_frame_equal(long, expected)
    with pytest.raises(ValueError, match="os_months"):
        bias.to_counting_process(df.assign(os_months=[0.0, 3.0, 4.0, 6.0]))


def test_landmark_counts_by_hand():
    df = pd.DataFrame(
        {
            "additional_tace": [1, 1, 0, 0, 1, 0, 1, 0],
            "additional_tace_month": [1.0, 5.0, np.nan, np.nan, 2.0, np.nan, 0.5, np.nan],
            "os_months": [10.0, 12.0, 2.0, 8.0, 9.0, 4.0, 2.5, 7.0],
            "os_event": [1, 1, 1, 1, 0, 1, 1, 1],
        }
    )
    out = bias.landmark_analysis(df, [3.0])
    row = out.iloc[0]
    # alive after 3 months: rows 0, 1, 3, 4, 5, 7 (rows 2 and 6 died at 2 and 2.5) → 6
    assert row["n"] == 6
    # exposed by month 3: rows 0 (month 1) and 4 (month 2); row 1 (month 5) counts as unexposed
    assert row["exposed"] == 2
    assert row["events"] == 5  # row 4 is censored
    # a landmark after everyone has died leaves no analysis
    assert bias.landmark_analysis(df, [20.0]).iloc[0]["n"] == 0
    assert np.isnan(bias.landmark_analysis(df, [20.0]).iloc[0]["hr"])


def test_simulation_is_seeded_and_exposure_needs_survival():
    a = bias.simulate_null_exposure(200, seed=7)
    pd.testing.assert_frame_equal(a, bias.simulate_null_exposure(200, seed=7))
    treated = a[a["additional_tace"] == 1]
    assert (treated["additional_tace_month"] < treated["os_months"]).all()
    assert a.loc[a["additional_tace"] == 0, "additional_tace_month"].isna().all()


def test_null_effect_naive_biased_time_varying_not():
    # the treatment does nothing (true HR 1); a large study makes the answer sharp
    sim = bias.simulate_null_exposure(3000, seed=11, hazard_ratio=1.0)
    naive = bias.naive_cox(sim)
    tv = bias.time_varying_cox(sim)
    assert naive["hr"] < 0.8 and naive["p"] < 1e-6  # immortal time looks like benefit
    assert tv["lower"] < 1.0 < tv["upper"]
    assert tv["hr"] == pytest.approx(1.0, abs=0.1)


def test_time_varying_recovers_true_effect():
    # true HR 0.5 after treatment
    sim = bias.simulate_null_exposure(3000, seed=12, hazard_ratio=0.5)
    tv = bias.time_varying_cox(sim)
    assert tv["lower"] < 0.5 < tv["upper"]


def test_null_simulation_shape_and_determinism():
    a = bias.null_simulation(3, n=120, seed=5)
    assert list(a.columns) == ["sim", "naive_hr", "naive_p", "tv_hr", "tv_p"]
    assert len(a) == 3
    pd.testing.assert_frame_equal(a, bias.null_simulation(3, n=120, seed=5))


def test_cutoff_sensitivity_by_hand():
    # no censoring: low group (≤ c) times are its medians by hand
    df = pd.DataFrame(
        {
            "prior_tace_sessions": [2, 3, 4, 5, 6, 7],
            "os_months": [10.0, 12.0, 14.0, 3.0, 4.0, 13.0],
            "os_event": [1] * 6,
        }
    )
    out = bias.cutoff_sensitivity(df, [3, 4, 8]).set_index("cutoff")
    assert (out.loc[3, "n_low"], out.loc[3, "n_high"]) == (2, 4)
    assert (out.loc[4, "n_low"], out.loc[4, "n_high"]) == (3, 3)
    # cut-off 4: low 10, 12, 14 → median 12; high 3, 4, 13 → median 4
    assert out.loc[4, "median_low"] == pytest.approx(12.0)
    assert out.loc[4, "median_high"] == pytest.approx(4.0)
    assert out.loc[4, "hr"] > 1  # the high group dies sooner
    # nobody above 8: no comparison
    assert out.loc[8, "n_high"] == 0 and np.isnan(out.loc[8, "hr"])


def _design(n, seed, signal):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 11))
    rate = np.exp(signal * x[:, 0])
    t = rng.exponential(1 / rate)
    df = pd.DataFrame(x, columns=[f"x{i}" for i in range(11)])
    df["t"] = t
    df["e"] = 1
    return df


def test_optimism_noise_model():
    # 11 noise covariates, 82 patients: apparent C above 0.5 by chance, corrected C near 0.5
    res = bias.optimism_corrected_concordance(_design(82, 3, 0.0), "t", "e", n_boot=25, seed=1)
    assert res["parameters"] == 11 and res["events"] == 82
    assert res["apparent"] > res["corrected"]
    assert res["optimism"] > 0.02
    assert abs(res["corrected"] - 0.5) < 0.08
    again = bias.optimism_corrected_concordance(_design(82, 3, 0.0), "t", "e", n_boot=25, seed=1)
    assert again == res


def test_optimism_strong_signal_large_sample():
    # one strong predictor, many events: little optimism
    res = bias.optimism_corrected_concordance(_design(600, 4, 1.5), "t", "e", n_boot=10, seed=2)
    assert res["apparent"] > 0.75
    assert res["optimism"] < 0.02


def test_optimism_is_not_estimated_from_fewer_than_half_of_the_resamples():
    """Review: on a small cohort chapter 9 reported an optimism averaged over 3 of 200
    resamples. With fewer than ``min_fitted`` (half) fitted the optimism and the corrected C are
    NaN and the reason says how many fitted; the apparent C stands. (On the first 35 patients
    only 95 of 200 fitted while the engine's Newton steps overshot on AFP per ng/mL; with step
    halving 179 fit. On the first 25 patients, 20 deaths and 10 parameters, 81 fit, and 109 since
    the calibration pass that moved AST, CRP, tumour number and bilirubin. On the first 23, 18
    deaths and 10 parameters, 60 fit: a resample holds about 15 distinct patients, and the model
    on it has a constant or collinear term or a likelihood that keeps rising.)"""
    from analysis.cohort import load_cohort

    design = bias.multivariable_design(load_cohort().head(23))
    res = bias.optimism_corrected_concordance(design, "os_months", "os_event", n_boot=200)
    assert 0 < res["n_boot"] < 100 < res["n_boot"] + res["failed"] == 200, res
    assert np.isnan(res["optimism"]) and np.isnan(res["corrected"]) and res["apparent"] > 0.5
    assert res["reason"] == (
        f"only {res['n_boot']} of 200 bootstrap resamples could be fitted, fewer than half"
    )
    book = bias.optimism_corrected_concordance(
        bias.multivariable_design(load_cohort()), "os_months", "os_event", n_boot=40
    )
    assert book["reason"] == "" and np.isfinite(book["optimism"])


def test_missing_column_and_values():
    with pytest.raises(KeyError, match="additional_tace"):
        bias.naive_cox(pd.DataFrame({"os_months": [1.0], "os_event": [1]}))
    design = _design(20, 1, 0.0)
    design.iloc[0, 0] = np.nan
    with pytest.raises(ValueError, match="missing"):
        bias.optimism_corrected_concordance(design, "t", "e", n_boot=2)


# lifelines (the oracle) warns about low variance on this small tied design; the fit still
# converges, and the assertions below compare its estimates
@pytest.mark.filterwarnings("ignore:Column exposed have very low variance")
def test_cox_efron_matches_lifelines_with_ties_and_counting_process():
    """The NumPy Efron fit used in the loops equals lifelines' fits (an independent code)."""
    from lifelines import CoxPHFitter, CoxTimeVaryingFitter

    rng = np.random.default_rng(7)
    n = 60
    df = pd.DataFrame(
        {
            "t": np.round(rng.exponential(10, n), 0) + 1,  # rounded: many ties
            "e": (rng.random(n) < 0.8).astype(int),
            "a": rng.normal(size=n),
            "b": (rng.random(n) < 0.4).astype(float),
        }
    )
    ref = CoxPHFitter().fit(df, "t", "e")
    beta, se, converged = bias.cox_efron(np.zeros(n), df["t"], df["e"], df[["a", "b"]].to_numpy())
    assert converged
    np.testing.assert_allclose(beta, ref.params_.to_numpy(), atol=1e-6)
    np.testing.assert_allclose(se, ref.standard_errors_.to_numpy(), atol=1e-6)

    sim = bias.simulate_null_exposure(80, seed=3)
    # times on a 0.1-month grid: ties in the counting process too
    sim["os_months"] = np.ceil(sim["os_months"] * 10) / 10
    sim["additional_tace_month"] = np.floor(sim["additional_tace_month"] * 10) / 10
    long = bias.to_counting_process(sim)
    ctv = CoxTimeVaryingFitter().fit(
        long, id_col="id", event_col="event", start_col="start", stop_col="stop"
    )
    fast = bias.cox_one_covariate(long["start"], long["stop"], long["event"], long["exposed"])
    assert fast["hr"] == pytest.approx(float(ctv.hazard_ratios_["exposed"]), rel=1e-5)
    assert fast["p"] == pytest.approx(float(ctv.summary.loc["exposed", "p"]), rel=1e-4)


def test_cox_one_covariate_without_variation_is_nan():
    out = bias.cox_one_covariate(np.zeros(5), [1, 2, 3, 4, 5], [1, 1, 0, 1, 1], [1, 1, 1, 1, 1])
    assert np.isnan(out["hr"]) and out["converged"] is False


def test_degenerate_cohorts_give_reasons_not_errors():
    sim = bias.simulate_null_exposure(40, seed=11)
    nobody = sim.assign(additional_tace=0, additional_tace_month=np.nan)
    naive = bias.naive_cox(nobody)
    assert np.isnan(naive["hr"]) and naive["reason"] == "every patient has the same exposure"
    out = bias.exposure_analyses(nobody, [1.0, 2.0])
    assert out["time_varying"]["reason"] == "every patient has the same exposure"
    assert out["landmarks"]["hr"].isna().all()
    # without exposure times only the naive analysis is possible, and the reason says so
    untimed = sim.drop(columns=["additional_tace_month"])
    out = bias.exposure_analyses(untimed, [1.0])
    assert out["reason"] == (
        "the cohort does not record additional_tace_month for every exposed patient"
    )
    assert out["landmarks"].empty and np.isfinite(out["naive"]["hr"])
    # every death in the exposed group: the likelihood has no maximum
    separated = sim.assign(os_event=sim["additional_tace"])
    assert "infinity" in bias.naive_cox(separated)["reason"]


def test_the_landmark_sentences_say_what_each_landmark_leaves_to_compare():
    """Chapter 9 on a cohort's report read "Early landmarks leave few exposed patients (only
    hidden by month 1)" when the table hid the count, "(none by month 1)" when nobody was
    treated by any landmark (no landmark had two groups at all), and "disease control by month 3
    has a hazard ratio of not estimable (every patient has the same exposure)" when nobody alive
    at month 3 had responded yet. Each case now has words of its own."""
    nan = float("nan")
    df = pd.DataFrame(
        {
            "os_months": [2.0, 4, 6, 8, 10, 12, 14],
            "os_event": [1, 1, 1, 1, 1, 0, 1],
            "additional_tace": [0, 1, 0, 1, 1, 0, 1],
            "additional_tace_month": [nan, 3, nan, 1.5, 5, nan, 2.5],
        }
    )
    lm = bias.landmark_analysis(df, [1, 3])  # nobody treated by month 1, three by month 3
    assert lm["exposed"].tolist() == [0, 3]

    def early(shown, frame=lm, reason=""):
        return bias.early_landmarks_sentence(
            frame, shown, treated="received additional TACE", badge="†", reason=reason
        )

    later = "; later ones leave fewer patients alive."
    assert early("0") == f"Early landmarks leave few exposed patients (none by month 1†){later}"
    assert early("<5") == (
        f"Early landmarks leave few exposed patients (fewer than 5 by month 1†){later}"
    )
    hidden = early("hidden")
    assert "only hidden" not in hidden and "few exposed" not in hidden, hidden
    assert "how many had received additional TACE by month 1† is a count this report hides" in (
        hidden
    )
    assert early("12") == (
        "An early landmark counts as exposed only the patients treated by then (12 by month 1†)"
        + later
    )
    nobody = bias.landmark_analysis(df.assign(additional_tace=0), [1, 3])
    assert early("0", nobody) == (
        "No landmark here has two groups to compare: nobody alive at any of them had received "
        "additional TACE by then†."
    )
    assert early("", lm.iloc[:0], reason="no exposure times") == (
        "The landmark analyses cannot be computed on this cohort: no exposure times."
    )
    # one landmark's hazard ratio: why in a reader's words, not the model's
    row = lm.iloc[0]
    assert row["reason"] and pd.isna(row["hr"])
    text = bias.landmark_not_computable(
        "the hazard ratio of disease control by month 1", row, had="disease control"
    )
    assert text == (
        "The hazard ratio of disease control by month 1 cannot be computed on this cohort: "
        "nobody alive at month 1 had disease control by then."
    )
    everybody = bias.landmark_analysis(df.assign(additional_tace=1, additional_tace_month=0.5), [3])
    text = bias.landmark_not_computable("the HR", everybody.iloc[0], had="disease control")
    assert text.endswith("everybody alive at month 3 had disease control by then."), text


def _twelve(exposed: int) -> pd.DataFrame:
    """Twelve patients dying at months 1, 2, ..., 12 (the last censored), those at months 1, 3,
    5, ... (``exposed`` of them) treated at month 0.5; the prior-TACE sessions put 3 patients
    above 6 and 6 above 4."""
    treated = [i < 2 * exposed and i % 2 == 0 for i in range(12)]
    return pd.DataFrame(
        {
            "os_months": np.arange(1.0, 13.0),
            "os_event": [1] * 11 + [0],
            "additional_tace": [int(t) for t in treated],
            "additional_tace_month": [0.5 if t else np.nan for t in treated],
            "prior_tace_sessions": [2, 9, 3, 5, 2, 8, 3, 5, 4, 7, 4, 6],
        }
    )


def test_user_cohort_shows_no_comparison_of_a_group_of_fewer_than_five():
    """Reviewer (chapter 9, after chapter 6): on a user's cohort the cut-off table printed
    the median, log-rank P and HR of a side of 3 patients, and the landmark and naive hazard
    ratios compared 1-4 treated patients. Now such a comparison is NaN with the reason
    "not shown (fewer than 5 patients)"; with 5 or more on each side, or on the book's cohort
    (user=False), it is there. The old functions took no ``user`` (TypeError)."""
    from analysis.privacy import NOT_SHOWN_SMALL_GROUP

    few, enough = _twelve(3), _twelve(6)  # 3 of 12 treated; 6 of 12
    for user, hidden in ((True, True), (False, False)):
        res = bias.exposure_analyses(few, [0.7, 2.0], user=user)
        for key in ("naive", "time_varying"):
            assert pd.isna(res[key]["hr"]) == hidden, (user, key, res[key])
            assert (res[key]["reason"] == NOT_SHOWN_SMALL_GROUP) == hidden
        # at month 0.7 (all 12 alive, 3 treated) and month 2 (10 alive, 2 treated)
        lm = res["landmarks"]
        assert lm["exposed"].tolist() == [3, 2] and lm["hr"].isna().all() == hidden, lm
        assert lm["reason"].eq(NOT_SHOWN_SMALL_GROUP).all() == hidden
    res = bias.exposure_analyses(enough, [0.7], user=True)
    assert res["naive"]["hr"] > 0 and res["landmarks"]["hr"].notna().all()
    # a loaded user's cohort says so itself (load_cohort's attrs), as chapter 9 relies on
    marked = few.copy()
    marked.attrs["user_cohort"] = True
    assert bias.exposure_analyses(marked, [2.0])["naive"]["reason"] == NOT_SHOWN_SMALL_GROUP
    assert bias.exposure_analyses(few, [2.0])["naive"]["reason"] == ""
    # cut-offs: > 4 leaves 6 against 6 (shown), > 6 leaves 3 (hidden: their median, P, HR)
    for user in (True, False):
        cut = bias.cutoff_sensitivity(marked, [4, 6], user=user).set_index("cutoff")
        assert (cut.loc[6, "n_low"], cut.loc[6, "n_high"]) == (9, 3)
        assert cut.loc[4, ["logrank_p", "hr", "median_high"]].notna().all()
        assert cut.loc[4, "reason"] == ""
        row = cut.loc[6]
        assert row[["logrank_p", "hr", "lower", "upper", "p", "median_high"]].isna().all() == user
        # the 9: shown on the book's cohort; on a user's not beside the 6 of "> 4" (the 3
        # between would be given away: test_no_two_shown_cut_offs_give_away_...)
        assert pd.notna(row["median_low"]) != user and row["step_hidden"] == user
        assert (row["reason"] == NOT_SHOWN_SMALL_GROUP) == user
    assert bias.cutoff_sensitivity(marked, [6]).loc[0, "reason"] == NOT_SHOWN_SMALL_GROUP
    # the sentence a chapter glues for a hidden landmark
    lm_row = bias.exposure_analyses(few, [2.0], user=True)["landmarks"].iloc[0]
    assert bias.landmark_not_computable("the HR by month 2", lm_row, had="it") == (
        "The HR by month 2 is not shown (fewer than 5 patients)."
    )


def test_no_two_shown_cut_offs_give_away_the_patients_between_them():
    """Review: on a user's cohort, "> 5 sessions" (39 / 7 patients) and "> 6" (41 / 5) both
    showed their medians, P and HR; side by side they gave away the survival of the 2 patients
    with 6 sessions (the median of "more than c" moved from 3.4 to 6.4 months as their early
    deaths left it). Now any two cut-offs shown differ by none or by 5 or more patients, and
    the book's cohort shows every cut-off as before."""
    from analysis.cohort import load_cohort
    from analysis.privacy import NOT_SHOWN_SMALL_GROUP

    cohort = load_cohort()
    cutoffs = list(range(1, 11))
    assert not bias.cutoff_sensitivity(cohort, cutoffs, user=False)["step_hidden"].any()
    rng = np.random.default_rng(7)
    hidden_steps = 0
    for _ in range(30):
        sample = cohort.sample(int(rng.integers(20, 83)), random_state=rng).reset_index(drop=True)
        cut = bias.cutoff_sensitivity(sample, cutoffs, user=True)
        shown = cut[cut["median_low"].notna() | cut["median_high"].notna()]
        for a, b in zip(shown["n_low"], shown["n_low"].iloc[1:], strict=False):
            assert b - a == 0 or b - a >= 5, (a, b)
        hidden = cut[cut["step_hidden"]]
        assert hidden[["median_low", "median_high", "logrank_p", "hr"]].isna().all().all()
        assert (hidden["reason"] == NOT_SHOWN_SMALL_GROUP).all()
        hidden_steps += len(hidden)
    assert hidden_steps > 0  # the samples exercise the rule


def test_a_landmark_analysis_dilutes_an_effect_and_creates_none():
    """Review (sp94): a patient treated after the landmark counts as unexposed; the grouping uses
    only what is known at the landmark, so it is not biased when the treatment does nothing (HR
    near 1, about 5% significant) and pulls a real effect towards 1 without crossing it."""
    null = bias.null_simulation(60, n=300, seed=11, landmark=3.0)
    assert null["lm_hr"].notna().all()
    assert 0.9 <= null["lm_hr"].median() <= 1.1
    assert (null["lm_p"] < 0.05).mean() <= 0.12
    works = bias.null_simulation(60, n=300, seed=11, landmark=3.0, hazard_ratio=0.5)
    assert 0.5 < works["lm_hr"].median() < 0.9
    # the other columns do not depend on the landmark
    plain = bias.null_simulation(60, n=300, seed=11)
    pd.testing.assert_frame_equal(null[plain.columns], plain)
