"""``python -m analysis dose``: print the ECF dose sheet of one cycle with its warnings.

Every number is checked here and turned into a one-line :class:`~analysis.cli.UsageError`
naming the option and the value, so a typo never ends in a traceback.
"""

from __future__ import annotations

import argparse
import math
import re
import sys

from analysis.cli import HelpFormatter, UsageError
from analysis.clinical import BMI_RANGE_KG_M2, ecf_dose_sheet
from analysis.formatting import wrapped
from analysis.privacy import MASKED, file_name_identifier

HELP = "ECF dose sheet (mg) for one HAIC cycle from height and weight, with dose warnings"

EPILOG = """\
example:
  python -m analysis dose --height-cm 170 --weight-kg 65
  python -m analysis dose --height-cm 190 --weight-kg 110 --cycle 3 \\
      --prior-epirubicin-mg-m2 70 --bilirubin-mg-dl 1.4 --egfr 55

Doses follow the study's regimen (Hien et al. 2024): epirubicin 35 mg/m² day 1,
5-fluorouracil 500 mg/m² over 5 h days 1 and 3, cisplatin 60 mg/m² over 2 h
day 2.
Warnings (BSA above 2.0 m², cumulative epirubicin crossing 550/700/900 mg/m²
and on every later cycle once at or past one of them, epirubicin hepatic bands
and WITHHOLD above bilirubin 5 mg/dL, cisplatin renal bands, unknown cumulative
dose when --cycle is above 1 without --prior-epirubicin-mg-m2, prior doxorubicin
not counted as epirubicin, a BMI outside 12–40 kg/m² confirmed with
--confirm-bmi) never change a dose: recommended doses are shown beside the full
ones. Teaching tool, not a prescribing system: check every dose against your
local protocol.

BMI check: the body-mass index, weight (kg) / height (m)², must lie within
12–40 kg/m². Outside it the sheet is refused, as the height or weight is most
likely in the wrong unit: 150 lb typed as 150 kg at 165 cm reads as BMI 55 and
overdoses every drug by about half. Check both; if the build is real, give
--confirm-bmi and the sheet records the confirmation as its first warning.

Exit status: 0 with the sheet; 2, nothing on standard output, with one line on
standard error naming the option and the value, for a value that is not
accepted or a BMI outside 12–40 kg/m² without --confirm-bmi.

Anthracycline from TACE: epirubicin goes in --prior-epirubicin-mg-m2,
doxorubicin in --prior-doxorubicin-mg-m2. Doxorubicin is more cardiotoxic per
mg/m²; the sheet never converts it into epirubicin and warns that the
epirubicin checkpoints understate the exposure.

accepted values: height 100–250 cm, weight 25–250 kg (in kg: a BMI outside
12–40 kg/m², e.g. a weight in pounds, is refused unless --confirm-bmi), cycle
1–50, prior epirubicin 0–2000 mg/m², prior doxorubicin 0–1000 mg/m², bilirubin
> 0 to 50 mg/dL, AST > 0 to 10000 U/L, eGFR 0–300 mL/min; plain decimal numbers
only (no 1_000, no 1,5).
"""

#: option -> (attribute, required, kind) ; kind "float" or "int"
_NUMERIC = {
    "--height-cm": ("height_cm", True, "float"),
    "--weight-kg": ("weight_kg", True, "float"),
    "--cycle": ("cycle", False, "int"),
    "--prior-epirubicin-mg-m2": ("prior_epirubicin_mg_m2", False, "float"),
    "--prior-doxorubicin-mg-m2": ("prior_doxorubicin_mg_m2", False, "float"),
    "--bilirubin-mg-dl": ("bilirubin_mg_dl", False, "float"),
    "--ast-u-l": ("ast_u_l", False, "float"),
    "--egfr": ("egfr", False, "float"),
}

