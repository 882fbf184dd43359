"""Where a checkout keeps its inputs and outputs.

One :class:`Project` value names every folder and file the build reads or
writes, so that each step takes the project it works on as an argument and
the tests can build a copy of the checkout exactly like the real one.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


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
        """The deliverables: the PDF, its rendered sources and the claims."""
        return self.root / "solutions"

    @property
    def build(self) -> Path:
        """Everything else the build writes: caches, LaTeX's work folder, the lock."""
        return self.root / "build"

    @property
    def cache(self) -> Path:
        return self.build / "cache"

    @property
    def latex_dir(self) -> Path:
        return self.build / "latex"

    @property
    def pdf(self) -> Path:
        return self.solutions / "solutions.pdf"

    @property
    def claims_json(self) -> Path:
        return self.solutions / "claims.json"

    def relative(self, path: Path) -> str:
        """``path`` as the user sees it: relative to the checkout when inside it."""
        path = Path(path).resolve()
        return str(path.relative_to(self.root)) if path.is_relative_to(self.root) else str(path)
