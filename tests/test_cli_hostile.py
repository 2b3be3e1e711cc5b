"""A hostile pass over the command line: what it found, pinned.

Each test is one defect that a user could meet: help without an example, a Ctrl-C in the first
second ending in a traceback, an empty ``--chapters`` running every chapter (``""``) or none
and leaving a ``.failed`` folder (``",,"``), ``ensemble --steps 1`` failing on a Dask worker
with a traceback, a newline in a file name breaking validate's one-line header, a spreadsheet's
empty columns at the right refused (now ignored, with a note on stderr), an unclosed quote
reported as a stray comma; odd files (UTF-16 without its byte-order mark called binary, a
second byte-order mark hiding ``patient_id``, a repeated header as 37 problems, a 17 MB line as
the csv module's field limit, a megabyte-long column name printed whole, an empty file name read
as the current folder). Every command runs in this process (:func:`analysis.__main__.main`).
"""

from __future__ import annotations

import datetime
import math
import sys
from pathlib import Path

import numpy as np
import pytest
from cli_output import unwrapped
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
    parse_parameters,
)

main = entry.main


def call_cli(argv, capsys):
    """(exit code, stdout, stderr) of ``python -m analysis ARGV``, in this process; for
    ``validate`` and ``run`` (not their help), with each wrapped message of a cohort on one line
    again (:func:`cli_output.unwrapped`), and so every command's stderr (its errors wrap at 80
    columns too)."""
    try:
        code = main(argv)
    except SystemExit as exc:  # --help and argparse's usage errors
        code = exc.code
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    if argv and argv[0] in COMMANDS and not {"-h", "--help"} & set(argv):
        err = unwrapped(err)
    if argv and argv[0] in ("validate", "run") and not {"-h", "--help"} & set(argv):
        out = unwrapped(out)
    return code, out, err


def file_tree(path):
    return sorted(p.relative_to(path).as_posix() for p in path.rglob("*"))


# ------------------------------------------------------------------------------------- help
@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_help_has_an_example_and_the_exit_status(command, capsys):
    code, out, _ = call_cli([command, "--help"], capsys)
    assert code == 0
    assert "example" in out
    assert f"  python -m analysis {command} " in out or f"  python -m analysis {command}\n" in out
    assert "exit status" in out.lower()


def test_top_level_help_has_examples_and_points_to_each_command(capsys):
    code, out, _ = call_cli(["--help"], capsys)
    assert code == 0
    assert "examples:\n  python -m analysis validate my_cohort.csv" in out
    assert "python -m analysis COMMAND --help" in out


def test_run_help_lists_the_chapters_and_says_defaults(capsys):
    _, out, _ = call_cli(["run", "--help"], capsys)
    for chapter in discover_chapters():
        assert chapter.stem in out
    assert "default: the book's synthetic data/cohort.csv" in " ".join(out.split())
    assert "(default all)" in " ".join(out.split())


def test_unknown_argument_is_reported_with_the_commands_usage(capsys):
    code, out, err = call_cli(["audit", "--verdict", "inconsistent", "extra"], capsys)
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


def test_interrupt_as_run_prints_its_summary_says_the_report_was_written(
    tmp_path, monkeypatch, capsys
):
    """A Ctrl-C after ``run`` had published its report (its summary being printed) ended with a
    bare ``interrupted`` (or, at exit, status -2 and no message): it now says the report is
    complete and was written, exit 130, in one line on stderr."""
    import os
    import signal

    from analysis.cli import run as run_command
    from analysis.runner import BookRun

    out = tmp_path / "reports" / "r"

    class Run(BookRun):
        def summary(self):
            os.kill(os.getpid(), signal.SIGINT)
            for _ in range(1000):  # the handler runs between two bytecodes
                pass
            return "ran 1 chapter"

    monkeypatch.setattr(run_command, "run_book", lambda *args, **kwargs: Run(out, "c.csv"))
    code, stdout, err = call_cli(["run", "--out", str(out), "--quiet"], capsys)
    assert (code, stdout) == (130, "ran 1 chapter\n")
    assert err == (
        f"error: interrupted by SIGINT after the report was complete: it was written, open "
        f"{out}/index.html\n"
    )


def test_a_signal_while_the_interpreter_exits_is_not_a_silent_kill(tmp_path):
    """``python -m analysis`` exits through ``_exit``: a SIGINT while the interpreter shut down
    after a complete ``run`` (its summary printed) was a KeyboardInterrupt traceback, or, once
    the interpreter had put back the default handling, a kill with status -2 and no message
    (measured: 0.05 s after the summary). The command has finished and said so: the signal is
    now ignored (here it comes from an atexit hook)."""
    import subprocess

    script = (
        "import atexit, os, signal, sys\n"
        "def late():\n"
        "    os.kill(os.getpid(), signal.SIGINT)\n"
        "    sys.stderr.write('still here')\n"
        "atexit.register(late)\n"
        "from analysis.__main__ import _exit\n"
        "_exit(0)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=False
    )
    assert (result.returncode, result.stderr) == (0, "still here")


def test_interrupt_after_loading_is_the_same_line(monkeypatch, capsys):
    def interrupted(args):
        raise KeyboardInterrupt

    monkeypatch.setattr(entry.MODULES["validate"], "run", interrupted)
    code, out, err = call_cli(["validate", "x.csv"], capsys)
    assert (code, out, err) == (130, "", "interrupted\n")


# ---------------------------------------------------------------------------- run --chapters
@pytest.mark.parametrize("chapters", ["", ",,", " , "])
def test_empty_chapters_selection_is_refused_and_writes_nothing(tmp_path, capsys, chapters):
    """``--chapters ""`` ran all ten chapters; ``--chapters ,,`` ran none, then the site build
    failed on an empty table of contents and left ``r.failed``."""
    code, out, err = call_cli(["run", "--chapters", chapters, "--out", str(tmp_path / "r")], capsys)
    assert code == 2 and out == ""
    assert err.startswith(f"error: --chapters {chapters!r} names no chapter; give names or")
    assert "available: 01-data, 02-eligibility" in err
    assert len(err.splitlines()) == 1
    assert file_tree(tmp_path) == []


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
    before = file_tree(tmp_path)
    code, _, err = call_cli(["run", "--chapters", "02", "--out", out], capsys)
    assert code == 2
    assert err == (
        f"error: --out {out}: {says}, which a report would replace; choose a new directory, "
        "e.g. reports/mine\n"
    )
    assert file_tree(tmp_path) == before


def test_discover_chapters_refuses_an_empty_selection_and_keeps_none_as_all():
    assert len(discover_chapters(selection=None)) == len(discover_chapters())
    for empty in ([], [" "], "", ","):
        with pytest.raises(RunnerError, match="names no chapter"):
            discover_chapters(selection=empty)


def _refused_before_any_chapter(tmp_path, capsys, chapters, item, shown, message) -> None:
    """``run --chapters CHAPTERS -p ITEM`` exits 2 with the one line "error: -p SHOWN: MESSAGE",
    prints nothing on stdout and writes nothing."""
    argv = ["run", "--chapters", chapters, "-p", item, "--out", str(tmp_path / "r")]
    code, out, err = call_cli(argv, capsys)
    assert (code, out) == (2, "")
    assert err == f"error: -p {shown}: {message}\n"
    assert file_tree(tmp_path) == []


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
    # 150 lb typed as kg with the large patient's 190 cm: chapter 3's dose sheet refuses it
    ("03", "large_weight_kg=150.0", "190 cm and 150 kg make a BMI of 41.6 kg/m², outside "
     "12–40 kg/m², which the dose sheet refuses (weight in kg, not pounds)"),
    ("09", "n_bootstrap=0", "must be at least 1 and at most 100,000 (a count)"),
    # these ran for weeks (3 ms a simulation, 2 ms a bootstrap) or filled the memory (an
    # array of 10⁹ cycles to plot) without a word
    ("09", "n_bootstrap=1000000000", "must be at least 1 and at most 100,000 (a count)"),
    ("09", "n_simulations=10000000000", "must be at least 1 and at most 100,000 (a count)"),
    ("03", "cycles_shown=1000000000",
     "must be at least 1 and at most 200 (a count of cycles)"),
    ("09", "cutoffs=3", "must be a list (not settable with -p) (the default is [3, 4, 5, 6])"),
])  # fmt: skip
def test_bad_parameter_values_are_refused_before_any_chapter_runs(
    tmp_path, capsys, chapters, item, message
):
    _refused_before_any_chapter(
        tmp_path, capsys, chapters, item, item.replace(".nan", "nan"), message
    )


@pytest.mark.parametrize(("chapters", "item", "message"), [
    # YAML 1.1 read these as 3, 15, 1000, true and 90: the chapter ran on a value nobody typed
    ("09", "seed=0b11", "must be a whole number (the default is 2024)"),
    ("09", "seed=0x1F", "must be a whole number (the default is 2024)"),
    ("09", "n_bootstrap=1_000", "type the number without underscores (1000)"),
    ("02", "require_two_sessions=yes", "must be true or false (the default is true)"),
    ("02", "require_two_sessions=off", "must be true or false (the default is true)"),
    ("06", "at_risk_step_months=1:30", "must be a whole number (the default is 6)"),
    # a number in exponent form is a decimal number (YAML 1.1 read 1e3 as text)
    ("09", "n_bootstrap=1e3", "must be a whole number (the default is 200)"),
])  # fmt: skip
def test_a_p_value_is_read_as_a_reader_means_it_and_a_wrong_type_refused(
    tmp_path, capsys, chapters, item, message
):
    _refused_before_any_chapter(
        tmp_path, capsys, chapters, item, item.replace("1e3", "1000.0"), message
    )


