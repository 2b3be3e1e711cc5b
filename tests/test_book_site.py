"""book/_ext/book_site.py: how the columns of a table are named for the stylesheets."""

from __future__ import annotations

import re
import sys
from pathlib import Path

from docutils.core import publish_doctree

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "book" / "_ext"))
import book_site  # noqa: E402

REASON = (
    "HR and 95% CI fit one Wald row, and with them P 0.97 (printed 0.96, 0.41 of a last digit "
    "away, consistent with this P truncated instead of rounded)"
)


def test_numbers_and_intervals_make_a_numeric_column():
    cells = ["0.003", "< 0.001", "1,075", "−0.3", "12.5 %", "1.112–6.396", "0.996 (0.975–1.017)"]
    assert book_site.column_classes([cells + ["–", ""]]) == ["num"]


def test_a_dash_with_its_note_number_keeps_the_column_numeric():
    """Table 9.1's landmark with no estimate reads "–¹" (a note says why): the hazard ratios
    beside it still split onto two lines on a phone, as with a bare dash (it was 40 px wider)."""
    assert book_site.column_classes([["–¹", "3.67 (1.50–9.00)", "–²"]]) == ["num"]
    assert book_site.column_classes([["–a", "3.67 (1.50–9.00)"]]) == [None]


def test_a_range_with_a_negative_bound_keeps_the_column_numeric():
    """Review: SPSS's interval of > 4 prior TACE now prints "−0.6 to 7.4" (no dash beside a
    minus) in Tables 1.3 and 6.3; the column stays numeric (one line on a phone), and words
    joined by "to" do not make one."""
    assert book_site.column_classes([["−0.6 to 7.4", "8.7–11.0", "−2.5 to −0.3"]]) == ["num"]
    assert book_site.column_classes([["−0.6 to 7.4", "up to 3"]]) == [None]


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


def test_a_column_right_aligned_in_every_cell_is_named_once_on_the_table():
    """MyST writes text-right on every cell of a right-aligned column (8 KB of chapter 7's HTML,
    which passed its 200 KB budget): such a column becomes right-col-N on the table, cells
    without the class; a column right-aligned in some cells only keeps them."""
    doctree = publish_doctree(
        "========  =======  =====\nVariable  Printed  Note\n========  =======  =====\n"
        "Sex       0.96     a\nAlbumin   0.003    b\n========  =======  =====\n"
    )
    (table,) = doctree.findall(lambda n: n.tagname == "table")
    rows = [r for r in table.findall(lambda n: n.tagname == "row") if r.parent.tagname == "tbody"]
    for i, row in enumerate(rows):
        row.children[1]["classes"].append("text-right")
        if i == 0:
            row.children[2]["classes"].append("text-right")
    book_site.mark_table_columns(None, doctree, "x")
    book_site.mark_table_columns(None, doctree, "x")  # twice: no class repeated
    assert table["classes"] == ["right-col-2", "num-col-2"]
    assert [r.children[1]["classes"] for r in rows] == [[], []]
    assert [r.children[2]["classes"] for r in rows] == [["text-right"], []]
    css = (Path(__file__).resolve().parents[1] / "book" / "_static" / "tables.css").read_text(
        encoding="utf-8"
    )
    assert ".bd-article table.right-col-12 td:where(:nth-child(12))" in css


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


