"""Adversarial input: hostile, broken and odd cohorts, as a new user (or an attacker) would try.

Every case asserts the same contract:

* a bad input is refused: :class:`CohortError` from :func:`load_cohort` (exit code 1, or 2 for
  an unreadable file, from ``python -m analysis validate``), with a message that names the
  column (``column X:``) or the file (``file:``) and the rule;
* no ``Traceback``;
* an identifier that caused the refusal, or any identifier-looking ``patient_id``, never
  appears in the output: values are masked (``[masked]``: no character of them);
* the input file is unchanged and nothing is written next to it;
* an odd but valid cohort loads.

Most cases call the library (fast); a representative subset runs the CLI in a subprocess.
Identifiers with check digits are generated here from the published algorithms (NHS modulus
11, Luhn, NIR modulo 97, ISO 7064 MOD 11-2, DNI modulo 23) and checked against the published
example numbers where one exists.
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
import subprocess
import sys
import warnings
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest
from cli_output import unwrapped
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_cohort import BASE, HEADER, enough_rows, valid_rows, write

from analysis.cohort import SCHEMA, CohortError, load_cohort
from analysis.privacy import identifier_kind, mask

#: ``python -m analysis`` forked from a process that imported what it imports
#: (tests/proc_fork.py); each command still runs in a process of its own
pytestmark = pytest.mark.usefixtures("forked_programs")

CASES: dict[str, int] = {}  # kind -> number of cases, for the closing note


def _count(kind: str, cases: list) -> list:
    CASES[kind] = CASES.get(kind, 0) + len(cases)
    return cases


# --------------------------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------------------------
def _snapshot(directory):
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(directory.iterdir())
        if p.is_file()
    }


def refused(path, *, column: str | None, secret: str | None = None, code: str | None = None):
    """load_cohort refuses ``path``; returns the message. Checks the whole contract."""
    before = _snapshot(path.parent)
    with pytest.raises(CohortError) as info:
        load_cohort(path, min_patients=0)
    message = str(info.value)
    assert _snapshot(path.parent) == before, "the input changed or something was written"
    assert "Traceback" not in message
    if column is None:
        assert "  - file: " in message, message
    else:
        assert (
            f"column {column}:" in message
            or f"columns {column}" in message
            or (f", {column}:" in message)
        ), message
    if secret:
        assert secret not in message, f"identifier echoed: {message}"
    if code:
        assert code in {p.code for p in info.value.problems}, (code, message)
    return message


def accepted(path):
    before = _snapshot(path.parent)
    df = load_cohort(path, min_patients=0)
    assert _snapshot(path.parent) == before
    return df


def with_cells(tmp_path, line: int = 3, header=None, **cells):
    rows = valid_rows()
    rows[line - 2].update(cells)
    return write(tmp_path, rows, header=header)


def with_extra(tmp_path, name: str, values: list[str]):
    rows = [{**r, name: v} for r, v in zip(valid_rows(), values, strict=True)]
    return write(tmp_path, rows, header=[*HEADER, name])


def cli(path, *extra, subprocess_: bool = True):
    """``python -m analysis validate --quiet PATH``: (exit code, stdout + stderr). In a
    subprocess (the real command), or with ``subprocess_=False`` through the same ``main`` in
    this process (the same parser, messages and exit codes, without a second interpreter's
    start: about a second of CPU per call)."""
    before = _snapshot(path.parent) if path.parent.exists() else {}
    argv = ["validate", "--quiet", str(path), *extra]
    if subprocess_:
        # in the tests' own environment, as a user runs it (warnings shown; it was started
        # with PYTHONWARNINGS=ignore, an environment of its own: a second zygote to fork from)
        done = subprocess.run(
            [sys.executable, "-m", "analysis", *argv],
            capture_output=True,
            text=True,
            cwd=path.parent if path.parent.exists() else None,
            timeout=120,
        )
        code, output = done.returncode, done.stdout + done.stderr
    else:
        from analysis.__main__ import main

        out, err = io.StringIO(), io.StringIO()
        with warnings.catch_warnings(), redirect_stdout(out), redirect_stderr(err):
            warnings.simplefilter("ignore")
            try:
                code = main(argv)
            except SystemExit as exc:  # argparse's usage errors
                code = exc.code
        output = out.getvalue() + err.getvalue()
    if path.parent.exists():
        assert _snapshot(path.parent) == before
    assert "Traceback" not in output, output
    return code, unwrapped(output)  # each wrapped message on one line


# --------------------------------------------------------------------------------------------
# identifiers with check digits, generated
# --------------------------------------------------------------------------------------------
def nhs_number(seed: int) -> str:
    """A valid NHS number (modulus 11 on nine digits; check 10 is never issued)."""
    n = seed
    while True:
        digits = [int(c) for c in f"{n % 10**9:09d}"]
        check = 11 - sum(w * d for w, d in zip(range(10, 1, -1), digits, strict=True)) % 11
        check = 0 if check == 11 else check
        if check != 10 and len(set(digits)) > 1:
            return "".join(map(str, digits)) + str(check)
        n += 1


def luhn_complete(body: str) -> str:
    for last in range(10):
        digits = [int(c) for c in body + str(last)]
        total = sum(
            d if i % 2 == 0 else (d * 2 - 9 if d * 2 > 9 else d * 2)
            for i, d in enumerate(reversed(digits))
        )
        if total % 10 == 0:
            return body + str(last)
    raise AssertionError


def nir(body13: str) -> str:
    return body13 + f"{97 - int(body13) % 97:02d}"


def chinese_id(body17: str) -> str:
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return (
        body17 + "10X98765432"[sum(int(c) * w for c, w in zip(body17, weights, strict=True)) % 11]
    )


def dni(number: int) -> str:
    return f"{number:08d}" + "TRWAGMYFPDXBNJZSQVHLCKE"[number % 23]


def test_generators_reproduce_published_examples():
    # NHS Digital's documentation example 943 476 5919; the Canadian SIN example 046 454 286;
    # the Chinese national standard GB 11643-1999 example 11010519491231002X; DNI 12345678Z.
    assert nhs_number(943476591) == "9434765919"
    assert luhn_complete("04645428") == "046454286"
    assert chinese_id("11010519491231002") == "11010519491231002X"
    assert dni(12345678) == "12345678Z"
    assert identifier_kind("943 476 5918") != "nhs"  # wrong check digit


IDENTIFIERS = _count(
    "identifier values (each country)",
    [
        ("850101-1234567", "resident registration numbers"),
        ("8501011234567", "resident registration numbers"),
        ("123-45-6789", "US social security numbers"),
        ("078-05-1120", "US social security numbers"),
        ("943 476 5919", "UK NHS numbers"),
        (nhs_number(401023213), "UK NHS numbers"),
        ("046 454 286", "Canadian social insurance numbers"),
        (luhn_complete("13052017"), "Canadian social insurance numbers"),
        (nir("1850578006084"), "French social security numbers"),
        (nir("2690149123456"), "French social security numbers"),
        ("11010519491231002X", "Chinese resident identity numbers"),
        (chinese_id("44030619850315123"), "Chinese resident identity numbers"),
        ("RSSMRA85T10A562S", "Italian tax codes"),
        ("12345678Z", "Spanish identity numbers"),
        (dni(87654321), "Spanish identity numbers"),
        ("X1234567L", "Spanish identity numbers"),
        ("someone@example.org", "e-mail addresses"),
        ("j.smith+hcc@hospital.co.uk", "e-mail addresses"),
        ("123.456.789-09", "Brazilian CPF numbers"),  # the published example (valid check digits)
        ("192.168.1.20", "IP addresses"),
        ("http://x.example/p1", "web addresses"),
    ],
)
PHONES = _count(
    "phone numbers (E.164 and national)",
    [
        "+44 20 7946 0958",
        "+1 (555) 123-4567",
        "+33 1 23 45 67 89",
        "+49 30 1234567",
        "+82-10-1234-5678",
        "+821012345678",
        "0044 20 7946 0958",
        "020 7946 0958",
        "(555) 123-4567",
        "555-123-4567",
        "555.123.4567",
        "01 23 45 67 89",
        "030 1234567",
        "010-1234-5678",
        "0151 2345 6789",
        "02-2258-1234",
    ],
)
DATES = _count(
    "dates in common formats",
    [
        "January 15, 2023",
        "15 Jan 2023",
        "20230115",
        "01/15/23",
        "15.01.2023",
        "2023-01-15",
        "15-Jan-2023",
        "Jan 15 2023",
        "Sept. 5, 2023",
        "15 janvier 2023",
        "15. Januar 2023",
        "2023/01/15",
        "1/5/2023",
        "2023-01-15T10:30:00",
        "2023년 1월 15일",
        "2023年1月15日",
    ],
)
NAMES = _count(
    "personal names (Latin script)",
    [
        "John Smith",
        "SMITH, John",
        "Smith, John",
        "Mary Ann Jones",
        "J. Smith",
        "Dr. John Smith",
        "José García",
        "Ludwig van Beethoven",
        "O'Brien, Patrick",
        "Jean-Luc Picard",
        "Nguyễn Văn An",  # diacritics beyond Latin-1 (Vietnamese)
    ],
)


@pytest.mark.parametrize(
    "value",
    _count(
        "names as patient_id only (any case, any script)",
        ["john smith", "NGUYEN VAN AN", "smith, john", "Иван Петров", "محمد علي"],
    ),
)
def test_names_in_any_case_are_refused_as_patient_id(tmp_path, value):
    refused(with_cells(tmp_path, patient_id=value), column="patient_id", secret=value)


@pytest.mark.parametrize(("value", "what"), IDENTIFIERS)
def test_identifier_in_patient_id_is_refused_and_masked(tmp_path, value, what):
    message = refused(
        with_cells(tmp_path, patient_id=value), column="patient_id", secret=value, code="identifier"
    )
    assert what in message
    # the masked form keeps no character of the value, not its first two nor its shape
    assert mask(value) == "[masked]" and "line 3: [masked]" in message
    assert value[:2] not in message.split("refused", 1)[1].split("[remove", 1)[0]


@pytest.mark.parametrize(("value", "what"), IDENTIFIERS)
def test_identifier_in_an_extra_column_is_refused(tmp_path, value, what):
    message = refused(
        with_extra(tmp_path, "note", ["", value, "", ""]),
        column="note",
        secret=value,
        code="identifier",
    )
    assert "line 3" in message and what in message


@pytest.mark.parametrize("value", PHONES)
def test_phone_numbers_are_refused(tmp_path, value):
    message = refused(
        with_extra(tmp_path, "remark", ["", "", value, ""]), column="remark", secret=value
    )
    assert "phone numbers" in message or "long digit runs" in message


@pytest.mark.parametrize("value", DATES)
def test_dates_in_any_common_format_are_refused(tmp_path, value):
    message = refused(
        with_extra(tmp_path, "visit", [value, "", "", ""]), column="visit", secret=value
    )
    assert "exact calendar dates" in message


@pytest.mark.parametrize("value", NAMES)
def test_names_are_refused_as_patient_id_and_in_extra_columns(tmp_path, value):
    refused(with_cells(tmp_path, patient_id=value), column="patient_id", secret=value)
    (tmp_path / "cohort.csv").unlink()
    message = refused(with_extra(tmp_path, "who", ["", value, "", ""]), column="who", secret=value)
    assert "personal names" in message


@pytest.mark.parametrize(
    ("column", "value"),
    _count(
        "identifiers in number and category columns",
        [
            ("sex", "850101-1234567"),
            ("best_response", "John Smith"),
            ("pvtt", "010-1234-5678"),
            ("afp_ng_ml", "7501011234567"),
            ("afp_ng_ml", "20230115"),
            ("age_years", "123-45-6789"),
            ("os_months", "15.01.2023"),
            ("tumor_size_mm", "someone@example.org"),
            ("age_years", "8501011234567"),
            ("os_event", "8501011234567"),
            ("child_pugh_score", "9434765919"),
            ("afp_ng_ml", "046454286"),
        ],
    ),
)
def test_identifier_in_a_schema_column_is_refused_and_never_echoed(tmp_path, column, value):
    refused(with_cells(tmp_path, **{column: value}), column=column, secret=value)


def test_other_problems_of_a_row_never_print_an_identifier_like_patient_id(tmp_path):
    path = with_cells(tmp_path, patient_id="850101-1234567", os_event="7", sex="X")
    message = refused(path, column="os_event", secret="850101-1234567")
    assert "[masked]" in message and "85" not in message.replace("0.85", "")
    assert "1234567" not in message
    # the id column is refused: the other problems name rows by line only
    assert "must be 0 or 1 — 1 row: line 3: 7 [" in message
    assert "(patient_id" not in message


@pytest.mark.parametrize(
    "name",
    _count(
        "identifier-like column names",
        [
            "initials",
            "Pt Initials",
            "nhs_number",
            "NHS No",
            "hosp_no",
            "case_no",
            "passport",
            "passport_number",
            "emr_id",
            "mrn",
            "SSN",
            "dob",
            "address",
            "zip",
            "postcode",
            "phone",
            "email",
            "name",
            "patient",
            "Patient Name",
            "surname",
            "hospital_id",
            "medicare_number",
            "insurance_id",
            "ip_address",
            "date_of_birth",
            "SIN",
            "CHI number",
            "driver_licence",
            "device_serial",
            "url",
            "admission_date",
            "D.O.B.",
            "HN",
            "UHID",
            "ipd_no",
            "ID number",
            "Họ tên",
            "mã bệnh nhân",
            "CCCD",
            "Vorname",
            "next_of_kin",
        ],
    ),
)
def test_identifier_like_column_names_are_refused(tmp_path, name):
    message = refused(with_extra(tmp_path, name, ["x"] * 4), column=name, code="identifier")
    assert "by its name" in message


@pytest.mark.parametrize(
    "name",
    _count(
        "identifiers in the header itself", ["850101-1234567", "someone@example.org", "2023-01-15"]
    ),
)
def test_identifier_in_a_header_cell_is_refused_and_masked(tmp_path, name):
    message = refused(
        with_extra(tmp_path, name, ["1"] * 4), column=mask(name), secret=name, code="identifier"
    )
    assert "the column name itself contains" in message


@pytest.mark.parametrize(
    "name",
    _count(
        "harmless extra column names", ["Overall Survival", "site", "arm", "study_id", "ldh_u_l"]
    ),
)
def test_harmless_extra_column_names_pass(tmp_path, name):
    assert name in accepted(with_extra(tmp_path, name, ["1", "2", "1", "2"])).columns


# --------------------------------------------------------------------------------------------
# bad values: numbers, identifiers' format
# --------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("column", "value", "hint"),
    _count(
        "bad numbers (underscore, non-finite, other scripts)",
        [
            ("age_years", "6_1", "'_' is not a digit separator"),
            ("afp_ng_ml", "1_200", "'_' is not a digit separator"),
            ("os_months", "1_2", "'_' is not a digit separator"),
            ("os_months", "inf", "finite"),
            ("afp_ng_ml", "Infinity", "finite"),
            ("afp_ng_ml", "-inf", "finite"),
            ("pivka2", "1e400", "finite"),
            ("albumin_g_dl", "0x10", ""),
            ("age_years", "٦١", ""),  # Arabic-Indic digits: Python's float reads 61
            ("age_years", "６１", ""),  # full-width digits
            ("albumin_g_dl", "3,8", "decimal point"),
            ("crp_mg_l", "<0.1", ""),
            ("os_event", "True", ""),
            ("tumor_number", "2.5", ""),
        ],
    ),
)
def test_bad_numbers_are_refused(tmp_path, column, value, hint):
    message = refused(with_cells(tmp_path, **{column: value}), column=column)
    assert hint in message


@pytest.mark.parametrize(
    ("value", "rule"),
    _count(
        "hostile patient_id (formula, control, length)",
        [
            ('=HYPERLINK("http://x.example/?a=1","click")', "formulas"),
            ("=1+1", "formulas"),
            ("+SUM(A1:A9)", "formulas"),
            ("-2+3", "formulas"),
            ("@SUM(A1)", "formulas"),
            ("P001\nP002", "control characters"),
            ("P\t001", "control characters"),
            ("P\x1b[31m001", "control characters"),
            ("P\u200b001", "control characters"),  # zero-width space
            ("P\u202e100", "control characters"),  # right-to-left override
            ("P" * 65, "at most 64 characters"),
            ("P" * 100_000, "at most 64 characters"),
        ],
    ),
)
def test_hostile_patient_ids_are_refused_without_echo(tmp_path, value, rule):
    message = refused(with_cells(tmp_path, patient_id=value), column="patient_id", secret=value)
    assert rule in message
    assert len(message) < 5000  # a 100,000-character id is never printed


# --------------------------------------------------------------------------------------------
# unit mistakes and implausible values
# --------------------------------------------------------------------------------------------
def scaled(tmp_path, column, factor, digits=1):
    # CRP's median rule judges 10 values or more (schema median_count): the four rows repeated
    rows = enough_rows(10) if column == "crp_mg_l" else valid_rows()
    for r in rows:
        if r[column]:
            r[column] = f"{float(r[column]) * factor:.{digits}f}"
    return write(tmp_path, rows)


def test_times_in_days_are_refused_naming_the_unit(tmp_path):
    rows = valid_rows()
    for r in rows:
        for c in ("os_months", "pfs_months", "response_month", "additional_tace_month"):
            if r[c]:
                r[c] = str(round(float(r[c]) * 30.4375))
    message = refused(write(tmp_path, rows), column="os_months", code="unit")
    assert "looks like days, not months" in message
    assert "column pfs_months: looks like days" in message


def test_a_few_times_in_days_are_refused_row_by_row(tmp_path):
    """Review: two rows with os_months 310 and 420 (26 and 35 years after HAIC; days typed in
    two rows) passed, exit 0: the days check judged the column's median. A time above
    ``plausible: days_max`` (240 months) in any row is refused, naming the column, the rows and
    the likely unit; an identifier-looking id is not shown beside them."""
    rows = enough_rows(10)
    rows[1]["os_months"], rows[4]["os_months"] = "310", "420"
    rows[1]["patient_id"] = "943 476 5919"  # an NHS number: refused, and never echoed
    message = refused(write(tmp_path, rows), column="os_months", secret="943 476 5919")
    line = next(x for x in message.splitlines() if "column os_months: must be ≤ 240 months" in x)
    assert (
        "probably in days" in line
        and "(days?)" not in line
        and "2 rows" in line
        and "divide days by 30.4375" in line
    ), line
    assert "looks like days, not months" not in message  # the median is months
    ok = enough_rows(10)
    ok[1]["os_months"] = "239.9"  # 20 years less a few days: long, but months
    load_cohort(write(tmp_path, ok, name="ok.csv"), min_patients=0)


@pytest.mark.parametrize(
    ("column", "cell", "rule"),
    [
        ("os_months", "240.000001", "must be ≤ 240 months"),
        ("pfs_months", "240.0000000001", "must be ≤ 240 months"),
        ("os_months", "600.000001", "must be ≤ 600 months"),
    ],
)
def test_a_time_a_hair_above_its_limit_is_not_shown_as_the_limit(tmp_path, column, cell, rule):
    """240.000001 months was refused as "must be ≤ 240 …: 240" (eight significant digits):
    a value that would print as the bound it broke is shown with all its digits."""
    rows = enough_rows(10)
    rows[1][column] = cell
    rows[1]["os_months"] = max(rows[1]["os_months"], cell, key=float)  # pfs <= os
    message = refused(write(tmp_path, rows), column=column)
    line = next(x for x in message.splitlines() if f"column {column}: {rule}" in x)
    assert f": {cell} [" in line or line.endswith(f": {cell}"), line
    ok = enough_rows(10)
    ok[1]["os_months"] = "240"  # the limit itself passes
    load_cohort(write(tmp_path, ok, name="ok.csv"), min_patients=0)


def test_a_number_a_hair_above_ten_million_is_still_described(tmp_path):
    """AFP's limit is 10,000,000 ng/mL: a value past it that would show as the limit is still
    described by its digits (a hospital number?), not shown with all of them."""
    rows = enough_rows(10)
    rows[1]["afp_ng_ml"] = "10000000.5"
    message = refused(write(tmp_path, rows), column="afp_ng_ml", secret="10000000.5")
    assert "an 8-digit number" in message, message


def test_a_column_in_days_is_refused_once_as_a_column(tmp_path):
    """A whole column in days gets the column's message only, not also one row by row."""
    rows = valid_rows()
    for r in rows:
        r["pfs_months"] = str(round(float(r["pfs_months"]) * 30.4375))
        r["os_months"] = str(round(float(r["os_months"]) * 30.4375))
    message = refused(write(tmp_path, rows), column="pfs_months", code="unit")
    assert "column pfs_months: looks like days" in message
    assert "must be ≤ 240 months" not in message, message


