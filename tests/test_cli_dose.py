"""Tests of ``python -m analysis dose``: output, exit codes, one-line errors on stderr."""

from __future__ import annotations

import subprocess
import sys

import pytest

from analysis import REPO_ROOT
from analysis.__main__ import main


def _run_main(capsys, argv):
    code = main(["dose", *argv])
    out, err = capsys.readouterr()
    return code, out, err


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
    # recommended 50 % of 84.3 = 42.2 mg; cisplatin 60*2.409 = 144.6, capped 120.0, 75 % = 108.4
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
        "50",
        "%",
        "42.2",
    ]
    cis = next(line for line in out.splitlines() if line.strip().startswith("cisplatin"))
    assert cis.split() == ["cisplatin", "2", "60", "144.6", "2", "h", "120.0", "75", "%", "108.4"]
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


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("--height-cm", "40", "--weight-kg", "65"), "error: --height-cm: height_cm = 40"),
        (("--height-cm", "170", "--weight-kg", "abc"), "error: --weight-kg abc: not a number"),
        (("--height-cm", "170"), "error: missing --weight-kg"),
    ],
)
def test_subprocess_bad_input_no_traceback(argv, message):
    result = _subprocess(*argv)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1 and result.stderr.startswith(message)
    assert "Traceback" not in result.stderr
