"""Tests of analysis.privacy: the identifier guard, small-count suppression, user cohorts."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from test_cohort import HEADER, enough_rows, problems_of, valid_rows, write

from analysis import COHORT_CSV
from analysis.cohort import SCHEMA
from analysis.privacy import (
    COMPLEMENT_MARK,
    file_name_identifier,
    find_identifiers,
    glued_counts,
    hidden_counts,
    hidden_steps,
    is_user_cohort,
    suppress_if_user_cohort,
    suppress_small_counts,
)


def with_column(tmp_path, name, values):
    rows = [{**r, name: v} for r, v in zip(valid_rows(), values, strict=True)]
    return write(tmp_path, rows, header=[*HEADER, name])


#: Identifier headers in other languages and scripts (refused by the same rule as English ones).
HEADERS_IN_OTHER_LANGUAGES = [
    ("ФИО", "a person's name"),
    ("Ф.И.О.", "a person's name"),
    ("Имя", "a person's name"),
    ("Фамилия", "a person's name"),
    ("Отчество", "a person's name"),
    ("Nombre", "a person's name"),
    ("Nombre y apellidos", "a person's name"),
    ("Nazwisko", "a person's name"),
    ("Όνομα", "a person's name"),
    ("الاسم", "a person's name"),
    ("姓名", "a person's name"),
    ("Fecha de nacimiento", "a birth date"),
    ("F. nac.", "a birth date"),
    ("Data de nascimento", "a birth date"),
    ("Data di nascita", "a birth date"),
    ("Date de naissance", "a birth date"),
    ("Geboortedatum", "a birth date"),
    ("Geb.-Datum", "a birth date"),
    ("Fødselsdato", "a birth date"),
    ("Doğum tarihi", "a birth date"),
    ("Дата рождения", "a birth date"),
    ("تاريخ الميلاد", "a birth date"),
    ("出生日期", "a birth date"),
    ("Date of birth", "a birth date"),
    ("DateOfBirth", "a birth date"),
    ("Birth_Date", "a birth date"),
    ("DOB (dd/mm/yyyy)", "a birth date"),
    ("bdate", "a birth date"),
    ("NRIC", "a national identity, passport or licence number"),
    ("NRIC/FIN", "a national identity, passport or licence number"),
    ("MyKad", "a national identity, passport or licence number"),
    ("IC No", "a national identity, passport or licence number"),
    ("HKID", "a national identity, passport or licence number"),
    ("RUT", "a national identity, passport or licence number"),
    ("CURP", "a national identity, passport or licence number"),
    ("Cédula", "a national identity, passport or licence number"),
    ("NSS", "a national identity, passport or licence number"),
    ("СНИЛС", "a national identity, passport or licence number"),
    ("Паспорт", "a national identity, passport or licence number"),
    ("MRN", "a hospital, case or registration number"),
    ("NHC", "a hospital, case or registration number"),
    ("Nº historia", "a hospital, case or registration number"),
    ("Historia clínica", "a hospital, case or registration number"),
    ("No. expediente", "a hospital, case or registration number"),
    ("Prontuário", "a hospital, case or registration number"),
    ("Номер истории болезни", "a hospital, case or registration number"),
    ("住院号", "a hospital, case or registration number"),
    ("Dirección", "an address"),
    ("Адрес", "an address"),
    ("Teléfono", "a phone number"),
    ("Celular", "a phone number"),
    ("Телефон", "a phone number"),
    ("Correo electrónico", "an e-mail address"),
    ("Fecha de ingreso", "a calendar date"),
]


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
        *HEADERS_IN_OTHER_LANGUAGES,
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
    assert "line 3" in message
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


def test_hospital_numbers_that_pass_luhn_by_chance_are_not_called_insurance_numbers(tmp_path):
    """A patient_id of consecutive 9-digit hospital numbers was refused as holding "Canadian
    social insurance numbers, hospital registration numbers": one number in ten passes Luhn's
    check digit by chance. Only the hospital numbers are named; a column of numbers that all
    pass it still reads as insurance numbers."""
    rows = valid_rows() * 6
    for i, row in enumerate(rows):
        row["patient_id"] = str(881234520 + i)
    message, _ = problems_of(write(tmp_path, rows))
    assert (
        "its values contain hospital registration numbers (7 or more digits)); refused" in message
    )
    assert "social insurance" not in message
    # a valid SIN (Luhn), the Government of Canada's example
    message, _ = problems_of(with_column(tmp_path, "note", ["", "046 454 286", "", ""]))
    assert "Canadian social insurance numbers" in message


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


RESPONSE_GROUPS = [["CR", "PR", "SD", "PD"]]
RESPONSE_SUMS = {"ORR": ["CR", "PR"], "DCR": ["CR", "PR", "SD"]}


def _recoverable(counts, hidden, groups, sums, n):
    """Hidden counts that one subtraction gives back: a group (adding up to ``n``) or a sum with
    exactly one hidden member; or hidden parts of a known total adding up to 1-4."""
    found = set()
    constraints = [(g, None, n) for g in groups] + [(p, t, None) for t, p in sums.items()]
    for parts, total, fixed in constraints:
        members = parts + ([total] if total else [])
        shut = [m for m in members if m in hidden]
        if len(shut) == 1:
            found.add(shut[0])
        if total is None or total not in hidden:
            known = (fixed if total is None else counts[total]) - sum(
                counts[m] for m in parts if m not in hidden
            )
            if 0 < known < 5:
                found.add(tuple(shut))
    return found


def test_hidden_counts_orr_cr_pr():
    """Tester: on 82 patients CR read "<5" beside ORR 24 and PR 20, so CR = 24 - 20 = 4."""
    counts = {"CR": 4, "PR": 20, "SD": 40, "PD": 18, "ORR": 24, "DCR": 64}
    hidden = hidden_counts(counts, groups=RESPONSE_GROUPS, sums=RESPONSE_SUMS)
    assert hidden == {"CR": "<5", "PR": COMPLEMENT_MARK}
    assert not _recoverable(counts, hidden, RESPONSE_GROUPS, RESPONSE_SUMS, 82)
    # without the sums the whole-distribution rule alone hides PD (the next smallest), and the
    # ORR beside PR would still give CR back: the sums are needed
    alone = hidden_counts(counts, groups=RESPONSE_GROUPS)
    assert alone == {"CR": "<5", "PD": COMPLEMENT_MARK}
    assert "CR" in _recoverable(counts, alone, RESPONSE_GROUPS, RESPONSE_SUMS, 82)


def test_hidden_counts_binary_variable_and_zero_levels():
    assert hidden_counts({"M": 78, "F": 4}, groups=[["M", "F"]]) == {
        "F": "<5",
        "M": COMPLEMENT_MARK,
    }
    assert hidden_counts({"M": 82, "F": 0}, groups=[["M", "F"]]) == {}  # 0 is shown, not small
    assert hidden_counts({"M": 40, "F": 42}, groups=[["M", "F"]]) == {}
    # a zero level is never the complement (it is shown and tells nothing)
    levels = {"A": 0, "B": 3, "C": 50, "D": 29}
    assert hidden_counts(levels, groups=[list(levels)]) == {"B": "<5", "D": COMPLEMENT_MARK}
    assert hidden_counts({"M": 78, "F": 4}, groups=[["M", "F"]], threshold=1) == {}


@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(0, 30), min_size=4, max_size=4))
def test_no_hidden_response_count_is_recoverable_by_subtraction(parts):
    counts = dict(zip(["CR", "PR", "SD", "PD"], parts, strict=True))
    counts["ORR"] = counts["CR"] + counts["PR"]
    counts["DCR"] = counts["ORR"] + counts["SD"]
    n = sum(parts)
    hidden = hidden_counts(counts, groups=RESPONSE_GROUPS, sums=RESPONSE_SUMS)
    small = {k for k, v in counts.items() if 0 < v < 5}
    assert small <= set(hidden)
    assert all(hidden[k] == "<5" for k in small)
    assert all(counts[k] > 0 for k in hidden)  # a zero is never hidden
    if n >= 10:  # a cohort of 10 or more (smaller ones are refused)
        assert not _recoverable(counts, hidden, RESPONSE_GROUPS, RESPONSE_SUMS, n), (counts, hidden)


def test_suppress_small_counts_groups():
    sex = pd.DataFrame({"n (%)": ["78 (95.1)", "4 (4.9)"]}, index=["M", "F"])
    out = suppress_small_counts(sex, groups="columns")
    assert out["n (%)"].tolist() == [COMPLEMENT_MARK, "<5"]
    assert (out.attrs["suppressed"], out.attrs["complementary"]) == (2, 1)
    cut = pd.DataFrame({"n (≤ c)": [3, 30, 79], "n (> c)": [79, 52, 3]})
    assert suppress_small_counts(cut, groups="rows").values.tolist() == [
        ["<5", COMPLEMENT_MARK],
        [30, 52],
        [COMPLEMENT_MARK, "<5"],
    ]
    cross = pd.DataFrame({"A": [10, 3], "B": [20, 30]})  # margins shown: both directions
    assert suppress_small_counts(cross, groups="both").values.tolist() == [
        [COMPLEMENT_MARK, COMPLEMENT_MARK],
        ["<5", COMPLEMENT_MARK],
    ]
    flags = pd.DataFrame({"n": [80, 41, 3]})
    assert suppress_small_counts(flags, out_of=82)["n"].tolist() == [COMPLEMENT_MARK, 41, "<5"]
    assert suppress_small_counts(flags)["n"].tolist() == [80, 41, "<5"]  # default: as before
    assert suppress_if_user_cohort(sex, None, groups="columns").equals(sex)  # the book's cohort


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 40), st.integers(0, 40), st.integers(0, 40)),
        min_size=1,
        max_size=5,
    )
)
def test_landmark_rows_give_no_small_count_back(rows):
    """Chapter 9's landmark tables: alive, exposed by then and events after the landmark, with
    alive = exposed + not exposed = events + no event; neither side of either split, the
    unprinted one included, may be worked out as 1-4 from what the table shows."""
    table = pd.DataFrame(
        [(a, min(e, a), min(d, a)) for a, e, d in rows], columns=["alive", "exposed", "events"]
    )
    out = suppress_small_counts(table, out_of="alive")
    for (_, row), (_, shown) in zip(table.iterrows(), out.iterrows(), strict=True):
        for c in ("alive", "exposed", "events"):  # primary: 1-4 never shown
            assert (shown[c] == "<5") == (0 < row[c] < 5), (row.tolist(), shown.tolist())
        if isinstance(shown["alive"], str):  # alive 1-4: every part is 0 or hidden
            assert all(shown[c] in (0, "<5") for c in ("exposed", "events"))
            continue
        for c in ("exposed", "events"):  # alive shown: the other side is not 1-4 beside it
            if not isinstance(shown[c], str):
                assert not 0 < row["alive"] - row[c] < 5, (row.tolist(), shown.tolist())
    plain = suppress_small_counts(table, columns=["alive", "exposed", "events"])  # as before
    assert (plain == "hidden").to_numpy().sum() == 0


def test_landmark_table_complements():
    table = pd.DataFrame(
        {"alive": [12, 9, 40, 3], "exposed": [3, 7, 37, 3], "events": [10, 2, 20, 0]}
    )
    out = suppress_small_counts(table, out_of="alive")
    assert out.values.tolist() == [
        [12, "<5", COMPLEMENT_MARK],  # 12 alive, 3 exposed ("<5"); 12 - 10 = 2 with no event
        [9, COMPLEMENT_MARK, "<5"],  # 9 - 7 = 2 not exposed
        [40, COMPLEMENT_MARK, 20],  # 40 - 37 = 3
        ["<5", "<5", 0],
    ]
    assert (out.attrs["suppressed"], out.attrs["complementary"]) == (7, 3)


def _steps_shown(values, shown, before=None, after=None):
    """The steps a reader works out: between successive shown counts and the known bounds."""
    known = [before] if before is not None else []
    known += [v for v, s in zip(values, shown, strict=True) if not isinstance(s, str)]
    known += [after] if after is not None else []
    return [abs(b - a) for a, b in zip(known, known[1:], strict=False)]


def test_hidden_steps_hand_computed():
    """Reviewer's cases: n(≤ 5) - n(≤ 4) = 1 patient with exactly 5 prior TACE; alive 14 then 11
    at two landmarks (3 deaths between them); exposed 6 then 8 (2 more)."""
    assert hidden_steps([20, 30, 31, 50]) == {2}
    assert hidden_steps([14, 11], before=20) == {1}
    assert hidden_steps([14, 11], before=16) == {0}  # 16 - 14 = 2; then 16 - 11 = 5 is shown
    assert hidden_steps([6, 8]) == {1}
    assert hidden_steps([40, 30, 20], before=82, after=0) == set()
    assert hidden_steps([80], before=82) == {0}
    assert hidden_steps([10, 12], hidden={0}) == {0}  # the hidden row is no step's end
    assert hidden_steps([1, 2, 3], threshold=1) == set()
    assert hidden_steps([None, 10, None, 12]) == {3}  # rows without a count are skipped


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.integers(0, 30), min_size=1, max_size=6),
    st.integers(0, 40),
)
def test_hidden_steps_leave_no_small_step_between_shown_counts(steps, extra):
    """Cumulative counts n(≤ c) of N patients for successive cut-offs, with both sides of each
    cut-off: no count of 1-4 and no difference of 1-4 between neighbouring shown rows (or with 0
    and N) is left for a reader to work out."""
    low = list(np.cumsum(steps))
    n = int(low[-1]) + extra
    assume(n >= 5)  # a cohort of 1-4 is its own small count (N is shown)
    table = pd.DataFrame({"low": low, "high": [n - v for v in low]})
    out = suppress_small_counts(table, groups="rows", steps={"low": (0, n), "high": (n, 0)})
    for column, bounds in (("low", (0, n)), ("high", (n, 0))):
        values = table[column].tolist()
        shown = out[column].tolist()
        for step in _steps_shown(values, shown, *bounds):
            assert not 0 < step < 5, (table.values.tolist(), out.values.tolist())
    for (_, row), (_, shown) in zip(table.iterrows(), out.iterrows(), strict=True):
        assert isinstance(shown["low"], str) == isinstance(shown["high"], str), row.tolist()
    plain = suppress_small_counts(table, groups="rows")  # without steps: as before
    assert (plain.values == suppress_small_counts(table, groups="rows", steps=()).values).all()


def test_landmark_steps_against_n_and_the_next_landmark():
    """Alive 14 then 11 of 20 patients (3 deaths between the landmarks): one of them goes, and
    with it the counts out of it; N - alive at the first landmark is a step too."""
    table = pd.DataFrame({"alive": [14, 11], "exposed": [6, 6], "events": [9, 6]})
    out = suppress_small_counts(
        table, out_of="alive", steps={"alive": (20, None), "events": (None, None)}
    )
    assert out["alive"].tolist() == [14, COMPLEMENT_MARK]
    for values, shown in ((table["alive"], out["alive"]), (table["events"], out["events"])):
        assert not any(0 < s < 5 for s in _steps_shown(values.tolist(), shown.tolist()))
    out = suppress_small_counts(table, out_of="alive", steps={"alive": (16, None)})
    assert out["alive"].tolist() == [COMPLEMENT_MARK, 11]  # 16 - 14 = 2; 16 - 11 = 5


def test_hidden_counts_with_fixed_table_cells():
    """A glued count beside a table whose cells are already decided: only the glued one moves."""
    counts = {"a": 3, "b": 20, "c": 30, "sum": 53}
    marks = hidden_counts(
        counts, sums={"sum": ["a", "b", "c"]}, hidden={"a": "<5"}, keep=["b", "c"]
    )
    assert marks == {"a": "<5", "sum": COMPLEMENT_MARK}
    # two hidden cells adding up to 5 or more: the sum may be shown
    marks = hidden_counts(
        {"a": 3, "b": 9, "c": 30, "sum": 42},
        sums={"sum": ["a", "b", "c"]},
        hidden={"a": "<5", "b": COMPLEMENT_MARK},
        keep=["c"],
    )
    assert marks == {"a": "<5", "b": COMPLEMENT_MARK}
    # a kept cell is never picked, even when small (the table shows what it shows)
    assert hidden_counts({"x": 2, "y": 30}, groups=[["x", "y"]], keep=["x", "y"]) == {}


def test_glued_counts():
    assert glued_counts({"k": 3, "m": 0, "n": 1234}, user=False) == {
        "k": "3",
        "m": "0",
        "n": "1,234",  # thousands separators, as every count prints (formatting.count)
    }
    assert glued_counts({"k": 3, "m": 0, "n": 50}, user=True) == {"k": "<5", "m": "0", "n": "50"}
    # k of N: N - k small hides k; a count of N is shown
    assert glued_counts({"k": 80, "j": 40}, user=True, out_of=82) == {
        "k": COMPLEMENT_MARK,
        "j": "40",
    }
    # deaths and censored of N patients (both glued)
    texts = glued_counts({"deaths": 11, "censored": 2}, user=True, groups=[["deaths", "censored"]])
    assert texts == {"deaths": COMPLEMENT_MARK, "censored": "<5"}
    # a glued total beside a table column with one hidden cell
    texts = glued_counts(
        {"a": 3, "b": 20, "sum": 23},
        user=True,
        sums={"sum": ["a", "b"]},
        hidden={"a": "<5"},
        keep=["b"],
    )
    assert texts["sum"] == COMPLEMENT_MARK and texts["b"] == "20"
    assert glued_counts({"k": 3}, user=True, threshold=3) == {"k": "3"}


def test_no_allowed_category_value_or_column_name_looks_like_an_identifier():
    from analysis.privacy import identifier_kind

    for col in SCHEMA:
        assert identifier_kind(col.name) is None
        for value in col.allowed or ():
            assert identifier_kind(str(value)) is None, (col.name, value)


def test_masking_keeps_nothing_of_the_value():
    from analysis.privacy import MASKED, mask, printable, printable_id

    assert MASKED == "[masked]"
    assert mask("850101-1234567") == mask("someone@example.org") == mask("=1+1") == MASKED
    assert printable_id("SYN001") == "SYN001"
    assert printable_id("John Smith") == printable_id("P001\nP002") == MASKED
    assert printable("Vp5") == "'Vp5'"
    assert printable("x" * 50) == "'" + "x" * 40 + "'… (50 characters)"


# --------------------------------------------------------------------------------------------
# Formats added after review: IBAN, UK postcodes, US ZIP+4, Aadhaar, more id column names.
# Check digits are computed here by independent implementations (integer arithmetic on the
# ISO 13616 rearrangement in chunks; Verhoeff from the dihedral group D5, not from tables)
# and checked against published examples.
# --------------------------------------------------------------------------------------------
def iban_check_digits(country: str, bban: str) -> str:
    """ISO 13616 check digits: 98 - (BBAN + country + "00" as digits) mod 97, by ISO 7064
    piecewise reduction (nine digits at a time)."""
    text = "".join(str(int(c, 36)) for c in (bban + country).upper()) + "00"
    rest = 0
    for i in range(0, len(text), 9):
        rest = int(str(rest) + text[i : i + 9]) % 97
    return f"{98 - rest:02d}"


def _d5(a: int, b: int) -> int:
    """Product in the dihedral group D5 as Verhoeff numbered it (0-4 rotations, 5-9 flips)."""
    if a < 5:
        return (a + b) % 5 + (0 if b < 5 else 5)
    return (a - b) % 5 + (5 if b < 5 else 0)


_P1 = (1, 5, 7, 6, 2, 8, 3, 0, 9, 4)


def _perm(i: int, digit: int) -> int:
    for _ in range(i % 8):
        digit = _P1[digit]
    return digit


def verhoeff_complete(body: str) -> str:
    """``body`` with its Verhoeff check digit appended (the one making the total 0)."""
    for check in "0123456789":
        c = 0
        for i, ch in enumerate(reversed(body + check)):
            c = _d5(c, _perm(i, int(ch)))
        if c == 0:
            return body + check
    raise AssertionError(body)


def test_independent_check_digit_generators_reproduce_published_examples():
    # ECBS / Wikipedia IBAN examples; Verhoeff's worked example 236 -> 2363 (Wikipedia)
    assert iban_check_digits("GB", "WEST12345698765432") == "82"
    assert iban_check_digits("DE", "370400440532013000") == "89"
    assert iban_check_digits("NL", "ABNA0417164300") == "91"
    assert verhoeff_complete("236") == "2363"
    assert verhoeff_complete("12345") == "123451"
    # test Aadhaar numbers of UIDAI's authentication sandbox
    assert verhoeff_complete("99994105705") == "999941057058"
    assert verhoeff_complete("99997165884") == "999971658847"


IBANS = [
    "GB82 WEST 1234 5698 7654 32",
    "GB82WEST12345698765432",
    "DE89 3704 0044 0532 0130 00",
    "DE89370400440532013000",
    "FR14 2004 1010 0505 0001 3M02 606",
    "NL91 ABNA 0417 1643 00",
    "BE68 5390 0754 7034",
    "CH93 0076 2011 6238 5295 7",
    "NO93 8601 1117 947",
    "MT84 MALT 0110 0001 2345 MTLC AST0 01S",
    "IT60 X054 2811 1010 0000 0123 456",
    "ES91 2100 0418 4502 0005 1332",
    "NL" + iban_check_digits("NL", "RABO0300065264") + "RABO0300065264",
]


@pytest.mark.parametrize("value", IBANS)
def test_iban_is_found_with_or_without_spaces(value):
    from analysis.privacy import identifier_kind

    assert identifier_kind(value) == "iban"
    assert identifier_kind(value, in_id=True) == "iban"
    assert identifier_kind(f"paid from {value} on admission") == "iban"


@pytest.mark.parametrize(
    "value",
    [
        "GB83 WEST 1234 5698 7654 32",  # check digits off by one
        "DE88370400440532013000",
        "NL91 ABNA 0417 1643 01",  # last digit changed
        "GB82 WEST 1234 5698 7654 3",  # GB is 22 characters, not 21
        "XX82 WEST 1234 5698 7654 32",  # not a country of the IBAN registry
    ],
)
def test_iban_needs_a_valid_check_and_length(value):
    from analysis.privacy import identifier_kind

    assert identifier_kind(value) != "iban"


@pytest.mark.parametrize(
    "value", ["SW1A 1AA", "M1 1AE", "B33 8TH", "EC1A 1BB", "W1A 0AX", "CR2 6XH", "DN55 1PT"]
)
def test_uk_postcode_is_found(value):
    from analysis.privacy import identifier_kind

    assert identifier_kind(value) == "uk-postcode"
    assert identifier_kind(value, in_id=True) == "uk-postcode"
    assert identifier_kind(f"moved to {value} in May") == "uk-postcode"


@pytest.mark.parametrize("value", ["12345-6789", "90210-1234", "lives in CA 94105-1804"])
def test_us_zip_plus_4_is_found(value):
    from analysis.privacy import identifier_kind

    assert identifier_kind(value) == "zip4"


@pytest.mark.parametrize(
    "value",
    [
        "12345",  # a bare ZIP code is a number like any laboratory value
        "90210",
        "1234-5678",  # 4-4 digits: a range or a local number; not flagged
        "1200-1500",
        "10000-20000",
        "12345-67890",
        "00000-1234",
        "T2N0M0",  # TNM stage
        "T2 N0 M0",
        "S4 2nd lesion",  # liver segment, lower case
        "C3 4TH",  # C is no UK postcode area
        "A1 1AA",  # nor is A
        "M1 1CA",  # C never ends a postcode
        "Vp3",
        "BCLC B",
        "HbA1c 6.5",
        "grade 2-3",
        "12.5",
    ],
)
def test_postcode_zip_and_iban_rules_leave_clinical_values_alone(value):
    from analysis.privacy import identifier_kind

    assert identifier_kind(value) not in ("uk-postcode", "zip4", "iban", "aadhaar")


AADHAAR = [verhoeff_complete(b) for b in ("23456789012", "49182736450", "99994105705")]


@pytest.mark.parametrize("number", AADHAAR)
def test_aadhaar_is_found_in_its_spellings(number):
    from analysis.privacy import identifier_kind

    for spelled in (
        number,
        f"{number[:4]} {number[4:8]} {number[8:]}",
        f"{number[:4]}-{number[4:8]}-{number[8:]}",
    ):
        assert identifier_kind(spelled) == "aadhaar", spelled
        assert identifier_kind(spelled, in_id=True) == "aadhaar", spelled
    spaced = f"{number[:4]} {number[4:8]} {number[8:]}"
    assert identifier_kind(f"Aadhaar: {spaced}") == "aadhaar"  # named in the cell


@pytest.mark.parametrize("number", AADHAAR)
def test_three_four_digit_numbers_inside_other_text_are_no_aadhaar(number):
    """A list of values in a free-text cell ("AFP 2345 6789 0124 over three visits") passes
    Verhoeff's check one time in ten: inside other text, without the word, it is not flagged."""
    from analysis.privacy import identifier_kind

    spaced = f"{number[:4]} {number[4:8]} {number[8:]}"
    assert identifier_kind(f"AFP {spaced} over three visits") != "aadhaar"
    assert identifier_kind(f"doses {spaced}") != "aadhaar"


