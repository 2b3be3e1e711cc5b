"""Chapter kernels forked from one process that has already imported what chapters import.

Every chapter a test executes (papermill, or :func:`analysis.runner.run_book` in the test's
process) starts a fresh ``python -m ipykernel_launcher``, and its first cells import IPython,
NumPy, pandas, Matplotlib, SciPy and the package again: about 1.5 of the 2.5-5 CPU-s a chapter
costs on a small cohort. :func:`forked` (the ``forked_kernels`` fixture of ``conftest.py``)
makes jupyter_client's launch of such a kernel a ``fork()`` of one waiting process per test
process (the *zygote*, started at the first launch) that imported them once; the child then
does what the kernel's own process does from its start: its working directory, environment,
standard streams and session as jupyter_client gives them, ``sys.path[0]`` as ``-m`` sets it,
``runpy`` of ``ipykernel_launcher`` as ``__main__``, the interpreter's exit steps. The chapter's
cells run in it as they would in a fresh kernel, each chapter in a kernel of its own: a module is
already in ``sys.modules``, a name is never in the notebook's namespace (a cell that forgets an
import fails as before).

Only a launch that is exactly the fresh one is forked: the command ``sys.executable -m
ipykernel_launcher ...``, the zygote's environment (but :data:`PER_LAUNCH`), streams that are
inherited, ``/dev/null`` or a file; anything else (another kernel, another interpreter, a pipe to
read, an environment a test changed) is launched as before, as is every launch once the zygote
has failed. ``HAIC_FRESH_KERNELS=1`` turns the forking off. Checked: a chapter's executed
notebook is the same in both (tests/test_kernel_fork.py checks a kernel's view of its start).
"""

from __future__ import annotations

import contextlib
import gc
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time

#: What the zygote imports, in a fresh kernel's order: ipykernel, then the package (the kernel
#: configuration imports it: it pins OpenBLAS before NumPy loads), then what the chapters'
#: first cells import.
PRELOAD = (
    "ipykernel.kernelapp",
    "analysis",
    "analysis.book",
    "analysis.audit",
    "analysis.bias",
    "analysis.calibration",
    "analysis.clinical",
    "analysis.cohort",
    "analysis.engine",
    "analysis.ensemble",
    "analysis.formatting",
    "analysis.labels",
    "analysis.paper",
    "analysis.plots",
    "analysis.privacy",
    "analysis.provenance",
    "analysis.published",
    "analysis.runner",
    "analysis.scenarios",
    "analysis.survival",
    "analysis.synthesis",
    "analysis.tables",
    "analysis.verdicts",
    "scipy.stats",
    # the first book.glue call of every chapter imports it (myst_nb's glue, with docutils):
    # ~0.04 CPU-s a kernel
    "myst_nb.ext.glue",
    # each chapter's first cells check its parameters (analysis.runner.check_chapter_parameters),
    # reading its parameters cell with jupytext: imported, and every chapter read, here (below)
    "jupytext",
)
#: Environment variables that may differ from one kernel to the next (read when they run, not
#: when a module is imported): jupyter_client's session name, pytest's current test.
PER_LAUNCH = ("JPY_SESSION_NAME", "PYTEST_CURRENT_TEST")
_INLINE = "module://matplotlib_inline.backend_inline"
_MAX_MESSAGE = 1 << 20


