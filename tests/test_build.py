"""End to end: the PDF is built and correct, and every kind of bad input fails cleanly.

The failure cases run on a temporary copy of the project (with its caches, so
only what a case breaks is rebuilt) and assert three things each: a non-zero,
documented exit code; a short message naming the file and line to fix; and a
previous ``solutions/solutions.pdf`` left byte-for-byte untouched.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import build

ROOT = Path(__file__).resolve().parent.parent
PROJECT_ITEMS = ("build.py", "generator", "pipeline", "templates", "figures", "solutions", "build")
CHECKOUT_EPOCH = build.source_date_epoch(build.PROJECT)


def run_build(root: Path, *args: str, env: dict | None = None, timeout: float = 300):
    """Run build.py in ``root``; copies outside git get the checkout's PDF date."""
    env = dict(os.environ if env is None else env)
    env.setdefault("SOURCE_DATE_EPOCH", str(CHECKOUT_EPOCH))
    return subprocess.run(
        [sys.executable, str(root / "build.py"), *args],
        cwd=root,
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout,
    )


@pytest.fixture(scope="session")
def built():
    """The real checkout, built (incrementally) once for the whole session."""
    result = run_build(ROOT, "-q")
    assert result.returncode == 0, result.stderr
    return ROOT


@pytest.fixture
def project(built, tmp_path):
    """A private copy of the built project, caches included."""
    copy = tmp_path / "project"
    copy.mkdir()
    for item in PROJECT_ITEMS:
        source = built / item
        if source.is_dir():
            shutil.copytree(
                source, copy / item, ignore=shutil.ignore_patterns("__pycache__", "build.lock")
            )
        else:
            shutil.copy2(source, copy / item)
    return copy


def pdf_text(pdf: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout


def printed_form(latex: str) -> str:
    """What pdftotext shows for a claim's LaTeX text, without spaces."""
    text = latex.replace(r"\ensuremath", "").replace(r"\times 10^", "×10")
    text = text.replace(r"\,", "").replace(r"\%", "%").replace("{", "").replace("}", "")
    return re.sub(r"\s+", "", text).replace("-", "−")


def normalise(text: str) -> str:
    return re.sub(r"\s+", "", text).replace("-", "−").replace("\u2212", "−")


def assert_short(message: str, lines: int = 4) -> None:
    assert message.strip(), "no error message"
    assert len(message.strip().splitlines()) <= lines, message
    assert "Traceback" not in message, message


# --------------------------------------------------------------------------- the real PDF


def test_pdf_has_every_problem_and_no_broken_reference(built):
    pdf = built / "solutions" / "solutions.pdf"
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    assert pages >= 8
    text = pdf_text(pdf)
    for problem in (1, 2, 3, 4):
        assert re.search(rf"\d+\s+Problem {problem}\b", text), f"no heading for Problem {problem}"
    assert "??" not in text
    log = (built / "build" / "latex" / "solutions.log").read_text(errors="replace")
    assert not re.search(r"(Reference|Citation) .* undefined", log)
    assert "There were undefined references" not in log


def test_claims_json_lists_every_claim_and_each_text_is_printed(built):
    data = json.loads((built / "solutions" / "claims.json").read_text())
    claims = data["claims"]
    assert claims and all(c["passed"] for c in claims)
    for claim in claims:
        assert set(claim) >= {"name", "problem", "value", "text", "check", "passed"}
    text = normalise(pdf_text(built / "solutions" / "solutions.pdf"))
    missing = [c["name"] for c in claims if printed_form(c["text"]) not in text]
    assert not missing, f"claims whose text is not visible in the PDF: {missing}"


# --------------------------------------------------------------------------- failures


def _previous_pdf(project: Path) -> bytes:
    return (project / "solutions" / "solutions.pdf").read_bytes()


def _insert_line(path: Path, index: int, line: str) -> None:
    """Insert ``line`` so that it becomes line ``index + 1`` of ``path``."""
    lines = path.read_text().splitlines()
    lines.insert(index, line)
    path.write_text("\n".join(lines) + "\n")


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1))


