"""The built book as a reader meets it, in headless Chromium (Debian's, driven by Playwright).

Needs ``_build/html`` (``make test`` builds it first). Checks every page: internal links and
anchors resolve, images load, no traceback / stderr / unresolved glue / raw TeX is shown, the
synthetic-data notice is on every chapter, search finds "Kaplan", and no request leaves the
machine. Screenshots of every chapter at desktop and phone widths go to
``test-artifacts/screenshots/``.

The site itself (issue 15): no console error or page error on any page, the footer on every
page, the phone menu and table of contents open from the visible buttons at 390 px, cold pages
are light (median <= 1.5 MB at 1366x900 and 390x844, chapter HTML <= 200 KB, downloads are
files, not base64), MathJax only where there is maths, figures have alt text that is not a file
name, each chapter offers its .md and executed .ipynb, the bibliography uses the author-year
labels of the text, and ``tools/pdf.py`` prints a chapter whose first page reads right.

Each page is loaded once per width, cold (a fresh browser context), at 1366x900 and on a
390x844 phone (mobile emulation, 2x pixels; of the API reference's 22 module pages, which share
one layout, only the two largest: :data:`TOURED_PAGES`): the tour (:func:`tour`, shared with
test_browser_literate.py through ``tests/conftest.py``) records what every check here needs,
and the tests assert on the records. The tests that only measure a page at one of those widths
read the tour's probe of it (:data:`_PROBE_JS`, run once the record is taken) instead of loading
the chapters again (those of one or two chapters too: :data:`_CHAPTER_PROBES`), the checks of
printed pages measure each chapter as tools/pdf.py prints it (``printed_chapters``, also those
that loaded a chapter again in print media: :data:`_PRINTED_PROBES`), and the checks at 320 and
1280 px share one load of each chapter per width (``chapters_at``); tests that click, print with
other options or load a page the tour leaves out keep their own page.

``BOOK_HTML=/path/to/_build/html`` tests another build (a helper's private one).
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import importlib.util
import json
import os
import re
import shutil
import statistics
import subprocess
from pathlib import Path
from urllib.parse import unquote, urldefrag, urlparse

import pytest
from bs4 import BeautifulSoup, NavigableString, Tag

# one worker takes the group: it tours the pages once (tests/conftest.py: `toured`) for both modules
pytestmark = [pytest.mark.book, pytest.mark.xdist_group("browser")]

ROOT = Path(__file__).resolve().parent.parent
HTML = Path(os.environ.get("BOOK_HTML") or ROOT / "_build" / "html").resolve()
SHOTS = ROOT / "test-artifacts" / "screenshots"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
#: The features Playwright (1.65) turns off in the Chromium it launches, its own
#: ``--disable-features`` (the last such switch counts, so :func:`launch` passes them again with
#: :data:`UNUSED_FEATURES`; a test checks the launched browser's command line for a name missing here)
PLAYWRIGHT_DISABLED_FEATURES = (
    "AvoidUnnecessaryBeforeUnloadCheckSync,DestroyProfileOnBrowserClose,HttpsUpgrades,"
    "HttpsFirstBalancedModeAutoEnable,LensOverlay,MediaRouter,PaintHolding,"
    "ThirdPartyStoragePartitioning,AvoidCorsURLLoaderRestartOnRedirect,TcpPortRandomizationWin,"
    "OptimizationHints,NetworkTimeServiceQuerying,AimEnabled,PreconnectToSearch,"
    "msForceBrowserSignIn,msEdgeUpdateLaunchServicesPreferredVersion"
).split(",")
#: Browser UI no test looks at: headless Chromium (the full browser since version 132) gave
#: each window the address bar's drop-down, two WebUI pages in a renderer process of their own
#: (``chrome://omnibox-popup.top-chrome/``), loaded with each context and kept up to date.
#: Opening 12 tabs, each loading chapter 6: 6.3-7.1 -> 3.3-4.0 CPU-s (three runs each); the
#: browser tests launched 57 renderer processes, 45 without it. Pages render as before (the
#: drop-down is the browser's, not the page's).
UNUSED_FEATURES = ["WebUIOmniboxPopup", "WebUIOmniboxAimPopup"]
DISABLE_FEATURES = "--disable-features=" + ",".join(PLAYWRIGHT_DISABLED_FEATURES + UNUSED_FEATURES)
SKIP_PAGES = {"genindex.html", "search.html"}


def _pages() -> list[Path]:
    if not (HTML / "index.html").is_file():
        return []
    return sorted(
        p
        for p in HTML.rglob("*.html")
        if not any(part.startswith("_") for part in p.relative_to(HTML).parts)
        and p.name not in SKIP_PAGES
    )


PAGES = _pages()
CHAPTER_PAGES = [p for p in PAGES if p.parent.name == "chapters"]
#: The API reference's module pages (book/api/*.html): one layout, 22 pages.
API_MODULE_PAGES = [p for p in PAGES if p.parent.name == "api" and p.parent.parent.name == "book"]
#: Pages toured in Chromium (at both widths): every page but the API's module pages, of which
#: the two largest (the longest signatures and tables) stand for the rest; they share one layout
#: and one script. Touring all 22 at both widths took about 60 s more of `make test`'s critical
#: path; the others are checked from their HTML (:func:`test_untoured_api_pages_are_clean`).
TOURED_PAGES = [p for p in PAGES if p not in API_MODULE_PAGES] + sorted(
    API_MODULE_PAGES, key=lambda p: (-p.stat().st_size, p)
)[:2]


def launch(playwright):
    """Debian's Chromium (:data:`CHROMIUM`) with :data:`FLAGS`, and :data:`UNUSED_FEATURES`
    turned off besides Playwright's own (:data:`PLAYWRIGHT_DISABLED_FEATURES`): Chromium keeps
    only the last ``--disable-features``
    (:func:`test_chromium_turns_off_playwrights_features_and_the_address_bar_drop_down`)."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=[*FLAGS, DISABLE_FEATURES])


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def outside_requests():
    return []


def _leaves(url: str) -> bool:
    """Would a request for ``url`` leave the machine (not the test server, not inline data)?"""
    return not url.startswith(("data:", "blob:")) and urlparse(url).hostname not in (
        "127.0.0.1",
        "localhost",
    )


def _fence(pg, outside_requests: list) -> None:
    """Record every request of ``pg`` that would leave the machine in ``outside_requests`` (the
    tests assert it stays empty; this machine reaches no address outside anyway).

    A listener, not Playwright's routing: a routed page sends every request through this
    process and loses the HTTP cache, so each page compiles the theme's scripts afresh. Loading
    the API reference's 22 module pages at 390 px took Chromium and Playwright 23.0 CPU-s routed,
    13.6 with this listener, 12.3 unwatched.
    """
    pg.on("request", lambda r: outside_requests.append(r.url) if _leaves(r.url) else None)


def _watch(pg) -> list[str]:
    """Console errors and uncaught page errors of ``pg``, as they happen."""
    problems: list[str] = []
    pg.on(
        "console",
        lambda m: problems.append(f"console.error: {m.text[:200]}") if m.type == "error" else None,
    )
    pg.on("pageerror", lambda e: problems.append(f"page error: {str(e)[:200]}"))
    return problems


# ------------------------------------------------------------------- the tour (one pass, shared)
#: the two widths every page is visited at: a laptop, and a phone (mobile emulation, 2x pixels)
DESKTOP = {"viewport": {"width": 1366, "height": 900}}
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True}
WIDTHS = {1366: DESKTOP, 390: PHONE}

#: measured on each chapter by test_browser_literate.py (the literate-book metrics, issue 14)
LITERATE = (Path(__file__).parent / "literate_measure.js").read_text(encoding="utf-8")

_PAGE_FACTS = """
() => {
  const article = document.querySelector('article');
  const footer = document.querySelector('.bd-footer-content');
  const notices = document.querySelectorAll('.synthetic-notice');
  return {
    text: article ? article.innerText : '',
    stderr: document.querySelectorAll('.output.stderr, .output.traceback, .output.error').length,
    broken: Array.from(document.images).filter(i => !(i.complete && i.naturalWidth > 0))
      .map(i => (i.getAttribute('src') || '').slice(0, 80)),
    footer: footer ? footer.innerText : null,
    notices: notices.length,
    notice: notices.length ? notices[0].innerText : '',
    overflow: document.documentElement.scrollWidth - window.innerWidth,
    // the layout viewport: a mobile browser widens it (and zooms out) for a page too wide
    layout: window.innerWidth,
    // the page's title: its font size and the height it takes (px)
    title: (h => h ? [parseFloat(getComputedStyle(h).fontSize), h.getBoundingClientRect().height]
      : null)(document.querySelector('.bd-article h1')),
  };
}
"""


#: The bytes of every file a page downloaded (the page, then every file it fetched), as the
#: page's navigation and resource timings count them: with the HTTP cache off, what a first
#: visit downloads (the local server sends no file compressed).
_WEIGHT_JS = """
() => [...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource')]
  .reduce((bytes, entry) => bytes + entry.decodedBodySize, 0)
"""


class _Tab:
    """A tab of the tour, reused from visit to visit: its listeners are set once and append to
    lists that each visit starts empty (:meth:`open`) and takes a copy of when it ends
    (:func:`_finish`).

    A fresh browser context per visit cost Chromium 1.3-1.9 CPU-s a page (a new renderer
    process compiling the theme's scripts afresh), a page visited in a tab already used about
    0.6: the 38 visits of the tour took 83 CPU-s of ``make test``. Every visit still downloads
    every file (the tab's HTTP cache is off, through the DevTools protocol), so the page
    weights are a first visit's (:data:`_WEIGHT_JS`); nothing else carries over (the book and
    its theme keep nothing in storage unless a reader switches the theme's mode). The cache
    was off before through Playwright's routing, which also sent every request through this
    process, and each response's body was copied here to be measured: 41.5 CPU-s for the tour.
    """

    def __init__(self, context):
        self.page = context.new_page()
        self.devtools = context.new_cdp_session(self.page)
        self.devtools.send("Network.enable")
        self.devtools.send("Network.setCacheDisabled", {"cacheDisabled": True})
        # room for every file of a page in its resource timings (the default keeps 250)
        self.page.add_init_script("performance.setResourceTimingBufferSize(5000)")
        self.seen: dict[str, list] = {"outside": [], "requested": []}
        _fence(self.page, self.seen["outside"])
        self.seen["problems"] = _watch(self.page)
        self.page.on("request", lambda r: self.seen["requested"].append(urlparse(r.url).path))

    def open(self, server, path: Path, width: int):
        """Start a visit of ``path`` (:func:`_finish` completes it)."""
        for found in self.seen.values():
            found.clear()
        record: dict = {"error": None}
        try:
            self.page.goto(f"{server}/{path.relative_to(HTML).as_posix()}", wait_until="commit")
        except Exception as exc:  # recorded: the page's own tests fail, the others still run
            record["error"] = f"{type(exc).__name__}: {str(exc)[:300]}"
        return self, path, width, record


def _finish(visit) -> dict:
    """Complete a visit begun by :meth:`_Tab.open`. The record: ``weight`` (bytes of every
    file downloaded, once the network is idle), ``requested`` (the paths asked for),
    ``outside`` (requests that would have left the machine), ``problems`` (console errors, page
    errors), the page's facts (:data:`_PAGE_FACTS`), the literate metrics of a chapter, the
    probes (:func:`_probes`), and ``error`` if the visit itself failed. A chapter's screenshot
    goes to ``test-artifacts/screenshots/``."""
    tab, path, width, record = visit
    pg = tab.page
    try:
        if record["error"] is None:
            pg.wait_for_load_state("load")
            # MathJax typesets every math element (vendored copy, no CDN)
            if pg.locator(".math").count():
                pg.wait_for_function(
                    "document.querySelectorAll('.math').length === "
                    "document.querySelectorAll('.math mjx-container').length",
                    timeout=15000,
                )
            pg.wait_for_load_state("networkidle")
            record["weight"] = pg.evaluate(_WEIGHT_JS)
            record.update(pg.evaluate(_PAGE_FACTS))
            if path.parent.name == "chapters":
                record["literate"] = pg.evaluate(LITERATE)
                SHOTS.mkdir(parents=True, exist_ok=True)
                kind = "phone" if width < 500 else "desktop"
                # a tab behind the others gave its frame for the screenshot after 0.1-3.2 s
                # (the 20 shots: ~25 s of the tour's 58 s), in front after 0.12-0.23 s; the
                # records are the same (the tour's CPU-s too)
                pg.bring_to_front()
                pg.screenshot(path=str(SHOTS / f"{path.stem}-{kind}.png"), full_page=False)
            # last: the probes open the dropdowns (the records above are of the page as loaded)
            want = _probes(path, width)
            if want:
                record["probe"] = pg.evaluate(_PROBE_JS, want)
            words = path in CHAPTER_PAGES and _FONT_PROBES.get((path.stem[:2], width))
            if words:  # after the probes: it changes the page (a span around each word)
                record["probe"]["fonts"] = _drawn_fonts(tab, list(words))
    except Exception as exc:  # recorded: the page's own tests fail, the others still run
        record["error"] = f"{type(exc).__name__}: {str(exc)[:300]}"
    finally:
        record.update({key: list(found) for key, found in tab.seen.items()})
    return record


def _drawn_fonts(tab: _Tab, words: list[str]) -> dict:
    """The fonts that drew each of ``words`` in the printed output that holds them all, as
    Chromium says (DevTools ``CSS.getPlatformFontsForNode``): each word is put in a span of its
    own first (:data:`_CJK_SPANS_JS`). ``{"spans": spans made, "fonts": {word: [families]},
    "error": None}`` (no fonts unless every word got its span; a failure is recorded here, for
    its test, not as the visit's)."""
    out: dict = {"spans": 0, "fonts": {}, "error": None}
    cdp = tab.devtools
    try:
        out["spans"] = tab.page.evaluate(_CJK_SPANS_JS, words)
        if out["spans"] == len(words):
            cdp.send("DOM.enable")
            cdp.send("CSS.enable")
            root = cdp.send("DOM.getDocument")["root"]["nodeId"]
            for k, word in enumerate(words):
                node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": f"#cjk-{k}"})
                drawn = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node["nodeId"]})
                out["fonts"][word] = sorted(
                    {f["familyName"] for f in drawn["fonts"] if f["glyphCount"]}
                )
    except Exception as exc:
        out["error"] = f"{type(exc).__name__}: {str(exc)[:300]}"
    finally:  # the tab's next pages are not watched by these domains
        for domain in ("CSS", "DOM"):
            with contextlib.suppress(Exception):
                cdp.send(f"{domain}.disable")
    return out


#: The pages whose code the phone and desktop tests read (the chapters, the home page and How to
#: use), and those whose text is checked for cut-off words on a phone (those and the glossary).
CODE_PAGES = CHAPTER_PAGES + [HTML / "book" / f"{n}.html" for n in ("intro", "how-to-use")]
READING_PAGES = CODE_PAGES + [HTML / "book" / "glossary.html"]


def _probes(path: Path, width: int) -> dict:
    """The measurements of :data:`_PROBE_JS` the tests need of ``path`` at ``width``, each with
    its argument (``None`` for none).

    The tests that only measure a loaded page read them from the tour's record (``probe``)
    instead of loading every chapter again, each in its own tab (about 40 s of `make test`);
    those that measure one or two chapters name them in :data:`_CHAPTER_PROBES`.
    """
    chapter = path in CHAPTER_PAGES
    want: dict = {}
    if width == 1366:
        if path in CODE_PAGES:
            want["typed"] = None
    else:
        if chapter:
            want |= dict.fromkeys(["badges", "sessions", "classes", "tables", "captions", "text"])
        if path in CODE_PAGES:
            want["code"] = None
        if chapter:
            want["outputs"] = None
        if path in READING_PAGES:
            want |= dict.fromkeys(["highlights", "reading"])
        if path in API_MODULE_PAGES:
            want["api"] = None
    if chapter:
        want["unbroken"] = None
        want |= _CHAPTER_PROBES.get((path.stem[:2], width), {})
    return want


#: The measuring scripts of the phone and desktop tests, run on a toured page after its record:
#: first those that read the page as loaded (badges, printed lines, the tables' classes, the
#: layouts of single tables and of an API page, where code wraps); then every dropdown is
#: opened and the scripts that measure a page with its dropdowns just opened run in the same
#: task (so no `toggle` handler of book.js runs between them, as when each test opened them on
#: its own fresh page); then the table text, after book.js has sized the tables of the opened
#: dropdowns (it waits 300 ms, as before); last the arrows of chapter 7's Table 2, every
#: dropdown of the page open (as its test measured them, after book.js had sized them).
_PROBE_TEMPLATE = """
async (want) => {
  const out = {};
  const step = (name, f, ...args) => {
    if (name in want) out[name] = f(...(args.length ? args : [want[name]]));
  };
  step('badges', BADGE_LINKS);
  step('highlights', () => document.querySelectorAll('article div.highlight > pre').length);
  step('sessions', () => Array.from(document.querySelectorAll('article .cell_output pre'))
    .map(p => p.textContent).find(t => t.includes('sessions: log-rank P')) || null);
  step('classes', () => Object.fromEntries(Array.from(document.querySelectorAll('article table[id]'))
    .map(t => [t.id, t.className])));
  step('classColumns', CLASS_COLUMNS);
  step('labelColumns', LABEL_COLUMNS);
  step('bias', BIAS_TABLES);
  step('display', () => Array.from(document.querySelectorAll('article table'))
    .map(t => getComputedStyle(t).display));
  step('legend', LEGEND_SHOWN);
  step('splitNames', () => Object.assign((SPLIT_NAMES)(), {copied:
    [...document.querySelectorAll('article div.cell_input div.highlight > pre')]
      .every(p => !p.innerText.includes('\\u200b'))}));
  step('api', API_LAYOUT);
  step('notes', TABLE_NOTES);
  step('code', SCROLLING_CODE, 'article pre:not(.cell_output pre)');
  step('outputs', PRINTED_LINES);
  step('typed', SCROLLING_CODE,
       'article div[class*="highlight-"]:not(.output) > div.highlight > pre');
  step('unbroken', UNBROKEN);
  step('skewed', SKEWED_TABLE);
  step('tables', PHONE_TABLES);
  step('captions', SCROLLING_CAPTIONS);
  step('reading', PHONE_READING);
  if ('text' in want) out.text = await (TABLE_TEXT)();
  step('arrows', (ids) => {
    document.querySelectorAll('details').forEach(d => { d.open = true; });
    const has = (id, c) => document.getElementById(id).classList.contains(c);
    return {lines: Object.fromEntries(ids.map(id => [id, (ARROW_LINES)(id)])),
            page: document.documentElement.scrollWidth - window.innerWidth,
            // scrolls with its labels in view, or fits (book.js "fit")
            sticky: Object.fromEntries(ids.map(id => [id, has(id, 'sticky-first') || has(id, 'fit')]))};
  });
  return out;
}
"""


#: Pages loading at once in the tour, each in a tab of its own (:class:`_Tab`): while one waits
#: for its network to be idle (half a second without requests) the others load.
TOUR_BATCH = 4


def tour(browser, server) -> dict:
    """Every page of :data:`TOURED_PAGES` visited at each width, in one browser context per
    width (:class:`_Tab`): ``{(relative path, width): record}``."""
    out = {}
    for width in WIDTHS:
        context = browser.new_context(**WIDTHS[width])
        try:
            tabs = [_Tab(context) for _ in range(TOUR_BATCH)]
            for k in range(0, len(TOURED_PAGES), TOUR_BATCH):
                batch = TOURED_PAGES[k : k + TOUR_BATCH]
                opened = [tab.open(server, p, width) for tab, p in zip(tabs, batch, strict=False)]
                for visit in opened:
                    out[visit[1].relative_to(HTML).as_posix(), width] = _finish(visit)
        finally:
            context.close()
    return out


def _seen(toured, path: Path, width: int) -> dict:
    record = toured[path.relative_to(HTML).as_posix(), width]
    assert record["error"] is None, f"{path.name} at {width} px: {record['error']}"
    return record


def _probed(toured, path: Path, width: int) -> dict:
    """What :data:`_PROBE_JS` measured on ``path`` at ``width`` in the tour: the visit had no
    error, no console or page error and sent no request off the machine (as each measuring test
    checked of the pages it loaded itself)."""
    record = _seen(toured, path, width)
    assert not record["problems"], f"{path.name} at {width} px: {record['problems']}"
    assert not record["outside"], f"{path.name}: requests left the machine: {record['outside']}"
    return record["probe"]


def test_the_fence_records_requests_leaving_the_machine(contexts, server):
    """:func:`_fence` (a listener, not routing) records a request for another host, never one
    for the test server or inline data; a tour tab (:class:`_Tab`) downloads a file again on its
    second visit (its cache is off) and weighs what it downloaded."""
    context = contexts(1366)
    pg, tab = context.new_page(), None
    try:
        left = []
        _fence(pg, left)
        pg.goto(f"{server}/book/intro.html", wait_until="load")
        pg.evaluate(
            "() => Promise.allSettled([fetch('http://example.invalid/x.png'), fetch('data:,1')])"
        )
        assert left == ["http://example.invalid/x.png"], left
        tab = _Tab(context)
        intro = HTML / "book" / "intro.html"
        first, second = (_finish(tab.open(server, intro, 1366)) for _ in range(2))
        css = [p for p in first["requested"] if p.endswith(".css")]
        assert css and set(css) <= set(second["requested"]), (css, second["requested"])
        assert first["weight"] == second["weight"] >= intro.stat().st_size
    finally:
        pg.close()
        if tab is not None:
            tab.page.close()


def test_chromium_turns_off_playwrights_features_and_the_address_bar_drop_down(browser):
    """:func:`launch`'s ``--disable-features`` names every feature that Playwright's own (an
    earlier switch, which Chromium ignores) names: a newer Playwright's list is to be copied into
    :data:`PLAYWRIGHT_DISABLED_FEATURES`. And with :data:`UNUSED_FEATURES` off, a window has no
    address-bar drop-down (its WebUI pages)."""
    lines = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        with contextlib.suppress(OSError):
            args = cmdline.read_bytes().decode(errors="replace").split("\0")
            if DISABLE_FEATURES in args and not any(a.startswith("--type=") for a in args):
                lines.append(args)
    assert lines, "no browser process launched with launch()'s --disable-features"
    ours = set(DISABLE_FEATURES.partition("=")[2].split(","))
    for args in lines:
        for arg in args:
            if arg.startswith("--disable-features="):
                missing = set(arg.partition("=")[2].split(",")) - ours - {""}
                assert not missing, f"Playwright turns off {sorted(missing)}: add them"
    context = browser.new_context()
    try:
        context.new_page()
        cdp = browser.new_browser_cdp_session()
        urls = [t["url"] for t in cdp.send("Target.getTargets")["targetInfos"]]
        cdp.detach()
    finally:
        context.close()
    assert not [u for u in urls if "omnibox" in u], urls


def test_book_has_pages(built):
    assert (built / "index.html").is_file()
    assert len(PAGES) >= 4


def test_no_page_prints_a_myst_role_as_text(built):
    """Chapter 1 printed "The Table 2 numbers are those {numref}`tbl-data-t2-summary` counts":
    a glued sentence holding a role was set as plain Markdown. No page's text holds a role (code
    blocks aside: the API and how-to pages may show one as an example)."""
    role = re.compile(r"\{(?:numref|ref|term|doc|eq|cite(?::\w+)?)\}")  # its `…` is a <code>
    raw = {}
    for path in PAGES:
        article = _soup(path.resolve()).select_one("article")
        if article is None:
            continue
        text = " ".join(_strings_outside(article, ("pre", "code")))
        if role.search(text):
            raw[str(path.relative_to(HTML))] = role.findall(text)
    assert not raw, raw


def _strings_outside(tag, names: tuple[str, ...]) -> list[str]:
    """Every string in ``tag``, in document order, but those inside an element named in
    ``names``: what ``[t for t in tag.find_all(string=True) if not t.find_parent(names)]``
    gives, without looking up every string's parents (1.9 -> 0.1 CPU-s for the built pages)."""
    found = []
    for child in tag.children:
        if isinstance(child, Tag):
            if child.name not in names:
                found += _strings_outside(child, names)
        elif isinstance(child, NavigableString):
            found.append(child)
    return found


@pytest.mark.parametrize("path", PAGES, ids=lambda p: str(p.relative_to(HTML)))
def test_internal_links_and_anchors_resolve(path: Path):
    soup = _soup(path.resolve())
    broken = []
    for a in soup.find_all("a", href=True):
        href = a["href"]
        if href.startswith(("http://", "https://", "mailto:", "data:", "javascript:")):
            continue
        target, fragment = urldefrag(href)
        file = (path.parent / unquote(target)).resolve() if target else path
        if not file.exists():
            broken.append(href)
            continue
        if fragment and file.suffix == ".html":
            ids = _ids(file)
            if unquote(fragment) not in ids:
                broken.append(href)
    assert not broken, f"{path.relative_to(HTML)}: broken links {broken[:10]}"


@functools.cache
def _soup(path: Path) -> BeautifulSoup:
    """A built page parsed once for all the tests that read it (none changes it): parsing
    api.html took ~1.3 s, and the link, figure and chapter checks each parsed every page."""
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


@functools.cache
def _ids(file: Path) -> frozenset[str]:
    return frozenset(tag["id"] for tag in _soup(file.resolve()).find_all(id=True))


BAD_TEXT = re.compile(
    r"Traceback \(most recent call last\)|\b\w+Error: |Unresolved glue|glue key|"
    r"\\begin\{|\\frac\{|\$\$"
)


@pytest.mark.parametrize(
    "path", [p for p in PAGES if p not in TOURED_PAGES], ids=lambda p: str(p.relative_to(HTML))
)
def test_untoured_api_pages_are_clean(path: Path):
    """The API module pages the tour leaves out, from their HTML: no traceback, stderr, glue
    or raw TeX in the text, and the footer (its layout and script are the toured pages')."""
    soup = _soup(path.resolve())
    bad = BAD_TEXT.search(soup.get_text(" "))
    assert not bad, f"{path.name}: {bad.group(0)!r} shown"
    assert not soup.select(".output.stderr, .output.traceback, .output.error"), path.name
    footer = soup.select_one(".bd-footer-content")
    text = footer.get_text(" ") if footer else ""
    assert "synthetic" in text and "10.21037/jgo-23-1006" in text, f"{path.name}: no footer"


@pytest.mark.parametrize("path", TOURED_PAGES, ids=lambda p: str(p.relative_to(HTML)))
def test_page_renders_cleanly(toured, path: Path):
    """At 1366 px: no traceback, stderr, unresolved glue or raw TeX shown; images load; the
    footer; no request leaves the machine; no console or page error."""
    seen = _seen(toured, path, 1366)
    bad = BAD_TEXT.search(seen["text"])
    assert not bad, f"{path.name}: {bad.group(0)!r} shown"
    assert seen["stderr"] == 0, f"{path.name}: {seen['stderr']} stderr/traceback/error outputs"
    assert not seen["broken"], f"{path.name}: images failed to load: {seen['broken']}"
    assert not seen["outside"], f"requests left the machine: {seen['outside'][:5]}"
    footer = seen["footer"] or ""
    assert "synthetic" in footer and "10.21037/jgo-23-1006" in footer, f"{path.name}: no footer"
    assert not seen["problems"], f"{path.name}: {seen['problems']}"


@pytest.mark.parametrize("path", CHAPTER_PAGES, ids=lambda p: p.stem)
def test_chapter_has_synthetic_notice_and_screenshots(toured, path: Path):
    seen = _seen(toured, path, 1366)
    assert seen["notices"] >= 1, f"{path.name}: no synthetic-data notice"
    assert "synthetic" in seen["notice"].lower()
    for kind in ("desktop", "phone"):
        assert (SHOTS / f"{path.stem}-{kind}.png").stat().st_size > 0


@pytest.mark.parametrize("path", TOURED_PAGES, ids=lambda p: str(p.relative_to(HTML)))
def test_page_fits_a_phone(toured, path: Path):
    """Every page (of the API's module pages, the two largest: :data:`TOURED_PAGES`): no wider
    than a 390 px phone, not zoomed out."""
    seen = _seen(toured, path, 390)
    overflow = seen["overflow"]
    assert overflow <= 2, f"{path.name}: the page is {overflow}px wider than a phone screen"
    assert seen["layout"] <= 390, f"{path.name}: laid out {seen['layout']}px wide, zoomed out"
    assert not seen["outside"], seen["outside"][:5]
    assert not seen["problems"], f"{path.name} at 390 px: {seen['problems']}"


@pytest.mark.parametrize("path", TOURED_PAGES, ids=lambda p: str(p.relative_to(HTML)))
def test_title_leaves_room_on_a_phone(toured, path: Path):
    """At 390 px a page's title is set at most 28 px (the theme's 42 px took five lines, half the
    first screen, for the introduction's) and takes at most a quarter of an 844 px screen."""
    seen = _seen(toured, path, 390)
    if seen["title"] is None:
        pytest.skip(f"{path.name}: no title")
    size, height = seen["title"]
    assert size <= 28, f"{path.name}: title set at {size}px on a phone"
    assert height <= 844 / 4, f"{path.name}: the title takes {height:.0f}px of an 844px screen"


@pytest.fixture(scope="module")
def contexts(browser):
    """The browser contexts of the tests that open pages of their own at the tour's widths:
    ``contexts(1366)`` (:data:`DESKTOP`) and ``contexts(390)`` (:data:`PHONE`), each made on
    first use and shared, every test opening a page (a tab) of its own in it and closing it. A
    page in a fresh context cost Chromium 1.3-1.9 CPU-s (its scripts compiled afresh), one in a
    context already used about 0.6; the book keeps nothing in a context (no storage unless a
    reader switches the theme's mode), and a test's emulated media or clicks stay in its own
    page. (The menu, search, general-index and fence tests alone: 14.4 -> 12.4 CPU-s.)"""
    made: dict[int, object] = {}

    def context(width: int):
        if width not in made:
            made[width] = browser.new_context(**WIDTHS[width])
        return made[width]

    yield context
    for ctx in made.values():
        ctx.close()


def _open(contexts, width: int, outside_requests: list):
    """A new page of ``contexts(width)``, fenced (:func:`_fence`) and watched (``problems``)."""
    pg = contexts(width).new_page()
    _fence(pg, outside_requests)
    pg.problems = _watch(pg)
    return pg


#: A shared page given back as loaded (:func:`shared_pages`): the theme's mode as the page set
#: it, no focus, scrolled to the top, restyled with every transition off (so that no colour is
#: caught changing) and then with them back on.
_AS_LOADED_JS = """
(theme) => {
  const still = document.createElement('style');
  still.textContent = '* { transition: none !important; }';
  document.head.append(still);
  if (theme === null) delete document.documentElement.dataset.theme;
  else document.documentElement.dataset.theme = theme;
  if (document.activeElement) document.activeElement.blur();
  window.scrollTo(0, 0);
  document.body.offsetHeight;
  still.remove();
  document.body.offsetHeight;
}
"""


@pytest.fixture(scope="module")
def shared_pages(contexts, server, outside_requests):
    """``shared_pages(width, name)``: the page ``name`` loaded once at ``width`` (in
    ``contexts(width)``, fenced and watched as :func:`_open`'s) for the tests that measure it
    without a click or a navigation (the focus rings, the contrast of badges and links in both
    colour modes); each test after the first gets it as loaded (:data:`_AS_LOADED_JS`, the
    pointer moved off the article). Each had loaded its page afresh: chapter 6 four times at
    1366 px and twice at 390, chapter 8 four times at 1366 (about 1 CPU-s a load). A console
    or page error is each later test's too (``problems`` is the page's)."""
    made: dict[tuple[int, str], object] = {}

    def shared(width: int, name: str):
        pg = made.get((width, name))
        if pg is None:
            pg = made[width, name] = _open(contexts, width, outside_requests)
            pg.goto(f"{server}/{name}", wait_until="load")
            pg.as_loaded = pg.evaluate("document.documentElement.dataset.theme ?? null")
        else:
            pg.mouse.move(0, 0)
            pg.evaluate(_AS_LOADED_JS, pg.as_loaded)
        return pg

    yield shared
    for pg in made.values():
        pg.close()


@pytest.fixture()
def page(contexts, outside_requests):
    pg = _open(contexts, 1366, outside_requests)
    yield pg
    pg.close()


def test_search_finds_kaplan(page, server, outside_requests):
    page.goto(f"{server}/search.html?q=Kaplan", wait_until="load")
    page.wait_for_selector("#search-results li, .search li", timeout=15000)
    assert page.locator("#search-results li, .search li").count() >= 1
    assert not outside_requests


_SPLIT_NUMBERS_JS = """
() => [...document.querySelectorAll(
    '.bd-article span.std-numref, .bd-article span.caption-number')]
  .filter(el => el.offsetParent !== null)
  .filter(el => {
    const lines = new Set([...el.getClientRects()].filter(r => r.width > 0)
      .map(r => Math.round(r.top)));
    return lines.size > 1;
  })
  .map(el => el.textContent.trim())
"""


