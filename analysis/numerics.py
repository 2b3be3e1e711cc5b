"""The same bytes on another machine: which arithmetic the calibration computes with.

The calibration's Metropolis search (:func:`analysis.synthesis.synthesize`) compares losses at
tens of thousands of steps, so a last-bit difference sends it down another path to another
cohort. Three parts of the stack decide last bits by the processor:

OpenBLAS (BLAS and LAPACK, bundled with NumPy and SciPy)
    picks its kernels when it is loaded, by the processor or by ``OPENBLAS_CORETYPE``; kernels
    for different processors add the same numbers in different orders. Measured on a 2-core AMD
    EPYC without AVX-512 (tools/kernel_report.md): Haswell's kernels wrote one cohort,
    SandyBridge's, Nehalem's and Prescott's another. The calibration therefore calls no BLAS and
    no LAPACK: its matrix products and small solves are :func:`analysis.engine.matvec`,
    :func:`~analysis.engine.gram`, :func:`~analysis.engine.solve_symmetric` and
    :func:`~analysis.engine.solve_small` (NumPy's elementwise loops), and the cohort's bytes are
    the same under every ``OPENBLAS_CORETYPE`` (measured there under four). The book used to pin
    ``OPENBLAS_CORETYPE=SkylakeX`` (the kernels ``data/cohort.csv`` was made with) where the
    processor has AVX-512; that pin is dropped: with BLAS off the calibration's path it no longer
    decides the cohort, it could only be checked on an AVX-512 machine, and elsewhere it could not
    be set at all. :func:`openblas_core` still tells which kernels run, for information (the
    chapters reach LAPACK in a few places, e.g. :func:`analysis.engine.collinear_terms`'s SVD,
    where a last bit does not change a printed digit).
NumPy's own SIMD loops
    NumPy picks its loops for the processor when it is loaded (its dispatch targets). NumPy 2.4's
    AVX-512 targets (:data:`AVX512_DISPATCH`) carry their own float64 ``exp`` and ``log`` and the
    SVML functions, whose last bits differ from the C library's that every other processor uses;
    the calibration calls ``np.exp`` at every Newton step. :func:`pin_numpy_dispatch` names them
    in ``NPY_DISABLE_CPU_FEATURES`` before NumPy is first imported, so that they never run (their
    AVX2 loops, which this machine has, gave the same bytes on and off). Naming a target the
    processor lacks is accepted silently (measured on NumPy 2.4.6 without AVX-512).

The C library's ``exp`` and ``log``
    (NumPy's loops without AVX-512 and ``math`` call them). glibc picks them when a process
    starts (its ifuncs): on a processor with FMA and AVX2 its FMA variants, which round about 1
    ``exp`` in 1,500 the other way. With the BLAS-free calibration, the FMA variants wrote
    another cohort; the SSE2 variants, which every x86-64 processor has, wrote
    ``data/cohort.csv`` byte for byte (measured on 4 December 2026 on a 2-core AMD EPYC without
    AVX-512; tools/kernel_report.md). :data:`LIBM_TUNABLE` in ``GLIBC_TUNABLES`` selects them;
    it takes effect only in a process that starts with it, so :func:`pin_libm` sets it for
    child processes, :func:`restart_with_libm` starts ``python -m analysis`` (and pytest,
    ``tests/conftest.py``) again with it where the process has other variants
    (:func:`libm_reference` probes three exact results), and ``make`` exports it.

``import analysis`` (before NumPy, as in ``python -m analysis`` and a script that imports the
package first), the notebooks' kernels (``tools/ipython_kernel_config.py``: chapters import pandas
before the package), the tests (``tests/conftest.py``) and ``make`` (its export) set both
variables. A script that imports NumPy before the package keeps NumPy's choice (on a processor
with AVX-512, the AVX-512 loops), and a process started without the glibc setting keeps glibc's
choice; :func:`kernel_note` says so (``python -m analysis synthesize`` then refuses to replace
``data/cohort.csv`` without ``--force``). Not measured: a processor with AVX-512 with NumPy's
loops turned off (it should write the same bytes), and C libraries other than glibc (macOS,
musl), where :func:`kernel_note` speaks if a probe rounds otherwise.
"""

from __future__ import annotations

import ctypes
import math
import os
import platform
import sys
from pathlib import Path

