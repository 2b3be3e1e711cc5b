"""Fresh-eyes reviews: of chapters 6–8 (a clinician on a phone, a teacher printing 07), and of
chapters 9–10 with the intro and how-to pages (a clinician on a phone, a hospital researcher
re-running the book on a cohort of their own by following chapter 10 and the how-to page
literally). What a reader met, and the fix. Each test names where it was seen."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from test_reader_cohorts import _glued as glued_in

ROOT = Path(__file__).resolve().parent.parent
_TERM = re.compile(r"([a-z,;—]) \(?\{term\}`([^`<]+?)(?: <[^>]+>)?`")


def test_a_glossary_term_mid_sentence_is_not_capitalised():
    """08's learning objectives read "the P value of a Hazard ratio" (the glossary's heading
    as written), 09's "Recognise Immortal-time bias and Guarantee-time bias" and "with a
    Landmark analysis"; 09's "how optimistic a model ... is (Events per variable)", the term
    opening a parenthesis. A term that the book writes in lower case elsewhere is a common noun:
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
    # (since session 155 each of these is its own sentence: the reasons ran to 77-85 words)
    others = [r for r in reasons if "The calibration follows the other reading" in r]
    assert others, "no row with two readings: the test no longer sees what it guards"
    for r in others:
        assert "numbers, the one the cohort was calibrated to. It keeps the " in r, r
        assert "the reading the cohort was calibrated to" not in r, r
        assert r.endswith(
            ". That reading gives up more cells, but the printed values it gives up lie nearer"
            " to what the numbers it keeps imply."
        ), r
    per_unit = [r for r in reasons if "label states a 0/1 split" in r]
    assert per_unit
    for r in per_unit:
        assert re.search(r"patients died, so it is read per [^;.]+\. ", r), r
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


# --- Fresh-eyes review of chapters 1–5 (a clinician on a 390-px phone) --------------------


def _glued(stem: str, name: str) -> str:
    """A chapter's glued text, read from its golden notebook."""
    return glued_in(ROOT / "chapters" / f"{stem}.ipynb", name)


def test_a_chapter_summary_ends_in_a_clause_not_a_bare_verdict():
    """The "What this chapter finds" boxes of 02, 03 and 05 ended "…; against Table 1:
    reproduced", "…doses, days and infusion times: reproduced", "…, against the paper's counts:
    reproduced": a participle after a colon, attached to nothing. The verdict now has a subject
    ("these counts are reproduced"), or goes where the count says it ("on 10 of 10 doses")."""
    bare = re.compile(r":\s*(not )?(reproduced|compared|scored on your cohort)\b")
    texts = {
        "02 JSH": _glued("02-eligibility", "elig_brief_jsh"),
        "02 liver": _glued("02-eligibility", "elig_brief_liver"),
        "03 regimen": _glued("03-treatment", "treat_brief_regimen"),
    }
    for where, text in texts.items():
        assert not bare.search(text), (where, text)
    assert texts["02 JSH"].endswith("Against Table 1, these counts are reproduced"), texts
    assert "Table 1's counts are reproduced)" in texts["02 liver"], texts
    finds = (ROOT / "chapters" / "05-response.md").read_text(encoding="utf-8")
    box = finds[finds.index("What this chapter finds") :].split("```", 1)[0]
    assert not re.search(r":\s*\{glue:md\}`resp_brief_\w+_verdict", box), box
    assert "the paper's counts are\n  {glue:md}`resp_brief_counts_verdict" in box


