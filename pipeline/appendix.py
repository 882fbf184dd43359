"""The appendix table of verified claims, built with pylatex.

One row per claim: its name (the hyperlink target every citation in the text
points to), the printed value, the check the build evaluated, the generator
function that computed it and the test that asserts it.  A second table lists
the experiment inputs (parameters), which are printed but not checked.
"""

from __future__ import annotations

from pylatex import LongTable, MultiColumn, NoEscape
from pylatex.utils import escape_latex

from generator.ledger import Ledger

CLAIM_TEST = "tests/generator/test_ledger.py::test_claim_holds"
"""The parametrized test that asserts every claim's check, one case per claim."""


def _tt(text: str) -> NoEscape:
    """Typewriter text that may break after dots and underscores."""
    escaped = escape_latex(text)
    breakable = escaped.replace(".", r".\allowbreak{}").replace(r"\_", r"\_\allowbreak{}")
    return NoEscape(rf"\texttt{{{breakable}}}")


_RELATIONS = {"<=": r"$\le$", ">=": r"$\ge$", "==": "$=$", "<": "$<$", ">": "$>$"}


def _prose_latex(text: str) -> str:
    """A description: plain text, escaped, with ``$...$`` segments kept as mathematics."""
    pieces = text.split("$")
    if len(pieces) % 2 == 0:
        raise ValueError(f"unbalanced $ in description {text!r}")
    return "".join(
        escape_latex(piece) if index % 2 == 0 else f"${piece}$"
        for index, piece in enumerate(pieces)
    )


def _check_latex(text: str) -> NoEscape:
    """The check's text with its relation typeset as mathematics."""
    relation, _, rest = text.partition(" ")
    if relation == "in":  # "in [low, high]" from ledger.between: digits, signs, brackets
        interval = rest.replace(", ", ",\\allowbreak ")
        return NoEscape(rf"$\in {interval}$")
    if relation in _RELATIONS:
        return NoEscape(f"{_RELATIONS[relation]} {escape_latex(rest)}")
    return NoEscape(escape_latex(text))


def claims_table(ledgers: list[Ledger]) -> str:
    """LaTeX for the claims table and the parameters table."""
    spec = (
        r">{\raggedright\arraybackslash}p{0.25\linewidth}"
        r">{\raggedleft\arraybackslash}p{0.1\linewidth}"
        r">{\raggedright\arraybackslash}p{0.15\linewidth}"
        r">{\raggedright\arraybackslash}p{0.41\linewidth}"
    )
    table = LongTable(spec, row_height=1.15)
    table.append(NoEscape(r"\toprule"))
    header = ("Claim", "Value", "Check", "Statement (computed by)")
    table.add_row([NoEscape(rf"\textbf{{{h}}}") for h in header])
    table.append(NoEscape(r"\midrule"))
    table.end_table_header()
    for ledger in ledgers:
        table.add_row(
            (MultiColumn(4, align="l", data=NoEscape(rf"\emph{{Problem {ledger.problem}}}")),)
        )
        for claim in ledger.claims:
            name = NoEscape(rf"\hypertarget{{claim:{claim.name}}}{{}}{_tt(claim.name)}")
            function = claim.source.removeprefix("generator.")
            statement = NoEscape(f"{_prose_latex(claim.description)}\\newline ({_tt(function)})")
            table.add_row([name, NoEscape(claim.text), _check_latex(claim.check.text), statement])
    table.append(NoEscape(r"\bottomrule"))

    inputs = LongTable(
        r">{\raggedright\arraybackslash}p{0.25\linewidth}"
        r">{\raggedleft\arraybackslash}p{0.13\linewidth}"
        r">{\raggedright\arraybackslash}p{0.52\linewidth}"
    )
    inputs.append(NoEscape(r"\toprule"))
    inputs.add_row([NoEscape(rf"\textbf{{{h}}}") for h in ("Parameter", "Value", "Meaning")])
    inputs.append(NoEscape(r"\midrule"))
    inputs.end_table_header()
    for ledger in ledgers:
        for parameter in ledger.parameters:
            inputs.add_row(
                [
                    _tt(parameter.name),
                    NoEscape(parameter.text),
                    NoEscape(_prose_latex(parameter.description)),
                ]
            )
    inputs.append(NoEscape(r"\bottomrule"))

    count = sum(len(led.claims) for led in ledgers)
    intro = (
        f"The build evaluated each of the following {count} checks and stops, leaving the "
        "previous PDF untouched, if any fails. Each claim is also asserted by the test "
        f"{_tt(CLAIM_TEST)}, parametrized by the claim's name and run by "
        "\\texttt{make test}; the functions named are in the package \\texttt{generator}.\n\n"
        r"{\footnotesize\setlength{\tabcolsep}{4pt}" "\n"
    )
    parameter_intro = (
        "\n}\n\n\\paragraph{Experiment inputs.} These are chosen, not measured: "
        "they are printed from the generator code and not checked.\n\n"
        r"{\footnotesize\setlength{\tabcolsep}{4pt}" "\n"
    )
    return intro + table.dumps() + parameter_intro + inputs.dumps() + "\n}\n"
