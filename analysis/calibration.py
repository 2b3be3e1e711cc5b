"""Calibration of Table 2: the covariate-survival associations of the synthetic cohort.

After the survival block is calibrated (:mod:`analysis.synthesis`), the Cox phase
(:func:`anneal_table2`) exchanges blocks of covariates between patients. An exchange keeps every
Table 1 count, mean, SD, median and extreme, every response count and every survival curve as it
was; it changes only which patient carries which covariate values, and so the Table 2 fits.
The loss runs over every printed Table 2 cell that :func:`analysis.paper.table2_feasibility`
calls feasible, under the calibration's reading of a row (:func:`table2_cells`: HR, both
bounds and P at the printed precision, Breslow ties as SPSS uses, Wald intervals): a printed cell costs 0, a missed one ``0.5`` plus its distance on the log-HR
scale in units of the row's printed SE (or on the z scale for P); a multivariable row whose HR
falls outside the printed interval or whose P sits on the other side of 0.05 costs
:data:`ROW_WEIGHT` more. Simulated annealing (kirkpatrick1983) with the engine's Newton-Raphson.
Each block is then searched on its own univariate cells, every multivariable row held
(:func:`uni_block_anneal`, :func:`uni_block_polish`). Last, the value phase
(:func:`value_polish`) changes the values themselves of the columns Table 1 prints only as a
mean and SD or a median and range (and of bilirubin, within its Child-Pugh points band), every
printed Table 1 number kept, towards the univariate cells that no exchange can reach, and the
blocks of :data:`EDGE_BLOCKS` are polished on how far their cells lie from the edges of their
printed rounding bins (:func:`uni_edge_polish`). A second pass of the value phase
(:data:`VALUE_REPAIR_COLUMNS`) then chases the multivariable cells, every univariate entry kept,
on the incoming values and on those of a standard-error pass (:func:`value_se_pass`: values of
:data:`SE_COLUMNS` moved towards intervals that print too narrow), the latter kept only when it
prints more univariate entries and no fewer in all. Last, a Metropolis search of the values of
:data:`SPREAD_COLUMNS` within a plausible clinical range rather than their current one
(:func:`spread_anneal`) widens the univariate intervals that still print too narrow, and a
steepest descent of the PVTT grade within the BCLC stages on the edge distance of the PVTT cells
(:func:`pvtt_edge_descent`) reaches an interval that no single improving exchange does. Last of
all, :func:`joint_spread_anneal` moves AST's values until its univariate interval prints, then
those of AST and :data:`JOINT_HELD` until the multivariable entries printed before print again.
"""

from __future__ import annotations

import functools
import hashlib
import math
from pathlib import Path

import numpy as np
import pandas as pd

from analysis import COHORT_CSV, DATA_DIR, clinical, engine, labels, paper
from analysis.formatting import apart_decimals, word_list
from analysis.published import agrees, bound_decimals, load
from analysis.published import entry as published_entry
from analysis.verdicts import HIT, INFEASIBLE, MISSED

Z95 = 1.959963984540054

#: Blocks of columns that move together when two patients exchange covariates (clinically
#: coupled values stay together: the liver block keeps Child-Pugh points consistent with their
#: components; the tumour-stage block keeps BCLC consistent with PVTT, extrahepatic spread and
#: ECOG; sex with height and weight; prior TACE with the refractory course, and only within the
#: same prior-TACE group of the survival comparison).
BLOCKS = {
    "age": ["age_years"],
    "sex": ["sex", "height_cm", "weight_kg"],
    "liver": [
        "bilirubin_mg_dl", "albumin_g_dl", "inr", "ascites", "encephalopathy", "child_pugh_score",
    ],
    "afp": ["afp_ng_ml"],
    "pivka": ["pivka2"],
    "ast": ["ast_u_l"],
    "alt": ["alt_u_l"],
    "crp": ["crp_mg_l"],
    "tumour_stage": [
        "pvtt", "bclc_stage", "ecog_ps", "refractory_vascular_invasion", "refractory_extrahepatic",
    ],
    "tumour_size": ["tumor_size_mm"],
    "tumour_number": ["tumor_number"],
    "prior_tace": ["prior_tace_sessions", "refractory_tace_sessions"],
}  # fmt: skip

#: Design columns (:func:`analysis.paper.design_matrix`) each block carries.
BLOCK_TERMS = {
    "age": ["age_years"], "sex": ["sex_female"],
    "liver": ["child_pugh_6", "child_pugh_7", "child_pugh_8", "albumin_le3", "albi_score"],
    "afp": ["afp_ng_ml"], "pivka": ["pivka2"], "ast": ["ast_gt40"], "alt": ["alt_u_l"],
    "crp": ["crp_gt3"], "tumour_stage": ["bclc_stage", "pvtt_vp1_2", "pvtt_vp3_4"],
    "tumour_size": ["tumor_size_mm"], "tumour_number": ["tumor_number_gt4"],
    "prior_tace": ["prior_tace_gt4"],
}  # fmt: skip

#: Univariate models that fit several dummies together (the others fit one term each).
GROUPED = (["child_pugh_6", "child_pugh_7", "child_pugh_8"], ["pvtt_vp1_2", "pvtt_vp3_4"])

#: Extra loss of a multivariable row whose HR leaves the printed interval or whose P crosses 0.05.
ROW_WEIGHT = 3.0
#: Weight of a multivariable cell relative to a univariate one.
MULTI_WEIGHT = 0.5
#: Steps, start and end temperature of the Cox phase.
STEPS = 12_000
T_START, T_END = 0.6, 0.01


@functools.lru_cache(maxsize=1)
def table2_cells() -> tuple[dict, ...]:
    """The printed Table 2 cells the calibration aims at: ``model`` (``uni``/``multi``), ``term``,
    ``stat`` (``hr``, ``lower``, ``upper``, ``p``), ``value``, ``decimals``, ``relation`` and
    ``se`` (the row's SE implied by its printed interval, the unit of the smooth distance).

    The cells are those :func:`analysis.paper.table2_feasibility` marks ``aimed``: its feasible
    cells, except in a row with two ways to give up equally many numbers where the verdict
    gives up the fewer cells and the calibration the numbers nearest to what the rest imply
    (:func:`analysis.paper.row_feasibility`'s ``nearest``). That is albumin ≤ 3 g/dL: in the
    multivariable row, 2.363 (1.341–4.160), P 0.006, the verdict gives up the interval (one
    cell) and the calibration the HR and P (two cells), keeping the interval, from which the HR
    lies 0.02 of a last digit and on which the albumin groups' death floors rest
    (:func:`analysis.paper.death_floors`); in the univariate row the calibration aims at the HR
    alone, the verdict keeps HR and P. The cohort was calibrated to these targets.

    Examples
    --------
    >>> cells = table2_cells()
    >>> sorted(c["stat"] for c in cells if c["term"] == "albumin_le3" and c["model"] == "multi")
    ['lower', 'upper']
    >>> [c["stat"] for c in cells if c["term"] == "albumin_le3" and c["model"] == "uni"]
    ['hr']
    """
    feas = paper.table2_feasibility().set_index("id")
    pub = load().set_index("id")
    out = []
    for term in paper.TERMS:
        for model in ("uni", "multi"):
            if model == "multi" and not term.multivariable:
                continue
            ids = {k: f"table2.{term.id}.{model}.{k}" for k in ("hr", "interval", "p")}
            if ids["interval"] not in pub.index:
                continue
            row = pub.loc[ids["interval"]]
            # the row's SE, floored: "1.000–1.000" (per ng/mL) implies an SE that rounds to 0
            se = max(paper.se_from_interval(float(row["lower"]), float(row["upper"])), 1e-4)
            for part, entry_id in ids.items():
                if entry_id not in pub.index or not bool(feas.loc[entry_id, "aimed"]):
                    continue
                e = pub.loc[entry_id]
                common = {"model": model, "term": term.id, "se": se, "id": entry_id}
                if part == "interval":
                    for stat, dec in zip(
                        ("lower", "upper"), bound_decimals(e["text"]), strict=True
                    ):
                        out.append(
                            {**common, "stat": stat, "value": float(e[stat]),
                             "decimals": int(dec), "relation": None}
                        )  # fmt: skip
                else:
                    rel = e["relation"] if isinstance(e["relation"], str) else None
                    z = _z_of_p(float(e["value"])) if part == "p" else math.nan
                    out.append(
                        {**common, "stat": part, "value": float(e["value"]),
                         "decimals": int(e["decimals"]), "relation": rel, "z": z}
                    )  # fmt: skip
    return tuple(out)


def multivariable_rows() -> dict:
    """term -> (printed lower, printed upper, printed P below 0.05) of the multivariable rows.

    Examples
    --------
    Table 2 prints AST's multivariable row as 1.005 (1.001–1.009), P below 0.05:

    >>> rows = multivariable_rows()
    >>> len(rows), rows["ast_gt40"]
    (11, (1.001, 1.009, True))
    """
    pub = load().set_index("id")
    out = {}
    for t in paper.MULTIVARIABLE_TERMS:
        iv = pub.loc[f"table2.{t}.multi.interval"]
        p = pub.loc[f"table2.{t}.multi.p"]
        out[t] = (float(iv["lower"]), float(iv["upper"]), float(p["value"]) < 0.05)
    return out


#: Largest log hazard ratio or log bound exponentiated when a cell is scored: a diverging fit
#: (monotone likelihood) can reach bounds beyond the range of ``exp``; capped, they still print
#: nothing that Table 2 prints, and no overflow is raised or warned about.
EXP_CAP = 700.0


def cell_miss(beta: float, se: float, cell: dict) -> float:
    """0 when the fit prints the cell; else 0.5 plus a smooth distance (log-HR in SE units, or
    z units for P).

    Examples
    --------
    A cell printed "2.0" with a row SE of 0.3: HR 2 prints it; HR 2.2 misses by
    0.5 + ln(2.2 / 2) / 0.3 = 0.818.

    >>> import math
    >>> cell = {"stat": "hr", "value": 2.0, "decimals": 1, "relation": None, "se": 0.3}
    >>> cell_miss(math.log(2.0), 0.3, cell), round(cell_miss(math.log(2.2), 0.3, cell), 3)
    (0.0, 0.818)
    """
    if not (math.isfinite(beta) and math.isfinite(se) and se > 0):
        return 10.0
    return _miss_of_code(beta, se, _cell_code(cell))


#: The last miss per cell: ``id(cell) -> (cell, beta, se, miss)`` (the cell is held, so its
#: id is not reused while it is here); a search refits a few models per step, so most cells see
#: the same estimates again.
_MISS_MEMO: dict = {}


#: ``math.sqrt(2.0)``, once (the same float).
_SQRT2 = math.sqrt(2.0)
#: :func:`_miss_code` per cell: ``id(cell) -> (cell, code)`` (the cell held, as in
#: :data:`_MISS_MEMO`).
_MISS_CODES: dict = {}


def _miss_code(cell: dict) -> tuple:
    """:func:`cell_miss`'s constants of ``cell``, once: (kind, value, rounding scale, printed
    value in units of its last digit, z or log value, distance unit); kind 0 P below a bound, 1
    P printed, 2 HR, 3 lower bound, 4 upper bound. Raises KeyError on another stat, as
    :func:`cell_miss` does."""
    got = _MISS_CODES.get(id(cell))
    if got is not None and got[0] is cell:
        return got[1]
    code = _cell_code(cell)
    if len(_MISS_CODES) > 4096:
        _MISS_CODES.clear()
    _MISS_CODES[id(cell)] = (cell, code)
    return code


def _cell_code(cell: dict) -> tuple:
    """:func:`_miss_code` of ``cell``, made afresh (:func:`cell_miss`: a cell it is given may be
    a dictionary that changes)."""
    stat, value, decimals = cell["stat"], cell["value"], cell["decimals"]
    scale = 10.0**decimals
    printed = round(value * scale)
    if stat == "p":
        kind = 0 if cell["relation"] == "<" else 1
        code = (kind, value, scale, printed, cell["z"], 1.0)
    else:
        kind = {"hr": 2, "lower": 3, "upper": 4}[stat]
        code = (kind, value, scale, printed, math.log(max(value, 1e-6)), cell["se"])
    return code


def _miss_of_code(beta: float, se: float, code: tuple) -> float:
    """:func:`cell_miss` from :func:`_miss_code` (its one implementation: the hot loops of
    :func:`table2_loss` and :func:`_cell_miss_memo` take the constants from the cache)."""
    if not (math.isfinite(beta) and math.isfinite(se) and se > 0):
        return 10.0
    kind, value, scale, printed, aim, unit = code
    if kind < 2:
        z = abs(beta) / se
        p = math.erfc(z / _SQRT2)
        if kind == 0:
            ok = p < value
        else:  # the printed digits
            ok = math.isfinite(p) and math.floor(p * scale + 0.5 + 1e-9) == printed
        return 0.0 if ok else 0.5 + abs(z - aim)
    x = beta if kind == 2 else beta - Z95 * se if kind == 3 else beta + Z95 * se
    e = math.exp(min(x, EXP_CAP))
    if math.isfinite(e) and math.floor(e * scale + 0.5 + 1e-9) == printed:
        return 0.0
    return 0.5 + abs(x - aim) / unit


def _cell_miss_memo(beta: float, se: float, cell: dict) -> float:
    """:func:`cell_miss`, remembered per cell for its last estimates (the same value)."""
    m = _MISS_MEMO.get(id(cell))
    if m is not None and m[0] is cell and m[1] == beta and m[2] == se:
        return m[3]
    d = _miss_of_code(beta, se, _miss_code(cell))
    if len(_MISS_MEMO) > 4096:
        _MISS_MEMO.clear()
    _MISS_MEMO[id(cell)] = (cell, beta, se, d)
    return d


def _z_of_p(p: float) -> float:
    from scipy.special import ndtri

    # scipy.stats.norm.isf(p / 2), bit for bit (+ 0.0 as scipy adds loc: 0.0, not -0.0, at p = 1)
    return float(-ndtri(p / 2.0) + 0.0)


class _RiskSets:
    """Breslow Newton-Raphson on fixed survival data: the risk sets are sorted once, so a fit
    after two patients exchange covariates costs a few cumulative sums (the calibration's hot
    loop; :func:`analysis.engine.cox_breslow` gives the same estimates)."""

    def __init__(self, time, event):
        t = np.asarray(time, float)
        self.order = np.argsort(t, kind="stable")
        ts = t[self.order]
        self.first = np.searchsorted(ts, ts, side="left")
        self.ev = np.asarray(event, float)[self.order] > 0
        #: the deaths' sorted rows, as indices (``take`` gathers the rows ``ev`` selects)
        self.ev_rows = np.flatnonzero(self.ev)

        self.at = self.first[self.ev]  # first sorted row of each death's risk set
        self.back = t.size - 1 - self.at  # the same row counted from the last
        #: per number of covariates p: :meth:`moments`' row buffer and its views, and the
        #: column index that lays ``xs`` out as ``xs[:, b]`` at column ``a * p + b``
        self.buffers: dict = {}

    def tiled(self, xs):
        """``xs`` (n, p) repeated p times side by side: column ``a * p + b`` is ``xs[:, b]``
        (the second factor of :meth:`moments`' ``w x x'``; a fit passes it once for its
        iterations)."""
        return xs[:, self._buffer(xs.shape[0], xs.shape[1])[4]]

    def _buffer(self, n: int, p: int) -> tuple:
        got = self.buffers.get(p)
        if got is None or got[0].shape[0] != n:
            # 1 + p + p * p columns, an odd number: a last column of zeros pads them
            rows = np.zeros((n, 2 + p + p * p))  # C order, as viewing pairs as complex needs
            got = self.buffers[p] = (
                rows, rows[:, 1 : 1 + p], rows[:, 1 + p : -1],
                rows.view(np.complex128)[::-1], np.tile(np.arange(p), p),
            )  # fmt: skip
        return got

    def moments(self, w, xs, tiled=None):
        """Each death's sums over its risk set of the weights ``w`` (n,), of ``w x`` and of
        ``w x x'`` (``xs``: (n, p), sorted by time): ``s0`` (deaths,), ``s1`` (deaths, p) and
        ``s2`` (deaths, p, p; C order), bit for bit each moment's ``np.cumsum`` from the last
        row read at the death's first row (the second moments only where a risk set starts:
        one outer product per row, summed from the end).

        The moments are laid side by side, two columns per complex number, and summed by one
        cumulative sum: complex addition adds the real and the imaginary parts apart, so each
        column gets exactly the additions of its own cumulative sum, in the same order, about
        twice as fast (a cumulative sum down the rows waits for each addition before the next).
        The rows are written into a buffer kept per p; ``w x x'`` is ``w x`` with each column
        repeated p times times :meth:`tiled` (``tiled``: given by a fit, once), the products
        ``(w x_a) x_b`` of ``wx[:, :, None] * xs[:, None, :]`` in the same places, in fewer and
        longer loops.
        """
        n, p = xs.shape
        rows, wx, wxx, from_last, tile = self._buffer(n, p)
        rows[:, 0] = w
        np.multiply(w[:, None], xs, out=wx)
        np.multiply(wx.repeat(p, axis=1), xs[:, tile] if tiled is None else tiled, out=wxx)
        sums = from_last.cumsum(axis=0).view(np.float64)[self.back]
        s2 = np.ascontiguousarray(sums[:, 1 + p : -1]).reshape(-1, p, p)
        return sums[:, 0], sums[:, 1 : 1 + p], s2

    def score_information(self, xs, beta, xe, tiled=None):
        """The Breslow log partial likelihood's gradient and information at ``beta`` (``xs``:
        (n, p), sorted by time; ``xe``: the deaths' covariate sums; ``tiled``: as
        :meth:`moments`), as :meth:`fit` and :func:`_newton_once` step from them."""
        # engine.matvec's products summed by the reduction its .sum(axis=-1) calls
        eta = np.add.reduce(np.multiply(xs, beta), axis=-1)
        w = np.exp(np.subtract(eta, np.maximum.reduce(eta), out=eta), out=eta)
        s0, s1, s2 = self.moments(w, xs, tiled)
        m1 = s1 / s0[:, None]
        grad = xe - np.add.reduce(m1, axis=0)
        return grad, np.einsum("kij,k->ij", s2, 1.0 / s0) - engine.gram(m1)

    def fit(self, xs, beta0=None, tol=1e-9, max_iter=30):
        """``xs``: covariates in sorted order, shape (n, p). Returns (beta, se, converged)."""
        # the column means, by mean's own reduction and division (the same bits, less overhead)
        xs = xs - np.add.reduce(xs, axis=0) / xs.shape[0]
        p = xs.shape[1]
        if p == 1:
            return self._fit1(xs[:, 0], 0.0 if beta0 is None else float(beta0[0]), tol, max_iter)
        beta = np.zeros(p) if beta0 is None else beta0.copy()
        xe = np.add.reduce(xs[self.ev], axis=0)
        tiled = self.tiled(xs)
        for _ in range(max_iter):
            grad, info = self.score_information(xs, beta, xe, tiled)
            try:  # the step and the covariance (the SEs at the last iterate) in one elimination
                step, cov = engine.solve_symmetric(info, grad, inverse=True)
            except np.linalg.LinAlgError:
                return beta, np.full(p, np.nan), False
            # the ufuncs np.all, np.clip and np.max call (less overhead): .all() is
            # logical_and.reduce, and on the finite step clip(-5, 5) is maximum then minimum
            if not np.logical_and.reduce(np.isfinite(step)):
                return beta, np.full(p, np.nan), False
            beta = beta + np.minimum(np.maximum(step, -5.0), 5.0)
            if np.maximum.reduce(np.abs(step)) < tol:
                break
        else:
            return beta, np.full(p, np.nan), False
        return beta, np.sqrt(np.maximum(cov.diagonal(), 0.0)), True

    def _fit1(self, x, beta, tol, max_iter):
        """:meth:`fit` for one covariate, with scalar Newton steps (the same iteration).

        The three risk-set sums are taken by one cumulative sum of the rows w, w x and w x²
        from the last patient, read at :attr:`back`: a cumulative sum along an axis adds each
        row in sequence, so every sum has the bits of its own ``np.cumsum``. The three sums over
        the deaths (``s2 / s0``, ``xe - m1``, ``m1 * m1``) are likewise one reduction of three
        contiguous rows along the last axis, each row summed (pairwise) as its own ``.sum()``."""
        xe = x.take(self.ev_rows)
        rows = np.empty((3, x.size))
        from_last = rows[:, ::-1]
        terms = np.empty((3, xe.size))
        row0, row1, row2 = rows  # the rows' and terms' views, once for the iterations
        term0, term1, term2 = terms
        info = 1.0
        for _ in range(max_iter):
            eta = np.multiply(x, beta, out=row0)
            w = np.exp(np.subtract(eta, np.maximum.reduce(eta), out=eta), out=eta)
            wx = np.multiply(w, x, out=row1)
            np.multiply(wx, x, out=row2)
            s0, s1, s2 = from_last.cumsum(axis=1).take(self.back, axis=1)
            m1 = np.divide(s1, s0, out=term1)
            np.divide(s2, s0, out=term0)
            np.multiply(m1, m1, out=term2)
            np.subtract(xe, m1, out=term1)
            s_info, grad, s_m1 = np.add.reduce(terms, axis=1).tolist()
            info = s_info - s_m1
            if not (info != 0.0 and math.isfinite(info)):
                return np.array([beta]), np.array([math.nan]), False
            step = grad / info
            if not math.isfinite(step):
                return np.array([beta]), np.array([math.nan]), False
            beta = beta + min(max(step, -5.0), 5.0)
            if abs(step) < tol:
                break
        else:
            return np.array([beta]), np.array([math.nan]), False
        se = math.sqrt(max(1.0 / info, 0.0)) if info > 0 else math.inf
        return np.array([beta]), np.array([se]), True


