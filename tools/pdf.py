"""Print the built book to PDF handouts: one PDF per page of the table of contents, and the book.

``make pdf`` runs ``python tools/pdf.py``. It needs ``_build/html`` (``make book``) and Debian's
Chromium (``make chromium``), driven by Playwright, and writes

* ``_build/pdf/<page>.pdf`` for every page in ``_toc.yml`` (``01-data.pdf``, ``intro.pdf``, …;
  a page in a subfolder is named by its path there: ``book/api/clinical`` is ``api-clinical.pdf``,
  so ``book/api/book`` does not overwrite ``book.pdf``, see :func:`pdf_name`);
* ``_build/pdf/book.pdf``: every page in table-of-contents order, each starting on a new sheet.

The print stylesheet (``book/_static/book.css``, ``@media print``) drops the sidebars, header
and buttons, lets tables wrap at 7.5 pt instead of scrolling (a long one breaks between rows,
its header repeated), prints dropdowns open (but for long tables of sentences, named instead)
and fits figures to the page (a figure moved whole to the next sheet, leaving the sheet before
more than a quarter blank, is drawn smaller, down to 0.7 of its size, to fit there, or else the
text after it is printed before it, to fill that sheet, and the page printed again; where it
cannot shrink enough alone, it and a figure on the sheet before are drawn smaller together, to
one scale not below 0.7; a handout whose last sheet holds a few lines is printed again with its
last sections spaced a little tighter, kept if it then prints on fewer sheets; a table's
numbered notes printed at the head of the sheet after their table's are brought back under it
by drawing a figure above the table on its sheet smaller, as far as FIT_MIN_SCALE allows: needs
poppler's pdftotext; a reader's own "Print" does not do this); A4, with the synthetic-data notice at the head of every sheet (a
page margin box, also in a reader's own "Print"; on a page without patient-level results, a
notice that says so) and "title · page n of N" in the footer. With ``--base-url`` the page's
address there is printed under the title; without it no address (the pages are printed from
127.0.0.1, which no reader can open), and what a handout leaves out (solutions, long tables)
is pointed to by chapter and section of the HTML book (book.js). Before printing, every table is checked at the printed
width: a table wider than the page (it would be clipped) fails the run with exit code 1, naming
the page and the table. The pages are served from 127.0.0.1 and any other request is refused, so
printing needs no network.

Usage::

    python tools/pdf.py [--html _build/html] [--out _build/pdf] [--pages chapters/05-response ...]
                        [--no-book] [--base-url https://example.org/book/]
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import html as html_lib
import http.server
import json
import shutil
import subprocess
import sys
import threading
from pathlib import Path
from urllib.parse import urlparse

import yaml

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
#: A4 minus the 14 mm side margins, in CSS pixels (96 per inch): the printed line width.
PRINT_WIDTH_PX = round((210 - 2 * 14) / 25.4 * 96)
MARGIN = {"top": "16mm", "bottom": "18mm", "left": "14mm", "right": "14mm"}
# The page number never wraps: under the home page's long title (its h1 and the book's title)
# the footer read "page 1 of" over "3". A title too long for one line wraps beside it.
FOOTER = (
    '<div style="font-size:7pt;color:#555;width:100%;padding:0 14mm;'
    'font-family:sans-serif;display:flex;justify-content:space-between;gap:2em">'
    '<span class="title"></span><span style="white-space:nowrap;flex:none">page '
    '<span class="pageNumber"></span> of <span class="totalPages"></span></span></div>'
)
PRINT_DIR = "_print"  # inside the HTML build, one level deep like book/ and chapters/

# Widths of tables (and other wide blocks) that would not fit the printed line.
_CLIPPED_JS = """
(limit) => {
  const article = document.querySelector('article.bd-article') || document.body;
  const right = article.getBoundingClientRect().left + limit + 1;
  const out = [];
  article.querySelectorAll('table').forEach((t, i) => {
    const r = t.getBoundingClientRect();
    if (r.width > 0 && (r.right > right || t.scrollWidth > Math.ceil(r.width) + 1)) {
      const cap = t.querySelector('caption');
      out.push(`table ${i + 1}${cap ? ' (' + cap.innerText.slice(0, 60) + ')' : ''}: ` +
               `${Math.round(r.width)} px wide, the page has ${limit} px`);
    }
  });
  return out;
}
"""


# A figure moved whole to the next sheet leaves the sheet before blank under its last line (07's
# Fig. 7.1, 59 % blank, when the text above it grew by ten lines). After printing, such a figure
# is drawn smaller, to fit the space left on the sheet before, and the page is printed again:
# never below FIT_MIN_SCALE of its printed size (at 0.7 a figure's 10-pt labels print at 7 pt),
# and only where more than FIT_BLANK of that sheet is blank. Needs poppler's pdftotext.
FIT_MIN_SCALE = 0.7
FIT_BLANK = 0.25
_MM_PT = 72 / 25.4
PX_PT = 0.75  # points per CSS px

# Each figure with an image, as printed: its caption's number, where its caption starts inside
# it, its height with its margins (pt), and whether tools/pdf.py already fitted or tried it.
_FIGURES_JS = """
() => [...document.querySelectorAll('article figure')].map((f, i) => {
  const img = f.querySelector('img'), num = f.querySelector('figcaption .caption-number');
  if (!img || !num) return null;
  const r = f.getBoundingClientRect(), c = num.getBoundingClientRect();
  const art = (document.querySelector('article.bd-article') || document.body).getBoundingClientRect();
  const cs = getComputedStyle(f);
  return {i, num: num.textContent.trim(), capDy: (c.top - r.top) * 0.75, capDx: (c.left - art.left) * 0.75,
          height: (r.height + parseFloat(cs.marginTop) + parseFloat(cs.marginBottom)) * 0.75,
          tried: f.hasAttribute('data-print-fit')};
})
"""

# Draws figure ``i``'s image at the largest scale (FIT_MIN_SCALE to 1, in steps of 0.02, of the
# width it was first printed at; below the scale it is drawn at now) at which the figure, its
# caption beside the image, is at most ``room`` pt tall with its margins; returns the scale, or
# null (nothing changed). The figure is marked either way (data-print-fit), but with ``keep`` a
# figure it cannot fit keeps the mark it had, or none (a figure drawn smaller for a table's
# notes: one it could not shrink for them may still be fitted when it moves).
_FIT_JS = """
([i, room, least, keep]) => {
  const f = document.querySelectorAll('article figure')[i], img = f.querySelector('img');
  const cs = getComputedStyle(f);
  if (!f.hasAttribute('data-print-width')) f.setAttribute('data-print-width', String(img.getBoundingClientRect().width));
  const width = parseFloat(f.getAttribute('data-print-width'));
  const now = parseFloat(f.getAttribute('data-print-fit')) || 1;
  const tall = () => (f.getBoundingClientRect().height + parseFloat(cs.marginTop) + parseFloat(cs.marginBottom)) * 0.75;
  const given = img.getAttribute('style') || '';
  for (let s = now - 0.02; s >= least - 1e-9; s -= 0.02) {
    img.style.setProperty('width', (width * s).toFixed(1) + 'px', 'important');
    img.style.setProperty('max-height', 'none', 'important');
    if (tall() <= room) {
      f.setAttribute('data-print-fit', s.toFixed(2));
      f.classList.add('print-fitted');
      return Number(s.toFixed(2));
    }
  }
  img.setAttribute('style', given);
  if (!keep) f.setAttribute('data-print-fit', 'no');
  return null;
}
"""


# Draws figure ``i``'s image at ``scale`` of the width it was first printed at (1: as printed)
# and returns the figure's height with its margins (pt); marks it fitted (data-print-fit) below 1;
# the image's own style is kept (data-print-style), for :func:`_fit_with` to draw it as it was.
_SCALE_JS = """
([i, scale]) => {
  const f = document.querySelectorAll('article figure')[i], img = f.querySelector('img');
  const cs = getComputedStyle(f);
  if (!f.hasAttribute('data-print-width')) f.setAttribute('data-print-width', String(img.getBoundingClientRect().width));
  if (!f.hasAttribute('data-print-style')) f.setAttribute('data-print-style', img.getAttribute('style') || '');
  const width = parseFloat(f.getAttribute('data-print-width'));
  img.style.setProperty('width', (width * scale).toFixed(1) + 'px', 'important');
  img.style.setProperty('max-height', 'none', 'important');
  if (scale < 1) { f.setAttribute('data-print-fit', scale.toFixed(2)); f.classList.add('print-fitted'); }
  return (f.getBoundingClientRect().height + parseFloat(cs.marginTop) + parseFloat(cs.marginBottom)) * 0.75;
}
"""


# Where figure ``i`` cannot be drawn small enough (``_FIT_JS`` gave null), the blocks that follow
# it in its section (a paragraph, a code cell), as many as fit the ``room`` (pt) left on the sheet
# before, are printed before it: the figure still heads the next sheet, the text after it fills
# the sheet before, as a printed book floats a figure (07's Fig. 7.1 with its code cell and the
# paragraph after it: the sheet before was 46 % blank). Blocks of no height printed beside the
# figure (its downloads) stay with it; a heading or a section ends the search. Returns how many
# blocks moved, or null (nothing changed). The figure is marked (data-print-float).
_FLOAT_JS = """
([i, room]) => {
  const f = document.querySelectorAll('article figure')[i];
  let block = f;
  while (block.parentElement && !block.parentElement.matches('section, article')) block = block.parentElement;
  const tall = e => {
    const cs = getComputedStyle(e);
    return (e.getBoundingClientRect().height + parseFloat(cs.marginTop) + parseFloat(cs.marginBottom)) * 0.75;
  };
  let after = block.nextElementSibling;
  while (after && after.getBoundingClientRect().height === 0) after = after.nextElementSibling;
  const moved = [];
  let used = 0;
  for (let e = after; e && !e.matches('section, h1, h2, h3, h4, h5, h6'); e = e.nextElementSibling) {
    const h = tall(e);
    if (used + h > room) break;
    used += h;
    moved.push(e);
  }
  if (!moved.length) return null;
  for (const e of moved) block.parentNode.insertBefore(e, block);
  f.setAttribute('data-print-float', String(moved.length));
  return moved.length;
}
"""


# A table's numbered notes (book.js wraps each in span.table-note#<table id>-note-<n>, in the
# paragraphs after the table; book.css keeps each note whole on paper) printed at the head of the
# sheet after the one their table ends: Table 6.3's two notes (83 pt) under Fig. 6.5, with 50 pt
# left under the table. Kept with the table by force, the table moved too and left its sheet
# 52 % blank. A figure earlier on the table's sheet is drawn smaller instead, just enough to free
# the room the notes need (not below FIT_MIN_SCALE of its size), and the page printed again.
# Each table with notes, as printed: its caption's number, the first words after it (where its
# notes begin), the height from its bottom edge to its last note's (pt; with the margin under
# the table), the figures before it, and how often tools/pdf.py shrank a figure for it.
_NOTES_JS = """
() => [...document.querySelectorAll('article table[id]')].map((t, i) => {
  const notes = [...document.querySelectorAll('span.table-note')].filter(n => n.id.startsWith(t.id + '-note-'));
  const num = t.querySelector('caption .caption-number');
  if (!notes.length || !num) return null;
  const box = t.parentElement.classList.contains('pst-scrollable-table-container') ? t.parentElement : t;
  let next = box.nextElementSibling;
  while (next && next.getBoundingClientRect().height === 0) next = next.nextElementSibling;
  const last = notes[notes.length - 1].closest('p') || notes[notes.length - 1];
  const figures = [...document.querySelectorAll('article figure')]
    .map((f, j) => (f.compareDocumentPosition(t) & Node.DOCUMENT_POSITION_FOLLOWING) ? j : -1)
    .filter(j => j >= 0);
  return {i, num: num.textContent.trim(), first: next ? next.innerText.split(/\\s+/).filter(Boolean).slice(0, 4) : [],
          need: (last.getBoundingClientRect().bottom - t.getBoundingClientRect().bottom) * 0.75,
          figures, tries: Number(t.getAttribute('data-print-notes') || 0)};
})
"""


def _sheets_words(pdf: Path) -> list[list[tuple[float, float, float, float, str]]]:
    """Every sheet's words with their boxes in pt (``pdftotext -bbox``), in reading order."""
    import html.parser

    out: list[list] = []

    class Words(html.parser.HTMLParser):
        def handle_starttag(self, tag, attrs):
            a = dict(attrs)
            if tag == "page":
                out.append([])
            elif tag == "word":
                self.box = [float(a[k]) for k in ("xmin", "ymin", "xmax", "ymax")]

        def handle_data(self, data):
            if getattr(self, "box", None) is not None:
                out[-1].append((*self.box, data.strip()))
                self.box = None

    text = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    Words().feed(text)
    return out