@pytest.mark.parametrize(
    ("column", "factor", "expect"),
    _count(
        "unit mistakes",
        [
            ("weight_kg", 2.20462, "pounds"),
            ("albumin_g_dl", 10, "g/L"),
            ("bilirubin_mg_dl", 17.104, "µmol/L"),
            ("height_cm", 0.01, " m: multiply"),
            ("height_cm", 1 / 2.54, "inches"),
            ("ast_u_l", 1 / 60, "µkat/L"),
            ("alt_u_l", 1 / 60, "µkat/L"),
            ("tumor_size_mm", 0.1, "cm"),
            ("inr", 11.5, "prothrombin time"),
            # the paper labels CRP mg/L but its values fit mg/dL: a laboratory's mg/L was taken
            # silently, and split at > 3 where the paper's patients were split at > 30 mg/L
            ("crp_mg_l", 10, "looks like mg/L, not the paper's scale"),
        ],
    ),
)
def test_unit_mistakes_name_the_column_and_the_likely_unit(tmp_path, column, factor, expect):
    message = refused(scaled(tmp_path, column, factor, digits=3), column=column)
    assert expect in message


def test_crp_median_judges_a_cohort_not_one_ill_patient():
    """A CRP median above 5 on the paper's scale (mg/dL) says mg/L for a cohort, but one or a few
    patients can be that ill: the rule judges 10 values or more (schema ``median_count``). One
    patient with 5.05 mg/dL (a patient of the book's cohort, run alone) was refused."""
    from analysis import COHORT_CSV
    from analysis.cohort import validate_cohort

    cohort = load_cohort(COHORT_CSV)
    ill = cohort[cohort["crp_mg_l"] > 5]
    assert len(ill) >= 1

    def crp_problems(df):
        return [p for p in validate_cohort(df) if p.column == "crp_mg_l"]

    assert crp_problems(ill.head(1).reset_index(drop=True)) == []
    tenfold = cohort.assign(crp_mg_l=cohort["crp_mg_l"] * 10)
    assert crp_problems(tenfold.head(9)) == []
    assert "looks like mg/L" in crp_problems(tenfold.head(10))[0].rule
    assert SCHEMA["crp_mg_l"].plausible.median_count == 10


