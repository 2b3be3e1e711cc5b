"""A fourth hostile pass over the command line (session 115): what it found, pinned.

``run --chapter 02`` (the singular, one letter short) was refused as "ambiguous option:
--chapter could match --chapters, --chapters-dir", naming an option --help does not show (the
tests' own chapters folder) and refusing the abbreviation argparse accepts everywhere else
(``--forc``, ``--coh``); ``dose --weight-kg 65,5``, ``--height-cm 170cm`` and ``--height-cm
１７０`` said only "not a number", where ``validate`` says why for the same cells; ``synthesize
--cox-steps 0`` ended its summary with "Cox phase: Table 2 loss nan -> nan" and counted
"1 units of the last digit". Every command runs in this process.
"""

from __future__ import annotations

import pytest
from test_cli_hostile import call_cli


# ------------------------------------------------------------------------- abbreviated options
@pytest.mark.parametrize("option", ["--chapter", "--chapt", "--ch"])
def test_an_abbreviation_of_chapters_is_chapters_not_ambiguous_with_a_hidden_option(
    option, tmp_path, capsys
):
    out = tmp_path / "report"
    code, _, err = call_cli(["run", "--out", str(out), option, "99"], capsys)
    assert code == 2
    assert "chapter '99' not found" in err  # read as --chapters: refused for its value
    assert "ambiguous" not in err and "--chapters-dir" not in err
    assert not out.exists()


def test_an_abbreviation_of_two_shown_options_is_still_ambiguous(capsys):
    code, _, err = call_cli(["synthesize", "--c", "1", "--out", "/tmp/never.csv"], capsys)
    assert code == 2
    assert "ambiguous option: --c could match --chains, --cox-steps" in err


# ------------------------------------------------------------------------------ dose's numbers
@pytest.mark.parametrize(
    "argv, says",
    [
        (["--weight-kg", "65,5"], "--weight-kg 65,5: not a number (use a decimal point, not a "
         "decimal comma)"),
        (["--height-cm", "170cm"], "--height-cm 170cm: not a number (the number alone, without "
         "its unit)"),
        (["--height-cm", "170 cm"], "(the number alone, without its unit)"),
        (["--weight-kg", "65.5 kg."], "(the number alone, without its unit)"),
        (["--height-cm", "１７０"], "--height-cm １７０: not a number (digits 0-9: 170, not"),
        (["--height-cm", "١٧٠"], "(digits 0-9: 170, not"),
        (["--egfr", "\u22125"], "not a number (a Unicode minus sign, U+2212: type - instead)"),
        # a whole number: a decimal point would be refused too; one letter is a typo
        (["--cycle", "2,0"], "--cycle 2,0: not a whole number"),
        (["--cycle", "2x"], "--cycle 2x: not a whole number"),
    ],
)  # fmt: skip
def test_dose_says_why_a_value_is_not_a_number(argv, says, capsys):
    base = {"--height-cm": "170", "--weight-kg": "65"}
    base.update(dict([argv]))
    words = ["dose", *(w for pair in base.items() for w in pair)]
    code, out, err = call_cli(words, capsys)
    assert code == 2 and out == ""
    assert says in err
    if argv[0] == "--cycle":
        assert "(" not in err  # no hint
    assert len(err.strip().splitlines()) == 1


# ------------------------------------------------------------------------------- synthesize
def test_synthesize_without_its_cox_phase_says_skipped_not_nan(tmp_path, capsys):
    out = tmp_path / "quick.csv"
    argv = ["synthesize", "--chains", "1", "--steps", "100", "--cox-steps", "0", "--quiet"]
    code, text, _ = call_cli([*argv, "--out", str(out)], capsys)
    assert code == 0 and out.is_file()
    assert "  Cox phase: skipped (--cox-steps 0)" in text.splitlines()
    assert "nan" not in text
    assert "(1 units" not in text