def test_references_get_the_number_their_heading_prints():
    """book_site.number_references: a {ref} to a section of the page, to another chapter and to a
    section of it carries, for print, the number of this build's contents after its words ("How
    the checks work (§8.3)", bracketed inside parentheses), never before them ("8.1.7. chapter
    08" was printed in a sentence); none for the page's own title, an unnumbered page, a label
    that is no heading, or words that already name the chapter."""
    from types import SimpleNamespace

    from docutils import nodes

    doctree = publish_doctree(
        "Data\n====\n\nIntro.\n\nTypical?\n--------\n\nText.\n",
        settings_overrides={"doctitle_xform": False, "report_level": 5},
    )
    doctree.next_node(nodes.section)["ids"].append("ch-data")
    inner = list(doctree.findall(nodes.section))[1]
    inner["ids"].append("data-typical")
    env = SimpleNamespace(
        docname="chapters/01-data",
        all_docs={"chapters/01-data": 0, "chapters/08-audit": 0, "book/glossary": 0},
        book_section_anchors={"chapters/08-audit": {"ch-audit": "", "audit-cp": "#worse"}},
        toc_secnumbers={
            "chapters/01-data": {"": (1,), "#typical": (1, 7)},
            "chapters/08-audit": {"": (8,), "#worse": (8, 1, 8)},
        },
        # a page read by an older build's environment: its sections are looked up once
        get_doctree=lambda name: publish_doctree("Glossary\n========\n"),
    )
    app = SimpleNamespace(env=env, builder=SimpleNamespace(format="html"))
    book_site.record_section_anchors(app, doctree)

    def ref(text="title", **target):
        shown = nodes.inline("", text, classes=["std", "std-ref"])
        return nodes.reference("", "", shown, internal=True, **target)

    refs = [
        ref(refid="data-typical"),
        ref(refid="ch-data"),
        ref(refuri="08-audit.html#ch-audit"),
        ref(refuri="08-audit.html#audit-cp"),
        ref(refuri="../book/glossary.html#term-HCC"),
        ref(refid="not-a-heading"),
        ref("chapter 8", refuri="08-audit.html#ch-audit"),
    ]
    inside = [
        ref("chapter 8", refuri="08-audit.html#audit-cp"),
        ref(refuri="08-audit.html#ch-audit"),
    ]
    doctree += nodes.paragraph("", "", *refs)
    doctree += nodes.paragraph(
        "",
        "",
        nodes.Text("see ("),
        inside[0],
        nodes.Text(") and (as in "),
        inside[1],
        nodes.Text(")"),
    )
    book_site.number_references(app, doctree, "chapters/01-data")
    printed = [r.astext() for r in refs + inside]
    assert printed == [
        "title (§1.7)",
        "title",
        "title (chapter 8)",
        "title (§8.1.8)",
        "title",
        "title",
        "chapter 8",
        "chapter 8 [§8.1.8]",
        "title [chapter 8]",
    ]
    # the number is the link's last part, shown on paper only (book.css)
    assert all(r[-1]["classes"] == ["print-secnum"] for r in refs + inside if len(r) > 1)


def test_an_estimate_may_break_before_its_interval():
    """A numeric cell "0.957 (0.509–1.800)" may break before its "(" on a phone, and nowhere
    else: the interval goes into span.ci (which does not wrap, tables.css) and the cell is marked
    "ci". An interval alone, a P value and a word column are left as they are."""
    from docutils import nodes

    doctree = publish_doctree(
        """
=========  ===================  ===========  ======  =============
Variable   HR (95% CI)          Range        P       Label
=========  ===================  ===========  ======  =============
Sex        0.957 (0.509–1.800)  1.9–21.4     0.70    sex (female)
Albumin    75 (91.5)            0.071–0.865  <0.001  age (years)
=========  ===================  ===========  ======  =============
"""
    )
    book_site.mark_table_columns(None, doctree, "x")
    book_site.mark_table_columns(None, doctree, "x")  # twice: nothing split again
    (table,) = doctree.findall(nodes.table)
    assert table["classes"] == ["num-col-2", "num-col-3", "num-col-4"]
    rows = list(doctree.findall(nodes.row))[1:]
    cells = [[e for e in r.children] for r in rows]
    marked = [[("ci" in e["classes"]) for e in r] for r in cells]
    assert marked == [[False, True, False, False, False]] * 2
    spans = [e.astext() for e in doctree.findall(nodes.inline) if "ci" in e["classes"]]
    assert spans == ["(0.509–1.800)", "(91.5)"]
    assert [r[1].astext() for r in cells] == ["0.957 (0.509–1.800)", "75 (91.5)"]


def test_a_median_its_iqr_and_its_range_take_a_line_each_on_a_phone():
    """Table 4.2 shows "59.5 (53.0–70.0) [34.0–83.0]" in one column (a sixth column had kept it
    486 px wide at 390 px): a numeric column, and the cell may break before the "(" and before
    the "[" only; the interval and the range each stay whole (span.ci)."""
    from docutils import nodes

    assert book_site.column_classes(
        [
            [
                "59.5 (53.0–70.0) [34.0–83.0]",
                "1,075.0 (131.8–3,580.8) [5.0–88,655.0]",
                "55.0 (hidden) [hidden]",
            ]
        ]
    ) == ["num"]
    assert book_site.column_classes([["59.5 [34.0–83.0] (53.0–70.0)"]]) == [None]
    doctree = publish_doctree(
        """
=========  ======================================
Variable   median (IQR) [min–max]
=========  ======================================
AFP        1,075.0 (131.8–3,580.8) [5.0–88,655.0]
Age        55.0 (hidden) [hidden]
=========  ======================================
"""
    )
    book_site.mark_table_columns(None, doctree, "x")
    book_site.mark_table_columns(None, doctree, "x")  # twice: nothing split again
    spans = [e.astext() for e in doctree.findall(nodes.inline) if "ci" in e["classes"]]
    assert spans == ["(131.8–3,580.8)", "[5.0–88,655.0]", "(hidden)", "[hidden]"]
    cells = [r.children[1] for r in list(doctree.findall(nodes.row))[1:]]
    assert all("ci" in c["classes"] for c in cells)
    assert [c.astext() for c in cells] == [
        "1,075.0 (131.8–3,580.8) [5.0–88,655.0]",
        "55.0 (hidden) [hidden]",
    ]


