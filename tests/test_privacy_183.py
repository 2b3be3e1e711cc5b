"""A tester's pass over the privacy guard (session 183): what it found, pinned.

Identifiers in a cohort file's name got into the report (a French NIR written with spaces or
hyphens, a Brazilian CPF without separators, a name in Han characters or Hangul); names in
Cyrillic, Greek and Turkish letters passed as ids, column names and free text; a home's GPS
coordinates passed; some national numbers passed. The planted values are never printed.
"""

from __future__ import annotations

import shutil

import pytest
from test_cli_hostile import call_cli

from analysis import COHORT_CSV
from analysis.privacy import file_name_identifier

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
