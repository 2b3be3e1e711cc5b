"""Tests of analysis.runner and ``python -m analysis run`` on a throwaway chapters directory.

The kernel-executing tests use two tiny chapters written here, so they do not depend on the
book's chapters (the lead's full-book run on a second cohort is a separate test).
"""

from __future__ import annotations

import json
import os
import re
import signal
import textwrap
from pathlib import Path

import proc_fork
import pytest
import yaml
from cli_output import unwrapped
from cohort_runs import JUPYTEXT_HEAD
from test_cohort import enough_rows, write

from analysis import REPO_ROOT
from analysis.__main__ import main
from analysis.cohort import CohortError
from analysis.runner import RunnerError, discover_chapters, parse_parameters, run_book

#: the chapters' kernels are forked from one process that imported what they import
#: (tests/kernel_fork.py); each chapter still runs in a kernel of its own; so is the report's
#: site build (tests/proc_fork.py), in a process of its own
pytestmark = pytest.mark.usefixtures("forked_kernels", "forked_programs")

HEAD = JUPYTEXT_HEAD

CHAPTER_A = HEAD + textwrap.dedent(
    """
    (ch-a)=
    # Chapter A

    The cohort has {glue:text}`a_n` patients, see {ref}`ch-a`.

    ```{admonition} Learning objectives
    :class: tip
    - *Read* a report.
    ```

    ```{code-cell} ipython3
    :tags: [parameters]
    cohort_path = None
    min_cell_count = 5
    ```

    ```{code-cell} ipython3
    :tags: [remove-cell]
    from analysis import book
    from analysis.cohort import load_cohort
    cohort = load_cohort(cohort_path)
    book.glue_text("a_n", str(len(cohort)))
    ```

    ```{code-cell} ipython3
    print("threshold", min_cell_count, type(min_cell_count).__name__)
    ```
    """
)

CHAPTER_B = HEAD + textwrap.dedent(
    """
    # Chapter B

    ```{code-cell} ipython3
    :tags: [parameters]
    cohort_path = None
    ```

    ```{code-cell} ipython3
    import os
    print("cwd", os.path.basename(os.getcwd()))
    ```

    ```{code-cell} ipython3
    x = 1
    ```

    Left out of the report: {ref}`ch-c`, {ref}`its method <c-method>`, and the book's
    {ref}`ch-eligibility`.

    Their tables: {numref}`tbl-c-counts`, {numref}`the same, table %s <tbl-c-counts>`, and
    the book's {numref}`tbl-elig-rules`.

    In parentheses (see {ref}`its method <c-method>`; and {ref}`ch-c`), then (closed) {ref}`ch-c`.
    """
)

#: A chapter that the report of 01 and 02 leaves out (CHAPTER_B links to it).
CHAPTER_C = HEAD + textwrap.dedent(
    """
    (ch-c)=
    # Chapter C

    ```{code-cell} ipython3
    # not a heading
    cohort_path = None
    ```

    (c-method)=
    ## How C works

    :::{table} Counts of C.
    :name: tbl-c-counts

    | a | b |
    |---|---|
    | 1 | 2 |
    :::
    """
)

FAILING = "1 / 0\n"


@pytest.fixture
def book(tmp_path):
    """A chapters directory with two chapters, a valid user cohort, a reports directory."""
    chapters = tmp_path / "chapters"
    chapters.mkdir()
    (chapters / "01-a.md").write_text(CHAPTER_A, encoding="utf-8")
    (chapters / "02-b.md").write_text(CHAPTER_B, encoding="utf-8")
    (chapters / "README.md").write_text("not a chapter", encoding="utf-8")
    cohort = write(tmp_path, enough_rows(), name="mine.csv")  # the fewest run accepts
    return chapters, cohort, tmp_path / "reports"


def listing(directory):
    return sorted(str(p.relative_to(directory)) for p in directory.rglob("*"))


# --- requests ----------------------------------------------------------------------------------
def test_parse_parameters_reads_yaml_scalars():
    assert parse_parameters(
        ["n=10", "alpha=0.05", "flag=true", "ci=log-log", "label=my cohort"]
    ) == {
        "n": 10,
        "alpha": 0.05,
        "flag": True,
        "ci": "log-log",
        "label": "my cohort",
    }
    assert parse_parameters(None) == {}


@pytest.mark.parametrize(
    ("item", "message"),
    [
        ("n", "parameter 'n': expected -p key=value or -p key value"),
        ("1n=3", "'1n' is not a valid Python name"),
        ("cohort_path=x.csv", "give the cohort with --cohort"),
        ("xs=[1, 2]", "only single values"),
    ],
)
def test_parse_parameters_errors(item, message):
    with pytest.raises(RunnerError, match=message.replace("[", r"\[")):
        parse_parameters([item])


def test_discover_chapters(book):
    chapters, _, _ = book
    assert [p.name for p in discover_chapters(chapters)] == ["01-a.md", "02-b.md"]
    assert [p.stem for p in discover_chapters(chapters, "02,01-a")] == ["01-a", "02-b"]
    assert [p.stem for p in discover_chapters(chapters, ["02-b.md"])] == ["02-b"]
    with pytest.raises(RunnerError, match="chapter '07' not found .* available: 01-a, 02-b"):
        discover_chapters(chapters, "07")


# --- refusals: nothing written -----------------------------------------------------------------
def test_invalid_cohort_exit_2_lists_every_problem_and_writes_nothing(book, capsys):
    chapters, _, reports = book
    rows = enough_rows()
    rows[0]["os_event"] = "2"
    rows[1]["sex"] = "X"
    bad = write(chapters.parent, rows, name="bad.csv")
    before = listing(chapters.parent)
    code = main(
        ["run", "--cohort", str(bad), "--out", str(reports / "r"), "--chapters-dir", str(chapters)]
    )
    assert code == 2
    err = capsys.readouterr().err
    assert "bad.csv: 2 problems; nothing was run or written" in err
    assert "column sex: must be one of M, F — 1 row: line 3: 'X'" in err
    assert "column os_event: must be 0 or 1 — 1 row: line 2: 2" in err
    assert listing(chapters.parent) == before
    assert not reports.exists()


@pytest.mark.parametrize("n", [1, 3, 9])
def test_too_small_cohort_exit_2_and_writes_nothing(book, capsys, n):
    """A valid cohort of fewer than MIN_PATIENTS (10) patients is refused before any chapter
    runs: a report on it would print single patients' values as medians and survival curves."""
    chapters, _, reports = book
    small = write(chapters.parent, enough_rows(n), name="small.csv")
    before = listing(chapters.parent)
    argv = ["run", "--cohort", str(small), "--out", str(reports / "r")]
    assert main([*argv, "--chapters-dir", str(chapters)]) == 2
    err = unwrapped(capsys.readouterr().err)  # the problem wraps at 80 characters
    assert err.splitlines()[:2] == [
        "small.csv: 1 problem; nothing was run or written",
        f"  - file: has {n} patient{'s' * (n > 1)}; a report needs at least 10 [with fewer, "
        "medians, survival curves and Cox models are single patients' values, and the report "
        "would print them]",
    ]
    assert "Traceback" not in err
    assert listing(chapters.parent) == before
    assert not reports.exists()


