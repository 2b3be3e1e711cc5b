"""Clinical rules of the study as pure, tested functions.

Each function states the rule, where it comes from (keys of ``book/references.bib``) and where
its boundaries fall. Nothing here changes a dose silently: the ECF dose sheet shows what the
protocol prescribes and lists, as warnings and "recommended" columns, what a reduction rule
would suggest.

Contents
--------
Body-surface area and dosing
    :func:`bsa`, :func:`ecf_dose_sheet`, :data:`ECF_REGIMEN`, :data:`EPIRUBICIN_CUMULATIVE_THRESHOLDS_MG_M2`
Liver function
    :func:`child_pugh`, :func:`child_pugh_frame`, :func:`albi`, :func:`albi_frame`,
    :func:`bilirubin_mg_dl_to_umol_l`, :func:`albumin_g_dl_to_g_l`
Staging
    :func:`bclc_stage`, :func:`bclc_stage_frame`, :func:`vp_class`, :func:`vp_group`,
    :func:`macrovascular_invasion`, :data:`VP_DEFINITIONS`
Selection
    :func:`jsh_refractory`, :func:`jsh_refractory_frame`, :data:`JSH_COHORT_COLUMNS`,
    :func:`eligibility`, :func:`eligibility_frame`
Response
    :func:`mrecist`, :func:`mrecist_sequence`, :func:`best_response`, :func:`orr`, :func:`dcr`,
    :func:`response_summary`
"""

from __future__ import annotations

import math
import numbers
import re
from collections.abc import Iterable, Sequence
from typing import NamedTuple

import numpy as np
import pandas as pd
from scipy import special

__all__ = [
    "proportion_ci",
    "bsa",
    "HEIGHT_RANGE_CM",
    "WEIGHT_RANGE_KG",
    "BMI_RANGE_KG_M2",
    "ecf_dose_sheet",
    "ECF_REGIMEN",
    "EPIRUBICIN_CUMULATIVE_THRESHOLDS_MG_M2",
    "EPIRUBICIN_PER_CYCLE_MG_M2",
    "BSA_CAP_M2",
    "DEFAULT_RENAL_BANDS",
    "EPIRUBICIN_BILIRUBIN_BAND_MG_DL",
    "EPIRUBICIN_AST_BAND_X_ULN",
    "EPIRUBICIN_HEPATIC_PERCENT",
    "EPIRUBICIN_WITHHOLD_BILIRUBIN_MG_DL",
    "ECF_MAX_CYCLE",
    "PRIOR_EPIRUBICIN_MAX_MG_M2",
    "PRIOR_DOXORUBICIN_MAX_MG_M2",
    "child_pugh",
    "child_pugh_frame",
    "child_pugh_class_from_points",
    "albi",
    "albi_frame",
    "bilirubin_mg_dl_to_umol_l",
    "albumin_g_dl_to_g_l",
    "BILIRUBIN_UMOL_PER_MG_DL",
    "bclc_stage",
    "bclc_stage_frame",
    "VP_DEFINITIONS",
    "vp_class",
    "vp_group",
    "macrovascular_invasion",
    "jsh_refractory",
    "jsh_refractory_frame",
    "JSH_CRITERIA",
    "JSH_COHORT_COLUMNS",
    "JSH_VIABLE_PERCENT",
    "JSH_WINDOW_MONTHS",
    "JSH_MIN_CONSECUTIVE_SESSIONS",
    "INCLUSION_RULES",
    "EXCLUSION_RULES",
    "RULE_NUMERALS",
    "eligibility_rules",
    "ELIGIBILITY_MIN_AGE_YEARS",
    "ELIGIBILITY_MAX_ECOG",
    "ELIGIBILITY_MIN_LESIONS",
    "ELIGIBILITY_MALIGNANCY_YEARS",
    "eligibility",
    "eligibility_frame",
    "mrecist",
    "mrecist_sequence",
    "best_response",
    "ResponseRate",
    "orr",
    "dcr",
    "response_summary",
    "rate_intervals",
]

# ---------------------------------------------------------------------------------------------
# input checking
# ---------------------------------------------------------------------------------------------


def _is_real_number(x) -> bool:
    return isinstance(x, numbers.Real) and not isinstance(x, bool | np.bool_)


def _show(value) -> str:
    """A value as a reader would type it: 9, 1.5, 'abc' (no NumPy reprs such as np.float64(9.0))."""
    if isinstance(value, np.generic):
        value = value.item()
    if _is_real_number(value):
        try:
            return f"{value:g}"
        except OverflowError:  # 10**400: an int too large for a float, not 400 digits
            return f"a {len(str(abs(int(value))))}-digit number"
    return repr(value)


def _show_outside(x: float, shown: str, lo, hi) -> str:
    """``shown``, the value ``x`` refused as out of range, unless it reads as one of the bounds
    ``x`` is not (``2000.0000001`` shown as ``:g`` said "2000 is outside [0, 2000]"): then the
    shortest text of ``x`` that is not the bound.

    Examples
    --------
    >>> _show_outside(2000.0000001, "2000", 0, 2000), _show_outside(2500.0, "2500", 0, 2000)
    ('2000.0000001', '2500')
    """
    try:
        bound = float(shown) in {lo, hi} and x not in {lo, hi}
    except ValueError:  # "a 400-digit number"
        return shown
    return repr(float(x)) if bound else shown


def _check_scalar(
    value,
    name: str,
    *,
    lo: float | None = None,
    hi: float | None = None,
    unit: str = "",
    lo_open: bool = False,
    hint: str = "",
) -> float:
    """Return ``value`` as a float or raise ValueError naming ``name`` and the value."""
    if not _is_real_number(value):
        raise ValueError(f"{name} must be a number; got {_show(value)} ({type(value).__name__})")
    try:
        x = float(value)
    except OverflowError:  # 10**400: an int too large for a float
        raise ValueError(
            f"{name} must be a finite number; got a number too large for a float "
            f"({type(value).__name__})"
        ) from None
    if math.isnan(x) or math.isinf(x):
        raise ValueError(f"{name} must be a finite number; got {_show(value)}")
    too_low = lo is not None and (x <= lo if lo_open else x < lo)
    too_high = hi is not None and x > hi
    if too_low or too_high:
        shown = _show_outside(x, _show(value), lo, hi)
        raise ValueError(f"{name} = {shown} is outside {_range_text(lo, hi, unit, lo_open)}{hint}")
    return x


def _range_text(lo, hi, unit, lo_open=False) -> str:
    u = f" {unit}" if unit else ""
    if lo is not None and hi is not None:
        left = "(" if lo_open else "["
        return f"{left}{lo:g}, {hi:g}]{u}"
    if lo is not None:
        return f"{'>' if lo_open else '>='} {lo:g}{u}"
    return f"<= {hi:g}{u}"


class _Wrap:
    """Turns a result array back into the input's kind (rank: scalar 0, array 1, Series 2)."""

    def __init__(self, rank: int, index=None):
        self.rank, self.index = rank, index

    def __call__(self, r):
        if self.rank == 0:
            return r[0].item() if isinstance(r[0], np.generic) else r[0]
        if self.rank == 2:
            return pd.Series(r, index=self.index)
        return r


def _as_array(value, name: str, *, lo=None, hi=None, unit: str = "", lo_open=False, hint: str = ""):
    """Check a scalar or array-like of numbers; return (float array, wrap).

    ``wrap`` turns a result array back into the input's kind: a Python number for a scalar, a
    Series with the input's index for a Series, an ndarray otherwise.
    """
    if value is None or isinstance(value, str) or np.isscalar(value):
        x = _check_scalar(value, name, lo=lo, hi=hi, unit=unit, lo_open=lo_open, hint=hint)
        return np.array([x]), _Wrap(0)
    wrap = _Wrap(2, value.index) if isinstance(value, pd.Series) else _Wrap(1)
    if isinstance(value, np.ndarray) and value.ndim == 1 and value.dtype == np.float64:
        # a float array (the calibration's case) holds only numbers: when every element is
        # finite and in range, the checks below pass, so they are taken at once (the same copy)
        arr = value.copy()
        if (
            np.isfinite(arr).all()
            and (lo is None or ((arr > lo) if lo_open else (arr >= lo)).all())
            and (hi is None or (arr <= hi).all())
        ):
            return arr, wrap
    items = value.tolist() if hasattr(value, "tolist") else list(value)
    if any(isinstance(item, list) for item in items):
        raise ValueError(f"{name} must be one-dimensional")
    for i, item in enumerate(items):
        if not _is_real_number(item):
            raise ValueError(
                f"{name}[{i}] must be a number; got {_show(item)} ({type(item).__name__})"
            )
    try:
        arr = np.asarray(items, dtype=float)
    except OverflowError:  # 10**400 among them
        raise ValueError(
            f"{name} must hold finite numbers; got a number too large for a float"
        ) from None
    for i, x in enumerate(arr):
        if not math.isfinite(x):
            raise ValueError(f"{name}[{i}] must be a finite number; got {x!r}")
        too_low = lo is not None and (x <= lo if lo_open else x < lo)
        if too_low or (hi is not None and x > hi):
            shown = _show_outside(x, f"{x:g}", lo, hi)
            raise ValueError(
                f"{name}[{i}] = {shown} is outside {_range_text(lo, hi, unit, lo_open)}{hint}"
            )
    return arr, wrap


def _broadcast(name_a, a, wrap_a, name_b, b, wrap_b):
    """Check that two checked arrays can pair up; return the wrap of the richer input."""
    if a.size != b.size and a.size != 1 and b.size != 1:
        raise ValueError(
            f"{name_a} and {name_b} must have the same length; got {a.size} and {b.size}"
        )
    if wrap_a.rank == 2 and wrap_b.rank == 2 and not wrap_a.index.equals(wrap_b.index):
        raise ValueError(f"{name_a} and {name_b} are Series with different indexes")
    return wrap_a if wrap_a.rank >= wrap_b.rank else wrap_b


# ---------------------------------------------------------------------------------------------
# body-surface area and ECF dosing
# ---------------------------------------------------------------------------------------------

#: Heights and weights :func:`bsa` accepts (inclusive); outside them, a unit error is likely
#: (a height in metres). Most adult weights in pounds (100–250 lb) fall inside the weight range:
#: :func:`ecf_dose_sheet` checks height and weight together (:data:`BMI_RANGE_KG_M2`).
HEIGHT_RANGE_CM = (100.0, 250.0)
WEIGHT_RANGE_KG = (25.0, 250.0)
HEIGHT_LO, HEIGHT_HI = HEIGHT_RANGE_CM
WEIGHT_LO, WEIGHT_HI = WEIGHT_RANGE_KG

#: Body-mass indexes (kg/m², inclusive) :func:`ecf_dose_sheet` accepts without confirmation.
#: A weight in pounds taken as kg multiplies the BMI by 2.2: 150 lb (68 kg) at 165 cm reads as
#: a BMI of 55 instead of 25. 40 kg/m² is where obesity class III begins: above it (or below
#: 12, a build hardly compatible with life) the sheet refuses until ``bmi_confirmed=True``. A
#: weight in pounds stays unnoticed when the true BMI is below about 40 / 2.2 = 18 kg/m².
BMI_RANGE_KG_M2 = (12.0, 40.0)

#: Kilograms in one pound (exact, by definition), for the "weight in pounds?" hint.
_KG_PER_LB = 0.45359237


def bsa(height_cm, weight_kg, formula: str = "mosteller"):
    """Body-surface area in m².

    Parameters
    ----------
    height_cm, weight_kg : number or array-like or pandas.Series
        Height in cm (accepted 100–250 cm inclusive) and weight in kg (25–250 kg inclusive).
        Arrays and Series are computed element-wise; a Series keeps its index.
    formula : {"mosteller", "dubois"}
        ``"mosteller"`` (default): :math:`\\sqrt{h\\,w/3600}` :cite:p:`mosteller1987`.
        ``"dubois"``: :math:`0.007184\\,w^{0.425}\\,h^{0.725}` :cite:p:`dubois1916`.
        The two agree within about 2% for adults of ordinary build and diverge most for very
        light or very heavy patients; the study does not say which one it used.

    Returns
    -------
    float, numpy.ndarray or pandas.Series
        Unrounded BSA in m² (round for display only).

    Raises
    ------
    ValueError
        For a non-number (strings, ``None``, booleans), NaN or infinity, a height outside
        100–250 cm or a weight outside 25–250 kg (such values are almost always unit errors,
        e.g. a height in metres), or an unknown ``formula``. The message names the argument and
        the offending value (and its position for arrays). Most weights in pounds (100–250 lb)
        pass these limits: :func:`ecf_dose_sheet` also checks the BMI
        (:data:`BMI_RANGE_KG_M2`); ``bsa`` alone does not.

    Examples
    --------
    >>> round(bsa(170, 65), 4)  # sqrt(170*65/3600) = sqrt(3.069444)
    1.752
    """
    if not isinstance(formula, str) or formula.lower() not in ("mosteller", "dubois"):
        raise ValueError(f"formula must be 'mosteller' or 'dubois'; got {formula!r}")
    hint_h = " (height in cm, e.g. 170, not metres)"
    hint_w = " (weight in kg, not pounds)"
    h, wrap_h = _as_array(
        height_cm, "height_cm", lo=HEIGHT_LO, hi=HEIGHT_HI, unit="cm", hint=hint_h
    )
    w, wrap_w = _as_array(
        weight_kg, "weight_kg", lo=WEIGHT_LO, hi=WEIGHT_HI, unit="kg", hint=hint_w
    )
    wrap = _broadcast("height_cm", h, wrap_h, "weight_kg", w, wrap_w)
    if formula.lower() == "mosteller":
        result = np.sqrt(h * w / 3600.0)
    else:
        result = 0.007184 * w**0.425 * h**0.725
    return wrap(result)


