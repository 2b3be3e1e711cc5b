"""Write ``data/table2-label-reach.csv``: how many univariate Table 2 cells of the Child-Pugh,
BCLC and PVTT rows could any assignment of their labels print on the cohort's survival times.

A measurement for issue 13 (:func:`analysis.calibration.label_reach` says how), read by chapter
01. Re-run it whenever ``data/cohort.csv`` changes (a test compares the file's ``cohort_sha256``
with the cohort); about a minute per factor on one core.

Usage::

    python tools/label_reach.py [--cohort PATH] [--out PATH] [--steps N]
"""

from __future__ import annotations

import argparse

from analysis import COHORT_CSV, calibration
from analysis.cohort import load_cohort


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cohort", default=str(COHORT_CSV))
    ap.add_argument("--out", default=str(calibration.LABEL_REACH_CSV))
    ap.add_argument("--steps", type=int, default=calibration.LABEL_REACH_STEPS)
    a = ap.parse_args(argv)
    table = calibration.label_reach(
        load_cohort(a.cohort), steps=a.steps, cohort_sha256=calibration.cohort_sha256(a.cohort)
    )
    table.to_csv(a.out, index=False, lineterminator="\n")
    print(table.drop(columns=["cohort_sha256"]).to_string(index=False))


if __name__ == "__main__":
    main()
