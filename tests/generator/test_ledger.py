"""The claim ledger machinery: checks can fail, numbers print as a mathematician reads them, JSON round-trips."""

from __future__ import annotations

import math
from fractions import Fraction

import pytest

from generator import ledger as L


@pytest.mark.parametrize(
    ("check", "passing", "failing"),
    [
        (L.at_most(1e-10), 1e-11, 2e-10),
        (L.at_least(1.0), 1.0, 0.999),
        (L.less_than(0.0), -1.0, 0.0),
        (L.greater_than(0.0), 1e-300, 0.0),
        (L.equals(3), 3, 4),
        (L.between(0.25, 0.5), 0.5, 0.51),
        (L.within_standard_errors(Fraction(7, 16), 0.01, 4), 0.47, 0.48),
    ],
)
def test_checks_can_fail(check, passing, failing):
    assert check.holds(passing)
    assert not check.holds(failing)
    assert not check.holds(math.nan)


def test_bound_expressions_print_as_written_and_compare_exactly():
    check = L.at_least("1 - 1e-12")
    assert check.text == ">= 1 - 1e-12"
    assert check.holds(1 - 1e-12) and not check.holds(1 - 2e-12)
    assert L.between("-1 - 1e-3", "2**-3").args == (-1.001, 0.125)
    for bad in ("__import__('os')", "x + 1", "[1]", "1 if 1 else 2"):
        with pytest.raises(ValueError):
            L.at_most(bad)


def test_check_text_is_exact():
    assert L.at_most(1e-10).text == "<= 1e-10"
    assert L.within_standard_errors(Fraction(7, 16), 0.0123, 4).text == "within 4 SE (0.012) of 7/16"


@pytest.mark.parametrize(
    ("value", "style", "digits", "text"),
    [
        (3.2e-11, "sci", 2, r"\ensuremath{3.2\times 10^{-11}}"),
        (0.25, "sci", 2, "0.25"),
        (1234.6, "sci", 3, "1235"),
        (-0.5, "fixed", 2, r"\ensuremath{-0.50}"),
        (12345, "int", 0, r"12\,345"),
        (2000, "int", 0, "2000"),
        (0.4375, "percent", 1, r"43.8\,\%"),
        (0, "sci", 2, "0"),
    ],
)
def test_format_number(value, style, digits, text):
    assert L.format_number(value, style, digits) == text


@pytest.mark.parametrize(
    ("value", "style", "digits", "rounding", "text"),
    [
        (1.199e-4, "sci", 1, "up", r"\ensuremath{2\times 10^{-4}}"),
        (1.199e-4, "sci", 1, "down", r"\ensuremath{10^{-4}}"),
        (0.1234, "sci", 2, "up", "0.13"),
        (0.1234, "fixed", 2, "down", "0.12"),
        (9.99e-5, "sci", 2, "up", r"\ensuremath{10^{-4}}"),
        (9.99e-5, "sci", 2, "nearest", r"\ensuremath{1.0\times 10^{-4}}"),
        (-0.1234, "fixed", 2, "up", r"\ensuremath{-0.12}"),
    ],
)
def test_directed_rounding_never_crosses_the_value(value, style, digits, rounding, text):
    assert L.format_number(value, style, digits, rounding) == text


@pytest.mark.parametrize(
    ("latex", "plain"),
    [(r"\ensuremath{3.2\times 10^{-11}}", "3.2e-11"), (r"12\,345", "12345"), (r"43.8\,\%", "43.8%"),
     (r"\ensuremath{-0.50}", "-0.50"), ("0.25", "0.25")],
)
def test_plain_text(latex, plain):
    assert L.plain_text(latex) == plain


def test_claim_json_round_trip():
    led = L.Ledger(problem=2)
    led.claim("x", 0.5, L.between(0, 1), source=test_claim_json_round_trip, description="d")
    again = L.Ledger.from_json(led.to_json())
    assert again == led
    assert again.claims[0].source.endswith("test_claim_json_round_trip")


@pytest.mark.parametrize("name", ["P1_x", "p5_x", "p1-x", "p1_", "x"])
def test_bad_claim_names_are_rejected(name):
    with pytest.raises(ValueError):
        L.Claim(name, 1, 1.0, L.at_most(1), "1", "s", "d")


def test_claim_value_must_be_a_number():
    with pytest.raises(ValueError):
        L.Claim("p1_x", 1, True, L.at_most(1), "1", "s", "d")


def test_exact_fractions_are_checked_exactly_and_survive_json():
    check = L.equals_exactly(Fraction(75, 128))
    assert check.holds(Fraction(75, 128))
    assert not check.holds(Fraction(75, 128) + Fraction(1, 10**12))
    assert not check.holds(75 / 128), "a float is never equal to an exact fraction"
    led = L.Ledger(problem=3)
    led.claim("p", Fraction(-3, 8), L.equals_exactly(Fraction(-3, 8)), source=L.Ledger, description="d", style="fraction")
    assert led.claims[0].text == r"\ensuremath{-3/8}"
    assert L.Ledger.from_json(led.to_json()) == led
    with pytest.raises(ValueError):
        L.equals_exactly(0.375)


def test_binomial_false_alarm_is_the_exact_two_sided_tail():
    # Brute force over every outcome of a small binomial.
    n, p, k = 60, Fraction(1, 3), 2.0
    se = math.sqrt(float(p) * (1 - float(p)) / n)
    tail = sum(
        math.comb(n, x) * float(p) ** x * (1 - float(p)) ** (n - x)
        for x in range(n + 1)
        if abs(x / n - float(p)) > k * se
    )
    assert L.binomial_false_alarm(p, n, k) == pytest.approx(tail, rel=1e-9)
    check = L.binomial_within(Fraction(7, 16), 12800)
    assert "false alarm 6e-05" in check.text
    assert check.holds(7 / 16 + 0.017) and not check.holds(7 / 16 + 0.018)


def test_an_exact_power_of_ten_prints_without_mantissa():
    assert L.format_number(1e5) == r"\ensuremath{10^{5}}"
    assert L.format_number(1e-12, rounding="up") == r"\ensuremath{10^{-12}}"
    assert L.format_number(1.04e5) == r"\ensuremath{1.0\times 10^{5}}"


def test_an_infinite_or_nan_bound_prints_and_fails_instead_of_crashing():
    led = L.Ledger(problem=1)
    for value in (math.inf, math.nan):
        claim = led.claim("x", value, L.at_most(1e-10), source=L.Ledger, description="d", rounding="up")
        assert not claim.passed
