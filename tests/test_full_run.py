"""The whole book re-run on cohorts other than the book's own (issue 7, items 2 and 5).

One run of :func:`analysis.runner.run_book` (one kernel per chapter, papermill; then the
report's site built by jupyter-book) and one papermill execution of some chapters without a
site, each asserted on by the tests that need it:

(a) a second, differently generated valid cohort -- the *uncalibrated* initial draw of
    :func:`analysis.synthesis.draw_initial` under another seed -- through every chapter: the run
    succeeds, every chapter's notebook and HTML exist, and the published-vs-reproduced tables
    label the numbers as "your cohort" instead of scoring them ("agrees"/"differs");
(b) the same cohort without any optional column (data/schema.yaml), through the chapters that
    use them most: they run and say what they skip; and
(c) degenerate -- nobody with additional TACE, every patient with disease control censored --
    through 06-survival, 07-cox and 09-bias: the explanations appear in place of the
    estimates, and no error.

(b) and (c) are one cohort and one run (01, 02, 03, 04, 06, 07, 09; and 05, with
``confidence_level=0.9``, for tests/test_any_cohort.py): each chapter's explanation of a
missing optional column and of the degenerate data are asserted separately, by
:func:`test_cohort_without_optional_columns` and :func:`test_degenerate_cohort`. In chapter
09 the two do not mask each other: the naive analysis needs only ``additional_tace`` (constant:
"every patient has the same exposure"), the time-dependent ones need ``additional_tace_month`` (absent).
The cohorts and that run are session fixtures (``other_cohorts``, ``odd_run``;
tests/cohort_runs.py): tests of test_chapters_02_03.py and test_any_cohort.py read the same run,
in the same xdist group.

Both runs are slow (about 30 and 27 CPU-s, each measured alone): ``tests/conftest.py`` starts
them first, on both test workers.
"""

from __future__ import annotations

import io
import json
import re

import pandas as pd
import pytest
from cohort_runs import ODD_CHAPTERS, ODD_EXTRA

from analysis.runner import CHAPTERS_DIR, run_book
from analysis.tables import NOT_SCORED

#: the chapters' kernels are forked from one process that imported what they import
#: (tests/kernel_fork.py); each chapter still runs in a kernel of its own; so are the command
#: line and the report's site build (tests/proc_fork.py), each in a process of its own
pytestmark = pytest.mark.usefixtures("forked_kernels", "forked_programs")

CELL_ERROR = "<<cell raised>>"


def _outputs(notebook_path) -> str:
    """Every text and HTML output of an executed notebook, glued values included, joined."""
    nb = json.loads(notebook_path.read_text(encoding="utf-8"))
    parts = []
    for cell in nb["cells"]:
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                parts.append(f"{CELL_ERROR} {out.get('ename', '')}")
            data = out.get("data", {})
            for mime, text in data.items():
                # displayed outputs, and glued values (myst-nb's papermill.record/… mimes)
                if mime.endswith(("text/html", "text/markdown", "text/plain")):
                    parts.append(text if isinstance(text, str) else "".join(text))
            if "text" in out:
                parts.append(out["text"] if isinstance(out["text"], str) else "".join(out["text"]))
    return "\n".join(parts)


def _run(cohort, out, chapters=None):
    log = io.StringIO()
    result = run_book(cohort, out, chapters=chapters, progress=False, log=log)
    assert result.out == out.resolve() or result.out == out
    return result


#: Chapters whose published-vs-reproduced tables compare the cohort with the paper.
SCORED_CHAPTERS = ["02-eligibility", "04-baseline", "05-response", "06-survival", "07-cox"]


ALL_CHAPTERS = sorted(p.stem for p in CHAPTERS_DIR.glob("[0-9][0-9]-*.md"))
#: Chapters that never read the cohort (their ``cohort_path`` parameter is unused by their
#: analysis): the same numbers on any cohort, executed by the book's build and by nbval, so not
#: run again here. Only chapter 8's wording depends on whether the cohort is the user's: the
#: cells that word it are tested without a run (test_audit_prose_on_a_user_cohort_names_it_...).
COHORT_FREE = [
    c for c in ALL_CHAPTERS
    if "cohort_path = None  # unused" in (CHAPTERS_DIR / f"{c}.md").read_text(encoding="utf-8")
]  # fmt: skip