def test_tables_outside_the_numbered_chapters_get_no_number():
    """The home page's table keeps its caption but not the "Table 1" Sphinx gave it (the paper's
    Table 1 is named on the same page); a chapter's tables and figures, and the home page's
    figures, keep their numbers."""
    from types import SimpleNamespace

    env = SimpleNamespace(
        toc_fignumbers={
            "book/intro": {"table": {"id2": (1,)}, "figure": {"id3": (1,)}},
            "chapters/04-baseline": {"table": {"tbl-base-skewed": (4, 2)}},
        },
        toc_secnumbers={"chapters/04-baseline": {"": (4,)}, "book/intro": {}},
    )
    assert book_site.unnumber_tables_outside_chapters(None, env) == []
    assert env.toc_fignumbers == {
        "book/intro": {"figure": {"id3": (1,)}},
        "chapters/04-baseline": {"table": {"tbl-base-skewed": (4, 2)}},
    }


def test_a_verdict_mark_after_a_value_keeps_the_column_numeric_and_splittable():
    """Tables 1.4 and 7.1 put ✓ or ✗ (with its note's number) after this cohort's value: the column
    stays numeric (one line per number on a phone), and "1.114 ✗¹³ (1.023–1.213)" still breaks
    before its "(" only, the mark kept with its value, so the cell is no wider than before."""
    from docutils import nodes

    cells = ["0.996 ✓", "0.267 ✗¹", "1.114 ✗¹³ (1.023–1.213)", "1.086 ✓ (1.007–1.172)"]
    assert book_site.column_classes([cells]) == ["num"]
    assert book_site.column_classes([["0.267 ✗ x"]]) == [None]
    doctree = publish_doctree(
        """
========  =======================
Variable  Implied
========  =======================
TACE      1.114 ✗¹³ (1.023–1.213)
Age       0.996 ✓ (0.975–1.017)
========  =======================
"""
    )
    book_site.mark_table_columns(None, doctree, "x")
    spans = [e.astext() for e in doctree.findall(nodes.inline) if "ci" in e["classes"]]
    assert spans == ["(1.023–1.213)", "(0.975–1.017)"]
    cells = [r.children[1] for r in list(doctree.findall(nodes.row))[1:]]
    assert [c.astext() for c in cells] == [
        "1.114\u00a0✗¹³ (1.023–1.213)",
        "0.996\u00a0✓ (0.975–1.017)",
    ]


def test_a_paper_row_is_marked_to_stay_with_its_reproduced_row():
    """Review: printed, "PIVKA-II (ng/mL): per ng/mL — paper" ended one sheet of Table 7.5 and
    its "↳ this cohort" row began the next. The paper row of each pair is marked ``pair-first``
    (kept with the next row on paper by tables.css); a row not followed by its own is not."""
    doctree = publish_doctree(
        """
====================================  =====
Variable                              HR
====================================  =====
PIVKA-II (ng/mL): per ng/mL — paper   1
↳ this cohort                         1
Albumin > 3 g/dL (reference) — paper  1
Sex                                   0.96
====================================  =====
"""
    )
    book_site.keep_row_pairs(None, doctree, "x")
    book_site.keep_row_pairs(None, doctree, "x")  # twice: no class repeated
    rows = list(doctree.findall(lambda n: n.tagname == "row"))[1:]  # the body's
    assert [r["classes"] for r in rows] == [["pair-first"], [], [], []]
    css = (Path(__file__).resolve().parents[1] / "book" / "_static" / "tables.css").read_text()
    print_rules = css.split("@media print {", 1)[1]
    assert "tr.pair-first {\n    break-after: avoid;" in print_rules


