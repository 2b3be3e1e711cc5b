"""Chapter 1's account of the calibration reads on a phone (hostile review of chapter 1).

Step 5 of "How the cohort is made" ("A value phase") was one paragraph of 672 words, about three
phone screens, with three sentences opening "Last," and a "Last of all"; its passes are now
sub-steps of a sentence or two. The key points said "the Cox calibration comes last", though
the value phase runs after it.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHAPTER = ROOT / "chapters" / "01-data.md"

#: the most words a sub-step or paragraph of step 5 may hold (about a third of a phone screen)
MAX_WORDS = 90


def _step_5() -> str:
    text = CHAPTER.read_text(encoding="utf-8")
    section = text.split("## How the cohort is made", 1)[1].split("\n## ", 1)[0]
    step = section.split("5. **A value phase.**", 1)[1]
    return step.split("\nChains run from seeds", 1)[0]


def _blocks(step: str) -> list[str]:
    """The step's paragraphs and list items, each as one line of words."""
    blocks, current = [], []
    for line in step.splitlines():
        if not line.strip() or re.match(r"^\s*- ", line):
            if current:
                blocks.append(" ".join(current))
            current = [line.strip().removeprefix("- ")] if line.strip() else []
        else:
            current.append(line.strip())
    if current:
        blocks.append(" ".join(current))
    return blocks


def _words(block: str) -> int:
    return len(re.sub(r"\{[\w:-]+\}`[^`]*`", "X", block).split())


def test_the_value_phase_is_told_in_short_sub_steps():
    step = _step_5()
    items = [line for line in step.splitlines() if re.match(r"^\s+- ", line)]
    assert len(items) >= 6, f"step 5 has {len(items)} sub-steps"
    long = {b[:60]: _words(b) for b in _blocks(step) if _words(b) > MAX_WORDS}
    assert long == {}, long
    assert not re.search(r"\bLast\b", step), "a 'Last,' in step 5: the sub-steps give the order"


def test_each_pass_of_the_value_phase_is_still_named():
    step = _step_5()
    for call in (
        "calibration.value_polish",
        "calibration.uni_edge_polish",
        "calibration.value_se_pass",
        "calibration.spread_anneal",
        "calibration.uni_double_polish",
    ):
        assert f"`{call}`" in step, call
    for glued in (
        "data_value_columns", "data_value_moves", "data_value_candidates", "data_value_steps",
        "data_afp_steps", "data_value_runs", "data_value_weights", "data_value_repair_columns",
        "data_value_repair_weight", "data_cut",
    ):  # fmt: skip
        assert f"{{glue:text}}`{glued}`" in step, glued


def test_the_key_points_do_not_put_the_cox_phase_last():
    text = CHAPTER.read_text(encoding="utf-8")
    key_points = text.split("## Key points", 1)[1].split("\n## ", 1)[0]
    flat = " ".join(key_points.split())
    assert "comes last" not in flat
    assert "value phase that follows" in flat
