#!/usr/bin/env python3
"""Build the verified solutions: generators -> checked claims -> LaTeX -> PDF.

Steps (one progress line each, with its time and why it ran or was skipped):

  1. generators  run generator/problemN's run() for every problem whose
                 inputs changed (in parallel), writing figures/ and claims;
  2. claims      evaluate every claim's check and write solutions/claims.json;
                 stop if any fails;
  3. render      render templates/*.tex into solutions/ with the claims;
  4. latex       compile solutions/solutions.pdf with latexmk (skipped when
                 the rendered sources and figures are unchanged).

The previous solutions/solutions.pdf is replaced only by a complete new one.
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))

from pipeline import available_problems, cache  # noqa: E402  (the project root must be importable first)
from generator.ledger import Ledger  # noqa: E402

TEMPLATES = ROOT / "templates"
FIGURES = ROOT / "figures"
SOLUTIONS = ROOT / "solutions"
BUILD = ROOT / "build"
CACHE = BUILD / "cache"
LATEX_DIR = BUILD / "latex"
PDF = SOLUTIONS / "solutions.pdf"
CLAIMS_JSON = SOLUTIONS / "claims.json"
BIBLIOGRAPHY = "references.bib"
DEFAULT_AUTHOR = "Anonymous student"
PROBLEMS = available_problems(ROOT)

EXIT_OK = 0
EXIT_INTERNAL = 1
EXIT_USAGE = 2
EXIT_CLAIM = 3
EXIT_TEMPLATE = 4
EXIT_GENERATOR = 5
EXIT_LATEX = 6
EXIT_TOOLCHAIN = 7
EXIT_INTERRUPTED = 130

EXIT_CODES = f"""exit codes:
  {EXIT_OK}    success (the PDF is up to date)
  {EXIT_INTERNAL}    unexpected internal error (a bug in build.py: please report it)
  {EXIT_USAGE}    bad command line
  {EXIT_CLAIM}    a claim's check failed (the claim, its value and its check are printed)
  {EXIT_TEMPLATE}    a template is broken (syntax error, unknown claim or variable)
  {EXIT_GENERATOR}    a generator raised an exception
  {EXIT_LATEX}    LaTeX failed (the template file and line are printed)
  {EXIT_TOOLCHAIN}    latexmk, pdflatex or bibtex is missing
  {EXIT_INTERRUPTED}  interrupted (Ctrl-C); nothing was half-written
In every failing case the previous solutions/solutions.pdf is left untouched."""


class BuildError(Exception):
    """A failure with a short message for the user and an exit code."""

    def __init__(self, message: str, code: int):
        super().__init__(message)
        self.code = code


class Progress:
    """One line per step: name, what happened and why, seconds."""

    def __init__(self, quiet: bool, verbose: bool):
        self.quiet = quiet
        self.verbose = verbose
        self.started = time.perf_counter()

    def step(self, name: str, outcome: str, seconds: float) -> None:
        self._print(f"{name:<20} {outcome:<52} {seconds:6.2f} s")

    def done(self, text: str) -> None:
        self._print(f"{text} in {time.perf_counter() - self.started:.2f} s")

    def _print(self, line: str) -> None:
        if self.quiet:
            return
        try:
            print(line, flush=True)
        except BrokenPipeError:
            # The reader went away (``build.py | head``): finish the build silently.
            self.quiet = True
            sys.stdout = open(os.devnull, "w")


@contextlib.contextmanager
def build_lock(progress: Progress):
    """Serialise builds in one checkout; a second build waits for the first."""
    BUILD.mkdir(exist_ok=True)
    with open(BUILD / "build.lock", "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if not progress.quiet:
                print("another build is running in this checkout; waiting for it", flush=True)
            fcntl.flock(handle, fcntl.LOCK_EX)
        yield


# --------------------------------------------------------------------------- generators


def _cache_file(problem: int) -> Path:
    return CACHE / f"problem{problem}.json"


def _cached_ledger(problem: int, key: str) -> tuple[Ledger | None, str]:
    """The cached ledger if it is still valid, else None and the reason."""
    entry = cache.read_json(_cache_file(problem))
    if entry is None:
        return None, "no cached result"
    if entry.get("key") != key:
        return None, "inputs changed"
    for name, digest in entry.get("figures", {}).items():
        if cache.file_digest(FIGURES / name) != digest:
            return None, f"figure {name} missing or modified"
    return Ledger.from_json(entry["ledger"]), "inputs unchanged"


def _previous_seconds(problem: int) -> float:
    entry = cache.read_json(_cache_file(problem)) or {}
    return float(entry.get("seconds", 0.0))


def _install_figures(staging: Path, ledger: Ledger) -> dict[str, str]:
    """Move a problem's new figures into figures/ and drop ones it no longer draws."""
    FIGURES.mkdir(exist_ok=True)
    digests = {}
    for figure in ledger.figures:
        target = FIGURES / figure.file
        os.replace(staging / figure.file, target)
        digests[figure.file] = cache.file_digest(target)
    for stale in FIGURES.glob(f"p{ledger.problem}_*.pdf"):
        if stale.name not in digests:
            stale.unlink()
    return digests


