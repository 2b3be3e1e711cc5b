"""Shared fixtures and the test order.

The browser tests (test_browser.py, test_browser_literate.py) share one Chromium, one server of
the built book and one tour of its pages (each page loaded cold once per width): both modules are
in the xdist group ``browser``, so one worker does the tour once and the other worker runs the
rest meanwhile.

The tests that execute chapters in their own process (test_full_run, test_no_individual_values,
test_any_cohort, test_runner, test_adversarial_run) use ``forked_kernels``: each chapter's kernel
is forked from one process per worker that has imported what the chapters import
(tests/kernel_fork.py), not started and importing afresh. Likewise the tests that start the command
line (``python -m analysis ...``) or build a report's site (jupyter-book, in a process of its
own) use ``forked_programs``: each such process is forked from one per worker that has imported
what it imports (tests/proc_fork.py), and is still a child process of the test's.

Some chapter runs on other cohorts are asserted on by tests of several modules: session
fixtures (``odd_run``, ``planted_run``, ``chapter_02_on_a_copy``, ``no_deaths_run``,
``short_no_tace_run``, ``stretched_run``, ``short_treated_run``; tests/cohort_runs.py) make
each once per worker, and the tests that read one share an xdist
group, so one worker makes it.

Order: ``make test`` runs two workers (``-n 2 --dist loadgroup``), which take the tests in
collection order; the ``slow`` tests (whole-book runs) are put first, so that no worker is left
with one of them at the end while the other waits.
"""

import contextlib
import gc
import os
from pathlib import Path

# before anything imports NumPy: NumPy's AVX-512 loops off, the portable arithmetic
# (analysis/numerics.py); pytest-xdist's workers and the kernels inherit the variable
from analysis import numerics

numerics.pin_numpy_dispatch()
# glibc's SSE2 exp and log (the reference's) in every process a test starts (this one starts
# again with them where it has others: pytest_configure)
numerics.pin_libm()
# OpenBLAS on one thread in every test process and every process a test starts (chapter
# kernels, `python -m analysis`), as Dask's workers have it; a setting given is kept (an empty
# one is OpenBLAS's default, so replaced). Its helper threads spin while they wait: with both
# cores busy, as in `make test`, small products (the Cox fits' tensordot in chapters 7 and 9)
# cost several times their work. Measured beside one busy loop (tests/test_kernel_robust.py,
# test_bias.py and test_full_run.py's whole-book run, one process): 82.4 -> 47.9 CPU-s, the
# whole-book run 63 -> 38; the unit job beside other busy processes 644 -> 565 CPU-s (on an
# idle machine only 548 -> 540). Every test passes as before (the byte-for-byte ones too); the
# Makefile sets the same for the book's build and nbval.
if not os.environ.get("OPENBLAS_NUM_THREADS"):
    os.environ["OPENBLAS_NUM_THREADS"] = "1"

import pytest  # noqa: E402
from test_browser import CHROMIUM, HTML, PAGES, QuietHandler, launch, tour  # noqa: E402


def pytest_configure(config):
    """Where this process's C library computes ``exp`` and ``log`` otherwise than the reference
    (glibc's FMA variants: the process started without the setting ``make`` exports), pytest
    starts again with it, the same arguments, its output capture stopped first so that the new
    process writes to the terminal (:func:`analysis.numerics.restart_with_libm`).

    Under xdist, the controller rewrites the test modules' asserts once before the workers
    start (:func:`_rewrite_test_modules`), when the whole ``tests`` folder is collected."""
    if not numerics.libm_reference():
        capture = config.pluginmanager.getplugin("capturemanager")
        if capture is not None:
            capture.stop_global_capturing()
        numerics.restart_with_libm()
    if getattr(config.option, "numprocesses", None) and not hasattr(config, "workerinput"):
        here = Path(__file__).resolve().parent
        given = [Path(str(a).split("::")[0]).resolve() for a in config.args]
        if any(p == here or p in here.parents for p in given):
            _rewrite_test_modules(config)


