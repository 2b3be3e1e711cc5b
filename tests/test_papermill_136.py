"""A researcher executing single chapters with papermill itself, on their own cohort (review 136).

Each chapter's hidden cell after its parameters calls
:func:`analysis.runner.check_chapter_parameters`; these tests read what it refuses and what it
prints, without a kernel where they can, and with one (chapter 8, the fastest) for the notice.
"""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import nbformat
import pytest
from cohort_runs import JUPYTEXT_HEAD, execute_chapter
from test_cli_hostile import call_cli
from test_cohort import enough_rows, write

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
    """papermill's -y sets a list; -1 failed deep in chapter 9 ("could not convert string to
    float: '−1'"), and 6 before 1 ran with the table's middle landmark misplaced."""
    with pytest.raises(RunnerError, match=says):
        check_chapter_parameters("09-bias", {"landmarks": value})


def test_cutoffs_are_whole_numbers_and_landmarks_may_be_written_whole():
    for bad in ([], [3.5], [-1], ["3"], [6, 3]):
        with pytest.raises(RunnerError, match=r"cutoffs=.*: must be 1 to 12 whole numbers"):
            check_chapter_parameters("09-bias", {"cutoffs": bad})
    assert check_chapter_parameters("09-bias", {"cutoffs": [0, 2], "landmarks": [1, 3.0]}) is None


def test_a_name_no_chapter_has_is_refused():
    """papermill only warns ("Passed unknown parameter"): -p cohort_pth ran chapter 4 on the
    synthetic cohort."""
    with pytest.raises(RunnerError, match=r"parameter cohort_pth: no chapter has this parameter"):
        check_chapter_parameters("04-baseline", {"In": _history('cohort_pth = "x.csv"')})
    with pytest.raises(RunnerError, match=r"\(05-response's: cohort_path, confidence_level\)"):
        check_chapter_parameters("05-response", {"In": _history("confidance_level = 0.9")})
    assert check_chapter_parameters("04-baseline", {"In": _history("cohort_path = None")}) is None
    # the chapter's own parameters cell and the cells after papermill's are not read as injected
    assert (
        check_chapter_parameters("04-baseline", {"In": ["", "x = 1", "# Parameter\ny = 2"]}) is None
    )


@pytest.mark.parametrize(
    "chapter, injected, says",
    [
        (
            "04-baseline",
            "confidence_level = 0.9",
            "parameter confidence_level: a parameter of 05-response, not of 04-baseline (04-baseline's: "
            "cohort_path); papermill only warns and runs the chapter unchanged",
        ),
        (
            "06-survival",
            "cohort_path = None\nseed = 7",
            "parameter seed: a parameter of 09-bias, not of 06-survival (06-survival's: cohort_path, "
            "at_risk_step_months); papermill only warns and runs the chapter unchanged",
        ),
        (
            "09-bias",
            "n_bootstrap = 50\nbsa_formula = 'dubois'",
            "parameter bsa_formula: a parameter of 03-treatment, not of 09-bias (09-bias's: "
            "cohort_path, cutoffs, landmarks, n_simulations, n_bootstrap, seed); papermill only "
            "warns and runs the chapter unchanged",
        ),
    ],
)
def test_a_name_of_another_chapter_is_refused_naming_it(chapter, injected, says):
    """``papermill 04-baseline.ipynb out.ipynb -p confidence_level 0.9`` ran chapter 4 unchanged
    with only papermill's warning: another chapter's name passed (``run`` gave every chapter
    all its -p). ``run`` now gives each chapter only its own, so the chapter refuses it."""
    with pytest.raises(RunnerError) as refused:
        check_chapter_parameters(chapter, {"In": _history(injected)})
    assert str(refused.value) == says


def _own_check_execute(given: dict):
    """A stand-in for ``papermill.execute_notebook`` without a kernel: papermill's own injection
    of the parameters, then the chapter's check (:func:`check_chapter_parameters`) on IPython's
    input history up to its cell, as the kernel would run it."""
    from papermill.iorw import load_notebook_node
    from papermill.parameterize import parameterize_notebook

    def execute(nb_in, target, *, parameters, **kwargs):
        nb = parameterize_notebook(load_notebook_node(nb_in), parameters)
        name = Path(target).stem
        given[name] = dict(parameters)
        code = [c.source for c in nb.cells if c.cell_type == "code"]
        ran = code[: next(i for i, c in enumerate(code) if "check_chapter_parameters" in c)]
        namespace = {**runner.chapter_defaults(runner.CHAPTERS_DIR / f"{name}.md"), **parameters}
        check_chapter_parameters(name, {**namespace, "In": ["", *ran]})
        nbformat.write(nb, target)
        return nb

    return execute


def _one_page_site(build_root, notebooks, index_md, **kwargs):
    html = build_root / "_build" / "html"
    html.mkdir(parents=True)
    (html / "index.html").write_text("<html></html>", encoding="utf-8")
    return html, []