@pytest.mark.parametrize(
    ("column", "value"),
    _count(
        "values beyond any physiological range",
        [
            ("afp_ng_ml", "1e300"),
            ("afp_ng_ml", "25000000"),
            ("pivka2", "1e12"),
            ("os_months", "1200"),
            ("bilirubin_mg_dl", "80"),
            ("albumin_g_dl", "45"),
            ("age_years", "250"),
        ],
    ),
)
def test_values_beyond_any_physiological_range_are_refused(tmp_path, column, value):
    refused(with_cells(tmp_path, line=5, **{column: value}), column=column)


# --------------------------------------------------------------------------------------------
# bad files
# --------------------------------------------------------------------------------------------
def _valid_text(tmp_path) -> str:
    return write(tmp_path, valid_rows(), name="_src.csv").read_text(encoding="utf-8")


BAD_FILES = _count(
    "bad files",
    [
        ("empty", lambda t: b"", "is empty"),
        ("blank", lambda t: b"  \n\n \n", "empty"),
        ("xlsx", lambda t: b"PK\x03\x04" + bytes(range(256)), "ZIP archive"),
        ("xls", lambda t: b"\xd0\xcf\x11\xe0" + bytes(64), "Excel .xls"),
        ("pdf", lambda t: b"%PDF-1.7\n", "PDF"),
        ("gzip", lambda t: b"\x1f\x8b\x08" + bytes(20), "gzip"),
        ("sav", lambda t: b"$FL2@(#) IBM SPSS", "SPSS"),
        ("nul", lambda t: t.encode()[:200] + b"\x00\x00" + t.encode()[200:], "NUL"),
        ("utf16", lambda t: t.encode("utf-16"), "UTF-16"),
        ("cp949", lambda t: t.replace("P003", "P003-김").encode("cp949"), "CP949"),
        # Vietnamese Windows (1258): ệ is ê and a combining dot below; ễ is ê and a combining
        # tilde, two bytes CP949 reads as one Chinese character, so the file was called Korean
        ("cp1258", lambda t: t.encode().replace(b"P003", b"P003-Vi\xea\xf2t"), "Windows-1258"),
        (
            "cp1258-cp949",
            lambda t: t.encode().replace(b"P003", b"P003-Nguy\xea\xden"),
            "decodes as Windows-1258 (Vietnamese Windows)",
        ),
        ("latin1", lambda t: t.replace("P003", "P003-é").encode("latin-1"), "UTF-8"),
        ("semicolon", lambda t: t.replace(",", ";").encode(), "semicolons"),
        ("tab", lambda t: t.replace(",", "\t").encode(), "tabs"),
        ("pipe", lambda t: t.replace(",", "|").encode(), "vertical bars"),
        ("header-only", lambda t: t.splitlines()[0].encode() + b"\n", "no data rows"),
        ("ragged", lambda t: (t.replace("\nP002,", "\nP002,extra,", 1)).encode(), "fields"),
        ("short-row", lambda t: t.rstrip("\n").encode() + b"\nP009,61\n", "fields"),
        (
            "dup-header",
            lambda t: t.replace("inr", "age_years", 1).encode(),
            "column age_years: column name appears more than once",
        ),
        ("empty-header", lambda t: t.replace("pivka2", "", 1).encode(), "empty column name"),
    ],
)


