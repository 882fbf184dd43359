"""The claim ledger: named numbers, each with a check that can fail.

A *claim* is a value computed by generator code together with

* a :class:`Check` -- a predicate such as ``<= 1e-10`` or ``within 4 SE of 7/16``
  that the build evaluates and that a test asserts;
* the exact text the PDF prints for it (LaTeX, produced by :func:`format_number`);
* the problem it belongs to and the generator function that computed it.

Templates cite claims by name only (``\\VAR{c.p1_gradient_fd_error}``), so no
computed number is ever typed into a template.  A *parameter* is an input of an
experiment (a depth, a seed, a sample count): it is printed but not checked,
because nothing was measured.  Figures are recorded with the function that drew
them so that captions can name it.

This module is pure Python on purpose: the build reloads cached results and
re-evaluates every check without importing numpy or matplotlib.
"""

from __future__ import annotations

import ast
import math
import re
from dataclasses import dataclass, field
from fractions import Fraction
from numbers import Integral, Real

NAME_PATTERN = re.compile(r"^p[1-4]_[a-z0-9_]+$")
FIGURE_FILE_PATTERN = re.compile(r"^p[1-4]_[a-z0-9_]+\.pdf$")


def _plain_number(value: float) -> str:
    """Shortest round-trip decimal text of ``value`` (``1e-8``, ``0.25``, ``1e20``)."""
    if isinstance(value, Integral):
        return str(int(value))
    if float(value).is_integer() and abs(value) < 1e15:
        return str(int(value))
    return re.sub(r"e([+-])0*(\d)", lambda m: f"e{m.group(1).replace('+', '')}{m.group(2)}", repr(float(value)))


_ARITHMETIC = {
    ast.Add: lambda a, b: a + b,
    ast.Sub: lambda a, b: a - b,
    ast.Mult: lambda a, b: a * b,
    ast.Div: lambda a, b: a / b,
    ast.Pow: lambda a, b: a**b,
}


def _evaluate(node: ast.AST) -> float:
    """Value of an arithmetic expression made of number literals only."""
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)):
        return node.value
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        operand = _evaluate(node.operand)
        return -operand if isinstance(node.op, ast.USub) else operand
    if isinstance(node, ast.BinOp) and type(node.op) in _ARITHMETIC:
        return _ARITHMETIC[type(node.op)](_evaluate(node.left), _evaluate(node.right))
    raise ValueError("a bound expression may hold only numbers and + - * / **")


def _bound(bound) -> tuple[float, str]:
    """A bound's value and its printed text.

    ``bound`` is a number, a :class:`fractions.Fraction` (printed exactly, as
    ``7/16``) or an arithmetic expression of numbers such as ``"1 - 1e-12"``,
    which is printed as written and evaluated here, so the text always says
    exactly what is compared.
    """
    if isinstance(bound, str):
        return float(_evaluate(ast.parse(bound, mode="eval").body)), " ".join(bound.split())
    if isinstance(bound, Fraction):
        return float(bound), str(bound)
    if isinstance(bound, bool) or not isinstance(bound, Real):
        raise ValueError(f"a bound must be a number, a Fraction or an expression, got {bound!r}")
    return (int(bound) if isinstance(bound, Integral) else float(bound)), _plain_number(bound)


@dataclass(frozen=True)
class Check:
    """A predicate on a claim's value, with its description.

    Use the constructors :func:`at_most`, :func:`at_least`, :func:`less_than`,
    :func:`greater_than`, :func:`equals`, :func:`equals_exactly`,
    :func:`between`, :func:`binomial_within` and :func:`within_standard_errors`;
    they give the check a text that says exactly what is tested.
    """

    kind: str
    args: tuple
    text: str

    def holds(self, value: float) -> bool:
        """Evaluate the predicate; a NaN never satisfies any check."""
        if isinstance(value, float) and math.isnan(value):
            return False
        a = self.args
        if self.kind == "<=":
            return value <= a[0]
        if self.kind == ">=":
            return value >= a[0]
        if self.kind == "<":
            return value < a[0]
        if self.kind == ">":
            return value > a[0]
        if self.kind == "==":
            return value == a[0]
        if self.kind == "between":
            return a[0] <= value <= a[1]
        if self.kind == "within_se":
            target, standard_error, k = a[0], a[1], a[2]
            return abs(value - target) <= k * standard_error
        if self.kind == "fraction==":
            return isinstance(value, (Integral, Fraction)) and Fraction(value) == Fraction(a[0])
        if self.kind == "binomial":
            probability, samples, k = Fraction(a[0]), a[1], a[2]
            return abs(value - float(probability)) <= k * _binomial_standard_error(probability, samples)
        raise ValueError(f"unknown check kind {self.kind!r}")

    def to_json(self) -> dict:
        return {"kind": self.kind, "args": list(self.args), "text": self.text}

    @classmethod
    def from_json(cls, data: dict) -> "Check":
        return cls(data["kind"], tuple(data["args"]), data["text"])


