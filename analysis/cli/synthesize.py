"""``python -m analysis synthesize``: regenerate the calibrated synthetic cohort.

With the default options and output path the command reproduces the committed
``data/cohort.csv`` byte for byte; other options (or another arithmetic: NumPy's AVX-512 loops,
a C library whose ``exp`` and ``log`` round otherwise) replace that file
only with ``--force``. Progress goes to stderr; a summary (targets hit, missed and infeasible, wall time)
to stdout.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from analysis import COHORT_CSV, numerics
from analysis.cli import (
    UsageError,
    book_path_problem,
    check_writable_folder,
    existing_folder,
    is_book_file,
    output_file_path,
    refuse_special_file,
    refuse_unexpanded_home,
    unusable_path,
)
from analysis.formatting import count, wrapped
from analysis.synthesis import (
    COX_STEPS,
    DEFAULT_CHAINS,
    DEFAULT_SEED,
    DEFAULT_STEPS,
    synthesize,
    target_counts,
    target_table,
    write_cohort_csv,
)

#: Fewer annealing steps than this cannot even start the search.
MIN_STEPS = 100
#: Most annealing chains one command may ask for: a typo of zeros (``--chains 100000000``)
#: spawned a seed per chain, about 0.4 kB each, before the first chain started (40 GB).
MAX_CHAINS = 1000
#: Most annealing steps per chain one command may ask for (about 20 times the default): a typo
#: of zeros (``--steps 450000000``) ran for days with nothing to say it would.
MAX_STEPS = 1_000_000
#: Most steps of the Table 2 Cox phase (about 20 times the default): no bound let a typo of
#: zeros (``--cox-steps 120000000``) run for days, as ``--steps`` did.
MAX_COX_STEPS = 250_000


def _check_writable(out: Path, force: bool = False) -> None:
    """Refuse an output path that cannot be written, before the half-minute of synthesis.

    An existing file is replaced only when it is the book's own cohort (the default) or with
    ``--force``: ``--out my_cohort.csv`` must never silently overwrite a user's file.
    """
    refuse_unexpanded_home("--out", out)
    if out.exists() and out.is_dir():
        raise UsageError(f"--out is a directory: {out}")
    refuse_special_file("--out", out, "nothing was written")
    problem = book_path_problem(out, allowed=[COHORT_CSV])
    if problem is not None:
        raise UsageError(
            f"--out {out}: {problem}; choose another path (e.g. /tmp/cohort.csv); "
            "nothing was written"
        )
    if out.exists() and not force and not is_book_file(out, COHORT_CSV):
        raise UsageError(
            f"--out {out} already exists; nothing was written (without --force only the "
            "book's own data/cohort.csv is replaced: choose a new file name, or add --force to "
            "replace it)"
        )
    if os.path.lexists(out) and not out.exists():
        raise UsageError(f"--out {out}: a broken symbolic link (or a loop of them)")
    existing = existing_folder("--out", out.parent if str(out.parent) else Path("."), out)
    check_writable_folder("--out", existing, out, "nothing was written")
    if out.exists() and not os.access(out, os.W_OK):
        raise UsageError(f"--out {out}: not writable")


def changed_options(args: argparse.Namespace) -> list[str]:
    """The options of ``args`` that change the cohort from the committed ``data/cohort.csv``.

    Examples
    --------
    >>> changed_options(argparse.Namespace(seed=7, chains=1, steps=DEFAULT_STEPS,
    ...                                    cox_steps=COX_STEPS))
    ['--seed 7 (default 20240426)', '--chains 1 (default 4)']
    """
    given = {
        "--seed": (args.seed, DEFAULT_SEED),
        "--chains": (args.chains, DEFAULT_CHAINS),
        "--steps": (args.steps, DEFAULT_STEPS),
        "--cox-steps": (args.cox_steps, COX_STEPS),
    }
    return [
        f"{flag} {value} (default {default})"
        for flag, (value, default) in given.items()
        if value != default
    ]


def _refuse_replacing_the_book_cohort(args: argparse.Namespace) -> None:
    """Refuse, without ``--force``, to replace ``data/cohort.csv`` with another cohort.

    Every chapter and golden notebook reads the book's cohort; other options (a seed, fewer
    chains or steps) or another arithmetic (NumPy's AVX-512 loops, imported before the package; a
    C library whose ``exp`` and ``log`` round otherwise) write another one, so
    that is done only on request. Called before any computation.
    """
    if args.force or not is_book_file(args.out, COHORT_CSV):
        return
    changed = changed_options(args)
    if changed:
        seed = f"-seed{args.seed}" if args.seed != DEFAULT_SEED else ""
        raise UsageError(
            f"{', '.join(changed)}: data/cohort.csv was made with the defaults, and "
            "this would replace the book's cohort (which every chapter reads) with another "
            f"one; nothing was written (give --out /tmp/cohort{seed}.csv, or add --force to "
            "replace data/cohort.csv)"
        )
    note = numerics.kernel_note()
    if note is not None:
        reason = note.removeprefix("note: ").replace(" (see analysis/numerics.py)", "")
        raise UsageError(
            f"{reason}; data/cohort.csv, which every chapter reads, was kept: nothing was "
            "written (give --out /tmp/cohort.csv to compare with it, or add --force to replace "
            "it; see analysis/numerics.py)"
        )


def too_many_chains(chains: int) -> str:
    """The refusal of a ``--chains`` above :data:`MAX_CHAINS`.

    Examples
    --------
    >>> too_many_chains(100_000_000)
    '--chains 100000000: at most 1000 (each chain is a full annealing run; the default is 4)'
    """
    return (
        f"--chains {chains}: at most {MAX_CHAINS} (each chain is a full annealing run; the "
        f"default is {DEFAULT_CHAINS})"
    )


def too_many_steps(steps: int) -> str:
    """The refusal of a ``--steps`` above :data:`MAX_STEPS`.

    Examples
    --------
    >>> too_many_steps(450_000_000)
    '--steps 450000000: at most 1000000 per chain (the default is 45000)'
    """
    return f"--steps {steps}: at most {MAX_STEPS} per chain (the default is {DEFAULT_STEPS})"


HELP = "regenerate the calibrated synthetic cohort (default: data/cohort.csv, byte for byte)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the command's arguments."""
    parser.add_argument(
        "--seed", type=int, default=DEFAULT_SEED, help=f"random seed (default {DEFAULT_SEED})"
    )
    parser.add_argument(
        "--out",
        type=output_file_path,
        default=COHORT_CSV,
        help="output CSV (default data/cohort.csv)",
    )
    parser.add_argument(
        "--chains",
        type=int,
        default=DEFAULT_CHAINS,
        help=f"independent annealing chains (default {DEFAULT_CHAINS}, at most {MAX_CHAINS})",
    )
    parser.add_argument(
        "--steps",
        type=int,
        default=DEFAULT_STEPS,
        help=f"annealing steps per chain (default {DEFAULT_STEPS}, at least {MIN_STEPS}, at most "
        f"{MAX_STEPS})",
    )
    parser.add_argument(
        "--cox-steps",
        type=int,
        default=COX_STEPS,
        help=f"steps of the Table 2 Cox phase (default {COX_STEPS}; 0 skips it; at most "
        f"{MAX_COX_STEPS})",
    )
    parser.add_argument(
        "--force",
        action="store_true",
        help="replace an existing --out file; also needed to replace data/cohort.csv (the "
        "default --out) with other --seed, --chains, --steps or --cox-steps than the defaults, "
        "or where the arithmetic is not the reference's (NumPy's AVX-512 loops, or a C library "
        "whose exp and log round otherwise; the command says so before it starts)",
    )
    parser.add_argument(
        "--quiet",
        action="store_true",
        help="no progress bar (there is none either when stderr is not a terminal)",
    )
    parser.epilog = EPILOG


