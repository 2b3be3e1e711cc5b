"""Chapter runs on cohorts other than the book's that tests of several modules assert on.

Each run is made once per test worker by a session fixture of ``tests/conftest.py``, and the
tests that read it share an ``xdist_group`` (so one worker makes it, once):

- ``odd_run`` (group ``full-run-odd``): chapters 1–7 and 9 on the second cohort without any
  optional column and with degenerate data (:func:`write_other_cohorts`), chapter 5 with
  ``confidence_level=0.9``, chapter 9 with few simulated studies and resamples. Read by
  tests/test_full_run.py, by test_chapters_02_03.py (chapter 2 on the required columns only)
  and by test_any_cohort.py (chapters 2, 4 and 5 without optional columns): each had run its
  own chapters on a cohort of its own without the optional columns. The report's site is not
  built: test_full_run.py's whole-book run builds one from every chapter, and what these tests
  read (explanations displayed in place of estimates) is in the notebooks.
- ``planted_run`` (group ``planted-run``): :func:`analysis.runner.run_book` (chapters and the
  report's site) on 13 rows of ``data/cohort.csv`` with planted extremes. Read by
  tests/test_no_individual_values.py and by test_chapters_02_03.py (a subset of the book's
  cohort: the Child-Pugh sentence claims no match; it had run chapter 2 on 45 rows).
- ``chapter_02_on_a_copy`` (group ``chapter-02-copy``): chapter 2 on ``data/cohort.csv`` copied
  to another path (a user's cohort) with ``require_two_sessions=False``. Read by
  test_no_individual_values.py (the stage-B cross-table) and test_chapters_02_03.py (the caption
  and prose follow the parameter): each had run chapter 2 on its own.
- ``no_deaths_run`` (group ``no-deaths-run``): chapters 6, 7 and 9 on ``data/cohort.csv``
  with every patient censored (:func:`no_deaths_rows`). Read by tests/test_reader_cohorts.py
  (the sentences of the three chapters on a cohort without deaths) and by test_any_cohort.py
  (chapter 6 runs to the end on an all-censored cohort, no bare NaN or dash: it had run chapter
  06 on 12 such patients of its own, about 3 CPU-s).
- ``short_no_tace_run`` (group ``short-no-tace-run``): chapters 6 and 9 on ``data/cohort.csv``
  with nobody treated with additional TACE, nobody with more than 4 prior TACE sessions, and
  every time divided by 12 (:func:`short_no_tace_rows`). Read by tests/test_any_cohort.py (the
  sentences of chapters 6 and 9 where a group has nobody: it had run both on the cohort
  without the short follow-up) and by test_reader_cohorts.py (the Kaplan-Meier figures' time
  axis on a follow-up of at most about 4 months: it had run chapter 6 on the cohort with every
  time divided by 12 alone, about 3 CPU-s). The two properties do not meet: the figures' step
  follows the follow-up's length, the sentences the groups' sizes (and a comparison that has no
  second group, the same on any time scale).
- ``stretched_run`` (group ``stretched-run``): chapters 6 and 9 (the latter with few simulated
  studies and resamples) on 60 of the book's patients with every time stretched
  (:func:`stretched_rows`), saved as ``my cohort.csv``. Read by tests/test_reader_cohorts_pass5.py
  (the sentences of a cohort whose median lies beyond 12 months) and by
  test_reader_cohorts_pass6.py (Exercise 9.3's command names the reader's file, quoted, and
  the reader's number of simulated studies: it had run chapter 9 on a cohort of its own with
  the same parameters, about 2 CPU-s).
- ``short_treated_run`` (group ``short-treated-run``): chapters 5, 6, 7, 9 (few simulated
  studies and resamples) and 10 on ``data/cohort.csv`` with every time divided by 50,
  everybody treated with additional TACE, SD and PR read as CR, every Child-Pugh score 5 or 6
  and INR empty (:func:`short_treated_rows`). Read by tests/test_reader_cohorts_pass4.py
  (chapters 5, 6, 7 and 9 on a follow-up under a month, without stable disease, many deaths
  tied) and by test_reader_cohorts_pass6.py (chapter 7 counts the parameters it fits,
  chapter 10 an optional column empty in every row: it had run both on the same cohort without
  the short follow-up and the responses, about 4 CPU-s). The parameters chapter 7 fits follow
  which terms vary (additional TACE, the scores), not the times; the tied deaths change their
  estimates, not their number.

Every chapter is executed the way ``python -m analysis run`` executes it (papermill, working
directory ``chapters/``, the cohort as the ``cohort_path`` parameter), in a kernel of its own
forked from the test worker's zygote (tests/kernel_fork.py). A module run alone makes every
run it reads: tests/test_chapters_02_03.py alone reads all three (about 39 CPU-s, where its own
three runs of chapter 2 took about 14); the four modules together, as ``make test`` runs them,
save about 17 CPU-s. The last four runs above spare four chapter runs (chapter 6 twice, 7 and
9) and the set-up of the tests that made them; with chapter 9's few simulated studies and
resamples where nothing reads them, the modules that read them (with test_engine_linalg.py's
cheaper seed) went from about 111 to 63 CPU-s, in one process.
"""