def test_printed_badge_legend_gives_one_line_per_meaning_and_explains_the_marks():
    """Review: the printed legend read "The badges beside numbers: published, printed in the
    paper; the synthetic cohort is calibrated to it; determined, not printed, or ...; follows
    from ..." (definitions separated by semicolons that they contain themselves) and never said
    what the ✓ or ✗ of "published ✗" (chapter 9) means. Each meaning is its own line now
    (span.legend-item, book.css), the marks one of them."""
    from bs4 import BeautifulSoup

    from analysis.provenance import CLASSES, MEANINGS

    legend = BeautifulSoup(book_site.legend_html(' data-legend="01-data.html#x"'), "html.parser")
    p = legend.select_one("p.provenance-legend")
    assert p["data-legend"] == "01-data.html#x"
    items = [span.get_text() for span in p.select("span.legend-item")]
    assert items[0] == f"published: {MEANINGS['published']}."
    assert items[1] == (
        "✓ or ✗ after “published”: this cohort reproduces the printed number (✓) or does not (✗)."
    )
    assert [item.split(":")[0] for item in items] == [CLASSES[0], "✓ or ✗ after “published”",
                                                       *CLASSES[1:]]  # fmt: skip
    # the lines are separate elements: no definition is joined to the next by a semicolon
    assert all(not item.rstrip(".").endswith(";") for item in items)
    assert "; <strong>" not in str(p)


def test_a_value_joined_to_its_mark_by_a_no_break_space_still_breaks_before_its_interval():
    """Table cells keep U+00A0 (chapter 2's rule labels): Table 7.1's "1.011\xa0✗¹ (1.007–1.014)"
    no longer matched, lost its break before "(" and made the table 584 px wide on a 390 px
    phone (226 px too wide)."""
    from docutils import nodes

    entry = nodes.entry("", nodes.paragraph("", "", nodes.Text("1.011\u00a0✗¹ (1.007–1.014)")))
    book_site.split_interval(entry)
    assert "ci" in entry["classes"]
    para = entry.children[0]
    assert para.children[0].astext() == "1.011\u00a0✗¹ "
    assert [n.astext() for n in para.findall(nodes.inline)] == ["(1.007–1.014)"]


def test_external_links_print_their_address_after_their_words():
    """Review: the printed how-to page showed "papermill" with no address (the print CSS hides
    the theme's URLs, a.k.a. ``a[href]::after``); book_site.print_addresses adds the address
    after the words, for print only, unless the words already show it (a DOI in the
    bibliography). Internal links keep their section numbers (number_references)."""
    from types import SimpleNamespace

    from docutils import nodes

    def link(text, uri, **extra):
        return nodes.reference("", text, refuri=uri, **extra)

    links = [
        link("papermill", "https://papermill.readthedocs.io"),
        link("doi:10.21037/jgo-23-1006", "https://doi.org/10.21037/jgo-23-1006"),
        link("https://example.org/a", "https://example.org/a"),
        link("the glossary", "../book/glossary.html", internal=True),
        link("mail", "mailto:someone@example.org"),
    ]
    doctree = publish_doctree("Text.\n", settings_overrides={"report_level": 5})
    doctree += nodes.paragraph("", "", *links)
    app = SimpleNamespace(builder=SimpleNamespace(format="html"))
    book_site.print_addresses(app, doctree, "book/how-to-use")
    assert [r.astext() for r in links] == [
        "papermill (https://papermill.readthedocs.io)",
        "doi:10.21037/jgo-23-1006",
        "https://example.org/a",
        "the glossary",
        "mail",
    ]
    assert links[0][-1]["classes"] == ["print-url"]
    css = (Path(__file__).resolve().parents[1] / "book" / "_static" / "book.css").read_text(
        encoding="utf-8"
    )
    assert ".bd-article .print-url { display: inline;" in css
    assert ".print-secnum, .print-url { display: none; }" in css


