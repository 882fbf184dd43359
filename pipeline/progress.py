"""Progress lines: one when a long step starts, one when each step ends, with its time."""

from __future__ import annotations

import os
import sys
import threading
import time


class Progress:
    """One line per step: name, what happened and why, seconds.

    Safe to call from several threads (the two editions compile at once).
    """

    def __init__(self, quiet: bool, verbose: bool):
        self.quiet = quiet
        self.verbose = verbose
        self.started = time.perf_counter()
        self._lock = threading.Lock()

    def step(self, name: str, outcome: str, seconds: float) -> None:
        """A step has ended."""
        self._print(f"{name:<20} {outcome:<52} {seconds:6.2f} s")

    def start(self, name: str, what: str) -> None:
        """A step that takes a while has started (a LaTeX pass, say)."""
        self._print(f"{name:<20} {what}")

    def note(self, text: str) -> None:
        """Something the user should know that is not a step (a recovery, a wait)."""
        self._print(text)

    def print_always(self, line: str) -> None:
        """Output that is the command's result (a table), printed even with ``--quiet``."""
        quiet, self.quiet = self.quiet, False
        try:
            self._print(line)
        finally:
            self.quiet = quiet or self.quiet

    def done(self, text: str) -> None:
        self._print(f"{text} in {time.perf_counter() - self.started:.2f} s")

    def _print(self, line: str) -> None:
        if self.quiet:
            return
        with self._lock:
            try:
                print(line, flush=True)
            except BrokenPipeError:
                # The reader went away (``build.py | head``): finish the build silently.
                self.quiet = True
                sys.stdout = open(os.devnull, "w")
