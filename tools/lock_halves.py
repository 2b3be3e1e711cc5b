"""Split the lock (requirements.txt) into two halves of about equal install work.

``make setup`` installs the two halves side by side, one pip process per core. pip's work for a
package is unpacking its wheel and byte-compiling its modules, so the halves are balanced by
:data:`WEIGHT` (installed megabytes plus four times the megabytes of ``.py`` files, measured
on this project's venv; packages not listed count 1): largest first, each to the lighter half.
Alternating lines (the previous split) put scipy, pandas, statsmodels and playwright in one half,
which then did twice the other's work. Deterministic: the same lock gives the same halves.

Usage: ``python tools/lock_halves.py requirements.txt HALF_A HALF_B`` (standard library only:
it runs before the venv exists).
"""

from __future__ import annotations

import re
import sys

#: Install work per package (see the module's docstring); the rest weigh 1.
WEIGHT = {
    "scipy": 226, "playwright": 184, "pandas": 157, "statsmodels": 122, "numpy": 108,
    "matplotlib": 69, "sqlalchemy": 63, "fonttools": 48, "dask": 39, "debugpy": 39, "babel": 36,
    "sphinx": 28, "pygments": 27, "pillow": 27, "ruff": 25, "setuptools": 24, "jedi": 19,
    "distributed": 16, "hypothesis": 14, "narwhals": 13,
}  # fmt: skip


def _name(pin: str) -> str:
    return re.sub(r"[-_.]+", "-", pin.split("==", 1)[0]).lower()


def halves(pins: list[str]) -> tuple[list[str], list[str]]:
    """The two halves, each in lock order."""
    order = sorted(range(len(pins)), key=lambda i: (-WEIGHT.get(_name(pins[i]), 1), i))
    side, load = {}, [0, 0]
    for i in order:
        k = 0 if load[0] <= load[1] else 1
        side[i] = k
        load[k] += WEIGHT.get(_name(pins[i]), 1)
    return tuple([p for i, p in enumerate(pins) if side[i] == k] for k in (0, 1))


def main(argv: list[str]) -> int:
    lock, out_a, out_b = argv
    with open(lock, encoding="utf-8") as f:
        pins = [line.strip() for line in f if re.match(r"[A-Za-z0-9]", line)]
    for path, half in zip((out_a, out_b), halves(pins), strict=True):
        with open(path, "w", encoding="utf-8") as f:
            f.write("".join(p + "\n" for p in half))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
