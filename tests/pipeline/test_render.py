"""The templates cite claims by name only, render for both editions, and fail loudly."""

from __future__ import annotations

import re
from pathlib import Path

import jinja2
import pytest

from generator.ledger import Ledger, at_most
from pipeline import render as R
from pipeline.appendix import claims_table
from pipeline.settings import Student

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "templates"
TEMPLATE_FILES = sorted(TEMPLATES.glob("*.tex"))

# --------------------------------------------------------------------------- typed numbers
#
# A number typed into a template would be printed unverified.  Allowed are the
# integers of typesetting and formulas (dimensions, indices, exponents, depths
# in a statement), fractions of two one-digit integers (the 1/2 of a formula),
# lengths, and the numbers of results in the cited papers (Hardt & Ma's
# Theorem 2.1, inequality (2.3), ...), which are names, not measurements.
# Everything else is a claim or a parameter.

CITED_NUMBER = re.compile(
    r"(?:Theorem|Theorems|Lemma|Claim|Section|Appendix|Corollary|Proposition|Definition|"
    r"inequality|equation|Eq\.|Eqs\.)[~\s]*\(?[A-Z]?\d+\.\d+\)?",
)
LENGTH = re.compile(r"-?\d*\.?\d+\s*(?:pt|em|ex|in|cm|mm|bp|\\linewidth|\\textwidth|\\columnwidth|\\baselineskip)")
LATEX_COMMENT = re.compile(r"(?<!\\)%.*")
JINJA = re.compile(r"%#.*?#%|\\VAR\{[^}]*\}|\\BLOCK\{[^}]*\}", re.S)
_DIGITS = r"(?:\d+|\{\s*-?\d+\s*\})"
TYPED_NUMBER = re.compile(
    "|".join(
        [
            r"(?<![\w.])\d*\.\d+(?:[eE][-+]?\d+)?",  # decimals: 0.5, .25, 1.5e-3
            r"(?<![\w.])\d+[eE][-+]?\d+",  # scientific notation: 1e-10
            r"10\s*\^\s*" + _DIGITS,  # powers of ten: 10^{-12}, 10^5
            r"\\[td]?frac\s*(?:\d\d+\s*\d|\d\s*\d\d+|\{\s*\d+\s*\}\s*\{\s*\d+\s*\}|\d\s*\{\s*\d+\s*\}|\{\s*\d+\s*\}\s*\d)",
            r"(?<![\w.}])\d+\s*/\s*\d+(?![\w.])",  # a/b
            r"\d+(?:\.\d+)?\s*(?:\\,)?\s*\\%",  # percentages: 43\%
        ]
    )
)
ONE_DIGIT_FRACTION = re.compile(
    r"^(?:\\[td]?frac\s*(?:\d\s*\d|\{\s*\d\s*\}\s*\{\s*\d\s*\}|\d\s*\{\s*\d\s*\}|\{\s*\d\s*\}\s*\d)|\d\s*/\s*\d)$"
)


def typed_numbers(text: str) -> list[tuple[int, str]]:
    """``(line, number)`` of every number typed into template ``text`` that is not allowed."""
    found = []
    text = JINJA.sub(lambda m: "\n" * m.group(0).count("\n"), text)
    for number, line in enumerate(text.splitlines(), start=1):
        line = LENGTH.sub("", CITED_NUMBER.sub("", LATEX_COMMENT.sub("", line)))
        found += [
            (number, m.group(0))
            for m in TYPED_NUMBER.finditer(line)
            if not ONE_DIGIT_FRACTION.match(m.group(0).strip())
        ]
    return found


@pytest.mark.parametrize("path", TEMPLATE_FILES, ids=lambda p: p.name)
def test_no_computed_number_is_typed_into_a_template(path):
    offending = [f"{path.name}:{line}: {number}" for line, number in typed_numbers(path.read_text(encoding="utf-8"))]
    assert not offending, "numbers typed into a template (cite a claim or a parameter):\n" + "\n".join(offending)


@pytest.mark.parametrize(
    "text",
    [
        "an error of 0.5 here",
        "about .25",
        "at most 1e-10",
        r"at most $10^{-12}$",
        r"$10^5$ samples",
        r"$p=53/128$",
        r"slope $-3/18$",
        r"$\frac{53}{128}$",
        r"$\tfrac{43}{64}$",
        r"$\dfrac{7}{16}$",
        r"$\frac7{16}$",
        r"$\frac{1}{50}$",
        r"in 43\% of draws",
        r"in 43\,\% of draws",
        r"in 43.8\% of draws",
    ],
)
def test_the_scan_catches_every_form_of_typed_number(text):
    assert typed_numbers(text), text


@pytest.mark.parametrize(
    "text",
    [
        r"layer $W_1$ and \VAR{c.p1_x} and $H=10$, $d_0<d_1$",
        r"$\frac12\norm{x}^2$ and $\tfrac32$ and $x^{-1/2}$",
        r"Theorem~2.2 and inequality (2.3) of the paper",
        r"\includegraphics[width=0.5\linewidth]{x} \vspace{1.5em}",
        r"% a LaTeX comment with 0.5",
        "%# a template comment with 0.5 #%",
        r"$2^{-n}$, $e^{-1}$, $\R^{d\times d}$",
    ],
)
def test_the_scan_allows_structural_numbers(text):
    assert not typed_numbers(text), text