@pytest.mark.parametrize("width", sorted(WIDTHS))
def test_short_headers_values_and_hyphened_numbers_stay_on_one_line(toured, width):
    """Review of the phone (390 px) and desktop book: headers broke inside a short parenthetical
    (Table 9.1's "HR (95% / CI)"), a dose sheet's "5- / fluorouracil" (Table 3.8 at 1366 px
    too), a mean ± SD at its ± ("1.6 ± / 2.3", Table 4.2) and the prose's "46/82 = / 56.1%"
    (chapter 5). Tables join the first with no-break spaces and the second with a no-break
    hyphen (analysis.book); book.js keeps the others whole (span.value). Measured by the tour
    on every chapter as loaded (:data:`_UNBROKEN_JS`); the pages stay within a phone's width
    (test_page_fits_a_phone)."""
    split = {}
    for chapter in CHAPTER_PAGES:
        found = {k: v for k, v in _probed(toured, chapter, width)["unbroken"].items() if v}
        if found:
            split[chapter.stem] = found
    assert split == {}


def test_a_table_or_figure_number_stays_on_its_words_line_on_a_phone(
    contexts, server, outside_requests
):
    """Hostile review (chapter 2 at 390 px): "meets the first criterion (Table" ended a line and
    "2.1):" began the next. A reference to a numbered table or figure and a caption's number keep
    the word and the number on one line (book.css), in every chapter."""
    pg = _open(contexts, 390, outside_requests)
    split = {}
    try:
        for chapter in CHAPTER_PAGES:
            pg.goto(f"{server}/{chapter.relative_to(HTML).as_posix()}", wait_until="load")
            found = pg.evaluate(_SPLIT_NUMBERS_JS)
            if found:
                split[chapter.stem] = found
        assert not pg.problems, pg.problems
    finally:
        pg.close()
    assert split == {}
    assert not outside_requests


#: A browser without the Fullscreen API for a page, as Safari on an iPhone (only a video goes
#: full screen there): its properties and methods read as missing.
_NO_FULLSCREEN_JS = """
for (const name of ['fullscreenEnabled', 'webkitFullscreenEnabled'])
  Object.defineProperty(Document.prototype, name, {get: () => false, configurable: true});
for (const name of ['requestFullscreen', 'webkitRequestFullscreen'])
  Object.defineProperty(Element.prototype, name, {value: undefined, configurable: true});
"""


def test_the_full_screen_button_shows_only_where_it_can_work(contexts, server, outside_requests):
    """Hostile review (every page, 390 px): the header's full-screen button calls the Fullscreen
    API, which Safari on an iPhone (390 x 844) does not have for a page, so a tap did nothing.
    Where the browser cannot put the page in full screen the button is hidden (book.js); where
    it can (Chromium here) the button is there as before."""
    chapter = CHAPTER_PAGES[0].relative_to(HTML).as_posix()
    shown = {}
    for able in (True, False):
        pg = _open(contexts, 390, outside_requests)
        try:
            if not able:
                pg.add_init_script(_NO_FULLSCREEN_JS)
            pg.goto(f"{server}/{chapter}", wait_until="load")
            shown[able] = pg.locator(".btn-fullscreen-button").filter(visible=True).count()
            assert not pg.problems, pg.problems
        finally:
            pg.close()
    assert shown == {True: 1, False: 0}, shown
    assert not outside_requests


def test_search_results_quote_the_page_not_its_contents_list(contexts, server, outside_requests):
    """Hostile review (search page, both widths): a result's extract is the page's text around
    the query, and Sphinx read the theme's whole main block, which starts with the download
    menu (".ipynb .md .pdf"), the print-only title and contents list and the contents sidebar:
    "hazard ratio" quoted chapter 7 as "Contents 7.1. The model the paper fitted 7.2. What the
    hazard ratios imply ...". The extracts now come from the article (book.js), and centre on
    the query, not on the first "ratio" inside another word (chapter 1's read "calibration")."""
    pg = _open(contexts, 390, outside_requests)
    try:
        pg.goto(f"{server}/search.html?q=hazard+ratio", wait_until="load")
        pg.wait_for_selector("#search-results p.search-summary", timeout=15000)
        # the results are shown one by one, each page fetched; the summary says when all are
        pg.wait_for_function(
            "document.querySelector('#search-results p.search-summary')"
            ".innerText.includes('finished')",
            timeout=15000,
        )
        extracts = pg.locator("#search-results li p.context").all_inner_texts()
        for text in extracts:
            assert "Contents" not in text and ".ipynb" not in text, text
        # each chapter's extract (its title begins with its number) quotes the query itself
        chapters = pg.evaluate(
            """() => [...document.querySelectorAll('#search-results li')]
                .filter(li => /^\\d+\\. /.test(li.querySelector('a').innerText))
                .map(li => (li.querySelector('p.context') || li).innerText)"""
        )
        assert len(chapters) >= 3, extracts
        for text in chapters:
            assert "hazard ratio" in text.lower(), text
        assert not pg.problems, pg.problems
    finally:
        pg.close()
    assert not outside_requests


def test_search_on_a_phone_fits_and_its_icon_covers_no_letter(contexts, server, outside_requests):
    """At 390 px the search results keep to the screen (a signature in an extract, joined by
    no-break spaces, laid the page out 420 px wide) and the magnifier sits beside the query, not
    on its first letter (book.css), on the search page and in the search dialog."""
    pg = _open(contexts, 390, outside_requests)
    try:
        pg.goto(f"{server}/search.html?q=calibration", wait_until="load")
        # the search has finished (it adds the results one by one): its summary says so
        pg.wait_for_selector("#search-results p.search-summary", timeout=15000)
        pg.wait_for_timeout(300)
        widths = pg.evaluate("[window.innerWidth, document.documentElement.scrollWidth]")
        assert widths == [390, 390], f"search results laid out {widths} px wide at 390"
        overlap_js = """form => {
            const icon = form.querySelector('.fa-magnifying-glass').getBoundingClientRect();
            const input = form.querySelector('input');
            const text = input.getBoundingClientRect().left
              + parseFloat(getComputedStyle(input).paddingLeft);
            return icon.right - text;
        }"""
        over = pg.locator(".bd-search-container form.bd-search").evaluate(overlap_js)
        assert over <= 0, f"the search page's magnifier covers {over:.1f} px of the query"
        pg.goto(f"{server}/{CHAPTER_PAGES[0].relative_to(HTML).as_posix()}", wait_until="load")
        pg.locator(".search-button").filter(visible=True).first.click()
        form = pg.locator("#pst-search-dialog form.bd-search")
        form.wait_for(state="visible", timeout=5000)
        over = form.evaluate(overlap_js)
        assert over <= 0, f"the search dialog's magnifier covers {over:.1f} px of the query"
        assert not pg.problems, pg.problems
    finally:
        pg.close()
    assert not outside_requests


# ----------------------------------------------------------------------------- the site (issue 15)


