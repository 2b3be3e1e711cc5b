"""A tester's pass over the command line with a researcher's misshapen files (session 173):
what it found, pinned.

A table transposed (one patient per column) was read with the patients' ids as column names,
and ``validate`` listed them as "not used by the book"; a file without its header line listed
the first patient's id and values the same way; a column name holding a terminal's control
sequence was printed raw (it cleared the screen). Every command runs in this process
(:func:`analysis.__main__.main`); nothing here runs a chapter.
"""

from __future__ import annotations

import argparse
import csv
import io
import re
import sys
from pathlib import Path

import nbformat
import papermill
import pytest
from cli_output import unwrapped
from test_cli_hostile import call_cli
from test_cohort import enough_rows, write
from test_runner import CHAPTER_B, interrupted_build, kernel_free

from analysis import COHORT_CSV, runner
from analysis.__main__ import main
from analysis.cli import synthesize as cli_synthesize
from analysis.cohort import check_cohort_file, load_cohort
from analysis.formatting import display_width, wrapped
from analysis.runner import CHAPTERS_DIR, BookRun, ChapterRun, discover_chapters


def _rows():
    with open(COHORT_CSV, newline="", encoding="utf-8") as f:
        return list(csv.reader(f))


def _write(path, rows):
    with open(path, "w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows(rows)
    return path


def _ids(rows):
    return [r[0] for r in rows[1:]]


# ------------------------------------------------------------------ 1. a table transposed
def test_transposed_table_is_one_error_that_names_no_patient(tmp_path, capsys):
    rows = _rows()
    path = _write(tmp_path / "flipped.csv", list(zip(*rows, strict=True)))
    before = sorted(p.name for p in tmp_path.iterdir())
    code, out, err = call_cli(["validate", str(path)], capsys)
    assert code == 2
    assert "1 problem" in out
    assert "one patient per column" in out and "put one patient per row" in out
    assert "not used by the book" not in out
    for pid in _ids(rows):
        assert pid not in out + err
    assert sorted(p.name for p in tmp_path.iterdir()) == before  # nothing written


def test_column_named_like_a_patient_id_is_masked(tmp_path, capsys):
    """Defence in depth: a column named by an id of the file (or shaped like one) is masked
    wherever validate lists the columns it does not use."""
    rows = _rows()
    header = rows[0]
    drop = header.index("age_years")
    flipped = [[c for i, c in enumerate(r) if i != drop] + [""] * 2 for r in rows]
    flipped[0][-2:] = [rows[5][0], "SYN999"]
    path = _write(tmp_path / "mine.csv", flipped)
    code, out, _ = call_cli(["validate", str(path)], capsys)
    assert code == 1
    assert "not used by the book: '[masked]', '[masked]'" in out
    assert rows[5][0] not in out and "SYN999" not in out
    assert check_cohort_file(path).id_like == [rows[5][0], "SYN999"]


def test_valid_cohort_with_an_id_named_column_masks_it_in_the_ok_line(tmp_path, capsys):
    rows = _rows()
    rows[0].append(rows[3][0])
    for r in rows[1:]:
        r.append("")
    path = _write(tmp_path / "mine.csv", rows)
    code, out, _ = call_cli(["validate", str(path)], capsys)
    assert code == 0
    assert "not used by the book: [masked]" in out
    assert rows[3][0] not in out


# ----------------------------------------------------------------- 2. no header line
def test_file_without_its_header_line_is_one_error_without_values(tmp_path, capsys):
    rows = _rows()
    path = _write(tmp_path / "noheader.csv", rows[1:])
    code, out, err = call_cli(["validate", str(path)], capsys)
    assert code == 2
    assert "1 problem" in out
    assert "no header line: line 1 holds data" in out
    assert "appears more than once" not in out and "not used by the book" not in out
    first = rows[1]
    assert first[0] not in out + err
    assert f"'{first[3]}'" not in out  # a value of the first patient (height)


def test_header_in_another_language_is_not_called_data(tmp_path, capsys):
    """Names that are no schema names and hold no numbers are still read as a header."""
    rows = _rows()
    rows[0] = [f"cột {i}" for i in range(len(rows[0]))]
    path = _write(tmp_path / "vn.csv", rows)
    code, out, _ = call_cli(["validate", str(path)], capsys)
    assert code == 1
    assert "no header line" not in out
    assert "required column is missing" in out


# ------------------------------------------------------- 3. control characters in a name
def test_control_characters_in_a_column_name_are_escaped(tmp_path, capsys):
    rows = _rows()
    rows[0].append("note\x1b[2J")
    for r in rows[1:]:
        r.append("")
    path = _write(tmp_path / "mine.csv", rows)
    code, out, err = call_cli(["validate", str(path)], capsys)
    assert code == 0
    assert "\x1b" not in out + err
    assert "note\\x1b[2J" in out


def test_invisible_characters_in_a_column_name_are_escaped_in_every_list(tmp_path, capsys):
    rows = _rows()
    rows[0][rows[0].index("age_years")] = "Age\u200b"
    rows[0].append("note\x07")
    for r in rows[1:]:
        r.append("")
    path = _write(tmp_path / "mine.csv", rows)
    code, out, err = call_cli(["validate", str(path)], capsys)
    assert code == 1
    assert "\u200b" not in out + err and "\x07" not in out + err
    assert "'Age\\u200b'" in out and "'note\\x07'" in out


# ------------------------------------------------- 4. progress in a log (stderr not a tty)
def _fake_chapters(tmp_path, monkeypatch):
    """Two chapters whose execution is faked: the first "runs" (returned as read), the second
    stops the run; what papermill was asked for is recorded."""
    chapters = tmp_path / "chapters"
    chapters.mkdir()
    (chapters / "01-a.md").write_text(CHAPTER_B, encoding="utf-8")
    (chapters / "02-b.md").write_text(CHAPTER_B, encoding="utf-8")
    cohort = write(tmp_path, enough_rows(), name="mine.csv")
    bars = []

    def execute_notebook(nb, out, **kwargs):
        bars.append(kwargs["progress_bar"])
        if len(bars) == 2:
            raise RuntimeError("stop here")
        nbformat.write(nb, out)
        return nb

    monkeypatch.setattr(papermill, "execute_notebook", execute_notebook)
    return chapters, cohort, bars


def test_run_into_a_log_draws_no_bar_and_says_when_each_chapter_ends(tmp_path, monkeypatch, capsys):
    chapters, cohort, bars = _fake_chapters(tmp_path, monkeypatch)
    argv = ["run", "--cohort", str(cohort), "--out", str(tmp_path / "reports" / "r")]
    try:
        main([*argv, "--chapters-dir", str(chapters)])
    except RuntimeError as exc:  # the fake's stop: the run ends there
        assert str(exc) == "stop here"
    err = capsys.readouterr().err
    assert bars == [False, False]  # stderr is captured: not a terminal
    assert "\r" not in err
    lines = err.splitlines()
    assert lines[lines.index("[1/2] 01-a") + 1].startswith("[1/2] 01-a: done in ")
    assert re.fullmatch(r"\[1/2\] 01-a: done in \d+\.\d s", lines[lines.index("[1/2] 01-a") + 1])
    assert "[2/2] 02-b" in lines


def test_run_on_a_terminal_keeps_papermills_bar(tmp_path, monkeypatch, capsys):
    chapters, cohort, bars = _fake_chapters(tmp_path, monkeypatch)
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    argv = ["run", "--cohort", str(cohort), "--out", str(tmp_path / "reports" / "r")]
    try:
        main([*argv, "--chapters-dir", str(chapters)])
    except RuntimeError as exc:
        assert str(exc) == "stop here"
    err = capsys.readouterr().err
    assert bars == [True, True]
    assert "done in" not in err  # the bar shows it


@pytest.mark.parametrize("tty", [False, True])
def test_synthesize_draws_its_bar_only_on_a_terminal(tty, tmp_path, monkeypatch, capsys):
    seen = []

    def fake(seed, progress, **kwargs):
        seen.append(progress)
        raise KeyboardInterrupt  # stop before the half-minute of work

    monkeypatch.setattr(cli_synthesize, "synthesize", fake)
    monkeypatch.setattr(sys.stderr, "isatty", lambda: tty)
    assert 130 == cli_synthesize.run(
            argparse.Namespace(
                seed=7, chains=1, steps=cli_synthesize.MIN_STEPS, cox_steps=0, force=False,
            out=tmp_path / "c.csv", quiet=False,
        )
    )  # fmt: skip
    assert seen == [tty]


# ------------------------------------------- 5. one-line messages wrap at 80 columns
def _widths(text):
    return [display_width(line) for line in text.splitlines()]


def test_run_refusing_an_out_that_is_no_report_wraps_at_80(tmp_path, capsys, monkeypatch):
    """Was one line of 150 characters. (A path longer than a line stays whole: a short one.)"""
    monkeypatch.chdir(tmp_path)
    out = Path("nonempty")
    out.mkdir()
    (out / "mine.txt").write_text("mine", encoding="utf-8")
    code = main(["run", "--out", str(out), "--chapters", "01"])
    err = capsys.readouterr().err
    assert code == 2
    assert max(_widths(err)) <= 80, err
    assert unwrapped(err).startswith(f"error: --out {out}: exists and is not a report written")
    assert all(line.startswith("  ") for line in err.splitlines()[1:])  # as validate's
    assert (out / "mine.txt").read_text(encoding="utf-8") == "mine"


def test_synthesize_refusing_an_existing_file_wraps_at_80(tmp_path, capsys, monkeypatch):
    """Was one line of 174 characters."""
    monkeypatch.chdir(tmp_path)
    target = Path("afile")
    target.write_text("mine", encoding="utf-8")
    code = main(["synthesize", "--out", str(target)])
    err = capsys.readouterr().err
    assert code == 2
    assert len(err.splitlines()) > 1 and max(_widths(err)) <= 80, err
    assert "--force" in unwrapped(err)
    assert target.read_text(encoding="utf-8") == "mine"


def test_dose_refusal_wraps_at_80(capsys):
    code = main(["dose", "--height-cm", "40", "--weight-kg", "65"])
    err = capsys.readouterr().err
    assert code == 2 and len(err.splitlines()) == 2 and max(_widths(err)) <= 80, err
    assert unwrapped(err).startswith("error: --height-cm: height_cm = 40 is outside")


def test_run_summary_wraps_at_80():
    """The closing 'ran 10 chapters (01-data, …) on X in 60.8 s' was 158 characters."""
    names = [p.stem for p in discover_chapters(CHAPTERS_DIR)]
    run = BookRun(Path("reports/mine"), "my_cohort.csv")
    run.chapters = [ChapterRun(n, f"{n}.ipynb", f"chapters/{n}.html", 6.08) for n in names]
    assert len(run.summary().splitlines()[0]) > 80  # the text itself is one line
    printed = wrapped(run.summary())
    assert max(_widths(printed)) <= 80
    assert unwrapped(printed) == run.summary()


# ------------------------------------------------- 6. what an interrupt kept, said
def test_run_force_interrupted_says_the_earlier_report_is_unchanged(tmp_path, monkeypatch):
    chapters = tmp_path / "chapters"
    chapters.mkdir()
    (chapters / "01-a.md").write_text(CHAPTER_B, encoding="utf-8")
    cohort = write(tmp_path, enough_rows(), name="mine.csv")
    kernel_free(monkeypatch)
    out = tmp_path / "reports" / "r"
    runner.run_book(cohort, out, chapters_dir=chapters, progress=False, log=io.StringIO())
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}

    monkeypatch.setattr(runner, "_build_site", interrupted_build)
    with pytest.raises(runner.RunInterrupted) as info:
        runner.run_book(
            cohort, out, chapters_dir=chapters, force=True, progress=False, log=io.StringIO()
        )
    assert info.value.kept == out and info.value.written is None
    assert str(info.value) == (
        "interrupted by SIGINT: no new report written (partial output removed); the earlier "
        f"report in {out} is unchanged"
    )
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()} == before
    assert sorted(p.name for p in out.parent.iterdir()) == ["r"]


