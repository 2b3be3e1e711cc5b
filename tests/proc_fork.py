"""Programs the tests start, forked from a process that has already imported what they import.

A test that starts ``python -m analysis ...`` (the command line, in a process of its own), and
every report :func:`analysis.runner.run_book` builds in the test's process (its site is built by
``python -c "... jupyter_book.cli.main ..." build``), pays a new interpreter's imports each
time: pandas, NumPy, SciPy and the package (about 1 CPU-s), or jupyter-book, Sphinx and the
book's extensions. :func:`forked` (the ``forked_programs`` fixture of ``conftest.py``) makes
such a :class:`subprocess.Popen` a ``fork()`` of one waiting process per kind of program,
environment and test process (the *zygote*, started at the first launch), which imported them
once.

The child is a process as the launch would have made it: its own pid, a child of the test
process (the zygote forks it through a process that exits at once, and the test process is
its *subreaper* while it is started: ``PR_SET_CHILD_SUBREAPER``), so :class:`subprocess.Popen`
waits for it, signals it and reads its exit status itself, unchanged; its standard streams are
the launch's (pipes, files, ``/dev/null``, or the test process's own), every other descriptor
closed; its working directory and environment are the launch's; ``sys.argv`` and
``sys.path[0]`` are what ``-m`` or ``-c`` sets; the program runs as ``__main__`` in a new module
(``runpy._run_module_as_main``, what ``-m`` calls; ``-c``'s code in a new ``__main__``); at its
end the interpreter's exit steps run in their order (threads joined, ``atexit``, the streams
flushed, exit status 120 when standard output cannot be flushed) and an uncaught
``KeyboardInterrupt`` ends it by SIGINT, as Python does. Signal dispositions are a fresh
interpreter's: SIGINT raises ``KeyboardInterrupt``, SIGPIPE is ignored, the rest as inherited.

Only a launch that is exactly the fresh one is forked (:data:`KINDS`): the command, the
environment its zygote was started in (but :data:`PER_LAUNCH`: a launch in another environment
starts a zygote of its own, as the imports may read it), no terminal among the streams,
no ``preexec_fn``, ``pass_fds``, new session, user, group or umask; anything else is launched as
before, as is every launch once a zygote has failed. A test that needs a truly fresh interpreter
(what an import loads, ``-X importtime``, the OpenBLAS core chosen before NumPy loads, a signal
during the interpreter's own start or exit) starts another command (``-c`` of its own, ``-X``)
and is never forked. ``HAIC_FRESH_PROGRAMS=1`` turns the forking off.
Checked: tests/test_proc_fork.py compares a forked program's view of its start with a fresh one's.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import json
import os
import signal
import socket
import subprocess
import sys
import threading

_JB_CODE = "import sys; from jupyter_book.cli.main import main; sys.exit(main())"

#: Each kind of program forked: (what the launch's arguments start with, what its zygote
#: imports). ``analysis``: the command line (``analysis/__main__.py`` imports every command's
#: module; ``run`` imports papermill and nbformat after its refusals). ``jupyter-book``: the
#: report's site build of :func:`analysis.runner._build_site`, with the extensions the book's
#: ``_config.yml`` loads.
KINDS = {
    "analysis": (
        ("-m", "analysis"),
        ("analysis.cli", "analysis.cli.run", "analysis.runner", "nbformat", "papermill"),
    ),
    "jupyter-book": (
        ("-c", _JB_CODE),
        (
            "jupyter_book.cli.main",
            "jupyter_book.config",
            "jupyter_book.sphinx",
            "sphinx.application",
            "sphinx.cmd.build",
            "sphinx.builders.html",
            "sphinx.search",
            "sphinx.writers.html5",
            "sphinx.ext.autodoc",
            "sphinx.ext.autosummary",
            "myst_nb.sphinx_ext",
            "myst_parser.sphinx_ext.main",
            "sphinx_book_theme",
            "pydata_sphinx_theme",
            "sphinxcontrib.bibtex",
            "sphinx_comments",
            "sphinx_copybutton",
            "sphinx_design",
            "sphinx_exercise",
            "sphinx_external_toc",
            "sphinx_jupyterbook_latex",
            "sphinx_multitoc_numbering",
            "sphinx_thebe",
            "sphinx_togglebutton",
            "numpydoc",
            "jupyter_cache",
            "nbclient",
            "IPython",
            "PIL.Image",
            "analysis",
            # the icon font's subsetting (book/_ext/book_site.py) imports these in every build
            # (about 0.2 CPU-s a build; OS/2's table module alone 0.1)
            "fontTools.subset",
            "fontTools.ttLib.tables.O_S_2f_2",
            # Sphinx's own extensions, which every application sets up
            "sphinx.application:builtin_extensions",
        ),
    ),
}
#: Environment variables that may differ from one launch to the next, which no import of a
#: zygote reads: pytest's current test; the mark tests/test_ensemble.py gives a command's Dask
#: workers (they inherit it) to find any left behind.
PER_LAUNCH = ("PYTEST_CURRENT_TEST", "ENSEMBLE_TEST_MARK")
#: Signals whose disposition a forked program takes from the launching process as exec would:
#: ignored where the test process ignores them (a background job ignores SIGINT and SIGQUIT;
#: a program launched from it too), else the default (SIGINT: Python's KeyboardInterrupt).
MIRRORED_SIGNALS = (
    signal.SIGINT, signal.SIGQUIT, signal.SIGHUP, signal.SIGTERM, signal.SIGUSR1, signal.SIGUSR2,
    signal.SIGALRM,
)  # fmt: skip
_MAX_MESSAGE = 1 << 20
_PR_SET_CHILD_SUBREAPER = 36


# ------------------------------------------------------------------------------ the zygote
def _serve(fd: int, preload: list[str]) -> None:
    """The zygote's loop: import ``preload``, then fork a program for each request."""
    import importlib

    del sys.path[0]  # this file's folder; the child's is set as -m or -c sets it
    # a Ctrl-C at the terminal stops the test process, which closes the socket: then the zygote
    # ends; its programs are the test process's children (as launched programs are)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for name in preload:
        module, _, listed = name.partition(":")  # "module:names": the modules it lists too
        with contextlib.suppress(ImportError):  # an extension the book stops using
            imported = importlib.import_module(module)
            for other in getattr(imported, listed) if listed else ():
                importlib.import_module(other)
    gc.collect()
    gc.freeze()  # as tests/kernel_fork.py: the children's collections skip what is preloaded
    sock = socket.socket(fileno=fd)
    while True:
        message, fds, _, _ = socket.recv_fds(sock, _MAX_MESSAGE, 3)
        if not message:  # the test process has gone
            os._exit(0)
        request = json.loads(message)
        with contextlib.suppress(Exception):
            sys.stdout.flush()
            sys.stderr.flush()
        pid_r, pid_w = os.pipe()
        go_r, go_w = os.pipe()  # closed once the child is the test process's
        middle = os.fork()
        if middle == 0:  # exits at once: its child is then the test process's (the subreaper)
            os.close(pid_r)
            os.close(go_w)
            try:
                pid = os.fork()
                if pid == 0:
                    os.close(pid_w)
                    os.read(go_r, 1)  # EOF: the middle process has ended and been reaped
                    os.close(go_r)
                    _program(request, fds)
                os.write(pid_w, str(pid).encode())
            finally:
                os._exit(0)
        os.close(pid_w)
        os.close(go_r)
        with os.fdopen(pid_r, "rb") as r:
            text = r.read()
        os.waitpid(middle, 0)
        os.close(go_w)
        for f in fds:
            os.close(f)
        sock.send(json.dumps({"started": int(text) if text else None}).encode())


