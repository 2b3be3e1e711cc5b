"""``synthesize`` replaces the book's ``data/cohort.csv`` only with what made it, or ``--force``.

``python -m analysis synthesize --seed 7 --chains 1 --steps 100 --cox-steps 0`` (no ``--out``)
silently replaced ``data/cohort.csv``, which every chapter reads, with a barely calibrated
cohort: the help said "data/cohort.csv itself is always regenerated". Other options than the
defaults, or other OpenBLAS kernels than the cohort was made with, now need ``--force`` there;
the refusal comes before any work. Nothing here computes a cohort or writes data/cohort.csv:
the synthesis and the writer are replaced by functions that fail the test, and the file's
bytes are compared before and after every test.
"""

from __future__ import annotations

import hashlib

import pytest
from cli_output import unwrapped
from test_cli_hostile import call_cli

import analysis.cli.synthesize as cli_synthesize
from analysis import COHORT_CSV, REPO_ROOT, numerics


def _never(*args, **kwargs):
    raise AssertionError("the work must not start")


@pytest.fixture(autouse=True)
def _book_cohort_untouched(monkeypatch):
    """No synthesis, no write; the book's cohort byte for byte as before; the portable
    arithmetic (a test of NumPy's AVX-512 loops says so)."""
    monkeypatch.setattr(cli_synthesize, "synthesize", _never)
    monkeypatch.setattr(cli_synthesize, "write_cohort_csv", _never)
    monkeypatch.setattr(numerics, "kernel_note", lambda: None)
    monkeypatch.chdir(REPO_ROOT)
    before = hashlib.sha256(COHORT_CSV.read_bytes()).hexdigest()
    yield
    assert hashlib.sha256(COHORT_CSV.read_bytes()).hexdigest() == before


@pytest.mark.parametrize(
    ("options", "named"),
    [
        (
            ["--seed", "7", "--chains", "1", "--steps", "100", "--cox-steps", "0"],
            "--seed 7 (default 20240426), --chains 1 (default 4), --steps 100 (default 45000), "
            "--cox-steps 0 (default 12000): ",
        ),
        (["--steps", "100"], "error: --steps 100 (default 45000): "),
        (
            ["--cox-steps", "0", "--out", "data/cohort.csv"],
            "error: --cox-steps 0 (default 12000): ",
        ),
        (["--chains", "2", "--out", str(COHORT_CSV)], "error: --chains 2 (default 4): "),
    ],
    ids=["the report's", "steps", "--out data/cohort.csv", "its absolute path"],
)
def test_other_options_do_not_replace_the_books_cohort(options, named, capsys):
    code, out, err = call_cli(["synthesize", *options], capsys)
    assert (code, out) == (2, "") and len(err.splitlines()) == 1
    assert err.startswith("error: ") and named in err
    assert "nothing was written" in err and "--force" in err
    assert ("--out /tmp/cohort-seed7.csv" in err) == ("--seed" in options)


def test_the_defaults_given_or_not_and_force_pass_the_check(capsys):
    """The default options (given or not) rewrite data/cohort.csv byte for byte, as before;
    --force replaces it with another cohort, saying so before the work."""
    for argv in (
        ["synthesize"],
        ["synthesize", "--seed", "20240426", "--chains", "4", "--steps", "45000"],
        ["synthesize", "--seed", "7", "--steps", "100", "--force"],
    ):
        with pytest.raises(AssertionError, match="the work must not start"):
            call_cli(argv, capsys)
    err = unwrapped(capsys.readouterr().err)  # wrapped at 80 columns
    assert err == (
        "note: --force: replacing data/cohort.csv with the cohort of --seed 7 (default "
        "20240426), --steps 100 (default 45000) (git checkout data/cohort.csv restores the "
        "committed one)\n"
    )


def test_other_options_elsewhere_are_not_refused(tmp_path, capsys):
    with pytest.raises(AssertionError, match="the work must not start"):
        call_cli(["synthesize", "--seed", "7", "--out", str(tmp_path / "c.csv")], capsys)
    assert capsys.readouterr().err == ""


def test_other_kernels_do_not_replace_the_books_cohort(tmp_path, capsys, monkeypatch):
    """Where the arithmetic is not the reference's (here NumPy's AVX-512 loops, imported before
    the package could turn them off; kernel_note's wording), the default options may write
    another cohort: refused there without --force;
    elsewhere, or with --force, the note is printed and the work starts."""
    note = (
        "note: NumPy computes with its AVX-512 loops here (X86_V4 AVX512_ICL; NumPy was "
        "imported before the package could turn them off): the calibration's last bits differ, "
        "so a cohort written here may differ from data/cohort.csv (see analysis/numerics.py)"
    )
    monkeypatch.setattr(numerics, "kernel_note", lambda: note)
    code, out, err = call_cli(["synthesize", "--quiet"], capsys)
    assert (code, out) == (2, "") and len(err.splitlines()) == 1
    assert err.startswith("error: NumPy computes with its AVX-512 loops here (X86_V4 ")
    assert "data/cohort.csv, which every chapter reads, was kept: nothing was written" in err
    assert "--out /tmp/cohort.csv" in err and "--force" in err
    for argv in (["--out", str(tmp_path / "c.csv")], ["--force"]):
        with pytest.raises(AssertionError, match="the work must not start"):
            call_cli(["synthesize", *argv], capsys)
        assert unwrapped(capsys.readouterr().err) == note + "\n"  # wrapped at 80 columns


def test_the_help_says_when_data_cohort_csv_is_replaced(capsys):
    """The help said "data/cohort.csv itself is always regenerated"."""
    _, out, _ = call_cli(["synthesize", "--help"], capsys)
    text = " ".join(out.split())
    assert "always regenerated" not in text
    assert "also needed to replace data/cohort.csv (the default --out) with other --seed" in text
    assert "--out /tmp/cohort-seed7.csv" in text