@pytest.mark.slow(seconds=30)
def test_whole_book_on_a_second_cohort(other_cohorts, tmp_path):
    """Every chapter that reads the cohort, on a valid cohort that is not the book's: verdicts say
    "your cohort"."""
    out = tmp_path / "second"
    expected = [c for c in ALL_CHAPTERS if c not in COHORT_FREE]
    assert COHORT_FREE == ["08-audit"]  # a chapter that starts reading the cohort is run here
    result = _run(other_cohorts["second"], out, chapters=",".join(c[:2] for c in expected))
    assert [c.name for c in result.chapters] == expected
    # a report without 08-audit: the links to it (chapters 1 and 7) are text, not warnings
    assert result.warnings == []
    assert not (out / "build-warnings.txt").exists()
    for name in expected:
        notebook, page = out / f"{name}.ipynb", out / "chapters" / f"{name}.html"
        assert notebook.is_file() and page.is_file(), name
        assert CELL_ERROR not in _outputs(notebook), name
    for name in SCORED_CHAPTERS:
        text = _outputs(out / f"{name}.ipynb")
        assert NOT_SCORED in text, f"{name}: no 'not scored (your cohort)' verdict"
        # no cell of a comparison table scores the user's numbers against the paper
        assert not re.search(r"<td>(agrees|differs)</td>", text), name
        assert NOT_SCORED in (out / "chapters" / f"{name}.html").read_text(encoding="utf-8"), name
    for name in ("04-baseline", "05-response", "06-survival", "07-cox"):
        # the comparison column is headed "Your cohort" (chapter 7's Table 2: the row under the
        # paper's reads "↳ your cohort", a narrow no-break space after the arrow), never
        # "Reproduced"
        text = _outputs(out / f"{name}.ipynb")
        assert re.search(r"\|\s*(Your cohort|↳\s+your cohort)\s*\|", text), name
    # chapter 2's reading of the JSH counts is the cohort's own (it records the criteria)
    assert "The count above is your cohort's" in _prose(out / "02-eligibility.ipynb")
    # no raw rows: no patient id of the cohort appears in any output (one search for any of
    # them, a match wherever one id's own search matches; each id looked for alone to name them)
    ids = pd.read_csv(other_cohorts["second"], dtype=str)["patient_id"]
    any_id = re.compile("|".join(rf"\b{re.escape(i)}\b" for i in ids))
    for name in expected:
        text = _outputs(out / f"{name}.ipynb")
        if any_id.search(text):
            leaked = [i for i in ids if re.search(rf"\b{re.escape(i)}\b", text)]
            raise AssertionError(f"{name} prints patient ids {leaked[:3]}")


# the tests of the group (three here, one in test_chapters_02_03.py, one in test_any_cohort.py)
# share the run (a session fixture): one worker takes them all
@pytest.mark.slow(seconds=27)
@pytest.mark.xdist_group("full-run-odd")
def test_cohort_without_optional_columns(odd_run):
    out = odd_run
    elig = _outputs(out / "02-eligibility.ipynb")
    assert "JSH criteria not recorded" in elig  # one note, in clinical words
    assert "Child-Pugh score cannot be recomputed" in elig
    base = _outputs(out / "04-baseline.ipynb")
    assert "column absent" in base and "optional column pivka2 is not in this cohort" in base
    treat = _outputs(out / "03-treatment.ipynb")
    assert "no height_cm or weight_kg column" in treat
    cox = _outputs(out / "07-cox.ipynb")
    assert "optional column not in this cohort" in cox
    bias = _outputs(out / "09-bias.ipynb")
    assert "does not record additional_tace_month for every exposed patient" in bias
    data = _outputs(out / "01-data.ipynb")
    assert "not scored (your cohort)" in data and "no refractory_tace_sessions column" in data
    assert "not computed for your cohort" in data.lower()  # the Cox calibration is the book's only
    # no score against the paper: the printed hit / missed / infeasible counts are the book's only
    # (tester: "missed 94 / infeasible 3 / hit 2" just above "unscored")
    assert not re.search(r"^(hit|missed|infeasible)\s+\d+$", data, flags=re.M), "scored"


