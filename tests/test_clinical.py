"""Tests of analysis.clinical against hand-computed worked examples.

Every expected value is written as the arithmetic that produces it, so a reader can check it
with a calculator. Thresholds are tested on both sides.
"""

from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd
import pytest

from analysis import clinical
from analysis.clinical import (
    DEFAULT_RENAL_BANDS,
    albi,
    albi_frame,
    albumin_g_dl_to_g_l,
    bclc_stage,
    bclc_stage_frame,
    best_response,
    bilirubin_mg_dl_to_umol_l,
    bsa,
    child_pugh,
    child_pugh_frame,
    dcr,
    ecf_dose_sheet,
    eligibility,
    eligibility_frame,
    jsh_refractory,
    jsh_refractory_frame,
    macrovascular_invasion,
    mrecist,
    mrecist_sequence,
    orr,
    response_summary,
    vp_class,
    vp_group,
)

# ------------------------------------------------------------------------------------------
# bsa
# ------------------------------------------------------------------------------------------


def test_bsa_mosteller_worked_examples():
    # sqrt(170*65/3600) = sqrt(11050/3600) = sqrt(3.069444...) = 1.751983
    assert bsa(170, 65) == pytest.approx(1.751983, abs=1e-6)
    # sqrt(180*80/3600) = sqrt(4) = 2 exactly
    assert bsa(180, 80) == pytest.approx(2.0, abs=1e-12)
    # sqrt(150*45/3600) = sqrt(1.875) = 1.369306
    assert bsa(150, 45) == pytest.approx(1.369306, abs=1e-6)
    assert isinstance(bsa(170, 65), float)


def test_bsa_dubois_worked_example():
    # 0.007184 * 65^0.425 * 170^0.725 ; 65^0.425 = e^(0.425*4.174387) = 5.89513,
    # 170^0.725 = e^(0.725*5.135798) = 41.4125 -> 0.007184*5.89513*41.4125 = 1.75383
    assert bsa(170, 65, formula="dubois") == pytest.approx(1.7538, abs=2e-3)
    assert bsa(170, 65, "DuBois") == pytest.approx(0.007184 * 65**0.425 * 170**0.725, rel=1e-12)
    # the two formulas diverge for a heavy, short patient: Mosteller sqrt(150*120/3600)=2.236
    assert bsa(150, 120) == pytest.approx(math.sqrt(5.0), rel=1e-12)
    assert bsa(150, 120, "dubois") == pytest.approx(0.007184 * 120**0.425 * 150**0.725)
    assert bsa(150, 120, "dubois") < bsa(150, 120) - 0.1


def test_bsa_vectorised_array_and_series():
    out = bsa(np.array([170, 180]), np.array([65, 80]))
    assert isinstance(out, np.ndarray)
    np.testing.assert_allclose(out, [math.sqrt(170 * 65 / 3600), 2.0])
    out = bsa([150, 180], 80)  # scalar weight broadcast: sqrt(150*80/3600)=sqrt(3.3333)
    np.testing.assert_allclose(out, [math.sqrt(150 * 80 / 3600), 2.0])
    s = bsa(pd.Series([180.0, 170.0], index=["p1", "p2"]), pd.Series([80, 65], index=["p1", "p2"]))
    assert isinstance(s, pd.Series) and list(s.index) == ["p1", "p2"]
    assert s["p1"] == pytest.approx(2.0)
    s = bsa(180, pd.Series([80, 45], index=[10, 11]))  # scalar height, Series weight
    assert list(s.index) == [10, 11] and s[11] == pytest.approx(math.sqrt(180 * 45 / 3600))


@pytest.mark.parametrize("height", [100, 250, 100.0])
def test_bsa_height_limits_inclusive(height):
    assert bsa(height, 60) == pytest.approx(math.sqrt(height * 60 / 3600))


@pytest.mark.parametrize("weight", [25, 250])
def test_bsa_weight_limits_inclusive(weight):
    assert bsa(170, weight) == pytest.approx(math.sqrt(170 * weight / 3600))


@pytest.mark.parametrize(
    ("height", "weight", "pattern"),
    [
        (99.9, 65, r"height_cm = 99\.9 is outside \[100, 250\] cm"),
        (250.1, 65, r"height_cm = 250\.1"),
        (1.70, 65, r"height_cm = 1\.7 .*metres"),
        (170, 24.9, r"weight_kg = 24\.9 is outside \[25, 250\] kg"),
        (170, 250.1, r"weight_kg = 250\.1"),
        (170, float("nan"), r"weight_kg must be a finite number; got nan"),
        (float("inf"), 65, r"height_cm must be a finite number"),
        ("abc", 65, r"height_cm must be a number; got 'abc'"),
        (None, 65, r"height_cm must be a number; got None"),
        (True, 65, r"height_cm must be a number; got True"),
        (170, np.bool_(True), r"weight_kg must be a number"),
        ([170, 40], 65, r"height_cm\[1\] = 40 is outside"),
        ([170, "x"], 65, r"height_cm\[1\] must be a number; got 'x'"),
        ([170, True], [65, 70], r"height_cm\[1\] must be a number; got True"),
        (np.array([170.0, np.nan]), 65, r"height_cm\[1\] must be a finite number"),
        ([170, 180, 190], [65, 70], r"same length; got 3 and 2"),
    ],
)
def test_bsa_rejects_bad_input(height, weight, pattern):
    with pytest.raises(ValueError, match=pattern):
        bsa(height, weight)


def test_bsa_rejects_unknown_formula_and_mismatched_series():
    with pytest.raises(ValueError, match=r"formula must be 'mosteller' or 'dubois'; got 'boyd'"):
        bsa(170, 65, formula="boyd")
    with pytest.raises(ValueError, match="formula"):
        bsa(170, 65, formula=None)
    with pytest.raises(ValueError, match="different indexes"):
        bsa(pd.Series([170], index=["a"]), pd.Series([65], index=["b"]))


# ------------------------------------------------------------------------------------------
# ecf_dose_sheet
# ------------------------------------------------------------------------------------------

BSA_170_65 = math.sqrt(170 * 65 / 3600)  # 1.751983


def test_dose_sheet_plain_patient():
    sheet = ecf_dose_sheet(170, 65)
    assert list(sheet.columns) == [
        "cycle",
        "drug",
        "day",
        "dose_mg_m2",
        "dose_mg",
        "infusion_hours",
    ]
    assert list(sheet["drug"]) == ["epirubicin", "5-fluorouracil", "cisplatin", "5-fluorouracil"]
    assert list(sheet["day"]) == [1, 1, 2, 3]
    assert list(sheet["dose_mg_m2"]) == [35.0, 500.0, 60.0, 500.0]
    # 35*1.751983=61.319, 500*1.751983=875.99, 60*1.751983=105.119
    np.testing.assert_allclose(sheet["dose_mg"], [61.3194, 875.9915, 105.1190, 875.9915], atol=1e-3)
    assert math.isnan(sheet["infusion_hours"][0])  # the paper gives none for epirubicin
    assert list(sheet["infusion_hours"][1:]) == [5.0, 2.0, 5.0]
    assert sheet.attrs["warnings"] == []
    assert sheet.attrs["bsa_m2"] == pytest.approx(BSA_170_65)
    assert sheet.attrs["cumulative_epirubicin_mg_m2"] == 35.0
    assert (sheet["cycle"] == 1).all()


