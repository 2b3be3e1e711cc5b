"""A hostile pass over the command line as a researcher with messy files uses it (session 133):
what it found, pinned.

Each test is one defect a user could meet: ``--help`` of five commands (and the command list's
own) printed lines of 81 to 96 characters (the descriptions, the notes and a few examples were
wrapped by hand at about 90 columns and printed as written; audit's usage line spelled out the
choices of ``--verdict`` in 93), so an 80-column terminal broke them mid-word, and on a wider
terminal the notes stayed 90 wide beside options wrapped to its width; ``-p confidence-level=0.9``
was refused as "not a valid Python name", which tells a researcher nothing of what to type.
Every command runs in this process (:func:`analysis.__main__.main`); nothing here runs a chapter.
"""

from __future__ import annotations

import pytest
from test_cli_hostile import call_cli

from analysis.cli import COMMANDS, HELP_COLUMNS, refill_paragraphs


# --------------------------------------------------------------------------------------- help
@pytest.mark.parametrize("columns", ["80", "200"])
@pytest.mark.parametrize("command", [None, *COMMANDS])
def test_every_help_line_fits_80_columns_on_any_terminal(command, columns, capsys, monkeypatch):
    """At most 80 columns, the project's rule, on an 80-column terminal and on a wide one (the
    notes are refilled to the terminal, never wider than 80)."""
    monkeypatch.setenv("COLUMNS", columns)
    code, out, _ = call_cli([command, "--help"] if command else ["--help"], capsys)
    assert code == 0
    long = [line for line in out.splitlines() if len(line) > HELP_COLUMNS]
    assert not long, long


@pytest.mark.parametrize("command", ["synthesize", "ensemble", "validate", "run"])
def test_refilled_help_keeps_its_examples_and_its_exit_status_paragraph(command, capsys):
    """Refilling joins a paragraph's lines, never an example's or the exit status's."""
    code, out, _ = call_cli([command, "--help"], capsys)
    assert code == 0
    lines = out.splitlines()
    examples = lines[lines.index("examples:") + 1 :]
    assert examples[0].startswith(f"  python -m analysis {command}")
    assert any(line.startswith("exit status: 0 ") for line in lines)


def test_audit_usage_line_names_the_verdict_by_a_word_and_the_help_lists_the_choices(capsys):
    code, out, _ = call_cli(["audit", "--help"], capsys)
    assert code == 0
    assert "[--verdict VERDICT]" in out
    text = " ".join(out.split())
    assert "consistent, inconsistent or 'cannot tell'" in text


def test_refill_paragraphs_keeps_blank_and_indented_lines():
    text = "a b c d e f g h i j k l m n o p q r s t u v w x y z\nend\n\nexamples:\n  cmd --x 1"
    lines = refill_paragraphs(text, 20).splitlines()
    assert max(len(line) for line in lines) <= 20
    assert lines[-3:] == ["", "examples:", "  cmd --x 1"]
    assert " ".join(" ".join(lines[:-3]).split()) == " ".join(text.split("\n\n")[0].split())


# ----------------------------------------------------------------------------------------- -p
@pytest.mark.parametrize("item", ["confidence-level=0.9", "confidence level=0.9"])
def test_a_parameter_written_with_hyphens_or_spaces_is_told_to_use_underscores(
    item, tmp_path, capsys
):
    out_dir = tmp_path / "report"
    code, _, err = call_cli(["run", "--out", str(out_dir), "--chapters", "05", "-p", item], capsys)
    assert code == 2
    assert "parameter names use underscores, not hyphens or spaces" in err
    assert len(err.strip().splitlines()) == 1
    assert not out_dir.exists()


def test_the_underscore_hint_never_repeats_a_name_typed_as_a_parameter(tmp_path, capsys):
    """The hint names no spelling of the key: ``-p 'John Smith=1'`` must not come back as
    ``did you mean John_Smith?``, which the masking of the typed words would not catch."""
    code, _, err = call_cli(
        ["run", "--out", str(tmp_path / "r"), "--chapters", "05", "-p", "John Smith=1"], capsys
    )
    assert code == 2
    assert "John" not in err and "Smith" not in err
    assert "underscores" in err


# ------------------------------------------------------------------------------------ validate
@pytest.mark.parametrize("text", [",,,,\n,,,,\n", ",\n", "\ufeff,,\n\n"])
def test_a_file_of_only_commas_is_empty_and_says_what_it_holds(text, tmp_path, capsys):
    """A spreadsheet saved with its cells cleared writes rows of commas: "empty (only blank
    space)" described a file the reader can see commas in."""
    path = tmp_path / "cleared.csv"
    path.write_text(text, encoding="utf-8")
    code, out, err = call_cli(["validate", "--quiet", str(path)], capsys)
    assert code == 2
    assert "file: is empty (no values: only blank lines, spaces or commas)" in out + err
