"""Tests of analysis.audit.

Every kind of check is run on hand-built numbers with a known verdict — one consistent and one
inconsistent case at least, the arithmetic written out in the test — and then the driver is run
on the real published numbers, asserting verdicts a reader can verify by hand.
"""

from __future__ import annotations

import io
import math
from contextlib import redirect_stdout
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy.stats import norm

from analysis import audit, paper, published
from analysis.audit import (
    COLUMNS,
    VERDICTS,
    Z95,
    audit_paper,
    bclc_stage_c,
    child_pugh_classes,
    claim_direction,
    claim_extreme,
    claim_groups_complementary,
    claim_p_below,
    claim_table_reference,
    cox_vs_logrank,
    cox_vs_medians,
    criteria_cover,
    expected_direction,
    grim_mean,
    grim_percent,
    grimmer,
    hr_ci_centre,
    interval_symmetry,
    iqr_reading,
    logrank_vs_medians,
    p_from_ci,
    parts_sum,
    percent_of_count,
    range_reading,
    response_rates,
    same_quantity,
    sd_within_bounds,
    se_for_binary,
    smallest_group_deaths,
    summary,
)

C, INC, T = "consistent", "inconsistent", "cannot tell"
ROOT = Path(__file__).resolve().parent.parent


# ----------------------------------------------------------------------------- counts, percents


def test_percent_of_count():
    # 35/82 = 0.426829… → 42.7%
    assert percent_of_count(35, 82, 42.7, 1).verdict == C
    # 35/82 = 42.68% would print 42.7, not 42.6
    assert percent_of_count(35, 82, 42.6, 1).verdict == INC
    assert percent_of_count(35, 82, 42.7, 1).details["exact"] == pytest.approx(100 * 35 / 82)
    with pytest.raises(ValueError, match="count"):
        percent_of_count(90, 82, 42.7, 1)


def test_grim_percent():
    # 42.7% of 82: 35/82 = 42.68% is the only count
    res = grim_percent(42.7, 82, 1)
    assert res.verdict == C and res.details["counts"] == [35]
    # 42.0%: 34/82 = 41.46%, 35/82 = 42.68%; nothing prints 42.0
    res = grim_percent(42.0, 82, 1)
    assert res.verdict == INC and "34/82 = 41.46%" in res.explanation


def test_grim_mean():
    # Brown & Heathers' kind of example: n = 28, 145/28 = 5.1786 → 5.18
    assert grim_mean(5.18, 28, 2).verdict == C
    # 145/28 = 5.1786 and 146/28 = 5.2143: no total prints 5.19
    assert grim_mean(5.19, 28, 2).verdict == INC
    # n = 82 with one decimal: steps of 1/82 = 0.012 < 0.1, the test cannot fail
    res = grim_mean(5.3, 82, 1)
    assert res.verdict == C and "cannot fail" in res.explanation
    # 2.65 with n = 82 (2 decimals, informative): 217/82 = 2.6463 → 2.65
    assert 217 in grim_mean(2.65, 82, 2).details["totals"]
    # two-item scale: 10 people × 2 items = 20 values, 51/20 = 2.55
    assert grim_mean(2.55, 10, 2, items=2).verdict == C
    assert grim_mean(2.57, 10, 2, items=2).verdict == INC  # 51/20 = 2.55, 52/20 = 2.60


def test_grimmer():
    # n = 5, mean 2.0 → total T = 10 (even). S = (n−1)·sd² + T²/n = 4·sd² + 20.
    # sd 1.00 (0.995–1.005): S in [23.9601, 24.0401] → S = 24, even: e.g. 1,1,2,3,3
    assert sum(x * x for x in (1, 1, 2, 3, 3)) == 24
    assert grimmer(2.0, 1.00, 5, 1, 2).verdict == C
    # sd 1.10 (1.095–1.105): S in [24.7961, 24.8841] → no integer
    assert grimmer(2.0, 1.10, 5, 1, 2).verdict == INC
    # sd 1.12 (1.115–1.125): S in [24.9729, 25.0625] → S = 25 is odd but T = 10 is even
    assert 4 * 1.115**2 + 20 == pytest.approx(24.9729)
    assert grimmer(2.0, 1.12, 5, 1, 2).verdict == INC
    # a mean that fails GRIM fails GRIMMER
    assert grimmer(5.19, 1.0, 28, 2, 2).verdict == INC


def test_sd_within_bounds():
    # prior TACE 5.3 ± 3.5 with every value in [2, 6]: largest SD with the mean at 5.25 is
    # sqrt(82/81 · 3.25 · 0.75) = 1.571 < 3.45 → impossible
    res = sd_within_bounds(5.3, 3.5, 82, 1, 1, lower=2, upper=6, integer=True)
    assert res.verdict == INC
    assert res.details["max_sd"] == pytest.approx(math.sqrt(82 / 81 * 3.25 * 0.75))
    # with only the lower bound 2: largest value ≥ m + (81/82)·s²/(m − 2) with s = 3.45,
    # smallest at m = 5.35: 5.35 + 0.98780·11.9025/3.35 = 8.860 → at least 9 sessions
    res = sd_within_bounds(5.3, 3.5, 82, 1, 1, lower=2, integer=True)
    assert res.verdict == C and res.details["smallest_max"] == 9
    assert "right-skewed" in res.explanation  # SD 3.5 > 5.3 − 2
    # an SD well inside the bounds
    assert sd_within_bounds(5.0, 1.0, 82, 1, 1, lower=2, upper=8).verdict == C
    # a mean below the minimum
    assert sd_within_bounds(1.5, 0.5, 82, 1, 1, lower=2).verdict == INC


