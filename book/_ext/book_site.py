"""The book as a website: light pages, working phone navigation, one citation style.

A Sphinx extension loaded by ``_config.yml`` (``sphinx.local_extensions``). For the HTML build it

1. **writes downloads as files**: the chapters' notebooks embed each CSV/PNG/SVG download as a
   ``data:`` URI (``analysis.book.show_table`` / ``figure_downloads``), so an executed notebook or
   a report stays self-contained. In the HTML book every ``<a download="NAME" href="data:…">`` is
   decoded into ``downloads/<page>/NAME`` next to the pages and the link points there, so a
   chapter's HTML holds no base64 payloads. File names are the names the chapter gave, so the
   same inputs give the same files;
2. **gives every figure an alt text** taken from its caption (unless the chapter gave one), so a
   screen reader says what the figure shows instead of reading a file name;
3. **loads MathJax only on pages with maths** (Sphinx also loads it on a page whose *toctree
   children* have maths, i.e. the home page), and drops the thebe scripts (live code is off;
   they were injected twice, a ``SyntaxError`` on every page);
4. **drops the 1.5 MB Font Awesome JavaScript** of the theme: the theme's stylesheet already
   draws the same icons from its web font, so the script only cost bytes; and serves a subset
   of that web font with only the icons the pages use;
5. offers each executed page's **executed notebook** (``.ipynb``) beside its ``.md`` source in
   the theme's download menu;
6. adds ``book.js`` (phone navigation fix) and registers the ``authoryear`` pybtex style
   (:mod:`book_bibstyle`) used by the bibliography;
7. **marks the columns of every table** for the stylesheets (:func:`column_classes`,
   :func:`mark_table_columns`): a column of numbers (they never break across lines on a phone or
   on paper, even where the pipe table left-aligns them) and a column of sentences (a "Reason",
   an "Explanation"). On a phone a table with such a column is shown as one card per row
   (``book.js`` labels the cells with their column's header), instead of a text column ~90 px
   wide that made a table 11,000-50,000 px tall; without JavaScript the text column keeps a
   readable width and the table scrolls sideways. A numeric cell "0.957 (0.509–1.800)" may
   break before its "(" on a phone (:func:`split_interval`);
8. in a **report of some chapters** (``python -m analysis run --chapters``), turns each
   ``{ref}`` to a chapter left out (or to a section of one) into text that names it and says
   it is not in the report (:func:`unlink_omitted_chapters`): the glossary, the synthetic-data
   notice and the chapters link to one another, and a link to a page the report does not have
   would be a broken reference. The runner lists the labels left out in the configuration value
   ``report_omitted_labels``; the book itself has every chapter and leaves it empty;
9. gives every ``{ref}`` to a numbered chapter or section its **number for paper**
   (:func:`number_references`): "How the checks work (§8.3)", after the words, shown only by
   the print stylesheet. A printed link cannot be followed, so the reader needs the number to
   find the place; the number comes from the table of contents of this build (in a report, the
   book's numbers: item 11);
10. numbers **no table on a page outside the numbered chapters** (the home page): its caption
    stays, without a "Table 1" that would read as the paper's
    (:func:`unnumber_tables_outside_chapters`);
11. in a **report of some chapters**, gives each chapter **the book's number**
    (:func:`keep_book_chapter_numbers`): Sphinx numbers the chapters of a table of contents
    1, 2, 3…, so a report of chapters 6, 7 and 9 called the survival chapter "1." and its
    first figure "Fig. 1.1", numbers that match neither the book nor a full report. The runner
    lists each chapter's number in the book in the configuration value
    ``report_chapter_numbers``; its headings, figures, tables, exercises and equations are
    then numbered 6, 6.1, Fig. 6.1, Table 6.1 as in the book. The book leaves it empty.
12. ends the synthetic-data notice of a page with **provenance badges** with what
    "published", "determined" and "assumed" mean, for paper, and with the link to chapter 1's
    section on them, which ``book.js`` makes of every badge (:func:`provenance_legend`): a
    badge's ``title`` is never shown on a phone.
13. keeps **a paper row and this cohort's row on one sheet**
    (:func:`keep_row_pairs`): in Tables 7.4 and 7.5 a row "PIVKA-II (ng/mL): per ng/mL — paper" is
    followed by its "↳ this cohort" row; a printed sheet ended with the first and the next began
    with the second. The first row of each pair is marked ``pair-first``, which ``tables.css``
    keeps with the row after it on paper.
14. loads **Sphinx's search and its index only on the search page**
    (:func:`drop_search_scripts`): the theme put the 306 KB index in every page's head.
15. prints **the apostrophes of the prose** in the bibliography and the general index
    (:func:`typographic_citations`, :func:`typographic_index_entries`): Sphinx's smart quotes
    never reach either, and "Cox's", "Greenwood's formula" showed the straight one.
16. lets a **folded code cell's title name it** to a screen reader
    (:func:`name_folded_cells`): MyST-NB labels each ``<summary>`` "Toggle hidden content",
    which replaced the words it shows ("Show code cell source").
17. makes **the row labels of a table row headers** (:func:`mark_row_headers`): the first
    cell of each body row is ``<th>``, so a screen reader names the row of each number;
    ``tables.css`` draws it as before.
"""

from __future__ import annotations

import base64
import binascii
import html
import re
from pathlib import Path

from docutils import nodes
from sphinx import addnodes
from sphinx.transforms import SphinxTransform
from sphinx.util.osutil import relative_uri

DOWNLOADS = "downloads"

# <a download="name.csv" href="data:text/csv;base64,...">: the attribute order analysis.book writes.
_DATA_LINK = re.compile(
    r'<a download="(?P<name>[^"]+)" href="data:(?P<mime>[\w.+/-]+);base64,(?P<payload>[A-Za-z0-9+/=]+)"'
)
_SAFE_NAME = re.compile(r"^[\w.-]+$")

#: a cell of a numeric column: 0.003, −1.2, < 0.001, 12.5 %, 1,075, 1.112–6.396, −0.6 to 7.4 (a
#: range with a negative bound, analysis.formatting.bounds), 0.99 (0.97–1.01),
#: 59.5 (53.0–70.0) [34.0–83.0] (a median, its IQR and its range: Table 4.2); a verdict mark may
#: follow the value, "0.267 ✗¹" or "1.114 ✗¹³ (1.023–1.213)" (Tables 1.4 and 7.1)
_VERDICT = r"(?: [✓✗][⁰¹²³⁴⁵⁶⁷⁸⁹]*)?"
#: (only after a single value: a range with a mark, "0.102–0.701 ✗" in Table 7.6, is left to wrap
#: before its mark, as it did before marks made cells numeric; nowrap made that table scroll)
_NUMBER_CELL = re.compile(
    r"^[−+<>≤≥≈~ ]*\d[\d.,]*(?: ?%)?(?:(?:(?: ?[–-] ?| to )[−+]?\d[\d.,]*(?: ?%)?)|(?: [✓✗][⁰¹²³⁴⁵⁶⁷⁸⁹]*))?"
    r"(?: \([^()]*\))?(?: \[[^\[\]]*\])?$"
)
_EMPTY_CELL = {"", "–", "—", "-"}
#: a column whose body cells average this many characters, or with a cell this long, is
#: running text (Table 2.6's definitions average 57 characters, the longest 109)
LONG_TEXT_CHARS = 60
LONG_CELL_CHARS = 100


