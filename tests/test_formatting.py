"""Unit tests of analysis.formatting that its doctests do not make on their own."""

from __future__ import annotations

import math

import pytest

from analysis import formatting


def test_a_negative_bound_is_joined_by_to_not_a_dash():
    """Review (session 21, item 5): chapter 6 printed SPSS's interval for more than 4 prior TACE
    as "(−0.6–7.4)", where the dash beside a minus reads as a subtraction. A range with a
    negative bound reads "−0.6 to 7.4"; every other range keeps its en dash."""
    assert formatting.median_interval(-0.61, 7.41) == "−0.6 to 7.4"
    assert formatting.interval(-0.61, 7.41, 1) == "−0.6 to 7.4"
    assert formatting.interval(-2.5, -0.25, 2) == "−2.50 to −0.25"
    assert formatting.interval(8.66, 11.04, 1) == "8.7–11.0"
    assert formatting.median_interval(8.66, math.nan) == "8.7–not reached"
    assert formatting.median_interval(math.nan, math.nan) == "not estimable"
    # a bound that rounds to zero prints without a minus (number): no bound reads negative
    assert formatting.interval(-0.04, 3.0, 1) == "0.0–3.0"
    assert formatting.hazard_ratio({"hr": 1.25, "lower": 0.69, "upper": 2.26}) == "1.25 (0.69–2.26)"


def test_a_range_whose_ends_print_the_same_is_one_number():
    """Review: chapter 8 printed "score 7: 2.5–2.5 deaths". formatting.range_text prints a range
    whose two ends print the same as one number, compared as printed (at the decimals asked,
    with separators, a true minus); formatting.interval keeps both bounds ("1.000–1.000", as the
    paper prints Table 2's AFP row)."""
    assert formatting.range_text(2.46, 2.54, 1) == "2.5"
    assert formatting.range_text(2.46, 2.56, 1) == "2.5–2.6"
    assert formatting.interval(1.0004, 0.9996, 3) == "1.000–1.000"
    assert formatting.range_text(1234.4, 1234.2, 0, thousands=True) == "1,234"
    assert formatting.range_text(1234.4, 1334.2, 0, thousands=True) == "1,234–1,334"
    assert formatting.range_text(-2.51, -2.49, 1) == "−2.5"
    assert formatting.range_text(-0.61, 7.41, 1) == "−0.6 to 7.4"
    assert formatting.range_text(math.nan, math.nan, 1) == "–"


def test_a_range_with_a_missing_end_or_backwards_reads_clearly():
    """Hostile review (2026-12-05): a missing end printed its en dash beside the range's own
    ("1.0––", and interval's "–––" for two missing bounds); a backwards range printed "5.0–3.0"
    as if it were one. A missing end (NaN, None, infinite) is joined by " to ", as a negative
    one is; range_text takes interval's ``missing`` and refuses a range whose lower end is above
    its upper one unless both print the same."""
    assert formatting.range_text(1.0, math.nan, 1) == "1.0 to –"
    assert formatting.range_text(math.nan, 2.0, 0) == "– to 2"
    # a word for the missing end keeps the en dash, as interval prints it
    assert formatting.range_text(1, math.inf, 0, missing="not reached") == "1–not reached"
    assert formatting.range_text(None, math.nan, 1, missing="n/a") == "n/a"
    assert formatting.interval(math.nan, math.nan, 1) == "– to –"
    assert formatting.interval(1.0, math.nan, 1) == "1.0 to –"
    assert formatting.interval(8.66, 11.04, 1) == "8.7–11.0"
    assert formatting.range_text(-1234.5, 5678.9, 0, thousands=True) == "−1,235 to 5,679"
    assert formatting.range_text(-0.04, 0.04, 1) == "0.0"
    with pytest.raises(ValueError, match="above"):
        formatting.range_text(5, 3, 1)
    assert formatting.range_text(2.5 + 1e-12, 2.5 - 1e-12, 1) == "2.5"


def test_an_interval_whose_bounds_print_backwards_is_refused():
    """Reported defect: formatting.interval printed a backwards interval ("5.0–3.0") as if it
    were one, where its sibling range_text refused it. An estimate's interval keeps both bounds
    when they print alike, whatever their order ("1.000–1.000"), and keeps missing bounds as
    before; bounds that print apart in the wrong order are a ValueError naming both."""
    with pytest.raises(ValueError, match=r"interval: lower 5\.0 is above upper 3\.0"):
        formatting.interval(5.0, 3.0, 1)
    with pytest.raises(ValueError, match="above"):
        formatting.interval(-0.25, -2.5, 2)
    with pytest.raises(ValueError, match="above"):
        formatting.interval(1335.0, 1234.0, 0, thousands=True)
    with pytest.raises(ValueError, match="above"):  # through hazard_ratio too
        formatting.hazard_ratio({"hr": 1.0, "lower": 2.26, "upper": 0.69})
    # printed alike: both bounds, in either order
    assert formatting.interval(1.0004, 0.9996, 3) == "1.000–1.000"
    assert formatting.interval(2.5 + 1e-12, 2.5 - 1e-12, 1) == "2.5–2.5"
    assert formatting.interval(-0.04, -0.01, 1) == "0.0–0.0"
    # a missing bound is no order: as before
    assert formatting.interval(5.0, math.nan, 1) == "5.0 to –"
    assert formatting.interval(None, 3.0, 1) == "– to 3.0"
    assert formatting.interval(math.inf, 3.0, 1) == "– to 3.0"
    assert formatting.interval(5.0, -math.inf, 1, missing="not reached") == "5.0–not reached"


