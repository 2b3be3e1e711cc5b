"""Helpers that chapters share: house style, glue of text, tables and figures with downloads.

Chapters call :func:`setup` in their hidden preamble cell and then

* :func:`glue_text` for every number that appears in prose (a pre-formatted string),
* :func:`show_table` for every result table (an HTML table with a CSV download link),
* :func:`glue_figure` for every figure (glued for ``{glue:figure}``, plus a
  ``<name>-downloads`` glue key holding PNG and SVG download links).

Everything is deterministic: no timestamps in SVG or PNG metadata, a fixed SVG hash salt.
"""

from __future__ import annotations

import base64
import html
import io
import re

import matplotlib
import matplotlib.pyplot as plt
import pandas as pd

__all__ = [
    "setup",
    "glue_text",
    "glue_table",
    "table_markdown",
    "show_table",
    "glue_figure",
    "figure_downloads",
    "PALETTE",
]

#: One palette for the whole book (colour-blind safe, seaborn "colorblind").
PALETTE = ["#0173b2", "#de8f05", "#029e73", "#d55e00", "#cc78bc", "#ca9161", "#949494"]

_RC = {
    "figure.figsize": (6.4, 4.0),
    "figure.dpi": 100,
    "savefig.dpi": 150,
    "savefig.bbox": "tight",
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.prop_cycle": matplotlib.cycler(color=PALETTE),
    "font.size": 10,
    "svg.hashsalt": "hien2024",
    "svg.fonttype": "none",
    "path.simplify": True,
}


def setup() -> None:
    """Apply the house style (seaborn ``whitegrid`` with the book's palette) and pandas options.

    Called by the hidden preamble of every chapter. Idempotent.
    """
    import seaborn as sns

    sns.set_theme(style="whitegrid", palette=PALETTE, rc=_RC)
    matplotlib.rcParams.update(_RC)
    pd.set_option("display.max_rows", 200)
    pd.set_option("display.max_columns", 50)
    pd.set_option("display.width", 120)


def glue_text(name: str, text: str) -> str:
    """Glue a pre-formatted string for ``{glue:text}`name```; returns it for convenience.

    Only strings are accepted, so that what the reader sees is formatted by the chapter and is
    identical in every output format (a NumPy scalar would print as ``np.float64(…)``).
    """
    if not isinstance(text, str):
        raise TypeError(f"glue_text({name!r}): expected a formatted str, got {type(text).__name__}")
    from myst_nb import glue

    glue(name, text, display=False)
    return text


def _data_uri(payload: bytes, mime: str) -> str:
    return f"data:{mime};base64,{base64.b64encode(payload).decode('ascii')}"


def show_table(df: pd.DataFrame, name: str, *, index: bool = False, float_format=None):
    """Display ``df`` as an HTML table followed by a link that downloads it as ``<name>.csv``.

    The CSV is embedded as a data URI, so the link works on the static site with no server and
    no extra files. Returns the IPython display object (displayed by the cell).
    """
    from IPython.display import HTML

    if not index:  # a leftover columns name (from unstack/pivot) would print as a stray header
        df = df.rename_axis(columns=None)
    csv = df.to_csv(index=index, lineterminator="\n").encode("utf-8")
    table = df.to_html(
        index=index, border=0, classes="table result-table", float_format=float_format, na_rep="–"
    )
    link = (
        f'<p class="downloads">Download: <a download="{html.escape(name)}.csv" '
        f'href="{_data_uri(csv, "text/csv")}">{html.escape(name)}.csv</a></p>'
    )
    return HTML(f'<div class="result-table-wrap">{table}{link}</div>')


def _render(fig, fmt: str) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format=fmt, metadata={"Date": None} if fmt == "svg" else {"Software": None})
    return buf.getvalue()


def figure_downloads(fig, name: str):
    """HTML with PNG and SVG download links for ``fig`` (embedded as data URIs)."""
    from IPython.display import HTML

    png = _data_uri(_render(fig, "png"), "image/png")
    svg = _data_uri(_render(fig, "svg"), "image/svg+xml")
    return HTML(
        f'<p class="downloads">Download: <a download="{html.escape(name)}.png" href="{png}">PNG</a>'
        f' · <a download="{html.escape(name)}.svg" href="{svg}">SVG</a></p>'
    )


def glue_figure(name: str, fig) -> None:
    """Glue ``fig`` under ``name`` and its download links under ``<name>-downloads``, then close it.

    In the chapter::

        ```{glue:figure} fig-km-os
        :name: fig-km-os

        Caption…
        ```

        ```{glue:} fig-km-os-downloads
        ```
    """
    from IPython.display import Image
    from myst_nb import glue

    # An explicit PNG (not the Figure object) so the image never depends on the kernel's
    # matplotlib backend, and the bytes are the same as the download.
    width = int(round(fig.get_figwidth() * 100))
    glue(name, Image(data=_render(fig, "png"), format="png", width=width), display=False)
    glue(f"{name}-downloads", figure_downloads(fig, name), display=False)
    plt.close(fig)