def test_aadhaar_needs_its_verhoeff_digit_and_a_first_digit_from_2_to_9():
    from analysis.privacy import identifier_kind

    number = AADHAAR[0]
    wrong = number[:-1] + str((int(number[-1]) + 1) % 10)
    assert identifier_kind(wrong) == "digits"  # still a long digit run, not an Aadhaar
    # spaced as a card prints it, a whole cell of twelve digits is still refused, as digit
    # groups (a Japanese My Number is 4-4-4 too), not as an Aadhaar
    assert identifier_kind(f"{wrong[:4]} {wrong[4:8]} {wrong[8:]}") == "digit-groups"
    low = verhoeff_complete("1" + number[1:11])
    assert identifier_kind(f"{low[:4]} {low[4:8]} {low[8:]}") == "digit-groups"
    swapped = number[:3] + number[4] + number[3] + number[5:]  # Verhoeff catches transpositions
    if swapped != number:
        assert identifier_kind(swapped) != "aadhaar"


@pytest.mark.parametrize(
    ("value", "what"),
    [
        ("GB82 WEST 1234 5698 7654 32", "bank account numbers (IBAN)"),
        ("SW1A 1AA", "UK postcodes"),
        ("12345-6789", "US ZIP+4 codes"),
        (AADHAAR[0][:4] + " " + AADHAAR[0][4:8] + " " + AADHAAR[0][8:], "Indian Aadhaar numbers"),
    ],
)
def test_new_formats_are_refused_with_one_masked_line(tmp_path, value, what):
    message, problems = problems_of(with_column(tmp_path, "note", ["", value, "", ""]))
    assert f"column note: looks like a direct identifier (its values contain {what}" in message
    assert "line 3" in message
    assert value not in message
    assert value.replace(" ", "") not in message.replace(" ", "")
    assert [p.code for p in problems] == ["identifier"]


@pytest.mark.parametrize(
    ("column", "why"),
    [
        ("pid", "a hospital, case or registration number"),
        ("PID", "a hospital, case or registration number"),
        ("Pt#", "a hospital, case or registration number"),
        ("pt_no", "a hospital, case or registration number"),
        ("patient#", "a hospital, case or registration number"),
        ("Patient No.", "a hospital, case or registration number"),
        ("pt_id", "a hospital, case or registration number"),
        ("PtID", "a hospital, case or registration number"),
        ("pat_id", "a hospital, case or registration number"),
        ("patno", "a hospital, case or registration number"),
        ("MR#", "a hospital, case or registration number"),
        ("MR No", "a hospital, case or registration number"),
        ("mr_number", "a hospital, case or registration number"),
        ("MRN#", "a hospital, case or registration number"),
        ("med_rec_no", "a hospital, case or registration number"),
        ("MedRec", "a hospital, case or registration number"),
        ("medrecnum", "a hospital, case or registration number"),
        ("chart#", "a hospital, case or registration number"),
        ("hosp#", "a hospital, case or registration number"),
        ("case#", "a hospital, case or registration number"),
        ("IPP", "a hospital, case or registration number"),
        ("UR No.", "a hospital, case or registration number"),
        ("URN", "a hospital, case or registration number"),
        ("Numéro de dossier", "a hospital, case or registration number"),
        ("Fallnummer", "a hospital, case or registration number"),
        ("Patienten-Nr", "a hospital, case or registration number"),
        ("IBAN", "a health-plan or account number"),
        ("aadhar_no", "a national identity, passport or licence number"),
        ("zip4", "an address"),
        ("nombre", "a person's name"),
        ("apellidos", "a person's name"),
        ("cognome", "a person's name"),
    ],
)
def test_more_identifier_column_names_are_refused(tmp_path, column, why):
    message, _ = problems_of(with_column(tmp_path, column, ["x"] * 4))
    assert (
        f"column {column}: looks like a direct identifier ({why}, by its name); refused" in message
    )


@pytest.mark.parametrize(
    "column",
    [
        "PT",
        "pt_sec",
        "pt_inr",
        "MR",
        "# of cycles",
        "n_lesions",
        "subject_id",
        "study_id",
        "site",
        "urea",
        "dose_given",
        "family_history",
        "nombre_cycles",  # French "nombre": a number, not a name
        "Nombre de cures",
    ],
)
def test_clinical_column_names_are_not_refused(column):
    from analysis.privacy import _name_reason

    assert _name_reason(column) is None