class _Administration(NamedTuple):
    drug: str
    day: int
    dose_mg_m2: float
    infusion_hours: float


#: The study's ECF regimen, one administration per row (Methods of :cite:t:`hien2024`, after
#: :cite:t:`hien2023`): epirubicin 35 mg/m² on day 1; 5-fluorouracil 500 mg/m² over 5 h on
#: days 1 and 3; cisplatin 60 mg/m² over 2 h on day 2; cycles about monthly, all given through
#: the hepatic-artery port. The paper gives no infusion time for epirubicin (NaN here).
ECF_REGIMEN: tuple[_Administration, ...] = (
    _Administration("epirubicin", 1, 35.0, float("nan")),
    _Administration("5-fluorouracil", 1, 500.0, 5.0),
    _Administration("cisplatin", 2, 60.0, 2.0),
    _Administration("5-fluorouracil", 3, 500.0, 5.0),
)

#: Epirubicin per ECF cycle (mg/m²): the sum over :data:`ECF_REGIMEN`, 35 mg/m² on day 1.
EPIRUBICIN_PER_CYCLE_MG_M2 = sum(a.dose_mg_m2 for a in ECF_REGIMEN if a.drug == "epirubicin")

#: The BSA cap (m²) of :func:`ecf_dose_sheet` by default: above it, a capped dose is given too.
BSA_CAP_M2 = 2.0

#: Cumulative epirubicin checkpoints (mg/m²). 900 mg/m² is the cumulative level beyond which the
#: product information warns that the risk of heart failure rises steeply
#: (:cite:t:`ema_epirubicin`).
#: 550 and 700 mg/m² are earlier, conservative checkpoints this book sets so that cardiac
#: function is reviewed well before that level; they are not evidence-based limits.
EPIRUBICIN_CUMULATIVE_THRESHOLDS_MG_M2 = (550.0, 700.0, 900.0)

#: Default cisplatin renal bands ``(lower, upper, percent)``: ``lower <= eGFR < upper`` →
#: give ``percent`` of the dose; 0 means avoid. eGFR >= 60 mL/min → full dose. After
#: :cite:t:`kintzel1995`, who tabulate creatinine clearance; centres differ in the cut-offs,
#: hence the bands are a parameter.
DEFAULT_RENAL_BANDS: tuple[tuple[float, float, float], ...] = (
    (50.0, 60.0, 75.0),
    (40.0, 50.0, 50.0),
    (0.0, 40.0, 0.0),
)


#: Epirubicin hepatic bands (:cite:t:`ema_epirubicin`): bilirubin (mg/dL) and AST (× ULN)
#: limits. Within ``[low, high]`` → 50% of the starting dose; above ``high`` → 25%.
EPIRUBICIN_BILIRUBIN_BAND_MG_DL = (1.2, 3.0)
EPIRUBICIN_AST_BAND_X_ULN = (2.0, 4.0)
EPIRUBICIN_HEPATIC_PERCENT = (50.0, 25.0)

#: Bilirubin (mg/dL) above which epirubicin is withheld: severe hepatic impairment, where the
#: product information contraindicates it (:cite:t:`ema_epirubicin`, section 4.3) and dose
#: tables say omit (bilirubin > 5 mg/dL, :cite:t:`floyd2006`). Between 3 and 5 mg/dL the
#: 25% band applies; above 5 mg/dL the sheet warns "withhold" and recommends 0%.
EPIRUBICIN_WITHHOLD_BILIRUBIN_MG_DL = 5.0

#: Highest cycle number accepted: monthly cycles for four years; a larger number is a typo.
ECF_MAX_CYCLE = 50

#: Highest prior cumulative epirubicin accepted (mg/m²); beyond it a unit error (mg instead of
#: mg/m²) is far likelier than a real history (the heart-failure level is about 900 mg/m²).
PRIOR_EPIRUBICIN_MAX_MG_M2 = 2000.0

#: Highest prior cumulative doxorubicin accepted (mg/m²), e.g. from TACE; beyond it a unit
#: error (mg instead of mg/m²) is far likelier than a real history. :func:`ecf_dose_sheet`
#: never converts doxorubicin into epirubicin: it warns instead.
PRIOR_DOXORUBICIN_MAX_MG_M2 = 1000.0


def _m2(x: float) -> str:
    """An area as printed in warnings: 2.0, 1.85 (at least one decimal)."""
    return f"{x:.1f}" if round(x, 1) == x else f"{x:g}"


def _bmi_text(bmi: float) -> str:
    """A BMI as printed: one decimal, more when one decimal would print a range edge (40.0)."""
    for decimals in range(1, 18):  # 40.0000444 (90.0001 kg at 150 cm): 40.00004, never 40
        text = f"{bmi:.{decimals}f}"
        if float(text) not in BMI_RANGE_KG_M2 or float(text) == bmi:
            return text
    return repr(bmi)


def _check_bands(bands) -> tuple[tuple[float, float, float], ...]:
    try:
        rows = [tuple(b) for b in bands]
    except TypeError:
        raise ValueError(
            f"renal_bands must be a sequence of (lower, upper, percent); got {bands!r}"
        ) from None
    out = []
    for i, row in enumerate(rows):
        if len(row) != 3 or not all(_is_real_number(v) for v in row):
            raise ValueError(
                f"renal_bands[{i}] must be three numbers (lower, upper, percent); got {row!r}"
            )
        try:
            lower, upper, percent = (float(v) for v in row)
        except OverflowError:  # 10**400: an int too large for a float
            lower = upper = percent = math.nan  # refused just below
        if not (0 <= lower < upper) or not (0 <= percent <= 100):
            raise ValueError(
                f"renal_bands[{i}] = {row!r} needs 0 <= lower < upper and 0 <= percent <= 100"
            )
        out.append((lower, upper, percent))
    out.sort()
    for (_, u1, _), (l2, _, _) in zip(out, out[1:], strict=False):
        if l2 < u1:
            raise ValueError(f"renal_bands overlap: {out!r}")
    return tuple(out)


def _epirubicin_hepatic_percent(bilirubin_mg_dl, ast_u_l, ast_uln_u_l) -> tuple[float, list[str]]:
    """Epirubicin starting-dose percent from bilirubin and AST (the more severe band wins)."""
    b_low, b_high = EPIRUBICIN_BILIRUBIN_BAND_MG_DL
    a_low, a_high = EPIRUBICIN_AST_BAND_X_ULN
    half, quarter = EPIRUBICIN_HEPATIC_PERCENT
    percent, reasons = 100.0, []
    if bilirubin_mg_dl is not None:
        if bilirubin_mg_dl > EPIRUBICIN_WITHHOLD_BILIRUBIN_MG_DL:
            percent = 0.0
            reasons.append(
                f"bilirubin {bilirubin_mg_dl:g} mg/dL > {EPIRUBICIN_WITHHOLD_BILIRUBIN_MG_DL:g}"
            )
        elif bilirubin_mg_dl > b_high:
            percent = min(percent, quarter)
            reasons.append(f"bilirubin {bilirubin_mg_dl:g} mg/dL > {b_high:g}")
        elif bilirubin_mg_dl >= b_low:
            percent = min(percent, half)
            reasons.append(f"bilirubin {bilirubin_mg_dl:g} mg/dL in {b_low:g}–{b_high:g}")
    if ast_u_l is not None:
        ratio = ast_u_l / ast_uln_u_l
        if ratio > a_high:
            percent = min(percent, quarter)
            reasons.append(f"AST {ast_u_l:g} U/L = {ratio:.2f} × ULN > {a_high:g}")
        elif ratio >= a_low:
            percent = min(percent, half)
            reasons.append(f"AST {ast_u_l:g} U/L = {ratio:.2f} × ULN in {a_low:g}–{a_high:g}")
    return percent, reasons


