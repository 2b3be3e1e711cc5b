"""Can moving survival times after the Cox phase print more univariate Table 2 cells?

A measurement for issue 13, not part of the synthesis. The Cox phase only permutes covariates
over fixed survival times; this asks whether a last step that changes the times themselves
could reach the univariate cells still missed. Every single move of the committed cohort is
enumerated: a patient's death or censoring time moved into each gap between two observed
times (two decimals, never before the patient's PFS, response or additional-TACE month), a
patient's event toggled (a new death only where PFS ended in an event), and two patients'
(time, event) exchanged (each within the other's bounds). Each move is scored by the
package's own fits (:class:`analysis.calibration.Table2Fits`, Breslow ties) and cell rule
(:func:`analysis.calibration.cell_miss`), and the survival block by
:func:`analysis.synthesis.target_table` (every survival entry printed before still printed,
SPSS medians, none on an exact 0.5 plateau). ``--milp`` then asks a linearised question: is
there a set of at most ``--k`` moves, one per patient, each keeping the survival block, whose
summed first-order effects keep every printed Table 2 cell inside its rounding bin and bring one
missed cell into its own (:func:`scipy.optimize.milp`)? Exact fits of any solution are printed.

Measured on the committed cohort (branch sp91 at 0f198eb, 82 patients, 68 deaths; univariate
49, multivariable 11 cells printed in the calibration's reading, 11 rows agreeing):

* 5,215 single moves (12 CPU-s), 5,082 of which change some fit. Not one prints a univariate
  cell more: 157 keep every printed cell, 133 of them change no fit (a time moved within its
  own gap) and the other 24 bring no missed cell closer to its bin (by at most 1e-15). A
  move that changes a fit keeps 21 of the 49 univariate cells (median); an exchange of two
  neighbours in time keeps 36 (median).
* The missed cells a single move can print at all, with the best tallies left (univariate,
  multivariable, rows): PVTT Vp1-2's P (366 moves; 40, 9, 11), BCLC's HR (60; 36, 4, 11),
  Child-Pugh 8's lower bound (40; 31, 5, 11), AST's lower bound (133; 31, 5, 11), Child-Pugh
  7's lower bound (355; 43, 5, 11). Child-Pugh 6's HR, Child-Pugh 8's upper bound, AST's upper
  bound, additional TACE's HR and albumin's HR are printed by none.
* Why: the polished cohort sits at the edges of its rounding bins (42 printed cells or row
  checks lie within 0.001 of an edge on the log-HR or z scale, 19 within 0.0001; the bin of a
  three-decimal HR near 0.6 is 0.0016 wide), and a time move shifts every univariate model at once, while an exchange of
  covariates moves only its own block's models. Re-running the covariate polishes after a move
  (polish_table2, uni_block_polish, uni_edge_polish, uni_double_polish, pvtt_edge_descent;
  7.5 s a move) wins none of the lost cells back.
* The survival block alone holds for 596 of the 5,215 single moves (11 %).
* ``--milp`` (moves keeping the survival block, first-order effects, every printed cell and
  row held): infeasible for every missed univariate cell with up to 20 moves (124 s in all).
  Over all moves (up to 12) it finds no solution in 60 s (PVTT Vp1-2's P, BCLC's HR, Child-Pugh 6's HR). A fractional relaxation
  over all moves is feasible only with 30-60 moves at fractional weights, which no set of
  discrete time moves realises.

So a deterministic last step on survival times gains no univariate cell on this cohort. Times
would have to change before the covariates are polished to their bin edges (not measured here:
the Cox phase's outcome then changes as with another seed).

Usage::

    python tools/time_move_reach.py [--cohort PATH] [--milp] [--k K]
"""

from __future__ import annotations

import argparse
import math
import time

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.stats import norm

from analysis import calibration, paper, synthesis
from analysis.cohort import load_cohort

Z95 = calibration.Z95