def test_failing_claim_stops_the_build_and_keeps_the_pdf(project):
    before = _previous_pdf(project)
    # Redefined at the end of the module that defines it, before any other module of
    # the package imports it: every caller, claims.py included, gets the broken one.
    with open(project / "generator" / "problem1" / "objective.py", "a") as module:
        module.write(
            "\n\n_correct_gradients = gradients\n\n\n"
            "def gradients(*args, **kwargs):  # deliberately broken by the test\n"
            "    return [2 * g for g in _correct_gradients(*args, **kwargs)]\n"
        )
    result = run_build(project)
    assert result.returncode == build.EXIT_CLAIM, result.stderr
    assert re.search(r"claim p1_\w+ \(problem 1\) failed: value .* does not satisfy", result.stderr)
    assert _previous_pdf(project) == before


@pytest.mark.parametrize(
    ("template", "index", "line", "code", "expected"),
    [
        ("problem2.tex", 4, r"\BLOCK{if}", build.EXIT_TEMPLATE, ["Expected an expression"]),
        (
            "problem3.tex",
            6,
            r"A made-up number: \VAR{c.p3_no_such_claim}.",
            build.EXIT_TEMPLATE,
            ["p3_no_such_claim"],
        ),
        (
            "problem4.tex",
            8,
            r"This macro does not exist: \nosuchmacro.",
            build.EXIT_LATEX,
            ["Undefined control sequence", "build/latex/solutions.log"],
        ),
    ],
    ids=["jinja-syntax", "unknown-claim", "latex-undefined-macro"],
)
def test_broken_template_names_template_file_and_line(project, template, index, line, code, expected):
    before = _previous_pdf(project)
    _insert_line(project / "templates" / template, index, line)
    result = run_build(project)
    assert result.returncode == code, result.stderr
    assert f"templates/{template}:{index + 1}:" in result.stderr
    for text in expected:
        assert text in result.stderr
    assert_short(result.stderr)
    assert _previous_pdf(project) == before


def test_missing_latex_names_the_program_and_the_fix(project, tmp_path):
    before = _previous_pdf(project)
    _edit(project / "templates" / "solutions.tex", r"\tableofcontents", "\\tableofcontents\n")
    empty_path = tmp_path / "empty-bin"
    empty_path.mkdir()
    result = run_build(project, env={**os.environ, "PATH": str(empty_path)})
    assert result.returncode == build.EXIT_TOOLCHAIN
    assert "latexmk" in result.stderr and "apt-get install" in result.stderr
    assert_short(result.stderr)
    assert _previous_pdf(project) == before


def test_generator_exception_is_one_paragraph(project):
    before = _previous_pdf(project)
    _edit(
        project / "generator" / "problem2" / "construction.py",
        "def construct_layers(",
        "def construct_layers(*args, **kwargs):\n"
        "    raise RuntimeError('deliberately broken by the test')\n\n\n"
        "def _unused_construct_layers(",
    )
    result = run_build(project)
    assert result.returncode == build.EXIT_GENERATOR
    assert "problem 2" in result.stderr
    assert "construct_layers()" in result.stderr
    assert "RuntimeError: deliberately broken by the test" in result.stderr
    assert_short(result.stderr)
    assert _previous_pdf(project) == before


def test_author_is_printed_literally_and_nothing_runs(project):
    author = r"Ann & Bob_ 100% $x^2$ #1 {~} \input{/etc/hostname} \write18{touch pwned}"
    result = run_build(project, "--author", author)
    assert result.returncode == 0, result.stderr
    assert not (project / "pwned").exists()
    assert not (project / "build" / "latex" / "pwned").exists()
    assert normalise(author).replace("−", "-") in normalise(
        pdf_text(project / "solutions" / "solutions.pdf")
    ).replace("−", "-")


