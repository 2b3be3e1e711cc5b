"""The engine's small linear algebra without BLAS or LAPACK (analysis/engine.py): NumPy's
answers to about 1e-12, an exactly singular matrix refused as NumPy refuses it, the same bits
every time, and the same cohort bytes under two sets of OpenBLAS kernels."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys

import numpy as np
import pytest

from analysis import REPO_ROOT, engine

RTOL = 1e-12


def _spd(rng, p, stack=()):
    """Well-conditioned symmetric positive definite matrices (an information matrix's kind)."""
    m = rng.normal(size=(*stack, 3 * p + 2, p))
    return np.einsum("...ki,...kj->...ij", m, m) / (3 * p + 2) + 0.5 * np.eye(p)


def _close(got, want):
    scale = np.max(np.abs(want))
    assert got.shape == want.shape
    assert np.max(np.abs(got - want)) <= RTOL * scale


@pytest.mark.parametrize("p", range(1, 13))
def test_the_helpers_agree_with_numpy(p):
    rng = np.random.default_rng(p)
    a, b, bm = _spd(rng, p), rng.normal(size=p), rng.normal(size=(p, 3))
    general = a + rng.normal(scale=0.1, size=(p, p))  # not symmetric
    m, v = rng.normal(size=(20, p)), rng.normal(size=p)
    _close(engine.matvec(m, v), m @ v)
    _close(engine.gram(m), m.T @ m)
    _close(engine.solve_small(general, b), np.linalg.solve(general, b))
    _close(engine.solve_small(general, bm), np.linalg.solve(general, bm))
    _close(engine.inv_small(general), np.linalg.inv(general))
    _close(engine.solve_symmetric(a, b), np.linalg.solve(a, b))
    _close(engine.solve_symmetric(a, bm), np.linalg.solve(a, bm))
    x, inv = engine.solve_symmetric(a, b, inverse=True)
    _close(x, np.linalg.solve(a, b))
    _close(inv, np.linalg.inv(a))


@pytest.mark.parametrize("p", [1, 2, 3, 6, 12])
def test_stacks_agree_with_numpy_matrix_by_matrix(p):
    rng = np.random.default_rng(100 + p)
    a, b = _spd(rng, p, (7,)), rng.normal(size=(7, p))
    general = a + rng.normal(scale=0.1, size=(7, p, p))
    want = np.linalg.solve(general, b[..., None])
    _close(engine.solve_small(general, b), want[..., 0])
    _close(engine.solve_small(general, b[..., None]), want)
    _close(engine.inv_small(general), np.linalg.inv(general))
    _close(engine.solve_small(general[None], b[None]), want[None, ..., 0])  # two stack axes
    x, inv = engine.solve_symmetric(a, b, inverse=True)
    _close(x, np.linalg.solve(a, b[..., None])[..., 0])
    _close(inv, np.linalg.inv(a))
    _close(engine.solve_symmetric(a, b[0]), np.linalg.solve(a, b[0]))  # one b for the stack
    _close(engine.matvec(general, b[:, None, :]), (general @ b[..., None])[..., 0])


SINGULAR = [
    np.zeros((3, 3)),
    np.array([[1.0, 2.0], [2.0, 4.0]]),  # rank 1
    engine.gram(np.array([[1.0, 2.0, 3.0], [2.0, 4.0, 6.0], [0.5, 1.0, 1.5]])),  # rank 1
    np.diag([1.0, 0.0, 2.0]),
]


@pytest.mark.parametrize("a", SINGULAR, ids=["zeros", "rank 1", "gram of rank 1", "zero pivot"])
def test_an_exactly_singular_matrix_is_refused_as_numpy_refuses_it(a):
    b = np.ones(a.shape[0])
    with pytest.raises(np.linalg.LinAlgError):
        np.linalg.solve(a, b)
    for solve in (engine.solve_small, engine.solve_symmetric):
        with pytest.raises(np.linalg.LinAlgError):
            solve(a, b)
    with pytest.raises(np.linalg.LinAlgError):
        engine.inv_small(a)
    with pytest.raises(np.linalg.LinAlgError):
        engine.solve_symmetric(a, b, inverse=True)
    # one singular matrix in a stack: the stack is refused (as np.linalg.solve does)
    stack = np.stack([np.eye(a.shape[0]), a])
    for solve in (engine.solve_small, engine.solve_symmetric):
        with pytest.raises(np.linalg.LinAlgError):
            solve(stack, np.ones((2, a.shape[0])))


def test_the_same_bits_every_time():
    rng = np.random.default_rng(7)
    a, b = _spd(rng, 11), rng.normal(size=11)
    stack, bs = _spd(rng, 3, (500,)), rng.normal(size=(500, 3))
    m = rng.normal(size=(78, 11))

    def bits():
        x, inv = engine.solve_symmetric(a, b, inverse=True)
        xs, invs = engine.solve_symmetric(stack, bs, inverse=True)
        parts = (
            x,
            inv,
            xs,
            invs,
            engine.solve_small(a, b),
            engine.inv_small(stack),
            engine.gram(m),
            engine.matvec(m, b),
        )
        return hashlib.sha256(b"".join(np.ascontiguousarray(v).tobytes() for v in parts))

    first = bits().hexdigest()
    assert all(bits().hexdigest() == first for _ in range(3))
    # a matrix alone and the same matrix in a stack: the same operations, the same bits
    x, inv = engine.solve_symmetric(stack[3], bs[3], inverse=True)
    xs, invs = engine.solve_symmetric(stack, bs, inverse=True)
    assert (x == xs[3]).all() and (inv == invs[3]).all()


#: The cheapest calibration through the Cox phase (``--cox-steps 1``: the anneal's one step,
#: then every polish of the Table 2 phase; the chains' 100 steps do not reach it).
QUICK = ["--chains", "1", "--steps", "100", "--cox-steps", "1", "--force", "--quiet"]


@pytest.mark.slow(seconds=55)
def test_two_sets_of_openblas_kernels_write_the_same_cohort(tmp_path):
    """The bytes of a short calibration through the Cox phase under Haswell's kernels (FMA) and
    SandyBridge's with NumPy's AVX2 loops off (X86_V3): the arithmetic that once sent the
    search elsewhere (tools/kernel_report.md). The two run side by side."""
    settings = {
        "haswell": {"OPENBLAS_CORETYPE": "Haswell"},
        "sandybridge": {
            "OPENBLAS_CORETYPE": "SandyBridge",
            "NPY_DISABLE_CPU_FEATURES": "X86_V3 X86_V4 AVX512_ICL AVX512_SPR",
        },
    }
    procs = {
        name: subprocess.Popen(
            [sys.executable, "-m", "analysis", "synthesize", *QUICK, "--out", tmp_path / name],
            cwd=REPO_ROOT,
            env={**os.environ, **env},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name, env in settings.items()
    }
    for proc in procs.values():
        _, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err[-2000:]
    assert (tmp_path / "haswell").read_bytes() == (tmp_path / "sandybridge").read_bytes()
