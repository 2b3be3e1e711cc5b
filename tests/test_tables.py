"""Tests of analysis.tables: formatting at the paper's decimals, verdicts, Table 1 summaries computed
by hand, and Table 2 models checked against statsmodels PHReg (an independent Cox implementation)."""

from __future__ import annotations

import re
import warnings

import numpy as np
import pandas as pd
import pytest

from analysis import published
from analysis.tables import (
    TABLE2_IMPLIED_TERMS,
    below_zero_rows,
    compare,
    format_published_value,
    table1,
    table1_skewed,
    table1_skewed_shown,
    table2,
    table2_hr_text,
    table2_models,
)


# ---------------------------------------------------------------------------------- compare
def test_compare_formats_at_printed_decimals_and_gives_verdicts():
    out = compare(
        [
            # results.os_median.median is printed "9.9"; 9.95 rounds half up to 10.0
            {"quantity": "median OS", "id": "results.os_median.median", "computed": 9.94},
            {"quantity": "median OS (b)", "id": "results.os_median.median", "computed": 9.95},
            # "8.7–11": printed without its decimal, the upper bound is read as 11.0 and shown
            # as printed (published.bound_decimals)
            {"quantity": "CI", "id": "results.os_median.interval", "computed": (8.66, 11.04)},
            {
                "quantity": "CI (log)",
                "id": "results.os_median.interval",
                "computed": (8.4, 12.3),
                "reason": "R's log interval is not symmetric",
            },
        ]
    )
    assert out.columns.tolist() == ["quantity", "published", "reproduced", "verdict", "reason"]
    assert out["published"].tolist() == ["9.9", "9.9", "8.7–11", "8.7–11"]
    assert out["reproduced"].tolist() == ["9.9", "10.0", "8.7–11", "8.4–12"]
    assert out["verdict"].tolist() == ["agrees", "differs", "agrees", "differs"]
    assert out["reason"].iloc[0] == "" and out["reason"].iloc[2] == ""
    assert "1 decimal" in out["reason"].iloc[1]
    assert out["reason"].iloc[3] == "R's log interval is not symmetric"


def test_format_p_below_threshold_and_nan():
    # table2.ast_gt40.uni.p is printed "<0.001"
    assert format_published_value(0.0004, "table2.ast_gt40.uni.p") == "<0.001"
    assert format_published_value(0.0123, "table2.ast_gt40.uni.p") == "0.012"
    assert format_published_value(float("nan"), "results.os_median.median") == "not reached"
    # thousands separator as printed in Table 1 ("348,100")
    assert format_published_value((1.7, 348100.2), "table1.afp_ng_ml.interval") == "1.7–348,100"


def test_format_an_interval_with_a_negative_bound_reads_to_not_a_dash():
    """Review: Table 6.3 printed SPSS's interval of > 4 prior TACE as "−0.6–7.4", where a dash
    beside a minus reads as a subtraction; chapter 6's prose already wrote "−0.6 to 7.4"."""
    gt4 = "figure2.os_median_prior_tace_gt4.interval"
    assert format_published_value((-0.61, 7.41), gt4) == "-0.6 to 7.4"
    assert format_published_value((0.54, 13.61), gt4) == "0.5–13.6"  # positive: the dash


def test_format_p_printed_as_a_value_is_rounded_at_its_decimals():
    # figure2.logrank_prior_tace.p is printed "0.01" (two decimals, "="): 0.0087 rounds to 0.01,
    # as published.agrees judges it; "<0.01" only for a P that rounds to 0.00
    assert format_published_value(0.0087, "figure2.logrank_prior_tace.p") == "0.01"
    assert published.agrees(0.0087, "figure2.logrank_prior_tace.p")
    assert format_published_value(0.0049, "figure2.logrank_prior_tace.p") == "<0.01"
    assert format_published_value(0.005, "figure2.logrank_prior_tace.p") == "0.01"
    assert format_published_value(0.0149, "figure2.logrank_prior_tace.p") == "0.01"
    # table2.ast_gt40.multi.p is printed "0.008": 0.0009 is 0.001 at three decimals
    assert format_published_value(0.0009, "table2.ast_gt40.multi.p") == "0.001"
    assert format_published_value(0.0004, "table2.ast_gt40.multi.p") == "<0.001"


@pytest.mark.parametrize("user", [False, True])
def test_compare_says_no_patients_for_a_group_without_any(user):
    """Table 6.3 on a cohort where nobody had additional TACE read "not reached" for the
    group's median and "NA–NA" for its interval: neither is true of a group with no patients."""
    from analysis.survival import group_comparison

    nobody = group_comparison([1, 2, 3], [1, 1, 0], [0, 0, 0], [1, 0])["groups"][1]
    rows = [
        {"quantity": "median", "id": "figure2.os_median_additional_tace.median",
         "computed": nobody["median"], "reason": nobody["reason"]},
        {"quantity": "interval", "id": "figure2.os_median_additional_tace.interval",
         "computed": (nobody["lower"], nobody["upper"]), "reason": nobody["reason"]},
    ]  # fmt: skip
    table = compare(rows, user=user)
    assert table.iloc[:, 2].tolist() == ["no patients", "no patients"]


def test_compare_requires_keys():
    with pytest.raises(KeyError, match="computed"):
        compare([{"quantity": "x", "id": "results.os_median.median"}])


