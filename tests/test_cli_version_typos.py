"""``python -m analysis --version`` and mistyped words on the command line (session 35).

``--version`` did not exist (``unrecognized arguments: --version``); a mistyped command
(``synthesise``) was answered with the list of commands and no hint, a mistyped option
(``--verdcit``) with "unrecognized arguments" alone, and ``ensemble -n 5`` with "the following
arguments are required: --n". Each is now one error line after a short usage, exit status 2,
with the closest command, option or choice (:func:`difflib.get_close_matches`); a word that
holds an identifier (a file name typed where the command goes) is masked, as validate masks it.
"""

from __future__ import annotations

import os
import platform
import subprocess
import sys
import tomllib
from importlib import metadata

import pytest
from test_cli_hostile import call_cli

import analysis.cli as cli
from analysis import REPO_ROOT
from analysis.cli import COMMANDS, closest, package_version, version_line


def _pyproject_version() -> str:
    with open(REPO_ROOT / "pyproject.toml", "rb") as fh:
        return tomllib.load(fh)["project"]["version"]


# ---------------------------------------------------------------------------------- --version
def test_version_is_one_line_with_the_package_python_and_the_libraries(capsys):
    code, out, err = call_cli(["--version"], capsys)
    assert (code, err) == (0, "")
    assert out.count("\n") == 1 and len(out) < 100
    assert out.startswith(f"analysis {_pyproject_version()} ({cli.DISTRIBUTION}; ")
    assert f"Python {platform.python_version()}" in out
    for label, distribution in cli.VERSION_LIBRARIES:
        assert f"{label} {metadata.version(distribution)}" in out
    assert out.split()[1] == _pyproject_version()  # `--version | cut -d' ' -f2`


def test_version_runs_from_a_source_checkout_on_pythonpath(tmp_path):
    """With PYTHONPATH only (no install of this checkout), from another folder: the checkout's
    version, not another install's metadata."""
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    done = subprocess.run(
        [sys.executable, "-m", "analysis", "--version"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout == version_line() + "\n"
    assert done.stdout.split()[:2] == ["analysis", _pyproject_version()]


def test_version_without_pyproject_reads_the_metadata_or_says_unknown(tmp_path, monkeypatch):
    """Installed (no pyproject.toml beside the package): the installed metadata; neither: the
    word "unknown", never an exception."""
    monkeypatch.setattr(cli, "REPO_ROOT", tmp_path)
    monkeypatch.setattr(cli, "_installed_version", lambda name: "9.9.9")
    assert package_version() == "9.9.9"
    (tmp_path / "pyproject.toml").write_text("not [ toml", encoding="utf-8")
    assert package_version() == "9.9.9"
    monkeypatch.setattr(cli, "_installed_version", lambda name: None)
    assert package_version() == "unknown"
    assert version_line().startswith("analysis unknown (")


def test_version_into_a_closed_pipe_is_no_traceback():
    """``--version | true``: a BrokenPipeError traceback, exit status 1."""
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "analysis", "--version"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    proc.stdout.close()  # the reader is gone before the interpreter has started
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=120) == 0
    assert "Traceback" not in err and "Error" not in err


def test_top_level_help_names_version(capsys):
    code, out, _ = call_cli(["--help"], capsys)
    assert code == 0 and "--version" in out


# ------------------------------------------------------------------------------- commands
@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("synthesise", "synthesize"),
        ("valdate", "validate"),
        ("rnu", "run"),
        ("audti", "audit"),
        ("ensembel", "ensemble"),
        ("doze", "dose"),
        ("SYNTHESIZE", "synthesize"),
        ("syn", "synthesize"),  # cut short, as options may be
        ("val", "validate"),
        ("ens", "ensemble"),
    ],
)
def test_a_mistyped_command_is_told_the_closest(typed, meant, capsys):
    code, out, err = call_cli([typed], capsys)
    assert (code, out) == (2, "")
    lines = err.splitlines()
    assert len(lines) == 2 and lines[0].startswith("usage: python -m analysis ")
    assert lines[1] == (
        f"python -m analysis: error: unknown command '{typed}'; did you mean '{meant}'?"
    )


