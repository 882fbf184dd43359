"""Compile one rendered document with latexmk, sandboxed and reproducibly.

pdflatex runs in the build folder (``build/latex``) with shell escape off and
``openout_any=p``, so it cannot write anywhere but there; the rendered sources
and the figures are found through ``TEXINPUTS``.  ``SOURCE_DATE_EPOCH`` with
``FORCE_SOURCE_DATE=1`` fixes every date pdfTeX would write, and the preamble
sets ``\\pdftrailerid{}``, so equal inputs give byte-identical PDFs.

Faults never leave a later build failing: a marker file exists while latexmk
runs, so auxiliary files left by a run that was cut short (a kill, a power
cut) are recognised and removed before the next run; the latexmk process
group is stopped when the build is interrupted; and the build lock is handed
down to LaTeX (:func:`pipeline.lock.inherited_fds`).
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from pipeline.lock import inherited_fds

PROGRAMS = ("latexmk", "pdflatex", "bibtex")

INSTALL_HINT = (
    "install TeX Live: on Debian/Ubuntu run 'sudo apt-get install latexmk texlive-latex-base "
    "texlive-latex-recommended texlive-latex-extra texlive-fonts-recommended texlive-science "
    "lmodern' (or run 'make pdf', which does it when run as root); elsewhere see "
    "https://tug.org/texlive/"
)

_FILE_LINE_ERROR = re.compile(r"^(?P<file>[^\s:][^:]*\.(?:tex|sty|cls|bbl|aux|toc|out)):(?P<line>\d+): (?P<message>.*)$")
_PASS = re.compile(r"^Latexmk: Run number (\d+) of rule '([^']+)'")


class LatexError(Exception):
    """pdflatex stopped; carries the file, line and LaTeX's one-line message."""

    def __init__(self, file: str | None, line: int | None, message: str, log: Path):
        super().__init__(message)
        self.file = file
        self.line = line
        self.message = message
        self.log = log

    @property
    def from_auxiliary_file(self) -> bool:
        """Whether the error comes from LaTeX's own auxiliary files (cut short or corrupt)."""
        internal = "while scanning use of \\@" in self.message  # \@newl@bel, \@writefile: only in .aux/.toc
        return (self.file or "").endswith((".aux", ".toc", ".out", ".bbl")) or internal


def missing_programs() -> list[str]:
    """The LaTeX programs the build needs that are not on ``PATH``."""
    return [name for name in PROGRAMS if shutil.which(name) is None]


def first_error(log_text: str) -> tuple[str | None, int | None, str]:
    """The first error in a pdfTeX log run with ``-file-line-error``.

    Returns ``(file, line, message)``; ``file`` and ``line`` are None when the
    error names no source line (a missing package, say).  The message is
    LaTeX's own first line without its "LaTeX Error:" prefix, with the
    offending input (``l.57 \\foo``) appended when the log shows it.
    """
    lines = log_text.splitlines()
    for index, text in enumerate(lines):
        match = _FILE_LINE_ERROR.match(text)
        bang = text.startswith("! ")
        if not (match or bang):
            continue
        message = match.group("message") if match else text[2:]
        message = message.strip().removeprefix("LaTeX Error: ")
        context = next(
            (later.strip() for later in lines[index + 1 : index + 12] if later.startswith("l.")),
            "",
        )
        if context:
            message = f"{message} (at '{context}')"
        if match:
            return match.group("file"), int(match.group("line")), message
        return None, None, message
    return None, None, "pdflatex failed without an error message in its log"


