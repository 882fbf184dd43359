"""How the build fails: one exception type and one documented exit code per cause."""

from __future__ import annotations

import errno

EXIT_OK = 0
EXIT_INTERNAL = 1
EXIT_USAGE = 2
EXIT_CLAIM = 3
EXIT_TEMPLATE = 4
EXIT_GENERATOR = 5
EXIT_LATEX = 6
EXIT_TOOLCHAIN = 7
EXIT_ENVIRONMENT = 8
EXIT_DEPENDENCIES = 9
EXIT_HANGUP = 129
EXIT_INTERRUPTED = 130
EXIT_TERMINATED = 143

EXIT_CODES = f"""exit codes:
  {EXIT_OK}    success (both PDFs are up to date)
  {EXIT_INTERNAL}    unexpected internal error (a bug in build.py: please report it)
  {EXIT_USAGE}    bad command line or submission.toml (the option or key is named)
  {EXIT_CLAIM}    a claim's check failed (the claim, its value and its check are printed)
  {EXIT_TEMPLATE}    a template is broken (syntax error, unknown claim or variable)
  {EXIT_GENERATOR}    a generator raised an exception
  {EXIT_LATEX}    LaTeX failed, or a reference, citation or label dangles (the
       template file and line are printed)
  {EXIT_TOOLCHAIN}    latexmk, pdflatex, bibtex or a LaTeX font package is missing
  {EXIT_ENVIRONMENT}    a file or folder cannot be written: permission denied, disk full,
       missing folder (the path is named)
  {EXIT_DEPENDENCIES}    Python packages are missing (run 'make pdf', or
       'pip install -r requirements.txt')
  {EXIT_INTERRUPTED}  interrupted (Ctrl-C); {EXIT_HANGUP} hung up (SIGHUP); {EXIT_TERMINATED} terminated (SIGTERM)
In every failing case the previous PDFs are left untouched, and nothing is
left half-written that a later build would trip over."""


class BuildError(Exception):
    """A failure with a short message for the user and an exit code."""

    def __init__(self, message: str, code: int):
        super().__init__(message)
        self.code = code


ENVIRONMENT_ERRNOS = {
    errno.EACCES: "permission denied",
    errno.EPERM: "operation not permitted",
    errno.EROFS: "the file system is read-only",
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "the disk quota is exhausted",
    errno.ENOENT: "a folder on the way does not exist",
    errno.ENOTDIR: "a folder on the way is a file",
    errno.EEXIST: "something that is not a folder (a dangling link, a file) is in the way",
}


def environment_error(error: OSError, relative) -> BuildError | None:
    """A :class:`BuildError` naming the path for an error of the machine, not of the build.

    ``relative`` shows a path as the user sees it.  Returns None for other
    operating-system errors (those are bugs and are reported as such).
    """
    cause = ENVIRONMENT_ERRNOS.get(error.errno)
    if cause is None:
        return None
    path = error.filename or "a file the build writes"
    shown = relative(path) if error.filename else path
    return BuildError(
        f"cannot use {shown}: {cause} ({error.strerror}). The build writes into solutions/, "
        "figures/ and build/ of the checkout; make them writable (or free some space) and run "
        "it again. The previous PDFs are untouched.",
        EXIT_ENVIRONMENT,
    )
