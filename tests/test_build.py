"""End to end: both PDFs are built and correct, and every kind of bad input or fault fails cleanly.

The failure cases run on a temporary copy of the project (with its caches, so
only what a case breaks is rebuilt) and assert three things each: a non-zero,
documented exit code; a short message naming the file and line (or the path,
or the key) to fix; and previous PDFs left byte-for-byte untouched.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Callable

import pytest

import build
from pipeline.errors import (
    EXIT_CLAIM,
    EXIT_DEPENDENCIES,
    EXIT_ENVIRONMENT,
    EXIT_GENERATOR,
    EXIT_LATEX,
    EXIT_TEMPLATE,
    EXIT_TOOLCHAIN,
    EXIT_USAGE,
)
from pipeline.latex import dangling_references
from pipeline.pdf import source_date_epoch

ROOT = Path(__file__).resolve().parent.parent
PROJECT_ITEMS = ("build.py", "generator", "pipeline", "templates", "figures", "solutions", "build", "submission.toml",
                 "tests/mutation/results.json")  # the appendix quotes the mutation results
CHECKOUT_EPOCH = source_date_epoch(build.PROJECT)
EDITION_FILES = ("solutions.pdf", "solutions-extended.pdf")


def run_build(root: Path, *args: str, env: dict | None = None, timeout: float = 300, python=None):
    """Run build.py in ``root``; copies outside git get the checkout's PDF date."""
    env = dict(os.environ if env is None else env)
    env.setdefault("SOURCE_DATE_EPOCH", str(CHECKOUT_EPOCH))
    return subprocess.run(
        [*(python or [sys.executable]), str(root / "build.py"), *args],
        cwd=root,
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout,
    )


def copy_project(built: Path, copy: Path) -> Path:
    """A private copy of the built project at ``copy``, caches included."""
    copy.mkdir(parents=True)
    for item in PROJECT_ITEMS:
        source = built / item
        if source.is_dir():
            shutil.copytree(source, copy / item, ignore=shutil.ignore_patterns("__pycache__", "build.lock"))
        elif source.exists():
            (copy / item).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, copy / item)
    return copy


def run_side_by_side(scenarios: dict, built: Path, folder: Path) -> str:
    """Run each scenario (a function of a project copy that asserts) on its own copy, two at a
    time; return the failures, one paragraph each, named by scenario.

    A build spends most of its LaTeX time on the larger edition, on one core: two scenarios at
    once keep both cores busy and halve the time of these end-to-end tests.
    """

    def run(name):
        try:
            scenarios[name](copy_project(built, folder / re.sub(r"\W+", "-", name)))
        except AssertionError as error:
            return f"{name}: {error}"
        return None

    with ThreadPoolExecutor(max_workers=2) as pool:
        return "\n\n".join(failure for failure in pool.map(run, scenarios) if failure)


SCENARIOS: dict[str, dict[str, Callable[[Path], None]]] = {}
"""Group -> name -> scenario: a function of a private copy of the built project that asserts."""


def scenario(group: str, name: str | None = None):
    """Register a scenario in ``group``; each group is one test that runs its scenarios side by side."""

    def register(function):
        SCENARIOS.setdefault(group, {})[name or function.__name__] = function
        return function

    return register


def pdf_text(pdf: Path, first: int | None = None, last: int | None = None, mode: str = "-layout") -> str:
    pages = [*(["-f", str(first)] if first else []), *(["-l", str(last)] if last else [])]
    return subprocess.run(
        ["pdftotext", mode, *pages, str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout


def pdf_info(pdf: Path) -> dict[str, str]:
    out = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return {key.strip(): value.strip() for key, _, value in (line.partition(":") for line in out.splitlines())}


def printed_form(latex: str) -> str:
    """What pdftotext shows for a claim's LaTeX text, without spaces."""
    text = latex.replace(r"\ensuremath", "").replace(r"\times 10^", "×10").replace("10^", "10")
    text = text.replace(r"\,", "").replace(r"\%", "%").replace("{", "").replace("}", "")
    return re.sub(r"\s+", "", text).replace("-", "−")


def normalise(text: str) -> str:
    return re.sub(r"\s+", "", text).replace("-", "−").replace("\u2212", "−")


def assert_short(message: str, lines: int = 4) -> None:
    assert message.strip(), "no error message"
    assert len(message.strip().splitlines()) <= lines, message
    assert "Traceback" not in message, message


def previous_pdfs(project: Path) -> dict[str, bytes]:
    return {name: (project / "solutions" / name).read_bytes() for name in (*EDITION_FILES, "claims.json")}


def insert_line(path: Path, index: int, line: str) -> None:
    """Insert ``line`` so that it becomes line ``index + 1`` of ``path``."""
    lines = path.read_text().splitlines()
    lines.insert(index, line)
    path.write_text("\n".join(lines) + "\n")


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1))


