"""Clinical labels and the numbered MyST tables of analysis.book (hand-written expectations)."""

from __future__ import annotations

import re

import pandas as pd

from analysis import book, labels, published


def test_labels_for_columns_terms_and_published_ids():
    assert labels.column_label("dose_mg_m2") == "Dose (mg/m²)"
    assert labels.column_label("recommended_percent") == "Recommended (% of full dose)"
    assert labels.term_label("child_pugh_6") == "Child-Pugh score 6"
    assert labels.term_label("albumin_le3") == "Albumin ≤ 3 g/dL"
    assert labels.term_label("table1.sex_male.count") == "Sex: male, n"
    assert labels.term_label("figure2.os_median_prior_tace_gt4.interval") == (
        "Median OS, > 4 prior TACE, 95% CI"
    )
    assert labels.term_label("not a code") == "not a code"  # unknown text passes through


def test_relabel_replaces_known_codes_inside_sentences_only():
    assert labels.relabel("crp_gt3: 1.135 (1.015–1.268)") == "CRP > 3 mg/L: 1.135 (1.015–1.268)"
    assert labels.relabel("unknown_code stays") == "unknown_code stays"


def test_is_identifier():
    assert labels.is_identifier("mean_minus_2sd_below_0")
    assert labels.is_identifier("table1.sex_male.count")
    assert not labels.is_identifier("Albumin ≤ 3 g/dL")
    assert not labels.is_identifier("Age (years)")


def test_table_markdown_marks_agreement_with_numbered_reasons():
    df = pd.DataFrame(
        {
            "term": ["child_pugh_6", "albumin_le3", "ast_gt40"],
            "published": ["1.2", "-0.3", "a|b"],
            "reproduced": ["1.2", "-0.31", "c"],
            "verdict": ["agrees", "differs", "differs"],
            "reason": ["", "rounding", "coding"],
        }
    )
    text, notes = book.table_markdown(df)
    lines = text.splitlines()
    assert lines[0] == "| Variable | Published | Reproduced | Agrees |"
    assert lines[2] == "| Child-Pugh score 6 | 1.2 | 1.2 | ✓ |"
    assert lines[3] == "| Albumin ≤ 3 g/dL | −0.3 | −0.31 | ✗¹ |"  # true minus
    assert lines[4] == r"| AST \> 40 U/L | a\|b | c | ✗² |"  # escaped: a pipe cannot break the row
    assert notes == ["rounding", "coding"]


def test_table_markdown_code_columns_are_literal():
    """A code cell is the name as typed, not relabelled; a name with underscores may break after
    each (Table 10.1 scrolled sideways at 1280 px for one unbreakable name)."""
    df = pd.DataFrame({"column": ["age_years", "sex"], "description": ["Age at HAIC", "Sex"]})
    text, _ = book.table_markdown(df, code=("column",))
    code = '<code class="docutils literal notranslate"><span class="pre">age\\_<wbr>years</span></code>'
    assert text.splitlines()[2] == f"| {code} | Age at HAIC |"
    assert text.splitlines()[3] == "| `sex` | Sex |"


def test_a_label_names_the_unit_of_the_data_dictionary():
    """A label with a unit in brackets uses the unit data/schema.yaml gives its column (its first
    word: "ng/mL as printed (usually mAU/mL)" is ng/mL, as the paper prints PIVKA-II). Chapter 1
    said "PIVKA-II (mAU/mL)" while chapters 4 and 7 said ng/mL."""
    from analysis import paper
    from analysis.cohort import SCHEMA

    units = {c.name: c.unit.split()[0] for c in SCHEMA if c.unit}
    labelled = {
        **{f"TERM_LABELS[{k!r}]": (k, v) for k, v in labels.TERM_LABELS.items()},
        **{f"paper.term({t.id!r}).display": (t.column, t.display) for t in paper.TERMS},
    }
    wrong = []
    for where, (column, label) in labelled.items():
        bracket = re.search(r"\(([^()]*)\)$", label)
        if column in units and bracket and bracket.group(1) != units[column]:
            wrong.append(f"{where} = {label!r}, schema unit {units[column]!r}")
    assert wrong == []
    assert labels.term_label("pivka2") == paper.term("pivka2").display == "PIVKA-II (ng/mL)"


