"""A hostile pass over the command line: what it found, pinned.

Each test is one defect that a user could meet: help without an example, a Ctrl-C in the first
second ending in a traceback, an empty ``--chapters`` running every chapter (``""``) or none
and leaving a ``.failed`` folder (``",,"``), ``ensemble --steps 1`` failing on a Dask worker
with a traceback, a newline in a file name breaking validate's one-line header, a spreadsheet's
empty columns at the right reported without saying where, an unclosed quote reported as a
stray comma. Every command runs in this process (:func:`analysis.__main__.main`).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from test_cohort import HEADER, enough_rows, write

from analysis import __main__ as entry
from analysis.cli import COMMANDS
from analysis.cohort import CohortError, load_cohort
from analysis.runner import (
    PARAMETER_CHOICES,
    PARAMETER_RANGES,
    RunnerError,
    _build_error,
    chapter_defaults,
    check_parameter_values,
    discover_chapters,
    parameter_table,
)

main = entry.main


def _call(argv, capsys):
    """(exit code, stdout, stderr) of ``python -m analysis ARGV``, in this process."""
    try:
        code = main(argv)
    except SystemExit as exc:  # --help and argparse's usage errors
        code = exc.code
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


def _tree(path):
    return sorted(p.relative_to(path).as_posix() for p in path.rglob("*"))


# ------------------------------------------------------------------------------------- help
@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_help_has_an_example_and_the_exit_status(command, capsys):
    code, out, _ = _call([command, "--help"], capsys)
    assert code == 0
    assert "example" in out
    assert f"  python -m analysis {command} " in out or f"  python -m analysis {command}\n" in out
    assert "exit status" in out.lower()


def test_top_level_help_has_examples_and_points_to_each_command(capsys):
    code, out, _ = _call(["--help"], capsys)
    assert code == 0
    assert "examples:\n  python -m analysis validate my_cohort.csv" in out
    assert "python -m analysis COMMAND --help" in out


def test_run_help_lists_the_chapters_and_says_defaults(capsys):
    _, out, _ = _call(["run", "--help"], capsys)
    for chapter in discover_chapters():
        assert chapter.stem in out
    assert "default: the book's synthetic data/cohort.csv" in " ".join(out.split())
    assert "(default all)" in " ".join(out.split())


def test_unknown_argument_is_reported_with_the_commands_usage(capsys):
    code, out, err = _call(["audit", "--verdict", "inconsistent", "extra"], capsys)
    assert code == 2 and out == ""
    assert err.splitlines()[-1] == "python -m analysis audit: error: unrecognized arguments: extra"
    assert err.startswith("usage: python -m analysis audit")


# ----------------------------------------------------------------------------- interrupts
def test_interrupt_while_the_commands_load_is_one_line_exit_130(monkeypatch, capsys):
    """Ctrl-C in the first second (pandas, NumPy, SciPy being imported) was a traceback: the
    entry module's imports run again here with a Ctrl-C arriving inside them."""
    import analysis.cli

    class Interrupt:
        def find_spec(self, name, path=None, target=None):
            if name == "analysis.cli.audit":
                raise KeyboardInterrupt
            return None

    monkeypatch.delitem(sys.modules, "analysis.cli.audit")
    monkeypatch.delattr(analysis.cli, "audit")
    monkeypatch.setattr(sys, "meta_path", [Interrupt(), *sys.meta_path])
    source = Path(entry.__file__).read_text(encoding="utf-8")
    with pytest.raises(SystemExit) as info:
        exec(compile(source, entry.__file__, "exec"), {"__name__": "analysis_main_again"})
    assert info.value.code == 130
    assert capsys.readouterr() == ("", "interrupted\n")


def test_interrupt_after_loading_is_the_same_line(monkeypatch, capsys):
    def interrupted(args):
        raise KeyboardInterrupt

    monkeypatch.setattr(entry.MODULES["validate"], "run", interrupted)
    code, out, err = _call(["validate", "x.csv"], capsys)
    assert (code, out, err) == (130, "", "interrupted\n")


# ---------------------------------------------------------------------------- run --chapters
@pytest.mark.parametrize("chapters", ["", ",,", " , "])
def test_empty_chapters_selection_is_refused_and_writes_nothing(tmp_path, capsys, chapters):
    """``--chapters ""`` ran all ten chapters; ``--chapters ,,`` ran none, then the site build
    failed on an empty table of contents and left ``r.failed``."""
    code, out, err = _call(["run", "--chapters", chapters, "--out", str(tmp_path / "r")], capsys)
    assert code == 2 and out == ""
    assert err.startswith(f"error: --chapters {chapters!r} names no chapter; give names or")
    assert "available: 01-data, 02-eligibility" in err
    assert len(err.splitlines()) == 1
    assert _tree(tmp_path) == []