def touch_main_template(project: Path) -> None:
    """A harmless change to both editions, so that LaTeX must run."""
    edit(project / "templates" / "solutions.tex", r"\begin{document}", "\\begin{document}\n")


def touch_the_submission(project: Path) -> None:
    """A harmless change to the submission's first page only: LaTeX runs for the smaller edition."""
    with open(project / "templates" / "answers.tex", "a") as stream:
        stream.write("\n")


# --------------------------------------------------------------------------- the real PDFs


@pytest.mark.parametrize("name", EDITION_FILES)
def test_each_edition_has_every_problem_and_no_broken_reference(built, name):
    text = pdf_text(built / "solutions" / name)
    for problem in (1, 2, 3, 4):
        assert re.search(rf"\d+\s+Problem {problem}\b", text), f"no heading for Problem {problem}"
    assert "??" not in text and "(?)" not in text


PAGE_BUDGET = {"problem1": 4.0, "problem2": 5.0, "problem3": 2.0, "problem4": 3.5}
"""Pages each problem may take in the submission (Problem 2 with the fact about orthogonal matrices)."""


def test_the_submission_keeps_its_page_budget(built):
    sys.path.insert(0, str(ROOT / "tests"))
    from page_budget import part_pages

    pdf = built / "solutions" / "solutions.pdf"
    assert int(pdf_info(pdf)["Pages"]) <= 16
    pages = part_pages(built / "build" / "latex" / "solutions.pos")
    over = {part: round(pages[part], 2) for part, budget in PAGE_BUDGET.items() if pages[part] > budget}
    assert not over, f"problems over their page budget {PAGE_BUDGET}: {over}"


def test_the_submission_speaks_mathematics(built):
    pdf = built / "solutions" / "solutions.pdf"
    text = pdf_text(pdf)
    for word in ("generator", "build.py", "claims.json", "make test", "pytest", "Drawn by", "the build"):
        assert word not in text, f"the submission mentions {word!r}"


def test_claims_json_and_figures_describe_a_fresh_run(built, ledgers, fresh_figures_folder):
    """Every claim's text is printed in the extended edition and equals what the code computes now;
    every figure is byte for byte the one a fresh run of its generator draws."""
    claims = json.loads((built / "solutions" / "claims.json").read_text())["claims"]
    assert claims and all(c["passed"] for c in claims)
    fresh = {c.name: c.text for led in ledgers for c in led.claims}
    assert {c["name"]: c["text"] for c in claims} == fresh, "the build's cache is stale"
    for ledger in ledgers:
        drawn = fresh_figures_folder(ledger.problem)
        for figure in ledger.figures:
            assert (drawn / figure.file).read_bytes() == (built / "figures" / figure.file).read_bytes(), figure.file
    # The layout mode can set a superscript beside a radical of the next line apart from its
    # base; the content-stream order (-raw) keeps them together.
    texts = [normalise(pdf_text(built / "solutions" / "solutions-extended.pdf", mode=m)) for m in ("-layout", "-raw")]
    missing = [c["name"] for c in claims if not any(printed_form(c["text"]) in text for text in texts)]
    assert not missing, f"claims whose text is not visible in the extended edition: {missing}"


@pytest.mark.parametrize("name", EDITION_FILES)
def test_fonts_are_embedded_and_none_is_type3(built, name):
    output = subprocess.run(
        ["pdffonts", str(built / "solutions" / name)], capture_output=True, text=True, check=True
    ).stdout.splitlines()[2:]
    assert output, "no fonts listed"
    assert not [line for line in output if "Type 3" in line]
    # Columns: name, type, encoding, emb, sub, uni, object ID; "emb" is the 4th from the end.
    assert all(line.split()[-4] == "yes" for line in output), "\n".join(output)


@pytest.mark.parametrize("jobname", ["solutions", "solutions-extended"])
def test_no_overfull_boxes(built, jobname):
    log = (built / "build" / "latex" / f"{jobname}.log").read_text(errors="replace")
    overfull = [line for line in log.splitlines() if line.startswith("Overfull")]
    assert not overfull, "\n".join(overfull)