def test_wrapped_keeps_every_word_within_the_width_under_its_item():
    """A printed message a chapter wraps (chapter 10's validator lines, up to 204 characters):
    every line at most LINE_WIDTH, the words and their order kept, continuation lines indented
    under their item, lines that fit and a word longer than a line left whole."""
    from analysis.formatting import LINE_WIDTH, wrapped

    message = "  - column sex: must be one of M, F — 1 row: " + "word " * 60 + "end"
    text = wrapped(f"header\n{message}\n\n{'x' * 90}")
    lines = text.split("\n")
    assert lines[0] == "header" and "" in lines and lines[-1] == "x" * 90
    body = lines[1 : lines.index("")]
    assert len(body) > 1 and all(len(line) <= LINE_WIDTH for line in body)
    assert all(line.startswith("    ") and line[4] != " " for line in body[1:])
    assert " ".join(" ".join(body).split()) == " ".join(message.split())
    assert wrapped("a b c d", 3, indent="") == "a b\nc d"


def test_a_value_in_words_gets_no_unit():
    """Audit (session 25): chapter 6 glued "not reached" and set "months" after it in the prose
    ("the median OS is not reached months" on a cohort whose curve stays above one half). The
    value is glued with its unit, which follows a number or a range only."""
    from analysis.formatting import NOT_REACHED, median_interval, median_text, with_unit

    assert with_unit(median_text(9.94), "month") == "9.9 months"
    assert with_unit(median_text(1.0, 0), "month") == "1 month"
    assert with_unit(median_text(math.nan), "month") == NOT_REACHED
    assert with_unit(median_interval(8.66, 11.04), "month") == "8.7–11.0 months"
    assert with_unit(median_interval(-0.61, 7.41), "month") == "−0.6 to 7.4 months"
    for words in (
        median_interval(math.nan, math.nan),  # not estimable
        median_interval(8.66, math.nan),  # 8.7–not reached
        "not estimable (median not reached)",
        "not shown (fewer than 5 patients)",
    ):
        assert with_unit(words, "month") == words


def test_a_count_with_its_noun_is_singular_for_one_and_separated_by_thousands():
    """Audit (session 25): chapter 7's feasibility table read "needs ≥ 1 deaths", chapter 1's
    note "misses 2.362 by 1655.0 units"; both were f-strings."""
    assert formatting.quantity(1, "death") == "1 death"
    assert formatting.quantity(2, "death") == "2 deaths"
    assert formatting.quantity(1655.04, "unit", 1, thousands=True) == "1,655.0 units"
    assert formatting.quantity(-1234, "unit", thousands=True) == "−1,234 units"


def test_a_count_prints_with_thousands_separators_from_1000():
    """A user's cohort of 2,000 patients read "add up to 4417 for 2000 patients" (chapter 2):
    number_word returned str(n) from ten, and the chapters formatted counts with f-strings.
    Every count goes through formatting.count; number_word uses it from ten."""
    assert [formatting.count(n) for n in (0, 7, 82, 999, 1000, 4417, 12345, 1_000_000)] == [
        "0", "7", "82", "999", "1,000", "4,417", "12,345", "1,000,000",
    ]  # fmt: skip
    import numpy as np

    assert formatting.count(np.int64(2000)) == "2,000" and formatting.count(1832.0) == "1,832"
    assert formatting.count(None) == "–" and formatting.count(math.nan, missing="?") == "?"
    assert formatting.count("<5") == "<5" and formatting.count("hidden") == "hidden"
    for bad in (2.5, True):
        try:
            formatting.count(bad)
        except ValueError:
            continue
        raise AssertionError(f"count({bad!r}) should refuse a number that is not a count")
    assert [formatting.number_word(n) for n in (3, 10, 999, 1000, 4417)] == [
        "three", "10", "999", "1,000", "4,417",
    ]  # fmt: skip


def test_count_value_reads_a_shown_count_back_and_nothing_else():
    """The test prose asks of a glued count instead of str.isdigit ("4,417" is not digits)."""
    assert [formatting.count_value(formatting.count(n)) for n in (0, 82, 4417, 1_000_000)] == [
        0, 82, 4417, 1_000_000,
    ]  # fmt: skip
    assert formatting.count_value("4417") == 4417  # a count printed before this convention
    for text in ("<5", "hidden", "", "4,417.5", "1,23", "12,3456", "−3", "４４", "not shown"):
        assert formatting.count_value(text) is None, text


def test_a_confidence_level_near_one_is_never_printed_as_100_percent():
    """Hostile pass (session 118): ``-p confidence_level=0.999999`` gave chapter 5 "Wilson
    100.0% intervals" and "two 100.0% confidence intervals" (one decimal, rounded)."""
    from analysis.formatting import level

    assert level(0.999999) == "99.9999%"
    assert level(0.9512) == "95.12%"
    assert level(0.95) == "95%" and level(0.975) == "97.5%"
    assert level(1e-6) == "0.0001%"