# ----------------------------------------------------------------------- numbered tables
_SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
_MD_SPECIAL = re.compile(r"([\\|*_`$\[\]<>#])")
_NEGATIVE = re.compile(r"(?<![\w.])-(?=\d)")


def _cell_text(value) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return "–"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (list, tuple)):
        value = ", ".join(str(v) for v in value)
    text = " ".join(str(value).split())  # one line per cell
    return _NEGATIVE.sub("−", text) if text else ""


def _md_escape(text: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", text)


def _numeric(column: pd.Series) -> bool:
    texts = [t for t in column if t not in ("", "–")]
    num = re.compile(r"^[−+<>≤≥ ]*[\d.,]+(?: ?%)?(?: \(.*\))?$")
    return bool(texts) and all(num.match(t) for t in texts)


def table_markdown(df: pd.DataFrame, *, index: bool = False) -> tuple[str, list[str]]:
    """A MyST pipe table for ``df`` with clinical labels, and the notes under it.

    Columns and term codes are relabelled by :mod:`analysis.labels`. A ``verdict``/``reason`` pair
    (from :func:`analysis.tables.compare`) becomes one "Agrees" column with ✓ or ✗ and a numbered
    note giving the reason. Negative numbers get a true minus sign.
    """
    from analysis import labels

    if index:
        df = df.reset_index()
    df = df.rename_axis(columns=None).copy()
    notes: list[str] = []
    if "verdict" in df.columns:
        reasons = (
            df["reason"] if "reason" in df.columns else pd.Series([""] * len(df), index=df.index)
        )
        marks = []
        for verdict, reason in zip(df["verdict"], reasons, strict=True):
            v = str(verdict)
            if v in ("agrees", "consistent"):
                marks.append("✓")
            elif v in ("differs", "inconsistent"):
                reason = _cell_text(reason)
                if reason and reason != "–":
                    notes.append(reason)
                    marks.append("✗ " + str(len(notes)).translate(_SUPERSCRIPT))
                else:
                    marks.append("✗")
            else:
                reason = _cell_text(reason) if reason is not None else ""
                if reason and reason != "–":
                    notes.append(reason)
                    v += " " + str(len(notes)).translate(_SUPERSCRIPT)
                marks.append(v)
        df["verdict"] = marks
        if "reason" in df.columns:
            df = df.drop(columns="reason")
    body = df.apply(lambda col: col.map(_cell_text))
    first = body.columns[0] if len(body.columns) else None
    if first is not None:
        body[first] = body[first].map(labels.term_label)
    headers = [labels.column_label(c) for c in body.columns]
    align = ["--:" if _numeric(body[c]) else ":--" for c in body.columns]
    if "verdict" in df.columns:
        align[list(body.columns).index("verdict")] = ":-:"
    lines = [
        "| " + " | ".join(_md_escape(h) for h in headers) + " |",
        "|" + "|".join(align) + "|",
    ]
    for _, row in body.iterrows():
        lines.append("| " + " | ".join(_md_escape(t) for t in row) + " |")
    return "\n".join(lines) + "\n", notes


def glue_table(
    name: str,
    df: pd.DataFrame,
    *,
    index: bool = False,
    hide: tuple[str, ...] | list[str] = (),
    notes: tuple[str, ...] | list[str] = (),
    download: bool = True,
) -> None:
    """Glue ``df`` as a numbered, captioned table, and its notes and CSV download.

    ``<name>`` holds a MyST table (clinical labels, ✓/✗ marks) for::

        :::{table} Caption.
        :name: tbl-…

        ```{glue:md} tbl-…
        :format: myst
        ```
        :::

        ```{glue:md} tbl-…-notes
        :format: myst
        ```

    ``<name>-notes`` holds the numbered reasons for each ✗, any extra ``notes`` and a link that
    downloads the full table (every column, including those in ``hide``) as ``<name>.csv``.
    """
    from IPython.display import Markdown
    from myst_nb import glue

    shown = df.drop(columns=[c for c in hide if c in df.columns])
    text, reasons = table_markdown(shown, index=index)
    glue(name, Markdown(text), display=False)
    parts = []
    if reasons:
        parts.append(
            "\n".join(
                f"{str(i).translate(_SUPERSCRIPT)} {_md_escape(r)}  "
                for i, r in enumerate(reasons, 1)
            ).rstrip()
        )
    parts.extend(_md_escape(n) for n in notes)
    if download:
        base = df.rename_axis(columns=None)
        csv = base.to_csv(index=index, lineterminator="\n").encode("utf-8")
        file = html.escape(name.removeprefix("tbl-"))
        parts.append(
            f'<p class="downloads">Download: <a download="{file}.csv" '
            f'href="{_data_uri(csv, "text/csv")}">{file}.csv</a></p>'
        )
    glue(f"{name}-notes", Markdown("\n\n".join(parts) + "\n"), display=False)