__all__ = [
    "AVX512_FLAGS",
    "AVX512_DISPATCH",
    "LIBM_TUNABLE",
    "LIBM_PROBES",
    "has_avx512",
    "pin_numpy_dispatch",
    "pin_libm",
    "libm_reference",
    "restart_with_libm",
    "numpy_avx512",
    "openblas_core",
    "kernel_note",
    "numbered_cells",
    "merged_streams",
]

#: The processor flags (``/proc/cpuinfo``) of AVX-512 (OpenBLAS's Skylake-X kernels need them).
AVX512_FLAGS = ("avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl")
#: NumPy 2.4's AVX-512 dispatch targets (``numpy._core._multiarray_umath.__cpu_dispatch__`` on
#: x86-64 is these and ``X86_V3``): :func:`pin_numpy_dispatch` turns them off.
AVX512_DISPATCH = ("X86_V4", "AVX512_ICL", "AVX512_SPR")
#: The item of ``GLIBC_TUNABLES`` that turns off glibc's FMA variants of ``exp``, ``log`` and
#: the other functions it picks by the processor when a process starts (its ifuncs): each then
#: runs its SSE2 variant, the one every x86-64 processor has (:func:`pin_libm`).
LIBM_TUNABLE = "glibc.cpu.hwcaps=-FMA,-FMA4"
#: Arguments whose ``exp`` or ``log`` glibc's FMA variants round the other way, and the bits of
#: the reference (its SSE2 variants), as ``(function, argument, result)`` in hexadecimal
#: (:func:`libm_reference`). Measured with glibc 2.36 on 2,000,000 arguments in [-50, 50]:
#: 1,386 ``exp`` and 29 ``log`` results differ in their last bit between the two.
LIBM_PROBES = (
    ("exp", "-0x1.7a31550e71d18p+3", "0x1.ee614f6bdb1cap-18"),
    ("exp", "0x1.5c51cc0eaa0d0p+5", "0x1.c255d0ff05af8p+62"),
    ("log", "0x1.6d861ee78735bp+5", "0x1.e933b249acfe1p+1"),
)
#: Set in the environment of a process :func:`restart_with_libm` started, so that it never
#: starts another (where the tunable has no effect: another C library).
_RESTARTED = "HAIC_LIBM_RESTARTED"


def has_avx512(cpuinfo: str | None = None) -> bool:
    """Whether the processor has every flag of :data:`AVX512_FLAGS` (Linux on x86-64 only).

    ``cpuinfo`` is the text of ``/proc/cpuinfo`` (read when not given); False where it cannot
    be read or the machine is not x86-64.

    Examples
    --------
    >>> has_avx512("flags : fpu avx2 avx512f avx512cd avx512bw avx512dq avx512vl")
    True
    >>> has_avx512("flags : fpu avx2 fma")
    False
    """
    if cpuinfo is None:
        if not _x86_64():
            return False
        try:
            cpuinfo = Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace")
        except OSError:
            return False
    for line in cpuinfo.splitlines():
        if line.startswith("flags"):
            flags = set(line.partition(":")[2].split())
            return all(flag in flags for flag in AVX512_FLAGS)
    return False


def _x86_64(machine: str | None = None) -> bool:
    return (platform.machine() if machine is None else machine).lower() in ("x86_64", "amd64")


def pin_numpy_dispatch(environ: dict | None = None, machine: str | None = None) -> bool:
    """Add :data:`AVX512_DISPATCH` to ``NPY_DISABLE_CPU_FEATURES`` where it can take effect.

    Only before NumPy is first imported in this process (NumPy reads the variable when it is
    loaded) and only on x86-64 (``machine``: ``platform.machine()`` when not given; elsewhere
    NumPy knows no such targets and would warn). Names already in the variable are kept; child
    processes (kernels, pytest-xdist and Dask workers) inherit it. Returns whether the variable
    now names every AVX-512 target.

    Examples
    --------
    With NumPy already loaded (as here) nothing changes; an environment that already names them
    is kept:

    >>> env = {"NPY_DISABLE_CPU_FEATURES": "X86_V3"}
    >>> pin_numpy_dispatch(env), env
    (False, {'NPY_DISABLE_CPU_FEATURES': 'X86_V3'})
    >>> pin_numpy_dispatch({"NPY_DISABLE_CPU_FEATURES": "X86_V4 AVX512_ICL AVX512_SPR"})
    True
    """
    env = os.environ if environ is None else environ
    named = env.get("NPY_DISABLE_CPU_FEATURES", "").replace(",", " ").split()
    if all(target in named for target in AVX512_DISPATCH):
        return True
    if "numpy" in sys.modules or not _x86_64(machine):
        return False
    env["NPY_DISABLE_CPU_FEATURES"] = " ".join(
        [*named, *(t for t in AVX512_DISPATCH if t not in named)]
    )
    return True


