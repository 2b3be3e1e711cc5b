"""A fourth hostile pass over the command line (session 35): what it found, pinned.

Each test is one defect a user could meet: ``validate Nguyen_Van_An.csv`` masking the name on
its first line and printing it whole on the next ("file: Nguyen_Van_An.csv does not exist");
``synthesize --out results/`` (a folder not yet made) writing the cohort to a file named
``results``, as pathlib drops the slash; ``--cox-steps`` with no upper bound, so that a typo of
zeros ran for days where ``--steps`` is refused; ``dose --egfr -0`` printing "eGFR -0 mL/min".
Every command runs in this process (:func:`analysis.__main__.main`); nothing here runs a
synthesis, an ensemble or a chapter.
"""

from __future__ import annotations

import pytest
from test_cli_hostile import call_cli, file_tree
from test_cohort import enough_rows, write

from analysis.cli.synthesize import MAX_COX_STEPS
from analysis.synthesis import COX_STEPS


def _never(*args, **kwargs):
    raise AssertionError("the work must not start")


@pytest.fixture
def no_work(monkeypatch):
    """Synthesis and ensemble replaced by a failure: a refusal must come first."""
    import analysis.cli.ensemble as cli_ensemble
    import analysis.cli.synthesize as cli_synthesize

    monkeypatch.setattr(cli_synthesize, "synthesize", _never)
    monkeypatch.setattr(cli_ensemble, "run_ensemble", _never)


# ----------------------------------------------------------------------------------- validate
@pytest.mark.parametrize("kind", ["missing", "directory", "empty"])
def test_a_file_name_that_names_someone_is_masked_on_every_line(kind, tmp_path, capsys):
    path = tmp_path / ("Nguyen_Van_An" if kind == "directory" else "Nguyen_Van_An.csv")
    if kind == "directory":
        path.mkdir()
    elif kind == "empty":
        path.write_bytes(b"")
    code, out, err = call_cli(["validate", str(path)], capsys)
    assert code == 2
    assert "Nguyen" not in out + err
    assert "[masked]" in out.splitlines()[0]
    if kind != "empty":  # the line that names the file names it masked
        assert out.splitlines()[-1].startswith("  - file: [masked]")


def test_a_valid_cohort_in_a_folder_and_file_with_spaces_and_accents_passes(tmp_path, capsys):
    folder = tmp_path / "my data é"
    folder.mkdir()
    path = write(folder, enough_rows(), name="cohorte été 2024.csv")
    code, out, _ = call_cli(["validate", str(path)], capsys)
    assert code == 0
    assert out.startswith(f"OK: {path}: ")


# ----------------------------------------------------------------------- synthesize, ensemble
@pytest.mark.parametrize(
    "argv",
    [
        ["synthesize", "--out", "results/"],
        ["synthesize", "--out", "cohort.csv/"],
        ["synthesize", "--out", "results/", "--force"],
        ["ensemble", "--n", "1", "--out", "summary/", "--cache", "cache"],
    ],
)
def test_an_out_that_ends_with_a_slash_is_a_folder_not_a_file_name(
    argv, tmp_path, capsys, monkeypatch, no_work
):
    """``--out results/``: pathlib reads ``results``, and the cohort became a file of that name
    in place of the folder the user meant."""
    monkeypatch.chdir(tmp_path)
    code, out, err = call_cli(argv, capsys)
    assert (code, out) == (2, "")
    name = argv[argv.index("--out") + 1].rstrip("/")
    assert err.splitlines()[-1].endswith(
        f"argument --out: ends with '/', which names a folder: give the file's name "
        f"(e.g. {name}/cohort.csv)"
    )
    assert file_tree(tmp_path) == []


def test_an_existing_folder_with_a_slash_is_refused_the_same_way(tmp_path, capsys, no_work):
    (tmp_path / "results").mkdir()
    code, _, err = call_cli(["synthesize", "--out", f"{tmp_path}/results/"], capsys)
    assert code == 2 and "ends with '/', which names a folder" in err
    assert file_tree(tmp_path) == ["results"]


