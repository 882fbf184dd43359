"""Each problem's package reads in screen-sized pieces: no function longer than about 60 lines.

The docstring does not count (a numpydoc docstring is documentation, not
logic); everything else in the function's span does, blank lines included.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

GENERATOR = Path(__file__).resolve().parents[2] / "generator"
MAX_LINES = 60
MODULES = sorted(GENERATOR.glob("problem*/*.py"))


def function_lengths(path: Path) -> list[tuple[str, int, int]]:
    """(qualified name, first line, length without docstring) of each function in ``path``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []

    def visit(node, prefix):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                length = child.end_lineno - child.lineno + 1
                body = child.body
                if body and isinstance(body[0], ast.Expr) and isinstance(getattr(body[0], "value", None), ast.Constant):
                    if isinstance(body[0].value.value, str):
                        length -= body[0].end_lineno - body[0].lineno + 1
                found.append((f"{prefix}{child.name}", child.lineno, length))
                visit(child, f"{prefix}{child.name}.")
            elif isinstance(child, ast.ClassDef):
                visit(child, f"{prefix}{child.name}.")

    visit(tree, "")
    return found


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(GENERATOR)))
def test_functions_fit_on_a_screen(path):
    long = [
        f"{path.relative_to(GENERATOR.parent)}:{line}: {name} has {length} lines"
        for name, line, length in function_lengths(path)
        if length > MAX_LINES
    ]
    assert not long, f"functions longer than {MAX_LINES} lines (docstring excluded):\n" + "\n".join(long)
