"""Reading a claim's printed text back: the build refuses a number printed dishonestly."""

from __future__ import annotations

import math
from fractions import Fraction

import pytest

from generator.ledger import format_number
from pipeline.printed import dishonest_text, printed_number


@pytest.mark.parametrize(
    ("latex", "number", "unit"),
    [
        (r"\ensuremath{3.2\times 10^{-11}}", 3.2e-11, 1e-12),
        ("0.25", 0.25, 0.01),
        (r"12\,345", 12345.0, 1.0),
        (r"43.8\,\%", 0.438, 0.001),
        (r"\ensuremath{-0.50}", -0.5, 0.01),
        (r"\ensuremath{10^{-14}}", 1e-14, 1e-14),
        (r"\ensuremath{-3/8}", Fraction(-3, 8), 0.0),
    ],
)
def test_every_printed_form_is_read_back(latex, number, unit):
    read, read_unit = printed_number(latex)
    assert read == pytest.approx(number, rel=1e-12) and read_unit == pytest.approx(unit, rel=1e-12)


@pytest.mark.parametrize(
    ("value", "style", "digits", "rounding"),
    [
        (1.03e-14, "sci", 1, "up"),
        (1.03e-14, "order", 1, "up"),
        (0.7071067811865476, "sci", 4, "nearest"),
        (0.0566, "sci", 2, "down"),
        (12345, "int", 0, "nearest"),
        (0.4375, "percent", 1, "nearest"),
        (-0.1234, "fixed", 2, "up"),
        (Fraction(53, 128), "fraction", 0, "nearest"),
        (1e5, "sci", 2, "nearest"),
    ],
)
def test_the_ledgers_texts_are_honest(value, style, digits, rounding):
    assert dishonest_text(value, format_number(value, style, digits, rounding), rounding) is None


@pytest.mark.parametrize(
    ("value", "latex", "rounding", "why"),
    [
        (1.03e-14, r"\ensuremath{10^{-14}}", "up", "upper bound"),  # a power of ten below the value
        (1.03e-14, r"\ensuremath{1\times 10^{-14}}", "up", "upper bound"),  # rounded down
        (0.0566, "0.057", "down", "lower bound"),  # rounded up
        (0.7071, "0.70", "nearest", "half a unit"),  # truncated, not rounded: 0.70 is 0.0071 away
        (0.7071, "0.8071", "nearest", "half a unit"),
        (Fraction(53, 128), "53/127", "nearest", "exact value"),
        (1.5, r"\ensuremath{2\times 10^{-1}}", "nearest", "half a unit"),  # wrong power of ten
    ],
)
def test_a_dishonest_text_is_named(value, latex, rounding, why):
    assert why in dishonest_text(value, latex, rounding)


def test_a_non_finite_value_is_left_to_its_check():
    assert dishonest_text(math.nan, format_number(math.nan), "nearest") is None


@pytest.mark.parametrize("value", [0.0, 3e-17, 1e-15, 4e-15])
def test_a_value_below_its_resolution_prints_as_the_resolution(value):
    from generator.ledger import Ledger, at_most

    claim = Ledger(problem=4).claim("x", value, at_most(1e-14), source=format_number, description="d",
                                    style="order", rounding="up", resolution=1e-15)
    assert claim.text == (r"\ensuremath{10^{-15}}" if value <= 1e-15 else r"\ensuremath{10^{-14}}")
    assert dishonest_text(claim.value, claim.text, "up", claim.resolution) is None


def test_a_resolution_does_not_excuse_a_bound_below_the_value():
    assert "upper bound" in dishonest_text(4e-15, r"\ensuremath{10^{-15}}", "up", 1e-15)


@pytest.mark.parametrize(("style", "rounding"), [("sci", "up"), ("order", "nearest")])
def test_a_resolution_needs_an_upper_bound_in_powers_of_ten(style, rounding):
    from generator.ledger import Ledger, at_most

    with pytest.raises(ValueError, match="resolution"):
        Ledger(problem=4).claim("x", 0.0, at_most(1), source=format_number, description="d",
                                style=style, rounding=rounding, resolution=1e-15)
