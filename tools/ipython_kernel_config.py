# IPython kernel configuration for the book's environment (`make setup` copies it to
# .venv/etc/ipython/, where every kernel of this venv reads it: jupyter-book, papermill, nbval).
#
# ipykernel 7 logs "Kernel is running over TCP without encryption ..." at WARNING on every start.
# The kernels here are started by this machine's own jupyter-book/papermill and listen on
# 127.0.0.1 only, so the line tells a reader something is wrong when nothing is. It alone is
# dropped; every other kernel message (including other warnings) is still printed.
import logging


class _DropLocalTcpNotice(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return "Kernel is running over TCP without encryption" not in record.getMessage()


logging.getLogger("IPKernelApp").addFilter(_DropLocalTcpNotice())

# Before a notebook imports NumPy: NumPy's AVX-512 loops off, so that the arithmetic is the same
# on every processor (analysis/numerics.py). Chapters import pandas before the package, so the
# package itself would be too late.
try:
    import analysis  # noqa: F401  (importing the package pins them)
except ImportError:  # a kernel of this venv started outside the book's checkout
    pass