def test_regimen_matches_the_published_methods():
    from analysis import published

    sheet = ecf_dose_sheet(170, 65)
    by_drug = sheet.set_index(["drug", "day"])
    assert by_drug.loc[("epirubicin", 1), "dose_mg_m2"] == published.value(
        "methods.epirubicin_mg_m2.dose"
    )
    assert published.value("methods.epirubicin_day.day") == 1
    assert by_drug.loc[("cisplatin", 2), "dose_mg_m2"] == published.value(
        "methods.cisplatin_mg_m2.dose"
    )
    assert by_drug.loc[("cisplatin", 2), "infusion_hours"] == published.value(
        "methods.cisplatin_infusion_hours.duration"
    )
    assert published.value("methods.cisplatin_day.day") == 2
    fu_days = [published.value("methods.fluorouracil_day.day"), 3]
    assert published.value("methods.fluorouracil_day.day_2") == 3
    for day in fu_days:
        assert by_drug.loc[("5-fluorouracil", day), "dose_mg_m2"] == published.value(
            "methods.fluorouracil_mg_m2.dose"
        )
        assert by_drug.loc[("5-fluorouracil", day), "infusion_hours"] == published.value(
            "methods.fluorouracil_infusion_hours.duration"
        )
    assert len(sheet) == 4


def test_dose_sheet_dubois_uses_dubois_bsa():
    sheet = ecf_dose_sheet(170, 65, formula="dubois")
    dubois = 0.007184 * 65**0.425 * 170**0.725
    assert sheet.attrs["bsa_m2"] == pytest.approx(dubois)
    assert sheet["dose_mg"][2] == pytest.approx(60 * dubois)


def test_dose_sheet_bsa_cap_boundary():
    at_cap = ecf_dose_sheet(180, 80)  # BSA exactly 2.0: not above the cap
    assert at_cap.attrs["warnings"] == []
    assert "dose_mg_capped" not in at_cap.columns
    np.testing.assert_allclose(at_cap["dose_mg"], [70, 1000, 120, 1000])
    above = ecf_dose_sheet(180, 80.1)  # sqrt(180*80.1/3600) = sqrt(4.005) = 2.00125
    assert len(above.attrs["warnings"]) == 1
    assert above.attrs["warnings"][0].startswith("BSA 2.00 m² is above 2.0 m²")
    np.testing.assert_allclose(above["dose_mg_capped"], [70, 1000, 120, 1000])
    np.testing.assert_allclose(above["dose_mg"], np.array([35, 500, 60, 500]) * math.sqrt(4.005))


def test_dose_sheet_large_patient_shows_both_doses():
    sheet = ecf_dose_sheet(190, 110)  # sqrt(190*110/3600) = sqrt(5.80556) = 2.409472
    bsa_large = math.sqrt(190 * 110 / 3600)
    np.testing.assert_allclose(sheet["dose_mg"], [84.3315, 1204.736, 144.5683, 1204.736], atol=1e-3)
    np.testing.assert_allclose(sheet["dose_mg"], np.array([35, 500, 60, 500]) * bsa_large)
    np.testing.assert_allclose(sheet["dose_mg_capped"], [70, 1000, 120, 1000])
    assert "2.41 m²" in sheet.attrs["warnings"][0]


def test_dose_sheet_custom_cap():
    sheet = ecf_dose_sheet(170, 65, bsa_cap_m2=1.7)  # 1.752 > 1.7
    np.testing.assert_allclose(sheet["dose_mg_capped"], [35 * 1.7, 500 * 1.7, 60 * 1.7, 850])
    assert "is above 1.7 m²" in sheet.attrs["warnings"][0]
    sheet = ecf_dose_sheet(170, 65, bsa_cap_m2=1.75)  # 1.75198 > 1.75
    assert "is above 1.75 m²" in sheet.attrs["warnings"][0]
    assert ecf_dose_sheet(170, 65, bsa_cap_m2=1.76).attrs["warnings"] == []


@pytest.mark.parametrize(
    ("prior", "crossed"),
    [
        (0, []),
        (514, []),  # 514 + 35 = 549 < 550
        (515, [550]),  # 515 + 35 = 550: reaches 550
        (540, [550]),  # 575
        (550, []),  # 550 -> 585: 550 already passed before this cycle
        (664, []),  # 699
        (665, [700]),  # 700
        (864, []),  # 899
        (865, [900]),  # 900
        (899.5, [900]),  # 934.5
    ],
)
def test_dose_sheet_cumulative_epirubicin_crossings(prior, crossed):
    sheet = ecf_dose_sheet(170, 65, prior_epirubicin_mg_m2=prior)
    found = [w for w in sheet.attrs["warnings"] if w.startswith("Cumulative epirubicin reaches")]
    assert len(found) == len(crossed)
    for threshold, text in zip(crossed, found, strict=True):
        assert f"crossing {threshold} mg/m²" in text
        assert f"reaches {prior + 35:g} mg/m²" in text
    assert sheet.attrs["cumulative_epirubicin_mg_m2"] == pytest.approx(prior + 35)
    np.testing.assert_allclose(sheet["dose_mg"][0], 35 * BSA_170_65)  # dose never changed


@pytest.mark.parametrize(
    ("prior", "checkpoint", "word"),
    [
        (550, 550, "at"),
        (560, 550, "past"),
        (664, 550, "past"),
        (700, 700, "at"),
        (864, 700, "past"),
    ],
)
def test_dose_sheet_reminds_every_cycle_past_a_checkpoint(prior, checkpoint, word):
    sheet = ecf_dose_sheet(170, 65, cycle=3, prior_epirubicin_mg_m2=prior)
    (warning,) = sheet.attrs["warnings"]
    assert warning.startswith(f"Cumulative epirubicin is already {prior:g} mg/m² before this cycle")
    assert f"{word} the {checkpoint} mg/m² checkpoint, and reaches {prior + 35:g} mg/m²" in warning
    assert "LVEF" in warning
    assert sheet.attrs["checkpoints_crossed_mg_m2"] == []  # a reminder, not a crossing


def test_dose_sheet_crossing_replaces_the_reminder():
    # 690 -> 725 crosses 700: one warning for the crossing, no reminder of 550 beside it
    (warning,) = ecf_dose_sheet(170, 65, cycle=3, prior_epirubicin_mg_m2=690).attrs["warnings"]
    assert "crossing 700 mg/m²" in warning
    # unknown prior: no reminder (the unknown-dose warning only)
    (warning,) = ecf_dose_sheet(170, 65, cycle=20, prior_epirubicin_mg_m2=None).attrs["warnings"]
    assert warning.startswith("Unknown cumulative epirubicin")


def test_dose_sheet_warns_every_cycle_above_900():
    sheet = ecf_dose_sheet(170, 65, prior_epirubicin_mg_m2=900)
    assert len(sheet.attrs["warnings"]) == 1
    assert "already 900 mg/m²" in sheet.attrs["warnings"][0]
    assert "reaches 935 mg/m²" in sheet.attrs["warnings"][0]


def test_dose_sheet_prior_less_than_earlier_cycles():
    # cycle 3: two earlier cycles give 2*35 = 70 mg/m²
    assert ecf_dose_sheet(170, 65, cycle=3, prior_epirubicin_mg_m2=70).attrs["warnings"] == []
    assert ecf_dose_sheet(170, 65, cycle=3, prior_epirubicin_mg_m2=120).attrs["warnings"] == []
    for prior in (0, 69):
        (warning,) = ecf_dose_sheet(170, 65, cycle=3, prior_epirubicin_mg_m2=prior).attrs[
            "warnings"
        ]
        assert "less than the 70 mg/m² that 2 earlier ECF cycle(s)" in warning
    assert (ecf_dose_sheet(170, 65, cycle=3, prior_epirubicin_mg_m2=70)["cycle"] == 3).all()


def _hepatic(**labs):
    sheet = ecf_dose_sheet(170, 65, **labs)
    warnings = [w for w in sheet.attrs["warnings"] if w.startswith("Epirubicin hepatic")]
    percent = sheet["recommended_percent"][0] if "recommended_percent" in sheet else 100.0
    return percent, warnings, sheet


