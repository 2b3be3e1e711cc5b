"""Hostile review 142: ``run``'s per-chapter ``-p``, a chapter's own check of papermill's
parameters, and the ``time-unit`` warning.

Each test here failed before its fix:

- papermill's ``--inject-paths`` (a documented option) makes it inject ``PAPERMILL_INPUT_PATH``
  and ``PAPERMILL_OUTPUT_PATH``; every chapter refused them as a ``-p`` nobody typed;
- ``-p In 0`` replaced IPython's input history, where the check reads papermill's cell, so a
  chapter given another chapter's parameter beside it ran unchanged without a word;
- a time column refused as days row by row (above ``days_max``) was warned about as weeks or
  days too, which the README says does not happen;
- ``validate --help`` left out that the warning judges a column of 10 times or more.
"""

from __future__ import annotations

import shutil

import pytest
from cohort_runs import execute_chapter
from papermill.exceptions import PapermillExecutionError
from papermill.translators import translate_parameters
from test_cli_hostile import call_cli
from test_time_units import _book, _scaled, _time_warnings, _validate, _write

from analysis import COHORT_CSV
from analysis.cohort import TIME_MIN_VALUES
from analysis.runner import (
    CHAPTERS_DIR,
    RunnerError,
    check_chapter_parameters,
    check_parameter_values,
)


def _injected(parameters: dict) -> list[str]:
    """IPython's input history of a chapter executed by papermill with ``parameters``: its own
    parameters cell, then papermill's injected cell as papermill writes it."""
    cell = translate_parameters("python3", "python", parameters, "Parameters")
    return ["", "cohort_path = None", cell]


def test_papermill_inject_paths_is_not_refused():
    """``papermill chapters/08-audit.ipynb out.ipynb --inject-paths`` failed in its first cell:
    "-p PAPERMILL_INPUT_PATH: no chapter has this parameter"."""
    paths = {
        "PAPERMILL_INPUT_PATH": "chapters/04-baseline.ipynb",
        "PAPERMILL_OUTPUT_PATH": "reports/papermill/04.ipynb",
    }
    for name, value in [*paths.items(), ("both", None)]:
        given = paths if name == "both" else {name: value}
        namespace = {"In": _injected({"cohort_path": None, **given}), **given}
        assert check_chapter_parameters("04-baseline", namespace) is None
    # a misspelt name beside them is still refused
    history = _injected({**paths, "cohort_pth": "x.csv"})
    with pytest.raises(RunnerError, match=r"^parameter cohort_pth: no chapter has this parameter"):
        check_chapter_parameters("04-baseline", {"In": history})


@pytest.mark.slow(seconds=6)
def test_overwriting_the_input_history_does_not_hide_another_chapters_parameter(tmp_path):
    """``papermill 08-audit.ipynb out.ipynb -p In 0 -p seed 7`` ran chapter 8 unchanged: the
    check read papermill's cell from ``In``, which the injected cell had replaced with 0."""
    mine = tmp_path / "mine.csv"
    shutil.copyfile(COHORT_CSV, mine)
    with pytest.raises(PapermillExecutionError) as failed:
        execute_chapter("08-audit", mine, tmp_path / "08.ipynb", In=0, seed=7)
    said = f"{failed.value.ename}: {failed.value.evalue}"
    assert said == (
        "RunnerError: parameter In: no chapter has this parameter (08-audit's: cohort_path); papermill "
        "only warns and runs on the default"
    )


def test_days_refused_row_by_row_are_not_warned_about_twice(tmp_path, capsys):
    """Times in days with decimals: pfs_months was refused ("must be ≤ 240 months ...: a longer
    time is probably in days") and warned about ("times look like weeks or days") too."""
    frame = _scaled(_book(), 30.4375, 2)
    code, out, _ = _validate(_write(tmp_path, frame), capsys)
    assert code == 1
    assert "column pfs_months: must be ≤ 240 months (20 years from the start of HAIC)" in out
    assert [line for line in _time_warnings(out) if "pfs_months" in line] == []
    # a column refused for nothing of the sort keeps its warning (response_month: median 106)
    assert [line.split(":")[0] for line in _time_warnings(out)] == [
        "  - warning"
    ] and "column response_month" in _time_warnings(out)[0]


