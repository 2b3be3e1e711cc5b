"""The OpenBLAS kernels the committed cohort and notebooks were computed with (analysis/numerics.py)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from analysis import REPO_ROOT, numerics

FLAGS = "flags\t\t: fpu sse2 avx2 fma avx512f avx512dq avx512cd avx512bw avx512vl\n"
AVX2_ONLY = "flags\t\t: fpu sse2 avx2 fma\n"
needs_avx512 = pytest.mark.skipif(not numerics.has_avx512(), reason="no AVX-512 here")


def test_avx512_is_read_from_the_flags_line():
    assert numerics.has_avx512(FLAGS)
    assert not numerics.has_avx512(AVX2_ONLY)
    assert not numerics.has_avx512(FLAGS.replace(" avx512vl", ""))
    assert not numerics.has_avx512("processor : 0\n")


def test_pin_sets_the_reference_only_where_it_can_take_effect(monkeypatch):
    env = {"OPENBLAS_CORETYPE": "Haswell"}
    # NumPy loaded in this process: too late to change anything
    monkeypatch.setitem(sys.modules, "numpy", sys.modules.get("numpy", object()))
    assert numerics.pin_openblas(env, FLAGS) is False and env["OPENBLAS_CORETYPE"] == "Haswell"
    monkeypatch.delitem(sys.modules, "numpy")
    assert numerics.pin_openblas(env, AVX2_ONLY) is False and env["OPENBLAS_CORETYPE"] == "Haswell"
    assert numerics.pin_openblas(env, FLAGS) is True and env["OPENBLAS_CORETYPE"] == "SkylakeX"
    assert numerics.pin_openblas({"OPENBLAS_CORETYPE": "SkylakeX"}, AVX2_ONLY) is True


def _core_in_child(code: str) -> str:
    env = {**os.environ, "OPENBLAS_CORETYPE": "Haswell"}
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=REPO_ROOT
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    return proc.stdout.strip()


@needs_avx512
def test_the_command_line_replaces_another_coretype_before_numpy_loads():
    """``python -m analysis`` pins in its first lines: with ``OPENBLAS_CORETYPE=Haswell`` set
    (as one machine did), NumPy's OpenBLAS still runs SkylakeX."""
    code = (
        "import runpy, sys; sys.argv = ['analysis', '--help'];\n"
        "import io, contextlib\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    try: runpy.run_module('analysis', run_name='__main__')\n"
        "    except SystemExit: pass\n"
        "from analysis import numerics; print(numerics.openblas_core())"
    )
    assert _core_in_child(code) == "SkylakeX"
    # a script that imports the package first is pinned by `import analysis` itself
    script = (
        "import analysis, numpy; from analysis import numerics; print(numerics.openblas_core())"
    )
    assert _core_in_child(script) == "SkylakeX"
    # NumPy first: the machine's setting wins (this is what the pin is for), and the note says why
    plain = (
        "import numpy; from analysis import numerics; print(numerics.openblas_core());"
        "print(numerics.kernel_note())"
    )
    core, note = _core_in_child(plain).splitlines()
    assert core == "Haswell"
    assert "OPENBLAS_CORETYPE=Haswell when NumPy was imported" in note


@needs_avx512
def test_this_test_process_and_a_notebook_kernel_run_the_reference_kernels():
    """conftest.py pinned this process; the kernels of this venv pin theirs in their
    configuration (tools/ipython_kernel_config.py), before a chapter imports pandas."""
    assert numerics.openblas_core() == numerics.REFERENCE_CORE
    from jupyter_client.manager import start_new_kernel

    km, kc = start_new_kernel(
        kernel_name="python3", env={**os.environ, "OPENBLAS_CORETYPE": "Haswell"}
    )
    try:
        out = []
        kc.execute_interactive(
            "import pandas\nfrom analysis import numerics\nprint(numerics.openblas_core())",
            output_hook=lambda msg: out.append(msg["content"].get("text", "")),
            timeout=60,
        )
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
    assert "".join(out).strip() == "SkylakeX"


def test_make_exports_the_reference_where_the_processor_runs_it():
    proc = subprocess.run(
        ["make", "-s", "-p", "-n", "help"], capture_output=True, text=True, cwd=REPO_ROOT
    )
    exported = "OPENBLAS_CORETYPE := SkylakeX" in proc.stdout
    assert exported == numerics.has_avx512()


def test_the_note_names_the_kernels_and_the_reason(monkeypatch):
    monkeypatch.setattr(numerics, "openblas_core", lambda: "Haswell")
    monkeypatch.setattr(numerics, "has_avx512", lambda cpuinfo=None: True)
    monkeypatch.setenv("OPENBLAS_CORETYPE", "Haswell")
    note = numerics.kernel_note()
    assert note.startswith("note: OpenBLAS computes with its Haswell kernels")
    assert "OPENBLAS_CORETYPE=Haswell when NumPy was imported" in note and "SkylakeX" in note
    # an AVX-512 processor whose OpenBLAS chose another core itself (Cooperlake, say): not
    # "no AVX-512" (a reviewer saw that reason there)
    monkeypatch.delenv("OPENBLAS_CORETYPE")
    monkeypatch.setattr(numerics, "openblas_core", lambda: "Cooperlake")
    assert "OpenBLAS chose them for this processor" in numerics.kernel_note()
    monkeypatch.setattr(numerics, "has_avx512", lambda cpuinfo=None: False)
    assert "this processor has no AVX-512" in numerics.kernel_note()
    monkeypatch.setattr(numerics, "openblas_core", lambda: numerics.REFERENCE_CORE)
    assert numerics.kernel_note() is None