def column_classes(columns: list[list[str]]) -> list[str | None]:
    """The class for each column of a table given its body cells' texts (column by column).

    ``num``: every non-empty cell is a number (or an interval of numbers); ``long-text``: the
    cells average :data:`LONG_TEXT_CHARS` characters or more, or one has
    :data:`LONG_CELL_CHARS`; otherwise None.

    >>> column_classes([["Sex", "Albumin"], ["0.96", "1.112–6.396", "–¹"], ["no", "–"],
    ...                 ["HR and 95% CI fit one Wald row, and with them P 0.97 (printed 0.96)",
    ...                  "HR and upper bound fit one Wald row, and with them P 0.009"]])
    [None, 'num', None, 'long-text']
    """
    out: list[str | None] = []
    for cells in columns:
        texts = [" ".join(c.split()) for c in cells]
        # a dash with the number of the note that says why ("–¹", Tables 7.5 and 9.1) is empty
        filled = [t for t in texts if t.rstrip("⁰¹²³⁴⁵⁶⁷⁸⁹") not in _EMPTY_CELL]
        if filled and all(_NUMBER_CELL.match(t) for t in filled):
            out.append("num")
        elif texts and (
            sum(map(len, texts)) / len(texts) >= LONG_TEXT_CHARS
            or max(map(len, texts)) >= LONG_CELL_CHARS
        ):
            out.append("long-text")
        else:
            out.append(None)
    return out


def _shown_text(entry: nodes.Element) -> str:
    """A cell's text as a reader sees it: raw HTML (a provenance badge) counts by its words,
    not by its markup (``astext`` of a raw node is its source, a long ``title`` included)."""
    parts = []
    for node in entry.findall(nodes.Text):
        if isinstance(node.parent, nodes.raw):
            parts.append(re.sub(r"<[^>]*>", "", node.astext()))
        else:
            parts.append(node.astext())
    return "".join(parts)


def mark_table_columns(app, doctree, docname: str) -> None:
    """Name each table's columns by :func:`column_classes` in classes of the ``<table>``:
    ``num-col-N`` / ``long-col-N`` for column N (from 1; ``tables.css`` selects its cells by
    ``nth-child``). On the table, not on each cell: a chapter's HTML stays within its budget
    (tests/test_browser.py), and the 99-row Table 7.3 would add ~600 cell classes. Tables with a
    cell spanning columns or rows are left alone. Their body cells lose MyST's ``text-left``
    class (``tables.css`` aligns body cells left), which a long table repeats in every cell, and
    a column whose body cells are all ``text-right`` becomes ``right-col-N`` on the table."""
    for tgroup in doctree.findall(nodes.tgroup):
        table = tgroup.parent
        bodies = [c for c in tgroup.children if isinstance(c, nodes.tbody)]
        rows = [row for body in bodies for row in body.children if isinstance(row, nodes.row)]
        entries = [[e for e in row.children if isinstance(e, nodes.entry)] for row in rows]
        width = int(tgroup.get("cols", 0))
        if (
            not isinstance(table, nodes.table)
            or not rows
            or any(
                len(r) != width or any(e.get("morecols") or e.get("morerows") for e in r)
                for r in entries
            )
        ):
            continue
        for row in entries:  # left is a body cell's alignment anyway (tables.css): 18 bytes a cell
            for e in row:
                if "text-left" in e["classes"]:
                    e["classes"].remove("text-left")
        # a column right-aligned in every body cell: one right-col-N class on the table instead
        # of text-right on each cell (tables.css; 8 KB of chapter 7, over its 200 KB budget)
        for j in range(min(width, 12)):  # tables.css names columns 1-12
            if all("text-right" in row[j]["classes"] for row in entries):
                for row in entries:
                    row[j]["classes"].remove("text-right")
                table["classes"].append(f"right-col-{j + 1}")
        kinds = column_classes([[_shown_text(r[j]) for r in entries] for j in range(width)])
        for j, kind in enumerate(kinds, 1):
            if kind is not None:
                name = f"{'num' if kind == 'num' else 'long'}-col-{j}"
                if name not in table["classes"]:
                    table["classes"].append(name)
            if kind == "num":
                for row in entries:
                    split_interval(row[j - 1])


#: the end of the label of a row that states the paper's numbers, and the start of the label of
#: the row after it, this cohort's (analysis.book.glue_table2)
PAPER_ROW_END, OWN_ROW_START = " — paper", "↳"


def paired_rows(labels: list[str]) -> list[int]:
    """The indices of the rows (by their first cells' texts) that begin a pair: a label ending
    in " — paper" followed by one starting with "↳" (this cohort's row).

    >>> paired_rows(["Age: per year — paper", "↳ this cohort", "Sex: male (reference) — paper",
    ...              "↳ this cohort · 75 (62)", "a row of its own", "↳ not after a paper row"])
    [0, 2]
    """
    return [
        i
        for i, (label, after) in enumerate(zip(labels, labels[1:], strict=False))
        if label.rstrip().endswith(PAPER_ROW_END) and after.lstrip().startswith(OWN_ROW_START)
    ]


def keep_row_pairs(app, doctree, docname: str) -> None:
    """Mark the first row of each pair (:func:`paired_rows`) of a table's body ``pair-first``:
    ``tables.css`` keeps it on the sheet of the row after it (``break-after: avoid``). Marked
    once, however often it runs."""
    for body in doctree.findall(nodes.tbody):
        rows = [row for row in body.children if isinstance(row, nodes.row)]
        labels = []
        for row in rows:
            entries = [e for e in row.children if isinstance(e, nodes.entry)]
            labels.append(_shown_text(entries[0]) if entries else "")
        for i in paired_rows(labels):
            if "pair-first" not in rows[i]["classes"]:
                rows[i]["classes"].append("pair-first")


class row_header(nodes.entry):  # noqa: N801 (a docutils node class is named as its tag)
    """A body cell that labels its row (:func:`mark_row_headers`), written ``<th>``."""


def visit_row_header(self, node: nodes.Element) -> None:
    """docutils' ``<td>`` of a body cell (its column count, spans and classes), as ``<th>``."""
    self.visit_entry(node)
    start = self.body[-1]
    if start.startswith("<td") and self.context[-1] == "</td>\n":
        self.body[-1] = "<th" + start[3:]
        self.context[-1] = "</th>\n"


def depart_row_header(self, node: nodes.Element) -> None:
    self.depart_entry(node)


