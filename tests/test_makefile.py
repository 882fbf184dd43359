"""The Makefile's set-up: the Python version is checked first, and .venv follows the interpreter.

A stand-in interpreter (a shell script answering the few questions the
Makefile asks) keeps these tests fast: no real environment is created.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

FAKE_PYTHON = """#!/bin/sh
# A stand-in for python{version}: answers what the Makefile asks, records what it was asked to do.
echo "$@" >> "{log}"
case "$1 $2" in
  "-c import sys; print(sys.version.split()[0], sys.executable)") echo "{version} $0" ;;
  "-c import sys; sys.exit(sys.version_info < (3, 11))") exit {too_old} ;;
  "--version ") echo "Python {version}" ;;
  "-m venv") mkdir -p "$3/bin" && cp "$0" "$3/bin/python" ;;
  "-m pip") exit {pip_status} ;;
esac
"""


def fake_python(tmp_path: Path, version: str, pip_status: int = 0) -> Path:
    path = tmp_path / f"python{version}"
    too_old = int(tuple(map(int, version.split(".")[:2])) < (3, 11))
    path.write_text(FAKE_PYTHON.format(version=version, log=tmp_path / "calls.log", too_old=too_old, pip_status=pip_status))
    path.chmod(0o755)
    return path


def make_venv(tmp_path: Path, python: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["make", "--no-print-directory", "-C", str(ROOT), "venv", f"PYTHON={python}", f"VENV={tmp_path / 'venv'}"],
        capture_output=True, text=True,
    )


@pytest.fixture(autouse=True)
def needs_make():
    if shutil.which("make") is None:
        pytest.skip("needs make")


def test_an_old_python_is_refused_before_anything_is_created(tmp_path):
    result = make_venv(tmp_path, fake_python(tmp_path, "3.10.13"))
    assert result.returncode != 0
    assert "is not Python 3.11 or newer" in result.stderr
    assert not (tmp_path / "venv").exists()


def test_the_environment_is_rebuilt_when_the_interpreter_changes(tmp_path):
    first = make_venv(tmp_path, fake_python(tmp_path, "3.11.7"))
    assert first.returncode == 0, first.stderr
    assert "creating" in first.stdout and "about 20 s" in first.stdout  # said before the long step starts
    other = make_venv(tmp_path, fake_python(tmp_path, "3.12.1"))
    assert other.returncode == 0, other.stderr
    assert "it was made by another interpreter" in other.stdout
    assert (tmp_path / "venv" / ".interpreter").read_text().startswith("3.12.1")


def test_a_failed_installation_is_not_reused(tmp_path):
    broken = make_venv(tmp_path, fake_python(tmp_path, "3.11.7", pip_status=1))
    assert broken.returncode != 0
    assert "will be rebuilt next time" in broken.stderr
    again = make_venv(tmp_path, fake_python(tmp_path, "3.11.7"))
    assert again.returncode == 0, again.stderr
    assert "removing" in again.stdout and "creating" in again.stdout


@pytest.mark.skipif(not Path("/root/.pyenv/versions/3.10.13/bin/python3").exists(), reason="no Python 3.10 here")
def test_a_real_python_3_10_is_refused_by_make_and_by_build_py(tmp_path):
    python = Path("/root/.pyenv/versions/3.10.13/bin/python3")
    assert "is not Python 3.11 or newer" in make_venv(tmp_path, python).stderr
    result = subprocess.run([str(python), str(ROOT / "build.py")], capture_output=True, text=True)
    assert result.returncode == 1 and "Python 3.11 or newer is needed" in result.stderr
