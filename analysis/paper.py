"""The model of the paper's terms: Table 2 of Hien et al. (2024), its rows, codings and design.

One place says what each printed row of Table 2 is: the label as printed, the coding the label
states, the coding the row's standard error implies (and the book therefore uses), the cohort
column it comes from and its reference category. :mod:`analysis.tables`,
:mod:`analysis.bias`, :mod:`analysis.audit` and :mod:`analysis.synthesis` all read it.

Codings
-------
The SE of a log hazard ratio comes from the printed 95% CI, ``(ln U − ln L)/(2·1.96)``. A 0/1
covariate contributes at most ``1/4`` of Fisher information per death, so its SE is at least
``2/sqrt(d)``; with at most 82 deaths that is ``2/sqrt(82) = 0.221``. Four rows whose labels state
a binary split print far smaller SEs (AST 0.003, CRP 0.057, tumour number 0.018, prior TACE
0.039 univariate and 0.187 multivariable), so they cannot be binary: the book enters them per
unit (U/L, mg/L, lesion, session), the only coding that can show those SEs. This is
``coding="implied"`` in :func:`design_matrix` (the default, used by the tables, the bias chapter
and the calibration); ``coding="stated"`` enters the labels' splits for comparison.
Earlier versions named the per-unit columns differently in :mod:`analysis.bias`
(``ast_u_l``, ``crp_mg_l``…) and in :mod:`analysis.tables` (``ast_gt40``, ``crp_gt3``…) with
the same per-unit values; the term ids of ``data/published/table2.yaml`` are now the only names.

Feasibility
-----------
:func:`table2_feasibility` decides, from the printed numbers alone, whether a cohort of 82
patients could show each printed cell at the printed precision (half-up rounding of every
number): see its docstring. :func:`death_floors` adds what a 0/1 or category row says about the
deaths in its groups: ``Var(ln HR) >= 1/d₁ + 1/d₀`` holds exactly in any Cox model, so with
Table 1's group sizes each printed interval needs a number of deaths in each group, and the
groups of one factor a number together (:func:`min_total_deaths`: at least 66 deaths in all, from
the BCLC row). The paper prints no number of deaths, numbers at risk or event counts, so this
floor and the 82 patients are all that bound them. No row needs more deaths than its groups
have patients, so no cell is infeasible on this ground; a cohort's own deaths per group can
still put an interval out of its reach (:func:`death_floor_check`).

The approximation ``Var(ln HR) ≈ 1/dₖ + 1/d_ref`` (equal risk-set shares at every death) would
also bound the deaths from above, and then the Child-Pugh rows (SEs 0.64, 0.64, 0.79 against
score 5) leave about 7 deaths at scores 6–8 (the score-6 and 7 rows alone about 11), while the
multivariable albumin ≤ 3 g/dL interval (which the calibration follows; the counts give it up
for the row's HR and P, :func:`row_feasibility`) needs at least 15 deaths among patients who all
score 6 or more (:func:`approximate_conflicts` lists every cell the approximation contradicts, with
the SE excess over the approximation that lifts each verdict). That direction is not a theorem: when
one group's share of the risk set changes over time (score-5 patients dying first, say) the
information falls below the approximation and the SE grows, whatever the deaths. So the
Child-Pugh rows are not called infeasible (the audit reports the tension, and that it goes if
the rows are scores 5–7 against 8, as SPSS's default last reference would print them:
:func:`analysis.audit.last_category_reading`; this model keeps the printed labels). The
committed cohort has the 5 patients at score 5 that the score-7 and score-8 rows need, all dead, and 69 at score
6 (55 dead); no arrangement the calibration tried comes near the printed SE 0.64 for score 6,
nor does a free search over the Child-Pugh labels alone on its survival times
(:func:`analysis.calibration.label_reach`: any patient any score, the group sizes kept): SE
0.48 at best, and 3 of the 7 feasible univariate Child-Pugh entries print, as in the cohort.

Examples
--------
>>> [t.id for t in TERMS][:3]
['age_years', 'sex_female', 'child_pugh_6']
>>> term("ast_gt40").stated, term("ast_gt40").implied
('binary', 'per unit')
>>> round(binary_se_floor(82), 3)
0.221
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from itertools import combinations

import numpy as np
import pandas as pd
from scipy import special

from analysis import labels, published
from analysis.clinical import albi_frame, child_pugh, child_pugh_class_from_points
from analysis.formatting import quantity, range_text, rounded, word_list

__all__ = [
    "Term",
    "DEATH_FLOOR_RULE",
    "TERMS",
    "REFERENCE_TERMS",
    "TABLE2_MODELS",
    "UNIVARIATE_GROUPS",
    "MULTIVARIABLE_TERMS",
    "PER_UNIT_TERMS",
    "SAME_SPLIT_LOGRANK",
    "BCLC_ORDER",
    "CODINGS",
    "Z95",
    "term",
    "fitted_label",
    "SHORT_LABELS",
    "published_estimates",
    "binary_se_floor",
    "se_from_interval",
    "child_pugh_class",
    "albi_scores",
    "design_matrix",
    "multivariable_design",
    "row_feasibility",
    "wald_z_range",
    "table2_feasibility",
    "P_READINGS",
    "feasibility_summary",
    "outside_versions",
    "feasibility_summary_sentence",
    "counted_numbers",
    "feasibility_summary_notes",
    "feasibility_table",
    "feasibility_brief",
    "feasibility_note",
    "GROUP_COUNTS",
    "CHILD_PUGH_CLASSES",
    "deaths_floor",
    "death_floors",
    "min_total_deaths",
    "death_partition",
    "death_floor_check",
    "approximate_deaths",
    "printed_se_range",
    "se_readings",
    "group_masks",
    "group_names",
    "approximate_conflicts",
    "CONTRADICTED",
    "EARLY_CENSORING",
    "NO_CONFLICT",
    "MARGIN_LIMIT",
    "infeasible_short_reasons",
    "BY_A_HAIR",
    "INFEASIBLE_TRUNCATED",
    "FEASIBILITY_NOTE_CELLS",
    "FEASIBILITY_NOTE_DEATHS",
    "INFEASIBLE_ONE_ROW",
    "INFEASIBLE_LOGRANK",
]

#: The 97.5% point of the standard normal distribution (95% Wald intervals).
Z95 = float(special.ndtri(0.975))

#: The two codings :func:`design_matrix` offers.
CODINGS = ("implied", "stated")

#: BCLC stage as one ordinal term (the paper does not state its coding; the cohort has B and C
#: only, so it is stage C vs B).
BCLC_ORDER = {"0": 0, "A": 1, "B": 2, "C": 3, "D": 4}


@dataclass(frozen=True)
class Term:
    """One non-reference row of Table 2.

    Attributes
    ----------
    id : str
        The term id of ``data/published/table2.yaml`` (``table2.<id>.<uni|multi>.<part>``).
    variable : str
        The variable label as Table 2 prints it (``"PIKA-II (ng/mL)"`` keeps the paper's typo).
    label : str
        The category label as printed (``">40"``), or ``""`` for a one-line row.
    stated : str
        The coding the label states: ``"per unit"``, ``"binary"`` (a two-group split),
        ``"category"`` (one dummy of a factor with three or more levels) or ``"ordinal"``.
    implied : str
        The coding the printed SE allows and the book uses (``"per unit"`` where a binary
        label's SE is below :func:`binary_se_floor`).
    column : str
        The cohort column the term is built from.
    unit : str
        Unit of one step of a per-unit term (``""`` otherwise).
    cutoff : float or None
        The label's cut-off for a binary split (``x > cutoff``, or ``x <= cutoff`` for albumin).
    reference : str or None
        The reference row's term id (printed ``1``), if the table prints one.
    multivariable : bool
        Whether the multivariable model contains the term.
    display : str
        The book's label for the variable (spelled out, British spelling: "Tumour size (mm)").
    book_coding : str
        The book's coding text for a term coded as labelled ("6 vs 5"); empty for the four
        per-unit terms, whose text depends on the coding chosen.
    what : str
        For the per-unit terms, what one unit counts ("AST (U/L)", "prior TACE sessions").

    Examples
    --------
    Table 2 labels AST as "> 40" (a 0/1 split), but its SE only fits a per-unit coding:

    >>> t = term("ast_gt40")
    >>> t.variable, t.label, t.stated, t.implied, t.column, t.cutoff
    ('AST (U/L)', '>40', 'binary', 'per unit', 'ast_u_l', 40)
    """

    id: str
    variable: str
    label: str
    stated: str
    implied: str
    column: str
    unit: str = ""
    cutoff: float | None = None
    reference: str | None = None
    multivariable: bool = False
    display: str = ""
    book_coding: str = ""
    what: str = ""

    @property
    def coding_text(self) -> str:
        """The implied coding in words (``"per U/L"``, ``"≤3 vs >3"``)."""
        if self.implied == "per unit":
            return f"per {self.unit}" if self.unit else "per unit"
        if self.implied == "ordinal":
            return "per stage (B→C)"
        return self.contrast

    @property
    def contrast(self) -> str:
        """The printed comparison, label against reference label (``">40 vs ≤40"``)."""
        if self.reference is None:
            return self.label or ("yes vs no" if self.stated == "binary" else "")
        return f"{self.label} vs {_REFERENCE_LABELS[self.reference]}"


#: Labels of the reference rows, as printed.
_REFERENCE_LABELS = {
    "sex_male": "Male",
    "child_pugh_5": "5",
    "albumin_gt3": ">3",
    "ast_le40": "≤40",
    "crp_le3": "≤3",
    "pvtt_vp0": "Vp0",
    "tumor_number_1_4": "1–4",
    "prior_tace_2_4": "2–4 sessions",
}

#: Reference rows (printed ``1``), by term id, with their printed label.
REFERENCE_TERMS = dict(_REFERENCE_LABELS)

#: The two models of Table 2: the key in a cell id (``table2.<term>.<key>.<part>``) -> the name.
TABLE2_MODELS = {"uni": "univariate", "multi": "multivariable"}

#: The rows of Table 2 in printed order.
TERMS: tuple[Term, ...] = (
    Term("age_years", "Age (years)", "", "per unit", "per unit", "age_years", "year",
         display="Age (years)", book_coding="per year"),
    Term("sex_female", "Sex", "Female", "binary", "binary", "sex", reference="sex_male",
         display="Sex", book_coding="female vs male"),
    Term("child_pugh_6", "Child-Pugh score", "6", "category", "category", "child_pugh_score",
         reference="child_pugh_5", multivariable=True, display="Child-Pugh score",
         book_coding="6 vs 5"),
    Term("child_pugh_7", "Child-Pugh score", "7", "category", "category", "child_pugh_score",
         reference="child_pugh_5", multivariable=True, display="Child-Pugh score",
         book_coding="7 vs 5"),
    Term("child_pugh_8", "Child-Pugh score", "8", "category", "category", "child_pugh_score",
         reference="child_pugh_5", multivariable=True, display="Child-Pugh score",
         book_coding="8 vs 5"),
    Term("bclc_stage", "BCLC stage", "", "ordinal", "ordinal", "bclc_stage", "stage",
         display="BCLC stage", book_coding="per stage (B→C)"),
    Term("afp_ng_ml", "AFP (ng/mL)", "", "per unit", "per unit", "afp_ng_ml", "ng/mL",
         multivariable=True, display="AFP (ng/mL)", book_coding="per ng/mL"),
    Term("pivka2", "PIKA-II (ng/mL)", "", "per unit", "per unit", "pivka2", "ng/mL",
         display="PIVKA-II (ng/mL)", book_coding="per ng/mL"),
    Term("albumin_le3", "Albumin (g/dL)", "≤3", "binary", "binary", "albumin_g_dl", cutoff=3,
         reference="albumin_gt3", multivariable=True, display="Albumin (g/dL)",
         book_coding="≤3 vs >3"),
    Term("ast_gt40", "AST (U/L)", ">40", "binary", "per unit", "ast_u_l", "U/L", cutoff=40,
         reference="ast_le40", multivariable=True, display="AST (U/L)", what="AST (U/L)"),
    Term("alt_u_l", "ALT (U/L)", "", "per unit", "per unit", "alt_u_l", "U/L",
         display="ALT (U/L)", book_coding="per U/L"),
    Term("albi_score", "ALBI score", "", "per unit", "per unit", "albi_score", "ALBI point",
         multivariable=True, display="ALBI score", book_coding="per unit"),
    Term("crp_gt3", "CRP (mg/L)", ">3", "binary", "per unit", "crp_mg_l", "mg/L", cutoff=3,
         reference="crp_le3", multivariable=True, display="CRP (mg/L)", what="CRP (mg/L)"),
    Term("pvtt_vp1_2", "PVTT", "Vp1–2", "category", "category", "pvtt", reference="pvtt_vp0",
         display="PVTT", book_coding="Vp1–2 vs Vp0"),
    Term("pvtt_vp3_4", "PVTT", "Vp3–4", "category", "category", "pvtt", reference="pvtt_vp0",
         display="PVTT", book_coding="Vp3–4 vs Vp0"),
    Term("tumor_size_mm", "Tumor size", "", "per unit", "per unit", "tumor_size_mm", "mm",
         display="Tumour size (mm)", book_coding="per mm"),
    Term("tumor_number_gt4", "Tumor number", ">4", "binary", "per unit", "tumor_number",
         "lesion", cutoff=4, reference="tumor_number_1_4", multivariable=True,
         display="Tumour number", what="tumour number"),
    Term("prior_tace_gt4", "Number of prior TACE", ">4 sessions", "binary", "per unit",
         "prior_tace_sessions", "session", cutoff=4, reference="prior_tace_2_4",
         multivariable=True, display="Number of prior TACE", what="prior TACE sessions"),
    Term("additional_tace", "Additional TACE during HAIC", "", "binary", "binary",
         "additional_tace", multivariable=True, display="Additional TACE during HAIC",
         book_coding="yes vs no"),
)  # fmt: skip

_BY_ID = {t.id: t for t in TERMS}

#: Terms whose label states a binary split but whose SE implies a per-unit coding:
#: ``{term: (column, cut-off, unit)}``.
PER_UNIT_TERMS = {
    t.id: (t.column, t.cutoff, t.unit)
    for t in TERMS
    if t.stated == "binary" and t.implied == "per unit"
}

#: Log-rank P values the paper prints for the same two-group split as a Table 2 term: a univariate
#: 0/1 Cox row must be compatible with them (log-rank ``|z|`` ≥ Wald ``|z|`` / cosh(β̂/2)).
SAME_SPLIT_LOGRANK = {
    "additional_tace": "results.logrank_additional_tace.p",
    "prior_tace_gt4": "results.logrank_prior_tace.p",
}

#: The univariate models, one per printed variable: ``(book label, [(term, book coding text or
#: None)], reference term or None)``. A factor's dummies (Child-Pugh, PVTT) are fitted together.
UNIVARIATE_GROUPS: list[tuple[str, list[tuple[str, str | None]], str | None]] = []
for _t in TERMS:
    _coding = _t.book_coding or None
    if UNIVARIATE_GROUPS and UNIVARIATE_GROUPS[-1][0] == _t.display:
        UNIVARIATE_GROUPS[-1][1].append((_t.id, _coding))
    else:
        UNIVARIATE_GROUPS.append((_t.display, [(_t.id, _coding)], _t.reference))
del _t, _coding

#: Terms of the paper's multivariable model (11 parameters), in printed order.
MULTIVARIABLE_TERMS = [t.id for t in TERMS if t.multivariable]


def term(term_id: str) -> Term:
    """The :class:`Term` of a Table 2 term id (``KeyError`` naming it when unknown).

    Examples
    --------
    >>> term("albumin_le3").book_coding, term("albumin_le3").reference
    ('≤3 vs >3', 'albumin_gt3')
    >>> try:
    ...     term("xyz")
    ... except KeyError as error:
    ...     print(error.args[0])
    term: unknown Table 2 term 'xyz'
    """
    try:
        return _BY_ID[term_id]
    except KeyError:
        raise KeyError(f"term: unknown Table 2 term {term_id!r}") from None


def fitted_label(term_id: str) -> str:
    """A Table 2 term labelled by the coding the book fits (the implied one, ``design_matrix``'s
    default): a term Table 2 labels as a split but whose printed SE implies a per-unit coding
    (:data:`PER_UNIT_TERMS`) reads "AST (U/L), per U/L"; any other term its clinical label
    (:func:`analysis.labels.term_label`). A row fitted per unit is never labelled "> 40".

    Examples
    --------
    >>> fitted_label("ast_gt40"), fitted_label("crp_gt3")
    ('AST (U/L), per U/L', 'CRP (mg/L), per mg/L')
    >>> fitted_label("albumin_le3"), fitted_label("pivka2")
    ('Albumin ≤ 3 g/dL', 'PIVKA-II (ng/mL)')
    """
    t = term(term_id)
    if term_id in PER_UNIT_TERMS:
        return f"{t.display}, per {t.unit}"
    return labels.term_label(term_id)


#: Table 2's terms as chapter 7's figures and its proportional-hazards table name them: short,
#: in the coding the book fits (a per-unit term says so; a Child-Pugh score names its reference).
SHORT_LABELS = {
    "child_pugh_6": "Child-Pugh 6 vs 5", "child_pugh_7": "Child-Pugh 7 vs 5",
    "child_pugh_8": "Child-Pugh 8 vs 5", "afp_ng_ml": "AFP, per ng/mL",
    "albumin_le3": "albumin ≤ 3 g/dL", "ast_gt40": "AST, per U/L",
    "albi_score": "ALBI score, per unit", "crp_gt3": "CRP, per mg/L",
    "tumor_number_gt4": "tumour number, per lesion",
    "prior_tace_gt4": "prior TACE, per session",
    "additional_tace": "additional TACE",
}  # fmt: skip


def published_estimates(model: str = "multi") -> pd.DataFrame:
    """The paper's Table 2 hazard ratios and 95% intervals of one model, as printed, for the
    terms whose interval it prints: columns ``hr``, ``lower``, ``upper``, indexed by term in the
    paper's order (what :func:`analysis.plots.forest_plot` draws beside a cohort's).

    Parameters
    ----------
    model : {"multi", "uni"}
        The multivariable or the univariate model.

    Examples
    --------
    >>> table = published_estimates("multi")
    >>> list(table.columns), len(table) > 5
    (['hr', 'lower', 'upper'], True)
    >>> table.loc["additional_tace"].tolist()
    [0.491, 0.268, 0.899]
    """
    ids = published.ids("table2.")
    terms = [t.id for t in TERMS if f"table2.{t.id}.{model}.interval" in ids]
    intervals = {t: published.entry(f"table2.{t}.{model}.interval") for t in terms}
    return pd.DataFrame(
        {
            "hr": [published.value(f"table2.{t}.{model}.hr") for t in terms],
            "lower": [intervals[t].lower for t in terms],
            "upper": [intervals[t].upper for t in terms],
        },
        index=pd.Index(terms, name="term"),
    )


def binary_se_floor(deaths: float) -> float:
    """Smallest SE of a log HR a 0/1 covariate allows with ``deaths`` events: ``2/sqrt(deaths)``.

    The Cox information of a 0/1 covariate is a sum over deaths of the variance of the
    covariate in the risk set, at most ``1/4`` each; in a multivariable model the variance of
    one coefficient is at least the inverse of its diagonal information. With the deaths split
    ``d1 + d0 = d``, the usual ``sqrt(1/d1 + 1/d0)`` is also at least ``2/sqrt(d)``.

    Examples
    --------
    >>> round(binary_se_floor(100), 3)
    0.2
    """
    if not deaths > 0:
        raise ValueError(f"deaths: expected a positive number, got {deaths!r}")
    return 2.0 / math.sqrt(deaths)


def se_from_interval(lower: float, upper: float, z: float = Z95) -> float:
    """SE of the log HR from a Wald 95% CI: ``(ln U − ln L)/(2·1.96)``.

    Examples
    --------
    >>> round(se_from_interval(0.258, 0.743), 4)
    0.2698
    """
    if not 0 < lower <= upper:
        raise ValueError(f"interval: expected 0 < lower <= upper, got {lower!r}–{upper!r}")
    return (math.log(upper) - math.log(lower)) / (2 * z)


def child_pugh_class(score) -> np.ndarray:
    """Child-Pugh class A (5–6 points), B (7–9) or C (10–15) of points or scores.

    The rule of :func:`analysis.clinical.child_pugh`, vectorised; here so that the design and
    the chapters need only this module.

    Examples
    --------
    >>> child_pugh_class([5, 6, 7, 9, 10]).tolist()
    ['A', 'A', 'B', 'B', 'C']
    """
    return child_pugh_class_from_points(score)


def albi_scores(cohort: pd.DataFrame) -> pd.Series:
    """ALBI score per patient: the cohort's ``albi_score`` column or computed from its labs.

    Examples
    --------
    Bilirubin 1.0 mg/dL (17.104 µmol/L) and albumin 4.0 g/dL (40 g/L):
    0.66 · log10(17.104) − 0.085 · 40 = −2.586.

    >>> albi_scores(pd.DataFrame({"bilirubin_mg_dl": [1.0], "albumin_g_dl": [4.0]})).round(3).tolist()
    [-2.586]
    >>> albi_scores(pd.DataFrame({"albi_score": [-2.5]})).tolist()   # a stored score is used as is
    [-2.5]
    """
    if "albi_score" in cohort.columns:
        return pd.to_numeric(cohort["albi_score"])
    return pd.to_numeric(albi_frame(cohort)["albi_score"])


def _absent(cohort: pd.DataFrame, column: str) -> bool:
    return column not in cohort.columns or cohort[column].isna().all()


def design_matrix(cohort: pd.DataFrame, coding: str = "implied", terms=None) -> pd.DataFrame:
    """Numeric design columns named by Table 2's term ids, with ``os_months`` and ``os_event``.

    Parameters
    ----------
    cohort : DataFrame
        A cohort (:func:`analysis.cohort.load_cohort`).
    coding : {"implied", "stated"}
        ``"implied"``: AST, CRP, tumour number and prior TACE per unit (the only coding their
        printed SEs allow, see :data:`PER_UNIT_TERMS`); ``"stated"``: the labels' splits
        (> 40 U/L, > 3 mg/L, > 4 lesions, > 4 sessions). Both codings: sex female vs male;
        Child-Pugh score as dummies against score 5 (one per score the cohort has); BCLC stage
        ordinal (:data:`BCLC_ORDER`); albumin ≤ 3 vs > 3 g/dL; PVTT Vp1–2 and Vp3–4 against
        Vp0; additional TACE 0/1; the rest per unit as recorded. Optional columns absent from
        the cohort (PIVKA-II, ALT) give no column.
    terms : sequence of str, optional
        Only these terms (a factor's term brings all its dummies); default every row of
        Table 2. The cohort needs only the columns of the terms asked for.

    Returns
    -------
    DataFrame
        Same index as ``cohort``.

    Examples
    --------
    >>> c = pd.DataFrame({"os_months": [1.0, 2.0], "os_event": [1, 0], "age_years": [60, 70],
    ...     "sex": ["M", "F"], "child_pugh_score": [5, 6], "bclc_stage": ["B", "C"],
    ...     "afp_ng_ml": [10.0, 20.0], "albumin_g_dl": [3.0, 3.5], "ast_u_l": [30.0, 50.0],
    ...     "albi_score": [-2.0, -2.5], "crp_mg_l": [1.0, 5.0], "pvtt": ["Vp0", "Vp3"],
    ...     "tumor_size_mm": [40.0, 60.0], "tumor_number": [2, 6],
    ...     "prior_tace_sessions": [3, 6], "additional_tace": [0, 1]})
    >>> design_matrix(c, "stated")[["albumin_le3", "ast_gt40", "pvtt_vp3_4"]].to_numpy().tolist()
    [[1.0, 0.0, 0.0], [0.0, 1.0, 1.0]]
    >>> design_matrix(c)["ast_gt40"].tolist()
    [30.0, 50.0]
    """
    if coding not in CODINGS:
        raise ValueError(f"coding: expected 'implied' or 'stated', got {coding!r}")
    c = cohort
    # the columns gathered first and framed once (a frame grown column by column costs a
    # block insertion per column): the same columns, values, dtypes and order
    d = {"os_months": pd.to_numeric(c["os_months"]), "os_event": pd.to_numeric(c["os_event"])}
    wanted = [t.id for t in TERMS] if terms is None else list(terms)
    done: set[str] = set()
    for term_id in wanted:
        column = term(term_id).column
        if column in done and column in ("child_pugh_score", "pvtt"):
            continue  # a factor's dummies are built together
        done.add(column)
        if column in _OPTIONAL_COLUMNS and _absent(c, column):
            continue  # optional columns: no term when absent
        for name, values in _term_columns(c, term_id, coding).items():
            if terms is None or name in wanted or term(term_id).stated == "category":
                d[name] = values
    first = [c for c in _COLUMN_ORDER if c in d]
    order = first + [c for c in d if c not in first]
    return pd.DataFrame({name: d[name] for name in order}, index=c.index)


#: Column order of the design (kept from earlier versions, so that fits and the calibration,
#: which index columns, give the same floats); Child-Pugh dummies sort in after ``sex_female``.
_COLUMN_ORDER = (
    "os_months", "os_event", "age_years", "sex_female", "child_pugh_6", "child_pugh_7",
    "child_pugh_8", "child_pugh_9", "bclc_stage", "afp_ng_ml", "pivka2", "albumin_le3", "alt_u_l",
    "albi_score", "pvtt_vp1_2", "pvtt_vp3_4", "tumor_size_mm", "additional_tace", "ast_gt40",
    "crp_gt3", "tumor_number_gt4", "prior_tace_gt4",
)  # fmt: skip


#: Optional cohort columns (``data/schema.yaml``): their terms are left out when absent.
_OPTIONAL_COLUMNS = ("pivka2", "alt_u_l")


def _term_columns(c: pd.DataFrame, term_id: str, coding: str) -> dict[str, pd.Series]:
    """The design column(s) of one term; a factor gives all its dummies."""
    t = term(term_id)
    if t.id in PER_UNIT_TERMS:
        x = pd.to_numeric(c[t.column])
        return {t.id: x.astype(float) if coding == "implied" else (x > t.cutoff).astype(float)}
    if t.column == "child_pugh_score":
        score = pd.to_numeric(c["child_pugh_score"])
        return {
            f"child_pugh_{k}": (score == k).astype(float)
            for k in sorted(set(score.dropna().astype(int)) - {5})
        }
    if t.column == "pvtt":
        pvtt = c["pvtt"].astype(str)
        return {
            "pvtt_vp1_2": pvtt.isin(["Vp1", "Vp2"]).astype(float),
            "pvtt_vp3_4": pvtt.isin(["Vp3", "Vp4"]).astype(float),
        }
    if t.id == "sex_female":
        return {t.id: (c["sex"] == "F").astype(float)}
    if t.id == "bclc_stage":
        unknown = set(c["bclc_stage"].dropna().astype(str)) - set(BCLC_ORDER)
        if unknown:
            raise ValueError(f"bclc_stage: unexpected value(s) {sorted(unknown)!r}")
        return {t.id: c["bclc_stage"].astype(str).map(BCLC_ORDER).astype(float)}
    if t.id == "albumin_le3":
        return {t.id: (pd.to_numeric(c["albumin_g_dl"]) <= t.cutoff).astype(float)}
    if t.id == "albi_score":
        return {t.id: albi_scores(c).astype(float)}
    if t.id == "additional_tace":
        return {t.id: pd.to_numeric(c[t.column]).astype(float)}
    return {t.id: pd.to_numeric(c[t.column])}  # as recorded (integers stay integers)


def multivariable_design(
    cohort: pd.DataFrame,
    duration_col: str = "os_months",
    event_col: str = "os_event",
    coding: str = "implied",
) -> pd.DataFrame:
    """The multivariable model's columns (:data:`MULTIVARIABLE_TERMS`), duration and event.

    Child-Pugh dummies for scores 6, 7, 8 against 5; a term that does not vary on the cohort (a
    score nobody has, additional TACE given to nobody) is dropped, so the model may have fewer
    than 11 parameters; rows with a missing value are dropped and the index is reset.

    Examples
    --------
    >>> from analysis.cohort import load_cohort
    >>> cohort = load_cohort()
    >>> design = multivariable_design(cohort)
    >>> design.shape, design.columns[:3].tolist()
    ((82, 13), ['child_pugh_6', 'child_pugh_7', 'child_pugh_8'])
    >>> nobody = cohort.assign(additional_tace=0, additional_tace_month=float("nan"))
    >>> "additional_tace" in multivariable_design(nobody).columns   # a term that does not vary
    False
    """
    d = design_matrix(cohort, coding, terms=MULTIVARIABLE_TERMS)
    out = pd.DataFrame(index=d.index)
    for t in MULTIVARIABLE_TERMS:
        out[t] = d[t] if t in d.columns else 0.0
    out = out.loc[:, out.nunique() > 1]  # a term nobody (or everybody) has cannot be estimated
    out[duration_col] = pd.to_numeric(cohort[duration_col]).astype(float)
    out[event_col] = pd.to_numeric(cohort[event_col]).astype(float)
    return out.dropna().reset_index(drop=True)


# ------------------------------------------------------------------------------ feasibility
_PARTS = ("hr", "lower", "upper", "p")
_EPS = 1e-12


def _box(value: float, decimals: int) -> tuple[float, float]:
    """The values that print as ``value`` at ``decimals`` (half-up rounding)."""
    h = 0.5 * 10.0**-decimals
    return value - h, value + h


def _log_box(value: float, decimals: int) -> tuple[float, float]:
    lo, hi = _box(value, decimals)
    return (math.log(lo) if lo > 0 else -math.inf), math.log(hi)


#: How a printed P is read: rounded half up (the book's reading) or truncated (cut after its
#: last printed digit: ``0.02`` is 0.020–0.030), a reading the audit considers (chapter 8).
P_READINGS = ("half-up", "truncated")


def _z_box(
    p: float, relation: str, decimals: int, rounding: str = "half-up"
) -> tuple[float, float]:
    """|z| values whose two-sided P prints as the printed P (``rounding``: :data:`P_READINGS`)."""
    if relation == "<":
        p_lo, p_hi = 0.0, p
    elif rounding == "truncated":
        p_lo, p_hi = p, p + 10.0**-decimals
    else:
        p_lo, p_hi = _box(p, decimals)
        p_lo = max(p_lo, 0.0)
    # scipy.stats.norm.isf(q), bit for bit (+ 0.0 as scipy adds loc: 0.0, not -0.0, at q = 0.5)
    z_lo = float(-special.ndtri(min(p_hi, 1.0) / 2) + 0.0)
    z_hi = float(-special.ndtri(p_lo / 2) + 0.0) if p_lo > 0 else math.inf
    return max(z_lo, 0.0), z_hi


def _constraints(boxes: dict, keep: frozenset, sign) -> tuple[list, list]:
    """Linear constraints ``A·(b, s) <= r`` for the kept numbers (``sign`` of b when P is kept)."""
    rows, rhs = [], []

    def between(a_b, a_s, lo, hi):
        if math.isfinite(hi):
            rows.append([a_b, a_s])
            rhs.append(hi)
        if math.isfinite(lo):
            rows.append([-a_b, -a_s])
            rhs.append(-lo)

    if "hr" in keep:
        between(1.0, 0.0, *boxes["hr"])
    if "lower" in keep:
        between(1.0, -Z95, *boxes["lower"])
    if "upper" in keep:
        between(1.0, Z95, *boxes["upper"])
    cap = boxes.get("cap")
    if cap is not None and math.isfinite(cap):  # |b| <= cap·s, from a same-split log-rank P
        rows += [[1.0, -cap], [-1.0, -cap]]
        rhs += [0.0, 0.0]
    if sign is not None:
        z_lo, z_hi = boxes["p"]
        rows.append([-sign, z_lo])  # sign·b >= z_lo·s
        rhs.append(0.0)
        if math.isfinite(z_hi):
            rows.append([sign, -z_hi])  # sign·b <= z_hi·s
            rhs.append(0.0)
    return rows, rhs


#: A vertex satisfies a constraint ``a·x <= r`` when ``a·x - r <= tol·(1 + |a|·|x| + |r|)``,
#: relative to the size of the terms (the log-rank cap's slope reaches 1e11): first within
#: rounding (the exact optimum), else, as HiGHS does, within its primal feasibility tolerance.
_LP2_TOLS = (1e-12, 1e-7)


def _lp2(c, a, r, bounds) -> tuple[int, np.ndarray | None, float | None]:
    """Minimise ``c·x`` over ``a·x <= r`` and finite box ``bounds`` for two variables, exactly.

    The feasible set is a bounded polygon, so a minimum, if any, lies at a vertex: the
    intersection of two of the constraint and bound lines (parallel ones have none). Every
    intersection is computed (Gaussian elimination with partial pivoting: a bound or an
    axis-parallel constraint gives its coordinate exactly), those satisfying every constraint
    and bound are kept (within rounding; if none is, within HiGHS' tolerance, :data:`_LP2_TOLS`)
    and the best is returned. A degenerate polygon (a segment or a single point) still has its
    vertices among the intersections.

    Returns
    -------
    tuple
        ``(status, x, fun)`` as :func:`scipy.optimize.linprog` names them: status 0 with the
        minimiser and the minimum, or 2 (infeasible) with ``None``.

    Examples
    --------
    >>> _lp2((1.0, 1.0), [[-1.0, -1.0]], [-1.0], [(0, 2), (0, 2)])[2]
    1.0
    >>> _lp2((0.0, -1.0), [[1.0, 1.0], [-1.0, 1.0]], [1.0, 0.0], [(-5, 5), (-5, 5)])[1].tolist()
    [0.5, 0.5]
    >>> _lp2((0.0, 0.0), [[1.0, 0.0], [-1.0, 0.0]], [1.0, -2.0], [(-5, 5), (-5, 5)])[0]
    2
    """
    (lo0, hi0), (lo1, hi1) = bounds
    if lo0 > hi0 or lo1 > hi1:
        return 2, None, None
    a = np.asarray(a, dtype=float).reshape(-1, 2)
    lines = np.vstack([a, [[1.0, 0.0], [-1.0, 0.0], [0.0, 1.0], [0.0, -1.0]]])
    rhs = np.concatenate([np.asarray(r, dtype=float).reshape(-1), [hi0, -lo0, hi1, -lo1]])
    i, j = np.triu_indices(len(rhs), 1)
    swap = np.abs(lines[j, 0]) > np.abs(lines[i, 0])  # pivot on the larger x₀ coefficient
    first, second = np.where(swap, j, i), np.where(swap, i, j)
    p, q, rp, rq = lines[first], lines[second], rhs[first], rhs[second]
    with np.errstate(divide="ignore", invalid="ignore"):
        m = q[:, 0] / p[:, 0]
        d = q[:, 1] - m * p[:, 1]
        x1 = (rq - m * rp) / d
        x0 = (rp - p[:, 1] * x1) / p[:, 0]
    ok = (p[:, 0] != 0) & (d != 0) & np.isfinite(x0) & np.isfinite(x1)
    x = np.column_stack([x0[ok], x1[ok]])
    excess = lines @ x.T - rhs[:, None]
    size = 1.0 + np.abs(lines) @ np.abs(x.T) + np.abs(rhs)[:, None]
    for tol in _LP2_TOLS:
        fits = np.all(excess <= tol * size, axis=0)
        if fits.any():
            break
    else:
        return 2, None, None
    x = x[fits]
    values = c[0] * x[:, 0] + c[1] * x[:, 1]
    k = int(np.argmin(values))
    return 0, x[k], float(values[k])


def _solvable(boxes: dict, keep: frozenset, se_min: float) -> bool:
    """Is there (b, s) with every kept printed number inside its rounding box?

    ``b`` is the log HR, ``s`` its SE; HR = e^b, bounds e^(b ± 1.96 s), |b| = z·s with z in the
    P's box. All constraints are linear in (b, s) for a fixed sign of b: a linear programme.
    """
    for sign in (1.0, -1.0) if "p" in keep else (None,):
        a, r = _constraints(boxes, keep, sign)
        if not a:
            return True
        status, _, _ = _lp2(
            (0.0, 0.0), a, np.array(r) + 1e-12, [(-50, 50), (max(se_min, 1e-9), 50)]
        )
        if status == 0:
            return True
    return False


def _lp_extreme(boxes: dict, keep: frozenset, se_min: float, objective) -> tuple[float, float]:
    """Smallest and largest of ``objective·(b, s)`` over the rows that fit the kept numbers."""
    lo, hi = math.inf, -math.inf
    for sign in (1.0, -1.0) if "p" in keep else (None,):
        a, r = _constraints(boxes, keep, sign)
        for direction in (1.0, -1.0):
            status, _, fun = _lp2(
                (direction * objective[0], direction * objective[1]),
                a,
                np.array(r, dtype=float) + 1e-12,
                [(-50, 50), (max(se_min, 1e-9), 50)],
            )
            if status == 0:
                value = direction * fun
                lo, hi = min(lo, value), max(hi, value)
    return lo, hi


def _z_extremes(boxes: dict, keep: frozenset, se_min: float) -> tuple[float, float]:
    """Smallest and largest |ln HR|/SE over the rows that fit the kept numbers (P not kept).

    ``b/s`` is linear-fractional, so with ``u = b/s`` and ``v = 1/s`` (Charnes–Cooper) its
    extremes over the constraints ``A·(b, s) <= r`` are two linear programmes in ``(u, v)``:
    ``A₀·u + A₁ <= r·v``.
    """
    a, r = _constraints(boxes, keep - {"p"}, None)
    a = np.array(a, dtype=float).reshape(-1, 2)
    r = np.array(r, dtype=float)
    a_ub = np.column_stack([a[:, 0], -r])
    b_ub = -a[:, 1] + 1e-12
    v_bounds = (1.0 / 50, 1.0 / max(se_min, 1e-9))
    ext = []
    for direction in (1.0, -1.0):
        status, _, fun = _lp2((direction, 0.0), a_ub, b_ub, [(-1e6, 1e6), v_bounds])
        if status != 0:
            return math.nan, math.nan
        ext.append(direction * fun)
    u_min, u_max = ext
    z_max = max(abs(u_min), abs(u_max))
    z_min = 0.0 if u_min <= 0 <= u_max else min(abs(u_min), abs(u_max))
    return z_min, z_max


def wald_z_range(
    hr: float, lower: float, upper: float, decimals: tuple[int, int, int] = (3, 3, 3)
) -> tuple[float, float] | None:
    """Smallest and largest ``|z| = |ln HR|/SE`` over the Wald rows that print as a row's HR and
    both bounds (one log HR ``b`` and SE ``s``: ``HR = e^b``, ``CI = e^(b ± 1.96·s)``).

    ``|b|/s`` is linear-fractional: its extremes over the rows are two linear programmes
    (Charnes–Cooper), solved exactly as :func:`row_feasibility` solves its own. The smallest is 0
    when ``b`` can change sign. ``None`` when no row prints as the three numbers (the HR off its
    interval's centre).

    Parameters
    ----------
    hr, lower, upper : float
        The printed hazard ratio and 95% CI.
    decimals : tuple of int
        Their printed decimals (HR, lower, upper).

    Examples
    --------
    HR 2.0 (1.0–4.0): the widest row has bounds 0.95 and 4.05, ``b`` = (ln 0.95 + ln 4.05)/2
    = 0.6737 (e^b = 1.96, prints 2.0) and ``s`` = (ln 4.05 − ln 0.95)/3.92 = 0.3699, so
    ``|z|`` = 1.82; the narrowest, 1.05 and 3.95, gives 0.7113/0.3380 = 2.10:

    >>> z_lo, z_hi = wald_z_range(2.0, 1.0, 4.0, decimals=(1, 1, 1))
    >>> f"{z_lo:.2f}", f"{z_hi:.2f}"
    ('1.82', '2.10')
    >>> wald_z_range(2.5, 1.0, 4.0, decimals=(1, 1, 1)) is None
    True
    """
    boxes = {
        part: _log_box(value, d)
        for part, value, d in zip(
            ("hr", "lower", "upper"), (hr, lower, upper), decimals, strict=True
        )
    }
    keep = frozenset(boxes)
    if not _solvable(boxes, keep, 0.0):
        return None
    return _z_extremes(boxes, keep, 0.0)


def _distance(value_range: tuple[float, float], box: tuple[float, float], unit: float) -> float:
    """How far a range of attainable values lies from a printed box, in last-digit units."""
    lo, hi = value_range
    if not (math.isfinite(lo) or math.isfinite(hi)):
        return math.inf
    if hi < box[0]:
        return (box[0] - hi) / unit
    if lo > box[1]:
        return (lo - box[1]) / unit
    return 0.0


def _attainable(boxes, keep, se_min, part):
    """The natural-scale range of ``part`` (hr, lower, upper, p) given the kept numbers."""
    if part == "p":
        z_lo, z_hi = _z_extremes(boxes, keep, se_min)
        return 2 * special.ndtr(-z_hi), 2 * special.ndtr(-z_lo)
    objective = {"hr": (1.0, 0.0), "lower": (1.0, -Z95), "upper": (1.0, Z95)}[part]
    lo, hi = _lp_extreme(boxes, keep, se_min, objective)
    return math.exp(max(lo, -700)), math.exp(min(hi, 700))


#: With only one printed number of a row kept: which one, in order of preference.
_KEEP_ONE = [
    frozenset(_PARTS) - {k} for k in ("hr", "p", "lower", "upper")
]  # fmt: skip


def row_feasibility(
    hr: float,
    lower: float,
    upper: float,
    p: float,
    *,
    relation: str = "=",
    decimals: tuple[int, int, int, int] = (3, 3, 3, 2),
    se_min: float = 0.0,
    logrank_z_max: float | None = None,
    p_rounding: str = "half-up",
) -> dict:
    """Which printed numbers of one Table 2 row can hold together at the printed precision.

    Every printed number stands for its rounding box (half-up: ``0.02`` is 0.015–0.025,
    ``<0.001`` is 0–0.001). A Wald row is ``HR = e^b``, ``CI = e^(b ± 1.96·s)``,
    ``P = 2·(1 − Φ(|b|/s))``; the four numbers fit together when some ``(b, s)`` with
    ``s >= se_min`` puts each inside its box (a linear programme in ``(b, s)``, solved exactly).

    When they do not, the numbers to give up are the fewest that make the rest fit; among such
    sets, those held in the fewest printed cells (an interval's two bounds are one cell: the
    verdict counts cells), and among those the one whose given-up numbers lie nearest (in units
    of their last printed digit) to what the kept numbers imply (when only one number can be
    kept: the HR, else P, else a bound). The calibration's reading, ``nearest``, skips the
    cells step: the fewest numbers, then the nearest. The two differ only where two sets of
    equally many numbers fit, one in fewer cells (albumin ≤ 3 g/dL, both models: see
    :func:`table2_feasibility`'s ``aimed``); the calibration keeps what fits under its reading
    and expects the numbers it gives up to print as its ``implied``.

    Parameters
    ----------
    hr, lower, upper, p : float
        The printed numbers (``p`` is 0.001 for ``"<0.001"`` with ``relation="<"``).
    decimals : (int, int, int, int)
        Printed decimals of HR, lower bound, upper bound and P.
    se_min : float
        A floor on the SE (:func:`binary_se_floor` for a 0/1 covariate).
    logrank_z_max : float, optional
        For a univariate 0/1 row, the largest ``|z|`` a printed log-rank P of the same split
        allows. The log-rank ``|z|`` is at least the Wald ``|z|`` over ``cosh(b/2)`` (Breslow
        ties; :func:`analysis.audit.cox_vs_logrank`), so the row must have
        ``|b| <= logrank_z_max·cosh(b_max/2)·s``, with ``b_max`` the largest ``|b|`` the kept
        numbers allow (a relaxation: an infeasible verdict stays exact).
    p_rounding : str
        How the printed P is read (:data:`P_READINGS`): ``"half-up"`` (the book's reading) or
        ``"truncated"`` (0.02 stands for 0.020–0.030).

    Returns
    -------
    dict
        ``feasible`` (all four together); ``drop`` (the parts given up: ``"hr"``, ``"lower"``,
        ``"upper"``, ``"p"``; ``()`` when feasible); ``implied`` (for each given-up part, the
        ``(low, high)`` range the kept numbers allow); ``distance`` (how far, in last-digit
        units, each given-up number is from that range); ``se`` (from the printed CI, NaN when
        it prints as one number), ``se_max`` (the widest SE its rounding allows) and
        ``nearest`` (the calibration's reading: ``drop``, ``implied`` and ``distance`` with the
        fewest numbers given up, then the nearest, cells not counted).

    Examples
    --------
    The univariate additional-TACE row, 0.438 (0.258–0.743), P 0.002, fits one Wald row:

    >>> row_feasibility(0.438, 0.258, 0.743, 0.002, decimals=(3, 3, 3, 3))["feasible"]
    True

    The univariate Child-Pugh 6 row, 0.248 (0.071–0.865), P 0.02: the interval gives
    SE 0.636–0.640 and ``|z|`` 2.18–2.20, so P is 0.028–0.029 and prints 0.03, not 0.02.

    >>> r = row_feasibility(0.248, 0.071, 0.865, 0.02)
    >>> r["drop"], [round(float(x), 4) for x in r["implied"]["p"]]
    (('p',), [0.0286, 0.0288])

    The multivariable albumin ≤ 3 g/dL row, 2.363 (1.341–4.160), P 0.006: HR and P fit
    together, and so does the interval alone. Giving up the interval is one cell, giving up HR
    and P two; the calibration's reading gives up the HR and P, as the HR lies 0.02 of a last
    digit from the 2.361–2.362 the interval implies.

    >>> r = row_feasibility(2.363, 1.341, 4.160, 0.006, decimals=(3, 3, 3, 3))
    >>> r["drop"], r["nearest"]["drop"]
    (('lower', 'upper'), ('p', 'hr'))
    """
    d_hr, d_lo, d_up, d_p = decimals
    boxes = {
        "hr": _log_box(hr, d_hr),
        "lower": _log_box(lower, d_lo),
        "upper": _log_box(upper, d_up),
        "p": _z_box(p, relation, d_p, p_rounding),
    }
    se = se_from_interval(lower, upper) if 0 < lower < upper else float("nan")
    se_max = (boxes["upper"][1] - boxes["lower"][0]) / (2 * Z95)
    out = {"se": se, "se_max": se_max}
    full = frozenset(_PARTS)

    def capped(keep):
        if logrank_z_max is None:
            return boxes
        if "hr" in keep:
            b_max = max(abs(v) for v in boxes["hr"])
        else:
            lo, hi = _lp_extreme(boxes, keep, se_min, (1.0, 0.0))
            b_max = max(abs(lo), abs(hi)) if math.isfinite(lo) else 50.0
        return boxes | {"cap": logrank_z_max * math.cosh(min(b_max, 50.0) / 2)}

    if _solvable(capped(full), full, se_min):
        none = {"drop": (), "implied": {}, "distance": {}}
        return out | {"feasible": True, **none, "nearest": none}
    printed = {"hr": hr, "lower": lower, "upper": upper, "p": p}
    unit = {"hr": 10.0**-d_hr, "lower": 10.0**-d_lo, "upper": 10.0**-d_up, "p": 10.0**-d_p}
    natural = {k: _box(printed[k], d) for k, d in zip(_PARTS, decimals, strict=True)}
    if relation == "<":
        natural["p"] = (0.0, p)
    elif p_rounding == "truncated":
        natural["p"] = (p, p + unit["p"])
    order = ("p", "lower", "upper", "hr")  # on a tie, give up P first and the HR last
    for size in (1, 2, 3):
        fits = []
        for combo in combinations(order, size):
            keep = full - frozenset(combo)
            kept_boxes = capped(keep)
            if not _solvable(kept_boxes, keep, se_min):
                continue
            implied = {k: _attainable(kept_boxes, keep, se_min, k) for k in combo}
            dist = {k: _distance(implied[k], natural[k], unit[k]) for k in combo}
            # with one number kept the others are free one at a time but not together, so the
            # distances mean nothing: keep the HR first, then P, then a bound
            total = sum(dist.values()) if size < 3 else _KEEP_ONE.index(frozenset(combo))
            fits.append((total, combo, implied, dist))
        if fits:
            # the verdict gives up the fewest cells (an interval's two bounds are one cell), then
            # the nearest; the calibration's reading is the nearest alone (see above)
            least = min(_cells_of(f[1]) for f in fits)
            _, combo, implied, dist = _nearest([f for f in fits if _cells_of(f[1]) == least])
            _, n_combo, n_implied, n_dist = _nearest(fits)
            nearest = {"drop": n_combo, "implied": n_implied, "distance": n_dist}
            return out | {
                "feasible": False, "drop": combo, "implied": implied, "distance": dist,
                "nearest": nearest,
            }  # fmt: skip
    gone = {"drop": order, "implied": {}, "distance": {}}
    return out | {"feasible": False, **gone, "nearest": gone}


def _cells_of(parts) -> int:
    """How many printed cells (HR, 95% CI, P) hold the given-up ``parts`` (both bounds: one).

    >>> _cells_of(("lower", "upper")), _cells_of(("hr", "p")), _cells_of(("p", "lower"))
    (1, 2, 2)
    """
    return len({"interval" if k in ("lower", "upper") else k for k in parts})


def _nearest(fits: list) -> tuple:
    """The first of ``fits`` (``(total distance, combo, implied, distance)``) whose total no later
    one undercuts by more than 1e-9."""
    best = None
    for f in fits:
        if best is None or f[0] < best[0] - 1e-9:
            best = f
    return best


_NAMES = {"hr": "HR", "lower": "lower bound", "upper": "upper bound", "p": "P"}
_PLACES = {"figure1": "Figure 1 caption", "figure2": "Figure 2 caption"}


def _sentences(parts: list[str]) -> str:
    """The non-empty ``parts`` of a reason as sentences: one part stays as it is (a table cell's
    clause, no full stop); several, or one that holds sentences already, each start with a
    capital and end with a full stop.

    Examples
    --------
    >>> _sentences(["", "fits its row", ""])
    'fits its row'
    >>> _sentences(["the label states a 0/1 split", "HR fits one Wald row"])
    'The label states a 0/1 split. HR fits one Wald row.'
    """
    parts = [p for p in parts if p]
    if len(parts) == 1 and ". " not in parts[0]:
        return parts[0]
    return " ".join(p[:1].upper() + p[1:] + ("" if p.endswith(".") else ".") for p in parts)


def _and(items: list[str]) -> str:
    """``a``, ``a and b``, ``a, b and c`` (:func:`analysis.formatting.word_list`)."""
    return word_list(items)


def _printed_range(part: str, values: tuple[float, float], decimals: int) -> str:
    """How an attainable range prints at the paper's decimals (``"0.03"`` or ``"1.307–1.308"``:
    one number when both ends print alike, :func:`~analysis.formatting.range_text`)."""
    if values[1] > 1e6:  # unbounded above at any SE the kept numbers allow
        return f"≥ {rounded(values[0], decimals)}"
    return range_text(values[0], values[1], decimals)


def _kept_text(drop) -> str:
    """The numbers a reading keeps, as text: ``"HR and 95% CI"``, ``"HR and upper bound"``."""
    keys = [k for k in ("hr", "lower", "upper", "p") if k not in drop]
    if "lower" in keys and "upper" in keys:
        keys = [k if k != "lower" else "interval" for k in keys if k != "upper"]
    return word_list([{"interval": "95% CI"}.get(k) or _NAMES[k] for k in keys])


def _implied_text(reading: dict, digits: dict, printed: dict, p) -> str:
    """What the numbers a reading keeps imply for those it gives up, against the printed."""
    notes = []
    for k in reading["drop"]:
        lo, hi = reading["implied"][k]
        note = f"{_NAMES[k]} {_printed_range(k, (lo, hi), digits[k])} (printed {printed[k]}"
        distance = reading["distance"].get(k, math.inf)
        if distance < 1:
            note += f", {distance:.2f} of a last digit away"
        step = 10.0 ** -digits[k]
        truncated = {math.floor(v / step + 1e-9) * step for v in (lo, hi)}
        if k == "p" and any(abs(t - p.value) < step / 10 for t in truncated):
            # an inference, not a fact: the paper never says how it printed P
            note += ", consistent with this P truncated instead of rounded"
        notes.append(note + ")")
    return "; ".join(notes)


def _cell_verdict(part: str, res: dict, dec, hr, iv, p) -> tuple[bool, str, str, bool]:
    """(infeasible?, reason, what the calibration follows, does the calibration aim at it?) for
    one cell of one row."""
    if res["feasible"]:
        if not math.isfinite(res["se"]):
            why = (
                f"the interval prints as one number, so any SE ≤ {res['se_max']:.2g} fits and "
                "so does any P"
            )
        else:
            why = f"HR, 95% CI and P fit one Wald row (SE {res['se']:.3g})"
        return False, why, "", True
    drop, cal = res["drop"], res["nearest"]
    digits = dict(zip(("hr", "lower", "upper", "p"), dec, strict=True))
    kept_text = _kept_text(drop)
    printed = {"hr": hr.text, "p": p.text}
    printed.update(
        {k: rounded(v, digits[k]) for k, v in (("lower", iv.lower), ("upper", iv.upper))}
    )
    implied = _implied_text(res, digits, printed, p)
    verb = "fits" if kept_text.count(" and ") == 0 else "fit"
    # what is new beside the reason: only the cells aimed at (the reason gives what they imply);
    # the calibration aims at whole cells, so an interval with a bound given up is not among them
    aimed_cells = [
        name
        for name, parts in (("HR", {"hr"}), ("95% CI", {"lower", "upper"}), ("P", {"p"}))
        if not parts & set(cal["drop"])
    ]
    follow = f"aims at the {word_list(aimed_cells)}"
    parts = {"interval": {"lower", "upper"}, "hr": {"hr"}, "p": {"p"}}[part]
    aimed = not parts & set(cal["drop"])
    other = ""
    if set(cal["drop"]) != set(drop):
        # two readings give up equally many numbers: the verdict counts the fewest cells, the
        # calibration (unchanged since it was tuned) the reading nearest the printed numbers
        n = len(drop)
        # (it read "..., more cells but the numbers nearest to what the kept ones imply, the
        # reading the cohort was calibrated to": a list of noun phrases a reader could not parse)
        # (then one sentence of 83 words; now three after the verdict's own, each under 30)
        other = (
            f". The calibration follows the other reading that gives up {n} numbers, the one "
            f"the cohort was calibrated to. It keeps the {_kept_text(cal['drop'])} and gives up "
            f"the {_and([_NAMES[k] for k in cal['drop']])} ({_implied_text(cal, digits, printed, p)}). "
            "That reading gives up more cells, but the printed values it gives up lie nearer to "
            "what the numbers it keeps imply"
        )
    if parts & set(drop):
        pronoun = "it" if verb == "fits" else "them"
        reason = f"{kept_text} {verb} one Wald row, and with {pronoun} {implied}{other}"
        return True, reason, follow, aimed
    gone = _and([_NAMES[k] for k in drop])
    reason = f"this cell fits its row with the rest; the row's {gone} cannot hold with it{other}"
    return False, reason, follow, aimed


#: An infeasible cell whose nearest printable value lies less than this many units of its last
#: printed digit from the printed one is infeasible only by a hair: a cohort that misses it
#: misses that nearest value too, and by (nearly) as much.
BY_A_HAIR = 1.0


def _nearest_printable(part: str, res: dict, dec, hr, p) -> tuple[str, float]:
    """(text, distance) of the value nearest the printed HR or P that prints together with the
    numbers its row keeps, at the printed decimals, and how far (in units of the last printed
    digit) the printed value lies from what they allow; ``("", nan)`` for a cell that is not
    given up or an interval (two numbers)."""
    if part not in ("hr", "p") or part not in res["drop"]:
        return "", math.nan
    lo, hi = res["implied"][part]
    if not (math.isfinite(lo) and math.isfinite(hi)) or hi > 1e6:
        return "", math.nan
    digits = dec[0] if part == "hr" else dec[3]
    value = (hr if part == "hr" else p).value
    return rounded(hi if value > hi else lo, digits), float(res["distance"].get(part, math.nan))


def _printed_elsewhere(entries: pd.DataFrame, e) -> str:
    """A note when the text prints the same quantity differently (then Table 2 is followed)."""
    same = entries[
        (entries.quantity == e.quantity) & (entries.kind == e.kind) & (entries.location != "table2")
    ]
    if same.empty:
        return ""
    differ = same[same.text != e.text]
    if differ.empty:
        return ""
    places = ", ".join(f"the {r.location} prints {r.text}" for r in differ.itertuples(index=False))
    agree = sorted(set(same.loc[same.text == e.text, "location"]))
    backing = f", printed also in the {' and '.join(agree)}" if agree else ""
    return (
        f"{places}: the two cannot both hold; Table 2's {e.text} is followed (the table's own "
        f"number{backing})"
    )


def table2_feasibility(
    directory=None,
    *,
    max_deaths: int | None = None,
    p_rounding: str = "half-up",
    same_split_logrank: bool = True,
) -> pd.DataFrame:
    """For every printed Table 2 cell: could a cohort of 82 patients show it?

    Decided from the printed numbers alone, allowing for half-up rounding of every number:

    * **coding**: the SE from the CI (widest the rounding allows) against
      :func:`binary_se_floor` with every patient dead (``max_deaths``, default the paper's n);
      a row labelled as a binary split whose SE is below the floor cannot be binary — its
      implied coding is per unit (:data:`PER_UNIT_TERMS`) and it is judged under that coding;
      a binary or category row keeps the floor as a constraint on its SE;
    * **centre and P**: :func:`row_feasibility` — is there one Wald row (log HR ``b``, SE ``s``)
      that prints as the HR, both bounds and the P? If not, the fewest numbers to give up are
      named, and the cells holding them are infeasible (an interval cell when either bound is);
    * **the same split's log-rank P**: a univariate 0/1 row whose split the paper also tests
      with a log-rank P (:data:`SAME_SPLIT_LOGRANK`) must allow it, since the log-rank ``|z|``
      is at least the Wald ``|z|`` over ``cosh(ln HR/2)``; when the two cannot both hold the
      log-rank P is followed (printed in four places, part of the survival block) and the row
      keeps what fits with it;
    * **deaths per group**: a 0/1 or category row's SE is at least ``sqrt(1/n₁ + 1/n₀)`` with
      Table 1's group sizes (:func:`death_floors`; the LP's SE floor), and its interval is
      infeasible when its groups would need more deaths than patients (none is);
    * reference rows (printed ``1``) are feasible by construction.

    Parameters
    ----------
    directory : path-like, optional
        Folder of the published YAML files (default the book's ``data/published``).
    max_deaths : int, optional
        Deaths allowed for the SE floor (default the number of patients, 82).
    p_rounding : str
        How a printed P is read (:data:`P_READINGS`; default half-up, the book's reading).
    same_split_logrank : bool
        Hold a univariate 0/1 row to the log-rank P of the same split (default). With False the
        row stands alone, the reading that gives up the log-rank P instead
        (:func:`analysis.synthesis.reading_counts`).

    Returns
    -------
    DataFrame
        One row per printed cell (99): ``id`` (published entry id), ``variable`` (as printed),
        ``row`` (the category label), ``term``, ``model`` ("univariate"/"multivariable"),
        ``cell`` ("HR", "95% CI", "P"), ``printed`` (text), ``feasible`` (bool), ``reason``,
        ``deaths per group`` (for a 0/1 or category row, the deaths its groups need for the
        printed SE, :func:`death_floors`' note; part of ``reason`` only where it makes the cell
        infeasible), ``stated coding``, ``implied coding``, ``se`` (from the printed CI), ``follow``
        (what the calibration aims at instead, for a cell of an infeasible row), ``aimed``
        (whether the calibration aims at the cell: :func:`row_feasibility`'s ``nearest``
        reading, which differs from the verdict in albumin ≤ 3 g/dL's rows only, and False for
        a reference row); for an infeasible HR or
        P, ``nearest`` (the printable value nearest the printed one, as text at its decimals)
        and ``off`` (how far the printed value lies from the printable range, in units of its
        last digit; below :data:`BY_A_HAIR` the cell is infeasible only by a hair).

    Examples
    --------
    >>> f = table2_feasibility()
    >>> len(f), int((~f.feasible).sum())
    (99, 9)
    >>> f.loc[~f.feasible & (f.cell != "P"), ["term", "model", "cell"]].values.tolist()
    [['albumin_le3', 'univariate', '95% CI'], ['albumin_le3', 'multivariable', '95% CI'], ['additional_tace', 'univariate', '95% CI']]

    Albumin ≤ 3 g/dL gives up its intervals (one cell each, where HR and P are two), while
    the calibration keeps the multivariable interval and the univariate HR:

    >>> albumin = f[f.term == "albumin_le3"].set_index(["model", "cell"])
    >>> albumin[["feasible", "aimed"]].astype(int).values.T.tolist()
    [[1, 0, 1, 1, 0, 1], [1, 0, 0, 0, 1, 0]]
    >>> albumin.loc[("multivariable", "HR"), "follow"]
    'aims at the 95% CI'

    Read as truncated (:data:`P_READINGS`), five of the P values that cannot print rounded can,
    and Child-Pugh 7's 0.05 cannot:

    >>> t = table2_feasibility(p_rounding="truncated")
    >>> t.loc[~t.feasible & (t.cell == "P"), "term"].tolist()
    ['child_pugh_7', 'additional_tace']
    """
    # memoised on the published files' names, sizes and times, as published.load is; a copy
    files = published.files_signature(directory)
    if p_rounding not in P_READINGS:
        raise ValueError(f"p_rounding must be one of {P_READINGS}, not {p_rounding!r}")
    return _table2_feasibility(
        directory, files, max_deaths, p_rounding, bool(same_split_logrank)
    ).copy()


@functools.lru_cache(maxsize=8)
def _table2_feasibility(
    directory, _files: tuple, max_deaths: int | None, p_rounding: str, same_split_logrank: bool
) -> pd.DataFrame:
    entries = published.load(directory)
    t2 = entries[entries.location == "table2"]

    def get(entry_id):
        return published.entry(entry_id, directory)

    n = int(get("methods.n_patients.count").value)
    deaths = int(max_deaths) if max_deaths is not None else n
    # the floor with the most deaths possible: the paper prints no death count, so every patient
    deaths_text = (
        f"with {deaths} deaths" if max_deaths is not None else f"even if all {n} patients died"
    )
    floor = binary_se_floor(deaths)
    groups = death_floors(directory).set_index(["term", "model"])
    rows = []
    cell_names = {"hr": "HR", "interval": "95% CI", "p": "P"}
    for r in t2.itertuples(index=False):
        _, term_id, model_key, part = r.id.split(".")
        model = TABLE2_MODELS[model_key]
        base = {
            "id": r.id,
            "term": term_id,
            "model": model,
            "cell": cell_names[part],
            "printed": r.text,
        }
        if bool(r.reference):
            for t in TERMS:
                if t.reference == term_id:
                    variable = t.variable
                    break
            rows.append(
                base
                | {
                    "variable": variable,
                    "row": REFERENCE_TERMS[term_id],
                    "feasible": True,
                    "reason": "reference category (printed 1 by definition)",
                    "deaths per group": "",
                    "stated coding": "reference",
                    "implied coding": "reference",
                    "se": float("nan"),
                    "follow": "",
                    "aimed": False,
                }
            )
            continue
        t = term(term_id)
        hr, iv, p = (get(f"table2.{term_id}.{model_key}.{k}") for k in ("hr", "interval", "p"))
        dec = (hr.decimals, *published.bound_decimals(iv.text), p.decimals)
        se_hi = (
            math.log(iv.upper + 0.5 * 10.0 ** -dec[2])
            - math.log(max(iv.lower - 0.5 * 10.0 ** -dec[1], 1e-300))
        ) / (2 * Z95)
        binary_possible = se_hi >= floor
        coding_note = ""
        if t.stated in ("binary", "category"):
            if binary_possible:
                implied = t.stated
                se_min = floor
            else:
                implied = "per unit"
                se_min = 0.0
                coding_note = (
                    f"the label states a 0/1 split, but SE ≤ {se_hi:.3f} is below the "
                    f"{floor:.3f} a 0/1 covariate allows {deaths_text}, so it is read per "
                    f"{t.unit}"  # it ended "...patients died: per mg/L", a fragment
                )
        else:
            implied, se_min = t.implied, 0.0
        group = groups.loc[(term_id, model_key)] if (term_id, model_key) in groups.index else None
        if group is not None and implied != "per unit":
            se_min = max(se_min, float(group["se_floor"]))
        z_cap, logrank_note = None, ""
        logrank_row = same_split_logrank and term_id in SAME_SPLIT_LOGRANK
        if model_key == "uni" and implied == "binary" and logrank_row:
            lr = get(SAME_SPLIT_LOGRANK[term_id])
            z_cap = _z_box(lr.value, lr.relation, lr.decimals)[1]
            alone = row_feasibility(
                hr.value, iv.lower, iv.upper, p.value, relation=p.relation, decimals=dec,
                se_min=se_min, p_rounding=p_rounding,
            )  # fmt: skip
        res = row_feasibility(
            hr.value, iv.lower, iv.upper, p.value, relation=p.relation, decimals=dec,
            se_min=se_min, logrank_z_max=z_cap, p_rounding=p_rounding,
        )  # fmt: skip
        if z_cap is not None and alone["feasible"] and not res["feasible"]:
            places = [
                _PLACES.get(loc, loc)
                for loc in dict.fromkeys(entries.loc[entries.quantity == lr.quantity, "location"])
            ]
            # three sentences (it was one clause of 58 words before the verdict's own)
            logrank_note = (
                f"the row fits one Wald row alone, but not with the log-rank P {lr.text} of the "
                f"same split, printed in the {_and(places)}. The calibration follows that P, "
                "as it keeps more published numbers and belongs to the survival block. A "
                f"log-rank |z| ≤ {z_cap:.2f} caps the Wald |z| at {z_cap:.2f}·cosh(ln HR/2)"
            )
        bad, reason, follow, aimed = _cell_verdict(part, res, dec, hr, iv, p)
        if logrank_note and follow:
            follow += f" and the log-rank P {lr.text} of the same split"
        nearest, off = _nearest_printable(part, res, dec, hr, p)
        # the deaths per group a 0/1 row's printed SE needs: a column of its own, in the reason
        # too only where it is why the cell cannot print (it never is with Table 1's sizes)
        deaths_note, before = "", [coding_note, logrank_note]
        if group is not None and implied != "per unit":
            deaths_note = str(group["note"])
            if not bool(group["feasible"]) and part == "interval":
                bad, aimed = True, False
                before.append(str(group["note"]))
        elsewhere = _printed_elsewhere(entries, {"hr": hr, "interval": iv, "p": p}[part])
        # each part a sentence of its own (joined by semicolons they ran to 77-85 words)
        reason = _sentences([*before, reason, elsewhere])
        rows.append(
            base
            | {
                "variable": t.variable,
                "row": t.label,
                "feasible": not bad,
                "reason": reason,
                "deaths per group": deaths_note,
                "stated coding": t.stated,
                "implied coding": implied if implied != "per unit" else f"per {t.unit}",
                "se": res["se"],
                "follow": follow,
                "aimed": aimed,
                "nearest": nearest if bad else "",
                "off": off if bad else math.nan,
            }
        )
    columns = [
        "id", "variable", "row", "term", "model", "cell", "printed", "feasible", "reason",
        "deaths per group", "stated coding", "implied coding", "se", "follow", "aimed",
        "nearest", "off",
    ]  # fmt: skip
    return pd.DataFrame(rows, columns=columns)


# ------------------------------------------------------------------- deaths per group
#: Table 1 counts of the two groups a 0/1 row of Table 2 compares: ``term -> (ids summed for
#: the term's group, ids summed for the reference group)``; ``None`` is the rest of the
#: patients. BCLC is one step B → C: Table 1 prints A 0, B 49, C 33 (no D), so it is 0/1.
GROUP_COUNTS = {
    "sex_female": (("table1.sex_female.count",), ("table1.sex_male.count",)),
    "bclc_stage": (("table1.bclc_c.count",), ("table1.bclc_b.count",)),
    "pvtt_vp1_2": (("table1.pvtt_vp1.count", "table1.pvtt_vp2.count"), ("table1.pvtt_vp0.count",)),
    "pvtt_vp3_4": (("table1.pvtt_vp3.count", "table1.pvtt_vp4.count"), ("table1.pvtt_vp0.count",)),
    "additional_tace": (("table1.additional_tace.count",), None),
}  # fmt: skip

#: Child-Pugh scores by the class Table 1 counts them in (it prints classes only, A = 5–6 and
#: B = 7–9; Table 2 prints scores 5 to 8, so each printed score has at least one patient).
CHILD_PUGH_CLASSES = {
    "a": ("child_pugh_5", "child_pugh_6"),
    "b": ("child_pugh_7", "child_pugh_8"),
}


def printed_se_range(interval) -> tuple[float, float]:
    """The smallest and largest SE of the log HR a printed 95% interval rounds from: each bound
    anywhere in its rounding bin (half a unit of its last decimal either way, the bounds read at
    :func:`analysis.published.bound_decimals`).

    Examples
    --------
    >>> from analysis import published
    >>> [round(x, 4) for x in printed_se_range(published.entry("table2.pvtt_vp1_2.uni.interval"))]
    [0.3219, 0.3225]
    """
    h_lo, h_up = (0.5 * 10.0**-d for d in published.bound_decimals(interval.text))
    lo = (math.log(interval.upper - h_up) - math.log(interval.lower + h_lo)) / (2 * Z95)
    up = (math.log(interval.upper + h_up) - math.log(max(interval.lower - h_lo, 1e-300))) / (
        2 * Z95
    )
    return lo, up


def deaths_floor(var_max: float, other_max: float) -> int | None:
    """Fewest deaths ``d`` a group can have when ``1/d + 1/d₀ <= var_max`` and ``d₀ <= other_max``.

    From :func:`death_floors`' inequality ``Var(ln HR) >= 1/d + 1/d₀``: the smallest integer
    ``d`` with ``1/d <= var_max − 1/other_max``; ``None`` when no number of deaths is enough.

    Examples
    --------
    Sex, univariate: SE at most 0.4298 (the widest the printed 0.424–2.283 rounds from), 75 men:

    >>> deaths_floor(0.4298**2, 75), deaths_floor(0.4298**2, 7)
    (6, 24)
    >>> deaths_floor(0.1, 7) is None
    True
    """
    room = var_max - 1.0 / other_max
    if not room > 0:
        return None
    return max(1, math.ceil(1.0 / room - 1e-9))


def _group_sizes(term_id: str, get, n: int) -> tuple[int, int, str]:
    """(largest size of the term's group, of its reference group, how Table 1 gives them)."""
    if term_id in GROUP_COUNTS:
        mine, ref = GROUP_COUNTS[term_id]
        n1 = sum(int(get(i).value) for i in mine)
        n0 = n - n1 if ref is None else sum(int(get(i).value) for i in ref)
        return n1, n0, f"Table 1: {n1} vs {n0} patients"
    for cls, scores in CHILD_PUGH_CLASSES.items():
        if term_id in scores:
            total = int(get(f"table1.child_pugh_{cls}.count").value)
            a = int(get("table1.child_pugh_a.count").value)
            n1 = total - (len(scores) - 1)  # every other printed score of the class has >= 1
            n0 = a - 1  # score 5 shares class A with score 6
            text = (
                f"Table 1 counts classes only: score {term_id[-1]} ≤ {n1} of class "
                f"{cls.upper()}'s {total}, score 5 ≤ {n0}"
            )
            return n1, n0, text
    return n - 1, n - 1, "group sizes not printed"


#: The rule behind every death floor (:func:`death_floors`), which its notes start with; a
#: display states it once (:func:`feasibility_table` leaves it out of each row).
DEATH_FLOOR_RULE = "a 0/1 or category term has Var(ln HR) ≥ 1/d₁ + 1/d₀ (deaths per group); "


def death_floors(directory=None) -> pd.DataFrame:
    """The fewest deaths each group of a printed 0/1 or category row of Table 2 must have.

    **Inequality.** For a 0/1 covariate, or one category of a factor against its reference,
    in any Cox model (Breslow ties, estimates at the maximum of the partial likelihood):
    ``Var(ln HR) >= 1/d₁ + 1/d₀``, with ``d₁`` and ``d₀`` the deaths in the two groups. Proof:
    the observed information is ``I = Σⱼ dⱼ Covⱼ(x)`` over the distinct death times (``dⱼ``
    deaths, covariance over the risk set weighted by ``exp(x·β)``), and for any vector ``u``,
    ``Var(β̂ₖ) = (I⁻¹)ₖₖ >= uₖ²/(uᵀIu)``. Take ``u`` with ``uᵀx = c(group)``: 0 for the reference,
    1 for category ``k``, ``m`` for every other category (no weight on other covariates); then
    ``uᵀIu = Σⱼ dⱼ Varⱼ(c)``. With ``πₗⱼ`` the weighted share of group ``l`` in risk set ``j``,
    the score equations give ``Σⱼ dⱼ πₗⱼ = dₗ`` for every group (the reference by difference),
    so by Cauchy–Schwarz ``Σⱼ dⱼ Varⱼ(c) <= Σₗ dₗ cₗ² − (Σₗ dₗ cₗ)²/D`` (``D`` all deaths): the
    variance of ``c`` over the deaths. Its minimum over ``m`` is ``d₀dₖ/(d₀ + dₖ)``, so
    ``Var(β̂ₖ) >= 1/dₖ + 1/d₀``. No large-sample approximation is involved.

    A printed interval gives the SE at most ``s`` (its widest rounding), so each group has at
    least :func:`deaths_floor` ``(s², size of the other group)`` deaths, and the two groups'
    sizes (Table 1, where printed) give the floor ``SE >= sqrt(1/n₁ + 1/n₀)``. A row is
    infeasible here when a group needs more deaths than it has patients, or the groups of one
    partition (a factor's categories, Child-Pugh class B's scores 7 and 8) more than all of them.

    Returns
    -------
    DataFrame
        One row per printed non-reference 0/1 or category row (term, model): ``term``,
        ``model`` ("uni"/"multi"), ``sizes`` (text), ``n`` and ``n_ref`` (largest group sizes),
        ``se_floor``, ``se_max``, ``deaths`` and ``deaths_ref`` (fewest deaths in the group and
        in the reference), ``feasible`` and ``note`` (the derivation in words).

    Examples
    --------
    >>> f = death_floors().set_index(["term", "model"])
    >>> f.loc[("bclc_stage", "uni"), ["deaths", "deaths_ref"]].tolist()
    [25, 33]
    >>> bool(f["feasible"].all())
    True
    """
    # a pure function of the published numbers, asked for many times by one chapter (01-data:
    # 17 times, about 15 ms each): made once per state of the files, as table2_feasibility is
    files = published.files_signature(directory)
    return _death_floors(directory, files).copy()


@functools.lru_cache(maxsize=8)
def _death_floors(directory, _files: tuple) -> pd.DataFrame:
    entries = published.load(directory)

    def get(entry_id):
        return published.entry(entry_id, directory)

    n = int(get("methods.n_patients.count").value)
    rows = []
    for t in TERMS:
        if t.stated not in ("binary", "category") and t.id not in GROUP_COUNTS:
            continue
        if t.id in PER_UNIT_TERMS:
            continue
        for model in ("uni", "multi"):
            iv_id = f"table2.{t.id}.{model}.interval"
            if iv_id not in set(entries["id"]):
                continue
            se_max = printed_se_range(get(iv_id))[1]
            n1, n0, sizes = _group_sizes(t.id, get, n)
            if t.id == "child_pugh_6":
                se_floor = math.sqrt(4.0 / (n1 + 1))  # n5 + n6 = class A: 1/n6 + 1/n5 >= 4/A
            elif sizes == "group sizes not printed":
                se_floor = binary_se_floor(n)
            else:
                se_floor = math.sqrt(1.0 / n1 + 1.0 / n0)
            d1 = deaths_floor(se_max**2, n0)
            d0 = deaths_floor(se_max**2, n1)
            ok = d1 is not None and d0 is not None and d1 <= n1 and d0 <= n0 and d1 + d0 <= n
            if ok:
                note = (
                    f"{DEATH_FLOOR_RULE}{sizes}, so SE ≥ {se_floor:.3f}. The printed SE ≤ {se_max:.3f} needs "
                    f"≥ {quantity(d1, 'death')} in the group if every reference patient died, and ≥ {d0} in the "
                    "reference if every patient of the group died"
                )
            else:
                note = (
                    f"{DEATH_FLOOR_RULE}{sizes}: the printed SE ≤ {se_max:.3f} would need more deaths than "
                    "patients"
                )
            rows.append(
                {
                    "term": t.id, "model": model, "sizes": sizes, "n": n1, "n_ref": n0,
                    "se_floor": se_floor, "se_max": se_max, "deaths": d1, "deaths_ref": d0,
                    "feasible": ok, "note": note,
                }
            )  # fmt: skip
    out = pd.DataFrame(rows)
    # partitions: the groups of one factor share the patients; the fewest deaths they need
    # together, and whether any split of the deaths fits every row at once
    out["partition_deaths"] = 0
    for factor, members in _partitions(out).items():
        hit = out.term.isin(members)
        best = _partition_min(out[hit], get)
        if best is None:
            out.loc[hit, "feasible"] = False
            out.loc[hit, "note"] += (
                f". No split of deaths over the {factor} groups fits every row's SE at once"
            )
            continue
        total, split, _ = best
        out.loc[hit, "partition_deaths"] = total
        parts = " + ".join(f"{v} ({k})" for k, v in split.items())
        # each floor above lets the other group have all the deaths it can; fitting every row of
        # the factor at once, the groups share them, so the joint minimum is larger
        out.loc[hit, "note"] += (
            f". Together, fitting every {factor} row at once: ≥ {total} deaths, {parts}"
        )
    return out


#: The factor each 0/1 or category term belongs to (its groups share the patients).
_FACTOR_OF = {
    "sex_female": "sex", "bclc_stage": "BCLC", "albumin_le3": "albumin",
    "additional_tace": "additional-TACE", "pvtt_vp1_2": "PVTT", "pvtt_vp3_4": "PVTT",
    "child_pugh_6": "Child-Pugh", "child_pugh_7": "Child-Pugh", "child_pugh_8": "Child-Pugh",
}  # fmt: skip

#: Names of the reference groups in the notes.
_REFERENCE_NAME = {
    "sex_female": "male", "bclc_stage": "stage B", "albumin_le3": "> 3 g/dL",
    "additional_tace": "no additional TACE", "pvtt_vp1_2": "Vp0", "pvtt_vp3_4": "Vp0",
    "child_pugh_6": "score 5", "child_pugh_7": "score 5", "child_pugh_8": "score 5",
}  # fmt: skip
_GROUP_NAME = {
    "sex_female": "female", "bclc_stage": "stage C", "albumin_le3": "≤ 3 g/dL",
    "additional_tace": "additional TACE", "pvtt_vp1_2": "Vp1–2", "pvtt_vp3_4": "Vp3–4",
    "child_pugh_6": "score 6", "child_pugh_7": "score 7", "child_pugh_8": "score 8",
}  # fmt: skip


def group_names(term_id: str) -> tuple[str, str]:
    """Names of the two groups a 0/1 or category row of Table 2 compares: (group, reference).

    Examples
    --------
    >>> group_names("bclc_stage"), group_names("pvtt_vp3_4")
    (('stage C', 'stage B'), ('Vp3–4', 'Vp0'))
    """
    try:
        return _GROUP_NAME[term_id], _REFERENCE_NAME[term_id]
    except KeyError:
        raise KeyError(f"group_names: {term_id!r} is not a 0/1 or category row") from None


def _partitions(floors: pd.DataFrame) -> dict:
    out: dict = {}
    for t in dict.fromkeys(floors.term):
        out.setdefault(_FACTOR_OF[t], []).append(t)
    return out


def _partition_min(rows: pd.DataFrame, get) -> tuple[int, dict, dict] | None:
    """Fewest deaths over the groups of one factor with ``1/dₖ + 1/d_ref <= SEₖ²`` for every
    printed row (each model), ``dₖ`` at most the group's size, and the shared caps of Child-Pugh
    (scores 5 + 6 = class A, 7 + 8 = class B). Exact: for each ``d_ref`` the fewest ``dₖ`` are
    taken (fewer deaths never break a cap). Returns the total, the split by group name and the
    split by term (``"ref"`` for the reference group)."""
    terms = list(dict.fromkeys(rows.term))
    var = {t: float((rows.loc[rows.term == t, "se_max"] ** 2).min()) for t in terms}
    cap = {t: int(rows.loc[rows.term == t, "n"].max()) for t in terms}
    ref_cap = int(rows["n_ref"].max())
    joint = []
    if terms[0].startswith("child_pugh"):
        a = int(get("table1.child_pugh_a.count").value)
        b = int(get("table1.child_pugh_b.count").value)
        joint = [({"ref", "child_pugh_6"}, a), ({"child_pugh_7", "child_pugh_8"}, b)]
    best = None
    for d_ref in range(1, ref_cap + 1):
        need = {t: deaths_floor(var[t], d_ref) for t in terms}
        if any(v is None or v > cap[t] for t, v in need.items()):
            continue
        split = {"ref": d_ref, **need}
        if any(sum(split.get(k, 0) for k in keys) > c for keys, c in joint):
            continue
        total = sum(split.values())
        if best is None or total < best[0]:
            best = (total, split)
    if best is None:
        return None
    total, split = best
    named = {_GROUP_NAME[t]: v for t, v in split.items() if t != "ref"}
    named[_REFERENCE_NAME[terms[0]]] = split["ref"]
    return total, named, split


def death_partition(factor: str, directory=None) -> dict:
    """The fewest deaths per group of one factor that fit every printed row of it at once.

    :func:`death_floors`' partition minimum for ``factor`` (a value of its factor names:
    ``"Child-Pugh"``, ``"PVTT"``, ...), keyed by term, with ``"ref"`` for the reference group.
    The synthesis sizes the Child-Pugh score groups from it (:func:`analysis.synthesis._draw_liver`).

    Examples
    --------
    Class B's 8 patients must hold at least 5 deaths at score 7 and 3 at score 8, and the score-5
    reference at least 5:

    >>> death_partition("Child-Pugh")
    {'ref': 5, 'child_pugh_6': 5, 'child_pugh_7': 5, 'child_pugh_8': 3}
    """
    floors = death_floors(directory)
    rows = floors[floors.term.map(_FACTOR_OF) == factor]
    if rows.empty:
        raise ValueError(f"no printed 0/1 or category rows of factor {factor!r}")
    best = _partition_min(rows, lambda entry_id: published.entry(entry_id, directory))
    if best is None:
        raise ValueError(f"no split of deaths over the {factor} groups fits every printed row")
    return {k: int(v) for k, v in best[2].items()}


def min_total_deaths(directory=None) -> tuple[int, str]:
    """The fewest deaths in all that Table 2 with Table 1 implies, and the factor that implies it.

    The groups of one factor hold every patient once, so the fewest deaths they need together
    (``partition_deaths`` of :func:`death_floors`) is a floor on all deaths.

    Examples
    --------
    >>> min_total_deaths()
    (66, 'BCLC')
    """
    f = death_floors(directory)
    row = f.loc[f["partition_deaths"].idxmax()]
    return int(row["partition_deaths"]), _FACTOR_OF[row["term"]]


#: Grid step (deaths) of the reference group's deaths in :func:`approximate_deaths`.
APPROXIMATE_DEATHS_STEP = 0.01


def approximate_deaths(factor: str, directory=None) -> pd.DataFrame:
    """Deaths per group at which the usual approximation gives a factor's printed univariate SEs.

    :func:`death_floors` proves ``Var(ln HR) >= 1/dₖ + 1/d_ref``; the large-sample approximation
    that textbooks use for a 0/1 contrast takes it as an equality (it is one when every group
    keeps the same share of each risk set). Here the equality is solved for the deaths of each
    group, every group at most its Table 1 size, with each SE anywhere in the range its printed
    interval rounds from (:func:`printed_se_range`): for each number of reference deaths
    ``d_ref``, each group needs deaths ``dₖ`` with ``1/dₖ + 1/d_ref`` in ``[SEₖ_min², SEₖ_max²]``,
    deaths taken as real numbers (an approximation has no integer structure). More deaths than
    this need an exact SE above the approximation, i.e. groups whose shares of the risk set drift
    apart over time (one group censored early, for instance). Only factors whose group sizes Table 1 prints
    (:data:`GROUP_COUNTS`).

    Returns
    -------
    DataFrame
        One row per group, the reference first: ``term`` (``"ref"`` for the reference),
        ``group`` (name), ``patients``, ``floor`` (fewest deaths, exact: :func:`death_floors`,
        univariate row), ``approx_min`` and ``approx_max`` (the fewest and most deaths at which
        the approximation gives the printed SEs, as real numbers; NaN when no split does).
        ``attrs["approx_total"]``: the fewest and most deaths of all groups together (linked
        through the reference group, so not the sums of the columns).

    Examples
    --------
    PVTT: under the approximation at most 17 of the 35 patients with Vp1–2
    died, and at most 59 of the 82 patients in all (57–59), while :func:`min_total_deaths` proves that
    the BCLC rows need at least 66:

    >>> d = approximate_deaths("PVTT")
    >>> d[["group", "patients", "floor"]].values.tolist()
    [['Vp0', 29, 14], ['Vp1–2', 35, 15], ['Vp3–4', 18, 16]]
    >>> [f"{a:.1f}–{b:.1f}" for a, b in zip(d["approx_min"], d["approx_max"])]
    ['22.4–29.0', '14.4–16.9', '15.2–18.0']
    >>> [round(x, 1) for x in d.attrs["approx_total"]], min_total_deaths()[0]
    ([57.1, 58.8], 66)
    """

    def get(entry_id):
        return published.entry(entry_id, directory)

    terms = [t for t in GROUP_COUNTS if _FACTOR_OF[t] == factor]
    if not terms:
        raise ValueError(f"factor: no Table 2 factor {factor!r} with group sizes in Table 1")
    floors = death_floors(directory).set_index(["term", "model"])
    n = int(get("methods.n_patients.count").value)
    box = {}
    sizes = {}
    for t in terms:
        lo, up = printed_se_range(get(f"table2.{t}.uni.interval"))
        box[t] = (lo**2, up**2)
        sizes[t], sizes["ref"], _ = _group_sizes(t, get, n)
    # deaths as real numbers (an approximation has no integer structure): each d_ref on a fine
    # grid, each group's deaths over its SE range, kept where every group fits its size
    d_ref = np.arange(1.0, sizes["ref"] + 1e-9, APPROXIMATE_DEATHS_STEP)
    ok = np.ones(d_ref.size, dtype=bool)
    spans = {}
    for t in terms:
        first, last = _spans(box[t], d_ref, sizes[t])
        ok &= first <= last
        spans[t] = (first, last)
    rows = []
    for k in ["ref", *terms]:
        ref = k == "ref"
        if ok.any():
            lo, hi = (d_ref[ok], d_ref[ok]) if ref else (spans[k][0][ok], spans[k][1][ok])
            approx = (float(lo.min()), float(hi.max()))
        else:
            approx = (math.nan, math.nan)
        floor_row = floors.loc[(terms[0] if ref else k, "uni")]
        rows.append(
            {
                "term": k, "group": _REFERENCE_NAME[terms[0]] if ref else _GROUP_NAME[k],
                "patients": sizes[k],
                "floor": int(floor_row["deaths_ref" if ref else "deaths"]),
                "approx_min": approx[0], "approx_max": approx[1],
            }
        )  # fmt: skip
    out = pd.DataFrame(rows)
    # the groups' deaths together: linked through d_ref, so not the sum of the columns
    low = d_ref + sum(spans[t][0] for t in terms)
    high = d_ref + sum(spans[t][1] for t in terms)
    out.attrs["approx_total"] = (
        (float(low[ok].min()), float(high[ok].max())) if ok.any() else (math.nan, math.nan)
    )
    return out


# ------------------------------------------------------------ what the approximation rules out
#: Verdict of :func:`approximate_conflicts` (the paper's numbers alone): other printed numbers
#: and this cell cannot all hold under the usual approximation.
CONTRADICTED = "contradicted under the approximation"
#: Verdict of :func:`approximate_conflicts`: the cell holds under the approximation only with
#: patients censored alive early.
EARLY_CENSORING = "needs early censoring"
#: Verdict of :func:`approximate_conflicts`: the approximation finds no conflict.
NO_CONFLICT = "no conflict under the approximation"


def se_readings(term_id: str, model: str = "uni", directory=None) -> dict:
    """The SE of a row's log HR implied by each pair of its printed numbers, as ranges.

    Each number anywhere in its rounding bin (half a unit of its last decimal either way):
    ``"interval"`` (:func:`printed_se_range`), ``"hr+lower"`` (``(ln HR − ln L)/1.96``),
    ``"hr+upper"`` (``(ln U − ln HR)/1.96``) and ``"hr+p"`` (``|ln HR|/z``, ``z`` the normal
    quantile of the printed two-sided P; a Wald row). When a row's numbers do not fit one Wald
    row (:func:`table2_feasibility`) the readings disagree; each pair is what a cohort printing
    those two numbers must show.

    Examples
    --------
    Albumin ≤ 3 g/dL, univariate (HR 2.892, 1.112–6.396, P 0.003): the readings disagree.

    >>> {k: f"{a:.3f}–{b:.3f}" for k, (a, b) in se_readings("albumin_le3").items()}
    {'interval': '0.446–0.446', 'hr+lower': '0.487–0.488', 'hr+upper': '0.405–0.405', 'hr+p': '0.351–0.364'}
    """
    hr = published.entry(f"table2.{term_id}.{model}.hr", directory)
    iv = published.entry(f"table2.{term_id}.{model}.interval", directory)
    p = published.entry(f"table2.{term_id}.{model}.p", directory)
    lower_decimals, upper_decimals = published.bound_decimals(iv.text)
    b_lo, b_hi = _log_box(hr.value, int(hr.decimals))
    l_lo, l_hi = _log_box(iv.lower, lower_decimals)
    u_lo, u_hi = _log_box(iv.upper, upper_decimals)
    z_lo, z_hi = _z_box(p.value, p.relation, int(p.decimals))
    size_lo = 0.0 if b_lo <= 0 <= b_hi else min(abs(b_lo), abs(b_hi))
    size_hi = max(abs(b_lo), abs(b_hi))
    return {
        "interval": printed_se_range(iv),
        "hr+lower": (max(b_lo - l_hi, 0.0) / Z95, (b_hi - l_lo) / Z95),
        "hr+upper": (max(u_lo - b_hi, 0.0) / Z95, (u_hi - b_lo) / Z95),
        "hr+p": (size_lo / z_hi, size_hi / z_lo if z_lo > 0 else math.inf),
    }


def _spans(var: tuple[float, float], other: np.ndarray, cap) -> tuple[np.ndarray, np.ndarray]:
    """Fewest and most deaths ``d`` (real, 1 to ``cap``) with ``1/d + 1/other`` in ``var``."""
    with np.errstate(divide="ignore", invalid="ignore"):
        up, lo = var[1] - 1.0 / other, var[0] - 1.0 / other
        first = np.where(up > 0, 1.0 / np.where(up > 0, up, 1.0), np.inf)
        last = np.where(lo > 0, 1.0 / np.where(lo > 0, lo, 1.0), np.inf)
    return np.maximum(first, 1.0), np.minimum(last, cap)


def _pvtt_most_deaths(get, keep: tuple[str, ...], n: int, excess: float = 1.0) -> float | None:
    """Most deaths (real) of all three PVTT groups when the kept univariate intervals hold
    under the approximation (the others' groups may hold any number up to their size). With
    ``excess`` R > 1 each printed SE may also exceed ``sqrt(1/d₁ + 1/d₀)`` by any factor up to R
    (its approximation anywhere from SE/R to SE)."""
    terms = ("pvtt_vp1_2", "pvtt_vp3_4")
    sizes = {t: _group_sizes(t, get, n)[0] for t in terms}
    n_ref = _group_sizes(terms[0], get, n)[1]
    d_ref = np.arange(1.0, n_ref + 1e-9, APPROXIMATE_DEATHS_STEP)
    total, ok = d_ref.copy(), np.ones(d_ref.size, dtype=bool)
    for t in terms:
        if t in keep:
            r = printed_se_range(get(f"table2.{t}.uni.interval"))
            first, last = _spans(((r[0] / excess) ** 2, r[1] ** 2), d_ref, sizes[t])
        else:
            first, last = np.ones(d_ref.size), np.full(d_ref.size, float(sizes[t]))
        ok &= first <= last
        total = total + last
    return float(total[ok].max()) if ok.any() else None


def _child_pugh_most_deaths(
    get, keep: tuple[str, ...], min_total: int, excess: float = 1.0
) -> float | None:
    """Most deaths (real) at scores 6–8 when the kept univariate Child-Pugh intervals hold under
    the approximation, each score's deaths at most its patients (Table 1's classes: scores 5 + 6
    = class A, 7 + 8 = class B, every printed score with at least one patient) and all deaths at
    least ``min_total``; None when no split fits. ``excess`` as in :func:`_pvtt_most_deaths`."""
    a = int(get("table1.child_pugh_a.count").value)
    b = int(get("table1.child_pugh_b.count").value)
    d5 = np.arange(1.0, a - 1 + 1e-9, APPROXIMATE_DEATHS_STEP)
    caps = {"child_pugh_6": a - d5, "child_pugh_7": b - 1.0, "child_pugh_8": b - 1.0}
    spans = {}
    for t, cap in caps.items():
        if t in keep:
            r = printed_se_range(get(f"table2.{t}.uni.interval"))
            spans[t] = _spans(((r[0] / excess) ** 2, r[1] ** 2), d5, cap)
        else:
            spans[t] = (np.ones(d5.size), np.broadcast_to(cap, d5.shape).astype(float))
    (f6, l6), (f7, l7), (f8, l8) = spans.values()
    class_b = np.minimum(l7 + l8, b)  # scores 7 and 8 share class B's patients
    most = l6 + class_b
    ok = (f6 <= l6) & (f7 <= l7) & (f8 <= l8) & (f7 + f8 <= b) & (d5 + most >= min_total)
    return float(most[ok].max()) if ok.any() else None


#: How far :func:`approximate_conflicts` looks for the SE excess that lifts a verdict.
MARGIN_LIMIT = 4.0


def _margin(fits) -> float:
    """The smallest excess R in [1, :data:`MARGIN_LIMIT`] (to 1e-4) with ``fits(R)`` true, by
    bisection: ``fits`` is false at 1 and monotone (an excess up to R only widens the deaths
    each interval allows). ``inf`` when even the limit does not fit."""
    lo, hi = 1.0, MARGIN_LIMIT
    if not fits(hi):
        return math.inf
    while hi - lo > 1e-4:
        mid = (lo + hi) / 2
        lo, hi = (lo, mid) if fits(mid) else (mid, hi)
    return hi


def _excess(r: float) -> str:
    """An SE excess factor as the percentage a reader compares: 1.58 -> '58%'."""
    return f"{r - 1:.0%}" if math.isfinite(r) else f"over {MARGIN_LIMIT - 1:.0%}"


def _holds(r: float) -> str:
    """The sentence a contradicted cell's reason ends with: how far the verdict rests on the
    approximation (:func:`_margin`)."""
    return (
        f" The conflict holds unless some exact standard error exceeds its approximation by "
        f"{_excess(r)} or more."
    )


def _short(r: float) -> str:
    """:func:`_holds` for the ``numbers`` column."""
    return f"lifted by an SE excess of {_excess(r)}"


def _minimal_conflicts(members: tuple[str, ...], conflicts) -> list[tuple[str, ...]]:
    """The smallest subsets of ``members`` for which ``conflicts(subset)`` holds (none of whose
    proper subsets does)."""
    found: list[tuple[str, ...]] = []
    for size in range(1, len(members) + 1):
        for subset in combinations(members, size):
            if any(set(f) <= set(subset) for f in found):
                continue
            if conflicts(subset):
                found.append(subset)
    return found


def approximate_conflicts(directory=None) -> pd.DataFrame:
    """What the usual approximation says about each feasible univariate cell of Table 2.

    **Approximation.** For a 0/1 contrast :func:`death_floors` proves ``Var(ln HR) >= 1/d₁ +
    1/d₀``; the large-sample approximation takes it as an equality (exact when each group keeps
    the same share of every risk set), deaths as real numbers (:func:`approximate_deaths`).
    Every printed SE is taken anywhere in its rounding range (:func:`se_readings`), and all
    deaths are at least :func:`min_total_deaths` (66, exact). Five derivations:

    * **PVTT** (Table 1: Vp0 29, Vp1–2 35, Vp3–4 18): with both univariate intervals the three
      groups hold at most ``approx_total[1]`` deaths (:func:`approximate_deaths`), fewer than 66,
      so the two intervals are contradicted together. With one interval alone, the other two
      groups may hold every patient as a death: the most deaths in all is then computed on the
      same grid of the reference's deaths (``attrs["pvtt"]["alone"]``); a cell is contradicted
      alone when that is below 66 too. The PVTT hazard ratios say nothing about SEs.
    * **Child-Pugh and albumin**: Child-Pugh gives 1 point for albumin > 3.5 g/dL and 2 or 3 below
      (:func:`analysis.clinical.child_pugh`, which computes the fewest points at albumin 3 g/dL:
      ``least_score``), so every patient with albumin ≤ 3 g/dL scores 6 or more, and the
      multivariable albumin ≤ 3 row's interval (the reading the calibration follows; the
      counts give it up for the row's HR and P) needs at least ``deaths`` (15) deaths in each
      albumin group, exactly (:func:`death_floors`). Under the approximation the univariate
      score-6, 7 and 8 intervals (against score 5), with scores 5 + 6 = class A (74) and 7 + 8
      = class B (8) and at least 66 deaths, bound the deaths at scores 6–8 from above
      (``_child_pugh_most_deaths``: a grid over the score-5 deaths, each score's deaths in its
      interval's range). Every smallest set of those intervals that leaves fewer deaths at
      scores 6–8 than albumin ≤ 3 needs is contradicted. Near-equal SEs at scores 6 and 7 (0.638,
      0.642) give ``1/d₆ ≈ 1/d₇`` with ``d₇ <= 7``, so score 5 must hold most of the 66 deaths
      and scores 6–8 few.
    * **Albumin, univariate HR**: the row's HR read with its P or either bound needs an SE of at
      least ``se_needed`` (the smallest of the three readings' lower ends); with ≥ 15 deaths in
      each albumin group and ≥ 66 in all, ``1/d₁ + 1/d₀`` is at most ``1/15 + 1/51``, so under
      the approximation the SE is at most ``se_most``: contradicted when below.
    * **Additional TACE, univariate HR** (interval and P infeasible): the Wald z of a 0/1 Cox
      row and the log-rank z of the same split agree to first order in ``ln HR``; taking them
      equal, the log-rank P (Figure 2) fixes ``|ln HR|/SE``, so with the HR the SE, and with 26
      and 56 patients and ≥ 66 deaths the additional-TACE group's deaths ``d₁`` (a grid over the
      other group's). A Kaplan-Meier curve with ``k`` deaths among ``n`` patients and ``c``
      censored before a time falls to 0.5 by then only if ``(n − c − k)/(n − c) <= 0.5`` (every
      censoring first is the steepest case), so a median below the printed median's upper
      rounding edge needs ``c >= n − 2k`` censored alive before it: ``censored_needed``.
    * **Per-unit rows with a Table 1 SD** (AST, CRP, …): the same approximation gives ``Var(β̂) ≈
      1/(D·σ²)``, ``σ`` the spread of the values in the risk sets; with Table 1's SD and 66 to 82
      deaths, the printed SE needs the spread in the risk sets to be ``variance_share`` of the
      cohort's (Table 1's SD, too, anywhere in its rounding): consistent, and reported.

    **Margins.** The approximation is only a floor for the exact variance, so each verdict also
    gets the smallest excess that lifts it (``margin``): let every SE involved exceed
    ``sqrt(1/d₁ + 1/d₀)`` by any factor up to R (the approximation anywhere from SE/R to SE) and
    find the least R at which the printed numbers fit again (bisection; ``inf`` beyond
    :data:`MARGIN_LIMIT`). A margin of a few percent means the verdict rests on the
    approximation's accuracy, which risk sets that drift over time (unequal hazards, early
    censoring in one group) can exceed. For additional TACE ``fewer_margin`` is the excess at
    which the censored count first drops.

    Returns
    -------
    DataFrame
        One row per feasible univariate cell of a non-reference row (:func:`table2_feasibility`):
        ``id``, ``term``, ``cell`` (HR, 95% CI, P), ``category`` (:data:`CONTRADICTED`,
        :data:`EARLY_CENSORING` or :data:`NO_CONFLICT`), ``numbers`` (the bound, in short) and
        ``reason`` (one sentence, empty when there is nothing to say). ``attrs`` holds the
        numbers of each derivation: ``"pvtt"``, ``"child_pugh"``, ``"albumin"``,
        ``"additional_tace"``, ``"per_unit"`` (each conflict's ``margin``: per conflicting set
        for PVTT and Child-Pugh).

    Examples
    --------
    >>> c = approximate_conflicts()
    >>> c.loc[c["category"] != NO_CONFLICT, ["term", "cell", "category"]].values.tolist()[:2]
    [['child_pugh_6', '95% CI', 'contradicted under the approximation'], ['child_pugh_7', '95% CI', 'contradicted under the approximation']]
    >>> c.attrs["child_pugh"]["conflicts"], c.attrs["child_pugh"]["albumin_deaths"]
    ([('child_pugh_6', 'child_pugh_7')], 15)
    >>> round(c.attrs["child_pugh"]["most"][("child_pugh_6", "child_pugh_7")], 1)
    10.6
    >>> round(c.attrs["pvtt"]["margin"][("pvtt_vp1_2", "pvtt_vp3_4")], 2)
    1.09
    """
    # a pure function of the published numbers (about 70 ms; chapter 1 asks three times): made
    # once per state of the files, as table2_feasibility is; the copy's attrs are a deep copy
    files = published.files_signature(directory)
    return _approximate_conflicts(directory, files).copy()


@functools.lru_cache(maxsize=8)
def _approximate_conflicts(directory, _files: tuple) -> pd.DataFrame:
    def get(entry_id):
        return published.entry(entry_id, directory)

    n = int(get("methods.n_patients.count").value)
    min_total = min_total_deaths(directory)[0]
    floors = death_floors(directory).set_index(["term", "model"])
    feas = table2_feasibility(directory)
    cells = feas[(feas["model"] == "univariate") & feas["feasible"]]
    cells = cells[cells["implied coding"] != "reference"]
    verdicts: dict[tuple[str, str], tuple[str, str, str]] = {}

    # PVTT: the two intervals under the approximation, together and alone
    pvtt = approximate_deaths("PVTT", directory)
    pv_terms = ("pvtt_vp1_2", "pvtt_vp3_4")
    pv_most = {k: _pvtt_most_deaths(get, k, n) for k in [(t,) for t in pv_terms] + [pv_terms]}

    def pv_conflict(subset):
        most = pv_most[tuple(subset)]
        return most is None or most < min_total

    pv_found = _minimal_conflicts(pv_terms, pv_conflict)
    joint = pvtt.attrs["approx_total"][1]
    pv_margin = {
        s: _margin(lambda r, s=s: (_pvtt_most_deaths(get, s, n, r) or 0.0) >= min_total)
        for s in pv_found
    }
    for subset in pv_found:
        holds = _holds(pv_margin[subset])
        for t in subset:
            if len(subset) == 1:
                numbers = f"≤ {pv_most[subset]:.1f} deaths in all < {min_total}; {_short(pv_margin[subset])}"
                reason = (
                    f"Under the usual approximation this portal-vein interval alone allows at most "
                    f"{pv_most[subset]:.1f} deaths among the {n} patients, but the BCLC row needs "
                    f"at least {min_total}.{holds}"
                )
            else:
                other = _GROUP_NAME[next(u for u in subset if u != t)]
                alone = pv_most[(t,)]
                numbers = f"≤ {joint:.1f} deaths in all < {min_total}; {_short(pv_margin[subset])}"
                reason = (
                    f"Under the usual approximation the two portal-vein intervals together allow "
                    f"at most {joint:.1f} deaths among the {n} patients (this one alone "
                    f"{alone:.1f}), but the BCLC row needs at least {min_total}: this interval or "
                    f"the {other} one cannot hold.{holds}"
                )
            verdicts[(t, "95% CI")] = (CONTRADICTED, numbers, reason)

    # Child-Pugh against albumin <= 3 g/dL: the fewest points a patient at the cut-off can score
    # (every other component at its best; lower albumin scores no fewer points)
    cp_terms = ("child_pugh_6", "child_pugh_7", "child_pugh_8")
    least = child_pugh(0.5, term("albumin_le3").cutoff, 1.0, "none", "none")[0]
    if least <= 5:  # then albumin <= 3 says nothing about the scores (not so by Pugh's table)
        cp_terms = ()
    alb_floor = floors.loc[("albumin_le3", "multi")]
    alb_need = int(alb_floor["deaths"])
    cp_most = {
        s: _child_pugh_most_deaths(get, s, min_total)
        for size in range(1, 4)
        for s in combinations(cp_terms, size)
    }
    cp_found = _minimal_conflicts(cp_terms, lambda s: cp_most[s] is None or cp_most[s] < alb_need)
    alb_text = get("table2.albumin_le3.multi.interval").text
    # the floor rests on the row's interval: say so where the verdict gives the interval up
    alb_iv = feas.set_index("id").loc["table2.albumin_le3.multi.interval"]
    alb_row, alb_short = f"the multivariable albumin row ({alb_text})", "the multivariable row"
    alb_aside = ""
    if not bool(alb_iv["feasible"]):
        # one pair of parentheses: the interval is the calibration's target, not the counts'
        alb_row = f"the multivariable albumin interval {alb_text}"
        alb_aside = (
            " That interval is the calibration's target; the counts give it up for the row's HR "
            "and P."
        )
        alb_short = "the multivariable interval, the calibration's target"
    cp_margin = {
        s: _margin(
            lambda r, s=s: (_child_pugh_most_deaths(get, s, min_total, r) or 0.0) >= alb_need
        )
        for s in cp_found
    }
    for subset in cp_found:
        names = _and([f"score-{t[-1]}" for t in subset])
        most = cp_most[subset]
        for t in subset:
            verdicts[(t, "95% CI")] = (
                CONTRADICTED,
                f"≤ {most:.1f} deaths at scores 6–8 < {alb_need}; {_short(cp_margin[subset])}",
                # four sentences (it was one of 74 words)
                f"Under the usual approximation the {names} intervals with at least {min_total} "
                f"deaths leave at most {most:.1f} deaths at Child-Pugh scores 6–8. Yet everyone "
                f"with albumin ≤ 3 g/dL scores {least} or more, and {alb_row} "
                f"needs at least {alb_need} deaths among them.{alb_aside}{_holds(cp_margin[subset])}",
            )

    # albumin, univariate HR: every reading of its SE against the multivariable row's floors
    readings = se_readings("albumin_le3", "uni", directory)
    se_needed = min(readings[k][0] for k in ("hr+lower", "hr+upper", "hr+p"))
    alb_ref_need = int(alb_floor["deaths_ref"])
    se_most = math.sqrt(1.0 / alb_need + 1.0 / max(min_total - alb_need, alb_ref_need))
    alb_margin = se_needed / se_most  # the approximation's largest SE, scaled up to the need
    if se_most < se_needed:
        verdicts[("albumin_le3", "HR")] = (
            CONTRADICTED,
            f"SE ≥ {se_needed:.3f} > {se_most:.3f}; {_short(alb_margin)}",
            f"Read with its P or either bound, this hazard ratio needs a standard error of at "
            f"least {se_needed:.3f}. But with at least {alb_need} deaths in each albumin group "
            f"({alb_short}) and {min_total} in all, the usual approximation gives at "
            f"most {se_most:.3f}.{_holds(alb_margin)}",
        )

    # additional TACE, univariate HR, with the log-rank P of the same split
    hr = get("table2.additional_tace.uni.hr")
    lr = get(SAME_SPLIT_LOGRANK["additional_tace"])
    b_lo, b_hi = _log_box(hr.value, int(hr.decimals))
    z_lo, z_hi = _z_box(lr.value, lr.relation, int(lr.decimals))
    size_lo, size_hi = min(abs(b_lo), abs(b_hi)), max(abs(b_lo), abs(b_hi))
    var = ((size_lo / z_hi) ** 2, (size_hi / z_lo) ** 2)
    n1, n0, _ = _group_sizes("additional_tace", get, n)
    d0 = np.arange(1.0, n0 + 1e-9, APPROXIMATE_DEATHS_STEP)

    def tace(excess):
        """(fewest, most) deaths among the n1 and the censored-alive count the most needs."""
        v = (var[0] / excess**2, var[1])
        first, last = _spans(v, d0, n1)
        ok = (first <= last) & (d0 + last >= min_total)
        first = np.maximum(first, min_total - d0)  # all deaths at least min_total
        ok &= first <= last
        if not ok.any():  # the intervals need more deaths than there are patients
            return (math.nan, math.nan), None
        most = float(last[ok].max())
        return (float(first[ok].min()), most), n1 - 2 * math.floor(most + 1e-9)

    d1, censored = tace(1.0)
    censored = 0 if censored is None else censored
    median = get("figure2.os_median_additional_tace.median")
    edge = median.value + 0.5 * 10.0 ** -int(median.decimals)

    def needs(r):  # the censored count at SE excess r (None: no split of deaths fits)
        return tace(r)[1]

    tace_margin = _margin(lambda r: needs(r) is not None and needs(r) <= 0)  # none needed
    fewer_margin = _margin(lambda r: needs(r) is not None and needs(r) < censored)  # fewer
    if censored > 0:
        fewer = tace(fewer_margin)[1]
        verdicts[("additional_tace", "HR")] = (
            EARLY_CENSORING,
            f"{d1[0]:.1f}–{d1[1]:.1f} deaths of {n1}; ≥ {censored} censored < {edge:g} months; "
            f"{_short(tace_margin)}",
            f"Take the log-rank P {lr.text} of the same comparison as the Cox model's Wald P. "
            f"Then the usual approximation allows only {d1[0]:.1f}–{d1[1]:.1f} deaths among the {n1} "
            f"patients given additional TACE. A median survival of {median.text} months with "
            f"so few deaths needs at least {censored} of them censored alive before {edge:g} "
            f"months. The count is fragile: an exact standard error {_excess(fewer_margin)} above "
            f"the approximation already lowers it to {max(fewer, 0)}, and one "
            f"{_excess(tace_margin)} above it needs no early censoring.",
        )

    # per-unit rows: the spread of the values in the risk sets the printed SE needs
    per_unit = {}
    ids = set(published.load(directory)["id"])
    for t in TERMS:
        sd_id = f"table1.{t.column}.sd"
        if t.stated == "category" or t.implied != "per unit" or sd_id not in ids:
            continue
        sd_entry = get(sd_id)
        half = 0.5 * 10.0 ** -int(sd_entry.decimals)  # the SD, too, anywhere in its rounding
        sd_lo, sd_hi = sd_entry.value - half, sd_entry.value + half
        se_lo, se_hi = printed_se_range(get(f"table2.{t.id}.uni.interval"))
        if not (se_lo > 0 and sd_lo > 0):
            continue
        share = (1.0 / (sd_hi**2 * n * se_hi**2), 1.0 / (sd_lo**2 * min_total * se_lo**2))
        per_unit[t.id] = share
        name = t.display.split(" (")[0]
        name = name if name.split()[0].isupper() else name[0].lower() + name[1:]
        verdicts[(t.id, "95% CI")] = (
            NO_CONFLICT,
            f"risk-set variance {share[0]:.0%}–{share[1]:.0%} of Table 1's",
            f"With Table 1's SD ({get(sd_id).text}) and {min_total}–{n} deaths the usual "
            f"approximation prints this interval only if the spread of {name} "
            f"among patients still at risk is {share[0]:.0%}–{share[1]:.0%} of the whole "
            "cohort's (in variance).",
        )

    rows = []
    for r in cells.itertuples(index=False):
        category, numbers, reason = verdicts.get((r.term, r.cell), (NO_CONFLICT, "", ""))
        rows.append(
            {"id": r.id, "term": r.term, "cell": r.cell, "category": category,
             "numbers": numbers, "reason": reason}
        )  # fmt: skip
    out = pd.DataFrame(rows, columns=["id", "term", "cell", "category", "numbers", "reason"])
    out.attrs = {
        "min_total": min_total,
        "pvtt": {"joint": joint, "alone": {k[0]: v for k, v in pv_most.items() if len(k) == 1},
                 "conflicts": pv_found, "margin": pv_margin},
        "child_pugh": {"most": cp_most, "conflicts": cp_found, "albumin_deaths": alb_need,
                       "least_score": least, "margin": cp_margin},
        "albumin": {"se_needed": se_needed, "se_most": se_most, "readings": readings,
                    "margin": alb_margin},
        "additional_tace": {"deaths": d1, "censored_needed": censored, "edge": edge,
                            "var": var, "margin": tace_margin, "fewer_margin": fewer_margin},
        "per_unit": per_unit,
    }  # fmt: skip
    return out


def group_masks(cohort: pd.DataFrame, term_id: str) -> tuple[np.ndarray, np.ndarray]:
    """The patients of the two groups a 0/1 or category row of Table 2 compares, as boolean
    arrays ``(group, reference)`` (:func:`group_names` names them): a Child-Pugh score against
    score 5, Vp1–2 or Vp3–4 against Vp0, BCLC stage C against B, otherwise 1 against 0 of the
    row's implied coding.

    Examples
    --------
    >>> import pandas as pd
    >>> c = pd.DataFrame({"pvtt": ["Vp0", "Vp1", "Vp2", "Vp3"]})
    >>> [m.tolist() for m in group_masks(c, "pvtt_vp1_2")]
    [[False, True, True, False], [True, False, False, False]]
    """
    if term_id.startswith("child_pugh"):
        score = pd.to_numeric(cohort["child_pugh_score"]).to_numpy()
        return score == int(term_id[-1]), score == 5
    if term_id.startswith("pvtt"):
        pvtt = cohort["pvtt"].astype(str).to_numpy()
        mine = ("Vp1", "Vp2") if term_id == "pvtt_vp1_2" else ("Vp3", "Vp4")
        return np.isin(pvtt, mine), pvtt == "Vp0"
    x = design_matrix(cohort, terms=[term_id])[term_id].to_numpy()
    if term_id == "bclc_stage":
        return x == BCLC_ORDER["C"], x == BCLC_ORDER["B"]
    return x == 1, x == 0


def death_floor_check(cohort: pd.DataFrame, directory=None) -> pd.DataFrame:
    """Which 0/1 or category rows of Table 2 a cohort's deaths leave within reach.

    A cohort whose deaths in the two groups give ``sqrt(1/d₁ + 1/d₀)`` above the widest SE the
    printed interval allows cannot print that interval, however the survival times of those
    deaths are arranged: ``reachable`` is False.

    Returns
    -------
    DataFrame
        :func:`death_floors`' ``term``, ``model``, ``deaths`` and ``deaths_ref``, with the
        cohort's deaths in the group (``cohort_deaths``) and in the reference
        (``cohort_deaths_ref``), the SE those allow at best (``cohort_se_floor``) and
        ``reachable``.

    Examples
    --------
    >>> c = pd.DataFrame({"os_months": [1.0, 2.0, 3.0, 4.0], "os_event": [1, 1, 1, 0],
    ...     "sex": ["F", "M", "M", "F"]})
    >>> r = death_floor_check(c).set_index("term").loc["sex_female"]
    >>> int(r["cohort_deaths"]), int(r["deaths"]), bool(r["reachable"])
    (1, 6, False)
    """
    floors = death_floors(directory)
    dead = pd.to_numeric(cohort["os_event"]).to_numpy() == 1
    rows = []
    for r in floors.itertuples(index=False):
        column = term(r.term).column
        if column not in cohort.columns:
            continue
        group, ref = group_masks(cohort, r.term)
        d1, d0 = int((group & dead).sum()), int((ref & dead).sum())
        se = math.sqrt(1 / d1 + 1 / d0) if d1 and d0 else math.inf
        rows.append(
            {
                "term": r.term, "model": r.model, "deaths": r.deaths,
                "deaths_ref": r.deaths_ref, "cohort_deaths": d1, "cohort_deaths_ref": d0,
                "cohort_se_floor": se, "reachable": se <= r.se_max,
            }
        )  # fmt: skip
    return pd.DataFrame(rows)


def outside_versions() -> pd.DataFrame:
    """Table 2 numbers the paper prints elsewhere (abstract, results, discussion) in a version of
    their own that contradicts the table's.

    A number printed outside Table 2 as the table prints it is the same number, counted once; one
    printed differently (the abstract's prior-TACE hazard ratio) is a number of its own that no
    cohort can print beside the table's, so the counts
    (:func:`analysis.calibration.table2_verdicts`) score it as infeasible.

    Returns
    -------
    DataFrame
        ``id``, ``model`` (``univariate``/``multivariable``), ``kind``, ``printed`` and
        ``table2`` (the table's own version).

    Examples
    --------
    >>> outside_versions()[["id", "model", "printed", "table2"]].values.tolist()
    [['abstract.hr_prior_tace_gt4.hr', 'multivariable', '0.151', '1.521']]
    """
    pub = published.load()
    pub = pub[
        pub["quantity"].str.startswith("hr_")
        & pub["kind"].isin(["hr", "interval", "p"])
        & ~pub["reference"].fillna(False).astype(bool)
    ]
    in_table = pub[pub["location"] == "table2"]
    table_text = {(r.quantity, r.kind): r.text for r in in_table.itertuples()}
    rows, seen = [], set()
    for r in pub[pub["location"] != "table2"].itertuples():
        own = table_text.get((r.quantity, r.kind))
        if own is None or own == r.text or (r.quantity, r.kind, r.text) in seen:
            continue
        seen.add((r.quantity, r.kind, r.text))
        model = "univariate" if r.quantity.endswith("_uni") else "multivariable"
        rows.append(
            {"id": r.id, "model": model, "kind": r.kind, "printed": r.text, "table2": own}
        )  # fmt: skip
    return pd.DataFrame(rows, columns=["id", "model", "kind", "printed", "table2"])


def feasibility_summary(
    table: pd.DataFrame | None = None, outside: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Feasible and infeasible estimates by model, counted as the hit/missed/infeasible counts
    count them (:func:`analysis.synthesis.target_counts`).

    A reference row's printed ``1`` is not an estimate: it has a column of its own and is left
    out of ``cells``. A version of a Table 2 number printed outside the table that contradicts
    it (:func:`outside_versions`, the abstract's hazard ratio) is counted in ``cells`` as
    infeasible, as the counts count it.

    Parameters
    ----------
    table : DataFrame, optional
        :func:`table2_feasibility` (the default); ``model``, ``feasible`` and, to tell reference
        rows, ``stated coding`` (``"reference"``).
    outside : DataFrame, optional
        :func:`outside_versions` (the default); ``model``.

    Returns
    -------
    DataFrame
        ``model``, ``table2_printed`` (Table 2 cells, reference rows included),
        ``reference_rows`` (of them, a reference row's 1), ``outside_table2`` (numbers printed
        outside Table 2 that contradict it), ``cells`` (``table2_printed − reference_rows +
        outside_table2``: the numbers the counts score), ``feasible`` and ``infeasible`` (of
        ``cells``).

    Examples
    --------
    On a hand-made feasibility table (the default, :func:`table2_feasibility`, takes a second):

    >>> cells = pd.DataFrame({
    ...     "model": ["univariate", "univariate", "univariate", "multivariable"],
    ...     "stated coding": ["reference", "binary", "binary", "binary"],
    ...     "feasible": [True, True, False, True],
    ... })
    >>> summary = feasibility_summary(cells, outside=pd.DataFrame({"model": ["multivariable"]}))
    >>> summary.set_index("model").T
    model           univariate  multivariable
    table2_printed           3              1
    reference_rows           1              0
    outside_table2           0              1
    cells                    2              2
    feasible                 1              1
    infeasible               1              1
    """
    if table is None:
        table = table2_feasibility()
    if outside is None:
        outside = outside_versions()
    reference = (
        table["stated coding"].eq("reference")
        if "stated coding" in table.columns
        else pd.Series(False, index=table.index)
    )
    out = []
    for model in ("univariate", "multivariable"):
        mine = table["model"] == model
        estimates = table[mine & ~reference]
        extra = int((outside["model"] == model).sum())
        feasible = int(estimates["feasible"].sum())
        out.append(
            {
                "model": model,
                "table2_printed": int(mine.sum()),
                "reference_rows": int((mine & reference).sum()),
                "outside_table2": extra,
                "cells": len(estimates) + extra,
                "feasible": feasible,
                "infeasible": len(estimates) + extra - feasible,
            }
        )
    return pd.DataFrame(out)


def counted_numbers(
    model: str, summary: pd.DataFrame | None = None, outside: pd.DataFrame | None = None
) -> str:
    """What one model's hit/missed/infeasible counts count, in words: Table 2's numbers of that
    model (its reference rows' printed 1 left out), plus each version printed outside Table 2
    that contradicts it (:func:`outside_versions`). The same total can hold different sets: the
    multivariable counts' 34 are 33 Table 2 numbers and the abstract's hazard ratio, while Table 2
    prints 34 multivariable numbers with its reference row's 1.

    Parameters
    ----------
    model : {"univariate", "multivariable"}
    summary : DataFrame, optional
        :func:`feasibility_summary` (the default).
    outside : DataFrame, optional
        :func:`outside_versions` (the default).

    Returns
    -------
    str

    Examples
    --------
    >>> counted_numbers("multivariable")
    "33 Table 2 numbers plus the abstract's 0.151"
    >>> counted_numbers("univariate")
    '57 Table 2 numbers'
    """
    outside = outside_versions() if outside is None else outside
    summary = feasibility_summary(outside=outside) if summary is None else summary
    s = summary.set_index("model") if "model" in summary.columns else summary
    row = s.loc[model]
    text = f"{int(row.table2_printed - row.reference_rows)} Table 2 numbers"
    for r in outside[outside["model"] == model].itertuples(index=False):
        text += f" plus the {r.id.split('.')[0]}'s {r.printed}"
    return text


def feasibility_summary_notes(
    summary: pd.DataFrame | None = None, outside: pd.DataFrame | None = None
) -> list[str]:
    """Notes under :func:`feasibility_summary` shown as a table: for each model whose counts hold
    a number printed outside Table 2 (:func:`outside_versions`), what its "numbers counted" and
    its "not feasible" hold, so that a total holding more than Table 2's own cells says so where
    the reader meets it.

    Parameters
    ----------
    summary : DataFrame, optional
        :func:`feasibility_summary` (the default).
    outside : DataFrame, optional
        :func:`outside_versions` (the default).

    Returns
    -------
    list of str
        One note per such model; none when nothing outside Table 2 is counted.

    Examples
    --------
    >>> feasibility_summary_notes()
    ["Multivariable: the 34 numbers counted are 33 Table 2 numbers plus the abstract's 0.151; the 2 not feasible, 1 Table 2 cell plus the abstract's 0.151."]
    """
    outside = outside_versions() if outside is None else outside
    summary = feasibility_summary(outside=outside) if summary is None else summary
    s = summary.set_index("model") if "model" in summary.columns else summary
    notes = []
    for model in s.index:
        row = s.loc[model]
        mine = outside[outside["model"] == model]
        if not len(mine):
            continue
        others = "".join(f" plus the {r.id.split('.')[0]}'s {r.printed}" for r in mine.itertuples())
        bad = int(row.infeasible - row.outside_table2)
        notes.append(
            f"{model.capitalize()}: the {int(row.cells)} numbers counted are "
            f"{counted_numbers(model, s, outside)}; the {int(row.infeasible)} not feasible, "
            f"{bad} Table 2 {'cell' if bad == 1 else 'cells'}{others}."
        )
    return notes


def feasibility_summary_sentence(
    summary: pd.DataFrame | None = None, outside: pd.DataFrame | None = None
) -> str:
    """:func:`feasibility_summary` in words, each total said once with what it holds: Table 2's
    printed numbers, its reference rows (left out), the versions printed outside it (counted in),
    the feasible numbers of what is left, which the calibration's counts score, and the numbers
    that are not feasible, Table 2's cells told from the versions printed outside it.

    Parameters
    ----------
    summary : DataFrame, optional
        :func:`feasibility_summary` (the default).
    outside : DataFrame, optional
        :func:`outside_versions` (the default): ``id``, ``model``, ``kind``, ``printed`` and
        ``table2``.

    Returns
    -------
    str

    Examples
    --------
    >>> print(feasibility_summary_sentence())  # doctest: +NORMALIZE_WHITESPACE
    Table 2 prints 99 numbers, 65 univariate and 34 multivariable; 9 of them (8 univariate, 1
    multivariable) are a reference row's 1, which is no estimate, and are left out. The abstract
    prints the multivariable hazard ratio of prior TACE > 4 as 0.151, against Table 2's 1.521: no
    cohort prints both, so it is counted with the multivariable numbers, as infeasible. That leaves
    57 univariate numbers, 49 of them feasible, and 34 multivariable ones (33 Table 2 numbers plus
    the abstract's 0.151), 32 of them feasible: the numbers the calibration's counts score. The 10
    that are not feasible are 9 Table 2 cells (8 univariate, 1 multivariable) and the abstract's
    0.151.
    """
    outside = outside_versions() if outside is None else outside
    summary = feasibility_summary(outside=outside) if summary is None else summary
    s = summary.set_index("model")
    uni, multi = s.loc["univariate"], s.loc["multivariable"]
    text = [
        f"Table 2 prints {uni.table2_printed + multi.table2_printed} numbers, "
        f"{uni.table2_printed} univariate and {multi.table2_printed} multivariable; "
        f"{uni.reference_rows + multi.reference_rows} of them ({uni.reference_rows} univariate, "
        f"{multi.reference_rows} multivariable) are a reference row's 1, which is no estimate, "
        "and are left out."
    ]
    kinds = {"hr": "hazard ratio", "interval": "95% CI", "p": "P"}
    for r in outside.itertuples(index=False):
        where, quantity = r.id.split(".")[:2]
        term = quantity.removeprefix("hr_").removesuffix("_uni")
        # a table's label mid-sentence: "of prior TACE > 4", not "of Prior TACE > 4" (an
        # abbreviation such as "AST > 40" keeps its capitals)
        label = labels.in_sentence(labels.term_label(term))
        text.append(
            f"The {where} prints the {r.model} {kinds[r.kind]} of {label} as "
            f"{r.printed}, against Table 2's {r.table2}: no cohort prints both, so it is counted "
            f"with the {r.model} numbers, as infeasible."
        )

    def holding(model: str, row) -> str:
        # a total that holds more than Table 2's own numbers says so
        return f" ({counted_numbers(model, s, outside)})" if row.outside_table2 else ""

    text.append(
        f"That leaves {uni.cells} univariate numbers{holding('univariate', uni)}, {uni.feasible} "
        f"of them feasible, and {multi.cells} multivariable ones{holding('multivariable', multi)}, "
        f"{multi.feasible} of them feasible: the numbers the calibration's counts score."
    )
    bad = {m: int(s.loc[m, "infeasible"] - s.loc[m, "outside_table2"]) for m in s.index}
    others = [f"the {r.id.split('.')[0]}'s {r.printed}" for r in outside.itertuples(index=False)]
    if others:
        text.append(
            f"The {int(s['infeasible'].sum())} that are not feasible are {sum(bad.values())} "
            f"Table 2 cells ({bad['univariate']} univariate, {bad['multivariable']} "
            f"multivariable) and {' and '.join(others)}."
        )
    return " ".join(text)


# Short forms of table2_feasibility's reasons, for a note beside a cell (the full reason is in
# the feasibility table).
#: A P one step off what its own HR and interval give (consistent with truncation, not rounding).
INFEASIBLE_TRUNCATED = "the printed P is consistent with its row's P truncated, not rounded"
#: A univariate 0/1 row that cannot hold with the log-rank P of the same split.
INFEASIBLE_LOGRANK = "cannot hold with the log-rank P of the same split"
#: A row whose numbers cannot all come from one Wald fit.
INFEASIBLE_ONE_ROW = "the row's HR, CI and P cannot all come from one model"


def infeasible_short_reasons(table: pd.DataFrame | None = None) -> dict[str, str]:
    """``id`` → a short reason for every cell :func:`table2_feasibility` calls infeasible.

    The short reason is :data:`INFEASIBLE_LOGRANK` when the row is ruled out by the log-rank P of
    the same split, :data:`INFEASIBLE_TRUNCATED` for a P cell whose printed value is the
    truncation of what its HR and interval give, else :data:`INFEASIBLE_ONE_ROW`.

    Examples
    --------
    >>> cells = pd.DataFrame({
    ...     "id": ["table2.a.uni.p", "table2.b.uni.p", "table2.b.uni.hr"],
    ...     "cell": ["P", "P", "HR"], "feasible": [False, True, False],
    ...     "reason": ["… P 0.97 (printed 0.96, consistent with this P truncated instead of rounded)",
    ...                "", "95% CI fits one Wald row, and with it P 0.003 (printed 0.006)"],
    ... })
    >>> infeasible_short_reasons(cells)
    {'table2.a.uni.p': "the printed P is consistent with its row's P truncated, not rounded", \
'table2.b.uni.hr': "the row's HR, CI and P cannot all come from one model"}
    """
    if table is None:
        table = table2_feasibility()
    out = {}
    for r in table[~table["feasible"].astype(bool)].itertuples(index=False):
        reason = str(r.reason)
        if "log-rank" in reason and "fits one Wald row alone" in reason:
            out[r.id] = INFEASIBLE_LOGRANK
        elif str(r.id).endswith(".p") and "truncated instead of rounded" in reason:
            out[r.id] = INFEASIBLE_TRUNCATED
        else:
            out[r.id] = INFEASIBLE_ONE_ROW
    return out


#: The opening of :func:`feasibility_note`: what a listed cell is and where its reason comes from.
FEASIBILITY_NOTE_CELLS = (
    "A cell listed here can still print on its own, only not with the rest of its row. Each "
    "reason comes from the printed numbers alone."
)
#: The sentence of :func:`feasibility_note` on the deaths a row's printed interval needs.
FEASIBILITY_NOTE_DEATHS = (
    "The fewest deaths each group of a 0/1 or category row needs for its printed interval are a "
    "separate matter, which rules out no cell here."
)


def feasibility_note(deaths: str, layout: str = "") -> str:
    """The note under a table of the Table 2 cells no cohort can print (chapter 1's, chapter
    7's), in short sentences; the tables' captions say only what they hold.

    :data:`FEASIBILITY_NOTE_CELLS`, then ``layout`` (how the table sets its lines out), then
    :data:`FEASIBILITY_NOTE_DEATHS` and ``deaths`` (where those deaths are, or how the table
    gives them). The two chapters share every sentence that says the same thing.

    Examples
    --------
    >>> print(feasibility_note("They are in Table 7.3."))
    A cell listed here can still print on its own, only not with the rest of its row. Each reason \
comes from the printed numbers alone. The fewest deaths each group of a 0/1 or category row needs \
for its printed interval are a separate matter, which rules out no cell here. They are in Table 7.3.
    """
    parts = [FEASIBILITY_NOTE_CELLS, layout, FEASIBILITY_NOTE_DEATHS, deaths]
    return " ".join(p for p in parts if p)


def feasibility_table(
    table: pd.DataFrame | None = None, *, infeasible_only: bool = False, by_row: bool = False
):
    """:func:`table2_feasibility` for display: Variable | Model | Cell | Printed | Feasible |
    Reason | Deaths each group needs.

    ``Variable`` is Table 2's label and category as printed (``"AST (U/L): >40"``), ``Feasible``
    reads ``"yes"`` or ``"no"``. Each of the last two columns says one thing: ``Reason``, whether
    and why the cell can print with the rest of its row; ``Deaths each group needs``, for a 0/1 or
    category row, the floor its printed interval puts on the SE and so on the deaths in each of
    its two groups (:func:`death_floors`; empty for any other row). With ``infeasible_only``
    only the cells no cohort can print, and ``Reason`` is headed ``"Why no cohort prints it"``.
    Two more columns, ``Implied coding`` and ``Calibration instead`` (what the calibration aims
    at in a row with an infeasible cell), are for downloads; a chapter hides them.

    With ``by_row`` the cells of one printed row (HR, 95% CI and P of a variable in a model)
    that share their verdict and reason are one line (in the order of its first cell), ``Variable | Model | Printed | Feasible |
    Reason | Deaths each group needs``, ``Printed`` naming each cell (``"HR 0.996; 95% CI
    0.975–1.017; P 0.70"``): every printed number and every reason, each reason once per row
    (the per-cell table repeats a row's reason for each of its cells). The download columns are
    left to the per-cell table.

    Examples
    --------
    >>> feasibility_table(infeasible_only=True)[["Variable", "Cell", "Printed"]].iloc[0].tolist()
    ['Sex: Female', 'P', '0.96']
    >>> rows = feasibility_table(by_row=True)
    >>> rows.columns.tolist()
    ['Variable', 'Model', 'Printed', 'Feasible', 'Reason', 'Deaths each group needs']
    >>> rows.iloc[0, :4].tolist()
    ['Age (years)', 'univariate', 'HR 0.996; 95% CI 0.975–1.017; P 0.70', 'yes']

    The sex row's reason says why its P cannot print; the deaths its interval needs are beside:

    >>> sex = feasibility_table(infeasible_only=True).iloc[0]
    >>> "deaths" in sex["Why no cohort prints it"]
    False
    >>> for part in sex["Deaths each group needs"].split("needs ")[1].split(". "):
    ...     print(part)
    ≥ 6 deaths in the group if every reference patient died, and ≥ 24 in the reference if every patient of the group died
    Together, fitting every sex row at once: ≥ 31 deaths, 7 (female) + 24 (male)

    """
    if table is None:
        table = table2_feasibility()
    if infeasible_only:
        table = table[~table["feasible"]]
    # "Sex: Female", "AST (U/L): >40": the printed label, then its printed category
    row = table["row"].fillna("")
    variable = table["variable"].where(row.eq(""), table["variable"] + ": " + row)
    variable = variable.where(table["implied coding"] != "reference", variable + " (reference)")
    deaths = table["deaths per group"] if "deaths per group" in table.columns else ""
    if isinstance(deaths, pd.Series):  # the rule once, in the chapters' captions, not per row
        deaths = deaths.str.replace(DEATH_FLOOR_RULE, "", regex=False)
    cells = pd.DataFrame(
        {
            "Variable": variable,
            "Model": table["model"],
            "Cell": table["cell"],
            "Printed": table["printed"],
            "Feasible": table["feasible"].map({True: "yes", False: "no"}),
            "Reason": table["reason"],
            "Deaths each group needs": deaths,
            "Implied coding": table["implied coding"],
            "Calibration instead": table["follow"],
        }
    ).reset_index(drop=True)
    if not by_row:
        return (
            cells.rename(columns={"Reason": "Why no cohort prints it"})
            if infeasible_only
            else cells
        )
    same = ["Variable", "Model", "Feasible", "Reason", "Deaths each group needs"]
    # one line per verdict and reason of a printed row, its cells adjacent or not (albumin's
    # HR and P share theirs, the interval between them has another)
    line = cells.groupby(same, sort=False).ngroup()
    named = cells["Cell"] + " " + cells["Printed"]
    grouped = cells.groupby(line, sort=False)
    out = pd.DataFrame(
        {
            "Variable": grouped["Variable"].first(),
            "Model": grouped["Model"].first(),
            "Printed": named.groupby(line, sort=False).agg("; ".join),
            "Feasible": grouped["Feasible"].first(),
            "Reason": grouped["Reason"].first(),
            "Deaths each group needs": grouped["Deaths each group needs"].first(),
        }
    ).reset_index(drop=True)
    return out.rename(columns={"Reason": "Why no cohort prints it"}) if infeasible_only else out


#: a note's number as a superscript ("¹"), as the book's tables number their notes
_SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def feasibility_brief(
    table: pd.DataFrame | None = None, floors: pd.DataFrame | None = None
) -> tuple[pd.DataFrame, list[str]]:
    """The cells no cohort can print (:func:`table2_feasibility`), compact: Printed cell | Why
    no cohort prints it | Deaths each group needs, and the notes under it.

    The cells of one printed row that share their reason are one line (additional TACE's
    interval and P), named with the row: ``"Sex: Female, univariate P 0.96"``. A reason of one
    clause stays whole in its cell; a longer one (several clauses or sentences) is said
    there in short (:func:`infeasible_short_reasons`) with the number of a note (``"¹"``) that
    names the row and gives it whole. ``Deaths each group needs`` keeps of :func:`death_floors` what a row needs:
    the fewest deaths in the group and in its reference (each if every patient of the other
    group died), and the fewest over every row of its factor at once; group sizes and
    standard errors stay in :func:`feasibility_table`. Empty for a row entered per unit.

    Parameters
    ----------
    table : DataFrame, optional
        :func:`table2_feasibility` (the default).
    floors : DataFrame, optional
        :func:`death_floors` (the default).

    Returns
    -------
    DataFrame
        ``Printed cell``, ``Why no cohort prints it``, ``Deaths each group needs``: one line per
        printed row and reason.
    list of str
        The notes, in the order of their numbers, each starting with its number.

    Examples
    --------
    >>> shown, notes = feasibility_brief()
    >>> for cell in shown.iloc[0]:
    ...     print(cell)
    Sex: Female, univariate P 0.96
    HR and 95% CI fit one Wald row, and with them P 0.97 (printed 0.96, 0.41 of a last digit away, consistent with this P truncated instead of rounded)
    ≥ 6 (female), ≥ 24 (male); every sex row at once: ≥ 31
    >>> for cell in shown.iloc[-1, :2]:
    ...     print(cell)
    Additional TACE during HAIC, univariate 95% CI 0.258–0.743; P 0.002
    cannot hold with the log-rank P of the same split⁴
    >>> print(notes[-1][:92])
    ⁴ Additional TACE during HAIC, univariate: The row fits one Wald row alone, but not with the
    """
    if table is None:
        table = table2_feasibility()
    if floors is None:
        floors = death_floors()
    bad = table[~table["feasible"].astype(bool)]
    short = infeasible_short_reasons(bad)
    floor = floors.set_index(["term", "model"])
    key = {"univariate": "uni", "multivariable": "multi"}
    rows, notes = [], []
    for _, cells in bad.groupby(["term", "model", "reason"], sort=False):
        first = cells.iloc[0]
        row = "" if pd.isna(first["row"]) else str(first["row"])
        name = f"{first['variable']}: {row}" if row else str(first["variable"])
        printed = "; ".join(
            f"{c} {p}" for c, p in zip(cells["cell"], cells["printed"], strict=True)
        )
        reason = str(first["reason"])
        if ";" in reason or ". " in reason:  # several clauses: in short here, whole in a note
            number = str(len(notes) + 1).translate(_SUPERSCRIPT)
            notes.append(f"{number} {name}, {first['model']}: {reason}")
            why = short[first["id"]] + number
        else:
            why = reason
        deaths = ""
        at = (first["term"], key[first["model"]])
        if first["deaths per group"] and at in floor.index:
            f = floor.loc[at]
            if not f["feasible"] or f["deaths"] is None or f["deaths"] != f["deaths"]:
                deaths = "more deaths than patients"
            else:
                group, reference = _GROUP_NAME[first["term"]], _REFERENCE_NAME[first["term"]]
                deaths = f"≥ {int(f['deaths'])} ({group}), ≥ {int(f['deaths_ref'])} ({reference})"
                if f["partition_deaths"]:
                    deaths += (
                        f"; every {_FACTOR_OF[first['term']]} row at once: "
                        f"≥ {int(f['partition_deaths'])}"
                    )
        rows.append(
            {
                "Printed cell": f"{name}, {first['model']} {printed}",
                "Why no cohort prints it": why,
                "Deaths each group needs": deaths,
            }
        )
    columns = ["Printed cell", "Why no cohort prints it", "Deaths each group needs"]
    return pd.DataFrame(rows, columns=columns), notes
