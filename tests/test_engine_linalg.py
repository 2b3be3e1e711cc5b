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
#: then every polish of the Table 2 phase; the chains' 100 steps do not reach it). The polishes
#: take as long as their seed's draws need: ``--seed 2`` is the cheapest of the book's seed and
#: seeds 1-8 (the calibration alone 15 CPU-s, the book's seed 19, the others 18-26; the whole
#: command under the test's kernels 19 against 24), through the same phases (each seed runs
#: the Table 2 polish on all four streams).
QUICK = [
    "--seed", "2", "--chains", "1", "--steps", "100", "--cox-steps", "1", "--force", "--quiet",
]  # fmt: skip
#: The bytes :data:`QUICK` writes with the reference arithmetic (measured on 4 December 2026
#: under the machine's own OpenBLAS kernels and NumPy loops, and under the test's: SandyBridge,
#: NumPy's AVX2 loops off, glibc's FMA ``exp`` and ``log`` restarted away: the same file; the
#: book's seed wrote 291b0bb5… both ways).
QUICK_SHA256 = "1f0778528be61dbd4aab0aa655c421595649eab48197a16a208458dedfd9d418"


@pytest.mark.slow(seconds=20)
def test_a_short_calibration_writes_the_same_bytes_under_other_kernels(tmp_path):
    """A short calibration through the Cox phase under OpenBLAS's SandyBridge kernels, NumPy's
    AVX2 loops off (X86_V3) and the process started without the C library's setting (so
    ``python -m analysis`` starts itself again with it): the bytes the machine's own kernels
    write. The full calibration under the machine's kernels is
    ``tests/test_ensemble.py::test_the_books_seed_on_a_local_dask_cluster_is_the_committed_cohort``
    (data/cohort.csv byte for byte)."""
    env = {k: v for k, v in os.environ.items() if k != "GLIBC_TUNABLES"}
    env |= {
        "OPENBLAS_CORETYPE": "SandyBridge",
        "NPY_DISABLE_CPU_FEATURES": "X86_V3 X86_V4 AVX512_ICL AVX512_SPR",
    }
    out = tmp_path / "quick.csv"
    proc = subprocess.run(
        [sys.executable, "-m", "analysis", "synthesize", *QUICK, "--out", out],
        cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-2000:]
    digest = hashlib.sha256(out.read_bytes()).hexdigest()
    assert digest == QUICK_SHA256, (
        f"a short calibration wrote {digest}: if the calibration was changed on purpose, put "
        "the new digest in QUICK_SHA256 (and regenerate data/cohort.csv); otherwise its "
        "arithmetic depends on the kernels again (analysis/numerics.py)"
    )
