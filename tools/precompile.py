"""Byte-compile the installed modules that ``make test`` and ``make book`` import, once.

``make setup`` installs the lock with ``pip install --no-compile``: pip otherwise compiles every
module of every package (10,000 files, about 20 CPU-s on the 2-core machine, most of set-up's
wall time on a fresh clone), while the tests and the book import about a third of them. Those are
compiled here instead, by importing them in two processes side by side (:data:`GROUPS`, about
equal work), so that the processes ``make test`` starts together (test workers, kernels, the
book's build) do not each compile the same modules. A module not listed is compiled where it is
first imported, as Python does anyway: the list is a saving, never a requirement.

Usage: ``python tools/precompile.py GROUP`` (``a`` or ``b``). Writes nothing where bytecode is
not written (``PYTHONDONTWRITEBYTECODE``; the Makefile unexports it); exits 0 even if a module
fails to import (the tests then report it where it matters).
"""

from __future__ import annotations

import importlib
import sys

#: The modules imported by the package, its chapters and tests, the book's build and the test
#: runners, in two groups of about equal work that share few dependencies (``a``: the package's
#: numerical stack, 6.2 CPU-s; ``b``: plotting, Dask, Sphinx, Jupyter, pytest, Playwright,
#: 6.4 CPU-s); each import compiles what it imports in turn.
GROUPS = {
    "a": (
        "analysis", "analysis.cli", "numpy", "pandas", "scipy.stats", "scipy.optimize",
        "statsmodels.api", "statsmodels.duration.hazard_regression", "lifelines", "yaml",
        "seaborn",
    ),
    "b": (
        "matplotlib.pyplot", "dask", "distributed", "sphinx.application",
        "jupyter_book.cli.main", "myst_nb", "myst_parser", "pydata_sphinx_theme", "sphinx_book_theme", "sphinxcontrib.bibtex", "numpydoc",
        "sphinx_design", "sphinx_exercise", "papermill", "nbclient", "nbformat", "jupytext",
        "ipykernel.kernelapp", "jupyter_client", "IPython", "pytest", "xdist", "nbval",
        "hypothesis", "playwright.sync_api", "importlinter", "bs4",
    ),
}  # fmt: skip


def main(argv: list[str]) -> int:
    (group,) = argv
    for name in GROUPS[group]:
        try:
            importlib.import_module(name)
        except Exception as exc:  # noqa: BLE001 - a saving, never a requirement
            print(f"precompile: {name} not imported ({type(exc).__name__})", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