def mark_row_headers(app, doctree, docname: str) -> None:
    """Make the first cell of each body row of a table with a header row a row header,
    ``<th>`` (:class:`row_header`): a screen reader moving along a row then says which row a
    number is in ("Median OS", a Table 2 term). Chromium exposes a ``<th>`` before the ``<td>``
    cells of its row as role "rowheader" without ``scope="row"``, which would add 12 bytes a row
    (213 rows in chapter 8, at its 200 KB budget). ``tables.css`` draws such a cell as a body
    cell. Not when the first column is not a label: numbers (or right-aligned), sentences
    (:func:`column_classes`), a table of one column or without a header row; an empty cell or
    one that spans columns stays a cell. Once per table, however often it runs."""
    for tgroup in doctree.findall(nodes.tgroup):
        table = tgroup.parent
        heads = [c for c in tgroup.children if isinstance(c, nodes.thead)]
        bodies = [c for c in tgroup.children if isinstance(c, nodes.tbody)]
        rows = [row for body in bodies for row in body.children if isinstance(row, nodes.row)]
        firsts = [
            next((e for e in row.children if isinstance(e, nodes.entry)), None) for row in rows
        ]
        if (
            not isinstance(table, nodes.table)
            or not heads
            or not rows
            or int(tgroup.get("cols", 0)) < 2
            or None in firsts
            or {"num-col-1", "right-col-1", "long-col-1"} & set(table["classes"])
            or any({"text-right", "text-center"} & set(e["classes"]) for e in firsts)
            or column_classes([[_shown_text(e) for e in firsts]]) != [None]
        ):
            continue
        for entry in firsts:
            if isinstance(entry, row_header) or entry.get("morecols") or not entry.astext().strip():
                continue
            header = row_header(entry.rawsource, **entry.attributes)
            header.extend(entry.children)
            entry.replace_self(header)


#: a numeric cell "estimate (interval)": "0.957 (0.509–1.800)", "1,075.0 (131.8–3,580.8)", or
#: "estimate (interval) [range]": "59.5 (53.0–70.0) [34.0–83.0]"
_VALUE_AND_INTERVAL = re.compile(r"^(\S+" + _VERDICT + r") (\([^()\s]*\))(?: (\[[^\[\]\s]*\]))?$")


def split_interval(entry: nodes.Element) -> None:
    """Let a numeric cell "0.957 (0.509–1.800)" break before its "(", and nowhere else, on a
    phone: the interval goes into ``<span class="ci">`` (which does not wrap) and the cell is
    marked ``ci`` (``tables.css`` lets it wrap at 600 px and narrower; on a wider screen and on
    paper it stays one line). Its two halves, each 60-85 px wide, had kept Tables 1.5, 7.1, 7.4
    and 9.2 hundreds of pixels wider than a 390 px phone. A range after the interval, "59.5
    (53.0–70.0) [34.0–83.0]" (Table 4.2's median, IQR and range), gets a span of its own and
    may go onto a third line. Only a cell that is one paragraph of plain text; again on the
    same cell, nothing changes."""
    paragraphs = [c for c in entry.children if isinstance(c, nodes.paragraph)]
    if len(entry.children) != 1 or len(paragraphs) != 1:
        return
    (para,) = paragraphs
    if len(para.children) != 1 or not isinstance(para.children[0], nodes.Text):
        return
    # a no-break space may already join the value and its mark (table cells keep U+00A0)
    found = _VALUE_AND_INTERVAL.match(para.astext().replace("\u00a0", " "))
    if not found:
        return
    para.remove(para.children[0])
    # the value and its verdict mark stay together: "1.114 ✗¹³" / "(1.023–1.213)"
    para += nodes.Text(found.group(1).replace(" ", "\u00a0") + " ")
    para += nodes.inline(found.group(2), found.group(2), classes=["ci"])
    if found.group(3):
        para += nodes.Text(" ")
        para += nodes.inline(found.group(3), found.group(3), classes=["ci"])
    if "ci" not in entry["classes"]:
        entry["classes"].append("ci")


FONTAWESOME_STUB = (
    "/* The book draws the theme's icons with the Font Awesome web font that the theme's\n"
    "   stylesheet declares; the 1.5 MB SVG-replacement script is not needed (book/_ext/book_site.py). */\n"
)


def _write_download(outdir: Path, docname: str, name: str, payload: str) -> str | None:
    """Decode one payload into ``downloads/<docname>/<name>``; return its path from the root."""
    name = html.unescape(name)
    if not _SAFE_NAME.match(name):
        return None
    try:
        data = base64.b64decode(payload, validate=True)
    except binascii.Error:
        return None
    target = outdir / DOWNLOADS / docname / name
    target.parent.mkdir(parents=True, exist_ok=True)
    if not target.is_file() or target.read_bytes() != data:
        target.write_bytes(data)
    return f"{DOWNLOADS}/{docname}/{name}"


def externalise_downloads(app, doctree, docname: str) -> None:
    """Replace data-URI download links in raw HTML outputs by links to files."""
    if app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    page_uri = app.builder.get_target_uri(docname)
    for raw in list(doctree.findall(nodes.raw)):
        if "html" not in raw.get("format", "").split() or "base64," not in raw.astext():
            continue

        def link(match: re.Match) -> str:
            path = _write_download(outdir, docname, match["name"], match["payload"])
            if path is None:
                return match.group(0)
            return f'<a download="{match["name"]}" href="{relative_uri(page_uri, path)}"'

        text = _DATA_LINK.sub(link, raw.astext())
        raw.replace_self(nodes.raw("", text, format=raw["format"]))


def figure_alt_text(app, doctree, docname: str) -> None:
    """Figures without an explicit ``:alt:`` get their caption as alt text. An explicit one,
    an attribute that Sphinx's smart quotes skip, gets the apostrophes of the prose (the paper’s,
    as its caption prints; :func:`analysis.provenance.typographic`)."""
    from analysis.provenance import typographic

    for figure in doctree.findall(nodes.figure):
        captions = list(figure.findall(nodes.caption))
        text = " ".join(captions[0].astext().split()) if captions else ""
        for image in figure.findall(nodes.image):
            if not image.get("alt") or image.get("alt") == image.get("uri"):
                if text:
                    image["alt"] = text
            else:
                image["alt"] = typographic(image["alt"])


#: where a bibliography entry's text is not prose: an address, a DOI, code
_NOT_PROSE = (nodes.reference, nodes.literal, nodes.raw, nodes.FixedTextElement)


def _typographic_text(node: nodes.Element) -> None:
    """The text of ``node`` with the apostrophes of the prose, but not inside a link (its words
    are an address or a DOI), code or raw HTML. Each piece of text is read after the character
    before it: pybtex writes "{Cox}'s" as two ("Cox", "'s …"), and alone the second began with
    an opening quote (‘s)."""
    from analysis.provenance import typographic

    before = " "
    for text in list(node.findall(nodes.Text)):
        parent, old = text.parent, str(text)
        if "'" in old and not any(isinstance(a, _NOT_PROSE) for a in _ancestors(parent)):
            parent.replace(text, nodes.Text(typographic(before + old)[1:]))
        before = old[-1:] or before


def _ancestors(node):
    while node is not None:
        yield node
        node = node.parent


def typographic_citations(app, doctree, docname: str) -> None:
    """The bibliography's entries with the apostrophes of the prose ("Cox’s likelihood", "His
    Majesty’s Stationery Office"): sphinxcontrib-bibtex writes them after Sphinx's smart quotes
    have run, so the straight ones of the BibTeX file were printed beside prose that prints ’.
    Addresses and DOIs (links) keep theirs (:func:`analysis.provenance.typographic`)."""
    for citation in doctree.findall(nodes.citation):
        _typographic_text(citation)


