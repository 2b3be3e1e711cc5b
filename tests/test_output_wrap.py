"""Printed messages that are sentences wrap inside the text column (book.css, cells tagged
``wrap-output``), without building the book.

Chapter 10's validator output was 1,751 px wide in the 757 px text column at 1366 px, and the
part of each message that says what to do ("[write M (male) or F …]") was off-screen. Here the
cell's printed output, from the golden notebook, is laid out in Chromium with the book's
stylesheets in a 757 px column, with the classes MyST-NB gives the cell (``cell`` and
``tag_<tag>`` for each of its tags) and the theme's ``pre`` (14 px monospace, scrolling
sideways). On the built book at 1366 px the two outputs were 1,751 and 833 px wide in 757.
"""

from __future__ import annotations

import html

import nbformat
import pytest

from analysis import REPO_ROOT

STATIC = REPO_ROOT / "book" / "_static"
GOLDEN = REPO_ROOT / "chapters" / "10-your-cohort.ipynb"
COLUMN_PX = 757  # the text column at 1366 px (pydata-sphinx-theme, measured on the built book)

#: The code cells whose printed lines are messages: a piece of each cell's code.
MESSAGE_CELLS = {
    "validator": "load_cohort(path, min_patients=MIN_PATIENTS)",
    "-p refusals": "check_parameter_values(bad, discover_chapters())",
}


def _cell(marker: str) -> nbformat.NotebookNode:
    nb = nbformat.read(GOLDEN, as_version=4)
    (cell,) = [c for c in nb.cells if c.cell_type == "code" and marker in c.source]
    return cell


def _page(cell: nbformat.NotebookNode) -> str:
    text = "".join(o["text"] for o in cell.outputs if o.get("output_type") == "stream")
    assert text.strip(), "the cell prints nothing"
    tags = " ".join(f"tag_{t.replace(' ', '_')}" for t in cell.metadata.get("tags", []))
    css = "".join(
        (STATIC / name).read_text(encoding="utf-8") for name in ("book.css", "tables.css")
    )
    return f"""<!doctype html><html><head><style>
    pre {{ overflow: auto; font: 14px ui-monospace, "DejaVu Sans Mono", monospace; }}
    {css}</style></head><body>
    <article class="bd-article" style="width: {COLUMN_PX}px">
    <div class="cell {tags} docutils container"><div class="cell_output docutils container">
    <div class="output stream highlight-myst-ansi notranslate"><div class="highlight">
    <pre>{html.escape(text)}</pre></div></div></div></div></article></body></html>"""


@pytest.mark.parametrize("what", sorted(MESSAGE_CELLS))
def test_messages_wrap_inside_the_column(browser, what):
    cell = _cell(MESSAGE_CELLS[what])
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    try:
        page.set_content(_page(cell))
        widths = page.evaluate(
            "() => { const pre = document.querySelector('pre');"
            " return [pre.scrollWidth, pre.clientWidth, getComputedStyle(pre).whiteSpace]; }"
        )
    finally:
        page.close()
    scroll, client, white_space = widths
    assert scroll <= client + 1, f"{what}: {scroll} px of text in {client} px ({white_space})"
    assert "wrap-output" in cell.metadata.get("tags", []), what


def test_a_printed_table_keeps_its_lines(browser):
    """Untagged output (a printed data frame) still scrolls on a wide screen: the rule is the
    tag's alone."""
    cell = nbformat.v4.new_code_cell(metadata={"tags": ["hide-input"]})
    cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text="x " * 400 + "\n")]
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    try:
        page.set_content(_page(cell))
        white_space = page.evaluate(
            "() => getComputedStyle(document.querySelector('pre')).whiteSpace"
        )
    finally:
        page.close()
    assert white_space == "pre"