def _moved_figure(pdf: Path, figures: list[dict]) -> tuple[dict, float] | None:
    """The first figure not yet fitted that begins a sheet after one left more than FIT_BLANK
    blank, and the room (pt) under the last line of that sheet; None if there is none."""
    top, bottom = 16 * _MM_PT, (297 - 18) * _MM_PT
    sheets = _sheets_words(pdf)
    left = 14 * _MM_PT
    for fig in figures:
        if fig is None or fig["tried"]:
            continue
        label, number = fig["num"].split()[:2] if len(fig["num"].split()) >= 2 else (None, None)
        for k, words in enumerate(sheets[1:], start=1):
            hits = [
                w
                for j, w in enumerate(words[:-1])
                if w[4] == label
                and words[j + 1][4] == number
                and abs(w[0] - left - fig["capDx"]) < 4
            ]
            if not hits:
                continue
            if hits[0][1] - fig["capDy"] - top > 20:  # not at the head of its sheet
                break
            body = [w[3] for w in sheets[k - 1] if top <= w[1] and w[3] <= bottom]
            room = bottom - (max(body) if body else top) - 12  # a box's border and padding
            if room > FIT_BLANK * (bottom - top) and fig["height"] > room:
                return fig, room
            break
    return None


def _figures_before(pdf: Path, fig: dict, figures: list[dict]) -> list[dict]:
    """The figures (of ``_FIGURES_JS``, not yet fitted) whose caption prints on the sheet before
    the one ``fig``'s caption heads, tallest first."""
    left = 14 * _MM_PT
    sheets = _sheets_words(pdf)

    def sheet_of(f):
        label, number = (f["num"].split() + [None, None])[:2]
        for k, words in enumerate(sheets):
            if any(
                w[4] == label and words[j + 1][4] == number and abs(w[0] - left - f["capDx"]) < 4
                for j, w in enumerate(words[:-1])
            ):
                return k
        return None

    k = sheet_of(fig)
    if not k:
        return []
    placed = [
        f for f in figures if f and not f["tried"] and f["i"] != fig["i"] and sheet_of(f) == k - 1
    ]
    return sorted(placed, key=lambda f: -f["height"])