def typographic_index_entries(doctree: nodes.document) -> None:
    """Index entries with the apostrophes of the prose: a glossary term "Greenwood's formula" is
    printed "Greenwood’s formula" by the glossary (smart quotes), but its entry in the general
    index kept the straight one of the source. Run before Sphinx collects the entries
    (:class:`TypographicIndexEntries`).

    >>> from sphinx import addnodes
    >>> doc = nodes.document(None, None)
    >>> doc += addnodes.index(entries=[("single", "Greenwood's formula", "term-0", "main", None)])
    >>> typographic_index_entries(doc)
    >>> doc.children[0]["entries"][0][1]
    'Greenwood’s formula'
    """
    from analysis.provenance import typographic

    for index in doctree.findall(addnodes.index):
        index["entries"] = [
            (kind, typographic(value), *rest) for kind, value, *rest in index["entries"]
        ]


class TypographicIndexEntries(SphinxTransform):
    """:func:`typographic_index_entries` on each document read, before Sphinx's own
    ``SphinxDomains`` transform (priority 850) hands the index entries to the index domain."""

    default_priority = 845

    def apply(self, **kwargs) -> None:
        typographic_index_entries(self.document)


def _page_has_maths(app, pagename: str) -> bool:
    domain = app.env.get_domain("math")
    return bool(domain.data.get("has_equations", {}).get(pagename))


def trim_page_assets(app, pagename: str, templatename: str, context: dict, doctree) -> None:
    """Drop thebe everywhere and MathJax where the page itself has no maths."""
    scripts = context.get("script_files")
    if scripts is not None:
        keep_maths = _page_has_maths(app, pagename)
        kept = []
        for script in scripts:
            filename = str(getattr(script, "filename", "") or "")
            body = str(getattr(script, "attributes", {}).get("body", ""))
            if "thebe" in filename or "THEBE_JS_URL" in body:
                continue
            if not keep_maths and ("mathjax" in filename.lower() or "MathJax" in body):
                continue
            kept.append(script)
        scripts[:] = kept
    styles = context.get("css_files")
    if styles is not None:
        styles[:] = [s for s in styles if "thebe" not in str(getattr(s, "filename", "") or "")]


#: MyST-NB's label of a folded cell's ``<summary>`` (``myst_nb.sphinx_.visit_HideCellInput``)
FOLDED_CELL_LABEL = ' aria-label="Toggle hidden content"'


def name_folded_cells(app, pagename: str, templatename: str, context: dict, doctree) -> None:
    """Take MyST-NB's ``aria-label`` off each folded cell's ``<summary>``: its name is then the
    words it shows, "Show code cell source" (or "Hide code cell source" when open), as a sighted
    reader sees it. The label "Toggle hidden content" replaced those words for a screen reader,
    and a reader who speaks to the browser could not open the cell by saying them (WCAG 2.5.3;
    axe's label-content-name-mismatch, 1-6 on each chapter).

    >>> context = {"body": '<summary aria-label="Toggle hidden content">\\n<p>Show</p></summary>'}
    >>> name_folded_cells(None, "chapters/01-data", "page.html", context, None)
    >>> context["body"]
    '<summary>\\n<p>Show</p></summary>'
    """
    body = context.get("body")
    if isinstance(body, str) and FOLDED_CELL_LABEL in body:
        context["body"] = body.replace("<summary" + FOLDED_CELL_LABEL + ">", "<summary>")


#: Sphinx's class on every table row, by its parity (``HTML5Translator.visit_row``)
ROW_PARITY = re.compile(r'<tr class="([^"]*)"')


def _without_parity(match: re.Match) -> str:
    kept = [c for c in match.group(1).split() if c not in ("row-odd", "row-even")]
    return '<tr class="' + " ".join(kept) + '"' if kept else "<tr"


def drop_row_parity(app, pagename: str, templatename: str, context: dict, doctree) -> None:
    """Take Sphinx's ``row-odd``/``row-even`` classes off every table row: no stylesheet of the
    theme or the book reads them (rows are told apart by ``:nth-child``), and they cost about
    17 bytes a row (266 rows, 4.5 KB, in chapter 8, whose HTML has a 200 KB budget). Other
    classes of a row (``pair-first``, :func:`keep_row_pairs`) stay.

    >>> context = {"body": '<tr class="row-odd"><td>1</td></tr>\\n<tr class="pair-first row-even">'}
    >>> drop_row_parity(None, "chapters/08-audit", "page.html", context, None)
    >>> context["body"]
    '<tr><td>1</td></tr>\\n<tr class="pair-first">'
    """
    body = context.get("body")
    if isinstance(body, str) and "<tr class=" in body:
        context["body"] = ROW_PARITY.sub(_without_parity, body)


def offer_executed_notebook(app, pagename: str, templatename: str, context: dict, doctree) -> None:
    """Offer the executed notebook of an executed page in the theme's download menu.

    MyST-NB writes it to ``<build>/jupyter_execute/<page>.ipynb``; it is copied next to the page's
    source in ``_sources/`` and ``ipynb_source`` makes sphinx-book-theme add an ``.ipynb`` entry
    beside the ``.md`` one.
    """
    if app.builder.format != "html" or doctree is None:
        return
    executed = Path(app.outdir).parent / "jupyter_execute" / f"{pagename}.ipynb"
    if not executed.is_file():
        return
    target = Path(app.outdir) / "_sources" / f"{pagename}.ipynb"
    target.parent.mkdir(parents=True, exist_ok=True)
    data = executed.read_bytes()
    if not target.is_file() or target.read_bytes() != data:
        target.write_bytes(data)
    context["ipynb_source"] = f"{pagename}.ipynb"


def _keep_executed_outputs() -> None:
    """Make MyST-NB write the *executed* notebook to ``jupyter_execute/``.

    With ``execute_notebooks: cache`` MyST-NB renders from a merged copy of the notebook that
    its cache client holds, and then writes the original, output-less notebook to
    ``jupyter_execute/``. Wrapping ``create_client`` copies the merged cells and metadata back
    into that notebook when the client closes, so what is written (and offered as the
    ``.ipynb`` download) holds the outputs the page shows, its cells numbered ``cell-0``,
    ``cell-1``, … in place of jupytext's random ids (as the golden notebooks and the reports
    of ``python -m analysis run``): the same chapter gives the same download, byte for byte.
    """
    from contextlib import contextmanager

    from myst_nb import sphinx_ as mystnb_sphinx

    from analysis.numerics import merged_streams, numbered_cells

    original = mystnb_sphinx.create_client
    if getattr(original, "_book_keeps_outputs", False):
        return

    @contextmanager
    def create_client(notebook, *args, **kwargs):
        with original(notebook, *args, **kwargs) as client:
            yield client
        executed = getattr(client, "notebook", None)
        if executed is not None and executed is not notebook:
            notebook.cells = executed.cells
            notebook.metadata = executed.metadata
        numbered_cells(notebook)  # jupytext makes random ids: same inputs, same bytes
        for cell in notebook.cells:
            if "outputs" in cell:  # the kernel's split of printed text is timing
                cell.outputs = merged_streams(cell.outputs)

    create_client._book_keeps_outputs = True
    mystnb_sphinx.create_client = create_client