def test_parts_sum_and_criteria_cover():
    assert parts_sum({"male": 75, "female": 7}, 82).verdict == C  # 75 + 7 = 82
    assert parts_sum({"male": 75, "female": 8}, 82).verdict == INC  # 83
    # 62 + 42 + 5 + 34 + 38 = 181 ≥ 82
    assert criteria_cover({"a": 62, "b": 42, "c": 5, "d": 34, "e": 38}, 82).verdict == C
    assert criteria_cover({"a": 30, "b": 40}, 82).verdict == INC  # 70 < 82
    assert criteria_cover({"a": 90}, 82).verdict == INC  # more than n


# ----------------------------------------------------------------------------- medians, ranges


def test_interval_symmetry():
    # 9.9 (8.7–11): below 1.2, above 1.1; asymmetry 0.1 ≤ 0.5 + 0.05 + 2·0.05 = 0.65
    res = interval_symmetry(9.9, 8.7, 11, 1, 1, 0)
    assert res.verdict == C
    assert res.details["se"] == pytest.approx(2.3 / (2 * Z95))
    # 3.4 (0.5–13.6): below 2.9, above 10.2; asymmetry 7.3 > 0.2
    res = interval_symmetry(3.4, 0.5, 13.6, 1, 1, 1)
    assert res.verdict == INC and res.details["asymmetry"] == pytest.approx(7.3)


def test_a_lopsided_bracket_prints_the_one_sided_ses_the_prose_gives():
    """Review: chapter 8 printed "SE ≈ 3.34" (from the full width) for the >4 prior TACE
    bracket while the prose and Table 8.3 give the one-sided SEs 1.48 and 5.20."""
    res = interval_symmetry(3.4, 0.5, 13.6, 1, 1, 1)
    assert "1.48" in res.computed and "5.20" in res.computed
    assert "3.34" not in res.computed
    ok = interval_symmetry(9.9, 8.7, 11.1, 1, 1, 1)
    assert "SE from the full width ≈ 0.61" in ok.computed


def test_a_bound_without_its_neighbours_decimal_is_read_as_the_calibration_reads_it():
    """Review: chapter 1 counts "2.8–11" (no additional TACE) infeasible, reading 11 as 11.0 as
    the calibration does, while the audit read 11 at whole months and called the bracket a
    symmetric SPSS interval. One reading now, and the other one named."""
    rows = audit_paper().set_index("claim")
    row = rows.loc["Median OS, no additional TACE: 6.7 (range, 2.8–11)"]
    assert row["verdict"] == INC
    assert "read as 11.0, as the calibration reads it" in row["explanation"]
    assert "would be symmetric" in row["explanation"]
    # the whole cohort's 8.7–11 is symmetric either way: no note
    overall = rows.loc["Median OS: 9.9 (range, 8.7–11)"]
    assert overall["verdict"] == C and "calibration" not in overall["explanation"]


def test_range_reading():
    # a min–max of the whole cohort must contain the PD group's median
    assert range_reading(8.7, 11, {"PD median": 3.4}).verdict == INC
    assert range_reading(0.5, 40, {"PD median": 3.4, "DC median": 11.7}).verdict == C


def test_iqr_reading():
    # an IQR always contains the median
    assert iqr_reading(500, 1, 100, 82).verdict == INC
    # 100 (30–400): log-SD ln(400/30)/(2·0.6745) = 1.92, plausible
    res = iqr_reading(100, 30, 400, 82)
    assert res.verdict == C
    assert res.details["iqr_log_sd"] == pytest.approx(math.log(400 / 30) / (2 * 0.6744898))
    # AFP 333.4 (1.7–348,100): ln(204,765)/1.349 = 9.07 → implausible, not impossible
    res = iqr_reading(333.4, 1.7, 348100, 82)
    assert res.verdict == T and res.details["iqr_log_sd"] == pytest.approx(9.07, abs=0.01)


# ----------------------------------------------------------------------------- hazard ratios


def test_hr_ci_centre():
    # √(1.007 · 1.172) = √1.180204 = 1.08637 → 1.086
    res = hr_ci_centre(1.086, 1.007, 1.172, 3, 3)
    assert res.verdict == C and res.details["centre"] == pytest.approx(1.08637, abs=1e-5)
    # √(1.112 · 6.396) = √7.112352 = 2.6669, not 2.892
    res = hr_ci_centre(2.892, 1.112, 6.396, 3, 3)
    assert res.verdict == INC and res.details["centre"] == pytest.approx(2.6669, abs=1e-4)
    # √(1.341 · 4.160) = 2.36190; 2.363 needs truncated printing → consistent, said so
    res = hr_ci_centre(2.363, 1.341, 4.160, 3, 3)
    assert res.verdict == C and "truncated" in res.explanation