@pytest.mark.parametrize(
    ("labs", "percent"),
    [
        ({"bilirubin_mg_dl": 1.19}, 100),
        ({"bilirubin_mg_dl": 1.2}, 50),
        ({"bilirubin_mg_dl": 3.0}, 50),
        ({"bilirubin_mg_dl": 3.01}, 25),
        ({"ast_u_l": 79}, 100),  # 79/40 = 1.975 x ULN
        ({"ast_u_l": 80}, 50),  # 80/40 = 2.0 x ULN
        ({"ast_u_l": 160}, 50),  # 160/40 = 4.0 x ULN
        ({"ast_u_l": 161}, 25),  # 161/40 = 4.025 x ULN
        ({"ast_u_l": 70, "ast_uln_u_l": 35}, 50),  # 70/35 = 2.0 x ULN
        ({"bilirubin_mg_dl": 1.5, "ast_u_l": 200}, 25),  # 50 % and 25 %: the severer wins
        ({"bilirubin_mg_dl": 3.5, "ast_u_l": 100}, 25),
        ({"bilirubin_mg_dl": 0.8, "ast_u_l": 60}, 100),
    ],
)
def test_dose_sheet_epirubicin_hepatic_bands(labs, percent):
    got, warnings, sheet = _hepatic(**labs)
    assert got == percent
    assert len(warnings) == (0 if percent == 100 else 1)
    np.testing.assert_allclose(sheet["dose_mg"][0], 35 * BSA_170_65)  # never applied
    if percent < 100:
        assert f"recommended {percent}% of the dose (not applied" in warnings[0]
        # e.g. 50 %: 0.5 * 61.319 = 30.660 mg
        assert sheet["recommended_dose_mg"][0] == pytest.approx(percent / 100 * 35 * BSA_170_65)
        assert list(sheet["recommended_percent"][1:]) == [100.0, 100.0, 100.0]


@pytest.mark.parametrize(
    ("egfr", "percent"),
    [(90, None), (60, None), (59.9, 75), (50, 75), (49.9, 50), (40, 50), (39.9, 0), (0, 0)],
)
def test_dose_sheet_cisplatin_renal_bands(egfr, percent):
    sheet = ecf_dose_sheet(170, 65, egfr_ml_min=egfr)
    renal = [w for w in sheet.attrs["warnings"] if w.startswith("Cisplatin renal")]
    np.testing.assert_allclose(sheet["dose_mg"][2], 60 * BSA_170_65)  # never applied
    if percent is None:
        assert renal == [] and "recommended_percent" not in sheet
        return
    assert sheet["recommended_percent"][2] == percent
    # e.g. 75 %: 0.75 * 105.119 = 78.839 mg
    assert sheet["recommended_dose_mg"][2] == pytest.approx(percent / 100 * 60 * BSA_170_65)
    assert list(sheet["recommended_percent"][[0, 1, 3]]) == [100.0, 100.0, 100.0]
    if percent == 0:
        assert "avoid cisplatin" in renal[0]
    else:
        assert f"recommended {percent}% of the dose" in renal[0]


def test_dose_sheet_configurable_renal_bands():
    bands = ((46, 60, 75), (31, 46, 50), (0, 31, 0))
    sheet = ecf_dose_sheet(170, 65, egfr_ml_min=45, renal_bands=bands)
    assert sheet["recommended_percent"][2] == 50  # 31 <= 45 < 46
    sheet = ecf_dose_sheet(170, 65, egfr_ml_min=46, renal_bands=bands)
    assert sheet["recommended_percent"][2] == 75
    assert DEFAULT_RENAL_BANDS == ((50.0, 60.0, 75.0), (40.0, 50.0, 50.0), (0.0, 40.0, 0.0))


@pytest.mark.parametrize(
    ("kwargs", "pattern"),
    [
        ({"cycle": 0}, r"cycle must be a whole number from 1 to 50; got 0"),
        ({"cycle": 1.5}, r"cycle must be a whole number from 1 to 50; got 1\.5"),
        ({"cycle": True}, r"cycle must be a whole number from 1 to 50; got True"),
        ({"prior_epirubicin_mg_m2": -1}, r"prior_epirubicin_mg_m2 = -1 is outside"),
        ({"prior_epirubicin_mg_m2": float("nan")}, r"prior_epirubicin_mg_m2 must be a finite"),
        ({"bilirubin_mg_dl": -0.1}, r"bilirubin_mg_dl = -0\.1"),
        ({"bilirubin_mg_dl": "1.0"}, r"bilirubin_mg_dl must be a number; got '1\.0'"),
        ({"ast_u_l": -5}, r"ast_u_l = -5"),
        ({"egfr_ml_min": -1}, r"egfr_ml_min = -1"),
        ({"egfr_ml_min": float("nan")}, r"egfr_ml_min must be a finite"),
        ({"ast_uln_u_l": 0}, r"ast_uln_u_l = 0 is outside > 0"),
        ({"bsa_cap_m2": 0}, r"bsa_cap_m2 = 0"),
        ({"formula": "boyd"}, r"formula must be"),
        ({"renal_bands": 5}, r"renal_bands must be a sequence"),
        ({"renal_bands": [(50, 60)]}, r"renal_bands\[0\] must be three numbers"),
        ({"renal_bands": [(60, 50, 75)]}, r"renal_bands\[0\] = .* needs 0 <= lower < upper"),
        ({"renal_bands": [(50, 60, 120)]}, r"percent <= 100"),
        ({"renal_bands": [(40, 60, 75), (30, 50, 50)]}, r"renal_bands overlap"),
    ],
)
def test_dose_sheet_rejects_bad_input(kwargs, pattern):
    with pytest.raises(ValueError, match=pattern):
        ecf_dose_sheet(170, 65, **kwargs)


@pytest.mark.parametrize(
    ("height", "weight", "pattern"),
    [
        (40, 65, r"height_cm = 40"),
        ("abc", 65, r"height_cm must be a number"),
        (170, [65, 70], r"weight_kg must be a number"),
        (170, None, r"weight_kg must be a number; got None"),
    ],
)
def test_dose_sheet_rejects_bad_body_size(height, weight, pattern):
    with pytest.raises(ValueError, match=pattern):
        ecf_dose_sheet(height, weight)


# ------------------------------------------------------------------------------------------
# Child-Pugh
# ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        # bilirubin, albumin, INR, ascites, encephalopathy -> points
        ((1.9, 3.6, 1.69, "none", "none"), (5, "A")),  # 1+1+1+1+1
        ((2.0, 3.6, 1.0, "none", "none"), (6, "A")),  # bilirubin 2.0 -> 2
        ((3.0, 3.6, 1.0, "none", "none"), (6, "A")),  # bilirubin 3.0 -> 2
        ((3.01, 3.6, 1.0, "none", "none"), (7, "B")),  # bilirubin > 3 -> 3
        ((1.0, 3.5, 1.0, "none", "none"), (6, "A")),  # albumin 3.5 -> 2
        ((1.0, 2.8, 1.0, "none", "none"), (6, "A")),  # albumin 2.8 -> 2
        ((1.0, 2.79, 1.0, "none", "none"), (7, "B")),  # albumin < 2.8 -> 3
        ((1.0, 4.0, 1.7, "none", "none"), (6, "A")),  # INR 1.7 -> 2
        ((1.0, 4.0, 2.3, "none", "none"), (6, "A")),  # INR 2.3 -> 2
        ((1.0, 4.0, 2.31, "none", "none"), (7, "B")),  # INR > 2.3 -> 3
        ((2.5, 3.0, 1.5, "mild", "none"), (8, "B")),  # 2+2+1+2+1
        ((3.5, 3.0, 1.8, "none", "none"), (9, "B")),  # 3+2+2+1+1
        ((3.5, 3.0, 1.8, "mild", "none"), (10, "C")),  # 3+2+2+2+1
        ((4.0, 2.5, 2.5, "moderate", "grade3-4"), (15, "C")),  # 3+3+3+3+3
        ((1.0, 4.0, 1.0, "none", "grade1-2"), (6, "A")),
    ],
)
def test_child_pugh_points_and_class(args, expected):
    assert child_pugh(*args) == expected