@dataclass(frozen=True)
class Job:
    """Where a compilation reads and writes."""

    work_dir: Path
    """Build folder: the only place pdflatex may write."""
    search_dirs: tuple[Path, ...]
    """Folders searched for ``\\input``, figures and the bibliography."""
    main: Path
    """The rendered main file, e.g. ``build/tex/submission/solutions.tex``."""
    source_date_epoch: int

    @property
    def jobname(self) -> str:
        return self.main.stem

    @property
    def pdf(self) -> Path:
        return self.work_dir / f"{self.jobname}.pdf"

    @property
    def log(self) -> Path:
        return self.work_dir / f"{self.jobname}.log"

    @property
    def marker(self) -> Path:
        """Exists exactly while latexmk runs this job (or after a run was cut short)."""
        return self.work_dir / f"{self.jobname}.running"

    def auxiliary_files(self) -> list[Path]:
        """Everything LaTeX and latexmk keep between runs of this job."""
        return sorted(self.work_dir.glob(f"{self.jobname}.*"))


def _environment(job: Job) -> dict[str, str]:
    search = os.pathsep.join(os.path.relpath(d, job.work_dir) for d in job.search_dirs)
    env = dict(os.environ)
    env.update(
        TEXINPUTS=search + os.pathsep,
        BIBINPUTS=search + os.pathsep,
        openout_any="p",
        shell_escape="f",
        SOURCE_DATE_EPOCH=str(job.source_date_epoch),
        FORCE_SOURCE_DATE="1",
        max_print_line="1000",
    )
    return env


def was_cut_short(job: Job) -> bool:
    """Whether the last run of ``job`` never finished (its marker is still there)."""
    return job.marker.exists()


def start_afresh(job: Job) -> None:
    """Remove every auxiliary file of ``job`` so that LaTeX starts from nothing."""
    for path in job.auxiliary_files():
        path.unlink(missing_ok=True)


_running: set[subprocess.Popen] = set()
_running_lock = threading.Lock()