@pytest.mark.parametrize(("kind", "make", "expect"), BAD_FILES, ids=[b[0] for b in BAD_FILES])
def test_bad_files_are_refused_with_one_clear_message(tmp_path, kind, make, expect):
    path = tmp_path / "bad.csv"
    path.write_bytes(make(_valid_text(tmp_path)))
    (tmp_path / "_src.csv").unlink()
    message = refused(path, column="age_years" if kind == "dup-header" else None)
    assert expect in message


def test_missing_file_and_directory(tmp_path):
    folder = tmp_path / "Ünï 목록"
    folder.mkdir()
    with pytest.raises(CohortError, match="nope.csv does not exist") as info:
        load_cohort(folder / "nope.csv", min_patients=0)
    assert str(folder) not in str(info.value)  # the folder is never echoed
    with pytest.raises(CohortError, match="is a directory"):
        load_cohort(folder, min_patients=0)
    assert list(folder.iterdir()) == []


@pytest.mark.parametrize("kind", ["fifo", "device"])
def test_pipe_or_device_is_refused_without_reading(tmp_path, kind):
    if kind == "fifo":
        path = tmp_path / "cohort.csv"
        os.mkfifo(path)  # reading it would block forever
    else:
        path = Path("/dev/zero")  # reading it would never end
    with pytest.raises(CohortError, match=r"not a regular file \(a pipe or device\)") as info:
        load_cohort(path, min_patients=0)
    assert info.value.fatal