@pytest.mark.parametrize(("typed", "value"), [
    ("017", 17), ("+5", 5), ("-0", 0), ("0.5", 0.5), (".5", 0.5), ("1.", 1.0), ("1e3", 1000.0),
    ("2.5E-1", 0.25), ("true", True), ("True", True), ("TRUE", True), ("false", False),
    ("False", False), ("null", None), ("None", None), (" 12 ", 12), ("'10'", "10"),
    ('"true"', "true"), ("0b11", "0b11"), ("0o17", "0o17"), ("0x1F", "0x1F"),
    ("1_000", "1_000"), ("yes", "yes"), ("no", "no"), ("on", "on"), ("off", "off"),
    ("y", "y"), ("1:30", "1:30"), ("2024-01-02", "2024-01-02"), ("~", "~"), ("٣", "٣"),
    ("mosteller", "mosteller"), ("a b", "a b"), ("1" * 5000, "1" * 5000),
])  # fmt: skip
def test_parse_parameters_reads_decimal_numbers_true_false_null_else_text(typed, value):
    parsed = parse_parameters([f"x={typed}"])["x"]
    assert parsed == value and type(parsed) is type(value)
    assert parse_parameters([["x", typed]])["x"] == parsed  # papermill's form: the same


def test_parse_parameters_nan_and_inf_are_numbers_refused_as_not_finite():
    for typed in ("nan", ".nan", "NaN", "inf", "-inf", ".inf", "-.Inf"):
        value = parse_parameters([f"x={typed}"])["x"]
        assert isinstance(value, float) and not math.isfinite(value)
    chapters = discover_chapters(selection="05")
    with pytest.raises(RunnerError, match="must be a finite number"):
        check_parameter_values(parse_parameters(["confidence_level=-inf"]), chapters)


def test_a_p_value_with_leading_zeros_is_decimal():
    chapters = discover_chapters(selection="06")
    checked = check_parameter_values(parse_parameters(["at_risk_step_months=012"]), chapters)
    assert checked == {"at_risk_step_months": 12}


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
    assert table.loc["cutoffs", "accepted"] == (
        "a list (not settable with -p): 1 to 12 whole numbers, each at least 0 (prior TACE "
        "sessions), in increasing order without repeats"
    )
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
    code, out, _ = call_cli(["validate", "--quiet", str(path)], capsys)
    assert code == 2
    first, rest = out.split("\n", 1)
    assert first.endswith("site\\nA\\tcohort.csv: 1 problem")
    assert rest.startswith("  - file: is empty")
    good = write(tmp_path, enough_rows(), name="ok\ncohort.csv")
    code, out, _ = call_cli(["validate", "--quiet", str(good)], capsys)
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
        load_cohort(path, min_patients=0)
    return [str(p) for p in info.value.problems]


@pytest.mark.parametrize("n", [1, 3])
def test_a_spreadsheets_empty_columns_at_the_right_are_ignored_with_a_note(tmp_path, capsys, n):
    """Excel saves unused (once formatted) columns at the right as trailing separators on every
    line, the header's cells empty: they were refused; now they are left out, and stderr says
    so in one line."""
    last = HEADER[-1]
    path = _with_trailing_commas(tmp_path, n)
    before = path.read_bytes()
    code, out, err = call_cli(["validate", "--quiet", str(path)], capsys)
    assert code == 0 and out.startswith("OK: ") and f"; {len(HEADER)} columns" in out
    what = "an empty column (the last column" if n == 1 else f"{n} empty columns (the last {n}"
    assert err == (
        f"note: {path}: ignored {what}{' columns' if n > 1 else ''}, after {last}): no name in "
        "the header and no value in any row, as a spreadsheet saves unused columns\n"
    )
    cohort = load_cohort(path, min_patients=0)
    assert list(cohort.columns) == HEADER and len(cohort.attrs["notes"]) == 1
    assert path.read_bytes() == before


def test_excel_writes_the_trailing_separators_on_the_first_rows_only(tmp_path, capsys):
    """Excel pads rows with the empty columns' separators on its first rows only; the later,
    shorter rows are the same empty columns, not ragged rows."""
    path = _with_trailing_commas(tmp_path, 3)
    lines = path.read_text(encoding="utf-8").splitlines()
    short = [line.rstrip(",") if i > 4 else line for i, line in enumerate(lines)]
    for quoted in (False, True):  # the fast reader and the csv module's
        text = "\n".join(short) + "\n"
        path.write_text(text.replace("P002", '"P002"') if quoted else text, encoding="utf-8")
        code, out, err = call_cli(["validate", "--quiet", str(path)], capsys)
        assert code == 0 and "ignored 3 empty columns" in err
    # a row short of a named column is still a ragged row
    short[6] = short[6].rsplit(",", 1)[0]
    path.write_text("\n".join(short) + "\n", encoding="utf-8")
    [message] = _problem(path)
    assert "rows must have as many fields as the header" in message and "line 7" in message


@pytest.mark.parametrize("quoted", [False, True])
def test_an_unnamed_column_with_a_value_is_still_refused_without_the_value(
    tmp_path, capsys, quoted
):
    last = HEADER[-1]
    path = _with_trailing_commas(tmp_path, 3)
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[7] = lines[7][:-3] + (',"8501011234567",,' if quoted else ",8501011234567,,")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, out, err = call_cli(["validate", "--quiet", str(path)], capsys)
    assert code == 1 and "8501011234567" not in out + err
    assert (
        f"  - file: the header has an empty column name: column {len(HEADER) + 1}, after {last}, "
        "with values in some rows [name the column (or delete it)]"
    ) in out.splitlines()
    # the two empty ones beside it are only noted
    assert err.endswith(f"ignored 2 empty columns (columns {len(HEADER) + 2}, {len(HEADER) + 3})"
                        ": no name in the header and no value in any row, as a spreadsheet "
                        "saves unused columns\n")  # fmt: skip
    # all three holding values: named as the last three
    lines[7] = lines[7].rsplit(",", 3)[0] + ",1,2,3"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    [message] = _problem(path)
    assert message == (
        f"file: the header has 3 empty column names: the last 3 columns, after {last}, with "
        "values in some rows [name the columns (or delete them)]"
    )


def test_an_unnamed_column_in_the_middle_is_named_by_position(tmp_path):
    path = write(tmp_path, enough_rows())
    text = path.read_text(encoding="utf-8").replace("pivka2", "", 1)
    path.write_text(text, encoding="utf-8")
    position = HEADER.index("pivka2") + 1
    before = HEADER[position - 2]
    messages = _problem(path)
    assert (
        f"file: the header has an empty column name: column {position}, after {before}, "
        "with values in some rows [name the column (or delete it)]"
    ) in messages
    # the same column with no value in any row is left out, pivka2 being optional
    rows = [dict(r, pivka2="") for r in enough_rows()]
    path = write(tmp_path, rows)
    path.write_text(path.read_text(encoding="utf-8").replace("pivka2", "", 1), encoding="utf-8")
    cohort = load_cohort(path, min_patients=0)
    assert "pivka2" not in cohort.columns and cohort.attrs["notes"] == [
        f"ignored an empty column (column {position}): no name in the header and no value in "
        "any row, as a spreadsheet saves unused columns"
    ]


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
    code, out, err = call_cli(["dose", "--height-cm", value, "--weight-kg", "65"], capsys)
    assert (code, out) == (2, "")
    assert err == "error: --height-cm '': empty, not a number\n"


def test_audit_empty_check_is_refused(capsys):
    """``--check ''`` matched every check (the empty string is in every name)."""
    code, out, err = call_cli(["audit", "--check", " "], capsys)
    assert (code, out) == (2, "")
    assert err.startswith("error: --check is empty")


def test_audit_check_matching_nothing_is_one_short_line_that_says_how_to_list_them(capsys):
    """``--check`` with 5,000 characters echoed all of them on one line, and a check that
    matched nothing did not say where the names are."""
    code, out, err = call_cli(["audit", "--check", "a" * 5000], capsys)
    assert (code, out) == (2, "")
    assert len(err) < 300 and err.count("\n") == 1, err
    assert "matches no check name" in err and "python -m analysis audit --format csv" in err


@pytest.mark.parametrize("steps", ["1", "99"])
def test_ensemble_too_few_steps_refused_before_anything_runs(tmp_path, capsys, monkeypatch, steps):
    """``--steps 1`` started a Dask cluster, failed in every member and ended in a traceback."""
    import analysis.cli.ensemble as cli_ensemble

    def never(*args, **kwargs):
        raise AssertionError("the ensemble must not start")

    monkeypatch.setattr(cli_ensemble, "run_ensemble", never)
    argv = ["ensemble", "--n", "2", "--steps", steps]
    argv += ["--out", str(tmp_path / "s.csv"), "--cache", str(tmp_path / "cache")]
    code, out, err = call_cli(argv, capsys)
    assert (code, out) == (2, "")
    assert err == f"error: --steps must be at least 100, got {steps}\n"
    assert file_tree(tmp_path) == []


@pytest.mark.parametrize("command", ["ensemble", "synthesize"])
def test_too_many_steps_refused_before_anything_runs(tmp_path, capsys, monkeypatch, command):
    """``--steps`` had no upper bound (``--chains`` had, 1000): a typo of zeros ran for days."""
    import analysis.cli.ensemble as cli_ensemble
    import analysis.cli.synthesize as cli_synthesize

    def never(*args, **kwargs):
        raise AssertionError("nothing must start")

    monkeypatch.setattr(cli_ensemble, "run_ensemble", never)
    monkeypatch.setattr(cli_synthesize, "synthesize", never)
    argv = [command, "--steps", "450000000", "--out", str(tmp_path / "s.csv")]
    argv += ["--n", "2", "--cache", str(tmp_path / "cache")] if command == "ensemble" else []
    code, out, err = call_cli(argv, capsys)
    assert (code, out) == (2, "")
    assert err == "error: --steps 450000000: at most 1000000 per chain (the default is 45000)\n"
    assert file_tree(tmp_path) == []
    code, out, _ = call_cli([command, "--help"], capsys)
    assert code == 0 and "at most 1000000" in " ".join(out.split())


def test_ensemble_refuses_workers_with_a_scheduler(tmp_path, capsys, monkeypatch):
    """``--workers 8 --scheduler ADDR`` ran on the remote cluster's workers and ignored 8."""
    import analysis.cli.ensemble as cli_ensemble

    def never(*args, **kwargs):
        raise AssertionError("the ensemble must not start")

    monkeypatch.setattr(cli_ensemble, "run_ensemble", never)
    argv = ["ensemble", "--n", "2", "--workers", "2", "--scheduler", "tcp://127.0.0.1:1"]
    argv += ["--out", str(tmp_path / "s.csv"), "--cache", str(tmp_path / "cache")]
    code, out, err = call_cli(argv, capsys)
    assert (code, out) == (2, "")
    assert err.count("\n") == 1 and "--workers" in err and "--scheduler" in err, err
    assert file_tree(tmp_path) == []