def run_generators(
    problems: tuple[int, ...], force: bool, jobs: int, progress: Progress
) -> list[Ledger]:
    """Bring every problem's ledger and figures up to date."""
    ledgers: dict[int, Ledger] = {}
    stale: dict[int, tuple[str, str]] = {}
    for problem in problems:
        started = time.perf_counter()
        key = cache.generator_key(ROOT, problem)
        ledger, reason = (None, "--force") if force else _cached_ledger(problem, key)
        if ledger is None:
            stale[problem] = (key, reason)
        else:
            ledgers[problem] = ledger
            progress.step(f"generator {problem}", f"skipped: {reason}", time.perf_counter() - started)
    if stale:
        from concurrent.futures import ProcessPoolExecutor, as_completed

        from pipeline.execute import GeneratorFailure, run_problem

        import tempfile

        BUILD.mkdir(exist_ok=True)
        with tempfile.TemporaryDirectory(prefix="figures-", dir=BUILD) as staging_root:
            staging = {p: Path(staging_root) / f"problem{p}" for p in stale}
            for path in staging.values():
                path.mkdir()
            workers = max(1, min(jobs, len(stale)))
            # Longest first (by the last recorded run), so the pool finishes together.
            order = sorted(stale, key=lambda p: -_previous_seconds(p))
            pool = ProcessPoolExecutor(max_workers=workers, initializer=_ignore_sigint)
            with _terminating_on_interrupt(pool):
                futures = {
                    pool.submit(run_problem, str(ROOT), p, str(staging[p])): p for p in order
                }
                failures = []
                for future in as_completed(futures):
                    problem = futures[future]
                    try:
                        result = future.result()
                    except GeneratorFailure as failure:
                        failures.append(str(failure))
                        continue
                    ledger = Ledger.from_json(result["ledger"])
                    key, reason = stale[problem]
                    digests = _install_figures(staging[problem], ledger)
                    cache.write_json(
                        _cache_file(problem),
                        {
                            "key": key,
                            "ledger": ledger.to_json(),
                            "figures": digests,
                            "seconds": result["seconds"],
                        },
                    )
                    ledgers[problem] = ledger
                    progress.step(f"generator {problem}", f"ran: {reason}", result["seconds"])
            if failures:
                raise BuildError("\n".join(failures), EXIT_GENERATOR)
    return [ledgers[p] for p in problems]


@contextlib.contextmanager
def _terminating_on_interrupt(pool):
    """Shut the pool down; on Ctrl-C stop its workers at once instead of waiting."""
    try:
        yield
    except KeyboardInterrupt:
        # ProcessPoolExecutor has no public way to stop running workers before 3.14.
        for process in list(getattr(pool, "_processes", {}).values()):
            process.terminate()
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown(wait=True)