def test_a_table_label_mid_sentence_in_chapter_01_is_in_lower_case():
    """01 (§1.6.1) read "…too: PIVKA-II (ng/mL)'s 0.1751 no longer prints as 0.18, CRP (mg/L),
    per mg/L's 0.0288 … and Tumour number, per lesion's 0.0016 …", a label's capital and a
    possessive glued onto labels that carry commas of their own; §1.7 listed "…; Additional TACE
    during HAIC (HR)". Labels mid-sentence go through labels.in_sentence, and the items of a list
    whose labels hold commas are closed by semicolons."""
    from analysis import labels

    assert labels.in_sentence("Tumour number, per lesion") == "tumour number, per lesion"
    assert labels.in_sentence("Additional TACE during HAIC") == "additional TACE during HAIC"
    for kept in ("PIVKA-II (ng/mL)", "AST (U/L), per U/L", "Child-Pugh score 6", "BCLC stage"):
        assert labels.in_sentence(kept) == kept
    readings = _glued("01-data", "data_readings_sentence")
    own = readings.split("The cohort's own P values", 1)[1]  # a label with commas, then 's
    assert "'s 0." not in own and "’s 0." not in own, readings
    assert "tumour number, per lesion, whose " in readings, readings
    assert not re.search(r"[;:] [A-Z][a-z]+ [a-z]", readings.split("too,", 1)[-1]), readings
    never = _glued("01-data", "data_ens_never_names")
    assert "Additional TACE" not in never and "additional TACE during HAIC (HR)" in never, never


def test_no_row_label_is_also_a_field_name():
    """01's Table 1.4 listed "Age (years), SD" and, further down, "SD, n" and "SD, %": stable
    disease, which a reader takes for a standard deviation (and "Mean OS (SPSS), mean" said mean
    twice). No quantity's label is a field's label (SD, n, HR, P…): the response categories are
    spelled out in tables that mix them with summaries."""
    from analysis import labels

    fields = {v.lower() for v in labels._FIELD_LABELS.values()}
    clash = {k: v for k, v in labels.TERM_LABELS.items() if v.lower() in fields}
    assert not clash, clash
    assert labels.quantity_label("response_sd", "percent") == "Stable disease (SD), %"
    assert labels.quantity_label("os_mean", "mean") == "Mean OS (SPSS)"


def test_long_sentences_split_where_a_reader_lost_them():
    """03 (§3.5) ran the MHRA bands, their edges and Floyd's withholding rule into one sentence
    of some 85 words with a parenthesis of 50; 04 (§4.1) listed Table 1's contents with the CRP
    unit's caveat nested in a parenthesis inside the list (about 85 words). Each is now several
    sentences; none of these paragraphs' sentences runs past 60 words."""

    def sentences(stem: str, start: str, end: str) -> list[str]:
        text = (ROOT / "chapters" / f"{stem}.md").read_text(encoding="utf-8")
        para = text[text.index(start) : text.index(end)]
        para = re.sub(r"\{[a-z:]+\}`[^`]*`", "X", para)  # a role, glued number or link: one word
        return [s for s in re.split(r"(?<=[.])\s+(?=[A-Z{X])", para) if s.strip()]

    for stem, start, end in (
        ("03-treatment", "The epirubicin bands follow", "Below, a patient with"),
        ("04-baseline", "Table 1 of the paper describes", "Below, every cell"),
    ):
        long = [s for s in sentences(stem, start, end) if len(s.split()) > 60]
        assert not long, (stem, long)


# --- review of 09-bias, 10-your-cohort, intro and how-to-use -------------------------------------


def _golden(stem: str):
    import nbformat

    return nbformat.read(ROOT / "chapters" / f"{stem}.ipynb", as_version=4)


def _outputs_text(nb) -> str:
    return "\n".join(
        str(value)
        for cell in nb.cells
        for o in cell.get("outputs", [])
        for value in o.get("data", {}).values()
    )


def test_how_to_use_makes_the_folder_before_a_command_writes_into_it():
    """how-to-use told a researcher to run ``jupytext ... -o reports/papermill/06-in.ipynb``
    (in a parenthesis) before the block whose first line is ``mkdir -p reports/papermill``:
    followed literally on a fresh checkout, jupytext stopped with FileNotFoundError. Every
    command of the page that writes under ``reports/papermill/`` comes after that mkdir."""
    text = (ROOT / "book" / "how-to-use.md").read_text(encoding="utf-8")
    made = text.index("mkdir -p reports/papermill")
    writes = [m.start() for m in re.finditer(r"(?:-o|\.ipynb) reports/papermill/", text)]
    assert writes and all(at > made for at in writes), (made, writes)
    # the converted notebook is the one papermill is then given
    assert ".venv/bin/papermill reports/papermill/06-in.ipynb" in text


