#!/usr/bin/env python3
"""Build the verified solutions: generators -> checked claims -> LaTeX -> two PDFs.

This file is the command line; it only orchestrates.  The steps live in the
``pipeline`` package, one module each (each prints a line when it ends, with
its time and why it ran or was skipped; LaTeX passes print a line as they
start):

  1. generators  pipeline.generate: run generator/problemN's run() for every
                 problem whose inputs changed (in parallel), writing figures/
                 and the problem's ledger of claims;
  2. claims      pipeline.verify: evaluate every claim's check; stop if any
                 fails;
  3. render      pipeline.typeset: render templates/*.tex for both editions
                 into build/tex/ with the claims and submission.toml;
  4. latex       pipeline.pdf: compile solutions/solutions.pdf (the
                 submission) and solutions/solutions-extended.pdf with latexmk,
                 refuse dangling references, then install both PDFs and
                 solutions/claims.json together.

The previous PDFs are replaced only by complete new ones.
"""

from __future__ import annotations

import sys

if sys.version_info < (3, 11):
    sys.exit(
        f"build.py: error: Python 3.11 or newer is needed (this is {sys.version.split()[0]}); "
        "run 'make pdf', or start build.py with a newer python3"
    )

import argparse  # noqa: E402  (after the version check, which must run first)
import os  # noqa: E402
import signal  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))

from pipeline import available_problems  # noqa: E402  (the project root must be importable first)
from pipeline.errors import (  # noqa: E402
    EXIT_CLAIM,
    EXIT_CODES,
    EXIT_DEPENDENCIES,
    EXIT_HANGUP,
    EXIT_INTERNAL,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_TERMINATED,
    EXIT_USAGE,
    BuildError,
    environment_error,
)
from pipeline.generate import GENERATOR_TIMEOUT  # noqa: E402
from pipeline.lock import build_lock  # noqa: E402
from pipeline.progress import Progress  # noqa: E402
from pipeline.project import EDITIONS, Project  # noqa: E402
from pipeline.settings import DEFAULT_AUTHOR, KEYS, SettingsError, load  # noqa: E402

PROJECT = Project(ROOT)
PROBLEMS = available_problems(ROOT)
PACKAGES = ("numpy", "scipy", "matplotlib", "jinja2", "pylatex")
"""Python packages the build imports (requirements.txt pins them)."""


class Interrupted(KeyboardInterrupt):
    """Ctrl-C, SIGTERM or SIGHUP: every step stops its children and leaves nothing half-written."""

    def __init__(self, number: int = signal.SIGINT):
        super().__init__(signal.Signals(number).name)
        self.number = number


def _interrupt(number, frame) -> None:
    raise Interrupted(number)


# --------------------------------------------------------------------------- commands


def _student(args):
    overrides = {key: getattr(args, key) for key in KEYS}
    try:
        return load(PROJECT.settings_file, overrides)
    except SettingsError as error:
        raise BuildError(str(error), EXIT_USAGE) from None


def command_build(args, progress: Progress) -> None:
    from pipeline.generate import run_generators
    from pipeline.pdf import compile_editions
    from pipeline.typeset import render_sources
    from pipeline.verify import check_claims

    student = _student(args)
    ledgers = run_generators(PROJECT, PROBLEMS, args.force, args.jobs, progress, args.timeout)
    claims_text = check_claims(PROJECT, ledgers, progress)
    sources = render_sources(PROJECT, ledgers, student, args.force, progress)
    compile_editions(PROJECT, sources, ledgers, claims_text, args.force, progress)
    shown = " and ".join(PROJECT.relative(PROJECT.pdf(e)) for e in EDITIONS)
    progress.done(f"{shown} up to date")


def command_dist(args, progress: Progress) -> None:
    from pipeline.bundle import write_source_bundle
    from pipeline.pdf import source_date_epoch

    command_build(args, progress)
    started = time.perf_counter()
    outcome = write_source_bundle(PROJECT, source_date_epoch(PROJECT))
    progress.step("dist", outcome, time.perf_counter() - started)


