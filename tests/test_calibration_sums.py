"""The Breslow Newton-Raphson of the calibration (:class:`analysis.calibration._RiskSets`,
:func:`analysis.calibration._newton_once`, :func:`analysis.calibration._batched_newton`) takes
its risk-set sums in fewer, larger array operations than one ``np.cumsum`` per moment. The
synthesis must not move by a bit, so each is compared here, bit for bit, with the plain
formulation it replaced (written out below: one reversed cumulative sum per moment, read at each
death's first row; the linear algebra is the engine's own, ``analysis.engine.matvec``, ``gram``
and ``solve_symmetric``, as in the calibration, so that only the sums are compared), on random
designs with ties, no deaths, constant columns, NaN and huge values, in C and Fortran order.
"""

from __future__ import annotations

import numpy as np
import pytest

from analysis import calibration, engine


def plain_fit(risk, xs, beta0=None, tol=1e-9, max_iter=30):
    """``_RiskSets.fit`` written with one ``np.cumsum`` per moment."""
    xs = xs - xs.mean(axis=0)
    p = xs.shape[1]
    at, ev = risk.at, risk.ev
    if p == 1:
        x, beta, xe = xs[:, 0], 0.0 if beta0 is None else float(beta0[0]), xs[ev, 0]
        for _ in range(max_iter):
            eta = x * beta
            w = np.exp(eta - eta.max())
            wx = w * x
            s0 = np.cumsum(w[::-1])[::-1][at]
            s1 = np.cumsum(wx[::-1])[::-1][at]
            s2 = np.cumsum((wx * x)[::-1])[::-1][at]
            m1 = s1 / s0
            grad = float((xe - m1).sum())
            info = float((s2 / s0).sum() - (m1 * m1).sum())
            if not (info != 0.0 and np.isfinite(info)):
                return np.array([beta]), np.array([np.nan]), False
            step = grad / info
            if not np.isfinite(step):
                return np.array([beta]), np.array([np.nan]), False
            beta = beta + min(max(step, -5.0), 5.0)
            if abs(step) < tol:
                break
        else:
            return np.array([beta]), np.array([np.nan]), False
        se = np.sqrt(max(1.0 / info, 0.0)) if info > 0 else np.inf
        return np.array([beta]), np.array([se]), True
    beta = np.zeros(p) if beta0 is None else beta0.copy()
    xe = xs[ev].sum(axis=0)
    for _ in range(max_iter):
        s0, s1, s2 = plain_moments(risk, xs, beta)
        m1 = s1 / s0[:, None]
        grad = xe - m1.sum(axis=0)
        info = np.einsum("kij,k->ij", s2, 1.0 / s0) - engine.gram(m1)
        try:
            step, cov = engine.solve_symmetric(info, grad, inverse=True)
        except np.linalg.LinAlgError:
            return beta, np.full(p, np.nan), False
        if not np.all(np.isfinite(step)):
            return beta, np.full(p, np.nan), False
        beta = beta + np.clip(step, -5, 5)
        if np.max(np.abs(step)) < tol:
            break
    else:
        return beta, np.full(p, np.nan), False
    return beta, np.sqrt(np.clip(np.diag(cov), 0, None)), True


def plain_moments(risk, xs, beta):
    at = risk.at
    eta = engine.matvec(xs, beta)
    w = np.exp(eta - eta.max())
    wx = w[:, None] * xs
    s0 = np.cumsum(w[::-1])[::-1][at]
    s1 = np.cumsum(wx[::-1], axis=0)[::-1][at]
    s2 = np.cumsum((wx[:, :, None] * xs[:, None, :])[::-1], axis=0)[::-1][at]
    return s0, s1, s2


def plain_newton_once(risk, xs, beta):
    s0, s1, s2 = plain_moments(risk, xs, beta)
    m1 = s1 / s0[:, None]
    grad = xs[risk.ev].sum(axis=0) - m1.sum(axis=0)
    info = np.einsum("kij,k->ij", s2, 1.0 / s0) - engine.gram(m1)
    try:
        step, cov = engine.solve_symmetric(info, grad, inverse=True)
    except np.linalg.LinAlgError:
        return beta, np.full(beta.size, np.nan)
    return beta + step, np.sqrt(np.clip(np.diag(cov), 0.0, None))


