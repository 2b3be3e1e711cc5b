"""A second hostile pass over the command line (session 32): what it found, pinned.

Each test is one defect a user could meet: ``ensemble --cache ''`` writing its cache into the
current folder, ``ensemble --seed -1`` ending in a traceback, an ensemble of no calibrated
member written as a summary with exit status 0 (and "from 0 candidates" after eight), an
``ensemble --cache`` at the summary's path failing only after the whole run, a
``--chains`` typo of zeros filling the memory before the first chain, ``audit --verdict
consistent --check IQR`` saying that no check is named IQR, ``dose`` calling 2000.0000001
"2000 is outside [0, 2000]", a title line above the header read as 22 problems, an HTML or
XML "Excel" export read as a CSV of no patient, a 400-digit count called "not a whole number",
a file name that is not UTF-8 failing the summary line after the file was written, a user's
link to data/cohort.csv replaced without ``--force``.
Every command runs in this process (:func:`analysis.__main__.main`); nothing here runs a
chapter or a synthesis.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from cli_output import unwrapped
from test_cli_hostile import call_cli, file_tree
from test_cohort import enough_rows, write


def _never(*args, **kwargs):
    raise AssertionError("the work must not start")


# --------------------------------------------------------------------------- synthesize, ensemble
@pytest.mark.parametrize(
    "argv",
    [
        ["ensemble", "--n", "1", "--out", "s.csv", "--cache", ""],
        ["ensemble", "--n", "1", "--out", "", "--cache", "cache"],
        ["synthesize", "--out", ""],
    ],
    ids=["ensemble --cache ''", "ensemble --out ''", "synthesize --out ''"],
)
def test_an_empty_path_is_refused_not_read_as_the_current_folder(
    argv, tmp_path, capsys, monkeypatch
):
    """``--cache ''`` (an unset shell variable) ran the ensemble with its cache in the current
    folder (a folder of member files in the book's root); ``--out ''`` said "--out is a
    directory: ."."""
    import analysis.cli.ensemble as cli_ensemble
    import analysis.cli.synthesize as cli_synthesize

    monkeypatch.setattr(cli_ensemble, "run_ensemble", _never)
    monkeypatch.setattr(cli_synthesize, "synthesize", _never)
    monkeypatch.chdir(tmp_path)
    code, out, err = call_cli(argv, capsys)
    assert (code, out) == (2, "")
    flag = argv[argv.index("") - 1]
    assert f"error: argument {flag}: '': empty, not a file name" in err
    assert file_tree(tmp_path) == []


def test_ensemble_refuses_a_negative_seed_before_anything_runs(tmp_path, capsys, monkeypatch):
    """``--seed -1`` ended in NumPy's traceback ("expected non-negative integer")."""
    import analysis.cli.ensemble as cli_ensemble

    monkeypatch.setattr(cli_ensemble, "run_ensemble", _never)
    argv = ["ensemble", "--n", "2", "--seed", "-1"]
    argv += ["--out", str(tmp_path / "s.csv"), "--cache", str(tmp_path / "cache")]
    code, out, err = call_cli(argv, capsys)
    assert (code, out) == (2, "")
    assert err == "error: --seed must be a non-negative integer, got -1\n"
    assert file_tree(tmp_path) == []


@pytest.mark.parametrize("command", ["synthesize", "ensemble"])
def test_a_typo_of_zeros_in_chains_is_refused_before_anything_runs(
    command, tmp_path, capsys, monkeypatch
):
    """``--chains 100000000`` spawned a seed per chain (about 0.4 kB each: 40 GB) before the
    first chain started."""
    import analysis.cli.ensemble as cli_ensemble
    import analysis.cli.synthesize as cli_synthesize

    monkeypatch.setattr(cli_ensemble, "run_ensemble", _never)
    monkeypatch.setattr(cli_synthesize, "synthesize", _never)
    argv = [command, "--chains", "100000000", "--out", str(tmp_path / "s.csv")]
    if command == "ensemble":
        argv += ["--n", "2", "--cache", str(tmp_path / "cache")]
    code, out, err = call_cli(argv, capsys)
    assert (code, out) == (2, "")
    assert err.startswith("error: --chains 100000000: at most 1000 (each chain is a full")
    assert file_tree(tmp_path) == []
    _, help_text, _ = call_cli([command, "--help"], capsys)
    assert "at most 1000" in " ".join(help_text.split())


@pytest.mark.parametrize("cache", ["s.csv", "s-table2-cells.csv"])
def test_ensemble_cache_at_the_summarys_path_is_refused_before_anything_runs(
    cache, tmp_path, capsys, monkeypatch
):
    """``--out X --cache X`` ran every member into the folder X, then failed to write the
    summary over it ("cannot write (Is a directory)"), exit 2 after the whole run."""
    import analysis.cli.ensemble as cli_ensemble

    monkeypatch.setattr(cli_ensemble, "run_ensemble", _never)
    argv = ["ensemble", "--n", "1", "--out", str(tmp_path / "s.csv")]
    argv += ["--cache", str(tmp_path / cache)]
    code, out, err = call_cli(argv, capsys)
    assert (code, out) == (2, "")
    assert err.startswith(f"error: --cache {tmp_path / cache}: is where the summary's {cache} ")
    assert err.endswith("give the cache another folder; nothing was run or written\n")
    assert file_tree(tmp_path) == []


def test_an_ensemble_of_no_calibrated_member_writes_nothing(tmp_path, capsys, monkeypatch):
    """Too few ``--steps`` calibrated none of the candidates: the command wrote a summary of a
    header line and two empty Table 2 files, said "from 0 candidates" after eight and exited 0."""
    import analysis.cli.ensemble as cli_ensemble

    def none_calibrated(n, seed, *, record, **kwargs):
        record |= {"candidates": 4 * n, "invocations": 1}
        return []

    monkeypatch.setattr(cli_ensemble, "run_ensemble", none_calibrated)
    argv = ["ensemble", "--n", "2", "--steps", "2000", "--out", str(tmp_path / "s.csv")]
    argv += ["--cache", str(tmp_path / "cache")]
    code, out, err = call_cli(argv, capsys)
    assert (code, out) == (1, "")
    assert err.startswith("error: none of the 8 candidates drawn (seed 2024) calibrated; nothing ")
    assert file_tree(tmp_path) == []
    _, help_text, _ = call_cli(["ensemble", "--help"], capsys)
    assert "1 no candidate calibrated (nothing written)" in " ".join(help_text.split())


@pytest.mark.parametrize("command", ["synthesize", "ensemble"])
def test_a_link_to_the_books_own_output_is_a_users_file(command, tmp_path, capsys, monkeypatch):
    """A link of the user's to data/cohort.csv (or the ensemble's summary) counted as the book's
    file: replaced by a file without --force; beside the ensemble's summary, the book's own
    Table 2 files and run record in data/ would have been rewritten."""
    import analysis.cli.ensemble as cli_ensemble
    import analysis.cli.synthesize as cli_synthesize
    from analysis import COHORT_CSV

    monkeypatch.setattr(cli_ensemble, "run_ensemble", _never)
    monkeypatch.setattr(cli_synthesize, "synthesize", _never)
    book = COHORT_CSV if command == "synthesize" else cli_ensemble.DEFAULT_OUT
    link = tmp_path / "mine.csv"
    link.symlink_to(book)
    argv = [command, "--out", str(link)]
    if command == "ensemble":
        argv += ["--n", "1", "--cache", str(tmp_path / "cache")]
        assert cli_ensemble._beside(link) == {
            "table2_cells": tmp_path / "mine-table2-cells.csv",
            "table2_members": tmp_path / "mine-table2-members.csv",
        }
    code, out, err = call_cli(argv, capsys)
    assert (code, out) == (2, "")
    assert err.startswith(f"error: --out {link} already exists; nothing was written ")
    assert "add --force to replace it" in err
    assert link.is_symlink() and file_tree(tmp_path) == ["mine.csv"]


# ------------------------------------------------------------------------------------ audit
def test_audit_check_and_verdict_together_shows_none_rather_than_a_false_error(capsys):
    """``--verdict consistent --check IQR`` said "--check 'IQR' matches no check name", exit 2:
    the 'IQR' label check exists, none of its rows is consistent."""
    code, out, err = call_cli(["audit", "--verdict", "consistent", "--check", "IQR"], capsys)
    assert (code, err) == (0, "")
    assert out.startswith("0 row(s) shown.")
    code, out, _ = call_cli(["audit", "--verdict", "cannot-tell", "--check", "IQR"], capsys)
    assert code == 0 and "[CANNOT TELL] 'IQR' label" in out
    code, _, err = call_cli(["audit", "--check", "no such check"], capsys)  # a typo still is one
    assert code == 2 and "matches no check name" in err


@pytest.mark.parametrize("verdict", ["Inconsistent", "INCONSISTENT", "Cannot-Tell", "cannot  tell"])
def test_audit_verdict_and_format_in_any_letter_case(verdict, capsys):
    """``--verdict Inconsistent`` and ``--format CSV`` were invalid choices."""
    code, out, err = call_cli(["audit", "--verdict", verdict, "--format", "CSV"], capsys)
    assert (code, err) == (0, "")
    rows = out.splitlines()[1:]
    assert rows and all(verdict.lower().replace("-", " ").split()[0] in row for row in rows)


# ------------------------------------------------------------------------------------- dose
@pytest.mark.parametrize(
    ("option", "value"),
    [
        ("--prior-epirubicin-mg-m2", "2000.0000001"),
        ("--egfr", "300.000001"),
        ("--height-cm", "250.0000001"),
        ("--height-cm", "99.99999999"),
    ],
)
def test_dose_never_shows_a_value_just_outside_a_bound_as_the_bound(option, value, capsys):
    """``--prior-epirubicin-mg-m2 2000.0000001``: "prior_epirubicin_mg_m2 = 2000 is outside
    [0, 2000]"."""
    values = {"--height-cm": "170", "--weight-kg": "65", option: value}
    argv = ["dose", *(text for pair in values.items() for text in pair)]
    code, out, err = call_cli(argv, capsys)
    assert (code, out) == (2, "")
    assert f"= {value} is outside" in err


# --------------------------------------------------------------------------------- validate
def _valid_text(tmp_path) -> str:
    return write(tmp_path, enough_rows(), name="_src.csv").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("above", "first", "line", "lines"),
    [
        ("# exported 2024\n", 1, 2, "the line above it"),
        ("HAIC cohort,,,,\n", 1, 2, "the line above it"),
        ("\nHAIC cohort\nexported by Nguyen Van An on 2024-01-05\n\n", 2, 5, "the lines above it"),
    ],
    ids=["comment", "title with commas", "title and a note"],
)
def test_a_title_above_the_header_is_one_problem_naming_the_header_line(
    above, first, line, lines, tmp_path, capsys
):
    """A title or an export note above the table was read as the header: 22 problems (every
    required column missing, every row "a stray comma"), exit 1, the title quoted."""
    path = tmp_path / "cohort.csv"
    path.write_text(above + _valid_text(tmp_path), encoding="utf-8")
    code, out, err = call_cli(["validate", "--quiet", str(path)], capsys)
    assert code == 2
    assert out.splitlines()[1:] == [
        f"  - file: its column names are on line {line}, not on line {first}: a title or a note "
        f"above the table? [delete {lines}, so that the column names come first]"
    ]
    assert "Nguyen" not in out + err and "2024" not in out + err


