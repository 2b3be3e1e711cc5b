"""Adversarial cases for ``python -m analysis run`` and ``dose`` (issue 11).

Each case asserts the exit code, the one-line message, no traceback, the input unchanged (files
hashed before and after) and nothing written where it must not be.

Speed: the command-line start-up imports the whole package (about 1.5 s of CPU), so most cases
call :func:`analysis.__main__.main` in the test process (the same code path after the interpreter
starts); a representative subset per kind runs as real subprocesses, all started at once. The few
cases that start a Jupyter kernel use a one-cell chapter written here and are marked ``slow``.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import socket
import stat
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from cli_output import unwrapped
from cohort_runs import JUPYTEXT_HEAD

from analysis import COHORT_CSV, DATA_DIR, REPO_ROOT
from analysis.__main__ import main
from analysis.runner import (
    CHAPTERS_DIR,
    MARKER_NAME,
    RunnerError,
    check_output_dir,
    parse_parameters,
    remove_stale_partials,
)

#: the chapters' kernels are forked from one process that imported what they import
#: (tests/kernel_fork.py); each chapter still runs in a kernel of its own; so are the command
#: line and the report's site build (tests/proc_fork.py), each in a process of its own
pytestmark = pytest.mark.usefixtures("forked_kernels", "forked_programs")

ROOT_USER = hasattr(os, "geteuid") and os.geteuid() == 0


# --------------------------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------------------------
def snapshot(*roots: Path) -> dict[str, str]:
    """Every file and folder under ``roots``: path -> sha256 (folders and links marked)."""
    found = {}
    for root in roots:
        if not root.exists() and not root.is_symlink():
            continue
        items = [root, *root.rglob("*")] if root.is_dir() and not root.is_symlink() else [root]
        for p in items:
            if p.is_symlink():
                found[str(p)] = "link:" + os.readlink(p)
            elif p.is_dir():
                found[str(p)] = "dir"
            elif not p.is_file():
                found[str(p)] = "special"  # a pipe or device: never read
            else:
                found[str(p)] = hashlib.sha256(p.read_bytes()).hexdigest()
    return found


def check_refusal(code, err, expected, before, after, out_path=None):
    assert code == 2, err
    assert "Traceback" not in err
    err = unwrapped(err)  # one message, wrapped at 80 columns (formatting.wrapped)
    lines = err.strip("\n").split("\n")
    assert len(lines) == 1, err
    assert lines[0].startswith("error: "), err
    assert expected in err, err
    assert after == before, "files changed by a refused request"
    if out_path is not None:
        assert not out_path.exists() or str(out_path) in before


def fake_report(directory: Path, files=("01-a.html", "index.html"), **marker) -> Path:
    """A directory that looks like a report written by this tool."""
    directory.mkdir(parents=True)
    for name in files:
        (directory / name).write_text("old report", encoding="utf-8")
    data = {
        "format": "haic-report",
        "version": 1,
        "state": "complete",
        "files": sorted(files),
    }
    data.update(marker)
    (directory / MARKER_NAME).write_text(json.dumps(data), encoding="utf-8")
    return directory


@pytest.fixture
def area(tmp_path):
    """A study folder with the user's cohort, and a reports folder."""
    study = tmp_path / "study"
    study.mkdir()
    cohort = study / "my.csv"
    cohort.write_bytes(COHORT_CSV.read_bytes())
    (study / "notes.txt").write_text("mine", encoding="utf-8")
    return tmp_path, cohort


def run_main(capsys, argv):
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, unwrapped(err)


# --------------------------------------------------------------------------------------------
# --out abuse, in process: each refused with one line, nothing written or deleted
# --------------------------------------------------------------------------------------------
HOME = Path.home()

