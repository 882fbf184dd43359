"""Content-hash caching and atomic file writes for the build.

A generator's cache key covers exactly what can change its output: the source
of every module of its package and of every project module they import (found by reading
``import`` statements, not by importing, so that a cached build never loads
numpy or matplotlib), the Python version and the versions of the numerical
packages.  Every file the build writes goes through a temporary file and
``os.replace``, so an interrupted build never leaves half a file behind.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import re
import sys
from pathlib import Path

NUMERICAL_PACKAGES = ("numpy", "scipy", "matplotlib")


def digest_bytes(*chunks: bytes) -> str:
    """SHA-256 of the concatenation of length-prefixed ``chunks``."""
    h = hashlib.sha256()
    for chunk in chunks:
        h.update(len(chunk).to_bytes(8, "little"))
        h.update(chunk)
    return h.hexdigest()


def file_digest(path: Path) -> str:
    """SHA-256 of a file's bytes, or ``"missing"``."""
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except FileNotFoundError:
        return "missing"


_IMPORT_FROM = re.compile(r"^[ \t]*from[ \t]+(\.*[\w.]*)[ \t]+import[ \t]+(\([^)]*\)|[^\n#]*)", re.M)
_IMPORT = re.compile(r"^[ \t]*import[ \t]+([^\n#]*)", re.M)


def _imported_modules(source: str, package: str) -> list[str]:
    """Dotted names a module's import statements may refer to (read, not run).

    A regular expression over the source is enough (and ten times faster than
    parsing): every ``import`` statement of a project module starts a line.
    """
    names = []
    for base, imported in _IMPORT_FROM.findall(source):
        level = len(base) - len(base.lstrip("."))
        base = base.lstrip(".")
        if level:
            parent = package.rsplit(".", level - 1)[0] if level > 1 else package
            base = f"{parent}.{base}".rstrip(".")
        names.append(base)
        aliases = imported.strip("()").replace("\n", " ").split(",")
        names.extend(f"{base}.{alias.split()[0]}" for alias in aliases if alias.strip())
    for imported in _IMPORT.findall(source):
        names.extend(alias.split()[0] for alias in imported.split(",") if alias.strip())
    return [name for name in names if name.split(".")[0] == "generator"]


def _source(path: Path) -> tuple[bytes, tuple[str, ...]]:
    """A module's bytes and the project modules it imports, read once per build."""
    status = os.stat(path)
    return _read_module(path, status.st_mtime_ns, status.st_size)


_KNOWN_IMPORTS: dict[str, list[str]] = {}
"""Import lists already read, by module name and SHA-256 of its source (kept in ``build/cache``)."""
_READ_NOW: set[str] = set()


@functools.lru_cache(maxsize=None)
def _read_module(path: Path, mtime_ns: int, size: int) -> tuple[bytes, tuple[str, ...]]:
    data = path.read_bytes()
    parts = path.with_suffix("").parts
    name = ".".join(parts[parts.index("generator") :])
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    package = package.removesuffix(".__init__")
    known = f"{name} {hashlib.sha256(data).hexdigest()}"
    _READ_NOW.add(known)
    if known not in _KNOWN_IMPORTS:
        _KNOWN_IMPORTS[known] = _imported_modules(data.decode("utf-8"), package)
    return data, tuple(_KNOWN_IMPORTS[known])


@contextlib.contextmanager
def _remembered_imports(root: Path):
    """Read the import lists a build stored; store them again when this build read new sources
    (one entry per module: the version read now replaces older ones).

    Reading the imports of every module with a regular expression is most of a
    no-op build's own work; a source's imports depend only on its bytes.
    """
    store = root / "build" / "cache" / "imports.json"
    if not _KNOWN_IMPORTS:
        _KNOWN_IMPORTS.update((read_json(store) or {}).get("imports", {}))
    before = len(_KNOWN_IMPORTS)
    yield
    if len(_KNOWN_IMPORTS) != before and store.parent.is_dir():
        names_now = {known.split()[0] for known in _READ_NOW}
        kept = {k: v for k, v in _KNOWN_IMPORTS.items() if k in _READ_NOW or k.split()[0] not in names_now}
        write_json(store, {"imports": kept})