@pytest.mark.parametrize(("where", "out", "says"), [
    ("here", ".", "is the current directory"),
    ("here", "./", "is the current directory"),
    ("here/sub", "..", "holds the current directory"),
])  # fmt: skip
def test_out_is_never_the_current_directory_or_above_it(
    tmp_path, monkeypatch, capsys, where, out, says
):
    """``--out .`` in an empty folder was accepted: publishing renamed the folder away and
    left the user's shell in a deleted directory."""
    (tmp_path / where).mkdir(parents=True)
    monkeypatch.chdir(tmp_path / where)
    before = _tree(tmp_path)
    code, _, err = _call(["run", "--chapters", "02", "--out", out], capsys)
    assert code == 2
    assert err == (
        f"error: --out {out}: {says}, which a report would replace; choose a new directory, "
        "e.g. reports/mine\n"
    )
    assert _tree(tmp_path) == before


def test_discover_chapters_refuses_an_empty_selection_and_keeps_none_as_all():
    assert len(discover_chapters(selection=None)) == len(discover_chapters())
    for empty in ([], [" "], "", ","):
        with pytest.raises(RunnerError, match="names no chapter"):
            discover_chapters(selection=empty)


@pytest.mark.parametrize(("chapters", "item", "message"), [
    # each of the first three made the chapter fail in a code cell (exit 1, NAME.failed)
    ("06", "at_risk_step_months=0", "must be above 0 (months between number-at-risk columns)"),
    ("06", "at_risk_step_months=-3", "must be above 0 (months between number-at-risk columns)"),
    ("05", "confidence_level=95",
     "must be above 0 and below 1 (a fraction such as 0.95, not a percentage)"),
    # this one ran, with the text 'maybe' where the chapter expects true or false
    ("02", "require_two_sessions=maybe", "must be true or false (the default is true)"),
    ("06", "at_risk_step_months=1.5", "must be a whole number (the default is 6)"),
    ("05", "confidence_level=.nan", "must be a finite number"),
    ("03", "bsa_formula=haycock", "must be one of mosteller, dubois"),
    ("03", "small_height_cm=1.6", "must be at least 100 and at most 250 (height in cm)"),
    ("09", "n_bootstrap=0", "must be at least 1 (a count)"),
    ("09", "cutoffs=3", "must be a list (not settable with -p) (the default is [3, 4, 5, 6])"),
])  # fmt: skip
def test_bad_parameter_values_are_refused_before_any_chapter_runs(
    tmp_path, capsys, chapters, item, message
):
    argv = ["run", "--chapters", chapters, "-p", item, "--out", str(tmp_path / "r")]
    code, out, err = _call(argv, capsys)
    assert (code, out) == (2, "")
    shown = item.replace(".nan", "nan")
    assert err == f"error: -p {shown}: {message}\n"
    assert _tree(tmp_path) == []


def test_a_whole_number_for_a_decimal_parameter_is_passed_as_a_decimal():
    chapters = discover_chapters(selection="03,05")
    checked = check_parameter_values({"small_height_cm": 150, "confidence_level": 0.9}, chapters)
    assert checked == {"small_height_cm": 150.0, "confidence_level": 0.9}
    assert isinstance(checked["small_height_cm"], float)


def test_the_parameter_table_of_chapter_10_says_what_run_accepts():
    """Every ``-p`` parameter once, with its chapters and default as the parameters cells write
    them, and in the words of the refusals above."""
    table = parameter_table().set_index("parameter")
    assert table.index.is_unique and "cohort_path" not in table.index
    assert set(PARAMETER_RANGES) | set(PARAMETER_CHOICES) <= set(table.index)
    assert table.loc["confidence_level"].tolist() == [
        "05", "0.95", "a number: above 0 and below 1 (a fraction such as 0.95, not a percentage)"
    ]  # fmt: skip
    assert table.loc["at_risk_step_months"].tolist() == [
        "06", "6", "a whole number: above 0 (months between number-at-risk columns)"
    ]  # fmt: skip
    assert table.loc["bsa_formula", "accepted"] == "text: one of mosteller, dubois"
    assert table.loc["require_two_sessions", "accepted"] == "true or false"
    assert table.loc["cutoffs", "accepted"] == "a list (not settable with -p)"
    assert table.loc["small_height_cm", "accepted"].endswith(
        "at least 100 and at most 250 (height in cm)"
    )


