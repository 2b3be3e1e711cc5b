"""The JSH 2021 criteria of TACE refractoriness in a user's cohort: ``validate`` passed a cohort
in which a criterion column was all 0 (an export that wrote unknown values as 0?) and one with
patients meeting none of the five (not TACE-refractory, so outside the study's eligibility)
without a word. Both are warnings (the data may be right): the file stays valid, the column
is named with its criterion's label, the patients are counted and named by their lines, never
by their ids."""

from __future__ import annotations

import pandas as pd
import pytest
from cli_output import unwrapped
from test_cli_hostile import call_cli

from analysis import COHORT_CSV
from analysis.clinical import JSH_COHORT_COLUMNS
from analysis.cohort import check_cohort_file, validate_cohort, warning_lines

CRITERIA = list(JSH_COHORT_COLUMNS.values())


def _book() -> pd.DataFrame:
    return pd.read_csv(COHORT_CSV, dtype=str, keep_default_na=False)


def _write(tmp_path, frame: pd.DataFrame, name="mine.csv"):
    path = tmp_path / name
    frame.to_csv(path, index=False)
    return path


def _jsh(warnings) -> list:
    return [w for w in warnings if w.code.startswith("jsh-")]


def test_the_book_cohort_has_no_jsh_warning():
    assert _jsh(check_cohort_file(COHORT_CSV).warnings) == []


def test_a_criterion_column_all_zero_is_a_warning_naming_the_column_and_its_label(tmp_path, capsys):
    path = _write(tmp_path, _book().assign(refractory_extrahepatic="0"))
    code, out, err = call_cli(["validate", str(path)], capsys)
    assert code == 0, out + err  # a warning: the file stays valid
    [warning] = _jsh(check_cohort_file(path).warnings)
    text = str(warning)
    assert warning.code == "jsh-never-met" and warning.column == "refractory_extrahepatic"
    assert text.startswith("warning: column refractory_extrahepatic: every value is 0 ")
    assert "“Extrahepatic spread”" in text and "in the paper 5 of 82 met it" in text
    assert "leave them empty (or write NA)" in text
    assert "refractory_extrahepatic" in out and "OK: " in out
    assert "SYN" not in out  # never an id


def test_a_rare_criterion_absent_from_a_small_cohort_is_expected(tmp_path):
    """Extrahepatic spread, 5 of 82 in the paper: 20 patients without it happen in 29% of
    cohorts at that rate, so no warning; poor response (62 of 82) absent from 20 is a warning."""
    small = _book().head(20)
    quiet = check_cohort_file(_write(tmp_path, small.assign(refractory_extrahepatic="0")))
    assert _jsh(quiet.warnings) == []
    loud = check_cohort_file(_write(tmp_path, small.assign(refractory_poor_response="0"), "b.csv"))
    [warning] = [w for w in loud.warnings if w.code == "jsh-never-met"]
    assert warning.column == "refractory_poor_response"
    assert "“Poor response”" in str(warning) and "62 of 82 met it, so 0 of 20 here" in str(warning)


def test_a_column_with_a_one_or_only_blanks_is_not_warned_of(tmp_path):
    book = _book()
    blank = book.assign(refractory_extrahepatic="")  # unknown, said as unknown
    assert _jsh(check_cohort_file(_write(tmp_path, blank)).warnings) == []
    absent = book.drop(columns=CRITERIA)  # optional columns
    assert _jsh(check_cohort_file(_write(tmp_path, absent, "b.csv")).warnings) == []


def test_patients_meeting_no_criterion_are_counted_by_line_never_by_id(tmp_path, capsys):
    frame = _book()
    frame.loc[[2, 7, 30], CRITERIA] = "0"  # lines 4, 9 and 32
    frame.loc[40, CRITERIA] = ["0", "0", "", "0", "0"]  # one left empty: may meet it
    path = _write(tmp_path, frame)
    code, out, err = call_cli(["validate", str(path)], capsys)
    assert code == 0, out + err
    [warning] = _jsh(check_cohort_file(path).warnings)
    assert warning.code == "jsh-none-met" and warning.n_rows == 3
    text = str(warning)
    assert text.startswith("warning: file: patients meet none of the five JSH criteria ")
    assert "not TACE-refractory by JSH 2021" in text and "eligibility" in text
    assert "— 3 rows: line 4; line 9; line 32 [" in text
    ids = set(frame["patient_id"])
    assert not any(i in out for i in ids)


@pytest.mark.parametrize("chunk_rows", [1, 7, 50_000])
def test_the_same_whatever_the_chunks(tmp_path, chunk_rows):
    frame = _book()
    frame.loc[range(0, 82, 9), CRITERIA] = "0"  # lines 2, 11 … 83: ten patients
    frame.loc[~frame.index.isin(range(0, 82, 9)), "refractory_poor_response"] = "1"
    frame["refractory_new_lesions"] = "0"  # the others all meet poor response
    path = _write(tmp_path, frame)
    warnings = _jsh(check_cohort_file(path, chunk_rows=chunk_rows).warnings)
    lines = [unwrapped(w) for w in warning_lines(warnings)]
    assert len(lines) == 2
    assert "column refractory_new_lesions: every value is 0" in lines[0]
    assert "— 10 rows: line 2; line 11; line 20; line 29; line 38; … and 5 more [" in lines[1]


def test_a_dataframe_is_checked_alike():
    frame = pd.read_csv(COHORT_CSV).assign(refractory_tumor_marker=0)
    frame.loc[5, CRITERIA] = 0
    codes = [(p.code, p.column) for p in validate_cohort(frame) if p.severity == "warning"]
    assert codes == [
        ("jsh-never-met", "refractory_tumor_marker"),
        ("jsh-none-met", None),
    ]