def test_p_from_ci():
    # SE = (ln 1.172 − ln 1.007)/(2·1.96) = (0.158712 − 0.006976)/3.919928 = 0.038709
    # z = ln 1.086/SE = 0.082501/0.038709 = 2.131 → P = 0.033 → prints 0.03
    res = p_from_ci(1.086, 1.007, 1.172, 0.03, "=", 3, 3, 2)
    assert res.verdict == C
    assert res.details["se"] == pytest.approx(0.038709, abs=1e-6)
    assert res.details["p"] == pytest.approx(0.0331, abs=5e-4)
    # ALBI: SE = (ln 2.496 − ln 1.008)/3.92 = (0.91469 − 0.00797)/3.92 = 0.23131,
    # z = ln 1.586/SE = 0.46121/0.23131 = 1.994, P = 0.0462 (≥ 0.0458 given rounding):
    # would round to 0.05; printed 0.04 → consistent only if truncated
    res = p_from_ci(1.586, 1.008, 2.496, 0.04, "=", 3, 3, 2)
    assert res.verdict == C and "truncated" in res.explanation
    assert res.details["p_min"] > 0.045
    # prior TACE > 4 (multivariable): SE 0.187, z 2.24, P 0.0252 would read "≈ 0.025" beside the
    # printed 0.02 (a reader rounds it to 0.03); the range the check accepts is printed instead
    res = p_from_ci(1.521, 1.054, 2.196, 0.02, "=", 3, 3, 2)
    assert res.verdict == C and "P ≈" not in res.explanation
    assert "P between 0.0249 and 0.0252, which agrees with the printed 0.02" in res.explanation
    # albumin: SE = (1.85568 − 0.10616)/3.92 = 0.4463, z = 1.0620/0.4463 = 2.38, P = 0.017 ≠ 0.003
    res = p_from_ci(2.892, 1.112, 6.396, 0.003, "=", 3, 3, 3)
    assert res.verdict == INC and res.details["p"] == pytest.approx(0.0174, abs=5e-4)
    # HR 1.5 (0.9–2.5): SE = (0.91629 + 0.10536)/3.92 = 0.2606, z = 1.556, P = 0.12 vs printed
    # 0.01: the conclusion at 0.05 changes
    res = p_from_ci(1.5, 0.9, 2.5, 0.01, "=", 1, 1, 2)
    assert res.verdict == INC and res.details["decision_error"]
    # "<0.001": AST SE = 0.003028, z = 0.01094/0.003028 = 3.61, P = 0.0003 < 0.001
    assert p_from_ci(1.011, 1.005, 1.017, 0.001, "<", 3, 3, 3).verdict == C
    # 1 (1.000–1.000): both bounds lie in 0.9995–1.0005, so SE ≤ (ln 1.0005 − ln 0.9995)/3.92
    # = 0.000255 and any P fits; P = 0.03 (rounded 0.025–0.035 or truncated 0.03–0.04) gives
    # |z| ≤ z(0.025) = 2.2414, and (|z| + 1.96)·SE ≤ ln 1.0005 = 0.00049988 caps
    # |ln HR| ≤ 0.00049988 × 2.2414 / 4.2014 = 0.00026668 (HR ≤ e^0.26668 = 1.31 per 1,000)
    res = p_from_ci(1, 1.0, 1.0, 0.03, "=", 0, 3, 2)
    assert res.verdict == C
    assert res.details["se_max"] == pytest.approx((math.log(1.0005) - math.log(0.9995)) / 3.919928)
    assert res.details["log_hr_max"] == pytest.approx(0.00049988 * 2.2414 / 4.2014, rel=1e-4)
    assert "1.31 per 1,000 units" in res.explanation


def _wald_p_range_by_grid(hr, lower, upper, decimals=3, z=1.959963984540054, k=1201):
    """P range over Wald rows printing as HR (lower–upper), by brute force: a k×k grid over the
    rounding boxes of ln L and ln U (b = their midpoint, s = half their distance / z), kept when
    e^b rounds to the HR; then its extremes. Written here without the package."""
    h = 0.5 * 10.0**-decimals
    ll = np.log(np.linspace(lower - h, lower + h, k))
    lu = np.log(np.linspace(upper - h, upper + h, k))
    b = (ll[:, None] + lu[None, :]) / 2
    s = (lu[None, :] - ll[:, None]) / (2 * z)
    ok = (np.exp(b) >= hr - h) & (np.exp(b) <= hr + h)
    p = 2 * norm.sf(np.abs(b[ok]) / s[ok])
    return float(p.min()), float(p.max())


@pytest.mark.parametrize(
    "row",
    [
        (1.135, 1.015, 1.268, 0.02),  # CRP univariate
        (1.586, 1.008, 2.496, 0.04),  # ALBI univariate
        (0.279, 0.079, 0.978, 0.05),  # Child-Pugh 7 univariate
        (1.002, 0.994, 1.009, 0.69),  # tumour size univariate
    ],
)
def test_p_from_ci_range_is_over_wald_rows(row):
    """The P range of p_from_ci is that of the Wald rows printing as the HR and interval: HR and
    SE taken apart gave CRP's univariate row P down to 0.0246 (rounds to the printed 0.02), but
    every row with one log HR whose e^b and e^(b ± 1.96 s) print as 1.135 (1.015–1.268) has
    P ≥ 0.0256, which rounds to 0.03: the printed 0.02 needs truncation, as Table 7.2 says."""
    hr, lower, upper, p = row
    res = p_from_ci(hr, lower, upper, p, "=", 3, 3, 2)
    lo, hi = _wald_p_range_by_grid(hr, lower, upper)
    assert res.details["joint"]
    # the grid lies inside the exact range and comes within its step of both ends
    assert res.details["p_min"] <= lo + 1e-12 and hi <= res.details["p_max"] + 1e-12
    step = 2e-5 + 1e-3 * (hi - lo)  # the grid's resolution
    assert lo - res.details["p_min"] < step and res.details["p_max"] - hi < step
    rounds = lo < p + 0.005 and hi >= p - 0.005
    assert res.details["rounded"] == rounds
    assert ("truncated" in res.explanation) == (not rounds)
    if row[0] == 1.135:
        assert lo > 0.0255 and not rounds  # CRP: only truncation gives 0.02


def test_se_for_binary():
    # floor 2/√82 = 0.22086
    # AST 1.005–1.017: SE = (0.016857 − 0.004988)/3.92 = 0.003028 < 0.2209 → not 0/1
    res = se_for_binary(1.005, 1.017, 3, 82, hr=1.011, per=(100, "U/L"))
    assert res.verdict == INC
    assert res.details["floor"] == pytest.approx(2 / math.sqrt(82))
    assert res.details["se"] == pytest.approx(0.003028, abs=2e-6)
    assert "2.99 per 100 U/L" in res.explanation  # 1.011**100 = 2.99
    # additional TACE 0.258–0.743: SE = (−0.29706 + 1.35480)/3.92 = 0.26984 ≥ 0.2209;
    # needs d ≥ 4/SE² ≈ 55 deaths (largest SE the rounding allows gives 54.9)
    res = se_for_binary(0.258, 0.743, 3, 82)
    assert res.verdict == C and math.ceil(res.details["min_deaths"]) == 55