def _rewrite_test_modules(config) -> None:
    """Write pytest's rewritten bytecode of each ``tests/test_*.py`` that has none yet, as the
    first import of the module in any pytest process would (the same functions of
    ``_pytest.assertion.rewrite``, the same cache files beside the sources).

    On a fresh clone the ``-n 4`` workers start together, so each rewrote every test module
    itself (about 2.2 CPU-s a worker: ``--collect-only`` of the unit tests on cold and warm
    caches, 5.4 and 3.1 CPU-s); done here once, the workers read the cached files (four workers
    starting on a fresh tree and running no test: 21.7 -> 16.7 CPU-s, three runs each). Nothing
    else changes: a worker finding no valid cache (a module edited since, a read-only tree)
    rewrites as before. Skipped where bytecode is not written, without assert rewriting, and on
    any error (a pytest whose internals differ, a module that does not parse: its worker
    reports it as before); it is a saving, never a requirement.
    """
    import sys

    if sys.dont_write_bytecode or config.getoption("assertmode", "rewrite") != "rewrite":
        return
    try:
        from _pytest.assertion import rewrite

        state = config.stash[rewrite.assertstate_key]
        for fn in sorted(Path(__file__).parent.glob("test_*.py")):
            cache_dir = rewrite.get_cache_dir(fn)
            pyc = cache_dir / (fn.name[:-3] + rewrite.PYC_TAIL)
            if rewrite._read_pyc(fn, pyc) is not None or not rewrite.try_makedirs(cache_dir):
                continue
            source_hash, co = rewrite._rewrite_test(fn, config)
            rewrite._write_pyc(state, co, source_hash, pyc)
    except Exception:  # a module that does not parse fails in its worker, as before
        return


#: The session fixtures that execute chapters, and the ``xdist_group`` of the tests that use
#: them: one worker makes each run once. A test using one is put in its group here, marked or
#: not (test_chapter_03_without_height_or_weight_says_so_in_one_sentence was not, and the other
#: worker ran the odd cohort's seven chapters again: 18 CPU-s).
RUN_GROUPS = {
    "odd_run": "full-run-odd",
    "planted_run": "planted-run",
    "chapter_02_on_a_copy": "chapter-02-copy",
    "no_deaths_run": "no-deaths-run",
    "short_no_tace_run": "short-no-tace-run",
    "stretched_run": "stretched-run",
    "short_treated_run": "short-treated-run",
}


def pytest_collection_modifyitems(config, items):
    """Slow tests first, longest first when known (a stable sort: otherwise collection order)."""
    items.sort(key=lambda item: -_expected_seconds(item))
    _run_groups(items)
    if getattr(config.option, "loadgroup", False):  # a worker of `--dist loadgroup`
        _xdist_groups(items)


def _run_groups(items) -> None:
    """Each test that uses a fixture of :data:`RUN_GROUPS` joins that fixture's group."""
    for item in items:
        marked = {str(m.args[0] if m.args else m.kwargs.get("name", "default"))
                  for m in item.iter_markers("xdist_group")}  # fmt: skip
        for fixture in getattr(item, "fixturenames", ()):
            group = RUN_GROUPS.get(fixture)
            if group is not None and group not in marked:
                item.add_marker(pytest.mark.xdist_group(group))
                marked.add(group)


def pytest_collection_finish(session):
    """Once the tests are collected, what exists then (the imported libraries, the collected
    items, the test modules' data) is left out of the cyclic garbage collector's passes, and
    its young generation is collected less often (:data:`GC_THRESHOLD`).

    A test process holds millions of long-lived objects, and each full collection walked them
    all: about 6 % of the CPU of the in-process tests went to the collector (gc.callbacks; nine
    test files, 2,463 tests, one process: 2.9 and 3.5 of 49 and 65 CPU-s), 3 % with this (1.5 of
    44 and 48). An object freed by its reference count (nearly all) is freed at once, as before;
    one in a reference cycle waits for the next collection, which comes later. A collection
    first, so that no garbage is kept for good; ``--collect-only`` runs no test, so is left as is.
    """
    if session.config.option.collectonly:
        return
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLD)


#: (young, middle, old) generation thresholds of the test processes, from (700, 10, 10): the
#: young generation collected every 10,000 net allocations of container objects.
GC_THRESHOLD = (10_000, 10, 10)