# ---------------------------------------------------------------------------------- Table 1
def _frame(n=8, seed=7):
    rng = np.random.default_rng(seed)
    return pd.DataFrame(
        {
            "age_years": [50, 60, 70, 55, 65, 45, 75, 60][:n],
            "sex": ["M"] * 6 + ["F"] * 2,
            "child_pugh_score": [5, 5, 6, 6, 7, 5, 8, 6],
            "bclc_stage": ["B"] * 5 + ["C"] * 3,
            "afp_ng_ml": [1.7, 10, 100, 333.4, 500, 1000, 5000, 348100],
            "pivka2": [5, 50, 500, 1075, 2000, 3000, 10000, 88655],
            "albumin_g_dl": [3.0, 3.5, 2.8, 4.0, 3.2, 3.6, 3.9, 2.9],
            "bilirubin_mg_dl": [0.8, 1.0, 1.2, 0.7, 1.5, 0.9, 2.0, 1.1],
            "ast_u_l": [30, 45, 80, 25, 120, 60, 200, 35],
            "alt_u_l": [20, 40, 60, 15, 100, 50, 150, 25],
            "crp_mg_l": [0.5, 1.0, 4.0, 0.2, 6.0, 2.0, 8.0, 0.3],
            "pvtt": ["Vp0", "Vp1", "Vp2", "Vp3", "Vp4", "Vp0", "Vp2", "Vp0"],
            "tumor_size_mm": rng.integers(20, 150, 8),
            "tumor_number": [1, 2, 5, 8, 3, 10, 1, 6],
            "prior_tace_sessions": [2, 3, 4, 5, 6, 8, 2, 12],
            "refractory_tace_sessions": [2, 2, 3, 2, 4, 3, 2, 5],
            "additional_tace": [0, 1, 0, 1, 0, 0, 1, 0],
            "refractory_poor_response": [1, 1, 0, 1, 1, 0, 1, 1],
            "refractory_new_lesions": [0, 1, 1, 0, 1, 0, 1, 0],
            "refractory_extrahepatic": [0, 0, 0, 0, 1, 0, 0, 0],
            "refractory_vascular_invasion": [0, 1, 1, 0, 1, 0, 1, 1],
            "refractory_tumor_marker": [1, 0, 1, 0, 1, 0, 0, 1],
        }
    )


def test_table1_summaries_hand_computed():
    t = table1(_frame()).set_index("characteristic")
    # ages 50 60 70 55 65 45 75 60: mean 60.0; deviations^2 sum = 100+0+100+25+25+225+225+0 = 700
    # SD = sqrt(700/7) = 10.0
    assert t.loc["Age (years)", "reproduced"] == "60.0±10.0"
    assert t.loc["Age (years)", "published"] == "60.5±10.7"
    assert t.loc["Age (years)", "verdict"] == "differs"
    assert "mean and sd differ" in t.loc["Age (years)", "reason"]
    # 6 of 8 male = 75.0 %
    assert t.loc["Sex: male", "reproduced"] == "6 (75.0)"
    # Child-Pugh A = scores 5-6: 6 of 8; B: 2
    assert t.loc["Child-Pugh class A", "reproduced"] == "6 (75.0)"
    assert t.loc["Child-Pugh class C", "reproduced"] == "0"
    assert t.loc["Child-Pugh class C", "verdict"] == "agrees"
    # AFP median of 8 values = (333.4 + 500)/2 = 416.7; range 1.7–348,100 as printed
    assert t.loc["AFP (ng/mL)", "reproduced"] == "416.7 (1.7–348,100)"
    assert t.loc["AFP (ng/mL)", "reason"] == "median differs after rounding to the printed decimals"
    assert set(t["verdict"]) <= {"agrees", "differs"}
    assert (t.loc[t["verdict"] == "agrees", "reason"] == "").all()


def test_table1_skewed_uses_spss_quartiles():
    df = _frame()
    df["tumor_number"] = [1, 2, 3, 4, 5, 6, 7, 8]
    t = table1_skewed(df).set_index("characteristic")
    # SPSS HAVERAGE (type 6) for 1..8: Q1 at position 0.25*9 = 2.25 -> 2.25; Q3 at 6.75 -> 6.75
    # (R's default type 7 would give 2.75 and 6.25); displayed half up at 1 decimal
    assert t.loc["Tumour number", "median (IQR)"] == "4.5 (2.3–6.8)"
    assert t.loc["AFP (ng/mL)", "mean_minus_2sd_below_0"]


def test_table1_skewed_mean_sd_at_the_papers_decimals():
    # Table 1 prints the refractory sessions as 2.65 ± 1.3: mean at 2 decimals, SD at 1; the
    # decimals come from data/published (table1.<column>.mean / .sd), not from `decimals`
    df = _frame().assign(refractory_tace_sessions=[2, 3, 2, 3, 3, 2, 4, 2])
    t = table1_skewed(df).set_index("characteristic")
    mean, sd = (
        published.entry("table1.refractory_tace_sessions.mean"),
        published.entry("table1.refractory_tace_sessions.sd"),
    )
    assert (mean.decimals, sd.decimals) == (2, 1)
    assert t.loc["Number of TACE-refractory sessions", "mean ± SD"] == "2.63 ± 0.7"
    assert t.loc["Number of TACE-refractory sessions", "median (IQR)"] == "2.5 (2.0–3.0)"
    # AFP has no mean in Table 1 (median and range): `decimals` applies to it; thousands are
    # separated, as Table 1 prints them ("348,100"; Table 4.1 beside this table)
    afp = table1_skewed(df, decimals=2).set_index("characteristic").loc["AFP (ng/mL)", "mean ± SD"]
    assert afp == "44,380.64 ± 122,732.49"


def test_below_zero_rows_counts_the_papers_means_from_data_published():
    """Review: "{5} of the {9} means ± SD that Table 1 prints have a mean − 2 SD below zero"
    [determined] was counted from the cohort's own means and SDs, so a user's cohort without ALT
    and refractory sessions read "4 of the 7 means ± SD that Table 1 prints" (it prints 9). The
    paper's count comes from data/published; only AFP and PIVKA-II are the cohort's."""
    df = _frame().drop(columns=["alt_u_l", "refractory_tace_sessions"])
    skewed = table1_skewed(df, user=True)
    assert len(skewed) == 9  # 11 continuous variables less the two absent columns
    skewed["mean_minus_2sd_below_0"] = False  # the cohort says nothing of the paper's means
    rows = below_zero_rows(skewed)
    printed = rows.loc["printed by the paper"]
    assert (printed["variables"], printed["below zero"]) == (9, 5)
    assert printed["names"] == "AST, ALT, CRP, Tumour number and Number of prior TACE"
    by_hand = [
        c.split(".")[1]
        for c in published.ids("table1.")
        if c.endswith(".mean")
        and published.value(c) - 2 * published.value(c.replace(".mean", ".sd")) < 0
    ]
    assert len(by_hand) == 5
    others = rows.loc["not printed"]
    assert (others["variables"], others["below zero"], others["names"]) == (2, 0, "")
    skewed.loc[skewed["characteristic"] == "AFP (ng/mL)", "mean_minus_2sd_below_0"] = True
    assert below_zero_rows(skewed).loc["not printed", "names"] == "AFP"


