"""``formatting.wrapped`` counted characters, not terminal columns: a line holding East Asian
wide characters (a folder named 肝細胞癌コホート研究データ, a hint naming 남/여 and 男/女) ran past
80 columns on a terminal though it had fewer than 80 characters. It now measures each line in
columns (wide and fullwidth characters two, combining marks none), and ASCII text breaks exactly
where ``textwrap.fill`` broke it before."""

from __future__ import annotations

import re
import textwrap
import unicodedata
from pathlib import Path

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis import COHORT_CSV
from analysis.__main__ import main
from analysis.formatting import LINE_WIDTH, display_width, wrapped

FAST = settings(max_examples=300, deadline=None, derandomize=True)


def columns(text: str) -> int:
    """Terminal columns, computed here independently of the module."""
    total = 0
    for ch in text:
        if unicodedata.east_asian_width(ch) in ("W", "F"):
            total += 2
        elif unicodedata.category(ch) not in ("Mn", "Me"):
            total += 1
    return total


def old_wrapped(text: str, width: int = LINE_WIDTH, indent: str = "  ") -> str:
    """The character-counting implementation this replaced (for ASCII the output must match)."""
    quoted = re.compile(r"(?<!\w)'[^'\n]+?'(?!\w)|\b(?:line|row) \d+\b")
    lines = []
    for line in text.split("\n"):
        if len(line) <= width:
            lines.append(line)
            continue
        lead = line[: len(line) - len(line.lstrip(" "))]
        kept = (
            line
            if "\x00" in line
            else quoted.sub(
                lambda m: m[0].replace(" ", "\x00") if len(m[0]) <= width // 2 else m[0], line
            )
        )
        filled = textwrap.fill(
            kept,
            width,
            subsequent_indent=lead + indent,
            break_long_words=False,
            break_on_hyphens=False,
        )
        lines.append(filled.replace("\x00", " "))
    return "\n".join(lines)


WIDE_WORDS = ["年齢", "性別", "남/여", "男/女", "ステージＢ", "ＡＦＰ", "환자", "é", "e\u0301", "ü"]
ASCII_WORDS = ["column", "sex:", "'Age (years)'", "line 4:", "—", "a", "x" * 30, "[write", "M]"]

words = st.lists(st.sampled_from(WIDE_WORDS + ASCII_WORDS), min_size=1, max_size=40)


@FAST
@given(words, st.integers(20, 100), st.sampled_from(["", "  ", "  - "]))
def test_no_wrapped_line_is_wider_than_the_width_and_unwrapping_gives_the_words(
    chosen, width, lead
):
    text = lead + " ".join(chosen)
    out = wrapped(text, width)
    for line in out.split("\n"):
        # only a line of one unbreakable word (a long word or a kept quoted value) may be wider
        body = line.strip(" ")
        if columns(line) > width:
            assert body in chosen or " " not in body, (line, columns(line))
    assert out.split() == text.split()


@FAST
@given(
    st.text(st.characters(min_codepoint=32, max_codepoint=126), max_size=300),
    st.integers(10, 100),
)
def test_ascii_text_wraps_exactly_as_before(text, width):
    assert wrapped(text, width) == old_wrapped(text, width)
    assert wrapped(f"  - {text}") == old_wrapped(f"  - {text}")


def test_display_width_counts_terminal_columns():
    assert display_width("年齢") == 4 and columns("年齢") == 4
    assert display_width("e\u0301") == 1  # a combining accent takes no column
    assert display_width("ＡＢ") == 4  # fullwidth
    assert display_width("—…“”") == 4  # ambiguous width: one column, as in a Western terminal
    text = "  - " + "年齢 " * 30
    assert all(display_width(line) <= LINE_WIDTH for line in wrapped(text).split("\n"))
    assert max(len(line) for line in wrapped(text).split("\n")) < 50  # 2 columns each


def test_validate_lines_fit_80_columns_under_a_wide_folder_name(tmp_path, capsys, monkeypatch):
    """The OK line under a folder named in Japanese was 92 columns (71 characters)."""
    monkeypatch.chdir(tmp_path)  # a short path: a long one is one word, never broken
    folder = Path("肝細胞癌コホート研究データ")
    folder.mkdir()
    path = folder / "mine.csv"
    book = pd.read_csv(COHORT_CSV, dtype=str, keep_default_na=False)
    book.drop(columns=["height_cm", "weight_kg"]).to_csv(path, index=False)
    assert main(["validate", str(path)]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"OK: {path}: 82 patients")
    assert max(map(columns, out.splitlines())) <= LINE_WIDTH, out
    assert max(map(len, old_wrapped(out.replace("\n  ", " ")).splitlines())) <= LINE_WIDTH
    assert max(map(columns, old_wrapped(out.replace("\n  ", " ")).splitlines())) > LINE_WIDTH
    assert " ".join(out.split()).endswith("optional columns absent: height_cm, weight_kg")
