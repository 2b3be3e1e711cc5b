"""Kaplan-Meier summaries, log-rank tests, Cox tables and proportional-hazards checks.

Everything here takes plain arrays (or a DataFrame for the Cox models) and returns plain numbers or
DataFrames, so that chapters stay thin and tests can compare with published R output.

What differs between the programs the reader may know
-----------------------------------------------------
* **Median survival** -- every program takes the smallest time at which the Kaplan-Meier curve
  :cite:`kaplan1958` is at or below 0.5. R's ``survfit`` (and this module) takes the midpoint to the
  next event time when the curve sits *exactly* at 0.5 over an interval; SPSS and lifelines report
  the left end of that plateau.
* **Median confidence interval** -- SPSS prints ``estimate ± 1.96·SE`` with a density-based SE
  (``ci="spss"``); R's ``survfit`` inverts the pointwise interval for S(t) on the log scale
  (``ci="log"``, the Brookmeyer-Crowley approach :cite:`brookmeyer1982`); lifelines inverts the
  log(-log) interval (``ci="log-log"``). Only the SPSS interval is symmetric; the paper's intervals
  (SPSS 26) are of that kind.
* **Mean survival** -- SPSS prints the area under the curve up to the largest observed time and notes
  that the estimate is *limited* to it when that time is censored; R prints the same restricted mean
  only when asked (``print(fit, rmean=...)``).
* **Cox ties** -- R ``coxph`` and lifelines use Efron's method :cite:`efron1977`; SPSS ``COXREG`` uses
  Breslow's. With continuous times (few ties) the difference is in the third decimal at most.
* **Proportional hazards** -- :func:`ph_test` implements the Grambsch-Therneau test
  :cite:`grambsch1994` in the form printed by R ``survival`` < 3.0 ``cox.zph`` (and by lifelines);
  ``survival`` >= 3.0 computes an exact score test whose chi-squares differ in the second digit.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from scipy import stats

__all__ = [
    "kaplan_meier",
    "median_survival",
    "mean_survival",
    "km_table",
    "logrank",
    "logrank_table",
    "cox_table",
    "univariate_cox",
    "ph_test",
    "events_per_variable",
    "try_cox_table",
    "try_ph_test",
    "group_comparison",
    "CI_METHODS",
]

#: The three confidence-interval methods of :func:`median_survival`.
CI_METHODS = ("spss", "log", "log-log")

#: R's tolerance for "the curve is exactly at 0.5" (``sqrt(.Machine$double.eps)``).
_TOL = math.sqrt(np.finfo(float).eps)


# --------------------------------------------------------------------------------------- input
def _as_arrays(durations, events, groups=None):
    """Validate and return float durations, int events (and groups) as NumPy arrays."""
    t = np.asarray(durations, dtype=float).ravel()
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
            f"durations: must be finite and >= 0; position {i} holds {t[i]!r} "
            f"({int(bad.sum())} bad value(s))"
        )
    bad = ~np.isin(e_raw, (0.0, 1.0))
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise ValueError(
            f"events: must be 0 (censored) or 1 (event); position {i} holds {e_raw[i]!r}"
        )
    e = e_raw.astype(int)
    if groups is None:
        return t, e
    g = np.asarray(groups, dtype=object).ravel()
    if g.size != t.size:
        raise ValueError(f"groups has {g.size} values but durations has {t.size}")
    missing = pd.isna(g)
    if missing.any():
        i = int(np.flatnonzero(missing)[0])
        raise ValueError(f"groups: missing value at position {i}")
    return t, e, g


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
    """
    t, e = _as_arrays(durations, events)
    event_times = np.unique(t[e == 1])
    n_risk = np.array([(t >= u).sum() for u in event_times], dtype=float)
    n_event = np.array([((t == u) & (e == 1)).sum() for u in event_times], dtype=float)
    surv = np.cumprod(1.0 - n_event / n_risk)
    with np.errstate(divide="ignore", invalid="ignore"):
        inc = np.where(n_risk > n_event, n_event / (n_risk * (n_risk - n_event)), np.inf)
    var_log = np.cumsum(inc)
    with np.errstate(invalid="ignore"):
        se = np.where(surv > 0, surv * np.sqrt(var_log), 0.0)
    return pd.DataFrame(
        {
            "time": event_times,
            "n_risk": n_risk.astype(int),
            "n_event": n_event.astype(int),
            "survival": surv,
            "var_log": var_log,
            "se": se,
        }
    )


