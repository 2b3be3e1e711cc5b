"""The model of the paper's terms (analysis.paper), checked against hand computations.

Every expected number below is worked out in the comment next to it from the printed Table 2
(Hien et al. 2024); the code's own output is never the reference.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

from analysis import paper, published

Z = 1.959964


def test_terms_cover_table2():
    # every non-reference row of the published Table 2 is one term, in printed order
    hr_ids = [i for i in published.ids("table2.") if i.endswith(".uni.hr")]
    printed = [i.split(".")[1] for i in hr_ids if not published.entry(i).reference]
    assert [t.id for t in paper.TERMS] == printed
    multi = [i.split(".")[1] for i in published.ids("table2.") if i.endswith(".multi.hr")]
    multi = [t for t in multi if not published.entry(f"table2.{t}.multi.hr").reference]
    assert paper.MULTIVARIABLE_TERMS == multi and len(multi) == 11
    # univariate groups: each term once, factors together
    grouped = [term for _, terms, _ in paper.UNIVARIATE_GROUPS for term, _ in terms]
    assert grouped == printed
    cp = next(g for g in paper.UNIVARIATE_GROUPS if g[0] == "Child-Pugh score")
    assert [t for t, _ in cp[1]] == ["child_pugh_6", "child_pugh_7", "child_pugh_8"]
    assert cp[2] == "child_pugh_5"
    # labels as printed, the paper's typo included
    assert paper.term("pivka2").variable == "PIKA-II (ng/mL)"
    assert paper.term("ast_gt40").label == ">40"
    assert paper.term("prior_tace_gt4").contrast == ">4 sessions vs 2–4 sessions"
    with pytest.raises(KeyError, match="no_such"):
        paper.term("no_such")


def test_codings_stated_and_implied():
    assert set(paper.PER_UNIT_TERMS) == {
        "ast_gt40",
        "crp_gt3",
        "tumor_number_gt4",
        "prior_tace_gt4",
    }
    assert paper.PER_UNIT_TERMS["ast_gt40"] == ("ast_u_l", 40, "U/L")
    assert paper.term("albumin_le3").implied == "binary"
    assert paper.term("additional_tace").implied == "binary"
    assert paper.term("child_pugh_6").implied == "category"


def test_se_helpers_by_hand():
    # 2/√82 = 0.220863
    assert paper.binary_se_floor(82) == pytest.approx(0.220863, abs=1e-6)
    # (ln 0.743 − ln 0.258)/3.919928 = (−0.297059 + 1.354796)/3.919928 = 0.269836
    assert paper.se_from_interval(0.258, 0.743) == pytest.approx(0.269836, abs=1e-6)
    with pytest.raises(ValueError, match="deaths"):
        paper.binary_se_floor(0)
    with pytest.raises(ValueError, match="interval"):
        paper.se_from_interval(2.0, 1.0)


def test_row_feasibility_feasible_rows():
    # additional TACE, univariate: centre √(0.258 × 0.743) = 0.43783 → 0.438; SE 0.269836,
    # z = ln 0.438 / 0.269836 = −0.825536 / 0.269836 = −3.0594, P = 0.00222 → 0.002
    r = paper.row_feasibility(0.438, 0.258, 0.743, 0.002, decimals=(3, 3, 3, 3))
    assert r["feasible"] and r["drop"] == ()
    assert r["se"] == pytest.approx(0.269836, abs=1e-6)
    # AFP "1 (1.000–1.000)", P 0.03: bounds in 0.9995–1.0005 allow SE up to
    # (ln 1.0005 − ln 0.9995)/3.919928 = 0.000255, and with it any P
    r = paper.row_feasibility(1, 1.0, 1.0, 0.03, decimals=(0, 3, 3, 2))
    assert r["feasible"]
    assert r["se_max"] == pytest.approx((math.log(1.0005) - math.log(0.9995)) / (2 * Z))


def test_row_feasibility_p_that_cannot_print():
    # Child-Pugh 6, univariate, 0.248 (0.071–0.865), P 0.02: SE = ln(0.865/0.071)/3.919928 =
    # 0.6378, z = ln 0.248 / 0.6378 = −1.3943/0.6378 = −2.186, P = 0.0288: prints 0.03
    r = paper.row_feasibility(0.248, 0.071, 0.865, 0.02)
    assert not r["feasible"] and r["drop"] == ("p",)
    lo, hi = r["implied"]["p"]
    assert lo < 0.0288 < hi and 0.025 < lo and hi < 0.035


def test_row_feasibility_albumin_multivariable():
    # 2.363 (1.341–4.160), P 0.006: the largest centre the rounding allows is
    # √(1.3415 × 4.1605) = 2.362479 < 2.3625, so 2.363 cannot be the centre; and the interval's
    # SE (ln 4.160 − ln 1.341)/3.92 = 0.28881 with z = ln 2.362/0.28881 = 2.976 gives P 0.0029
    r = paper.row_feasibility(2.363, 1.341, 4.160, 0.006, decimals=(3, 3, 3, 3))
    # review: giving up the interval (two numbers, one cell) and giving up HR and P (two numbers,
    # two cells) both leave numbers that fit; the verdict gives up the fewer cells, the
    # calibration's reading ("nearest") the HR and P, nearest to what the interval implies
    assert not r["feasible"] and set(r["drop"]) == {"lower", "upper"}
    cal = r["nearest"]
    assert set(cal["drop"]) == {"hr", "p"}
    assert cal["implied"]["hr"][1] == pytest.approx(math.sqrt(1.3415 * 4.1605), abs=1e-6)
    # HR and P alone: SE 0.310–0.318 (|z| 2.70–2.79 for P 0.0055–0.0065), so the interval is
    # e^(ln 2.363 ± 1.96 SE): lower 1.272–1.288, upper 4.335–4.391
    assert r["implied"]["lower"][0] == pytest.approx(1.272, abs=1e-3)
    assert r["implied"]["upper"][1] == pytest.approx(4.391, abs=1e-3)
    # HR 2.362 with P 0.003 fits one Wald row
    assert paper.row_feasibility(2.362, 1.341, 4.160, 0.003, decimals=(3, 3, 3, 3))["feasible"]


def test_row_feasibility_with_the_same_splits_logrank():
    # additional TACE: log-rank P 0.02 (≥ 0.015, so |z| ≤ 2.4324) caps the Wald |z| at
    # 2.4324 × cosh(0.8267/2) = 2.6432; with HR 0.438 (|b| ≥ 0.8244) the SE must be ≥ 0.3119,
    # so the upper bound is at least e^(−0.8244 + 1.96 × 0.3119) = 0.808 and P at least
    # 2Φ(−2.6432) = 0.0082: only the HR of the row can stay
    r = paper.row_feasibility(
        0.438, 0.258, 0.743, 0.002, decimals=(3, 3, 3, 3), logrank_z_max=2.4324
    )
    assert not r["feasible"] and set(r["drop"]) == {"p", "lower", "upper"}
    assert r["implied"]["upper"][0] == pytest.approx(0.808, abs=1e-3)
    assert r["implied"]["p"][0] == pytest.approx(0.0082, abs=2e-4)
    # a log-rank P of 0.003 (|z| ≤ 2.9677) leaves the row whole: 3.0594 / 1.0866 = 2.8156 ≤ 2.9677
    assert paper.row_feasibility(
        0.438, 0.258, 0.743, 0.002, decimals=(3, 3, 3, 3), logrank_z_max=2.9677
    )["feasible"]


def test_row_feasibility_binary_floor():
    # AST univariate, SE 0.003028 ≪ 0.2209: fine per unit, impossible for a 0/1 covariate
    args = (1.011, 1.005, 1.017, 0.001)
    assert paper.row_feasibility(*args, relation="<", decimals=(3, 3, 3, 3))["feasible"]
    floor = paper.binary_se_floor(82)
    r = paper.row_feasibility(*args, relation="<", decimals=(3, 3, 3, 3), se_min=floor)
    assert not r["feasible"]


@pytest.fixture(scope="module")
def feasibility():
    return paper.table2_feasibility()


def test_table2_feasibility_cells(feasibility):
    f = feasibility
    assert len(f) == len(published.ids("table2.")) == 99
    bad = f.loc[~f.feasible, ["term", "model", "cell"]].apply(tuple, axis=1).tolist()
    # hand: sex P 0.970 (z 0.0376), CP6 P 0.0288, CP8 P 0.2386 (z 1.1784), ALBI P 0.0462
    # (z 1.994), CRP P 0.0257 (z 2.2305) print one step off; albumin as in the tests above
    assert bad == [
        ("sex_female", "univariate", "P"),
        ("child_pugh_6", "univariate", "P"),
        ("child_pugh_8", "univariate", "P"),
        ("albumin_le3", "univariate", "95% CI"),
        ("albumin_le3", "multivariable", "95% CI"),
        ("albi_score", "univariate", "P"),
        ("crp_gt3", "univariate", "P"),
        ("additional_tace", "univariate", "95% CI"),
        ("additional_tace", "univariate", "P"),
    ]
    summary = paper.feasibility_summary(f).set_index("model")
    # review: the summary counted the 8 + 1 reference rows' printed 1 as cells (65, 34) while
    # the counts leave them out and add the abstract's HR 0.151 (57, 34): two sets both called 34
    assert summary.loc[
        "univariate", ["table2_printed", "reference_rows", "outside_table2"]
    ].tolist() == [65, 8, 0]
    assert summary.loc[
        "multivariable", ["table2_printed", "reference_rows", "outside_table2"]
    ].tolist() == [34, 1, 1]
    assert summary.loc["univariate", "cells"] == 57 and summary.loc["univariate", "infeasible"] == 8
    assert summary.loc["multivariable", "cells"] == 34
    assert summary.loc["multivariable", "infeasible"] == 2  # 1 in Table 2 and the abstract's HR
    assert (summary["cells"] == summary["feasible"] + summary["infeasible"]).all()
    # every infeasible cell says what the calibration follows instead
    assert (f.loc[~f.feasible, "follow"].str.len() > 0).all()
    # review (phone cards of Tables 1.2 and 7.2): "Calibration follows" repeated the reason's
    # expectations word for word; it names only what is aimed at
    for r in f.loc[f["follow"] != ""].itertuples(index=False):
        assert r.follow.startswith("aims at the "), r.follow
        assert "printed" not in r.follow and "expect" not in r.follow, r.follow
        assert r.follow.removeprefix("aims at the ") not in r.reason or len(r.follow) < 60
    assert f.set_index("id").loc["table2.sex_female.uni.p", "follow"] == "aims at the HR and 95% CI"
    # headed so that a phone card reads "Calibration instead: aims at the HR and 95% CI"
    assert "Calibration instead" in paper.feasibility_table(f, infeasible_only=True).columns
    tace = f.set_index("id").loc["table2.additional_tace.uni.p", "follow"]
    assert tace == "aims at the HR and the log-rank P 0.02 of the same split", tace
    assert (f["reason"].str.len() > 10).all()


def test_deaths_per_group_are_a_column_of_their_own(feasibility):
    """Review of Table 7.2: one cell mixed why a cell cannot print with the SE floor its
    groups' deaths put on a 0/1 row. Each is now a column: the reason never carries the deaths
    note (no group needs more deaths than patients), and every cell of a 0/1 or category row
    that death_floors covers has it, word for word, in "deaths per group"."""
    floors = paper.death_floors().set_index(["term", "model"])["note"]
    key = {"univariate": "uni", "multivariable": "multi"}
    for _, r in feasibility.iterrows():
        per_unit = r["implied coding"].startswith("per ")
        note = "" if per_unit else floors.get((r["term"], key[r["model"]]), "")
        assert r["deaths per group"] == note, r["id"]
        assert "Var(ln HR)" not in r["reason"], r["id"]
    assert (feasibility["deaths per group"] != "").sum() > 20
    shown = paper.feasibility_table(feasibility, infeasible_only=True)
    assert "Reason" not in shown.columns
    sex = shown.iloc[0]
    assert sex["Why no cohort prints it"].startswith("HR and 95% CI fit one Wald row")
    assert sex["Deaths each group needs"].endswith("≥ 31 deaths, 7 (female) + 24 (male)")


def test_an_infeasible_cell_names_the_nearest_value_its_row_can_print(feasibility):
    """Review: an infeasible HR or P names the nearest value its row can print. ALBI's P 0.04 is
    infeasible by a hair (its row allows 0.05, 0.09 of a last digit off the 0.035–0.045 box),
    unlike additional TACE's univariate P 0.002, whose row allows 0.008 (6 units off). The
    multivariable albumin HR 2.363 (0.02 of a last digit from the 2.362 its interval allows)
    is no longer infeasible: its row gives up its interval, one cell, rather than HR and P."""
    f = feasibility.set_index("id")
    albi = f.loc["table2.albi_score.uni.p"]
    assert (albi["nearest"], round(albi["off"], 2)) == ("0.05", 0.09)
    assert albi["off"] < paper.BY_A_HAIR
    tace = f.loc["table2.additional_tace.uni.p"]
    assert tace["nearest"] == "0.008" and tace["off"] > paper.BY_A_HAIR
    # a feasible cell, and an interval (two numbers), have none
    assert f.loc["table2.albumin_le3.multi.hr", "nearest"] == ""
    assert f.loc["table2.age_years.uni.hr", "nearest"] == ""
    assert f.loc["table2.albumin_le3.uni.interval", "nearest"] == ""
    assert math.isnan(f.loc["table2.albumin_le3.uni.interval", "off"])


def test_the_calibration_follows_its_own_reading_of_albumin(feasibility):
    """Review: albumin ≤ 3 g/dL's multivariable row cannot print all three cells; giving up the
    interval costs one cell, giving up HR and P two. The verdict gives up the interval; the
    calibration still aims at the interval (and, univariately, at the HR alone), as it did when
    the committed cohort was made: ``aimed`` says so, every other cell aims where it is feasible,
    and the reasons say which reading the calibration follows."""
    from analysis import calibration

    f = feasibility.set_index("id")
    differ = f.index[(f["feasible"] != f["aimed"]) & (f["stated coding"] != "reference")]
    assert sorted(differ) == [
        "table2.albumin_le3.multi.hr", "table2.albumin_le3.multi.interval",
        "table2.albumin_le3.multi.p", "table2.albumin_le3.uni.p",
    ]  # fmt: skip
    # the calibration aims at whole cells: the univariate row keeps HR and upper bound, and the
    # cells aimed at are the HR alone (review: "follow" named the upper bound too)
    assert f.loc["table2.albumin_le3.uni.interval", "follow"] == "aims at the HR"
    for cell in ("hr", "interval", "p"):
        assert f.loc[f"table2.albumin_le3.multi.{cell}", "follow"] == "aims at the 95% CI"
        assert (
            "The calibration follows the other reading"
            in f.loc[f"table2.albumin_le3.multi.{cell}", "reason"]
        )
    aimed = {(c["term"], c["model"], c["stat"]) for c in calibration.table2_cells()}
    assert {k for k in aimed if k[0] == "albumin_le3"} == {
        ("albumin_le3", "uni", "hr"), ("albumin_le3", "multi", "lower"),
        ("albumin_le3", "multi", "upper"),
    }  # fmt: skip


def test_feasibility_table_by_row_keeps_every_cell_and_reason(feasibility):
    """Chapter 7's full table: a row's cells with one verdict and reason share a line (the
    per-cell table repeated each reason up to three times); nothing printed is lost."""
    cells = paper.feasibility_table(feasibility)
    rows = paper.feasibility_table(feasibility, by_row=True)
    assert rows.columns.tolist() == [
        "Variable",
        "Model",
        "Printed",
        "Feasible",
        "Reason",
        "Deaths each group needs",
    ]
    assert len(cells) == 99 and len(rows) == 48
    # each cell is named with its printed value on exactly one line, with its verdict and reason
    for cell in cells.itertuples():
        named = f"{cell.Cell} {cell.Printed}"
        line = rows[
            (rows.Variable == cell.Variable)
            & (rows.Model == cell.Model)
            & rows.Printed.str.split("; ").apply(lambda parts, n=named: n in parts)
        ]
        assert len(line) == 1, named
        assert (line.Feasible.item(), line.Reason.item()) == (cell.Feasible, cell.Reason)
        assert line["Deaths each group needs"].item() == cell[7]  # the cell's deaths per group
    # a row whose P alone is infeasible: HR and CI on one line, P on its own
    sex = rows[rows.Variable == "Sex: Female"]
    assert sex[["Printed", "Feasible"]].values.tolist() == [
        ["HR 0.984; 95% CI 0.424–2.283", "yes"],
        ["P 0.96", "no"],
    ]
    assert rows.Reason.str.len().sum() < 0.55 * cells.Reason.str.len().sum()


def test_table2_feasibility_codings(feasibility):
    f = feasibility.set_index(["term", "model", "cell"])
    for term, unit in (("ast_gt40", "U/L"), ("crp_gt3", "mg/L"), ("tumor_number_gt4", "lesion")):
        for model in ("univariate", "multivariable"):
            assert f.loc[(term, model, "HR"), "implied coding"] == f"per {unit}"
    # prior TACE multivariable: SE (ln 2.196 − ln 1.054)/3.92 = 0.1873 < 0.2209, so not 0/1 either
    assert f.loc[("prior_tace_gt4", "multivariable", "HR"), "se"] == pytest.approx(0.18726, 1e-4)
    assert f.loc[("prior_tace_gt4", "multivariable", "HR"), "implied coding"] == "per session"
    assert f.loc[("albumin_le3", "univariate", "HR"), "implied coding"] == "binary"
    assert f.loc[("sex_male", "univariate", "HR"), "implied coding"] == "reference"
    # the abstract prints the multivariable prior-TACE HR as 0.151, Table 2 as 1.521
    reason = f.loc[("prior_tace_gt4", "multivariable", "HR"), "reason"]
    assert "The abstract prints 0.151" in reason and "1.521 is followed" in reason


def _tiny_cohort():
    return pd.DataFrame(
        {
            "os_months": [1.0, 2.0, 3.0],
            "os_event": [1, 0, 1],
            "age_years": [60, 70, 80],
            "sex": ["M", "F", "F"],
            "child_pugh_score": [5, 6, 6],
            "bclc_stage": ["B", "C", "C"],
            "afp_ng_ml": [10.0, 20.0, 30.0],
            "albumin_g_dl": [3.0, 3.5, 2.9],
            "ast_u_l": [30.0, 50.0, 41.0],
            "albi_score": [-2.0, -2.5, -1.9],
            "crp_mg_l": [1.0, 5.0, 3.0],
            "pvtt": ["Vp0", "Vp3", "Vp1"],
            "tumor_size_mm": [40, 60, 50],
            "tumor_number": [2, 6, 4],
            "prior_tace_sessions": [3, 6, 5],
            "additional_tace": [0, 1, 0],
        }
    )


def test_design_matrix_codings():
    c = _tiny_cohort()
    stated = paper.design_matrix(c, "stated")
    implied = paper.design_matrix(c, "implied")
    # AST > 40: 30 → 0, 50 → 1, 41 → 1; per unit as recorded
    assert stated["ast_gt40"].tolist() == [0.0, 1.0, 1.0]
    assert implied["ast_gt40"].tolist() == [30.0, 50.0, 41.0]
    # CRP > 3: 3.0 is not above 3
    assert stated["crp_gt3"].tolist() == [0.0, 1.0, 0.0]
    # albumin ≤ 3: 3.0 counts
    assert implied["albumin_le3"].tolist() == [1.0, 0.0, 1.0]
    assert implied["pvtt_vp1_2"].tolist() == [0.0, 0.0, 1.0]
    assert implied["pvtt_vp3_4"].tolist() == [0.0, 1.0, 0.0]
    assert implied["bclc_stage"].tolist() == [2.0, 3.0, 3.0]
    assert implied["child_pugh_6"].tolist() == [0.0, 1.0, 1.0]
    assert "pivka2" not in implied.columns  # optional column absent: no term
    with pytest.raises(ValueError, match="coding"):
        paper.design_matrix(c, "other")
    bad = c.assign(bclc_stage=["B", "X", "C"])
    with pytest.raises(ValueError, match="bclc_stage"):
        paper.design_matrix(bad)


def test_multivariable_design_drops_constant_terms():
    d = paper.multivariable_design(_tiny_cohort())
    # no score 7 or 8 in the cohort, so no dummies for them
    assert list(d.columns) == [
        "child_pugh_6", "afp_ng_ml", "albumin_le3", "ast_gt40", "albi_score", "crp_gt3",
        "tumor_number_gt4", "prior_tace_gt4", "additional_tace", "os_months", "os_event",
    ]  # fmt: skip


def test_child_pugh_class_rule():
    # Pugh 1973: A 5–6, B 7–9, C 10–15
    assert paper.child_pugh_class([5, 6, 7, 9, 10, 15]).tolist() == ["A", "A", "B", "B", "C", "C"]


def test_infeasible_cells_get_a_short_reason():
    """Table 7.4's ✗ notes say "infeasible: <short reason>" for a cell no cohort can print. The
    cells and reasons, from Table 7.2: sex female's univariate P is printed 0.96 where its HR
    0.984 (0.424–2.283) gives ln 0.984 = −0.0161, SE (ln 2.283 − ln 0.424)/3.92 = 0.4294,
    z = 0.0376, P = 0.970: the truncation; additional TACE's univariate interval and P cannot
    hold with the log-rank P 0.02 of the same split; albumin's multivariable interval cannot come
    from one Wald row with its HR and P. Every infeasible cell has one, and no feasible cell."""
    feasibility = paper.table2_feasibility()
    short = paper.infeasible_short_reasons(feasibility)
    assert set(short) == set(feasibility.loc[~feasibility["feasible"], "id"])
    assert short["table2.sex_female.uni.p"] == paper.INFEASIBLE_TRUNCATED
    assert short["table2.additional_tace.uni.interval"] == paper.INFEASIBLE_LOGRANK
    assert short["table2.additional_tace.uni.p"] == paper.INFEASIBLE_LOGRANK
    assert short["table2.albumin_le3.multi.interval"] == paper.INFEASIBLE_ONE_ROW
    assert "table2.albumin_le3.multi.hr" not in short


def test_the_death_floor_rule_is_stated_once_not_in_every_row():
    """Review: Table 1.2 was 4,738 px tall at 1366 px, every row of its deaths column opening
    with the same rule; the captions state it once."""
    from analysis.paper import DEATH_FLOOR_RULE, death_floors, feasibility_table

    assert death_floors()["note"].str.startswith(DEATH_FLOOR_RULE).all()
    for table in (feasibility_table(), feasibility_table(infeasible_only=True)):
        deaths = table["Deaths each group needs"]
        assert deaths.str.len().gt(0).any()
        assert not deaths.str.contains("Var(ln HR)", regex=False).any()


def test_each_death_floor_says_what_it_assumes():
    """Review: Table 7.2 read "≥ 6 deaths in the group and ≥ 6 in the reference" beside "≥ 48
    deaths together (25 + 23)", as if contradicting itself: each group's floor lets the other
    group have all its patients' deaths, the total fits every row of the factor at once."""
    from analysis.paper import death_floors

    notes = death_floors().set_index(["term", "model"])["note"]
    albumin = notes.loc[("albumin_le3", "uni")]
    assert "≥ 6 deaths in the group if every reference patient died" in albumin
    assert "≥ 6 in the reference if every patient of the group died" in albumin
    assert (
        "Together, fitting every albumin row at once: ≥ 48 deaths, 25 (≤ 3 g/dL) + 23 (> 3 g/dL)"
        in albumin
    )
    assert not notes.str.contains("deaths together", regex=False).any()