def _xdist_groups(items) -> None:
    """Give ``xdist_group`` its effect under pytest 9.

    pytest-xdist 3.8 groups tests by appending ``@group`` to each marked item's ``_nodeid``,
    an attribute pytest 9 no longer reads (a node id is ``Node._id``): without this, the tests of
    a group are spread over the workers and each builds the group's fixtures again. Done only
    when the id has no suffix yet (a fixed pytest-xdist makes this a no-op).
    """
    from _pytest.nodeid import NodeId

    for item in items:
        names = sorted({str(m.args[0] if m.args else m.kwargs.get("name", "default"))
                        for m in item.iter_markers("xdist_group")})  # fmt: skip
        suffix = "@" + "_".join(names)
        if names and not item.nodeid.endswith(suffix):
            item._id = NodeId.parse(item.nodeid + suffix)


def _expected_seconds(item) -> float:
    """``@pytest.mark.slow(seconds=N)``: about N CPU-seconds. A ``slow`` mark without a figure
    counts as the longest (started first: safer than last)."""
    mark = item.get_closest_marker("slow")
    if mark is None:
        return 0.0
    return float(mark.kwargs.get("seconds", 1e6))


@pytest.fixture(scope="session")
def _kernel_zygote():
    """The process that forks the chapter kernels (tests/kernel_fork.py), stopped at the end."""
    import kernel_fork

    yield
    kernel_fork.close()


@pytest.fixture(scope="module")
def forked_kernels(_kernel_zygote):
    """Chapter kernels of this module's tests forked from one process that has imported what the
    chapters import (tests/kernel_fork.py): each chapter still runs in a kernel of its own."""
    import kernel_fork

    with kernel_fork.forked():
        yield


@pytest.fixture(scope="session")
def _program_zygotes():
    """The processes that fork the programs the tests start (tests/proc_fork.py), stopped at the
    end."""
    import proc_fork

    yield
    proc_fork.close()


@pytest.fixture(scope="module")
def forked_programs(_program_zygotes):
    """This module's launches of ``python -m analysis ...`` and of the report's site build forked
    from a process that has imported what they import (tests/proc_fork.py): each is still a
    process of its own, a child of the test's."""
    import proc_fork

    with proc_fork.forked():
        yield


@contextlib.contextmanager
def _forked_launches():
    """Inside: chapter kernels and programs forked as under ``forked_kernels`` and
    ``forked_programs`` (for a session fixture, which cannot use those module fixtures)."""
    import kernel_fork
    import proc_fork

    with kernel_fork.forked(), proc_fork.forked():
        yield


@pytest.fixture(scope="session")
def other_cohorts(tmp_path_factory):
    """The second cohort and the odd one (no optional column, degenerate) of
    tests/cohort_runs.py: {"second": path, "odd": path}."""
    import cohort_runs

    return cohort_runs.write_other_cohorts(tmp_path_factory.mktemp("cohorts"))


@pytest.fixture(scope="session")
def odd_run(other_cohorts, tmp_path_factory, _kernel_zygote, _program_zygotes):
    """The chapters of ``cohort_runs.ODD_CHAPTERS`` and ``ODD_EXTRA`` executed on the odd cohort
    (tests/cohort_runs.py): the folder of executed notebooks. Tests that read it are in the
    xdist group ``full-run-odd``."""
    import cohort_runs

    out = tmp_path_factory.mktemp("odd") / "no-optional-degenerate"
    with _forked_launches():
        return cohort_runs.run_odd(other_cohorts["odd"], out)


@pytest.fixture(scope="session")
def planted_run(tmp_path_factory, _kernel_zygote, _program_zygotes):
    """The report of tests/cohort_runs.py's planted cohort (``planted.csv`` beside it). Tests
    that read it are in the xdist group ``planted-run``."""
    import cohort_runs

    with _forked_launches():
        return cohort_runs.run_planted(tmp_path_factory.mktemp("planted"))


@pytest.fixture(scope="session")
def chapter_02_on_a_copy(tmp_path_factory, _kernel_zygote, _program_zygotes):
    """Chapter 2 executed on a copy of data/cohort.csv with ``require_two_sessions=False``
    (tests/cohort_runs.py): the notebook. Tests that read it are in the xdist group
    ``chapter-02-copy``."""
    import cohort_runs

    with _forked_launches():
        return cohort_runs.run_02_on_a_copy(tmp_path_factory.mktemp("copy-02"))