Bound = float | int | Fraction | str
"""A number, an exact fraction, or an arithmetic expression such as ``"1 - 1e-12"``."""


def _relation(kind: str, bound: Bound) -> Check:
    value, text = _bound(bound)
    return Check(kind, (value,), f"{kind} {text}")


def at_most(bound: Bound) -> Check:
    """``value <= bound``."""
    return _relation("<=", bound)


def at_least(bound: Bound) -> Check:
    """``value >= bound``."""
    return _relation(">=", bound)


def less_than(bound: Bound) -> Check:
    """``value < bound``."""
    return _relation("<", bound)


def greater_than(bound: Bound) -> Check:
    """``value > bound``."""
    return _relation(">", bound)


def equals(expected: Bound) -> Check:
    """``value == expected`` exactly; meant for counts and exact integers."""
    return _relation("==", expected)


def between(low: Bound, high: Bound) -> Check:
    """``low <= value <= high``."""
    (low_value, low_text), (high_value, high_text) = _bound(low), _bound(high)
    return Check("between", (low_value, high_value), f"in [{low_text}, {high_text}]")


def equals_exactly(expected: Fraction | int) -> Check:
    """``value == expected`` in exact rational arithmetic (the value must be exact too)."""
    if isinstance(expected, bool) or not isinstance(expected, (Integral, Fraction)):
        raise ValueError(f"equals_exactly needs an integer or a Fraction, got {expected!r}")
    return Check("fraction==", (str(Fraction(expected)),), f"== {Fraction(expected)} exactly")


def _binomial_standard_error(probability: Fraction, samples: int) -> float:
    """``sqrt(p (1 - p) / n)``: the standard error of a frequency of ``n`` Bernoulli(p) draws."""
    p = float(probability)
    return math.sqrt(p * (1.0 - p) / samples)


def _log_binomial_pmf(x: int, samples: int, p: float) -> float:
    return (
        math.lgamma(samples + 1)
        - math.lgamma(x + 1)
        - math.lgamma(samples - x + 1)
        + x * math.log(p)
        + (samples - x) * math.log1p(-p)
    )


def binomial_false_alarm(probability: Fraction, samples: int, k: float) -> float:
    """Probability that a correct frequency of ``samples`` draws fails :func:`binomial_within`.

    The exact two-sided tail ``P(|X/n - p| > k sqrt(p(1-p)/n))`` of
    ``X ~ Binomial(n, p)``, summed outward from the two cut-off points until the
    terms no longer change the sum (they decay faster than geometrically).
    """
    p = float(probability)
    if p in (0.0, 1.0):
        return 0.0
    half_width = k * _binomial_standard_error(probability, samples) * samples
    centre = samples * p
    total = 0.0
    for start, stop, step in (
        (math.ceil(centre - half_width) - 1, -1, -1),
        (math.floor(centre + half_width) + 1, samples + 1, 1),
    ):
        for x in range(start, stop, step):
            if abs(x - centre) <= half_width:  # float guard at the cut-off itself
                continue
            term = math.exp(_log_binomial_pmf(x, samples, p))
            total += term
            if term < 1e-17 * max(total, 1e-300):
                break
    return total