@pytest.mark.slow(seconds=27)
@pytest.mark.xdist_group("full-run-odd")
def test_degenerate_cohort(odd_run):
    out = odd_run
    surv = _outputs(out / "06-survival.ipynb")
    assert "Not estimable on this cohort" in surv  # the note is displayed, not only computed
    assert "nobody in the group “additional TACE”" in surv  # the absent group
    assert "no events in this group" in surv  # disease control: all censored
    # glued into the prose: a sentence of its own, not "a median OS of not estimable months"
    prose = _prose(out / "06-survival.ipynb")
    assert (
        "The median OS of the patients who received additional TACE during HAIC cannot be computed "
        "on this cohort: no patient of this cohort received it." in prose
    )
    # and the log-rank test too, not "Log-rank P not estimable"
    assert (
        "The log-rank test cannot be computed on this cohort: only one group has patients, "
        "nobody in the group “additional TACE”." in prose
    )
    assert "Log-rank P not estimable" not in prose and "not estimable (nobody" not in prose
    # a median (or a bound) the curve never reaches is glued with no unit: "The median PFS is
    # not reached", not "not reached months" (this cohort's PFS stays above one half)
    assert "The median PFS is not reached" in prose
    assert not re.search(r"not (?:reached|estimable)\)? months", prose), prose
    cox = _outputs(out / "07-cox.ipynb")
    assert "nobody in this cohort is in its group (yes)" in cox  # additional TACE
    assert CELL_ERROR not in cox
    bias = _outputs(out / "09-bias.ipynb") + _prose(out / "09-bias.ipynb")
    # nobody had additional TACE: a sentence of its own says why (no nested parentheses)
    assert "cannot be computed on this cohort: every patient has the same exposure." in bias
    data = _outputs(out / "01-data.ipynb")
    assert CELL_ERROR not in data and "not scored (your cohort)" in data
    for name in ("02-eligibility", "03-treatment", "04-baseline", "05-response", "06-survival",
                 "09-bias"):  # fmt: skip
        assert CELL_ERROR not in _outputs(out / f"{name}.ipynb"), name


GLUE_ROLE = re.compile(r"\{glue(?::\w+)?\}`([^`]+?)(?::(?:commonmark|gfm|myst))?`")
#: Wording that is true of the book's synthetic cohort only: "the synthetic cohort" (but not "the
#: book's synthetic cohort", which names it as such), "this cohort is synthetic", the generator's
#: choices, the calibration's traces.
BOOK_ONLY = re.compile(
    r"(?<!book's )synthetic cohort|cohort is synthetic|the generator's|the calibration left"
    r"|calibrated under it|Calibrated medians|calibrated curves",
    re.IGNORECASE,
)


def _prose(notebook_path) -> str:
    """The Markdown cells of an executed notebook as the reader sees them: each inline glue role
    replaced by the value the notebook glued under its name (a sentence's Markdown, or a value's
    text); a role whose name was not glued stays as it is."""
    nb = json.loads(notebook_path.read_text(encoding="utf-8"))
    glued = {}
    for cell in nb["cells"]:
        for out in cell.get("outputs", []):
            name = out.get("metadata", {}).get("scrapbook", {}).get("name")
            data = out.get("data", {})
            for mime in ("text/markdown", "text/plain"):
                value = data.get(f"application/papermill.record/{mime}")
                if name and value is not None:
                    value = value if isinstance(value, str) else "".join(value)
                    if mime == "text/plain" and value[:1] in "'\"" and value[-1:] == value[:1]:
                        value = value[1:-1]  # the repr of a glued str
                    glued.setdefault(name, value)
    cells = [c for c in nb["cells"] if c["cell_type"] == "markdown"]
    text = "\n\n".join(
        c["source"] if isinstance(c["source"], str) else "".join(c["source"]) for c in cells
    )
    return GLUE_ROLE.sub(lambda m: glued.get(m.group(1), m.group(0)), text)


def _book_only_sentences(text: str) -> list[str]:
    sentences = re.split(r"(?<=[.!?:])\s+", text)
    return [" ".join(s.split()) for s in sentences if BOOK_ONLY.search(s)]