def test_table1_skewed_rows_print_at_one_number_of_decimals_and_no_nonzero_zero():
    """Review: Table 4.2's CRP row showed a minimum of "0.0" (0.03) and a skewness of "3.4" among
    two-decimal ones. Each row's median, quartiles and range share one number of decimals, raised
    until no nonzero value prints as zero; skewness prints at two decimals in every row."""
    df = _frame().assign(crp_mg_l=[0.03, 1.0, 4.0, 0.2, 6.0, 2.0, 14.0, 0.3])
    skewed = table1_skewed(df).set_index("characteristic")
    crp = skewed.loc["CRP (mg/L)"]
    assert crp["min–max"] == "0.03–14.00"
    assert crp["median (IQR)"] == "1.50 (0.23–5.50)"
    assert crp["mean ± SD"] == "3.4 ± 4.8"  # at Table 1's decimals
    assert skewed.loc["AST (U/L)", "min–max"] == "25.0–200.0"  # one decimal, as before
    shown = table1_skewed_shown(skewed.reset_index().assign(skewness=[3.4] * len(skewed)))
    assert set(shown["skewness"]) == {"3.40"}
    user = table1_skewed(df.assign(crp_mg_l=[0.01] * 4 + [0.02] * 4), user=True)
    crp = user.set_index("characteristic").loc["CRP (mg/L)"]
    assert not re.search(r"(?<![\d.])0\.0(?!\d)", crp["median (IQR)"]), crp.to_dict()
    assert crp["5th–95th percentile"] == "hidden"  # 8 patients: extremes stay hidden
    assert crp["mean ± SD"] == "0.02 ± 0.01"  # not "0.0 ± 0.0"


def test_table1_skewed_shown_has_four_columns_from_the_same_numbers():
    """Table 4.2 as shown (a phone holds four columns): each cell is made of table1_skewed's own
    strings, the range in brackets after the median (IQR), † after a mean ± SD whose mean − 2 SD
    is below zero, and nothing else; the user's cohort keeps its 5th–95th percentile."""
    df = _frame()
    skewed = table1_skewed(df)
    shown = table1_skewed_shown(skewed)
    assert list(shown) == ["characteristic", "mean ± SD", "median (IQR) [min–max]", "skewness"]
    assert shown["characteristic"].tolist() == skewed["characteristic"].tolist()
    assert shown["skewness"].tolist() == [f"{v:.2f}" for v in skewed["skewness"]]
    for (_, row), (_, cells) in zip(skewed.iterrows(), shown.iterrows(), strict=True):
        mark = "†" if row["mean_minus_2sd_below_0"] else ""
        assert cells["mean ± SD"] == row["mean ± SD"] + mark
        assert cells["median (IQR) [min–max]"] == f"{row['median (IQR)']} [{row['min–max']}]"
    assert skewed["mean_minus_2sd_below_0"].any() and not skewed["mean_minus_2sd_below_0"].all()
    user = table1_skewed_shown(table1_skewed(df, user=True))
    assert list(user)[2] == "median (IQR) [5th–95th percentile]"


def test_skewness_is_scipy_stats_skew_bit_for_bit():
    # tables._skewness replays scipy.stats.skew(x, bias=False) without importing scipy.stats
    from scipy import stats

    from analysis import COHORT_CSV
    from analysis.tables import _skewness

    rng = np.random.default_rng(5)
    samples = [rng.normal(0, 1, n) for n in (3, 4, 5, 17, 82, 500)]
    samples += [rng.lognormal(m, s, 82).round(d) for m in (0, 5) for s in (0.4, 2) for d in (0, 2)]
    samples += [rng.integers(0, 9, n).astype(float) for n in (3, 10, 82)]
    samples += [np.array([1e8, 1e8, 1e8 + 1e-7]), np.array([-3.0, 0.0, 0.0, 0.0, 5.5])]
    cohort = pd.read_csv(COHORT_CSV)
    samples += [cohort[c].dropna().to_numpy(float) for c in cohort if cohort[c].dtype.kind in "if"]
    for x in samples:
        with warnings.catch_warnings():  # scipy warns of the cancellation in the 1e8 sample
            warnings.simplefilter("ignore", RuntimeWarning)
            ours, theirs = _skewness(x), float(stats.skew(x, bias=False))
        assert ours == theirs or (np.isnan(ours) and np.isnan(theirs)), (x[:5], ours, theirs)
    assert np.isnan(_skewness(np.array([2.0, 2.0, 2.0]))) and np.isnan(_skewness(np.ones(2)))


# ---------------------------------------------------------------------------------- Table 2
def _cohort(n=82, seed=11):
    rng = np.random.default_rng(seed)
    df = pd.DataFrame(
        {
            "age_years": rng.normal(60, 10, n).round(),
            "sex": rng.choice(["M", "F"], n, p=[0.9, 0.1]),
            "child_pugh_score": rng.choice([5, 6, 7, 8], n, p=[0.4, 0.4, 0.12, 0.08]),
            "bclc_stage": rng.choice(["B", "C"], n),
            "afp_ng_ml": rng.lognormal(5, 2, n).round(1),
            "pivka2": rng.lognormal(6, 2, n).round(),
            "albumin_g_dl": rng.normal(3.4, 0.5, n).round(1),
            "bilirubin_mg_dl": rng.lognormal(0, 0.4, n).round(1),
            "ast_u_l": rng.lognormal(4, 0.6, n).round(),
            "alt_u_l": rng.lognormal(3.7, 0.7, n).round(),
            "crp_mg_l": rng.lognormal(0, 1, n).round(2),
            "pvtt": rng.choice(["Vp0", "Vp1", "Vp2", "Vp3", "Vp4"], n),
            "tumor_size_mm": rng.normal(72, 30, n).clip(10).round(),
            "tumor_number": rng.integers(1, 20, n),
            "prior_tace_sessions": rng.integers(2, 14, n),
            "additional_tace": rng.binomial(1, 0.32, n),
        }
    )
    lin = 0.9 * (df["albumin_g_dl"] <= 3) + 0.005 * df["ast_u_l"] - 0.7 * df["additional_tace"]
    t = rng.exponential(10 * np.exp(-lin))
    c = rng.uniform(8, 40, n)
    df["os_months"] = np.minimum(t, c).round(2).clip(0.05)
    df["os_event"] = (t <= c).astype(int)
    return df