def _quantile_time(times: np.ndarray, curve: np.ndarray, p: float = 0.5) -> float:
    """R's rule for the time at which a step curve reaches ``p``.

    ``times`` are the times at which the curve may change and ``curve`` its values just after them.
    Plateaus (repeated values) are collapsed to their first time, as R's ``quantile.survfit`` does.
    The result is the first time with ``curve <= p``; if the curve equals ``p`` (within R's
    tolerance ``sqrt(.Machine$double.eps)``) there and drops again later, the midpoint between that
    time and the next time the curve changes. NaN when the curve never reaches ``p``.
    """
    ok = np.isfinite(curve)
    times, curve = times[ok], curve[ok]
    if times.size == 0:
        return float("nan")
    keep = np.r_[True, np.abs(np.diff(curve)) > 0]
    times, curve = times[keep], curve[keep]
    hit = np.flatnonzero(curve <= p + _TOL)
    if hit.size == 0:
        return float("nan")
    i = int(hit[0])
    if abs(curve[i] - p) < _TOL and i + 1 < times.size:
        return float((times[i] + times[i + 1]) / 2.0)
    return float(times[i])


def _spss_median_se(km: pd.DataFrame, median: float) -> float:
    """Density-based SE of the median (Collett's formula, as SPSS's algorithms describe it).

    ``SE = sqrt(Var S(t50)) / f``, with ``Var S`` Greenwood's variance of the KM estimate at the
    median and ``f = (S(u) - S(l)) / (l - u)`` the slope of the curve between ``u``, the largest
    event time with ``S(u) >= 0.55`` (time 0, S = 1, when there is none), and ``l``, the smallest
    event time with ``S(l) <= 0.45``. NaN when the curve never falls to 0.45.
    """
    times = km["time"].to_numpy()
    surv = km["survival"].to_numpy()
    se = km["se"].to_numpy()
    # Greenwood SE at the median: the value of the step curve at t50.
    at = np.flatnonzero(times <= median + 1e-12)
    if at.size == 0:
        return float("nan")
    se_surv = float(se[at[-1]])
    upper_idx = np.flatnonzero(surv >= 0.55 - _TOL)
    if upper_idx.size:
        u, s_u = float(times[upper_idx[-1]]), float(surv[upper_idx[-1]])
    else:
        u, s_u = 0.0, 1.0
    lower_idx = np.flatnonzero(surv <= 0.45 + _TOL)
    if lower_idx.size == 0:
        return float("nan")
    lo, s_l = float(times[lower_idx[0]]), float(surv[lower_idx[0]])
    if lo <= u:
        return float("nan")
    density = (s_u - s_l) / (lo - u)
    if density <= 0:
        return float("nan")
    return se_surv / density