#: (id, builder(tmp, cohort) -> (out argument, extra options), expected message part)
OUT_CASES = [
    ("empty", lambda t, c: ("", []), "--out is empty"),
    ("blank", lambda t, c: ("   ", []), "--out is empty"),
    ("root", lambda t, c: ("/", ["--force"]), "is the root of the file system"),
    ("root-dotdot", lambda t, c: ("/tmp/../", ["--force"]), "is the root of the file system"),
    ("home", lambda t, c: (str(HOME), ["--force"]), "is your home directory"),
    ("home-slash", lambda t, c: (str(HOME) + "/", ["--force"]), "is your home directory"),
    ("repo-root", lambda t, c: (str(REPO_ROOT), ["--force"]), "holds the book"),
    ("repo-parent", lambda t, c: (str(REPO_ROOT.parent), ["--force"]), "holds the book"),
    ("repo-dot", lambda t, c: (str(REPO_ROOT / "reports" / ".."), ["--force"]), "holds the book"),
    ("chapters", lambda t, c: (str(CHAPTERS_DIR), ["--force"]), "inside chapters/"),
    ("in-chapters", lambda t, c: (str(CHAPTERS_DIR / "x"), []), "inside chapters/"),
    ("in-data", lambda t, c: (str(DATA_DIR / "x"), []), "inside data/"),
    ("in-published", lambda t, c: (str(DATA_DIR / "published" / "x"), []), "inside data/"),
    ("data", lambda t, c: (str(DATA_DIR), ["--force"]), "inside data/"),
    ("in-book", lambda t, c: (str(REPO_ROOT / "book" / "x"), []), "inside book/"),
    ("in-package", lambda t, c: (str(REPO_ROOT / "analysis" / "x"), []), "inside analysis/"),
    ("in-git", lambda t, c: (str(REPO_ROOT / ".git" / "x"), []), "inside .git/"),
    ("proc", lambda t, c: ("/proc/x", []), "/proc is a system directory"),
    ("proc-itself", lambda t, c: ("/proc", ["--force"]), "/proc is a system directory"),
    ("etc", lambda t, c: ("/etc/haic-report", ["--force"]), "/etc is a system directory"),
    ("usr", lambda t, c: ("/usr/share/x", []), "/usr is a system directory"),
    ("sys", lambda t, c: ("/sys/x/y", []), "/sys is a system directory"),
    ("dev", lambda t, c: ("/dev/x", []), "/dev is a system directory"),
    ("under-cohort-file", lambda t, c: (str(c / "sub"), []), "is a file, not a directory"),
    ("deep-under-file", lambda t, c: (str(c / "a" / "b"), []), "is a file, not a directory"),
    ("cohort-file", lambda t, c: (str(c), ["--force"]), "is the input cohort file itself"),
    ("cohort-dir", lambda t, c: (str(c.parent), []), "holds the input cohort (my.csv)"),
    ("cohort-dir-force", lambda t, c: (str(c.parent), ["--force"]), "holds the input cohort"),
    (
        "cohort-dir-dotdot",
        lambda t, c: (str(c.parent / "x" / ".."), ["--force"]),
        "holds the input cohort",
    ),
    ("cohort-grandparent", lambda t, c: (str(t), ["--force"]), "holds the input cohort"),
    ("cohort-dir-link", lambda t, c: (str(t / "link"), ["--force"]), "holds the input cohort"),
    ("other-dir", lambda t, c: (str(t / "other"), []), "is not a report written by this tool"),
    (
        "other-dir-force",
        lambda t, c: (str(t / "other"), ["--force"]),
        "is not a report written by this tool",
    ),
    ("plain-file", lambda t, c: (str(t / "file.txt"), ["--force"]), "is not a directory"),
    ("link-to-file", lambda t, c: (str(t / "filelink"), ["--force"]), "is not a directory"),
    (
        "report-no-force",
        lambda t, c: (str(t / "reports" / "r"), []),
        "--force replaces that report (only the files it lists in its marker)",
    ),
    (
        "report-extra-file",
        lambda t, c: (str(t / "reports" / "extra"), ["--force"]),
        "holds files this tool did not write ('mine.docx')",
    ),
    (
        "report-extra-folder",
        lambda t, c: (str(t / "reports" / "extrafolder"), ["--force"]),
        "holds files this tool did not write ('data' and 1 more)",
    ),
    ("marker-not-json", lambda t, c: (str(t / "reports" / "badjson"), ["--force"]), "no valid"),
    ("marker-version", lambda t, c: (str(t / "reports" / "v2"), ["--force"]), "no valid"),
    ("marker-escape", lambda t, c: (str(t / "reports" / "escape"), ["--force"]), "no valid"),
    ("marker-link", lambda t, c: (str(t / "reports" / "mlink"), ["--force"]), "no valid"),
    (
        "marker-partial",
        lambda t, c: (str(t / "reports" / "partial"), ["--force"]),
        "unfinished or failed run",
    ),
    ("control-char", lambda t, c: (str(t / "a\nb"), []), "control characters"),
    ("too-long", lambda t, c: (str(t / ("x" * 230)), []), "longer than 200 bytes"),
]