# --------------------------------------------------------------------------------------------
# odd but valid cohorts
# --------------------------------------------------------------------------------------------
def _one(tmp_path):
    return write(tmp_path, valid_rows()[:1])


def _optional_absent(tmp_path):
    return write(tmp_path, valid_rows(), header=SCHEMA.required)


def _all_censored(tmp_path):
    rows = valid_rows()
    for r in rows:
        r["os_event"] = "0"
        r["pfs_event"] = "0"
    return write(tmp_path, rows)


def _ties(tmp_path):
    rows = valid_rows()
    for r in rows:
        r["os_months"] = "9.4"
        r["pfs_months"] = "1.5"
        r["response_month"] = "1.5"
        r["additional_tace_month"] = "1.0" if r["additional_tace"] == "1" else ""
    return write(tmp_path, rows)


def _labels(tmp_path):
    rows = valid_rows()
    sites = [
        "Seoul National University Hospital",
        "Asan Medical Center",
        "Asan Medical Center",
        "Seoul National University Hospital",
    ]
    arms = ["HAIC Alone", "Sorafenib Alone", "HAIC Alone", "HAIC Alone"]
    notes = ["Stable Disease", "lost to follow up after cycle 3", "", "Child Pugh B"]
    for r, s, a, n in zip(rows, sites, arms, notes, strict=True):
        r.update(site=s, arm=a, comment=n)
    return write(tmp_path, rows, header=[*HEADER, "site", "arm", "comment"])


