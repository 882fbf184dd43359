"""How the build fails: one exception type and one documented exit code per cause."""

from __future__ import annotations

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