@pytest.mark.parametrize("ties", ["breslow", "efron"])
def test_table2_models_match_statsmodels_phreg(ties):
    from statsmodels.duration.hazard_regression import PHReg

    df = _cohort()
    fits = table2_models(df, "implied", ties=ties)
    assert fits["n_parameters"] == 11  # the paper's multivariable model
    assert fits["univariate"].attrs["ties"] == fits["multivariate"].attrs["ties"] == ties
    d = fits["design"]
    multi = fits["multivariate"]
    cols = list(multi.index)
    res = PHReg(d["os_months"], d[cols], status=d["os_event"], ties=ties).fit()
    np.testing.assert_allclose(multi["coef"], res.params, rtol=1e-6, atol=1e-9)
    np.testing.assert_allclose(multi["p"], res.pvalues, rtol=1e-5)
    # univariate additional TACE alone
    res1 = PHReg(d["os_months"], d[["additional_tace"]], status=d["os_event"], ties=ties).fit()
    assert fits["univariate"].loc["additional_tace", "coef"] == pytest.approx(
        res1.params[0], rel=1e-7
    )


def test_table2_models_cache_hands_out_fresh_fits_and_copies():
    """``table2_models`` keeps its fits by the cohort's content: a second call (or a copy of the
    frame) gives what a fit from scratch gives, a caller that changes its result changes nobody
    else's, and a cohort with one death, a dtype or the user flag changed is fitted anew."""
    from analysis import tables

    def assert_same(got, want):
        assert got.keys() == want.keys()
        for key, value in want.items():
            if isinstance(value, pd.DataFrame):
                pd.testing.assert_frame_equal(got[key], value)
                assert got[key].attrs == value.attrs, key
            else:
                assert got[key] == value, key

    df = _cohort()
    fresh = tables._table2_models(df, "implied", "efron", None)
    first = table2_models(df, "implied", ties="efron")
    assert_same(first, fresh)
    first["univariate"]["hr"] = 0.0
    first["univariate"].attrs["ties"] = "changed"
    first["reasons"]["x"] = "changed"
    assert_same(table2_models(df.copy(), "implied", ties="efron"), fresh)
    changed = df.copy()
    changed.loc[changed.index[0], "os_event"] = 1 - changed.loc[changed.index[0], "os_event"]
    got = table2_models(changed, "implied", ties="efron")
    assert_same(got, tables._table2_models(changed, "implied", "efron", None))
    assert not got["univariate"]["coef"].equals(fresh["univariate"]["coef"])
    assert tables._frame_digest(df.astype({"os_event": float})) != tables._frame_digest(df)
    user = df.copy()
    user.attrs["user_cohort"] = True
    assert tables._frame_digest(user) != tables._frame_digest(df)


def test_table2_codings_differ_only_in_the_four_terms():
    df = _cohort()
    implied = table2_models(df, "implied")["design"]
    stated = table2_models(df, "stated")["design"]
    for term, (col, cut, _) in TABLE2_IMPLIED_TERMS.items():
        np.testing.assert_array_equal(implied[term], df[col].astype(float))
        np.testing.assert_array_equal(stated[term], (df[col] > cut).astype(float))
    same = [c for c in implied.columns if c not in TABLE2_IMPLIED_TERMS]
    pd.testing.assert_frame_equal(implied[same], stated[same])
    with pytest.raises(ValueError, match="coding"):
        table2_models(df, "binary")


def test_table2_rows_have_verdicts_and_formatted_values():
    from statsmodels.duration.hazard_regression import PHReg

    df = _cohort()
    t = table2(df, "stated")
    estimated = t[t["coding"] != "reference category"]
    assert set(estimated["verdict"]) <= {"agrees", "differs"} and t["verdict"].notna().all()
    assert t.attrs["n_parameters"] == 11
    # a reference row carries no estimate: no verdict, so it is never counted as agreeing
    ref = t[(t["term"] == "ast_le40")].iloc[0]
    assert (ref["published"], ref["reproduced"], ref["verdict"]) == ("1", "1", "")
    assert (t.loc[t["coding"] == "reference category", "verdict"] == "").all()
    row = t[(t["term"] == "additional_tace") & (t["model"] == "univariate")].iloc[0]
    assert row["published"] == "0.438 (0.258–0.743), P 0.002"
    assert t.attrs["ties"] == "breslow"  # SPSS's rule by default: the paper used SPSS
    d = table2_models(df, "stated")["design"]
    res = PHReg(d["os_months"], d[["additional_tace"]], status=d["os_event"], ties="breslow").fit()
    hr = np.exp(res.params[0])
    lo, hi = np.exp(res.conf_int()[0])
    assert row["reproduced"].startswith(f"{hr:.3f} ({lo:.3f}–{hi:.3f}), P ")
    ast = t[(t["term"] == "ast_gt40") & (t["model"] == "univariate")].iloc[0]
    assert ast["coding"] == "> 40 vs ≤ 40"
    if ast["verdict"] == "differs":
        assert "per-unit" in ast["reason"]


def _phreg_table(d, cols, ties):
    """HR, Wald bounds and P of every column of one statsmodels PHReg fit (independent Cox)."""
    from statsmodels.duration.hazard_regression import PHReg

    res = PHReg(d["os_months"], d[cols], status=d["os_event"], ties=ties).fit()
    ci = np.exp(res.conf_int())
    return pd.DataFrame(
        {"hr": np.exp(res.params), "lower": ci[:, 0], "upper": ci[:, 1], "p": res.pvalues},
        index=cols,
    )