def test_a_parameters_cell_python_cannot_parse_gives_no_defaults_not_a_traceback(tmp_path):
    from test_runner import CHAPTER_A

    chapter = tmp_path / "01-a.md"
    chapter.write_text(CHAPTER_A, encoding="utf-8")
    assert chapter_defaults(chapter) == {"cohort_path": None, "min_cell_count": 5}
    with pytest.raises(RunnerError, match="min_cell_count=x: must be a whole number"):
        check_parameter_values({"min_cell_count": "x"}, [chapter])
    magic = CHAPTER_A.replace("cohort_path = None\n", "%matplotlib inline\ncohort_path = None\n")
    assert magic != CHAPTER_A
    chapter.write_text(magic, encoding="utf-8")
    assert chapter_defaults(chapter) == {}
    assert check_parameter_values({"min_cell_count": "x"}, [chapter]) == {"min_cell_count": "x"}


def test_a_failed_site_build_names_the_error_not_the_box_around_it():
    """jupyter-book ends its error in a box of '=' signs; the last line was the message."""
    rule = "=" * 79
    output = (
        "Running Jupyter-Book v1.0.4\n\nTraceback (most recent call last):\n  ...\n"
        f"RuntimeError: \n{rule}\n\nThe Table of Contents file is malformed: 'chapters' not a "
        "non-empty list @ '/parts/0/'\nYou may need to migrate from the old format, using:\n\n"
        f"\tjupyter-book toc migrate _toc.yml -o _toc.yml\n\n{rule}\n"
    )
    assert _build_error(output, []) == (
        "The Table of Contents file is malformed: 'chapters' not a non-empty list @ '/parts/0/'"
    )
    assert _build_error("x\nERROR: boom\n" + rule, ["ERROR: boom"]) == "ERROR: boom"
    assert _build_error("build failed\n" + rule + "\n", []) == "build failed"
    assert _build_error("", []) == "no output"


# -------------------------------------------------------------------------------- validate
def test_validate_keeps_its_header_on_one_line_for_any_file_name(tmp_path, capsys):
    path = tmp_path / "site\nA\tcohort.csv"
    path.write_bytes(b"")
    code, out, _ = _call(["validate", "--quiet", str(path)], capsys)
    assert code == 2
    first, rest = out.split("\n", 1)
    assert first.endswith("site\\nA\\tcohort.csv: 1 problem")
    assert rest.startswith("  - file: is empty")
    good = write(tmp_path, enough_rows(), name="ok\ncohort.csv")
    code, out, _ = _call(["validate", "--quiet", str(good)], capsys)
    assert code == 0 and len(out.splitlines()) == 1 and "ok\\ncohort.csv" in out


def _with_trailing_commas(tmp_path, n, header_only=False):
    path = write(tmp_path, enough_rows())
    lines = path.read_text(encoding="utf-8").splitlines()
    pad = "," * n
    lines = [lines[0] + pad] + [line if header_only else line + pad for line in lines[1:]]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _problem(path):
    with pytest.raises(CohortError) as info:
        load_cohort(path)
    return [str(p) for p in info.value.problems]


def test_spreadsheet_empty_columns_at_the_right_say_where_and_how_to_fix(tmp_path):
    """An Excel export with empty (once formatted) columns at the right: the message said
    only 'the header has an empty column name'."""
    last = HEADER[-1]
    [message] = _problem(_with_trailing_commas(tmp_path, 3))
    assert message == (
        f"file: the header has 3 empty column names: the last 3 columns, after {last} "
        "[delete the empty columns at the right of the sheet, then save again]"
    )
    [message] = _problem(_with_trailing_commas(tmp_path, 1))
    assert f"an empty column name: the last column, after {last} [delete" in message


def test_an_unnamed_column_in_the_middle_is_named_by_position(tmp_path):
    path = write(tmp_path, enough_rows())
    text = path.read_text(encoding="utf-8").replace("pivka2", "", 1)
    path.write_text(text, encoding="utf-8")
    position = HEADER.index("pivka2") + 1
    before = HEADER[position - 2]
    messages = _problem(path)
    assert (
        f"file: the header has an empty column name: column {position}, after {before} "
        "[name the column (or delete it)]"
    ) in messages


def test_an_unclosed_quote_is_suggested_when_a_value_spans_lines(tmp_path):
    path = write(tmp_path, enough_rows(12))
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[3] = '"' + lines[3]  # an opening quote that never closes: the rest is one value
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    messages = _problem(path)
    ragged = next(m for m in messages if "as many fields as the header" in m)
    assert 'a value opened with a double quote (") and not closed?' in ragged
    # a plain stray comma keeps the plain hint
    lines[3] = lines[3][1:].replace(",", ",,", 1)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    ragged = next(m for m in _problem(path) if "as many fields" in m)
    assert "double quote" not in ragged and "a stray comma inside a value?" in ragged


