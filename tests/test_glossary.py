"""The glossary (book/glossary.md) and the links to it.

The book builds with ``-W -n``: a ``{term}`` naming no glossary entry fails the whole build, so
every link is checked here against the headwords without building. The glossary page says that
chapters link a term the first time they use it: chapter 01, which introduces the calibration's
vocabulary, links each of those terms.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GLOSSARY = ROOT / "book" / "glossary.md"
PAGES = sorted(
    [*(ROOT / "chapters").glob("[0-9][0-9]-*.md"), *(ROOT / "book").rglob("*.md")],
)
#: ``{term}`text``` or ``{term}`text <Headword>```
TERM = re.compile(r"\{term\}`([^`<]*?)\s*(?:<([^>`]+)>)?`")


def headwords() -> list[str]:
    """Every headword of the glossary directive (several may share one definition)."""
    body = GLOSSARY.read_text(encoding="utf-8").split("```{glossary}", 1)[1].split("\n```", 1)[0]
    return [line.strip() for line in body.splitlines() if line.strip() and not line[0].isspace()]


def links(path: Path) -> list[str]:
    """The headwords a page links to, as written."""
    return [m.group(2) or m.group(1) for m in TERM.finditer(path.read_text(encoding="utf-8"))]


def test_headwords_are_unique():
    words = [w.lower() for w in headwords()]
    assert len(words) == len(set(words)), sorted(w for w in words if words.count(w) > 1)


@pytest.mark.parametrize("path", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_term_link_names_a_glossary_entry(path: Path):
    """Sphinx matches a term without regard to case; anything else is a build error."""
    known = {w.lower() for w in headwords()}
    assert [t for t in links(path) if t.lower() not in known] == []


def test_the_calibrations_vocabulary_has_entries():
    """Words chapter 01 and the chapters after it use in a sense of their own."""
    wanted = {
        "Calibrated cohort", "Ensemble", "Hit", "Missed", "Infeasible", "Surrogate target",
        "Implied coding", "Stated coding", "Gaussian copula", "Simulated annealing",
        "Metropolis rule", "Clopper–Pearson interval", "Breslow's rule", "Efron's rule", "eGFR",
        "SPSS",
    }  # fmt: skip
    assert sorted(wanted - set(headwords())) == []


def test_chapter_01_links_the_terms_it_introduces():
    """Chapter 01 used Wald, SPSS, GRIM and GRIMMER and the calibration's words with no link."""
    linked = {t.lower() for t in links(ROOT / "chapters" / "01-data.md")}
    expected = {
        "grim", "grimmer", "spss", "wald test", "synthetic cohort", "gaussian copula",
        "simulated annealing", "metropolis rule", "breslow's rule", "implied coding", "hit",
        "missed", "infeasible", "surrogate target", "calibrated cohort", "ensemble",
    }  # fmt: skip
    assert sorted(expected - linked) == []