EPILOG = f"""\
examples:
  python -m analysis synthesize     # rewrites data/cohort.csv, byte for byte
  python -m analysis synthesize --seed 7 --out /tmp/cohort-seed7.csv
  python -m analysis synthesize --chains 1 --steps 5000 --cox-steps 0 \\
      --out /tmp/quick.csv

--steps must be at least {MIN_STEPS} and at most {MAX_STEPS}. Without --out the command
rewrites data/cohort.csv, which every chapter reads, only with the default --seed, --chains,
--steps and --cox-steps; other values write another cohort, so there they are refused unless
--force is given (write them elsewhere: --out /tmp/cohort-seed7.csv). An existing --out other
than data/cohort.csv is replaced only with --force, and never in the book's folders (data/,
analysis/, chapters/ …); the file is written in one piece (a temporary file, then renamed), so
an interrupted run leaves the old file as it was. The bytes do not depend on the processor or
on OPENBLAS_CORETYPE: the calibration calls no BLAS, the command turns NumPy's AVX-512 loops
off before NumPy loads, and it starts itself again with glibc's SSE2 exp and log
(GLIBC_TUNABLES=glibc.cpu.hwcaps=-FMA,-FMA4) where it started with others. Where the arithmetic
is still not the reference's (another C library), it says so on stderr and replaces
data/cohort.csv only with --force (analysis/numerics.py).

exit status: 0 written, 2 a bad option, an unwritable --out, or data/cohort.csv refused
without --force (nothing written).
"""