def _prepare(tmp: Path, cohort: Path) -> None:
    (tmp / "link").symlink_to(cohort.parent, target_is_directory=True)
    (tmp / "other").mkdir()
    (tmp / "other" / "thesis.docx").write_text("years of work", encoding="utf-8")
    (tmp / "file.txt").write_text("a file", encoding="utf-8")
    (tmp / "filelink").symlink_to(tmp / "file.txt")
    reports = tmp / "reports"
    fake_report(reports / "r")
    fake_report(reports / "extra")
    (reports / "extra" / "mine.docx").write_text("added by the user", encoding="utf-8")
    fake_report(reports / "extrafolder")
    (reports / "extrafolder" / "data").mkdir()
    (reports / "extrafolder" / "data" / "x.csv").write_text("1", encoding="utf-8")
    (reports / "badjson").mkdir()
    (reports / "badjson" / "a.html").write_text("x", encoding="utf-8")
    (reports / "badjson" / MARKER_NAME).write_text("{not json", encoding="utf-8")
    fake_report(reports / "v2", version=2)
    fake_report(reports / "escape", files=["index.html", "../../study/my.csv"])
    fake_report(reports / "mlink")
    real = reports / "mlink" / MARKER_NAME
    (tmp / "marker.json").write_text(real.read_text(encoding="utf-8"), encoding="utf-8")
    real.unlink()
    real.symlink_to(tmp / "marker.json")
    fake_report(reports / "partial", state="partial", pid=1, host=socket.gethostname())


@pytest.mark.parametrize(("case", "build", "expected"), OUT_CASES, ids=[c[0] for c in OUT_CASES])
def test_bad_out_is_one_line_and_changes_nothing(area, capsys, case, build, expected):
    tmp, cohort = area
    _prepare(tmp, cohort)
    out, extra = build(tmp, cohort)
    watched = (tmp, CHAPTERS_DIR, DATA_DIR)
    before = snapshot(*watched)
    argv = ["run", "--cohort", str(cohort), "--out", out, "--chapters", "05", "--quiet", *extra]
    code, stdout, err = run_main(capsys, argv)
    check_refusal(code, err, expected, before, snapshot(*watched))
    assert stdout == ""


@pytest.mark.parametrize(
    "inside",
    ["tests", "_build", "_build/html", "tools", "bench", ".venv", "test-artifacts", "docs/new"],
)
def test_out_anywhere_in_the_book_but_reports_is_refused(inside, monkeypatch):
    """``--out tests/rep``, ``_build/html/rep`` (a report inside the published site),
    ``.venv/rep`` … were accepted: only chapters/, data/, book/, analysis/ and .git/ were
    refused. In the book, a report goes only in reports/ (make report, make chapter)."""
    monkeypatch.chdir(REPO_ROOT)
    out = f"{inside}/haic-test-rep"
    with pytest.raises(RunnerError) as caught:
        check_output_dir(out)
    message = str(caught.value)
    top = inside.split("/")[0]
    assert message.startswith(f"--out {out}: is inside the book's {top}/ folder"), message
    assert "use reports/<name> or a folder outside the book" in message
    assert not (REPO_ROOT / out).exists()


def test_out_reports_itself_is_refused_and_inside_it_accepted(monkeypatch):
    monkeypatch.chdir(REPO_ROOT)
    with pytest.raises(RunnerError, match="is the book's reports/ folder itself"):
        check_output_dir("reports")
    for out in ("reports/haic-test-rep", "reports/dev/haic-test-rep"):
        assert check_output_dir(out) == REPO_ROOT / out
        assert not (REPO_ROOT / out).exists()


def test_out_link_to_the_cohort_is_said_to_be_a_file(area, capsys):
    """``--out /tmp/x/link.csv`` (a link to data/cohort.csv) said "reports are never written
    inside data/": the path given is a file, not a folder, wherever it leads."""
    tmp, cohort = area
    (tmp / "link.csv").symlink_to(COHORT_CSV)
    (tmp / "mine.txt").write_text("x", encoding="utf-8")
    before = snapshot(tmp, DATA_DIR)
    for out, extra, expected in [
        ("link.csv", [], "is not a directory: an existing file (a link to data/cohort.csv);"),
        ("link.csv", ["--force"], "an existing file (a link to data/cohort.csv)"),
        ("mine.txt", [], "is not a directory: an existing file;"),
    ]:
        argv = ["run", "--cohort", str(cohort), "--out", str(tmp / out), "--quiet", *extra]
        code, stdout, err = run_main(capsys, argv)
        check_refusal(code, err, expected, before, snapshot(tmp, DATA_DIR))
        assert "inside data/" not in err and stdout == ""
    # the book's own cohort is the input when --cohort is not given
    code, stdout, err = run_main(capsys, ["run", "--out", str(tmp / "link.csv"), "--quiet"])
    expected = "is not a directory: an existing file (a link to data/cohort.csv, the input cohort)"
    check_refusal(code, err, expected, before, snapshot(tmp, DATA_DIR))


