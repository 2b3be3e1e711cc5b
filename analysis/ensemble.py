"""An ensemble of calibrated cohorts: which derived results the paper determines.

The book's cohort is one draw of the generator calibrated to the paper's printed numbers; no
cohort reproduces all of them (the book's prints every feasible Table 1, response and survival
target but only part of Table 2, chapter 1), and other seeds give other cohorts calibrated to
the same targets just as well. A result the paper does not print (a landmark hazard ratio, a
proportional-hazards P value, 1-year survival, the optimism of the multivariable model, a Table 2
cell no cohort can print) is a property of *the paper* only if it comes out the same, within a
stated tolerance, in every cohort calibrated to the same targets with the same generator choices
and differing only in the random seed; otherwise it is a property of the generator's draw.

:func:`run_ensemble` draws ``n`` independently seeded cohorts with
:func:`analysis.synthesis.synthesize` (member seeds spawned from one master seed by
``numpy.random.SeedSequence``), checks each against every calibration target
(:func:`analysis.synthesis.target_counts`), computes :data:`RESULTS` on each
(:func:`derived_results`) and summarises them per result (:func:`summarise`): median, quartiles,
minimum, maximum and the class (:mod:`analysis.provenance`) by :data:`SPREAD_RULE` and
:data:`SIDES`, which read only the minimum and maximum (:func:`spread_class`).

Members run in parallel on Dask (``dask.distributed``): a ``LocalCluster`` of single-threaded
worker processes by default, or an existing cluster given by its scheduler address. Each finished
member is written to a cache directory (one JSON file per member, under a fingerprint of the
package's source and the published numbers), so an interrupted run resumes where it stopped and a
changed calibration never reuses stale members. The summary depends only on the master seed, the
number of members and the code: the same inputs give the same bytes.
"""

from __future__ import annotations

import ast
import asyncio
import contextlib
import hashlib
import json
import logging
import math
import os
import socket
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from analysis import REPO_ROOT, bias, calibration, paper, provenance, published, synthesis, tables
from analysis.survival import km_table, logrank, mean_survival, median_survival, try_ph_test
from analysis.verdicts import HIT, MISSED

__all__ = [
    "RESULTS",
    "SIDES",
    "SPREAD_RULE",
    "SUMMARY_COLUMNS",
    "cache_timings",
    "calibrated",
    "class_counts",
    "run_record",
    "derived_results",
    "member_results",
    "member_seeds",
    "run_ensemble",
    "SchedulerError",
    "SCHEDULER_TIMEOUT",
    "summarise",
    "reclassify",
    "spread_class",
    "format_summary",
    "format_table",
    "table2_cell_tally",
    "table2_member_hits",
    "TABLE2_CELL_COLUMNS",
    "TABLE2_MEMBER_COLUMNS",
    "result_provenance",
    "reproduced_provenance",
    "UNMEASURED",
]

#: Landmarks of the bias chapter (months).
LANDMARKS = (1.0, 2.0, 3.0, 6.0)
#: Cut-offs of the bias chapter's sensitivity table other than the paper's (more than 4).
CUTOFFS = (3, 5, 6)
#: Table 2 terms whose label states a binary split while the printed numbers imply per unit.
STATED_TERMS = ("ast_gt40", "crp_gt3", "tumor_number_gt4", "prior_tace_gt4")
#: Bootstrap fits of the optimism correction per member (the chapter uses 200).
N_BOOT = 200

#: How the spread across members decides the class, per kind of result: the *whole* range, minimum
#: to maximum over the calibrated members, on the given scale must not exceed the tolerance for
#: the result to be *determined* ("the same in every calibrated cohort", not "in the middle half
#: of them": an earlier rule read the interquartile range, and so called determined a
#: proportional-hazards P that runs from < 0.001 to 0.94 across the members).
#: ``hr``: range of log HR ≤ log 1.2 (every member within 20% of every other); ``p``: range of
#: log10 P ≤ 0.5 (half an order of magnitude); ``probability``: range ≤ 0.05; ``concordance``:
#: range ≤ 0.02; ``months`` (a time or its SE): range ≤ 0.5 months; ``chi2``: range ≤ 1;
#: ``count``: range 0. The summary stores the minimum and maximum, so the class can be checked
#: (and recomputed, :func:`reclassify`) from the committed file alone. The range can only grow
#: with more members, so a larger ensemble can move a result from determined to assumed, never
#: back.
SPREAD_RULE: dict[str, tuple[str, float]] = {
    "hr": ("log", math.log(1.2)),
    "p": ("log10", 0.5),
    "probability": ("identity", 0.05),
    "concordance": ("identity", 0.02),
    "months": ("identity", 0.5),
    "chi2": ("identity", 1.0),
    "count": ("identity", 0.0),
}

#: The value that the members of a *determined* result must not straddle, per kind: a P value
#: lands on one side of 0.05 in every member (the prose reads significance), a hazard ratio on
#: one side of 1 (the prose reads direction), a log-rank χ² on 1 df on one side of 3.841 (its P
#: 0.05). Members on both sides (minimum below, maximum at or above) make it *assumed* whatever the
#: range: a tolerance on the log scale alone would let a P of 0.03–0.08 pass.
SIDES: dict[str, float] = {"p": 0.05, "hr": 1.0, "chi2": 3.841458820694124}

#: result id -> (chapter, kind, description). Results that are calibration targets are not here,
#: except the Table 2 hazard ratios (``table2.*``), listed so that the cells no cohort can print
#: (and those the calibration misses) get a spread too; a feasible cell is *published*.
RESULTS: dict[str, tuple[str, str, str]] = {
    "survival.os_6m": ("06-survival", "probability", "overall survival at 6 months"),
    "survival.os_12m": ("06-survival", "probability", "overall survival at 12 months"),
    "survival.pfs_6m": ("06-survival", "probability", "progression-free survival at 6 months"),
    "survival.pfs_12m": ("06-survival", "probability", "progression-free survival at 12 months"),
    "survival.os_deaths": ("07-cox", "count", "deaths (events of the Cox models)"),
    "survival.os_ci_log_lower": ("06-survival", "months", "median OS, R's log interval, lower"),
    "survival.os_ci_log_upper": ("06-survival", "months", "median OS, R's log interval, upper"),
    "survival.os_ci_loglog_lower": ("06-survival", "months", "median OS, log-log interval, lower"),
    "survival.os_ci_loglog_upper": ("06-survival", "months", "median OS, log-log interval, upper"),
    "survival.os_mean_se": ("06-survival", "months", "SPSS mean OS, standard error"),
    "survival.pfs_mean_se": ("06-survival", "months", "SPSS mean PFS, standard error"),
    "survival.lr_dc_chi2": ("06-survival", "chi2", "log-rank chi2, disease control vs PD"),
    "survival.lr_prior_tace_chi2": ("06-survival", "chi2", "log-rank chi2, prior TACE > 4"),
    "survival.lr_additional_tace_chi2": ("06-survival", "chi2", "log-rank chi2, additional TACE"),
    **{
        f"cox.stated_{term}_uni_hr": (
            "07-cox",
            "hr",
            f"univariate HR of {term} as the binary split its label states",
        )
        for term in STATED_TERMS
    },  # fmt: skip
    "cox.ph_global_p": ("07-cox", "p", "proportional hazards, global test P (multivariable)"),
    "cox.ph_smallest_p": ("07-cox", "p", "proportional hazards, smallest per-term P"),
    "bias.tace_naive_hr": ("09-bias", "hr", "additional TACE, naive HR (Efron)"),
    "bias.tace_tv_hr": ("09-bias", "hr", "additional TACE, time-varying HR"),
    "bias.dc_naive_hr": ("09-bias", "hr", "disease control, naive HR"),
    "bias.dc_tv_hr": ("09-bias", "hr", "disease control, time-varying HR"),
    **{
        f"bias.tace_landmark_{lm:g}m_hr": (
            "09-bias",
            "hr",
            f"additional TACE, landmark HR at {lm:g} months",
        )
        for lm in LANDMARKS
    },  # fmt: skip
    **{
        f"bias.dc_landmark_{lm:g}m_hr": (
            "09-bias",
            "hr",
            f"disease control, landmark HR at {lm:g} months",
        )
        for lm in LANDMARKS
    },  # fmt: skip
    **{
        f"bias.cutoff_{c}_logrank_p": (
            "09-bias",
            "p",
            f"prior TACE more than {c} sessions, log-rank P",
        )
        for c in CUTOFFS
    },  # fmt: skip
    "bias.optimism_apparent": ("09-bias", "concordance", "multivariable model, apparent C"),
    "bias.optimism": ("09-bias", "concordance", "multivariable model, optimism of C"),
    "bias.optimism_corrected": ("09-bias", "concordance", "multivariable model, corrected C"),
}

