"""Assumption scenarios: the generator's timing choices, made explicit and exchangeable.

The paper never reports *when* additional TACE was given during HAIC, nor when the response was
first seen. The synthetic cohort still needs both times (``additional_tace_month``,
``response_month``) for the time-dependent analyses of the bias chapter, so the generator
(:func:`analysis.synthesis.synthesize`) chooses them — and the estimates that use them rest on
that choice, not on the paper. This module re-draws only those two columns on a given cohort
under a named scenario, so a chapter can show which conclusions survive a change of assumption.

Scenarios (:data:`SCENARIOS`):

``as-generated``
    the cohort's own columns, unchanged (the generator's draw).
``proportional``
    the generator's rule, re-drawn (an independent draw, not the cohort's own times): additional TACE at a uniform 10–60% of the patient's OS
    time (:data:`analysis.synthesis.ADDITIONAL_TACE_SHARE`); disease control seen at a uniform
    35–90% of the way to progression (:data:`analysis.synthesis.RESPONSE_SHARE`), between 1 and
    6 months (:data:`analysis.synthesis.RESPONSE_MONTHS`). The later a patient dies, the later
    the treatment: immortal time is built in.
``fixed-interval``
    additional TACE at a uniform 2–4 months after the start of HAIC, whatever the patient's
    survival; disease control seen at the first scan, a uniform 1.5–2.5 months.
``hazard``
    additional TACE after an exponential waiting time (median 3 months: a constant hazard per
    month), disease control after an exponential waiting time (median 2 months).

The flags themselves (``additional_tace``, ``best_response``) and every survival time are
calibrated to the paper and never change, so a treated patient must have been treated while
alive (and a responder must respond before progressing). Each rule is therefore drawn
*conditional on the event happening before death* (for TACE) or *before progression* (for
response): the exponential is truncated at the end of follow-up (the exact conditional law of a
per-month hazard censored by death); the fixed interval ``[a, b]`` is cut to ``[a, min(b, T))``,
and a patient who died before ``a`` gets a uniform time in ``(0, T)`` (counted in
``attrs["outside_rule"]``). Times are on the cohort's 0.01-month grid, at least 0.01 and strictly
before the end of follow-up, so the time-varying analysis always sees the treated as treated.

All randomness takes an explicit seed; the same cohort, scenario and seed give the same bytes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis import bias
from analysis.formatting import hazard_ratio, round_half_up
from analysis.synthesis import ADDITIONAL_TACE_SHARE, RESPONSE_MONTHS, RESPONSE_SHARE

__all__ = [
    "SCENARIOS",
    "TIMING_COLUMNS",
    "Scenario",
    "retime",
    "scenario_estimates",
    "scenario_table",
]

#: The only columns :func:`retime` may change.
TIMING_COLUMNS = ("additional_tace_month", "response_month")


@dataclass(frozen=True)
class Scenario:
    """A timing assumption: how additional TACE and the first sign of disease control are timed.

    ``tace`` and ``response`` are ``(rule, a, b)``: ``("proportional", lo, hi)`` a uniform share
    of the time available (OS for TACE, PFS for response); ``("interval", a, b)`` a uniform time in
    months; ``("hazard", median, 0)`` an exponential waiting time with this median; ``None``
    leaves the column as it is.

    Parameters
    ----------
    name : str
        The key in :data:`SCENARIOS`.
    label : str
        How a table or a figure names the scenario.
    tace, response : tuple or None
        The rules for ``additional_tace_month`` and ``response_month``.

    Examples
    --------
    >>> sorted(SCENARIOS)
    ['as-generated', 'fixed-interval', 'hazard', 'proportional']
    >>> SCENARIOS["hazard"].tace, SCENARIOS["hazard"].response
    (('hazard', 3.0, 0.0), ('hazard', 2.0, 0.0))
    >>> SCENARIOS["as-generated"].tace is None
    True
    """

    name: str
    label: str
    tace: tuple | None
    response: tuple | None


#: The timing scenarios by name: ``as-generated``, ``proportional``, ``fixed-interval`` and
#: ``hazard`` (see the module's description).
SCENARIOS: dict[str, Scenario] = {
    s.name: s
    for s in (
        Scenario("as-generated", "as generated (the cohort's own times)", None, None),
        Scenario(
            "proportional",
            # the generator's rule drawn again, independently of the cohort's own draw: the gap
            # between this row and "as-generated" is chance in the draw alone
            "proportional to survival, drawn again (TACE at {:.0f}–{:.0f}% of OS)".format(
                *(100 * share for share in ADDITIONAL_TACE_SHARE)
            ),
            # the generator's own shares (analysis.synthesis._finish draws the same rules)
            ("proportional", *ADDITIONAL_TACE_SHARE),
            ("proportional", *RESPONSE_SHARE),
        ),
        Scenario(
            "fixed-interval",
            "fixed interval (TACE 2–4 months after HAIC start)",
            ("interval", 2.0, 4.0),
            ("interval", 1.5, 2.5),
        ),
        Scenario(
            "hazard",
            "constant hazard (TACE after a median of 3 months)",
            ("hazard", 3.0, 0.0),
            ("hazard", 2.0, 0.0),
        ),
    )
}

_GRID = 0.01


def _draw(
    rule: tuple, horizon: np.ndarray, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Times in ``(0, horizon)`` under ``rule``; returns the times and where the rule could not
    hold (a horizon before the rule's earliest time)."""
    kind, a, b = rule
    n = len(horizon)
    u = rng.random(n)
    outside = np.zeros(n, dtype=bool)
    if kind == "proportional":
        t = horizon * (a + (b - a) * u)
    elif kind == "interval":
        hi = np.minimum(b, horizon)
        inside = horizon > a
        t = np.where(inside, a + (hi - a) * u, horizon * u)
        outside = ~inside
    elif kind == "hazard":
        rate = np.log(2.0) / a
        # exponential truncated at the horizon: inverse of F(t) / F(horizon)
        t = -np.log1p(-u * -np.expm1(-rate * horizon)) / rate
    else:
        raise ValueError(f"unknown timing rule {kind!r}")
    t = round_half_up(t, 2)
    t = np.clip(t, _GRID, np.maximum(horizon - _GRID, _GRID))
    return np.round(t, 2), outside