@pytest.mark.slow(seconds=27)
@pytest.mark.xdist_group("full-run-odd")
def test_prose_on_a_user_cohort_does_not_describe_the_synthetic_one(odd_run):
    """The prose a researcher reads in a report of their own cohort says nothing of it that is true
    only of the book's synthetic cohort (reviewer: chapters 2 and 3 still said "In the synthetic
    cohort …" of the user's numbers). Chapter 1 describes the book's cohort by design: on a user's
    cohort it says so at the top, and the parts it computes on the user's cohort (the aggregates
    set beside the paper's, the medians on a plateau, the two figures) read as theirs."""
    out = odd_run
    run = sorted(p.stem for p in out.glob("*.ipynb"))  # ODD_CHAPTERS, and 05 (ODD_EXTRA)
    assert run == sorted(
        {c for c in ALL_CHAPTERS if c[:2] in ODD_CHAPTERS.split(",")} | set(ODD_EXTRA)
    )
    for name in run:
        text = _prose(out / f"{name}.ipynb")
        if name == "01-data":
            assert "this chapter still describes the book's synthetic cohort" in text
            assert "the chapters show no such badges" in text  # before the provenance classes
            assert "not computed for your cohort" in text  # the Cox phase's section
            yours = text[
                text.index("## Target against achieved") : text.index("### Table 2 hazard ratios")
            ]
            yours += text[
                text.index("## The synthetic distributions") : text.index("## Key points")
            ]
            assert "your cohort" in yours
            assert _book_only_sentences(yours) == [], name
            # the exercise on the paper's mean is about the paper's 82 patients, whatever the cohort
            assert re.search(r"Can 82 integers have a mean", text)
            continue
        assert _book_only_sentences(text) == [], name
    # the cohort's own words where the book speaks of the synthetic one
    # (this cohort records no JSH criteria: chapter 2 says so once, in place of the counts that
    # a cohort with them reads as "The count above is your cohort's")
    elig = json.loads((out / "02-eligibility.ipynb").read_text(encoding="utf-8"))
    notes = [
        o for c in elig["cells"] for o in c.get("outputs", [])
        if "JSH criteria not recorded" in json.dumps(o)
    ]  # fmt: skip
    assert len(notes) == 1, notes
    assert "The count above is your cohort's" not in _prose(out / "02-eligibility.ipynb")
    assert "In your cohort, " in _prose(out / "03-treatment.ipynb")
    # nobody in this cohort had additional TACE: the naive hazard ratio's sentence says it cannot
    # be computed (on a cohort where it can: "in your cohort (Efron's ties); the paper's …"), and the reading that
    # rests on it (immortal time) is left out
    bias = _prose(out / "09-bias.ipynb")
    assert (
        "treated as known at time zero, as in the paper, cannot be computed on this cohort" in bias
    )
    assert "much of the naive benefit would be immortal time" not in bias
    assert "On your cohort" in bias


def test_book_prose_keeps_its_synthetic_wording():
    """On the book's own cohort the glued variants are the book's sentences (the golden notebooks,
    executed on data/cohort.csv): the same helper finds the synthetic cohort named there."""
    for name, sentence in {
        "02-eligibility": "This cohort is synthetic, so the count above is a question to ask of real data",
        "03-treatment": "In the synthetic cohort (whose heights and weights are assumed",
        "06-survival": "on the synthetic cohort, whose response and treatment times are assumed",
        "07-cox": "since the synthetic cohort was calibrated under it",
        "09-bias": "in the synthetic cohort (Efron's ties); the paper's",
        "01-data": "Calibrated medians on an exact plateau",
        "08-audit": "refits Table 2 both ways on the synthetic cohort",
    }.items():
        text = " ".join(_prose(CHAPTERS_DIR / f"{name}.ipynb").split())
        assert sentence in text, name
        assert "your cohort" not in " ".join(_book_only_sentences(text)), name


def test_audit_prose_on_a_user_cohort_names_it_without_a_run():
    """Chapter 8 runs in every report, but no run above executes it: its audit reads only the
    published numbers (:data:`COHORT_FREE`). Its text still spoke of "the synthetic cohort" and
    said the previous chapters "reproduce what the paper reports" in a report of a user's
    cohort, and its badges contradicted chapter 1 ("On your cohort the chapters show no such
    badges"). The cells that word it (the parameters and the set-up, with ``cohort_path`` a
    user's file, and the glue cell after them; no kernel, about 0.1 s) glue the user's variants, which the prose then reads."""
    from unittest import mock

    import jupytext

    nb = jupytext.read(CHAPTERS_DIR / "08-audit.md")
    cells = [  # the parameters, the set-up and the glue cell (not the parameters' check)
        c.source
        for c in nb.cells
        if c.cell_type == "code" and "check_chapter_parameters" not in c.source
    ][:3]
    assert "parameters" in nb.cells[[c.cell_type for c in nb.cells].index("code")].metadata["tags"]
    glued = {}
    with (
        mock.patch("analysis.book.glue", lambda name, v, display: glued.setdefault(name, v)),
        mock.patch("analysis.book.setup"),
    ):
        namespace: dict = {}
        exec(cells[0], namespace)
        namespace["cohort_path"] = "reports-input/their-cohort.csv"
        exec(cells[1], namespace)
        exec(cells[2], namespace)
    texts = {k: getattr(v, "data", v) for k, v in glued.items()}
    markdown = "\n\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    prose = " ".join(GLUE_ROLE.sub(lambda m: texts.get(m.group(1), m.group(0)), markdown).split())
    assert "refits Table 2 both ways on your cohort" in prose
    assert "The previous chapters repeat the paper's analyses on your cohort" in prose
    assert _book_only_sentences(prose) == []
    assert "reproduce what the paper reports" not in prose
    assert texts["audit_prov_published"] == texts["audit_prov_determined"] == ""  # no badges