@pytest.mark.skipif(ROOT_USER, reason="root may write anywhere: permissions cannot refuse it")
def test_unwritable_parent_is_refused(area, capsys):
    tmp, cohort = area
    locked = tmp / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        before = snapshot(tmp)
        code, _, err = run_main(
            capsys, ["run", "--cohort", str(cohort), "--out", str(locked / "r"), "--quiet"]
        )
        check_refusal(code, err, "is not writable", before, snapshot(tmp))
    finally:
        locked.chmod(0o700)


def test_refusal_message_says_what_force_replaces(area, capsys):
    """The message for an existing report must not steer users into deleting their data."""
    tmp, cohort = area
    fake_report(tmp / "reports" / "r")
    _, _, err = run_main(
        capsys, ["run", "--cohort", str(cohort), "--out", str(tmp / "reports" / "r")]
    )
    assert "--force replaces that report (only the files it lists in its marker)" in err
    assert "add --force to replace it" not in err


@pytest.mark.parametrize("kind", ["fifo", "device"])
def test_cohort_that_is_a_pipe_or_device_is_refused_without_reading(tmp_path, capsys, kind):
    if kind == "fifo":
        cohort = tmp_path / "cohort.csv"
        os.mkfifo(cohort)  # reading it would block forever
    else:
        cohort = Path("/dev/zero")  # reading it would never end
    before = snapshot(tmp_path)
    code, _, err = run_main(
        capsys, ["run", "--cohort", str(cohort), "--out", str(tmp_path / "r"), "--quiet"]
    )
    check_refusal(code, err, "not a regular file (a pipe or device)", before, snapshot(tmp_path))


# --------------------------------------------------------------------------------------------
# non-ASCII folders, markup in file names
# --------------------------------------------------------------------------------------------
NAMES = [
    "<script>alert(1)<\\script>.csv",
    "\"quoted\" 'single'.csv",
    "back`tick`s *stars* _under_.csv",
    "ünïcødé 목록 名前.csv",
    "&amp; %2F %C3%A9.csv",
    "{cite}`x` $math$.csv",
]


@pytest.mark.parametrize("name", NAMES, ids=range(len(NAMES)))
def test_odd_cohort_names_refused_out_is_one_line(tmp_path, capsys, name):
    folder = tmp_path / "Ünï dir 목록"
    folder.mkdir()
    cohort = folder / name
    cohort.write_bytes(COHORT_CSV.read_bytes())
    before = snapshot(tmp_path)
    code, _, err = run_main(
        capsys, ["run", "--cohort", str(cohort), "--out", str(folder), "--force", "--quiet"]
    )
    check_refusal(code, err, "holds the input cohort", before, snapshot(tmp_path))


@pytest.mark.parametrize("name", NAMES[:3], ids=range(3))
def test_odd_cohort_names_invalid_cohort_one_problem_list(tmp_path, capsys, name):
    folder = tmp_path / "Ünï dir 목록"
    folder.mkdir()
    cohort = folder / name
    cohort.write_text("patient_id,age\nP1,300\n", encoding="utf-8")
    before = snapshot(tmp_path)
    code, _, err = run_main(
        capsys, ["run", "--cohort", str(cohort), "--out", str(tmp_path / "r"), "--quiet"]
    )
    assert code == 2 and "Traceback" not in err
    assert "nothing was run or written" in err
    assert str(folder) not in err  # the folder is not echoed; the file name names the input
    assert snapshot(tmp_path) == before


# --------------------------------------------------------------------------------------------
# -p forms
# --------------------------------------------------------------------------------------------
P_GOOD = [
    (["n=10"], {"n": 10}),
    ([["n=10"]], {"n": 10}),
    ([["n", "10"]], {"n": 10}),
    ([["ci", "log-log"]], {"ci": "log-log"}),
    ([["label", "a=b"]], {"label": "a=b"}),
    ([["flag", "true"], "x=0.5"], {"flag": True, "x": 0.5}),
    ([["when", "2024-01-02"]], {"when": "2024-01-02"}),
    ([["empty", ""]], {"empty": ""}),
]


@pytest.mark.parametrize(("items", "expected"), P_GOOD, ids=range(len(P_GOOD)))
def test_parameters_both_forms(items, expected):
    assert parse_parameters(items) == expected