def test_smallest_group_deaths():
    # SE 0.638, D = 82: the smaller root x of 1/x + 1/(82 − x) = 0.638²
    x = smallest_group_deaths(0.638, 82)
    assert 1 / x + 1 / (82 - x) == pytest.approx(0.638**2)
    assert 2 < x < 3
    # an SE below 2/√D is unreachable
    assert math.isnan(smallest_group_deaths(0.2, 82))


# ----------------------------------------------------------------------------- cross-checks, claims


def test_same_quantity():
    # 14 and 14.0 agree at the coarser precision
    assert same_quantity([("a", (14.0,), (0,)), ("b", (14.0,), (1,))]).verdict == C
    res = same_quantity(
        [("Table 2", (1.521,), (3,)), ("Abstract", (0.151,), (3,)), ("Results", (1.521,), (3,))]
    )
    assert res.verdict == INC and "Abstract prints 0.151" in res.explanation
    res = same_quantity([("Results", (3.6, 24.4), (1, 1)), ("Abstract", (3.6, 14.4), (1, 1))])
    assert res.verdict == INC
    with pytest.raises(ValueError):
        same_quantity([("a", (1.0,), (1,))])


def test_claims():
    # "significant at P < 0.005"
    assert claim_p_below({"a": (0.002, "="), "b": (0.001, "<")}, 0.005).verdict == C
    res = claim_p_below({"a": (0.002, "="), "b": (0.02, "=")}, 0.005)
    assert res.verdict == INC and res.computed == "1 of 2 below 0.005"
    # direction
    assert claim_direction(1.521, "worse").verdict == C
    assert claim_direction(0.151, "worse").verdict == INC
    assert claim_direction(0.491, "better").verdict == C
    # most / least common
    values = {"poor response": 62, "extrahepatic": 5, "new lesions": 42}
    assert claim_extreme(values, "poor response", "max").verdict == C
    assert claim_extreme(values, "new lesions", "max").verdict == INC
    assert claim_extreme(values, "extrahepatic", "min").verdict == C
    # group definitions on prior TACE sessions (at least 2)
    assert claim_groups_complementary((">", 4), ("<=", 4), 2).verdict == C
    res = claim_groups_complementary((">", 4), ("<", 4), 2)
    assert res.verdict == INC and "4 falls in neither" in res.explanation
    res = claim_groups_complementary((">=", 4), ("<=", 4), 2)
    assert res.verdict == INC and "both" in res.explanation
    # table references
    assert claim_table_reference("orr", "Table 2", {"orr", "dcr"}).verdict == C
    assert claim_table_reference("orr", "Table 2", {"hr_age_years_uni"}).verdict == INC


# ----------------------------------------------------------------------------- clinical rules


def test_bclc_stage_c():
    pvtt = {"vp1": 11, "vp2": 24, "vp3": 16, "vp4": 2}  # 53 with PVTT
    assert bclc_stage_c(53, pvtt, 34, 5).verdict == C
    res = bclc_stage_c(33, pvtt, 34, 5)
    # any thrombus: max(53, 34, 5) = 53; the refractoriness's vascular invasion: max(34, 5) = 34;
    # a Vp3-Vp4 thrombus only (the invasion may be Vp1-Vp2): max(18, 5) = 18 <= 33
    assert res.verdict == INC
    assert res.details == {"minimum": 53, "minimum_invasion": 34, "minimum_narrow": 18}
    assert "at least 34, still more than printed" in res.explanation
    assert "at least 18, which the printed count allows" in res.explanation


def test_paper_bclc_check_states_the_timing_the_methods_give():
    """Chapter 8 said staging "at first diagnosis rather than before HAIC … would explain it,
    but the paper states neither", and that "even the narrowest reading (vascular invasion only)
    needs 34", while chapter 2 found a Vp3-Vp4 reading (18) compatible. The paper's Methods
    stage patients at the preparation for HAIC; the three readings are one set of numbers."""
    from analysis.audit import paper_bclc_check

    check = paper_bclc_check()
    assert check.verdict == INC
    assert check.details == {"minimum": 53, "minimum_invasion": 34, "minimum_narrow": 18}
    assert "time of staging does not explain it" in check.explanation
    assert "states neither" not in check.explanation
    row = audit_paper().set_index("check").loc["clinical rule (BCLC 2022)"]
    assert row["explanation"] == check.explanation
    for stem in ("02-eligibility", "08-audit"):
        text = (ROOT / "chapters" / f"{stem}.md").read_text(encoding="utf-8")
        assert "paper_bclc_check()" in text, stem
        assert "older BCLC version" not in text and "states neither" not in text, stem
        assert "narrowest reading (vascular invasion only)" not in text, stem


def test_logrank_upper_bound_is_rounded_up():
    """Chapter 8 said the log-rank "P is at most 0.005" for a bound of 0.005037: an upper bound
    printed below itself. It is rounded up, in the chapter and in the audit's explanation."""
    import nbformat

    table = audit_paper()
    text = " ".join(table["explanation"])
    assert "P is at most 0.0051," in text and "at most 0.0050," not in text
    nb = nbformat.read(ROOT / "chapters" / "08-audit.ipynb", as_version=4)
    glued = {
        o["metadata"]["scrapbook"]["name"]: o["data"]
        for cell in nb.cells
        for o in cell.get("outputs", [])
        if "scrapbook" in o.get("metadata", {})
    }
    assert glued["audit_add_lr_pmax"]["application/papermill.record/text/plain"] == "'0.0051'"