def _fit_with(page, fig: dict, room: float, others: list[dict]) -> bool:
    """Draws ``fig`` (moved to the next sheet, too tall for the ``room`` left under the sheet
    before's last line even at FIT_MIN_SCALE) and a figure printed on that sheet before it at
    one scale, the largest from 0.98 down to FIT_MIN_SCALE at which ``fig`` fits the room the
    smaller figure above frees; returns whether it found one (else both are drawn as they were,
    ``fig`` still marked as tried, data-print-fit "no")."""
    for other in others:
        s = 0.98
        while s >= FIT_MIN_SCALE - 1e-9:
            freed = other["height"] - page.evaluate(_SCALE_JS, [other["i"], s])
            if page.evaluate(_SCALE_JS, [fig["i"], s]) <= room + freed - 2:
                return True
            s = round(s - 0.02, 2)
        for f, mark in ((other, None), (fig, "no")):
            page.evaluate(
                "([i, mark]) => { const f = document.querySelectorAll('article figure')[i];"
                " f.querySelector('img').setAttribute('style', f.getAttribute('data-print-style') || '');"
                " f.classList.remove('print-fitted');"
                " if (mark) f.setAttribute('data-print-fit', mark);"
                " else f.removeAttribute('data-print-fit'); }",
                [f["i"], mark],
            )
    return False


