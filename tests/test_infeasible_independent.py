"""Every "infeasible" verdict of the hit/missed/infeasible counts, derived without the package.

A cell called infeasible leaves the denominator of the counts, so a wrong one flatters them.
Here each is derived from the printed numbers (read through :mod:`analysis.published` only)
with linear programmes of scipy (HiGHS), the normal distribution of scipy and Cox fits of
statsmodels; nothing of the package computes. What is checked:

* Table 2: a row (HR, 95% CI, P) is one Wald fit, ``HR = e^b``, ``CI = e^(b ± 1.96·s)``,
  ``P = 2·Φ(−|b|/s)``; every printed number stands for its half-up rounding interval. The rows
  no fit prints are exactly the rows the package gives infeasible cells, and the numbers each
  keeps fit one row.
* Five of those rows print a P one step below what their HR and interval give: each fits if P
  was truncated instead of rounded. Truncation is no rule of the table either: Child-Pugh 7's
  P (0.05) fits only rounding. So these verdicts rest on the rounding reading.
* The univariate additional-TACE row against the log-rank P of the same split: the bound
  log-rank ``|z| ≥ Wald |z| / cosh(b/2)`` (Breslow ties) is checked on random tied data with
  statsmodels, and the row's interval and P are shown to break it while its HR does not.
* ``Var(b) ≥ 1/d₁ + 1/d₀`` for a 0/1 or category term (deaths in the group and in the
  reference), in a multivariable model, with Breslow and Efron ties, on random tied data.
* The survival block: an SPSS median interval is ``median ± 1.96·SE``; the four printed
  intervals that are symmetric about their medians and the three that are not.

Proofs of the two inequalities (for the record; the tests only check them numerically):
at the MLE the score equation of a 0/1 term gives ``Σ_k d_k p_k = d₁`` (``p_k`` the weighted
share of the group in the risk set at the k-th death time, ``d_k`` its deaths), and its
information is ``Σ d_k p_k (1 − p_k) ≤ d₁ − d₁²/d = d₁d₀/d`` (Jensen), so
``Var ≥ [I⁻¹]_jj ≥ 1/I_jj ≥ 1/d₁ + 1/d₀``; for a category against its reference the same with
the other categories' coefficients chosen to minimise the variance. For the log-rank bound,
``U(0) = ∫₀^b I(t) dt``; each death time's term ``p(1 − p)`` is log-concave in ``t`` and changes
by a factor within ``e^(±|b|)`` between 0 and ``b``, so ``U(0) ≥ Σ sqrt(I_k(0)·I_k(b))`` and, by
the Pólya–Szegő inequality, ``≥ sqrt(I(0)·I(b))/cosh(b/2)``; the log-rank variance is at most
``I(0)`` (hypergeometric ties), which gives the bound.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from scipy.optimize import linprog
from scipy.stats import norm
from statsmodels.duration.hazard_regression import PHReg
from statsmodels.duration.survfunc import survdiff

from analysis import published

Z = float(norm.ppf(0.975))
#: Boxes are widened by this (relative) before an "infeasible" is asserted and narrowed before a
#: "feasible" one, so that HiGHS' tolerance (1e-7) can only work against the assertion.
SLACK = 1e-9
#: The five P cells that fit only if truncated; Child-Pugh 7's fits only if rounded.
TRUNCATED_ONLY = {
    "sex_female.uni", "child_pugh_6.uni", "child_pugh_8.uni", "albi_score.uni", "crp_gt3.uni",
}  # fmt: skip
ROUNDED_ONLY = {"child_pugh_7.uni"}


def _dec(text: str) -> int:
    text = text.replace(",", "").lstrip("<")
    return len(text.split(".")[1]) if "." in text else 0


def _box(text: str, mode: str = "round", widen: float = 0.0) -> tuple[float, float]:
    """The values ``text`` stands for: half-up rounding or truncation; ``<x`` is 0 to x."""
    if text.startswith("<"):
        return 0.0, float(text[1:]) * (1 + widen)
    v, u = float(text.replace(",", "")), 10.0 ** -_dec(text)
    lo, hi = (v - u / 2, v + u / 2) if mode == "round" else (v, v + u)
    return lo * (1 - widen), hi * (1 + widen)


def _rows() -> dict[str, dict[str, str]]:
    """term.model -> {"hr", "lower", "upper", "p"} printed texts, Table 2's non-reference rows
    whose interval prints as two different numbers."""
    pub = published.load()
    t2 = pub[(pub["location"] == "table2") & ~pub["reference"].fillna(False).astype(bool)]
    out: dict[str, dict[str, str]] = {}
    for r in t2.itertuples(index=False):
        _, term, model, kind = r.id.split(".")
        row = out.setdefault(f"{term}.{model}", {})
        if kind == "interval":
            row["lower"], row["upper"] = r.text.split("–")
        else:
            row[kind] = r.text
    return {k: v for k, v in out.items() if len(v) == 4 and v["lower"] != v["upper"]}


def _fits(row: dict, keep, *, p_mode="round", cap=None, widen=0.0, se_min=1e-9, sign=None) -> bool:
    """Is there (b, s), s ≥ se_min, printing the kept numbers? ``cap``: |b| ≤ cap·s."""
    a, r = [], []

    def between(coef, lo, hi):
        a.append(list(coef))
        r.append(hi)
        a.append([-c for c in coef])
        r.append(-lo)

    logbox = {
        k: tuple(math.log(max(x, 1e-300)) for x in _box(row[k], widen=widen))
        for k in ("hr", "lower", "upper")
    }
    if "hr" in keep:
        between((1.0, 0.0), *logbox["hr"])
    if "lower" in keep:
        between((1.0, -Z), *logbox["lower"])
    if "upper" in keep:
        between((1.0, Z), *logbox["upper"])
    if "p" in keep:
        p_lo, p_hi = _box(row["p"], p_mode, widen)
        z_lo = float(norm.isf(min(p_hi, 1.0) / 2))
        z_hi = float(norm.isf(p_lo / 2)) if p_lo > 0 else math.inf
        sgn = sign if sign is not None else (1.0 if float(row["hr"]) >= 1 else -1.0)
        a.append([-sgn, z_lo])  # sgn·b ≥ z_lo·s
        r.append(0.0)
        if math.isfinite(z_hi):
            a.append([sgn, -z_hi])
            r.append(0.0)
    if cap is not None:
        a += [[1.0, -cap], [-1.0, -cap]]
        r += [0.0, 0.0]
    res = linprog([0.0, 0.0], A_ub=a, b_ub=r, bounds=[(-20, 20), (se_min, 50)], method="highs")
    return res.status == 0


def _feasible(row, keep, **kw) -> bool:
    return _fits(row, keep, widen=-SLACK, **kw)


def _infeasible(row, keep, **kw) -> bool:
    return not _fits(row, keep, widen=SLACK, **kw)


ALL = ("hr", "lower", "upper", "p")


def _logrank_cap(hr_text: str, logrank_text: str) -> float:
    """Largest Wald |z| a log-rank P allows: its largest |z| times cosh(b_max/2)."""
    z_lr = float(norm.isf(_box(logrank_text)[0] / 2))
    b_max = max(abs(math.log(x)) for x in _box(hr_text))
    return z_lr * math.cosh(b_max / 2)


@pytest.fixture(scope="module")
def package_verdicts():
    from analysis.paper import table2_feasibility  # the verdicts under test, read only

    f = table2_feasibility()
    return f.assign(row=f["id"].str.split(".").str[1] + "." + f["id"].str.split(".").str[2])


def test_rows_with_infeasible_cells_are_exactly_the_rows_no_wald_fit_prints(package_verdicts):
    rows = _rows()
    logrank = published.entry("results.logrank_additional_tace.p").text
    cap = {"additional_tace.uni": _logrank_cap(rows["additional_tace.uni"]["hr"], logrank)}
    mine = {k for k, row in rows.items() if _infeasible(row, ALL, cap=cap.get(k))}
    assert all(_feasible(row, ALL, cap=cap.get(k)) for k, row in rows.items() if k not in mine)
    theirs = set(package_verdicts.loc[~package_verdicts["feasible"], "row"])
    others = {"albumin_le3.uni", "albumin_le3.multi", "additional_tace.uni"}
    assert mine == theirs == TRUNCATED_ONLY | others


def test_what_each_row_keeps_fits_and_the_whole_row_does_not():
    """The numbers the package keeps for each infeasible row fit one Wald row (so giving up the
    others suffices), at the decimals printed."""
    rows = _rows()
    # row -> numbers kept by the verdicts; the additional-TACE row keeps its HR only. The
    # albumin rows keep HR and P (their interval, one cell, given up); the calibration keeps
    # the univariate HR and upper bound (it aims at whole cells: the HR) and the multivariable
    # interval (the package's "follow")
    kept = {k: [("hr", "lower", "upper")] for k in TRUNCATED_ONLY}
    kept |= {
        "albumin_le3.uni": [("hr", "p"), ("hr", "upper")],
        "albumin_le3.multi": [("hr", "p"), ("lower", "upper")],
    }
    for k, keeps in kept.items():
        for keep in keeps:
            floor = 2 / math.sqrt(82) if k.startswith("albumin") else 0.0  # 0/1 rows
            assert _feasible(rows[k], keep, se_min=floor), (k, keep)
        assert _infeasible(rows[k], ALL), k


def test_albumin_multivariable_one_cell_would_do():
    """Albumin ≤ 3 g/dL, multivariable, 2.363 (1.341–4.160), P 0.006: HR and interval cannot hold
    together (√(1.3415 · 4.1605) = 2.36248 < 2.3625), nor interval and P (the interval gives
    P 0.0029); HR and P can (SE 0.31–0.32). So giving up the interval cell alone makes the rest
    fit, and the verdicts do so (they gave up the HR and P cells, two, before the review); both
    HR 2.363 and P 0.006 are printed twice (Table 2 and the results text), the interval once."""
    row = _rows()["albumin_le3.multi"]
    assert math.sqrt(1.3415 * 4.1605) < 2.3625
    assert _infeasible(row, ("hr", "lower", "upper"))
    assert _infeasible(row, ("lower", "upper", "p"))
    assert _feasible(row, ("hr", "p"), se_min=2 / math.sqrt(82))
    for where in ("table2.albumin_le3.multi", "results.hr_albumin_le3"):
        assert published.entry(f"{where}.hr").text == "2.363"
        assert published.entry(f"{where}.p").text == "0.006"
    from analysis.paper import table2_feasibility  # the verdicts under test, read only

    f = table2_feasibility().set_index("id")["feasible"]
    cells = {c: bool(f[f"table2.albumin_le3.multi.{c}"]) for c in ("hr", "interval", "p")}
    assert cells == {"hr": True, "interval": False, "p": True}


def test_albumin_univariate_hr_is_not_the_centre_of_its_interval():
    """2.892 (1.112–6.396): √(L·U) lies in 2.6662–2.6677 for any bounds that print so, far from
    2.8915–2.8925; HR and P alone fit (SE about 0.36, above the 0/1 floor 2/√82)."""
    row = _rows()["albumin_le3.uni"]
    lows, ups = _box(row["lower"]), _box(row["upper"])
    centre = [math.sqrt(a * b) for a, b in zip(lows, ups, strict=True)]
    assert 2.666 < centre[0] < centre[1] < 2.668
    assert _infeasible(row, ("hr", "lower", "upper"))
    assert _feasible(row, ("hr", "p"), se_min=2 / math.sqrt(82))


def test_p_values_one_step_off_fit_truncation_and_child_pugh_7_fits_only_rounding():
    """The rounding reading is an assumption: the five P cells fit if truncated (0.0286 printed
    0.02 and so on) while Child-Pugh 7's univariate P (0.0460–0.0462 from its HR and interval,
    printed 0.05) fits only if rounded. Under truncation the counts would score those five and
    call Child-Pugh 7's P infeasible instead."""
    rows = _rows()
    hci = ("hr", "lower", "upper")
    two = {k: row for k, row in rows.items() if _dec(row["p"]) == 2 and _feasible(row, hci)}
    round_fails = {k for k, row in two.items() if _infeasible(row, ALL)}
    trunc_fails = {k for k, row in two.items() if _infeasible(row, ALL, p_mode="trunc")}
    assert round_fails == TRUNCATED_ONLY
    assert trunc_fails == ROUNDED_ONLY
    assert all(_feasible(two[k], ALL, p_mode="trunc") for k in TRUNCATED_ONLY)


