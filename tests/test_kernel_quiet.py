"""A kernel of the book's environment starts without ipykernel's local-TCP notice.

Every chapter execution (jupyter-book, papermill, nbval) starts a kernel; ipykernel 7 logged
"Kernel is running over TCP without encryption …" at WARNING each time, which told a reader
something was wrong when nothing was. ``make setup`` installs ``tools/ipython_kernel_config.py``
into ``.venv/etc/ipython/``, which drops that one line and nothing else.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
START_AND_STOP = (
    "from jupyter_client.manager import start_new_kernel\n"
    "km, kc = start_new_kernel(kernel_name='python3')\n"
    "kc.execute_interactive('import logging; "
    'logging.getLogger("IPKernelApp").warning("another warning")\', timeout=30)\n'
    "kc.stop_channels()\n"
    "km.shutdown_kernel(now=True)\n"
)


def test_venv_has_the_kernel_config():
    installed = Path(sys.prefix) / "etc" / "ipython" / "ipython_kernel_config.py"
    source = ROOT / "tools" / "ipython_kernel_config.py"
    assert installed.is_file(), "run `make setup`: it installs tools/ipython_kernel_config.py"
    assert installed.read_text(encoding="utf-8") == source.read_text(encoding="utf-8")


def test_kernel_start_prints_no_tcp_notice_but_other_warnings():
    done = subprocess.run(
        [sys.executable, "-c", START_AND_STOP],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "without encryption" not in done.stderr
    assert "another warning" in done.stderr  # the filter drops one message, not the log
