"""Rows alike but for one column (besides ``patient_id``): one patient entered twice, one copy
corrected. ``validate`` warned only about rows equal in every column but the id; a copy with
its albumin retyped passed without a word."""

from __future__ import annotations

import pytest
from test_cli_hostile import call_cli
from test_cohort import enough_rows, write

from analysis.cohort import NEAR_REPEAT_MIN_CELLS, check_cohort_file, validate_cohort


def _validate(path, capsys) -> tuple[int, str]:
    code, out, err = call_cli(["validate", str(path)], capsys)
    return code, out + err


def _near(lines: str) -> list[str]:
    return [line for line in lines.splitlines() if "and one other" in line]


def _copied(n: int = 12) -> list[dict[str, str]]:
    """``n`` valid patients; line 10 is line 3 under another id with its albumin retyped, and
    line 13 is line 5 under another id with its tumour size retyped."""
    rows = enough_rows(n)
    rows[8] = {**rows[1], "patient_id": "Q-COPY-A", "albumin_g_dl": "3.1"}
    rows[11] = {**rows[3], "patient_id": "Q-COPY-B", "tumor_size_mm": "61"}
    return rows


def test_a_copy_with_one_cell_retyped_is_a_warning_naming_lines_and_column(tmp_path, capsys):
    path = write(tmp_path, _copied())
    code, out = _validate(path, capsys)
    assert code == 0, out  # a warning: the file stays valid
    [warning] = _near(out)
    assert warning.startswith("  - warning: file: rows repeat an earlier row in every column ")
    assert (
        "— 2 rows: line 10: as line 3 but albumin_g_dl; line 13: as line 5 but tumor_size_mm ["
        in warning
    )
    # never an id, never a value
    assert "COPY" not in out and "P00" not in out and "3.1" not in warning
    assert "rows repeat an earlier row in every column but patient_id (" not in out


@pytest.mark.parametrize("chunk_rows", [50_000, 1, 2, 5, 7])
def test_the_same_whatever_the_chunks(tmp_path, chunk_rows):
    path = write(tmp_path, _copied())
    [near] = [
        str(w)
        for w in check_cohort_file(path, chunk_rows=chunk_rows).warnings
        if w.code == "near-repeated-row"
    ]
    assert "line 10: as line 3 but albumin_g_dl; line 13: as line 5 but tumor_size_mm" in near


def test_an_exact_repeat_and_a_near_one_are_two_warnings(tmp_path):
    rows = _copied()
    rows.append({**rows[1], "patient_id": "Q-TWIN"})  # line 14 = line 3 but its id
    warnings = check_cohort_file(write(tmp_path, rows)).warnings
    assert [w.code for w in warnings] == ["repeated-row", "near-repeated-row"]
    assert "line 14: same as line 3" in str(warnings[0])
    # line 14 repeats line 3 exactly: it is not named again as nearly repeating line 10
    assert "line 14" not in str(warnings[1])


def test_distinct_rows_and_rows_differing_in_two_columns_give_no_warning(tmp_path, capsys):
    rows = enough_rows(12)
    rows[8] = {**rows[1], "patient_id": "Q-COPY", "albumin_g_dl": "3.1", "crp_mg_l": "2.5"}
    code, out = _validate(write(tmp_path, rows), capsys)
    assert code == 0 and "repeat" not in out, out


def test_few_filled_cells_alike_are_not_warned_about(tmp_path):
    """Two patients with few values recorded may well agree on all of them: at least
    NEAR_REPEAT_MIN_CELLS filled cells besides the id and the differing one are needed."""
    rows = _copied()
    header = [*rows[0]]
    assert sum(1 for c in header if rows[1].get(c)) - 2 > NEAR_REPEAT_MIN_CELLS
    # the same rows with every optional cell of lines 3 and 10 emptied but ten
    keep = ["patient_id", "age_years", "sex", "ecog_ps", "bclc_stage", "pvtt", "tumor_number",
            "os_months", "os_event", "pfs_months", "pfs_event", "albumin_g_dl"]  # fmt: skip
    for i in (1, 8):
        rows[i] = {c: (v if c in keep else "") for c, v in rows[i].items()}
    warnings = check_cohort_file(write(tmp_path, rows)).warnings
    near = [str(w) for w in warnings if w.code == "near-repeated-row"]
    assert len(keep) - 2 == NEAR_REPEAT_MIN_CELLS
    assert near and "line 10" in near[0]  # ten alike: still warned
    for i in (1, 8):
        rows[i]["pfs_event"] = ""
    warnings = check_cohort_file(write(tmp_path, rows)).warnings
    near = [str(w) for w in warnings if w.code == "near-repeated-row"]
    assert not any("line 10" in w for w in near)  # nine alike: not warned


def test_a_data_frame_is_not_warned_about(tmp_path):
    import pandas as pd

    path = write(tmp_path, _copied())
    assert validate_cohort(pd.read_csv(path, dtype=str, keep_default_na=False)) == []


def test_a_file_of_hundreds_of_columns_is_searched_too(tmp_path, capsys):
    """One multiplier per column, as many as the file has: a file of 300 extra columns (an
    export with everything in it) crashed the search, which had 256."""
    rows = [{**r, **{f"extra_{i}": "1" for i in range(300)}} for r in _copied()]
    path = write(tmp_path, rows, header=[*rows[0]])
    code, out = _validate(path, capsys)
    assert code == 0, out
    [warning] = _near(out)
    assert "line 10: as line 3 but albumin_g_dl; line 13: as line 5 but tumor_size_mm" in warning