def _quoted_crlf_bom(tmp_path):
    path = write(tmp_path, valid_rows(), quoting=csv.QUOTE_ALL)
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n"))
    return path


def _spaces_and_blank_lines(tmp_path):
    path = write(tmp_path, valid_rows())
    lines = path.read_text(encoding="utf-8").splitlines()
    lines = [lines[0]] + [" , ".join(x.split(",")) for x in lines[1:]]
    path.write_text("\n".join(lines[:2] + [""] + lines[2:]) + "\n\n\n", encoding="utf-8")
    return path


def _numbers_in_odd_but_valid_forms(tmp_path):
    rows = valid_rows()
    rows[0].update(age_years="61.0", afp_ng_ml="1.205e2", crp_mg_l=".9", os_months="14.20")
    return write(tmp_path, rows)


def _ids(tmp_path):
    rows = valid_rows()
    for r, pid in zip(rows, ["HCC-2019-001", "SYN_002", "case 3", "P-004"], strict=True):
        r["patient_id"] = pid
    return write(tmp_path, rows)


def _uuid_ids(tmp_path):
    """UUIDs are pseudonyms even when their digits read as an NHS number or a 7-digit run."""
    rows = valid_rows()
    uuids = [
        "00000001-1234-4abc-8def-0123456789ab",
        "12345678-90ab-4cde-8f01-234567890abc",
        "3f2504e0-4f89-11d3-9a0c-0305e82c3301",
        "A987FBC9-4BED-3078-CF07-9141BA07C9F3",
    ]
    for r, pid in zip(rows, uuids, strict=True):
        r["patient_id"] = pid
    return write(tmp_path, rows)


