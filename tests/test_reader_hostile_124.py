"""A hostile pass as a researcher re-running the book on their own cohort (session 124).

What it found, pinned: a successful run deleted ``NAME.failed`` although the user had edited
its notebook (or added notes to ``FAILED.txt``) while debugging; the chapters executed directly
with papermill (as the how-to page invites) accepted what ``run`` refuses or reads otherwise.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import numpy as np
import pandas as pd
import papermill
import pytest
from cli_output import unwrapped
from cohort_runs import JUPYTEXT_HEAD, execute_chapter

from analysis import COHORT_CSV, REPO_ROOT, bias, clinical, formatting, runner, scenarios, tables
from analysis.__main__ import main
from analysis.cohort import CohortError, derive, load_cohort
from analysis.runner import MARKER_NAME, RunnerError, check_output_dir

#: the chapters' kernels are forked from one process that imported what they import
pytestmark = pytest.mark.usefixtures("forked_kernels", "forked_programs")


# --------------------------------------------------------------------------------------------
# a failed run's folder, edited by the user, is the user's work
# --------------------------------------------------------------------------------------------
_TINY = JUPYTEXT_HEAD + textwrap.dedent(
    """\

    # Tiny

    ```{code-cell} ipython3
    :tags: [parameters]
    cohort_path = None
    ```

    ```{code-cell} ipython3
    from pathlib import Path

    if Path(cohort_path).with_name("fail-now").exists():
        1 / 0
    ```
    """
)


def _tiny_run(tmp_path: Path) -> tuple[list, Path, Path]:
    """The tiny chapter in ``tmp_path/chapters`` and a copy of the book's cohort as ``my.csv``,
    with ``fail-now`` beside it (the chapter fails while it exists): the arguments of a quiet
    ``run`` of them into ``reports/r``, the reports folder and the ``fail-now`` file."""
    chapters = tmp_path / "chapters"
    chapters.mkdir()
    (chapters / "01-tiny.md").write_text(_TINY, encoding="utf-8")
    cohort = tmp_path / "my.csv"
    cohort.write_bytes(COHORT_CSV.read_bytes())
    fail = tmp_path / "fail-now"
    fail.write_text("", encoding="utf-8")
    reports = tmp_path / "reports"
    argv = ["run", "--cohort", str(cohort), "--out", str(reports / "r"), "--quiet"]
    return [*argv, "--chapters-dir", str(chapters)], reports, fail


@pytest.mark.slow(seconds=6)
def test_an_edited_failed_folder_is_never_deleted_by_the_next_run(tmp_path, capsys):
    """A run failed and left ``r.failed``; the user opened its notebook, edited it while
    debugging and added a line to FAILED.txt. The next run that succeeded deleted the folder,
    edits and all (a failed run's marker recorded no digests, so nothing counted as changed),
    and a second failure replaced it the same way. Now both leave it alone."""
    argv, reports, fail = _tiny_run(tmp_path)

    assert main(argv) == 1, capsys.readouterr().err
    capsys.readouterr()
    failed = reports / "r.failed"
    marker = json.loads((failed / MARKER_NAME).read_text(encoding="utf-8"))
    assert marker["state"] == "failed"
    assert set(marker["sha256"]) == set(marker["files"])  # recorded, as a report's
    notebook = failed / "01-tiny.ipynb"
    edited = notebook.read_bytes().replace(b"1 / 0", b"1 / 0  # my fix: check the cohort")
    assert edited != notebook.read_bytes()
    notebook.write_bytes(edited)

    # a second failure: the edited folder is kept, the new one goes beside it
    assert main(argv) == 1
    capsys.readouterr()
    assert notebook.read_bytes() == edited
    assert (reports / "r.failed-2" / MARKER_NAME).is_file()

    # a success: the report is written and the edited folder kept (and named); the second
    # failed folder, ours and unchanged, is removed as an unchanged r.failed is (session 128:
    # it was left behind)
    fail.unlink()
    assert main(argv) == 0, capsys.readouterr().err
    out = unwrapped(capsys.readouterr().out)  # wrapped at 80 columns
    assert notebook.read_bytes() == edited
    assert sorted(p.name for p in reports.iterdir()) == ["r", "r.failed"]
    kept = [line for line in out.splitlines() if line.startswith("kept ")]
    assert len(kept) == 1 and kept[0].split(":")[0].endswith("r.failed"), out


@pytest.mark.slow(seconds=8)
def test_a_success_removes_every_unchanged_failed_folder_and_names_the_edited_ones(
    tmp_path, capsys
):
    """Hostile review (session 128): a run that failed while ``r.failed`` was edited wrote
    ``r.failed-2``, and the next success removed neither. Now a success applies the rule of
    ``r.failed`` to every numbered folder: ours and unchanged, removed; ours and edited, kept
    and named in the summary; a folder of that name without our marker, left alone unnamed."""
    argv, reports, fail = _tiny_run(tmp_path)
    for name in ("r.failed", "r.failed-2"):  # fails, and the folder it left is edited
        assert main(argv) == 1
        capsys.readouterr()
        notes = reports / name / "FAILED.txt"
        notes.write_text(notes.read_text(encoding="utf-8") + "my notes\n", encoding="utf-8")
    assert main(argv) == 1  # a third failure: r.failed-3, unchanged
    capsys.readouterr()
    users = reports / "r.failed-7"  # somebody's own folder of a matching name
    users.mkdir()
    (users / "keep.txt").write_text("mine", encoding="utf-8")
    assert sorted(p.name for p in reports.iterdir()) == [
        "r.failed",
        "r.failed-2",
        "r.failed-3",
        "r.failed-7",
    ]

    fail.unlink()
    assert main(argv) == 0, capsys.readouterr().err
    out = unwrapped(capsys.readouterr().out)  # the summary wraps at 80 columns
    assert sorted(p.name for p in reports.iterdir()) == [
        "r",
        "r.failed",
        "r.failed-2",
        "r.failed-7",
    ]
    assert (users / "keep.txt").read_text(encoding="utf-8") == "mine"
    kept = [line.split(":")[0] for line in out.splitlines() if line.startswith("kept ")]
    assert [Path(k).name for k in kept] == ["r.failed", "r.failed-2"], out


def test_our_failed_folder_is_replaced_only_while_unchanged(tmp_path):
    """Without a kernel: our own failed folder, unchanged since it was written (its digests
    match), may be replaced; once one of its files has changed it may not."""
    failed = tmp_path / "r.failed"
    failed.mkdir()
    text = failed / "FAILED.txt"
    text.write_text("chapter 01-tiny failed\n", encoding="utf-8")
    marker = {
        "format": "haic-report",
        "version": 1,
        "state": "failed",
        "files": ["FAILED.txt"],
        "sha256": {"FAILED.txt": hashlib.sha256(text.read_bytes()).hexdigest()},
    }
    (failed / MARKER_NAME).write_text(json.dumps(marker), encoding="utf-8")
    assert runner._replace_problem(failed, states=("failed",)) is None
    text.write_text("chapter 01-tiny failed\nmy notes: the cohort's line 7\n", encoding="utf-8")
    problem = runner._replace_problem(failed, states=("failed",))
    assert problem is not None and "changed since this tool wrote them ('FAILED.txt')" in problem


# --------------------------------------------------------------------------------------------
# a chapter executed directly (papermill -p cohort_path) refuses what run refuses
# --------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "name",
    ["Nguyen Van An 850101-1234567.csv", "Nguyen_Van_An.csv", "john.smith@example.com.csv"],
)
def test_load_cohort_refuses_a_file_named_after_a_patient_and_never_repeats_the_name(
    tmp_path, name
):
    """``papermill 10-your-cohort.ipynb out.ipynb -p cohort_path 'Nguyen Van An
    850101-1234567.csv'`` printed "your cohort (Nguyen Van An 850101-1234567.csv)" in the
    executed notebook (``run`` and ``validate`` refuse the name; ``load_cohort``, which the
    chapters call, did not), and a cohort refused for its rows was named so in the error."""
    cohort = tmp_path / name
    cohort.write_bytes(COHORT_CSV.read_bytes())
    with pytest.raises(CohortError) as caught:
        load_cohort(cohort)
    message = str(caught.value)
    assert message.startswith("[masked].csv: 1 problem with the cohort"), message
    assert "file: its name holds" in message and "rename the file" in message
    for part in ("Nguyen", "850101", "john", "smith"):
        assert part not in message.lower().replace("[masked]", "")
    # a link with a harmless name leads to it: refused too (a report shows the target's name)
    link = tmp_path / "my_cohort.csv"
    link.symlink_to(cohort)
    with pytest.raises(CohortError, match="its name holds"):
        load_cohort(link)


def test_load_cohort_masks_the_file_name_of_a_cohort_refused_for_its_rows(tmp_path):
    rows = pd.read_csv(COHORT_CSV, dtype=str, keep_default_na=False)
    rows.loc[5, "patient_id"] = "850101-1234567"
    cohort = tmp_path / "Nguyen_Van_An 850101-1234567.csv"
    rows.to_csv(cohort, index=False)
    with pytest.raises(CohortError) as caught:
        load_cohort(cohort)
    message = str(caught.value)
    assert "850101" not in message and "Nguyen" not in message
    assert len(caught.value.problems) == 2  # the name, and the id in line 7


def test_load_cohort_still_reads_a_plainly_named_cohort_and_the_privacy_switch(tmp_path):
    cohort = tmp_path / "cohorte été 2024.csv"
    cohort.write_bytes(COHORT_CSV.read_bytes())
    assert load_cohort(cohort).attrs["source"] == "cohorte été 2024.csv"
    named = tmp_path / "Nguyen_Van_An.csv"
    named.write_bytes(COHORT_CSV.read_bytes())
    assert len(load_cohort(named, privacy=False)) == 82  # the switch for tests of other rules


# --------------------------------------------------------------------------------------------
# parameters given to a chapter directly: papermill checks nothing, the functions do
# --------------------------------------------------------------------------------------------
def test_a_confidence_level_given_as_a_percentage_is_an_error_not_9500_percent():
    """``papermill 05-response.ipynb out.ipynb -p confidence_level 95`` printed "9500%
    intervals" and every interval as 0 to 100%: alpha = 1 - 95 = -94, which proportion_ci
    took (the normal quantile of 48 is NaN, and max(0, NaN) is 0)."""
    with pytest.raises(
        ValueError, match=r"confidence level 95: .* such as 0\.95, not a percentage"
    ):
        formatting.level(95)
    with pytest.raises(ValueError, match="'95%'.* not a percentage"):
        formatting.level("95%")
    for bad in (0, 1, -0.5, float("nan"), True):
        with pytest.raises(ValueError, match="confidence level"):
            formatting.level(bad)
    assert formatting.level(0.95) == "95%" and formatting.level(0.025) == "2.5%"
    for alpha in (-94, 0, 1, 1.5, float("nan"), True):
        with pytest.raises(ValueError, match="alpha must be a number between 0 and 1"):
            clinical.proportion_ci(24, 82, alpha=alpha)
        with pytest.raises(ValueError, match="alpha must be a number between 0 and 1"):
            clinical.rate_intervals(["CR", "PR", "SD", "PD"], alpha=alpha)
    assert clinical.proportion_ci(24, 82, alpha=0.05) == clinical.proportion_ci(24, 82)


def test_require_two_sessions_given_as_text_is_an_error_not_the_strict_count():
    """``papermill 02-eligibility.ipynb out.ipynb -p require_two_sessions false`` passes the
    text 'false' (papermill reads only True and False as booleans), which is true: the chapter
    counted strictly and its caption said so, the reader's False silently ignored."""
    cohort = load_cohort()
    for text in ("false", "no", "0", 0, None):
        with pytest.raises(TypeError, match="require_two_sessions: expected True or False"):
            tables.jsh_criteria_table(cohort, require_two_sessions=text)
        with pytest.raises(TypeError, match="require_two_sessions: expected True or False"):
            clinical.jsh_refractory_frame(cohort, require_two_sessions=text)
    # absent columns: refused as well, before the explanation
    with pytest.raises(TypeError, match="require_two_sessions"):
        tables.jsh_criteria_table(cohort[["patient_id"]], require_two_sessions="false")
    assert isinstance(tables.jsh_criteria_table(cohort, require_two_sessions=False), pd.DataFrame)


@pytest.mark.slow(seconds=12)
@pytest.mark.parametrize(
    "chapter, parameters, says",
    [
        (
            "05-response",
            {"confidence_level": 95},
            "confidence_level=95: must be above 0 and below 1",
        ),
        ("02-eligibility", {"require_two_sessions": "false"}, "must be true or false"),
        # papermill -p at_risk_step_months 0 failed in chapter 6's visible cell with NumPy's
        # "Maximum allowed size exceeded"; n_bootstrap 0 and a weight in pounds deep inside
        ("06-survival", {"at_risk_step_months": 0}, "at_risk_step_months=0: must be above 0"),
        ("09-bias", {"n_bootstrap": 0}, "n_bootstrap=0: must be at least 1"),
        ("03-treatment", {"small_weight_kg": 330.0}, "small_weight_kg=330.0: must be at least 25"),
        # lists, which papermill's -y sets: a negative landmark failed with "could not convert
        # string to float: '−1'", no cut-off with a KeyError, both deep inside chapter 9
        ("09-bias", {"landmarks": [-1.0]}, r"landmarks=\[-1.0\]: must be 1 to 12 numbers, each above 0"),
        ("09-bias", {"cutoffs": []}, r"cutoffs=\[\]: must be 1 to 12 whole numbers"),
        ("09-bias", {"cutoffs": "3,4"}, r"cutoffs=3,4: must be a list such as \[3, 4, 5, 6\]"),
        # a misspelt name: papermill only warned, and chapter 4 ran on the synthetic cohort
        ("04-baseline", {"cohort_pth": "mine.csv"}, "parameter cohort_pth: no chapter has this parameter"),
        ("05-response", {"confidance_level": 0.9}, "parameter confidance_level: no chapter has this"),
    ],
    ids=[
        "05-percent", "02-text", "06-zero-step", "09-no-resamples", "03-pounds",
        "09-negative-landmark", "09-no-cutoffs", "09-cutoffs-text", "04-misspelt-cohort-path",
        "05-misspelt",
    ],
)  # fmt: skip
def test_a_chapter_executed_directly_refuses_the_value_at_once(chapter, parameters, says, tmp_path):
    """The chapter's preamble checks its parameters as ``run`` does
    (:func:`analysis.runner.check_chapter_parameters`): one line, before any analysis cell."""
    with pytest.raises(papermill.PapermillExecutionError, match=says) as failed:
        execute_chapter(chapter, COHORT_CSV, tmp_path / f"{chapter}.ipynb", **parameters)
    assert failed.value.ename == "RunnerError", failed.value.ename
    # the cells: parameters, papermill's injected ones, the preamble
    assert failed.value.exec_count == 3, failed.value.exec_count


def test_every_chapter_checks_its_parameters_in_its_preamble():
    """Every chapter calls :func:`check_chapter_parameters` with its own name in the cell after
    its parameters (a hidden cell), so papermill users get the refusals ``run`` gives: values,
    lists (papermill's ``-y``) and a parameter name no chapter has (``-p cohort_pth``, on which
    papermill only warns and chapters 1, 4, 7, 8 and 10 ran on the synthetic cohort)."""
    for md in sorted((REPO_ROOT / "chapters").glob("[0-9][0-9]-*.md")):
        source = md.read_text(encoding="utf-8")
        cells = source.split("```{code-cell} ipython3\n")
        at = next((i for i, c in enumerate(cells) if c.startswith(":tags: [parameters]")), None)
        call = f'runner.check_chapter_parameters("{md.stem}", globals())'
        assert at is not None and call in cells[at + 1], md.stem
        assert cells[at + 1].startswith(":tags: [remove-cell]"), md.stem
    assert runner.check_chapter_parameters("09-bias", {"cutoffs": [3], "seed": 2024}) is None


# --------------------------------------------------------------------------------------------
# a report whose times read as years says so on its first page
# --------------------------------------------------------------------------------------------
@pytest.mark.slow(seconds=10)
def test_a_report_on_times_in_years_says_so_on_its_first_page(tmp_path, capsys):
    """Survival times in years (median OS 0.8) got a note on the terminal only: the report,
    the page a colleague opens, read "median OS 0.8 months" without a word. Its first page now
    says it, without the cohort's own values (the terminal's note gives the longest time)."""
    chapters = tmp_path / "chapters"
    chapters.mkdir()
    (chapters / "01-tiny.md").write_text(_TINY, encoding="utf-8")
    rows = pd.read_csv(COHORT_CSV, dtype=str, keep_default_na=False)
    for column in ("os_months", "pfs_months", "additional_tace_month", "response_month"):
        rows[column] = [f"{float(v) / 12:.2f}" if v else "" for v in rows[column]]
    cohort = tmp_path / "years.csv"
    rows.to_csv(cohort, index=False)
    out = tmp_path / "reports" / "r"
    argv = ["run", "--cohort", str(cohort), "--out", str(out), "--quiet"]
    assert main([*argv, "--chapters-dir", str(chapters)]) == 0
    err = capsys.readouterr().err
    assert "if the times are in years, multiply them by 12" in err
    page = " ".join((out / "index.html").read_text(encoding="utf-8").split())
    assert "Check the unit of the times" in page
    assert "they read as years, not months" in page
    longest = max(float(v) for v in rows["os_months"])
    assert f"{longest:.1f}" not in page.split("Check the unit of the times")[1][:600]


# --------------------------------------------------------------------------------------------
# --out typed in the book's folder
# --------------------------------------------------------------------------------------------
def test_out_a_new_folder_in_the_book_is_not_said_to_be_inside_a_folder_that_does_not_exist(
    monkeypatch,
):
    """``python -m analysis run --cohort mine.csv --out mine`` in the book's folder (the help's
    example without its reports/) said "is inside the book's mine/ folder": there is none."""
    monkeypatch.chdir(REPO_ROOT)
    name = "haic-never-made-124"
    with pytest.raises(RunnerError) as caught:
        check_output_dir(name)
    message = str(caught.value)
    assert message.startswith(f"--out {name}: is a new folder at the top of the book's folder")
    assert f"{name}/ folder" not in message and "use reports/<name>" in message
    with pytest.raises(RunnerError, match="--out tests: is the book's tests/ folder; "):
        check_output_dir("tests")
    with pytest.raises(RunnerError, match="--out tests/x: is inside the book's tests/ folder"):
        check_output_dir("tests/x")
    assert not (REPO_ROOT / name).exists()


# --------------------------------------------------------------------------------------------
# a censored time written as survival tables write it
# --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("cell", ["12+", "12.5 +", "3,5+"])
def test_a_time_marked_censored_with_a_plus_is_told_how_to_write_it(tmp_path, cell):
    """'12+' in os_months (a censored time, as survival tables print it) was refused as "a
    3-character text value, not a number" without a word of what to do."""
    rows = pd.read_csv(COHORT_CSV, dtype=str, keep_default_na=False)
    rows.loc[0, ["os_months", "pfs_months"]] = [cell, "2.06"]
    cohort = tmp_path / "mine.csv"
    rows.to_csv(cohort, index=False)
    with pytest.raises(CohortError) as caught:
        load_cohort(cohort)
    [problem] = caught.value.problems
    assert str(problem).startswith("column os_months: must be a number — 1 row: line 2")
    assert "a time followed by + (censored, as some tables mark it) is not a number" in str(problem)
    assert "0 in os_event or pfs_event" in problem.hint


# --------------------------------------------------------------------------------------------
# synthesize stopped: its chain processes stop with it
# --------------------------------------------------------------------------------------------
# SIGINT as a terminal delivers it: a process started in the background of a non-interactive
# shell (make's jobs, a CI script) inherits SIGINT ignored, and Python then installs no
# KeyboardInterrupt handler (the command ran on, as it should there, and the test failed)
_SYNTHESIZE = (
    "import signal\n"
    "signal.signal(signal.SIGINT, signal.default_int_handler)\n"
    "from analysis.synthesis import synthesize\n"
    "synthesize(7, chains=2, workers=2, steps=1_000_000, cox_steps=0)\n"
)


def _children(pid: int) -> list[int]:
    """The processes whose parent is ``pid`` (read from /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid and fields[0] != "Z":
                found.append(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
@pytest.mark.slow(seconds=20)
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_stopping_synthesize_stops_its_chain_processes(signum):
    """``kill PID`` (SIGTERM) of ``synthesize`` left both chain workers running their chains,
    then blocked on their pipes for good, children of init; ``kill -INT PID`` (the command's
    process alone, not the terminal's whole group) waited for every running chain to finish,
    a minute and more, before it said it was interrupted. Now the workers end with it."""
    proc = subprocess.Popen(
        [sys.executable, "-c", _SYNTHESIZE],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
        cwd=REPO_ROOT,
    )
    workers: list[int] = []
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and len(workers) < 2 and proc.poll() is None:
            time.sleep(0.2)
            workers = [p for p in _children(proc.pid) if b"resource_tracker" not in _cmdline(p)]
        assert len(workers) == 2, proc.stderr.read() if proc.poll() is not None else workers
        time.sleep(1.0)  # the chains are running
        proc.send_signal(signum)
        # SIGINT: not the wait for the chains (1,000,000 steps each: many minutes); generous
        # for a loaded machine (a fresh clone's `make test` beside other work missed 30 s)
        proc.wait(timeout=120)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and any(_alive(p) for p in workers):
            time.sleep(0.2)
        assert not [p for p in workers if _alive(p)], "chain processes outlived the command"
    finally:
        for pid in [proc.pid, *workers]:  # this test's own processes only
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
        proc.wait(timeout=10)


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


# --------------------------------------------------------------------------------------------
# a column named after a patient: never repeated
# --------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "header",
    ["Bệnh nhân Lê Thị Hoa", "notes_Pham_Van_Dong", "followup_John_Smith"],
)
def test_validate_never_lists_an_extra_column_named_after_a_patient(tmp_path, capsys, header):
    """``validate`` listed a column named 'Bệnh nhân Lê Thị Hoa' (patient Lê Thị Hoa) or
    'notes_Pham_Van_Dong' as it was among those "not used by the book": a name among other
    words escaped the header's check, which wants the whole header to be a name."""
    rows = pd.read_csv(COHORT_CSV, dtype=str, keep_default_na=False)
    rows[header] = "x"
    cohort = tmp_path / "mine.csv"
    rows.to_csv(cohort, index=False)
    assert main(["validate", str(cohort)]) == 0
    out, err = capsys.readouterr()
    assert "not used by the book: [masked]" in out
    for word in re.findall(r"[^\W\d_]{3,}", header):
        if word.lower() not in {"notes", "followup"}:
            assert word not in out + err, word
    # a hospital's name, or a note's, is no person's: still listed as it is
    rows = rows.drop(columns=header).assign(**{"Bach_Mai_site": "x", "Ghi chú": "y"})
    rows.to_csv(cohort, index=False)
    assert main(["validate", str(cohort)]) == 0
    assert "not used by the book: Bach_Mai_site, Ghi chú" in capsys.readouterr().out


def test_a_file_name_with_a_newline_stays_on_one_line_in_every_problem(tmp_path, capsys):
    """``validate $'a\\nb.csv'`` printed its header line escaped ('a\\nb.csv: 1 problem') and
    then "file: a", a line break and "b.csv does not exist" (each problem is one line)."""
    missing = tmp_path / "a\nb.csv"
    assert main(["validate", str(missing)]) == 2
    out = capsys.readouterr().out
    assert out.splitlines()[1] == "  - file: a\\nb.csv does not exist", out
    with pytest.raises(CohortError) as caught:
        load_cohort(missing)
    assert all("\n" not in str(p) for p in caught.value.problems)
    assert str(caught.value).splitlines()[0] == "a\\nb.csv: 1 problem with the cohort"


def test_a_pipe_given_as_the_cohort_is_named_as_typed(tmp_path, capsys):
    """``run --cohort /dev/stdin < /dev/null`` said "--cohort null: not a regular file": the
    name of what the link resolved to, not the one typed."""
    fifo = tmp_path / "pipe.fifo"
    os.mkfifo(fifo)
    link = tmp_path / "my_cohort.csv"
    link.symlink_to(fifo)
    out = tmp_path / "report"
    assert main(["run", "--cohort", str(link), "--out", str(out), "--chapters", "04"]) == 2
    err = capsys.readouterr().err
    assert err == "error: --cohort my_cohort.csv: not a regular file (a pipe or device)\n"
    assert not out.exists()


@pytest.mark.parametrize("seed", [-1, 2.5, "2024", True, float("nan")])
def test_a_seed_that_is_not_a_whole_non_negative_number_is_named_in_the_error(seed):
    """``papermill 09-bias.ipynb out.ipynb -p seed -1`` ended in NumPy's "expected non-negative
    integer" (no word of which argument), and ``-p seed 2.5`` ran silently as seed 2."""
    cohort = load_cohort()
    calls = [
        lambda: scenarios.retime(cohort, "fixed-interval", seed),
        lambda: bias.null_simulation(2, n=30, seed=seed),
        lambda: bias.simulate_null_exposure(5, seed=seed),
        lambda: bias.optimism_corrected_concordance(
            bias.multivariable_design(derive(cohort)), "os_months", "os_event", n_boot=2, seed=seed
        ),
    ]
    for call in calls:
        with pytest.raises(ValueError, match=r"seed: expected a non-negative whole number, got "):
            call()


def test_a_whole_seed_of_any_number_type_gives_the_same_draws():
    assert bias.null_simulation(2, n=30, seed=7.0).equals(bias.null_simulation(2, n=30, seed=7))
    assert bias.null_simulation(2, n=30, seed=np.int64(7)).equals(
        bias.null_simulation(2, n=30, seed=7)
    )


@pytest.mark.slow(seconds=4)
def test_a_full_temporary_folder_is_named_not_out(tmp_path, capsys, monkeypatch):
    """With TMPDIR on a full disk, the site's build (shutil.copytree of the book's files into
    the temporary folder) failed with shutil.Error, an OSError without a message: run said
    "--out reports/r: Error; nothing was written", blaming the report's folder."""
    chapters = tmp_path / "chapters"
    chapters.mkdir()
    (chapters / "01-tiny.md").write_text(_TINY, encoding="utf-8")
    cohort = tmp_path / "my.csv"
    cohort.write_bytes(COHORT_CSV.read_bytes())
    full = "[Errno 28] No space left on device: 'book/intro.md' -> 'build/book/intro.md'"

    def no_room(build_root, *args, **kwargs):
        raise shutil.Error([("book/intro.md", "build/book/intro.md", full)])

    monkeypatch.setattr(runner, "_build_site", no_room)
    out = tmp_path / "reports" / "r"
    argv = ["run", "--cohort", str(cohort), "--out", str(out), "--quiet"]
    assert main([*argv, "--chapters-dir", str(chapters)]) == 2
    err = unwrapped(capsys.readouterr().err)  # wrapped at 80 columns
    assert "error: the report's site could not be built in the temporary folder " in err
    assert "(No space left on device): free space there or set TMPDIR" in err
    assert "Error;" not in err and "--out" not in err
    assert not (tmp_path / "reports").exists()  # nothing written, the folder made removed


def test_dates_stored_as_spreadsheet_numbers_in_a_time_column_are_never_shown(tmp_path):
    """A date column formatted as a number (Excel stores 2023-03-03 as 44988) pasted into
    os_months was refused as "must be ≤ 600 months — line 2: 44988; line 3: 45231 …": each
    patient's exact date, in the message, with no word of what the numbers were."""
    rows = pd.read_csv(COHORT_CSV, dtype=str, keep_default_na=False)
    rows["os_months"] = [str(44927 + round(float(v) * 30)) for v in rows["os_months"]]
    cohort = tmp_path / "mine.csv"
    rows.to_csv(cohort, index=False)
    with pytest.raises(CohortError) as caught:
        load_cohort(cohort)
    [problem] = caught.value.problems
    text = str(problem)
    assert "line 2: a 5-digit number" in text
    assert not re.search(r"\b4[4-6][0-9]{3}\b", text), text
    assert "are dates as a spreadsheet stores them (days since 1900), not times" in problem.hint
    # a time beyond 600 months that is no date is still shown, with the column's own hint
    rows = pd.read_csv(COHORT_CSV, dtype=str, keep_default_na=False)
    rows.loc[0, "os_months"] = "900"
    rows.to_csv(cohort, index=False)
    with pytest.raises(CohortError) as caught:
        load_cohort(cohort)
    assert "line 2: 900" in str(caught.value) and "spreadsheet" not in str(caught.value)