from __future__ import annotations

import atexit
import functools
import io
import shutil
import tempfile
import textwrap
from pathlib import Path

SEED = 20260415  # any seed other than the book's

# --------------------------------------------------------------- the second and odd cohorts
#: The chapters run on the cohort without optional columns and with degenerate data.
ODD_CHAPTERS = "01,02,03,04,06,07,09"
#: Chapters run on that cohort as well, with parameters other than the default (test_any_cohort:
#: chapter 5's Exercise 5.2 follows ``confidence_level``).
ODD_EXTRA = {"05-response": {"confidence_level": 0.9}}
#: Parameters of chapters of :data:`ODD_CHAPTERS`: chapter 9 with few simulated null studies and
#: bootstrap resamples, which no test reads on this cohort (they read its prose, its sentence on
#: the exposure nobody has, and that no cell failed), as the other runs below have them: about
#: 3 of the chapter's 5 CPU-s. Chapter 9 at its defaults on a user's cohort is
#: test_full_run.py's whole-book run on the second cohort.
ODD_PARAMETERS = {"09-bias": {"n_simulations": 4, "n_bootstrap": 4}}


def optional_columns() -> list[str]:
    import yaml

    from analysis import DATA_DIR

    schema = yaml.safe_load((DATA_DIR / "schema.yaml").read_text(encoding="utf-8"))
    return [c["name"] for c in schema["columns"] if not c.get("required", True)]


def write_other_cohorts(root: Path) -> dict[str, Path]:
    """(a) ``second``: the *uncalibrated* initial draw of :func:`analysis.synthesis.draw_initial`
    under :data:`SEED`; (b)+(c) ``odd``: the same without any optional column, nobody with
    additional TACE, every patient with disease control censored. Each is valid."""
    import numpy as np
    import pandas as pd

    from analysis import synthesis
    from analysis.cohort import load_cohort

    second = root / "second.csv"
    df = synthesis.draw_initial(np.random.default_rng(SEED), synthesis.published_spec())
    synthesis.write_cohort_csv(df, second)
    raw = pd.read_csv(second, dtype=str, keep_default_na=False)

    # (b) no optional column and (c) degenerate: one cohort
    odd = root / "no-optional-degenerate.csv"
    d = raw.drop(columns=[c for c in optional_columns() if c in raw.columns])
    assert "additional_tace_month" not in d.columns
    d["additional_tace"] = "0"
    control = d["best_response"].isin(["CR", "PR", "SD"])
    assert control.any() and (~control).any()
    d.loc[control, ["os_event", "pfs_event"]] = "0"
    d.to_csv(odd, index=False)

    for path in (second, odd):
        load_cohort(path)  # each is valid: problems here are the test's, not the book's
    return {"second": second, "odd": odd}


@functools.cache
def kernel_manager():
    """The kernel manager ``python -m analysis run`` uses (kernels on Unix sockets in a private
    folder, not on TCP ports another process could take first), for this test process."""
    from analysis.runner import _quiet_kernel_manager

    folder = tempfile.mkdtemp(prefix="haic-k-")
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return _quiet_kernel_manager(Path(folder))