def ecf_dose_sheet(
    height_cm,
    weight_kg,
    *,
    formula: str = "mosteller",
    cycle: int = 1,
    prior_epirubicin_mg_m2: float | None = 0.0,
    prior_doxorubicin_mg_m2: float = 0.0,
    bmi_confirmed: bool = False,
    bilirubin_mg_dl: float | None = None,
    ast_u_l: float | None = None,
    egfr_ml_min: float | None = None,
    ast_uln_u_l: float = 40.0,
    bsa_cap_m2: float = BSA_CAP_M2,
    renal_bands: Sequence[tuple[float, float, float]] = DEFAULT_RENAL_BANDS,
) -> pd.DataFrame:
    """Dose sheet of one ECF cycle for one patient, with warnings; never changes a dose.

    The regimen is :data:`ECF_REGIMEN` (the study's Methods, :cite:t:`hien2024`): epirubicin
    35 mg/m² on day 1, 5-fluorouracil 500 mg/m² over 5 h on days 1 and 3, cisplatin 60 mg/m²
    over 2 h on day 2, each dose = dose per m² × BSA (:func:`bsa`).

    Parameters
    ----------
    height_cm, weight_kg : float
        One patient (see :func:`bsa` for the accepted ranges), in cm and kg. Together they
        must give a BMI within :data:`BMI_RANGE_KG_M2` (12–40 kg/m², inclusive) unless
        ``bmi_confirmed``: a BMI above 40 is most often a weight in pounds taken as kg
        (150 lb at 165 cm reads as BMI 55, BSA 2.62 instead of 1.77 m²).
    formula : {"mosteller", "dubois"}
    cycle : int
        Cycle number (1 to :data:`ECF_MAX_CYCLE`), printed on the sheet.
    prior_epirubicin_mg_m2 : float or None
        Cumulative *epirubicin* (mg/m², 0 to :data:`PRIOR_EPIRUBICIN_MAX_MG_M2`) given before
        this cycle: earlier ECF cycles (35 mg/m² each) and epirubicin given with TACE. Not
        doxorubicin (see ``prior_doxorubicin_mg_m2``). ``None`` means unknown: for a cycle
        above 1 the sheet then warns that the cumulative dose is unknown and states no
        cumulative figure (``attrs["cumulative_epirubicin_mg_m2"]`` is NaN).
    prior_doxorubicin_mg_m2 : float
        Cumulative doxorubicin (mg/m², 0 to :data:`PRIOR_DOXORUBICIN_MAX_MG_M2`) given before,
        e.g. mixed with Lipiodol at TACE; default 0 (none). Doxorubicin is more cardiotoxic per
        mg/m² than epirubicin, and the book cites no conversion between the two: it is never
        added to the epirubicin total. Above 0, every sheet warns that the epirubicin
        checkpoints understate the heart's exposure.
    bmi_confirmed : bool
        ``True`` when the prescriber has checked a height and weight whose BMI falls outside
        :data:`BMI_RANGE_KG_M2`: the sheet is then made, with a warning recording it.
    bilirubin_mg_dl, ast_u_l : float, optional
        Latest total bilirubin (> 0, at most 50 mg/dL) and AST (> 0, at most 10,000 U/L), for
        the epirubicin hepatic bands; a measured value is never 0 (leave it out when unknown).
    egfr_ml_min : float, optional
        Latest eGFR (or creatinine clearance), for the cisplatin renal bands.
    ast_uln_u_l : float
        Upper limit of normal for AST (default 40 U/L, the cut-off used in Table 2).
    bsa_cap_m2 : float
        BSA above which many centres cap the dose (default 2.0 m²).
    renal_bands : sequence of (lower, upper, percent)
        Cisplatin bands, ``lower <= eGFR < upper`` → ``percent`` (0 = avoid); default
        :data:`DEFAULT_RENAL_BANDS`.

    Returns
    -------
    pandas.DataFrame
        One row per administration, columns ``cycle, drug, day, dose_mg_m2, dose_mg,
        infusion_hours`` (``dose_mg`` unrounded); plus ``dose_mg_capped`` (dose at
        ``bsa_cap_m2``) when BSA > ``bsa_cap_m2``; plus ``recommended_percent`` and
        ``recommended_dose_mg`` (percent × ``dose_mg``) when a hepatic or renal band applies.
        ``attrs``: ``"bsa_m2"``, ``"bmi_kg_m2"``, ``"bmi_text"`` (the BMI as the warnings
        print it: one decimal, more where one would print a range edge), ``"formula"``,
        ``"cumulative_epirubicin_mg_m2"`` (epirubicin only, after this cycle),
        ``"prior_doxorubicin_mg_m2"`` and ``"warnings"`` (list of one-line strings; empty for
        a patient with no issue).

    Raises
    ------
    ValueError
        Naming the argument and value: height/weight as in :func:`bsa`; a BMI outside
        :data:`BMI_RANGE_KG_M2` without ``bmi_confirmed`` (the message gives the BMI and, above
        the range, the weight read as pounds); ``cycle`` not an integer from 1 to
        :data:`ECF_MAX_CYCLE`; a prior dose that is negative, non-finite or above
        :data:`PRIOR_EPIRUBICIN_MAX_MG_M2` (:data:`PRIOR_DOXORUBICIN_MAX_MG_M2` for
        doxorubicin); bilirubin or AST that is not > 0 or above its
        range; a negative or non-finite eGFR; ``ast_uln_u_l`` or ``bsa_cap_m2`` not > 0;
        malformed ``renal_bands``.

    Notes
    -----
    Warnings, each with its source:

    * BMI outside :data:`BMI_RANGE_KG_M2` confirmed with ``bmi_confirmed=True`` (first).
    * BSA > ``bsa_cap_m2`` (strictly above; 2.0 m² itself is not flagged): both the full and
      the capped doses are shown, the choice is the prescriber's.
    * Cumulative epirubicin reaching or crossing 550, 700 or 900 mg/m² with this cycle
      (``prior < threshold <= prior + 35``); on every later cycle a reminder that the prior
      total is already at or past the highest checkpoint below 900 mg/m² it has reached (unless
      the cycle crosses the next one); and every cycle once the prior total is already
      >= 900 mg/m² (:data:`EPIRUBICIN_CUMULATIVE_THRESHOLDS_MG_M2`; :cite:t:`ema_epirubicin`).
      ``attrs["checkpoints_crossed_mg_m2"]`` lists only the checkpoints this cycle crosses.
      Also a warning when ``prior_epirubicin_mg_m2`` is less than the earlier ECF cycles
      alone would have given (``35 × (cycle − 1)``).
    * Epirubicin hepatic bands (epirubicin prescribing information, :cite:t:`ema_epirubicin`):
      bilirubin 1.2–3 mg/dL or AST 2–4 × ULN → 50%; bilirubin > 3 mg/dL or AST > 4 × ULN →
      25%. Boundaries: 1.2 and 3.0 mg/dL and 2.0 and 4.0 × ULN belong to the 50% band; the
      more severe of the two criteria applies.
    * Withhold epirubicin when bilirubin is above 5 mg/dL
      (:data:`EPIRUBICIN_WITHHOLD_BILIRUBIN_MG_DL`): severe hepatic impairment, a
      contraindication in the product information (:cite:t:`ema_epirubicin`), "omit" in dose
      tables (:cite:t:`floyd2006`); the warning comes first and ``recommended_percent`` is 0.
    * Unknown cumulative dose: ``prior_epirubicin_mg_m2=None`` with ``cycle`` above 1.
    * Prior doxorubicin above 0, on every cycle: not counted in the epirubicin total, so the
      checkpoints understate the exposure; the product information asks that earlier
      anthracyclines be taken into account (:cite:t:`ema_epirubicin`) but gives no conversion.
    * Cisplatin renal bands (:cite:t:`kintzel1995`; default eGFR 50–<60 → 75%, 40–<50 →
      50%, < 40 → avoid; 60 and above → full dose).

    Examples
    --------
    Mosteller BSA √(170 × 65 / 3600) = 1.752 m²; epirubicin 35 mg/m² is 61.3 mg:

    >>> sheet = ecf_dose_sheet(170, 65)
    >>> round(sheet.attrs["bsa_m2"], 3)
    1.752
    >>> list(zip(sheet["drug"], sheet["day"], sheet["dose_mg_m2"]))  # doctest: +NORMALIZE_WHITESPACE
    [('epirubicin', 1, 35.0), ('5-fluorouracil', 1, 500.0), ('cisplatin', 2, 60.0),
     ('5-fluorouracil', 3, 500.0)]
    >>> round(float(sheet.loc[0, "dose_mg"]), 1), sheet.attrs["warnings"]
    (61.3, [])

    A weight of 150 lb typed as kg is refused; 68 kg is the same patient:

    >>> try:
    ...     ecf_dose_sheet(165, 150)
    ... except ValueError as error:
    ...     print(error)  # doctest: +ELLIPSIS
    weight_kg = 150 with height_cm = 165 is a BMI of 55.1 kg/m², outside ...
    >>> round(ecf_dose_sheet(165, 68).attrs["bsa_m2"], 2)
    1.77
    """
    for name, value in (("height_cm", height_cm), ("weight_kg", weight_kg)):
        if not np.isscalar(value) or isinstance(value, str):
            _check_scalar(value, name)  # raises with the argument's name
    body_surface = float(bsa(height_cm, weight_kg, formula=formula))
    confirmed = _check_flag(bmi_confirmed, "bmi_confirmed")
    body_mass_index = float(weight_kg) / (float(height_cm) / 100.0) ** 2
    bmi_lo, bmi_hi = BMI_RANGE_KG_M2
    bmi_outside = not bmi_lo <= body_mass_index <= bmi_hi
    bmi_text = _bmi_text(body_mass_index)
    if bmi_outside and not confirmed:
        if body_mass_index > bmi_hi:
            pounds = float(weight_kg) * _KG_PER_LB
            check = (
                f"is the weight in pounds ({_show(weight_kg)} lb = {pounds:.1f} kg)? "
                "A weight in pounds taken as kg overdoses every drug"
            )
        else:
            check = "check the weight (kg) and the height (cm)"
        raise ValueError(
            f"weight_kg = {_show(weight_kg)} with height_cm = {_show(height_cm)} is a BMI of "
            f"{bmi_text} kg/m², outside {_range_text(bmi_lo, bmi_hi, 'kg/m²')}: "
            f"{check}. If both are right, pass bmi_confirmed=True"
        )
    if (
        isinstance(cycle, bool | np.bool_)
        or not isinstance(cycle, numbers.Integral)
        or not 1 <= cycle <= ECF_MAX_CYCLE
    ):
        raise ValueError(
            f"cycle must be a whole number from 1 to {ECF_MAX_CYCLE}; got {_show(cycle)}"
        )
    prior_known = prior_epirubicin_mg_m2 is not None
    doxorubicin = _check_scalar(
        prior_doxorubicin_mg_m2,
        "prior_doxorubicin_mg_m2",
        lo=0,
        hi=PRIOR_DOXORUBICIN_MAX_MG_M2,
        unit="mg/m²",
        hint=" (cumulative mg per m² of body surface, not mg)",
    )
    prior = (
        _check_scalar(
            prior_epirubicin_mg_m2,
            "prior_epirubicin_mg_m2",
            lo=0,
            hi=PRIOR_EPIRUBICIN_MAX_MG_M2,
            unit="mg/m²",
            hint=" (cumulative mg per m² of body surface, not mg)",
        )
        if prior_known
        else 0.0
    )
    bili = (
        None
        if bilirubin_mg_dl is None
        else _check_scalar(
            bilirubin_mg_dl,
            "bilirubin_mg_dl",
            lo=0,
            lo_open=True,
            hi=50,
            unit="mg/dL",
            hint=" (a measured total bilirubin is never 0; leave it out when unknown)",
        )
    )
    ast = (
        None
        if ast_u_l is None
        else _check_scalar(
            ast_u_l,
            "ast_u_l",
            lo=0,
            lo_open=True,
            hi=10000,
            unit="U/L",
            hint=" (a measured AST is never 0; leave it out when unknown)",
        )
    )
    egfr = (
        None
        if egfr_ml_min is None
        else _check_scalar(egfr_ml_min, "egfr_ml_min", lo=0, hi=300, unit="mL/min")
    )
    uln = _check_scalar(ast_uln_u_l, "ast_uln_u_l", lo=0, lo_open=True, unit="U/L")
    cap = _check_scalar(bsa_cap_m2, "bsa_cap_m2", lo=0, lo_open=True, unit="m²")
    bands = _check_bands(renal_bands)

    sheet = pd.DataFrame(
        {
            "cycle": int(cycle),
            "drug": [a.drug for a in ECF_REGIMEN],
            "day": [a.day for a in ECF_REGIMEN],
            "dose_mg_m2": [a.dose_mg_m2 for a in ECF_REGIMEN],
            "infusion_hours": [a.infusion_hours for a in ECF_REGIMEN],
        }
    )
    sheet.insert(4, "dose_mg", sheet["dose_mg_m2"] * body_surface)
    warnings: list[str] = []
    if bmi_outside:
        warnings.append(
            f"BMI {bmi_text} kg/m² ({_show(height_cm)} cm, {_show(weight_kg)} kg) "
            f"is outside {bmi_lo:g}–{bmi_hi:g} kg/m², confirmed by the prescriber: every dose "
            "rests on this height and weight (kg, not pounds)."
        )

    if body_surface > cap:
        sheet["dose_mg_capped"] = sheet["dose_mg_m2"] * cap
        warnings.append(
            f"BSA {body_surface:.2f} m² is above {_m2(cap)} m²: many centres cap the dose at "
            f"{_m2(cap)} m²; both doses are shown (the full dose and the dose capped at that BSA)."
        )

    per_cycle = sum(a.dose_mg_m2 for a in ECF_REGIMEN if a.drug == "epirubicin")
    after = prior + per_cycle
    top = max(EPIRUBICIN_CUMULATIVE_THRESHOLDS_MG_M2)
    expected_prior = per_cycle * (int(cycle) - 1)
    if not prior_known and int(cycle) > 1:
        warnings.append(
            f"Unknown cumulative epirubicin: cycle {cycle} but no prior dose given; "
            f"{int(cycle) - 1} earlier ECF cycle(s) alone would give {expected_prior:g} mg/m² "
            "(more with anthracycline given with TACE). Give the prior cumulative dose before "
            "checking it against the cardiac thresholds."
        )
    elif prior < expected_prior:
        warnings.append(
            f"Cycle {cycle} but prior epirubicin is {prior:g} mg/m², less than the "
            f"{expected_prior:g} mg/m² that {int(cycle) - 1} earlier ECF cycle(s) alone give: "
            "check the cumulative dose (include anthracycline given with TACE)."
        )
    crossed = []  # checkpoints this cycle crosses, for attrs["checkpoints_crossed_mg_m2"]
    for threshold in EPIRUBICIN_CUMULATIVE_THRESHOLDS_MG_M2 if prior_known or cycle == 1 else ():
        if prior < threshold <= after:
            crossed.append(threshold)
            warnings.append(
                f"Cumulative epirubicin reaches {after:g} mg/m² with this cycle, crossing "
                f"{threshold:g} mg/m²: check cardiac function (LVEF) before giving it."
            )
    passed = [t for t in EPIRUBICIN_CUMULATIVE_THRESHOLDS_MG_M2 if t < top and t <= prior]
    if prior_known and passed and not crossed and prior < top:
        # a checkpoint reached at an earlier cycle: the reminder comes back on every cycle
        # (a cycle that crosses a higher checkpoint has that warning instead)
        warnings.append(
            f"Cumulative epirubicin is already {prior:g} mg/m² before this cycle, "
            f"{'at' if prior == max(passed) else 'past'} the {max(passed):g} mg/m² checkpoint, "
            f"and reaches {after:g} mg/m²: check cardiac "
            "function (LVEF) as your protocol requires before giving it."
        )
    if prior_known and prior >= top:
        warnings.append(
            f"Cumulative epirubicin is already {prior:g} mg/m² (>= {top:g} mg/m²) before this "
            f"cycle and reaches {after:g} mg/m²: heart-failure risk rises steeply; "
            "reconsider epirubicin."
        )
    if doxorubicin > 0:
        warnings.append(
            f"Prior doxorubicin {doxorubicin:g} mg/m² is not counted in the cumulative "
            "epirubicin: doxorubicin is more cardiotoxic per mg/m² and this sheet converts "
            "neither drug into the other, so the epirubicin checkpoints understate the heart's "
            "exposure. Weigh the total anthracycline dose as your protocol requires and check "
            "cardiac function (LVEF) before this cycle."
        )

    recommended = pd.Series(100.0, index=sheet.index)
    hep_percent, hep_reasons = _epirubicin_hepatic_percent(bili, ast, uln)
    if hep_percent == 0:
        recommended[sheet["drug"] == "epirubicin"] = 0.0
        warnings.insert(
            0,
            f"WITHHOLD epirubicin ({'; '.join(hep_reasons)}): severe hepatic impairment, a "
            "contraindication in the product information; do not give it (not applied; the "
            "sheet still shows the full dose).",
        )
    elif hep_percent < 100:
        recommended[sheet["drug"] == "epirubicin"] = hep_percent
        warnings.append(
            f"Epirubicin hepatic band ({'; '.join(hep_reasons)}): recommended "
            f"{hep_percent:g}% of the dose (not applied: the dose column is the full dose; see the recommended dose)."
        )
    if egfr is not None:
        for lower, upper, percent in bands:
            if lower <= egfr < upper:
                recommended[sheet["drug"] == "cisplatin"] = percent
                if percent == 0:
                    warnings.append(
                        f"Cisplatin renal band (eGFR {egfr:g} mL/min in {lower:g}–<{upper:g}): "
                        "avoid cisplatin (not applied; the sheet still shows the full dose)."
                    )
                else:
                    warnings.append(
                        f"Cisplatin renal band (eGFR {egfr:g} mL/min in {lower:g}–<{upper:g}): "
                        f"recommended {percent:g}% of the dose (not applied: the dose column is "
                        "the full dose; see the recommended dose)."
                    )
                break
    if (recommended < 100).any():
        sheet["recommended_percent"] = recommended
        sheet["recommended_dose_mg"] = sheet["dose_mg"] * recommended / 100.0

    sheet.attrs["bsa_m2"] = body_surface
    sheet.attrs["bmi_kg_m2"] = body_mass_index
    sheet.attrs["bmi_text"] = bmi_text
    sheet.attrs["formula"] = formula.lower()
    known = prior_known or int(cycle) == 1
    sheet.attrs["cumulative_epirubicin_mg_m2"] = after if known else float("nan")
    sheet.attrs["cumulative_epirubicin_known"] = known
    sheet.attrs["checkpoints_crossed_mg_m2"] = crossed
    sheet.attrs["prior_doxorubicin_mg_m2"] = doxorubicin
    sheet.attrs["warnings"] = warnings
    return sheet