class Table2Fits:
    """The Table 2 models on one design matrix (survival data fixed), with cached fits.

    Examples
    --------
    Four deaths, ``age_years`` a 0/1 column here: without ties Breslow's estimate is Efron's,
    0.9406 (see :class:`analysis.engine.CoxFit`).

    >>> design = pd.DataFrame({"os_months": [1, 2, 3, 4], "os_event": [1, 1, 1, 1], "age_years": [1, 0, 1, 0]})
    >>> fits = Table2Fits(design)
    >>> beta, se = fits.fit([("age_years",)])[("uni", "age_years")]
    >>> round(beta, 4), round(se, 4)
    (0.9406, 1.2403)
    >>> fits.swap(0, 1, [fits.idx["age_years"]])   # patients 0 and 1 exchange their values

    Now the deaths come in the order 0, 1, 1, 0: exp(beta) solves h² = h + 1, the golden ratio
    (as in :func:`analysis.survival.univariate_cox`):

    >>> round(fits.fit([("age_years",)])[("uni", "age_years")][0], 4), round(math.log((1 + 5**0.5) / 2), 4)
    (0.4812, 0.4812)
    """

    def __init__(self, design: pd.DataFrame):
        self.columns = [c for c in design.columns if c not in ("os_months", "os_event")]
        self.idx = {c: k for k, c in enumerate(self.columns)}
        self.risk = _RiskSets(design["os_months"], design["os_event"])
        self.x = design[self.columns].to_numpy(float)[self.risk.order].copy()  # sorted by time
        self.pos = np.empty(len(design), dtype=np.int64)  # patient -> sorted row
        self.pos[self.risk.order] = np.arange(len(design))
        grouped = [g for g in GROUPED if all(c in self.idx for c in g)]
        in_group = {c for g in grouped for c in g}
        self.uni_models = [(c,) for c in self.columns if c not in in_group] + [
            tuple(g) for g in grouped
        ]
        self.multi = [c for c in paper.MULTIVARIABLE_TERMS if c in self.idx]
        self.fits: dict = {}
        self.beta: dict = {}
        #: per model: its design columns and its estimates at its last fit (a model whose
        #: columns an exchange left alone is not refitted)
        self.last: dict = {}
        #: per model: (its terms, their design columns as an index array, "uni" or "multi"),
        #: made once (the same columns as a list of indices selects)
        self.plans: dict = {}

    def models_of(self, block: str) -> list:
        cols = set(BLOCK_TERMS[block])
        out = [m for m in self.uni_models if cols & set(m)]
        if cols & set(self.multi):
            out.append(("multi",))
        return out

    def swap(self, i: int, j: int, ix: list) -> None:
        """Exchange the design values ``ix`` of patients ``i`` and ``j``."""
        a, b = self.pos[i], self.pos[j]
        x = self.x  # two rows' columns ix, read before either is written (no np.ix_)
        x[a, ix], x[b, ix] = x[b, ix], x[a, ix]

    def fit(self, models=None) -> dict:
        """Refit ``models`` (all when None); returns ``(model, term) -> (beta, se)``."""
        todo = self.uni_models + [("multi",)] if models is None else models
        with np.errstate(all="ignore"):
            for m in todo:
                plan = self.plans.get(m)
                if plan is None:
                    cols = self.multi if m == ("multi",) else list(m)
                    ix = np.array([self.idx[c] for c in cols], dtype=np.intp)
                    plan = self.plans[m] = (cols, ix, "multi" if m == ("multi",) else "uni")
                cols, ix, model = plan
                xs = self.x[:, ix]
                last = self.last.get(m)
                # np.array_equal's test (same shape, every element ==), without its wrapper
                if last is not None and last[0].shape == xs.shape and (last[0] == xs).all():
                    # the same columns as at the model's last fit: the same estimates
                    self.fits.update(last[1])
                    if last[2] is not None:
                        self.beta[m] = last[2]
                    continue
                beta, se, ok = self.risk.fit(xs, self.beta.get(m))
                if not ok:
                    beta, se, ok = self.risk.fit(xs)
                if ok:
                    self.beta[m] = beta
                out = {  # tolist: the same Python floats as float() of each element
                    (model, c): (b, s)
                    for c, b, s in zip(cols, beta.tolist(), se.tolist(), strict=True)
                }
                self.fits.update(out)
                self.last[m] = (xs, out, beta if ok else None)
        return self.fits


#: :func:`table2_loss`'s per-cell keys, weights and :func:`_miss_code` for a tuple of cells,
#: once: ``id(cells) -> (cells, plan)`` (the tuple held, so its id is not reused while it is
#: here).
_LOSS_PLANS: dict = {}


def table2_loss(fits: dict, cells: list, rows: dict) -> tuple[float, int]:
    """(loss, number of cells printed) over ``cells`` plus the multivariable-row penalty.

    Examples
    --------
    >>> import math
    >>> cell = {"model": "uni", "term": "x", "stat": "hr", "value": 2.0, "decimals": 1, "relation": None, "se": 0.3}
    >>> table2_loss({("uni", "x"): (math.log(2.0), 0.3)}, [cell], {})   # (loss, cells printed)
    (0.0, 1)
    """
    total, hits = 0.0, 0
    memo = _MISS_MEMO.get
    missing = (math.nan, math.nan)
    plan = _LOSS_PLANS.get(id(cells))
    if plan is None or plan[0] is not cells:
        plan = (cells, [
            (c, id(c), (c["model"], c["term"]), MULTI_WEIGHT if c["model"] == "multi" else 1.0,
             _miss_code(c))
            for c in cells
        ])  # fmt: skip
        if isinstance(cells, tuple):  # kept only for a sequence that cannot change
            if len(_LOSS_PLANS) > 64:
                _LOSS_PLANS.clear()
            _LOSS_PLANS[id(cells)] = plan
    for c, key, fit_key, weight, code in plan[1]:
        b, s = fits.get(fit_key, missing)
        m = memo(key)  # _cell_miss_memo's lookup, inline (the loss's hot loop)
        if m is not None and m[0] is c and m[1] == b and m[2] == s:
            d = m[3]
        else:
            d = _miss_of_code(b, s, code)
            if len(_MISS_MEMO) > 4096:
                _MISS_MEMO.clear()
            _MISS_MEMO[key] = (c, b, s, d)
        hits += d == 0.0
        total += d * weight
    for term, (lo, up, significant) in rows.items():
        b, s = fits.get(("multi", term), missing)
        if not (math.isfinite(b) and math.isfinite(s) and s > 0):
            total += 10.0
            continue
        hr = math.exp(b)
        p = math.erfc(abs(b) / s / _SQRT2)
        inside = lo - 0.0005 <= hr < up + 0.0005
        if not inside:
            total += ROW_WEIGHT + abs(math.log(hr) - math.log(min(max(hr, lo), up)))
        if (p < 0.05) != significant:
            total += ROW_WEIGHT + abs(abs(b) / s - Z95)
    return total, hits


def _block_search(df: pd.DataFrame):
    """The starting state of a search over block exchanges (:func:`anneal_table2`,
    :func:`polish_table2`): the target cells and rows, the fits of the unchanged cohort, the
    blocks with a Table 2 term, their design columns and models, identity permutations, and the
    starting loss."""
    cells = table2_cells()
    rows = multivariable_rows()
    fits = Table2Fits(paper.design_matrix(df, "implied"))
    names = [b for b in BLOCKS if any(c in fits.idx for c in BLOCK_TERMS[b])]
    terms = {b: [fits.idx[c] for c in BLOCK_TERMS[b] if c in fits.idx] for b in names}
    models = {b: fits.models_of(b) for b in names}
    perm = {b: np.arange(len(df)) for b in names}
    start = table2_loss(fits.fit(), cells, rows)[0]
    return cells, rows, fits, names, terms, models, perm, start


def _permuted(df: pd.DataFrame, perm: dict) -> pd.DataFrame:
    """``df`` with each block's columns rearranged by its permutation."""
    out = df.copy()
    for b, p in perm.items():
        cols = BLOCKS[b]
        out[cols] = df[cols].to_numpy()[p]
    return out


def anneal_table2(
    df: pd.DataFrame,
    rng: np.random.Generator,
    *,
    steps: int = STEPS,
    t_start: float = T_START,
    t_end: float = T_END,
) -> tuple[pd.DataFrame, float, float]:
    """Exchange covariate blocks between patients to reproduce Table 2.

    Moves exchange one block of :data:`BLOCKS` between two patients (prior TACE only within its
    2-4 / > 4 group); nothing else changes, so no other target moves. Simulated annealing on
    :func:`table2_loss` with geometric cooling from ``t_start`` to ``t_end``; the best state
    wins: the most multivariable rows agreeing (:func:`rows_agreeing`), then the lowest loss (a
    row the search lost on the way is not traded for cells). Returns the permuted frame, the loss before and the loss after.

    Examples
    --------
    A few steps only (the synthesis runs :data:`STEPS`); the best state wins, so from a cohort
    whose rows all agree the loss never rises:

    >>> from analysis.cohort import load_cohort
    >>> frame, before, after = anneal_table2(load_cohort(), np.random.default_rng(1), steps=5)
    >>> len(frame), after <= before
    (82, True)
    """
    cells, rows, fits, names, terms, models, perm, start = _block_search(df)
    n, cur = len(df), start
    # each block's design columns as an index array, once (the same columns as the list)
    terms = {b: np.array(ix, dtype=np.intp) for b, ix in terms.items()}
    best_loss, best_perm = cur, {b: p.copy() for b, p in perm.items()}
    best_rows = rows_agreeing(fits.fits, rows)
    many = df["prior_tace_sessions"].to_numpy() > 4
    decay = (t_end / t_start) ** (1.0 / max(steps - 1, 1))
    temp = t_start
    for _ in range(steps):
        temp *= decay
        block = names[rng.integers(len(names))]
        i, j = rng.integers(n, size=2)
        if block == "prior_tace":
            same = np.flatnonzero(many == many[i])
            j = same[rng.integers(same.size)]
        ix = terms[block]
        # np.array_equal's test on two rows of one shape, without its wrapper
        if i == j or (fits.x[fits.pos[i], ix] == fits.x[fits.pos[j], ix]).all():
            continue
        fits.swap(i, j, ix)
        saved, saved_beta = dict(fits.fits), dict(fits.beta)
        new = table2_loss(fits.fit(models[block]), cells, rows)[0]
        if new <= cur or rng.random() < math.exp(-(new - cur) / temp):
            cur = new
            p = perm[block]
            p[i], p[j] = p[j], p[i]
            agree = rows_agreeing(fits.fits, rows)
            if (agree, -cur) > (best_rows, -best_loss):
                best_loss, best_rows = cur, agree
                best_perm = {b: q.copy() for b, q in perm.items()}
        else:
            fits.swap(i, j, ix)
            fits.fits, fits.beta = saved, saved_beta
    return _permuted(df, best_perm), start, best_loss


def table2_hits(df: pd.DataFrame) -> tuple[int, int]:
    """(cells printed, feasible cells) of a cohort under Breslow ties (the calibration's view).

    Examples
    --------
    >>> from analysis.cohort import load_cohort
    >>> printed, feasible = table2_hits(load_cohort())
    >>> 0 < printed <= feasible
    True
    """
    cells = table2_cells()
    fits = _fitted(df)
    return table2_loss(fits, cells, multivariable_rows())[1], len(cells)


# ------------------------------------------------------------------------ greedy polish


def _batched_fit(risk: _RiskSets, xs: np.ndarray, beta0: np.ndarray, iters: int = 5):
    """Breslow Newton-Raphson for ``K`` designs at once: ``xs`` (K, n, p) in sorted order,
    started at ``beta0`` (p,). Returns ``beta`` (K, p) and ``se`` (K, p) (SE from the
    information at the last iterate; a screening estimate, refitted exactly when chosen)."""
    with np.errstate(all="ignore"):  # a degenerate candidate gives nan, scored as a miss
        return _batched_newton(risk, xs, beta0, iters)


def _batched_newton(risk: _RiskSets, xs: np.ndarray, beta0: np.ndarray, iters: int):
    xs = xs - xs.mean(axis=1, keepdims=True)
    k, n, p = xs.shape
    beta = np.broadcast_to(beta0, (k, p)).copy()
    at, ev = risk.at, risk.ev
    xe = xs[:, ev]  # the deaths' covariates
    # per sorted patient (row): w, w x (p) and w x x' (p * p), each a vector over the k designs;
    # the risk-set sums are added row by row from the last, each element as a cumulative sum
    # from the last row adds it (the same bits), each addition covering every design at once
    x_rows = xs.transpose(1, 2, 0).copy()  # (n, p, k)
    rows = np.empty((n, 1 + p + p * p, k))
    w_rows, wx_rows = rows[:, :1], rows[:, 1 : 1 + p]
    wxx_rows = rows[:, 1 + p :].reshape(n, p, p, k)
    cov = np.broadcast_to(np.eye(p), (k, p, p))
    row_of = list(rows)  # each row's view, made once for the additions below
    for it in range(iters):
        eta = np.einsum("knp,kp->kn", xs, beta)
        w = np.exp(eta - eta.max(axis=1, keepdims=True))
        w_rows[:, 0] = w.T
        np.multiply(w_rows, x_rows, out=wx_rows)
        np.multiply(wx_rows[:, :, None], x_rows[:, None], out=wxx_rows)
        for i in range(n - 2, -1, -1):
            np.add(row_of[i + 1], row_of[i], out=row_of[i])
        tails = rows[at]  # (deaths, moment, design)
        s0 = tails[:, 0]
        # m1 (k, deaths, p) laid out in memory as (deaths, k, p), as the fancy-indexed
        # cumulative sums it was computed from before: the sums over the deaths (the outermost
        # axis) below are taken in the same order
        m1 = np.empty((at.size, k, p)).swapaxes(0, 1)
        np.divide(tails[:, 1 : 1 + p].transpose(2, 0, 1), s0.T[:, :, None], out=m1)
        grad = (xe - m1).sum(axis=1)
        # the second moments' term, summed over the deaths (the outermost axis, as it was)
        s2 = (tails[:, 1 + p :] / s0[:, None]).sum(axis=0).T.reshape(k, p, p)
        info = s2 - np.einsum("kep,keq->kpq", m1, m1)
        try:  # the last step also gives the covariance at the last iterate
            if it + 1 < iters:
                step = engine.solve_symmetric(info, grad)
            else:
                step, cov = engine.solve_symmetric(info, grad, inverse=True)
        except np.linalg.LinAlgError:
            step, cov = np.zeros_like(beta), None
        step = np.nan_to_num(np.clip(step, -5, 5))
        beta = beta + step
    if cov is None:
        return beta, np.full_like(beta, np.nan)
    return beta, np.sqrt(np.clip(np.diagonal(cov, axis1=1, axis2=2), 0, None))


def _swapped_designs(fits, mix, ci, cj) -> np.ndarray:
    """One design per candidate exchange: the columns ``mix`` of ``fits.x`` (in risk-set order)
    with patients ``ci[k]`` and ``cj[k]`` exchanged in the k-th, for a batched fit."""
    base = fits.x[:, mix]
    xs = np.broadcast_to(base, (ci.size,) + base.shape).copy()
    a, b = fits.pos[ci], fits.pos[cj]
    k = np.arange(ci.size)
    xs[k, a], xs[k, b] = base[b], base[a]
    return xs


def _cell_miss_vec(beta: np.ndarray, se: np.ndarray, cell: dict) -> np.ndarray:
    """:func:`cell_miss` for arrays of fits."""
    from scipy.special import erfc

    bad = ~(np.isfinite(beta) & np.isfinite(se) & (se > 0))
    se = np.where(bad, 1.0, se)
    beta = np.where(bad, 0.0, beta)
    if cell["stat"] == "p":
        z = np.abs(beta) / se
        p = erfc(z / math.sqrt(2.0))
        if cell["relation"] == "<":
            ok = p < cell["value"]
        else:
            scale = 10.0 ** cell["decimals"]
            ok = np.floor(p * scale + 0.5 + 1e-9) == round(cell["value"] * scale)
        d = np.where(ok, 0.0, 0.5 + np.abs(z - cell["z"]))
    else:
        x = {"hr": beta, "lower": beta - Z95 * se, "upper": beta + Z95 * se}[cell["stat"]]
        scale = 10.0 ** cell["decimals"]
        ok = np.floor(np.exp(np.minimum(x, EXP_CAP)) * scale + 0.5 + 1e-9) == round(
            cell["value"] * scale
        )
        d = np.where(ok, 0.0, 0.5 + np.abs(x - math.log(max(cell["value"], 1e-6))) / cell["se"])
    return np.where(bad, 10.0, d)


#: Sweeps of the greedy polish over the blocks, and the candidates per block refitted exactly.
POLISH_SWEEPS = 3
SHORTLIST = 4


def polish_table2(
    df: pd.DataFrame, *, sweeps: int = POLISH_SWEEPS, shortlist: int = SHORTLIST
) -> tuple[pd.DataFrame, float, float]:
    """Steepest descent over every exchange of one block between two patients.

    For each block in turn every admissible exchange (different values; prior TACE within its
    group) is screened at once by a batched Newton-Raphson of the block's univariate models;
    the ``shortlist`` best are refitted exactly together with the multivariable model and the
    best one is taken if it lowers :func:`table2_loss` without losing a multivariable row
    (:func:`rows_agreeing`). Deterministic (no random numbers).
    Returns the frame, the loss before and the loss after.

    Examples
    --------
    With no sweep nothing is exchanged:

    >>> from analysis.cohort import load_cohort
    >>> frame, before, after = polish_table2(load_cohort(), sweeps=0)
    >>> before == after, len(frame)
    (True, 82)
    """
    cells, rows, fits, names, terms, models, perm, start = _block_search(df)
    n, cur = len(df), start
    cur_rows = rows_agreeing(fits.fits, rows)
    many = df["prior_tace_sessions"].to_numpy() > 4
    ii, jj = np.triu_indices(n, 1)
    for _ in range(sweeps):
        improved = False
        for block in names:
            ix = terms[block]
            xp = fits.x[:, ix][fits.pos]  # patient order
            differ = np.any(xp[ii] != xp[jj], axis=1)
            if block == "prior_tace":
                differ &= many[ii] == many[jj]
            ci, cj = ii[differ], jj[differ]
            if ci.size == 0:
                continue
            score = np.zeros(ci.size)
            for m in models[block]:
                if m == ("multi",):
                    continue
                cols = list(m)
                mix = [fits.idx[c] for c in cols]
                xs = _swapped_designs(fits, mix, ci, cj)
                beta, se = _batched_fit(fits.risk, xs, fits.beta.get(m, np.zeros(len(cols))))
                for c in cells:
                    if c["model"] == "uni" and c["term"] in cols:
                        score += _cell_miss_vec(beta[:, cols.index(c["term"])],
                                                se[:, cols.index(c["term"])], c)  # fmt: skip
            best = None
            for k in np.argsort(score, kind="stable")[:shortlist]:
                i, j = int(ci[k]), int(cj[k])
                saved, saved_beta = dict(fits.fits), dict(fits.beta)
                fits.swap(i, j, ix)
                new = table2_loss(fits.fit(models[block]), cells, rows)[0]
                agree = rows_agreeing(fits.fits, rows)
                fits.swap(i, j, ix)
                fits.fits, fits.beta = saved, saved_beta
                if agree < cur_rows:  # never a row for cells
                    continue
                if new < cur - 1e-12 and (best is None or new < best[0]):
                    best = (new, i, j, agree)
            if best is not None:
                cur, i, j, cur_rows = best
                fits.swap(i, j, ix)
                fits.fit(models[block])
                p = perm[block]
                p[i], p[j] = p[j], p[i]
                improved = True
        if not improved:
            break
    return _permuted(df, perm), start, cur


# ------------------------------------------------------------------------------- verdicts


def _fitted(df: pd.DataFrame) -> dict:
    """``(model, term) -> (beta, se)`` of every Table 2 model (Breslow ties)."""
    return Table2Fits(paper.design_matrix(df, "implied")).fit()


def _truncates_to(p: float, entry) -> bool:
    """Does P, cut after the printed decimals (no rounding), print as the entry's P?

    >>> e = published_entry("table2.sex_female.uni.p")  # printed 0.96
    >>> _truncates_to(0.9699, e), _truncates_to(0.9599, e)
    (True, False)
    """
    if not math.isfinite(p):
        return False
    if entry.relation == "<":
        return p < entry.value
    step = 10 ** -int(entry.decimals)
    return math.isclose(math.floor(p / step + 1e-9) * step, entry.value, abs_tol=step / 10)


def table2_verdicts(
    df: pd.DataFrame, *, p_rounding: str = "half-up", same_split_logrank: bool = True
) -> pd.DataFrame:
    """Every distinct printed Table 2 number (HR, interval, P; reference rows excluded; the same
    number printed in the text counted once) against the cohort under Breslow ties, Wald.

    A number is ``hit`` when the fit prints it (half-up rounding at the printed precision, both
    bounds for an interval), ``infeasible`` when :func:`analysis.paper.table2_feasibility` says
    no Wald row can print it, or when it contradicts Table 2's own version (the abstract's
    0.151), else ``missed``. ``p_rounding`` and ``same_split_logrank`` are another reading of the
    printed numbers (:func:`analysis.paper.table2_feasibility`): with ``"truncated"`` a P is
    also a hit when it prints truncated, not rounded, as the paper's
    (:func:`analysis.synthesis.reading_counts`).

    Returns
    -------
    pandas.DataFrame
        ``id``, ``block`` (``table2_univariate``/``table2_multivariable``), ``published``,
        ``computed`` and ``verdict``.

    Examples
    --------
    >>> from analysis.cohort import load_cohort
    >>> verdicts = table2_verdicts(load_cohort())
    >>> verdicts.columns.tolist()
    ['id', 'block', 'published', 'computed', 'verdict']
    >>> verdicts.loc[0, ["id", "published"]].tolist()
    ['table2.age_years.uni.hr', '0.996']
    """
    fits = _fitted(df)
    feas = paper.table2_feasibility(
        p_rounding=p_rounding, same_split_logrank=same_split_logrank
    ).set_index("id")
    pub = load()
    pub = pub[
        pub["quantity"].str.startswith("hr_")
        & pub["kind"].isin(["hr", "interval", "p"])
        & ~pub["reference"].fillna(False).astype(bool)
    ]
    pub = pd.concat([pub[pub["location"] == "table2"], pub[pub["location"] != "table2"]])
    table_text = {
        (r.quantity, r.kind): r.text for r in pub[pub["location"] == "table2"].itertuples()
    }
    rows, seen = [], set()
    for r in pub.itertuples(index=False):
        key = (r.quantity, r.kind, r.text)
        if key in seen:
            continue
        seen.add(key)
        uni = r.quantity.endswith("_uni")
        term = r.quantity[3:-4] if uni else r.quantity[3:]
        b, s = fits.get(("uni" if uni else "multi", term), (math.nan, math.nan))
        hr, lo, up = math.exp(b), math.exp(b - Z95 * s), math.exp(b + Z95 * s)
        p = math.erfc(abs(b / s) / math.sqrt(2.0)) if s > 0 else math.nan
        value = {"hr": hr, "interval": (lo, up), "p": p}[r.kind]
        ok = bool(agrees(value, r.id)) if np.all(np.isfinite(value)) else False
        if r.kind == "p" and p_rounding == "truncated":
            ok = _truncates_to(p, published_entry(r.id))
        contradicted = table_text.get((r.quantity, r.kind), r.text) != r.text
        infeasible = contradicted or (r.id in feas.index and not bool(feas.loc[r.id, "feasible"]))
        shown = (
            f"{lo:.3f}–{up:.3f}"
            if r.kind == "interval"
            else (f"{p:.4f}" if r.kind == "p" else f"{hr:.3f}")
        )
        rows.append(
            {
                "id": r.id, "block": "table2_univariate" if uni else "table2_multivariable",
                "published": r.text, "computed": shown,
                "verdict": HIT if ok else (INFEASIBLE if infeasible else MISSED),
            }
        )  # fmt: skip
    return pd.DataFrame(rows)