# ---------------------------------------------------------------------- dose, audit, ensemble
@pytest.mark.parametrize("value", ["", "  "])
def test_dose_empty_value_is_named(capsys, value):
    code, out, err = _call(["dose", "--height-cm", value, "--weight-kg", "65"], capsys)
    assert (code, out) == (2, "")
    assert err == "error: --height-cm '': empty, not a number\n"


def test_audit_empty_check_is_refused(capsys):
    """``--check ''`` matched every check (the empty string is in every name)."""
    code, out, err = _call(["audit", "--check", " "], capsys)
    assert (code, out) == (2, "")
    assert err.startswith("error: --check is empty")


@pytest.mark.parametrize("steps", ["1", "99"])
def test_ensemble_too_few_steps_refused_before_anything_runs(tmp_path, capsys, monkeypatch, steps):
    """``--steps 1`` started a Dask cluster, failed in every member and ended in a traceback."""
    import analysis.cli.ensemble as cli_ensemble

    def never(*args, **kwargs):
        raise AssertionError("the ensemble must not start")

    monkeypatch.setattr(cli_ensemble, "run_ensemble", never)
    argv = ["ensemble", "--n", "2", "--steps", steps]
    argv += ["--out", str(tmp_path / "s.csv"), "--cache", str(tmp_path / "cache")]
    code, out, err = _call(argv, capsys)
    assert (code, out) == (2, "")
    assert err == f"error: --steps must be at least 100, got {steps}\n"
    assert _tree(tmp_path) == []


# ------------------------------------------------------------------ hints for common exports
@pytest.mark.parametrize(("column", "value", "hint"), [
    ("afp_ng_ml", "<2.0", "a detection limit such as <2 or >60500 is not a number"),
    ("pivka2", "> 60500", "a detection limit such as <2 or >60500 is not a number"),
    ("crp_mg_l", "#N/A", "a spreadsheet error (#N/A, #VALUE! …): fix the formula"),
    ("inr", "#DIV/0!", "a spreadsheet error"),
    ("albumin_g_dl", "3.5 g/dL", "numbers only, without a unit (this column is in g/dL)"),
    ("os_months", "14.2 months", "numbers only, without a unit (this column is in months)"),
    ("age_years", "61 yrs", "numbers only, without a unit (this column is in years)"),
])  # fmt: skip
def test_lab_and_spreadsheet_values_get_a_hint(tmp_path, column, value, hint):
    """Exports write '<2.0' for a value under the assay's limit, '#N/A' for a failed formula
    and '3.5 g/dL' with its unit: each was only 'must be a number'."""
    rows = enough_rows()
    rows[1][column] = value
    messages = _problem(write(tmp_path, rows))
    [message] = [m for m in messages if m.startswith(f"column {column}: must be a")]
    assert f"[{hint}" in message or f"; {hint}" in message


def test_a_plain_typo_gets_none_of_these_hints(tmp_path):
    rows = enough_rows()
    rows[1]["afp_ng_ml"] = "12a"
    [message] = _problem(write(tmp_path, rows))
    assert "[" not in message.split("—")[-1]


@pytest.mark.parametrize(("sep", "extra"), [(",", False), (";", True)])
def test_a_spreadsheets_sep_line_above_the_header_is_named(tmp_path, capsys, sep, extra):
    """Excel writes 'sep=,' above the header when asked to: that was 23 problems (a
    two-column header, every row ragged, every column missing)."""
    path = write(tmp_path, enough_rows())
    text = path.read_text(encoding="utf-8")
    path.write_text(f"sep={sep}\n" + text.replace(",", sep), encoding="utf-8")
    [message] = _problem(path)
    assert message.startswith(
        f"file: its first line is a spreadsheet's delimiter hint (sep={sep}), not the header "
        "[delete that first line"
    )
    assert ("not comma-separated either" in message) is extra
    code, out, _ = _call(["validate", "--quiet", str(path)], capsys)
    assert code == 2 and out.startswith(f"{path}: 1 problem\n")


@pytest.mark.parametrize(("written", "shown"), [
    ("age_years\u200b", "age_years\\u200b"),  # a zero-width space pasted with the name
    ("Age Years", "Age Years"),
    ("age-years", "age-years"),
    ("age_years\u00ad", "age_years\\xad"),  # a soft hyphen
])  # fmt: skip
def test_a_header_that_is_nearly_a_required_name_is_pointed_out(tmp_path, written, shown):
    """'required column is missing' alone, while the column was there under a near name."""
    header = [written if h == "age_years" else h for h in HEADER]
    rows = [{(written if k == "age_years" else k): v for k, v in r.items()} for r in enough_rows()]
    [message] = _problem(write(tmp_path, rows, header=header))
    assert message == (
        f"column age_years: required column is missing [found '{shown}': rename it to age_years "
        "(names are exact: no invisible characters, spaces or hyphens)]"
    )