def command_figures(args, progress: Progress) -> None:
    from pipeline.generate import run_generators

    run_generators(PROJECT, PROBLEMS, args.force, args.jobs, progress, args.timeout)
    progress.done("figures up to date")


def command_claims(args, progress: Progress) -> None:
    """Print the ledger as a table that fits 100 columns, one row per claim."""
    from pipeline.claims_table import terminal_table
    from pipeline.generate import run_generators

    ledgers = run_generators(PROJECT, PROBLEMS, args.force, args.jobs, Progress(True, False), args.timeout)
    lines, failed = terminal_table(ledgers, latex=args.latex, statements=args.verbose)
    for line in lines:
        progress.print_always(line)
    if failed:
        raise BuildError("some claims fail (marked FAIL above)", EXIT_CLAIM)


def command_clean(args, progress: Progress) -> None:
    import shutil

    from pipeline.outputs import remove_recorded

    started = time.perf_counter()
    removed, kept = remove_recorded(PROJECT)
    shutil.rmtree(PROJECT.build, ignore_errors=True)
    progress.step("clean", f"removed build/ and {len(removed)} files the build made", time.perf_counter() - started)
    for name in kept:
        progress.note(f"kept {name}: it changed since the build wrote it")


COMMANDS = {
    "build": command_build,
    "dist": command_dist,
    "figures": command_figures,
    "claims": command_claims,
    "clean": command_clean,
}


DESCRIPTION = """\
Build two PDFs from the generator code (generator/) and the proof templates
(templates/): solutions/solutions.pdf, the submission a grader reads, and
solutions/solutions-extended.pdf, which keeps every further result, experiment
and figure and the provenance of every number. Every number in them is a claim
computed by a generator and checked before LaTeX runs. Steps whose inputs did
not change are skipped; each step prints what it did, why, and how long it took.

The student's details (name, id, group, date) come from submission.toml; the
options below override them for one build only."""

COMMAND_HELP = """\
build (default): both PDFs; dist: build, then write solutions/submission-source.zip
(the submission's LaTeX source, which compiles on its own); figures: run the
generators only; claims: print the claim ledger as a table; clean: remove what
the build made (never a file it did not make)"""


