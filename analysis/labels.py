"""Clinical labels for the book's tables: what a reader sees instead of a column name.

The package's DataFrames use short, stable column names and term codes (``dose_mg_m2``,
``child_pugh_6``, ``albumin_le3``) because code reads them. A table in the book shows the clinical
label instead ("Dose (mg/m²)", "Child-Pugh score 6", "Albumin ≤ 3 g/dL"). :func:`column_label`
and :func:`term_label` do the translation; names they do not know are returned unchanged, so a
new column is shown rather than lost (and the browser test reports it as a code identifier).
For example:

>>> column_label("dose_mg_m2")
'Dose (mg/m²)'
>>> term_label("child_pugh_6")
'Child-Pugh score 6'
>>> term_label("table1.sex_male.count")
'Sex: male, n'
>>> is_identifier("albumin_le3"), is_identifier("Albumin ≤ 3 g/dL")
(True, False)

Each JSH criterion has one label (:data:`JSH_CRITERION_LABELS`); its cohort column reads it after
"Refractory:":

>>> term_label("vascular_invasion"), term_label("table1.refractory_vascular_invasion.count")
('Vascular invasion', 'Refractory: vascular invasion, n')
"""

from __future__ import annotations

import re

from analysis.clinical import JSH_COHORT_COLUMNS

__all__ = [
    "COLUMN_LABELS",
    "TERM_LABELS",
    "JSH_CRITERION_LABELS",
    "column_label",
    "term_label",
    "quantity_label",
    "section_label",
    "relabel",
    "is_identifier",
    "in_sentence",
]

#: Column name -> header shown in a table.
COLUMN_LABELS = {
    "quantity": "Quantity",
    "characteristic": "Characteristic",
    "published": "Published",
    "reproduced": "Reproduced",
    "your cohort": "Your cohort",
    "verdict": "Agrees",
    "reason": "Why they differ",
    "term": "Variable",
    "variable": "Variable",
    "model": "Model",
    "coding": "Coding",
    "drug": "Drug",
    "day": "Day",
    "dose_mg_m2": "Dose (mg/m²)",
    "dose_mg": "Dose (mg)",
    "dose_mg_capped": "Dose after cap (mg)",
    "infusion_hours": "Infusion (h)",
    "recommended_percent": "Recommended (% of full dose)",
    "recommended_dose_mg": "Recommended dose (mg)",
    "warning": "Warning",
    "id": "Published entry",
    "text": "As printed",
    "kind": "Kind",
    "computed": "Computed",
    "distance": "Distance",
    "feasible": "Feasible",
    "cells": "Numbers counted",
    "table2_printed": "Printed in Table 2",
    "reference_rows": "Reference rows (printed 1)",
    "outside_table2": "Printed elsewhere, contradicting Table 2",
    "infeasible": "Not feasible",
    "off": "Off by",
    "surrogate": "Surrogate",
    "mean_minus_2sd_below_0": "Mean − 2 SD below 0",
    "chi2": "χ²",
    "df": "df",
    "p": "P",
    "where": "Where",
    "claim": "Claim",
    "check": "Check",
    "explanation": "Explanation",
    "ids": "Entries",
    "consistent": "Consistent",
    "inconsistent": "Inconsistent",
    "cannot tell": "Cannot tell",
    "column": "Column",
    "type": "Type",
    "unit": "Unit",
    "values": "Values",
    "checks": "Checks",
    "required": "Required",
    "in the paper": "In the paper",
    "description": "Description",
    "chapter": "Chapter",
    # chapter 10's tables of the runner's parameters and of what each chapter reads
    "parameter": "Parameter",
    "chapters": "Chapters",
    "default": "Default",
    "accepted": "Accepted values",
    "required columns": "Required columns",
    "optional columns": "Optional columns",
    "absent from this cohort": "Absent from this cohort",
    "rule": "Rule",
    "number": "Number",
    "patients": "Patients",
    "percent": "Percent",
}

#: The JSH 2021 criteria of TACE refractoriness, as :func:`analysis.clinical.jsh_refractory` names
#: them, each with its one clinical label, in the order of the paper's Table 1. Every table that
#: names the criteria shows these labels in this order: one patient's criteria (chapter 2), the
#: cohort's counts (Table 2.4) and, after "Refractory:", the cohort's 0/1 columns wherever Table 1
#: is shown (chapters 1, 4 and 8), where "Vascular invasion" alone could be read as the
#: portal vein tumour thrombus (PVTT). Short: a phone's table has about 390 px for all its columns.
JSH_CRITERION_LABELS = {
    "intrahepatic_poor_response": "Poor response",
    "intrahepatic_new_lesions": "New liver lesions",
    "extrahepatic_spread": "Extrahepatic spread",
    "vascular_invasion": "Vascular invasion",
    "tumor_marker_rise": "Rising tumour markers",
}