def _parted_notes(
    pdf: Path, tables: list[dict], figures: list[dict]
) -> tuple[dict, dict, float] | None:
    """The first table (of ``_NOTES_JS``) whose notes begin a sheet while the table ends the
    sheet before, with a figure before it on that sheet, and the height (pt) the figure must
    give up for the notes to print under the table; None if there is none."""
    top, bottom = 16 * _MM_PT, (297 - 18) * _MM_PT
    left = 14 * _MM_PT
    sheets = [[w for w in words if top <= w[1] and w[3] <= bottom] for words in _sheets_words(pdf)]

    def at(words, label, number, dx=None):
        return any(
            w[4] == label
            and words[j + 1][4] == number
            and (dx is None or abs(w[0] - left - dx) < 4)
            for j, w in enumerate(words[:-1])
        )

    for table in tables:
        if table is None or table["tries"] >= 3 or len(table["first"]) < 2:
            continue
        label, number = (table["num"].split() + [None])[:2]
        first = table["first"]
        for k, words in enumerate(sheets[1:], start=1):
            if [w[4] for w in words[: len(first)]] != first:
                continue
            before = sheets[k - 1]
            if not before or not at(before, label, number):
                break  # the table does not end the sheet before
            room = bottom - max(w[3] for w in before) - 3  # the last row's padding, its border
            short = table["need"] - room
            if short <= 0 and not table["tries"]:
                break  # room enough: not the figure keeps them apart
            # drawn smaller as estimated and still apart: a little smaller again
            short = max(short, 0) + 4 * table["tries"]
            placed = [
                fig
                for fig in (figures[j] for j in table["figures"])
                if fig is not None
                and at(before, *fig["num"].split()[:2], dx=fig["capDx"])
                and fig["height"] > short
            ]
            if placed:
                return table, max(placed, key=lambda f: f["height"]), short
            break
    return None