def run(args: argparse.Namespace) -> int:
    """Synthesize, write atomically, print the summary; return 0."""
    if args.seed < 0:
        raise UsageError(f"--seed must be a non-negative integer, got {args.seed}")
    if args.chains < 1:
        raise UsageError(f"--chains must be at least 1, got {args.chains}")
    if args.chains > MAX_CHAINS:
        raise UsageError(too_many_chains(args.chains))
    if args.cox_steps < 0:
        raise UsageError(f"--cox-steps must be non-negative, got {args.cox_steps}")
    if args.cox_steps > MAX_COX_STEPS:
        raise UsageError(
            f"--cox-steps {args.cox_steps}: at most {MAX_COX_STEPS} (the default is {COX_STEPS})"
        )
    if args.steps < MIN_STEPS:
        raise UsageError(f"--steps must be at least {MIN_STEPS}, got {args.steps}")
    if args.steps > MAX_STEPS:
        raise UsageError(too_many_steps(args.steps))
    try:
        _check_writable(args.out, args.force)
    except (OSError, RuntimeError) as exc:  # a name too long, a loop of links
        raise unusable_path("--out", exc, "nothing was written") from None
    _refuse_replacing_the_book_cohort(args)
    changed = changed_options(args) if is_book_file(args.out, COHORT_CSV) else []
    if changed:  # with --force: said before the work, so that it can still be stopped
        print(
            wrapped(
                f"note: --force: replacing data/cohort.csv with the cohort of "
                f"{', '.join(changed)} (git checkout data/cohort.csv restores the committed one)"
            ),
            file=sys.stderr,
        )
    note = numerics.kernel_note()
    if note is not None:  # said before the half-minute, so that it can be stopped
        print(wrapped(note), file=sys.stderr)
    start = time.perf_counter()
    before = _identity(args.out)
    try:
        df = _synthesize_and_write(args)
    except KeyboardInterrupt:  # Ctrl-C in the half-minute: said what was kept
        print(wrapped(_interrupted(args.out, before)), file=sys.stderr)
        return 130
    wall = time.perf_counter() - start
    _print_summary(args, df, wall)
    return 0


def _identity(path) -> tuple | None:
    """What tells whether ``path`` was replaced: its inode and time of change, or None when it
    is absent (or cannot be looked at)."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_ino, info.st_ctime_ns, info.st_size


def _interrupted(out, before) -> str:
    """The message of a Ctrl-C: nothing written, ``out`` unchanged (when it is), or written."""
    if _identity(out) != before:  # the file was in place when the signal came
        return f"interrupted after {out} was written"
    if before is None:
        return f"interrupted: nothing was written ({out} was not created)"
    return f"interrupted: nothing was written; {out} is unchanged"


def _synthesize_and_write(args: argparse.Namespace):
    """The cohort of ``args``, written to ``args.out`` in one piece."""
    df = synthesize(
        args.seed,
        # a bar only on a terminal: in a log (2>log, nohup, CI) its carriage returns made
        # one unreadable line of every redraw
        progress=not args.quiet and sys.stderr.isatty(),
        chains=args.chains,
        steps=args.steps,
        cox_steps=args.cox_steps,
    )
    try:
        write_cohort_csv(df, args.out)
    except OSError as exc:
        raise UsageError(f"--out {args.out}: cannot write ({exc.strerror or exc})") from exc
    return df


def _print_summary(args: argparse.Namespace, df, wall: float) -> None:
    """What was written, the targets hit and missed, the Cox phase."""
    table = target_table(df)
    counts = table["verdict"].value_counts()
    print(
        wrapped(
            f"wrote {args.out} ({count(len(df))} patients, seed {args.seed}); targets: "
            f"{counts.get('hit', 0)} hit, {counts.get('missed', 0)} missed, "
            f"{counts.get('infeasible', 0)} infeasible; {wall:.1f} s"
        )
    )
    for row in table[table["verdict"] != "hit"].itertuples(index=False):
        print(
            wrapped(
                f"  {row.verdict:<10} {row.id}: published {row.published}, computed "
                f"{row.computed} ({row.distance:g} unit{'' if row.distance == 1 else 's'} of the "
                "last digit)"
            )
        )
    loss = df.attrs.get("loss", {})
    if args.cox_steps == 0:  # printed "Cox phase: Table 2 loss nan -> nan"
        print("  Cox phase: skipped (--cox-steps 0)")
    else:
        print(
            f"  Cox phase: Table 2 loss {loss.get('cox_before', float('nan')):.3f} -> "
            f"{loss.get('cox_after', float('nan')):.3f}"
        )
    for block, row in target_counts(df).iterrows():
        print(
            f"  {block}: {row['hit']} hit, {row['missed']} missed, {row['infeasible']} infeasible"
        )