def test_latex_cannot_run_programs_or_write_outside_the_build_folder(project):
    before = _previous_pdf(project)
    _insert_line(
        project / "templates" / "problem1.tex",
        6,
        r"\immediate\write18{touch shell-escaped}\newwrite\leak"
        r"\immediate\openout\leak=../../leaked.txt\immediate\write\leak{x}\immediate\closeout\leak",
    )
    result = run_build(project)
    assert not list(project.rglob("shell-escaped*"))
    assert not (project / "leaked.txt").exists()
    assert not (project.parent / "leaked.txt").exists()
    if result.returncode != 0:
        assert result.returncode == build.EXIT_LATEX
        assert "templates/problem1.tex:7:" in result.stderr
        assert _previous_pdf(project) == before


# --------------------------------------------------------------------------- interruptions


def _default_sigint() -> None:
    """Let the child take Ctrl-C even if this test runs where SIGINT is ignored."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.mark.parametrize("moment", ["generators", "latex"])
def test_ctrl_c_leaves_nothing_half_written(project, moment):
    before = _previous_pdf(project)
    process = subprocess.Popen(
        [sys.executable, str(project / "build.py"), "--force", "-j", "1"],
        cwd=project,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "SOURCE_DATE_EPOCH": str(CHECKOUT_EPOCH)},
        preexec_fn=_default_sigint,
    )
    if moment == "generators":
        time.sleep(0.5)  # the four generators take well over a second with -j 1
    else:
        for line in process.stdout:  # the render line comes right before LaTeX starts
            if line.startswith("render"):
                break
        time.sleep(0.3)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=120)
    assert process.returncode == build.EXIT_INTERRUPTED, stderr
    assert "interrupted" in stderr
    assert_short(stderr)
    assert _previous_pdf(project) == before
    assert not list(project.rglob("*.tmp"))
    assert not list((project / "build").glob("figures-*"))
    _edit(project / "templates" / "solutions.tex", r"\tableofcontents", "\\tableofcontents\n")
    again = run_build(project)  # LaTeX must run again, on whatever the interruption left
    assert again.returncode == 0, again.stderr
    assert (project / "solutions" / "solutions.pdf").read_bytes().startswith(b"%PDF")


def test_two_builds_at_once_both_succeed(project):
    _edit(project / "templates" / "solutions.tex", r"\tableofcontents", "\\tableofcontents\n")
    processes = [
        subprocess.Popen(
            [sys.executable, str(project / "build.py")],
            cwd=project,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "SOURCE_DATE_EPOCH": str(CHECKOUT_EPOCH)},
        )
        for _ in range(2)
    ]
    outputs = [p.communicate(timeout=300) for p in processes]
    assert [p.returncode for p in processes] == [0, 0], outputs
    assert (project / "solutions" / "solutions.pdf").read_bytes().startswith(b"%PDF")


# --------------------------------------------------------------------------- reproducible, fast


def test_forced_builds_are_byte_identical(project):
    first = run_build(project, "--force", "-q")
    assert first.returncode == 0, first.stderr
    pdf = _previous_pdf(project)
    second = run_build(project, "--force", "-q")
    assert second.returncode == 0, second.stderr
    assert _previous_pdf(project) == pdf


def test_noop_rebuild_imports_no_numerics_and_keeps_the_pdf(project):
    pdf = project / "solutions" / "solutions.pdf"
    stamp = pdf.stat().st_mtime_ns
    result = subprocess.run(
        [sys.executable, "-X", "importtime", str(project / "build.py")],
        cwd=project,
        capture_output=True,
        text=True,
        env={**os.environ, "SOURCE_DATE_EPOCH": str(CHECKOUT_EPOCH)},
    )
    assert result.returncode == 0, result.stderr
    imported = {line.split("|")[-1].strip().split(".")[0] for line in result.stderr.splitlines() if "|" in line}
    assert not imported & {"numpy", "matplotlib", "scipy"}
    assert pdf.stat().st_mtime_ns == stamp
    assert "skipped" in result.stdout


def test_help_documents_the_exit_codes():
    result = run_build(ROOT, "--help")
    assert result.returncode == 0
    for code in (build.EXIT_CLAIM, build.EXIT_TEMPLATE, build.EXIT_LATEX, build.EXIT_TOOLCHAIN):
        assert re.search(rf"^\s+{code}\s", result.stdout, re.M)


# --------------------------------------------------------------------------- typesetting


def test_fonts_are_embedded_and_none_is_type3(built):
    output = subprocess.run(
        ["pdffonts", str(built / "solutions" / "solutions.pdf")],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()[2:]
    assert output, "no fonts listed"
    assert not [line for line in output if "Type 3" in line]
    # Columns: name, type, encoding, emb, sub, uni, object ID; "emb" is the 4th from the end.
    assert all(line.split()[-4] == "yes" for line in output), "\n".join(output)


def test_no_overfull_boxes(built):
    log = (built / "build" / "latex" / "solutions.log").read_text(errors="replace")
    overfull = [line for line in log.splitlines() if line.startswith("Overfull")]
    assert not overfull, "\n".join(overfull)


def test_rendered_sources_are_chktex_clean(built):
    sources = sorted((built / "solutions").glob("*.tex"))
    result = subprocess.run(
        ["chktex", "-q", "-l", str(built / "templates" / "chktexrc"), *map(str, sources)],
        capture_output=True,
        text=True,
    )
    warnings = [line for line in result.stdout.splitlines() if line.startswith(("Warning", "Error"))]
    assert not warnings, result.stdout


def test_every_claim_links_to_its_appendix_row(built, tmp_path):
    expanded = tmp_path / "expanded.pdf"
    subprocess.run(
        ["qpdf", "--qdf", "--object-streams=disable", str(built / "solutions" / "solutions.pdf"), str(expanded)],
        check=True,
    )
    pdf = expanded.read_bytes()
    claims = json.loads((built / "solutions" / "claims.json").read_text())["claims"]
    for claim in claims:
        target = f"(claim:{claim['name']})".encode()
        assert pdf.count(b"/D " + target) >= 1, f"no link to {claim['name']}"
        assert pdf.count(target) >= 2, f"no destination for {claim['name']}"


def test_every_figure_caption_names_its_function(built, ledgers):
    text = normalise(pdf_text(built / "solutions" / "solutions.pdf"))
    for ledger in ledgers:
        for figure in ledger.figures:
            assert normalise(f"Drawn by {figure.source}") in text, figure.name


def test_bibliography_holds_the_cited_papers_with_arxiv_identifiers(built):
    bbl = (built / "build" / "latex" / "solutions.bbl").read_text()
    text = pdf_text(built / "solutions" / "solutions.pdf")
    papers = {
        "hardt2017identity": "1611.04231",
        "nguyen2017loss": "1704.08045",
        "kawaguchi2020elimination": "1901.00279",
        "sohldickstein2019eliminating": "1901.03909",
    }
    for key, arxiv in papers.items():
        assert f"{{{key}}}" in bbl, f"{key} is never cited"
        assert f"arXiv:{arxiv}" in text


def test_author_the_fonts_cannot_print_is_refused_before_building(built):
    result = run_build(built, "--author", "Иван Петров")
    assert result.returncode == 2
    assert "U+0418" in result.stderr and "Latin letters" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_new_date_reaches_the_pdf_as_a_fresh_build_would(project, tmp_path):
    """Incremental and from-scratch builds agree when only SOURCE_DATE_EPOCH changes."""
    env = {**os.environ, "SOURCE_DATE_EPOCH": str(CHECKOUT_EPOCH + 86400)}
    assert run_build(project, "-q", env=env).returncode == 0
    incremental = _previous_pdf(project)
    shutil.rmtree(project / "build" / "latex")
    (project / "build" / "cache" / "latex.json").unlink()
    assert run_build(project, "-q", env=env).returncode == 0
    assert _previous_pdf(project) == incremental