def _merge_streams_exactly() -> None:
    """Make MyST-NB's ``nb_merge_streams`` join a cell's stream outputs exactly, and leave them
    as they are in the notebook.

    MyST-NB's ``coalesce_streams`` strips each piece's trailing whitespace and adds a newline:
    where the kernel split ``print`` between a line and its newline, the page showed a blank
    line that the code never printed, in one build and not the next. It also rewrote the first
    piece in place, so the notebook written for download (:func:`_keep_executed_outputs`) kept
    the merged text and the later pieces again. Here the pieces are joined first, on copies
    (``analysis.numerics.merged_streams``), and MyST-NB's own merging then has one piece per stream.
    """
    from myst_nb.core import render

    from analysis.numerics import merged_streams

    original = render.coalesce_streams
    if getattr(original, "_book_exact", False):
        return

    def coalesce_streams(outputs):
        return original(merged_streams(outputs))

    coalesce_streams._book_exact = True
    render.coalesce_streams = coalesce_streams


def stub_fontawesome(app, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    script = Path(app.outdir) / "_static" / "scripts" / "fontawesome.js"
    if script.is_file():
        script.write_text(FONTAWESOME_STUB, encoding="utf-8")
        for extra in ("fontawesome.js.map", "fontawesome.js.LICENSE.txt"):
            (script.parent / extra).unlink(missing_ok=True)


_CSS_RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")
_CONTENT_ESCAPE = re.compile(r'content:\s*"\\([0-9a-fA-F]{4,5})"')
_PUA = re.compile("[\ue000-\uf8ff]")
_FA_CLASS = re.compile(r"\bfa-[a-z0-9-]+")
_FA_MAPPING = re.compile(r"^\.fa-[a-z0-9-]+:(?:before|after)$")


def icons_in_use(outdir: Path) -> set[int]:
    """Code points of the Font Awesome icons the built pages can show.

    * every ``fa-<name>`` class in the pages and scripts, mapped to its code point by the
      ``.fa-<name>:before{content:"\\f…"}`` rules of the stylesheets;
    * every other stylesheet rule that draws an icon by code point (``content:"\\f107"``) or
      through a variable holding the character (pydata's ``--pst-icon-*``).
    """
    static = outdir / "_static"
    css = {p: p.read_text(encoding="utf-8", errors="replace") for p in static.rglob("*.css")}
    by_name: dict[str, int] = {}
    points: set[int] = set()
    for text in css.values():
        for selectors, body in _CSS_RULE.findall(text):
            escapes = [int(h, 16) for h in _CONTENT_ESCAPE.findall(body)]
            names = [s.strip() for s in selectors.split(",")]
            if escapes and all(_FA_MAPPING.match(n) for n in names):
                for n in names:
                    by_name[n[1:].split(":")[0]] = escapes[0]
            else:
                points.update(c for c in escapes if 0xE000 <= c <= 0xF8FF)
            points.update(ord(ch) for ch in _PUA.findall(body))
    used: set[str] = set()
    for pattern in ("*.html", "*.js"):
        for path in outdir.rglob(pattern):
            used.update(_FA_CLASS.findall(path.read_text(encoding="utf-8", errors="replace")))
    points.update(by_name[n] for n in used if n in by_name)
    return points


FA_SUBSET_CSS = "fontawesome-subset.css"
FA_SUBSET_FONT = "vendor/fontawesome/webfonts/fa-solid-900.book-subset.woff"


def subset_icon_font(app, exception) -> None:
    """Serve only the solid icons the book uses (about 10 KB instead of the 156 KB web font).

    ``fontawesome-subset.css`` (linked from every page, after the theme's stylesheet) declares
    the same face as the theme, so the browser uses the subset; the full font stays in place.
    Deterministic: no timestamp is written into the font.
    """
    if exception is not None or app.builder.format != "html":
        return
    from fontTools import subset
    from fontTools.ttLib import TTFont

    outdir = Path(app.outdir)
    full = outdir / "_static" / "vendor" / "fontawesome" / "webfonts" / "fa-solid-900.ttf"
    target_css = outdir / "_static" / FA_SUBSET_CSS
    if not full.is_file():
        target_css.write_text("/* no Font Awesome in this theme */\n", encoding="utf-8")
        return
    options = subset.Options()
    options.flavor = "woff"
    options.name_IDs = ["*"]
    options.notdef_outline = True
    font = TTFont(str(full), recalcTimestamp=False)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(icons_in_use(outdir)))
    subsetter.subset(font)
    font.flavor = "woff"
    target = outdir / "_static" / FA_SUBSET_FONT
    font.save(str(target), reorderTables=True)
    target_css.write_text(
        "/* The Font Awesome solid icons this book uses (book/_ext/book_site.py). */\n"
        '@font-face{font-display:block;font-family:"Font Awesome 6 Free";font-style:normal;'
        f'font-weight:900;src:url({FA_SUBSET_FONT}) format("woff")}}\n',
        encoding="utf-8",
    )


#: Doctrees read by ``{numref}`` resolution, per build environment (see :func:`_numref_reads_once`)
_NUMREF_DOCTREES: dict[int, dict] = {}


def _numref_reads_once() -> None:
    """Let Sphinx's ``{numref}`` resolution unpickle each page's doctree once per build.

    Sphinx 7's ``StandardDomain._resolve_numref_xref`` calls ``env.get_doctree(docname)`` for
    every ``{numref}`` only to look up the target node (its type and number), and each call
    unpickles the whole doctree again: a chapter's doctree holds its figures' data URIs, and the
    book's ~60 numrefs took ~3 s of CPU per build. The doctree is only read there, so one copy per
    page serves them all; everything else still gets a fresh copy from ``env.get_doctree``.
    The cache is dropped when the build finishes.
    """
    from sphinx.domains.std import StandardDomain

    original = StandardDomain._resolve_numref_xref
    if getattr(original, "_book_reads_once", False):
        return

    def resolve(self, env, *args, **kwargs):
        read = _NUMREF_DOCTREES.setdefault(id(env), {})
        own = env.__dict__.get("get_doctree")
        fresh = own or env.get_doctree

        def get_doctree(docname):
            if docname not in read:
                read[docname] = fresh(docname)
            return read[docname]

        env.get_doctree = get_doctree
        try:
            return original(self, env, *args, **kwargs)
        finally:
            if own is None:
                del env.get_doctree
            else:
                env.get_doctree = own

    resolve._book_reads_once = True
    StandardDomain._resolve_numref_xref = resolve


def _forget_numref_doctrees(app, *args) -> None:
    _NUMREF_DOCTREES.pop(id(app.env), None)


#: What an omitted chapter is called where a link to it would have been.
OMITTED_CHAPTER = "a chapter not in this report"


