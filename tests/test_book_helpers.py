"""analysis.book: the helpers every chapter uses for glue, tables and figures."""

from __future__ import annotations

import base64
import re

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from analysis import book


def test_glue_text_refuses_unformatted_numbers():
    with pytest.raises(TypeError, match=r"glue_text\('x'\).*float"):
        book.glue_text("x", 9.9)


def test_show_table_embeds_exact_csv():
    df = pd.DataFrame({"quantity": ["median OS", "ORR"], "published": ["9.9", "29.3"]})
    html = book.show_table(df, "demo").data
    match = re.search(r'download="demo.csv" href="data:text/csv;base64,([^"]+)"', html)
    assert match, "no CSV download link"
    csv = base64.b64decode(match.group(1)).decode()
    assert csv == "quantity,published\nmedian OS,9.9\nORR,29.3\n"
    assert "<table" in html and "median OS" in html


def test_figure_downloads_are_deterministic_and_png_svg():
    book.setup()
    fig, ax = plt.subplots()
    ax.plot([0, 1, 2], [1.0, 0.6, 0.3])
    ax.set_xlabel("months")
    first = book.figure_downloads(fig, "curve").data
    second = book.figure_downloads(fig, "curve").data
    plt.close(fig)
    assert first == second
    png = re.search(r'href="data:image/png;base64,([^"]+)"', first).group(1)
    svg = re.search(r'href="data:image/svg\+xml;base64,([^"]+)"', first).group(1)
    assert base64.b64decode(png)[:8] == b"\x89PNG\r\n\x1a\n"
    svg_text = base64.b64decode(svg).decode()
    assert svg_text.lstrip().startswith("<?xml") and "<dc:date>" not in svg_text


def test_show_table_drops_a_leftover_columns_name():
    wide = (
        pd.DataFrame({"check": ["a", "a", "b"], "verdict": ["ok", "bad", "ok"], "n": [1, 2, 3]})
        .pivot(index="check", columns="verdict", values="n")
        .reset_index()
    )
    assert wide.columns.name == "verdict"
    html = book.show_table(wide, "wide").data
    assert "<th>verdict</th>" not in html and "<th></th>" not in html