# ---------------------------------------------------------------------------------------------
# liver function: Child-Pugh and ALBI
# ---------------------------------------------------------------------------------------------

_ASCITES = {
    "none": 1,
    "absent": 1,
    "mild": 2,
    "slight": 2,
    "moderate": 3,
    "severe": 3,
    "moderate-severe": 3,
    "moderate/severe": 3,
}
_ENCEPHALOPATHY = {
    "none": 1,
    "absent": 1,
    "grade1-2": 2,
    "grade3-4": 3,
}


def _category_points(value, table: dict[str, int], name: str) -> int:
    if not isinstance(value, str):
        raise ValueError(f"{name} must be one of {sorted(set(table))}; got {_show(value)}")
    key = value.strip().lower().replace("–", "-").replace(" ", "")
    if key not in table:
        raise ValueError(f"{name} must be one of {sorted(set(table))}; got {_show(value)}")
    return table[key]


def _child_pugh_lab_points(bili, alb, inr):
    """Vectorised lab points (arrays in, int arrays out)."""
    p_bili = np.where(bili < 2.0, 1, np.where(bili <= 3.0, 2, 3))
    p_alb = np.where(alb > 3.5, 1, np.where(alb >= 2.8, 2, 3))
    p_inr = np.where(inr < 1.7, 1, np.where(inr <= 2.3, 2, 3))
    return p_bili + p_alb + p_inr


def child_pugh_class_from_points(points) -> np.ndarray:
    """Child-Pugh class of points (or scores), vectorised: A 5–6, B 7–9, C 10–15 :cite:p:`pugh1973`.

    The one place the class rule lives; :func:`child_pugh`, :func:`child_pugh_frame`,
    :func:`analysis.cohort.derive` and :mod:`analysis.paper` use it.

    Parameters
    ----------
    points : int or array_like of int
        Child-Pugh points, 5–15.

    Returns
    -------
    ndarray of str
        ``"A"``, ``"B"`` or ``"C"`` per value (a 0-d array for a scalar).

    Examples
    --------
    >>> child_pugh_class_from_points([5, 6, 7, 9, 10]).tolist()
    ['A', 'A', 'B', 'B', 'C']
    """
    points = np.asarray(points)
    return np.where(points <= 6, "A", np.where(points <= 9, "B", "C"))


_child_pugh_class = child_pugh_class_from_points


def child_pugh(bilirubin_mg_dl, albumin_g_dl, inr, ascites, encephalopathy) -> tuple[int, str]:
    """Child-Pugh points (5–15) and class for one patient :cite:p:`pugh1973`.

    ==========================  ==========  ===============  ==========
    component                   1 point     2 points         3 points
    ==========================  ==========  ===============  ==========
    total bilirubin (mg/dL)     < 2         2–3              > 3
    albumin (g/dL)              > 3.5       2.8–3.5          < 2.8
    INR                         < 1.7       1.7–2.3          > 2.3
    ascites                     none        mild             moderate(-severe)
    encephalopathy              none        grade1-2         grade3-4
    ==========================  ==========  ===============  ==========

    Class A: 5–6 points; B: 7–9; C: 10–15. Boundary values belong to the middle band
    (bilirubin 2.0 and 3.0 → 2 points; albumin 2.8 and 3.5 → 2; INR 1.7 and 2.3 → 2). Pugh's
    original table used prothrombin time; the INR bands are the usual modern substitute.

    Parameters
    ----------
    bilirubin_mg_dl : float
        Total bilirubin, mg/dL (0–50).
    albumin_g_dl : float
        Serum albumin, g/dL (0.5–7; a value above 7 is almost certainly g/L).
    inr : float
        International normalised ratio (0.5–10).
    ascites : str
        ``"none"``, ``"mild"`` or ``"moderate"``; also ``"absent"``, ``"slight"``,
        ``"severe"``, ``"moderate-severe"`` (case and spaces ignored).
    encephalopathy : str
        ``"none"``, ``"grade1-2"`` or ``"grade3-4"``; also ``"absent"``, ``"grade 1-2"``.

    Returns
    -------
    (int, str)
        Points and class ``"A"``, ``"B"`` or ``"C"``.

    Raises
    ------
    ValueError
        Naming the argument and value for a non-number, NaN, out-of-range value or unknown
        category.

    Examples
    --------
    Bilirubin < 2 mg/dL, albumin > 3.5 g/dL, INR < 1.7, no ascites, no encephalopathy: one point
    each; bilirubin 2–3, albumin 2.8–3.5, INR 1.7–2.3 and mild ascites: two points each.

    >>> child_pugh(1.5, 3.8, 1.1, "none", "none")
    (5, 'A')
    >>> child_pugh(2.5, 3.0, 1.8, "mild", "none")
    (9, 'B')
    """
    bili = _check_scalar(bilirubin_mg_dl, "bilirubin_mg_dl", lo=0, hi=50, unit="mg/dL")
    alb = _check_scalar(
        albumin_g_dl, "albumin_g_dl", lo=0.5, hi=7, unit="g/dL", hint=" (g/L? divide by 10)"
    )
    inr_value = _check_scalar(inr, "inr", lo=0.5, hi=10)
    points = int(_child_pugh_lab_points(np.array(bili), np.array(alb), np.array(inr_value)))
    points += _category_points(ascites, _ASCITES, "ascites")
    points += _category_points(encephalopathy, _ENCEPHALOPATHY, "encephalopathy")
    return points, str(_child_pugh_class(points))


def child_pugh_frame(df: pd.DataFrame) -> pd.DataFrame:
    """Child-Pugh points and class for every row of a cohort, vectorised.

    Uses the cohort columns ``bilirubin_mg_dl``, ``albumin_g_dl``, ``inr``, ``ascites``,
    ``encephalopathy`` with the rules of :func:`child_pugh`.

    Parameters
    ----------
    df : DataFrame
        A cohort with the five component columns named above.

    Returns
    -------
    pandas.DataFrame
        Same index, columns ``child_pugh_points`` (int) and ``child_pugh_class`` (A/B/C).

    Raises
    ------
    ValueError
        Naming the missing column, or the column, row label and value that breaks a rule.

    Examples
    --------
    Row 0 scores 1 point on each of the five items (5, class A); row 1 scores 2 on each of the
    first four (bilirubin 2–3 mg/dL, albumin 2.8–3.5 g/dL, INR 1.7–2.3, mild ascites) and 1 for
    no encephalopathy (9, class B).

    >>> d = pd.DataFrame({
    ...     "bilirubin_mg_dl": [1.0, 2.5], "albumin_g_dl": [4.0, 3.0], "inr": [1.1, 1.8],
    ...     "ascites": ["none", "mild"], "encephalopathy": ["none", "none"],
    ... })
    >>> child_pugh_frame(d)
       child_pugh_points child_pugh_class
    0                  5                A
    1                  9                B
    """
    needed = ["bilirubin_mg_dl", "albumin_g_dl", "inr", "ascites", "encephalopathy"]
    _require_columns(df, needed)
    bili, _ = _as_array(df["bilirubin_mg_dl"].to_numpy(), "bilirubin_mg_dl", lo=0, hi=50)
    alb, _ = _as_array(df["albumin_g_dl"].to_numpy(), "albumin_g_dl", lo=0.5, hi=7)
    inr, _ = _as_array(df["inr"].to_numpy(), "inr", lo=0.5, hi=10)
    points = _child_pugh_lab_points(bili, alb, inr)
    for column, table in (("ascites", _ASCITES), ("encephalopathy", _ENCEPHALOPATHY)):
        pts = []
        for label, value in df[column].items():
            try:
                pts.append(_category_points(value, table, column))
            except ValueError as exc:
                raise ValueError(f"row {_show(label)}: {exc}") from None
        points = points + np.array(pts, dtype=int)
    return pd.DataFrame(
        {"child_pugh_points": points.astype(int), "child_pugh_class": _child_pugh_class(points)},
        index=df.index,
    )


def _require_columns(df, columns) -> None:
    if not isinstance(df, pd.DataFrame):
        raise ValueError(f"expected a pandas DataFrame; got {type(df).__name__}")
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise ValueError(f"missing column(s) {missing}; needed: {list(columns)}")


#: µmol/L per mg/dL of bilirubin (1 mg/dL = 17.104 µmol/L; molar mass 584.66 g/mol).
BILIRUBIN_UMOL_PER_MG_DL = 17.104


def bilirubin_mg_dl_to_umol_l(bilirubin_mg_dl):
    """Convert bilirubin from mg/dL to µmol/L (× 17.104). Vectorised; rejects negatives/NaN.

    Parameters
    ----------
    bilirubin_mg_dl : float or array_like
        Bilirubin in mg/dL, >= 0.

    Returns
    -------
    float or ndarray
        Bilirubin in µmol/L.

    Examples
    --------
    >>> float(bilirubin_mg_dl_to_umol_l(1.0)), bilirubin_mg_dl_to_umol_l([0.5, 2.0]).tolist()
    (17.104, [8.552, 34.208])
    """
    x, wrap = _as_array(bilirubin_mg_dl, "bilirubin_mg_dl", lo=0, unit="mg/dL")
    return wrap(x * BILIRUBIN_UMOL_PER_MG_DL)


def albumin_g_dl_to_g_l(albumin_g_dl):
    """Convert albumin from g/dL to g/L (× 10). Vectorised; rejects negatives/NaN.

    Parameters
    ----------
    albumin_g_dl : float or array_like
        Albumin in g/dL, >= 0.

    Returns
    -------
    float or ndarray
        Albumin in g/L.

    Examples
    --------
    >>> albumin_g_dl_to_g_l([3.5, 4.0]).tolist()
    [35.0, 40.0]
    """
    x, wrap = _as_array(albumin_g_dl, "albumin_g_dl", lo=0, unit="g/dL")
    return wrap(x * 10.0)


def albi(bilirubin_umol_l, albumin_g_l):
    """ALBI score and grade :cite:p:`johnson2015`.

    score = 0.66 × log10(bilirubin, µmol/L) − 0.085 × albumin (g/L).
    Grade 1: score <= −2.60; grade 2: −2.60 < score <= −1.39; grade 3: score > −1.39.

    Parameters
    ----------
    bilirubin_umol_l : float or array-like
        Total bilirubin in µmol/L (> 0, <= 1000). Convert from mg/dL with
        :func:`bilirubin_mg_dl_to_umol_l`.
    albumin_g_l : float or array-like
        Albumin in g/L (10–70; a value below 10 is almost certainly g/dL: use
        :func:`albumin_g_dl_to_g_l`).

    Returns
    -------
    (score, grade)
        Floats/ints for scalars; arrays (or Series with the input's index) otherwise. The score
        is unrounded: grades are assigned on the unrounded score.

    Raises
    ------
    ValueError
        Naming the argument and value for non-numbers, NaN, bilirubin <= 0 (log undefined) and
        out-of-range values.

    Examples
    --------
    0.66 × log10(17.1) − 0.085 × 40 = 0.8138 − 3.4 = −2.586, above the grade 1 cut-off (−2.60):

    >>> score, grade = albi(17.1, 40)
    >>> round(score, 3), grade
    (-2.586, 2)
    """
    bili, wrap_bili = _as_array(
        bilirubin_umol_l, "bilirubin_umol_l", lo=0, hi=1000, unit="µmol/L", lo_open=True
    )
    alb, wrap_alb = _as_array(
        albumin_g_l, "albumin_g_l", lo=10, hi=70, unit="g/L", hint=" (g/dL? multiply by 10)"
    )
    wrap = _broadcast("bilirubin_umol_l", bili, wrap_bili, "albumin_g_l", alb, wrap_alb)
    score = 0.66 * np.log10(bili) - 0.085 * alb
    grade = np.where(score <= -2.60, 1, np.where(score <= -1.39, 2, 3))
    return wrap(score), wrap(grade)


