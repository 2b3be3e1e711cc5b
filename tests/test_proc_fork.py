"""A program forked by tests/proc_fork.py is started as a fresh one is: seen from inside, the
same arguments, import path, working directory, environment, ``__main__``, signal handling,
descriptors, parent and process group; from outside, the same exit status (an exit code, an
uncaught exception, a Ctrl-C, a signal, standard output that cannot be flushed) and output.
Only the modules it finds already imported differ."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time

import proc_fork
import pytest

from analysis import COHORT_CSV

PROBE = """\
import gc, json, os, signal, sys, threading, time, atexit
import __main__
view = {
    "argv": sys.argv,
    "path": sys.path,
    "cwd": os.getcwd(),
    "env": dict(os.environ),
    "main": sorted(k for k in vars(__main__) if k not in ("view",) and not k.startswith("_t_")),
    "name": __name__,
    "spec": getattr(__spec__, "name", None),
    "signals": {s: repr(signal.getsignal(getattr(signal, s)))
                for s in ("SIGINT", "SIGTERM", "SIGPIPE", "SIGCHLD", "SIGHUP", "SIGXFSZ")},
    "parent": os.getppid(),
    "group": os.getpgid(0),
    "session": os.getsid(0),
    "fds": sorted(os.listdir("/proc/self/fd")),
    "stdin": sys.stdin.read(),
    "stdout": [sys.stdout.encoding, sys.stdout.errors, sys.stdout.line_buffering],
    "stderr": [sys.stderr.encoding, sys.stderr.errors, sys.stderr.line_buffering],
    "flags": repr(sys.flags),
    "threads": threading.active_count(),
    "preloaded": "decimal" in sys.modules,
    "frozen": gc.get_freeze_count(),
    "pid": os.getpid(),
}
action = sys.argv[1] if len(sys.argv) > 1 else ""
if action != "unflushed":
    print(json.dumps(view), flush=True)
atexit.register(lambda: sys.stderr.write("atexit ran\\n"))
if action == "exit3":
    sys.exit(3)
if action == "message":
    sys.exit("a message")
if action == "raise":
    raise ValueError("boom")
if action == "ctrl-c":
    raise KeyboardInterrupt
if action == "wait":
    sys.stderr.write("waiting\\n"); sys.stderr.flush()
    time.sleep(60)
if action == "unflushed":
    sys.stdout.write("x" * 10)