@pytest.mark.parametrize(
    ("ascites", "encephalopathy", "points"),
    [
        ("Moderate-Severe", "None", 7),  # 1+1+1 + 3 + 1
        ("severe", "grade 1-2", 8),  # 3+3+2
        ("Slight", "grade 1–2", 7),  # en dash accepted: 3+2+2
        ("absent", "Grade3-4", 7),  # 3+1+3
    ],
)
def test_child_pugh_category_aliases(ascites, encephalopathy, points):
    assert child_pugh(1.0, 4.0, 1.0, ascites, encephalopathy)[0] == points


@pytest.mark.parametrize(
    ("args", "pattern"),
    [
        ((1.0, 35, 1.0, "none", "none"), r"albumin_g_dl = 35 is outside .*g/L\?"),
        ((float("nan"), 3.5, 1.0, "none", "none"), r"bilirubin_mg_dl must be a finite"),
        ((1.0, 3.5, "1.2", "none", "none"), r"inr must be a number; got '1\.2'"),
        ((1.0, 3.5, 0.4, "none", "none"), r"inr = 0\.4 is outside"),
        ((-1, 3.5, 1.0, "none", "none"), r"bilirubin_mg_dl = -1"),
        ((1.0, 3.5, 1.0, "lots", "none"), r"ascites must be one of .*got 'lots'"),
        ((1.0, 3.5, 1.0, "none", 2), r"encephalopathy must be one of .*got 2"),
        ((1.0, 3.5, 1.0, None, "none"), r"ascites must be one of .*got None"),
    ],
)
def test_child_pugh_rejects_bad_input(args, pattern):
    with pytest.raises(ValueError, match=pattern):
        child_pugh(*args)


def _liver_frame():
    return pd.DataFrame(
        {
            "bilirubin_mg_dl": [1.0, 2.5, 4.0],
            "albumin_g_dl": [3.6, 3.0, 2.5],
            "inr": [1.0, 1.5, 2.5],
            "ascites": ["none", "mild", "moderate"],
            "encephalopathy": ["none", "none", "grade3-4"],
        },
        index=["p1", "p2", "p3"],
    )


def test_child_pugh_frame_vectorised():
    out = child_pugh_frame(_liver_frame())
    # p1 1+1+1+1+1=5 A; p2 2+2+1+2+1=8 B; p3 3+3+3+3+3=15 C
    assert list(out.index) == ["p1", "p2", "p3"]
    assert list(out["child_pugh_points"]) == [5, 8, 15]
    assert list(out["child_pugh_class"]) == ["A", "B", "C"]


def test_child_pugh_frame_bad_input():
    df = _liver_frame()
    with pytest.raises(ValueError, match=r"missing column\(s\) \['inr'\]"):
        child_pugh_frame(df.drop(columns="inr"))
    df.loc["p2", "ascites"] = "lots"
    with pytest.raises(ValueError, match=r"row 'p2': ascites must be one of .*'lots'"):
        child_pugh_frame(df)
    df = _liver_frame()
    df.loc["p3", "albumin_g_dl"] = 30.0
    with pytest.raises(ValueError, match=r"albumin_g_dl\[2\] = 30 is outside"):
        child_pugh_frame(df)
    with pytest.raises(ValueError, match="expected a pandas DataFrame"):
        child_pugh_frame([1, 2])


# ------------------------------------------------------------------------------------------
# ALBI and units
# ------------------------------------------------------------------------------------------


def test_unit_helpers():
    assert bilirubin_mg_dl_to_umol_l(1.0) == pytest.approx(17.104)
    assert bilirubin_mg_dl_to_umol_l(0.5) == pytest.approx(8.552)  # 0.5*17.104
    np.testing.assert_allclose(bilirubin_mg_dl_to_umol_l([1, 2]), [17.104, 34.208])
    assert albumin_g_dl_to_g_l(3.5) == pytest.approx(35.0)
    s = albumin_g_dl_to_g_l(pd.Series([3.4, 2.9], index=[5, 6]))
    assert list(s.index) == [5, 6] and s[6] == pytest.approx(29.0)
    with pytest.raises(ValueError, match=r"bilirubin_mg_dl = -1"):
        bilirubin_mg_dl_to_umol_l(-1)
    with pytest.raises(ValueError, match=r"albumin_g_dl must be a number; got 'x'"):
        albumin_g_dl_to_g_l("x")


def test_albi_worked_example():
    # bilirubin 1 mg/dL = 17.104 µmol/L, albumin 3.5 g/dL = 35 g/L
    # 0.66*log10(17.104) - 0.085*35 = 0.66*1.233098 - 2.975 = 0.813845 - 2.975 = -2.161155
    score, grade = albi(17.104, 35)
    assert score == pytest.approx(-2.161155, abs=1e-6)
    assert grade == 2 and isinstance(grade, int)


@pytest.mark.parametrize(
    ("albumin", "score", "grade"),
    [
        # bilirubin 10 µmol/L: 0.66*log10(10) = 0.66; score = 0.66 - 0.085*albumin
        (38.4, 0.66 - 3.264, 1),  # -2.604 <= -2.60
        (38.3, 0.66 - 3.2555, 2),  # -2.5955 > -2.60
        (24.2, 0.66 - 2.057, 2),  # -1.397 <= -1.39
        (24.1, 0.66 - 2.0485, 3),  # -1.3885 > -1.39
    ],
)
def test_albi_grade_boundaries(albumin, score, grade):
    got_score, got_grade = albi(10, albumin)
    assert got_score == pytest.approx(score, abs=1e-9)
    assert got_grade == grade


def test_albi_vectorised_and_frame():
    score, grade = albi(np.array([10, 10]), np.array([38.4, 24.1]))
    np.testing.assert_allclose(score, [-2.604, -1.3885])
    assert list(grade) == [1, 3]
    df = pd.DataFrame({"bilirubin_mg_dl": [1.0, 1.0], "albumin_g_dl": [3.5, 2.0]}, index=[7, 8])
    out = albi_frame(df)
    # row 8: 0.813845 - 0.085*20 = -0.886155 -> grade 3
    np.testing.assert_allclose(out["albi_score"], [-2.161155, -0.886155], atol=1e-6)
    assert list(out["albi_grade"]) == [2, 3] and list(out.index) == [7, 8]
    with pytest.raises(ValueError, match=r"missing column\(s\) \['albumin_g_dl'\]"):
        albi_frame(df.drop(columns="albumin_g_dl"))


@pytest.mark.parametrize(
    ("bili", "alb", "pattern"),
    [
        (0, 35, r"bilirubin_umol_l = 0 is outside \(0, 1000\]"),
        (-3, 35, r"bilirubin_umol_l = -3"),
        (17, 3.5, r"albumin_g_l = 3\.5 is outside .*g/dL\? multiply by 10"),
        ("17", 35, r"bilirubin_umol_l must be a number"),
        (17, float("nan"), r"albumin_g_l must be a finite"),
        ([17, 20, 30], [35, 40], r"same length; got 3 and 2"),
    ],
)
def test_albi_rejects_bad_input(bili, alb, pattern):
    with pytest.raises(ValueError, match=pattern):
        albi(bili, alb)


# ------------------------------------------------------------------------------------------
# Vp class and BCLC 2022
# ------------------------------------------------------------------------------------------


def test_vp_helpers():
    assert vp_class("vp 2") == "Vp2" and vp_class(3) == "Vp3" and vp_class("Vp0") == "Vp0"
    assert list(vp_class(["Vp1", 4])) == ["Vp1", "Vp4"]
    s = vp_class(pd.Series(["vp0", "VP3"], index=["a", "b"]))
    assert list(s) == ["Vp0", "Vp3"] and list(s.index) == ["a", "b"]
    assert [vp_group(v) for v in range(5)] == ["Vp0", "Vp1–2", "Vp1–2", "Vp3–4", "Vp3–4"]
    assert list(vp_group(pd.Series(["Vp2", "Vp4"]))) == ["Vp1–2", "Vp3–4"]
    assert list(vp_group(["Vp0"])) == ["Vp0"]
    assert macrovascular_invasion("Vp0") is False and macrovascular_invasion("Vp1") is True
    assert list(macrovascular_invasion(pd.Series(["Vp0", "Vp4"]))) == [False, True]
    assert list(macrovascular_invasion(["Vp0", "Vp2"])) == [False, True]
    for bad in ("Vp5", 5, None, "portal", 1.5, True):
        with pytest.raises(ValueError, match="pvtt must be one of Vp0–Vp4"):
            vp_class(bad)