def execute_chapter(chapter: str, cohort: Path, out: Path, **parameters) -> Path:
    """Execute ``chapters/<chapter>.md`` as ``python -m analysis run`` does (without the
    report's site) into the notebook ``out``."""
    import papermill

    from analysis.runner import CHAPTERS_DIR, _notebook

    papermill.execute_notebook(
        _notebook(CHAPTERS_DIR / f"{chapter}.md"), str(out),
        parameters={"cohort_path": str(cohort), **parameters}, cwd=str(CHAPTERS_DIR),
        progress_bar=False, log_output=False, request_save_on_cell_execute=False,
        kernel_manager_class=kernel_manager(),
    )  # fmt: skip
    return out


#: The YAML header of a chapter written by a test (jupytext MyST, the book's kernel).
JUPYTEXT_HEAD = textwrap.dedent(
    """\
    ---
    jupytext:
      text_representation:
        extension: .md
        format_name: myst
        format_version: 0.13
    kernelspec:
      display_name: Python 3
      language: python
      name: python3
    ---
    """
)

#: A chapter of one parameter (``cohort_path``) and one cell that prints "ran": a ``run`` of it
#: (``--chapters-dir``) checks what ``run`` does around the chapters at the cost of one tiny kernel.
TINY_CHAPTER = JUPYTEXT_HEAD + textwrap.dedent(
    """\

    # Tiny

    ```{code-cell} ipython3
    :tags: [parameters]
    cohort_path = None
    ```

    ```{code-cell} ipython3
    print("ran")
    ```
    """
)


def run_rows(rows, csv: Path, runs: dict[str, dict]) -> Path:
    """``rows`` (a DataFrame) written to ``csv``, then each chapter of ``runs`` executed on it
    with its parameters into ``<chapter>.ipynb`` beside it: the folder."""
    rows.to_csv(csv, index=False)
    for chapter, parameters in runs.items():
        execute_chapter(chapter, csv, csv.parent / f"{chapter}.ipynb", **parameters)
    return csv.parent


def run_odd(cohort: Path, out: Path) -> Path:
    """:data:`ODD_CHAPTERS` and :data:`ODD_EXTRA` executed on ``cohort`` into the folder
    ``out`` (``<chapter>.ipynb``)."""
    from analysis.runner import CHAPTERS_DIR

    names = {p.stem[:2]: p.stem for p in CHAPTERS_DIR.glob("[0-9][0-9]-*.md")}
    out.mkdir(parents=True)
    runs = {names[key]: ODD_PARAMETERS.get(names[key], {}) for key in ODD_CHAPTERS.split(",")}
    runs |= ODD_EXTRA
    for chapter in sorted(runs):
        execute_chapter(chapter, cohort, out / f"{chapter}.ipynb", **runs[chapter])
    return out


# ------------------------------------------------------------------------ the planted cohort
AGE = "104"
AFP = "987654.3"
CYCLES = 49  # schema maximum 50; the book's cohort gives nobody near this many
#: The chapters that summarise, count or draw the baseline values: checked for the extremes.
CHAPTERS = ["01-data", "02-eligibility", "03-treatment", "04-baseline", "05-response"]
#: The planted run also executes the chapters whose prose glues counts of patients (06, 07) and
#: chapter 9's landmark tables; the planted extremes are checked in CHAPTERS.
RUN_CHAPTERS = [*CHAPTERS, "06-survival", "07-cox", "09-bias"]
#: Patients of the planted cohort the chapters run on: odd, so that a median is one patient's.
PLANTED_N = 13
#: The run's ``-p``: chapter 9's simulated null studies and bootstrap resamples, few (no test
#: reads them on this cohort; its glued counts, the deaths per parameter and the landmark tables
#: do not depend on them): about 3 of the chapter's 5 CPU-s. The other chapters have no such
#: parameter (papermill sets it in their injected cell, unused).
PLANTED_PARAMETERS = {"n_simulations": 4, "n_bootstrap": 4}


def planted_rows(n: int = 12):
    """The first ``n`` rows of ``data/cohort.csv`` (as text) with an age of :data:`AGE`, an AFP
    of :data:`AFP` and a HAIC course of :data:`CYCLES` cycles planted."""
    import pandas as pd

    from analysis import COHORT_CSV

    rows = pd.read_csv(COHORT_CSV, dtype=str, keep_default_na=False).head(n).copy()
    rows.loc[0, "age_years"] = AGE
    rows.loc[1, "afp_ng_ml"] = AFP
    rows.loc[2, "haic_cycles"] = str(CYCLES)
    return rows