def test_the_root_redirect_names_the_books_icon(tmp_path):
    """Review: the root index.html (sphinx-external-toc's bare redirect) made the browser ask for
    /favicon.ico, a 404 in the console; book_site writes it with a link to the book's icon."""
    from types import SimpleNamespace

    (tmp_path / "_static").mkdir()
    (tmp_path / "_static" / "favicon.svg").write_text("<svg/>", encoding="utf-8")
    config = SimpleNamespace(
        master_doc="book/intro", html_favicon="book/_static/favicon.svg", html_title="HAIC"
    )
    app = SimpleNamespace(
        config=config, outdir=str(tmp_path), builder=SimpleNamespace(format="html")
    )
    book_site.write_root_redirect(app, None)
    page = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert '<link rel="icon" href="_static/favicon.svg" type="image/svg+xml">' in page
    assert '<meta http-equiv="Refresh" content="0; url=book/intro.html">' in page
    (tmp_path / "_static" / "favicon.svg").unlink()  # no icon: an empty one, never /favicon.ico
    book_site.write_root_redirect(app, None)
    assert '<link rel="icon" href="data:,">' in (tmp_path / "index.html").read_text(
        encoding="utf-8"
    )


def test_the_executed_notebook_written_for_download_has_numbered_cell_ids(monkeypatch):
    """Same chapter, same .ipynb download: jupytext gives each cell a random id on every
    build; the notebook MyST-NB writes (from the cache client's executed copy) numbers them."""
    import nbformat

    def random_notebook():
        nb = nbformat.v4.new_notebook()
        nb.cells = [nbformat.v4.new_markdown_cell("# x"), nbformat.v4.new_code_cell("1 + 1")]
        return nb  # nbformat gives each cell a random id

    executed = random_notebook()
    executed.cells[1].outputs = [nbformat.v4.new_output("execute_result", {"text/plain": "2"})]
    written = random_notebook()
    _write_through_the_cache_client(monkeypatch, executed, written)
    assert [cell.id for cell in written.cells] == ["cell-0", "cell-1"]
    assert written.cells[1].outputs[0]["data"]["text/plain"] == "2"


def _stream(text: str, name: str = "stdout"):
    import nbformat

    return nbformat.v4.new_output("stream", name=name, text=text)


def test_printed_lines_split_by_the_kernel_show_as_printed_and_stay_in_the_notebook(monkeypatch):
    """The kernel split a print between its line and its newline in one build and not the next:
    MyST-NB's merging showed a blank line the code never printed, and rewrote the first piece in
    place, so the downloaded notebook held the merged text and the second piece again."""
    import nbformat
    from myst_nb.core import render

    monkeypatch.setattr(render, "coalesce_streams", render.coalesce_streams)  # undone after
    book_site._merge_streams_exactly()
    pieces = [_stream("reference: 59 deaths"), _stream("\nscore 6: 2 deaths\n")]
    result = nbformat.v4.new_output("execute_result", {"text/plain": "1"})
    outputs = [*pieces, result]
    shown = render.coalesce_streams(outputs)
    assert [o["output_type"] for o in shown] == ["stream", "execute_result"]
    assert shown[0]["text"] == "reference: 59 deaths\nscore 6: 2 deaths\n"
    assert outputs == [*pieces, result] and pieces[0]["text"] == "reference: 59 deaths"
    # the same text whatever the split; stderr apart from stdout
    other = [_stream("reference: 59 deaths\nscore 6"), _stream(": 2 deaths\n")]
    assert render.coalesce_streams(other)[0]["text"] == shown[0]["text"]
    from analysis.numerics import merged_streams

    both = merged_streams([_stream("a\n"), _stream("b\n", "stderr"), _stream("c\n")])
    assert [(o["name"], o["text"]) for o in both] == [
        ("stdout", "a\n"),
        ("stderr", "b\n"),
        ("stdout", "c\n"),
    ]


def test_the_downloaded_notebook_keeps_one_stream_output_per_print_run(monkeypatch):
    import nbformat

    executed = nbformat.v4.new_notebook()
    executed.cells = [nbformat.v4.new_code_cell("print(1); print(2)")]
    executed.cells[0].outputs = [_stream("1"), _stream("\n2\n")]
    written = nbformat.v4.new_notebook()
    written.cells = [nbformat.v4.new_code_cell("print(1); print(2)")]
    _write_through_the_cache_client(monkeypatch, executed, written)
    assert [o["text"] for o in written.cells[0].outputs] == ["1\n2\n"]


def _write_through_the_cache_client(monkeypatch, executed, written) -> None:
    """Run MyST-NB's ``create_client``, wrapped by :func:`book_site._keep_executed_outputs`,
    on ``written``, with a cache client whose executed notebook is ``executed``."""
    from contextlib import contextmanager

    from myst_nb import sphinx_ as mystnb_sphinx

    @contextmanager
    def client(notebook, *args, **kwargs):
        class Client:
            pass

        c = Client()
        c.notebook = executed
        yield c

    monkeypatch.setattr(mystnb_sphinx, "create_client", client)
    book_site._keep_executed_outputs()
    with mystnb_sphinx.create_client(written):
        pass


