"""A reader can copy a chapter's visible code into a notebook of their own and run it.

The book is literate: every code cell a reader can see (shown, or behind a "show code" toggle,
``hide-input``) is meant to be copied and run. A name defined only in a removed cell
(``remove-cell``, ``remove-input``: plumbing the page never shows) would make the copy fail
with a NameError (review: chapter 8 used ``n``, ``math`` and ``paper``, chapter 9 ``fmt_hr``,
``fmt_p`` and ``n``, chapter 5 ``alpha``, ``level``, ``pct``, ``NOT_SHOWN`` and
``user``, chapter 6 ``fmt``, ``ci_text``, ``user_cohort`` (now ``user``, as in every chapter) and the ``disease_control`` column
of a hidden ``derive(load_cohort(...))``).

For each chapter of :data:`COPYABLE`, the visible code cells (the ``parameters`` cell included)
are run one after the other, alone, in a fresh namespace on the book's cohort. Add a chapter to
the allow-list once its visible cells stand on their own.
"""

from __future__ import annotations

import ast
import builtins
import contextlib
import functools
import io
from pathlib import Path

import jupytext
import matplotlib
import pytest

ROOT = Path(__file__).resolve().parent.parent

#: Chapters whose visible code runs on its own (add more as they are fixed).
COPYABLE = [
    "01-data",
    "02-eligibility",
    "03-treatment",
    "04-baseline",
    "05-response",
    "06-survival",
    "07-cox",
    "08-audit",
    "09-bias",
    "10-your-cohort",
]

#: Quicker settings of a chapter's parameters, set after its ``parameters`` cell (the names the
#: cells need do not depend on them): chapter 9's simulation and bootstrap, a few repetitions.
QUICK = {"09-bias": {"n_simulations": 4, "n_bootstrap": 4}}

#: Tags that keep a cell's code off the page.
HIDDEN_TAGS = {"remove-cell", "remove-input"}


def visible_cells(stem: str) -> list[str]:
    """The sources of the code cells of ``chapters/<stem>.md`` a reader can see, in order."""
    return list(_visible_cells_of((ROOT / "chapters" / f"{stem}.md").read_text("utf-8")))


@functools.cache
def _visible_cells_of(text: str) -> tuple[str, ...]:
    """:func:`visible_cells` of a chapter's text, parsed once per text (up to five tests of a
    chapter ask; jupytext's parse of the ten chapters is about 0.16 CPU-s)."""
    notebook = jupytext.reads(text, fmt="md")
    return tuple(
        cell.source
        for cell in notebook.cells
        if cell.cell_type == "code" and not HIDDEN_TAGS & set(cell.metadata.get("tags", []))
    )


def undefined_names(sources: list[str]) -> list[str]:
    """Names the cells load before any of them binds the name (a NameError when the cells run
    in order), found without running them. Top-level statements are followed in order; a name
    bound anywhere in a statement (an assignment, ``for`` or ``with`` target, comprehension
    variable, argument, import, ``def``) counts as bound in all of it, and a name used inside a
    function (run later) counts as bound if any cell binds it. Builtins are bound."""
    trees = [ast.parse(source) for source in sources]
    everywhere = set().union(*(_binds(tree) for tree in trees))
    bound: set[str] = set(dir(builtins))
    missing: list[str] = []
    for tree in trees:
        for statement in tree.body:
            known = bound | _binds(statement)
            for node in ast.walk(statement):
                if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
                    ok = node.id in known or (
                        _in_function(statement, node) and node.id in everywhere
                    )
                    if not ok and node.id not in missing:
                        missing.append(node.id)
            bound |= _binds(statement)
    return missing


