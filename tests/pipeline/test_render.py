"""The templates cite claims by name only, and everything inserted is escaped."""

from __future__ import annotations

import re
from pathlib import Path

import jinja2
import pytest

from pipeline import render as R
from pipeline.appendix import claims_table
from generator.ledger import Ledger, at_most

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "templates"
TEMPLATE_FILES = sorted(TEMPLATES.glob("*.tex"))

# A decimal number typed into a template would be an unverified figure.  The
# only decimals allowed are numbers of results in the cited papers (Hardt & Ma's
# Theorem 2.1, Claim 2.3, inequality (2.3), Appendix A.1, ...), which are names,
# not measurements.
CITED_NUMBER = re.compile(
    r"(?:Theorem|Theorems|Lemma|Claim|Section|Appendix|Corollary|Proposition|Definition|"
    r"inequality|equation|Eq\.|Eqs\.)[~\s]*\(?[A-Z]?\d+\.\d+\)?",
)
DECIMAL = re.compile(r"(?<![\w.])\d*\.\d+(?:[eE][-+]?\d+)?|(?<![\w.])\d+[eE][-+]?\d+")
# Lengths are typography, not figures: 0.5\linewidth, 1.5em, ...
LENGTH = re.compile(r"\d*\.\d+\s*(?:pt|em|ex|in|cm|mm|bp|\\linewidth|\\textwidth|\\columnwidth)")
JINJA_COMMENT = re.compile(r"\\#\{.*?\}", re.S)
LATEX_COMMENT = re.compile(r"(?<!\\)%.*")


def rendered_with(ledgers):
    return R.render(TEMPLATES, ledgers, "A. Student", claims_table(ledgers))


def test_every_cited_claim_exists_and_every_claim_is_cited(ledgers):
    rendered = rendered_with(ledgers)  # an unknown name raises UndefinedError here
    defined = {c.name for led in ledgers for c in led.claims}
    assert defined - rendered.cited_claims == set(), "claims never cited by a template"
    figures = {f.name for led in ledgers for f in led.figures}
    assert figures - rendered.cited_figures == set(), "figures never included by a template"
    parameters = {p.name for led in ledgers for p in led.parameters}
    assert parameters - rendered.cited_parameters == set(), "parameters never printed"


def test_templates_cite_claims_statically(ledgers):
    """The same check by reading the sources: every \\VAR{c.name} names a claim."""
    defined = {c.name for led in ledgers for c in led.claims}
    for path in TEMPLATE_FILES:
        for name in re.findall(r"\\VAR\{\s*c\.(\w+)", path.read_text(encoding="utf-8")):
            assert name in defined, f"{path.name} cites unknown claim {name}"


@pytest.mark.parametrize("path", TEMPLATE_FILES, ids=lambda p: p.name)
def test_no_decimal_number_is_typed_into_a_template(path):
    offending = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        text = LATEX_COMMENT.sub("", JINJA_COMMENT.sub("", line))
        text = LENGTH.sub("", CITED_NUMBER.sub("", text))
        offending += [f"{path.name}:{number}: {m.group(0)}" for m in DECIMAL.finditer(text)]
    assert not offending, "decimal numbers typed into a template (cite a claim):\n" + "\n".join(offending)


def test_the_decimal_scan_catches_numbers():
    assert DECIMAL.search("an error of 0.5 here")
    assert DECIMAL.search("at most 1e-10")
    assert DECIMAL.search("about .25")
    assert not DECIMAL.search(r"layer $W_1$ and \VAR{c.p1_x} and H=10")
    assert not CITED_NUMBER.sub("", "Theorem~2.2 and inequality (2.3)").strip(" and")


@pytest.mark.parametrize(
    "text",
    ["& % $ # _ { } ~ ^ \\", r"\input{/etc/passwd}", r"\write18{rm -rf /}", "a\x00b\x1bc", "<|>\""],
)
def test_latex_escape_leaves_no_active_character(text):
    escaped = R.latex_escape(text)
    stripped = re.sub(r"\\(?:text\w+|[&%$#_{}])(?:\{\})?", "", escaped)
    assert not set(stripped) & set("&%$#_{}~^\\\x00\x1b"), escaped


def test_unknown_claim_is_an_error(tmp_path):
    (tmp_path / "problem1.tex").write_text(r"value \VAR{c.p1_nope}")
    (tmp_path / "solutions.tex").write_text(r"\VAR{author}\VAR{appendix}")
    led = Ledger(problem=1)
    led.claim("yes", 1e-12, at_most(1e-10), source=test_unknown_claim_is_an_error, description="d")
    with pytest.raises(jinja2.UndefinedError, match="p1_nope"):
        R.render(tmp_path, [led], "x", "")


def test_bare_numbers_cannot_reach_the_output(tmp_path):
    (tmp_path / "problem1.tex").write_text(r"\VAR{1.5}")
    (tmp_path / "solutions.tex").write_text("")
    with pytest.raises(TypeError, match="bare number"):
        R.render(tmp_path, [Ledger(problem=1)], "x", "")


def test_template_line_maps_rendered_lines_back():
    source = "a\n\\BLOCK{if true}\nb \\VAR{x}\n\\BLOCK{endif}\nc\nd\n"
    rendered = "a\nb 1\nc\nd\n"
    assert [R.template_line(source, rendered, n) for n in (1, 2, 3, 4)] == [1, 3, 5, 6]


def test_unprintable_author_characters_are_named():
    from pipeline.escape import unprintable_characters

    assert unprintable_characters("Anne-Marie Müller — Łódź “quoted”") == []
    assert unprintable_characters("Иван") == ["И", "а", "в", "н"]
