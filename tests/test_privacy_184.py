"""A tester's pass over session 183's detectors (session 184): legitimate cohorts and file
names they refused, pinned as passing, beside the leaks they must still find."""

from __future__ import annotations

import pytest

from analysis.privacy import _name_reason, file_name_identifier, identifier_kind

# ------------------------------------------------- 1. Han words in a file name that are no names
HAN_WORDS = [
    "方法.csv",  # method
    "方案.csv",  # protocol
    "方差.csv",  # variance
    "程序.csv",
    "白蛋白.csv",  # albumin
    "白细胞.csv",  # white cells
    "白介素.csv",  # interleukin
    "叶酸.csv",  # folate
    "高危.csv",
    "高龄.csv",
    "金属.csv",
    "马上.csv",
    "林业.csv",
    "江苏.csv",  # provinces and cities: a study site
    "武汉.csv",
    "郑州.csv",
    "苏州_2023.csv",
    "沈阳.csv",
    "黄芪.csv",  # herbs: a TCM study
    "陈皮.csv",
    "何首乌.csv",
]


@pytest.mark.parametrize("name", HAN_WORDS)
def test_han_word_in_file_name_is_no_name(name):
    assert file_name_identifier(name) is None


@pytest.mark.parametrize(
    "name", ["王小明.csv", "李雪.csv", "陈静.csv", "刘洋_labs.csv", "山田太郎.csv"]
)
def test_han_name_in_file_name_is_still_found(name):
    assert file_name_identifier(name) == "name"


# ------------------------------ 2. a batch or site number before a date is no national number
def _dated_names():
    import random

    rng = random.Random(184)
    for _ in range(300):
        y, m, d = rng.randint(2000, 2026), rng.randint(1, 12), rng.randint(1, 28)
        yield f"site_{rng.randint(1, 99)}_batch_{rng.randint(1, 999)}_{y}-{m:02d}-{d:02d}.csv"
        yield f"site{rng.randint(1, 20)}_n{rng.randint(10, 999)}_{rng.randint(2015, 2025)}_{y}.csv"
        yield f"run_{rng.randint(100, 999)}_{y}{m:02d}{d:02d}.csv"


def test_number_before_a_date_in_file_name_is_no_cpf():
    assert [n for n in _dated_names() if file_name_identifier(n) is not None] == []


@pytest.mark.parametrize(
    "name", ["123_456_789-09.csv", "12345678909.csv", "cohort_123.456.789-09.csv"]
)
def test_cpf_in_file_name_is_still_found(name):
    assert file_name_identifier(name) == "cpf"


# ------------------------------------- 3. column names and cells of a lesion, a mean, a count
@pytest.mark.parametrize(
    "column", ["geo_mean_afp", "geomean_pivka", "lesion_coordinates", "coordinates_mm"]
)
def test_column_of_a_mean_or_a_lesion_is_no_address(column):
    assert _name_reason(column) is None


@pytest.mark.parametrize(
    "column", ["geo", "coordinates", "home_coords", "geo_coordinates_mm", "gps_mm"]
)
def test_location_column_is_still_an_address(column):
    assert _name_reason(column) == "an address"


@pytest.mark.parametrize(
    "value",
    ["tumour at 45.1234, 12.5432 mm", "3.1234, 1.9876 GBq", "AFP 1.234.567", "PIVKA-II: 2.345.678"],
)
def test_lesion_position_dose_and_count_are_no_identifiers(value):
    assert identifier_kind(value) is None


@pytest.mark.parametrize(
    "value, kind",
    [
        ("48.85837, 2.29448", "gps"),
        ("48.85837, 2.29448 Paris", "gps"),
        ("DNI 30.123.456", "dot-thousands"),
    ],
)
def test_coordinates_and_dni_are_still_found(value, kind):
    assert identifier_kind(value) == kind


def _cohort_with(tmp_path, column, values):
    import csv
    import itertools

    from analysis import COHORT_CSV

    with open(COHORT_CSV, encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    rows[0].append(column)
    for r, v in zip(rows[1:], itertools.cycle(values)):
        r.append(v)
    path = tmp_path / "c.csv"
    with open(path, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows)
    return path


@pytest.mark.parametrize("column", ["lesion_xy_mm", "y90_activity_gbq"])
def test_pairs_in_a_measured_column_pass(tmp_path, capsys, column):
    from test_cli_hostile import call_cli

    path = _cohort_with(tmp_path, column, ["12.5432, 45.1234", "30.1234, 22.9876"])
    code, out, err = call_cli(["validate", str(path)], capsys)
    assert code == 0 and "GPS" not in out + err


@pytest.mark.parametrize("column", ["notes", "home_xy_mm", "site"])
def test_gps_pair_elsewhere_is_still_refused(tmp_path, capsys, column):
    from test_cli_hostile import call_cli

    path = _cohort_with(tmp_path, column, ["48.85837, 2.29448"])
    code, out, err = call_cli(["validate", str(path)], capsys)
    assert code != 0 and "48.85837" not in out + err


# ------------------------------------------------ 4. a trial's registration number in a file name
@pytest.mark.parametrize(
    "name",
    [
        "ChiCTR2000012345.csv",
        "EudraCT_2019-001234-56.csv",
        "CTRI_2019_01_012345.csv",
        "NCT01234567.csv",
    ],
)
def test_trial_registration_number_in_file_name_passes(name):
    assert file_name_identifier(name) is None


@pytest.mark.parametrize(
    "name",
    [
        "ChiCTR2000012345_John_Smith.csv",
        "NCT01234567_12345678909.csv",
        "ChiCTR2000012345_0912345678.csv",
    ],
)
def test_identifier_beside_a_trial_number_is_still_found(name):
    assert file_name_identifier(name) is not None


# ------------------ 6. a title and one surname in Greek or Cyrillic letters (the tester's leaks)
@pytest.mark.parametrize(
    "value",
    [
        "д-р Смирнов",
        "осмотрен проф. Ивановым",
        "Δρ. Παπαδόπουλος",
        "Dr Смирнов",
        "Κος Παπαδόπουλος",
    ],
)
def test_title_and_surname_in_greek_or_cyrillic_is_a_name(value):
    assert identifier_kind(value) == "name"


@pytest.mark.parametrize(
    "value",
    [
        "д-р дежурный",  # the doctor on duty
        "Δρ. εφημερίας",
        "проф. консультация",
        "by ΜΕΘ team",
        "Пациент переведён в ОРИТ",
        "Ασθενής με κίρρωση",
        "врач Скорой помощи",  # no title of a person: the ambulance's doctor
    ],
)
def test_title_before_a_common_word_is_no_name(value):
    assert identifier_kind(value) is None