#: Term code (Cox terms, cohort columns) -> clinical label.
TERM_LABELS = {
    "age_years": "Age (years)",
    "sex_male": "Sex: male",
    "sex_female": "Sex: female",
    "child_pugh_5": "Child-Pugh score 5",
    "child_pugh_6": "Child-Pugh score 6",
    "child_pugh_7": "Child-Pugh score 7",
    "child_pugh_8": "Child-Pugh score 8",
    "child_pugh_a": "Child-Pugh class A",
    "child_pugh_b": "Child-Pugh class B",
    "child_pugh_c": "Child-Pugh class C",
    "bclc_stage": "BCLC stage",
    "bclc_a": "BCLC stage A",
    "bclc_b": "BCLC stage B",
    "bclc_c": "BCLC stage C",
    "afp_ng_ml": "AFP (ng/mL)",
    "pivka2": "PIVKA-II (ng/mL)",
    "albumin_g_dl": "Albumin (g/dL)",
    "albumin_gt3": "Albumin > 3 g/dL",
    "albumin_le3": "Albumin ≤ 3 g/dL",
    "ast_u_l": "AST (U/L)",
    "ast_le40": "AST ≤ 40 U/L",
    "ast_gt40": "AST > 40 U/L",
    "alt_u_l": "ALT (U/L)",
    "albi_score": "ALBI score",
    "crp_mg_l": "CRP (mg/L)",
    "crp_le3": "CRP ≤ 3 mg/L",
    "crp_gt3": "CRP > 3 mg/L",
    "pvtt": "Portal vein tumour thrombus",
    "pvtt_vp0": "PVTT Vp0",
    "pvtt_vp1_2": "PVTT Vp1–2",
    "pvtt_vp3_4": "PVTT Vp3–4",
    "tumor_size_mm": "Tumour size (mm)",
    "tumor_number": "Tumour number",
    "tumor_number_1_4": "Tumour number 1–4",
    "tumor_number_gt4": "Tumour number > 4",
    "prior_tace_sessions": "Prior TACE sessions",
    "prior_tace_2_4": "Prior TACE 2–4",
    "prior_tace_gt4": "Prior TACE > 4",
    "additional_tace": "Additional TACE during HAIC",
    "os_median": "Median OS",
    "os_mean": "Mean OS (SPSS)",
    "pfs_median": "Median PFS",
    "pfs_mean": "Mean PFS (SPSS)",
    "os_median_dc": "Median OS, disease control",
    "os_median_pd": "Median OS, progressive disease",
    "logrank_dc_vs_pd": "Log-rank, disease control vs progression",
    "os_median_prior_tace_2_4": "Median OS, 2–4 prior TACE",
    "os_median_prior_tace_gt4": "Median OS, > 4 prior TACE",
    "logrank_prior_tace": "Log-rank, 2–4 vs > 4 prior TACE",
    "os_median_additional_tace": "Median OS, additional TACE",
    "os_median_no_additional_tace": "Median OS, no additional TACE",
    "logrank_additional_tace": "Log-rank, additional TACE vs none",
    "pvtt_vp1": "PVTT Vp1",
    "pvtt_vp2": "PVTT Vp2",
    "pvtt_vp3": "PVTT Vp3",
    "pvtt_vp4": "PVTT Vp4",
    "pvtt_present": "PVTT present",
    "refractory_tace_sessions": "TACE-refractory sessions",
    # the cohort's refractory_* columns of the JSH criteria: added below, from JSH_CRITERION_LABELS
    "prior_resection_or_transplant": "Prior resection or transplant",
    "n_patients": "Patients",
    "orr": "ORR",
    "dcr": "DCR",
    # spelled out: beside "Age (years), SD" a bare "SD, n" reads as a standard deviation
    # (chapter 1's Table 1.4); Table 5.1, all responses, keeps the abbreviations
    "response_cr": "Complete response (CR)",
    "response_pr": "Partial response (PR)",
    "response_sd": "Stable disease (SD)",
    "response_pd": "Progressive disease (PD)",
    # the JSH 2021 criteria themselves: added below, from JSH_CRITERION_LABELS
    "is_refractory": "TACE-refractory (any criterion)",
    "univariate": "Univariate",
    "multivariate": "Multivariable",
    "multivariable": "Multivariable",
}