# ------------------------------------------------------------------ hints for common exports
@pytest.mark.parametrize(("column", "value", "hint"), [
    ("afp_ng_ml", "<2.0", "a detection limit such as <2 or >60500 is not a number"),
    ("pivka2", "> 60500", "a detection limit such as <2 or >60500 is not a number"),
    ("crp_mg_l", "#N/A", "a spreadsheet error (#N/A, #VALUE! …): fix the formula"),
    ("inr", "#DIV/0!", "a spreadsheet error"),
    ("albumin_g_dl", "3.5 g/dL", "numbers only, without a unit (this column is in g/dL)"),
    ("os_months", "14.2 months", "numbers only, without a unit (this column is in months)"),
    ("age_years", "61 yrs", "numbers only, without a unit (this column is in years)"),
    # a thousands separator: '1.234,5' (Vietnam, most of Europe) was 'a 7-character text value,
    # not a number' without a hint, '1,234.5' too
    ("afp_ng_ml", "1.234,5", "no thousands separator, and a decimal point"),
    ("afp_ng_ml", "1,234.5", "no thousands separator, and a decimal point"),
    ("pivka2", "12.345.678", "no thousands separator, and a decimal point"),
    # a typeset minus (U+2212) pasted from a document or a PDF
    ("albumin_g_dl", "\u22123.5", "a Unicode minus sign, U+2212: type - instead"),
    ("age_years", "\u221261", "a Unicode minus sign, U+2212: type - instead"),
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
    code, out, _ = call_cli(["validate", "--quiet", str(path)], capsys)
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


OPTIONAL_RENAMED = {
    "height_cm": "Height (cm)",
    "weight_kg": "weight kg",
    "inr": "INR",
    "pivka2": "PIVKA-II",
}


def _renamed(tmp_path, renames):
    header = [renames.get(h, h) for h in HEADER]
    rows = [{renames.get(k, k): v for k, v in r.items()} for r in enough_rows()]
    return write(tmp_path, rows, header=header)


def test_optional_columns_under_close_names_are_noted_in_the_ok_line(tmp_path, capsys):
    """A renamed optional column was listed as absent and as not used, exit 0, with no word
    that it was the same column under another name."""
    code, out, _ = call_cli(
        ["validate", "--quiet", str(_renamed(tmp_path, OPTIONAL_RENAMED))], capsys
    )
    assert code == 0  # optional: still valid
    [line] = out.splitlines()
    assert line.startswith("OK: ")
    assert (
        "note: optional columns under other names are not read, rename them: "
        "'Height (cm)' → height_cm, 'weight kg' → weight_kg, 'INR' → inr, 'PIVKA-II' → pivka2"
    ) in line
    assert "optional columns absent" not in line  # the others are all present
    assert "not used by the book" not in line


def test_optional_columns_under_close_names_are_listed_beside_other_problems(tmp_path, capsys):
    renames = {**OPTIONAL_RENAMED, "age_years": "Age", "os_months": "OS (months)"}
    code, out, _ = call_cli(["validate", "--quiet", str(_renamed(tmp_path, renames))], capsys)
    assert code == 1
    lines = out.splitlines()
    assert lines[0].endswith(": 2 problems")
    assert lines[1:] == [
        "  - column age_years: required column is missing",
        "  - column os_months: required column is missing [found 'OS (months)': rename it to "
        "os_months]",
    ] + [
        f"  - column {name}: optional column absent [found '{header}': rename it to {name}, "
        "or the book does not read it]"
        for name, header in OPTIONAL_RENAMED.items()
    ] + [
        "not used by the book: 'Age' [is a missing column among them under another name? rename it]"
    ]


def test_a_missing_required_column_is_listed_beside_the_columns_the_book_does_not_use(
    tmp_path, capsys
):
    """A header renamed age_years -> Age and pfs_event -> "PFS status" gave only "required
    column is missing", twice: the columns the book does not use were listed only on the OK
    line. They follow the problems, masked as there when one looks like an identifier."""
    renames = {"age_years": "Age", "pfs_event": "PFS status", "ecog_ps": "0912345678"}
    code, out, _ = call_cli(["validate", "--quiet", str(_renamed(tmp_path, renames))], capsys)
    assert code == 1
    lines = out.splitlines()
    assert "  - column pfs_event: required column is missing" in lines
    assert lines[-1].startswith("not used by the book: 'Age', '[masked]', 'PFS status' [")
    assert "0912345678" not in out


def test_close_names_need_one_match_and_leave_present_columns_alone():
    from analysis.cohort import renamed_columns

    assert renamed_columns(["inr", "INR"]) == {}  # present: nothing to rename
    assert renamed_columns(["INR", "I-N-R"]) == {}  # two candidates: no guess
    assert renamed_columns(["Height (m)", "AFP"]) == {}  # another unit, no unit: no match
    assert renamed_columns(["PIVKA II", "Bilirubin (mg/dL)"]) == {
        "bilirubin_mg_dl": "Bilirubin (mg/dL)",
        "pivka2": "PIVKA II",
    }


def test_unnamed_columns_with_values_after_an_empty_one_are_named_by_number(tmp_path):
    path = _with_trailing_commas(tmp_path, 3)
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[4] = lines[4][:-3] + ",,1,2"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    [message] = _problem(path)
    assert message.startswith(
        f"file: the header has 2 empty column names: column {len(HEADER) + 2} and 1 more, with "
    )


# ------------------------------------------------------------ odd files given to validate
def _validate(path, capsys):
    """(code, stdout, stderr) of ``validate --quiet PATH``; the file is never changed."""
    before = path.read_bytes() if path.is_file() else None
    code, out, err = call_cli(["validate", "--quiet", str(path)], capsys)
    if before is not None:
        assert path.read_bytes() == before
    return code, out, err


BENIGN = {
    "utf-8 with BOM": lambda t: b"\xef\xbb\xbf" + t.encode(),
    "two BOMs": lambda t: b"\xef\xbb\xbf\xef\xbb\xbf" + t.encode(),
    "CRLF": lambda t: t.replace("\n", "\r\n").encode(),
    "BOM and CRLF": lambda t: b"\xef\xbb\xbf" + t.replace("\n", "\r\n").encode(),
    "CR only (old Mac)": lambda t: t.replace("\n", "\r").encode(),
    "no final newline": lambda t: t.rstrip("\n").encode(),
    "blank lines": lambda t: t.replace("\n", "\n\n", 3).encode(),
}


@pytest.mark.parametrize("kind", BENIGN)
def test_benign_oddities_just_work(tmp_path, capsys, kind):
    """A second byte-order mark (a file saved twice with one) made 'patient_id' a missing
    column; the others were already read."""
    path = write(tmp_path, enough_rows(12))
    path.write_bytes(BENIGN[kind](path.read_text(encoding="utf-8")))
    code, out, err = _validate(path, capsys)
    assert (code, err) == (0, "") and out.startswith("OK: ") and "12 patients; 38 columns" in out


REFUSED = {
    # a UTF-16 file without its byte-order mark was "binary (NUL) bytes"; UTF-32 was "UTF-16"
    "UTF-16 LE": (lambda t: t.encode("utf-16"), "is encoded as UTF-16, not UTF-8"),
    "UTF-16 BE": (lambda t: b"\xfe\xff" + t.encode("utf-16-be"), "is encoded as UTF-16, not"),
    "UTF-16 LE, no BOM": (
        lambda t: t.encode("utf-16-le"),
        "is encoded as UTF-16 (without a byte-order mark), not UTF-8",
    ),
    "UTF-16 BE, no BOM": (lambda t: t.encode("utf-16-be"), "UTF-16 (without a byte-order mark)"),
    "UTF-32": (lambda t: t.encode("utf-32"), "is encoded as UTF-32, not UTF-8"),
    "NUL in text": (lambda t: t.encode()[:300] + b"\x00" + t.encode()[300:], "(NUL) bytes"),
    "semicolons": (lambda t: t.replace(",", ";").encode(), "separated by semicolons (;)"),
    "tabs": (lambda t: t.replace(",", "\t").encode(), "is separated by tabs, not commas"),
    "0 bytes": (lambda t: b"", "is empty (0 bytes)"),
    # the csv module's "field larger than field limit (16777216)"
    "one 17 MB line": (
        lambda t: b"x" * (17 << 20),
        "is not a cohort CSV: a value near line 1 is longer than 16,777,216 characters",
    ),
}


@pytest.mark.parametrize("kind", REFUSED)
def test_unreadable_files_are_one_line_exit_2(tmp_path, capsys, kind):
    make, expect = REFUSED[kind]
    path = write(tmp_path, enough_rows(12))
    path.write_bytes(make(path.read_text(encoding="utf-8")))
    code, out, err = _validate(path, capsys)
    assert code == 2 and err == ""
    header, message = out.splitlines()
    assert header.endswith("cohort.csv: 1 problem") and expect in message


@pytest.mark.parametrize("again", [[8], [8, 15]])
def test_a_header_repeated_mid_file_is_one_problem_naming_its_lines(tmp_path, capsys, again):
    """Two exports joined: the repeated header was a row, 37 problems, each 'patient_id
    patient_id' with a hint about '_' as a digit separator (age_years has an underscore)."""
    path = write(tmp_path, enough_rows(20))
    lines = path.read_text(encoding="utf-8").splitlines()
    for at in reversed(again):
        lines.insert(at, " , ".join(lines[0].split(",")))  # spaces around the names too
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, out, err = _validate(path, capsys)
    where = "line 9" if again == [8] else "lines 9, 17"
    assert code == 1 and out.splitlines()[1:] == [
        f"  - file: the header line appears again on {where} [files joined together? delete the "
        f"repeated header line{'s' if len(again) > 1 else ''}]"
    ]
    quoted = path.read_text(encoding="utf-8").replace("P001", '"P001"')  # the csv reader
    path.write_text(quoted, encoding="utf-8")
    assert _validate(path, capsys)[1].splitlines()[1:] == out.splitlines()[1:]
    # only a header and its repetition: no data either
    path.write_text(lines[0] + "\n" + lines[0] + "\n", encoding="utf-8")
    assert [m.split(" [")[0] for m in _problem(path)] == [
        "file: the header line appears again on line 2",
        "file: has a header but no data rows",
    ]


@pytest.mark.parametrize("quoted", [False, True])  # the fast reader and the csv module's
def test_two_csv_utf8_exports_joined_are_one_repeated_header(tmp_path, capsys, quoted):
    """Excel's "CSV UTF-8" starts every file with a byte-order mark, so ``cat a.csv b.csv`` puts
    one before the repeated header: it was not recognised (39 problems, a masked
    '?pa*****_**' patient among them), only a header without the mark was."""
    path = write(tmp_path, enough_rows(20))
    text = path.read_text(encoding="utf-8")
    if quoted:
        text = text.replace("P001", '"P001"')
    lines = text.splitlines()
    first, second = "\n".join(lines[:9]) + "\n", "\n".join([lines[0], *lines[9:]]) + "\n"
    bom = b"\xef\xbb\xbf"
    path.write_bytes(bom + first.encode() + bom + second.encode())
    code, out, err = _validate(path, capsys)
    assert code == 1 and out.splitlines()[1:] == [
        "  - file: the header line appears again on line 10 [files joined together? delete the "
        "repeated header line]"
    ], out


def test_the_digit_separator_hint_is_for_digits_only(tmp_path):
    rows = enough_rows()
    rows[1]["age_years"] = "not_known"
    [message] = _problem(write(tmp_path, rows))
    assert "digit separator" not in message


@pytest.mark.parametrize("name", ["only-header.csv", "header-no-newline.csv"])
def test_only_a_header_is_one_problem(tmp_path, capsys, name):
    path = write(tmp_path, [], name=name)
    if name.startswith("header-no"):
        path.write_bytes(path.read_bytes().rstrip(b"\n"))
    code, out, _ = _validate(path, capsys)
    assert code == 1 and out.splitlines()[1] == (
        "  - file: has a header but no data rows [add one row per patient]"
    )


def test_a_directory_an_unreadable_file_and_an_empty_name(tmp_path, capsys, monkeypatch):
    folder = tmp_path / "cohort.csv"
    folder.mkdir()
    code, out, _ = _validate(folder, capsys)
    assert code == 2 and out.splitlines()[1] == "  - file: cohort.csv is a directory"
    # no read permission (the tests may run as root, who reads anything: the refusal is made)
    path = write(tmp_path, enough_rows(), name="locked.csv")
    real_open = Path.open

    def refuse(self, *args, **kwargs):
        if self.name == "locked.csv":
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", refuse)
    code, out, _ = call_cli(["validate", "--quiet", str(path)], capsys)
    assert code == 2 and out.splitlines()[1] == "  - file: cannot be read (Permission denied)"
    assert str(tmp_path) not in out.splitlines()[1]  # the folder: only in the path as typed
    monkeypatch.undo()
    # an empty name (an unset shell variable) was the current folder: "h62 is a directory"
    for argv in (["validate", ""], ["run", "--cohort", " ", "--out", str(tmp_path / "r")]):
        code, out, err = call_cli(argv, capsys)
        assert code == 2 and out == "" and "empty, not a file name" in err.splitlines()[-1]
    assert not (tmp_path / "r").exists()


def test_a_very_long_line_and_a_very_long_column_name_stay_short(tmp_path, capsys):
    path = write(tmp_path, enough_rows(12))
    text = path.read_text(encoding="utf-8")
    # longer than the csv module's default field limit (131,072 characters)
    path.write_text(text + "P999," + "x" * 300_000 + "\n", encoding="utf-8")
    code, out, _ = _validate(path, capsys)
    assert code == 1 and len(out) < 1000 and "line 14: 2 fields" in out
    lines = text.splitlines()
    lines = [lines[0] + "," + "y" * 300_000] + [line + ",1" for line in lines[1:]]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, out, _ = _validate(path, capsys)
    assert code == 0 and out.endswith(f"not used by the book: {'y' * 40}… (300000 characters)\n")


def test_dose_leading_zeros_and_a_blank_formula(capsys):
    """``--cycle 0000001`` was 'far outside the accepted range'; ``--formula ''`` printed
    '--formula : must be'."""
    code, out, _ = call_cli(
        ["dose", "--height-cm", "170", "--weight-kg", "65", "--cycle", "0003"], capsys
    )
    assert code == 0 and out.startswith("ECF cycle 3 ")
    code, _, err = call_cli(
        ["dose", "--height-cm", "170", "--weight-kg", "65", "--formula", ""], capsys
    )
    assert (code, err) == (2, "error: --formula '': must be mosteller or dubois\n")


@pytest.mark.parametrize(
    "argv",
    [
        ["dose", "--height-cm", "170", "--weight-kg", "65", "--height-cm", "180"],
        ["dose", "--height", "170", "--weight-kg=65", "--height-cm=180"],  # abbreviated, =
        ["run", "--out", "reports/a", "--out", "reports/b", "--chapters", "01"],
        ["run", "--cohort", "a.csv", "--cohort", "b.csv", "--out", "reports/a"],
        ["audit", "--verdict", "consistent", "--verdict", "inconsistent"],
    ],
)
def test_an_option_given_twice_with_different_values_is_refused(argv, capsys, tmp_path):
    """argparse kept the last value without a word: ``dose --height-cm 170 … --height-cm
    180`` printed the sheet for 180 cm (exit 0), ``run --out a --out b`` wrote b."""
    code, out, err = call_cli(argv, capsys)
    assert code == 2 and out == ""
    assert err.splitlines()[-1].endswith("given twice with different values; give it once")
    assert not (tmp_path / "reports").exists()


def test_an_option_given_twice_with_the_same_value_is_accepted(capsys):
    code, out, _ = call_cli(
        ["dose", "--height-cm", "170", "--weight-kg", "65", "--height-cm", "170"], capsys
    )
    assert code == 0 and out.startswith("ECF cycle 1 · BSA 1.75 m²")


@pytest.mark.parametrize(
    ("name", "what"),
    [
        ("850101-1234567.csv", "resident registration numbers"),
        ("John_Smith.csv", "personal names"),
        ("AB123456C.csv", "UK National Insurance numbers"),
        ("MRN1234567.csv", "record numbers named in the cell"),
        ("kim@hospital.org.csv", "e-mail addresses"),
        # inside the stem: only a whole stem was read as a name; ten digits from 09 were a
        # timestamp to the guard, and are a Vietnamese mobile number
        ("cohort_john_smith_2023.csv", "personal names"),
        ("hcc_Nguyen_Van_An.csv", "personal names"),
        ("cohort_0912345678.csv", "phone numbers"),
        # the country code without a +, and a name after BV (a hospital's name to the guard)
        ("84912345678.csv", "phone numbers"),
        ("BV_Nguyen_Thi_Lan.csv", "personal names"),
    ],
)
def test_a_cohort_file_name_that_holds_an_identifier_is_refused_masked(
    tmp_path, capsys, monkeypatch, name, what
):
    """``validate 850101-1234567.csv`` said OK and printed the number; ``run`` put the file
    name on the report's first page and into report.json, a report being made to be shared."""
    monkeypatch.chdir(tmp_path)
    path = write(tmp_path, enough_rows(), name=name)
    secret = name[:-4]
    code, out, err = _validate(path, capsys)
    assert code == 1 and f"file name: holds {what}" in out and secret not in out + err
    assert "/[masked].csv: 1 problem\n" in out  # which file: its extension is kept
    # -p nosuch=1: were the name let through, the run would stop there, not execute chapters
    code, out, err = call_cli(
        ["run", "--cohort", name, "--out", "reports/r", "-p", "nosuch=1"], capsys
    )
    assert code == 2 and err.startswith("error: --cohort [masked].csv: ")
    assert f"the name holds {what}" in err and secret not in out + err
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]  # nothing written


def test_validate_checks_the_name_a_link_points_to_as_run_does(tmp_path, capsys):
    """``run`` checks (and a report shows) the name of the file a link points to; ``validate``
    checked the link's own name, so ``mine.csv -> 850101-1234567.csv`` passed it."""
    target = write(tmp_path, enough_rows(), name="850101-1234567.csv")
    link = tmp_path / "mine.csv"
    link.symlink_to(target)
    code, out, err = _validate(link, capsys)
    assert code == 1 and "file name: holds resident registration numbers" in out
    assert "1234567" not in out + err


def test_a_report_folder_name_that_holds_an_identifier_is_refused_and_dates_pass(
    tmp_path, capsys, monkeypatch
):
    monkeypatch.chdir(tmp_path)
    code, out, err = call_cli(
        ["run", "--out", "reports/Hong_Gildong_010-1234-5678", "-p", "x=1"], capsys
    )
    assert code == 2 and "the name holds phone numbers" in err and "5678" not in err
    assert list(tmp_path.iterdir()) == []
    # an export date, a timestamp, a Korean name or capitalised words are no identifier there
    for name in (
        "cohort_2023-01-15.csv",
        "export_1700000000.csv",
        "간암_코호트.csv",
        "Final Report.csv",
        "Hong Kong.csv",
        # places and hospitals whose words are names were refused as personal names
        "benh_vien_cho_ray.csv",
        "Bệnh_Viện_Chợ_Rẫy.csv",
        "Hoa_Binh.csv",
        "Can_Tho.csv",
        "Chung_Ang_University.csv",
    ):
        code, out, _ = _validate(write(tmp_path, enough_rows(), name=name), capsys)
        assert code == 0 and out.startswith(f"OK: {tmp_path / name}:"), name


def test_an_unknown_parameter_never_offers_cohort_path(tmp_path, capsys):
    """``run --chapters 01 -p x=1`` answered '(known: cohort_path)', and ``-p cohort_path=…``
    is then refused ('give the cohort with --cohort instead')."""
    argv = ["run", "--chapters", "01", "-p", "x=1", "--out", str(tmp_path / "r")]
    code, _, err = call_cli(argv, capsys)
    assert code == 2
    assert err == (
        "error: -p x: no selected chapter has this parameter (the selected chapters take none)\n"
    )
    code, _, err = call_cli([*argv[:2], "05", *argv[3:]], capsys)
    assert err.endswith("(settable with -p: confidence_level)\n") and file_tree(tmp_path) == []


def test_an_unknown_parameter_offers_only_what_p_can_set(tmp_path, capsys):
    """``-p nosuch=1`` offered 'cutoffs' and 'landmarks' as known, which ``-p landmarks=1``
    then refused as lists 'not settable with -p'."""
    argv = ["run", "--chapters", "09", "-p", "nosuch=1", "--out", str(tmp_path / "r")]
    code, _, err = call_cli(argv, capsys)
    assert code == 2 and file_tree(tmp_path) == []
    assert err == (
        "error: -p nosuch: no selected chapter has this parameter "
        "(settable with -p: n_bootstrap, n_simulations, seed)\n"
    )
    code, _, err = call_cli(argv[:1] + argv[3:], capsys)  # every chapter
    assert code == 2 and "settable with -p: " in err
    assert "cutoffs" not in err and "landmarks" not in err and "cohort_path" not in err
    assert "confidence_level" in err and "bsa_formula" in err


def test_run_help_says_where_the_report_goes_and_that_lists_are_refused(capsys):
    code, out, _ = call_cli(["run", "--help"], capsys)
    assert code == 0
    flat = " ".join(out.split())
    assert "reports/NAME" not in flat and "NAME.failed" not in flat
    assert "into a new report directory (--out)" in flat
    assert "VALUE is read as YAML" not in flat
    assert "VALUE is one YAML scalar" not in flat  # YAML 1.1 read 0b11 as 3, yes as true
    assert "VALUE is one value: a decimal whole number (10; 017 is 17)" in flat
    assert "0b11, 0x1F, 1_000, yes, off and 1:30 are text" in flat
    assert "lists and mappings are refused" in flat


def test_a_chapter_number_without_its_zero_and_a_name_in_another_case_select_it():
    """``--chapters 6`` was 'chapter '6' not found' though the help says names or numbers."""
    assert discover_chapters(selection="6,01-DATA") == discover_chapters(selection="06,01-data")
    assert [p.stem for p in discover_chapters(selection=" 10 , 009 ")] == [
        "09-bias",
        "10-your-cohort",
    ]
    with pytest.raises(RunnerError, match="chapter '11' not found"):
        discover_chapters(selection="11")


@pytest.mark.parametrize("where", ["out", "cache"])
def test_ensemble_refuses_an_unwritable_out_or_cache_before_anything_runs(
    tmp_path, capsys, monkeypatch, where
):
    """An unwritable --out folder was found only when the summary was written, after the whole
    run; an unwritable --cache parent ended in a PermissionError traceback once the cluster
    had started. A folder nothing can be created in (read-only, or immutable even for root)
    is simulated by refusing mkstemp there."""
    import errno
    import tempfile

    import analysis.cli.ensemble as cli_ensemble

    def never(*args, **kwargs):
        raise AssertionError("the ensemble must not start")

    locked = tmp_path / "locked"
    locked.mkdir()
    real = tempfile.mkstemp

    def mkstemp(*args, dir=None, **kwargs):
        if dir is not None and Path(dir) == locked:
            raise PermissionError(errno.EPERM, "Operation not permitted")
        return real(*args, dir=dir, **kwargs)

    monkeypatch.setattr(cli_ensemble, "run_ensemble", never)
    monkeypatch.setattr(tempfile, "mkstemp", mkstemp)
    out = locked / "s.csv" if where == "out" else tmp_path / "s.csv"
    cache = locked / "cache" / "deeper" if where == "cache" else tmp_path / "cache"
    argv = ["ensemble", "--n", "2", "--out", str(out), "--cache", str(cache)]
    code, stdout, err = call_cli(argv, capsys)
    assert (code, stdout) == (2, "")
    shown = out if where == "out" else cache
    assert err == (
        f"error: --{where} {shown}: cannot write in {locked} (Operation not permitted); "
        "nothing was run or written\n"
    )
    assert file_tree(tmp_path) == ["locked"]


def _nothing_may_run(monkeypatch) -> None:
    """``synthesize`` and ``ensemble`` fail the test if they start computing."""
    import analysis.cli.ensemble as cli_ensemble
    import analysis.cli.synthesize as cli_synthesize

    def never(*args, **kwargs):
        raise AssertionError("nothing may run")

    monkeypatch.setattr(cli_synthesize, "synthesize", never)
    monkeypatch.setattr(cli_ensemble, "run_ensemble", never)


@pytest.mark.parametrize(
    ("argv", "shown"),
    [
        (["synthesize", "--out", "data/schema.yaml", "--force"], "is inside the book's data/"),
        (
            ["synthesize", "--out", "analysis/cohort.py", "--force"],
            "is inside the book's analysis/",
        ),
        (["synthesize", "--out", "README.md", "--force"], "is the book's README.md"),
        (["synthesize", "--out", "chapters/new.csv"], "is inside the book's chapters/"),
        (["ensemble", "--n", "1", "--out", "data/summary.csv"], "is inside the book's data/"),
    ],
)
def test_generated_csvs_never_go_into_the_books_folders(argv, shown, capsys, monkeypatch):
    """``synthesize --out data/schema.yaml --force`` replaced the data dictionary with a CSV
    (and --out analysis/cohort.py a module); ``run`` already refused its reports there. The
    book's own defaults (data/cohort.csv, data/ensemble-summary.csv) are still written."""
    from analysis import REPO_ROOT

    _nothing_may_run(monkeypatch)
    monkeypatch.chdir(REPO_ROOT)
    code, out, err = call_cli(argv, capsys)
    assert (code, out) == (2, "") and shown in err and len(err.splitlines()) == 1
    from analysis import numerics  # the default passes the check (the portable arithmetic)

    monkeypatch.setattr(numerics, "kernel_note", lambda: None)
    with pytest.raises(AssertionError, match="nothing may run"):
        call_cli(["synthesize", "--out", "data/cohort.csv"], capsys)


@pytest.mark.parametrize(
    "argv",
    [
        ["run", "--out", "~/reports/mine", "--chapters", "01", "-p", "x=1"],
        ["run", "--out", "~", "-p", "x=1"],  # -p x=1: a regression stops there
        ["synthesize", "--out", "~/cohort.csv"],
        ["ensemble", "--n", "1", "--out", "~/summary.csv"],
        ["ensemble", "--n", "1", "--cache", "~/cache", "--out", "s.csv"],
    ],
)
def test_a_quoted_tilde_is_refused_not_made_a_folder(argv, tmp_path, capsys, monkeypatch):
    """``--out '~/reports/mine'`` (quoted: the shell leaves the ~) made a folder named ``~`` in
    the current one, which a later ``rm -rf ~`` meant for it takes the home directory with."""
    _nothing_may_run(monkeypatch)
    monkeypatch.chdir(tmp_path)
    code, out, err = call_cli(argv, capsys)
    assert (code, out) == (2, "") and "starts with '~', which the shell did not expand" in err
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["synthesize", "--out", "a" * 300 + ".csv"],
            "--out: not a usable path (File name too long)",
        ),
        (["ensemble", "--n", "1", "--out", "a" * 300 + ".csv"], "--out: not a usable path"),
        (["synthesize", "--out", "loop/c.csv"], "--out loop/c.csv: loop is a broken symbolic link"),
        (["synthesize", "--out", "gone/c.csv"], "--out gone/c.csv: gone is a broken symbolic link"),
        (
            ["ensemble", "--n", "1", "--out", "s.csv", "--cache", "gone/c"],
            "--cache gone/c: gone is",
        ),
        (["ensemble", "--n", "1", "--out", "loop/s.csv"], "--out: not a usable path (a loop of"),
    ],
)
def test_unusable_output_paths_are_one_line_before_anything_runs(
    argv, message, tmp_path, capsys, monkeypatch
):
    """A name longer than the file system allows ended ``synthesize`` and ``ensemble`` in an
    OSError traceback; an --out under a broken link or a loop of links passed the check
    (``exists()`` is False) and ``synthesize`` failed only after the whole synthesis, ``ensemble``
    with a traceback."""
    import os

    _nothing_may_run(monkeypatch)
    monkeypatch.chdir(tmp_path)
    os.symlink("loop2", "loop")
    os.symlink("loop", "loop2")
    os.symlink(tmp_path / "nowhere", "gone")
    code, out, err = call_cli(argv, capsys)
    assert (code, out) == (2, "") and err.startswith(f"error: {message}")
    assert len(err.splitlines()) == 1 and sorted(os.listdir(tmp_path)) == ["gone", "loop", "loop2"]


