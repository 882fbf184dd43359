"""The student's details: ``submission.toml``, overridden for one build by the command line.

``submission.toml`` sits at the top of the checkout, is tracked by git and is
read by every build; it holds the details printed on the first page and in
the PDF's metadata.  A command-line option (``--author`` and friends, or
``make pdf AUTHOR=...``) overrides a value for that build only, so a one-off
name never replaces the one the student keeps in the file.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, fields
from pathlib import Path

from pipeline.escape import describe_characters, needs_cyrillic, normalise, unprintable_characters

FILE_NAME = "submission.toml"
DEFAULT_AUTHOR = "Anonymous student"


class SettingsError(ValueError):
    """A value of ``submission.toml`` or of the command line cannot be used; says which."""


@dataclass(frozen=True)
class Student:
    """What the first page prints about the student (each value as typed, NFC)."""

    author: str = DEFAULT_AUTHOR
    student_id: str = ""
    group: str = ""
    date: str = ""

    @property
    def needs_cyrillic(self) -> bool:
        return any(needs_cyrillic(getattr(self, f.name)) for f in fields(self))

    def key(self) -> str:
        """Everything that reaches the rendered LaTeX, for the render cache."""
        return "\x1f".join(getattr(self, f.name) for f in fields(self))


KEYS = tuple(f.name for f in fields(Student))
REQUIRED = ("author",)


def _checked(value, where: str, key: str) -> str:
    """``value`` normalised, or a :class:`SettingsError` naming ``where`` and ``key``."""
    if not isinstance(value, str):
        raise SettingsError(f"{where}: {key} must be a string in quotes, got {value!r}")
    text = normalise(value)
    if not text and key in REQUIRED:
        raise SettingsError(f"{where}: {key} is empty; write the name to print, e.g. {key} = \"Jane Doe\"")
    unprintable = unprintable_characters(text)
    if unprintable:
        raise SettingsError(
            f"{where}: {key} holds characters that no font of the document can print: "
            f"{describe_characters(unprintable)}. Latin and Cyrillic letters are supported."
        )
    return text


def _read_file(path: Path) -> dict:
    """The table in ``path`` (empty when the file does not exist)."""
    import tomllib

    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except UnicodeDecodeError as error:
        raise SettingsError(f"{path.name}: not valid UTF-8 ({error.reason} at byte {error.start})") from None
    except tomllib.TOMLDecodeError as error:
        message = str(error)
        line = message.rsplit("(at line ", 1)[-1].split(",")[0] if "(at line " in message else ""
        where = f"{path.name}:{line}" if line.isdigit() else path.name
        raise SettingsError(f"{where}: not valid TOML: {message}") from None
    unknown = sorted(set(data) - set(KEYS))
    if unknown:
        hints = [difflib.get_close_matches(key, KEYS, n=1) for key in unknown]
        said = ", ".join(f"{k!r}" + (f" (did you mean {h[0]!r}?)" if h else "") for k, h in zip(unknown, hints))
        raise SettingsError(f"{path.name}: unknown key {said}; the keys are {', '.join(KEYS)}")
    return data


def load(path: Path, overrides: dict[str, str | None]) -> Student:
    """The student's details from ``path``, each overridden by a non-None value of ``overrides``.

    Raises
    ------
    SettingsError
        Naming the file (and line) or the option, and the key, of a value that
        is not valid TOML, is empty where a value is required, or holds a
        character no font can print.
    """
    stored = _read_file(path)
    values = {}
    for key in KEYS:
        if overrides.get(key) is not None:
            values[key] = _checked(overrides[key], f"--{key.replace('_', '-')}", key)
        elif key in stored:
            values[key] = _checked(stored[key], path.name, key)
    return Student(**values)