def test_one_word_names_in_a_name_column_are_refused_by_the_header():
    """A one-word name ("Smith") is refused through its column's name; in other columns a
    single capitalised word is not read as a name (a drug, a place, a category)."""
    frame = pd.DataFrame({"patient_id": ["P001", "P002"], "surname": ["Smith", "Nguyen"]})
    [problem] = find_identifiers(frame)
    assert problem.column == "surname" and "a person's name, by its name" in problem.rule
    frame = pd.DataFrame({"patient_id": ["P001", "P002"], "drug": ["Sorafenib", "Lenvatinib"]})
    assert find_identifiers(frame) == []


def test_the_synthetic_cohort_holds_no_identifier():
    from analysis.privacy import identifier_kind

    frame = pd.read_csv(COHORT_CSV, dtype=str, keep_default_na=False)
    assert find_identifiers(frame) == []
    for name in frame.columns:
        for value in frame[name]:
            assert identifier_kind(value, in_id=name == "patient_id") is None, (name, value)


def test_every_new_format_passes_the_cheap_prefilter():
    """A detector runs only on cells the pre-filter lets through (``candidate_mask``)."""
    from analysis.privacy import candidate_mask

    values = [
        *IBANS,
        *(v.replace(" ", "") for v in IBANS),
        "SW1A 1AA",
        "M1 1AE",
        "B33 8TH",
        "GIR 0AA",
        "12345-6789",
        *AADHAAR,
        *(f"{n[:4]} {n[4:8]} {n[8:]}" for n in AADHAAR),
    ]
    assert candidate_mask(np.array(values, dtype=object)).all()
    frame = pd.DataFrame({"patient_id": ["P001", "NL91ABNA0417164300"], "x": ["M1 1AE", ""]})
    assert [(p.column, p.rule) for p in find_identifiers(frame)] == [
        (
            "patient_id",
            "looks like a direct identifier (its values contain bank account numbers (IBAN)); refused",
        ),
        ("x", "looks like a direct identifier (its values contain UK postcodes); refused"),
    ]


IBAN_COUNTRIES = {"NO": 15, "BE": 16, "NL": 18, "DE": 22, "GB": 22, "FR": 27, "MT": 31, "LC": 32}


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(sorted(IBAN_COUNTRIES)), st.integers(0, 10**40), st.integers(0, 33))
def test_any_generated_iban_is_found_and_any_changed_digit_is_not(country, body, where):
    from analysis.privacy import identifier_kind

    bban = f"{body:040d}"[: IBAN_COUNTRIES[country] - 4]
    iban = country + iban_check_digits(country, bban) + bban
    grouped = " ".join(iban[i : i + 4] for i in range(0, len(iban), 4))
    assert identifier_kind(iban) == "iban"
    assert identifier_kind(grouped) == "iban"
    i = 2 + where % (len(iban) - 2)
    changed = iban[:i] + str((int(iban[i]) + 1) % 10) + iban[i + 1 :]
    assert identifier_kind(changed) != "iban"  # MOD 97-10 catches every single-digit error


@settings(max_examples=40, deadline=None)
@given(st.integers(2 * 10**10, 10**11 - 1), st.integers(0, 11))
def test_any_generated_aadhaar_is_found_and_any_changed_digit_is_not(body, where):
    from analysis.privacy import identifier_kind

    number = verhoeff_complete(str(body))
    assert identifier_kind(f"{number[:4]} {number[4:8]} {number[8:]}") == "aadhaar"
    changed = number[:where] + str((int(number[where]) + 3) % 10) + number[where + 1 :]
    assert identifier_kind(changed) != "aadhaar"  # Verhoeff catches every single-digit error


# --------------------------------------------------------------------------------------------
# Gaps found by a hostile review: names in one case and in other scripts, 7- and 8-digit
# hospital numbers, labelled record numbers, national ids of Singapore, Malaysia, Hong Kong,
# Chile and Mexico, full-width digits and invisible characters, column names in other
# languages, and type errors that echoed the offending cell. Check digits are computed here
# by independent implementations from the published algorithms.
# --------------------------------------------------------------------------------------------
def nric(prefix: str, digits: str) -> str:
    """Singapore NRIC/FIN with its check letter (ICA's weights 2 7 6 5 4 3 2; offsets 4 for
    T and G, 3 for M; the M series reads its table from the other end)."""
    total = sum(int(d) * w for d, w in zip(digits, [2, 7, 6, 5, 4, 3, 2], strict=True))
    total += 4 if prefix in "TG" else 3 if prefix == "M" else 0
    if prefix in "ST":
        return prefix + digits + "JZIHGFEDCBA"[total % 11]
    if prefix in "FG":
        return prefix + digits + "XWUTRQPNMLK"[total % 11]
    return prefix + digits + "KLJNPQRTUWX"[10 - total % 11]


def hkid(letters: str, digits: str) -> str:
    """Hong Kong identity card number with its check digit (a space counts 36, A-Z 10-35;
    weights 9 down to 2; 11 minus the remainder, 10 written A)."""
    values = [36] * (2 - len(letters)) + [10 + ord(c) - ord("A") for c in letters]
    values += [int(d) for d in digits]
    check = -sum(v * w for v, w in zip(values, range(9, 1, -1), strict=True)) % 11
    return f"{letters}{digits}({'A' if check == 10 else check})"


def rut(number: int) -> str:
    """Chilean RUT with dots and its modulo-11 check digit (weights 2-7 from the right)."""
    digits = str(number)
    total = sum(int(d) * (2 + i % 6) for i, d in enumerate(reversed(digits)))
    check = {10: "K", 11: "0"}.get(11 - total % 11, str(11 - total % 11))
    return f"{number:,}".replace(",", ".") + "-" + check


def test_id_generators_reproduce_published_examples():
    assert nric("S", "1234567") == "S1234567D"  # the format's usual example
    assert nric("T", "1234567") == "T1234567J"
    assert nric("F", "1234567") == "F1234567N"
    assert nric("G", "1234567") == "G1234567X"
    assert nric("M", "1234567") == "M1234567K"
    assert rut(12345678) == "12.345.678-5"
    assert hkid("A", "123456") == "A123456(3)"


def _in_extra_column(tmp_path, value, column="note"):
    return problems_of(with_column(tmp_path, column, ["", value, "", ""]))


@pytest.mark.parametrize(
    ("value", "what"),
    [
        ("john smith", "personal names"),
        ("JOHN SMITH", "personal names"),
        ("smith, john", "personal names"),
        ("maria garcia lopez", "personal names"),
        ("NGUYEN VAN AN", "personal names"),
        ("Иван Петров", "personal names"),
        ("ИВАНОВ ИВАН ИВАНОВИЧ", "personal names"),
        ("сидоров игорь петрович", "personal names"),  # a patronymic, whatever the names
        ("Петров И. С.", "personal names"),
        ("Smith J.", "personal names"),
        ("Κώστας Παπαδόπουλος", "personal names"),
        ("محمد علي", "Arabic-script text"),
        ("فاطمه رضایی", "Arabic-script text"),  # Persian
        ("עמית כהן", "Hebrew text"),
    ],
)
def test_names_in_one_case_and_in_other_scripts_are_refused(tmp_path, value, what):
    message, problems = _in_extra_column(tmp_path, value)
    assert f"column note: looks like a direct identifier (its values contain {what}" in message
    assert value not in message and value.split()[-1] not in message
    assert [p.code for p in problems] == ["identifier"]


@pytest.mark.parametrize(
    "value",
    [
        "lost to follow up",
        "tolerated well",
        "hbv related",
        "alcoholic cirrhosis",
        "refused further treatment",
        "park classification",  # an eponym is no name
        "Kim et al",
        "BCLC C.",
        "Hepatitis B.",
        "mild ascites",
        "Стабильное течение",  # sentence case Russian: not every word capitalised
    ],
)
def test_short_phrases_in_one_case_are_not_names(value):
    frame = pd.DataFrame({"patient_id": ["P001", "P002"], "note": [value, ""]})
    assert find_identifiers(frame) == []


@pytest.mark.parametrize("value", ["1234567", "12345678", "0012345", "１２３４５６７"])
def test_seven_and_eight_digit_hospital_numbers_are_refused_in_free_columns(tmp_path, value):
    message, problems = _in_extra_column(tmp_path, value)
    assert (
        "column note: looks like a direct identifier (its values contain hospital registration"
        in message
    )
    assert value not in message
    assert [p.code for p in problems] == ["identifier"]


def test_a_column_of_measurements_keeps_its_seven_digit_values(tmp_path):
    """HBV DNA in IU/mL among other values is a measurement, not a hospital number; a column of
    nothing but 7- and 8-digit numbers is a register of them; a leading zero never measures."""
    from analysis.cohort import load_cohort

    path = with_column(tmp_path, "hbv_dna_iu_ml", ["1234567", "350", "2.1e4", ""])
    assert load_cohort(path, min_patients=0)["hbv_dna_iu_ml"].tolist()[0] == "1234567"
    (tmp_path / "cohort.csv").unlink()
    message, _ = problems_of(with_column(tmp_path, "ref", ["1234567", "2345678", "", "34567890"]))
    assert "column ref: looks like a direct identifier" in message and "3 rows" in message
    (tmp_path / "cohort.csv").unlink()
    message, _ = problems_of(with_column(tmp_path, "lab", ["0123456", "350", "2.1", "12"]))
    assert "column lab: looks like a direct identifier" in message


def test_seven_digit_values_of_the_books_number_columns_are_measurements(tmp_path):
    """AFP of 1,234,567 ng/mL is high but a number (its physiological bound is 10⁷)."""
    from test_cohort import broken

    from analysis.cohort import load_cohort

    cohort = load_cohort(
        broken(tmp_path, line3={"afp_ng_ml": "1234567", "pivka2": "7654321"}), min_patients=0
    )
    assert cohort["afp_ng_ml"].iloc[1] == 1234567


@pytest.mark.parametrize(
    "value",
    [
        "MRN1234567",
        "MRN: 123456",
        "mrn-00123",
        "HN 654321",
        "Hosp. No. 123456",
        "hospital number 0012345",
        "chart # 45678",
        "Pt#98765",
        "Nº historia 12345",
        "transferred, MRN 7654321, on day 3",
        # Australian unit record numbers (UR, URN), 6 digits or more, with a space or a colon
        "UR 123456",
        "UR: 123456",
        "UR No. 123456",
        "URN 123456",
        "URN 1234567",
        "ur123456",
        # Indian inpatient, outpatient and central registration numbers, also as year/serial
        "IP No. 2023/12345",
        "IP No 12345",
        "IPD No 12345",
        "IPD No. 2023/12345",
        "OPD No. 2023/456",
        "UHID 12345678",
        "UHID: 2023/12345",
        "CR No 201234567",
        "CR No. 2012/34567",
        "IP no: 12345/2023",
        # a case number with a year and a serial, in a patient's own row, is the hospital's (or
        # a medico-legal) case number, an identifier; a study's own case count is short (Case
        # no. 12 passes) and its numbering lives in patient_id (Case 001)
        "Case no. 2023/456",
        "case no 2023/4567",
        "Case No: 456/2023",
    ],
)
def test_labelled_record_numbers_are_refused(tmp_path, value):
    message, _ = _in_extra_column(tmp_path, value)
    assert "its values contain record numbers named in the cell" in message
    assert value not in message


@pytest.mark.parametrize(
    "value",
    ["case 3", "Case no. 12", "cycle no 3", "AFP 12345", "HN0042", "NCT01234567", "ID 12345",
     "pt 12.5 sec", "dose no. 2",
     # UR, IP, OP, CR and OPD in their clinical senses, and short numbers after them
     "UR-01", "UR-001", "UR 12", "UR 3+", "ur 1200", "urine output 1200", "urine output 1200 ml",
     "urea 12345", "IP injection", "IP injection 2023", "IP 5 mg/kg", "IP no. 12/3",
     "OPD visit 12", "OPD follow-up 2023", "CR 12 months", "CR 12",
     "CR achieved after 3 cycles", "tumour size 45 mm", "Hb 12.5 g/dL", "PLT 150000",
     "dose no. 2023/123", "seen 12/2023", "adm no. 15/01"],
)  # fmt: skip
def test_clinical_text_with_numbers_is_no_record_number(value):
    from analysis.privacy import identifier_kind

    assert identifier_kind(value) is None


@pytest.mark.parametrize(
    ("value", "what"),
    [
        ("S1234567D", "Singapore NRIC/FIN numbers"),
        (nric("T", "0312345"), "Singapore NRIC/FIN numbers"),
        (nric("F", "9876543"), "Singapore NRIC/FIN numbers"),
        (nric("G", "2468013"), "Singapore NRIC/FIN numbers"),
        (nric("M", "5550123"), "Singapore NRIC/FIN numbers"),
        ("880101-14-5678", "Malaysian identity card numbers"),
        ("920315 08 1234", "Malaysian identity card numbers"),
        ("A123456(7)", "Hong Kong identity card numbers"),  # in parentheses: any check digit
        (hkid("XY", "987654"), "Hong Kong identity card numbers"),
        (hkid("A", "123456").replace("(", "").replace(")", ""), "Hong Kong identity card numbers"),
        ("12.345.678-5", "Chilean RUT numbers"),
        (rut(7654321), "Chilean RUT numbers"),
        (rut(20111222).replace(".", ""), "Chilean RUT numbers"),
        ("GODE561231HDFRRN09", "Mexican CURP codes"),
        ("BADD110313HCMLNS09", "Mexican CURP codes"),
        # hospital numbers with a prefix, float-formatted, labelled; masked Korean resident numbers
        ("H1234567", "hospital registration numbers"),
        ("K-12345678", "hospital registration numbers"),
        ("M12345678", "hospital registration numbers"),
        ("KR1234567", "hospital registration numbers"),
        ("RTH 1234567", "hospital registration numbers"),  # a prefix apart, in capitals
        ("RTH: 12345678", "hospital registration numbers"),
        ("12345678.0", "hospital registration numbers"),
        ("chart 12345678", "record numbers named in the cell"),
        ("ID: 12345678", "record numbers named in the cell"),
        ("850101-1******", "resident registration numbers"),
        ("850101-1", "resident registration numbers"),
        ("850101-*******", "resident registration numbers"),
        # Vietnamese citizen identity numbers (province 001 Hà Nội, 079 Hồ Chí Minh City): were
        # "phone numbers" (00 read as an international prefix) or "long digit runs"
        ("001085012345", "Vietnamese citizen identity numbers (CCCD)"),
        ("079203001234", "Vietnamese citizen identity numbers (CCCD)"),
        ("CCCD: 096190123456", "Vietnamese citizen identity numbers (CCCD)"),
    ],
)
def test_national_ids_of_more_countries_and_prefixed_or_masked_numbers_are_refused(
    tmp_path, value, what
):
    message, problems = _in_extra_column(tmp_path, value)
    assert f"column note: looks like a direct identifier (its values contain {what}" in message
    assert value not in message
    assert [p.code for p in problems] == ["identifier"]


