"""The extended edition's appendix: the provenance of every number and figure, built with pylatex.

One row per claim: its name (the hyperlink target every citation in the text
points to), the printed value, the check the build evaluated, and the
generator function that computed it; the test that asserts each claim again is
named once for all.  Further tables list the experiment inputs (parameters),
which are printed but not checked, and the function that drew each figure.
"""

from __future__ import annotations

import re

from pylatex import LongTable, MultiColumn, NoEscape
from pylatex.utils import escape_latex

from generator.ledger import Ledger

CLAIM_TEST = "tests/generator/test_claims.py::test_claim"
"""The test that recomputes every claim from a fresh run of its generator, one case per claim."""


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


def _breakable_numbers(latex: str) -> str:
    """Let a line break inside a long run of digits (a reference printed to all 17 of its digits)."""
    return re.sub(r"(\d{8})(?=\d)", r"\1\\allowbreak{}", latex)


def _check_latex(text: str) -> NoEscape:
    """The check's text with its relation typeset as mathematics."""
    relation, _, rest = text.partition(" ")
    if relation == "in":  # "in [low, high]" from ledger.between: bounds as written, e.g. "1 - 1e-12"
        interval = escape_latex(rest).replace("{[}", "[").replace("{]}", "]").replace(", ", ",\\allowbreak{} ")
        return NoEscape(rf"$\in$ {_breakable_numbers(interval)}")
    if relation in _RELATIONS:
        return NoEscape(f"{_RELATIONS[relation]} {_breakable_numbers(escape_latex(rest))}")
    return NoEscape(_breakable_numbers(escape_latex(text)))


def _longtable(widths: tuple[float, ...], header: tuple[str, ...], aligns: str | None = None) -> LongTable:
    """A booktabs long table with paragraph columns of the given fractions of the line width."""
    aligns = aligns or "l" * len(widths)
    spec = "".join(
        rf">{{\{'raggedleft' if a == 'r' else 'raggedright'}\arraybackslash}}p{{{w}\linewidth}}"
        for w, a in zip(widths, aligns)
    )
    table = LongTable(spec, row_height=1.15)
    table.append(NoEscape(r"\toprule"))
    table.add_row([NoEscape(rf"\textbf{{{h}}}") for h in header])
    table.append(NoEscape(r"\midrule"))
    table.end_table_header()
    return table


def _claims(ledgers: list[Ledger]) -> LongTable:
    table = _longtable((0.22, 0.09, 0.24, 0.36), ("Claim", "Value", "Check", "Statement (computed by)"), "lrll")
    for ledger in ledgers:
        table.add_row((MultiColumn(4, align="l", data=NoEscape(rf"\emph{{Problem {ledger.problem}}}")),))
        for claim in ledger.claims:
            name = NoEscape(rf"\hypertarget{{claim:{claim.name}}}{{}}{_tt(claim.name)}")
            function = claim.source.removeprefix("generator.")
            statement = NoEscape(f"{_prose_latex(claim.description)}\\newline ({_tt(function)})")
            table.add_row([name, NoEscape(claim.text), _check_latex(claim.check.text), statement])
    table.append(NoEscape(r"\bottomrule"))
    return table


def _parameters(ledgers: list[Ledger]) -> LongTable:
    table = _longtable((0.25, 0.13, 0.52), ("Parameter", "Value", "Meaning"), "lrl")
    for ledger in ledgers:
        for parameter in ledger.parameters:
            table.add_row(
                [_tt(parameter.name), NoEscape(parameter.text), NoEscape(_prose_latex(parameter.description))]
            )
    table.append(NoEscape(r"\bottomrule"))
    return table


def _figures(ledgers: list[Ledger]) -> LongTable:
    table = _longtable((0.25, 0.65), ("Figure", "Drawn by"))
    for ledger in ledgers:
        for figure in ledger.figures:
            table.add_row([_tt(figure.file), _tt(figure.source.removeprefix("generator."))])
    table.append(NoEscape(r"\bottomrule"))
    return table


_SMALL = "{\\footnotesize\\setlength{\\tabcolsep}{4pt}\n"


def _equivalent_clause(count: int) -> str:
    if count == 0:
        return ""
    if count == 1:
        return "; one of them provably changes no number and is not counted"
    return f"; {count} of them provably change no number and are not counted"


def _mutation_paragraph(results: dict | None) -> str:
    """How often a planted bug was refused, as ``make mutate`` last measured it."""
    if not results:
        return ""
    counted, refused = results["counted"], results["refused_by_build"]
    caught = results.get("caught_by_build_or_tests")
    text = (
        "\\paragraph{How the checks were tested.} On " + escape_latex(results["date"]) + ", "
        "\\texttt{make mutate} planted " + str(results["mutants"]) + " realistic bugs, one at a time, in the "
        "functions named above (a flipped sign, a transpose, an off-by-one, a wrong constant, a dropped or "
        "spurious term, a wrong branch"
        + _equivalent_clause(results["equivalent"])
        + f"). The build refused {refused} of the {counted} counted mutants "
        f"(${100 * refused / counted:.1f}\\,\\%$)"
    )
    if caught is not None:
        text += f", and the build or the tests refused {caught} (${100 * caught / counted:.1f}\\,\\%$)"
    return text + ".\n\n"


def claims_table(ledgers: list[Ledger], mutation: dict | None = None) -> str:
    """LaTeX for the appendix: claims, parameters and figures, each with its provenance,
    and the measured kill rate of the mutation suite (``mutation``, from ``make mutate``)."""
    count = sum(len(led.claims) for led in ledgers)
    intro = (
        f"The build evaluated each of the following {count} checks before typesetting, and stops, "
        "leaving the previous PDFs untouched, if any fails. Each check compares the number with an "
        "independent reference. Each claim is asserted again by the test "
        f"{_tt(CLAIM_TEST)}, in the case named by the claim, which reruns the problem's generator in "
        "the test process without any cache; the functions named are in the package "
        "\\texttt{generator}.\n\n"
    )
    parameters = (
        "\\paragraph{Experiment inputs.} These are chosen, not measured: "
        "they are printed from the generator code and not checked.\n\n"
    )
    figures = "\\paragraph{Figures.} Each figure is drawn by one function from the numbers above.\n\n"
    return "".join(
        [intro, _mutation_paragraph(mutation), _SMALL, _claims(ledgers).dumps(), "\n}\n\n", parameters, _SMALL, _parameters(ledgers).dumps(),
         "\n}\n\n", figures, _SMALL, _figures(ledgers).dumps(), "\n}\n"]
    )