def test_closest_is_the_same_for_every_command_list():
    assert [closest(c[:-1], COMMANDS) for c in COMMANDS] == COMMANDS


def test_an_unknown_command_far_from_every_one_lists_them(capsys):
    code, _, err = call_cli(["frobnicate"], capsys)
    assert code == 2
    assert err.splitlines()[-1].endswith(f"(commands: {', '.join(COMMANDS)})")


def test_a_file_given_as_the_command_is_pointed_to_validate_masked_if_it_names_someone(capsys):
    code, _, err = call_cli(["my_cohort.csv"], capsys)
    assert code == 2
    assert err.splitlines()[-1].endswith("to check it: python -m analysis validate my_cohort.csv")
    code, _, err = call_cli(["Nguyen_Van_An.csv"], capsys)
    assert code == 2
    assert "Nguyen" not in err and "'[masked].csv'" in err
    assert err.splitlines()[-1].endswith("python -m analysis validate FILE")


def test_a_long_or_unprintable_command_is_cut_and_escaped(capsys):
    code, _, err = call_cli(["x" * 5000], capsys)
    assert code == 2 and len(err.splitlines()[-1]) < 200 and "(5000 characters)" in err
    code, _, err = call_cli(["syn\nthesize"], capsys)
    assert code == 2 and len(err.splitlines()) == 2 and "'syn\\nthesize'" in err


# -------------------------------------------------------------------------------- options
@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (["audit", "--verdcit", "inconsistent"], "--verdcit inconsistent; did you mean --verdict?"),
        (["audit", "--fromat=csv"], "--fromat=csv; did you mean --format?"),
        (["--versoin"], "--versoin; did you mean --version?"),
        (["dose", "--height-cm", "170", "--wieght-kg", "60"], "did you mean --weight-kg?"),
        (
            ["audit", "--fromat", "csv", "--chek", "SE"],
            "did you mean --format (for --fromat), --check (for --chek)?",
        ),
    ],
)
def test_a_mistyped_option_is_told_the_closest(argv, says, capsys):
    code, out, err = call_cli(argv, capsys)
    assert (code, out) == (2, "")
    assert "unrecognized arguments: " in err.splitlines()[-1]
    assert err.splitlines()[-1].endswith(says)


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (["ensemble", "-n", "5"], "required: --n; -n is not an option: did you mean --n?"),
        (
            ["run", "--ot", "reports/x"],
            "required: --out; --ot is not an option: did you mean --out?",
        ),
    ],
)
def test_a_required_option_mistyped_is_told_the_closest(argv, says, capsys, monkeypatch):
    import analysis.cli.ensemble as cli_ensemble

    monkeypatch.setattr(cli_ensemble, "run_ensemble", _never)
    code, out, err = call_cli(argv, capsys)
    assert (code, out) == (2, "")
    assert err.splitlines()[-1].endswith(says)


def test_a_required_option_left_out_has_no_hint(capsys):
    code, _, err = call_cli(["run"], capsys)
    assert code == 2
    assert err.splitlines()[-1].endswith("the following arguments are required: --out")


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (["audit", "--format", "cvs"], "invalid choice: 'cvs'; did you mean 'csv'?"),
        (["audit", "--verdict", "Consistant"], "invalid choice: 'consistant'; did you mean"),
        (["audit", "--format", "xml"], "invalid choice: 'xml' (choose from 'text', 'csv')"),
    ],
)
def test_a_mistyped_choice_is_told_the_closest(argv, says, capsys):
    code, _, err = call_cli(argv, capsys)
    assert code == 2
    assert says in err.splitlines()[-1]


def test_a_stray_word_that_names_someone_is_masked(capsys):
    """``validate a.csv John_Smith.csv`` repeated the second name in "unrecognized arguments",
    which validate masks everywhere else."""
    code, _, err = call_cli(["validate", "a.csv", "John_Smith.csv"], capsys)
    assert code == 2
    assert "Smith" not in err
    assert err.splitlines()[-1].endswith("unrecognized arguments: [masked].csv")


def _never(*args, **kwargs):
    raise AssertionError("the work must not start")