def test_unreadable_cohort_writes_nothing(book):
    chapters, _, reports = book
    empty = chapters.parent / "empty.csv"
    empty.write_bytes(b"")
    with pytest.raises(CohortError, match="file: is empty"):
        run_book(empty, reports / "r", chapters_dir=chapters)
    assert not reports.exists()


def test_existing_report_is_not_overwritten_without_force(book, capsys):
    chapters, cohort, reports = book
    (reports / "r").mkdir(parents=True)
    (reports / "r" / "keep.txt").write_text("old", encoding="utf-8")
    code = main(
        [
            "run",
            "--cohort",
            str(cohort),
            "--out",
            str(reports / "r"),
            "--chapters-dir",
            str(chapters),
        ]
    )
    assert code == 2
    assert "is not a report written by this tool" in capsys.readouterr().err
    assert listing(reports) == ["r", "r/keep.txt"]


@pytest.mark.parametrize("inside", ["chapters", "data"])
def test_output_inside_chapters_or_data_is_refused(book, inside):
    chapters, cohort, _ = book
    from analysis import DATA_DIR

    target = (chapters if inside == "chapters" else DATA_DIR) / "report"
    with pytest.raises(RunnerError, match="reports are never written inside"):
        run_book(cohort, target, chapters_dir=chapters)
    assert not target.exists()


def test_unknown_chapter_is_a_usage_error(book, capsys):
    chapters, cohort, reports = book
    argv = [
        "run",
        "--cohort",
        str(cohort),
        "--out",
        str(reports / "r"),
        "--chapters-dir",
        str(chapters),
    ]
    assert main([*argv, "--chapters", "09"]) == 2
    assert "error: chapter '09' not found" in capsys.readouterr().err
    assert not reports.exists()


# --- execution (starts Jupyter kernels) --------------------------------------------------------
@pytest.mark.slow(seconds=18)
def test_failing_chapter_then_a_complete_deterministic_report(book, capsys):
    """A failing chapter is named with its cell and leaves no report, only NAME.failed; fixed,
    the next run publishes a complete report and removes NAME.failed; run again with --force,
    it writes the same bytes. (One test: the fixed run is the first of the two compared.)"""
    chapters, cohort, reports = book
    (chapters / "03-c.md").write_text(CHAPTER_C, encoding="utf-8")
    text = CHAPTER_B.replace("x = 1\n", FAILING)
    (chapters / "02-b.md").write_text(text, encoding="utf-8")
    line = text.splitlines().index("1 / 0") + 1
    argv = [
        "run",
        "--cohort",
        str(cohort),
        "--out",
        str(reports / "r"),
        "--chapters-dir",
        str(chapters),
        "--chapters",
        "01,02",
    ]
    assert main([*argv, "--quiet"]) == 1
    err = unwrapped(capsys.readouterr().err)
    assert (
        f"error: chapter 02-b failed in code cell 3 (chapters/02-b.md line {line}): ZeroDivisionError: division by zero"
        in err
    )
    assert not (reports / "r").exists()
    failed = reports / "r.failed"
    assert sorted(p.name for p in failed.iterdir()) == [
        ".haic-report.json",
        "01-a.ipynb",
        "02-b.ipynb",
        "FAILED.txt",
    ]
    assert "NOT a report" in (failed / "FAILED.txt").read_text(encoding="utf-8")
    assert [p.name for p in reports.iterdir()] == ["r.failed"]

    # fixed: the next run publishes the report and removes the .failed directory
    (chapters / "02-b.md").write_text(CHAPTER_B, encoding="utf-8")
    before = listing(chapters)
    assert main([*argv, "-p", "min_cell_count=10", "--quiet"]) == 0
    assert [p.name for p in reports.iterdir()] == ["r"]  # r.failed removed
    out = capsys.readouterr()
    assert "ran 2 chapters (01-a, 02-b) on mine.csv in" in out.out
    assert f"open {reports / 'r' / 'index.html'}" in unwrapped(out.out)  # wrapped at 80
    assert "[1/2] 01-a" in out.err and "[2/2] 02-b" in out.err
    report = reports / "r"
    top = sorted(p.name for p in report.iterdir())
    for name in [".haic-report.json", "01-a.ipynb", "02-b.ipynb", "index.html", "report.json"]:
        assert name in top
    assert (report / "chapters" / "01-a.html").is_file()
    assert (report / "chapters" / "02-b.html").is_file()
    assert (report / "_static").is_dir()  # the book's theme
    # the marker lists every file of the report
    marker = json.loads((report / ".haic-report.json").read_text(encoding="utf-8"))
    files = sorted(
        p.relative_to(report).as_posix()
        for p in report.rglob("*")
        if p.is_file() and p.name != ".haic-report.json"
    )
    assert sorted(marker["files"]) == files
    assert listing(chapters) == before  # nothing written into chapters/
    a = (report / "chapters" / "01-a.html").read_text(encoding="utf-8")
    # glue substituted by MyST-NB, and {ref} resolved to the chapter's title (a link)
    assert "The cohort has" in a and '<span class="pasted-text">10</span>' in a
    assert 'href="#ch-a"' in a and "Chapter A" in a
    assert "{ref}" not in a and "{glue:text}" not in a
    assert "Learning objectives" in a and "<em>Read</em>" in a
    assert "threshold 10 int" in a  # -p parsed as a YAML int and injected
    assert "load_cohort(cohort_path)" not in a  # remove-cell honoured
    assert "(ch-a)=" not in a
    b = (report / "chapters" / "02-b.html").read_text(encoding="utf-8")
    assert "cwd chapters" in b
    # references to chapters left out (03-c, the book's) are text naming them, not broken
    # links: the site builds without a warning, as the whole book must
    assert "build-warnings.txt" not in top and "warning" not in out.out
    assert "<em>Chapter C</em> (a chapter not in this report)" in b
    assert "its method (in the chapter <em>Chapter C</em>, not in this report)" in b
    assert "<em>Eligibility and staging</em> (a chapter not in this report)" in b
    # so are numbered references to their tables: the book's number, not a raw label
    assert "Table 3.1 (in the chapter <em>Chapter C</em>, not in this report)" in b
    assert "the same, table 3.1 (in the chapter <em>Chapter C</em>, not in this report)" in b
    assert "Table 2.3 (in the chapter <em>Eligibility and staging</em>, not in this report)" in b
    # inside parentheses the note takes square brackets: no "…report))" (session 117)
    omitted = '<span class="omitted-chapter">'
    assert f"(see {omitted}its method [in the chapter <em>Chapter C</em>, not in this report]" in b
    assert (
        "<em>Chapter C</em> [a chapter not in this report]</span>), then (closed) "
        f"{omitted}<em>Chapter C</em> (a chapter not in this report)</span>."
    ) in b
    assert "tbl-" not in b.replace('id="tbl-', "")
    glossary = (report / "book" / "glossary.html").read_text(encoding="utf-8")
    assert "see <span" in glossary and "<em>Eligibility and staging</em>" in glossary
    assert "#ch-" not in b + glossary
    manifest = json.loads((report / "report.json").read_text(encoding="utf-8"))
    assert manifest["chapters"] == ["01-a", "02-b"]
    assert manifest["parameters"] == {"min_cell_count": 10}
    assert manifest["cohort"] == "mine.csv"
    index = (report / "index.html").read_text(encoding="utf-8")
    assert 'href="chapters/01-a.html"' in index and '<a href="02-b.ipynb">notebook</a>' in index
    # the cohort's absolute path (a user's home or institution) appears in no report file
    folder = str(cohort.resolve().parent)
    text_files = [p for p in report.rglob("*") if p.suffix in (".html", ".ipynb", ".json", ".js")]
    leaked = [p.name for p in text_files if folder in p.read_text(encoding="utf-8")]
    assert not leaked, f"absolute cohort path written into {leaked}"
    nb = json.loads((report / "01-a.ipynb").read_text(encoding="utf-8"))
    assert "start_time" not in nb["metadata"]["papermill"]
    # -p min_cell_count went to 01-a only: 02-b has no such parameter (papermill warned of it)
    nb_b = json.loads((report / "02-b.ipynb").read_text(encoding="utf-8"))
    assert nb_b["metadata"]["papermill"]["parameters"] == {"cohort_path": "mine.csv"}

    def contents():
        return {
            p.relative_to(report).as_posix(): p.read_bytes()
            for p in report.rglob("*")
            if p.is_file()
        }

    first = contents()

    # a second run with --force replaces the report and produces the same bytes; its site is
    # built by a launched jupyter-book (the first one's was forked): another hash seed
    with proc_fork.launched():
        assert main([*argv, "-p", "min_cell_count=10", "--quiet", "--force"]) == 0
    second = contents()
    assert sorted(second) == sorted(first)
    assert [k for k in first if first[k] != second[k]] == []
    assert [p.name for p in reports.iterdir()] == ["r"]  # no temporary directories left


