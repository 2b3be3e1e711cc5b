"""The public API names the argument and its value when it refuses one.

``analysis.synthesize(seed='x')`` said "invalid literal for int() with base 10: 'x'",
``synthesize(seed=-1, …)`` NumPy's "expected non-negative integer", ``median_survival("abc",
…)`` "could not convert string to float: 'abc'", ``alpha='x'`` "'<' not supported between
instances of 'int' and 'str'", ``cox_table([1, 2], …)`` "'list' object has no attribute
'columns'", ``load_cohort(5)`` "expected str, bytes or os.PathLike object, not int". Each
is refused before any work (no synthesis runs here: the refusal comes first).
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

import analysis.synthesis as synthesis
from analysis.cohort import load_cohort, synthesize
from analysis.survival import (
    cox_table,
    km_table,
    logrank,
    mean_survival,
    median_survival,
)

T, E = [1.0, 2.0, 3.0, 4.0], [1, 0, 1, 1]
SHORT = {"chains": 1, "steps": 10, "cox_steps": 0}


def _frame(**columns):
    return pd.DataFrame({"t": T, "e": E, "x": [1.0, 2.0, 3.0, 5.0], **columns})


@pytest.fixture
def no_work(monkeypatch):
    """Fail the test if the synthesis starts (its first step reads the published targets)."""

    def never(*args, **kwargs):
        raise AssertionError("the synthesis must not start")

    monkeypatch.setattr(synthesis, "published_spec", never)


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"seed": "x"}, TypeError, "seed must be a non-negative integer, got 'x'"),
        ({"seed": -1, **SHORT}, ValueError, "seed must be a non-negative integer, got -1"),
        ({"seed": 1.5, **SHORT}, ValueError, "seed must be a non-negative integer, got 1.5"),
        ({"seed": True, **SHORT}, TypeError, "seed must be a non-negative integer, got True"),
        ({"seed": 7, "chains": 0}, ValueError, "chains must be a positive integer, got 0"),
        ({"seed": 7, "chains": "4"}, TypeError, "chains must be a positive integer, got '4'"),
        ({"seed": 7, "steps": -1}, ValueError, "steps must be a non-negative integer, got -1"),
        ({"seed": 7, "cox_steps": -1}, ValueError, "cox_steps must be a non-negative integer"),
        ({"seed": 7, "cox_steps": None}, TypeError, "cox_steps must be a non-negative integer"),
        ({"seed": 7, "workers": 0}, ValueError, "workers must be a positive integer, got 0"),
        ({"seed": 7, "keep": True}, TypeError, "keep must be a function of the cohort"),
    ],
)
def test_synthesize_names_the_argument(kwargs, error, message, no_work):
    with pytest.raises(error, match=re.escape(message)):
        synthesize(**kwargs)


def test_synthesize_takes_whole_numbers_of_any_integer_type():
    """NumPy integers and whole floats are the integers they hold (the ensemble passes NumPy
    seeds): the same streams as before."""
    assert synthesis._whole_number("seed", np.int64(20240426)) == 20240426
    assert synthesis._whole_number("steps", 45000.0) == 45000
    assert type(synthesis._whole_number("seed", np.uint32(7))) is int


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: median_survival("abc", E), ValueError, "durations: expected a sequence of numbers, got 'abc'"),
        (lambda: median_survival(None, E), ValueError, "durations: expected a sequence of numbers, got None"),
        (lambda: median_survival(T, None), ValueError, "events: expected 0/1 values, got None"),
        (lambda: mean_survival(["a", "b"], [1, 0]), ValueError, "durations: expected numbers; position 0 holds 'a'"),
        (lambda: logrank([1, "x", 3, 4], E, [0, 1, 0, 1]), ValueError, "durations: expected numbers; position 1 holds 'x'"),
        (lambda: logrank(T, E, None), ValueError, "groups: expected one group label per duration, got None"),
        (lambda: logrank(T, E, "abab"), ValueError, "groups: expected one group label per duration, got 'abab'"),
        (lambda: median_survival(T, E, alpha="x"), TypeError, "alpha: expected a number in (0, 1), got 'x'"),
        (lambda: median_survival(T, E, alpha=None), TypeError, "alpha: expected a number in (0, 1), got None"),
        (lambda: km_table(T, E, [2], alpha=1.5), ValueError, "alpha: expected a number in (0, 1), got 1.5"),
        (lambda: km_table(T, E, [2], alpha="0.05"), TypeError, "alpha: expected a number in (0, 1), got '0.05'"),
        (lambda: cox_table([1, 2], "t", "e", ["x"]), TypeError, "df: expected a pandas DataFrame, got list"),
        (lambda: cox_table(_frame(), "time", "e", ["x"]), KeyError, "duration_col: column 'time' is not in the data frame"),
        (lambda: cox_table(_frame(), "t", "died", ["x"]), KeyError, "event_col: column 'died' is not in the data frame"),
        (lambda: cox_table(_frame(t=["a", "b", "c", "d"]), "t", "e", ["x"]), ValueError, "duration_col: column 't' holds a value that is not a number"),
        (lambda: load_cohort(5), TypeError, "path: expected a file path (str or os.PathLike) or None, got 5"),
        (lambda: load_cohort(min_patients="10"), TypeError, "min_patients must be a non-negative integer, got '10'"),
        (lambda: load_cohort(min_patients=-1), ValueError, "min_patients must be a non-negative integer, got -1"),
    ],
)  # fmt: skip
def test_survival_and_cohort_functions_name_the_argument(call, error, message):
    with pytest.raises(error, match=re.escape(message)):
        call()


def test_valid_inputs_give_the_same_results():
    """The checks change no result: alpha as a NumPy float, groups as a Series, durations as
    numeric strings (read as numbers, as before)."""
    assert median_survival(T, E, alpha=np.float64(0.05)) == median_survival(T, E)
    assert km_table(T, E, [2], alpha=0.1).equals(km_table(T, E, [2], alpha=np.float64(0.1)))
    assert logrank(T, E, pd.Series([0, 1, 0, 1])) == logrank(T, E, [0, 1, 0, 1])
    assert median_survival(["1", "2", "3", "4"], E) == median_survival(T, E)
    assert len(load_cohort(min_patients=np.int64(10))) == 82