def test_run_interrupted_without_an_earlier_report_says_none_was_written(tmp_path, monkeypatch):
    chapters = tmp_path / "chapters"
    chapters.mkdir()
    (chapters / "01-a.md").write_text(CHAPTER_B, encoding="utf-8")
    cohort = write(tmp_path, enough_rows(), name="mine.csv")

    kernel_free(monkeypatch, interrupted_build)
    out = tmp_path / "reports" / "r"
    with pytest.raises(runner.RunInterrupted) as info:
        runner.run_book(cohort, out, chapters_dir=chapters, progress=False, log=io.StringIO())
    assert info.value.kept is None
    assert str(info.value) == "interrupted by SIGINT: no report written (partial output removed)"


def _interrupted_synthesize(tmp_path, monkeypatch, capsys, force, after_write=False):
    target = tmp_path / "f.csv"

    def fake(seed, progress, **kwargs):
        if after_write:
            return load_cohort().head(3)
        raise KeyboardInterrupt

    def write_then_interrupt(df, path):
        Path(path).write_text("new", encoding="utf-8")
        raise KeyboardInterrupt

    monkeypatch.setattr(cli_synthesize, "synthesize", fake)
    monkeypatch.setattr(cli_synthesize, "write_cohort_csv", write_then_interrupt)
    monkeypatch.chdir(tmp_path)
    code = cli_synthesize.run(
        argparse.Namespace(
            seed=7, chains=1, steps=cli_synthesize.MIN_STEPS, cox_steps=0, force=force,
            out=Path("f.csv"), quiet=True,
        )
    )  # fmt: skip
    return code, capsys.readouterr(), target