#: Results that rest on a choice of the generator which the paper does not report: *assumed*
#: whatever their spread, since every member makes the same choice (the ensemble varies the
#: seed, not the generator; chapter 9's scenarios vary the timings).
GENERATOR_CHOICES: dict[str, str] = {
    **{
        rid: "timing of additional TACE"
        for rid in ["bias.tace_tv_hr", *(f"bias.tace_landmark_{lm:g}m_hr" for lm in LANDMARKS)]
    },
    **{
        rid: "timing of response"
        for rid in ["bias.dc_tv_hr", *(f"bias.dc_landmark_{lm:g}m_hr" for lm in LANDMARKS)]
    },
}

#: Fewer members than this decide nothing: every derived result stays *assumed*.
MIN_MEMBERS = 20
#: The class of a derived result the summary does not measure (no summary, result not listed).
UNMEASURED = provenance.assumed("not measured across calibrated cohorts")
#: The committed summary (``python -m analysis ensemble --n 50``).
SUMMARY_CSV = REPO_ROOT / "data" / "ensemble-summary.csv"
#: The record of the runs that computed the committed summary's members (wall and CPU time,
#: workers), written by the command beside the summary from the cache's timing logs
#: (``timings.jsonl``: one line per computed candidate; ``runs.jsonl``: one per invocation that
#: computed any), so that a re-run from the cache writes the same bytes.
RUN_JSON = REPO_ROOT / "data" / "ensemble-run.json"

#: The committed tally of Table 2 cells across the summary's members (:func:`table2_cell_tally`),
#: written by the command beside the summary.
TABLE2_CELLS_CSV = REPO_ROOT / "data" / "ensemble-table2-cells.csv"
#: The committed Table 2 hits of each member (:func:`table2_member_hits`), beside the summary.
TABLE2_MEMBERS_CSV = REPO_ROOT / "data" / "ensemble-table2-members.csv"
#: Columns of :func:`table2_cell_tally`.
TABLE2_CELL_COLUMNS = [
    "id", "term", "model", "kind", "infeasible", "printed_by", "members", "book_cohort",
]  # fmt: skip
#: Columns of :func:`table2_member_hits`.
TABLE2_MEMBER_COLUMNS = ["candidate", "seed", "book_cohort", "uni_hits", "multi_hits"]

#: Columns of the summary file.
SUMMARY_COLUMNS = [
    "result", "chapter", "kind", "description", "members", "median", "q1", "q3", "min", "max",
    "spread", "threshold", "class", "rests_on",
]  # fmt: skip


def _hr(d) -> float:
    return float(d["hr"]) if pd.notna(d["hr"]) else math.nan


def derived_results(cohort: pd.DataFrame, table2: pd.DataFrame | None = None) -> dict[str, float]:
    """Every result of :data:`RESULTS` (and the Table 2 HRs) on one cohort; NaN when a result
    does not exist on it (e.g. a landmark with nobody exposed).

    Parameters
    ----------
    cohort : pandas.DataFrame
        A calibrated cohort (the data dictionary's columns).
    table2 : pandas.DataFrame, optional
        The cohort's :func:`analysis.calibration.table2_verdicts` when already computed.

    Returns
    -------
    dict
        Result id -> value, sorted by id: the ids of :data:`RESULTS` and one
        ``table2.<term>.<uni|multi>.hr`` per Table 2 hazard ratio.

    Examples
    --------
    On the book's cohort (a few seconds: 200 bootstrap fits, so not run as a doctest):

    >>> from analysis import COHORT_CSV
    >>> from analysis.cohort import load_cohort
    >>> results = derived_results(load_cohort(COHORT_CSV))  # doctest: +SKIP
    >>> set(RESULTS) <= set(results)  # doctest: +SKIP
    True
    """
    out: dict[str, float] = {}
    for col in ("os", "pfs"):
        km = km_table(cohort[f"{col}_months"], cohort[f"{col}_event"], [6.0, 12.0])
        out[f"survival.{col}_6m"] = float(km["survival"].iloc[0])
        out[f"survival.{col}_12m"] = float(km["survival"].iloc[1])
    out["survival.os_deaths"] = float(cohort["os_event"].sum())
    for method, name in (("log", "log"), ("log-log", "loglog")):
        med = median_survival(cohort["os_months"], cohort["os_event"], ci=method)
        out[f"survival.os_ci_{name}_lower"] = float(med.lower)
        out[f"survival.os_ci_{name}_upper"] = float(med.upper)
    for col in ("os", "pfs"):
        out[f"survival.{col}_mean_se"] = float(
            mean_survival(cohort[f"{col}_months"], cohort[f"{col}_event"]).se
        )
    groups = {
        "dc": cohort["best_response"] != "PD",
        "prior_tace": cohort["prior_tace_sessions"] > 4,
        "additional_tace": cohort["additional_tace"] == 1,
    }
    for name, mask in groups.items():
        out[f"survival.lr_{name}_chi2"] = float(
            logrank(cohort["os_months"], cohort["os_event"], mask.astype(int)).chi2
        )
    stated = tables.table2_models(cohort, "stated", ties="breslow")["univariate"]  # as SPSS
    for term in STATED_TERMS:
        out[f"cox.stated_{term}_uni_hr"] = (
            float(stated.loc[term, "hr"]) if term in stated.index else math.nan
        )
    design = bias.multivariable_design(cohort)
    terms = [c for c in design.columns if c not in ("os_months", "os_event")]
    ph, _ = try_ph_test(design, "os_months", "os_event", terms, transform="km")
    out["cox.ph_global_p"] = float(ph.loc["GLOBAL", "p"]) if ph is not None else math.nan
    out["cox.ph_smallest_p"] = (
        float(ph.drop(index="GLOBAL")["p"].min()) if ph is not None else math.nan
    )
    tace = bias.exposure_analyses(cohort, LANDMARKS)
    dc_cohort = cohort.assign(disease_control=(cohort["best_response"] != "PD").astype(int))
    dc = bias.exposure_analyses(
        dc_cohort, LANDMARKS, exposure_col="disease_control", exposure_time_col="response_month"
    )
    for name, res in (("tace", tace), ("dc", dc)):
        out[f"bias.{name}_naive_hr"] = _hr(res["naive"])
        out[f"bias.{name}_tv_hr"] = _hr(res["time_varying"])
        lm = res["landmarks"].set_index("landmark") if len(res["landmarks"]) else None
        for landmark in LANDMARKS:
            value = _hr(lm.loc[landmark]) if lm is not None else math.nan
            out[f"bias.{name}_landmark_{landmark:g}m_hr"] = value
    for c in CUTOFFS:
        high = (cohort["prior_tace_sessions"] > c).astype(int)
        out[f"bias.cutoff_{c}_logrank_p"] = float(
            logrank(cohort["os_months"], cohort["os_event"], high).p
        )
    opt = bias.optimism_corrected_concordance(design, "os_months", "os_event", n_boot=N_BOOT)
    out["bias.optimism_apparent"] = float(opt["apparent"])
    out["bias.optimism"] = float(opt["optimism"])
    out["bias.optimism_corrected"] = float(opt["corrected"])
    t2 = calibration.table2_verdicts(cohort) if table2 is None else table2
    hr_cells = t2["id"].str.startswith("table2.") & t2["id"].str.endswith(".hr")
    for r in t2[hr_cells].itertuples(index=False):
        out[r.id] = float(r.computed)
    return dict(sorted(out.items()))


