"""Printing user strings literally in LaTeX.

Kept apart from :mod:`pipeline.render` so that checking a command-line string
does not import Jinja.
"""

from __future__ import annotations

import re

_LATEX_SPECIALS = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "$": r"\$",
    "&": r"\&",
    "#": r"\#",
    "^": r"\textasciicircum{}",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "%": r"\%",
    "<": r"\textless{}",
    ">": r"\textgreater{}",
    "|": r"\textbar{}",
    '"': r"\textquotedbl{}",
}
_SPECIALS_PATTERN = re.compile("|".join(re.escape(k) for k in _LATEX_SPECIALS))


def latex_escape(text: str) -> str:
    """Return ``text`` as LaTeX that prints it literally.

    Every character TeX treats specially is replaced by a macro that prints
    it, so input such as ``\\input{x}`` or ``\\write18{...}`` is typeset, never
    executed.  Control characters (which TeX could read as category-code
    tricks) are dropped.
    """
    text = "".join(ch for ch in str(text) if ch >= " " or ch == "\t").replace("\t", " ")
    return _SPECIALS_PATTERN.sub(lambda m: _LATEX_SPECIALS[m.group(0)], text)


# Characters that the document's T1-encoded Latin Modern fonts can print:
# ASCII, Latin-1, Latin Extended-A, dashes and typographic quotes.
_PRINTABLE_RANGES = ((0x20, 0x7E), (0xA0, 0x17F), (0x2013, 0x2014), (0x2018, 0x2019), (0x201C, 0x201D))


def unprintable_characters(text: str) -> list[str]:
    """The characters of ``text`` the document's fonts have no glyph for.

    ``latex_escape`` prints every character literally, but pdflatex can only
    print what its fonts hold; this lets the build reject such input at once,
    with a clear message, instead of failing inside LaTeX.
    """
    return sorted(
        {ch for ch in text if not any(low <= ord(ch) <= high for low, high in _PRINTABLE_RANGES)}
    )
