"""Clinical labels and the numbered MyST tables of analysis.book (hand-written expectations)."""

from __future__ import annotations

import re

import pandas as pd

from analysis import book, labels


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
    word: "ng/mL as printed (usually mAU/mL)" is ng/mL, as the paper prints PIVKA-II). Chapter 01
    said "PIVKA-II (mAU/mL)" while chapters 04 and 07 said ng/mL."""
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
