"""The survival engine: one NumPy implementation of every survival statistic in the book.

Kaplan-Meier with Greenwood's variance, medians and their intervals under SPSS's and R's rules,
SPSS's restricted mean, the log-rank test and Cox's partial likelihood (Efron and Breslow ties,
``(start, stop]`` input) all live here, on plain arrays. :mod:`analysis.survival` wraps them for
chapters (validation, data frames, result objects); the calibration (:mod:`analysis.synthesis`),
the bias analyses (:mod:`analysis.bias`) and the plots call the same functions. lifelines,
statsmodels and R's printed outputs are the tests' oracles, never a second engine.

Conventions (each is implemented once, here)
--------------------------------------------
* **Kaplan-Meier** :cite:`kaplan1958` at the distinct event times; a censoring tied with an event
  is still at risk at that time. ``var_log`` is Greenwood's sum ``Σ d/(n(n-d))``
  :cite:`greenwood1926`, the variance of log S; the SE of S is ``S·sqrt(var_log)``.
* **Median, SPSS rule** (``rule="spss"``): ``MIN(t_i : S(t_i) <= 0.5)`` (IBM SPSS Statistics
  Algorithms, Kaplan-Meier), so an exact 0.5 plateau gives its *left* end. **R rule**
  (``rule="r"``, R ``survfit`` and :func:`quantile_time`): the midpoint of an exact 0.5 plateau
  when the curve drops again later. "Exactly 0.5" means within R's tolerance
  ``sqrt(.Machine$double.eps)`` (:data:`PLATEAU_TOL`).
* **SPSS interval of the median**: ``median ± z·SE`` with ``SE = sqrt(Var S(t50)) / f``,
  Greenwood's variance of S at the median event time over the density
  ``f = (S(u) - S(l)) / (l - u)``; ``u`` is the last event time with ``S >= 0.55`` (time 0,
  S = 1, when there is none), ``l`` the first with ``S <= 0.45`` (Collett, *Modelling Survival
  Data in Medical Research*, §2.4). **Clipping**: the engine returns the raw bounds;
  :func:`analysis.survival.median_survival` clips a negative lower bound at 0 by default
  (a negative time is meaningless; whether SPSS clips could not be verified). The calibration
  uses the raw bounds (the published bounds are all positive, so clipping never changes a hit).
* **SPSS mean**: area under the curve from 0 to the largest observed time, with the plug-in SE
  ``sqrt(Σ A_j² d_j / (n_j (n_j - d_j)))`` (``A_j`` the area to the right of event time ``t_j``).
* **Log-rank** :cite:`mantel1966`: hypergeometric variance with the tie correction, ``U' V⁻ U`` on
  ``k - 1`` degrees of freedom.
* **Cox** :cite:`cox1972`: Newton-Raphson on the partial likelihood from 0 (steps clipped to ±5,
  and halved, as R's ``coxph`` does, where the log-likelihood would fall) until the largest
  step is below ``tol`` (1e-12 by default); ties by Efron :cite:`efron1977`
  (R, lifelines) or Breslow :cite:`breslow1974` (SPSS). ``start`` (entry) times give the
  counting-process form ``(start, stop]`` used for time-varying covariates.
* **Linear algebra**: the Cox fits and the calibration multiply and solve with
  :func:`matvec`, :func:`gram`, :func:`solve_small`, :func:`inv_small` and
  :func:`solve_symmetric` (NumPy's elementwise loops), not BLAS or LAPACK, whose last bits depend
  on the processor's kernels (:mod:`analysis.numerics`).
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from functools import reduce
from itertools import islice
from operator import add, mul, neg, sub, truediv
from typing import NamedTuple

import numpy as np
from scipy import special

__all__ = [
    "Z95",
    "PLATEAU_TOL",
    "SPSS_DENSITY_S",
    "MEDIAN_RULES",
    "TIES",
    "tie_groups",
    "event_table",
    "km_curve",
    "median_index",
    "km_median",
    "quantile_time",
    "spss_median_se",
    "spss_median",
    "spss_mean",
    "median_is_ambiguous",
    "km_summary",
    "chi2_sf",
    "LogrankResult",
    "logrank_test",
    "logrank_p",
    "CoxFit",
    "cox_fit",
    "cox_breslow",
    "cox_univariate_breslow",
    "RUNS_OFF",
    "monotone_terms",
    "collinear_terms",
    "schoenfeld_residuals",
    "concordance",
    "matvec",
    "gram",
    "solve_small",
    "inv_small",
    "solve_symmetric",
]

#: The normal quantile of 95% intervals (SPSS prints with 1.96; this is the exact 0.975 quantile).
Z95 = 1.959963984540054
#: SPSS's density at the median is the slope of the curve between the last event time with S at
#: or above the upper of these survival probabilities and the first with S at or below the lower.
SPSS_DENSITY_S = (0.45, 0.55)
#: R's tolerance for "the curve is exactly at 0.5" (``sqrt(.Machine$double.eps)``).
PLATEAU_TOL = math.sqrt(np.finfo(float).eps)
#: Median rules: SPSS's left end of an exact 0.5 plateau, R's midpoint.
MEDIAN_RULES = ("spss", "r")
#: Tie handling of the Cox partial likelihood.
TIES = ("efron", "breslow")
_NAN = math.nan
#: :func:`cox_fit` takes a Newton step whose log partial likelihood falls by less than this
#: fraction of it as rounding (a step near the maximum changes it by less than its last digits).
_LL_ROUNDING = 1e-12
#: A coefficient "runs off to infinity" (monotone likelihood) when its hazard ratio between the
#: term's lowest and highest values passes e^15 (3.3 million) and the likelihood is flat there.
RUNS_OFF = 15.0
#: :func:`monotone_terms`: the log partial likelihood falls by less than this when the term's
#: log hazard ratio across its range is moved back by 3: flat, not a maximum.
_FLAT_DROP = 1e-6
#: :class:`_RiskSets` keeps dense (events by rows) risk-set and tie matrices up to this many
#: cells (a cohort of 256 patients who all die); beyond, running sums (linear in the rows).
_DENSE_RISK_SETS = 2**16


# ------------------------------------------------------------------ small linear algebra
# The calibration compares losses tens of thousands of times, so a last-bit difference sends it
# down another path (analysis/numerics.py). OpenBLAS's kernels (Haswell, SandyBridge, SkylakeX
# ...) add the terms of a matrix product or of a LAPACK factorisation in different orders, so
# its last bits depend on the processor. These helpers use only NumPy's elementwise ufuncs, its
# reductions and its own einsum loops (no BLAS, no LAPACK), whose order is fixed by the NumPy
# build, not by the processor: the same bits whatever OPENBLAS_CORETYPE.


def matvec(a, v):
    """``a @ v`` without BLAS: the products summed over the last axis by NumPy's reduction.

    Parameters
    ----------
    a, v : array_like
        Shapes (..., p) that broadcast; a matrix (n, p) times a vector (p,) is the usual case.

    Returns
    -------
    numpy.ndarray
        Shape (...): ``(a * v).sum(axis=-1)``.

    Examples
    --------
    >>> matvec(np.array([[1.0, 2.0], [3.0, 4.0]]), np.array([1.0, -1.0])).tolist()
    [-1.0, -1.0]
    """
    return np.multiply(a, v).sum(axis=-1)


def gram(m):
    """``m.T @ m`` without BLAS (NumPy's einsum loops, not a BLAS call).

    Parameters
    ----------
    m : array_like
        Shape (d, p).

    Returns
    -------
    numpy.ndarray
        Shape (p, p), symmetric: the outer products of the rows, summed.

    Examples
    --------
    >>> gram(np.array([[1.0, 2.0], [3.0, 4.0]])).tolist()
    [[10.0, 14.0], [14.0, 20.0]]
    """
    return np.einsum("ki,kj->ij", m, m)


def solve_small(a, b):
    """``np.linalg.solve(a, b)`` for small matrices without LAPACK.

    Gaussian elimination with partial pivoting: one matrix in Python floats (IEEE doubles, no
    fused multiply-add), a stack in NumPy's elementwise ufuncs.

    Parameters
    ----------
    a : array_like
        Shape (..., p, p).
    b : array_like
        Shape (..., p) (one right-hand side per matrix) or (..., p, m).

    Returns
    -------
    numpy.ndarray
        The solution, shaped as ``b`` (broadcast against ``a``'s stack).

    Raises
    ------
    numpy.linalg.LinAlgError
        On an exactly zero pivot (where LAPACK's ``getrf`` reports a singular matrix; in a
        stack, when any matrix has one), as ``np.linalg.solve`` does.

    Examples
    --------
    >>> solve_small(np.array([[2.0, 1.0], [1.0, 3.0]]), np.array([3.0, 5.0])).tolist()
    [0.8, 1.4]
    """
    a = np.array(a, dtype=float)
    b = np.array(b, dtype=float)
    p = a.shape[-1]
    vector = b.ndim in (1, a.ndim - 1)
    if a.ndim == 2:  # one matrix: Python floats are faster than ufuncs on a few numbers
        x = _solve_lists(a.tolist(), (b[:, None] if vector else b).tolist())
        return np.array([r[0] for r in x] if vector else x, dtype=float).reshape(b.shape)
    if vector:
        b = b[..., None]
    stack = a.shape[:-2]
    a = a.reshape(-1, p, p).copy()
    b = np.broadcast_to(b, stack + b.shape[-2:]).reshape(a.shape[0], p, -1).copy()
    shape = stack + b.shape[-2:]
    k = np.arange(a.shape[0])
    for j in range(p):
        piv = j + np.argmax(np.abs(a[:, j:, j]), axis=1)
        swap = piv != j
        if swap.any():
            ks, ps = k[swap], piv[swap]
            a[ks, j], a[ks, ps] = a[ks, ps], a[ks, j].copy()
            b[ks, j], b[ks, ps] = b[ks, ps], b[ks, j].copy()
        pivot = a[:, j, j]
        if (pivot == 0.0).any():
            raise np.linalg.LinAlgError("Singular matrix")
        if j + 1 < p:
            f = a[:, j + 1 :, j] / pivot[:, None]
            a[:, j + 1 :, j + 1 :] -= f[:, :, None] * a[:, j : j + 1, j + 1 :]
            b[:, j + 1 :] -= f[:, :, None] * b[:, j : j + 1]
    x = np.empty_like(b)
    for j in range(p - 1, -1, -1):
        s = b[:, j]
        if j + 1 < p:
            s = s - (a[:, j, j + 1 :, None] * x[:, j + 1 :]).sum(axis=1)
        x[:, j] = s / a[:, j, j][:, None]
    x = x.reshape(shape)
    return x[..., 0] if vector else x


def _solve_lists(a: list, b: list) -> list:
    """:func:`solve_small` on one matrix as lists of rows (``a`` p x p, ``b`` p x m), in place."""
    p = len(a)
    m = len(b[0]) if p else 0
    for j in range(p):
        piv = j
        for i in range(j + 1, p):
            if abs(a[i][j]) > abs(a[piv][j]):
                piv = i
        if piv != j:
            a[j], a[piv] = a[piv], a[j]
            b[j], b[piv] = b[piv], b[j]
        rowj, bj = a[j], b[j]
        pivot = rowj[j]
        if pivot == 0.0:
            raise np.linalg.LinAlgError("Singular matrix")
        for i in range(j + 1, p):
            row, bi = a[i], b[i]
            f = row[j] / pivot
            for k in range(j + 1, p):
                row[k] -= f * rowj[k]
            for c in range(m):
                bi[c] -= f * bj[c]
    x: list = [None] * p
    for j in range(p - 1, -1, -1):
        row, s = a[j], list(b[j])
        for k in range(j + 1, p):
            xk, ajk = x[k], row[k]
            for c in range(m):
                s[c] -= ajk * xk[c]
        x[j] = [v / row[j] for v in s]
    return x


def inv_small(a):
    """``np.linalg.inv(a)`` for small matrices without LAPACK (:func:`solve_small`).

    Parameters
    ----------
    a : array_like
        Shape (..., p, p).

    Returns
    -------
    numpy.ndarray
        The inverse of each matrix, shape (..., p, p).

    Raises
    ------
    numpy.linalg.LinAlgError
        As :func:`solve_small`.

    Examples
    --------
    >>> inv_small(np.array([[2.0, 0.0], [0.0, 4.0]])).tolist()
    [[0.5, 0.0], [0.0, 0.25]]
    """
    a = np.asarray(a, dtype=float)
    return solve_small(a, np.broadcast_to(np.eye(a.shape[-1]), a.shape))


def solve_symmetric(a, b, inverse: bool = False):
    """``np.linalg.solve(a, b)``, and optionally ``np.linalg.inv(a)`` from the same elimination,
    for small symmetric positive definite matrices (information matrices) without LAPACK.

    Gauss-Jordan elimination without pivoting (stable for positive definite matrices, as
    Cholesky's factorisation is) on ``a`` beside ``b`` (and the identity), in NumPy's elementwise
    ufuncs; one matrix or a stack, by the same operations. The inverse costs little more than
    the solution (about 5% at p = 11), so a Newton step and its standard errors need one call.

    Parameters
    ----------
    a : array_like
        Shape (..., p, p), symmetric positive definite (other matrices are eliminated in order,
        without the safeguard of pivoting).
    b : array_like
        Shape (..., p) (one right-hand side per matrix) or (..., p, m).
    inverse : bool
        Also return the inverse of ``a``.

    Returns
    -------
    numpy.ndarray or tuple of numpy.ndarray
        The solution, shaped as ``b`` broadcast against ``a``'s stack; with ``inverse``, the pair
        (solution, inverse of ``a``).

    Raises
    ------
    numpy.linalg.LinAlgError
        On an exactly zero pivot (an exactly singular matrix; in a stack, when any matrix has
        one).

    Examples
    --------
    >>> x, cov = solve_symmetric([[4.0, 2.0], [2.0, 2.0]], [2.0, 2.0], inverse=True)
    >>> x.tolist(), cov.tolist()
    ([0.0, 1.0], [[0.5, -0.5], [-0.5, 1.0]])
    """
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    p = a.shape[-1]
    vector = b.ndim in (1, a.ndim - 1)
    if vector:
        b = b[..., None]
    m = b.shape[-1]
    # the rows [a | b | I]; each step divides row j by its pivot and takes its multiples from
    # every other row
    if a.ndim == 2 and b.ndim == 2:
        # one matrix (the Newton steps call it most): plain 2-D indexing, a Python float pivot,
        # the identity written along a flat stride and the products into one buffer, so that
        # each step costs few NumPy calls (the same operations on every element)
        w = 2 * p + m if inverse else p + m
        t = np.zeros((p, w))
        t[:, :p] = a
        t[:, p : p + m] = b
        if inverse:
            t.reshape(-1)[p + m :: w + 1] = 1.0
        prod = np.empty((p, w))
        # row j of t and column j (as a (p, 1) view), both views of t taken once
        for j, (tj, col) in enumerate(zip(t, t.T[:p, :, None], strict=True)):
            pivot = tj.item(j)
            if pivot == 0.0:
                raise np.linalg.LinAlgError("Singular matrix")
            row = tj / pivot
            np.multiply(col, row, out=prod)
            t -= prod
            tj[...] = row
        x = t[:, p : p + m]
        if vector:
            x = x[:, 0]
        return (x, t[:, p + m :]) if inverse else x
    stack = np.broadcast_shapes(a.shape[:-2], b.shape[:-2])
    t = np.zeros((*stack, p, p + m + (p if inverse else 0)))
    t[..., :p] = a
    t[..., p : p + m] = b
    if inverse:
        t[..., p + m :] = np.eye(p)
    for j in range(p):
        pivot = t[..., j, j, None]
        if (pivot == 0.0).any():
            raise np.linalg.LinAlgError("Singular matrix")
        row = t[..., j, :] / pivot
        t -= t[..., :, j, None] * row[..., None, :]
        t[..., j, :] = row
    x = t[..., p : p + m]
    if vector:
        x = x[..., 0]
    return (x, t[..., p + m :]) if inverse else x


# --------------------------------------------------------------------------------- Kaplan-Meier
def tie_groups(time, event, *columns):
    """Sort by time (stable) and find the groups of tied times.

    Returns
    -------
    t, e, columns, starts, d
        Sorted times and events, the sorted extra ``columns`` (a list), the start position of
        each distinct time and the number of events at it.

    Examples
    --------
    >>> t, e, _, starts, d = tie_groups([3, 1, 3], [1, 1, 0])
    >>> t.tolist(), starts.tolist(), d.tolist()
    ([1.0, 3.0, 3.0], [0, 1], [1.0, 1.0])
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
    """Distinct event times with the numbers at risk and of events.

    Returns
    -------
    times, at_risk, deaths : ndarray
        At each distinct time with at least one event.
    t_max : float
        The largest observed time (event or censored); NaN for empty input.

    Examples
    --------
    >>> times, n, d, t_max = event_table([1, 2, 2, 3], [1, 1, 0, 0])
    >>> times.tolist(), n.tolist(), d.tolist(), t_max
    ([1.0, 2.0], [4.0, 3.0], [1.0, 1.0], 3.0)
    """
    if np.asarray(time).size == 0:
        empty = np.empty(0)
        return empty, empty, empty, _NAN
    t, _, _, starts, d = tie_groups(time, event)
    keep = d > 0
    return t[starts][keep], (t.size - starts)[keep].astype(float), d[keep], float(t[-1])


def km_curve(at_risk, deaths):
    """Kaplan-Meier estimate and Greenwood's ``var_log`` from :func:`event_table`'s counts.

    ``var_log`` is infinite from the time the curve reaches 0.

    Examples
    --------
    >>> s, v = km_curve([4.0, 2.0], [1.0, 1.0])
    >>> s.tolist(), v.tolist()
    ([0.75, 0.375], [0.08333333333333333, 0.5833333333333334])
    """
    r = np.asarray(at_risk, dtype=float)
    d = np.asarray(deaths, dtype=float)
    s = np.cumprod(1.0 - d / r)
    with np.errstate(divide="ignore", invalid="ignore"):
        gw = np.cumsum(np.where(r > d, d / (r * (r - d)), np.inf))
    return s, gw


def median_index(s) -> int:
    """Index of the first event time with ``S <= 0.5`` (within :data:`PLATEAU_TOL`); -1 if none.

    Examples
    --------
    >>> median_index([1.0, 0.75, 0.5, 0.25])   # S reaches 0.5 at the third event time
    2
    >>> median_index([0.9, 0.6])                # never at or below 0.5
    -1
    """
    below = np.flatnonzero(np.asarray(s) <= 0.5 + PLATEAU_TOL)
    return int(below[0]) if below.size else -1


def km_median(times, s, rule: str = "spss") -> float:
    """Median of a Kaplan-Meier curve given at its event times; NaN when not reached.

    ``rule="spss"`` takes ``MIN(t_i : S(t_i) <= 0.5)``; ``rule="r"`` the midpoint between that
    time and the next event time when ``S`` is exactly 0.5 there.

    Examples
    --------
    Times 1-4, all events: S = 0.5 on [2, 3).

    >>> times, n, d, _ = event_table([1, 2, 3, 4], [1, 1, 1, 1])
    >>> s, _ = km_curve(n, d)
    >>> km_median(times, s, "spss"), km_median(times, s, "r")
    (2.0, 2.5)
    """
    if rule not in MEDIAN_RULES:
        raise ValueError(f"rule: expected one of {MEDIAN_RULES}, got {rule!r}")
    k = median_index(s)
    if k < 0:
        return _NAN
    if rule == "r" and abs(s[k] - 0.5) < PLATEAU_TOL and k + 1 < len(times):
        return float(0.5 * (times[k] + times[k + 1]))
    return float(times[k])


def quantile_time(times, curve, p: float = 0.5) -> float:
    """R's rule for the time at which a step curve (or a confidence band) reaches ``p``.

    ``curve`` holds the values just after ``times``; repeated values are collapsed to their first
    time (R ``quantile.survfit``). The first time with ``curve <= p``, or the midpoint to the next
    time the curve changes when it equals ``p`` within :data:`PLATEAU_TOL`. NaN if never reached.

    Examples
    --------
    >>> quantile_time(np.array([1.0, 2.0, 3.0]), np.array([0.75, 0.5, 0.25]))
    2.5
    """
    times = np.asarray(times, dtype=float)
    curve = np.asarray(curve, dtype=float)
    ok = np.isfinite(curve)
    times, curve = times[ok], curve[ok]
    if times.size == 0:
        return _NAN
    keep = np.r_[True, np.abs(np.diff(curve)) > 0]
    times, curve = times[keep], curve[keep]
    hit = np.flatnonzero(curve <= p + PLATEAU_TOL)
    if hit.size == 0:
        return _NAN
    i = int(hit[0])
    if abs(curve[i] - p) < PLATEAU_TOL and i + 1 < times.size:
        return float((times[i] + times[i + 1]) / 2.0)
    return float(times[i])


def spss_median_se(times, s, var_log) -> float:
    """SPSS's standard error of the Kaplan-Meier median: Greenwood SE at the median over the density.

    ``SE = sqrt(S(t50)² · var_log(t50)) / f`` with ``f = (S(u) - S(l)) / (l - u)``, ``u`` the last
    event time with ``S >= 0.55`` (0 with S = 1 when none), ``l`` the first with ``S <= 0.45``.
    NaN when the median is not reached, the curve never falls to 0.45, or it falls past both 0.55
    and 0.45 at time 0 (deaths at month 0: no time span for the density). The median event time is
    the same under SPSS's and R's rules, so is the SE.

    Parameters
    ----------
    times : array_like
        The distinct event times of the curve (:func:`~analysis.engine.event_table`).
    s : array_like
        Kaplan-Meier survival at those times (:func:`~analysis.engine.km_curve`).
    var_log : array_like
        Greenwood's variance of log S at those times (:func:`~analysis.engine.km_curve`).

    Returns
    -------
    float
        The SE of the median, or NaN when it is not defined (see above).

    Examples
    --------
    >>> times, n, d, _ = event_table([1, 2, 3, 4], [1, 1, 1, 1])
    >>> s, v = km_curve(n, d)
    >>> round(spss_median_se(times, s, v), 6)   # sqrt(0.0625) / ((1 - 0.25) / 3)
    1.0
    """
    times = np.asarray(times, dtype=float)
    s = np.asarray(s, dtype=float)
    k = median_index(s)
    if k < 0:
        return _NAN
    with np.errstate(invalid="ignore"):
        var = s[k] ** 2 * var_log[k]
    hi = np.flatnonzero(s >= SPSS_DENSITY_S[1] - PLATEAU_TOL)
    lo = np.flatnonzero(s <= SPSS_DENSITY_S[0] + PLATEAU_TOL)
    if lo.size == 0 or not np.isfinite(var):
        return _NAN
    if hi.size:
        u, su = times[hi[-1]], s[hi[-1]]
    else:
        u, su = 0.0, 1.0
    l_, sl = times[lo[0]], s[lo[0]]
    if l_ <= u:  # the curve falls past 0.55 and 0.45 at time 0: no span to take a density over
        return _NAN
    dens = (su - sl) / (l_ - u)
    return float(math.sqrt(var) / dens)


def spss_median(time, event, rule: str = "spss", z: float = Z95):
    """Median with SPSS's SE and symmetric interval ``median ± z·SE`` (raw, not clipped).

    Returns
    -------
    median, se, lower, upper : float
        NaN where not estimable (median not reached; no event time with S <= 0.45).

    Examples
    --------
    >>> [round(v, 6) for v in spss_median([1, 2, 3, 4], [1, 1, 1, 1])]
    [2.0, 1.0, 0.040036, 3.959964]
    """
    times, r, d, _ = event_table(time, event)
    s, gw = km_curve(r, d)
    med = km_median(times, s, rule)
    if math.isnan(med):
        return _NAN, _NAN, _NAN, _NAN
    se = spss_median_se(times, s, gw)
    return med, se, med - z * se, med + z * se


def _mean_from_curve(times, r, d, s, t_max, *, with_se: bool = True):
    if times.size == 0:
        return t_max, (0.0 if with_se else _NAN)
    left = np.concatenate(([0.0], times))
    right = np.concatenate((times, [t_max]))
    heights = np.concatenate(([1.0], s))
    pieces = heights * (right - left)
    mean = float(pieces.sum())
    if not with_se:
        return mean, _NAN
    a = np.cumsum(pieces[::-1])[::-1][1:]  # area to the right of each event time
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(r > d, a**2 * d / (r * (r - d)), 0.0)
    return mean, float(math.sqrt(terms.sum()))


def spss_mean(time, event):
    """SPSS's mean survival time (area up to the largest observed time) and its SE.

    Examples
    --------
    >>> spss_mean([1, 2, 3, 4], [1, 1, 1, 1])   # 1 + 0.75 + 0.5 + 0.25
    (2.5, 0.5590169943749475)
    """
    times, r, d, t_max = event_table(time, event)
    s, _ = km_curve(r, d)
    return _mean_from_curve(times, r, d, s, t_max)


def median_is_ambiguous(time, event) -> bool:
    """True when the curve is exactly 0.5 at an event time (SPSS's and R's medians then differ).

    Examples
    --------
    >>> median_is_ambiguous([1, 2, 3, 4], [1, 1, 1, 1])
    True
    """
    _, r, d, _ = event_table(time, event)
    s, _ = km_curve(r, d)
    return bool(np.any(np.abs(s - 0.5) < PLATEAU_TOL))


def km_summary(time, event, rule: str = "spss"):
    """Everything the calibration needs from one curve in a single pass.

    Returns
    -------
    median, lower, upper, mean, se_median, ambiguous
        As :func:`spss_median` (raw bounds), :func:`spss_mean` (without its SE) and
        :func:`median_is_ambiguous`.

    Notes
    -----
    The calibration calls this a few hundred thousand times per synthesis on curves of at most
    82 patients, where NumPy's per-call overhead dominates. For 1-D input with positive finite
    times and 0/1 events, :func:`_km_summary_small` computes the same statistics in fewer array
    operations; it returns the same bits as the general path (:func:`_km_summary_arrays`, built
    from :func:`event_table`, :func:`km_curve`, :func:`km_median`, :func:`spss_median_se` and
    the mean's area sum), which every other input takes (``tests/test_engine_fast.py``).

    Examples
    --------
    >>> km_summary([1, 2, 3, 4], [1, 1, 1, 1])[::3]
    (2.0, 2.5)
    """
    fast = _km_summary_small(time, event, rule)
    return _km_summary_arrays(time, event, rule) if fast is None else fast


def _km_summary_arrays(time, event, rule):
    times, r, d, t_max = event_table(time, event)
    if times.size == 0:
        return _NAN, _NAN, _NAN, t_max, _NAN, False
    s, gw = km_curve(r, d)
    med = km_median(times, s, rule)
    if math.isnan(med):
        se = lo = up = _NAN
    else:
        se = spss_median_se(times, s, gw)
        lo, up = med - Z95 * se, med + Z95 * se
    mean, _ = _mean_from_curve(times, r, d, s, t_max, with_se=False)
    amb = bool(np.any(np.abs(s - 0.5) < PLATEAU_TOL))
    return med, lo, up, mean, se, amb


#: ``-threshold`` for :func:`bisect.bisect_left` / ``bisect_right`` with ``key=operator.neg``
#: on a non-increasing curve (negation is exact, so ``-s <= -c`` exactly when ``s >= c``).
_NEG_S_MEDIAN = -(0.5 + PLATEAU_TOL)
_NEG_S_UPPER = -(SPSS_DENSITY_S[1] - PLATEAU_TOL)
_NEG_S_LOWER = -(SPSS_DENSITY_S[0] + PLATEAU_TOL)


def _not_binary(a) -> bool:
    """True unless every value of the float array ``a`` is 0 or 1 (NaN and inf included).

    ``a * (a - 1)`` is exactly 0 only at 0 and 1: ``a - 1`` is exact near 1 and the product of
    two nonzero doubles here never underflows to 0.
    """
    return bool(np.count_nonzero(a * (a - 1.0)))


def _km_summary_small(time, event, rule):
    """:func:`km_summary` in few array operations; None where it does not apply.

    Applies to 1-D input with at least one patient, times positive and finite and events 0/1.
    Bit-identical to :func:`_km_summary_arrays`: the same elementwise formulas in the same order,
    ``cumprod`` as ``multiply.accumulate`` (sequential), Greenwood's sum as a sequential Python
    sum (as ``cumsum``), the mean as NumPy's own (pairwise) ``add.reduce`` over the same pieces.
    The curve is non-increasing (every factor ``1 - d/r`` lies in [0, 1]), so the first index
    with ``S <= c`` and the last with ``S >= c`` are bisections, and every ``S`` within
    :data:`PLATEAU_TOL` of 0.5 comes at or after the median's index. The order of tied times
    does not matter: only their common value and their event count are used.
    """
    t = np.asarray(time, dtype=float)
    e = np.asarray(event, dtype=float)
    n = t.size
    if t.ndim != 1 or e.shape != t.shape or n == 0:
        return None
    o = t.argsort(kind="stable")
    ts = t[o]
    t_max = float(ts[-1])  # NaN sorts last
    if not (ts[0] > 0.0 and t_max < math.inf) or _not_binary(e):
        return None
    cnt = np.bincount(ts.searchsorted(ts), weights=e[o])  # events at each tie group's start
    st = cnt.nonzero()[0]  # sorted start positions of the groups with an event
    m = st.size
    if m == 0:
        return _NAN, _NAN, _NAN, t_max, _NAN, False
    if rule not in MEDIAN_RULES:
        raise ValueError(f"rule: expected one of {MEDIAN_RULES}, got {rule!r}")
    d = cnt[st]
    r = n - st
    edges = np.empty(m + 2)  # 0, the event times, the largest time
    edges[0] = 0.0
    edges[-1] = t_max
    times = edges[1:-1]
    ts.take(st, out=times)
    heights = np.empty(m + 1)  # 1, then the curve
    heights[0] = 1.0
    s = heights[1:]
    np.multiply.accumulate(1.0 - d / r, out=s)
    mean = float(np.add.reduce(heights * (edges[1:] - edges[:-1])))
    sl = s.tolist()
    k = bisect_left(sl, _NEG_S_MEDIAN, key=neg)
    if k == m:  # median not reached: no S at or below 0.5 + tol, so none within tol of 0.5
        return _NAN, _NAN, _NAN, mean, _NAN, False
    sk = sl[k]
    amb = False
    for v in islice(sl, k, None):
        if abs(v - 0.5) < PLATEAU_TOL:
            amb = True
            break
        if v < 0.49:  # so is every later S: none is near 0.5
            break
    if rule == "r" and abs(sk - 0.5) < PLATEAU_TOL and k + 1 < m:
        med = float(0.5 * (times[k] + times[k + 1]))
    else:
        med = float(times[k])
    il = bisect_left(sl, _NEG_S_LOWER, key=neg)
    if il == m or sk == 0.0:
        # S(t50) = 0 only where r == d (Greenwood's term inf): var = 0 * inf, NaN
        se = _NAN
    else:
        # r > d up to k, so every term is finite; functools.reduce adds in order like cumsum
        # (not sum(): from Python 3.12 it compensates float sums)
        rl = r[: k + 1].tolist()
        dl = d[: k + 1].tolist()
        var = sk**2 * reduce(add, map(truediv, dl, map(mul, rl, map(sub, rl, dl))))
        ih = bisect_right(sl, _NEG_S_UPPER, key=neg) - 1
        u, su = (float(times[ih]), sl[ih]) if ih >= 0 else (0.0, 1.0)
        se = math.sqrt(var) / ((su - sl[il]) / (float(times[il]) - u))
    return med, med - Z95 * se, med + Z95 * se, mean, se, amb


# ------------------------------------------------------------------------------------- log-rank
def chi2_sf(x, df):
    """Upper tail P(X > x) of the chi-square distribution with ``df`` degrees of freedom.

    The same bits as ``scipy.stats.chi2.sf(x, df)`` (whose ``_sf`` is
    :func:`scipy.special.chdtrc`), with its conventions: 1 for ``x <= 0``, NaN where ``df <= 0``
    or ``x`` is NaN; scalars give a NumPy scalar, arrays an array. It avoids importing
    ``scipy.stats`` (about 0.5 s at the start of every kernel and command).

    Examples
    --------
    On 2 degrees of freedom the tail is exp(-x/2):

    >>> round(float(chi2_sf(3.0, 2)), 12), round(math.exp(-1.5), 12)
    (0.223130160148, 0.223130160148)
    >>> float(chi2_sf(-1e-17, 1)), chi2_sf([3.841458820694124, 0.0], 1).round(6).tolist()
    (1.0, [0.05, 1.0])
    """
    x = np.asarray(x, dtype=float)
    df = np.asarray(df, dtype=float)
    with np.errstate(invalid="ignore"):
        p = np.where(df > 0, special.chdtrc(df, np.maximum(x, 0.0)), np.nan)
    return p[()]


class LogrankResult(NamedTuple):
    """Engine output of :func:`logrank_test` (per group arrays in ``levels`` order).

    Examples
    --------
    Group 1 dies at months 1 and 3, group 0 at 2 and 4. By hand: O - E for group 1 is
    2 - (1/2 + 1/3 + 1/2) = 2/3, its variance 1/4 + 2/9 + 1/4 = 13/18, so
    chi2 = (4/9) / (13/18) = 8/13.

    >>> res = logrank_test([1, 2, 3, 4], [1, 1, 1, 1], [1, 0, 1, 0])
    >>> res.levels.tolist(), res.observed.tolist(), np.round(res.expected, 6).tolist()
    ([0, 1], [2.0, 2.0], [2.666667, 1.333333])
    >>> round(res.chi2, 6), round(8 / 13, 6), res.df
    (0.615385, 0.615385, 1)
    """

    levels: np.ndarray
    n: np.ndarray
    observed: np.ndarray
    expected: np.ndarray
    variance: np.ndarray
    chi2: float
    df: int
    p: float


def logrank_test(time, event, group) -> LogrankResult:
    """Log-rank (Mantel-Cox) test of equal survival across the groups in ``group``.

    Groups are ordered as :func:`numpy.unique` orders them; ``chi2`` is NaN (with ``df = 0``) for
    fewer than two groups.

    Examples
    --------
    By hand: O - E = 2 - (1/2 + 1/3 + 1/2) = 2/3 and V = 1/4 + 2/9 + 1/4 = 13/18 for group 0,
    so chi2 = (4/9) / (13/18) = 8/13.

    >>> res = logrank_test([1, 2, 3, 4], [1, 1, 1, 1], [0, 1, 0, 1])
    >>> round(res.chi2, 6), res.df
    (0.615385, 1)
    """
    labels, idx = np.unique(np.asarray(group), return_inverse=True)
    k = labels.size
    t, e, (g,), starts, d = tie_groups(time, event, idx.ravel())
    onehot = (g[:, None] == np.arange(k)[None, :]).astype(float)
    n_g = onehot.sum(axis=0)
    if k < 2:
        z = np.zeros(k)
        return LogrankResult(labels, n_g, z, z, np.zeros((k, k)), _NAN, 0, _NAN)
    keep = d > 0
    all_starts = starts
    starts, d = starts[keep], d[keep]
    r = (t.size - starts).astype(float)
    cum = np.vstack((np.zeros(k), np.cumsum(onehot, axis=0)))
    rg = n_g[None, :] - cum[starts]  # at risk per group
    dg = np.add.reduceat(onehot * e[:, None], all_starts, axis=0)[keep]
    frac = rg / r[:, None]
    observed = dg.sum(axis=0)
    expected = (d[:, None] * frac).sum(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        w = np.where(r > 1, d * (r - d) / (r - 1), 0.0)
    cov = np.diag((w[:, None] * frac).sum(axis=0)) - (
        w[:, None, None] * frac[:, :, None] * frac[:, None, :]
    ).sum(axis=0)
    u = (observed - expected)[:-1]
    chi2 = float(u @ np.linalg.pinv(cov[:-1, :-1]) @ u)
    df = k - 1
    return LogrankResult(labels, n_g, observed, expected, cov, chi2, df, float(chi2_sf(chi2, df)))


def logrank_p(time, event, in_group) -> float:
    """Two-group log-rank P value (``in_group`` boolean): the calibration's fast path.

    Notes
    -----
    For 1-D input without NaN times and with 0/1 events and group, :func:`_logrank_p_small`
    returns the same bits in fewer array operations (the calibration calls this about 145,000
    times per synthesis); other input takes the general path :func:`_logrank_p_arrays`.

    Examples
    --------
    >>> round(logrank_p([1, 2, 3, 4], [1, 1, 1, 1], [True, False, True, False]), 6)
    0.432768
    """
    fast = _logrank_p_small(time, event, in_group)
    return _logrank_p_arrays(time, event, in_group) if fast is None else fast


def _logrank_p_small(time, event, in_group):
    """:func:`logrank_p` in few array operations; None where it does not apply.

    Bit-identical to :func:`_logrank_p_arrays`: the same integer counts (exact in any order),
    the same elementwise formulas in the same order and NumPy's own pairwise ``add.reduce`` over
    arrays of the same length. Only the last distinct time can have one patient at risk (its
    variance term is 0, as ``np.where`` makes it).
    """
    t = np.asarray(time, dtype=float)
    e = np.asarray(event, dtype=float)
    g = np.asarray(in_group)
    n = t.size
    if t.ndim != 1 or e.shape != t.shape or g.shape != t.shape or n == 0:
        return None
    if g.dtype != bool:
        g = np.asarray(g, dtype=float)
        if _not_binary(g):
            return None
    o = t.argsort(kind="stable")
    ts = t[o]
    if ts[-1] != ts[-1] or _not_binary(e):  # NaN sorts last
        return None
    es = e[o]
    gs = g[o]
    first = ts.searchsorted(ts)  # start of each patient's tie group
    cnt = np.bincount(first, weights=es)
    st = cnt.nonzero()[0]
    m = st.size
    if m == 0:
        return _NAN
    d = cnt[st]
    d1 = np.bincount(first, weights=es * gs)[st]
    r1 = gs[::-1].cumsum()[::-1][st]  # group members at risk
    r = n - st
    frac = r1 / r
    dfrac = d * frac
    oe = float(np.add.reduce(d1 - dfrac))
    rm1 = r - 1
    single = rm1[-1] == 0
    if single:
        rm1[-1] = 1
    w = dfrac * (1 - frac) * (r - d) / rm1
    if single:
        w[-1] = 0.0
    v = float(np.add.reduce(w))
    if v <= 0:
        return _NAN
    return math.erfc(abs(oe) / math.sqrt(2.0 * v))


def _logrank_p_arrays(time, event, in_group):
    t, e, (g,), starts, d = tie_groups(time, event, np.asarray(in_group, dtype=float))
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
        return _NAN
    return math.erfc(abs(oe) / math.sqrt(2.0 * v))


# ------------------------------------------------------------------------------------------ Cox
class CoxFit(NamedTuple):
    """A fitted Cox model (engine output of :func:`cox_fit`).

    ``loglik`` and ``loglik0`` are the log partial likelihoods at the estimate and at 0; ``lr``,
    ``wald`` and ``score`` the three global test statistics on ``len(beta)`` degrees of freedom
    (R ``summary(coxph)``'s "Likelihood ratio test", "Wald test" and "Score (logrank) test").

    Examples
    --------
    Without tied deaths the score test at 0 is the log-rank test (8/13, see :class:`LogrankResult`):

    >>> fit = cox_fit([1, 0, 1, 0], [1, 2, 3, 4], [1, 1, 1, 1])
    >>> round(fit.score, 6), round(8 / 13, 6), fit.ties, fit.converged
    (0.615385, 0.615385, 'efron', True)
    >>> round(fit.lr, 6) == round(2 * (fit.loglik - fit.loglik0), 6)
    True
    """

    beta: np.ndarray
    se: np.ndarray
    cov: np.ndarray
    loglik: float
    loglik0: float
    lr: float
    wald: float
    score: float
    converged: bool
    iterations: int
    ties: str


class _RiskSets:
    """Per-event sums over the risk set and over the tied events, for one design matrix.

    Small inputs (at most ``_DENSE_RISK_SETS`` events times rows) keep the risk sets and the
    Efron tie groups as dense 0/1 matrices (events by rows), the book's and the calibration's
    arithmetic since the engine was written. Larger ones would make those matrices, and the
    (events, rows, terms) products summed over them, quadratic in the cohort's size (a 10,000
    patient cohort: gigabytes and minutes a fit), so they take running sums instead:
    ``(start, stop]`` risk sets as the rows with ``stop >= t`` less those with ``start >= t``
    (the rows sorted by each), tie groups as sums over each group's events. Both compute the
    same sums; the order of the additions differs, so the last bits may too
    (``tests/test_engine_scaling.py``).
    """

    def __init__(self, x, stop, event, start, ties):
        if ties not in TIES:
            raise ValueError(f"ties: expected one of {TIES}, got {ties!r}")
        x = np.asarray(x, dtype=float)
        x = x[:, None] if x.ndim == 1 else x
        stop = np.asarray(stop, dtype=float)
        ev = np.asarray(event, dtype=float) > 0
        o = np.argsort(stop, kind="stable")
        xs = x[o]
        self.x = xs - xs.mean(axis=0)
        ts, self.ev = stop[o], ev[o]
        self.first = np.searchsorted(ts, ts, side="left")  # first sorted position of a tie group
        self.counting = start is not None
        self.dense = int(np.count_nonzero(self.ev)) * ts.size <= _DENSE_RISK_SETS
        if self.counting:
            st = np.asarray(start, dtype=float)[o]
            t_ev = ts[self.ev]
            if self.dense:
                self.at_risk = (
                    (st[None, :] < t_ev[:, None]) & (ts[None, :] >= t_ev[:, None])
                ).astype(float)
            else:
                # at risk at t: the rows with stop >= t less those with start >= t; a row with
                # start >= stop, never at risk, is in both or neither (entering at its stop)
                entry = np.minimum(st, ts)
                self.entry_order = np.argsort(entry, kind="stable")
                self.entered_from = np.searchsorted(entry[self.entry_order], t_ev, side="left")
        # Efron: the l-th of d tied events (l = 0..d-1) removes l/d of the tied events' weight
        grp = self.first[self.ev]
        _, inverse, counts = np.unique(grp, return_inverse=True, return_counts=True)
        rank = np.arange(grp.size) - np.searchsorted(grp, grp, side="left")
        self.efron = ties == "efron" and bool((counts > 1).any())
        self.frac = (rank / counts[inverse])[:, None]
        self.tied = None
        if self.efron and self.dense:
            self.tied = ((ts[None, :] == ts[self.ev][:, None]) & self.ev[None, :]).astype(float)
        elif self.efron:
            self.group = inverse.ravel()  # each event's tie group; groups are runs of events
            self.group_starts = np.flatnonzero(np.r_[True, grp[1:] != grp[:-1]])
        if not self.dense:
            # per row, the events whose risk set it is in: those up to its stop, after its entry
            t_ev = ts[self.ev]
            self.events_to_stop = np.searchsorted(t_ev, ts, side="right")
            if self.counting:
                self.events_to_entry = np.searchsorted(t_ev, np.minimum(st, ts), side="right")
        self.total = self.x[self.ev].sum(axis=0)

    def risk_sums(self, v):
        """Per event, the sum of ``v`` (one row per sorted row) over the rows at risk."""
        if self.counting and self.dense:
            return np.tensordot(self.at_risk, v, axes=1)
        later = np.cumsum(v[::-1], axis=0)[::-1][self.first][self.ev]
        if not self.counting:
            return later
        entered = np.zeros((v.shape[0] + 1,) + v.shape[1:])
        entered[:-1] = np.cumsum(v[self.entry_order][::-1], axis=0)[::-1]
        return later - entered[self.entered_from]

    def tied_sums(self, v):
        """Per event, the sum of ``v`` (one row per sorted row) over the events tied with it."""
        if self.dense:
            return self.tied @ v if v.ndim <= 2 else np.tensordot(self.tied, v, axes=1)
        return np.add.reduceat(v[self.ev], self.group_starts, axis=0)[self.group]

    def row_weights(self, a):
        """Per row, the sum of the per-event ``a`` over the events whose risk set holds the row,
        less, with Efron's ties, ``frac * a`` over the events tied with it (not dense only)."""
        cum = np.zeros(a.size + 1)
        np.cumsum(a, out=cum[1:])
        c = cum[self.events_to_stop]
        if self.counting:
            c = c - cum[self.events_to_entry]
        if self.efron:
            c[self.ev] -= np.add.reduceat(self.frac[:, 0] * a, self.group_starts)[self.group]
        return c

    def moments(self, beta, need_info=True):
        """Log partial likelihood, score vector and information matrix at ``beta``."""
        xs, ev = self.x, self.ev
        eta = matvec(xs, beta)
        shift = eta.max()
        w = np.exp(eta - shift)
        wx = w[:, None] * xs
        if self.counting and self.dense:
            s0 = matvec(self.at_risk, w)
            s1 = (self.at_risk[:, :, None] * wx).sum(axis=1)
        else:
            s0 = self.risk_sums(w)
            s1 = self.risk_sums(wx)
        if self.efron and self.dense:
            s0 = s0 - self.frac[:, 0] * matvec(self.tied, w)
            s1 = s1 - self.frac * (self.tied[:, :, None] * wx).sum(axis=1)
        elif self.efron:
            s0 = s0 - self.frac[:, 0] * self.tied_sums(w)
            s1 = s1 - self.frac * self.tied_sums(wx)
        m1 = s1 / s0[:, None]
        grad = (xs[ev] - m1).sum(axis=0)
        loglik = float((eta[ev] - shift - np.log(s0)).sum())
        if not need_info:
            return loglik, grad, None
        if not self.dense:
            # sum over the events of s2 / s0, the second moments over each risk set: one weighted
            # sum over the rows, each row's x x' weighted by w times the sum of 1 / s0 over the
            # events whose risk set holds it (no events x terms x terms array)
            weight = w * self.row_weights(1.0 / s0)
            info = np.einsum("ki,kj->ij", xs * weight[:, None], xs) - gram(m1)
            return loglik, grad, info
        outer = w[:, None, None] * xs[:, :, None] * xs[:, None, :]
        s2 = self.risk_sums(outer)
        if self.efron:
            s2 = s2 - self.frac[:, :, None] * self.tied_sums(outer)
        info = (s2 / s0[:, None, None]).sum(axis=0) - (m1[:, :, None] * m1[:, None, :]).sum(axis=0)
        return loglik, grad, info


def cox_fit(
    x,
    time,
    event,
    *,
    start=None,
    ties: str = "efron",
    beta0=None,
    tol: float = 1e-12,
    max_iter: int = 50,
) -> CoxFit:
    """Fit a Cox proportional-hazards model by Newton-Raphson with step-halving.

    A step that lowers the log partial likelihood (or makes it non-finite) is halved until it
    raises it, as in R's ``coxph``; each halving counts as an iteration. A likelihood that keeps
    rising as a coefficient grows (monotone likelihood) ends with ``converged=False``.

    Parameters
    ----------
    x : array_like, shape (n,) or (n, p)
        Covariates (numeric, no missing values).
    time, event : array_like, shape (n,)
        Follow-up (or ``stop``) times and event indicators.
    start : array_like, optional
        Entry times for ``(start, stop]`` counting-process rows (time-varying covariates); a row
        is at risk at ``t`` when ``start < t <= stop``. ``None``: everybody enters at 0.
    ties : {"efron", "breslow"}
        Efron's approximation (R ``coxph``, lifelines) or Breslow's (SPSS ``COXREG``).
    beta0 : array_like, optional
        Starting coefficients (zeros by default).
    tol : float
        Convergence: the largest Newton step below ``tol``.

    Returns
    -------
    CoxFit
        Coefficients, SEs and covariance from the inverse information (NaN when singular),
        log-likelihoods, the LR, Wald and score statistics and whether the fit converged.

    Examples
    --------
    >>> fit = cox_fit([0, 1, 0, 1, 1, 0], [1, 2, 3, 4, 5, 6], [1, 1, 1, 0, 1, 1])
    >>> round(float(fit.beta[0]), 6), fit.converged
    (-0.100847, True)
    """
    rs = _RiskSets(x, time, event, start, ties)
    p = rs.x.shape[1]
    nan = np.full(p, np.nan)
    if not rs.ev.any():
        return CoxFit(
            nan, nan, np.full((p, p), np.nan), _NAN, _NAN, _NAN, _NAN, _NAN, False, 0, ties
        )
    beta = np.zeros(p) if beta0 is None else np.asarray(beta0, dtype=float).copy()
    ll0, grad0, info0 = rs.moments(np.zeros(p))
    converged, it = False, 0
    # ``base`` is the last point whose log-likelihood was accepted, ``beta = base + step`` the
    # point tried next. A step to a lower or non-finite log-likelihood is halved, as R's coxph
    # does (each halving counts as an iteration): with a covariate of large spread (AST in U/L,
    # up to hundreds) the first Newton steps from 0 overshoot and swing ever wider until exp()
    # under- or overflows. The first halving also turns a step clipped to ±5 term by term back
    # into the Newton direction (scaled to at most 5), since a clipped step may not go uphill. A
    # fall below ``_LL_ROUNDING`` is rounding, not a fall. Where every step climbs, the path is
    # plain Newton-Raphson's, bit for bit. A diverging fit (monotone likelihood) still ends with
    # converged=False, not a warning.
    base, ll_base, newton, step, halved = beta, ll0 if beta0 is None else _NAN, None, None, False
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        for it in range(1, max_iter + 1):
            if it == 1 and beta0 is None:
                grad, info = grad0, info0
            else:
                ll, grad, info = rs.moments(beta)
                if newton is not None and not (
                    ll >= ll_base - _LL_ROUNDING * abs(ll_base)  # False for NaN
                    and math.isfinite(ll)
                    and np.all(np.isfinite(info))
                ):
                    if not halved:  # the Newton direction, at most 5 long in every term
                        step = newton * (5.0 / max(5.0, float(np.max(np.abs(newton)))))
                        halved = True
                    step = step / 2.0
                    beta = base + step
                    continue
                base, ll_base, halved = beta, ll, False
            try:
                newton = solve_small(info, grad)
            except np.linalg.LinAlgError:
                break
            if not np.all(np.isfinite(newton)):
                break
            step = np.clip(newton, -5.0, 5.0)
            beta = base + step
            if np.max(np.abs(newton)) < tol:
                converged = True
                break
    with np.errstate(all="ignore"):
        ll, _, info = rs.moments(beta)
        if (
            not converged
            and beta is not base
            and not (math.isfinite(ll) and ll >= ll_base - _LL_ROUNDING * abs(ll_base))
        ):
            # out of iterations on an untried or halved step that falls: the last accepted point
            beta = base
            ll, _, info = rs.moments(beta)
        try:
            cov = inv_small(info)
            se = np.sqrt(np.clip(np.diag(cov), 0, None))
        except np.linalg.LinAlgError:
            cov, se = np.full((p, p), np.nan), nan
        try:
            score = float(matvec(grad0, solve_small(info0, grad0)))
        except np.linalg.LinAlgError:
            score = _NAN
        wald = float(matvec(beta, matvec(info, beta)))
    return CoxFit(beta, se, cov, ll, ll0, 2.0 * (ll - ll0), wald, score, converged, it, ties)


def monotone_terms(x, time, event, beta, *, start=None, ties: str = "efron") -> np.ndarray:
    """Which coefficients of an estimate ``beta`` run off to infinity (monotone likelihood).

    A term runs off when its log hazard ratio between its lowest and highest values,
    ``|beta_j| * (max x_j - min x_j)``, passes :data:`RUNS_OFF` (15) and the log partial
    likelihood is flat there: moving that log hazard ratio back by 3 lowers it by less than
    1e-6. Where the events all fall on one side of a term the likelihood rises for ever as its
    coefficient grows, and Newton-Raphson either stops without converging or, once the term's
    contribution is lost in rounding (near ``|beta_j| = 37``), takes a zero step and reports
    convergence; which of the two happens depends on the last bits of the arithmetic, and so on
    the processor's OpenBLAS kernels. This test does not: at a genuine maximum the same move
    lowers the likelihood by about ``4.5 / (se_j * range_j)**2`` (1e-3 and more for every fit of
    chapter 9's bootstrap), on a monotone path by about ``e^-30``.

    Parameters
    ----------
    x : array_like, shape (n,) or (n, p)
        Covariates of the fit.
    time, event : array_like, shape (n,)
        Follow-up times and event indicators.
    beta : array_like, shape (p,)
        The estimate (e.g. ``CoxFit.beta``); non-finite coefficients run off.
    start : array_like, optional
        Entry times, as in :func:`cox_fit`.
    ties : {"efron", "breslow"}
        As in :func:`cox_fit`.

    Returns
    -------
    numpy.ndarray of bool, shape (p,)

    Examples
    --------
    Every death in the exposed group: the coefficient climbs until rounding stops it.

    >>> x, t, e = [1, 1, 0, 0], [1, 2, 3, 4], [1, 1, 0, 0]
    >>> fit = cox_fit(x, t, e)
    >>> monotone_terms(x, t, e, fit.beta).tolist()
    [True]
    >>> monotone_terms([0, 1, 0, 1], [1, 2, 3, 4], [1, 1, 1, 1], [-0.9406]).tolist()
    [False]
    """
    x = np.asarray(x, dtype=float)
    x = x.reshape(len(x), -1)
    beta = np.asarray(beta, dtype=float).reshape(-1)
    spread = np.ptp(x, axis=0)
    with np.errstate(invalid="ignore", over="ignore"):
        far = np.abs(beta) * spread
    off = ~np.isfinite(beta)
    candidates = np.flatnonzero(~off & (far > RUNS_OFF))
    if not len(candidates):
        return off
    rs = _RiskSets(x, time, event, start, ties)
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        top = rs.moments(beta, need_info=False)[0]
        for j in candidates:
            back = beta.copy()
            back[j] -= math.copysign(3.0 / spread[j], beta[j])
            lower = rs.moments(back, need_info=False)[0]
            off[j] = not (math.isfinite(top) and math.isfinite(lower) and top - lower >= _FLAT_DROP)
    return off


def collinear_terms(x, *, tol: float = 1e-9) -> np.ndarray:
    """Which columns of a model matrix are linear combinations of the others (with a constant).

    The columns are centred and scaled to unit length; a singular value below ``tol`` times the
    largest marks a linear dependence, and the columns taking part in it (weight above 1e-6 in
    its singular vector) are collinear. Exactly collinear terms give singular values near 1e-16,
    distinct ones 1e-3 and more, so the answer does not hang on the last bits of the arithmetic:
    a Newton step on a singular information matrix does (it fails on some processors' OpenBLAS
    kernels and returns noise on others).

    Parameters
    ----------
    x : array_like, shape (n,) or (n, p)
        The model matrix (numeric, no missing values).
    tol : float
        Relative size of a singular value that counts as zero.

    Returns
    -------
    numpy.ndarray of bool, shape (p,)

    Examples
    --------
    >>> collinear_terms([[1, 2, 0], [2, 4, 1], [3, 6, 1], [4, 8, 0]]).tolist()
    [True, True, False]
    >>> collinear_terms([[1, 0], [2, 1], [3, 1], [4, 0]]).tolist()
    [False, False]
    """
    x = np.asarray(x, dtype=float)
    x = x.reshape(len(x), -1)
    out = np.ptp(x, axis=0) == 0  # a constant column (exactly: its centred values may not be 0)
    centred = x - x.mean(axis=0)
    norms = np.sqrt((centred * centred).sum(axis=0))
    if x.shape[1] < 2 or len(x) < 2:
        return out
    scaled = centred[:, ~out] / norms[~out]
    # only V is needed: the full U of a tall matrix is n by n (800 MB for 10,000 patients)
    _, sv, vt = np.linalg.svd(scaled, full_matrices=scaled.shape[0] < scaled.shape[1])
    sv = np.concatenate([sv, np.zeros(max(0, scaled.shape[1] - len(sv)))])
    null = vt[sv < tol * max(sv[0], 1e-300)]
    involved = (np.abs(null) > 1e-6).any(axis=0) if len(null) else np.zeros(scaled.shape[1], bool)
    out[np.flatnonzero(~out)[involved]] = True
    return out


def cox_breslow(x, time, event, *, beta0=None, max_iter: int = 50, tol: float = 1e-12):
    """Breslow-ties Cox fit as ``(beta, se, p, converged)`` (two-sided Wald P): the calibration's call.

    Examples
    --------
    >>> beta, se, p, ok = cox_breslow([0, 1, 0, 1, 1, 0], [1, 2, 3, 4, 5, 6], [1, 1, 1, 0, 1, 1])
    >>> round(float(beta[0]), 6), ok
    (-0.100847, True)
    """
    fit = cox_fit(x, time, event, ties="breslow", beta0=beta0, tol=tol, max_iter=max_iter)
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.abs(fit.beta / fit.se)
    pval = np.array([math.erfc(v / math.sqrt(2.0)) if np.isfinite(v) else _NAN for v in z])
    return fit.beta, fit.se, pval, fit.converged


def cox_univariate_breslow(x, time, event, *, beta0=None, iters: int = 50, tol: float = 1e-12):
    """Separate one-covariate Breslow fits for every column of ``x`` at once (vectorised).

    The Newton-Raphson of :func:`cox_fit` column by column, for the calibration's hot loop, but
    without its step-halving (the calibration, and so ``data/cohort.csv``, was computed without
    it): a column of large spread can diverge here where :func:`cox_fit` converges.

    Returns
    -------
    beta, se, p : ndarray, shape (k,)

    Examples
    --------
    >>> beta, se, p = cox_univariate_breslow([[0, 1], [1, 1], [0, 0]], [1, 2, 3], [1, 1, 0])
    >>> beta.shape
    (2,)
    """
    x = np.asarray(x, dtype=float)
    if x.ndim == 1:
        x = x[:, None]
    t = np.asarray(time, dtype=float)
    o = np.argsort(t, kind="stable")
    ts = t[o]
    first = np.searchsorted(ts, ts, side="left")
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
    pval = np.array([math.erfc(v / math.sqrt(2.0)) if np.isfinite(v) else _NAN for v in z])
    return beta, se, pval


def schoenfeld_residuals(x, time, event, beta, *, ties: str = "efron"):
    """Schoenfeld residuals ``x_i - x̄(t_i)`` of the events, in the order of sorted event times.

    With Efron ties each tied event is compared with the average of the ``d`` Efron-weighted means
    (R ``residuals.coxph(type="schoenfeld")``, lifelines). Returns ``(times, residuals)``.

    Examples
    --------
    >>> t, r = schoenfeld_residuals([0, 1, 0], [1, 2, 3], [1, 1, 1], [0.0])
    >>> t.tolist(), np.round(r[:, 0], 6).tolist()
    ([1.0, 2.0, 3.0], [-0.333333, 0.5, 0.0])
    """
    rs = _RiskSets(x, time, event, None, ties)
    xs, ev = rs.x, rs.ev
    beta = np.asarray(beta, dtype=float)
    w = np.exp(xs @ beta - (xs @ beta).max())
    s0 = np.cumsum(w[::-1])[::-1][rs.first][ev]
    s1 = np.cumsum((w[:, None] * xs)[::-1], axis=0)[::-1][rs.first][ev]
    if rs.efron:
        s0 = s0 - rs.frac[:, 0] * rs.tied_sums(w)
        s1 = s1 - rs.frac * rs.tied_sums(w[:, None] * xs)
    m1 = s1 / s0[:, None]
    grp = rs.first[ev]
    _, inverse = np.unique(grp, return_inverse=True)
    sums = np.zeros((inverse.max() + 1, m1.shape[1]))
    np.add.at(sums, inverse, m1)
    mean_m1 = (sums / np.bincount(inverse)[:, None])[inverse]
    t_sorted = np.sort(np.asarray(time, dtype=float), kind="stable")
    return t_sorted[ev], xs[ev] - mean_m1


def concordance(time, event, risk) -> float:
    """Harrell's concordance of a risk score :cite:`harrell1996` (higher risk, shorter survival).

    A pair is comparable when the shorter time is an event (a censoring tied with an event counts
    as the longer time; tied events are not comparable); tied risks count one half, as in R
    ``concordance`` and lifelines ``concordance_index``. NaN without a comparable pair.

    Notes
    -----
    The pairs are counted, not listed: with finite times and risks in O(n log² n) time and O(n)
    memory (:func:`_concordance_counts`), so that a cohort of 10,000 patients (50 million pairs)
    takes milliseconds, not seconds and a gigabyte. The counts are integers, so the result has
    the same bits as comparing every pair, which input with NaN or infinite values still does
    (in blocks of rows).

    Examples
    --------
    >>> concordance([1, 2, 3], [1, 1, 0], [3.0, 2.0, 1.0])
    1.0
    """
    t = np.asarray(time, dtype=float)
    e = np.asarray(event, dtype=float) > 0
    r = np.asarray(risk, dtype=float)
    if np.isfinite(t).all() and np.isfinite(r).all():
        n, concordant, tied = _concordance_counts(t, e, r)
    else:
        n, concordant, tied = _concordance_pairs(t, e, r)
    if n == 0:
        return _NAN
    score = concordant + 0.5 * tied
    return float(score / n)


def _concordance_pairs(t, e, r):
    """Comparable, concordant and tied-risk pairs, comparing every pair (rows in blocks)."""
    n = concordant = tied = 0
    step = max(1, 2**22 // max(t.size, 1))
    for lo in range(0, t.size, step):
        ti, ei, ri = t[lo : lo + step, None], e[lo : lo + step, None], r[lo : lo + step, None]
        earlier = (ti < t[None, :]) | ((ti == t[None, :]) & ~e[None, :])
        comparable = ei & earlier
        diff = ri - r[None, :]
        n += int(comparable.sum())
        concordant += int((comparable & (diff > 0)).sum())
        tied += int((comparable & (diff == 0)).sum())
    return n, concordant, tied


def _concordance_counts(t, e, r):
    """:func:`_concordance_pairs` for finite times and risks, without listing the pairs.

    The patients in order of time, latest first, a censored patient before the events at the
    same time: the patients an event is comparable with are exactly those before the first
    event at its time (position ``q``). Those with an equal risk are counted among the patients
    of its risk's rank, sorted by position. Those with a lower risk are a dominance count, done
    by halving: the positions below ``q`` are a union of aligned blocks of ``2^k`` positions,
    one per bit of ``q``; per level ``k`` the patients sorted by (block, risk rank) answer each
    count with one binary search (block ``b`` starts at ``b·2^k``), and the next level's order
    merges pairs of blocks (a stable sort of sorted runs). For finite values ``r_i - r_j > 0``
    exactly when ``r_i > r_j`` and ``== 0`` when they are equal.
    """
    size = t.size
    if size == 0:
        return 0, 0, 0
    order = np.lexsort((e, -t))  # time descending, censored first within a time
    ts, es = t[order], e[order]
    rank = np.unique(r[order], return_inverse=True)[1].ravel().astype(np.int64)
    pos = np.arange(size, dtype=np.int64)
    group = np.cumsum(np.r_[True, ts[1:] != ts[:-1]]) - 1
    first_event = np.full(int(group[-1]) + 1, size, dtype=np.int64)
    np.minimum.at(first_event, group[es], pos[es])
    q = first_event[group[es]]
    ri = rank[es]
    n = int(q.sum())
    by_rank = np.sort(rank * (size + 1) + pos)
    of_rank = ri * (size + 1)
    equal = np.searchsorted(by_rank, of_rank + q) - np.searchsorted(by_rank, of_rank)
    span = int(rank.max()) + 1
    keys = pos * span + rank  # level 0: blocks of one patient, in order
    lower = 0
    level = 0
    while (1 << level) <= size:
        if level:
            keys = np.sort(((keys // span) >> 1) * span + keys % span, kind="stable")
        hit = ((q >> level) & 1).astype(bool)
        if hit.any():
            block = (q[hit] >> level) - 1
            lower += int((np.searchsorted(keys, block * span + ri[hit]) - (block << level)).sum())
        level += 1
    return n, lower, int(equal.sum())
