"""The code a reader sees in chapters 08 and 09 runs when pasted into a new notebook.

Review: visible cells used names defined only in removed cells (chapter 08: ``n``, ``math``,
``paper``; chapter 09: ``fmt_hr``, ``fmt_p``, ``n``), so copying them gave a ``NameError``. Here
the cells a reader can see or unfold (every code cell but those tagged ``remove-cell`` or
``remove-input``; ``hide-input`` cells are one click away) run in order in a fresh namespace,
after the ``parameters`` cell, exactly as written. Chapter 09's simulation and bootstrap are run
with a few repetitions, which changes their numbers, not the names the cells need.
"""

from __future__ import annotations

import ast
import builtins
from pathlib import Path
from unittest import mock

import jupytext
import matplotlib
import pytest

ROOT = Path(__file__).resolve().parent.parent
HIDDEN = {"remove-cell", "remove-input"}
#: quicker settings of a chapter's parameters (the names the cells need do not depend on them)
QUICK = {"08-audit": {}, "09-bias": {"n_simulations": 4, "n_bootstrap": 4}}


def copyable_cells(stem: str) -> list[str]:
    """The source of the chapter's ``parameters`` cell, then of every code cell a reader sees."""
    cells = [
        c for c in jupytext.read(ROOT / "chapters" / f"{stem}.md").cells if c.cell_type == "code"
    ]
    out = []
    for cell in cells:
        tags = set(cell.metadata.get("tags", []))
        if "parameters" in tags or not tags & HIDDEN:
            out.append(cell.source)
    return out


def undefined_names(sources: list[str]) -> list[str]:
    """Names the cells read before any of them (or an import, a loop, a function) binds them:
    a static check that needs no execution, so it also covers cells a test run does not reach."""
    bound = set(dir(builtins))
    missing = []
    for i, source in enumerate(sources):
        tree = ast.parse(source)
        for node in ast.walk(tree):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                bound |= {(a.asname or a.name).split(".")[0] for a in node.names}
            elif isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
                bound.add(node.id)
            elif isinstance(node, (ast.FunctionDef, ast.ClassDef)):
                bound.add(node.name)
            elif isinstance(node, ast.arg):
                bound.add(node.arg)
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Name)
                and isinstance(node.ctx, ast.Load)
                and node.id not in bound
            ):
                missing.append(f"cell {i}: {node.id}")
    return missing


@pytest.mark.parametrize("stem", sorted(QUICK))
def test_visible_cells_name_only_what_visible_cells_define(stem: str):
    assert undefined_names(copyable_cells(stem)) == []


@pytest.mark.parametrize("stem", sorted(QUICK))
def test_visible_cells_run_in_a_fresh_namespace(stem: str):
    sources = copyable_cells(stem)
    namespace: dict = {"__name__": "__main__"}
    with matplotlib.rc_context(), mock.patch("analysis.book.glue"):  # glue needs a kernel
        matplotlib.use("Agg")
        for i, source in enumerate(sources):
            exec(compile(source, f"<{stem} cell {i}>", "exec"), namespace)  # noqa: S102
            if i == 0:  # the parameters cell
                namespace.update(QUICK[stem])
        matplotlib.pyplot.close("all")
    # every cell ran: the names the last one binds are there
    last = {
        target.id
        for node in ast.parse(sources[-1]).body
        if isinstance(node, ast.Assign)
        for target in node.targets
        if isinstance(target, ast.Name)
    }
    assert last
    assert last <= set(namespace), sorted(last - set(namespace))


def test_the_static_check_finds_a_name_from_a_hidden_cell():
    found = undefined_names(["import math\nx = math.pi", "print(fmt_hr(x), n)"])
    assert sorted(found) == ["cell 1: fmt_hr", "cell 1: n"]
    assert undefined_names(["def f(a):\n    return a", "f(1)", "[k for k in range(2)]"]) == []
