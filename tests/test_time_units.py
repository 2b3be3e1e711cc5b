"""Survival times in weeks or days instead of months: a warning (``time-unit``), not a refusal.

A cohort whose times were in weeks passed ``validate`` without a word (only days, with a median
above 120 or most times above 60 in whole numbers, were refused), and the book then printed
medians 4.35 times too long. No bound separates weeks from months cleanly, so the validator warns
(exit 0) when a time column of ten values or more has a median above
:data:`analysis.cohort.TIME_MEDIAN_MAX` months, or at least two values, and
:data:`analysis.cohort.TIME_LONG_SHARE` of them, above :data:`analysis.cohort.TIME_LONG_MONTHS`;
genuine months with a few long survivors (60 to 100 months) pass, and so does the book's cohort.
"""

from __future__ import annotations

import pandas as pd
import pytest
from cli_output import unwrapped
from cohort_runs import TINY_CHAPTER
from test_cli_hostile import call_cli

from analysis import COHORT_CSV
from analysis.__main__ import main
from analysis.cohort import (
    DAYS_PER_MONTH,
    TIME_LONG_MONTHS,
    TIME_LONG_SHARE,
    TIME_MEDIAN_MAX,
    WEEKS_PER_MONTH,
    check_cohort_file,
    load_cohort,
    time_unit_signs,
    validate_cohort,
    warning_lines,
)

TIMES = ["additional_tace_month", "response_month", "os_months", "pfs_months"]


def _book() -> pd.DataFrame:
    """The book's cohort, every cell as its text, with ids that no message may show."""
    frame = pd.read_csv(COHORT_CSV, dtype=str, keep_default_na=False)
    frame["patient_id"] = [f"ZQX{i:04d}" for i in range(len(frame))]
    return frame


def _scaled(frame: pd.DataFrame, factor: float, decimals: int) -> pd.DataFrame:
    """``frame`` with every time multiplied by ``factor`` (rounding keeps pfs <= os)."""
    out = frame.copy()
    for name in TIMES:
        filled = out[name] != ""
        values = out.loc[filled, name].astype(float) * factor
        out.loc[filled, name] = [f"{v:.{decimals}f}" for v in values.round(decimals)]
    return out


def _write(tmp_path, frame: pd.DataFrame, name: str = "mine.csv"):
    path = tmp_path / name
    frame.to_csv(path, index=False, lineterminator="\n")
    return path


def _validate(path, capsys) -> tuple[int, str, str]:
    return call_cli(["validate", str(path)], capsys)


def _time_warnings(out: str) -> list[str]:
    return [line for line in out.splitlines() if "look like weeks or days" in line]


def test_the_book_cohort_gives_no_warning(capsys):
    report = check_cohort_file(COHORT_CSV)
    assert report.problems == [] and report.warnings == []
    cohort = load_cohort()
    assert cohort.attrs["warnings"] == []
    assert all(time_unit_signs(cohort[name]) == [] for name in TIMES)
    code, out, _ = _validate(COHORT_CSV, capsys)
    assert code == 0 and out.startswith("OK: ") and "warning" not in out


