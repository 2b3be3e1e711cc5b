"""Clinical labels for the book's tables: what a reader sees instead of a column name.

The package's DataFrames use short, stable column names and term codes (``dose_mg_m2``,
``child_pugh_6``, ``albumin_le3``) because code reads them. A table in the book shows the clinical
label instead ("Dose (mg/m²)", "Child-Pugh score 6", "Albumin ≤ 3 g/dL"). :func:`column_label`
and :func:`term_label` do the translation; names they do not know are returned unchanged, so a
new column is shown rather than lost (and the browser test reports it as a code identifier).

Examples
--------
>>> column_label("dose_mg_m2")
'Dose (mg/m²)'
>>> term_label("child_pugh_6")
'Child-Pugh score 6'
>>> term_label("table1.sex_male.count")
'Sex: male, n'
>>> is_identifier("albumin_le3"), is_identifier("Albumin ≤ 3 g/dL")
(True, False)
"""

from __future__ import annotations

import re

__all__ = ["COLUMN_LABELS", "TERM_LABELS", "column_label", "term_label", "is_identifier"]

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
    "required": "Required",
    "in the paper": "In the paper",
    "description": "Description",
    "chapter": "Chapter",
    "rule": "Rule",
    "number": "Number",
    "patients": "Patients",
    "percent": "Percent",
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
    "pivka2": "PIVKA-II (mAU/mL)",
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
    "interval": "interval",
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


def is_identifier(text) -> bool:
    """True when ``text`` reads like a code name (``snake_case`` or ``dotted.name``), not a label."""
    return isinstance(text, str) and bool(_IDENTIFIER.match(text.strip()))


def _humanize(code: str) -> str:
    words = code.replace("_", " ").strip()
    return words[:1].upper() + words[1:]


def column_label(name) -> str:
    """The header shown for a DataFrame column (unknown names: returned unchanged)."""
    if not isinstance(name, str):
        return str(name)
    return COLUMN_LABELS.get(name, name)


def term_label(code) -> str:
    """The clinical label of a term code or a published entry id (unknown: unchanged).

    A published entry id ``section.quantity.field`` reads "Quantity, field" with the section
    dropped (the table says where the number is printed).
    """
    if not isinstance(code, str):
        return code
    if code in TERM_LABELS:
        return TERM_LABELS[code]
    parts = code.split(".")
    if len(parts) == 3 and parts[0] in _SECTION_LABELS:
        _, quantity, field = parts
        label = TERM_LABELS.get(quantity) or _humanize(quantity)
        return f"{label}, {_FIELD_LABELS.get(field, field)}"
    return code