def retime(cohort: pd.DataFrame, scenario: str, seed: int) -> pd.DataFrame:
    """The cohort with only ``additional_tace_month`` and ``response_month`` re-drawn.

    Parameters
    ----------
    cohort : pandas.DataFrame
        A cohort with the data dictionary's columns (``os_months``, ``pfs_months``,
        ``additional_tace``, ``best_response`` and the two timing columns).
    scenario : str
        A key of :data:`SCENARIOS`.
    seed : int
        Seed of ``numpy.random.default_rng`` (one stream for TACE, one for response).

    Returns
    -------
    pandas.DataFrame
        A copy; every column but :data:`TIMING_COLUMNS` is identical to the input.
        ``attrs["scenario"]`` names the scenario, ``attrs["outside_rule"]`` counts treated patients
        who died before the rule's earliest time (given a uniform time within their follow-up).

    Examples
    --------
    >>> df = pd.DataFrame({"os_months": [10.0, 1.0], "pfs_months": [5.0, 1.0],
    ...     "additional_tace": [1, 1], "best_response": ["PR", "PD"],
    ...     "additional_tace_month": [4.0, 0.5], "response_month": [2.0, 1.0]})
    >>> out = retime(df, "fixed-interval", seed=1)
    >>> bool(2.0 <= out.loc[0, "additional_tace_month"] <= 4.0), out.attrs["outside_rule"]
    (True, 1)
    >>> out["response_month"].tolist()[1]  # progressive disease: the time of progression
    1.0
    """
    if scenario not in SCENARIOS:
        raise ValueError(f"unknown scenario {scenario!r}; choose one of {sorted(SCENARIOS)}")
    sc = SCENARIOS[scenario]
    out = cohort.copy()
    out.attrs = {**cohort.attrs, "scenario": scenario, "outside_rule": 0}
    tace_rng, resp_rng = (
        np.random.default_rng(s) for s in np.random.SeedSequence(bias.checked_seed(seed)).spawn(2)
    )
    if sc.tace is not None and "additional_tace" in out.columns:
        treated = (out["additional_tace"] == 1).to_numpy()
        os_t = out["os_months"].to_numpy(float)
        t, outside = _draw(sc.tace, os_t, tace_rng)
        out["additional_tace_month"] = np.where(treated, t, np.nan)
        out.attrs["outside_rule"] = int((outside & treated).sum())
    if sc.response is not None:
        dc = (out["best_response"] != "PD").to_numpy()
        pfs = out["pfs_months"].to_numpy(float)
        t, _ = _draw(sc.response, pfs, resp_rng)
        if sc.response[0] == "proportional":  # the generator: first imaging at 1-6 months
            t = np.minimum(np.clip(t, *RESPONSE_MONTHS), pfs)
        out["response_month"] = np.where(dc, t, pfs)
    return out