def unlink_omitted_chapters(app, doctree) -> None:
    """Replace each ``{ref}`` to a label of a chapter left out of a report by plain text.

    ``app.config.report_omitted_labels`` maps a label (lower case, as Sphinx stores it) to
    ``[heading, chapter title]``: the heading the label stands before (the chapter's title
    for the chapter's own label; empty when it is not a heading). A reference to the chapter
    reads "*Title* (a chapter not in this report)" (square brackets inside parentheses); a
    reference to a section of it reads
    "Section (in the chapter *Title*, not in this report)". A ``{numref}`` to a table or
    figure of it (its heading is the book's number, "Table 7.5") reads "Table 7.5 (in the
    chapter *Title*, not in this report)"; an explicit text's ``%s`` or ``{number}`` gets the
    number. Only those labels are touched: any other unresolved reference is still reported
    by Sphinx.
    """
    from sphinx import addnodes

    omitted = app.config.report_omitted_labels or {}
    if not omitted:
        return
    for xref in list(doctree.findall(addnodes.pending_xref)):
        if xref.get("refdomain") != "std" or xref.get("reftype") not in ("ref", "numref"):
            continue
        entry = omitted.get(xref.get("reftarget", "").lower())
        if entry is None:
            continue
        heading, chapter = entry
        explicit = xref.astext() if xref.get("refexplicit") else None
        if xref.get("reftype") == "numref":
            numbered = re.fullmatch(r"(?:Table|Fig\.) ([0-9]+\.[0-9]+)", heading)
            number = numbered.group(1) if numbered else ""
            if explicit and number:
                explicit = explicit.replace("%s", number).replace("{number}", number)
            elif not number:
                explicit = None
        # inside parentheses already, the note takes square brackets: "(see Section [in the
        # chapter Audit, not in this report])", not two closing parentheses in a row
        opening, closing = ("[", "]") if _inside_parentheses(xref) else ("(", ")")
        text = nodes.inline(classes=["omitted-chapter"])
        if heading == chapter:  # the chapter's own label
            text += [
                nodes.Text(explicit) if explicit else nodes.emphasis(text=chapter),
                nodes.Text(f" {opening}{OMITTED_CHAPTER}{closing}"),
            ]
        else:
            text += [
                nodes.Text(f"{explicit or heading or 'a section'} {opening}in the chapter "),
                nodes.emphasis(text=chapter),
                nodes.Text(f", not in this report{closing}"),
            ]
        xref.replace_self(text)


def _inside_parentheses(node) -> bool:
    """The text of ``node``'s paragraph (or other block of text) before ``node`` leaves a
    parenthesis open."""
    block = node.parent
    while block is not None and (
        not isinstance(block, nodes.TextElement) or isinstance(block, nodes.Inline)
    ):
        block = block.parent
    if block is None:
        return False
    depth = 0
    for item in block.findall():  # document order: what precedes the node comes first
        if item is node:
            break
        if isinstance(item, nodes.Text):
            depth += item.astext().count("(") - item.astext().count(")")
    return depth > 0


def record_section_anchors(app, doctree) -> None:
    """For :func:`number_references`: each id of the page's sections (a label before a heading
    is one of them) mapped to the anchor under which Sphinx numbers that section (``""`` for
    the page's title, ``"#first-id"`` for the others: the keys of ``env.toc_secnumbers``)."""
    app.env.book_section_anchors = getattr(app.env, "book_section_anchors", {})
    app.env.book_section_anchors[app.env.docname] = _section_anchors(doctree)


def _section_anchors(doctree) -> dict[str, str]:
    anchors: dict[str, str] = {}
    top = doctree.next_node(nodes.section)
    for section in doctree.findall(nodes.section):
        if section["ids"]:
            anchor = "" if section is top else "#" + section["ids"][0]
            anchors.update(dict.fromkeys(section["ids"], anchor))
    return anchors


def _purge_section_anchors(app, env, docname) -> None:
    getattr(env, "book_section_anchors", {}).pop(docname, None)


def _merge_section_anchors(app, env, docnames, other) -> None:
    mine = env.book_section_anchors = getattr(env, "book_section_anchors", {})
    theirs = getattr(other, "book_section_anchors", {})
    mine.update({d: theirs[d] for d in docnames if d in theirs})


def number_references(app, doctree, docname: str) -> None:
    """Put the target's section number, for print only, after the words a ``{ref}`` shows.

    On screen a link is followed; on paper "see How the checks work" or "(Kaplan–Meier
    survival)" cannot be, and the section may be another chapter's. Each resolved ``{ref}``
    whose target is a numbered chapter or section ends with ``<span class="print-secnum">
    (§8.3)</span>`` (a chapter: `` (chapter 7)``), the number Sphinx gives the heading in this
    build's table of contents (``book.css`` shows it on paper only). Inside parentheses it is
    bracketed (``(chapter 1 [§1.6.4])``), not nested. It comes after the words: printed
    before them, as the heading prints it, a sentence read "… explained in (8.1.7. chapter
    08)". A link whose words already name its chapter ("chapter 8" to chapter 8's title) gets
    none, nor does a reference to an unnumbered page (the introduction, the glossary), to a
    label that is not a heading, or to the page's own title (on paper the reader is holding
    that chapter).
    """
    if app.builder.format != "html":
        return
    import posixpath

    env = app.env
    anchors = env.book_section_anchors = getattr(env, "book_section_anchors", {})
    for ref in doctree.findall(nodes.reference):
        if not ref.get("internal") or not ref.children:
            continue
        shown = ref.children[0]
        if not isinstance(shown, nodes.inline) or "std-ref" not in shown["classes"]:
            continue
        if ref.get("refid"):
            target, fragment = docname, ref["refid"]
        else:
            path, _, fragment = ref.get("refuri", "").partition("#")
            if not path.endswith(".html"):
                continue
            target = posixpath.normpath(posixpath.join(posixpath.dirname(docname), path))[:-5]
        if target not in anchors and target in env.all_docs:  # an environment of an older build
            anchors[target] = _section_anchors(env.get_doctree(target))
        anchor = anchors.get(target, {}).get(fragment) if fragment else ""
        if target == docname and anchor == "":
            continue  # the page's own title (chapter 1's notice, "see The synthetic cohort")
        number = env.toc_secnumbers.get(target, {}).get(anchor) if anchor is not None else None
        if not number:
            continue
        if len(number) == 1:
            if re.search(rf"\bchapter 0*{number[0]}\b", ref.astext(), re.IGNORECASE):
                continue  # "chapter 8": the words say it
            label = f"chapter {number[0]}"
        else:
            label = "§" + ".".join(str(n) for n in number)
        label = f" [{label}]" if _within_parentheses(ref) else f" ({label})"
        ref.append(nodes.inline("", label, classes=["print-secnum"]))


def print_addresses(app, doctree, docname: str) -> None:
    """Put an external link's address, for print only, after its words.

    On paper "[papermill](https://papermill.readthedocs.io)" printed as "papermill": the link
    cannot be followed and its address was lost. Each external ``http(s)`` link whose words do
    not already show its address ends with ``<span class="print-url"> (https://…)</span>``
    (``book.css`` shows it on paper only), as :func:`number_references` does with a section's
    number. A link whose words are its address, or a DOI's ("doi:10.21037/jgo-23-1006" to
    https://doi.org/10.21037/jgo-23-1006, the bibliography's), gets none.
    """
    if app.builder.format != "html":
        return
    for ref in list(doctree.findall(nodes.reference)):
        uri = ref.get("refuri", "")
        if ref.get("internal") or not uri.startswith(("http://", "https://")):
            continue
        words = " ".join(ref.astext().split())
        bare = uri.split("://", 1)[1].rstrip("/")
        doi = words.startswith("doi:") and uri.endswith(words.removeprefix("doi:"))
        if not words or bare in words or doi:
            continue
        ref.append(nodes.inline("", f" ({uri})", classes=["print-url"]))