P_BAD = [
    ([["a", "b", "c"]], "expected -p key=value or -p key value"),
    ([["a=1", "b"]], "expected -p key=value or -p key value"),
    ([["a"]], "expected -p key=value or -p key value"),
    ([["1a", "2"]], "'1a' is not a valid Python name"),
    ([["class", "2"]], "'class' is not a valid Python name"),
    ([["cohort_path", "x.csv"]], "give the cohort with --cohort"),
    ([["n", "1"], "n=2"], "parameter 'n' given twice"),
    ([["xs", "[1, 2]"]], "only single values"),
    ([["m", "{a: 1}"]], "only single values"),
]


@pytest.mark.parametrize(("items", "message"), P_BAD, ids=range(len(P_BAD)))
def test_bad_parameters(items, message):
    with pytest.raises(RunnerError, match=message.replace("[", r"\[").replace("{", r"\{")):
        parse_parameters(items)


@pytest.mark.parametrize(
    ("p_args", "message"),
    [
        (["-p", "typo_name", "3"], "-p typo_name: no selected chapter has this parameter"),
        (["-p", "typo_name=3"], "-p typo_name: no selected chapter has this parameter"),
        (["-p", "a", "b", "c"], "expected -p key=value or -p key value"),
        (["-p", "min_cell_count"], "expected -p key=value or -p key value"),
    ],
)
def test_parameter_forms_on_the_command_line(area, capsys, p_args, message):
    tmp, cohort = area
    before = snapshot(tmp)
    argv = ["run", "--cohort", str(cohort), "--out", str(tmp / "r"), "--chapters", "05"]
    code, _, err = run_main(capsys, [*argv, *p_args])
    check_refusal(code, err, message, before, snapshot(tmp))


# --------------------------------------------------------------------------------------------
# dose arguments
# --------------------------------------------------------------------------------------------
DOSE_BASE = ["dose", "--height-cm", "170", "--weight-kg", "65"]
DOSE_BAD = [
    (["--bilirubin-mg-dl", "0"], "never 0"),
    (["--bilirubin-mg-dl", "0.0"], "never 0"),
    (["--bilirubin-mg-dl", "-0"], "never 0"),
    (["--bilirubin-mg-dl", "1e3"], "is outside (0, 50]"),
    (["--bilirubin-mg-dl", "NaN"], "not a finite number"),
    (["--bilirubin-mg-dl", ""], "not a number"),
    (["--bilirubin-mg-dl", "١٢"], "not a number"),  # Arabic-Indic digits: float() takes them
    (["--bilirubin-mg-dl", "12abc"], "not a number"),
    (["--ast-u-l", "0x10"], "not a number"),
    (["--cycle", "1.0"], "not a whole number"),
    (["--cycle", "-1"], "from 1 to 50"),
    (["--cycle", "99999999"], "far outside the accepted range"),
    (["--cycle", "10" * 200], "far outside the accepted range"),
    (["--height-cm", "170cm"], "not a number"),
    (["--weight-kg", "65 kg"], "not a number"),
    (["--weight-kg", "143", "--height-cm", "5.9"], "not metres"),
    (["--formula", "<script>"], "--formula <script>: must be mosteller or dubois"),
    (["--prior-epirubicin-mg-m2", "1e20"], "is outside [0, 2000]"),
    (["--egfr=-inf"], "not a finite number"),
]


@pytest.mark.parametrize(("extra", "message"), DOSE_BAD, ids=range(len(DOSE_BAD)))
def test_dose_bad_arguments(tmp_path, capsys, monkeypatch, extra, message):
    monkeypatch.chdir(tmp_path)
    before = snapshot(tmp_path)
    base = list(DOSE_BASE)
    for option in extra:  # an option is given once: the bad value replaces the good one
        if option in base:
            base[base.index(option) : base.index(option) + 2] = []
    code, out, err = run_main(capsys, [*base, *extra])
    check_refusal(code, err, message, before, snapshot(tmp_path))
    assert out == ""


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        (["--bilirubin-mg-dl", "12"], "WITHHOLD epirubicin (bilirubin 12 mg/dL > 5)"),
        (["--bilirubin-mg-dl", "5.5", "--ast-u-l", "300"], "WITHHOLD epirubicin"),
        (["--cycle", "27"], "cumulative epirubicin after this cycle UNKNOWN"),
        (["--cycle", "50", "--prior-epirubicin-mg-m2", "1715"], "1750 mg/m²"),
        (["--formula", "  DuBois "], "(dubois)"),
    ],
)
def test_dose_edge_values_accepted(capsys, extra, expected):
    code, out, err = run_main(capsys, [*DOSE_BASE, *extra])
    assert code == 0 and err == ""
    assert expected in " ".join(out.split())  # the sheet's heading wraps at 80 columns