def bins(cell: dict) -> tuple[float, float]:
    """The rounding bin of ``cell`` on its own scale (log HR or bound; z for P)."""
    half = 0.5 * 10.0 ** -cell["decimals"]
    v = cell["value"]
    if cell["stat"] == "p":
        if cell["relation"] == "<":
            return float(norm.isf(v / 2)), math.inf
        hi = float(norm.isf((v - half) / 2)) if v - half > 0 else math.inf
        return float(norm.isf((v + half) / 2)), hi
    lo = math.log(v - half) if v - half > 0 else -math.inf
    return lo, math.log(v + half)


def position(cell: dict, beta: float, se: float) -> float:
    if cell["stat"] == "p":
        return abs(beta) / se
    return beta + {"hr": 0.0, "lower": -Z95, "upper": Z95}[cell["stat"]] * se


class Scorer:
    def __init__(self, df):
        self.df = df
        self.design = paper.design_matrix(df, "implied")
        self.cells = list(calibration.table2_cells())
        self.rows = calibration.multivariable_rows()
        self.keys = [(c["model"], c["term"], c["stat"]) for c in self.cells]
        edges = [bins(c) for c in self.cells]
        for lo, up, significant in self.rows.values():
            edges.append((math.log(lo - 0.0005), math.log(up + 0.0005)))
            edges.append((Z95, math.inf) if significant else (-math.inf, Z95))
        self.lo, self.hi = np.array(edges).T
        table = synthesis.target_table(df)
        quantities = [*synthesis.SURVIVAL_QUANTITIES, *synthesis.LOGRANK_QUANTITIES]
        mine = table["quantity"].isin(quantities) & (table["verdict"] == "hit")
        self.survival_hits = set(table.loc[mine, "id"])

    def fits(self, t, e) -> dict:
        d = self.design.copy()
        d["os_months"], d["os_event"] = t, e
        return calibration.Table2Fits(d).fit()

    def score(self, fits) -> tuple[int, int, int, set, np.ndarray]:
        hit = set()
        x = []
        for key, c in zip(self.keys, self.cells, strict=True):
            b, s = fits.get(key[:2], (math.nan, math.nan))
            if calibration.cell_miss(b, s, c) == 0.0:
                hit.add(key)
            x.append(position(c, b, s))
        for term in self.rows:
            b, s = fits[("multi", term)]
            x += [b, abs(b) / s]
        uni = sum(k[0] == "uni" for k in hit)
        rows = calibration.rows_agreeing(fits, self.rows)
        return uni, len(hit) - uni, rows, hit, np.array(x)

    def survival_kept(self, t, e) -> bool:
        d = self.df.copy()
        d["os_months"], d["os_event"] = t, e
        table = synthesis.target_table(d)
        return self.survival_hits <= set(table.loc[table["verdict"] == "hit", "id"])


def moves(df, t, e):
    """Every single move: ('pos', i, new time), ('tog', i, None), ('swap', i, j)."""
    pfs_event = df["pfs_event"].to_numpy(int)
    floor = np.nanmax(
        np.c_[
            df["pfs_months"].to_numpy(float),
            df["response_month"].fillna(0).to_numpy(float),
            df["additional_tace_month"].fillna(0).to_numpy(float),
        ],
        axis=1,
    )
    u = np.unique(t)
    gaps = np.r_[np.round((u[:-1] + u[1:]) / 2, 2), u[-1] + 0.5]
    gaps = gaps[~np.isin(gaps, u)]
    out = []
    for i in range(t.size):
        out += [("pos", i, float(g)) for g in gaps if g >= floor[i]]
        if e[i] == 1 or pfs_event[i] == 1:
            out.append(("tog", i, None))
    for i in range(t.size):
        for j in range(i + 1, t.size):
            if t[i] == t[j] or t[i] < floor[j] or t[j] < floor[i]:
                continue
            if (e[j] and not pfs_event[i]) or (e[i] and not pfs_event[j]):
                continue
            out.append(("swap", i, j))
    return out