def _program(request: dict, fds: list[int]) -> None:
    """In the forked child: become ``python -m MODULE ...`` or ``python -c CODE ...``."""
    import atexit
    import builtins
    import importlib.machinery
    import runpy
    import types

    code = 1
    interrupted = False
    try:
        for signum in MIRRORED_SIGNALS:  # as exec leaves them, then as a new interpreter sets them
            if int(signum) in request.get("ignored", ()):
                signal.signal(signum, signal.SIG_IGN)
            elif signum == signal.SIGINT:
                signal.signal(signum, signal.default_int_handler)
            else:
                signal.signal(signum, signal.SIG_DFL)
        for target, f in enumerate(fds):
            os.dup2(f, target)
        os.closerange(3, os.sysconf("SC_OPEN_MAX"))  # Popen's close_fds: the zygote's go
        os.chdir(request["cwd"])
        # the zygote's environment is the launch's (but PER_LAUNCH), with what its imports set
        # (OpenBLAS's core: analysis/numerics.py), as the program's own imports would set it
        for name, value in request["per_launch"].items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        argv = request["argv"]
        main = types.ModuleType("__main__")  # a fresh interpreter's, before -m or -c runs
        main.__loader__ = importlib.machinery.BuiltinImporter
        main.__annotations__ = {}
        main.__builtins__ = builtins
        sys.modules["__main__"] = main
        code = 0
        try:
            if argv[1] == "-m":
                sys.argv = ["-m", *argv[3:]]
                sys.path.insert(0, os.getcwd())
                runpy._run_module_as_main(argv[2], alter_argv=True)
            else:
                sys.argv = ["-c", *argv[3:]]
                sys.path.insert(0, "")
                exec(compile(argv[2], "<string>", "exec"), main.__dict__)
        except SystemExit as stop:
            code = _exit_code(stop.code)
        except KeyboardInterrupt:
            sys.excepthook(*sys.exc_info())
            interrupted, code = True, 1
        except BaseException:
            sys.excepthook(*sys.exc_info())
            code = 1
        threading._shutdown()  # what the interpreter does at exit, in its order
        atexit._run_exitfuncs()
        try:
            sys.stdout.flush()
        except Exception as exc:  # Python: "Exception ignored in: <stdout>", exit status 120
            import traceback

            with contextlib.suppress(Exception):  # sys.unraisablehook's default text
                sys.stderr.write(f"Exception ignored in: {sys.stdout!r}\n")
                sys.stderr.write("".join(traceback.format_exception_only(exc)))
            code = 120
        with contextlib.suppress(Exception):
            sys.stderr.flush()
        if interrupted:  # an uncaught Ctrl-C ends the interpreter by SIGINT
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            os.kill(os.getpid(), signal.SIGINT)
    except BaseException:
        import traceback

        with contextlib.suppress(Exception):
            traceback.print_exc()
        code = 1
    os._exit(code)