def pin_libm(environ: dict | None = None) -> bool:
    """Add :data:`LIBM_TUNABLE` to ``GLIBC_TUNABLES`` for the processes started from now on.

    glibc reads the variable when a process starts, so it cannot change the ``exp`` and ``log``
    of the running process (:func:`restart_with_libm` starts it again where that matters);
    child processes (kernels, pytest-xdist and Dask workers, the calibration's chains) inherit
    it. Other items of the variable are kept. Returns whether the variable now holds it.

    Examples
    --------
    >>> env = {"GLIBC_TUNABLES": "glibc.malloc.check=0"}
    >>> pin_libm(env), env["GLIBC_TUNABLES"]
    (True, 'glibc.malloc.check=0:glibc.cpu.hwcaps=-FMA,-FMA4')
    >>> pin_libm(env), env["GLIBC_TUNABLES"].count("hwcaps")  # once only
    (True, 1)
    """
    env = os.environ if environ is None else environ
    items = [item for item in env.get("GLIBC_TUNABLES", "").split(":") if item]
    if LIBM_TUNABLE not in items:
        env["GLIBC_TUNABLES"] = ":".join([*items, LIBM_TUNABLE])
    return True


def libm_reference() -> bool:
    """Whether this process's ``exp`` and ``log`` give the reference bits (:data:`LIBM_PROBES`).

    Python's ``math`` and NumPy's loops without AVX-512 call the same C library, so the
    probes are computed with ``math`` (NumPy need not be loaded). True under glibc's SSE2
    variants (a processor without FMA, or :data:`LIBM_TUNABLE` set when the process started);
    False under its FMA variants or another C library that rounds a probe the other way.

    Examples
    --------
    >>> libm_reference() in (True, False)
    True
    """
    return all(
        getattr(math, name)(float.fromhex(arg)) == float.fromhex(result)
        for name, arg, result in LIBM_PROBES
    )


def restart_with_libm(argv: list[str] | None = None, environ: dict | None = None) -> None:
    """Start this program again with :data:`LIBM_TUNABLE` when its ``exp`` and ``log`` are not
    the reference's (:func:`libm_reference`); return when they are, or where a restart cannot
    help.

    ``python -m analysis`` calls it before it loads anything else, so that its numbers, and a
    cohort ``synthesize`` writes, are the reference's bytes on any x86-64 processor with glibc.
    It replaces the process (``os.execve``, the same arguments, standard streams and exit code);
    only once (a restarted process that is still not the reference's goes on, and
    :func:`kernel_note` says so), on Linux only.

    Examples
    --------
    >>> restart_with_libm(environ={"HAIC_LIBM_RESTARTED": "1"})  # already restarted: returns
    """
    env = dict(os.environ if environ is None else environ)
    if env.get(_RESTARTED) or not sys.platform.startswith("linux") or libm_reference():
        return
    pin_libm(env)
    env[_RESTARTED] = "1"
    args = list(sys.orig_argv if argv is None else argv)
    sys.stdout.flush()
    sys.stderr.flush()
    os.execve(sys.executable, args, env)


def numpy_avx512() -> list[str]:
    """The AVX-512 dispatch targets NumPy's loops use in this process (empty when none).

    Read from NumPy's runtime features, which leave out what ``NPY_DISABLE_CPU_FEATURES``
    turned off: empty on a processor without AVX-512, and where the pin took effect.

    Examples
    --------
    >>> numpy_avx512()  # the test process is pinned (tests/conftest.py)
    []
    """
    from numpy._core import _multiarray_umath

    features = getattr(_multiarray_umath, "__cpu_features__", {})
    return [target for target in AVX512_DISPATCH if features.get(target)]


