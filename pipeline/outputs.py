"""The record of what the build wrote outside ``build/``, so that ``clean`` deletes only that.

Every file the build puts into ``solutions/`` or ``figures/`` is recorded in
``build/outputs.json`` with the digest it had when written.  ``clean`` deletes
a recorded file only while it still has that digest: a file the student made,
or one of ours that they edited since, is never deleted.
"""

from __future__ import annotations

from pathlib import Path

from pipeline import cache
from pipeline.project import Project


def _load(project: Project) -> dict[str, str]:
    data = cache.read_json(project.outputs_record) or {}
    return {name: digest for name, digest in data.get("files", {}).items() if isinstance(digest, str)}


def _save(project: Project, files: dict[str, str]) -> None:
    cache.write_json(project.outputs_record, {"files": dict(sorted(files.items()))})


def record(project: Project, paths: list[Path]) -> None:
    """Remember ``paths`` (just written by the build) with their current digests."""
    files = _load(project)
    changed = False
    for path in paths:
        name, digest = project.relative(path), cache.file_digest(path)
        if files.get(name) != digest:
            files[name], changed = digest, True
    if changed:
        _save(project, files)


def install(project: Project, path: Path, data: bytes | str) -> None:
    """Atomically write a deliverable and record it."""
    cache.write_atomic(path, data)
    record(project, [path])


def install_together(project: Project, files: dict[Path, bytes | str]) -> None:
    """Atomically write several deliverables (all or none) and record them."""
    cache.write_together(files)
    record(project, list(files))


def install_if_changed(project: Project, path: Path, text: str) -> None:
    """Write a text deliverable unless it already holds ``text``; record it either way."""
    cache.write_if_changed(path, text)
    record(project, [path])


def forget(project: Project, path: Path) -> None:
    """Delete an output the build no longer makes (only if it is still ours, unmodified)."""
    files = _load(project)
    name = project.relative(path)
    if files.get(name) == cache.file_digest(path):
        Path(path).unlink(missing_ok=True)
        del files[name]
        _save(project, files)


def remove_recorded(project: Project) -> tuple[list[str], list[str]]:
    """Delete every recorded output that is unmodified; return (removed, kept because modified)."""
    removed, kept = [], []
    for name, digest in _load(project).items():
        path = project.root / name
        current = cache.file_digest(path)
        if current == "missing":
            continue
        if current == digest:
            path.unlink()
            removed.append(name)
        else:
            kept.append(name)
    return removed, kept