def test_only_the_search_page_loads_the_search_index(tmp_path):
    """The theme wrote Sphinx's search scripts and the 306 KB search index into every page's
    head; with search as you type off only search.html needs them (book_site)."""
    from types import SimpleNamespace

    head = (
        '<head>\n    <script src="{up}_static/searchtools.js"></script>\n'
        '    <script src="{up}_static/language_data.js"></script>\n'
        '    <script src="{up}searchindex.js"></script>\n</head>'
    )
    (tmp_path / "chapters").mkdir()
    pages = {
        "search.html": head.format(up=""),
        "genindex.html": head.format(up=""),
        "chapters/01-data.html": head.format(up="../"),
    }
    for name, text in pages.items():
        (tmp_path / name).write_text(text, encoding="utf-8")

    def build(options):
        app = SimpleNamespace(
            config=SimpleNamespace(html_theme_options=options),
            outdir=str(tmp_path),
            builder=SimpleNamespace(format="html"),
        )
        book_site.drop_search_scripts(app, None)
        return {n: (tmp_path / n).read_text(encoding="utf-8") for n in pages}

    assert build({"search_as_you_type": True}) == pages  # the theme's search needs them
    written = build({})
    assert written["search.html"] == pages["search.html"]
    for name in ("genindex.html", "chapters/01-data.html"):
        assert written[name] == "<head>\n</head>", name
    assert build({}) == written  # a second build changes nothing


def test_a_solutions_title_keeps_its_space_outside_the_link():
    """Review: every solution's title read "Solution to" and a link " Exercise 2.1" (sphinx-exercise
    starts the link's text with the space), so the link's underline began under the gap. The space
    now ends the words before the link; the title's text is unchanged; other titles are left."""
    from docutils import nodes

    def titled(classes):
        title = nodes.title("", "", nodes.Text("Solution to"))
        title += nodes.reference("", "", nodes.Text(" Exercise 2.1"), refid="ex-1")
        return nodes.admonition("", title, classes=classes), title

    doctree = nodes.document(None, None)
    solution, title = titled(["solution", "dropdown"])
    other, other_title = titled(["note"])
    doctree += [solution, other]
    book_site.solution_title_space(None, doctree, "x")
    book_site.solution_title_space(None, doctree, "x")  # twice: no second space
    link = title.children[1]
    assert title.children[0].astext() == "Solution to " and link.astext() == "Exercise 2.1"
    assert title.astext() == "Solution to Exercise 2.1"
    assert other_title.children[1].astext() == " Exercise 2.1"


def test_the_printed_legend_and_an_explicit_alt_text_print_typographic_apostrophes():
    """Review: the printed legend read "this cohort's estimate" and the alt texts of Figures 5.x
    and 7.x "the paper's percentages" (raw HTML and an attribute, which Sphinx's smart quotes
    skip) where the prose prints "cohort’s". A caption made the alt text of a figure without
    one, smart-quoted already; an explicit one is set the same way."""
    legend = book_site.legend_html()
    assert "this cohort’s estimate of a printed number" in legend and "&#x27;" not in legend
    doctree = publish_doctree(
        ".. figure:: a.png\n   :alt: the paper's bars beside this cohort's\n\n   The caption.\n\n"
        ".. figure:: b.png\n\n   The cohort’s caption.\n"
    )
    book_site.figure_alt_text(None, doctree, "x")
    alts = [image["alt"] for image in doctree.findall(lambda n: n.tagname == "image")]
    assert alts == ["the paper’s bars beside this cohort’s", "The cohort’s caption."]