def test_rendered_sources_are_chktex_clean(built):
    sources = sorted((built / "build" / "tex").glob("*/*.tex"))
    assert len(sources) >= 10
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
        ["qpdf", "--qdf", "--object-streams=disable", str(built / "solutions" / "solutions-extended.pdf"), str(expanded)],
        check=True,
    )
    pdf = expanded.read_bytes()
    claims = json.loads((built / "solutions" / "claims.json").read_text())["claims"]
    for claim in claims:
        target = f"(claim:{claim['name']})".encode()
        assert pdf.count(b"/D " + target) >= 1, f"no link to {claim['name']}"
        assert pdf.count(target) >= 2, f"no destination for {claim['name']}"


def test_the_appendix_names_the_function_behind_every_figure(built, ledgers):
    text = normalise(pdf_text(built / "solutions" / "solutions-extended.pdf"))
    for ledger in ledgers:
        for figure in ledger.figures:
            assert normalise(figure.source.removeprefix("generator.")) in text, figure.name


def test_bibliography_holds_the_cited_papers_with_arxiv_identifiers(built):
    bbl = (built / "build" / "latex" / "solutions-extended.bbl").read_text()
    text = pdf_text(built / "solutions" / "solutions-extended.pdf")
    papers = {
        "hardt2017identity": "1611.04231",
        "nguyen2017loss": "1704.08045",
        "kawaguchi2020elimination": "1901.00279",
        "sohldickstein2019eliminating": "1901.03909",
    }
    for key, arxiv in papers.items():
        assert f"{{{key}}}" in bbl, f"{key} is never cited"
        assert f"arXiv:{arxiv}" in text


def test_help_documents_the_exit_codes():
    result = run_build(ROOT, "--help")
    assert result.returncode == 0
    for code in (EXIT_CLAIM, EXIT_TEMPLATE, EXIT_LATEX, EXIT_TOOLCHAIN, EXIT_ENVIRONMENT, EXIT_DEPENDENCIES):
        assert re.search(rf"^\s+{code}\s", result.stdout, re.M)
    assert "submission.toml" in result.stdout


def test_the_claims_table_fits_a_terminal_and_is_plain_text(built):
    result = run_build(built, "claims")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) > 200
    assert max(map(len, lines)) <= 100, max(lines, key=len)
    assert "\\ensuremath" not in result.stdout and "\\times" not in result.stdout
    assert "\\ensuremath" in run_build(built, "claims", "--latex").stdout


# --------------------------------------------------------------------------- failures


@scenario("failures")
def failing_claim_stops_the_build_and_keeps_the_pdfs_and_their_claims(project):
    before = previous_pdfs(project)
    module = project / "generator" / "problem1" / "objective.py"
    with open(module, "a") as stream:
        stream.write(
            "\n\n_correct_gradients = gradients\n\n\n"
            "def gradients(*args, **kwargs):  # deliberately broken by the test\n"
            "    return [2 * g for g in _correct_gradients(*args, **kwargs)]\n"
        )
    result = run_build(project)
    assert result.returncode == EXIT_CLAIM, result.stderr
    assert re.search(r"claim p1_\w+ \(problem 1\) failed: value .* does not satisfy", result.stderr)
    assert "build/claims-failed.json" in result.stderr
    assert previous_pdfs(project) == before, "claims.json must keep describing the PDFs beside it"
    failed = json.loads((project / "build" / "claims-failed.json").read_text())["claims"]
    assert not all(c["passed"] for c in failed)


BROKEN_TEMPLATES = {
    "jinja-syntax": ("problem2.tex", 4, r"\BLOCK{if}", EXIT_TEMPLATE, ["Expected an expression"]),
    "unknown-claim": ("problem3.tex", 6, r"A made-up number: \VAR{c.p3_no_such_claim}.", EXIT_TEMPLATE, ["p3_no_such_claim"]),
    "misspelt-claim": (
        "problem1.tex", 8, r"A typo: \VAR{c.p1_gradient_fd_eror}.", EXIT_TEMPLATE, ["did you mean 'p1_gradient_fd_error'"],
    ),
    "misspelt-variable": ("problem1.tex", 8, r"\BLOCK{if submision}x\BLOCK{endif}", EXIT_TEMPLATE, ["did you mean 'submission'"]),
    "unclosed-block": ("problem2.tex", 9, r"\BLOCK{if extended} an extended remark", EXIT_TEMPLATE, ["is never closed"]),
    "latex-undefined-macro": (
        "problem4.tex", 8, r"This macro does not exist: \nosuchmacro.", EXIT_LATEX,
        ["Undefined control sequence", "build/latex/solutions"],
    ),
    "unclosed-brace": ("problem1.tex", 12, r"An \emph{unclosed emphasis.", EXIT_LATEX, ["'{' that is never closed"]),
    "unended-environment": ("problem3.tex", 12, r"\begin{proof} A proof that never ends.", EXIT_LATEX, [r"\begin{proof}"]),
    "dangling-cref": (
        "problem2.tex", 12, r"See \cref{thm:p2-no-such-result}.", EXIT_LATEX, ["'thm:p2-no-such-result' refers to a label"],
    ),
    "dangling-cite": ("problem3.tex", 12, r"As shown by \citet{nobody2099}.", EXIT_LATEX, ["'nobody2099' cites a key"]),
    "label-defined-twice": ("problem4.tex", 12, r"\label{sec:p1}", EXIT_LATEX, ["'sec:p1' is a label defined more than once"]),
}
"""Name -> (template, index, inserted line, exit code, texts the message must hold)."""


