"""What a claim's printed text says, read back from the LaTeX, and whether it says it honestly.

The ledger formats each number (:func:`generator.ledger.format_number`); this
module parses the printed text independently and checks it against the value:
rounded to nearest within half a unit of its last digit, or, for a number the
text quotes as a bound, rounded outward (up for "at most", down for "at
least") by less than one unit.  A formatter that rounds the wrong way, drops a
digit or prints the wrong power of ten is caught here, not by the reader.
"""

from __future__ import annotations

import math
import re
from fractions import Fraction

_POWER = re.compile(r"^(-?)(?:(\d+(?:\.(\d+))?)\\times\s*)?10\^\{(-?\d+)\}$")
_DECIMAL = re.compile(r"^-?\d+(?:\.(\d+))?$")
_FRACTION = re.compile(r"^-?\d+/\d+$")


def _strip(latex: str) -> str:
    text = latex.strip()
    match = re.fullmatch(r"\\ensuremath\{(.*)\}", text)
    return (match.group(1) if match else text).replace("\\,", "").replace(" ", "")


def printed_number(latex: str) -> tuple[Fraction | float, float] | None:
    """``(number, unit)``: the number a claim's LaTeX prints and the unit of its last digit.

    ``unit`` is 0 for an exact fraction.  Returns None for text that is not a
    number (an infinite or NaN value prints as ``\\texttt{inf}``).
    """
    text = _strip(latex)
    scale = 1.0
    if text.endswith("\\%"):
        text, scale = text[:-2], 0.01
    if _FRACTION.match(text):
        return Fraction(text), 0.0
    match = _POWER.match(text)
    if match:
        sign, mantissa, decimals, exponent = match.groups()
        power = 10.0 ** int(exponent)
        number = float(mantissa or "1") * power * (-1 if sign else 1)
        unit = 10.0 ** -len(decimals or "") * power
        return number, unit
    match = _DECIMAL.match(text)
    if match:
        return float(text) * scale, 10.0 ** -len(match.group(1) or "") * scale
    return None


def dishonest_text(value, latex: str, rounding: str, resolution: float | None = None) -> str | None:
    """Why ``latex`` misprints ``value`` (rounded as ``rounding`` says), or None when it is honest.

    With a ``resolution``, the text is an upper bound of ``max(value, resolution)``.
    """
    if resolution is not None and value < resolution:
        value = resolution
    parsed = printed_number(latex)
    if parsed is None:
        return None if not math.isfinite(float(value)) else f"the text {latex!r} is not a number"
    number, unit = parsed
    if unit == 0.0:
        return None if Fraction(value) == number else f"prints {number} for the exact value {value}"
    value, number = float(value), float(number)
    slack = 1e-9 * max(abs(value), unit)
    if rounding == "up" and not value - slack <= number < value + unit + slack:
        return f"prints {number:g} as an upper bound of {value!r}"
    if rounding == "down" and not value - unit - slack < number <= value + slack:
        return f"prints {number:g} as a lower bound of {value!r}"
    if rounding == "nearest" and abs(number - value) > unit / 2 + slack:
        return f"prints {number:g} for {value!r}, more than half a unit of its last digit away"
    return None
