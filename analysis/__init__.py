"""Reproduction of Hien et al. (2024), J Gastrointest Oncol 15(2):721-729.

Modules
-------
published  the paper's numbers, loaded from ``data/published/``
clinical   clinical rules (BSA, ECF dosing, Child-Pugh, ALBI, BCLC, JSH 2021, mRECIST)
cohort     the data dictionary, :func:`load_cohort` and the calibrated :func:`synthesize`
engine     the one survival engine (NumPy): Kaplan-Meier, medians, SPSS mean, log-rank, Cox
survival   Kaplan-Meier, log-rank and Cox regression for chapters: SPSS- and R-style result objects
tables     Table 1 and Table 2 builders and published-vs-reproduced comparisons
plots      the house plotting style, KM curves, forest plots
audit      machine checks of the paper's internal consistency
"""

from pathlib import Path

__all__ = ["REPO_ROOT", "DATA_DIR", "PUBLISHED_DIR", "COHORT_CSV"]

#: Root of the repository (the package is installed in editable mode).
REPO_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = REPO_ROOT / "data"
PUBLISHED_DIR = DATA_DIR / "published"
COHORT_CSV = DATA_DIR / "cohort.csv"
