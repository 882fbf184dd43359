"""The claim ledger as a plain-text table for a terminal (``build.py claims``)."""

from __future__ import annotations

import textwrap

from generator.ledger import Ledger, plain_text

WIDTH = 100
_NAME, _VALUE, _RESULT = 34, 12, 4
_CHECK = WIDTH - _NAME - _VALUE - _RESULT - 3 * 2


def _row(name: str, value: str, result: str, check: str) -> list[str]:
    checks = textwrap.wrap(check, _CHECK) or [""]
    first = f"{name:<{_NAME}}  {value:>{_VALUE}}  {result:<{_RESULT}}  {checks[0]}"
    indent = " " * (_NAME + _VALUE + _RESULT + 3 * 2)
    return [first.rstrip()] + [indent + more for more in checks[1:]]


def terminal_table(ledgers: list[Ledger], latex: bool = False, statements: bool = False) -> tuple[list[str], bool]:
    """Lines of at most :data:`WIDTH` columns (longer claim names overflow), and whether a claim fails.

    ``latex`` shows each printed value as the LaTeX the PDF uses instead of
    plain text; ``statements`` adds each claim's statement and the function
    that computed it, wrapped and indented.
    """
    lines = _row("claim", "printed", "ok?", "check") + ["-" * WIDTH]
    failed = False
    for ledger in ledgers:
        for claim in ledger.claims:
            failed |= not claim.passed
            shown = claim.text if latex else plain_text(claim.text)
            lines += _row(claim.name, shown, "pass" if claim.passed else "FAIL", claim.check.text)
            if statements:
                about = f"{claim.description} (computed by {claim.source})"
                lines += textwrap.wrap(about, WIDTH, initial_indent="    ", subsequent_indent="    ")
    return lines, failed