_FIELD_LABELS = {
    "count": "n",
    "percent": "%",
    "mean": "mean",
    "sd": "SD",
    "median": "median",
    "interval": "95% CI",
    "p": "P",
    "hr": "HR",
    "lower": "lower bound",
    "upper": "upper bound",
}
_SECTION_LABELS = {
    "table1": "Table 1",
    "table2": "Table 2",
    "figure1": "Figure 1",
    "figure2": "Figure 2",
    "abstract": "Abstract",
    "results": "Results",
    "methods": "Methods",
    "discussion": "Discussion",
}

_IDENTIFIER = re.compile(r"^[a-z][a-z0-9]*(?:[_.][a-z0-9]+)+$")


def section_label(entry_id: str) -> str:
    """Where the paper prints a published entry, as the paper names that part.

    Parameters
    ----------
    entry_id : str
        A published entry id ``section.quantity.field`` (:mod:`analysis.published`), or a
        section alone.

    Returns
    -------
    str
        "Table 1", "Figure 2", "Abstract", "Results"…; an unknown section with its first letter
        in capitals.

    Examples
    --------
    >>> section_label("abstract.os_median_additional_tace.interval")
    'Abstract'
    >>> section_label("figure2.os_median_additional_tace.interval"), section_label("results")
    ('Figure 2', 'Results')
    """
    section = str(entry_id).split(".", 1)[0]
    return _SECTION_LABELS.get(section) or _humanize(section)


def is_identifier(text) -> bool:
    """True when ``text`` reads like a code name (``snake_case`` or ``dotted.name``), not a label.

    Parameters
    ----------
    text : object
        Anything; only a string can be an identifier.

    Returns
    -------
    bool
        True for lower-case words joined by ``_`` or ``.`` (at least two of them).

    Examples
    --------
    >>> is_identifier("albumin_le3"), is_identifier("table1.sex_male.count")
    (True, True)
    >>> is_identifier("age"), is_identifier("Albumin ≤ 3 g/dL"), is_identifier(None)
    (False, False, False)
    """
    return isinstance(text, str) and bool(_IDENTIFIER.match(text.strip()))


def _humanize(code: str) -> str:
    words = code.replace("_", " ").strip()
    return words[:1].upper() + words[1:]


def quantity_label(quantity, kind=None) -> str:
    """A published quantity and kind as a reader says it: ``("age_years", "sd")`` -> "Age (years), SD".

    Parameters
    ----------
    quantity : str
        A quantity of ``data/published/`` (a term code of :data:`TERM_LABELS`, or any other
        name, which is shown with its underscores as spaces).
    kind : str, optional
        The field (``count``, ``percent``, ``sd``, ``interval``, ``p``…), added after a comma;
        None, or ``median`` for a quantity already labelled a median, adds nothing.

    Returns
    -------
    str

    Examples
    --------
    >>> quantity_label("os_median_prior_tace_gt4", "interval")
    'Median OS, > 4 prior TACE, 95% CI'
    >>> quantity_label("age_years", "sd"), quantity_label("os_median", "median")
    ('Age (years), SD', 'Median OS')
    >>> quantity_label("os_mean", "mean"), quantity_label("response_sd", "count")
    ('Mean OS (SPSS)', 'Stable disease (SD), n')
    >>> quantity_label("afp_ng_ml", "interval")   # Table 1 prints its median (min–max)
    'AFP (ng/mL), range'
    >>> quantity_label("new_thing")
    'New thing'
    >>> quantity_label("hr_prior_tace_gt4", "hr")   # the hazard ratio of a term, quoted in the text
    'Prior TACE > 4, HR'
    """
    label = TERM_LABELS.get(quantity)
    if label is None and str(quantity).startswith("hr_"):
        label = TERM_LABELS.get(str(quantity).removeprefix("hr_"))
    label = label or _humanize(str(quantity))
    if kind is None or kind in ("median", "mean") and label.startswith(kind.title()):
        return label  # "Mean OS (SPSS)", not "Mean OS (SPSS), mean"
    if kind == "interval" and not str(quantity).startswith(_CI_QUANTITIES):
        return f"{label}, range"  # Table 1's "median (min–max)", a dose or time window
    return f"{label}, {_FIELD_LABELS.get(kind, kind)}"


