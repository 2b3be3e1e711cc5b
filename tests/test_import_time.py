"""Import time (issue 12): the package loads neither seaborn nor scipy.stats, and nothing changes.

Every chapter kernel, every ``python -m analysis`` call and every test worker imports the package;
seaborn (~0.6 s with scipy.stats) and scipy.stats (~0.5 s) were most of that. Which modules get
imported is a deterministic proxy for the time, so that is what is checked, in a fresh interpreter.

What replaced them must give the same bits:

* scipy.stats' normal and chi-square functions are thin wrappers around scipy.special (see
  ``scipy/stats/_continuous_distns.py``: ``_norm_cdf = ndtr``, ``_norm_sf(x) = ndtr(-x)``,
  ``_norm_ppf = ndtri``, ``_norm_isf(q) = -ndtri(q)``, ``chi2_gen._sf = chdtrc(df, x)``); the
  generic ``rv_continuous`` methods add ``loc`` (0.0) to a quantile, which turns ``-0.0`` into
  ``0.0``, and return 1 for a chi-square ``x <= 0`` and NaN for ``df <= 0``. Compared here with
  ``==``, sign bits and NaN positions on many values, against scipy.stats itself;
* ``book.setup()`` applies seaborn's ``whitegrid`` theme as plain rcParams: compared key by key
  with what ``seaborn.set_theme`` leaves (seaborn, a test oracle only, is still installed), and
  a Kaplan-Meier figure's PNG and SVG bytes under both.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pytest
from scipy import special

from analysis import book, engine, plots

MODULES = [
    "analysis.book",
    "analysis.plots",
    "analysis.survival",
    "analysis.tables",
    "analysis.ensemble",
    "analysis.engine",
    "analysis.clinical",
    "analysis.audit",
    "analysis.paper",
    "analysis.calibration",
    "analysis.runner",
    "analysis.cli",
]
HEAVY = ("seaborn", "scipy.stats")


DOSE = ["dose", "--height-cm", "170", "--weight-kg", "65"]

#: One new interpreter for both checks below (a start that imports the package is about 1.3
#: CPU-s): it imports :data:`MODULES` and runs ``book.setup()``, prints which of :data:`HEAVY`
#: are loaded, then runs ``python -m analysis dose ...`` as ``-m`` runs it (runpy's
#: ``_run_module_as_main``, in a ``__main__`` of its own) and prints them again, with the
#: command's exit status.
PROBE = f"""\
import json, runpy, sys, types
def heavy():
    return sorted(m for m in sys.modules if m in {HEAVY!r})
import {", ".join(MODULES)}
analysis.book.setup()
after_import = heavy()
sys.argv = ["-m", *{DOSE!r}]
sys.modules["__main__"] = types.ModuleType("__main__")  # the command's own, as under -m
try:
    runpy._run_module_as_main("analysis", alter_argv=True)
    code = 0
except SystemExit as stop:
    code = stop.code
sys.stdout.flush()
print("\\n" + json.dumps({{"after_import": after_import, "code": code,
                          "clinical": "analysis.clinical" in sys.modules,
                          "after_dose": heavy()}}))
"""


@pytest.fixture(scope="module")
def probed() -> dict:
    """What :data:`PROBE` saw, with the dose command's output."""
    done = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=120, check=True
    )
    seen = json.loads(done.stdout.splitlines()[-1])
    seen["output"] = done.stdout
    return seen


def test_importing_the_package_and_setup_load_neither_seaborn_nor_scipy_stats(probed):
    loaded = probed["after_import"]
    assert loaded == [], f"importing the package loads {loaded} (~0.5 s each at every start-up)"


