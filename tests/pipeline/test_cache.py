"""The generator cache key: what it covers and what it ignores (``pipeline/cache.py``)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pipeline import cache

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "generator", tmp_path / "generator", ignore=shutil.ignore_patterns("__pycache__"))
    return tmp_path


def keys(root: Path) -> list[str]:
    return [cache.generator_key(root, problem) for problem in (1, 2, 3, 4)]


def touch_source(path: Path) -> None:
    path.write_text(path.read_text() + "\n# edited\n")


def test_every_module_of_a_package_is_covered(project: Path):
    package = project / "generator" / "problem3"
    covered = set(cache.project_modules(project, "generator.problem3"))
    assert set(package.glob("*.py")) <= covered


@pytest.mark.parametrize("module", ["problem2/figures.py", "problem2/__init__.py", "ledger.py"])
def test_an_edit_changes_the_keys_of_the_generators_that_use_the_module(project: Path, module: str):
    before = keys(project)
    touch_source(project / "generator" / module)
    after = keys(project)
    changed = [problem for problem, (a, b) in enumerate(zip(before, after), start=1) if a != b]
    assert changed == ([1, 2, 3, 4] if module == "ledger.py" else [2])


def test_bytecode_and_other_files_do_not_change_a_key(project: Path):
    before = keys(project)
    cached = project / "generator" / "problem1" / "__pycache__"
    cached.mkdir()
    (cached / "stray.py").write_text("x = 1\n")
    (project / "generator" / "problem1" / "notes.txt").write_text("a note\n")
    assert keys(project) == before