#: Why the cohort misses a feasible univariate cell (:func:`missed_cell_reasons`): its deaths
#: per group rule the cell out, whatever its survival times (exact).
OUT_OF_REACH = "not printable with this cohort's deaths"
#: A hazard ratio the cohort's deaths rule out beside the row's P that it prints (exact); with
#: other survival times, and another P, it might print.
OUT_OF_REACH_WITH_P = "not printable beside the P this cohort prints"
#: None of the checks of :func:`missed_cell_reasons` rules the cell out; the calibration's search
#: did not reach it.
NOT_REACHED = "not reached by the search"
#: The categories in the order :func:`missed_cell_reasons` counts them (the paper's own first).
MISS_CATEGORIES = (
    paper.CONTRADICTED, paper.EARLY_CENSORING, OUT_OF_REACH, OUT_OF_REACH_WITH_P, NOT_REACHED
)  # fmt: skip


def missed_cell_reasons(df: pd.DataFrame, verdicts: pd.DataFrame | None = None) -> pd.DataFrame:
    """A computed reason for every feasible univariate Table 2 cell a cohort misses.

    The cells come from :func:`table2_verdicts` (``missed``: feasible, not printed). Each gets
    the first of these that applies:

    1. :data:`OUT_OF_REACH` (exact, this cohort): a 0/1 or category row's deaths per group
       give ``1/d₁ + 1/d₀`` above the largest SE² its interval allows
       (:func:`analysis.paper.death_floor_check`), whatever the survival times; or
       :data:`OUT_OF_REACH_WITH_P` (exact, given the P the cohort prints): above the largest SE²
       its HR allows together with that P (:func:`analysis.paper.se_readings`, ``"hr+p"``);
    2. the paper's own verdict (:func:`analysis.paper.approximate_conflicts`, printed numbers
       only): :data:`analysis.paper.CONTRADICTED` or :data:`analysis.paper.EARLY_CENSORING`;
    3. :data:`NOT_REACHED`, with what the approximation says where it says something (the
       spread of a per-unit value, or the SE this cohort's deaths give a 0/1 row).

    Returns
    -------
    DataFrame
        ``id``, ``term``, ``cell``, ``printed``, ``category``, ``numbers`` and ``reason`` (plain
        sentences), in Table 2's order.

    Examples
    --------
    >>> from analysis.cohort import load_cohort
    >>> reasons = missed_cell_reasons(load_cohort())
    >>> reasons.set_index("id").loc["table2.bclc_stage.uni.interval", "category"]
    "not printable with this cohort's deaths"
    """
    verdicts = table2_verdicts(df) if verdicts is None else verdicts
    missed = verdicts[(verdicts["block"] == "table2_univariate") & (verdicts["verdict"] == MISSED)]
    hits = set(verdicts.loc[verdicts["verdict"] == HIT, "id"])
    conflicts = paper.approximate_conflicts()
    edge = conflicts.attrs["additional_tace"]["edge"]
    conflicts = conflicts.set_index("id")
    floors = paper.death_floor_check(df)
    floors = floors[floors["model"] == "uni"].set_index("term")
    dead = pd.to_numeric(df["os_event"]).to_numpy() == 1
    rows = []
    for r in missed.itertuples(index=False):
        _, term, _, part = r.id.split(".")
        paper_row = conflicts.loc[r.id] if r.id in conflicts.index else None
        cell = paper_row["cell"] if paper_row is not None else part
        category, numbers, reason = NOT_REACHED, "", ""
        if term in floors.index:  # a 0/1 or category row: what its deaths per group allow
            f = floors.loc[term]
            d1, d0 = int(f["cohort_deaths"]), int(f["cohort_deaths_ref"])
            se = float(f["cohort_se_floor"])
            name, ref = paper.group_names(term)
            groups = f"{d1} deaths in the {name} group and {d0} in the {ref} group,"
            hr_p = f"table2.{term}.uni.p" in hits and part == "hr"
            if part == "interval" and not bool(f["reachable"]):
                se_max = paper.printed_se_range(published_entry(r.id))[1]
                d = apart_decimals(se, se_max)  # two numbers compared never print equal
                category, numbers = OUT_OF_REACH, f"SE ≥ {se:.{d}f} > {se_max:.{d}f}"
                reason = (
                    f"With {groups} this cohort's standard error is at least {se:.{d}f} however "
                    f"its survival times are arranged; the printed interval needs at most "
                    f"{se_max:.{d}f}."
                )
            elif hr_p and se > paper.se_readings(term)["hr+p"][1]:
                se_max = paper.se_readings(term)["hr+p"][1]
                d = apart_decimals(se, se_max)
                category, numbers = (
                    OUT_OF_REACH_WITH_P, f"SE ≥ {se:.{d}f} > {se_max:.{d}f} (with P)"
                )  # fmt: skip
                reason = (
                    f"This cohort prints the row's P; with it the hazard ratio needs a standard "
                    f"error of at most {se_max:.{d}f}, but with {groups} its standard error is at "
                    f"least {se:.{d}f}. Other survival times, with another P, might print it."
                )
            elif part == "interval" or hr_p:
                lo, hi = (
                    paper.se_readings(term)["hr+p"] if hr_p
                    else paper.printed_se_range(published_entry(r.id))
                )  # fmt: skip
                side = "below" if se < lo else "above" if se > hi else "within"
                # below or above a bound it would print equal to: enough decimals to show which
                d = apart_decimals(se, lo if side == "below" else hi) if side != "within" else 3
                numbers = f"SE ≈ {se:.{d}f} vs {lo:.{d}f}–{hi:.{d}f}"
                what = (
                    "that the hazard ratio needs with the row's P" if hr_p
                    else "that the printed interval implies"
                )  # fmt: skip
                reason = (
                    f"With {groups} the usual approximation gives this cohort a standard error "
                    f"of {se:.{d}f}, {side} the {lo:.{d}f}–{hi:.{d}f} {what}"
                    + (": only risk sets whose make-up drifts over time widen it." if side == "below" else ".")
                )  # fmt: skip
        if category == NOT_REACHED and paper_row is not None:
            if paper_row["category"] != paper.NO_CONFLICT:
                category, numbers, reason = (
                    paper_row["category"], paper_row["numbers"], paper_row["reason"]
                )  # fmt: skip
                if category == paper.EARLY_CENSORING:
                    group, _ = paper.group_masks(df, term)
                    t = pd.to_numeric(df["os_months"]).to_numpy()
                    early = int((group & ~dead & (t < edge)).sum())
                    reason += (
                        f" This cohort has {int((group & dead).sum())} deaths among them and "
                        f"{early} censored before {edge:g} months."
                    )
            elif paper_row["reason"]:
                numbers = numbers or paper_row["numbers"]
                reason = (reason + " " if reason else "") + paper_row["reason"]
        if category == NOT_REACHED:
            reason = (reason + " " if reason else "") + (
                "None of the checks here rules this cell out; the calibration's search did not "
                "reach it."
            )
        rows.append(
            {"id": r.id, "term": term, "cell": cell, "printed": r.published,
             "category": category, "numbers": numbers, "reason": reason}
        )  # fmt: skip
    return pd.DataFrame(
        rows, columns=["id", "term", "cell", "printed", "category", "numbers", "reason"]
    )


