"""Tests of data/published/ and analysis.published.

Expected values are typed here from the paper (Hien et al. 2024), independently of the YAML files.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import pytest

from analysis import REPO_ROOT, published
from analysis.published import PublishedError

# --------------------------------------------------------------------------- hand-picked entries


def test_ast_univariate_cell():
    e = published.entry("table2.ast_gt40.uni.hr")
    assert (e.value, e.decimals, e.text, e.kind) == (1.011, 3, "1.011", "hr")
    assert published.interval("table2.ast_gt40.uni.interval") == (1.005, 1.017)
    p = published.entry("table2.ast_gt40.uni.p")
    assert (p.text, p.value, p.relation, p.decimals) == ("<0.001", 0.001, "<", 3)
    assert "per-U/L" in e.note


def test_table1_afp_and_pivka():
    assert published.value("table1.afp_ng_ml.median") == 333.4
    assert published.interval("table1.afp_ng_ml.interval") == (1.7, 348100)
    assert published.entry("table1.afp_ng_ml.interval").text == "1.7\u2013348,100"
    assert "interquartile" in published.entry("table1.afp_ng_ml.interval").note
    assert published.value("table1.pivka2.median") == 1075
    assert published.entry("table1.pivka2.median").text == "1,075"
    assert published.interval("table1.pivka2.interval") == (5, 88655)
    assert "PIKA-II" in published.entry("table1.pivka2.median").note


@pytest.mark.parametrize(
    ("entry_id", "expected", "decimals"),
    [
        ("table1.age_years.mean", 60.5, 1),
        ("table1.age_years.sd", 10.7, 1),
        ("table1.sex_male.count", 75, 0),
        ("table1.sex_male.percent", 91.5, 1),
        ("table1.refractory_tace_sessions.mean", 2.65, 2),
        ("table1.crp_mg_l.sd", 2.3, 1),
        ("table1.pvtt_vp4.percent", 2.4, 1),
        ("table2.albumin_le3.uni.hr", 2.892, 3),
        ("table2.albumin_le3.uni.p", 0.003, 3),
        ("table2.age_years.uni.p", 0.70, 2),
        ("table2.additional_tace.multi.hr", 0.491, 3),
        ("results.os_mean.mean", 14.0, 1),
        ("results.pfs_mean.mean", 8.4, 1),
        ("results.os_median.median", 9.9, 1),
        ("results.pfs_median.median", 4.7, 1),
        ("results.response_cr.count", 4, 0),
        ("results.response_pd.percent", 43.9, 1),
        ("results.orr.count", 24, 0),
        ("results.dcr.percent", 56.1, 1),
        ("results.additional_tace.count", 26, 0),
        ("results.prior_resection_or_transplant.count", 6, 0),
        ("methods.epirubicin_mg_m2.dose", 35, 0),
        ("methods.cisplatin_mg_m2.dose", 60, 0),
        ("methods.fluorouracil_mg_m2.dose", 500, 0),
        ("methods.cisplatin_infusion_hours.duration", 2, 0),
        ("methods.fluorouracil_infusion_hours.duration", 5, 0),
        ("methods.fluorouracil_day.day_2", 3, 0),
        ("methods.eligibility_ecog.threshold", 2, 0),
        ("methods.jsh_residual_uptake_percent.threshold", 50, 0),
        ("methods.data_finalized.year", 2023, 0),
        ("figure3.case_age_years.measurement", 67, 0),
        ("figure3.case_pivka2.measurement", 2685, 0),
        ("figure3.case_haic_cycles.count", 4, 0),
        ("discussion.kim2021_os_responders.duration", 22.1, 1),
    ],
)
def test_hand_picked_values(entry_id, expected, decimals):
    e = published.entry(entry_id)
    assert e.value == expected
    assert e.decimals == decimals


def test_interval_bounds_and_text():
    assert published.interval("results.os_median.interval") == (8.7, 11)
    assert published.entry("results.os_median.interval").text == "8.7\u201311"
    assert published.interval("methods.heparin_u.interval") == (3000, 5000)
    assert published.interval("methods.jsh_imaging_window_months.interval") == (1, 3)
    assert published.interval("figure1.os_median_dc.interval") == (1.9, 21.4)


def test_reference_rows_and_afp_estimate():
    male = published.entry("table2.sex_male.uni.hr")
    assert male.reference and male.value == 1 and male.text == "1"
    assert published.entry("table2.child_pugh_5.multi.hr").reference
    afp = published.entry("table2.afp_ng_ml.uni.hr")
    assert not afp.reference and afp.value == 1 and afp.decimals == 0
    assert published.interval("table2.afp_ng_ml.uni.interval") == (1.0, 1.0)
    assert published.entry("table2.afp_ng_ml.uni.interval").decimals == 3
    assert published.value("table2.afp_ng_ml.uni.p") == 0.03
    assert published.value("table2.afp_ng_ml.multi.p") == 0.12


def test_reference_rows_are_exactly_the_printed_ones():
    frame = published.load()
    refs = sorted(frame.loc[frame["reference"], "id"])
    assert refs == sorted(
        [
            "table2.sex_male.uni.hr",
            "table2.child_pugh_5.uni.hr",
            "table2.child_pugh_5.multi.hr",
            "table2.albumin_gt3.uni.hr",
            "table2.ast_le40.uni.hr",
            "table2.crp_le3.uni.hr",
            "table2.pvtt_vp0.uni.hr",
            "table2.tumor_number_1_4.uni.hr",
            "table2.prior_tace_2_4.uni.hr",
        ]
    )


# --------------------------------------------------------------------------- discrepancies


def test_prior_tace_hr_both_versions_under_one_quantity():
    rows = published.by_quantity("hr_prior_tace_gt4")
    hr_rows = rows[rows["kind"] == "hr"]
    hrs = dict(zip(hr_rows["id"], hr_rows["value"], strict=True))
    assert hrs == {
        "table2.prior_tace_gt4.multi.hr": 1.521,
        "abstract.hr_prior_tace_gt4.hr": 0.151,
        "results.hr_prior_tace_gt4.hr": 1.521,
        "discussion.hr_prior_tace_gt4.hr": 1.521,
    }
    assert "1.521" in published.entry("abstract.hr_prior_tace_gt4.hr").note


def test_additional_tace_interval_both_versions():
    rows = published.by_quantity("os_median_additional_tace")
    intervals = rows[rows["kind"] == "interval"].set_index("location")["text"].to_dict()
    assert intervals == {
        "abstract": "3.6\u201314.4",
        "results": "3.6\u201324.4",
        "figure2": "3.6\u201324.4",
        "discussion": "3.6\u201324.4",
    }
    medians = rows.loc[rows["kind"] == "median", "value"]
    assert list(medians) == [14, 14, 14, 14]
    assert published.entry("abstract.os_median_additional_tace.interval").note


def test_significance_threshold_and_label_notes():
    level = published.entry("results.significance_level.threshold")
    assert (level.value, level.relation) == (0.005, "<")
    assert "0.05" in level.note
    for term in ("ast_gt40", "crp_gt3", "tumor_number_gt4", "prior_tace_gt4"):
        assert "per-" in published.entry(f"table2.{term}.uni.hr").note, term


def test_logrank_p_values():
    assert published.by_quantity("logrank_dc_vs_pd")["text"].tolist() == ["<0.001", "<0.001"]
    assert set(published.by_quantity("logrank_prior_tace")["value"]) == {0.01}
    assert set(published.by_quantity("logrank_additional_tace")["value"]) == {0.02}
    assert len(published.by_quantity("logrank_prior_tace")) == 4  # abstract, results, fig 2, disc.


# --------------------------------------------------------------------------- completeness

TABLE1_IDS = """
age_years.mean age_years.sd
sex_male.count sex_male.percent sex_female.count sex_female.percent
child_pugh_a.count child_pugh_a.percent child_pugh_b.count child_pugh_b.percent child_pugh_c.count
bclc_a.count bclc_b.count bclc_b.percent bclc_c.count bclc_c.percent
afp_ng_ml.median afp_ng_ml.interval pivka2.median pivka2.interval
albumin_g_dl.mean albumin_g_dl.sd ast_u_l.mean ast_u_l.sd alt_u_l.mean alt_u_l.sd
crp_mg_l.mean crp_mg_l.sd
pvtt_vp0.count pvtt_vp0.percent pvtt_vp1.count pvtt_vp1.percent pvtt_vp2.count pvtt_vp2.percent
pvtt_vp3.count pvtt_vp3.percent pvtt_vp4.count pvtt_vp4.percent
tumor_size_mm.mean tumor_size_mm.sd tumor_number.mean tumor_number.sd
prior_tace_sessions.mean prior_tace_sessions.sd
refractory_tace_sessions.mean refractory_tace_sessions.sd
additional_tace.count additional_tace.percent
refractory_poor_response.count refractory_poor_response.percent
refractory_new_lesions.count refractory_new_lesions.percent
refractory_extrahepatic.count refractory_extrahepatic.percent
refractory_vascular_invasion.count refractory_vascular_invasion.percent
refractory_tumor_marker.count refractory_tumor_marker.percent
""".split()

# Table 2, row by row: reference rows have one cell; estimated rows have hr, interval and p.
TABLE2_REFERENCE = ["sex_male.uni", "child_pugh_5.uni", "child_pugh_5.multi", "albumin_gt3.uni",
                    "ast_le40.uni", "crp_le3.uni", "pvtt_vp0.uni", "tumor_number_1_4.uni",
                    "prior_tace_2_4.uni"]  # fmt: skip
TABLE2_ESTIMATED = ["age_years.uni", "sex_female.uni",
                    "child_pugh_6.uni", "child_pugh_6.multi", "child_pugh_7.uni",
                    "child_pugh_7.multi", "child_pugh_8.uni", "child_pugh_8.multi",
                    "bclc_stage.uni", "afp_ng_ml.uni", "afp_ng_ml.multi", "pivka2.uni",
                    "albumin_le3.uni", "albumin_le3.multi", "ast_gt40.uni", "ast_gt40.multi",
                    "alt_u_l.uni", "albi_score.uni", "albi_score.multi", "crp_gt3.uni",
                    "crp_gt3.multi", "pvtt_vp1_2.uni", "pvtt_vp3_4.uni", "tumor_size_mm.uni",
                    "tumor_number_gt4.uni", "tumor_number_gt4.multi", "prior_tace_gt4.uni",
                    "prior_tace_gt4.multi", "additional_tace.uni",
                    "additional_tace.multi"]  # fmt: skip


def test_every_table1_cell_present_and_nothing_else():
    assert len(TABLE1_IDS) == 58
    assert published.ids("table1.") == [f"table1.{i}" for i in TABLE1_IDS]


def test_every_table2_cell_present_and_nothing_else():
    expected = [f"table2.{r}.hr" for r in TABLE2_REFERENCE] + [
        f"table2.{r}.{part}" for r in TABLE2_ESTIMATED for part in ("hr", "interval", "p")
    ]
    assert len(expected) == 9 + 30 * 3
    assert sorted(published.ids("table2.")) == sorted(expected)


def test_response_and_survival_ids_present():
    wanted = [
        "results.response_cr.count", "results.response_pr.count", "results.response_sd.count",
        "results.response_pd.count", "results.orr.percent", "results.dcr.count",
        "results.os_median.interval", "results.pfs_median.interval",
        "results.os_median_dc.median", "results.os_median_pd.interval",
        "figure1.logrank_dc_vs_pd.p", "figure2.logrank_prior_tace.p",
        "figure2.logrank_additional_tace.p", "results.os_median_no_additional_tace.median",
        "abstract.os_median_prior_tace_2_4.interval", "results.hr_additional_tace.hr",
    ]  # fmt: skip
    have = set(published.ids())
    assert [w for w in wanted if w not in have] == []


def test_response_counts_add_up_to_cohort():
    counts = [published.value(f"results.response_{r}.count") for r in ("cr", "pr", "sd", "pd")]
    assert counts == [4, 20, 22, 36]
    assert sum(counts) == published.value("results.n_patients.count") == 82


def test_load_frame_shape_and_determinism():
    first, second = published.load(), published.load()
    assert list(first.columns) == list(published.COLUMNS)
    assert first.equals(second)
    assert first["id"].is_unique
    assert first["file"].tolist() == sorted(first["file"])  # files in alphabetical order
    assert first.iloc[0]["id"] == "figure1.os_median_dc.median"
    first.loc[0, "value"] = -1.0  # the cache hands out copies
    assert published.load().loc[0, "value"] == 11.7
    intervals = first[first["kind"] == "interval"]
    assert intervals["value"].isna().all() and intervals["lower"].notna().all()


def test_entry_is_frozen_and_lookup_errors():
    e = published.entry("table1.age_years.mean")
    with pytest.raises(AttributeError):
        e.value = 1.0  # type: ignore[misc]
    with pytest.raises(KeyError, match="table1.age_years.mean"):
        published.entry("table1.age_year.mean")
    with pytest.raises(PublishedError, match="interval"):
        published.value("table1.afp_ng_ml.interval")
    with pytest.raises(PublishedError, match="not an interval"):
        published.interval("table1.afp_ng_ml.median")
    with pytest.raises(KeyError, match="no_such_quantity"):
        published.by_quantity("no_such_quantity")


# --------------------------------------------------------------------------- rounding


@pytest.mark.parametrize(
    ("x", "decimals", "expected"),
    [
        (0.05, 1, "0.1"),  # banker's rounding would give 0.0
        (0.25, 1, "0.3"),  # round(0.25, 1) == 0.2 in Python
        (2.675, 2, "2.68"),  # round(2.675, 2) == 2.67 (binary value 2.67499...)
        (2.645, 2, "2.65"),
        (1.0049, 3, "1.005"),
        (1.0044, 3, "1.004"),
        (13.5, 0, "14"),
        (12.5, 0, "13"),  # round(12.5) == 12 in Python
        (-0.0001, 2, "0.00"),
        (7, 1, "7.0"),
    ],
)
def test_rounded_half_up(x, decimals, expected):
    assert published.rounded(x, decimals) == expected


def test_rounded_thousands_and_errors():
    assert published.rounded(348100, 0, thousands=True) == "348,100"
    assert published.rounded(88654.6, 0, thousands=True) == "88,655"
    assert published.rounded(1075.04, 1, thousands=True) == "1,075.0"
    with pytest.raises(ValueError, match="decimals"):
        published.rounded(1.0, -1)
    with pytest.raises(ValueError, match="finite"):
        published.rounded(math.nan, 1)
    with pytest.raises(TypeError):
        published.rounded("1.0", 1)


def test_agrees_half_up_and_relations():
    # table1.refractory_tace_sessions.mean is printed 2.65 (2 decimals)
    assert published.agrees(2.645, "table1.refractory_tace_sessions.mean")
    assert published.agrees(2.6549, "table1.refractory_tace_sessions.mean")
    assert not published.agrees(2.655, "table1.refractory_tace_sessions.mean")
    assert not published.agrees(2.6449, "table1.refractory_tace_sessions.mean")
    # table2.ast_gt40.multi.hr is printed 1.005
    assert published.agrees(1.0049, "table2.ast_gt40.multi.hr")
    assert not published.agrees(1.0044, "table2.ast_gt40.multi.hr")
    # 0.05 printed at 1 decimal: pvtt_vp4 percent 2.4 -> 2.35 rounds up to 2.4, 2.45 to 2.5
    assert published.agrees(2.35, "table1.pvtt_vp4.percent")
    assert not published.agrees(2.45, "table1.pvtt_vp4.percent")
    # P printed "<0.001": strictly below
    assert published.agrees(0.00099, "table2.ast_gt40.uni.p")
    assert not published.agrees(0.001, "table2.ast_gt40.uni.p")
    # P printed "0.02": 0.015 rounds half up to 0.02, 0.0249 too, 0.025 does not
    assert published.agrees(0.015, "table2.additional_tace.multi.p")
    assert not published.agrees(0.025, "table2.additional_tace.multi.p")
    assert not published.agrees(math.nan, "results.os_median.median")


def test_agrees_reads_a_bound_without_decimals_at_the_other_bounds():
    """Issue 13: "8.7–11" beside one-decimal neighbours means 8.7–11.0, so the upper bound is
    compared at one decimal (10.6 used to agree with 11, at 0 decimals)."""
    assert published.agrees((8.65, 10.95), "results.os_median.interval")
    assert published.agrees([8.74, 11.0499], "results.os_median.interval")
    assert not published.agrees((8.7, 10.6), "results.os_median.interval")
    assert not published.agrees((8.7, 10.94), "results.os_median.interval")
    assert not published.agrees((8.7, 11.05), "results.os_median.interval")
    assert not published.agrees((8.65, 10.5), "results.os_median.interval")
    assert not published.agrees((8.75, 11.0), "results.os_median.interval")
    for interval_id in (  # every print of 2.8–11
        "figure2.os_median_no_additional_tace.interval",
        "abstract.os_median_no_additional_tace.interval",
        "results.os_median_no_additional_tace.interval",
        "discussion.os_median_no_additional_tace.interval",
    ):
        assert published.agrees((2.84, 11.04), interval_id)
        assert not published.agrees((2.8, 11.4), interval_id)
    # the same reading for 1.7–348,100 (Table 1's other AFP numbers carry one decimal)
    assert published.agrees((1.7, 348100.04), "table1.afp_ng_ml.interval")
    assert not published.agrees((1.7, 348100.4), "table1.afp_ng_ml.interval")
    # both bounds without decimals: each at 0 decimals, as printed
    assert published.agrees((5.4, 88654.6), "table1.pivka2.interval")
    # both with one: unchanged
    assert published.agrees((1.94, 21.35), "figure1.os_median_dc.interval")
    assert not published.agrees((1.94, 21.45), "figure1.os_median_dc.interval")
    with pytest.raises(PublishedError, match="pair"):
        published.agrees(8.7, "results.os_median.interval")
    with pytest.raises(PublishedError, match="single number"):
        published.agrees((1, 2), "results.os_median.median")


# --------------------------------------------------------------------------- validation errors

GOOD = (
    '- {id: results.os_median.median, location: results, quantity: os_median, text: "9.9", '
    "kind: median, value: 9.9, decimals: 1}\n"
)


def _write(tmp_path: Path, text: str, name: str = "text.yaml") -> Path:
    (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path


def test_fixture_good_loads(tmp_path):
    frame = published.load(_write(tmp_path, GOOD))
    assert frame["id"].tolist() == ["results.os_median.median"]
    assert published.value("results.os_median.median", tmp_path) == 9.9


def test_files_read_again_when_they_change_and_only_yaml_counts(tmp_path):
    """The cache key: each ``*.yaml`` file's name, modification time and size, by name (other
    files ignored); an edited file is read again; a folder without one is refused."""
    import os

    _write(tmp_path, GOOD, "b.yaml")
    _write(tmp_path, "", "a.yaml")  # an empty file: no entries
    (tmp_path / "notes.txt").write_text("not an entry", encoding="utf-8")
    (tmp_path / "c.yml").write_text("- not: read", encoding="utf-8")
    want = tuple(
        (name, (tmp_path / name).stat().st_mtime_ns, (tmp_path / name).stat().st_size)
        for name in ("a.yaml", "b.yaml")
    )
    assert published._signature(tmp_path) == want
    assert published.value("results.os_median.median", tmp_path) == 9.9
    _write(tmp_path, GOOD.replace("9.9", "9.8"), "b.yaml")
    os.utime(tmp_path / "b.yaml", ns=(0, 10**18))  # another time, whatever the clock's grain
    assert published.value("results.os_median.median", tmp_path) == 9.8
    for empty in (tmp_path / "none", tmp_path / "notes.txt"):  # no such folder; not a folder
        with pytest.raises(PublishedError, match=r"field 'directory' = .*: no \*\.yaml files"):
            published.load(empty)
    (tmp_path / "none").mkdir()
    with pytest.raises(PublishedError, match=r"no \*\.yaml files"):
        published.load(tmp_path / "none")


@pytest.mark.parametrize(
    ("replace", "by", "field", "offending"),
    [
        ("kind: median", "kind: medain", "kind", "medain"),
        ("value: 9.9", "value: 9.8", "value", "9.8"),
        ("decimals: 1", "decimals: 2", "decimals", "2"),
        ('text: "9.9"', 'text: "9,9"', "text", "9,9"),
        ("location: results", "location: abstract", "location", "abstract"),
        ("quantity: os_median", "quantity: pfs_median", "quantity", "pfs_median"),
        ("location: results", "location: resultz", "location", "resultz"),
        (", value: 9.9", "", "value", "None"),
        ("decimals: 1}", "decimals: 1, colour: red}", "colour", "red"),
        ("decimals: 1}", 'decimals: 1, relation: "<"}', "relation", "<"),
    ],
)
def test_validation_errors_name_file_id_field_value(tmp_path, replace, by, field, offending):
    bad = GOOD.replace(replace, by)
    assert bad != GOOD
    _write(tmp_path, bad)
    with pytest.raises(PublishedError) as info:
        published.load(tmp_path)
    message = str(info.value)
    assert "text.yaml" in message
    assert "results.os_median.median" in message
    assert f"field '{field}'" in message
    assert offending in message


def test_validation_duplicate_id_across_files(tmp_path):
    _write(tmp_path, GOOD, "a.yaml")
    _write(tmp_path, GOOD, "b.yaml")
    with pytest.raises(PublishedError) as info:
        published.load(tmp_path)
    message = str(info.value)
    assert "b.yaml" in message and "a.yaml" in message
    assert "'results.os_median.median'" in message and "field 'id'" in message
    assert "duplicate" in message


def test_validation_interval_and_p_rules(tmp_path):
    interval = (
        "- {id: results.os_median.interval, location: results, quantity: os_median, "
        'text: "8.7\u201311", kind: interval, lower: 8.7, upper: 12, decimals: 1}\n'
    )
    _write(tmp_path, interval)
    with pytest.raises(PublishedError, match=r"field 'upper' = 12"):
        published.load(tmp_path)
    hyphen = interval.replace("\u2013", "-").replace("upper: 12", "upper: 11")
    _write(tmp_path, hyphen)
    with pytest.raises(PublishedError, match=r"field 'text' = '8.7-11'"):
        published.load(tmp_path)
    p_value = (
        "- {id: figure1.logrank_dc_vs_pd.p, location: figure1, quantity: logrank_dc_vs_pd, "
        'text: "<0.001", kind: p, value: 0.001, decimals: 3, relation: "="}\n'
    )
    _write(tmp_path, p_value)
    with pytest.raises(PublishedError, match=r"figure1.logrank_dc_vs_pd.p.*field 'relation'"):
        published.load(tmp_path)


def test_validation_table2_quantity_and_reference(tmp_path):
    cell = (
        "- {id: table2.ast_gt40.uni.hr, location: table2, quantity: hr_ast_gt40, "
        'text: "1.011", kind: hr, value: 1.011, decimals: 3}\n'
    )
    _write(tmp_path, cell)
    with pytest.raises(PublishedError, match=r"field 'quantity' = 'hr_ast_gt40'.*hr_ast_gt40_uni"):
        published.load(tmp_path)
    ref = cell.replace("quantity: hr_ast_gt40,", "quantity: hr_ast_gt40_uni,").replace(
        "decimals: 3}", "decimals: 3, reference: true}"
    )
    _write(tmp_path, ref)
    with pytest.raises(PublishedError, match=r"field 'reference' = True"):
        published.load(tmp_path)


def test_parse_text():
    assert published.parse_text("348,100")["value"] == 348100
    assert published.parse_text("Twenty-six")["value"] == 26
    assert published.parse_text("third")["value"] == 3
    low = published.parse_text("1.7\u2013348,100")
    assert (low["lower"], low["upper"], low["lower_decimals"], low["upper_decimals"]) == (
        published.parse_text("1.7")["value"],
        348100,
        1,
        0,
    )
    assert published.parse_text("<0.001")["relation"] == "<"
    for bad in ("3,48,100", "1.7-3", "ninety-ten", " 1", ""):
        with pytest.raises(ValueError):
            published.parse_text(bad)


def test_bound_decimals_reads_a_bare_bound_at_the_other_bounds_decimals():
    assert published.bound_decimals("8.7\u201311") == (1, 1)
    assert published.bound_decimals("11\u20138.7") == (1, 1)
    assert published.bound_decimals("5\u201388,655") == (0, 0)
    assert published.bound_decimals("1.112\u20136.396") == (3, 3)
    assert published.bound_decimals("1.25\u20132.5") == (2, 1)  # only a bare bound is widened
    for bad in ("8.7", "<0.001"):
        with pytest.raises(ValueError, match="en dash"):
            published.bound_decimals(bad)
    # every printed interval: as printed, except a bare bound beside one with decimals, and the
    # schema's `decimals` (the larger of the printed bounds') is the decimals it is read at
    frame = published.load()
    for r in frame[frame["kind"] == "interval"].itertuples(index=False):
        parsed = published.parse_text(r.text)
        printed = (parsed["lower_decimals"], parsed["upper_decimals"])
        read = published.bound_decimals(r.text)
        if 0 in printed:
            assert read == (max(printed),) * 2, r.id
        else:
            assert read == printed, r.id
        assert max(read) == r.decimals, r.id


# --------------------------------------------------------------------------- bibliography

BIB_KEYS = """
hien2024
reig2022 klca2022 lee2020 ogasawara2020 xin2022 klompenhouwer2017 kim2020 kobayashi2020
li2023 liu2020 kim2023 hsu2021 diao2024 lin2023 kim2021 kudo2021 hien2023 johnson2015
ikai2004 mei2021 kojiro1989 onishi2022 liu2021 huang2021
kaplan1958 greenwood1926 brookmeyer1982 cox1972 efron1977 grambsch1994 mantel1966 peto1972
mosteller1987 dubois1916 kintzel1995 pugh1973 lencioni2010 eisenhauer2009 kudo2014 wilson1927
clopper1934 brown2017 anaya2016 heathers2018 nuijten2016 altman2011 suissa2008 anderson1983
giobbie2013 peduzzi1995 harrell1996 therneau2000 davidsonpilon2019 seabold2010 kirkpatrick1983
ema_epirubicin ibm_spss_codings
""".split()


def test_bibliography_parses_and_has_every_key():
    pybtex_database = pytest.importorskip("pybtex.database")
    bib = pybtex_database.parse_file(str(REPO_ROOT / "book" / "references.bib"), "bibtex")
    keys = set(bib.entries)
    assert [k for k in BIB_KEYS if k not in keys] == []
    paper = bib.entries["hien2024"]
    assert paper.fields["doi"] == "10.21037/jgo-23-1006"
    assert (paper.fields["volume"], paper.fields["number"]) == ("15", "2")
    assert paper.fields["pages"] == "721--729"
    assert paper.fields["year"] == "2024"
    assert [p.last_names[0] for p in paper.persons["author"]] == [
        "Hien", "Chun", "Oh", "Kim", "Choi"
    ]  # fmt: skip
    paper_related = [k for k in keys if bib.entries[k].fields.get("keywords") == "hien2024-ref"]
    assert len(paper_related) == 24
    assert len(paper_related) + 1 >= 25
    for key, entry in bib.entries.items():
        assert "title" in entry.fields, key
        assert "year" in entry.fields, key


def test_events_per_variable_cites_the_proportional_hazards_study():
    """The ten-events-per-variable rule for Cox models is Peduzzi et al. 1995 (proportional
    hazards), not their 1996 logistic-regression simulation: the entry is that paper, and no
    source or chapter cites the logistic one."""
    pybtex_database = pytest.importorskip("pybtex.database")
    bib = pybtex_database.parse_file(str(REPO_ROOT / "book" / "references.bib"), "bibtex")
    entry = bib.entries["peduzzi1995"]
    assert "proportional hazards regression" in entry.fields["title"]
    assert entry.fields["journal"] == "Journal of Clinical Epidemiology"
    assert (entry.fields["year"], entry.fields["volume"], entry.fields["number"]) == (
        "1995",
        "48",
        "12",
    )
    assert entry.fields["pages"] == "1503--1510"
    assert entry.fields["doi"] == "10.1016/0895-4356(95)00048-8"
    assert [p.last_names[0] for p in entry.persons["author"]] == [
        "Peduzzi", "Concato", "Feinstein", "Holford"
    ]  # fmt: skip
    assert "peduzzi1996" not in bib.entries
    cited = [
        p.relative_to(REPO_ROOT).as_posix()
        for p in [*(REPO_ROOT / "chapters").glob("*.md"), *(REPO_ROOT / "analysis").glob("*.py")]
        if "peduzzi1996" in p.read_text(encoding="utf-8")
    ]
    assert cited == []
    assert "{cite:t}`peduzzi1995`" in (REPO_ROOT / "chapters" / "07-cox.md").read_text(
        encoding="utf-8"
    )


def test_no_bibliography_field_is_cut_by_a_percent_sign():
    """In a field, ``%`` starts a LaTeX comment when the entry is rendered (pybtex's
    ``Text.from_latex``, which the bibliography page uses): the Floyd note printed as
    "Dose modification table: epirubicin 50 ." with the rest of the line gone. A percent sign
    is written ``\\%``; each field renders with every word it holds."""
    pybtex_database = pytest.importorskip("pybtex.database")
    from pybtex.richtext import Text

    bib = pybtex_database.parse_file(str(REPO_ROOT / "book" / "references.bib"), "bibtex")
    unescaped = [
        f"{key}.{name}"
        for key, entry in bib.entries.items()
        for name, value in entry.fields.items()
        if re.search(r"(?<!\\)%", value)
    ]
    assert unescaped == []
    note = Text.from_latex(bib.entries["floyd2006"].fields["note"]).render_as("text")
    assert note.startswith("Dose modification table: epirubicin 50% for bilirubin")
    assert note.endswith("omit above 5 mg/dL")
