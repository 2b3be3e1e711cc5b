"""Reproduction of Hien et al. (2024), J Gastrointest Oncol 15(2):721-729.

The package is built in layers that import downward only (``.importlinter`` is the contract that
``make test`` checks):

core
    :mod:`analysis.formatting` (rounding, P values, numbers), :mod:`analysis.verdicts` (verdict
    words, whose cohort it is), :mod:`analysis.problems` (problems with a cohort),
    :mod:`analysis.provenance` (where a number comes from).
engine, rules and sources
    :mod:`analysis.engine` (the one survival engine, NumPy), :mod:`analysis.survival` (its
    chapter-facing result objects), :mod:`analysis.clinical` (clinical rules),
    :mod:`analysis.published` (the paper's numbers), :mod:`analysis.privacy`,
    :mod:`analysis.labels`.
the paper
    :mod:`analysis.paper` (Table 2 terms and codings), :mod:`analysis.tables`,
    :mod:`analysis.audit`, :mod:`analysis.synthesis`, :mod:`analysis.calibration`,
    :mod:`analysis.bias`.
other draws of the cohort
    :mod:`analysis.scenarios` (timing scenarios), :mod:`analysis.ensemble` (an ensemble of
    calibrated cohorts).
the cohort
    :mod:`analysis.cohort`: the data dictionary, :func:`~analysis.cohort.load_cohort` and the
    calibrated :func:`~analysis.cohort.synthesize`.
report and command line
    :mod:`analysis.book` (glue helpers), :mod:`analysis.plots`, :mod:`analysis.runner`
    (``python -m analysis run``), ``analysis.cli`` (the command line, ``python -m analysis``).
"""

from pathlib import Path

from analysis import numerics

# Before NumPy loads, where it still can: NumPy's AVX-512 loops off, so that the calibration's
# arithmetic is the same on every processor (analysis/numerics.py; a no-op once NumPy is imported).
numerics.pin_numpy_dispatch()
# and glibc's SSE2 exp and log for the processes started from here on (this one's were chosen
# when it started; ``python -m analysis`` starts itself again with them: numerics.restart_with_libm)
numerics.pin_libm()

__all__ = ["REPO_ROOT", "DATA_DIR", "PUBLISHED_DIR", "COHORT_CSV"]

#: Root of the repository (the package is installed in editable mode).
REPO_ROOT = Path(__file__).resolve().parent.parent
#: The data directory: ``schema.yaml``, ``published/``, the book's ``cohort.csv``.
DATA_DIR = REPO_ROOT / "data"
#: The paper's numbers, one YAML file per table or figure.
PUBLISHED_DIR = DATA_DIR / "published"
#: The book's calibrated synthetic cohort.
COHORT_CSV = DATA_DIR / "cohort.csv"