def test_a_header_without_the_books_names_is_not_taken_for_a_title(tmp_path, capsys):
    """Only a record naming three of the book's columns is taken for the header."""
    rows = "\n".join(f"P{i:03d},{60 + i % 9}" for i in range(12))
    path = tmp_path / "cohort.csv"
    path.write_text(f"id,age\n{rows}\n", encoding="utf-8")
    code, out, _ = call_cli(["validate", "--quiet", str(path)], capsys)
    assert code == 1
    assert "column patient_id: required column is missing" in out
    assert "not on line" not in out


@pytest.mark.parametrize(
    ("start", "what"),
    [
        ("<!DOCTYPE html>\n<html><body><table><tr><td>x</td></tr></table>", "an HTML page"),
        ("\ufeff\n  <html>\n<table>", "an HTML page"),
        ("<table border=1><tr><td>patient_id</td></tr></table>", "an HTML page"),
        ('<?xml version="1.0"?>\n<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet">',
         "an XML file (an Excel 2003 XML spreadsheet?)"),
        ("{\\rtf1\\ansi patient_id,age_years", "an RTF document"),
    ],
    ids=["html", "html after a BOM and blank lines", "html table", "excel 2003 xml", "rtf"],
)  # fmt: skip
def test_html_xml_and_rtf_saved_as_csv_are_not_csv(start, what, tmp_path, capsys):
    """A hospital system's "Excel" export that is an HTML table (or Excel 2003's XML, or an
    RTF document) was read as a CSV of no patient: 22 problems, exit 1."""
    path = tmp_path / "export.csv"
    path.write_text(start + "\n", encoding="utf-8")
    code, out, _ = call_cli(["validate", "--quiet", str(path)], capsys)
    assert code == 2
    assert out.splitlines()[1].startswith(f"  - file: is not a CSV text file: it looks like {what}")


