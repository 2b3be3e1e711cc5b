"""Profile one ``synthesize`` run in this process (one worker) and list its BLAS/LAPACK call sites.

Usage::

    OPENBLAS_CORETYPE=Haswell PYTHONPATH=. python tools/kernel_profile.py OUT.csv [STATS.prof]

Prints the OpenBLAS kernels in use, the wall and CPU time, the SHA-256 of the cohort written to
``OUT.csv`` and the functions of the calibration's hot path that call BLAS or LAPACK (matrix
products, ``numpy.linalg``), with their cumulative share of the profiled time. The matrix
product operator ``@`` is not a call cProfile sees: its share is inside its caller's own time.
"""

from __future__ import annotations

import cProfile
import hashlib
import pstats
import sys
import time
from pathlib import Path

import analysis  # noqa: F401  (before NumPy, as the command line does)
from analysis.numerics import openblas_core
from analysis.synthesis import format_cohort, synthesize

#: (file suffix, function name) of the hot path's callers of BLAS/LAPACK, and of the linalg calls
WATCH = [
    ("calibration.py", "score_information"),
    ("calibration.py", "fit"),
    ("calibration.py", "_fit1"),
    ("calibration.py", "_batched_newton"),
    ("calibration.py", "_newton_once"),
    ("engine.py", "moments"),
    ("engine.py", "cox_fit"),
    ("engine.py", "logrank_test"),
    ("engine.py", "cox_univariate_breslow"),
    ("_linalg.py", "solve"),
    ("_linalg.py", "inv"),
    ("_linalg.py", "pinv"),
    ("einsumfunc.py", "einsum"),
]


def main(argv: list[str]) -> int:
    out = Path(argv[0])
    prof_path = argv[1] if len(argv) > 1 else None
    print("OpenBLAS core:", openblas_core())
    prof = cProfile.Profile()
    wall, cpu = time.perf_counter(), time.process_time()
    prof.enable()
    df = synthesize(workers=1)
    prof.disable()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    out.write_text(format_cohort(df), encoding="utf-8")
    digest = hashlib.sha256(out.read_bytes()).hexdigest()
    print(f"wall {wall:.1f} s, cpu {cpu:.1f} s (profiled), sha256 {digest}")
    stats = pstats.Stats(prof)
    if prof_path:
        stats.dump_stats(prof_path)
    total = stats.total_tt
    print(f"profiled total {total:.1f} s")
    print(f"{'function':60s} {'calls':>9s} {'tottime':>8s} {'cumtime':>8s} {'cum %':>6s}")
    for (path, line, name), (_cc, nc, tt, ct, _callers) in sorted(
        stats.stats.items(), key=lambda kv: -kv[1][3]
    ):
        if any(path.endswith(suffix) and name == fn for suffix, fn in WATCH):
            where = f"{Path(path).name}:{line} {name}"
            print(f"{where:60s} {nc:9d} {tt:8.1f} {ct:8.1f} {100 * ct / total:6.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