def _lone_cr(tmp_path):
    path = write(tmp_path, valid_rows())
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r"))
    return path


def _long_cohort_long_values(tmp_path):
    rows = []
    for i in range(300):
        row = dict(valid_rows()[i % 4])
        row["patient_id"] = f"S{i:05d}"
        rows.append(row)
    return write(tmp_path, rows)


VALID = _count(
    "odd but valid cohorts",
    [
        _one,
        _optional_absent,
        _all_censored,
        _ties,
        _labels,
        _quoted_crlf_bom,
        _spaces_and_blank_lines,
        _numbers_in_odd_but_valid_forms,
        _ids,
        _uuid_ids,
        _lone_cr,
        _long_cohort_long_values,
    ],
)


@pytest.mark.parametrize("make", VALID, ids=[f.__name__.strip("_") for f in VALID])
def test_odd_but_valid_cohorts_load(tmp_path, make):
    df = accepted(make(tmp_path))
    assert len(df) >= 1


def test_free_text_column_is_a_warning_not_a_refusal(tmp_path):
    notes = ["tolerated the first cycle well with mild nausea only", "", "", ""]
    df = accepted(with_extra(tmp_path, "clinical_notes", notes))
    [warning] = df.attrs["warnings"]
    assert "column clinical_notes: looks like free text" in warning


def test_long_free_text_cells_are_linear(tmp_path):
    """300 KB of hostile text (no '@' after long runs of e-mail characters) in seconds."""
    import time

    rows = [
        {**r, "note": ("ab.+-" * 6000) if i % 2 else "x" * 30000}
        for i, r in enumerate(valid_rows())
    ]
    path = write(tmp_path, rows * 3, header=[*HEADER, "note"])
    for i, r in enumerate(rows * 3):
        r["patient_id"] = f"P{i:03d}"
    path = write(
        tmp_path,
        [dict(r, patient_id=f"P{i:03d}") for i, r in enumerate(rows * 3)],
        header=[*HEADER, "note"],
    )
    started = time.process_time()
    df = accepted(path)
    assert time.process_time() - started < 5
    assert len(df) == 12


# --------------------------------------------------------------------------------------------
# the CLI, a representative subset
# --------------------------------------------------------------------------------------------
CLI_CASES = _count(
    "CLI (subprocess)",
    [
        ("ok", {}, 0, "OK: ", False),
        ("rrn-id", {"patient_id": "850101-1234567"}, 1, "column patient_id:", True),
        ("ssn-extra", {"note": "123-45-6789"}, 1, "column note:", True),
        ("name-id", {"patient_id": "SMITH, John"}, 1, "column patient_id:", True),
        ("formula", {"patient_id": "=HYPERLINK(1)"}, 1, "formulas", True),
        ("underscore", {"age_years": "6_1"}, 1, "column age_years:", False),
        ("afp", {"afp_ng_ml": "1e300"}, 1, "column afp_ng_ml:", False),
        ("date", {"note": "January 15, 2023"}, 1, "column note:", True),
        ("lower-name", {"note": "john smith"}, 1, "personal names", True),
        ("hospital-no", {"note": "12345678"}, 1, "hospital registration numbers", True),
        ("mrn", {"note": "MRN: 0012345"}, 1, "record numbers named in the cell", True),
        ("nric", {"note": "S1234567D"}, 1, "Singapore NRIC/FIN numbers", True),
        ("full-width", {"note": "８５０１０１-１２３４５６７"}, 1, "resident registration", True),
        (
            "no-echo",
            {"afp_ng_ml": "john smith"},
            1,
            "a 10-character text value, not a number",
            True,
        ),
        ("no-echo-cat", {"best_response": "Иван Петров"}, 1, "an 11-character text value", True),
    ],
)


@pytest.mark.parametrize(
    ("kind", "cells", "status", "expect", "secret"), CLI_CASES, ids=[c[0] for c in CLI_CASES]
)
def test_validate_cli(tmp_path, kind, cells, status, expect, secret):
    rows = enough_rows()
    rows[1].update(cells)
    header = [*HEADER, "note"] if "note" in cells else None
    path = write(tmp_path, rows, header=header)
    # two cases as the real command in a subprocess (exit code and output of the process: a
    # clean cohort, and an identifier refused without echo), the others through the same main()
    # in this process (a value refused without echo in a number message: "no-echo")
    code, output = cli(path, subprocess_=kind in ("ok", "rrn-id"))
    assert code == status, output
    assert expect in output
    for value in cells.values():
        if secret:
            assert value not in output