def run_planted(root: Path) -> Path:
    """:func:`analysis.runner.run_book` of :data:`RUN_CHAPTERS` on ``root/planted.csv``
    (:data:`PLANTED_N` planted rows), with :data:`PLANTED_PARAMETERS`: the report folder
    ``root/report``."""
    from analysis.runner import run_book

    path = root / "planted.csv"
    planted_rows(PLANTED_N).to_csv(path, index=False)
    run_book(
        path, root / "report", parameters=PLANTED_PARAMETERS, chapters=RUN_CHAPTERS,
        progress=False, log=io.StringIO(),
    )  # fmt: skip
    return root / "report"


# ------------------------------------------------------------ the cohort without deaths
#: The chapters run on the cohort where nobody died.
NO_DEATHS_CHAPTERS = ("06-survival", "07-cox", "09-bias")
#: Chapter 9's simulated null studies and bootstrap resamples, few: no test reads them on this
#: cohort (its model cannot be fitted, so no resample is tried; the simulated studies do not
#: depend on the cohort's deaths), as tests/test_reader_cohorts_pass5.py runs it (about 1.3 of
#: its 3.2 CPU-s).
NO_DEATHS_PARAMETERS = {"09-bias": {"n_simulations": 4, "n_bootstrap": 4}}


def no_deaths_rows():
    """``data/cohort.csv`` (as text) with every patient censored: nobody died or progressed."""
    import pandas as pd

    from analysis import COHORT_CSV

    df = pd.read_csv(COHORT_CSV, dtype=str, keep_default_na=False)
    df["os_event"], df["pfs_event"] = "0", "0"
    return df


def run_no_deaths(root: Path) -> Path:
    """:data:`NO_DEATHS_CHAPTERS` executed on ``root/alive.csv`` (:func:`no_deaths_rows`), with
    :data:`NO_DEATHS_PARAMETERS`: the folder ``root`` (``<chapter>.ipynb``)."""
    runs = {chapter: NO_DEATHS_PARAMETERS.get(chapter, {}) for chapter in NO_DEATHS_CHAPTERS}
    return run_rows(no_deaths_rows(), root / "alive.csv", runs)


# ------------------------------- no additional TACE, no more than 4 prior sessions, short follow-up
#: The chapters run on that cohort.
SHORT_NO_TACE_CHAPTERS = ("06-survival", "09-bias")
#: Chapter 9 with few simulated studies and resamples: no test reads them on this cohort (about
#: 2 of its 4 CPU-s).
SHORT_NO_TACE_PARAMETERS = {"09-bias": {"n_simulations": 4, "n_bootstrap": 4}}
#: The times divided by 12 in that cohort (every time the schema records).
TIMES = ("os_months", "pfs_months", "additional_tace_month", "response_month")


def short_no_tace_rows():
    """``data/cohort.csv`` (as text) with nobody treated with additional TACE, the prior TACE
    sessions capped at 4 (the refractory ones at the prior ones), and every time divided by 12:
    follow-up of at most about 4 months. Valid (checked)."""
    import pandas as pd

    from analysis import COHORT_CSV
    from analysis.cohort import validate_cohort

    df = pd.read_csv(COHORT_CSV, dtype=str, keep_default_na=False)
    df["additional_tace"], df["additional_tace_month"] = "0", ""
    prior = df["prior_tace_sessions"].astype(int).clip(upper=4)
    refractory = df["refractory_tace_sessions"].astype(int).clip(upper=prior)
    df["prior_tace_sessions"] = prior.astype(str)
    df["refractory_tace_sessions"] = refractory.astype(str)
    for col in TIMES:
        df[col] = [v if v == "" else f"{float(v) / 12:.2f}" for v in df[col]]
    assert not validate_cohort(df)
    return df


def run_short_no_tace(root: Path) -> Path:
    """:data:`SHORT_NO_TACE_CHAPTERS` executed on ``root/short-notace.csv``
    (:func:`short_no_tace_rows`), with :data:`SHORT_NO_TACE_PARAMETERS`: the folder ``root``."""
    runs = {c: SHORT_NO_TACE_PARAMETERS.get(c, {}) for c in SHORT_NO_TACE_CHAPTERS}
    return run_rows(short_no_tace_rows(), root / "short-notace.csv", runs)


