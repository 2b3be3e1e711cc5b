"""``python -m analysis ensemble``: an ensemble of calibrated cohorts and its summary.

Draws ``--n`` independently seeded cohorts (member seeds spawned from ``--seed``), each
calibrated by the synthesis, computes the book's derived results on each and writes the summary
(per result: median, quartiles, range and class; :mod:`analysis.ensemble`). Members run on Dask:
a local cluster of ``--workers`` processes, or the cluster at ``--scheduler``. Finished members
are cached (``--cache``), so a second run resumes; progress goes to stderr, one line per member.
The summary's bytes depend only on ``--n``, ``--seed`` and the code. Beside the book's summary
the command writes the record of the runs that filled the cache (``data/ensemble-run.json``:
wall and CPU time, workers), which chapters quote; a re-run from the same cache writes the same.
Beside the summary it also writes which members print each Table 2 cell and how many cells each
member prints (``data/ensemble-table2-cells.csv`` and ``data/ensemble-table2-members.csv`` beside
the book's summary; ``<out>-table2-cells.csv`` and ``<out>-table2-members.csv`` beside another).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import tempfile
import time
from pathlib import Path

from analysis import DATA_DIR, REPO_ROOT
from analysis.cli import (
    UsageError,
    book_path_problem,
    check_writable_folder,
    existing_folder,
    file_path,
    is_book_file,
    output_file_path,
    refuse_special_file,
    refuse_unexpanded_home,
    unusable_path,
)
from analysis.cli.synthesize import (
    MAX_CHAINS,
    MAX_STEPS,
    MIN_STEPS,
    too_many_chains,
    too_many_steps,
)
from analysis.ensemble import (
    RUN_JSON,
    SCHEDULER_TIMEOUT,
    TABLE2_CELLS_CSV,
    TABLE2_MEMBERS_CSV,
    SchedulerError,
    format_summary,
    format_table,
    run_ensemble,
    summarise,
    table2_cell_tally,
    table2_member_hits,
)
from analysis.synthesis import replacing_mode

HELP = "draw N calibrated cohorts on Dask and summarise which derived results they agree on"

DEFAULT_OUT = DATA_DIR / "ensemble-summary.csv"
DEFAULT_CACHE = REPO_ROOT / ".ensemble-cache"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the command's arguments."""
    parser.add_argument(
        "--n", type=int, required=True, help=f"number of members (cohorts), at most {_MAX_MEMBERS}"
    )
    parser.add_argument("--seed", type=int, default=2024, help="master seed (default 2024)")
    parser.add_argument(
        "--out",
        type=output_file_path,
        default=DEFAULT_OUT,
        help="summary CSV (default data/ensemble-summary.csv)",
    )
    parser.add_argument(
        "--cache",
        type=file_path,
        default=DEFAULT_CACHE,
        help="directory of finished members, one JSON file each (default .ensemble-cache)",
    )
    parser.add_argument(
        "--scheduler",
        default=None,
        help="address of an existing Dask scheduler (tcp://host:port); the command stops with "
        f"an error if it is empty or no Dask scheduler answers there within {SCHEDULER_TIMEOUT} s",
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=None,
        help=f"local worker processes (default: the CPUs; at most {_WORKERS_PER_CPU} per CPU); "
        "not with --scheduler, whose cluster has its own workers",
    )
    parser.add_argument(
        "--chains",
        type=int,
        default=None,
        help="synthesis chains per member (default: the synthesis' own; fewer is faster; at "
        f"most {MAX_CHAINS})",
    )
    parser.add_argument(
        "--steps",
        type=int,
        default=None,
        help=f"annealing steps per chain, at least {MIN_STEPS}, at most {MAX_STEPS} (default: the "
        "synthesis' own)",
    )
    parser.add_argument(
        "--force",
        action="store_true",
        help="replace an existing --out file (the default summary is always regenerated)",
    )
    parser.epilog = EPILOG


EPILOG = """\
examples:
  python -m analysis ensemble --n 50                # the book's summary (data/)
  python -m analysis ensemble --n 4 --chains 1 --steps 5000 --out /tmp/small.csv
  python -m analysis ensemble --n 50 --scheduler tcp://10.0.0.5:8786

A long job: each member is a full calibration (data/ensemble-run.json records the wall time
of the book's run). Finished members are cached in --cache, so a second run resumes.

exit status: 0 written; 1 no candidate calibrated (nothing written); 2 a bad option, an
unwritable --out or no scheduler answering at --scheduler (nothing run or written).
"""