def infeasible_hits(
    verdicts: pd.DataFrame, feasibility: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Table 2 cells :func:`analysis.paper.table2_feasibility` lists as infeasible (they cannot
    print together with the rest of their row) that a cohort prints all the same, so that
    :func:`table2_verdicts` counts them as hits, not as infeasible.

    A row's verdict is about its numbers together: the univariate sex row cannot print HR,
    interval and P 0.96 at once (under half-up rounding), but a cohort can print its P alone.
    The feasibility table then lists one cell more than the counts call infeasible. (The
    committed cohort prints none such.)

    Parameters
    ----------
    verdicts : DataFrame
        :func:`table2_verdicts` of the cohort.
    feasibility : DataFrame, optional
        :func:`analysis.paper.table2_feasibility` (default: computed).

    Returns
    -------
    DataFrame
        ``id``, ``term``, ``model``, ``cell`` and ``printed`` of each such cell, in Table 2's order.

    Examples
    --------
    >>> v = pd.DataFrame({"id": ["table2.albumin_le3.uni.p", "table2.sex_female.uni.p"],
    ...                   "verdict": [HIT, HIT]})
    >>> infeasible_hits(v)[["term", "model", "cell", "printed"]].values.tolist()
    [['sex_female', 'univariate', 'P', '0.96']]
    """
    feasibility = paper.table2_feasibility() if feasibility is None else feasibility
    hit = set(verdicts.loc[verdicts["verdict"] == HIT, "id"])
    out = feasibility[~feasibility["feasible"] & feasibility["id"].isin(hit)]
    return out[["id", "term", "model", "cell", "printed"]].reset_index(drop=True)


def infeasible_hits_sentence(
    verdicts: pd.DataFrame,
    counts: pd.DataFrame,
    table: str = "The feasibility table",
    counted_as: str = "the counts",
) -> str:
    """Sentences reconciling the feasibility summary's infeasible numbers
    (:func:`analysis.paper.feasibility_summary`, counted as the counts count them: reference rows
    left out, a version printed outside Table 2 that contradicts it in) with a cohort's counts
    (:func:`analysis.synthesis.target_counts`), per model where they differ: the cells the cohort
    prints though they cannot print with the rest of their row (counted as hits), and numbers
    counted infeasible that the summary does not. Empty when the two agree. ``table`` names the
    feasibility table (a chapter passes its cross-reference), ``counted_as`` the counts.

    Examples
    --------
    >>> v = pd.DataFrame({"id": ["table2.sex_female.uni.p"], "block": ["table2_univariate"],
    ...                   "published": ["0.96"], "verdict": [HIT]})
    >>> c = pd.DataFrame({"infeasible": [7, 2]}, index=["table2_univariate", "table2_multivariable"])
    >>> print(infeasible_hits_sentence(v, c))  # doctest: +NORMALIZE_WHITESPACE
    The feasibility table calls 8 univariate numbers infeasible, the counts 7: a cell that cannot
    print together with the rest of its row can still print on its own, and this cohort prints
    Sex: female, univariate P 0.96, counted as a hit.
    """
    feasibility = paper.table2_feasibility()
    outside = paper.outside_versions()
    summary = paper.feasibility_summary(feasibility, outside).set_index("model")
    bad = feasibility[~feasibility["feasible"]]
    hits = infeasible_hits(verdicts, feasibility)
    extra = verdicts[
        (verdicts["verdict"] == INFEASIBLE)
        & ~verdicts["id"].isin(bad["id"])
        & ~verdicts["id"].isin(outside["id"])
    ]
    out = []
    for model, block in (
        ("univariate", "table2_univariate"),
        ("multivariable", "table2_multivariable"),
    ):
        listed = int(summary.loc[model, "infeasible"])
        counted = int(counts.loc[block, "infeasible"])
        if listed == counted:
            continue
        lead = table if not out else "It"  # the table named once
        text = f"{lead} calls {listed} {model} numbers infeasible, {counted_as} {counted}"
        why = []
        printed = hits[hits["model"] == model]
        if len(printed):
            names = [
                f"{paper.fitted_label(r.term)}, {r.model} {r.cell} {r.printed}"
                for r in printed.itertuples(index=False)
            ]
            why.append(
                "a cell that cannot print together with the rest of its row can still print on "
                f"its own, and this cohort prints {word_list(names)}, counted as "
                + ("a hit" if len(names) == 1 else "hits")
            )
        added = extra[extra["block"] == block]
        if len(added):
            names = [
                f"{labels.term_label(r.id)} {r.published} (printed in the {r.id.split('.')[0]})"
                for r in added.itertuples(index=False)
            ]
            why.append(f"the counts also call {word_list(names)} infeasible")
        out.append(text + ": " + "; ".join(why) + ".")
    return " ".join(out)


def miss_category_counts(reasons: pd.DataFrame) -> dict:
    """Missed cells per category of :data:`MISS_CATEGORIES` (zeros included), from
    :func:`missed_cell_reasons`.

    Examples
    --------
    >>> miss_category_counts(pd.DataFrame({"category": [NOT_REACHED, NOT_REACHED]}))[NOT_REACHED]
    2
    """
    counts = reasons["category"].value_counts()
    return {c: int(counts.get(c, 0)) for c in MISS_CATEGORIES}


def multivariable_agreement(df: pd.DataFrame) -> pd.DataFrame:
    """Per multivariable term: does the HR fall inside the printed interval and P on the printed
    side of 0.05 (Breslow ties, Wald)? Columns ``term``, ``hr``, ``p``, ``agrees``.

    Examples
    --------
    >>> from analysis.cohort import load_cohort
    >>> agreement = multivariable_agreement(load_cohort())
    >>> agreement.columns.tolist(), len(agreement)
    (['term', 'hr', 'p', 'agrees'], 11)
    """
    fits = _fitted(df)
    out = []
    for term, (lo, up, significant) in multivariable_rows().items():
        b, s = fits.get(("multi", term), (math.nan, math.nan))
        hr = math.exp(b)
        p = math.erfc(abs(b / s) / math.sqrt(2.0)) if s > 0 else math.nan
        inside = lo - 0.0005 <= hr < up + 0.0005
        out.append(
            {"term": term, "hr": hr, "p": p, "agrees": bool(inside and (p < 0.05) == significant)}
        )
    return pd.DataFrame(out)


# ------------------------------------------------------------------------- hit-count polish


def _tallies(fits: dict, cells, rows: dict) -> tuple[int, int, int]:
    """(univariate entries printed, multivariable entries printed, multivariable rows
    agreeing); an interval counts once, when both of its bounds print."""
    printed: dict = {}
    for c in cells:
        b, s = fits.get((c["model"], c["term"]), (math.nan, math.nan))
        printed[(c["model"], c["id"])] = printed.get((c["model"], c["id"]), True) and (
            cell_miss(b, s, c) == 0.0
        )
    uni = sum(v for (m, _), v in printed.items() if m == "uni")
    multi = sum(v for (m, _), v in printed.items() if m == "multi")
    return uni, multi, rows_agreeing(fits, rows)


def _frame_tallies(frame: pd.DataFrame, cells=None, rows: dict | None = None) -> tuple:
    """:func:`_tallies` of ``frame``'s Table 2 fits (implied coding), fitted from scratch;
    ``cells`` and ``rows`` default to :func:`table2_cells` and :func:`multivariable_rows`."""
    fits = _fitted(frame)
    cells = table2_cells() if cells is None else cells
    return _tallies(fits, cells, multivariable_rows() if rows is None else rows)


def rows_agreeing(fits: dict, rows: dict) -> int:
    """Multivariable rows of ``fits`` whose hazard ratio lies in the printed interval and whose
    Wald P falls on the printed side of 0.05 (``rows``: :func:`multivariable_rows`).

    Examples
    --------
    >>> rows = {"x": (1.5, 3.0, True)}
    >>> rows_agreeing({("multi", "x"): (math.log(2.0), 0.2)}, rows)   # P 0.0005
    1
    >>> rows_agreeing({("multi", "x"): (math.log(2.0), 0.5)}, rows)   # P 0.17
    0
    """
    agree = 0
    for term, (lo, up, significant) in rows.items():
        b, s = fits.get(("multi", term), (math.nan, math.nan))
        if not (math.isfinite(b) and math.isfinite(s) and s > 0):
            continue
        p = math.erfc(abs(b) / s / _SQRT2)
        agree += (lo - 0.0005 <= math.exp(b) < up + 0.0005) and ((p < 0.05) == significant)
    return agree


# --------------------------------------------------------------- univariate block search

#: Blocks searched by :func:`uni_block_anneal`, in order, with their annealing steps (the blocks
#: whose univariate cells the search moved on the book's seed; about 3.5 CPU-s in all).
UNI_STEPS = {
    "liver": 4_000, "tumour_stage": 1_500, "prior_tace": 2_000, "alt": 1_500,
    "tumour_number": 1_000, "sex": 500,
}  # fmt: skip
#: Runs of :data:`UNI_STEPS` steps per block, each from the block's incoming arrangement (the
#: best state over all runs wins; blocks not named run once).
UNI_RESTARTS: dict = {}
#: Start temperature of :func:`uni_block_anneal` (geometric cooling per block).
UNI_T_START = 0.5
#: End temperature of :func:`uni_block_anneal`.
UNI_T_END = 0.002
#: Share of the tumour-stage moves that exchange only the PVTT grade (with its vascular-invasion
#: flag) between two patients of the same BCLC stage.
PVTT_SHARE = 0.5
#: The columns those PVTT-only moves exchange.
PVTT_COLUMNS = ["pvtt", "refractory_vascular_invasion"]
#: Share of the remaining tumour-stage moves that exchange the whole block between two patients
#: of the same PVTT grade (so that only the BCLC stage changes hands).
STAGE_SHARE = 0.5
#: Weight of the multivariable cells' misses against the block's univariate ones (0.15: on the
#: book's seed the block search then prints 4 univariate entries more and 7 multivariable ones
#: fewer, which the value phase and its multivariable pass win back to as many entries in all,
#: see :data:`VALUE_REPAIR_VARIANTS`; without that second pass 0.25 printed 30 / 13 at the
#: end, 0.1 29 / 5, 0.2 26 / 9, 0.3 27 / 12, 0.15 34 / 6).
UNI_MULTI_WEIGHT = 0.15
#: Share of the liver moves that give a patient outside the commonest Child-Pugh score (the
#: small score-5, 7 and 8 groups, whose SEs rest on few deaths) the values of a patient who died.
LIVER_FOCUS = 0.5


def _stage_reason(pvtt, extrahepatic, ecog) -> np.ndarray:
    """A BCLC-C reason per patient: portal invasion (Vp1-4), extrahepatic spread or ECOG 1-2."""
    return (np.asarray(pvtt) != "Vp0") | (np.asarray(extrahepatic) == 1) | (np.asarray(ecog) >= 1)


def _stage_c_kept(vals: np.ndarray, cols: list, ii: np.ndarray, jj: np.ndarray) -> np.ndarray:
    """Per pair ``(ii[k], jj[k])`` of patients (rows of ``vals``, a block holding ``cols``):
    both of the same BCLC stage, and exchanging their PVTT grade leaves neither, when of stage
    C, without a stage-C reason (:func:`_stage_reason`)."""
    stage = vals[:, cols.index("bclc_stage")]
    pv = vals[:, cols.index("pvtt")]
    ext = vals[:, cols.index("refractory_extrahepatic")]
    ecog = vals[:, cols.index("ecog_ps")]
    r_i, r_j = _stage_reason(pv[ii], ext[ii], ecog[ii]), _stage_reason(pv[jj], ext[jj], ecog[jj])
    n_i, n_j = _stage_reason(pv[jj], ext[ii], ecog[ii]), _stage_reason(pv[ii], ext[jj], ecog[jj])
    lost = (stage[ii] == "C") & ((r_i & ~n_i) | (r_j & ~n_j))
    return (stage[ii] == stage[jj]) & ~lost


def _multi_state(fits: Table2Fits, rows: dict, multi_cells: list) -> tuple[bool, int, float]:
    """Refit the multivariable model: (every row has its HR in the printed interval and P on
    the printed side of 0.05,
    multivariable entries printed, sum of :func:`cell_miss` over the multivariable cells)."""
    f = fits.fit([("multi",)])
    for term, (lo, up, significant) in rows.items():
        b, s = f.get(("multi", term), (math.nan, math.nan))
        if not (math.isfinite(b) and math.isfinite(s) and s > 0):
            return False, 0, math.inf
        p = math.erfc(abs(b) / s / _SQRT2)
        if not (lo - 0.0005 <= math.exp(b) < up + 0.0005) or (p < 0.05) != significant:
            return False, 0, math.inf
    printed: dict = {}
    loss = 0.0
    for c in multi_cells:
        d = _cell_miss_memo(*f[("multi", c["term"])], c)
        loss += d
        printed[c["id"]] = printed.get(c["id"], True) and d == 0.0
    return True, sum(printed.values()), loss


def _exchange(vals: np.ndarray, i: int, j: int, sub) -> None:
    """Exchange patients ``i`` and ``j`` in a block's values, in place: every column, or only
    the columns ``sub`` (a move of part of the block)."""
    if sub is not None:
        vals[i, sub], vals[j, sub] = vals[j, sub], vals[i, sub]
    else:
        vals[[i, j]] = vals[[j, i]]


def _with_block(out: pd.DataFrame, cols: list, vals: np.ndarray, like: pd.DataFrame):
    """A copy of ``out`` with the block ``cols`` set to ``vals`` (an object array), each column
    cast back to its dtype in ``like``."""
    trial = out.copy()
    trial[cols] = vals
    trial[cols] = trial[cols].astype(like[cols].dtypes.to_dict())
    return trial


def _keep_if_no_worse(out, df, cols, vals, cells, rows) -> pd.DataFrame:
    """``out`` with the block ``cols`` set to ``vals`` when that, fitted again from scratch (from
    zero, as every reader of the cohort fits), prints at least as many cells and keeps at least
    as many multivariable rows agreeing (:func:`_tallies`); otherwise ``out`` unchanged."""
    trial = _with_block(out, cols, vals, df)
    now = _frame_tallies(out, cells, rows)
    then = _frame_tallies(trial, cells, rows)
    return trial if then[2] >= now[2] and then[0] >= now[0] else out


def _block_start(out: pd.DataFrame, block: str, cells: list):
    """The start of a block's pass in :func:`uni_block_anneal`, :func:`uni_block_polish` and
    :func:`uni_edge_polish`: ``None`` when ``out``'s design holds none of the block's terms,
    else ``(fits, ix, models, uni_models, held, mine, cols, vals, sub, sub_ix)``: the Table 2
    fits, the block's design columns, the models it moves (``Table2Fits.models_of``) and the
    univariate ones among them, whether it moves the multivariable model, its univariate cells,
    its columns and their values (a copy, patient order), and the PVTT columns' positions among
    those and in the design (empty outside the tumour-stage block)."""
    fits = Table2Fits(paper.design_matrix(out, "implied"))
    present = [c for c in BLOCK_TERMS[block] if c in fits.idx]
    if not present:
        return None
    ix = [fits.idx[c] for c in present]
    models = fits.models_of(block)
    uni_models = [m for m in models if m != ("multi",)]
    held = ("multi",) in models  # the block moves the multivariable model
    mine = [c for c in cells if c["model"] == "uni" and c["term"] in present]
    cols = BLOCKS[block]
    vals = out[cols].to_numpy(object).copy()  # the block's columns, patient order
    sub = [cols.index(c) for c in PVTT_COLUMNS] if block == "tumour_stage" else []
    sub_ix = [fits.idx[c] for c in ("pvtt_vp1_2", "pvtt_vp3_4") if c in fits.idx]
    return fits, ix, models, uni_models, held, mine, cols, vals, sub, sub_ix


def uni_block_anneal(
    df: pd.DataFrame,
    rng: np.random.Generator,
    *,
    steps: dict | None = None,
    restarts: dict | None = None,
) -> tuple[pd.DataFrame, tuple, tuple]:
    """Anneal each block on its own univariate cells, the multivariable rows held.

    For each block of :data:`UNI_STEPS` in turn (in that order): simulated annealing over
    exchanges of the block between two patients (prior TACE within its 2-4 / > 4 group, as in
    :func:`anneal_table2`) on the sum of :func:`cell_miss` over the block's univariate cells.
    The multivariable rows are a hard constraint: when the block carries a multivariable term, a
    move the Metropolis rule accepts is refitted with the multivariable model and undone unless
    every row still has its HR in the printed interval and P on the printed side of 0.05 (the
    multivariable fit, about twice a
    univariate one, is paid only for accepted moves). In the liver block a share
    :data:`LIVER_FOCUS` of the moves give a patient of a small Child-Pugh group (score 5, 7, 8)
    the values of a patient who died; in the tumour-stage block a share :data:`PVTT_SHARE` of
    the moves exchange only the PVTT grade and its vascular-invasion flag between two patients of
    the same BCLC stage, provided neither patient of stage C loses its only stage-C reason
    (portal invasion, extrahepatic spread, ECOG 1-2). The best state visited wins by (the block's
    univariate entries printed, multivariable entries printed, -loss); it replaces the block's
    arrangement only when a fit from scratch confirms every row agreeing and at least as many
    univariate entries. A block named in ``restarts`` (default :data:`UNI_RESTARTS`) runs that
    many times from its incoming arrangement and the best state over all runs wins. The
    univariate models of a block involve no other block, so the univariate count never falls.
    Returns the frame and :func:`_tallies` before and after.

    Examples
    --------
    >>> from analysis.cohort import load_cohort
    >>> frame, before, after = uni_block_anneal(load_cohort(), np.random.default_rng(1), steps={"sex": 5})
    >>> len(frame), after[0] >= before[0], after[2] >= min(before[2], 11)
    (82, True, True)
    """
    steps = UNI_STEPS if steps is None else steps
    restarts = UNI_RESTARTS if restarts is None else restarts
    cells = table2_cells()
    rows = multivariable_rows()
    multi_cells = [c for c in cells if c["model"] == "multi"]
    out = df.copy()
    start = _frame_tallies(out, cells, rows)
    n = len(out)
    many = out["prior_tace_sessions"].to_numpy() > 4
    for block, n_steps in steps.items():
        start_of = _block_start(out, block, cells) if n_steps > 0 else None
        if start_of is None:
            continue
        fits, ix, models, uni_models, held, mine, cols, vals, sub, sub_ix = start_of
        if block == "liver":
            k_score = cols.index("child_pugh_score")
            scores, counts = np.unique(vals[:, k_score].astype(int), return_counts=True)
            common_score = scores[np.argmax(counts)]
            dead = np.flatnonzero(out["os_event"].to_numpy() == 1)
        if sub:
            k_stage, k_ecog = cols.index("bclc_stage"), cols.index("ecog_ps")
            k_ext = cols.index("refractory_extrahepatic")

        def uni_loss(fits=fits, models=uni_models, mine=mine):
            f = fits.fit(models)
            loss, printed = 0.0, {}
            for c in mine:
                d = _cell_miss_memo(*f[("uni", c["term"])], c)
                loss += d
                printed[c["id"]] = printed.get(c["id"], True) and d == 0.0
            return loss, sum(printed.values())

        cur, cur_hit = uni_loss()
        held_ok, cur_multi, cur_m = _multi_state(fits, rows, multi_cells) if held else (1, 0, 0.0)
        if not held_ok:
            continue  # rows already disagree: nothing to hold
        best_key, best_vals = (cur_hit, cur_multi, -cur), vals.copy()
        x0, vals0 = fits.x[np.ix_(fits.pos, ix)].copy(), vals.copy()
        for restart in range(restarts.get(block, 1)):
            if restart:  # every restart starts again from the block's incoming arrangement
                fits.x[np.ix_(fits.pos, ix)] = x0
                vals = vals0.copy()
                fits.fits, fits.beta, fits.last = {}, {}, {}
                cur, _ = uni_loss()
                if held:
                    cur_m = _multi_state(fits, rows, multi_cells)[2]
            decay = (UNI_T_END / UNI_T_START) ** (1.0 / max(n_steps - 1, 1))
            temp = UNI_T_START
            for _ in range(n_steps):
                temp *= decay
                i, j = rng.integers(n, size=2).tolist()
                move_cols, move_ix = None, ix
                if block == "liver" and rng.random() < LIVER_FOCUS:
                    rare = np.flatnonzero(vals[:, k_score] != common_score)
                    i = int(rare[rng.integers(rare.size)])
                    j = int(dead[rng.integers(dead.size)])
                elif sub and rng.random() < PVTT_SHARE:
                    stage = vals[:, k_stage]
                    same = np.flatnonzero(stage == stage[i])
                    j = int(same[rng.integers(same.size)])
                    move_cols, move_ix = sub, sub_ix
                elif sub and rng.random() < STAGE_SHARE:
                    # the whole block between two patients of the same PVTT grade: only the BCLC
                    # stage (with ECOG and extrahepatic spread) changes hands
                    pv = vals[:, sub[0]]
                    same = np.flatnonzero(pv == pv[i])
                    j = int(same[rng.integers(same.size)])
                elif block == "prior_tace":
                    same = np.flatnonzero(many == many[i])
                    j = int(same[rng.integers(same.size)])
                # np.array_equal's test on two rows of one shape, without its wrapper
                if i == j or (fits.x[fits.pos[i], move_ix] == fits.x[fits.pos[j], move_ix]).all():
                    continue
                if move_cols is not None:
                    pv, ext, ecog = vals[:, sub[0]], vals[:, k_ext], vals[:, k_ecog]
                    before = _stage_reason(pv[[i, j]], ext[[i, j]], ecog[[i, j]])
                    after = _stage_reason(pv[[j, i]], ext[[i, j]], ecog[[i, j]])
                    if np.any((vals[[i, j], k_stage] == "C") & before & ~after):
                        continue
                fits.swap(i, j, move_ix)
                saved, saved_beta = dict(fits.fits), dict(fits.beta)
                new, new_hit = uni_loss()
                accept = new <= cur or rng.random() < math.exp(-(new - cur) / temp)
                if accept and held:
                    # delayed acceptance: the rows are a hard constraint, the multivariable cells a
                    # second Metropolis test on their weighted loss
                    accept, new_multi, new_m = _multi_state(fits, rows, multi_cells)
                    d = UNI_MULTI_WEIGHT * (new_m - cur_m)
                    accept = accept and (d <= 0 or rng.random() < math.exp(-d / temp))
                if accept:
                    cur = new
                    if held:
                        cur_m = new_m
                    _exchange(vals, i, j, sub if move_cols is not None else None)
                    key = (new_hit, new_multi if held else 0, -new)
                    if key > best_key:
                        best_key, best_vals = key, vals.copy()
                else:
                    fits.swap(i, j, move_ix)
                    fits.fits, fits.beta = saved, saved_beta
        out = _keep_if_no_worse(out, df, cols, best_vals, cells, rows)
    end = _frame_tallies(out, cells, rows)
    return out, start, end


#: Most exchanges :func:`uni_block_polish` makes per block, and the candidates refitted exactly.
UNI_POLISH_MOVES = 25
#: Candidates per block and move that :func:`uni_block_polish` refits exactly.
UNI_SHORTLIST = 6


def uni_block_polish(
    df: pd.DataFrame, *, moves: int = UNI_POLISH_MOVES, shortlist: int = UNI_SHORTLIST
) -> tuple[pd.DataFrame, tuple, tuple]:
    """Steepest descent per block on its own univariate cells, the multivariable rows held.

    For each block of :data:`UNI_STEPS` in turn, up to ``moves`` times: every admissible
    exchange of the block between two patients (prior TACE within its group; in the tumour-stage
    block also PVTT-only exchanges within a BCLC stage, as in :func:`uni_block_anneal`) is
    screened at once by a batched Newton-Raphson of the block's univariate models
    (:func:`_batched_fit`); the ``shortlist`` best are refitted exactly, and the best one that
    lowers the block's loss -- the sum of :func:`cell_miss` over its univariate cells, plus
    :data:`UNI_MULTI_WEIGHT` times the multivariable cells' when the block carries a
    multivariable term -- while every multivariable row still agrees is made. Deterministic.
    Returns the frame and :func:`_tallies` before and after.

    Examples
    --------
    >>> from analysis.cohort import load_cohort
    >>> frame, before, after = uni_block_polish(load_cohort(), moves=0)
    >>> before == after
    True
    """
    cells = table2_cells()
    rows = multivariable_rows()
    out = df.copy()
    start = _frame_tallies(out, cells, rows)
    n = len(out)
    many = out["prior_tace_sessions"].to_numpy() > 4
    ii, jj = np.triu_indices(n, 1)
    for block in UNI_STEPS:
        start_of = _block_start(out, block, cells) if moves > 0 else None
        if start_of is None:
            continue
        fits, ix, models, uni_models, held, mine, cols, vals, sub, sub_ix = start_of
        kinds = [(ix, None)] + ([(sub_ix, sub)] if sub else [])

        def uni_loss(fits=fits, models=uni_models, mine=mine):
            f = fits.fit(models)
            return sum(_cell_miss_memo(*f[("uni", c["term"])], c) for c in mine)

        multi_cells = [c for c in cells if c["model"] == "multi"]

        def total(fits=fits, held=held, multi_cells=multi_cells):
            """The block's univariate loss plus the weighted multivariable one (inf when a
            multivariable row stops agreeing)."""
            loss = uni_loss()
            if held:
                ok, _, m = _multi_state(fits, rows, multi_cells)
                loss = loss + UNI_MULTI_WEIGHT * m if ok else math.inf
            return loss

        cur = total()
        if not math.isfinite(cur):
            continue
        for _ in range(moves):
            cands = []
            for move_ix, move_sub in kinds:
                xp = fits.x[:, move_ix][fits.pos]  # patient order
                ok = np.any(xp[ii] != xp[jj], axis=1)
                if block == "prior_tace":
                    ok &= many[ii] == many[jj]
                if move_sub is not None:
                    ok &= _stage_c_kept(vals, cols, ii, jj)
                ci, cj = ii[ok], jj[ok]
                if ci.size == 0:
                    continue
                score = np.zeros(ci.size)
                for m in uni_models:
                    mcols = list(m)
                    mix = [fits.idx[c] for c in mcols]
                    if not set(mix) & set(move_ix):  # unchanged by the move: its current loss
                        score += sum(
                            cell_miss(*fits.fits[("uni", c["term"])], c)
                            for c in mine if c["term"] in mcols
                        )  # fmt: skip
                        continue
                    xs = _swapped_designs(fits, mix, ci, cj)
                    beta, se = _batched_fit(fits.risk, xs, fits.beta.get(m, np.zeros(len(mcols))))
                    for c in mine:
                        if c["term"] in mcols:
                            t = mcols.index(c["term"])
                            score += _cell_miss_vec(beta[:, t], se[:, t], c)
                for k in np.argsort(score, kind="stable")[:shortlist]:
                    cands.append((float(score[k]), int(ci[k]), int(cj[k]), move_ix, move_sub))
            cands.sort(key=lambda c: c[0])
            best = None
            for _, i, j, move_ix, move_sub in cands[:shortlist]:
                saved, saved_beta = dict(fits.fits), dict(fits.beta)
                fits.swap(i, j, move_ix)
                new = total()
                good = new < cur - 1e-12 and (best is None or new < best[0])
                fits.swap(i, j, move_ix)
                fits.fits, fits.beta = saved, saved_beta
                if good:
                    best = (new, i, j, move_ix, move_sub)
            if best is None:
                break
            cur, i, j, move_ix, move_sub = best
            fits.swap(i, j, move_ix)
            fits.fit(models)
            _exchange(vals, i, j, sub if move_sub is not None else None)
        out = _keep_if_no_worse(out, df, cols, vals, cells, rows)
    end = _frame_tallies(out, cells, rows)
    return out, start, end


# ------------------------------------------------------------------------------ value phase

#: Columns whose values :func:`value_polish` changes, in order, with the Table 2 term each
#: carries and how its printed Table 1 numbers are kept: ``"band"`` (bilirubin: not in Table 1,
#: each value stays in its Child-Pugh points band), ``"mean_sd"`` (pairs of patients move by
#: opposite amounts, so the sum and the mean stay exact, and the SD must still print) and
#: ``"median_range"`` (a value moves only between the extremes and the median on its own side).
VALUE_COLUMNS = {
    "bilirubin_mg_dl": ("albi_score", "band"),
    "ast_u_l": ("ast_gt40", "mean_sd"),
    "crp_mg_l": ("crp_gt3", "mean_sd"),
    "alt_u_l": ("alt_u_l", "mean_sd"),
    "tumor_number": ("tumor_number_gt4", "mean_sd"),
    "afp_ng_ml": ("afp_ng_ml", "median_range"),
}
#: Columns whose values the value phase keeps on their side of a cut-off, each at or above
#: another column of the same patient: column -> (cut, paired column). Prior TACE sessions stay
#: at most 4 or above 4 (the survival block's groups) and at or above the refractory sessions.
VALUE_SPLITS = {"prior_tace_sessions": (4, "refractory_tace_sessions")}
#: The last stage of :func:`value_polish`'s search: two patients of a mean-and-SD column move by
#: ``+d`` and ``-d``, ``d`` each of these numbers of units of the column's last decimal ...
VALUE_STEP_UNITS = (1, 2)
#: ... and one AFP value moves by each of these percentages, up and down.
AFP_STEP_PERCENTS = (10, 1)
#: Most moves :func:`value_polish` makes per column.
VALUE_MOVES = 150
#: Random candidate moves screened per move (one batched fit).
VALUE_CANDIDATES = 256
#: The best screened candidates refitted exactly per move.
VALUE_SHORTLIST = 6
#: The runs of the value phase per column, each on its own generator spawned from the phase's:
#: (weight of the multivariable cells' misses, multivariable entries the column may lose); the
#: run printing the most univariate, then multivariable, entries wins.
VALUE_VARIANTS = ((0.25, 0), (0.05, 1))
#: The value phase's second pass, after :func:`uni_edge_polish` (:func:`analysis.synthesis.\
#: _cox_phase`): its columns and its one run per column, whose multivariable weight 2 makes it
#: chase the multivariable cells that the block search at :data:`UNI_MULTI_WEIGHT` gave up,
#: every univariate entry kept (:func:`_no_worse`). On the book's seed CRP's values win back 3
#: multivariable entries (AST and the other columns none, at about 1 CPU-s more). These columns
#: are deferred from the first pass (``defer``): CRP's first-pass runs changed no count there at
#: about 2.9 CPU-s.
VALUE_REPAIR_COLUMNS = ("crp_mg_l",)
#: The runs of the value phase's second pass: (multivariable weight, slack) as in
#: :data:`VALUE_VARIANTS`.
VALUE_REPAIR_VARIANTS = ((2.0, 0),)
#: Rounds in a row without an improving candidate after which a column is left.
VALUE_PATIENCE = 10
#: Rounds of exhaustive small moves (:func:`_local_moves`) after the random ones, at most.
VALUE_LOCAL_MOVES = 10
#: Bilirubin (mg/dL) bands of the Child-Pugh points (1: below 2, 2: 2-3, 3: above 3), as the
#: value phase keeps them: the lowest and highest value a patient of each points band may take.
BILIRUBIN_BANDS = {1: (0.2, 1.9), 2: (2.0, 3.0), 3: (3.1, 5.0)}


def _albi_of(bili_mg_dl, alb_g_dl) -> np.ndarray:
    """ALBI score as :func:`analysis.paper.albi_scores` computes it (through clinical)."""
    score, _ = clinical.albi(
        clinical.bilirubin_mg_dl_to_umol_l(np.asarray(bili_mg_dl, float)),
        clinical.albumin_g_dl_to_g_l(np.asarray(alb_g_dl, float)),
    )
    return np.asarray(score, float)


def _sd_window(units: np.ndarray, decimals: int, sd_decimals: int) -> tuple[int, int]:
    """Bounds on ``n * sum(u**2) - sum(u)**2`` (``u``: the values in integer units of the
    column's CSV decimals) within which the SD prints as it does now, half up at
    ``sd_decimals``, with a margin of 1e-7 from either edge of its rounding bin."""
    n = units.size
    s, q = int(units.sum()), int((units.astype(object) ** 2).sum())
    big = n * q - s * s
    sd = math.sqrt(big / (n * (n - 1))) / 10.0**decimals
    step = 10.0**-sd_decimals
    shown = math.floor(sd / step + 0.5 + 1e-9) * step
    lo, hi = max(shown - step / 2 + 1e-7, 0.0), shown + step / 2 - 1e-7
    to_big = n * (n - 1) * 10.0 ** (2 * decimals)
    return math.ceil(lo * lo * to_big), math.floor(hi * hi * to_big)


def _edge_miss(beta, se, cell: dict) -> np.ndarray:
    """The distance of fits (arrays ``beta``, ``se``) from printing ``cell``: 0 inside the
    cell's rounding bin, else the distance to the bin's nearer edge (log scale in units of the
    row's SE, or z units for P); 10 for a failed fit. Unlike :func:`cell_miss` (distance to the
    printed value itself, plus 0.5) it is continuous, so a printed cell may drift to the edge of
    its bin while another cell comes closer."""
    beta, se = np.asarray(beta, float), np.asarray(se, float)
    with np.errstate(all="ignore"):
        bad = ~(np.isfinite(beta) & np.isfinite(se) & (se > 0))
        half = 0.5 * 10.0 ** -cell["decimals"]
        v = cell["value"]
        if cell["stat"] == "p":
            x = np.abs(beta) / se
            if cell["relation"] == "<":
                lo, hi = _z_of_p(v), math.inf
            else:
                lo = _z_of_p(v + half)
                hi = _z_of_p(v - half) if v - half > 0 else math.inf
            unit = 1.0
        else:
            x = beta + {"hr": 0.0, "lower": -Z95, "upper": Z95}[cell["stat"]] * se
            lo = math.log(v - half) if v - half > 0 else -math.inf
            hi = math.log(v + half)
            unit = cell["se"]
        d = (np.maximum(lo - x, 0.0) + np.maximum(x - hi, 0.0)) / unit
    return np.where(bad, 10.0, d)


def _local_moves(units, kind, bounds, q_window, median, band):
    """Every small move of :func:`_value_search`'s last stage, as ``(i, j, k, new i, new j,
    new k, admissible)``: two patients ``i`` and ``j`` moving by ``+d`` and ``-d`` (``d`` 1 or 2
    units of the last decimal; mean-and-SD columns), one patient moving by 1 unit (bilirubin)
    or by 1% and 10% either way (AFP)."""
    n = units.size
    lo_all, hi_all = bounds
    if kind == "mean_sd":
        ii, jj = np.nonzero(~np.eye(n, dtype=bool))
        i, j = np.concatenate([ii, ii]), np.concatenate([jj, jj])
        d = np.repeat(np.array(VALUE_STEP_UNITS, dtype=np.int64), ii.size)
        ni, nj = units[i] + d, units[j] - d
        s, s_sq = int(units.sum()), int((units.astype(object) ** 2).sum())
        q_new = n * (s_sq + 2 * d * (units[i] - units[j]) + 2 * d * d) - s * s
        ok = (q_new >= q_window[0]) & (q_new <= q_window[1])
        lo_p, hi_p = np.broadcast_to(lo_all, n), np.broadcast_to(hi_all, n)
        ok &= (ni <= hi_p[i]) & (nj >= lo_p[j])
        return i, j, j, ni, nj, nj, ok
    if kind == "band":
        i = np.concatenate([np.arange(n), np.arange(n)])
        ni = units[i] + np.repeat(np.array([1, -1], dtype=np.int64), n)
        ok = (ni >= band[0][i]) & (ni <= band[1][i])
        return i, i, i, ni, ni, ni, ok
    m_lo, m_hi = median
    f = np.array(
        [1 - p / 100 for p in AFP_STEP_PERCENTS] + [1 + p / 100 for p in AFP_STEP_PERCENTS[::-1]]
    )
    i = np.repeat(np.arange(n), f.size)
    ni = np.rint(units[i] * np.tile(f, n)).astype(np.int64)
    below = (units[i] > lo_all) & (units[i] < m_lo)
    above = (units[i] > m_hi) & (units[i] < hi_all)
    ok = (below & (ni > lo_all) & (ni < m_lo)) | (above & (ni > m_hi) & (ni < hi_all))
    ok &= ni != units[i]
    return i, i, i, ni, ni, ni, ok


def _value_search(out, col, term, kind, rng, moves, weight, slack, dec, cells, rows, local_moves):
    """One run of :func:`value_polish` on one column from ``out``: the column's new values in
    integer units of its CSV decimals, or None when there is nothing to do (see there)."""
    multi_cells = [c for c in cells if c["model"] == "multi"]
    n = len(out)
    fits = Table2Fits(paper.design_matrix(out, "implied"))
    if term not in fits.idx:
        return None
    k = fits.idx[term]
    mine = [c for c in cells if c["model"] == "uni" and c["term"] == term]
    model = (term,)
    held = term in fits.multi
    scale = 10**dec
    units = np.rint(pd.to_numeric(out[col]).to_numpy(float) * scale).astype(np.int64)
    alb = pd.to_numeric(out["albumin_g_dl"]).to_numpy(float) if kind == "band" else None

    def design_value(u, who, alb=alb, kind=kind, scale=scale):
        v = np.asarray(u, float) / scale
        return _albi_of(v, alb[who]) if kind == "band" else v

    def uni_loss(fits=fits, model=model, mine=mine):
        f = fits.fit([model])
        return float(sum(_edge_miss(*f[("uni", c["term"])], c) for c in mine))

    def state(fits=fits, held=held):
        """(column loss, multivariable entries printed), or None when a row disagrees."""
        loss = uni_loss()
        if not held:
            return loss, 0
        ok, printed, m = _multi_state(fits, rows, multi_cells)
        return (loss + weight * m, printed) if ok else None

    now = state()
    if now is None or uni_loss() == 0.0:
        return None
    cur, floor = now[0], (now[1] - slack if held else 0)
    lo_all, hi_all = int(units.min()), int(units.max())
    if kind == "mean_sd":  # the SD must print as Table 1 prints it, at its printed decimals
        sd_dec = int(load().set_index("id").loc[f"table1.{col}.sd", "decimals"])
        q_lo, q_hi = _sd_window(units, dec, sd_dec)
        lo_p, hi_p = np.full(n, lo_all), np.full(n, hi_all)  # per patient
        if col in VALUE_SPLITS:  # each value stays on its side of the cut, above its pair
            cut, paired = VALUE_SPLITS[col]
            cut_u = round(cut * scale)
            floor_u = np.rint(pd.to_numeric(out[paired]).to_numpy(float) * scale)
            above = units > cut_u
            lo_p = np.maximum(np.where(above, cut_u + 1, lo_all), floor_u).astype(np.int64)
            hi_p = np.where(above, hi_all, cut_u).astype(np.int64)
    if kind == "median_range":
        srt = np.sort(units)
        m_lo, m_hi = int(srt[(n - 1) // 2]), int(srt[n // 2])
    if kind == "band":
        bili = units / scale
        band = np.where(bili < 2.0, 1, np.where(bili <= 3.0, 2, 3))
        b_lo = np.array([round(BILIRUBIN_BANDS[b][0] * scale) for b in band])
        b_hi = np.array([round(BILIRUBIN_BANDS[b][1] * scale) for b in band])
    spread = max(float(units.std()), 1.0)
    idle, rounds, local, local_left = 0, 0, False, local_moves
    while True:
        if not local and (rounds >= moves or idle >= VALUE_PATIENCE):
            local = True  # the random moves are spent: the exhaustive small moves
        if local and local_left <= 0:
            break
        rounds += 1
        size = VALUE_CANDIDATES
        if local:
            local_left -= 1
            i, j, kk, ni, nj, nk, ok = _local_moves(
                units, kind, (lo_p, hi_p) if kind == "mean_sd" else (lo_all, hi_all),
                (q_lo, q_hi) if kind == "mean_sd" else None,
                (m_lo, m_hi) if kind == "median_range" else None,
                (b_lo, b_hi) if kind == "band" else None,
            )  # fmt: skip
        elif kind == "mean_sd":
            i = rng.integers(n, size=size)
            j = rng.integers(n, size=size)
            kk = rng.integers(n, size=size)
            d = np.rint(spread * rng.random(size) ** 2 * rng.choice([-1.0, 1.0], size))
            d = d.astype(np.int64)
            xi, xj, xk = units[i], units[j], units[kk]
            # half the moves take three patients: d_j solves
            # d_j**2 + d_j (x_j - x_k + d) + d (x_i - x_k + d) = 0 (sum of squares kept)
            bq = (xj - xk + d).astype(float)
            cq = (d * (xi - xk + d)).astype(float)
            disc = bq * bq - 4.0 * cq
            root = (-bq + np.where(bq > 0, 1.0, -1.0) * -np.sqrt(np.maximum(disc, 0.0))) / 2.0
            triple = (rng.random(size) < 0.5) & (disc >= 0)
            dj = np.where(triple, np.rint(root), -d).astype(np.int64)
            dk = np.where(triple, -d - dj, 0)
            kk = np.where(triple, kk, j)
            ni, nj, nk = xi + d, xj + dj, np.where(triple, xk + dk, xj + dj)
            s_sq = int((units.astype(object) ** 2).sum())
            s = int(units.sum())
            dq = (ni * ni - xi * xi) + (nj * nj - xj * xj)
            dq = dq + np.where(triple, nk * nk - xk * xk, 0)
            q_new = n * (s_sq + dq) - s * s
            ok = (i != j) & (d != 0) & (q_new >= q_lo) & (q_new <= q_hi)
            ok &= ~triple | ((kk != i) & (kk != j))
            for who, v in ((i, ni), (j, nj), (kk, nk)):
                ok &= (v >= lo_p[who]) & (v <= hi_p[who])
        else:
            i = rng.integers(n, size=size)
            j = kk = i
            if kind == "median_range":
                below = (units[i] > lo_all) & (units[i] < m_lo)
                above = (units[i] > m_hi) & (units[i] < hi_all)
                a = np.where(below, lo_all + 1, m_hi + 1)
                b = np.where(below, m_lo - 1, hi_all - 1)
                ok = below | above
            else:
                a, b = b_lo[i], b_hi[i]
                ok = b > a
            # a new value drawn on the log scale between the bounds
            la, lb = np.log(np.maximum(a, 1)), np.log(np.maximum(b, 1))
            ni = np.rint(np.exp(la + (lb - la) * rng.random(size))).astype(np.int64)
            ni = np.clip(ni, a, b)
            ok &= ni != units[i]
            nj = nk = ni
        ci, cj, ck = i[ok], j[ok], kk[ok]
        ni, nj, nk = ni[ok], nj[ok], nk[ok]
        if ci.size == 0:
            if local:
                break
            idle += 1
            continue
        base = fits.x[:, [k]]
        xs = np.broadcast_to(base, (ci.size,) + base.shape).copy()
        rr = np.arange(ci.size)
        for who, new_u in ((ck, nk), (cj, nj), (ci, ni)):
            xs[rr, fits.pos[who], 0] = design_value(new_u, who)
        beta, se = _batched_fit(fits.risk, xs, fits.beta.get(model, np.zeros(1)))
        score = sum(_edge_miss(beta[:, 0], se[:, 0], c) for c in mine)
        best = None
        for c in np.argsort(score, kind="stable")[:VALUE_SHORTLIST]:
            who = [int(ci[c]), int(cj[c]), int(ck[c])]
            rows_ = fits.pos[who]
            old = fits.x[rows_, k].copy()
            saved, saved_beta = dict(fits.fits), dict(fits.beta)
            fits.x[rows_, k] = xs[c, rows_, 0]
            new = state()
            fits.x[rows_, k] = old
            fits.fits, fits.beta = saved, saved_beta
            if new is None or new[0] >= cur - 1e-12 or new[1] < floor:
                continue
            if best is None or new[0] < best[0]:
                best = (new[0], who, (int(ni[c]), int(nj[c]), int(nk[c])), c)
        if best is None:
            if local:
                break
            idle += 1
            continue
        idle = 0
        cur, who, new_u, c = best
        rows_ = fits.pos[who]
        fits.x[rows_, k] = xs[c, rows_, 0]
        for w, u in zip(who[::-1], new_u[::-1], strict=True):
            units[w] = u
        state()
        if uni_loss() == 0.0:
            break
    return units


def _in_order(tasks: list) -> list:
    """The results of ``tasks`` (functions of no argument), called one after the other: the
    default ``run`` of :func:`value_polish` and :func:`value_se_pass`, whose tasks are
    independent (:func:`analysis.synthesis.synthesize` passes one that runs them in parallel
    processes, the same results)."""
    return [task() for task in tasks]


def _no_worse(new: tuple, old: tuple) -> bool:
    """The value phase's acceptance rule on :func:`_tallies` (univariate entries, multivariable
    entries, rows agreeing): no row lost, no univariate entry lost and no fewer printed entries
    in all -- a multivariable entry may be traded for a univariate one, never two for one.

    Examples
    --------
    >>> _no_worse((31, 12, 11), (30, 13, 11)), _no_worse((31, 11, 11), (30, 13, 11))
    (True, False)
    >>> _no_worse((29, 15, 11), (30, 13, 11)), _no_worse((31, 13, 10), (30, 13, 11))
    (False, False)
    """
    return new[2] >= old[2] and new[0] >= old[0] and new[0] + new[1] >= old[0] + old[1]


def value_polish(
    df: pd.DataFrame,
    rng: np.random.Generator,
    *,
    moves: int = VALUE_MOVES,
    local_moves: int = VALUE_LOCAL_MOVES,
    columns: dict | None = None,
    variants: tuple | None = None,
    defer: tuple = (),
    decimals: dict,
    run=None,
) -> tuple[pd.DataFrame, tuple, tuple]:
    """Change covariate values (not only who carries them) towards the univariate Table 2 cells.

    The block exchanges of :func:`anneal_table2` and :func:`uni_block_anneal` change who
    carries a value but keep the values themselves, and so, roughly, the spread that sets a
    per-unit covariate's SE, as the initial draw made them. Table 1 prints only a mean and SD (AST, ALT, CRP, tumour
    number) or a median and range (AFP), and no bilirubin at all, so the values themselves may
    still move. For each column of ``columns`` (default :data:`VALUE_COLUMNS`) in turn, one run
    per entry of :data:`VALUE_VARIANTS` (each on its own generator spawned from ``rng``), from the
    column's incoming values:

    * up to ``moves`` rounds of :data:`VALUE_CANDIDATES` random moves -- for ``"mean_sd"``
      columns two patients moving by ``+d`` and ``-d``, or three whose moves also keep the sum
      of squares about the same (values in whole units of the CSV decimals, so the sum and the
      mean stay exact; the SD must print as before, checked in integer arithmetic; every value
      stays within the column's current range); for ``"median_range"`` one patient strictly
      between an extreme and the median moving anywhere strictly between them (median and
      extremes kept); for bilirubin one patient moving within its Child-Pugh points band
      (:data:`BILIRUBIN_BANDS`: points, score and class unchanged; ALBI recomputed) -- then at
      most ``local_moves`` rounds of every small move (:func:`_local_moves`);
    * each round screens its moves at once by a batched Newton-Raphson of the column's
      univariate model (:func:`_batched_fit`), refits the :data:`VALUE_SHORTLIST` best exactly
      and makes the best one that lowers the run's loss -- :func:`_edge_miss` over the column's
      univariate cells, plus the run's weight times :func:`cell_miss` over the multivariable
      cells -- while every multivariable row still agrees and at most the run's slack of
      multivariable entries is lost;
    * the random stage ends after ``moves`` rounds or :data:`VALUE_PATIENCE` rounds in a row
      without a move, the small-move stage at its first round without one, a run when the
      column's univariate cells all print.

    Of the runs whose values, fitted from scratch, keep every row agreeing, lose no univariate
    entry and print no fewer entries in all than the incoming values (:func:`_no_worse`: a
    multivariable entry may be traded for a univariate one, never two for one), the one printing
    the most univariate and then multivariable entries replaces the column. Deterministic for a
    generator state. ``decimals`` maps each column to the decimals the cohort file writes
    (:data:`analysis.synthesis.CSV_DECIMALS`, passed by the caller: this module sits below the
    synthesis); values move in whole units of them. Returns the frame and :func:`_tallies`
    before and after. ``variants`` replaces :data:`VALUE_VARIANTS` (the second pass passes
    :data:`VALUE_REPAIR_VARIANTS`); a column of ``defer`` is left as it is, its generators still
    spawned so that the other columns' streams do not depend on which columns are deferred.
    ``run`` (a function of a list of functions of no argument, returning their results in
    order; None: one after the other) makes a column's runs, which are independent: the
    synthesis passes one that makes them in parallel processes (the same results).

    Examples
    --------
    >>> from analysis.cohort import load_cohort
    >>> from analysis.synthesis import CSV_DECIMALS
    >>> rng = np.random.default_rng(1)
    >>> frame, before, after = value_polish(load_cohort(), rng, moves=0, decimals=CSV_DECIMALS)
    >>> before == after, frame.equals(load_cohort())
    (True, True)
    """
    columns = VALUE_COLUMNS if columns is None else columns
    variants = VALUE_VARIANTS if variants is None else variants
    cells = table2_cells()
    rows = multivariable_rows()
    out = df.copy()
    start = _frame_tallies(out, cells, rows)
    for col, (term, kind) in columns.items():
        if col not in out.columns or moves <= 0:
            continue
        rngs = rng.spawn(len(variants))  # spawned even when deferred: the others' streams stay
        if col in defer:
            continue
        dec = int(decimals[col])
        scale = 10**dec
        was = _frame_tallies(out, cells, rows)
        best = None
        # the runs are independent (each from ``out``, on its own generator): ``run`` may make
        # them at once; their results are taken in the variants' order either way
        searches = [
            functools.partial(
                _value_search,
                out, col, term, kind, sub_rng, moves, weight, slack, dec, cells, rows, local_moves,
            )
            for (weight, slack), sub_rng in zip(variants, rngs, strict=True)
        ]  # fmt: skip
        for units in (_in_order if run is None else run)(searches):
            if units is None:
                continue
            trial = out.copy()
            trial[col] = (units / scale).astype(float) if dec else units.astype(out[col].dtype)
            key = _frame_tallies(trial, cells, rows)
            if key[2] == len(rows) and _no_worse(key, was):
                if best is None or key[:2] > best[0][:2]:
                    best = (key, trial)
        if best is not None:
            out = best[1]
    end = _frame_tallies(out, cells, rows)
    return out, start, end


# --------------------------------------------------------------------- standard-error pass

#: Columns of :func:`value_se_pass`, in order: per-unit rows whose hazard ratio prints but whose
#: interval prints too narrow (the SE too small), with their term and kind as in
#: :data:`VALUE_COLUMNS` (prior TACE sessions stay in their survival-block group and at or
#: above the refractory sessions, :data:`VALUE_SPLITS`). Measured on the book's cohort (survival
#: times and every other column held): some arrangement of each of AST's, CRP's and prior TACE's
#: own values prints the row's HR, interval and P (SE from 0.0018 to 0.0030 for AST, 0.046 to
#: 0.057 for CRP, 0.037 to 0.039 for prior TACE), but every one found gives up multivariable
#: entries (2 to 7; every row still agreeing) that the multivariable pass rarely wins back, hence
#: the pass's all-or-nothing acceptance. CRP's interval is not reached by the value phase's
#: moves (:func:`spread_anneal` reaches it later). With AST's run as well (about 0.6 CPU-s
#: more), 3 of the streams 101-259 (183, 193, 219) print AST's and prior TACE's intervals at
#: two multivariable entries fewer (kept by :func:`_no_worse`: univariate 36, multivariable 7
#: by the independent count), none of 11-100; prior TACE alone on stream 44 prints its
#: interval at as many multivariable entries.
SE_COLUMNS = {"prior_tace_sessions": ("prior_tace_gt4", "mean_sd")}
#: Most multivariable entries a run of :func:`value_se_pass` may lose on its way (no limit: the
#: pass is judged as a whole, after the multivariable pass that follows it).
SE_SLACK = 99


def value_se_pass(
    df: pd.DataFrame,
    rng: np.random.Generator,
    *,
    then=None,
    moves: int = VALUE_MOVES,
    local_moves: int = VALUE_LOCAL_MOVES,
    columns: dict | None = None,
    decimals: dict,
    run=None,
) -> tuple[pd.DataFrame, tuple, tuple]:
    """Widen the univariate intervals of :data:`SE_COLUMNS` that print too narrow, judged whole.

    For each column in turn, one run of the value phase's search (:func:`value_polish`'s moves
    and screening; each column on its own generator spawned from ``rng``) on the column's
    univariate cells alone -- multivariable weight 0, up to :data:`SE_SLACK` multivariable
    entries given up, every multivariable row still agreeing -- whose values are kept when the
    column prints more univariate entries than before. ``then`` (a function of a frame, e.g. the
    value phase's multivariable pass; None: the identity) is applied to the incoming frame and
    to the pass's frame, and the pass's result is returned only when, fitted from scratch, it
    prints more univariate entries than ``then`` of the incoming frame, every row agreeing and
    no fewer entries in all (:func:`_no_worse`: one multivariable entry may be traded for one
    univariate entry, never two for one); otherwise ``then`` of the incoming frame. Returns the
    frame and :func:`_tallies` of ``then`` of the incoming frame and of the returned one.
    Deterministic for a generator state (and a deterministic ``then``). ``decimals``: as in
    :func:`value_polish`; ``run``: as there (the pass and ``then`` of the incoming frame are
    independent).

    Examples
    --------
    No moves, nothing changes:

    >>> from analysis.cohort import load_cohort
    >>> from analysis.synthesis import CSV_DECIMALS
    >>> frame, before, after = value_se_pass(load_cohort(), np.random.default_rng(1), moves=0,
    ...                                      local_moves=0, decimals=CSV_DECIMALS)
    >>> before == after, frame.equals(load_cohort())
    (True, True)
    """
    columns = SE_COLUMNS if columns is None else columns
    then = (lambda frame: frame) if then is None else then
    cells = table2_cells()
    rows = multivariable_rows()

    rngs = rng.spawn(len(columns))

    def searched() -> tuple:
        """The pass's frame, and ``then`` of it (None when the pass changed nothing)."""
        out = df.copy()
        for (col, (term, kind)), sub_rng in zip(columns.items(), rngs, strict=True):
            if col not in out.columns or moves + local_moves <= 0:
                continue
            dec = int(decimals[col])
            units = _value_search(
                out, col, term, kind, sub_rng, moves, 0.0, SE_SLACK, dec, cells, rows, local_moves
            )
            if units is None:
                continue
            trial = out.copy()
            trial[col] = (units / 10**dec).astype(float) if dec else units.astype(out[col].dtype)
            key, was = _frame_tallies(trial), _frame_tallies(out)
            if key[2] == len(rows) and key[0] > was[0]:
                out = trial
        return out, (None if out.equals(df) else then(out))

    # ``then`` of the incoming frame does not depend on the pass: ``run`` may make both at once
    (out, mine), plain = (_in_order if run is None else run)(
        [searched, functools.partial(then, df)]
    )
    start = _frame_tallies(plain)
    if mine is None:
        return plain, start, start
    end = _frame_tallies(mine)
    if end[2] == len(rows) and end[0] > start[0] and _no_worse(end, start):
        return mine, start, end
    return plain, start, start


# ------------------------------------------------------------------------------- spread pass

#: Columns of :func:`spread_anneal`, in order: per-unit rows whose univariate interval prints too
#: narrow after the value phase, with their term and the plausible clinical range their values
#: may take, in the column's units (CRP in mg/dL: 0 to 30). Unlike the value phase the pass does
#: not keep each value within the column's current range: Table 1 prints only the mean and the
#: SD of these columns, no range. Measured on the book's seed: CRP's interval prints (SE 0.0447
#: to 0.0566; values 0.05-16.86 before, 0.03-13.98 after); the same stream held to the old range
#: does not reach it. AST (U/L, 10 to 1,500) is left out: no search reached its interval with
#: every multivariable entry kept (SE 0.0018 to at most 0.0026, 0.0030 needed; scratch runs of
#: up to 400,000 steps), and the values it found crowd the floor (six patients at 10 U/L).
#: :func:`joint_spread_anneal` reaches it by giving the multivariable entries up on the way and
#: winning them back with other columns' values.
SPREAD_COLUMNS = {"crp_mg_l": ("crp_gt3", (0.0, 30.0))}
#: Metropolis steps of :func:`spread_anneal` per column, at most (it stops when every univariate
#: cell of the column and every multivariable cell printed at its start print).
SPREAD_STEPS = 60_000
#: Its temperature at the first step, falling as the square of the steps left, plus
#: :data:`SPREAD_T_END`; the loss is in units of the rows' printed SEs (z for P).
SPREAD_T_START = 1.0
#: Its temperature's floor, added at every step (the last steps stay just above zero).
SPREAD_T_END = 1e-4
#: Weight, in the pass's loss, of the :func:`_edge_miss` of the multivariable cells printed at
#: its start (they may be left on the way; the result must print as many multivariable entries).
SPREAD_MULTI_WEIGHT = 3.0
#: Largest change of one patient's value in a move, in units of the column's last CSV decimal:
#: each move draws one of these, then a change up to it either way.
SPREAD_MAGNITUDES = (1, 2, 5, 10, 30, 100, 300)


def spread_anneal(
    df: pd.DataFrame,
    rng: np.random.Generator,
    *,
    steps: int = SPREAD_STEPS,
    columns: dict | None = None,
    decimals: dict,
) -> tuple[pd.DataFrame, tuple, tuple]:
    """Widen too narrow univariate intervals by moving a column's values, range not kept.

    A per-unit covariate's SE is set by the information: the sum over deaths of the variance of
    the covariate among those at risk, each weighted by its ``exp(beta x)``. The value phase
    (:func:`value_polish`, :func:`value_se_pass`) keeps every value within the column's current
    range and moves greedily, and CRP's interval stays too narrow there. Here, for each column of
    ``columns`` (default :data:`SPREAD_COLUMNS`: column -> (term, (lowest, highest) plausible
    value)) in turn, a Metropolis search (kirkpatrick1983) of up to ``steps`` steps on the
    column's values alone: three patients move by ``+a``, ``+b`` and ``-(a + b)`` units of the
    column's last CSV decimal (``a`` drawn up to one of :data:`SPREAD_MAGNITUDES`, ``b`` the
    change that keeps the sum of squares about the same, give or take one unit), so the sum and
    the mean stay exact; the SD must print as Table 1 prints it (integer arithmetic,
    :func:`_sd_window`) and every value stays within the plausible range. The loss is
    :func:`_edge_miss` over the column's univariate cells plus :data:`SPREAD_MULTI_WEIGHT` times
    that over the multivariable cells printed at the start; a move that makes a multivariable
    row disagree is refused. The univariate model is refitted per move; the multivariable model
    takes one Newton-Raphson step from its last estimates (:func:`_newton_once`), and only when
    the univariate part alone leaves the move acceptable. The temperature falls from
    :data:`SPREAD_T_START` as the square of the steps left; the search stops at loss 0. The
    column's best values replace it only when, fitted from scratch, they print more univariate
    entries, as many multivariable entries or more, and every row agrees. Deterministic for a
    generator state (each column on its own generator spawned from ``rng``); only the columns'
    values change (never the survival times or events). ``decimals``: as in
    :func:`value_polish`.

    Parameters
    ----------
    df : pandas.DataFrame
        A cohort as :func:`analysis.cohort.load_cohort` reads it.
    rng : numpy.random.Generator
        The pass's generator.
    steps : int
        Most Metropolis steps per column.
    columns : dict, optional
        Columns to search (default :data:`SPREAD_COLUMNS`).
    decimals : dict
        Decimals the cohort file writes per column (:data:`analysis.synthesis.CSV_DECIMALS`).

    Returns
    -------
    tuple
        ``(frame, tallies before, tallies after)`` (:func:`_tallies`).

    Examples
    --------
    No steps, nothing changes:

    >>> from analysis.cohort import load_cohort
    >>> from analysis.synthesis import CSV_DECIMALS
    >>> frame, before, after = spread_anneal(load_cohort(), np.random.default_rng(1), steps=0,
    ...                                      decimals=CSV_DECIMALS)
    >>> before == after, frame.equals(load_cohort())
    (True, True)
    """
    columns = SPREAD_COLUMNS if columns is None else columns
    rows = multivariable_rows()

    out = df.copy()
    start = _frame_tallies(out)
    rngs = rng.spawn(len(columns))
    for (col, (term, (low, high))), sub_rng in zip(columns.items(), rngs, strict=True):
        if col not in out.columns or steps <= 0:
            continue
        units = _spread_search(out, col, term, (low, high), sub_rng, steps, int(decimals[col]))
        if units is None:
            continue
        dec = int(decimals[col])
        trial = out.copy()
        trial[col] = (units / 10**dec).astype(float) if dec else units.astype(out[col].dtype)
        key, was = _frame_tallies(trial), _frame_tallies(out)
        if key[2] == len(rows) and key[0] > was[0] and key[1] >= was[1]:
            out = trial
    return out, start, _frame_tallies(out)


def _newton_once(risk: _RiskSets, xs: np.ndarray, beta: np.ndarray):
    """One Breslow Newton-Raphson step of the model with design ``xs`` (sorted as ``risk``)
    from ``beta``: the new estimates and their SEs from the information at ``beta`` (nan when
    it is singular). :func:`spread_anneal`'s multivariable model changes a little per move, so
    one step from the last estimates tracks the fit; its result is refitted from scratch."""
    # the deaths' rows by take (xs[risk.ev]'s rows, C order, less overhead)
    grad, info = risk.score_information(xs, beta, np.add.reduce(xs.take(risk.ev_rows, 0), axis=0))
    try:
        step, cov = engine.solve_symmetric(info, grad, inverse=True)
    except np.linalg.LinAlgError:
        return beta, np.full(beta.size, np.nan)
    # np.clip with no upper bound is np.maximum
    return beta + step, np.sqrt(np.maximum(cov.diagonal(), 0.0))


def _edge_bounds(cell: dict) -> tuple:
    """:func:`_edge_miss`'s constants for ``cell``, once: (multiple of the SE added to beta, or
    None for P; lower and upper edge of the rounding bin; unit of the distance)."""
    half = 0.5 * 10.0 ** -cell["decimals"]
    v = cell["value"]
    if cell["stat"] == "p":
        if cell["relation"] == "<":
            return None, _z_of_p(v), math.inf, 1.0
        return None, _z_of_p(v + half), _z_of_p(v - half) if v - half > 0 else math.inf, 1.0
    shift = {"hr": 0.0, "lower": -Z95, "upper": Z95}[cell["stat"]]
    lo = math.log(v - half) if v - half > 0 else -math.inf
    return shift, lo, math.log(v + half), cell["se"]


def _edge_scalar(beta: float, se: float, bounds: tuple) -> float:
    """:func:`_edge_miss` of one fit, in plain floats, from :func:`_edge_bounds` (the spread
    passes' hot loops add it up inline: :func:`_edge_sum`, :func:`_kept_edge_sum`).

    Examples
    --------
    >>> cell = {"stat": "hr", "value": 2.0, "decimals": 1, "relation": None, "se": 0.5}
    >>> _edge_scalar(math.log(2.0), 0.3, _edge_bounds(cell))   # prints 2.0: no distance
    0.0
    >>> round(_edge_scalar(math.log(2.5), 0.3, _edge_bounds(cell)), 4) == round(
    ...     float(_edge_miss(math.log(2.5), 0.3, cell)), 4)
    True
    """
    shift, lo, hi, unit = bounds
    if not (math.isfinite(beta) and math.isfinite(se) and se > 0):
        return 10.0
    x = abs(beta) / se if shift is None else beta + shift * se
    return (max(lo - x, 0.0) + max(x - hi, 0.0)) / unit


def _edge_sum(beta: float, se: float, bounds) -> float:
    """``sum(_edge_scalar(beta, se, c) for c in bounds)`` of one fit, bit for bit: the same
    additions from an integer 0, left to right, with the fit's check done once and
    ``max(d, 0.0)`` written as ``0.0 if d < 0.0 else d`` (the same value, NaN and -0.0 alike),
    without a call per cell (the spread passes' hot loop).

    Examples
    --------
    >>> cells = [{"stat": s, "value": 2.0, "decimals": 1, "relation": None, "se": 0.5}
    ...          for s in ("hr", "lower", "upper")] + [
    ...     {"stat": "p", "value": 0.04, "decimals": 2, "relation": None, "se": None}]
    >>> bounds = [_edge_bounds(c) for c in cells]
    >>> all(_edge_sum(b, s, bounds) == sum(_edge_scalar(b, s, c) for c in bounds)
    ...     for b in (-1.0, 0.3, math.log(2.5), math.nan) for s in (0.0, 0.1, 0.3, math.inf))
    True
    """
    total = 0
    if not (math.isfinite(beta) and math.isfinite(se) and se > 0):
        for _ in bounds:
            total += 10.0
        return total
    z = abs(beta) / se
    for shift, lo, hi, unit in bounds:
        x = z if shift is None else beta + shift * se
        below, above = lo - x, x - hi
        total += ((0.0 if below < 0.0 else below) + (0.0 if above < 0.0 else above)) / unit
    return total


def _kept_edge_sum(beta, se, kept_ix) -> float:
    """``sum(_edge_scalar(beta[m], se[m], c) for m, c in kept_ix)`` (``beta``, ``se``: lists of
    floats), bit for bit, as :func:`_edge_sum` inlines it."""
    total = 0
    for m, (shift, lo, hi, unit) in kept_ix:
        b, s = beta[m], se[m]
        if not (math.isfinite(b) and math.isfinite(s) and s > 0):
            total += 10.0
            continue
        x = abs(b) / s if shift is None else b + shift * s
        below, above = lo - x, x - hi
        total += ((0.0 if below < 0.0 else below) + (0.0 if above < 0.0 else above)) / unit
    return total


def _rows_agree(beta, se, rows_ix) -> bool:
    """Every multivariable row of ``rows_ix`` ((position, lower, upper, significant)) agrees
    (:func:`rows_agreeing`'s rule) at the estimates ``beta`` and SEs ``se``."""
    for pos, lo, up, significant in rows_ix:
        b, s = beta[pos], se[pos]
        if not (math.isfinite(b) and math.isfinite(s) and s > 0):
            return False
        # the interval first: P's erfc only when it holds (the same verdict)
        if not (lo - 0.0005 <= math.exp(b) < up + 0.0005):
            return False
        if (math.erfc(abs(b) / s / _SQRT2) < 0.05) != significant:
            return False
    return True


def _uni_edge(risk, x: np.ndarray, b0: np.ndarray, bounds: list) -> tuple:
    """A univariate model of the design column ``x`` (sorted as ``risk``) refitted from ``b0``:
    its estimate and the sum of :func:`_edge_scalar` over the cells' ``bounds``
    (:func:`_edge_bounds`); inf when the fit fails."""
    b, s, ok = risk.fit(x[:, None], b0)
    if not ok:
        return b, math.inf
    return b, _edge_sum(b.item(0), s.item(0), bounds)


def _next_u32(ahead: list, rng) -> int:
    """The generator's next 32-bit output (its ``next_uint32``): from ``ahead`` (outputs drawn
    in advance, the next one last) while it lasts, else drawn now."""
    return ahead.pop() if ahead else int(rng.integers(0, 1 << 32, dtype=np.uint32))


def _bounded_u32(high: int, ahead: list, rng) -> int:
    """A uniform integer in [0, ``high``] as NumPy's ``Generator.integers`` and
    ``Generator.choice`` draw it from 32-bit outputs when ``high`` < 2**32 - 1 (Lemire's
    multiply and reject, ``buffered_bounded_lemire_uint32``; none drawn for ``high`` 0), the
    outputs taken by :func:`_next_u32`."""
    if high == 0:
        return 0
    excl = high + 1
    m = _next_u32(ahead, rng) * excl
    if (m & 0xFFFFFFFF) < excl:
        threshold = (0xFFFFFFFF - high) % excl
        while (m & 0xFFFFFFFF) < threshold:
            m = _next_u32(ahead, rng) * excl
    return m >> 32


def _move_draws(n: int, rng, mags) -> tuple:
    """:func:`_three_way_move`'s draws, the same numbers from the same generator outputs as
    ``rng.choice(n, 3, replace=False)`` (Floyd's sampling, then the three shuffled, each
    position drawn as an integer, as NumPy 2.4 draws 3 of ``n`` < 2**32),
    ``mags[rng.integers(len(mags))]``, ``rng.integers(-mag, mag + 1)``, ``rng.integers(-1, 2)``
    and ``rng.random()``, in that order, but with one call for the 32-bit outputs that every
    such move takes at least (``tests/test_move_draws.py`` compares numbers and generator
    states). Returns ``(i, j, k, mag, a, jitter, r)``.

    Examples
    --------
    >>> g, h = np.random.default_rng(7), np.random.default_rng(7)
    >>> got = _move_draws(82, g, (1, 2, 5))
    >>> ijk = h.choice(82, 3, replace=False).tolist()
    >>> mag = (1, 2, 5)[h.integers(3)]
    >>> want = (*ijk, mag, int(h.integers(-mag, mag + 1)), int(h.integers(-1, 2)), h.random())
    >>> got == want, g.bit_generator.state == h.bit_generator.state
    (True, True)
    """
    # the fewest outputs the draws below take: one per integer of a range wider than one value
    # (Floyd's three, none at j = 0; the shuffle's two; the magnitude; a; the jitter)
    least = (n > 3) + 2 + 2 + (len(mags) > 1) + (min(mags) > 0) + 1
    ahead = rng.integers(0, 1 << 32, size=least, dtype=np.uint32).tolist()
    ahead.reverse()
    idx = []
    for j in range(n - 3, n):  # Floyd: j itself when the value drawn is taken already
        v = _bounded_u32(j, ahead, rng)
        idx.append(j if v in idx else v)
    for i in (2, 1):  # Fisher-Yates from the last, each position drawn as above
        v = _bounded_u32(i, ahead, rng)
        idx[v], idx[i] = idx[i], idx[v]
    mag = int(mags[_bounded_u32(len(mags) - 1, ahead, rng)])
    a = _bounded_u32(2 * mag, ahead, rng) - mag
    jitter = _bounded_u32(2, ahead, rng) - 1
    return idx[0], idx[1], idx[2], mag, a, jitter, rng.random()


def _three_way_move(units, rng, mags, bounds, window, total: int, squares: int) -> tuple:
    """One move of :func:`spread_anneal`'s and :func:`joint_spread_anneal`'s searches: three
    patients drawn from ``rng`` move by ``+a``, ``+b`` and ``-(a + b)`` units (``a`` up to one of
    ``mags``, ``b`` the change that keeps the sum of squares about the same, give or take one
    unit), so the sum stays; the move stands only when every value stays within ``bounds`` and
    ``n * squares - total**2`` within ``window`` (the SD prints as Table 1 prints it).

    Returns ``(r, patients, new values, old values, new sum of squares)``: ``r`` the move's
    uniform draw for the Metropolis rule; ``patients`` None when the move is refused. The draws
    are the same whether or not it is.

    Examples
    --------
    >>> units = np.array([10, 20, 30, 40, 50], dtype=np.int64)
    >>> total, squares = int(units.sum()), int((units**2).sum())
    >>> r, who, new, old, sq = _three_way_move(units, np.random.default_rng(3),
    ...     np.array([5]), (0, 100), (0, 10**9), total, squares)
    >>> who is None or (sum(new) == sum(old) and 0 <= min(new) and max(new) <= 100)
    True
    """
    n = units.size
    i, j, kk, mag, a, jitter, r = _move_draws(n, rng, mags)
    xi, xj, xk = units.item(i), units.item(j), units.item(kk)
    old = (xi, xj, xk)
    # b solves b**2 + b (x_j - x_k + a) + a (x_i - x_k + a) = 0: the sum of squares kept
    bq, cq = xj - xk + a, a * (xi - xk + a)
    disc = bq * bq - 4 * cq
    if a == 0 or disc < 0:
        return r, None, None, old, None
    root = math.sqrt(disc)
    # the root of smaller size, the first on a tie (min(..., key=abs))
    b_plus, b_minus = (-bq + root) / 2.0, (-bq - root) / 2.0
    b = round(b_minus if abs(b_minus) < abs(b_plus) else b_plus) + jitter
    ni, nj, nk = xi + a, xj + b, xk - a - b
    low, high = bounds
    if not (low <= ni <= high and low <= nj <= high and low <= nk <= high):
        return r, None, None, old, None
    sq_new = squares + (ni * ni + nj * nj + nk * nk) - xi * xi - xj * xj - xk * xk
    if not window[0] <= n * sq_new - total * total <= window[1]:
        return r, None, None, old, None
    return r, (i, j, kk), (ni, nj, nk), old, sq_new


def _spread_search(out, col, term, bounds, rng, steps, dec):
    """One column's Metropolis search of :func:`spread_anneal`: the best values found, in
    integer units of the column's CSV decimals, or None when the column's univariate cells
    already print or a multivariable row disagrees at the start."""
    cells, rows = table2_cells(), multivariable_rows()
    fits = Table2Fits(paper.design_matrix(out, "implied"))
    f = fits.fit()
    mine = [c for c in cells if c["model"] == "uni" and c["term"] == term]
    kept = [
        c for c in cells if c["model"] == "multi" and _edge_miss(*f[("multi", c["term"])], c) == 0
    ]
    risk, pos_l = fits.risk, fits.pos.tolist()
    multi_ix = [fits.idx[t] for t in fits.multi]
    xs = fits.x[:, multi_ix].copy()  # the multivariable design, sorted by time
    xs -= xs.mean(axis=0)
    km = fits.multi.index(term)
    x1 = fits.x[:, fits.idx[term]].copy()
    where = {t: m for m, t in enumerate(fits.multi)}
    rows_ix = [(where[t], lo, up, sig) for t, (lo, up, sig) in rows.items()]
    kept_ix = [(where[c["term"]], _edge_bounds(c)) for c in kept]
    mine_b = [_edge_bounds(c) for c in mine]
    beta1 = np.array([f[("uni", term)][0]])
    beta = np.array([f[("multi", t)][0] for t in fits.multi])
    se = np.array([f[("multi", t)][1] for t in fits.multi])

    def uni(x, b0):
        return _uni_edge(risk, x, b0, mine_b)

    def multi(b, s):
        b, s = b.tolist(), s.tolist()  # Python floats: the same values, cheaper scalar math
        if not _rows_agree(b, s, rows_ix):
            return math.inf
        return SPREAD_MULTI_WEIGHT * _kept_edge_sum(b, s, kept_ix)

    scale = 10**dec
    units = np.rint(pd.to_numeric(out[col]).to_numpy(float) * scale).astype(np.int64)
    lo_u, hi_u = round(bounds[0] * scale), round(bounds[1] * scale)
    sd_dec = int(load().set_index("id").loc[f"table1.{col}.sd", "decimals"])
    q_lo, q_hi = _sd_window(units, dec, sd_dec)
    s_sum, sq = int(units.sum()), int((units.astype(object) ** 2).sum())
    beta1, cur = uni(x1, beta1)
    cur += multi(beta, se)
    if not math.isfinite(cur) or cur == 0.0:
        return None
    best, best_units = cur, units.copy()
    mags, range_u, window = SPREAD_MAGNITUDES, (lo_u, hi_u), (q_lo, q_hi)
    with np.errstate(all="ignore"):
        for step in range(steps):
            r, who, new, (xi, xj, xk), sq_new = _three_way_move(
                units, rng, mags, range_u, window, s_sum, sq
            )
            if who is None:
                continue
            temp = SPREAD_T_START * (1.0 - step / steps) ** 2 + SPREAD_T_END
            i, j, kk = who
            # the three patients' sorted rows and changes, in Python scalars (the same float
            # subtraction and division as on arrays), added element by element
            ri, rj, rk = pos_l[i], pos_l[j], pos_l[kk]
            di = (float(new[0]) - float(xi)) / scale
            dj = (float(new[1]) - float(xj)) / scale
            dk = (float(new[2]) - float(xk)) / scale
            x1_new = x1.copy()
            x1_new[ri] += di
            x1_new[rj] += dj
            x1_new[rk] += dk
            threshold = cur - temp * math.log(1e-300 if r < 1e-300 else r)  # max(r, 1e-300)
            b1, loss = uni(x1_new, beta1)
            if loss > threshold:
                continue
            xs_new = xs.copy()
            xs_new[ri, km] += di
            xs_new[rj, km] += dj
            xs_new[rk, km] += dk
            b_new, se_new = _newton_once(risk, xs_new, beta)
            loss += multi(b_new, se_new)
            if loss > threshold:
                continue
            cur, sq, x1, xs, beta1, beta, se = loss, sq_new, x1_new, xs_new, b1, b_new, se_new
            units[i], units[j], units[kk] = new
            if cur < best:
                best, best_units = cur, units.copy()
            if cur == 0.0:
                break
    return best_units


# ------------------------------------------------------------------------- joint spread pass

#: The column :func:`joint_spread_anneal` aims at, with its term and the plausible clinical range
#: its values may take (AST in U/L: 10 to 1,500). Its univariate interval needs an SE of about
#: 0.0028 (0.0018 on the book's cohort before the pass): the extreme values on patients who die
#: early. :func:`spread_anneal` alone does not reach it with every multivariable entry kept
#: (see :data:`SPREAD_COLUMNS`); here the multivariable entries are won back afterwards by the
#: columns of :data:`JOINT_HELD`.
JOINT_AIM = ("ast_u_l", "ast_gt40", (10.0, 1500.0))
#: The columns :func:`joint_spread_anneal` moves, after AST's interval prints, towards the
#: multivariable entries printed at its start, each with its term and plausible range (None:
#: bilirubin, whose values stay within their Child-Pugh points band, :data:`BILIRUBIN_BANDS`,
#: and move the ALBI score); AST's values move too. No column's univariate edge distance may
#: rise above its value at the start of the search (a printed cell keeps printing).
JOINT_HELD = {
    "crp_mg_l": ("crp_gt3", (0.0, 30.0)),
    "tumor_number": ("tumor_number_gt4", (1.0, 50.0)),
    "bilirubin_mg_dl": ("albi_score", None),
}
#: The first of :func:`joint_spread_anneal`'s three searches, as (most steps, start
#: temperature): the reach of AST's interval (multivariable rows only as a soft penalty,
#: :func:`_row_excess`).
JOINT_REACH = (60_000, 0.02)
#: The second search, as (most steps, start temperature): the repair of the multivariable
#: entries, at a higher temperature than the reach.
JOINT_REPAIR = (30_000, 0.2)
#: The polish rounds, as (most steps, start temperature): the repair's search at a low
#: temperature, up to :data:`JOINT_POLISH_ROUNDS` times.
JOINT_POLISH = (20_000, 0.02)
#: Polish rounds at most (each from the last one's best, on its own generator); the pass stops
#: at the first round whose values, fitted from scratch, print more univariate entries than the
#: incoming ones, as many multivariable ones or more, every row agreeing.
JOINT_POLISH_ROUNDS = 5
#: Weight of :func:`_row_excess` in the repair and polish searches (1 in the reach).
JOINT_ROW_WEIGHT = 3.0
#: Margin, in the row's SE units, by which :func:`_row_excess` wants each row inside its rule
#: (the one-step multivariable update of the search is not the fit).
JOINT_ROW_MARGIN = 0.02
#: Largest change of one patient's bilirubin in a move, in units of 0.1 mg/dL.
JOINT_BAND_STEP = 3


def _row_excess(beta, se, rows_ix, margin: float = JOINT_ROW_MARGIN) -> float:
    """How far estimates ``beta``, ``se`` (sequences) lie from every multivariable row of
    ``rows_ix`` ((position, lower, upper, significant)) agreeing by :func:`rows_agreeing`'s rule
    with ``margin`` to spare: the log HR's distance beyond the printed interval (widened by half
    a unit of its last decimal) plus the z statistic's beyond 1.96 on the wrong side, both in
    units of the row's SE; inf for a failed fit.

    Examples
    --------
    >>> rows_ix = [(0, 1.5, 3.0, True)]
    >>> _row_excess([math.log(2.0)], [0.2], rows_ix)   # HR 2 (P 0.0005): agrees
    0.0
    >>> round(_row_excess([math.log(2.0)], [0.5], rows_ix, margin=0.0), 4)   # z 1.386 < 1.96
    0.5737
    """
    out = 0.0
    for pos, lo, up, significant in rows_ix:
        b, s = beta[pos], se[pos]
        if not (math.isfinite(b) and math.isfinite(s) and s > 0):
            return math.inf
        low, high = math.log(lo - 0.0005), math.log(up + 0.0005)
        out += (max(low - b + margin * s, 0.0) + max(b - high + margin * s, 0.0)) / s
        z = abs(b) / s
        out += max(Z95 + margin - z, 0.0) if significant else max(z - Z95 + margin, 0.0)
    return out


def _joint_columns(out, fits, f, cols: dict, decimals: dict) -> list:
    """Per column of ``cols`` (column -> (term, range or None, aimed)): the state
    :func:`_joint_search` moves (values in integer units of the CSV decimals, the univariate
    design column sorted by time, its last estimate, its cells' edge bounds)."""
    cells = table2_cells()
    sd_dec = load().set_index("id")["decimals"]
    state = []
    for col, (term, bounds, aimed) in cols.items():
        dec = int(decimals[col])
        scale = 10**dec
        units = np.rint(pd.to_numeric(out[col]).to_numpy(float) * scale).astype(np.int64)
        d = {
            "col": col, "aimed": aimed, "scale": scale, "units": units,
            "x1": fits.x[:, fits.idx[term]].copy(), "b1": np.array([f[("uni", term)][0]]),
            "km": fits.multi.index(term) if term in fits.multi else None,
            "mine": [_edge_bounds(c) for c in cells if c["model"] == "uni" and c["term"] == term],
        }  # fmt: skip
        if bounds is None:  # bilirubin: its points band, the ALBI score recomputed
            pts = np.where(units < 2 * scale, 1, np.where(units <= 3 * scale, 2, 3))
            d["band"] = tuple(
                np.array([round(BILIRUBIN_BANDS[p][k] * scale) for p in pts]) for k in (0, 1)
            )
            d["alb"] = pd.to_numeric(out["albumin_g_dl"]).to_numpy(float)
        else:
            d["range"] = (round(bounds[0] * scale), round(bounds[1] * scale))
            d["q"] = _sd_window(units, dec, int(sd_dec[f"table1.{col}.sd"]))
            d["sum"], d["sq"] = int(units.sum()), int((units.astype(object) ** 2).sum())
        state.append(d)
    return state


def _joint_search(out, cols, rng, steps, t_start, row_weight, kept, decimals):
    """One Metropolis search of :func:`joint_spread_anneal` over the values of ``cols`` (see
    :func:`_joint_columns`): per step one column, drawn uniformly, moves -- three patients by
    ``+a``, ``+b``, ``-(a + b)`` as in :func:`spread_anneal` (mean exact, SD as Table 1 prints
    it, values within the plausible range) or one patient's bilirubin by up to
    :data:`JOINT_BAND_STEP` units within its band. The loss: :func:`_edge_miss` over the aimed
    columns' univariate cells, plus ``row_weight`` times :func:`_row_excess`, plus that over the
    multivariable cells ``kept``; a held column's univariate distance may not rise above its
    start. Univariate models are refitted per move, the multivariable model takes one
    Newton-Raphson step (:func:`_newton_once`). The temperature falls from ``t_start`` as the
    square of the steps left, plus :data:`SPREAD_T_END`; the search stops at loss 0. Returns
    (best loss, the best values per column in integer units)."""
    rows = multivariable_rows()
    fits = Table2Fits(paper.design_matrix(out, "implied"))
    f = fits.fit()
    risk, pos_l = fits.risk, fits.pos.tolist()
    xs = fits.x[:, [fits.idx[t] for t in fits.multi]].copy()
    xs -= xs.mean(axis=0)
    where = {t: m for m, t in enumerate(fits.multi)}
    rows_ix = [(where[t], lo, up, sig) for t, (lo, up, sig) in rows.items()]
    kept_ix = [(where[c["term"]], _edge_bounds(c)) for c in kept]
    beta = np.array([f[("multi", t)][0] for t in fits.multi])
    se = np.array([f[("multi", t)][1] for t in fits.multi])
    state = _joint_columns(out, fits, f, cols, decimals)

    def uni(d, x, b0):
        return _uni_edge(risk, x, b0, d["mine"])

    def multi(b, s):
        b, s = b.tolist(), s.tolist()
        return row_weight * _row_excess(b, s, rows_ix) + _kept_edge_sum(b, s, kept_ix)

    part = []
    for d in state:
        d["b1"], loss = uni(d, d["x1"], d["b1"])
        part.append(loss)
    ceiling = list(part)  # a held column's distance may not rise above its start
    aims = [m for m, d in enumerate(state) if d["aimed"]]
    cur_multi = multi(beta, se)
    cur = sum(part[m] for m in aims) + cur_multi
    best = (cur, [d["units"].copy() for d in state])
    if not math.isfinite(cur) or cur == 0.0:
        return best
    mags, n_state = SPREAD_MAGNITUDES, len(state)
    albi_at: dict = {}  # (patient, bilirubin units) -> ALBI score (albumin stays)
    n = len(out)
    with np.errstate(all="ignore"):
        for step in range(steps):
            k = int(rng.integers(n_state))
            d = state[k]
            units = d["units"]
            if "band" in d:
                i = int(rng.integers(n))
                delta = int(rng.integers(-JOINT_BAND_STEP, JOINT_BAND_STEP + 1))
                r = rng.random()
                v = int(units[i]) + delta
                if delta == 0 or not d["band"][0][i] <= v <= d["band"][1][i]:
                    continue
                ri = pos_l[i]
                x1 = d["x1"].copy()
                new_x = albi_at.get((i, v))
                if new_x is None:  # a patient's ALBI score at a bilirubin value, made once
                    new_x = float(_albi_of(np.array([v / d["scale"]]), d["alb"][[i]])[0])
                    albi_at[(i, v)] = new_x
                moved = [(ri, new_x - x1[ri])]
                x1[ri] = new_x
                new, who, sq_new = (v,), (i,), None
            else:
                r, who, new, (xi, xj, xk), sq_new = _three_way_move(
                    units, rng, mags, d["range"], d["q"], d["sum"], d["sq"]
                )
                if who is None:
                    continue
                x1 = d["x1"].copy()
                moved = []
                for p, v, old in zip(who, new, (xi, xj, xk), strict=True):
                    change = (float(v) - float(old)) / d["scale"]
                    x1[pos_l[p]] += change
                    moved.append((pos_l[p], change))
            temp = t_start * (1.0 - step / steps) ** 2 + SPREAD_T_END
            threshold = cur - temp * math.log(1e-300 if r < 1e-300 else r)  # max(r, 1e-300)
            b1, lu = uni(d, x1, d["b1"])
            if not d["aimed"] and lu > ceiling[k]:
                continue
            # the aimed columns' distances summed afresh, so that a loss of 0 is exactly 0
            aimed = sum(lu if m == k else part[m] for m in aims)
            if aimed + cur_multi > threshold:
                continue
            xs_new, b_new, se_new = xs, beta, se
            if d["km"] is not None:
                xs_new = xs.copy()
                for row, change in moved:
                    xs_new[row, d["km"]] += change
                b_new, se_new = _newton_once(risk, xs_new, beta)
            new_multi = multi(b_new, se_new)
            loss = aimed + new_multi
            if loss > threshold:
                continue
            cur, cur_multi, xs, beta, se = loss, new_multi, xs_new, b_new, se_new
            d["x1"], d["b1"], part[k] = x1, b1, lu
            if sq_new is not None:
                d["sq"] = sq_new
            for p, v in zip(who, new, strict=True):
                units[p] = v
            if cur < best[0]:
                best = (cur, [dd["units"].copy() for dd in state])
            if cur <= 0.0:
                break
    return best


def _with_units(out: pd.DataFrame, cols, values, decimals: dict) -> pd.DataFrame:
    """``out`` with each column of ``cols`` replaced by ``values`` (integer units of its CSV
    decimals, as :func:`_joint_search` returns them)."""
    frame = out.copy()
    for col, units in zip(cols, values, strict=True):
        dec = int(decimals[col])
        frame[col] = (units / 10**dec).astype(float) if dec else units.astype(frame[col].dtype)
    return frame


def joint_spread_anneal(
    df: pd.DataFrame,
    rng: np.random.Generator,
    *,
    reach: tuple = JOINT_REACH,
    repair: tuple = JOINT_REPAIR,
    polish: tuple = JOINT_POLISH,
    rounds: int = JOINT_POLISH_ROUNDS,
    decimals: dict,
) -> tuple[pd.DataFrame, tuple, tuple]:
    """Print AST's univariate interval by its values, then win back the multivariable entries.

    :func:`spread_anneal` moves one column's values with every multivariable entry printed at
    its start kept at each step, and on the book's cohort AST's interval stays out of reach that
    way (its SE needs to rise from 0.0018 to about 0.0028: the extreme values on patients who
    die early). Here, in three Metropolis searches (:func:`_joint_search`, each on its own
    generator spawned from ``rng``):

    * reach: AST's values alone (:data:`JOINT_AIM`: three patients move by ``+a``, ``+b``,
      ``-(a + b)``, the mean exact, the SD as Table 1 prints it, every value within 10-1,500
      U/L) towards its univariate cells, the multivariable rows only a soft penalty
      (:func:`_row_excess`), at most ``reach`` = (steps, start temperature);
    * repair: AST's values (its cells held) and those of :data:`JOINT_HELD` (CRP and tumour
      number likewise, bilirubin within its Child-Pugh points band, so the ALBI score moves,
      every score stays; each column's univariate cells held) towards the multivariable entries
      printed at the start, every row wanted with :data:`JOINT_ROW_MARGIN` to spare
      (:data:`JOINT_ROW_WEIGHT`), ``repair`` = (steps, temperature);
    * polish: the same search at ``polish``, up to ``rounds`` times, each from the last one's
      best, until the values, fitted from scratch, print more univariate entries than the
      incoming cohort, as many multivariable entries or more, every row agreeing.

    The values replace the columns only then; otherwise the incoming frame is returned. Survival
    times and events, and every printed Table 1 number, stay. Deterministic for a generator
    state. ``decimals``: as in :func:`value_polish`.

    Parameters
    ----------
    df : pandas.DataFrame
        A cohort as :func:`analysis.cohort.load_cohort` reads it.
    rng : numpy.random.Generator
        The pass's generator.
    reach, repair, polish : tuple
        (most steps, start temperature) of each search (defaults :data:`JOINT_REACH`,
        :data:`JOINT_REPAIR`, :data:`JOINT_POLISH`).
    rounds : int
        Most polish rounds.
    decimals : dict
        Decimals the cohort file writes per column (:data:`analysis.synthesis.CSV_DECIMALS`).

    Returns
    -------
    tuple
        ``(frame, tallies before, tallies after)`` (:func:`_tallies`).

    Examples
    --------
    No steps, nothing changes:

    >>> from analysis.cohort import load_cohort
    >>> from analysis.synthesis import CSV_DECIMALS
    >>> frame, before, after = joint_spread_anneal(
    ...     load_cohort(), np.random.default_rng(1), reach=(0, 0.02), decimals=CSV_DECIMALS)
    >>> before == after, frame.equals(load_cohort())
    (True, True)
    """
    cells = table2_cells()
    rows = multivariable_rows()

    start = _frame_tallies(df)
    col, term, bounds = JOINT_AIM
    if col not in df.columns or start[2] != len(rows) or reach[0] <= 0:
        return df, start, start
    reach_rng, repair_rng, polish_rng = rng.spawn(3)
    cols = {col: (term, bounds, True)}
    loss, values = _joint_search(df, cols, reach_rng, reach[0], reach[1], 1.0, [], decimals)
    if loss != 0.0:  # AST's cells do not print (or a row wants more room)
        return df, start, start
    out = _with_units(df, cols, values, decimals)
    fits = _fitted(df)
    multi_cells = [c for c in cells if c["model"] == "multi"]
    kept = [c for c in multi_cells if _edge_miss(*fits[("multi", c["term"])], c) == 0]
    cols = {col: (term, bounds, False)} | {
        c: (t, b, False) for c, (t, b) in JOINT_HELD.items() if c in df.columns
    }
    searches = [(repair_rng, repair)] + [(r, polish) for r in polish_rng.spawn(rounds)]
    for sub_rng, (steps, temp) in searches:
        loss, values = _joint_search(
            out, cols, sub_rng, steps, temp, JOINT_ROW_WEIGHT, kept, decimals
        )
        out = _with_units(out, cols, values, decimals)
        key = _frame_tallies(out)
        if key[2] == len(rows) and key[0] > start[0] and key[1] >= start[1]:
            return out, start, key
    return df, start, start


# ------------------------------------------------------------------ edge-distance exchange polish

#: Blocks :func:`uni_edge_polish` searches, in order, each with the ``(term, stat)`` univariate
#: cells whose edge distance it lowers (None: all of the block's). Sex's P (0.96) is infeasible
#: with its printed interval, so it is left out. On the book's seed the liver and tumour-stage
#: blocks gain nothing: the liver exchange that prints albumin's HR loses the block's other
#: univariate entries and most multivariable ones, and each PVTT dummy prints its HR or its P
#: but not both (Vp1-2 needs an SE of at least 0.304 for both, which no search of any PVTT
#: arrangement over these survival times, even one free of the BCLC stage, came near).
EDGE_BLOCKS = {"sex": (("sex_female", "hr"), ("sex_female", "lower"), ("sex_female", "upper"))}
#: Most exchanges :func:`uni_edge_polish` makes per block.
EDGE_MOVES = 20
#: Candidates per block and move that :func:`uni_edge_polish` refits exactly.
EDGE_SHORTLIST = 8
#: Blocks of one binary term whose small group (here the 7 women) :func:`uni_edge_polish` also
#: searches by double exchanges (two members of the group with two others at once) when no
#: single exchange improves.
EDGE_DOUBLE = ("sex",)


def uni_edge_polish(
    df: pd.DataFrame,
    *,
    blocks: dict | None = None,
    moves: int = EDGE_MOVES,
    shortlist: int = EDGE_SHORTLIST,
) -> tuple[pd.DataFrame, tuple, tuple]:
    """Steepest descent per block on the continuous edge distance of its univariate cells.

    :func:`uni_block_polish` scores a cell by :func:`cell_miss`, the distance to the printed value
    itself, so a printed cell sits at its value and an exchange that would move it towards the
    edge of its rounding bin, to let a neighbouring cell of the same row print, costs as much as
    a miss. Here, for each block of ``blocks`` (default :data:`EDGE_BLOCKS`: block -> the
    ``(term, stat)`` cells aimed at, None for all of the block's) in turn, up to ``moves`` times
    and until every aimed cell prints: every admissible exchange of the block between two
    patients (in the tumour-stage block also PVTT-only exchanges within a BCLC stage, as in
    :func:`uni_block_anneal`) is screened at once by a batched Newton-Raphson of the block's
    univariate models (:func:`_batched_fit`) on the sum of :func:`_edge_miss` over the aimed
    cells (0 inside a cell's rounding bin); the ``shortlist`` best are refitted exactly, and the
    best one is made when it prints more of the block's univariate entries, or as many with a
    lower edge distance, while every multivariable row still agrees and no multivariable entry
    is lost. When no single exchange qualifies and the block is in :data:`EDGE_DOUBLE` (one
    binary term), every double exchange -- two patients of the smaller group with two of the
    larger at once -- is screened and refitted the same way (:func:`_edge_double`), which
    reaches arrangements a chain of improving single exchanges cannot. Deterministic. The block
    replaces its arrangement when a fit from scratch confirms (:func:`_keep_if_no_worse`).
    Returns the frame and :func:`_tallies` before and after.

    Parameters
    ----------
    df : pandas.DataFrame
        A cohort as :func:`analysis.cohort.load_cohort` reads it.
    blocks : dict, optional
        Blocks to search and their aimed cells (default :data:`EDGE_BLOCKS`).
    moves, shortlist : int
        Most exchanges per block, and candidates per move refitted exactly.

    Returns
    -------
    tuple
        ``(frame, tallies before, tallies after)``.

    Examples
    --------
    >>> from analysis.cohort import load_cohort
    >>> frame, before, after = uni_edge_polish(load_cohort(), moves=0)
    >>> before == after
    True
    """
    cells = table2_cells()
    rows = multivariable_rows()
    multi_cells = [c for c in cells if c["model"] == "multi"]
    out = df.copy()
    start = _frame_tallies(out, cells, rows)
    n = len(out)
    ii, jj = np.triu_indices(n, 1)
    blocks = EDGE_BLOCKS if blocks is None else blocks
    for block, stats in blocks.items():
        start_of = _block_start(out, block, cells) if moves > 0 else None
        if start_of is None:
            continue
        fits, ix, models, uni_models, held, mine, cols, vals, sub, sub_ix = start_of
        aimed = [c for c in mine if stats is None or (c["term"], c["stat"]) in stats]
        kinds = [(ix, None)] + ([(sub_ix, sub)] if sub else [])

        def state(fits=fits, models=uni_models, mine=mine, aimed=aimed, held=held):
            """(every row agrees, multivariable entries printed, univariate entries printed,
            edge distance) of the current arrangement."""
            f = fits.fit(models)
            printed: dict = {}
            edge = 0.0
            for c in mine:
                b, s = f[("uni", c["term"])]
                edge += float(_edge_miss(b, s, c)) if c in aimed else 0.0
                printed[c["id"]] = printed.get(c["id"], True) and cell_miss(b, s, c) == 0.0
            ok, multi = True, 0
            if held:
                ok, multi, _ = _multi_state(fits, rows, multi_cells)
            return ok, multi, sum(printed.values()), edge

        ok, cur_multi, cur_hit, cur_edge = state()
        if not ok:
            continue
        double = block in EDGE_DOUBLE and len(ix) == 1 and len(uni_models) == 1
        for _ in range(moves):
            if cur_edge == 0.0:
                break  # every aimed cell prints
            cands = _edge_single(fits, kinds, vals, cols, uni_models, aimed, ii, jj, shortlist)
            best = _edge_best(fits, cands, shortlist, state, cur_multi, (cur_hit, -cur_edge))
            if best is None and double:
                cands = _edge_double(fits, ix, uni_models[0], aimed, shortlist)
                best = _edge_best(fits, cands, shortlist, state, cur_multi, (cur_hit, -cur_edge))
            if best is None:
                break
            (cur_hit, neg_edge), cur_multi, pairs, move_ix, move_sub = best
            cur_edge = -neg_edge
            for i, j in pairs:
                fits.swap(i, j, move_ix)
                _exchange(vals, i, j, sub if move_sub is not None else None)
            fits.fit(models)
        out = _keep_if_no_worse(out, df, cols, vals, cells, rows)
    end = _frame_tallies(out, cells, rows)
    return out, start, end


def _edge_single(fits, kinds, vals, cols, uni_models, mine, ii, jj, shortlist) -> list:
    """:func:`uni_edge_polish`'s single exchanges: the ``shortlist`` best of each kind by the
    batched edge distance, as ``(score, ((i, j),), design columns, block columns or None)``."""
    cands = []
    for move_ix, move_sub in kinds:
        xp = fits.x[:, move_ix][fits.pos]
        good = np.any(xp[ii] != xp[jj], axis=1)
        if move_sub is not None:
            good &= _stage_c_kept(vals, cols, ii, jj)
        ci, cj = ii[good], jj[good]
        if ci.size == 0:
            continue
        score = np.zeros(ci.size)
        for m in uni_models:
            mcols = list(m)
            mix = [fits.idx[c] for c in mcols]
            if not set(mix) & set(move_ix):
                continue  # unchanged by the move: the same for every candidate
            xs = _swapped_designs(fits, mix, ci, cj)
            beta, se = _batched_fit(fits.risk, xs, fits.beta.get(m, np.zeros(len(mcols))))
            for c in mine:
                if c["term"] in mcols:
                    t = mcols.index(c["term"])
                    score += _edge_miss(beta[:, t], se[:, t], c)
        for k in np.argsort(score, kind="stable")[:shortlist]:
            cands.append((float(score[k]), ((int(ci[k]), int(cj[k])),), move_ix, move_sub))
    return sorted(cands, key=lambda c: c[0])


def _edge_double(fits, ix, model, mine, shortlist) -> list:
    """:func:`uni_edge_polish`'s double exchanges of a block of one binary term: two patients of
    the smaller group with two of the larger at once, every such move screened by one batched
    fit; the ``shortlist`` best as :func:`_edge_single` gives them."""
    xp = fits.x[:, ix[0]][fits.pos]
    one = xp == 1
    small, large = (np.flatnonzero(one), np.flatnonzero(~one))
    if small.size > large.size:
        small, large = large, small
    a1, a2 = np.triu_indices(small.size, 1)
    b1, b2 = np.triu_indices(large.size, 1)
    ka, kb = np.repeat(np.arange(a1.size), b1.size), np.tile(np.arange(b1.size), a1.size)
    p1, p2 = small[a1[ka]], small[a2[ka]]
    q1, q2 = large[b1[kb]], large[b2[kb]]
    base = fits.x[:, ix]
    xs = np.broadcast_to(base, (ka.size,) + base.shape).copy()
    r = np.arange(ka.size)
    for p, q in ((p1, q1), (p2, q2)):
        xs[r, fits.pos[p], 0], xs[r, fits.pos[q], 0] = base[fits.pos[q], 0], base[fits.pos[p], 0]
    beta, se = _batched_fit(fits.risk, xs, fits.beta.get(model, np.zeros(1)))
    score = sum(_edge_miss(beta[:, 0], se[:, 0], c) for c in mine)
    return [
        (float(score[k]), ((int(p1[k]), int(q1[k])), (int(p2[k]), int(q2[k]))), ix, None)
        for k in np.argsort(score, kind="stable")[:shortlist]
    ]


def _edge_best(fits, cands, shortlist, state, cur_multi, cur_key):
    """The best of the first ``shortlist`` candidates refitted exactly that every row agrees
    with, loses no multivariable entry and beats ``cur_key`` (univariate entries printed,
    -edge distance): ``(key, multivariable entries, pairs, design columns, block columns)``."""
    best = None
    for _, pairs, move_ix, move_sub in cands[:shortlist]:
        saved, saved_beta = dict(fits.fits), dict(fits.beta)
        for i, j in pairs:
            fits.swap(i, j, move_ix)
        ok, multi, hit, edge = state()
        for i, j in reversed(pairs):
            fits.swap(i, j, move_ix)
        fits.fits, fits.beta = saved, saved_beta
        if not ok or multi < cur_multi:
            continue
        key = (hit, -edge)
        if key > (cur_key[0], cur_key[1] + 1e-12) and (best is None or key > best[0]):
            best = (key, multi, pairs, move_ix, move_sub)
    return best


# --------------------------------------------------------------------------------------------
# exhaustive double exchanges of the PVTT grade
# --------------------------------------------------------------------------------------------

#: Screened double exchanges per round of :func:`uni_double_polish` given one Newton-Raphson
#: step on their own designs. Measured on the book's cohort before the pass: the only
#: arrangement that prints more ranks 4,200th of the 347,978 double exchanges by the summed
#: changes of their singles, first after the step (the step costs about 0.4 CPU-s here).
DOUBLE_SCREEN = 20_000
#: Rounds of :func:`uni_double_polish`, at most (one exchange, single or double, per round).
DOUBLE_ROUNDS = 3
#: The PVTT design columns (Vp1-2 and Vp3-4 against Vp0), fitted together.
PVTT_TERMS = ("pvtt_vp1_2", "pvtt_vp3_4")


def _pvtt_singles(fits: Table2Fits, vals: np.ndarray, cols: list) -> tuple:
    """The exchanges of the PVTT grade (with its vascular-invasion flag) between two patients
    of the same BCLC stage that change the PVTT design and leave no stage-C patient without a
    stage-C reason: ``(i, j)`` arrays, ``i < j``."""
    n = vals.shape[0]
    ii, jj = np.triu_indices(n, 1)
    xp = fits.x[fits.pos][:, [fits.idx[c] for c in PVTT_TERMS]]
    ok = np.any(xp[ii] != xp[jj], axis=1) & _stage_c_kept(vals, cols, ii, jj)
    return ii[ok], jj[ok]


def _pvtt_setup(frame: pd.DataFrame, vals: np.ndarray, cols: list):
    """One round's start of :func:`uni_double_polish` and :func:`pvtt_edge_descent` on
    ``frame`` (whose tumour-stage block ``cols`` holds ``vals``): ``None`` when its design lacks
    a PVTT term, else ``(fits, b0, s0, ci, cj)``: the Table 2 fits, the univariate PVTT model's
    estimates and SEs (:data:`PVTT_TERMS` order) and the exchanges :func:`_pvtt_singles`
    allows."""
    fits = Table2Fits(paper.design_matrix(frame, "implied"))
    if not all(c in fits.idx for c in PVTT_TERMS):
        return None
    fitted = fits.fit([PVTT_TERMS])
    b0 = np.array([fitted[("uni", t)][0] for t in PVTT_TERMS])
    s0 = np.array([fitted[("uni", t)][1] for t in PVTT_TERMS])
    ci, cj = _pvtt_singles(fits, vals, cols)
    return fits, b0, s0, ci, cj


def _pvtt_doubles(fits, ci, cj, b0, s0, rank, screen: int, steps: int) -> tuple:
    """Every single exchange ``(ci[k], cj[k])`` fitted by :func:`_batched_fit` from ``b0``, and
    the ``screen`` doubles on four distinct patients that ``rank`` (a callable of estimates and
    SEs, smallest first) puts first by their singles' summed changes, each given ``steps``
    Newton-Raphson steps on its own design: ``(b1, s1, a1, a2, b2, s2)``, the doubles being
    the singles ``a1[k]`` and ``a2[k]``."""
    mix = [fits.idx[c] for c in PVTT_TERMS]
    b1, s1 = _batched_fit(fits.risk, _swapped_designs(fits, mix, ci, cj), b0)
    a1, a2 = np.triu_indices(ci.size, 1)
    apart = (ci[a1] != ci[a2]) & (ci[a1] != cj[a2]) & (cj[a1] != ci[a2]) & (cj[a1] != cj[a2])
    a1, a2 = a1[apart], a2[apart]
    near = np.argsort(rank(b1[a1] + b1[a2] - b0, s1[a1] + s1[a2] - s0), kind="stable")[:screen]
    a1, a2 = a1[near], a2[near]
    xs = _swapped_designs(fits, mix, ci[a1], cj[a1])
    k = np.arange(a1.size)
    p, q = fits.pos[ci[a2]], fits.pos[cj[a2]]
    xs[k, p], xs[k, q] = xs[k, q], xs[k, p].copy()
    with np.errstate(all="ignore"):
        b2, s2 = _batched_newton(fits.risk, xs, b1[a1] + b1[a2] - b0, steps)
    return b1, s1, a1, a2, b2, s2


def _entry_distances(beta: np.ndarray, se: np.ndarray, mine: list) -> np.ndarray:
    """Per candidate (rows of ``beta``, ``se``: the PVTT model's estimates), the distance of
    each of the model's univariate entries from printing (:func:`_edge_miss` summed over the
    entry's cells; 0: it prints), sorted ascending."""
    dist: dict = {}
    for c in mine:
        t = PVTT_TERMS.index(c["term"])
        dist[c["id"]] = dist.get(c["id"], 0.0) + _edge_miss(beta[:, t], se[:, t], c)
    return np.sort(np.stack(list(dist.values()), axis=1), axis=1)


def uni_double_polish(
    df: pd.DataFrame, *, screen: int = DOUBLE_SCREEN, rounds: int = DOUBLE_ROUNDS
) -> tuple[pd.DataFrame, tuple, tuple]:
    """Exhaustive single and double exchanges of the PVTT grade towards more univariate entries.

    :func:`uni_block_anneal`, :func:`uni_block_polish` and :func:`uni_edge_polish` make one
    exchange at a time and keep it only when it lowers a loss, so an arrangement two exchanges
    away whose first exchange alone prints less is not reached. Here every exchange of the PVTT
    grade and its vascular-invasion flag between two patients of the same BCLC stage (no
    stage-C patient left without a stage-C reason, as in :func:`uni_block_anneal`), and every
    pair of two such exchanges on four distinct patients, is screened. These exchanges move
    only the univariate PVTT model (Vp1-2 and Vp3-4 against Vp0, :data:`PVTT_TERMS`): BCLC
    stage, every other column and the multivariable model are untouched. Each single exchange
    is fitted by a batched Newton-Raphson (:func:`_batched_fit`); a double exchange's estimates
    are first taken as the current ones plus the changes of its two singles, and the
    ``screen`` doubles closest to printing one entry more than the cohort (the sum of the
    smallest distances, :func:`_edge_miss` per entry) get one Newton-Raphson step on their own
    designs from there. Every candidate that then prints more of the model's univariate
    entries is tried, the most entries first, then the smallest summed edge distance, then
    singles before doubles; the first that a fit from scratch confirms -- more univariate
    entries in all, no fewer multivariable entries and no fewer rows agreeing
    (:func:`_tallies`) -- is made. At most ``rounds`` rounds, until none qualifies.
    Deterministic (no random numbers).

    Measured on the book's cohort before the pass (0.9 CPU-s in all, two rounds): one double
    exchange -- the Vp2 and Vp3 grades of four stage-C patients, two who died and two
    censored -- prints PVTT Vp1-2's and Vp3-4's hazard ratios instead of Vp1-2's P, one
    univariate entry more; the second round finds nothing. The same search over whole
    tumour-stage blocks (5.4 million doubles, BCLC stage moving too) finds only that
    arrangement (BCLC stage's hazard ratio with its P needs an SE of at most 0.2500; no
    arrangement of its stages found came below 0.2567 near that ratio), and the exact search of
    the liver block's 408,791 doubles that change a Child-Pugh score prints no more of its
    entries, so neither is searched here.

    Parameters
    ----------
    df : pandas.DataFrame
        A cohort as :func:`analysis.cohort.load_cohort` reads it.
    screen : int
        Doubles given a Newton-Raphson step per round (default :data:`DOUBLE_SCREEN`).
    rounds : int
        Most exchanges made (default :data:`DOUBLE_ROUNDS`).

    Returns
    -------
    tuple
        ``(frame, tallies before, tallies after)``.

    Examples
    --------
    >>> from analysis.cohort import load_cohort
    >>> frame, before, after = uni_double_polish(load_cohort(), rounds=0)
    >>> before == after, frame.equals(load_cohort())
    (True, True)
    """
    cells = table2_cells()
    rows = multivariable_rows()
    out = df.copy()
    start = _frame_tallies(out, cells, rows)
    now = start
    cols = BLOCKS["tumour_stage"]
    sub = [cols.index(c) for c in PVTT_COLUMNS]
    mine = [c for c in cells if c["model"] == "uni" and c["term"] in PVTT_TERMS]
    for _ in range(rounds):
        vals = out[cols].to_numpy(object).copy()
        setup = _pvtt_setup(out, vals, cols)
        if setup is None:
            break
        fits, b0, s0, ci, cj = setup
        cur = int((_entry_distances(b0[None], s0[None], mine)[0] == 0).sum())
        if ci.size == 0 or cur == len({c["id"] for c in mine}):
            break

        def rank(beta, se, cur=cur):
            return _entry_distances(beta, se, mine)[:, : cur + 1].sum(axis=1)

        b1, s1, a1, a2, b2, s2 = _pvtt_doubles(fits, ci, cj, b0, s0, rank, screen, 1)
        # candidates: (entries printed, summed distance of the nearest cur + 1 entries, 0 for a
        # single or 1 for a double, its first single, its second single or -1)
        dist = _entry_distances(b1, s1, mine)
        more = np.flatnonzero((dist == 0).sum(axis=1) > cur)
        found = [(int((dist[k] == 0).sum()), float(dist[k, : cur + 1].sum()), 0, int(k), -1)
                 for k in more]  # fmt: skip
        dist = _entry_distances(b2, s2, mine)
        more = np.flatnonzero((dist == 0).sum(axis=1) > cur)
        found += [(int((dist[k] == 0).sum()), float(dist[k, : cur + 1].sum()), 1, int(a1[k]),
                   int(a2[k])) for k in more]  # fmt: skip
        found.sort(key=lambda f: (-f[0], f[1], f[2:]))
        made = False
        for _, _, _, first, second in found:
            trial_vals = vals.copy()
            for m in (first, second):
                if m >= 0:
                    _exchange(trial_vals, int(ci[m]), int(cj[m]), sub)
            trial = _with_block(out, cols, trial_vals, out)
            then = _frame_tallies(trial, cells, rows)
            if then[0] > now[0] and then[1] >= now[1] and then[2] >= now[2]:
                out, now, made = trial, then, True
                break
        if not made:
            break
    return out, start, now


# --------------------------------------------------------------------------------------------
# steepest descent of the PVTT grade on the edge distance
# --------------------------------------------------------------------------------------------

#: Univariate cells :func:`pvtt_edge_descent` aims at, as ``(term, stat)``: the PVTT entries the
#: cohort prints before it (Vp1-2's and Vp3-4's hazard ratios, Vp3-4's P) and Vp3-4's interval.
#: Vp1-2's interval contradicts Vp3-4's under the usual approximation (with the BCLC row's 66
#: deaths) and Vp1-2's P needs an SE of at least 0.304 beside its hazard ratio, so neither is
#: aimed at.
PVTT_DESCENT_CELLS = (
    ("pvtt_vp1_2", "hr"), ("pvtt_vp3_4", "hr"), ("pvtt_vp3_4", "p"), ("pvtt_vp3_4", "lower"),
    ("pvtt_vp3_4", "upper"),
)  # fmt: skip
#: Rounds of :func:`pvtt_edge_descent`, at most (one exchange, single or double, per round).
PVTT_DESCENT_ROUNDS = 8
#: Newton-Raphson steps a screened double exchange of :func:`pvtt_edge_descent` takes on its own
#: design (from its singles' summed changes) before it is scored.
PVTT_DESCENT_NEWTON = 2


def _pvtt_edge(beta: np.ndarray, se: np.ndarray, aimed: list) -> np.ndarray:
    """Per candidate (rows of ``beta``, ``se``: the PVTT model's estimates), the summed
    :func:`_edge_miss` of the ``aimed`` cells (0: every one prints)."""
    return sum(_edge_miss(beta[:, PVTT_TERMS.index(c["term"])],
                          se[:, PVTT_TERMS.index(c["term"])], c) for c in aimed)  # fmt: skip


def pvtt_edge_descent(
    df: pd.DataFrame,
    *,
    cells: tuple = PVTT_DESCENT_CELLS,
    screen: int = DOUBLE_SCREEN,
    rounds: int = PVTT_DESCENT_ROUNDS,
) -> tuple[pd.DataFrame, tuple, tuple]:
    """Steepest descent of the PVTT grade on the edge distance of chosen univariate cells.

    :func:`uni_double_polish` makes an exchange only when it prints more entries at once, so
    an entry that needs several exchanges, each only bringing it nearer, is not reached: PVTT
    Vp3-4's interval (with 17 deaths at Vp3-4 and 24 at Vp0 its SE is at least 0.3170, the
    interval needs at most 0.3165) needs deaths moved into Vp0 while both hazard ratios, printed
    at three decimals, stay in their rounding bins. Here the same moves -- the PVTT grade and
    its vascular-invasion flag (:data:`PVTT_COLUMNS`) exchanged between two patients of the same
    BCLC stage, no stage-C patient left without a stage-C reason -- are screened on the sum of
    :func:`_edge_miss` over ``cells`` (default :data:`PVTT_DESCENT_CELLS`; 0 when each prints):
    every single exchange by a batched Newton-Raphson (:func:`_batched_fit`), and the ``screen``
    double exchanges on four distinct patients nearest by their singles' summed changes, each
    given :data:`PVTT_DESCENT_NEWTON` Newton-Raphson steps on its own design. Each round makes
    the candidate with the smallest distance, a single or a double, when it is below the
    current one (refitted exactly at the next round), until the distance is 0, nothing lowers
    it, or ``rounds`` rounds. The result replaces the PVTT columns only when, fitted from
    scratch, it prints more univariate entries, no fewer multivariable entries and no fewer rows
    agreeing (:func:`_tallies`). Only the PVTT grade and its flag move: the BCLC stage, every
    other column, the Table 1 counts and the multivariable model (which holds no PVTT term)
    stay as they were. Deterministic (no random numbers).

    Measured on the book's cohort as :func:`uni_double_polish` leaves it: three double
    exchanges (distance 0.0317 -> 0.0030 -> 0.0004 -> 0) print Vp3-4's interval (0.559-1.931)
    beside the PVTT entries printed before, with 25 deaths at Vp0: one univariate entry more,
    multivariable entries and rows unchanged, 2-3 CPU-s.

    Parameters
    ----------
    df : pandas.DataFrame
        A cohort as :func:`analysis.cohort.load_cohort` reads it.
    cells : tuple
        ``(term, stat)`` of the univariate PVTT cells aimed at.
    screen : int
        Doubles given Newton-Raphson steps per round (default :data:`DOUBLE_SCREEN`).
    rounds : int
        Most exchanges made (default :data:`PVTT_DESCENT_ROUNDS`).

    Returns
    -------
    tuple
        ``(frame, tallies before, tallies after)`` (:func:`_tallies`).

    Examples
    --------
    >>> from analysis.cohort import load_cohort
    >>> frame, before, after = pvtt_edge_descent(load_cohort(), rounds=0)
    >>> before == after, frame.equals(load_cohort())
    (True, True)
    """
    all_cells = table2_cells()
    rows = multivariable_rows()
    start = _frame_tallies(df, all_cells, rows)
    aimed = [c for c in all_cells if c["model"] == "uni" and (c["term"], c["stat"]) in cells]
    cols = BLOCKS["tumour_stage"]
    sub = [cols.index(c) for c in PVTT_COLUMNS]
    out = df.copy()
    vals = out[cols].to_numpy(object).copy()
    moved = False

    def rank(beta, se):
        return _pvtt_edge(beta, se, aimed)

    for _ in range(rounds if aimed else 0):
        setup = _pvtt_setup(_with_block(out, cols, vals, out), vals, cols)
        if setup is None:
            break
        fits, b0, s0, ci, cj = setup
        cur = float(_pvtt_edge(b0[None], s0[None], aimed)[0])
        if cur == 0.0 or ci.size == 0:
            break
        b1, s1, a1, a2, b2, s2 = _pvtt_doubles(
            fits, ci, cj, b0, s0, rank, screen, PVTT_DESCENT_NEWTON
        )
        one = _pvtt_edge(b1, s1, aimed)
        two = _pvtt_edge(b2, s2, aimed)
        k1 = int(np.argmin(one))
        k2 = int(np.argmin(two)) if two.size else -1
        if k2 >= 0 and two[k2] < one[k1]:
            best, made = float(two[k2]), (int(a1[k2]), int(a2[k2]))
        else:
            best, made = float(one[k1]), (k1,)
        if not best < cur:
            break
        for m in made:
            _exchange(vals, int(ci[m]), int(cj[m]), sub)
        moved = True
    if not moved:
        return out, start, start
    trial = _with_block(out, cols, vals, out)
    then = _frame_tallies(trial, all_cells, rows)
    if then[0] > start[0] and then[1] >= start[1] and then[2] >= start[2]:
        return trial, start, then
    return out, start, start


# --------------------------------------------------------------------------------------------
# how far any exchange of a factor's labels can go on the cohort's survival times
# --------------------------------------------------------------------------------------------

#: Factors whose univariate Table 2 cells :func:`label_reach` searches, with their terms (fitted
#: together, as Table 2's univariate model fits a factor's categories).
LABEL_REACH_FACTORS = {
    "Child-Pugh score": ("child_pugh_6", "child_pugh_7", "child_pugh_8"),
    "BCLC stage": ("bclc_stage",),
    "PVTT": ("pvtt_vp1_2", "pvtt_vp3_4"),
}
#: Seeds (numpy PCG64) of :func:`label_reach`: one search per seed.
LABEL_REACH_SEEDS = (1, 2)
#: Annealing steps per seed of :func:`label_reach`.
LABEL_REACH_STEPS = 20_000
#: Start and end temperature of :func:`label_reach`'s annealing.
LABEL_REACH_T = (0.8, 0.003)
#: The committed result of :func:`label_reach` on ``data/cohort.csv`` (``tools/label_reach.py``):
#: ``data/table2-label-reach.csv``.
#:
#: :meta hide-value:
LABEL_REACH_CSV = DATA_DIR / "table2-label-reach.csv"


def _reach_score(x, time, event, terms, cells) -> tuple[float, int, np.ndarray, np.ndarray]:
    """``(loss, entries printed, beta, se)``: an interval entry prints when both its bounds do."""
    beta, se, _, _ = engine.cox_breslow(x, time, event)
    loss, missed = 0.0, set()
    for cell in cells:
        k = terms.index(cell["term"])
        miss = cell_miss(float(beta[k]), float(se[k]), cell)
        loss += miss
        if miss > 0.0:
            missed.add(cell["id"])
    return loss, len({c["id"] for c in cells} - missed), beta, se


def _reach_search(x, time, event, terms, cells, seed: int, steps: int):
    """The best ``(loss, printed, beta, se)`` of one annealing run over exchanges of two
    patients' rows of ``x`` (the factor's design columns), starting from ``x``: the most
    entries printed, then the smallest loss (the loss drives the search)."""
    rng = np.random.Generator(np.random.PCG64(seed))
    x = x.copy()
    cur = best = _reach_score(x, time, event, terms, cells)
    t_start, t_end = LABEL_REACH_T
    for step in range(steps):
        if best[0] == 0.0:
            break
        temp = t_start * (t_end / t_start) ** (step / steps)
        i, j = (int(v) for v in rng.integers(x.shape[0], size=2))
        if np.array_equal(x[i], x[j]):
            continue
        x[[i, j]] = x[[j, i]]
        new = _reach_score(x, time, event, terms, cells)
        if new[0] <= cur[0] or rng.random() < math.exp(-(new[0] - cur[0]) / temp):
            cur = new
            best = min(best, cur, key=lambda r: (-r[1], r[0]))
        else:
            x[[i, j]] = x[[j, i]]
    return best


def label_reach(
    cohort: pd.DataFrame,
    *,
    steps: int = LABEL_REACH_STEPS,
    seeds: tuple = LABEL_REACH_SEEDS,
    cohort_sha256: str = "",
) -> pd.DataFrame:
    """How many univariate Table 2 cells of each factor could ANY assignment of its labels print
    on this cohort's survival times? (A relaxation of the Cox phase; issue 13.)

    The Cox phase (:func:`anneal_table2`) moves covariates between patients while the survival
    times and events stay as the survival phase left them. Here the times and events are held
    and only which patient carries which label of a factor (:data:`LABEL_REACH_FACTORS`) moves,
    the group sizes kept and nothing else: no clinical rule (Child-Pugh points, BCLC stage
    consistent with PVTT), no Table 1 number, no multivariable row. So the best found bounds,
    as far as a heuristic search can tell, what any exchange of these labels prints on these
    times. Search: simulated annealing (kirkpatrick1983) over exchanges of two patients' rows of
    the factor's design columns (:func:`analysis.paper.design_matrix`, implied coding), the
    factor fitted as Table 2's univariate model fits it (Breslow ties, Wald intervals), loss the
    sum of :func:`cell_miss` over the factor's feasible univariate cells
    (:func:`table2_cells`); from the cohort's own labels, once per seed; the state that prints
    the most entries kept (then the smallest loss).
    Deterministic.

    Parameters
    ----------
    cohort : DataFrame
        A cohort with the columns of the data dictionary.
    steps : int
        Annealing steps per seed.
    seeds : tuple of int
        One search per seed.
    cohort_sha256 : str
        Stored in every row (the committed file names the cohort it was computed on).

    Returns
    -------
    DataFrame
        One row per term: ``factor``, ``term``, ``entries`` (the factor's feasible univariate
        entries: HR, interval and P, as :func:`table2_verdicts` counts them), ``cohort_printed``
        and ``reach_printed`` (how many of them the cohort's labels and the best labelling
        print; an interval prints when both bounds do), ``printed_se`` (the SE the printed interval implies),
        ``cohort_hr``/``cohort_lower``/``cohort_upper``/``cohort_se`` and the same with
        ``reach_``, ``seeds``, ``steps``, ``cohort_sha256``.

    Examples
    --------
    A short search (the committed file uses :data:`LABEL_REACH_STEPS` steps per seed):

    >>> from analysis.cohort import load_cohort
    >>> r = label_reach(load_cohort(), steps=20, seeds=(1,))
    >>> r[["factor", "term", "entries", "cohort_printed"]].head(2).values.tolist()
    [['Child-Pugh score', 'child_pugh_6', 7, 3], ['Child-Pugh score', 'child_pugh_7', 7, 3]]
    >>> bool((r["reach_printed"] >= r["cohort_printed"]).all())
    True
    """
    design = paper.design_matrix(cohort, "implied")
    time = cohort["os_months"].to_numpy(float)
    event = cohort["os_event"].to_numpy(float)
    rows = []
    for factor, terms in LABEL_REACH_FACTORS.items():
        cells = [c for c in table2_cells() if c["model"] == "uni" and c["term"] in terms]
        x0 = design[list(terms)].to_numpy(float)
        start = _reach_score(x0, time, event, terms, cells)
        runs = [_reach_search(x0, time, event, terms, cells, s, steps) for s in seeds]
        best = min(runs, key=lambda r: (-r[1], r[0]))
        for k, term in enumerate(terms):
            row = {"factor": factor, "term": term, "entries": len({c["id"] for c in cells}),
                   "cohort_printed": start[1], "reach_printed": best[1],
                   "printed_se": round(next(c["se"] for c in cells if c["term"] == term), 6)}  # fmt: skip
            for name, (_, _, beta, se) in (("cohort", start), ("reach", best)):
                b, s = float(beta[k]), float(se[k])
                row |= {f"{name}_hr": round(math.exp(b), 6),
                        f"{name}_lower": round(math.exp(b - Z95 * s), 6),
                        f"{name}_upper": round(math.exp(b + Z95 * s), 6),
                        f"{name}_se": round(s, 6)}  # fmt: skip
            row |= {
                "seeds": " ".join(map(str, seeds)),
                "steps": steps,
                "cohort_sha256": cohort_sha256,
            }
            rows.append(row)
    return pd.DataFrame(rows)


def cohort_sha256(path=COHORT_CSV) -> str:
    """SHA-256 of a cohort file's bytes (how :data:`LABEL_REACH_CSV` names its cohort).

    Examples
    --------
    >>> len(cohort_sha256())
    64
    """
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()