#: Quantities whose printed interval is a 95% confidence interval (hazard ratios, median survival);
#: any other printed interval (AFP's and PIVKA-II's min–max in Table 1, a window) is a range.
_CI_QUANTITIES = ("hr_", "os_", "pfs_")


_CODE_TOKEN = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")


def relabel(text):
    """Replace the term codes inside a sentence by their labels (unknown codes stay as they are).

    Parameters
    ----------
    text : str or object
        A sentence; anything that is not a string is returned unchanged.

    Returns
    -------
    str or object

    Examples
    --------
    >>> relabel("os_median_prior_tace_gt4: 3.4 (range, 0.5–13.6)")
    'Median OS, > 4 prior TACE: 3.4 (range, 0.5–13.6)'
    >>> relabel("albumin_le3 and crp_gt3, not unknown_code")
    'Albumin ≤ 3 g/dL and CRP > 3 mg/L, not unknown_code'
    >>> relabel(None) is None
    True
    """
    if not isinstance(text, str):
        return text
    return _CODE_TOKEN.sub(lambda m: TERM_LABELS.get(m.group(0), m.group(0)), text)


def column_label(name) -> str:
    """The header shown for a DataFrame column (unknown names: returned unchanged).

    Parameters
    ----------
    name : str or object
        A column name; a name that is not a string is shown as ``str(name)``.

    Returns
    -------
    str
        The label of :data:`COLUMN_LABELS`, or ``name`` itself.

    Examples
    --------
    >>> column_label("dose_mg_m2"), column_label("reason")
    ('Dose (mg/m²)', 'Why they differ')
    >>> column_label("my_column"), column_label(7)
    ('my_column', '7')
    """
    if not isinstance(name, str):
        return str(name)
    return COLUMN_LABELS.get(name, name)


def in_sentence(label: str) -> str:
    """A table's label as it reads in the middle of a sentence: a capital that only opens the
    label goes ("the hazard ratio of prior TACE > 4", "tumour number, per lesion"); an
    abbreviation or a name keeps its capitals ("AST > 40", "PIVKA-II (ng/mL)", "Child-Pugh").

    Parameters
    ----------
    label : str
        A label of :func:`term_label` or :func:`quantity_label`.

    Returns
    -------
    str

    Examples
    --------
    >>> in_sentence("Prior TACE > 4"), in_sentence("Tumour number, per lesion")
    ('prior TACE > 4', 'tumour number, per lesion')
    >>> in_sentence("AST (U/L), per U/L"), in_sentence("PIVKA-II (ng/mL)"), in_sentence("Child-Pugh score 6")
    ('AST (U/L), per U/L', 'PIVKA-II (ng/mL)', 'Child-Pugh score 6')
    """
    first = label.split(" ", 1)[0]
    if label[1:2].islower() and "-" not in first and first not in _NAMES:
        return label[0].lower() + label[1:]
    return label


#: Words that open a label and are names, capitalised wherever they stand.
_NAMES = {"Kaplan–Meier", "Cox", "Wald", "Wilson", "Clopper–Pearson", "Korean"}

# one label per JSH criterion: the criterion's own name reads it as it is, its cohort column
# after "Refractory:" ("Refractory: poor response"), never typed a second time
TERM_LABELS.update(JSH_CRITERION_LABELS)
TERM_LABELS.update(
    {
        column: f"Refractory: {in_sentence(JSH_CRITERION_LABELS[c])}"
        for c, column in JSH_COHORT_COLUMNS.items()
    }
)


def term_label(code) -> str:
    """The clinical label of a term code or a published entry id (unknown: unchanged).

    A published entry id ``section.quantity.field`` reads "Quantity, field" with the section
    dropped (the table says where the number is printed).

    Parameters
    ----------
    code : str or object
        A term code of :data:`TERM_LABELS` or a published entry id; anything that is not a
        string is returned unchanged.

    Returns
    -------
    str or object

    Examples
    --------
    >>> term_label("albumin_le3")
    'Albumin ≤ 3 g/dL'
    >>> term_label("table1.age_years.sd")
    'Age (years), SD'
    >>> term_label("no_such_code")
    'no_such_code'
    """
    if not isinstance(code, str):
        return code
    if code in TERM_LABELS:
        return TERM_LABELS[code]
    parts = code.split(".")
    if len(parts) == 3 and parts[0] in _SECTION_LABELS:
        _, quantity, field = parts
        return quantity_label(quantity, field)
    return code
