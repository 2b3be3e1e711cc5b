"""Fast NumPy survival statistics for the calibration hot loop.

The synthetic-cohort calibration (:mod:`analysis.synthesis`) evaluates Kaplan-Meier medians,
their SPSS confidence intervals, SPSS mean survival times and log-rank tests tens of thousands of
times. lifelines computes the same quantities through pandas objects (about 600 times slower at
n = 82); this module works on plain arrays. The tests check every function against lifelines.

Definitions (the SPSS ``KM`` procedure, as :mod:`analysis.survival` documents it):

* Kaplan-Meier estimate at the distinct event times, Greenwood variance
  (kaplan1958, greenwood1926).
* Median: the first event time at which the estimate is <= 0.5; when the estimate equals 0.5
  exactly, R's rule (the midpoint between that time and the next event time) is used and
  :func:`median_is_ambiguous` flags the curve, because SPSS then prints the first time.
* SPSS standard error of the median: ``sqrt(Var S(t_med)) / f`` with Greenwood's variance at the
  median and the density ``f = (S(u) - S(l)) / (l - u)``, where ``u`` is the largest event time
  with ``S >= 0.55`` (0 when there is none) and ``l`` the smallest event time with ``S <= 0.45``;
  the 95% interval is ``median -+ 1.96 SE`` (symmetric; R and lifelines print other intervals).
* SPSS mean: the area under the estimate from 0 to the largest observed time (event or censored),
  with the Greenwood-type standard error ``sqrt(sum A_j^2 d_j / (r_j (r_j - d_j)))`` where
  ``A_j`` is the area to the right of event time ``t_j``.
* Log-rank test (mantel1966): hypergeometric variance with the tie correction, chi-square with
  k - 1 degrees of freedom.
* Cox proportional hazards by Newton-Raphson with Breslow's tie handling (cox1972, breslow1974);
  lifelines and R default to Efron's, which differs only when event times are tied.
"""

from __future__ import annotations

import math

import numpy as np

__all__ = [
    "Z95",
    "event_table",
    "km_median",
    "median_is_ambiguous",
    "spss_median",
    "spss_mean",
    "km_summary",
    "logrank",
    "logrank_p",
    "cox_breslow",
    "cox_univariate_breslow",
]

#: The normal quantile SPSS uses for 95% intervals.
Z95 = 1.959963984540054
_EPS = 1e-12


def _tie_groups(time, event, *columns):
    """Sort by time (stable) and find the groups of tied times.

    Returns the sorted times, the sorted events, the sorted extra ``columns`` (a list), the start
    position of each distinct time and the number of events at it.
    """
    t = np.asarray(time, dtype=float)
    o = np.argsort(t, kind="stable")
    t = t[o]
    e = np.asarray(event, dtype=float)[o]
    new = np.empty(t.size, dtype=bool)
    new[0] = True
    np.not_equal(t[1:], t[:-1], out=new[1:])
    starts = np.flatnonzero(new)
    return t, e, [np.asarray(c)[o] for c in columns], starts, np.add.reduceat(e, starts)


def event_table(time, event):
    """Distinct event times with numbers at risk and events.

    Parameters
    ----------
    time, event : array_like
        Follow-up times and event indicators (1 event, 0 censored).

    Returns
    -------
    times, at_risk, deaths : ndarray
        At each distinct time with at least one event.
    t_max : float
        The largest observed time (event or censored); ``nan`` for empty input.
    """
    if np.asarray(time).size == 0:
        empty = np.empty(0)
        return empty, empty, empty, math.nan
    t, _, _, starts, d = _tie_groups(time, event)
    keep = d > 0
    return t[starts][keep], (t.size - starts)[keep].astype(float), d[keep], float(t[-1])


def _curve(times, r, d):
    s = np.cumprod(1.0 - d / r)
    with np.errstate(divide="ignore", invalid="ignore"):
        gw = np.cumsum(np.where(r > d, d / (r * (r - d)), np.inf))
    return s, gw


def _median_from_curve(times, s):
    below = np.flatnonzero(s <= 0.5 + _EPS)
    if below.size == 0:
        return math.nan, -1
    k = int(below[0])
    if abs(s[k] - 0.5) < _EPS and k + 1 < times.size:
        return 0.5 * (times[k] + times[k + 1]), k
    return float(times[k]), k


def km_median(time, event) -> float:
    """Kaplan-Meier median (R's rule on an exact 0.5 plateau); ``nan`` when not reached."""
    times, r, d, _ = event_table(time, event)
    s, _ = _curve(times, r, d)
    return _median_from_curve(times, s)[0]


def median_is_ambiguous(time, event) -> bool:
    """True when the estimate equals 0.5 exactly at an event time (SPSS and R then differ)."""
    times, r, d, _ = event_table(time, event)
    s, _ = _curve(times, r, d)
    return bool(np.any(np.abs(s - 0.5) < _EPS))