def _ignore_sigint() -> None:
    """Workers leave Ctrl-C to the parent, which shuts them down cleanly."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)


# --------------------------------------------------------------------------- claims


def check_claims(ledgers: list[Ledger], progress: Progress) -> None:
    """Evaluate every check, write claims.json, stop on the first failures."""
    started = time.perf_counter()
    claims = [c for led in ledgers for c in led.claims]
    names = [c.name for c in claims]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise BuildError(f"claim names defined twice: {', '.join(duplicates)}", EXIT_CLAIM)
    # One claim per line: readable, and fast to produce (json's C encoder is
    # used only without indentation), since every build compares it.
    rows = ",\n".join(f"  {json.dumps(c.to_json())}" for c in claims)
    cache.write_if_changed(CLAIMS_JSON, f'{{"claims": [\n{rows}\n]}}\n')
    failed = [c for c in claims if not c.passed]
    if failed:
        lines = [
            f"claim {c.name} (problem {c.problem}) failed: value {c.value!r} does not satisfy "
            f"'{c.check.text}' (computed by {c.source})"
            for c in failed
        ]
        raise BuildError("\n".join(lines), EXIT_CLAIM)
    progress.step("claims", f"{len(claims)} checks passed", time.perf_counter() - started)


# --------------------------------------------------------------------------- render


def _template_error(error: Exception) -> BuildError:
    """One paragraph naming the template file and line of a Jinja error."""
    import traceback

    import jinja2

    file, line = None, None
    if isinstance(error, jinja2.TemplateSyntaxError):
        file, line = error.filename, error.lineno
    else:
        for frame in reversed(traceback.extract_tb(error.__traceback__)):
            if Path(frame.filename).resolve().is_relative_to(TEMPLATES):
                file, line = frame.filename, frame.lineno
                break
    where = f"{Path(file).resolve().relative_to(ROOT)}:{line}: " if file else ""
    message = getattr(error, "message", None) or str(error)
    return BuildError(f"{where}template error: {message}", EXIT_TEMPLATE)


RENDER_MODULES = ("pipeline/render.py", "pipeline/escape.py", "pipeline/appendix.py", "generator/ledger.py", "generator/layout.py")
"""Code that shapes the rendered LaTeX: a change to it re-renders."""


def _render_key(ledgers: list[Ledger], author: str) -> str:
    chunks = [author.encode(), json.dumps([led.to_json() for led in ledgers]).encode()]
    for path in sorted(TEMPLATES.iterdir()):
        chunks += [path.name.encode(), path.read_bytes()]
    for module in RENDER_MODULES:
        chunks.append((ROOT / module).read_bytes())
    return cache.digest_bytes(*chunks)


def _appendix(ledgers: list[Ledger]) -> str:
    """The claims table; rebuilt only when the claims or its own code change."""
    key = cache.digest_bytes(
        json.dumps([led.to_json() for led in ledgers]).encode(),
        (ROOT / "pipeline" / "appendix.py").read_bytes(),
    )
    stored = cache.read_json(CACHE / "appendix.json") or {}
    if stored.get("key") == key:
        return stored["latex"]
    from pipeline.appendix import claims_table

    latex = claims_table(ledgers)
    cache.write_json(CACHE / "appendix.json", {"key": key, "latex": latex})
    return latex


def render_sources(ledgers: list[Ledger], author: str, force: bool, progress: Progress) -> list[str]:
    """Render the templates into solutions/ unless their inputs are unchanged.

    Returns the names of the files in solutions/ that LaTeX reads.
    """
    started = time.perf_counter()
    key = _render_key(ledgers, author)
    state_file = CACHE / "render.json"
    state = cache.read_json(state_file) or {}
    outputs = state.get("outputs", {})
    if (
        not force
        and state.get("key") == key
        and all(cache.file_digest(SOLUTIONS / name) == digest for name, digest in outputs.items())
    ):
        progress.step("render", "skipped: templates and claims unchanged", time.perf_counter() - started)
        return sorted(outputs)

    import jinja2

    from pipeline.render import render

    try:
        rendered = render(TEMPLATES, ledgers, author, _appendix(ledgers), CACHE / "jinja")
    except (jinja2.TemplateError, TypeError) as error:
        raise _template_error(error) from None
    except UnicodeDecodeError as error:
        raise BuildError(f"a template is not valid UTF-8: {error}", EXIT_TEMPLATE) from None
    files = dict(rendered.files)
    files[BIBLIOGRAPHY] = (TEMPLATES / BIBLIOGRAPHY).read_text(encoding="utf-8")
    changed = [name for name, text in files.items() if cache.write_if_changed(SOLUTIONS / name, text)]
    cache.write_json(
        state_file,
        {"key": key, "outputs": {name: cache.file_digest(SOLUTIONS / name) for name in files}},
    )
    outcome = f"wrote {', '.join(changed)}" if changed else "unchanged output"
    if len(outcome) > 52:
        outcome = f"wrote {len(changed)} files"
    progress.step("render", outcome, time.perf_counter() - started)
    return sorted(files)


# --------------------------------------------------------------------------- latex


def _git_head() -> str | None:
    """The checked-out commit, read from ``.git`` without running git (cheap)."""
    git = ROOT / ".git"
    with contextlib.suppress(OSError, ValueError):
        if git.is_file():  # a worktree: ".git" names the real git directory
            git = (ROOT / git.read_text().split("gitdir:", 1)[1].strip()).resolve()
        common = git
        if (git / "commondir").is_file():
            common = (git / (git / "commondir").read_text().strip()).resolve()
        head = (git / "HEAD").read_text().strip()
        if not head.startswith("ref:"):
            return head
        ref = head.split(":", 1)[1].strip()
        for folder in (git, common):
            if (folder / ref).is_file():
                return (folder / ref).read_text().strip()
        for line in (common / "packed-refs").read_text().splitlines():
            if line.endswith(f" {ref}"):
                return line.split()[0]
    return None


def source_date_epoch() -> int:
    """The date written into the PDF's metadata.

    ``SOURCE_DATE_EPOCH`` from the environment when set (the reproducible-builds
    convention), else the last commit's time, else 0.  The document prints no
    date; this only makes equal sources give byte-identical PDFs.  The commit
    time is remembered per commit, so a no-op rebuild does not start git.
    """
    with contextlib.suppress(KeyError, ValueError):
        return int(os.environ["SOURCE_DATE_EPOCH"])
    head = _git_head()
    if head is None:
        return 0
    remembered = cache.read_json(CACHE / "epoch.json") or {}
    if remembered.get("head") == head:
        return int(remembered["epoch"])
    import subprocess

    epoch = 0
    with contextlib.suppress(OSError, subprocess.SubprocessError, ValueError):
        out = subprocess.run(
            ["git", "log", "-1", "--format=%ct", head],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=10,
        )
        if out.returncode == 0 and out.stdout.strip():
            epoch = int(out.stdout.strip())
    cache.write_json(CACHE / "epoch.json", {"head": head, "epoch": epoch})
    return epoch


def _latex_key(sources: list[str], ledgers: list[Ledger], epoch: int) -> str:
    chunks = [str(epoch).encode()]
    for name in sources:
        chunks += [name.encode(), (SOLUTIONS / name).read_bytes()]
    for ledger in ledgers:
        for figure in ledger.figures:
            chunks += [figure.file.encode(), cache.file_digest(FIGURES / figure.file).encode()]
    return cache.digest_bytes(*chunks)


def _latex_error(error) -> BuildError:
    """Name the template line a LaTeX error came from, with LaTeX's own message."""
    from pipeline.render import template_line

    log = error.log.relative_to(ROOT)
    if error.file is None:
        return BuildError(f"LaTeX error: {error.message}\n(full log: {log})", EXIT_LATEX)
    name = Path(error.file).name
    template, output = TEMPLATES / name, SOLUTIONS / name
    if (LATEX_DIR / error.file).resolve() == output.resolve() and template.is_file():
        line = template_line(
            template.read_text(encoding="utf-8"), output.read_text(encoding="utf-8"), error.line
        )
        where = f"templates/{name}:{line}: LaTeX error: {error.message}"
        origin = f"rendered as solutions/{name}:{error.line}"
    else:
        where = f"{error.file}:{error.line}: LaTeX error: {error.message}"
        origin = "not a template of this project"
    return BuildError(f"{where}\n({origin}; full log: {log})", EXIT_LATEX)


