"""Find where a LaTeX source leaves a brace or an environment open.

When a group is never closed, LaTeX notices only at the end of the file
("File ended while scanning use of \\emph", "\\begin{proof} ... ended by
\\end{document}") and points at the ``\\input`` line of the main file.  This
scan finds the opening instead, so the error names the line to fix.
"""

from __future__ import annotations

import re

_TOKEN = re.compile(r"\\(?:begin|end)\s*\{([^}]*)\}|\\.|%[^\n]*|[{}]", re.S)


def first_unclosed(text: str) -> tuple[int, str] | None:
    """``(line, description)`` of the first group opened in ``text`` and never closed.

    Braces escaped as ``\\{``/``\\}`` and everything after an unescaped ``%``
    are ignored.  A ``\\begin{env}`` closed by a different ``\\end`` is
    reported too.  Returns None when every group is closed.
    """
    stack: list[tuple[int, str]] = []
    for match in _TOKEN.finditer(text):
        token = match.group(0)
        line = text.count("\n", 0, match.start()) + 1
        if token.startswith("\\begin"):
            stack.append((line, f"\\begin{{{match.group(1)}}}"))
        elif token.startswith("\\end"):
            name = match.group(1)
            if stack and stack[-1][1] == f"\\begin{{{name}}}":
                stack.pop()
            elif stack and stack[-1][1].startswith("\\begin"):
                return stack[-1][0], f"{stack[-1][1]} (closed by \\end{{{name}}} on line {line})"
            else:
                return line, f"\\end{{{name}}} without a matching \\begin"
        elif token == "{":
            stack.append((line, "{"))
        elif token == "}":
            if stack and stack[-1][1] == "{":
                stack.pop()
            elif stack:
                return stack[-1][0], f"{stack[-1][1]} (a '}}' on line {line} closes it too early)"
            else:
                return line, "'}' without a matching '{'"
    if not stack:
        return None
    line, what = stack[-1]
    return line, ("a '{' that is never closed" if what == "{" else f"{what} that is never ended")