def test_weeks_are_a_warning_naming_column_statistic_bound_and_factors(tmp_path, capsys):
    frame = _book()
    weeks = _scaled(frame, WEEKS_PER_MONTH, 0)  # whole weeks, as a chart records them
    path = _write(tmp_path, weeks)
    code, out, err = _validate(path, capsys)
    assert code == 0, out  # a warning: the file stays valid
    # the verdict first, counting the warnings listed under it (it was the last line)
    assert out.splitlines()[0].startswith(f"OK: {path}: 82 patients")
    assert out.splitlines()[0].endswith("; 2 warnings:")
    os_line, pfs_line = _time_warnings(out)
    assert os_line.startswith(
        "  - warning: column os_months: times look like weeks or days, not months: median 42.5 "
        f"above {TIME_MEDIAN_MAX} months (3 years) and 9 times above {TIME_LONG_MONTHS} months "
        "(10 years) ["
    )
    # PFS is shorter (the paper's median 4.7 months: 20 weeks), but its longest times are not
    assert pfs_line.startswith(
        "  - warning: column pfs_months: times look like weeks or days, not months: 5 times "
        f"above {TIME_LONG_MONTHS} months (10 years) ["
    )
    for line in (os_line, pfs_line):
        assert "divide by 4.348 (30.4375 / 7); if days, by 30.4375 (365.25 / 12)" in line
    # response and additional TACE come early: their times in weeks look like months
    assert "column response_month" not in out and "column additional_tace_month" not in out
    # never an id, never one patient's time (the longest OS, in weeks)
    assert "ZQX" not in out + err
    longest = weeks["os_months"].astype(float).max()
    assert f"{longest:g}" not in out
    # the library says the same, and load_cohort carries it
    report = check_cohort_file(path)
    assert report.problems == []
    assert [(w.code, w.column, w.severity) for w in report.warnings] == [
        ("time-unit", "os_months", "warning"),
        ("time-unit", "pfs_months", "warning"),
    ]
    assert [unwrapped(w) for w in warning_lines(report.warnings)] == [os_line, pfs_line]
    assert load_cohort(path).attrs["warnings"] == [str(w) for w in report.warnings]
    # a DataFrame is judged the same way (the warnings are among validate_cohort's problems)
    frame_codes = [p.code for p in validate_cohort(weeks)]
    assert frame_codes == ["time-unit", "time-unit"]


@pytest.mark.parametrize("chunk_rows", [1, 7, 50_000])
def test_the_same_whatever_the_chunks(tmp_path, chunk_rows):
    path = _write(tmp_path, _scaled(_book(), WEEKS_PER_MONTH, 0))
    warnings = check_cohort_file(path, chunk_rows=chunk_rows).warnings
    assert [w.column for w in warnings if w.code == "time-unit"] == ["os_months", "pfs_months"]


def test_days_the_refusal_misses_are_a_warning(tmp_path, capsys):
    """Days are refused when the median is above 120 or most times are above 60 in whole
    numbers; a short-lived cohort's days with decimals (a difference of date-times) escape
    that, and now get the warning."""
    short = _scaled(_book(), 0.16, 2)  # months: median OS 1.6, longest 7.7
    days = _scaled(short, DAYS_PER_MONTH, 1)
    path = _write(tmp_path, days)
    code, out, _ = _validate(path, capsys)
    assert code == 0, out
    assert "looks like days" not in out
    [os_line] = [line for line in _time_warnings(out) if "column os_months" in line]
    assert ": median 47.8 above 36 months (3 years)" in os_line
    assert "if days, by 30.4375" in os_line and "ZQX" not in out


def test_days_refused_as_days_are_not_warned_about_twice(tmp_path, capsys):
    path = _write(tmp_path, _scaled(_book(), DAYS_PER_MONTH, 0))
    code, out, _ = _validate(path, capsys)
    assert code == 1
    assert "column os_months: looks like days, not months (median" in out
    assert "if they are weeks, by 4.348 (30.4375 / 7)" in out  # whole weeks can look like days
    assert _time_warnings(out) == []


def test_months_with_a_few_long_survivors_give_no_warning(tmp_path, capsys):
    """Four patients alive at 62 to 100 months and one at 130 (a single time above 120 is one
    exceptional survivor, or a typing error, not a unit)."""
    frame = _book()
    for i, months in zip(range(5), ["62.3", "75.0", "88.4", "100.0", "130.2"], strict=True):
        frame.loc[i, ["os_months", "os_event"]] = [months, "0"]
    path = _write(tmp_path, frame)
    code, out, _ = _validate(path, capsys)
    assert code == 0 and out.startswith("OK: "), out
    assert "warning" not in out
    assert time_unit_signs(frame["os_months"].astype(float)) == []