def test_table2_models_on_the_book_cohort_match_statsmodels_breslow_for_every_term():
    """The book's cohort, every univariate and multivariable term: HR, both bounds and P of
    the default fit (Breslow, as SPSS) against statsmodels PHReg(ties="breslow")."""
    from analysis.cohort import derive, load_cohort
    from analysis.paper import UNIVARIATE_GROUPS

    fits = table2_models(derive(load_cohort()))
    d = fits["design"]
    uni = fits["univariate"]
    n_terms = 0
    for _, terms, _ in UNIVARIATE_GROUPS:
        cols = [t for t, _ in terms if t in uni.index]
        if terms[0][0].startswith("child_pugh"):
            cols = [c for c in d.columns if c.startswith("child_pugh_")]
        if not cols:
            continue
        ref = _phreg_table(d, cols, "breslow")
        for part in ("hr", "lower", "upper", "p"):
            np.testing.assert_allclose(uni.loc[cols, part], ref[part], rtol=1e-6, err_msg=part)
        n_terms += len(cols)
    assert n_terms == len(uni) >= 19  # every univariate term (19 on the book's cohort)
    multi = fits["multivariate"]
    ref = _phreg_table(d, list(multi.index), "breslow")
    for part in ("hr", "lower", "upper", "p"):
        np.testing.assert_allclose(multi[part], ref[part], rtol=1e-6, err_msg=part)


def test_table2_on_a_small_cohort_gives_the_per_unit_ast_ratio():
    """Review: on 30 patients with AST up to 422 U/L chapter 7 printed the per-U/L AST hazard
    ratio as "not estimable" ("the model does not converge", or "runs off to infinity") and the
    multivariable model as running off to infinity, while lifelines and statsmodels fit both: the
    engine's Newton steps overshot (tests/test_engine.py, SMALL_AST_COHORT). Here, the chapter's
    own functions on 30 patients of the book's cohort on which the steps overshoot the same way
    (AST 10-363 U/L since the cohort's recalibration; SMALL_AST_COHORT was re-picked for it)."""
    from test_engine import small_ast_cohort

    fits = table2_models(small_ast_cohort(), "implied", user=True)
    assert "ast_gt40" not in fits["reasons"] and "multivariate" not in fits["reasons"], fits
    assert table2_hr_text(fits, "ast_gt40", 4) == "1.0100"  # statsmodels, Breslow: 1.009991
    assert table2_hr_text(fits, "ast_gt40", 4, "multivariate") != "not estimable"
    efron = table2_models(small_ast_cohort(), "implied", ties="efron", user=True)
    assert table2_hr_text(efron, "ast_gt40", 4) == "1.0103"  # lifelines: 1.010337


def test_table2_models_efron_matches_lifelines():
    """``ties="efron"``: the multivariable model against lifelines' CoxPHFitter (Efron ties)."""
    from lifelines import CoxPHFitter

    from analysis.cohort import derive, load_cohort

    fits = table2_models(derive(load_cohort()), ties="efron")
    multi = fits["multivariate"]
    cols = list(multi.index)
    d = fits["design"][["os_months", "os_event", *cols]]
    cph = CoxPHFitter().fit(d, "os_months", "os_event", fit_options={"precision": 1e-12})
    s = cph.summary.loc[cols]
    np.testing.assert_allclose(multi["hr"], s["exp(coef)"], rtol=1e-5)
    np.testing.assert_allclose(multi["lower"], s["exp(coef) lower 95%"], rtol=1e-5)
    np.testing.assert_allclose(multi["upper"], s["exp(coef) upper 95%"], rtol=1e-5)
    np.testing.assert_allclose(multi["p"], s["p"], rtol=1e-4)


def test_table2_models_rejects_an_unknown_tie_rule():
    df = _cohort()
    with pytest.raises(ValueError, match="ties: expected 'breslow' .* got 'exact'"):
        table2_models(df, ties="exact")
    with pytest.raises(ValueError, match="ties"):
        table2(df, ties="Breslow")


def test_table2_ties_lists_exactly_the_cells_that_print_differently():
    """On the book's cohort: every listed cell's two texts differ, the Breslow text is what
    table2 (default) prints and the Efron text what table2(ties="efron") prints; known cells
    (sex female, univariate: 0.984 (0.424–2.283) under Breslow, as printed, and 0.983
    (0.423–2.280) under Efron) are among them."""
    from analysis.cohort import derive, load_cohort
    from analysis.tables import table2_ties

    cohort = derive(load_cohort())
    t = table2_ties(cohort)
    assert len(t) > 0 and (t["Breslow (SPSS)"] != t["Efron (R, lifelines)"]).all()
    assert 0 < len(t) < t.attrs["cells"]
    breslow, efron = table2(cohort), table2(cohort, ties="efron")
    for _, r in t.iterrows():
        _, term, key, _ = r["id"].split(".")
        model = "univariate" if key == "uni" else "multivariable"
        sel = (breslow["term"] == term) & (breslow["model"] == model)
        assert r["Breslow (SPSS)"] in breslow.loc[sel, "reproduced"].iloc[0]
        sel = (efron["term"] == term) & (efron["model"] == model)
        assert r["Efron (R, lifelines)"] in efron.loc[sel, "reproduced"].iloc[0]
    sex = t[t["id"].str.startswith("table2.sex_female.uni.")].set_index("part")
    assert sex.loc["HR", "Breslow (SPSS)"] == sex.loc["HR", "published"] == "0.984"
    assert sex.loc["HR", "Efron (R, lifelines)"] == "0.983"
    assert sex.loc["95% CI", "Breslow (SPSS)"] == "0.424–2.283"
    assert sex.loc["95% CI", "Efron (R, lifelines)"] == "0.423–2.280"
    assert (
        sex.loc["HR", "verdict Breslow"] == "agrees" and sex.loc["HR", "verdict Efron"] == "differs"
    )


# ------------------------------------------------------------------ a user's cohort
def test_compare_on_a_users_cohort_labels_and_does_not_score(tmp_path):
    from analysis.tables import NOT_SCORED, YOUR_COHORT

    rows = [
        {"quantity": "CR, n", "id": "results.response_cr.count", "computed": 3, "count": 3},
        {"quantity": "PD, n", "id": "results.response_pd.count", "computed": 40, "count": 40},
    ]
    book = compare(rows)
    assert "reproduced" in book.columns and set(book["verdict"]) <= {"agrees", "differs"}
    user = compare(rows, cohort_path=tmp_path / "mine.csv")  # any path but data/cohort.csv
    assert list(user.columns) == ["quantity", "published", YOUR_COHORT, "verdict", "reason"]
    assert set(user["verdict"]) == {NOT_SCORED}
    assert list(user[YOUR_COHORT]) == ["<5", "40"]  # 3 patients hidden, 40 shown
    assert list(user["published"]) == list(book["published"])
    assert (user["reason"] == "").all()
    assert list(compare(rows, user=True, min_cell_count=2)[YOUR_COHORT]) == ["3", "40"]