def albi_frame(df: pd.DataFrame) -> pd.DataFrame:
    """ALBI score and grade for a cohort from ``bilirubin_mg_dl`` and ``albumin_g_dl``.

    Converts units (× 17.104 and × 10) then applies :func:`albi`. Returns columns
    ``albi_score`` and ``albi_grade`` with the cohort's index.

    Parameters
    ----------
    df : DataFrame
        A cohort with ``bilirubin_mg_dl`` and ``albumin_g_dl``.

    Returns
    -------
    DataFrame
        ``albi_score`` (float) and ``albi_grade`` (1–3), with the cohort's index.

    Examples
    --------
    Bilirubin 1.0 mg/dL is 17.104 µmol/L and albumin 4.0 g/dL is 40 g/L, so the first score is
    0.66 · log10(17.104) − 0.085 · 40 = −2.586 (grade 2: from −2.60 to −1.39).

    >>> d = pd.DataFrame({"bilirubin_mg_dl": [1.0, 2.5], "albumin_g_dl": [4.0, 3.0]})
    >>> albi_frame(d).round(3)
       albi_score  albi_grade
    0      -2.586           2
    1      -1.474           2
    """
    _require_columns(df, ["bilirubin_mg_dl", "albumin_g_dl"])
    score, grade = albi(
        bilirubin_mg_dl_to_umol_l(df["bilirubin_mg_dl"].astype(float)),
        albumin_g_dl_to_g_l(df["albumin_g_dl"].astype(float)),
    )
    return pd.DataFrame({"albi_score": score, "albi_grade": grade.astype(int)}, index=df.index)


# ---------------------------------------------------------------------------------------------
# staging: Vp class and BCLC 2022
# ---------------------------------------------------------------------------------------------

#: Japanese Vp classification of portal vein tumour thrombus :cite:p:`ikai2004`, as the
#: paper's table footnote uses it (paraphrased).
VP_DEFINITIONS = {
    "Vp0": "no tumour thrombus in the portal vein",
    "Vp1": "thrombus beyond (distal to) the second-order portal branches",
    "Vp2": "thrombus in a second-order portal branch",
    "Vp3": "thrombus in a first-order portal branch",
    "Vp4": "thrombus in the main trunk, or in a first-order branch on the side opposite the "
    "mainly involved lobe, or both",
}


def _vp_one(value) -> str:
    if _is_real_number(value) and float(value) in (0, 1, 2, 3, 4):
        return f"Vp{int(value)}"
    if isinstance(value, str):
        key = value.strip().lower().replace(" ", "")
        if key.startswith("vp") and key[2:] in ("0", "1", "2", "3", "4"):
            return f"Vp{key[2:]}"
    raise ValueError(f"pvtt must be one of Vp0–Vp4 (or 0–4); got {_show(value)}")


def vp_class(value):
    """Normalise a Vp class to ``"Vp0"``…``"Vp4"`` (:data:`VP_DEFINITIONS`, :cite:t:`ikai2004`).

    Accepts ``"Vp2"``, ``"vp 2"``, ``2``; a list/array/Series is mapped element-wise (a Series
    keeps its index). Raises ValueError naming the offending value.

    Parameters
    ----------
    value : str, int or array_like
        A Vp class (``"Vp2"``, ``"vp 2"``, ``2``), or a list, array or Series of them.

    Returns
    -------
    str, bool, ndarray or Series
        ``"Vp0"`` … ``"Vp4"``; an array for a list or array, a Series (same index) for a Series.

    Examples
    --------
    >>> vp_class("vp 2"), vp_class(3)
    ('Vp2', 'Vp3')
    >>> vp_class(["Vp0", 4]).tolist()
    ['Vp0', 'Vp4']
    """
    if isinstance(value, pd.Series):
        return value.map(_vp_one)
    if value is None or isinstance(value, str) or np.isscalar(value):
        return _vp_one(value)
    return np.array([_vp_one(v) for v in value], dtype=object)


_VP_GROUP = {"Vp0": "Vp0", "Vp1": "Vp1–2", "Vp2": "Vp1–2", "Vp3": "Vp3–4", "Vp4": "Vp3–4"}


def vp_group(value):
    """Table 2's PVTT grouping: ``"Vp0"``, ``"Vp1–2"`` or ``"Vp3–4"`` (en dash).

    Parameters
    ----------
    value : str, int or array_like
        A Vp class (``"Vp2"``, ``"vp 2"``, ``2``), or a list, array or Series of them.

    Returns
    -------
    str, bool, ndarray or Series
        ``"Vp0"``, ``"Vp1–2"`` or ``"Vp3–4"``; an array for a list or array, a Series (same index) for a Series.

    Examples
    --------
    >>> vp_group("Vp0"), vp_group("Vp2"), vp_group(4)
    ('Vp0', 'Vp1–2', 'Vp3–4')
    """
    vp = vp_class(value)
    if isinstance(vp, pd.Series):
        return vp.map(_VP_GROUP)
    if isinstance(vp, str):
        return _VP_GROUP[vp]
    return np.array([_VP_GROUP[v] for v in vp], dtype=object)


def macrovascular_invasion(value):
    """True when the Vp class is Vp1–Vp4, i.e. a tumour thrombus is visible in the portal vein.

    BCLC counts any imaging-visible portal invasion as macrovascular invasion
    :cite:p:`reig2022`, so every Vp class other than Vp0 counts.

    Parameters
    ----------
    value : str, int or array_like
        A Vp class (``"Vp2"``, ``"vp 2"``, ``2``), or a list, array or Series of them.

    Returns
    -------
    str, bool, ndarray or Series
        True for Vp1–Vp4, False for Vp0; an array for a list or array, a Series (same index) for a Series.

    Examples
    --------
    >>> macrovascular_invasion("Vp0"), macrovascular_invasion("Vp1"), macrovascular_invasion(4)
    (False, True, True)
    """
    vp = vp_class(value)
    if isinstance(vp, pd.Series):
        return vp != "Vp0"
    if isinstance(vp, str):
        return vp != "Vp0"
    return np.array([v != "Vp0" for v in vp], dtype=bool)


def _check_flag(value, name) -> bool:
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if _is_real_number(value) and value in (0, 1):  # no float(): 10**400 overflows
        return bool(value)
    raise ValueError(f"{name} must be True/False (or 1/0); got {_show(value)}")


def _check_int(value, name, lo=None, hi=None) -> int:
    if (
        isinstance(value, bool | np.bool_)
        or not _is_real_number(value)
        or not float(value).is_integer()
    ):
        raise ValueError(f"{name} must be a whole number; got {_show(value)}")
    v = int(value)
    if (lo is not None and v < lo) or (hi is not None and v > hi):
        raise ValueError(f"{name} = {_show(value)} is outside {_range_text(lo, hi, '')}")
    return v


def bclc_stage(
    ecog_ps,
    child_pugh_class,
    tumor_number,
    tumor_size_mm,
    macrovascular_invasion: bool,
    extrahepatic_spread: bool,
) -> str:
    """BCLC stage (2022 update, :cite:t:`reig2022`) by a documented, simplified rule set.

    Rules, applied in this order:

    1. **D** – end-stage liver function (here: Child-Pugh class C) or ECOG PS > 2.
    2. **C** – macrovascular (portal) invasion, or extrahepatic spread, or ECOG PS 1–2.
    3. **0** – a single tumour <= 20 mm (PS 0, preserved liver function).
    4. **A** – a single tumour of any size, or 2–3 tumours each <= 30 mm.
    5. **B** – anything else (multinodular beyond A).

    Simplifications (state them when teaching): BCLC 2022 judges "preserved liver function"
    clinically rather than by Child-Pugh class alone, and attributes PS 1–2 to the stage only
    when the impairment is cancer-related; here Child-Pugh A and B count as preserved and any
    PS 1–2 gives C. ``tumor_size_mm`` is the diameter of the largest tumour.

    Parameters
    ----------
    ecog_ps : int
        ECOG performance status, 0–4.
    child_pugh_class : {"A", "B", "C"}
        Child-Pugh class (:func:`child_pugh`).
    tumor_number : int
        Number of tumours, >= 1.
    tumor_size_mm : float
        Diameter of the largest tumour in mm, > 0.
    macrovascular_invasion, extrahepatic_spread : bool
        Present or not (0/1 accepted).

    Returns
    -------
    str
        ``"0"``, ``"A"``, ``"B"``, ``"C"`` or ``"D"``.

    Raises
    ------
    ValueError
        Naming the argument and value.

    Examples
    --------
    A single 15 mm tumour, ECOG 0, Child-Pugh A is very early (0); five nodules are intermediate
    (B); ECOG 1 or macrovascular invasion is advanced (C); Child-Pugh C is terminal (D).

    >>> bclc_stage(0, "A", 1, 15, False, False), bclc_stage(0, "A", 5, 40, False, False)
    ('0', 'B')
    >>> bclc_stage(1, "A", 1, 30, False, False), bclc_stage(0, "A", 1, 30, True, False)
    ('C', 'C')
    >>> bclc_stage(0, "C", 1, 30, False, False)
    'D'
    """
    ps = _check_int(ecog_ps, "ecog_ps", 0, 4)
    if not isinstance(child_pugh_class, str) or child_pugh_class.strip().upper() not in (
        "A",
        "B",
        "C",
    ):
        raise ValueError(f"child_pugh_class must be 'A', 'B' or 'C'; got {child_pugh_class!r}")
    cp = child_pugh_class.strip().upper()
    n = _check_int(tumor_number, "tumor_number", 1, None)
    size = _check_scalar(tumor_size_mm, "tumor_size_mm", lo=0, hi=300, unit="mm", lo_open=True)
    mvi = _check_flag(macrovascular_invasion, "macrovascular_invasion")
    ehs = _check_flag(extrahepatic_spread, "extrahepatic_spread")
    if cp == "C" or ps > 2:
        return "D"
    if mvi or ehs or ps >= 1:
        return "C"
    if n == 1 and size <= 20:
        return "0"
    if n == 1 or (n <= 3 and size <= 30):
        return "A"
    return "B"


def bclc_stage_frame(df: pd.DataFrame) -> pd.Series:
    """BCLC 2022 stage (:func:`bclc_stage`) for every row of a cohort.

    Uses ``ecog_ps``, ``tumor_number``, ``tumor_size_mm``; the Child-Pugh class from the
    components (:func:`child_pugh_frame`); macrovascular invasion = ``pvtt`` other than Vp0 or
    ``refractory_vascular_invasion`` == 1; extrahepatic spread = ``refractory_extrahepatic``
    == 1. Returns a Series ``bclc_stage_2022`` with the cohort's index.

    The two ``refractory_*`` flags and the Child-Pugh components (INR, ascites,
    encephalopathy) are optional columns: when a flag is absent it counts as not present
    (invasion then rests on ``pvtt`` alone), and when a component is absent or empty the class
    comes from the stored ``child_pugh_score`` instead.

    Parameters
    ----------
    df : DataFrame
        A cohort with the columns named above.

    Returns
    -------
    Series of str
        ``bclc_stage_2022``: ``"0"``, ``"A"``, ``"B"``, ``"C"`` or ``"D"`` per patient.

    Examples
    --------
    One small tumour is BCLC A; five tumours (beyond "up to three, each <= 3 cm") are B.

    >>> d = pd.DataFrame({
    ...     "ecog_ps": [0, 0], "tumor_number": [1, 5], "tumor_size_mm": [30.0, 40.0],
    ...     "pvtt": ["Vp0", "Vp0"], "bilirubin_mg_dl": [1.0, 1.0], "albumin_g_dl": [4.0, 4.0],
    ...     "inr": [1.1, 1.1], "ascites": ["none", "none"], "encephalopathy": ["none", "none"],
    ... })
    >>> bclc_stage_frame(d).tolist()
    ['A', 'B']
    """
    needed = ["ecog_ps", "tumor_number", "tumor_size_mm", "pvtt"]
    _require_columns(df, needed)
    components = ["bilirubin_mg_dl", "albumin_g_dl", "inr", "ascites", "encephalopathy"]
    if all(c in df.columns for c in components) and df[components].notna().all().all():
        cp = child_pugh_frame(df)["child_pugh_class"]
    else:
        _require_columns(df, ["child_pugh_score"])
        cp = pd.Series(
            _child_pugh_class(pd.to_numeric(df["child_pugh_score"]).to_numpy()), index=df.index
        )

    def flag(column):
        if column not in df.columns:
            return pd.Series(0, index=df.index)
        return pd.to_numeric(df[column]).fillna(0).astype(int)

    extrahepatic = flag("refractory_extrahepatic")
    mvi = macrovascular_invasion(df["pvtt"]) | (flag("refractory_vascular_invasion") == 1)
    stages = []
    for label in df.index:
        try:
            stages.append(
                bclc_stage(
                    df.at[label, "ecog_ps"],
                    cp[label],
                    df.at[label, "tumor_number"],
                    df.at[label, "tumor_size_mm"],
                    bool(mvi[label]),
                    extrahepatic[label],
                )
            )
        except ValueError as exc:
            raise ValueError(f"row {_show(label)}: {exc}") from None
    return pd.Series(stages, index=df.index, name="bclc_stage_2022", dtype=object)