def test_a_cache_folder_may_end_with_a_slash(tmp_path, capsys, monkeypatch):
    """``--cache`` is a folder: its slash is no error (the run starts)."""
    import analysis.cli.ensemble as cli_ensemble

    class Started(Exception):
        pass

    def started(*args, **kwargs):
        raise Started

    monkeypatch.setattr(cli_ensemble, "run_ensemble", started)
    with pytest.raises(Started):
        call_cli(
            ["ensemble", "--n", "1", "--out", str(tmp_path / "s.csv"), "--cache", f"{tmp_path}/c/"],
            capsys,
        )


@pytest.mark.parametrize("steps", [str(MAX_COX_STEPS + 1), "120000000", "9" * 30])
def test_a_typo_of_zeros_in_cox_steps_is_refused_before_anything_runs(
    steps, tmp_path, capsys, no_work
):
    out_csv = tmp_path / "c.csv"
    code, out, err = call_cli(["synthesize", "--out", str(out_csv), "--cox-steps", steps], capsys)
    assert (code, out) == (2, "")
    assert (
        err == f"error: --cox-steps {steps}: at most {MAX_COX_STEPS} (the default is {COX_STEPS})\n"
    )
    assert file_tree(tmp_path) == []


def test_cox_steps_help_states_the_bound(capsys):
    _, out, _ = call_cli(["synthesize", "--help"], capsys)
    assert f"at most {MAX_COX_STEPS}" in " ".join(out.split())
    assert MAX_COX_STEPS >= 10 * COX_STEPS


# ------------------------------------------------------------------------------------- dose
@pytest.mark.parametrize("zero", ["-0", "-0.0", "-0e5", "--egfr=-0e5"])
def test_a_negative_zero_is_printed_as_zero(zero, capsys):
    egfr = [zero] if zero.startswith("--") else ["--egfr", zero]
    code, out, _ = call_cli(["dose", "--height-cm", "170", "--weight-kg", "65", *egfr], capsys)
    assert code == 0
    assert "eGFR 0 mL/min" in out and "-0" not in out


# ------------------------------------------------------------------- values argparse refuses
def test_a_huge_number_argparse_refuses_is_cut_not_repeated_whole(capsys, no_work):
    """``--seed`` of 5000 digits (past Python's int limit): a 5,077-character error line."""
    code, _, err = call_cli(["synthesize", "--seed", "9" * 5000], capsys)
    assert code == 2
    assert err.splitlines()[-1].endswith("invalid int value: '" + "9" * 40 + "… (5000 characters)'")


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (["ensemble", "--n", "850101-1234567"], "argument --n: invalid int value: '[masked]'"),
        (["dose", "--height-cm", "850101-1234567", "--weight-kg", "60"], "--height-cm [masked]:"),
        (
            ["dose", "--height-cm", "170", "--weight-kg", "60", "--formula", "John Smith"],
            "[masked]",
        ),
    ],
)
def test_an_identifier_typed_into_an_option_is_never_repeated(argv, says, capsys, no_work):
    code, out, err = call_cli(argv, capsys)
    assert (code, out) == (2, "")
    assert says in err
    assert "1234567" not in err and "Smith" not in err