def _broken_template(project: Path, template: str, index: int, line: str, code: int, expected: list[str]) -> None:
    before = previous_pdfs(project)
    insert_line(project / "templates" / template, index, line)
    result = run_build(project)
    assert result.returncode == code, result.stderr
    assert f"templates/{template}:{index + 1}:" in result.stderr, result.stderr
    for text in expected:
        assert text in result.stderr, result.stderr
    assert "LaTeX error: LaTeX Error" not in result.stderr
    assert_short(result.stderr, lines=6)
    assert previous_pdfs(project) == before


SCENARIOS["broken templates"] = {
    name: functools.partial(lambda project, case: _broken_template(project, *case), case=case)
    for name, case in BROKEN_TEMPLATES.items()
}


@scenario("failures")
def missing_latex_names_the_program_and_the_fix(project):
    tmp_path = project.parent / "scratch"
    tmp_path.mkdir(exist_ok=True)
    before = previous_pdfs(project)
    touch_main_template(project)
    empty_path = tmp_path / "empty-bin"
    empty_path.mkdir()
    result = run_build(project, env={**os.environ, "PATH": str(empty_path)})
    assert result.returncode == EXIT_TOOLCHAIN
    assert "latexmk" in result.stderr and "apt-get install" in result.stderr
    assert_short(result.stderr)
    assert previous_pdfs(project) == before


@scenario("failures")
def generator_exception_is_one_paragraph(project):
    before = previous_pdfs(project)
    edit(
        project / "generator" / "problem2" / "construction.py",
        "def construct_layers(",
        "def construct_layers(*args, **kwargs):\n"
        "    raise RuntimeError('deliberately broken by the test')\n\n\n"
        "def _unused_construct_layers(",
    )
    result = run_build(project)
    assert result.returncode == EXIT_GENERATOR
    assert "problem 2" in result.stderr
    assert "construct_layers()" in result.stderr
    assert "RuntimeError: deliberately broken by the test" in result.stderr
    assert_short(result.stderr)
    assert previous_pdfs(project) == before


@scenario("failures")
def a_bound_printed_below_its_value_is_refused(project):
    """The formatter rounds "at most" numbers down: every check still holds, but the printed text lies."""
    before = previous_pdfs(project)
    edit(
        project / "generator" / "ledger.py",
        'directed = math.ceil if rounding == "up" else math.floor',
        'directed = math.floor if rounding == "up" else math.ceil',
    )
    result = run_build(project)
    assert result.returncode == EXIT_CLAIM, result.stderr
    assert re.search(r"claim p\d_\w+ \(problem \d\) is misprinted: it prints .* as an upper bound", result.stderr)
    assert previous_pdfs(project) == before


@scenario("failures")
def a_generator_that_never_ends_is_stopped(project):
    before = previous_pdfs(project)
    edit(project / "generator" / "problem3" / "claims.py", "def run(", "def run(*args):\n    while True:\n        pass\n\n\ndef _old_run(")
    started = time.perf_counter()
    result = run_build(project, "--timeout", "3")
    assert result.returncode == EXIT_GENERATOR, result.stderr
    assert "problem 3 ran for more than 3 s" in result.stderr
    assert time.perf_counter() - started < 30
    assert_short(result.stderr)
    assert previous_pdfs(project) == before


@scenario("failures")
def missing_python_packages_get_one_message_with_the_fix(project):
    result = run_build(project, python=[sys.executable, "-S"])  # no site-packages: numpy and friends are gone
    assert result.returncode == EXIT_DEPENDENCIES, result.stderr
    assert "numpy" in result.stderr and "make pdf" in result.stderr and "pip install -r requirements.txt" in result.stderr
    assert_short(result.stderr)


