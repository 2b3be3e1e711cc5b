"""Chapter 06 after the hostile review of session 21 (/tmp/h32/REVIEW.md, items 2, 4, 5, 12, 13
and 15): what the golden notebook shows and what the chapter's source says."""

from __future__ import annotations

from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
STEM = "06-survival"


def _golden() -> nbformat.NotebookNode:
    return nbformat.read(ROOT / "chapters" / f"{STEM}.ipynb", as_version=4)


def _tags(cell) -> list[str]:
    return cell.metadata.get("tags", [])


def _stream(cell) -> str:
    return "".join(
        "".join(o["text"]) for o in cell.get("outputs", []) if o.get("output_type") == "stream"
    )


def test_the_counts_of_6_1_come_from_one_short_visible_call():
    """Review item 4: §6.1 printed "82 patients, 68 deaths, 14 censored" from nine lines of
    privacy.glued_counts; one call of the package gives the counts as a page may print them."""
    nb = _golden()
    cell = next(c for c in nb.cells if c.cell_type == "code" and " censored" in _stream(c))
    assert not _tags(cell), _tags(cell)  # visible
    assert _stream(cell).strip() == "82 patients, 68 deaths, 14 censored"
    lines = [line for line in cell.source.splitlines() if line.strip()]
    assert len(lines) <= 3, lines
    assert "survival_counts(" in cell.source and "glued_counts" not in cell.source


def test_a_printed_handout_shows_no_bookkeeping_of_tables_6_1_and_6_2():
    """Review item 13: the printed chapter showed the METHOD_LABEL and METHOD_REASON dicts and
    the list that classes Table 6.1's rows (os_classes), folded cells the PDF prints. The package
    builds both tables and their classes (analysis.book.median_comparison)."""
    printed = "\n".join(
        c.source for c in _golden().cells if c.cell_type == "code" and "remove-cell" not in _tags(c)
    )
    for plumbing in (
        "METHOD_LABEL",
        "METHOD_REASON",
        "glued_counts(",
        "os_classes = [",
        "pfs_classes = [",
    ):
        assert plumbing not in printed, plumbing
    assert "book.median_comparison(" in printed