# --------------------------------------------------------------------------------------------
# stale partial directories
# --------------------------------------------------------------------------------------------
def _dead_pid() -> int:
    pid = os.fork()  # a fork that exits at once: no new interpreter's start
    if pid == 0:
        os._exit(0)
    os.waitpid(pid, 0)
    return pid  # exited and reaped: no process has this id (barring reuse)


def _partial(parent: Path, name: str, **marker) -> Path:
    path = fake_report(parent / name, files=("01-a.ipynb",), state="partial", **marker)
    return path


def test_stale_partials_of_dead_runs_are_removed_and_nothing_else(tmp_path):
    host = socket.gethostname()
    dead = _dead_pid()
    stale = _partial(tmp_path, ".r.partial-1-abc", pid=dead, host=host)
    alive = _partial(tmp_path, ".s.partial-2-abc", pid=os.getppid(), host=host)
    foreign = _partial(tmp_path, ".t.partial-3-abc", pid=dead, host=host + "-elsewhere")
    extra = _partial(tmp_path, ".u.partial-4-abc", pid=dead, host=host)
    (extra / "user.txt").write_text("not ours", encoding="utf-8")
    unmarked = tmp_path / ".v.partial-5-abc"
    unmarked.mkdir()
    (unmarked / "x").write_text("x", encoding="utf-8")
    visible = _partial(tmp_path, "w.partial-6-abc", pid=dead, host=host)
    removed = remove_stale_partials(tmp_path)
    assert removed == [stale]
    assert not stale.exists()
    for kept in (alive, foreign, unmarked, visible):
        assert kept.exists()
    # the dead run's own files went, the user's file stayed
    assert sorted(p.name for p in extra.iterdir()) == ["user.txt"]


# --------------------------------------------------------------------------------------------
# real subprocesses: a representative case of each kind, all started at once
# --------------------------------------------------------------------------------------------
def _subprocess_cases(tmp: Path, cohort: Path):
    py = [sys.executable, "-m", "analysis"]
    run = [*py, "run", "--cohort", str(cohort), "--chapters", "05", "--quiet"]
    return {
        "empty-out": ([*run, "--out", ""], "--out is empty"),
        "proc": ([*run, "--out", "/proc/x"], "/proc is a system directory"),
        "cohort-dir-force": (
            [*run, "--out", str(cohort.parent), "--force"],
            "holds the input cohort",
        ),
        "p-three-words": (
            [*run, "--out", str(tmp / "r"), "-p", "a", "b", "c"],
            "expected -p key=value or -p key value",
        ),
        "dose-bilirubin-0": ([*py, *DOSE_BASE, "--bilirubin-mg-dl", "0"], "never 0"),
    }