def test_the_bounds():
    ten = [5.0] * 5 + [TIME_MEDIAN_MAX] * 5
    assert time_unit_signs(ten) == []  # a median of exactly 36 months
    assert time_unit_signs([5.0] * 4 + [TIME_MEDIAN_MAX + 0.2] * 6) == [
        "median 36.2 above 36 months (3 years)"
    ]
    n = int(round(2 / TIME_LONG_SHARE))  # 100: two long times are 2% of them
    long = [TIME_LONG_MONTHS + 1.0] * 2
    assert time_unit_signs([6.0] * (n - 2) + long) == ["2 times above 120 months (10 years)"]
    assert time_unit_signs([6.0] * (n - 1) + long) == []  # 2 of 101: below 2%
    assert time_unit_signs([6.0] * 9 + [TIME_LONG_MONTHS + 1.0]) == []  # one alone
    assert time_unit_signs([200.0] * 9 + [float("nan")]) == []  # nine times: too few to tell


def test_run_refusing_a_cohort_repeats_the_warning(tmp_path, capsys):
    """``run`` lists an invalid cohort's warnings beside its problems, as ``validate`` does."""
    weeks = _scaled(_book(), WEEKS_PER_MONTH, 0)
    weeks.loc[0, "sex"] = "X"
    path = _write(tmp_path, weeks)
    _, out, _ = _validate(path, capsys)
    expected = [line for line in out.splitlines() if line.startswith("  - warning: ")]
    assert len(expected) == 2 and all("look like weeks or days" in line for line in expected)
    try:
        code = main(["run", "--cohort", str(path), "--out", str(tmp_path / "r")])
    except SystemExit as exc:
        code = exc.code
    out, err = capsys.readouterr()
    err = unwrapped(err)  # each wrapped message on one line, as validate's
    assert code == 2 and out == ""
    assert [line for line in err.splitlines() if line.startswith("  - warning: ")] == expected
    assert "ZQX" not in err and not (tmp_path / "r").exists()


@pytest.mark.slow(seconds=8)
@pytest.mark.usefixtures("forked_kernels", "forked_programs")
def test_run_prints_the_warning_before_the_chapters_in_its_summary_and_on_the_report(
    tmp_path, capsys
):
    chapters = tmp_path / "chapters"
    chapters.mkdir()
    (chapters / "01-tiny.md").write_text(TINY_CHAPTER, encoding="utf-8")
    path = _write(tmp_path, _scaled(_book(), WEEKS_PER_MONTH, 0))
    expected = [unwrapped(w) for w in warning_lines(check_cohort_file(path).warnings)]
    assert len(expected) == 2
    argv = ["run", "--cohort", str(path), "--out", str(tmp_path / "r"), "--quiet"]
    try:
        code = main([*argv, "--chapters-dir", str(chapters)])
    except SystemExit as exc:
        code = exc.code
    out, err = map(unwrapped, capsys.readouterr())  # each wrapped message on one line
    assert code == 0, err
    lines = err.splitlines()
    assert [line for line in lines if line.startswith("  - warning: ")] == expected
    assert lines.index(expected[-1]) < lines.index("[1/1] 01-tiny")
    summary = out.splitlines()
    assert summary[0].startswith("ran 1 chapter (01-tiny)") and summary[1:3] == expected
    assert summary[0].endswith("; 2 cohort warnings:")
    assert "ZQX" not in out + err
    # the report's first page, the page a colleague opens, says it too: columns, no values
    page = " ".join((tmp_path / "r" / "index.html").read_text(encoding="utf-8").split())
    assert "Check the unit of the times" in page
    caution = page.split("Check the unit of the times")[1][:700]
    assert "os_months" in caution and "pfs_months" in caution
    assert "may be weeks or days" in caution and f"divide them by {WEEKS_PER_MONTH:.3f}" in caution
    assert "42.5" not in caution and "ZQX" not in page
