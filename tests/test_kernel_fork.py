"""A chapter kernel forked by tests/kernel_fork.py is started as a fresh one is: the same working
directory, import path, environment, Matplotlib backend, signal handling, session and kernel
settings, seen from inside the kernel; only the modules it finds already imported differ."""

from __future__ import annotations

import json
import os

import kernel_fork
import nbformat
import pytest

from analysis.runner import CHAPTERS_DIR

PROBE = """\
import gc, json, os, signal, sys
from ipykernel.kernelapp import IPKernelApp
preloaded = "pandas" in sys.modules and "myst_nb.ext.glue" in sys.modules  # book.glue's import
import matplotlib
app = IPKernelApp.instance()
print(json.dumps({
    "cwd": os.getcwd(),
    "path": sys.path,
    "env": dict(os.environ),
    "backend": matplotlib.get_backend(),
    "sigint": repr(signal.getsignal(signal.SIGINT)),
    "session_leader": os.getsid(0) == os.getpid(),
    "parent_handle": app.parent_handle,
    "argv": sys.argv[1:],
    "main": sys.modules["__main__"].__name__,
    "preloaded": preloaded,
    "frozen": gc.get_freeze_count(),
    "parent": os.getppid(),
}))
"""


def _probe(tmp_path, name: str) -> dict:
    import papermill

    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(PROBE)])
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    out = papermill.execute_notebook(
        nb, str(tmp_path / f"{name}.ipynb"), cwd=str(CHAPTERS_DIR), progress_bar=False,
        log_output=False, request_save_on_cell_execute=False,
    )  # fmt: skip
    [stream] = out.cells[0].outputs
    return json.loads(stream["text"])


@pytest.mark.slow(seconds=4)
def test_a_forked_kernel_starts_as_a_fresh_one(tmp_path, _kernel_zygote):
    fresh = _probe(tmp_path, "fresh")
    with kernel_fork.forked():
        forked = _probe(tmp_path, "forked")
    assert fresh.pop("preloaded") is False and forked.pop("preloaded") is True  # it was forked
    # the zygote's imports are out of the collector's reach (gc.freeze), a fresh kernel's are not
    assert fresh.pop("frozen") == 0 < forked.pop("frozen")
    assert fresh.pop("parent") == os.getpid() != forked.pop("parent")
    # connection files differ; the rest is the same, the environment included
    fresh["argv"] = [a for a in fresh["argv"] if not a.endswith(".json")]
    forked["argv"] = [a for a in forked["argv"] if not a.endswith(".json")]
    assert forked == fresh
    assert fresh["cwd"] == str(CHAPTERS_DIR) and fresh["session_leader"]
    assert fresh["backend"] == "module://matplotlib_inline.backend_inline"
    assert fresh["parent_handle"] == os.getpid()