def binomial_within(probability: Fraction, samples: int, k: float = 4.0) -> Check:
    """A Monte Carlo frequency of ``samples`` independent draws, each a success
    with the exactly known ``probability``: ``|value - p| <= k sqrt(p(1-p)/n)``.

    The tolerance comes from the reference ``p`` and the sample size alone,
    never from the code under test, and the check's text states its false-alarm
    probability (:func:`binomial_false_alarm`), so a reader knows how often a
    correct implementation would be refused.
    """
    if not isinstance(probability, Fraction) or not 0 <= probability <= 1:
        raise ValueError(f"binomial_within needs an exact probability in [0, 1], got {probability!r}")
    if isinstance(samples, bool) or not isinstance(samples, Integral) or samples < 1:
        raise ValueError(f"binomial_within needs a positive sample count, got {samples!r}")
    alarm = binomial_false_alarm(probability, int(samples), k)
    return Check(
        "binomial",
        (str(probability), int(samples), float(k)),
        f"within {_plain_number(k)} SE ({_binomial_standard_error(probability, samples):.2g}) of "
        f"{probability} for n = {int(samples)} (false alarm {alarm:.1g})",
    )


def within_standard_errors(target: Bound, standard_error: float, k: float = 4.0) -> Check:
    """``|value - target| <= k * standard_error`` (a Monte Carlo estimate).

    ``target`` may be a :class:`fractions.Fraction`, which is then printed
    exactly (``7/16``).
    """
    if not standard_error > 0:
        raise ValueError("within_standard_errors needs a positive standard error")
    target_value, target_text = _bound(target)
    return Check(
        "within_se",
        (target_value, float(standard_error), float(k)),
        f"within {_plain_number(k)} SE ({standard_error:.2g}) of {target_text}",
    )


def _round_directed(value: float, style: str, digits: int, rounding: str) -> float:
    """``value`` rounded up or down to the digits ``style`` prints.

    A printed upper bound must not be rounded down (nor a lower bound up):
    ``rounding="up"`` makes the printed number at least ``value``.
    """
    if rounding == "nearest" or value == 0 or style == "int" or not math.isfinite(value):
        return value  # an infinite or NaN bound prints as such, and its check fails
    if rounding not in ("up", "down"):
        raise ValueError(f"rounding must be 'nearest', 'up' or 'down', got {rounding!r}")
    if style == "sci":
        exponent = math.floor(math.log10(abs(value)))
        places = digits - 1 - exponent
        if -2 <= exponent < 4:
            places = max(places, 0)
    else:
        places = digits + (2 if style == "percent" else 0)
    scale = 10.0**places
    directed = math.ceil if rounding == "up" else math.floor
    return directed(value * scale) / scale


ROUNDINGS = ("nearest", "up", "down")


def _power_of_ten(value: float, rounding: str) -> str:
    """A positive ``value`` as the power of ten above it (``up``), below it (``down``) or nearest.

    For numbers at rounding level, whose digits another correct implementation
    would change: only their order of magnitude is meaningful.
    """
    if not value > 0 or not math.isfinite(value):
        return f"\\texttt{{{value}}}" if not math.isfinite(value) else _plain_number(value)
    exponent = {"up": math.ceil, "down": math.floor, "nearest": round}[rounding](math.log10(value))
    return f"\\ensuremath{{10^{{{int(exponent)}}}}}"


