"""The built book as a reader meets it, in headless Chromium (Debian's, driven by Playwright).

Needs ``_build/html`` (``make test`` builds it first). Checks every page: internal links and
anchors resolve, images load, no traceback / stderr / unresolved glue / raw TeX is shown, the
synthetic-data notice is on every chapter, search finds "Kaplan", and no request leaves the
machine. Screenshots of every chapter at desktop and phone widths go to
``test-artifacts/screenshots/``.
"""

from __future__ import annotations

import functools
import http.server
import re
import shutil
import threading
from pathlib import Path
from urllib.parse import unquote, urldefrag, urlparse

import pytest
from bs4 import BeautifulSoup

pytestmark = pytest.mark.book

ROOT = Path(__file__).resolve().parent.parent
HTML = ROOT / "_build" / "html"
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


@pytest.fixture(scope="module")
def built():
    if not PAGES:
        pytest.fail("the book is not built: run `make book` (make test does it first)")
    return HTML


@pytest.fixture(scope="module")
def server(built):
    handler = functools.partial(_QuietHandler, directory=str(built))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.fail("chromium is not installed: `make chromium` installs Debian's package")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def outside_requests():
    return []


@pytest.fixture()
def page(browser, outside_requests):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()

    def guard(route):
        host = urlparse(route.request.url).hostname
        if route.request.url.startswith(("data:", "blob:")) or host in ("127.0.0.1", "localhost"):
            route.continue_()
        else:
            outside_requests.append(route.request.url)
            route.abort()

    pg.route("**/*", guard)
    yield pg
    context.close()


def test_book_has_pages(built):
    assert (built / "index.html").is_file()
    assert len(PAGES) >= 4


@pytest.mark.parametrize("path", PAGES, ids=lambda p: str(p.relative_to(HTML)))
def test_internal_links_and_anchors_resolve(path: Path):
    soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
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
def _ids(file: Path) -> frozenset[str]:
    soup = BeautifulSoup(file.read_text(encoding="utf-8"), "html.parser")
    return frozenset(tag["id"] for tag in soup.find_all(id=True))


BAD_TEXT = re.compile(
    r"Traceback \(most recent call last\)|\b\w+Error: |Unresolved glue|glue key|"
    r"\\begin\{|\\frac\{|\$\$"
)


@pytest.mark.parametrize("path", PAGES, ids=lambda p: str(p.relative_to(HTML)))
def test_page_renders_cleanly(page, server, path: Path, outside_requests):
    url = f"{server}/{path.relative_to(HTML).as_posix()}"
    page.goto(url, wait_until="load")
    page.wait_for_timeout(200)
    # MathJax typesets every math element (vendored copy, no CDN).
    if page.locator(".math").count():
        page.wait_for_function(
            "document.querySelectorAll('.math').length === "
            "document.querySelectorAll('.math mjx-container').length",
            timeout=15000,
        )
    text = page.locator("article").inner_text() if page.locator("article").count() else ""
    assert not BAD_TEXT.search(text), f"{path.name}: {BAD_TEXT.search(text).group(0)!r} shown"
    assert page.locator(".output.stderr, .output.traceback, .output.error").count() == 0
    broken = page.evaluate(
        "Array.from(document.images).filter(i => !(i.complete && i.naturalWidth > 0))"
        ".map(i => i.getAttribute('src').slice(0, 80))"
    )
    assert not broken, f"{path.name}: images failed to load: {broken}"
    assert not outside_requests, f"requests left the machine: {outside_requests[:5]}"


@pytest.mark.parametrize("path", CHAPTER_PAGES, ids=lambda p: p.stem)
def test_chapter_has_synthetic_notice_and_screenshots(page, server, path: Path):
    url = f"{server}/{path.relative_to(HTML).as_posix()}"
    page.goto(url, wait_until="load")
    notice = page.locator(".synthetic-notice")
    assert notice.count() >= 1, f"{path.name}: no synthetic-data notice"
    assert "synthetic" in notice.first.inner_text().lower()
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{path.stem}-desktop.png"), full_page=False)


@pytest.mark.parametrize("path", CHAPTER_PAGES, ids=lambda p: p.stem)
def test_chapter_fits_a_phone(browser, server, path: Path, outside_requests):
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True
    )
    pg = context.new_page()
    pg.route(
        "**/*",
        lambda route: (
            route.continue_()
            if urlparse(route.request.url).hostname in ("127.0.0.1", None)
            else (outside_requests.append(route.request.url), route.abort())
        ),
    )
    pg.goto(f"{server}/{path.relative_to(HTML).as_posix()}", wait_until="load")
    SHOTS.mkdir(parents=True, exist_ok=True)
    pg.screenshot(path=str(SHOTS / f"{path.stem}-phone.png"), full_page=False)
    overflow = pg.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    context.close()
    assert overflow <= 2, f"{path.name}: the page is {overflow}px wider than a phone screen"
    assert not outside_requests


def test_search_finds_kaplan(page, server, outside_requests):
    page.goto(f"{server}/search.html?q=Kaplan", wait_until="load")
    page.wait_for_selector("#search-results li, .search li", timeout=15000)
    assert page.locator("#search-results li, .search li").count() >= 1
    assert not outside_requests