@pytest.mark.parametrize(
    ("args", "stage"),
    [
        # ecog, child-pugh class, number, largest size mm, macrovascular, extrahepatic
        ((0, "A", 1, 20, False, False), "0"),  # single <= 2 cm
        ((0, "A", 1, 21, False, False), "A"),  # single > 2 cm
        ((0, "A", 1, 150, False, False), "A"),  # single of any size
        ((0, "A", 3, 30, False, False), "A"),  # 3 nodules each <= 3 cm
        ((0, "A", 3, 31, False, False), "B"),  # 3 nodules, one > 3 cm
        ((0, "A", 2, 31, False, False), "B"),
        ((0, "A", 4, 10, False, False), "B"),  # more than 3 nodules
        ((0, "A", 1, 20, True, False), "C"),  # portal invasion
        ((0, "A", 1, 20, False, True), "C"),  # extrahepatic spread
        ((1, "A", 1, 20, False, False), "C"),  # PS 1
        ((2, "B", 4, 50, 0, 0), "C"),  # PS 2
        ((3, "A", 1, 20, False, False), "D"),  # PS > 2
        ((0, "C", 1, 20, False, False), "D"),  # end-stage liver function
        ((0, "b", 1, 20, False, False), "0"),  # Child-Pugh B counts as preserved here
    ],
)
def test_bclc_stage(args, stage):
    assert bclc_stage(*args) == stage


@pytest.mark.parametrize(
    ("args", "pattern"),
    [
        ((5, "A", 1, 20, False, False), r"ecog_ps = 5 is outside"),
        ((1.5, "A", 1, 20, False, False), r"ecog_ps must be a whole number; got 1\.5"),
        ((0, "D", 1, 20, False, False), r"child_pugh_class must be 'A', 'B' or 'C'; got 'D'"),
        ((0, "AB", 1, 20, False, False), r"child_pugh_class .* got 'AB'"),
        ((0, "", 1, 20, False, False), r"child_pugh_class .* got ''"),
        ((0, "A", 0, 20, False, False), r"tumor_number = 0 is outside"),
        ((0, "A", 1, 0, False, False), r"tumor_size_mm = 0 is outside"),
        ((0, "A", 1, 20, "yes", False), r"macrovascular_invasion must be True/False"),
        ((0, "A", 1, 20, False, 2), r"extrahepatic_spread must be True/False .* got 2"),
    ],
)
def test_bclc_stage_rejects_bad_input(args, pattern):
    with pytest.raises(ValueError, match=pattern):
        bclc_stage(*args)


def _staging_frame():
    df = _liver_frame()  # Child-Pugh A, B, C
    df["ecog_ps"] = [0, 0, 0]
    df["tumor_number"] = [5, 2, 1]
    df["tumor_size_mm"] = [40.0, 25.0, 15.0]
    df["pvtt"] = ["Vp0", "Vp0", "Vp0"]
    df["refractory_vascular_invasion"] = [0, 0, 0]
    df["refractory_extrahepatic"] = [0, 0, 0]
    return df


def test_bclc_stage_frame():
    df = _staging_frame()
    # p1: 5 nodules -> B; p2: 2 nodules <= 30 mm, Child-Pugh B -> A; p3: Child-Pugh C -> D
    assert list(bclc_stage_frame(df)) == ["B", "A", "D"]
    df["pvtt"] = ["Vp1", "Vp0", "Vp0"]  # Vp1 is a portal thrombus: B -> C
    df["refractory_extrahepatic"] = [0, 1, 0]
    assert list(bclc_stage_frame(df)) == ["C", "C", "D"]
    df = _staging_frame()
    df["refractory_vascular_invasion"] = [1, 0, 0]
    out = bclc_stage_frame(df)
    assert list(out) == ["C", "A", "D"] and list(out.index) == ["p1", "p2", "p3"]
    df.loc["p2", "ecog_ps"] = 7
    with pytest.raises(ValueError, match=r"row 'p2': ecog_ps = 7"):
        bclc_stage_frame(df)
    with pytest.raises(ValueError, match=r"missing column\(s\) \['pvtt'\]"):
        bclc_stage_frame(_staging_frame().drop(columns="pvtt"))


# ------------------------------------------------------------------------------------------
# JSH 2021 refractoriness and eligibility
# ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("viable", "months", "met"),
    [
        ([60, 70], [1, 2], True),
        ([50, 50], None, True),  # exactly 50 % counts (>= 50 %)
        ([49.9, 50], None, False),  # only one insufficient response
        ([60, 40, 70], None, False),  # not consecutive
        ([40, 60, 70], [2, 2, 2], True),  # the last two
        ([60, 60], [0.9, 2], False),  # first evaluation too early: breaks the run
        ([60, 60], [3, 3], True),  # 3 months is still in the window
        ([60, 60], [3.1, 1], False),  # too late
        ([60], [2], False),  # a single session
    ],
)
def test_jsh_poor_response(viable, months, met):
    result = jsh_refractory(viable, assessment_months=months)
    assert bool(result["intrahepatic_poor_response"]) is met
    assert bool(result["is_refractory"]) is met


def test_jsh_and_eligibility_thresholds_match_the_published_methods():
    from analysis import clinical, published

    assert clinical.JSH_VIABLE_PERCENT == published.value(
        "methods.jsh_residual_uptake_percent.threshold"
    )
    assert clinical.JSH_WINDOW_MONTHS == published.interval(
        "methods.jsh_imaging_window_months.interval"
    )
    assert clinical.JSH_MIN_CONSECUTIVE_SESSIONS == published.value(
        "methods.jsh_min_tace_sessions.threshold"
    )
    assert clinical.ELIGIBILITY_MIN_AGE_YEARS == published.value(
        "methods.eligibility_age_years.threshold"
    )
    assert clinical.ELIGIBILITY_MAX_ECOG == published.value("methods.eligibility_ecog.threshold")
    assert clinical.ELIGIBILITY_MIN_LESIONS == published.value(
        "methods.eligibility_measurable_lesions.threshold"
    )
    assert clinical.ELIGIBILITY_MALIGNANCY_YEARS == published.value(
        "methods.exclusion_other_malignancy_years.duration"
    )


def test_jsh_other_criteria():
    assert bool(jsh_refractory([10, 10], [1, 1])["intrahepatic_new_lesions"]) is True
    assert bool(jsh_refractory([10, 10, 10], [1, 0, 1])["intrahepatic_new_lesions"]) is False
    none = jsh_refractory()
    assert list(none.index) == [  # the order of the paper's Table 1, as every table shows them
        "intrahepatic_poor_response",
        "intrahepatic_new_lesions",
        "extrahepatic_spread",
        "vascular_invasion",
        "tumor_marker_rise",
        "is_refractory",
    ]
    assert not none.any()
    for flag in ("vascular_invasion", "extrahepatic_spread", "tumor_marker_rise"):
        result = jsh_refractory(**{flag: True})
        assert bool(result[flag]) and bool(result["is_refractory"])
        assert int(result.sum()) == 2  # the criterion and is_refractory


@pytest.mark.parametrize(
    ("args", "kwargs", "pattern"),
    [
        (([101, 60],), {}, r"viable_percent\[0\] = 101 is outside"),
        ((["x"],), {}, r"viable_percent\[0\] must be a number"),
        (([60, 60], [1]), {}, r"new_lesions has 1 entries but .* 2"),
        (([60, 60], [1, "yes"]), {}, r"new_lesions\[1\] must be True/False"),
        (([60, 60], None, [1]), {}, r"assessment_months has 1 entries but there are 2"),
        (([60, 60], None, [1, -1]), {}, r"assessment_months\[1\] = -1"),
        ((), {"vascular_invasion": "no"}, r"vascular_invasion must be True/False"),
    ],
)
def test_jsh_rejects_bad_input(args, kwargs, pattern):
    with pytest.raises(ValueError, match=pattern):
        jsh_refractory(*args, **kwargs)


