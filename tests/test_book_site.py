"""book/_ext/book_site.py: how the columns of a table are named for the stylesheets."""

from __future__ import annotations

import sys
from pathlib import Path

from docutils.core import publish_doctree

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "book" / "_ext"))
import book_site  # noqa: E402

REASON = (
    "HR and 95% CI fit one Wald row, and with them P 0.97 (printed 0.96, 0.41 of a last digit "
    "away, which is this P truncated instead of rounded)"
)


def test_numbers_and_intervals_make_a_numeric_column():
    cells = ["0.003", "< 0.001", "1,075", "−0.3", "12.5 %", "1.112–6.396", "0.996 (0.975–1.017)"]
    assert book_site.column_classes([cells + ["–", ""]]) == ["num"]


def test_words_sentences_and_empty_columns():
    kinds = book_site.column_classes(
        [["P", "HR", "95% CI"], ["no", "yes", "–"], [REASON, REASON, "–"], ["", "", ""]]
    )
    assert kinds == [None, None, "long-text", None]


def test_one_long_cell_makes_a_text_column():
    """Table 2.6: definitions averaging 57 characters, one of 109, were squeezed to 8 em."""
    assert book_site.column_classes([["Vp1", "Vp2", "x" * 109]]) == ["long-text"]
    assert book_site.column_classes([["Vp1", "Vp2", "x" * 99]]) == [None]


def test_table_gets_one_class_per_marked_column():
    doctree = publish_doctree(
        f"""
========  =======  =====
Variable  Printed  Reason
========  =======  =====
Sex       0.96     {REASON}
Albumin   0.003    {REASON}
========  =======  =====
"""
    )
    book_site.mark_table_columns(None, doctree, "x")
    book_site.mark_table_columns(None, doctree, "x")  # twice: no class repeated
    (table,) = doctree.findall(lambda n: n.tagname == "table")
    assert table["classes"] == ["num-col-2", "long-col-3"]


def test_a_table_with_spanning_cells_is_left_alone():
    doctree = publish_doctree(
        """
+---------+---------+
| Printed | Printed |
+=========+=========+
| spans both columns|
+---------+---------+
| 0.96    | 0.003   |
+---------+---------+
"""
    )
    book_site.mark_table_columns(None, doctree, "x")
    (table,) = doctree.findall(lambda n: n.tagname == "table")
    assert table["classes"] == []


def test_a_badge_counts_by_its_word_not_its_markup():
    """A provenance badge is raw HTML with a long title: 88 characters of source, one word shown
    (Table 6.1's badge column was taken for sentences)."""
    badge = (
        '<sup class="provenance provenance-published" '
        'title="printed in the paper; the synthetic cohort is calibrated to it">published</sup>'
    )
    doctree = publish_doctree(
        "========  =====\nMedian    Class\n========  =====\n9.9       |b|\n10.1      |b|\n"
        "========  =====\n\n.. |b| raw:: html\n\n   " + badge + "\n"
    )
    book_site.mark_table_columns(None, doctree, "x")
    (table,) = doctree.findall(lambda n: n.tagname == "table")
    assert table["classes"] == ["num-col-1"]
