"""The book reads as a literate book, measured in Chromium on the built pages (issue 14).

At 1366x900 and 390x844, for every chapter page:

* analysis is visible: at least one code cell other than the ``parameters`` cell shows its code,
  and at least half of the result cells (a cell with output, or a figure cell behind a toggle)
  show their code or a toggle;
* no page is taller than 25,000 px at 1366 px;
* tables fit: none overflows at 1366 px, at most 10 % at 390 px, where a table inside a scrolling
  container with a visible cue (scroll shadows) counts as fitting;
* at least 90 % of result tables are numbered and captioned ("Table N.M");
* at most 5 % of table labels (headers and first-column cells) are code identifiers such as
  ``child_pugh_6`` or ``table1.sex_male.count`` (text shown as code, e.g. the column names of the
  data dictionary, is literal on purpose and not counted).

"Result tables" are the tables of the article except those printed by a cell whose code is
shown (what a reader's own notebook would print). Set ``BOOK_HTML`` to measure another build.
"""

from __future__ import annotations

import functools
import http.server
import os
import threading
from pathlib import Path

import pytest
from test_browser import ROOT, QuietHandler

pytestmark = [pytest.mark.book, pytest.mark.xdist_group("literate")]  # one measurement pass

HTML = Path(os.environ.get("BOOK_HTML", ROOT / "_build" / "html"))
CHAPTERS = sorted((HTML / "chapters").glob("*.html")) if (HTML / "index.html").is_file() else []
DESKTOP, PHONE = (1366, 900), (390, 844)
MAX_HEIGHT = 25_000

MEASURE = r"""
() => {
  const article = document.querySelector('article') || document.body;
  const cells = Array.from(article.querySelectorAll('div.cell'));
  const hasOutput = c => {
    const out = c.querySelector('.cell_output');
    return !!out && (out.innerText.trim().length > 0 || out.querySelector('img, svg, table') !== null);
  };
  const showsCode = c => c.querySelector('.cell_input') !== null;
  const isParam = c => c.classList.contains('tag_parameters');
  const toggled = c => c.classList.contains('tag_hide-input');
  const analysis = cells.filter(c => !isParam(c) && showsCode(c));
  const results = cells.filter(c => !isParam(c) && (hasOutput(c) || toggled(c)));
  const resultsShown = results.filter(showsCode);
  const identifier = /^[a-z][a-z0-9]*(?:[_.][a-z0-9]+)+$/;
  const tables = Array.from(article.querySelectorAll('table')).filter(t => {
    const cell = t.closest('div.cell');
    return !(cell && showsCode(cell));
  });
  const scroller = t => {
    for (let e = t.parentElement; e && e !== article; e = e.parentElement) {
      const s = getComputedStyle(e);
      if (s.overflowX === 'auto' || s.overflowX === 'scroll') return e;
    }
    return null;
  };
  const articleRight = article.getBoundingClientRect().right;
  let overflowing = 0, overflowingNoCue = 0, numbered = 0, labels = 0, codeLabels = 0;
  const bad = [];
  for (const t of tables) {
    const box = scroller(t);
    const wide = box ? t.scrollWidth > box.clientWidth + 1 : t.getBoundingClientRect().right > articleRight + 1;
    const cue = !!box && /gradient/.test(getComputedStyle(box).backgroundImage);
    if (wide) { overflowing += 1; if (!cue) overflowingNoCue += 1; }
    const cap = t.querySelector('caption .caption-number');
    if (cap && /Table\s+\d/.test(cap.textContent)) numbered += 1;
    const texts = [];
    t.querySelectorAll('thead th').forEach(th => texts.push(th));
    t.querySelectorAll('tbody tr').forEach(tr => { const c = tr.querySelector('th, td'); if (c) texts.push(c); });
    for (const c of texts) {
      const text = c.textContent.trim();
      if (!text) continue;
      labels += 1;
      const literal = c.querySelector('code') !== null;
      if (!literal && identifier.test(text)) { codeLabels += 1; if (bad.length < 5) bad.push(text); }
    }
  }
  return {
    height: document.documentElement.scrollHeight,
    analysis: analysis.length, results: results.length, resultsShown: resultsShown.length,
    tables: tables.length, overflowing, overflowingNoCue, numbered, labels, codeLabels, bad,
  };
}
"""


@pytest.fixture(scope="module")
def server():
    if not CHAPTERS:
        pytest.fail(f"the book is not built in {HTML}: run `make book` (make test does it first)")
    handler = functools.partial(QuietHandler, directory=str(HTML))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


@pytest.fixture(scope="module")
def measured(browser, server):
    """Measurements of every chapter at both widths: {(stem, width): dict}."""
    out = {}
    for width, height in (DESKTOP, PHONE):
        context = browser.new_context(viewport={"width": width, "height": height})
        page = context.new_page()
        page.route(
            "**/*",
            lambda route: (
                route.continue_()
                if route.request.url.startswith(("data:", "blob:", server))
                else route.abort()
            ),
        )
        for path in CHAPTERS:
            page.goto(f"{server}/chapters/{path.name}", wait_until="load")
            page.wait_for_timeout(100)
            out[path.stem, width] = page.evaluate(MEASURE)
        context.close()
    return out


def _stems():
    return [p.stem for p in CHAPTERS]


@pytest.mark.parametrize("stem", _stems())
def test_analysis_is_visible(measured, stem):
    m = measured[stem, DESKTOP[0]]
    assert m["analysis"] >= 1, f"{stem}: no code cell shows its code"
    assert m["results"] and m["resultsShown"] / m["results"] >= 0.5, (
        f"{stem}: {m['resultsShown']} of {m['results']} result cells show code or a toggle"
    )


@pytest.mark.parametrize("stem", _stems())
def test_page_height(measured, stem):
    height = measured[stem, DESKTOP[0]]["height"]
    assert height <= MAX_HEIGHT, f"{stem}: {height:,} px tall at 1366 px"


def test_tables_fit(measured):
    desktop = {s: measured[s, DESKTOP[0]] for s in _stems()}
    phone = {s: measured[s, PHONE[0]] for s in _stems()}
    wide = {s: m["overflowing"] for s, m in desktop.items() if m["overflowing"]}
    assert not wide, f"tables overflowing at 1366 px: {wide}"
    total = sum(m["tables"] for m in phone.values())
    no_cue = sum(m["overflowingNoCue"] for m in phone.values())
    assert total and no_cue / total <= 0.10, (
        f"{no_cue} of {total} tables overflow at 390 px without a scroll cue"
    )


def test_tables_numbered_and_captioned(measured):
    ms = [measured[s, DESKTOP[0]] for s in _stems()]
    total = sum(m["tables"] for m in ms)
    numbered = sum(m["numbered"] for m in ms)
    assert total and numbered / total >= 0.90, f"{numbered} of {total} result tables numbered"


def test_table_labels_are_clinical(measured):
    ms = {s: measured[s, DESKTOP[0]] for s in _stems()}
    labels = sum(m["labels"] for m in ms.values())
    code = sum(m["codeLabels"] for m in ms.values())
    examples = {s: m["bad"] for s, m in ms.items() if m["bad"]}
    assert labels and code / labels <= 0.05, (
        f"{code} of {labels} table labels are code identifiers: {examples}"
    )