def test_validate_cli_unreadable_file_exit_2(tmp_path):
    path = tmp_path / "cohort.xlsx"
    path.write_bytes(b"PK\x03\x04" + bytes(100))
    code, output = cli(path, subprocess_=False)
    assert code == 2 and "file: is not a CSV text file" in output


def test_validate_cli_missing_file_exit_2(tmp_path):
    code, output = cli(tmp_path / "nope.csv")
    assert code == 2 and "does not exist" in output


# --------------------------------------------------------------------------------------------
# property-based: generated identifiers are refused, generated valid cohorts pass
# --------------------------------------------------------------------------------------------
PROPERTY = _count("property-based (Hypothesis)", ["nhs", "sin", "nir", "cn", "dni", "valid"])
FAST = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@FAST
@given(st.integers(10**8, 10**9 - 1))
def test_any_valid_nhs_number_is_caught_in_any_spelling(seed):
    number = nhs_number(seed)
    for spelled in (
        number,
        f"{number[:3]} {number[3:6]} {number[6:]}",
        f"{number[:3]}-{number[3:6]}-{number[6:]}",
    ):
        assert identifier_kind(spelled) is not None
        assert identifier_kind(spelled, in_id=True) is not None


@FAST
@given(st.integers(10**7, 10**8 - 1))
def test_any_luhn_valid_sin_is_caught(body):
    sin = luhn_complete(str(body))
    assert identifier_kind(f"{sin[:3]} {sin[3:6]} {sin[6:]}") is not None


@FAST
@given(
    st.sampled_from("12"),
    st.integers(0, 99),
    st.integers(1, 12),
    st.integers(1, 95),
    st.integers(1, 999),
    st.integers(1, 999),
)
def test_any_nir_is_caught(sex, year, month, dept, commune, order):
    number = nir(f"{sex}{year:02d}{month:02d}{dept:02d}{commune:03d}{order:03d}")
    assert identifier_kind(number) == "nir"


@FAST
@given(st.integers(110000, 659999), st.dates(), st.integers(0, 999))
def test_any_chinese_id_is_caught(region, born, order):
    number = chinese_id(f"{region}{born.year:04d}{born.month:02d}{born.day:02d}{order:03d}")
    if 1800 <= born.year <= 2099:
        assert identifier_kind(number) is not None


@FAST
@given(st.integers(0, 10**8 - 1))
def test_any_dni_is_caught(number):
    assert identifier_kind(dni(number)) is not None


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.tuples(
            st.integers(19, 110),  # the schema: older than 18
            st.floats(0.01, 60, allow_nan=False),
            st.floats(0, 1),
            st.booleans(),
            st.floats(1, 2000),
        ),
        min_size=1,
        max_size=15,
    )
)
def test_generated_valid_cohorts_pass(tmp_path_factory, patients):
    tmp_path = tmp_path_factory.mktemp("gen")
    rows = []
    for i, (age, os_m, share, died, afp) in enumerate(patients):
        row = dict(BASE)
        pfs = os_m * share
        row.update(
            patient_id=f"P{i + 1:03d}",
            age_years=str(age),
            os_months=f"{os_m:.2f}",
            pfs_months=f"{min(pfs, os_m):.2f}",
            os_event="1" if died else "0",
            pfs_event="1",
            response_month=f"{min(pfs, os_m):.2f}",
            afp_ng_ml=f"{afp:.1f}",
        )
        rows.append(row)
    df = accepted(write(tmp_path, rows))
    assert len(df) == len(patients)


def test_case_counts_are_reported(capsys):
    """At least 100 cases; the counts by kind go in the closing note of issue 11."""
    total = sum(CASES.values())
    with capsys.disabled():
        print("\nadversarial cases by kind:", dict(sorted(CASES.items())), "total", total)
    assert total >= 100


@pytest.mark.parametrize(
    "command",
    [
        ["validate", "data/cohort.csv"],
        ["dose", "--height-cm", "100", "--weight-kg", "250", "--confirm-bmi"],
    ],
)
def test_a_reader_that_closes_the_pipe_gets_no_traceback(command):
    """``python -m analysis validate FILE | true``: the reader is gone before the output is
    written; the command ends quietly (exit 141, as a shell tool closed by SIGPIPE) instead of
    printing a BrokenPipeError traceback."""
    root = Path(__file__).resolve().parent.parent
    proc = subprocess.Popen(
        [sys.executable, "-m", "analysis", *command],
        cwd=root, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip
    proc.stdout.close()  # the reader goes away before anything is written
    err = proc.stderr.read().decode()
    proc.stderr.close()
    code = proc.wait(timeout=60)
    assert "Traceback" not in err and "BrokenPipeError" not in err, err
    assert code in (0, 141)