def test_run_gives_each_chapter_only_its_own_parameters(tmp_path, monkeypatch, caplog):
    """``run --chapters 04,05 -p confidence_level=0.9`` (chapter 5's): chapter 5 gets it,
    chapter 4 only ``cohort_path``, and both pass their own check; papermill warns of no
    unknown parameter. No kernel: papermill's injection and the chapters' check are real."""
    import papermill

    given: dict = {}
    monkeypatch.setattr(papermill, "execute_notebook", _own_check_execute(given))
    monkeypatch.setattr(runner, "_build_site", _one_page_site)
    out = tmp_path / "r"
    run = runner.run_book(
        COHORT_CSV,
        out,
        parameters={"confidence_level": 0.9},
        chapters="04,05",
        progress=False,
        log=io.StringIO(),
    )
    assert [c.name for c in run.chapters] == ["04-baseline", "05-response"]
    cohort = str(COHORT_CSV.resolve())
    assert given == {
        "04-baseline": {"cohort_path": cohort},
        "05-response": {"cohort_path": cohort, "confidence_level": 0.9},
    }
    injected = {
        name: next(
            c.source
            for c in nbformat.read(out / f"{name}.ipynb", as_version=4).cells
            if "injected-parameters" in c.metadata.get("tags", [])
        )
        for name in given
    }
    assert "confidence_level" not in injected["04-baseline"]
    assert "confidence_level = 0.9" in injected["05-response"]
    assert json.loads((out / "report.json").read_text(encoding="utf-8"))["parameters"] == {
        "confidence_level": 0.9
    }
    assert "Passed unknown parameter" not in caplog.text


def test_the_stand_in_refuses_what_the_old_run_injected(tmp_path):
    """The check above is not vacuous: chapter 4 given chapter 5's -p, as ``run`` did, is
    refused by the stand-in as by the chapter."""
    nb = runner._notebook(runner.CHAPTERS_DIR / "04-baseline.md")
    with pytest.raises(
        RunnerError, match=r"^parameter confidence_level: a parameter of 05-response,"
    ):
        _own_check_execute({})(
            nb, str(tmp_path / "04-baseline.ipynb"), parameters={"confidence_level": 0.9}
        )


def test_run_refuses_a_parameter_of_chapters_not_selected(tmp_path, capsys):
    """``run --chapters 04 -p confidence_level=0.9`` would run chapter 4 unchanged: refused
    in one line naming the chapter that has it, before anything runs or is written."""
    out = tmp_path / "r"
    argv = ["run", "--chapters", "04", "-p", "confidence_level=0.9", "--out", str(out)]
    code, _, err = call_cli(argv, capsys)
    assert code == 2 and list(tmp_path.iterdir()) == []
    assert err == (
        "error: -p confidence_level: a parameter of 05-response, which --chapters does not "
        "select; add it to --chapters or leave out this -p\n"
    )
    # a name no chapter has keeps its refusal, listing the selected chapters' names
    code, _, err = call_cli([*argv[:4], "confidance_level=0.9", *argv[5:]], capsys)
    assert code == 2 and err.startswith("error: -p confidance_level: no selected chapter has")


def test_run_names_every_chapter_left_out_that_has_it(tmp_path, capsys):
    chapters = tmp_path / "chapters"
    chapters.mkdir()
    for name, cell in [
        ("01-a", "min_cell_count = 5"),
        ("02-b", "min_cell_count = 3"),
        ("03-c", ""),
    ]:
        text = f"{JUPYTEXT_HEAD}\n# {name}\n\n```{{code-cell}} ipython3\n:tags: [parameters]\n"
        (chapters / f"{name}.md").write_text(f"{text}cohort_path = None\n{cell}\n```\n")
    cohort = write(tmp_path, enough_rows(), name="mine.csv")
    argv = ["run", "--cohort", str(cohort), "--chapters-dir", str(chapters), "--chapters", "03"]
    code, _, err = call_cli([*argv, "-p", "min_cell_count=3", "--out", str(tmp_path / "r")], capsys)
    assert code == 2 and not (tmp_path / "r").exists()
    assert err == (
        "error: -p min_cell_count: a parameter of 01-a and 02-b, which --chapters does not "
        "select; add one of them to --chapters or leave out this -p\n"
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
    first output now says on which cohort it ran. Chapter 8 reads no patient data."""
    mine = tmp_path / "mine.csv"
    shutil.copyfile(COHORT_CSV, mine)
    out = execute_chapter("08-audit", mine, tmp_path / "08.ipynb")
    cells = nbformat.read(out, as_version=4).cells
    checked = next(c for c in cells if "check_chapter_parameters" in c.source)
    assert [o.get("name") for o in checked.outputs] == ["stdout"]
    assert checked.outputs[0]["text"].startswith("Executed with your cohort (cohort_path)")
    assert "reads\nonly the paper's printed numbers" in checked.outputs[0]["text"]


def test_a_chapter_names_a_parameter_without_assuming_its_flag():
    """Inside a chapter the value may come from papermill's -p, -r, -y or -f: a list sent by
    ``-y`` to chapter 4 and a list where chapter 9 wants a number were told "-p". ``run``,
    whose only option is -p, still says -p."""
    history = _history("landmarks = [1, 2]")
    with pytest.raises(RunnerError, match=r"^parameter landmarks: a parameter of 09-bias, not"):
        check_chapter_parameters("04-baseline", {"In": history})
    with pytest.raises(RunnerError, match=r"^parameter n_bootstrap=\[3\]: must be a whole number"):
        check_chapter_parameters("09-bias", {"n_bootstrap": [3]})
    chapters = [runner.CHAPTERS_DIR / "09-bias.md"]
    with pytest.raises(RunnerError, match=r"^-p n_bootstrap=\[3\]: must be a whole number"):
        runner.check_parameter_values({"n_bootstrap": [3]}, chapters)