@pytest.mark.parametrize(
    "value",
    [
        "S1234567A",  # check letter wrong
        "M1234567X",
        "A1234567",  # a bare HKID needs its check digit (A123456(3))
        "12.345.678-4",  # RUT check digit wrong
        "881301-14-5678",  # month 13: no MyKad
        "GODE561231HZZRRN09",  # ZZ is no Mexican state
        "003085012345",  # 003 is no Vietnamese province code
        "079503001234",  # century-and-sex digit 5: no one born yet
    ],
)
def test_id_shapes_that_fail_their_check_are_not_those_ids(value):
    from analysis.privacy import identifier_kind

    assert identifier_kind(value) not in ("nric", "hkid", "rut", "mykad", "curp", "vn-cccd")


@pytest.mark.parametrize(
    ("value", "what"),
    [
        ("８５０１０１－１２３４５６７", "resident registration numbers"),  # full-width
        ("850101\u00a01234567", "resident registration numbers"),  # no-break space
        ("850101-12\u200b34567", "resident registration numbers"),  # zero-width space
        ("٨٥٠١٠١-١٢٣٤٥٦٧", "resident registration numbers"),  # Arabic-Indic digits
        ("850101–1234567", "resident registration numbers"),  # en dash
        ("ｓｏｍｅｏｎｅ＠ｅｘａｍｐｌｅ．ｏｒｇ", "e-mail addresses"),
        ("０１０-１２３４-５６７８", "phone numbers"),
        ("Ｓ１２３４５６７Ｄ", "Singapore NRIC/FIN numbers"),
        ("jo\u200bhn sm\u200bith", "personal names"),
    ],
)
def test_unicode_disguises_are_normalised_before_matching(tmp_path, value, what):
    message, _ = _in_extra_column(tmp_path, value)
    assert f"its values contain {what}" in message
    assert value not in message


@pytest.mark.parametrize(
    "column",
    [
        "Edad", "Sexo", "Возраст", "Пол", "etiology", "hbv_dna", "historia_familiar", "rutina",
        "полисегментарный", "nascent", "run", "cp_class", "ic50", "hp_positive", "dn_ratio",
        "fin_status", "cns_mets", "dobutamine", "Lee index", "Park classification", "Kim score",
    ],
)  # fmt: skip
def test_clinical_column_names_in_other_languages_pass(column):
    from analysis.privacy import _header_is_name, _name_reason, identifier_kind

    assert _name_reason(column) is None
    assert not _header_is_name(column)
    assert identifier_kind(column, names=False) is None


def test_a_header_that_is_a_name_is_refused_masked(tmp_path):
    """A file without its header line reads the first patient's row as the header."""
    message, _ = problems_of(with_column(tmp_path, "JOHN SMITH", ["x"] * 4))
    assert "column [masked]: the column name itself contains personal names; refused" in message
    assert "JOHN" not in message and "SMITH" not in message


def test_a_duplicated_header_that_is_an_identifier_is_masked(tmp_path):
    rows = [{**r, "850101-1234567": "x"} for r in valid_rows()]
    path = write(tmp_path, rows, header=[*HEADER, "850101-1234567", "850101-1234567"])
    message, _ = problems_of(path)
    assert "850101-1234567" not in message and "[masked]" in message


# -- messages of type and category errors: the value only when it cannot be an identifier ----
@pytest.mark.parametrize(
    ("cells", "shown", "secret"),
    [
        ({"best_response": "john smith"}, "line 3: a 10-character text value", "john"),
        ({"sex": "JOHN SMITH"}, "line 3: a 10-character text value", "JOHN"),
        ({"afp_ng_ml": "john smith"}, "a 10-character text value, not a number", "john"),
        ({"afp_ng_ml": "Иван Петров"}, "an 11-character text value, not a number", "Иван"),
        ({"age_years": "abc"}, "a 3-character text value, not a whole number", "abc"),
        ({"os_event": "JS"}, "a 2-character text value, not 0 or 1", "JS"),  # initials
        ({"ascites": "smith"}, "a 5-character text value", "smith"),  # a surname alone
        ({"sex": "1234567"}, "a 7-digit number", "1234567"),
        ({"age_years": "1234567"}, "must be integer from 19 to 110 — 1 row: line 3: a 7-digit number", "1234567"),
        ({"os_event": "12345678"}, "must be 0 or 1 — 1 row: line 3: an 8-digit number", "12345678"),
        ({"tumor_number": "1234567.5"}, "a 9-character number, not a whole number", "1234567"),
        ({"pvtt": "S1234567D"}, "a 9-character text value", "S1234567D"),
    ],
)  # fmt: skip
def test_type_errors_describe_a_value_that_could_be_an_identifier(tmp_path, cells, shown, secret):
    from test_cohort import broken

    message, _ = problems_of(broken(tmp_path, line3=cells))
    assert shown in message
    assert secret not in message


@pytest.mark.parametrize(
    ("cells", "shown"),
    [
        ({"pvtt": "Vp5"}, "'Vp5'"),
        ({"sex": "male"}, "'male'"),
        ({"sex": "X"}, "'X'"),
        ({"ascites": "moderat"}, "'moderat'"),  # a letter away from "moderate"
        ({"encephalopathy": "grade5-6"}, "'grade5-6'"),
        ({"albumin_g_dl": "3,8"}, "'3,8'"),
        ({"crp_mg_l": "<0.1"}, "'<0.1'"),
        ({"afp_ng_ml": "high"}, "'high'"),
        ({"age_years": "61.5"}, "'61.5'"),
        ({"os_event": "yes"}, "'yes'"),
        ({"bilirubin_mg_dl": "1.2 mg/dL"}, "'1.2 mg/dL'"),
        ({"ast_u_l": "1234567"}, "a 7-digit number"),  # described, never 1.23457e+06
        ({"ast_u_l": "123456.78912"}, "123456.79"),  # plain decimal, eight significant digits
    ],
)
def test_type_errors_show_a_value_that_cannot_be_an_identifier(tmp_path, cells, shown):
    from test_cohort import broken

    message, _ = problems_of(broken(tmp_path, line3=cells))
    assert f"line 3: {shown}" in message


def test_echoable_and_shown_cell():
    from analysis.privacy import echoable, shown_cell

    for value in ("12.5", "-3", "1e3", "1_200", "inf", "n/a", "?", "<5", "≥ 10", "12 mg/dL", "5%"):
        assert echoable(value), value
    for value in ("john smith", "Smith", "JS", "1234567", "12 Main", "MRN 12345", "x" * 30, "a\nb"):
        assert not echoable(value), value
    assert shown_cell("0x1F", expected="not a number") == "a 4-character text value, not a number"
    assert shown_cell("grade3", allowed=["none", "grade1-2"]) == "a 6-character text value"


# --------------------------------------------------------------------------------------------
# A second hostile review: free-text notes refused as names (one case, Title Case clinical
# phrases), identifiers echoed in column names and in number messages, prefixed hospital numbers,
# masked resident numbers, romanised Korean names, titles, more header names, "None" as an id.
# --------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "value",
    [
        "uses walker", "moon face", "ANA speckled", "foster home", "piel rosa",
        "benh nhan on dinh", "dieu tri hieu qua", "lost to follow up", "john hopkins protocol",
    ],
)  # fmt: skip
def test_notes_in_one_case_with_a_listed_name_in_them_are_not_names(value):
    """A text in one case is a name only when every word is a listed name (or one is a
    patronymic): moon, foster, walker, ana, rosa, dinh and hieu are names, the notes are not."""
    frame = pd.DataFrame({"patient_id": ["P001", "P002"], "note": [value, ""]})
    assert find_identifiers(frame) == []


@pytest.mark.parametrize(
    "value",
    [
        "Hypertension, Diabetes", "Asthma, Gout", "Diabetes Mellitus", "Radiofrequency Ablation",
        "Microwave Ablation", "Nausea, Vomiting", "Fever, Chills", "Variceal Bleeding",
        "Pleural Effusion", "Nivolumab Ipilimumab", "Durvalumab Tremelimumab", "Budd Chiari",
        "Hickman Catheter", "Port Removal", "Femoral Approach", "Tolerated Well",
        "Common Hepatic Artery", "Spontaneous Bacterial Peritonitis", "Oxaliplatin Rechallenge",
    ],
)  # fmt: skip
def test_capitalised_clinical_phrases_are_not_names(value):
    frame = pd.DataFrame({"patient_id": ["P001", "P002"], "note": [value, ""]})
    assert find_identifiers(frame) == []


@pytest.mark.parametrize(
    "value",
    [
        "john smith", "JOHN SMITH", "иванов иван", "NGUYEN VAN AN", "Kim Ji-hoon", "Smith J.",
        "Seen by Dr Kim", "Lim Soo-jin", "Jung Ho-seok", "Oh Se-hoon", "Soo-jin Lim", "JUNG MINSU",
        "LIM, SOOJIN", "Mr. Tanaka", "Dr. García", "John Walker",
        # a common word or a place, with stronger evidence: a listed given name first, a comma,
        # two other listed names
        "John Hand", "Mary Good", "Peter Head", "Hand, John", "John White", "Sarah Young",
        "Nguyen Thi Thanh Hoa", "Tran Van Nam", "Kim J. Hand",
        # no common word: as before (kong, son, abu, white and french are not in the lists)
        "Grace Park", "Young Kim", "Wang Wei", "Le Van Long", "Son Heung-min", "Kong Ji-hoon",
        "Abu Bakr", "Walter White", "Dawn French",
        # romanised Korean names whose given name has a short word in it (in, a): were passed
        "Moon Jae-in", "Kim Su-a", "Kim Young-sam", "Park Young-hee",
    ],
)  # fmt: skip
def test_whole_names_romanised_korean_names_and_titles_are_refused(tmp_path, value):
    message, problems = _in_extra_column(tmp_path, value)
    assert (
        "column note: looks like a direct identifier (its values contain personal names" in message
    )
    assert value not in message
    names = [w for w in value.replace(",", " ").split() if len(w) > 2 and not w.endswith(".")]
    assert all(word not in message for word in names if word not in ("Seen",))
    assert [p.code for p in problems] == ["identifier"]


def test_the_stoplists_never_hold_a_listed_name():
    from analysis.privacy import _CLINICAL_WORDS, _COMMON_WORDS, _NAME_LEXICON, _NOT_NAME_WORDS

    assert not (_CLINICAL_WORDS | _COMMON_WORDS) & _NAME_LEXICON
    assert not {"john", "smith", "maria", "garcia", "kim", "lee", "nguyen"} & _NOT_NAME_WORDS


@pytest.mark.parametrize(
    "value",
    ["NCT01234567", "KCT0001234", "rs12345678", "AFP 1234567", "ID 12345", "850101",
     # a measurement's label before a long value, with a space, is no prefix of a number
     "DNA 1234567", "HBV 12345678", "PLT 1234567", "WBC 1234567", "IU 1234567", "n 1234567",
     "NCT 01234567"],
)  # fmt: skip
def test_registry_ids_and_labelled_values_are_no_hospital_numbers(value):
    from analysis.privacy import identifier_kind

    assert identifier_kind(value) is None


def test_a_measurement_column_of_long_whole_numbers_is_kept(tmp_path):
    """HBV DNA of 1234567, 5800000 and 12000000 IU/mL: the name says it measures; unnamed, the
    round values say so; distinct unround 7-8-digit numbers are still hospital numbers."""
    from analysis.cohort import load_cohort

    values = ["1234567", "5800000", "12000000", ""]
    assert (
        load_cohort(with_column(tmp_path, "hbv_dna_iu_ml", values), min_patients=0)[
            "hbv_dna_iu_ml"
        ][0]
        == "1234567"
    )
    (tmp_path / "cohort.csv").unlink()
    assert (
        load_cohort(with_column(tmp_path, "viral", values), min_patients=0)["viral"][2]
        == "12000000"
    )
    (tmp_path / "cohort.csv").unlink()
    message, _ = problems_of(with_column(tmp_path, "extra", ["1234567", "2345678", "", "34567891"]))
    assert "column extra: looks like a direct identifier" in message and "3 rows" in message


@pytest.mark.parametrize(
    ("column", "why"),
    [
        ("Unit No", "a hospital, case or registration number"),
        ("UR", "a hospital, case or registration number"),
        ("CRN", "a hospital, case or registration number"),
        ("SSN4", "a national identity, passport or licence number"),
        ("Mother's maiden", "a person's name"),
        ("Contact", "a phone number"),
        # headers that passed validate with values the book does not read
        ("Personnummer", "a national identity, passport or licence number"),
        ("CPR-nummer", "a national identity, passport or licence number"),
        ("Henkilötunnus", "a national identity, passport or licence number"),
        ("Burgerservicenummer", "a national identity, passport or licence number"),
        ("AHV-Nummer", "a national identity, passport or licence number"),
        ("Sozialversicherungsnummer", "a national identity, passport or licence number"),
        ("NI number", "a national identity, passport or licence number"),
        ("My Number", "a national identity, passport or licence number"),
        ("マイナンバー", "a national identity, passport or licence number"),
        ("フリガナ", "a person's name"),  # the voiced mark was folded away: フリカナ
        ("PAN number", "a national identity, passport or licence number"),
        ("PPS number", "a national identity, passport or licence number"),
        ("CPF", "a national identity, passport or licence number"),
        ("health card number", "a national identity, passport or licence number"),
        ("OHIP", "a national identity, passport or licence number"),
        ("환자번호", "a hospital, case or registration number"),
        ("date_of_death", "a calendar date"),
        ("DOD", "a calendar date"),
        # headers of German, Belgian and Japanese exports that passed validate
        ("Krankenversichertennummer", "a national identity, passport or licence number"),
        ("Personalausweisnummer", "a national identity, passport or licence number"),
        ("NISS", "a national identity, passport or licence number"),
        ("Rijksregisternummer", "a national identity, passport or licence number"),
        ("Numéro national", "a national identity, passport or licence number"),
        ("Mobilnummer", "a phone number"),
        ("Handynummer", "a phone number"),
        ("Wohnort", "an address"),
        ("患者ID", "a hospital, case or registration number"),
    ],
)
def test_more_identifier_headers_are_refused(tmp_path, column, why):
    message, problems = problems_of(with_column(tmp_path, column, ["x"] * 4))
    assert f"looks like a direct identifier ({why}, by its name); refused" in message
    assert [p.code for p in problems] == ["identifier"]


