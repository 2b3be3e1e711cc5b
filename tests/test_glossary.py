"""The glossary (book/glossary.md) and the links to it.

The book builds with ``-W -n``: a ``{term}`` naming no glossary entry fails the whole build, so
every link is checked here against the headwords without building. The glossary page says that
chapters link a term the first time they use it: chapter 1, which introduces the calibration's
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
    """Words chapter 1 and the chapters after it use in a sense of their own."""
    wanted = {
        "Calibrated cohort", "Ensemble", "Hit", "Missed", "Infeasible", "Surrogate target",
        "Implied coding", "Stated coding", "Gaussian copula", "Simulated annealing",
        "Metropolis rule", "Clopper–Pearson interval", "Breslow's rule", "Efron's rule", "eGFR",
        "SPSS",
    }  # fmt: skip
    assert sorted(wanted - set(headwords())) == []


def test_chapter_01_links_the_terms_it_introduces():
    """Chapter 1 used Wald, SPSS, GRIM and GRIMMER and the calibration's words with no link."""
    linked = {t.lower() for t in links(ROOT / "chapters" / "01-data.md")}
    expected = {
        "grim", "grimmer", "spss", "wald test", "synthetic cohort", "gaussian copula",
        "simulated annealing", "metropolis rule", "breslow's rule", "implied coding", "hit",
        "missed", "infeasible", "surrogate target", "calibrated cohort", "ensemble",
    }  # fmt: skip
    assert sorted(expected - linked) == []


# ---------------------------------------------------------------------------------------------
# Chapters 4, 5, 6 and 9 (and chapter 2's JSH, chapter 8's Breslow): each term's first use
# in the prose is its link.

#: ```{code-cell}``` and glued or included blocks hold no prose of the chapter's own (a glued
#: sentence is written by code; the synthetic-data notice is shared by every chapter)
NOT_PROSE = ("{code-cell", "{glue:md", "{glue:text", "{glue}", "{glue:}", "{include")
#: roles whose text is no prose of the page: glued values, cross-references, citations, math
ROLE = re.compile(r"\{(?!term\})[\w:-]+\}`[^`]*`")
CODE = re.compile(r"`[^`]+`")