# A chapter whose last sheet holds a few lines (03, 06 and 09 ended on one exercise box, 55-84 %
# of the sheet blank) is printed again with its last two sections spaced a little tighter, the
# text at the same size: lines 1.5 times the text's size instead of 1.65, less space above
# headings and between paragraphs and boxes; kept where the chapter then prints on one sheet
# fewer (03); else with every section so (06, 09). The last sections first: the whole chapter
# spaced so moves every break before them (07 and 10 printed on more sheets). The last section
# alone, or the last three, saved no sheet in any chapter, and each try prints the chapter again.
# THIN_TAIL: the last sheet is "thin" when its words end above this share of its text area.
# TIGHT_TRIES: how many last sections each try spaces tighter (999: all).
THIN_TAIL = 0.5
TIGHT_TRIES = (2, 999)
_TIGHT_CSS = """
@media print {
  section[data-print-tight] { line-height: 1.5 !important; }
  section[data-print-tight] :is(p, li, dd, dt) { line-height: 1.5 !important; }
  section[data-print-tight] p:has(> span.table-note) { line-height: 1.35 !important; }
  section[data-print-tight] :is(h2, h3) { margin-top: 1.6rem !important; margin-bottom: 0.7rem !important; }
  section[data-print-tight] p { margin-bottom: 0.75rem !important; }
  section[data-print-tight] div.cell { margin-bottom: 0.6rem !important; }
  section[data-print-tight] div.admonition { margin-top: 0.7rem !important; margin-bottom: 0.6rem !important; padding-bottom: 0.5rem !important; }
  section[data-print-tight] div.admonition > p.admonition-title { margin-bottom: 0.4rem !important; }
  section[data-print-tight] pre { padding-top: 0.5rem !important; padding-bottom: 0.5rem !important; }
}
"""
# Marks the last ``n`` sections under a second-level heading (data-print-tight); returns how
# many it marked.
_TIGHTEN_JS = """
(n) => {
  const sections = [...document.querySelectorAll('article section')].filter(s => s.querySelector(':scope > h2'));
  const last = sections.slice(-n);
  last.forEach(s => s.setAttribute('data-print-tight', ''));
  return last.length;
}
"""