# ------------------------------------------------------------------------------ the zygote
def _serve(fd: int) -> None:
    """The zygote's loop: import :data:`PRELOAD`, then fork a kernel for each request."""
    import importlib
    import selectors

    del sys.path[0]  # this file's folder; the child puts its working directory there
    # a Ctrl-C at the terminal stops the test process, which closes the socket: then the zygote
    # stops its kernels (which, started in sessions of their own, never see the terminal's)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # the kernel sets the inline backend this way before anything imports Matplotlib (which
    # reads the variable once, at import); the child's kernel sets it again, to the same value
    inline_set = not os.environ.get("MPLBACKEND")
    if inline_set:
        os.environ["MPLBACKEND"] = _INLINE
    for name in PRELOAD:
        importlib.import_module(name)
    runner = sys.modules["analysis.runner"]
    for md in runner.discover_chapters():  # cached per chapter text: an edited one is read anew
        runner.chapter_parameters(md)
    if inline_set:
        del os.environ["MPLBACKEND"]
    # what is imported stays for the process's life: out of the collector's reach (gc.freeze,
    # as pre-forking servers do), each kernel's full collections -- IPython's at exit among
    # them -- no longer walk the preloaded objects, nor copy the pages they share with the
    # zygote (the kernel-forking tests, one process: 51.3 -> 44.0 CPU-s in kernels)
    gc.collect()
    gc.freeze()
    sock = socket.socket(fileno=fd)
    wake_r, wake_w = os.pipe()
    os.set_blocking(wake_w, False)
    signal.set_wakeup_fd(wake_w)
    signal.signal(signal.SIGCHLD, lambda *_: None)
    children: set[int] = set()
    selector = selectors.DefaultSelector()
    selector.register(sock, selectors.EVENT_READ)
    selector.register(wake_r, selectors.EVENT_READ)

    def reap() -> None:
        while children:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            children.discard(pid)
            sock.send(json.dumps({"exit": pid, "code": os.waitstatus_to_exitcode(status)}).encode())

    while True:
        for key, _ in selector.select():
            if key.fileobj == wake_r:
                with contextlib.suppress(BlockingIOError):
                    os.read(wake_r, 4096)
                reap()
                continue
            message, fds, _, _ = socket.recv_fds(sock, _MAX_MESSAGE, 3)
            if not message:  # the test process has gone: so do its kernels
                for pid in children:
                    with contextlib.suppress(OSError):
                        os.killpg(pid, signal.SIGKILL)
                for pid in list(children):
                    with contextlib.suppress(ChildProcessError):
                        os.waitpid(pid, 0)
                os._exit(0)
            request = json.loads(message)
            ready_r, ready_w = os.pipe()
            pid = os.fork()
            if pid == 0:
                os.close(ready_r)
                _kernel(request, fds, ready_w)
            os.close(ready_w)
            # the answer waits for the child's own session: jupyter_client signals the process
            # group it reads from the pid (the zygote's, the test process's, before setsid)
            os.read(ready_r, 1)
            os.close(ready_r)
            for f in fds:
                os.close(f)
            children.add(pid)
            sock.send(json.dumps({"started": pid}).encode())


def _kernel(request: dict, fds: list[int], ready: int) -> None:
    """In the forked child: become ``python -m ipykernel_launcher ...`` started as asked."""
    import atexit
    import runpy

    code = 1
    try:
        signal.set_wakeup_fd(-1)
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)  # as a new interpreter has it
        os.setsid()  # jupyter_client's start_new_session=True
        os.close(ready)
        for target, f in enumerate(fds):
            os.dup2(f, target)
        os.closerange(3, os.sysconf("SC_OPEN_MAX"))  # Popen's close_fds: the zygote's go
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        sys.argv = [request["argv"][0], *request["argv"][3:]]
        sys.path.insert(0, os.getcwd())  # what -m puts first (ipykernel_launcher takes it out)
        code = 0
        try:
            runpy.run_module("ipykernel_launcher", run_name="__main__", alter_sys=True)
        except SystemExit as stop:
            code = stop.code if isinstance(stop.code, int) else (0 if stop.code is None else 1)
        threading._shutdown()  # what the interpreter does at exit, in its order
        atexit._run_exitfuncs()
    except BaseException:
        import traceback

        traceback.print_exc()
        code = 1
    finally:
        with contextlib.suppress(Exception):
            sys.stdout.flush()
            sys.stderr.flush()
        os._exit(code)


# ------------------------------------------------------------------------- the test process
class _Zygote:
    def __init__(self, env: dict):
        self.env = dict(env)
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        self.process = subprocess.Popen(
            [sys.executable, __file__, str(theirs.fileno())],
            pass_fds=(theirs.fileno(),),
            env=self.env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
        )
        theirs.close()
        self.sock = ours
        self.lock = threading.Lock()
        self.exited: dict[int, int] = {}

    def _handle(self, message: bytes):
        if not message:
            raise OSError("the kernel zygote has ended")
        reply = json.loads(message)
        if "exit" in reply:
            self.exited[reply["exit"]] = reply["code"]
        return reply

    def launch(self, argv, env, cwd, fds) -> int:
        with self.lock:
            request = json.dumps({"argv": argv, "env": env, "cwd": cwd}).encode()
            socket.send_fds(self.sock, [request], fds)
            while True:
                reply = self._handle(self.sock.recv(_MAX_MESSAGE))
                if "started" in reply:
                    return reply["started"]

    def status(self, pid: int) -> int | None:
        with self.lock:
            self.sock.setblocking(False)
            try:
                while True:
                    self._handle(self.sock.recv(_MAX_MESSAGE))
            except BlockingIOError:
                pass
            finally:
                self.sock.setblocking(True)
            return self.exited.get(pid)

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self.sock.close()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=30)
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()


