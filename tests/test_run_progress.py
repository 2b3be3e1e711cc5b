"""``python -m analysis run`` says which cell a chapter is running once it has run long.

On a cohort of 10,000 patients chapter 9's bootstrap and null simulation run for tens of
seconds each (minutes with ``-p n_bootstrap=10000``); the run printed ``[5/5] 09-bias`` and then
nothing (with ``--quiet``), or a papermill bar standing still at one cell. A cell that has run
``runner._SLOW_CELL_AFTER`` seconds is now named on the progress stream (chapter, time, cell
number, section, first line), and again every ``_SLOW_CELL_EVERY`` seconds; quicker cells say
nothing, so the book's own runs print what they printed.
"""

from __future__ import annotations

import io
import re
import time

import nbformat
import papermill
import pytest
from test_cohort import enough_rows, write
from test_runner import CHAPTER_B

from analysis import runner

pytestmark = pytest.mark.usefixtures("forked_kernels")


def _notebook(*cells):
    return nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_markdown_cell(c[3:]) if c.startswith("md:") else nbformat.v4.new_code_cell(c)
            for c in cells
        ],
        metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
    )  # fmt: skip


def _drive(watch, nb, lines, notices):
    """Run ``nb``'s cells through the hooks as nbclient calls them; each code cell runs until
    ``lines`` holds ``notices[i]`` lines (at most 10 s), the quick ones (0) not at all."""
    wanted = iter(notices)
    for index, cell in enumerate(nb.cells):
        watch.cell_start(cell, index)
        if cell.cell_type == "code":
            watch.cell_execute(cell, index)
            until, deadline = next(wanted), time.monotonic() + 10
            while len(lines) < until and time.monotonic() < deadline:
                time.sleep(0.01)
            watch.cell_done(cell=cell, cell_index=index, execute_reply={})
    watch.stop()


#: the notice's time: 0 s here, more on a busy machine
SOON = re.compile(r"still running after \d+ s")


def test_a_long_cell_is_named_with_its_section_and_a_quick_one_is_not():
    nb = _notebook(
        "md:# Chapter\n\nIntro.",
        "x = 1",
        "md:(sec)=\n## Many {term}`parameters <Parameter>`, few events",
        "# the bootstrap\nopt = slow()",
        "y = 2",
    )
    injected = nbformat.v4.new_code_cell("cohort_path = 'x.csv'")
    injected.metadata["tags"] = ["injected-parameters"]
    nb.cells.insert(1, injected)
    lines = []
    watch = runner._CellWatch("[2/5] 09-bias", nb, lines.append, after=0.5, every=0.3)
    assert watch.total == 3  # the injected cell is papermill's: never counted or named
    _drive(watch, nb, lines, [0, 0, 2, 0])
    time.sleep(0.8)  # nothing more comes: the watch stopped with the chapter
    assert len(lines) == 2, lines  # the long cell, twice: after 0.5 s and 0.3 s later
    assert SOON.sub("still running after 0 s", lines[0]) == (
        '[2/5] 09-bias: still running after 0 s: cell 2 of 3, section "Many parameters, few '
        'events": # the bootstrap'
    )
    assert all(line.startswith("[2/5] 09-bias: still running after ") for line in lines)
    assert all(
        line.endswith('cell 2 of 3, section "Many parameters, few events": # the bootstrap')
        for line in lines
    )


def test_the_watch_stops_with_the_cell():
    nb = _notebook("import time", "md:## Later", "z = 3")
    lines = []
    watch = runner._CellWatch("[1/1] 01-a", nb, lines.append, after=0.3)
    watch.cell_execute(nb.cells[0], 0)
    watch.cell_done(cell=nb.cells[0], cell_index=0, execute_reply={})
    watch.cell_execute(nb.cells[2], 2)
    watch.stop()  # a failure or an interruption ends the chapter
    time.sleep(0.6)
    assert lines == []


def test_elapsed_reads_as_minutes_past_a_minute():
    assert [runner._elapsed(s) for s in (0.4, 59.9, 60, 185.5)] == [
        "0 s",
        "59 s",
        "1 min 00 s",
        "3 min 05 s",
    ]


def test_papermill_hands_the_hooks_to_the_kernel_client(tmp_path):
    """The hooks reach nbclient through papermill's engine arguments (as ``run_book`` passes
    them): a cell sleeping past the threshold is named while it runs, in a real kernel."""
    nb = _notebook("md:## Waiting", "import time\ntime.sleep(1.5)", "done = True")
    lines = []
    watch = runner._CellWatch("[1/1] 01-a", nb, lines.append, after=0.5, every=30)
    try:
        papermill.execute_notebook(
            nb, str(tmp_path / "out.ipynb"), progress_bar=False, log_output=False,
            kernel_manager_class=runner._quiet_kernel_manager(tmp_path), **watch.hooks(),
        )  # fmt: skip
    finally:
        watch.stop()
    assert [SOON.sub("still running after 0 s", line) for line in lines] == [
        '[1/1] 01-a: still running after 0 s: cell 1 of 2, section "Waiting": import time'
    ]


def test_run_book_watches_each_chapter(tmp_path, monkeypatch):
    """``run_book`` hands every chapter's execution a watch whose notices go to its log."""
    chapters = tmp_path / "chapters"
    chapters.mkdir()
    (chapters / "02-b.md").write_text(CHAPTER_B, encoding="utf-8")
    cohort = write(tmp_path, enough_rows(), name="mine.csv")
    seen = {}

    def execute_notebook(nb, out, **kwargs):  # nbclient's calls up to the second code cell
        seen.update(kwargs)
        second = [i for i, c in enumerate(nb.cells) if c.cell_type == "code"][1]
        for index, cell in enumerate(nb.cells[: second + 1]):
            kwargs["on_cell_start"](cell=cell, cell_index=index)
        kwargs["on_cell_execute"](cell=nb.cells[second], cell_index=second)
        time.sleep(0.5)
        raise RuntimeError("stop here")  # nothing is published; the run cleans up

    monkeypatch.setattr(papermill, "execute_notebook", execute_notebook)
    monkeypatch.setattr(runner, "_SLOW_CELL_AFTER", 0.1)
    log = io.StringIO()
    with pytest.raises(RuntimeError, match="stop here"):
        runner.run_book(
            cohort, tmp_path / "reports" / "r", chapters_dir=chapters, progress=False, log=log
        )
    assert {"on_cell_start", "on_cell_execute", "on_cell_executed"} <= set(seen)
    assert SOON.sub("still running after 0 s", log.getvalue()).splitlines() == [
        "[1/1] 02-b",
        '[1/1] 02-b: still running after 0 s: cell 2 of 3, section "Chapter B": import os',
    ]
    assert not (tmp_path / "reports" / "r").exists()