@pytest.mark.parametrize(
    ("cohort", "why"),
    [("a" * 300 + ".csv", "File name too long"), ("loop", "a loop of symbolic links")],
)
def test_an_unusable_cohort_path_is_named_as_the_cohort(cohort, why, tmp_path, capsys, monkeypatch):
    """``run --cohort <300 characters>.csv`` answered '--out …: File name too long' (the
    cohort was checked with exists(), which raised); ``--cohort`` a loop of links ended in a
    RuntimeError traceback."""
    import os

    monkeypatch.chdir(tmp_path)
    os.symlink("loop2", "loop")
    os.symlink("loop", "loop2")
    code, out, err = call_cli(["run", "--cohort", cohort, "--out", "r", "-p", "x=1"], capsys)
    assert (code, out) == (2, "")
    assert err == f"error: --cohort: not a usable path ({why}); nothing was run or written\n"
    assert sorted(os.listdir(tmp_path)) == ["loop", "loop2"]


class _Full:
    """A standard output on a full disk (``> /dev/full``), or closed (``>&-``: None)."""

    def write(self, text):
        raise OSError(28, "No space left on device")

    def flush(self):
        raise OSError(28, "No space left on device")


@pytest.mark.parametrize("stdout", [_Full(), None], ids=["full disk", "closed"])
@pytest.mark.parametrize("command", ["dose", "validate"])
def test_an_output_that_cannot_be_written_is_one_line_not_a_traceback(
    command, stdout, tmp_path, capsys, monkeypatch
):
    """``dose … > /dev/full`` (also validate, audit) ended in an OSError traceback, ``… >&-``
    in an AttributeError one ('NoneType' object has no attribute 'flush')."""
    argv = ["dose", "--height-cm", "170", "--weight-kg", "65"]
    if command == "validate":
        argv = ["validate", str(write(tmp_path, enough_rows()))]
    capsys.readouterr()
    monkeypatch.setattr(sys, "stdout", stdout)
    code = main(argv)
    monkeypatch.undo()
    err = capsys.readouterr().err
    why = "No space left on device" if stdout is not None else "it is closed"
    assert (code, err) == (2, f"error: cannot write the output ({why})\n")


