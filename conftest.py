"""pytest's configuration for the whole checkout: the kernels of ``make nbval``.

nbval (``pytest --nbval ... chapters``) executes each golden notebook in a kernel of its own.
Here each such kernel is forked from one process per test worker that has already imported what
the chapters import (tests/kernel_fork.py, the same forking as the tests' own chapter runs, see
tests/conftest.py), not started and importing afresh: the kernel is started as a fresh one is
(tests/test_kernel_fork.py), each notebook still runs in a kernel of its own, a cell that forgets
an import still fails. ``HAIC_FRESH_KERNELS=1`` turns the forking off. The unit tests' own
configuration is tests/conftest.py.
"""

import sys
from pathlib import Path


def pytest_configure(config):
    if not (getattr(config.option, "nbval", False) or getattr(config.option, "nbval_lax", False)):
        return
    if hasattr(config, "workerinput") is False and getattr(config.option, "numprocesses", None):
        return  # the xdist controller runs no notebook
    sys.path.insert(0, str(Path(__file__).resolve().parent / "tests"))
    import kernel_fork

    forking = kernel_fork.forked()
    forking.__enter__()

    def stop():
        forking.__exit__(None, None, None)
        kernel_fork.close()

    config.add_cleanup(stop)