def apply(t, e, move):
    t, e = t.copy(), e.copy()
    kind, i, v = move
    if kind == "pos":
        t[i] = v
    elif kind == "tog":
        e[i] = 1 - e[i]
    else:
        t[[i, v]], e[[i, v]] = t[[v, i]], e[[v, i]]
    return t, e


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--cohort", default=None)
    ap.add_argument("--milp", action="store_true")
    ap.add_argument("--k", type=int, default=20)
    args = ap.parse_args()
    df = load_cohort(args.cohort)
    sc = Scorer(df)
    t, e = df["os_months"].to_numpy(float), df["os_event"].to_numpy(int)
    uni0, multi0, rows0, hit0, x0 = sc.score(sc.fits(t, e))
    print(f"cohort: univariate {uni0}, multivariable {multi0} cells, {rows0} rows agreeing")
    start = time.process_time()
    mv = moves(df, t, e)
    xs, tallies = [], []
    for m in mv:
        u, mu, r, h, x = sc.score(sc.fits(*apply(t, e, m)))
        xs.append(x)
        tallies.append((u, mu, r, hit0 <= h))
    xs, tallies = np.array(xs), np.array(tallies)
    changed = np.abs(xs - x0).max(axis=1) > 0
    print(
        f"{len(mv)} single moves ({changed.sum()} change a fit), {time.process_time() - start:.1f} CPU-s"
    )
    uni = tallies[:, 0]
    print(f"  keep every printed cell: {int(tallies[:, 3].sum())} (of which change a fit: "
          f"{int((tallies[:, 3].astype(bool) & changed).sum())}); more univariate cells: "
          f"{int((uni > uni0).sum())}; univariate kept by a move changing a fit: median "
          f"{int(np.median(uni[changed]))}, max {int(uni[changed].max())}")  # fmt: skip
    inside = (xs >= sc.lo) & (xs < sc.hi)
    for k, key in enumerate(sc.keys):
        if key[0] != "uni" or key in hit0:
            continue
        who = np.flatnonzero(inside[:, k])
        if who.size == 0:
            print(f"  {':'.join(key)}: printed by no single move")
            continue
        best = who[np.argmax(tallies[who, 0] * 100 + tallies[who, 1])]
        print(f"  {':'.join(key)}: printed by {who.size} moves; best leaves "
              f"{tuple(int(v) for v in tallies[best, :3])} {mv[best]}")  # fmt: skip
    if not args.milp:
        return
    kept = np.array([sc.survival_kept(*apply(t, e, m)) for m in mv])
    print(f"survival block kept by {int(kept.sum())} of {len(mv)} moves")
    use = np.flatnonzero(changed & kept)
    dx = xs[use] - x0
    held = [k for k, key in enumerate(sc.keys) if key in hit0] + list(range(len(sc.keys), x0.size))
    patients = np.zeros((t.size, use.size))
    for col, k in enumerate(use):
        patients[mv[k][1], col] = 1
        if mv[k][0] == "swap":
            patients[mv[k][2], col] = 1
    for k, key in enumerate(sc.keys):
        if key[0] != "uni" or key in hit0:
            continue
        cons = [*held, k]
        a = np.vstack([dx[:, cons].T, patients, np.ones((1, use.size))])
        lo = np.r_[sc.lo[cons] - x0[cons], np.full(t.size + 1, -np.inf)]
        hi = np.r_[sc.hi[cons] - x0[cons], np.ones(t.size), args.k]
        res = milp(
            np.ones(use.size), constraints=LinearConstraint(a, lo, hi),
            integrality=np.ones(use.size), bounds=Bounds(0, 1), options={"time_limit": 60},
        )  # fmt: skip
        print(f"  {':'.join(key)}: {res.message.split('.')[0]}")
        if res.x is not None:
            t1, e1 = t, e
            for col in np.flatnonzero(res.x > 0.5):
                t1, e1 = apply(t1, e1, mv[use[col]])
            u, mu, r, _, _ = sc.score(sc.fits(t1, e1))
            print(f"    exact: {u}, {mu}, {r}; survival kept {sc.survival_kept(t1, e1)}")


if __name__ == "__main__":
    main()