def test_a_number_too_large_to_be_finite_is_not_called_not_a_whole_number(tmp_path, capsys):
    """A 400-digit count read "a 400-digit number, not a whole number"."""
    rows = enough_rows()
    rows[0]["tumor_number"] = "9" * 400
    code, out, _ = call_cli(["validate", "--quiet", str(write(tmp_path, rows))], capsys)
    assert code == 1
    assert "a 400-digit number, not a finite number [numbers must be finite]" in out
    assert "not a whole number" not in out


def test_a_dash_for_standard_input_says_it_is_not_read(tmp_path, capsys, monkeypatch):
    """``validate -`` said only "- does not exist"; a file named ``-`` is still read."""
    monkeypatch.chdir(tmp_path)
    code, out, _ = call_cli(["validate", "-"], capsys)
    assert code == 2
    assert out == (
        "-: 1 problem\n  - file: - does not exist [standard input is not read: give the "
        "file's path]\n"
    )
    argv = ["run", "--cohort", "-", "--out", str(tmp_path / "report"), "--chapters", "04"]
    code, out, err = call_cli(argv, capsys)
    assert (code, out) == (2, "")
    assert err.endswith(
        "  - file: - does not exist [standard input is not read: give the file's path]\n"
    )
    write(tmp_path, enough_rows(), name="-")
    code, out, _ = call_cli(["validate", "--quiet", "-"], capsys)
    assert (code, out.split(":")[0]) == (0, "OK")