def test_a_death_floor_of_one_is_one_death():
    """Audit (session 25): chapter 7's table of every Table 2 cell read "the printed SE ≤ 1.047
    needs ≥ 1 deaths in the group" (an f-string); a count of one takes the singular."""
    notes = paper.death_floors()["note"]
    assert notes.str.contains("≥ 1 death in the group").any()
    assert not notes.str.contains(r"\b1 deaths").any()


def test_feasibility_brief_keeps_every_infeasible_cell_and_reason(feasibility):
    """Table 7.3, compact (at 1280 px the six-column per-cell table was 3,900 px tall for nine
    cells): every infeasible cell is named with its printed value on one line, every reason is
    there whole, in its cell or in the numbered note its short form points to, and every row
    with a deaths note keeps its floors (group, reference and the factor at once)."""
    shown, notes = paper.feasibility_brief(feasibility)
    bad = feasibility[~feasibility["feasible"]]
    assert len(shown) < len(bad)  # additional TACE's interval and P share a line

    def line_of(r):
        name = f"{r.variable}: {r.row}" if r.row else r.variable
        cells = shown["Printed cell"]
        return shown[
            cells.str.startswith(f"{name}, {r.model} ")
            & cells.str.contains(f"{r.cell} {r.printed}", regex=False)
        ]

    for r in bad.itertuples(index=False):
        line = line_of(r)
        assert len(line) == 1, r.id
        why = line["Why no cohort prints it"].iloc[0]
        if why == r.reason:
            continue
        number = why[len(why.rstrip("⁰¹²³⁴⁵⁶⁷⁸⁹")) :]
        assert number, (r.id, why)
        (note,) = [n for n in notes if n.startswith(f"{number} ")]
        assert note.endswith(f": {r.reason}"), (r.id, note)
    floors = paper.death_floors().set_index(["term", "model"])
    key = {"univariate": "uni", "multivariable": "multi"}
    for r in bad.itertuples(index=False):
        if not r._9:  # "deaths per group"
            continue
        f = floors.loc[(r.term, key[r.model])]
        deaths = line_of(r)["Deaths each group needs"].iloc[0]
        assert f"≥ {f['deaths']} (" in deaths and f"≥ {f['deaths_ref']} (" in deaths, deaths
        assert deaths.endswith(f"at once: ≥ {f['partition_deaths']}"), deaths