def test_run_out_through_a_loop_of_links_says_so_in_words(tmp_path, capsys, monkeypatch):
    """``run --out loop/r`` printed pathlib's own message (``Symlink loop from '/…/loop'``, the
    absolute path again); it now gives the reason the other commands give."""
    import os

    monkeypatch.chdir(tmp_path)
    os.symlink("loop2", "loop")
    os.symlink("loop", "loop2")
    code, out, err = call_cli(["run", "--out", "loop/r", "-p", "x=1"], capsys)
    assert (code, out) == (2, "")
    assert err == "error: --out loop/r: not a usable path (a loop of symbolic links)\n"
    assert sorted(os.listdir(tmp_path)) == ["loop", "loop2"]


# ------------------------------------------------------------------------- temporary folder
def test_a_run_leaves_its_temporary_directory_and_its_mode_alone(tmp_path, monkeypatch):
    """jupyter_client writes a kernel's connection file (with the kernel's key) in the
    temporary directory when none is named, then sets the sticky bit on that directory:
    ``TMPDIR=shared run …`` turned a world-writable ``drwxrwxrwx`` folder into ``drwxrwxrwt``.
    The run names the file, in its private build folder."""
    import asyncio
    import stat
    import tempfile

    from analysis.runner import _quiet_kernel_manager

    shared, private = tmp_path / "shared", tmp_path / "private"
    shared.mkdir()
    shared.chmod(0o777)
    private.mkdir(mode=0o700)
    monkeypatch.setattr(tempfile, "tempdir", str(shared))
    manager = _quiet_kernel_manager(private)(kernel_name="python3")

    async def start_and_stop():
        await manager.start_kernel()
        try:
            return sorted(p.name for p in private.iterdir())
        finally:
            await manager.shutdown_kernel(now=True)

    written = asyncio.run(start_and_stop())
    assert stat.S_IMODE(shared.stat().st_mode) == 0o777 and list(shared.iterdir()) == []
    assert len(written) == 1 and written[0].startswith("kernel-")
    assert list(private.iterdir()) == []  # removed with the kernel


