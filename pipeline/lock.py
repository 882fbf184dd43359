"""One build at a time per checkout, and the lock outlives every process the build started.

The lock is an ``flock`` on ``build/build.lock``.  Its file descriptor is
handed to LaTeX (see :func:`inherited_fds`), which runs in a session of its
own: if the build itself is killed, the lock stays held until the last LaTeX
process has exited, so a new build never races a LaTeX run left behind.
"""

from __future__ import annotations

import contextlib
import fcntl

from pipeline.progress import Progress
from pipeline.project import Project

_held: list[int] = []


@contextlib.contextmanager
def build_lock(project: Project, progress: Progress):
    """Serialise builds in one checkout; a second build waits for the first."""
    project.build.mkdir(exist_ok=True)
    with open(project.build / "build.lock", "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            progress.note("another build (or a LaTeX run it left behind) is using this checkout; waiting")
            fcntl.flock(handle, fcntl.LOCK_EX)
        _held.append(handle.fileno())
        try:
            yield
        finally:
            _held.remove(handle.fileno())


def inherited_fds() -> tuple[int, ...]:
    """File descriptors a child process must inherit so that it holds the lock too."""
    return tuple(_held)