#: A figure small enough to be written into a chapter (a 4 px dot).
DOT = (
    "data:image/svg+xml;base64,PHN2ZyB4bWxucz0iaHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmciIHdpZHRoPSI0"
    "IiBoZWlnaHQ9IjQiPjxjaXJjbGUgY3g9IjIiIGN5PSIyIiByPSIyIi8+PC9zdmc+"
)


def numbered_chapter(letter: str, refs: str = "") -> str:
    """A chapter with a section, a captioned table and a captioned figure (numbered by Sphinx)."""
    return HEAD + textwrap.dedent(
        f"""
        (ch-{letter})=
        # Chapter {letter.upper()}

        ```{{code-cell}} ipython3
        :tags: [parameters]
        cohort_path = None
        ```

        ## Counts of {letter}

        ```{{table}} Counts of {letter}
        :name: tbl-{letter}

        | a | b |
        |---|---|
        | 1 | 2 |
        ```

        ```{{figure}} {DOT}
        :name: fig-{letter}

        A dot of {letter}
        ```

        {refs}
        """
    )


@pytest.mark.slow(seconds=5)
def test_a_report_of_some_chapters_keeps_the_books_numbers(book):
    """Chapters 2 and 3 alone: Sphinx numbered them 1 and 2 (chapter 3's table "Table 2.1",
    not the book's 3.1), so a number quoted from the report named another place in the book.
    They keep the book's numbers: headings, navigation, figures, tables and references."""
    chapters, cohort, reports = book
    refs = "See {numref}`tbl-b`, {numref}`fig-b`, {numref}`tbl-c` and {ref}`ch-c`."
    (chapters / "02-b.md").write_text(numbered_chapter("b", refs), encoding="utf-8")
    (chapters / "03-c.md").write_text(numbered_chapter("c"), encoding="utf-8")
    run = run_book(cohort, reports / "r", chapters="02,03", chapters_dir=chapters, progress=False)
    assert run.warnings == []  # as strict as the book's build
    b = (run.out / "chapters" / "02-b.html").read_text(encoding="utf-8")
    c = (run.out / "chapters" / "03-c.html").read_text(encoding="utf-8")
    for page, n, letter in ((b, 2, "b"), (c, 3, "c")):
        assert f'<span class="section-number">{n}. </span>Chapter {letter.upper()}' in page
        assert f'<span class="section-number">{n}.1. </span>Counts of {letter}' in page
        assert f'<span class="caption-number">Table {n}.1 </span>' in page
        assert f'<span class="caption-number">Fig. {n}.1 </span>' in page
        assert 'section-number">1.' not in page
        assert "Table 1." not in page and "Fig. 1." not in page
        # the navigation (and the previous/next links, the page's title) number as the book
        text = re.sub(r"<[^>]+>", "", page)
        assert "2. Chapter B" in text and "3. Chapter C" in text
    assert '<span class="std std-numref">Table 2.1</span>' in b
    assert '<span class="std std-numref">Fig. 2.1</span>' in b
    assert '<span class="std std-numref">Table 3.1</span>' in b  # the other chapter's table
    # a {ref} to chapter 3: its number after its words, for print
    assert '<span class="print-secnum"> (chapter 3)</span></a>' in b
    index = (run.out / "index.html").read_text(encoding="utf-8")
    assert "3. Chapter C" in re.sub(r"<[^>]+>", "", index)


def test_the_book_numbers_its_chapters_by_their_files():
    """A report numbers a chapter by its file's prefix (06-survival is chapter 6); that is the
    book's number only while _toc.yml lists the chapters in file order in numbered parts."""
    toc = yaml.safe_load((REPO_ROOT / "_toc.yml").read_text(encoding="utf-8"))
    numbered = [
        entry["file"] for part in toc["parts"] if part.get("numbered") for entry in part["chapters"]
    ]
    assert numbered == [f"chapters/{p.stem}" for p in discover_chapters()]
    assert [int(Path(f).name[:2]) for f in numbered] == list(range(1, len(numbered) + 1))


def test_unknown_parameter_is_refused_before_anything_runs(book, capsys):
    chapters, cohort, reports = book
    argv = ["run", "--cohort", str(cohort), "--out", str(reports / "typo")]
    argv += ["--chapters-dir", str(chapters), "-p", "min_cel_count=3", "--quiet"]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert "-p min_cel_count: no selected chapter has this parameter" in err
    assert "min_cell_count" in err  # the known names are listed
    assert not (reports / "typo").exists()