def test_the_dose_command_loads_neither(probed):
    """Run after the imports, the command loads every module it would load alone (those not
    already loaded), so none of :data:`HEAVY` loaded at its end means none loaded by it alone.
    Should the imports have loaded one (the test above fails), the command is run alone."""
    if probed["after_import"]:
        out = subprocess.run(
            [sys.executable, "-X", "importtime", "-m", "analysis", *DOSE],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert out.returncode == 0, out.stderr[-2000:]
        imported = {line.rsplit("|", 1)[-1].strip() for line in out.stderr.splitlines()}
        assert "analysis.clinical" in imported  # the probe sees the package's imports
        assert not imported & set(HEAVY), sorted(imported & set(HEAVY))
        return
    assert probed["code"] == 0, probed["output"][-2000:]
    assert "BSA" in probed["output"]  # the command ran and printed its sheet
    assert probed["clinical"]  # the probe sees the package's imports
    assert probed["after_dose"] == [], probed["after_dose"]


# ------------------------------------------------------------- scipy.special == scipy.stats
_RNG = np.random.default_rng(12)
_Z = np.r_[
    -np.inf,
    -40.0,
    -8.3,
    -1.959963984540054,
    -1e-300,
    -0.0,
    0.0,
    5e-324,
    1e-12,
    0.5,
    1.0,
    1.959963984540054,
    3.0,
    8.3,
    38.5,
    40.0,
    np.inf,
    np.nan,
    _RNG.normal(0, 3, 2000),
    _RNG.standard_cauchy(500),
]
_Q = np.r_[
    0.0,
    5e-324,
    1e-300,
    1e-17,
    0.0125,
    0.025,
    0.05 / 2,
    0.25,
    0.5,
    0.75,
    0.975,
    1 - 0.05 / 2,
    1 - 1e-16,
    1.0,
    -0.1,
    1.1,
    np.nan,
    _RNG.uniform(0, 1, 2000),
    10.0 ** -_RNG.uniform(0, 300, 500),
    np.round(_RNG.uniform(0, 1, 500), 3) / 2,  # printed P values, halved
]
_X2 = np.r_[
    -np.inf,
    -1.0,
    -1e-17,
    -0.0,
    0.0,
    5e-324,
    1e-12,
    0.5,
    3.841458820694124,
    8.0 / 13.0,
    50.0,
    900.0,
    1e6,
    np.inf,
    np.nan,
    _RNG.chisquare(2, 2000),
    _RNG.exponential(30, 500),
]


def _same_bits(a, b):
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    assert a.shape == b.shape
    nan = np.isnan(a)
    np.testing.assert_array_equal(nan, np.isnan(b))
    assert np.all(a[~nan] == b[~nan]), "values differ"
    np.testing.assert_array_equal(np.signbit(a[~nan]), np.signbit(b[~nan]))  # 0.0 vs -0.0


def test_normal_functions_are_scipy_stats_bit_for_bit():
    from scipy import stats  # the oracle; not at module level, so collecting this file stays cheap

    _same_bits(special.ndtr(_Z), stats.norm.cdf(_Z))
    _same_bits(special.ndtr(-_Z), stats.norm.sf(_Z))
    _same_bits(special.ndtri(_Q), stats.norm.ppf(_Q))
    _same_bits(-special.ndtri(_Q) + 0.0, stats.norm.isf(_Q))
    # without "+ 0.0" the upper quantile of 0.5 (P = 1 halved) would be -0.0
    assert np.signbit(-special.ndtri(0.5)) and not np.signbit(stats.norm.isf(0.5))
    for q in (0.5, 0.025, 0.0, 1.0):  # scalars too, with scipy.stats' result type
        assert type(special.ndtri(q)) is type(stats.norm.ppf(q)) is np.float64
        assert float(-special.ndtri(q) + 0.0).hex() == float(stats.norm.isf(q)).hex()
    assert float(special.ndtri(0.975)) == engine.Z95


@pytest.mark.parametrize("df", [1, 2, 3, 4, 5, 7, 10, 0, -1])
def test_chi2_sf_is_scipy_stats_bit_for_bit(df):
    from scipy import stats

    _same_bits(engine.chi2_sf(_X2, df), stats.chi2.sf(_X2, df))
    for x in (-1e-17, 0.0, 8.0 / 13.0, 3.841458820694124, np.nan, np.inf):
        ours, theirs = engine.chi2_sf(x, df), stats.chi2.sf(x, df)
        assert type(ours) is type(theirs) is np.float64
        _same_bits(ours, theirs)


def test_chi2_sf_by_hand():
    # 2 df: exp(-x/2); 1 df at the 0.95 quantile of chi2 (1.959964²): 0.05
    x = np.array([0.5, 3.0, 10.0])
    np.testing.assert_allclose(engine.chi2_sf(x, 2), np.exp(-x / 2), rtol=1e-14)
    assert abs(engine.chi2_sf(engine.Z95**2, 1) - 0.05) < 1e-15
    assert engine.chi2_sf(-1e-17, 3) == 1.0  # a round-off negative statistic
    assert np.isnan(engine.chi2_sf(1.0, 0))


# ------------------------------------------------------------- book.setup() == seaborn theme
_PERTURBED = {"image.cmap": "magma", "font.size": 7.0, "lines.linewidth": 3.0, "axes.grid": False}


def _seaborn_setup():
    """What book.setup() did before: ``sns.set_theme(...)`` then ``rcParams.update(_RC)``."""
    import seaborn as sns  # the oracle (a test extra), imported only by these tests

    sns.set_theme(style="whitegrid", palette=book.PALETTE, rc=book._RC)
    matplotlib.rcParams.update(book._RC)


def _rc_after(apply, start=None):
    with matplotlib.rc_context():
        matplotlib.rcdefaults()
        matplotlib.rcParams.update(start or {})
        apply()
        return dict(matplotlib.rcParams)


@pytest.mark.parametrize("start", [None, _PERTURBED], ids=["defaults", "perturbed"])
def test_setup_sets_what_seaborn_whitegrid_set(start):
    theirs = _rc_after(_seaborn_setup, start)
    ours = _rc_after(book.setup, start)
    assert theirs["image.cmap"] == "rocket"  # seaborn's colormap, registered by importing it
    assert ours["image.cmap"] == (start or {}).get("image.cmap", "viridis")  # left alone
    differ = sorted(k for k in theirs if k != "image.cmap" and ours[k] != theirs[k])
    assert differ == [], [(k, ours[k], theirs[k]) for k in differ]


def _km_figure_bytes(apply):
    t = [1.0, 2.0, 2.0, 3.5, 4.0, 5.5, 6.0, 7.5, 8.0, 9.0, 11.0, 12.5]
    e = [1, 0, 1, 1, 0, 1, 1, 0, 1, 1, 0, 1]
    g = [0, 1] * 6
    with matplotlib.rc_context():
        matplotlib.rcdefaults()
        apply()
        fig = plots.km_plot(None, t, e, g, ["arm A", "arm B"], legend_title="arm")
        fig.suptitle("Kaplan-Meier")
        out = []
        for fmt in ("png", "svg"):
            buf = io.BytesIO()
            fig.savefig(buf, format=fmt, metadata={"Date": None} if fmt == "svg" else None)
            out.append(buf.getvalue())
        plt.close(fig)
    return out


def test_a_figure_has_the_same_bytes_as_under_seaborn():
    theirs = _km_figure_bytes(_seaborn_setup)
    ours = _km_figure_bytes(book.setup)
    assert ours[0] == theirs[0], "PNG bytes differ"
    assert ours[1] == theirs[1], "SVG bytes differ"