def _refractory_frame():
    return pd.DataFrame(
        {
            "refractory_poor_response": [1, 1, 0, 0],
            "refractory_new_lesions": [0, 0, 1, 0],
            "refractory_vascular_invasion": [0, 0, 0, 0],
            "refractory_extrahepatic": [0, 0, 0, 0],
            "refractory_tumor_marker": [0, 0, 0, 1],
            "refractory_tace_sessions": [2, 1, 3, 1],
        }
    )


def test_jsh_refractory_frame():
    out = jsh_refractory_frame(_refractory_frame())
    # row 1: poor response after only one refractory session -> does not count
    assert list(out["intrahepatic_poor_response"]) == [True, False, False, False]
    assert list(out["is_refractory"]) == [True, False, True, True]
    lax = jsh_refractory_frame(_refractory_frame(), require_two_sessions=False)
    assert list(lax["is_refractory"]) == [True, True, True, True]
    bad = _refractory_frame()
    bad.loc[2, "refractory_tumor_marker"] = 2
    with pytest.raises(ValueError, match=r"column 'refractory_tumor_marker', row 2: expected 0/1"):
        jsh_refractory_frame(bad)
    with pytest.raises(ValueError, match=r"missing column\(s\) \['refractory_tace_sessions'\]"):
        jsh_refractory_frame(_refractory_frame().drop(columns="refractory_tace_sessions"))


ELIGIBLE = dict(
    jsh_refractory=True,
    age_years=60,
    measurable_lesions=1,
    ecog_ps=2,
    has_follow_up=True,
    other_malignancy_within_5_years=False,
    died_of_other_documented_cause=False,
)


def test_eligibility_eligible_patient():
    result = eligibility(**ELIGIBLE)
    assert result["eligible"] is True and result["reasons"] == []


@pytest.mark.parametrize(
    ("change", "reasons"),
    [
        (
            {"age_years": 18},
            [
                "inclusion II not met (older than 18 years)",
                "exclusion II (18 years old or younger)",
            ],
        ),
        ({"age_years": 18.5}, []),
        ({"ecog_ps": 3}, ["inclusion IV not met (ECOG performance status 0–2)"]),
        (
            {"measurable_lesions": 0},
            ["inclusion III not met (at least one measurable lesion on CT/MRI)"],
        ),
        (
            {"jsh_refractory": 0},
            ["inclusion I not met (refractory to TACE by the JSH 2021 criteria)"],
        ),
        ({"has_follow_up": False}, ["exclusion I (no follow-up information after treatment)"]),
        (
            {"other_malignancy_within_5_years": 1},
            ["exclusion III (another malignancy within the last 5 years)"],
        ),
        (
            {"died_of_other_documented_cause": True},
            ["exclusion IV (death from another documented cause)"],
        ),
    ],
)
def test_eligibility_each_rule(change, reasons):
    result = eligibility(**{**ELIGIBLE, **change})
    assert result["reasons"] == reasons
    assert result["eligible"] is (reasons == [])


@pytest.mark.parametrize(
    ("change", "pattern"),
    [
        ({"ecog_ps": 1.5}, r"ecog_ps must be a whole number"),
        ({"age_years": -1}, r"age_years = -1 is outside"),
        ({"age_years": "60"}, r"age_years must be a number"),
        ({"has_follow_up": "no"}, r"has_follow_up must be True/False"),
        ({"measurable_lesions": -1}, r"measurable_lesions = -1"),
    ],
)
def test_eligibility_rejects_bad_input(change, pattern):
    with pytest.raises(ValueError, match=pattern):
        eligibility(**{**ELIGIBLE, **change})


def _eligibility_cohort():
    """Four patients: 0 eligible; 1 not refractory (one session); 2 aged 17; 3 ECOG 3 and no
    follow-up (no column for exclusions III and IV)."""
    df = _refractory_frame()
    df["age_years"] = [60, 70, 17, 50]
    df["tumor_number"] = [1, 2, 3, 1]
    df["tumor_size_mm"] = [30.0, 40.0, 50.0, 20.0]
    df["ecog_ps"] = [0, 1, 0, 3]
    df["os_months"] = [10.0, 5.0, 3.0, 0.0]
    return df


def test_eligibility_frame():
    df = _eligibility_cohort()
    out = eligibility_frame(df)
    # 0 eligible; 1 not refractory (one session); 2 aged 17; 3 ECOG 3 and no follow-up
    assert list(out["eligible"]) == [True, False, False, False]
    assert out.loc[0, "reasons"] == ""
    assert out.loc[2, "reasons"] == (
        "inclusion II not met (older than 18 years); exclusion II (18 years old or younger)"
    )
    assert out.loc[3, "reasons"] == (
        "inclusion IV not met (ECOG performance status 0–2); "
        "exclusion I (no follow-up information after treatment)"
    )
    df["other_malignancy_5y"] = [1, 0, 0, 0]
    assert eligibility_frame(df).loc[0, "reasons"] == (
        "exclusion III (another malignancy within the last 5 years)"
    )
    df.loc[1, "ecog_ps"] = 9
    with pytest.raises(ValueError, match=r"row 1: ecog_ps = 9"):
        eligibility_frame(df)


# ------------------------------------------------------------------------------------------
# mRECIST, best response, ORR, DCR
# ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "kwargs", "expected"),
    [
        ((50, 35), {}, "PR"),  # 35 = 0.7*50: exactly -30 %
        ((50, 35.1), {}, "SD"),  # -29.8 %
        ((50, 0), {}, "CR"),  # no enhancing tumour left
        ((50, 60), {}, "PD"),  # 60 = 1.2*50: exactly +20 % over nadir (= baseline)
        ((50, 59.9), {}, "SD"),
        ((50, 36, 30), {}, "PD"),  # 36 = 1.2*30 over the nadir 30
        ((50, 35.9, 30), {}, "SD"),  # +19.7 % over nadir, -28.2 % from baseline
        ((50, 34, 30), {}, "PR"),  # +13 % over nadir but -32 % from baseline
        ((50, 5, 0), {}, "PD"),  # enhancement reappears after CR
        ((50, 0), {"new_lesion": True}, "PD"),
        ((50, 20), {"nontarget_progression": 1}, "PD"),
        ((50, 12, 10), {}, "PD"),  # +20 %, +2 mm
        ((50, 12, 10), {"min_increase_mm": 5}, "PR"),  # RECIST 1.1 5-mm rule: 12 <= 35
        ((50, 15, 10), {"min_increase_mm": 5}, "PD"),  # +50 % and +5 mm
    ],
)
def test_mrecist(args, kwargs, expected):
    assert mrecist(*args, **kwargs) == expected


@pytest.mark.parametrize(
    ("args", "kwargs", "pattern"),
    [
        ((0, 10), {}, r"baseline_sum_mm = 0 is outside"),
        ((50, -1), {}, r"current_sum_mm = -1"),
        ((50, 10, 60), {}, r"nadir_sum_mm = 60 exceeds baseline_sum_mm = 50"),
        ((50, "x"), {}, r"current_sum_mm must be a number"),
        ((50, 10), {"new_lesion": "yes"}, r"new_lesion must be True/False"),
        ((50, 10), {"min_increase_mm": -5}, r"min_increase_mm = -5"),
    ],
)
def test_mrecist_rejects_bad_input(args, kwargs, pattern):
    with pytest.raises(ValueError, match=pattern):
        mrecist(*args, **kwargs)