def stop_all() -> None:
    """Kill every latexmk process tree still running (on Ctrl-C, SIGTERM, SIGHUP)."""
    with _running_lock:
        for process in list(_running):
            try:
                os.killpg(process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass


_PDFLATEX_OPTIONS = ("-interaction=nonstopmode", "-halt-on-error", "-file-line-error", "-no-shell-escape")


def _command(job: Job, force: bool, verbose: bool) -> list[str]:
    return [
        "latexmk",
        "-pdf",
        *_PDFLATEX_OPTIONS,
        "-silent" if not verbose else "-verbose",
        *(["-g"] if force else []),
        os.path.relpath(job.main, job.work_dir),
    ]


def _run(
    job: Job, command: list[str], on_pass: Callable[[int, str], None], verbose: bool,
    on_start: Callable[[], None] = lambda: None,
) -> int:
    """Run latexmk (or pdflatex), reporting each pass as it starts; its own session, so it can be stopped whole.

    ``on_start`` is called once the process exists (it reports a lone pdflatex pass)."""
    process = subprocess.Popen(
        command,
        cwd=job.work_dir,
        env=_environment(job),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        errors="replace",
        start_new_session=True,
        pass_fds=inherited_fds(),
    )
    with _running_lock:
        _running.add(process)
    on_start()
    try:
        for line in process.stdout:
            if verbose:
                print(line, end="", flush=True)
            match = _PASS.match(line)
            if match:
                on_pass(int(match.group(1)), match.group(2).split()[0])
        return process.wait()
    finally:
        with _running_lock:
            _running.discard(process)
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


# Files one pass writes and the next reads: if a pass leaves them as they were,
# another pass would typeset the same document.
_FED_FORWARD = (".aux", ".toc", ".out")
_RERUN = re.compile(r"Rerun to get|Rerun LaTeX|Please rerun|Please \(re\)run")  # not the rerunfilecheck banner


def _compiled_before(job: Job) -> bool:
    """Whether latexmk has compiled ``job`` to the end before (its state is there, its PDF too)."""
    return job.pdf.is_file() and job.work_dir.joinpath(f"{job.jobname}.fdb_latexmk").is_file()


def _single_pass(job: Job, verbose: bool, on_pass: Callable[[int, str], None]) -> int | None:
    """One pdflatex pass, as latexmk would run it.

    Returns pdflatex's exit code when that pass settles the document (it
    succeeded, left the files fed to the next pass as they were and asked for
    no rerun) or failed; None when latexmk must take over (a new document,
    changed cross-references, a bibliography to update).  This spares an edit
    latexmk's bookkeeping, which costs a fifth of a pass.
    """
    fed = [job.work_dir / f"{job.jobname}{suffix}" for suffix in _FED_FORWARD]
    before = [path.read_bytes() if path.is_file() else None for path in fed]
    command = ["pdflatex", *_PDFLATEX_OPTIONS, *([] if verbose else ["-interaction=batchmode"]),
               "-recorder", os.path.relpath(job.main, job.work_dir)]
    returncode = _run(job, command, lambda number, rule: None, verbose, on_start=lambda: on_pass(1, "pdflatex"))
    if returncode != 0:
        return returncode
    after = [path.read_bytes() if path.is_file() else None for path in fed]
    log = job.log.read_text(encoding="utf-8", errors="replace") if job.log.is_file() else "Rerun"
    return 0 if after == before and not _RERUN.search(log) else None


def compile_pdf(
    job: Job,
    force: bool = False,
    verbose: bool = False,
    on_pass: Callable[[int, str], None] = lambda number, rule: None,
) -> None:
    """Compile ``job`` with one pdflatex pass or latexmk; raise :class:`LatexError` if pdflatex fails.

    ``force`` makes latexmk run pdflatex even if it finds nothing changed
    (``-g``); LaTeX's own auxiliary files are kept, so a forced build needs no
    more passes than the document's cross-references require.  Otherwise one
    pass is tried first (:func:`_single_pass`), and latexmk runs only when it
    does not settle the document.  ``on_pass`` is called with the pass number
    and the program (``pdflatex``, ``bibtex``) as each pass starts.
    """
    job.work_dir.mkdir(parents=True, exist_ok=True)
    job.marker.write_text("LaTeX is running; if this file outlives it, the run was cut short\n")
    returncode, passes_before = None, 0
    if not force and _compiled_before(job):
        returncode, passes_before = _single_pass(job, verbose, on_pass), 1
    if returncode is None:
        def numbered(number: int, program: str) -> None:
            on_pass(number + passes_before if program == "pdflatex" else number, program)

        returncode = _run(job, _command(job, force, verbose), numbered, verbose)
    # latexmk returned: whatever it left is consistent, even after a LaTeX error.
    job.marker.unlink(missing_ok=True)
    if returncode != 0 or not job.pdf.is_file():
        try:
            log_text = job.log.read_text(encoding="utf-8", errors="replace")
        except FileNotFoundError:
            log_text = ""
        file, line, message = first_error(log_text)
        raise LatexError(file, line, message, job.log)


_UNDEFINED = re.compile(
    r"(?:LaTeX|Package natbib) Warning: (Reference|Citation) `([^']+)' on page \S+ undefined"
)
_MULTIPLY = re.compile(r"LaTeX Warning: Label `([^']+)' multiply defined")
_MISSING_DESTINATION = re.compile(r"pdfTeX warning \(dest\): name\{([^}]+)\} has been referenced but does not exist")


def dangling_references(log_text: str) -> list[tuple[str, str]]:
    """``(kind, name)`` for every unresolved reference, citation, link or doubled label in a final log.

    ``kind`` is ``"reference"``, ``"citation"``, ``"link"`` or ``"label defined twice"``.
    """
    found: list[tuple[str, str]] = []
    for kind, name in _UNDEFINED.findall(log_text):
        found.append((kind.lower(), name))
    found += [("label defined twice", name) for name in _MULTIPLY.findall(log_text)]
    found += [("link", name) for name in _MISSING_DESTINATION.findall(log_text)]
    return list(dict.fromkeys(found))