# ---------------------------------------------------------------------------------------------
# JSH 2021 TACE refractoriness and the study's eligibility rules
# ---------------------------------------------------------------------------------------------

#: JSH 2021 thresholds as the study states them (:cite:t:`hien2024`, Methods; :cite:t:`kudo2021`):
#: residual viable tumour >= 50%, imaging 1–3 months after the session, >= 2 consecutive sessions.
JSH_VIABLE_PERCENT = 50.0
JSH_WINDOW_MONTHS = (1.0, 3.0)
JSH_MIN_CONSECUTIVE_SESSIONS = 2

#: The JSH criteria (:func:`jsh_refractory`'s names) and the cohort's 0/1 column recording each
#: (``data/schema.yaml``), in the order of the paper's Table 1, which every table of the book
#: keeps; their clinical labels are :data:`analysis.labels.JSH_CRITERION_LABELS`.
JSH_COHORT_COLUMNS = {
    "intrahepatic_poor_response": "refractory_poor_response",
    "intrahepatic_new_lesions": "refractory_new_lesions",
    "extrahepatic_spread": "refractory_extrahepatic",
    "vascular_invasion": "refractory_vascular_invasion",
    "tumor_marker_rise": "refractory_tumor_marker",
}

#: The criteria's names, in that order.
JSH_CRITERIA = tuple(JSH_COHORT_COLUMNS)


def _longest_run(flags: Sequence[bool]) -> int:
    best = run = 0
    for f in flags:
        run = run + 1 if f else 0
        best = max(best, run)
    return best


def jsh_refractory(
    viable_percent: Sequence[float] = (),
    new_lesions: Sequence[bool] = (),
    assessment_months: Sequence[float] | None = None,
    *,
    vascular_invasion: bool = False,
    extrahepatic_spread: bool = False,
    tumor_marker_rise: bool = False,
) -> pd.Series:
    """Which JSH 2021 criteria of TACE failure/refractoriness are met :cite:p:`kudo2021`.

    One entry per TACE session in ``viable_percent`` / ``new_lesions`` (in order), evaluated on
    CT/MRI after it. The criteria, as the study applied them (:cite:t:`hien2024`, Methods), in the
    order of the paper's Table 1 (:data:`JSH_CRITERIA`; their labels:
    :data:`analysis.labels.JSH_CRITERION_LABELS`):

    * **intrahepatic_poor_response** – residual viable (enhancing) tumour >= 50% of the treated
      lesion after at least two *consecutive* TACE sessions;
    * **intrahepatic_new_lesions** – more intrahepatic lesions than before TACE after at least
      two consecutive sessions;
    * **extrahepatic_spread** – appearance of extrahepatic spread;
    * **vascular_invasion** – appearance of macrovascular invasion;
    * **tumor_marker_rise** – tumour markers keep rising right after TACE (at most a slight,
      transient fall).

    An evaluation counts only when it was done 1–3 months (inclusive) after the session
    (``assessment_months``; when omitted, all evaluations are assumed timely); an untimely
    evaluation is not a failure and breaks a run of consecutive failures.

    Parameters
    ----------
    viable_percent : sequence of float
        Residual viable tumour (% of the treated lesion, 0–100) after each session.
    new_lesions : sequence of bool
        More intrahepatic lesions than before TACE after each session (0/1 accepted); empty,
        or as long as ``viable_percent``.
    assessment_months : sequence of float, optional
        Months (>= 0) from each session to its evaluation.
    vascular_invasion, extrahepatic_spread, tumor_marker_rise : bool
        The three criteria that need no session count.

    Returns
    -------
    pandas.Series of bool
        The five criteria and ``is_refractory`` (any criterion met).

    Raises
    ------
    ValueError
        Naming the argument, position and value; or mismatched lengths.

    Examples
    --------
    Viable tumour of 60% and 70% after two consecutive sessions is a poor response:

    >>> r = jsh_refractory([60, 70], [False, False])
    >>> bool(r["intrahepatic_poor_response"]), bool(r["is_refractory"])
    (True, True)
    >>> bool(jsh_refractory([20, 10], [False, True])["is_refractory"])  # one new-lesion scan only
    False
    """
    viable = [
        _check_scalar(v, f"viable_percent[{i}]", lo=0, hi=100, unit="%")
        for i, v in enumerate(viable_percent or ())
    ]
    new = [_check_flag(v, f"new_lesions[{i}]") for i, v in enumerate(new_lesions or ())]
    n_sessions = max(len(viable), len(new))
    for name, seq in (("viable_percent", viable), ("new_lesions", new)):
        if seq and len(seq) != n_sessions:
            raise ValueError(
                f"{name} has {len(seq)} entries but another per-session input has {n_sessions}"
            )
    if assessment_months is None:
        timely = [True] * n_sessions
    else:
        months = [
            _check_scalar(m, f"assessment_months[{i}]", lo=0, hi=120, unit="months")
            for i, m in enumerate(assessment_months)
        ]
        if len(months) != n_sessions:
            raise ValueError(
                f"assessment_months has {len(months)} entries but there are {n_sessions} sessions"
            )
        start, end = JSH_WINDOW_MONTHS
        timely = [start <= m <= end for m in months]
    poor = [v >= JSH_VIABLE_PERCENT and t for v, t in zip(viable, timely, strict=False)]
    grew = [g and t for g, t in zip(new, timely, strict=False)]
    met = {
        "intrahepatic_poor_response": _longest_run(poor) >= JSH_MIN_CONSECUTIVE_SESSIONS,
        "intrahepatic_new_lesions": _longest_run(grew) >= JSH_MIN_CONSECUTIVE_SESSIONS,
        "vascular_invasion": _check_flag(vascular_invasion, "vascular_invasion"),
        "extrahepatic_spread": _check_flag(extrahepatic_spread, "extrahepatic_spread"),
        "tumor_marker_rise": _check_flag(tumor_marker_rise, "tumor_marker_rise"),
    }
    result = pd.Series({c: met[c] for c in JSH_CRITERIA}, dtype=bool)  # the book's order
    result["is_refractory"] = bool(result.any())
    return result


def _flag_column(df, column) -> np.ndarray:
    values = df[column]
    bad = ~values.isin([0, 1, True, False])
    if bad.any():
        label = values.index[bad.to_numpy()][0]
        raise ValueError(
            f"column {column!r}, row {_show(label)}: expected 0/1; got {_show(values[label])}"
        )
    return values.astype(bool).to_numpy()


def jsh_refractory_frame(df: pd.DataFrame, *, require_two_sessions: bool = True) -> pd.DataFrame:
    """JSH 2021 refractoriness (:func:`jsh_refractory`) from the cohort's recorded criteria.

    The cohort records each criterion as a 0/1 column (:data:`JSH_COHORT_COLUMNS`:
    ``refractory_poor_response``, ``refractory_new_lesions``, ``refractory_extrahepatic``,
    ``refractory_vascular_invasion``, ``refractory_tumor_marker``). With ``require_two_sessions`` (default) the two intrahepatic
    criteria count only when ``refractory_tace_sessions`` >= 2, as JSH 2021 asks for two
    consecutive failed sessions.

    Parameters
    ----------
    df : DataFrame
        A cohort with the ``refractory_*`` columns named above.
    require_two_sessions : bool, default True
        Count the intrahepatic criteria only after two sessions or more.

    Returns
    -------
    pandas.DataFrame of bool
        The five criteria and ``is_refractory``, with the cohort's index.

    Examples
    --------
    Poor response counts only after two failed sessions:

    >>> d = pd.DataFrame({
    ...     "refractory_poor_response": [1, 1], "refractory_new_lesions": [0, 0],
    ...     "refractory_vascular_invasion": [0, 0], "refractory_extrahepatic": [0, 0],
    ...     "refractory_tumor_marker": [0, 0], "refractory_tace_sessions": [2, 1],
    ... })
    >>> jsh_refractory_frame(d)["is_refractory"].tolist()
    [True, False]
    >>> jsh_refractory_frame(d, require_two_sessions=False)["is_refractory"].tolist()
    [True, True]

    One column per criterion, in the order of the paper's Table 1:

    >>> JSH_COHORT_COLUMNS["extrahepatic_spread"], list(jsh_refractory_frame(d).columns[2:4])
    ('refractory_extrahepatic', ['extrahepatic_spread', 'vascular_invasion'])
    >>> try:
    ...     jsh_refractory_frame(d, require_two_sessions="false")
    ... except TypeError as error:
    ...     print(error)
    require_two_sessions: expected True or False, got 'false' (papermill's -p reads only True and False, capitalised, as true and false)
    """
    if not isinstance(require_two_sessions, bool | np.bool_):
        # text is true whatever it says: -p require_two_sessions false ran the strict count
        raise TypeError(
            f"require_two_sessions: expected True or False, got {require_two_sessions!r} "
            "(papermill's -p reads only True and False, capitalised, as true and false)"
        )
    _require_columns(df, list(JSH_COHORT_COLUMNS.values()) + ["refractory_tace_sessions"])
    out = pd.DataFrame(index=df.index)
    sessions, _ = _as_array(
        df["refractory_tace_sessions"].to_numpy(), "refractory_tace_sessions", lo=0, hi=100
    )
    for criterion, column in JSH_COHORT_COLUMNS.items():
        flag = _flag_column(df, column)
        if require_two_sessions and criterion.startswith("intrahepatic"):
            flag = flag & (sessions >= JSH_MIN_CONSECUTIVE_SESSIONS)
        out[criterion] = flag
    out["is_refractory"] = out.any(axis=1)
    return out


#: The study's thresholds (:cite:t:`hien2024`, Methods): age > 18 years, ECOG PS <= 2, >= 1
#: measurable lesion, no other malignancy within 5 years.
ELIGIBILITY_MIN_AGE_YEARS = 18
ELIGIBILITY_MAX_ECOG = 2
ELIGIBILITY_MIN_LESIONS = 1
ELIGIBILITY_MALIGNANCY_YEARS = 5

#: The study's inclusion rules, in the paper's order: column of :func:`eligibility_frame` ->
#: the rule in words.
INCLUSION_RULES = {
    "inc1_jsh_refractory": "refractory to TACE by the JSH 2021 criteria",
    "inc2_age_over_18": "older than 18 years",
    "inc3_measurable_lesion": "at least one measurable lesion on CT/MRI",
    "inc4_ecog_le_2": "ECOG performance status 0–2",
}
#: The study's exclusion rules, in the paper's order (III and IV need optional columns).
EXCLUSION_RULES = {
    "exc1_no_follow_up": "no follow-up information after treatment",
    "exc2_age_18_or_less": "18 years old or younger",
    "exc3_other_malignancy_5y": "another malignancy within the last 5 years",
    "exc4_other_cause_death": "death from another documented cause",
}


#: The rules' numbers, as the table, the prose and :func:`eligibility`'s reasons print them.
RULE_NUMERALS = ("I", "II", "III", "IV")


#: An en dash between two numbers ("0–2"): a line may break after it unless joined.
_RANGE_DASH = re.compile(r"(?<=\d)–(?=\d)")


def eligibility_rules() -> pd.DataFrame:
    """The study's rules as a table a reader can scan: inclusion I–IV, then exclusion I–IV.

    Column ``Rule`` numbers each rule as :func:`eligibility` names it in its reasons and says
    which way it works: an inclusion condition is required, an exclusion condition excludes (the
    book's caption says so once, instead of every row). The word and its numeral are joined by a
    no-break space, and a range keeps its dash between word joiners (U+2060), so that a narrow
    screen breaks neither "inclusion III" nor "0–2".

    Returns
    -------
    DataFrame
        One row per rule: ``Rule`` (e.g. "inclusion I") and ``Condition`` (its text).

    Examples
    --------
    >>> rules = eligibility_rules()
    >>> rules.columns.tolist()
    ['Rule', 'Condition']
    >>> rules.iloc[0].tolist()
    ['inclusion\\xa0I', 'refractory to TACE by the JSH 2021 criteria']
    >>> rules.iloc[3].tolist()
    ['inclusion\\xa0IV', 'ECOG performance status 0\\u2060–\\u20602']
    >>> rules.iloc[4].tolist()
    ['exclusion\\xa0I', 'no follow-up information after treatment']
    """
    rows = [
        (f"{kind}\xa0{RULE_NUMERALS[i]}", _RANGE_DASH.sub("\u2060–\u2060", text))
        for kind, texts in (("inclusion", INCLUSION_RULES), ("exclusion", EXCLUSION_RULES))
        for i, text in enumerate(texts.values())
    ]
    return pd.DataFrame(rows, columns=["Rule", "Condition"])