def test_audit_downloads_carry_no_display_verdict_column():
    """audit-all.csv and audit-findings.csv carried both ``verdict`` and the page's marked
    ``Verdict`` ("✗ inconsistent"); the downloads hold the audit's own columns."""
    import base64
    import re

    import nbformat

    nb = nbformat.read(ROOT / "chapters" / "08-audit.ipynb", as_version=4)
    for name in ("tbl-audit-all-notes", "tbl-audit-findings-notes"):
        notes = next(
            o["data"]["application/papermill.record/text/markdown"]
            for cell in nb.cells
            for o in cell.get("outputs", [])
            if o.get("metadata", {}).get("scrapbook", {}).get("name") == name
        )
        csv = base64.b64decode(re.search(r"base64,([A-Za-z0-9+/=]+)", notes).group(1)).decode()
        assert csv.splitlines()[0].split(",") == list(COLUMNS), name
        assert "✗" not in csv and "✓" not in csv, name


def test_child_pugh_classes():
    assert child_pugh_classes({"A": 74, "B": 8, "C": 0}, [5, 6, 7, 8]).verdict == C
    assert child_pugh_classes({"A": 74, "B": 8, "C": 0}, [5, 6]).verdict == INC  # B has no score
    assert child_pugh_classes({"A": 74, "B": 8, "C": 0}, [5, 6, 7, 10]).verdict == INC  # 10 is C


def test_response_rates():
    # 4 + 20 = 24; 4 + 20 + 22 = 46; 4 + 20 + 22 + 36 = 82
    assert response_rates(4, 20, 22, 36, 24, 46, 82).verdict == C
    assert response_rates(4, 20, 22, 36, 25, 46, 82).verdict == INC
    assert response_rates(4, 20, 22, 36, 24, 47, 82).verdict == INC


def test_expected_direction():
    assert expected_direction({"x": (1.5, 1.1, 2.0)}, "harmful").verdict == C
    assert expected_direction({"x": (0.631, 0.389, 1.022)}, "harmful").verdict == C  # CI has 1
    res = expected_direction({"score 6": (0.248, 0.071, 0.865)}, "harmful")
    assert res.verdict == T and res.details["against"] == ["score 6"]


# ----------------------------------------------------------------------------- survival cross-checks


def test_logrank_vs_medians():
    # medians 10 vs 5 → HR 2, ln 2 = 0.6931; 50–60 deaths split evenly (p(1 − p) = 0.25):
    # z from 0.6931·√12.5 = 2.45 to 0.6931·√15 = 2.68
    args = (10, 5)
    deaths, share = (50, 60), (0.5, 0.5)
    # printed 0.01 (0.005–0.02 rounded or truncated): z 2.33–2.81 → overlaps
    res = logrank_vs_medians(*args, 0.01, "=", 2, deaths, share)
    assert res.verdict == C
    assert res.details["expected_z"][0] == pytest.approx(math.log(2) * math.sqrt(12.5))
    # printed 0.1: z 1.28–1.96; 2.45/1.96 = 1.25 → within a factor 2 → cannot tell
    assert logrank_vs_medians(*args, 0.1, "=", 1, deaths, share).verdict == T
    # printed 0.9: z at most 0.19; 2.45/0.19 ≈ 13 → inconsistent
    assert logrank_vs_medians(*args, 0.9, "=", 1, deaths, share).verdict == INC


def test_cox_vs_medians():
    # medians 5 (exposed) vs 10 (reference) → HR ≈ 2.0, inside 1.5–2.7
    assert cox_vs_medians(2.0, 1.5, 2.7, 5, 10).verdict == C
    # 14/3.4 = 4.12 > 2 × 1.172 = 2.344 → inconsistent
    res = cox_vs_medians(1.086, 1.007, 1.172, 3.4, 14)
    assert res.verdict == INC and res.details["implied_hr"] == pytest.approx(14 / 3.4)
    # 10/3.33 = 3.0: above 2.0 but below 2 × 2.0 → cannot tell
    assert cox_vs_medians(1.5, 1.1, 2.0, 10 / 3, 10).verdict == T


def test_cox_vs_logrank():
    # HR 0.5 (0.3–0.833): SE = (ln 0.833 − ln 0.3)/3.92 = 0.2606, |z| = 0.6931/0.2606 = 2.66
    # log-rank 0.008 → z 2.61–2.67 (0.0075–0.009) → agree
    assert cox_vs_logrank(0.5, 0.3, 0.833, 3, 0.008, "=", 3).verdict == C
    # log-rank 0.5 → z at most z(0.45) = 0.76; 2.6/0.76 ≈ 3.4 → inconsistent
    assert cox_vs_logrank(0.5, 0.3, 0.833, 3, 0.5, "=", 1).verdict == INC
    # additional TACE: HR 0.438 (0.258–0.743). Smallest Wald |z| the rounding allows:
    # |ln 0.4385| = 0.82440 over the widest SE (ln 0.7435 − ln 0.2575)/3.919928 = 0.270501,
    # 3.0477; the log-rank |z| is at least that / cosh(|ln 0.4375|/2) = 3.0477/1.08660 = 2.8048,
    # P ≤ 0.0050. Printed 0.02 allows |z| ≤ z(0.015) = 2.4324 → inconsistent
    res = cox_vs_logrank(0.438, 0.258, 0.743, 3, 0.02, "=", 2)
    assert res.verdict == INC
    assert res.details["logrank_z_min"] == pytest.approx(2.8048, abs=2e-3)
    assert res.details["logrank_z"][1] == pytest.approx(2.4324, abs=1e-3)
    # the same row with log-rank P 0.004 (|z| 2.88–2.97 rounded) is above the bound → consistent
    assert cox_vs_logrank(0.438, 0.258, 0.743, 3, 0.004, "=", 3).verdict == C
    # different codings (a per-unit Cox term): no arithmetic ties the two P values → both can hold
    assert cox_vs_logrank(0.5, 0.3, 0.833, 3, 0.5, "=", 1, same_coding=False).verdict == C