def median_survival(durations, events, ci: str = "spss", alpha: float = 0.05, *, clip_at_zero=True):
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
            ``S <= 0.45`` (Collett, *Modelling Survival Data in Medical Research*, §2.4). The
            interval is symmetric. The lower bound is clipped at 0 (a negative survival time is
            meaningless) unless ``clip_at_zero=False``; we could not verify whether SPSS clips.
            The paper (SPSS 26) prints intervals of this kind.
        ``"log"``
            R ``survfit``'s default (``conf.type="log"``): the set of times at which the pointwise
            interval ``S·exp(±z·se(log S))`` contains 0.5, i.e. the Brookmeyer-Crowley inversion
            :cite:`brookmeyer1982`: lower = when the lower band reaches 0.5, upper = when the upper
            band does. Not symmetric; the upper limit is NaN (R's ``NA``) when the upper band never
            reaches 0.5.
        ``"log-log"``
            The same inversion with the log(-log) interval ``S^exp(±z·se(log S)/log S)``, which is
            lifelines' default (``KaplanMeierFitter.confidence_interval_`` read through
            ``median_survival_times``) and R's ``conf.type="log-log"``.
    alpha : float
        1 - confidence level (0.05 for 95% intervals).
    clip_at_zero : bool, keyword-only
        Clip the lower bound of the ``"spss"`` interval at 0.

    Returns
    -------
    (median, lower, upper) : tuple of float
        The median follows R's rule: the smallest time with ``S(t) <= 0.5``, or the midpoint to the
        next event time when ``S`` is exactly 0.5 on a plateau (SPSS and lifelines report the
        plateau's start). A median that is not reached is NaN, never an exception; so is any bound
        that cannot be computed.
    """
    if ci not in CI_METHODS:
        raise ValueError(f"ci: expected one of {CI_METHODS}, got {ci!r}")
    if not 0 < alpha < 1:
        raise ValueError(f"alpha: expected a number in (0, 1), got {alpha!r}")
    km = kaplan_meier(durations, events)
    nan = float("nan")
    if km.empty:
        return nan, nan, nan
    times = km["time"].to_numpy()
    surv = km["survival"].to_numpy()
    median = _quantile_time(times, surv, 0.5)
    z = stats.norm.ppf(1 - alpha / 2)
    if ci == "spss":
        if math.isnan(median):
            return nan, nan, nan
        se = _spss_median_se(km, median)
        lower, upper = median - z * se, median + z * se
        if clip_at_zero and not math.isnan(lower):
            lower = max(lower, 0.0)
        return median, float(lower), float(upper)
    var_log = km["var_log"].to_numpy()
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
    lower = _quantile_time(times, lo_band, 0.5)
    upper = _quantile_time(times, hi_band, 0.5)
    return median, lower, upper


def mean_survival(durations, events) -> tuple[float, float]:
    """Restricted mean survival time (area under the Kaplan-Meier curve) and its SE, as SPSS prints.

    The curve is integrated from 0 to the largest observed time. When that time is censored the
    curve has not reached 0 and the result is the mean *restricted* to it, which underestimates the
    true mean; SPSS flags this with the footnote "Estimation is limited to the largest survival time
    if it is censored". R prints the same number for ``print(survfit(...), rmean="individual")``.

    The SE is the usual plug-in (Kaplan & Meier 1958 :cite:`kaplan1958`):
    ``Var = Σ_j A_j² d_j / (n_j (n_j - d_j))`` over event times ``t_j``, where ``A_j`` is the area
    under the curve from ``t_j`` to the largest time. This is R's ``se(rmean)``; SPSS's algorithm
    description gives the same sum (we have not been able to check SPSS's output digit by digit).

    Returns
    -------
    (mean, se) : tuple of float
    """
    t, e = _as_arrays(durations, events)
    km = kaplan_meier(t, e)
    t_max = float(t.max())
    # step function: knots 0, event times..., t_max
    knots = np.r_[0.0, km["time"].to_numpy(), t_max]
    values = np.r_[1.0, km["survival"].to_numpy()]
    widths = np.diff(knots)
    widths = np.clip(widths, 0.0, None)
    mean = float(np.sum(values * widths))
    # area from each event time to t_max
    pieces = values[1:] * widths[1:]
    area_after = np.cumsum(pieces[::-1])[::-1]
    n = km["n_risk"].to_numpy(float)
    d = km["n_event"].to_numpy(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(n > d, area_after**2 * d / (n * (n - d)), 0.0)
    return mean, float(math.sqrt(terms.sum()))


def km_table(durations, events, times: Sequence[float], alpha: float = 0.05) -> pd.DataFrame:
    """Survival, its log-scale 95% CI and the number at risk at given times (R ``summary(fit, times)``).

    ``n_risk`` counts subjects with follow-up ``>= time`` (still under observation just before
    ``time``), the convention of R's ``summary.survfit`` and of number-at-risk tables under KM plots.
    ``n_event`` is the cumulative number of events up to and including ``time``. The interval is
    R's default ``conf.type="log"``.
    """
    t, e = _as_arrays(durations, events)
    km = kaplan_meier(t, e)
    z = stats.norm.ppf(1 - alpha / 2)
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

    Returns
    -------
    table : DataFrame
        Indexed by group (sorted): ``n``, ``observed``, ``expected``, ``oe2_e`` ((O-E)²/E) and
        ``oe2_v`` ((O-E)²/V), as ``survdiff`` prints them.
    chi2, df, p : float, int, float
    """
    t, e, g = _as_arrays(durations, events, groups)
    levels = sorted(pd.unique(g), key=lambda x: (str(type(x)), x))
    if len(levels) < 2:
        raise ValueError(f"groups: need at least 2 groups, got {len(levels)} ({levels!r})")
    k = len(levels)
    idx = np.array([levels.index(x) for x in g])
    event_times = np.unique(t[e == 1])
    obs = np.zeros(k)
    exp = np.zeros(k)
    var = np.zeros((k, k))
    for u in event_times:
        at_risk = t >= u
        n_j = np.bincount(idx[at_risk], minlength=k).astype(float)
        died = (t == u) & (e == 1)
        d_j = np.bincount(idx[died], minlength=k).astype(float)
        n, d = n_j.sum(), d_j.sum()
        obs += d_j
        exp += d * n_j / n
        if n > 1:
            frac = n_j / n
            var += d * (n - d) / (n - 1) * (np.diag(frac) - np.outer(frac, frac))
    u_vec = (obs - exp)[:-1]
    v_mat = var[:-1, :-1]
    chi2 = float(u_vec @ np.linalg.pinv(v_mat) @ u_vec)
    df = k - 1
    p = float(stats.chi2.sf(chi2, df))
    with np.errstate(divide="ignore", invalid="ignore"):
        table = pd.DataFrame(
            {
                "n": np.bincount(idx, minlength=k),
                "observed": obs,
                "expected": exp,
                "oe2_e": (obs - exp) ** 2 / exp,
                "oe2_v": (obs - exp) ** 2 / np.diag(var),
            },
            index=pd.Index(levels, name="group"),
        )
    return table, chi2, df, p


def logrank(durations, events, groups) -> tuple[float, int, float]:
    """Log-rank (Mantel-Cox) test for 2 or more groups: ``(chi2, df, p)``.

    Same statistic as R ``survdiff(..., rho=0)`` and SPSS "Log Rank (Mantel-Cox)"; see
    :func:`logrank_table` for the observed/expected table.
    """
    _, chi2, df, p = logrank_table(durations, events, groups)
    return chi2, df, p


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


def cox_table(
    df: pd.DataFrame,
    duration_col: str,
    event_col: str,
    covariates: Sequence[str],
    *,
    categorical: Mapping[str, object] | None = None,
    alpha: float = 0.05,
) -> pd.DataFrame:
    """Fit a Cox proportional-hazards model :cite:`cox1972` and return its coefficient table.

    Parameters
    ----------
    df : DataFrame
        One row per subject. Rows with a missing value in any used column are dropped (R's
        ``na.omit``; SPSS's listwise deletion); the number used is in ``.attrs["n"]``.
    duration_col, event_col : str
        Follow-up time and event indicator (1 event, 0 censored).
    covariates : sequence of str
        Columns entered together (one multivariable model). Numeric columns enter as they are (the
        HR is per unit).
    categorical : mapping, optional
        ``{column: reference_level}``: these columns are dummy coded, one 0/1 term ``column=level``
        per non-reference level (R's ``factor`` with ``relevel``; SPSS's ``/CATEGORICAL`` with
        ``(INDICATOR(first|last))``). The reference level is explicit because R takes the first
        level and SPSS the *last* by default.
    alpha : float
        1 - confidence level of the HR intervals.

    Returns
    -------
    DataFrame
        Indexed by term: ``coef``, ``se``, ``hr`` (exp(coef)), ``lower``, ``upper`` (Wald interval
        ``exp(coef ± z·se)``), ``z`` and ``p`` (two-sided Wald P, R's ``Pr(>|z|)`` and SPSS's
        "Sig."). ``.attrs`` holds ``n``, ``events``, ``loglik``, ``lr_chi2``, ``lr_df``, ``lr_p``.

    Notes
    -----
    Ties are handled with Efron's method :cite:`efron1977` (R ``coxph``'s default; SPSS uses
    Breslow's). The partial likelihood is maximised with lifelines' Newton-Raphson
    :cite:`davidsonpilon2019` run to a step norm below 1e-12 (far tighter than its default 1e-7 and
    than R's relative log-likelihood change of 1e-9), so coefficients agree with R to all printed
    digits.
    """
    from lifelines import CoxPHFitter

    for col in (duration_col, event_col):
        if col not in df.columns:
            raise KeyError(f"column {col!r} is not in the data frame")
    covariates = list(covariates)
    if not covariates:
        raise ValueError("covariates: at least one covariate is needed")
    x = _design(df, covariates, categorical)
    data = pd.concat(
        [
            pd.to_numeric(df[duration_col]).astype(float).rename("_T"),
            pd.to_numeric(df[event_col]).astype(float).rename("_E"),
            x,
        ],
        axis=1,
    ).dropna()
    if data.empty:
        raise ValueError("no complete rows left after dropping missing values")
    _as_arrays(data["_T"], data["_E"])  # validate times and events
    constant = [c for c in x.columns if data[c].nunique() < 2]
    if constant:
        raise ValueError(f"covariates: term(s) {constant!r} do not vary in the rows used")
    cph = CoxPHFitter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        cph.fit(
            data,
            duration_col="_T",
            event_col="_E",
            fit_options={"precision": 1e-12, "r_precision": 1e-15, "max_steps": 500},
        )
    z = stats.norm.ppf(1 - alpha / 2)
    coef = cph.params_.to_numpy()
    se = cph.standard_errors_.to_numpy()
    zval = coef / se
    out = pd.DataFrame(
        {
            "coef": coef,
            "se": se,
            "hr": np.exp(coef),
            "lower": np.exp(coef - z * se),
            "upper": np.exp(coef + z * se),
            "z": zval,
            "p": 2 * stats.norm.sf(np.abs(zval)),
        },
        index=pd.Index(list(x.columns), name="term"),
    )
    lr = cph.log_likelihood_ratio_test()
    out.attrs.update(
        {
            "n": int(len(data)),
            "events": int(data["_E"].sum()),
            "loglik": float(cph.log_likelihood_),
            "lr_chi2": float(lr.test_statistic),
            "lr_df": int(lr.degrees_freedom),
            "lr_p": float(lr.p_value),
        }
    )
    return out


def univariate_cox(
    df: pd.DataFrame,
    duration_col: str,
    event_col: str,
    covariates: Sequence[str],
    *,
    categorical: Mapping[str, object] | None = None,
    alpha: float = 0.05,
) -> pd.DataFrame:
    """One Cox model per covariate (the "univariate analysis" column of a Table 2), stacked.

    Each model uses the rows complete for its own covariate, as SPSS and R do when the models are
    fitted one at a time. Columns as :func:`cox_table`, plus ``n`` and ``events`` per model.
    """
    categorical = dict(categorical or {})
    tables = []
    for col in covariates:
        cat = {col: categorical[col]} if col in categorical else None
        tab = cox_table(df, duration_col, event_col, [col], categorical=cat, alpha=alpha)
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
    events, ``V`` the model covariance, ``R`` the (unscaled) Schoenfeld residuals and
    ``c = g - mean(g)`` over events::

        chi2_j  = d · (c' R V)_j² / (V_jj · Σ c²)          on 1 df
        global  = d · (c' R V R' c) / Σ c²                  on p df

    This is the approximation in R ``survival`` < 3.0 ``cox.zph`` (as in Therneau & Grambsch
    :cite:`therneau2000`, §6.2) and in lifelines' ``proportional_hazard_test``. R ``survival`` >=
    3.0 computes the exact score test and prints somewhat different chi-squares.

    Parameters
    ----------
    transform : {"km", "identity", "rank", "log"}
        ``"km"`` (R's default): ``g`` is 1 - the left-continuous Kaplan-Meier estimate at each event
        time; ``"identity"``: time itself; ``"rank"``: rank of event times; ``"log"``: log time.

    Returns
    -------
    DataFrame
        Indexed by term and a last row ``GLOBAL``: ``chi2``, ``df``, ``p``.
    """
    from lifelines import CoxPHFitter

    if transform not in ("km", "identity", "rank", "log"):
        raise ValueError(
            f"transform: expected 'km', 'identity', 'rank' or 'log', got {transform!r}"
        )
    x = _design(df, list(covariates), categorical)
    data = pd.concat(
        [
            pd.to_numeric(df[duration_col]).astype(float).rename("_T"),
            pd.to_numeric(df[event_col]).astype(float).rename("_E"),
            x,
        ],
        axis=1,
    ).dropna()
    cph = CoxPHFitter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        cph.fit(
            data,
            duration_col="_T",
            event_col="_E",
            fit_options={"precision": 1e-12, "r_precision": 1e-15, "max_steps": 500},
        )
        resid = cph.compute_residuals(data, "schoenfeld")
    # resid is indexed by the rows with events (all rows with an event, including tied ones)
    ev = data.loc[resid.index]
    times = ev["_T"].to_numpy()
    if transform == "identity":
        g = times
    elif transform == "log":
        g = np.log(times)
    elif transform == "rank":
        g = stats.rankdata(times)
    else:
        km = kaplan_meier(data["_T"], data["_E"])
        # left-continuous KM at each event time: S(t-) = value just before t
        s_before = np.r_[1.0, km["survival"].to_numpy()[:-1]]
        lookup = dict(zip(km["time"].to_numpy(), s_before, strict=True))
        g = 1.0 - np.array([lookup[u] for u in times])
        # (lifelines uses the right-continuous S(t) here; R and this function the left-continuous
        # S(t-), which is why the two differ when event times are tied.)
    c = g - g.mean()
    r = resid[list(x.columns)].to_numpy()
    v = cph.variance_matrix_.to_numpy()
    d = len(times)
    crv = c @ r @ v
    ss = float(c @ c)
    chi2 = d * crv**2 / (np.diag(v) * ss)
    glob = float(d * (c @ r @ v @ r.T @ c) / ss)
    p_terms = len(x.columns)
    out = pd.DataFrame(
        {
            "chi2": np.r_[chi2, glob],
            "df": np.r_[np.ones(p_terms, dtype=int), p_terms],
            "p": np.r_[stats.chi2.sf(chi2, 1), stats.chi2.sf(glob, p_terms)],
        },
        index=pd.Index([*x.columns, "GLOBAL"], name="term"),
    )
    return out


def events_per_variable(n_events: int, n_parameters: int) -> float:
    """Events per estimated parameter of a Cox model.

    Peduzzi et al. :cite:`peduzzi1996` found estimates unreliable below about 10 events per
    variable; count *parameters*, so a categorical covariate with k levels counts k - 1.
    """
    if n_parameters <= 0:
        raise ValueError(f"n_parameters: expected a positive count, got {n_parameters!r}")
    if n_events < 0:
        raise ValueError(f"n_events: expected a non-negative count, got {n_events!r}")
    return n_events / n_parameters


# ------------------------------------------------------------------ degenerate comparisons
def try_cox_table(
    df: pd.DataFrame, duration_col: str, event_col: str, covariates: Sequence[str], **kwargs
) -> tuple[pd.DataFrame | None, str]:
    """:func:`cox_table`, or ``(None, reason)`` when the model cannot be estimated on ``df``.

    For chapters run on any cohort: instead of raising, says why a model is not estimable --
    a covariate column absent or empty, a term that does not vary (e.g. nobody had additional
    TACE), no events, a fit that does not converge, or an estimate that runs off to infinity
    (monotone likelihood: every event on one side of a binary term, where R warns "Loglik
    converged before variable ..." and SPSS prints a huge HR).

    Returns
    -------
    (DataFrame or None, str)
        The table and ``""``; or ``None`` and a short reason fit to print.
    """
    from lifelines.exceptions import ConvergenceError

    covariates = list(covariates)
    absent = [c for c in covariates if c not in df.columns or df[c].isna().all()]
    if absent:
        return None, f"column {', '.join(absent)} is not in this cohort"
    events = pd.to_numeric(df[event_col]).fillna(0)
    if events.sum() == 0:
        return None, "no events in this cohort (every patient is censored)"
    try:
        with np.errstate(over="ignore", invalid="ignore"):
            table = cox_table(df, duration_col, event_col, covariates, **kwargs)
    except ValueError as exc:
        if "do not vary" in str(exc):
            return None, str(exc).replace("covariates: term(s)", "term(s)").replace(
                "in the rows used", "in this cohort"
            )
        return None, f"cannot be fitted on this cohort ({exc})"
    except (ConvergenceError, np.linalg.LinAlgError, ZeroDivisionError, OverflowError) as exc:
        return None, f"the model does not converge on this cohort ({type(exc).__name__})"
    bad = ~np.isfinite(table[["coef", "se", "hr", "lower", "upper"]]).all(axis=1)
    bad |= table["coef"].abs() > 15
    if bad.any():
        terms = ", ".join(map(str, table.index[bad]))
        return None, (
            f"the estimate for {terms} runs off to infinity (monotone likelihood: the events "
            "fall on one side of it)"
        )
    return table, ""


def group_comparison(
    durations, events, groups, levels: Sequence, *, ci: str = "spss", labels: Mapping | None = None
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

    Returns
    -------
    dict
        ``groups``: ``{level: {"n", "events", "median", "lower", "upper", "reason"}}`` where
        ``reason`` says why the median is missing ("nobody in this group", "no events in this
        group", "median not reached"), else ``""``; ``chi2``, ``df``, ``p`` of the log-rank
        test (NaN when not estimable) and ``reason`` (why not: fewer than two groups with
        patients, or no events at all), else ``""``.
    """
    t, e, g = _as_arrays(durations, events, groups)
    out: dict = {"groups": {}}
    for level in levels:
        mask = g == level
        n, d = int(mask.sum()), int(e[mask].sum())
        row = {"n": n, "events": d, "median": np.nan, "lower": np.nan, "upper": np.nan}
        if n == 0:
            row["reason"] = "nobody in this group"
        elif d == 0:
            row["reason"] = "no events in this group"
        else:
            row["median"], row["lower"], row["upper"] = median_survival(t[mask], e[mask], ci=ci)
            row["reason"] = "" if np.isfinite(row["median"]) else "median not reached"
        out["groups"][level] = row
    present = [lv for lv in levels if out["groups"][lv]["n"] > 0]
    out["chi2"], out["df"], out["p"] = np.nan, len(levels) - 1, np.nan
    keep = np.isin(g, present)
    if len(present) < 2:
        names = dict(labels or {})
        empty = [str(names.get(lv, lv)) for lv in levels if out["groups"][lv]["n"] == 0]
        out["reason"] = f"only one group has patients (nobody in {', '.join(empty)})"
    elif e[keep].sum() == 0:
        out["reason"] = "no events in either group"
    else:
        _, chi2, df, p = logrank_table(t[keep], e[keep], g[keep])
        if not np.isfinite(chi2):
            out["reason"] = "the log-rank statistic is not defined on this cohort"
        else:
            out.update(chi2=chi2, df=df, p=p, reason="")
    return out


def try_ph_test(
    df: pd.DataFrame, duration_col: str, event_col: str, covariates: Sequence[str], **kwargs
) -> tuple[pd.DataFrame | None, str]:
    """:func:`ph_test`, or ``(None, reason)`` when it cannot be computed on ``df``.

    The Grambsch-Therneau test needs a fitted model (see :func:`try_cox_table`) and at least two
    events; a reason fit to print is returned instead of an exception.
    """
    from lifelines.exceptions import ConvergenceError

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
    except (ValueError, ConvergenceError, np.linalg.LinAlgError, ZeroDivisionError) as exc:
        return None, f"the test cannot be computed on this cohort ({exc})"
    return table, ""