@pytest.mark.parametrize(
    "column", ["mobility_score", "immobile", "handgrip_kg", "national_guideline"]
)
def test_clinical_headers_near_the_german_ones_pass(column):
    from analysis.privacy import _name_reason

    assert _name_reason(column) is None


@pytest.mark.parametrize(
    "column", ["unit", "urea", "crp_mg_l", "contact_dermatitis", "care_unit", "maidenhead_site"]
)
def test_clinical_headers_near_the_new_ones_pass(column):
    from analysis.privacy import _name_reason

    assert _name_reason(column) is None


@pytest.mark.parametrize(
    ("header", "shown"),
    [
        ("12345678", "[masked]"),  # nothing of any of them is kept (a birth date? initials?)
        ("1234567", "[masked]"),
        ("Lim Soo-jin", "[masked]"),
        ("JUNG MINSU", "[masked]"),
        ("H1234567", "[masked]"),
        ("12345", "[masked]"),
    ],
)
def test_headers_that_are_values_are_masked_everywhere(tmp_path, header, shown):
    """A file without its header line: the first patient's values are the column names."""
    from analysis.cli.validate import summary
    from analysis.privacy import printable_header

    assert printable_header(header) == shown
    line = summary([*HEADER, header, "smoking_history"], 82, "x.csv")
    assert header not in line and shown in line and "smoking_history" in line
    rows = [{**r, header: "x", "os_months": "abc"} for r in valid_rows()]
    path = write(tmp_path, rows, header=[*HEADER, header, header])
    message, _ = problems_of(path)
    assert header not in message and shown in message


def test_number_columns_never_echo_a_long_whole_number_nor_use_scientific_notation(tmp_path):
    from test_cohort import broken

    from analysis.cohort import _fmt_value

    message, _ = problems_of(broken(tmp_path, line3={"os_months": "12345678"}))
    assert "line 3: an 8-digit number" in message
    assert "1234" not in message and "e+07" not in message
    (tmp_path / "cohort.csv").unlink()
    message, _ = problems_of(broken(tmp_path, line3={"afp_ng_ml": "20000000.5"}))
    assert "must be ≤ 10,000,000 ng/mL" in message and "e+07" not in message
    assert "line 3: an 8-digit number" in message and "2000" not in message
    assert _fmt_value(1234567.0) == "a 7-digit number"
    assert _fmt_value(12.3456789012) == "12.345679"
    assert _fmt_value(0.00001234) == "0.00001234"
    assert _fmt_value(650.0) == "650"


@pytest.mark.parametrize("pid", ["None", "none", "NONE", "null", "NULL", "NA", "na", "n/a"])
def test_none_or_null_is_no_patient_id(tmp_path, pid):
    from test_cohort import broken

    message, problems = problems_of(broken(tmp_path, line3={"patient_id": pid}))
    assert "column patient_id: is required but empty — 1 row: line 3" in message
    assert [p.code for p in problems] == ["missing-value"]


def test_more_than_a_thousand_distinct_names_are_all_counted():
    """Only the first 1000 distinct names keep a row reference; the rest are still counted
    (this raised KeyError)."""
    from itertools import islice, product

    letters = "abcdefghijklmnopqrstuvwxyz"
    names = [f"Dr. Ta{a}{b}{c}" for a, b, c in islice(product(letters, repeat=3), 1200)]
    frame = pd.DataFrame({"patient_id": [f"P{i:04d}" for i in range(1200)], "seen_by": names})
    [problem] = find_identifiers(frame)
    assert problem.n_rows == 1200 and "personal names" in problem.rule


# --------------------------------------------------------------------------------------------
# Title Case with a common word or a place (Hong Kong, Moon Face, Young Adult) refused as a name;
# text in the Brahmic scripts (Thai, Devanagari, ...) let through.
# --------------------------------------------------------------------------------------------
TITLE_CASE_NOTES = [
    # places and peoples, some of whose words are listed names (hong, park, thanh, hoa, jose)
    "Hong Kong", "Hong Kong Chinese", "Sri Lanka", "Kuala Lumpur", "Ha Noi", "Da Nang",
    "Hai Phong", "Thanh Hoa", "Nam Dinh", "San Jose", "Sao Paulo", "Chiang Mai", "Jeju Island",
    "Incheon Airport", "Park Lane", "Hyde Park", "Han Chinese", "White British", "Black African",
    "Pacific Islander", "Middle Eastern", "South Asian", "Mixed Race",
    # clinical and social notes: a listed name (moon, walker, taylor, foster) and a common word
    "Moon Face", "Moon Facies", "Moon Shaped Face", "Young Adult", "Walker Frame",
    "Taylor Spatial Frame", "Zimmer Frame", "Foster Home", "Nursing Home", "Lives With Son",
    "Lives Alone", "Former Smoker", "Never Smoker", "Social Drinker", "Retired Teacher",
    "Office Worker", "Watch And Wait", "Long Term", "E. Coli", "H. Pylori", "Kim Criteria",
]  # fmt: skip


@pytest.mark.parametrize("value", TITLE_CASE_NOTES)
def test_title_case_phrases_with_a_common_word_or_a_place_are_not_names(value):
    """A capitalised phrase with a common word or a place in it is a name only on stronger
    evidence (these were all refused as personal names)."""
    frame = pd.DataFrame({"patient_id": ["P001", "P002"], "note": [value, ""]})
    assert find_identifiers(frame) == []


def test_a_column_of_title_case_places_and_notes_passes_validate(tmp_path, capsys):
    """The same notes, one a row, in a cohort's free column: ``validate`` accepts the file (the
    command in process: exit 0, no identifier problem)."""
    from analysis.__main__ import main

    rows = [
        {**valid_rows()[i % 4], "patient_id": f"P{i + 1:03d}", "note": note}
        for i, note in enumerate(TITLE_CASE_NOTES)
    ]
    code = main(["validate", "--quiet", str(write(tmp_path, rows, header=[*HEADER, "note"]))])
    out, err = capsys.readouterr()
    assert code == 0, out + err
    assert "identifier" not in out + err


def test_place_words_and_given_names_are_consistent_with_the_name_list():
    from analysis.privacy import _GIVEN_NAMES, _GIVEN_NAMES_TEXT, _NAME_LEXICON, _PLACE_WORDS

    assert not _PLACE_WORDS & _NAME_LEXICON
    assert {w for w in _GIVEN_NAMES_TEXT.split()} <= _NAME_LEXICON  # every given name is listed
    assert {"john", "mary", "ivan", "minh"} <= _GIVEN_NAMES
    assert not {"kim", "lee", "park", "moon", "hong", "foster", "smith"} & _GIVEN_NAMES


@pytest.mark.parametrize(
    ("value", "what"),
    [
        ("สมชาย ใจดี", "Thai, Lao, Burmese or Khmer text"),
        ("สมศรี", "Thai, Lao, Burmese or Khmer text"),
        ("ສົມສັກ", "Thai, Lao, Burmese or Khmer text"),  # Lao
        ("အောင်ကျော်", "Thai, Lao, Burmese or Khmer text"),  # Burmese
        ("សុខា", "Thai, Lao, Burmese or Khmer text"),  # Khmer
        ("राहुल शर्मा", "Devanagari or other Indic-script text"),
        ("सीता", "Devanagari or other Indic-script text"),
        ("রহিম উদ্দিন", "Devanagari or other Indic-script text"),  # Bengali
        ("ਗੁਰਪ੍ਰੀਤ ਸਿੰਘ", "Devanagari or other Indic-script text"),  # Gurmukhi
        ("முருகன்", "Devanagari or other Indic-script text"),  # Tamil
        ("రాము", "Devanagari or other Indic-script text"),  # Telugu
        ("seen by राहुल", "Devanagari or other Indic-script text"),  # inside a note
    ],
)
def test_thai_and_indic_script_text_is_refused_like_hangul_and_arabic(tmp_path, value, what):
    """Scripts without letter case: a name cannot be told from a word, so their text is
    refused, as Hangul, Arabic-script and Hebrew text are; the value is never shown."""
    message, problems = _in_extra_column(tmp_path, value)
    assert f"column note: looks like a direct identifier (its values contain {what}" in message
    assert "which may be names" in message
    assert all(word not in message for word in value.split() if word != "seen")
    # masked with its vowel signs: at most the first two characters of the script are shown
    assert sum("\u0900" <= ch <= "\u17ff" for ch in message) <= 2
    assert [p.code for p in problems] == ["identifier"]


def test_indic_and_thai_digits_and_signs_alone_are_not_text():
    """Their digits read as 0-9 (a small number passes, as ASCII digits do); a lone letter, the
    danda and the baht sign are not two letters."""
    from analysis.privacy import identifier_kind

    assert [identifier_kind(v) for v in ("१२३", "๑๒๓", "฿100", "क", "Grade ।", "ก")] == [None] * 6
    assert identifier_kind("१२३४५६७८९०") == "digits"  # a long run, as in ASCII


def test_a_thai_or_devanagari_header_is_refused_masked(tmp_path):
    """A header in these scripts is treated as a Hangul one: it may be a patient's name (a file
    without its header line), so it is refused and masked."""
    for header in ("สมชาย", "राहुल"):
        rows = [{**r, header: "x"} for r in valid_rows()]
        message, problems = problems_of(write(tmp_path, rows, header=[*HEADER, header]))
        assert header not in message and "the column name itself contains" in message
        assert [p.code for p in problems] == ["identifier"]
        (tmp_path / "cohort.csv").unlink()


# --- formats that slipped through: UK NI, Nordic and Irish numbers, numbers printed in digit
# groups, Korean and Central European dotted dates, month names in five more languages ---------
SLIPPED = [
    ("AB123456C", "UK National Insurance numbers"),
    ("ab 12 34 56 c", "UK National Insurance numbers"),
    ("010185-1233", "Nordic personal identity numbers"),  # Danish CPR
    ("19850101-1236", "Nordic personal identity numbers"),  # Swedish, with the century
    ("850101+1236", "Nordic personal identity numbers"),  # Swedish, 100 or older
    ("131052-308T", "Nordic personal identity numbers"),  # Finnish HETU
    ("1234567T", "Irish PPS numbers"),
    ("1234567TW", "Irish PPS numbers"),
    ("1234 5678 9012", "numbers of nine or more digits in groups"),  # Japanese My Number
    ("2123 45670 1", "numbers of nine or more digits in groups"),  # Australian Medicare
    ("1-2345-67890-12-1", "Thai national identity numbers"),  # Thai identity card
    ("756.1234.5678.97", "Swiss social security numbers (AHV)"),
    ("85.01.01-123.45", "numbers of nine or more digits in groups"),  # Belgian national number
    ("1.234.567.890", "numbers of nine or more digits in groups"),  # Colombian cédula
    ("ABCPE1234F", "Indian PAN numbers"),
    ("1EG4-TE5-MK73", "US Medicare beneficiary identifiers"),
    ("1eg4te5mk73", "US Medicare beneficiary identifiers"),
    ("1234 010180", "numbers of nine or more digits in groups"),  # Austrian insurance number
    ("2023. 1. 15.", "exact calendar dates"),  # Korean
    ("15. 1. 2023", "exact calendar dates"),  # Czech, Slovak
    ("15 de enero de 2023", "exact calendar dates"),
    ("15 de janeiro de 2023", "exact calendar dates"),
    ("15 gennaio 2023", "exact calendar dates"),
    ("15 januari 2023", "exact calendar dates"),
    ("15 января 2023", "exact calendar dates"),
]


@pytest.mark.parametrize(("value", "what"), SLIPPED)
def test_identifiers_that_slipped_through_are_refused_masked(tmp_path, value, what):
    """Each of these passed ``validate`` in a column the book does not read."""
    message, problems = _in_extra_column(tmp_path, value, column="extra")
    assert f"column extra: looks like a direct identifier (its values contain {what}" in message
    assert value not in message
    assert [p.code for p in problems] == ["identifier"]


def test_the_new_formats_pass_the_prefilter_and_leave_clinical_values_alone():
    from analysis.privacy import candidate_mask, identifier_kind

    assert candidate_mask(np.array([v for v, _ in SLIPPED], dtype=object)).all()
    for value in (
        "10-20", "1.5-2.0", "120/80", "1 000 000", "12 345 678", "1 234 567 890", "100 200 300 400",
        "12.5 13.5 14.5 15.5", "100000-200000", "12345.6789", "5 10 15 20 25 30",
        "100/200/300/400", "3.2.1", "NT123456A", "AB1234567C", "1234567A", "310199-99",
        "ABCDE1234F",  # D is no PAN holder kind
        "1SG4-TE5-MK73",  # S is never in an MBI
        "123456-7890",  # no date in its first six digits
        "15 de mayo", "mayo 2023", "grade 2-3",
        # lists of measurements or years and study codes, refused by the first digit-groups rule
        "850 1200 3500", "1000 2000 3000", "2019 2020 2021", "0.5 1000000", "1200-3400-5600",
        "2019-0123-001", "150000 200000 250000", "950 1210 15400", "batch1234A",
    ):  # fmt: skip
        assert identifier_kind(value) is None, value


def test_a_national_number_in_digit_groups_is_refused_as_a_patient_id(tmp_path):
    """In patient_id seven digits in a row were refused, the same number printed in groups
    with spaces was not (1234 5678 9012); a study code with hyphens (12-2023-0045) stays one."""
    from analysis.privacy import identifier_kind

    assert identifier_kind("1234 5678 9012", in_id=True) == "digit-groups"
    assert identifier_kind("2123 45670 1", in_id=True) == "digit-groups"
    assert identifier_kind("12-2023-0045", in_id=True) is None
    rows = valid_rows()
    rows[1]["patient_id"] = "1234 5678 9012"
    message, problems = problems_of(write(tmp_path, rows))
    assert (
        "column patient_id: looks like a direct identifier (its values contain numbers of"
        in message
    )
    assert "5678" not in message and problems[0].code == "identifier"


@pytest.mark.parametrize(
    ("value", "what"),
    [
        ("85.07.30-033.28", "Belgian national register numbers"),
        ("00.02.29-123.20", "Belgian national register numbers"),  # born in 2000: "2" first
        ("756.9217.0769.85", "Swiss social security numbers (AHV)"),
        ("756.1234.5678.97", "Swiss social security numbers (AHV)"),
        ("1-2345-67890-12-1", "Thai national identity numbers"),
    ],
)
def test_a_national_number_with_dots_or_hyphens_is_refused_as_a_patient_id(tmp_path, value, what):
    """A Belgian, Swiss or Thai national number, printed with its card's dots or hyphens,
    passed as a patient_id (dots and hyphens join a study code's parts, 12-2023-0045); their
    check digits tell them from a study code."""
    from analysis.privacy import identifier_kind

    assert identifier_kind(value, in_id=True) is not None
    rows = valid_rows()
    rows[1]["patient_id"] = value
    message, problems = problems_of(write(tmp_path, rows))
    assert (
        f"column patient_id: looks like a direct identifier (its values contain {what}" in message
    )
    assert value not in message and problems[0].code == "identifier"