# ------------------------------------------------------------------------------------ stdout
def test_a_file_name_that_is_not_utf8_is_printed_escaped_after_the_work(
    tmp_path, capsys, monkeypatch
):
    """``synthesize --out $'\\xff.csv'`` on a strict UTF-8 stdout (a UTF-8 locale's) wrote the
    file, then failed printing "wrote NAME" (UnicodeEncodeError): "error: cannot write the
    output (it is closed)", exit 2, the file written."""
    import analysis.cli.synthesize as cli_synthesize
    from analysis import numerics
    from analysis.cohort import load_cohort

    monkeypatch.setattr(cli_synthesize, "synthesize", lambda seed, **kwargs: load_cohort())
    monkeypatch.setattr(numerics, "kernel_note", lambda: None)  # the portable arithmetic
    assert sys.stdout.errors == "strict"  # pytest's capture, as a UTF-8 locale's stdout
    out = Path(os.fsdecode(os.fsencode(str(tmp_path)) + b"/\xff.csv"))  # '\udcff' in the name
    code, text, err = call_cli(["synthesize", "--quiet", "--out", str(out)], capsys)
    assert (code, err) == (0, "")
    assert unwrapped(text).startswith(f"wrote {tmp_path}/\\udcff.csv (82 patients, seed ")
    assert out.exists()
    assert sys.stdout.errors == "strict"  # as it was