def _binds(tree: ast.AST) -> set[str]:
    """Every name ``tree`` binds."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.arg):
            names.add(node.arg)
        elif isinstance(node, ast.alias):
            names.add((node.asname or node.name).split(".")[0])
        elif isinstance(node, ast.ExceptHandler) and node.name:
            names.add(node.name)  # ``except CohortError as exc``
    return names


def _in_function(statement: ast.stmt, name: ast.Name) -> bool:
    """Whether ``name`` sits in the body of a function defined by ``statement`` (run later)."""
    return any(
        isinstance(node, (ast.FunctionDef, ast.Lambda)) and any(n is name for n in ast.walk(node))
        for node in ast.walk(statement)
    )


#: Calls that compute a chapter's numbered tables and figures: each is made in a cell the reader
#: sees (shown, or behind a toggle), not only in a removed one (review of chapter 1: Tables 1.1,
#: 1.4 and 1.8 and Figs 1.1-1.3 came from ``remove-cell`` cells alone).
RESULT_CALLS = {
    "01-data": [
        "synthesis.feasibility(",  # Table 1.1
        "paper.feasibility_summary(",  # Table 1.2
        "paper.table2_feasibility(",  # Table 1.3
        "synthesis.target_table(",  # Table 1.4
        "synthesis.cox_distance_table(",  # Table 1.5
        "calibration.LABEL_REACH_CSV",  # Table 1.6
        "paper.approximate_deaths(",  # Table 1.7
        "calibration.missed_cell_reasons(",  # Table 1.8
        "ensemble.TABLE2_CELLS_CSV",  # Table 1.9
        "ensemble.TABLE2_MEMBERS_CSV",  # Fig. 1.1
        "plots.dot_histogram(",  # Fig. 1.1
        "plots.km_panels(",  # Fig. 1.2
        "plots.histogram_panels(",  # Fig. 1.3
    ],
    # review of chapter 6: Table 6.2 came from a removed cell, Table 6.1's call being shown
    "06-survival": [
        'os_ci, os_mean_result, "os", cohort_path=cohort_path',  # Table 6.1
        'pfs_ci, pfs_mean_result, "pfs", cohort_path=cohort_path',  # Table 6.2
        "survival_comparisons(cohort, cohort_path=cohort_path)",  # Table 6.3
        "km_plot(",  # Figs 6.1 and 6.2
        "survival_comparison_figures(",  # Figs 6.3-6.5
    ],
}


@pytest.mark.parametrize("stem", sorted(RESULT_CALLS))
def test_each_result_is_computed_by_a_call_the_reader_sees(stem: str):
    shown = "\n".join(visible_cells(stem))
    assert [call for call in RESULT_CALLS[stem] if call not in shown] == []


def test_the_scan_finds_a_name_bound_only_in_a_removed_cell():
    assert undefined_names(["x = 1", "print(x + y)"]) == ["y"]
    assert undefined_names(["import numpy as np", "z = [np.sqrt(v) for v in range(3)]"]) == []
    assert undefined_names(["def f(a):\n    return a + later", "later = 2", "f(1)"]) == []
    assert undefined_names(["print(pct(3))", "def pct(x):\n    return x"]) == ["pct"]
    assert sorted(undefined_names(["import math\nx = math.pi", "print(fmt_hr(x), n)"])) == [
        "fmt_hr",
        "n",
    ]
    assert undefined_names(["def f(a):\n    return a", "f(1)", "[k for k in range(2)]"]) == []
    assert (
        undefined_names(["try:\n    1 / 0\nexcept ZeroDivisionError as exc:\n    print(exc)"]) == []
    )


@pytest.mark.parametrize("stem", COPYABLE)
def test_visible_cells_use_no_name_from_a_removed_cell(stem: str):
    """The fast check, without running anything."""
    assert undefined_names(visible_cells(stem)) == [], (
        f"{stem}: visible code uses names only a removed cell defines"
    )


@pytest.mark.slow(seconds=10)
@pytest.mark.parametrize("stem", COPYABLE)
def test_visible_cells_run_on_their_own(stem: str, monkeypatch):
    """Run them: a missing column (``disease_control``, made by ``derive``) is no NameError the
    scan could see, but a KeyError here."""
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    monkeypatch.chdir(ROOT)
    monkeypatch.setattr("analysis.book.glue", lambda *args, **kwargs: None)  # needs a kernel
    sources = visible_cells(stem)
    namespace: dict = {"__name__": "__main__"}
    for number, source in enumerate(sources):
        code = compile(source, f"{stem}.md, visible code cell {number}", "exec")
        with contextlib.redirect_stdout(io.StringIO()):
            try:
                exec(code, namespace)  # noqa: S102 - the chapter's own code, as a reader runs it
            except NameError as error:
                pytest.fail(f"{stem}, visible cell {number}: {error}")
        if number == 0:  # the parameters cell
            namespace.update(QUICK.get(stem, {}))
    plt.close("all")
    # every cell ran: the names the last one binds are there
    last = {
        target.id
        for node in ast.parse(sources[-1]).body
        if isinstance(node, ast.Assign)
        for target in node.targets
        if isinstance(target, ast.Name)
    }
    assert last <= set(namespace), sorted(last - set(namespace))


def copyable_blocks(stem: str) -> list[str]:
    """The ```` ```python ```` blocks of ``chapters/<stem>.md`` outside its code cells (an
    exercise's solution, say): code a reader copies into a new cell after the set-up cell."""
    import re

    text = (ROOT / "chapters" / f"{stem}.md").read_text(encoding="utf-8")
    return re.findall(r"^```python\n(.*?)^```$", text, flags=re.MULTILINE | re.DOTALL)


#: Chapters whose prose gives code to copy (at least one block each, so a renamed fence fails).
BLOCKS = ["07-cox"]


@pytest.mark.parametrize("stem", BLOCKS)
def test_copyable_blocks_run_after_the_set_up_cell(stem: str, monkeypatch):
    """Review: Exercise 7.2's solution gave ``analysis.survival.cox_table(design, …)`` in a
    sentence, but the chapter never binds ``analysis`` (a NameError when copied), and ``design``
    and ``terms`` in two more pieces. Each block runs, alone, after the parameters and set-up
    cells and the one that loads the cohort, and its last expression gives a value (a table)."""
    matplotlib.use("Agg")
    monkeypatch.chdir(ROOT)
    monkeypatch.setattr("analysis.book.glue", lambda *args, **kwargs: None)
    blocks = copyable_blocks(stem)
    assert blocks, f"{stem}: no ```python block"
    # the parameters cell, the set-up cell (imports) and the cell that loads the cohort
    set_up = visible_cells(stem)[:3]
    assert undefined_names([*set_up, *blocks]) == []
    for number, block in enumerate(blocks):
        namespace: dict = {"__name__": "__main__"}
        with contextlib.redirect_stdout(io.StringIO()):
            for source in set_up:
                exec(compile(source, f"{stem}.md set-up", "exec"), namespace)  # noqa: S102
            *body, last = ast.parse(block).body
            exec(compile(ast.Module(body, []), f"{stem}.md block {number}", "exec"), namespace)  # noqa: S102
            assert isinstance(last, ast.Expr), f"{stem} block {number}: ends with no value"
            value = eval(compile(ast.Expression(last.value), "last", "eval"), namespace)  # noqa: S307
        assert value is not None and len(value) > 0