def eligibility(
    *,
    jsh_refractory: bool,
    age_years: float,
    measurable_lesions: int,
    ecog_ps: int,
    has_follow_up: bool,
    other_malignancy_within_5_years: bool,
    died_of_other_documented_cause: bool,
) -> dict:
    """The study's four inclusion and four exclusion rules :cite:p:`hien2024`.

    Inclusion (all needed): (I) JSH 2021 TACE refractoriness (:func:`jsh_refractory`);
    (II) age > 18 years; (III) >= 1 measurable lesion on CT/MRI; (IV) ECOG PS <= 2.
    Exclusion (any excludes): (I) no follow-up information after treatment; (II) age <= 18;
    (III) another malignancy within 5 years; (IV) death from another documented cause.
    Inclusion II and exclusion II are the same rule seen from both sides: an 18-year-old fails
    both, an 18.5-year-old passes both.

    Parameters
    ----------
    jsh_refractory : bool
        TACE refractoriness by JSH 2021 (inclusion I).
    age_years : float
        Age in years, 0–120 (inclusion II, exclusion II).
    measurable_lesions : int
        Measurable lesions on CT/MRI, >= 0 (inclusion III).
    ecog_ps : int
        ECOG performance status, 0–4 (inclusion IV).
    has_follow_up : bool
        Follow-up information after treatment (exclusion I when False).
    other_malignancy_within_5_years : bool
        Another malignancy within 5 years (exclusion III).
    died_of_other_documented_cause : bool
        Death from another documented cause (exclusion IV).

    Returns
    -------
    dict
        ``eligible`` (bool), ``reasons`` (list of the rules failed, e.g. ``"inclusion II not
        met (older than 18 years)"`` or ``"exclusion III (another malignancy within the last 5
        years)"``; empty when eligible) and a boolean per rule (``inc1_…`` True when met,
        ``exc1_…`` True when present).

    Raises
    ------
    ValueError
        Naming the argument and value (flags must be bool or 0/1; age 0–120; ECOG 0–4;
        lesion count a whole number >= 0).

    Examples
    --------
    An 18-year-old fails inclusion II and meets exclusion II (the same rule from both sides):

    >>> res = eligibility(
    ...     jsh_refractory=True, age_years=18, measurable_lesions=1, ecog_ps=1, has_follow_up=True,
    ...     other_malignancy_within_5_years=False, died_of_other_documented_cause=False,
    ... )
    >>> res["eligible"], res["reasons"]
    (False, ['inclusion II not met (older than 18 years)', 'exclusion II (18 years old or younger)'])
    """
    age = _check_scalar(age_years, "age_years", lo=0, hi=120, unit="years")
    ps = _check_int(ecog_ps, "ecog_ps", 0, 4)
    lesions = _check_int(measurable_lesions, "measurable_lesions", 0, None)
    rules = {
        "inc1_jsh_refractory": _check_flag(jsh_refractory, "jsh_refractory"),
        "inc2_age_over_18": age > ELIGIBILITY_MIN_AGE_YEARS,
        "inc3_measurable_lesion": lesions >= ELIGIBILITY_MIN_LESIONS,
        "inc4_ecog_le_2": ps <= ELIGIBILITY_MAX_ECOG,
        "exc1_no_follow_up": not _check_flag(has_follow_up, "has_follow_up"),
        "exc2_age_18_or_less": age <= ELIGIBILITY_MIN_AGE_YEARS,
        "exc3_other_malignancy_5y": _check_flag(
            other_malignancy_within_5_years, "other_malignancy_within_5_years"
        ),
        "exc4_other_cause_death": _check_flag(
            died_of_other_documented_cause, "died_of_other_documented_cause"
        ),
    }
    reasons = [
        f"inclusion {RULE_NUMERALS[i]} not met ({INCLUSION_RULES[k]})"
        for i, k in enumerate(INCLUSION_RULES)
        if not rules[k]
    ]
    reasons += [
        f"exclusion {RULE_NUMERALS[i]} ({EXCLUSION_RULES[k]})"
        for i, k in enumerate(EXCLUSION_RULES)
        if rules[k]
    ]
    return {"eligible": not reasons, "reasons": reasons, **rules}


#: The optional 0/1 columns behind exclusions III and IV (not in the cohort's data dictionary:
#: every patient in it was already included); :func:`eligibility_frame` reads them when present.
_ELIGIBILITY_OPTIONAL = {
    "exc3_other_malignancy_5y": "other_malignancy_5y",
    "exc4_other_cause_death": "death_other_cause",
}


def eligibility_frame(df: pd.DataFrame) -> pd.DataFrame:
    """Apply :func:`eligibility` to every row of a cohort.

    Column mapping: refractoriness from :func:`jsh_refractory_frame`; ``age_years``;
    measurable lesion = ``tumor_number`` >= 1 and ``tumor_size_mm`` > 0; ``ecog_ps``; follow-up
    = ``os_months`` > 0; exclusions III and IV from the optional 0/1 columns
    ``other_malignancy_5y`` and ``death_other_cause``.

    A rule the cohort does not record is *not assessable*, never passed: inclusion I when the
    JSH criteria's columns are absent, exclusion III or IV when its column is absent (or, for
    one patient, empty). Its column then holds ``pd.NA`` (nullable ``boolean``), it gives no
    reason, and ``attrs["not_assessable"]`` lists the rules that could be checked for no
    patient, in the order of :data:`INCLUSION_RULES` and :data:`EXCLUSION_RULES`.

    Parameters
    ----------
    df : DataFrame
        A cohort with the columns named above.

    Returns
    -------
    pandas.DataFrame
        One column per rule (True when an inclusion condition is met or an exclusion condition
        present, ``pd.NA`` when not assessable), ``eligible`` (no rule that could be checked
        fails) and ``reasons`` (``"; "``-joined text).

    Examples
    --------
    The second patient had a single failed TACE session (not refractory under JSH 2021) and is 18:

    >>> d = pd.DataFrame({
    ...     "refractory_poor_response": [1, 1], "refractory_new_lesions": [0, 0],
    ...     "refractory_vascular_invasion": [0, 0], "refractory_extrahepatic": [0, 0],
    ...     "refractory_tumor_marker": [0, 0], "refractory_tace_sessions": [2, 1],
    ...     "age_years": [60, 18], "tumor_number": [1, 1], "tumor_size_mm": [30.0, 30.0],
    ...     "ecog_ps": [1, 1], "os_months": [5.0, 5.0],
    ... })
    >>> res = eligibility_frame(d)
    >>> res["eligible"].tolist()
    [True, False]
    >>> for reason in res.loc[1, "reasons"].split("; "):
    ...     print(reason)
    inclusion I not met (refractory to TACE by the JSH 2021 criteria)
    inclusion II not met (older than 18 years)
    exclusion II (18 years old or younger)

    Other cancers and causes of death are not recorded: exclusions III and IV are not
    assessable, not passed:

    >>> res.attrs["not_assessable"]
    ['exc3_other_malignancy_5y', 'exc4_other_cause_death']
    >>> res["exc3_other_malignancy_5y"].tolist()
    [<NA>, <NA>]
    """
    _require_columns(df, ["age_years", "tumor_number", "tumor_size_mm", "ecog_ps", "os_months"])
    jsh_columns = list(JSH_COHORT_COLUMNS.values()) + ["refractory_tace_sessions"]
    if all(c in df.columns for c in jsh_columns):
        refractory = jsh_refractory_frame(df)["is_refractory"]
    else:  # not recorded: not assessable
        refractory = pd.Series(pd.NA, index=df.index, dtype="boolean")
    optional = {
        rule: df[column] if column in df.columns else pd.Series(np.nan, index=df.index)
        for rule, column in _ELIGIBILITY_OPTIONAL.items()
    }
    rows, unknown = {}, {}
    for label in df.index:
        row = df.loc[label]
        # a rule not recorded is given its passing value here and set to NA below
        missing = {"inc1_jsh_refractory": pd.isna(refractory[label])}
        missing |= {rule: pd.isna(values[label]) for rule, values in optional.items()}
        flags = {rule: 0 if missing[rule] else values[label] for rule, values in optional.items()}
        try:
            rows[label] = eligibility(
                jsh_refractory=True if missing["inc1_jsh_refractory"] else bool(refractory[label]),
                age_years=row["age_years"],
                measurable_lesions=int(row["tumor_number"] >= 1 and row["tumor_size_mm"] > 0),
                ecog_ps=row["ecog_ps"],
                has_follow_up=bool(row["os_months"] > 0),
                other_malignancy_within_5_years=flags["exc3_other_malignancy_5y"],
                died_of_other_documented_cause=flags["exc4_other_cause_death"],
            )
        except ValueError as exc:
            raise ValueError(f"row {_show(label)}: {exc}") from None
        unknown[label] = missing
    out = pd.DataFrame.from_dict(rows, orient="index")
    out["reasons"] = out["reasons"].map("; ".join)
    rules = list(INCLUSION_RULES) + list(EXCLUSION_RULES)
    not_assessable = []
    for rule in ("inc1_jsh_refractory", *_ELIGIBILITY_OPTIONAL):
        mask = pd.Series({label: unknown[label][rule] for label in df.index}, dtype=bool)
        if mask.any():
            out[rule] = out[rule].astype("boolean").mask(mask.reindex(out.index), pd.NA)
        if len(df) and mask.all():
            not_assessable.append(rule)
    out = out[rules + ["eligible", "reasons"]].reindex(df.index)
    out.attrs["not_assessable"] = [r for r in rules if r in not_assessable]
    return out


# ---------------------------------------------------------------------------------------------
# mRECIST response
# ---------------------------------------------------------------------------------------------

RESPONSE_ORDER = ("CR", "PR", "SD", "PD")


def mrecist(
    baseline_sum_mm,
    current_sum_mm,
    nadir_sum_mm=None,
    *,
    new_lesion: bool = False,
    nontarget_progression: bool = False,
    min_increase_mm: float = 0.0,
) -> str:
    """mRECIST response at one assessment :cite:p:`lencioni2010`.

    Sums are of the longest diameters of the *viable* (arterially enhancing) part of the target
    lesions. Rules, in this order:

    * **PD** – a new lesion, unequivocal non-target progression, or a sum at least 20% above
      the nadir (the smallest sum so far, baseline included): ``current >= 1.2 × nadir`` and
      ``current − nadir >= min_increase_mm``;
    * **CR** – no arterial enhancement left in any target lesion (sum 0);
    * **PR** – at least a 30% decrease from baseline: ``current <= 0.7 × baseline``;
    * **SD** – otherwise.

    The paper says it used "modified RECIST 1.1"; mRECIST itself has no 5-mm absolute rule for
    PD (RECIST 1.1 has one), so ``min_increase_mm`` defaults to 0 (set 5 for the RECIST 1.1
    reading). Boundaries: exactly −30% is PR, exactly +20% is PD.

    Parameters
    ----------
    baseline_sum_mm : float
        Sum of the viable target diameters at baseline, > 0.
    current_sum_mm : float
        The same sum at this assessment, >= 0.
    nadir_sum_mm : float, optional
        The smallest sum so far (default: ``baseline_sum_mm``); must not exceed the baseline.
    new_lesion, nontarget_progression : bool
        A new lesion, or unequivocal progression of non-target lesions, at this assessment.
    min_increase_mm : float, default 0
        Absolute increase over the nadir also needed for PD (5 for RECIST 1.1's rule).

    Returns
    -------
    str
        ``"CR"``, ``"PR"``, ``"SD"`` or ``"PD"``.

    Examples
    --------
    Sums of viable target diameters (mm): −40% is a partial response, 0 a complete one,
    +50% over the nadir progression, −10% stable disease.

    >>> mrecist(50, 30), mrecist(50, 0), mrecist(50, 60, 40), mrecist(50, 45)
    ('PR', 'CR', 'PD', 'SD')
    """
    base = _check_scalar(baseline_sum_mm, "baseline_sum_mm", lo=0, hi=2000, unit="mm", lo_open=True)
    cur = _check_scalar(current_sum_mm, "current_sum_mm", lo=0, hi=2000, unit="mm")
    nadir = base if nadir_sum_mm is None else _check_scalar(nadir_sum_mm, "nadir_sum_mm", lo=0)
    if nadir > base:
        raise ValueError(
            f"nadir_sum_mm = {_show(nadir_sum_mm)} exceeds baseline_sum_mm = "
            f"{_show(baseline_sum_mm)}"
        )
    min_inc = _check_scalar(min_increase_mm, "min_increase_mm", lo=0, unit="mm")
    new = _check_flag(new_lesion, "new_lesion")
    nontarget = _check_flag(nontarget_progression, "nontarget_progression")
    # compare with a relative tolerance so that e.g. 50 → 60 (+20%) is PD despite rounding
    eps = 1e-9
    if new or nontarget or (cur >= 1.2 * nadir - eps and cur - nadir >= min_inc - eps and cur > 0):
        return "PD"
    if cur == 0:
        return "CR"
    if cur <= 0.7 * base + eps:
        return "PR"
    return "SD"