def test_site_build_failure_keeps_notebooks_and_log_marked_failed(tmp_path):
    """A failing jupyter-book build: NAME.failed with the notebooks, build-log.txt, FAILED.txt."""
    from analysis.runner import MARKER_NAME, SiteBuildFailed, _Failure, _keep_failed, _Workspace

    out = tmp_path / "reports" / "r"
    work = _Workspace(out)
    work.add("01-a.ipynb").write_text("{}", encoding="utf-8")
    failure = _Failure("jupyter-book build", 0, None, "ERROR: boom", log_text="the log")
    failed = _keep_failed(work, out.with_name("r.failed"), failure, lambda text: text)
    assert failed == tmp_path / "reports" / "r.failed"
    assert sorted(p.name for p in failed.iterdir()) == [
        MARKER_NAME,
        "01-a.ipynb",
        "FAILED.txt",
        "build-log.txt",
    ]
    marker = json.loads((failed / MARKER_NAME).read_text(encoding="utf-8"))
    assert marker["state"] == "failed" and "pid" not in marker
    assert "could not be built (ERROR: boom)" in (failed / "FAILED.txt").read_text(encoding="utf-8")
    error = SiteBuildFailed(failure.chapter, 0, None, failure.error, failed)
    assert str(error).startswith("the report's site could not be built with jupyter-book: ERROR")
    assert [p.name for p in (tmp_path / "reports").iterdir()] == ["r.failed"]


# --- site-build folders left by a killed run -------------------------------------------------
def _owner(path, **fields):
    """A build folder ``path`` with an owner file of this host (fields override)."""
    from analysis.runner import BUILD_MARKER_NAME, _build_owner

    path.mkdir()
    owner = {**_build_owner(), **fields}
    (path / BUILD_MARKER_NAME).write_text(json.dumps(owner), encoding="utf-8")
    return path


def _dead_pid():
    """The id of a process that has ended (a child, waited for): a fork of this process that
    exits at once (a new interpreter's ``-c pass`` cost about 0.04 CPU-s, eight times a test)."""
    import os

    pid = os.fork()
    if pid == 0:
        os._exit(0)
    os.waitpid(pid, 0)
    return pid


def test_stale_build_folders_of_dead_runs_go_and_nothing_else(tmp_path):
    import os

    from analysis.runner import BUILD_MARKER_NAME, remove_stale_build_dirs

    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "keep.txt").write_text("the user's", encoding="utf-8")
    root = tmp_path / "tmp"
    root.mkdir()
    dead = _owner(root / "haic-report-build-dead0001", pid=_dead_pid())
    (dead / "_build" / "html").mkdir(parents=True)
    (dead / "_build" / "html" / "index.html").write_text("<p>", encoding="utf-8")
    (dead / "link").symlink_to(outside, target_is_directory=True)  # removed, not followed
    reused = _owner(root / "haic-report-build-reuse001", started=1)  # our id, another start
    rebooted = _owner(root / "haic-report-build-boot0001", boot_id="another-boot")
    claimed = _owner(root / "haic-report-build-half0001.stale", pid=_dead_pid())
    survivors = [
        _owner(root / "haic-report-build-live0001"),  # this process: alive
        _owner(root / "haic-report-build-host0001", pid=_dead_pid(), host="elsewhere"),
        _owner(root / "haic-report-build-name0001-x", pid=_dead_pid()),  # not mkdtemp's name
        _owner(root / "haic-report-build-nost0001", pid=1, started=None),  # alive, unprovable
        _owner(root / "haic-report-build-form0001", pid=_dead_pid(), format="other"),
        _owner(root / "haic-report-build-bool0001", pid=True),
        # another PID namespace (a container sharing /tmp): its id means nothing here
        _owner(root / "haic-report-build-nspc0001", pid=_dead_pid(), pid_ns="pid:[1]"),
        _owner(root / "haic-report-build-nons0001", pid=_dead_pid(), pid_ns=None),
    ]
    bare = root / "haic-report-build-bare0001"  # no owner file: somebody's, or unprovable
    bare.mkdir()
    (bare / "x").write_text("x", encoding="utf-8")
    broken = root / "haic-report-build-json0001"
    broken.mkdir()
    (broken / BUILD_MARKER_NAME).write_text("{not json", encoding="utf-8")
    link = root / "haic-report-build-link0001"
    link.symlink_to(_owner(tmp_path / "target", pid=_dead_pid()), target_is_directory=True)
    mine = root / "unrelated"
    mine.mkdir()

    removed = remove_stale_build_dirs(root)

    assert sorted(p.name for p in removed) == sorted(
        p.name for p in (dead, reused, rebooted, claimed)
    )
    assert sorted(os.listdir(root)) == sorted(
        [p.name for p in survivors] + [bare.name, broken.name, link.name, "unrelated"]
    )
    assert (outside / "keep.txt").exists() and (tmp_path / "target" / BUILD_MARKER_NAME).exists()
    assert (bare / "x").exists()
    assert remove_stale_build_dirs(root) == []  # nothing more to do
    assert remove_stale_build_dirs(tmp_path / "absent") == []


def test_a_sigkilled_runs_build_folder_survives_while_it_lives_and_goes_after(tmp_path):
    """The real thing: a process makes its build folder the way run_book does and is killed
    with SIGKILL; the folder is kept while the process lives and removed once it is dead. The
    process is a fork of this one, which has imported analysis.runner (a new interpreter
    importing it cost about 0.9 CPU-s): its own id and start time, as a run's."""
    import os
    import signal
    import tempfile
    import time
    import traceback

    from analysis.runner import BUILD_MARKER_NAME, _make_build_dir, remove_stale_build_dirs

    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:  # the run: its build folder, then it waits to be killed
        try:
            os.close(r)
            tempfile.tempdir = str(tmp_path)
            os.write(w, str(_make_build_dir()).encode() + b"\n")
            os.close(w)
            time.sleep(60)
        except BaseException:
            traceback.print_exc()
        finally:
            os._exit(1)
    os.close(w)
    try:
        with os.fdopen(r, "rb") as reader:
            folder = Path(reader.readline().decode().strip())
        assert folder.parent == tmp_path and folder.name.startswith("haic-report-build-")
        assert json.loads((folder / BUILD_MARKER_NAME).read_text())["pid"] == pid
        (folder / "partial.ipynb").write_text("{}", encoding="utf-8")
        assert remove_stale_build_dirs(tmp_path) == [] and folder.exists()  # alive: kept
    finally:
        os.kill(pid, signal.SIGKILL)
        _, status = os.waitpid(pid, 0)
    assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL
    assert remove_stale_build_dirs(tmp_path) == [folder]
    assert list(tmp_path.iterdir()) == []


