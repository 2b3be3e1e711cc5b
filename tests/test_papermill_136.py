"""A researcher executing single chapters with papermill itself, on their own cohort (review 136).

Each chapter's hidden cell after its parameters calls
:func:`analysis.runner.check_chapter_parameters`; these tests read what it refuses and what it
prints, without a kernel where they can, and with one (chapter 08, the fastest) for the notice.
"""

from __future__ import annotations

import shutil

import nbformat
import pytest
from cohort_runs import execute_chapter

from analysis import COHORT_CSV, runner
from analysis.runner import RunnerError, check_chapter_parameters, parameter_table

#: IPython's input history of a chapter run by papermill: its parameters cell, then papermill's.
_PARAMETERS = "cohort_path = None"


def _history(injected: str) -> list[str]:
    return ["", _PARAMETERS, f"# Parameters\n{injected}\n"]


@pytest.mark.parametrize(
    "value, says",
    [
        ([-1.0], r"landmarks=\[-1.0\]: must be 1 to 12 numbers, each above 0"),
        ([0.0], r"landmarks=\[0.0\]: must be 1 to 12 numbers"),
        ([6.0, 1.0], "in increasing order without repeats"),
        ([2.0, 2.0], "in increasing order without repeats"),
        ([float("nan")], r"landmarks=\[nan\]"),
        (list(range(1, 14)), "1 to 12 numbers"),
        ([True], "1 to 12 numbers"),
        ("1,3", r"must be a list such as \[1.0, 2.0, 3.0, 6.0\] \(papermill: -y 'landmarks: "),
    ],
)
def test_landmarks_outside_the_rule_are_refused_in_one_line(value, says):
    """papermill's -y sets a list; -1 failed deep in chapter 09 ("could not convert string to
    float: '−1'"), and 6 before 1 ran with the table's middle landmark misplaced."""
    with pytest.raises(RunnerError, match=says):
        check_chapter_parameters("09-bias", {"landmarks": value})


def test_cutoffs_are_whole_numbers_and_landmarks_may_be_written_whole():
    for bad in ([], [3.5], [-1], ["3"], [6, 3]):
        with pytest.raises(RunnerError, match=r"cutoffs=.*: must be 1 to 12 whole numbers"):
            check_chapter_parameters("09-bias", {"cutoffs": bad})
    assert check_chapter_parameters("09-bias", {"cutoffs": [0, 2], "landmarks": [1, 3.0]}) is None


def test_a_name_no_chapter_has_is_refused_and_one_of_another_chapter_passes():
    """papermill only warns ("Passed unknown parameter"): -p cohort_pth ran chapter 04 on the
    synthetic cohort. ``run`` gives every chapter all its -p names, so another chapter's passes."""
    with pytest.raises(RunnerError, match=r"-p cohort_pth: no chapter has this parameter"):
        check_chapter_parameters("04-baseline", {"In": _history('cohort_pth = "x.csv"')})
    with pytest.raises(RunnerError, match=r"\(05-response's: cohort_path, confidence_level\)"):
        check_chapter_parameters("05-response", {"In": _history("confidance_level = 0.9")})
    assert check_chapter_parameters("04-baseline", {"In": _history("seed = 7")}) is None
    # the chapter's own parameters cell and the cells after papermill's are not read as injected
    assert (
        check_chapter_parameters("04-baseline", {"In": ["", "x = 1", "# Parameter\ny = 2"]}) is None
    )


def test_the_parameter_table_states_the_lists_rules():
    table = parameter_table().set_index("parameter")
    assert table.loc["landmarks", "accepted"] == (
        "a list (not settable with -p): 1 to 12 numbers, each above 0 (months after the start "
        "of HAIC), in increasing order without repeats"
    )
    assert set(runner.PARAMETER_LISTS) <= set(table.index)


def test_a_user_cohort_is_named_as_such_and_the_books_is_not(capsys):
    check_chapter_parameters("04-baseline", {"cohort_path": "/somewhere/Nguyen_Van_An.csv"})
    said = capsys.readouterr().out
    assert said.startswith("Executed on your cohort (cohort_path), not the book's synthetic one")
    assert said.endswith(
        "\n  .venv/bin/python -m analysis run --cohort YOUR-FILE.csv --chapters 04-baseline\n"
    )
    assert "Nguyen" not in said  # the file name is not printed (nor yet checked)
    assert max(len(line) for line in said.splitlines()) <= 90
    for book in (None, str(COHORT_CSV), 5):  # 5: load_cohort refuses it, in its own words
        check_chapter_parameters("04-baseline", {"cohort_path": book})
        assert capsys.readouterr().out == ""


@pytest.mark.slow(seconds=8)
def test_chapter_08_executed_with_papermill_on_a_copy_says_the_cohort_changes_nothing(tmp_path):
    """Executed directly, the notebook's prose (MyST, glued) names the synthetic cohort; its
    first output now says on which cohort it ran. Chapter 08 reads no patient data."""
    mine = tmp_path / "mine.csv"
    shutil.copyfile(COHORT_CSV, mine)
    out = execute_chapter("08-audit", mine, tmp_path / "08.ipynb")
    cells = nbformat.read(out, as_version=4).cells
    checked = next(c for c in cells if "check_chapter_parameters" in c.source)
    assert [o.get("name") for o in checked.outputs] == ["stdout"]
    assert checked.outputs[0]["text"].startswith("Executed with your cohort (cohort_path)")
    assert "reads\nonly the paper's printed numbers" in checked.outputs[0]["text"]
