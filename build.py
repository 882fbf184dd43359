#!/usr/bin/env python3
"""Build the verified solutions: generators -> checked claims -> LaTeX -> PDF.

This file is the command line; it only orchestrates.  The steps live in the
``pipeline`` package, one module each (one progress line each, with its time
and why it ran or was skipped):

  1. generators  pipeline.generate: run generator/problemN's run() for every
                 problem whose inputs changed (in parallel), writing figures/
                 and the problem's ledger of claims;
  2. claims      pipeline.verify: evaluate every claim's check and write
                 solutions/claims.json; stop if any fails;
  3. render      pipeline.typeset: render templates/*.tex into solutions/
                 with the claims;
  4. latex       pipeline.pdf: compile solutions/solutions.pdf with latexmk
                 (skipped when the rendered sources and figures are unchanged).

The previous solutions/solutions.pdf is replaced only by a complete new one.
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))

# The project root must be importable first.
from pipeline import available_problems  # noqa: E402
from pipeline.errors import (  # noqa: E402
    EXIT_CLAIM,
    EXIT_CODES,
    EXIT_GENERATOR,
    EXIT_INTERNAL,
    EXIT_INTERRUPTED,
    EXIT_LATEX,
    EXIT_OK,
    EXIT_TEMPLATE,
    EXIT_TOOLCHAIN,
    EXIT_USAGE,
    BuildError,
)
from pipeline.generate import run_generators  # noqa: E402
from pipeline.pdf import compile_pdf, source_date_epoch  # noqa: E402
from pipeline.progress import Progress  # noqa: E402
from pipeline.project import Project  # noqa: E402
from pipeline.typeset import render_sources  # noqa: E402
from pipeline.verify import check_claims  # noqa: E402

PROJECT = Project(ROOT)
DEFAULT_AUTHOR = "Anonymous student"
PROBLEMS = available_problems(ROOT)


@contextlib.contextmanager
def build_lock(progress: Progress):
    """Serialise builds in one checkout; a second build waits for the first."""
    PROJECT.build.mkdir(exist_ok=True)
    with open(PROJECT.build / "build.lock", "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if not progress.quiet:
                print("another build is running in this checkout; waiting for it", flush=True)
            fcntl.flock(handle, fcntl.LOCK_EX)
        yield


# --------------------------------------------------------------------------- commands


def command_build(args, progress: Progress) -> None:
    ledgers = run_generators(PROJECT, PROBLEMS, args.force, args.jobs, progress)
    check_claims(PROJECT, ledgers, progress)
    sources = render_sources(PROJECT, ledgers, args.author, args.force, progress)
    compile_pdf(PROJECT, sources, ledgers, args.force, progress)
    progress.done(f"{PROJECT.relative(PROJECT.pdf)} up to date")


def command_figures(args, progress: Progress) -> None:
    run_generators(PROJECT, PROBLEMS, args.force, args.jobs, progress)
    progress.done("figures up to date")


def command_claims(args, progress: Progress) -> None:
    """Print the ledger as the appendix shows it: one row per claim."""
    from generator.ledger import plain_text

    ledgers = run_generators(PROJECT, PROBLEMS, args.force, args.jobs, Progress(True, False))
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
    shutil.rmtree(PROJECT.build, ignore_errors=True)
    for folder in (PROJECT.figures, PROJECT.solutions):
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
        *sorted(PROJECT.templates.iterdir()),
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
