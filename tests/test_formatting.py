"""Unit tests of analysis.formatting that its doctests do not make on their own."""

from __future__ import annotations

import math

from analysis import formatting


def test_a_negative_bound_is_joined_by_to_not_a_dash():
    """Review (session 21, item 5): chapter 06 printed SPSS's interval for more than 4 prior TACE
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