def mrecist_sequence(
    baseline_sum_mm,
    follow_up_sums_mm: Sequence[float],
    new_lesions: Sequence[bool] | None = None,
    nontarget_progression: Sequence[bool] | None = None,
    *,
    min_increase_mm: float = 0.0,
) -> list[str]:
    """mRECIST response at each follow-up, tracking the nadir (:func:`mrecist`).

    The nadir before assessment *k* is the smallest of the baseline and follow-ups 1…k−1.

    Parameters
    ----------
    baseline_sum_mm : float
        Sum of the viable target diameters at baseline, > 0.
    follow_up_sums_mm : sequence of float
        The sums at each follow-up, in time order, >= 0.
    new_lesions, nontarget_progression : sequence of bool, optional
        One flag per follow-up (default: none).
    min_increase_mm : float, default 0
        As in :func:`mrecist`.

    Returns
    -------
    list of str
        One response (``"CR"``, ``"PR"``, ``"SD"``, ``"PD"``) per follow-up.

    Examples
    --------
    The sum falls from 50 to 30 mm (−40%: PR), then grows to 40 mm, +33% over the nadir of 30
    (PD); progression stands at the next scan.

    >>> mrecist_sequence(50, [30, 40, 45])
    ['PR', 'PD', 'PD']
    """
    sums = list(follow_up_sums_mm)
    n = len(sums)
    new = [False] * n if new_lesions is None else list(new_lesions)
    nontarget = [False] * n if nontarget_progression is None else list(nontarget_progression)
    if len(new) != n or len(nontarget) != n:
        raise ValueError(
            f"follow_up_sums_mm has {n} entries but new_lesions has {len(new)} and "
            f"nontarget_progression has {len(nontarget)}"
        )
    base = _check_scalar(baseline_sum_mm, "baseline_sum_mm", lo=0, hi=2000, unit="mm", lo_open=True)
    nadir = base
    out = []
    for i, s in enumerate(sums):
        cur = _check_scalar(s, f"follow_up_sums_mm[{i}]", lo=0, hi=2000, unit="mm")
        out.append(
            mrecist(
                base,
                cur,
                nadir,
                new_lesion=new[i],
                nontarget_progression=nontarget[i],
                min_increase_mm=min_increase_mm,
            )
        )
        nadir = min(nadir, cur)
    return out


def _check_responses(responses: Iterable, name: str = "responses") -> list[str]:
    if isinstance(responses, str):
        raise ValueError(f"{name} must be a sequence of CR/PR/SD/PD; got the string {responses!r}")
    out = []
    for i, r in enumerate(responses):
        if not isinstance(r, str) or r.strip().upper() not in RESPONSE_ORDER:
            raise ValueError(f"{name}[{i}] must be one of CR, PR, SD, PD; got {_show(r)}")
        out.append(r.strip().upper())
    return out


def best_response(responses: Sequence[str], *, stop_at_progression: bool = True) -> str:
    """Best response over a patient's assessments, in time order (CR > PR > SD > PD).

    With ``stop_at_progression`` (default, the RECIST convention followed by
    :cite:t:`lencioni2010`), assessments after the first PD are ignored: a response seen after
    progression (e.g. under a later treatment) does not count. With ``False`` every assessment
    counts, the literal reading of the paper's "best observed from the start of HAIC to death
    or loss to follow-up" :cite:p:`hien2024`. No confirmation scan is required in either case.

    Parameters
    ----------
    responses : sequence of str
        One patient's responses (``"CR"``, ``"PR"``, ``"SD"``, ``"PD"``) in time order.
    stop_at_progression : bool, default True
        Ignore assessments after the first PD.

    Returns
    -------
    str
        The best of the counted responses.

    Raises
    ------
    ValueError
        For an empty sequence or an unknown category.

    Examples
    --------
    >>> best_response(["SD", "PR", "PD", "CR"])   # the CR came after progression: not counted
    'PR'
    >>> best_response(["SD", "PR", "PD", "CR"], stop_at_progression=False)
    'CR'
    """
    checked = _check_responses(responses)
    if not checked:
        raise ValueError("responses is empty: best response needs at least one assessment")
    if stop_at_progression and "PD" in checked:
        checked = checked[: checked.index("PD") + 1]
    return min(checked, key=RESPONSE_ORDER.index)


class ResponseRate(NamedTuple):
    """A response rate: ``count`` of ``n`` patients, ``percent`` = 100 × count / n.

    Examples
    --------
    >>> rate = orr(["CR", "PR", "SD", "PD"])
    >>> rate
    ResponseRate(count=2, n=4, percent=50.0)
    >>> count, n, percent = rate
    """

    count: int
    n: int
    percent: float


def _rate(responses, categories) -> ResponseRate:
    checked = _check_responses(
        responses.tolist() if isinstance(responses, pd.Series | np.ndarray) else responses
    )
    if not checked:
        raise ValueError("responses is empty: a rate needs at least one patient")
    count = sum(r in categories for r in checked)
    return ResponseRate(count, len(checked), 100.0 * count / len(checked))


def orr(responses) -> ResponseRate:
    """Objective response rate: CR + PR over all patients (best responses).

    Parameters
    ----------
    responses : sequence of str
        One best response per patient, ``"CR"``, ``"PR"``, ``"SD"`` or ``"PD"``.

    Returns
    -------
    ResponseRate
        ``count``, ``n`` and ``percent``.

    Examples
    --------
    >>> orr(["CR", "PR", "SD", "PD", "PD"])
    ResponseRate(count=2, n=5, percent=40.0)
    """
    return _rate(responses, ("CR", "PR"))


def dcr(responses) -> ResponseRate:
    """Disease control rate: CR + PR + SD over all patients (best responses).

    Parameters
    ----------
    responses : sequence of str
        One best response per patient, ``"CR"``, ``"PR"``, ``"SD"`` or ``"PD"``.

    Returns
    -------
    ResponseRate
        ``count``, ``n`` and ``percent``.

    Examples
    --------
    >>> dcr(["CR", "PR", "SD", "PD"])
    ResponseRate(count=3, n=4, percent=75.0)
    """
    return _rate(responses, ("CR", "PR", "SD"))


def response_summary(responses) -> pd.DataFrame:
    """Counts and percents of CR, PR, SD, PD, ORR and DCR (index: those six labels).

    Parameters
    ----------
    responses : sequence of str
        One best response per patient, ``"CR"``, ``"PR"``, ``"SD"`` or ``"PD"``.

    Returns
    -------
    DataFrame
        Indexed by ``category`` (CR, PR, SD, PD, ORR, DCR): ``count`` and ``percent``.

    Examples
    --------
    >>> response_summary(["CR", "PR", "SD", "PD", "PR"])  # doctest: +NORMALIZE_WHITESPACE
              count  percent
    category
    CR            1     20.0
    PR            2     40.0
    SD            1     20.0
    PD            1     20.0
    ORR           3     60.0
    DCR           4     80.0
    """
    checked = _check_responses(
        responses.tolist() if isinstance(responses, pd.Series | np.ndarray) else responses
    )
    if not checked:
        raise ValueError("responses is empty")
    n = len(checked)
    rows = {c: checked.count(c) for c in RESPONSE_ORDER}
    rows["ORR"] = rows["CR"] + rows["PR"]
    rows["DCR"] = rows["ORR"] + rows["SD"]
    return pd.DataFrame(
        {"count": rows, "percent": {k: 100.0 * v / n for k, v in rows.items()}}
    ).rename_axis("category")


def rate_intervals(responses, alpha: float = 0.05) -> pd.DataFrame:
    """The ORR and the DCR, each with its Wilson and Clopper–Pearson interval, in percent.

    The intervals are :func:`proportion_ci`'s.

    Parameters
    ----------
    responses : sequence of str
        Best responses, one per patient (CR, PR, SD, PD).
    alpha : float, default 0.05
        1 − the confidence level.

    Returns
    -------
    DataFrame
        Index ``ORR``, ``DCR``; columns ``count``, ``n``, ``percent``, ``wilson_lower``,
        ``wilson_upper``, ``clopper_pearson_lower`` and ``clopper_pearson_upper`` (percent).

    Examples
    --------
    Two responders and three with disease control among five patients:

    >>> rates = rate_intervals(["CR", "PR", "SD", "PD", "PD"])
    >>> rates[["count", "n", "percent"]]
         count  n  percent
    ORR      2  5     40.0
    DCR      3  5     60.0
    >>> [round(float(v), 1) for v in rates.loc["ORR", ["wilson_lower", "wilson_upper"]]]
    [11.8, 76.9]
    >>> [round(float(v), 1) for v in rates.loc["ORR", ["clopper_pearson_lower", "clopper_pearson_upper"]]]
    [5.3, 85.3]
    """
    rows = {}
    for name, rate in (("ORR", orr(responses)), ("DCR", dcr(responses))):
        row = {"count": rate.count, "n": rate.n, "percent": rate.percent}
        for method in ("wilson", "clopper-pearson"):
            lower, upper = proportion_ci(rate.count, rate.n, method, alpha)
            key = method.replace("-", "_")
            row[f"{key}_lower"], row[f"{key}_upper"] = 100 * lower, 100 * upper
        rows[name] = row
    return pd.DataFrame.from_dict(rows, orient="index")


def proportion_ci(count: int, n: int, method: str = "wilson", alpha: float = 0.05) -> tuple:
    """Confidence interval of a proportion such as the ORR or DCR, as fractions.

    Parameters
    ----------
    count : int
        Patients with the outcome, ``0 <= count <= n``.
    n : int
        Patients in the denominator, >= 1.
    method : {"wilson", "clopper-pearson"}
        See Notes.
    alpha : float, default 0.05
        1 - confidence level.

    Returns
    -------
    (float, float)
        Lower and upper bound as fractions in [0, 1].

    Raises
    ------
    ValueError
        When ``count`` is not an integer in ``0..n``, ``n < 1``, ``alpha`` is not between 0
        and 1 (an interval at ``alpha = -94``, a level of 95 taken for 0.95, was 0 to 1), or
        the method is unknown.

    Notes
    -----
    ``"wilson"``
        The score interval :cite:`wilson1927`: centre ``(p + z²/2n) / (1 + z²/n)``, half-width
        ``z·sqrt(p(1−p)/n + z²/4n²) / (1 + z²/n)``. Good coverage at any n; what R's
        ``prop.test(correct = FALSE)`` prints.
    ``"clopper-pearson"``
        The "exact" interval :cite:`clopper1934` from beta quantiles,
        ``Beta(α/2; k, n−k+1)`` to ``Beta(1−α/2; k+1, n−k)``, conservative; R's ``binom.test``.
        SPSS prints neither by default; papers usually give no interval at all.

    Examples
    --------
    Wilson's interval for 3 of 4 and the exact interval for 0 of 10 (``1 − 0.025 ** (1 / 10)``):

    >>> [round(x, 4) for x in proportion_ci(3, 4)]
    [0.3006, 0.9544]
    >>> [round(x, 4) for x in proportion_ci(0, 10, "clopper-pearson")], round(1 - 0.025 ** 0.1, 4)
    ([0.0, 0.3085], 0.3085)
    """
    if not (isinstance(n, int | np.integer) and n >= 1):
        raise ValueError(f"n must be a positive integer, got {n!r}")
    if not (isinstance(count, int | np.integer) and 0 <= count <= n):
        raise ValueError(f"count must be an integer from 0 to n={n}, got {count!r}")
    if (
        isinstance(alpha, bool)
        or not isinstance(alpha, int | float | np.number)
        or not 0 < alpha < 1
    ):
        raise ValueError(f"alpha must be a number between 0 and 1 (1 - the level), got {alpha!r}")
    z = special.ndtri(1 - alpha / 2)
    p = count / n
    if method == "wilson":
        centre = (p + z * z / (2 * n)) / (1 + z * z / n)
        half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
        # exactly 0 at count 0 and 1 at count n (centre and half-width are then equal in exact
        # arithmetic; in floating point they can differ by one ulp and exclude the estimate)
        lower = 0.0 if count == 0 else max(0.0, float(centre - half))
        upper = 1.0 if count == n else min(1.0, float(centre + half))
        return lower, upper
    if method == "clopper-pearson":
        # imported here: scipy.stats costs ~0.5 s at the start of every kernel and CLI call
        from scipy import stats

        lower = stats.beta.ppf(alpha / 2, count, n - count + 1) if count > 0 else 0.0
        upper = stats.beta.ppf(1 - alpha / 2, count + 1, n - count) if count < n else 1.0
        return float(lower), float(upper)
    raise ValueError(f"method must be 'wilson' or 'clopper-pearson', got {method!r}")