@pytest.mark.parametrize(
    "value", ["85.07.30-033.29", "756.1234.5678.98", "1-2345-67890-12-2", "12.2023.00-045.11"]
)
def test_a_study_code_with_a_wrong_check_digit_stays_a_patient_id(value):
    from analysis.privacy import identifier_kind

    assert identifier_kind(value, in_id=True) is None


@pytest.mark.parametrize(
    "value",
    ["PID 1234567", "pid: 123456", "Fallnummer 1234567", "Fall-Nr. 12345678", "Patientennr 123456",
     "PatNr. 654321", "Aufnahmenummer 7654321"],
)  # fmt: skip
def test_record_labels_pid_and_german_compounds_are_refused(tmp_path, value):
    """ "PID 1234567" (a patient identifier) and German compound labels (Fallnummer,
    Patientennr) before a number passed in a free column."""
    message, _ = _in_extra_column(tmp_path, value)
    assert "its values contain record numbers named in the cell" in message
    assert value not in message


@pytest.mark.parametrize(
    "column", ["PPS", "pps_score", "PAN", "pancreas", "MBI", "RG", "age_at_death", "person_years"]
)
def test_clinical_abbreviations_near_those_headers_pass(column):
    """PPS (palliative performance scale), PAN (polyarteritis nodosa): not refused by name."""
    from analysis.privacy import _name_reason

    assert _name_reason(column) is None


# --------------------------------------------------------------------------------------------
# File and folder names: a name inside the stem is one; a place or hospital whose words are
# names is not.
# --------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "kind"),
    [
        # a name inside the stem passed: only a whole stem was read as one
        ("cohort_john_smith_2023.csv", "name"), ("cohort_John_Smith.csv", "name"),
        ("smith_john_cohort.csv", "name"), ("hcc_kim_minsu.csv", "name"),
        ("hcc_Kim_Minsu_2023.csv", "name"), ("HCC-Kim-Minsu.csv", "name"),
        ("Nguyen_Van_An_2023.csv", "name"), ("data_Nguyễn_Văn_An.csv", "name"),
        ("patient_lee_jihoon.csv", "name"), ("cohort_dr_kim.csv", "name"),
        ("Grace_Park_Data.csv", "name"), ("bach_mai_hospital_john_smith.csv", "name"),
        ("cohort_Le_Hoa_Binh.csv", "name"),  # a place in a name (Lê Hòa Bình) stays a name
        # a bare hospital or street named after a person reads as the person
        ("Nguyen_Tri_Phuong.csv", "name"), ("tran_hung_dao.csv", "name"),
        # a hospital number after a word, a Vietnamese mobile number without separators
        ("cohort_H1234567.csv", "id-digits"), ("cohort_0912345678.csv", "phone"),
        ("hcc_0387654322_v2.csv", "phone"),
        # a Vietnamese citizen identity number passed as a long number (a timestamp)
        ("079203001234.csv", "vn-cccd"), ("hcc_001085012345_export.csv", "vn-cccd"),
        # common names missing from the lexicon passed and were echoed (session 20)
        ("Jane_Doe.csv", "name"), ("Lucas_Martin.csv", "name"), ("oliver_harry.csv", "name"),
    ],
)  # fmt: skip
def test_a_name_or_number_inside_a_file_name_is_found(name, kind):
    assert file_name_identifier(name) == kind


@pytest.mark.parametrize(
    "name",
    [
        # a word of a hospital's name (medical, national, general) after a name hid it
        "John_Smith_medical_records.csv", "nguyen_van_an_medical_history.csv",
        "Nguyen_Thi_Lan_national_id.csv", "John_Smith_City.csv", "Tran_Van_Binh_general.csv",
        # bare vien (viện phí, fees), san and tinh before a name hid it; Tinh_Nguyen_Van_An was
        # refused at 637ea68
        "vien_phi_Tran_Van_Binh.csv", "san_Nguyen_Thi_Lan.csv", "Tinh_Nguyen_Van_An.csv",
    ],
)  # fmt: skip
def test_a_name_next_to_a_word_of_an_institution_is_still_a_name(name):
    assert file_name_identifier(name) == "name"


@pytest.mark.parametrize(
    "name",
    [
        # statistical eponyms were refused as personal names
        "Nelson_Aalen_cumhaz.csv", "Kaplan_Meier_Nelson_Aalen.csv", "Kaplan-Meier.csv",
        "mann_whitney_results.csv", "Kolmogorov_Smirnov.csv", "Anderson_Darling.csv",
        "Durbin_Watson.csv", "Cox_Snell_residuals.csv", "Wilcoxon_Mann_Whitney.csv",
        "Shapiro_Wilk.csv", "Kruskal_Wallis.csv", "Hosmer_Lemeshow.csv", "Bland_Altman.csv",
    ],
)  # fmt: skip
def test_statistical_eponyms_pass_as_file_names(name):
    assert file_name_identifier(name) is None


def test_a_name_next_to_a_statistical_eponym_is_still_a_name():
    names = ["Nelson_Aalen_John_Smith.csv", "John_Smith_Kaplan_Meier.csv"]
    assert [file_name_identifier(n) for n in names] == ["name", "name"]


def test_a_qualifier_before_an_institution_word_is_part_of_its_name():
    names = ["Nguyen_Tri_Phuong_General_Hospital.csv", "Samsung_Medical_Center.csv"]
    assert [file_name_identifier(n) for n in names] == [None, None]


@pytest.mark.parametrize(
    "name",
    [
        # Vietnamese provinces, cities, districts and hospitals whose words are given names or
        # surnames were refused as personal names
        "benh_vien_cho_ray.csv", "Benh_Vien_Cho_Ray.csv", "Bệnh_Viện_Chợ_Rẫy.csv",
        "BV_Cho_Ray_2023.csv", "Cho_Ray.csv", "cho_ray_hcc_2019_2023.csv", "Bach_Mai.csv",
        "Benh_Vien_Bach_Mai.csv", "Viet_Duc.csv", "Tam_Anh_General.csv", "Gia_Dinh.csv",
        "An_Binh.csv", "hue_central_hospital.csv", "can_tho.csv", "Can_Tho.csv", "Cần_Thơ.csv",
        "Hoa_Binh.csv", "hoa_binh_data.csv", "HA_GIANG.csv", "Vinh_Phuc.csv", "Hung_Yen.csv",
        "Quang_Tri.csv", "Thai_Nguyen_Hospital.csv", "Tra_Vinh_2022.csv", "Yen_Bai.csv",
        "Thu_Duc.csv", "Hoang_Mai_District.csv", "Thanh_Xuan.csv", "Binh_Thanh.csv",
        "Viet_Nam.csv", "viet_nam_korea_hcc.csv", "Hai_Phong_Thanh_Hoa.csv",
        # a hospital named after a person, with the word that says so
        "nguyen_tri_phuong_hospital.csv", "bv_nguyen_tri_phuong.csv", "BV_Pham_Ngoc_Thach.csv",
        "Tran_Hung_Dao_Hospital.csv",
        # Korean hospitals and universities
        "Chung_Ang_University.csv", "Kyung_Hee_HAIC.csv", "Dong_A_Busan.csv",
        "seoul_national_university_hospital.csv", "Samsung_Medical_Center.csv",
        # one surname, as a citation or a lab names a study; English words before or after one
        "Kim_et_al_replication.csv", "Nguyen_2023.csv", "nguyen_cohort.csv", "park_model.csv",
        "Lee_Index_Study.csv", "HCC_Export_Kim.csv",
        # as before
        "my_cohort.csv", "cohort_2023-01-15.csv", "export_1700000000.csv", "Final_Report.csv",
        "Hong_Kong.csv", "Thanh_Hoa.csv", "간암_코호트.csv",
    ],
)  # fmt: skip
def test_places_and_hospitals_whose_words_are_names_pass_as_file_names(name):
    assert file_name_identifier(name) is None


# --------------------------------------------------------------------------------------------
# Vietnamese clinical words whose syllables are names (Bình, Thảo, Đường, Trung, Thành)
# --------------------------------------------------------------------------------------------
VIETNAMESE_TERMS = [
    # refused as personal names in a cell: moderate (severity), urban, two ethnic groups
    "trung bình", "Trung bình", "thành thị", "Gia Rai", "Ba Na",
    # refused as column names: diabetes, and the two above
    "đái tháo đường", "Đái tháo đường",
    # masked in messages as column names (one listed name in them)
    "tiểu đường", "ung thư gan", "ổn định", "Tiến triển", "đáp ứng một phần", "bình thường",
    "hóa trị", "xuất huyết tiêu hóa", "hội chứng gan thận", "chiều cao", "tiền sử", "lý do",
    "mức độ trung bình", "bệnh lý",
]  # fmt: skip


@pytest.mark.parametrize("value", VIETNAMESE_TERMS)
def test_vietnamese_clinical_words_are_no_names_in_cells_or_column_names(value):
    """Of 173 Vietnamese clinical and demographic terms, 4 cells and 3 column names were
    refused as personal names and 34 column names masked in messages ('column Đá* **** ****')."""
    from analysis.privacy import _header_kind, identifier_kind, printable_header

    assert identifier_kind(value) is None
    assert _header_kind(value) is None
    assert printable_header(value) == value


@pytest.mark.parametrize(
    "value",
    [
        # the same syllables after a surname or Thị/Văn are a given name, as before
        "Nguyễn Trung Bình", "Nguyễn Thành Công", "Nguyễn Thị Bình", "Lê Thị Thảo",
        "Phạm Văn Định", "NGUYEN THI BINH", "Trần Thị Thanh Thảo", "Lý Văn Tiến",
    ],
)  # fmt: skip
def test_vietnamese_names_with_those_syllables_are_still_names(value):
    from analysis.privacy import _header_kind, identifier_kind

    assert identifier_kind(value) == "name"
    assert _header_kind(value) == "name"


@pytest.mark.parametrize(
    "value",
    [
        # a clinical phrase (thành công, trung bình) as the given name after a surname outside
        # the short list (Lê, Võ, Đỗ, Dương, Lâm): accepted, refused at 637ea68
        "Lê Thành Công", "Võ Thành Công", "Đỗ Trung Bình", "Dương Thành Công", "Lâm Thành Công",
        "Hồ Thành Công", "Đinh Trung Bình", "Cao Thành Công",
    ],
)  # fmt: skip
def test_a_clinical_phrase_after_any_surname_is_a_given_name(value):
    from analysis.privacy import identifier_kind

    assert identifier_kind(value) == "name"
    assert file_name_identifier(_fold_file_name(value)) == "name"


def _fold_file_name(value):
    from analysis.privacy import fold_diacritics as _fold

    return _fold(value).replace(" ", "_") + ".csv"  # Le_Thanh_Cong.csv


def test_a_vietnamese_severity_column_passes_validate(tmp_path, capsys):
    """mức độ: nhẹ / trung bình / nặng (mild / moderate / severe), one patient moderate: the
    column was refused for holding a personal name."""
    from analysis.__main__ import main

    rows = [{**r, "mức độ": "nhẹ"} for r in enough_rows()]
    rows[1]["mức độ"] = "trung bình"
    code = main(["validate", "--quiet", str(write(tmp_path, rows, header=[*HEADER, "mức độ"]))])
    out, err = capsys.readouterr()
    assert code == 0, out + err


def test_a_column_name_refused_masked_is_located_by_its_place_in_the_file(tmp_path):
    """Three Korean column names were 'column **', 'column ***' and 'column ***': masked, and no
    way to tell which to rename. The message now gives the column's place in the file (an empty
    unnamed column and a repeated one counted) and its spreadsheet letters."""
    text = write(tmp_path, enough_rows()).read_text(encoding="utf-8").splitlines()
    (tmp_path / "cohort.csv").write_text(
        "\n".join([text[0] + ",,age_years,비고,진단명"] + [line + ",,1,," for line in text[1:]])
        + "\n",
        encoding="utf-8",
    )
    message, problems = problems_of(tmp_path / "cohort.csv")
    assert len(HEADER) == 38  # patient data in columns 1-38, the empty one 39, the repeat 40
    assert "[rename the 41st column (AO in a spreadsheet); the name is masked here]" in message
    assert "[rename the 42nd column (AP in a spreadsheet); the name is masked here]" in message
    assert "비고" not in message and "진단명" not in message


# Vietnamese names in one case whose surname is also a word or a particle (Lê, Đỗ, Võ, Hồ, Lý):
# le and van were read as French and Dutch particles, do and ho were no listed names
VIETNAMESE_NAMES_IN_ONE_CASE = [
    "LÊ VĂN HƯNG",
    "lê văn hưng",
    "ĐỖ THỊ HOA",
    "VÕ VĂN KIỆT",
    "HỒ VĂN NAM",
    "LE VAN HUNG",
    "LÝ THỊ LAN",
    "do van kiet",
    "LÊ THỊ THANH HOA",
]
# ordinary text with those syllables: đô thị (urban), độ (degree), hộ (household), Hồ Chí Minh
VIETNAMESE_SYLLABLES_NOT_NAMES = [
    "do not use",
    "le foie",
    "ho chi minh city",
    "benh vien cho ray",
    "mức độ trung bình",
    "do thi",
    "ly giai",
    "do van",
    "le thi",  # Lê Thị: a surname and a middle name, no given name
]


@pytest.mark.parametrize("value", VIETNAMESE_NAMES_IN_ONE_CASE)
def test_vietnamese_names_in_one_case_with_word_surnames_are_names(value):
    from analysis.privacy import _header_kind, identifier_kind

    assert identifier_kind(value) == "name"
    assert _header_kind(value) == "name"  # a file without its header line
    assert file_name_identifier("BN_" + value.replace(" ", "_") + ".csv") == "name"


@pytest.mark.parametrize(
    "name", ["le_van_hung.csv", "BN_LE_VAN_HUNG.csv", "BN_VO_VAN_KIET.csv", "BN_HO_VAN_NAM.csv"]
)
def test_file_names_with_vietnamese_names_in_one_case_are_refused(name):
    assert file_name_identifier(name) == "name"


@pytest.mark.parametrize("value", VIETNAMESE_SYLLABLES_NOT_NAMES)
def test_vietnamese_syllables_that_are_words_are_no_names(value):
    from analysis.privacy import _header_kind, identifier_kind

    assert identifier_kind(value) is None
    assert _header_kind(value) is None
    assert file_name_identifier(value.replace(" ", "_") + ".csv") is None


