"""No message of ``validate``, :func:`~analysis.cohort.load_cohort` or ``run``'s refusal names a
row by its ``patient_id``.

Every message used to say "line 7 (patient_id P005)", the id masked only when the privacy guard
took it for an identifier; a surname with initials (``KIM-MS``) or a name with a digit
(``Nguyen Van F5``) passed the guard and was printed, and a pseudonymous study id may be another
institution's medical-record number anyway. Rows are now named by their line in the file (by
their position in a DataFrame) and repeated ids by the lines that share them; each message
still names the column, the value when it cannot be an identifier, the line and the fix.
"""

from __future__ import annotations

import pandas as pd
import pytest
from cli_output import unwrapped
from test_cohort import enough_rows, write

from analysis.__main__ import main
from analysis.cohort import CohortError, load_cohort, validate_cohort

#: Ids that must never be printed: two that pass the privacy guard (a surname and initials, a
#: name with a digit), a Korean name and an 8-digit record number (the guard refuses both),
#: and a plain study id.
IDS = ["KIM-MS", "Nguyen Van F5", "홍길동", "00123456", "S-0042"]


def _fragments(pid: str) -> list[str]:
    """The id and each of its words of three or more characters (KIM, Nguyen)."""
    parts = pid.replace("-", " ").split()
    return [pid] + [p for p in parts if len(p) >= 3]


def _assert_not_shown(pid: str, text: str) -> None:
    for fragment in _fragments(pid):
        assert fragment not in text, (fragment, text)
    assert "(patient_id" not in text


def _validate(path, capsys):
    try:
        code = main(["validate", str(path)])
    except SystemExit as exc:  # pragma: no cover - argparse
        code = exc.code
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, unwrapped(out), unwrapped(err)  # each wrapped message on one line


def _cohort(tmp_path, pid: str, *, twice: bool = False):
    rows = enough_rows(12)
    rows[5]["patient_id"] = pid  # line 7
    rows[5]["sex"] = "X"
    rows[7]["os_event"] = "2"  # line 9, another patient
    if twice:
        rows[9]["patient_id"] = pid  # line 11
    return write(tmp_path, rows, name="mine.csv")


@pytest.mark.parametrize("pid", IDS)
def test_validate_names_the_line_and_the_column_never_the_id(tmp_path, capsys, pid):
    path = _cohort(tmp_path, pid)
    before = path.read_bytes()
    code, out, err = _validate(path, capsys)
    assert code == 1
    _assert_not_shown(pid, out + err)
    assert "  - column sex: must be one of M, F — 1 row: line 7: 'X'" in out
    assert "  - column os_event: must be 0 or 1 — 1 row: line 9: 2 [" in out
    assert path.read_bytes() == before  # only read


@pytest.mark.parametrize("pid", IDS)
def test_repeated_ids_are_named_by_the_lines_that_share_them(tmp_path, capsys, pid):
    path = _cohort(tmp_path, pid, twice=True)
    code, out, err = _validate(path, capsys)
    assert code == 1
    _assert_not_shown(pid, out + err)
    assert (
        "  - column patient_id: must be unique, but values repeat — 2 rows: "
        "line 7: same id as line 11; line 11: same id as line 7" in out
    )
    with pytest.raises(CohortError) as info:
        load_cohort(path)
    _assert_not_shown(pid, str(info.value))
    assert "line 7: same id as line 11" in str(info.value)


@pytest.mark.parametrize("pid", IDS)
def test_load_cohort_and_a_dataframe_never_show_the_id(tmp_path, pid):
    path = _cohort(tmp_path, pid)
    with pytest.raises(CohortError) as info:
        load_cohort(path)
    _assert_not_shown(pid, str(info.value))
    assert "column sex: must be one of M, F — 1 row: line 7: 'X'" in str(info.value)
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    shown = "\n".join(str(p) for p in validate_cohort(frame))
    _assert_not_shown(pid, shown)
    assert "column sex: must be one of M, F — 1 row: row 5: 'X'" in shown


def test_ids_differing_in_letter_case_are_named_by_lines(tmp_path, capsys):
    rows = enough_rows(12)
    rows[2]["patient_id"], rows[8]["patient_id"] = "KIM-MS", "kim-ms"
    code, out, _ = _validate(write(tmp_path, rows), capsys)
    assert code == 1 and "KIM" not in out and "kim" not in out
    assert "line 4: same id but for letter case as line 10" in out


@pytest.mark.parametrize("pid", ["KIM-MS", "홍길동"])
def test_run_refuses_without_showing_the_id_and_writes_nothing(tmp_path, capsys, pid):
    chapters = tmp_path / "chapters"
    chapters.mkdir()
    (chapters / "01-a.md").write_text("# A\n", encoding="utf-8")
    path = _cohort(tmp_path, pid)
    before = sorted(p.name for p in tmp_path.rglob("*"))
    code = main(
        [
            "run",
            "--cohort",
            str(path),
            "--out",
            str(tmp_path / "r"),
            "--chapters-dir",
            str(chapters),
        ]
    )
    out, err = capsys.readouterr()
    assert code == 2 and "Traceback" not in out + err
    _assert_not_shown(pid, out + err)
    assert "column sex: must be one of M, F — 1 row: line 7: 'X'" in err
    assert sorted(p.name for p in tmp_path.rglob("*")) == before