@scenario("failures")
def an_old_python_is_refused_before_anything_runs(project):
    code = (
        "import sys; sys.version_info = (3, 10, 12, 'final', 0); sys.argv = ['build.py']; "
        f"exec(compile(open({str(project / 'build.py')!r}).read(), 'build.py', 'exec'), {{'__name__': '__main__'}})"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=project, capture_output=True, text=True)
    assert result.returncode == 1
    assert "Python 3.11 or newer" in result.stderr
    assert_short(result.stderr)


# --------------------------------------------------------------------------- the student's details


def first_page(project: Path) -> str:
    return pdf_text(project / "solutions" / "solutions.pdf", 1, 1)


@scenario("details")
def the_name_in_submission_toml_is_kept_and_a_one_off_option_does_not_replace_it(project):
    (project / "submission.toml").write_text(
        'author = "Jane Doe"\nstudent_id = "4242"\ngroup = "B05-123"\ndate = "6 December 2026"\n'
    )
    assert run_build(project, "-q").returncode == 0
    page = first_page(project)
    for detail in ("Jane Doe", "4242", "B05-123", "6 December 2026"):
        assert detail in page
    assert pdf_info(project / "solutions" / "solutions.pdf")["Author"] == "Jane Doe"
    assert run_build(project, "-q", "--author", "Ann Other").returncode == 0
    assert "Ann Other" in first_page(project)
    assert run_build(project, "-q").returncode == 0
    assert "Jane Doe" in first_page(project) and "Ann Other" not in first_page(project)


@scenario("details")
def make_passes_the_details_through(project):
    tmp_path = project.parent / "scratch"
    tmp_path.mkdir(exist_ok=True)
    shutil.copy2(ROOT / "Makefile", project / "Makefile")
    shutil.copy2(ROOT / "requirements.txt", project / "requirements.txt")
    stamp = tmp_path / "environment-ready"  # stands in for .venv: this interpreter has the packages
    stamp.touch()
    result = subprocess.run(
        ["make", "--no-print-directory", "pdf", f"PY={sys.executable}", f"STAMP={stamp}",
         "AUTHOR=Jane O'Neil--Smith", "GROUP=B05 \"x\""],
        cwd=project,
        capture_output=True,
        text=True,
        env={**os.environ, "SOURCE_DATE_EPOCH": str(CHECKOUT_EPOCH)},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    page = normalise(first_page(project))
    assert normalise("Jane O’Neil--Smith") in page and normalise('B05 "x"') in page


@scenario("details")
def names_print_as_written_on_the_page_and_in_the_metadata(project):
    author = "Иван Петров, Jose\u0301 Ștefan Jean--Luc ``q'' !` ,, 100% #1 \\input{x}"
    result = run_build(project, "--author", author, "--group", "Б05-123")
    assert result.returncode == 0, result.stderr
    composed = "Иван Петров, José Ștefan Jean--Luc ``q'' !` ,, 100% #1 \\input{x}"
    assert pdf_info(project / "solutions" / "solutions.pdf")["Author"] == composed
    page = first_page(project)
    assert "Иван Петров" in page and "Б05-123" in page
    # The page shows the apostrophe as typeset (’), everything else character for character.
    for piece in ("José", "Jean--Luc", "``q’’", "!`", ",,", "100% #1 \\input{x}"):
        assert piece in page, piece
    fonts = subprocess.run(["pdffonts", str(project / "solutions" / "solutions.pdf")], capture_output=True, text=True)
    assert "Type 3" not in fonts.stdout


BAD_DETAILS = {
    "empty-option": (["--author", ""], None, "--author: author is empty"),
    "empty-key": ([], 'author = ""\n', "submission.toml: author is empty"),
    "unprintable": (["--author", "王小明"], None, "U+738B"),
    "misspelt-key": ([], 'author = "A"\nstudnet_id = "1"\n', "did you mean 'student_id'"),
}


def _bad_details(project: Path, args: list[str], toml: str | None, expected: str) -> None:
    """Refused naming the key, before anything is built."""
    before = previous_pdfs(project)
    if toml is not None:
        (project / "submission.toml").write_text(toml)
    result = run_build(project, *args)
    assert result.returncode == EXIT_USAGE, result.stderr
    assert expected in result.stderr
    assert_short(result.stderr)
    assert previous_pdfs(project) == before


for _name, _case in BAD_DETAILS.items():
    scenario("failures", f"bad-details-{_name}")(functools.partial(_bad_details, args=_case[0], toml=_case[1], expected=_case[2]))


@scenario("failures")
def latex_cannot_run_programs_or_write_outside_the_build_folder(project):
    before = previous_pdfs(project)
    insert_line(
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
        assert result.returncode == EXIT_LATEX
        assert "templates/problem1.tex:7:" in result.stderr
        assert previous_pdfs(project) == before


# --------------------------------------------------------------------------- faults and recovery


def start_build(project: Path, *args: str, **kwargs) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, str(project / "build.py"), *args],
        cwd=project,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "SOURCE_DATE_EPOCH": str(CHECKOUT_EPOCH)},
        **kwargs,
    )