def test_mrecist_sequence_tracks_nadir():
    # baseline 50: 30 (-40 %) PR; 20 PR (nadir 30 -> 20); 24 = 1.2*20 PD; 0 after PD
    assert mrecist_sequence(50, [30, 20, 24, 0]) == ["PR", "PR", "PD", "CR"]
    assert mrecist_sequence(50, [40, 40], new_lesions=[False, True]) == ["SD", "PD"]
    assert mrecist_sequence(50, [40], nontarget_progression=[True]) == ["PD"]
    assert mrecist_sequence(50, []) == []
    with pytest.raises(ValueError, match=r"follow_up_sums_mm has 2 entries but new_lesions has 1"):
        mrecist_sequence(50, [40, 40], new_lesions=[True])
    with pytest.raises(ValueError, match=r"follow_up_sums_mm\[1\] = -2"):
        mrecist_sequence(50, [40, -2])


def test_best_response():
    assert best_response(["SD", "PR", "SD"]) == "PR"
    assert best_response(["PR", "PR", "PD", "CR"]) == "PR"  # CR after progression ignored
    assert best_response(["PR", "PR", "PD", "CR"], stop_at_progression=False) == "CR"
    assert best_response(["PD", "SD"]) == "PD"
    assert best_response(["sd"]) == "SD"
    with pytest.raises(ValueError, match="responses is empty"):
        best_response([])
    with pytest.raises(ValueError, match=r"responses\[1\] must be one of CR, PR, SD, PD; got 'NE'"):
        best_response(["SD", "NE"])
    with pytest.raises(ValueError, match="got the string 'CR'"):
        best_response("CR")


# the paper's best responses: 4 CR, 20 PR, 22 SD, 36 PD of 82 patients
PUBLISHED_RESPONSES = ["CR"] * 4 + ["PR"] * 20 + ["SD"] * 22 + ["PD"] * 36


def test_orr_dcr_reproduce_published_rates():
    # ORR = (4 + 20) / 82 = 24/82 = 29.268 % (printed 29.3 %)
    assert orr(PUBLISHED_RESPONSES) == (24, 82, pytest.approx(100 * 24 / 82))
    assert round(orr(PUBLISHED_RESPONSES).percent, 1) == 29.3
    # DCR = (4 + 20 + 22) / 82 = 46/82 = 56.098 % (printed 56.1 %)
    assert dcr(pd.Series(PUBLISHED_RESPONSES)) == (46, 82, pytest.approx(100 * 46 / 82))
    assert round(dcr(np.array(PUBLISHED_RESPONSES)).percent, 1) == 56.1
    table = response_summary(PUBLISHED_RESPONSES)
    assert list(table.index) == ["CR", "PR", "SD", "PD", "ORR", "DCR"]
    assert list(table["count"]) == [4, 20, 22, 36, 24, 46]
    assert table.loc["PD", "percent"] == pytest.approx(100 * 36 / 82)  # 43.9 %


def test_rates_reject_bad_input():
    with pytest.raises(ValueError, match="responses is empty"):
        orr([])
    with pytest.raises(ValueError, match=r"responses\[0\] must be one of .* got nan"):
        dcr([float("nan")])
    with pytest.raises(ValueError, match="responses is empty"):
        response_summary([])
    with pytest.raises(ValueError, match=r"responses\[2\] .* got 'X'"):
        response_summary(["CR", "PD", "X"])


class TestProportionCI:
    def test_wilson_by_hand(self):
        # 24 responders of 82, z = 1.959964: p = 0.292683; z²/n = 0.046846
        z = 1.959963984540054
        p, n = 24 / 82, 82
        centre = (p + z * z / (2 * n)) / (1 + z * z / n)
        half = z * (p * (1 - p) / n + z * z / (4 * n * n)) ** 0.5 / (1 + z * z / n)
        lo, hi = clinical.proportion_ci(24, 82, "wilson")
        assert (lo, hi) == pytest.approx((centre - half, centre + half), abs=1e-12)
        assert (round(100 * lo, 1), round(100 * hi, 1)) == (20.5, 39.9)

    def test_against_statsmodels(self):
        from statsmodels.stats.proportion import proportion_confint

        for k in (0, 1, 24, 46, 81, 82):
            for ours, theirs in (("wilson", "wilson"), ("clopper-pearson", "beta")):
                got = clinical.proportion_ci(k, 82, ours)
                ref = proportion_confint(k, 82, alpha=0.05, method=theirs)
                assert got == pytest.approx(tuple(map(float, ref)), abs=1e-10), (k, ours)

    def test_clopper_pearson_edges(self):
        # k = 0: lower bound 0, upper = 1 - (alpha/2)^(1/n)
        assert clinical.proportion_ci(0, 10, "clopper-pearson") == pytest.approx(
            (0.0, 1 - 0.025 ** (1 / 10))
        )

    @pytest.mark.parametrize(
        ("count", "n", "method", "message"),
        [
            (5, 0, "wilson", "n must be a positive integer, got 0"),
            (11, 10, "wilson", "count must be an integer from 0 to n=10, got 11"),
            (2.5, 10, "wilson", "count must be an integer from 0 to n=10, got 2.5"),
            (2, 10, "exact", "method must be 'wilson' or 'clopper-pearson', got 'exact'"),
        ],
    )
    def test_bad_input(self, count, n, method, message):
        with pytest.raises(ValueError, match=re.escape(message)):
            clinical.proportion_ci(count, n, method)


# ------------------------------------------------------------------------------------------
# ecf_dose_sheet: height and weight together (BMI), prior doxorubicin
# ------------------------------------------------------------------------------------------


def test_dose_sheet_refuses_a_weight_in_pounds():
    """150 lb (68 kg) typed as kg at 165 cm passed bsa()'s 25-250 kg limits and gave BSA 2.62
    instead of 1.77 m² (cisplatin 157 mg), flagged only by the routine BSA-cap warning."""
    assert bsa(165, 150) == pytest.approx(2.6220, abs=1e-4)  # bsa() alone still takes it
    with pytest.raises(
        ValueError,
        match=r"^weight_kg = 150 with height_cm = 165 is a BMI of 55\.1 kg/m², outside "
        r"\[12, 40\] kg/m²: is the weight in pounds \(150 lb = 68\.0 kg\)\?.*"
        r"pass bmi_confirmed=True$",
    ):
        ecf_dose_sheet(165, 150)
    kg = ecf_dose_sheet(165, 68)
    assert kg.attrs["bsa_m2"] == pytest.approx(math.sqrt(165 * 68 / 3600))
    assert kg.attrs["bmi_kg_m2"] == pytest.approx(68 / 1.65**2)
    assert kg.attrs["warnings"] == []


def test_dose_sheet_confirmed_extreme_bmi_is_made_and_says_so():
    sheet = ecf_dose_sheet(165, 150, bmi_confirmed=True)
    assert sheet.attrs["bsa_m2"] == pytest.approx(2.6220, abs=1e-4)
    first = sheet.attrs["warnings"][0]
    assert first.startswith("BMI 55.1 kg/m² (165 cm, 150 kg) is outside 12–40 kg/m², confirmed")
    assert "BSA 2.62 m² is above 2.0 m²" in sheet.attrs["warnings"][1]
    # a WITHHOLD warning still comes first
    sheet = ecf_dose_sheet(165, 150, bmi_confirmed=True, bilirubin_mg_dl=6)
    assert sheet.attrs["warnings"][0].startswith("WITHHOLD")
    assert sheet.attrs["warnings"][1].startswith("BMI 55.1")
    with pytest.raises(ValueError, match=r"bmi_confirmed must be True/False"):
        ecf_dose_sheet(165, 68, bmi_confirmed="yes")