def openblas_core() -> str | None:
    """The kernels NumPy's OpenBLAS runs in this process (e.g. ``"SkylakeX"``, ``"Haswell"``).

    Read from the library NumPy bundles (``numpy.libs``); None where it cannot be found (another
    BLAS, another platform). For information only: the calibration calls no BLAS.

    Examples
    --------
    >>> core = openblas_core()
    >>> core is None or core.isidentifier()
    True
    """
    import numpy

    libs = Path(numpy.__file__).resolve().parent.parent / "numpy.libs"
    for path in sorted(libs.glob("libscipy_openblas*.so*")):
        try:
            lib = ctypes.CDLL(str(path))
        except OSError:
            continue
        for symbol in ("scipy_openblas_get_corename64_", "scipy_openblas_get_corename"):
            get = getattr(lib, symbol, None)
            if get is not None:
                get.restype = ctypes.c_char_p
                name = get()
                return name.decode("ascii", "replace") if name else None
    return None


def kernel_note() -> str | None:
    """One sentence when this process's arithmetic is not the reference's (None when it is).

    That is when NumPy's AVX-512 loops run (:func:`numpy_avx512`: NumPy was imported before the
    package could turn them off, :func:`pin_numpy_dispatch`, on a processor with AVX-512), or
    when the C library's ``exp`` and ``log`` round otherwise (:func:`libm_reference`: glibc's
    FMA variants, the process having started without :data:`LIBM_TUNABLE`; or another C
    library).

    Examples
    --------
    >>> note = kernel_note()
    >>> note is None or note.startswith("note: ")
    True
    """
    reasons = []
    active = numpy_avx512()
    if active:
        setting = os.environ.get("NPY_DISABLE_CPU_FEATURES", "")
        when = (
            f"NPY_DISABLE_CPU_FEATURES={setting!r} when NumPy was imported"
            if setting
            else "NumPy was imported before the package could turn them off"
        )
        reasons.append(f"NumPy computes with its AVX-512 loops here ({' '.join(active)}; {when})")
    if not libm_reference():
        reasons.append(
            "the C library's exp and log here are not the reference's (glibc's FMA variants, "
            f"unless GLIBC_TUNABLES={LIBM_TUNABLE} is set when the process starts)"
        )
    if not reasons:
        return None
    return (
        f"note: {'; '.join(reasons)}: the calibration's last bits differ, so a cohort written "
        "here may differ from data/cohort.csv (see analysis/numerics.py)"
    )


def numbered_cells(nb) -> None:
    """Give the cells of a notebook the ids ``cell-0``, ``cell-1``, … in place (jupytext and
    papermill give random ones): the same chapter, the same notebook bytes. The golden notebooks
    (``tools/goldens.py``), the reports of ``python -m analysis run`` and the book's ``.ipynb``
    downloads (``book/_ext/book_site.py``) are numbered so.

    Examples
    --------
    >>> import nbformat
    >>> nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(t) for t in "ab"])
    >>> numbered_cells(nb)
    >>> [cell.id for cell in nb.cells]
    ['cell-0', 'cell-1']
    """
    for number, cell in enumerate(nb.cells):
        if "id" in cell:
            cell.id = f"cell-{number}"


def merged_streams(outputs: list) -> list:
    """Consecutive outputs of one stream joined into one, their text exactly as printed.

    The kernel splits printed text where it happens to flush, sometimes between a line and its
    newline, so the split is timing, not content; the golden notebooks, nbval and the book
    merge them. ``outputs`` is not changed: a merged stream is a copy.

    Examples
    --------
    >>> import nbformat
    >>> pieces = [nbformat.v4.new_output("stream", name="stdout", text=t) for t in ("a", "\\nb\\n")]
    >>> [o["text"] for o in merged_streams(pieces)], pieces[0]["text"]
    (['a\\nb\\n'], 'a')
    """
    import copy

    merged: list = []
    for output in outputs:
        last = merged[-1] if merged else None
        if output.get("output_type") != "stream":
            merged.append(output)
        elif (
            last is not None
            and last.get("output_type") == "stream"
            and last.get("name") == output.get("name")
        ):
            last["text"] = _text(last["text"]) + _text(output["text"])
        else:
            merged.append(copy.deepcopy(output))
    return merged


def _text(text) -> str:
    return "".join(text) if isinstance(text, list) else text
