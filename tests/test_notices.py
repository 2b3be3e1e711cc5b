"""Each chapter opens with one notice of where its numbers come from (book/snippets/), and the
notice fits the chapter: chapter 8 reads only the printed numbers, so its notice says that instead
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


def test_a_report_on_a_users_cohort_prints_its_own_sheet_header():
    """A report on a user's cohort printed "Synthetic data — every patient-level result is
    computed on a synthetic cohort" at the head of every sheet. Its notice (analysis.runner)
    carries the class ``user-cohort``, and the print style gives such a page a header of its own
    (checked by printing a report's chapter 4 with Chromium: the sheet's first line is it)."""
    from analysis import runner

    notice = runner._USER_NOTICE
    assert re.search(r"^:class: .*\bsynthetic-notice\b.*\buser-cohort\b", notice, re.MULTILINE)
    css = (ROOT / "book" / "_static" / "book.css").read_text(encoding="utf-8")
    page = re.search(r"@page user-cohort \{\s*@top-left \{\s*content: \"([^\"]+)\"", css)
    assert page and "synthetic cohort calibrated" not in page.group(1), page
    assert "Your cohort" in page.group(1)
    assert re.search(
        r":has\(article \.synthetic-notice\.user-cohort\)[^{]*\{\s*page: user-cohort", css
    )


def test_a_report_on_a_users_cohort_replaces_every_notice_that_says_synthetic():
    """Chapter 8's notice said "The other chapters compute their patient-level results on a
    synthetic cohort" in a report whose banner says the data are the user's: a report on a
    user's cohort writes its own version of every notice a chapter includes."""
    from analysis import runner

    included = {INCLUDE.findall(md.read_text(encoding="utf-8"))[0] for md in CHAPTERS}
    assert included <= set(runner._USER_SNIPPETS)
    for name, text in runner._USER_SNIPPETS.items():
        book = (ROOT / "book" / "snippets" / name).read_text(encoding="utf-8")
        # the same box: its title and classes (the print style and browser tests find them)
        assert text.splitlines()[:2] == book.splitlines()[:2] or name == "synthetic-notice.md"
        assert "results on a synthetic cohort" not in text
    audit = runner._USER_SNIPPETS["audit-notice.md"]
    assert "on your cohort" in audit and "no-patient-data" in audit