def test_synthesize_force_interrupted_says_nothing_was_written_and_the_file_is_unchanged(
    tmp_path, monkeypatch, capsys
):
    (tmp_path / "f.csv").write_text("earlier", encoding="utf-8")
    code, (out, err), target = _interrupted_synthesize(tmp_path, monkeypatch, capsys, True)
    assert code == 130 and out == ""
    assert err == "interrupted: nothing was written; f.csv is unchanged\n"
    assert target.read_text(encoding="utf-8") == "earlier"


def test_synthesize_interrupted_before_creating_its_file(tmp_path, monkeypatch, capsys):
    code, (out, err), target = _interrupted_synthesize(tmp_path, monkeypatch, capsys, False)
    assert code == 130
    assert err == "interrupted: nothing was written (f.csv was not created)\n"
    assert not target.exists()


def test_synthesize_interrupted_once_written_says_so(tmp_path, monkeypatch, capsys):
    code, (out, err), target = _interrupted_synthesize(
        tmp_path, monkeypatch, capsys, False, after_write=True
    )
    assert code == 130
    assert err == "interrupted after f.csv was written\n"


# ------------------------------------------ 7. a row with only its patient_id filled
def test_a_row_with_only_its_id_is_one_problem_without_the_id(tmp_path, capsys):
    rows = _rows()
    rows.append(["SYN083"] + [""] * (len(rows[0]) - 1))
    path = _write(tmp_path / "mine.csv", rows)
    code, out, err = call_cli(["validate", str(path)], capsys)
    assert code == 1
    assert out.splitlines()[1:] == [
        "  - file: only patient_id is filled (every other cell of the row is empty) — 1 row: "
        "line 84 [delete the row, or complete it]"
    ]
    assert "SYN083" not in out + err
    report = check_cohort_file(path)
    assert report.rows == 83 and [p.code for p in report.problems] == ["id-only-row"]


