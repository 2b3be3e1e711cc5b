"""Tests of analysis.privacy: the identifier guard, small-count suppression, user cohorts."""

from __future__ import annotations

import pandas as pd
import pytest
from test_cohort import HEADER, problems_of, valid_rows, write

from analysis import COHORT_CSV
from analysis.cohort import SCHEMA
from analysis.privacy import (
    find_identifiers,
    is_user_cohort,
    suppress_if_user_cohort,
    suppress_small_counts,
)


def with_column(tmp_path, name, values):
    rows = [{**r, name: v} for r, v in zip(valid_rows(), values, strict=True)]
    return write(tmp_path, rows, header=[*HEADER, name])


@pytest.mark.parametrize(
    ("column", "why"),
    [
        ("name", "a person's name"),
        ("Patient Name", "a person's name"),
        ("phone", "a phone number"),
        ("mobile_no", "a phone number"),
        ("rrn", "a national identity, passport or licence number"),
        ("jumin_no", "a national identity, passport or licence number"),
        ("birth_date", "a birth date"),
        ("DOB", "a birth date"),
        ("hospital_number", "a hospital, case or registration number"),
        ("MRN", "a hospital, case or registration number"),
        ("address", "an address"),
        ("email", "an e-mail address"),
        ("haic_start_date", "a calendar date"),
        ("주민등록번호", "a national identity, passport or licence number"),
    ],
)
def test_identifier_columns_are_refused_by_name(tmp_path, column, why):
    message, problems = problems_of(with_column(tmp_path, column, ["x"] * 4))
    assert (
        f"column {column}: looks like a direct identifier ({why}, by its name); refused" in message
    )
    assert [p.code for p in problems] == ["identifier"]


@pytest.mark.parametrize(
    ("value", "what"),
    [
        ("750101-1234567", "resident registration numbers"),
        ("7501011234567", "resident registration numbers"),
        ("010-1234-5678", "phone numbers"),
        ("02-2258-1234", "phone numbers"),
        ("someone@example.org", "e-mail addresses"),
        ("2015-03-04", "exact calendar dates"),
        ("04/03/2015", "exact calendar dates"),
        ("2015년 3월 4일", "exact calendar dates"),
        ("홍길동", "Korean (Hangul) text"),
    ],
)
def test_identifier_values_are_refused_in_any_column(tmp_path, value, what):
    message, problems = problems_of(with_column(tmp_path, "note", ["", value, "", ""]))
    assert f"column note: looks like a direct identifier (its values contain {what}" in message
    assert "line 3 (patient_id P002)" in message
    assert value not in message  # the identifier itself is never echoed
    assert [p.code for p in problems] == ["identifier"]


def test_patient_id_that_looks_like_a_registration_number(tmp_path):
    rows = valid_rows()
    rows[1]["patient_id"] = "12345678"
    message, problems = problems_of(write(tmp_path, rows))
    assert (
        "column patient_id: looks like a direct identifier (its values contain hospital registration numbers"
        in message
    )
    assert "12345678" not in message
    assert problems[0].code == "identifier"


def test_schema_columns_and_synthetic_ids_are_not_identifiers():
    frame = pd.DataFrame({name: ["1"] for name in SCHEMA.names})
    frame["patient_id"] = ["SYN001"]
    frame["height_cm"] = ["170.5"]
    assert find_identifiers(frame) == []


def test_numbers_are_not_mistaken_for_dates_or_phones():
    frame = pd.DataFrame(
        {"afp_ng_ml": ["348100", "12.03", "1.5", "2015"], "tumor_size_mm": ["72.5"] * 4}
    )
    assert find_identifiers(frame) == []


def test_is_user_cohort():
    assert is_user_cohort(None) is False
    assert is_user_cohort(COHORT_CSV) is False
    assert is_user_cohort(str(COHORT_CSV)) is False
    assert is_user_cohort("my-cohort.csv") is True


def test_suppress_small_counts_integer_and_n_percent_cells():
    table = pd.DataFrame(
        {
            "group": ["CR", "PR", "SD", "PD", "none"],
            "n": [4, 20, 22, 36, 0],
            "n (%)": ["4 (4.9)", "20 (24.4)", "22 (26.8)", "36 (43.9)", "0 (0.0)"],
            "median": [1.5, 2.5, 3.5, 4.5, 5.5],
        }
    )
    out = suppress_small_counts(table)
    assert out["n"].tolist() == ["<5", 20, 22, 36, 0]
    assert out["n (%)"].tolist() == ["<5", "20 (24.4)", "22 (26.8)", "36 (43.9)", "0 (0.0)"]
    assert out["median"].tolist() == [1.5, 2.5, 3.5, 4.5, 5.5]
    assert out["group"].tolist() == table["group"].tolist()
    assert out.attrs["suppressed"] == 2
    assert table["n"].tolist() == [4, 20, 22, 36, 0]  # the input is not modified


def test_suppress_small_counts_threshold_and_columns():
    table = pd.DataFrame({"a": [1, 9, 10], "b": [2, 3, 11]})
    assert suppress_small_counts(table, threshold=10, columns=["a"])["a"].tolist() == [
        "<10",
        "<10",
        10,
    ]
    assert suppress_small_counts(table, threshold=10, columns=["a"])["b"].tolist() == [2, 3, 11]
    assert suppress_small_counts(table, threshold=1).equals(table)


def test_suppress_if_user_cohort_leaves_the_books_tables_alone():
    table = pd.DataFrame({"n": [3, 79]})
    assert suppress_if_user_cohort(table, None)["n"].tolist() == [3, 79]
    assert suppress_if_user_cohort(table, "mine.csv")["n"].tolist() == ["<5", 79]


def test_no_allowed_category_value_or_column_name_looks_like_an_identifier():
    from analysis.privacy import identifier_kind

    for col in SCHEMA:
        assert identifier_kind(col.name) is None
        for value in col.allowed or ():
            assert identifier_kind(str(value)) is None, (col.name, value)


def test_masking_keeps_the_shape_and_never_the_value():
    from analysis.privacy import mask, printable, printable_id

    assert mask("850101-1234567") == "85****-*******"  # the example
    assert mask("someone@example.org") == "so*****@*******.***"
    assert mask("=1+1") == "=*+*"  # short values keep nothing
    assert printable_id("SYN001") == "SYN001"
    assert printable_id("John Smith") == "Jo** *****"
    assert printable_id("P001\nP002") == "P0**?****"
    assert printable("Vp5") == "'Vp5'"
    assert printable("x" * 50) == "'" + "x" * 40 + "'… (50 characters)"