#: Columns of :func:`scenario_estimates`.
ESTIMATE_COLUMNS = [
    "scenario", "label", "exposure", "analysis", "landmark", "n", "exposed", "events",
    "hr", "lower", "upper", "p", "reason",
]  # fmt: skip

_EXPOSURES = {
    "additional TACE": ("additional_tace", "additional_tace_month"),
    "disease control": ("disease_control", "response_month"),
}


def scenario_estimates(
    cohort: pd.DataFrame,
    scenarios: Sequence[str] = tuple(SCENARIOS),
    landmarks: Sequence[float] = (1.0, 2.0, 3.0, 6.0),
    seed: int = 2024,
) -> pd.DataFrame:
    """The bias chapter's estimates (naive, time-varying, landmark) under each scenario.

    Each scenario re-times the same cohort (:func:`retime`, same seed) and runs
    :func:`analysis.bias.exposure_analyses` for additional TACE and for disease control (CR, PR
    or SD, timed by ``response_month``). The naive estimate ignores the timing, so it is the
    same in every scenario; the time-varying and landmark estimates move with the assumption.

    Parameters
    ----------
    cohort : pandas.DataFrame
        A cohort with the data dictionary's columns (as :func:`retime` needs them).
    scenarios : sequence of str
        Keys of :data:`SCENARIOS`; default all four.
    landmarks : sequence of float
        Landmark times (months) of the landmark analyses.
    seed : int
        The seed of :func:`retime`, the same for every scenario.

    Returns
    -------
    pandas.DataFrame
        Tidy, one row per (scenario, exposure, analysis, landmark), columns ``scenario``,
        ``label``, ``exposure``, ``analysis``, ``landmark``, ``n``, ``exposed``, ``events``,
        ``hr``, ``lower``, ``upper``, ``p`` and ``reason``; ``landmark`` is NaN for the naive
        and time-varying rows; HR columns are NaN with a ``reason`` when an estimate does not
        exist.

    Examples
    --------
    On the book's cohort, with one landmark: the naive estimate does not depend on the timing,
    so both scenarios give the same one.

    >>> from analysis import COHORT_CSV
    >>> from analysis.cohort import load_cohort
    >>> est = scenario_estimates(load_cohort(COHORT_CSV), ["as-generated", "fixed-interval"],
    ...                          landmarks=[3.0])
    >>> rows = est.loc[est["scenario"] == "fixed-interval", ["exposure", "analysis"]]
    >>> rows.to_numpy().tolist()  # doctest: +NORMALIZE_WHITESPACE
    [['additional TACE', 'naive'], ['additional TACE', 'time-varying'],
     ['additional TACE', 'landmark'], ['disease control', 'naive'],
     ['disease control', 'time-varying'], ['disease control', 'landmark']]
    >>> naive = est[est["analysis"] == "naive"]
    >>> naive.groupby("exposure")["hr"].nunique().to_dict()
    {'additional TACE': 1, 'disease control': 1}
    """
    rows = []
    for name in scenarios:
        df = retime(cohort, name, seed)
        df = df.assign(disease_control=(df["best_response"] != "PD").astype(int))
        for exposure, (col, time_col) in _EXPOSURES.items():
            if col not in df.columns:  # a user's cohort without additional TACE
                continue
            res = bias.exposure_analyses(
                df, landmarks, exposure_col=col, exposure_time_col=time_col
            )
            base = {"scenario": name, "label": SCENARIOS[name].label, "exposure": exposure}
            exposed = int((df[col] == 1).sum())
            for analysis in ("naive", "time_varying"):
                r = res[analysis]
                rows.append(
                    {
                        **base, "analysis": analysis.replace("_", "-"), "landmark": np.nan,
                        "n": int(r.get("n", len(df))), "exposed": exposed,
                        "events": int(r.get("events", 0)),
                        **{k: float(r[k]) for k in ("hr", "lower", "upper", "p")},
                        "reason": r.get("reason", ""),
                    }
                )  # fmt: skip
            for _, r in res["landmarks"].iterrows():
                rows.append(
                    {
                        **base, "analysis": "landmark", "landmark": float(r["landmark"]),
                        "n": int(r["n"]), "exposed": int(r["exposed"]), "events": int(r["events"]),
                        **{k: float(r[k]) for k in ("hr", "lower", "upper", "p")},
                        "reason": r["reason"],
                    }
                )  # fmt: skip
    return pd.DataFrame(rows, columns=ESTIMATE_COLUMNS)