def _thin_tail(pdf: Path) -> bool:
    """Whether ``pdf``'s last sheet, after one sheet or more, holds words in less than
    THIN_TAIL of its text area (the synthetic-data line in its margin does not count)."""
    top, bottom = 16 * _MM_PT, (297 - 18) * _MM_PT
    sheets = _sheets_words(pdf)
    if len(sheets) < 2:
        return False
    body = [w[3] for w in sheets[-1] if top <= w[1] and w[3] <= bottom]
    return not body or (max(body) - top) < THIN_TAIL * (bottom - top)


def toc_pages(root: Path = ROOT) -> list[str]:
    """Docnames in table-of-contents order (``book/intro``, ``chapters/01-data``, …)."""
    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    pages = [toc["root"]]

    def walk(entries):
        for entry in entries or []:
            if "file" in entry:
                pages.append(entry["file"])
            walk(entry.get("sections"))

    for part in toc.get("parts", []):
        walk(part.get("chapters"))
    walk(toc.get("chapters"))
    return [p.removesuffix(".md").removesuffix(".ipynb") for p in pages]


def pdf_name(docname: str) -> str:
    """The file a page prints to: its name, or its path below the top folder for a page deeper
    down (the API's module pages, ``book/api/<module>``).

    >>> pdf_name("chapters/01-data"), pdf_name("book/api"), pdf_name("book/api/book")
    ('01-data.pdf', 'api.pdf', 'api-book.pdf')
    """
    parts = Path(docname).parts
    return "-".join(parts[1:] if len(parts) > 2 else parts[-1:]) + ".pdf"


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@contextlib.contextmanager
def _serve(directory: Path):
    handler = functools.partial(_QuietHandler, directory=str(directory))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def _local_only(route) -> None:
    url = route.request.url
    if url.startswith(("data:", "blob:")) or urlparse(url).hostname in ("127.0.0.1", "localhost"):
        route.continue_()
    else:
        route.abort()


def _book_html(html_dir: Path, pages: list[str]) -> str:
    """One HTML document with the article of every page, for ``book.pdf``. Its title, which
    every sheet's footer prints, is the home page's (the book's title: the root of the table
    of contents, or the first page when it was not built); it was the title of the last page
    that loads MathJax, whose head the document takes, and every sheet of the book read
    "Clinical rules: analysis.clinical"."""
    from bs4 import BeautifulSoup

    def read(name: str):
        return BeautifulSoup((html_dir / f"{name}.html").read_text(encoding="utf-8"), "html.parser")

    home = toc_pages()[0]
    titled = read(home if (html_dir / f"{home}.html").is_file() else pages[0])
    title = titled.title.string if titled.title else None
    head = None
    parts = []
    for i, name in enumerate(pages):
        soup = read(name)
        if head is None or soup.find("script", src=lambda s: s and "mathjax" in s.lower()):
            head = soup.head
        article = soup.find("article")
        if article is None:
            continue
        style = "" if i == 0 else ' style="break-before: page"'
        # data-page: the page's path in the book, for its printed address (book.js)
        parts.append(
            f'<section class="book-print-page" data-page="{html_lib.escape(name)}.html"{style}>'
            f"{article.decode_contents()}</section>"
        )
    title = title or "Book"
    head_html = str(head)
    if head is not None and head.title:
        head_html = head_html.replace(str(head.title), "")
    return (
        '<!DOCTYPE html><html lang="en" data-content_root="../" data-mode="light" '
        f'data-theme="light">{head_html}'
        f"<title>{html_lib.escape(title.split(' — ')[0] if ' — ' in title else title)}</title>"
        '<body><div class="bd-container"><div class="bd-main"><div class="bd-content">'
        '<div class="bd-article-container"><article class="bd-article">'
        + "".join(parts)
        + "</article></div></div></div></div></body></html>"
    )


