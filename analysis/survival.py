"""Kaplan-Meier summaries, log-rank tests, Cox models and proportional-hazards checks for chapters.

The numbers come from the one survival engine, :mod:`analysis.engine` (NumPy); this module checks
the input, builds data frames and returns small result objects that print readably, unpack like
the tuples older code expects (``m, lo, hi = median_survival(...)``) and glue their formatted
fields into a chapter in one call (``median_survival(t, e).glue("os")``).

What differs between the programs the reader may know
-----------------------------------------------------
* **Median survival** -- SPSS takes ``MIN(t_i : S(t_i) <= 0.5)`` (IBM SPSS Statistics Algorithms,
  Kaplan-Meier :cite:`kaplan1958`), so when the curve sits *exactly* at 0.5 over an interval it
  reports the plateau's left end (so do lifelines and the SPSS interval here, ``ci="spss"``);
  R's ``survfit`` takes the midpoint to the next event time (``ci="log"``, ``"log-log"``).
* **Median confidence interval** -- SPSS prints ``estimate ± 1.96·SE`` with a density-based SE
  (``ci="spss"``); R's ``survfit`` inverts the pointwise interval for S(t) on the log scale
  (``ci="log"``, the Brookmeyer-Crowley approach :cite:`brookmeyer1982`); lifelines inverts the
  log(-log) interval (``ci="log-log"``). Only the SPSS interval is symmetric; the paper's intervals
  (SPSS 26) are of that kind.
* **Mean survival** -- SPSS prints the area under the curve up to the largest observed time and notes
  that the estimate is *limited* to it when that time is censored; R prints the same restricted mean
  only when asked (``print(fit, rmean=...)``).
* **Cox ties** -- R ``coxph`` and lifelines use Efron's method :cite:`efron1977`; SPSS ``COXREG``
  uses Breslow's :cite:`breslow1974`. :func:`cox_table` offers both (``ties=``); with few tied
  times they differ in the third decimal at most.
* **Proportional hazards** -- :func:`ph_test` implements the Grambsch-Therneau test
  :cite:`grambsch1994` in the form printed by R ``survival`` < 3.0 ``cox.zph`` (and by lifelines);
  ``survival`` >= 3.0 computes an exact score test whose chi-squares differ in the second digit.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

import myst_nb
import numpy as np
import pandas as pd
from scipy import special

from analysis import engine
from analysis.engine import spss_median_se
from analysis.formatting import NOT_REACHED, interval, number, p_value
from analysis.provenance import Provenance

__all__ = [
    "as_arrays",
    "kaplan_meier",
    "median_survival",
    "mean_survival",
    "km_table",
    "logrank",
    "logrank_table",
    "cox_table",
    "cox_model",
    "univariate_cox",
    "ph_test",
    "scaled_schoenfeld",
    "events_per_variable",
    "try_cox_table",
    "try_ph_test",
    "group_comparison",
    "everyone_at_risk_dies",
    "EVERYONE_DIES_AT_ONCE",
    "negative_bound_note",
    "spss_median_se",
    "MedianResult",
    "MeanResult",
    "LogrankResult",
    "CoxModel",
    "CI_METHODS",
    "TIES",
    "NOBODY_IN_GROUP",
    "MEAN_NO_EVENTS",
]

#: Why :func:`mean_survival` gives no mean when every patient is censored: SPSS (and R's
#: ``rmean``) would print the longest follow-up, which is one patient's time, not an estimate.
MEAN_NO_EVENTS = (
    "no events (every patient is censored), so the curve never falls and the area under it "
    "is only the longest follow-up, one patient's time"
)

#: The three confidence-interval methods of :func:`median_survival`.
CI_METHODS = ("spss", "log", "log-log")
#: Tie handling of :func:`cox_table`: Efron (R, lifelines) or Breslow (SPSS).
TIES = engine.TIES
_NAN = float("nan")
_METHOD_NAMES = {
    "spss": "SPSS (median ± 1.96·SE)",
    "log": "R survfit (log)",
    "log-log": "log-log (lifelines)",
}


# --------------------------------------------------------------------------------------- input
def as_arrays(durations, events, groups=None):
    """Validate and return float durations, int events (and object groups) as NumPy arrays.

    Parameters
    ----------
    durations : array_like
        Follow-up times (months in this book), finite and >= 0.
    events : array_like
        1 for an event (death), 0 for a censored time; same length as ``durations``.
    groups : array_like, optional
        One group label per subject, none missing.

    Returns
    -------
    durations : ndarray of float
        Validated times.
    events : ndarray of int
        0/1 after validation.
    groups : ndarray of object
        Only when ``groups`` is given (a 3-tuple is returned then).

    Raises
    ------
    ValueError
        Naming the argument and the first bad position: empty input, lengths that differ, a
        negative or non-finite time, an event other than 0/1, a missing group.

    Examples
    --------
    >>> t, e = as_arrays([1.5, 2], [1, 0])
    >>> t.tolist(), e.tolist()
    ([1.5, 2.0], [1, 0])
    >>> try:
    ...     as_arrays([1, -1], [1, 1])
    ... except ValueError as error:
    ...     print(error)
    durations: must be finite and >= 0; position 1 holds -1.0 (1 bad value(s))
    """
    t = _numbers("durations", durations)
    if events is None or isinstance(events, str):
        raise ValueError(f"events: expected 0/1 values, got {events!r}")
    try:
        e_raw = np.asarray(events, dtype=float).ravel()
    except (TypeError, ValueError) as exc:
        raise ValueError(f"events: expected 0/1 values, got {events!r}") from exc
    if t.size == 0:
        raise ValueError("durations: empty input, at least one observation is needed")
    if t.size != e_raw.size:
        raise ValueError(
            f"durations and events differ in length: {t.size} durations, {e_raw.size} events"
        )
    bad = ~np.isfinite(t) | (t < 0)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise ValueError(
            f"durations: must be finite and >= 0; position {i} holds {float(t[i])!r} "
            f"({int(bad.sum())} bad value(s))"
        )
    bad = ~np.isin(e_raw, (0.0, 1.0))
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise ValueError(
            f"events: must be 0 (censored) or 1 (event); position {i} holds {float(e_raw[i])!r}"
        )
    e = e_raw.astype(int)
    if groups is None:
        return t, e
    if isinstance(groups, str) or np.ndim(groups) == 0:
        raise ValueError(f"groups: expected one group label per duration, got {groups!r}")
    g = np.asarray(groups, dtype=object).ravel()
    if g.size != t.size:
        raise ValueError(f"groups has {g.size} values but durations has {t.size}")
    missing = pd.isna(g)
    if missing.any():
        i = int(np.flatnonzero(missing)[0])
        raise ValueError(f"groups: missing value at position {i}")
    return t, e, g


def _numbers(name: str, values) -> np.ndarray:
    """``values`` as a flat float array, or a ValueError naming ``name`` and the first value
    that is not a number (NumPy's "could not convert string to float" named neither)."""
    if values is None or isinstance(values, str | bytes):
        raise ValueError(f"{name}: expected a sequence of numbers, got {values!r}")
    try:
        return np.asarray(values, dtype=float).ravel()
    except (TypeError, ValueError):
        pass
    try:
        items = np.asarray(values, dtype=object).ravel()
    except (TypeError, ValueError):
        items = np.asarray([], dtype=object)
    for i, value in enumerate(items):
        try:
            float(value)
        except (TypeError, ValueError):
            raise ValueError(f"{name}: expected numbers; position {i} holds {value!r}") from None
    raise ValueError(f"{name}: expected a sequence of numbers, got {values!r}")


def _check_alpha(alpha) -> None:
    """A TypeError (not a number) or ValueError (outside (0, 1)) naming ``alpha``."""
    message = f"alpha: expected a number in (0, 1), got {alpha!r}"
    if isinstance(alpha, bool | np.bool_) or not isinstance(alpha, int | float | np.number):
        raise TypeError(message)
    if not 0 < alpha < 1:
        raise ValueError(message)


def _levels(g) -> list:
    """Sorted distinct group values (mixed types sorted by type name first)."""
    return sorted(pd.unique(g), key=lambda x: (str(type(x)), x))


# -------------------------------------------------------------------------------- result objects
def _short(x) -> str:
    return "nan" if not np.isfinite(x) else f"{x:.4g}"


def glue(name: str, value, display: bool = True):
    """:func:`myst_nb.glue`, looked up when called (so a test or a tool can replace it)."""
    return myst_nb.glue(name, value, display=display)


def _glue(prefix: str, fields: dict, provenance: Provenance | None = None) -> dict:
    """Glue ``{prefix}.{key}`` for every formatted field (myst-nb, not displayed), and
    ``{prefix}.provenance`` (a badge for ``{glue:md}``) when the result carries one."""
    for key, text in fields.items():
        glue(f"{prefix}.{key}", text, display=False)
    if provenance is not None:
        glue(f"{prefix}.provenance", provenance, display=False)
    return fields


class _Provenanced:
    """``provenance`` (published | determined | assumed, :mod:`analysis.provenance`)."""

    provenance: Provenance | None

    def with_provenance(self, kind: str, note: str = ""):
        """A copy carrying ``Provenance(kind, note)``, glued beside the number by ``glue``."""
        return replace(self, provenance=Provenance(kind, note))


class _TupleLike:
    """Unpacks, indexes and compares equal like the tuple older callers expect."""

    def _as_tuple(self) -> tuple:
        raise NotImplementedError

    def __iter__(self):
        return iter(self._as_tuple())

    def __len__(self) -> int:
        return len(self._as_tuple())

    def __getitem__(self, i):
        return self._as_tuple()[i]

    def __eq__(self, other):
        if isinstance(other, tuple):
            return self._as_tuple() == other
        if type(other) is type(self):
            return self.__dict__ == other.__dict__
        return NotImplemented

    def __hash__(self):
        return hash(self._as_tuple())


@dataclass(frozen=True, eq=False)
class MedianResult(_Provenanced, _TupleLike):
    """A Kaplan-Meier median and its interval; unpacks as ``median, lower, upper``.

    ``method`` is the interval method (``"spss"``, ``"log"``, ``"log-log"``), ``rule`` the median
    rule (``"spss"``: left end of an exact 0.5 plateau; ``"r"``: its midpoint), ``se`` SPSS's
    standard error (NaN for the R intervals). NaN means not reached / not estimable.
    ``plateau`` is True when the curve sits exactly on 0.5 at the median and drops again later,
    so that SPSS and R print different medians (a tie-breaking rule, not the data, decides).

    Examples
    --------
    Four deaths at months 1 to 4: the curve is exactly 0.5 from month 2 to month 3, so SPSS's
    rule prints 2 and R's prints the midpoint 2.5.

    >>> spss = median_survival([1, 2, 3, 4], [1, 1, 1, 1])
    >>> r = median_survival([1, 2, 3, 4], [1, 1, 1, 1], rule="r")
    >>> spss.median, r.median, spss.plateau
    (2.0, 2.5, True)
    >>> median, lower, upper = spss
    >>> spss.formatted(1)["median"], spss.formatted(1)["ci"]
    ('2.0', '0.0–4.0')
    """

    median: float
    lower: float
    upper: float
    se: float = _NAN
    method: str = "spss"
    rule: str = "spss"
    plateau: bool = False
    provenance: Provenance | None = None

    def _as_tuple(self) -> tuple:
        return (self.median, self.lower, self.upper)

    def __repr__(self) -> str:
        return (
            f"MedianResult(median={_short(self.median)}, lower={_short(self.lower)}, "
            f"upper={_short(self.upper)}, method={self.method!r}, rule={self.rule!r})"
        )

    def formatted(self, decimals: int = 1) -> dict:
        """The fields as a reader sees them: ``median``, ``lower``, ``upper``, ``ci``, ``se``,
        ``method``."""
        return {
            "median": number(self.median, decimals, missing=NOT_REACHED),
            "lower": number(self.lower, decimals),
            "upper": number(self.upper, decimals),
            "ci": interval(self.lower, self.upper, decimals),
            "se": number(self.se, decimals + 1),
            "method": _METHOD_NAMES[self.method],
        }

    def glue(self, prefix: str, decimals: int = 1) -> dict:
        """Glue ``prefix.median``, ``prefix.ci`` … (see :meth:`formatted`); returns the texts."""
        return _glue(prefix, self.formatted(decimals), self.provenance)


@dataclass(frozen=True, eq=False)
class MeanResult(_Provenanced, _TupleLike):
    """SPSS's (restricted) mean survival and its SE; unpacks as ``mean, se``.

    ``limit`` is the largest observed time the area is restricted to and ``limited`` is True when
    that time is censored (SPSS's footnote "Estimation is limited to the largest survival time if
    it is censored"). ``reason`` says why ``mean`` and ``se`` are NaN (:data:`MEAN_NO_EVENTS`),
    and is empty when they are not.

    Examples
    --------
    Deaths at 2 and 4, the last patient censored at 5: the area under the curve is
    2 · 1 + 2 · (2/3) + 1 · (1/3) = 11/3, restricted to 5 months.

    >>> res = mean_survival([2, 4, 5], [1, 1, 0])
    >>> round(res.mean, 4), round(11 / 3, 4), res.limit, res.limited
    (3.6667, 3.6667, 5.0, True)
    >>> res.formatted(1)["mean"]
    '3.7'
    """

    mean: float
    se: float
    limit: float = _NAN
    limited: bool = False
    provenance: Provenance | None = None
    reason: str = ""

    def _as_tuple(self) -> tuple:
        return (self.mean, self.se)

    def __repr__(self) -> str:
        return (
            f"MeanResult(mean={_short(self.mean)}, se={_short(self.se)}, "
            f"limit={_short(self.limit)}, limited={self.limited})"
        )

    def formatted(self, decimals: int = 1) -> dict:
        """``mean``, ``se``, ``ci`` (mean ± 1.96·SE, as SPSS prints) and ``limit``."""
        z = engine.Z95
        return {
            "mean": number(self.mean, decimals),
            "se": number(self.se, decimals + 1),
            "ci": interval(self.mean - z * self.se, self.mean + z * self.se, decimals),
            "limit": number(self.limit, decimals),
        }

    def glue(self, prefix: str, decimals: int = 1) -> dict:
        """Glue ``prefix.mean``, ``prefix.se``, ``prefix.ci``, ``prefix.limit``."""
        return _glue(prefix, self.formatted(decimals), self.provenance)


@dataclass(frozen=True, eq=False)
class LogrankResult(_Provenanced, _TupleLike):
    """A log-rank test; unpacks as ``chi2, df, p``.

    Examples
    --------
    >>> res = logrank([1, 2, 3, 4], [1, 1, 1, 1], [1, 0, 1, 0])
    >>> chi2, df, p = res                       # 8/13 by hand (see analysis.engine.LogrankResult)
    >>> round(chi2, 4), df
    (0.6154, 1)
    >>> res.formatted()
    {'chi2': '0.62', 'df': '1', 'p': '0.433'}
    """

    chi2: float
    df: int
    p: float
    provenance: Provenance | None = None

    def _as_tuple(self) -> tuple:
        return (self.chi2, self.df, self.p)

    def __repr__(self) -> str:
        return f"LogrankResult(chi2={_short(self.chi2)}, df={self.df}, p={_short(self.p)})"

    def formatted(self) -> dict:
        """``chi2`` (2 decimals), ``df`` and ``p`` (as the paper prints P values)."""
        return {"chi2": number(self.chi2, 2), "df": f"{self.df}", "p": p_value(self.p)}

    def glue(self, prefix: str) -> dict:
        """Glue ``prefix.chi2``, ``prefix.df``, ``prefix.p``."""
        return _glue(prefix, self.formatted(), self.provenance)


@dataclass(frozen=True, eq=False)
class CoxModel(_Provenanced):
    """A fitted Cox model: the coefficient ``table`` (as :func:`cox_table`) and its summary.

    The three global tests on ``df`` degrees of freedom are those of R ``summary(coxph)``:
    likelihood ratio (``lr``), Wald (``wald``) and score (log-rank, ``score``); ``concordance`` is
    Harrell's C of the linear predictor on the data used.

    Examples
    --------
    Group ``x = 1`` dies at months 1 and 3, ``x = 0`` at 2 and 4. Of the six pairs, three are
    ordered as the fitted risk says, two are tied in risk (1/2 each) and one is not:
    Harrell's C is 4/6.

    >>> d = pd.DataFrame({"t": [1, 2, 3, 4], "e": [1, 1, 1, 1], "x": [1, 0, 1, 0]})
    >>> fit = cox_model(d, "t", "e", ["x"])
    >>> fit
    CoxModel(ties='efron', n=4, events=4, terms=['x'], lr=0.6162 (p=0.4325), concordance=0.6667)
    >>> round(fit.score, 4), round(8 / 13, 4)   # the score test is the log-rank test (no ties)
    (0.6154, 0.6154)
    >>> fit.formatted()["concordance"], fit.formatted()["ties"]
    ('0.667', 'Efron')
    """

    table: pd.DataFrame = field(repr=False)
    ties: str
    n: int
    events: int
    df: int
    loglik: float
    loglik0: float
    lr: float
    lr_p: float
    wald: float
    wald_p: float
    score: float
    score_p: float
    concordance: float
    converged: bool
    provenance: Provenance | None = None
    #: "" for a fit that converged; otherwise why its table has infinite or missing values
    reason: str = ""

    def __repr__(self) -> str:
        return (
            f"CoxModel(ties={self.ties!r}, n={self.n}, events={self.events}, terms="
            f"{list(self.table.index)}, lr={_short(self.lr)} (p={_short(self.lr_p)}), "
            f"concordance={_short(self.concordance)})"
        )

    def formatted(self) -> dict:
        """Counts, the three tests (statistic with 2 decimals, P as printed) and concordance."""
        return {
            "n": f"{self.n}",
            "events": f"{self.events}",
            "df": f"{self.df}",
            "lr": number(self.lr, 2),
            "lr_p": p_value(self.lr_p),
            "wald": number(self.wald, 2),
            "wald_p": p_value(self.wald_p),
            "score": number(self.score, 2),
            "score_p": p_value(self.score_p),
            "concordance": number(self.concordance, 3),
            "ties": self.ties.capitalize(),
        }

    def glue(self, prefix: str) -> dict:
        """Glue ``prefix.lr``, ``prefix.concordance`` … (see :meth:`formatted`)."""
        return _glue(prefix, self.formatted(), self.provenance)


# --------------------------------------------------------------------------------- Kaplan-Meier
def kaplan_meier(durations, events) -> pd.DataFrame:
    """Kaplan-Meier estimate at each distinct event time, with Greenwood variance.

    Parameters
    ----------
    durations : array-like of float
        Follow-up times (>= 0).
    events : array-like of {0, 1}
        1 for an event, 0 for a censored time. A censoring tied with an event time is counted as
        at risk at that time (censorings happen just after events), as in R, SPSS and lifelines.

    Returns
    -------
    pandas.DataFrame
        One row per distinct event time: ``time``, ``n_risk``, ``n_event``, ``survival`` (the
        product-limit estimate :cite:`kaplan1958` just after ``time``), ``var_log`` (Greenwood's
        :cite:`greenwood1926` sum ``Σ d/(n(n-d))``, the variance of log S used by R's ``std.err``
        on the log scale) and ``se`` (Greenwood SE of S, ``S·sqrt(var_log)``, what SPSS prints as
        "Std. Error" in its survival table).

    Examples
    --------
    >>> kaplan_meier([1, 2, 2, 3], [1, 1, 0, 1])[["time", "n_risk", "survival"]]
       time  n_risk  survival
    0   1.0       4      0.75
    1   2.0       3      0.50
    2   3.0       1      0.00
    """
    t, e = as_arrays(durations, events)
    times, n_risk, n_event, _ = engine.event_table(t, e)
    surv, var_log = engine.km_curve(n_risk, n_event)
    with np.errstate(invalid="ignore"):
        se = np.where(surv > 0, surv * np.sqrt(var_log), 0.0)
    return pd.DataFrame(
        {
            "time": times,
            "n_risk": n_risk.astype(int),
            "n_event": n_event.astype(int),
            "survival": surv,
            "var_log": var_log,
            "se": se,
        }
    )


def median_survival(
    durations,
    events,
    ci: str = "spss",
    alpha: float = 0.05,
    *,
    clip_at_zero: bool = True,
    rule: str | None = None,
) -> MedianResult:
    """Kaplan-Meier median survival time and its confidence interval.

    Parameters
    ----------
    durations, events : array-like
        Follow-up times (>= 0) and event indicators (1 event, 0 censored).
    ci : {"spss", "log", "log-log"}
        How the interval is computed:

        ``"spss"``
            What SPSS's Kaplan-Meier procedure prints under "Means and Medians for Survival Time":
            ``median ± z·SE`` with ``SE = sqrt(Var S(t50)) / f`` -- Greenwood's variance of the
            curve at the median :cite:`greenwood1926` divided by the density ``f`` estimated as the
            slope of the curve between the last event time with ``S >= 0.55`` and the first with
            ``S <= 0.45`` (Collett, *Modelling Survival Data in Medical Research*, §2.4;
            :func:`spss_median_se`). The interval is symmetric. The lower bound is clipped at 0 (a
            negative survival time is meaningless) unless ``clip_at_zero=False``. SPSS's
            algorithms give the bound as median - z·SE with no cut at 0, and the book prints it
            so (``clip_at_zero=False``, :func:`negative_bound_note`); no SPSS output that runs
            below 0 was at hand to confirm it. The paper (SPSS 26) prints intervals of this kind.
        ``"log"``
            R ``survfit``'s default (``conf.type="log"``): the set of times at which the pointwise
            interval ``S·exp(±z·se(log S))`` contains 0.5, i.e. the Brookmeyer-Crowley inversion
            :cite:`brookmeyer1982`: lower = when the lower band reaches 0.5, upper = when the upper
            band does. Not symmetric; the upper limit is NaN (R's ``NA``) when the upper band never
            reaches 0.5.
        ``"log-log"``
            The same inversion with the log(-log) interval ``S^exp(±z·se(log S)/log S)``, which is
            lifelines' default and R's ``conf.type="log-log"``.
    alpha : float
        1 - confidence level (0.05 for 95% intervals).
    clip_at_zero : bool, keyword-only
        Clip the lower bound of the ``"spss"`` interval at 0.
    rule : {"spss", "r"}, optional
        The median rule; by default SPSS's for ``ci="spss"`` and R's for the other two. SPSS takes
        ``MIN(t_i : S(t_i) <= 0.5)``, so an exact 0.5 plateau gives its left end; R takes the
        plateau's midpoint.

    Returns
    -------
    MedianResult
        Unpacks as ``(median, lower, upper)``. A median that is not reached is NaN, never an
        exception; so is any bound that cannot be computed.

    Examples
    --------
    Times 1-4, all events: S is exactly 0.5 on [2, 3).

    >>> median_survival([1, 2, 3, 4], [1, 1, 1, 1])
    MedianResult(median=2, lower=0.04004, upper=3.96, method='spss', rule='spss')
    >>> median_survival([1, 2, 3, 4], [1, 1, 1, 1], ci="log").median
    2.5
    >>> m, lo, hi = median_survival([1, 2, 3, 4], [1, 0, 0, 0])   # not reached
    >>> m
    nan
    """
    if ci not in CI_METHODS:
        raise ValueError(f"ci: expected one of {CI_METHODS}, got {ci!r}")
    _check_alpha(alpha)
    if rule is None:
        rule = "spss" if ci == "spss" else "r"
    if rule not in engine.MEDIAN_RULES:
        raise ValueError(f"rule: expected one of {engine.MEDIAN_RULES}, got {rule!r}")
    t, e = as_arrays(durations, events)
    times, n_risk, n_event, _ = engine.event_table(t, e)
    surv, var_log = engine.km_curve(n_risk, n_event)
    median = engine.km_median(times, surv, rule)
    other = engine.km_median(times, surv, "r" if rule == "spss" else "spss")
    plateau = not math.isnan(median) and median != other
    z = float(special.ndtri(1 - alpha / 2))
    if ci == "spss":
        if math.isnan(median):
            return MedianResult(_NAN, _NAN, _NAN, _NAN, ci, rule)
        se = engine.spss_median_se(times, surv, var_log)
        lower, upper = median - z * se, median + z * se
        if clip_at_zero and not math.isnan(lower):
            lower = max(lower, 0.0)
        return MedianResult(median, float(lower), float(upper), se, ci, rule, plateau)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        se_log = np.sqrt(var_log)
        if ci == "log":
            lo_band = surv * np.exp(-z * se_log)
            hi_band = np.minimum(surv * np.exp(z * se_log), 1.0)
        else:
            log_s = np.log(surv)
            se_ll = se_log / np.abs(log_s)
            lo_band = surv ** np.exp(z * se_ll)
            hi_band = surv ** np.exp(-z * se_ll)
            one = surv >= 1.0
            lo_band[one], hi_band[one] = 1.0, 1.0
    undefined = surv <= 0
    lo_band[undefined], hi_band[undefined] = np.nan, np.nan
    lower = engine.quantile_time(times, lo_band, 0.5)
    upper = engine.quantile_time(times, hi_band, 0.5)
    return MedianResult(median, lower, upper, _NAN, ci, rule, plateau)


def mean_survival(durations, events) -> MeanResult:
    """Restricted mean survival time (area under the Kaplan-Meier curve) and its SE, as SPSS prints.

    The curve is integrated from 0 to the largest observed time. When that time is censored the
    curve has not reached 0 and the result is the mean *restricted* to it, which underestimates the
    true mean; SPSS flags this with the footnote "Estimation is limited to the largest survival time
    if it is censored". R prints the same number for ``print(survfit(...), rmean="individual")``.

    The SE is the usual plug-in (Kaplan & Meier 1958 :cite:`kaplan1958`):
    ``Var = Σ_j A_j² d_j / (n_j (n_j - d_j))`` over event times ``t_j``, where ``A_j`` is the area
    under the curve from ``t_j`` to the largest time. This is R's ``se(rmean)``; SPSS's algorithm
    description gives the same sum (we have not been able to check SPSS's output digit by digit).

    Parameters
    ----------
    durations : array_like
        Follow-up times (months in this book), finite and >= 0.
    events : array_like
        1 for an event (death), 0 for a censored time; same length as ``durations``.

    Returns
    -------
    MeanResult
        Unpacks as ``(mean, se)``; also ``limit`` (the largest time, where the integration
        stops), ``limited`` (True when that time is censored: SPSS's footnote) and ``reason``
        (``""``, or why the mean is NaN: :data:`MEAN_NO_EVENTS`).

    Notes
    -----
    SPSS ("Means and Medians for Survival Time") and R (``print(survfit(...),
    rmean="individual")``) give the same mean and SE when the largest time is an event. When
    it is censored both integrate to it. For grouped curves R's ``rmean="common"`` integrates
    every group to one limit (the largest time overall); SPSS's per-group means are R's
    ``rmean="individual"``.

    Examples
    --------
    Deaths at 2 and 4, censored at 5: area 2 + 2·(2/3) + 1·(1/3) = 11/3.

    >>> mean_survival([2, 4, 5], [1, 1, 0])
    MeanResult(mean=3.667, se=0.7201, limit=5, limited=True)

    Without an event the curve never falls: SPSS and R print the longest follow-up (here 5), one
    patient's time and no estimate of survival. The mean and its SE are NaN, and ``reason``
    says why (:data:`MEAN_NO_EVENTS`):

    >>> res = mean_survival([2, 4, 5], [0, 0, 0])
    >>> res.mean, res.reason.startswith("no events (every patient is censored)")
    (nan, True)
    """
    t, e = as_arrays(durations, events)
    last = t == t.max()
    if not e.any():
        return MeanResult(_NAN, _NAN, float(t.max()), True, reason=MEAN_NO_EVENTS)
    mean, se = engine.spss_mean(t, e)
    return MeanResult(mean, se, float(t.max()), bool(not e[last].any()))


def km_table(durations, events, times: Sequence[float], alpha: float = 0.05) -> pd.DataFrame:
    """Survival, its log-scale 95% CI and the number at risk at given times (R ``summary(fit, times)``).

    ``n_risk`` counts subjects with follow-up ``>= time`` (still under observation just before
    ``time``), the convention of R's ``summary.survfit`` and of number-at-risk tables under KM plots.
    ``n_event`` is the cumulative number of events up to and including ``time``. The interval is
    R's default ``conf.type="log"``.

    Parameters
    ----------
    durations : array_like
        Follow-up times (months in this book), finite and >= 0.
    events : array_like
        1 for an event (death), 0 for a censored time; same length as ``durations``.
    times : sequence of float
        Times (>= 0) at which to read the curve.
    alpha : float, default 0.05
        1 - confidence level of the interval.

    Returns
    -------
    DataFrame
        One row per requested time: ``time``, ``n_risk``, ``n_event`` (cumulative),
        ``survival``, ``lower``, ``upper`` (NaN where the survival is 0).

    Examples
    --------
    Four deaths at months 1 to 4: S(2) = 2/4 with three patients still followed at month 2.

    >>> km_table([1, 2, 3, 4], [1, 1, 1, 1], [2, 3.5])[["time", "n_risk", "n_event", "survival"]]
       time  n_risk  n_event  survival
    0   2.0       3        2      0.50
    1   3.5       1        3      0.25
    """
    _check_alpha(alpha)
    t, e = as_arrays(durations, events)
    km = kaplan_meier(t, e)
    z = special.ndtri(1 - alpha / 2)
    rows = []
    for u in times:
        u = float(u)
        if not np.isfinite(u) or u < 0:
            raise ValueError(f"times: expected finite values >= 0, got {u!r}")
        idx = np.flatnonzero(km["time"].to_numpy() <= u)
        if idx.size:
            s = float(km["survival"].iloc[idx[-1]])
            vl = float(km["var_log"].iloc[idx[-1]])
        else:
            s, vl = 1.0, 0.0
        se_log = math.sqrt(vl) if np.isfinite(vl) else float("nan")
        rows.append(
            {
                "time": u,
                "n_risk": int((t >= u).sum()),
                "n_event": int(((t <= u) & (e == 1)).sum()),
                "survival": s,
                "lower": s * math.exp(-z * se_log) if s > 0 else float("nan"),
                "upper": min(1.0, s * math.exp(z * se_log)) if s > 0 else float("nan"),
            }
        )
    return pd.DataFrame(rows)


# ------------------------------------------------------------------------------------ log-rank
def logrank_table(durations, events, groups) -> tuple[pd.DataFrame, float, int, float]:
    """Log-rank test for 2 or more groups with R ``survdiff``'s table (rho = 0).

    The Mantel-Haenszel / log-rank statistic :cite:`mantel1966,peto1972`: at each distinct event
    time the observed events of each group are compared with their expectation under equal hazards,
    with the hypergeometric variance; the statistic is ``U' V⁻ U`` on ``k - 1`` degrees of freedom
    (``U = O - E``, one group dropped). SPSS's "Log Rank (Mantel-Cox)" is the same test.

    Parameters
    ----------
    durations : array_like
        Follow-up times (months in this book), finite and >= 0.
    events : array_like
        1 for an event (death), 0 for a censored time; same length as ``durations``.
    groups : array_like
        One group label per subject; at least two distinct groups.

    Returns
    -------
    table : DataFrame
        Indexed by group (sorted): ``n``, ``observed``, ``expected``, ``oe2_e`` ((O-E)²/E) and
        ``oe2_v`` ((O-E)²/V), as ``survdiff`` prints them.
    chi2 : float
        The log-rank statistic.
    df : int
        Its degrees of freedom, number of groups - 1.
    p : float
        Upper tail of the chi-square distribution at ``chi2``.

    Raises
    ------
    ValueError
        Fewer than two groups, or invalid times, events or groups (see :func:`as_arrays`).

    Examples
    --------
    >>> table, chi2, df, p = logrank_table([1, 2, 3, 4], [1, 1, 1, 1], ["a", "b", "a", "b"])
    >>> table[["n", "observed", "expected"]].round(4)  # doctest: +NORMALIZE_WHITESPACE
           n  observed  expected
    group
    a      2       2.0    1.3333
    b      2       2.0    2.6667
    >>> round(chi2, 4), round(8 / 13, 4), df
    (0.6154, 0.6154, 1)
    """
    if groups is None:
        raise ValueError("groups: expected one group label per duration, got None")
    t, e, g = as_arrays(durations, events, groups)
    levels = _levels(g)
    if len(levels) < 2:
        raise ValueError(f"groups: need at least 2 groups, got {len(levels)} ({levels!r})")
    codes = np.array([levels.index(x) for x in g])
    res = engine.logrank_test(t, e, codes)
    obs, exp = res.observed, res.expected
    with np.errstate(divide="ignore", invalid="ignore"):
        table = pd.DataFrame(
            {
                "n": res.n.astype(int),
                "observed": obs,
                "expected": exp,
                "oe2_e": (obs - exp) ** 2 / exp,
                "oe2_v": (obs - exp) ** 2 / np.diag(res.variance),
            },
            index=pd.Index(levels, name="group"),
        )
    return table, res.chi2, res.df, res.p


def logrank(durations, events, groups) -> LogrankResult:
    """Log-rank (Mantel-Cox) test for 2 or more groups; unpacks as ``(chi2, df, p)``.

    Same statistic as R ``survdiff(..., rho=0)`` and SPSS "Log Rank (Mantel-Cox)"; see
    :func:`logrank_table` for the observed/expected table.

    Parameters
    ----------
    durations : array_like
        Follow-up times (months in this book), finite and >= 0.
    events : array_like
        1 for an event (death), 0 for a censored time; same length as ``durations``.
    groups : array_like
        One group label per subject; at least two distinct groups.

    Returns
    -------
    LogrankResult
        ``chi2``, ``df`` (groups - 1) and ``p``; unpacks as ``(chi2, df, p)``.

    Notes
    -----
    SPSS's "Log Rank (Mantel-Cox)" row and R's ``survdiff`` print the same chi-square; SPSS's
    Breslow (generalized Wilcoxon) and Tarone-Ware rows are other weightings, not computed
    here. With no event in any group the statistic does not exist (NaN).

    Examples
    --------
    By hand (times 1-4, all events, groups alternating): chi2 = (2/3)² / (13/18) = 8/13.

    >>> logrank([1, 2, 3, 4], [1, 1, 1, 1], ["a", "b", "a", "b"])
    LogrankResult(chi2=0.6154, df=1, p=0.4328)
    """
    _, chi2, df, p = logrank_table(durations, events, groups)
    return LogrankResult(chi2, df, p)


# ----------------------------------------------------------------------------------------- Cox
def _design(
    df: pd.DataFrame,
    covariates: Sequence[str],
    categorical: Mapping[str, object] | None,
) -> pd.DataFrame:
    """Build the numeric design matrix; categorical columns become 0/1 dummies ``col=level``."""
    categorical = dict(categorical or {})
    unknown = [c for c in categorical if c not in covariates]
    if unknown:
        raise ValueError(f"categorical: {unknown!r} are not among covariates {list(covariates)!r}")
    parts = []
    for col in covariates:
        if col not in df.columns:
            raise KeyError(f"covariates: column {col!r} is not in the data frame")
        x = df[col]
        if col in categorical:
            ref = categorical[col]
            levels = sorted(pd.unique(x.dropna()), key=lambda v: (str(type(v)), v))
            if ref not in levels:
                raise ValueError(
                    f"categorical[{col!r}]: reference level {ref!r} is not among the values "
                    f"{levels!r}"
                )
            for lev in levels:
                if lev == ref:
                    continue
                dummy = (x == lev).astype(float)
                dummy[x.isna()] = np.nan
                parts.append(dummy.rename(f"{col}={lev}"))
        else:
            try:
                num = pd.to_numeric(x)
            except (TypeError, ValueError) as exc:
                raise ValueError(
                    f"covariates: column {col!r} is not numeric (first value {x.iloc[0]!r}); "
                    f"pass it in categorical={{{col!r}: reference_level}}"
                ) from exc
            parts.append(num.astype(float).rename(col))
    return pd.concat(parts, axis=1)


def _numeric_column(df: pd.DataFrame, col, name: str) -> pd.Series:
    """``df[col]`` as floats, or a ValueError naming the argument and the column."""
    try:
        return pd.to_numeric(df[col]).astype(float)
    except (TypeError, ValueError) as exc:
        raise ValueError(
            f"{name}: column {col!r} holds a value that is not a number ({exc})"
        ) from None


def _model_frame(df, duration_col, event_col, covariates, categorical):
    """Design matrix with the time and event columns, complete rows only, validated."""
    if not isinstance(df, pd.DataFrame):
        raise TypeError(f"df: expected a pandas DataFrame, got {type(df).__name__}")
    for name, col in (("duration_col", duration_col), ("event_col", event_col)):
        if col not in df.columns:
            raise KeyError(f"{name}: column {col!r} is not in the data frame")
    covariates = list(covariates)
    if not covariates:
        raise ValueError("covariates: at least one covariate is needed")
    x = _design(df, covariates, categorical)
    data = pd.concat(
        [
            _numeric_column(df, duration_col, "duration_col").rename("_T"),
            _numeric_column(df, event_col, "event_col").rename("_E"),
            x,
        ],
        axis=1,
    ).dropna()
    if data.empty:
        raise ValueError("no complete rows left after dropping missing values")
    as_arrays(data["_T"], data["_E"])  # validate times and events
    constant = [c for c in x.columns if data[c].nunique() < 2]
    if constant:
        raise ValueError(f"covariates: term(s) {constant!r} do not vary in the rows used")
    return data, list(x.columns)


def _model_arrays(df, duration_col, event_col, covariates, categorical):
    """:func:`_model_frame` as the model's ``terms`` and float arrays ``x``, ``t`` and ``e``."""
    data, terms = _model_frame(df, duration_col, event_col, covariates, categorical)
    x = data[terms].to_numpy(float)
    t = data["_T"].to_numpy(float)
    e = data["_E"].to_numpy(float)
    return terms, x, t, e


def _efron_residuals(x, t, e):
    """The Efron-ties fit and its Schoenfeld residuals ``(fit, times, r)``, or a ValueError when
    the model does not converge (the residuals of :func:`ph_test` and :func:`scaled_schoenfeld`)."""
    fit = engine.cox_fit(x, t, e, ties="efron")
    if not (fit.converged and np.all(np.isfinite(fit.cov))):
        raise ValueError("the Cox model does not converge, so its residuals are not defined")
    times, r = engine.schoenfeld_residuals(x, t, e, fit.beta, ties="efron")
    return fit, times, r


def cox_model(
    df: pd.DataFrame,
    duration_col: str,
    event_col: str,
    covariates: Sequence[str],
    ties: str = "efron",
    *,
    categorical: Mapping[str, object] | None = None,
    alpha: float = 0.05,
) -> CoxModel:
    """Fit a Cox proportional-hazards model :cite:`cox1972`: coefficient table and model summary.

    Parameters
    ----------
    df : DataFrame
        One row per subject. Rows with a missing value in any used column are dropped (R's
        ``na.omit``; SPSS's listwise deletion).
    duration_col, event_col : str
        Follow-up time and event indicator (1 event, 0 censored).
    covariates : sequence of str
        Columns entered together (one multivariable model). Numeric columns enter as they are (the
        HR is per unit).
    ties : {"efron", "breslow"}
        Efron's method :cite:`efron1977` (R ``coxph``'s and lifelines' default) or Breslow's
        :cite:`breslow1974` (SPSS ``COXREG``).
    categorical : mapping, optional
        ``{column: reference_level}``: these columns are dummy coded, one 0/1 term ``column=level``
        per non-reference level (R's ``factor`` with ``relevel``; SPSS's ``/CATEGORICAL`` with
        ``(INDICATOR(first|last))``). The reference level is explicit because R takes the first
        level and SPSS the *last* by default.
    alpha : float
        1 - confidence level of the HR intervals.

    Returns
    -------
    CoxModel
        ``table`` (see :func:`cox_table`), ``n``, ``events``, the likelihood-ratio, Wald and score
        tests with their P values, Harrell's concordance, ``converged`` and ``reason`` (``""``
        for a fit that converged, otherwise why the table holds infinite or missing values).

    Notes
    -----
    Newton-Raphson in :func:`analysis.engine.cox_fit`, run until the largest step is below 1e-12
    (tighter than R's relative log-likelihood change of 1e-9), so coefficients agree with R to all
    printed digits.

    **Monotone likelihood (separation).** When every event falls on one side of a term (all
    deaths among the exposed, say), the partial likelihood keeps rising as that coefficient
    grows and has no maximum: the hazard ratio is infinite (or 0). R's ``coxph`` warns "Loglik
    converged before variable ..." and prints the last iterate (a coefficient of 20 or more with
    an enormous SE); SPSS ``COXREG`` warns and prints a huge B and SE. Neither number is an
    estimate. Here a fit that does not converge, with a coefficient whose hazard ratio between
    the term's lowest and highest values passes e^15, reports that term as ``coef`` ±inf, ``hr``
    inf or 0, and ``se``, ``lower``, ``upper``, ``z`` and ``p`` NaN; the Wald test is NaN too
    (the likelihood-ratio and score tests remain valid and are kept). Nothing is raised or
    warned: ``converged`` is False, ``reason`` says which terms run off, and the table's
    ``attrs["monotone"]`` lists them. Other terms keep the last iteration's coefficients (their
    estimates given the infinite one); their SEs are NaN where the information matrix is
    singular at that point (R prints them from a near-singular one). A fit that does not
    converge for another reason (e.g. collinear terms) keeps its last iteration's values, with
    a ``reason`` saying so. Data whose fit converges are untouched. :func:`try_cox_table` turns all of these into a printable
    reason instead of a table.

    Examples
    --------
    >>> d = pd.DataFrame({"t": [1, 2, 3, 4, 5, 6], "e": [1, 1, 1, 0, 1, 1], "x": [0, 1, 0, 1, 1, 0]})
    >>> fit = cox_model(d, "t", "e", ["x"])
    >>> [round(float(fit.table.loc["x", k]), 4) for k in ("coef", "hr", "p")]
    [-0.1008, 0.9041, 0.92]

    Every death among ``x = 1``: no finite maximum, so the HR is infinite and ``reason`` says
    why (R warns "Loglik converged before variable 1"):

    >>> d = pd.DataFrame({"t": [1, 2, 3, 4, 5, 6], "e": [1] * 6, "x": [1, 1, 1, 0, 0, 0]})
    >>> fit = cox_model(d, "t", "e", ["x"])
    >>> fit.converged, float(fit.table.loc["x", "hr"]), fit.reason.startswith("monotone")
    (False, inf, True)
    """
    terms, x, t, e = _model_arrays(df, duration_col, event_col, covariates, categorical)
    fit = engine.cox_fit(x, t, e, ties=ties)
    z = special.ndtri(1 - alpha / 2)
    coef, se = fit.beta.copy(), fit.se.copy()
    wald, wald_p = fit.wald, float(engine.chi2_sf(fit.wald, len(terms)))
    # collinear terms make the information matrix singular, and whether a Newton step on it
    # fails or returns noise depends on the processor's kernels: decided from the data instead
    collinear = engine.collinear_terms(x)
    # a fit can report convergence once rounding hides a term running off to infinity (on some
    # processors' kernels and not others): the flat likelihood gives it away
    runs_off = engine.monotone_terms(x, t, e, coef, ties=ties) if fit.converged else None
    reason = ""
    if collinear.any():
        names = ", ".join(map(str, np.asarray(terms, dtype=object)[collinear]))
        reason = (
            f"the terms {names} are collinear (the information matrix is singular), so their "
            "effects cannot be told apart; their estimates are NaN"
        )
        runs_off = np.zeros(len(terms), dtype=bool)
        coef[collinear], se[collinear] = np.nan, np.nan
        wald, wald_p = _NAN, _NAN
    elif not fit.converged or runs_off.any():
        # the engine halves a step that lowers the likelihood, so a fit that does not converge
        # has a likelihood still rising as a coefficient grows (monotone likelihood) when that
        # coefficient's hazard ratio between the term's lowest and highest values passes e^15
        if runs_off is None:
            with np.errstate(invalid="ignore", over="ignore"):
                runs_off = ~np.isfinite(coef) | (np.abs(coef) * np.ptp(x, axis=0) > engine.RUNS_OFF)
        if runs_off.any():
            names = ", ".join(map(str, np.asarray(terms, dtype=object)[runs_off]))
            reason = (
                f"monotone likelihood: the estimate for {names} runs off to infinity (the "
                "events fall on one side of it); its hazard ratio is shown as inf or 0, "
                "without interval or Wald P"
            )
            coef[runs_off] = np.copysign(np.inf, np.nan_to_num(coef[runs_off], nan=1.0))
            se[runs_off] = np.nan
            wald, wald_p = _NAN, _NAN  # the Wald test of an infinite estimate is meaningless
        else:
            reason = (
                "the fit did not converge (e.g. collinear terms); its estimates are the last "
                "iteration's"
            )
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        zval = coef / se
        table = pd.DataFrame(
            {
                "coef": coef,
                "se": se,
                "hr": np.exp(coef),
                "lower": np.exp(coef - z * se),
                "upper": np.exp(coef + z * se),
                "z": zval,
                "p": 2 * special.ndtr(-np.abs(zval)),
            },
            index=pd.Index(terms, name="term"),
        )
    k = len(terms)
    with np.errstate(invalid="ignore"):
        c_index = engine.concordance(t, e, x @ np.nan_to_num(fit.beta))
    model = CoxModel(
        table=table,
        ties=ties,
        n=int(len(t)),
        events=int(e.sum()),
        df=k,
        loglik=fit.loglik,
        loglik0=fit.loglik0,
        lr=fit.lr,
        lr_p=float(engine.chi2_sf(fit.lr, k)),
        wald=wald,
        wald_p=wald_p,
        score=fit.score,
        score_p=float(engine.chi2_sf(fit.score, k)),
        concordance=c_index,
        converged=bool(fit.converged) and not runs_off.any() and not collinear.any(),
        reason=reason,
    )
    table.attrs.update(
        {
            "n": model.n,
            "events": model.events,
            "ties": ties,
            "converged": model.converged,
            "loglik": model.loglik,
            "lr_chi2": model.lr,
            "lr_df": k,
            "lr_p": model.lr_p,
            "wald_chi2": model.wald,
            "wald_p": model.wald_p,
            "score_chi2": model.score,
            "score_p": model.score_p,
            "concordance": model.concordance,
            "reason": reason,
            "monotone": [str(term) for term, off in zip(terms, runs_off, strict=True) if off],
            "collinear": [str(term) for term, c in zip(terms, collinear, strict=True) if c],
        }
    )
    return model


def cox_table(
    df: pd.DataFrame,
    duration_col: str,
    event_col: str,
    covariates: Sequence[str],
    ties: str = "efron",
    *,
    categorical: Mapping[str, object] | None = None,
    alpha: float = 0.05,
) -> pd.DataFrame:
    """The coefficient table of a Cox model (:func:`cox_model`'s ``table``).

    Parameters
    ----------
    df : DataFrame
        One row per subject; rows with a missing value in any used column are dropped.
    duration_col, event_col : str
        Follow-up time and event indicator (1 event, 0 censored).
    covariates : sequence of str
        Columns entered together (one multivariable model).
    ties : {"efron", "breslow"}
        Efron's method (R ``coxph``, lifelines) or Breslow's (SPSS ``COXREG``).
    categorical : mapping, optional
        ``{column: reference_level}``: dummy-coded columns, one term ``column=level`` per
        non-reference level (see :func:`cox_model`).
    alpha : float
        1 - confidence level of the HR intervals.

    Returns
    -------
    DataFrame
        Indexed by term: ``coef``, ``se``, ``hr`` (exp(coef)), ``lower``, ``upper`` (Wald interval
        ``exp(coef ± z·se)``), ``z`` and ``p`` (two-sided Wald P, R's ``Pr(>|z|)`` and SPSS's
        "Sig."). ``.attrs`` holds ``n``, ``events``, ``ties``, ``converged``, ``loglik``,
        ``lr_chi2``, ``lr_df``, ``lr_p``, ``wald_chi2``, ``wald_p``, ``score_chi2``, ``score_p``,
        ``concordance``, ``reason`` (``""`` when the fit converged) and ``monotone`` (the terms
        whose estimate runs off to infinity).

    Notes
    -----
    Breslow ties reproduce SPSS's B, SE and Sig.; Efron ties R's ``coxph`` and lifelines.
    Under monotone likelihood (every event on one side of a term; R warns "Loglik converged
    before variable", SPSS prints a huge B and SE) the term's ``hr`` is inf or 0 and its
    ``se``, interval, ``z`` and ``p`` are NaN, with ``attrs["converged"]`` False and
    ``attrs["reason"]`` saying why; no warning is raised (see :func:`cox_model`'s Notes).

    Examples
    --------
    >>> d = pd.DataFrame({"t": [1, 2, 2, 3, 4, 5], "e": [1, 1, 1, 0, 1, 1], "x": [0, 1, 0, 1, 1, 0]})
    >>> [round(float(cox_table(d, "t", "e", ["x"], ties=k).loc["x", "coef"]), 4) for k in TIES]
    [-0.229, -0.2027]
    """
    return cox_model(
        df, duration_col, event_col, covariates, ties, categorical=categorical, alpha=alpha
    ).table


def univariate_cox(
    df: pd.DataFrame,
    duration_col: str,
    event_col: str,
    covariates: Sequence[str],
    ties: str = "efron",
    *,
    categorical: Mapping[str, object] | None = None,
    alpha: float = 0.05,
) -> pd.DataFrame:
    """One Cox model per covariate (the "univariate analysis" column of a Table 2), stacked.

    Each model uses the rows complete for its own covariate, as SPSS and R do when the models are
    fitted one at a time. Columns as :func:`cox_table`, plus ``n`` and ``events`` per model.

    Parameters
    ----------
    df : DataFrame
        One row per subject; rows with a missing value in any used column are dropped.
    duration_col, event_col : str
        Follow-up time and event indicator (1 event, 0 censored).
    covariates : sequence of str
        Columns entered into the model.
    ties : {"efron", "breslow"}
        Efron's method (R, lifelines) or Breslow's (SPSS).
    categorical : mapping, optional
        ``{column: reference_level}`` for dummy-coded columns (see :func:`cox_model`).
    alpha : float
        1 - confidence level of the HR intervals.

    Returns
    -------
    DataFrame
        The stacked :func:`cox_table` rows (indexed by term) with ``n`` and ``events`` of each
        model. A term whose events all fall on one side shows ``hr`` inf or 0 and NaN interval
        and P (monotone likelihood, see :func:`cox_model`).

    Examples
    --------
    For ``y`` the score equation reduces to ``h² = h + 1`` in ``h = exp(coef)``: the HR is the
    golden ratio, (1 + √5) / 2 = 1.618.

    >>> d = pd.DataFrame({"t": [1, 2, 3, 4], "e": [1, 1, 1, 1], "x": [1, 0, 1, 0], "y": [0, 1, 1, 0]})
    >>> table = univariate_cox(d, "t", "e", ["x", "y"])
    >>> table[["hr", "p", "n", "events"]].round(3)  # doctest: +NORMALIZE_WHITESPACE
             hr      p  n  events
    term
    x     2.562  0.448  4       4
    y     1.618  0.697  4       4
    """
    categorical = dict(categorical or {})
    tables = []
    for col in covariates:
        cat = {col: categorical[col]} if col in categorical else None
        tab = cox_table(df, duration_col, event_col, [col], ties, categorical=cat, alpha=alpha)
        tab["n"] = tab.attrs["n"]
        tab["events"] = tab.attrs["events"]
        tables.append(tab)
    return pd.concat(tables)


def ph_test(
    df: pd.DataFrame,
    duration_col: str,
    event_col: str,
    covariates: Sequence[str],
    *,
    categorical: Mapping[str, object] | None = None,
    transform: str = "km",
) -> pd.DataFrame:
    """Grambsch-Therneau test of proportional hazards from scaled Schoenfeld residuals.

    For each term ``j`` the scaled Schoenfeld residuals :cite:`grambsch1994` are regressed on
    ``g(t)``, a transform of event time; under proportional hazards the slope is 0. With ``d``
    events, ``V`` the model covariance (Efron ties), ``R`` the (unscaled) Schoenfeld residuals and
    ``c = g - mean(g)`` over events::

        chi2_j  = d · (c' R V)_j² / (V_jj · Σ c²)          on 1 df
        global  = d · (c' R V R' c) / Σ c²                  on p df

    This is the approximation in R ``survival`` < 3.0 ``cox.zph`` (as in Therneau & Grambsch
    :cite:`therneau2000`, §6.2) and in lifelines' ``proportional_hazard_test``. R ``survival`` >=
    3.0 computes the exact score test and prints somewhat different chi-squares.

    Parameters
    ----------
    df : DataFrame
        One row per subject; rows with a missing value in any used column are dropped.
    duration_col, event_col : str
        Follow-up time and event indicator (1 event, 0 censored).
    covariates : sequence of str
        Columns entered into the model.
    categorical : mapping, optional
        ``{column: reference_level}`` for dummy-coded columns (see :func:`cox_model`).
    transform : {"km", "identity", "rank", "log"}
        ``"km"`` (R's default): ``g`` is 1 - the left-continuous Kaplan-Meier estimate at each event
        time; ``"identity"``: time itself; ``"rank"``: rank of event times; ``"log"``: log time.

    Returns
    -------
    DataFrame
        Indexed by term and a last row ``GLOBAL``: ``chi2``, ``df``, ``p``.

    Raises
    ------
    ValueError
        When the test does not exist on these data, saying why: fewer than two events, every
        event at the same time (``g`` has no spread, so the slope is undefined) or a model that
        does not converge.

    Examples
    --------
    >>> d = pd.DataFrame({"t": [1, 2, 3, 4, 5, 6], "e": [1, 1, 1, 0, 1, 1], "x": [0, 1, 0, 1, 1, 0]})
    >>> ph_test(d, "t", "e", ["x"]).round(4)  # doctest: +NORMALIZE_WHITESPACE
              chi2  df       p
    term
    x       0.4556   1  0.4997
    GLOBAL  0.4556   1  0.4997
    """
    if transform not in ("km", "identity", "rank", "log"):
        raise ValueError(
            f"transform: expected 'km', 'identity', 'rank' or 'log', got {transform!r}"
        )
    terms, x, t, e = _model_arrays(df, duration_col, event_col, covariates, categorical)
    if e.sum() < 2:
        raise ValueError("the test needs at least two events")
    if np.unique(t[e > 0]).size < 2:
        raise ValueError(
            "every event happens at the same time, so there is no change over time to test"
        )
    fit, times, r = _efron_residuals(x, t, e)
    if transform == "identity":
        g = times
    elif transform == "log":
        g = np.log(times)
    elif transform == "rank":
        # imported here: scipy.stats costs ~0.5 s at the start of every kernel and CLI call
        from scipy import stats

        g = stats.rankdata(times)
    else:
        km = kaplan_meier(t, e)
        # left-continuous KM at each event time: S(t-) = value just before t
        s_before = np.r_[1.0, km["survival"].to_numpy()[:-1]]
        lookup = dict(zip(km["time"].to_numpy(), s_before, strict=True))
        g = 1.0 - np.array([lookup[u] for u in times])
        # (lifelines uses the right-continuous S(t) here; R and this function the left-continuous
        # S(t-), which is why the two differ when event times are tied.)
    c = g - g.mean()
    v = fit.cov
    d = len(times)
    crv = c @ r @ v
    ss = float(c @ c)
    chi2 = d * crv**2 / (np.diag(v) * ss)
    glob = float(d * (c @ r @ v @ r.T @ c) / ss)
    k = len(terms)
    return pd.DataFrame(
        {
            "chi2": np.r_[chi2, glob],
            "df": np.r_[np.ones(k, dtype=int), k],
            "p": np.r_[engine.chi2_sf(chi2, 1), engine.chi2_sf(glob, k)],
        },
        index=pd.Index([*terms, "GLOBAL"], name="term"),
    )


def scaled_schoenfeld(
    df: pd.DataFrame,
    duration_col: str,
    event_col: str,
    covariates: Sequence[str],
    *,
    categorical: Mapping[str, object] | None = None,
) -> pd.DataFrame:
    """Scaled Schoenfeld residuals of a Cox model, one row per event, as :func:`ph_test` uses them.

    Under proportional hazards the scaled residual of term ``j`` at event ``i``,
    ``β̂_j + d · (r_i V)_j`` (``r_i`` the Schoenfeld residual, ``V`` the model covariance with
    Efron ties, ``d`` the number of events), scatters around the constant log hazard ratio
    ``β̂_j``; a trend over time is a log hazard ratio that changes :cite:`grambsch1994`
    (R ``cox.zph``'s ``y``, which ``plot.cox.zph`` draws against time).

    Parameters
    ----------
    df : DataFrame
        One row per subject; rows with a missing value in any used column are dropped.
    duration_col, event_col : str
        Follow-up time and event indicator (1 event, 0 censored).
    covariates : sequence of str
        Columns entered into the model.
    categorical : mapping, optional
        ``{column: reference_level}`` for dummy-coded columns (see :func:`cox_model`).

    Returns
    -------
    DataFrame
        ``time`` (the event's time, sorted) and one column per model term; ``attrs["beta"]``
        maps each term to its fitted log hazard ratio.

    Raises
    ------
    ValueError
        As :func:`ph_test`: fewer than two events, or a model that does not converge.

    Examples
    --------
    >>> d = pd.DataFrame({"t": [1, 2, 3, 4, 5, 6], "e": [1, 1, 1, 0, 1, 1], "x": [0, 1, 0, 1, 1, 0]})
    >>> res = scaled_schoenfeld(d, "t", "e", ["x"])
    >>> res["time"].tolist(), len(res)
    ([1.0, 2.0, 3.0, 5.0, 6.0], 5)
    >>> bool(np.isclose(res["x"].mean(), res.attrs["beta"]["x"]))  # they average to β̂
    True
    """
    terms, x, t, e = _model_arrays(df, duration_col, event_col, covariates, categorical)
    if e.sum() < 2:
        raise ValueError("the residuals need at least two events")
    fit, times, r = _efron_residuals(x, t, e)
    scaled = fit.beta + len(times) * r @ fit.cov
    out = pd.DataFrame(scaled, columns=terms)
    out.insert(0, "time", times)
    out.attrs["beta"] = dict(zip(terms, map(float, fit.beta), strict=True))
    return out


def events_per_variable(n_events: int, n_parameters: int) -> float:
    """Events per estimated parameter of a Cox model.

    Peduzzi et al. :cite:`peduzzi1995` found proportional hazards estimates unreliable below
    about 10 events per variable; count *parameters*, so a categorical covariate with k levels
    counts k - 1.

    Parameters
    ----------
    n_events : int
        Number of events (deaths), >= 0.
    n_parameters : int
        Number of estimated coefficients, > 0.

    Returns
    -------
    float
        ``n_events / n_parameters``.

    Raises
    ------
    ValueError
        For ``n_parameters <= 0`` or ``n_events < 0``.

    Examples
    --------
    >>> events_per_variable(20, 4)   # 20 deaths, four parameters: below Peduzzi's 10
    5.0
    """
    if n_parameters <= 0:
        raise ValueError(f"n_parameters: expected a positive count, got {n_parameters!r}")
    if n_events < 0:
        raise ValueError(f"n_events: expected a non-negative count, got {n_events!r}")
    return n_events / n_parameters


# ------------------------------------------------------------------ degenerate comparisons
#: why a log-rank test or a Cox model has nothing to compare (:func:`everyone_at_risk_dies`)
EVERYONE_DIES_AT_ONCE = (
    "every patient still at risk dies at the same time, so the test compares nobody"
)


def everyone_at_risk_dies(stop, died, start=None) -> bool:
    """True when every patient at risk at each death time dies then.

    The log-rank variance is then 0 and the exact Cox partial likelihood is 1 whatever the
    coefficients, so neither a test nor a hazard ratio exists (a tie correction's estimate,
    such as HR 1 with an interval, is its artefact). False without a death.

    Parameters
    ----------
    stop : array_like
        Follow-up (or ``stop``) times.
    died : array_like
        Event indicators (> 0 an event).
    start : array_like, optional
        Entry times of counting-process rows (at risk on ``(start, stop]``); ``None``: every
        row is at risk from 0.

    Returns
    -------
    bool
        True when no death time has a survivor at risk (nothing to compare).

    Examples
    --------
    >>> everyone_at_risk_dies([6, 6, 6], [1, 1, 1]), everyone_at_risk_dies([6, 6, 9], [1, 1, 0])
    (True, False)
    >>> everyone_at_risk_dies([2, 2, 5], [1, 1, 1])  # at month 2 one patient lives on
    False
    """
    stop = np.asarray(stop, float)
    died = np.asarray(died, float) > 0
    if not died.any():
        return False
    entry = np.full(stop.shape, -np.inf) if start is None else np.asarray(start, float)
    return all(
        ((entry < u) & (stop >= u)).sum() == (died & (stop == u)).sum()
        for u in np.unique(stop[died])
    )


def try_cox_table(
    df: pd.DataFrame, duration_col: str, event_col: str, covariates: Sequence[str], **kwargs
) -> tuple[pd.DataFrame | None, str]:
    """:func:`cox_table`, or ``(None, reason)`` when the model cannot be estimated on ``df``.

    For chapters run on any cohort: instead of raising, says why a model is not estimable --
    a covariate column absent or empty, a term that does not vary (e.g. nobody had additional
    TACE), no events, no death time with a survivor at risk to compare (e.g. every patient dies
    in the same month), a fit that does not converge, terms that are collinear (a singular
    information matrix), or an estimate that runs off to infinity (monotone likelihood: every
    event on one side of a binary term, where R warns "Loglik converged before variable ..." and
    SPSS prints a huge HR). Only a fit that does not converge is read as running off: one whose
    coefficient still grows after :func:`analysis.engine.cox_fit`'s iterations until its hazard
    ratio between the term's lowest and highest values passes e^15. A fit that converges is
    returned however large its ratio (a finite maximum, as R and SPSS print it).

    Parameters
    ----------
    df : DataFrame
        One row per subject; rows with a missing value in any used column are dropped.
    duration_col, event_col : str
        Follow-up time and event indicator (1 event, 0 censored).
    covariates : sequence of str
        Columns entered into the model.
    **kwargs
        Passed to :func:`cox_table` (``ties``, ``categorical``, ``alpha``).

    Returns
    -------
    (DataFrame or None, str)
        The table and ``""``; or ``None`` and a short reason fit to print.

    Examples
    --------
    >>> d = pd.DataFrame({"t": [1, 2, 3, 4], "e": [1, 1, 1, 1], "x": [1, 1, 1, 1]})
    >>> try_cox_table(d, "t", "e", ["x"])
    (None, "term(s) ['x'] do not vary in this cohort")
    """
    covariates = list(covariates)
    absent = [c for c in covariates if c not in df.columns or df[c].isna().all()]
    if absent:
        return None, f"column {', '.join(absent)} is not in this cohort"
    events = pd.to_numeric(df[event_col]).fillna(0)
    if events.sum() == 0:
        return None, "no events in this cohort (every patient is censored)"
    times = pd.to_numeric(df[duration_col]).to_numpy(float)
    died = events.to_numpy(float) > 0
    # the partial likelihood compares who dies with who is still at risk at each death time; if
    # everyone at risk dies at every death time (e.g. all deaths at one month, nobody censored
    # later), it holds no information and any estimate is an artefact of the tie correction
    if everyone_at_risk_dies(times, died):
        return None, (
            "every patient still at risk dies at the same time, so the model compares nobody "
            "(no one survives past a death time to compare with)"
        )
    try:
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            table = cox_table(df, duration_col, event_col, covariates, **kwargs)
    except ValueError as exc:
        if "do not vary" in str(exc):
            return None, str(exc).replace("covariates: term(s)", "term(s)").replace(
                "in the rows used", "in this cohort"
            )
        return None, f"cannot be fitted on this cohort ({exc})"
    except (np.linalg.LinAlgError, ZeroDivisionError, OverflowError) as exc:
        return None, f"the model does not converge on this cohort ({type(exc).__name__})"
    # collinear terms are read from the data (engine.collinear_terms), not from the Newton path
    collinear = table.attrs.get("collinear", [])
    bad = ~np.isfinite(table[["coef", "se", "hr", "lower", "upper"]]).all(axis=1)
    if table.attrs["converged"] and not bad.any():
        # a finite maximum, however large a ratio (R and SPSS print it): not "infinite"
        return table, ""
    # the engine halves a step that lowers the likelihood, so a fit that does not converge is one
    # whose likelihood keeps rising as a coefficient grows (monotone likelihood), or a singular
    # one; a coefficient "runs off" when its ratio between the term's lowest and highest values
    # passes e^15
    spread = pd.Series(
        [_value_range(df, term) for term in table.index], index=table.index, dtype=float
    )
    running = ~np.isfinite(table[["coef", "hr"]]).all(axis=1)
    running |= table["coef"].abs() * spread > engine.RUNS_OFF
    if not collinear and running.any():
        terms = ", ".join(map(str, table.index[running]))
        return None, (
            f"the estimate for {terms} runs off to infinity (monotone likelihood: the events "
            "fall on one side of it)"
        )
    singular = table.index.isin(collinear) if collinear else ~np.isfinite(table["se"])
    if singular.any():
        terms = ", ".join(map(str, table.index[singular]))
        return None, (
            f"the terms {terms} are collinear in this cohort (the information matrix is "
            "singular), so their effects cannot be told apart"
        )
    if table.attrs["converged"]:  # only an interval bound beyond exp's range
        return None, "no interval can be given (almost no information in this cohort)"
    return None, "the model does not converge on this cohort"


def _value_range(df: pd.DataFrame, term) -> float:
    """The range of a numeric column ``term`` of ``df`` (1 for a dummy term not in ``df``)."""
    if term not in df.columns:
        return 1.0
    values = pd.to_numeric(df[term], errors="coerce")
    spread = float(values.max() - values.min())
    return spread if math.isfinite(spread) and spread > 0 else 1.0


#: Why a group's median is missing when the group has no patients (:func:`group_comparison`);
#: :func:`analysis.tables.compare` shows such a group's cells as "no patients".
NOBODY_IN_GROUP = "nobody in this group"


def group_comparison(
    durations,
    events,
    groups,
    levels: Sequence,
    *,
    ci: str = "spss",
    labels: Mapping | None = None,
    clip_at_zero: bool = True,
) -> dict:
    """Medians per group and the log-rank test, with a reason where either is not estimable.

    Parameters
    ----------
    durations, events, groups : array-like
        As for :func:`logrank_table`.
    levels : sequence
        The groups the comparison is about (e.g. ``[1, 0]``), shown even when empty.
    ci : str
        Interval method of :func:`median_survival`.
    labels : mapping, optional
        ``{level: label}`` used in the reasons (default the level itself).
    clip_at_zero : bool, keyword-only
        As for :func:`median_survival`: ``False`` keeps a negative lower bound of the SPSS
        interval as SPSS prints it (:func:`negative_bound_note` says why it is not cut).

    Returns
    -------
    dict
        ``groups``: ``{level: {"n", "events", "median", "lower", "upper", "reason"}}`` where
        ``reason`` says why the median is missing ("nobody in this group", "no events in this
        group", "median not reached"), else ``""``; ``chi2``, ``df``, ``p`` of the log-rank
        test (NaN when not estimable) and ``reason`` (why not: fewer than two groups with
        patients, or no events at all), else ``""``.

    Examples
    --------
    >>> res = group_comparison([1, 2, 3, 4], [1, 1, 1, 1], [1, 0, 1, 0], [1, 0, 2])
    >>> res["groups"][1]["median"], res["groups"][0]["median"], res["groups"][2]["reason"]
    (1.0, 2.0, 'nobody in this group')
    >>> round(res["chi2"], 4), res["df"], res["reason"]
    (0.6154, 1, '')

    The SPSS interval of a short median with a wide SE runs below 0; it is cut there unless
    ``clip_at_zero=False``:

    >>> t, e, g = [1, 1, 2, 5, 9, 9], [1, 1, 1, 1, 1, 1], [0, 0, 0, 0, 1, 1]
    >>> group_comparison(t, e, g, [0])["groups"][0]["lower"]
    0.0
    >>> round(group_comparison(t, e, g, [0], clip_at_zero=False)["groups"][0]["lower"], 2)
    -0.31
    """
    if groups is None:
        raise ValueError("groups: expected one group label per duration, got None")
    t, e, g = as_arrays(durations, events, groups)
    out: dict = {"groups": {}}
    for level in levels:
        mask = g == level
        n, d = int(mask.sum()), int(e[mask].sum())
        row = {"n": n, "events": d, "median": np.nan, "lower": np.nan, "upper": np.nan}
        if n == 0:
            row["reason"] = NOBODY_IN_GROUP
        elif d == 0:
            row["reason"] = "no events in this group"
        else:
            row["median"], row["lower"], row["upper"] = median_survival(
                t[mask], e[mask], ci=ci, clip_at_zero=clip_at_zero
            )
            row["reason"] = "" if np.isfinite(row["median"]) else "median not reached"
        out["groups"][level] = row
    present = [lv for lv in levels if out["groups"][lv]["n"] > 0]
    out["chi2"], out["df"], out["p"] = np.nan, len(levels) - 1, np.nan
    keep = np.isin(g, present)
    if len(present) < 2:
        names = dict(labels or {})
        empty = [str(names.get(lv, lv)) for lv in levels if out["groups"][lv]["n"] == 0]
        # quoted: "nobody in the group “no additional TACE”", not "nobody in no additional TACE"
        quoted = [f"“{name}”" for name in empty]
        if not quoted:  # a comparison of one level
            out["reason"] = "only one group has patients"
        else:
            which = quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " and " + quoted[-1]
            groups = "group" if len(quoted) == 1 else "groups"
            out["reason"] = f"only one group has patients (nobody in the {groups} {which})"
    elif e[keep].sum() == 0:
        out["reason"] = "no events in either group"
    elif everyone_at_risk_dies(t[keep], e[keep]):  # variance 0: chi2 0 and P 1 would be no result
        out["reason"] = EVERYONE_DIES_AT_ONCE
    else:
        _, chi2, df, p = logrank_table(t[keep], e[keep], g[keep])
        if not np.isfinite(chi2):
            out["reason"] = "the log-rank statistic is not defined on this cohort"
        else:
            out.update(chi2=chi2, df=df, p=p, reason="")
    return out


def negative_bound_note(
    label: str, median: float, lower: float, upper: float, shown: str = "", *, decimals: int = 2
) -> str:
    """Why an SPSS interval of a median runs below 0, as a table note; ``""`` when it does not.

    SPSS's interval is the median ± z·SE (:func:`median_survival`, ``ci="spss"``), which is
    below 0 whenever the SE exceeds the median / z; SPSS's algorithms state no cut at 0, so the
    note says the bound is shown as that formula gives it, though no survival time is negative
    (no SPSS output running below 0 was at hand to confirm what SPSS prints). The SE is
    recovered from the bounds.

    Parameters
    ----------
    label : str
        The group or quantity the interval belongs to; the note starts with it (``""``: the
        note starts with "SPSS's interval", for a note already set beside its row).
    median, lower, upper : float
        The median and the SPSS interval's bounds, not cut at 0 (``clip_at_zero=False``).
    shown : str, optional
        The interval as the table prints it (default: each bound to one decimal, a true minus,
        "−0.6 to 7.4": :func:`analysis.formatting.interval`).
    decimals : int, default 2
        Decimals of the median (1: as the paper prints its medians, and as the interval's
        bounds are).

    Returns
    -------
    str
        The note, or ``""`` when the lower bound is not below 0.

    Examples
    --------
    >>> print(negative_bound_note("> 4 prior TACE", 3.4, -0.61, 7.41))  # doctest: +NORMALIZE_WHITESPACE
    > 4 prior TACE: SPSS's interval is the median ± 1.96 SE, here 3.40 ± 1.96 × 2.05 =
    −0.6 to 7.4; it runs below 0 whenever the SE exceeds the median / 1.96; the bound is shown as
    that formula gives it (SPSS's algorithms state no cut at 0), though no survival time is
    below 0.
    >>> print(negative_bound_note("", 3.39, -0.61, 7.41, decimals=1))  # doctest: +NORMALIZE_WHITESPACE
    SPSS's interval is the median ± 1.96 SE, here 3.4 ± 1.96 × 2.05 = −0.6 to 7.4; it runs below
    0 whenever the SE exceeds the median / 1.96; the bound is shown as that formula gives it
    (SPSS's algorithms state no cut at 0), though no survival time is below 0.
    >>> negative_bound_note("all", 9.9, 8.7, 11.1)
    ''
    """
    if not (lower < 0):  # also NaN: no bound to explain
        return ""
    se = (upper - lower) / (2 * engine.Z95)
    shown = shown or interval(lower, upper, 1)
    return (
        f"{label + ': ' if label else ''}SPSS's interval is the median ± {engine.Z95:.2f} SE, here "
        f"{number(median, decimals)} ± {engine.Z95:.2f} × {number(se, 2)} = {shown}; it runs "
        f"below 0 whenever the SE exceeds the median / {engine.Z95:.2f}; the bound is shown as "
        "that formula gives it (SPSS's algorithms state no cut at 0), though no survival time "
        "is below 0."
    )


def try_ph_test(
    df: pd.DataFrame, duration_col: str, event_col: str, covariates: Sequence[str], **kwargs
) -> tuple[pd.DataFrame | None, str]:
    """:func:`ph_test`, or ``(None, reason)`` when it cannot be computed on ``df``.

    The Grambsch-Therneau test needs a fitted model (see :func:`try_cox_table`), at least two
    events and events at two or more distinct times; a reason fit to print is returned instead of
    an exception (or of a silent NaN).

    Parameters
    ----------
    df : DataFrame
        One row per subject; rows with a missing value in any used column are dropped.
    duration_col, event_col : str
        Follow-up time and event indicator (1 event, 0 censored).
    covariates : sequence of str
        Columns entered into the model.
    **kwargs
        Passed to :func:`ph_test` (``categorical``, ``transform``).

    Returns
    -------
    (DataFrame or None, str)
        :func:`ph_test`'s table and ``""``; or ``None`` and a short reason fit to print.

    Examples
    --------
    >>> d = pd.DataFrame({"t": [3, 3, 3, 3], "e": [1, 1, 1, 1], "x": [1, 0, 1, 0]})
    >>> table, reason = try_ph_test(d, "t", "e", ["x"])
    >>> table is None, reason.startswith("every patient still at risk dies at the same time")
    (True, True)
    """
    covariates = list(covariates)
    if not covariates:
        return None, "no model terms could be estimated on this cohort"
    _, why = try_cox_table(df, duration_col, event_col, covariates)
    if why:
        return None, why
    if pd.to_numeric(df[event_col]).sum() < 2:
        return None, "fewer than two events in this cohort"
    try:
        with np.errstate(all="ignore"):
            table = ph_test(df, duration_col, event_col, covariates, **kwargs)
    except (ValueError, np.linalg.LinAlgError, ZeroDivisionError) as exc:
        return None, f"the test cannot be computed on this cohort ({exc})"
    return table, ""