def _spss_median(times, s, gw):
    med, k = _median_from_curve(times, s)
    if k < 0:
        return math.nan, math.nan, math.nan, math.nan
    var = s[k] ** 2 * gw[k]
    hi = np.flatnonzero(s >= 0.55 - _EPS)
    lo = np.flatnonzero(s <= 0.45 + _EPS)
    if lo.size == 0 or not np.isfinite(var):
        return med, math.nan, math.nan, math.nan
    if hi.size:
        u, su = times[hi[-1]], s[hi[-1]]
    else:
        u, su = 0.0, 1.0
    l_, sl = times[lo[0]], s[lo[0]]
    dens = (su - sl) / (l_ - u)
    se = math.sqrt(var) / dens
    return med, se, med - Z95 * se, med + Z95 * se


def spss_median(time, event):
    """Median with the SPSS standard error and symmetric 95% interval.

    Returns
    -------
    median, se, lower, upper : float
        ``nan`` where not estimable (median not reached; no event time with S <= 0.45).
    """
    times, r, d, _ = event_table(time, event)
    s, gw = _curve(times, r, d)
    return _spss_median(times, s, gw)


def _spss_mean(times, r, d, s, t_max, *, with_se: bool = True):
    if times.size == 0:
        return t_max, math.nan
    left = np.concatenate(([0.0], times))
    right = np.concatenate((times, [t_max]))
    heights = np.concatenate(([1.0], s))
    pieces = heights * (right - left)
    mean = float(pieces.sum())
    if not with_se:
        return mean, math.nan
    # area to the right of each event time
    a = np.cumsum(pieces[::-1])[::-1][1:]
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(r > d, a**2 * d / (r * (r - d)), 0.0)
    return mean, float(math.sqrt(terms.sum()))


def spss_mean(time, event):
    """SPSS mean survival time: area under the Kaplan-Meier estimate up to the largest observed
    time, and its standard error. Returns ``(mean, se)``."""
    times, r, d, t_max = event_table(time, event)
    s, _ = _curve(times, r, d)
    return _spss_mean(times, r, d, s, t_max)


def km_summary(time, event) -> tuple[float, float, float, float, float, bool]:
    """Everything the calibration needs from one curve in a single pass.

    Returns
    -------
    median, lower, upper, mean, se_median, ambiguous
        See :func:`spss_median`, :func:`spss_mean`, :func:`median_is_ambiguous`.
    """
    times, r, d, t_max = event_table(time, event)
    if times.size == 0:
        return math.nan, math.nan, math.nan, t_max, math.nan, False
    s, gw = _curve(times, r, d)
    med, se, lo, up = _spss_median(times, s, gw)
    mean, _ = _spss_mean(times, r, d, s, t_max, with_se=False)
    amb = bool(np.any(np.abs(s - 0.5) < _EPS))
    return med, lo, up, mean, se, amb