#: The longest line of shown code or printed output: a longer one scrolled or wrapped in its box
#: (chapter 7's Breslow/Efron message was 883 px in a 757 px box at 1366 px, which holds 85
#: characters; printed, a comment's end wrapped onto a bare line). The chapters print with
#: :func:`analysis.formatting.wrapped` to the same width.
LINE_CHARACTERS = 80

#: Chapters whose shown code and printed output keep to :data:`LINE_CHARACTERS`: all of them.
SHORT_LINES = COPYABLE

#: Tags under which a cell's output is not on the page.
NO_OUTPUT_TAGS = {"remove-cell", "remove-output"}


def _printed_lines(stem: str) -> list[str]:
    """The text lines a reader sees under the code cells of the golden notebook: printed
    output (stdout and stderr) and a value shown as plain text, under a cell whose code shows or
    not (``remove-input`` keeps its output). A value shown otherwise (a data frame's HTML, an
    image) and glued values (placed in the prose) have no lines here."""
    import nbformat

    nb = nbformat.read(ROOT / "chapters" / f"{stem}.ipynb", as_version=4)
    lines = []
    for cell in nb.cells:
        tags = set(cell.metadata.get("tags", []))
        if cell.cell_type != "code" or tags & NO_OUTPUT_TAGS:
            continue
        for output in cell.get("outputs", []):
            if output.get("output_type") == "stream":
                lines += "".join(output["text"]).splitlines()
            elif output.get("output_type") in ("execute_result", "display_data"):
                data = output.get("data", {})
                glued = "scrapbook" in output.get("metadata", {})
                if set(data) == {"text/plain"} and not glued:
                    lines += "".join(data["text/plain"]).splitlines()
    return lines