def test_a_report_another_run_wrote_during_this_one_is_not_replaced_without_force(tmp_path):
    """Two runs into the same new --out: both pass the check at the start (nothing there);
    the second to finish replaced the first's report without --force (each printed ``open
    …/index.html``, one of them now another cohort's report). Without --force only an empty
    folder is replaced at the swap."""
    from analysis.runner import _digests, _publish, _Workspace

    out = tmp_path / "reports" / "r"

    def report(text):
        work = _Workspace(out)
        work.add("index.html").write_text(text, encoding="utf-8")
        work.write_marker("complete", sha256=_digests(work.dir, work.files))
        return work.dir

    first, second = report("first"), report("second")
    out.mkdir()  # an empty folder is still replaced without --force
    _publish(first, out, force=False)
    with pytest.raises(RunnerError, match="another run wrote a report there while this one ran"):
        _publish(second, out, force=False)
    assert (out / "index.html").read_text(encoding="utf-8") == "first" and second.is_dir()
    _publish(second, out, force=True)
    assert (out / "index.html").read_text(encoding="utf-8") == "second"
    assert [p.name for p in out.parent.iterdir()] == ["r"]


def test_a_link_swapped_in_for_a_claimed_build_folder_is_never_followed(tmp_path, monkeypatch):
    """The temporary directory may lack the sticky bit: anyone may rename the claimed folder
    of a dead run and put a symbolic link to a folder of the user's in its place between the
    check and the deletion. The deletion works on the folder as opened, so nothing behind the
    link is deleted and the link stays."""
    import os

    from analysis.runner import remove_stale_build_dirs

    victim = tmp_path / "victim"
    (victim / "sub").mkdir(parents=True)
    (victim / "keep.txt").write_text("the user's", encoding="utf-8")
    (victim / "sub" / "x.txt").write_text("the user's", encoding="utf-8")
    root = tmp_path / "tmp"
    root.mkdir()
    dead = _owner(root / "haic-report-build-race0001", pid=2**31 - 1)
    (dead / "junk.ipynb").write_text("{}", encoding="utf-8")
    claimed = root / (dead.name + ".stale")
    real_listdir, swapped = os.listdir, []

    def listdir(target="."):
        if not swapped and target not in (root, str(root)):  # the claimed folder is listed
            os.rename(claimed, tmp_path / "moved")
            os.symlink(victim, claimed)
            swapped.append(target)
        return real_listdir(target)

    monkeypatch.setattr(os, "listdir", listdir)
    removed = remove_stale_build_dirs(root)
    monkeypatch.undo()
    assert swapped and removed == []
    assert sorted(os.listdir(victim)) == ["keep.txt", "sub"] and (victim / "sub" / "x.txt").exists()
    assert claimed.is_symlink()


def test_a_link_swapped_in_for_a_stale_partial_report_is_never_followed(tmp_path, monkeypatch):
    """The same for a dead run's hidden ``.NAME.partial-*`` folder (a shared reports folder):
    swapped for a link to a folder holding files of the same names just before the first
    file is deleted, nothing behind the link is deleted."""
    import os
    import socket

    from analysis.runner import MARKER_NAME, remove_stale_partials

    names = ["01-data.ipynb", "index.html"]
    partial = tmp_path / ".mine.partial-1-x"
    victim = tmp_path / "victim"
    for folder in (partial, victim):
        folder.mkdir()
        for name in names:
            (folder / name).write_text("{}", encoding="utf-8")
    marker = {"format": "haic-report", "version": 1, "state": "partial", "files": names,
              "host": socket.gethostname(), "pid": 2**31 - 1}  # fmt: skip
    (partial / MARKER_NAME).write_text(json.dumps(marker), encoding="utf-8")
    real_unlink, swapped = os.unlink, []

    def unlink(path, *, dir_fd=None):
        if not swapped:
            os.rename(partial, tmp_path / "moved")
            os.symlink(victim, partial)
            swapped.append(path)
        return real_unlink(path, dir_fd=dir_fd)

    monkeypatch.setattr(os, "unlink", unlink)
    removed = remove_stale_partials(tmp_path)
    monkeypatch.undo()
    assert swapped and removed == []
    assert sorted(os.listdir(victim)) == names and partial.is_symlink()


def test_a_live_runs_build_folder_in_another_pid_namespace_is_kept(tmp_path):
    """A run in another PID namespace (a container or ``unshare -p`` sharing the temporary
    directory and the host name) writes an id that names another process here, or none: its
    live folder was removed as a dead run's. Needs unprivileged user namespaces."""
    import os
    import shutil
    import subprocess
    import sys

    from analysis.runner import BUILD_MARKER_NAME, remove_stale_build_dirs

    if shutil.which("unshare") is None:
        pytest.skip("no unshare")
    probe = subprocess.run(["unshare", "-Urpf", "true"], capture_output=True, check=False)
    if probe.returncode != 0:
        pytest.skip("no unprivileged PID namespaces here")
    code = (
        "import sys, tempfile, time; tempfile.tempdir = sys.argv[1]\n"
        "from analysis.runner import _make_build_dir\n"
        "print(_make_build_dir(), flush=True); sys.stdin.read()\n"
    )
    child = subprocess.Popen(
        ["unshare", "-Urpf", "--kill-child", "--mount-proc", sys.executable, "-c", code]
        + [str(tmp_path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])},
    )
    try:
        folder = Path(child.stdout.readline().strip())
        assert json.loads((folder / BUILD_MARKER_NAME).read_text())["pid"] != child.pid
        assert remove_stale_build_dirs(tmp_path) == [] and folder.exists()
    finally:
        child.stdin.close()  # the child reads to the end, then exits
        child.wait(timeout=30)
        child.stdout.close()


def test_run_book_removes_dead_build_folders_and_cleans_up_when_it_cannot_make_its_own(
    book, tmp_path, monkeypatch
):
    """run_book clears dead runs' build folders before making its own; when making its own
    fails (a full disk), its hidden workspace is removed too and nothing else is touched."""
    import errno
    import tempfile

    import analysis.runner as runner

    chapters, cohort, reports = book
    temp = tmp_path / "tmp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    stale = _owner(temp / "haic-report-build-kill0001", pid=_dead_pid())
    live = _owner(temp / "haic-report-build-live0001")

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(runner, "_make_build_dir", full)
    with pytest.raises(OSError):
        run_book(cohort, reports / "r", chapters_dir=chapters, progress=False)
    assert not stale.exists() and live.exists()
    assert not reports.exists()  # the workspace, and the folder made for it, went too