def _exit_code(value) -> int:
    """The exit status of ``sys.exit(value)``, as the interpreter makes it."""
    if value is None:
        return 0
    if isinstance(value, int):
        return value & 0xFF
    with contextlib.suppress(Exception):
        print(value, file=sys.stderr)
    return 1


# ------------------------------------------------------------------------- the test process
def _subreaper(on: bool) -> bool:
    libc = ctypes.CDLL(None, use_errno=True)
    return libc.prctl(_PR_SET_CHILD_SUBREAPER, int(on), 0, 0, 0) == 0


class _Zygote:
    def __init__(self, kind: str, env: dict):
        self.kind, self.env = kind, dict(env)
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        self.process = subprocess.Popen(
            [sys.executable, __file__, str(theirs.fileno()), *KINDS[kind][1]],
            pass_fds=(theirs.fileno(),),
            env=self.env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
        )
        theirs.close()
        self.sock = ours

    def launch(self, argv, per_launch, cwd, fds) -> int:
        # a launched program inherits the signals the test process ignores (a background job's
        # SIGINT and SIGQUIT: `make test &`, nohup); every other one is at its default after exec
        ignored = [int(s) for s in MIRRORED_SIGNALS if signal.getsignal(s) == signal.SIG_IGN]
        request = json.dumps(
            {"argv": argv, "per_launch": per_launch, "cwd": cwd, "ignored": ignored}
        ).encode()
        socket.send_fds(self.sock, [request], fds)
        reply = self.sock.recv(_MAX_MESSAGE)
        if not reply:
            raise OSError("the zygote has ended")
        pid = json.loads(reply)["started"]
        if pid is None:
            raise OSError("the zygote could not fork")
        return pid

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self.sock.close()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=30)
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()


#: the zygotes, by kind and environment (a launch in another environment starts another)
_zygotes: dict[tuple[str, tuple], _Zygote] = {}
_failed: set[str] = set()
_lock = threading.Lock()
_launched = 0  # inside launched(): no forking


def _kind(args, executable, shell) -> str | None:
    if shell or not isinstance(args, (list, tuple)) or len(args) < 3:
        return None
    if executable not in (None, sys.executable) or args[0] != sys.executable:
        return None
    for kind, (start, _) in KINDS.items():
        if tuple(args[1:3]) == start:
            return kind
    return None