@pytest.mark.parametrize(
    "value",
    [
        "đô thị hóa", "ĐÔ THỊ HÓA", "Đô thị hóa", "Đô Thị Hóa", "đô thị hoá", "tỷ lệ đô thị hóa",
        "đô thị", "thị trấn", "Thị trấn", "THỊ TRẤN", "thị trường",
    ],
)  # fmt: skip
def test_a_vietnamese_word_spelt_unlike_the_name_is_no_name_anywhere(value):
    """đô thị hóa (urban growth) is not Đỗ Thị Hoa: with diacritics the surname's own spelling
    is needed. It passed in a cell, but as a column name it was refused and as a file name
    (đô_thị_hóa.csv) too: thị hóa read as two listed names. thị trấn (township) and thị
    trường (market) were refused everywhere (Thị and Trần, Trương)."""
    from analysis.privacy import _header_kind, identifier_kind, printable_header

    assert identifier_kind(value) is None
    assert _header_kind(value) is None
    assert printable_header(value) == value  # not masked in messages either
    assert file_name_identifier(value.replace(" ", "_") + ".csv") is None


@pytest.mark.parametrize(
    "value",
    [
        # without diacritics a name is the likelier reading in a patient file: kept refused
        "do thi hoa", "DO THI HOA", "Do Thi Hoa", "thi tran",
        # the surname spelt as the surname, and those words after a surname: names
        "Đỗ Thị Hoa", "đỗ thị hóa", "Nguyễn Thị Trấn", "nguyễn thị trấn", "đỗ thị trường",
    ],
)  # fmt: skip
def test_the_same_syllables_without_diacritics_or_after_a_surname_are_names(value):
    from analysis.privacy import _header_kind, identifier_kind

    assert identifier_kind(value) == "name"
    assert _header_kind(value) == "name"
    assert file_name_identifier(value.replace(" ", "_") + ".csv") == "name"


def test_a_name_next_to_a_vietnamese_word_spelt_so_is_still_found():
    names = ["đô_thị_hóa_Nguyễn_Văn_An.csv", "thị_trấn_Tran_Van_Binh.csv"]
    assert [file_name_identifier(n) for n in names] == ["name", "name"]


@pytest.mark.parametrize(
    "name", ["ho_chi_minh_city.csv", "TP_Ho_Chi_Minh.csv", "do_van.csv", "cohort_do_not_use.csv"]
)
def test_file_names_with_vietnamese_places_and_words_pass(name):
    assert file_name_identifier(name) is None


# --------------------------------------------------------------------------------------------
# A Vietnamese name with the middle name Thị or Văn next to BV, Bệnh viện or Hospital
# --------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "name",
    [
        # up to four words after BV or Bệnh viện were read as the hospital's name
        "BV_Nguyen_Thi_Lan.csv", "Benh_Vien_Tran_Van_An.csv", "Bệnh_Viện_Nguyễn_Thị_Lan.csv",
        "bv_tran_van_an.csv", "BVDK_Tran_Van_Binh_export.csv", "BV-Nguyen-Thi-Lan.csv",
        "BV_LE_THI_HOA_2023.csv", "Benh_Vien_Da_Khoa_Nguyen_Thi_Lan_Anh.csv",
        # a listed hospital before the name, and names before Hospital
        "BV_Cho_Ray_Nguyen_Thi_Lan.csv", "Nguyen_Thi_Lan_Cho_Ray_Hospital.csv",
        "Nguyen_Thi_Lan_Hospital.csv", "Tran_Van_An_General_Hospital.csv",
        "Benh_Vien_Le_Van_Thinh_Nguyen_Thi_Lan.csv",
        # the two hospitals named Lê Văn are hospitals only next to BV or Hospital
        "Le_Van_Thinh.csv", "cohort_le_van_viet.csv",
    ],
)  # fmt: skip
def test_a_name_with_thi_or_van_next_to_bv_or_hospital_is_a_name(name):
    assert file_name_identifier(name) == "name"


@pytest.mark.parametrize(
    "name",
    [
        "BV_Nguyen_Tri_Phuong.csv", "BV_Cho_Ray.csv", "Benh_Vien_Bach_Mai.csv",
        "BV_Hung_Vuong.csv", "Nguyen_Tri_Phuong_Hospital.csv", "BV_Pham_Ngoc_Thach.csv",
        "BV_Le_Van_Thinh.csv", "Benh_Vien_Da_Khoa_Le_Van_Viet.csv", "Le_Van_Viet_Hospital.csv",
        "BV_LE_VAN_THINH_2023.csv",
        # Văn and Thị as a place's first word, after an institution's words: no surname before
        "Trung_Tam_Y_Te_Van_Lam.csv", "TTYT_Huyen_Van_Lam.csv", "BV_Da_Khoa_Thi_Xa_Son_Tay.csv",
        "Trung_Tam_Van_Hoa.csv",
    ],
)  # fmt: skip
def test_hospitals_named_after_a_person_without_thi_or_van_still_pass(name):
    assert file_name_identifier(name) is None


def _listed_places():
    from analysis.privacy import _FILE_PLACE_PHRASES

    return sorted({"_".join(p) for phrases in _FILE_PLACE_PHRASES.values() for p in phrases})


def test_every_listed_place_and_hospital_passes_bare_and_next_to_bv_or_hospital():
    """The places, hospitals and eponyms of _FILE_PLACE_PHRASES (and _PLACE_PHRASES) pass as a
    file name alone, after BV or Bệnh viện and before Hospital; none has Thị or Văn second."""
    places = _listed_places()
    assert len(places) > 150
    refused = [
        (form, kind)
        for place in places
        for form in (
            place, place.title(), place.upper(), f"BV_{place}", f"Benh_Vien_{place.title()}",
            f"bv_da_khoa_{place}", f"{place.title()}_Hospital", f"hcc_{place}_2023",
        )
        if (kind := file_name_identifier(form + ".csv")) is not None
    ]  # fmt: skip
    assert refused == []


# --------------------------------------------------------------------------------------------
# Mobile numbers with the country code and no +
# --------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "name",
    [
        # +84912345678 and 0912345678 were refused; 84912345678 passed as a long number
        "84912345678.csv", "cohort_84912345678_v2.csv", "hcc_84387654322.csv",
        "84-912-345-678.csv", "84 912 345 678.csv", "84_912_345_678.csv", "84.912.345.678.csv",
        "84_91_234_5678.csv", "84-91-234-56-78.csv", "84_786_543_210.csv",
        # Korean: +821012345678 and 010-1234-5678 were refused, 821012345678 passed
        "821012345678.csv", "82-10-1234-5678.csv", "82_10_1234_5678.csv", "8210-1234-5678.csv",
    ],
)  # fmt: skip
def test_a_mobile_number_with_the_country_code_and_no_plus_is_a_phone(name):
    assert file_name_identifier(name) == "phone"


@pytest.mark.parametrize(
    "name",
    [
        # dates, date-times, Unix times, counts and study ids
        "20240426.csv", "2024-04-26.csv", "20240426_153012.csv", "20240426153012.csv",
        "1714123456.csv", "export_1700000000.csv", "cohort_v2_84pts.csv",
        "hcc_2010_2023_n82.csv", "KCT0008412.csv", "cohort_84_patients.csv",
        "hcc_84_2023-01-15.csv", "site_84_5_20240426.csv", "cohort_84_30_20230515.csv",
        "hcc_82_10_2023.csv",
        # longer or shorter runs: an export id, 84 and ten or eight digits, no mobile network
        "export_843210987654321.csv", "export_84912345678901.csv", "8491234567.csv",
        "84123456789.csv", "84212345678.csv", "1984912345678.csv",
    ],
)  # fmt: skip
def test_numbers_that_are_no_mobile_number_pass(name):
    assert file_name_identifier(name) is None


def test_unix_times_are_rarely_read_as_nhs_numbers():
    """One Unix time in eleven (9.3 % of 2024-2026) has a valid NHS check digit and was refused;
    ten digits from 1 are issued only as Scottish CHI numbers, which begin with a birth date
    (DDMMYY). An NHS number from 4, 6 or 7, or a CHI number, is still refused."""
    import random

    rng = random.Random(1)
    times = [rng.randrange(1_704_067_200, 1_798_761_600) for _ in range(2000)]
    refused = sum(file_name_identifier(f"export_{t}.csv") is not None for t in times)
    assert refused / len(times) < 0.02
    assert file_name_identifier("9434765919.csv") == "nhs"
    assert file_name_identifier("cohort_943_476_5919.csv") == "nhs"
    chi = next(
        f"1501{y:02d}{n:04d}"
        for y in range(100)
        for n in range(10000)
        if _nhs(f"1501{y:02d}{n:04d}")
    )
    assert file_name_identifier(f"{chi}.csv") == "nhs"


def _nhs(digits):
    d = [int(c) for c in digits]
    check = (11 - sum(w * x for w, x in zip(range(10, 1, -1), d[:9], strict=True)) % 11) % 11
    return check != 10 and check == d[9]


# ------------------------------------------------- ids built from initials, birth dates, names
@pytest.mark.parametrize(
    ("value", "kind"),
    [
        ("KMS600101", "initials-dob"),  # initials and YYMMDD
        ("KMS-600101", "initials-dob"),
        ("ab010160", "initials-dob"),  # DDMMYY
        ("KM19600101", "initials-dob"),  # YYYYMMDD
        # year 19 and case 0101 reads as 2019-01-01: alone it is masked, and its column decides
        # whether it is a study's counter (test_initials_and_birth_dates_are_decided_by_column)
        ("HCC190101", "initials-dob"),
        ("Nguyen0", "name-id"),
        ("Nguyen_000", "name-id"),
        ("NGUYEN-12", "name-id"),
        ("Nguyễn_01", "name-id"),
        ("Park4", "name-id"),
        ("Tran1", "name-id"),
        ("Choi_12", "name-id"),
        ("A.B.", "initials"),
        ("K.M.S.", "initials"),
        ("A. B.", "initials"),
        ("K.M", "initials"),
        # other separators, and the date written in parts (a reviewer's files passed them)
        ("KMS/600101", "initials-dob"),
        ("LVC/480715", "initials-dob"),
        ("KMS-60-01-01", "initials-dob"),
        ("LVC-48-07-15", "initials-dob"),
        ("KMS/60/01/01", "initials-dob"),
        ("KM-1960-01-01", "initials-dob"),
        ("KM_1960.01.01", "initials-dob"),
        # a name with its words joined by _, . or - or in CamelCase, or an initial and a surname
        ("Nguyen_Van_An", "name"),
        ("NguyenVanAn", "name"),
        ("nguyen.van.an", "name"),
        ("Smith_John", "name"),
        ("SMITH_JOHN", "name"),
        ("Le_Van_Cuong", "name"),
        ("HoangVanEm", "name"),
        ("Nguyễn_Văn_An", "name"),
        ("Nguyen_Van_An_01", "name"),
        ("John-Smith", "name"),
        ("J.Smith", "name"),
        ("A.Brown", "name"),
        ("T.Nguyen", "name"),
    ],
)
def test_ids_built_from_initials_a_birth_date_or_a_name_are_identifiers(value, kind):
    from analysis.privacy import identifier_kind, printable_id

    assert identifier_kind(value, in_id=True) == kind
    assert printable_id(value) != value


# The decision on short names: a listed name of two or three letters and a number (Le1, Do_5,
# Ma01, Kim2, Han_3) is left alone, because such an id cannot be told from a site or study code
# (HAN is Hanoi's airport code, SIM a simulation's prefix, SEO Seoul's); a name of four letters
# or more (Nguyen0, Park4, Tran1) is refused, and a column holding one is refused whole, after
# which no message shows any of its ids. Six digits after letters that read as no date, or
# start with 00 (a zero-padded counter, HCC000123), are no birth date.
@pytest.mark.parametrize(
    "value",
    ["SYN001", "SYN082", "P001", "HCC-0001", "KR01-023", "ID0001", "PT_12", "S1", "Site2_005",
     "HAIC001", "CASE_01", "Ma01", "Le1", "Do_5", "Han_3", "Kim2", "Lee3", "Oh_7", "SIM001",
     "HCC-2019-001", "2019-001", "19-0001",
     "KUMC-HAIC-01", "VN-HN-012", "BV01_023", "A1", "AB12", "ABC", "SITE-01-001",
     "SNUH_HCC_001", "Asan_HAIC_01", "Yonsei_HCC_01", "Study_Arm_A", "VN_HN_001",
     # site codes that are hospitals' or places' names (the file names' list of places): the
     # decision is to let them pass, since Bach Mai and Cho Ray are hospitals, not patients
     "BV_BachMai_001", "BachMai_001", "BV_ChoRay_01", "Cho_Ray_001", "HaNoi_01", "DaNang_02"],
)  # fmt: skip
def test_ordinary_study_ids_pass(value):
    from analysis.privacy import identifier_kind, printable_id

    assert identifier_kind(value, in_id=True) is None
    # six digits in a row (HCC000123, HCC190001) pass too, masked whole in messages:
    # test_a_passing_id_that_may_hold_a_birth_date_is_shown_masked
    assert printable_id(value) == value


@pytest.mark.parametrize(
    "value", ["HCC000123", "HCC190001", "KMS600132", "P-190101", "ID123456", "HCC-19-00-01"]
)
def test_a_passing_id_that_may_hold_a_birth_date_is_shown_masked(value):
    """printable_id masked only the ids identifier_kind flagged, so HCC190001 (no date: month
    00) was echoed whole, while the docstring and README promise that a value with six digits
    in a row keeps nothing; an id that passes is masked whole now."""
    from analysis.privacy import identifier_kind, printable_id

    assert identifier_kind(value, in_id=True) is None
    assert printable_id(value) == "[masked]"


def test_masking_keeps_nothing_of_a_value_that_may_hold_a_birth_date():
    """mask kept the first two characters: '85****-*******' is a birth year (1985); and the
    shape of every value (where its separators are, how long it is)."""
    from analysis.privacy import mask

    for value in ("850101-1234567", "8501011234567", "KMS600101", "1985-01-15",
                  "15 January 1985", "010-1234-5678", "someone@example.org"):  # fmt: skip
        assert mask(value) == "[masked]"


# ------------------------------------ letters and a date: a study's counter or a birth date?
# Letters and six digits that read as a date are decided for the whole column, not per value:
# HCC190101 (a 6-digit counter past 190100) is a study's number when other ids of the column
# run beside it; KMS600101 is initials and a birth date when no id of letters and six digits
# lies near it (initials differ between patients, birth dates lie far apart). The columns are
# generated with a fixed seed: birth dates 1930-2005, initials of two or three letters.
def _initials_dates(n, form="%y%m%d", sep="", seed=1, letters=None):
    import datetime
    import random

    rng = random.Random(seed)
    out = []
    while len(out) < n:
        born = datetime.date(1930, 1, 1) + datetime.timedelta(days=rng.randrange(76 * 365))
        digits = born.strftime(form)
        if digits.startswith("00"):  # born 2000-2005, YYMMDD: reads as a zero-padded counter
            continue
        initials = letters or "".join(
            rng.choice("ABCDEGHJKLMNOPSTVY") for _ in range(rng.choice((2, 3)))
        )
        out.append(f"{initials}{sep}{digits}")
    return out