def test_section_label_names_where_the_paper_prints_a_number():
    assert labels.section_label("abstract.os_median_additional_tace.interval") == "Abstract"
    assert labels.section_label("table1.additional_tace.count") == "Table 1"
    assert labels.section_label("highlights.x.count") == "Highlights"


def test_each_jsh_criterion_has_one_label_in_one_order():
    """One vocabulary for the JSH 2021 criteria (analysis.labels.JSH_CRITERION_LABELS): Table 2.1
    (one patient's criteria), Table 2.4 (the cohort's counts), Table 1 as chapters 1, 4 and 8
    show it, the audit and the data dictionary name each criterion by the same label, in the
    order of the paper's Table 1. Before, Table 2.1 said "Poor intrahepatic response", Table 2.4
    "poor response of the treated tumour" in another order, Table 1 "Refractory: poor response"."""
    from analysis import audit, clinical, tables
    from analysis.cohort import SCHEMA

    vocabulary = labels.JSH_CRITERION_LABELS
    names = list(vocabulary.values())
    assert names == [
        "Poor response", "New liver lesions", "Extrahepatic spread", "Vascular invasion",
        "Rising tumour markers",
    ]  # fmt: skip
    # a phone's table column: at most two short lines at 390 px ("Rising tumour markers", 21)
    assert all(len(name) <= 21 for name in names)
    # the order: the paper's Table 1 (its published counts), the rules' own names and results
    assert list(vocabulary) == list(clinical.JSH_CRITERIA) == list(clinical.JSH_COHORT_COLUMNS)
    assert list(clinical.jsh_refractory().index[:-1]) == list(vocabulary)
    columns = list(clinical.JSH_COHORT_COLUMNS.values())
    table1 = [i.split(".")[1] for i in published.ids("table1.") if i.endswith(".count")]
    assert [q for q in table1 if q in columns] == columns
    # Table 2.1 (book.labelled of jsh_refractory) and Table 2.4 (jsh_criteria_table)
    one_patient = book.labelled(clinical.jsh_refractory([70, 60]), "met")
    assert list(one_patient.index[:-1]) == names
    assert [label for label, _, _ in tables.JSH_CRITERIA_ROWS] == names
    assert [column for _, column, _ in tables.JSH_CRITERIA_ROWS] == columns
    # Table 1's rows (chapters 1, 4, 8): the same label after "Refractory:"
    for criterion, column in clinical.JSH_COHORT_COLUMNS.items():
        said = labels.in_sentence(vocabulary[criterion])
        assert labels.term_label(column) == f"Refractory: {said}"
        assert labels.term_label(f"table1.{column}.count") == f"Refractory: {said}, n"
        assert f"“{vocabulary[criterion]}”" in SCHEMA[column].description
    # the audit (chapter 8): Table 1's counts and the Results' most and least common cause
    claims = set(audit.audit_paper()["claim"])
    for column in columns:
        assert any(c.startswith(f"{labels.term_label(column)}: ") for c in claims), column
    poor, spread = (
        labels.in_sentence(vocabulary[c])
        for c in ("intrahepatic_poor_response", "extrahepatic_spread")
    )
    assert {f"most common cause: {poor}", f"least common cause: {spread}"} <= claims


def test_chapter_02_lists_the_jsh_criteria_by_their_labels():
    """The numbered list that defines the criteria in chapter 2 names them in bold by the labels
    its tables show, in their order."""
    from pathlib import Path

    text = (Path(__file__).resolve().parents[1] / "chapters" / "02-eligibility.md").read_text(
        encoding="utf-8"
    )
    listed = re.findall(r"^\d\. \*\*([^*]+)\*\*", text, flags=re.MULTILINE)
    assert listed[:5] == list(labels.JSH_CRITERION_LABELS.values())