def test_logrank_bound_holds_in_simulated_data():
    # independent check of log-rank |z| ≥ Wald |z| / cosh(β̂/2) for one 0/1 covariate: statsmodels'
    # Breslow Cox fit against a hand-written log-rank test (hypergeometric variance), with ties
    import warnings

    import numpy as np
    from statsmodels.duration.hazard_regression import PHReg

    def logrank_z(t, e, x):
        u = v = 0.0
        for s in np.unique(t[e == 1]):
            at_risk = t >= s
            n, n1 = at_risk.sum(), (at_risk & (x == 1)).sum()
            dead = (t == s) & (e == 1)
            d, d1 = dead.sum(), (dead & (x == 1)).sum()
            q = n1 / n
            u += d1 - d * q
            if n > 1:
                v += d * q * (1 - q) * (n - d) / (n - 1)
        return u / math.sqrt(v)

    rng = np.random.default_rng(7)
    checked = 0
    for _ in range(150):
        n = int(rng.integers(15, 60))
        x = (rng.random(n) < rng.uniform(0.2, 0.8)).astype(float)
        t = np.where(x == 1, rng.uniform(0.3, 3), 1.0) * rng.weibull(rng.uniform(0.4, 3), n)
        t = np.ceil(t * 4)  # ties
        c = rng.uniform(1, 20, n)
        e, t = (t <= c).astype(float), np.minimum(t, c)
        if e.sum() < 3 or x.std() == 0:
            continue
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            fit = PHReg(t, x[:, None], status=e, ties="breslow").fit(disp=0)
        b, se = float(fit.params[0]), float(fit.bse[0])
        if not (math.isfinite(se) and abs(b) < 4):
            continue
        assert abs(logrank_z(t, e, x)) >= abs(b) / se / math.cosh(b / 2) - 1e-6
        checked += 1
    assert checked > 100


def test_category_deaths():
    # one level, SE 0.5 (SE² = 0.25), 20–30 deaths: 1/x + 1/(d − x) = 0.25 with d ≤ 30 gives
    # x(30 − x) = 120 at the edge, x = (30 − √420)/2 = 4.7534; the larger group then 25.2466
    r = audit.category_deaths({"b": 0.5}, (20, 30))
    assert r["b"][0] == pytest.approx((30 - math.sqrt(420)) / 2, abs=0.01)
    assert r["reference"][1] == pytest.approx((30 + math.sqrt(420)) / 2, abs=0.01)
    # an SE below 2/√30 = 0.365 cannot be reached with at most 30 deaths
    assert audit.category_deaths({"b": 0.3}, (20, 30)) is None
    # a cap on the compared level: at most 3 deaths → 1/x ≥ 0.25 − 1/3 < 0, so x ≤ 3 fits
    # only if 1/d_ref = 0.25 − 1/x ≥ 0, i.e. x ≥ 4: nothing fits
    assert audit.category_deaths({"b": 0.5}, (5, 30), {("b",): 3}) is None


def test_category_direction_child_pugh():
    # Table 2 univariate Child-Pugh rows; SE² from the intervals:
    # score 6 (ln 0.865 − ln 0.071)/3.92 = 0.6378 → 0.4068; score 7 0.6419 → 0.4120;
    # score 8 0.7861 → 0.6179. With 55–82 deaths, class B (scores 7–8) at most 8 deaths and
    # class A (5–6) at most 74: d₇ + d₈ ≤ 8 forces 1/d₅ small, so d₅ is large and
    # d₆ = 1/(0.4068 − 1/d₅) ≈ 2.55–2.59 (at d₅ = 48.2: 1/(0.4068 − 0.0207) = 2.590)
    effects = {
        "score 6": (0.248, 0.071, 0.865),
        "score 7": (0.279, 0.079, 0.978),
        "score 8": (0.396, 0.085, 1.852),
    }
    caps = {("reference", "score 6"): 74, ("score 7", "score 8"): 8}
    res = audit.category_direction(effects, "harmful", (55, 82), caps, reference="score 5")
    assert res.verdict == C
    deaths = res.details["deaths"]
    assert 2.5 < deaths["score 6"][0] <= deaths["score 6"][1] < 2.6
    assert deaths["score 8"][1] == pytest.approx(1 / (0.6179 - 1 / 48.2), abs=0.01)
    assert deaths["reference"][0] > 45
    assert res.details["against"] == ["score 6", "score 7"]
    # at most 4 deaths at score 5 and 8 in class B: 1/d₅ ≥ 0.25 makes d₇ ≥ 1/(0.4120 − 0.25) = 6.2
    # and d₈ ≥ 1/(0.6179 − 0.25) = 2.7, together more than 8: no split fits, inconsistent
    caps = {("reference",): 4, ("score 7", "score 8"): 8}
    assert audit.category_direction(effects, "harmful", (55, 82), caps).verdict == INC


def test_last_category_reading_child_pugh():
    # the same printed rows read as scores 5, 6, 7 against 8 (SPSS's default last reference):
    # SE² 0.4068 (score 5), 0.4120 (score 6), 0.6179 (score 7). The shared reference is score 8:
    # 1/d₈ = 0.4068 − 1/d₅ with d₅ ≈ 32–41 gives d₈ ≈ 1/(0.4068 − 1/36) = 2.64, and then
    # d₇ = 1/(0.6179 − 1/2.64) = 4.19; class B holds d₇ + d₈ ≈ 6.8, under its 8 patients
    se = {
        f"score {k}": (math.log(hi) - math.log(lo)) / (2 * 1.959964)
        for k, (lo, hi) in {6: (0.071, 0.865), 7: (0.079, 0.978), 8: (0.085, 1.852)}.items()
    }
    d = audit.last_category_reading(se, (66, 82), 74, 8)
    assert 2.6 < d["reference"][0] <= d["reference"][1] < 2.7
    assert 4.1 < d["score 7"][0] <= d["score 7"][1] < 4.3
    assert (
        d["score 5"][0] > 30 and d["score 6"][0] > 25
    )  # no class-A score with a handful of deaths
    assert d["score 7"][1] + d["reference"][1] <= 8
    # class B with 6 deaths at most cannot hold them
    assert audit.last_category_reading(se, (66, 82), 74, 6) is None
    text = audit.last_category_sentence(d, 15)
    assert "score 8 at 2.6–2.7 deaths" in text and "enough for the albumin row's 15" in text
    assert "short of the albumin row's 40" in audit.last_category_sentence(d, 40)