def test_bibliography_and_index_entries_print_typographic_apostrophes():
    """Review: the bibliography read "Cox's likelihood function" and "His Majesty's Stationery
    Office", and the general index "Breslow's rule", "Greenwood's formula", beside prose that
    prints ’ (sphinxcontrib-bibtex writes its entries after Sphinx's smart quotes; an index entry
    is the source's text). A link's words (an address, a DOI) and code keep theirs."""
    from docutils import nodes
    from sphinx import addnodes

    doctree = publish_doctree(
        ".. [Efron1977] Efron, B. (1977). The efficiency of Cox's likelihood function. "
        "His Majesty's Stationery Office. https://example.org/it's ``don't``\n"
    )
    # pybtex writes a protected "{Cox}'s" as two pieces of text: "Cox", then "'s likelihood"
    (citation,) = doctree.findall(lambda n: n.tagname == "citation")
    (para,) = citation.findall(nodes.paragraph)
    first = para.children[0]
    cut = str(first).index("'s likelihood")
    para.replace(first, [nodes.Text(str(first)[:cut]), nodes.Text(str(first)[cut:])])
    book_site.typographic_citations(None, doctree, "book/bibliography")
    text = citation.astext()
    assert "Cox’s likelihood" in text and "His Majesty’s Stationery" in text, text
    assert "https://example.org/it's" in text and "don't" in text, text
    doctree += addnodes.index(
        entries=[
            ("single", "Greenwood's formula", "term-greenwood", "main", None),
            ("single", "Breslow's rule", "term-breslow", "main", None),
        ]
    )
    book_site.typographic_index_entries(doctree)
    (index,) = doctree.findall(addnodes.index)
    assert [e[1] for e in index["entries"]] == ["Greenwood’s formula", "Breslow’s rule"]
    assert [e[2] for e in index["entries"]] == ["term-greenwood", "term-breslow"]


def _row_header_html(doctree) -> str:
    """The doctree as docutils' HTML5 writer writes it, with book_site's row headers."""
    from docutils.writers.html5_polyglot import HTMLTranslator, Writer

    class Translator(HTMLTranslator):
        visit_row_header = book_site.visit_row_header
        depart_row_header = book_site.depart_row_header

    writer = Writer()
    writer.translator_class = Translator
    from docutils.core import publish_from_doctree

    return publish_from_doctree(doctree, writer=writer).decode("utf-8")


def test_row_labels_become_row_headers_written_th():
    """A table's first column of labels is written <th> (a screen reader names each number's
    row), without scope="row" (12 bytes a row; Chromium exposes the cell as a row header
    anyway: tests/test_browser_row_headers.py) and without docutils' stub class."""
    doctree = publish_doctree(
        "=========  =========  ==========\nQuantity   Published  Reproduced\n"
        "=========  =========  ==========\nMedian OS  9.9        9.8\nORR        29.3       31.7\n"
        "=========  =========  ==========\n"
    )
    book_site.mark_table_columns(None, doctree, "x")
    book_site.mark_row_headers(None, doctree, "x")
    book_site.mark_row_headers(None, doctree, "x")  # twice: nothing changes
    body = _row_header_html(doctree)
    assert re.findall(r"<tr[^>]*>\s*<(t[dh])[^>]*>", body) == ["th", "th", "th"]
    assert "<th><p>Median OS</p></th>\n<td><p>9.9</p></td>" in body
    assert "<th><p>ORR</p></th>" in body and "scope" not in body and "stub" not in body


def test_a_first_column_that_is_no_label_stays_cells():
    """Numbers, sentences, a table without a header row or of one column: no row headers."""
    RULE = "=" * len(REASON)  # noqa: N806
    tables = [
        "=====  =====\nDay    Dose\n=====  =====\n1      50\n8      50\n=====  =====\n",
        f"{RULE}  =====\nWhy{' ' * (len(REASON) - 3)}  Count\n{RULE}  =====\n{REASON}  3\n"
        f"{REASON}  4\n{RULE}  =====\n",
        "=====  =====\nSex    0.96\nAge    0.003\n=====  =====\n",
        ".. list-table::\n   :header-rows: 1\n\n   * - Warning\n   * - BSA high\n   * - Age high\n",
    ]
    for source in tables:
        doctree = publish_doctree(source)
        book_site.mark_table_columns(None, doctree, "x")
        book_site.mark_row_headers(None, doctree, "x")
        assert not list(doctree.findall(book_site.row_header)), source
        assert "<th><p>" not in _row_header_html(doctree).split("<tbody")[1], source


def test_row_parity_classes_are_dropped_and_other_row_classes_kept():
    context = {
        "body": '<tr class="row-odd"><th>a</th></tr><tr class="pair-first row-even">'
        '<tr class="row-evenish">'
    }
    book_site.drop_row_parity(None, "chapters/08-audit", "page.html", context, None)
    assert context["body"] == '<tr><th>a</th></tr><tr class="pair-first"><tr class="row-evenish">'
