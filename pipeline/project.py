"""Where a checkout keeps its inputs and outputs.

One :class:`Project` value names every folder and file the build reads or
writes, so that each step takes the project it works on as an argument and
the tests can build a copy of the checkout exactly like the real one.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

EDITIONS = ("submission", "extended")
"""The two documents built from one set of templates, in the order they are listed."""

JOBNAMES = {"submission": "solutions", "extended": "solutions-extended"}
"""Each edition's file name (without suffix): ``solutions/<jobname>.pdf``."""

MAIN_TEMPLATE = "solutions.tex"
"""The template of both editions' main file."""

EXTERNAL_LABELS = "extended-labels"
"""The extended edition's labels, as the submission's ``\\externaldocument`` reads them."""


@dataclass(frozen=True)
class Project:
    """The folders and files of the checkout rooted at ``root``."""

    root: Path

    @property
    def templates(self) -> Path:
        """The Jinja/LaTeX templates that hold the proofs."""
        return self.root / "templates"

    @property
    def figures(self) -> Path:
        """Figures drawn by the generators."""
        return self.root / "figures"

    @property
    def solutions(self) -> Path:
        """The deliverables: the two PDFs, the claims they print, the source bundle."""
        return self.root / "solutions"

    @property
    def build(self) -> Path:
        """Everything else the build writes: caches, rendered sources, LaTeX's work folder, the lock."""
        return self.root / "build"

    @property
    def cache(self) -> Path:
        return self.build / "cache"

    @property
    def latex_dir(self) -> Path:
        return self.build / "latex"

    @property
    def settings_file(self) -> Path:
        """The student's details (tracked by git)."""
        return self.root / "submission.toml"

    def sources(self, edition: str) -> Path:
        """The rendered LaTeX sources of ``edition``."""
        return self.build / "tex" / edition

    def pdf(self, edition: str) -> Path:
        return self.solutions / f"{JOBNAMES[edition]}.pdf"

    @property
    def claims_json(self) -> Path:
        return self.solutions / "claims.json"

    @property
    def failed_claims_json(self) -> Path:
        """Where a ledger with a failing claim goes (never beside the PDFs it does not describe)."""
        return self.build / "claims-failed.json"

    @property
    def source_bundle(self) -> Path:
        return self.solutions / "submission-source.zip"

    @property
    def mutation_results(self) -> Path:
        """What ``make mutate`` last measured (tracked by git; quoted by the extended appendix)."""
        return self.root / "tests" / "mutation" / "results.json"

    @property
    def outputs_record(self) -> Path:
        """The files the build wrote outside ``build/``: all that ``clean`` may delete."""
        return self.build / "outputs.json"

    def relative(self, path: Path) -> str:
        """``path`` as the user sees it: relative to the checkout when inside it."""
        path = Path(path).resolve()
        return str(path.relative_to(self.root)) if path.is_relative_to(self.root) else str(path)