def parse_arguments(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="build.py",
        description=DESCRIPTION,
        epilog=EXIT_CODES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("command", nargs="?", default="build", choices=sorted(COMMANDS), help=COMMAND_HELP)
    parser.add_argument("--force", action="store_true", help="ignore every cache and rebuild everything")
    details = parser.add_argument_group("the student's details (default: submission.toml)")
    details.add_argument("--author", metavar="NAME", help=f"name on the first page (file's default: {DEFAULT_AUTHOR!r})")
    details.add_argument("--student-id", dest="student_id", metavar="ID", help="student id on the first page")
    details.add_argument("--group", metavar="GROUP", help="group on the first page")
    details.add_argument("--date", metavar="DATE", help="date on the first page, as written")
    parser.add_argument(
        "-j",
        "--jobs",
        type=int,
        default=os.cpu_count() or 1,
        metavar="N",
        help="generators to run in parallel (default: the number of cores)",
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=GENERATOR_TIMEOUT,
        metavar="SECONDS",
        help=f"stop a generator that runs longer than this (default: {GENERATOR_TIMEOUT:.0f})",
    )
    parser.add_argument(
        "--watch",
        action="store_true",
        help="after building, rebuild whenever a template, generator or pipeline file changes (Ctrl-C stops)",
    )
    parser.add_argument("--latex", action="store_true", help="claims: show the LaTeX each claim prints, not plain text")
    noise = parser.add_mutually_exclusive_group()
    noise.add_argument("-q", "--quiet", action="store_true", help="print errors only")
    noise.add_argument("-v", "--verbose", action="store_true", help="also show LaTeX's output (claims: the statements)")
    args = parser.parse_args(argv)
    if args.jobs < 1:
        parser.error("-j/--jobs must be at least 1")
    if not args.timeout > 0:
        parser.error("--timeout must be a positive number of seconds")
    if args.watch and args.command in ("clean", "dist"):
        parser.error(f"--watch goes with build, figures or claims, not {args.command}")
    return args


def _missing_packages() -> list[str]:
    """The Python packages the build needs that this interpreter cannot import (none imported)."""
    from importlib.util import find_spec

    return [name for name in PACKAGES if find_spec(name) is None]


def run_once(args) -> int:
    progress = Progress(args.quiet, args.verbose)
    try:
        if args.command != "clean":
            missing = _missing_packages()
            if missing:
                raise BuildError(
                    f"Python packages missing for {sys.executable}: {', '.join(missing)}. Run 'make pdf' "
                    "(it creates .venv with the pinned packages), or 'pip install -r requirements.txt' "
                    "in an environment of your own",
                    EXIT_DEPENDENCIES,
                )
        with build_lock(PROJECT, progress):
            COMMANDS[args.command](args, progress)
    except BuildError as error:
        print(f"build.py: error: {error}", file=sys.stderr)
        return error.code
    except OSError as error:
        found = environment_error(error, PROJECT.relative)
        if found is None or args.verbose:
            return _internal_error(error, args)
        print(f"build.py: error: {found}", file=sys.stderr)
        return found.code
    except Exception as error:  # a bug here, not bad input: one line, traceback on -v
        return _internal_error(error, args)
    return EXIT_OK


def _internal_error(error: BaseException, args) -> int:
    if args.verbose:
        raise error
    print(
        f"build.py: internal error: {type(error).__name__}: {error} "
        "(run with -v for the traceback, and please report it)",
        file=sys.stderr,
    )
    return EXIT_INTERNAL


def _source_snapshot() -> dict[Path, int]:
    watched = [
        ROOT / "build.py",
        PROJECT.settings_file,
        *sorted((ROOT / "generator").rglob("*.py")),
        *sorted((ROOT / "pipeline").rglob("*.py")),
        *sorted(PROJECT.templates.iterdir()),
    ]
    return {path: path.stat().st_mtime_ns for path in watched if path.is_file()}


def watch(args) -> int:
    """Rebuild whenever a template, generator or pipeline file is saved, until Ctrl-C."""
    snapshot = _source_snapshot()
    run_once(args)
    print("watching generator/, pipeline/, templates/, submission.toml and build.py; Ctrl-C to stop", flush=True)
    while True:
        time.sleep(0.5)
        current = _source_snapshot()
        if current != snapshot:
            changed = sorted(
                str(p.relative_to(ROOT))
                for p in current.keys() ^ snapshot.keys()
                | {p for p in current.keys() & snapshot.keys() if current[p] != snapshot[p]}
            )
            snapshot = current
            print(f"changed: {', '.join(changed)}", flush=True)
            run_once(args)


_EXIT_FOR_SIGNAL = {signal.SIGINT: EXIT_INTERRUPTED, signal.SIGTERM: EXIT_TERMINATED, signal.SIGHUP: EXIT_HANGUP}


def main(argv: list[str] | None = None) -> int:
    args = parse_arguments(sys.argv[1:] if argv is None else argv)
    for number in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(number, _interrupt)
    try:
        if args.watch:
            return watch(args)
        return run_once(args)
    except KeyboardInterrupt as interruption:
        number = getattr(interruption, "number", signal.SIGINT)
        if args.watch and number == signal.SIGINT:
            return EXIT_OK
        what = {signal.SIGINT: "interrupted", signal.SIGTERM: "terminated", signal.SIGHUP: "hung up"}[number]
        print(f"build.py: {what}; the previous PDFs and caches are intact", file=sys.stderr)
        return _EXIT_FOR_SIGNAL[number]


if __name__ == "__main__":
    sys.exit(main())
