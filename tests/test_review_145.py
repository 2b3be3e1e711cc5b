"""Fresh-eyes review of chapters 06-08 (a clinician on a phone, a teacher printing 07): what a
reader met, and the fix. Each test names where it was seen."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
_TERM = re.compile(r"([a-z,;—]) \{term\}`([^`<]+?)(?: <[^>]+>)?`")


def test_a_glossary_term_mid_sentence_is_not_capitalised():
    """08's learning objectives read "the P value of a Hazard ratio" (the glossary's heading
    as written), 09's "Recognise Immortal-time bias and Guarantee-time bias" and "with a
    Landmark analysis". A term that the book writes in lower case elsewhere is a common noun:
    mid-sentence it is linked in lower case (Sphinx finds a term whatever its case). Names
    (Kaplan–Meier, Wald, Cox) are never written in lower case and are not flagged."""
    pages = sorted((ROOT / "chapters").glob("*.md")) + sorted((ROOT / "book").glob("*.md"))
    texts = {p.name: p.read_text(encoding="utf-8") for p in pages}
    # prose only: a code cell's or inline code's "wilson" (a method's name) is no common noun
    everything = re.sub(r"```.*?```", " ", "\n".join(texts.values()), flags=re.S)
    everything = re.sub(r"(?<!\})`[^`]*`", " ", everything)
    found = []
    for name, text in texts.items():
        for m in _TERM.finditer(text):
            shown = m.group(2).strip()
            if not (shown[:1].isupper() and shown[1:2].islower()):
                continue
            lower = shown[0].lower() + shown[1:]
            if re.search(rf"(?<![\w-]){re.escape(lower)}(?![\w-])", everything):
                found.append(f"{name}: {m.group(0)}")
    assert not found, found


@pytest.fixture(scope="module")
def feasibility():
    from analysis import paper

    return paper.table2_feasibility()


def test_table_7_3_notes_read_as_sentences(feasibility):
    """07's Table 7.3 notes ¹ and ² (albumin ≤ 3 g/dL) ended "…, more cells but the numbers
    nearest to what the kept ones imply, the reading the cohort was calibrated to", and note ³
    (CRP > 3) "…a 0/1 covariate allows even if all 82 patients died: per mg/L; HR and 95% CI
    fit…": phrases a reader could not attach to anything. Now the other reading is named as
    the one the cohort was calibrated to, then what it keeps, gives up and why; the per-unit
    reading is a clause ("so it is read per mg/L")."""
    reasons = list(feasibility["reason"])
    others = [r for r in reasons if "the calibration follows the other reading" in r]
    assert others, "no row with two readings: the test no longer sees what it guards"
    for r in others:
        assert "numbers, the one the cohort was calibrated to: it keeps the " in r, r
        assert "the reading the cohort was calibrated to" not in r, r
        assert r.endswith(
            "; it gives up more cells, but the printed values it gives up lie nearer"
            " to what the numbers it keeps imply"
        ), r
    per_unit = [r for r in reasons if "label states a 0/1 split" in r]
    assert per_unit
    for r in per_unit:
        assert re.search(r"patients died, so it is read per [^;]+; ", r), r
        assert not re.search(r": per [^;]+;", r), r


def test_table_2_summary_names_a_term_in_lower_case_mid_sentence():
    """07 (§7.3) and 01 read "the multivariable hazard ratio of Prior TACE > 4 as 0.151": a
    table's label, capital and all, in the middle of a sentence."""
    from analysis import paper

    text = paper.feasibility_summary_sentence()
    assert "hazard ratio of prior TACE > 4 as 0.151" in text, text
    assert "of Prior" not in text


def test_audit_table_8_1_kinds_of_check_are_told_apart():
    """Table 8.1 (08) listed "clinical plausibility (deaths the SEs imply)" and, on the next
    row, "clinical plausibility": a reader could not tell what the second checks (the direction
    of the BCLC stage HR). No kind of check is another's name without its qualifier."""
    from analysis import audit

    kinds = set(audit.audit_paper()["check"])
    bare = {k for k in kinds if any(o != k and o.startswith(k + " (") for o in kinds)}
    assert not bare, bare
    assert "clinical plausibility (direction of the HR)" in kinds