def compile_pdf(sources: list[str], ledgers: list[Ledger], force: bool, progress: Progress) -> None:
    """Compile with latexmk unless nothing it reads has changed; replace the PDF atomically."""
    started = time.perf_counter()
    epoch = source_date_epoch()
    key = _latex_key(sources, ledgers, epoch)
    state_file = CACHE / "latex.json"
    state = cache.read_json(state_file) or {}
    if not force and state.get("key") == key and cache.file_digest(PDF) == state.get("pdf"):
        progress.step("latex", "skipped: sources and figures unchanged", time.perf_counter() - started)
        return
    from pipeline import latex

    missing = latex.missing_programs()
    if missing:
        raise BuildError(f"{', '.join(missing)} not found on PATH; {latex.INSTALL_HINT}", EXIT_TOOLCHAIN)
    reason = "--force" if force else ("sources changed" if state else "no previous build")
    job = latex.Job(
        work_dir=LATEX_DIR,
        search_dirs=(SOLUTIONS, FIGURES),
        main=SOLUTIONS / "solutions.tex",
        source_date_epoch=epoch,
    )
    try:
        # latexmk does not see SOURCE_DATE_EPOCH; a new date must still reach the PDF.
        redate = state.get("epoch") != epoch
        latex.compile_pdf(job, force=force or redate, verbose=progress.verbose)
    except latex.LatexError as error:
        raise _latex_error(error) from None
    except KeyboardInterrupt:
        # pdflatex was killed mid-write: its .aux may be cut short, so the next
        # build starts LaTeX afresh rather than reading it.
        import shutil

        shutil.rmtree(LATEX_DIR, ignore_errors=True)
        raise
    cache.write_atomic(PDF, job.pdf.read_bytes())
    cache.write_json(state_file, {"key": key, "pdf": cache.file_digest(PDF), "epoch": epoch})
    progress.step("latex", f"compiled: {reason}", time.perf_counter() - started)