def test_real_child_pugh_row_gives_the_last_category_reading(table):
    row = table[table["claim"] == "Child-Pugh 6, 7, 8 vs 5: HR < 1"].iloc[0]
    assert "With the last category as reference (score 8" in row["explanation"]
    assert "enough for the albumin row's 15" in row["explanation"]


def test_readme_states_the_last_category_reading():
    """README.md's sentence on the shifted Child-Pugh reference quotes the audit's numbers: the
    fewest deaths at score 8 and the most at score 7 (the ranges are 2.62–2.66 and 4.12–4.24, so
    "about" either end reads the same at one decimal), and the fewest at either class-A score."""
    se = {}
    for s in (6, 7, 8):
        iv = published.entry(f"table2.child_pugh_{s}.uni.interval")
        se[s] = paper.se_from_interval(iv.lower, iv.upper)
    a, b = (published.value(f"table1.child_pugh_{c}.count") for c in "ab")
    d = audit.last_category_reading(se, (paper.min_total_deaths()[0], 82), a, b)
    readme = " ".join((Path(__file__).resolve().parents[1] / "README.md").read_text().split())
    class_a_least = min(d["score 5"][0], d["score 6"][0])
    expected = (
        f"score 8 holds about {d['reference'][0]:.1f} deaths, score 7 about "
        f"{d['score 7'][1]:.1f} and each class-A score {math.floor(class_a_least)} or more"
    )
    assert expected in readme


def test_check_rejects_unknown_verdict():
    with pytest.raises(ValueError, match="verdict"):
        audit.Check("maybe", "", "")


# ----------------------------------------------------------------------------- the real paper


@pytest.fixture(scope="module")
def table() -> pd.DataFrame:
    return audit_paper()


def _rows(table, check, id_part):
    return table[(table["check"] == check) & table["ids"].str.contains(id_part, regex=False)]


def _verdict(table, check, id_part):
    rows = _rows(table, check, id_part)
    assert len(rows) == 1, (check, id_part, rows)
    return rows["verdict"].iloc[0]


def test_shape_and_values(table):
    assert list(table.columns) == list(COLUMNS)
    assert set(table["verdict"]) <= set(VERDICTS)
    assert (table["explanation"].str.len() > 10).all()
    assert len(table) > 150


def test_deterministic(table):
    pd.testing.assert_frame_equal(table, audit_paper())


def test_summary(table):
    s = summary(table)
    assert list(s["verdict"]) == [*VERDICTS, "total"]
    assert s["checks"].iloc[-1] == len(table) == s["checks"].iloc[:3].sum()
    with pytest.raises(ValueError, match="verdict"):
        summary(pd.DataFrame({"verdict": ["maybe"]}))


def test_real_table1_percents_consistent(table):
    rows = table[(table["check"] == "percent vs count") & table["ids"].str.contains("table1.")]
    assert len(rows) >= 17  # every n (%) cell of Table 1
    assert (rows["verdict"] == C).all()


def test_real_abstract_hr_prior_tace(table):
    assert _verdict(table, "same number everywhere", "abstract.hr_prior_tace_gt4.hr") == INC
    assert _verdict(table, "claim vs table", "abstract.hr_prior_tace_gt4.hr") == INC
    assert _verdict(table, "claim vs table", "results.hr_prior_tace_gt4.hr") == C


def test_real_additional_tace_interval(table):
    assert (
        _verdict(table, "same number everywhere", "abstract.os_median_additional_tace.interval")
        == INC
    )
    assert (
        _verdict(
            table,
            "median interval symmetric (SPSS CI)",
            "abstract.os_median_additional_tace.interval",
        )
        == INC
    )
    assert (
        _verdict(
            table,
            "median interval symmetric (SPSS CI)",
            "results.os_median_additional_tace.interval",
        )
        == C
    )
    assert (
        _verdict(
            table,
            "median interval symmetric (SPSS CI)",
            "results.os_median_prior_tace_gt4.interval",
        )
        == INC
    )


def test_real_coding_implied_by_se(table):
    for term in ("ast_gt40", "crp_gt3", "tumor_number_gt4", "prior_tace_gt4"):
        for model in ("uni", "multi"):
            assert _verdict(table, "SE possible for 0/1 coding", f"table2.{term}.{model}.hr") == INC
    row = _rows(table, "SE possible for 0/1 coding", "table2.ast_gt40.uni.hr").iloc[0]
    assert "per-unit" in row["explanation"]
    for term in ("albumin_le3", "additional_tace", "sex_female"):
        assert _verdict(table, "SE possible for 0/1 coding", f"table2.{term}.uni.hr") == C


def test_real_table2_arithmetic(table):
    assert _verdict(table, "HR at CI centre", "table2.albumin_le3.uni.hr") == INC
    assert _verdict(table, "P from CI (statcheck)", "table2.albumin_le3.uni.hr") == INC
    assert _verdict(table, "P from CI (statcheck)", "table2.albumin_le3.multi.hr") == INC
    assert _verdict(table, "P from CI (statcheck)", "table2.additional_tace.uni.hr") == C
    assert _verdict(table, "P from CI (statcheck)", "table2.afp_ng_ml.uni.hr") == C
    assert _verdict(table, "P from CI (statcheck)", "table2.afp_ng_ml.multi.hr") == C
    assert _verdict(table, "P from CI (statcheck)", "table2.pivka2.uni.hr") == C