def test_a_control_character_in_an_out_name_is_escaped_once(tmp_path):
    """``--out $'r/a\\nb'`` said ``--out 'r/a\\\\nb'``: the escaped name was quoted with repr,
    which escaped its backslash again; so was a report's unlisted file ``notes\\n.txt``."""
    import json

    from analysis.runner import MARKER_NAME, check_output_dir

    with pytest.raises(RunnerError) as error:
        check_output_dir(tmp_path / "a\nb")
    assert f"'{tmp_path}/a\\nb': control characters" in str(error.value)
    out = tmp_path / "report"
    out.mkdir()
    (out / "index.html").write_text("<html></html>", encoding="utf-8")
    marker = {"format": "haic-report", "version": 1, "state": "complete", "files": ["index.html"]}
    (out / MARKER_NAME).write_text(json.dumps(marker), encoding="utf-8")
    (out / "notes\n.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(RunnerError) as error:
        check_output_dir(out, force=True)
    assert "did not write ('notes\\n.txt')" in str(error.value)


def test_the_ok_line_names_at_most_twenty_columns_the_book_does_not_read(tmp_path, capsys):
    """A wide export (20,000 extra columns) made validate's OK line 149 kB long."""
    extra = [f"x{i}" for i in range(25)]
    rows = [{**row, **dict.fromkeys(extra, "1")} for row in enough_rows()]
    path = write(tmp_path, rows, header=[*HEADER, *extra])
    code, out, _ = call_cli(["validate", str(path)], capsys)
    assert code == 0
    assert out.endswith("not used by the book: x0, x1, x2, x3, x4, x5, x6, x7, x8, x9, x10, "
                        "x11, x12, x13, x14, x15, x16, x17, x18, x19 and 5 more\n")  # fmt: skip


@pytest.mark.parametrize(("written", "exact"), [
    ("ａｇｅ＿ｙｅａｒｓ", "ASCII letters, not full-width ones"),  # a Korean or Japanese IME
    ("ＡＧＥ　ＹＥＡＲＳ", "ASCII letters, not full-width ones"),  # and an ideographic space
    ("age\u00a0years", "no invisible characters, spaces or hyphens"),  # a no-break space
])  # fmt: skip
def test_a_required_name_typed_in_full_width_letters_is_pointed_out(tmp_path, written, exact):
    """``ａｇｅ＿ｙｅａｒｓ`` got 'required column is missing' alone, where ``age-years`` and
    ``Age Years`` were pointed out."""
    header = [written if h == "age_years" else h for h in HEADER]
    rows = [{(written if k == "age_years" else k): v for k, v in r.items()} for r in enough_rows()]
    [message] = _problem(write(tmp_path, rows, header=header))
    assert message.startswith("column age_years: required column is missing [found '")
    assert message.endswith(f"': rename it to age_years (names are exact: {exact})]")


@pytest.mark.parametrize(("column", "value", "hint"), [
    ("age_years", "６２", "digits 0-9 (62, not ６２ or ٦٢)"),  # full-width, from an input method
    ("bilirubin_mg_dl", "０.７", "digits 0-9"),
    ("age_years", "٦٢", "digits 0-9"),  # Arabic-Indic
    ("sex", "Ｍ", "in ASCII letters and digits, not full-width ones"),
    ("sex", "Nam", "write M (male) or F (female)"),  # Vietnamese
    ("sex", "nữ", "write M (male) or F (female)"),
    ("sex", "남", "write M (male) or F (female)"),  # Korean (not refused as Hangul: a sex word)
    ("sex", "Female", "write M (male) or F (female)"),
])  # fmt: skip
def test_values_typed_in_other_scripts_or_words_get_a_hint(tmp_path, column, value, hint):
    """'６２' and 'Ｍ' (a Korean, Chinese or Japanese input method), 'Nam'/'nữ' or '남' for the
    sex: each was 'must be …' with no word on what to write (Nam and 남 are not echoed)."""
    rows = enough_rows()
    rows[1][column] = value
    messages = _problem(write(tmp_path, rows))
    [message] = [m for m in messages if m.startswith(f"column {column}: must be ")]
    assert f"[{hint}" in message
    assert "Nam" not in message and "남" not in message.split("[")[0]


def test_a_row_of_one_field_says_one_field(tmp_path, capsys):
    """'line 2 (patient_id xx****…): 1 fields' (a 50 MB line without a comma); a row with the
    wrong number of fields is named by its line alone."""
    path = write(tmp_path, enough_rows(12))
    path.write_text(path.read_text(encoding="utf-8") + "P999\n", encoding="utf-8")
    code, out, _ = _validate(path, capsys)
    assert code == 1 and "line 14: 1 field [" in out


def test_no_usable_temporary_directory_is_named_as_such(tmp_path, capsys, monkeypatch):
    """With TMPDIR, /tmp, /var/tmp, /usr/tmp and the current folder all unwritable, ``run``
    said '--out r: No usable temporary directory found in [...]' (blaming --out). A TMPDIR that
    does not exist, is a file or is read-only alone is no error: Python falls back to /tmp."""
    import tempfile

    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(tempfile, "tempdir", None)
    monkeypatch.setattr(tempfile, "_candidate_tempdir_list", lambda: [str(tmp_path / "none")])
    code, out, err = call_cli(["run", "--out", "r", "--chapters", "01"], capsys)
    assert code == 2 and out == ""
    assert err == (
        "error: no usable temporary directory (TMPDIR, /tmp, /var/tmp, /usr/tmp and the current "
        "folder are not writable); set TMPDIR to a folder you can write; nothing was written\n"
    )
    assert file_tree(tmp_path) == []


# ------------------------------------------- misaligned rows, name-built ids, totals, padding
def _unquoted_names(tmp_path, first: list[str]):
    """A cohort whose ``patient_id`` cells are ``first`` written without quotes (a comma
    inside one splits it into two fields)."""
    path = write(tmp_path, enough_rows(len(first)))
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[1:] = [
        f"{name},{line.split(',', 1)[1]}" for name, line in zip(first, lines[1:], strict=True)
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_a_misaligned_row_never_shows_its_first_field_as_a_patient_id(tmp_path, capsys):
    """An unquoted "Nguyen, Van An" printed 'line 2 (patient_id Nguyen): 39 fields' (and the
    next patients' surnames) in validate and run; a stray comma in a name column printed
    '(patient_id Jr.)'. A row with the wrong number of fields is named by its line only."""
    names = ["Nguyen, Van An", "Tran, Thi Hoa", "Kim, Minsu", "Lee, Sujin", "Park, Jiwoo"] * 2
    path = _unquoted_names(tmp_path, names)
    code, out, err = _validate(path, capsys)
    assert code == 1
    assert (
        f"rows must have as many fields as the header ({len(HEADER)}) — 10 rows: line 2: "
        f"{len(HEADER) + 1} fields; line 3: {len(HEADER) + 1} fields;"
    ) in out
    for surname in ("Nguyen", "Tran", "Kim", "Lee", "Park", "patient_id "):
        assert surname not in out + err
    out_dir = tmp_path / "report"
    code, out, err = call_cli(["run", "--cohort", str(path), "--out", str(out_dir)], capsys)
    assert code == 2 and not out_dir.exists() and "line 2: 39 fields" in out + err
    for surname in ("Nguyen", "Tran", "Kim", "Lee", "Park"):
        assert surname not in out + err
    # a name column (refused by its name) with one stray comma: "Smith, Jr." split in two
    rows = [{**r, "name": f"Person {i}"} for i, r in enumerate(enough_rows(12))]
    path = write(tmp_path, rows, header=["name", *HEADER])
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[5] = "Smith, Jr.," + lines[5].split(",", 1)[1]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, out, err = _validate(path, capsys)
    assert code == 1 and f"— 1 row: line 6: {len(HEADER) + 2} fields [" in out
    assert "Jr" not in out + err and "Smith" not in out + err


@pytest.mark.parametrize(
    ("ids", "what"),
    [
        # initials differ between patients and birth dates lie far apart (KMS600101 … KMS600106,
        # KMS600201 … under one set of letters would read as a study's counter: they pass)
        (["KMS600101", "LJH451223", "PYS720815", "CHW380302", "NVA550617", "TTB490930",
          "JSY670412", "HMK810107", "LDH430521", "KYJ590814", "OSH620228", "BJW770903"],
         "initials followed by"),
        ([f"{s}{i}" for i, s in enumerate(["Nguyen", "Tran", "Kim", "Lee", "Park", "Choi"] * 2)],
         "personal names followed by a number"),
        ([f"{s}_{i:03d}" for i, s in enumerate(["Nguyen", "Tran", "Pham", "Hoang"] * 3)],
         "personal names followed by a number"),
        (["A.B.", "B.C.", "C.D.", "K.M.S.", "D.E.", "E.F.", "F.G.", "G.H.", "H.I.", "I.J.",
          "J.K.", "K.L."], "initials"),
    ],
)  # fmt: skip
def test_ids_built_from_initials_birth_dates_or_names_are_refused_and_never_shown(
    tmp_path, capsys, ids, what
):
    """KMS600101 (initials and YYMMDD), Nguyen0, Nguyen_000 and A.B. passed the guard and were
    printed in every message. Now the column is refused, and once it is no message shows any
    of its ids, not even one that passes alone (Kim2, Lee3: a two- or three-letter name and a
    number is left alone, see analysis.privacy._ID_NAME_NUMBER)."""
    rows = [{**r, "patient_id": pid} for r, pid in zip(enough_rows(len(ids)), ids, strict=True)]
    rows[1]["sex"] = "X"  # another problem, on a row whose id may pass alone (Tran1, Kim2)
    path = write(tmp_path, rows)
    code, out, err = _validate(path, capsys)
    assert code == 1 and what in out
    assert "column sex: must be one of M, F — 1 row: line 3: 'X'" in out
    for pid in ids:
        assert pid not in out + err and pid.split("_")[0] not in out + err
    assert "(patient_id" not in out


_JOINED_OR_SEPARATED = {
    # a reviewer's files: names joined by _ . or CamelCase, an initial and a surname, initials
    # and a birth date after / or in parts; every one passed and was echoed in other messages
    # (once: line 4 (patient_id Le_Van_Cuong); no message names a row by its id now)
    "Nguyen_Van_An": ["Nguyen_Van_An", "Tran_Thi_Binh", "Le_Van_Cuong", "Pham_Thi_Dung",
                      "Hoang_Van_Em", "Vu_Thi_Gam", "Dang_Van_Hai", "Bui_Thi_Hoa", "Do_Van_Khoa",
                      "Ho_Thi_Lan", "Ngo_Van_Minh", "Duong_Thi_Nga"],
    "NguyenVanAn": ["NguyenVanAn", "TranThiBinh", "LeVanCuong", "PhamThiDung", "HoangVanEm",
                    "VuThiGam", "DangVanHai", "BuiThiHoa", "DoVanKhoa", "HoThiLan", "NgoVanMinh",
                    "DuongThiNga"],
    "nguyen.van.an": ["nguyen.van.an", "tran.thi.binh", "le.van.cuong", "pham.thi.dung",
                      "hoang.van.em", "vu.thi.gam", "dang.van.hai", "bui.thi.hoa", "do.van.khoa",
                      "ho.thi.lan", "ngo.van.minh", "duong.thi.nga"],
    "Smith_John": ["Smith_John", "Jones_Mary", "Brown_Alan", "Lee_Karen", "Nguyen_Tam",
                   "Tran_Hung", "Pham_Linh", "Le_Binh", "Vu_Chau", "Do_Dung", "Ho_Em", "Ngo_Phuc"],
    "J.Smith": ["J.Smith", "M.Jones", "A.Brown", "K.Lee", "T.Nguyen", "H.Tran", "L.Pham", "B.Le",
                "C.Vu", "D.Do", "E.Ho", "F.Ngo"],
    "KMS/600101": ["KMS/600101", "TTB/551230", "LVC/480715", "PTD/701122", "HVE/630303",
                   "VTG/590909", "DVH/520611", "BTH/671010", "DVK/580228", "HTL/610417",
                   "NVM/490101", "DTN/720505"],
    "KMS-60-01-01": ["KMS-60-01-01", "TTB-55-12-30", "LVC-48-07-15", "PTD-70-11-22",
                     "HVE-63-03-03", "VTG-59-09-09", "DVH-52-06-11", "BTH-67-10-10",
                     "DVK-58-02-28", "HTL-61-04-17", "NVM-49-01-01", "DTN-72-05-05"],
}  # fmt: skip


@pytest.mark.parametrize("case", _JOINED_OR_SEPARATED)
def test_names_joined_in_an_id_and_birth_dates_in_parts_are_refused(tmp_path, capsys, case):
    ids = _JOINED_OR_SEPARATED[case]
    rows = [{**r, "patient_id": pid} for r, pid in zip(enough_rows(len(ids)), ids, strict=True)]
    rows[2]["sex"] = "X"
    path = write(tmp_path, rows)
    code, out, err = _validate(path, capsys)
    assert code == 1 and "column patient_id: looks like a direct identifier" in out
    assert "column sex: must be one of M, F — 1 row: line 4: 'X'" in out
    assert "(patient_id" not in out
    for pid in ids:
        assert pid not in out + err
        digits = "".join(ch for ch in pid if ch.isdigit())  # the birth date, in any form
        assert not digits or digits not in out + err


_DATED_FILES = {
    "HCC190101 … HCC190182": ([f"HCC{i}" for i in range(190101, 190183)], None),
    "KR/VN/TH sharing a counter": (
        [f"{('KR', 'VN', 'TH')[i * 7 % 3]}{190101 + i}" for i in range(82)],
        None,
    ),
    "initials and birth dates": (
        [f"{a}{b}{c}{y:02d}{m:02d}{d:02d}"
         for a, b, c, y, m, d in zip("KLPCNTJHLKOB" * 7, "MJYHVTSMDYSJ" * 7, "SHSWABYKHJHW" * 7,
                                      [30 + (i * 37) % 70 for i in range(82)],
                                      [1 + (i * 5) % 12 for i in range(82)],
                                      [1 + (i * 11) % 28 for i in range(82)], strict=False)],
        82,
    ),
    "KMS600101 among P001 … P081": ([f"P{i:03d}" for i in range(1, 82)] + ["KMS600101"], 1),
}  # fmt: skip


def _validate_ids(tmp_path, capsys, ids):
    """``validate`` on 82 rows with these patient ids and one other problem (sex "X" on line 3,
    named by its line): ``(path, stdout, stderr)``; exit status 1."""
    rows = [{**r, "patient_id": pid} for r, pid in zip(enough_rows(82), ids, strict=True)]
    rows[1]["sex"] = "X"
    path = write(tmp_path, rows)
    code, out, err = _validate(path, capsys)
    assert code == 1 and "column sex: must be one of M, F — 1 row: line 3" in out
    return path, out, err


def _same_whatever_the_chunks(path, sizes) -> None:
    """The problems of ``path`` read in chunks of each size are those of the whole file."""
    from analysis.cohort import check_cohort_file

    whole = [str(p) for p in check_cohort_file(path, chunk_rows=10_000).problems]
    for chunk_rows in sizes:
        assert [str(p) for p in check_cohort_file(path, chunk_rows=chunk_rows).problems] == whole


@pytest.mark.parametrize("case", _DATED_FILES)
def test_letters_and_a_date_in_patient_id_are_decided_for_the_whole_file(tmp_path, capsys, case):
    """A study code and a six-digit counter that reads as a date (HCC190101) refused the whole
    file; it passes now, while a column of initials and birth dates, or one such id among
    P001 …, is refused. The decision waits for the last row: the same whatever the chunks,
    and once the column is refused no message shows any id."""
    ids, refused = _DATED_FILES[case]
    path, out, err = _validate_ids(tmp_path, capsys, ids)
    if refused is None:
        assert "patient_id: looks like" not in out and len(out.splitlines()) == 2
        # the id of that row is masked all the same (six digits that read as a date)
        assert "line 3: 'X'" in out
    else:
        assert (
            f"column patient_id: looks like a direct identifier (its values contain initials "
            f"followed by a birth date); refused — {refused} row" in out
        )
        assert "(patient_id" not in out
        for pid in ids:
            assert pid not in out + err or pid.startswith("P0")
        if refused == 1:
            assert "1 row: line 83: [masked]" in out
    _same_whatever_the_chunks(path, (1, 5, 41, 81, 82))


def _scattered(n: int, digits: int, first: str = "") -> list[str]:
    """``n`` hospital-like numbers of ``digits`` digits, spread over the whole range."""
    return [
        f"{first}{(i * 7_919_033 + 1_234_567) % 10 ** (digits - len(first)):0{digits - len(first)}d}"
        for i in range(n)
    ]


_PADDED_FILES = {
    # a study's zero-padded counter: passes
    "P0000001 … P0000082": ([f"P{i:07d}" for i in range(1, 83)], False),
    "0000001 … 0000082": ([f"{i:07d}" for i in range(1, 83)], False),
    "HCC-00000101 … with gaps": ([f"HCC-{101 + 3 * i:08d}" for i in range(82)], False),
    # hospital numbers: refused
    "random 7-digit numbers": (_scattered(82, 7), True),
    "random 8-digit numbers with a leading zero": (_scattered(82, 8, "0"), True),
    "P0 and random digits": (["P" + x for x in _scattered(82, 7, "0")], True),
    "one H0012345 among P001 … P081": ([f"P{i:03d}" for i in range(1, 82)] + ["H0012345"], True),
    "four of a counter among P001 …": ([f"P{i:03d}" for i in range(1, 79)] + [f"H{i:07d}" for i in range(1, 5)], True),
}  # fmt: skip


@pytest.mark.parametrize("case", _PADDED_FILES)
def test_zero_padded_counters_in_patient_id_are_decided_for_the_whole_file(tmp_path, capsys, case):
    """P0000001, P0000002 … (a common style of pseudonym) were refused as hospital registration
    numbers (and some, P0000004, as Hong Kong identity cards). Seven or more digits with a
    leading zero are decided for the column now: ids of the same letters and width whose
    numbers fill the span they cover are a counter; scattered numbers, or a lone one, are still
    hospital numbers. The same whatever the chunks."""
    ids, refused = _PADDED_FILES[case]
    path, out, err = _validate_ids(tmp_path, capsys, ids)
    if not refused:
        assert "patient_id: looks like" not in out and len(out.splitlines()) == 2
    else:
        assert "column patient_id: looks like a direct identifier (its values contain" in out
        assert "hospital registration numbers (7 or more digits)" in out  # with phone numbers…
        assert "(patient_id" not in out
        for pid in ids:
            assert pid not in out + err or pid == "P001"  # the hint's example
    _same_whatever_the_chunks(path, (1, 5, 41, 82))


@pytest.mark.parametrize("label", ["Total", "TOTAL:", "Sum", "Tổng cộng", "합계", ""])
def test_a_spreadsheets_totals_row_is_named_as_such_in_one_line(tmp_path, capsys, label):
    """An Excel totals row at the end ('Total' and empty cells) gave 20 lines of 'is required
    but empty' for 'patient_id Total'. Now one line says what it looks like; the fast reader
    and the csv module's (a quoted cell) say the same, and so does a file whose last chunk
    would otherwise hold that row alone."""
    path = write(tmp_path, enough_rows(12))
    text = path.read_text(encoding="utf-8")
    sums = [""] * len(HEADER)
    sums[0], sums[HEADER.index("age_years")] = label, "744"
    for quoted in (False, True):
        body = text.replace("P002", '"P002"') if quoted else text
        path.write_text(body + ",".join(sums) + "\n", encoding="utf-8")
        code, out, err = _validate(path, capsys)
        shown = f"patient_id {label.rstrip(':')!r}" if label else "no patient_id"
        assert code == 1 and out.splitlines()[1:] == [
            f"  - file: line 14, the last row, looks like a spreadsheet's totals or summary row "
            f"({shown}, {len(HEADER) - 1 - bool(label)} of {len(HEADER)} cells empty), not a "
            "patient "
            "[delete that row]"
        ]
        for chunk_rows in (1, 4, 12, 13):
            from analysis.cohort import check_cohort_file

            report = check_cohort_file(path, chunk_rows=chunk_rows)
            assert [p.code for p in report.problems] == ["summary-row"] and report.rows == 12


def test_a_last_patient_with_an_id_and_empty_cells_is_not_a_totals_row(tmp_path):
    rows = enough_rows(12)
    rows[-1] = {"patient_id": "P012", "age_years": "70"}
    messages = _problem(write(tmp_path, rows))
    assert not any("totals" in m for m in messages)
    assert "column sex: is required but empty — 1 row: line 13" in messages


def test_spaces_around_a_column_name_are_ignored_with_a_note(tmp_path, capsys):
    """' pfs_event ' was accepted without a word while hints say names are exact. Spaces
    around a name are ignored as they are around a cell, with a note on stderr (as for a
    spreadsheet's empty columns); a name in another letter case is still refused."""
    path = write(tmp_path, enough_rows(12))
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("pfs_event", " pfs_event ", 1), encoding="utf-8")
    code, out, err = _validate(path, capsys)
    assert code == 0 and err == (
        f"note: {path}: ignored spaces around 1 column name (pfs_event): names are matched "
        "without them\n"
    )
    assert load_cohort(path).attrs["notes"] == [
        "ignored spaces around 1 column name (pfs_event): names are matched without them"
    ]
    path.write_text(text.replace("pfs_event", " PFS_event", 1), encoding="utf-8")
    [message] = _problem(path)
    assert message.startswith("column pfs_event: required column is missing")
    assert "column names are case-sensitive" in message


# --------------------------------------------------------------------- hostile pass, session 19
@pytest.mark.parametrize("command", [["synthesize"], ["ensemble", "--n", "1"]])
def test_an_existing_out_is_refused_naming_its_folder(command, tmp_path, capsys, monkeypatch):
    """``--out some/folder/cohort.csv`` on an existing file said only ``--out cohort.csv
    exists``: which of the user's files was meant was lost. The path given is shown whole (it is
    the user's own path, not a patient's identifier); the file is left as it was."""
    _nothing_may_run(monkeypatch)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "site a").mkdir()
    target = tmp_path / "site a" / "mine.csv"
    target.write_text("theirs", encoding="utf-8")
    for given in (target, Path("site a", "mine.csv")):
        code, out, err = call_cli([*command, "--out", str(given)], capsys)
        assert (code, out) == (2, "") and len(err.splitlines()) == 1
        assert err.startswith(f"error: --out {given} already exists; nothing was written")
    assert target.read_text(encoding="utf-8") == "theirs"
    assert file_tree(tmp_path) == ["site a", "site a/mine.csv"]


