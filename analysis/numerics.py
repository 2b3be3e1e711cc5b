"""The same bytes on another machine: which OpenBLAS kernels the calibration computes with.

OpenBLAS (bundled with NumPy and SciPy) picks its kernels when it is loaded: by the processor, or
by the environment variable ``OPENBLAS_CORETYPE``, which some machines set for every process.
Kernels for different processors add the same numbers in different orders, so results differ in
their last bits; the calibration's Metropolis search (:func:`analysis.synthesis.synthesize`)
compares losses at tens of thousands of steps, and a last-bit difference sends it down another
path to another cohort. ``data/cohort.csv``, the ensemble record and the golden notebooks were
made with OpenBLAS's ``SkylakeX`` kernels (AVX-512). Measured on 2026-12-01 on a 2-core AMD EPYC
with AVX-512 where the environment set ``OPENBLAS_CORETYPE=Haswell``: ``python -m analysis
synthesize`` wrote another cohort (27 univariate Table 2 cells hit by the package's count
instead of 37) and chapter 09's bootstrap counted 161 failed fits instead of 160; with
``OPENBLAS_CORETYPE=SkylakeX`` it wrote ``data/cohort.csv`` byte for byte. NumPy's own
AVX-512 loops (its ``AVX512_ICL`` dispatch, on or off) made no difference there.

:func:`pin_openblas` sets ``OPENBLAS_CORETYPE=SkylakeX`` before NumPy is first imported, where the
processor runs those kernels; ``make`` exports the same for everything it starts, and
``import analysis`` (before NumPy, as in ``python -m analysis`` and a script that imports the
package first), the notebooks' kernels (``tools/ipython_kernel_config.py``: chapters import pandas
before the package) and the tests (``tests/conftest.py``) call it. A script that imports NumPy
before the package keeps the machine's kernels; :func:`kernel_note` says so. A processor without AVX-512 cannot run them: there the book's
numbers are recomputed with other kernels and a regenerated cohort may differ from the committed
one (:func:`kernel_note` says so).
"""

from __future__ import annotations

import ctypes
import os
import platform
import sys
from pathlib import Path

__all__ = [
    "REFERENCE_CORE",
    "AVX512_FLAGS",
    "has_avx512",
    "pin_openblas",
    "openblas_core",
    "kernel_note",
    "numbered_cells",
    "merged_streams",
]

#: OpenBLAS's name for the kernels the committed cohort and notebooks were computed with.
REFERENCE_CORE = "SkylakeX"
#: The processor flags (``/proc/cpuinfo``) OpenBLAS's Skylake-X kernels need.
AVX512_FLAGS = ("avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl")


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
        if platform.machine().lower() not in ("x86_64", "amd64"):
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


def pin_openblas(environ: dict | None = None, cpuinfo: str | None = None) -> bool:
    """Set ``OPENBLAS_CORETYPE`` to :data:`REFERENCE_CORE` where it can still take effect.

    Only before NumPy is first imported in this process (OpenBLAS reads the variable when it is
    loaded) and only where the processor has AVX-512 (elsewhere those kernels would stop the
    process with an illegal instruction). A value set before is replaced: the point is the
    committed bytes. Child processes (kernels, pytest-xdist and Dask workers) inherit it.
    Returns whether the variable now names the reference kernels.

    Examples
    --------
    With NumPy already loaded (as here) nothing changes; an environment that already names the
    reference kernels is kept on any processor:

    >>> env = {"OPENBLAS_CORETYPE": "Haswell"}
    >>> pin_openblas(env), env
    (False, {'OPENBLAS_CORETYPE': 'Haswell'})
    >>> pin_openblas({"OPENBLAS_CORETYPE": "SkylakeX"}, cpuinfo="flags : avx2")
    True
    """
    env = os.environ if environ is None else environ
    if env.get("OPENBLAS_CORETYPE") == REFERENCE_CORE:
        return True
    if "numpy" in sys.modules or not has_avx512(cpuinfo):
        return False
    env["OPENBLAS_CORETYPE"] = REFERENCE_CORE
    return True


def openblas_core() -> str | None:
    """The kernels NumPy's OpenBLAS runs in this process (e.g. ``"SkylakeX"``, ``"Haswell"``).

    Read from the library NumPy bundles (``numpy.libs``); None where it cannot be found (another
    BLAS, another platform).

    Examples
    --------
    >>> core = openblas_core()  # "SkylakeX" where the pin took effect
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
    """One sentence when this process computes with other kernels than the committed files.

    None when NumPy's OpenBLAS runs :data:`REFERENCE_CORE` (or its kernels cannot be read).

    Examples
    --------
    >>> note = kernel_note()
    >>> note is None or note.startswith("note: OpenBLAS computes with its ")
    True
    """
    core = openblas_core()
    if core is None or core == REFERENCE_CORE:
        return None
    setting = os.environ.get("OPENBLAS_CORETYPE")
    if not has_avx512():
        reason = "this processor has no AVX-512"
    elif setting and setting != REFERENCE_CORE:
        reason = (
            f"OPENBLAS_CORETYPE={setting} when NumPy was imported, before the package could pin it"
        )
    else:
        reason = "OpenBLAS chose them for this processor; NumPy was imported before the pin"
    return (
        f"note: OpenBLAS computes with its {core} kernels here ({reason}); data/cohort.csv was "
        f"made with its {REFERENCE_CORE} kernels, so a cohort written here may differ from it "
        "(see analysis/numerics.py)"
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