def _load(page, url: str, tight: int = 0) -> None:
    """Load ``url`` in print media; with ``tight``, its last ``tight`` sections spaced tighter."""
    page.goto(url, wait_until="load")
    page.emulate_media(media="print")
    if tight:
        page.add_style_tag(content=_TIGHT_CSS)
        page.evaluate(_TIGHTEN_JS, tight)
    if page.locator(".math").count():
        page.wait_for_function(
            "document.querySelectorAll('.math').length === "
            "document.querySelectorAll('.math mjx-container').length",
            timeout=30000,
        )
    page.evaluate("document.fonts.ready")


def _pdf(page, target: Path) -> None:
    page.pdf(
        path=str(target),
        format="A4",
        margin=MARGIN,
        print_background=True,
        display_header_footer=True,
        header_template="<div></div>",
        footer_template=FOOTER,
    )


def _fit(page, target: Path) -> None:
    """Print the loaded page to ``target``, then fit its figures (:func:`_moved_figure`,
    :func:`_parted_notes`) and print again after each change."""
    _pdf(page, target)
    if not shutil.which("pdftotext"):
        return
    # a figure fitted (or drawn smaller for a table's notes) moves what follows it: print
    # again, look again
    for _ in range(8):
        moved = _moved_figure(target, page.evaluate(_FIGURES_JS))
        if moved is not None:
            fig, room = moved
            if page.evaluate(_FIT_JS, [fig["i"], room, FIT_MIN_SCALE, False]) is not None:
                _pdf(page, target)
            elif _fit_with(
                page, fig, room, _figures_before(target, fig, page.evaluate(_FIGURES_JS))
            ):
                _pdf(page, target)
            elif page.evaluate(_FLOAT_JS, [fig["i"], room]) is not None:
                _pdf(page, target)
            continue
        parted = _parted_notes(target, page.evaluate(_NOTES_JS), page.evaluate(_FIGURES_JS))
        if parted is None:
            break
        table, fig, short = parted
        page.evaluate(
            "([i, n]) => document.querySelectorAll('article table[id]')[i]"
            ".setAttribute('data-print-notes', String(n))",
            [table["i"], table["tries"] + 1],
        )
        room = fig["height"] - short
        if page.evaluate(_FIT_JS, [fig["i"], room, FIT_MIN_SCALE, True]) is not None:
            _pdf(page, target)


def _print(page, url: str, target: Path, tighten: bool = True) -> list[str]:
    """Print ``url`` to ``target`` (fitting its figures); with ``tighten``, a thin last sheet is
    tried away (:data:`TIGHT_TRIES`). Returns the tables too wide for the printed line."""
    _load(page, url)
    clipped = page.evaluate(_CLIPPED_JS, PRINT_WIDTH_PX)
    _fit(page, target)
    if tighten and shutil.which("pdftotext") and _thin_tail(target):
        # the last sheet holds a few lines: its last sections spaced tighter (_TIGHT_CSS),
        # kept if the page prints on fewer sheets, else printed again as it was
        sheets = len(_sheets_words(target))
        for n in TIGHT_TRIES:
            _load(page, url, tight=n)
            _fit(page, target)
            if len(_sheets_words(target)) < sheets:
                break
        else:
            _load(page, url)
            _fit(page, target)
    return clipped


