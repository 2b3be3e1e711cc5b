"""The portable arithmetic: NumPy's AVX-512 loops turned off before NumPy loads, and a note where
they run all the same (analysis/numerics.py)."""

from __future__ import annotations

import os
import platform
import subprocess
import sys

import pytest

from analysis import REPO_ROOT, numerics

FLAGS = "flags\t\t: fpu sse2 avx2 fma avx512f avx512dq avx512cd avx512bw avx512vl\n"
AVX2_ONLY = "flags\t\t: fpu sse2 avx2 fma\n"
TARGETS = " ".join(numerics.AVX512_DISPATCH)
X86_64 = platform.machine().lower() in ("x86_64", "amd64")
x86_64 = pytest.mark.skipif(not X86_64, reason="NumPy has AVX-512 dispatch targets on x86-64 only")


def test_avx512_is_read_from_the_flags_line():
    assert numerics.has_avx512(FLAGS)
    assert not numerics.has_avx512(AVX2_ONLY)
    assert not numerics.has_avx512(FLAGS.replace(" avx512vl", ""))
    assert not numerics.has_avx512("processor : 0\n")


def test_the_targets_are_numpys_avx512_dispatch_targets():
    """NumPy 2.4 dispatches to X86_V3 and these on x86-64; another NumPy may name others."""
    from numpy._core import _multiarray_umath

    if X86_64:
        assert set(numerics.AVX512_DISPATCH) <= set(_multiarray_umath.__cpu_dispatch__)


def test_pin_adds_the_targets_only_where_it_can_take_effect(monkeypatch):
    env = {"NPY_DISABLE_CPU_FEATURES": "X86_V3"}
    # NumPy loaded in this process: too late to change anything
    monkeypatch.setitem(sys.modules, "numpy", sys.modules.get("numpy", object()))
    assert numerics.pin_numpy_dispatch(env, "x86_64") is False
    assert env == {"NPY_DISABLE_CPU_FEATURES": "X86_V3"}
    monkeypatch.delitem(sys.modules, "numpy")
    # not x86-64: NumPy knows no such targets there (it would warn)
    assert numerics.pin_numpy_dispatch(env, "aarch64") is False
    assert env == {"NPY_DISABLE_CPU_FEATURES": "X86_V3"}
    # names already set are kept, in front
    assert numerics.pin_numpy_dispatch(env, "x86_64") is True
    assert env == {"NPY_DISABLE_CPU_FEATURES": f"X86_V3 {TARGETS}"}
    empty: dict = {}
    assert numerics.pin_numpy_dispatch(empty, "AMD64") is True
    assert empty == {"NPY_DISABLE_CPU_FEATURES": TARGETS}
    # already named (commas as NumPy allows), on any machine: nothing to add
    named = {"NPY_DISABLE_CPU_FEATURES": ",".join(numerics.AVX512_DISPATCH)}
    assert numerics.pin_numpy_dispatch(dict(named), "aarch64") is True