def test_run_book_says_which_empty_columns_it_ignored(book, monkeypatch):
    """A cohort saved by a spreadsheet with unused columns at the right: run reads it and says
    so in one line (stopped here, before any chapter, by a failing build folder)."""
    import io

    import analysis.runner as runner

    chapters, cohort, reports = book
    lines = cohort.read_text(encoding="utf-8").splitlines()
    cohort.write_text("\n".join(line + ",," for line in lines) + "\n", encoding="utf-8")

    def stop(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(runner, "_make_build_dir", stop)
    log = io.StringIO()
    with pytest.raises(OSError):
        run_book(cohort, reports / "r", chapters_dir=chapters, progress=False, log=log)
    assert log.getvalue() == (
        "note: mine.csv: ignored 2 empty columns (the last 2 columns, after pfs_event): no name "
        "in the header and no value in any row, as a spreadsheet saves unused columns\n"
    )


def test_a_partial_report_of_another_pid_namespace_is_kept(tmp_path):
    """A run in a container (another PID namespace) records pids of its namespace: a pid that
    looks dead here may be that live run's, so its partial report stays; the same marker from
    this namespace, or one written before namespaces were recorded, is a dead run's and goes."""
    import socket

    from analysis.runner import MARKER_NAME, _pid_namespace, remove_stale_partials

    def partial(name, **fields):
        path = tmp_path / f".{name}.partial-1-x"
        path.mkdir()
        (path / "01-data.ipynb").write_text("{}", encoding="utf-8")
        marker = {"format": "haic-report", "version": 1, "state": "partial",
                  "files": ["01-data.ipynb"], "host": socket.gethostname(), "pid": 2**31 - 1,
                  **fields}  # fmt: skip
        (path / MARKER_NAME).write_text(json.dumps(marker), encoding="utf-8")
        return path

    other = partial("other", pid_ns="pid:[1]")
    here = partial("here", pid_ns=_pid_namespace())
    old = partial("old")
    removed = {p.name for p in remove_stale_partials(tmp_path)}
    assert removed == {here.name, old.name}
    assert other.is_dir() and (other / "01-data.ipynb").is_file()


def test_the_summary_counts_the_site_build_warnings_and_names_their_file():
    """Reports are built without Sphinx's -W (a warning must not discard a user's report): the
    last lines of ``run`` say how many warnings there were and where they are."""
    from analysis.runner import BookRun, ChapterRun

    run = BookRun(Path("reports/mine"), "mine.csv", [ChapterRun("06-survival", "a", "b", 1.0)])
    assert "warning" not in run.summary()
    run.warnings = ["WARNING: a", "WARNING: b"]
    lines = run.summary().splitlines()
    assert lines[-2:] == [
        "2 site build warnings (see reports/mine/build-warnings.txt)",
        "open reports/mine/index.html",
    ]
    run.warnings = ["WARNING: a"]
    assert "1 site build warning (see" in run.summary()


def test_the_summary_quotes_a_path_a_shell_would_split():
    """``open /tmp/x/out dir ü/A/index.html`` could not be pasted into a shell."""
    from analysis.runner import BookRun, ChapterRun

    run = BookRun(
        Path("/tmp/x/out dir ü/A"), "mine.csv", [ChapterRun("06-survival", "a", "b", 1.0)]
    )
    run.warnings = ["WARNING: a"]
    assert run.summary().splitlines()[-2:] == [
        "1 site build warning (see '/tmp/x/out dir ü/A/build-warnings.txt')",
        "open '/tmp/x/out dir ü/A/index.html'",
    ]
    assert (
        BookRun(Path("reports/mine"), "m.csv").summary().endswith("\nopen reports/mine/index.html")
    )


def test_the_terminal_closing_stops_a_run_with_its_cleanup():
    """SIGHUP (an ssh session that drops) ended a run at once and left its hidden partial
    folder and its site-build folder (measured); it now stops it as Ctrl-C does (exit 129)."""
    import os
    import signal

    from analysis.runner import RunInterrupted, signals_raise

    seen = []
    before = signal.signal(signal.SIGHUP, lambda signum, frame: seen.append(signum))
    try:
        with pytest.raises(RunInterrupted) as info, signals_raise():
            os.kill(os.getpid(), signal.SIGHUP)
            for _ in range(1000):  # the handler runs between two bytecodes
                pass
        assert info.value.signum == signal.SIGHUP and seen == []
        assert str(info.value).startswith("interrupted by SIGHUP: no report written")
    finally:
        signal.signal(signal.SIGHUP, before)


def test_a_run_under_nohup_survives_the_terminal_closing():
    """``nohup python -m analysis run ...`` starts with SIGHUP ignored: the run's own handler
    replaced that, so a dropped ssh session stopped a run the user had protected from it."""
    import os
    import signal

    from analysis.runner import signals_raise

    before = signal.signal(signal.SIGHUP, signal.SIG_IGN)  # as nohup leaves it
    try:
        with signals_raise():
            assert signal.getsignal(signal.SIGHUP) is signal.SIG_IGN
            os.kill(os.getpid(), signal.SIGHUP)
            for _ in range(1000):  # a handler would run between two bytecodes
                pass
            assert (
                signal.getsignal(signal.SIGTERM) is not signal.SIG_IGN
            )  # the others still stop it
        assert signal.getsignal(signal.SIGHUP) is signal.SIG_IGN
    finally:
        signal.signal(signal.SIGHUP, before)


def interrupted_build(build_root, notebooks, index_md, **kwargs):
    """A site build that a Ctrl-C (SIGINT) stops: the signal is sent to this process, and its
    handler runs between two bytecodes of the loop."""
    os.kill(os.getpid(), signal.SIGINT)
    for _ in range(1000):
        pass
    raise AssertionError("the signal did not stop the build")


def kernel_free(monkeypatch, build_site=None):
    """run_book without a kernel or jupyter-book: each chapter "executes" as written, the site
    is one index.html (``build_site`` may replace that step)."""
    import nbformat
    import papermill

    import analysis.runner as runner

    def execute(nb_in, target, **kwargs):
        nbformat.write(nb_in, target)
        return nb_in

    def site(build_root, notebooks, index_md, **kwargs):
        html = build_root / "_build" / "html"
        html.mkdir(parents=True)
        (html / "index.html").write_text("<html></html>", encoding="utf-8")
        return html, []

    monkeypatch.setattr(papermill, "execute_notebook", execute)
    monkeypatch.setattr(runner, "_build_site", build_site or site)


def test_a_signal_after_the_report_is_published_says_it_was_written(book, monkeypatch):
    """A Ctrl-C as the report was swapped into place was ignored (exit 0, as if none came), and
    one just after it said "no report written (partial output removed)" of a complete report;
    it is now recorded and said once the report is in place: interrupted, report written."""
    import os
    import signal

    import analysis.runner as runner

    chapters, cohort, reports = book
    kernel_free(monkeypatch)
    publish = runner._publish

    def publish_then_interrupt(partial, out, **kwargs):
        publish(partial, out, **kwargs)
        os.kill(os.getpid(), signal.SIGINT)
        for _ in range(1000):  # the handler runs between two bytecodes
            pass

    monkeypatch.setattr(runner, "_publish", publish_then_interrupt)
    out = reports / "r"
    with pytest.raises(runner.RunInterrupted) as info:
        run_book(cohort, out, chapters_dir=chapters, progress=False)
    assert info.value.signum == signal.SIGINT and info.value.written == out
    assert str(info.value) == (
        f"interrupted by SIGINT after the report was complete: it was written, open {out}/index.html"
    )
    assert (out / "index.html").is_file() and runner._read_marker(out)["state"] == "complete"
    assert sorted(p.name for p in reports.iterdir()) == ["r"]  # no partial, no .failed


def test_a_signal_during_the_site_build_removes_the_partial_report(book, monkeypatch):
    """A Ctrl-C in the last step (``[site] jupyter-book build``) ends as one in a chapter:
    RunInterrupted, nothing left in the reports folder."""

    import analysis.runner as runner

    chapters, cohort, reports = book

    kernel_free(monkeypatch, interrupted_build)
    with pytest.raises(runner.RunInterrupted) as info:
        run_book(cohort, reports / "r", chapters_dir=chapters, progress=False)
    assert info.value.written is None and "no report written" in str(info.value)
    assert not reports.exists() or list(reports.iterdir()) == []


def test_an_interrupted_site_build_is_waited_for_before_its_folder_goes(tmp_path, monkeypatch):
    """A Ctrl-C during ``[site] jupyter-book build`` killed the build without waiting for it
    (subprocess.run does not, on KeyboardInterrupt): the dying build could still write into its
    folder as run_book removed it, and a ``haic-report-build-*`` folder was left (measured)."""
    import io
    import subprocess

    import analysis.runner as runner

    calls = []

    class Build:
        def __init__(self, *args, **kwargs):
            self.returncode = None

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def communicate(self, *args, **kwargs):
            calls.append("communicate")
            raise KeyboardInterrupt

        def kill(self):
            calls.append("kill")

        def wait(self, timeout=None):
            calls.append("wait")
            self.returncode = -9
            return -9

        def _wait(self, timeout=None):  # subprocess.run's own short wait on a Ctrl-C
            return self.wait(timeout)

        def poll(self):
            return self.returncode

    monkeypatch.setattr(subprocess, "Popen", Build)
    with pytest.raises(KeyboardInterrupt):
        runner._build_site(tmp_path, {}, "# r\n", user_cohort=False, log=io.StringIO())
    assert calls[:2] == ["communicate", "kill"] and "wait" in calls[2:]


def test_a_site_build_past_its_time_limit_is_one_line_exit_1(book, monkeypatch, capsys):
    """A jupyter-book build that outlived ``SITE_BUILD_TIMEOUT_S`` ended ``run`` in a
    TimeoutExpired traceback. It is now a failed build like any other: one line, exit 1, no
    report at --out (the executed notebooks and what the build printed are in OUT.failed), the
    build killed and waited for, its temporary folder gone."""
    import subprocess

    import analysis.runner as runner

    chapters, cohort, reports = book
    kernel_free(monkeypatch, runner._build_site)
    calls, roots = [], []

    class SlowBuild:
        def __init__(self, command, **kwargs):
            roots.append(Path(kwargs["cwd"]))
            self.returncode = None

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def communicate(self, timeout=None):
            calls.append(("communicate", timeout))
            if timeout is not None:
                raise subprocess.TimeoutExpired("jupyter-book", timeout)
            self.returncode = -9
            return "Running Jupyter-Book\nreading sources... [ 50%] chapters/01-a\n", ""

        def kill(self):
            calls.append(("kill", None))

        def wait(self, timeout=None):
            self.returncode = -9
            return -9

        def poll(self):
            return self.returncode

    popen = subprocess.Popen

    def only_the_build(command, **kwargs):  # anything else (pandoc --version) runs as it is
        return SlowBuild(command, **kwargs) if "build" in command else popen(command, **kwargs)

    monkeypatch.setattr(subprocess, "Popen", only_the_build)
    out = reports / "r"
    code = main(["run", "--cohort", str(cohort), "--out", str(out), "--chapters-dir",
                 str(chapters), "--quiet"])  # fmt: skip
    stdout, err = capsys.readouterr()
    err = unwrapped(err)  # one message, wrapped at 80 columns
    assert code == 1 and "Traceback" not in stdout + err
    [message] = [ln for ln in err.splitlines() if ln.startswith("error:")]
    assert message == (
        f"error: the report's site could not be built with jupyter-book: it took longer than "
        f"{runner.SITE_BUILD_TIMEOUT_S:g} s and was stopped; no report written; the executed "
        f"notebooks and build-log.txt are in {out.with_name('r.failed')}"
    )
    assert calls == [
        ("communicate", runner.SITE_BUILD_TIMEOUT_S), ("kill", None), ("communicate", None)
    ]  # fmt: skip
    assert not out.exists() and sorted(p.name for p in reports.iterdir()) == ["r.failed"]
    log = (reports / "r.failed" / "build-log.txt").read_text(encoding="utf-8")
    assert "reading sources... [ 50%]" in log
    assert roots and not roots[0].exists()  # the build folder went


def test_a_build_folder_left_with_only_a_kernel_file_goes_after_a_day(tmp_path):
    """An interrupted run left ``haic-report-build-*`` folders holding only a kernel connection
    file (``drwx-----T``, no owner file: the kernel, still starting, wrote it after the run had
    removed its folder), and no later run removed them: without an owner file nothing proved
    them dead. Now such a folder of this user goes once it and its files are a day old, if it
    holds nothing but ``kernel-<hex>.json`` files; anything else in it, a newer file, a link,
    another name, keeps it."""
    import os
    import time

    from analysis.runner import remove_stale_build_dirs

    root = tmp_path / "tmp"
    root.mkdir()
    kernel = "kernel-" + "0123456789abcdef" * 2 + ".json"
    day_ago = time.time() - 25 * 3600

    def folder(name, files=(kernel,), *, age=day_ago, folder_age=None):
        path = root / f"haic-report-build-{name}"
        path.mkdir()
        for file in files:
            (path / file).write_text('{"key": "x"}', encoding="utf-8")
            os.utime(path / file, (age, age))
        stamp = age if folder_age is None else folder_age
        os.utime(path, (stamp, stamp))
        return path

    outside = tmp_path / "outside.json"
    outside.write_text("the user's", encoding="utf-8")
    gone = [folder("kern0001"), folder("kern0002", (kernel, kernel.replace("0", "f"))),
            folder("empt0001", ())]  # fmt: skip
    kept = [
        folder("new00001", age=time.time()),  # a day has not passed
        folder("newd0001", folder_age=time.time()),  # the folder itself changed since
        folder("more0001", (kernel, "index.md")),  # something else in it
        folder("name0001", ("kernel-1.json",)),  # not the name our kernels get
        _owner(root / "haic-report-build-live0001"),  # a live run's (this process)
    ]
    link = folder("link0001", ())
    (link / kernel).symlink_to(outside)
    os.utime(link, (day_ago, day_ago))
    kept.append(link)
    other = root / "haic-report-build-x"  # not mkdtemp's name
    other.mkdir()
    os.utime(other, (day_ago, day_ago))
    kept.append(other)

    removed = remove_stale_build_dirs(root)

    assert sorted(p.name for p in removed) == sorted(p.name for p in gone)
    assert sorted(p.name for p in root.iterdir()) == sorted(p.name for p in kept)
    assert outside.read_text(encoding="utf-8") == "the user's"
    assert (root / "haic-report-build-more0001" / "index.md").exists()
    assert remove_stale_build_dirs(root) == []


def test_a_kernel_still_starting_when_a_run_stops_is_ended_before_its_folder_goes(
    book, tmp_path, monkeypatch
):
    """A Ctrl-C 0.2-0.5 s into a chapter (its kernel launched, not yet answering) left a
    ``haic-report-build-*`` folder holding only the kernel's connection file: nbclient does not
    shut down a kernel it has not finished starting; the kernel, starting up after the run had
    removed the folder, found its file gone and wrote it again. The run now kills and waits
    for every kernel it launched before it removes the folder."""
    import asyncio
    import concurrent.futures
    import tempfile
    import time

    import papermill
    from jupyter_client import launcher
    from jupyter_client.provisioning import local_provisioner

    chapters, cohort, reports = book
    temp = tmp_path / "tmp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    # a kernel process of this run's own, as a user's run launches it (not forked from the
    # tests' zygote, conftest.forked_kernels): this test is about that process's end
    monkeypatch.setattr(local_provisioner, "launch_kernel", launcher.launch_kernel)
    processes = []

    def interrupted(nb_in, target, *, kernel_manager_class, **kwargs):
        manager = kernel_manager_class(kernel_name="python3")
        # launched; a kernel takes a second to answer. In a thread of its own: a test worker
        # whose session-wide browser (Playwright) is open has an event loop running in this one
        with concurrent.futures.ThreadPoolExecutor(1) as pool:
            pool.submit(asyncio.run, manager.start_kernel()).result()
        processes.append(manager.provisioner.process)
        raise KeyboardInterrupt

    monkeypatch.setattr(papermill, "execute_notebook", interrupted)
    with pytest.raises(KeyboardInterrupt):
        run_book(cohort, reports / "r", chapters_dir=chapters, progress=False)
    [process] = processes
    assert process.poll() is not None  # ended, and waited for
    time.sleep(3)  # what the kernel would have written by now
    assert list(temp.iterdir()) == []
    assert not reports.exists() or list(reports.iterdir()) == []


@pytest.mark.slow(seconds=5)
@pytest.mark.parametrize(
    "change",
    [
        "p.write_bytes(p.read_bytes().replace(b'\\n', b'\\r\\n'))  # still valid, other bytes\n",
        "p.unlink()  # moved away or deleted: no longer the file validated\n",
    ],
    ids=["saved-again", "deleted"],
)
def test_a_cohort_saved_again_while_the_chapters_run_writes_no_report(book, capsys, change):
    """Hostile pass (session 115): the cohort file saved again between the validation and the
    end of the chapters (a spreadsheet still open on it; or the file moved away: "deleted")
    gave a report whose report.json and
    index named the SHA-256 of the file validated and whose tables held the numbers of the other
    (chapter 4: mean age 75.5 beside a digest of the cohort of 60.5). Refused, nothing
    written."""
    chapters, cohort, reports = book
    saves = CHAPTER_B.replace(
        "x = 1\n",
        "from pathlib import Path\np = Path(cohort_path)\n" + change,
    )
    (chapters / "02-b.md").write_text(saves, encoding="utf-8")
    argv = ["run", "--cohort", str(cohort), "--out", str(reports / "r"), "--quiet"]
    assert main([*argv, "--chapters-dir", str(chapters)]) == 2
    err = capsys.readouterr().err
    assert "error: --cohort mine.csv changed while the chapters ran; nothing was written" in err
    assert "Traceback" not in err
    assert not reports.exists() or listing(reports) == []


@pytest.mark.slow(seconds=6)
def test_a_kernel_that_dies_as_it_starts_is_started_again_on_unix_sockets(book, monkeypatch):
    """A fresh-clone ``make test`` failed once: a chapter's kernel "died before replying to
    kernel_info" as the book's build and the other test worker started kernels beside it
    (jupyter_client picks free TCP ports by opening and closing them; another process can take
    one first). A run's kernels now listen on Unix sockets in the run's private folder, and a
    kernel that dies as it starts (no cell has run) is started again, up to three times; any
    other failure is not retried."""
    import papermill

    chapters, cohort, reports = book
    real = papermill.execute_notebook
    calls = []

    def dies_first(nb_in, target, *, kernel_manager_class, **kwargs):
        calls.append(kernel_manager_class)
        if len(calls) == 1:
            raise RuntimeError("Kernel died before replying to kernel_info")
        return real(nb_in, target, kernel_manager_class=kernel_manager_class, **kwargs)

    transports = []
    original_write = None

    def spy(self, **kw):
        original_write(self, **kw)
        info = json.loads(Path(self.connection_file).read_text(encoding="utf-8"))
        transports.append((info["transport"], Path(info["ip"]).parent.name))

    from jupyter_client.connect import ConnectionFileMixin

    original_write = ConnectionFileMixin.write_connection_file
    monkeypatch.setattr(ConnectionFileMixin, "write_connection_file", spy)
    monkeypatch.setattr(papermill, "execute_notebook", dies_first)
    run = run_book(cohort, reports / "r", chapters="01", chapters_dir=chapters, progress=False)
    assert [c.name for c in run.chapters] == ["01-a"]
    assert len(calls) == 2  # the first start died, the second ran the chapter
    [(transport, folder)] = transports
    assert transport == "ipc" and folder.startswith("haic-report-build-")

    def fails(nb_in, target, **kwargs):
        calls.append("other")
        raise RuntimeError("something else")

    monkeypatch.setattr(papermill, "execute_notebook", fails)
    with pytest.raises(RuntimeError, match="something else"):
        run_book(cohort, reports / "s", chapters="01", chapters_dir=chapters, progress=False)
    assert calls[2:] == ["other"]  # not retried


def test_chapters_take_ranges_of_numbers():
    """Hostile pass (session 117): ``--chapters 02-05`` was refused as "chapter '02-05' not
    found". A range of numbers selects the chapters numbered from its lower end to its upper
    end, both included (an en dash too); a reversed range says which way round it goes."""
    assert [p.stem[:2] for p in discover_chapters(selection="02-05")] == ["02", "03", "04", "05"]
    assert [p.stem[:2] for p in discover_chapters(selection="9–10, 1")] == ["01", "09", "10"]
    with pytest.raises(
        RunnerError,
        match=r"'05-02': a range goes from the lower number to the higher, e\.g\. 02-05",
    ):
        discover_chapters(selection="05-02")
    with pytest.raises(RunnerError, match="chapter '98-99' not found"):
        discover_chapters(selection="98-99")