def test_additional_tace_row_against_the_log_rank_p_of_its_split():
    """0.438 (0.258–0.743), P 0.002 fits one Wald row alone (z 3.06); the log-rank P 0.02 of the
    same split caps the Wald |z| at 2.4324·cosh(0.4134) = 2.643 (Wald P ≥ 0.0082), which the
    interval and P break and the HR alone does not. Giving up the log-rank P instead (printed
    four times, one distinct cell of the survival block) would be the single-cell alternative."""
    row = _rows()["additional_tace.uni"]
    lr = published.entry("results.logrank_additional_tace.p").text
    cap = _logrank_cap(row["hr"], lr)
    assert cap == pytest.approx(2.643, abs=1e-3)
    assert 2 * norm.sf(cap) > 0.0081
    assert _feasible(row, ALL)
    assert _infeasible(row, ALL, cap=cap)
    assert _infeasible(row, ("hr", "p"), cap=cap)
    assert _infeasible(row, ("hr", "lower", "upper"), cap=cap)
    assert _feasible(row, ("hr",), cap=cap)
    # the smallest upper bound the cap allows: b = ln 0.4375, s = |b|/cap
    b = math.log(0.4375)
    assert math.exp(b + Z * abs(b) / cap) > 0.807


def _random_tied_data(rng, n, k):
    g = rng.integers(0, k, n)
    other = rng.normal(size=n)
    beta = rng.normal(0, 1.2, k)
    t = rng.exponential(np.exp(-beta[g] - 0.5 * other))
    t = np.ceil(t * rng.integers(1, 5))  # a coarse grid: many tied deaths
    e = (rng.random(n) < rng.uniform(0.5, 1.0)).astype(float)
    return g, other, t, e