# --------------------------------------------------------------------------- commands


def command_build(args, progress: Progress) -> None:
    ledgers = run_generators(PROBLEMS, args.force, args.jobs, progress)
    check_claims(ledgers, progress)
    sources = render_sources(ledgers, args.author, args.force, progress)
    compile_pdf(sources, ledgers, args.force, progress)
    progress.done(f"{PDF.relative_to(ROOT)} up to date")


def command_figures(args, progress: Progress) -> None:
    run_generators(PROBLEMS, args.force, args.jobs, progress)
    progress.done("figures up to date")


def command_claims(args, progress: Progress) -> None:
    """Print the ledger as the appendix shows it: one row per claim."""
    from generator.ledger import plain_text

    ledgers = run_generators(PROBLEMS, args.force, args.jobs, Progress(True, False))
    rows = [
        (
            c.name,
            plain_text(c.text),
            c.check.text,
            "pass" if c.passed else "FAIL",
            c.source.removeprefix("generator."),
            c.description,
        )
        for led in ledgers
        for c in led.claims
    ]
    header = ("claim", "printed", "check", "result", "computed by", "statement")
    widths = [max(len(r[i]) for r in rows + [header]) for i in range(len(header))]
    for row in [header, tuple("-" * w for w in widths)] + rows:
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip())
    if any(r[3] == "FAIL" for r in rows):
        raise BuildError("some claims fail (marked FAIL above)", EXIT_CLAIM)


def command_clean(args, progress: Progress) -> None:
    import shutil

    started = time.perf_counter()
    shutil.rmtree(BUILD, ignore_errors=True)
    for folder in (FIGURES, SOLUTIONS):
        for path in folder.iterdir():
            if path.name != ".gitkeep":
                path.unlink()
    progress.step("clean", "removed build/, figures/*, solutions/*", time.perf_counter() - started)


COMMANDS = {
    "build": command_build,
    "figures": command_figures,
    "claims": command_claims,
    "clean": command_clean,
}