def format_number(value: float, style: str = "sci", digits: int = 2, rounding: str = "nearest") -> str:
    """LaTeX text for ``value``.

    Parameters
    ----------
    value : float or int
        The number.
    style : {"sci", "fixed", "int", "percent", "fraction", "order"}
        ``sci``: ``digits`` significant digits, with a power of ten when the
        magnitude is outside ``[1e-2, 1e4)`` (an exact power of ten prints as
        ``10^{k}``, not ``1.0 \times 10^{k}``); ``fixed``: ``digits`` decimals;
        ``fraction``: an exact rational ``a/b`` (the value must be a Fraction);
        ``order``: the power of ten above (``rounding="up"``) or below the value;
        ``int``: an integer, thin-space grouped from five digits on; ``percent``: ``100 * value``
        with ``digits`` decimals and a percent sign.
    digits : int
        Significant digits (``sci``) or decimals (``fixed``, ``percent``).
    rounding : {"nearest", "up", "down"}
        Direction of rounding to the printed digits; ``"up"`` for a value
        quoted as an upper bound, ``"down"`` for a lower bound.

    Returns
    -------
    str
        LaTeX that works in text and in math mode alike (``\\ensuremath``
        where it needs mathematics).
    """
    if style == "order":
        return _power_of_ten(value, rounding)
    if style == "fraction":
        if not isinstance(value, (Integral, Fraction)):
            raise ValueError(f"style 'fraction' needs an exact value, got {value!r}")
        text = str(Fraction(value))
        return f"\\ensuremath{{{text}}}" if text.startswith("-") else text
    value = _round_directed(value, style, digits, rounding)
    if style == "int":
        n = int(round(value))
        grouped = f"{abs(n):,}".replace(",", "\\,") if abs(n) >= 10_000 else str(abs(n))
        return f"\\ensuremath{{-{grouped}}}" if n < 0 else grouped
    if style == "fixed":
        text = f"{value:.{digits}f}"
        return f"\\ensuremath{{{text}}}" if text.startswith("-") else text
    if style == "percent":
        return f"{100 * value:.{digits}f}\\,\\%"
    if style != "sci":
        raise ValueError(f"unknown number style {style!r}")
    if value == 0:
        return "0"
    if math.isinf(value) or math.isnan(value):
        return f"\\texttt{{{value}}}"
    exponent = math.floor(math.log10(abs(value)))
    if -2 <= exponent < 4:
        decimals = max(digits - 1 - exponent, 0)
        text = f"{value:.{decimals}f}"
        return f"\\ensuremath{{{text}}}" if text.startswith("-") else text
    mantissa, exp_text = f"{value:.{digits - 1}e}".split("e")
    if abs(value) == 10.0**exponent:
        sign = "-" if value < 0 else ""
        return f"\\ensuremath{{{sign}10^{{{exponent}}}}}"
    return f"\\ensuremath{{{mantissa}\\times 10^{{{int(exp_text)}}}}}"


def plain_text(latex: str) -> str:
    """The terminal form of a number typeset by :func:`format_number`.

    ``\\ensuremath{3.2\\times 10^{-11}}`` becomes ``3.2e-11``; thin spaces and
    ``\\%`` become their plain characters.
    """
    text = re.sub(r"\\ensuremath\{(.*)\}$", r"\1", latex)
    text = re.sub(r"\\times 10\^\{(-?\d+)\}", r"e\1", text)
    return text.replace("\\,", "").replace("\\%", "%")


def _exact_or_float(value: Real) -> int | Fraction | float:
    """Integers and fractions stay exact (checked exactly); everything else is a float."""
    if isinstance(value, Integral):
        return int(value)
    if isinstance(value, Fraction):
        return value.numerator if value.denominator == 1 else value
    return float(value)


@dataclass(frozen=True)
class Claim:
    """A verified number: value, check, printed text, owner and provenance."""

    name: str
    problem: int
    value: float | int | Fraction
    check: Check
    text: str
    source: str
    description: str
    rounding: str = "nearest"
    """How ``text`` rounds ``value``: ``"up"`` when the text quotes it as an upper bound."""
    resolution: float | None = None
    """For an upper bound at rounding level: the text bounds ``max(value, resolution)``."""

    def __post_init__(self) -> None:
        if self.rounding not in ROUNDINGS:
            raise ValueError(f"claim {self.name!r}: rounding must be one of {ROUNDINGS}, got {self.rounding!r}")
        if not NAME_PATTERN.match(self.name):
            raise ValueError(
                f"claim name {self.name!r} must look like 'p<problem>_<lowercase_words>'"
            )
        if not self.name.startswith(f"p{self.problem}_"):
            raise ValueError(f"claim {self.name!r} must start with 'p{self.problem}_'")
        if isinstance(self.value, bool) or not isinstance(self.value, Real):
            raise ValueError(f"claim {self.name!r}: value must be a real number")
        object.__setattr__(self, "value", _exact_or_float(self.value))

    @property
    def passed(self) -> bool:
        return bool(self.check.holds(self.value))

    def to_json(self) -> dict:
        return {
            "name": self.name,
            "problem": self.problem,
            "value": str(self.value) if isinstance(self.value, Fraction) else self.value,
            "text": self.text,
            "check": self.check.text,
            "passed": self.passed,
            "source": self.source,
            "description": self.description,
            "rounding": self.rounding,
            "resolution": self.resolution,
            "check_spec": self.check.to_json(),
        }

    @classmethod
    def from_json(cls, data: dict) -> "Claim":
        return cls(
            name=data["name"],
            problem=data["problem"],
            value=Fraction(data["value"]) if isinstance(data["value"], str) else data["value"],
            check=Check.from_json(data["check_spec"]),
            text=data["text"],
            source=data["source"],
            description=data["description"],
            rounding=data.get("rounding", "nearest"),
            resolution=data.get("resolution"),
        )