def member_seeds(seed: int, n: int) -> list[int]:
    """The candidates' synthesis seeds: the book's own (:data:`analysis.synthesis.DEFAULT_SEED`,
    which gives ``data/cohort.csv``) first, then seeds spawned from the master seed (independent
    streams). Every ensemble thus contains the book's cohort, and a 2-member run checks it.

    Parameters
    ----------
    seed : int
        The master seed (``numpy.random.SeedSequence``).
    n : int
        How many seeds.

    Returns
    -------
    list of int

    Examples
    --------
    >>> from analysis import synthesis
    >>> seeds = member_seeds(2024, 3)
    >>> len(seeds), seeds[0] == synthesis.DEFAULT_SEED, len(set(seeds))
    (3, True, 3)
    >>> member_seeds(2024, 5)[:3] == seeds  # more members extend the same list
    True
    """
    children = np.random.SeedSequence(int(seed)).spawn(max(n - 1, 0))
    return [synthesis.DEFAULT_SEED, *(int(s.generate_state(1)[0]) for s in children)][:n]


#: Blocks of :func:`analysis.synthesis.target_counts` a member must reach completely (no
#: ``missed``): the blocks the book's own cohort reaches completely. Every feasible printed number
#: of Table 1, the responses and the survival block, and every multivariable row of Table 2 with
#: its HR inside the printed interval and P on the printed side of 0.05 (not direction: a ratio
#: of 0.75 inside a printed 0.17-6.72 around 1.07 passes; a cohort whose multivariable HR leaves
#: a printed interval, or whose model diverges, is not calibrated to Table 2 at all); no cohort
#: prints every Table 2 cell.
CALIBRATED_BLOCKS = ("table1", "responses", "survival", "table2_multivariable_rows")

#: Keys of a member's payload that vary from run to run (timings): returned to the caller for
#: progress, never written to the cache, so that a member's file is the same bytes on every run.
TIMING_KEYS = ("seconds", "cpu_seconds")


def _misses(table: pd.DataFrame) -> bool:
    return bool((table["verdict"] == MISSED).any())


def member_results(seed: int, synthesize_options: dict | None = None) -> dict:
    """Synthesize one candidate (one process: ``workers=1``), check it against every calibration
    target and compute its derived results. A plain dict, so that it travels and caches as JSON.

    The cohort is the one ``python -m analysis synthesize --seed SEED`` writes
    (``cohort_sha256``: of its CSV bytes). A candidate whose winning chain misses a feasible
    Table 1, response or survival target is passed over before the Cox phase (which moves only
    Table 2, :func:`analysis.synthesis.synthesize`'s ``keep``): its payload has
    ``cox_skipped`` true, the verdicts and no results. One that misses a multivariable row after
    the Cox phase (:func:`calibrated`) has its targets but no results either.

    Parameters
    ----------
    seed : int
        The candidate's synthesis seed (from :func:`member_seeds`).
    synthesize_options : dict, optional
        Extra keyword arguments of :func:`analysis.synthesis.synthesize`.

    Returns
    -------
    dict
        ``seed``, ``target_verdicts``, ``cox_skipped``, ``winner_chain``, ``results``, and for a
        candidate that reached the Cox phase ``cohort_sha256``, ``targets`` and
        ``table2_verdicts``; ``seconds`` and ``cpu_seconds`` (never cached).

    Examples
    --------
    Synthesizing a cohort takes minutes, so this is not run as a doctest:

    >>> payload = member_results(member_seeds(2024, 1)[0])  # doctest: +SKIP
    >>> calibrated(payload), len(payload["results"]) > 0  # doctest: +SKIP
    (True, True)
    """
    start, cpu = time.perf_counter(), time.process_time()
    df = synthesis.synthesize(
        int(seed),
        workers=1,
        keep=lambda d: not _misses(synthesis.target_table(d)),
        **(synthesize_options or {}),
    )
    table = synthesis.target_table(df)
    payload = {
        "seed": int(seed),
        "target_verdicts": dict(zip(table["id"], table["verdict"], strict=True)),
        "cox_skipped": bool(df.attrs["loss"]["cox_skipped"]),
        "winner_chain": int(df.attrs["loss"]["chain"]),
    }
    payload["results"] = {}
    if not payload["cox_skipped"]:
        counts = synthesis.target_counts(df)
        t2 = calibration.table2_verdicts(df)
        text = synthesis.format_cohort(df)
        payload |= {
            "cohort_sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(),
            "targets": {b: {k: int(v) for k, v in row.items()} for b, row in counts.iterrows()},
            "table2_verdicts": dict(zip(t2["id"], t2["verdict"], strict=True)),
        }
        if calibrated(payload):  # a passed-over cohort's results are never summarised
            payload["results"] = derived_results(df, t2)
    payload["seconds"] = round(time.perf_counter() - start, 1)
    payload["cpu_seconds"] = round(time.process_time() - cpu, 1)
    return payload


def _source_closure(module: str = "ensemble") -> list[Path]:
    """The files of ``analysis.<module>`` and of every ``analysis`` module it imports, directly
    or not (read from the import statements, so that edits elsewhere in the package do not
    invalidate the cache)."""
    package = REPO_ROOT / "analysis"
    seen: set[str] = set()
    todo = [module]
    while todo:
        name = todo.pop()
        path = package / f"{name}.py"
        if name in seen or not path.exists():
            continue
        seen.add(name)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and not node.level:
                parts = node.module.split(".")
                if parts[0] != "analysis":
                    continue
                if len(parts) > 1:
                    todo.append(parts[1])
                else:
                    todo.extend(a.name for a in node.names)
            elif isinstance(node, ast.Import):
                todo.extend(
                    a.name.split(".")[1] for a in node.names if a.name.startswith("analysis.")
                )
    return sorted([package / "__init__.py", *(package / f"{n}.py" for n in seen)])


