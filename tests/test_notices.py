"""Each chapter opens with one notice of where its numbers come from (book/snippets/), and the
notice fits the chapter: chapter 08 reads only the printed numbers, so its notice says that instead
of claiming a synthetic cohort and then contradicting itself in a note below it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CHAPTERS = sorted((ROOT / "chapters").glob("[0-9][0-9]-*.md"))
INCLUDE = re.compile(r"^```\{include\} \.\./book/snippets/([\w-]+\.md)\s*$", re.MULTILINE)
#: chapters that compute nothing on patient-level data, and their notice
NO_PATIENT_DATA = {"08-audit": "audit-notice.md"}


@pytest.mark.parametrize("md", CHAPTERS, ids=[p.stem for p in CHAPTERS])
def test_each_chapter_includes_the_notice_that_fits_it(md: Path):
    text = md.read_text(encoding="utf-8")
    included = INCLUDE.findall(text)
    assert included == [NO_PATIENT_DATA.get(md.stem, "synthetic-notice.md")]
    notice = (ROOT / "book" / "snippets" / included[0]).read_text(encoding="utf-8")
    # the browser test and the print style find the notice by this class
    assert re.search(r"^:class: .*\bsynthetic-notice\b", notice, re.MULTILINE)
    assert "exception to the notice" not in text


def test_the_audit_notice_does_not_claim_a_synthetic_cohort():
    notice = (ROOT / "book" / "snippets" / "audit-notice.md").read_text(encoding="utf-8")
    assert "no patient-level data" in notice
    assert "on this page is computed on a" not in notice
    # the print stylesheet heads its sheets "No patient data on this page" by this class
    assert re.search(r"^:class: .*\bno-patient-data\b", notice, re.MULTILINE)
    synthetic = (ROOT / "book" / "snippets" / "synthetic-notice.md").read_text(encoding="utf-8")
    assert "no-patient-data" not in synthetic