def plain_batched(risk, xs, beta0, iters):
    xs = xs - xs.mean(axis=1, keepdims=True)
    k, _, p = xs.shape
    beta = np.broadcast_to(beta0, (k, p)).copy()
    at, ev = risk.at, risk.ev
    cov = np.broadcast_to(np.eye(p), (k, p, p))
    for it in range(iters):
        eta = np.einsum("knp,kp->kn", xs, beta)
        w = np.exp(eta - eta.max(axis=1, keepdims=True))
        s0 = np.cumsum(w[:, ::-1], axis=1)[:, ::-1][:, at]
        wx = w[:, :, None] * xs
        s1 = np.cumsum(wx[:, ::-1], axis=1)[:, ::-1][:, at]
        s2 = np.cumsum((wx[:, :, :, None] * xs[:, :, None, :])[:, ::-1], axis=1)[:, ::-1]
        s2 = s2[:, at]
        m1 = s1 / s0[:, :, None]
        grad = (xs[:, ev] - m1).sum(axis=1)
        info = (s2 / s0[:, :, None, None]).sum(axis=1) - np.einsum("kep,keq->kpq", m1, m1)
        try:
            if it + 1 < iters:
                step = engine.solve_symmetric(info, grad)
            else:
                step, cov = engine.solve_symmetric(info, grad, inverse=True)
        except np.linalg.LinAlgError:
            step, cov = np.zeros_like(beta), None
        step = np.nan_to_num(np.clip(step, -5, 5))
        beta = beta + step
    if cov is None:
        return beta, np.full_like(beta, np.nan)
    return beta, np.sqrt(np.clip(np.diagonal(cov, axis1=1, axis2=2), 0, None))


def bits(*arrays) -> list:
    return [(np.shape(a), np.asarray(a, dtype=float).tobytes()) for a in arrays]


def design(rng, shape, kind):
    if kind == 0:
        return rng.normal(size=shape)
    if kind == 1:
        return (rng.random(shape) < 0.3).astype(float)
    if kind == 2:
        return np.round(rng.normal(50, 20, size=shape), 1)
    x = (rng.random(shape) < 0.05).astype(float)
    x[..., 0] = 1.0  # a constant column: a singular information
    return x


def survival(rng):
    n = int(rng.integers(2, 90))
    time = np.round(rng.exponential(10, n), int(rng.integers(0, 3))) + 0.1  # ties
    event = (rng.random(n) < rng.uniform(0, 1)).astype(float)  # sometimes no death
    return calibration._RiskSets(time, event), n


@pytest.mark.parametrize("seed", range(4))
def test_fits_have_the_bits_of_one_cumsum_per_moment(seed):
    rng = np.random.default_rng(seed)
    with np.errstate(all="ignore"):
        for trial in range(150):
            risk, n = survival(rng)
            p = int(rng.integers(1, 13))
            xs = design(rng, (n, p), int(rng.integers(4)))
            if trial % 2:
                xs = np.asfortranarray(xs)  # as Table2Fits' column selections come
            if trial % 25 == 0:
                xs[0, 0] = np.nan
            if trial % 35 == 0:
                xs[-1, -1] = 1e300
            beta0 = rng.normal(0, 0.5, p) if trial % 3 else None
            fitted, plain = risk.fit(xs, beta0), plain_fit(risk, xs, beta0)  # each fitted once
            assert bits(*fitted[:2]) == bits(*plain[:2])
            assert fitted[2] == plain[2]
            centred = np.ascontiguousarray(xs - xs.mean(axis=0))
            beta = np.zeros(p) if beta0 is None else beta0
            assert bits(*calibration._newton_once(risk, centred, beta)) == bits(
                *plain_newton_once(risk, centred, beta)
            )


@pytest.mark.parametrize("seed", range(4))
def test_batched_fits_have_the_bits_of_one_cumsum_per_moment(seed):
    rng = np.random.default_rng(100 + seed)
    with np.errstate(all="ignore"):
        for trial in range(60):
            risk, n = survival(rng)
            k, p = int(rng.integers(0, 40)), int(rng.integers(1, 5))
            xs = design(rng, (k, n, p), int(rng.integers(4)))
            if trial % 20 == 0 and k:
                xs[0, 0, 0] = np.nan
            beta0 = rng.normal(0, 0.5, p) if trial % 3 else np.zeros(p)
            iters = trial % 6  # uni_double_polish takes one step, the screens five
            got = calibration._batched_newton(risk, xs, beta0, iters)
            assert bits(*got) == bits(*plain_batched(risk, xs, beta0, iters))