def test_verdict_and_explanation_helpers():
    from analysis.published import entry
    from analysis.tables import NOT_SCORED, explanation, missing_columns, verdict

    printed = entry("results.response_cr.count").value
    assert verdict(printed, "results.response_cr.count") == "agrees"
    assert verdict(printed + 1, "results.response_cr.count") == "differs"
    assert verdict(printed, "results.response_cr.count", user=True) == NOT_SCORED
    note = explanation("no deaths in one group")
    assert str(note) == "Not estimable on this cohort: no deaths in one group"
    assert "admonition" in note._repr_html_() and "no deaths" in note._repr_markdown_()
    df = pd.DataFrame({"a": [1, 2], "b": [np.nan, np.nan]})
    assert missing_columns(df, ["a", "b", "c"]) == ["b", "c"]


def test_table1_and_table2_without_optional_columns_and_with_a_constant_term():
    from analysis.cohort import derive, load_cohort

    cohort = derive(load_cohort(None))
    lean = cohort.drop(columns=["pivka2", "alt_u_l", "refractory_poor_response"])
    t1 = table1(lean)
    row = t1.set_index("characteristic").loc["PIVKA-II (ng/mL)"]
    assert row["reproduced"] == "– (column absent)" and "pivka2" in row["reason"]
    # the other rows are computed exactly as on the full cohort
    full = table1(cohort).set_index("characteristic")
    assert (
        t1.set_index("characteristic").loc["Age (years)", "reproduced"]
        == (full.loc["Age (years)", "reproduced"])
    )
    none = lean.assign(additional_tace=0)
    t2 = table2(none)
    add = t2[t2["term"] == "additional_tace"]
    assert (add["reproduced"] == "–").all()
    assert (
        add["reason"].str.contains("nobody in this cohort is in its group (yes)", regex=False).all()
    )
    assert "pivka2" not in set(t2.loc[t2["reproduced"] != "–", "term"])


def test_multivariable_sides_counts_direction_not_the_interval_rule():
    """'Agrees' in the calibration's row count means HR inside the printed interval and P on the
    printed side of 0.05; Child-Pugh 7 vs 5 passes that (0.526 inside 0.171–6.718) while lying on
    the other side of 1 from the printed 1.072, and so does 8 vs 5 (0.888 against 1.105). README
    states the direction count as a sentence."""
    from pathlib import Path

    from analysis.cohort import load_cohort
    from analysis.tables import multivariable_sides

    sides = multivariable_sides(load_cohort())
    assert sides["rows"] == 11
    assert sides["other"] == ["child_pugh_7", "child_pugh_8"]
    assert sides["printed_one"] == ["afp_ng_ml"]
    assert sides["same"] == 8
    readme = " ".join(
        (Path(__file__).resolve().parent.parent / "README.md").read_text("utf-8").split()
    )
    compared = sides["rows"] - len(sides["printed_one"])
    assert (
        f"{sides['same']} of the {compared} multivariable hazard ratios printed as other than 1 lie on "
        "the same side of 1 as the paper's, and Child-Pugh 7 vs 5 and 8 vs 5 do not"
    ) in readme
    assert "direction and significance" not in readme


def test_table1_counts_unshown_levels_as_a_member_of_the_group():
    """Reviewer: Table 1 shows BCLC A, B and C only; 14 patients at A 0, B 6, C 6 gave the 2
    at stage D (or 0) back as N minus the rows. The unshown levels count as one more member of
    the group: small, they hide one shown level; none, nothing changes."""
    from analysis import COHORT_CSV
    from analysis.cohort import load_cohort
    from analysis.privacy import COMPLEMENT_MARK

    cohort = load_cohort(COHORT_CSV).head(14).copy()
    cohort["bclc_stage"] = ["B"] * 6 + ["C"] * 6 + ["D"] * 2
    t = table1(cohort, user=True).set_index("characteristic").iloc[:, 1]
    bclc = [t[f"BCLC stage {k}"] for k in "ABC"]
    assert bclc[0].startswith("0") and bclc.count(COMPLEMENT_MARK) == 1, bclc  # B or C hidden
    cohort["bclc_stage"] = ["B"] * 8 + ["C"] * 6  # no other level: as before, all shown
    t = table1(cohort, user=True).set_index("characteristic").iloc[:, 1]
    assert [t[f"BCLC stage {k}"].split()[0] for k in "BC"] == ["8", "6"]


def test_implied_table2_has_no_reference_row_for_a_factor_entered_per_unit():
    """Table 7.4 (implied coding) showed "AST ≤ 40 U/L (reference) 1" above "per unit of AST
    (U/L)": a continuous term has no reference group. The implied table leaves out the reference
    rows of the four factors it enters per unit; the stated table keeps them, and every other
    reference row (sex, Child-Pugh, albumin, PVTT) stays in both."""
    df = _cohort()
    refs = {
        coding: set(
            table2(df, coding)
            .query("coding == 'reference category'")[["term", "model"]]
            .apply(tuple, axis=1)
        )
        for coding in ("implied", "stated")
    }
    per_unit_refs = {("ast_le40", "univariate"), ("crp_le3", "univariate"),
                     ("tumor_number_1_4", "univariate"), ("prior_tace_2_4", "univariate")}  # fmt: skip
    assert per_unit_refs <= refs["stated"]
    assert refs["stated"] - refs["implied"] == per_unit_refs
    assert ("sex_male", "univariate") in refs["implied"]
    assert ("child_pugh_5", "multivariable") in refs["implied"]
    assert len(TABLE2_IMPLIED_TERMS) == 4


# ------------------------------------------------------ Table 2: patients (deaths) per group
def _by_hand(c: pd.DataFrame, mask) -> str:
    mask = np.asarray(mask, dtype=bool)
    return f"{int(mask.sum())} ({int((mask & (c['os_event'].to_numpy() == 1)).sum())})"