def test_validate_help_says_the_warning_needs_ten_times(capsys):
    code, out, _ = call_cli(["validate", "--help"], capsys)
    assert code == 0
    text = " ".join(out.split())
    assert f"(time-unit: of {TIME_MIN_VALUES} times or more, a median above 36 months" in text
    assert max(len(line) for line in out.splitlines()) <= 80


def test_a_list_of_a_chapter_left_out_is_not_sent_to_chapters(tmp_path, capsys):
    """``run --chapters 06 -p landmarks=1`` said "add it to --chapters", and ``--chapters 06,09``
    then refused it as a list, which -p cannot set: the first refusal says so."""
    argv = ["run", "--chapters", "06", "-p", "landmarks=1", "--out", str(tmp_path / "r")]
    code, _, err = call_cli(argv, capsys)
    assert code == 2 and list(tmp_path.iterdir()) == []
    assert err == (
        "error: -p landmarks: a list parameter of 09-bias, not settable with -p (only single "
        "values); leave out this -p\n"
    )
    # a single value of a chapter left out keeps its advice
    argv[4] = "seed=7"
    code, _, err = call_cli(argv, capsys)
    assert code == 2 and "which --chapters does not select; add it to --chapters" in err


def test_a_misspelt_parameter_is_refused_before_the_cohort_is_read(tmp_path, capsys):
    """``run`` checked ``-p`` names only after validating the cohort (4 s for 100,000 rows):
    now the chapters and ``-p`` are checked first, so a cohort with a problem and a misspelt
    ``-p`` get the ``-p`` refusal, and nothing is written."""
    bad = _book()
    bad.loc[3, "os_event"] = "2"  # a problem the validator would list
    path = _write(tmp_path, bad)
    out = tmp_path / "reports" / "r"
    argv = ["run", "--cohort", str(path), "--out", str(out), "-p", "sead=7"]
    code, _, err = call_cli(argv, capsys)
    assert code == 2, err
    assert "-p sead" in err and "os_event" not in err
    assert not out.exists()


@pytest.mark.parametrize(("value", "kind"), [("7", "a whole number"), ("0.9", "a number")])
def test_a_number_given_as_text_is_told_so(value, kind):
    """``run -p "seed='7'"`` or ``papermill -r seed 7`` gave "-p seed=7: must be a whole
    number", which reads as a contradiction: the message now says the value was text."""
    name = "seed" if value == "7" else "confidence_level"
    chapters = [CHAPTERS_DIR / "05-response.md", CHAPTERS_DIR / "09-bias.md"]
    with pytest.raises(RunnerError) as caught:
        check_parameter_values({name: value}, chapters)
    assert str(caught.value) == (
        f"-p {name}='{value}': must be {kind}, not text (quotes, or papermill's -r, keep a "
        f"value text): give it unquoted, -p {name} {value}"
    )


def test_a_pasted_parameter_name_is_cut_in_the_message(tmp_path, capsys):
    """A 5,000-character ``-p`` name (a file pasted by mistake) was repeated whole, filling the
    terminal; it is cut as an unknown option is, after the masking of identifiers, and a
    parameter name is still repeated whole."""
    out = tmp_path / "reports" / "r"
    code, _, err = call_cli(["run", "--out", str(out), "-p", "x" * 5000 + "=3"], capsys)
    assert code == 2 and "… (5000 characters): no selected chapter has this parameter" in err
    assert len(err) < 600 and "x" * 41 not in err and not out.exists()
    code, _, err = call_cli(["run", "--out", str(out), "-p", "confidence_level=95"], capsys)
    assert code == 2 and "-p confidence_level=95: must be above 0" in err
