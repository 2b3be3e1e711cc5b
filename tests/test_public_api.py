"""The public API that DESIGN.md promises other tools: names, signatures and return shapes.

Each name must import from the module DESIGN.md gives, take its documented parameters in the
documented order with the documented defaults (extra keyword parameters are allowed: "extend
freely"), and return what the card says. Values are hand computations, not the code's own output.
"""

import inspect
import math

import numpy as np
import pandas as pd
import pytest

from analysis.audit import audit_paper
from analysis.clinical import (
    albi,
    bclc_stage,
    bsa,
    child_pugh,
    ecf_dose_sheet,
    jsh_refractory,
    mrecist,
)
from analysis.cohort import CohortError, load_cohort, synthesize
from analysis.survival import cox_table, logrank, mean_survival, median_survival

EMPTY = inspect.Parameter.empty

#: DESIGN.md's signatures: (function, [(name, default or EMPTY, keyword-only?)]) in order.
SIGNATURES = [
    (
        bsa,
        [("height_cm", EMPTY, False), ("weight_kg", EMPTY, False), ("formula", "mosteller", False)],
    ),
    (
        ecf_dose_sheet,
        [
            ("height_cm", EMPTY, False),
            ("weight_kg", EMPTY, False),
            ("formula", "mosteller", True),
            ("cycle", 1, True),
            ("prior_epirubicin_mg_m2", 0.0, True),
            ("bilirubin_mg_dl", None, True),
            ("ast_u_l", None, True),
            ("egfr_ml_min", None, True),
        ],
    ),
    (
        child_pugh,
        [
            (n, EMPTY, False)
            for n in ("bilirubin_mg_dl", "albumin_g_dl", "inr", "ascites", "encephalopathy")
        ],
    ),
    (albi, [("bilirubin_umol_l", EMPTY, False), ("albumin_g_l", EMPTY, False)]),
    (
        median_survival,
        [
            ("durations", EMPTY, False),
            ("events", EMPTY, False),
            ("ci", "spss", False),
            ("alpha", 0.05, False),
        ],
    ),
    (mean_survival, [("durations", EMPTY, False), ("events", EMPTY, False)]),
    (logrank, [("durations", EMPTY, False), ("events", EMPTY, False), ("groups", EMPTY, False)]),
    (
        cox_table,
        [
            ("df", EMPTY, False),
            ("duration_col", EMPTY, False),
            ("event_col", EMPTY, False),
            ("covariates", EMPTY, False),
            ("ties", "efron", False),
        ],
    ),
    (load_cohort, [("path", None, False)]),
]


@pytest.mark.parametrize("function, promised", SIGNATURES, ids=[f.__name__ for f, _ in SIGNATURES])
def test_signature_keeps_the_documented_parameters(function, promised):
    params = inspect.signature(function).parameters
    positional = [
        p for p in params.values() if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
    ]
    want_positional = [name for name, _, kw_only in promised if not kw_only]
    # the documented positional parameters come first and in order
    assert [p.name for p in positional[: len(want_positional)]] == want_positional
    for name, default, kw_only in promised:
        assert name in params, f"{function.__name__} lost its parameter {name}"
        assert params[name].default == default
        if kw_only:
            # keyword-only in the card; positional would also accept the documented call
            assert params[name].kind in (
                params[name].KEYWORD_ONLY,
                params[name].POSITIONAL_OR_KEYWORD,
            )
    # anything added beyond the card has a default, so the documented calls still work
    extra = [p for n, p in params.items() if n not in {name for name, _, _ in promised}]
    assert all(p.default is not EMPTY or p.kind is p.VAR_KEYWORD for p in extra)


def test_other_public_names_import_and_take_keywords():
    assert "seed" in inspect.signature(synthesize).parameters
    for function in (bclc_stage, jsh_refractory, mrecist, audit_paper):
        assert callable(function)
    assert issubclass(CohortError, Exception)


def test_bsa_is_mosteller_by_default_and_refuses_impossible_input():
    assert bsa(170, 65) == pytest.approx(math.sqrt(170 * 65 / 3600))
    # Du Bois: 0.007184 * W^0.425 * H^0.725
    assert bsa(170, 65, formula="dubois") == pytest.approx(0.007184 * 65**0.425 * 170**0.725)
    with pytest.raises(ValueError):
        bsa(-170, 65)


def test_ecf_dose_sheet_columns_and_warnings():
    sheet = ecf_dose_sheet(170, 65)
    assert isinstance(sheet, pd.DataFrame)
    assert {"drug", "day", "dose_mg_m2", "dose_mg", "infusion_hours"} <= set(sheet.columns)
    assert isinstance(sheet.attrs["warnings"], list)
    area = math.sqrt(170 * 65 / 3600)
    assert np.allclose(sheet["dose_mg"], sheet["dose_mg_m2"] * area, rtol=0.01, atol=0.5)


def test_child_pugh_and_albi_return_pairs():
    # bilirubin 1.0 (1), albumin 3.6 (1), INR 1.1 (1), no ascites (1), no encephalopathy (1)
    assert tuple(child_pugh(1.0, 3.6, 1.1, "none", "none")) == (5, "A")
    score, grade = albi(17.0, 40.0)
    assert score == pytest.approx(0.66 * math.log10(17.0) - 0.085 * 40.0)
    assert grade == 2  # -2.588: above grade 1's cut-off of -2.60, below grade 3's -1.39


def test_survival_functions_unpack_as_the_card_says():
    # 3 deaths at 1, 2, 3 and one censored at 4: S = 0.75, 0.5, 0.25 -> SPSS median 2
    median, lower, upper = median_survival([1, 2, 3, 4], [1, 1, 1, 0], ci="spss")
    assert median == 2
    for ci in ("spss", "log", "log-log"):
        assert len(tuple(median_survival([1, 2, 3, 4], [1, 1, 1, 0], ci=ci))) == 3
    # not reached: NaN, never an exception
    assert all(math.isnan(x) for x in median_survival([1, 2, 3], [0, 0, 0]))
    mean, se = mean_survival([1, 2, 3, 4], [1, 1, 1, 1])
    assert mean == pytest.approx(2.5)
    chi2, df, p = logrank([1, 2, 3, 4], [1, 1, 1, 1], [0, 0, 1, 1])
    assert df == 1 and 0 < p < 1 and chi2 > 0


def test_cox_table_offers_both_tie_rules():
    cohort = load_cohort()
    for ties in ("efron", "breslow"):
        table = cox_table(cohort, "os_months", "os_event", ["age_years"], ties=ties)
        assert {"hr", "lower", "upper", "p"} <= set(table.columns)
        assert (
            table.loc["age_years", "lower"]
            < table.loc["age_years", "hr"]
            < table.loc["age_years", "upper"]
        )


def test_audit_paper_columns_and_verdicts():
    audit = audit_paper()
    assert {"where", "claim", "check", "computed", "verdict"} <= set(audit.columns)
    assert set(audit["verdict"]) <= {"consistent", "inconsistent", "cannot tell"}