def test_table2_group_counts_are_the_cohorts_patients_and_deaths():
    """Review of Table 7.4: no row said how many patients (and deaths) stood behind a hazard
    ratio, so nobody could see that Child-Pugh's reference, score 5, has 5 patients, all dead.
    Every 0/1 or category row gets "group vs reference", counted here by hand; a per-unit row
    none."""
    from analysis.cohort import load_cohort
    from analysis.tables import table2_group_counts

    c = load_cohort()
    score, pvtt = c["child_pugh_score"], c["pvtt"]
    implied = table2_group_counts(c)
    assert implied["child_pugh_5"] == _by_hand(c, score == 5) == "5 (5)"
    for k in (6, 7, 8):
        assert implied[f"child_pugh_{k}"] == f"{_by_hand(c, score == k)} vs 5 (5)"
    assert implied["sex_female"] == f"{_by_hand(c, c.sex == 'F')} vs {_by_hand(c, c.sex == 'M')}"
    assert implied["sex_male"] == _by_hand(c, c.sex == "M")
    vp0 = _by_hand(c, pvtt == "Vp0")
    assert implied["pvtt_vp1_2"] == f"{_by_hand(c, pvtt.isin(['Vp1', 'Vp2']))} vs {vp0}"
    assert implied["pvtt_vp3_4"] == f"{_by_hand(c, pvtt.isin(['Vp3', 'Vp4']))} vs {vp0}"
    low = c.albumin_g_dl <= 3
    assert implied["albumin_le3"] == f"{_by_hand(c, low)} vs {_by_hand(c, ~low)}"
    assert implied["albumin_gt3"] == _by_hand(c, ~low)
    add = c.additional_tace == 1
    assert implied["additional_tace"] == f"{_by_hand(c, add)} vs {_by_hand(c, ~add)}"
    stages = ", ".join(f"{s} {_by_hand(c, c.bclc_stage == s)}" for s in ("B", "C"))
    assert implied["bclc_stage"] == stages
    per_unit = {"age_years", "afp_ng_ml", "pivka2", "alt_u_l", "albi_score", "tumor_size_mm"}
    assert not per_unit & set(implied)
    assert not set(TABLE2_IMPLIED_TERMS) & set(implied)  # per unit under the implied coding
    stated = table2_group_counts(c, "stated")
    high = c.ast_u_l > 40
    assert stated["ast_gt40"] == f"{_by_hand(c, high)} vs {_by_hand(c, ~high)}"
    assert stated["prior_tace_2_4"] == _by_hand(c, c.prior_tace_sessions <= 4)
    with pytest.raises(ValueError, match="coding"):
        table2_group_counts(c, "per unit")


def test_table2_group_counts_hide_small_counts_on_a_users_cohort():
    """On a user's cohort the counts follow the other chapters' rule (analysis.privacy): 1-4
    reads "<5", and a count that would give a hidden one back reads "hidden". Groups add up to
    N, a group's deaths and survivors to its patients, and Table 1 (chapter 4) shows counts of
    the same patients: where it hides PVTT Vp1 and shows Vp2, Vp1–2 would give Vp1 back."""
    from analysis.cohort import load_cohort
    from analysis.privacy import COMPLEMENT_MARK
    from analysis.tables import table2_group_counts

    c = load_cohort()
    shown = table2_group_counts(c, user=True)
    assert shown == table2_group_counts(c.assign(), user=True)  # deterministic
    # Child-Pugh 8: 3 patients; class B (7 and 8) is shown in Table 1, so score 7 goes too
    assert shown["child_pugh_8"] == "<5 (<5) vs 5 (5)"
    assert shown["child_pugh_7"].startswith(f"{COMPLEMENT_MARK} (")
    # women: 7 patients, 6 dead; the one survivor would be 7 - 6: the deaths are hidden
    assert shown["sex_female"].startswith("7 (") and shown["sex_female"] != "7 (6) vs 75 (62)"
    t1 = table1(c, user=True).set_index("characteristic").iloc[:, 1]
    assert t1["PVTT Vp1"] == COMPLEMENT_MARK and not t1["PVTT Vp2"].startswith(("<", "hidden"))
    assert shown["pvtt_vp1_2"].startswith(f"{COMPLEMENT_MARK} (")
    # nothing small left in sight: every shown number is 0 or at least 5
    numbers = [int(x) for text in shown.values() for x in re_numbers(text)]
    assert numbers and all(x == 0 or x >= 5 for x in numbers)
    # the book's cohort shows every count
    assert table2_group_counts(c, user=False)["child_pugh_8"] == "3 (3) vs 5 (5)"


def re_numbers(text: str) -> list[str]:
    import re

    return re.findall(r"(?<![<\w])\d+", text)


