"""Render the Jinja/LaTeX templates with the verified claims.

Templates use LaTeX-safe delimiters -- ``\\VAR{...}`` for values, ``\\BLOCK{...}``
for statements, ``\\#{...}`` for comments -- and ``StrictUndefined``, so a
misspelt claim is an error, never an empty string.  Every string that reaches
the output passes through :func:`latex_escape` unless it is a claim, parameter
or figure, whose LaTeX is produced by the ledger itself.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path

import jinja2

from pipeline.escape import latex_escape
from generator.layout import TEXT_WIDTH_IN
from generator.ledger import Claim, Ledger

MAIN_TEMPLATE = "solutions.tex"

class TemplateLatex(str):
    """A string that is already LaTeX and must not be escaped again."""


@dataclass(frozen=True)
class _FigureView:
    file: str
    source: TemplateLatex


class _Catalogue:
    """Name -> rendered item, recording which names a template uses.

    Attribute access (``c.p1_name``) is what templates write; an unknown name
    raises ``jinja2.UndefinedError`` naming it, through ``StrictUndefined``.
    """

    def __init__(self, kind: str, items: dict, used: set[str]):
        self._kind = kind
        self._items = items
        self._used = used

    def __getattr__(self, name: str):
        if name.startswith("_"):
            raise AttributeError(name)
        if name not in self._items:
            raise jinja2.UndefinedError(f"the template cites an unknown {self._kind} '{name}'")
        self._used.add(name)
        return self._items[name]

    def __getitem__(self, name: str):
        return self.__getattr__(name)


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
        comment_start_string=r"\#{",
        comment_end_string="}",
        line_statement_prefix=None,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
        finalize=_finalize,
    )


@dataclass
class Rendered:
    """The rendered LaTeX sources and what they cited."""

    files: dict[str, str]
    """Output file name -> LaTeX text (``solutions.tex``, ``problem1.tex``, ...)."""
    cited_claims: set[str]
    cited_parameters: set[str]
    cited_figures: set[str]


def problem_template(problem: int) -> str:
    return f"problem{problem}.tex"


def render(
    template_dir: Path,
    ledgers: list[Ledger],
    author: str,
    appendix: str,
    bytecode_dir: Path | None = None,
) -> Rendered:
    """Render the main document and one file per problem.

    Parameters
    ----------
    template_dir : Path
        Folder holding ``solutions.tex`` and ``problemN.tex``.
    ledgers : list of Ledger
        One per problem, in order.
    author : str
        Printed literally on the title page (escaped here).
    appendix : str
        LaTeX of the table of verified claims, produced by :mod:`pipeline.appendix`.
    bytecode_dir : Path, optional
        Where compiled templates are kept between builds.
    """
    env = environment(template_dir, bytecode_dir)
    used_claims: set[str] = set()
    used_parameters: set[str] = set()
    used_figures: set[str] = set()
    claims = {c.name: _claim_latex(c) for led in ledgers for c in led.claims}
    parameters = {p.name: TemplateLatex(p.text) for led in ledgers for p in led.parameters}
    figures = {
        f.name: _FigureView(file=TemplateLatex(f.file), source=_source_latex(f.source))
        for led in ledgers
        for f in led.figures
    }
    context = {
        "c": _Catalogue("claim", claims, used_claims),
        "p": _Catalogue("parameter", parameters, used_parameters),
        "f": _Catalogue("figure", figures, used_figures),
    }
    files: dict[str, str] = {}
    names = [problem_template(led.problem) for led in ledgers]
    for name in names:
        template = env.get_template(name)
        files[name] = template.render(context)
    main = env.get_template(MAIN_TEMPLATE)
    files[MAIN_TEMPLATE] = main.render(
        author=TemplateLatex(latex_escape(author)),
        text_width=TemplateLatex(f"{TEXT_WIDTH_IN}in"),
        problems=[Path(n).stem for n in names],
        appendix=TemplateLatex(appendix),
    )
    return Rendered(files, used_claims, used_parameters, used_figures)


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