@dataclass(frozen=True)
class Parameter:
    """An input of an experiment (printed, not checked: nothing was measured)."""

    name: str
    problem: int
    value: float | int | str
    text: str
    description: str

    def to_json(self) -> dict:
        return {
            "name": self.name,
            "problem": self.problem,
            "value": self.value,
            "text": self.text,
            "description": self.description,
        }

    @classmethod
    def from_json(cls, data: dict) -> "Parameter":
        return cls(**data)


@dataclass(frozen=True)
class Figure:
    """A figure file written into ``figures/`` and the function that drew it."""

    name: str
    problem: int
    file: str
    source: str

    def to_json(self) -> dict:
        return {"name": self.name, "problem": self.problem, "file": self.file, "source": self.source}

    @classmethod
    def from_json(cls, data: dict) -> "Figure":
        return cls(**data)


@dataclass
class Ledger:
    """What one problem's entry point returns: claims, parameters and figures.

    ``problem`` fixes the prefix of every name; :meth:`claim` formats the value
    and records the calling function's qualified name as provenance.
    """

    problem: int
    claims: list[Claim] = field(default_factory=list)
    parameters: list[Parameter] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)

    def claim(
        self,
        name: str,
        value: float,
        check: Check,
        *,
        source,
        description: str,
        style: str = "sci",
        digits: int = 2,
        rounding: str = "nearest",
        resolution: float | None = None,
    ) -> Claim:
        """Record a claim.

        ``source`` is the function that computed ``value`` (the function object;
        its module and qualified name are stored), ``rounding="up"`` for a
        number the text quotes as an upper bound, and ``description`` a short
        phrase for the appendix table: plain text, with mathematics between
        ``$...$``.  ``resolution`` (with ``style="order"``, ``rounding="up"``)
        is the finest bound another correct implementation would also meet: a
        value below it, an exact zero included, prints as that bound.
        """
        if resolution is not None and not (style == "order" and rounding == "up" and resolution > 0):
            raise ValueError(f"claim {name!r}: a resolution needs style='order', rounding='up' and a positive value")
        value = _exact_or_float(value)
        printed = value if resolution is None or not value < resolution else resolution
        item = Claim(
            name=f"p{self.problem}_{name}",
            problem=self.problem,
            value=value,
            check=check,
            text=format_number(printed, style, digits, rounding),
            source=f"{source.__module__}.{source.__qualname__}",
            description=description,
            rounding=rounding if math.isfinite(float(value)) else "nearest",
            resolution=resolution,
        )
        self.claims.append(item)
        return item

    def parameter(
        self, name: str, value, *, description: str, style: str = "int", digits: int = 2
    ) -> Parameter:
        """Record an experiment input printed by the templates."""
        text = value if isinstance(value, str) else format_number(value, style, digits)
        item = Parameter(f"p{self.problem}_{name}", self.problem, value, text, description)
        self.parameters.append(item)
        return item

    def figure(self, name: str, file: str, *, source) -> Figure:
        """Record a figure written to ``figures/<file>`` by ``source``."""
        if not FIGURE_FILE_PATTERN.match(file):
            raise ValueError(f"figure file {file!r} must look like 'p{self.problem}_<words>.pdf'")
        item = Figure(
            f"p{self.problem}_{name}",
            self.problem,
            file,
            f"{source.__module__}.{source.__qualname__}",
        )
        self.figures.append(item)
        return item

    def to_json(self) -> dict:
        return {
            "problem": self.problem,
            "claims": [c.to_json() for c in self.claims],
            "parameters": [p.to_json() for p in self.parameters],
            "figures": [f.to_json() for f in self.figures],
        }

    @classmethod
    def from_json(cls, data: dict) -> "Ledger":
        return cls(
            problem=data["problem"],
            claims=[Claim.from_json(c) for c in data["claims"]],
            parameters=[Parameter.from_json(p) for p in data["parameters"]],
            figures=[Figure.from_json(f) for f in data["figures"]],
        )