@pytest.mark.parametrize(
    ("height", "weight", "outcome"),
    [
        (150, 90, None),  # BMI exactly 40: accepted
        (150, 90.01, r"BMI of 40\.004 kg/m², outside \[12, 40\].*pounds \(90\.01 lb"),
        (200, 48, None),  # BMI exactly 12: accepted
        (200, 47.99, r"BMI of 11\.998 kg/m², outside .*check the weight \(kg\) and the height"),
        (170, 115.6, None),  # 115.6 / 1.7² is 40.0 in floating point: accepted
        (180, 30, r"BMI of 9\.3 kg/m²"),
        (160, 250, r"BMI of 97\.7 kg/m²"),
        # a hair past an edge printed "a BMI of 40 kg/m², outside [12, 40]": digits enough
        (150, 90.0001, r"BMI of 40\.00004 kg/m², outside \[12, 40\]"),
        (150, 26.9999, r"BMI of 11\.99996 kg/m², outside \[12, 40\]"),
    ],
)
def test_dose_sheet_bmi_edges(height, weight, outcome):
    if outcome is None:
        sheet = ecf_dose_sheet(height, weight)
        assert 12 <= sheet.attrs["bmi_kg_m2"] <= 40
        assert not any(w.startswith("BMI") for w in sheet.attrs["warnings"])
    else:
        with pytest.raises(ValueError, match=outcome):
            ecf_dose_sheet(height, weight)
        sheet = ecf_dose_sheet(height, weight, bmi_confirmed=True)
        assert sheet.attrs["warnings"][0].startswith("BMI ")


def test_dose_sheet_prior_doxorubicin_is_apart_and_warned():
    """The page asked for the *total* prior anthracycline and summed doxorubicin with
    epirubicin one for one; doxorubicin is more cardiotoxic per mg/m² and no conversion is
    cited: it goes in its own argument, is never added, and every sheet warns."""
    plain = ecf_dose_sheet(170, 65, cycle=3, prior_epirubicin_mg_m2=70)
    assert plain.attrs["prior_doxorubicin_mg_m2"] == 0 and plain.attrs["warnings"] == []
    for cycle in (1, 3, 20):
        sheet = ecf_dose_sheet(
            170, 65, cycle=cycle, prior_epirubicin_mg_m2=35 * (cycle - 1),
            prior_doxorubicin_mg_m2=200,
        )  # fmt: skip
        assert sheet.attrs["cumulative_epirubicin_mg_m2"] == 35 * cycle  # epirubicin only
        assert sheet.attrs["prior_doxorubicin_mg_m2"] == 200
        (warning,) = [w for w in sheet.attrs["warnings"] if "doxorubicin" in w]
        assert warning.startswith("Prior doxorubicin 200 mg/m² is not counted in the cumul")
        assert "understate" in warning and "LVEF" in warning
    # the epirubicin checkpoints still work on epirubicin alone
    sheet = ecf_dose_sheet(170, 65, prior_epirubicin_mg_m2=530, prior_doxorubicin_mg_m2=100)
    assert sheet.attrs["checkpoints_crossed_mg_m2"] == [550.0]


@pytest.mark.parametrize(
    ("dose", "pattern"),
    [
        (-1, r"prior_doxorubicin_mg_m2 = -1 is outside \[0, 1000\] mg/m²"),
        (1000.5, r"prior_doxorubicin_mg_m2 = 1000\.5 is outside .*not mg"),
        (None, r"prior_doxorubicin_mg_m2 must be a number; got None"),
        (float("nan"), r"prior_doxorubicin_mg_m2 must be a finite number"),
    ],
)
def test_dose_sheet_rejects_bad_prior_doxorubicin(dose, pattern):
    with pytest.raises(ValueError, match=pattern):
        ecf_dose_sheet(170, 65, prior_doxorubicin_mg_m2=dose)


@pytest.mark.parametrize(
    ("argument", "pattern"),
    [
        ("height_cm", r"^height_cm must be a finite number; got a number too large"),
        ("weight_kg", r"^weight_kg must be a finite number; got a number too large"),
        ("prior_doxorubicin_mg_m2", r"^prior_doxorubicin_mg_m2 must be a finite number"),
        ("prior_epirubicin_mg_m2", r"^prior_epirubicin_mg_m2 must be a finite number"),
        ("cycle", r"^cycle must be a whole number from 1 to 50; got a 401-digit number$"),
        ("bmi_confirmed", r"^bmi_confirmed must be True/False .*got a 401-digit number$"),
        ("egfr_ml_min", r"^egfr_ml_min must be a finite number"),
        ("renal_bands", r"^renal_bands\[0\] = .* needs 0 <= lower < upper"),
    ],
)
def test_dose_sheet_an_int_too_large_for_a_float_is_a_value_error(argument, pattern):
    """10**400 (a Python int has no limit) ended in OverflowError, not the ValueError naming
    the argument that every other bad value gets."""
    huge = 10**400
    kwargs = {"height_cm": 170, "weight_kg": 65}
    kwargs[argument] = [(0.0, huge, 50.0)] if argument == "renal_bands" else huge
    with pytest.raises(ValueError, match=pattern):
        ecf_dose_sheet(**kwargs)
    with pytest.raises(ValueError, match=r"^height_cm must hold finite numbers"):
        bsa([170, huge], [65, 65])


def test_dose_sheet_hepatic_band_edges_belong_to_the_50_percent_band():
    """Chapter 3 said the band edges belong to the milder reduction; at the lower edges the
    50 % band is the stronger one. Every edge is in the 50 % band; bilirubin 5 is 25 %."""

    def epirubicin_percent(**labs):
        sheet = ecf_dose_sheet(170, 65, **labs)
        if "recommended_percent" not in sheet:
            return 100.0
        return float(sheet.loc[sheet["drug"] == "epirubicin", "recommended_percent"].iloc[0])

    for edge in clinical.EPIRUBICIN_BILIRUBIN_BAND_MG_DL:
        assert epirubicin_percent(bilirubin_mg_dl=edge) == 50
    for ratio in clinical.EPIRUBICIN_AST_BAND_X_ULN:
        assert epirubicin_percent(ast_u_l=ratio * 40) == 50
    assert epirubicin_percent(bilirubin_mg_dl=1.19) == 100
    assert epirubicin_percent(bilirubin_mg_dl=3.01) == 25
    assert epirubicin_percent(bilirubin_mg_dl=5) == 25
    assert epirubicin_percent(bilirubin_mg_dl=5.01) == 0


def test_eligibility_frame_reports_unrecorded_rules_as_not_assessable():
    """``eligibility_frame`` read an absent ``other_malignancy_5y`` or ``death_other_cause`` as
    0 (``row.get(..., 0)``): exclusions III and IV passed for every patient of a cohort that
    records neither. They are not assessable (NA), and so is inclusion I without the JSH
    criteria; the rules checked still give their reasons."""
    df = _eligibility_cohort()
    out = eligibility_frame(df)
    assert out.attrs["not_assessable"] == ["exc3_other_malignancy_5y", "exc4_other_cause_death"]
    assert out["exc3_other_malignancy_5y"].isna().all()
    assert out["exc4_other_cause_death"].isna().all()
    assert list(out["eligible"]) == [True, False, False, False]
    # recorded for some patients: those rows are checked, the empty one is not assessable
    df["other_malignancy_5y"] = [1, 0, float("nan"), 0]
    out = eligibility_frame(df)
    assert out.attrs["not_assessable"] == ["exc4_other_cause_death"]
    assert out["exc3_other_malignancy_5y"].tolist()[:2] == [True, False]
    assert out["exc3_other_malignancy_5y"].isna().tolist() == [False, False, True, False]
    assert "exclusion III" in out.loc[0, "reasons"] and not out.loc[0, "eligible"]
    # the JSH criteria not recorded: inclusion I is not assessable, not failed
    bare = df.drop(columns=[c for c in df.columns if c.startswith("refractory_")])
    out = eligibility_frame(bare)
    assert out.attrs["not_assessable"] == ["inc1_jsh_refractory", "exc4_other_cause_death"]
    assert out["inc1_jsh_refractory"].isna().all()
    assert "inclusion I " not in " ".join(out["reasons"])
    assert out.loc[3, "reasons"].startswith("inclusion IV not met")