def test_rows_with_only_their_ids_beside_other_problems(tmp_path, capsys):
    """Each such row is named once, the other rows are checked as before."""
    rows = _rows()
    rows[5][rows[0].index("sex")] = "X"
    rows[7:7] = [["SYN900"] + [""] * (len(rows[0]) - 1)] * 2
    path = _write(tmp_path / "mine.csv", rows)
    report = check_cohort_file(path)
    assert [p.code for p in report.problems] == ["id-only-row", "category"]
    first = report.problems[0]
    assert [r.line for r in first.rows] == [8, 9]
    assert not any(p.code == "missing-value" for p in report.problems)


# --------------------------------------------- 8. a number that Excel turned into a date
def test_day_month_text_in_a_numeric_column_gets_the_excel_hint(tmp_path, capsys):
    rows = _rows()
    col = rows[0].index("response_month")
    for i, text in zip((1, 2, 3), ("12-Mar", "Mar-12", "3-Dec"), strict=True):
        rows[i][col] = text
    path = _write(tmp_path / "mine.csv", rows)
    code, out, _ = call_cli(["validate", str(path)], capsys)
    assert code == 1
    [line] = [ln for ln in out.splitlines() if "column response_month" in ln]
    assert line.endswith(
        "[Excel turned a number into a date: format the column as Text (or Number) before pasting]"
    )
    assert "12-Mar" not in out  # a text value is described, not shown, as before


def test_other_text_in_a_numeric_column_gets_no_excel_hint(tmp_path, capsys):
    rows = _rows()
    rows[1][rows[0].index("response_month")] = "March"
    path = _write(tmp_path / "mine.csv", rows)
    code, out, _ = call_cli(["validate", str(path)], capsys)
    assert code == 1 and "Excel turned" not in out


# ---------------------------------------------------------- 9. a device, by its path
def test_dev_null_is_named_by_its_path(capsys):
    code, out, _ = call_cli(["validate", "/dev/null"], capsys)
    assert code == 2
    assert "  - file: /dev/null is not a regular file (a pipe or device)" in out.splitlines()


def test_run_names_dev_null_by_its_path(tmp_path, capsys):
    code, _, err = call_cli(["run", "--cohort", "/dev/null", "--out", str(tmp_path / "r")], capsys)
    assert code == 2
    assert err == "error: --cohort /dev/null: not a regular file (a pipe or device)\n"
    assert not (tmp_path / "r").exists()