@pytest.fixture(scope="session")
def no_deaths_run(tmp_path_factory, _kernel_zygote):
    """Chapters 6, 7 and 9 executed on data/cohort.csv with every patient censored
    (tests/cohort_runs.py): the folder of executed notebooks. Tests that read it are in the
    xdist group ``no-deaths-run``."""
    import cohort_runs
    import kernel_fork

    with kernel_fork.forked():
        return cohort_runs.run_no_deaths(tmp_path_factory.mktemp("no-deaths"))


@pytest.fixture(scope="session")
def short_no_tace_run(tmp_path_factory, _kernel_zygote):
    """Chapters 6 and 9 executed on data/cohort.csv with nobody treated with additional TACE,
    no more than 4 prior TACE sessions and every time divided by 12 (tests/cohort_runs.py): the
    folder of executed notebooks. Tests that read it are in the xdist group
    ``short-no-tace-run``."""
    import cohort_runs
    import kernel_fork

    with kernel_fork.forked():
        return cohort_runs.run_short_no_tace(tmp_path_factory.mktemp("short-no-tace"))


@pytest.fixture(scope="session")
def stretched_run(tmp_path_factory, _kernel_zygote):
    """Chapters 6 and 9 executed on 60 of the book's patients with every time stretched
    (tests/cohort_runs.py): the folder of executed notebooks. Tests that read it are in the
    xdist group ``stretched-run``."""
    import cohort_runs
    import kernel_fork

    with kernel_fork.forked():
        return cohort_runs.run_stretched(tmp_path_factory.mktemp("stretched"))


@pytest.fixture(scope="session")
def short_treated_run(tmp_path_factory, _kernel_zygote):
    """Chapters 5, 6, 7, 9 and 10 executed on data/cohort.csv with every time divided by 50,
    everybody treated with additional TACE, nobody with stable disease and every Child-Pugh score
    5 or 6 (tests/cohort_runs.py): the folder of executed notebooks. Tests that read it are in
    the xdist group ``short-treated-run``."""
    import cohort_runs
    import kernel_fork

    with kernel_fork.forked():
        return cohort_runs.run_short_treated(tmp_path_factory.mktemp("short-treated"))


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright, one per test worker."""
    sync_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.fail("chromium is not installed: `make chromium` installs Debian's package")
    with sync_api.sync_playwright() as p:
        b = launch(p)
        yield b
        b.close()


@pytest.fixture(scope="session")
def built():
    if not PAGES:
        pytest.fail(f"the book is not built in {HTML}: run `make book` (make test does it first)")
    return HTML


@pytest.fixture(scope="session")
def server(built):
    """The built book over HTTP on a free local port."""
    import functools
    import http.server
    import threading

    handler = functools.partial(QuietHandler, directory=str(built))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


@pytest.fixture(scope="session")
def toured(browser, server):
    """Every page loaded cold at 1366x900 and on a 390x844 phone: {(page, width): record}."""
    return tour(browser, server)


@pytest.fixture(scope="session")
def fingerprint_parsed_once():
    """:func:`analysis.ensemble.fingerprint` parses every source it hashes (about 0.7 CPU-s a
    call; tests of the ensemble call it 9 times): here :func:`analysis.ensemble._code_of` and
    :func:`analysis.ensemble._source_closure` are memoised by the text they read (the code of
    each file, the closure by the text of every module of the package), so the hash is computed
    as before, each text parsed once per test worker. An edited file is a new text: parsed again.
    """
    from analysis import REPO_ROOT, ensemble

    code_of, closure = ensemble._code_of, ensemble._source_closure
    codes: dict[bytes, bytes] = {}
    closures: dict[tuple, list] = {}

    def memo_code_of(path):
        text = Path(path).read_bytes()
        if text not in codes:
            codes[text] = code_of(path)
        return codes[text]

    def memo_closure(module="ensemble"):
        package = sorted((REPO_ROOT / "analysis").glob("*.py"))
        key = (module, *((p.name, p.read_bytes()) for p in package))
        if key not in closures:
            closures[key] = closure(module)
        return list(closures[key])

    patch = pytest.MonkeyPatch()
    patch.setattr(ensemble, "_code_of", memo_code_of)
    patch.setattr(ensemble, "_source_closure", memo_closure)
    yield
    patch.undo()