def test_table2_shows_no_hazard_ratio_of_a_group_of_fewer_than_five_on_a_users_cohort():
    """Reviewer (chapter 7, after chapter 6): on a user's cohort a Cox row comparing a group
    of 1-4 patients (the book's cohort read as a user's: 3 with Child-Pugh score 8) printed
    its HR, interval and P in Tables 7.4 and 7.5, their CSVs, the tie-rule table and the
    forest plot. Now the term is listed in ``hidden`` (still fitted: the other estimates are
    unchanged) and the tables show "not shown (fewer than 5 patients)" or leave its cells out;
    the book's own cohort shows it as before. The old table2_models had no "hidden" key."""
    from unittest import mock

    from analysis import book
    from analysis.cohort import load_cohort
    from analysis.privacy import NOT_SHOWN_SMALL_GROUP
    from analysis.tables import coding_comparison, table2_ties

    c = load_cohort()
    book_fits, user_fits = table2_models(c), table2_models(c, user=True)
    assert book_fits["hidden"] == [] and user_fits["hidden"] == ["child_pugh_8"]
    for key in ("univariate", "multivariate"):  # the models themselves are the same
        pd.testing.assert_frame_equal(book_fits[key], user_fits[key])
    hr = format_published_value(
        user_fits["univariate"].loc["child_pugh_8", "hr"], "table2.child_pugh_8.uni.hr"
    )
    shown = table2(c, user=True).set_index(["term", "model"])["your cohort"]
    assert shown["child_pugh_8", "univariate"] == NOT_SHOWN_SMALL_GROUP
    assert shown["child_pugh_8", "multivariable"] == NOT_SHOWN_SMALL_GROUP
    assert shown["child_pugh_7", "univariate"].startswith("0.")  # 5 against 5: shown
    assert (
        table2(c)
        .set_index(["term", "model"])
        .loc[("child_pugh_8", "univariate"), "reproduced"]
        .startswith(hr)
    )
    # Table 7.4 as glued: the estimate's cell says why, its P is a dash; the other rows print
    glued = {}
    with mock.patch.object(
        book, "glue", lambda name, value, display=False: glued.update({name: value})
    ):
        book.glue_table2("t", table2(c, user=True), user_fits, user=True)
    row = next(
        line
        for line in glued["t"].data.splitlines()
        if line.startswith("| ↳") and NOT_SHOWN_SMALL_GROUP in line
    )
    assert row.count(NOT_SHOWN_SMALL_GROUP) == 2
    assert not re.search(r"\d", row.replace(NOT_SHOWN_SMALL_GROUP, "")), row  # no HR, CI or P
    # the tie-rule table: no cell of the hidden term, and it is not counted
    ties_user, ties_book = table2_ties(c, user=True), table2_ties(c)
    assert not ties_user["id"].str.startswith("table2.child_pugh_8.").any()
    assert ties_user.attrs["cells"] == ties_book.attrs["cells"] - 6  # HR, CI, P of two models
    # Table 7.1: a stated split (CRP > 3) with 3 patients above it, on a user's cohort
    crp3 = c.assign(crp_mg_l=np.where(np.arange(len(c)) < 3, 9.0, 1.0))
    stated = coding_comparison(crp3).set_index(["term", "model"])["stated"]
    assert stated["crp_gt3", "univariate"][0].isdigit()  # the book's: shown
    crp3.attrs["user_cohort"] = True
    stated = coding_comparison(crp3).set_index(["term", "model"])["stated"]
    assert stated["crp_gt3", "univariate"] == NOT_SHOWN_SMALL_GROUP
    assert stated["ast_gt40", "univariate"][0].isdigit()


@pytest.mark.parametrize(
    ("change", "term", "why"),
    [
        ({"additional_tace": 0}, "additional_tace", "nobody in this cohort is in its group (yes)"),
        (None, "child_pugh_8", "nobody in this cohort has this score"),
    ],
)
def test_table2_row_of_an_empty_group_says_why_in_the_table(change, term, why):
    """On a user's cohort (no ✓ or ✗) a Table 2 row whose group is empty ("82 (68) vs 0 (0)")
    reads "–" with a numbered note that says why, not a bare dash."""
    from unittest import mock

    from analysis import book
    from analysis.cohort import load_cohort
    from analysis.tables import table2, table2_group_counts, table2_models

    cohort = load_cohort()
    if change is None:  # nobody with Child-Pugh 8: they score 7 instead
        score = cohort["child_pugh_score"].where(cohort["child_pugh_score"] != 8, 7)
        cohort = cohort.assign(child_pugh_score=score)
    else:
        cohort = cohort.assign(**change)
    fits = table2_models(cohort, user=True)
    assert why in fits["reasons"][term]
    with mock.patch("analysis.book.glue") as glue:
        book.glue_table2(
            "tbl-x", table2(cohort, user=True), fits, user=True,
            counts=table2_group_counts(cohort, user=True),
        )  # fmt: skip
    rows = glue.call_args_list[0].args[1].data.splitlines()
    label = {"additional_tace": "Additional TACE", "child_pugh_8": "Child-Pugh score: 8"}[term]
    ours = rows[next(i for i, r in enumerate(rows) if r.startswith(f"| {label}")) + 1]
    mark = re.search(r"\| –([¹²³⁴⁵⁶⁷⁸⁹⁰]+) \|", ours)
    assert mark, ours
    notes = glue.call_args_list[1].args[1].data
    note = next(line for line in notes.splitlines() if line.startswith(mark.group(1) + " "))
    assert "not estimable" in note and why in note.replace("\\", ""), note


def test_survival_note_never_starts_with_a_markdown_quote_mark():
    """Chapter 6's "Not estimable on this cohort." note on a cohort where nobody with more than
    four prior TACE sessions died: its first group reads in words, not "> 4 prior TACE: …"."""
    from analysis.book import survival_comparisons
    from analysis.cohort import derive, load_cohort

    c = load_cohort()
    c = c.assign(os_event=c["os_event"].where(c["prior_tace_sessions"] <= 4, 0))
    note = survival_comparisons(derive(c), cohort_path="elsewhere.csv").notes["prior_tace"]
    assert note.reason.startswith("More than 4 prior TACE: "), note.reason
    assert ">" not in note._repr_markdown_().removeprefix("> ")


def test_label_repeated_targets_tells_apart_a_number_printed_in_two_places():
    """Review: Table 1.4 read "Median OS, additional TACE, 95% CI" on two rows far apart, the
    second the abstract's 3.6–14.4; each now names its section and they follow each other."""
    from analysis import synthesis, tables
    from analysis.labels import quantity_label

    targets = synthesis.target_entries()[["id", "quantity", "kind"]]
    pairs = zip(targets["quantity"], targets["kind"], strict=True)
    labelled = targets.assign(quantity=[quantity_label(q, k) for q, k in pairs])
    assert labelled["quantity"].duplicated().any()  # what the chapter had
    shown = tables.label_repeated_targets(labelled)
    assert shown["quantity"].is_unique and sorted(shown.index) == sorted(labelled.index)
    ids = shown["id"].tolist()
    at = ids.index("figure2.os_median_additional_tace.interval")
    assert ids[at + 1] == "abstract.os_median_additional_tace.interval"
    assert shown["quantity"].iloc[at + 1] == "Median OS, additional TACE, 95% CI (Abstract)"
    unique = labelled[~labelled["quantity"].duplicated(keep=False)]
    kept = shown.loc[unique.index, "quantity"]
    assert kept.tolist() == unique["quantity"].tolist()  # a label said once is unchanged