def _within_parentheses(node) -> bool:
    """Whether ``node`` stands inside an open parenthesis of its paragraph (or table cell,
    caption, list item): more "(" than ")" in the text before it."""
    block = node.parent
    blocks = (nodes.paragraph, nodes.caption, nodes.title)
    while block is not None and not isinstance(block, blocks):
        block = block.parent
    if block is None:
        return False
    before = []
    for text in block.findall(nodes.Text):
        if node in _ancestors(text):
            break
        before.append(text.astext())
    before = "".join(before)
    return before.count("(") > before.count(")")


def _ancestors(node):
    while node is not None:
        yield node
        node = node.parent


#: the label of chapter 1's section that says what the provenance classes mean
PROVENANCE_LEGEND = "data-provenance-classes"


def provenance_legend(app, doctree, docname: str) -> None:
    """On a page with provenance badges, end the synthetic-data notice with what the classes mean.

    A badge's meaning is in its ``title``, which a phone never shows (no hover on a touch
    screen) and paper cannot. The paragraph (``p.provenance-legend``) gives the three meanings
    (the package's :data:`analysis.provenance.MEANINGS`) for paper only (``book.css``): a printed
    chapter is read without chapter 1. Its ``data-legend`` is the link, from this page, to
    chapter 1's "Where each number comes from" (label :data:`PROVENANCE_LEGEND`), which
    ``book.js`` makes of every badge of the page: written into each of the 60 badges of
    chapter 8, the links took its HTML over the 200 KB budget (tests/test_browser.py). A build
    without that label (a report without chapter 1) gets the meanings and no links.
    """
    if app.builder.format != "html":
        return
    if not any('class="provenance' in raw.astext() for raw in doctree.findall(nodes.raw)):
        return
    notice = next(
        (n for n in doctree.findall(nodes.Element) if "synthetic-notice" in n.get("classes", [])),
        None,
    )
    if notice is None:
        return
    link = ""
    target = app.env.get_domain("std").labels.get(PROVENANCE_LEGEND)
    if target and target[0]:
        page = "" if target[0] == docname else app.builder.get_relative_uri(docname, target[0])
        link = f' data-legend="{html.escape(page + "#" + target[1])}"'
    notice += nodes.raw("", legend_html(link), format="html")


def solution_title_space(app, doctree, docname: str) -> None:
    """The space of "Solution to Exercise 5.1" goes before the link, not into it.

    sphinx-exercise titles a solution "Solution to" and a link to its exercise whose text begins
    with the space (" Exercise 5.1"): the link's underline began one space before its word, under
    the gap, in every chapter's solutions. The text of the title is unchanged.
    """
    for title in doctree.findall(nodes.title):
        parent = title.parent
        if parent is None or not (
            type(parent).__name__ == "solution_node" or "solution" in parent.get("classes", [])
        ):
            continue
        kids = title.children
        for before, link in zip(kids, kids[1:], strict=False):
            first = (
                link.children[0] if isinstance(link, nodes.reference) and link.children else None
            )
            if not isinstance(before, nodes.Text) or not isinstance(first, nodes.Text):
                continue
            if first.astext().startswith(" ") and not before.astext().endswith(" "):
                title.replace(before, nodes.Text(before.astext() + " "))
                link.replace(first, nodes.Text(first.astext().lstrip(" ")))
            break


def legend_html(link: str = "") -> str:
    """The printed legend of the badges: one line per class and one for the ✓/✗ after
    "published". Its meanings had been joined by semicolons in one sentence ("published, printed
    in the paper; the synthetic cohort is calibrated to it; determined, not printed, or ...;
    follows from ..."), themselves full of semicolons, and ✓/✗ were explained nowhere on paper
    (a "published ✗" badge in chapter 9). ``link``: the paragraph's ``data-legend`` attribute.
    """
    from analysis.provenance import CLASSES, MEANINGS, PUBLISHED, VERDICT_MEANING, typographic

    items = []
    for kind in CLASSES:  # raw HTML: the apostrophes of prose (cohort’s), which smart quotes skip
        items.append(f"<strong>{kind}</strong>: {html.escape(typographic(MEANINGS[kind]))}.")
        if kind == PUBLISHED:
            meaning = html.escape(typographic(VERDICT_MEANING))
            items.append(f"<strong>✓ or ✗</strong> after \u201cpublished\u201d: {meaning}.")
    lines = "".join(f'<span class="legend-item">{item}</span>' for item in items)
    return f'<p class="provenance-legend"{link}>What the badges beside numbers mean:{lines}</p>'


def unnumber_tables_outside_chapters(app, env) -> list[str]:
    """A captioned table on a page outside the numbered parts of the book (the home page's
    "study at a glance") keeps its caption and gets no number. Sphinx numbers every captioned
    table (``numfig``), and on such a page its counter starts at "Table 1", which, on the page
    that names the paper's Table 1, read as that table. Runs after Sphinx has numbered the
    tables (``env-get-updated``, priority 900); a chapter's tables (a page with section
    numbers) keep theirs."""
    for docname, numbers in env.toc_fignumbers.items():
        if not env.toc_secnumbers.get(docname):
            numbers.pop("table", None)
    return []


def keep_book_chapter_numbers(app, env) -> list[str]:
    """Renumber the chapters of a report as the book numbers them (``report_chapter_numbers``).

    ``app.config.report_chapter_numbers`` maps a chapter's document name
    (``chapters/06-survival``) to its number in the book (6). Runs on ``env-get-updated`` after
    Sphinx's table-of-contents collector has numbered the sections and the figures (priority
    500; this runs at 800, before :func:`unnumber_tables_outside_chapters` at 900). Each
    chapter's top-level number N (its position in this build's table of contents) becomes the
    book's number everywhere Sphinx keeps it: the section numbers of every page whose numbers
    start with N (the headings, the navigation, ``{numref}`` to a section), the title numbers
    (previous/next links) and the numbers of every enumerable node (figures, tables, code
    blocks, exercises, equations) numbered under it. Figures are counted per chapter
    (``numfig_secnum_depth`` 1 or more), so replacing the chapter's number in "1.3" gives the
    figure's number in the book, "6.3"; a number without a chapter part (an unnumbered page's)
    is left alone. The book itself leaves the value empty and nothing changes.

    Returns the pages whose numbers changed (Sphinx writes them again).
    """
    from sphinx.util import logging

    wanted = app.config.report_chapter_numbers or {}
    if not wanted:
        return []
    logger = logging.getLogger(__name__)
    renumber: dict[int, int] = {}
    for docname, number in sorted(wanted.items()):
        top = (env.toc_secnumbers.get(docname) or {}).get("")
        if not top:
            logger.warning(f"report_chapter_numbers: {docname} is not a numbered chapter")
            continue
        renumber[top[0]] = int(number)
    if len(set(renumber.values())) != len(renumber):
        logger.warning(f"report_chapter_numbers: two chapters with one number ({wanted})")
        return []
    if all(old == new for old, new in renumber.items()):
        return []

    def new(number):
        if not number or number[0] not in renumber:
            return number
        return type(number)([renumber[number[0]], *number[1:]])

    changed = set()
    for docname, secnumbers in env.toc_secnumbers.items():
        for anchor, number in secnumbers.items():
            if new(number) != number:
                secnumbers[anchor] = new(number)
                changed.add(docname)
    # new lists, never changed in place: a title and its reference may share one list
    for title in env.titles.values():
        if title.get("secnumber"):
            title["secnumber"] = list(new(title["secnumber"]))
    for toc in env.tocs.values():
        for reference in toc.findall(nodes.reference):
            if reference.get("secnumber"):
                reference["secnumber"] = list(new(reference["secnumber"]))
    for docname, by_type in env.toc_fignumbers.items():
        for numbers in by_type.values():
            for node_id, number in numbers.items():
                if len(number) > 1 and new(number) != number:
                    numbers[node_id] = new(number)
                    changed.add(docname)
    return sorted(changed)