def _beside(out: Path) -> dict[str, Path]:
    """The Table 2 files written beside the summary ``out``: the book's own beside the book's
    summary, ``<stem>-table2-cells.csv`` and ``<stem>-table2-members.csv`` beside another."""
    if is_book_file(out, DEFAULT_OUT):
        return {"table2_cells": TABLE2_CELLS_CSV, "table2_members": TABLE2_MEMBERS_CSV}
    return {
        "table2_cells": out.with_name(f"{out.stem}-table2-cells.csv"),
        "table2_members": out.with_name(f"{out.stem}-table2-members.csv"),
    }


def _write(path: Path, text: str, flag: str) -> None:
    """Write ``text`` to ``path`` atomically (a temporary file beside it, then renamed)."""
    mode = replacing_mode(path)  # not the temporary file's 0600
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".ensemble-", suffix=".csv")
    try:
        os.fchmod(fd, mode)
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise UsageError(f"{flag} {path}: cannot write ({exc.strerror or exc})") from exc


#: Most members one command may ask for (a typo of zeros is refused, not started).
_MAX_MEMBERS = 10_000
#: Most local worker processes per CPU (members are CPU-bound: more only wait).
_WORKERS_PER_CPU = 4

#: How the command's refusals end: nothing has run yet.
NOTHING = "nothing was run or written"


def _check_paths(args: argparse.Namespace) -> dict[str, Path]:
    """Refuse (UsageError) an --out or --cache that cannot be used; the files beside --out."""
    refuse_unexpanded_home("--out", args.out)
    refuse_unexpanded_home("--cache", args.cache)
    if args.out.exists() and args.out.is_dir():
        raise UsageError(f"--out is a directory: {args.out}")
    beside = _beside(args.out)
    for path in (args.out, *beside.values()):
        refuse_special_file("--out", path, NOTHING)
        problem = book_path_problem(
            path, allowed=[DEFAULT_OUT, TABLE2_CELLS_CSV, TABLE2_MEMBERS_CSV]
        )
        if problem is not None:
            raise UsageError(
                f"--out {args.out}: {path.name} {problem}; choose another path "
                "(e.g. /tmp/summary.csv); nothing was run or written"
            )
    if args.out.exists() and not args.force and not is_book_file(args.out, DEFAULT_OUT):
        raise UsageError(
            f"--out {args.out} already exists; nothing was written (without --force only the "
            "book's own data/ensemble-summary.csv is replaced: choose a new file name, or add "
            "--force to replace it)"
        )
    if not args.out.parent.is_dir():
        # a folder not yet made was called "not a directory"
        what = (
            "is not a directory" if args.out.parent.exists() else "does not exist (make it first)"
        )
        raise UsageError(f"--out {args.out}: {args.out.parent} {what}; {NOTHING}")
    for path in beside.values():
        if path.exists() and path.is_dir():
            raise UsageError(f"--out {args.out}: {path.name} beside it is a directory")
        if path.exists() and not args.force and not is_book_file(args.out, DEFAULT_OUT):
            raise UsageError(
                f"--out {args.out.name}: {path.name} beside it exists; nothing was written "
                "(choose a new file name, or add --force to replace it)"
            )
    if args.cache.exists() and not args.cache.is_dir():
        raise UsageError(f"--cache is not a directory: {args.cache}")
    for path in (args.out, *beside.values()):
        if path.resolve() == args.cache.resolve():
            # the cache was made there and the whole run failed at the end, writing the summary
            raise UsageError(
                f"--cache {args.cache}: is where the summary's {path.name} goes (--out "
                f"{args.out}); give the cache another folder; {NOTHING}"
            )
    # an unwritable --out failed after the whole run, an unwritable --cache with a traceback
    # once the cluster had started: both are tried first (the cache folder is still made only
    # once a cluster answers)
    check_writable_folder("--out", args.out.parent, args.out, NOTHING)
    ancestor = existing_folder("--cache", args.cache)
    check_writable_folder("--cache", ancestor, args.cache, NOTHING)
    return beside


