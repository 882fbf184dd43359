"""The build toolchain that ``build.py`` drives: from verified claims to a PDF.

What belongs here is plumbing, not mathematics:

* :mod:`pipeline.execute` runs one problem's generator in a worker process;
* :mod:`pipeline.cache` keys every step by the content of its inputs and
  writes files atomically;
* :mod:`pipeline.render` renders the Jinja/LaTeX templates with the claims,
  :mod:`pipeline.escape` prints user strings literally and
  :mod:`pipeline.appendix` typesets the table of verified claims;
* :mod:`pipeline.latex` compiles the rendered sources with latexmk.

Nothing here computes a number that the PDF prints: that is the job of the
:mod:`generator` package, whose ledgers this package only reads.
"""

from pathlib import Path

ALL_PROBLEMS = (1, 2, 3, 4)


def generator_source(root: Path, problem: int) -> Path | None:
    """Problem ``problem``'s generator under ``root``: its package folder or module file."""
    package = root / "generator" / f"problem{problem}"
    if (package / "__init__.py").is_file():
        return package
    module = package.with_suffix(".py")
    return module if module.is_file() else None


def available_problems(root: Path) -> tuple[int, ...]:
    """Problems with both a generator and a template under ``root``."""
    return tuple(
        n
        for n in ALL_PROBLEMS
        if generator_source(root, n) is not None
        and (root / "templates" / f"problem{n}.tex").is_file()
    )