def parse_arguments(argv: list[str]) -> argparse.Namespace:
    import textwrap

    parser = argparse.ArgumentParser(
        prog="build.py",
        description=textwrap.fill(
            "Build solutions/solutions.pdf from the generator code (generator/) and the "
            "proof templates (templates/). Every number in the PDF is a claim computed by a "
            "generator and checked before LaTeX runs; steps whose inputs did not change are "
            "skipped, and each step prints one line saying what it did, why, and how long "
            "it took.",
            width=78,
        ),
        epilog=EXIT_CODES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "command",
        nargs="?",
        default="build",
        choices=sorted(COMMANDS),
        help="build (default): the whole PDF; figures: run the generators only; "
        "claims: print the claim ledger as a table; clean: remove every build output",
    )
    parser.add_argument("--force", action="store_true", help="ignore every cache and rebuild everything")
    parser.add_argument(
        "--author",
        default=DEFAULT_AUTHOR,
        metavar="NAME",
        help=f"name printed on the title page, literally (default: {DEFAULT_AUTHOR!r})",
    )
    parser.add_argument(
        "-j",
        "--jobs",
        type=int,
        default=os.cpu_count() or 1,
        metavar="N",
        help="generators to run in parallel (default: the number of cores)",
    )
    parser.add_argument(
        "--watch",
        action="store_true",
        help="after building, rebuild whenever a template or generator file changes (Ctrl-C stops)",
    )
    noise = parser.add_mutually_exclusive_group()
    noise.add_argument("-q", "--quiet", action="store_true", help="print errors only")
    noise.add_argument("-v", "--verbose", action="store_true", help="also show LaTeX's output")
    args = parser.parse_args(argv)
    if args.jobs < 1:
        parser.error("-j/--jobs must be at least 1")
    from pipeline.escape import unprintable_characters

    unprintable = unprintable_characters(args.author)
    if unprintable:
        shown = ", ".join(f"{ch!r} (U+{ord(ch):04X})" for ch in unprintable)
        parser.error(
            f"--author contains characters the document's Latin Modern (T1) fonts cannot "
            f"print: {shown}; write the name in Latin letters"
        )
    if args.watch and args.command == "clean":
        parser.error("--watch goes with build, figures or claims")
    return args


def run_once(args) -> int:
    progress = Progress(args.quiet, args.verbose)
    try:
        with build_lock(progress):
            COMMANDS[args.command](args, progress)
    except BuildError as error:
        print(f"build.py: error: {error}", file=sys.stderr)
        return error.code
    except Exception as error:  # a bug here, not bad input: one line, traceback on -v
        if args.verbose:
            raise
        print(
            f"build.py: internal error: {type(error).__name__}: {error} "
            "(run with -v for the traceback, and please report it)",
            file=sys.stderr,
        )
        return EXIT_INTERNAL
    return EXIT_OK


def _source_snapshot() -> dict[Path, int]:
    watched = [
        ROOT / "build.py",
        *sorted((ROOT / "generator").rglob("*.py")),
        *sorted((ROOT / "pipeline").rglob("*.py")),
        *sorted(TEMPLATES.iterdir()),
    ]
    return {path: path.stat().st_mtime_ns for path in watched if path.is_file()}


def watch(args) -> int:
    """Rebuild whenever a template or generator file is saved, until Ctrl-C."""
    snapshot = _source_snapshot()
    run_once(args)
    print("watching generator/, pipeline/, templates/ and build.py; Ctrl-C to stop", flush=True)
    while True:
        time.sleep(0.5)
        current = _source_snapshot()
        if current != snapshot:
            changed = sorted(str(p.relative_to(ROOT)) for p in current.keys() ^ snapshot.keys() | {
                p for p in current.keys() & snapshot.keys() if current[p] != snapshot[p]
            })
            snapshot = current
            print(f"changed: {', '.join(changed)}", flush=True)
            run_once(args)


def main(argv: list[str] | None = None) -> int:
    args = parse_arguments(sys.argv[1:] if argv is None else argv)
    try:
        if args.watch:
            return watch(args)
        return run_once(args)
    except KeyboardInterrupt:
        if args.watch:
            return EXIT_OK
        print("build.py: interrupted; the previous PDF and caches are intact", file=sys.stderr)
        return EXIT_INTERRUPTED


if __name__ == "__main__":
    sys.exit(main())