def test_phone_menu_and_contents_open(contexts, server, outside_requests):
    """At 390 px the visible menu button opens the site navigation, the other the page's contents;
    a section tapped in the contents closes the drawer and is in view."""
    chapter = CHAPTER_PAGES[len(CHAPTER_PAGES) // 2]
    pg = _open(contexts, 390, outside_requests)
    try:
        pg.goto(f"{server}/{chapter.relative_to(HTML).as_posix()}", wait_until="load")
        nav_links = "#pst-primary-sidebar-modal a.reference"
        assert pg.locator(nav_links).filter(visible=True).count() == 0
        menu = pg.locator(".primary-toggle").filter(visible=True)
        assert menu.count() == 1, "one visible menu button on a phone"
        menu.click()
        pg.wait_for_selector(f"{nav_links} >> visible=true", timeout=5000)
        links = pg.locator(nav_links).filter(visible=True)
        assert links.count() >= len(CHAPTER_PAGES), "the sidebar lists the chapters"
        box = links.first.bounding_box()
        assert box is not None and 0 <= box["x"] < 390 and box["width"] > 0
        pg.keyboard.press("Escape")
        pg.wait_for_timeout(200)
        contents = pg.locator(".secondary-toggle").filter(visible=True)
        assert contents.count() == 1, "one visible contents button on a phone"
        contents.click()
        toc_links = "#pst-secondary-sidebar-modal a"
        pg.wait_for_selector(f"{toc_links} >> visible=true", timeout=5000)
        assert pg.locator(toc_links).filter(visible=True).count() >= 2
        # a section tapped in the drawer closes it and shows the section (book.js): the drawer
        # had stayed open over three quarters of the screen
        link = pg.locator(toc_links).filter(visible=True).nth(2)
        target = unquote(link.get_attribute("href").split("#", 1)[1])
        link.click()
        pg.wait_for_function(
            "() => !document.getElementById('pst-secondary-sidebar-modal').open", timeout=5000
        )
        pg.wait_for_timeout(300)
        top = pg.evaluate(f"document.getElementById({target!r}).getBoundingClientRect().top")
        assert 0 <= top < 844 / 2, f"section #{target} at {top:.0f} px after the tap"
        assert pg.url.endswith("#" + target) or unquote(pg.url).endswith("#" + target)
        assert not pg.problems, pg.problems
    finally:
        pg.close()
    assert not outside_requests


#: the state of each exercise's solution, [is it open, where the page is scrolled]
_SOLUTIONS_JS = """() => [Array.from(document.querySelectorAll('article div.solution.toggle'))
  .map(s => !s.classList.contains('toggle-hidden')), Math.round(window.scrollY)]"""


def test_a_tap_on_a_solutions_title_opens_it_even_on_its_link(contexts, server, outside_requests):
    """On a phone (390 px) the title "Solution to Exercise 5.1" opens its solution wherever it is
    tapped (clicked here: the tests' phone context has no touch). A tap on "Exercise 5.1", a link
    to the exercise, had jumped to the exercise, left the solution shut and thrown "button is not
    defined" in togglebutton.js, on all 27 solutions of the book (book.js). A second tap on the
    link shuts it, Enter on the link opens it too, and each leaves the other solutions and the
    scroll position as they were."""
    chapter = next(p for p in CHAPTER_PAGES if p.stem.startswith("05"))
    pg = _open(contexts, 390, outside_requests)
    try:
        pg.goto(f"{server}/{chapter.relative_to(HTML).as_posix()}", wait_until="load")
        links = pg.locator("article div.solution.toggle > .admonition-title a[href]")
        assert links.count() >= 2, "the solutions' titles no longer link to their exercises"
        link = links.nth(1)
        link.scroll_into_view_if_needed()
        before = pg.evaluate(_SOLUTIONS_JS)
        assert not any(before[0]), before
        link.click()
        pg.wait_for_timeout(300)
        opened = pg.evaluate(_SOLUTIONS_JS)
        link.click()
        pg.wait_for_timeout(300)
        shut = pg.evaluate(_SOLUTIONS_JS)
        links.nth(0).focus()
        pg.keyboard.press("Enter")
        pg.wait_for_timeout(300)
        keyed = pg.evaluate(_SOLUTIONS_JS)
        assert not pg.problems, pg.problems
    finally:
        pg.close()
    others = [False] * (len(before[0]) - 2)
    assert opened == [[False, True, *others], before[1]], f"tapped once: {opened} (was {before})"
    assert shut[0] == [False, False, *others], f"tapped twice: {shut}"
    assert keyed[0] == [True, False, *others], f"Enter on the first: {keyed}"
    assert not outside_requests


#: Each visible control of a page, focused after a Tab (so that it matches :focus-visible, as it
#: does when reached by the keyboard): the ones that show no ring (no outline, no box shadow).
#: One that takes no focus (a heading's link, out of the tab order; a link in a closed solution)
#: is left out.
_UNRINGED_JS = """
() => Array.from(document.querySelectorAll(
    '.bd-header-article button, .bd-header-article a[href], article button, article summary,'
    + ' article a[href]'))
  .filter(e => e.checkVisibility({visibilityProperty: true}))
  .filter(e => {
    e.focus();
    if (document.activeElement !== e) return false;
    const s = getComputedStyle(e);
    const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0;
    return !(e.matches(':focus-visible') && (outline || (s.boxShadow && s.boxShadow !== 'none')));
  })
  .map(e => e.tagName + '.' + String(e.className).trim().replace(/ +/g, '.') + ' "'
    + (e.getAttribute('aria-label') || e.title || e.textContent).trim().slice(0, 30) + '"')
"""


@pytest.mark.parametrize("width", sorted(WIDTHS, reverse=True))
def test_keyboard_focus_shows_on_every_control(shared_pages, outside_requests, width):
    """A control reached with Tab shows that it has the focus: the menu and download buttons of
    the page's header and the buttons that open a solution had none (Bootstrap's
    .btn:focus-visible and sphinx-togglebutton remove the outline; book.css)."""
    chapter = HTML / "chapters" / "06-survival.html"  # solutions' toggle buttons, badges, dropdowns
    pg = shared_pages(width, chapter.relative_to(HTML).as_posix())
    pg.keyboard.press("Tab")
    assert pg.locator("button.toggle-button").count() >= 1
    unringed = pg.evaluate(_UNRINGED_JS)
    assert not unringed, f"{chapter.name} at {width} px: no focus ring on {unringed}"
    assert not pg.problems, pg.problems
    assert not outside_requests


#: Contrast (WCAG) of each provenance badge's words and of the home page's counts line, against
#: the badge's own chip and against what is under it (a badge in a table cell is an inline block
#: whose chip is not painted, tables.css): the ones under 4.5.
_DARK_CONTRAST_JS = """
() => {
  const rgb = c => (c.match(/[\\d.]+/g) || []).map(Number);
  const lum = c => { const f = v => (v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    return 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2]); };
  const ratio = (a, b) => (Math.max(lum(a), lum(b)) + 0.05) / (Math.min(lum(a), lum(b)) + 0.05);
  const under = e => { for (let x = e; x; x = x.parentElement) { const c = rgb(getComputedStyle(x).backgroundColor);
    if (c.length === 3 || (c.length === 4 && c[3] === 1)) return c; } return [255, 255, 255]; };
  const low = [];
  document.querySelectorAll('sup.provenance, .synthetic-notice.intro-notice > p:last-child').forEach(e => {
    if (!e.checkVisibility()) return;
    const fg = rgb(getComputedStyle(e).color);
    for (const bg of [under(e), under(e.parentElement)]) {
      const r = ratio(fg, bg);
      if (r < 4.5) { low.push(e.className + ' "' + e.textContent.trim().slice(0, 20) + '" ' + r.toFixed(1)); break; }
    }
  });
  return low;
}
"""


@pytest.mark.parametrize(
    ("width", "name"),
    [
        (1366, "chapters/06-survival.html"),
        (390, "chapters/06-survival.html"),
        (390, "book/intro.html"),
    ],
)
def test_dark_mode_keeps_badges_and_the_home_counts_readable(
    shared_pages, outside_requests, width, name
):
    """With the theme's dark mode (its colour-mode button), the badges' words and the home page's
    counts line stay readable: the badges' dark words (#1f4b82) sat on the dark page in Table
    6.1's "Class" column (2.2 : 1) and the counts line was #444 on the notice (1.5 : 1). The mode
    is set on the page only (its attribute, as the theme's script sets it), not in the context's
    storage, which the other tests share."""
    pg = shared_pages(width, name)
    pg.evaluate("document.documentElement.dataset.theme = 'dark'")
    assert pg.evaluate("getComputedStyle(document.body).backgroundColor") != "rgb(255, 255, 255)", (
        "the dark theme applies"
    )
    low = pg.evaluate(_DARK_CONTRAST_JS)
    assert not low, f"{name} at {width} px, dark: contrast under 4.5 for {low}"
    assert not pg.problems, pg.problems
    assert not outside_requests


#: Contrast (WCAG) of the words of each visible link in a box of the article (an admonition such
#: as "What this chapter finds", an exercise, a solution) against what is painted under it, a
#: tint laid over the page composited in (sphinx-exercise's box is rgba(68, 138, 255, 0.1)): the
#: ones under 4.5. The provenance badges (a chip of their own) are measured above.
_CONTRAST_HELPERS = """
  const rgba = c => { const v = (c.match(/[\\d.]+/g) || []).map(Number); return v.length === 3 ? [...v, 1] : v; };
  const lum = c => { const f = v => (v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    return 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2]); };
  const ratio = (a, b) => (Math.max(lum(a), lum(b)) + 0.05) / (Math.min(lum(a), lum(b)) + 0.05);
  const under = e => {
    const tints = [];
    let base = rgba(getComputedStyle(document.body).backgroundColor);
    for (let x = e; x; x = x.parentElement) {
      const c = rgba(getComputedStyle(x).backgroundColor);
      if (c[3] === 1) { base = c; break; }
      if (c[3] > 0) tints.push(c);
    }
    return tints.reverse().reduce((b, t) => b.map((v, i) => i < 3 ? t[i] * t[3] + v * (1 - t[3]) : 1), base);
  };
"""
_BOX_LINK_CONTRAST_JS = (
    "() => {\n"
    + _CONTRAST_HELPERS
    + """  const low = [];
  document.querySelectorAll('.bd-article div.admonition a, .bd-article details a').forEach(a => {
    if (!a.checkVisibility() || !a.textContent.trim() || a.querySelector('sup.provenance')) return;
    if (a.classList.contains('headerlink')) return;
    const r = ratio(rgba(getComputedStyle(a).color), under(a));
    if (r < 4.5) low.push(a.closest('div.admonition, details').className + ' "' + a.textContent.trim().slice(0, 20) + '" ' + r.toFixed(2));
  });
  return low;
}
"""
)
#: The contrast of one element's words against what is painted under it.
_LINK_CONTRAST_JS = (
    "a => {\n" + _CONTRAST_HELPERS + "  return ratio(rgba(getComputedStyle(a).color), under(a));\n}"
)


#: Each visible search box's edge against its own fill and against the page around it: the
#: lower of the two ratios, with the box's class.
_SEARCH_EDGE_JS = (
    "() => {\n"
    + _CONTRAST_HELPERS
    + """  return [...document.querySelectorAll('.bd-search, .search-button-field')]
    .filter(e => e.checkVisibility() && parseFloat(getComputedStyle(e).borderTopWidth) > 0)
    .map(e => {
      const edge = rgba(getComputedStyle(e).borderTopColor);
      return [(e.classList.contains('bd-search') ? 'bd-search' : 'search-button-field')
                + (e.closest('dialog') ? ' (dialog)' : ''),
              Math.min(ratio(edge, under(e)), ratio(edge, under(e.parentElement)))];
    });
}
"""
)


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_search_boxes_edges_are_visible(contexts, server, outside_requests, theme):
    """The search boxes' edges keep the 3 : 1 contrast WCAG asks of a control's boundary (1.4.11)
    in both colour modes, on the sidebar's "Search" field, the Ctrl+K dialog and the search
    page's box: the theme's border grey read 1.5 : 1 on white and 2.4 : 1 on the dark page
    (book.css)."""
    pg = _open(contexts, 1366, outside_requests)
    try:
        seen = []
        for url, dialog in (
            (f"{server}/{CHAPTER_PAGES[0].relative_to(HTML).as_posix()}", True),
            (f"{server}/search.html?q=calibration", False),
        ):
            pg.goto(url, wait_until="load")
            pg.add_style_tag(content="* { transition: none !important; }")
            pg.evaluate(f"document.documentElement.dataset.theme = '{theme}'")
            if dialog:
                pg.locator(".search-button-field").filter(visible=True).first.click()
                pg.locator("#pst-search-dialog form.bd-search").wait_for(
                    state="visible", timeout=5000
                )
            seen += pg.evaluate(_SEARCH_EDGE_JS)
        names = {name for name, _ in seen}
        assert {"search-button-field", "bd-search (dialog)", "bd-search"} <= names, names
        low = [f"{name} {r:.2f}" for name, r in seen if r < 3]
        assert not low, f"{theme}: search box edges under 3 : 1: {low}"
        assert not pg.problems, pg.problems
    finally:
        pg.close()
    assert not outside_requests


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_links_under_the_pointer_stay_readable(shared_pages, outside_requests, theme):
    """A link the reader points at keeps WCAG AA contrast (4.5 : 1): the theme's hover orange
    (#e89217) read 2.4 : 1 on the white page in light mode, 2.2 in an exercise box (book.css
    sets a darker orange in light mode). Checked on chapter 8's links in text and in
    exercises, each hovered in turn."""
    pg = shared_pages(1366, "chapters/08-audit.html")
    still = pg.add_style_tag(content="* { transition: none !important; }")
    try:
        pg.evaluate(f"document.documentElement.dataset.theme = '{theme}'")
        links = pg.locator(
            ".bd-article p > a.reference:visible, .bd-article div.exercise a.reference:visible"
        )
        assert links.count() >= 5
        low = []
        for k in range(min(links.count(), 12)):
            link = links.nth(k)
            link.scroll_into_view_if_needed()
            link.hover()
            ratio = link.evaluate(_LINK_CONTRAST_JS)
            if ratio < 4.5:
                low.append(f"{link.inner_text()[:20]!r} {ratio:.2f}")
        assert not low, f"{theme}: hovered links under 4.5 : 1: {low}"
        assert not pg.problems, pg.problems
    finally:  # the page's other tests measure it with its transitions
        still.evaluate("e => e.remove()")
    assert not outside_requests


@pytest.mark.parametrize("theme", ["light", "dark"])
@pytest.mark.parametrize("name", ["chapters/06-survival.html", "chapters/08-audit.html"])
def test_links_in_boxes_are_readable(shared_pages, outside_requests, name, theme):
    """The links inside the article's boxes keep WCAG AA contrast (4.5 : 1) in both colour modes:
    in an exercise, sphinx-exercise's blue tint took the theme's link blue (#176de8) to 4.3 : 1
    in light mode (book.css sets a darker blue there, and only there). Chapter 6 has the "What
    this chapter finds" box and exercises, chapter 8 exercises with links."""
    pg = shared_pages(1366, name)
    pg.evaluate(f"document.documentElement.dataset.theme = '{theme}'")
    assert pg.locator(".bd-article div.exercise a.reference").count() >= 1 or name.startswith(
        "chapters/06"
    )
    low = pg.evaluate(_BOX_LINK_CONTRAST_JS)
    assert not low, f"{name}, {theme}: link contrast under 4.5 for {low}"
    assert not pg.problems, pg.problems
    assert not outside_requests


#: The "↩" links of the table notes that colour alone sets apart from the note's words: no
#: underline, and under 3 : 1 against the words' colour (WCAG 1.4.1, G183).
_BARE_NOTE_LINKS_JS = (
    "() => {\n"
    + _CONTRAST_HELPERS
    + """  return Array.from(document.querySelectorAll('.bd-article a.note-back'))
    .filter(a => a.checkVisibility())
    .filter(a => !getComputedStyle(a).textDecorationLine.includes('underline')
      && ratio(rgba(getComputedStyle(a).color), rgba(getComputedStyle(a.parentElement).color)) < 3)
    .map(a => a.getAttribute('href'));
}
"""
)
#: The controls of the article whose words a screen reader does not say: an ``aria-label``
#: that leaves out the words shown (WCAG 2.5.3; a symbol, as the notes' "↩", is not words).
_UNSAID_WORDS_JS = """
() => Array.from(document.querySelectorAll('article summary, article button, article a[href]'))
  .filter(e => e.hasAttribute('aria-label') && /[A-Za-z0-9]/.test(e.innerText))
  .filter(e => !e.getAttribute('aria-label').toLowerCase().includes(
    e.innerText.replace(/\\s+/g, ' ').trim().toLowerCase()))
  .map(e => e.tagName + ' "' + e.getAttribute('aria-label') + '" shows "' + e.innerText.trim().slice(0, 40) + '"')
"""


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_note_links_and_folded_cells_say_what_they_are(shared_pages, outside_requests, theme):
    """A table note's "↩" (the link back to its row) is underlined, as its mark is: in dark mode
    its link blue was 2.2 : 1 against the note's words, so colour alone did not set it apart
    (axe's link-in-text-block, 70 links over chapters 1, 6 and 7; tables.css). A folded
    code cell's title is named by its words, "Show code cell source": MyST-NB's
    ``aria-label`` "Toggle hidden content" replaced them (axe's label-content-name-mismatch,
    124 titles over the chapters at two widths and two modes; book_site.name_folded_cells).
    Chapter 6 has both: table notes (Table 6.3) and six folded cells."""
    pg = shared_pages(1366, "chapters/06-survival.html")
    pg.evaluate(f"document.documentElement.dataset.theme = '{theme}'")
    assert pg.locator(".bd-article a.note-back").count() >= 1
    assert pg.locator("article details.hide > summary").count() >= 1
    bare = pg.evaluate(_BARE_NOTE_LINKS_JS)
    assert not bare, f"{theme}: note links set apart by colour alone: {bare}"
    unsaid = pg.evaluate(_UNSAID_WORDS_JS)
    assert not unsaid, f"controls whose name leaves out their words: {unsaid}"
    assert not pg.problems, pg.problems
    assert not outside_requests


def test_the_navigations_fold_buttons_have_names(shared_pages, outside_requests):
    """The site navigation's "▾" that folds the API reference's module pages is named after its
    entry, "Pages of API reference" (book.js): the theme's <summary> holds only an icon, which a
    screen reader announced without a word (axe's summary-name)."""
    pg = shared_pages(1366, "book/api.html")
    names = pg.evaluate(
        "() => Array.from(document.querySelectorAll('.bd-sidebar-primary li.has-children"
        " > details > summary')).map(s => (s.getAttribute('aria-label') || s.textContent).trim())"
    )
    assert names, "the API reference's entry folds its pages"
    assert all(n.startswith("Pages of ") for n in names), names
    assert not pg.problems, pg.problems
    assert not outside_requests


#: The article's tables a screen reader cannot name: no caption, no ``aria-label``.
_UNNAMED_TABLES_JS = """
() => Array.from(document.querySelectorAll('article table'))
  .filter(t => !t.querySelector(':scope > caption') && !(t.getAttribute('aria-label') || '').trim())
  .map(t => t.className)
"""


#: What an API page's summary table lists, as its name says (book.js, bookSummaryName).
_SUMMARY_NAMES = {
    "book/api/clinical.html": "Functions, classes and constants",
    "book/api/labels.html": "Functions",
    "book/api/problems.html": "Classes and exceptions",
}


@pytest.mark.parametrize(
    "name", ["chapters/06-survival.html", "book/api/clinical.html", *list(_SUMMARY_NAMES)[1:]]
)
def test_every_table_has_a_name(shared_pages, outside_requests, name):
    """A table with no caption is named after what it lists (book.js): an API page's summary of
    its names and the tables of its docstrings ("Table of child_pugh") had no name for a screen
    reader's list of tables. The summary was "Functions and classes of ..." on every module
    page, also where it lists constants: its name now says which kinds of names it lists, from
    its entries (clinical: "Functions, classes and constants of …"; labels, only functions:
    "Functions of …"). The chapters' tables all have captions."""
    pg = shared_pages(1366, name)
    unnamed = pg.evaluate(_UNNAMED_TABLES_JS)
    assert not unnamed, f"{name}: tables with no name: {unnamed}"
    if name.startswith("book/api"):
        page = name.rsplit("/", 1)[1].removesuffix(".html")
        summary = pg.locator("article table.autosummary")
        assert summary.count() == 1
        label = summary.get_attribute("aria-label")  # "… of Clinical labels: analysis.labels"
        assert label.startswith(f"{_SUMMARY_NAMES[name]} of ") and label.endswith(page), label
    assert not pg.problems, pg.problems
    assert not outside_requests


#: The article's headings and the page's landmarks, as a screen reader lists them: the page's
#: shown h1s, each heading level that skips one (h2 -> h4), the main and navigation landmarks,
#: and where the skip link leads.
_OUTLINE_JS = """
() => {
  const shown = e => e.checkVisibility();
  const levels = Array.from(document.querySelectorAll('article h1, article h2, article h3,'
    + ' article h4, article h5, article h6')).filter(shown).map(h => +h.tagName[1]);
  const skip = document.querySelector('a.skip-link, a[href="#main-content"]');
  const target = skip && document.getElementById(skip.getAttribute('href').slice(1));
  return {
    h1: Array.from(document.querySelectorAll('h1')).filter(shown).length,
    skipped: levels.slice(1).filter((l, i) => l > levels[i] + 1).length,
    main: document.querySelectorAll('main, [role=main]').length,
    nav: Array.from(document.querySelectorAll('nav')).filter(n => n.getAttribute('aria-label')
      || n.getAttribute('aria-labelledby')).length,
    skipTo: target ? target.tagName : null,
  };
}
"""


@pytest.mark.parametrize("name", ["chapters/06-survival.html", "book/api/clinical.html"])
def test_one_title_no_skipped_heading_and_landmarks(shared_pages, outside_requests, name):
    """A page shows one h1 (the theme's printed title, a second h1, is hidden on screen), its
    headings skip no level, it has a main landmark and named navigations, and its skip link
    leads to the main content."""
    pg = shared_pages(1366, name)
    seen = pg.evaluate(_OUTLINE_JS)
    assert seen == {"h1": 1, "skipped": 0, "main": 1, "nav": seen["nav"], "skipTo": "MAIN"}, seen
    assert seen["nav"] >= 1, seen
    assert not pg.problems, pg.problems
    assert not outside_requests


#: What has the focus: its name (the words a screen reader says first).
_FOCUSED_JS = """() => { const e = document.activeElement;
  return e && e !== document.body ? (e.getAttribute('aria-label') || e.innerText).trim() : null; }"""


def _tab_to(pg, selector: str, most: int = 30) -> bool:
    """Press Tab until the visible ``selector`` has the focus (at most ``most`` times)."""
    target = pg.locator(selector).filter(visible=True).first.element_handle()
    for _ in range(most):
        pg.keyboard.press("Tab")
        if pg.evaluate("e => e === document.activeElement", target):
            return True
    return False


def test_escape_closes_what_the_keyboard_opened_and_gives_the_focus_back(
    contexts, server, outside_requests
):
    """On a phone (390 px), keyboard only: the menu, the contents, the search and the download
    menu of the page's header are reached with Tab and opened with Enter; Escape closes each and
    the focus goes back to its button, so that the next Tab goes on from there. The search
    dialog gave it back to nothing (book.js): the next Tab began again at the top of the page."""
    pg = _open(contexts, 390, outside_requests)
    opened = {
        ".primary-toggle": "document.getElementById('pst-primary-sidebar-modal').open",
        ".secondary-toggle": "document.getElementById('pst-secondary-sidebar-modal').open",
        "button.search-button": "document.getElementById('pst-search-dialog').open",
        ".bd-header-article .dropdown-toggle": "!!document.querySelector('.dropdown-menu.show')",
    }
    try:
        pg.goto(f"{server}/chapters/06-survival.html", wait_until="load")
        wrong = []
        for selector, is_open in opened.items():
            # from the page's first control, its skip link, as after a load
            pg.evaluate(
                "() => { window.scrollTo(0, 0); document.querySelector('a[href=\"#main-content\"]').focus(); }"
            )
            if not _tab_to(pg, selector):
                wrong.append(f"{selector}: not reached with Tab")
                continue
            name = pg.evaluate(_FOCUSED_JS)
            pg.keyboard.press("Enter")
            pg.wait_for_timeout(300)
            if not pg.evaluate(is_open):
                wrong.append(f"{selector}: Enter did not open it")
            pg.keyboard.press("Escape")
            pg.wait_for_timeout(300)
            if pg.evaluate(is_open):
                wrong.append(f"{selector}: Escape did not close it")
            back = pg.evaluate(_FOCUSED_JS)
            if back != name:
                wrong.append(f"{selector}: the focus went to {back!r}, not back to {name!r}")
        assert not wrong, wrong
        assert not pg.problems, pg.problems
    finally:
        pg.close()
    assert not outside_requests


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_back_to_top_is_readable_and_its_focus_ring_shows(shared_pages, outside_requests, theme):
    """The "Back to top" button (shown when the reader scrolls up) keeps WCAG AA: its words 4.5 : 1
    on its colour and its keyboard focus ring 3 : 1 on the page. In light mode the theme's white
    on orange (#e89217) read 2.4 : 1, and the orange ring 2.4 on the white page (book.css)."""
    pg = shared_pages(390, "chapters/06-survival.html")
    pg.bring_to_front()  # a tab behind the others gets no scroll events: the button stays hidden
    pg.evaluate(f"document.documentElement.dataset.theme = '{theme}'")
    pg.evaluate("window.scrollTo(0, 4000)")
    pg.wait_for_timeout(200)
    pg.evaluate("window.scrollTo(0, 3500)")
    button = pg.locator("#pst-back-to-top")
    button.wait_for(state="visible", timeout=5000)
    button.focus()
    pg.keyboard.press("Shift+Tab")
    pg.keyboard.press("Tab")  # focused from the keyboard: :focus-visible, its ring drawn
    pg.wait_for_timeout(400)  # the theme's transitions
    words, ring = button.evaluate(
        "b => {\n"
        + _CONTRAST_HELPERS
        + """  const s = getComputedStyle(b);
  return [ratio(rgba(s.color), under(b)), s.outlineStyle === 'none' ? 0
    : ratio(rgba(s.outlineColor), under(b.parentElement))];
}"""
    )
    assert words >= 4.5, f"{theme}: 'Back to top' at {words:.2f} : 1"
    assert ring >= 3, f"{theme}: its focus ring at {ring:.2f} : 1 on the page"
    assert not pg.problems, pg.problems
    assert not outside_requests


def test_a_page_printed_in_dark_mode_prints_light(contexts, server, outside_requests, tmp_path):
    """A reader in the theme's dark mode who prints a chapter gets the light theme on paper
    (book.js, on "beforeprint"): the dark theme's light grey words had printed on white paper,
    or on black sheets with backgrounds. The dark mode is given back after printing."""
    pg = _open(contexts, 1366, outside_requests)
    try:
        pg.goto(f"{server}/{CHAPTER_PAGES[0].relative_to(HTML).as_posix()}", wait_until="load")
        pg.evaluate(
            """() => {
            document.documentElement.dataset.theme = 'dark';
            window.printedWith = [];
            // after book.js's listener (added when the page loaded): what the page prints with
            window.addEventListener('beforeprint', () => window.printedWith.push(
                document.documentElement.dataset.theme, getComputedStyle(document.body).color));
        }"""
        )
        dark_words = pg.evaluate("getComputedStyle(document.body).color")
        # its first sheet only (the page is laid out for paper whole, and "beforeprint" and
        # "afterprint" fire as for every sheet): all 30 (Letter) cost Chromium ~0.6 CPU-s more
        pg.pdf(path=str(tmp_path / "dark.pdf"), page_ranges="1")
        theme, words = pg.evaluate("window.printedWith")
        assert theme == "light", "printed in the dark theme"
        assert words != dark_words, f"printed words {words}, the dark theme's {dark_words}"
        assert pg.evaluate("document.documentElement.dataset.theme") == "dark", "mode given back"
        assert not pg.problems, pg.problems
    finally:
        pg.close()
    assert not outside_requests


@pytest.mark.parametrize("width", sorted(WIDTHS, reverse=True))
def test_cold_pages_are_light(toured, width):
    """Everything a first visit downloads: median page <= 1.5 MB, no chapter above 3 MB."""
    pages = TOURED_PAGES
    weights = {p.relative_to(HTML).as_posix(): _seen(toured, p, width)["weight"] for p in pages}
    assert not any(_seen(toured, p, width)["outside"] for p in pages)
    median = statistics.median(weights.values())
    assert median <= 1.5e6, f"median cold page {median / 1e6:.2f} MB: {weights}"
    chapters = {k: v for k, v in weights.items() if k.startswith("chapters/")}
    heaviest = max(chapters, key=chapters.get)
    assert chapters[heaviest] <= 3.0e6, f"{heaviest}: {chapters[heaviest] / 1e6:.2f} MB"


def test_icons_come_from_the_small_font(toured):
    """No 1.5 MB icon script and no 156 KB icon font: the subset of the icons the book uses."""
    requested = _seen(toured, CHAPTER_PAGES[0], 1366)["requested"]
    fonts = [u for u in requested if "/webfonts/" in u]
    assert fonts == ["/_static/vendor/fontawesome/webfonts/fa-solid-900.book-subset.woff"], fonts
    script = HTML / "_static" / "scripts" / "fontawesome.js"
    assert not script.exists() or script.stat().st_size < 1000


@pytest.mark.parametrize("width", sorted(WIDTHS, reverse=True))
def test_only_the_search_page_loads_the_search_index(toured, width):
    """No page of the tour asks for the 306 KB search index or Sphinx's search scripts (the
    theme put them in every page's head; book_site.drop_search_scripts): the search box sends
    its query to search.html, which loads them (test_search_finds_kaplan)."""
    search = ("/searchindex.js", "/_static/searchtools.js", "/_static/language_data.js")
    asked = {
        p.relative_to(HTML).as_posix(): sorted(
            set(_seen(toured, p, width)["requested"]) & set(search)
        )
        for p in TOURED_PAGES
    }
    assert not {k: v for k, v in asked.items() if v}, f"at {width} px"


@pytest.mark.parametrize("path", CHAPTER_PAGES, ids=lambda p: p.stem)
def test_chapter_html_is_small_and_downloads_are_files(path: Path):
    text = path.read_text(encoding="utf-8")
    assert len(text.encode("utf-8")) <= 200_000, f"{path.name}: {len(text) / 1e3:.0f} KB of HTML"
    assert "base64," not in text, f"{path.name}: a base64 payload is embedded in the page"
    # a body cell repeats no alignment class (tables.css aligns them; 15 KB of chapter 8)
    assert '<td class="text-left">' not in text, path.name
    soup = _soup(path.resolve())
    for a in soup.find_all("a", download=True):
        target = (path.parent / unquote(a["href"])).resolve()
        assert target.is_file() and target.stat().st_size > 0, f"{path.name}: {a['href']}"
        assert target.is_relative_to(HTML / "downloads"), a["href"]


@pytest.mark.parametrize("path", CHAPTER_PAGES, ids=lambda p: p.stem)
def test_chapter_offers_md_and_executed_ipynb(path: Path):
    soup = _soup(path.resolve())
    hrefs = [a["href"] for a in soup.select(".dropdown-download-buttons a[href]")]
    wanted = {f"{path.stem}.md", f"{path.stem}.ipynb"}
    offered = {Path(h).name for h in hrefs}
    assert wanted <= offered, f"{path.name}: download menu offers {sorted(offered)}"
    md, ipynb = (
        (path.parent / next(h for h in hrefs if h.endswith(suffix))).resolve()
        for suffix in (".md", ".ipynb")
    )
    assert md.read_text(encoding="utf-8").lstrip().startswith("---")  # the MyST source
    nb = json.loads(ipynb.read_text(encoding="utf-8"))
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert code and any(c.get("outputs") for c in code), (
        f"{ipynb.name} is not the executed notebook"
    )


@pytest.mark.parametrize("path", PAGES, ids=lambda p: str(p.relative_to(HTML)))
def test_figures_say_what_they_show_and_maths_loads_only_where_needed(path: Path):
    soup = _soup(path.resolve())
    article = soup.find("article") or soup
    for img in article.find_all("img"):
        if "toggler" in img.get("class", []):  # Sphinx's +/- in the module index
            continue
        alt = (img.get("alt") or "").strip()
        assert len(alt.split()) >= 3, (
            f"{path.name}: image {img.get('src', '')[:60]} has alt {alt!r}"
        )
        assert not re.search(r"\.(png|svg|jpe?g)$", alt) and alt != img.get("src"), alt
    has_maths = bool(article.select(".math"))
    loads_mathjax = any("mathjax" in (s.get("src") or "").lower() for s in soup.find_all("script"))
    assert loads_mathjax == has_maths, (
        f"{path.name}: maths {has_maths}, MathJax loaded {loads_mathjax}"
    )


def test_bibliography_labels_are_author_year():
    page = HTML / "book" / "bibliography.html"
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    labels = [s.get_text("", strip=True) for s in soup.select("div.citation > span.label")]
    assert len(labels) >= 50
    author_year = re.compile(r"^\[.+, (\d{4}|n\.d\.)[a-z]?\]$")
    assert [x for x in labels if not author_year.match(x)] == []
    assert not any("n.d." in x for x in labels), "an entry has no year"
    text = " ".join(soup.find("article").get_text(" ", strip=True).split())
    assert "Hien, P. N., Chun, H. J., Oh, J. S., Kim, S. H., and Choi, B. G. (2024)" in text


def _pdf_tool():
    spec = importlib.util.spec_from_file_location("book_pdf", ROOT / "tools" / "pdf.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


#: the chapters whose dropdowns, tables and links are checked on paper
PRINT_LAYOUT_CHAPTERS = ("01", "02", "07", "08")


@pytest.fixture(scope="module")
def printed_chapters(built, browser, tmp_path_factory, outside_requests):
    """Every chapter printed once with tools/pdf.py: ``(PDFs by docname, clipped tables,
    measured)``. ``measured``: each printed page (print stylesheet, the printed width), measured
    after it was printed, by docname: ``layout`` (:data:`_PRINT_LAYOUT_JS`, of
    :data:`PRINT_LAYOUT_CHAPTERS`, the page as printed) and the measurements of
    :data:`_PRINTED_PROBES` (of the chapters they name), then with every dropdown opened
    ``broken`` (:data:`_NUMBERS_BROKEN_JS`) and ``wide`` (tools/pdf.py's clipped tables), as the
    tests did on pages they loaded again (in print media, 1000 px wide: now at the printed width,
    688 px, as printed). Requests off the machine are recorded."""
    for tool in ("pdftoppm", "pdftotext"):
        if not shutil.which(tool):
            pytest.fail(f"{tool} is not installed: `make chromium` installs poppler-utils")
    pdf = _pdf_tool()
    docnames = [p.relative_to(HTML).with_suffix("").as_posix() for p in CHAPTER_PAGES]
    measured: dict[str, dict] = {}

    def measure(pg, name):
        seen = measured[name] = {}
        key = Path(name).name[:2]
        if key in PRINT_LAYOUT_CHAPTERS:
            seen["layout"] = pg.evaluate(_PRINT_LAYOUT_JS)
        for probe, (keys, run) in _PRINTED_PROBES.items():
            if key in keys:
                seen[probe] = run(pg, key)
        seen["broken"] = pg.evaluate(_NUMBERS_BROKEN_JS)  # opens the dropdowns
        seen["wide"] = pg.evaluate(pdf._CLIPPED_JS, pdf.PRINT_WIDTH_PX)

    written, clipped = pdf.print_book(
        HTML,
        tmp_path_factory.mktemp("pdf"),
        pages=docnames,
        book=False,
        browser=browser,
        watch=lambda pg: _fence(pg, outside_requests),
        after=measure,
    )
    return dict(zip(docnames, written, strict=True)), clipped, measured


def _printed(printed_chapters, key: str, probe: str):
    """What :data:`_PRINTED_PROBES` measured as ``probe`` on the chapter numbered ``key`` as
    tools/pdf.py printed it (``printed_chapters``)."""
    _, _, measured = printed_chapters
    (seen,) = [m for name, m in measured.items() if Path(name).name[:2] == key]
    return seen[probe]


def test_chapter_prints_to_a_pdf_handout(printed_chapters, tmp_path):
    """tools/pdf.py prints a chapter; page 1 renders and reads as the chapter, no table clipped."""
    chapter = CHAPTER_PAGES[4] if len(CHAPTER_PAGES) > 4 else CHAPTER_PAGES[0]
    docname = chapter.relative_to(HTML).with_suffix("").as_posix()
    pdfs, clipped, _ = printed_chapters
    assert clipped == [], clipped
    pdf = pdfs[docname]
    subprocess.run(
        ["pdftoppm", "-f", "1", "-l", "1", "-r", "60", "-png", str(pdf), str(tmp_path / "p")],
        check=True,
    )
    (png,) = tmp_path.glob("p*.png")
    assert png.stat().st_size > 10_000  # a rendered page, not a blank sheet
    first = subprocess.run(
        ["pdftotext", "-f", "1", "-l", "1", "-layout", str(pdf), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    title = BeautifulSoup(chapter.read_text(encoding="utf-8"), "html.parser").find("h1")
    heading = title.get_text(" ", strip=True).rstrip("#").strip()
    assert " ".join(heading.split()[-2:]) in " ".join(first.split()), first[:300]
    assert "synthetic" in first.lower()
    assert re.search(r"page 1 of \d+", first), "no page number in the footer"
    # the print stylesheet leaves out the navigation: no sidebar captions, no skip link
    assert "Using the book" not in first and "Skip to main content" not in first


#: the chapters that show no patient-level result (chapter 8 audits the paper's printed numbers),
#: whose printed sheets say so instead of "Synthetic data" (book.css: @page no-patient-data)
NO_PATIENT_DATA_CHAPTERS = {"08-audit"}
#: the running header of a sheet with patient-level results, and of one without
SYNTHETIC_HEADER = "Synthetic data — every patient-level result is computed on a synthetic cohort"
NO_PATIENT_HEADER = "No patient data on this page — the book's patient-level results, in other"


def test_printed_chapters_mark_every_sheet_and_orphan_no_heading(printed_chapters):
    """Every chapter printed with tools/pdf.py: each sheet carries the synthetic-data notice (a
    single photocopied page must say it), and no sheet ends with a numbered heading or with the
    sentence that introduces a code cell or a list ("... the landmark analyses:" ended a sheet
    of 09-bias, its cell on the next). Chapter 8 computes nothing on patients: its sheets said
    "every patient-level result is computed on a synthetic cohort" over its own box "No patient
    data on this page"; they now say that there is none on the page."""
    pdfs, clipped, _ = printed_chapters
    assert clipped == [], clipped
    unmarked, orphans = [], []
    for pdf in pdfs.values():
        text = subprocess.run(
            ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
        ).stdout
        sheets = [page for page in text.split("\f") if page.strip()]
        header = NO_PATIENT_HEADER if pdf.stem in NO_PATIENT_DATA_CHAPTERS else SYNTHETIC_HEADER
        for number, sheet in enumerate(sheets, start=1):
            # first line the notice (page margin box), last the footer (tools/pdf.py)
            lines = [" ".join(line.split()) for line in sheet.splitlines() if line.strip()]
            if not lines[0].startswith(header):
                unmarked.append(f"{pdf.stem} p{number}: {lines[0][:60]}")
            last = lines[-2] if len(lines) > 2 else ""
            # a table's numbered notes (the reasons of its ✗ marks) run on across sheets: a
            # reason wrapped after "CI: infeasible:" introduces nothing
            in_notes = any(re.match(r"[⁰¹²³⁴⁵⁶⁷⁸⁹]+ ", line) for line in lines[-4:-1])
            if (last.endswith(":") and not in_notes) or re.match(r"\d+(\.\d+)+\.\s", last):
                orphans.append(f"{pdf.stem} p{number}: {last[-70:]}")
    assert not unmarked, f"sheets without the notice that fits them: {unmarked}"
    assert not orphans, f"sheets ending with a heading or an introduction: {orphans}"


def _pdf_text(pdf: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout


def test_printed_chapters_send_readers_to_the_html_book_not_to_a_local_address(printed_chapters):
    """A handout says where what it leaves out is (its solutions, its long tables). Each chapter
    printed the address it was printed from under its title, and its pointers said "see this
    chapter in the online book (its address is under the title)": printed by ``make pdf``
    without PDF_BASE_URL that address was this machine's (http://127.0.0.1:42681/...), dead for
    every reader. Printed from 127.0.0.1, a chapter prints no address, and each pointer names the
    chapter and section of the HTML book ("see the HTML book, chapter 9, §9.7") (book.js)."""
    pdfs, _, _ = printed_chapters
    wrong, pointers = {}, 0
    for docname, pdf in pdfs.items():
        text = " ".join(_pdf_text(pdf).split())
        number = int(Path(docname).name[:2])
        said = re.findall(
            r"(?:not printed; see|Not printed \(a long table\): see) ([^.]*\.\d+)", text
        )
        pointers += len(said)
        bad = [s for s in said if not s.startswith(f"the HTML book, chapter {number}, §{number}.")]
        for dead in ("127.0.0.1", "Online version of this page", "address is under the title"):
            if dead in text:
                bad.append(dead)
        if bad:
            wrong[docname] = bad[:3]
    assert len(pdfs) == len(CHAPTER_PAGES)
    assert pointers >= 20, f"only {pointers} pointers to the HTML book"
    assert not wrong, f"handouts with a local address or a pointer to it: {wrong}"


def test_printed_links_name_their_section_after_their_words(printed_chapters):
    """On paper a link to another chapter's section reads as its words, the section's number
    after them: chapter 1's "(chapter 8 gives the argument)" printed as "(8.1.7. chapter 8
    gives the argument)", a bare number in the sentence (book_site.number_references)."""
    pdfs, _, _ = printed_chapters
    texts = {name: " ".join(_pdf_text(pdf).split()) for name, pdf in pdfs.items()}
    before = {n: re.findall(r"\d\. chapter \d\d\b", t) for n, t in texts.items()}
    assert not any(before.values()), before
    data = texts["chapters/01-data"]
    assert len(re.findall(r"\(chapter 8 \[§8\.1\.\d+\] gives the argument\)", data)) == 1, data
    assert "How the checks work (§8.3) explains each check" in texts["chapters/08-audit"]


#: pages without patient-level results (their printed sheets say so), and one with them
REFERENCE_PAGES = (
    "book/how-to-use",
    "book/glossary",
    "book/bibliography",
    "book/api",
    "book/api/survival",
)


def test_reference_pages_print_a_true_header_and_the_published_address(
    built, browser, contexts, server, tmp_path, outside_requests
):
    """How to use, the glossary, the bibliography and the API reference show no patient-level
    result: each printed sheet says so, not "every patient-level result is computed on a
    synthetic cohort"; the home page, which glues this cohort's counts, keeps that notice. With
    ``--base-url`` (where the book is published) a handout prints its page's address there, in
    the book's PDF each page its own; on screen the address is not shown."""
    pdf = _pdf_tool()
    pages = [*REFERENCE_PAGES, "book/intro"]
    written, clipped = pdf.print_book(
        HTML,
        tmp_path,
        pages=pages,
        browser=browser,
        watch=lambda pg: _fence(pg, outside_requests),
        base_url="https://example.org/haic-book",
        tighten=False,  # the sheets' header, not their number, is tested here
    )
    assert clipped == [], clipped
    texts = {path.stem: _pdf_text(path) for path in written}
    wrong = {}
    for name in pages:
        text = texts[pdf.pdf_name(name).removesuffix(".pdf")]
        header = SYNTHETIC_HEADER if name == "book/intro" else NO_PATIENT_HEADER
        sheets = [sheet for sheet in text.split("\f") if sheet.strip()]
        firsts = [" ".join(sheet.split())[: len(header)] for sheet in sheets]
        if any(first != header for first in firsts):
            wrong[name] = sorted(set(firsts))
        url = f"Online version of this page: https://example.org/haic-book/{name}.html"
        assert url in " ".join(text.split()), (name, " ".join(text.split())[:400])
        assert "127.0.0.1" not in text, name
    assert not wrong, f"printed sheets whose header does not fit the page: {wrong}"
    whole = " ".join(texts["book"].split())
    assert all(f"https://example.org/haic-book/{n}.html" in whole for n in pages), whole[:400]
    # every sheet's footer: the page's title (in book.pdf the book's, the home page's h1, not
    # the title of the last page loading MathJax: "Survival analysis: analysis.survival" here,
    # "Clinical rules: analysis.clinical" in make pdf's) and "page n of N" on one line (under
    # the home page's long title it read "page 1 of" over "3")
    book_title = "HAIC for TACE-refractory hepatocellular carcinoma: an executable reproduction"
    for stem, text in texts.items():
        sheets = [sheet for sheet in text.split("\f") if sheet.strip()]
        for number, sheet in enumerate(sheets, start=1):
            foot = "\n".join(sheet.strip().splitlines()[-2:])
            assert re.search(rf"page {number} of {len(sheets)}\b", foot), (stem, foot)
    footers = {
        sheet.strip().splitlines()[-1] for sheet in texts["book"].split("\f") if sheet.strip()
    }
    assert all(" ".join(f.split()).startswith(book_title + " page ") for f in footers), footers
    # book.pdf prints each page's title at the head of its first sheet, its address under it:
    # the theme's rule that hides an article's title on paper (a handout prints a copy of its
    # own) hid every page's title in the book (book.css)
    firsts = {
        " ".join(" ".join(sheet.strip().splitlines()[1:]).split())
        for sheet in texts["book"].split("\f")
        if sheet.strip()
    }
    for name in pages:
        soup = BeautifulSoup((HTML / f"{name}.html").read_text(encoding="utf-8"), "html.parser")
        title = " ".join(soup.find("article").find("h1").get_text(" ", strip=True).split())
        title = title.removesuffix("#").strip()
        head = f"{title} Online version of this page: https://example.org/haic-book/{name}.html"
        assert any(first.startswith(head) for first in firsts), (title, sorted(firsts)[:3])
    assert whole.count("No patient data on this page —") >= len(REFERENCE_PAGES)
    # on screen (a phone) the line is in the page (book.js) but not shown
    pg = _open(contexts, 390, outside_requests)
    try:
        pg.add_init_script("window.BOOK_PRINT_ROOT = 'https://example.org/haic-book/';")
        pg.goto(f"{server}/chapters/08-audit.html", wait_until="load")
        shown = pg.evaluate(
            "Array.from(document.querySelectorAll('p.print-address'))"
            ".map(p => [p.textContent, p.getClientRects().length])"
        )
    finally:
        pg.close()
    assert len(shown) == 1 and shown[0][1] == 0, shown
    assert shown[0][0].endswith("/chapters/08-audit.html"), shown
    assert not outside_requests


#: on paper: each dropdown's bar, whether its body prints, and the break rules of tables,
#: rows and glossary terms (book.css, @media print)
_PRINT_LAYOUT_JS = r"""
() => {
  const style = (e) => getComputedStyle(e);
  const dropdowns = Array.from(document.querySelectorAll('article details.sd-dropdown')).map(d => {
    const body = d.querySelector('.sd-summary-content');
    const marker = d.querySelector('.sd-summary-state-marker');
    return {title: d.querySelector('.sd-summary-text').textContent.trim().slice(0, 40),
            body: body.getBoundingClientRect().height > 0,
            note: getComputedStyle(d.querySelector('.sd-summary-text'), '::after').content,
            marker: marker ? marker.getBoundingClientRect().width > 0 : false};
  });
  const tables = Array.from(document.querySelectorAll('article table')).map(t => ({
    id: t.id, rows: t.tBodies[0] ? t.tBodies[0].rows.length : 0, inside: style(t).breakInside,
    sentences: /(^| )long-col-/.test(t.className),
    rowInside: t.tBodies[0] && t.tBodies[0].rows[0] ? style(t.tBodies[0].rows[0]).breakInside : '',
  }));
  const toggles = Array.from(document.querySelectorAll('article button.toggle-button'))
    .filter(b => b.getBoundingClientRect().width > 0).length;
  // every {ref}: its href, the number printed after its words, and for a link within the page
  // the number its target heading prints; then the link's words as printed
  const number = (a) => {
    const n = a.querySelector('.print-secnum');
    return n && getComputedStyle(n).display !== 'none' ? n.textContent : '';
  };
  const heading = (href) => {
    const target = href.startsWith('#') ? document.getElementById(href.slice(1)) : null;
    const section = target && target.closest('section');
    if (section && section.querySelector(':scope > h1')) return '';  // the page's own title
    const h = section && section.querySelector(':scope > :is(h2, h3, h4) > .section-number');
    return h ? h.textContent : null;
  };
  const chapterLinks = Array.from(document.querySelectorAll('article a.reference.internal'))
    .filter(a => a.querySelector('.std-ref'))
    .map(a => [a.getAttribute('href'), number(a), heading(a.getAttribute('href')),
               a.innerText.replace(/\s+/g, ' ').trim()]);
  return {dropdowns, tables, toggles, chapterLinks};
}
"""


def test_printed_chapters_open_dropdowns_and_keep_rows_whole(printed_chapters, outside_requests):
    """On paper (print stylesheet), a dropdown is open and shows no arrow: chapter 7 printed
    Tables 7.5 and 7.6 as closed bars, their rows never on paper. A long table of sentences
    (Table 7.3, the complete audit 8.3) stays out, and its bar says so. A long table may break
    across sheets, between rows only (a row of Table 1.2 began on one sheet and ended on the
    next); a short one stays whole. No exercise's toggle arrow is printed. A link to a chapter or a
    section prints its number before its title (book_site.py, book.css): "see How the checks
    work" named no place a reader of paper could find. The number follows the link's words
    ("How the checks work (§8.3)", "(chapter 8 [§8.1.7] gives the argument)"): printed before
    them, a sentence of chapter 1 read "(8.1.7. chapter 8 gives the argument)"."""
    _, _, measured = printed_chapters  # each page measured as printed
    seen = {Path(name).name[:2]: m["layout"] for name, m in measured.items() if "layout" in m}
    assert sorted(seen) == list(PRINT_LAYOUT_CHAPTERS), sorted(seen)
    dropdowns = {d["title"][:20]: d for key in ("01", "07", "08") for d in seen[key]["dropdowns"]}
    assert len(dropdowns) >= 5, dropdowns
    assert not [t for t, d in dropdowns.items() if d["marker"]], "dropdown arrows on paper"
    left_out = sorted(t for t, d in dropdowns.items() if not d["body"])
    # chapter 1's every published aggregate (99 rows of numbers) stays out too: its misses print
    # as Table 1.4
    assert left_out == ["Every printed Table ", "Every published aggr", "The complete audit ("], (
        left_out
    )
    assert all("Not printed" in dropdowns[t]["note"] for t in left_out)
    assert all(d["note"] in ("none", "normal") for t, d in dropdowns.items() if d["body"])
    tables = {t["id"]: t for key in seen for t in seen[key]["tables"] if t["id"]}
    for name in ("tbl-data-t2-feasibility", "tbl-cox-table2-implied"):
        assert tables[name]["inside"] == "auto" and tables[name]["rowInside"] == "avoid", tables[
            name
        ]
    # short: 10 rows or fewer, unless a column of sentences makes 8 of them long (book.css)
    short = [
        t
        for t in tables.values()
        if (t["rows"] < 8 or (t["rows"] <= 10 and not t["sentences"])) and t["inside"] != "avoid"
    ]
    assert not short, f"short tables that may break across sheets: {short}"
    assert not [k for k in seen if seen[k]["toggles"]], "exercise toggle buttons on paper"
    # a link to a chapter prints its number after its words ("Cox regression: Table 2 (chapter
    # 7)"), unless they name it ("chapter 8"); a link to a section of the page prints the
    # section's ("How the checks work (§8.3)"), and a link to a section of another chapter
    # starts with that chapter's (book_site.number_references); inside parentheses the number is
    # in brackets; a link to the page's own title (chapter 1's notice) prints none. The words
    # come first: no printed link begins with a number.
    links = [link for key in seen for link in seen[key]["chapterLinks"]]
    chapters = [(h, n, t) for h, n, _, t in links if re.match(r"(\.\./chapters/)?\d\d-", h)]
    assert len(chapters) >= 10, links
    wrong = [(h, t) for h, n, _, t in links if re.match(r"[\d§(\[]", t) or not t.endswith(n)]
    for href, printed, text in chapters:
        chapter = int(re.search(r"(\d\d)-[a-z0-9-]+\.html", href).group(1))
        anchor = href.partition("#")[2]
        label = re.fullmatch(r" [(\[](chapter \d+|§[\d.]+)[)\]]", printed)
        words = text[: len(text) - len(printed)]
        if anchor.startswith("ch-") and re.search(rf"\bchapter 0*{chapter}\b", words):
            ok = printed == ""
        elif anchor.startswith("ch-"):
            ok = bool(label) and label.group(1) == f"chapter {chapter}"
        else:
            ok = bool(label) and label.group(1).startswith(f"§{chapter}.")
        if not ok:
            wrong.append((href, text))
    within = [(h, n, heading) for h, n, heading, _ in links if h.startswith("#")]
    assert len(within) >= 3, links  # 01: the ensemble section (twice); 08: How the checks work
    wrong += [
        (h, n)
        for h, n, heading in within
        if heading is None or n[2:-1] != (f"§{heading.strip().rstrip('.')}" if heading else "")
    ]
    assert not wrong, f"links printed without their chapter's or section's number: {wrong}"
    assert not outside_requests


def test_no_page_shows_where_the_book_was_built(built):
    """The built site holds no absolute path of the checkout or of the builder's home (the API
    page once printed ``COHORT_CSV = PosixPath('/home/…/data/cohort.csv')``): the same bytes
    wherever the book is built, and nothing about the builder's machine. Every text file is read
    (pages, scripts, downloads, notebooks, sources), the paths also URL-encoded."""
    from urllib.parse import quote

    paths = {str(ROOT), str(ROOT.resolve())}
    if len(Path.home().parts) > 1:
        paths.add(str(Path.home()))
    needles = paths | {quote(p) for p in paths}
    text_files = {".html", ".js", ".txt", ".json", ".ipynb", ".md", ".csv", ".svg", ".css", ".map"}
    leaks = []
    for p in sorted(HTML.rglob("*")):
        if p.is_file() and p.suffix in text_files:
            text = p.read_text(encoding="utf-8", errors="replace")
            leaks += [f"{p.relative_to(HTML)}: {n}" for n in needles if n in text]
    assert not leaks, f"built files naming the build machine's paths: {leaks[:5]}"


# ------------------------------------------------------- tables on a phone and on paper (issue 34)
#: every number in a table cell, as a reader sees it: 0.003, 1,075, 91.5, −0.3 (a range's two
#: ends are two numbers: "1.112–6.396" may wrap after the dash, neither number may break)
_NUMBERS_BROKEN_JS = r"""
() => {
  document.querySelectorAll('article details').forEach(d => { d.open = true; });
  const broken = [];
  const walker = document.createTreeWalker(document.querySelector('article'), NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!node.parentElement.closest('td, th')) continue;
    for (const m of node.data.matchAll(/[−+-]?\d[\d.,]*\d|\d/g)) {
      const range = document.createRange();
      range.setStart(node, m.index);
      range.setEnd(node, m.index + m[0].length);
      const tops = new Set(Array.from(range.getClientRects()).filter(r => r.width > 0)
        .map(r => Math.round(r.top)));
      if (tops.size > 1) broken.push(m[0]);
    }
  }
  return broken;
}
"""


def test_printed_tables_keep_numbers_whole_and_fit_the_page(printed_chapters, outside_requests):
    """Printed (A4, the print stylesheet), no number in a table is broken across lines, and no
    table is wider than the page. "overflow-wrap: anywhere" in the print stylesheet once let the
    automatic table layout squeeze columns to a character: Table 7.2 printed "0.003" on three
    lines and "Variable" as "Vari/able"."""
    _, _, measured = printed_chapters  # each chapter measured once printed, dropdowns opened
    assert len(measured) == len(CHAPTER_PAGES), sorted(measured)
    broken = {Path(n).name: m["broken"][:8] for n, m in measured.items() if m["broken"]}
    clipped = {Path(n).name: m["wide"] for n, m in measured.items() if m["wide"]}
    assert not broken, f"numbers broken across lines in print: {broken}"
    assert not clipped, f"tables wider than the printed page: {clipped}"
    assert not outside_requests


#: at 390 px: each table cell with a sentence in it (>= 100 characters), its width in ems, and
#: each table's box against its scrolling container
_PHONE_TABLES_JS = r"""
() => {
  document.querySelectorAll('article details').forEach(d => { d.open = true; });
  const out = {narrow: [], wider: [], stacked: 0, tallest: 0};
  document.querySelectorAll('article table').forEach(t => {
    if (t.classList.contains('stacked')) out.stacked += 1;
    const cap = t.querySelector('caption .caption-number');
    const name = cap ? cap.textContent.trim() : t.className;
    out.tallest = Math.max(out.tallest, t.getBoundingClientRect().height);
    t.querySelectorAll('td, tbody th').forEach(td => {
      if (td.textContent.trim().length < 100) return;
      const em = parseFloat(getComputedStyle(td).fontSize);
      const width = td.getBoundingClientRect().width;
      if (width < 14 * em) out.narrow.push(`${name}: ${Math.round(width)} px (${(width / em).toFixed(1)} em)`);
    });
    if (t.classList.contains('stacked')) {
      const box = t.parentElement;
      if (t.getBoundingClientRect().width > box.clientWidth + 1) out.wider.push(name);
    }
  });
  return out;
}
"""


def test_phone_tables_give_sentences_a_readable_width(toured):
    """At 390 px a cell holding a sentence (a "Reason", an "Explanation") is at least 14 em wide.

    Squeezed to ~90 px (7 em) by the numeric columns, the reasons made Tables 1.2 and 7.2
    11,000 px tall, 7.3 50,000 and 8.3 43,000 px. A table with such a column is now shown as one
    card per row (book/_ext/book_site.py marks the column, book.js labels the cells,
    tables.css lays them out), no wider than its container.
    """
    problems, stacked = {}, 0
    for path in CHAPTER_PAGES:
        seen = _probed(toured, path, 390)["tables"]
        stacked += seen["stacked"]
        if seen["narrow"] or seen["wider"]:
            problems[path.stem] = seen["narrow"][:5] + seen["wider"]
    assert not problems, f"sentences squeezed in tables at 390 px: {problems}"
    assert stacked >= 5, f"only {stacked} tables shown as cards at 390 px"


#: each numbered table (dropdowns opened): its number, whether it scrolls inside its container,
#: whether its caption then ends inside the container, and the smallest font size of its text
_SCROLLING_CAPTIONS_JS = r"""
() => {
  document.querySelectorAll('article details').forEach(d => { d.open = true; });
  return Array.from(document.querySelectorAll('article .pst-scrollable-table-container'))
    .filter(box => box.querySelector('caption'))
    .map(box => {
      const cap = box.querySelector('caption');
      const name = (cap.querySelector('.caption-number') || cap).textContent.trim().slice(0, 12);
      const scrolls = box.scrollWidth > box.clientWidth + 1;
      const inside = cap.getBoundingClientRect().right <= box.getBoundingClientRect().right + 1;
      let px = 99;
      box.querySelectorAll('td, th').forEach(c => {
        if (c.textContent.trim()) px = Math.min(px, parseFloat(getComputedStyle(c).fontSize));
      });
      return [name, scrolls, inside, px];
    });
}
"""

#: the numbered tables made narrower for a 390 px phone (a 358 px column; 339 px in a dropdown,
#: whose padding is 0.5 rem on a phone), with their narrowest width at 390 px before -> after
#: (2026-12-01, text at 10.9-12 px): Table 4.2 486 -> 322 (the range joined the median and its
#: IQR, the "mean − 2 SD below 0" column became a mark), 7.4 394 -> 328 and 7.5 394 -> 326 (the
#: verdicts went from a sixth column to after the P). Since their text is 12 px on a phone (it
#: was shrunk to fit, down to 10.9 px), 4.2 still fits; 7.4 and 7.5 are 380 and 382 px wide and
#: scroll inside their containers, their row labels in view (:data:`PHONE_SCROLLING_TABLES`).
#: Tables 1.4, 1.5 and 1.6 fit since 2026-12-02 (400, 411 and 421 -> 358 px; see below).
PHONE_FITTED_TABLES = {"Table 1.4", "Table 1.5", "Table 1.6", "Table 4.2", "Table 7.5", "Table 7.6"}

#: the numbered tables wider than a 390 px phone's column at 12 px, which scroll sideways inside
#: their own container (book.js, tables.css), measured 2026-12-01 (width at 390 px, column 358 px,
#: 339 px in a dropdown): 1.3 400, 1.4 411, 1.5 421, 3.8 401, 6.1 394, 6.2 394, 7.4 380, 7.5 382,
#: 9.1 392, 9.2 402, 9.3 376. Shrunk to fit instead, their text was 10.9-11.5 px. A table at most
#: 40 px too wide is fitted with narrower gaps between cells (book.js "fit"): 3.8, 6.1, 6.2, 7.4
#: and 9.3 fit now (2026-12-02); 9.1 is held by its header words and 7.5 by its dropdown. 6.3
#: (398 px since its Class column, one class per row as in 6.1) and 7.1 (438 px since its Class
#: column) scrolled; their Class column now goes under the row labels on a phone (book.js
#: "class-under-label", as in 6.1 and 6.2), and they fit (358 px).
#: Since chapters 1 and 7 show their feasibility summary as Tables 1.2 and 7.2 (2026-12-02),
#: the later tables of each are one number up: 1.3-1.5 above are 1.4-1.6, 7.4 and 7.5 are 7.5
#: and 7.6.
#: Table 9.1 is fitted since its headers say "Alive" and "Deaths after" (not "Alive at landmark",
#: "Events"), and 9.2 is shown as cards on a phone (2026-12-02).
#: Then (2026-12-02, width at 390 px before -> after): 1.4 400 -> 358 and 1.5 411 -> 358, their
#: column of short word labels ("Calibration": hit / infeasible; "Model": univariate /
#: multivariable) under the row labels (book.js "label-under"; fitted they were still 367 and
#: 366 px); 1.6 421 -> 358 as cards, as 9.2 (":class: phone-cards"; its five columns are a label
#: and four estimates with intervals, 377 px fitted). 7.6 (382 px; 352 fitted, in a dropdown's
#: 339 px) scrolled: its labels' column was held at 81 px by the 12 px badge "determined" with
#: its chip's side padding (not painted in a table cell), its intervals ("(0.120–13.359)", 92 px)
#: do not break, and it has no column of labels to move. Since 2026-12-02 a row label's badge
#: has no chip padding on a phone (book.css; 81 -> 72 px), and a fitted table in a dropdown takes
#: half of the dropdown's padding (tables.css: 339 -> 347 px): 7.6 fits (343 px). No numbered
#: table scrolls sideways at 390 px.
PHONE_SCROLLING_TABLES: set[str] = set()


#: the table of each chapter whose box is measured at 1280 px
#: (:func:`test_desktop_header_badges_let_a_table_fit`)
HEADER_BADGE_TABLES = {
    "04": "tbl-base-skewed",
    "07": "tbl-cox-table2-stated",
    "10": "tbl-yours-dictionary",
}


@pytest.fixture(scope="module")
def chapters_at(browser, server, outside_requests):
    """Every chapter loaded at a width the tour does not visit, 320 px (a small phone, mobile)
    or 1280 px (a laptop), once per width for all the tests that measure it there, in one
    browser context per width (900 px high, 1x pixels): ``chapters_at(width)`` is ``{chapter
    number: measurements}``. On each page as loaded ``firstColumn`` (:data:`_FIRST_COLUMN_JS`,
    chapter 4 at 320 px), then ``captions`` (:data:`_SCROLLING_CAPTIONS_JS`, which opens the
    article's dropdowns), then at 1280 px ``box`` (of :data:`HEADER_BADGE_TABLES`, every
    dropdown opened), and ``problems`` (console and page errors while it was loaded and
    measured); last at 1280 px ``headings200`` (:data:`_HEADINGS_AT_200_JS`, the text at
    200 %). The caption test and the test of Table 4.1's first column at 320 px, and the
    caption test and that of the header badges at 1280 px, each loaded these pages again
    (~1 CPU-s a page)."""
    done: dict[int, dict] = {}

    def at(width: int) -> dict:
        if width not in done:
            done[width] = _chapters_at(browser, server, outside_requests, width)
        return done[width]

    return at


def _chapters_at(browser, server, outside_requests, width: int) -> dict:
    context = browser.new_context(
        viewport={"width": width, "height": 900}, is_mobile=width < 600, device_scale_factor=1
    )
    pg = context.new_page()
    _fence(pg, outside_requests)
    problems = _watch(pg)
    out = {}
    try:
        for path in CHAPTER_PAGES:
            key = path.stem[:2]
            seen = out[key] = {}
            problems.clear()
            pg.goto(f"{server}/{path.relative_to(HTML).as_posix()}", wait_until="load")
            if width == 320 and key == "04":
                seen["firstColumn"] = pg.evaluate(_FIRST_COLUMN_JS)
            seen["captions"] = pg.evaluate(_SCROLLING_CAPTIONS_JS)
            if width == 1280 and key in HEADER_BADGE_TABLES:
                pg.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")
                seen["box"] = pg.evaluate(
                    "(id) => { const c = document.getElementById(id).parentElement;"
                    " return [c.scrollWidth, c.clientWidth]; }",
                    HEADER_BADGE_TABLES[key],
                )
            if width == 1280:  # last: the text at twice its size, as a reader's font setting
                seen["headings200"] = pg.evaluate(_HEADINGS_AT_200_JS)
            seen["problems"] = list(problems)
    finally:
        context.close()
    return out


#: The article's headings wider than their box once the page's text is twice its size (the root
#: font size at 200 %, as a reader's text-only zoom or larger default font sets it).
_HEADINGS_AT_200_JS = """
() => {
  document.documentElement.style.fontSize = '200%';  // read below: laid out again at once
  const wide = Array.from(document.querySelectorAll('.bd-article :is(h1, h2, h3)'))
    .filter(h => h.checkVisibility() && h.scrollWidth > h.clientWidth + 1)
    .map(h => h.textContent.trim().slice(0, 40) + ' ' + h.scrollWidth + '/' + h.clientWidth);
  document.documentElement.style.fontSize = '';
  return wide;
}
"""


def test_headings_fit_with_the_text_at_200_percent(chapters_at, outside_requests):
    """With the text at 200 % in a 1280 px window (WCAG 1.4.4) the article is ~350 px wide
    between its sidebars, and a title's long word was cut off at its edge: chapter 4's
    "Baseline characteri|stics" (613 px in 352). A heading's word breaks where it cannot fit
    (book.css)."""
    wide = {k: seen["headings200"] for k, seen in chapters_at(1280).items() if seen["headings200"]}
    assert not wide, f"headings cut off with the text at 200 %: {wide}"
    assert not outside_requests


@pytest.mark.parametrize("width", [320, 1280])
def test_captions_of_scrolling_tables_stay_in_view(chapters_at, outside_requests, width):
    """A table wider than the page scrolls sideways, but its caption stays within the visible
    width: as wide as its table, the captions of Tables 3.7 and 3.8 (390 px) and 4.2 (390 and
    1280 px) were cut off at the edge (tables.css). On a phone a table's text is never under
    12 px: a table that does not fit at 12 px scrolls (at 390 px
    :data:`PHONE_SCROLLING_TABLES`, none since Table 7.6 fits; on a 320 px phone, a 288 px
    column, Table 4.1 among them; 4.2 is cards, and 7.5-7.7 put each row's label on a line of
    its own). At 1280 px no numbered table scrolls, and no table's text is under 10 px. (At 390 px:
    :func:`test_captions_of_scrolling_tables_stay_in_view_on_a_phone`.) Measured on the pages
    of ``chapters_at``, shared with the tests of single tables at 320 and 1280 px."""
    _captions_stay_in_view(
        [row for seen in chapters_at(width).values() for row in seen["captions"]], width
    )
    assert not outside_requests


def test_captions_of_scrolling_tables_stay_in_view_on_a_phone(toured):
    """:func:`test_captions_of_scrolling_tables_stay_in_view` at 390 px, measured by the tour
    (its phone visit of each chapter: the same script, after the dropdowns open), not by loading
    every chapter again (~8 CPU-s of Chromium)."""
    _captions_stay_in_view(
        [row for path in CHAPTER_PAGES for row in _probed(toured, path, 390)["captions"]], 390
    )


def _captions_stay_in_view(rows: list, width: int) -> None:
    """The checks of :func:`test_captions_of_scrolling_tables_stay_in_view` on the rows of
    :data:`_SCROLLING_CAPTIONS_JS` (name, whether it scrolls, caption inside, least text px) of
    every chapter at ``width``."""
    cut, scrolling, small, names = [], set(), [], set()
    least = 12 if width < 600 else 10
    for name, scrolls, inside, px in rows:
        names.add(name)
        if scrolls:
            scrolling.add(name)
            if not inside:
                cut.append(name)
        if px < least - 0.05:
            small.append(f"{name}: {px:.1f} px")
    assert len(names) >= 45, f"only {len(names)} numbered tables found"
    assert PHONE_FITTED_TABLES <= names, sorted(PHONE_FITTED_TABLES - names)
    assert not cut, f"captions cut off at {width} px: {cut}"
    assert not small, f"table text under {least} px at {width} px: {small}"
    if width == 320:  # the captions above were checked on tables that scroll
        assert "Table 4.1" in scrolling, sorted(scrolling)
        # under 375 px a label-rows table's labels are lines of their own: no sideways scroll
        assert not {"Table 7.5", "Table 7.6", "Table 7.7"} & scrolling, sorted(scrolling)
    elif width == 390:
        assert scrolling == PHONE_SCROLLING_TABLES, sorted(scrolling ^ PHONE_SCROLLING_TABLES)
    else:  # every numbered table fits a 1280 px screen
        assert not scrolling, f"tables scroll sideways at {width} px: {sorted(scrolling)}"


#: chapter 9's tables as laid out: per table its box (the scrolling container), whether it is
#: shown as cards (its rows laid out as flex boxes), its header texts and each estimate's text,
#: height, line height and whether it ends inside the box
_BIAS_TABLES_JS = r"""
() => Object.fromEntries(['tbl-bias-landmarks', 'tbl-bias-scenarios', 'tbl-bias-response-landmarks']
  .map(id => {
    const t = document.getElementById(id);
    const box = t.closest('.pst-scrollable-table-container');
    const right = box.getBoundingClientRect().right;
    const values = Array.from(t.querySelectorAll('tbody td:not(:first-child) > p')).map(p => {
      const r = p.getBoundingClientRect();
      return [p.textContent.trim(), Math.round(r.height), parseFloat(getComputedStyle(p).lineHeight),
              r.right <= right + 1];
    });
    const cards = getComputedStyle(t.tBodies[0].rows[0]).display === 'flex';
    return [id, {over: box.scrollWidth - box.clientWidth, cards,
                 heads: Array.from(t.tHead.rows[0].cells).map(c => c.textContent.trim()),
                 values}];
  }))
"""


@pytest.mark.parametrize("width", [390, 1366])
def test_bias_tables_fit_a_phone_and_name_their_deaths(toured, width):
    """Review: on a 390 px phone Table 9.1 was 392 px wide in its 358 px column (its P scrolled
    out of view) and Table 9.2 402 px (its fifth column cut); Tables 9.1 and 9.3 headed their
    deaths after the landmark "Events". Now no table of chapter 9 scrolls sideways at 390 px:
    9.1 and 9.3 say "Alive" and "Deaths after"; Table 9.2, four estimates with their intervals
    that cannot fit five columns, is shown as one card per timing assumption (":class:
    phone-cards", book.js), each estimate on one line beside its column's name. At 1366 px 9.2
    is a table of five columns. Measured by the tour on chapter 9 as loaded (at 1366 px on
    its desktop, not mobile: this test's own page had been a mobile one 1366 px wide)."""
    seen = _probed(toured, next(p for p in CHAPTER_PAGES if p.stem.startswith("09")), width)["bias"]
    for name in ("tbl-bias-landmarks", "tbl-bias-response-landmarks"):
        heads = seen[name]["heads"]
        assert "Deaths after" in heads and "Events" not in heads, (name, heads)
    assert {name: t["over"] for name, t in seen.items() if t["over"] > 1} == {}
    scenarios = seen["tbl-bias-scenarios"]
    assert scenarios["cards"] == (width < 600), scenarios
    assert len(scenarios["heads"]) == 5 and len(scenarios["values"]) >= 12, scenarios
    if width < 600:  # each estimate, "1.25 (0.69–2.26)", on one line and inside the card
        broken = [v for v in scenarios["values"] if v[1] > 1.5 * v[2] or not v[3]]
        assert not broken, broken


#: at 390 px, for each table id: its classes, how far it is wider than its container, whether
#: it is shown as cards, the words and parentheticals of its headers split over two lines
#: ("(≤ c)", "Log-rank"), and its cards' cells taller than one and a half lines
_PHONE_HEADERS_JS = r"""
(ids) => ids.map(id => {
  const t = document.getElementById(id);
  const box = t.parentElement;
  const broken = [];
  for (const th of t.tHead.rows[0].cells) {
    const walker = document.createTreeWalker(th, NodeFilter.SHOW_TEXT);
    let node;
    while ((node = walker.nextNode())) {
      const piece = /\([^)]*\)|\S+/g;
      let m;
      while ((m = piece.exec(node.data))) {
        const range = document.createRange();
        range.setStart(node, m.index);
        range.setEnd(node, m.index + m[0].length);
        const tops = new Set(Array.from(range.getClientRects(), r => Math.round(r.top)));
        if (tops.size > 1) broken.push(m[0]);
      }
    }
  }
  const cards = getComputedStyle(t.tBodies[0].rows[0]).display === 'flex';
  const tall = [];
  if (cards) t.querySelectorAll('tbody td:not(:first-child)').forEach(td => {
    const line = parseFloat(getComputedStyle(td).lineHeight);
    if (td.getBoundingClientRect().height > 1.5 * line) tall.push(td.textContent.trim());
  });
  return [id, {classes: t.className, over: box.scrollWidth - box.clientWidth, cards, broken, tall}];
})
"""


def test_tables_3_8_and_9_5_read_cleanly_on_a_phone(contexts, server, outside_requests):
    """Review (screenshots at 390 x 844): Table 9.5's headers read "n / (≤ / c)", "Log- / rank /
    P" and "HR (95% / CI)", squeezed into 28-49 px columns; Table 3.8, fitted with its cells
    0.1 em apart, ran its headers together ("Dose Dose Infusion", "(mg) (h)") and set
    "Recommended dose, mg (% of full dose)" on three lines. Now 9.5 says "Cut-off (c)" and "P"
    (its caption says log-rank), keeps each word and parenthetical on one line and fits without
    being fitted; 3.8, a dose
    sheet, is one card per drug and day (":class: phone-cards"), each value on one line beside
    its column's name."""
    pages = {"03-treatment": "tbl-treat-sheet-reduced", "09-bias": "tbl-bias-cutoffs"}
    seen = {}
    for name, table in pages.items():
        pg = _open(contexts, 390, outside_requests)
        pg.goto(f"{server}/chapters/{name}.html", wait_until="load")
        seen.update(dict(pg.evaluate(_PHONE_HEADERS_JS, [table])))
        assert not pg.problems, pg.problems
        pg.close()
    cutoffs = seen["tbl-bias-cutoffs"]
    assert cutoffs["broken"] == [] and cutoffs["over"] <= 1, cutoffs
    assert not {"fit", "scrolls", "stacked"} & set(cutoffs["classes"].split()), cutoffs
    sheet = seen["tbl-treat-sheet-reduced"]
    assert sheet["cards"] and "stacked" in sheet["classes"].split(), sheet
    assert sheet["over"] <= 1 and sheet["tall"] == [], sheet
    assert not outside_requests


_FIRST_COLUMN_JS = """(() => { const t = document.querySelector('table#tbl-base-table1');
  const td = t.tBodies[0].rows[0].cells[0];
  return [t.classList.contains('wide-first'), td.getBoundingClientRect().width,
          parseFloat(getComputedStyle(td).fontSize)]; })()"""


def test_phone_tables_that_scroll_keep_their_row_labels_readable(
    chapters_at, outside_requests, toured
):
    """On a 320 px phone Table 4.1 scrolls sideways (Table 4.2 did, before it became cards);
    its first column (row labels such as "PIVKA-II (ng/mL)") is not squeezed to its longest
    word: book.js marks such a table "wide-first" (tables.css: 8 em). Before, Table 6.1's rows
    were up to 156 px tall (seven lines). At 390 px Table 4.2 is cards (its means ± SD do not
    break: test_table_4_2_keeps_each_mean_and_sd_whole_and_fits_a_phone) and, like Table 3.7,
    neither fitted nor scrolled; Table 3.8, a little
    too wide at 12 px, was fitted (book.js "fit": narrower gaps between cells, labels at least
    5.5 em; Table 6.1 was, before its Class column went under its labels), which ran its
    headers together, and is now shown as cards, as Table 9.2, 44 px too wide, is
    (test_tables_3_8_and_9_5_read_cleanly_on_a_phone,
    test_bias_tables_fit_a_phone_and_name_their_deaths).
    At 320 px measured on chapter 4 as ``chapters_at`` loaded it (with the caption test; 900
    px high, 1x pixels: this test's own page had been 844 px high, 2x)."""
    chapters = {p.stem[:2]: p for p in CHAPTER_PAGES}
    small = chapters_at(320)["04"]
    assert not small["problems"], small["problems"]
    label = small["firstColumn"]
    # at 390 px, the tables' classes as each page loaded in the tour
    classes = {
        table: _probed(toured, chapters[key], 390)["classes"][table].split()
        for key, table in (("04", "tbl-base-skewed"), ("03", "tbl-treat-bands"),
                           ("03", "tbl-treat-sheet-reduced"), ("09", "tbl-bias-scenarios"))
    }  # fmt: skip
    wide, width, em = label
    assert wide and width >= 8 * em - 1, label
    # Tables 3.8 and 9.2 are cards, neither fitted nor scrolled
    fits = {t: ("wide-first" in c, "fit" in c) for t, c in classes.items()}
    assert fits == {"tbl-base-skewed": (False, False), "tbl-treat-bands": (False, False),
                    "tbl-treat-sheet-reduced": (False, False),
                    "tbl-bias-scenarios": (False, False)}, fits  # fmt: skip
    assert "stacked" in classes["tbl-bias-scenarios"]
    assert "stacked" in classes["tbl-treat-sheet-reduced"]
    assert "stacked" in classes["tbl-base-skewed"]
    assert not outside_requests


#: the tables with a column "Class" of provenance badges, one a row, by chapter
CLASS_COLUMN_TABLES = {
    "06": ("tbl-surv-os", "tbl-surv-pfs", "tbl-surv-comparisons"),
    "07": ("tbl-cox-codings",),
}

_CLASS_COLUMN_JS = r"""
(ids) => ids.map(id => {
  const t = document.getElementById(id);
  const box = t.parentElement;
  const shown = e => e.getClientRects().length > 0 && getComputedStyle(e).display !== 'none';
  const head = Array.from(t.tHead.rows[0].cells);
  const k = head.findIndex(th => th.textContent.trim() === 'Class');
  const rows = Array.from(t.tBodies[0].rows).map(r => {
    const label = r.cells[0];
    const copy = label.querySelector('.row-class');
    const badge = copy && copy.querySelector('sup');
    const first = label.querySelector('p').firstChild;
    const range = document.createRange();
    range.selectNodeContents(first);
    const rects = Array.from(range.getClientRects());
    return {column: r.cells[k].textContent.trim(), columnShown: shown(r.cells[k]),
            copy: copy ? copy.textContent.trim() : null, copyShown: !!copy && shown(copy),
            under: !!copy && shown(copy) &&
              copy.getBoundingClientRect().top >= Math.max(...rects.map(x => x.bottom)) - 1,
            // how far the badge's word starts right of its label's (0: under it)
            indent: badge && shown(copy) ? (() => {
              const word = document.createRange();
              word.selectNodeContents(badge);
              return word.getClientRects()[0].left - rects[0].left;
            })() : null,
            px: copy && copy.querySelector('sup') ?
              parseFloat(getComputedStyle(copy.querySelector('sup')).fontSize) : 0};
  });
  return {id, k, over: box.scrollWidth - box.clientWidth, headShown: shown(head[k]),
          headCopy: (head[0].querySelector('.row-class') || {}).textContent || null,
          scrolls: t.classList.contains('scrolls'), rows};
})
"""


@pytest.mark.parametrize("media", ["phone", "desktop", "print"])
def test_class_columns_go_under_the_row_labels_on_a_phone(request, media):
    """Tables 6.1-6.3 and 7.1 give each row's provenance class in a column "Class". On a 390 px
    phone that column took 85 px: Tables 7.1 (438 px) and 6.3 (398 px) scrolled sideways in a
    358 px column and 6.1 fitted with its labels squeezed to seven lines. There each row's badge
    goes on a line of its own under the row's label, the column's name under the first header,
    and the column is not shown (book.js, tables.css): the tables fit without scrolling, the
    badges at 12 px, each badge's word starting where its label does (a badge's chip is not
    painted in a table cell, and its side padding put a 3.6 px space before the word). At 1366
    px and on paper the column stays and the copy is not shown.

    Measured on chapters 6 and 7 as the tour loaded them (390 px: its phone, 844 px high, 2x
    pixels; this test's own page had been 900 px high, 1x) and as tools/pdf.py printed them
    (``printed_chapters``: the printed width, 688 px; its own page had been 1366 px wide)."""
    if media == "print":
        printed = request.getfixturevalue("printed_chapters")
        seen = [t for key in CLASS_COLUMN_TABLES for t in _printed(printed, key, "classColumns")]
    else:
        toured, width = request.getfixturevalue("toured"), 390 if media == "phone" else 1366
        chapters = {p.stem[:2]: p for p in CHAPTER_PAGES}
        seen = [
            t
            for key in CLASS_COLUMN_TABLES
            for t in _probed(toured, chapters[key], width)["classColumns"]
        ]
    assert len(seen) == 4 and all(t["k"] > 0 for t in seen), seen
    for t in seen:
        rows = t["rows"]
        assert rows and all(r["column"] in ("published", "determined", "assumed") for r in rows), t
        assert all(r["copy"] == r["column"] for r in rows), t  # the same class, row by row
        if media == "phone":
            assert t["over"] <= 1 and not t["scrolls"], (t["id"], t["over"])
            assert not t["headShown"] and t["headCopy"] == "Class", t
            assert not any(r["columnShown"] for r in rows), t
            assert all(r["copyShown"] and r["under"] and r["px"] >= 12 for r in rows), t
            indents = [r["indent"] for r in rows if r["copy"]]
            assert indents and all(abs(x) <= 0.5 for x in indents), (t["id"], indents)
        else:
            assert t["over"] <= 1 and t["headShown"], t
            assert all(r["columnShown"] and not r["copyShown"] for r in rows), t
    if media == "print":
        assert not request.getfixturevalue("outside_requests")


#: chapter 1's tables with a column of short word labels (book.js "label-under"): its index, name
LABEL_COLUMN_TABLES = {"tbl-data-cox": (1, "Model")}

_LABEL_COLUMN_JS = r"""
(ids) => ids.map(id => {
  const t = document.getElementById(id);
  const box = t.parentElement;
  const shown = e => e.getClientRects().length > 0 && getComputedStyle(e).display !== 'none';
  const k = Number(t.getAttribute('data-label-column'));
  const head = t.tHead.rows[0].cells;
  const copy = cell => cell.querySelector('.row-label');
  const rows = Array.from(t.tBodies[0].rows).map(r => {
    const c = copy(r.cells[0]);
    return [r.cells[k].textContent.trim(), shown(r.cells[k]), c ? c.textContent : null,
            !!c && shown(c), c ? parseFloat(getComputedStyle(c).fontSize) : 0];
  });
  return {id, k, name: head[k].textContent.trim(), over: box.scrollWidth - box.clientWidth,
          classes: t.className.split(/\s+/), headShown: shown(head[k]),
          headCopy: copy(head[0]) && shown(copy(head[0])) ? copy(head[0]).textContent : null, rows};
})
"""


@pytest.mark.parametrize("width", [390, 1366])
def test_label_columns_go_under_the_row_labels_when_a_table_would_scroll(toured, width):
    """At 390 px Table 1.5 (its "Model": univariate / multivariable) was 411 px wide and 1.4 (its
    "Calibration": hit / infeasible) 400 px in a 358 px column, and both scrolled sideways, still
    9 px too wide with narrower gaps. Such a column of a few short word labels goes under the row
    labels on a phone when the table would otherwise scroll (book.js "label-under", tables.css),
    as a Class column does: each row's label under its own, the column's name under the first
    header, and the column not shown; the tables fit, the labels at 12 px. At 1366 px the
    column stays and the copies are not shown. Measured by the tour on chapter 1 as loaded (at
    1366 px on its desktop, not mobile: this test's own page had been a mobile one 1366 px
    wide)."""
    chapter = next(p for p in CHAPTER_PAGES if p.stem.startswith("01"))
    seen = _probed(toured, chapter, width)["labelColumns"]
    assert len(seen) == len(LABEL_COLUMN_TABLES), seen
    for t in seen:
        assert (t["k"], t["name"]) == LABEL_COLUMN_TABLES[t["id"]], t
        rows = t["rows"]
        assert len(rows) >= 20 and all(copy == text for text, _, copy, _, _ in rows), t["id"]
        assert t["over"] <= 1 and "scrolls" not in t["classes"], (t["id"], t["over"])
        if width < 600:
            assert "label-under" in t["classes"] and not t["headShown"], t["id"]
            assert t["headCopy"] == t["name"], t["id"]
            assert all(not column and shown and px >= 12 for _, column, _, shown, px in rows), t
        else:
            assert "label-under" not in t["classes"] and t["headShown"], t["id"]
            assert t["headCopy"] is None and all(c and not s for _, c, _, s, _ in rows), t["id"]


#: at 390 px, what a reader would stumble on in a page: text running past the box that clips it
#: (outside a box that scrolls), code or output that scrolls sideways with no shadow to say so,
#: a provenance badge under 10 px, a card's label shown for an empty cell, a figure caption in
#: the theme's light weight, a previous/next title wider than its link or the screen
_PHONE_READING_JS = r"""
() => {
  document.querySelectorAll('article details').forEach(d => { d.open = true; });
  const art = document.querySelector('article.bd-article');
  const whole = art.getBoundingClientRect();
  const out = {clipped: [], uncued: 0, small: [], empty: [], light: 0, footer: []};
  const clip = el => {
    for (let p = el.parentElement; p && p !== art; p = p.parentElement) {
      const ox = getComputedStyle(p).overflowX;
      if (ox === 'auto' || ox === 'scroll') return null;
      if (ox === 'hidden' || ox === 'clip') return p.getBoundingClientRect();
    }
    return whole;
  };
  art.querySelectorAll('*').forEach(el => {
    // a card table's header row is there for screen readers only (tables.css: clipped to 1 px)
    if (el.closest('mjx-container, .sd-summary-title, table.stacked > thead')) return;
    const r = el.getBoundingClientRect();
    if (!r.width) return;
    const box = clip(el);
    if (box && r.right > Math.min(box.right, whole.right) + 1)
      out.clipped.push(`${el.tagName}: ${(el.textContent || '').trim().slice(0, 40)}`);
  });
  art.querySelectorAll('div.highlight > pre').forEach(pre => {
    if (pre.scrollWidth > pre.clientWidth + 1 &&
        !getComputedStyle(pre).backgroundImage.includes('radial-gradient')) out.uncued += 1;
  });
  art.querySelectorAll('sup.provenance').forEach(b => {
    const px = parseFloat(getComputedStyle(b).fontSize);
    if (px < 10) out.small.push(`${b.textContent.trim().slice(0, 20)} ${px.toFixed(1)} px`);
  });
  art.querySelectorAll('table.stacked :is(td, th)[data-label]').forEach(td => {
    if (!td.textContent.trim() && td.getBoundingClientRect().width) out.empty.push(td.dataset.label);
  });
  art.querySelectorAll('figure figcaption').forEach(c => {
    if (parseInt(getComputedStyle(c).fontWeight, 10) < 400) out.light += 1;
  });
  document.querySelectorAll('.prev-next-area p.prev-next-title').forEach(t => {
    const r = t.getBoundingClientRect();
    if (t.scrollWidth > t.clientWidth + 1 || r.right > window.innerWidth || r.left < 0)
      out.footer.push(t.textContent.trim().slice(0, 40));
  });
  return out;
}
"""


def test_phone_pages_cut_off_no_text(toured):
    """At 390 px nothing a reader needs is cut off or too faint (book.css, tables.css, book.js).

    Found on the built book: inline code in Exercise 7.1 ran 62 px past its admonition and was
    clipped (chapter 4's ``np.exp(np.log(…))`` 25 px); 106 code cells and outputs scrolled
    sideways with nothing to show it; badges in tables were 8.7 px; Table 10.1's cards showed
    "Unit" before nothing; figure captions were light (300) grey text; the previous/next links
    at a page's foot were 45 % wide each, and "hepatocellular" was cut at its box's edge.
    """
    problems, cued = {}, 0
    for path in READING_PAGES:
        seen = _probed(toured, path, 390)
        found = {k: v for k, v in seen["reading"].items() if v}
        if found:
            problems[path.stem] = found
        cued += seen["highlights"]
    assert cued, "no code cell found: the test checks nothing"
    assert not problems, f"at 390 px: {problems}"


#: each table row's first cell and its break rule (on paper: book_site.keep_row_pairs)
_PAPER_ROWS_JS = """() => [...document.querySelectorAll('.bd-article table tbody > tr')]
  .map(tr => [tr.cells[0] ? tr.cells[0].innerText.trim() : '',
              getComputedStyle(tr).breakAfter])"""


def test_printed_paper_rows_stay_with_their_reproduced_rows(printed_chapters, outside_requests):
    """Review: printed, "PIVKA-II (ng/mL): per ng/mL — paper" ended a sheet of Table 7.5 and its
    "↳ this cohort" row began the next. In print media each "— paper" row followed by its own
    "↳" row is kept with it (``break-after: avoid``; book_site.keep_row_pairs). Measured on
    chapter 7 as tools/pdf.py printed it (``printed_chapters``, at the printed width,
    688 px; the test had loaded it again in print media, 1000 px wide)."""
    rows = _printed(printed_chapters, "07", "rows")
    pairs = [
        (label, style)
        for (label, style), (after, _) in zip(rows, rows[1:], strict=False)
        if label.endswith("— paper") and after.startswith("↳")
    ]
    assert len(pairs) > 40, len(pairs)  # Tables 7.4 and 7.5
    assert [label for label, style in pairs if style != "avoid"] == []
    assert not outside_requests


def test_printed_chapter_7_begins_no_sheet_with_a_reproduced_row(printed_chapters):
    """The printed chapter 7 (tools/pdf.py): no sheet's first table row is a "↳ this cohort" row
    whose "— paper" row ended the sheet before."""
    pdfs, _, _ = printed_chapters
    (pdf,) = [path for name, path in pdfs.items() if Path(name).name.startswith("07")]
    split = []
    for number, sheet in enumerate(_pdf_text(pdf).split("\f"), start=1):
        lines = [" ".join(line.split()) for line in sheet.splitlines() if line.strip()]
        # a paper row's label may wrap before "paper": "Number of prior TACE: > 4 vs ≤ 4 — 1.086",
        # or before its dash, "— paper" then a line of its own under the row's numbers
        rows = [
            line
            for line in lines[1:]  # not the running header
            if re.search(r" —( paper)? [\d<>–]", line) or line.startswith("↳") or line == "— paper"
        ]
        if number > 1 and rows and rows[0].startswith("↳"):
            split.append(f"p{number}: {rows[0][:60]}")
    assert split == []


_FIGURES_ON_PAPER_JS = r"""
() => Array.from(document.querySelectorAll('article figure')).filter(f => f.querySelector('img'))
  .map(f => {
    const box = e => e && e.getBoundingClientRect();
    const img = box(f.querySelector('img')), cap = box(f.querySelector(':scope > figcaption'));
    const own = f.querySelector(':scope > figcaption ~ p.figure-provenance');
    const next = f.nextElementSibling;
    const left = next && next.querySelector(':scope > p.figure-provenance');
    const line = box(own || left);
    return {fig: f.querySelector('.caption-number').textContent.trim(), width: img.width,
            // the scale tools/pdf.py drew it at (a figure fitted to a sheet, or drawn smaller
            // for a table's notes), or null
            fit: parseFloat(f.getAttribute('data-print-fit')) || null,
            // what is right of the image's right edge, and above its foot
            cap: cap.left >= img.right && cap.bottom <= img.bottom + 2,
            line: line ? own !== null && line.left >= img.right && line.bottom <= img.bottom + 2
                       : null};
  })
"""


def test_printed_figures_put_their_caption_and_line_beside_the_image(
    printed_chapters, outside_requests
):
    """The image of a figure prints 420 px wide in a 688-px line: under it, its caption and its
    "In this figure" line pushed the tall figures to a new sheet and left the sheet before 50 %
    (06, before Fig. 6.2) and 73 % (07, before Fig. 7.1) blank. On paper both sit beside the
    image, at its foot (book.css; book.js moves the line into the figure), and the image keeps
    its width: nothing shrinks, but a figure tools/pdf.py draws smaller on purpose (Fig. 6.5,
    for Table 6.3's notes), never below FIT_MIN_SCALE of it. Measured on chapters 6 and 7 as
    tools/pdf.py printed them (``printed_chapters``, at the printed width, as the test had
    measured them)."""
    least = _pdf_tool().FIT_MIN_SCALE
    seen = [f for key in ("06", "07") for f in _printed(printed_chapters, key, "figures")]
    assert {"Fig. 6.2", "Fig. 7.1"} <= {f["fig"] for f in seen}, seen
    assert [f for f in seen if not f["cap"]] == [], "captions under their image"
    assert [f for f in seen if f["line"] is False] == [], "'In this figure' lines not beside"
    assert sum(f["line"] is True for f in seen) >= 6, seen  # 6.1-6.5 and 7.1 have one
    assert [f for f in seen if f["width"] < 419 and not f["fit"]] == [], "figures shrunk on paper"
    fitted = [f for f in seen if f["fit"]]
    assert all(least <= f["fit"] < 1 and f["width"] >= least * 419 for f in fitted), fitted
    assert not outside_requests


def _blank_below(pdf: Path, sheet: int, tmp: Path) -> float:
    """The share of sheet ``sheet``'s text area (inside the @page margins, 16 and 18 mm of
    297) left blank under its last inked line."""
    subprocess.run(
        ["pdftoppm", "-r", "30", "-gray", "-f", str(sheet), "-l", str(sheet), "-singlefile"]
        + [str(pdf), str(tmp / "sheet")],
        check=True,
    )
    return _blank_share(tmp / "sheet.pgm")


def _blank_share(sheet: Path) -> float:
    """:func:`_blank_below` of one rendered sheet (a grey map, as pdftoppm writes it without
    ``-png``: the same pixels, not compressed; 158 sheets took pdftoppm 4.9 CPU-s as PNG, 2.3
    as grey maps): the share of its text area under its last row holding a pixel darker than
    200, found by PIL (``point``, then ``getbbox``; the same row as a loop over the pixels)."""
    from PIL import Image

    image = Image.open(sheet).convert("L")
    width, height = image.size
    top, bottom = round(height * 16 / 297), round(height * (297 - 18) / 297)
    inked = image.crop((0, top, width, bottom)).point(lambda v: 255 if v < 200 else 0).getbbox()
    last = top + inked[3] - 1 if inked else top
    return 1 - (last - top) / (bottom - top)


def test_printed_tall_figures_leave_no_half_blank_sheet_before_them(printed_chapters, tmp_path):
    """tools/pdf.py's chapters 6 and 7: Fig. 6.2 and Fig. 7.1 (caption and "In this figure"
    line beside the image) follow on the sheet before's text; with them under the image the
    figures did not fit and the sheet before was left 50 % and 73 % blank (now 9 % and 2 %)."""
    pdfs, _, _ = printed_chapters
    blank = {}
    for prefix, caption in (("06", "Fig. 6.2 Progression"), ("07", "Fig. 7.1 Multivariable")):
        (pdf,) = [path for name, path in pdfs.items() if Path(name).name.startswith(prefix)]
        sheets = _pdf_text(pdf).split("\f")
        (number,) = [
            n for n, text in enumerate(sheets, start=1) if caption in " ".join(text.split())
        ]
        assert "In this figure" in sheets[number - 1], caption  # the line with its figure
        assert number > 1
        blank[caption] = round(_blank_below(pdf, number - 1, tmp_path), 2)
    assert all(share < 0.3 for share in blank.values()), blank


# Twelve and fourteen lines of text added at the end of §7.5, above §7.6 and its Fig. 7.1: the
# figure no longer fitted under the text and moved to the next sheet, leaving the sheet before
# 56 % and 51 % blank (each ten or so lines of change above a tall figure could do it). A fixed
# number of added lines tested that only as long as the text above stayed the same (a shorter
# chapter 7 left the figure where it was, with nothing to fit): the test now starts a sheet
# just before the figure with a line of text so far down that the figure, as printed, needs
# 1/0.9 or 1/0.8 of the room left under it, whatever the text above.
_FIT_SPACER_JS = """
document.addEventListener('DOMContentLoaded', () => {
  const caption = [...document.querySelectorAll('article figure .caption-number')]
    .find(c => c.textContent.trim().startsWith('Fig. 7.1'));
  let block = caption.closest('figure');
  while (block.parentElement && !block.parentElement.matches('section')) block = block.parentElement;
  const p = document.createElement('p');
  p.textContent = 'spacerline';
  p.style.cssText = 'break-before: page; margin: 0; padding-top: %.1fpx; line-height: 20px';
  block.parentNode.insertBefore(p, block);
});
"""


def _print_07_with_a_sheet_before_fig_7_1(printed_chapters, browser, outside_requests, tmp, room):
    """Chapter 7 printed by tools/pdf.py with a sheet started just before Fig. 7.1's block by a
    line of text that leaves ``room`` pt under it: ``(sheet of that line, sheet of the figure's
    caption, the figure's data-print-fit and data-print-float, blank share of each sheet)``."""
    pdf = _pdf_tool()
    # the spacer line's text ends 20 px (15 pt) under its padding; tools/pdf.py keeps 12 pt
    padding = (_PRINT_USABLE_PT - 12 - 15 - room) / pdf.PX_PT
    marks = {}

    def watch(pg):
        _fence(pg, outside_requests)
        pg.add_init_script(_FIT_SPACER_JS % padding)

    def after(pg, name):
        marks.update(
            pg.evaluate(
                "Object.fromEntries([...document.querySelectorAll('article figure')]"
                ".filter(f => f.querySelector('.caption-number'))"
                ".map(f => [f.querySelector('.caption-number').textContent.trim(),"
                " [f.getAttribute('data-print-fit'), f.getAttribute('data-print-float')]]))"
            )
        )

    (printed,), _ = pdf.print_book(
        HTML,
        tmp / "pdf",
        pages=["chapters/07-cox"],
        book=False,
        browser=browser,
        watch=watch,
        after=after,
        tighten=False,  # the spacer leaves a thin last sheet: the figure's fitting is tested here
    )
    sheets = [" ".join(text.split()) for text in _pdf_text(printed).split("\f")]
    (spacer,) = [n for n, text in enumerate(sheets, start=1) if "spacerline" in text]
    (figure,) = [n for n, text in enumerate(sheets, start=1) if "Fig. 7.1 Multivariable" in text]
    assert not outside_requests
    return spacer, figure, marks.get("Fig. 7.1"), _blank_shares(printed, tmp)


#: A4's height inside tools/pdf.py's top and bottom margins (16 and 18 mm), in pt
_PRINT_USABLE_PT = (297 - 16 - 18) * 72 / 25.4


def _fig_7_1_printed_height(printed_chapters) -> float:
    """Fig. 7.1's height (pt, with its margins) as tools/pdf.py measures it, printed as is."""
    (height,) = [
        f["height"]
        for f in _printed(printed_chapters, "07", "fitFigures")
        if f and f["num"].startswith("Fig. 7.1")
    ]
    return height


@pytest.mark.parametrize("share", [0.9, 0.8])
def test_printed_fig_7_1_fits_the_sheet_when_the_text_above_it_grows(
    printed_chapters, browser, outside_requests, tmp_path, share
):
    """tools/pdf.py draws a figure that moved whole to the next sheet smaller (never below
    FIT_MIN_SCALE), to fit under the last line of the sheet before, and prints again: a sheet
    whose text leaves Fig. 7.1 ``share`` of the height it prints at (more than a quarter of the
    sheet) holds the figure at 0.7-1 of its size, not half a sheet of nothing."""
    pdf = _pdf_tool()
    room = share * _fig_7_1_printed_height(printed_chapters)
    assert pdf.FIT_BLANK * _PRINT_USABLE_PT < room < _PRINT_USABLE_PT, room
    spacer, figure, (fit, _), shares = _print_07_with_a_sheet_before_fig_7_1(
        printed_chapters, browser, outside_requests, tmp_path, room
    )
    assert fit is not None and pdf.FIT_MIN_SCALE <= float(fit) < 1, fit
    assert figure == spacer, (spacer, figure, fit)
    assert shares[spacer - 1] < 0.3, (fit, shares[spacer - 1])


def test_printed_fig_7_1_that_cannot_shrink_enough_lets_the_text_after_it_fill_the_sheet(
    printed_chapters, browser, outside_requests, tmp_path
):
    """Where Fig. 7.1 would have to be drawn below FIT_MIN_SCALE to fit the room left on a sheet
    (here 30 % of it), tools/pdf.py prints the blocks after it in its section that fit there
    (its code cell) before it: the figure heads the next sheet, and the sheet before is no
    longer left 30 % blank (chapter 7's shorter table notes once left it 46 % blank)."""
    pdf = _pdf_tool()
    room = 0.3 * _PRINT_USABLE_PT
    assert room < pdf.FIT_MIN_SCALE * _fig_7_1_printed_height(printed_chapters)
    spacer, figure, (fit, floated), shares = _print_07_with_a_sheet_before_fig_7_1(
        printed_chapters, browser, outside_requests, tmp_path, room
    )
    assert fit == "no" and floated is not None and int(floated) >= 1, (fit, floated)
    assert figure == spacer + 1, (spacer, figure)
    assert shares[spacer - 1] < pdf.FIT_BLANK, shares[spacer - 1]


def _blank_shares(pdf: Path, tmp: Path) -> list[float]:
    """:func:`_blank_below` of every sheet of ``pdf`` (rendered in one pdftoppm run)."""
    subprocess.run(["pdftoppm", "-r", "30", "-gray", str(pdf), str(tmp / "s")], check=True)
    shares = []
    for path in sorted(tmp.glob("s-*.pgm"), key=lambda p: int(p.stem.rpartition("-")[2])):
        shares.append(_blank_share(path))
        path.unlink()
    return shares


def test_printed_chapters_leave_no_sheet_mostly_blank(printed_chapters, tmp_path):
    """No sheet of a printed chapter but its last is more than 60 % blank under its last line.
    Chapter 1's Table 1.5 (30 rows) was kept whole and moved to the next sheet: page 18 printed
    the heading "1.6.1. Table 2 hazard ratios" and four lines, 86 % blank (book.css now lets a
    table of 26-35 rows break, its first 8 rows under its caption)."""
    pdfs, _, _ = printed_chapters
    blank = {}
    for name, pdf in pdfs.items():
        shares = _blank_shares(pdf, tmp_path)
        assert shares, name
        mostly = [f"p{n}: {share:.0%}" for n, share in enumerate(shares[:-1], 1) if share > 0.6]
        if mostly:
            blank[Path(name).name] = mostly
    assert not blank, f"sheets left mostly blank: {blank}"


def test_printed_fig_1_3_shares_its_sheet_with_fig_1_2_both_drawn_smaller(
    printed_chapters, tmp_path
):
    """Chapter 01's Fig. 1.3 (three stacked panels) moved whole to the next sheet and left the
    sheet before, under Fig. 1.2, 32 % blank: at FIT_MIN_SCALE it still needed more room than
    that, and no block after it could move (a heading follows it). tools/pdf.py now draws both
    figures at one scale, the largest at which Fig. 1.3 fits the room Fig. 1.2 frees, never
    below FIT_MIN_SCALE: the two share a sheet, which is no longer left a quarter blank.
    Text added before them (5 December: the tie rule, the ensemble's selection) can instead
    leave the sheet under Fig. 1.2 less than a quarter blank with Fig. 1.3 whole on the next:
    then neither is drawn smaller (22 % blank under Fig. 1.2 since)."""
    pdf = _pdf_tool()
    pdfs, _, _ = printed_chapters
    (path,) = [p for name, p in pdfs.items() if Path(name).name.startswith("01")]
    sheets = [" ".join(text.split()) for text in _pdf_text(path).split("\f")]
    (one,) = [n for n, text in enumerate(sheets, 1) if "Fig. 1.2 Kaplan" in text]
    (other,) = [n for n, text in enumerate(sheets, 1) if "Fig. 1.3 Right-skewed" in text]
    marks = _printed(printed_chapters, "01", "fitMarks")
    scales = [marks.get(k) for k in ("Fig. 1.2", "Fig. 1.3")]
    assert _blank_below(path, one, tmp_path) < pdf.FIT_BLANK, (one, other, scales)
    if one == other:
        assert all(s is not None and pdf.FIT_MIN_SCALE <= float(s) < 1 for s in scales), scales
    else:
        assert other == one + 1 and scales == [None, None], (one, other, scales)


def test_printed_chapters_end_on_no_sheet_of_a_few_lines(printed_chapters, tmp_path):
    """No printed chapter's last sheet is more than 70 % blank: chapters 03 and 06 ended on one
    exercise box alone (84 % and 71 % blank), 09 on two (55 %). tools/pdf.py prints a chapter
    whose last sheet is thin again with its last sections (or all) spaced a little tighter, the
    text at its size, and keeps that where it prints on fewer sheets (03, 06 and 09: 13 -> 12)."""
    pdfs, _, _ = printed_chapters
    pdf = _pdf_tool()
    thin = {}
    for name, path in pdfs.items():
        shares = _blank_shares(path, tmp_path)
        if len(shares) > 1 and shares[-1] > 0.7:
            thin[Path(name).name] = f"{shares[-1]:.0%}"
    assert not thin, f"chapters ending on a nearly blank sheet: {thin}"
    assert pdf.THIN_TAIL <= 0.5 and 999 in pdf.TIGHT_TRIES


def _begins_with_a_box_edge(sheet: Path) -> bool:
    """Whether the first ink of a rendered sheet's text area (a grey map, as pdftoppm writes
    it) is a box's closing edge alone: rows, down to the first blank one, that hold ink only at
    the box's two sides (its bar, its shadow) or across its whole width (its bottom edge), and
    no word. Light grey counts (under 235): the dropdown's shadow is lighter than text."""
    from PIL import Image

    image = Image.open(sheet).convert("L")
    width, height = image.size
    top, bottom = round(height * 16 / 297), round(height * (297 - 18) / 297)
    ink = image.crop((0, top, width, bottom)).point(lambda v: 255 if v < 235 else 0)
    boxes = []
    for y in range(ink.height):
        box = ink.crop((0, y, width, y + 1)).getbbox()
        if box:
            boxes.append((y, box[0], box[2]))
        elif boxes:
            break
    if not boxes:
        return False
    left, right = min(b[1] for b in boxes), max(b[2] for b in boxes)
    if right - left < 0.3 * width:
        return False
    side = 3  # px of a side's bar or shadow
    for y, _, _ in boxes:
        inside = ink.crop((left + side + 1, y, right - side - 1, y + 1)).histogram()[255]
        if inside and inside < 0.9 * (right - left - 2 * side - 2):
            return False  # a word, not an edge
    return True


def test_printed_chapters_begin_no_sheet_with_a_box_edge_alone(printed_chapters, tmp_path):
    """A box split over two sheets does not leave its closing edge alone at the head of the
    next: chapter 7's sheet 18 began with an empty strip, the bar and shadow of Table 7.7's
    dropdown around the body's 16-px bottom padding, its last row on the sheet before. On paper
    a dropdown's box ends at its last row (book.css); an admonition is kept whole or closes its
    box on each sheet."""
    pdfs, _, _ = printed_chapters
    edges = []
    for name, pdf in pdfs.items():
        subprocess.run(["pdftoppm", "-r", "72", "-gray", str(pdf), str(tmp_path / "e")], check=True)
        sheets = sorted(tmp_path.glob("e-*.pgm"), key=lambda p: int(p.stem.rpartition("-")[2]))
        for number, sheet in enumerate(sheets, start=1):
            if number > 1 and _begins_with_a_box_edge(sheet):
                edges.append(f"{Path(name).name} p{number}")
            sheet.unlink()
    assert edges == [], f"sheets that begin with a box's edge alone: {edges}"


def test_printed_table_notes_are_smaller_than_the_text_but_not_the_table(printed_chapters):
    """On paper a table's numbered notes print at 8.5 pt, between the table (7.5 pt) and the
    text: at the body's size the 25 and 28 notes of Tables 7.5 and 7.6 took five of chapter
    07's 26 sheets (23 now)."""
    seen = _printed(printed_chapters, "07", "notes")
    assert len(seen["notes"]) >= 2 and seen["body"] and seen["cells"], seen
    pt = 0.75  # points per CSS px
    assert {round(s * pt, 1) for s in seen["notes"]} == {8.5}, seen["notes"]
    assert max(seen["cells"]) < min(seen["notes"]) < min(seen["body"]), seen


def test_printed_table_6_3_keeps_its_notes_on_its_sheet(printed_chapters, tmp_path):
    """Table 6.3's numbered notes print on the table's sheet: they began the next sheet, ~50 pt
    left under the table and the notes ~83 pt, the sheet shared with Fig. 6.5 above the table
    (kept with the notes by force, the table moved too, leaving its sheet ~52 % blank).
    tools/pdf.py draws the figure smaller (not below FIT_MIN_SCALE) to free the room, and no
    sheet of chapter 6 but its last is left more than 30 % blank."""
    pdfs, _, _ = printed_chapters
    (pdf,) = [path for name, path in pdfs.items() if Path(name).name.startswith("06")]
    sheets = [" ".join(text.split()) for text in _pdf_text(pdf).split("\f")]

    def sheet(words: str) -> int:
        (number,) = [n for n, text in enumerate(sheets, start=1) if words in text]
        return number

    table = sheet("Table 6.3 Overall survival")
    notes = [
        sheet("¹ the paper’s interval is infeasible"),
        sheet("² the paper’s interval is infeasible"),
    ]
    assert notes == [table, table], (table, notes)
    shares = _blank_shares(pdf, tmp_path)
    blank = [f"p{n}: {share:.0%}" for n, share in enumerate(shares[:-1], 1) if share > 0.3]
    assert not blank, f"chapter 6 sheets more than 30 % blank: {blank}"


def test_printed_chapter_title_keeps_its_number(printed_chapters, outside_requests):
    """On paper the chapter's title reads "4. Baseline characteristics: Table 1", as on screen
    and as its printed contents list (4.1, 4.2, ...): the theme prints an unnumbered copy of the
    title (book.js copies the number into it). Measured on chapter 4 as tools/pdf.py printed
    it (``printed_chapters``, at the printed width, 688 px; the test had loaded it again in print
    media, 1000 px wide)."""
    titles = _printed(printed_chapters, "04", "title")
    assert titles and titles[0].startswith("4. "), titles
    assert not outside_requests


#: the chapters whose code is checked for names split across lines on a phone (04 and 07: the
#: long calls of Exercises 4.2 and 7.1, inline code in the prose)
SPLIT_NAME_CHAPTERS = ("01-data", "04-baseline", "07-cox")

_SPLIT_NAMES_JS = r"""
() => {
  const split = [];
  let names = 0;
  const code = 'article div.cell_input div.highlight > pre, article code.literal';
  for (const pre of document.querySelectorAll(code)) {
    if (!pre.getClientRects().length || pre.closest('dl.py, h1')) continue;  // folded away; API, title
    // inline code: the width of the block it is set in
    const width = pre.tagName === 'PRE' ? pre.clientWidth
      : pre.closest('p, li, dd, dt, td, th, figcaption, div').clientWidth;
    const text = pre.textContent;
    for (const m of text.matchAll(/[A-Za-z_][A-Za-z0-9_]{9,}/g)) {
      // the text nodes holding the name's first and last characters
      const range = document.createRange();
      const walker = document.createTreeWalker(pre, NodeFilter.SHOW_TEXT);
      let offset = 0, start = null, end = null;
      while (walker.nextNode()) {
        const node = walker.currentNode, len = node.textContent.length;
        if (start === null && m.index < offset + len) start = [node, m.index - offset];
        if (m.index + m[0].length <= offset + len) { end = [node, m.index + m[0].length - offset]; break; }
        offset += len;
      }
      range.setStart(...start); range.setEnd(...end);
      const lines = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top)));
      names += 1;
      if (lines.size > 1 && range.getBoundingClientRect().width < width) split.push(m[0]);
    }
  }
  return {names, split};
}
"""


@pytest.mark.parametrize("chapter", SPLIT_NAME_CHAPTERS)
def test_phone_code_wraps_between_names_not_inside_them(toured, chapter):
    """At 390 px a line of code without a space wrapped wherever it ran out of room, inside a
    name ("feasibility_summar|y", "book_c|ohort"): book.js lets it break after a dot, an opening
    bracket, a comma or "=" (a <wbr>, no character: the copy button copies the code as
    written), so a name that fits the box is never split. Inline code in the prose too
    (Exercise 4.2 broke "cohort["ast_u_l"].d|ropna()", Exercise 7.1 "prior_tace_g|t4").
    Measured by the tour on its phone visit of the chapter, as loaded (this test's own page
    had been 390 px wide but not mobile)."""
    found = _probed(toured, HTML / "chapters" / f"{chapter}.html", 390)["splitNames"]
    assert found["names"] > 20, found
    assert found["split"] == [], found["split"]
    assert found["copied"]


#: on paper: the font size of each visible code cell's input, and of each folded cell's printed
#: copy with its break rules, overflow, statements, its <details> and its text
_PRINTED_CODE_JS = """() => ({
  visible: [...document.querySelectorAll('article div.cell:not(.tag_hide-input) div.cell_input pre')]
    .map(p => parseFloat(getComputedStyle(p).fontSize)),
  folded: [...document.querySelectorAll('article div.cell.tag_hide-input')]
    .filter(c => !c.classList.contains('long-source'))
    .map(c => { const copy = c.querySelector(':scope > div.print-copy pre');
                const d = c.querySelector(':scope > details');
                return copy && [parseFloat(getComputedStyle(copy).fontSize),
                                getComputedStyle(copy).breakInside,
                                getComputedStyle(copy.closest('div.highlight')).breakInside,
                                getComputedStyle(copy).overflow,
                                [...copy.querySelectorAll(':scope > span.print-statement')]
                                  .every(b => getComputedStyle(b).breakInside === 'avoid')
                                  && copy.children.length >= 1,
                                getComputedStyle(d).display,
                                copy.textContent === c.querySelector('div.cell_input pre').textContent]; })})"""


def test_printed_visible_code_is_as_large_as_the_folded_set_up(printed_chapters, outside_requests):
    """On paper the visible calls (what a resident copies) printed at 7.5 pt while the folded
    set-up code above them printed at 9 pt: every code cell's input prints at 9 pt (12 CSS px),
    its text output stays smaller; a folded cell prints whole from a breakable copy. Measured on
    chapter 6 as tools/pdf.py printed it (``printed_chapters``, at the printed width,
    688 px; the test had loaded it again in print media, 1000 px wide)."""
    sizes = _printed(printed_chapters, "06", "code")
    assert sizes["visible"] and sizes["folded"], sizes
    assert set(sizes["visible"]) == {12.0}, sizes
    # a folded cell prints from a copy outside its <details> (in which Chromium breaks no page:
    # 06's 30-line set-up went whole to sheet 3, half of sheet 2 blank), whole, 9 pt, breakable
    # (nor inside the theme's div.highlight, break-inside: avoid, nor a scrolling box: 03's
    # set-up went whole to sheet 3, two thirds of sheet 2 blank)
    # (each top-level statement kept whole: 07's forest-plot code ended a sheet on "for …:"; a
    # folded cell of one call, since the chapters' bookkeeping went into the package, is one)
    assert all(
        f == [12.0, "auto", "auto", "visible", True, "none", True] for f in sizes["folded"]
    ), sizes["folded"]
    assert not outside_requests


def test_desktop_tables_keep_their_columns(toured):
    """The phone's cards are for phones: at 1366 px every table is laid out as a table
    (chapter 7, as the tour loaded it)."""
    chapter = next(p for p in CHAPTER_PAGES if p.stem.startswith("07"))
    shown = _probed(toured, chapter, 1366)["display"]
    assert shown and set(shown) == {"table"}, shown


TABLE2_IDS = ("tbl-cox-table2-implied", "tbl-cox-table2-stated")
_ARROW_LINES_JS = """(id) => [...document.getElementById(id).querySelectorAll('tbody tr > :first-child')]
  .filter(td => td.textContent.startsWith('↳'))
  .map(td => {  // the lines "↳" and its word "this" (of "this cohort") are set on
    const walker = document.createTreeWalker(td, NodeFilter.SHOW_TEXT);
    let node = walker.nextNode();
    while (node && !node.textContent.includes('↳')) node = walker.nextNode();
    const range = document.createRange();  // the arrow and its word only: the patients
    const at = node.textContent.indexOf('↳');  // (deaths) after them may wrap
    range.setStart(node, at);
    range.setEnd(node, Math.min(node.textContent.length, at + '↳ this'.length));
    return new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top))).size;
  })"""


def test_the_arrow_stays_with_its_word_on_a_phone(toured):
    """Tables 7.4 and 7.5 at 390 px (7.5 in its opened dropdown): "↳" and "this" (of its label
    "this cohort") stay on one line (analysis.book.glue_table2 joins them with a narrow no-break space). With an
    ordinary space the arrow sat alone above the word in all 27 of this cohort's rows of Table 7.5.
    At 12 px both tables (now 7.5 and 7.6) are fitted to their column (book.js "fit"; 7.6, in its
    dropdown, since its labels' badges lost their chip padding and the dropdown lends it half its
    padding), or else would scroll inside their containers, the labels' column in view (sticky):
    never the page. Measured by the tour on its phone visit of chapter 7, every dropdown opened
    (this test's own page had been 900 px high, 1x pixels; the tour's is 844 px high, 2x)."""
    chapter = next(p for p in CHAPTER_PAGES if p.stem.startswith("07"))
    seen = _probed(toured, chapter, 390)["arrows"]
    lines, page, sticky = seen["lines"], seen["page"], seen["sticky"]
    assert sorted(lines) == sorted(TABLE2_IDS), lines
    for table, counts in lines.items():
        assert len(counts) >= 20, (table, counts)
        assert set(counts) == {1}, f"{table}: '↳ this' broken over lines {counts}"
    assert page <= 2, f"the page is {page} px wider than the phone"
    assert all(sticky.values()), sticky


def test_desktop_header_badges_let_a_table_fit(chapters_at, outside_requests):
    """At 1280 px Table 4.2 fits its page: a header's badge may go under its label (tables.css).
    Written straight after the word, "skewness" and its badge were one unbreakable word, the
    column 148 px wide for numbers like "2.45", and the last column was cut at the edge. Table
    10.1 fits too: a column name may break after its underscores (analysis.book._code); one
    unbreakable name, ``prior_resection_or_transplant``, made it 36 px too wide. So does Table
    7.5, in its dropdown (opened): a cell's badge may go under its word too. Measured on the
    pages of ``chapters_at`` at 1280 px, shared with the caption test."""
    seen = chapters_at(1280)
    boxes = {table: seen[key]["box"] for key, table in HEADER_BADGE_TABLES.items()}
    wide = {t: box for t, box in boxes.items() if box[0] > box[1] + 1}
    assert not wide, f"tables wider than their column at 1280 px ([table, column] px): {wide}"
    assert not outside_requests


@pytest.mark.parametrize("path", CHAPTER_PAGES, ids=lambda p: p.stem)
def test_solution_titles_link_their_words_not_the_space_before_them(path: Path):
    """Review (390 px and on paper): each "Solution to Exercise 2.1" underlined a space before
    "Exercise", the link's text starting with it (sphinx-exercise); book_site.py moves the space
    out of the link, and the title reads as before."""
    titles = _soup(path).select("article div.solution > p.admonition-title")
    assert titles, "no solution titles"
    for title in titles:
        link = title.find("a")
        assert link is not None and link.get_text() == link.get_text().strip(), str(title)[:200]
        assert " ".join(title.get_text().split()).startswith("Solution to Exercise "), title


def test_intro_table_has_a_caption_and_no_number(built):
    """The home page's "study at a glance" table says what it holds (it had no caption). It has
    no number: the page is outside the numbered chapters, and a "Table 1" there would read as the
    paper's Table 1. The other pages of book/ have no table."""
    soup = BeautifulSoup((built / "book" / "intro.html").read_text(encoding="utf-8"), "html.parser")
    tables = soup.select("article table")
    assert len(tables) == 1, len(tables)
    caption = tables[0].find("caption")
    assert caption is not None, "the study-at-a-glance table has no caption"
    assert "the paper reports" in caption.get_text(" ", strip=True)
    assert not caption.select(".caption-number"), caption
    for name in ("how-to-use", "glossary"):
        page = (built / "book" / f"{name}.html").read_text(encoding="utf-8")
        assert not BeautifulSoup(page, "html.parser").select("article table"), name


@pytest.mark.parametrize("name", ["genindex.html", "py-modindex.html"])
def test_index_pages_fit_a_phone(request, contexts, server, outside_requests, name):
    """The general index (not in the tour) once laid out 531 px wide on a 390 px phone, so the
    browser zoomed the page out: its two columns of long dotted names now stack and wrap. The
    module index is in the tour: its phone visit is read."""
    if HTML / name in TOURED_PAGES:
        seen = _seen(request.getfixturevalue("toured"), HTML / name, 390)
        problems, width = seen["problems"], [seen["layout"], seen["layout"] + seen["overflow"]]
        assert not seen["outside"], seen["outside"][:5]
    else:
        pg = _open(contexts, 390, outside_requests)
        try:
            pg.goto(f"{server}/{name}", wait_until="load")
            width = pg.evaluate("[window.innerWidth, document.documentElement.scrollWidth]")
            problems = pg.problems
        finally:
            pg.close()
    assert not problems, problems
    assert width[0] <= 390, f"{name}: laid out {width[0]} px wide, zoomed out"
    assert width[1] - width[0] <= 2, f"{name}: {width[1] - width[0]} px wider than a phone"


#: an API page as laid out: the summary tables' rows (the width of the box, of the signature and
#: of the description, and whether the table scrolls), and where its title's code breaks (the
#: character before each line break)
_API_LAYOUT_JS = r"""
() => {
  const rows = Array.from(document.querySelectorAll('article table.autosummary')).flatMap(t => {
    const box = t.closest('.pst-scrollable-table-container') || t.parentElement;
    const wide = box.clientWidth;
    return Array.from(t.tBodies[0].rows).map(r => [
      r.cells[0].textContent.trim().slice(0, 30), wide,
      Math.round(r.cells[r.cells.length - 1].getBoundingClientRect().width),
      t.scrollWidth > t.clientWidth + 1 || box.scrollWidth > box.clientWidth + 1]);
  });
  const code = document.querySelector('article h1 code');
  const breaks = [];
  if (code) {
    const walker = document.createTreeWalker(code, NodeFilter.SHOW_TEXT);
    let top = null, before = '';
    while (walker.nextNode()) {
      const node = walker.currentNode;
      for (let i = 0; i < node.length; i++) {
        const range = document.createRange();
        range.setStart(node, i); range.setEnd(node, i + 1);
        const rect = range.getClientRects()[0];
        if (!rect) continue;
        if (top !== null && rect.top > top + 2) breaks.push(before + '|' + node.data[i]);
        top = rect.top; before = node.data[i];
      }
    }
  }
  return {rows, title: code ? code.textContent : '', breaks};
}
"""


def test_api_pages_on_a_phone_stack_their_summaries_and_break_titles_after_a_dot(
    contexts, server, outside_requests, toured
):
    """Review: on a 390 px phone an API page's summary table (a signature, then its description)
    was ~500 px wide in a 358 px column: 25-41 px of each description showed, the rest behind
    the edge; and 14 of 23 page titles broke inside a name ("analysis.privac|y"). Each row is now
    a block, the description under its signature and as wide as the column (book.css), and a
    title breaks after a dot only (book.js). At 1366 px the tables keep their two columns. The
    two module pages in the tour (:data:`TOURED_PAGES`) are measured on its phone visit."""
    assert len(API_MODULE_PAGES) >= 20
    narrow, scrolling, inside, rows = {}, set(), {}, 0
    pg = _open(contexts, 390, outside_requests)
    try:
        for path in API_MODULE_PAGES:
            if path in TOURED_PAGES:
                seen = _probed(toured, path, 390)["api"]
            else:
                pg.goto(f"{server}/{path.relative_to(HTML).as_posix()}", wait_until="load")
                seen = pg.evaluate(_API_LAYOUT_JS)
            rows += len(seen["rows"])
            for name, wide, described, scrolls in seen["rows"]:
                if described < 0.9 * wide:
                    narrow.setdefault(path.stem, []).append(f"{name} {described}/{wide}")
                if scrolls:
                    scrolling.add(path.stem)
            bad = [b for b in seen["breaks"] if not b.startswith(".|")]
            if bad or not seen["title"].startswith("analysis."):
                inside[path.stem] = (seen["title"], seen["breaks"])
        assert not pg.problems, pg.problems
        # on a wide screen the summary keeps its columns: the description beside its signature
        desk = _open(contexts, 1366, outside_requests)
        try:
            desk.goto(f"{server}/book/api/privacy.html", wait_until="load")
            desktop = desk.evaluate(_API_LAYOUT_JS)
        finally:
            desk.close()
    finally:
        pg.close()
    assert rows >= 200, rows
    assert not narrow, f"descriptions squeezed beside their signature at 390 px: {narrow}"
    assert not scrolling, f"summary tables that scroll at 390 px: {sorted(scrolling)}"
    assert not inside, f"titles broken inside a name at 390 px: {inside}"
    assert all(described < 0.8 * box for _, box, described, _ in desktop["rows"]), desktop["rows"][
        :3
    ]
    assert desktop["breaks"] == [], desktop["breaks"]
    assert not outside_requests


def test_api_reference_is_split_per_module(built):
    """The API reference was one 2 MB page (461 objects: a phone downloaded all of it to read
    one function); it is one page per module, none above 300 KB, plus a short index page."""
    index = HTML / "book" / "api.html"
    modules = sorted((HTML / "book" / "api").glob("*.html"))
    assert index.stat().st_size <= 60_000, f"api.html: {index.stat().st_size / 1e3:.0f} KB"
    assert len(modules) >= 20
    heavy = {p.name: p.stat().st_size for p in modules if p.stat().st_size > 300_000}
    assert not heavy, f"API pages above 300 KB: {heavy}"
    links = {a["href"] for a in _soup(index.resolve()).select("article a[href]")}
    assert {f"api/{p.name}" for p in modules} <= links, "the index links every module page"


def test_each_page_prints_to_its_own_pdf():
    """``make pdf`` writes one PDF per page and ``book.pdf``: no two pages share a file name
    (the API page ``book/api/book`` once printed to ``book.pdf``, then lost to the whole book)."""
    pdf = _pdf_tool()
    names = [pdf.pdf_name(p) for p in pdf.toc_pages()]
    assert len(names) == len(set(names)), sorted(n for n in names if names.count(n) > 1)
    assert "book.pdf" not in names


# ------------------------------------------- code, solutions, badges and table text (issue 96)
#: each code block of the page that scrolls sideways: its first words and its widths
_SCROLLING_CODE_JS = r"""
(selector) => {
  document.querySelectorAll('article details').forEach(d => { d.open = true; });
  return Array.from(document.querySelectorAll(selector))
    .filter(pre => pre.getClientRects().length && pre.scrollWidth > pre.clientWidth + 1)
    .map(pre => `${pre.textContent.trim().slice(0, 40)} (${pre.scrollWidth}/${pre.clientWidth} px)`);
}
"""


def _golden_stream(stem: str, needle: str) -> str:
    """The printed text of the code cell of ``chapters/<stem>.ipynb`` whose output holds
    ``needle``."""
    import nbformat

    nb = nbformat.read(ROOT / "chapters" / f"{stem}.ipynb", as_version=4)
    texts = [
        "".join(o["text"])
        for c in nb.cells
        if c.cell_type == "code"
        for o in c.get("outputs", [])
        if o.get("output_type") == "stream" and needle in "".join(o["text"])
    ]
    assert len(texts) == 1, texts
    return texts[0]


#: printed outputs (their first words) with nothing to align, which wrap on a phone (book.js
#: classes them "prose"; each was cut at 390 px, mid-number for some), and tabular ones, which
#: keep their lines: columns aligned by runs of spaces (06's three CI methods, 01's counts)
PROSE_OUTPUTS = (
    "inconsistent — SE 0.446, z 2.38, P ≈ 0.0",
    "AST: HR 1.0110 per U/L, 0.63 for > 40 vs",
    "median PFS 4.7 months, SPSS mean 8.4 mon",
    "68 deaths, 11 parameters in the multivar",
    "naive: 0.54 (0.31–0.93)\ntime-varying: ",  # two lines, each wrapping on its own
)
TABULAR_OUTPUTS = (
    "spss    median 9.9",
    "verdict",
)
#: messages printed with hanging indents (analysis.formatting.wrapped: continuation lines two
#: spaces in; 10's items "  - …" under their heading), which wrap on a phone with their
#: continuation lines under their first word (book.js classes them "prose" and "hanging"): they
#: were tabular, kept their 80-character lines and were cut at the box's edge at 390 and 360 px
#: (706 px wide in a 358-px box)
HANGING_OUTPUTS = (
    "weight_kg = 150 with height_cm = 165 is ",
    "mean − 2 SD below zero, printed by the p",
    "my-cohort.csv: 5 problems",
    "-p confidence_level=95: must be above 0 ",
)


def _printed_outputs(outputs) -> dict:
    """What is wrong with the printed outputs measured by :data:`_PRINTED_LINES_JS` on a phone:
    a tabular one wrapped, a prose one that does not wrap or still scrolls sideways, a box past
    the text column, a message with a hanging indent whose wrapped lines are not under its first
    word; and the first words of those classed prose, tabular and hanging."""
    out: dict = {
        "rewrapped": [], "unwrapped": [], "past": [], "unhung": [],
        "prose": [], "tabular": [], "hanging": [],
    }  # fmt: skip
    for text, printed, drawn, white_space, beyond, prose, over, hanging, astray in outputs:
        out["prose" if prose else "tabular"].append(text)
        if hanging:
            out["hanging"].append(text)
        if not prose and (drawn != printed or white_space != "pre"):
            out["rewrapped"].append((text, printed, drawn, white_space))
        if prose and (white_space != "pre-wrap" or over > 1 or drawn < printed):
            out["unwrapped"].append((text, white_space, over))
        if beyond > 1:
            out["past"].append((text, beyond))
        if astray:
            out["unhung"].append((text, astray))
    return out


def test_code_wraps_and_printed_output_keeps_its_lines_on_a_phone(toured):
    """At 390 px no code cell or code block scrolls sideways (book.css): 9 of 10 chapters hid
    code behind the right edge, the commands of How to use (858-875 px in 356 px). At 1366 px no
    code a reader types scrolls (chapter 7's "# published beside reproduced, one row per te…"
    was cut); printed output keeps its lines there (but for messages with hanging indents).

    A code cell's printed output that is tabular keeps its lines on a phone too, and scrolls
    sideways in its own box, never past the text column: a printed data frame's columns, 06's
    three CI methods aligned by runs of spaces. One with nothing to align (book.js's rule: one
    line, or lines without runs of spaces, indents other than hanging ones, pandas footers or
    box-drawing) wraps and fits its box: at 390 px 08's "inconsistent — SE 0.446, z 2.38, P ≈
    0.01" was cut mid-number. A message printed with hanging indents (:data:`HANGING_OUTPUTS`:
    03's BMI warning, 04's "mean − 2 SD" note, 10's validator messages) wraps too, the lines of
    each message under its first word: kept whole, they were cut at the box's edge (706 px in
    358), and wrapped line by line the 80-character lines of 10's validator ran over two or
    three, ragged. Chapter 9's printed cut-offs (one line each) are the golden notebook's.

    Measured by the tour on each page as loaded at each width (:data:`_PROBE_JS`)."""
    scrolling, typed, wrong, seen, outputs = {}, {}, {}, 0, 0
    prose, tabular, hanging = [], [], []
    for path in CODE_PAGES:
        phone = _probed(toured, path, 390)
        seen += phone["highlights"]
        if phone["code"]:
            scrolling[path.stem] = phone["code"][:4]
        got = _printed_outputs(phone.get("outputs", []))
        outputs += len(got["prose"]) + len(got["tabular"])
        prose += got.pop("prose")
        tabular += got.pop("tabular")
        hanging += got.pop("hanging")
        if any(got.values()):
            wrong[path.stem] = {k: v for k, v in got.items() if v}
        found = _probed(toured, path, 1366)["typed"]
        if found:
            typed[path.stem] = found[:4]
    chapter = next(p for p in CHAPTER_PAGES if p.stem.startswith("09"))
    lines = _probed(toured, chapter, 390)["sessions"]
    assert seen > 100, f"only {seen} code blocks found"
    assert outputs > 20, f"only {outputs} printed outputs found"
    assert not scrolling, f"code that scrolls sideways at 390 px: {scrolling}"
    assert not wrong, f"printed output at 390 px: {wrong}"
    assert all(any(t.startswith(w) for t in prose) for w in PROSE_OUTPUTS), prose
    assert all(any(t.startswith(w) for t in tabular) for w in TABULAR_OUTPUTS), tabular
    assert len(hanging) == len(HANGING_OUTPUTS), hanging
    assert all(any(t.startswith(w) for t in hanging) for w in HANGING_OUTPUTS), hanging
    printed = _golden_stream(chapter.stem, "sessions: log-rank P")
    assert lines and lines.strip() == printed.strip(), "the printed lines were changed"
    assert not typed, f"code a reader types scrolls sideways at 1366 px: {typed}"


@pytest.mark.parametrize("width", [390, 1366])
def test_table_4_2_keeps_each_mean_and_sd_whole_and_fits_a_phone(toured, width):
    """Review (390 px): Table 4.2 broke its long means ± SD before the ± ("13,242.6 / ±
    48,407.3†", "72.6 / ± 75.9†"; kept whole, they made it 415 px wide in a 358 px column). On a
    phone it is one card per variable (":class: phone-cards"), each summary on its line with its
    column's name and the header's provenance badge (determined, assumed, assumed); at 1366 px a
    table, the badges in its header only. No value breaks around its ± at either width
    (test_short_headers_values_and_hyphened_numbers_stay_on_one_line)."""
    seen = _probed(toured, next(p for p in CHAPTER_PAGES if p.stem.startswith("04")), width)
    table = seen["skewed"]
    assert table["cards"] == (width < 600), table["cards"]
    assert table["over"] <= 1, table["over"]
    cells = table["cells"]
    assert len(cells) >= 30 and all(inside for _, _, inside in cells), cells
    badges = [tuple(shown) for _, shown, _ in cells]
    if width < 600:
        assert set(badges) == {("determined",), ("assumed",)}, set(badges)
        assert badges[:3] == [("determined",), ("assumed",), ("assumed",)], badges[:3]
    else:
        assert set(badges) == {()}, set(badges)
    assert any("13,242.6 ± 48,407.3" in text for text, _, _ in cells), cells[:3]


def _solutions(path: Path) -> list[str]:
    """The first words of each solution of an exercise on the page (sphinx-exercise)."""
    return [
        " ".join(s.select_one("section").get_text(" ", strip=True).split()[:8])
        for s in _soup(path.resolve()).select("div.solution")
    ]


def test_printed_handouts_leave_out_the_solutions(printed_chapters):
    """A printed chapter is a handout: printed, every dropdown opened, and each "Solution to
    Exercise N" was printed under its exercise (05-response's answers among them). On paper a
    solution is one line that says where it is (book.css), its text is not printed."""
    pdfs, _, _ = printed_chapters
    given, counted = {}, 0
    for path in CHAPTER_PAGES:
        solutions = _solutions(path)
        counted += len(solutions)
        pdf = pdfs[path.relative_to(HTML).with_suffix("").as_posix()]
        text = subprocess.run(
            ["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True
        ).stdout
        text = " ".join(text.split())
        shown = [s for s in solutions if s in text]
        lines = len(re.findall(r"not printed; see the HTML book, chapter \d+, §[\d.]+\.", text))
        if shown or lines != len(solutions):
            given[path.stem] = (shown[:2], lines, len(solutions))
    assert counted >= 20, f"only {counted} solutions found"
    assert not given, f"solutions printed ([shown], notes, solutions): {given}"


#: the codings of sex in Korean and in Chinese that chapter 10's validator message names
KOREAN_CHINESE = ("남/여", "男/女")

#: chapter 10's validator message names codings of sex that it does not read, among them in
#: Korean and Chinese: each wrapped in a span of its own (in place, in the printed output)
_CJK_SPANS_JS = r"""
(words) => {
  const pre = Array.from(document.querySelectorAll('article .cell_output pre'))
    .find(p => words.every(w => p.textContent.includes(w)));
  if (!pre) return 0;
  let made = 0;
  words.forEach((word, k) => {
    const walker = document.createTreeWalker(pre, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
      const node = walker.currentNode, at = node.data.indexOf(word);
      if (at < 0) continue;
      const rest = node.splitText(at);
      rest.splitText(word.length);
      const span = document.createElement('span');
      span.id = 'cjk-' + k;
      rest.replaceWith(span);
      span.appendChild(rest);
      made++;
      break;
    }
  });
  return made;
}
"""


def test_korean_and_chinese_of_the_validator_message_have_a_font(toured):
    """Review: chapter 10's validator message ("male/female, 남/여, nam/nữ and 男/女 are not
    read") showed empty boxes for the Korean and Chinese on screen and in the PDF: the machine
    had no font with those glyphs, and `make chromium` installed none. It installs
    fonts-wqy-microhei now (Makefile). Chromium says which fonts drew a node's text (DevTools
    CSS.getPlatformFontsForNode): for "남/여" and "男/女" one with Korean, resp. Chinese
    glyphs (fontconfig: `fc-list :lang=ko`, `:lang=zh`), not the box of a font without them.
    Asked by the tour on its desktop visit of chapter 10 (:data:`_FONT_PROBES`)."""
    families = {}
    for lang in ("ko", "zh"):
        listed = subprocess.run(
            ["fc-list", f":lang={lang}", "family"], capture_output=True, text=True, check=False
        ).stdout
        families[lang] = {f.strip() for line in listed.splitlines() for f in line.split(",")}
    chapter = next(p for p in CHAPTER_PAGES if p.stem.startswith("10"))
    seen = _probed(toured, chapter, 1366)["fonts"]
    assert seen["error"] is None and seen["spans"] == 2, seen
    drawn = {
        lang: set(seen["fonts"][word])
        for lang, word in zip(("ko", "zh"), KOREAN_CHINESE, strict=True)
    }
    # "/" may come from the monospace font; the letters from one that has them
    for lang in ("ko", "zh"):
        assert drawn[lang] & families[lang], (lang, drawn[lang], sorted(families[lang])[:5])


def test_printed_chapters_keep_their_folded_set_up_code(printed_chapters):
    """Printed, a chapter had dropped every cell whose code the web page folds away (hide-input:
    the set-up that imports the package and loads the cohort), no line, no hint, while the
    printed cells after it call the names it defines. On paper such a cell is printed open
    (9 pt); one of more than 40 lines prints its import lines and a note where the rest is
    (book.js, book.css). Every import line of a folded cell is on paper (06's
    "from analysis import book" among them)."""
    pdfs, _, _ = printed_chapters
    missing, counted, notes = {}, 0, 0
    for path in CHAPTER_PAGES:
        cells = _soup(path).select("div.cell.tag_hide-input div.cell_input pre")
        if not cells:
            continue
        long = 0
        text = subprocess.run(
            ["pdftotext", str(pdfs[path.relative_to(HTML).with_suffix("").as_posix()]), "-"],
            check=True, capture_output=True, text=True,
        ).stdout  # fmt: skip
        flat = "".join(text.split())
        for pre in cells:
            lines = pre.get_text().rstrip().split("\n")
            imports = [line for line in lines if re.match(r"(from|import)\s", line)]
            counted += len(imports)
            missing.setdefault(path.stem, []).extend(
                line for line in imports if "".join(line.split()) not in flat
            )
            long += len(lines) > 40
        if not missing[path.stem]:
            del missing[path.stem]
        if path.stem.startswith("06"):
            assert "fromanalysisimportbook" in flat
        # a note for each folded cell of more than 40 lines, none for a shorter one (since the
        # chapters' bookkeeping went into the package no folded cell is that long)
        assert flat.count("fortherestofthiscellsee") == long, (path.stem, long)
        notes += long
    assert counted >= 10, f"only {counted} import lines in folded cells"
    assert notes == 0
    assert not missing, f"import lines of folded cells not printed: {missing}"


_BADGE_LINKS_JS = r"""
() => {
  const badges = Array.from(document.querySelectorAll('article sup.provenance'));
  const links = badges.map(b => b.closest('a.provenance-link'));
  return {badges: badges.length,
          bare: badges.filter((b, i) => !links[i]).map(b => b.textContent.trim()).slice(0, 3),
          hrefs: Array.from(new Set(links.filter(a => a).map(a => a.href))),
          // each badge's size and weight, and whether it is drawn in the colour of the text it
          // follows (in prose, a table, a figure's "In this figure" line)
          sizes: badges.map(b => {
            const style = getComputedStyle(b);
            const around = getComputedStyle(b.closest('td, th, p, li, caption, dd') || b.parentElement);
            return [b.closest('td, th') ? 'table' : 'prose', b.textContent.trim(),
                    parseFloat(style.fontSize), parseInt(style.fontWeight, 10),
                    style.color === around.color];
          })};
}
"""


def test_badges_link_to_their_meaning_and_the_notice_to_the_counts(toured, server):
    """A provenance badge's meaning was only in its title, which a phone never shows: every
    badge is a link to chapter 1's "Where each number comes from" (book_site.py puts the link in
    the page once, book.js onto each badge), and a page with badges prints what they mean at the
    end of its synthetic-data notice. The notice's "for the counts" led to the top of chapter 1,
    ~11,000 px above the counts: it links to "Target against achieved"."""
    data = next(p for p in CHAPTER_PAGES if p.stem.startswith("01"))
    assert {"data-provenance-classes", "data-target-achieved"} <= _ids(data)
    legend = f"{server}/{data.relative_to(HTML).as_posix()}#data-provenance-classes"
    unlinked, wrong, with_badges = {}, set(), 0
    for path in CHAPTER_PAGES:
        seen = _probed(toured, path, 390)["badges"]
        with_badges += bool(seen["badges"])
        if seen["bare"]:
            unlinked[path.stem] = seen["bare"]
        wrong |= set(seen["hrefs"]) - {legend}
        soup = _soup(path.resolve())
        notes = soup.select(".synthetic-notice p.provenance-legend")
        assert len(notes) == int(bool(seen["badges"])), (path.stem, len(notes))
        here = "" if path == data else data.name
        counts = [a["href"] for a in soup.select_one(".synthetic-notice").select("a.reference")]
        assert f"{here}#data-target-achieved" in counts, (path.stem, counts)
    assert with_badges >= 5, with_badges
    assert not unlinked, f"badges that are not links: {unlinked}"
    assert not wrong, f"badges linking elsewhere: {sorted(wrong)}"


def test_phone_badges_are_12px_and_lighter_than_their_number(toured):
    """At 390 px every provenance badge ("published ✗", "determined", "assumed") is at least
    12 px, in prose and in table cells (book.css): it carries the verdict, and it was the
    smallest text of the book, 10.9 px beside the prose and 10 px in the tables and in a
    figure's "In this figure" line. It stays lighter than the number it follows by its colour
    and a regular weight, not by its size."""
    small, heavy, count = {}, {}, 0
    for path in CHAPTER_PAGES:
        for where, text, px, weight, same_colour in _probed(toured, path, 390)["badges"]["sizes"]:
            count += 1
            if px < 11.95:
                small.setdefault(f"{path.stem} {where}", set()).add(f"{text[:20]} {px:.1f}px")
            if weight > 500 or same_colour:
                heavy.setdefault(path.stem, set()).add(f"{text[:20]} {weight}")
    assert count >= 100, count
    assert not small, f"badges under 12 px at 390 px: {small}"
    assert not heavy, f"badges as heavy as the text they follow: {heavy}"


#: the meanings of the badges at the end of the synthetic-data notice, as shown ('' if not)
_LEGEND_JS = """() => { const p = document.querySelector('.synthetic-notice .provenance-legend');
  return p && p.getClientRects().length ? p.innerText : ''; }"""


def test_printed_badge_meanings_show_on_paper_only(toured, printed_chapters, outside_requests):
    """The meanings of the badges at the end of the synthetic-data notice: printed, not on
    screen, each on its own line, with the ✓/✗ after "published" (book_site.py). Measured on
    chapter 6 as the tour loaded it at 1366 px (the test's own page had been 1000 px wide) and
    as tools/pdf.py printed it (``printed_chapters``, at the printed width, 688 px; 1000 px in
    the test's own page)."""
    chapter = next(p for p in CHAPTER_PAGES if p.stem.startswith("06"))
    shown = [_probed(toured, chapter, 1366)["legend"], _printed(printed_chapters, "06", "legend")]
    assert shown[0] == "", shown
    assert all(k in shown[1] for k in ("published", "determined", "assumed")), shown
    # one line for each meaning and one for the marks of "published ✓" and "published ✗"
    lines = [line for line in shown[1].splitlines() if line.strip()]
    assert len(lines) == 5 and lines[2].startswith("✓ or ✗ after “published”"), lines
    assert not outside_requests


_TABLE_TEXT_JS = r"""
async () => {
  document.querySelectorAll('article details').forEach(d => { d.open = true; });
  await new Promise(r => setTimeout(r, 300));  // book.js measures a dropdown's tables when it opens
  return Array.from(document.querySelectorAll('article table')).map(t => {
    const cap = t.querySelector('caption .caption-number');
    let px = 99;
    t.querySelectorAll('td, th').forEach(c => {
      [c, ...c.querySelectorAll('code, span.pre, sup.provenance')].forEach(e => {
        if (e.textContent.trim()) px = Math.min(px, parseFloat(getComputedStyle(e).fontSize));
      });
    });
    const box = t.parentElement;
    const scrolls = box.scrollWidth > box.clientWidth + 1;
    // scrolled to its end: does the first column stay at the container's left edge while the
    // second moves, is the caption's cue shown, and does the page stay within the screen?
    let sticky = null, cue = '', fixed = 0;
    if (scrolls && t.tBodies[0] && t.tBodies[0].rows[0]) {
      const row = t.tBodies[0].rows[0];
      const head = t.tHead ? Array.from(t.tHead.rows[t.tHead.rows.length - 1].cells) : [];
      // the columns kept in view (the row labels; once, in Table 1.5, its model too), and the first
      // that moves
      fixed = Array.from(row.cells).filter(c => getComputedStyle(c).position === 'sticky').length;
      const kept = [...Array.from(row.cells).slice(0, Math.max(fixed, 1)), ...head.slice(0, fixed)];
      const moving = row.cells[Math.max(fixed, 1)];
      const at = () => [...kept.map(c => c.getBoundingClientRect().left), moving.getBoundingClientRect().left];
      const before = at();
      box.scrollLeft = box.scrollWidth;
      const after = at();
      box.scrollLeft = 0;
      // and opaque, header cells too, or the numbers show through (in a dropdown it once was
      // transparent; Table 1.5's model header went blank under them)
      const opaque = kept.every(c => { const bg = getComputedStyle(c).backgroundColor;
        return !(bg === 'transparent' || /,\s*0\)$/.test(bg)); });
      const m = before.length - 1;
      sticky = before.slice(0, m).every((x, i) => Math.abs(after[i] - x) <= 1) &&
        Math.abs(before[0] - box.getBoundingClientRect().left) <= 1 &&
        after[m] < before[m] - 5 && opaque;
      cue = t.caption ? getComputedStyle(t.caption, '::after').content : '';
    }
    return [cap ? cap.textContent.trim() : '', px, scrolls, sticky, cue,
            document.documentElement.scrollWidth - window.innerWidth, fixed];
  });
}
"""


def test_phone_table_text_is_12px_and_wide_tables_scroll_in_their_box(toured):
    """At 390 px every table's text, code included, is at least 12 px (tables.css). book.js had
    shrunk the tables that do not fit a phone's column to 11.5, 11 or 10.9 px (Tables 7.4 at
    11.5, 7.5 at 10.9, 1.3 and 1.4 at 11 px; chapter 10's column names once 9.5 px). Such a table
    (:data:`PHONE_SCROLLING_TABLES`) now scrolls sideways inside its own container, never the
    page: scrolled to its end, its first column (the row labels) stays at the container's left
    edge, opaque, while the numbers move under it, and its caption says that it scrolls (book.js,
    tables.css)."""
    small, scrolling, names, loose, uncued, overflow = {}, set(), set(), [], [], {}
    pairs = set()
    for path in CHAPTER_PAGES:
        for name, px, scrolls, sticky, cue, wider, fixed in _probed(toured, path, 390)["text"]:
            names.add(name)
            if fixed > 1:
                pairs.add(name)
            if wider > 2:
                overflow[path.stem] = wider
            if scrolls:
                scrolling.add(name or path.stem)
                if not sticky:
                    loose.append(name or path.stem)
                if "Scroll" not in cue:
                    uncued.append(name or path.stem)
            if px < 11.95:
                small[name or path.stem] = round(px, 1)
    assert len(names) >= 45, f"only {len(names)} numbered tables found"
    assert not small, f"table text under 12 px at 390 px: {small}"
    assert not overflow, f"pages wider than the phone once a table is scrolled: {overflow}"
    assert scrolling == PHONE_SCROLLING_TABLES, sorted(scrolling ^ PHONE_SCROLLING_TABLES)
    assert not loose, f"scrolling tables whose row labels scroll away: {loose}"
    assert not uncued, f"scrolling tables that do not say so: {uncued}"
    # Table 1.5's model ("univariate", "multivariable") stayed beside the variable when the table
    # scrolled ("sticky-second"): it had gone under the first column, only its ends showing
    # ("te", "iable"), its header blank. At 390 px it now goes under the variable and the table
    # fits (test_label_columns_go_under_the_row_labels_when_a_table_would_scroll): no table
    # scrolls with two columns kept in view
    assert not pairs, sorted(pairs)


#: what a line break split that should not have, each by its text: a short parenthetical of a
#: table's header ("HR (95% CI)"), a number hyphened to a word ("5-fluorouracil"), a value and
#: its spread ("1.6 ± 2.3") or a fraction and what it comes to ("46/82 = 56.1%"), in a table
#: a ± or = and the number after it (a value longer than "2.65 ± 1.3" may break before them:
#: "13,242.6 / ± 48,407.3" in Table 4.2); code and maths aside, each within one text node, as
#: book.js and the tables' no-break characters keep them
_UNBROKEN_JS = r"""
() => {
  const lines = (node, start, end) => {
    const range = document.createRange();
    range.setStart(node, start);
    range.setEnd(node, end);
    return new Set([...range.getClientRects()].filter(r => r.width > 0)
      .map(r => Math.round(r.top))).size;
  };
  const split = (within, regex) => {
    const out = [];
    const article = document.querySelector('article.bd-article');
    if (!article) return out;
    const walker = document.createTreeWalker(article, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
      const node = walker.currentNode, parent = node.parentElement;
      if (!parent || !parent.closest(within) || parent.closest('pre, code, .math, mjx-container')) continue;
      for (const m of node.nodeValue.matchAll(regex)) {
        if (lines(node, m.index, m.index + m[0].length) > 1) out.push(m[0]);
      }
    }
    return out;
  };
  // a match in an element's whole text, which may run over several text nodes (span.value)
  const whole = (within, regex) => {
    const out = [];
    const article = document.querySelector('article.bd-article');
    if (!article) return out;
    article.querySelectorAll(within).forEach(el => {
      if (!el.getClientRects().length || el.closest('pre, code, .math, mjx-container')) return;
      const texts = [];
      const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
      let at = 0;
      while (walker.nextNode()) {
        texts.push([walker.currentNode, at]);
        at += walker.currentNode.nodeValue.length;
      }
      const place = i => texts.findLast(([, start]) => start <= i);
      for (const m of el.textContent.matchAll(regex)) {
        const [a, i] = place(m.index), [b, j] = place(m.index + m[0].length - 1);
        const range = document.createRange();
        range.setStart(a, m.index - i);
        range.setEnd(b, m.index + m[0].length - j);
        if (new Set([...range.getClientRects()].filter(r => r.width > 0)
          .map(r => Math.round(r.top))).size > 1) out.push(m[0]);
      }
    });
    return out;
  };
  return {
    headers: split('thead th', /\([^()]{1,16}\)/g),
    // "a ± b" whatever its length ("13,242.6 ± 48,407.3", "mean ± SD") and a range of numbers
    // ("(1.7–348,100)" in Table 4.1's text cells) in a table
    spreads: whole('td, th, caption', /[\w.,·%]*[\w%]\s?±\s?[\w.,·%]*[\w%]/g),
    ranges: whole('td, th, caption', /\d[\d.,]*%?–\d[\d.,]*%?/g),
    hyphens: split('*', /(?<![\w.,-])\d+[-\u2011][A-Za-z]+/g),
    values: split('*', /\d[\d.,]*%?\s?±\s?\d[\d.,]*%?|\d[\d,]*\/\d[\d,]*\s?=\s?[−-]?\d[\d.,]*%?/g),
    // a long value of a table may break before its ± or =, never after it
    operators: split('td, th', /(?<=\d%?\s?)±\s?\d[\d.,]*%?|(?<=\d\/\d[\d,]*\s?)=\s?[−-]?\d[\d.,]*%?/g),
  };
}
"""


#: every printed output of a code cell shown: its first words, its printed lines (not blank) and
#: the lines drawn, its white-space, how far its box ends past the text column (px), whether
#: book.js classed it prose (nothing to align: it wraps on a phone) and how far its text runs
#: past its box (px, what the reader must scroll sideways to see)
_PRINTED_LINES_JS = r"""
() => {
  const column = document.querySelector('article.bd-article').getBoundingClientRect().right;
  return Array.from(document.querySelectorAll('article .cell_output pre'))
    .filter(pre => pre.getClientRects().length)
    .map(pre => {
      const range = document.createRange();
      range.selectNodeContents(pre);
      const drawn = new Set([...range.getClientRects()].filter(r => r.width > 0)
        .map(r => Math.round(r.top))).size;
      const printed = pre.textContent.split('\n').filter(line => line.trim()).length;
      // a message with a hanging indent (book.js's span.hang): the lines it wraps into that do
      // not start its --hang right of its first line
      const astray = Array.from(pre.querySelectorAll('span.hang')).map(hang => {
        const lines = new Map();
        const r = document.createRange();
        r.selectNodeContents(hang);
        [...r.getClientRects()].filter(b => b.width > 0).forEach(b => {
          const top = Math.round(b.top);
          lines.set(top, Math.min(lines.has(top) ? lines.get(top) : Infinity, b.left));
        });
        const lefts = [...lines.values()];
        const step = parseFloat(getComputedStyle(hang).paddingLeft);
        return lefts.slice(1).filter(x => Math.abs(x - lefts[0] - step) > 1).length;
      }).reduce((a, b) => a + b, 0);
      return [pre.textContent.trim().slice(0, 40), printed, drawn,
              getComputedStyle(pre).whiteSpace, Math.round(pre.getBoundingClientRect().right - column),
              pre.closest('div.output').classList.contains('prose'),
              pre.scrollWidth - pre.clientWidth,
              pre.closest('div.output').classList.contains('hanging'), astray];
    });
}
"""

#: Table 4.2: shown as cards, how far it is wider than its box, each card cell's badges shown
#: and whether it ends inside the box
_SKEWED_TABLE_JS = r"""
() => {
  const t = document.getElementById('tbl-base-skewed');
  const box = t.closest('.pst-scrollable-table-container');
  const right = box.getBoundingClientRect().right;
  const cells = Array.from(t.querySelectorAll('tbody td:not(:first-child)')).map(td => [
    td.textContent.replace(/\s+/g, ' ').trim(),
    Array.from(td.querySelectorAll('sup.provenance')).filter(b => b.getClientRects().length)
      .map(b => b.textContent.trim()),
    td.getBoundingClientRect().right <= right + 1]);
  return {cards: getComputedStyle(t.tBodies[0].rows[0]).display === 'flex',
          over: box.scrollWidth - box.clientWidth, cells};
}
"""


#: every table with numbered ✗ marks: its marks (number, link target, id) as plain text or links,
#: and its notes (number, id, where the "↩" leads), by table id
_TABLE_NOTES_JS = r"""
() => {
  const SUP = '⁰¹²³⁴⁵⁶⁷⁸⁹';
  const num = s => Array.from(s).map(c => SUP.indexOf(c)).join('');
  const out = {};
  document.querySelectorAll('article table[id]').forEach(t => {
    const text = t.tBodies[0] ? t.tBodies[0].textContent : '';
    const all = Array.from(text.matchAll(/✗([⁰¹²³⁴⁵⁶⁷⁸⁹]+)/g)).map(m => num(m[1]));
    if (!all.length) return;
    const links = Array.from(t.querySelectorAll('a.note-mark')).map(a => ({
      n: num(a.textContent.replace('✗', '')), href: a.getAttribute('href'), id: a.id}));
    const notes = Array.from(document.querySelectorAll(`[id^="${t.id}-note-"]`)).map(n => ({
      id: n.id, n: num((n.textContent.trim().match(/^[⁰¹²³⁴⁵⁶⁷⁸⁹]+/) || [''])[0]),
      back: (n.querySelector('a.note-back') || {}).hash || null,
      after: !!(t.compareDocumentPosition(n) & Node.DOCUMENT_POSITION_FOLLOWING)}));
    out[t.id] = {all, links, notes};
  });
  return out;
}
"""

#: where an element is on the screen: [top, bottom, left, right, is it :target]
_ON_SCREEN_JS = """(sel) => { const e = document.querySelector(sel); const r = e.getBoundingClientRect();
  return [r.top, r.bottom, r.left, r.right, e.matches(':target')]; }"""


def test_table_marks_link_to_their_notes_and_back(contexts, server, outside_requests, toured):
    """On a phone a ✗ note sat up to 40 rows (a dozen screens) below the row it explains (Tables
    7.4 and 7.5: 46 and 54 rows, their notes after the last). Every numbered ✗ in a table now
    links to its note under the table, and the note's "↩" back to the mark (book.js): tapped in
    Table 7.4, the mark brings its note onto the screen, highlighted (:target), and "↩" brings
    the row back, the mark in view inside its scrolled table. On paper the "↩" is not printed.
    Chapter 1's marks and notes are read from the tour's phone visit (as loaded)."""
    chapters = {p.stem[:2]: p for p in CHAPTER_PAGES}
    pg = _open(contexts, 390, outside_requests)
    found, wrong = {}, []
    try:
        for key in ("01", "07"):
            if key == "07":  # clicked below
                pg.goto(f"{server}/{chapters[key].relative_to(HTML).as_posix()}", wait_until="load")
            tables = (
                _probed(toured, chapters[key], 390)["notes"]
                if key == "01"
                else pg.evaluate(_TABLE_NOTES_JS)
            )
            for tid, seen in tables.items():
                found[tid] = seen
                notes = {n["n"]: n for n in seen["notes"]}
                if sorted(m["n"] for m in seen["links"]) != sorted(seen["all"]):
                    wrong.append(f"{tid}: marks not linked")
                for mark in seen["links"]:
                    note = notes.get(mark["n"])
                    if note is None or mark["href"] != f"#{note['id']}" or not note["after"]:
                        wrong.append(f"{tid}: ✗{mark['n']} -> {mark['href']}")
                ids = {m["id"] for m in seen["links"]}
                wrong += [f"{tid}: note {n['n']} back to {n['back']}" for n in seen["notes"]
                          if n["back"] is None or n["back"][1:] not in ids]  # fmt: skip
        # in Table 7.4 a mark far above its note: to the note and back
        table = "tbl-cox-table2-implied"
        assert pg.locator(f"#{table} a.note-mark").count() > 2, "Table 7.4's marks are not links"
        mark = pg.locator(f"#{table} a.note-mark").nth(2)
        mark.scroll_into_view_if_needed()
        mark_id = mark.get_attribute("id")
        note_id = mark.get_attribute("href")[1:]
        far = pg.evaluate(_ON_SCREEN_JS, f"#{note_id}")[0] - pg.evaluate(_ON_SCREEN_JS, f"#{mark_id}")[0]  # fmt: skip
        mark.click()
        pg.wait_for_timeout(300)
        note = pg.evaluate(_ON_SCREEN_JS, f"#{note_id}")
        pg.locator(f"#{note_id} > a.note-back").click()
        pg.wait_for_timeout(300)
        back = pg.evaluate(_ON_SCREEN_JS, f"#{mark_id}")
        pg.emulate_media(media="print")
        printed = pg.evaluate(
            "Array.from(document.querySelectorAll('a.note-back'))"
            ".filter(a => getComputedStyle(a).display !== 'none').length"
        )
        assert not pg.problems, pg.problems
    finally:
        pg.close()
    assert {"tbl-data-cox", "tbl-cox-codings", table, "tbl-cox-table2-stated"} <= set(found)
    assert sum(len(f["links"]) for f in found.values()) >= 60, found.keys()
    assert not wrong, wrong
    assert far > 2 * 844, f"the note was {far:.0f} px below its mark: the test checks little"
    top, bottom, _, _, target = note
    assert target and 0 <= top and bottom <= 844, f"the note after the tap: {note}"
    top, bottom, left, right, target = back
    assert target and 0 <= top and bottom <= 844 and 0 <= left and right <= 390, back
    assert printed == 0, f"{printed} ↩ links on paper"
    assert not outside_requests


#: the probe of the tour (:func:`_finish`), its scripts filled in
_PROBE_SCRIPTS = {
    "BADGE_LINKS": _BADGE_LINKS_JS,
    "SCROLLING_CODE": _SCROLLING_CODE_JS,
    "PHONE_TABLES": _PHONE_TABLES_JS,
    "SCROLLING_CAPTIONS": _SCROLLING_CAPTIONS_JS,
    "PHONE_READING": _PHONE_READING_JS,
    "TABLE_TEXT": _TABLE_TEXT_JS,
    "CLASS_COLUMNS": _CLASS_COLUMN_JS,
    "LABEL_COLUMNS": _LABEL_COLUMN_JS,
    "BIAS_TABLES": _BIAS_TABLES_JS,
    "LEGEND_SHOWN": _LEGEND_JS,
    "SPLIT_NAMES": _SPLIT_NAMES_JS,
    "API_LAYOUT": _API_LAYOUT_JS,
    "ARROW_LINES": _ARROW_LINES_JS,
    "TABLE_NOTES": _TABLE_NOTES_JS,
    "UNBROKEN": _UNBROKEN_JS,
    "PRINTED_LINES": _PRINTED_LINES_JS,
    "SKEWED_TABLE": _SKEWED_TABLE_JS,
}
_PROBE_JS = _PROBE_TEMPLATE
for _name, _script in _PROBE_SCRIPTS.items():  # in this order, as each name is filled in
    _PROBE_JS = _PROBE_JS.replace(_name, f"({_script.strip()})")


def _chapter_probes() -> dict:
    """:data:`_CHAPTER_PROBES`."""
    out: dict = {}
    for width in WIDTHS:
        out.setdefault(("01", width), {})["labelColumns"] = list(LABEL_COLUMN_TABLES)
        for key, ids in CLASS_COLUMN_TABLES.items():
            out.setdefault((key, width), {})["classColumns"] = list(ids)
        out.setdefault(("09", width), {})["bias"] = None
    for chapter in SPLIT_NAME_CHAPTERS:
        out.setdefault((chapter[:2], 390), {})["splitNames"] = None
    out[("07", 390)]["arrows"] = list(TABLE2_IDS)
    out[("07", 1366)]["display"] = None
    out[("06", 1366)]["legend"] = None
    out.setdefault(("01", 390), {})["notes"] = None
    for width in WIDTHS:
        out.setdefault(("04", width), {})["skewed"] = None
    return out


#: the tour's probes of single chapters: {(chapter number, width): {probe: its argument}}
#: (:func:`_probes`), each once read by a test that loaded the chapter again in a fresh browser
#: context (those 14 loads: ~22 CPU-s of the browser tests' ~150, 2026-12-02)
_CHAPTER_PROBES = _chapter_probes()

#: the words whose fonts the tour asks Chromium for (:func:`_drawn_fonts`), after the probes:
#: {(chapter number, width): words}
_FONT_PROBES = {("10", 1366): KOREAN_CHINESE}

#: on paper, the font sizes (px) of the paragraphs of a table's numbered notes (book.js wraps
#: each note in span.table-note), of the body's paragraphs and of the tables' cells
_PRINTED_NOTES_JS = r"""
() => {
  const size = (e) => parseFloat(getComputedStyle(e).fontSize);
  const notes = Array.from(document.querySelectorAll('article p'))
    .filter(p => p.querySelector(':scope > span.table-note'));
  const body = Array.from(document.querySelectorAll('article section > p'))
    .filter(p => !notes.includes(p) && p.textContent.length > 200);
  return {notes: notes.map(size), body: body.map(size),
          cells: Array.from(document.querySelectorAll('article table td, article tbody th')).map(size)};
}
"""

#: what the checks of printed pages measure on the chapters tools/pdf.py prints
#: (``printed_chapters``): ``{name: (chapter numbers, measure(page, chapter number))}``; the six
#: tests that read them each loaded their chapters again in print media (~14 CPU-s in all)
_PRINTED_PROBES = {
    "rows": (("07",), lambda pg, key: pg.evaluate(_PAPER_ROWS_JS)),
    "figures": (("06", "07"), lambda pg, key: pg.evaluate(_FIGURES_ON_PAPER_JS)),
    # each figure as tools/pdf.py measures it before fitting one (its caption and height in pt)
    "fitFigures": (("07",), lambda pg, key: pg.evaluate(_pdf_tool()._FIGURES_JS)),
    # the scale tools/pdf.py drew each figure at (data-print-fit), by caption number
    "fitMarks": (
        ("01",),
        lambda pg, key: pg.evaluate(
            "Object.fromEntries([...document.querySelectorAll('article figure')]"
            ".filter(f => f.querySelector('.caption-number'))"
            ".map(f => [f.querySelector('.caption-number').textContent.trim().replace(/\\s+$/, ''),"
            " f.getAttribute('data-print-fit')]))"
        ),
    ),
    "title": (("04",), lambda pg, key: pg.locator("h1").filter(visible=True).all_inner_texts()),
    "notes": (("07",), lambda pg, key: pg.evaluate(_PRINTED_NOTES_JS)),
    "code": (("06",), lambda pg, key: pg.evaluate(_PRINTED_CODE_JS)),
    "legend": (("06",), lambda pg, key: pg.evaluate(_LEGEND_JS)),
    "classColumns": (
        tuple(CLASS_COLUMN_TABLES),
        lambda pg, key: pg.evaluate(_CLASS_COLUMN_JS, list(CLASS_COLUMN_TABLES[key])),
    ),
}


#: Each numeric range of chapter 6's prose that book.js kept whole: [its text, the lines it is on]
_RANGES_JS = """() => Array.from(document.querySelectorAll('article span.range'))
  .map(s => [s.textContent, new Set(Array.from(s.getClientRects()).map(r => Math.round(r.top))).size])"""


def test_a_range_in_the_prose_never_breaks_at_its_dash_on_a_phone(
    contexts, server, outside_requests
):
    """On a phone (390 px) an interval in the prose broke at its en dash: a line ended "0.071–"
    and the next began "0.865" (session 116's review). book.js puts each numeric range of the
    prose in span.range, which does not wrap; its text, and what a reader copies, are unchanged.
    So does it in a table's text cells (Table 4.1's "333.4 (1.7– / 348,100)" had broken), every
    one measured here too; a numeric cell's interval keeps its own layout (book_site.py's
    span.ci) and gets none."""
    chapter = next(p for p in CHAPTER_PAGES if p.stem.startswith("06"))
    pg = _open(contexts, 390, outside_requests)
    try:
        pg.goto(f"{server}/{chapter.relative_to(HTML).as_posix()}", wait_until="load")
        ranges = pg.evaluate(_RANGES_JS)
        text = pg.evaluate("() => document.querySelector('article').innerText")
        # chapter 6 has no numeric interval cell: chapter 7's Table 2 has them
        cox = next(p for p in CHAPTER_PAGES if p.stem.startswith("07"))
        pg.goto(f"{server}/{cox.relative_to(HTML).as_posix()}", wait_until="load")
        in_intervals = pg.evaluate(
            """() => [document.querySelectorAll('article span.ci').length,
                      document.querySelectorAll('article span.ci span.range').length]"""
        )
        assert not pg.problems, pg.problems
    finally:
        pg.close()
    assert len(ranges) >= 10, ranges
    assert ["8.7–11.0", 1] in ranges, ranges  # SPSS's interval of the median OS
    assert all(lines == 1 for _, lines in ranges), [r for r in ranges if r[1] != 1]
    assert in_intervals[0] > 0 and in_intervals[1] == 0, in_intervals
    assert "SPSS’s interval is 8.7–11.0 months" in text  # the text as it was
    assert not outside_requests


#: Each named level book.js kept whole in Table 4.1 ("class A", "stage B"): [its text, the lines
#: it is on]
_LEVELS_JS = """() => Array.from(document.querySelectorAll('table#tbl-base-table1 tbody span.value'))
  .filter(s => /^(class|stage) [A-C]$/.test(s.textContent))
  .map(s => [s.textContent, new Set(Array.from(s.getClientRects()).map(r => Math.round(r.top))).size])"""


def test_a_named_level_keeps_its_letter_on_a_phone(contexts, server, outside_requests):
    """At 390 px Table 4.1's first column put "Child-Pugh class" over a lone "A" (and "B", "C"):
    book.js keeps a level and its letter or digit together ("class A", "stage C", span.value),
    in tables and in the prose; the text, and what a reader copies, are unchanged."""
    chapter = next(p for p in CHAPTER_PAGES if p.stem.startswith("04"))
    pg = _open(contexts, 390, outside_requests)
    try:
        pg.goto(f"{server}/{chapter.relative_to(HTML).as_posix()}", wait_until="load")
        levels = pg.evaluate(_LEVELS_JS)
        assert not pg.problems, pg.problems
    finally:
        pg.close()
    assert sorted(text for text, _ in levels) == [
        "class A", "class B", "class C", "stage A", "stage B", "stage C",
    ], levels  # fmt: skip
    assert all(lines == 1 for _, lines in levels), levels
    assert not outside_requests


#: the header's tooltips (the theme's Bootstrap tooltips, appended to the body when shown) that
#: are drawn: [their text, width, height]
_TOOLTIPS_JS = """() => Array.from(document.querySelectorAll('.tooltip[role="tooltip"]'))
  .map(t => [t.textContent.trim(), t.getBoundingClientRect().width, t.getBoundingClientRect().height])
  .filter(([, w, h]) => w > 0 && h > 0)"""


def test_header_tooltips_do_not_stay_over_the_header_on_a_touch_screen(
    browser, contexts, server, outside_requests
):
    """Review on a touch phone (390 px): a tap on a header button showed its tooltip ("Color
    mode"), which stayed until the reader tapped elsewhere, and closing the ☰ menu gave the focus
    back to its button, whose tooltip "Toggle primary sidebar" then covered the download and
    full-screen buttons beside it. Where the device cannot hover no tooltip is drawn (book.css);
    with a mouse (1366 px) a button's tooltip still shows when pointed at."""
    chapter = next(p for p in CHAPTER_PAGES if p.stem.startswith("05")).relative_to(HTML).as_posix()
    context = browser.new_context(
        viewport={"width": 390, "height": 844},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
    )
    try:
        pg = context.new_page()
        _fence(pg, outside_requests)
        problems = _watch(pg)
        pg.goto(f"{server}/{chapter}", wait_until="load")
        assert pg.evaluate("matchMedia('(hover: none)').matches")
        pg.locator(".primary-toggle").filter(visible=True).tap()
        pg.wait_for_function("() => document.getElementById('pst-primary-sidebar-modal').open")
        pg.keyboard.press("Escape")
        # the focus goes back to the menu button, which makes its tooltip (drawn or not)
        pg.wait_for_selector('.tooltip[role="tooltip"]', state="attached", timeout=5000)
        pg.wait_for_timeout(300)
        after_menu = pg.evaluate(_TOOLTIPS_JS)
        pg.locator(".theme-switch-button").filter(visible=True).tap()
        pg.wait_for_timeout(400)
        after_theme = pg.evaluate(_TOOLTIPS_JS)
        assert not problems, problems
    finally:
        context.close()
    assert after_menu == [], f"after the menu closed: {after_menu}"
    assert after_theme == [], f"after a tap on the colour-mode button: {after_theme}"
    pg = _open(contexts, 1366, outside_requests)
    try:
        pg.goto(f"{server}/{chapter}", wait_until="load")
        pg.locator(".theme-switch-button").filter(visible=True).hover()
        pg.wait_for_timeout(500)
        pointed = pg.evaluate(_TOOLTIPS_JS)
        assert not pg.problems, pg.problems
    finally:
        pg.close()
    assert [text for text, _, _ in pointed] == ["Color mode"], pointed
    assert not outside_requests


#: On a 360 px phone (a 328 px column): each of the tables named, [its id, the box's scroll and
#: client width, the box's left edge, the least text size in it]; the page's width; and how the
#: row label "(median ± 1.96·SE)" of Tables 6.1 and 6.2 is drawn: [the lines of its "± 1.96·SE"]
_SMALL_PHONE_TABLES_JS = """(ids) => {
  document.querySelectorAll('article details').forEach(d => { d.open = true; });
  return new Promise(done => setTimeout(() => {
    const tables = ids.filter(id => document.getElementById(id)).map(id => {
      const t = document.getElementById(id), box = t.parentElement;
      const sizes = Array.from(t.querySelectorAll('td, th')).filter(c => c.getClientRects().length)
        .map(c => parseFloat(getComputedStyle(c).fontSize));
      return [id, box.scrollWidth, box.clientWidth, Math.round(box.getBoundingClientRect().left),
              Math.min(...sizes)];
    });
    const tails = Array.from(document.querySelectorAll('article tbody span.value.formula > span'))
      .map(s => new Set(Array.from(s.getClientRects()).map(r => Math.round(r.top))).size);
    done({tables, page: [window.innerWidth, document.documentElement.scrollWidth], tails});
  }, 300));
}"""

#: the tables that scrolled sideways at 360 px though they fit a 390 px phone (Tables 7.6 and 7.7,
#: in dropdowns, 343 and 332 px fitted in a 317 px box, since 2026-12 each row's label above its
#: numbers: tables.css "label-rows")
SMALL_PHONE_TABLES = {
    "06": ["tbl-surv-os", "tbl-surv-pfs"],
    "07": ["tbl-cox-table2-implied", "tbl-cox-table2-stated", "tbl-cox-ties"],
    "09": ["tbl-bias-landmarks"],
}


def test_a_small_phone_fits_the_survival_table_2_and_landmark_tables(
    browser, server, outside_requests
):
    """Review at 360 px (many Android phones; a 328 px column): Tables 6.1 and 6.2 (366 px at
    12 px), 7.5 (380) and 9.1 (364), which fit a 390 px phone, scrolled sideways. Fitted (book.js
    "fit", now up to 60 px over) a table may take half of the article's side margin on a phone
    under 375 px (tables.css), and the row label "(median ± 1.96·SE)" may break before its "±"
    (span.value.formula), never after it: the four fit, their text still 12 px, and the page
    does not scroll sideways. At 390 px nothing changes (the tour's tests)."""
    context = browser.new_context(
        viewport={"width": 360, "height": 800}, device_scale_factor=2, is_mobile=True
    )
    seen = {}
    try:
        pg = context.new_page()
        _fence(pg, outside_requests)
        problems = _watch(pg)
        for path in CHAPTER_PAGES:
            key = path.stem[:2]
            if key in SMALL_PHONE_TABLES:
                pg.goto(f"{server}/{path.relative_to(HTML).as_posix()}", wait_until="load")
                seen[key] = pg.evaluate(_SMALL_PHONE_TABLES_JS, SMALL_PHONE_TABLES[key])
        assert not problems, problems
    finally:
        context.close()
    assert sorted(seen) == sorted(SMALL_PHONE_TABLES), sorted(seen)
    for key, got in seen.items():
        assert [t[0] for t in got["tables"]] == SMALL_PHONE_TABLES[key], got["tables"]
        for name, scroll, client, left, least in got["tables"]:
            assert scroll <= client + 1, f"{name} scrolls sideways at 360 px ({scroll} in {client})"
            assert left >= 0, f"{name}'s box starts {left} px off the screen"
            assert least >= 12 - 0.05, f"{name}: text at {least} px"
        assert got["page"][1] <= got["page"][0], f"chapter {key}: the page scrolls sideways"
    assert seen["06"]["tails"] == [1, 1], f"'± 1.96·SE' broken: {seen['06']['tails']}"
    assert not outside_requests


def test_a_fitted_table_keeps_to_the_text_margins_unless_it_needs_them(
    browser, server, outside_requests
):
    """Review at 360 px: Tables 9.1, 9.3 and 9.5 (fitted, book.js "fit") reached 8 px from the
    screen's edges, outside the text's 16 px margins: every fitted table took half of them. Now
    only one that does not fit the column otherwise does (9.1: 341 px fitted, in a 328 px column);
    9.3 and 9.5 keep to the margins ("fit-in-column"), and none scrolls sideways."""
    chapter = next(p for p in CHAPTER_PAGES if p.stem.startswith("09")).relative_to(HTML).as_posix()
    context = browser.new_context(
        viewport={"width": 360, "height": 800}, device_scale_factor=2, is_mobile=True
    )
    try:
        pg = _fence_and_watch(context.new_page(), outside_requests)
        pg.goto(f"{server}/{chapter}", wait_until="load")
        got = pg.evaluate(
            """() => Array.from(document.querySelectorAll('article table.fit'), t => {
              const box = t.parentElement, r = box.getBoundingClientRect();
              const p = t.closest('section').querySelector('p').getBoundingClientRect();
              return {table: t.caption.textContent.trim().slice(0, 9), classes: t.className,
                      left: r.left, right: r.right, text: [p.left, p.right],
                      scrolls: box.scrollWidth > box.clientWidth + 1};
            })"""
        )
        assert not pg.problems, pg.problems
    finally:
        context.close()
    by = {t["table"]: t for t in got}
    assert {"Table 9.1", "Table 9.3", "Table 9.5"} <= set(by), sorted(by)
    assert not any(t["scrolls"] for t in got), got
    for name in ("Table 9.3", "Table 9.5"):
        t = by[name]
        assert t["left"] >= 16 - 0.5 and t["right"] <= 360 - 16 + 0.5, t
        assert "fit-in-column" in t["classes"].split(), t
    assert "fit-in-column" not in by["Table 9.1"]["classes"].split(), by["Table 9.1"]
    assert not outside_requests


#: book.js's rule for a printed output (``bookTabularOutput``): text -> tabular (keeps its lines
#: on a phone) or not (wraps there)
TABULAR_CASES = {
    "inconsistent — SE 0.446, z 2.38, P ≈ 0.017\n": False,
    "naive: 0.54 (0.31–0.93)   time-varying: 1.25 (0.69–2.26)\n": False,  # one line
    "score 6: 2.5–2.6 deaths\nscore 7: 2.5–2.5 deaths\n": False,
    "68 deaths, 11 parameters\n\nprior TACE, HR per session: 1.099\n": False,
    "spss     median 9.9\nlog      median 9.9\n": True,  # columns aligned by spaces
    "verdict\nhit           96\ninfeasible     3\n": True,  # a data frame's value counts
    "   a  b\n0  1  2\n": True,  # a data frame
    "a b\n0 1\ndtype: int64\n": True,  # a Series's footer
    "x y\n[5 rows x 3 columns]\n": True,
    # hanging indents (analysis.formatting.wrapped), which wrap: a continuation, an item under
    # its heading, an item's continuation, back out to an indent in use
    "2 problems\n  - column sex: must be one of M, F\n": False,
    "a BMI outside\n  kg/m²: is the weight\nnext\n  - item\n    more\n  - item\n": False,
    # an indent that does not step in by two spaces from the margin: aligned, kept
    "  5 events\n100 events\n": True,  # right-aligned numbers
    " 12\n100\n": True,
    "a\n    b\n": True,
    "a\n  b\n c\n": True,
    "┌──┐\n": True,  # box-drawing
    "a\tb\n": True,
}


def test_a_small_phone_wraps_printed_sentences(browser, server, outside_requests):
    """At 360 px (a 328 px column) a printed output with nothing to align wraps and fits its box
    (book.js classes it "prose", book.css wraps it), as at 390 px (the tour's
    test_code_wraps_and_printed_output_keeps_its_lines_on_a_phone): 07's "AST: HR 1.0110 per
    U/L, 0.63 for > 40 vs ≤ 40 U/L" and 08's "… P ≈ 0.017" were cut at the box's edge. So does
    a message printed with hanging indents (:data:`HANGING_OUTPUTS`, 03, 04 and 10), its wrapped
    lines under its first word, its text (what a reader copies) the golden notebook's. A tabular
    one keeps its lines and scrolls in its box (06's three CI methods), never past the column;
    a comparison stays with its number ("P ≈ 0.017" on one line). The rule on its own cases:
    :data:`TABULAR_CASES`."""
    context = browser.new_context(
        viewport={"width": 360, "height": 800}, device_scale_factor=2, is_mobile=True
    )
    seen, cases, copied = {}, {}, {}
    try:
        pg = context.new_page()
        _fence(pg, outside_requests)
        problems = _watch(pg)
        for path in CHAPTER_PAGES:
            if path.stem[:2] in ("03", "04", "06", "07", "08", "10"):
                pg.goto(f"{server}/{path.relative_to(HTML).as_posix()}", wait_until="load")
                seen[path.stem[:2]] = _printed_outputs(pg.evaluate(_PRINTED_LINES_JS))
                for text in pg.evaluate(
                    """() => Array.from(document.querySelectorAll(
                         'article div.output.hanging pre'), pre => pre.textContent)"""
                ):
                    copied[text] = _golden_stream(path.stem, text.strip().splitlines()[0])
                if path.stem.startswith("08"):
                    kept = pg.evaluate(
                        """() => Array.from(document.querySelectorAll(
                             'article div.output.prose span.keep'))
                           .filter(s => s.textContent === 'P ≈ 0.017')
                           .map(s => s.getClientRects().length)"""
                    )
        cases = pg.evaluate("(texts) => texts.map(bookTabularOutput)", list(TABULAR_CASES))
        assert not problems, problems
    finally:
        context.close()
    assert sorted(seen) == ["03", "04", "06", "07", "08", "10"], sorted(seen)
    prose = [t for got in seen.values() for t in got.pop("prose")]
    tabular = [t for got in seen.values() for t in got.pop("tabular")]
    hanging = [t for got in seen.values() for t in got.pop("hanging")]
    wrong = {key: {k: v for k, v in got.items() if v} for key, got in seen.items()}
    assert not any(wrong.values()), f"printed output at 360 px: {wrong}"
    assert len(prose) >= 18 and tabular == ["spss    median 9.9, 95% CI 8.7–11.0\nlog "], tabular
    assert all(any(t.startswith(w) for t in prose) for w in PROSE_OUTPUTS[:4]), prose
    assert len(hanging) == len(HANGING_OUTPUTS), hanging
    assert all(any(t.startswith(w) for t in hanging) for w in HANGING_OUTPUTS), hanging
    assert all(text == golden for text, golden in copied.items()), copied
    assert kept == [1], f"'P ≈ 0.017' drawn on {kept} lines"
    assert dict(zip(TABULAR_CASES, cases, strict=True)) == TABULAR_CASES, cases
    assert not outside_requests


_SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹"


def _table_notes(page: Path) -> list[str]:
    """The numbered notes under the tables of a built chapter ("¹ the paper used SPSS: …"): the
    lines of a paragraph whose every line (between <br>) starts with a superscript number."""
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    notes = []
    for p in soup.select("article p"):
        lines, line = [], []
        for node in p.children:
            if isinstance(node, Tag) and node.name == "br":
                lines.append("".join(line).strip())
                line = []
            else:
                line.append(node.get_text() if isinstance(node, Tag) else str(node))
        lines.append("".join(line).strip())
        lines = [text for text in lines if text]
        if lines and all(re.match(f"[{_SUPERSCRIPTS}]+\\s", text) for text in lines):
            notes += lines
    return notes


def test_printed_table_notes_are_not_split_between_sheets(printed_chapters):
    """Review of the printed chapters: Table 6.3's first note ended a sheet with "On this cohort,
    SPSS's interval is the median ± 1.96 SE, here" and went on at the head of the next. A note
    under a table is printed whole on one sheet (book.css, an inline block); the notes may still
    go over to the next sheet one by one. Each note found in a printed chapter (its first and last
    25 characters, spaces left out: the printed text may add a section number to a link) starts
    and ends on the same sheet."""
    pdfs, _, _ = printed_chapters
    found, split = 0, []
    for docname, pdf in pdfs.items():
        info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True)
        count = int(re.search(r"Pages:\s+(\d+)", info.stdout).group(1))
        sheets = [
            re.sub(r"\s+", "", subprocess.run(
                ["pdftotext", "-f", str(n), "-l", str(n), str(pdf), "-"],
                check=True, capture_output=True, text=True,
            ).stdout)
            for n in range(1, count + 1)
        ]  # fmt: skip
        for note in _table_notes(HTML / f"{docname}.html"):
            words = re.sub(r"\s+", "", note)
            heads = {i for i, sheet in enumerate(sheets) if words[:25] in sheet}
            tails = {i for i, sheet in enumerate(sheets) if words[-25:] in sheet}
            if not heads or not tails:
                continue
            found += 1
            if not heads & tails:
                split.append(
                    f"{docname}: {note[:60]}… (sheets {sorted(heads)} and {sorted(tails)})"
                )
    assert found >= 40, f"only {found} table notes found in the printed chapters"
    assert not split, split


def test_the_general_index_letters_are_tap_targets_on_a_phone(contexts, server, outside_requests):
    """Review (390 px): the general index's letters "A | B | C ..." were links 6-18 px wide and
    19 px high, under the 24 px of WCAG 2.5.8. Each is now at least 24 px each way (tables.css)."""
    pg = _open(contexts, 390, outside_requests)
    try:
        pg.goto(f"{server}/genindex.html", wait_until="load")
        boxes = pg.evaluate(
            "Array.from(document.querySelectorAll('.genindex-jumpbox > a')).map(a => "
            "[a.textContent.trim(), a.getBoundingClientRect().width, a.getBoundingClientRect().height])"
        )
        assert not pg.problems, pg.problems
    finally:
        pg.close()
    assert len(boxes) >= 20, boxes
    small = [b for b in boxes if b[1] < 24 - 0.05 or b[2] < 24 - 0.05]
    assert not small, f"letters under 24 px: {small}"
    assert not outside_requests


#: Each numbered table of a page, its dropdowns opened (a closed one's table is not drawn, and
#: has no role): its id, whether its first column is its row labels (not numbers nor sentences:
#: book_site.mark_row_headers) and how its first body row's first cell, the next that is shown
#: and not empty (an empty cell, or a column a phone moves under the labels, has no role) and
#: its first header are drawn
_ROW_HEADERS_JS = """() => { document.querySelectorAll('article details').forEach(d => { d.open = true; });
  return Array.from(document.querySelectorAll('article table[id^="tbl-"]')).map(t => {
  const row = t.tBodies[0].rows[0], head = t.tHead.rows[0].cells[0];
  const k = Math.max(1, Array.from(row.cells).findIndex((c, i) => i > 0 && c.textContent.trim() && c.getClientRects().length));
  const style = c => { const s = getComputedStyle(c);
    return [s.fontWeight, s.textAlign, s.fontSize, s.paddingLeft, s.borderTopWidth, s.display]; };
  return {id: t.id, label: !/\\b(num|right|long)-col-1\\b/.test(t.className) && row.cells.length > 1,
          cards: t.classList.contains('phone-cards') && t.classList.contains('stacked'),
          tags: [row.cells[0].tagName, row.cells[k] ? row.cells[k].tagName : null], k,
          first: style(row.cells[0]), second: row.cells[k] ? style(row.cells[k]) : null,
          head: style(head)};
}); }"""


def _roles(pg, table_id: str, k: int) -> list[str]:
    """The accessibility roles Chromium gives the header's first cell and the first body row's
    first cell and cell ``k`` of table ``table_id`` (CDP Accessibility.getPartialAXTree)."""
    cdp = pg.context.new_cdp_session(pg)
    roles = []
    for js in (
        "t.tHead.rows[0].cells[0]",
        "t.tBodies[0].rows[0].cells[0]",
        f"t.tBodies[0].rows[0].cells[{k}]",
    ):
        found = cdp.send(
            "Runtime.evaluate",
            {
                "expression": f"(() => {{ const t = document.getElementById({table_id!r}); return {js}; }})()"
            },
        )
        tree = cdp.send(
            "Accessibility.getPartialAXTree",
            {"objectId": found["result"]["objectId"], "fetchRelatives": False},
        )
        roles.append(tree["nodes"][0]["role"]["value"])
    cdp.detach()
    return roles


@pytest.mark.parametrize("width", [1366, 390])
def test_numbered_tables_expose_their_row_labels_as_row_headers(
    contexts, server, outside_requests, width
):
    """A screen reader moving along a table's row says which row a number is in: the first
    cell of each body row of a numbered table whose first column is its row labels ("Median OS
    (months)", a Table 2 term) is a row header, <th> (book_site.mark_row_headers; no
    scope="row", 12 bytes a row, which Chromium does not need: role "rowheader"). A first column
    of numbers (Table 9.1's landmarks, 3.1's days) stays cells. The header is drawn as the body
    cell it was (tables.css): the weight and alignment of the cell beside it, not the bold of the
    column headers; in a phone's card (Table 4.2, ":class: phone-cards") it heads the card in
    600. Chapters 1, 4, 6, 7, 8 and 9 at 1366 and 390 px."""
    pg = _open(contexts, width, outside_requests)
    seen, wrong, looks = 0, [], []
    for stem in ("01-data", "04-baseline", "06-survival", "07-cox", "08-audit", "09-bias"):
        pg.goto(f"{server}/chapters/{stem}.html", wait_until="load")
        for t in pg.evaluate(_ROW_HEADERS_JS):
            want = ["columnheader", "rowheader" if t["label"] else "cell", "cell"]
            roles = _roles(pg, t["id"], t["k"])
            if roles != want or t["tags"] != (["TH", "TD"] if t["label"] else ["TD", "TD"]):
                wrong.append((t["id"], t["tags"], roles))
            seen += t["label"]
            if not t["label"]:
                continue
            weight, align = t["first"][:2]
            # a phone's card (":class: phone-cards", stacked by book.js at any width, drawn as
            # cards under 600 px only): the row's label heads it
            if t["cards"] and t["first"][5] == "block":
                ok = weight == "600"
            else:
                ok = weight == t["second"][0] == "400" and align == "left" and t["head"][0] == "700"
            if not ok:
                looks.append((t["id"], t["first"], t["second"], t["head"]))
    pg.close()
    assert seen >= 25, seen
    assert wrong == [], wrong
    assert looks == [], looks
    assert not pg.problems and not outside_requests


#: printed messages put into chapter 4 before book.js reads it (the hostile review of
#: 2026-12-05): a heading of 79 characters over its items (a user's long path before ": 5
#: problems"), a message ending in a line of two spaces, one wrapped twice
_ODD_OUTPUTS = {
    "items": "Problems found in the cohort file my_cohort.csv (fix them, then run again pleas\n"
    "  - column age: missing values in 3 rows, which the analysis cannot use at all,\n"
    "    so fix them\n"
    "  - column sex: must be M or F\n",
    "blank-tail": "first line is long enough to be a message wrapped by the formatter of the"
    " book\n  continued\n  \n",
    "twice": "mean − 2 SD below zero, printed by the paper: 5 of 9 (AST, ALT, CRP, Tumour\n"
    "  number and Number of prior TACE) and one more line that the formatter wrapped at\n"
    "  eighty characters\n",
}

_PUT_ODD_OUTPUTS_JS = """
(outputs) => document.addEventListener('readystatechange', () => {
  // parsed, before the deferred scripts (book.js) run
  if (document.readyState !== 'interactive') return;
  const article = document.querySelector('article');
  for (const [name, text] of Object.entries(outputs)) {
    const cell = document.createElement('div');
    cell.className = 'cell_output docutils container';
    cell.id = 'odd-' + name;
    cell.innerHTML = '<div class="output stream highlight-myst-ansi notranslate">'
      + '<div class="highlight"><pre><span></span></pre></div></div>';
    cell.querySelector('pre').append(text);
    article.prepend(cell);
  }
})
"""

#: the text a reader copies (Ctrl+C) from the whole of each printed output marked "hanging"
_COPIED_JS = """
() => Array.from(document.querySelectorAll('article div.output.hanging pre')).map(pre => {
  const selection = getSelection();
  selection.removeAllRanges();
  const range = document.createRange();
  range.selectNodeContents(pre);
  selection.addRange(range);
  let copied = null;
  const grab = e => { copied = e.clipboardData.getData('text/plain') || selection.toString(); };
  window.addEventListener('copy', grab);
  document.execCommand('copy');
  window.removeEventListener('copy', grab);
  selection.removeAllRanges();
  return [pre.textContent, copied,
          Array.from(pre.querySelectorAll('span.hang')).map(h => h.textContent)];
})
"""


def test_hanging_messages_keep_their_text_their_items_and_their_names_whole(
    browser, server, outside_requests
):
    """A message printed with hanging indents, joined on screen (book.js "hanging"), keeps the
    text it printed, and a reader copies that text: selected and copied, its lines came out
    joined by spaces ("…the book continued"). A line that opens an item ("  - column age") is
    never taken for the continuation of a heading of 79 characters: it was joined to it, and
    read as the heading's end. Blank lines after the last message keep their spaces (the
    message's "\\n  \\n" came back "\\n \\n\\n"). At 360 px chapter 4's "PIVKA-II" broke after
    its hyphen ("PIVKA-" / "II)")."""
    ctx = browser.new_context(viewport={"width": 360, "height": 800})
    try:
        pg = ctx.new_page()
        _fence(pg, outside_requests)
        problems = _watch(pg)
        pg.add_init_script(f"({_PUT_ODD_OUTPUTS_JS})({json.dumps(_ODD_OUTPUTS)})")
        pg.goto(f"{server}/chapters/04-baseline.html", wait_until="load")
        copied = pg.evaluate(_COPIED_JS)
        texts = [text for text, _, _ in copied]
        assert all(text in texts for text in _ODD_OUTPUTS.values()), texts
        assert len(copied) == len(_ODD_OUTPUTS) + 1, texts  # and chapter 4's own note
        for text, got, hangs in copied:
            assert got == text, f"copied {got!r}, printed {text!r}"
            if text == _ODD_OUTPUTS["items"]:
                lines = text.split("\n")
                assert hangs == [lines[0] + "\n", "\n".join(lines[1:3]) + "\n", lines[3] + "\n"]
        pivka = pg.evaluate(
            """() => {
  const pre = Array.from(document.querySelectorAll('article div.output pre'))
    .find(p => p.textContent.includes('(AFP and PIVKA-II)'));
  const walker = document.createTreeWalker(pre, NodeFilter.SHOW_TEXT);
  const tops = new Set();
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const at = n.textContent.indexOf('PIVKA-II');
    for (let k = at; at >= 0 && k < at + 8; k++) {
      const r = document.createRange();
      r.setStart(n, k);
      r.setEnd(n, k + 1);
      tops.add(Math.round(r.getBoundingClientRect().top));
    }
  }
  return tops.size;
}"""
        )
        assert pivka == 1, f"'PIVKA-II' drawn on {pivka} lines at 360 px"
        assert not problems, problems
    finally:
        ctx.close()
    assert not outside_requests


def test_closing_the_search_does_not_move_the_page_to_an_old_control(
    contexts, server, outside_requests
):
    """The search dialog gives the focus back to the control that opened it (book.js), not to
    one used long before: a reader who opened a "Show code cell source", clicked in the text,
    scrolled 6000 px down and pressed Ctrl+K and then Escape was taken back up to that control
    (scrollY 6000 -> 1011), their place lost."""
    pg = _open(contexts, 1366, outside_requests)
    try:
        pg.goto(f"{server}/chapters/06-survival.html", wait_until="load")
        summary = pg.locator("article details summary").first
        summary.click()
        summary.click()
        pg.locator("article section > p").nth(3).click()
        assert pg.evaluate("document.activeElement === document.body")
        pg.evaluate("window.scrollTo(0, 6000)")
        pg.wait_for_timeout(600)
        pg.keyboard.press("Control+k")
        pg.wait_for_timeout(300)
        assert pg.evaluate("document.getElementById('pst-search-dialog').open")
        pg.keyboard.press("Escape")
        pg.wait_for_timeout(300)
        assert pg.evaluate("scrollY") == 6000
        assert pg.evaluate("document.activeElement === document.body")
        assert not pg.problems, pg.problems
    finally:
        pg.close()
    assert not outside_requests


#: A touch phone (390 x 844): as :data:`PHONE`, with a touch screen ("hover: none")
TOUCH_PHONE = {**PHONE, "has_touch": True}

#: The site navigation on a wide screen: [its scrollTop, top, bottom], the book title's
#: [top, bottom] and the current page's link's [top, bottom], in the window
_SIDEBAR_JS = """() => {
  const bar = document.querySelector('.bd-sidebar-primary');
  const box = r => [Math.round(r.top), Math.round(r.bottom)];
  const r = bar.getBoundingClientRect();
  const active = Array.from(bar.querySelectorAll('.bd-docs-nav .active')).pop();
  return {bar: [bar.scrollTop, Math.round(r.top), Math.round(r.bottom)], inner: innerHeight,
          brand: box(bar.querySelector('.navbar-brand').getBoundingClientRect()),
          active: box(active.getBoundingClientRect())};
}"""


@pytest.mark.parametrize("stem", ["01-data", "10-your-cohort"])
def test_desktop_navigation_fits_the_window_and_never_cuts_the_title(
    browser, server, outside_requests, stem
):
    """Review at 1366 x 900: the site navigation was as tall as the window from under the
    announcement and the header (y = 112), its last 112 px below the window, and reached directly
    (a fresh tab) chapter 1 opened with the column scrolled by 201 px (the theme's jump to the
    current link), the book's title cut in half under the search field. It fits the window now
    (book.css, book.js); it scrolls only when the current link would be out of view, and then past
    the whole title. Once the header has scrolled away it is the window's height."""
    chapter = next(p for p in CHAPTER_PAGES if p.stem == stem).relative_to(HTML).as_posix()
    context = browser.new_context(**DESKTOP)
    try:
        pg = context.new_page()
        _fence(pg, outside_requests)
        problems = _watch(pg)
        pg.goto(f"{server}/{chapter}", wait_until="load")
        pg.wait_for_timeout(300)
        top = pg.evaluate(_SIDEBAR_JS)
        pg.evaluate("window.scrollTo(0, 2000)")
        pg.wait_for_timeout(300)
        scrolled = pg.evaluate(_SIDEBAR_JS)
        assert not problems, problems
    finally:
        context.close()
    (scroll, bar_top, bar_bottom), inner = top["bar"], top["inner"]
    assert bar_top > 0 and bar_bottom <= inner, f"the column below the window: {top}"
    assert top["brand"][0] >= bar_top or top["brand"][1] <= bar_top, f"the title cut: {top}"
    assert bar_top <= top["active"][0] and top["active"][1] <= bar_bottom, (
        f"link out of view: {top}"
    )
    if stem == "01-data":  # its link is in view unscrolled
        assert scroll == 0 and top["brand"][0] >= bar_top, top
    assert scrolled["bar"][1:] == [0, inner], f"scrolled page: {scrolled}"
    assert not outside_requests


#: The site navigation on a wide screen: its top, scrollTop, the entries (title, section
#: captions, chapter links) its top edge cuts through ([words, top, bottom]), and the current
#: page's link's [top, bottom], in the window
_SIDEBAR_CUT_JS = """() => {
  const bar = document.querySelector('.bd-sidebar-primary');
  const top = bar.getBoundingClientRect().top;
  const cut = Array.from(bar.querySelectorAll('.navbar-brand, .bd-docs-nav p.caption, .bd-docs-nav li > a'))
    .map(e => [e.textContent.trim().slice(0, 30), e.getBoundingClientRect().top, e.getBoundingClientRect().bottom])
    .filter(([, t, b]) => t < top - 1 && b > top + 1);
  const a = Array.from(bar.querySelectorAll('.bd-docs-nav .active')).pop().getBoundingClientRect();
  return {top, bottom: top + bar.clientHeight, scroll: bar.scrollTop, cut, active: [a.top, a.bottom]};
}"""


@pytest.mark.parametrize("stem", ["07-cox", "08-audit", "10-your-cohort"])
def test_desktop_navigation_opens_at_an_entrys_top(browser, server, outside_requests, stem):
    """Review at 1366 x 768: chapter 7 opened with the site navigation scrolled by 204 px, its
    first visible entry (the book's home link, two lines) cut in half under the header (its top
    at 96, the column's at 112); chapter 10 by 474 px, chapter 2's link cut. The column now comes
    to rest with an entry's top at its top edge (book.js fitSidebar), the current page's link in
    view."""
    chapter = next(p for p in CHAPTER_PAGES if p.stem == stem).relative_to(HTML).as_posix()
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    try:
        pg = _fence_and_watch(context.new_page(), outside_requests)
        pg.goto(f"{server}/{chapter}", wait_until="load")
        pg.wait_for_timeout(300)
        got = pg.evaluate(_SIDEBAR_CUT_JS)
        assert not pg.problems, pg.problems
    finally:
        context.close()
    assert got["scroll"] > 0, got
    assert not got["cut"], got
    assert got["top"] - 1 <= got["active"][0] and got["active"][1] <= got["bottom"] + 1, got
    assert not outside_requests


#: On an API page: the names of its signatures broken inside (a name narrower than its line:
#: [the entry, the name]); each example block's [white-space, overflow-x, how many printed
#: lines wrap, its right edge, whether it scrolls]; and [the window's, the page's width]
_API_EXAMPLES_JS = r"""() => {
  const W = window.innerWidth;
  const words = [];
  document.querySelectorAll('article dl.py > dt.sig').forEach(dt => {
    const walker = document.createTreeWalker(dt, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
      const node = walker.currentNode;
      if (node.parentElement.closest('a.headerlink')) continue;
      for (const m of node.textContent.matchAll(/[A-Za-z_][A-Za-z0-9_]*/g)) {
        const r = document.createRange();
        r.setStart(node, m.index); r.setEnd(node, m.index + m[0].length);
        const tops = new Set(Array.from(r.getClientRects()).filter(x => x.width > 0).map(x => Math.round(x.top)));
        const one = document.createRange(); one.setStart(node, m.index); one.setEnd(node, m.index + 1);
        const width = one.getBoundingClientRect().width * m[0].length;
        const cs = getComputedStyle(dt), room = dt.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight) - parseFloat(cs.textIndent || 0);
        if (tops.size > 1 && width < room) words.push([dt.id, m[0]]);
      }
    }
  });
  // a default value without a space ("1e-12") on one line
  document.querySelectorAll('article dl.py > dt.sig > em.sig-param > span.default_value').forEach(v => {
    if (/\s/.test(v.textContent)) return;
    const tops = new Set(Array.from(v.getClientRects()).filter(x => x.width > 0).map(x => Math.round(x.top)));
    if (tops.size > 1) words.push([v.closest('dt').id, v.textContent]);
  });
  const blocks = Array.from(document.querySelectorAll('article dl.py dd div[class*="highlight-"] pre')).map(pre => {
    const lines = Array.from(pre.querySelectorAll('span.go')).filter(s => new Set(Array.from(s.getClientRects()).filter(x => x.width > 1).map(x => Math.round(x.top))).size > s.textContent.replace(/\n$/, '').split('\n').length).length;
    const r = pre.getBoundingClientRect();
    return [getComputedStyle(pre).whiteSpace, getComputedStyle(pre).overflowX, lines, Math.round(r.right), pre.scrollWidth > pre.clientWidth];
  });
  return {page: [W, document.documentElement.scrollWidth], words, blocks};
}"""


def test_api_examples_keep_their_lines_and_signatures_break_between_names(
    browser, server, outside_requests
):
    """Review on a touch phone (390 px): the printed output of the API pages' examples (a table's
    rows, on book/api/tables.html, bias.html, paper.html, survival.html) wrapped, its columns
    scrambled (420 printed lines over the 22 pages), and signatures broke anywhere, inside a name
    ("missing_columns(coh|ort, columns)": 285 names). The examples keep their lines and scroll in
    their box (book.css; book.js puts no <wbr> in them: Chromium breaks at one even in "pre"), a
    signature breaks at its spaces, after a dotted prefix, an opening bracket or a parameter's "="
    (book.js), inside a name only if it is wider than the line. The page does not scroll
    sideways; nor at 1366 px, where the examples keep their lines too."""
    results = {}
    for size, width in ((TOUCH_PHONE, 390), (DESKTOP, 1366)):
        context = browser.new_context(**size)
        try:
            pg = context.new_page()
            _fence(pg, outside_requests)
            problems = _watch(pg)
            pages = API_MODULE_PAGES if width == 390 else [HTML / "book" / "api" / "tables.html"]
            for path in pages:
                pg.goto(f"{server}/{path.relative_to(HTML).as_posix()}", wait_until="load")
                results[width, path.name] = pg.evaluate(_API_EXAMPLES_JS)
            assert not problems, problems
        finally:
            context.close()
    assert len(results) == len(API_MODULE_PAGES) + 1
    for (width, name), got in results.items():
        assert got["page"] == [width, width], f"{name} at {width} px: page {got['page']}"
        assert not got["words"], f"{name} at {width} px: names broken inside: {got['words'][:5]}"
        assert got["blocks"], name
        for ws, overflow, wrapped, right, _ in got["blocks"]:
            assert (ws, overflow, wrapped) == ("pre", "auto", 0), (
                f"{name} at {width} px: {got['blocks']}"
            )
            assert right <= width, f"{name} at {width} px: a block past the page: {right}"
    # the table-shaped outputs of tables.html do scroll in their box on the phone
    assert any(b[4] for b in results[390, "tables.html"]["blocks"])
    assert not outside_requests


def _fence_and_watch(pg, outside_requests):
    """``pg`` fenced (:func:`_fence`) and watched (its ``problems``), as :func:`_open`'s."""
    _fence(pg, outside_requests)
    pg.problems = _watch(pg)
    return pg


#: the [width, height] of each drawn link of ``selector`` (visible, with a box)
_SHOWN_HEADERLINKS_JS = """(selector) => Array.from(document.querySelectorAll(selector))
  .filter(a => getComputedStyle(a).visibility === 'visible' && a.getClientRects().length)
  .map(a => [Math.round(a.getBoundingClientRect().width), Math.round(a.getBoundingClientRect().height)])"""


def test_caption_links_are_not_drawn_on_a_touch_screen(browser, server, outside_requests):
    """Review on a touch phone (390 px): a tap on a table's caption showed its "#" (the link to
    the table, drawn under the pointer) and left it there, a 16 x 11 px target at the caption's
    end (chapters 7, 8, 10 and the introduction). Where the device cannot hover a caption's "#"
    is not drawn (book.css), for tables and figures; a heading's "#" still shows when tapped."""
    chapter = next(p for p in CHAPTER_PAGES if p.stem.startswith("07")).relative_to(HTML).as_posix()
    context = browser.new_context(**TOUCH_PHONE)
    try:
        pg = _fence_and_watch(context.new_page(), outside_requests)
        pg.goto(f"{server}/{chapter}", wait_until="load")
        assert pg.evaluate("matchMedia('(hover: none)').matches")
        caption = pg.locator("article table > caption .caption-text").first
        caption.scroll_into_view_if_needed()
        caption.tap()
        pg.wait_for_timeout(300)
        shown = pg.evaluate(
            _SHOWN_HEADERLINKS_JS, "article :is(table > caption, figcaption) a.headerlink"
        )
        heading = pg.locator("article h2").nth(1)
        heading.scroll_into_view_if_needed()
        heading.tap()
        pg.wait_for_timeout(300)
        headings = pg.evaluate(_SHOWN_HEADERLINKS_JS, "article h2 > a.headerlink")
        assert not pg.problems, pg.problems
    finally:
        context.close()
    assert shown == [], f"caption links drawn after a tap: {shown}"
    assert len(headings) == 1, headings
    assert not outside_requests


#: Each note mark of a page (dropdowns opened): [its table, its text, the marks in its cell, its
#: width and height, how many of six points of a 24 x 24 px box (its right edge the mark's,
#: centred on it up and down) a tap lands on it]; each table's [id, box scroll and client width,
#: height]; the page's height
_NOTE_MARKS_JS = """() => {
  // each visible note mark: its box and whether a tap in a 24 x 24 px box on it lands on it; the
  // sideways scroll of every table box
  const marks = [];
  for (const a of document.querySelectorAll('article a.note-mark')) {
    const r = a.getBoundingClientRect();
    if (!r.width) continue;
    a.scrollIntoView({block: 'center', inline: 'nearest'});
    const q = a.getBoundingClientRect();
    const cy = q.top + q.height / 2, right = q.right;
    let hits = 0;
    for (const [dx, dy] of [[-23.5, -11.5], [-23.5, 11.5], [-0.5, -11.5], [-0.5, 11.5], [-12, 0], [-12, -11.5]]) {
      const e = document.elementFromPoint(right + dx, cy + dy);
      if (e && e.closest('a.note-mark') === a) hits++;
    }
    marks.push([a.closest('table') ? a.closest('table').id : '', a.textContent, a.parentElement.querySelectorAll('a.note-mark').length, Math.round(q.width), Math.round(q.height), hits]);
  }
  window.scrollTo(0, 0);
  const boxes = Array.from(document.querySelectorAll('article table')).map(t => {
    const b = t.parentElement; return [t.id, b.scrollWidth, b.clientWidth, Math.round(t.getBoundingClientRect().height)];
  });
  return {marks, boxes, height: document.documentElement.scrollHeight};
}"""


def test_table_note_marks_are_24px_tap_targets_and_keep_the_layout(
    browser, server, outside_requests
):
    """Review on a touch phone (390 px): a note mark in a table cell ("✗¹", a link to its note)
    was a 15 x 22 px target (17 x 26 at 1366), under the 24 x 24 of WCAG 2.5.8. A tap anywhere in
    a 24 x 24 px box on it (reaching left over its number: tables.css) lands on the mark, at both
    widths, and the tables are laid out as before: no table box scrolls by a few pixels (a hit
    area past a last column's edge made Table 7.1 scroll by 1 px and Table 7.6 change layout)."""
    results = {}
    for size, width in ((TOUCH_PHONE, 390), (DESKTOP, 1366)):
        context = browser.new_context(**size)
        try:
            pg = _fence_and_watch(context.new_page(), outside_requests)
            for stem in ("01", "07"):
                chapter = next(p for p in CHAPTER_PAGES if p.stem.startswith(stem))
                pg.goto(f"{server}/{chapter.relative_to(HTML).as_posix()}", wait_until="load")
                pg.evaluate(
                    "document.querySelectorAll('article details').forEach(d => { d.open = true; })"
                )
                pg.wait_for_timeout(200)
                results[width, stem] = pg.evaluate(_NOTE_MARKS_JS)
            assert not pg.problems, pg.problems
        finally:
            context.close()
    for (width, stem), got in results.items():
        assert len(got["marks"]) >= 15, (width, stem, len(got["marks"]))
        small = [m for m in got["marks"] if m[-1] < 6]
        assert not small, f"{stem} at {width} px: marks with a tap area under 24 x 24: {small[:5]}"
        scrolling = [b for b in got["boxes"] if b[2] < b[1] <= b[2] + 4]
        assert not scrolling, f"{stem} at {width} px: a box scrolls by a few px: {scrolling}"
    assert not outside_requests


#: The provenance badges drawn on a page: how many, the least text size, how many under 12 px;
#: the page's height and width; the tables whose box scrolls sideways [id, scroll, client width]
_BADGE_SIZES_JS = """() => {
  const sizes = Array.from(document.querySelectorAll('article sup.provenance')).filter(s => s.getClientRects().length)
    .map(s => parseFloat(getComputedStyle(s).fontSize));
  const boxes = Array.from(document.querySelectorAll('article table')).filter(t => t.getClientRects().length)
    .map(t => [t.id, t.parentElement.scrollWidth, t.parentElement.clientWidth]);
  return {n: sizes.length, min: Math.min(...sizes), under12: sizes.filter(x => x < 11.95).length,
          height: document.documentElement.scrollHeight, page: document.documentElement.scrollWidth,
          scrolling: boxes.filter(b => b[1] > b[2])};
}"""


def test_desktop_badges_are_12px_and_the_chapters_still_fit(browser, server, outside_requests):
    """Review at 1366 px: the provenance badges (published, determined, assumed) were 10 px in
    the tables and 10.9 px beside the prose (chapters 6 and 7), the smallest text of the book. They
    are 12 px at every screen width as on a phone (book.css), and the chapters with the most of
    them keep within the page-height bound at 1366 px; no table box scrolls and the page is no
    wider than the window at 1366 or 1280 px."""
    results = {}
    for width in (1366, 1280):
        context = browser.new_context(viewport={"width": width, "height": 900})
        try:
            pg = _fence_and_watch(context.new_page(), outside_requests)
            for stem in ("06", "07", "08"):
                chapter = next(p for p in CHAPTER_PAGES if p.stem.startswith(stem))
                pg.goto(f"{server}/{chapter.relative_to(HTML).as_posix()}", wait_until="load")
                results[width, stem] = pg.evaluate(_BADGE_SIZES_JS)
            assert not pg.problems, pg.problems
        finally:
            context.close()
    for (width, stem), got in results.items():
        assert got["n"] >= 50, (width, stem, got)
        assert got["under12"] == 0 and got["min"] >= 11.95, f"{stem} at {width} px: {got}"
        assert got["page"] == width and not got["scrolling"], f"{stem} at {width} px: {got}"
        if width == 1366:
            assert got["height"] <= 25_000, f"{stem} at 1366 px: {got['height']} px tall"
    assert not outside_requests


#: Table ``id`` scrolled to its middle: each header cell's [words, top, bottom, whether it is
#: what a tap at its centre reaches]; the page header's bottom; the table's classes; the window's
#: and the page's width
_MID_TABLE_HEAD_JS = """(id) => {
  const t = document.getElementById(id);
  const r = t.getBoundingClientRect();
  window.scrollBy(0, r.top + r.height / 2);
  return new Promise(done => requestAnimationFrame(() => requestAnimationFrame(() => {
    const header = document.querySelector('.bd-header-article').getBoundingClientRect();
    const ths = Array.from(t.tHead.rows[0].cells).map(c => {
      const q = c.getBoundingClientRect();
      const e = document.elementFromPoint(q.left + q.width / 2, q.top + q.height / 2);
      return [c.textContent.trim().slice(0, 24), Math.round(q.top), Math.round(q.bottom), !!(e && c.contains(e))];
    });
    done({ths, headerBottom: Math.round(header.bottom), classes: t.className,
          page: [innerWidth, document.documentElement.scrollWidth]});
  })));
}"""


def test_a_long_tables_header_row_stays_in_view_while_its_rows_scroll(
    browser, server, outside_requests
):
    """Review on a phone: Table 7.5 (3,514 px tall at 390 px) has two "HR (95% CI) | P" pairs,
    univariate and multivariable, and once its header row had scrolled away a reader could not
    tell them apart. A long table that fits its column keeps its header row under the page's
    header (book.js "sticky-head", tables.css); its box clips sideways instead of scrolling, the
    page no wider. Under 375 px Table 7.5 is a grid with its header in two lines, both stuck: the
    label column's cell under the page's header, the others under it (it was not stuck there)."""
    chapter = next(p for p in CHAPTER_PAGES if p.stem.startswith("07")).relative_to(HTML).as_posix()
    small = {**TOUCH_PHONE, "viewport": {"width": 360, "height": 740}}
    results = {}
    for size, width in ((TOUCH_PHONE, 390), (DESKTOP, 1366), (small, 360)):
        context = browser.new_context(**size)
        try:
            pg = _fence_and_watch(context.new_page(), outside_requests)
            pg.goto(f"{server}/{chapter}", wait_until="load")
            results[width] = pg.evaluate(_MID_TABLE_HEAD_JS, "tbl-cox-table2-implied")
            assert not pg.problems, pg.problems
        finally:
            context.close()
    for width in (390, 1366):
        got = results[width]
        assert "sticky-head" in got["classes"].split(), (width, got["classes"])
        assert got["page"] == [width, width], (width, got["page"])
        assert len(got["ths"]) == 5, got["ths"]
        for _words, top, _bottom, reached in got["ths"]:
            assert abs(top - got["headerBottom"]) <= 1 and reached, f"{width} px: {got}"
    got = results[360]
    assert "sticky-head" in got["classes"].split(), got["classes"]
    assert got["page"] == [360, 360]
    (_words, top, first_bottom, reached), *rest = got["ths"]
    assert abs(top - got["headerBottom"]) <= 1 and reached, f"360 px: {got}"
    for _words, top, _bottom, reached in rest:
        assert abs(top - first_bottom) <= 1 and reached, f"360 px: {got}"
    assert not outside_requests


#: every table of more than 15 body rows, opened if in a dropdown, scrolled to its middle: its
#: number, rows, classes, display, the page header's bottom and the top of its header row's
#: highest drawn cell (a cell hidden on a phone, Table 1.6's "Model", has no box)
_EVERY_LONG_TABLE_MID_JS = """async () => {
  const out = [];
  const frame = () => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
  for (const t of document.querySelectorAll('article table')) {
    const n = t.tBodies[0] ? t.tBodies[0].rows.length : 0;
    if (n <= 15 || !t.tHead) continue;
    const d = t.closest('details');
    if (d && !d.open) { d.open = true; await frame(); }
    window.scrollTo(0, 0);
    const r = t.getBoundingClientRect();
    window.scrollBy(0, r.top + r.height / 2);
    await frame();
    const bottom = document.querySelector('.bd-header-article').getBoundingClientRect().bottom;
    const tops = Array.from(t.tHead.rows[0].cells).filter(c => c.getClientRects().length
      && c.getBoundingClientRect().width).map(c => c.getBoundingClientRect().top);
    out.push({table: t.caption ? t.caption.textContent.trim().slice(0, 10) : t.id, n,
              classes: t.className, display: getComputedStyle(t).display, bottom,
              top: Math.min(...tops)});
  }
  return out;
}"""


@pytest.mark.parametrize("width", [390, 1366])
def test_every_long_table_keeps_its_header_row_under_the_page_header(
    browser, server, outside_requests, width
):
    """Review at 1366 x 768: only Tables 7.5 and 10.3 kept their header row while their rows
    scrolled by; 1.6, 4.1, 6.3 and 8.1 (shorter than one and a half windows), 1.11, 7.6, 7.7, 8.2
    and 8.3 (in a dropdown, whose "overflow: hidden" made it the box a header would stick to) and
    10.1 (cards on a phone, "stacked", and so never looked at) did not. Every table of more than
    15 rows, its dropdown opened, scrolled to its middle, has its header row's top at the page
    header's bottom, at 390 and 1366 px; on a phone a table of cards has no header row to keep."""
    size = TOUCH_PHONE if width == 390 else {"viewport": {"width": 1366, "height": 768}}
    seen = 0
    for stem in ("01", "07", "08"):
        chapter = (
            next(p for p in CHAPTER_PAGES if p.stem.startswith(stem)).relative_to(HTML).as_posix()
        )
        context = browser.new_context(**size)
        try:
            pg = _fence_and_watch(context.new_page(), outside_requests)
            pg.goto(f"{server}/{chapter}", wait_until="load")
            for got in pg.evaluate(_EVERY_LONG_TABLE_MID_JS):
                if (
                    width == 390
                    and "stacked" in got["classes"].split()
                    and got["display"] == "block"
                ):
                    continue
                seen += 1
                assert "sticky-head" in got["classes"].split(), (width, got)
                assert abs(got["top"] - got["bottom"]) <= 2, (width, got)
            assert not pg.problems, pg.problems
        finally:
            context.close()
    assert seen >= (5 if width == 390 else 8), seen
    assert not outside_requests


#: Table ``id`` scrolled to its middle and ``down`` px further: the page header's bottom, the
#: header row's cells' highest top, the table's left and width, and what is drawn half a pixel
#: under the page's header at each column's centre (true: the page's header or a header cell)
_UNDER_PAGE_HEADER_JS = """([id, down]) => {
  const t = document.getElementById(id);
  const r = t.getBoundingClientRect();
  window.scrollBy(0, r.top + r.height / 2 + down);
  return new Promise(done => requestAnimationFrame(() => requestAnimationFrame(() => {
    const page = document.querySelector('.bd-header-article');
    const bottom = page.getBoundingClientRect().bottom;
    const cells = Array.from(t.tHead.rows[0].cells);
    const covered = cells.map(c => {
      const q = c.getBoundingClientRect();
      const e = document.elementFromPoint(q.left + q.width / 2, bottom + 0.5);
      return !!e && (page.contains(e) || !!e.closest('thead'));
    });
    const box = t.getBoundingClientRect();
    done({bottom, top: Math.min(...cells.map(c => c.getBoundingClientRect().top)),
          left: box.left, width: box.width, covered});
  })));
}"""


def test_nothing_shows_between_the_page_header_and_a_stuck_header_row(
    browser, server, outside_requests
):
    """Review on a phone (390 x 844, scale 2): Table 7.5 scrolled to its middle, its header row
    stuck under the page's header (book.js "sticky-head"), the rows scrolling by showed through a
    1 px strip at the header cells' top, just under the page's header ("· 61 (47)"'s tops; at
    1366 px too). The cells' top border is the table's (its borders collapse), painted where the
    row was: a stuck cell painted nothing in its top 1 px. The cells now stick that border
    higher, under the page's header. The strip (the 2 px under the page's header, across the
    table) is drawn the same with the table's body hidden, the body scrolled 0-22 px past its
    middle (its text crosses the strip), at 390 and 1366 px."""
    from io import BytesIO

    from PIL import Image, ImageChops

    chapter = next(p for p in CHAPTER_PAGES if p.stem.startswith("07")).relative_to(HTML).as_posix()
    table = "tbl-cox-table2-implied"
    for size, width in ((TOUCH_PHONE, 390), (DESKTOP, 1366)):
        context = browser.new_context(**size)
        try:
            pg = _fence_and_watch(context.new_page(), outside_requests)
            pg.goto(f"{server}/{chapter}", wait_until="load")
            assert "sticky-head" in pg.eval_on_selector(f"#{table}", "t => t.className").split()
            for down in range(0, 24, 2):
                pg.evaluate("window.scrollTo(0, 0)")
                got = pg.evaluate(_UNDER_PAGE_HEADER_JS, [table, down])
                assert got["top"] <= got["bottom"] + 0.5 and all(got["covered"]), (width, down, got)
                clip = {"x": got["left"], "y": got["bottom"], "width": got["width"], "height": 2}
                shown = pg.screenshot(clip=clip)
                pg.eval_on_selector(
                    f"#{table}", "t => { t.tBodies[0].style.visibility = 'hidden'; }"
                )
                hidden = pg.screenshot(clip=clip)
                pg.eval_on_selector(f"#{table}", "t => { t.tBodies[0].style.visibility = ''; }")
                a, b = (Image.open(BytesIO(png)).convert("L") for png in (shown, hidden))
                seen = ImageChops.difference(a, b).point(lambda v: 255 if v > 24 else 0).getbbox()
                assert seen is None, f"{width} px, {down} px past the middle: body shows at {seen}"
            assert not pg.problems, pg.problems
        finally:
            context.close()
    assert not outside_requests


def test_every_copy_button_has_an_accessible_name(contexts, server, outside_requests):
    """Review (accessibility): sphinx-copybutton's buttons (a copy icon, "Copy" only in a
    tooltip, data-tooltip) have no name of their own: Chromium names them from the icon's SVG
    <title> ("Copy to clipboard"), which not every browser or screen reader reads as the button's
    name. book.js names each one, aria-label "Copy to clipboard" (the icon's words, which the
    name must hold): every button.copybtn of a chapter and of the how-to page has it, drawn or
    not, and each drawn one is found by role and that name."""
    from playwright.sync_api import expect

    pages = [next(p for p in CHAPTER_PAGES if p.stem.startswith("01"))]
    pages += [p for p in PAGES if p.stem == "how-to-use"]
    pg = _open(contexts, 390, outside_requests)
    try:
        for page in pages:
            pg.goto(f"{server}/{page.relative_to(HTML).as_posix()}", wait_until="load")
            buttons = pg.locator("button.copybtn")
            assert buttons.count() >= 1, page
            names = pg.evaluate(
                "() => Array.from(document.querySelectorAll('button.copybtn'), b =>"
                " (b.getAttribute('aria-label') || '').trim())"
            )
            assert all(names), (page.name, names)
            for i in range(buttons.count()):
                if buttons.nth(i).is_visible():
                    expect(buttons.nth(i)).to_have_accessible_name("Copy to clipboard")
        assert not pg.problems, pg.problems
    finally:
        pg.close()
    assert not outside_requests
