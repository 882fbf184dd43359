"""Printing user strings (the student's name, id, group, date) literally in LaTeX.

Kept apart from :mod:`pipeline.render` so that checking a command-line string
does not import Jinja.  Three concerns:

* :func:`latex_escape` turns every character TeX treats specially into a macro
  that prints it, and breaks TeX's ligatures (``--``, ``!```, ``,,``, ...), so
  that what is typed is what is printed;
* :func:`unprintable_characters` names the characters no font of the document
  can print, so the build refuses them before LaTeX runs;
* Cyrillic letters are printed in the T2A encoding (Type 1 fonts from
  cm-super), which the document loads only when a string needs it
  (:func:`needs_cyrillic`), so that nobody else pays for the extra fonts.
"""

from __future__ import annotations

import re
import unicodedata

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
    "`": r"\textasciigrave{}",
}
_SPECIALS_PATTERN = re.compile("|".join(re.escape(k) for k in _LATEX_SPECIALS))

# Characters that form ligatures of the T1 fonts: --, ---, '', ,, (the
# backtick of ``, !` and ?` is printed as \textasciigrave, which forms none).
# An empty group between two of them keeps each one literal.
_LIGATURE_CHARACTERS = "-',"
_LIGATURE_PAIR = re.compile(f"([{re.escape(_LIGATURE_CHARACTERS)}])(?=[{re.escape(_LIGATURE_CHARACTERS)}])")

# The characters LaTeX's UTF-8 input maps to the T1 encoding of Latin Modern
# (t1enc.dfu of TeX Live 2022, less the invisible U+00AD, U+200C, U+2423) and
# the Cyrillic letters it maps to T2A (t2aenc.dfu).  tests/pipeline/test_escape.py
# compares both lists with the installed files and typesets every character.
_T1_RANGES = (
    (0x0020, 0x007E), (0x00A0, 0x00A1), (0x00A3, 0x00A3), (0x00AB, 0x00AB), (0x00BB, 0x00BB),
    (0x00BF, 0x00D6), (0x00D8, 0x00F6), (0x00F8, 0x0125), (0x0128, 0x0137), (0x0139, 0x013E),
    (0x0141, 0x0148), (0x014A, 0x0165), (0x0168, 0x017E), (0x01C4, 0x01D4), (0x01E2, 0x01E3),
    (0x01E6, 0x01EB), (0x01F0, 0x01F0), (0x01F4, 0x01F5), (0x0218, 0x021B), (0x0232, 0x0233),
    (0x0237, 0x0237), (0x02D9, 0x02D9), (0x02DB, 0x02DB), (0x1E02, 0x1E03), (0x1E0D, 0x1E0D),
    (0x1E1E, 0x1E21), (0x1E25, 0x1E25), (0x1E30, 0x1E31), (0x1E37, 0x1E37), (0x1E43, 0x1E43),
    (0x1E45, 0x1E45), (0x1E47, 0x1E47), (0x1E5B, 0x1E5B), (0x1E63, 0x1E63), (0x1E6D, 0x1E6D),
    (0x1E8E, 0x1E91), (0x1E9E, 0x1E9E), (0x1EF2, 0x1EF3), (0x2010, 0x2015), (0x2018, 0x201A),
    (0x201C, 0x201E), (0x2030, 0x2031), (0x2039, 0x203A), (0xFB00, 0xFB06),
)
_CYRILLIC_RANGES = (
    (0x0400, 0x045F), (0x0490, 0x0493), (0x0496, 0x049D), (0x04A0, 0x04A5), (0x04AA, 0x04AB),
    (0x04AE, 0x04B3), (0x04B6, 0x04BB), (0x04C0, 0x04C2), (0x04D0, 0x04DF), (0x04E2, 0x04E9),
    (0x04EC, 0x04F5), (0x04F8, 0x04F9),
)


def _in(ranges, character: str) -> bool:
    return any(low <= ord(character) <= high for low, high in ranges)


def normalise(text: str) -> str:
    """NFC form with surrounding white space removed and inner runs of it made one space.

    A name copied from macOS arrives decomposed ("e" + U+0301); NFC composes it
    into the one character the fonts have ("é").
    """
    return " ".join(unicodedata.normalize("NFC", str(text)).split())


def needs_cyrillic(text: str) -> bool:
    """Whether ``text`` holds a Cyrillic letter (so the document must load T2A)."""
    return any(_in(_CYRILLIC_RANGES, ch) for ch in text)


def unprintable_characters(text: str) -> list[str]:
    """The characters of ``text`` (after :func:`normalise`) that no font of the document can print."""
    return sorted(
        {ch for ch in normalise(text) if not (_in(_T1_RANGES, ch) or _in(_CYRILLIC_RANGES, ch))}
    )


def describe_characters(characters: list[str]) -> str:
    """``'И' (U+0418, CYRILLIC CAPITAL LETTER I), ...`` for an error message."""
    return ", ".join(
        f"{ch!r} (U+{ord(ch):04X}, {unicodedata.name(ch, 'unnamed character')})" for ch in characters
    )


def latex_escape(text: str) -> str:
    """Return ``text`` as LaTeX that prints it literally.

    Every character TeX treats specially is replaced by a macro that prints
    it, so input such as ``\\input{x}`` or ``\\write18{...}`` is typeset, never
    executed; ligatures are broken, so ``Jean--Luc`` keeps its two hyphens.
    Control characters (which TeX could read as category-code tricks) are
    dropped.  The result is also a valid PDF string for hyperref's metadata.
    """
    text = "".join(ch for ch in str(text) if ch >= " " or ch == "\t").replace("\t", " ")
    text = _SPECIALS_PATTERN.sub(lambda m: _LATEX_SPECIALS[m.group(0)], text)
    return _LIGATURE_PAIR.sub(r"\1{}", text)


_CYRILLIC_LETTERS = "[" + "".join(f"\\u{low:04x}-\\u{high:04x}" for low, high in _CYRILLIC_RANGES) + "]+"
_CYRILLIC_RUN = re.compile(f"{_CYRILLIC_LETTERS}(?: {_CYRILLIC_LETTERS})*")


def latex_text(text: str) -> str:
    """:func:`latex_escape`, with every run of Cyrillic letters set in T2A (``\\textcyrillic``)."""
    return _CYRILLIC_RUN.sub(lambda m: f"\\textcyrillic{{{m.group(0)}}}", latex_escape(text))
