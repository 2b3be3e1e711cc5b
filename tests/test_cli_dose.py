"""Tests of ``python -m analysis dose``: output, exit codes, one-line errors on stderr."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from cli_output import unwrapped

from analysis import REPO_ROOT
from analysis.__main__ import main

#: ``python -m analysis`` forked from a process that imported what it imports
#: (tests/proc_fork.py); each command still runs in a process of its own
pytestmark = pytest.mark.usefixtures("forked_programs")


def _run_main(capsys, argv):
    """(exit code, stdout, stderr), each wrapped message of stderr on one line again (they wrap
    at 80 columns: formatting.wrapped)."""
    code = main(["dose", *argv])
    out, err = capsys.readouterr()
    return code, unwrapped_sheet(out) if out else out, unwrapped(err)


def unwrapped_sheet(out: str) -> str:
    """A dose sheet with its wrapped heading (the lines above the first blank line) and its
    wrapped warnings on one line each again; the table is left as printed."""
    head, blank, rest = out.partition("\n\n")
    head = " ".join(line.strip() for line in head.split("\n"))
    at = rest.find("Warnings (")
    if at >= 0:
        rest = rest[:at] + unwrapped(rest[at:])
    return head + blank + rest


def _subprocess(*argv):
    return subprocess.run(
        [sys.executable, "-m", "analysis", "dose", *argv],
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        timeout=120,
    )


def test_plain_patient_table_and_no_warning(capsys):
    code, out, err = _run_main(capsys, ["--height-cm", "170", "--weight-kg", "65"])
    assert code == 0 and err == ""
    # BSA sqrt(170*65/3600) = 1.752 -> epirubicin 35*1.752 = 61.3 mg, 5-FU 500*1.752 = 876.0 mg,
    # cisplatin 60*1.752 = 105.1 mg
    assert "BSA 1.75 m² (mosteller)" in out
    assert "cumulative epirubicin after this cycle 35 mg/m²" in out
    lines = out.splitlines()
    epi = next(line for line in lines if line.strip().startswith("epirubicin"))
    assert epi.split()[:4] == ["epirubicin", "1", "35", "61.3"]
    cis = next(line for line in lines if line.strip().startswith("cisplatin"))
    assert cis.split() == ["cisplatin", "2", "60", "105.1", "2", "h"]
    fu = [line.split() for line in lines if line.strip().startswith("5-fluorouracil")]
    assert fu == [["5-fluorouracil", "1", "500", "876.0", "5", "h"]] + [
        ["5-fluorouracil", "3", "500", "876.0", "5", "h"]
    ]
    assert "Warnings: none" in out


def test_large_patient_with_labs_shows_warnings_and_both_doses(capsys):
    code, out, err = _run_main(
        capsys,
        [
            "--height-cm",
            "190",
            "--weight-kg",
            "110",
            "--cycle",
            "3",
            "--prior-epirubicin-mg-m2",
            "70",
            "--bilirubin-mg-dl",
            "1.4",
            "--egfr",
            "55",
        ],
    )
    assert code == 0 and err == ""
    # BSA sqrt(190*110/3600) = 2.409: epirubicin 35*2.409 = 84.3 mg, capped 35*2 = 70.0 mg,
    # recommended 50% of 84.3 = 42.2 mg; cisplatin 60*2.409 = 144.6, capped 120.0, 75% = 108.4
    assert "ECF cycle 3 · BSA 2.41 m²" in out
    epi = next(line for line in out.splitlines() if line.strip().startswith("epirubicin"))
    assert epi.split() == [
        "epirubicin",
        "1",
        "35",
        "84.3",
        "not",
        "stated",
        "70.0",
        "50%",
        "42.2",
    ]
    cis = next(line for line in out.splitlines() if line.strip().startswith("cisplatin"))
    assert cis.split() == ["cisplatin", "2", "60", "144.6", "2", "h", "120.0", "75%", "108.4"]
    assert "Warnings (3):" in out
    assert "BSA 2.41 m² is above 2.0 m²" in out
    assert "Epirubicin hepatic band (bilirubin 1.4 mg/dL in 1.2–3)" in out
    assert "Cisplatin renal band (eGFR 55 mL/min in 50–<60)" in out


def test_dubois_and_cumulative_crossing(capsys):
    code, out, _ = _run_main(
        capsys,
        ["--height-cm", "170", "--weight-kg", "65", "--formula", "DuBois"]
        + ["--cycle", "16", "--prior-epirubicin-mg-m2", "525"],
    )
    assert code == 0
    # DuBois 0.007184 * 65^0.425 * 170^0.725 = 1.754 -> "1.75"
    assert "BSA 1.75 m² (dubois)" in out
    # 525 + 35 = 560 crosses 550
    assert "Cumulative epirubicin reaches 560 mg/m² with this cycle, crossing 550 mg/m²" in out


@pytest.mark.parametrize(
    ("prior", "expected"),
    [
        # the checkpoint was reached at an earlier cycle: a reminder on every later cycle
        (
            "560",
            "already 560 mg/m² before this cycle, past the 550 mg/m² checkpoint, and reaches 595",
        ),
        (
            "550",
            "already 550 mg/m² before this cycle, at the 550 mg/m² checkpoint, and reaches 585",
        ),
        (
            "710",
            "already 710 mg/m² before this cycle, past the 700 mg/m² checkpoint, and reaches 745",
        ),
        ("540", "reaches 575 mg/m² with this cycle, crossing 550 mg/m²"),
        ("905", "already 905 mg/m² (>= 900 mg/m²)"),
    ],
)
def test_past_a_checkpoint_warns_every_cycle(capsys, prior, expected):
    code, out, _ = _run_main(
        capsys,
        ["--height-cm", "170", "--weight-kg", "65", "--cycle", "3"]
        + ["--prior-epirubicin-mg-m2", prior],
    )
    assert code == 0
    assert "Warnings: none" not in out
    assert "Warnings (1):" in out
    assert expected in out
    assert "LVEF" in out or "reconsider epirubicin" in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--height-cm", "40", "--weight-kg", "65"], "--height-cm: height_cm = 40 is outside"),
        (["--height-cm", "170", "--weight-kg", "abc"], "--weight-kg abc: not a number"),
        (["--height-cm", "170"], "missing --weight-kg"),
        (["--weight-kg", "65"], "missing --height-cm"),
        (["--height-cm", "170", "--weight-kg", "300"], "--weight-kg: weight_kg = 300 is outside"),
        (["--height-cm", "170", "--weight-kg", "nan"], "--weight-kg nan: not a finite number"),
        (["--height-cm", "170", "--weight-kg", "65", "--cycle", "0"], "--cycle: cycle must be"),
        (["--height-cm", "170", "--weight-kg", "65", "--cycle", "2.5"], "--cycle 2.5: not a whole"),
        (["--height-cm", "170", "--weight-kg", "65", "--formula", "boyd"], "--formula boyd"),
        (
            ["--height-cm", "170", "--weight-kg", "65", "--prior-epirubicin-mg-m2", "-5"],
            "--prior-epirubicin-mg-m2: prior_epirubicin_mg_m2 = -5",
        ),
        (
            ["--height-cm", "170", "--weight-kg", "65", "--bilirubin-mg-dl", "x"],
            "--bilirubin-mg-dl x: not a number",
        ),
        (["--height-cm", "170", "--weight-kg", "65", "--ast-u-l", "-1"], "--ast-u-l: ast_u_l = -1"),
        (["--height-cm", "170", "--weight-kg", "65", "--egfr", "-3"], "--egfr: egfr_ml_min = -3"),
        # a typeset minus (U+2212) pasted from a document: named, not only "not a number"
        (
            ["--height-cm", "170", "--weight-kg", "65", "--cycle", "\u22122"],
            "--cycle \u22122: not a whole number (a Unicode minus sign, U+2212: type - instead)",
        ),
        (
            ["--height-cm", "170", "--weight-kg", "65", "--egfr", "\u22123"],
            "--egfr \u22123: not a number (a Unicode minus sign, U+2212: type - instead)",
        ),
    ],
)
def test_bad_input_one_line_exit_2(capsys, argv, message):
    code, out, err = _run_main(capsys, argv)
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1 and err.startswith("error: ")
    assert message in err


def test_argparse_errors_exit_2(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["dose", "--height-cm", "170", "--weight-kg", "65", "--bogus"])
    assert exc.value.code == 2
    assert "unrecognized arguments: --bogus" in capsys.readouterr().err


def test_help_has_an_example(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["dose", "--help"])
    assert exc.value.code == 0
    out = capsys.readouterr().out
    assert "python -m analysis dose --height-cm 170 --weight-kg 65" in out
    assert "--prior-epirubicin-mg-m2" in out and "never change a dose" in out


def test_subprocess_success():
    result = _subprocess("--height-cm", "170", "--weight-kg", "65")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert "61.3" in result.stdout and "Warnings: none" in result.stdout


def test_subprocess_bad_input_no_traceback():
    """A refused input ends the real process with exit code 2 and one line, no traceback. One
    case: every refusal is a ``UsageError`` that :func:`analysis.__main__.main` prints and turns
    into 2, the same path whatever the input; the messages of this one, of a value that is not
    a number and of a missing argument (the three this test ran as three interpreters, ~0.65
    CPU-s each) are checked through ``main`` by :func:`test_bad_input_one_line_exit_2`."""
    message = "error: --height-cm: height_cm = 40"
    result = _subprocess("--height-cm", "40", "--weight-kg", "65")
    assert result.returncode == 2
    assert result.stdout == ""
    err = unwrapped(result.stderr)  # one message, wrapped at 80 columns
    assert err.count("\n") == 1 and err.startswith(message)
    assert max(len(line) for line in result.stderr.splitlines()) <= 80
    assert "Traceback" not in result.stderr


# --- issue 11: withhold above bilirubin 5 mg/dL, unknown cumulative dose, bounds -------------
def test_bilirubin_above_five_withholds_epirubicin(capsys):
    # bilirubin 12 mg/dL > 5 mg/dL: severe hepatic impairment; epirubicin is contraindicated
    # (EMA SmPC 4.3) and omitted (Floyd et al. 2006): recommended 0%, the warning comes first
    code, out, err = _run_main(
        capsys, ["--height-cm", "170", "--weight-kg", "65", "--bilirubin-mg-dl", "12"]
    )
    assert code == 0 and err == ""
    warnings = out.split("Warnings (1):\n", 1)[1]
    assert warnings.startswith("  - WITHHOLD epirubicin (bilirubin 12 mg/dL > 5)")
    assert "do not give it" in warnings
    epi = next(line for line in out.splitlines() if line.strip().startswith("epirubicin"))
    assert epi.split()[-2:] == ["0%", "0.0"]


@pytest.mark.parametrize(
    ("bilirubin", "band"),
    [("3", "50%"), ("3.01", "25%"), ("5", "25%"), ("5.01", "WITHHOLD"), ("50", "WITHHOLD")],
)
def test_bilirubin_band_edges(capsys, bilirubin, band):
    # 1.2-3 -> 50%, (3, 5] -> 25% (edges belong to the milder band), > 5 -> withhold
    code, out, _ = _run_main(
        capsys, ["--height-cm", "170", "--weight-kg", "65", "--bilirubin-mg-dl", bilirubin]
    )
    assert code == 0
    if band == "WITHHOLD":
        assert "WITHHOLD epirubicin" in out
    else:
        assert f"recommended {band} of the dose" in out and "WITHHOLD" not in out


def test_later_cycle_without_prior_dose_states_no_cumulative_figure(capsys):
    code, out, err = _run_main(capsys, ["--height-cm", "170", "--weight-kg", "65", "--cycle", "27"])
    assert code == 0 and err == ""
    first = out.splitlines()[0]
    assert "cumulative epirubicin after this cycle UNKNOWN" in first
    assert "35 mg/m²" not in first  # the old output stated 35 mg/m² as if known
    # 26 earlier cycles x 35 mg/m² = 910 mg/m², given as a floor, not as the cumulative dose
    assert "Unknown cumulative epirubicin: cycle 27 but no prior dose given" in out
    assert "would give 910 mg/m²" in out


def test_first_cycle_without_prior_dose_counts_from_zero(capsys):
    code, out, _ = _run_main(capsys, ["--height-cm", "170", "--weight-kg", "65"])
    assert code == 0
    assert "cumulative epirubicin after this cycle 35 mg/m²" in out
    assert "Unknown" not in out


def test_prior_dose_given_is_stated(capsys):
    # 70 + 35 = 105 mg/m²
    code, out, _ = _run_main(
        capsys,
        [
            "--height-cm",
            "170",
            "--weight-kg",
            "65",
            "--cycle",
            "3",
            "--prior-epirubicin-mg-m2",
            "70",
        ],
    )
    assert code == 0
    assert "cumulative epirubicin after this cycle 105 mg/m²" in out
    assert "Warnings: none" in out


BASE = ["--height-cm", "170", "--weight-kg", "65"]


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--bilirubin-mg-dl", "0"], "--bilirubin-mg-dl: bilirubin_mg_dl = 0 is outside (0, 50]"),
        (["--bilirubin-mg-dl", "51"], "--bilirubin-mg-dl: bilirubin_mg_dl = 51 is outside"),
        (["--ast-u-l", "0"], "--ast-u-l: ast_u_l = 0 is outside (0, 10000]"),
        (["--cycle", "0"], "--cycle: cycle must be a whole number from 1 to 50; got 0"),
        (["--cycle", "51"], "--cycle: cycle must be a whole number from 1 to 50; got 51"),
        (["--cycle", "100000000000000000000"], "--cycle 100000000000000000000: far outside"),
        (["--cycle", "1e20"], "--cycle 1e20: not a whole number"),
        (["--cycle", "2.5"], "--cycle 2.5: not a whole number"),
        (["--prior-epirubicin-mg-m2", "-1"], "prior_epirubicin_mg_m2 = -1 is outside [0, 2000]"),
        (["--prior-epirubicin-mg-m2", "2001"], "prior_epirubicin_mg_m2 = 2001 is outside"),
        (["--egfr", "301"], "--egfr: egfr_ml_min = 301 is outside"),
        (["--height-cm", "1_70"], "--height-cm 1_70: not a number"),
        (["--weight-kg", "６５"], "not a number"),  # full-width digits: float() would take them
        (["--weight-kg", "inf"], "--weight-kg inf: not a finite number"),
        (["--bilirubin-mg-dl", "1,5"], "--bilirubin-mg-dl 1,5: not a number"),
    ],
)
def test_bounds_one_line_exit_2(capsys, extra, message):
    base = list(BASE)
    if extra[0] in base:  # an option is given once: the bad value replaces the good one
        base[base.index(extra[0]) : base.index(extra[0]) + 2] = []
    code, out, err = _run_main(capsys, [*base, *extra])
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith("error: ")
    assert message in err


def test_library_unknown_prior_and_withhold():
    import math

    from analysis.clinical import ecf_dose_sheet

    sheet = ecf_dose_sheet(170, 65, cycle=3, prior_epirubicin_mg_m2=None, bilirubin_mg_dl=6)
    assert math.isnan(sheet.attrs["cumulative_epirubicin_mg_m2"])
    assert sheet.attrs["cumulative_epirubicin_known"] is False
    assert sheet.attrs["warnings"][0].startswith("WITHHOLD epirubicin (bilirubin 6 mg/dL > 5)")
    assert any("Unknown cumulative epirubicin: cycle 3" in w for w in sheet.attrs["warnings"])
    epi = sheet.loc[sheet["drug"] == "epirubicin"].iloc[0]
    assert epi["recommended_percent"] == 0 and epi["recommended_dose_mg"] == 0
    # the public default (prior 0.0) is unchanged: cycle 1 -> 35 mg/m², known
    first = ecf_dose_sheet(170, 65)
    assert first.attrs["cumulative_epirubicin_mg_m2"] == 35.0
    assert first.attrs["cumulative_epirubicin_known"] is True


def test_weight_in_pounds_is_refused_in_one_line(capsys):
    """150 lb typed as kg at 165 cm gave a 2.62 m² sheet with only the BSA-cap warning."""
    code, out, err = _run_main(capsys, ["--height-cm", "165", "--weight-kg", "150"])
    assert code == 2 and out == ""
    assert err.count("\n") == 1
    assert err.startswith(
        "error: --weight-kg: weight_kg = 150 with height_cm = 165 is a BMI of 55.1 kg/m², "
        "outside [12, 40] kg/m²: is the weight in pounds (150 lb = 68.0 kg)?"
    )
    assert err.rstrip().endswith("If both are right, add --confirm-bmi")
    code, out, err = _run_main(capsys, ["--height-cm", "165", "--weight-kg", "68"])
    assert code == 0 and "BSA 1.77 m² (mosteller) · BMI 25.0 kg/m²" in out
    assert "Warnings: none" in out


def test_confirm_bmi_gives_the_sheet_with_the_confirmation_first(capsys):
    argv = ["--height-cm", "165", "--weight-kg", "150", "--confirm-bmi"]
    code, out, err = _run_main(capsys, argv)
    assert code == 0 and err == ""
    assert "BSA 2.62 m² (mosteller) · BMI 55.1 kg/m²" in out
    warnings = out.split("Warnings (2):\n", 1)[1].splitlines()
    assert warnings[0].startswith("  - BMI 55.1 kg/m² (165 cm, 150 kg) is outside 12–40")
    assert "confirmed by the prescriber" in warnings[0]


def test_prior_doxorubicin_is_stated_apart_and_warned(capsys):
    argv = [*BASE, "--cycle", "3", "--prior-epirubicin-mg-m2", "70"]
    code, out, _ = _run_main(capsys, [*argv, "--prior-doxorubicin-mg-m2", "200"])
    assert code == 0
    assert (
        "cumulative epirubicin after this cycle 105 mg/m² "
        "(epirubicin only; prior doxorubicin 200 mg/m² apart)" in out
    )
    assert "  - Prior doxorubicin 200 mg/m² is not counted in the cumulative epirubicin" in out
    code, out, err = _run_main(capsys, [*argv, "--prior-doxorubicin-mg-m2", "1001"])
    assert code == 2 and err.startswith(
        "error: --prior-doxorubicin-mg-m2: prior_doxorubicin_mg_m2 = 1001 is outside [0, 1000]"
    )
    code, out, _ = _run_main(capsys, argv)  # not given: 0, nothing said
    assert code == 0 and "doxorubicin" not in out and "Warnings: none" in out


def test_help_names_the_new_options(capsys):
    with pytest.raises(SystemExit):
        main(["dose", "--help"])
    out = " ".join(capsys.readouterr().out.split())
    assert "--confirm-bmi" in out and "--prior-doxorubicin-mg-m2" in out
    from analysis.clinical import BMI_RANGE_KG_M2, PRIOR_DOXORUBICIN_MAX_MG_M2

    lo, hi = BMI_RANGE_KG_M2  # the help's numbers are the library's
    assert (
        f"a BMI outside {lo:g}–{hi:g} kg/m²" in out and "never converts it into epirubicin" in out
    )
    assert f"prior doxorubicin 0–{PRIOR_DOXORUBICIN_MAX_MG_M2:g} mg/m²" in out


def test_confirm_bmi_not_needed_is_noted_on_stderr(capsys):
    """--confirm-bmi with an ordinary BMI (a command line reused for the next patient) was
    taken without a word; the sheet is the same, and stderr says nothing was confirmed."""
    code, out, err = _run_main(capsys, [*BASE, "--confirm-bmi"])
    assert code == 0 and "Warnings: none" in out and "confirmed" not in out
    assert err == (
        "note: --confirm-bmi was not needed: BMI 22.5 kg/m² is within 12–40 kg/m²; "
        "nothing was confirmed\n"
    )
    code, out, err = _run_main(capsys, ["--height-cm", "150", "--weight-kg", "90.0001"])
    assert code == 2 and out == "" and "a BMI of 40.00004 kg/m², outside [12, 40]" in err


def test_help_says_what_the_bmi_check_is_and_the_exit_status(capsys):
    with pytest.raises(SystemExit):
        main(["dose", "--help"])
    raw = capsys.readouterr().out
    out = " ".join(raw.split())
    assert "BMI check: the body-mass index, weight (kg) / height (m)², must lie within" in out
    assert "Exit status: 0 with the sheet; 2, nothing on standard output" in out
    assert "a BMI outside 12–40 kg/m² without --confirm-bmi" in out
    epilog = raw.split("\nexample:\n", 1)[1]
    assert max(map(len, epilog.splitlines())) <= 80  # a terminal of 80 columns


def test_readme_states_the_exit_status_and_the_bmi_range():
    """The README listed `dose` without its exit status or its BMI refusal."""
    from analysis.clinical import BMI_RANGE_KG_M2

    readme = " ".join((REPO_ROOT / "README.md").read_text(encoding="utf-8").split())
    lo, hi = BMI_RANGE_KG_M2
    assert "`dose` prints the sheet and its warnings (exit 0)" in readme
    assert f"outside {lo:g}–{hi:g} kg/m² (a weight in pounds?) without `--confirm-bmi`" in readme


def test_the_header_prints_the_bmi_as_its_warning_does(capsys):
    """A confirmed BMI just past 40 (40.00004 at 150 cm, 90.0001 kg) printed "BMI 40.0" in the
    sheet's header beside "BMI 40.00004 ... outside 12–40" in its warning: the header now
    shows the same digits (one decimal where one decimal is not a range edge)."""
    argv = ["--height-cm", "150", "--weight-kg", "90.0001", "--confirm-bmi"]
    code, out, err = _run_main(capsys, argv)
    assert code == 0 and err == ""
    assert "· BMI 40.00004 kg/m² ·" in out and "  - BMI 40.00004 kg/m² (150 cm" in out
    code, out, _ = _run_main(capsys, ["--height-cm", "165", "--weight-kg", "68"])
    assert code == 0 and "· BMI 25.0 kg/m² ·" in out


def test_percentages_are_written_against_their_number(capsys):
    """Hostile review: the dose sheet's table and warnings wrote "50 %" and "75 %" where the
    book writes "50%" (chapter 3 shows the same warnings in its tables)."""
    code, out, _ = _run_main(
        capsys,
        ["--height-cm", "170", "--weight-kg", "65", "--bilirubin-mg-dl", "1.4", "--egfr", "45"],
    )
    assert code == 0
    assert "recommended 50% of the dose" in out
    assert not re.search(r"\d %", out), out
