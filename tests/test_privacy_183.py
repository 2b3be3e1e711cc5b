"""A tester's pass over the privacy guard (session 183): what it found, pinned.

Identifiers in a cohort file's name got into the report (a French NIR written with spaces or
hyphens, a Brazilian CPF without separators, a name in Han characters or Hangul); names in
Cyrillic, Greek and Turkish letters passed as ids, column names and free text; a home's GPS
coordinates passed; some national numbers passed. The planted values are never printed.
"""

from __future__ import annotations

import csv
import shutil

import pytest
from test_cli_hostile import call_cli

from analysis import COHORT_CSV
from analysis.privacy import file_name_identifier, identifier_kind

# ------------------------------------------------------------ 1. identifiers in a file name
NAMED_FILES = [
    "1 84 12 76 451 089 46.csv",  # NIR with spaces (a date read in its first groups before)
    "1-84-12-76-451-089-46.csv",  # NIR with hyphens
    "cohort_1.84.12.76.451.089.46.csv",
    "12345678909.csv",  # CPF without separators, valid check digits
    "123_456_789-09.csv",
    "山田太郎.csv",
    "王小明.csv",
    "김민수.csv",
    "이서연_labs.csv",
]
PLAIN_FILES = [
    "cohort.csv",
    "cohort_2023-01-15.csv",
    "export_2023_01_15_10_30_00.csv",
    "export_1714123456.csv",
    "간암_코호트.csv",
    "肝癌队列.csv",
    "高血压.csv",
    "고혈압.csv",
    "白血病_2020.csv",
    "05_01_2023.csv",
    "유전자.csv",
    "조영제.csv",
    "전이성_코호트.csv",
    "한국어.csv",
]


@pytest.mark.parametrize("name", NAMED_FILES)
def test_identifier_in_file_name_is_found(name):
    assert file_name_identifier(name) is not None


@pytest.mark.parametrize("name", PLAIN_FILES)
def test_plain_file_name_passes(name):
    assert file_name_identifier(name) is None


@pytest.mark.parametrize("name", NAMED_FILES[:4] + NAMED_FILES[5:6])
def test_validate_refuses_identifier_in_file_name_and_masks_it(tmp_path, capsys, name):
    path = tmp_path / name
    shutil.copy(COHORT_CSV, path)
    code, out, err = call_cli(["validate", str(path)], capsys)
    stem = name.rsplit(".", 1)[0]
    assert code != 0
    assert stem not in out + err
    assert "Traceback" not in out + err
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]


# --------------------------------------- 2-4. names in Greek, Cyrillic and Turkish letters
def _cohort_rows():
    with open(COHORT_CSV, newline="", encoding="utf-8") as f:
        return list(csv.reader(f))