@pytest.mark.parametrize(("out", "says"), [
    ("gone", "--out gone: is a broken symbolic link"),
    ("gone/", "--out gone/: is a broken symbolic link"),
    ("gone/r", "--out gone/r: gone is a broken symbolic link"),
])  # fmt: skip
def test_run_refuses_an_out_through_a_broken_link(tmp_path, monkeypatch, capsys, out, says):
    """``run --out LINK`` with LINK pointing to a path that does not exist was accepted: the
    report was made where the link pointed, a folder the user never named."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "gone").symlink_to(tmp_path / "nowhere" / "x")
    code, stdout, err = call_cli(["run", "--chapters", "02", "--out", out], capsys)
    assert (code, stdout) == (2, "") and len(err.splitlines()) == 1
    assert err.startswith(f"error: {says} (or a loop of them); give a new folder")
    assert file_tree(tmp_path) == ["gone"] and not (tmp_path / "nowhere").exists()


@pytest.mark.parametrize(("column", "code"), [
    ("age_years", "nan"), ("sex", "NA"), ("os_months", " N/A "), ("bclc_stage", "NaN"),
])  # fmt: skip
def test_a_missing_value_code_reads_the_same_in_a_dataframe_as_in_a_file(tmp_path, column, code):
    """``validate_cohort`` on a DataFrame holding the text 'nan' or 'NA' in a required column
    said "is required but empty"; the file said "holds a missing-value code, not a value"
    naming the code. Both say the latter now (rows named by line in a file, by position in a
    DataFrame)."""
    import pandas as pd

    from analysis.cohort import validate_cohort

    rows = enough_rows(12)
    rows[2][column] = code
    [from_file] = _problem(write(tmp_path, rows))
    [from_frame] = validate_cohort(pd.DataFrame(rows))
    assert from_frame.code == "missing-value"
    shown = f": {code.strip()!r}"
    assert f"line 4{shown}" in from_file and f"row 2{shown}" in str(from_frame)
    assert str(from_frame).replace("row 2:", "line 4:") == from_file
    assert "holds a missing-value code, not a value" in from_file
    rows[2][column] = float("nan")  # a real missing value is still "empty"
    [empty] = validate_cohort(pd.DataFrame(rows))
    assert str(empty) == f"column {column}: is required but empty — 1 row: row 2"


@pytest.mark.parametrize(("ids", "row"), [
    (["John Smith"], "line 2: [masked]"),  # a name: the column is refused
    (["Zoë Dubois"], "line 2: [masked]"),
    (["KMS600101"], "line 2: [masked]"),  # initials and a birth date
    ([f"HCC{n:06d}" for n in range(101, 113)], "line 4: 'X'"),  # passes
    (["=HYPERLINK(1)"], "formulas) — 1 row: line 2\n"),  # named once
])  # fmt: skip
def test_a_masked_id_shows_no_character_of_itself(tmp_path, capsys, ids, row):
    """A masked id kept its first letters and its shape: 'Jo** *****' told a name's initials
    and the lengths of its words, '*********' an id's length. Now a message shows the fixed
    ``[masked]`` and the line says which row it is (an id refused for its format is named once,
    not as the row's id and again as its value)."""
    rows = enough_rows(12)
    for r, pid in zip(rows, ids, strict=False):
        r["patient_id"] = pid
    rows[2]["sex"] = "X" if len(ids) > 1 else rows[2]["sex"]
    code, out, err = _validate(write(tmp_path, rows), capsys)
    assert code == 1 and row in out
    shown = out + err
    assert "*" not in shown and not any(pid[:2] in shown for pid in ids)  # no initial, no shape
    assert "[masked]): [masked]" not in shown


def _birth_dates(n: int) -> list[str]:
    """``n`` YYMMDD birth dates spread over 1940-1975, as patients' are."""
    rng = np.random.default_rng(1)
    days = rng.choice(36 * 365, size=n, replace=False)
    start = datetime.date(1940, 1, 1)
    return [(start + datetime.timedelta(days=int(d))).strftime("%y%m%d") for d in days]


@pytest.mark.parametrize(
    ("ids", "refused"),
    [
        ([f"P{i + 1:03d}-{d}" for i, d in enumerate(_birth_dates(82))], True),
        ([f"HCC_{i + 1:02d}.{d}" for i, d in enumerate(_birth_dates(82))], True),
        ([f"P{i + 1:03d}-{190101 + i}" for i in range(82)], False),  # two counters
        ([f"KR{i % 3 + 1:02d}-{200101 + i}" for i in range(82)], False),  # sites and a counter
    ],
    ids=["P001-650312", "HCC_01.650312", "P001-190101", "KR01-200101"],
)
def test_a_counter_beside_a_birth_date_in_patient_id_is_refused(tmp_path, capsys, ids, refused):
    """P001-650312 (a counter and each patient's birth date, YYMMDD) passed for every patient;
    decided for the whole file as KMS600101 is, so a study's second counter still passes."""
    path, out, err = _validate_ids(tmp_path, capsys, ids)
    message = (
        "column patient_id: looks like a direct identifier (its values contain a number beside "
        "six digits that read as a birth date); refused"
    )
    assert (message in out) == refused, out
    if refused:
        assert "(patient_id" not in out and not any(pid in out + err for pid in ids)
    _same_whatever_the_chunks(path, (1, 5, 41, 82))