"""
#: the probe's two launches, each a kind the zygote forks (preloading a module it never imports)
KINDS = {
    "probe-m": (("-m", "haic_fork_probe"), ("decimal",)),
    "probe-c": (("-c", PROBE), ("decimal",)),
}


@pytest.fixture
def probes(monkeypatch, tmp_path):
    (tmp_path / "haic_fork_probe.py").write_text(PROBE, encoding="utf-8")
    monkeypatch.setattr(proc_fork, "KINDS", {**proc_fork.KINDS, **KINDS})
    yield tmp_path
    for kind in KINDS:
        proc_fork._close(kind)


def _launch(tmp_path, mode: str, action: str, stdout=subprocess.PIPE, env=None):
    start = KINDS[f"probe-{mode}"][0]
    return subprocess.Popen(
        [sys.executable, *start, action], cwd=tmp_path, stdin=subprocess.PIPE, stdout=stdout,
        stderr=subprocess.PIPE, text=True, env=env,
    )  # fmt: skip


def _run(tmp_path, mode: str, action: str, stdout=subprocess.PIPE, env=None):
    proc = _launch(tmp_path, mode, action, stdout, env)
    out, err = proc.communicate("given on stdin", timeout=60)
    view = json.loads(out.splitlines()[0]) if out else None
    return proc, view, out, err


@pytest.mark.parametrize("mode", ["m", "c"])
def test_a_forked_program_starts_as_a_fresh_one(probes, mode):
    fresh, fresh_view, *_ = _run(probes, mode, "")
    with proc_fork.forked():
        forked, forked_view, *_ = _run(probes, mode, "")
        [zygote] = proc_fork.zygotes(f"probe-{mode}")
    assert fresh.returncode == forked.returncode == 0
    assert fresh_view.pop("preloaded") is False and forked_view.pop("preloaded") is True
    assert fresh_view.pop("frozen") == 0 < forked_view.pop("frozen")
    assert forked_view.pop("pid") == forked.pid not in (zygote, fresh_view.pop("pid"))
    assert forked_view == fresh_view
    assert fresh_view["parent"] == os.getpid()  # the test process's child, as launched
    assert fresh_view["fds"] == ["0", "1", "2", "3"]  # the listing's own
    assert fresh_view["stdin"] == "given on stdin"
    assert fresh_view["argv"][0] == ("-c" if mode == "c" else str(probes / "haic_fork_probe.py"))
    assert fresh_view["path"][0] == ("" if mode == "c" else str(probes))


@pytest.mark.parametrize("mode", ["m", "c"])
@pytest.mark.parametrize(
    ("action", "code"),
    [("exit3", 3), ("message", 1), ("raise", 1), ("ctrl-c", -signal.SIGINT), ("unflushed", 120)],
)
def test_a_forked_program_ends_as_a_fresh_one(probes, mode, action, code):
    stdout, env = subprocess.PIPE, None
    if action == "unflushed":  # standard output cannot be written: the flush at exit fails
        stdout = open("/dev/full", "w")  # noqa: SIM115
        # buffered, as without PYTHONUNBUFFERED (the zygote is started in this environment)
        env = {k: v for k, v in proc_fork._c_environ().items() if k != "PYTHONUNBUFFERED"}
    fresh, _, fresh_out, fresh_err = _run(probes, mode, action, stdout, env)
    with proc_fork.forked():
        forked, _, forked_out, forked_err = _run(probes, mode, action, stdout, env)
        assert proc_fork.zygotes(f"probe-{mode}")
    if action == "unflushed":
        stdout.close()
    assert fresh.returncode == forked.returncode == code
    assert "atexit ran" in fresh_err and "atexit ran" in forked_err
    if action in ("raise", "ctrl-c"):
        assert fresh_err.startswith("Traceback") and forked_err.startswith("Traceback")
        assert fresh_err.splitlines()[-2:] == forked_err.splitlines()[-2:]
    else:
        assert fresh_err == forked_err


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_a_forked_program_is_signalled_as_a_fresh_one(probes, signum):
    codes = []
    for forking in (False, True):
        with proc_fork.forked() if forking else open(os.devnull):
            proc = _launch(probes, "m", "wait")
            proc.stdin.close()
            while "waiting" not in proc.stderr.readline():
                time.sleep(0.01)
            proc.send_signal(signum)
            if signal.getsignal(signum) == signal.SIG_IGN:
                # ignored here (SIGINT in a background job: `make test &`): a launched program
                # inherits that and keeps running; so must a forked one
                with contextlib.suppress(subprocess.TimeoutExpired):
                    proc.wait(timeout=1)
                codes.append(proc.poll())
                proc.kill()
                proc.wait(timeout=60)
            else:
                codes.append(proc.wait(timeout=60))
            proc.stdout.close()
            proc.stderr.close()
    ignored = signal.getsignal(signum) == signal.SIG_IGN
    # SIGINT: an uncaught KeyboardInterrupt, then SIGINT; ignored: both still running
    assert codes == ([None, None] if ignored else [-signum, -signum])


def test_a_forked_program_ignores_what_the_test_process_ignores(probes):
    """Run as a background job (``make test &``, nohup), the test process ignores SIGINT, and a
    launched program inherits that: its Python leaves SIGINT ignored. A forked program had
    Python's KeyboardInterrupt handler instead (and a fresh-start test failed only in the
    background). Here the test process ignores SIGINT for the launch of both."""
    before = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        seen = []
        for forking in (False, True):
            with proc_fork.forked() if forking else open(os.devnull):
                _, view, *_ = _run(probes, "m", "")
                seen.append(view["signals"]["SIGINT"])
    finally:
        signal.signal(signal.SIGINT, before)
    assert seen == [repr(signal.SIG_IGN)] * 2, seen


def test_the_command_line_forked_answers_as_launched(tmp_path, _program_zygotes):
    """The analysis command line, forked and launched: the same output and exit status."""
    cases = [
        ["dose", "--height-cm", "170", "--weight-kg", "65"],
        ["dose", "--height-cm", "40", "--weight-kg", "65"],
        ["validate", "--quiet", str(COHORT_CSV)],
        ["validate", "--quiet", str(tmp_path / "missing.csv")],
    ]
    results = []
    for forking in (False, True):
        with proc_fork.forked() if forking else open(os.devnull):
            for argv in cases:
                done = subprocess.run(
                    [sys.executable, "-m", "analysis", *argv], capture_output=True, text=True,
                    timeout=120, cwd=tmp_path, check=False,
                )  # fmt: skip
                results.append((done.returncode, done.stdout, done.stderr))
            if forking:
                assert proc_fork.zygotes("analysis")
    launched, forked = results[: len(cases)], results[len(cases) :]
    assert forked == launched
    assert [code for code, _, _ in launched] == [0, 2, 0, 2]


def test_inside_launched_every_program_is_a_new_interpreter(probes):
    """:func:`proc_fork.launched`: a test that compares two programs' bytes launches one."""
    with proc_fork.forked(), proc_fork.launched():
        proc, view, *_ = _run(probes, "m", "")
        assert not proc_fork.zygotes("probe-m")
    assert proc.returncode == 0 and view["preloaded"] is False and view["frozen"] == 0