# --------------------------------------------------------------------------- citing claims


def rendered(ledgers, edition):
    return R.render(TEMPLATES, ledgers, Student(author="A. Student"), claims_table(ledgers), edition)


def test_the_extended_edition_cites_every_claim_parameter_and_figure(ledgers):
    extended = rendered(ledgers, "extended")  # an unknown name raises UndefinedError here
    defined = {c.name for led in ledgers for c in led.claims}
    assert defined - extended.cited_claims == set(), "claims the extended edition never prints"
    figures = {f.name for led in ledgers for f in led.figures}
    assert figures - extended.cited_figures == set(), "figures the extended edition never includes"
    parameters = {p.name for led in ledgers for p in led.parameters}
    assert parameters - extended.cited_parameters == set(), "parameters never printed"


def test_the_submission_prints_a_subset_and_at_most_one_figure_per_problem(ledgers):
    submission = rendered(ledgers, "submission")
    extended = rendered(ledgers, "extended")
    assert submission.cited_claims <= extended.cited_claims
    for problem in (1, 2, 3, 4):
        figures = [name for name in submission.cited_figures if name.startswith(f"p{problem}_")]
        assert len(figures) <= 1, f"problem {problem}: {figures}"


def test_templates_cite_claims_statically(ledgers):
    """The same check by reading the sources: every \\VAR{c.name} names a claim."""
    defined = {c.name for led in ledgers for c in led.claims}
    for path in TEMPLATE_FILES:
        for name in re.findall(r"\\VAR\{\s*c\.(\w+)", path.read_text(encoding="utf-8")):
            assert name in defined, f"{path.name} cites unknown claim {name}"


# --------------------------------------------------------------------------- failing loudly


def _tiny_project(tmp_path, problem_text: str, main_text: str = "") -> list[Ledger]:
    (tmp_path / "problem1.tex").write_text(problem_text)
    (tmp_path / "solutions.tex").write_text(main_text)
    led = Ledger(problem=1)
    led.claim("gradient_error", 1e-12, at_most(1e-10), source=_tiny_project, description="d")
    return [led]


def test_unknown_claim_is_an_error_that_suggests_the_right_name(tmp_path):
    ledgers = _tiny_project(tmp_path, r"value \VAR{c.p1_gradient_eror}")
    with pytest.raises(jinja2.UndefinedError, match=r"p1_gradient_eror.*did you mean 'p1_gradient_error'"):
        R.render(tmp_path, ledgers, Student(), "", "extended")


def test_bare_numbers_cannot_reach_the_output(tmp_path):
    ledgers = _tiny_project(tmp_path, r"\VAR{1.5}")
    with pytest.raises(TypeError, match="bare number"):
        R.render(tmp_path, ledgers, Student(), "", "submission")


def test_a_hash_after_a_backslash_is_text_not_a_comment(tmp_path):
    """``\\#{S}`` is LaTeX's '#' followed by a group; it must reach the output."""
    ledgers = _tiny_project(tmp_path, "$|S|=\\#{S}$ and %# a template note #% done\n")
    text = R.render(tmp_path, ledgers, Student(), "", "extended").files["problem1.tex"]
    assert text == "$|S|=\\#{S}$ and  done\n"


def test_an_unterminated_template_comment_is_an_error(tmp_path):
    ledgers = _tiny_project(tmp_path, "text %# a note that never ends\nmore text\n")
    with pytest.raises(jinja2.TemplateSyntaxError):
        R.render(tmp_path, ledgers, Student(), "", "extended")


def test_editions_render_their_own_material(tmp_path):
    ledgers = _tiny_project(
        tmp_path, "both \\BLOCK{if extended}\nlong\n\\BLOCK{endif}\n\\BLOCK{if submission}\nshort\n\\BLOCK{endif}\n"
    )
    assert R.render(tmp_path, ledgers, Student(), "", "extended").files["problem1.tex"] == "both long\n"
    assert R.render(tmp_path, ledgers, Student(), "", "submission").files["problem1.tex"] == "both short\n"


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("a\n\\BLOCK{if x}\nb\n", (2, "if")),
        ("a\n\\BLOCK{for y in z}\n\\BLOCK{if x}\n\\BLOCK{endif}\nb\n", (2, "for")),
        ("\\BLOCK{set a = 1}\n\\BLOCK{if x}\n\\BLOCK{endif}\n", None),
        ("\\BLOCK{if x}\n\\BLOCK{if y}\n\\BLOCK{endif}\n", (1, "if")),
    ],
)
def test_an_unclosed_block_is_found_where_it_opens(source, expected):
    assert R.unclosed_block(source) == expected


def test_template_line_maps_rendered_lines_back():
    source = "a\n\\BLOCK{if true}\nb \\VAR{x}\n\\BLOCK{endif}\nc\nd\n"
    output = "a\nb 1\nc\nd\n"
    assert [R.template_line(source, output, n) for n in (1, 2, 3, 4)] == [1, 3, 5, 6]
