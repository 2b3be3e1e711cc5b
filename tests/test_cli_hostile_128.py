"""Hostile review of the command line, session 128: a patient entered twice under two ids, and
the warnings ``validate`` prints that ``run`` did not repeat."""

from __future__ import annotations

import pandas as pd
import pytest
from cli_output import unwrapped
from cohort_runs import TINY_CHAPTER
from test_cohort import enough_rows, write

from analysis.__main__ import main
from analysis.cohort import check_cohort_file, load_cohort, validate_cohort, warning_lines

#: the chapters' kernels are forked from one process that imported what they import
pytestmark = pytest.mark.usefixtures("forked_kernels", "forked_programs")

NOTE = "tolerated the first cycle well with mild nausea only and some fatigue"


def _call(argv, capsys):
    try:
        code = main(argv)
    except SystemExit as exc:
        code = exc.code
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, unwrapped(out), unwrapped(err)  # each wrapped message on one line


def _twice(n: int = 12) -> list[dict[str, str]]:
    """``n`` valid patients; lines 9 and 12 repeat lines 3 and 4 in every column but their
    ids."""
    rows = enough_rows(n)
    rows[7] = {**rows[1], "patient_id": "Q-TWIN-A"}
    rows[10] = {**rows[2], "patient_id": "Q-TWIN-B"}
    return rows


def test_a_patient_entered_twice_under_two_ids_is_a_warning_naming_lines_not_ids(tmp_path, capsys):
    """Every column equal but ``patient_id``: accepted without a word before. Now a warning
    (the file stays valid: exit 0), naming how many rows and their lines, never the ids."""
    path = write(tmp_path, _twice())
    code, out, err = _call(["validate", str(path)], capsys)
    assert code == 0, out
    lines = out.splitlines()
    # the verdict first, counting the warnings listed under it (it was the last line)
    assert lines[0].startswith(f"OK: {path}: 12 patients;") and lines[0].endswith("; 1 warning:")
    [warning] = [line for line in lines if "repeat" in line]
    assert warning.startswith("  - warning: file: rows repeat an earlier row in every column but ")
    assert "— 2 rows: line 9: same as line 3; line 12: same as line 4 [" in warning
    assert "TWIN" not in out + err and "P00" not in out + err
    # the library says the same: the report's warnings and load_cohort's attrs
    report = check_cohort_file(path)
    assert report.problems == [] and [p.code for p in report.warnings] == ["repeated-row"]
    assert load_cohort(path).attrs["warnings"] == [str(report.warnings[0])]
    # a DataFrame (the tests' and the chapters' own frames) is not warned about
    assert validate_cohort(pd.read_csv(path, dtype=str, keep_default_na=False)) == []


def test_a_repeat_is_found_across_chunks_and_an_empty_cell_is_not_the_text_none(tmp_path):
    """Rows are compared by a hash of their cells (:meth:`analysis.cohort.CohortValidator.
    _hash_rows`), each chunk's own: a row repeats one of another chunk however the file is cut,
    and an empty cell hashes as a missing value, not as a text (a note reading "None" is not an
    empty note: line 14 differs from line 3 by that alone)."""
    rows = [dict(r, clinical_notes="") for r in _twice()]
    rows.append({**rows[1], "patient_id": "Q-OTHER", "clinical_notes": "None"})
    path = write(tmp_path, rows, header=[*rows[0]])
    expected = "— 2 rows: line 9: same as line 3; line 12: same as line 4 ["
    for chunk_rows in (50_000, 1, 2, 5, 7):  # chunks of 5, 5 and 3 rows; of 7 and 6
        [repeat] = [
            str(w)
            for w in check_cohort_file(path, chunk_rows=chunk_rows).warnings
            if w.code == "repeated-row"
        ]
        assert expected in repeat, (chunk_rows, repeat)


def test_a_row_repeated_with_its_id_is_the_unique_error_not_also_a_warning(tmp_path, capsys):
    rows = _twice()
    rows.append(dict(rows[11]))  # line 14 = line 13, id and all
    code, out, _ = _call(["validate", str(write(tmp_path, rows))], capsys)
    assert code == 1
    assert "column patient_id: must be unique, but values repeat" in out
    assert "line 14: same id as line 13" in out
    [warning] = [line for line in out.splitlines() if "rows repeat" in line]
    assert "— 2 rows: line 9: same as line 3; line 12: same as line 4 [" in warning


def test_distinct_rows_give_no_repeat_warning(tmp_path, capsys):
    rows = enough_rows(12)
    code, out, _ = _call(["validate", str(write(tmp_path, rows))], capsys)
    assert code == 0 and out.startswith("OK: ") and "repeat" not in out


def _with_notes(rows):
    rows = [dict(r, clinical_notes="") for r in rows]
    rows[0]["clinical_notes"] = NOTE
    return rows


def _validate_warnings(path, capsys):
    _, out, _ = _call(["validate", str(path)], capsys)
    return [line for line in out.splitlines() if line.startswith("  - warning: ")]


def test_run_repeats_every_warning_validate_prints_on_an_invalid_cohort(tmp_path, capsys):
    """``run`` listed an invalid cohort's problems but not its warnings (a free-text column),
    which ``validate`` prints beside them."""
    rows = _with_notes(_twice())
    rows[0]["sex"] = "X"
    path = write(tmp_path, rows, header=[*rows[0]])
    expected = _validate_warnings(path, capsys)
    assert len(expected) == 2 and "free text" in expected[0] and "rows repeat" in expected[1]
    code, out, err = _call(["run", "--cohort", str(path), "--out", str(tmp_path / "r")], capsys)
    assert code == 2 and out == ""
    assert [line for line in err.splitlines() if line.startswith("  - warning: ")] == expected
    assert not (tmp_path / "r").exists()


@pytest.mark.slow(seconds=8)
def test_run_repeats_every_warning_validate_prints_on_a_valid_cohort(tmp_path, capsys):
    """A valid cohort with a free-text column: ``validate`` warned, ``run`` said nothing and
    ran. Now ``run`` prints the same lines (one shared function) before its chapters."""
    chapters = tmp_path / "chapters"
    chapters.mkdir()
    (chapters / "01-tiny.md").write_text(TINY_CHAPTER, encoding="utf-8")
    rows = _with_notes(_twice())
    path = write(tmp_path, rows, header=[*rows[0]])
    expected = _validate_warnings(path, capsys)
    assert expected == [unwrapped(w) for w in warning_lines(check_cohort_file(path).warnings)]
    assert len(expected) == 2
    argv = ["run", "--cohort", str(path), "--out", str(tmp_path / "r"), "--quiet"]
    code, out, err = _call([*argv, "--chapters-dir", str(chapters)], capsys)
    assert code == 0, err
    lines = err.splitlines()
    assert [line for line in lines if line.startswith("  - warning: ")] == expected
    assert lines.index(expected[-1]) < lines.index("[1/1] 01-tiny")  # before any chapter
    # under a verdict that counts them, as validate's
    assert lines[lines.index(expected[0]) - 1] == f"OK: {path.name}: 12 patients; 2 warnings:"
    # and again in the summary, under the line that ends the run: a long run's output had
    # scrolled them away
    summary = out.splitlines()
    assert summary[0].startswith("ran 1 chapter (01-tiny)") and summary[1:3] == expected
    assert summary[0].endswith(" s; 2 cohort warnings:")
    assert "TWIN" not in out + err