def _code_of(path: Path) -> bytes:
    """What a module runs: its syntax tree without docstrings (comments and layout never reach
    the tree), so that documentation edits keep the cache and any code edit invalidates it."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if (
            isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
            and body
            and isinstance(body[0], ast.Expr)
            and isinstance(body[0].value, ast.Constant)
            and isinstance(body[0].value.value, str)
        ):
            node.body = body[1:] or [ast.Pass()]
    return ast.dump(tree, include_attributes=False).encode()


def fingerprint(synthesize_options: dict | None = None) -> str:
    """A hash of the code the members run (this module and everything in ``analysis`` it
    imports, docstrings aside: :func:`_code_of`), the published numbers and the synthesis
    options: the cache directory's name, so that a change to any of them never reuses old
    members."""
    h = hashlib.sha256()
    published = sorted((REPO_ROOT / "data" / "published").glob("*"))
    for path in _source_closure():
        h.update(path.name.encode())
        h.update(_code_of(path))
    for path in published:
        h.update(path.name.encode())
        h.update(path.read_bytes())
    h.update(json.dumps(synthesize_options or {}, sort_keys=True).encode())
    return h.hexdigest()[:16]


def _member_path(cache: Path, index: int, seed: int) -> Path:
    return cache / f"member-{index:05d}-seed-{seed}.json"


def _write_json(path: Path, payload: dict) -> None:
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(payload, sort_keys=True, indent=1) + "\n", encoding="utf-8")
    os.replace(tmp, path)


#: Dask settings of the local cluster's worker processes, which only cost time here (measured on
#: the 2-member run, 2 cores: 119 CPU-s with Dask's defaults, 100 without): no
#: ``MALLOC_TRIM_THRESHOLD_`` (distributed sets 65536, which has glibc return freed memory at
#: once: about 8 s of system time per member, for a pandas workload that frees and allocates
#: all the time), and no statistical profiler (a stack sample every 10 ms, for the dashboard
#: this cluster does not serve). The results do not depend on either.
LOCAL_WORKER_CONFIG = {
    "distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None,
    "distributed.worker.profile.enabled": False,
}

#: Seconds to wait for the scheduler given by address (Dask's default is 30): a scheduler that
#: is up answers in milliseconds, so a wrong address or port fails fast.
SCHEDULER_TIMEOUT = 5


class SchedulerError(ConnectionError):
    """The Dask scheduler at the given address cannot be reached (or the address is not one);
    raised by :func:`run_ensemble` before anything is written.

    Examples
    --------
    >>> print(SchedulerError("tcp://127.0.0.1:1", "no answer within 5 s"))
    tcp://127.0.0.1:1: no answer within 5 s
    """

    def __init__(self, address: str, reason: str):
        self.address = address
        self.reason = reason
        super().__init__(f"{address}: {reason}")


def _identify(address: str, timeout: float) -> str | None:
    """Ask whatever is at ``address`` for its identity, all within ``timeout`` seconds; return
    ``None`` when a Dask scheduler answered, else why not (the :class:`SchedulerError` reason).

    ``Client(address, timeout=...)`` bounds only the TCP connection: distributed's comm handshake
    and first reads have no deadline, so a server that accepts connections but never answers
    (an HTTP server waiting for a request line) held the command for minutes, and one that
    answers with other bytes failed with whatever its frames decoded to ("Unable to allocate
    3.07 EiB ..."). Here the connection is retried until the deadline (a refused port is no
    answer), then the handshake and an ``identity`` request must complete before it: something
    that accepted the connection and fails or answers anything but a scheduler's identity is
    "not a Dask scheduler". The work runs on its own event loop in a daemon thread, joined
    with the deadline, so neither an event loop nor a half-open connection outlives the check
    (the connection is aborted on every way out). Host names are looked up in daemon threads
    (:class:`_ProbeLoop`): a DNS lookup that hangs rather than fails used to run in the loop's
    default executor, whose shutdown waited for it, and whose worker the interpreter joins at
    exit, so the command answered after the timeout plus the backstop and then could not exit
    until the lookup returned. The whole check now ends within ``timeout`` plus
    :data:`_PROBE_GRACE` seconds, whatever the resolver does.
    """
    from distributed.comm.registry import get_backend
    from distributed.utils import wait_for

    answer = f"no Dask scheduler answered within {timeout:g} s"
    other = "something answered there but it is not a Dask scheduler"
    try:  # the malformed: no scheme://host:port, an unknown scheme, a port that is no number
        from distributed.comm.addressing import parse_address, parse_host_port

        scheme, loc = parse_address(address)
        connector = get_backend(scheme).get_connector()
        if scheme in ("tcp", "tls"):
            parse_host_port(loc)
    except Exception as exc:
        return f"not a scheduler address ({exc})"

    async def ask() -> str | None:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        comm = None
        while comm is None:  # nothing listening yet, or a refused port: retry to the deadline
            try:
                comm = await wait_for(connector.connect(loc), max(deadline - loop.time(), 0))
            except (TimeoutError, OSError):
                if loop.time() + 0.1 >= deadline:
                    return answer
                await asyncio.sleep(0.1)
            except Exception as exc:  # e.g. tls:// without a security context
                return f"cannot connect ({exc})"
        try:
            left = max(deadline - loop.time(), 0)
            reply = await wait_for(_handshake_and_identity(comm), left)
        except TimeoutError:
            return answer  # connected, but nothing answered
        except Exception:  # garbage frames, a closed connection, ...
            return other
        finally:
            comm.abort()
        if not (isinstance(reply, dict) and str(reply.get("type", "")).endswith("Scheduler")):
            return other
        return None

    outcome: list = []

    def probe() -> None:
        try:
            with asyncio.Runner(loop_factory=_ProbeLoop) as runner:
                outcome.append(runner.run(ask()))
        except BaseException as exc:  # noqa: BLE001 - reported to the caller's thread
            outcome.append(f"cannot connect ({exc or type(exc).__name__})")

    started = time.monotonic()
    thread = threading.Thread(target=probe, name="ensemble-scheduler-probe", daemon=True)
    thread.start()
    # the probe keeps its own deadline and then closes its loop; this one is a backstop
    thread.join(max(started + timeout + _PROBE_GRACE - time.monotonic(), 0))
    return outcome[0] if outcome else answer


#: Seconds :func:`_identify` waits past its timeout for the probe to close its event loop and
#: report (it takes milliseconds); then the check answers "no Dask scheduler answered" anyway.
_PROBE_GRACE = 0.5


class _ProbeLoop(asyncio.SelectorEventLoop):
    """The event loop of :func:`_identify`: host-name lookups (``loop.getaddrinfo``, which
    distributed's and tornado's resolvers call) run in daemon threads of their own rather than
    in the loop's default executor. A lookup that hangs is abandoned at the deadline: nothing
    waits for it, neither the loop's shutdown nor the interpreter's exit (which joins executor
    threads), and its late answer is dropped."""

    async def getaddrinfo(self, host, port, *, family=0, type=0, proto=0, flags=0):
        future = self.create_future()

        def settle(found, failed: bool) -> None:
            if not future.done():  # cancelled at the deadline: nobody wants the answer
                (future.set_exception if failed else future.set_result)(found)

        def lookup() -> None:
            try:
                found, failed = socket.getaddrinfo(host, port, family, type, proto, flags), False
            except Exception as exc:  # noqa: BLE001 - handed to the waiting coroutine
                found, failed = exc, True
            try:
                self.call_soon_threadsafe(settle, found, failed)
            except RuntimeError:  # the loop is closed: the check is over
                pass

        threading.Thread(target=lookup, name="ensemble-scheduler-lookup", daemon=True).start()
        return await future


async def _handshake_and_identity(comm) -> object:
    """distributed's comm handshake (as :func:`distributed.comm.connect` does it), then the
    ``identity`` request every distributed server answers; returns its reply."""
    await comm.write(comm.handshake_info())
    comm.remote_info = await comm.read()
    comm.local_info = comm.handshake_info()
    if not isinstance(comm.remote_info, dict):
        raise ValueError("no distributed handshake")
    comm.handshake_options = comm.handshake_configuration(comm.local_info, comm.remote_info)
    await comm.write({"op": "identity", "reply": True})
    return await comm.read()


def _connect(scheduler: str):
    """A :class:`dask.distributed.Client` of the scheduler at ``scheduler``, or
    :class:`SchedulerError` within about :data:`SCHEDULER_TIMEOUT` seconds: an empty address,
    a malformed one ("not a scheduler address"), no answer there (the timeout) or an answer
    that is not a Dask scheduler's (:func:`_identify`)."""
    if not scheduler.strip():
        raise SchedulerError(scheduler, "the address is empty")
    reason = _identify(scheduler, SCHEDULER_TIMEOUT)
    if reason is not None:
        raise SchedulerError(scheduler, reason)
    from dask.distributed import Client

    try:  # a scheduler answered just now; this fails only if it went away meanwhile
        return Client(scheduler, timeout=SCHEDULER_TIMEOUT)
    except (OSError, TimeoutError):
        reason = f"no Dask scheduler answered within {SCHEDULER_TIMEOUT} s"
        raise SchedulerError(scheduler, reason) from None
    except Exception as exc:
        raise SchedulerError(scheduler, f"the scheduler failed to connect ({exc})") from None


