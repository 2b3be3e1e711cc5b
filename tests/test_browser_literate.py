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

import pytest
from test_browser import CHAPTER_PAGES, HTML

# the measurements come from test_browser.py's tour (tests/conftest.py: `toured`), done once by
# the worker that runs the group
pytestmark = [pytest.mark.book, pytest.mark.xdist_group("browser")]

CHAPTERS = CHAPTER_PAGES
DESKTOP, PHONE = (1366, 900), (390, 844)
MAX_HEIGHT = 25_000


@pytest.fixture(scope="module")
def measured(toured):
    """tests/literate_measure.js on every chapter at both widths: {(stem, width): dict}."""
    out = {}
    for path in CHAPTERS:
        for width in (DESKTOP[0], PHONE[0]):
            record = toured[path.relative_to(HTML).as_posix(), width]
            assert record["error"] is None, f"{path.name} at {width} px: {record['error']}"
            out[path.stem, width] = record["literate"]
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