def test_real_claims_and_rules(table):
    assert _verdict(table, "claim vs table", "results.significance_level.threshold") == INC
    assert _verdict(table, "clinical rule (BCLC 2022)", "table1.bclc_c.count") == INC
    assert _verdict(table, "clinical rule (Child-Pugh)", "table1.child_pugh_b.count") == C
    assert _verdict(table, "clinical rule (mRECIST)", "results.orr.count") == C
    check = "clinical plausibility (deaths the SEs imply)"
    assert _verdict(table, check, "table2.child_pugh_6.uni.hr") == C
    assert _verdict(table, "'range' label", "results.os_median.interval") == INC
    assert _verdict(table, "'IQR' label", "table1.afp_ng_ml.interval") == T


def test_real_survival_cross_checks(table):
    assert _verdict(table, "Cox HR vs medians", "table2.prior_tace_gt4.uni.hr") == INC
    assert _verdict(table, "Cox HR vs medians", "table2.additional_tace.uni.hr") == C
    assert _verdict(table, "Cox vs log-rank", "table2.prior_tace_gt4.uni.hr") == C
    assert _verdict(table, "Cox vs log-rank", "table2.additional_tace.uni.hr") == INC


def test_real_multivariable_prior_tace_is_not_the_split(table):
    """The multivariable prior-TACE row cannot be the 2-4 / >4 split its medians compare: its
    widest SE, (ln 2.1965 - ln 1.0535)/3.92 = 0.1874, is below 2/sqrt(82) = 0.2209, the least a
    0/1 covariate allows even with every patient dead. So no refit with the split can give the
    row, and its "cannot tell" against the medians must not name such a refit as deciding it."""
    se_max = (math.log(2.196 + 0.0005) - math.log(1.054 - 0.0005)) / (2 * 1.959964)
    assert se_max < 2 / math.sqrt(82)
    (row,) = _rows(table, "Cox HR vs medians", "table2.prior_tace_gt4.multi.hr").itertuples()
    assert row.verdict == T
    assert "refitted" not in row.explanation
    assert "SE is below what a 0/1 covariate allows" in row.explanation
    assert _verdict(table, "SE possible for 0/1 coding", "table2.prior_tace_gt4.multi.hr") == INC


def test_real_at_most_five_undecided(table):
    undecided = table[table["verdict"] == T]
    assert len(undecided) == 4
    assert sorted(undecided["check"]) == sorted(
        ["'IQR' label", "'IQR' label", "log-rank P vs medians", "Cox HR vs medians"]
    )
    # each names the data that would decide it
    assert undecided["explanation"].str.contains("would decide it").all()
    assert _verdict(table, "log-rank P vs medians", "figure1.logrank_dc_vs_pd.p") == C


def test_cli(capsys):
    from analysis.__main__ import main

    buf = io.StringIO()
    with redirect_stdout(buf):
        code = main(["audit", "--verdict", "inconsistent", "--format", "csv"])
    assert code == 0
    out = pd.read_csv(io.StringIO(buf.getvalue()))
    assert list(out.columns) == list(COLUMNS)
    assert len(out) > 0 and (out["verdict"] == INC).all()
    buf = io.StringIO()
    with redirect_stdout(buf):
        assert main(["audit", "--check", "BCLC"]) == 0
    assert "[INCONSISTENT] clinical rule (BCLC 2022)" in buf.getvalue()
    assert main(["audit", "--check", "no such check"]) == 2
    assert "matches no check" in capsys.readouterr().err


def test_explanations_count_in_words_not_with_plural_s():
    """'where 1 other place(s) print 9.9', 'printed with 1 decimal(s)' and 'class C (0): score(s)
    none' in Tables 8.2/8.3."""
    two = audit.same_quantity(
        [("abstract", (9.9,), (1,)), ("results", (9.9,), (1,)), ("figure", (10.9,), (1,))]
    )
    assert two.explanation == "figure prints 10.9, where 2 other places print 9.9."
    one = audit.same_quantity([("abstract", (9.9,), (1,)), ("results", (10.9,), (1,))])
    assert one.explanation.endswith("where 1 other place prints 9.9.")
    assert "printed with 1 decimal is reachable" in audit.grim_mean(14.0, 82, 1).explanation
    classes = audit.child_pugh_classes({"A": 74, "B": 8, "C": 0}, [5, 6, 7]).explanation
    assert classes.endswith(
        "class A (74): scores 5, 6; class B (8): score 7; class C (0): no score."
    )


def test_chapter_08_describes_after_its_count_every_bracket_that_is_not_symmetric():
    """Hostile review (chapter 8, §8.1.7, both widths): "6 of the 9 distinct brackets are
    symmetric ... Besides the abstract's bracket below, the others are not" left a reader to work
    out which "others" and how many. The sentence says the others follow, and each asymmetric
    bracket of the audit is then described in the paragraph, after it."""
    import re

    table = audit_paper()
    brackets = table[table["check"] == "median interval symmetric (SPSS CI)"]
    asymmetric = brackets.loc[brackets["verdict"] != "consistent", "ids"]
    # each asymmetric bracket as the paragraph glues it: its printed interval's id
    glued_as = {
        "results.os_median_prior_tace_gt4.interval": "audit_gt4_iv",
        "results.os_median_no_additional_tace.interval": "audit_noadd_iv",
        "abstract.os_median_additional_tace.interval": "audit_add_abs",
    }
    names = []
    for ids in asymmetric:
        found = [glued_as[i] for i in re.split(r",\s*", ids) if i in glued_as]
        assert found, ids
        names.append(found[0])
    text = (ROOT / "chapters" / "08-audit.md").read_text(encoding="utf-8")
    start = text.index("{glue:text}`audit_sym_n` of the")
    paragraph = text[start : text.index("\n\n", start)]
    assert "Besides the abstract's bracket below" not in paragraph
    said = paragraph.index("the others, which follow, are not")
    for name in names:
        assert paragraph.index(f"{{glue:text}}`{name}`") > said, name
