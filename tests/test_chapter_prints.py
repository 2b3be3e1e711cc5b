"""Every ``print`` in a chapter's code writes one string.

``print(a, "—", b)`` writes its arguments and separators one after another, and the kernel may
flush stdout between two writes: two builds of the same chapter then split the stream in
different places (a fresh build of chapter 8 broke a line differently from the one before).
The book merges streams (``nb_merge_streams``) and so do the goldens, but the chapters write
one f-string per ``print`` so the output does not depend on that.
"""

from __future__ import annotations

import ast
from pathlib import Path

import jupytext
import pytest

ROOT = Path(__file__).resolve().parent.parent
CHAPTERS = sorted((ROOT / "chapters").glob("[0-9][0-9]-*.md"))


def several_argument_prints(source: str) -> list[str]:
    """The ``print(...)`` calls of ``source`` with more than one positional argument (or a
    ``*args``), as written; source that is not Python (a cell of magics) has none."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []
    return [
        ast.get_source_segment(source, node) or "print(...)"
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "print"
        and (len(node.args) > 1 or any(isinstance(a, ast.Starred) for a in node.args))
    ]


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_each_print_writes_one_string(path: Path):
    cells = [c for c in jupytext.read(path).cells if c.cell_type == "code"]
    found = [
        f"cell {n}: {call}"
        for n, c in enumerate(cells)
        for call in several_argument_prints(c.source)
    ]
    assert found == [], (
        f"{path.name}: print with several arguments (write one f-string):\n" + "\n".join(found)
    )


def test_the_scan_finds_several_arguments_and_skips_magics():
    assert several_argument_prints('print(a, "—", b)\nprint(f"{a} — {b}")') == ['print(a, "—", b)']
    assert several_argument_prints("print(*rows)") == ["print(*rows)"]
    assert several_argument_prints('print("x", end="")\nprint()') == []
    assert several_argument_prints("%timeit print(a, b)") == []
