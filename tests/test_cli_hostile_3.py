"""A third hostile pass over the command line and the chapters (session 34): what it found,
pinned.

Each test is one defect a user could meet: a ``sex`` column written in Korean words (남/여)
refused as "a direct identifier" with the advice to remove the column, beside the problem that
already said to write M or F; help texts with lines of 106 to 153 characters (the top-level
description, validate's and synthesize's notes), which an 80-column terminal breaks mid-word,
and ``validate --help`` naming neither the template nor the fewest patients it accepts; a
semicolon-separated file told to be saved again as the very type Excel wrote it as; survival
times in years passing without a word; 'VP 2' or 'C.' in a category column with no hint.
Every command runs in this process (:func:`analysis.__main__.main`); nothing here runs a
chapter (the chapters' findings of the same pass are in tests/test_any_cohort.py).
"""

from __future__ import annotations

import pytest
from test_cli_hostile import call_cli
from test_cohort import enough_rows, write

from analysis.cli import COMMANDS
from analysis.cohort import MIN_PATIENTS


# --------------------------------------------------------------------------------------- help
@pytest.mark.parametrize("command", [None, *COMMANDS])
def test_help_fits_a_terminal(command, capsys, monkeypatch):
    """Every line of every help under 100 characters on an 80-column terminal (argparse wraps
    the options; the descriptions and notes are wrapped by hand)."""
    monkeypatch.setenv("COLUMNS", "80")
    code, out, _ = call_cli([command, "--help"] if command else ["--help"], capsys)
    assert code == 0
    long = [line for line in out.splitlines() if len(line) > 99]
    assert not long, long


def test_validate_help_names_the_template_and_the_fewest_patients(capsys):
    """A user building a cohort from ``validate --help`` learnt of the dictionary, not of the
    template beside it, nor that fewer than 10 patients are refused."""
    code, out, _ = call_cli(["validate", "--help"], capsys)
    assert code == 0
    text = " ".join(out.split())
    assert "data/cohort-template.csv" in text
    assert f"at least {MIN_PATIENTS} patients" in text


# ----------------------------------------------------------------------------------- validate
@pytest.mark.parametrize(
    "words",
    [
        ("남", "여"),
        ("남자", "여자"),
        ("남성", "여성"),
        ("男", "女"),
        ("Nam", "Nữ"),
        ("male", "female"),
    ],
)
def test_sex_in_words_is_one_problem_with_its_hint_not_an_identifier(tmp_path, capsys, words):
    """'남'/'여' in ``sex`` gave two problems: "looks like a direct identifier (its values
    contain Korean (Hangul) text, which may be names); refused [remove the column …]", advice
    no user can follow for a required column, beside "must be one of M, F [write M (male) or F
    (female) …]". A recognised word for a sex is no name; the values stay unshown."""
    rows = enough_rows(12)
    for i, row in enumerate(rows):
        row["sex"] = words[i % 2]
    path = write(tmp_path, rows)
    code, out, err = call_cli(["validate", "--quiet", str(path)], capsys)
    assert (code, err) == (1, "")
    header, message = out.splitlines()
    assert header.endswith(": 1 problem")
    assert message.startswith("  - column sex: must be one of M, F — 12 rows")
    assert message.endswith(
        "[write M (male) or F (female): male/female, 남/여, nam/nữ and 男/女 are not read]"
    )
    assert "identifier" not in out
    if not words[0].isascii() or words[0] == "Nam":
        assert not any(w in message.split("[")[0] for w in words)


def test_a_name_in_the_sex_column_is_still_refused_as_an_identifier(tmp_path, capsys):
    """Only a recognised word for a sex is spared the identifier guard: a name typed into
    ``sex`` (김민수, a Korean name) is still refused and never shown."""
    rows = enough_rows(12)
    for i, row in enumerate(rows):
        row["sex"] = "남" if i % 2 else "여"
    rows[3]["sex"] = "김민수"
    path = write(tmp_path, rows)
    code, out, err = call_cli(["validate", "--quiet", str(path)], capsys)
    assert code == 1 and "김민수" not in out
    [identifier] = [line for line in out.splitlines() if "identifier" in line]
    assert identifier.startswith(
        "  - column sex: looks like a direct identifier (its values contain Korean"
    )
    assert "— 1 row: line 5: [masked]" in identifier


@pytest.mark.parametrize("decimal", [".", ","])
def test_a_semicolon_file_gets_advice_that_works_where_excel_writes_semicolons(
    tmp_path, capsys, decimal
):
    """Excel writes semicolons, and decimal commas, in its "CSV UTF-8 (comma delimited)" where
    the system's list separator is ';' (most of Europe): the only advice, to save the file as
    that type again, gave the same file back. The hint now names the setting."""
    path = write(tmp_path, enough_rows(12))
    text = path.read_text(encoding="utf-8").replace(",", ";")
    path.write_text(text.replace(".", decimal) if decimal == "," else text, encoding="utf-8")
    code, out, err = call_cli(["validate", "--quiet", str(path)], capsys)
    assert (code, err) == (2, "")
    message = " ".join(out.split())
    assert "is separated by semicolons (;), not commas" in message
    assert 'list separator is ";"' in message and "decimal symbol" in message


def _in_years(rows):
    for row in rows:
        for col in ("os_months", "pfs_months", "additional_tace_month", "response_month"):
            if row.get(col):
                row[col] = f"{float(row[col]) / 12:.2f}"
    return rows


def test_times_in_years_get_a_note_and_pass(tmp_path, capsys):
    """Survival times in years (median OS 0.8) passed without a word, and every chapter then
    read "median OS 0.8 months". Short follow-up can be real, so it is a note on stderr (exit 0,
    the OK line unchanged), as ``run`` prints it before the chapters."""
    path = write(tmp_path, _in_years(enough_rows(12)))
    code, out, err = call_cli(["validate", "--quiet", str(path)], capsys)
    assert code == 0 and out.startswith("OK: ") and "12 patients" in out
    assert err.startswith("note: ") and "column os_months:" in err
    assert "if the times are in years, multiply them by 12" in err
    from analysis.cohort import load_cohort

    assert any("in years" in n for n in load_cohort(path).attrs["notes"])
    # months, even a short follow-up with a median above 2 months: no note
    months = write(tmp_path, enough_rows(12), name="months.csv")
    assert call_cli(["validate", "--quiet", str(months)], capsys)[2] == ""


@pytest.mark.parametrize(
    ("column", "value", "spelling"),
    [("pvtt", "VP 2", "Vp2"), ("bclc_stage", "C.", "C"), ("encephalopathy", "grade 1-2", "grade1-2"),
     ("pvtt", "Vp-3", "Vp3")],
)  # fmt: skip
def test_a_category_with_a_space_or_a_dot_is_told_its_spelling(
    tmp_path, capsys, column, value, spelling
):
    """'VP 2' in pvtt read "must be one of Vp0, Vp1, Vp2, Vp3, Vp4 — … a 4-character text
    value", with no word on what was wrong (the cell is not shown, as it might be initials):
    the hint now names the dictionary's spelling it is close to, never the cell."""
    rows = enough_rows(12)
    rows[1][column] = value
    path = write(tmp_path, rows)
    code, out, err = call_cli(["validate", "--quiet", str(path)], capsys)
    assert code == 1
    [message] = [
        line for line in out.splitlines() if line.startswith(f"  - column {column}: must be one of")
    ]
    assert message.endswith(f"[write {spelling}, without spaces, dots or dashes of its own]"), (
        message
    )
