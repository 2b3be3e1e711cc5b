"""Time-related bias and over-fitting: the analyses behind the bias chapter.

The paper compares survival by two things that happen *after* time zero (the start of HAIC):
additional TACE during HAIC, and tumour response. A patient must survive long enough to receive
additional TACE or to be scanned as a responder, so counting those patients as "treated" or
"responders" from time zero credits them with survival they were guaranteed to have
(immortal-time bias :cite:`suissa2008`; guarantee-time bias :cite:`giobbie2013`). The remedies here:

:func:`landmark_analysis`
    classify patients by what happened before a fixed landmark and analyse survival from the
    landmark on, among those alive then :cite:`anderson1983`.
:func:`time_varying_cox`
    a Cox model in which the exposure switches from 0 to 1 at the time it happens
    (counting-process data built by :func:`to_counting_process`, fitted by the survival engine).
:func:`simulate_null_exposure` and :func:`null_simulation`
    a seeded simulation in which the exposure has no effect, the naive analysis still finds one
    and the time-varying analysis does not.
:func:`cutoff_sensitivity`
    how the prior-TACE comparison depends on the cut-off chosen.
:func:`optimism_corrected_concordance`
    Harrell's bootstrap correction of the concordance of a Cox model :cite:`harrell1996`, to show
    how optimistic an 11-parameter model is at this number of events :cite:`peduzzi1995`.

All randomness takes an explicit seed (``numpy.random.default_rng``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd

from analysis import engine, paper
from analysis.formatting import count, not_computable, number
from analysis.privacy import (
    COMPLEMENT_MARK,
    NOT_SHOWN_SMALL_GROUP,
    SMALL_COUNT_THRESHOLD,
    small_groups,
)
from analysis.survival import (
    EVERYONE_DIES_AT_ONCE,
    everyone_at_risk_dies,
    logrank,
    median_survival,
)
from analysis.verdicts import is_user_cohort

__all__ = [
    "checked_seed",
    "cox_efron",
    "cox_one_covariate",
    "exposure_analyses",
    "naive_cox",
    "landmark_analysis",
    "early_landmarks_sentence",
    "landmark_not_computable",
    "to_counting_process",
    "time_varying_cox",
    "simulate_null_exposure",
    "null_simulation",
    "null_simulation_summary",
    "cutoff_sensitivity",
    "optimism_corrected_concordance",
    "multivariable_design",
    "MULTIVARIABLE_TERMS",
]

#: The paper's multivariable model: 11 parameters, coded as Table 2's numbers imply (AST, CRP,
#: tumour number and prior TACE per unit; see :mod:`analysis.paper`), Child-Pugh 6/7/8 vs 5.
#: The names are Table 2's term ids (``ast_gt40`` is AST per U/L).
MULTIVARIABLE_TERMS = tuple(paper.MULTIVARIABLE_TERMS)


def checked_seed(seed) -> int:
    """``seed`` as an ``int`` (a NumPy integer, or a float with a whole value, passes), or an
    error naming it: a chapter executed with papermill ``-p seed -1`` (which ``run`` refuses)
    ended in NumPy's "expected non-negative integer", and ``-p seed 2.5`` ran as seed 2.

    Examples
    --------
    >>> checked_seed(7), checked_seed(np.int64(7)), checked_seed(7.0)
    (7, 7, 7)
    >>> try:
    ...     checked_seed(2.5)
    ... except ValueError as error:
    ...     print(error)
    seed: expected a non-negative whole number, got 2.5
    """
    whole = isinstance(seed, int | np.integer | float | np.floating) and not isinstance(
        seed, bool | np.bool_
    )
    if not whole or not math.isfinite(float(seed)) or float(seed) != int(seed) or seed < 0:
        raise ValueError(f"seed: expected a non-negative whole number, got {seed!r}")
    return int(seed)


def _require(df: pd.DataFrame, columns: Sequence[str]) -> None:
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise KeyError(f"column {missing[0]!r} is not in the data frame (have {list(df.columns)})")


def naive_cox(
    df: pd.DataFrame,
    exposure_col: str = "additional_tace",
    duration_col: str = "os_months",
    event_col: str = "os_event",
    *,
    ties: str = "efron",
) -> dict:
    """Cox HR of an exposure treated as known at time zero (the paper's analysis).

    Returns a dict with ``hr``, ``lower``, ``upper``, ``p`` (Wald; Efron ties by default, as R and
    lifelines; ``ties="breslow"`` for SPSS's, to set beside a value the paper fitted in SPSS),
    ``reason`` (empty, or why the estimate does not exist), ``n`` and ``events``. For an exposure
    that happens during follow-up this estimate is biased towards benefit (immortal-time bias).

    Examples
    --------
    The exposure is taken as known at time 0, so the months before it count as exposed
    (compare :func:`time_varying_cox` on the same patients):

    >>> nan = float("nan")
    >>> d = pd.DataFrame({
    ...     "os_months": [2, 4, 6, 8, 10, 12], "os_event": [1, 1, 1, 1, 1, 0],
    ...     "additional_tace": [0, 1, 0, 1, 1, 0], "additional_tace_month": [nan, 3, nan, 1, 5, nan],
    ... })
    >>> res = naive_cox(d)
    >>> round(res["hr"], 3), res["n"], res["events"], res["reason"]
    (1.215, 6, 5, '')
    >>> round(naive_cox(d, ties="breslow")["hr"], 3)  # no tied deaths: the same estimate
    1.215
    """
    _require(df, [exposure_col, duration_col, event_col])
    data = df[[duration_col, event_col, exposure_col]].astype(float)
    out = cox_one_covariate(
        np.zeros(len(data)), data[duration_col], data[event_col], data[exposure_col], ties=ties
    )
    out.update(n=len(data), events=int(data[event_col].sum()))
    return out


def landmark_analysis(
    df: pd.DataFrame,
    landmarks: Sequence[float],
    exposure_col: str = "additional_tace",
    exposure_time_col: str = "additional_tace_month",
    duration_col: str = "os_months",
    event_col: str = "os_event",
) -> pd.DataFrame:
    """Landmark analyses of an exposure that happens during follow-up :cite:`anderson1983`.

    Method: at each landmark ``L``, keep the patients still alive and in follow-up
    (``duration > L``); call a patient exposed if the exposure happened at or before ``L``
    (later exposures count as unexposed: the grouping uses only what is known at ``L``, so no
    immortal time enters it; an exposure that works passes some of its effect to the unexposed
    group, pulling the HR towards 1, and one that does nothing leaves the HR unbiased, as
    :func:`null_simulation` with a ``landmark`` shows); measure survival from ``L``; fit a Cox
    model. Results depend on the landmark, so several are
    shown.

    Returns
    -------
    pandas.DataFrame
        One row per landmark: ``landmark``, ``n`` (at risk at the landmark), ``exposed``,
        ``events``, ``hr``, ``lower``, ``upper``, ``p``, ``reason``. HR columns are NaN, and
        ``reason`` says why, when a group is empty or the estimate does not exist.

    Examples
    --------
    At month 3 five patients are alive (the one who died at month 2 is not); two had their
    additional TACE by then (at months 1 and 3), the one treated at month 5 counts as untreated;
    four of the five die later.

    >>> nan = float("nan")
    >>> d = pd.DataFrame({
    ...     "os_months": [2, 4, 6, 8, 10, 12], "os_event": [1, 1, 1, 1, 1, 0],
    ...     "additional_tace": [0, 1, 0, 1, 1, 0], "additional_tace_month": [nan, 3, nan, 1, 5, nan],
    ... })
    >>> landmark_analysis(d, [3])[["landmark", "n", "exposed", "events"]]
       landmark  n  exposed  events
    0       3.0  5        2       4
    >>> landmark_analysis(d, [12]).loc[0, "reason"]
    'nobody is alive and followed after month 12'
    """
    _require(df, [exposure_col, exposure_time_col, duration_col, event_col])
    rows = []
    for lm in landmarks:
        at_risk = df[df[duration_col] > lm]
        exposed = (at_risk[exposure_col] == 1) & (at_risk[exposure_time_col] <= lm)
        data = pd.DataFrame(
            {
                "time": at_risk[duration_col] - lm,
                "event": at_risk[event_col].astype(float),
                "exposed": exposed.astype(float),
            }
        )
        row = {
            "landmark": float(lm),
            "n": len(data),
            "exposed": int(data["exposed"].sum()),
            "events": int(data["event"].sum()),
        }
        fit = cox_one_covariate(np.zeros(len(data)), data["time"], data["event"], data["exposed"])
        row.update({k: fit[k] for k in ("hr", "lower", "upper", "p", "reason")})
        if not len(data):  # not "no events": there is nobody to have one
            row["reason"] = f"nobody is alive and followed after {_month(lm)}"
        rows.append(row)
    return pd.DataFrame(rows)


def _month(t: float) -> str:
    return f"month {float(t):g}"


def early_landmarks_sentence(
    landmarks: pd.DataFrame, first_shown: str, *, treated: str, badge: str = "", reason: str = ""
) -> str:
    """What the earliest landmark leaves to compare, in a sentence true on any cohort (chapter 9
    glues it whole after its table of landmarks).

    The book's cohort has nobody treated by the first landmark ("few exposed patients (none by
    month 1)"); another cohort may have fewer than 5, a count its report hides, many, or nobody
    at any landmark, and the sentence says which, never "only hidden by month 1" or "few exposed
    patients" when no landmark has any.

    Parameters
    ----------
    landmarks : pandas.DataFrame
        :func:`landmark_analysis`'s rows (``landmark``, ``n``, ``exposed``), first landmark first;
        empty when the exposure times are missing.
    first_shown : str
        The first landmark's exposed count as its table shows it: a number, ``"<5"`` or
        :data:`analysis.privacy.COMPLEMENT_MARK` on a user's cohort.
    treated : str
        What the exposed patients had, after "had" ("received additional TACE").
    badge : str
        The provenance badge of the landmark analyses, set after the month.
    reason : str
        Why the analyses were not run (:func:`exposure_analyses`'s ``reason``).

    Examples
    --------
    >>> lm = pd.DataFrame({"landmark": [1.0, 6.0], "n": [77, 40], "exposed": [0, 9]})
    >>> early_landmarks_sentence(lm, "0", treated="received additional TACE")
    'Early landmarks leave few exposed patients (none by month 1); later ones leave fewer patients alive.'
    >>> early_landmarks_sentence(lm.assign(exposed=0), "0", treated="received additional TACE")
    'No landmark here has two groups to compare: nobody alive at any of them had received additional TACE by then.'
    >>> early_landmarks_sentence(lm, "hidden", treated="received additional TACE")  # doctest: +NORMALIZE_WHITESPACE
    'Early landmarks can leave few patients in one of the two groups (how many had received additional TACE by
    month 1 is a count this report hides); later ones leave fewer patients alive.'
    """
    later = "; later ones leave fewer patients alive."
    if reason or not len(landmarks):
        return not_computable("the landmark analyses", reason or "no landmark to analyse")
    exposed, n = landmarks["exposed"], landmarks["n"]
    if not ((exposed > 0) & (exposed < n)).any():
        who = (
            "nobody"
            if (exposed == 0).all()
            else "everybody"
            if (exposed == n).all()
            else "nobody or everybody"
        )
        at = (
            "at any of them"
            if who == "nobody"
            else "at each of them"
            if who == "everybody"
            else "at each"
        )
        return f"No landmark here has two groups to compare: {who} alive {at} had {treated} by then{badge}."
    by = f"by {_month(landmarks['landmark'].iloc[0])}{badge}"
    if first_shown == "0":
        return f"Early landmarks leave few exposed patients (none {by}){later}"
    if first_shown == f"<{SMALL_COUNT_THRESHOLD}":
        return f"Early landmarks leave few exposed patients (fewer than {SMALL_COUNT_THRESHOLD} {by}){later}"
    if first_shown == COMPLEMENT_MARK:
        return (
            f"Early landmarks can leave few patients in one of the two groups (how many had {treated} {by} "
            f"is a count this report hides){later}"
        )
    return f"An early landmark counts as exposed only the patients treated by then ({first_shown} {by}){later}"


def landmark_not_computable(what: str, row, *, had: str) -> str:
    """:func:`analysis.formatting.not_computable` for one landmark's hazard ratio, with the reason
    in a reader's words when nobody, or everybody, alive at the landmark had the exposure by then
    (not "every patient has the same exposure").

    Parameters
    ----------
    what : str
        The missing estimate, as the subject of the sentence.
    row : mapping or None
        The landmark's row of :func:`landmark_analysis` (``landmark``, ``n``, ``exposed``,
        ``reason``), ``None`` when the analyses were not run.
    had : str
        The exposure, after "had" ("disease control").

    Examples
    --------
    >>> row = {"landmark": 3.0, "n": 60, "exposed": 0, "reason": "every patient has the same exposure"}
    >>> landmark_not_computable("the hazard ratio of disease control by month 3", row, had="disease control")
    'The hazard ratio of disease control by month 3 cannot be computed on this cohort: nobody alive at month 3 had disease control by then.'

    On a user's cohort a landmark with 1 to 4 patients on one side is not shown
    (:func:`exposure_analyses`):

    >>> row = {"landmark": 3.0, "n": 60, "exposed": 3, "reason": NOT_SHOWN_SMALL_GROUP}
    >>> landmark_not_computable("the hazard ratio of disease control by month 3", row, had="disease control")
    'The hazard ratio of disease control by month 3 is not shown (fewer than 5 patients).'
    """
    if row is None:
        return not_computable(what, "no landmark analysis")
    if row["reason"] == NOT_SHOWN_SMALL_GROUP:
        return not_computable(what, NOT_SHOWN_SMALL_GROUP)
    if row["n"] and row["exposed"] == 0:
        why = f"nobody alive at {_month(row['landmark'])} had {had} by then"
    elif row["n"] and row["exposed"] == row["n"]:
        why = f"everybody alive at {_month(row['landmark'])} had {had} by then"
    else:
        why = row["reason"] or "no estimate"
    return not_computable(what, why)


def to_counting_process(
    df: pd.DataFrame,
    exposure_col: str = "additional_tace",
    exposure_time_col: str = "additional_tace_month",
    duration_col: str = "os_months",
    event_col: str = "os_event",
    id_col: str | None = None,
) -> pd.DataFrame:
    """Split each patient's follow-up at the time of exposure (start, stop] for a time-varying Cox.

    A patient exposed at ``t_e`` with ``0 < t_e < T`` contributes ``(0, t_e]`` unexposed with no
    event and ``(t_e, T]`` exposed with the patient's event; an exposure at time 0 makes the
    whole follow-up exposed; an exposure missing, or at or after ``T``, leaves it unexposed.

    Returns
    -------
    pandas.DataFrame
        Columns ``id``, ``start``, ``stop``, ``exposed``, ``event``, rows in patient order.

    Examples
    --------
    The patient treated at month 3 and dead at month 4 gives two rows: (0, 3] untreated without
    an event and (3, 4] treated with the death:

    >>> nan = float("nan")
    >>> d = pd.DataFrame({
    ...     "os_months": [2, 4], "os_event": [1, 1],
    ...     "additional_tace": [0, 1], "additional_tace_month": [nan, 3],
    ... })
    >>> to_counting_process(d)
       id  start  stop  exposed  event
    0   0    0.0   2.0        0      1
    1   1    0.0   3.0        0      0
    2   1    3.0   4.0        1      1
    """
    _require(df, [exposure_col, exposure_time_col, duration_col, event_col])
    ids = df[id_col].tolist() if id_col else list(range(len(df)))
    t = df[duration_col].to_numpy()
    t_e = df[exposure_time_col].to_numpy()
    bad = np.flatnonzero(t <= 0)
    if bad.size:
        k = int(bad[0])
        raise ValueError(
            f"{duration_col} must be positive, got {df[duration_col].iloc[[k]].tolist()[0]!r} "
            f"for patient {ids[k]!r}"
        )
    # the arrays of every patient at once (a loop over patients took seconds on 10,000 of them,
    # and the null simulation builds this for each of its studies)
    with np.errstate(invalid="ignore"):
        exposed = (df[exposure_col].to_numpy() == 1) & pd.notna(t_e) & (t_e < t)
        split = exposed & ~(t_e <= 0)  # (0, t_e] unexposed, then (t_e, T] exposed
    rows = np.repeat(np.arange(len(df)), np.where(split, 2, 1))
    later = np.zeros(rows.size, dtype=bool)  # the second row of a split patient
    later[1:] = split[rows[1:]] & (rows[1:] == rows[:-1])
    before = split[rows] & ~later  # the first row of a split patient
    out = pd.DataFrame(
        {
            "id": [ids[i] for i in rows],
            "start": np.where(later, t_e[rows], 0.0),
            "stop": np.where(before, t_e[rows], t[rows]),
            "exposed": (exposed[rows] & ~before).astype(int),
            "event": np.where(before, 0, df[event_col].to_numpy()[rows]),
        }
    )
    return out.astype({"start": float, "stop": float, "exposed": int, "event": int})


def cox_efron(
    start, stop, event, x, *, max_iter: int = 50, tol: float = 1e-12, ties: str = "efron"
):
    """Cox model for ``(start, stop]`` data with Efron ties: :func:`analysis.engine.cox_fit`
    (``ties="breslow"``: SPSS's rule instead).

    The loops of this module (null simulation, bootstrap) fit hundreds of small models; the
    engine's NumPy Newton-Raphson takes about a millisecond a fit. Efron's tie correction
    :cite:`efron1977` is R's ``coxph`` and lifelines' default (SPSS uses Breslow's).
    Right-censored data are the special case ``start = 0``.

    Parameters
    ----------
    start, stop, event : array_like, shape (n,)
    x : array_like, shape (n,) or (n, p)
    ties : {"efron", "breslow"}, default "efron"
        How tied death times are handled.

    Returns
    -------
    beta, se : ndarray, shape (p,)
        Coefficients and their standard errors (inverse observed information); NaN when the
        information matrix is singular (a covariate without variation, separation).
    converged : bool

    Examples
    --------
    >>> beta, se, ok = cox_efron([0, 0, 0, 0], [1, 2, 3, 4], [1, 1, 1, 1], [0, 1, 0, 1])
    >>> round(float(beta[0]), 4), ok
    (-0.9406, True)
    >>> tied = ([0] * 5, [1, 1, 2, 3, 4], [1, 1, 1, 1, 0], [0, 1, 1, 0, 1])  # two deaths at 1
    >>> [round(float(cox_efron(*tied, ties=t)[0][0]), 4) for t in ("efron", "breslow")]
    [-0.4032, -0.3765]
    """
    start = np.asarray(start, float)
    entry = start if np.any(start != 0) else None
    fit = engine.cox_fit(x, stop, event, start=entry, ties=ties, tol=tol, max_iter=max_iter)
    if not np.all(np.isfinite(fit.beta)):
        return fit.beta, fit.se, False
    return fit.beta, fit.se, fit.converged


def cox_one_covariate(start, stop, event, x, **kwargs) -> dict:
    """:func:`cox_efron` with one covariate, as a dict: ``hr``, ``lower``, ``upper``, ``p`` (Wald),
    ``converged`` and ``reason`` — empty when the estimate exists, otherwise why it does not (no
    events, a covariate that does not vary, an estimate running off to infinity because every
    event is on one side); the estimates are then NaN, so a chapter can explain instead of crash.

    Examples
    --------
    >>> res = cox_one_covariate([0, 0, 0, 0], [1, 2, 3, 4], [1, 1, 1, 1], [0, 1, 0, 1])
    >>> round(res["hr"], 4), res["reason"]   # exp(-0.9406), see cox_efron
    (0.3904, '')
    >>> cox_one_covariate([0, 0, 0, 0], [1, 2, 3, 4], [1, 1, 0, 0], [1, 1, 0, 0])["reason"]
    'the estimate runs off to infinity: all events are in one group'
    >>> cox_one_covariate([0, 0, 0, 0], [6, 6, 6, 6], [1, 1, 1, 1], [0, 1, 0, 1])["reason"]
    'every patient still at risk dies at the same time, so the model compares nobody'
    """
    nan = {"hr": np.nan, "lower": np.nan, "upper": np.nan, "p": np.nan, "converged": False}
    x = np.asarray(x, float)
    if not (np.asarray(event, float) > 0).any():
        return {**nan, "reason": "no events"}
    if len(x) == 0 or np.ptp(x) == 0:
        return {**nan, "reason": "every patient has the same exposure"}
    if everyone_at_risk_dies(stop, event, start):  # Efron's HR 1 (with an interval) is no estimate
        return {**nan, "reason": EVERYONE_DIES_AT_ONCE.replace("the test", "the model")}
    beta, se, converged = cox_efron(start, stop, event, x, **kwargs)
    b, s = float(beta[0]), float(se[0])
    if not (converged and np.isfinite(b) and np.isfinite(s) and abs(b) < 10):
        return {**nan, "reason": "the estimate runs off to infinity: all events are in one group"}
    if s > 10:  # an interval exp(b ± 1.96 s) spanning more than e^39: the data hold no information
        return {**nan, "reason": "no interval can be given (almost no information in this cohort)"}
    z = 1.959963984540054
    return {
        "hr": math.exp(b),
        "lower": math.exp(b - z * s),
        "upper": math.exp(b + z * s),
        "p": math.erfc(abs(b / s) / math.sqrt(2.0)),
        "converged": True,
        "reason": "",
    }


def time_varying_cox(
    df: pd.DataFrame,
    exposure_col: str = "additional_tace",
    exposure_time_col: str = "additional_tace_month",
    duration_col: str = "os_months",
    event_col: str = "os_event",
) -> dict:
    """Cox HR of an exposure entered as a time-varying covariate.

    Method: counting-process data from :func:`to_counting_process`; Efron ties; Wald CI and P
    (:func:`cox_one_covariate`). R's ``coxph(Surv(start, stop, event) ~ exposed)`` and lifelines'
    ``CoxTimeVaryingFitter`` on the same data give the same estimate (tested).

    Returns
    -------
    dict
        ``hr``, ``lower``, ``upper``, ``p``, ``reason`` (empty, or why the estimate does not
        exist), ``n`` (patients), ``events``. Patients with no follow-up (a duration of 0) are
        never at risk in an interval ``(start, stop]`` and are left out, as R's ``coxph``
        requires; ``n`` counts the patients used.

    Examples
    --------
    The months before each additional TACE now count as untreated: the HR is no longer credited
    with them (compare :func:`naive_cox`, 1.215):

    >>> nan = float("nan")
    >>> d = pd.DataFrame({
    ...     "os_months": [2, 4, 6, 8, 10, 12], "os_event": [1, 1, 1, 1, 1, 0],
    ...     "additional_tace": [0, 1, 0, 1, 1, 0], "additional_tace_month": [nan, 3, nan, 1, 5, nan],
    ... })
    >>> res = time_varying_cox(d)
    >>> round(res["hr"], 3), res["n"], res["events"]
    (2.018, 6, 5)
    """
    followed = pd.to_numeric(df[duration_col]) > 0
    long = to_counting_process(
        df.loc[followed], exposure_col, exposure_time_col, duration_col, event_col
    )
    fit = cox_one_covariate(long["start"], long["stop"], long["event"], long["exposed"])
    fit.pop("converged")
    return {**fit, "n": int(long["id"].nunique()), "events": int(long["event"].sum())}


LANDMARK_COLUMNS = ["landmark", "n", "exposed", "events", "hr", "lower", "upper", "p", "reason"]


def exposure_analyses(
    df: pd.DataFrame,
    landmarks: Sequence[float],
    exposure_col: str = "additional_tace",
    exposure_time_col: str = "additional_tace_month",
    duration_col: str = "os_months",
    event_col: str = "os_event",
    *,
    user: bool | None = None,
) -> dict:
    """The naive, time-varying and landmark analyses of one exposure, on any cohort.

    The time of the exposure is an optional column of a user's cohort; without it only the
    naive analysis is possible. Nothing raises on a degenerate cohort: each result carries a
    ``reason`` (empty when the estimate exists).

    On a user's cohort (``user``, default ``df.attrs["user_cohort"]`` as
    :func:`analysis.cohort.load_cohort` sets it) an estimate that compares a group of 1 to 4
    patients is not given, as chapter 6 gives no log-rank P for such a group
    (:func:`analysis.privacy.small_groups`): its ``hr``, ``lower``, ``upper`` and ``p`` are NaN
    and its ``reason`` is :data:`analysis.privacy.NOT_SHOWN_SMALL_GROUP`. The groups are the
    exposed and the unexposed patients (naive), those exposed before their follow-up ends and
    the others (time-varying), and those exposed by the landmark and the others alive at it
    (landmark); the counts are kept.

    Returns
    -------
    dict
        ``naive`` and ``time_varying`` (dicts as :func:`naive_cox`), ``landmarks`` (the frame of
        :func:`landmark_analysis`, empty without exposure times) and ``reason`` (why the
        time-dependent analyses are missing, or empty).

    Examples
    --------
    >>> nan = float("nan")
    >>> d = pd.DataFrame({
    ...     "os_months": [2, 4, 6, 8, 10, 12], "os_event": [1, 1, 1, 1, 1, 0],
    ...     "additional_tace": [0, 1, 0, 1, 1, 0], "additional_tace_month": [nan, 3, nan, 1, 5, nan],
    ... })
    >>> res = exposure_analyses(d, landmarks=[3])
    >>> sorted(res), res["reason"]
    (['landmarks', 'naive', 'reason', 'time_varying'], '')
    >>> round(res["naive"]["hr"], 3), round(res["time_varying"]["hr"], 3)
    (1.215, 2.018)
    >>> exposure_analyses(d.drop(columns="additional_tace_month"), [3])["reason"] != ""
    True

    The same six patients as a user's cohort: three treated against three untreated, and at
    month 3 two treated against three:

    >>> res = exposure_analyses(d, landmarks=[3], user=True)
    >>> res["naive"]["reason"], res["naive"]["hr"]
    ('not shown (fewer than 5 patients)', nan)
    >>> res["landmarks"][["n", "exposed", "hr", "reason"]]
       n  exposed  hr                             reason
    0  5        2 NaN  not shown (fewer than 5 patients)
    """
    user = is_user_cohort(df) if user is None else bool(user)
    out = _exposure_analyses(
        df, landmarks, exposure_col, exposure_time_col, duration_col, event_col
    )
    if not user:
        return out
    exposed = df[exposure_col] == 1
    n = len(df)
    _hide_if_small(out["naive"], int(exposed.sum()), n, user=user)
    if not out["reason"]:
        time = pd.to_numeric(df[exposure_time_col])
        duration = pd.to_numeric(df[duration_col])
        followed = duration > 0
        ever = int((exposed & followed & time.notna() & (time < duration)).sum())
        _hide_if_small(out["time_varying"], ever, int(followed.sum()), user=user)
    lm = out["landmarks"].copy()
    for i, row in lm.iterrows():
        hidden = _hide_if_small({}, int(row["exposed"]), int(row["n"]), user=user)
        if hidden:
            lm.loc[i, ["hr", "lower", "upper", "p"]] = np.nan
            lm.loc[i, "reason"] = NOT_SHOWN_SMALL_GROUP
    out["landmarks"] = lm
    return out


def _hide_if_small(estimate: dict, exposed: int, n: int, *, user: bool) -> bool:
    """Blank ``estimate`` in place when its exposed or unexposed patients number 1 to 4 on a
    user's cohort; whether it did."""
    if not small_groups({"exposed": exposed, "unexposed": n - exposed}, user=user):
        return False
    estimate.update(dict.fromkeys(("hr", "lower", "upper", "p"), np.nan))
    estimate["reason"] = NOT_SHOWN_SMALL_GROUP
    return True


def _exposure_analyses(
    df: pd.DataFrame,
    landmarks: Sequence[float],
    exposure_col: str,
    exposure_time_col: str,
    duration_col: str,
    event_col: str,
) -> dict:
    naive = naive_cox(df, exposure_col, duration_col, event_col)
    timed = exposure_time_col in df.columns and (
        df.loc[df[exposure_col] == 1, exposure_time_col].notna().all()
    )
    if not timed:
        reason = f"the cohort does not record {exposure_time_col} for every exposed patient"
        missing = dict.fromkeys(("hr", "lower", "upper", "p"), np.nan)
        return {
            "naive": naive,
            "time_varying": {**missing, "reason": reason, "n": len(df), "events": 0},
            "landmarks": pd.DataFrame(columns=LANDMARK_COLUMNS),
            "reason": reason,
        }
    return {
        "naive": naive,
        "time_varying": time_varying_cox(
            df, exposure_col, exposure_time_col, duration_col, event_col
        ),
        "landmarks": landmark_analysis(
            df, landmarks, exposure_col, exposure_time_col, duration_col, event_col
        ),
        "reason": "",
    }


def simulate_null_exposure(
    n: int,
    seed: int,
    median_survival_months: float = 9.9,
    median_exposure_months: float = 4.0,
    exposure_probability: float = 0.6,
    follow_up_months: float = 60.0,
    hazard_ratio: float = 1.0,
) -> pd.DataFrame:
    """Simulate patients who may receive a treatment during follow-up.

    Method: death times are exponential with the given median before treatment and a hazard
    multiplied by ``hazard_ratio`` after it (``1.0``: the treatment does nothing). Each patient
    is *planned* for treatment with probability ``exposure_probability`` at an exponential time
    with the given median; the treatment happens only if the patient is still alive then.
    Administrative censoring at ``follow_up_months``. Seeded: the same seed gives the same data.

    Returns
    -------
    pandas.DataFrame
        ``os_months``, ``os_event``, ``additional_tace`` (0/1), ``additional_tace_month`` (NaN if
        none) — the cohort's column names, so every function here applies.

    Examples
    --------
    >>> d = simulate_null_exposure(5, seed=1)
    >>> d.columns.tolist()
    ['os_months', 'os_event', 'additional_tace', 'additional_tace_month']
    >>> treated = d[d["additional_tace"] == 1]
    >>> bool((treated["additional_tace_month"] < treated["os_months"]).all())   # only the living are treated
    True
    """
    if n < 1:
        raise ValueError(f"n must be positive, got {n!r}")
    if hazard_ratio <= 0:
        raise ValueError(f"hazard_ratio must be positive, got {hazard_ratio!r}")
    rng = np.random.default_rng(checked_seed(seed))
    rate = np.log(2) / median_survival_months
    planned = rng.random(n) < exposure_probability
    t_plan = rng.exponential(median_exposure_months / np.log(2), n)
    t_death0 = rng.exponential(1 / rate, n)
    # piecewise exponential: after treatment the remaining time is rescaled by 1/hazard_ratio
    treated = planned & (t_plan < t_death0)
    t_death = np.where(treated, t_plan + (t_death0 - t_plan) / hazard_ratio, t_death0)
    event = t_death <= follow_up_months
    time = np.minimum(t_death, follow_up_months)
    treated &= t_plan < time
    return pd.DataFrame(
        {
            "os_months": time,
            "os_event": event.astype(int),
            "additional_tace": treated.astype(int),
            "additional_tace_month": np.where(treated, t_plan, np.nan),
        }
    )


def null_simulation(
    n_sims: int, n: int = 82, seed: int = 2024, *, landmark: float | None = None, **kwargs
) -> pd.DataFrame:
    """Repeat :func:`simulate_null_exposure` and compare the naive and time-varying analyses.

    With ``landmark`` (months), each study also gets the landmark analysis at that time
    (:func:`landmark_analysis`): its hazard ratio and P, NaN where nobody alive at the landmark
    was treated by then, or everybody was. The random draws do not depend on ``landmark``, so the
    other columns are the same with and without it.

    Returns
    -------
    pandas.DataFrame
        One row per simulated study: ``sim``, ``naive_hr``, ``naive_p``, ``tv_hr``, ``tv_p``,
        and with ``landmark`` also ``lm_hr`` and ``lm_p``. Summaries (median HR, share of
        P < 0.05) are left to the caller.

    Examples
    --------
    >>> sims = null_simulation(3, n=30, seed=1)
    >>> sims.columns.tolist(), len(sims)
    (['sim', 'naive_hr', 'naive_p', 'tv_hr', 'tv_p'], 3)
    >>> sims.equals(null_simulation(3, n=30, seed=1))   # seeded
    True
    >>> lm = null_simulation(3, n=30, seed=1, landmark=3.0)
    >>> lm.columns.tolist()[-2:], lm[sims.columns].equals(sims)
    (['lm_hr', 'lm_p'], True)
    """
    seeds = np.random.SeedSequence(checked_seed(seed)).spawn(n_sims)
    rows = []
    for i, s in enumerate(seeds):
        sim = simulate_null_exposure(n, int(s.generate_state(1)[0]), **kwargs)
        naive = cox_one_covariate(
            np.zeros(len(sim)), sim["os_months"], sim["os_event"], sim["additional_tace"]
        )
        long = to_counting_process(sim)
        tv = cox_one_covariate(long["start"], long["stop"], long["event"], long["exposed"])
        rows.append(
            {
                "sim": i,
                "naive_hr": naive["hr"],
                "naive_p": naive["p"],
                "tv_hr": tv["hr"],
                "tv_p": tv["p"],
            }
        )
        if landmark is not None:
            at = landmark_analysis(sim, [landmark]).iloc[0]
            rows[-1].update({"lm_hr": at["hr"], "lm_p": at["p"]})
    return pd.DataFrame(rows)


def null_simulation_summary(sims: pd.DataFrame, landmark: float | None = None) -> pd.DataFrame:
    """The table of :func:`null_simulation`'s studies: per analysis, the median hazard ratio and
    the share of studies with P < 0.05, formatted for reading.

    The landmark row (with ``landmark``, the month the studies were given) counts only the
    studies where that analysis can be estimated, and shows "–" where none can; the naive and
    time-varying rows count every study.

    Returns
    -------
    pandas.DataFrame
        Columns ``Analysis``, ``Median HR``, ``Studies with P < 0.05``; one row per analysis.

    Examples
    --------
    >>> sims = null_simulation(4, n=30, seed=1, landmark=3.0)
    >>> null_simulation_summary(sims, landmark=3.0)["Analysis"].tolist()
    ['naive (exposure known at time zero)', 'time-varying Cox', 'landmark at month 3 (treated by then)']
    >>> null_simulation_summary(sims).columns.tolist()
    ['Analysis', 'Median HR', 'Studies with P < 0.05']
    """
    analyses = {"naive (exposure known at time zero)": "naive", "time-varying Cox": "tv"}
    if landmark is not None:
        analyses[f"landmark at month {landmark:g} (treated by then)"] = "lm"
    rows = []
    for label, key in analyses.items():
        ok = sims[f"{key}_hr"].notna() if key == "lm" else pd.Series(True, index=sims.index)
        if ok.any():
            hr = number(sims.loc[ok, f"{key}_hr"].median(), 2)
            significant = f"{number(100 * (sims.loc[ok, f'{key}_p'] < 0.05).mean(), 0)}%"
        else:
            hr = significant = "–"
        rows.append({"Analysis": label, "Median HR": hr, "Studies with P < 0.05": significant})
    return pd.DataFrame(rows)


def cutoff_sensitivity(
    df: pd.DataFrame,
    cutoffs: Sequence[int],
    column: str = "prior_tace_sessions",
    duration_col: str = "os_months",
    event_col: str = "os_event",
    *,
    user: bool | None = None,
) -> pd.DataFrame:
    """The "more than c sessions vs c or fewer" comparison for several cut-offs.

    For each cut-off: group sizes, Kaplan-Meier medians (SPSS rule), log-rank P and the Cox HR
    of the 0/1 split. A finding that holds at one cut-off only, especially one chosen after
    seeing the data, is fragile.

    On a user's cohort (``user``, default ``df.attrs["user_cohort"]`` as
    :func:`analysis.cohort.load_cohort` sets it) a cut-off that leaves 1 to 4 patients on one
    side gives no median of that side, no log-rank P and no HR (NaN), as chapter 6 gives none
    for such a group (:func:`analysis.privacy.small_groups`); its ``reason`` says so.

    Returns
    -------
    pandas.DataFrame
        One row per cut-off: ``cutoff``, ``n_low``, ``n_high``, ``median_low``, ``median_high``,
        ``logrank_p``, ``hr``, ``lower``, ``upper``, ``p``, ``reason``: empty, or why the
        comparison is missing (:data:`analysis.privacy.NOT_SHOWN_SMALL_GROUP`, a side with
        nobody in it, or "no events in either group": no P of 1 for a test without a death),
        and ``step_hidden``: on a user's cohort, ``True`` where the row's groups
        differ from those of the nearest lower cut-off shown by 1 to 4 patients, so that its
        medians, P and HR are not shown either (side by side, the two rows would give away
        the survival of the patients between the cut-offs).

    Examples
    --------
    Six patients; at the cut-off 3 the low group dies at 4, 8 and 12 months (median 8), the high
    group at 2, 6 and 10 (median 6):

    >>> d = pd.DataFrame({
    ...     "prior_tace_sessions": [1, 2, 3, 4, 5, 6],
    ...     "os_months": [12, 4, 8, 6, 10, 2],
    ...     "os_event": [1, 1, 1, 1, 1, 1],
    ... })
    >>> row = cutoff_sensitivity(d, [3]).iloc[0]
    >>> int(row["n_low"]), int(row["n_high"]), float(row["median_low"]), float(row["median_high"])
    (3, 3, 8.0, 6.0)

    As a user's cohort, with three patients on each side, neither median, nor the P or the HR
    is given:

    >>> row = cutoff_sensitivity(d, [3], user=True).iloc[0]
    >>> row[["median_low", "median_high", "logrank_p", "hr"]].isna().all(), row["reason"]
    (np.True_, 'not shown (fewer than 5 patients)')

    With no death at all there is nothing to test, not a P of 1:

    >>> row = cutoff_sensitivity(d.assign(os_event=0), [3]).iloc[0]
    >>> bool(np.isnan(row["logrank_p"])), row["reason"]
    (True, 'no events in either group')

    Nor are two cut-offs whose groups differ by 1 to 4 patients both shown: of 12 patients with
    1 to 12 sessions, more than 5 and more than 7 sessions differ by the 2 patients with 6 or 7,
    so only the first is shown; more than 8 differs from it by 3 patients as well:

    >>> e = pd.DataFrame({"prior_tace_sessions": range(1, 13), "os_months": range(2, 14),
    ...                   "os_event": [1] * 12})
    >>> cutoff_sensitivity(e, [5, 7, 8], user=True)[["cutoff", "step_hidden"]].to_numpy().tolist()
    [[5, False], [7, True], [8, True]]
    """
    _require(df, [column, duration_col, event_col])
    user = is_user_cohort(df) if user is None else bool(user)
    rows = []
    for c in cutoffs:
        high = (df[column] > c).astype(float)
        row = {"cutoff": c, "n_low": int((high == 0).sum()), "n_high": int(high.sum())}
        low_df, high_df = df[high == 0], df[high == 1]
        row["median_low"] = (
            median_survival(low_df[duration_col], low_df[event_col])[0] if len(low_df) else np.nan
        )
        row["median_high"] = (
            median_survival(high_df[duration_col], high_df[event_col])[0]
            if len(high_df)
            else np.nan
        )
        small = small_groups({"low": row["n_low"], "high": row["n_high"]}, user=user)
        if row["n_low"] and row["n_high"] and not small and not df[event_col].any():
            # no death in either group: nothing to test (logrank's P of 1 would read as a result)
            row.update(logrank_p=np.nan, hr=np.nan, lower=np.nan, upper=np.nan, p=np.nan)
            row["reason"] = "no events in either group"
        elif (
            row["n_low"] and row["n_high"] and not small
            and everyone_at_risk_dies(df[duration_col], df[event_col])
        ):  # fmt: skip
            row.update(logrank_p=np.nan, hr=np.nan, lower=np.nan, upper=np.nan, p=np.nan)
            row["reason"] = EVERYONE_DIES_AT_ONCE
        elif row["n_low"] and row["n_high"] and not small:
            row["logrank_p"] = logrank(df[duration_col], df[event_col], high)[2]
            fit = cox_one_covariate(np.zeros(len(df)), df[duration_col], df[event_col], high)
            row.update({k: fit[k] for k in ("hr", "lower", "upper", "p")}, reason=fit["reason"])
        else:
            row.update(logrank_p=np.nan, hr=np.nan, lower=np.nan, upper=np.nan, p=np.nan)
            side = "more than" if not row["n_high"] else "at most"
            row["reason"] = NOT_SHOWN_SMALL_GROUP if small else f"nobody with {side} {c} sessions"
        for group in small:
            row[f"median_{group}"] = np.nan
        row["step_hidden"] = False
        rows.append(row)
    if user:
        _hide_small_steps(rows)
    return pd.DataFrame(rows)


def _hide_small_steps(rows: list[dict]) -> None:
    """Blank, in place, the estimates of a cut-off whose groups differ from those of the
    nearest lower cut-off still shown by 1 to 4 patients: two such rows side by side would give
    away the survival of the patients between them (the median of "more than c" moving as 2
    early deaths leave it). Rows are taken in the order of their cut-off."""
    last = None
    for row in sorted(rows, key=lambda r: r["cutoff"]):
        shows = not pd.isna(row["median_low"]) or not pd.isna(row["median_high"])
        if not shows:
            continue
        if last is not None and 0 < row["n_low"] - last < SMALL_COUNT_THRESHOLD:
            row.update(dict.fromkeys(("median_low", "median_high", "logrank_p"), np.nan))
            row.update(dict.fromkeys(("hr", "lower", "upper", "p"), np.nan))
            row.update(reason=NOT_SHOWN_SMALL_GROUP, step_hidden=True)
            continue
        last = row["n_low"]


def multivariable_design(
    cohort: pd.DataFrame, duration_col: str = "os_months", event_col: str = "os_event"
) -> pd.DataFrame:
    """The columns of :data:`MULTIVARIABLE_TERMS` plus duration and event, from a cohort.

    :func:`analysis.paper.multivariable_design` with the SE-implied coding: Child-Pugh score
    dummies against score 5, albumin ≤ 3 g/dL as 0/1, ALBI score, AST, CRP, tumour number and
    prior TACE per unit, AFP per ng/mL, additional TACE 0/1. A term that does not vary is
    dropped (so the model may have fewer than 11 parameters); rows with a missing value are
    dropped.

    Examples
    --------
    >>> from analysis.cohort import load_cohort
    >>> design = multivariable_design(load_cohort())
    >>> design.shape, design.columns[-3:].tolist()
    ((82, 13), ['additional_tace', 'os_months', 'os_event'])
    """
    _require(cohort, ["child_pugh_score", "albumin_g_dl", duration_col, event_col])
    return paper.multivariable_design(cohort, duration_col, event_col)


def optimism_corrected_concordance(
    design: pd.DataFrame,
    duration_col: str,
    event_col: str,
    n_boot: int = 200,
    seed: int = 2024,
    penalizer: float = 0.0,
    min_fitted: float = 0.5,
) -> dict:
    """Harrell's bootstrap optimism correction of a Cox model's concordance :cite:`harrell1996`.

    Method: fit the model on the data and compute Harrell's C on the same data (apparent C). For
    each of ``n_boot`` bootstrap samples, refit, compute C on the bootstrap sample and on the
    original data; the mean difference is the optimism, and apparent − optimism is the corrected
    C, an estimate of how the model would discriminate in new patients from the same
    population. Bootstrap fits that fail to converge are skipped and counted. Fits use
    :func:`cox_efron` (Efron ties, the survival engine; the same estimates as lifelines at a
    hundredth of the cost) and Harrell's C is :func:`analysis.engine.concordance`, so 200
    replicates take about a second.

    Parameters
    ----------
    design : pandas.DataFrame
        Numeric covariates plus the duration and event columns, no missing values.
    n_boot : int
        Bootstrap replicates (keep ≤ 200 in the book: each is one Cox fit).
    seed : int
        Seed of the bootstrap resampling.
    min_fitted : float
        The smallest share of the ``n_boot`` resamples that must be fitted for an optimism:
        with fewer (3 of 200 on a small cohort) the mean leaves out most resamples, the sparsest
        ones, and the optimism and corrected C are NaN with a ``reason`` saying how many fitted.

    Returns
    -------
    dict
        ``apparent``, ``optimism``, ``corrected``, ``n_boot`` (used), ``failed``, ``events``,
        ``parameters``, ``events_per_parameter`` and ``reason`` (empty, or why the estimates are
        NaN).

    Examples
    --------
    A few replicates only (the book uses 200):

    >>> from analysis.cohort import load_cohort
    >>> design = multivariable_design(load_cohort())
    >>> res = optimism_corrected_concordance(design, "os_months", "os_event", n_boot=10)
    >>> res["events"], res["parameters"], round(res["events_per_parameter"], 2)   # 68 / 11
    (68, 11, 6.18)
    >>> round(res["apparent"] - res["optimism"], 12) == round(res["corrected"], 12)
    True

    Fewer than half of the resamples fitted: no optimism, and the reason says so.

    >>> few = optimism_corrected_concordance(design, "os_months", "os_event", n_boot=10,
    ...                                      min_fitted=0.9)   # 9 of 10 at least
    >>> few["n_boot"], few["reason"], few["optimism"]
    (8, 'only 8 of 10 bootstrap resamples could be fitted, fewer than 90%', nan)
    """
    _require(design, [duration_col, event_col])
    seed = checked_seed(seed)  # refused before any fit, whatever the cohort
    if design.isna().any().any():
        raise ValueError("design: missing values; drop or impute them first")
    covariates = [c for c in design.columns if c not in (duration_col, event_col)]

    if penalizer:
        raise ValueError(f"penalizer: only 0 is supported, got {penalizer!r}")
    x_all = design[covariates].to_numpy(float)
    t_all = design[duration_col].to_numpy(float)
    e_all = design[event_col].to_numpy(float)

    def fit(rows):
        # a term constant in the resample, a fit that does not converge, and one whose estimate
        # runs off to infinity (monotone likelihood, which Newton-Raphson may report as converged
        # once rounding hides the term, on some processors' kernels and not others) all fail
        x, t, e = x_all[rows], t_all[rows], e_all[rows]
        if np.any(np.ptp(x, axis=0) == 0):
            raise ArithmeticError("a covariate is constant in this resample")
        beta, _, converged = cox_efron(np.zeros(len(rows)), t, e, x)
        if (
            not (converged and np.all(np.isfinite(beta)))
            or engine.monotone_terms(x, t, e, beta).any()
        ):
            raise ArithmeticError("Cox fit did not converge")
        return beta

    def c_index(beta, rows):
        return engine.concordance(t_all[rows], e_all[rows], x_all[rows] @ beta)

    n = len(design)
    everyone = np.arange(n)
    events = int(design[event_col].sum())
    summary = {
        "events": events,
        "parameters": len(covariates),
        "events_per_parameter": events / len(covariates) if covariates else np.nan,
    }
    not_estimable = {
        **summary,
        **dict.fromkeys(("apparent", "optimism", "corrected"), np.nan),
        "n_boot": 0,
        "failed": 0,
    }
    if not covariates:  # e.g. one patient, or every term constant: nothing to fit
        return {**not_estimable, "reason": "no model term varies in this cohort"}
    if events == 0:
        return {**not_estimable, "reason": "no events in this cohort (every patient is censored)"}
    try:
        with np.errstate(all="ignore"):
            apparent = c_index(fit(everyone), everyone)
    except ArithmeticError:
        return {
            **summary,
            **dict.fromkeys(("apparent", "optimism", "corrected"), np.nan),
            "n_boot": 0,
            "failed": n_boot,
            "reason": "the model does not converge on this cohort (too few events per parameter)",
        }
    rng = np.random.default_rng(checked_seed(seed))
    diffs, failed = [], 0
    for _ in range(n_boot):
        rows = rng.integers(0, n, n)
        with np.errstate(all="ignore"):
            try:
                beta = fit(rows)
            except ArithmeticError:  # a resample can separate the data or leave a column constant
                failed += 1
                continue
            diff = c_index(beta, rows) - c_index(beta, everyone)
        if not np.isfinite(diff):
            failed += 1
            continue
        diffs.append(diff)
    enough = bool(diffs) and len(diffs) >= min_fitted * n_boot
    optimism = float(np.mean(diffs)) if enough else np.nan
    if not diffs:
        reason = "no bootstrap fit converged"
    elif not enough:
        reason = (
            f"only {count(len(diffs))} of {count(n_boot)} bootstrap resamples could be fitted, fewer than "
            + ("half" if min_fitted == 0.5 else f"{min_fitted:.0%}")
        )
    else:
        reason = ""
    return {
        **summary,
        "apparent": float(apparent),
        "optimism": optimism,
        "corrected": float(apparent - optimism),
        "n_boot": len(diffs),
        "failed": failed,
        "reason": reason,
    }
