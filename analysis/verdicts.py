"""The book's verdict vocabularies, each defined once, and whose cohort is being analysed.

Core layer: imports nothing else from :mod:`analysis` except the package's paths.

Three questions get a one-word answer somewhere in the book, each with its own words:

Does a reproduced number print as the paper prints it? (:mod:`analysis.tables`)
    :data:`AGREES` or :data:`DIFFERS`; :data:`NOT_SCORED` on a user's cohort. Two more where
    the question has no plain answer: :data:`INFEASIBLE`, the paper's number is one no cohort
    prints (the calibration's word, of the same number), and :data:`NOT_COMPARABLE`, the paper
    printed nothing to compare with (an interval by another program than the paper's).
Did the calibration reach a published target? (:mod:`analysis.synthesis`)
    :data:`HIT`, :data:`MISSED`, :data:`INFEASIBLE` or :data:`NOT_AVAILABLE`.
Is the paper consistent with itself? (:func:`analysis.audit.audit_paper`)
    :data:`CONSISTENT`, :data:`INCONSISTENT` or :data:`CANNOT_TELL`.

A user's own cohort (anything but the book's ``data/cohort.csv``) is never scored against the
paper: :func:`is_user_cohort` is the one place that decides it.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis import COHORT_CSV

__all__ = [
    "AGREES",
    "AUDIT_VERDICTS",
    "CALIBRATION_VERDICTS",
    "CANNOT_TELL",
    "COMPARISON_VERDICTS",
    "CONSISTENT",
    "DIFFERS",
    "HIT",
    "INCONSISTENT",
    "INFEASIBLE",
    "MISSED",
    "NOT_AVAILABLE",
    "NOT_COMPARABLE",
    "NOT_SCORED",
    "YOUR_COHORT",
    "comparison",
    "is_user_cohort",
]

# ---------------------------------------------------------------- reproduced vs published
#: A reproduced number prints as the paper prints it (after half-up rounding).
AGREES = "agrees"
#: A reproduced number prints otherwise.
DIFFERS = "differs"
#: Verdict of every row of a comparison computed on a user's cohort.
NOT_SCORED = "not scored (your cohort)"
#: Verdict of a row the paper printed no number for: e.g. R's interval of a median, when the
#: paper's interval is SPSS's (chapter 6's Tables 6.1 and 6.2).
NOT_COMPARABLE = "not comparable"
#: Name of the ``reproduced`` column on a user's cohort.
YOUR_COHORT = "your cohort"

# ---------------------------------------------------------------- calibration targets
#: The synthetic cohort prints the published target.
HIT = "hit"
#: It does not, although the target is feasible.
MISSED = "missed"
#: No 82-patient cohort can print the target (e.g. a percentage that is no count / 82).
INFEASIBLE = "infeasible"
#: The cohort lacks the column, or the quantity does not exist in it (a median not reached).
NOT_AVAILABLE = "not available"
#: The calibration vocabulary.
CALIBRATION_VERDICTS = (HIT, MISSED, INFEASIBLE, NOT_AVAILABLE)
#: The comparison vocabulary, in the order tables count it: :data:`INFEASIBLE` is also a
#: comparison's verdict on a number no cohort prints (chapter 6's Table 6.3).
COMPARISON_VERDICTS = (AGREES, DIFFERS, INFEASIBLE, NOT_COMPARABLE, NOT_SCORED)

# ---------------------------------------------------------------- the paper's consistency
#: The printed numbers can all be true together.
CONSISTENT = "consistent"
#: They cannot (arithmetic, not judgement).
INCONSISTENT = "inconsistent"
#: Implausible or undecidable at the printed precision, not impossible.
CANNOT_TELL = "cannot tell"
#: The audit vocabulary, in the order :func:`analysis.audit.summary` reports it.
AUDIT_VERDICTS = (CONSISTENT, INCONSISTENT, CANNOT_TELL)


def comparison(ok: bool, *, user: bool = False) -> str:
    """The comparison verdict: :data:`AGREES` or :data:`DIFFERS`, :data:`NOT_SCORED` if ``user``.

    Examples
    --------
    >>> comparison(True), comparison(False), comparison(True, user=True)
    ('agrees', 'differs', 'not scored (your cohort)')
    """
    if user:
        return NOT_SCORED
    return AGREES if ok else DIFFERS


def is_user_cohort(cohort=None, path=None) -> bool:
    """Whether results are from a user's cohort (labelled, never scored) rather than the book's.

    Parameters
    ----------
    cohort : DataFrame, bool, path-like or None
        A cohort from :func:`analysis.cohort.load_cohort` (its ``attrs["user_cohort"]`` is read),
        an explicit flag, or the cohort's path (then ``path`` must be None).
    path : path-like or None
        The chapters' ``cohort_path`` parameter: ``None`` or ``data/cohort.csv`` is the book's.

    Returns
    -------
    bool
        True when either says the cohort is not the book's own.

    Examples
    --------
    >>> from analysis import COHORT_CSV
    >>> is_user_cohort(None), is_user_cohort(COHORT_CSV), is_user_cohort("my-cohort.csv")
    (False, False, True)
    >>> import pandas as pd
    >>> df = pd.DataFrame({"x": [1]})
    >>> df.attrs["user_cohort"] = True
    >>> is_user_cohort(df), is_user_cohort(True), is_user_cohort(False, None)
    (True, True, False)
    """
    if isinstance(cohort, str | Path):
        if path is not None:
            raise TypeError("give the cohort's path once (cohort or path)")
        cohort, path = None, cohort
    if isinstance(cohort, bool):
        flag = cohort
    elif isinstance(cohort, pd.DataFrame):
        flag = bool(cohort.attrs.get("user_cohort", False))
    else:
        flag = False
    return flag or _path_is_users(path)


def _path_is_users(path) -> bool:
    if path is None:
        return False
    try:
        return Path(path).resolve() != COHORT_CSV.resolve()
    except OSError:
        return True