def run_ensemble(
    n: int,
    seed: int = 2024,
    *,
    cache_dir: Path | str | None = None,
    scheduler: str | None = None,
    workers: int | None = None,
    synthesize_options: dict | None = None,
    max_candidates: int | None = None,
    log: Callable[[str], None] | None = None,
    record: dict | None = None,
) -> list[dict]:
    """Run (or resume) the ensemble; returns ``n`` calibrated members in candidate order.

    Candidates are the cohorts of :func:`member_seeds` in index order (the first is the book's
    own). A candidate that misses a feasible Table 1, response or survival target
    (:func:`calibrated`) is not a calibrated cohort and is passed over; the members are the
    first ``n`` calibrated candidates, so the result depends only on the master seed, never on
    scheduling. At most ``max_candidates`` (default ``4 * n``) are drawn; fewer than ``n``
    members are returned when they run out.

    Candidates already in the cache are read; the others are computed on Dask: a
    ``LocalCluster`` with ``workers`` single-threaded processes (default: the number of CPUs),
    or the cluster at ``scheduler``. Candidates are submitted in index order, as many as are
    still needed (and, for more members than workers, never fewer than the workers, so that no
    worker idles near the end); those not needed once the members are settled are cancelled
    (finished ones stay cached; a worker still computing one is stopped when the local cluster
    closes). ``log`` receives one line
    per finished candidate and one for the cancelled. Each member's payload holds its ``candidate``
    index. ``record``, when given, is filled with ``candidates`` (deciding the members) and the
    cache's timing logs (:func:`cache_timings`).

    Parameters
    ----------
    n : int
        The number of calibrated members wanted (at least 1).
    seed : int
        The master seed of :func:`member_seeds`.
    cache_dir : path-like, optional
        Where the members are cached (default ``.ensemble-cache/`` of the repository); the
        members go in a subdirectory named by the code's fingerprint.
    scheduler : str, optional
        The address of a running Dask scheduler; default a local cluster.
    workers : int, optional
        Worker processes of the local cluster (default: the number of CPUs).
    synthesize_options : dict, optional
        Extra keyword arguments of :func:`analysis.synthesis.synthesize` (part of the
        fingerprint).
    max_candidates : int, optional
        The most candidates drawn (default ``4 * n``).
    log : callable, optional
        Receives each progress line (default: printed on stderr).
    record : dict, optional
        Filled in place as described above.

    Returns
    -------
    list of dict
        The members' payloads (:func:`member_results`), in candidate order.

    Raises
    ------
    SchedulerError
        ``scheduler`` is empty or not an address, no scheduler answers there within
        :data:`SCHEDULER_TIMEOUT` seconds, or what answers is not a Dask scheduler; nothing was
        created or written (the cache directory is made only once a cluster is connected).

    Examples
    --------
    A run takes minutes to hours of CPU (``python -m analysis ensemble --n 50`` runs it), so
    this is not run as a doctest:

    >>> members = run_ensemble(2, workers=2)  # doctest: +SKIP
    >>> [m["candidate"] for m in members][0], all(calibrated(m) for m in members)  # doctest: +SKIP
    (0, True)
    """
    if n < 1:
        raise ValueError(f"n must be at least 1, got {n}")
    if scheduler is not None and not scheduler.strip():  # never a local cluster instead
        raise SchedulerError(scheduler, "the address is empty")
    max_candidates = max_candidates or 4 * n
    cache_root = Path(cache_dir) if cache_dir else REPO_ROOT / ".ensemble-cache"
    cache = cache_root / fingerprint(synthesize_options)
    # created once a cluster is there to fill it; removed again if this run made it and left
    # it empty (a failed connection writes nothing)
    created = [d for d in (cache_root, cache) if not d.exists()]
    seeds = member_seeds(seed, max_candidates)
    say = log or (lambda line: print(line, file=sys.stderr, flush=True))
    results: dict[int, dict] = {}

    def load(i: int) -> bool:
        path = _member_path(cache, i, seeds[i])
        if path.exists():
            results[i] = {**json.loads(path.read_text(encoding="utf-8")), "candidate": i}
        return i in results

    def settled() -> int | None:
        """The number of candidates that decide the members, once all of them are known."""
        good = 0
        for i in range(max_candidates):
            if i not in results:
                return None
            good += calibrated(results[i])
            if good >= n:
                return i + 1
        return max_candidates

    cached = sum(load(i) for i in range(max_candidates))
    cached_line = f"ensemble: {cached} candidates cached in {cache}"
    client = cluster = None
    start = time.perf_counter()
    computed, slots = 0, 0
    try:
        if settled() is not None:
            say(cached_line)
        else:
            import dask
            from dask.distributed import Client, LocalCluster, as_completed

            if scheduler is not None:
                client = _connect(scheduler)
            else:
                k = workers or os.cpu_count() or 1
                # no dashboard; its HTTP server (always started) on a free port, not on 8787,
                # which another cluster may hold (distributed then warns on stderr)
                with dask.config.set(LOCAL_WORKER_CONFIG):
                    cluster = LocalCluster(
                        n_workers=k, threads_per_worker=1, processes=True,
                        dashboard_address=None, scheduler_kwargs={"dashboard_address": ":0"},
                    )  # fmt: skip
                client = Client(cluster)
            cache.mkdir(parents=True, exist_ok=True)
            say(cached_line)  # after connecting: a refused address prints only its error
            slots = max(len(client.scheduler_info()["workers"]), 1)
            todo = iter([i for i in range(max_candidates) if i not in results])
            running: dict = {}
            pending = as_completed()

            def top_up() -> None:
                good = sum(calibrated(m) for m in results.values())
                # as many as are still needed; a run of more members than workers also keeps
                # every worker busy near the end (speculating on the next candidates)
                while len(running) < max(n - good, slots if n > slots else 0):
                    i = next(todo, None)
                    if i is None:
                        return
                    fut = client.submit(
                        member_results, seeds[i], synthesize_options,
                        key=f"ensemble-{i}-{seeds[i]}", pure=False,
                    )  # fmt: skip
                    running[fut] = i
                    pending.add(fut)

            top_up()
            for fut in pending:
                i = running.pop(fut)
                payload = fut.result()
                timing = {k: payload.pop(k) for k in TIMING_KEYS if k in payload}
                computed += 1
                _write_json(_member_path(cache, i, seeds[i]), payload)
                _append_json(cache / "timings.jsonl", {"candidate": i, "seed": seeds[i], **timing})
                results[i] = {**payload, "candidate": i}
                good = sum(calibrated(results[j]) for j in results)
                ok = "calibrated" if calibrated(payload) else "not calibrated (passed over)"
                say(
                    f"ensemble: candidate {i + 1} (seed {seeds[i]}) done in "
                    f"{timing.get('seconds', 0):.0f} s ({timing.get('cpu_seconds', 0):.0f} s CPU), "
                    f"{ok}; {good} calibrated so far, {time.perf_counter() - start:.0f} s elapsed"
                )
                if settled() is not None:
                    break
                top_up()
            if running:  # speculative candidates no longer needed
                client.cancel(list(running))
                k = len(running)
                say(f"ensemble: {k} candidate{'s' * (k > 1)} no longer needed, cancelled")
    finally:
        if cluster is not None and client is not None:
            # every member is written: what the cluster logs while closing (on a loaded machine a
            # worker's heartbeat can meet the closed scheduler) is noise, not news
            with _quiet_distributed():
                try:
                    client.run(_silence_distributed)
                except Exception:  # a worker already gone has nothing more to say
                    pass
                client.close()
                cluster.close()
        elif client is not None:
            client.close()
        if computed:  # also when interrupted (Ctrl-C): the wall time spent on the cache
            wall = round(time.perf_counter() - start, 1)
            _append_json(
                cache / "runs.jsonl",
                {"computed": computed, "wall_seconds": wall, "workers": slots,
                 "cpus": os.cpu_count()},
            )  # fmt: skip
        for folder in reversed(created):
            with contextlib.suppress(OSError):  # only when empty: never a member written
                folder.rmdir()
    decided = settled() or max_candidates
    if record is not None:
        record |= {"candidates": decided, **cache_timings(cache)}
    members = [results[i] for i in range(decided) if calibrated(results[i])]
    say(f"ensemble: {len(members[:n])} calibrated members from {decided} candidates")
    return members[:n]


def _silence_distributed() -> None:
    """Only critical messages from ``distributed`` in this process from now on (run on each
    worker of the local cluster as it closes, see :func:`run_ensemble`)."""
    logging.getLogger("distributed").setLevel(logging.CRITICAL)


@contextlib.contextmanager
def _quiet_distributed():
    """:func:`_silence_distributed` in this process (the scheduler and the nannies of the local
    cluster) for the duration of the block, the logger's level restored after it."""
    logger = logging.getLogger("distributed")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        logger.setLevel(level)


def _append_json(path: Path, payload: dict) -> None:
    with path.open("a", encoding="utf-8") as fh:
        fh.write(json.dumps(payload, sort_keys=True) + "\n")