def logrank(time, event, group):
    """Log-rank test of equal survival across the groups in ``group``.

    Returns
    -------
    chi2, df, p : float, int, float
    """
    labels = np.unique(np.asarray(group))
    k = labels.size
    if k < 2:
        return math.nan, 0, math.nan
    t, e, (g,), starts, d = _tie_groups(time, event, group)
    n = t.size
    keep = d > 0
    all_starts = starts
    starts, d = starts[keep], d[keep]
    r = (n - starts).astype(float)
    onehot = (g[:, None] == labels[None, :]).astype(float)  # n x k
    cum = np.vstack((np.zeros(k), np.cumsum(onehot, axis=0)))
    rg = onehot.sum(axis=0)[None, :] - cum[starts]  # at risk per group
    dg = np.add.reduceat(onehot * e[:, None], all_starts, axis=0)[keep]
    frac = rg / r[:, None]
    obs_minus_exp = (dg - d[:, None] * frac).sum(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        w = np.where(r > 1, d * (r - d) / (r - 1), 0.0)
    # covariance (k x k): sum w * (diag(frac) - frac frac^T)
    cov = np.diag((w[:, None] * frac).sum(axis=0)) - (
        w[:, None, None] * frac[:, :, None] * frac[:, None, :]
    ).sum(axis=0)
    u = obs_minus_exp[:-1]
    v = cov[:-1, :-1]
    chi2 = float(u @ np.linalg.solve(v, u))
    df = k - 1
    if df == 1:
        p = math.erfc(math.sqrt(max(chi2, 0.0) / 2.0))
    else:
        from scipy.stats import chi2 as _chi2

        p = float(_chi2.sf(chi2, df))
    return chi2, df, p


def logrank_p(time, event, in_group) -> float:
    """Two-group log-rank P value (``in_group`` boolean), the fast path of :func:`logrank`."""
    t, e, (g,), starts, d = _tie_groups(time, event, np.asarray(in_group, dtype=float))
    n = t.size
    d1 = np.add.reduceat(e * g, starts)
    cg = np.concatenate(([0.0], np.cumsum(g)))
    r = (n - starts).astype(float)
    r1 = g.sum() - cg[starts]
    keep = d > 0
    d, d1, r, r1 = d[keep], d1[keep], r[keep], r1[keep]
    frac = r1 / r
    oe = float((d1 - d * frac).sum())
    with np.errstate(divide="ignore", invalid="ignore"):
        v = float(np.where(r > 1, d * frac * (1 - frac) * (r - d) / (r - 1), 0.0).sum())
    if v <= 0:
        return math.nan
    return math.erfc(abs(oe) / math.sqrt(2.0 * v))


def _risk_index(time):
    """Sort order and, per sorted position, the first position of its tie group."""
    t = np.asarray(time, dtype=float)
    o = np.argsort(t, kind="stable")
    ts = t[o]
    first = np.searchsorted(ts, ts, side="left")
    return o, first


def cox_breslow(x, time, event, *, beta0=None, max_iter: int = 50, tol: float = 1e-10):
    """Cox proportional-hazards fit by Newton-Raphson (Breslow ties).

    Parameters
    ----------
    x : array_like, shape (n, p)
    time, event : array_like, shape (n,)
    beta0 : array_like, optional
        Starting coefficients (warm start), zeros by default.

    Returns
    -------
    beta, se, p : ndarray
        Coefficients, standard errors from the inverse information, two-sided Wald P values.
    converged : bool
    """
    x = np.asarray(x, dtype=float)
    if x.ndim == 1:
        x = x[:, None]
    n, p = x.shape
    o, first = _risk_index(time)
    xs = x[o]
    es = np.asarray(event, dtype=float)[o]
    xs = xs - xs.mean(axis=0)
    beta = np.zeros(p) if beta0 is None else np.asarray(beta0, dtype=float).copy()
    ev = es > 0
    converged = False
    info = np.eye(p)
    for _ in range(max_iter):
        eta = xs @ beta
        w = np.exp(eta - eta.max())
        s0 = np.cumsum(w[::-1])[::-1][first]
        s1 = np.cumsum((w[:, None] * xs)[::-1], axis=0)[::-1][first]
        s2 = np.cumsum((w[:, None, None] * xs[:, :, None] * xs[:, None, :])[::-1], axis=0)[::-1][
            first
        ]
        m1 = s1[ev] / s0[ev][:, None]
        grad = (xs[ev] - m1).sum(axis=0)
        info = (s2[ev] / s0[ev][:, None, None]).sum(axis=0) - (m1[:, :, None] * m1[:, None, :]).sum(
            axis=0
        )
        try:
            step = np.linalg.solve(info, grad)
        except np.linalg.LinAlgError:
            break
        # step halving guard against divergence
        if not np.all(np.isfinite(step)):
            break
        step = np.clip(step, -5, 5)
        beta = beta + step
        if np.max(np.abs(step)) < tol:
            converged = True
            break
    try:
        cov = np.linalg.inv(info)
        se = np.sqrt(np.clip(np.diag(cov), 0, None))
    except np.linalg.LinAlgError:
        se = np.full(p, np.nan)
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.abs(beta / se)
    pval = np.array([math.erfc(v / math.sqrt(2.0)) if np.isfinite(v) else math.nan for v in z])
    return beta, se, pval, converged


def cox_univariate_breslow(x, time, event, *, beta0=None, iters: int = 25, tol: float = 1e-10):
    """Separate one-covariate Cox fits for every column of ``x`` at once (Breslow ties).

    Equivalent to calling :func:`cox_breslow` on each column; vectorised across columns.

    Returns
    -------
    beta, se, p : ndarray, shape (k,)
    """
    x = np.asarray(x, dtype=float)
    if x.ndim == 1:
        x = x[:, None]
    o, first = _risk_index(time)
    xs = x[o]
    xs = xs - xs.mean(axis=0)
    ev = np.asarray(event, dtype=float)[o] > 0
    k = xs.shape[1]
    beta = np.zeros(k) if beta0 is None else np.asarray(beta0, dtype=float).copy()
    h = np.ones(k)
    for _ in range(iters):
        eta = xs * beta
        w = np.exp(eta - eta.max(axis=0))
        s0 = np.cumsum(w[::-1], axis=0)[::-1][first][ev]
        s1 = np.cumsum((w * xs)[::-1], axis=0)[::-1][first][ev]
        s2 = np.cumsum((w * xs * xs)[::-1], axis=0)[::-1][first][ev]
        m1 = s1 / s0
        g = (xs[ev] - m1).sum(axis=0)
        h = (s2 / s0 - m1 * m1).sum(axis=0)
        step = np.clip(np.where(h > 0, g / np.where(h > 0, h, 1.0), 0.0), -5, 5)
        beta = beta + step
        if np.max(np.abs(step)) < tol:
            break
    with np.errstate(divide="ignore", invalid="ignore"):
        se = 1.0 / np.sqrt(h)
        z = np.abs(beta / se)
    pval = np.array([math.erfc(v / math.sqrt(2.0)) if np.isfinite(v) else math.nan for v in z])
    return beta, se, pval