def run(args: argparse.Namespace) -> int:
    """Run or resume the ensemble, write the summary atomically, print one line; return 0."""
    if args.n < 1:
        raise UsageError(f"--n must be at least 1, got {args.n}")
    if args.n > _MAX_MEMBERS:  # a typo of zeros: its seeds alone filled the memory
        raise UsageError(
            f"--n {args.n}: at most {_MAX_MEMBERS} members (each is a full calibration, about a "
            "CPU-minute)"
        )
    if args.seed < 0:  # NumPy's SeedSequence refused it, with a traceback
        raise UsageError(f"--seed must be a non-negative integer, got {args.seed}")
    if args.workers is not None and args.scheduler is not None:
        # the cluster at --scheduler has the workers it has: --workers was silently ignored
        raise UsageError(
            "--workers sets the size of a local cluster and cannot be combined with --scheduler "
            "(the cluster there has its own workers); leave out one of them"
        )
    if args.workers is not None and args.workers < 1:
        raise UsageError(f"--workers must be at least 1, got {args.workers}")
    cpus = os.cpu_count() or 1
    if args.workers is not None and args.workers > _WORKERS_PER_CPU * cpus:
        # 9999 local processes ran out of file descriptors, with 10⁵ tracebacks on stderr
        raise UsageError(
            f"--workers {args.workers}: at most {_WORKERS_PER_CPU * cpus} local worker processes "
            f"({_WORKERS_PER_CPU} per CPU; this machine has {cpus}); more only wait for a CPU"
        )
    if args.chains is not None and args.chains < 1:
        raise UsageError(f"--chains must be at least 1, got {args.chains}")
    if args.chains is not None and args.chains > MAX_CHAINS:
        raise UsageError(too_many_chains(args.chains))
    if args.steps is not None and args.steps < MIN_STEPS:
        # fewer cannot start the search: each member failed on a Dask worker, with a traceback
        raise UsageError(f"--steps must be at least {MIN_STEPS}, got {args.steps}")
    if args.steps is not None and args.steps > MAX_STEPS:
        raise UsageError(too_many_steps(args.steps))
    if args.scheduler is not None and not args.scheduler.strip():
        raise UsageError(
            "--scheduler: the address is empty; give one (tcp://host:port), or leave out "
            "--scheduler for a local cluster"
        )
    options = {k: getattr(args, k) for k in ("chains", "steps") if getattr(args, k) is not None}
    try:
        beside = _check_paths(args)
    except (OSError, RuntimeError) as exc:  # a name too long, a loop of links
        name = str(getattr(exc, "filename", None) or "")
        flag = "--cache" if name.startswith(str(args.cache)) else "--out"
        raise unusable_path(flag, exc, NOTHING) from None
    start = time.perf_counter()
    record: dict = {}
    try:
        members = run_ensemble(
            args.n,
            args.seed,
            cache_dir=args.cache,
            scheduler=args.scheduler,
            workers=args.workers,
            synthesize_options=options or None,
            record=record,
        )
    except SchedulerError as exc:
        address = "".join(ch if ch.isprintable() else ascii(ch)[1:-1] for ch in exc.address)
        raise UsageError(
            f"--scheduler {address}: {exc.reason}; nothing was run or written"
        ) from None
    drawn = record.get("candidates", 0)
    if not members:  # a summary of no cohort: a header line, written with exit status 0
        print(
            f"error: none of the {drawn} candidates drawn (seed {args.seed}) calibrated; nothing "
            "was written (more --steps or --chains, or their defaults, calibrate more of them)",
            file=sys.stderr,
        )
        return 1
    summary = summarise(members)
    text = format_summary(summary)
    extra = {
        "table2_cells": format_table(table2_cell_tally(members)),
        "table2_members": format_table(table2_member_hits(members)),
    }
    _write(args.out, text, "--out")
    for key, path in beside.items():
        _write(path, extra[key], "--out")
    wall = time.perf_counter() - start
    if record["invocations"] and is_book_file(args.out, DEFAULT_OUT):
        run_info = {
            "n": args.n, "seed": args.seed, "members": len(members), **record,
            "options": options, "summary_sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(),
            **{f"{k}_sha256": hashlib.sha256(v.encode("utf-8")).hexdigest()
               for k, v in extra.items()},
        }  # fmt: skip
        RUN_JSON.write_text(json.dumps(run_info, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    counts = summary["class"].value_counts()
    short = "" if len(members) == args.n else f" (only {len(members)} of {args.n} found)"
    print(
        f"wrote {args.out}: {len(summary)} results over {len(members)} calibrated members{short} "
        f"from {drawn} candidates (seed {args.seed}); {counts.get('determined', 0)} determined, "
        f"{counts.get('assumed', 0)} assumed, {counts.get('published', 0)} published; {wall:.0f} s"
    )
    return 0