def cache_timings(cache: Path | str) -> dict:
    """What the cache's members cost, from its timing logs: ``computed`` (candidates with a
    timing), ``cpu_seconds`` (their CPU time summed over workers), ``wall_seconds`` (summed over
    the invocations that computed any), ``invocations`` and ``workers`` (the most used).

    Parameters
    ----------
    cache : path-like
        A cache directory holding ``timings.jsonl`` and ``runs.jsonl`` (either may be missing).

    Returns
    -------
    dict

    Examples
    --------
    >>> import json, tempfile
    >>> tmp = tempfile.TemporaryDirectory()
    >>> cache = Path(tmp.name)
    >>> _ = (cache / "timings.jsonl").write_text(
    ...     json.dumps({"candidate": 0, "seconds": 10.0, "cpu_seconds": 9.5}) + "\\n"
    ...     + json.dumps({"candidate": 1, "seconds": 12.0, "cpu_seconds": 11.0}) + "\\n")
    >>> _ = (cache / "runs.jsonl").write_text(json.dumps({"wall_seconds": 13.0, "workers": 2}))
    >>> cache_timings(cache)
    {'computed': 2, 'cpu_seconds': 20.5, 'wall_seconds': 13.0, 'invocations': 1, 'workers': 2}
    >>> cache_timings(cache / "empty")["computed"]
    0
    >>> tmp.cleanup()
    """
    cache = Path(cache)

    def lines(name: str) -> list[dict]:
        path = cache / name
        text = path.read_text(encoding="utf-8") if path.exists() else ""
        return [json.loads(line) for line in text.splitlines() if line.strip()]

    timings = {t["candidate"]: t for t in lines("timings.jsonl")}  # the last timing of each
    runs = lines("runs.jsonl")
    return {
        "computed": len(timings),
        "cpu_seconds": round(sum(t.get("cpu_seconds", 0.0) for t in timings.values()), 1),
        "wall_seconds": round(sum(r["wall_seconds"] for r in runs), 1),
        "invocations": len(runs),
        "workers": max((r.get("workers", 0) for r in runs), default=0),
    }


def _scaled(values: np.ndarray, scale: str) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        if scale == "log":
            return np.log(values)
        if scale == "log10":
            return np.log10(values)
    return values


def calibrated(member: dict) -> bool:
    """Whether a member reaches every block of ``CALIBRATED_BLOCKS``: every feasible target
    of Table 1, the responses and the survival block (:func:`analysis.synthesis.target_table`:
    no ``missed``) and every multivariable row of Table 2 (HR inside the printed interval, P on
    the printed side of 0.05). Table 2
    cells are aimed at but not all reachable (chapter 1), so they do not decide membership.

    Parameters
    ----------
    member : dict
        A payload of :func:`member_results` (one without ``target_verdicts``, made of results
        alone, counts as calibrated).

    Returns
    -------
    bool

    Examples
    --------
    >>> calibrated({"target_verdicts": {"table1.age_years.mean": "missed"}})
    False
    >>> blocks = {b: {"missed": 0} for b in CALIBRATED_BLOCKS}
    >>> calibrated({"target_verdicts": {"table1.age_years.mean": "hit"}, "targets": blocks})
    True
    >>> blocks["survival"]["missed"] = 1
    >>> calibrated({"target_verdicts": {}, "targets": blocks})
    False
    """
    verdicts = member.get("target_verdicts")
    if verdicts is None:  # a member summarised from results alone (tests)
        return True
    if any(v == "missed" for v in verdicts.values()):
        return False
    targets = member.get("targets", {})
    return all(targets.get(b, {}).get("missed", 0) == 0 for b in CALIBRATED_BLOCKS)


def spread_class(kind: str, low: float, high: float) -> tuple[float, str]:
    """The spread (the range, maximum minus minimum, on :data:`SPREAD_RULE`'s scale) and the class
    of a result whose calibrated members run from ``low`` to ``high``: *determined* when the range
    is within the kind's tolerance and, for a kind in :data:`SIDES`, no member is on the other
    side of its boundary; otherwise *assumed*. A NaN bound (the result does not exist in some
    member) gives a NaN spread: *assumed*.

    Parameters
    ----------
    kind : str
        A key of :data:`SPREAD_RULE` (``hr``, ``p``, ``probability``…).
    low, high : float
        The smallest and largest value over the members.

    Returns
    -------
    tuple of (float, str)

    Examples
    --------
    P values of 0.01 to 0.03: within half an order of magnitude, all below 0.05.

    >>> spread, cls = spread_class("p", 0.01, 0.03)
    >>> round(spread, 3), cls
    (0.477, 'determined')

    P values of 0.04 to 0.06 are as close on the log scale, but on both sides of 0.05; hazard
    ratios of 0.95 to 1.05 are within 20% of each other, but on both sides of 1:

    >>> spread_class("p", 0.04, 0.06)[1], spread_class("hr", 0.95, 1.05)[1]
    ('assumed', 'assumed')
    >>> spread_class("p", 0.03, 0.05)[1]   # 0.03 significant, 0.05 not
    'assumed'
    >>> spread_class("probability", 0.40, 0.46)[1], spread_class("months", math.nan, 2.0)[1]
    ('assumed', 'assumed')
    """
    scale, threshold = SPREAD_RULE[kind]
    lo, hi = _scaled(np.array([low, high], dtype=float), scale)
    spread = float(hi - lo)
    cls = provenance.classify(spread, threshold)
    side = SIDES.get(kind)
    # a member exactly on the boundary is on its far side: P = 0.05 is not significant beside
    # P = 0.03 (P < 0.05 is), and neither is a chi-square of 3.80 beside 3.841 (>= is)
    if side is not None and low < side <= high:
        cls = provenance.ASSUMED
    return spread, cls


def _row_class(rid: str, kind: str, spread_cls: str, n_members: int, feasible: dict) -> str:
    """The class of a summary row: a feasible Table 2 cell is *published*; a result that rests on
    a generator choice, or measured on fewer than ``MIN_MEMBERS`` members, is *assumed*;
    otherwise the class of its spread (:func:`spread_class`)."""
    cls = spread_cls if n_members >= MIN_MEMBERS else provenance.ASSUMED
    if rid.startswith("table2.") and feasible.get(rid, False):
        cls = provenance.PUBLISHED
    if GENERATOR_CHOICES.get(rid, ""):
        cls = provenance.ASSUMED
    return cls


def summarise(members: list[dict]) -> pd.DataFrame:
    """Per result over the calibrated members (:func:`calibrated`; the others are left out):
    members with a value, median, quartiles, min, max, the spread (the range, max − min, on the
    rule's scale), the threshold and the class (:func:`spread_class`: :data:`SPREAD_RULE` and
    :data:`SIDES`); a Table 2 cell that is a feasible calibration target is *published*; a result
    that rests on a choice of the generator (``GENERATOR_CHOICES``) is *assumed* and ``rests_on``
    names the choice. Rows sorted by result id.

    Parameters
    ----------
    members : list of dict
        Payloads of :func:`member_results` (only ``results`` is needed).

    Returns
    -------
    pandas.DataFrame
        One row per result, columns :data:`SUMMARY_COLUMNS`.

    Examples
    --------
    Twenty members whose 6-month survival spans 0.500 to 0.519 (a range of 0.019, within the
    0.05 of :data:`SPREAD_RULE`), and whose time-varying hazard ratio rests on the timing of
    additional TACE:

    >>> members = [{"results": {"survival.os_6m": 0.5 + i / 1000, "bias.tace_tv_hr": 0.5 + i / 10}}
    ...            for i in range(20)]
    >>> summary = summarise(members)
    >>> summary[["result", "members", "class", "rests_on"]].to_numpy().tolist()
    ... # doctest: +NORMALIZE_WHITESPACE
    [['bias.tace_tv_hr', 20, 'assumed', 'timing of additional TACE'],
     ['survival.os_6m', 20, 'determined', '']]
    >>> summary["spread"].round(4).tolist()
    [1.5686, 0.019]
    """
    members = [m for m in members if calibrated(m)]
    ids = sorted({k for m in members for k in m["results"]})
    feasible = synthesis_feasible_table2()
    rows = []
    for rid in ids:
        if rid.startswith("table2."):
            chapter, kind, desc = "07-cox", "hr", f"Table 2 {rid.removeprefix('table2.')}"
        else:
            chapter, kind, desc = RESULTS[rid]
        values = np.array([m["results"].get(rid, math.nan) for m in members], dtype=float)
        ok = values[np.isfinite(values)]
        threshold = SPREAD_RULE[kind][1]
        if len(ok) == len(values) and len(ok) > 0:
            # from the minimum and maximum as the file stores them (6 significant digits), so
            # that :func:`reclassify` of the committed file gives the same bytes: from the
            # unrounded ones a landmark HR's spread printed 2.05093, from the file's 2.05092
            low, high = (float(_fmt(float(v))) for v in (ok.min(), ok.max()))
            spread, cls = spread_class(kind, low, high)
        else:  # the result does not exist in some member
            spread, cls = math.nan, provenance.ASSUMED
        cls = _row_class(rid, kind, cls, len(values), feasible)
        rests_on = GENERATOR_CHOICES.get(rid, "")
        stats = (
            np.percentile(ok, [50, 25, 75]).tolist() + [ok.min(), ok.max()]
            if len(ok)
            else [math.nan] * 5
        )
        rows.append([rid, chapter, kind, desc, len(ok), *stats, spread, threshold, cls, rests_on])
    return pd.DataFrame(rows, columns=SUMMARY_COLUMNS)