def print_book(
    html_dir: Path = ROOT / "_build" / "html",
    out_dir: Path = ROOT / "_build" / "pdf",
    pages: list[str] | None = None,
    book: bool = True,
    browser=None,
    watch=None,
    after=None,
    base_url: str | None = None,
    tighten: bool = True,
) -> tuple[list[Path], list[str]]:
    """Print ``pages`` (default: the table of contents) and, with ``book``, the whole book.

    ``browser``: a Playwright Chromium browser to reuse (a test's); by default one is launched.
    ``watch(page)``: called on the printing page before it loads anything, to guard its
    requests (default: every request is routed, 127.0.0.1 served and the rest refused; a test
    passes a listener that records any request leaving the machine, since routing costs the
    page its HTTP cache). ``after(page, name)``: called on each
    page once it is printed (a test measures the printed page there instead of loading it again).
    ``base_url``: where the book is published (``https://example.org/book/``): each page prints
    its address there under its title (book.js); by default no address (this run's local server
    is no address a reader can open) and the pointers name the HTML book's chapter and section.
    ``tighten``: a handout whose last sheet is thin is printed again with its last sections
    spaced tighter (:data:`TIGHT_TRIES`); a test of something else (a figure's fitting, the
    sheets' header) passes False and saves up to three prints a page.
    Returns the PDFs written and the clipped-table problems found (empty when all fit).
    """
    from playwright.sync_api import sync_playwright

    html_dir = Path(html_dir)
    names = [p for p in (pages or toc_pages()) if (html_dir / f"{p}.html").is_file()]
    if not names:
        raise FileNotFoundError(f"no built pages in {html_dir}: run `make book` first")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    problems: list[str] = []
    print_dir = html_dir / PRINT_DIR
    with contextlib.ExitStack() as stack:
        base = stack.enter_context(_serve(html_dir))
        if browser is None:
            p = stack.enter_context(sync_playwright())
            browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
            stack.callback(browser.close)
        context = browser.new_context(viewport={"width": PRINT_WIDTH_PX, "height": 1000})
        page = context.new_page()
        if watch is None:
            page.route("**/*", _local_only)
        else:
            watch(page)
        if base_url:
            page.add_init_script(f"window.BOOK_PRINT_ROOT = {json.dumps(base_url)};")
        try:
            for name in names:
                target = out_dir / pdf_name(name)
                clipped = _print(page, f"{base}/{name}.html", target, tighten=tighten)
                problems += [f"{name}: {c}" for c in clipped]
                written.append(target)
                if after is not None:
                    after(page, name)
            if book:
                print_dir.mkdir(exist_ok=True)
                (print_dir / "book.html").write_text(_book_html(html_dir, names), encoding="utf-8")
                target = out_dir / "book.pdf"
                problems += [
                    f"book: {c}"
                    # each page begins a new sheet: a page's thin last sheet stays (the
                    # handouts try it away), and the book is not printed up to five times
                    for c in _print(page, f"{base}/{PRINT_DIR}/book.html", target, tighten=False)
                ]
                written.append(target)
        finally:
            shutil.rmtree(print_dir, ignore_errors=True)
            context.close()
    return written, problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--html", type=Path, default=ROOT / "_build" / "html")
    parser.add_argument("--out", type=Path, default=ROOT / "_build" / "pdf")
    parser.add_argument("--pages", nargs="*", help="docnames, e.g. chapters/05-response")
    parser.add_argument("--no-book", action="store_true", help="skip book.pdf")
    parser.add_argument(
        "--base-url",
        help="where the book is published (https://…/): each handout prints its page's address "
        "there (default: no address; pointers name the HTML book's chapter and section)",
    )
    args = parser.parse_args(argv)
    if not (args.html / "index.html").is_file():
        print(f"error: {args.html} has no built book: run `make book` first", file=sys.stderr)
        return 2
    if not Path(CHROMIUM).exists():
        print("error: chromium is not installed: run `make chromium`", file=sys.stderr)
        return 2
    if not args.base_url:
        print(
            "note: no --base-url: handouts print no web address; what they leave out is pointed "
            "to by chapter and section of the HTML book",
            file=sys.stderr,
        )
    try:
        written, problems = print_book(
            args.html, args.out, args.pages, book=not args.no_book, base_url=args.base_url
        )
    except FileNotFoundError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    for path in written:
        print(f"PDF: {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")
    if problems:
        print("tables wider than the printed page (they would be clipped):", file=sys.stderr)
        for problem in problems:
            print(f"  {problem}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