def _module_index(root: Path) -> dict[str, Path]:
    """Every project module under ``root/generator``, by dotted name.

    One walk of the folder with ``os.walk`` (a no-op build computes four keys,
    and a ``pathlib`` probe per imported name cost more than the rest of it).
    """
    index = {}
    for folder, subfolders, files in os.walk(root / "generator"):
        subfolders[:] = [name for name in subfolders if name != "__pycache__"]
        package = ".".join(Path(folder).relative_to(root).parts)
        for name in files:
            if name.endswith(".py"):
                dotted = package if name == "__init__.py" else f"{package}.{name[:-3]}"
                index[dotted] = Path(folder, name)
    return index


def project_modules(root: Path, module: str) -> list[Path]:
    """Source files of ``module`` (every module of it, if a package) and of the
    project modules they import.

    Parameters
    ----------
    root : Path
        Project root; project modules are the files under ``root/generator``.
    module : str
        Dotted name, e.g. ``"generator.problem1"``.

    Returns
    -------
    list of Path
        Sorted, without duplicates, ``module`` itself included.
    """
    index = _module_index(root)
    pending = [name for name in index if name == module or name.startswith(f"{module}.")]
    seen: set[Path] = set()
    while pending:
        path = index.get(pending.pop())
        if path is None or path in seen:
            continue
        seen.add(path)
        pending.extend(_source(path)[1])
    return sorted(seen)


def _installed_version(package: str) -> str:
    """A package's version from its ``.dist-info`` folder name (nothing imported)."""
    for entry in sys.path:
        for info in sorted(Path(entry or ".").glob(f"{package}-*.dist-info")):
            return info.name[len(package) + 1 : -len(".dist-info")]
    return "missing"


@functools.cache
def environment_fingerprint() -> str:
    """Python and numerical-package versions, read without importing them."""
    versions = [".".join(map(str, sys.version_info[:3])), os.uname().machine]
    versions += [f"{package}=={_installed_version(package)}" for package in NUMERICAL_PACKAGES]
    return ";".join(versions)


def generator_key(root: Path, problem: int) -> str:
    """Cache key of problem ``problem``'s generator."""
    with _remembered_imports(root):
        files = project_modules(root, f"generator.problem{problem}")
    chunks = [environment_fingerprint().encode()]
    for path in files:
        chunks.append(str(path.relative_to(root)).encode())
        chunks.append(_source(path)[0])
    return digest_bytes(*chunks)


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


_UMASK = _umask()


def match_umask(path: Path) -> None:
    """Give a file made through a private temporary file the mode the user's umask asks for."""
    os.chmod(path, 0o666 & ~_UMASK)


def write_atomic(path: Path, data: bytes | str) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder.

    The file gets the mode a plain ``open`` would give it (0666 less the umask),
    not the private 0600 of the temporary file.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    import tempfile  # only when writing: a no-op build writes nothing

    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        match_umask(Path(temporary))
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_together(files: dict[Path, bytes | str]) -> None:
    """Write several files so that either all of them are replaced or none is.

    Every file is first written in full to a temporary file beside its target
    (where a full disk or a refused write shows); only then are the targets
    replaced, one rename each.
    """
    import tempfile

    staged: list[tuple[str, Path]] = []
    try:
        for path, data in files.items():
            path = Path(path)
            path.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
            staged.append((temporary, path))
            with os.fdopen(handle, "wb") as stream:
                stream.write(data.encode("utf-8") if isinstance(data, str) else data)
            match_umask(Path(temporary))
        for temporary, path in staged:
            os.replace(temporary, path)
    finally:
        for temporary, _ in staged:
            Path(temporary).unlink(missing_ok=True)


def write_if_changed(path: Path, text: str) -> bool:
    """Atomically write ``text`` unless ``path`` already holds it; True if written."""
    path = Path(path)
    try:
        if path.read_text(encoding="utf-8") == text:
            return False
    except (FileNotFoundError, UnicodeDecodeError):
        pass
    write_atomic(path, text)
    return True


def read_json(path: Path) -> dict | None:
    """The JSON object in ``path``, or None when it is missing or unreadable."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError, UnicodeDecodeError):
        return None
    return data if isinstance(data, dict) else None


def write_json(path: Path, data: dict) -> None:
    """Atomically write ``data`` as stable, indented JSON."""
    write_atomic(path, json.dumps(data, indent=2, sort_keys=False) + "\n")