@pytest.fixture(scope="module")
def subprocess_results(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("adversarial")
    study = tmp / "study"
    study.mkdir()
    cohort = study / "my.csv"
    cohort.write_bytes(COHORT_CSV.read_bytes())
    (tmp / "other").mkdir()
    (tmp / "other" / "thesis.docx").write_text("years of work", encoding="utf-8")
    cases = _subprocess_cases(tmp, cohort)
    before = snapshot(tmp)
    procs = {
        name: subprocess.Popen(
            argv, cwd=tmp, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for name, (argv, _) in cases.items()
    }
    results = {}
    for name, proc in procs.items():
        out, err = proc.communicate(timeout=300)
        results[name] = (proc.returncode, out, err, cases[name][1])
    return results, before, snapshot(tmp)


@pytest.mark.xdist_group("cli-refusals")  # one worker starts the five CLIs (one fixture)
@pytest.mark.parametrize(
    "name",
    [
        "empty-out",
        "proc",
        "cohort-dir-force",
        "p-three-words",
        "dose-bilirubin-0",
    ],
)
def test_subprocess_refusals(subprocess_results, name):
    results, before, after = subprocess_results
    code, out, err, expected = results[name]
    check_refusal(code, err, expected, before, after)
    assert out == ""


# --------------------------------------------------------------------------------------------
# runs that start a kernel (a one-cell chapter written here)
# --------------------------------------------------------------------------------------------
HEAD = JUPYTEXT_HEAD


def _chapter(body: str) -> str:
    return (
        HEAD
        + textwrap.dedent(
            """
        # Tiny

        Cohort: {glue:text}`tiny_name`.

        ```{code-cell} ipython3
        :tags: [parameters]
        cohort_path = None
        ```

        ```{code-cell} ipython3
        from pathlib import Path
        from analysis import book
        book.glue_text("tiny_name", "your cohort (" + Path(cohort_path).name + ")")
        print("cohort at", cohort_path)
        print(repr(cohort_path), Path(cohort_path).as_uri())
        """
        )
        + body
        + "```\n"
    )


def _tiny_book(tmp: Path, body: str = "") -> Path:
    chapters = tmp / "chapters"
    chapters.mkdir()
    (chapters / "01-tiny.md").write_text(_chapter(body), encoding="utf-8")
    return chapters


@pytest.mark.slow(seconds=4)
@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_signal_removes_partial_output(tmp_path, signum):
    chapters = _tiny_book(tmp_path, "import time\ntime.sleep(60)\n")
    cohort = tmp_path / "my.csv"
    cohort.write_bytes(COHORT_CSV.read_bytes())
    reports = tmp_path / "reports"
    reports.mkdir()
    before = snapshot(cohort, chapters)
    argv = ["run", "--cohort", str(cohort), "--out", str(reports / "r"), "--quiet"]
    proc = subprocess.Popen(
        [sys.executable, "-m", "analysis", *argv, "--chapters-dir", str(chapters)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not any(
        (p / "01-tiny.ipynb").exists() or p.name.startswith(".r.partial-")
        for p in reports.iterdir()
    ):
        time.sleep(0.05)
    time.sleep(1.0)  # the kernel is starting or running the sleeping cell
    proc.send_signal(signum)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 128 + signum, err
    assert f"interrupted by {signal.Signals(signum).name}" in err
    assert "Traceback" not in err
    assert list(reports.iterdir()) == []  # no partial, no report
    assert snapshot(cohort, chapters) == before


@pytest.mark.slow(seconds=5)
def test_force_replaces_only_our_report_and_scrubs_odd_paths(tmp_path, capsys):
    """One kernel run in a non-ASCII folder with a markup file name, then --force cases.

    In process, as the refused cases after it (:func:`run_main`: the command's code path; the
    chapter's kernel and the site's build are still processes of their own, forked as in the
    other in-process runs): as a launched command, its kernel and jupyter-book started as new
    interpreters, importing everything again (about 4 CPU-s more). The signal tests above run the
    command as a process of its own."""
    chapters = _tiny_book(tmp_path)
    folder = tmp_path / "Ünï dir 목록 名前"
    folder.mkdir()
    cohort = folder / "<img src=x onerror=alert(`1`)> \"q\" 'a'.csv"
    cohort.write_bytes(COHORT_CSV.read_bytes())
    reports = tmp_path / "reports"
    out = reports / "r"
    base = ["run", "--cohort", str(cohort), "--out", str(out), "--quiet"]
    base += ["--chapters-dir", str(chapters)]
    before = snapshot(cohort, chapters)
    # an earlier report of ours (marker, listed files only): --force replaces it
    fake_report(out, files=("old-chapter.html", "index.html"))
    (reports / "sibling.txt").write_text("untouched", encoding="utf-8")

    code, _, err = run_main(capsys, [*base, "--force"])
    assert code == 0, err
    assert "Traceback" not in err
    assert sorted(p.name for p in reports.iterdir()) == ["r", "sibling.txt"]  # no temporaries
    assert not (out / "old-chapter.html").exists()
    names = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    for name in (MARKER_NAME, "chapters/01-tiny.html", "01-tiny.ipynb", "index.html"):
        assert name in names
    marker = json.loads((out / MARKER_NAME).read_text(encoding="utf-8"))
    assert marker["format"] == "haic-report" and marker["version"] == 1
    assert marker["state"] == "complete" and "pid" not in marker
    assert sorted(marker["files"]) == [n for n in names if n != MARKER_NAME]
    # no absolute path, in any spelling (raw, JSON \\u escapes, URL-encoded, HTML-escaped)
    spellings = [
        str(folder),
        json.dumps(str(folder))[1:-1],
        json.dumps(json.dumps(str(folder))[1:-1])[1:-1],
        str(folder).encode("unicode_escape").decode("ascii"),
        Path(folder).as_uri()[len("file://") :],
        str(tmp_path),
        str(REPO_ROOT),
    ]
    suffixes = (".html", ".ipynb", ".json", ".js", ".txt")
    for page in out.rglob("*"):
        if page.suffix not in suffixes or "_static" in page.parts:
            continue
        text = page.read_text(encoding="utf-8")
        for spelling in spellings:
            assert spelling not in text, (page.name, spelling)
        if page.suffix == ".html":  # markup from the file name is never live in a page
            assert "<img src=x" not in text, page.name
    html_page = (out / "chapters" / "01-tiny.html").read_text(encoding="utf-8")
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "your cohort (&lt;img src=x onerror=alert(`1`)&gt;" in html_page
    assert "&lt;img src=x onerror=alert(`1`)&gt;" in index

    # --force on a report the user has added a file to: refused, nothing deleted
    (out / "my-notes.txt").write_text("mine", encoding="utf-8")
    code, _, err = run_main(capsys, [*base, "--force"])
    assert code == 2
    assert "holds files this tool did not write ('my-notes.txt')" in err
    assert (out / "my-notes.txt").read_text(encoding="utf-8") == "mine"
    assert snapshot(cohort, chapters) == before

    # --force on a report whose own file the user has edited: refused, the edit kept (the
    # marker records each file's SHA-256 at completion)
    (out / "my-notes.txt").unlink()
    assert set(marker["sha256"]) == set(marker["files"])
    edited = (out / "01-tiny.ipynb").read_bytes() + b"\n"
    (out / "01-tiny.ipynb").write_bytes(edited)
    code, _, err = run_main(capsys, [*base, "--force"])
    assert code == 2
    assert "holds files changed since this tool wrote them ('01-tiny.ipynb')" in err
    assert (out / "01-tiny.ipynb").read_bytes() == edited
    assert snapshot(cohort, chapters) == before


@pytest.mark.slow(seconds=2)
def test_failed_chapter_never_replaces_a_users_failed_folder(tmp_path, capsys):
    """In process (:func:`analysis.__main__.main`, the command's code path without a second
    interpreter's start: about a CPU-second), as the ``--force`` test above; the signal tests
    above run the command as a real process."""
    chapters = _tiny_book(tmp_path, "1 / 0\n")
    cohort = tmp_path / "my.csv"
    cohort.write_bytes(COHORT_CSV.read_bytes())
    reports = tmp_path / "reports"
    users = reports / "r.failed"
    users.mkdir(parents=True)
    (users / "keep.txt").write_text("mine", encoding="utf-8")
    argv = ["run", "--cohort", str(cohort), "--out", str(reports / "r"), "--quiet"]
    code, out, err = run_main(capsys, [*argv, "--chapters-dir", str(chapters)])
    assert code == 1, err
    assert "ZeroDivisionError" in err and "Traceback" not in err
    assert (users / "keep.txt").read_text(encoding="utf-8") == "mine"
    assert sorted(p.name for p in users.iterdir()) == ["keep.txt"]
    ours = reports / "r.failed-2"
    marker = json.loads((ours / MARKER_NAME).read_text(encoding="utf-8"))
    assert marker["state"] == "failed" and marker["failed_chapter"] == "01-tiny"
    assert sorted(p.name for p in reports.iterdir()) == ["r.failed", "r.failed-2"]


@pytest.mark.parametrize(
    "argv",
    [["synthesize", "--steps", "100", "--chains", "1"], ["ensemble", "--n", "2"]],
    ids=["synthesize", "ensemble"],
)
def test_generators_never_overwrite_a_users_file(tmp_path, capsys, argv):
    from analysis.__main__ import main

    users = tmp_path / "my_cohort.csv"
    users.write_text("a user's file\n", encoding="utf-8")
    assert main([*argv, "--out", str(users)]) == 2
    err = capsys.readouterr().err
    assert "exists" in err and "--force" in err and "Traceback" not in err
    assert users.read_text(encoding="utf-8") == "a user's file\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["my_cohort.csv"]


@pytest.mark.parametrize(
    "argv",
    [["synthesize", "--steps", "100", "--chains", "1"], ["ensemble", "--n", "2", "--cache", "c"]],
    ids=["synthesize", "ensemble"],
)
def test_force_never_replaces_a_pipe_or_a_device(tmp_path, capsys, argv, monkeypatch):
    """``synthesize --out /dev/null --force``, run as root, replaced the null device with a
    regular file holding the cohort (a pipe too): --force replaces a user's earlier output, a
    file, never a pipe or a device; refused before any work, nothing written."""
    from analysis.__main__ import main

    monkeypatch.chdir(tmp_path)
    fifo = tmp_path / "out.csv"
    os.mkfifo(fifo)
    assert main([*argv, "--out", str(fifo), "--force"]) == 2
    err = unwrapped(capsys.readouterr().err)
    assert f"--out {fifo}: not a regular file (a pipe or device)" in err
    assert "Traceback" not in err
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.csv"]