def wait_for_latex(process: subprocess.Popen) -> None:
    """Read progress lines until a pdflatex pass starts (latexmk prints the line as it starts it)."""
    for line in process.stdout:
        if "pdflatex started" in line:
            break
    else:
        raise AssertionError("LaTeX never started")


def latex_processes_in(project: Path) -> dict[int, str]:
    """Process id -> command line of the latexmk/pdflatex processes working in ``project``."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cwd = os.readlink(entry / "cwd")
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if cwd.startswith(str(project)) and ("latexmk" in command or "pdflatex" in command):
            found[int(entry.name)] = command
    return found


def _interrupted(project: Path, moment: str, number: int, code: int) -> None:
    """Ctrl-C goes to the build; SIGTERM and SIGHUP to its whole process group, as a terminal or
    an IDE sends them.  Everything stops, nothing is half-written, and the next build succeeds."""
    before = previous_pdfs(project)
    # SIGTERM lands while both editions compile; the others while the submission alone does.
    (touch_main_template if number == signal.SIGTERM else touch_the_submission)(project)
    # Generators rerun only for the moment that interrupts them; otherwise LaTeX starts at once.
    flags = ("--force", "-j", "1") if moment == "generators" else ()
    # Through a shell that restores Ctrl-C's default action, in case this test runs where it is ignored.
    command = [sys.executable, "-c", DEFAULT_SIGINT_THEN_BUILD, str(project / "build.py"), *flags]
    process = subprocess.Popen(
        command, cwd=project, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "SOURCE_DATE_EPOCH": str(CHECKOUT_EPOCH)}, start_new_session=True,
    )
    if moment == "generators":
        time.sleep(0.5)  # the four generators take well over a second with -j 1
    else:
        wait_for_latex(process)
    if number == signal.SIGINT:
        process.send_signal(number)
    else:
        os.killpg(process.pid, number)
    _, stderr = process.communicate(timeout=120)
    assert process.returncode == code, stderr
    assert_short(stderr)
    assert not latex_processes_in(project), "LaTeX outlived the build"
    assert previous_pdfs(project) == before
    assert not list(project.rglob("*.tmp"))
    assert not list((project / "build").glob("figures-*"))
    again = run_build(project)  # right away, on whatever the interruption left
    assert again.returncode == 0, again.stderr
    assert (project / "solutions" / "solutions.pdf").read_bytes().startswith(b"%PDF")


DEFAULT_SIGINT_THEN_BUILD = (
    "import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); "
    "os.execv(sys.executable, [sys.executable, *sys.argv[1:]])"
)


def _hard_killed(project: Path) -> None:
    """kill -9 of the whole process tree (an out-of-memory kill, a power cut) mid-LaTeX."""
    touch_main_template(project)
    process = start_build(project, start_new_session=True)
    wait_for_latex(process)
    latex = latex_processes_in(project)  # in a session of their own, so killed one by one
    assert latex, "the kill must land mid-pass"
    os.killpg(process.pid, signal.SIGKILL)
    for pid in latex:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    process.communicate(timeout=60)
    again = run_build(project)
    assert again.returncode == 0, again.stderr
    assert "cut short" in again.stdout


def _corrupt_auxiliary_files(project: Path) -> None:
    """Auxiliary files cut mid-line, as a killed pdflatex leaves them: rebuilt once, with a line saying so."""
    aux = project / "build" / "latex" / "solutions.aux"
    text = aux.read_text()
    aux.write_text(text[: len(text) // 2])
    touch_the_submission(project)
    result = run_build(project)
    assert result.returncode == 0, result.stderr
    assert "starting from scratch" in result.stdout


FAULTS = {
    "ctrl-c-generators": functools.partial(_interrupted, moment="generators", number=signal.SIGINT, code=130),
    "ctrl-c-latex": functools.partial(_interrupted, moment="latex", number=signal.SIGINT, code=130),
    "sigterm-latex": functools.partial(_interrupted, moment="latex", number=signal.SIGTERM, code=143),
    "sighup-latex": functools.partial(_interrupted, moment="latex", number=signal.SIGHUP, code=129),
    "kill-9-latex": _hard_killed,
    "corrupt-aux": _corrupt_auxiliary_files,
}


SCENARIOS["faults"] = FAULTS


@scenario("everyday")
def a_second_build_waits_for_the_first(project):
    touch_the_submission(project)
    processes = [start_build(project) for _ in range(2)]
    outputs = [p.communicate(timeout=300) for p in processes]
    assert [p.returncode for p in processes] == [0, 0], outputs
    assert any("waiting" in out for out, _ in outputs)


@scenario("everyday")
def clean_removes_only_what_the_build_made(project):
    notes = project / "solutions" / "my_notes.txt"
    notes.write_text("mine")
    submitted = project / "solutions" / "submitted_final.pdf"
    submitted.write_bytes(b"%PDF-1.5 mine")
    figure_note = project / "figures" / "sketch.pdf"
    figure_note.write_bytes(b"%PDF-1.5 mine too")
    edited = project / "solutions" / "claims.json"
    edited.write_text(edited.read_text() + " ")  # ours, but changed since: kept
    result = run_build(project, "clean")
    assert result.returncode == 0, result.stderr
    assert notes.read_text() == "mine" and submitted.exists() and figure_note.exists() and edited.exists()
    assert "kept solutions/claims.json" in result.stdout
    assert not (project / "solutions" / "solutions.pdf").exists()
    assert not (project / "build").exists()
    assert not list((project / "figures").glob("p*_*.pdf"))


@scenario("failures")
def an_unwritable_output_folder_is_named_with_its_own_exit_code(project):
    shutil.rmtree(project / "solutions")
    (project / "solutions").symlink_to(project / "nowhere" / "solutions")  # a folder that does not exist
    touch_the_submission(project)
    result = run_build(project)
    assert result.returncode == EXIT_ENVIRONMENT, result.stderr
    assert "solutions" in result.stderr and "is in the way" in result.stderr
    assert "internal error" not in result.stderr
    assert_short(result.stderr)


def _refused_write(project: Path, error: str, cause: str) -> None:
    """Writing into solutions/ fails as on a full disk, or as for a user without write permission
    (simulated: the tests run as root in CI, where permissions do not bind)."""
    touch_the_submission(project)
    code = (
        "import errno, os, runpy, sys\n"
        "real = os.replace\n"
        "def refuse(src, dst, *a, **k):\n"
        "    if '/solutions/' in str(dst):\n"
        f"        raise OSError(errno.{error}, os.strerror(errno.{error}), str(dst))\n"
        "    return real(src, dst, *a, **k)\n"
        "os.replace = refuse\n"
        "sys.argv = ['build.py']\n"
        "runpy.run_path('build.py', run_name='__main__')\n"
    )
    before = previous_pdfs(project)
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=project, capture_output=True, text=True,
        env={**os.environ, "SOURCE_DATE_EPOCH": str(CHECKOUT_EPOCH)},
    )
    assert result.returncode == EXIT_ENVIRONMENT, result.stderr
    assert cause in result.stderr and "solutions/solutions" in result.stderr
    assert_short(result.stderr)
    assert previous_pdfs(project) == before


for _error, _cause in (("ENOSPC", "disk is full"), ("EACCES", "permission denied")):
    scenario("failures", f"refused-write-{_error}")(functools.partial(_refused_write, error=_error, cause=_cause))


@scenario("everyday")
def outputs_follow_the_users_umask(project):
    touch_the_submission(project)
    result = subprocess.run(
        ["sh", "-c", f"umask 022 && exec {sys.executable} build.py -q"],
        cwd=project, capture_output=True, text=True,
        env={**os.environ, "SOURCE_DATE_EPOCH": str(CHECKOUT_EPOCH)},
    )
    assert result.returncode == 0, result.stderr
    for name in EDITION_FILES:
        assert (project / "solutions" / name).stat().st_mode & 0o777 == 0o644


@scenario("everyday")
def long_steps_announce_themselves_when_they_start(project):
    touch_the_submission(project)
    result = run_build(project)
    assert result.returncode == 0, result.stderr
    assert re.search(r"^latex (submission|extended)\s+pass 1: pdflatex started$", result.stdout, re.M)


# --------------------------------------------------------------------------- reproducible, fast, portable


@scenario("everyday")
def noop_rebuild_imports_no_numerics_and_keeps_the_pdfs(project):
    stamps = {name: (project / "solutions" / name).stat().st_mtime_ns for name in EDITION_FILES}
    result = subprocess.run(
        [sys.executable, "-X", "importtime", str(project / "build.py")],
        cwd=project,
        capture_output=True,
        text=True,
        env={**os.environ, "SOURCE_DATE_EPOCH": str(CHECKOUT_EPOCH)},
    )
    assert result.returncode == 0, result.stderr
    imported = {line.split("|")[-1].strip().split(".")[0] for line in result.stderr.splitlines() if "|" in line}
    assert not imported & {"numpy", "matplotlib", "scipy", "jinja2", "pylatex"}
    assert stamps == {name: (project / "solutions" / name).stat().st_mtime_ns for name in EDITION_FILES}
    assert "skipped" in result.stdout


@scenario("everyday")
def incremental_and_from_scratch_builds_are_byte_identical(project):
    """A new date reaches the PDFs incrementally exactly as a build from nothing would write them."""
    env = {**os.environ, "SOURCE_DATE_EPOCH": str(CHECKOUT_EPOCH + 86400)}
    assert run_build(project, "-q", env=env).returncode == 0
    incremental = previous_pdfs(project)
    shutil.rmtree(project / "build" / "latex")
    (project / "build" / "cache" / "latex.json").unlink()
    assert run_build(project, "-q", env=env).returncode == 0
    assert previous_pdfs(project) == incremental


@scenario("everyday")
def a_proof_edit_costs_one_pass_and_moved_references_are_settled(project):
    """A word of proof: one pdflatex pass per edition (that it writes the PDF latexmk would is
    incremental_and_from_scratch_builds_are_byte_identical). A new numbered result ahead of
    others: the references move, and latexmk settles them."""
    template = project / "templates" / "problem1.tex"
    edit(template, "The statement holds for every", "The statement halds for every")  # same width: no reflow
    result = run_build(project)
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("pass 1: pdflatex started") == 2 and "pass 2" not in result.stdout, result.stdout
    remark = "\\begin{remark}A remark that moves every later number.\\end{remark}"
    insert_line(template, 5, f"\\BLOCK{{if submission}}\n{remark}\n\\BLOCK{{endif}}")  # the smaller edition
    result = run_build(project)
    assert result.returncode == 0, result.stderr
    assert "latex submission     pass 2: pdflatex started" in result.stdout, result.stdout
    assert "??" not in pdf_text(project / "solutions" / "solutions.pdf")


@scenario("everyday")
def an_edit_of_extended_material_recompiles_only_the_extended_edition(project):
    insert_line(project / "templates" / "problem1.tex", 5, "\\BLOCK{if extended}\nAn extended-only remark.\n\\BLOCK{endif}")
    submission = (project / "solutions" / "solutions.pdf").read_bytes()
    result = run_build(project)
    assert result.returncode == 0, result.stderr
    assert "latex extended" in result.stdout and "latex submission" not in result.stdout
    assert (project / "solutions" / "solutions.pdf").read_bytes() == submission


@scenario("everyday")
def the_source_bundle_compiles_alone_to_the_same_pages(project):
    tmp_path = project.parent / "scratch"
    tmp_path.mkdir(exist_ok=True)
    result = run_build(project, "dist")
    assert result.returncode == 0, result.stderr
    bundle = project / "solutions" / "submission-source.zip"
    unpacked = tmp_path / "unpacked"
    shutil.unpack_archive(bundle, unpacked)
    env = {k: v for k, v in os.environ.items() if k not in ("TEXINPUTS", "BIBINPUTS")}
    for _ in range(2):
        compiled = subprocess.run(
            ["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "-no-shell-escape", "solutions.tex"],
            cwd=unpacked, capture_output=True, text=True, env={**env, "SOURCE_DATE_EPOCH": str(CHECKOUT_EPOCH)},
        )
        assert compiled.returncode == 0, compiled.stdout[-2000:]
    assert not dangling_references((unpacked / "solutions.log").read_text(errors="replace"))
    built_pages = pdf_text(project / "solutions" / "solutions.pdf").split("\f")
    bundle_pages = pdf_text(unpacked / "solutions.pdf").split("\f")
    assert bundle_pages == built_pages
    first = bundle.read_bytes()
    assert run_build(project, "dist", "-q").returncode == 0
    assert bundle.read_bytes() == first, "the bundle is not reproducible"


# --------------------------------------------------------------------------- every scenario


def test_every_scenario(built, tmp_path):
    """Each scenario of every group on its own copy of the built project, two at a time, longest
    first (a build spends most of its LaTeX time on the larger edition, on one core: side by side,
    two builds keep both cores busy).  A failure names its group and scenario."""
    order = ("faults", "everyday", "broken templates", "details", "failures")
    scenarios = {f"{group}: {name}": function for group in order for name, function in SCENARIOS[group].items()}
    failures = run_side_by_side(scenarios, built, tmp_path)
    assert not failures, failures