# ------------------------------------------------------------------- the stretched cohort
#: The chapters run on the stretched cohort, with their parameters: chapter 9 with few
#: simulated studies and resamples (the exercise's command then names the reader's number).
STRETCHED_RUNS = {"06-survival": {}, "09-bias": {"n_simulations": 4, "n_bootstrap": 4}}
#: The stretched cohort's file name: a space, which a command that names it must quote.
STRETCHED_CSV = "my cohort.csv"


def stretched_rows():
    """60 of the book's patients (a seeded sample), their times × 1.35 + 0.5 months, the
    schema's rules kept (no time after death), the ids renumbered. Valid (checked)."""
    import numpy as np
    import pandas as pd

    from analysis import COHORT_CSV
    from analysis.cohort import validate_cohort

    df = pd.read_csv(COHORT_CSV, dtype={"patient_id": str}).sample(60, random_state=7)
    df = df.reset_index(drop=True)
    for col in TIMES:
        df[col] = (df[col] * 1.35 + 0.5).round(2)
    for col in ("pfs_months", "response_month", "additional_tace_month"):
        df[col] = np.minimum(df[col], df["os_months"])
    df["patient_id"] = [f"P{i:03d}" for i in range(1, 61)]
    assert not validate_cohort(df)
    return df


def run_stretched(root: Path) -> Path:
    """:data:`STRETCHED_RUNS` executed on ``root /`` :data:`STRETCHED_CSV`
    (:func:`stretched_rows`): the folder ``root`` (``<chapter>.ipynb``)."""
    return run_rows(stretched_rows(), root / STRETCHED_CSV, STRETCHED_RUNS)


# ------------------------------------------------- a short follow-up, everybody treated
#: The chapters run on that cohort, with their parameters.
SHORT_TREATED_RUNS = {
    "05-response": {},
    "06-survival": {},
    "07-cox": {},
    "09-bias": {"n_simulations": 4, "n_bootstrap": 4},
    "10-your-cohort": {},
}


def short_treated_rows():
    """``data/cohort.csv`` (as text) with every time divided by 50 (follow-up under a month;
    two decimals: 50 deaths share 15 times), everybody treated with additional TACE (at half
    the follow-up where the book's patient had none), SD and PR read as CR (nobody with stable
    disease), every Child-Pugh score 5 or 6 and INR empty in every row (so the score need not
    match its components). Valid (checked)."""
    import pandas as pd

    from analysis import COHORT_CSV
    from analysis.cohort import validate_cohort

    df = pd.read_csv(COHORT_CSV, dtype=str, keep_default_na=False)
    for col in TIMES:
        df[col] = [v if v == "" else f"{float(v) / 50:.2f}" for v in df[col]]
    df["additional_tace"] = "1"
    df["additional_tace_month"] = [
        v if v else f"{float(t) / 2:.2f}" for v, t in zip(df["additional_tace_month"], df["os_months"], strict=True)
    ]  # fmt: skip
    df["best_response"] = df["best_response"].replace({"SD": "CR", "PR": "CR"})
    df["inr"] = ""
    df["child_pugh_score"] = df["child_pugh_score"].astype(int).clip(upper=6).astype(str)
    assert not validate_cohort(df)
    return df


def run_short_treated(root: Path) -> Path:
    """:data:`SHORT_TREATED_RUNS` executed on ``root/short-treated.csv``
    (:func:`short_treated_rows`): the folder ``root`` (``<chapter>.ipynb``)."""
    return run_rows(short_treated_rows(), root / "short-treated.csv", SHORT_TREATED_RUNS)


# ------------------------------------------------------- chapter 2 on a copy of the book's
def run_02_on_a_copy(root: Path) -> Path:
    """Chapter 2 on ``data/cohort.csv`` copied to ``root/copy.csv`` (a user's cohort), with
    ``require_two_sessions=False``: the executed notebook ``root/02-eligibility.ipynb``."""
    from analysis import COHORT_CSV

    copy = root / "copy.csv"
    copy.write_bytes(Path(COHORT_CSV).read_bytes())
    return execute_chapter(
        "02-eligibility", copy.resolve(), root / "02-eligibility.ipynb", require_two_sessions=False
    )
