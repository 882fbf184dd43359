"""Render the Jinja/LaTeX templates with the verified claims, once per edition.

Templates use delimiters that never occur in LaTeX by accident --
``\\VAR{...}`` for values, ``\\BLOCK{...}`` for statements, ``%# ... #%`` for
comments (a LaTeX comment whose first character is ``#``, so that a leaked
one is still harmless) -- and ``StrictUndefined``, so a misspelt claim is an
error naming the closest real one, never an empty string.  Every string that
reaches the output passes through :func:`latex_escape` unless it is a claim,
parameter or figure, whose LaTeX is produced by the ledger itself.

Each template is rendered for the two editions of the document: the
*submission* (``submission`` is true) and the *extended* edition
(``extended`` is true).  Material for one edition only sits between
``\\BLOCK{if extended}`` and ``\\BLOCK{endif}`` (or ``if submission``).
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from pathlib import Path

import jinja2

from generator.layout import TEXT_WIDTH_IN
from generator.ledger import Claim, Ledger
from pipeline.escape import latex_escape, latex_text
from pipeline.settings import Student

from pipeline.project import EDITIONS, EXTERNAL_LABELS, MAIN_TEMPLATE


class TemplateLatex(str):
    """A string that is already LaTeX and must not be escaped again."""


@dataclass(frozen=True)
class _FigureView:
    file: str
    source: TemplateLatex


class _Catalogue:
    """Name -> rendered item, recording which names a template uses.

    Attribute access (``c.p1_name``) is what templates write; an unknown name
    raises ``jinja2.UndefinedError`` naming it and the closest defined names.
    """

    def __init__(self, kind: str, items: dict, used: set[str]):
        self._kind = kind
        self._items = items
        self._used = used

    def __getattr__(self, name: str):
        if name.startswith("_"):
            raise AttributeError(name)
        if name not in self._items:
            raise jinja2.UndefinedError(
                f"the template cites an unknown {self._kind} '{name}'{did_you_mean(name, self._items)}"
            )
        self._used.add(name)
        return self._items[name]

    def __getitem__(self, name: str):
        return self.__getattr__(name)


def did_you_mean(name: str, candidates) -> str:
    """`` (did you mean 'x'?)`` for the closest of ``candidates``, or an empty string."""
    close = difflib.get_close_matches(name, list(candidates), n=3, cutoff=0.6)
    if not close:
        return ""
    return " (did you mean " + " or ".join(f"'{c}'" for c in close) + "?)"


def _claim_latex(claim: Claim) -> TemplateLatex:
    return TemplateLatex(f"\\claimref{{{claim.name}}}{{{claim.text}}}")


def _source_latex(qualified_name: str) -> TemplateLatex:
    return TemplateLatex(f"\\texttt{{{latex_escape(qualified_name)}}}")


def _finalize(value):
    """Escape everything that is not LaTeX made by the ledger."""
    if isinstance(value, TemplateLatex):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        raise TypeError(
            f"a bare number ({value!r}) reached a template; cite a claim or a parameter instead"
        )
    return latex_escape(value)


def environment(template_dir: Path, bytecode_dir: Path | None = None) -> jinja2.Environment:
    """The Jinja environment: LaTeX-safe delimiters, strict, escaping.

    ``bytecode_dir`` keeps compiled templates between builds (keyed by each
    template's source), so an edit recompiles only the edited template.
    """
    bytecode_cache = None
    if bytecode_dir is not None:
        bytecode_dir.mkdir(parents=True, exist_ok=True)
        bytecode_cache = jinja2.FileSystemBytecodeCache(str(bytecode_dir))
    return jinja2.Environment(
        bytecode_cache=bytecode_cache,
        loader=jinja2.FileSystemLoader(str(template_dir)),
        block_start_string=r"\BLOCK{",
        block_end_string="}",
        variable_start_string=r"\VAR{",
        variable_end_string="}",
        comment_start_string="%#",
        comment_end_string="#%",
        line_statement_prefix=None,
        line_comment_prefix=None,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
        finalize=_finalize,
    )


@dataclass
class Rendered:
    """The rendered LaTeX sources of one edition and what they cited."""

    files: dict[str, str]
    """Output file name -> LaTeX text (``solutions.tex``, ``problem1.tex``, ...)."""
    cited_claims: set[str]
    cited_parameters: set[str]
    cited_figures: set[str]


def problem_template(problem: int) -> str:
    return f"problem{problem}.tex"


ONE_EDITION_PARTS = {"answers.tex": "submission", "notation.tex": "extended"}
"""Templates that only one edition reads: the submission's first page, the extended notation table."""


def part_templates(template_dir: Path, ledgers: list[Ledger], edition: str) -> list[str]:
    """The templates rendered beside ``edition``'s main file: one per problem, then the
    others (``answers.tex``, ``notation.tex``, ...) that this edition reads."""
    problems = [problem_template(led.problem) for led in ledgers]
    others = sorted(
        p.name
        for p in template_dir.glob("*.tex")
        if p.name != MAIN_TEMPLATE
        and not p.name.startswith("problem")
        and ONE_EDITION_PARTS.get(p.name, edition) == edition
    )
    return problems + others


def _catalogues(ledgers: list[Ledger], used: Rendered) -> dict:
    claims = {c.name: _claim_latex(c) for led in ledgers for c in led.claims}
    parameters = {p.name: TemplateLatex(p.text) for led in ledgers for p in led.parameters}
    figures = {
        f.name: _FigureView(file=TemplateLatex(f.file), source=_source_latex(f.source))
        for led in ledgers
        for f in led.figures
    }
    return {
        "c": _Catalogue("claim", claims, used.cited_claims),
        "p": _Catalogue("parameter", parameters, used.cited_parameters),
        "f": _Catalogue("figure", figures, used.cited_figures),
    }


def _student_context(student: Student) -> dict:
    """The student's details twice: for the page (``latex_text``) and for the metadata."""
    return {
        "student": {key: TemplateLatex(latex_text(value)) for key, value in vars(student).items()},
        "metadata": {key: TemplateLatex(latex_escape(value)) for key, value in vars(student).items()},
        "needs_cyrillic": student.needs_cyrillic,
    }


def edition_context(edition: str) -> dict:
    """The variables that tell a template which edition it is rendered for."""
    if edition not in EDITIONS:
        raise ValueError(f"edition must be one of {EDITIONS}, got {edition!r}")
    return {"edition": edition, "submission": edition == "submission", "extended": edition == "extended"}


def render(
    template_dir: Path,
    ledgers: list[Ledger],
    student: Student,
    appendix: str,
    edition: str,
    bytecode_dir: Path | None = None,
) -> Rendered:
    """Render the main document and one file per problem, for ``edition``.

    Parameters
    ----------
    template_dir : Path
        Folder holding ``solutions.tex`` and ``problemN.tex``.
    ledgers : list of Ledger
        One per problem, in order.
    student : Student
        Printed literally on the first page and in the metadata (escaped here).
    appendix : str
        LaTeX of the table of verified claims (:mod:`pipeline.appendix`);
        printed by the extended edition only.
    edition : {"submission", "extended"}
        Which edition to render.
    bytecode_dir : Path, optional
        Where compiled templates are kept between builds.
    """
    env = environment(template_dir, bytecode_dir)
    rendered = Rendered({}, set(), set(), set())
    context = {**_catalogues(ledgers, rendered), **edition_context(edition)}
    for name in part_templates(template_dir, ledgers, edition):
        rendered.files[name] = env.get_template(name).render(context)
    names = [problem_template(led.problem) for led in ledgers]
    rendered.files[MAIN_TEMPLATE] = env.get_template(MAIN_TEMPLATE).render(
        **edition_context(edition),
        **_student_context(student),
        text_width=TemplateLatex(f"{TEXT_WIDTH_IN}in"),
        problems=[Path(n).stem for n in names],
        appendix=TemplateLatex(appendix if edition == "extended" else ""),
        external_labels=TemplateLatex(EXTERNAL_LABELS),
    )
    return rendered


_BLOCK_TAG = re.compile(r"\\BLOCK\{-?\s*(\w+)")
_OPENERS = {"if", "for", "macro", "call", "filter", "block", "with", "raw", "set"}


def unclosed_block(source: str) -> tuple[int, str] | None:
    """The line and keyword of the first ``\\BLOCK{...}`` opened in ``source`` and never closed.

    Jinja reports a missing ``endif`` at the end of the file; this finds where
    the block began.  A ``set`` opens a block only without ``=`` (``\\BLOCK{set x}...``).
    """
    stack: list[tuple[int, str]] = []
    for match in _BLOCK_TAG.finditer(source):
        keyword = match.group(1)
        line = source.count("\n", 0, match.start()) + 1
        if keyword == "set":
            end = source.find("}", match.end())
            if "=" in source[match.end() : end]:
                continue
        if keyword in _OPENERS:
            stack.append((line, keyword))
        elif keyword.startswith("end") and stack and stack[-1][1] == keyword[3:]:
            stack.pop()
    return stack[0] if stack else None


def template_line(template_source: str, rendered: str, rendered_line: int) -> int:
    """Map a line of rendered output back to the template line it came from.

    Lines that Jinja copies verbatim align exactly; a line produced by a
    substitution maps to the template line it replaced.  Returns a 1-based
    line number.
    """
    source_lines = template_source.splitlines()
    output_lines = rendered.splitlines()
    matcher = difflib.SequenceMatcher(None, source_lines, output_lines, autojunk=False)
    target = rendered_line - 1
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if j1 <= target < j2:
            if tag == "equal" or i1 == i2:
                return min(i1 + (target - j1), max(i2 - 1, i1)) + 1
            candidates = range(i1, i2)
            return 1 + max(
                candidates,
                key=lambda i: difflib.SequenceMatcher(
                    None, source_lines[i], output_lines[target]
                ).ratio(),
            )
    return max(len(source_lines), 1)