class ForkedKernel:
    """The part of :class:`subprocess.Popen` that jupyter_client uses, for a forked kernel."""

    stdout = stderr = None

    def __init__(self, zygote: _Zygote, pid: int, stdin):
        self.zygote, self.pid, self.stdin, self.returncode = zygote, pid, stdin, None

    def poll(self):
        if self.returncode is None:
            self.returncode = self.zygote.status(self.pid)
        return self.returncode

    def wait(self, timeout=None):
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired(f"kernel {self.pid}", timeout)
            time.sleep(0.01)
        return self.returncode

    def send_signal(self, signum):
        if self.poll() is None:
            os.kill(self.pid, signum)

    def terminate(self):
        self.send_signal(signal.SIGTERM)

    def kill(self):
        self.send_signal(signal.SIGKILL)


_zygote: _Zygote | None = None


def _forkable(cmd, env, stdin, stdout, stderr, kw, base: dict) -> bool:
    """The launch is a fresh kernel's in the environment ``base`` (the zygote's)."""
    if kw or not (
        isinstance(cmd, list) and cmd[:3] == [sys.executable, "-m", "ipykernel_launcher"]
    ):
        return False
    if any(s == subprocess.PIPE for s in (stdout, stderr)) or stdin not in (None, subprocess.PIPE):
        return False
    if env is None:
        return False
    return _without_per_launch(env) == base


def _without_per_launch(env) -> dict:
    return {k: v for k, v in env.items() if k not in PER_LAUNCH}


def _stream_fd(stream, default: int, opened: list) -> int:
    if stream is None:
        return default
    if stream == subprocess.DEVNULL:
        fd = os.open(os.devnull, os.O_RDWR)
        opened.append(fd)
        return fd
    return stream if isinstance(stream, int) else stream.fileno()


def launch_kernel(cmd, stdin=None, stdout=None, stderr=None, env=None, independent=False,
                  cwd=None, *, _fresh, **kw):  # fmt: skip
    """jupyter_client.launcher.launch_kernel, forking where :func:`_forkable` says it may."""
    global _zygote
    if _zygote is not None and _zygote.process.poll() is not None:
        _zygote = None  # ended (killed): another is started
    if _zygote is not None:
        base = _zygote.env
    else:  # ipykernel reads its parent's id when it is imported
        base = {**_without_per_launch(os.environ), "JPY_PARENT_PID": str(os.getpid())}
    if env is not None:
        env = {**env, "JPY_PARENT_PID": str(os.getpid())}  # as launch_kernel sets it
    if independent or not _forkable(cmd, env, stdin, stdout, stderr, kw, base):
        return _fresh(cmd, stdin, stdout, stderr, env, independent, cwd, **kw)
    if _zygote is None:
        _zygote = _Zygote(base)
    opened: list[int] = []
    # launch_kernel gives the kernel a pipe from this process as its standard input
    read_end, write_end = os.pipe()
    try:
        fds = [read_end, _stream_fd(stdout, 1, opened), _stream_fd(stderr, 2, opened)]
        pid = _zygote.launch(list(cmd), env, os.fspath(cwd or os.getcwd()), fds)
    except OSError:  # the zygote has ended (it could not import, it was killed): launched as before
        os.close(write_end)
        close()
        return _fresh(cmd, stdin, stdout, stderr, env, independent, cwd, **kw)
    finally:
        for fd in [*opened, read_end]:
            os.close(fd)
    return ForkedKernel(_zygote, pid, os.fdopen(write_end, "wb"))


@contextlib.contextmanager
def forked():
    """jupyter_client's local kernels forked from the zygote while inside (see the module)."""
    if os.environ.get("HAIC_FRESH_KERNELS") == "1" or not hasattr(os, "fork"):
        yield
        return
    from jupyter_client.provisioning import local_provisioner

    fresh = local_provisioner.launch_kernel

    def launch(cmd, stdin=None, stdout=None, stderr=None, env=None, independent=False,
               cwd=None, **kw):  # fmt: skip
        return launch_kernel(cmd, stdin, stdout, stderr, env, independent, cwd, _fresh=fresh, **kw)

    local_provisioner.launch_kernel = launch
    try:
        yield
    finally:
        local_provisioner.launch_kernel = fresh


def close() -> None:
    """Stop the zygote (its kernels have ended by then) and wait for it."""
    global _zygote
    if _zygote is not None:
        _zygote.close()
        _zygote = None


if __name__ == "__main__":
    _serve(int(sys.argv[1]))