def prose(path: Path) -> list[tuple[int, str]]:
    """(line number, text) of a chapter's prose: paragraphs, lists, admonitions, exercises and
    table or figure captions; not the front matter, code cells, glued blocks, directive options
    or headings (a term is linked in running text, not in a title)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    out: list[tuple[int, str]] = []
    fence, skip, start = None, False, 0
    if lines and lines[0] == "---":
        start = lines.index("---", 1) + 1
    for number, line in enumerate(lines[start:], start + 1):
        opening = re.match(r"^(`{3,}|:{3,})(\{[^}]*\})?(.*)$", line)
        if fence is None and opening:
            fence = opening.group(1)
            skip = (opening.group(2) or "").startswith(NOT_PROSE)
            if not skip and opening.group(3).strip():  # a table's caption on its opening line
                out.append((number, opening.group(3)))
            continue
        if fence is not None and line.strip() == fence:
            fence, skip = None, False
            continue
        if skip or line.startswith("#") or re.match(r"^\s*:[\w-]+:", line) or line.endswith(")="):
            continue
        out.append((number, line))
    return out


def first_use(path: Path, pattern: str) -> tuple[int, str, str | None]:
    """Where ``pattern`` first matches the prose: (line, matched text, headword linked there or
    None when that use is plain text). A link counts by its shown text."""
    regex = re.compile(pattern)
    for number, line in prose(path):
        position = 0
        for m in [*TERM.finditer(line), None]:
            plain = line[position : m.start() if m else len(line)]
            plain = CODE.sub(" ", ROLE.sub(" ", plain))
            if hit := regex.search(plain):
                return number, hit.group(0), None
            if m is None:
                break
            if hit := regex.search(m.group(1)):
                return number, hit.group(0), m.group(2) or m.group(1)
            position = m.end()
    raise AssertionError(f"{path.name}: no use of {pattern!r} in the prose")


#: per chapter, {headword: how the prose writes it}; every term of the glossary that the chapter
#: uses (found by listing each headword's uses, 2026-12-01), with its first use linked
FIRST_USES = {
    # review: chapter 1 used these with no link (INR had no entry; PVTT was never introduced)
    "01-data": {
        "BCLC": r"\bBCLC\b", "PVTT": r"\bPVTT\b", "ECOG PS": r"\bECOG\b", "AFP": r"\bAFP\b",
        "PIVKA-II": r"PIVKA-II", "ALBI": r"\bALBI\b", "SPRITE": r"\bSPRITE\b", "INR": r"\bINR\b",
        "Standard deviation": r"\bSD\b", "Hazard ratio": r"(?i)hazard ratio", "JSH": r"\bJSH\b",
        "Log-rank test": r"(?i)log-rank", "Cox regression": r"\bCox\b", "TACE": r"\bTACE\b",
        "HAIC": r"\bHAIC\b", "Child-Pugh": r"Child-Pugh", "SPSS": r"\bSPSS\b",
        "PFS": r"\bPFS\b", "Vp": r"\bVp", "Kaplan–Meier": r"Kaplan.Meier",
    },
    "02-eligibility": {"JSH": r"\bJSH\b"},
    # review (session 126): chapter 3 measured AST in "× ULN" with no entry for ULN
    "03-treatment": {"ULN": r"\bULN\b"},
    "04-baseline": {
        "Standard deviation": r"\bSD\b", "SPSS": r"\bSPSS\b", "AFP": r"\bAFP\b",
        "PIVKA-II": r"PIVKA-II", "IQR": r"\bIQR\b|(?i:interquartile)", "Skewness": r"(?i)skew",
        "PVTT": r"\bPVTT\b", "BCLC": r"\bBCLC\b", "Child-Pugh": r"Child-Pugh",
        "TACE": r"\bTACE\b", "HAIC": r"\bHAIC\b",
    },
    "08-audit": {"Breslow's rule": r"Breslow"},
    # a hostile reader: Table 2's BCLC, PVTT and Vp rows came with no link in chapter 7
    "07-cox": {"BCLC": r"\bBCLC\b", "PVTT": r"\bPVTT\b", "Vp": r"\bVp"},
    "05-response": {
        "mRECIST": r"mRECIST", "CR": r"\bCR\b", "PR": r"\bPR\b", "SD": r"\bSD\b", "PD": r"\bPD\b",
        "ORR": r"\bORR\b", "DCR": r"\bDCR\b", "Wilson interval": r"Wilson",
        "Clopper–Pearson interval": r"Clopper–Pearson",
        "Confidence interval": r"(?i)confidence intervals?", "HAIC": r"\bHAIC\b",
        "HCC": r"\bHCC\b", "Guarantee-time bias": r"(?i)guarantee-time",
    },
    "06-survival": {
        "Kaplan–Meier": r"Kaplan–Meier", "Median survival": r"(?i)median survival",
        "SPSS": r"\bSPSS\b", "Confidence interval": r"(?i)confidence intervals?",
        "Restricted mean survival": r"(?i)mean survival", "Censoring": r"(?i)censor",
        "Log-rank test": r"(?i)log-rank", "OS": r"\bOS\b", "PFS": r"\bPFS\b", "HAIC": r"\bHAIC\b",
        "Greenwood's formula": r"Greenwood", "Standard error": r"\bSE\b|(?i:standard error)",
        "DCR": r"(?i)disease control", "CR": r"\bCR\b", "PR": r"\bPR\b", "SD": r"\bSD\b",
        "PD": r"(?i)progressive disease", "TACE": r"\bTACE\b",
        "Guarantee-time bias": r"(?i)guarantee-time", "Landmark analysis": r"(?i)landmark",
        "Proportional hazards": r"(?i)proportional", "Hazard ratio": r"(?i)hazard ratio|\bHR\b",
    },
    "09-bias": {
        "Immortal-time bias": r"(?i)immortal", "Guarantee-time bias": r"(?i)guarantee-time",
        "Landmark analysis": r"(?i)landmark analys", "Cox regression": r"\bCox\b",
        "Time-varying covariate": r"(?i)time-varying covariate", "Optimism": r"(?i)optimis",
        "Events per variable": r"(?i)events per", "HAIC": r"\bHAIC\b", "TACE": r"\bTACE\b",
        "Hazard ratio": r"(?i)hazard ratio|\bHR\b", "Landmark": r"(?i)landmarks?\b(?! analys)",
        "DCR": r"(?i)disease control", "OS": r"(?i)overall survival|\bOS\b",
        "Log-rank test": r"(?i)log-rank", "Bootstrap": r"(?i)bootstrap",
        "Concordance": r"(?i)concordance",
    },
}  # fmt: skip


@pytest.mark.parametrize("chapter", sorted(FIRST_USES))
def test_chapter_links_the_terms_it_uses(chapter: str):
    """Like chapter 1: every glossary term the chapter uses is linked somewhere in it (SPSS in
    04 and 06, CR, PR, SD and confidence interval in 06, Clopper–Pearson in 05, hazard ratio,
    time-varying covariate and landmark in 09 were not)."""
    assert sorted(set(FIRST_USES[chapter]) - set(headwords())) == []
    linked = {t.lower() for t in links(ROOT / "chapters" / f"{chapter}.md")}
    assert sorted(w for w in FIRST_USES[chapter] if w.lower() not in linked) == []


@pytest.mark.parametrize(
    ("chapter", "headword"),
    [(chapter, word) for chapter, words in sorted(FIRST_USES.items()) for word in words],
    ids=lambda v: v,
)
def test_a_terms_first_use_is_its_link(chapter: str, headword: str):
    """The glossary promises a link at a term's first use, not somewhere later."""
    line, text, target = first_use(
        ROOT / "chapters" / f"{chapter}.md", FIRST_USES[chapter][headword]
    )
    assert (target or "").lower() == headword.lower(), (
        f"{chapter}.md line {line}: first use {text!r} links {target!r}, not {headword!r}"
    )