def test_printed_lines_count_plain_text_values_not_html_or_glue(tmp_path, monkeypatch):
    """The scan sees what the page shows as text: a stream, a plain value (under a removed
    input too); not a data frame shown as HTML, a glued value, or a removed output."""
    import sys

    import nbformat

    out = nbformat.v4.new_output
    cell = nbformat.v4.new_code_cell(metadata={"tags": ["remove-input"]})
    cell.outputs = [
        out("stream", name="stdout", text="printed\n"),
        out("execute_result", data={"text/plain": "plain"}, execution_count=1),
        out("display_data", data={"text/plain": "frame", "text/html": "<table/>"}),
        out("display_data", data={"text/plain": "'glued'"}, metadata={"scrapbook": {}}),
    ]
    hidden = nbformat.v4.new_code_cell(metadata={"tags": ["remove-output"]})
    hidden.outputs = [out("stream", name="stdout", text="not shown\n")]
    (tmp_path / "chapters").mkdir()
    nbformat.write(nbformat.v4.new_notebook(cells=[cell, hidden]), tmp_path / "chapters/x.ipynb")
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    assert _printed_lines("x") == ["printed", "plain"]


@pytest.mark.parametrize("stem", SHORT_LINES)
def test_shown_code_and_printed_lines_fit_their_box(stem: str):
    """Review (chapter 7): a printed line 883 px wide in a 757 px box at 1366 px, and printed
    code whose comments wrapped onto bare lines ("Breslow ties (SPSS)", "where the deaths are
    hidden)"). Readers copy the shown code and read it and its output on phones and on paper:
    in every chapter, every line of shown code (a hidden-input cell's too, behind its toggle),
    of code to copy and of printed output is at most 80 characters. Before: 107 lines of code
    in nine chapters were longer (up to 153 characters), and 9 printed lines (chapter 4's
    below-zero counts, 108; chapter 9's cut-offs, 126; chapter 10's validator messages, up
    to 204)."""
    code = [
        line
        for source in visible_cells(stem) + copyable_blocks(stem)
        for line in source.splitlines()
    ]
    printed = _printed_lines(stem)
    assert code and printed
    long = [line for line in code + printed if len(line) > LINE_CHARACTERS]
    assert long == [], long


def test_the_line_limit_is_the_one_the_chapters_print_to():
    from analysis.formatting import LINE_WIDTH

    assert LINE_WIDTH == LINE_CHARACTERS


def test_exercise_7_2_says_its_split_named_columns_hold_per_unit_values():
    """Review: Exercise 7.2's solution fitted ``ast_gt40``, ``crp_gt3``, ``tumor_number_gt4`` and
    ``prior_tace_gt4`` under the implied coding, where they hold U/L, mg/L, lesions and sessions,
    not 0/1 splits; the shown code says so where it names them."""
    (block,) = [b for b in copyable_blocks("07-cox") if "ast_gt40" in b]
    comment = " ".join(line.strip("# ") for line in block.splitlines() if line.startswith("#"))
    for name in ("ast_gt40", "crp_gt3", "tumor_number_gt4", "prior_tace_gt4"):
        assert name in comment
    assert "per-unit values" in comment and "not 0/1" in comment


def _exercise_code_spans(stem: str) -> list[str]:
    """The inline code spans of the exercises and solutions of ``chapters/<stem>.md`` that parse
    as a Python expression: code a reader types in a new cell."""
    import re

    text = (ROOT / "chapters" / f"{stem}.md").read_text(encoding="utf-8")
    blocks = re.findall(r"^```\{(?:exercise|solution)\}.*?^```$", text, flags=re.M | re.S)
    spans = []
    for block in blocks:
        block = re.sub(r"\{[\w:-]+\}`[^`]*`", "", block)  # roles: {glue:text}`name`, ...
        for span in re.findall(r"`([^`\n]+)`", block):
            try:
                ast.parse(span, mode="eval")
            except SyntaxError:
                continue
            spans.append(span)
    return spans


def test_chapter_05_exercise_code_uses_names_the_visible_cells_bind():
    """Review: Exercise 5.1's solution ran ``proportion_ci(k, n, "wilson")``, with ``n`` bound
    only in a removed cell (and the default 95% whatever ``confidence_level``). Every name in
    the exercises' code, but ``k``, the count a reader varies, is bound by a visible cell."""
    spans = _exercise_code_spans("05-response")
    assert any("proportion_ci(k, n" in s for s in spans), spans
    assert all(", alpha)" in s for s in spans if s.startswith("proportion_ci(")), spans
    bound = set(dir(builtins)).union(*(_binds(ast.parse(c)) for c in visible_cells("05-response")))
    loaded = {
        node.id
        for span in spans
        for node in ast.walk(ast.parse(span, mode="eval"))
        if isinstance(node, ast.Name)
    }
    assert loaded - bound - {"k"} == set(), sorted(loaded - bound - {"k"})