def reclassify(summary: pd.DataFrame, n_members: int | None = None) -> pd.DataFrame:
    """A summary's ``spread``, ``threshold`` and ``class`` recomputed by the current rule
    (:func:`spread_class`) from the columns it stores (kind, members, min, max), without the
    members: how the committed summary follows a change of the rule without re-running the
    ensemble. The other columns are kept.

    Parameters
    ----------
    summary : pandas.DataFrame
        A summary (:data:`SUMMARY_COLUMNS`), as read from ``data/ensemble-summary.csv``.
    n_members : int, optional
        The number of calibrated members (default: the most members any result has); a result
        with fewer members than that does not exist in some member and is *assumed*.

    Returns
    -------
    pandas.DataFrame

    Examples
    --------
    >>> members = [{"results": {"cox.ph_global_p": 10.0 ** -(i / 5)}} for i in range(20)]
    >>> summary = summarise(members)
    >>> reclassify(summary).equals(summary)
    True
    >>> summary["class"].tolist()  # 0.0002 to 1: on both sides of 0.05
    ['assumed']
    """
    out = summary.copy()
    n = int(out["members"].max()) if n_members is None else int(n_members)
    feasible = synthesis_feasible_table2()
    spreads, thresholds, classes = [], [], []
    for row in out.itertuples(index=False):
        rests_on = row.rests_on if isinstance(row.rests_on, str) else ""
        if int(row.members) == n and int(row.members) > 0:
            # the minimum and maximum as the file stores them, as :func:`summarise` reads them
            low, high = (float(_fmt(float(v))) for v in (row.min, row.max))
            spread, cls = spread_class(row.kind, low, high)
        else:
            spread, cls = math.nan, provenance.ASSUMED
        cls = _row_class(row.result, row.kind, cls, n, feasible)
        if rests_on:
            cls = provenance.ASSUMED
        spreads.append(spread)
        thresholds.append(SPREAD_RULE[row.kind][1])
        classes.append(cls)
    out["spread"], out["threshold"], out["class"] = spreads, thresholds, classes
    return out


def synthesis_feasible_table2() -> dict[str, bool]:
    """Table 2 cell id -> whether it is a calibration target (``aimed`` of
    :func:`analysis.paper.table2_feasibility`: its feasible cells, except albumin ≤ 3 g/dL's
    multivariable HR and P and univariate P, which the calibration gives up for the row's
    interval or HR, see :func:`analysis.calibration.table2_cells`).

    >>> targets = synthesis_feasible_table2()
    >>> targets["table2.albumin_le3.multi.hr"], targets["table2.albumin_le3.uni.hr"]
    (False, True)
    """
    feas = paper.table2_feasibility()
    return {r.id: bool(r.aimed) for r in feas.itertuples(index=False)}


def _fmt(x) -> str:
    if isinstance(x, float | np.floating):
        return "" if not math.isfinite(x) else f"{x:.6g}"
    return str(x)


def format_summary(summary: pd.DataFrame) -> str:
    """The summary as CSV text with fixed formatting (6 significant digits, ``\\n``).

    Parameters
    ----------
    summary : pandas.DataFrame
        A :func:`summarise` table.

    Returns
    -------
    str
        The header :data:`SUMMARY_COLUMNS` and one line per result; NaN is an empty cell, a
        cell with a comma is quoted.

    Examples
    --------
    >>> members = [{"results": {"survival.os_6m": 0.5 + i / 1000}} for i in range(20)]
    >>> print(format_summary(summarise(members)), end="")
    result,chapter,kind,description,members,median,q1,q3,min,max,spread,threshold,class,rests_on
    survival.os_6m,06-survival,probability,overall survival at 6 months,20,0.5095,0.50475,0.51425,0.5,0.519,0.019,0.05,determined,
    """
    return format_table(summary[SUMMARY_COLUMNS])


def _table2_cells() -> pd.DataFrame:
    """The printed Table 2 cells of ``data/published/table2.yaml`` (reference rows, printed
    ``1``, left out) in the file's order: ``id``, ``term``, ``model``, ``kind``, ``infeasible``."""
    entries = published.load()
    t2 = entries[
        (entries["location"] == "table2") & ~entries["reference"].fillna(False).astype(bool)
    ]
    feasible = paper.table2_feasibility().set_index("id")["feasible"]
    parts = t2["id"].str.split(".", expand=True)
    return pd.DataFrame(
        {
            "id": t2["id"].to_numpy(),
            "term": parts[1].to_numpy(),
            "model": parts[2].to_numpy(),
            "kind": t2["kind"].to_numpy(),
            "infeasible": [not bool(feasible[i]) for i in t2["id"]],
        }
    )


def table2_cell_tally(members: list[dict]) -> pd.DataFrame:
    """Per printed Table 2 cell: how many calibrated members (:func:`calibrated`; the others are
    left out) print it, under the package's verdicts (``table2_verdicts`` of
    :func:`member_results`: Breslow ties, Wald intervals, half-up rounding at the printed
    precision).

    Parameters
    ----------
    members : list of dict
        Payloads of :func:`member_results` (only ``table2_verdicts``, ``seed`` and, to leave
        out a passed-over candidate, ``target_verdicts``/``targets`` are read).

    Returns
    -------
    pandas.DataFrame
        One row per non-reference cell of ``data/published/table2.yaml``, in the file's order,
        columns :data:`TABLE2_CELL_COLUMNS`: ``id``, ``term``, ``model`` (``uni``/``multi``),
        ``kind`` (``hr``/``interval``/``p``), ``infeasible`` (no cohort can print it:
        :func:`analysis.paper.table2_feasibility`), ``printed_by`` (members whose verdict is
        ``hit``), ``members`` (members with a verdict for the cell) and ``book_cohort`` (the
        verdict of the book's own cohort, the member of seed
        :data:`analysis.synthesis.DEFAULT_SEED`; empty when it is not a member).

    Examples
    --------
    Two members; the second prints the age HR, the first does not:

    >>> members = [{"seed": 1, "table2_verdicts": {"table2.age_years.uni.hr": "missed"}},
    ...            {"seed": 2, "table2_verdicts": {"table2.age_years.uni.hr": "hit"}}]
    >>> tally = table2_cell_tally(members).set_index("id")
    >>> age = ["table2.age_years.uni.hr", "table2.age_years.uni.p"]
    >>> tally.loc[age, ["printed_by", "members"]].to_numpy().tolist()
    [[1, 2], [0, 0]]
    >>> len(tally), int(tally["infeasible"].sum())
    (90, 9)
    """
    members = [m for m in members if calibrated(m)]
    verdicts = [m.get("table2_verdicts", {}) for m in members]
    book = next(
        (m.get("table2_verdicts", {}) for m in members if m.get("seed") == synthesis.DEFAULT_SEED),
        {},
    )
    out = _table2_cells()
    out["printed_by"] = [sum(v.get(i) == HIT for v in verdicts) for i in out["id"]]
    out["members"] = [sum(i in v for v in verdicts) for i in out["id"]]
    out["book_cohort"] = [book.get(i, "") for i in out["id"]]
    return out[TABLE2_CELL_COLUMNS]