def test_how_to_use_does_not_contradict_itself_on_lists():
    """how-to-use said lists "are changed by editing the cell in Jupyter", and a few lines on
    that papermill's ``-y`` sets them. Both ways are named where lists are first mentioned."""
    text = " ".join((ROOT / "book" / "how-to-use.md").read_text(encoding="utf-8").split())
    assert "are changed by editing the cell in Jupyter)" not in text
    assert (
        "cannot be set with `run`: edit the cell in Jupyter, or execute the chapter with papermill's `-y`"
        in text
    )


def test_table_10_1_descriptions_name_columns_as_typed():
    """Table 10.1's descriptions read "(at most Prior TACE sessions)" and "filled exactly when
    Additional TACE during HAIC is 1, and not after os_months": clinical labels capitalised
    mid-sentence, beside a column name left as typed. A description names a column of the CSV,
    in code type, as the reader types it (``glue_table(names_in_text=...)``)."""
    from analysis.labels import TERM_LABELS

    table = _golden_glued("10-your-cohort", "tbl-yours-dictionary")
    rows = [line for line in table.splitlines()[2:]]
    descriptions = [line.rstrip(" |").rsplit(" | ", 1)[-1] for line in rows]
    shown = {label for label in TERM_LABELS.values() if any(label in d for d in descriptions)}
    assert not {"Prior TACE sessions", "Additional TACE during HAIC"} & shown, shown
    refractory = next(
        d
        for r, d in zip(rows, descriptions, strict=True)
        if "refractory\\_<wbr>tace" in r.split(" | ")[0]
    )
    assert "at most <code" in refractory and "prior\\_<wbr>tace\\_<wbr>sessions" in refractory, (
        refractory
    )


def _golden_glued(stem: str, name: str) -> str:
    for cell in _golden(stem).cells:
        for o in cell.get("outputs", []):
            if o.get("metadata", {}).get("scrapbook", {}).get("name") == name:
                data = o["data"]
                return "".join(
                    next(v for k, v in data.items() if k.endswith(("text/markdown", "text/plain")))
                )
    raise KeyError(name)


def test_chapter_09_sentences_attach_to_something():
    """09 read "at 3, 4, 5, 6 sessions" (a list without its "and"), "Patients with disease
    control by month 3 did worse afterwards (...), those with it by month 6 had ..." (two
    sentences joined by a comma) and, after a sentence about the resamples left out, "They
    illustrate the method": a pronoun a reader attached to the failed resamples."""
    assert _golden_glued("09-bias", "bias_cut_list").strip("'\"") == "3, 4, 5 and 6"
    text = _outputs_text(_golden("09-bias"))
    assert "; those with it by month" in text
    assert "), those with it by month" not in text
    assert "They illustrate the method" not in text and "The three come out" not in text
    assert "the corrected concordance illustrate the method" in text


def test_chapter_10_sentences_read_as_sentences():
    """10 read "(the system's python3 lacks the book's packages; the README and the page on how
    to re-run the book write the commands so too)", "The patients (deaths) that Table 7.5 and
    Table 7.6 give for each group a Cox row compares follow them too" and, in Exercise 10.1's
    solution, "Besides the two rows being too few patients for a report, the shorter os_months
    breaks `rule` and `rule`"; its privacy rules were one bullet of a single 400-word sentence.
    The learning objectives and key points write ``python -m analysis``: the page says that
    means the .venv's Python."""
    source = " ".join((ROOT / "chapters" / "10-your-cohort.md").read_text(encoding="utf-8").split())
    assert "write the commands so too" not in source
    assert "write `python -m analysis …`, they mean this Python" in source
    assert "give for each group a Cox row compares" not in source
    rules = _golden_glued("10-your-cohort", "yours_ex1_rules")
    assert rules.startswith("Two patients are too few for a report; besides that,"), rules
    assert "breaks the rules `" in rules
    bullet = source[source.index("- **Identifiers are refused") : source.index("- **Unit mistakes")]
    sentences = re.split(r"(?<=[.)])\s+(?=[A-Z*`-])", bullet)
    assert max(len(s.split()) for s in sentences) < 120, max(sentences, key=len)
    # the solution of Exercise 10.2 divides by the glued days per month, not a typed 30.4375
    assert "divided by {glue:text}`yours_days_per_month`" in source
