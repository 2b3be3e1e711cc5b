"""A hostile pass as a researcher re-running the book on their own cohort (session 124).

What it found, pinned: a successful run deleted ``NAME.failed`` although the user had edited
its notebook (or added notes to ``FAILED.txt``) while debugging; the chapters executed directly
with papermill (as the how-to page invites) accepted what ``run`` refuses or reads otherwise.
"""

from __future__ import annotations

import hashlib
import json
import textwrap

import pytest

from analysis import COHORT_CSV, runner
from analysis.__main__ import main
from analysis.runner import MARKER_NAME

#: the chapters' kernels are forked from one process that imported what they import
pytestmark = pytest.mark.usefixtures("forked_kernels", "forked_programs")


# --------------------------------------------------------------------------------------------
# a failed run's folder, edited by the user, is the user's work
# --------------------------------------------------------------------------------------------
_TINY = textwrap.dedent(
    """\
    ---
    jupytext:
      text_representation:
        extension: .md
        format_name: myst
        format_version: 0.13
    kernelspec:
      display_name: Python 3
      language: python
      name: python3
    ---

    # Tiny

    ```{code-cell} ipython3
    :tags: [parameters]
    cohort_path = None
    ```

    ```{code-cell} ipython3
    from pathlib import Path

    if Path(cohort_path).with_name("fail-now").exists():
        1 / 0
    ```
    """
)


@pytest.mark.slow(seconds=6)
def test_an_edited_failed_folder_is_never_deleted_by_the_next_run(tmp_path, capsys):
    """A run failed and left ``r.failed``; the user opened its notebook, edited it while
    debugging and added a line to FAILED.txt. The next run that succeeded deleted the folder,
    edits and all (a failed run's marker recorded no digests, so nothing counted as changed),
    and a second failure replaced it the same way. Now both leave it alone."""
    chapters = tmp_path / "chapters"
    chapters.mkdir()
    (chapters / "01-tiny.md").write_text(_TINY, encoding="utf-8")
    cohort = tmp_path / "my.csv"
    cohort.write_bytes(COHORT_CSV.read_bytes())
    fail = tmp_path / "fail-now"
    fail.write_text("", encoding="utf-8")
    reports = tmp_path / "reports"
    argv = ["run", "--cohort", str(cohort), "--out", str(reports / "r"), "--quiet"]
    argv += ["--chapters-dir", str(chapters)]

    assert main(argv) == 1, capsys.readouterr().err
    capsys.readouterr()
    failed = reports / "r.failed"
    marker = json.loads((failed / MARKER_NAME).read_text(encoding="utf-8"))
    assert marker["state"] == "failed"
    assert set(marker["sha256"]) == set(marker["files"])  # recorded, as a report's
    notebook = failed / "01-tiny.ipynb"
    edited = notebook.read_bytes().replace(b"1 / 0", b"1 / 0  # my fix: check the cohort")
    assert edited != notebook.read_bytes()
    notebook.write_bytes(edited)

    # a second failure: the edited folder is kept, the new one goes beside it
    assert main(argv) == 1
    capsys.readouterr()
    assert notebook.read_bytes() == edited
    assert (reports / "r.failed-2" / MARKER_NAME).is_file()

    # a success: the report is written and the edited folder kept
    fail.unlink()
    assert main(argv) == 0, capsys.readouterr().err
    capsys.readouterr()
    assert notebook.read_bytes() == edited
    assert sorted(p.name for p in reports.iterdir()) == ["r", "r.failed", "r.failed-2"]


def test_our_failed_folder_is_replaced_only_while_unchanged(tmp_path):
    """Without a kernel: our own failed folder, unchanged since it was written (its digests
    match), may be replaced; once one of its files has changed it may not."""
    failed = tmp_path / "r.failed"
    failed.mkdir()
    text = failed / "FAILED.txt"
    text.write_text("chapter 01-tiny failed\n", encoding="utf-8")
    marker = {
        "format": "haic-report",
        "version": 1,
        "state": "failed",
        "files": ["FAILED.txt"],
        "sha256": {"FAILED.txt": hashlib.sha256(text.read_bytes()).hexdigest()},
    }
    (failed / MARKER_NAME).write_text(json.dumps(marker), encoding="utf-8")
    assert runner._replace_problem(failed, states=("failed",)) is None
    text.write_text("chapter 01-tiny failed\nmy notes: the cohort's line 7\n", encoding="utf-8")
    problem = runner._replace_problem(failed, states=("failed",))
    assert problem is not None and "changed since this tool wrote them ('FAILED.txt')" in problem