def test_a_typo_of_zeros_is_still_repeated_as_typed(capsys, no_work):
    """Long numbers and dates are no identifiers here, as in a file name."""
    code, _, err = call_cli(["synthesize", "--seed", "1e3"], capsys)
    assert code == 2 and "'1e3'" in err
    argv = ["dose", "--height-cm", "170", "--weight-kg", "60", "--cycle", "10000000"]
    code, _, err = call_cli(argv, capsys)
    assert (code, err) == (2, "error: --cycle 10000000: far outside the accepted range\n")


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (["audit", "--check", "John Smith"], "error: --check '[masked]' matches no check name"),
        (["audit", "--check", "850101-1234567"], "error: --check '[masked]' matches no check name"),
        (["run", "--out", "r", "--chapters", "John_Smith"], "error: chapter '[masked]' not found"),
        (["run", "--out", "r", "-p", "850101-1234567"], "error: parameter '[masked]': expected"),
        (["run", "--out", "r", "-p", "confidence_level=John Smith"], "confidence_level=[masked]: "),
        (["run", "--out", "r", "-p", "John_Smith=1"], "error: -p [masked]: no selected chapter"),
    ],
)
def test_a_refusal_never_repeats_an_identifier_typed_as_a_value(
    argv, says, tmp_path, capsys, monkeypatch
):
    """The commands' own refusals repeated what they refused: ``--check 'John Smith' matches no
    check name``, ``chapter '850101-1234567' not found``."""
    monkeypatch.chdir(tmp_path)
    code, out, err = call_cli(argv, capsys)
    assert (code, out) == (2, "")
    assert err.startswith(says) or says in err
    assert "Smith" not in err and "1234567" not in err
    assert file_tree(tmp_path) == []


@pytest.mark.parametrize(
    ("value", "says"),
    [
        ("-1e2", "error: --egfr: egfr_ml_min = -100 is outside [0, 300] mL/min"),
        ("-inf", "error: --egfr -inf: not a finite number"),
        ("-NaN", "error: --egfr -NaN: not a finite number"),
    ],
)
def test_a_negative_number_in_exponent_form_is_a_value_not_an_option(value, says, capsys):
    """argparse reads -1e2 and -inf as unknown options: "argument --egfr: expected one
    argument", which names no problem with the value."""
    argv = ["dose", "--height-cm", "170", "--weight-kg", "65", "--egfr", value]
    code, out, err = call_cli(argv, capsys)
    assert (code, out, err) == (2, "", says + "\n")


def test_seed_in_exponent_form_is_an_invalid_whole_number(capsys, no_work):
    code, _, err = call_cli(["synthesize", "--seed", "-1e3"], capsys)
    assert code == 2
    assert err.splitlines()[-1].endswith("argument --seed: invalid int value: '-1e3'")


@pytest.mark.parametrize("parent", ["missing", "file"])
def test_ensemble_names_a_missing_out_folder_as_missing(parent, tmp_path, capsys, no_work):
    """A folder not yet made was "not a directory"."""
    if parent == "file":
        (tmp_path / "f").write_text("", encoding="utf-8")
    folder = tmp_path / ("f" if parent == "file" else "new")
    argv = ["ensemble", "--n", "1", "--out", str(folder / "s.csv"), "--cache", str(tmp_path / "c")]
    code, out, err = call_cli(argv, capsys)
    assert (code, out) == (2, "")
    what = "is not a directory" if parent == "file" else "does not exist (make it first)"
    assert err == f"error: --out {folder}/s.csv: {folder} {what}; nothing was run or written\n"


def test_a_quoted_tilde_in_a_cohort_path_is_explained(tmp_path, capsys, monkeypatch):
    """``validate '~/c.csv'`` said only "c.csv does not exist", of a file the user can see."""
    monkeypatch.chdir(tmp_path)
    code, out, _ = call_cli(["validate", "~/c.csv"], capsys)
    assert code == 2
    assert out.splitlines()[-1] == (
        "  - file: c.csv does not exist [the path starts with '~', which the shell did not "
        "expand (quoted?)]"
    )
    code, out, err = call_cli(["run", "--cohort", "~/c.csv", "--out", "r"], capsys)
    assert (code, out) == (2, "")
    assert err.splitlines()[-1] == (
        "  (--cohort starts with '~', which the shell did not expand: quoted?)"
    )
    assert file_tree(tmp_path) == []
