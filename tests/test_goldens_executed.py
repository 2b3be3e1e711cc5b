"""The golden notebooks against the book's own execution of the chapters (what nbval checked).

``make test`` builds the book, which executes every chapter in a fresh kernel (MyST-NB with
jupyter-cache, the execution keyed on the chapter's code and on the ``analysis`` modules and
``data/`` files it uses: book/_ext/analysis_deps.py appends a hidden cell holding their hash).
nbval executed every golden notebook a second time only to compare its outputs with the stored
ones; here the book's execution, as the kernel returned it (the cache's copy: MyST-NB changes the
one it writes to ``_build/jupyter_execute/`` when it merges streams and moves glued values out),
is compared with them instead, cell by cell, by nbval's own rules: its ``compare_outputs`` (every
output key and MIME type but images, metadata, tracebacks and execution counts), its stream
coalescing, the sanitizing patterns of tests/sanitize.cfg, its cell markers
(``NBVAL_IGNORE_OUTPUT``, ``NBVAL_SKIP``…), and no error output unless a cell is marked as
raising. The execution compared is the one of the chapter's current code, package and data (the
hidden cell's hash is recomputed here), and that the golden's cells are the chapter's is
tests/test_goldens.py.
"""

from __future__ import annotations

import copy
import importlib.util
import re
from pathlib import Path

import nbformat
import pytest
from nbval.plugin import (
    IPyNbCell,
    coalesce_streams,
    find_comment_markers,
    find_metadata_tags,
    get_sanitize_patterns,
)

ROOT = Path(__file__).resolve().parent.parent
EXECUTED = ROOT / "_build" / "jupyter_execute" / "chapters"
CACHE = ROOT / "_build" / ".jupyter_cache"
GOLDENS = sorted((ROOT / "chapters").glob("[0-9][0-9]-*.ipynb"))
#: the hidden cell book/_ext/analysis_deps.py appends to key the execution cache (not a chapter's)
DEPENDENCY_KEY = "# dependency key of analysis/ and data/: "
PATTERNS = dict(get_sanitize_patterns((Path(__file__).parent / "sanitize.cfg").read_text()))
#: nbval's output keys left out of the comparison (its defaults without --nbdime)
SKIP_COMPARE = (
    "metadata", "traceback", "prompt_number", "output_type", "name", "execution_count",
    "application/vnd.jupyter.widget-view+json", "image/png", "image/jpeg",
)  # fmt: skip

pytestmark = pytest.mark.book


class _Colors:
    OKBLUE = FAIL = ENDC = ""


class _Comparer:
    """What :meth:`nbval.plugin.IPyNbCell.compare_outputs` reads of a cell and its notebook."""

    colors = _Colors()

    def __init__(self) -> None:
        self.parent = type("Notebook", (), {"skip_compare": SKIP_COMPARE})()
        self.comparison_traceback: list[str] = []

    def sanitize(self, s):
        if not isinstance(s, str):
            return s
        for regex, replace in PATTERNS.items():
            s = re.sub(regex, replace, s)
        return s

    def format_output_compare(self, key, left, right) -> None:
        self.comparison_traceback.append(
            f"{key!r}:\n  golden: {left!r:.800}\n  now: {right!r:.800}"
        )

    def compare(self, test, ref) -> bool:
        # nbval coalesces both (its coalesce_streams changes the first stream output in place)
        test, ref = coalesce_streams(copy.deepcopy(test)), coalesce_streams(copy.deepcopy(ref))
        return IPyNbCell.compare_outputs(self, test, ref)


def _options(cell) -> dict:
    options = {"check": True, "check_exception": False, "skip": False}
    options.update(find_comment_markers(cell.source))
    options.update(find_metadata_tags(cell.metadata))
    return options


def _dependency_key(md: Path) -> str:
    spec = importlib.util.spec_from_file_location(
        "analysis_deps", ROOT / "book/_ext/analysis_deps.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.dependency_key(md.read_text(encoding="utf-8"))[0]


def _book_execution(golden: Path):
    """The cache's notebook of the book's execution of ``golden``'s chapter, and its hash cell."""
    from jupyter_cache import get_cache

    executed = EXECUTED / golden.name
    assert executed.is_file(), f"{executed} missing: the book did not execute {golden.stem}"
    record = get_cache(str(CACHE)).match_cache_notebook(nbformat.read(executed, as_version=4))
    return get_cache(str(CACHE)).get_cache_bundle(record.pk).nb


def _code_cells(nb) -> list:
    return [c for c in nb.cells if c.cell_type == "code"]


@pytest.mark.parametrize("golden", GOLDENS, ids=[p.stem for p in GOLDENS])
def test_book_execution_reproduces_the_golden_outputs(built, golden: Path):
    nb = _book_execution(golden)
    ref_cells, test_cells = _code_cells(nbformat.read(golden, as_version=4)), _code_cells(nb)
    *test_cells, key_cell = test_cells
    # executed with today's package and data, not an older build's
    assert key_cell.source == DEPENDENCY_KEY + _dependency_key(golden.with_suffix(".md")), (
        f"{golden.stem}: the book's execution is of other analysis/ or data/ files: rebuild it"
    )
    assert [c.source for c in test_cells] == [c.source for c in ref_cells], (
        f"{golden.name}: the book executed other cells than the golden's (make goldens)"
    )
    for number, (ref, test) in enumerate(zip(ref_cells, test_cells, strict=True), start=1):
        options = _options(ref)
        if options["skip"]:
            continue
        errors = [o for o in test.outputs if o.output_type == "error"]
        assert not errors or options["check_exception"], (
            f"{golden.name} code cell {number} raised: {errors[0].ename}: {errors[0].evalue}"
        )
        if not options["check"] or ref.execution_count is None:
            continue
        comparer = _Comparer()
        assert comparer.compare(test.outputs, ref.outputs), (
            f"{golden.name} code cell {number}: outputs differ\n"
            + "\n".join(comparer.comparison_traceback)
        )


def test_the_comparison_sees_a_changed_output():
    # the comparison itself: a golden's outputs equal themselves, and one more character in any
    # text output is caught
    cells = [c for c in _code_cells(nbformat.read(GOLDENS[0], as_version=4)) if c.outputs]
    assert cells
    for cell in cells:
        ref = cell.outputs
        assert _Comparer().compare(ref, ref)
        changed = copy.deepcopy(ref)
        for out in changed:
            for key, value in out.get("data", {}).items():
                if isinstance(value, str) and "text/" in key:
                    out["data"][key] = value + "1"
            if "text" in out:
                out["text"] += "1"
        assert not _Comparer().compare(changed, ref)