def scenario_table(timing: pd.DataFrame, landmark: float) -> pd.DataFrame:
    """The time-dependent estimates of :func:`scenario_estimates`, one row per timing assumption.

    Rows follow :data:`SCENARIOS` (the cohort's own times first, then the generator's rule
    drawn again, then the other rules); for each exposure, the time-varying hazard ratio and the
    one at ``landmark``, formatted by :func:`analysis.formatting.hazard_ratio` (``"–"`` where
    ``timing`` has no such row). The naive estimates do not use the timing and are left out.

    Parameters
    ----------
    timing : pandas.DataFrame
        The output of :func:`scenario_estimates`.
    landmark : float
        The landmark (months) of the two landmark columns; one of those ``timing`` used.

    Returns
    -------
    pandas.DataFrame
        Columns ``Timing assumption`` and, for additional TACE and disease control, the
        time-varying HR (95% CI) and the HR at the landmark.

    Examples
    --------
    >>> row = {"exposure": "additional TACE", "landmark": float("nan"), "p": 0.4, "reason": ""}
    >>> timing = pd.DataFrame([
    ...     {**row, "scenario": "hazard", "analysis": "time-varying", "hr": 1.3, "lower": 0.7,
    ...      "upper": 2.4},
    ...     {**row, "scenario": "as-generated", "analysis": "time-varying", "hr": 1.25,
    ...      "lower": 0.69, "upper": 2.26},
    ... ])
    >>> table = scenario_table(timing, 3.0)
    >>> table.iloc[:, :2].to_numpy().tolist()  # doctest: +NORMALIZE_WHITESPACE
    [["as generated (the cohort's own times)", '1.25 (0.69–2.26)'],
     ['constant hazard (TACE after a median of 3 months)', '1.30 (0.70–2.40)']]
    >>> table.columns[2], table.iloc[0, 2]
    ('Additional TACE: landmark at 3 months', '–')
    """

    def cell(scenario: str, exposure: str, analysis: str, at: float | None = None) -> str:
        rows = timing[
            (timing["scenario"] == scenario)
            & (timing["exposure"] == exposure)
            & (timing["analysis"] == analysis)
        ]
        if at is not None:
            rows = rows[rows["landmark"] == at]
        return hazard_ratio(rows.iloc[0]) if len(rows) else "–"

    present = set(timing["scenario"])
    rows = []
    for name, scenario in SCENARIOS.items():
        if name not in present:
            continue
        row = {"Timing assumption": scenario.label}
        for exposure, title in (
            ("additional TACE", "Additional TACE"),
            ("disease control", "Disease control"),
        ):
            row[f"{title}: time-varying HR (95% CI)"] = cell(name, exposure, "time-varying")
            row[f"{title}: landmark at {landmark:g} months"] = cell(
                name, exposure, "landmark", landmark
            )
        rows.append(row)
    return pd.DataFrame(rows)