def _shared_counter(sites, n=82, start=190101, seed=2):
    import random

    rng = random.Random(seed)
    return [f"{rng.choice(sites)}{start + i}" for i in range(n)]


REAL_INITIALS_DATES = {
    "82 initials + YYMMDD": _initials_dates(82),
    "20 initials + YYMMDD": _initials_dates(20, seed=3),
    "82 initials + DDMMYY": _initials_dates(82, form="%d%m%y", seed=4),
    "82 initials - YYMMDD": _initials_dates(82, sep="-", seed=5),
    "20 initials _ YYMMDD": _initials_dates(20, sep="_", seed=6),
    "82 initials . YYYYMMDD": _initials_dates(82, form="%Y%m%d", sep=".", seed=7),
    "20 initials + YYYYMMDD": _initials_dates(20, form="%Y%m%d", seed=8),
    # one study code and the birth date: the letters are constant, the dates far apart
    "82 HCC + YYMMDD": _initials_dates(82, letters="HCC", seed=9),
    # the decision on a single one: refused. KMS600101 among P001 … is no study's number (no
    # other id has its letters and six digits), and it names a patient as well as 82 would
    "KMS600101 among P001 … P081": [f"P{i:03d}" for i in range(1, 82)] + ["KMS600101"],
    "KMS600101 among HCC190101 …": [f"HCC{i}" for i in range(190101, 190182)] + ["KMS600101"],
    # other separators, and the date in parts (KMS/600101, KMS-60-01-01 passed)
    "82 initials / YYMMDD": _initials_dates(82, sep="/", seed=10),
    "82 initials - YY-MM-DD": _initials_dates(82, form="%y-%m-%d", sep="-", seed=11),
    "20 initials / YY/MM/DD": _initials_dates(20, form="%y/%m/%d", sep="/", seed=12),
}

ORDINARY_COUNTERS = {
    "HCC000001 … HCC000082": [f"HCC{i:06d}" for i in range(1, 83)],
    "HCC190101 … HCC190182": [f"HCC{i}" for i in range(190101, 190183)],
    "SITE190101 …": [f"SITE{i}" for i in range(190101, 190183)],
    "P-190101 …": [f"P-{i}" for i in range(190101, 190183)],
    "hcc_190101 …": [f"hcc_{i}" for i in range(190101, 190183)],
    "KR/VN sharing a counter": _shared_counter(["KR", "VN"]),
    "KR/VN/TH sharing a counter": _shared_counter(["KR", "VN", "TH"]),
    # a site with a single patient, its number amid the others'
    "KR190101 … with one TH": [f"KR{i}" for i in range(190101, 190182)] + ["TH190182"],
    "KR and VN, a counter each": [f"KR{i}" for i in range(190101, 190141)]
    + [f"VN{i}" for i in range(190101, 190143)],
    # enrolled patients out of screened ones: gaps in the counter
    "HCC1901xx with gaps": [f"HCC{i}" for i in range(190101, 190400, 3)],
    # registry numbers, far apart, most of them no date
    "HCC registry numbers": [f"HCC{i}" for i in range(190101, 260000, 853)],
    "HCC000001 … HCC191999": [f"HCC{i:06d}" for i in range(1, 192_000, 97)],
    # after a slash (HCC-19-01-01 is refused as a date, dd-mm-yy, as it was before)
    "HCC/190101 …": [f"HCC/{i}" for i in range(190101, 190183)],
}


def _scanned(ids, chunk=None):
    """The problems of an IdentifierScanner fed ``ids`` as patient_id, ``chunk`` at a time."""
    from analysis.privacy import IdentifierScanner
    from analysis.problems import RowRef

    scanner = IdentifierScanner(["patient_id"])
    chunk = chunk or len(ids)
    for start in range(0, len(ids), chunk):
        part = np.array(ids[start : start + chunk], dtype=object)
        scanner.scan(
            "patient_id", "id", part, np.arange(len(part)),
            lambda i, shown, start=start: RowRef(start + i + 2, shown, position=start + i),
        )  # fmt: skip
    return scanner.problems()


@pytest.mark.parametrize("case", REAL_INITIALS_DATES)
def test_initials_and_birth_dates_are_decided_by_column(case):
    ids = REAL_INITIALS_DATES[case]
    [problem] = _scanned(ids)
    assert problem.column == "patient_id" and problem.code == "identifier"
    assert "initials followed by a birth date" in problem.rule
    text = str(problem)
    shown = problem.rule + "; ".join(str(r) for r in problem.rows)  # the hint names P001
    for pid in ids:
        assert pid not in shown
        assert re.sub(r"[^0-9]", "", pid) not in shown
    if case.startswith("KMS600101 among"):  # the one that names a patient, by its line
        assert problem.count == 1 and [r.line for r in problem.rows] == [len(ids) + 1]
    # the same whatever the chunks
    for chunk in (1, 7, 50):
        assert [str(p) for p in _scanned(ids, chunk)] == [text]


@pytest.mark.parametrize("case", ORDINARY_COUNTERS)
def test_a_study_code_and_a_counter_that_reads_as_a_date_passes(case):
    """HCC190101 (case 101 of 2019) was refused as initials and a birth date: on a file of
    100,000 ids of HCC and six digits, 10,800 rows, and the whole file with them."""
    ids = ORDINARY_COUNTERS[case]
    for chunk in (None, 1, 7, 50):
        assert _scanned(ids, chunk) == []
    frame = pd.DataFrame({"patient_id": ids, "age_years": ["60"] * len(ids)})
    assert find_identifiers(frame) == []


# ------------------------------------------------------------ hostile pass, session 19
@pytest.mark.parametrize(
    "value",
    ["José", "Müller", "Zoë", "Smith", "O'Brien", "Jean-Luc", "McDonald", "Łukasz", "Dvořák",
     "Иванов", "Yılmaz", "SMITH", "müller", "NGUYEN"],
)  # fmt: skip
def test_a_one_word_name_as_a_patient_id_is_refused(value):
    """A single word that is a person's name passed as a patient_id (José, Müller, Zoë; and
    Smith too): only two words or more were read as a name there. One word of letters, in any
    script with letter case, with accents, apostrophes and hyphens, is a name when capitalised,
    or in one case when a listed name."""
    from analysis.privacy import identifier_kind

    assert identifier_kind(value, in_id=True) == "name"
    ids = [f"P{n:03d}" for n in range(1, 12)] + [value]
    [problem] = find_identifiers(pd.DataFrame({"patient_id": ids}))
    assert problem.column == "patient_id" and "personal names" in problem.rule
    assert [str(r) for r in problem.rows] == ["row 11: [masked]"]


@pytest.mark.parametrize(
    "value",
    ["HCC-001", "A12", "HCC", "SNUH", "KUMC-HAIC", "ZOË", "zoë", "Pt", "Site", "Control",
     "Total", "None"],
)  # fmt: skip
def test_study_codes_and_label_words_are_no_one_word_names(value):
    """Codes with digits or in capitals, a name outside the list in one case (as for two
    words), label and clinical words: not names."""
    from analysis.privacy import identifier_kind

    assert identifier_kind(value, in_id=True) is None
    counter = [f"P{n:07d}" for n in range(1, 12)]  # a zero-padded counter: its column decides
    assert find_identifiers(pd.DataFrame({"patient_id": [*counter, value]})) == []


@pytest.mark.parametrize(
    "name", ["cohort_05_01_2023.csv", "export_09_12_2023_v2.csv", "HCC 01 02 2024.csv"]
)
def test_a_date_in_parts_in_a_file_name_is_no_phone_number(name):
    """An export date written day_month_year with a leading zero (cohort_05_01_2023.csv) was
    refused as holding phone numbers (05 01 2023: eight digits after a trunk 0), by validate
    and run, while 05-01-2023, 05.01.2023 and 12_03_2024 passed as dates."""
    assert file_name_identifier(name) is None


@pytest.mark.parametrize(
    "name", ["cohort_010_1234_5678.csv", "cohort_05_01_2023_0912345678.csv", "hcc_02_2258_1234.csv"]
)
def test_phone_numbers_beside_or_in_parts_stay_phone_numbers_in_a_file_name(name):
    assert file_name_identifier(name) == "phone"


@pytest.mark.parametrize("value", ["8 (912) 345-67-89", "8(495)123-45-67", "8-912-345-67-89"])
def test_russian_phone_numbers_with_the_trunk_8_are_refused(tmp_path, value):
    """The national form of a Russian number (trunk 8, area code in brackets, 3-2-2 groups)
    passed in a free column, while +7 (912) 345-67-89 was refused."""
    message, _ = _in_extra_column(tmp_path, value)
    assert "its values contain phone numbers" in message and value not in message


@pytest.mark.parametrize("value", ["8 (12) 3", "8-12-34", "grade 8 (2-3)", "8 (912) 345"])
def test_an_8_before_numbers_in_brackets_is_not_always_a_phone_number(value):
    from analysis.privacy import identifier_kind

    assert identifier_kind(value) != "phone"


@pytest.mark.parametrize(
    "value", ["hans_mueller", "mueller_hans", "peter.mueller", "juergen_schroeder", "HANS MUELLER"]
)
def test_german_names_spelt_without_umlauts_are_refused_as_patient_id(tmp_path, value):
    """A German export writes Müller as Mueller (ue for ü): hans_müller was refused as a
    patient_id, hans_mueller passed."""
    from analysis.privacy import identifier_kind

    assert identifier_kind(value, in_id=True) == "name"
    rows = valid_rows()
    rows[1]["patient_id"] = value
    message, problems = problems_of(write(tmp_path, rows))
    assert (
        "column patient_id: looks like a direct identifier (its values contain personal names"
        in message
    )
    assert value not in message and problems[0].code == "identifier"


@pytest.mark.parametrize("value", ["blue_value", "tissue_true", "queue_01", "HCC_true_blue"])
def test_words_with_ue_are_not_read_as_german_names(value):
    from analysis.privacy import identifier_kind

    assert identifier_kind(value, in_id=True) is None


# Romanised Korean, Chinese and Polish names in any order and case, joined by _ . - or spaces
# (found by a hostile tester: minsu_kim, lower-case kim chul soo, wang_fang, li_na passed)
_ROMANISED_NAMES = [
    "minsu_kim",
    "kim_minsu",
    "kim chul soo",
    "kim_chul_soo",
    "Kim.Chul.Soo",
    "soojin_lim",
    "wang_fang",
    "fang_wang",
    "li_na",
    "na_li",
    "zhang_xiaoming",
    "chen.jing",
    "LIU-YANG",
    "anna_kowalska",
    "piotr_nowak",
    "katarzyna.wisniewska",
]


@pytest.mark.parametrize("value", _ROMANISED_NAMES)
def test_romanised_east_asian_and_polish_names_are_refused_as_patient_id(tmp_path, value):
    from analysis.privacy import identifier_kind

    assert identifier_kind(value, in_id=True) == "name"
    rows = valid_rows()
    rows[1]["patient_id"] = value
    message, problems = problems_of(write(tmp_path, rows))
    assert (
        "column patient_id: looks like a direct identifier (its values contain personal names"
        in message
    )
    assert value not in message and value.lower() not in message.lower()
    assert problems[0].code == "identifier"


@pytest.mark.parametrize(
    "value", ["kim chul soo", "kim_minsu", "minsu kim", "wang_fang", "zhang xiaoming", "li_na"]
)
def test_romanised_names_in_a_free_text_column_are_refused(value):
    from analysis.privacy import identifier_kind

    assert identifier_kind(value) == "name"


@pytest.mark.parametrize(
    "value",
    [
        "HCC-001",
        "P001",
        "SNUH_0012",
        "HN-001",
        "ko_001",
        "KO_001",
        "li_01",
        "an_02",
        "site_a",
        "HCC_LI",
        "ma_001",
        "KR-HN-01",
        "go_on",
        "ha_ha",
    ],
)
def test_study_codes_with_short_surname_syllables_are_accepted_as_patient_id(value):
    from analysis.privacy import identifier_kind

    assert identifier_kind(value, in_id=True) in (None, "initials-dob")


@pytest.mark.parametrize(
    "value",
    [
        "no ascites",
        "ma",
        "he",
        "ha ha ha",
        "go on",
        "oh no",
        "he is well",
        "an hour",
        "li ver",
        "im injection",
        "ma ongoing",
        "bone pain",
        "so so",
        "liver mass",
        "no change",
        "yes",
        "pain in ribs",
    ],
)
def test_clinical_free_text_with_short_surname_syllables_is_accepted(value):
    from analysis.privacy import identifier_kind

    assert identifier_kind(value) is None


@pytest.mark.parametrize(
    "value",
    ["huang qi", "dan shen", "ma huang", "wu wei", "dong quai", "hu zhang", "yu jin", "kim chi"]
    + ["gang nam gu", "song pa gu", "he ran", "li ion", "lin ear", "sun exposure", "ha ha"],
)
def test_herbal_medicines_and_districts_in_free_text_are_not_names(value):
    """Pinyin herbal medicines (two syllables apart) and Korean districts read like a surname
    and a given name; in free text they pass."""
    from analysis.privacy import identifier_kind

    assert identifier_kind(value) is None


@pytest.mark.parametrize(
    "value", ["he li ko", "chi he kim", "go so im", "oh ma ha", "huang ko", "kim kim chi", "FU_MA"]
)
def test_three_short_words_ending_in_a_surname_are_not_names(value):
    from analysis.privacy import identifier_kind

    assert identifier_kind(value) is None


@pytest.mark.parametrize("value", ["chul-soo kim", "Soo-Jin_Lim", "lee ji eun", "park so yeon"])
def test_korean_names_of_three_words_are_refused(value):
    from analysis.privacy import identifier_kind

    assert identifier_kind(value) == "name"
    assert identifier_kind(value, in_id=True) == "name"


@pytest.mark.parametrize("value", ["kim chul soo", "minsu_kim", "wang_fang", "anna_kowalska"])
def test_romanised_names_in_a_note_column_are_refused_without_the_value(value):
    from analysis.privacy import find_identifiers

    frame = pd.DataFrame({"patient_id": ["P001", "P002"], "note": ["no ascites", value]})
    problems = find_identifiers(frame)
    assert [p.column for p in problems] == ["note"]
    text = " ".join(str(p) for p in problems) + " ".join(map(str, vars(problems[0]).values()))
    assert "personal names" in problems[0].rule and value not in text