def _execute_child(self, args, executable, preexec_fn, close_fds, pass_fds, cwd, env,
                   startupinfo, creationflags, shell, p2cread, p2cwrite, c2pread, c2pwrite,
                   errread, errwrite, restore_signals, gid, gids, uid, umask,
                   start_new_session, process_group, *, _fresh):  # fmt: skip
    """``Popen._execute_child``, forking the launch where it is a fresh one of :data:`KINDS`."""
    given = (args, executable, preexec_fn, close_fds, pass_fds, cwd, env, startupinfo,
             creationflags, shell, p2cread, p2cwrite, c2pread, c2pwrite, errread, errwrite,
             restore_signals, gid, gids, uid, umask, start_new_session, process_group)  # fmt: skip
    kind = _kind(args, executable, shell)
    env_now = _c_environ() if env is None else dict(env)
    streams = [p2cread if p2cread != -1 else 0, c2pwrite if c2pwrite != -1 else 1,
               errwrite if errwrite != -1 else 2]  # fmt: skip
    if (
        kind is None
        or _launched
        or kind in _failed
        or preexec_fn is not None
        or not close_fds
        or pass_fds
        or not restore_signals
        or (gid, gids, uid) != (None, None, None)
        or umask >= 0
        or start_new_session
        or process_group != -1
        or not all(isinstance(x, str) for kv in env_now.items() for x in kv)
        or any(_isatty(fd) for fd in streams)
    ):
        return _fresh(self, *given)
    argv = [os.fsdecode(a) for a in args]
    per_launch = {k: env_now.get(k) for k in PER_LAUNCH}
    env_now = {k: v for k, v in env_now.items() if k not in PER_LAUNCH}
    key = (kind, tuple(sorted(env_now.items())))
    with _lock:
        zygote = _zygotes.get(key)
        if zygote is not None and zygote.process.poll() is not None:
            _zygotes.pop(key)
            zygote = None  # ended (killed): another is started
        sys.audit("subprocess.Popen", executable or args[0], args, cwd, env)
        try:
            if zygote is None:
                zygote = _zygotes[key] = _Zygote(kind, env_now)
            if not _subreaper(True):
                raise OSError("no subreaper")
            try:
                pid = zygote.launch(argv, per_launch, os.fspath(cwd or os.getcwd()), streams)
            finally:
                _subreaper(False)
        except OSError:  # launched as before, and so is every later launch of this kind
            _failed.add(kind)
            _close(kind)
            return _fresh(self, *given)
    self.pid = pid
    self._child_created = True
    self._close_pipe_fds(p2cread, p2cwrite, c2pread, c2pwrite, errread, errwrite)


def _c_environ() -> dict:
    """The environment a launch without ``env`` passes on: the C library's, which may hold more
    than ``os.environ`` (readline, once loaded in the test process, sets LINES and COLUMNS)."""
    environ = ctypes.POINTER(ctypes.c_char_p).in_dll(ctypes.CDLL(None), "environ")
    env = {}
    i = 0
    while environ[i] is not None:
        key, _, value = os.fsdecode(environ[i]).partition("=")
        env.setdefault(key, value)
        i += 1
    return env


def _isatty(fd: int) -> bool:
    try:
        return os.isatty(fd)
    except OSError:
        return False


@contextlib.contextmanager
def forked():
    """The launches of :data:`KINDS` forked from their zygotes while inside (see the module)."""
    if os.environ.get("HAIC_FRESH_PROGRAMS") == "1" or not sys.platform.startswith("linux"):
        yield
        return
    fresh = subprocess.Popen._execute_child

    def execute_child(self, *args):
        return _execute_child(self, *args, _fresh=fresh)

    subprocess.Popen._execute_child = execute_child
    try:
        yield
    finally:
        subprocess.Popen._execute_child = fresh


@contextlib.contextmanager
def launched():
    """Every launch started inside is a new interpreter's, as without :func:`forked`: where a
    test compares two programs' outputs byte for byte, one of them forked, the other launched,
    their hash seeds differ as two launched programs' do (a forked program has its zygote's)."""
    global _launched
    _launched += 1
    try:
        yield
    finally:
        _launched -= 1


def _close(kind: str) -> None:
    for key in [k for k in _zygotes if k[0] == kind]:
        _zygotes.pop(key).close()


def close() -> None:
    """Stop the zygotes and wait for them."""
    for kind in {k for k, _ in _zygotes}:
        _close(kind)


def zygotes(kind: str) -> list[int]:
    """The pids of the running zygotes of ``kind``."""
    return [z.process.pid for (k, _), z in _zygotes.items() if k == kind]


if __name__ == "__main__":
    _serve(int(sys.argv[1]), sys.argv[2:])