def _write(path, rows):
    with open(path, "w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows(rows)
    return path


@pytest.mark.parametrize(
    "pattern", ["Сергей_Петров{}", "Γιώργος_Παπαδόπουλος{}", "Yılmaz_Ayşe{}", "Сергей Петров {}"]
)
def test_names_in_cased_scripts_as_ids_are_refused(tmp_path, capsys, pattern):
    rows = _cohort_rows()
    for i, r in enumerate(rows[1:]):
        r[0] = pattern.format(i)
    path = _write(tmp_path / "c.csv", rows)
    code, out, err = call_cli(["validate", str(path)], capsys)
    assert code != 0 and "Traceback" not in out + err
    assert "patient_id" in out and "personal names" in out
    assert pattern.format(0) not in out + err and pattern.split("{")[0][:5] not in out + err


def test_cyrillic_name_as_column_name_is_refused(tmp_path, capsys):
    rows = _cohort_rows()
    rows[0].append("Сергей_Петров")
    for r in rows[1:]:
        r.append("1")
    path = _write(tmp_path / "c.csv", rows)
    code, out, err = call_cli(["validate", str(path)], capsys)
    assert code != 0 and "personal names" in out and "Сергей" not in out + err


def test_greek_name_in_free_text_is_refused(tmp_path, capsys):
    rows = _cohort_rows()
    rows[0].append("comment")
    for i, r in enumerate(rows[1:]):
        r.append("seen by Γιώργος Παπαδόπουλος" if i == 0 else "")
    path = _write(tmp_path / "c.csv", rows)
    code, out, err = call_cli(["validate", str(path)], capsys)
    assert code != 0 and "column comment" in out and "personal names" in out
    assert "Γιώργος" not in out + err and "Παπαδόπουλος" not in out + err


# ------------------------------------------------------------------- 5. GPS coordinates
@pytest.mark.parametrize(
    "value",
    ["48.85837, 2.29448", "-33.8568, 151.2153", "48.8584° N, 2.2945° E", "at 48.85837,2.29448"],
)
def test_gps_coordinates_are_found(value):
    assert identifier_kind(value) == "gps"


@pytest.mark.parametrize(
    "value",
    ["0.7512, 0.9123", "12.5, 13.5", "1.2345, 2.3456, 3.4567", "HR 1.2345 (0.9876, 1.5432)"],
)
def test_values_that_are_no_coordinates_pass(value):
    assert identifier_kind(value) != "gps"


@pytest.mark.parametrize("column", ["home_location", "notes"])
def test_gps_column_is_refused_and_masked(tmp_path, capsys, column):
    rows = _cohort_rows()
    rows[0].append(column)
    for i, r in enumerate(rows[1:]):
        r.append("48.85837, 2.29448" if i == 0 else "")
    path = _write(tmp_path / "c.csv", rows)
    code, out, err = call_cli(["validate", str(path)], capsys)
    assert code != 0 and f"column {column}" in out and "Traceback" not in out + err
    assert "48.85837" not in out + err and "2.29448" not in out + err


# ------------------------------------------------------------------ 6. national numbers
@pytest.mark.parametrize(
    "value, kind",
    [
        ("DNI 30.123.456", "dot-thousands"),
        ("30.123.456", "dot-thousands"),
        ("1.020.304.050", "digit-groups"),
        ("Springfield, IL 62704", "us-zip"),
        ("lives at D02 X285", "eircode"),
        ("D02 X285", "eircode"),
        ("passport C01X00T47", "passport"),
    ],
)
def test_more_national_numbers_are_found(value, kind):
    assert identifier_kind(value) == kind


@pytest.mark.parametrize("value", ["30.123.456", "1.020.304.050"])
def test_dot_grouped_numbers_are_refused_as_ids(value):
    assert identifier_kind(value, in_id=True) is not None


@pytest.mark.parametrize(
    "value",
    ["1.020", "12.345", "platelets 150.000", "HBV DNA 1.234.567 IU/ml", "Y90 TACE", "T12 N0M0"],
)
def test_clinical_values_are_no_national_numbers(value):
    assert identifier_kind(value) is None


def test_patient_id_of_dot_grouped_numbers_is_refused(tmp_path, capsys):
    rows = _cohort_rows()
    for i, r in enumerate(rows[1:]):
        r[0] = f"30.{123 + i:03d}.456"
    path = _write(tmp_path / "c.csv", rows)
    code, out, err = call_cli(["validate", str(path)], capsys)
    assert code != 0 and "patient_id" in out and "grouped by dots" in out
    assert "30.123.456" not in out + err and "Traceback" not in out + err


# ------------------------------------------------- 7. full-width ids are the same patient
def test_full_width_id_is_a_repeat(tmp_path, capsys):
    rows = _cohort_rows()
    rows[2][0] = "".join(chr(ord(c) + 0xFEE0) for c in rows[1][0])  # SYN001 in full width
    path = _write(tmp_path / "c.csv", rows)
    code, out, err = call_cli(["validate", str(path)], capsys)
    assert code != 0 and "Traceback" not in out + err
    assert "differ only in letter case or character width" in out
    assert "line 3: same id but for letter case or character width as line 2" in out
    assert rows[1][0] not in out + err and rows[2][0] not in out + err