#: The search scripts pydata-sphinx-theme 0.17 writes into every page's <head> (its layout.html)
_SEARCH_SCRIPTS = re.compile(
    r'\n[ \t]*<script src="[^"]*_static/searchtools\.js"></script>'
    r'\n[ \t]*<script src="[^"]*_static/language_data\.js"></script>'
    r'\n[ \t]*<script src="[^"]*searchindex\.js"></script>'
)


def without_search_scripts(page: str) -> str:
    r"""``page`` without the three search scripts the theme loads in every page's ``<head>``.

    pydata-sphinx-theme loads Sphinx's search (``searchtools.js``, ``language_data.js``) and
    the whole search index (``searchindex.js``, 306 KB) on every page, for its search as you
    type; the book does not turn that on (``search_as_you_type`` is false), so its search box
    sends the query to ``search.html``, which loads them itself, and no other page uses them.
    They were blocking scripts in the head, a third of a phone's first visit to a text page.

    Examples
    --------
    >>> head = (
    ...     '<meta charset="utf-8">\n    <script src="../_static/searchtools.js"></script>'
    ...     '\n    <script src="../_static/language_data.js"></script>'
    ...     '\n    <script src="../searchindex.js"></script>\n</head>'
    ... )
    >>> without_search_scripts(head)
    '<meta charset="utf-8">\n</head>'
    >>> without_search_scripts('<script src="searchindex.js"></script>')  # not the theme's three
    '<script src="searchindex.js"></script>'
    """
    return _SEARCH_SCRIPTS.sub("", page, count=1)


def drop_search_scripts(app, exception) -> None:
    """Apply :func:`without_search_scripts` to every page but the search page, unless the
    theme's search as you type is on (it then needs them on every page)."""
    if exception is not None or app.builder.format != "html":
        return
    options = app.config.html_theme_options or {}
    if str(options.get("search_as_you_type", False)).lower() == "true":
        return
    outdir = Path(app.outdir)
    for path in outdir.rglob("*.html"):
        if path.relative_to(outdir).as_posix() == "search.html":
            continue
        text = path.read_text(encoding="utf-8")
        trimmed = without_search_scripts(text)
        if trimmed != text:
            path.write_text(trimmed, encoding="utf-8")


def root_redirect_page(target: str, title: str, favicon: str | None) -> str:
    """The site's root ``index.html``: a redirect to the first page that names its icon.

    sphinx-external-toc writes a bare ``<meta http-equiv="Refresh">``; a browser opening it
    asked for ``/favicon.ico``, which the site does not have: a 404 in the console of every first
    visit. This page links the book's own icon (or none: ``data:,``).

    Examples
    --------
    >>> page = root_redirect_page("book/intro.html", "A & B", "_static/favicon.svg")
    >>> '<link rel="icon" href="_static/favicon.svg"' in page, "url=book/intro.html" in page
    (True, True)
    >>> '<link rel="icon" href="data:,">' in root_redirect_page("intro.html", "T", None)
    True
    """
    icon = f'href="{html.escape(favicon)}" type="image/svg+xml"' if favicon else 'href="data:,"'
    target = html.escape(target)
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<title>{html.escape(title)}</title>\n<link rel="icon" {icon}>\n'
        f'<meta http-equiv="Refresh" content="0; url={target}">\n</head>\n'
        f'<body><p><a href="{target}">{html.escape(title)}</a></p></body>\n</html>\n'
    )


def write_root_redirect(app, exception) -> None:
    """Write :func:`root_redirect_page` as ``index.html`` (before sphinx-external-toc, which
    writes its bare redirect only where no ``index.html`` exists)."""
    if exception is not None or app.builder.format != "html" or app.config.master_doc == "index":
        return
    favicon = app.config.html_favicon
    icon = f"_static/{Path(favicon).name}" if favicon and "://" not in favicon else favicon
    if icon and "://" not in icon and not (Path(app.outdir) / icon).is_file():
        icon = None
    page = root_redirect_page(f"{app.config.master_doc}.html", app.config.html_title or "", icon)
    (Path(app.outdir) / "index.html").write_text(page, encoding="utf-8")


def setup(app):
    import book_bibstyle

    # label -> [heading, chapter title] of the chapters a report leaves out (set by the runner)
    app.add_config_value("report_omitted_labels", {}, "env", types=[dict])
    # document name -> the chapter's number in the book, for a report (set by the runner)
    app.add_config_value("report_chapter_numbers", {}, "env", types=[dict])

    book_bibstyle.register()
    _keep_executed_outputs()
    _merge_streams_exactly()
    _numref_reads_once()
    app.connect("env-updated", _forget_numref_doctrees)
    app.connect("build-finished", _forget_numref_doctrees)
    app.connect("env-get-updated", keep_book_chapter_numbers, priority=800)
    app.connect("env-get-updated", unnumber_tables_outside_chapters, priority=900)
    app.connect("doctree-read", unlink_omitted_chapters)
    app.connect("doctree-read", record_section_anchors)
    app.connect("env-purge-doc", _purge_section_anchors)
    app.connect("env-merge-info", _merge_section_anchors)
    app.connect("doctree-resolved", number_references)
    app.connect("doctree-resolved", print_addresses)
    app.connect("build-finished", write_root_redirect, priority=400)
    app.connect("doctree-resolved", externalise_downloads)
    app.connect("doctree-resolved", figure_alt_text)
    app.connect("doctree-resolved", typographic_citations)
    app.add_transform(TypographicIndexEntries)
    app.connect("doctree-resolved", mark_table_columns)
    app.connect("doctree-resolved", keep_row_pairs)
    app.add_node(row_header, html=(visit_row_header, depart_row_header))
    app.connect("doctree-resolved", mark_row_headers)
    app.connect("doctree-resolved", provenance_legend)
    app.connect("doctree-resolved", solution_title_space)
    app.connect("html-page-context", trim_page_assets, priority=900)
    app.connect("html-page-context", name_folded_cells)
    app.connect("html-page-context", drop_row_parity)
    app.connect(
        "html-page-context", offer_executed_notebook, priority=450
    )  # before the theme's 501
    app.connect("build-finished", stub_fontawesome)
    app.connect("build-finished", subset_icon_font)
    app.connect("build-finished", drop_search_scripts)
    app.add_css_file(FA_SUBSET_CSS, priority=900)
    app.add_js_file("book.js", loading_method="defer")
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