def test_chapter_01_introduces_pvtt_where_it_spells_it_out():
    """Review: step 1 spelled out "portal vein tumour thrombosis" (now "thrombus", the book's one name) and step 4 wrote "PVTT" with no
    introduction; the abbreviation is now given, linked, where the words first appear."""
    line, text, _ = first_use(
        ROOT / "chapters" / "01-data.md", r"(?i)portal[ -]vein tumou?r thromb\w*"
    )
    text = " ".join(dict(prose(ROOT / "chapters" / "01-data.md"))[line].split())
    assert re.search(r"portal vein tumour thrombus,? \(?\{term\}`PVTT`", text), text


def test_first_use_finder_skips_code_glue_and_headings(tmp_path: Path):
    """What the check counts as prose: a use in code, a glued value or a heading comes before the
    link here, and none of them is the first use."""
    page = tmp_path / "page.md"
    page.write_text(
        "---\ntitle: SPSS\n---\n# SPSS\n\n```{code-cell} ipython3\nprint('SPSS')\n```\n\n"
        "A `SPSS` call, {glue:text}`spss_n`, then {term}`SPSS` and SPSS.\n",
        encoding="utf-8",
    )
    assert first_use(page, r"\bSPSS\b") == (10, "SPSS", "SPSS")
    page.write_text("Plain SPSS first, {term}`SPSS` later.\n", encoding="utf-8")
    assert first_use(page, r"\bSPSS\b") == (1, "SPSS", None)


def test_the_response_criteria_are_given_as_the_paper_names_them():
    """Review: chapter 5 and the glossary stated "mRECIST" as fact; the paper names a modified
    RECIST 1.1, which could be mRECIST or RECIST 1.1 itself. Both say so."""
    body = GLOSSARY.read_text(encoding="utf-8").split("\nmRECIST\n", 1)[1].split("\n\n", 1)[0]
    assert "RECIST 1.1" in body and "does not say which" in body, body
    chapter = (ROOT / "chapters" / "05-response.md").read_text(encoding="utf-8")
    section = chapter.split("## Best response", 1)[1].split("```", 1)[0]
    assert "RECIST 1.1" in section and "nothing printed tells which" in section, section
    assert "by\nmRECIST on" not in chapter and "(mRECIST)," not in chapter


def test_chapter_07s_words_have_entries():
    """Review: chapter 7 uses words a clinician may not know that the glossary lacked."""
    wanted = {
        "Dummy variable", "Risk set", "Partial likelihood", "Reference row", "Reference category",
        "Grambsch–Therneau test", "Wald test", "Linear programme", "LP", "AST", "ALT", "CRP",
    }  # fmt: skip
    assert sorted(wanted - set(headwords())) == []


def test_ecog_scale_runs_to_five():
    """Review: the ECOG entry said the scale runs 0 to 4; it runs 0–5 (5: dead)."""
    body = GLOSSARY.read_text(encoding="utf-8")
    entry = body.split("\nECOG PS\n", 1)[1].split("\n\n", 1)[0]
    assert "to 4 (bedbound)" not in entry and "5 (dead)" in entry, entry


def test_crp_entry_gives_the_scale_its_values_fit():
    """Review: the CRP entry gave the unit as mg/L, the paper's label, while chapters 4, 7 and 8
    and the data dictionary say the values and the > 3 cut-off fit mg/dL, and a reader's cohort
    enters CRP in mg/dL: a clinician reading only the glossary took the label as the scale."""
    body = GLOSSARY.read_text(encoding="utf-8")
    entry = body.split("\nCRP\n", 1)[1].split("\n\n", 1)[0]
    assert "(mg/L)" not in entry and "mg/dL" in entry, entry
    assert "{ref}`ch-cox`" in entry and "{ref}`ch-your-cohort`" in entry, entry


def test_tied_times_are_the_same_recorded_value_not_the_same_day():
    """Review: the entry said tied times were "deaths recorded on the same day", while the
    cohort's times are in months: a tie is the same recorded value."""
    body = GLOSSARY.read_text(encoding="utf-8").split("\nTied event times\n", 1)[1]
    entry = body.split("\n\n", 1)[0]
    assert "same day" not in entry and "same value" in entry and "months" in entry, entry
