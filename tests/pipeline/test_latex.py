"""Reading LaTeX's log: the first error, unresolved references, unclosed groups."""

from __future__ import annotations

import pytest

from pipeline.latex import dangling_references, first_error
from pipeline.texscan import first_unclosed


def test_first_error_names_file_line_and_message_once():
    log = (
        "(./x.tex\n"
        "../tex/submission/problem1.tex:57: LaTeX Error: Environment prof undefined.\n"
        "\n"
        "l.57 \\begin{prof}\n"
    )
    file, line, message = first_error(log)
    assert (file, line) == ("../tex/submission/problem1.tex", 57)
    assert message == "Environment prof undefined. (at 'l.57 \\begin{prof}')"


def test_a_log_without_an_error_says_so():
    assert first_error("nothing here\n")[2] == "pdflatex failed without an error message in its log"


def test_every_kind_of_dangling_reference_is_found():
    log = (
        "LaTeX Warning: Reference `thm:nope' on page 3 undefined on input line 12.\n"
        "Package natbib Warning: Citation `nobody2020' on page 4 undefined on input line 7.\n"
        "LaTeX Warning: Label `sec:p1' multiply defined.\n"
        "pdfTeX warning (dest): name{claim:p1_x} has been referenced but does not exist, replaced by a fixed one\n"
        "LaTeX Warning: Reference `thm:nope' on page 5 undefined on input line 40.\n"
    )
    assert dangling_references(log) == [
        ("reference", "thm:nope"),
        ("citation", "nobody2020"),
        ("label defined twice", "sec:p1"),
        ("link", "claim:p1_x"),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a\n\\emph{b\n\\begin{proof}x\\end{proof}\n", (2, "a '{' that is never closed")),
        ("a\n\\begin{proof}\nx \\{ \\} % {\n", (2, "\\begin{proof} that is never ended")),
        ("\\begin{proof}\n\\end{theorem}\n", (1, "\\begin{proof} (closed by \\end{theorem} on line 2)")),
        ("\\begin{proof}\\end{proof} {a} \\\\ 50\\% {b}", None),
    ],
)
def test_the_opening_of_an_unclosed_group_is_found(text, expected):
    assert first_unclosed(text) == expected