def test_category_variance_is_at_least_inverse_deaths_with_tied_deaths():
    rng = np.random.default_rng(2026)
    fits, worst = 0, math.inf
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        while fits < 150:
            n, k = int(rng.integers(10, 50)), int(rng.integers(2, 5))
            g, other, t, e = _random_tied_data(rng, n, k)
            d = np.array([e[g == c].sum() for c in range(k)])
            if (d == 0).any():
                continue
            x = np.column_stack([(g == c).astype(float) for c in range(1, k)] + [other])
            for ties in ("breslow", "efron"):
                r = PHReg(t, x, status=e, ties=ties).fit(disp=0)
                if not np.all(np.isfinite(r.bse)) or np.abs(r.params).max() > 6:
                    continue
                fits += 1
                var = np.diag(r.cov_params())[: k - 1]
                worst = min(worst, float(np.min(var / (1 / d[1:] + 1 / d[0]))))
    assert worst >= 1 - 1e-9


def test_log_rank_z_is_at_least_wald_z_over_cosh_half_b_with_tied_deaths():
    rng = np.random.default_rng(28)
    fits, worst = 0, math.inf
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        while fits < 200:
            n = int(rng.integers(8, 50))
            g, _, t, e = _random_tied_data(rng, n, 2)
            if e[g == 1].sum() == 0 or e[g == 0].sum() == 0:
                continue
            r = PHReg(t, g[:, None].astype(float), status=e, ties="breslow").fit(disp=0)
            b, s = float(r.params[0]), float(r.bse[0])
            if not (np.isfinite(s) and abs(b) < 6 and abs(b) / s > 1e-3):
                continue
            try:
                chi2, _ = survdiff(t, e, g)
            except np.linalg.LinAlgError:
                continue
            fits += 1
            worst = min(worst, math.sqrt(chi2) * math.cosh(b / 2) / (abs(b) / s))
    assert worst >= 1 - 1e-6