# which dose_sheet argument each option feeds, to name the option in errors
_ARGUMENT_OPTION = {
    "height_cm": "--height-cm",
    "weight_kg": "--weight-kg",
    "cycle": "--cycle",
    "prior_epirubicin_mg_m2": "--prior-epirubicin-mg-m2",
    "prior_doxorubicin_mg_m2": "--prior-doxorubicin-mg-m2",
    "bmi_confirmed": "--confirm-bmi",
    "bilirubin_mg_dl": "--bilirubin-mg-dl",
    "ast_u_l": "--ast-u-l",
    "egfr_ml_min": "--egfr",
    "formula": "--formula",
}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of ``dose``. Values are parsed in :func:`run` so errors are one line."""
    parser.formatter_class = HelpFormatter
    parser.epilog = EPILOG
    parser.add_argument("--height-cm", metavar="CM", help="height in cm (100–250), required")
    parser.add_argument(
        "--weight-kg",
        metavar="KG",
        help="weight in kg (25–250; not pounds: a BMI outside 12–40 kg/m² is refused), required",
    )
    parser.add_argument(
        "--confirm-bmi",
        action="store_true",
        help="height and weight re-checked: make the sheet although the BMI (kg/m²) is "
        "outside 12–40, which is otherwise refused as a likely unit error (see 'BMI check' "
        "below); the sheet records the confirmation as a warning",
    )
    parser.add_argument(
        "--formula",
        metavar="NAME",
        default="mosteller",
        help="BSA formula: mosteller (default) or dubois",
    )
    parser.add_argument("--cycle", metavar="N", default="1", help="cycle number 1–50 (default 1)")
    parser.add_argument(
        "--prior-epirubicin-mg-m2",
        metavar="MG_M2",
        default=None,
        help="cumulative epirubicin before this cycle, mg/m² (earlier cycles and epirubicin "
        "given with TACE; not doxorubicin); without it, cycle 1 counts from 0 and a later "
        "cycle is flagged 'unknown cumulative dose'",
    )
    parser.add_argument(
        "--prior-doxorubicin-mg-m2",
        metavar="MG_M2",
        default=None,
        help="cumulative doxorubicin given before (e.g. with TACE), mg/m² (default 0); "
        "never converted into epirubicin: the sheet warns instead",
    )
    parser.add_argument("--bilirubin-mg-dl", metavar="MG_DL", help="total bilirubin, mg/dL")
    parser.add_argument("--ast-u-l", metavar="U_L", help="AST, U/L (upper limit of normal 40)")
    parser.add_argument("--egfr", metavar="ML_MIN", help="eGFR or creatinine clearance, mL/min")


_FLOAT = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_INT = re.compile(r"[+-]?[0-9]+")

#: Why a value is not a number, as the cohort's checks say it (analysis/cohort.py, which this
#: module does not import): "--weight-kg 65,5", "--height-cm 170cm" and "--height-cm １７０"
#: said only "not a number".
_NUMBER_HINTS = (
    # a typeset minus (U+2212, pasted from a document)
    (lambda t: "\u2212" in t, "a Unicode minus sign, U+2212: type - instead"),
    (lambda t: re.fullmatch(r"[+-]?[0-9]+,[0-9]+", t), "use a decimal point, not a decimal comma"),
    (
        lambda t: any(ch.isdigit() and not ch.isascii() for ch in t),
        "digits 0-9: 170, not １７０ or ١٧٠",
    ),
    (
        # a unit is spaced from the number or two letters or more ("2x" is a typo, not a unit)
        lambda t: re.fullmatch(r"[+-]?[0-9]+(?:[.,][0-9]+)?(?:\s*[^\W\d_]{2,}|\s+[^\W\d_]+)\.?", t),
        "the number alone, without its unit",
    ),
)


def _printable(text: str) -> str:
    if file_name_identifier(text):  # a number or name typed in the wrong field, never repeated
        return MASKED
    text = text if len(text) <= 40 else text[:40] + "…"
    return "".join(ch if ch.isprintable() else ascii(ch)[1:-1] for ch in text)


def _parse_number(option: str, text, kind: str):
    """A plain ASCII decimal (Python's own int/float would take 1_000, '١٢' and 'nan')."""
    if text is None:
        return None
    stripped = str(text).strip()
    if not stripped:  # "--height-cm ''" (an unset shell variable) printed "--height-cm : ..."
        what = "a whole number" if kind == "int" else "a number"
        raise UsageError(f"{option} '': empty, not {what}")
    pattern = _INT if kind == "int" else _FLOAT
    if kind == "float" and stripped.lower().lstrip("+-") in ("nan", "inf", "infinity"):
        raise UsageError(f"{option} {_printable(stripped)}: not a finite number")
    if not pattern.fullmatch(stripped):
        what = "a whole number" if kind == "int" else "a number"
        hints = [h for test, h in _NUMBER_HINTS if test(stripped)]
        if kind == "int":  # "--cycle 2,0": a decimal point would be no whole number either
            hints = [h for h in hints if "decimal" not in h]
        hint = f" ({'; '.join(hints)})" if hints else ""
        raise UsageError(f"{option} {_printable(str(text))}: not {what}{hint}")
    if kind == "int":
        # far outside every range; no huge-int arithmetic (leading zeros are no magnitude)
        if len(stripped.lstrip("+-").lstrip("0")) > 6:
            raise UsageError(f"{option} {_printable(stripped)}: far outside the accepted range")
        return int(stripped)
    value = float(stripped) + 0.0  # "-0" is 0: the sheet printed "eGFR -0 mL/min"
    if not math.isfinite(value):
        raise UsageError(f"{option} {_printable(stripped)}: not a finite number")
    return value


def _parse(args: argparse.Namespace) -> dict:
    values = {}
    for option, (attribute, required, kind) in _NUMERIC.items():
        text = getattr(args, attribute)
        if required and text is None:
            raise UsageError(f"missing {option} (see: python -m analysis dose --help)")
        values[attribute] = _parse_number(option, text, kind)
    formula = str(args.formula).strip().lower()
    if formula not in ("mosteller", "dubois"):
        text = _printable(str(args.formula))
        shown = text if str(args.formula).strip() else f"'{text}'"  # blank: quoted, visible
        raise UsageError(f"--formula {shown}: must be mosteller or dubois")
    values["formula"] = formula
    values["egfr_ml_min"] = values.pop("egfr")
    if values["prior_doxorubicin_mg_m2"] is None:
        values["prior_doxorubicin_mg_m2"] = 0.0
    values["bmi_confirmed"] = bool(args.confirm_bmi)
    return values


def _format_sheet(sheet) -> str:
    """The dose sheet as an aligned text table (doses to 1 decimal)."""
    table = sheet.copy()
    table["infusion_hours"] = table["infusion_hours"].map(
        lambda h: "not stated" if math.isnan(h) else f"{h:g} h"
    )
    table["dose_mg_m2"] = table["dose_mg_m2"].map(lambda d: f"{d:g}")
    for column in ("dose_mg", "dose_mg_capped", "recommended_dose_mg"):
        if column in table:
            table[column] = table[column].map(lambda d: f"{d:.1f}")
    if "recommended_percent" in table:
        table["recommended_percent"] = table["recommended_percent"].map(lambda p: f"{p:g}%")
    table = table.drop(columns="cycle").rename(
        columns={
            "dose_mg_m2": "mg/m²",
            "dose_mg": "dose mg",
            "infusion_hours": "infusion",
            "dose_mg_capped": "capped mg",
            "recommended_percent": "recommended",
            "recommended_dose_mg": "recommended mg",
        }
    )
    return table.to_string(index=False)


def run(args: argparse.Namespace) -> int:
    """Print the dose sheet and its warnings; return 0 (bad input raises UsageError)."""
    values = _parse(args)
    try:
        sheet = ecf_dose_sheet(
            values.pop("height_cm"),
            values.pop("weight_kg"),
            **values,
        )
    except ValueError as exc:
        message = str(exc).replace("pass bmi_confirmed=True", "add --confirm-bmi")
        for argument, option in _ARGUMENT_OPTION.items():
            if message.startswith(argument):
                raise UsageError(f"{option}: {message}") from None
        raise UsageError(message) from None
    bsa_m2 = sheet.attrs["bsa_m2"]
    cycle = int(sheet["cycle"].iloc[0])
    if sheet.attrs.get("cumulative_epirubicin_known", True):
        cumulative = f"{sheet.attrs['cumulative_epirubicin_mg_m2']:g} mg/m²"
    else:
        cumulative = "UNKNOWN (give --prior-epirubicin-mg-m2)"
    doxorubicin = sheet.attrs["prior_doxorubicin_mg_m2"]
    if doxorubicin > 0:
        cumulative += f" (epirubicin only; prior doxorubicin {doxorubicin:g} mg/m² apart)"
    print(
        wrapped(
            f"ECF cycle {cycle} · BSA {bsa_m2:.2f} m² ({sheet.attrs['formula']}) · "
            f"BMI {sheet.attrs['bmi_text']} kg/m² · "
            f"cumulative epirubicin after this cycle {cumulative}"
        )
    )
    print()
    print(_format_sheet(sheet))
    print()
    warnings = sheet.attrs["warnings"]
    bmi_lo, bmi_hi = BMI_RANGE_KG_M2
    if args.confirm_bmi and bmi_lo <= sheet.attrs["bmi_kg_m2"] <= bmi_hi:
        # a --confirm-bmi kept in a command line reused for the next patient: said, so
        # that it is not taken as what made this sheet
        print(
            wrapped(
                f"note: --confirm-bmi was not needed: BMI {sheet.attrs['bmi_text']} kg/m² "
                f"is within {bmi_lo:g}–{bmi_hi:g} kg/m²; nothing was confirmed"
            ),
            file=sys.stderr,
        )
    if warnings:
        print(f"Warnings ({len(warnings)}):")
        for warning in warnings:
            print(wrapped(f"  - {warning}"))
    else:
        print("Warnings: none")
    return 0