def table2_member_hits(members: list[dict]) -> pd.DataFrame:
    """Per calibrated member (:func:`calibrated`), in the order given: how many printed Table 2
    cells it prints (verdict ``hit``), univariate and multivariable, counting the cells of
    :func:`table2_cell_tally` (Table 2's own cells; the abstract's version of a Table 2 HR, which
    no cohort can print, is not one).

    Parameters
    ----------
    members : list of dict
        Payloads of :func:`member_results` (``candidate``, ``seed``, ``table2_verdicts``).

    Returns
    -------
    pandas.DataFrame
        Columns :data:`TABLE2_MEMBER_COLUMNS`: ``candidate`` (-1 when unknown), ``seed``,
        ``book_cohort`` (the seed is :data:`analysis.synthesis.DEFAULT_SEED`), ``uni_hits``,
        ``multi_hits``.

    Examples
    --------
    >>> members = [{"candidate": 0, "seed": 7, "table2_verdicts": {
    ...     "table2.age_years.uni.hr": "hit", "table2.age_years.uni.p": "hit",
    ...     "table2.afp_ng_ml.multi.hr": "hit", "table2.afp_ng_ml.multi.p": "missed",
    ...     "abstract.hr_prior_tace_gt4.hr": "hit"}}]
    >>> table2_member_hits(members).to_numpy().tolist()
    [[0, 7, False, 2, 1]]
    """
    cells = _table2_cells().set_index("id")["model"]
    rows = []
    for m in (m for m in members if calibrated(m)):
        hits = [i for i, v in m.get("table2_verdicts", {}).items() if v == HIT and i in cells.index]
        models = cells.loc[hits].tolist() if hits else []
        seed = int(m.get("seed", -1))
        rows.append(
            [int(m.get("candidate", -1)), seed, seed == synthesis.DEFAULT_SEED,
             models.count("uni"), models.count("multi")]
        )  # fmt: skip
    return pd.DataFrame(rows, columns=TABLE2_MEMBER_COLUMNS)


def format_table(table: pd.DataFrame) -> str:
    """Any table of this module as CSV text, formatted as :func:`format_summary` formats the
    summary (6 significant digits, NaN an empty cell, ``\\n``; its own header).

    Examples
    --------
    >>> print(format_table(pd.DataFrame({"id": ["a,b"], "x": [1 / 3], "n": [2]})), end="")
    id,x,n
    "a,b",0.333333,2
    """
    lines = [",".join(str(c) for c in table.columns)]
    for row in table.itertuples(index=False):
        cells = [_fmt(v) for v in row]
        lines.append(",".join(f'"{c}"' if "," in c else c for c in cells))
    return "\n".join(lines) + "\n"


def class_counts(summary_csv: Path | str | None = None) -> dict[str, int]:
    """How many results of the summary are in each class, and ``derived`` (determined plus
    assumed: every result that is not a calibration target). Zeros without a summary.

    Examples
    --------
    >>> counts = class_counts()
    >>> counts["derived"] == counts["determined"] + counts["assumed"]
    True
    """
    path = Path(summary_csv) if summary_csv else SUMMARY_CSV
    classes = pd.read_csv(path)["class"] if path.exists() else pd.Series(dtype=str)
    out = {c: int((classes == c).sum()) for c in provenance.CLASSES}
    out["derived"] = out[provenance.DETERMINED] + out[provenance.ASSUMED]
    return out


def run_record(path: Path | str | None = None) -> dict | None:
    """The record of the run behind the committed summary (``data/ensemble-run.json``), or None.

    Parameters
    ----------
    path : path-like, optional
        Another record file.

    Returns
    -------
    dict or None
        The master seed, members, candidates, CPU and wall time, workers…; None when the file
        does not exist.

    Examples
    --------
    >>> {"seed", "n", "members", "cpu_seconds"} <= set(run_record())
    True
    >>> run_record("no/such/record.json") is None
    True
    """
    path = Path(path) if path else RUN_JSON
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


def _summary_rows(results, summary_csv) -> pd.DataFrame | provenance.Provenance:
    """The ensemble summary's rows of ``results``, or the class that needs no range: unmeasured
    (no summary, no result or an unknown one), too few members, or the generator choices the
    results rest on (:func:`result_provenance`, :func:`reproduced_provenance`)."""
    path = Path(summary_csv) if summary_csv else SUMMARY_CSV
    if not path.exists():
        return UNMEASURED
    table = pd.read_csv(path).set_index("result")
    if not results or any(r not in table.index for r in results):
        return UNMEASURED
    rows = table.loc[list(results)]
    if int(rows["members"].min()) < MIN_MEMBERS:
        return provenance.assumed(f"only {int(rows['members'].min())} calibrated cohorts compared")
    choices = sorted({c for c in rows.get("rests_on", pd.Series(dtype=str)).dropna() if c})
    if choices:
        return provenance.assumed(" and ".join(choices))
    return rows


def reproduced_provenance(
    *results: str, power: float = 1.0, summary_csv: Path | str | None = None
) -> provenance.Provenance:
    """The class of this cohort's own value of summary results, calibration targets included.

    :func:`result_provenance` gives a feasible Table 2 cell the class *published*: the paper
    prints it. This cohort's estimate of that cell is not printed by the paper, so it is classed
    as any derived result is, by its range over the calibrated cohorts (:func:`spread_class`):
    *determined* when every result is, otherwise *assumed* (naming a generator choice it rests
    on). ``power`` raises every member's value to it first (a hazard ratio per U/L, raised to
    100, is the ratio per 100 U/L; its range on the log scale is 100 times wider).

    Parameters
    ----------
    *results : str
        Result ids of the summary.
    power : float
        Applied to each member's value (a positive result) before its range is judged.
    summary_csv : path-like, optional
        Another summary file (default the committed ``data/ensemble-summary.csv``).

    Returns
    -------
    analysis.provenance.Provenance

    Examples
    --------
    >>> str(result_provenance("table2.age_years.uni.hr"))   # the paper's 0.996
    'published'
    >>> str(reproduced_provenance("table2.age_years.uni.hr"))   # every cohort's 0.996
    'determined'
    >>> str(reproduced_provenance("table2.albi_score.multi.hr"))
    'assumed: varies across calibrated cohorts'
    >>> str(reproduced_provenance("no.such.result"))
    'assumed: not measured across calibrated cohorts'
    """
    rows = _summary_rows(results, summary_csv)
    if isinstance(rows, provenance.Provenance):
        return rows
    for kind, low, high in zip(rows["kind"], rows["min"], rows["max"], strict=True):
        low, high = sorted((float(low) ** power, float(high) ** power))
        if spread_class(str(kind), low, high)[1] != provenance.DETERMINED:
            return provenance.assumed("varies across calibrated cohorts")
    return provenance.Provenance(provenance.DETERMINED)


def result_provenance(
    *results: str, summary_csv: Path | str | None = None
) -> provenance.Provenance:
    """The class of derived results from the committed ensemble summary.

    *Assumed* (with the reason) when the summary is missing, does not list a result, or has
    fewer than ``MIN_MEMBERS`` (20) members; otherwise the summary's class (for several results,
    e.g. both bounds of an interval, *determined* only when every one is). An assumed result
    names the generator choice it rests on (``GENERATOR_CHOICES``), or says that it varies
    across calibrated cohorts.

    Parameters
    ----------
    *results : str
        Result ids of the summary (:data:`RESULTS`, ``table2.<term>.<uni|multi>.hr``).
    summary_csv : path-like, optional
        Another summary file (default the committed ``data/ensemble-summary.csv``).

    Returns
    -------
    analysis.provenance.Provenance

    Examples
    --------
    >>> str(result_provenance("no.such.result"))
    'assumed: not measured across calibrated cohorts'
    >>> str(result_provenance("bias.tace_tv_hr"))
    'assumed: timing of additional TACE'

    On a summary of twenty members that agree on 6-month survival and not on 12-month:

    >>> import tempfile
    >>> members = [{"results": {"survival.os_6m": 0.5, "survival.os_12m": 0.1 + i / 50}}
    ...            for i in range(20)]
    >>> tmp = tempfile.TemporaryDirectory()
    >>> csv = Path(tmp.name) / "summary.csv"
    >>> _ = csv.write_text(format_summary(summarise(members)))
    >>> str(result_provenance("survival.os_6m", summary_csv=csv))
    'determined'
    >>> str(result_provenance("survival.os_6m", "survival.os_12m", summary_csv=csv))
    'assumed: varies across calibrated cohorts'
    >>> tmp.cleanup()
    """
    rows = _summary_rows(results, summary_csv)
    if isinstance(rows, provenance.Provenance):
        return rows
    classes = set(rows["class"])
    if provenance.ASSUMED in classes:
        return provenance.assumed("varies across calibrated cohorts")
    return provenance.Provenance(classes.pop() if len(classes) == 1 else provenance.DETERMINED)