#: Survival intervals: (median id, interval id) -> symmetric about the median within rounding?
SURVIVAL = {
    ("figure1.os_median_dc", True), ("figure1.os_median_pd", True),
    ("figure2.os_median_prior_tace_2_4", True), ("figure2.os_median_additional_tace", True),
    ("results.os_median", True), ("figure2.os_median_prior_tace_gt4", False),
    ("figure2.os_median_no_additional_tace", False), ("abstract.os_median_additional_tace", False),
}  # fmt: skip


def _symmetric(median_text: str, interval_text: str, whole_months: bool = False) -> bool:
    """Some median and bounds that print so with bounds = median ∓ the same half-width. A bound
    printed without decimals beside one with decimals is read at the other's, unless
    ``whole_months``."""
    lo_t, up_t = interval_text.split("–")
    d = max(_dec(lo_t), _dec(up_t))
    read = (lambda x: x) if whole_months else (lambda x: x if "." in x else f"{float(x):.{d}f}")  # noqa: E731
    m, lo, up = _box(median_text), _box(read(lo_t)), _box(read(up_t))
    return max(2 * m[0], lo[0] + up[0]) < min(2 * m[1], lo[1] + up[1])


def test_survival_intervals_symmetric_as_spss_prints_them():
    """Five printed median intervals are symmetric about their medians (SPSS's median ± 1.96·SE;
    8.5–19.5 about 14 also shows the paper writes 14.0 as "14"); 0.5–13.6 about 3.4 (midpoint
    7.0–7.1) and 3.6–14.4 about 14 (9.0) are not; 2.8–11 about 6.7 is not with 11 read as 11.0
    (midpoint 6.85–6.95 against 6.65–6.75) but is with 11 read at whole months."""
    from analysis.synthesis import feasibility  # the verdicts under test, read only

    for stem, symmetric in SURVIVAL:
        med = published.entry(f"{stem}.median").text
        iv = published.entry(f"{stem}.interval").text
        assert _symmetric(med, iv) == symmetric, stem
    assert _symmetric("6.7", "2.8–11", whole_months=True)
    f = feasibility()
    assert set(f.loc[~f["feasible"], "id"]) == {f"{s}.interval" for s, ok in SURVIVAL if not ok}


def test_abstract_prior_tace_hr_contradicts_table_2():
    """The abstract's 0.151 and Table 2's 1.521 (also in the results and discussion) are one
    quantity; no cohort prints both, and three prints back 1.521."""
    places = ("abstract", "results", "discussion")
    ids = [f"{w}.hr_prior_tace_gt4.hr" for w in places] + ["table2.prior_tace_gt4.multi.hr"]
    texts = {i: published.entry(i).text for i in ids}
    assert sorted(texts.values()) == ["0.151", "1.521", "1.521", "1.521"]
    assert _box("0.151")[1] < _box("1.521")[0]
