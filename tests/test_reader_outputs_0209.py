"""What a reader sees under the code of chapters 2, 4, 8 and 9, read from the golden notebooks.

Review of session 19: an unnumbered table right above a numbered one that shows the same rows
(chapter 4: a skewness ``head(4)`` above Table 4.2; chapter 8: checks by verdict above the
verdicts by kind of check; chapter 9 §9.1.1: the timing assumptions in another order than
Table 9.2, whose caption calls its second row the second draw); raw pandas prints
(``bclc_stage_2022`` / ``A 4``, ``verdict`` / ``agrees 30``); and an optimism badged
"determined" between an apparent and a corrected concordance badged "assumed", with the
resamples that failed skipped without a word on what that does to it.
"""

from __future__ import annotations

import re
from pathlib import Path

import jupytext
import nbformat
import pytest
from test_chapter_outputs import _glued  # one reader of glued outputs for both files

ROOT = Path(__file__).resolve().parent.parent
GLUED = "application/papermill.record/"
#: a line of a printed pandas Series or DataFrame: a bare column name (``bclc_stage_2022``), or
#: an index value and a count (``A     4``, ``agrees    30``)
SERIES_LINE = re.compile(r"^(?:[a-z]+(?:_[a-z0-9]+)+|verdict|\S+ {2,}\d+)$")


def _golden(stem: str) -> nbformat.NotebookNode:
    return nbformat.read(ROOT / "chapters" / f"{stem}.ipynb", as_version=4)


def _visible(nb) -> list[tuple[int, dict]]:
    hidden = {"remove-cell", "remove-output"}
    return [
        (i, o)
        for i, cell in enumerate(nb.cells)
        if cell.cell_type == "code" and not hidden & set(cell.metadata.get("tags", []))
        for o in cell.get("outputs", [])
    ]


@pytest.mark.parametrize("stem", ["02-eligibility", "04-baseline", "08-audit", "09-bias"])
def test_no_unnumbered_table_under_the_code(stem):
    """Each of these chapters' tables is numbered and captioned; the cell that computes one shows
    no second, unnumbered copy."""
    shown = [
        f"cell {i}"
        for i, o in _visible(_golden(stem))
        if 'class="dataframe"' in "".join(o.get("data", {}).get("text/html", ""))
    ]
    assert shown == []


@pytest.mark.parametrize("stem", ["02-eligibility", "04-baseline"])
def test_no_raw_pandas_print_under_the_code(stem):
    lines = [
        f"cell {i}: {line!r}"
        for i, o in _visible(_golden(stem))
        if o.get("output_type") == "stream"
        for line in "".join(o["text"]).splitlines()
        if SERIES_LINE.match(line.strip())
    ]
    assert lines == []


def test_the_pattern_finds_the_old_prints():
    for line in ("bclc_stage_2022", "A     4", "verdict", "agrees    30"):
        assert SERIES_LINE.match(line)
    for line in ("patients by BCLC 2022 stage: A 4, B 24, C 54", "agrees: 30 of 30 rows", "BCLC C"):
        assert not SERIES_LINE.match(line)


def test_the_timing_table_is_built_by_the_visible_call_in_the_captions_order():
    """§9.1.1's cell builds Table 9.2 (scenarios.scenario_table); the caption's "second row is an
    independent second draw" holds for the table's order."""
    source = (ROOT / "chapters" / "09-bias.md").read_text(encoding="utf-8")
    cells = [c for c in jupytext.reads(source, fmt="myst").cells if c.cell_type == "code"]
    visible = [c.source for c in cells if not {"remove-cell"} & set(c.metadata.get("tags", []))]
    assert any("scenarios.scenario_table(" in s for s in visible)
    rows = [r for r in _glued(_golden("09-bias"), "tbl-bias-scenarios").splitlines()[2:] if r]
    assert "drawn again" in rows[1] and "own times" in rows[0]
    assert "the second row is an independent second draw" in source


def test_the_optimism_is_badged_like_the_concordances_it_comes_from():
    nb = _golden("09-bias")
    classes = {
        key: re.search(r"provenance-(\w+)", _glued(nb, f"bias_opt_{key}.provenance")).group(1)
        for key in ("apparent", "optimism", "corrected")
    }
    if "assumed" in (classes["apparent"], classes["corrected"]):
        assert classes["optimism"] == "assumed", classes


def test_the_resamples_left_out_are_counted_and_their_bias_stated():
    nb = _golden("09-bias")
    sentence = _glued(nb, "bias_opt_failed_sentence")
    failed = re.search(r"(\d+) of the (\d+) resamples could not be fitted", sentence)
    assert failed, sentence
    assert int(failed.group(2)) == 200 and int(failed.group(1)) > 0
    assert f"the other {int(failed.group(2)) - int(failed.group(1))}" in sentence
    assert "optimism too small" in sentence and "too high" in sentence
    prose = (ROOT / "chapters" / "09-bias.md").read_text(encoding="utf-8")
    assert "did not converge and were skipped" not in prose