def _in_child(code: str, **env: str) -> subprocess.CompletedProcess:
    """``code`` in a Python of its own, without the variable this process was started with."""
    environ = {k: v for k, v in os.environ.items() if k != "NPY_DISABLE_CPU_FEATURES"}
    proc = subprocess.run(
        # an unknown name in the variable is an ImportWarning of NumPy's: made an error
        [sys.executable, "-W", "error::ImportWarning", "-c", code],
        capture_output=True,
        text=True,
        env={**environ, **env},
        cwd=REPO_ROOT,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    return proc


@x86_64
def test_the_package_turns_the_avx512_loops_off_before_numpy_loads():
    """``python -m analysis`` and a script that imports the package first: NumPy loads with
    the targets turned off (accepted silently on a processor that lacks them, as this one may),
    and the note is silent. NumPy first: on a processor with AVX-512 its loops run, and the
    note says so."""
    code = (
        "import runpy, sys; sys.argv = ['analysis', '--help'];\n"
        "import io, os, contextlib\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    try: runpy.run_module('analysis', run_name='__main__')\n"
        "    except SystemExit: pass\n"
        "from analysis import numerics\n"
        "print(os.environ['NPY_DISABLE_CPU_FEATURES']); print(numerics.numpy_avx512())\n"
        "print(numerics.kernel_note())"
    )
    proc = _in_child(code)
    assert proc.stdout.splitlines() == [TARGETS, "[]", "None"] and proc.stderr == ""
    script = "import analysis, numpy, os; print(os.environ['NPY_DISABLE_CPU_FEATURES'])"
    assert _in_child(script, NPY_DISABLE_CPU_FEATURES="X86_V3").stdout.strip() == (
        f"X86_V3 {TARGETS}"
    )
    plain = (
        "import numpy; from analysis import numerics; print(numerics.numpy_avx512());"
        "print(numerics.kernel_note())"
    )
    active, note = _in_child(plain).stdout.splitlines()
    assert (active != "[]") == (note != "None") == numerics.has_avx512()


@x86_64
def test_the_turned_off_loops_are_numpys_runtime_features():
    """What :func:`numerics.numpy_avx512` reads: a dispatch target named in the variable is
    off in NumPy's runtime features (shown with X86_V3, which this processor may have)."""
    from numpy._core import _multiarray_umath

    if not _multiarray_umath.__cpu_features__.get("X86_V3"):
        pytest.skip("no X86_V3 (AVX2, FMA) here")
    code = (
        "import analysis; from numpy._core import _multiarray_umath as m;"
        "print(m.__cpu_features__['X86_V3'])"
    )
    assert _in_child(code).stdout.strip() == "True"
    assert _in_child(code, NPY_DISABLE_CPU_FEATURES="X86_V3").stdout.strip() == "False"


@x86_64
def test_this_test_process_and_a_notebook_kernel_run_the_portable_arithmetic():
    """conftest.py pinned this process; the kernels of this venv pin theirs in their
    configuration (tools/ipython_kernel_config.py), before a chapter imports pandas."""
    assert numerics.numpy_avx512() == [] and numerics.kernel_note() is None
    from jupyter_client.manager import start_new_kernel

    env = {k: v for k, v in os.environ.items() if k != "NPY_DISABLE_CPU_FEATURES"}
    km, kc = start_new_kernel(kernel_name="python3", env=env)
    try:
        out = []
        kc.execute_interactive(
            "import os, pandas\nfrom analysis import numerics\n"
            "print(os.environ['NPY_DISABLE_CPU_FEATURES'], numerics.numpy_avx512())",
            output_hook=lambda msg: out.append(msg["content"].get("text", "")),
            timeout=60,
        )
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
    assert "".join(out).strip() == f"{TARGETS} []"


def test_make_exports_the_targets_and_keeps_names_set_before():
    env = {k: v for k, v in os.environ.items() if k != "NPY_DISABLE_CPU_FEATURES"}
    for before, exported in (("", TARGETS), (f"X86_V3 {TARGETS}", f"X86_V3 {TARGETS}")):
        proc = subprocess.run(
            ["make", "-s", "-p", "-n", "help"],
            capture_output=True,
            text=True,
            cwd=REPO_ROOT,
            env={**env, "NPY_DISABLE_CPU_FEATURES": before} if before else env,
        )
        line = f"NPY_DISABLE_CPU_FEATURES := {exported}"
        assert (line in proc.stdout.splitlines()) == X86_64
    # glibc's SSE2 exp and log, other items of the variable kept
    env = {k: v for k, v in os.environ.items() if k != "GLIBC_TUNABLES"}
    for before, exported in (
        ("", numerics.LIBM_TUNABLE),
        ("glibc.malloc.check=0", f"glibc.malloc.check=0:{numerics.LIBM_TUNABLE}"),
        (numerics.LIBM_TUNABLE, numerics.LIBM_TUNABLE),
    ):
        shown = subprocess.run(
            ["make", "-s", "-p", "-n", "help"],
            capture_output=True, text=True, cwd=REPO_ROOT,
            env={**env, "GLIBC_TUNABLES": before} if before else env,
        ).stdout  # fmt: skip
        assert (f"GLIBC_TUNABLES := {exported}" in shown.splitlines()) == X86_64
    # OPENBLAS_CORETYPE is the machine's: the calibration calls no BLAS
    assert "OPENBLAS_CORETYPE :=" not in proc.stdout


def test_the_note_names_the_loops_and_the_reason(monkeypatch):
    monkeypatch.setattr(numerics, "libm_reference", lambda: True)
    monkeypatch.setattr(numerics, "numpy_avx512", lambda: ["X86_V4", "AVX512_ICL"])
    monkeypatch.delenv("NPY_DISABLE_CPU_FEATURES", raising=False)
    note = numerics.kernel_note()
    assert note.startswith("note: NumPy computes with its AVX-512 loops here (X86_V4 AVX512_ICL;")
    assert "NumPy was imported before the package could turn them off" in note
    assert note.endswith("may differ from data/cohort.csv (see analysis/numerics.py)")
    monkeypatch.setenv("NPY_DISABLE_CPU_FEATURES", "X86_V3")
    assert "NPY_DISABLE_CPU_FEATURES='X86_V3' when NumPy was imported" in numerics.kernel_note()
    monkeypatch.setattr(numerics, "numpy_avx512", lambda: [])
    assert numerics.kernel_note() is None


def test_openblas_core_is_still_read_for_information():
    core = numerics.openblas_core()
    assert core is None or core.isidentifier()


def test_the_c_librarys_exp_and_log_are_the_references_in_the_tests():
    """conftest.py started the test process again with glibc's SSE2 variants where it had
    others; the probes are exact bits, compared with NumPy's loops too (which call the same
    functions without AVX-512)."""
    import numpy as np

    assert numerics.libm_reference()
    for name, arg, result in numerics.LIBM_PROBES:
        assert getattr(np, name)(np.array([float.fromhex(arg)]))[0] == float.fromhex(result)


def test_a_process_started_without_the_setting_starts_again_with_it():
    """``python -m analysis`` (and any caller of ``restart_with_libm``) started without the
    variable: where glibc chose its FMA variants it starts again, once, with the same
    arguments, exit code and output; where the processor has no FMA it goes on as it is."""
    env = {
        k: v for k, v in os.environ.items() if k not in ("GLIBC_TUNABLES", "HAIC_LIBM_RESTARTED")
    }
    probe = "from analysis import numerics; print(numerics.libm_reference())"
    started = subprocess.run(
        [sys.executable, "-c", f"import math; {probe}"], capture_output=True, text=True,
        env=env, cwd=REPO_ROOT,
    ).stdout.strip()  # fmt: skip
    code = (
        "import os, sys\nfrom analysis import numerics\nnumerics.restart_with_libm()\n"
        "print(numerics.libm_reference(), os.environ.get('HAIC_LIBM_RESTARTED'), sys.argv[1:])"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code, "a b", "c"], capture_output=True, text=True, env=env,
        cwd=REPO_ROOT,
    )  # fmt: skip
    restarted = "1" if started == "False" and sys.platform.startswith("linux") else "None"
    assert proc.stdout.strip() == f"True {restarted} ['a b', 'c']", proc.stderr
    # the command line: same output and exit code after the restart
    cli = subprocess.run(
        [sys.executable, "-m", "analysis", "synthesise"], capture_output=True, text=True,
        env=env, cwd=REPO_ROOT,
    )  # fmt: skip
    assert cli.returncode == 2 and "did you mean 'synthesize'" in cli.stderr


def test_the_note_names_the_c_library(monkeypatch):
    monkeypatch.setattr(numerics, "numpy_avx512", lambda: [])
    monkeypatch.setattr(numerics, "libm_reference", lambda: False)
    note = numerics.kernel_note()
    assert note.startswith("note: the C library's exp and log here are not the reference's")
    assert f"GLIBC_TUNABLES={numerics.LIBM_TUNABLE}" in note
    monkeypatch.setattr(numerics, "numpy_avx512", lambda: ["X86_V4"])
    both = numerics.kernel_note()
    assert "AVX-512 loops here (X86_V4;" in both and "C library" in both
